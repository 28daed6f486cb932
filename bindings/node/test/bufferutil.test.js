'use strict';
/**
 * `ws` with this package's mask/unmask in place of bufferutil.
 *
 * ws loads bufferutil with require('bufferutil') when its buffer-util module is first loaded.
 * This file (node --test runs each file in its own process) redirects that one request to
 * test/fixtures/bufferutil-shim.js, which re-exports wireframe's mask/unmask and counts the
 * calls, before ws is required. Then a ws server and a ws client echo messages through it.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');
const { withTimeout } = require('./helpers');

const SHIM = path.join(__dirname, 'fixtures', 'bufferutil-shim.js');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'bufferutil') return SHIM;
  return originalResolve.call(this, request, ...rest);
};
delete process.env.WS_NO_BUFFER_UTIL;

const { WebSocket, WebSocketServer } = require('ws');
const { calls } = require(SHIM);

const TIMEOUT = 10000;

test('ws server and client echo through wireframe mask/unmask in place of bufferutil', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (sock) => {
    sock.on('message', (data, isBinary) => sock.send(data, { binary: isBinary }));
  });
  const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}/`, { perMessageDeflate: false });
  try {
    await withTimeout(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    }), TIMEOUT, 'open');
    const before = { ...calls };
    const messages = [
      ['short', false], // under ws's 32/48-byte thresholds: ws masks these in JavaScript
      ['a text message long enough for the native path: '.repeat(4), false],
      [Buffer.alloc(100 * 1024, 0x5a), true],
      [Buffer.from(Array.from({ length: 4099 }, (_, i) => i & 0xff)), true],
    ];
    for (const [payload, binary] of messages) {
      const echoed = withTimeout(new Promise((resolve) => ws.once('message', (d, isBinary) => resolve([d, isBinary]))), TIMEOUT, 'echo');
      ws.send(payload, { binary });
      const [data, isBinary] = await echoed;
      assert.equal(isBinary, binary);
      assert.ok(Buffer.from(data).equals(Buffer.from(payload)), 'echoed intact');
    }
    // The client masked (mask) and the server unmasked (unmask) the three long messages.
    assert.equal(calls.mask - before.mask, 3);
    assert.equal(calls.unmask - before.unmask, 3);
    const longBytes = Buffer.byteLength(messages[1][0]) + messages[2][0].length + messages[3][0].length;
    assert.equal(calls.maskBytes - before.maskBytes, longBytes);
    assert.equal(calls.unmaskBytes - before.unmaskBytes, longBytes);
    const closed = withTimeout(new Promise((resolve) => ws.once('close', (code) => resolve(code))), TIMEOUT, 'close');
    ws.close(1000);
    assert.equal(await closed, 1000);
  } finally {
    ws.terminate();
    await new Promise((r) => wss.close(r));
  }
  // The real bufferutil was never loaded.
  assert.equal(Object.keys(require.cache).some((f) => f.includes(`${path.sep}node_modules${path.sep}bufferutil${path.sep}`)), false);
});
