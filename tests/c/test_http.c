/* The HTTP parser through the C ABI: callbacks, splits, pause/resume, upgrade, errors, the
 * events entry point, the URL parser and NULL arguments. Inputs sit right before a guard page,
 * so any read past the end crashes the test. */
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "wireframe.h"

static int passed, failed;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      passed++;                                                              \
    } else {                                                                 \
      failed++;                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

/* A log of events as text; pieces of one span are merged. */
typedef struct log {
  char text[4096];
  size_t len;
  char last; /* kind of the last entry: a letter for spans, 0 otherwise */
  int pause_on_headers;
} log_t;

static void log_add(log_t *log, char kind, const char *at, size_t n) {
  if (kind && log->last == kind) {
    /* continue the previous span */
  } else {
    log->len += (size_t)snprintf(log->text + log->len, sizeof log->text - log->len, "%s%c",
                                 log->len ? "|" : "", kind ? kind : '.');
  }
  if (at && n < sizeof log->text - log->len) {
    memcpy(log->text + log->len, at, n);
    log->len += n;
    log->text[log->len] = 0;
  }
  log->last = kind;
}

static void log_note(log_t *log, const char *what) {
  log->len += (size_t)snprintf(log->text + log->len, sizeof log->text - log->len, "%s%s",
                               log->len ? "|" : "", what);
  log->last = 0;
}

#define LOG(p) ((log_t *)(p)->data)

static int on_begin(wf_http_parser *p) { log_note(LOG(p), "begin"); return 0; }
static int on_method(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'M', at, n); return 0; }
static int on_url(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'U', at, n); return 0; }
static int on_status(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'S', at, n); return 0; }
static int on_version(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'V', at, n); return 0; }
static int on_field(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'F', at, n); return 0; }
static int on_value(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'v', at, n); return 0; }
static int on_body(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'B', at, n); return 0; }
static int on_ext_name(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'e', at, n); return 0; }
static int on_ext_value(wf_http_parser *p, const char *at, size_t n) { log_add(LOG(p), 'x', at, n); return 0; }
static int on_field_done(wf_http_parser *p) { log_note(LOG(p), ":"); return 0; }
static int on_value_done(wf_http_parser *p) { log_note(LOG(p), ";"); return 0; }
static int on_headers(wf_http_parser *p) {
  char note[64];
  snprintf(note, sizeof note, "headers(%s %d.%d ka=%d)", wf_http_method_str(p->method),
           p->http_major, p->http_minor, wf_http_should_keep_alive(p));
  log_note(LOG(p), note);
  return LOG(p)->pause_on_headers ? WF_HPE_PAUSED : 0;
}
static int on_chunk_header(wf_http_parser *p) {
  char note[32];
  snprintf(note, sizeof note, "chunk(%llu)", (unsigned long long)p->content_length);
  log_note(LOG(p), note);
  return 0;
}
static int on_complete(wf_http_parser *p) { log_note(LOG(p), "complete"); return 0; }

static wf_http_settings make_settings(void) {
  wf_http_settings s;
  wf_http_settings_init(&s);
  s.on_message_begin = on_begin;
  s.on_method = on_method;
  s.on_url = on_url;
  s.on_status = on_status;
  s.on_version = on_version;
  s.on_header_field = on_field;
  s.on_header_value = on_value;
  s.on_header_field_complete = on_field_done;
  s.on_header_value_complete = on_value_done;
  s.on_headers_complete = on_headers;
  s.on_chunk_header = on_chunk_header;
  s.on_chunk_extension_name = on_ext_name;
  s.on_chunk_extension_value = on_ext_value;
  s.on_body = on_body;
  s.on_message_complete = on_complete;
  return s;
}

static const char REQUEST[] =
    "POST /upload?x=1 HTTP/1.1\r\n"
    "Host: example.com\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "5;name=val\r\nhello\r\n"
    "0\r\n\r\n";

