/*
 * wireframe_node.c: the N-API addon behind the npm package `wireframe`.
 *
 * A thin layer over include/wireframe.h. The HTTP parser runs the core's callback API in C:
 * span pieces (URL, reason phrase, header names and values, trailers) are gathered in a
 * per-parser arena, so JavaScript is entered once per message head, once per body piece
 * and once per message end, never once per span. The WebSocket decoder likewise gathers
 * payload pieces and enters JavaScript once per message (or once per frame in frame mode).
 *
 * JavaScript is entered through "trampolines": plain functions that index.js registers once
 * per environment with init(). They are called with the parser or decoder object as `this`
 * and positional arguments (no objects are built in C), and they build the objects users see
 * and call the user's callbacks.
 *
 * Rules kept here: no napi status is asserted (every failure throws a JavaScript error); no
 * call from JavaScript may re-enter a parser or decoder that is running its callbacks; all
 * memory is owned by the object it belongs to and freed by its finalizer.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wireframe.h>

/* ------------------------------------------------------------------------------------------ */
/* Plumbing                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Trampolines registered by index.js; one set per Node environment (instance data). */
enum {
  T_HTTP_HEADERS,
  T_HTTP_BODY,
  T_HTTP_COMPLETE,
  T_WS_MESSAGE,
  T_WS_FRAME,
  T_WS_CONTROL,
  T_COUNT
};
static const char *const trampoline_names[T_COUNT] = {
    "httpHeaders", "httpBody", "httpComplete", "wsMessage", "wsFrame", "wsControl",
};

typedef struct {
  napi_ref trampolines[T_COUNT];
} addon_data;

/* Throws the last napi error unless an exception is already pending. */
static void throw_last(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return;
  const napi_extended_error_info *info = NULL;
  const char *msg = "N-API call failed";
  if (napi_get_last_error_info(env, &info) == napi_ok && info && info->error_message)
    msg = info->error_message;
  napi_throw_error(env, "ERR_WIREFRAME_NAPI", msg);
}

/* Evaluates a napi call; on failure throws and returns NULL from the calling function. */
#define CALL(env, expr)                                                                       \
  do {                                                                                        \
    if ((expr) != napi_ok) {                                                                  \
      throw_last(env);                                                                        \
      return NULL;                                                                            \
    }                                                                                         \
  } while (0)

/* As CALL, for functions that return an int status (-1 on failure). */
#define CALLI(env, expr)                                                                      \
  do {                                                                                        \
    if ((expr) != napi_ok) {                                                                  \
      throw_last(env);                                                                        \
      return -1;                                                                              \
    }                                                                                         \
  } while (0)

static napi_value undefined_value(napi_env env) {
  napi_value u = NULL;
  napi_get_undefined(env, &u);
  return u;
}

/* Sets obj[name] = value; returns -1 (with an exception) on failure. */
static int set_named(napi_env env, napi_value obj, const char *name, napi_value value) {
  CALLI(env, napi_set_named_property(env, obj, name, value));
  return 0;
}

static int set_uint(napi_env env, napi_value obj, const char *name, double v) {
  napi_value n;
  CALLI(env, napi_create_double(env, v, &n));
  return set_named(env, obj, name, n);
}

static int set_bool(napi_env env, napi_value obj, const char *name, bool v) {
  napi_value b;
  CALLI(env, napi_get_boolean(env, v, &b));
  return set_named(env, obj, name, b);
}

static int set_str(napi_env env, napi_value obj, const char *name, const char *s, size_t n) {
  napi_value v;
  CALLI(env, napi_create_string_latin1(env, s, n, &v));
  return set_named(env, obj, name, v);
}

/*
 * Throws an Error whose message is `message`, with `code` set, and `reason` (when not NULL)
 * and `offset` (when >= 0) properties. Returns NULL so callers can `return throw_coded(...)`.
 */
static napi_value throw_coded(napi_env env, const char *code, const char *message,
                              const char *reason, double offset) {
  napi_value code_v, msg_v, err;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_v) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg_v) != napi_ok ||
      napi_create_error(env, code_v, msg_v, &err) != napi_ok) {
    throw_last(env);
    return NULL;
  }
  if (reason && set_str(env, err, "reason", reason, strlen(reason)) != 0) return NULL;
  if (offset >= 0 && set_uint(env, err, "offset", offset) != 0) return NULL;
  napi_throw(env, err);
  return NULL;
}

/*
 * Reads the bytes of a TypedArray (Buffer, Uint8Array, ...) or DataView into (*data, *len).
 * Returns 0, or -1 after throwing a TypeError naming `what`.
 */
static int get_bytes(napi_env env, napi_value v, const char *what, uint8_t **data, size_t *len) {
  bool is = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *p = NULL;
  /* One call for the common case; it fails (without throwing) for anything else. */
  if (napi_get_typedarray_info(env, v, &type, &length, &p, NULL, NULL) == napi_ok) {
    size_t size = 1;
    switch (type) {
      case napi_int16_array: case napi_uint16_array: size = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: size = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: size = 8; break;
      default: size = 1; break;
    }
    *data = (uint8_t *)p;
    *len = length * size;
    return 0;
  }
  if (napi_is_dataview(env, v, &is) == napi_ok && is) {
    CALLI(env, napi_get_dataview_info(env, v, &length, &p, NULL, NULL));
    *data = (uint8_t *)p;
    *len = length;
    return 0;
  }
  char msg[96];
  snprintf(msg, sizeof msg, "%s must be a Buffer, TypedArray or DataView", what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return -1;
}

/*
 * Reads the bytes of a Buffer or Uint8Array (inputs whose pieces are handed back as
 * subarray() views, so they must be byte-indexed). Returns 0, or -1 after a TypeError.
 */
static int get_u8(napi_env env, napi_value v, const char *what, uint8_t **data, size_t *len) {
  napi_typedarray_type type = napi_int16_array;
  void *p = NULL;
  size_t length = 0;
  /* napi_get_typedarray_info fails (without throwing) for anything but a TypedArray. */
  if (napi_get_typedarray_info(env, v, &type, &length, &p, NULL, NULL) == napi_ok &&
      type == napi_uint8_array) {
    *data = p;
    *len = length;
    return 0;
  }
  char msg[96];
  snprintf(msg, sizeof msg, "%s must be a Buffer or Uint8Array", what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return -1;
}

/* Reads a number argument as a double; throws a TypeError when it is not a number. */
static int get_number(napi_env env, napi_value v, const char *what, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a number", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return -1;
  }
  return 0;
}

/* Reads an integer in [0, max] (a safe integer); throws a RangeError otherwise. */
static int get_uint(napi_env env, napi_value v, const char *what, double max, uint64_t *out) {
  double d;
  if (get_number(env, v, what, &d) != 0) return -1;
  if (!(d >= 0 && d <= max) || d != (double)(uint64_t)d) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be an integer from 0 to %.0f", what, max);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return -1;
  }
  *out = (uint64_t)d;
  return 0;
}

/*
 * Copies a JavaScript string's latin1 bytes (one byte per UTF-16 unit; callers pass strings
 * that are already byte strings) into a new malloc'd buffer. Returns 0 or -1 (thrown).
 */
