/*
 * form_node.c: the N-API addon behind wireframe/multipart (build/wireframe_form.node).
 *
 * A thin layer over the wf_mp_* and wf_form_* functions of include/wireframe.h. The multipart
 * parser state lives in a Buffer owned by the JavaScript object (a wf_mp_parser is a complete
 * C type: nothing is allocated here). mpExecute runs wf_mp_execute_events once per call and
 * writes the rows into a Uint32Array the caller owns, so JavaScript crosses into C once per
 * chunk (or once per 256 events), never once per span; multipart.js dispatches the rows.
 *
 * Rules kept here: every napi failure throws a JavaScript error (no asserts); no pointer is
 * kept after a call returns.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <wireframe.h>

#define CALL(env, expr)                                       \
  do {                                                        \
    if ((expr) != napi_ok) {                                  \
      throw_napi(env);                                        \
      return NULL;                                            \
    }                                                         \
  } while (0)

static void throw_napi(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return;
  const napi_extended_error_info *info = NULL;
  const char *msg = "N-API call failed";
  if (napi_get_last_error_info(env, &info) == napi_ok && info && info->error_message)
    msg = info->error_message;
  napi_throw_error(env, "ERR_WIREFRAME_NAPI", msg);
}

/* Reads argument i as a Buffer/TypedArray: pointer and length. */
static bool get_bytes(napi_env env, napi_value v, void **data, size_t *len) {
  bool is_buf = false;
  if (napi_is_buffer(env, v, &is_buf) == napi_ok && is_buf)
    return napi_get_buffer_info(env, v, data, len) == napi_ok;
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) == napi_ok && is_ta) {
    napi_typedarray_type t;
    size_t n;
    napi_value ab;
    size_t off;
    if (napi_get_typedarray_info(env, v, &t, &n, data, &ab, &off) != napi_ok) return false;
    size_t elem = (t == napi_uint32_array || t == napi_int32_array || t == napi_float32_array) ? 4
                  : (t == napi_float64_array || t == napi_bigint64_array || t == napi_biguint64_array) ? 8
                  : (t == napi_uint16_array || t == napi_int16_array) ? 2 : 1;
    *len = n * elem;
    return true;
  }
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Buffer or a typed array");
  return false;
}

static napi_value num(napi_env env, double d) {
  napi_value v;
  if (napi_create_double(env, d, &v) != napi_ok) return NULL;
  return v;
}

static bool get_u32(napi_env env, napi_value v, uint32_t *out) {
  if (napi_get_value_uint32(env, v, out) == napi_ok) return true;
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a number");
  return false;
}

/* The parser inside a state Buffer, checked for size. */
static wf_mp_parser *parser_of(napi_env env, napi_value v) {
  void *p;
  size_t n;
  if (!get_bytes(env, v, &p, &n)) return NULL;
  if (n < sizeof(wf_mp_parser)) {
    napi_throw_range_error(env, "ERR_WIREFRAME_STATE", "parser state buffer too small");
    return NULL;
  }
  return (wf_mp_parser *)p;
}

#define ARGS(n)                                                         \
  size_t argc = n;                                                      \
  napi_value argv[n];                                                   \
  CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));      \
  if (argc < n) {                                                       \
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "missing arguments"); \
    return NULL;                                                        \
  }

/* mpSize() -> sizeof(wf_mp_parser) */
static napi_value mp_size(napi_env env, napi_callback_info info) {
  (void)info;
  return num(env, (double)sizeof(wf_mp_parser));
}

/* mpInit(state, boundary) -> wf_form_err */
static napi_value mp_init(napi_env env, napi_callback_info info) {
  ARGS(2);
  wf_mp_parser *p = parser_of(env, argv[0]);
  void *b;
  size_t blen;
  if (!p || !get_bytes(env, argv[1], &b, &blen)) return NULL;
  p->data = NULL;
  return num(env, wf_mp_parser_init(p, (const char *)b, blen));
}

