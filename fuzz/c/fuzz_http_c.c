/*
 * libFuzzer harness for wireframe's C ABI (include/wireframe.h), as a C consumer drives it.
 *
 * Input: 4 configuration bytes, then the wire data.
 *   c[0] % 5: 0 HTTP requests, 1 HTTP responses, 2 HTTP BOTH, 3 WebSocket decoder, 4 URL parser.
 *   c[0] / 5 bit 0: skip bodies (on_headers_complete returns 1 for some messages), bit 1: call
 *   wf_http_finish at the end, bit 2: WebSocket client role.
 *   c[1]: leniency flags (low byte) / WebSocket decoder flags; c[2]: seed; c[3]: cut mode.
 *
 * HTTP: wf_http_execute with every callback, whole and then in random pieces with random
 * pauses (resumed with wf_http_resume at the returned offset), must give the same events, head
 * snapshots, errno and stop offset; wf_http_execute_events with a small row array (and, when
 * bodies are skipped, WF_HTTP_EVENTS_STOP_AFTER_HEADERS plus wf_http_skip_body) must record the
 * same events. WebSocket: wf_ws_decode whole and in pieces with pauses gives the same events,
 * error and error offset. URL: wf_http_parse_url's parts lie inside the URL.
 *
 * Built with clang -fsanitize=fuzzer,address against a static library whose Rust code carries
 * libFuzzer's coverage instrumentation, so coverage guides into the Rust code (fuzz/fuzz.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wireframe.h"

#define CHECK(cond, ...)                                                     \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "fuzz_http_c: check failed at line %d: %s: ", __LINE__, \
              #cond);                                                        \
      fprintf(stderr, __VA_ARGS__);                                          \
      fprintf(stderr, "\n");                                                 \
      abort();                                                               \
    }                                                                        \
  } while (0)

/* ---- a tiny deterministic generator ---- */
static uint64_t rng_state;
static uint64_t rng_next(void) {
  uint64_t x = rng_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng_state = x;
  return x * 0x2545F4914F6CDD1DULL;
}
static size_t rng_below(size_t n) { return n ? (size_t)(rng_next() % n) : 0; }

/* ---- event logs: adjacent pieces of one span merged ---- */
typedef struct {
  uint8_t kind;
  uint8_t snap[8]; /* method, major, minor, status lo, status hi, upgrade, keep-alive, 0 */
  size_t off, len; /* span bytes in log->bytes */
} entry;

typedef struct {
  entry *e;
  size_t n, cap;
  uint8_t *bytes;
  size_t nbytes, bcap;
  int last_span; /* the last entry is a span that may grow */
} event_log;

static void log_free(event_log *l) {
  free(l->e);
  free(l->bytes);
  memset(l, 0, sizeof *l);
}

static entry *log_push(event_log *l, uint8_t kind) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->e = realloc(l->e, l->cap * sizeof *l->e);
    CHECK(l->e != NULL, "out of memory");
  }
  entry *e = &l->e[l->n++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->off = l->nbytes;
  return e;
}

static void log_span(event_log *l, uint8_t kind, const uint8_t *at, size_t len) {
  CHECK(len > 0, "empty span piece of kind %u", kind);
  if (!(l->last_span && l->n && l->e[l->n - 1].kind == kind)) log_push(l, kind);
  if (l->nbytes + len > l->bcap) {
    l->bcap = (l->nbytes + len) * 2;
    l->bytes = realloc(l->bytes, l->bcap);
    CHECK(l->bytes != NULL, "out of memory");
  }
  memcpy(l->bytes + l->nbytes, at, len);
  l->nbytes += len;
  l->e[l->n - 1].len += len;
  l->last_span = 1;
}

static void log_note(event_log *l, uint8_t kind, const uint8_t snap[8]) {
  entry *e = log_push(l, kind);
  if (snap) memcpy(e->snap, snap, 8);
  l->last_span = 0;
}

static int log_equal(const event_log *a, const event_log *b, size_t *where) {
  size_t n = a->n < b->n ? a->n : b->n;
  for (size_t i = 0; i < n; i++) {
    const entry *x = &a->e[i], *y = &b->e[i];
    if (x->kind != y->kind || x->len != y->len || memcmp(x->snap, y->snap, 8) != 0 ||
        (x->len && memcmp(a->bytes + x->off, b->bytes + y->off, x->len) != 0)) {
      *where = i;
      return 0;
    }
  }
  *where = n;
  return a->n == b->n;
}

