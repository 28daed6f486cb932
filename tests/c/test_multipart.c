/* C test of the multipart parser and the form helpers through include/wireframe.h: a browser
 * body parsed whole, split at every byte (each piece copied right before a guard page, so an
 * over-read crashes), byte by byte and pausing after every event; the events entry point; the
 * errors with their offsets; the embedded parser; and every wf_form_* helper. */
#include "guard.h"
#include "wireframe.h"

#include <stdio.h>
#include <string.h>

#define CHECK(c)                                                            \
  do {                                                                      \
    if (!(c)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
      exit(1);                                                              \
    }                                                                       \
  } while (0)

/* Events recorded as text: B (part begin), F:name, V:value, E (header end), H (headers
 * finished), D:data, P (part end), Z (end). Pieces of one span are merged. */
typedef struct rec {
  char log[8192];
  size_t len;
  char last;
  int pause;
} rec;

static void add(rec *r, const char *s, size_t n) {
  CHECK(r->len + n < sizeof r->log);
  memcpy(r->log + r->len, s, n);
  r->len += n;
  r->log[r->len] = 0;
}

static int mark(wf_mp_parser *p, char kind) {
  rec *r = p->data;
  char s[3] = {kind, ' ', 0};
  if (r->last == 'F' || r->last == 'V' || r->last == 'D') add(r, " ", 1);
  add(r, s, 2);
  r->last = kind;
  return r->pause ? (int)WF_FORM_ERR_PAUSED : 0;
}

static int span(wf_mp_parser *p, char kind, const char *at, size_t n) {
  rec *r = p->data;
  CHECK(n > 0);
  if (r->last != kind) {
    char s[3] = {kind, ':', 0};
    if (r->last == 'F' || r->last == 'V' || r->last == 'D') add(r, " ", 1);
    add(r, s, 2);
  }
  add(r, at, n);
  r->last = kind;
  return r->pause ? (int)WF_FORM_ERR_PAUSED : 0;
}

static int on_begin(wf_mp_parser *p) { return mark(p, 'B'); }
static int on_field(wf_mp_parser *p, const char *at, size_t n) { return span(p, 'F', at, n); }
static int on_value(wf_mp_parser *p, const char *at, size_t n) { return span(p, 'V', at, n); }
static int on_hend(wf_mp_parser *p) { return mark(p, 'E'); }
static int on_hdone(wf_mp_parser *p) { return mark(p, 'H'); }
static int on_data(wf_mp_parser *p, const char *at, size_t n) { return span(p, 'D', at, n); }
static int on_pend(wf_mp_parser *p) { return mark(p, 'P'); }
static int on_end(wf_mp_parser *p) { return mark(p, 'Z'); }

static const wf_mp_settings SETTINGS = {on_begin, on_field, on_value, on_hend,
                                        on_hdone, on_data,  on_pend,  on_end};

static const char BOUNDARY[] = "----WebKitFormBoundaryZ1x";
static const char BODY[] =
    "------WebKitFormBoundaryZ1x\r\n"
    "Content-Disposition: form-data; name=\"t\"\r\n"
    "\r\n"
    "v\r\n--\r\n------WebKitFormBoundaryZ1\r\n"
    "------WebKitFormBoundaryZ1x\r\n"
    "Content-Disposition: form-data; name=\"f\"; filename=\"a%22.txt\"\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "\r\n"
    "------WebKitFormBoundaryZ1x--\r\n";
static const char WANT[] =
    "B F:Content-Disposition V:form-data; name=\"t\" E H D:v\r\n--\r\n------WebKitFormBoundaryZ1 "
    "P B F:Content-Disposition V:form-data; name=\"f\"; filename=\"a%22.txt\" E F:Content-Type "
    "V:text/plain E H P Z ";

/* Feeds [from, to) of BODY in a guarded copy, resuming after pauses. */
static void feed(wf_mp_parser *p, size_t from, size_t to) {
  guarded g = guarded_copy(BODY + from, to - from);
  size_t off = 0;
  while (off < to - from) {
    size_t n = wf_mp_execute(p, &SETTINGS, (const char *)g.data + off, to - from - off);
    off += n;
    if (wf_mp_errno(p) != WF_FORM_ERR_PAUSED) break;
  }
  CHECK(wf_mp_errno(p) == WF_FORM_ERR_OK || wf_mp_errno(p) == WF_FORM_ERR_PAUSED);
  guarded_free(&g);
}

