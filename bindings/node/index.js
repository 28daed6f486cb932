'use strict';
/**
 * wireframe for Node.js: the HTTP/1.x parser, WebSocket codec and handshake helper of the
 * wireframe Rust library, through a small N-API addon (src/wireframe_node.c).
 *
 * This file only shapes arguments and results; parsing, validation and encoding happen in
 * the core. The addon calls the "trampolines" below with the parser or decoder as `this`;
 * they build the objects users see and call the user's callbacks.
 */
const { randomFillSync } = require('node:crypto');
const native = require('./build/wireframe.node');

/** Method names indexed by the core's method number (llhttp's numbering). */
const METHODS = Object.freeze(native.methods());

/** Leniency flags for HttpParser (bit values of the core's WF_LENIENT_*); each reopens an attack, see docs/http.md. */
const LENIENT = Object.freeze({
  HEADERS: 0x1,
  CHUNKED_LENGTH: 0x2,
  KEEP_ALIVE: 0x4,
  TRANSFER_ENCODING: 0x8,
  VERSION: 0x10,
  DATA_AFTER_CLOSE: 0x20,
  OPTIONAL_LF_AFTER_CR: 0x40,
  OPTIONAL_CRLF_AFTER_CHUNK: 0x80,
  OPTIONAL_CR_BEFORE_LF: 0x100,
  SPACES_AFTER_CHUNK_SIZE: 0x200,
  DUPLICATE_CONTENT_LENGTH: 0x400,
  OBS_FOLD: 0x800,
  SPACE_BEFORE_COLON: 0x1000,
  HEADER_VALUE_RELAXED: 0x2000,
  URL_NON_ASCII: 0x4000,
  ALL: 0x7fff,
});

const PARSER_TYPES = { both: 0, request: 1, response: 2 };

/** What onHeadersComplete may return: no body follows (e.g. the response to HEAD). */
const SKIP_BODY = 1;
/** What onHeadersComplete may return: no body follows and the connection is upgraded. */
const SKIP_BODY_UPGRADE = 2;