/* ---- HTTP through callbacks ---- */
typedef struct {
  event_log log;
  int pauses;        /* pause at random */
  int skip_bodies;   /* on_headers_complete returns 1 for some messages */
  uint64_t plan_seed;
  unsigned headers_seen;
  int paused;
  const uint8_t *buf; /* the current execute call's buffer */
  size_t buf_len;
  int both;
} http_ctx;

static int skip_planned(uint64_t seed, unsigned k) {
  uint64_t x = (seed + 1) * 0x9E3779B97F4A7C15ULL ^ (k * 0xBF58476D1CE4E5B9ULL);
  x ^= x >> 29;
  return (x & 3) == 0;
}

static int maybe_pause(http_ctx *c) {
  if (c->pauses && rng_below(4) == 0) {
    c->paused = 1;
    return WF_HPE_PAUSED;
  }
  return 0;
}

static void snapshot(wf_http_parser *p, uint8_t snap[8]) {
  uint16_t status = wf_http_get_status_code(p);
  snap[0] = wf_http_get_method(p);
  snap[1] = wf_http_get_http_major(p);
  snap[2] = wf_http_get_http_minor(p);
  snap[3] = (uint8_t)(status & 0xFF);
  snap[4] = (uint8_t)(status >> 8);
  snap[5] = wf_http_get_upgrade(p);
  snap[6] = (uint8_t)wf_http_should_keep_alive(p);
  snap[7] = 0;
}

static int on_span(wf_http_parser *p, uint8_t kind, const char *at, size_t len) {
  http_ctx *c = wf_http_get_data(p);
  const uint8_t *u = (const uint8_t *)at;
  int inside = u >= c->buf && u + len <= c->buf + c->buf_len;
  CHECK(inside || (c->both && kind == WF_HTTP_EVENT_KIND_METHOD), "span %u outside the input", kind);
  log_span(&c->log, kind, u, len);
  return maybe_pause(c);
}

static int on_note(wf_http_parser *p, uint8_t kind) {
  http_ctx *c = wf_http_get_data(p);
  uint8_t snap[8];
  int with = kind == WF_HTTP_EVENT_KIND_HEADERS_COMPLETE || kind == WF_HTTP_EVENT_KIND_MESSAGE_COMPLETE;
  if (with) snapshot(p, snap);
  log_note(&c->log, kind, with ? snap : NULL);
  if (kind == WF_HTTP_EVENT_KIND_HEADERS_COMPLETE) {
    unsigned k = c->headers_seen++;
    if (c->skip_bodies && skip_planned(c->plan_seed, k)) return 1;
  }
  return maybe_pause(c);
}

#define SPAN_CB(name, KIND) \
  static int name(wf_http_parser *p, const char *at, size_t len) { return on_span(p, KIND, at, len); }
#define NOTE_CB(name, KIND) \
  static int name(wf_http_parser *p) { return on_note(p, KIND); }