static const char REQUEST_LOG[] =
    "begin|MPOST|U/upload?x=1|V1.1|FHost|:|vexample.com|;|FTransfer-Encoding|:|vchunked|;"
    "|headers(POST 1.1 ka=1)|ename|xval|chunk(5)|Bhello|chunk(0)|complete";

/* Parses `input` in two pieces cut at `cut`, each copied before a guard page. */
static size_t parse_two(wf_http_parser *p, const wf_http_settings *s, const char *input,
                        size_t len, size_t cut) {
  guarded a = guarded_copy(input, cut);
  guarded b = guarded_copy(input + cut, len - cut);
  size_t n = wf_http_execute(p, s, (const char *)a.data, cut);
  if (n == cut) n += wf_http_execute(p, s, (const char *)b.data, len - cut);
  guarded_free(&a);
  guarded_free(&b);
  return n;
}

static void test_request_at_every_split(void) {
  wf_http_settings s = make_settings();
  size_t len = sizeof REQUEST - 1;
  for (size_t cut = 0; cut <= len; cut++) {
    wf_http_parser p;
    log_t log = {0};
    wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
    p.data = &log;
    size_t n = parse_two(&p, &s, REQUEST, len, cut);
    CHECK(n == len);
    CHECK(wf_http_errno(&p) == WF_HPE_OK);
    if (strcmp(log.text, REQUEST_LOG) != 0) {
      fprintf(stderr, "cut %zu:\n got  %s\n want %s\n", cut, log.text, REQUEST_LOG);
      failed++;
    } else {
      passed++;
    }
    CHECK(p.method == WF_HTTP_METHOD_POST);
    CHECK(wf_http_get_method(&p) == WF_HTTP_METHOD_POST);
    CHECK(p.http_major == 1 && p.http_minor == 1);
    CHECK((p.flags & WF_F_CHUNKED) != 0);
  }
}

/* A parser embedded in a connection struct, as an event loop would keep it. */
struct connection {
  int fd;
  wf_http_parser parser;
  log_t log;
};

static void test_response_embedded_and_finish(void) {
  static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nServer: t\r\n\r\nuntil the end";
  wf_http_settings s = make_settings();
  struct connection c = {.fd = -1};
  wf_http_parser_init(&c.parser, WF_HTTP_TYPE_RESPONSE);
  wf_http_set_data(&c.parser, &c.log);
  CHECK(wf_http_get_data(&c.parser) == &c.log);
  guarded g = guarded_copy(RESPONSE, sizeof RESPONSE - 1);
  CHECK(wf_http_execute(&c.parser, &s, (const char *)g.data, sizeof RESPONSE - 1) ==
        sizeof RESPONSE - 1);
  guarded_free(&g);
  CHECK(c.parser.status_code == 200 && wf_http_get_status_code(&c.parser) == 200);
  CHECK(wf_http_message_needs_eof(&c.parser) == 1);
  CHECK(strstr(c.log.text, "complete") == NULL);
  CHECK(wf_http_finish(&c.parser, &s) == WF_HPE_OK);
  CHECK(strcmp(c.log.text,
               "begin|V1.1|SOK|FServer|:|vt|;|headers(DELETE 1.1 ka=0)|Buntil the end|complete") == 0);
}

static void test_pause_and_resume(void) {
  wf_http_settings s = make_settings();
  wf_http_parser p;
  log_t log = {0};
  log.pause_on_headers = 1;
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  p.data = &log;
  static const char TWO[] = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
  size_t len = sizeof TWO - 1;
  size_t n = wf_http_execute(&p, &s, TWO, len);
  CHECK(n == 19);
  CHECK(wf_http_errno(&p) == WF_HPE_PAUSED);
  CHECK(wf_http_execute(&p, &s, TWO + n, len - n) == 0);
  wf_http_resume(&p);
  size_t m = wf_http_execute(&p, &s, TWO + n, len - n);
  CHECK(m == 19);
  CHECK(wf_http_errno(&p) == WF_HPE_PAUSED);
  wf_http_resume(&p);
  CHECK(wf_http_execute(&p, &s, TWO + n + m, len - n - m) == len - n - m);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
  CHECK(strstr(log.text, "U/b") != NULL);
}

