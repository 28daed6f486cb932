/* picohttpparser (the C file shipped in the picohttpparser-sys 1.0.0 crate) driven with the
 * shared span-recording work. build/compile_peers.rs compiles this file and picohttpparser.c twice, with and
 * without -msse4.2, renaming the phr_* symbols and WB_PICO_PASS with -D so both link.
 *
 * picohttpparser parses heads only, so this driver frames bodies the way a user of it must:
 * it finds Content-Length and Transfer-Encoding among the parsed headers (case-insensitive),
 * skips a Content-Length body (one body span), and decodes a chunked body with
 * phr_decode_chunked (one body span of the decoded length). phr_decode_chunked works in place:
 * it moves the decoded data and the bytes after the body down over the chunk framing, so the
 * harness restores the input buffer before each timed block (for every parser alike, untimed).
 * 1xx, 204 and 304 responses have no body; every benchmark message has a complete body. */
#include <string.h>
#include <strings.h>

#include "bench.h"
#include "picohttpparser.h"

#ifndef WB_PICO_PASS
#define WB_PICO_PASS wb_pico_pass
#endif

#define WB_MAX_HEADERS 64

static int name_is(const struct phr_header *h, const char *lower, size_t len) {
  return h->name_len == len && strncasecmp(h->name, lower, len) == 0;
}

/* 1 if the last transfer coding in the value is "chunked". */
static int value_is_chunked(const struct phr_header *h) {
  size_t n = h->value_len;
  while (n > 0 && (h->value[n - 1] == ' ' || h->value[n - 1] == '\t')) n--;
  if (n < 7 || strncasecmp(h->value + n - 7, "chunked", 7) != 0) return 0;
  return n == 7 || h->value[n - 8] == ',' || h->value[n - 8] == ' ' || h->value[n - 8] == '\t';
}

/* Parses a Content-Length value; -1 if it is not all digits. */
static long long parse_length(const struct phr_header *h) {
  if (h->value_len == 0 || h->value_len > 18) return -1;
  long long v = 0;
  for (size_t i = 0; i < h->value_len; i++) {
    unsigned d = (unsigned char)h->value[i] - '0';
    if (d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

int WB_PICO_PASS(const wb_seg *segs, size_t nsegs, int type, wb_counts *c) {
  struct phr_header headers[WB_MAX_HEADERS];
  for (size_t s = 0; s < nsegs; s++) {
    /* The harness owns the (restorable) buffer: chunked decoding writes into it. */
    char *buf = (char *)segs[s].ptr;
    size_t len = segs[s].len;
    while (len > 0) {
      size_t nh = WB_MAX_HEADERS;
      int minor, status = 0, r;
      if (type == WB_REQUEST) {
        const char *method, *path;
        size_t method_len, path_len;
        r = phr_parse_request(buf, len, &method, &method_len, &path, &path_len, &minor, headers,
                              &nh, 0);
        if (r < 0) return 10 - r;
        wb_url(c, path_len);
      } else {
        const char *msg;
        size_t msg_len;
        r = phr_parse_response(buf, len, &minor, &status, &msg, &msg_len, headers, &nh, 0);
        if (r < 0) return 10 - r;
        wb_status(c, msg_len);
      }
      long long content_length = -1;
      int chunked = 0;
      for (size_t i = 0; i < nh; i++) {
        wb_field(c, headers[i].name_len);
        wb_value(c, headers[i].value_len);
        if (name_is(&headers[i], "content-length", 14)) {
          content_length = parse_length(&headers[i]);
          if (content_length < 0) return 20;
        } else if (name_is(&headers[i], "transfer-encoding", 17)) {
          chunked = value_is_chunked(&headers[i]);
        }
      }
      wb_headers_done(c);
      buf += r;
      len -= (size_t)r;
      int no_body = type == WB_RESPONSE && (status / 100 == 1 || status == 204 || status == 304);
      if (no_body) {
        /* nothing */
      } else if (chunked) {
        struct phr_chunked_decoder dec;
        memset(&dec, 0, sizeof dec);
        dec.consume_trailer = 1;
        size_t decoded = len;
        ssize_t rest = phr_decode_chunked(&dec, buf, &decoded);
        if (rest < 0) return 30;
        if (decoded > 0) wb_body(c, decoded);
        /* The bytes after the body now follow the decoded data. */
        buf += decoded;
        len = (size_t)rest;
      } else if (content_length > 0) {
        if ((unsigned long long)content_length > len) return 31;
        wb_body(c, (size_t)content_length);
        buf += content_length;
        len -= (size_t)content_length;
      } else if (content_length < 0 && type == WB_RESPONSE) {
        return 32; /* read-until-EOF bodies are not in the benchmark */
      }
      wb_message_done(c);
    }
  }
  return 0;
}
