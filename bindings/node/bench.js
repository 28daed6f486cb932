'use strict';
/**
 * Benchmark (not a test): in one run, on the same inputs, with repetitions interleaved,
 *   - HTTP: wireframe's HttpParser against Node's built-in parser (llhttp, through
 *     HTTPParser from node:_http_common), both delivering every head to a JavaScript callback;
 *   - WebSocket: wireframe's Decoder against ws's Receiver, with and without bufferutil;
 *   - masking: wireframe's mask/unmask against bufferutil's.
 * Prints MB/s, messages/s and the ratio wireframe / peer (above 1: wireframe is faster).
 *
 * Usage: node bench.js [--quick] [http] [ws] [mask]   (make bench-node runs every section)
 */
const { HTTPParser } = require('node:_http_common');
const wf = require('.');

const QUICK = process.argv.includes('--quick');
const REPS = QUICK ? 3 : 7;
const SAMPLE_NS = QUICK ? 60e6 : 150e6;

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

/** Runs fn() in batches for about SAMPLE_NS; returns iterations per second. */
function sample(fn, batch) {
  let iters = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (let i = 0; i < batch; i++) fn();
    iters += batch;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < BigInt(SAMPLE_NS));
  return (iters * 1e9) / Number(elapsed);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Measures each contender (name -> {fn, bytes, msgs, check}) REPS times, interleaved, and
 * returns name -> {mbps, msgps} (medians).
 */
function compare(title, contenders) {
  const names = Object.keys(contenders);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) {
    // Warm up, and check that every contender really parsed what it was given.
    for (let i = 0; i < 200; i++) contenders[n].fn();
    contenders[n].check?.();
  }
  for (let r = 0; r < REPS; r++) {
    for (const n of names) runs[n].push(sample(contenders[n].fn, contenders[n].batch ?? 100));
  }
  const out = {};
  console.log(`\n${title}`);
  for (const n of names) {
    const perSec = median(runs[n]);
    const c = contenders[n];
    out[n] = { mbps: (perSec * c.bytes) / 1e6, msgps: perSec * c.msgs };
    console.log(`  ${n.padEnd(34)} ${out[n].mbps.toFixed(1).padStart(9)} MB/s ${(out[n].msgps / 1e6).toFixed(3).padStart(9)} M msg/s`);
  }
  return out;
}

const ratios = [];
function ratio(label, ours, peer) {
  const x = ours.mbps / peer.mbps;
  ratios.push([label, x]);
  console.log(`  ratio ${label}: ${x.toFixed(2)}x`);
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

// The request of nodejs/http-parser's bench.c (a chunked POST with a browser's headers).
const BENCH_REQUEST = Buffer.from(
  'POST /joyent/http-parser HTTP/1.1\r\n'
  + 'Host: github.com\r\n'
  + 'DNT: 1\r\n'
  + 'Accept-Encoding: gzip, deflate, sdch\r\n'
  + 'Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\n'
  + 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) '
  + 'AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Chrome/39.0.2171.65 Safari/537.36\r\n'
  + 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,'
  + 'image/webp,*/*;q=0.8\r\n'
  + 'Referer: https://github.com/joyent/http-parser\r\n'
  + 'Connection: keep-alive\r\n'
  + 'Transfer-Encoding: chunked\r\n'
  + 'Cache-Control: max-age=0\r\n\r\nb\r\nhello world\r\n0\r\n\r\n',
);
const SMALL_GET = Buffer.from('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n');

function nodeParser(input, msgsPerInput) {
  let messages = 0;
  let heads = 0;
  const p = new HTTPParser();
  p.initialize(HTTPParser.REQUEST, {});
  p[HTTPParser.kOnHeaders] = () => {};
  p[HTTPParser.kOnHeadersComplete] = (major, minor, headers, method, url) => {
    if (url.length > 0 && headers.length > 0) heads++;
    return 0;
  };
  p[HTTPParser.kOnBody] = () => {};
  p[HTTPParser.kOnMessageComplete] = () => {
    messages++;
  };
  p[HTTPParser.kOnExecute] = () => {};
  return {
    fn() {
      const r = p.execute(input);
      if (r !== input.length) throw new Error(`node parser: ${r}`);
    },
    bytes: input.length,
    msgs: msgsPerInput,
    check() {
      if (messages === 0 || heads !== messages) throw new Error('node parser delivered nothing');
    },
  };
}

function wfParser(input, msgsPerInput) {
  let messages = 0;
  let heads = 0;
  const p = new wf.HttpParser('request', {
    onHeadersComplete(h) {
      if (h.url.length > 0 && h.headers.length > 0) heads++;
    },
    onBody() {},
    onMessageComplete() {
      messages++;
    },
  });
  return {
    fn() {
      const r = p.execute(input);
      if (r !== input.length) throw new Error(`wireframe: ${r}`);
    },
    bytes: input.length,
    msgs: msgsPerInput,
    check() {
      if (messages === 0 || heads !== messages) throw new Error('wireframe delivered nothing');
    },
  };
}

function benchHttp() {
  const cases = [
    ['http-parser bench request, one per execute()', BENCH_REQUEST, 1],
    ['http-parser bench request x 16 pipelined', Buffer.concat(Array(16).fill(BENCH_REQUEST)), 16],
    ['small GET, one per execute()', SMALL_GET, 1],
    ['small GET x 64 pipelined', Buffer.concat(Array(64).fill(SMALL_GET)), 64],
  ];
  for (const [name, input, msgs] of cases) {
    const r = compare(`HTTP: ${name} (${input.length} bytes per call)`, {
      'wireframe HttpParser': wfParser(input, msgs),
      "node's HTTPParser (llhttp)": nodeParser(input, msgs),
    });
    ratio(`HTTP ${name} vs node`, r['wireframe HttpParser'], r["node's HTTPParser (llhttp)"]);
  }
}

