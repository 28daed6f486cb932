'use strict';
/**
 * Node's zlib as `ws` uses it for permessage-deflate: one persistent raw deflate (inflate)
 * stream per direction, each message written and flushed with Z_SYNC_FLUSH (the inflater is
 * given the message and the 00 00 ff ff trailer, then flushed), the output collected from
 * 'data' events. Same arguments and output as deflate-bench (benches/src/deflate.rs):
 *
 *   node node_zlib.js compress|decompress FILE WINDOW_BITS MEM_LEVEL LEVEL MILLISECONDS
 */
const fs = require('node:fs');
const zlib = require('node:zlib');

const [op, file, bits, memLevel, level, ms] = process.argv.slice(2);
const data = fs.readFileSync(file);
const msgs = [];
for (let at = 0; at + 4 <= data.length;) {
  const n = data.readUInt32LE(at);
  msgs.push(data.subarray(at + 4, at + 4 + n));
  at += 4 + n;
}
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

function run(stream, feed) {
  let chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return (msg) => new Promise((resolve) => {
    feed(stream, msg);
    stream.flush(op === 'compress' ? zlib.Z_SYNC_FLUSH : zlib.Z_FULL_FLUSH, () => {
      const out = Buffer.concat(chunks);
      chunks = [];
      resolve(out);
    });
  });
}

async function main() {
  const budget = Number(ms);
  let bytes = 0;
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
  while (elapsed() < budget) {
    if (op === 'compress') {
      const s = zlib.createDeflateRaw({ windowBits: Number(bits), memLevel: Number(memLevel), level: Number(level) });
      const one = run(s, (st, m) => st.write(m));
      for (const m of msgs) {
        const z = await one(m);
        bytes += m.length;
        if (z.length < 4) throw new Error('no output');
      }
      s.close();
    } else {
      const s = zlib.createInflateRaw({ windowBits: Number(bits) });
      const one = run(s, (st, m) => { st.write(m); st.write(TRAILER); });
      for (const m of msgs) bytes += (await one(m)).length;
      s.close();
    }
  }
  console.log(`bytes_per_second ${Math.round(bytes / (elapsed() / 1000))}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