static void expect_want(rec *r, wf_mp_parser *p) {
  CHECK(wf_mp_finish(p) == WF_FORM_ERR_OK);
  if (strcmp(r->log, WANT) != 0) {
    fprintf(stderr, "got:  %s\nwant: %s\n", r->log, WANT);
    exit(1);
  }
}

static void test_splits(void) {
  size_t len = sizeof BODY - 1;
  for (size_t cut = 0; cut <= len; cut++) {
    for (int pause = 0; pause < 2; pause++) {
      rec r = {.pause = pause};
      wf_mp_parser p;
      p.data = &r;
      CHECK(wf_mp_parser_init(&p, BOUNDARY, strlen(BOUNDARY)) == WF_FORM_ERR_OK);
      feed(&p, 0, cut);
      feed(&p, cut, len);
      CHECK(wf_mp_is_done(&p) && wf_mp_parts(&p) == 2);
      expect_want(&r, &p);
    }
  }
  /* Byte by byte. */
  rec r = {0};
  wf_mp_parser p;
  p.data = &r;
  CHECK(wf_mp_parser_init(&p, BOUNDARY, strlen(BOUNDARY)) == WF_FORM_ERR_OK);
  for (size_t i = 0; i < len; i++) feed(&p, i, i + 1);
  expect_want(&r, &p);
}

/* An application struct embedding the parser: the complete type is the point. */
typedef struct upload {
  int id;
  wf_mp_parser parser;
  unsigned long data_bytes;
} upload;

static void test_events_and_embedding(void) {
  upload u = {.id = 7};
  CHECK(sizeof(wf_mp_parser) == wf_mp_parser_size());
  CHECK(wf_mp_parser_init(&u.parser, BOUNDARY, strlen(BOUNDARY)) == WF_FORM_ERR_OK);
  size_t len = sizeof BODY - 1, off = 0, cut = 100;
  wf_mp_event rows[3];
  int kinds[64], nk = 0;
  /* Two reads, the first ending inside a would-be delimiter, and a small array. */
  size_t ends[2] = {cut, len};
  for (int k = 0; k < 2; k++) {
    guarded g = guarded_copy(BODY + off, ends[k] - off);
    size_t pos = 0, n = ends[k] - off;
    for (;;) {
      size_t count = 0;
      size_t used = wf_mp_execute_events(&u.parser, (const char *)g.data + pos, n - pos, rows, 3,
                                         0, &count);
      for (size_t i = 0; i < count; i++) {
        CHECK(nk < 64);
        kinds[nk++] = rows[i].kind;
        if (rows[i].kind == WF_MP_EVENT_KIND_PART_DATA) {
          CHECK(rows[i].offset + rows[i].length <= n - pos);
          u.data_bytes += rows[i].length;
        } else if (rows[i].kind == WF_MP_EVENT_KIND_PART_DATA_FROM_DELIMITER) {
          u.data_bytes += rows[i].length;
        }
      }
      pos += used;
      if (wf_mp_errno(&u.parser) != WF_FORM_ERR_PAUSED) break;
    }
    CHECK(wf_mp_errno(&u.parser) == WF_FORM_ERR_OK && pos == n);
    guarded_free(&g);
    off = ends[k];
  }
  CHECK(wf_mp_finish(&u.parser) == WF_FORM_ERR_OK);
  CHECK(u.data_bytes == strlen("v\r\n--\r\n------WebKitFormBoundaryZ1"));
  int non_data = 0, from_delimiter = 0;
  for (int i = 0; i < nk; i++) from_delimiter += kinds[i] == WF_MP_EVENT_KIND_PART_DATA_FROM_DELIMITER;
  CHECK(from_delimiter == 1); /* the read ended inside "\r\n------WebKitFormBoundaryZ1" */
  for (int i = 0; i < nk; i++)
    non_data += kinds[i] != WF_MP_EVENT_KIND_PART_DATA &&
                kinds[i] != WF_MP_EVENT_KIND_PART_DATA_FROM_DELIMITER;
  CHECK(non_data == 16 && kinds[0] == WF_MP_EVENT_KIND_PART_BEGIN && kinds[nk - 1] == WF_MP_EVENT_KIND_END);
  CHECK(u.id == 7);
}

