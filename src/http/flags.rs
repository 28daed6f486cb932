//! The parser's public bit sets: `flags` bits (`WF_F_*`), leniency flags (`WF_LENIENT_*`), and
//! the default limits.

/// `flags`: `Connection: keep-alive` was seen.
pub const WF_F_CONNECTION_KEEP_ALIVE: u16 = 0x1;
/// `flags`: `Connection: close` was seen.
pub const WF_F_CONNECTION_CLOSE: u16 = 0x2;
/// `flags`: `Connection: upgrade` was seen.
pub const WF_F_CONNECTION_UPGRADE: u16 = 0x4;
/// `flags`: the body is chunked (chunked is the last transfer coding).
pub const WF_F_CHUNKED: u16 = 0x8;
/// `flags`: an `Upgrade` header was seen.
pub const WF_F_UPGRADE: u16 = 0x10;
/// `flags`: a `Content-Length` header was seen.
pub const WF_F_CONTENT_LENGTH: u16 = 0x20;
/// `flags`: no body will be read (`on_headers_complete` returned 1 or 2).
pub const WF_F_SKIPBODY: u16 = 0x40;
/// `flags`: the trailers are being parsed.
pub const WF_F_TRAILING: u16 = 0x80;
/// `flags`: a `Transfer-Encoding` header was seen.
pub const WF_F_TRANSFER_ENCODING: u16 = 0x200;

/// Leniency: accept any byte but CR and LF in header values, and any byte but CR, LF, colon,
/// SP and HTAB in header names (invalid token characters, control characters, NUL). Reopens header injection and smuggling through names that
/// intermediaries read differently (e.g. `Transfer-Encoding\x0b:`).
pub const WF_LENIENT_HEADERS: u32 = 0x1;
/// Leniency: accept `Content-Length` together with `Transfer-Encoding` (chunked wins, the
/// connection is not kept alive). Reopens CL.TE / TE.CL request smuggling.
pub const WF_LENIENT_CHUNKED_LENGTH: u32 = 0x2;
/// Leniency: keep parsing after a message that asked to close the connection. Reopens
/// response splitting and cache poisoning through data after `Connection: close`.
pub const WF_LENIENT_KEEP_ALIVE: u32 = 0x4;
/// Leniency: accept a request whose `Transfer-Encoding` does not end in chunked (its body is
/// read until EOF), and chunked given twice. Reopens TE.TE request smuggling.
pub const WF_LENIENT_TRANSFER_ENCODING: u32 = 0x8;
/// Leniency: accept any one-digit major and minor version. Reopens confusion between parsers
/// that disagree on what an unknown version means for framing and keep-alive.
pub const WF_LENIENT_VERSION: u32 = 0x10;
/// Leniency: bytes after a message that closes the connection are discarded: never parsed,
/// never reported (llhttp's `lenient_data_after_close`). Without it they are an error
/// (`HPE_CLOSED_CONNECTION`); with `WF_LENIENT_KEEP_ALIVE` they are parsed as a new message.
/// Hides a peer that sends more than it may, such as a request pipelined after
/// `Connection: close`.
pub const WF_LENIENT_DATA_AFTER_CLOSE: u32 = 0x20;
/// Leniency: a CR not followed by LF ends the line. Reopens smuggling through bare CR, which
/// other parsers treat as part of a value.
pub const WF_LENIENT_OPTIONAL_LF_AFTER_CR: u32 = 0x40;
/// Leniency: the CRLF after chunk data may be missing. Reopens smuggling through chunk
/// boundaries that other parsers place elsewhere.
pub const WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK: u32 = 0x80;
/// Leniency: a bare LF ends a line. Reopens smuggling through bare LF, which other parsers
/// treat as part of a value.
pub const WF_LENIENT_OPTIONAL_CR_BEFORE_LF: u32 = 0x100;
/// Leniency: spaces and tabs may follow the chunk size. Reopens smuggling through chunk sizes
/// that other parsers read differently (`5 \r\n`).
pub const WF_LENIENT_SPACES_AFTER_CHUNK_SIZE: u32 = 0x200;
/// Leniency: repeated `Content-Length` headers are accepted when their values are equal.
/// Reopens smuggling through intermediaries that keep the first or the last of them.
pub const WF_LENIENT_DUPLICATE_CONTENT_LENGTH: u32 = 0x400;
/// Leniency: obs-fold (a header line starting with SP or HTAB continues the previous value).
/// Reopens header smuggling through intermediaries that see the folded line as a new header.
pub const WF_LENIENT_OBS_FOLD: u32 = 0x800;
/// Leniency: whitespace between a header name and its colon is ignored. Reopens smuggling
/// through `Transfer-Encoding : chunked`, which other parsers ignore.
pub const WF_LENIENT_SPACE_BEFORE_COLON: u32 = 0x1000;