// ---------------------------------------------------------------------------------------------
// WebSocket
// ---------------------------------------------------------------------------------------------

/** Loads ws's Receiver fresh, with bufferutil or without it (WS_NO_BUFFER_UTIL). */
function loadReceiver(withBufferutil) {
  const path = require('node:path');
  const wsDir = path.dirname(require.resolve('ws'));
  for (const k of Object.keys(require.cache)) if (k.startsWith(wsDir + path.sep)) delete require.cache[k];
  if (withBufferutil) delete process.env.WS_NO_BUFFER_UTIL;
  else process.env.WS_NO_BUFFER_UTIL = '1';
  const { Receiver } = require('ws');
  // lib/buffer-util is not in ws's "exports": load the file the package itself loaded.
  const bufferUtil = require(path.join(wsDir, 'lib', 'buffer-util.js'));
  delete process.env.WS_NO_BUFFER_UTIL;
  // With bufferutil, ws's unmask is its wrapper that calls bufferutil for 32 bytes and more.
  const usesNative = /bufferUtil\.unmask/.test(bufferUtil.unmask.toString());
  if (usesNative !== withBufferutil) throw new Error(`ws did not load as asked (bufferutil: ${withBufferutil})`);
  return Receiver;
}

/** A client's masked binary frame with `size` payload bytes. */
function maskedFrame(size) {
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 7) & 0xff;
  return wf.encodeFrame('binary', payload, { mask: Buffer.from([0x11, 0x22, 0x33, 0x44]) });
}

function wsReceiver(Receiver, input, msgsPerInput) {
  let messages = 0;
  const r = new Receiver({ isServer: true, maxPayload: 0, skipUTF8Validation: false });
  r.on('message', () => {
    messages++;
  });
  r.on('error', (e) => {
    throw e;
  });
  return {
    fn() {
      r.write(input);
    },
    bytes: input.length,
    msgs: msgsPerInput,
    batch: 20,
    check() {
      if (messages === 0) throw new Error('ws Receiver delivered nothing');
    },
  };
}

function wfDecoder(input, msgsPerInput) {
  let messages = 0;
  const d = new wf.Decoder({
    role: 'server',
    maxMessageSize: 0,
    onMessage() {
      messages++;
    },
  });
  return {
    fn() {
      d.decode(input);
    },
    bytes: input.length,
    msgs: msgsPerInput,
    batch: 20,
    check() {
      if (messages === 0) throw new Error('wireframe Decoder delivered nothing');
    },
  };
}

function benchWs() {
  const ReceiverPlain = loadReceiver(false);
  const ReceiverNative = loadReceiver(true);
  const cases = [
    ['64-byte frames x 1024 per buffer', Buffer.concat(Array(1024).fill(maskedFrame(64))), 1024],
    ['1 KiB frames x 64 per buffer', Buffer.concat(Array(64).fill(maskedFrame(1024))), 64],
    ['1 MiB frame', maskedFrame(1 << 20), 1],
  ];
  for (const [name, input, msgs] of cases) {
    // Both decoders unmask in place; reusing the buffer just alternates the payload's bytes
    // (binary frames, so every byte pattern is valid), the same work for both.
    const r = compare(`WebSocket (server side, masked binary): ${name}`, {
      'wireframe Decoder': wfDecoder(input, msgs),
      'ws Receiver + bufferutil': wsReceiver(ReceiverNative, input, msgs),
      'ws Receiver (no bufferutil)': wsReceiver(ReceiverPlain, input, msgs),
    });
    ratio(`WS ${name} vs ws+bufferutil`, r['wireframe Decoder'], r['ws Receiver + bufferutil']);
    ratio(`WS ${name} vs ws`, r['wireframe Decoder'], r['ws Receiver (no bufferutil)']);
  }
}

function benchMask() {
  const bufferutil = require('bufferutil');
  const key = Buffer.from([1, 2, 3, 4]);
  for (const size of [64, 1 << 20]) {
    const data = Buffer.alloc(size, 0x5a);
    const out = Buffer.alloc(size);
    const r = compare(`unmask ${size} bytes in place`, {
      'wireframe unmask': { fn: () => wf.unmask(data, key), bytes: size, msgs: 1, batch: size > 4096 ? 10 : 1000 },
      'bufferutil unmask': { fn: () => bufferutil.unmask(data, key), bytes: size, msgs: 1, batch: size > 4096 ? 10 : 1000 },
    });
    ratio(`unmask ${size} B vs bufferutil`, r['wireframe unmask'], r['bufferutil unmask']);
    const m = compare(`mask ${size} bytes into another buffer`, {
      'wireframe mask': { fn: () => wf.mask(data, key, out, 0, size), bytes: size, msgs: 1, batch: size > 4096 ? 10 : 1000 },
      'bufferutil mask': { fn: () => bufferutil.mask(data, key, out, 0, size), bytes: size, msgs: 1, batch: size > 4096 ? 10 : 1000 },
    });
    ratio(`mask ${size} B vs bufferutil`, m['wireframe mask'], m['bufferutil mask']);
  }
}

console.log(`node ${process.version}, ${REPS} interleaved repetitions, medians`);
const sections = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const want = (name) => sections.length === 0 || sections.includes(name);
if (want('http')) benchHttp();
if (want('ws')) benchWs();
if (want('mask')) benchMask();
console.log('\nSummary (wireframe / peer, same run; above 1 means wireframe is faster):');
for (const [label, x] of ratios) console.log(`  ${x.toFixed(2).padStart(6)}x  ${label}`);