SPAN_CB(cb_method, WF_HTTP_EVENT_KIND_METHOD)
SPAN_CB(cb_url, WF_HTTP_EVENT_KIND_URL)
SPAN_CB(cb_status, WF_HTTP_EVENT_KIND_STATUS)
SPAN_CB(cb_version, WF_HTTP_EVENT_KIND_VERSION)
SPAN_CB(cb_field, WF_HTTP_EVENT_KIND_HEADER_FIELD)
SPAN_CB(cb_value, WF_HTTP_EVENT_KIND_HEADER_VALUE)
SPAN_CB(cb_ext_name, WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_NAME)
SPAN_CB(cb_ext_value, WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_VALUE)
SPAN_CB(cb_body, WF_HTTP_EVENT_KIND_BODY)
NOTE_CB(cb_begin, WF_HTTP_EVENT_KIND_MESSAGE_BEGIN)
NOTE_CB(cb_headers, WF_HTTP_EVENT_KIND_HEADERS_COMPLETE)
NOTE_CB(cb_complete, WF_HTTP_EVENT_KIND_MESSAGE_COMPLETE)
NOTE_CB(cb_method_done, WF_HTTP_EVENT_KIND_METHOD_COMPLETE)
NOTE_CB(cb_url_done, WF_HTTP_EVENT_KIND_URL_COMPLETE)
NOTE_CB(cb_status_done, WF_HTTP_EVENT_KIND_STATUS_COMPLETE)
NOTE_CB(cb_version_done, WF_HTTP_EVENT_KIND_VERSION_COMPLETE)
NOTE_CB(cb_field_done, WF_HTTP_EVENT_KIND_HEADER_FIELD_COMPLETE)
NOTE_CB(cb_value_done, WF_HTTP_EVENT_KIND_HEADER_VALUE_COMPLETE)
NOTE_CB(cb_ext_name_done, WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_NAME_COMPLETE)
NOTE_CB(cb_ext_value_done, WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_VALUE_COMPLETE)
NOTE_CB(cb_chunk_header, WF_HTTP_EVENT_KIND_CHUNK_HEADER)
NOTE_CB(cb_chunk_done, WF_HTTP_EVENT_KIND_CHUNK_COMPLETE)
NOTE_CB(cb_reset, WF_HTTP_EVENT_KIND_RESET)

static wf_http_settings settings;

static void settings_setup(void) {
  wf_http_settings_init(&settings);
  settings.on_message_begin = cb_begin;
  settings.on_method = cb_method;
  settings.on_url = cb_url;
  settings.on_status = cb_status;
  settings.on_version = cb_version;
  settings.on_header_field = cb_field;
  settings.on_header_value = cb_value;
  settings.on_chunk_extension_name = cb_ext_name;
  settings.on_chunk_extension_value = cb_ext_value;
  settings.on_headers_complete = cb_headers;
  settings.on_body = cb_body;
  settings.on_message_complete = cb_complete;
  settings.on_method_complete = cb_method_done;
  settings.on_url_complete = cb_url_done;
  settings.on_status_complete = cb_status_done;
  settings.on_version_complete = cb_version_done;
  settings.on_header_field_complete = cb_field_done;
  settings.on_header_value_complete = cb_value_done;
  settings.on_chunk_extension_name_complete = cb_ext_name_done;
  settings.on_chunk_extension_value_complete = cb_ext_value_done;
  settings.on_chunk_header = cb_chunk_header;
  settings.on_chunk_complete = cb_chunk_done;
  settings.on_reset = cb_reset;
}

typedef struct {
  wf_hpe errno_;
  size_t stop;
} outcome;

/* Random increasing cuts strictly inside (0, len); returns how many. */
static size_t make_cuts(size_t len, uint8_t mode, size_t *cuts, size_t max) {
  size_t n = 0;
  if (len < 2 || mode % 4 == 0) return 0;
  if (mode % 4 == 1 && len - 1 <= max) {
    for (size_t i = 1; i < len; i++) cuts[n++] = i;
    return n;
  }
  size_t want = 1 + rng_below(8);
  for (size_t i = 0; i < want && n < max; i++) cuts[n++] = 1 + rng_below(len - 1);
  /* sort and dedup */
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
      size_t t = cuts[j];
      cuts[j] = cuts[j - 1];
      cuts[j - 1] = t;
    }
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || cuts[m - 1] != cuts[i]) cuts[m++] = cuts[i];
  return m;
}