static void test_upgrade_offset(void) {
  static const char UP[] =
      "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x80";
  wf_http_settings s = make_settings();
  wf_http_parser p;
  log_t log = {0};
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  p.data = &log;
  size_t len = sizeof UP - 1;
  size_t n = wf_http_execute(&p, &s, UP, len);
  CHECK(n == len - 2);
  CHECK(wf_http_errno(&p) == WF_HPE_PAUSED_UPGRADE);
  CHECK(p.upgrade == 1 && wf_http_get_upgrade(&p) == 1);
  CHECK(strcmp(wf_http_errno_name(wf_http_errno(&p)), "HPE_PAUSED_UPGRADE") == 0);
}

static void test_errors(void) {
  static const char SMUGGLE[] =
      "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
  wf_http_parser p;
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  guarded g = guarded_copy(SMUGGLE, sizeof SMUGGLE - 1);
  size_t n = wf_http_execute(&p, NULL, (const char *)g.data, sizeof SMUGGLE - 1);
  guarded_free(&g);
  /* Reported at the end of the line that makes the pair, before the blank line. */
  CHECK(n == sizeof SMUGGLE - 3);
  CHECK(wf_http_errno(&p) == WF_HPE_UNEXPECTED_CONTENT_LENGTH);
  CHECK(wf_http_error_offset(&p) == n);
  CHECK(strcmp(wf_http_errno_name(WF_HPE_UNEXPECTED_CONTENT_LENGTH),
               "HPE_UNEXPECTED_CONTENT_LENGTH") == 0);
  CHECK(strcmp(wf_http_error_reason(&p),
               "Content-Length can't be present with Transfer-Encoding") == 0);
  CHECK(strlen(wf_http_errno_description(WF_HPE_INVALID_METHOD)) > 0);
  CHECK(strcmp(wf_http_errno_name(9999), "HPE_UNKNOWN") == 0);
  /* A stopped parser stays stopped until reset. */
  CHECK(wf_http_execute(&p, NULL, "GET / HTTP/1.1\r\n\r\n", 18) == 0);
  wf_http_parser_reset(&p);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
  CHECK(wf_http_execute(&p, NULL, "GET / HTTP/1.1\r\n\r\n", 18) == 18);

  /* Leniency is per parser. */
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  wf_http_set_lenient_flags(&p, WF_LENIENT_CHUNKED_LENGTH);
  CHECK(wf_http_execute(&p, NULL, SMUGGLE, sizeof SMUGGLE - 1) == sizeof SMUGGLE - 1);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);

  /* The header limit. */
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  wf_http_set_max_header_size(&p, 10);
  CHECK(wf_http_execute(&p, NULL, "GET /0123456789 HTTP/1.1\r\n\r\n", 28) == 10);
  CHECK(wf_http_errno(&p) == WF_HPE_HEADER_OVERFLOW);
}

/* Parses `text` (copied before a guard page) with the logging callbacks; returns the bytes
 * consumed. */
static size_t parse_guarded(wf_http_parser *p, log_t *log, const char *text, size_t len) {
  wf_http_settings s = make_settings();
  p->data = log;
  guarded g = guarded_copy(text, len);
  size_t n = wf_http_execute(p, &s, (const char *)g.data, len);
  guarded_free(&g);
  return n;
}

