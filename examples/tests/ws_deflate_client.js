'use strict';
/**
 * The `ws` client with perMessageDeflate against the example server: `node
 * ws_deflate_client.js PORT`. Sends text and binary messages, whole and fragmented, checks each
 * echo, and prints one JSON line {extensions, echoed} on success; exits non-zero on any
 * failure or after 20 seconds.
 */
const assert = require('node:assert/strict');
const { randomBytes } = require('node:crypto');
const WebSocket = require('ws');

const timer = setTimeout(() => { console.error('timed out'); process.exit(3); }, 20000);

async function main() {
  const client = new WebSocket(`ws://127.0.0.1:${process.argv[2]}/ws`, { perMessageDeflate: { threshold: 0 } });
  await new Promise((resolve, reject) => { client.once('open', resolve); client.once('error', reject); });
  const replies = [];
  let wake = null;
  client.on('message', (data, isBinary) => { replies.push({ data: Buffer.from(data), isBinary }); if (wake) wake(); });
  const next = () => new Promise((resolve) => {
    const check = () => (replies.length ? resolve(replies.shift()) : (wake = check));
    check();
  });
  const send = (data, opts) => new Promise((resolve, reject) => client.send(data, opts, (e) => (e ? reject(e) : resolve())));
  const cases = [
    { parts: ['hello ✓ '.repeat(2000)], binary: false },
    { parts: [randomBytes(200000)], binary: true },
    { parts: ['frag', 'men', 'ted ✓'], binary: false },
    { parts: [Buffer.alloc(70000, 1), Buffer.alloc(10, 2)], binary: true },
    { parts: [Buffer.alloc(0)], binary: true },
  ];
  for (const c of cases) {
    for (let i = 0; i < c.parts.length; i++) await send(c.parts[i], { binary: c.binary, fin: i === c.parts.length - 1 });
    const reply = await next();
    assert.equal(reply.isBinary, c.binary);
    assert.deepEqual(reply.data, Buffer.concat(c.parts.map((p) => Buffer.from(p))));
  }
  const closed = new Promise((resolve) => client.once('close', (code) => resolve(code)));
  client.close(1000);
  assert.equal(await closed, 1000);
  console.log(JSON.stringify({ extensions: client.extensions, echoed: cases.length }));
  clearTimeout(timer);
}

main().catch((e) => { console.error(e); process.exit(1); });
