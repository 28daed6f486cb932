/* C test of permessage-deflate through include/wireframe.h: the handshake's result configures
 * wf_ws_deflate in one call; RFC 7692's "Hello" byte for byte; a server's compressed frame
 * decoded by a client decoder whose on_payload inflates through wf_ws_deflate_decompress_cb,
 * whole and byte by byte; caller-buffer inflation in 1-byte pieces; the errors' close codes
 * (1007 corrupt, 1009 too big); argument checks. Inputs sit right before a guard page. */
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

static const uint8_t KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

/* The handshake of a client offering permessage-deflate with server_no_context_takeover,
 * answered by a server that accepts it. */
static wf_ws_deflate_params negotiate(void) {
  static const char *names[] = {"Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
                                "Sec-WebSocket-Version", "Sec-WebSocket-Extensions"};
  static const char *values[] = {"example.com", "websocket", "Upgrade", "dGhlIHNhbXBsZSBub25jZQ==",
                                 "13", "permessage-deflate; client_max_window_bits"};
  wf_ws_header h[6];
  for (int i = 0; i < 6; i++) {
    h[i].name = names[i], h[i].name_len = strlen(names[i]);
    h[i].value = values[i], h[i].value_len = strlen(values[i]);
  }
  wf_ws_handshake out;
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, h, 6, NULL, 0, WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE,
                               &out) == WF_WS_ERR_OK);
  CHECK(out.deflate);
  return out.deflate_params;
}

typedef struct sink {
  wf_ws_deflate *z;
  uint8_t scratch[3];
  char got[70000];
  size_t len;
  wf_ws_err err;
} sink;

static int collect(void *user, const uint8_t *p, size_t n) {
  sink *s = user;
  CHECK(s->len + n <= sizeof s->got);
  memcpy(s->got + s->len, p, n);
  s->len += n;
  return 0;
}

static int on_header(wf_ws_decoder *d, const wf_ws_frame_header *h) {
  sink *s = d->data;
  if (h->rsv1) CHECK(wf_ws_deflate_begin_message(s->z, h->opcode == WF_WS_OPCODE_TEXT) == 0);
  return 0;
}

static int on_payload(wf_ws_decoder *d, const uint8_t *p, size_t n) {
  sink *s = d->data;
  s->err = wf_ws_deflate_decompress_cb(s->z, p, n, s->scratch, sizeof s->scratch, collect, s);
  return s->err == WF_WS_ERR_OK ? 0 : -1;
}

static int on_complete(wf_ws_decoder *d, const wf_ws_frame_end *e) {
  sink *s = d->data;
  if (!e->message_end) return 0;
  s->err = wf_ws_deflate_finish_cb(s->z, s->scratch, sizeof s->scratch, collect, s);
  return s->err == WF_WS_ERR_OK ? 0 : -1;
}

static const wf_ws_callbacks CB = {on_header, on_payload, on_complete};

/* Decodes `wire` (n bytes) as a client, `step` bytes per call, inflating into s. */
static wf_ws_err decode(sink *s, const uint8_t *wire, size_t n, size_t step) {
  guarded g = guarded_copy(wire, n);
  wf_ws_decoder d;
  d.data = s;
  CHECK(wf_ws_decoder_init(&d, WF_WS_ROLE_CLIENT) == WF_WS_ERR_OK);
  CHECK(wf_ws_decoder_set_flags(&d, WF_WS_ALLOW_RSV1) == WF_WS_ERR_OK);
  s->len = 0;
  s->err = WF_WS_ERR_OK;
  for (size_t at = 0; at < n; at += step) {
    size_t k = n - at < step ? n - at : step;
    if (wf_ws_decode(&d, &CB, g.data + at, k) != k) break;
  }
  wf_ws_err e = wf_ws_decoder_error(&d);
  guarded_free(&g);
  return e;
}

