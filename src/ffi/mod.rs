//! The C ABI. Every `extern "C"` item of the crate lives under this module, one file per
//! exported object family; `boundary.rs` holds the panic boundary and the pointer checks that
//! every entry point goes through. This is also the only place where raw pointers from C are
//! turned into Rust references and slices.

// Every exported function's safety contract is its C contract, stated in its documentation:
// each pointer is NULL (checked) or valid for the sizes and the time the documentation gives.
#![allow(clippy::missing_safety_doc)]

#[macro_use]
mod boundary;

pub mod deflate;
pub mod form;
pub mod handshake;
pub mod http;
pub mod multipart;
pub mod version;
pub mod ws;