static int return_one(wf_mp_parser *p) {
  (void)p;
  return 1;
}

static void test_errors(void) {
  wf_mp_parser p;
  p.data = NULL;
  CHECK(wf_mp_parser_init(&p, "a b ", 4) == WF_FORM_ERR_INVALID_BOUNDARY);
  CHECK(wf_mp_parser_init(NULL, "b", 1) == WF_FORM_ERR_INVALID_ARGUMENT);
  CHECK(wf_mp_parser_init(&p, "b", 1) == WF_FORM_ERR_OK);
  const char bad[] = "--b\r\nA: 1\nB: 2\r\n\r\n";
  CHECK(wf_mp_execute(&p, NULL, bad, sizeof bad - 1) == 9);
  CHECK(wf_mp_errno(&p) == WF_FORM_ERR_BARE_LF && wf_mp_error_offset(&p) == 9);
  CHECK(strcmp(wf_form_err_name(wf_mp_errno(&p)), "WF_FORM_ERR_BARE_LF") == 0);
  CHECK(strcmp(wf_form_err_description(WF_FORM_ERR_BARE_LF), "LF not preceded by CR") == 0);
  CHECK(strcmp(wf_form_err_name(9999), "WF_FORM_ERR_UNKNOWN") == 0);
  /* Limits: a part-size limit of 3 bytes. */
  CHECK(wf_mp_parser_init(&p, "b", 1) == WF_FORM_ERR_OK);
  CHECK(wf_mp_parser_set_limits(&p, 10, 1024, 3, 0, 0) == WF_FORM_ERR_OK);
  const char big[] = "--b\r\n\r\n1234\r\n--b--";
  wf_mp_execute(&p, NULL, big, sizeof big - 1);
  CHECK(wf_mp_errno(&p) == WF_FORM_ERR_PART_TOO_LARGE && wf_mp_error_offset(&p) == 10);
  /* Truncated. */
  CHECK(wf_mp_parser_init(&p, "b", 1) == WF_FORM_ERR_OK);
  CHECK(wf_mp_execute(&p, NULL, "--b\r\n\r\nab", 9) == 9);
  CHECK(wf_mp_finish(&p) == WF_FORM_ERR_MISSING_FINAL_BOUNDARY && wf_mp_error_offset(&p) == 9);
  /* A callback returning 1 (a common "error" in C) stops with a callback error, not a pause. */
  wf_mp_settings one = {0};
  one.on_part_begin = return_one;
  CHECK(wf_mp_parser_init(&p, "b", 1) == WF_FORM_ERR_OK);
  CHECK(wf_mp_execute(&p, &one, "--b\r\n\r\nx", 8) == 5);
  CHECK(wf_mp_errno(&p) == WF_FORM_ERR_CALLBACK_ERROR && wf_mp_error_offset(&p) == 5);
  CHECK(wf_mp_execute(NULL, NULL, "x", 1) == 0 && wf_mp_errno(NULL) == WF_FORM_ERR_INVALID_ARGUMENT);
}

