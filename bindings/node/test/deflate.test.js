'use strict';
/**
 * permessage-deflate in the Node binding: RFC 7692's "Hello" byte for byte, round trips
 * through the Decoder, the errors' close codes, and real peers over 127.0.0.1: the `ws` client
 * (perMessageDeflate on) and the Python `websockets` client against an echo server built on
 * the binding, the `ws` client against an echo server built on the Python binding, and a `ws`
 * server answering a client built on the binding. Every test ends by itself (timeouts below).
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const WebSocket = require('ws');
const wf = require('..');

const HELLO = Buffer.from([0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]);
const HELLO_AGAIN = Buffer.from([0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00]);
const TIMEOUT = { timeout: 20000 };

test('RFC 7692 7.2.3: Hello, then Hello again through the shared window', () => {
  const server = new wf.PerMessageDeflate({}, { role: 'server' });
  const client = new wf.PerMessageDeflate({}, { role: 'client' });
  assert.deepEqual(server.encode('text', 'Hello'), HELLO);
  assert.deepEqual(server.encode('text', 'Hello'), HELLO_AGAIN);
  const got = [];
  const d = new wf.Decoder({ role: 'client', deflate: client, onMessage: (m, bin, z) => got.push([m.toString(), bin, z]) });
  const wire = Buffer.concat([HELLO, HELLO_AGAIN]);
  for (let i = 0; i < wire.length; i++) d.decode(wire.subarray(i, i + 1));
  assert.deepEqual(got, [['Hello', false, true], ['Hello', false, true]]);
  assert.ok(client.memorySize() > 40000);
  server.close();
  client.close();
  client.close();
  assert.throws(() => client.compress('x'), { code: 'ERR_WIREFRAME_CLOSED' });
});

test('round trips with negotiated windows and no context takeover, whole and fragmented', () => {
  const params = { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBitsPresent: true, clientMaxWindowBits: 8 };
  const client = new wf.PerMessageDeflate(params, { role: 'client' });
  const server = new wf.PerMessageDeflate(params, { role: 'server' });
  const messages = [Buffer.alloc(0), Buffer.from('x'), randomBytes(70000), Buffer.from('wireframe ✓ '.repeat(20000))];
  const parts = [];
  for (const m of messages) {
    parts.push(client.encode('binary', m, { mask: true }));
    const z = client.compress(m);
    const third = Math.max(1, Math.floor(z.length / 3));
    parts.push(wf.encodeFrame('binary', z.subarray(0, third), { fin: false, rsv1: true, mask: true }));
    parts.push(wf.encodeFrame('continuation', z.subarray(third, 2 * third), { fin: false, mask: true }));
    parts.push(wf.encodeFrame('continuation', z.subarray(2 * third), { mask: true }));
  }
  const wire = Buffer.concat(parts);
  const got = [];
  const d = new wf.Decoder({ deflate: server, onMessage: (m, bin, z) => { assert.ok(z); got.push(Buffer.from(m)); } });
  for (let at = 0; at < wire.length; at += 997) d.decode(wire.subarray(at, at + 997));
  assert.deepEqual(got, messages.flatMap((m) => [m, m]));
});

test('errors carry close codes: 1009 past the inflated limit, 1007 corrupt or bad UTF-8, 1002 without the extension', () => {
  const server = new wf.PerMessageDeflate({}, { role: 'server' });
  const client = new wf.PerMessageDeflate({}, { role: 'client', maxMessageSize: 10000 });
  const decode = (buf, deflate = client) => new wf.Decoder({ role: 'client', deflate }).decode(buf);
  assert.throws(() => decode(server.encode('binary', Buffer.alloc(20000))), { code: 'WF_WS_ERR_MESSAGE_TOO_LARGE', closeCode: 1009 });
  assert.throws(() => decode(Buffer.from([0xc2, 3, 0xff, 0xff, 0xff])), { code: 'WF_WS_ERR_INVALID_COMPRESSED_DATA', closeCode: 1007 });
  assert.throws(() => decode(server.encode('text', Buffer.from([0xff]))), { code: 'WF_WS_ERR_INVALID_UTF8', closeCode: 1007 });
  assert.throws(() => decode(HELLO, null), { closeCode: 1002 });
  assert.throws(() => new wf.PerMessageDeflate({ serverMaxWindowBits: 7 }), { code: 'WF_WS_ERR_INVALID_ARGUMENT' });
});

/** An echo server on the binding: http 'upgrade', serverHandshake, Decoder, PerMessageDeflate. */
function echoServer() {
  const stats = { compressed: 0 };
  const server = http.createServer((req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket, head) => {
    const hs = wf.serverHandshake({ method: req.method, versionMajor: req.httpVersionMajor, versionMinor: req.httpVersionMinor, headers: req.rawHeaders }, { permessageDeflate: true });
    socket.write(hs.response);
    if (!hs.ok) return socket.destroy();
    const deflate = hs.deflate ? new wf.PerMessageDeflate(hs, { role: 'server', maxMessageSize: 4 << 20 }) : undefined;
    const decoder = new wf.Decoder({
      deflate,
      onMessage(data, isBinary, compressed) {
        stats.compressed += compressed ? 1 : 0;
        const op = isBinary ? 'binary' : 'text';
        socket.write(deflate ? deflate.encode(op, data) : wf.encodeFrame(op, data));
      },
      onClose(code) {
        socket.end(wf.encodeClose(code === 1005 ? undefined : code));
      },
    });
    const feed = (chunk) => {
      try {
        decoder.decode(chunk);
      } catch (e) {
        socket.end(wf.encodeClose(e.closeCode || 1011));
      }
    };
    socket.on('data', feed);
    socket.on('close', () => deflate && deflate.close());
    if (head.length) feed(Buffer.from(head));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, stats, port: server.address().port })));
}