static int get_latin1(napi_env env, napi_value v, const char *what, char **out, size_t *len) {
  size_t n = 0;
  if (napi_get_value_string_latin1(env, v, NULL, 0, &n) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a string", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return -1;
  }
  char *s = malloc(n + 1);
  if (!s) {
    napi_throw_error(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory");
    return -1;
  }
  if (napi_get_value_string_latin1(env, v, s, n + 1, &n) != napi_ok) {
    free(s);
    throw_last(env);
    return -1;
  }
  *out = s;
  *len = n;
  return 0;
}

static addon_data *get_addon(napi_env env) {
  addon_data *ad = NULL;
  if (napi_get_instance_data(env, (void **)&ad) != napi_ok) return NULL;
  return ad;
}

/* Fetches trampoline `t`; throws when init() was not called. */
static napi_value get_trampoline(napi_env env, addon_data *ad, int t) {
  napi_value fn = NULL;
  if (!ad || !ad->trampolines[t] ||
      napi_get_reference_value(env, ad->trampolines[t], &fn) != napi_ok || !fn) {
    napi_throw_error(env, "ERR_WIREFRAME_INIT", "wireframe addon used before init()");
    return NULL;
  }
  return fn;
}

/* A growable byte buffer (the addon may allocate; the core never does). */
typedef struct {
  uint8_t *data;
  size_t len, cap;
} bytes_t;

static int bytes_reserve(bytes_t *b, size_t extra) {
  if (extra > SIZE_MAX - b->len) return -1;
  size_t need = b->len + extra;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  uint8_t *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

static int bytes_append(bytes_t *b, const void *src, size_t n) {
  if (n == 0) return 0;
  if (bytes_reserve(b, n) != 0) return -1;
  memcpy(b->data + b->len, src, n);
  b->len += n;
  return 0;
}

/* Drops the contents; gives back memory above 64 KiB so one huge message does not pin it. */
static void bytes_clear(bytes_t *b) {
  b->len = 0;
  if (b->cap > 65536) {
    free(b->data);
    b->data = NULL;
    b->cap = 0;
  }
}

static void bytes_free(bytes_t *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* init(trampolines)                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void addon_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  addon_data *ad = data;
  for (int i = 0; i < T_COUNT; i++)
    if (ad->trampolines[i]) napi_delete_reference(env, ad->trampolines[i]);
  free(ad);
}

/* init({httpHeaders, httpBody, ...}): registers the trampolines (index.js calls it once). */
static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  addon_data *ad = get_addon(env);
  if (!ad) return throw_coded(env, "ERR_WIREFRAME_INIT", "no instance data", NULL, -1);
  for (int i = 0; i < T_COUNT; i++) {
    napi_value fn;
    napi_valuetype t;
    CALL(env, napi_get_named_property(env, argv[0], trampoline_names[i], &fn));
    CALL(env, napi_typeof(env, fn, &t));
    if (t != napi_function)
      return throw_coded(env, "ERR_INVALID_ARG_TYPE", "init: every trampoline must be a function",
                         NULL, -1);
    if (ad->trampolines[i]) napi_delete_reference(env, ad->trampolines[i]);
    ad->trampolines[i] = NULL;
    CALL(env, napi_create_reference(env, fn, 1, &ad->trampolines[i]));
  }
  return undefined_value(env);
}

/* ------------------------------------------------------------------------------------------ */
/* HttpParser                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* One header (or trailer) in the arena: offsets and lengths into http_t.arena. */
typedef struct {
  size_t name_off, name_len, value_off, value_len;
} header_t;

/* What the last header span was: a name in progress, a finished name, a value. */
enum { LAST_NONE, LAST_FIELD, LAST_FIELD_DONE, LAST_VALUE };

/* Headers passed as separate trampoline arguments up to this count; beyond, as one array. */
#define MAX_HEADER_ARGS 64

typedef struct {
  wf_http_parser p;
  napi_env env;
  addon_data *ad;
  /* Valid only while execute()/finish() runs. */
  napi_value self;
  napi_value input;
  const char *input_base;
  size_t input_len;
  /* Current message head (or trailers), gathered across execute() calls. */
  bytes_t arena;
  header_t *headers;
  size_t nheaders, headers_cap;
  size_t url_off, url_len, status_off, status_len;
  int last;
  /* State. */
  uint8_t type;
  int running;         /* execute()/finish() is running: no re-entry */
  int pause_requested; /* pause() called from a callback */
  int oom;             /* an allocation failed inside a callback */
  int upgraded;
  double upgrade_offset;
  /* One handle scope serves several callbacks of an execute() call (renewed every
   * SCOPE_RENEW callbacks so a long pipeline does not pile up handles). */
  napi_handle_scope scope;
  int scope_uses;
} http_t;

#define SCOPE_RENEW 64

/* Makes sure a handle scope is open for a callback's values; returns -1 on failure. */
static int http_scope(http_t *h) {
  if (h->scope && ++h->scope_uses < SCOPE_RENEW) return 0;
  if (h->scope) napi_close_handle_scope(h->env, h->scope);
  h->scope = NULL;
  h->scope_uses = 0;
  return napi_open_handle_scope(h->env, &h->scope) == napi_ok ? 0 : -1;
}

static void http_scope_close(http_t *h) {
  if (h->scope) napi_close_handle_scope(h->env, h->scope);
  h->scope = NULL;
  h->scope_uses = 0;
}

static const wf_http_settings *http_settings(void);

static void http_clear_head(http_t *h) {
  bytes_clear(&h->arena);
  h->nheaders = 0;
  h->url_off = h->url_len = h->status_off = h->status_len = 0;
  h->last = LAST_NONE;
}

/* Ends a C callback that entered JavaScript: nonzero stops the parser. */
static int http_cb_result(http_t *h, napi_status st) {
  if (st != napi_ok) {
    throw_last(h->env); /* keeps a pending JS exception, or reports the napi failure */
    return -1;
  }
  if (h->pause_requested) {
    h->pause_requested = 0;
    return WF_HPE_PAUSED;
  }
  return 0;
}

static int http_on_message_begin(wf_http_parser *p) {
  http_t *h = p->data;
  http_clear_head(h);
  return 0;
}

static int http_on_url(wf_http_parser *p, const char *at, size_t n) {
  http_t *h = p->data;
  if (h->url_len == 0) h->url_off = h->arena.len;
  if (bytes_append(&h->arena, at, n) != 0) return h->oom = 1, -1;
  h->url_len += n;
  return 0;
}

static int http_on_status(wf_http_parser *p, const char *at, size_t n) {
  http_t *h = p->data;
  if (h->status_len == 0) h->status_off = h->arena.len;
  if (bytes_append(&h->arena, at, n) != 0) return h->oom = 1, -1;
  h->status_len += n;
  return 0;
}

static int http_on_header_field(wf_http_parser *p, const char *at, size_t n) {
  http_t *h = p->data;
  if (h->last != LAST_FIELD) {
    if (h->nheaders == h->headers_cap) {
      size_t cap = h->headers_cap ? h->headers_cap * 2 : 16;
      header_t *hs = realloc(h->headers, cap * sizeof *hs);
      if (!hs) return h->oom = 1, -1;
      h->headers = hs;
      h->headers_cap = cap;
    }
    header_t *hd = &h->headers[h->nheaders++];
    hd->name_off = h->arena.len;
    hd->name_len = hd->value_off = hd->value_len = 0;
    h->last = LAST_FIELD;
  }
  if (bytes_append(&h->arena, at, n) != 0) return h->oom = 1, -1;
  h->headers[h->nheaders - 1].name_len += n;
  return 0;
}

static int http_on_header_value(wf_http_parser *p, const char *at, size_t n) {
  http_t *h = p->data;
  if (h->nheaders == 0) return 0; /* cannot happen: a value always follows a name */
  header_t *hd = &h->headers[h->nheaders - 1];
  if (h->last != LAST_VALUE) {
    hd->value_off = h->arena.len;
    h->last = LAST_VALUE;
  }
  if (bytes_append(&h->arena, at, n) != 0) return h->oom = 1, -1;
  hd->value_len += n;
  return 0;
}

/* A header name is complete: the next name piece starts a new header even if no value came. */
static int http_on_header_field_complete(wf_http_parser *p) {
  http_t *h = p->data;
  h->last = LAST_FIELD_DONE;
  return 0;
}

/* Latin1 string of arena bytes [off, off+len). */
static napi_status arena_string(http_t *h, size_t off, size_t len, napi_value *out) {
  return napi_create_string_latin1(h->env, (const char *)h->arena.data + off, len, out);
}

/* Builds [name, value, ...] for the gathered headers into a JS array. */
static napi_status headers_array(http_t *h, napi_value *out) {
  napi_env env = h->env;
  napi_status st = napi_create_array_with_length(env, h->nheaders * 2, out);
  for (size_t i = 0; st == napi_ok && i < h->nheaders; i++) {
    napi_value n, v;
    header_t *hd = &h->headers[i];
    st = arena_string(h, hd->name_off, hd->name_len, &n);
    if (st == napi_ok) st = arena_string(h, hd->value_off, hd->value_len, &v);
    if (st == napi_ok) st = napi_set_element(env, *out, (uint32_t)(2 * i), n);
    if (st == napi_ok) st = napi_set_element(env, *out, (uint32_t)(2 * i + 1), v);
  }
  return st;
}

/*
 * The head crosses into JavaScript as one call:
 *   httpHeaders(info, statusCode, url, statusMessage, name0, value0, name1, value1, ...)
 * info packs: bits 0-7 method (255: a response), 8-15 major, 16-23 minor, 24 upgrade,
 * 25 should-keep-alive, 26 "the headers come as one array in the 5th argument".
 * The trampoline returns the user's answer: 1 / true (no body) or 2 (no body, upgrade).
 */
static int http_on_headers_complete(wf_http_parser *p) {
  http_t *h = p->data;
  napi_env env = h->env;
  if (http_scope(h) != 0) return -1;
  int result = -1;
  napi_value fn = get_trampoline(env, h->ad, T_HTTP_HEADERS);
  if (!fn) goto done;

  int is_response = h->type == WF_HTTP_TYPE_RESPONSE ||
                    (h->type == WF_HTTP_TYPE_BOTH && p->status_code != 0);
  uint32_t bits = (is_response ? 255u : p->method) | ((uint32_t)p->http_major << 8) |
                  ((uint32_t)p->http_minor << 16) | ((uint32_t)(p->upgrade != 0) << 24) |
                  ((uint32_t)(wf_http_should_keep_alive(p) != 0) << 25);
  int as_array = h->nheaders > MAX_HEADER_ARGS;
  if (as_array) bits |= 1u << 26;

  napi_value stack_argv[4 + 2 * MAX_HEADER_ARGS];
  size_t argc = 4 + (as_array ? 1 : 2 * h->nheaders);
  napi_value *argv = stack_argv;
  napi_status st = napi_create_uint32(env, bits, &argv[0]);
  if (st == napi_ok) st = napi_create_uint32(env, p->status_code, &argv[1]);
  if (st == napi_ok) st = arena_string(h, h->url_off, h->url_len, &argv[2]);
  if (st == napi_ok) st = arena_string(h, h->status_off, h->status_len, &argv[3]);
  if (as_array) {
    if (st == napi_ok) st = headers_array(h, &argv[4]);
  } else {
    for (size_t i = 0; st == napi_ok && i < h->nheaders; i++) {
      header_t *hd = &h->headers[i];
      st = arena_string(h, hd->name_off, hd->name_len, &argv[4 + 2 * i]);
      if (st == napi_ok) st = arena_string(h, hd->value_off, hd->value_len, &argv[5 + 2 * i]);
    }
  }
  napi_value ret = NULL;
  if (st == napi_ok) st = napi_call_function(env, h->self, fn, argc, argv, &ret);
  /* The head is in JavaScript now: what comes next in the arena are trailers. */
  http_clear_head(h);
  if (st != napi_ok) {
    throw_last(env);
    goto done;
  }
  int skip = 0;
  napi_valuetype t;
  if (ret && napi_typeof(env, ret, &t) == napi_ok) {
    if (t == napi_boolean) {
      bool b = false;
      if (napi_get_value_bool(env, ret, &b) == napi_ok && b) skip = WF_HTTP_SKIP_BODY;
    } else if (t == napi_number) {
      int32_t n = 0;
      if (napi_get_value_int32(env, ret, &n) == napi_ok &&
          (n == WF_HTTP_SKIP_BODY || n == WF_HTTP_SKIP_BODY_UPGRADE))
        skip = n;
    }
  }
  if (skip) {
    /* A skip-body answer wins over a pause, which then stops after the next event. */
    result = skip;
  } else if (h->pause_requested) {
    h->pause_requested = 0;
    result = WF_HPE_PAUSED;
  } else {
    result = 0;
  }
done:
  return result;
}

/* httpBody(buffer, offset, length): a view of the input, or a copy when not in the input. */
static int http_on_body(wf_http_parser *p, const char *at, size_t n) {
  http_t *h = p->data;
  napi_env env = h->env;
  if (http_scope(h) != 0) return -1;
  int result = -1;
  napi_value fn = get_trampoline(env, h->ad, T_HTTP_BODY);
  if (!fn) goto done;
  napi_value argv[3];
  napi_status st;
  if (h->input && at >= h->input_base && n <= h->input_len &&
      (size_t)(at - h->input_base) <= h->input_len - n) {
    argv[0] = h->input;
    st = napi_create_double(env, (double)(at - h->input_base), &argv[1]);
  } else {
    void *copy;
    st = napi_create_buffer_copy(env, n, at, &copy, &argv[0]);
    if (st == napi_ok) st = napi_create_uint32(env, 0, &argv[1]);
  }
  if (st == napi_ok) st = napi_create_double(env, (double)n, &argv[2]);
  if (st == napi_ok) st = napi_call_function(env, h->self, fn, 3, argv, NULL);
  result = http_cb_result(h, st);
done:
  return result;
}

/* httpComplete(trailers): trailers is [name, value, ...] or undefined when there were none. */
static int http_on_message_complete(wf_http_parser *p) {
  http_t *h = p->data;
  napi_env env = h->env;
  if (http_scope(h) != 0) return -1;
  int result = -1;
  napi_value fn = get_trampoline(env, h->ad, T_HTTP_COMPLETE);
  if (!fn) goto done;
  napi_value arg;
  napi_status st = napi_ok;
  if (h->nheaders > 0) st = headers_array(h, &arg);
  else st = napi_get_undefined(env, &arg);
  http_clear_head(h);
  if (st == napi_ok) st = napi_call_function(env, h->self, fn, 1, &arg, NULL);
  result = http_cb_result(h, st);
done:
  return result;
}

static const wf_http_settings *http_settings(void) {
  static wf_http_settings s;
  static int ready = 0;
  if (!ready) {
    wf_http_settings_init(&s);
    s.on_message_begin = http_on_message_begin;
    s.on_url = http_on_url;
    s.on_status = http_on_status;
    s.on_header_field = http_on_header_field;
    s.on_header_field_complete = http_on_header_field_complete;
    s.on_header_value = http_on_header_value;
    s.on_headers_complete = http_on_headers_complete;
    s.on_body = http_on_body;
    s.on_message_complete = http_on_message_complete;
    ready = 1;
  }
  return &s;
}

static void http_finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  http_t *h = data;
  bytes_free(&h->arena);
  free(h->headers);
  free(h);
}