/// Leniency: header values may hold any byte but NUL, CR and LF (the rule of the Fetch
/// standard; llhttp's `lenient_header_value_relaxed`): control characters such as VT, FF, ESC
/// and DEL reach the application. Header names stay strict. Reopens header injection and
/// smuggling through downstream parsers, loggers or terminals that treat a control character
/// as a separator or a command.
pub const WF_LENIENT_HEADER_VALUE_RELAXED: u32 = 0x2000;
/// Leniency: the request target may hold raw bytes 0x80-0xFF (UTF-8 that a client did not
/// percent-encode). Reopens routing and access-control bypasses where components decode or
/// normalise the non-ASCII bytes differently (one sees `/admin`, another a different path),
/// and log or cache-key confusion.
pub const WF_LENIENT_URL_NON_ASCII: u32 = 0x4000;

/// Every leniency flag: the bits `wf_http_set_lenient_flags` gives a meaning to.
pub const WF_LENIENT_ALL: u32 = 0x7fff;

/// Default maximum size of the start line plus headers (and of the trailers): 80 KiB, as in
/// http-parser.
pub const WF_DEFAULT_MAX_HEADER_SIZE: u32 = 80 * 1024;
/// Default maximum of chunk-extension bytes in one message: 16 KiB.
pub const WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE: u32 = 16 * 1024;

/// Writes the names of the bits of `bits` set in a flag set, `A | B`, or `(empty)`.
fn write_names(
    f: &mut core::fmt::Formatter<'_>,
    names: &[(&str, u32)],
    bits: u32,
) -> core::fmt::Result {
    let mut first = true;
    for &(name, bit) in names {
        if bits & bit != 0 {
            f.write_str(if first { "" } else { " | " })?;
            f.write_str(name)?;
            first = false;
        }
    }
    if first {
        f.write_str("(empty)")?;
    }
    Ok(())
}

