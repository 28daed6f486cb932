'use strict';
/**
 * wireframe/multipart for Node.js: a streaming multipart/form-data parser and the small wire
 * formats of web apps (Content-Type boundary, Content-Disposition, cookies, query strings,
 * Basic credentials, Set-Cookie), over the wireframe core through src/form_node.c.
 *
 * The parser crosses into C once per chunk (or per 256 events): the core records the events
 * as rows and this file calls the user's callbacks. Data and header pieces are subarrays of
 * the chunk given to write() (no copy), except a piece of data that had looked like the start
 * of a delimiter at the end of the previous chunk, which is a slice of the delimiter.
 */
const native = require('./build/wireframe_form.node');

const PAUSED = 21; // WF_FORM_ERR_PAUSED
const ROWS = 256;

/** Bad input: `code` is the error's name (e.g. 'WF_FORM_ERR_BARE_LF'), `offset` the byte. */
class FormError extends Error {
  constructor(errno, offset) {
    const code = native.errName(errno);
    super(`${native.errDescription(errno)} (${code}) at byte ${offset}`);
    this.name = 'FormError';
    this.code = code;
    this.errno = errno;
    this.offset = offset;
  }
}

const toBuffer = (v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.isBuffer(v) ? v : Buffer.from(v));

/** Row kind -> the callback that wants it (kinds without one are not recorded). */
const KIND_CALLBACKS = [
  [1, 'onPartBegin'], [2, 'onHeaderField'], [3, 'onHeaderValue'], [4, 'onHeaderEnd'],
  [5, 'onHeadersComplete'], [6, 'onPartData'], [7, 'onPartEnd'], [8, 'onEnd'],
];

const CALLBACKS = [
  'onPartBegin', 'onHeaderField', 'onHeaderValue', 'onHeaderEnd', 'onHeadersComplete',
  'onPartData', 'onPartEnd', 'onEnd',
];

/**
 * Streaming multipart/form-data parser. `boundary` is the Content-Type's boundary parameter
 * (see parseBoundary); `options` holds the callbacks (any may be missing) and the limits:
 * maxParts (1000), maxHeaderSize (16384 per part), maxPartSize (0: none), maxPreamble (1024),
 * maxEpilogue (1024). write() throws a FormError on bad input; end() throws when the body
 * ended before the close delimiter.
 */
class MultipartParser {
  constructor(boundary, options = {}) {
    const b = toBuffer(boundary);
    this._state = Buffer.alloc(native.mpSize());
    const rc = native.mpInit(this._state, b);
    if (rc !== 0) throw new FormError(rc, 0);
    native.mpSetLimits(
      this._state,
      options.maxParts ?? 1000,
      options.maxHeaderSize ?? 16384,
      options.maxPartSize ?? 0,
      options.maxPreamble ?? 1024,
      options.maxEpilogue ?? 1024,
    );
    for (const name of CALLBACKS) this[name] = options[name];
    this._delimiter = Buffer.concat([Buffer.from('\r\n--'), b]);
    this._rows = new Uint32Array(3 + 3 * ROWS);
  }

  /** Parses the next chunk of the body (a Buffer, typed array or string). */
  write(chunk) {
    const data = toBuffer(chunk);
    const rows = this._rows;
    let skip = 0;
    for (const [kind, name] of KIND_CALLBACKS) if (!this[name]) skip |= 1 << kind;
    let pos = 0;
    for (;;) {
      native.mpExecute(this._state, data, pos, rows, skip);
      const count = rows[1];
      for (let i = 0, r = 3; i < count; i++, r += 3) {
        const kind = rows[r];
        const off = rows[r + 1];
        const len = rows[r + 2];
        switch (kind) {
          case 6: if (this.onPartData) this.onPartData(data.subarray(off, off + len)); break;
          case 9: if (this.onPartData) this.onPartData(this._delimiter.subarray(0, len)); break;
          case 2: if (this.onHeaderField) this.onHeaderField(data.subarray(off, off + len)); break;
          case 3: if (this.onHeaderValue) this.onHeaderValue(data.subarray(off, off + len)); break;
          case 1: if (this.onPartBegin) this.onPartBegin(); break;
          case 4: if (this.onHeaderEnd) this.onHeaderEnd(); break;
          case 5: if (this.onHeadersComplete) this.onHeadersComplete(); break;
          case 7: if (this.onPartEnd) this.onPartEnd(); break;
          case 8: if (this.onEnd) this.onEnd(); break;
          default: break;
        }
      }
      pos += rows[0];
      const err = rows[2];
      if (err === 0) return data.length;
      if (err !== PAUSED) throw new FormError(err, native.mpErrorOffset(this._state));
    }
  }

  /** Signals the end of the body; throws a FormError if it was incomplete. */
  end() {
    const rc = native.mpFinish(this._state);
    if (rc !== 0) throw new FormError(rc, native.mpErrorOffset(this._state));
  }

  /** Parts begun so far. */
  get parts() {
    return native.mpParts(this._state);
  }
}

const scratch = new Float64Array(64);

function check(out) {
  if (out[0] !== 0) throw new FormError(out[0], out[1]);
}

