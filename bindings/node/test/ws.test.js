'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const wf = require('..');
const { Decoder } = wf;
const { splits2, splits3, isolate } = require('./helpers');
const { KEY, xor, rawFrame } = require('./ws-helpers');

const B = (a) => Buffer.from(a);
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Decodes `chunks` with a new Decoder(options) and returns {events, error}. */
function decodeAll(chunks, options = {}) {
  const events = [];
  const d = new Decoder({
    ...options,
    onMessage: (data, isBinary, compressed) => events.push(['message', Buffer.from(data), isBinary, compressed]),
    onPing: (p) => events.push(['ping', Buffer.from(p)]),
    onPong: (p) => events.push(['pong', Buffer.from(p)]),
    onClose: (code, reason) => events.push(['close', code, Buffer.from(reason)]),
    onFrame: (f) => events.push(['frame', { ...f, payload: Buffer.from(f.payload) }]),
  });
  let error = null;
  for (const c of chunks) {
    try {
      assert.equal(d.decode(c), c.length);
    } catch (e) {
      error = { code: e.code, offset: e.offset, closeCode: e.closeCode, reason: e.reason };
      break;
    }
  }
  return { events, error, decoder: d };
}

// ---------------------------------------------------------------------------------------------
// Encoder
// ---------------------------------------------------------------------------------------------

