/* C test of the WebSocket codec through include/wireframe.h: decode (whole, byte by byte,
 * pausing), errors with close codes and offsets, encode, frame sizes, masking. Inputs sit
 * right before a guard page so any over-read crashes. */
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

/* Events recorded as text, e.g. "H1f1l5 P:Hello E1m1 ". */
typedef struct rec {
  char log[4096];
  size_t len;
  int pause;
} rec;

static void add(rec *r, const char *s, size_t n) {
  CHECK(r->len + n < sizeof r->log);
  memcpy(r->log + r->len, s, n);
  r->len += n;
  r->log[r->len] = 0;
}

static int on_header(wf_ws_decoder *d, const wf_ws_frame_header *h) {
  rec *r = d->data;
  char buf[64];
  int n = snprintf(buf, sizeof buf, "H%xf%dm%dl%llu ", (unsigned)h->opcode, h->fin, h->masked,
                   (unsigned long long)h->payload_len);
  add(r, buf, (size_t)n);
  return r->pause ? (int)WF_WS_ERR_PAUSED : 0;
}

static int on_payload(wf_ws_decoder *d, const uint8_t *p, size_t n) {
  rec *r = d->data;
  /* Pieces are merged: only the bytes are logged. */
  add(r, (const char *)p, n);
  return r->pause ? (int)WF_WS_ERR_PAUSED : 0;
}

static int on_complete(wf_ws_decoder *d, const wf_ws_frame_end *e) {
  rec *r = d->data;
  char buf[64];
  int n = snprintf(buf, sizeof buf, " E%x/%xend%dclose%u ", (unsigned)e->opcode,
                   (unsigned)e->message_opcode, e->message_end, (unsigned)e->close_code);
  add(r, buf, (size_t)n);
  return r->pause ? (int)WF_WS_ERR_PAUSED : 0;
}

static const wf_ws_callbacks CB = {on_header, on_payload, on_complete};
static const uint8_t KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Builds a masked frame with the encoder; returns its length. */
static size_t frame(uint8_t *out, size_t cap, uint32_t flags, uint8_t opcode, const char *payload) {
  size_t written = 0;
  CHECK(wf_ws_encode_frame(out, cap, flags, opcode, KEY, (const uint8_t *)payload, strlen(payload),
                           &written) == WF_WS_ERR_OK);
  CHECK(written == wf_ws_frame_size(strlen(payload), true));
  return written;
}

/* Decodes `len` bytes in chunks of `step` (0 = whole), each chunk copied before a guard page. */
static void decode(const uint8_t *wire, size_t len, size_t step, int pause, rec *r,
                   wf_ws_err *err, uint64_t *offset) {
  wf_ws_decoder d;
  d.data = r;
  CHECK(wf_ws_decoder_init(&d, WF_WS_ROLE_SERVER) == WF_WS_ERR_OK);
  CHECK(d.data == r);
  memset(r, 0, sizeof *r);
  r->pause = pause;
  size_t at = 0;
  *err = WF_WS_ERR_OK;
  while (at < len) {
    size_t n = step == 0 || len - at < step ? len - at : step;
    guarded g = guarded_copy(wire + at, n);
    size_t off = 0;
    for (;;) {
      off += wf_ws_decode(&d, &CB, g.data + off, n - off);
      *err = wf_ws_decoder_error(&d);
      if (*err != WF_WS_ERR_PAUSED) break;
    }
    guarded_free(&g);
    at += n;
    if (*err != WF_WS_ERR_OK) break;
    CHECK(off == n);
  }
  *offset = wf_ws_decoder_error_offset(&d);
}

static void test_decode(void) {
  uint8_t wire[512];
  size_t n = 0;
  n += frame(wire + n, sizeof wire - n, 0, WF_WS_OPCODE_TEXT, "Hel\xE2\x82");
  n += frame(wire + n, sizeof wire - n, WF_WS_FRAME_FIN, WF_WS_OPCODE_PING, "ping");
  n += frame(wire + n, sizeof wire - n, WF_WS_FRAME_FIN, WF_WS_OPCODE_CONTINUATION, "\xAClo");
  size_t c = 0;
  CHECK(wf_ws_encode_close(wire + n, sizeof wire - n, 1000, (const uint8_t *)"bye", 3, KEY, &c) ==
        WF_WS_ERR_OK);
  n += c;
  const char *expect =
      "H1f0m1l5 Hel\xE2\x82 E1/1end0close0 H9f1m1l4 ping E9/9end1close0 "
      "H0f1m1l3 \xAClo E0/1end1close0 H8f1m1l5 \x03\xE8"
      "bye E8/8end1close1000 ";
  rec whole, piece;
  wf_ws_err err;
  uint64_t off;
  decode(wire, n, 0, 0, &whole, &err, &off);
  CHECK(err == WF_WS_ERR_OK);
  CHECK(strcmp(whole.log, expect) == 0);
  for (size_t step = 1; step <= n; step++) {
    decode(wire, n, step, (int)(step % 2), &piece, &err, &off);
    CHECK(err == WF_WS_ERR_OK);
    CHECK(strcmp(piece.log, expect) == 0);
  }
}

