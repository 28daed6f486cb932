/* nodejs/http-parser 2.9.4 (Debian's libhttp-parser-dev, linked statically) driven with the
 * shared span-recording callbacks. */
#include <http_parser.h>

#include "bench.h"

#define C(p) ((wb_counts *)(p)->data)

static int on_url(http_parser *p, const char *at, size_t n) { (void)at; wb_url(C(p), n); return 0; }
static int on_status(http_parser *p, const char *at, size_t n) { (void)at; wb_status(C(p), n); return 0; }
static int on_field(http_parser *p, const char *at, size_t n) { (void)at; wb_field(C(p), n); return 0; }
static int on_value(http_parser *p, const char *at, size_t n) { (void)at; wb_value(C(p), n); return 0; }
static int on_headers_complete(http_parser *p) { wb_headers_done(C(p)); return 0; }
static int on_body(http_parser *p, const char *at, size_t n) { (void)at; wb_body(C(p), n); return 0; }
static int on_message_complete(http_parser *p) { wb_message_done(C(p)); return 0; }

static const http_parser_settings settings = {
  .on_url = on_url,
  .on_status = on_status,
  .on_header_field = on_field,
  .on_header_value = on_value,
  .on_headers_complete = on_headers_complete,
  .on_body = on_body,
  .on_message_complete = on_message_complete,
};

int wb_http_parser_pass(const wb_seg *segs, size_t n, int type, wb_counts *c) {
  http_parser parser;
  http_parser_init(&parser, type == WB_REQUEST ? HTTP_REQUEST : HTTP_RESPONSE);
  parser.data = c;
  for (size_t i = 0; i < n; i++) {
    size_t done = http_parser_execute(&parser, &settings, segs[i].ptr, segs[i].len);
    if (done != segs[i].len || HTTP_PARSER_ERRNO(&parser) != HPE_OK)
      return 100 + (int)HTTP_PARSER_ERRNO(&parser);
  }
  return 0;
}