static void test_hello(void) {
  static const uint8_t hello[] = {0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00};
  static const uint8_t again[] = {0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00};
  wf_ws_deflate_params p;
  memset(&p, 0, sizeof p);
  wf_ws_deflate *server, *client;
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_SERVER, NULL, &server) == WF_WS_ERR_OK);
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_CLIENT, NULL, &client) == WF_WS_ERR_OK);
  uint8_t frame[64];
  size_t n = 0;
  CHECK(wf_ws_deflate_encode_message(server, WF_WS_OPCODE_TEXT, (const uint8_t *)"Hello", 5, NULL,
                                     frame, sizeof frame, &n) == WF_WS_ERR_OK);
  CHECK(n == sizeof hello && memcmp(frame, hello, n) == 0);
  CHECK(wf_ws_deflate_encode_message(server, WF_WS_OPCODE_TEXT, (const uint8_t *)"Hello", 5, NULL,
                                     frame, sizeof frame, &n) == WF_WS_ERR_OK);
  CHECK(n == sizeof again && memcmp(frame, again, n) == 0);
  /* The client inflates both (the second refers into the first's window), whole and byte by
   * byte. */
  uint8_t wire[sizeof hello + sizeof again];
  memcpy(wire, hello, sizeof hello);
  memcpy(wire + sizeof hello, again, sizeof again);
  for (size_t step = 1; step <= sizeof wire; step += sizeof wire - 1) {
    sink s;
    s.z = client;
    CHECK(wf_ws_deflate_reset(client) == WF_WS_ERR_OK);
    CHECK(decode(&s, wire, sizeof wire, step) == WF_WS_ERR_OK);
    CHECK(s.len == 10 && memcmp(s.got, "HelloHello", 10) == 0);
  }
  wf_ws_deflate_free(server);
  wf_ws_deflate_free(client);
}

static void test_negotiated_round_trip(void) {
  wf_ws_deflate_params p = negotiate();
  CHECK(p.client_max_window_bits_present && p.client_max_window_bits == 0);
  size_t stated = wf_ws_deflate_memory_size(&p, WF_WS_ROLE_CLIENT, NULL);
  CHECK(stated > 0);
  wf_ws_deflate_options o;
  wf_ws_deflate_options_init(&o);
  CHECK(o.level == 6 && o.mem_level == 8 && o.max_message_size == 100u << 20);
  wf_ws_deflate *client, *server;
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_CLIENT, &o, &client) == WF_WS_ERR_OK);
  CHECK(wf_ws_deflate_size(client) == stated);
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_SERVER, &o, &server) == WF_WS_ERR_OK);
  /* A 60000-byte text message from the client (masked), in streamed pieces. */
  static char msg[60000];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = "permessage-deflate "[(i * 7 + i / 100) % 19];
  static uint8_t z[70000];
  size_t zn = 0, at = 0;
  for (;;) {
    size_t take = sizeof msg - at < 1000 ? sizeof msg - at : 1000, used = 0, w = 0;
    bool done = false, fin = at + take == sizeof msg;
    CHECK(wf_ws_deflate_compress(client, (const uint8_t *)msg + at, take, fin, z + zn, 16, &used,
                                 &w, &done) == WF_WS_ERR_OK);
    at += used, zn += w;
    if (fin && done) break;
  }
  CHECK(zn < sizeof msg / 4);
  static uint8_t wire[80000];
  size_t wn = 0;
  CHECK(wf_ws_encode_frame(wire, sizeof wire, WF_WS_FRAME_FIN | WF_WS_FRAME_RSV1,
                           WF_WS_OPCODE_TEXT, KEY, z, zn, &wn) == WF_WS_ERR_OK);
  /* The server inflates into a caller buffer one byte at a time. */
  wf_ws_decoder d;
  CHECK(wf_ws_decoder_init(&d, WF_WS_ROLE_SERVER) == 0);
  (void)d;
  CHECK(wf_ws_deflate_begin_message(server, true) == WF_WS_ERR_OK);
  static char back[60001];
  size_t bn = 0;
  guarded g = guarded_copy(z, zn);
  for (size_t i = 0; i < zn;) {
    size_t used = 0, w = 0;
    bool done = false;
    CHECK(wf_ws_deflate_decompress(server, g.data + i, zn - i, (uint8_t *)back + bn, 1, &used, &w,
                                   &done) == WF_WS_ERR_OK);
    i += used, bn += w;
    CHECK(bn <= sizeof msg);
  }
  for (;;) {
    size_t w = 0;
    bool done = false;
    CHECK(wf_ws_deflate_finish(server, (uint8_t *)back + bn, 1, &w, &done) == WF_WS_ERR_OK);
    bn += w;
    if (done) break;
  }
  guarded_free(&g);
  CHECK(bn == sizeof msg && memcmp(back, msg, bn) == 0);
  CHECK(wf_ws_deflate_message_size(server) == sizeof msg);
  wf_ws_deflate_free(client);
  wf_ws_deflate_free(server);
}