static void test_helpers(void) {
  size_t at = 0;
  wf_span s;
  const char ct[] = "multipart/form-data; BOUNDARY=\"a b\"";
  CHECK(wf_form_boundary_from_content_type(ct, strlen(ct), &s, &at) == WF_FORM_ERR_OK);
  CHECK(s.offset == 31 && s.length == 3);
  CHECK(wf_form_boundary_from_content_type("text/html", 9, &s, &at) == WF_FORM_ERR_NOT_MULTIPART && at == 0);

  const char cd[] = "form-data; name=\"f\"; filename*=UTF-8''%e2%82%ac.txt";
  wf_content_disposition d;
  CHECK(wf_form_content_disposition(cd, strlen(cd), &d, &at) == WF_FORM_ERR_OK);
  CHECK(d.has_name && !d.has_filename && d.has_filename_ext);
  CHECK(d.name.span.length == 1 && cd[d.name.span.offset] == 'f' && d.name.quoted);
  char fname[32];
  size_t flen = d.filename_ext.value.length, out_len = 0;
  memcpy(fname, cd + d.filename_ext.value.offset, flen);
  CHECK(wf_form_percent_decode(fname, flen, false, &out_len, &at) == WF_FORM_ERR_OK);
  CHECK(out_len == 7 && memcmp(fname, "\xe2\x82\xac.txt", 7) == 0);
  char bad[] = "a%2";
  CHECK(wf_form_percent_decode(bad, 3, true, &out_len, &at) == WF_FORM_ERR_INVALID_PERCENT_ESCAPE && at == 1);

  const char q[] = "a=1&&b&c=%20";
  size_t pos = 0;
  wf_query_pair qp;
  int n = 0;
  while (wf_form_query_next(q, strlen(q), &pos, &qp) == 1) n++;
  CHECK(n == 3 && qp.name.offset == 7 && qp.value.offset == 9 && qp.value.length == 3);

  const char ck[] = "a=1;  b = 2 ;c";
  wf_cookie_pair cp;
  wf_form_err err = WF_FORM_ERR_OK;
  pos = 0;
  n = 0;
  while (wf_form_cookie_next(ck, strlen(ck), &pos, &cp, &err, &at) == 1) n++;
  CHECK(n == 3 && cp.name.length == 0 && cp.value.length == 1 && ck[cp.value.offset] == 'c');
  pos = 0;
  CHECK(wf_form_cookie_next("a=\r\n", 4, &pos, &cp, &err, &at) == -1);
  CHECK(err == WF_FORM_ERR_INVALID_COOKIE && at == 2);

  uint8_t creds[64];
  wf_basic_credentials bc;
  const char auth[] = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
  CHECK(wf_form_basic_auth_decode(auth, strlen(auth), creds, sizeof creds, &bc, &at) == WF_FORM_ERR_OK);
  CHECK(bc.user.length == 7 && memcmp(creds + bc.user.offset, "Aladdin", 7) == 0);
  CHECK(bc.password.length == 11 && memcmp(creds + bc.password.offset, "open sesame", 11) == 0);
  CHECK(wf_form_basic_auth_decode("Bearer x", 8, creds, sizeof creds, &bc, &at) == WF_FORM_ERR_NOT_BASIC_AUTH);

  char out[128];
  wf_set_cookie c = {0};
  c.name = "sid";
  c.name_len = 3;
  c.value = "x1";
  c.value_len = 2;
  c.path = "/";
  c.path_len = 1;
  c.secure = true;
  c.http_only = true;
  c.same_site = WF_SAME_SITE_LAX;
  CHECK(wf_form_set_cookie(&c, out, sizeof out, &out_len, &at) == WF_FORM_ERR_OK);
  CHECK(out_len == strlen("sid=x1; Path=/; Secure; HttpOnly; SameSite=Lax"));
  CHECK(memcmp(out, "sid=x1; Path=/; Secure; HttpOnly; SameSite=Lax", out_len) == 0);
  CHECK(wf_form_set_cookie(&c, out, 4, &out_len, &at) == WF_FORM_ERR_BUFFER_TOO_SMALL && at == 46);
  c.value = "a;b";
  c.value_len = 3;
  CHECK(wf_form_set_cookie(&c, out, sizeof out, &out_len, &at) == WF_FORM_ERR_INVALID_COOKIE_VALUE && at == 1);
  c.value_len = 1;
  c.same_site = 9;
  CHECK(wf_form_set_cookie(&c, out, sizeof out, &out_len, &at) == WF_FORM_ERR_INVALID_ARGUMENT);
  char esc[] = "a\\\"b";
  CHECK(wf_form_unescape_quoted(esc, 4) == 3 && memcmp(esc, "a\"b", 3) == 0);
}

int main(void) {
  test_splits();
  test_events_and_embedding();
  test_errors();
  test_helpers();
  printf("test_multipart: ok\n");
  return 0;
}
