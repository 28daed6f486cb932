//! C ABI of the handshake helper.