/* Unwraps `this` into an http_t; throws when it is not a parser. */
static http_t *http_this(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                         napi_value *self) {
  napi_value this_arg;
  void *h = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &this_arg, NULL) != napi_ok) {
    throw_last(env);
    return NULL;
  }
  if (napi_unwrap(env, this_arg, &h) != napi_ok || !h) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "not an HttpParser");
    return NULL;
  }
  if (self) *self = this_arg;
  return h;
}

static napi_value http_busy(napi_env env, const char *what) {
  char msg[128];
  snprintf(msg, sizeof msg, "HttpParser.%s() may not be called from the parser's own callbacks",
           what);
  return throw_coded(env, "ERR_WIREFRAME_REENTRANT", msg, NULL, -1);
}

/* new HttpParser(type): type 1 (request), 2 (response) or 0 (both). */
static napi_value http_new(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  CALL(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  uint64_t type = WF_HTTP_TYPE_REQUEST;
  if (argc >= 1 && get_uint(env, argv[0], "type", 2, &type) != 0) return NULL;
  http_t *h = calloc(1, sizeof *h);
  if (!h) return throw_coded(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory", NULL, -1);
  h->env = env;
  h->ad = get_addon(env);
  h->type = (uint8_t)type;
  wf_http_parser_init(&h->p, h->type);
  h->p.data = h;
  h->upgrade_offset = -1;
  if (napi_wrap(env, self, h, http_finalize, NULL, NULL) != napi_ok) {
    http_finalize(env, h, NULL);
    throw_last(env);
    return NULL;
  }
  return self;
}

/* Throws the parser's error (code, reason, offset) and returns NULL. */
static napi_value http_throw(napi_env env, http_t *h, double offset) {
  wf_hpe e = wf_http_errno(&h->p);
  const char *name = wf_http_errno_name(e);
  const char *reason = wf_http_error_reason(&h->p);
  char msg[512];
  snprintf(msg, sizeof msg, "Parse Error: %s", reason && *reason ? reason : wf_http_errno_description(e));
  return throw_coded(env, name, msg, reason && *reason ? reason : wf_http_errno_description(e),
                     offset);
}

/* After a run of the core: exception, allocation failure, pending pause, or the result. */
static napi_value http_after_run(napi_env env, http_t *h, size_t consumed, int has_offset) {
  http_scope_close(h);
  h->running = 0;
  h->self = h->input = NULL;
  h->input_base = NULL;
  h->input_len = 0;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    h->oom = 0;
    h->pause_requested = 0;
    return NULL;
  }
  if (h->oom) {
    h->oom = 0;
    return throw_coded(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory", NULL, -1);
  }
  wf_hpe e = wf_http_errno(&h->p);
  if (h->pause_requested) {
    /* pause() in the last callback of the input: the next execute() starts paused. */
    h->pause_requested = 0;
    if (e == WF_HPE_OK) wf_http_pause(&h->p);
  }
  switch (e) {
    case WF_HPE_OK:
    case WF_HPE_PAUSED:
      break;
    case WF_HPE_PAUSED_UPGRADE:
    case WF_HPE_PAUSED_H2_UPGRADE:
      if (!h->upgraded) {
        h->upgraded = 1;
        h->upgrade_offset = (double)consumed;
      }
      break;
    default:
      return http_throw(env, h, has_offset ? (double)consumed : -1);
  }
  napi_value r;
  CALL(env, napi_create_double(env, (double)consumed, &r));
  return r;
}

/* execute(buffer) -> bytes consumed. */
static napi_value http_execute(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL}, self;
  http_t *h = http_this(env, info, &argc, argv, &self);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "execute");
  uint8_t *data = NULL;
  size_t len = 0;
  if (argc < 1) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "execute(data): data is required", NULL, -1);
  if (get_u8(env, argv[0], "data", &data, &len) != 0) return NULL;
  h->self = self;
  h->input = argv[0];
  h->input_base = (const char *)data;
  h->input_len = len;
  h->running = 1;
  h->env = env;
  size_t n = wf_http_execute(&h->p, http_settings(), (const char *)data, len);
  return http_after_run(env, h, n, 1);
}