test('encodeFrame: the RFC 6455 section 5.7 examples, byte for byte', () => {
  assert.deepEqual(wf.encodeFrame('text', 'Hello'), hex('81 05 48 65 6c 6c 6f'));
  assert.deepEqual(wf.encodeFrame('text', 'Hello', { mask: KEY }), hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
  assert.deepEqual(wf.encodeFrame('text', 'Hel', { fin: false }), hex('01 03 48 65 6c'));
  assert.deepEqual(wf.encodeFrame('continuation', 'lo'), hex('80 02 6c 6f'));
  assert.deepEqual(wf.encodePing('Hello'), hex('89 05 48 65 6c 6c 6f'));
  assert.deepEqual(wf.encodePong('Hello', { mask: KEY }), hex('8a 85 37 fa 21 3d 7f 9f 4d 51 58'));
  const f256 = wf.encodeFrame('binary', Buffer.alloc(256, 7));
  assert.deepEqual(f256.subarray(0, 4), hex('82 7e 01 00'));
  assert.equal(f256.length, 260);
  const f64k = wf.encodeFrame(wf.OPCODES.BINARY, Buffer.alloc(65536, 9));
  assert.deepEqual(f64k.subarray(0, 10), hex('82 7f 00 00 00 00 00 01 00 00'));
  assert.equal(f64k.length, 65546);
  assert.deepEqual(wf.encodeFrame('binary', new Uint8Array([1, 2])), hex('82 02 01 02'));
  assert.deepEqual(wf.encodeFrame('text', '', {}), hex('81 00'));
  assert.deepEqual(wf.encodeFrame('binary', 'x', { rsv1: true }), hex('c2 01 78'));
});

test('encodeFrame with mask: true uses a fresh random key and masks the payload', () => {
  const payload = Buffer.from('random key masking');
  const f = wf.encodeFrame('binary', payload, { mask: true });
  assert.equal(f[1], 0x80 | payload.length);
  const key = f.subarray(2, 6);
  assert.deepEqual(xor(f.subarray(6), key), payload);
});

test('encodeHeader writes 2 to 14 bytes', () => {
  assert.deepEqual(wf.encodeHeader('text', 5), hex('81 05'));
  assert.deepEqual(wf.encodeHeader('binary', 300, { fin: false }), hex('02 7e 01 2c'));
  assert.deepEqual(wf.encodeHeader('binary', 2 ** 40, { mask: KEY }), hex('82 ff 00 00 01 00 00 00 00 00 37 fa 21 3d'));
  assert.deepEqual(wf.encodeHeader('binary', 1, { rsv2: true, rsv3: true }), hex('b2 01'));
});

test('encodeClose, encodePing, encodePong', () => {
  assert.deepEqual(wf.encodeClose(1000, 'bye'), hex('88 05 03 e8 62 79 65'));
  assert.deepEqual(wf.encodeClose(), hex('88 00'));
  assert.deepEqual(wf.encodeClose(4000, undefined, { mask: KEY }), hex('88 82').length === 2
    ? Buffer.concat([hex('88 82'), KEY, xor(hex('0f a0'), KEY)]) : null);
  assert.deepEqual(wf.encodePing(), hex('89 00'));
  assert.deepEqual(wf.encodePong(Buffer.alloc(125, 1)).subarray(0, 2), hex('8a 7d'));
});

test('encoder errors: reserved opcode, fragmented or long control, bad close code or reason, bad mask', () => {
  const bad = { code: 'WF_WS_ERR_INVALID_ARGUMENT' };
  assert.throws(() => wf.encodeFrame(3, 'x'), bad);
  assert.throws(() => wf.encodeFrame('ping', 'x', { fin: false }), bad);
  assert.throws(() => wf.encodeFrame('ping', Buffer.alloc(126)), bad);
  assert.throws(() => wf.encodeFrame('text', 'x', { rsv2: true }), bad);
  assert.throws(() => wf.encodeClose(1005), bad);
  assert.throws(() => wf.encodeClose(999), bad);
  assert.throws(() => wf.encodeClose(1000, 'x'.repeat(124)), bad);
  assert.throws(() => wf.encodeClose(1000, B([0xff])), bad);
  assert.throws(() => wf.encodeClose(0, 'reason without code'), bad);
  assert.throws(() => wf.encodePing(Buffer.alloc(126)), bad);
  assert.throws(() => wf.encodePong(Buffer.alloc(126)), bad);
  assert.throws(() => wf.encodeHeader('ping', 126), bad);
  assert.throws(() => wf.encodeFrame('text', 'x', { mask: B([1, 2, 3]) }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => wf.encodeFrame('nope', 'x'), TypeError);
  assert.throws(() => wf.encodeFrame('text', 42), TypeError);
});

test('closeCodeInfo exposes the close code table', () => {
  assert.deepEqual(wf.closeCodeInfo(1000), {
    name: 'NORMAL_CLOSURE', description: wf.closeCodeInfo(1000).description, mayBeSent: true,
  });
  assert.equal(wf.closeCodeInfo(1005).mayBeSent, false);
  assert.equal(wf.closeCodeInfo(3000).name, 'REGISTERED');
  assert.equal(wf.closeCodeInfo(4999).name, 'PRIVATE_USE');
});

// ---------------------------------------------------------------------------------------------
// Decoder
// ---------------------------------------------------------------------------------------------

// A client's stream (masked) with the exact events a server-role decoder gives.
const euro = Buffer.from('lo \u20ac', 'utf8'); // the euro sign's 3 bytes end the second fragment
const CLIENT_STREAM = Buffer.concat([
  rawFrame(0x81, 'Hello'),
  rawFrame(0x01, 'Hel'),
  rawFrame(0x89, 'p1'),
  rawFrame(0x80, euro),
  rawFrame(0x82, Buffer.alloc(300, 0xab)),
  rawFrame(0x81, ''),
  rawFrame(0x8a, 'pong'),
  rawFrame(0x02, B([1])),
  rawFrame(0x00, ''),
  rawFrame(0x80, B([2, 3])),
  rawFrame(0x88, Buffer.concat([B([0x03, 0xe8]), Buffer.from('bye')])),
]);
const CLIENT_EVENTS = [
  ['message', Buffer.from('Hello'), false, false],
  ['ping', Buffer.from('p1')],
  ['message', Buffer.concat([Buffer.from('Hel'), euro]), false, false],
  ['message', Buffer.alloc(300, 0xab), true, false],
  ['message', Buffer.alloc(0), false, false],
  ['pong', Buffer.from('pong')],
  ['message', B([1, 2, 3]), true, false],
  ['close', 1000, Buffer.from('bye')],
];

test('Decoder (server role): messages, fragments, control frames between fragments, close', () => {
  const r = decodeAll([Buffer.from(CLIENT_STREAM)]);
  assert.equal(r.error, null);
  assert.deepEqual(r.events, CLIENT_EVENTS);
});

test('Decoder: the same messages whatever the split (every 2-way split)', () => {
  for (const pieces of splits2(CLIENT_STREAM)) {
    const r = decodeAll(isolate(pieces));
    assert.equal(r.error, null);
    assert.deepEqual(r.events, CLIENT_EVENTS, `split at ${pieces[0].length}`);
  }
});

test('Decoder: every 3-way split of a short stream, and one byte at a time', () => {
  const stream = Buffer.concat([rawFrame(0x01, 'a\u00e9'), rawFrame(0x89, 'x'), rawFrame(0x80, 'b'),
    rawFrame(0x82, 'cd'), rawFrame(0x88, '')]);
  const expected = [
    ['ping', Buffer.from('x')],
    ['message', Buffer.from('a\u00e9b'), false, false],
    ['message', Buffer.from('cd'), true, false],
    ['close', 1005, Buffer.alloc(0)],
  ];
  for (const pieces of splits3(stream)) assert.deepEqual(decodeAll(isolate(pieces)).events, expected);
  const bytes = [...stream].map((x) => B([x]));
  assert.deepEqual(decodeAll(bytes).events, expected);
});

test('Decoder (client role) reads unmasked frames written by the encoder', () => {
  const stream = Buffer.concat([wf.encodeFrame('text', 'hi'), wf.encodePing('p'), wf.encodeFrame('binary', 'b', { fin: false }),
    wf.encodeFrame('continuation', 'c'), wf.encodeClose(1001, 'away')]);
  const r = decodeAll([stream], { role: 'client' });
  assert.deepEqual(r.events, [
    ['message', Buffer.from('hi'), false, false],
    ['ping', Buffer.from('p')],
    ['message', Buffer.from('bc'), true, false],
    ['close', 1001, Buffer.from('away')],
  ]);
});

test('Decoder unmasks in place: a one-piece message is a view of the input buffer', () => {
  const input = rawFrame(0x82, 'abcdef');
  let got;
  const d = new Decoder({ onMessage: (data) => { got = data; } });
  d.decode(input);
  assert.equal(got.buffer, input.buffer);
  assert.equal(got.byteOffset, input.byteOffset + 6);
  assert.deepEqual(input.subarray(6), Buffer.from('abcdef'), 'the input now holds the unmasked payload');
  // A message split over two decode() calls is copied, so the first input may be reused.
  const two = rawFrame(0x82, 'abcdef');
  const first = Buffer.from(two.subarray(0, 9));
  const second = Buffer.from(two.subarray(9));
  d.onMessage = (data) => { got = Buffer.from(data); };
  d.decode(first);
  first.fill(0);
  d.decode(second);
  assert.deepEqual(got, Buffer.from('abcdef'));
});

test('Decoder frame mode: one onFrame per frame with its header bits', () => {
  const stream = Buffer.concat([rawFrame(0x01, 'ab'), rawFrame(0x89, 'p'), rawFrame(0x80, 'c'), rawFrame(0x88, B([0x03, 0xe9]))]);
  const expectedFrames = [
    { opcode: 1, fin: false, rsv1: false, rsv2: false, rsv3: false, masked: true, payload: Buffer.from('ab'), closeCode: 0 },
    { opcode: 9, fin: true, rsv1: false, rsv2: false, rsv3: false, masked: true, payload: Buffer.from('p'), closeCode: 0 },
    { opcode: 0, fin: true, rsv1: false, rsv2: false, rsv3: false, masked: true, payload: Buffer.from('c'), closeCode: 0 },
    { opcode: 8, fin: true, rsv1: false, rsv2: false, rsv3: false, masked: true, payload: B([0x03, 0xe9]), closeCode: 1001 },
  ];
  for (const pieces of splits2(stream)) {
    const r = decodeAll(isolate(pieces), { frames: true });
    assert.deepEqual(r.events, expectedFrames.map((f) => ['frame', f]));
  }
});

test('Decoder options: allowRsv1 marks compressed messages; lenientLength; skipUtf8', () => {
  const compressed = Buffer.concat([rawFrame(0xc1, B([0xff, 0x00])), rawFrame(0x42, 'x', KEY), rawFrame(0x80, 'y')]);
  // decode() unmasks in place: every run gets its own copy of the input.
  const r = decodeAll([Buffer.from(compressed)], { allowRsv1: true });
  assert.equal(r.error, null);
  assert.deepEqual(r.events, [
    ['message', B([0xff, 0x00]), false, true],
    ['message', Buffer.from('xy'), true, true],
  ]);
  assert.equal(decodeAll([Buffer.from(compressed)]).error.code, 'WF_WS_ERR_RESERVED_BITS');
  const nonMinimal = rawFrame(0x82, 'abc', KEY, { len16: true });
  assert.equal(decodeAll([Buffer.from(nonMinimal)]).error.code, 'WF_WS_ERR_NON_MINIMAL_LENGTH');
  assert.deepEqual(decodeAll([Buffer.from(nonMinimal)], { lenientLength: true }).events, [['message', Buffer.from('abc'), true, false]]);
  const badText = rawFrame(0x81, B([0xff]));
  assert.equal(decodeAll([Buffer.from(badText)]).error.code, 'WF_WS_ERR_INVALID_UTF8');
  assert.deepEqual(decodeAll([Buffer.from(badText)], { skipUtf8: true }).events, [['message', B([0xff]), false, false]]);
  assert.equal(decodeAll([rawFrame(0xa2, 'x')], { allowRsv2: true }).error, null);
  assert.equal(decodeAll([rawFrame(0x92, 'x')], { allowRsv3: true }).error, null);
});

// Every decoder error: [name, options, input, offset, closeCode].
const WS_ERRORS = [
  ['RESERVED_OPCODE', {}, rawFrame(0x83, ''), 0, 1002],
  ['RESERVED_BITS', {}, rawFrame(0xc1, 'x'), 0, 1002],
  ['FRAGMENTED_CONTROL', {}, rawFrame(0x09, ''), 0, 1002],
  ['CONTROL_TOO_LONG', {}, rawFrame(0x89, Buffer.alloc(126)), 1, 1002],
  ['UNEXPECTED_CONTINUATION', {}, rawFrame(0x80, 'x'), 0, 1002],
  ['EXPECTED_CONTINUATION', {}, Buffer.concat([rawFrame(0x01, 'a'), rawFrame(0x81, 'b')]), 7, 1002],
  ['LENGTH_TOP_BIT', {}, B([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]), 2, 1002],
  ['NON_MINIMAL_LENGTH', {}, rawFrame(0x82, 'hello', KEY, { len16: true }), 3, 1002],
  ['UNMASKED_FRAME', {}, rawFrame(0x81, 'hi', null), 1, 1002],
  ['MASKED_FRAME', { role: 'client' }, rawFrame(0x81, 'hi'), 1, 1002],
  ['INVALID_UTF8', {}, rawFrame(0x81, B([0x61, 0x62, 0xff, 0x63])), 8, 1007],
  ['INCOMPLETE_UTF8', {}, rawFrame(0x81, B([0x61, 0xe2, 0x82])), 9, 1007],
  ['CLOSE_TOO_SHORT', {}, rawFrame(0x88, B([0x03])), 1, 1002],
  ['INVALID_CLOSE_CODE', {}, rawFrame(0x88, B([0x03, 0xed])), 7, 1002],
  ['INVALID_CLOSE_REASON', {}, rawFrame(0x88, B([0x03, 0xe8, 0x61, 0xff])), 9, 1007],
  ['FRAME_TOO_LARGE', { maxFramePayload: 4 }, rawFrame(0x82, 'hello'), 1, 1009],
  ['MESSAGE_TOO_LARGE', { maxMessageSize: 6 }, Buffer.concat([rawFrame(0x02, 'abcd'), rawFrame(0x80, 'efgh')]), 11, 1009],
  ['TOO_MANY_FRAGMENTS', { maxFragments: 2 },
    Buffer.concat([rawFrame(0x02, 'a'), rawFrame(0x00, 'b'), rawFrame(0x80, 'c')]), 14, 1009],
  ['UNEXPECTED_RSV1', { allowRsv1: true }, rawFrame(0xc9, ''), 0, 1002],
];

for (const [name, options, input, offset, closeCode] of WS_ERRORS) {
  test(`Decoder error WF_WS_ERR_${name}: close code ${closeCode}, same stream offset at every split`, () => {
    const code = `WF_WS_ERR_${name}`;
    for (const pieces of splits2(input)) {
      const r = decodeAll(isolate(pieces), options);
      assert.deepEqual([r.error.code, r.error.offset, r.error.closeCode], [code, offset, closeCode],
        `split at ${pieces[0].length}`);
      assert.ok(r.error.reason.length > 0);
    }
  });
}

test('a decoder error is an Error; it is sticky until reset()', () => {
  const d = new Decoder();
  let err;
  try {
    d.decode(rawFrame(0x83, ''));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error);
  assert.equal(err.message, err.reason);
  assert.throws(() => d.decode(rawFrame(0x81, 'ok')), { code: 'WF_WS_ERR_RESERVED_OPCODE', closeCode: 1002 });
  d.reset();
  const got = [];
  d.onMessage = (m) => got.push(m.toString());
  d.decode(rawFrame(0x81, 'ok'));
  assert.deepEqual(got, ['ok']);
});

test('an exception in a decoder callback propagates; the decoder then reports close code 1011', () => {
  const d = new Decoder({ onMessage() { throw new Error('handler failed'); } });
  assert.throws(() => d.decode(rawFrame(0x81, 'x')), { message: 'handler failed' });
  assert.throws(() => d.decode(rawFrame(0x81, 'x')), { code: 'WF_WS_ERR_CALLBACK_ERROR', closeCode: 1011 });
});

test('decode and reset may not be called from the decoder\'s own callbacks', () => {
  const codes = [];
  const d = new Decoder({
    onMessage() {
      for (const f of [() => this.decode(B([0])), () => this.reset()]) {
        try {
          f();
        } catch (e) {
          codes.push(e.code);
        }
      }
    },
  });
  d.decode(rawFrame(0x81, 'x'));
  assert.deepEqual(codes, ['ERR_WIREFRAME_REENTRANT', 'ERR_WIREFRAME_REENTRANT']);
});

test('inMessage() tells whether a fragmented message is in progress; bad options throw', () => {
  const d = new Decoder();
  assert.equal(d.inMessage(), false);
  d.decode(rawFrame(0x01, 'a'));
  assert.equal(d.inMessage(), true);
  d.decode(rawFrame(0x80, 'b'));
  assert.equal(d.inMessage(), false);
  assert.throws(() => new Decoder({ role: 'peer' }), TypeError);
  assert.throws(() => new Decoder({ maxFramePayload: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => d.decode('text'), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('a large message in many pieces arrives whole', () => {
  const payload = Buffer.alloc(1 << 20);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  const frame = rawFrame(0x82, payload);
  const pieces = [];
  for (let i = 0; i < frame.length; i += 1000) pieces.push(Buffer.from(frame.subarray(i, i + 1000)));
  const r = decodeAll(pieces);
  assert.equal(r.events.length, 1);
  assert.ok(r.events[0][1].equals(payload));
});

// ---------------------------------------------------------------------------------------------
// Handshake
// ---------------------------------------------------------------------------------------------

const RFC_REQUEST = {
  method: 'GET',
  versionMajor: 1,
  versionMinor: 1,
  headers: ['Host', 'server.example.com', 'Upgrade', 'websocket', 'Connection', 'Upgrade',
    'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version', '13',
    'Sec-WebSocket-Protocol', 'chat, superchat'],
};

test('acceptKey: the RFC 6455 example', () => {
  assert.equal(wf.acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('serverHandshake accepts the RFC request and writes the 101', () => {
  const r = wf.serverHandshake(RFC_REQUEST, { protocols: ['superchat', 'chat'] });
  assert.deepEqual({ ...r, response: r.response.toString('latin1') }, {
    ok: true,
    error: null,
    reason: '',
    status: 101,
    acceptKey: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    protocol: 'superchat',
    deflate: false,
    deflateParams: null,
    response: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      + 'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: superchat\r\n\r\n',
  });
  const none = wf.serverHandshake(RFC_REQUEST);
  assert.equal(none.protocol, null);
  assert.equal(none.ok, true);
});

test('serverHandshake negotiates permessage-deflate only when asked', () => {
  const req = { ...RFC_REQUEST, headers: [...RFC_REQUEST.headers, 'Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'] };
  const r = wf.serverHandshake(req, { permessageDeflate: true });
  assert.equal(r.deflate, true);
  assert.deepEqual(r.deflateParams, {
    serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 0,
    clientMaxWindowBitsPresent: true, clientMaxWindowBits: 0,
  });
  assert.match(r.response.toString(), /\r\nSec-WebSocket-Extensions: permessage-deflate/);
  assert.equal(wf.serverHandshake(req).deflate, false);
});

test('serverHandshake refusals: 400 / 426 with the failing rule', () => {
  const without = (name) => {
    const h = [];
    for (let i = 0; i < RFC_REQUEST.headers.length; i += 2) {
      if (RFC_REQUEST.headers[i] !== name) h.push(RFC_REQUEST.headers[i], RFC_REQUEST.headers[i + 1]);
    }
    return { ...RFC_REQUEST, headers: h };
  };
  const cases = [
    [{ ...RFC_REQUEST, method: 'POST' }, 'WF_WS_ERR_HANDSHAKE_METHOD', 400],
    [{ ...RFC_REQUEST, versionMinor: 0 }, 'WF_WS_ERR_HANDSHAKE_HTTP_VERSION', 400],
    [without('Upgrade'), 'WF_WS_ERR_HANDSHAKE_UPGRADE', 426],
    [without('Connection'), 'WF_WS_ERR_HANDSHAKE_CONNECTION', 400],
    [without('Sec-WebSocket-Version'), 'WF_WS_ERR_HANDSHAKE_VERSION', 426],
    [without('Sec-WebSocket-Key'), 'WF_WS_ERR_HANDSHAKE_KEY', 400],
    [without('Host'), 'WF_WS_ERR_HANDSHAKE_HOST', 400],
  ];
  for (const [req, error, status] of cases) {
    const r = wf.serverHandshake(req);
    assert.deepEqual([r.ok, r.error, r.status], [false, error, status]);
    assert.match(r.response.toString(), new RegExp(`^HTTP/1.1 ${status} `));
    assert.match(r.response.toString(), /\r\nSec-WebSocket-Version: 13\r\n/);
  }
  assert.throws(() => wf.serverHandshake({ ...RFC_REQUEST, headers: ['odd'] }), TypeError);
});

test('clientHandshake writes the request from a nonce and validates the answer', () => {
  const c = wf.clientHandshake({ host: '127.0.0.1:80', path: '/chat', protocols: ['a', 'b'], nonce: Buffer.alloc(16, 1),
    headers: { Origin: 'http://x' } });
  assert.equal(c.key, 'AQEBAQEBAQEBAQEBAQEBAQ==');
  assert.equal(c.request.toString(), 'GET /chat HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUpgrade: websocket\r\n'
    + 'Connection: Upgrade\r\nSec-WebSocket-Key: AQEBAQEBAQEBAQEBAQEBAQ==\r\nSec-WebSocket-Version: 13\r\n'
    + 'Sec-WebSocket-Protocol: a, b\r\nOrigin: http://x\r\n\r\n');
  const good = ['Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Accept', wf.acceptKey(c.key),
    'Sec-WebSocket-Protocol', 'b'];
  assert.deepEqual(c.validate(101, good), {
    ok: true, error: null, reason: '', status: 101, protocol: 'b', deflate: false, deflateParams: null,
  });
  assert.equal(c.validate(200, good).error, 'WF_WS_ERR_HANDSHAKE_STATUS');
  const badAccept = [...good];
  badAccept[5] = wf.acceptKey('other');
  assert.equal(c.validate(101, badAccept).error, 'WF_WS_ERR_HANDSHAKE_ACCEPT');
  const badProtocol = [...good];
  badProtocol[7] = 'c';
  assert.equal(c.validate(101, badProtocol).error, 'WF_WS_ERR_HANDSHAKE_PROTOCOL');
  const random = wf.clientHandshake({ host: 'h' });
  assert.equal(Buffer.from(random.key, 'base64').length, 16);
  assert.throws(() => wf.clientHandshake({ host: 'h', path: 'no-slash' }), { code: 'WF_WS_ERR_INVALID_ARGUMENT' });
  assert.throws(() => wf.clientHandshake({ host: 'h', nonce: Buffer.alloc(15) }), { code: 'ERR_OUT_OF_RANGE' });
});

test('the server handshake reads the head HttpParser gives', () => {
  let r;
  const p = new wf.HttpParser('request', {
    onHeadersComplete(h) {
      r = wf.serverHandshake(h);
    },
  });
  const raw = Buffer.from(`GET /chat HTTP/1.1\r\n${RFC_REQUEST.headers.reduce((s, v, i) => s + (i % 2 ? `${v}\r\n` : `${v}: `), '')}\r\n`);
  assert.equal(p.execute(raw), raw.length);
  assert.equal(r.ok, true);
  assert.equal(r.acceptKey, 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

// ---------------------------------------------------------------------------------------------
// mask / unmask (bufferutil's contract)
// ---------------------------------------------------------------------------------------------

test('mask(source, mask, output, offset, length) matches the reference for every length and offset', () => {
  const keyHost = Buffer.from([9, 0x12, 0x34, 0x56, 0x78, 9]);
  const key = keyHost.subarray(1, 5); // a key that does not start its ArrayBuffer
  for (let len = 0; len <= 130; len++) {
    const src = Buffer.alloc(len);
    for (let i = 0; i < len; i++) src[i] = (i * 31 + len) & 0xff;
    for (const offset of [0, 1, 3, 7]) {
      const out = Buffer.alloc(offset + len + 3, 0xee);
      wf.mask(src, key, out, offset, len);
      const expected = Buffer.alloc(offset + len + 3, 0xee);
      xor(src, key).copy(expected, offset);
      assert.deepEqual(out, expected, `len ${len} offset ${offset}`);
    }
  }
});

test('mask() with source and output in one ArrayBuffer: same place, overlapping, adjacent', () => {
  const text = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?');
  for (const [from, to, len] of [[0, 0, 64], [0, 1, 40], [5, 0, 40], [0, 32, 32], [3, 2, 61]]) {
    const host = Buffer.alloc(80, 0xee);
    text.copy(host);
    const expected = Buffer.from(host);
    xor(host.subarray(from, from + len), KEY).copy(expected, to);
    // source is a view, output the whole buffer: the result is the source as it was, masked.
    wf.mask(host.subarray(from, from + len), KEY, host, to, len);
    assert.deepEqual(host, expected, `from ${from} to ${to} len ${len}`);
  }
});

test('unmask(buffer, mask) unmasks in place for every length', () => {
  for (let len = 0; len <= 130; len++) {
    const data = Buffer.alloc(len);
    for (let i = 0; i < len; i++) data[i] = (i * 13) & 0xff;
    const masked = xor(data, KEY);
    wf.unmask(masked, KEY);
    assert.deepEqual(masked, data);
  }
  const view = Buffer.from('xxhello world, a longer message!!yy').subarray(2, 33);
  const before = Buffer.from(view);
  wf.unmask(view, KEY);
  assert.deepEqual(view, xor(before, KEY));
});

test('mask and unmask agree with the real bufferutil on random input', () => {
  const bufferutil = require('bufferutil');
  const { randomFillSync } = require('node:crypto');
  for (let round = 0; round < 50; round++) {
    const len = (round * 97) % 5000;
    const src = randomFillSync(Buffer.alloc(len));
    const key = randomFillSync(Buffer.alloc(4));
    const a = Buffer.alloc(len + 10);
    const b2 = Buffer.alloc(len + 10);
    wf.mask(src, key, a, 10, len);
    bufferutil.mask(src, key, b2, 10, len);
    assert.deepEqual(a, b2);
    const u1 = Buffer.from(src);
    const u2 = Buffer.from(src);
    wf.unmask(u1, key);
    bufferutil.unmask(u2, key);
    assert.deepEqual(u1, u2);
  }
});

test('mask and unmask refuse arguments that would write out of bounds', () => {
  const src = Buffer.alloc(8);
  assert.throws(() => wf.mask(src, KEY, Buffer.alloc(8), 1, 8), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => wf.mask(src, KEY, Buffer.alloc(16), 0, 9), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => wf.mask(src, B([1, 2]), Buffer.alloc(8), 0, 8), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => wf.unmask(src, B([1])), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => wf.unmask('x', KEY), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => wf.mask(src, KEY, Buffer.alloc(8), 0), { code: 'ERR_INVALID_ARG_TYPE' });
});
