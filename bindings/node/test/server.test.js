'use strict';
/**
 * A net.Server that speaks HTTP with the addon's parser and, after an upgrade, WebSocket with
 * the addon's decoder and encoder, driven by clients nobody here wrote: Node's http client,
 * fetch, and the `ws` package's client. Everything listens on 127.0.0.1, ephemeral ports.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const http = require('node:http');
const WebSocket = require('ws');
const wf = require('..');
const { withTimeout } = require('./helpers');

const TIMEOUT = 10000;

/** The JSON document the server answers each request with. */
function responseFor(head, body) {
  const doc = JSON.stringify({
    method: head.method,
    url: head.url,
    version: `${head.versionMajor}.${head.versionMinor}`,
    headers: head.headers,
    body: body.toString('latin1'),
  });
  const close = !head.shouldKeepAlive;
  return Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(doc)}\r\n`
    + `Connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n${doc}`);
}

/** Starts the server; resolves {port, stats, close()}. */
function startServer() {
  const stats = { connections: 0, requests: 0, wsMessages: 0, upgrades: 0 };
  const sockets = new Set();
  const server = net.createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let decoder = null;
    let current = null;
    let upgradeHead = null;
    const parser = new wf.HttpParser('request', {
      onHeadersComplete(head) {
        current = { head, chunks: [] };
      },
      onBody(chunk) {
        current.chunks.push(Buffer.from(chunk));
      },
      onMessageComplete() {
        if (current.head.upgrade) {
          upgradeHead = current.head;
          return;
        }
        stats.requests++;
        socket.write(responseFor(current.head, Buffer.concat(current.chunks)));
        if (!current.head.shouldKeepAlive) socket.end();
      },
    });
    const decode = (data) => {
      try {
        decoder.decode(data);
      } catch (e) {
        socket.end(wf.encodeClose(e.closeCode));
      }
    };
    socket.on('data', (data) => {
      if (decoder) {
        decode(data);
        return;
      }
      let n;
      try {
        n = parser.execute(data);
      } catch (e) {
        socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: ${e.code.length}\r\n\r\n${e.code}`);
        return;
      }
      if (!parser.upgraded) return;
      const hs = wf.serverHandshake(upgradeHead);
      socket.write(hs.response);
      if (!hs.ok) {
        socket.end();
        return;
      }
      stats.upgrades++;
      decoder = new wf.Decoder({
        role: 'server',
        onMessage(msg, isBinary) {
          stats.wsMessages++;
          socket.write(wf.encodeFrame(isBinary ? 'binary' : 'text', msg));
        },
        onPing(payload) {
          socket.write(wf.encodePong(payload));
        },
        onClose(code, reason) {
          socket.end(code === 1005 ? wf.encodeClose() : wf.encodeClose(code, reason));
        },
      });
      if (n < data.length) decode(data.subarray(n));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        stats,
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(r));
        },
      });
    });
  });
}

/** One request with Node's http client; resolves {status, headers, json, socket}. */
function request(options, bodyParts = []) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', ...options }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        json: JSON.parse(Buffer.concat(chunks).toString()),
        socket: req.socket,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    let i = 0;
    const next = () => {
      if (i === bodyParts.length) {
        req.end();
        return;
      }
      req.write(bodyParts[i++]);
      setTimeout(next, 5); // separate writes: the body crosses the socket in pieces
    };
    next();
  });
}

let srv;
test.before(async () => {
  srv = await startServer();
});
test.after(async () => {
  await srv.close();
});

test('Node http client, keep-alive: three requests over one connection', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const before = srv.stats.connections;
    const sockets = new Set();
    for (const url of ['/a', '/b?x=1', '/c']) {
      const r = await withTimeout(request({ port: srv.port, path: url, agent, headers: { 'X-Test': url } }), TIMEOUT, url);
      assert.equal(r.status, 200);
      assert.equal(r.json.method, 'GET');
      assert.equal(r.json.url, url);
      assert.equal(r.json.version, '1.1');
      const h = r.json.headers;
      assert.equal(h[h.indexOf('X-Test') + 1], url);
      assert.equal(h[h.indexOf('Connection') + 1], 'keep-alive');
      sockets.add(r.socket);
    }
    assert.equal(sockets.size, 1, 'the client reused its socket');
    assert.equal(srv.stats.connections - before, 1, 'the server saw one connection');
  } finally {
    agent.destroy();
  }
});

test('Node http client, chunked upload in separate writes', async () => {
  const parts = ['first part, ', 'second part, ', 'x'.repeat(20000), ' end'];
  const r = await withTimeout(request({ port: srv.port, method: 'POST', path: '/upload', agent: false }, parts), TIMEOUT, 'upload');
  assert.equal(r.status, 200);
  assert.equal(r.json.method, 'POST');
  assert.equal(r.json.body, parts.join(''));
  const h = r.json.headers;
  assert.equal(h[h.indexOf('Transfer-Encoding') + 1], 'chunked');
});

test('fetch: POST with a body, and a GET', async () => {
  const body = 'caf\u00e9 body from fetch';
  const r = await withTimeout(fetch(`http://127.0.0.1:${srv.port}/f?q=2`, { method: 'POST', body }), TIMEOUT, 'fetch');
  assert.equal(r.status, 200);
  const json = await r.json();
  assert.equal(json.method, 'POST');
  assert.equal(json.url, '/f?q=2');
  assert.equal(Buffer.from(json.body, 'latin1').toString('utf8'), body);
  const g = await withTimeout(fetch(`http://127.0.0.1:${srv.port}/g`), TIMEOUT, 'fetch GET');
  assert.equal((await g.json()).url, '/g');
});