/* finish(): end of input; completes a read-until-EOF response or throws. */
static napi_value http_finish(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self;
  http_t *h = http_this(env, info, &argc, NULL, &self);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "finish");
  h->self = self;
  h->running = 1;
  h->env = env;
  wf_http_finish(&h->p, http_settings());
  if (!http_after_run(env, h, 0, 0)) return NULL;
  return undefined_value(env);
}

static napi_value http_pause(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  http_t *h = http_this(env, info, &argc, NULL, NULL);
  if (!h) return NULL;
  if (h->running) h->pause_requested = 1;
  else wf_http_pause(&h->p);
  return undefined_value(env);
}

static napi_value http_resume(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  http_t *h = http_this(env, info, &argc, NULL, NULL);
  if (!h) return NULL;
  if (h->running) h->pause_requested = 0;
  else wf_http_resume(&h->p);
  return undefined_value(env);
}

static napi_value http_resume_after_upgrade(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  http_t *h = http_this(env, info, &argc, NULL, NULL);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "resumeAfterUpgrade");
  wf_http_resume_after_upgrade(&h->p);
  h->upgraded = 0;
  h->upgrade_offset = -1;
  return undefined_value(env);
}

/* reset(): ready for a new connection; keeps type, leniency and limits. */
static napi_value http_reset(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  http_t *h = http_this(env, info, &argc, NULL, NULL);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "reset");
  wf_http_parser_reset(&h->p);
  h->p.data = h;
  http_clear_head(h);
  h->upgraded = 0;
  h->upgrade_offset = -1;
  h->pause_requested = 0;
  return undefined_value(env);
}

static napi_value http_set_lenient(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  http_t *h = http_this(env, info, &argc, argv, NULL);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "setLenientFlags");
  uint64_t flags;
  if (argc < 1 || get_uint(env, argv[0], "flags", WF_LENIENT_ALL, &flags) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "flags is required");
    return NULL;
  }
  wf_http_set_lenient_flags(&h->p, (uint32_t)flags);
  return undefined_value(env);
}

static napi_value http_set_max_header_size(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  http_t *h = http_this(env, info, &argc, argv, NULL);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "setMaxHeaderSize");
  uint64_t size;
  if (argc < 1 || get_uint(env, argv[0], "size", 4294967295.0, &size) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "size is required");
    return NULL;
  }
  wf_http_set_max_header_size(&h->p, (uint32_t)size);
  return undefined_value(env);
}

static napi_value http_set_max_ext_size(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  http_t *h = http_this(env, info, &argc, argv, NULL);
  if (!h) return NULL;
  if (h->running) return http_busy(env, "setMaxChunkExtensionsSize");
  uint64_t size;
  if (argc < 1 || get_uint(env, argv[0], "size", 4294967295.0, &size) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "size is required");
    return NULL;
  }
  wf_http_set_max_chunk_extensions_size(&h->p, (uint32_t)size);
  return undefined_value(env);
}

/* state(): {errorCode, paused, upgraded, upgradeOffset, shouldKeepAlive, ...} as an object. */
static napi_value http_state(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  http_t *h = http_this(env, info, &argc, NULL, NULL);
  if (!h) return NULL;
  napi_value o;
  CALL(env, napi_create_object(env, &o));
  wf_hpe e = wf_http_errno(&h->p);
  const char *name = wf_http_errno_name(e);
  if (set_str(env, o, "code", name, strlen(name)) != 0) return NULL;
  if (set_bool(env, o, "paused", e == WF_HPE_PAUSED) != 0) return NULL;
  if (set_bool(env, o, "upgraded", h->upgraded != 0) != 0) return NULL;
  if (set_uint(env, o, "upgradeOffset", h->upgrade_offset) != 0) return NULL;
  if (set_bool(env, o, "h2Preface", e == WF_HPE_PAUSED_H2_UPGRADE) != 0) return NULL;
  if (set_bool(env, o, "messageNeedsEof", wf_http_message_needs_eof(&h->p) != 0) != 0) return NULL;
  if (set_uint(env, o, "type", h->type) != 0) return NULL;
  return o;
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket Decoder                                                                          */
/* ------------------------------------------------------------------------------------------ */

enum { WS_MESSAGES = 0, WS_FRAMES = 1 };

typedef struct {
  wf_ws_decoder d;
  napi_env env;
  addon_data *ad;
  int mode;
  uint32_t role, flags;
  double max_frame, max_message;
  uint32_t max_fragments;
  /* Valid only while decode() runs. */
  napi_value self, input;
  const uint8_t *input_base;
  size_t input_len;
  /* Gathering: `piece` is a payload piece still in the input (not yet copied); `acc` holds
   * copied bytes. A message (or frame) that arrives as one piece is handed over as a view of
   * the input, without a copy. */
  const uint8_t *piece;
  size_t piece_len;
  bytes_t acc;
  uint8_t ctrl[125];
  size_t ctrl_len;
  wf_ws_frame_header hdr;
  uint8_t msg_opcode;
  int msg_rsv1;
  int running, oom;
} ws_t;

/* Copies a pending input piece into the accumulator. */
static int ws_flush_piece(ws_t *w) {
  if (!w->piece) return 0;
  int r = bytes_append(&w->acc, w->piece, w->piece_len);
  w->piece = NULL;
  w->piece_len = 0;
  return r;
}

static int ws_on_header(wf_ws_decoder *d, const wf_ws_frame_header *hd) {
  ws_t *w = d->data;
  w->hdr = *hd;
  if (hd->opcode >= 8) {
    w->ctrl_len = 0;
    if (w->mode == WS_MESSAGES) return 0;
  }
  if (w->mode == WS_FRAMES || hd->opcode != WF_WS_OPCODE_CONTINUATION) {
    /* A new message (or, in frame mode, a new frame): start empty. */
    w->piece = NULL;
    w->piece_len = 0;
    bytes_clear(&w->acc);
    if (hd->opcode != WF_WS_OPCODE_CONTINUATION && hd->opcode < 8) {
      w->msg_opcode = hd->opcode;
      w->msg_rsv1 = hd->rsv1;
    }
  }
  return 0;
}

static int ws_on_payload(wf_ws_decoder *d, const uint8_t *data, size_t n) {
  ws_t *w = d->data;
  if (w->hdr.opcode >= 8 && w->mode == WS_MESSAGES) {
    size_t room = sizeof w->ctrl - w->ctrl_len;
    if (n > room) n = room; /* cannot happen: control payloads are at most 125 bytes */
    memcpy(w->ctrl + w->ctrl_len, data, n);
    w->ctrl_len += n;
    return 0;
  }
  if (!w->piece && w->acc.len == 0) {
    w->piece = data;
    w->piece_len = n;
    return 0;
  }
  if (ws_flush_piece(w) != 0 || bytes_append(&w->acc, data, n) != 0) return w->oom = 1, 1;
  return 0;
}

/* Pushes the gathered bytes as (buffer, offset, length) into argv[0..2]. */
static napi_status ws_gathered(ws_t *w, napi_value *argv) {
  napi_env env = w->env;
  napi_status st;
  if (w->piece && w->input) {
    argv[0] = w->input;
    st = napi_create_double(env, (double)(w->piece - w->input_base), &argv[1]);
    if (st == napi_ok) st = napi_create_double(env, (double)w->piece_len, &argv[2]);
    w->piece = NULL;
    w->piece_len = 0;
    return st;
  }
  void *copy;
  st = napi_create_buffer_copy(env, w->acc.len, w->acc.data ? (void *)w->acc.data : (void *)"",
                               &copy, &argv[0]);
  if (st == napi_ok) st = napi_create_uint32(env, 0, &argv[1]);
  if (st == napi_ok) st = napi_create_double(env, (double)w->acc.len, &argv[2]);
  bytes_clear(&w->acc);
  return st;
}

static int ws_on_complete(wf_ws_decoder *d, const wf_ws_frame_end *end) {
  ws_t *w = d->data;
  napi_env env = w->env;
  int is_control = end->opcode >= 8;
  if (w->mode == WS_MESSAGES && !is_control && !end->message_end) {
    /* A fragment of a message still in progress: its piece must survive this call. */
    if (ws_flush_piece(w) != 0) return w->oom = 1, 1;
    return 0;
  }
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return 1;
  int result = 1;
  napi_status st = napi_ok;
  napi_value argv[5];
  napi_value fn;
  size_t argc;
  if (w->mode == WS_FRAMES) {
    /* wsFrame(bits, buffer, offset, length, closeCode): bits = opcode | fin<<4 | rsv1<<5 |
     * rsv2<<6 | rsv3<<7 | masked<<8. */
    fn = get_trampoline(env, w->ad, T_WS_FRAME);
    if (!fn) goto done;
    uint32_t bits = (uint32_t)w->hdr.opcode | ((uint32_t)w->hdr.fin << 4) |
                    ((uint32_t)w->hdr.rsv1 << 5) | ((uint32_t)w->hdr.rsv2 << 6) |
                    ((uint32_t)w->hdr.rsv3 << 7) | ((uint32_t)w->hdr.masked << 8);
    st = napi_create_uint32(env, bits, &argv[0]);
    if (st == napi_ok) st = ws_gathered(w, argv + 1);
    if (st == napi_ok) st = napi_create_uint32(env, end->close_code, &argv[4]);
    argc = 5;
  } else if (is_control) {
    /* wsControl(opcode, buffer, closeCode): ping/pong payload, or the close payload. */
    fn = get_trampoline(env, w->ad, T_WS_CONTROL);
    if (!fn) goto done;
    void *copy;
    st = napi_create_uint32(env, end->opcode, &argv[0]);
    if (st == napi_ok) st = napi_create_buffer_copy(env, w->ctrl_len, w->ctrl, &copy, &argv[1]);
    if (st == napi_ok) st = napi_create_uint32(env, end->close_code, &argv[2]);
    argc = 3;
  } else {
    /* wsMessage(buffer, offset, length, isBinary, compressed). */
    fn = get_trampoline(env, w->ad, T_WS_MESSAGE);
    if (!fn) goto done;
    st = ws_gathered(w, argv);
    if (st == napi_ok) st = napi_get_boolean(env, end->message_opcode == WF_WS_OPCODE_BINARY, &argv[3]);
    if (st == napi_ok) st = napi_get_boolean(env, w->msg_rsv1 != 0, &argv[4]);
    argc = 5;
  }
  if (st == napi_ok) st = napi_call_function(env, w->self, fn, argc, argv, NULL);
  if (st != napi_ok) {
    throw_last(env);
    goto done;
  }
  result = 0;
done:
  napi_close_handle_scope(env, scope);
  return result;
}

static const wf_ws_callbacks ws_callbacks = {ws_on_header, ws_on_payload, ws_on_complete};

static void ws_finalize(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  ws_t *w = data;
  bytes_free(&w->acc);
  free(w);
}

static ws_t *ws_this(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv,
                     napi_value *self) {
  napi_value this_arg;
  void *w = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &this_arg, NULL) != napi_ok) {
    throw_last(env);
    return NULL;
  }
  if (napi_unwrap(env, this_arg, &w) != napi_ok || !w) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "not a Decoder");
    return NULL;
  }
  if (self) *self = this_arg;
  return w;
}

