/* wireframe through its C ABI, as a C program gets it: the callback API (wf_http_execute)
 * with the shared span-recording callbacks, and the events entry point
 * (wf_http_execute_events, without the span-complete rows, as a binding reads them) whose rows
 * are turned into the same records. Strict defaults. */
#include <wireframe.h>

#include "bench.h"

#define C(p) ((wb_counts *)(p)->data)

static int on_url(wf_http_parser *p, const char *at, size_t n) { (void)at; wb_url(C(p), n); return 0; }
static int on_status(wf_http_parser *p, const char *at, size_t n) { (void)at; wb_status(C(p), n); return 0; }
static int on_field(wf_http_parser *p, const char *at, size_t n) { (void)at; wb_field(C(p), n); return 0; }
static int on_value(wf_http_parser *p, const char *at, size_t n) { (void)at; wb_value(C(p), n); return 0; }
static int on_headers_complete(wf_http_parser *p) { wb_headers_done(C(p)); return 0; }
static int on_body(wf_http_parser *p, const char *at, size_t n) { (void)at; wb_body(C(p), n); return 0; }
static int on_message_complete(wf_http_parser *p) { wb_message_done(C(p)); return 0; }

static wf_http_settings settings;
static int settings_ready;

int wb_wireframe_pass(const wb_seg *segs, size_t n, int type, wb_counts *c) {
  if (!settings_ready) {
    wf_http_settings_init(&settings);
    settings.on_url = on_url;
    settings.on_status = on_status;
    settings.on_header_field = on_field;
    settings.on_header_value = on_value;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;
    settings_ready = 1;
  }
  wf_http_parser parser;
  wf_http_parser_init(&parser, type == WB_REQUEST ? WF_HTTP_TYPE_REQUEST : WF_HTTP_TYPE_RESPONSE);
  parser.data = c;
  for (size_t i = 0; i < n; i++) {
    size_t done = wf_http_execute(&parser, &settings, segs[i].ptr, segs[i].len);
    if (done != segs[i].len || wf_http_errno(&parser) != WF_HPE_OK)
      return 100 + (int)wf_http_errno(&parser);
  }
  return 0;
}

/* Rows per call, as a binding would size its array. */
#define WB_EVENT_ROWS 128

int wb_wireframe_events_pass(const wb_seg *segs, size_t n, int type, wb_counts *c) {
  wf_http_parser parser;
  wf_http_event rows[WB_EVENT_ROWS];
  wf_http_parser_init(&parser, type == WB_REQUEST ? WF_HTTP_TYPE_REQUEST : WF_HTTP_TYPE_RESPONSE);
  for (size_t i = 0; i < n; i++) {
    const char *data = segs[i].ptr;
    size_t left = segs[i].len;
    for (;;) {
      size_t count = 0;
      size_t done = wf_http_execute_events(&parser, data, left, rows, WB_EVENT_ROWS,
                                           WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE, &count);
      if (wf_http_errno(&parser) != WF_HPE_OK) return 100 + (int)wf_http_errno(&parser);
      if (done == 0 && count == 0 && left > 0) return 99; /* no progress */
      for (size_t r = 0; r < count; r++) {
        switch (rows[r].kind) {
        case WF_HTTP_EVENT_KIND_URL: wb_url(c, rows[r].length); break;
        case WF_HTTP_EVENT_KIND_STATUS: wb_status(c, rows[r].length); break;
        case WF_HTTP_EVENT_KIND_HEADER_FIELD: wb_field(c, rows[r].length); break;
        case WF_HTTP_EVENT_KIND_HEADER_VALUE: wb_value(c, rows[r].length); break;
        case WF_HTTP_EVENT_KIND_HEADERS_COMPLETE: wb_headers_done(c); break;
        case WF_HTTP_EVENT_KIND_BODY: wb_body(c, rows[r].length); break;
        case WF_HTTP_EVENT_KIND_MESSAGE_COMPLETE: wb_message_done(c); break;
        default: break;
        }
      }
      data += done;
      left -= done;
      /* A full array may leave events pending even with no bytes left. */
      if (left == 0 && count < WB_EVENT_ROWS) break;
    }
  }
  return 0;
}