static outcome http_callbacks(uint8_t type, uint32_t lenient, int finish, const uint8_t *in,
                              size_t len, const size_t *cuts, size_t ncuts, http_ctx *c) {
  wf_http_parser p;
  wf_http_parser_init(&p, type);
  wf_http_set_lenient_flags(&p, lenient);
  wf_http_set_data(&p, c);
  c->both = type == WF_HTTP_TYPE_BOTH;
  size_t start = 0;
  unsigned rounds = 0;
  for (size_t k = 0; k <= ncuts; k++) {
    size_t end = k < ncuts ? cuts[k] : len;
    size_t pos = start;
    for (;;) {
      CHECK(++rounds < 1000000, "no progress");
      c->buf = in + pos;
      c->buf_len = end - pos;
      c->paused = 0;
      size_t n = wf_http_execute(&p, &settings, (const char *)in + pos, end - pos);
      CHECK(n <= end - pos, "consumed %zu of %zu", n, end - pos);
      wf_hpe e = wf_http_errno(&p);
      if (e == WF_HPE_OK) {
        CHECK(n == end - pos, "stopped without an error");
        break;
      }
      CHECK(n == wf_http_error_offset(&p), "return value is not the error offset");
      CHECK(wf_http_errno_name(e) != NULL && wf_http_error_reason(&p) != NULL, "names");
      if (e == WF_HPE_PAUSED && c->paused) {
        CHECK(wf_http_execute(&p, &settings, (const char *)in + pos, end - pos) == 0,
              "a paused parser consumed bytes");
        wf_http_resume(&p);
        pos += n;
        continue;
      }
      CHECK(e != WF_HPE_PAUSED, "paused without a pause request");
      return (outcome){e, pos + n};
    }
    start = end;
  }
  wf_hpe e = WF_HPE_OK;
  if (finish) {
    c->pauses = 0;
    e = wf_http_finish(&p, &settings);
  }
  return (outcome){e, len};
}

static outcome http_events(uint8_t type, uint32_t lenient, int skip_bodies, uint64_t plan_seed,
                           const uint8_t *in, size_t len, const size_t *cuts, size_t ncuts,
                           size_t cap, event_log *log) {
  wf_http_parser p;
  wf_http_parser_init(&p, type);
  wf_http_set_lenient_flags(&p, lenient);
  wf_http_event rows[8];
  unsigned headers_seen = 0;
  uint32_t options = skip_bodies ? WF_HTTP_EVENTS_STOP_AFTER_HEADERS : 0;
  size_t start = 0;
  unsigned rounds = 0;
  for (size_t k = 0; k <= ncuts; k++) {
    size_t end = k < ncuts ? cuts[k] : len;
    size_t pos = start;
    for (;;) {
      CHECK(++rounds < 1000000, "no progress");
      size_t count = 99;
      size_t n = wf_http_execute_events(&p, (const char *)in + pos, end - pos, rows, cap,
                                        options, &count);
      CHECK(n <= end - pos && count <= cap, "events: %zu of %zu, %zu rows", n, end - pos, count);
      int stopped_after_headers = 0;
      for (size_t i = 0; i < count; i++) {
        const wf_http_event *r = &rows[i];
        switch (r->kind) {
          case WF_HTTP_EVENT_KIND_METHOD: case WF_HTTP_EVENT_KIND_URL: case WF_HTTP_EVENT_KIND_STATUS:
          case WF_HTTP_EVENT_KIND_VERSION: case WF_HTTP_EVENT_KIND_HEADER_FIELD:
          case WF_HTTP_EVENT_KIND_HEADER_VALUE: case WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_NAME:
          case WF_HTTP_EVENT_KIND_CHUNK_EXTENSION_VALUE: case WF_HTTP_EVENT_KIND_BODY:
            CHECK(r->offset + r->length <= end - pos, "row outside the input");
            log_span(log, r->kind, in + pos + r->offset, r->length);
            break;
          default: {
            uint8_t snap[8] = {r->method, r->http_major, r->http_minor,
                               (uint8_t)(r->status_code & 0xFF), (uint8_t)(r->status_code >> 8),
                               r->upgrade, r->should_keep_alive, 0};
            int with = r->kind == WF_HTTP_EVENT_KIND_HEADERS_COMPLETE ||
                       r->kind == WF_HTTP_EVENT_KIND_MESSAGE_COMPLETE;
            if (r->kind == WF_HTTP_EVENT_KIND_HEADERS_COMPLETE && skip_bodies) {
              CHECK(i + 1 == count, "rows after a stop after the headers");
              stopped_after_headers = 1;
              if (skip_planned(plan_seed, headers_seen)) wf_http_skip_body(&p, 0);
              headers_seen++;
            }
            log_note(log, r->kind, with ? snap : NULL);
          }
        }
      }
      pos += n;
      wf_hpe e = wf_http_errno(&p);
      if (e != WF_HPE_OK) return (outcome){e, pos};
      if (pos == end && count < cap && !stopped_after_headers) break;
    }
    start = end;
  }
  return (outcome){WF_HPE_OK, len};
}