/* mpSetLimits(state, maxParts, maxHeaderSize, maxPartSize, maxPreamble, maxEpilogue) */
static napi_value mp_set_limits(napi_env env, napi_callback_info info) {
  ARGS(6);
  wf_mp_parser *p = parser_of(env, argv[0]);
  uint32_t parts, header, pre, epi;
  double part_size;
  if (!p || !get_u32(env, argv[1], &parts) || !get_u32(env, argv[2], &header) ||
      !get_u32(env, argv[4], &pre) || !get_u32(env, argv[5], &epi))
    return NULL;
  CALL(env, napi_get_value_double(env, argv[3], &part_size));
  if (!(part_size >= 0) || part_size > 9007199254740992.0) part_size = 0;
  return num(env, wf_mp_parser_set_limits(p, parts, header, (uint64_t)part_size, pre, epi));
}

/* mpExecute(state, chunk, start, rows: Uint32Array, skip) -> undefined. rows[0] = bytes consumed,
 * rows[1] = row count, rows[2] = wf_form_err, then (kind, offset, length) per row. */
static napi_value mp_execute(napi_env env, napi_callback_info info) {
  ARGS(5);
  wf_mp_parser *p = parser_of(env, argv[0]);
  void *data, *rows_mem;
  size_t len, rows_bytes;
  uint32_t start, skip;
  if (!p || !get_bytes(env, argv[1], &data, &len) || !get_u32(env, argv[2], &start) ||
      !get_bytes(env, argv[3], &rows_mem, &rows_bytes) || !get_u32(env, argv[4], &skip))
    return NULL;
  if (start > len || rows_bytes < 4 * 6 || len > UINT32_MAX) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "bad chunk offset or row array");
    return NULL;
  }
  uint32_t *rows = rows_mem;
  size_t cap = (rows_bytes / 4 - 3) / 3;
  if (cap > 256) cap = 256;
  wf_mp_event ev[256];
  size_t count = 0;
  size_t used = wf_mp_execute_events(p, (const char *)data + start, len - start, ev, cap, skip, &count);
  rows[0] = (uint32_t)used;
  rows[1] = (uint32_t)count;
  rows[2] = (uint32_t)wf_mp_errno(p);
  for (size_t i = 0; i < count; i++) {
    rows[3 + 3 * i] = ev[i].kind;
    rows[4 + 3 * i] = (uint32_t)(ev[i].offset + start);
    rows[5 + 3 * i] = (uint32_t)ev[i].length;
  }
  return NULL;
}

/* mpFinish(state) -> wf_form_err */
static napi_value mp_finish(napi_env env, napi_callback_info info) {
  ARGS(1);
  wf_mp_parser *p = parser_of(env, argv[0]);
  if (!p) return NULL;
  return num(env, wf_mp_finish(p));
}

/* mpErrorOffset(state) -> number; mpParts(state) -> number */
static napi_value mp_error_offset(napi_env env, napi_callback_info info) {
  ARGS(1);
  wf_mp_parser *p = parser_of(env, argv[0]);
  if (!p) return NULL;
  return num(env, (double)wf_mp_error_offset(p));
}

static napi_value mp_parts(napi_env env, napi_callback_info info) {
  ARGS(1);
  wf_mp_parser *p = parser_of(env, argv[0]);
  if (!p) return NULL;
  return num(env, wf_mp_parts(p));
}

/* errName(code), errDescription(code) -> string */
static napi_value str(napi_env env, const char *s) {
  napi_value v;
  if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
  return v;
}

static napi_value err_name(napi_env env, napi_callback_info info) {
  ARGS(1);
  uint32_t c;
  if (!get_u32(env, argv[0], &c)) return NULL;
  return str(env, wf_form_err_name(c));
}

static napi_value err_description(napi_env env, napi_callback_info info) {
  ARGS(1);
  uint32_t c;
  if (!get_u32(env, argv[0], &c)) return NULL;
  return str(env, wf_form_err_description(c));
}

/* Helpers write their results into a Float64Array `out` the caller owns: out[0] = error code,
 * out[1] = error offset, then spans as (offset, length) pairs. */