static void test_conformance(void) {
  wf_http_parser p;
  log_t log = {0};
  /* The HTTP/2 connection preface: 24 bytes, then HTTP/2 frames. */
  static const char H2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04";
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  CHECK(parse_guarded(&p, &log, H2, sizeof H2 - 1) == 24);
  CHECK(wf_http_errno(&p) == WF_HPE_PAUSED_H2_UPGRADE);
  CHECK(strcmp(wf_http_errno_name(wf_http_errno(&p)), "HPE_PAUSED_H2_UPGRADE") == 0);
  CHECK(strcmp(log.text, "begin|MPRI|U*|V2.0") == 0);

  /* Raw bytes 0x80-0xFF in the target: refused at the first, unless the flag admits them. */
  static const char UTF8[] = "GET /\xce\xb4 HTTP/1.1\r\n\r\n";
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, UTF8, sizeof UTF8 - 1) == 5);
  CHECK(wf_http_errno(&p) == WF_HPE_INVALID_URL);
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  wf_http_set_lenient_flags(&p, WF_LENIENT_URL_NON_ASCII);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, UTF8, sizeof UTF8 - 1) == sizeof UTF8 - 1);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
  CHECK(strstr(log.text, "U/\xce\xb4|") != NULL);

  /* Data after `Connection: close`: an error, or discarded with WF_LENIENT_DATA_AFTER_CLOSE. */
  static const char CLOSE[] =
      "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n";
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, CLOSE, sizeof CLOSE - 1) == 37);
  CHECK(wf_http_errno(&p) == WF_HPE_CLOSED_CONNECTION);
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  wf_http_set_lenient_flags(&p, WF_LENIENT_DATA_AFTER_CLOSE);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, CLOSE, sizeof CLOSE - 1) == sizeof CLOSE - 1);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
  CHECK(strstr(log.text, "smuggled") == NULL);
  /* Later calls are discarded whole: no callback at all. */
  size_t logged = log.len;
  CHECK(parse_guarded(&p, &log, CLOSE, sizeof CLOSE - 1) == sizeof CLOSE - 1);
  CHECK(wf_http_errno(&p) == WF_HPE_OK && log.len == logged);

  /* Relaxed header values admit control characters but NUL, CR and LF. */
  static const char CTL[] = "GET / HTTP/1.1\r\nX: a\x0b\r\n\r\n";
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, CTL, sizeof CTL - 1) == 20);
  CHECK(wf_http_errno(&p) == WF_HPE_INVALID_HEADER_TOKEN);
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  wf_http_set_lenient_flags(&p, WF_LENIENT_HEADER_VALUE_RELAXED);
  memset(&log, 0, sizeof log);
  CHECK(parse_guarded(&p, &log, CTL, sizeof CTL - 1) == sizeof CTL - 1);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
}

/* A zero-filled parser was never initialised: it says so instead of parsing. */
static void test_not_initialised(void) {
  wf_http_parser p;
  memset(&p, 0, sizeof p);
  CHECK(wf_http_execute(&p, NULL, "GET / HTTP/1.1\r\n\r\n", 18) == 0);
  CHECK(wf_http_errno(&p) == WF_HPE_NOT_INITIALIZED);
  CHECK(strcmp(wf_http_errno_name(wf_http_errno(&p)), "HPE_NOT_INITIALIZED") == 0);
  CHECK(strcmp(wf_http_error_reason(&p), "The parser was not initialised (wf_http_parser_init)") == 0);
  memset(&p, 0, sizeof p);
  CHECK(wf_http_finish(&p, NULL) == WF_HPE_NOT_INITIALIZED);
  /* The version: the header's numbers and the library's text agree. */
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", WIREFRAME_VERSION_MAJOR, WIREFRAME_VERSION_MINOR,
           WIREFRAME_VERSION_PATCH);
  CHECK(strcmp(wf_version(), expected) == 0);
}

static void test_events(void) {
  wf_http_parser p;
  wf_http_event rows[4];
  size_t count = 0, total = 0, len = sizeof REQUEST - 1, bodies = 0;
  int kinds_seen = 0;
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  while (total < len || count == 4) {
    size_t n = wf_http_execute_events(&p, REQUEST + total, len - total, rows, 4, 0, &count);
    CHECK(wf_http_errno(&p) == WF_HPE_OK);
    for (size_t i = 0; i < count; i++) {
      if (rows[i].kind == WF_HTTP_EVENT_KIND_BODY) {
        bodies++;
        CHECK(memcmp(REQUEST + total + rows[i].offset, "hello", 5) == 0 && rows[i].length == 5);
      }
      if (rows[i].kind == WF_HTTP_EVENT_KIND_HEADERS_COMPLETE) {
        CHECK(rows[i].method == WF_HTTP_METHOD_POST && rows[i].should_keep_alive == 1);
      }
      kinds_seen++;
    }
    total += n;
    if (count < 4) break;
  }
  CHECK(total == len);
  CHECK(bodies == 1);
  CHECK(kinds_seen == 26);
  /* BOTH parsers are refused. */
  wf_http_parser_init(&p, WF_HTTP_TYPE_BOTH);
  CHECK(wf_http_execute_events(&p, REQUEST, len, rows, 4, 0, &count) == 0);
  CHECK(wf_http_errno(&p) == WF_HPE_INVALID_ARGUMENT);
}

