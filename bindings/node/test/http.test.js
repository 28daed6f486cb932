'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const wf = require('..');
const { HttpParser, LENIENT, SKIP_BODY } = wf;
const { collect, splits2, splits3, isolate } = require('./helpers');

const b = (s) => Buffer.from(s, 'latin1');

function head(fields) {
  return {
    method: null,
    url: '',
    versionMajor: 1,
    versionMinor: 1,
    headers: [],
    upgrade: false,
    shouldKeepAlive: true,
    statusCode: 0,
    statusMessage: '',
    ...fields,
  };
}

// Raw messages with the exact events they must produce.
const REQUESTS = [
  {
    name: 'GET with headers (http-parser bench request shape)',
    raw: 'GET /favicon.ico HTTP/1.1\r\nHost: 0.0.0.0=5000\r\nUser-Agent: Mozilla/5.0\r\n'
      + 'Accept: */*\r\nKeep-Alive: 300\r\nConnection: keep-alive\r\n\r\n',
    events: [
      ['headers', head({
        method: 'GET',
        url: '/favicon.ico',
        headers: ['Host', '0.0.0.0=5000', 'User-Agent', 'Mozilla/5.0', 'Accept', '*/*',
          'Keep-Alive', '300', 'Connection', 'keep-alive'],
      })],
      ['complete', undefined],
    ],
  },
  {
    name: 'POST with Content-Length body and an empty header value',
    raw: 'POST /submit?x=1#f HTTP/1.1\r\nX-Empty:\r\nContent-Length: 11\r\n\r\nhello world',
    events: [
      ['headers', head({
        method: 'POST',
        url: '/submit?x=1#f',
        headers: ['X-Empty', '', 'Content-Length', '11'],
      })],
      ['body', b('hello world')],
      ['complete', undefined],
    ],
  },
  {
    name: 'chunked body with an extension and trailers',
    raw: 'PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n'
      + '6\r\n world\r\n0\r\nX-Trailer: t1\r\nX-Other: t2\r\n\r\n',
    events: [
      ['headers', head({ method: 'PUT', url: '/c', headers: ['Transfer-Encoding', 'chunked'] })],
      ['body', b('hello world')],
      ['complete', ['X-Trailer', 't1', 'X-Other', 't2']],
    ],
  },
  {
    name: 'HTTP/1.0 without keep-alive, latin1 header bytes',
    raw: 'OPTIONS * HTTP/1.0\r\nX-Latin: caf\xe9\r\n\r\n',
    events: [
      ['headers', head({
        method: 'OPTIONS',
        url: '*',
        versionMinor: 0,
        headers: ['X-Latin', 'caf\xe9'],
        shouldKeepAlive: false,
      })],
      ['complete', undefined],
    ],
  },
  {
    name: 'HTTP/1.0 with Connection: keep-alive; a WebDAV method',
    raw: 'PROPFIND /dav HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
    events: [
      ['headers', head({
        method: 'PROPFIND',
        url: '/dav',
        versionMinor: 0,
        headers: ['Connection', 'keep-alive', 'Content-Length', '0'],
      })],
      ['complete', undefined],
    ],
  },
  {
    name: 'Connection: close on HTTP/1.1; Expect: 100-continue is visible',
    raw: 'POST /up HTTP/1.1\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok',
    events: [
      ['headers', head({
        method: 'POST',
        url: '/up',
        headers: ['Expect', '100-continue', 'Connection', 'close', 'Content-Length', '2'],
        shouldKeepAlive: false,
      })],
      ['body', b('ok')],
      ['complete', undefined],
    ],
  },
];

