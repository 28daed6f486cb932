//! The HTTP/1.x streaming parser.
//!
//! [`Parser`] is an http-parser/llhttp-style state machine: feed it bytes with
//! [`Parser::execute`] and it reports spans and notifications through [`Callbacks`]. It never
//! allocates and never copies the input (one exception: see [`Callbacks::on_data`]). Strict by
//! default against request smuggling; each relaxation is a `WF_LENIENT_*` flag.
//!
//! [`events::Recorder`] turns the callbacks into rows of (kind, offset, length), which is how
//! the bindings cross the FFI once per read instead of once per span.

mod callbacks;
mod errno;
pub mod events;
mod flags;
mod method;
mod parser;
mod reason;
mod scan;
mod status;
pub mod url;

pub use callbacks::*;
pub use errno::{Errno, Error};
pub use flags::*;
pub use method::Method;
pub use parser::{Parser, ParserType};
pub use status::status_str;