/** Optional byte input: strings become UTF-8 Buffers, byte views pass through. */
function toBytes(data, what) {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${what} must be a string, Buffer, TypedArray or ArrayBuffer`);
}

/** A view of bytes [off, off + len) of `buf` (the input buffer itself when it is all of it). */
function view(buf, off, len) {
  return off === 0 && len === buf.length ? buf : buf.subarray(off, off + len);
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/**
 * A streaming HTTP/1.x parser for requests or responses.
 *
 * `new HttpParser(type, options)`: `type` is 'request' (default), 'response' or 'both';
 * options: `onHeadersComplete(head)`, `onBody(chunk)`, `onMessageComplete(trailers)`,
 * `lenient` (LENIENT bits), `maxHeaderSize` (bytes; 0 = 80 KiB default),
 * `maxChunkExtensionsSize`. The callbacks may also be assigned as properties later.
 *
 * `execute(buffer)` returns the bytes consumed (the whole buffer unless paused or upgraded)
 * and throws an Error with `code` (e.g. 'HPE_INVALID_METHOD'), `reason` and `offset` on
 * malformed input. Body chunks are views of the buffer given to execute (no copy).
 */
class HttpParser extends native.HttpParser {
  constructor(type = 'request', options = {}) {
    const t = typeof type === 'number' ? type : PARSER_TYPES[type];
    if (t !== 0 && t !== 1 && t !== 2) {
      throw new TypeError("type must be 'request', 'response' or 'both'");
    }
    super(t);
    /** Called once per message head with the whole head; may return SKIP_BODY / SKIP_BODY_UPGRADE. */
    this.onHeadersComplete = options.onHeadersComplete;
    /** Called with each piece of the body (a Buffer view of the input; chunked framing removed). */
    this.onBody = options.onBody;
    /** Called at the end of each message with its trailers ([name, value, ...]) or undefined. */
    this.onMessageComplete = options.onMessageComplete;
    if (options.lenient !== undefined) this.setLenientFlags(options.lenient);
    if (options.maxHeaderSize !== undefined) this.setMaxHeaderSize(options.maxHeaderSize);
    if (options.maxChunkExtensionsSize !== undefined) {
      this.setMaxChunkExtensionsSize(options.maxChunkExtensionsSize);
    }
  }

  /** True while the parser is paused (execute() consumes nothing until resume()). */
  get paused() {
    return this.state().paused;
  }

  /** True once a message upgraded the connection (Upgrade, CONNECT, 101, or the HTTP/2 preface). */
  get upgraded() {
    return this.state().upgraded;
  }

  /**
   * Offset, in the buffer of the execute() call that upgraded, of the first byte of the new
   * protocol (execute() returned it too); -1 when not upgraded.
   */
  get upgradeOffset() {
    return this.state().upgradeOffset;
  }
}

HttpParser.REQUEST = 1;
HttpParser.RESPONSE = 2;
HttpParser.BOTH = 0;
HttpParser.SKIP_BODY = SKIP_BODY;
HttpParser.SKIP_BODY_UPGRADE = SKIP_BODY_UPGRADE;
HttpParser.LENIENT = LENIENT;

function httpHeaders(info, statusCode, url, statusMessage, ...headers) {
  const cb = this.onHeadersComplete;
  if (typeof cb !== 'function') return undefined;
  const m = info & 0xff;
  return cb.call(this, {
    method: m === 255 ? null : METHODS[m],
    url,
    versionMajor: (info >>> 8) & 0xff,
    versionMinor: (info >>> 16) & 0xff,
    headers: info & 0x4000000 ? headers[0] : headers,
    upgrade: (info & 0x1000000) !== 0,
    shouldKeepAlive: (info & 0x2000000) !== 0,
    statusCode,
    statusMessage,
  });
}

function httpBody(buf, off, len) {
  const cb = this.onBody;
  if (typeof cb === 'function') cb.call(this, view(buf, off, len));
}

function httpComplete(trailers) {
  const cb = this.onMessageComplete;
  if (typeof cb === 'function') cb.call(this, trailers);
}

// ---------------------------------------------------------------------------------------------
// WebSocket decoder
// ---------------------------------------------------------------------------------------------

/** Opcode numbers (RFC 6455 5.2). */
const OPCODES = Object.freeze({
  CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10,
});

const DECODER_FLAGS = { allowRsv1: 1, allowRsv2: 2, allowRsv3: 4, lenientLength: 8, skipUtf8: 16 };

/**
 * A streaming WebSocket frame decoder.
 *
 * `new Decoder(options)`: `role` 'server' (default: decodes a client's masked frames) or
 * 'client'; limits `maxFramePayload` (default 0 = none), `maxMessageSize` (default 100 MiB,
 * 0 = none), `maxFragments` (default 65536); flags `allowRsv1`, `allowRsv2`, `allowRsv3`,
 * `lenientLength`, `skipUtf8`; `frames: true` for one onFrame call per frame instead of
 * whole messages. Callbacks: `onMessage(data, isBinary, compressed)`, `onPing(payload)`,
 * `onPong(payload)`, `onClose(code, reason)`, `onFrame(frame)` (frame mode).
 *
 * `decode(buffer)` unmasks payload bytes in place in `buffer`, and throws an Error with
 * `code` (e.g. 'WF_WS_ERR_INVALID_UTF8'), `reason`, `closeCode` (the code to send: 1002,
 * 1007, 1009) and `offset` (the stream offset of the offending byte) on a protocol error.
 */
class Decoder extends native.Decoder {
  constructor(options = {}) {
    const role = options.role === undefined || options.role === 'server' ? 0
      : options.role === 'client' ? 1 : -1;
    if (role < 0) throw new TypeError("role must be 'server' or 'client'");
    let flags = 0;
    for (const [name, bit] of Object.entries(DECODER_FLAGS)) if (options[name]) flags |= bit;
    super(
      role,
      options.maxFramePayload ?? 0,
      options.maxMessageSize ?? 100 * 1024 * 1024,
      options.maxFragments ?? 65536,
      flags,
      options.frames ? 1 : 0,
    );
    /** Whole data message: (data: Buffer, isBinary: boolean, compressed: boolean). */
    this.onMessage = options.onMessage;
    /** Ping received: (payload: Buffer). Answer with encodePong(payload). */
    this.onPing = options.onPing;
    /** Pong received: (payload: Buffer). */
    this.onPong = options.onPong;
    /** Close received: (code: number (1005 when absent), reason: Buffer). */
    this.onClose = options.onClose;
    /** Frame mode: ({opcode, fin, rsv1, rsv2, rsv3, masked, payload, closeCode}). */
    this.onFrame = options.onFrame;
  }
}

function wsMessage(buf, off, len, isBinary, compressed) {
  const cb = this.onMessage;
  if (typeof cb === 'function') cb.call(this, view(buf, off, len), isBinary, compressed);
}

function wsControl(opcode, payload, closeCode) {
  if (opcode === 8) {
    const cb = this.onClose;
    if (typeof cb === 'function') cb.call(this, closeCode, payload.subarray(2));
  } else {
    const cb = opcode === 9 ? this.onPing : this.onPong;
    if (typeof cb === 'function') cb.call(this, payload);
  }
}

function wsFrame(bits, buf, off, len, closeCode) {
  const cb = this.onFrame;
  if (typeof cb !== 'function') return;
  cb.call(this, {
    opcode: bits & 0xf,
    fin: (bits & 0x10) !== 0,
    rsv1: (bits & 0x20) !== 0,
    rsv2: (bits & 0x40) !== 0,
    rsv3: (bits & 0x80) !== 0,
    masked: (bits & 0x100) !== 0,
    payload: view(buf, off, len),
    closeCode,
  });
}

native.init({ httpHeaders, httpBody, httpComplete, wsMessage, wsFrame, wsControl });

// ---------------------------------------------------------------------------------------------
// WebSocket encoder
// ---------------------------------------------------------------------------------------------

function opcodeNumber(opcode) {
  if (typeof opcode === 'number') return opcode;
  const n = OPCODES[String(opcode).toUpperCase()];
  if (n === undefined) throw new TypeError(`unknown opcode ${opcode}`);
  return n;
}

/** The masking key: undefined/false (unmasked), true (4 random bytes), or 4 given bytes. */
function maskKey(mask) {
  if (mask === undefined || mask === false || mask === null) return undefined;
  if (mask === true) return randomFillSync(Buffer.allocUnsafe(4));
  return mask;
}

function frameFlags(options) {
  return (options.fin === false ? 0 : 1) | (options.rsv1 ? 2 : 0) | (options.rsv2 ? 4 : 0)
    | (options.rsv3 ? 8 : 0);
}

/**
 * A whole frame as a new Buffer. `opcode`: a number or 'text', 'binary', 'continuation',
 * 'close', 'ping', 'pong'; `payload`: string (UTF-8) or bytes; options: `fin` (default true),
 * `rsv1`, `mask` (true for a random key, or 4 bytes). Throws (code WF_WS_ERR_INVALID_ARGUMENT)
 * for a reserved opcode, a fragmented or over-long control frame, RSV2/RSV3.
 */
function encodeFrame(opcode, payload, options = {}) {
  return native.encodeFrame(frameFlags(options), opcodeNumber(opcode), toBytes(payload, 'payload'),
    maskKey(options.mask));
}

/**
 * Only the frame header (2 to 14 bytes) for a payload of `length` bytes; with a `mask` the
 * caller masks the payload itself (e.g. with mask()). Options as encodeFrame, plus `rsv2`,
 * `rsv3`.
 */
function encodeHeader(opcode, length, options = {}) {
  return native.encodeHeader(frameFlags(options), opcodeNumber(opcode), length,
    maskKey(options.mask));
}

/**
 * A close frame: `code` (omitted: an empty close payload), `reason` (UTF-8, at most 123
 * bytes), options `mask`. Throws for a code that may not be sent or a reason too long.
 */
function encodeClose(code, reason, options = {}) {
  return native.encodeClose(code ?? 0, toBytes(reason, 'reason'), maskKey(options.mask));
}

/** A ping frame carrying at most 125 bytes of `payload`; options `mask`. */
function encodePing(payload, options = {}) {
  return native.encodePing(toBytes(payload, 'payload'), maskKey(options.mask));
}

/** A pong frame (echo the ping's payload); options `mask`. */
function encodePong(payload, options = {}) {
  return native.encodePong(toBytes(payload, 'payload'), maskKey(options.mask));
}

// ---------------------------------------------------------------------------------------------
// Handshake
// ---------------------------------------------------------------------------------------------

/** Headers as a flat [name, value, ...] array, from such an array or a {name: value | value[]} object. */
function flatHeaders(headers) {
  if (headers === undefined || headers === null) return [];
  if (Array.isArray(headers)) return headers.map(String);
  const flat = [];
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) flat.push(name, String(v));
    else if (value !== undefined) flat.push(name, String(value));
  }
  return flat;
}

function listOf(v) {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC 6455 GUID)). */
function acceptKey(key) {
  return native.acceptKey(String(key));
}

/**
 * Validates an upgrade request and writes the answer.
 *
 * `request`: {method, versionMajor, versionMinor, headers} (the head HttpParser gives);
 * options: `protocols` (supported subprotocols in order of preference, array or
 * comma-separated), `permessageDeflate` (accept an offer). Returns {ok, status (101, 400 or
 * 426), error (null or e.g. 'WF_WS_ERR_HANDSHAKE_KEY'), reason, acceptKey, protocol, deflate,
 * deflateParams, response (Buffer: the 101 or the refusal, to write as is)}.
 */
function serverHandshake(request, options = {}) {
  return native.serverHandshake(String(request.method ?? 'GET'), request.versionMajor ?? 1,
    request.versionMinor ?? 1, flatHeaders(request.headers), listOf(options.protocols),
    options.permessageDeflate ? 1 : 0);
}

/**
 * A client's opening handshake.
 *
 * options: `host` (required), `path` (default '/'), `protocols`, `extensions` (offer, e.g.
 * 'permessage-deflate'), `headers` (extra headers, object or flat array), `nonce` (16 bytes;
 * random by default). Returns {request: Buffer to send, key: the Sec-WebSocket-Key,
 * validate(statusCode, headers) -> the result shape of serverHandshake without acceptKey
 * and response}.
 */
function clientHandshake(options) {
  const host = String(options.host ?? '');
  const path = String(options.path ?? '/');
  const protocols = listOf(options.protocols);
  const extensions = listOf(options.extensions);
  const flat = flatHeaders(options.headers);
  let extra = '';
  for (let i = 0; i < flat.length; i += 2) extra += `${flat[i]}: ${flat[i + 1]}\r\n`;
  const nonce = options.nonce ? toBytes(options.nonce, 'nonce') : randomFillSync(Buffer.alloc(16));
  const request = native.clientRequest(host, path, protocols, extensions, extra, nonce);
  return {
    request,
    key: Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('base64'),
    validate(statusCode, headers) {
      return native.clientValidate(host, path, protocols, extensions, extra, nonce, statusCode,
        flatHeaders(headers));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

module.exports = {
  HttpParser,
  LENIENT,
  METHODS,
  SKIP_BODY,
  SKIP_BODY_UPGRADE,
  statusText: native.statusText,
  parseUrl: native.parseUrl,
  Decoder,
  OPCODES,
  encodeFrame,
  encodeHeader,
  encodeClose,
  encodePing,
  encodePong,
  closeCodeInfo: native.closeCodeInfo,
  acceptKey,
  serverHandshake,
  clientHandshake,
  /** bufferutil's mask(source, mask, output, offset, length). */
  mask: native.mask,
  /** bufferutil's unmask(buffer, mask). */
  unmask: native.unmask,
};
