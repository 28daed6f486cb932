/* C test of the handshake helper through include/wireframe.h: accept key, a server answering
 * an upgrade request from its header array (101, 426), and a client writing a request and
 * validating the server's answer. */
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

#define H(n, v) {n, sizeof n - 1, v, sizeof v - 1}

static void test_accept_key(void) {
  char out[28];
  guarded g = guarded_copy("dGhlIHNhbXBsZSBub25jZQ==", 24);
  CHECK(wf_ws_accept_key((const char *)g.data, 24, out) == WF_WS_ERR_OK);
  guarded_free(&g);
  CHECK(memcmp(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", 28) == 0);
  CHECK(wf_ws_accept_key("x", 1, NULL) == WF_WS_ERR_NULL_POINTER);
}

static void test_server(void) {
  const wf_ws_header headers[] = {
      H("Host", "server.example.com"),
      H("upgrade", "WebSocket"),
      H("Connection", "keep-alive, Upgrade"),
      H("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
      H("Sec-WebSocket-Version", "13"),
      H("Sec-WebSocket-Protocol", "chat, superchat"),
      H("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
  };
  const char *protocols = "superchat,chat";
  wf_ws_handshake hs;
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, headers, 7, protocols, strlen(protocols),
                               WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE, &hs) == WF_WS_ERR_OK);
  CHECK(hs.status == 101);
  CHECK(strcmp(hs.accept_key, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0);
  CHECK(hs.protocol == protocols && hs.protocol_len == 9);
  CHECK(hs.deflate && hs.deflate_params.client_max_window_bits_present);

  uint8_t out[512];
  size_t w = 0;
  CHECK(wf_ws_server_write_response(&hs, out, 10, &w) == WF_WS_ERR_BUFFER_TOO_SMALL);
  size_t need = w;
  guarded g = guarded_copy(out, need); /* exactly the size needed, before a guard page */
  CHECK(wf_ws_server_write_response(&hs, g.data, need, &w) == WF_WS_ERR_OK);
  const char *expect =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      "Sec-WebSocket-Protocol: superchat\r\n"
      "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
  CHECK(w == need && w == strlen(expect) && memcmp(g.data, expect, w) == 0);
  guarded_free(&g);

  /* Version 8: refused with 426 and Sec-WebSocket-Version: 13. */
  wf_ws_header bad[5];
  memcpy(bad, headers, sizeof bad);
  bad[4].value = "8";
  bad[4].value_len = 1;
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, bad, 5, NULL, 0, 0, &hs) ==
        WF_WS_ERR_HANDSHAKE_VERSION);
  CHECK(hs.status == 426);
  CHECK(wf_ws_server_write_response(&hs, out, sizeof out, &w) == WF_WS_ERR_OK);
  const char *refuse =
      "HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n"
      "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n";
  CHECK(w == strlen(refuse) && memcmp(out, refuse, w) == 0);
  CHECK(strcmp(wf_ws_err_name(hs.error), "WF_WS_ERR_HANDSHAKE_VERSION") == 0);

  /* Only three headers: no Sec-WebSocket-Version (426); a bad key gives 400. */
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, headers, 3, NULL, 0, 0, &hs) ==
        WF_WS_ERR_HANDSHAKE_VERSION);
  memcpy(bad, headers, sizeof bad);
  bad[3].value = "short";
  bad[3].value_len = 5;
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, bad, 5, NULL, 0, 0, &hs) == WF_WS_ERR_HANDSHAKE_KEY);
  CHECK(hs.status == 400);
  CHECK(wf_ws_server_handshake("GET", 3, 1, 1, NULL, 2, NULL, 0, 0, &hs) == WF_WS_ERR_NULL_POINTER);
}

static void test_client(void) {
  wf_ws_client_request req;
  memset(&req, 0, sizeof req);
  req.host = "server.example.com";
  req.host_len = strlen(req.host);
  req.path = "/chat";
  req.path_len = 5;
  req.protocols = "chat, superchat";
  req.protocols_len = strlen(req.protocols);
  memcpy(req.nonce, "the sample nonce", 16);

  char out[512];
  size_t w = 0;
  CHECK(wf_ws_client_write_request(&req, NULL, 0, &w) == WF_WS_ERR_BUFFER_TOO_SMALL);
  CHECK(w > 0 && w < sizeof out);
  CHECK(wf_ws_client_write_request(&req, (uint8_t *)out, sizeof out, &w) == WF_WS_ERR_OK);
  out[w] = 0;
  CHECK(strstr(out, "GET /chat HTTP/1.1\r\n") == out);
  CHECK(strstr(out, "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") != NULL);
  CHECK(strstr(out, "\r\nSec-WebSocket-Protocol: chat, superchat\r\n") != NULL);

  const wf_ws_header resp[] = {
      H("Upgrade", "websocket"),
      H("Connection", "Upgrade"),
      H("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
      H("Sec-WebSocket-Protocol", "chat"),
  };
  wf_ws_handshake hs;
  CHECK(wf_ws_client_validate_response(&req, 101, resp, 4, &hs) == WF_WS_ERR_OK);
  CHECK(hs.protocol == req.protocols && hs.protocol_len == 4 && !hs.deflate);
  CHECK(wf_ws_client_validate_response(&req, 200, resp, 4, &hs) == WF_WS_ERR_HANDSHAKE_STATUS);
  CHECK(wf_ws_client_validate_response(&req, 101, resp, 2, &hs) == WF_WS_ERR_HANDSHAKE_ACCEPT);
  req.path = "/a\r\nX: y";
  req.path_len = strlen(req.path);
  CHECK(wf_ws_client_write_request(&req, (uint8_t *)out, sizeof out, &w) ==
        WF_WS_ERR_INVALID_ARGUMENT);
}

int main(void) {
  test_accept_key();
  test_server();
  test_client();
  printf("test_handshake: all checks passed\n");
  return 0;
}