/// Defines a typed bit set over the `WF_*` constants above: named constants, `bits`,
/// `from_bits`, `contains`, `|`, and a `Debug` that lists the names.
macro_rules! bit_set {
    (
        $(#[$meta:meta])*
        $name:ident($repr:ty) {
            $($(#[$cmeta:meta])* $flag:ident = $value:expr,)*
        }
    ) => {
        $(#[$meta])*
        ///
        /// cbindgen:ignore
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name($repr);

        impl $name {
            /// No flag.
            pub const NONE: $name = $name(0);
            $($(#[$cmeta])* pub const $flag: $name = $name($value);)*
            /// Every flag.
            pub const ALL: $name = $name(0 $(| $value)*);

            /// The bits, as the C ABI takes them.
            pub const fn bits(self) -> $repr {
                self.0
            }

            /// The set with these bits; `None` when a bit has no meaning.
            pub const fn from_bits(bits: $repr) -> Option<$name> {
                if bits & !$name::ALL.0 != 0 {
                    None
                } else {
                    Some($name(bits))
                }
            }

            /// True when every flag of `other` is in `self`.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            /// True when no flag is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }

        impl core::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, other: $name) -> $name {
                $name(self.0 | other.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, other: $name) {
                self.0 |= other.0;
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "("))?;
                write_names(f, &[$((stringify!($flag), $value as u32),)*], self.0 as u32)?;
                f.write_str(")")
            }
        }
    };
}

bit_set! {
    /// Leniency flags: each relaxes one strict rule and reopens the attack its constant names
    /// (request smuggling, response splitting, header injection). Strict (`Lenient::NONE`) is
    /// the default; combine flags with `|`.
    Lenient(u32) {
        /// See [`WF_LENIENT_HEADERS`].
        HEADERS = WF_LENIENT_HEADERS,
        /// See [`WF_LENIENT_CHUNKED_LENGTH`].
        CHUNKED_LENGTH = WF_LENIENT_CHUNKED_LENGTH,
        /// See [`WF_LENIENT_KEEP_ALIVE`].
        KEEP_ALIVE = WF_LENIENT_KEEP_ALIVE,
        /// See [`WF_LENIENT_TRANSFER_ENCODING`].
        TRANSFER_ENCODING = WF_LENIENT_TRANSFER_ENCODING,
        /// See [`WF_LENIENT_VERSION`].
        VERSION = WF_LENIENT_VERSION,
        /// See [`WF_LENIENT_DATA_AFTER_CLOSE`].
        DATA_AFTER_CLOSE = WF_LENIENT_DATA_AFTER_CLOSE,
        /// See [`WF_LENIENT_OPTIONAL_LF_AFTER_CR`].
        OPTIONAL_LF_AFTER_CR = WF_LENIENT_OPTIONAL_LF_AFTER_CR,
        /// See [`WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK`].
        OPTIONAL_CRLF_AFTER_CHUNK = WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK,
        /// See [`WF_LENIENT_OPTIONAL_CR_BEFORE_LF`].
        OPTIONAL_CR_BEFORE_LF = WF_LENIENT_OPTIONAL_CR_BEFORE_LF,
        /// See [`WF_LENIENT_SPACES_AFTER_CHUNK_SIZE`].
        SPACES_AFTER_CHUNK_SIZE = WF_LENIENT_SPACES_AFTER_CHUNK_SIZE,
        /// See [`WF_LENIENT_DUPLICATE_CONTENT_LENGTH`].
        DUPLICATE_CONTENT_LENGTH = WF_LENIENT_DUPLICATE_CONTENT_LENGTH,
        /// See [`WF_LENIENT_OBS_FOLD`].
        OBS_FOLD = WF_LENIENT_OBS_FOLD,
        /// See [`WF_LENIENT_SPACE_BEFORE_COLON`].
        SPACE_BEFORE_COLON = WF_LENIENT_SPACE_BEFORE_COLON,
        /// See [`WF_LENIENT_HEADER_VALUE_RELAXED`].
        HEADER_VALUE_RELAXED = WF_LENIENT_HEADER_VALUE_RELAXED,
        /// See [`WF_LENIENT_URL_NON_ASCII`].
        URL_NON_ASCII = WF_LENIENT_URL_NON_ASCII,
    }
}

bit_set! {
    /// What the headers of the message being parsed said ([`Parser::flags`]).
    ///
    /// [`Parser::flags`]: super::Parser::flags
    MessageFlags(u16) {
        /// `Connection: keep-alive` was seen.
        CONNECTION_KEEP_ALIVE = WF_F_CONNECTION_KEEP_ALIVE,
        /// `Connection: close` was seen.
        CONNECTION_CLOSE = WF_F_CONNECTION_CLOSE,
        /// `Connection: upgrade` was seen.
        CONNECTION_UPGRADE = WF_F_CONNECTION_UPGRADE,
        /// The body is chunked (chunked is the last transfer coding).
        CHUNKED = WF_F_CHUNKED,
        /// An `Upgrade` header was seen.
        UPGRADE = WF_F_UPGRADE,
        /// A `Content-Length` header was seen.
        CONTENT_LENGTH = WF_F_CONTENT_LENGTH,
        /// No body will be read (skipped by the headers-complete callback).
        SKIP_BODY = WF_F_SKIPBODY,
        /// The trailers are being read.
        TRAILING = WF_F_TRAILING,
        /// A `Transfer-Encoding` header was seen.
        TRANSFER_ENCODING = WF_F_TRANSFER_ENCODING,
    }
}

/// A parser's limits and leniency, for [`Parser::with_config`]. The default is strict with
/// the default limits.
///
/// [`Parser::with_config`]: super::Parser::with_config
///
/// cbindgen:ignore
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// The leniency flags (default: none).
    pub lenient: Lenient,
    /// The maximum size in bytes of the start line plus headers, and of the trailers
    /// (default [`WF_DEFAULT_MAX_HEADER_SIZE`], 80 KiB; 0 means the default).
    pub max_header_size: u32,
    /// The maximum number of chunk-extension bytes in one message (default
    /// [`WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE`], 16 KiB; 0 means the default).
    pub max_chunk_extensions_size: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            lenient: Lenient::NONE,
            max_header_size: WF_DEFAULT_MAX_HEADER_SIZE,
            max_chunk_extensions_size: WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE,
        }
    }
}

// The C constant is a literal (cbindgen copies only literals); it must name every flag.
const _: () = assert!(Lenient::ALL.bits() == WF_LENIENT_ALL);
