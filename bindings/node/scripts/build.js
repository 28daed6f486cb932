#!/usr/bin/env node
'use strict';
/**
 * Builds the native addon, offline: no node-gyp, nothing downloaded.
 *
 * 1. Finds the wireframe repository root (this package lives in <root>/bindings/node).
 * 2. Builds the Rust static library with `cargo build --release --lib --features capi` when
 *    <root>/target/release/libwireframe.a is missing (CARGO_TARGET_DIR and CARGO are honoured).
 * 3. Compiles src/wireframe_node.c and src/form_node.c against the running Node's own N-API
 *    headers (<prefix>/include/node, e.g. /usr/include/node) and links the static library into
 *    build/wireframe.node and build/wireframe_form.node.
 *
 * Environment: CC (default cc), CARGO (default cargo), CARGO_TARGET_DIR, NODE_INCLUDE_DIR
 * (where node_api.h is), WIREFRAME_STATIC_LIB (use this libwireframe.a instead).
 * Exits non-zero with a message on failure.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const pkgDir = path.resolve(__dirname, '..');
const root = path.resolve(pkgDir, '..', '..');

function fail(msg) {
  console.error(`wireframe: ${msg}`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const shown = [cmd, ...args].join(' ');
  console.error(`wireframe: ${shown}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${shown} failed with status ${r.status}`);
}

function findNodeInclude() {
  const candidates = [
    process.env.NODE_INCLUDE_DIR,
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'node_api.h'))) return dir;
  }
  return fail(`node_api.h not found (looked in ${candidates.join(', ')}); set NODE_INCLUDE_DIR`);
}

function main() {
  const header = path.join(root, 'include', 'wireframe.h');
  if (!fs.existsSync(path.join(root, 'Cargo.toml')) || !fs.existsSync(header)) {
    fail(`expected the wireframe repository at ${root} (Cargo.toml and include/wireframe.h)`);
  }
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(root, process.env.CARGO_TARGET_DIR)
    : path.join(root, 'target');
  const lib = process.env.WIREFRAME_STATIC_LIB || path.join(targetDir, 'release', 'libwireframe.a');
  if (!fs.existsSync(lib)) {
    run(process.env.CARGO || 'cargo', ['build', '--release', '--lib', '--features', 'capi'], root);
    if (!fs.existsSync(lib)) fail(`cargo finished but ${lib} is missing`);
  }
  const nodeInclude = findNodeInclude();
  const outDir = path.join(pkgDir, 'build');
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'wireframe.node');
  const cc = process.env.CC || 'cc';
  // Two addons: the main one (HTTP, WebSocket) and the form formats' (wireframe/multipart).
  for (const [source, name] of [['wireframe_node.c', 'wireframe.node'], ['form_node.c', 'wireframe_form.node']]) {
    const dest = path.join(outDir, name);
    const tmp = `${dest}.${process.pid}.tmp`;
    const args = [
      '-shared', '-fPIC', '-O2', '-std=c11', '-Wall', '-Wextra', '-fvisibility=hidden',
      `-I${nodeInclude}`, `-I${path.join(root, 'include')}`,
      path.join(pkgDir, 'src', source),
      lib,
    ];
    if (process.platform === 'linux') args.push('-Wl,--exclude-libs,ALL', '-Wl,--gc-sections');
    args.push('-lpthread', '-ldl', '-lm', '-o', tmp);
    run(cc, args, pkgDir);
    fs.renameSync(tmp, dest);
  }
  console.error(`wireframe: built ${path.relative(process.cwd(), out) || out}`);
}

main();