/* Throws a decoder error: code (wireframe name), reason, closeCode, offset (stream offset). */
static napi_value ws_throw(napi_env env, wf_ws_err e, const char *reason, double offset,
                           uint16_t close_code) {
  const char *name = wf_ws_err_name(e);
  napi_value code_v, msg_v, err;
  CALL(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_v));
  CALL(env, napi_create_string_utf8(env, reason, NAPI_AUTO_LENGTH, &msg_v));
  CALL(env, napi_create_error(env, code_v, msg_v, &err));
  if (set_str(env, err, "reason", reason, strlen(reason)) != 0) return NULL;
  if (offset >= 0 && set_uint(env, err, "offset", offset) != 0) return NULL;
  if (close_code && set_uint(env, err, "closeCode", close_code) != 0) return NULL;
  napi_throw(env, err);
  return NULL;
}

/* Throws for a wf_ws_err returned by a setup or encoder function (not a decode error). */
static napi_value ws_throw_arg(napi_env env, wf_ws_err e) {
  return ws_throw(env, e, wf_ws_err_description(e), -1, 0);
}

static int ws_configure(napi_env env, ws_t *w) {
  wf_ws_err e = wf_ws_decoder_init(&w->d, w->role);
  if (e == WF_WS_ERR_OK)
    e = wf_ws_decoder_set_limits(&w->d, (uint64_t)w->max_frame, (uint64_t)w->max_message,
                                 w->max_fragments);
  if (e == WF_WS_ERR_OK) e = wf_ws_decoder_set_flags(&w->d, w->flags);
  if (e != WF_WS_ERR_OK) {
    ws_throw_arg(env, e);
    return -1;
  }
  w->d.data = w;
  return 0;
}

/* new Decoder(role, maxFramePayload, maxMessageSize, maxFragments, flags, mode). */
static napi_value ws_new(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], self;
  CALL(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  if (argc < 6) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "Decoder: 6 arguments expected", NULL, -1);
  uint64_t role, max_frame, max_message, max_fragments, flags, mode;
  if (get_uint(env, argv[0], "role", 1, &role) != 0 ||
      get_uint(env, argv[1], "maxFramePayload", 9007199254740991.0, &max_frame) != 0 ||
      get_uint(env, argv[2], "maxMessageSize", 9007199254740991.0, &max_message) != 0 ||
      get_uint(env, argv[3], "maxFragments", 4294967295.0, &max_fragments) != 0 ||
      get_uint(env, argv[4], "flags", 31, &flags) != 0 ||
      get_uint(env, argv[5], "mode", 1, &mode) != 0)
    return NULL;
  ws_t *w = calloc(1, sizeof *w);
  if (!w) return throw_coded(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory", NULL, -1);
  w->env = env;
  w->ad = get_addon(env);
  w->role = (uint32_t)role;
  w->max_frame = (double)max_frame;
  w->max_message = (double)max_message;
  w->max_fragments = (uint32_t)max_fragments;
  w->flags = (uint32_t)flags;
  w->mode = (int)mode;
  if (ws_configure(env, w) != 0) {
    free(w);
    return NULL;
  }
  if (napi_wrap(env, self, w, ws_finalize, NULL, NULL) != napi_ok) {
    ws_finalize(env, w, NULL);
    throw_last(env);
    return NULL;
  }
  return self;
}

/* decode(buffer) -> undefined; payload bytes are unmasked in place in `buffer`. */
static napi_value ws_decode(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL}, self;
  ws_t *w = ws_this(env, info, &argc, argv, &self);
  if (!w) return NULL;
  if (w->running)
    return throw_coded(env, "ERR_WIREFRAME_REENTRANT",
                       "Decoder.decode() may not be called from the decoder's own callbacks", NULL, -1);
  uint8_t *data = NULL;
  size_t len = 0;
  if (argc < 1) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "decode(data): data is required", NULL, -1);
  if (get_u8(env, argv[0], "data", &data, &len) != 0) return NULL;
  w->self = self;
  w->input = argv[0];
  w->input_base = data;
  w->input_len = len;
  w->running = 1;
  w->env = env;
  size_t n = wf_ws_decode(&w->d, &ws_callbacks, data, len);
  w->running = 0;
  /* A piece of an unfinished message or frame may not outlive this call's input. */
  int flush_failed = ws_flush_piece(w) != 0;
  w->self = w->input = NULL;
  w->input_base = NULL;
  w->input_len = 0;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return NULL;
  if (w->oom || flush_failed) {
    w->oom = 0;
    return throw_coded(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory", NULL, -1);
  }
  wf_ws_err e = wf_ws_decoder_error(&w->d);
  if (e != WF_WS_ERR_OK && e != WF_WS_ERR_PAUSED)
    return ws_throw(env, e, wf_ws_decoder_error_reason(&w->d),
                    (double)wf_ws_decoder_error_offset(&w->d), wf_ws_decoder_close_code(&w->d));
  napi_value r;
  CALL(env, napi_create_double(env, (double)n, &r));
  return r;
}

