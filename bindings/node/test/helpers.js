'use strict';
/** Shared helpers of the node:test suites. */
const { HttpParser } = require('..');

/**
 * Parses `chunks` (Buffers, in order) with a new HttpParser of `type` and returns
 * {events, error, consumed}: events are ['headers', head] / ['body', Buffer] /
 * ['complete', trailers], adjacent body pieces merged (so the log does not depend on how
 * the input was split); error is {code, reason, offset} with the offset counted from the
 * start of the whole input; `finish` calls finish() at the end.
 */
function collect(type, chunks, { finish = false, options = {}, onHead } = {}) {
  const events = [];
  const parser = new HttpParser(type, {
    ...options,
    onHeadersComplete(head) {
      events.push(['headers', head]);
      return onHead ? onHead(head) : undefined;
    },
    onBody(chunk) {
      const last = events[events.length - 1];
      if (last && last[0] === 'body') last[1] = Buffer.concat([last[1], chunk]);
      else events.push(['body', Buffer.from(chunk)]);
    },
    onMessageComplete(trailers) {
      events.push(['complete', trailers]);
    },
  });
  let consumed = 0;
  let error = null;
  for (const chunk of chunks) {
    try {
      const n = parser.execute(chunk);
      consumed += n;
      if (n !== chunk.length) break; // paused or upgraded
    } catch (e) {
      error = { code: e.code, reason: e.reason, offset: consumed + e.offset };
      break;
    }
  }
  if (finish && !error) {
    try {
      parser.finish();
    } catch (e) {
      error = { code: e.code, reason: e.reason, offset: 'finish' };
    }
  }
  return { events, error, consumed, parser };
}

/** Every way to cut `buf` into two pieces (including an empty first or last piece). */
function* splits2(buf) {
  for (let i = 0; i <= buf.length; i++) yield [buf.subarray(0, i), buf.subarray(i)];
}

/** Every way to cut `buf` into three non-empty pieces... and some empty ones (i <= j). */
function* splits3(buf) {
  for (let i = 0; i <= buf.length; i++) {
    for (let j = i; j <= buf.length; j++) {
      yield [buf.subarray(0, i), buf.subarray(i, j), buf.subarray(j)];
    }
  }
}

/** Copies each piece into its own fresh Buffer (so no piece can see its neighbours' bytes). */
function isolate(pieces) {
  return pieces.map((p) => Buffer.from(p));
}

/** Resolves after `ms`, or rejects `promise`'s waiter with a timeout error. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

module.exports = { collect, splits2, splits3, isolate, withTimeout };