/** The boundary (a Buffer) of a multipart/... Content-Type value. */
function parseBoundary(contentType) {
  const v = toBuffer(contentType);
  native.boundary(v, scratch);
  check(scratch);
  return v.subarray(scratch[2], scratch[2] + scratch[3]);
}

/** Decodes %XX (and + as space unless plusAsSpace is false) into a new Buffer. */
function percentDecode(input, plusAsSpace = true) {
  const buf = Buffer.from(toBuffer(input));
  native.percentDecode(buf, plusAsSpace, scratch);
  check(scratch);
  return buf.subarray(0, scratch[2]);
}

function unquote(v, off, len, escaped) {
  const b = Buffer.from(v.subarray(off, off + len));
  return escaped ? b.subarray(0, native.unescapeQuoted(b)) : b;
}

/**
 * A part's Content-Disposition: { type, name, filename, filenameStar, charset } with Buffers
 * (null when absent); filenameStar is the RFC 8187 value, percent-decoded.
 */
function parseContentDisposition(value) {
  const v = toBuffer(value);
  const o = scratch;
  native.disposition(v, o);
  check(o);
  return {
    type: v.subarray(o[2], o[2] + o[3]),
    name: o[14] ? unquote(v, o[4], o[5], o[17]) : null,
    filename: o[15] ? unquote(v, o[6], o[7], o[18]) : null,
    filenameStar: o[16] ? percentDecode(v.subarray(o[12], o[12] + o[13]), false) : null,
    charset: o[16] ? v.subarray(o[8], o[8] + o[9]) : null,
  };
}

/** [name, value] string pairs of a query string or urlencoded body (UTF-8), in order. */
function parseQuery(query) {
  const v = toBuffer(query);
  let cap = 64;
  let rows = new Float64Array(5 * cap);
  let n = native.queryPairs(v, rows);
  while (n === cap) {
    cap *= 4;
    rows = new Float64Array(5 * cap);
    n = native.queryPairs(v, rows);
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = 5 * i;
    const dec = (off, len) => {
      try {
        return percentDecode(v.subarray(off, off + len)).toString('utf8');
      } catch (e) {
        throw new FormError(e.errno, off + e.offset);
      }
    };
    out.push([dec(rows[r], rows[r + 1]), dec(rows[r + 2], rows[r + 3])]);
  }
  return out;
}

/** [name, value] string pairs (Latin-1) of a Cookie header value, in order. */
function parseCookies(header) {
  const v = toBuffer(header);
  let cap = 64;
  let rows = new Float64Array(2 + 4 * cap);
  let n = native.cookies(v, rows);
  while (n === cap) {
    cap *= 4;
    rows = new Float64Array(2 + 4 * cap);
    n = native.cookies(v, rows);
  }
  if (n < 0) throw new FormError(rows[0], rows[1]);
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = 2 + 4 * i;
    out.push([v.latin1Slice(rows[r], rows[r] + rows[r + 1]), v.latin1Slice(rows[r + 2], rows[r + 2] + rows[r + 3])]);
  }
  return out;
}

/** { user, password } (Buffers) from an `Authorization: Basic` value. */
function decodeBasicAuth(value) {
  const v = toBuffer(value);
  const out = Buffer.alloc(Math.floor(v.length / 4) * 3 + 3);
  native.basicAuth(v, out, scratch);
  check(scratch);
  return {
    user: out.subarray(scratch[2], scratch[2] + scratch[3]),
    password: out.subarray(scratch[4], scratch[4] + scratch[5]),
  };
}

const SAME_SITE = { strict: 1, lax: 2, none: 3 };

/**
 * The value of a Set-Cookie header, after checking every part. options: domain, path, maxAge
 * (seconds), expires (a Date or seconds since the epoch), secure, httpOnly, partitioned,
 * sameSite ('Strict' | 'Lax' | 'None').
 */
function serializeSetCookie(name, value, options = {}) {
  const n = toBuffer(name);
  const val = toBuffer(value);
  const domain = options.domain == null ? null : toBuffer(options.domain);
  const path = options.path == null ? null : toBuffer(options.path);
  let sameSite = 0;
  if (options.sameSite != null) {
    sameSite = SAME_SITE[String(options.sameSite).toLowerCase()];
    if (!sameSite) throw new TypeError(`sameSite must be Strict, Lax or None, not ${options.sameSite}`);
  }
  const expires = options.expires instanceof Date ? Math.floor(options.expires.getTime() / 1000) : options.expires;
  const nums = new Float64Array([
    options.maxAge ?? 0, expires ?? 0, options.maxAge != null ? 1 : 0, expires != null ? 1 : 0,
    options.secure ? 1 : 0, options.httpOnly ? 1 : 0, options.partitioned ? 1 : 0, sameSite,
  ]);
  const out = Buffer.alloc(256 + n.length + val.length + (domain ? domain.length : 0) + (path ? path.length : 0));
  native.setCookie(n, val, domain, path, nums, out, scratch);
  check(scratch);
  return out.latin1Slice(0, scratch[2]);
}

module.exports = {
  FormError,
  MultipartParser,
  parseBoundary,
  parseContentDisposition,
  parseQuery,
  percentDecode,
  parseCookies,
  decodeBasicAuth,
  serializeSetCookie,
};