static void test_url(void) {
  static const char URL[] = "https://user@example.com:8443/path/x?q=1#frag";
  wf_http_url u;
  CHECK(wf_http_parse_url(URL, sizeof URL - 1, 0, &u) == 0);
  CHECK(u.port == 8443);
  CHECK(u.field_set & (1 << WF_UF_HOST));
  CHECK(strncmp(URL + u.fields[WF_UF_HOST].offset, "example.com", u.fields[WF_UF_HOST].length) == 0);
  CHECK(u.fields[WF_UF_PATH].length == 7);
  CHECK(strncmp(URL + u.fields[WF_UF_USERINFO].offset, "user", 4) == 0);
  CHECK(wf_http_parse_url("host:80", 7, 1, &u) == 0 && u.port == 80);
  CHECK(wf_http_parse_url("no port", 7, 1, &u) == 1);
  CHECK(u.field_set == 0);
}

static void test_null_arguments(void) {
  wf_http_parser p;
  wf_http_parser_init(NULL, WF_HTTP_TYPE_REQUEST);
  wf_http_settings_init(NULL);
  CHECK(wf_http_execute(NULL, NULL, "GET", 3) == 0);
  CHECK(wf_http_errno(NULL) == WF_HPE_INVALID_ARGUMENT);
  CHECK(wf_http_should_keep_alive(NULL) == 0);
  CHECK(wf_http_finish(NULL, NULL) == WF_HPE_INVALID_ARGUMENT);
  CHECK(wf_http_parse_url(NULL, 4, 0, NULL) == 1);
  wf_http_pause(NULL);
  wf_http_resume(NULL);
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  CHECK(wf_http_execute(&p, NULL, NULL, 5) == 0);
  CHECK(wf_http_errno(&p) == WF_HPE_INVALID_ARGUMENT);
  wf_http_parser_init(&p, WF_HTTP_TYPE_REQUEST);
  CHECK(wf_http_execute(&p, NULL, NULL, 0) == 0);
  CHECK(wf_http_errno(&p) == WF_HPE_OK);
}

static void test_tables(void) {
  CHECK(strcmp(wf_http_method_str(WF_HTTP_METHOD_GET), "GET") == 0);
  CHECK(strcmp(wf_http_method_str(WF_HTTP_METHOD_M_SEARCH), "M-SEARCH") == 0);
  CHECK(strcmp(wf_http_method_str(WF_HTTP_METHOD_QUERY), "QUERY") == 0);
  CHECK(strcmp(wf_http_method_str(200), "<unknown>") == 0);
  CHECK(strcmp(wf_http_status_str(426), "Upgrade Required") == 0);
  CHECK(WF_HPE_PAUSED == 21 && WF_HTTP_METHOD_GET == 1 && WF_HTTP_TYPE_REQUEST == 1);
  CHECK(wf_http_parser_size() == sizeof(wf_http_parser));
  CHECK(wf_ws_decoder_size() == sizeof(wf_ws_decoder));
}

int main(void) {
  test_request_at_every_split();
  test_response_embedded_and_finish();
  test_pause_and_resume();
  test_upgrade_offset();
  test_errors();
  test_conformance();
  test_not_initialised();
  test_events();
  test_url();
  test_null_arguments();
  test_tables();
  printf("test_http: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