/* boundary(value, out) */
static napi_value f_boundary(napi_env env, napi_callback_info info) {
  ARGS(2);
  void *v, *o;
  size_t n, on;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[1], &o, &on)) return NULL;
  double *out = o;
  if (on < 8 * 4) return NULL;
  wf_span s = {0, 0};
  size_t at = 0;
  out[0] = wf_form_boundary_from_content_type((const char *)v, n, &s, &at);
  out[1] = (double)at;
  out[2] = (double)s.offset;
  out[3] = (double)s.length;
  return NULL;
}

/* disposition(value, out): out[2..] = kind, name, filename, charset, language, ext value spans
 * (offset, length), then has_name, has_filename, has_ext, name_escaped, filename_escaped. */
static napi_value f_disposition(napi_env env, napi_callback_info info) {
  ARGS(2);
  void *v, *o;
  size_t n, on;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[1], &o, &on)) return NULL;
  double *out = o;
  if (on < 8 * 19) return NULL;
  wf_content_disposition d;
  size_t at = 0;
  out[0] = wf_form_content_disposition((const char *)v, n, &d, &at);
  out[1] = (double)at;
  const wf_span spans[6] = {d.kind, d.name.span, d.filename.span, d.filename_ext.charset,
                            d.filename_ext.language, d.filename_ext.value};
  for (int i = 0; i < 6; i++) {
    out[2 + 2 * i] = (double)spans[i].offset;
    out[3 + 2 * i] = (double)spans[i].length;
  }
  out[14] = d.has_name;
  out[15] = d.has_filename;
  out[16] = d.has_filename_ext;
  out[17] = d.name.escaped;
  out[18] = d.filename.escaped;
  return NULL;
}

/* unescapeQuoted(buf) -> new length (in place) */
static napi_value f_unescape(napi_env env, napi_callback_info info) {
  ARGS(1);
  void *v;
  size_t n;
  if (!get_bytes(env, argv[0], &v, &n)) return NULL;
  return num(env, (double)wf_form_unescape_quoted((char *)v, n));
}

/* percentDecode(buf, plusAsSpace, out) -> in place; out[0] code, out[1] offset, out[2] length */
static napi_value f_percent(napi_env env, napi_callback_info info) {
  ARGS(3);
  void *v, *o;
  size_t n, on;
  bool plus;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[2], &o, &on)) return NULL;
  CALL(env, napi_get_value_bool(env, argv[1], &plus));
  double *out = o;
  if (on < 8 * 3) return NULL;
  size_t len = 0, at = 0;
  out[0] = wf_form_percent_decode((char *)v, n, plus, &len, &at);
  out[1] = (double)at;
  out[2] = (double)len;
  return NULL;
}

/* queryPairs(value) -> Float64Array of (nameOff, nameLen, valueOff, valueLen, hasValue) */
static napi_value f_query(napi_env env, napi_callback_info info) {
  ARGS(2);
  void *v, *o;
  size_t n, on;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[1], &o, &on)) return NULL;
  double *out = o;
  size_t cap = on / 8 / 5, count = 0, pos = 0;
  wf_query_pair q;
  while (count < cap && wf_form_query_next((const char *)v, n, &pos, &q) == 1) {
    double *r = out + 5 * count++;
    r[0] = (double)q.name.offset;
    r[1] = (double)q.name.length;
    r[2] = (double)q.value.offset;
    r[3] = (double)q.value.length;
    r[4] = q.has_value;
  }
  return num(env, (double)count);
}

/* cookies(value, out) -> count, or -1 with out[0] = code, out[1] = offset; pairs from out[2]
 * as (nameOff, nameLen, valueOff, valueLen). */
static napi_value f_cookies(napi_env env, napi_callback_info info) {
  ARGS(2);
  void *v, *o;
  size_t n, on;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[1], &o, &on)) return NULL;
  double *out = o;
  size_t cap = on / 8 >= 2 ? (on / 8 - 2) / 4 : 0, count = 0, pos = 0, at = 0;
  wf_cookie_pair c;
  wf_form_err err = WF_FORM_ERR_OK;
  int r;
  while (count < cap && (r = wf_form_cookie_next((const char *)v, n, &pos, &c, &err, &at)) != 0) {
    if (r < 0) {
      out[0] = err;
      out[1] = (double)at;
      return num(env, -1);
    }
    double *row = out + 2 + 4 * count++;
    row[0] = (double)c.name.offset;
    row[1] = (double)c.name.length;
    row[2] = (double)c.value.offset;
    row[3] = (double)c.value.length;
  }
  return num(env, (double)count);
}

