//! The HTTP/1.x streaming parser (work in progress in this commit).