static void test_errors(void) {
  rec r;
  wf_ws_err err;
  uint64_t off;
  /* Reserved opcode 0x3 after one good frame (11 bytes). */
  uint8_t wire[64];
  size_t n = frame(wire, sizeof wire, WF_WS_FRAME_FIN, WF_WS_OPCODE_TEXT, "Hello");
  wire[n++] = 0x83;
  wire[n++] = 0x80;
  for (size_t step = 0; step <= n; step++) {
    decode(wire, n, step, 0, &r, &err, &off);
    CHECK(err == WF_WS_ERR_RESERVED_OPCODE);
    CHECK(off == 11);
  }
  CHECK(wf_ws_err_close_code(WF_WS_ERR_RESERVED_OPCODE) == 1002);
  CHECK(strcmp(wf_ws_err_name(WF_WS_ERR_RESERVED_OPCODE), "WF_WS_ERR_RESERVED_OPCODE") == 0);
  CHECK(strcmp(wf_ws_err_name(9999), "WF_WS_ERR_UNKNOWN") == 0);

  /* Invalid UTF-8 (surrogate) -> 1007 at the offending byte. */
  n = frame(wire, sizeof wire, WF_WS_FRAME_FIN, WF_WS_OPCODE_TEXT, "ab\xED\xA0\x80");
  wf_ws_decoder d;
  d.data = &r;
  memset(&r, 0, sizeof r);
  wf_ws_decoder_init(&d, WF_WS_ROLE_SERVER);
  guarded g = guarded_copy(wire, n);
  CHECK(wf_ws_decode(&d, &CB, g.data, n) == 9);
  guarded_free(&g);
  CHECK(wf_ws_decoder_error(&d) == WF_WS_ERR_INVALID_UTF8);
  CHECK(wf_ws_decoder_close_code(&d) == 1007);
  CHECK(wf_ws_decoder_error_offset(&d) == 9);
  CHECK(strcmp(wf_ws_decoder_error_reason(&d), "invalid UTF-8 in a text message") == 0);
  CHECK(wf_ws_decode(&d, &CB, wire, n) == 0); /* sticky */

  /* Limits: a 6-byte frame over a 5-byte frame limit -> 1009. */
  wf_ws_decoder_init(&d, WF_WS_ROLE_SERVER);
  CHECK(wf_ws_decoder_set_limits(&d, 5, 0, 0) == WF_WS_ERR_OK);
  CHECK(wf_ws_decoder_set_flags(&d, 1u << 30) == WF_WS_ERR_INVALID_ARGUMENT);
  n = frame(wire, sizeof wire, WF_WS_FRAME_FIN, WF_WS_OPCODE_BINARY, "123456");
  CHECK(wf_ws_decode(&d, NULL, wire, n) == 1);
  CHECK(wf_ws_decoder_error(&d) == WF_WS_ERR_FRAME_TOO_LARGE);
  CHECK(wf_ws_decoder_close_code(&d) == 1009);

  /* Client role rejects a masked frame; NULL pointers are reported, not crashed on. */
  wf_ws_decoder_init(&d, WF_WS_ROLE_CLIENT);
  CHECK(wf_ws_decode(&d, NULL, wire, n) == 1);
  CHECK(wf_ws_decoder_error(&d) == WF_WS_ERR_MASKED_FRAME);
  CHECK(wf_ws_decoder_init(NULL, WF_WS_ROLE_CLIENT) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_decoder_init(&d, 7) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_decode(NULL, NULL, wire, n) == 0);
  CHECK(wf_ws_decoder_error(NULL) == WF_WS_ERR_NULL_POINTER);
}

