/* The work every parser's callbacks do in the benchmark, shared by the C drivers.
 *
 * Each driver parses a "pass": a list of segments (the reads of one connection), with one
 * parser initialised at the start of the pass. The callbacks record the spans they are given
 * into a wb_counts (counts and summed lengths), which is the same small, real work for every
 * parser and which the harness compares across parsers after every input. */
#ifndef WB_BENCH_H
#define WB_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* One read of a connection: bytes the parser is given in one call. */
typedef struct wb_seg {
  const char *ptr;
  size_t len;
} wb_seg;

/* What the callbacks record. Mirrored by `Counts` in src/peers.rs (repr(C)). */
typedef struct wb_counts {
  uint64_t messages;     /* messages completed */
  uint64_t headers;      /* header lines (a field following anything but a field) */
  uint64_t url_bytes;    /* request-target bytes */
  uint64_t status_bytes; /* reason-phrase bytes */
  uint64_t field_bytes;  /* header-name bytes */
  uint64_t value_bytes;  /* header-value bytes */
  uint64_t body_bytes;   /* body bytes (decoded: chunk framing excluded) */
  uint64_t last;         /* private: the last span kind, for counting headers */
} wb_counts;

enum { WB_LAST_NONE = 0, WB_LAST_FIELD = 1, WB_LAST_VALUE = 2 };

/* Parser types, as passed by the harness. */
enum { WB_REQUEST = 1, WB_RESPONSE = 2 };

static inline void wb_url(wb_counts *c, size_t n) { c->url_bytes += n; }
static inline void wb_status(wb_counts *c, size_t n) { c->status_bytes += n; }
static inline void wb_field(wb_counts *c, size_t n) {
  if (c->last != WB_LAST_FIELD) c->headers++;
  c->field_bytes += n;
  c->last = WB_LAST_FIELD;
}
static inline void wb_value(wb_counts *c, size_t n) {
  c->value_bytes += n;
  c->last = WB_LAST_VALUE;
}
static inline void wb_headers_done(wb_counts *c) { c->last = WB_LAST_NONE; }
static inline void wb_body(wb_counts *c, size_t n) { c->body_bytes += n; }
static inline void wb_message_done(wb_counts *c) { c->messages++; }

/* Every driver: parse the `n` segments of one pass with one freshly initialised parser of
 * `type`, recording into `c`. Returns 0, or a nonzero code when a segment did not parse to
 * its end (the harness then fails the run). */
int wb_llhttp_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);
int wb_http_parser_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);
int wb_pico_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);
int wb_pico_sse42_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);
int wb_wireframe_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);
int wb_wireframe_events_pass(const wb_seg *segs, size_t n, int type, wb_counts *c);

#endif