test('pipelined requests in one write are answered in order', async () => {
  const reqs = 'GET /p1 HTTP/1.1\r\nHost: x\r\n\r\n'
    + 'POST /p2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'
    + 'PUT /p3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'
    + 'GET /p4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const got = await withTimeout(new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(srv.port, '127.0.0.1', () => s.write(reqs));
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  }), TIMEOUT, 'pipelined');
  const expected = Buffer.concat([
    responseFor({ method: 'GET', url: '/p1', versionMajor: 1, versionMinor: 1, headers: ['Host', 'x'], shouldKeepAlive: true }, Buffer.alloc(0)),
    responseFor({ method: 'POST', url: '/p2', versionMajor: 1, versionMinor: 1, headers: ['Host', 'x', 'Content-Length', '5'], shouldKeepAlive: true }, Buffer.from('hello')),
    responseFor({ method: 'PUT', url: '/p3', versionMajor: 1, versionMinor: 1, headers: ['Host', 'x', 'Transfer-Encoding', 'chunked'], shouldKeepAlive: true }, Buffer.from('abc')),
    responseFor({ method: 'GET', url: '/p4', versionMajor: 1, versionMinor: 1, headers: ['Host', 'x', 'Connection', 'close'], shouldKeepAlive: false }, Buffer.alloc(0)),
  ]);
  assert.equal(got.toString('latin1'), expected.toString('latin1'));
});

test('a malformed request gets a 400 naming the parser error', async () => {
  const got = await withTimeout(new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'));
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  }), TIMEOUT, '400');
  assert.equal(got, 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 29\r\n\r\nHPE_UNEXPECTED_CONTENT_LENGTH');
});

/** Opens a `ws` client to the server; resolves the open WebSocket. */
function openWs(options = {}) {
  return withTimeout(new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/echo`, options);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  }), TIMEOUT, 'ws open');
}

/** Resolves the next message [data, isBinary] of `ws`. */
function nextMessage(ws) {
  return withTimeout(new Promise((resolve) => ws.once('message', (data, isBinary) => resolve([data, isBinary]))), TIMEOUT, 'ws message');
}

test('ws client: text, binary, fragmented, large, ping, close handshake', async () => {
  const ws = await openWs();
  try {
    assert.equal(ws.extensions, '', 'permessage-deflate was not accepted');
    ws.send('hello \u20ac');
    let [data, isBinary] = await nextMessage(ws);
    assert.deepEqual([data.toString(), isBinary], ['hello \u20ac', false]);

    ws.send(Buffer.from([0, 1, 2, 255]));
    [data, isBinary] = await nextMessage(ws);
    assert.deepEqual([[...data], isBinary], [[0, 1, 2, 255], true]);

    // A fragmented text message: the euro sign split across the two fragments.
    const euro = Buffer.from('\u20ac');
    ws.send(Buffer.concat([Buffer.from('frag-'), euro.subarray(0, 1)]), { binary: false, fin: false });
    ws.send(Buffer.concat([euro.subarray(1), Buffer.from('-end')]), { binary: false, fin: true });
    [data, isBinary] = await nextMessage(ws);
    assert.deepEqual([data.toString(), isBinary], ['frag-\u20ac-end', false]);

    const large = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < large.length; i++) large[i] = (i * 131) & 0xff;
    ws.send(large);
    [data, isBinary] = await nextMessage(ws);
    assert.equal(isBinary, true);
    assert.ok(Buffer.from(data).equals(large), 'large message echoed intact');

    const pong = withTimeout(new Promise((resolve) => ws.once('pong', resolve)), TIMEOUT, 'pong');
    ws.ping('are you there');
    assert.equal((await pong).toString(), 'are you there');

    const closed = withTimeout(new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()]))), TIMEOUT, 'close');
    ws.close(4001, 'done here');
    assert.deepEqual(await closed, [4001, 'done here']);
  } finally {
    ws.terminate();
  }
});

test('ws client: many messages back to back keep their order', async () => {
  const ws = await openWs();
  try {
    const got = [];
    const all = withTimeout(new Promise((resolve) => {
      ws.on('message', (d) => {
        got.push(d.toString());
        if (got.length === 200) resolve();
      });
    }), TIMEOUT, '200 messages');
    for (let i = 0; i < 200; i++) ws.send(`m${i}:${'z'.repeat(i)}`);
    await all;
    assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => `m${i}:${'z'.repeat(i)}`));
  } finally {
    ws.terminate();
  }
});

test('an invalid frame from the client ends the connection with the right close code', async () => {
  const ws = await openWs();
  const closed = withTimeout(new Promise((resolve) => ws.once('close', (code) => resolve(code))), TIMEOUT, 'close');
  ws.on('error', () => {});
  // A text message that is not UTF-8: the server's decoder fails it with 1007.
  ws._socket.write(Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0xff]));
  assert.equal(await closed, 1007);
});

test('an upgrade request without a key is refused with 400 by the handshake helper', async () => {
  const got = await withTimeout(new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n'
      + 'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n'));
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  }), TIMEOUT, 'refusal');
  assert.match(got, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(got, /\r\nSec-WebSocket-Version: 13\r\n/);
});
