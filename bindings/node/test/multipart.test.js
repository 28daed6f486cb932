'use strict';
/**
 * wireframe/multipart: exact events for a browser body whole, at every split and byte by
 * byte; strict errors with offsets; the helpers; and a differential test against busboy on a
 * generated corpus of valid bodies (same parts, names, file names, types and data).
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const busboy = require('busboy');
const m = require('../multipart');

function collect(boundary, chunks, options = {}) {
  const events = [];
  const push = (kind, data) => {
    const last = events[events.length - 1];
    if (data && last && last[0] === kind) last[1] = Buffer.concat([last[1], data]);
    else events.push(data ? [kind, Buffer.from(data)] : [kind]);
  };
  const p = new m.MultipartParser(boundary, {
    ...options,
    onPartBegin: () => push('begin'),
    onHeaderField: (d) => push('field', d),
    onHeaderValue: (d) => push('value', d),
    onHeaderEnd: () => push('headerEnd'),
    onHeadersComplete: () => push('headers'),
    onPartData: (d) => push('data', d),
    onPartEnd: () => push('partEnd'),
    onEnd: () => push('end'),
  });
  for (const c of chunks) p.write(c);
  p.end();
  return events;
}

const B = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
const BODY = Buffer.concat([
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="title"\r\n\r\nh\u00e9llo\r\n`),
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="a%22b \u20ac.txt"\r\nContent-Type: text/plain\r\n\r\n`),
  Buffer.from(`line1\r\n--\r\n--${B.slice(0, -1)}\r\n\r\r\n\r\n--${B}--\r\n`),
]);

test('browser body: exact events whole, at every split, byte by byte', () => {
  const whole = collect(B, [BODY]);
  const s = (e) => e.map((x) => (x[1] ? `${x[0]}:${x[1].toString()}` : x[0]));
  assert.deepEqual(s(whole), [
    'begin', 'field:Content-Disposition', 'value:form-data; name="title"', 'headerEnd', 'headers',
    'data:h\u00e9llo', 'partEnd', 'begin', 'field:Content-Disposition',
    'value:form-data; name="file"; filename="a%22b \u20ac.txt"', 'headerEnd',
    'field:Content-Type', 'value:text/plain', 'headerEnd', 'headers',
    `data:line1\r\n--\r\n--${B.slice(0, -1)}\r\n\r\r\n`, 'partEnd', 'end',
  ]);
  for (let cut = 0; cut <= BODY.length; cut++) {
    assert.deepEqual(collect(B, [BODY.subarray(0, cut), BODY.subarray(cut)]), whole, `split at ${cut}`);
  }
  const bytes = [];
  for (let i = 0; i < BODY.length; i++) bytes.push(BODY.subarray(i, i + 1));
  assert.deepEqual(collect(B, bytes), whole);
});

test('strict errors carry their code and stream offset', () => {
  const cases = [
    ['--b\r\nA: 1\nB: 2\r\n\r\n', 'WF_FORM_ERR_BARE_LF', 9],
    ['--b\r\n\r\nx\r\n--bad\r\n--b--', 'WF_FORM_ERR_INVALID_DELIMITER', 13],
    ['--b\r\nA: 1\r\n 2\r\n\r\n', 'WF_FORM_ERR_OBSOLETE_FOLD', 11],
  ];
  for (const [body, code, offset] of cases) {
    assert.throws(() => collect('b', [body]), (e) => e instanceof m.FormError && e.code === code && e.offset === offset);
  }
  assert.throws(() => collect('b', ['--b\r\n\r\nhalf']), { code: 'WF_FORM_ERR_MISSING_FINAL_BOUNDARY', offset: 11 });
  assert.throws(() => collect('b', ['--b\r\n\r\nabc\r\n--b--'], { maxPartSize: 2 }), { code: 'WF_FORM_ERR_PART_TOO_LARGE', offset: 9 });
  assert.throws(() => new m.MultipartParser('a b '), { code: 'WF_FORM_ERR_INVALID_BOUNDARY' });
});

test('helpers', () => {
  assert.equal(m.parseBoundary('multipart/form-data; BOUNDARY="a b"').toString(), 'a b');
  assert.throws(() => m.parseBoundary('text/plain; boundary=x'), { code: 'WF_FORM_ERR_NOT_MULTIPART' });
  const cd = m.parseContentDisposition('form-data; name="f"; filename="say \\"hi\\".txt"; filename*=UTF-8\'\'%e2%82%ac.txt');
  assert.equal(cd.type.toString(), 'form-data');
  assert.equal(cd.name.toString(), 'f');
  assert.equal(cd.filename.toString(), 'say "hi".txt');
  assert.equal(cd.filenameStar.toString(), '\u20ac.txt');
  assert.deepEqual(m.parseQuery('a=1&&b=%20c+d&e&=f'), [['a', '1'], ['b', ' c d'], ['e', ''], ['', 'f']]);
  assert.throws(() => m.parseQuery('ok=1&bad=%zz'), { code: 'WF_FORM_ERR_INVALID_PERCENT_ESCAPE', offset: 9 });
  assert.deepEqual(m.parseCookies('a=1; b="2";c = 3 ;; lone'), [['a', '1'], ['b', '"2"'], ['c', '3'], ['', 'lone']]);
  assert.throws(() => m.parseCookies('a=1\r\nx'), { code: 'WF_FORM_ERR_INVALID_COOKIE', offset: 3 });
  const c = m.decodeBasicAuth('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  assert.equal(`${c.user}:${c.password}`, 'Aladdin:open sesame');
  assert.throws(() => m.decodeBasicAuth('Basic dXNlcg=='), { code: 'WF_FORM_ERR_INVALID_CREDENTIALS' });
  assert.equal(
    m.serializeSetCookie('sid', 'x1', { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', expires: new Date(784111777000) }),
    'sid=x1; Path=/; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Lax',
  );
  assert.throws(() => m.serializeSetCookie('a', 'b', { sameSite: 'None' }), { code: 'WF_FORM_ERR_COOKIE_RULE' });
  assert.throws(() => m.serializeSetCookie('a', 'x; Domain=evil'), { code: 'WF_FORM_ERR_INVALID_COOKIE_VALUE', offset: 1 });
});

// A small deterministic generator (xorshift32).
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

/** A valid body: browser/curl/random boundaries; text fields and binary files. */
function generate(r) {
  const alnum = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const pick = (chars, n) => Array.from({ length: n }, () => chars[r(chars.length)]).join('');
  const style = r(3);
  const b = style === 0 ? `----WebKitFormBoundary${pick(alnum, 16)}`
    : style === 1 ? `${'-'.repeat(24)}${pick('0123456789abcdef', 16)}`
      : pick(`${alnum}'()+_,-./:=?`, 1 + r(70));
  const delim = Buffer.from(`\r\n--${b}`);
  const parts = [];
  const n = 1 + r(5);
  for (let i = 0; i < n; i++) {
    const name = ['f', 'title', 'n\u00e4me', `field${i}`][r(4)];
    const isFile = r(2) === 0;
    let data;
    if (isFile) {
      data = Buffer.from(Array.from({ length: r(300) }, () => (r(3) ? '\r\n-ab'.charCodeAt(r(5)) : r(256))));
    } else {
      data = Buffer.from(pick('abc \u00e9\r\n-', r(100)));
    }
    while (data.indexOf(delim) >= 0) {
      const at = data.indexOf(delim);
      data = Buffer.concat([data.subarray(0, at), data.subarray(at + 1)]);
    }
    const filename = isFile ? ['a.txt', '\u20ac rates.pdf', 'say %22hi%22.txt'][r(3)] : null;
    const type = isFile ? ['text/plain', 'application/octet-stream'][r(2)] : null;
    parts.push({ name, filename, type, data });
  }
  const chunks = [];
  for (const p of parts) {
    let head = `--${b}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== null) head += `; filename="${p.filename}"\r\nContent-Type: ${p.type}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${b}--\r\n`));
  return { b, body: Buffer.concat(chunks), parts };
}

function split(r, body) {
  const cuts = Array.from({ length: r(6) }, () => r(body.length + 1)).sort((a, z) => a - z);
  const out = [];
  let last = 0;
  for (const c of [...cuts, body.length]) { out.push(body.subarray(last, c)); last = c; }
  return out;
}

/** Parts as { name, filename, type, data } through wireframe's parser and the helpers. */
function ours(b, chunks) {
  const parts = [];
  let field = '';
  let value = '';
  let cur;
  const p = new m.MultipartParser(b, {
    onPartBegin() { cur = { name: null, filename: null, type: null, chunks: [] }; },
    onHeaderField(d) { field += d.latin1Slice(); },
    onHeaderValue(d) { value = Buffer.concat([Buffer.from(value, 'latin1'), d]).latin1Slice(); },
    onHeaderEnd() {
      const v = Buffer.from(value, 'latin1');
      if (field.toLowerCase() === 'content-disposition') {
        const cd = m.parseContentDisposition(v);
        cur.name = cd.name.toString('utf8');
        cur.filename = cd.filename && cd.filename.toString('utf8');
      } else if (field.toLowerCase() === 'content-type') cur.type = v.toString();
      field = '';
      value = '';
    },
    onPartData(d) { cur.chunks.push(Buffer.from(d)); },
    onPartEnd() { parts.push({ name: cur.name, filename: cur.filename, type: cur.type, data: Buffer.concat(cur.chunks) }); },
  });
  for (const c of chunks) p.write(c);
  p.end();
  return parts;
}

function theirs(b, chunks) {
  return new Promise((resolve, reject) => {
    const parts = [];
    const bb = busboy({ headers: { 'content-type': `multipart/form-data; boundary="${b}"` }, defParamCharset: 'utf8' });
    bb.on('field', (name, val) => parts.push({ name, filename: null, type: null, data: Buffer.from(val) }));
    bb.on('file', (name, stream, info) => {
      const entry = { name, filename: info.filename, type: info.mimeType, data: null };
      parts.push(entry);
      const bufs = [];
      stream.on('data', (d) => bufs.push(d));
      stream.on('end', () => { entry.data = Buffer.concat(bufs); });
    });
    bb.on('close', () => resolve(parts));
    bb.on('error', reject);
    for (const c of chunks) bb.write(c);
    bb.end();
  });
}

test('differential against busboy on 300 generated bodies', async () => {
  const r = rng(19);
  for (let i = 0; i < 300; i++) {
    const { b, body, parts } = generate(r);
    const want = parts.map((p) => ({ ...p }));
    const a = ours(b, split(r, body));
    const z = await theirs(b, split(r, body));
    assert.deepEqual(a, want, `wireframe, body ${i}`);
    assert.deepEqual(z, want, `busboy, body ${i}`);
  }
});