const RESPONSES = [
  {
    name: '200 with Content-Length',
    raw: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello',
    events: [
      ['headers', head({
        statusCode: 200, statusMessage: 'OK', headers: ['Content-Length', '5', 'Server', 'x'],
      })],
      ['body', b('hello')],
      ['complete', undefined],
    ],
  },
  {
    name: '204 has no body',
    raw: 'HTTP/1.1 204 No Content\r\n\r\n',
    events: [
      ['headers', head({ statusCode: 204, statusMessage: 'No Content' })],
      ['complete', undefined],
    ],
  },
  {
    name: '301 chunked',
    raw: 'HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nTransfer-Encoding: chunked\r\n\r\n'
      + '3\r\nabc\r\n0\r\n\r\n',
    events: [
      ['headers', head({
        statusCode: 301,
        statusMessage: 'Moved Permanently',
        headers: ['Location', '/x', 'Transfer-Encoding', 'chunked'],
      })],
      ['body', b('abc')],
      ['complete', undefined],
    ],
  },
  {
    name: '100 Continue then 200 (1xx has no body)',
    raw: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz',
    events: [
      ['headers', head({ statusCode: 100, statusMessage: 'Continue' })],
      ['complete', undefined],
      ['headers', head({ statusCode: 200, statusMessage: 'OK', headers: ['Content-Length', '1'] })],
      ['body', b('z')],
      ['complete', undefined],
    ],
  },
];