/* reset(): back to the start of a stream, with the same role, limits and flags. */
static napi_value ws_reset(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ws_t *w = ws_this(env, info, &argc, NULL, NULL);
  if (!w) return NULL;
  if (w->running)
    return throw_coded(env, "ERR_WIREFRAME_REENTRANT",
                       "Decoder.reset() may not be called from the decoder's own callbacks", NULL, -1);
  if (ws_configure(env, w) != 0) return NULL;
  w->piece = NULL;
  w->piece_len = 0;
  bytes_clear(&w->acc);
  return undefined_value(env);
}

static napi_value ws_in_message(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  ws_t *w = ws_this(env, info, &argc, NULL, NULL);
  if (!w) return NULL;
  napi_value b;
  CALL(env, napi_get_boolean(env, wf_ws_decoder_in_message(&w->d), &b));
  return b;
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket encoder                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Reads an optional masking key: undefined/null gives NULL; else 4 bytes. */
static int get_mask_key(napi_env env, napi_value v, const uint8_t **key) {
  napi_valuetype t;
  *key = NULL;
  if (!v) return 0;
  CALLI(env, napi_typeof(env, v, &t));
  if (t == napi_undefined || t == napi_null) return 0;
  uint8_t *p;
  size_t n;
  if (get_bytes(env, v, "mask", &p, &n) != 0) return -1;
  if (n < 4) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "mask must have at least 4 bytes");
    return -1;
  }
  *key = p;
  return 0;
}

/* Optional bytes: undefined/null give an empty payload. */
static int get_opt_bytes(napi_env env, napi_value v, const char *what, uint8_t **p, size_t *n) {
  napi_valuetype t;
  *p = NULL;
  *n = 0;
  if (!v) return 0;
  CALLI(env, napi_typeof(env, v, &t));
  if (t == napi_undefined || t == napi_null) return 0;
  return get_bytes(env, v, what, p, n);
}

/*
 * Runs an encoder into a fresh Buffer: `size` bytes are allocated, `kind` selects the
 * function. Throws on an invalid argument.
 */
enum { ENC_FRAME, ENC_HEADER, ENC_CLOSE, ENC_PING, ENC_PONG };

static napi_value encode_into(napi_env env, int kind, size_t size, uint32_t flags, uint8_t opcode,
                              const uint8_t *key, const uint8_t *payload, size_t len,
                              uint64_t payload_len, uint16_t code) {
  napi_value buf;
  void *out;
  CALL(env, napi_create_buffer(env, size ? size : 1, &out, &buf));
  size_t written = 0;
  wf_ws_err e;
  switch (kind) {
    case ENC_FRAME:
      e = wf_ws_encode_frame(out, size, flags, opcode, key, payload, len, &written);
      break;
    case ENC_HEADER:
      e = wf_ws_encode_header(out, size, flags, opcode, key, payload_len, &written);
      break;
    case ENC_CLOSE:
      e = wf_ws_encode_close(out, size, code, payload, len, key, &written);
      break;
    case ENC_PING:
      e = wf_ws_encode_ping(out, size, payload, len, key, &written);
      break;
    default:
      e = wf_ws_encode_pong(out, size, payload, len, key, &written);
      break;
  }
  if (e != WF_WS_ERR_OK) return ws_throw_arg(env, e);
  if (written == size) return buf;
  /* The header size depends only on the length; this branch is defensive. */
  napi_value exact;
  void *dst;
  CALL(env, napi_create_buffer_copy(env, written, out, &dst, &exact));
  return exact;
}

/* encodeFrame(flags, opcode, payload, mask) -> Buffer (the payload copied, masked if asked). */
static napi_value js_encode_frame(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4] = {NULL, NULL, NULL, NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t flags, opcode;
  uint8_t *payload;
  size_t len;
  const uint8_t *key;
  if (argc < 2 || get_uint(env, argv[0], "flags", 0xFFFFFFFF, &flags) != 0 ||
      get_uint(env, argv[1], "opcode", 255, &opcode) != 0 ||
      get_opt_bytes(env, argv[2], "payload", &payload, &len) != 0 ||
      get_mask_key(env, argv[3], &key) != 0) {
    if (argc < 2) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "encodeFrame(flags, opcode, payload, mask)");
    return NULL;
  }
  size_t size = wf_ws_frame_size(len, key != NULL);
  if (size == 0) return ws_throw_arg(env, WF_WS_ERR_INVALID_ARGUMENT);
  return encode_into(env, ENC_FRAME, size, (uint32_t)flags, (uint8_t)opcode, key, payload, len, 0, 0);
}

/* encodeHeader(flags, opcode, payloadLength, mask) -> Buffer of 2 to 14 bytes. */
static napi_value js_encode_header(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4] = {NULL, NULL, NULL, NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t flags, opcode, plen;
  const uint8_t *key;
  if (argc < 3 || get_uint(env, argv[0], "flags", 0xFFFFFFFF, &flags) != 0 ||
      get_uint(env, argv[1], "opcode", 255, &opcode) != 0 ||
      get_uint(env, argv[2], "payloadLength", 9007199254740991.0, &plen) != 0 ||
      get_mask_key(env, argv[3], &key) != 0) {
    if (argc < 3) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "encodeHeader(flags, opcode, payloadLength, mask)");
    return NULL;
  }
  size_t size = wf_ws_header_size(plen, key != NULL);
  return encode_into(env, ENC_HEADER, size, (uint32_t)flags, (uint8_t)opcode, key, NULL, 0, plen, 0);
}

/* encodeClose(code, reason, mask) -> Buffer; code 0 writes an empty close payload. */
static napi_value js_encode_close(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t code;
  uint8_t *reason;
  size_t len;
  const uint8_t *key;
  if (argc < 1 || get_uint(env, argv[0], "code", 65535, &code) != 0 ||
      get_opt_bytes(env, argv[1], "reason", &reason, &len) != 0 ||
      get_mask_key(env, argv[2], &key) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "encodeClose(code, reason, mask)");
    return NULL;
  }
  size_t plen = code ? len + 2 : len;
  return encode_into(env, ENC_CLOSE, wf_ws_frame_size(plen, key != NULL), 0, 0, key, reason, len,
                     0, (uint16_t)code);
}

static napi_value encode_ping_pong(napi_env env, napi_callback_info info, int kind) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *payload;
  size_t len;
  const uint8_t *key;
  if (get_opt_bytes(env, argv[0], "payload", &payload, &len) != 0 ||
      get_mask_key(env, argv[1], &key) != 0)
    return NULL;
  if (len > 125) return ws_throw_arg(env, WF_WS_ERR_INVALID_ARGUMENT);
  return encode_into(env, kind, wf_ws_frame_size(len, key != NULL), 0, 0, key, payload, len, 0, 0);
}

/* encodePing(payload, mask) / encodePong(payload, mask) -> Buffer. */
static napi_value js_encode_ping(napi_env env, napi_callback_info info) {
  return encode_ping_pong(env, info, ENC_PING);
}
static napi_value js_encode_pong(napi_env env, napi_callback_info info) {
  return encode_ping_pong(env, info, ENC_PONG);
}

/* ------------------------------------------------------------------------------------------ */
/* bufferutil-compatible masking                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * mask(source, mask, output, offset, length): output[offset + i] = source[i] ^ mask[i & 3]
 * for i < length (bufferutil's contract). Out-of-range arguments throw a RangeError where
 * bufferutil would write out of bounds.
 */
static napi_value js_mask(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "mask(source, mask, output, offset, length)", NULL, -1);
  uint8_t *src, *key, *out;
  size_t src_len, key_len, out_len;
  uint64_t offset, length;
  if (get_bytes(env, argv[0], "source", &src, &src_len) != 0 ||
      get_bytes(env, argv[1], "mask", &key, &key_len) != 0 ||
      get_bytes(env, argv[2], "output", &out, &out_len) != 0 ||
      get_uint(env, argv[3], "offset", 9007199254740991.0, &offset) != 0 ||
      get_uint(env, argv[4], "length", 9007199254740991.0, &length) != 0)
    return NULL;
  if (key_len < 4) return throw_coded(env, "ERR_OUT_OF_RANGE", "mask must have at least 4 bytes", NULL, -1);
  if (length > src_len || offset > out_len || length > out_len - offset)
    return throw_coded(env, "ERR_OUT_OF_RANGE", "offset and length must lie within source and output", NULL, -1);
  /* One pass; ranges that partly overlap (views of one ArrayBuffer) are refused by the core,
   * and then copied first. */
  if (length && wf_ws_mask_copy(src, out + offset, length, key, 0) != WF_WS_ERR_OK) {
    memmove(out + offset, src, length);
    wf_ws_mask(out + offset, length, key, 0);
  }
  return undefined_value(env);
}