static void test_errors(void) {
  wf_ws_deflate_params p;
  memset(&p, 0, sizeof p);
  wf_ws_deflate *z;
  sink s;
  /* Corrupt DEFLATE (reserved block type): 1007. */
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_CLIENT, NULL, &z) == WF_WS_ERR_OK);
  s.z = z;
  static const uint8_t bad[] = {0xc2, 0x03, 0xff, 0xff, 0xff};
  CHECK(decode(&s, bad, sizeof bad, 1) == WF_WS_ERR_CALLBACK_ERROR);
  CHECK(s.err == WF_WS_ERR_INVALID_COMPRESSED_DATA);
  CHECK(wf_ws_err_close_code(s.err) == 1007);
  CHECK(strcmp(wf_ws_err_name(s.err), "WF_WS_ERR_INVALID_COMPRESSED_DATA") == 0);
  /* 20000 zeros inflate past a 10000-byte limit: 1009. */
  CHECK(wf_ws_deflate_reset(z) == WF_WS_ERR_OK);
  CHECK(wf_ws_deflate_set_max_message_size(z, 10000) == WF_WS_ERR_OK);
  static uint8_t zeros[20000], frame[30000];
  size_t n = 0;
  CHECK(wf_ws_deflate_encode_message(z, WF_WS_OPCODE_BINARY, zeros, sizeof zeros, NULL, frame,
                                     sizeof frame, &n) == WF_WS_ERR_OK);
  CHECK(n < 200);
  CHECK(decode(&s, frame, n, 7) == WF_WS_ERR_CALLBACK_ERROR);
  CHECK(s.err == WF_WS_ERR_MESSAGE_TOO_LARGE && wf_ws_err_close_code(s.err) == 1009);
  CHECK(s.len <= 10000);
  CHECK(wf_ws_deflate_message_size(z) == 10001);
  /* Argument checks. */
  size_t w = 1;
  CHECK(wf_ws_deflate_encode_message(z, WF_WS_OPCODE_PING, zeros, 1, NULL, frame, sizeof frame,
                                     &w) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_deflate_compress_message(z, zeros, sizeof zeros, frame, 10, &w) ==
        WF_WS_ERR_BUFFER_TOO_SMALL);
  CHECK(w == wf_ws_deflate_compress_bound(sizeof zeros));
  CHECK(wf_ws_deflate_decompress(z, zeros, 1, frame, 1, NULL, NULL, NULL) ==
        WF_WS_ERR_INVALID_ARGUMENT); /* no message begun */
  CHECK(wf_ws_deflate_compress(z, zeros, 1, true, frame, 7, NULL, NULL, NULL) ==
        WF_WS_ERR_BUFFER_TOO_SMALL);
  wf_ws_deflate_free(z);
  wf_ws_deflate_free(NULL);
  CHECK(wf_ws_deflate_new(&p, 7, NULL, &z) == WF_WS_ERR_INVALID_ARGUMENT && z == NULL);
  p.server_max_window_bits = 16;
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_SERVER, NULL, &z) == WF_WS_ERR_INVALID_ARGUMENT);
  CHECK(wf_ws_deflate_memory_size(&p, WF_WS_ROLE_SERVER, NULL) == 0);
  p.server_max_window_bits = 8;
  CHECK(wf_ws_deflate_new(&p, WF_WS_ROLE_SERVER, NULL, &z) == WF_WS_ERR_OK);
  wf_ws_deflate_free(z);
  CHECK(wf_ws_deflate_new(NULL, WF_WS_ROLE_SERVER, NULL, &z) == WF_WS_ERR_NULL_POINTER);
  CHECK(wf_ws_deflate_size(NULL) == 0);
}

int main(void) {
  test_hello();
  test_negotiated_round_trip();
  test_errors();
  printf("test_deflate: ok\n");
  return 0;
}
