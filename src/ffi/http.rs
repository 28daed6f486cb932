//! C ABI of the HTTP parser (work in progress in this commit).
