/* llhttp 8.1.0 (Debian's node-llhttp sources, compiled -O3 by build/compile_peers.rs) driven with the
 * shared span-recording callbacks. Strict mode: no leniency flags. */
#include <llhttp.h>

#include "bench.h"

#define C(p) ((wb_counts *)(p)->data)

static int on_url(llhttp_t *p, const char *at, size_t n) { (void)at; wb_url(C(p), n); return 0; }
static int on_status(llhttp_t *p, const char *at, size_t n) { (void)at; wb_status(C(p), n); return 0; }
static int on_field(llhttp_t *p, const char *at, size_t n) { (void)at; wb_field(C(p), n); return 0; }
static int on_value(llhttp_t *p, const char *at, size_t n) { (void)at; wb_value(C(p), n); return 0; }
static int on_headers_complete(llhttp_t *p) { wb_headers_done(C(p)); return 0; }
static int on_body(llhttp_t *p, const char *at, size_t n) { (void)at; wb_body(C(p), n); return 0; }
static int on_message_complete(llhttp_t *p) { wb_message_done(C(p)); return 0; }

static llhttp_settings_t settings;
static int settings_ready;

int wb_llhttp_pass(const wb_seg *segs, size_t n, int type, wb_counts *c) {
  if (!settings_ready) {
    llhttp_settings_init(&settings);
    settings.on_url = on_url;
    settings.on_status = on_status;
    settings.on_header_field = on_field;
    settings.on_header_value = on_value;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;
    settings_ready = 1;
  }
  llhttp_t parser;
  llhttp_init(&parser, type == WB_REQUEST ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
  parser.data = c;
  for (size_t i = 0; i < n; i++) {
    llhttp_errno_t err = llhttp_execute(&parser, segs[i].ptr, segs[i].len);
    if (err != HPE_OK) return 100 + (int)err;
  }
  return 0;
}