static void fuzz_http(uint8_t type, uint8_t flags, uint32_t lenient, uint8_t seed, uint8_t cut_mode,
                      const uint8_t *in, size_t len) {
  int skip = flags & 1, finish = (flags >> 1) & 1;
  http_ctx whole = {0}, split = {0};
  whole.skip_bodies = split.skip_bodies = skip;
  whole.plan_seed = split.plan_seed = seed;
  outcome a = http_callbacks(type, lenient, finish, in, len, NULL, 0, &whole);

  size_t *cuts = malloc((len + 1) * sizeof *cuts);
  CHECK(cuts != NULL, "out of memory");
  rng_state = 0x9E3779B97F4A7C15ULL ^ seed ^ ((uint64_t)cut_mode << 8);
  size_t ncuts = make_cuts(len, cut_mode, cuts, len);
  split.pauses = 1;
  outcome b = http_callbacks(type, lenient, finish, in, len, cuts, ncuts, &split);
  size_t where;
  CHECK(a.errno_ == b.errno_ && a.stop == b.stop, "split: %s at %zu vs %s at %zu (%zu cuts)",
        wf_http_errno_name(b.errno_), b.stop, wf_http_errno_name(a.errno_), a.stop, ncuts);
  CHECK(log_equal(&whole.log, &split.log, &where), "split events differ at entry %zu (%zu cuts)",
        where, ncuts);

  if (type != WF_HTTP_TYPE_BOTH && !finish) {
    event_log ev = {0};
    size_t cap = 1 + rng_below(8);
    outcome c = http_events(type, lenient, skip, seed, in, len, cuts, ncuts, cap, &ev);
    CHECK(c.errno_ == a.errno_ && c.stop == a.stop, "events: %s at %zu vs %s at %zu",
          wf_http_errno_name(c.errno_), c.stop, wf_http_errno_name(a.errno_), a.stop);
    CHECK(log_equal(&whole.log, &ev, &where), "events entry point differs at entry %zu (cap %zu)",
          where, cap);
    log_free(&ev);
  }
  free(cuts);
  log_free(&whole.log);
  log_free(&split.log);
}

/* ---- WebSocket decoder ---- */
typedef struct {
  event_log log;
  int pauses, paused;
} ws_ctx;

static ws_ctx *ws_current;

static int ws_pause(void) {
  if (ws_current->pauses && rng_below(4) == 0) {
    ws_current->paused = 1;
    return WF_WS_ERR_PAUSED;
  }
  return 0;
}

static int ws_on_header(wf_ws_decoder *d, const wf_ws_frame_header *h) {
  (void)d;
  uint8_t snap[8] = {h->fin, h->rsv1 | h->rsv2 << 1 | h->rsv3 << 2, h->opcode, h->masked,
                     (uint8_t)h->payload_len, (uint8_t)(h->payload_len >> 8),
                     (uint8_t)(h->payload_len >> 56), h->mask_key[0] ^ h->mask_key[3]};
  log_note(&ws_current->log, 100, snap);
  return ws_pause();
}

static int ws_on_payload(wf_ws_decoder *d, const uint8_t *at, size_t len) {
  (void)d;
  log_span(&ws_current->log, 101, at, len);
  return ws_pause();
}

static int ws_on_end(wf_ws_decoder *d, const wf_ws_frame_end *e) {
  (void)d;
  uint8_t snap[8] = {e->opcode, e->message_opcode, e->fin, e->message_end,
                     (uint8_t)e->close_code, (uint8_t)(e->close_code >> 8), 0, 0};
  log_note(&ws_current->log, 102, snap);
  return ws_pause();
}