/* unmask(buffer, mask): buffer[i] ^= mask[i & 3] for every byte, in place. */
static napi_value js_unmask(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "unmask(buffer, mask)", NULL, -1);
  uint8_t *buf, *key;
  size_t len, key_len;
  if (get_bytes(env, argv[0], "buffer", &buf, &len) != 0 ||
      get_bytes(env, argv[1], "mask", &key, &key_len) != 0)
    return NULL;
  if (key_len < 4) return throw_coded(env, "ERR_OUT_OF_RANGE", "mask must have at least 4 bytes", NULL, -1);
  if (len) wf_ws_mask(buf, len, key, 0);
  return undefined_value(env);
}

/* ------------------------------------------------------------------------------------------ */
/* Handshake                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* acceptKey(key: string) -> string (28 characters). */
static napi_value js_accept_key(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "acceptKey(key)", NULL, -1);
  char *key;
  size_t len;
  if (get_latin1(env, argv[0], "key", &key, &len) != 0) return NULL;
  char out[28];
  wf_ws_err e = wf_ws_accept_key(key, len, out);
  free(key);
  if (e != WF_WS_ERR_OK) return ws_throw_arg(env, e);
  napi_value s;
  CALL(env, napi_create_string_latin1(env, out, 28, &s));
  return s;
}

/* Strings held for a handshake call: every one malloc'd, freed by strings_free. */
typedef struct {
  char **items;
  size_t *lens;
  size_t count;
} strings_t;

static void strings_free(strings_t *s) {
  for (size_t i = 0; i < s->count; i++) free(s->items[i]);
  free(s->items);
  free(s->lens);
  s->items = NULL;
  s->lens = NULL;
  s->count = 0;
}

/* Reads a flat [name, value, ...] array of strings into wf_ws_header rows. */
static int get_headers(napi_env env, napi_value arr, strings_t *s, wf_ws_header **out, size_t *count) {
  bool is = false;
  uint32_t n = 0;
  *out = NULL;
  *count = 0;
  if (napi_is_array(env, arr, &is) != napi_ok || !is) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "headers must be an array [name, value, ...]");
    return -1;
  }
  CALLI(env, napi_get_array_length(env, arr, &n));
  if (n % 2) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "headers must have an even length");
    return -1;
  }
  s->items = calloc(n ? n : 1, sizeof *s->items);
  s->lens = calloc(n ? n : 1, sizeof *s->lens);
  wf_ws_header *hs = calloc(n / 2 ? n / 2 : 1, sizeof *hs);
  if (!s->items || !s->lens || !hs) {
    free(hs);
    napi_throw_error(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    if (napi_get_element(env, arr, i, &v) != napi_ok) {
      free(hs);
      throw_last(env);
      return -1;
    }
    if (get_latin1(env, v, "header", &s->items[i], &s->lens[i]) != 0) {
      free(hs);
      return -1;
    }
    s->count = i + 1;
  }
  for (uint32_t i = 0; i < n / 2; i++) {
    hs[i].name = s->items[2 * i];
    hs[i].name_len = s->lens[2 * i];
    hs[i].value = s->items[2 * i + 1];
    hs[i].value_len = s->lens[2 * i + 1];
  }
  *out = hs;
  *count = n / 2;
  return 0;
}

/* Builds the result object of a handshake (server or client). */
static napi_value handshake_result(napi_env env, const wf_ws_handshake *hs, int server) {
  napi_value o, v;
  CALL(env, napi_create_object(env, &o));
  if (set_bool(env, o, "ok", hs->error == WF_WS_ERR_OK) != 0) return NULL;
  if (hs->error == WF_WS_ERR_OK) {
    CALL(env, napi_get_null(env, &v));
    if (set_named(env, o, "error", v) != 0) return NULL;
  } else {
    const char *name = wf_ws_err_name(hs->error);
    if (set_str(env, o, "error", name, strlen(name)) != 0) return NULL;
  }
  const char *desc = hs->error == WF_WS_ERR_OK ? "" : wf_ws_err_description(hs->error);
  if (set_str(env, o, "reason", desc, strlen(desc)) != 0) return NULL;
  if (set_uint(env, o, "status", hs->status) != 0) return NULL;
  if (server && set_str(env, o, "acceptKey", hs->accept_key, strlen(hs->accept_key)) != 0) return NULL;
  if (hs->protocol) {
    if (set_str(env, o, "protocol", hs->protocol, hs->protocol_len) != 0) return NULL;
  } else {
    CALL(env, napi_get_null(env, &v));
    if (set_named(env, o, "protocol", v) != 0) return NULL;
  }
  if (set_bool(env, o, "deflate", hs->deflate) != 0) return NULL;
  if (hs->deflate) {
    napi_value p;
    const wf_ws_deflate_params *d = &hs->deflate_params;
    CALL(env, napi_create_object(env, &p));
    if (set_bool(env, p, "serverNoContextTakeover", d->server_no_context_takeover) != 0 ||
        set_bool(env, p, "clientNoContextTakeover", d->client_no_context_takeover) != 0 ||
        set_uint(env, p, "serverMaxWindowBits", d->server_max_window_bits) != 0 ||
        set_bool(env, p, "clientMaxWindowBitsPresent", d->client_max_window_bits_present) != 0 ||
        set_uint(env, p, "clientMaxWindowBits", d->client_max_window_bits) != 0 ||
        set_named(env, o, "deflateParams", p) != 0)
      return NULL;
  } else {
    CALL(env, napi_get_null(env, &v));
    if (set_named(env, o, "deflateParams", v) != 0) return NULL;
  }
  return o;
}

/*
 * serverHandshake(method, major, minor, headers, protocols, flags) -> result with `response`
 * (a Buffer holding the 101, or the 400/426 refusal).
 */
static napi_value js_server_handshake(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "serverHandshake: 6 arguments expected", NULL, -1);
  char *method = NULL, *protocols = NULL;
  size_t method_len = 0, protocols_len = 0, count = 0;
  uint64_t major, minor, flags;
  strings_t s = {0};
  wf_ws_header *headers = NULL;
  napi_value result = NULL;
  if (get_latin1(env, argv[0], "method", &method, &method_len) != 0 ||
      get_uint(env, argv[1], "versionMajor", 65535, &major) != 0 ||
      get_uint(env, argv[2], "versionMinor", 65535, &minor) != 0 ||
      get_headers(env, argv[3], &s, &headers, &count) != 0 ||
      get_latin1(env, argv[4], "protocols", &protocols, &protocols_len) != 0 ||
      get_uint(env, argv[5], "flags", 1, &flags) != 0)
    goto out;
  wf_ws_handshake hs;
  memset(&hs, 0, sizeof hs);
  wf_ws_err e = wf_ws_server_handshake(method, method_len, (uint16_t)major, (uint16_t)minor, headers,
                                       count, protocols, protocols_len, (uint32_t)flags, &hs);
  if (e == WF_WS_ERR_NULL_POINTER) {
    ws_throw_arg(env, e);
    goto out;
  }
  size_t need = 0;
  uint8_t small[1];
  wf_ws_server_write_response(&hs, small, 0, &need);
  napi_value resp;
  void *out;
  if (napi_create_buffer(env, need ? need : 1, &out, &resp) != napi_ok) {
    throw_last(env);
    goto out;
  }
  size_t written = 0;
  e = wf_ws_server_write_response(&hs, out, need, &written);
  if (e != WF_WS_ERR_OK) {
    ws_throw_arg(env, e);
    goto out;
  }
  result = handshake_result(env, &hs, 1);
  if (result && set_named(env, result, "response", resp) != 0) result = NULL;
out:
  free(method);
  free(protocols);
  free(headers);
  strings_free(&s);
  return result;
}

/* Fills a wf_ws_client_request from (host, path, protocols, extensions, extra, nonce) at argv. */
static int get_client_request(napi_env env, napi_value *argv, wf_ws_client_request *req, char **owned) {
  memset(req, 0, sizeof *req);
  const char *names[5] = {"host", "path", "protocols", "extensions", "extraHeaders"};
  size_t lens[5];
  for (int i = 0; i < 5; i++)
    if (get_latin1(env, argv[i], names[i], &owned[i], &lens[i]) != 0) return -1;
  uint8_t *nonce;
  size_t nonce_len;
  if (get_bytes(env, argv[5], "nonce", &nonce, &nonce_len) != 0) return -1;
  if (nonce_len != 16) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "nonce must be 16 bytes");
    return -1;
  }
  req->host = owned[0], req->host_len = lens[0];
  req->path = owned[1], req->path_len = lens[1];
  req->protocols = owned[2], req->protocols_len = lens[2];
  req->extensions = owned[3], req->extensions_len = lens[3];
  req->extra_headers = owned[4], req->extra_headers_len = lens[4];
  memcpy(req->nonce, nonce, 16);
  return 0;
}

