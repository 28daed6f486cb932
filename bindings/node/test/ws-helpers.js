'use strict';
/** Test-only frame builders (reference code, independent of the addon). */

const KEY = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/** XOR reference: out[i] = src[i] ^ key[(i + start) & 3]. */
function xor(src, key, start = 0) {
  const out = Buffer.alloc(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] ^ key[(i + start) & 3];
  return out;
}

/**
 * A raw frame: first byte `b0` (FIN/RSV/opcode), `payload` (Buffer or string), masked with
 * `key` (null: unmasked). `len16`/`len64` force a longer length encoding than needed.
 */
function rawFrame(b0, payload, key = KEY, { len16 = false, len64 = false } = {}) {
  const p = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const parts = [];
  const m = key ? 0x80 : 0;
  if (len64 || p.length > 0xffff) {
    const h = Buffer.alloc(10);
    h[0] = b0;
    h[1] = m | 127;
    h.writeBigUInt64BE(BigInt(p.length), 2);
    parts.push(h);
  } else if (len16 || p.length > 125) {
    parts.push(Buffer.from([b0, m | 126, p.length >> 8, p.length & 0xff]));
  } else {
    parts.push(Buffer.from([b0, m | p.length]));
  }
  if (key) {
    parts.push(Buffer.from(key));
    parts.push(xor(p, key));
  } else {
    parts.push(p);
  }
  return Buffer.concat(parts);
}

module.exports = { KEY, xor, rawFrame };
