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