static void ws_run(uint32_t role, uint32_t flags, uint8_t *buf, size_t len, const size_t *cuts,
                   size_t ncuts, ws_ctx *c, wf_ws_err *err, uint64_t *err_off) {
  wf_ws_decoder d;
  CHECK(wf_ws_decoder_init(&d, role) == WF_WS_ERR_OK, "init");
  CHECK(wf_ws_decoder_set_flags(&d, flags) == WF_WS_ERR_OK, "flags");
  CHECK(wf_ws_decoder_set_limits(&d, 0, 1 << 16, 64) == WF_WS_ERR_OK, "limits");
  wf_ws_callbacks cbs = {ws_on_header, ws_on_payload, ws_on_end};
  ws_current = c;
  size_t start = 0;
  unsigned rounds = 0;
  for (size_t k = 0; k <= ncuts; k++) {
    size_t end = k < ncuts ? cuts[k] : len;
    size_t pos = start;
    for (;;) {
      CHECK(++rounds < 1000000, "no progress");
      c->paused = 0;
      size_t n = wf_ws_decode(&d, &cbs, buf + pos, end - pos);
      CHECK(n <= end - pos, "decoded too much");
      wf_ws_err e = wf_ws_decoder_error(&d);
      if (e == WF_WS_ERR_OK) {
        CHECK(n == end - pos, "stopped without an error");
        break;
      }
      if (e == WF_WS_ERR_PAUSED && c->paused) {
        pos += n;
        continue;
      }
      CHECK(e != WF_WS_ERR_PAUSED, "paused without a pause request");
      CHECK(wf_ws_err_name(e) != NULL && wf_ws_decoder_error_reason(&d) != NULL, "names");
      *err = e;
      *err_off = wf_ws_decoder_error_offset(&d);
      return;
    }
    start = end;
  }
  *err = WF_WS_ERR_OK;
  *err_off = 0;
}

static void fuzz_ws(uint8_t flags, uint8_t dflags, uint8_t seed, uint8_t cut_mode,
                    const uint8_t *in, size_t len) {
  uint32_t role = (flags >> 2) & 1 ? WF_WS_ROLE_CLIENT : WF_WS_ROLE_SERVER;
  uint8_t *a = malloc(len + 1), *b = malloc(len + 1);
  size_t *cuts = malloc((len + 1) * sizeof *cuts);
  CHECK(a && b && cuts, "out of memory");
  memcpy(a, in, len);
  memcpy(b, in, len);
  ws_ctx whole = {0}, split = {0};
  wf_ws_err ea, eb;
  uint64_t oa, ob;
  ws_run(role, dflags & 31, a, len, NULL, 0, &whole, &ea, &oa);
  rng_state = 0x9E3779B97F4A7C15ULL ^ seed ^ ((uint64_t)cut_mode << 8);
  size_t ncuts = make_cuts(len, cut_mode, cuts, len);
  split.pauses = 1;
  ws_run(role, dflags & 31, b, len, cuts, ncuts, &split, &eb, &ob);
  size_t where;
  CHECK(ea == eb && oa == ob, "ws split: %s at %llu vs %s at %llu", wf_ws_err_name(eb),
        (unsigned long long)ob, wf_ws_err_name(ea), (unsigned long long)oa);
  CHECK(log_equal(&whole.log, &split.log, &where), "ws events differ at entry %zu", where);
  log_free(&whole.log);
  log_free(&split.log);
  free(a);
  free(b);
  free(cuts);
}

static void fuzz_url(uint8_t flags, const uint8_t *in, size_t len) {
  wf_http_url u;
  if (wf_http_parse_url((const char *)in, len, flags & 1, &u) != 0) return;
  size_t last_end = 0;
  static const int order[] = {0, 6, 1, 2, 3, 4, 5}; /* schema userinfo host port path query frag */
  for (int i = 0; i < 7; i++) {
    int f = order[i];
    if (!(u.field_set & (1u << f))) continue;
    CHECK(u.fields[f].offset + u.fields[f].length <= len, "part %d outside the URL", f);
    CHECK(u.fields[f].offset >= last_end, "part %d out of order", f);
    last_end = u.fields[f].offset + u.fields[f].length;
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  settings_setup();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  uint8_t mode = data[0] % 5, flags = data[0] / 5;
  const uint8_t *in = data + 4;
  size_t len = size - 4;
  switch (mode) {
    case 0: fuzz_http(WF_HTTP_TYPE_REQUEST, flags, data[1], data[2], data[3], in, len); break;
    case 1: fuzz_http(WF_HTTP_TYPE_RESPONSE, flags, data[1], data[2], data[3], in, len); break;
    case 2: fuzz_http(WF_HTTP_TYPE_BOTH, flags, data[1], data[2], data[3], in, len); break;
    case 3: fuzz_ws(flags, data[1], data[2], data[3], in, len); break;
    default: fuzz_url(flags, in, len); break;
  }
  return 0;
}