// Each rejected input with the exact error the core reports (code and offset in the input).
const ERRORS = [
  ['request', 'XGET / HTTP/1.1\r\n\r\n', 'HPE_INVALID_METHOD', 4],
  ['request', 'GET /\x01 HTTP/1.1\r\n\r\n', 'HPE_INVALID_URL', 5],
  ['request', 'GET  / HTTP/1.1\r\n\r\n', 'HPE_INVALID_URL', 4],
  ['request', 'GET /a b HTTP/1.1\r\n\r\n', 'HPE_INVALID_CONSTANT', 7],
  ['request', 'GET / HTTQ/1.1\r\n\r\n', 'HPE_INVALID_CONSTANT', 10],
  ['request', 'GET / HTTP/1.1x\r\n\r\n', 'HPE_INVALID_VERSION', 14],
  ['request', 'GET / HTTP/3.1\r\n\r\n', 'HPE_INVALID_VERSION', 14],
  ['request', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', 20],
  ['request', 'GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', 23],
  ['request', 'GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', 25],
  ['request', 'GET / HTTP/1.1\nHost: a\r\n\r\n', 'HPE_CR_EXPECTED', 14],
  ['request', 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n', 'HPE_LF_EXPECTED', 24],
  ['request', 'POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n', 'HPE_INVALID_CONTENT_LENGTH', 34],
  ['request', 'POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n',
    'HPE_INVALID_CONTENT_LENGTH', 52],
  ['request', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx',
    'HPE_UNEXPECTED_CONTENT_LENGTH', 55],
  ['request', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'HPE_UNEXPECTED_CONTENT_LENGTH', 64],
  ['request', 'GET /\xce\xb4 HTTP/1.1\r\n\r\n', 'HPE_INVALID_URL', 5],
  ['request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
    'HPE_INVALID_TRANSFER_ENCODING', 53],
  ['request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HPE_INVALID_CHUNK_SIZE', 47],
  ['request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n',
    'HPE_INVALID_CHUNK_SIZE', 63],
  ['request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n',
    'HPE_INVALID_CHUNK_SIZE', 48],
  ['request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n', 'HPE_CR_EXPECTED', 53],
  ['request', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n',
    'HPE_CLOSED_CONNECTION', 37],
  ['response', 'HTTP/1.1 2x0 OK\r\n\r\n', 'HPE_INVALID_STATUS', 10],
  ['response', 'HTTP/1.1 20 OK\r\n\r\n', 'HPE_INVALID_STATUS', 11],
  ['response', 'HTTX/1.1 200 OK\r\n\r\n', 'HPE_INVALID_CONSTANT', 4],
];

function checkVector(type, v, finish = false) {
  const raw = b(v.raw);
  const whole = collect(type, [raw], { finish });
  assert.equal(whole.error, null);
  assert.deepEqual(whole.events, v.events);
  for (const pieces of splits2(raw)) {
    const r = collect(type, isolate(pieces), { finish });
    assert.equal(r.error, null, `split at ${pieces[0].length}`);
    assert.deepEqual(r.events, v.events, `split at ${pieces[0].length}`);
  }
}

for (const v of REQUESTS) {
  test(`request: ${v.name}, whole and split at every byte`, () => checkVector('request', v));
}
for (const v of RESPONSES) {
  test(`response: ${v.name}, whole and split at every byte`, () => checkVector('response', v));
}

test('pipelined requests in one buffer, and split in three at every pair of offsets', () => {
  const vs = [REQUESTS[0], REQUESTS[1], REQUESTS[2]];
  const raw = b(vs.map((v) => v.raw).join(''));
  const expected = vs.flatMap((v) => v.events);
  assert.deepEqual(collect('request', [raw]).events, expected);
  for (const pieces of splits2(raw)) assert.deepEqual(collect('request', isolate(pieces)).events, expected);
  // Three-way splits of a smaller pipeline (two short requests) keep the run short.
  const small = b('GET /a HTTP/1.1\r\nA: 1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi');
  const smallEvents = collect('request', [small]).events;
  assert.deepEqual(smallEvents, [
    ['headers', head({ method: 'GET', url: '/a', headers: ['A', '1'] })],
    ['complete', undefined],
    ['headers', head({ method: 'POST', url: '/b', headers: ['Content-Length', '2'] })],
    ['body', b('hi')],
    ['complete', undefined],
  ]);
  let n = 0;
  for (const pieces of splits3(small)) {
    assert.deepEqual(collect('request', isolate(pieces)).events, smallEvents);
    n++;
  }
  assert.equal(n, ((small.length + 1) * (small.length + 2)) / 2);
});

test('a response read until EOF completes at finish(), at every split', () => {
  const raw = b('HTTP/1.0 200 OK\r\nServer: s\r\n\r\nuntil the end');
  const expected = [
    ['headers', head({
      versionMinor: 0, statusCode: 200, statusMessage: 'OK', headers: ['Server', 's'], shouldKeepAlive: false,
    })],
    ['body', b('until the end')],
    ['complete', undefined],
  ];
  const r = collect('response', [raw]);
  assert.deepEqual(r.events, expected.slice(0, 2), 'no completion before EOF');
  assert.equal(r.parser.state().messageNeedsEof, true);
  for (const pieces of splits2(raw)) {
    assert.deepEqual(collect('response', isolate(pieces), { finish: true }).events, expected);
  }
});

test('finish() inside a message throws HPE_INVALID_EOF_STATE (no offset)', () => {
  const p = new HttpParser('response');
  assert.equal(p.execute(b('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab')), 40);
  assert.throws(() => p.finish(), (e) => {
    assert.equal(e.code, 'HPE_INVALID_EOF_STATE');
    assert.equal(typeof e.reason, 'string');
    assert.equal('offset' in e, false);
    return true;
  });
  const q = new HttpParser('request');
  q.execute(b('GET / HTTP/1.1\r\n\r\n'));
  q.finish(); // between messages: fine
});

for (const [type, raw, code, offset] of ERRORS) {
  test(`error ${code} for ${JSON.stringify(raw)}: same code and offset at every split`, () => {
    const input = b(raw);
    const whole = collect(type, [input]);
    assert.deepEqual([whole.error.code, whole.error.offset], [code, offset]);
    assert.ok(whole.error.reason.length > 0);
    for (const pieces of splits2(input)) {
      const r = collect(type, isolate(pieces));
      assert.deepEqual([r.error.code, r.error.offset], [code, offset], `split at ${pieces[0].length}`);
    }
  });
}

test('a parse error is an Error with code, reason, offset and a message; it is sticky', () => {
  const p = new HttpParser('request');
  let err;
  try {
    p.execute(b('GET / HTTP/1.1\r\nBad Header: x\r\n\r\n'));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'HPE_INVALID_HEADER_TOKEN');
  assert.equal(err.offset, 19);
  assert.equal(err.message, `Parse Error: ${err.reason}`);
  assert.equal(p.state().code, 'HPE_INVALID_HEADER_TOKEN');
  assert.throws(() => p.execute(b('GET / HTTP/1.1\r\n\r\n')), { code: 'HPE_INVALID_HEADER_TOKEN', offset: 0 });
  p.reset();
  const heads = [];
  p.onHeadersComplete = (h) => heads.push(h.url);
  assert.equal(p.execute(b('GET /again HTTP/1.1\r\n\r\n')), 23);
  assert.deepEqual(heads, ['/again']);
});

test('maxHeaderSize: HPE_HEADER_OVERFLOW above the limit, accepted at it', () => {
  const raw = b(`GET / HTTP/1.1\r\nX: ${'a'.repeat(100)}\r\n\r\n`);
  const over = collect('request', [raw], { options: { maxHeaderSize: 64 } });
  assert.equal(over.error.code, 'HPE_HEADER_OVERFLOW');
  for (const pieces of splits2(raw)) {
    const r = collect('request', isolate(pieces), { options: { maxHeaderSize: 64 } });
    assert.equal(r.error.code, 'HPE_HEADER_OVERFLOW');
    assert.equal(r.error.offset, over.error.offset);
  }
  const ok = collect('request', [raw], { options: { maxHeaderSize: raw.length } });
  assert.equal(ok.error, null);
  const p = new HttpParser('request');
  p.setMaxHeaderSize(32);
  assert.throws(() => p.execute(raw), { code: 'HPE_HEADER_OVERFLOW' });
  // The default is 80 KiB.
  const big = b(`GET / HTTP/1.1\r\nX: ${'a'.repeat(81 * 1024)}\r\n\r\n`);
  assert.throws(() => new HttpParser('request').execute(big), { code: 'HPE_HEADER_OVERFLOW' });
});

test('chunk extensions limit: HPE_CHUNK_EXTENSIONS_OVERFLOW', () => {
  const raw = b(`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(40)}=v\r\nx\r\n0\r\n\r\n`);
  assert.equal(collect('request', [raw]).error, null);
  const r = collect('request', [raw], { options: { maxChunkExtensionsSize: 16 } });
  assert.equal(r.error.code, 'HPE_CHUNK_EXTENSIONS_OVERFLOW');
});

// Each leniency flag turns one rejected input into an accepted one.
const LENIENCY = [
  ['HEADERS', 'request', 'GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', ['X', 'a\x01b']],
  ['OBS_FOLD', 'request', 'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', null],
  ['SPACE_BEFORE_COLON', 'request', 'GET / HTTP/1.1\r\nX : v\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN', ['X', 'v']],
  ['CHUNKED_LENGTH', 'request',
    'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'HPE_UNEXPECTED_CONTENT_LENGTH', ['Content-Length', '3', 'Transfer-Encoding', 'chunked']],
  ['DUPLICATE_CONTENT_LENGTH', 'request',
    'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx',
    'HPE_UNEXPECTED_CONTENT_LENGTH', ['Content-Length', '1', 'Content-Length', '1']],
  ['OPTIONAL_CR_BEFORE_LF', 'request', 'GET / HTTP/1.1\nX: v\n\n', 'HPE_CR_EXPECTED', ['X', 'v']],
  ['SPACES_AFTER_CHUNK_SIZE', 'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n',
    'HPE_INVALID_CHUNK_SIZE', ['Transfer-Encoding', 'chunked']],
  ['TRANSFER_ENCODING', 'request', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n',
    'HPE_INVALID_TRANSFER_ENCODING', ['Transfer-Encoding', 'gzip']],
  ['VERSION', 'request', 'GET / HTTP/3.1\r\n\r\n', 'HPE_INVALID_VERSION', []],
  ['KEEP_ALIVE', 'request', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n',
    'HPE_CLOSED_CONNECTION', ['Connection', 'close']],
  ['DATA_AFTER_CLOSE', 'request', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n',
    'HPE_CLOSED_CONNECTION', ['Connection', 'close']],
  ['HEADER_VALUE_RELAXED', 'request', 'GET / HTTP/1.1\r\nX: a\x0bb\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN',
    ['X', 'a\x0bb']],
  ['URL_NON_ASCII', 'request', 'GET /\xce\xb4 HTTP/1.1\r\n\r\n', 'HPE_INVALID_URL', []],
];

test('LENIENT.DATA_AFTER_CLOSE discards what follows a closing message; KEEP_ALIVE parses it', () => {
  const raw = b('GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n');
  const discard = collect('request', [raw], { options: { lenient: LENIENT.DATA_AFTER_CLOSE } });
  assert.equal(discard.error, null);
  assert.equal(discard.consumed, raw.length);
  assert.deepEqual(discard.events.filter((e) => e[0] === 'headers').map((e) => e[1].url), ['/']);
  const parse = collect('request', [raw], { options: { lenient: LENIENT.KEEP_ALIVE } });
  assert.deepEqual(parse.events.filter((e) => e[0] === 'headers').map((e) => e[1].url), ['/', '/smuggled']);
});

for (const [flag, type, raw, strictCode, firstHeaders] of LENIENCY) {
  test(`LENIENT.${flag} accepts what strict parsing rejects with ${strictCode}`, () => {
    const input = b(raw);
    assert.equal(collect(type, [input]).error.code, strictCode);
    const r = collect(type, [input], { options: { lenient: LENIENT[flag] } });
    assert.equal(r.error, null);
    const heads = r.events.filter((e) => e[0] === 'headers');
    assert.ok(heads.length >= 1);
    if (firstHeaders) assert.deepEqual(heads[0][1].headers, firstHeaders);
    const p = new HttpParser(type);
    p.setLenientFlags(LENIENT[flag]);
    assert.equal(p.execute(input) > 0, true);
  });
}

test('setLenientFlags rejects unknown bits; constructor rejects bad types', () => {
  const p = new HttpParser('request');
  assert.throws(() => p.setLenientFlags(0x8000), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => p.setLenientFlags('x'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => p.setMaxHeaderSize(-1), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => new HttpParser('bogus'), TypeError);
  assert.throws(() => p.execute('GET / HTTP/1.1\r\n\r\n'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => p.execute(new Uint16Array(4)), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => p.execute(), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => HttpParser.prototype.execute.call({}, b('x')), TypeError);
});

test('a Uint8Array input gives Uint8Array body views of the same memory', () => {
  const raw = new Uint8Array(b('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'));
  const bodies = [];
  const p = new HttpParser('request', { onBody: (c) => bodies.push(c) });
  p.execute(raw);
  assert.equal(bodies.length, 1);
  assert.equal(bodies[0].buffer, raw.buffer, 'a view, not a copy');
  assert.equal(bodies[0].byteOffset, raw.length - 3);
  assert.deepEqual([...bodies[0]], [97, 98, 99]);
});

test('the response to HEAD: onHeadersComplete returns SKIP_BODY (or true)', () => {
  const raw = b('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  for (const answer of [SKIP_BODY, true]) {
    let first = true;
    const r = collect('response', [raw], {
      onHead: () => {
        const skip = first;
        first = false;
        return skip ? answer : undefined;
      },
    });
    assert.equal(r.error, null);
    assert.deepEqual(r.events.map((e) => e[0] === 'headers' ? e[1].statusCode : e[0]),
      [200, 'complete', 404, 'complete']);
  }
});

test('upgrade: execute returns the offset of the upgraded bytes; nothing more is parsed', () => {
  const headPart = 'GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
  const raw = b(`${headPart}\x81\x00GET / HTTP/1.1\r\n\r\n`);
  for (const pieces of splits2(raw)) {
    const r = collect('request', isolate(pieces));
    assert.equal(r.error, null);
    assert.equal(r.consumed, headPart.length, `split at ${pieces[0].length}`);
    assert.equal(r.events.length, 2);
    assert.equal(r.events[0][1].upgrade, true);
    assert.deepEqual(r.events[0][1].headers, ['Host', 'h', 'Upgrade', 'websocket', 'Connection', 'Upgrade']);
    assert.equal(r.parser.upgraded, true);
  }
  const p = new HttpParser('request');
  assert.equal(p.upgradeOffset, -1);
  assert.equal(p.execute(raw), headPart.length);
  assert.equal(p.upgradeOffset, headPart.length);
  assert.equal(p.state().code, 'HPE_PAUSED_UPGRADE');
  assert.equal(p.execute(b('more')), 0);
  assert.equal(p.upgradeOffset, headPart.length, 'kept from the call that upgraded');
  // Refused upgrade: go on parsing HTTP.
  p.resumeAfterUpgrade();
  assert.equal(p.upgraded, false);
  const urls = [];
  p.onHeadersComplete = (h) => urls.push(h.url);
  assert.equal(p.execute(b('GET /next HTTP/1.1\r\n\r\n')), 22);
  assert.deepEqual(urls, ['/next']);
});

test('CONNECT and a 101 response upgrade; the HTTP/2 preface stops as an upgrade', () => {
  const c = b('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTLS');
  const r = collect('request', [c]);
  assert.equal(r.consumed, c.length - 3);
  assert.equal(r.events[0][1].url, 'example.com:443');
  assert.equal(r.events[0][1].upgrade, true);
  const s = b('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00');
  const rs = collect('response', [s]);
  assert.equal(rs.consumed, s.length - 2);
  assert.equal(rs.events[0][1].statusCode, 101);
  // The whole 24-byte preface is read; HTTP/2 frames start at the returned offset.
  const h2 = b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04');
  const p = new HttpParser('request');
  const n = p.execute(h2);
  assert.equal(n, 24);
  assert.equal(p.state().h2Preface, true);
  assert.equal(p.upgraded, true);
});

test('pause() in a callback stops after that event; resume() continues with the rest', () => {
  const raw = b('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
  const seen = [];
  const p = new HttpParser('request', {
    onHeadersComplete(h) {
      seen.push(h.url);
      if (h.url === '/1') this.pause();
    },
    onMessageComplete() {
      seen.push('done');
    },
  });
  const n = p.execute(raw);
  assert.equal(n, 19, 'stopped right after the first head');
  assert.deepEqual(seen, ['/1']);
  assert.equal(p.paused, true);
  assert.equal(p.execute(raw.subarray(n)), 0, 'paused: consumes nothing');
  p.resume();
  assert.equal(p.paused, false);
  assert.equal(p.execute(raw.subarray(n)), raw.length - n);
  assert.deepEqual(seen, ['/1', 'done', '/2', 'done']);
});

test('pause() then resume() inside the same callback does not pause', () => {
  const p = new HttpParser('request', {
    onHeadersComplete() {
      this.pause();
      this.resume();
    },
  });
  const raw = b('GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n');
  assert.equal(p.execute(raw), raw.length);
});

test('pause() from outside: the next execute consumes nothing until resume()', () => {
  const p = new HttpParser('request');
  p.pause();
  assert.equal(p.paused, true);
  const raw = b('GET / HTTP/1.1\r\n\r\n');
  assert.equal(p.execute(raw), 0);
  p.resume();
  assert.equal(p.execute(raw), raw.length);
});

test('pause() in the last callback of a buffer pauses the next execute', () => {
  const p = new HttpParser('request', {
    onMessageComplete() {
      this.pause();
    },
  });
  const raw = b('GET / HTTP/1.1\r\n\r\n');
  assert.equal(p.execute(raw), raw.length);
  assert.equal(p.paused, true);
  assert.equal(p.execute(raw), 0);
  p.resume();
  assert.equal(p.execute(raw), raw.length);
});

test('pause() in onBody stops after that body piece', () => {
  const raw = b('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n');
  const bodies = [];
  const p = new HttpParser('request', {
    onBody(c) {
      bodies.push(c.toString());
      this.pause();
    },
  });
  let off = 0;
  let rounds = 0;
  while (off < raw.length && rounds++ < 10) {
    off += p.execute(raw.subarray(off));
    if (p.paused) p.resume();
  }
  assert.deepEqual(bodies, ['ab', 'cd']);
  assert.equal(off, raw.length);
});

test('an exception in a callback propagates out of execute and stops the parser', () => {
  for (const where of ['onHeadersComplete', 'onBody', 'onMessageComplete']) {
    const p = new HttpParser('request', {
      [where]() {
        throw new Error(`boom in ${where}`);
      },
    });
    const raw = b('POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx');
    assert.throws(() => p.execute(raw), { message: `boom in ${where}` });
    const expected = { onHeadersComplete: 'HPE_CB_HEADERS_COMPLETE', onBody: 'HPE_USER',
      onMessageComplete: 'HPE_CB_MESSAGE_COMPLETE' }[where];
    assert.equal(p.state().code, expected);
    assert.throws(() => p.execute(raw), { code: expected });
  }
});

test('execute, finish, reset and setters may not be called from the parser\'s own callbacks', () => {
  const errors = [];
  const p = new HttpParser('request', {
    onHeadersComplete() {
      for (const f of [() => this.execute(b('x')), () => this.finish(), () => this.reset(),
        () => this.setLenientFlags(0), () => this.setMaxHeaderSize(1), () => this.resumeAfterUpgrade()]) {
        try {
          f();
        } catch (e) {
          errors.push(e.code);
        }
      }
    },
  });
  p.execute(b('GET / HTTP/1.1\r\n\r\n'));
  assert.deepEqual(errors, Array(6).fill('ERR_WIREFRAME_REENTRANT'));
  // Another parser may be driven from a callback.
  const inner = new HttpParser('request');
  const outer = new HttpParser('request', { onHeadersComplete: () => inner.execute(b('GET / HTTP/1.1\r\n\r\n')) });
  outer.execute(b('GET / HTTP/1.1\r\n\r\n'));
});

test('more than 64 headers come as one array too', () => {
  const names = Array.from({ length: 150 }, (_, i) => `H${i}`);
  const raw = b(`GET / HTTP/1.1\r\n${names.map((n, i) => `${n}: v${i}\r\n`).join('')}\r\n`);
  const expected = names.flatMap((n, i) => [n, `v${i}`]);
  const r = collect('request', [raw]);
  assert.deepEqual(r.events[0][1].headers, expected);
  const small = collect('request', [b(`GET / HTTP/1.1\r\n${names.slice(0, 64).map((n) => `${n}: x\r\n`).join('')}\r\n`)]);
  assert.equal(small.events[0][1].headers.length, 128);
});

test('a parser of type both reads requests and responses', () => {
  const r1 = collect('both', [b('GET /x HTTP/1.1\r\n\r\n')]);
  assert.equal(r1.events[0][1].method, 'GET');
  const r2 = collect('both', [b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')]);
  assert.equal(r2.events[0][1].method, null);
  assert.equal(r2.events[0][1].statusCode, 200);
  assert.equal(new HttpParser(HttpParser.BOTH).state().type, 0);
});

test('callbacks are optional and may be set as properties', () => {
  const p = new HttpParser('request');
  assert.equal(p.execute(b('POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx')), 39);
  let url;
  p.onHeadersComplete = (h) => {
    url = h.url;
  };
  p.execute(b('GET /set HTTP/1.1\r\n\r\n'));
  assert.equal(url, '/set');
});

test('METHODS, statusText and parseUrl expose the core tables', () => {
  assert.equal(wf.METHODS[1], 'GET');
  assert.equal(wf.METHODS[24], 'M-SEARCH');
  assert.equal(wf.METHODS[46], 'QUERY');
  assert.equal(wf.METHODS.length, 47);
  assert.equal(wf.statusText(404), 'Not Found');
  assert.equal(wf.statusText(799), '<unknown>');
  assert.deepEqual(wf.parseUrl('http://user@host:8080/p/a?q=1#frag'), {
    schema: 'http', host: 'host', port: '8080', path: '/p/a', query: 'q=1', fragment: 'frag',
    userinfo: 'user', portNumber: 8080,
  });
  assert.deepEqual(wf.parseUrl('/only?x'), { path: '/only', query: 'x' });
  assert.deepEqual(wf.parseUrl('example.com:443', true), { host: 'example.com', port: '443', portNumber: 443 });
  assert.equal(wf.parseUrl('http://a b/'), null);
});

test('a long pipeline in one buffer (handle scopes are renewed along the way)', () => {
  const one = 'POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc';
  const raw = b(one.repeat(500));
  const r = collect('request', [raw]);
  assert.equal(r.error, null);
  assert.equal(r.events.length, 1500);
  for (let i = 0; i < 500; i++) {
    assert.equal(r.events[3 * i][1].url, '/p');
    assert.deepEqual(r.events[3 * i + 1], ['body', b('abc')]);
    assert.deepEqual(r.events[3 * i + 2], ['complete', undefined]);
  }
});