function once(emitter, event) {
  return new Promise((resolve, reject) => {
    emitter.once(event, (...args) => resolve(args));
    emitter.once('error', reject);
  });
}

/**
 * The ws client with perMessageDeflate (threshold 0: every message compressed) against the
 * echo server at `port`: text and binary, whole and fragmented, and an empty message.
 */
async function wsClientRoundTrip(port) {
  const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: { threshold: 0 } });
  await once(client, 'open');
  assert.match(client.extensions, /^permessage-deflate/);
  const next = () => once(client, 'message').then(([data, isBinary]) => ({ data: Buffer.from(data), isBinary }));
  const send = (data, opts) => new Promise((resolve, reject) => client.send(data, opts, (e) => (e ? reject(e) : resolve())));
  const text = 'hello ✓ '.repeat(1000);
  let reply = next();
  await send(text);
  assert.deepEqual(await reply, { data: Buffer.from(text), isBinary: false });
  const bin = randomBytes(300000);
  reply = next();
  await send(bin);
  assert.deepEqual(await reply, { data: bin, isBinary: true });
  // Fragmented: three frames of one compressed message.
  reply = next();
  await send('frag', { fin: false });
  await send('men', { fin: false });
  await send('ted ✓', { fin: true });
  assert.deepEqual(await reply, { data: Buffer.from('fragmented ✓'), isBinary: false });
  reply = next();
  await send(Buffer.alloc(0), { binary: true });
  assert.deepEqual(await reply, { data: Buffer.alloc(0), isBinary: true });
  const closed = once(client, 'close');
  client.close(1000);
  const [code] = await closed;
  assert.equal(code, 1000);
}

test('the ws client with perMessageDeflate against an echo server built on the binding', TIMEOUT, async () => {
  const { server, stats, port } = await echoServer();
  await wsClientRoundTrip(port);
  assert.equal(stats.compressed, 4);
  await new Promise((resolve) => server.close(resolve));
});

// The Python side: the test venv (make venv) with the Python binding installed
// (make python-install), both prerequisites of make test-node.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const PYTHON = path.join(ROOT, 'build', 'venv', 'bin', 'python');