/* basicAuth(value, outBuf, out) -> out[0] code, out[1] offset, out[2..5] user, password spans */
static napi_value f_basic(napi_env env, napi_callback_info info) {
  ARGS(3);
  void *v, *b, *o;
  size_t n, bn, on;
  if (!get_bytes(env, argv[0], &v, &n) || !get_bytes(env, argv[1], &b, &bn) ||
      !get_bytes(env, argv[2], &o, &on))
    return NULL;
  double *out = o;
  if (on < 8 * 6) return NULL;
  wf_basic_credentials c = {{0, 0}, {0, 0}};
  size_t at = 0;
  out[0] = wf_form_basic_auth_decode((const char *)v, n, b, bn, &c, &at);
  out[1] = (double)at;
  out[2] = (double)c.user.offset;
  out[3] = (double)c.user.length;
  out[4] = (double)c.password.offset;
  out[5] = (double)c.password.length;
  return NULL;
}

/* setCookie(name, value, domain|null, path|null, nums: Float64Array[maxAge, expires,
 * hasMaxAge, hasExpires, secure, httpOnly, partitioned, sameSite], outBuf, out) */
static napi_value f_set_cookie(napi_env env, napi_callback_info info) {
  ARGS(7);
  void *name, *value, *domain = NULL, *path = NULL, *nums_mem, *buf, *o;
  size_t name_len, value_len, domain_len = 0, path_len = 0, nums_len, buf_len, on;
  if (!get_bytes(env, argv[0], &name, &name_len) || !get_bytes(env, argv[1], &value, &value_len))
    return NULL;
  napi_valuetype t;
  CALL(env, napi_typeof(env, argv[2], &t));
  if (t != napi_null && !get_bytes(env, argv[2], &domain, &domain_len)) return NULL;
  CALL(env, napi_typeof(env, argv[3], &t));
  if (t != napi_null && !get_bytes(env, argv[3], &path, &path_len)) return NULL;
  if (!get_bytes(env, argv[4], &nums_mem, &nums_len) || !get_bytes(env, argv[5], &buf, &buf_len) ||
      !get_bytes(env, argv[6], &o, &on))
    return NULL;
  double *nums = nums_mem, *out = o;
  if (nums_len < 8 * 8 || on < 8 * 3) return NULL;
  wf_set_cookie c;
  memset(&c, 0, sizeof c);
  c.name = name_len ? name : "";
  c.name_len = name_len;
  c.value = value_len ? value : "";
  c.value_len = value_len;
  c.domain = domain ? (domain_len ? domain : "") : NULL;
  c.domain_len = domain_len;
  c.path = path ? (path_len ? path : "") : NULL;
  c.path_len = path_len;
  c.max_age = (int64_t)nums[0];
  c.expires = (int64_t)nums[1];
  c.has_max_age = nums[2] != 0;
  c.has_expires = nums[3] != 0;
  c.secure = nums[4] != 0;
  c.http_only = nums[5] != 0;
  c.partitioned = nums[6] != 0;
  c.same_site = (uint8_t)nums[7];
  size_t len = 0, at = 0;
  out[0] = wf_form_set_cookie(&c, buf, buf_len, &len, &at);
  out[1] = (double)at;
  out[2] = (double)len;
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"mpSize", mp_size},           {"mpInit", mp_init},
      {"mpSetLimits", mp_set_limits}, {"mpExecute", mp_execute},
      {"mpFinish", mp_finish},       {"mpErrorOffset", mp_error_offset},
      {"mpParts", mp_parts},         {"errName", err_name},
      {"errDescription", err_description}, {"boundary", f_boundary},
      {"disposition", f_disposition}, {"unescapeQuoted", f_unescape},
      {"percentDecode", f_percent},  {"queryPairs", f_query},
      {"cookies", f_cookies},        {"basicAuth", f_basic},
      {"setCookie", f_set_cookie},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) {
      throw_napi(env);
      return NULL;
    }
  }
  return exports;
}