/* clientRequest(host, path, protocols, extensions, extraHeaders, nonce) -> Buffer. */
static napi_value js_client_request(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "clientRequest: 6 arguments expected", NULL, -1);
  char *owned[5] = {0};
  napi_value result = NULL;
  wf_ws_client_request req;
  if (get_client_request(env, argv, &req, owned) != 0) goto out;
  size_t need = 0;
  uint8_t small[1];
  wf_ws_err e = wf_ws_client_write_request(&req, small, 0, &need);
  if (e != WF_WS_ERR_OK && e != WF_WS_ERR_BUFFER_TOO_SMALL) {
    ws_throw_arg(env, e);
    goto out;
  }
  void *out;
  napi_value buf;
  if (napi_create_buffer(env, need, &out, &buf) != napi_ok) {
    throw_last(env);
    goto out;
  }
  e = wf_ws_client_write_request(&req, out, need, NULL);
  if (e != WF_WS_ERR_OK) {
    ws_throw_arg(env, e);
    goto out;
  }
  result = buf;
out:
  for (int i = 0; i < 5; i++) free(owned[i]);
  return result;
}

/* clientValidate(host, path, protocols, extensions, extraHeaders, nonce, status, headers). */
static napi_value js_client_validate(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 8) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "clientValidate: 8 arguments expected", NULL, -1);
  char *owned[5] = {0};
  strings_t s = {0};
  wf_ws_header *headers = NULL;
  size_t count = 0;
  uint64_t status;
  napi_value result = NULL;
  wf_ws_client_request req;
  if (get_client_request(env, argv, &req, owned) != 0 ||
      get_uint(env, argv[6], "status", 999, &status) != 0 ||
      get_headers(env, argv[7], &s, &headers, &count) != 0)
    goto out;
  wf_ws_handshake hs;
  memset(&hs, 0, sizeof hs);
  wf_ws_err e = wf_ws_client_validate_response(&req, (uint16_t)status, headers, count, &hs);
  if (e == WF_WS_ERR_NULL_POINTER) {
    ws_throw_arg(env, e);
    goto out;
  }
  result = handshake_result(env, &hs, 0);
out:
  for (int i = 0; i < 5; i++) free(owned[i]);
  free(headers);
  strings_free(&s);
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Tables and module                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* methods(): the method names indexed by number (llhttp's numbering). */
static napi_value js_methods(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr;
  CALL(env, napi_create_array(env, &arr));
  for (uint32_t i = 0; i <= WF_HTTP_METHOD_QUERY; i++) {
    napi_value s;
    const char *m = wf_http_method_str(i);
    CALL(env, napi_create_string_latin1(env, m, NAPI_AUTO_LENGTH, &s));
    CALL(env, napi_set_element(env, arr, i, s));
  }
  return arr;
}

/* statusText(code) -> reason phrase or "<unknown>". */
static napi_value js_status_text(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t code;
  if (argc < 1 || get_uint(env, argv[0], "code", 65535, &code) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "statusText(code)");
    return NULL;
  }
  napi_value s;
  CALL(env, napi_create_string_latin1(env, wf_http_status_str((uint32_t)code), NAPI_AUTO_LENGTH, &s));
  return s;
}

/* parseUrl(url: string, isConnect) -> {schema: [off, len], ...} or null when malformed. */
static napi_value js_parse_url(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {NULL, NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_coded(env, "ERR_INVALID_ARG_TYPE", "parseUrl(url, isConnect)", NULL, -1);
  char *url;
  size_t len;
  bool connect = false;
  if (get_latin1(env, argv[0], "url", &url, &len) != 0) return NULL;
  if (argc > 1) napi_get_value_bool(env, argv[1], &connect);
  wf_http_url u;
  int r = wf_http_parse_url(url, len, connect, &u);
  napi_value o;
  if (r != 0) {
    free(url);
    CALL(env, napi_get_null(env, &o));
    return o;
  }
  static const char *const parts[7] = {"schema", "host", "port", "path", "query", "fragment", "userinfo"};
  if (napi_create_object(env, &o) != napi_ok) {
    free(url);
    throw_last(env);
    return NULL;
  }
  for (int i = 0; i < 7; i++) {
    if (!(u.field_set & (1u << i))) continue;
    if (set_str(env, o, parts[i], url + u.fields[i].offset, u.fields[i].length) != 0) {
      free(url);
      return NULL;
    }
  }
  free(url);
  if ((u.field_set & (1u << WF_UF_PORT)) && set_uint(env, o, "portNumber", u.port) != 0) return NULL;
  return o;
}

/* wsErrorName(code) / closeCodeName(code) / closeCodeMayBeSent(code): table lookups. */
static napi_value js_close_code_info(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t code;
  if (argc < 1 || get_uint(env, argv[0], "code", 65535, &code) != 0) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "closeCodeInfo(code)");
    return NULL;
  }
  napi_value o;
  CALL(env, napi_create_object(env, &o));
  const char *name = wf_ws_close_code_name((uint16_t)code);
  const char *desc = wf_ws_close_code_description((uint16_t)code);
  if (set_str(env, o, "name", name, strlen(name)) != 0 ||
      set_str(env, o, "description", desc, strlen(desc)) != 0 ||
      set_bool(env, o, "mayBeSent", wf_ws_close_code_may_be_sent((uint16_t)code)) != 0)
    return NULL;
  return o;
}

static napi_value define_class(napi_env env, napi_value exports, const char *name, napi_callback ctor,
                               const napi_property_descriptor *props, size_t n) {
  napi_value cls;
  CALL(env, napi_define_class(env, name, NAPI_AUTO_LENGTH, ctor, NULL, n, props, &cls));
  CALL(env, napi_set_named_property(env, exports, name, cls));
  return cls;
}

#define METHOD(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_default, NULL}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  addon_data *ad = calloc(1, sizeof *ad);
  if (!ad) return throw_coded(env, "ERR_WIREFRAME_NO_MEMORY", "out of memory", NULL, -1);
  if (napi_set_instance_data(env, ad, addon_finalize, NULL) != napi_ok) {
    free(ad);
    throw_last(env);
    return NULL;
  }
  const napi_property_descriptor http_props[] = {
      METHOD("execute", http_execute),
      METHOD("finish", http_finish),
      METHOD("pause", http_pause),
      METHOD("resume", http_resume),
      METHOD("resumeAfterUpgrade", http_resume_after_upgrade),
      METHOD("reset", http_reset),
      METHOD("setLenientFlags", http_set_lenient),
      METHOD("setMaxHeaderSize", http_set_max_header_size),
      METHOD("setMaxChunkExtensionsSize", http_set_max_ext_size),
      METHOD("state", http_state),
  };
  if (!define_class(env, exports, "HttpParser", http_new, http_props,
                    sizeof http_props / sizeof *http_props))
    return NULL;
  const napi_property_descriptor ws_props[] = {
      METHOD("decode", ws_decode),
      METHOD("reset", ws_reset),
      METHOD("inMessage", ws_in_message),
  };
  if (!define_class(env, exports, "Decoder", ws_new, ws_props, sizeof ws_props / sizeof *ws_props))
    return NULL;
  const napi_property_descriptor fns[] = {
      METHOD("init", js_init),
      METHOD("encodeFrame", js_encode_frame),
      METHOD("encodeHeader", js_encode_header),
      METHOD("encodeClose", js_encode_close),
      METHOD("encodePing", js_encode_ping),
      METHOD("encodePong", js_encode_pong),
      METHOD("mask", js_mask),
      METHOD("unmask", js_unmask),
      METHOD("acceptKey", js_accept_key),
      METHOD("serverHandshake", js_server_handshake),
      METHOD("clientRequest", js_client_request),
      METHOD("clientValidate", js_client_validate),
      METHOD("methods", js_methods),
      METHOD("statusText", js_status_text),
      METHOD("parseUrl", js_parse_url),
      METHOD("closeCodeInfo", js_close_code_info),
  };
  CALL(env, napi_define_properties(env, exports, sizeof fns / sizeof *fns, fns));
  return exports;
}