function python(script, args = []) {
  return spawn(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
}

function output(child) {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('the websockets (Python) client, compression on by default, against the echo server on the binding', TIMEOUT, async () => {
  const { server, stats, port } = await echoServer();
  const script = `
import asyncio, os, sys
from websockets.asyncio.client import connect
async def main():
    async with connect(f"ws://127.0.0.1:{sys.argv[1]}/", max_size=4 << 20) as c:
        assert [type(e).__name__ for e in c.protocol.extensions] == ["PerMessageDeflate"]
        for m in ["hello \\u2713 " * 500, os.urandom(200000), ["frag", "men", "ted"], [b"\\x01" * 9, b"\\x02"], ""]:
            await c.send(m)
            want = m if not isinstance(m, list) else type(m[0])().join(m)
            assert await c.recv() == want
    print("ok")
asyncio.run(asyncio.wait_for(main(), 15))
`;
  const r = await output(python(script, [String(port)]));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'ok');
  assert.equal(stats.compressed, 5);
  await new Promise((resolve) => server.close(resolve));
});

test('the ws client with perMessageDeflate against the echo server on the Python binding', TIMEOUT, async () => {
  const script = `
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from test_ws_deflate import DeflateEchoServer
async def main():
    server = await asyncio.get_running_loop().create_server(DeflateEchoServer, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(15)
asyncio.run(main())
`;
  const child = python(script, [path.join(ROOT, 'bindings', 'python', 'tests')]);
  const done = output(child);
  const [line] = await once(child.stdout, 'data');
  try {
    await wsClientRoundTrip(Number(String(line).trim()));
  } finally {
    child.kill();
  }
  await done;
});

test('a ws server with perMessageDeflate answers a client built on the binding', TIMEOUT, async () => {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
  await once(wss, 'listening');
  let serverSawCompressed = 0;
  wss.on('connection', (sock, req) => {
    assert.match(req.headers['sec-websocket-extensions'], /permessage-deflate/);
    sock.on('message', (data, isBinary) => {
      serverSawCompressed++;
      sock.send(data, { binary: isBinary, fin: true });
    });
  });
  const port = wss.address().port;
  const hs = wf.clientHandshake({ host: `127.0.0.1:${port}`, extensions: wf.PERMESSAGE_DEFLATE_OFFER });
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(hs.request);
  // Read the response head with the binding's HTTP parser, then frames.
  let buffered = Buffer.alloc(0);
  let decoder;
  let deflate;
  const messages = [];
  let wake = null;
  const headers = [];
  let status = 0;
  const parser = new wf.HttpParser('response', {
    onHeadersComplete(info) {
      status = info.statusCode;
      headers.push(...info.headers);
      return wf.SKIP_BODY_UPGRADE;
    },
  });
  socket.on('data', (chunk) => {
    if (!decoder) {
      buffered = Buffer.concat([buffered, chunk]);
      const used = parser.execute(buffered);
      if (!status) return;
      const result = hs.validate(status, headers);
      assert.ok(result.ok, result.error);
      assert.ok(result.deflate);
      deflate = new wf.PerMessageDeflate(result, { role: 'client' });
      decoder = new wf.Decoder({ role: 'client', deflate, onMessage: (d, bin, z) => { messages.push({ data: Buffer.from(d), bin, z }); if (wake) wake(); } });
      chunk = buffered.subarray(used);
    }
    if (chunk.length) decoder.decode(Buffer.from(chunk));
  });
  const waitFor = (n) => new Promise((resolve) => {
    const check = () => (messages.length >= n ? resolve() : (wake = check));
    check();
  });
  await new Promise((resolve) => { const t = setInterval(() => { if (deflate) { clearInterval(t); resolve(); } }, 5); });
  const text = 'binding client ✓ '.repeat(500);
  socket.write(deflate.encode('text', text, { mask: true }));
  const bin = randomBytes(100000);
  socket.write(deflate.encode('binary', bin, { mask: true }));
  // Fragmented compressed message: RSV1 on the first frame only.
  const z = deflate.compress(Buffer.from('in two frames'));
  socket.write(wf.encodeFrame('text', z.subarray(0, 3), { fin: false, rsv1: true, mask: true }));
  socket.write(wf.encodeFrame('continuation', z.subarray(3), { mask: true }));
  await waitFor(3);
  assert.deepEqual(messages.map((m) => [m.data.toString(m.bin ? 'hex' : 'utf8'), m.bin, m.z]), [
    [text, false, true],
    [bin.toString('hex'), true, true],
    ['in two frames', false, true],
  ]);
  assert.equal(serverSawCompressed, 3);
  socket.end(wf.encodeClose(1000, '', { mask: true }));
  deflate.close();
  await new Promise((resolve) => wss.close(resolve));
  socket.destroy();
});
