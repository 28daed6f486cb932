'use strict';
/**
 * multipart/form-data in Node: wireframe/multipart against busboy, same bodies (written by
 * wireframe-bench-multipart), 64 KiB writes, consumers that only count bytes, interleaved
 * repetitions. Prints one JSON line per body. Run from bindings/node (where busboy is).
 *
 * usage: node bench.js BODIES_DIR [REPS]
 */
const fs = require('node:fs');
const path = require('node:path');
const busboy = require(path.resolve('node_modules/busboy'));
const m = require(path.resolve('multipart.js'));

const READ = 64 * 1024;

function ours(boundary, body) {
  let total = 0;
  const p = new m.MultipartParser(boundary, {
    maxParts: 100000,
    onPartData: (d) => { total += d.length; },
    onPartEnd: () => { total += 1; },
  });
  for (let i = 0; i < body.length; i += READ) p.write(body.subarray(i, i + READ));
  p.end();
  return Promise.resolve(total);
}

function theirs(boundary, body) {
  return new Promise((resolve, reject) => {
    let total = 0;
    const bb = busboy({
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      limits: { parts: Infinity, fields: Infinity, files: Infinity, fieldSize: Infinity },
    });
    bb.on('field', (name, val) => { total += Buffer.byteLength(val) + 1; });
    bb.on('file', (name, stream) => {
      stream.on('data', (d) => { total += d.length; });
      stream.on('end', () => { total += 1; });
    });
    bb.on('close', () => resolve(total));
    bb.on('error', reject);
    for (let i = 0; i < body.length; i += READ) bb.write(body.subarray(i, i + READ));
    bb.end();
  });
}

async function rate(fn, boundary, body, target = 300) {
  const start = performance.now();
  let passes = 0;
  while (passes < 1 || performance.now() - start < target) {
    await fn(boundary, body);
    passes += 1;
  }
  return (body.length * passes) / ((performance.now() - start) / 1e3) / 1e6;
}

async function main() {
  const dir = process.argv[2];
  const reps = Number(process.argv[3] || 5);
  const boundary = fs.readFileSync(path.join(dir, 'boundary'), 'latin1');
  for (const name of ['large', 'small']) {
    const body = fs.readFileSync(path.join(dir, `${name}.bin`));
    const a = await ours(boundary, body);
    const b = await theirs(boundary, body);
    if (a !== b) throw new Error(`disagree on ${name}: ${a} vs ${b}`);
    const o = [];
    const t = [];
    for (let r = 0; r < reps; r++) {
      o.push(await rate(ours, boundary, body));
      t.push(await rate(theirs, boundary, body));
    }
    const med = (v) => v.sort((x, y) => x - y)[Math.floor(v.length / 2)];
    const [om, tm] = [med(o), med(t)];
    console.log(JSON.stringify({ body: name, wireframe_mb_s: +om.toFixed(1), busboy_mb_s: +tm.toFixed(1), ratio: +(om / tm).toFixed(2) }));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