static void test_encode(void) {
  uint8_t out[16];
  size_t w = 0;
  CHECK(wf_ws_header_size(70000, true) == 14);
  CHECK(wf_ws_frame_size(125, false) == 127);
  CHECK(wf_ws_encode_header(out, sizeof out, WF_WS_FRAME_FIN, WF_WS_OPCODE_BINARY, NULL, 70000,
                            &w) == WF_WS_ERR_OK);
  const uint8_t h[] = {0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70};
  CHECK(w == sizeof h && memcmp(out, h, w) == 0);
  /* Too small: the size needed comes back, nothing is written. */
  memset(out, 0xEE, sizeof out);
  CHECK(wf_ws_encode_frame(out, 4, WF_WS_FRAME_FIN, WF_WS_OPCODE_TEXT, KEY,
                           (const uint8_t *)"Hello", 5, &w) == WF_WS_ERR_BUFFER_TOO_SMALL);
  CHECK(w == 11 && out[0] == 0xEE);
  CHECK(wf_ws_encode_frame(out, sizeof out, WF_WS_FRAME_FIN, WF_WS_OPCODE_TEXT, KEY,
                           (const uint8_t *)"Hello", 5, &w) == WF_WS_ERR_OK);
  const uint8_t masked[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
  CHECK(w == sizeof masked && memcmp(out, masked, w) == 0);
  CHECK(wf_ws_encode_pong(out, sizeof out, (const uint8_t *)"Hi", 2, NULL, &w) == WF_WS_ERR_OK);
  CHECK(w == 4 && out[0] == 0x8A && out[1] == 2);
  CHECK(wf_ws_encode_ping(out, sizeof out, out, 126, NULL, &w) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_encode_close(out, sizeof out, 1005, NULL, 0, NULL, &w) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_encode_frame(out, sizeof out, 0, 3, NULL, NULL, 0, &w) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_close_code_may_be_sent(1012) && wf_ws_close_code_may_be_sent(4999));
  CHECK(!wf_ws_close_code_may_be_sent(1006) && !wf_ws_close_code_may_be_sent(2999));
  CHECK(strcmp(wf_ws_close_code_name(WF_WS_CLOSE_CODE_MESSAGE_TOO_BIG), "MESSAGE_TOO_BIG") == 0);
  CHECK(wf_ws_close_code_registered(1001) == WF_WS_CLOSE_CODE_GOING_AWAY);
}

static void test_mask(void) {
  uint8_t src[300], ref[300];
  for (size_t i = 0; i < sizeof src; i++) src[i] = (uint8_t)(i * 7 + 3);
  for (size_t len = 0; len < 300; len++) {
    for (uint64_t offset = 0; offset < 4; offset++) {
      for (size_t i = 0; i < len; i++) ref[i] = src[i] ^ KEY[(offset + i) % 4];
      guarded g = guarded_copy(src, len); /* ends at the guard page: unaligned starts */
      CHECK(wf_ws_mask(g.data, len, KEY, offset) == WF_WS_ERR_OK);
      CHECK(len == 0 || memcmp(g.data, ref, len) == 0);
      guarded_free(&g);
    }
  }
  CHECK(wf_ws_mask(NULL, 1, KEY, 0) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_mask(NULL, 0, KEY, 0) == WF_WS_ERR_OK);
}

/* wf_ws_mask_copy: source and destination both end at guard pages; the source is unchanged. */
static void test_mask_copy(void) {
  uint8_t src[300], ref[300];
  for (size_t i = 0; i < sizeof src; i++) src[i] = (uint8_t)(i * 13 + 1);
  for (size_t len = 0; len < 300; len++) {
    for (uint64_t offset = 0; offset < 4; offset++) {
      for (size_t i = 0; i < len; i++) ref[i] = src[i] ^ KEY[(offset + i) % 4];
      guarded from = guarded_copy(src, len);
      guarded to = guarded_copy(src + 300 - len, len); /* other bytes, to be overwritten */
      CHECK(wf_ws_mask_copy(from.data, to.data, len, KEY, offset) == WF_WS_ERR_OK);
      CHECK(len == 0 || memcmp(to.data, ref, len) == 0);
      CHECK(len == 0 || memcmp(from.data, src, len) == 0);
      /* The same pointer twice masks in place. */
      CHECK(wf_ws_mask_copy(from.data, from.data, len, KEY, offset) == WF_WS_ERR_OK);
      CHECK(len == 0 || memcmp(from.data, ref, len) == 0);
      guarded_free(&from);
      guarded_free(&to);
    }
  }
  uint8_t buf[64];
  memcpy(buf, src, sizeof buf);
  /* Partly overlapping ranges are refused and nothing is written. */
  CHECK(wf_ws_mask_copy(buf, buf + 1, 32, KEY, 0) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_mask_copy(buf + 31, buf, 32, KEY, 0) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(memcmp(buf, src, sizeof buf) == 0);
  /* Adjacent ranges do not overlap. */
  CHECK(wf_ws_mask_copy(buf, buf + 32, 32, KEY, 0) == WF_WS_ERR_OK);
  for (size_t i = 0; i < 32; i++) CHECK(buf[32 + i] == (src[i] ^ KEY[i % 4]));
  CHECK(wf_ws_mask_copy(NULL, buf, 1, KEY, 0) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_mask_copy(buf, NULL, 1, KEY, 0) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_mask_copy(buf, buf + 32, 1, NULL, 0) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_mask_copy(NULL, NULL, 0, KEY, 0) == WF_WS_ERR_OK);
}

int main(void) {
  test_decode();
  test_errors();
  test_encode();
  test_mask();
  test_mask_copy();
  printf("test_ws: all checks passed\n");
  return 0;
}
