/*
 * upload.h: POST /upload for the example server (header-only, static functions).
 *
 * A multipart/form-data body is streamed through wireframe's multipart parser: each part's
 * data goes to a byte count and a CRC-32 (the zlib/PNG one) as it arrives and is never held in
 * memory; the part's Content-Disposition gives its field name and file name. The answer is
 * a JSON summary. Limits: at most UPLOAD_MAX_PARTS parts and at most the server's body limit
 * per part (413 beyond either), part headers within the parser's default header limit (413);
 * a body that is not multipart is 415, a malformed one 400.
 */
#ifndef EXAMPLES_UPLOAD_H
#define EXAMPLES_UPLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wireframe.h>

#include "buf.h"

/** Parts summarised per upload (more is 413). */
#define UPLOAD_MAX_PARTS 64
/** Bytes kept of a field name or a file name (longer ones are truncated in the summary). */
#define UPLOAD_NAME_MAX 128
/** Bytes kept of one part header (name and value); the Content-Disposition must fit. */
#define UPLOAD_HEADER_MAX 1024

/** What is kept of one part: no data, only its size and hash. */
typedef struct upload_part {
  char name[UPLOAD_NAME_MAX];
  char filename[UPLOAD_NAME_MAX];
  size_t name_len, filename_len;
  bool has_filename;
  uint64_t size;
  uint32_t crc; /* CRC-32 (IEEE 802.3, as zlib's crc32) of the data */
} upload_part;

/** One upload in progress. Allocated by upload_begin, freed by upload_free. */
typedef struct upload {
  wf_mp_parser mp;
  unsigned status;        /* 0 while fine; else the HTTP status to answer */
  char reason[160];       /* the reason, for the error answer */
  char hname[64];         /* the current part header's name (truncated) */
  char hvalue[UPLOAD_HEADER_MAX];
  size_t hname_len, hvalue_len;
  bool header_overflow;
  size_t nparts;
  upload_part parts[UPLOAD_MAX_PARTS];
} upload_t;

#define UPLOAD_OF(p) ((upload_t *)((char *)(p)-offsetof(upload_t, mp)))

static int upload_on_part_begin(wf_mp_parser *p) {
  upload_t *u = UPLOAD_OF(p);
  if (u->nparts == UPLOAD_MAX_PARTS) return -1; /* the parser's part limit stops it first */
  upload_part *part = &u->parts[u->nparts++];
  memset(part, 0, sizeof *part);
  return 0;
}

static void upload_copy(char *dst, size_t cap, size_t *len, const char *src, size_t n, bool *over) {
  size_t room = cap - *len;
  if (n > room) {
    if (over) *over = true;
    n = room;
  }
  memcpy(dst + *len, src, n);
  *len += n;
}

static int upload_on_field(wf_mp_parser *p, const char *at, size_t n) {
  upload_t *u = UPLOAD_OF(p);
  upload_copy(u->hname, sizeof u->hname, &u->hname_len, at, n, NULL);
  return 0;
}

static int upload_on_value(wf_mp_parser *p, const char *at, size_t n) {
  upload_t *u = UPLOAD_OF(p);
  upload_copy(u->hvalue, sizeof u->hvalue, &u->hvalue_len, at, n, &u->header_overflow);
  return 0;
}

static bool upload_is(const char *s, size_t n, const char *lower) {
  if (strlen(lower) != n) return false;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
    if (ch != lower[i]) return false;
  }
  return true;
}

static void upload_fail(upload_t *u, unsigned status, const char *reason) {
  if (u->status) return;
  u->status = status;
  snprintf(u->reason, sizeof u->reason, "%s", reason);
}

/* A part header is complete: Content-Disposition gives the field and file names. */
static int upload_on_header_end(wf_mp_parser *p) {
  upload_t *u = UPLOAD_OF(p);
  upload_part *part = &u->parts[u->nparts - 1];
  if (upload_is(u->hname, u->hname_len, "content-disposition")) {
    if (u->header_overflow) {
      upload_fail(u, 413, "a part's Content-Disposition is too long");
      return -1;
    }
    wf_content_disposition d;
    size_t at = 0;
    wf_form_err e = wf_form_content_disposition(u->hvalue, u->hvalue_len, &d, &at);
    if (e != WF_FORM_ERR_OK) {
      char text[160];
      snprintf(text, sizeof text, "Content-Disposition: %s at byte %zu", wf_form_err_description(e), at);
      upload_fail(u, 400, text);
      return -1;
    }
    if (d.has_name)
      upload_copy(part->name, sizeof part->name, &part->name_len, u->hvalue + d.name.span.offset,
                  d.name.span.length, NULL);
    if (d.has_filename) {
      part->has_filename = true;
      upload_copy(part->filename, sizeof part->filename, &part->filename_len,
                  u->hvalue + d.filename.span.offset, d.filename.span.length, NULL);
    }
  }
  u->hname_len = u->hvalue_len = 0;
  u->header_overflow = false;
  return 0;
}

/** Continues the CRC-32 `crc` (0 to start) over `n` bytes, a table byte at a time. */
static uint32_t upload_crc32(uint32_t crc, const unsigned char *s, size_t n) {
  static uint32_t table[256];
  if (!table[1]) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  }
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ s[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

/* A piece of part data: counted and hashed, then forgotten. */
static int upload_on_data(wf_mp_parser *p, const char *at, size_t n) {
  upload_t *u = UPLOAD_OF(p);
  upload_part *part = &u->parts[u->nparts - 1];
  part->crc = upload_crc32(part->crc, (const unsigned char *)at, n);
  part->size += n;
  return 0;
}

static const wf_mp_settings UPLOAD_SETTINGS = {
    .on_part_begin = upload_on_part_begin,
    .on_header_field = upload_on_field,
    .on_header_value = upload_on_value,
    .on_header_end = upload_on_header_end,
    .on_part_data = upload_on_data,
};

/**
 * Starts an upload for a request whose Content-Type value is `ct` (`ct_len` bytes, NULL if
 * absent), with `max_part` bytes allowed per part. Returns the upload (check `status`: 415
 * or 400 means the request is refused), or NULL when memory runs out.
 */
static upload_t *upload_begin(const char *ct, size_t ct_len, uint64_t max_part) {
  upload_t *u = calloc(1, sizeof *u);
  if (!u) return NULL;
  wf_span b;
  size_t at = 0;
  wf_form_err e = ct ? wf_form_boundary_from_content_type(ct, ct_len, &b, &at) : WF_FORM_ERR_NOT_MULTIPART;
  if (e == WF_FORM_ERR_NOT_MULTIPART) {
    upload_fail(u, 415, "POST /upload takes multipart/form-data");
    return u;
  }
  if (e != WF_FORM_ERR_OK || wf_mp_parser_init(&u->mp, ct + b.offset, b.length) != WF_FORM_ERR_OK) {
    upload_fail(u, 400, "the Content-Type's boundary is malformed");
    return u;
  }
  wf_mp_parser_set_limits(&u->mp, UPLOAD_MAX_PARTS, 16 * 1024, max_part, 1024, 1024);
  return u;
}

/** The status for a parser error: limits are 413, the rest 400. */
static void upload_parser_failed(upload_t *u) {
  wf_form_err e = wf_mp_errno(&u->mp);
  if (u->status) return; /* a callback already said why */
  char text[160];
  snprintf(text, sizeof text, "%s (%s) at byte %llu", wf_form_err_description(e),
           wf_form_err_name(e), (unsigned long long)wf_mp_error_offset(&u->mp));
  bool limit = e == WF_FORM_ERR_TOO_MANY_PARTS || e == WF_FORM_ERR_PART_TOO_LARGE ||
               e == WF_FORM_ERR_HEADERS_TOO_LARGE || e == WF_FORM_ERR_PREAMBLE_TOO_LARGE ||
               e == WF_FORM_ERR_EPILOGUE_TOO_LARGE;
  upload_fail(u, limit ? 413 : 400, text);
}

/** Feeds `n` body bytes. Returns 0, or the status to answer (then stop feeding). */
static unsigned upload_feed(upload_t *u, const char *at, size_t n) {
  if (u->status) return u->status;
  if (wf_mp_execute(&u->mp, &UPLOAD_SETTINGS, at, n) != n || wf_mp_errno(&u->mp) != WF_FORM_ERR_OK)
    upload_parser_failed(u);
  return u->status;
}

static void upload_json_string(buf_t *o, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_append(o, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '"' || ch == '\\') {
      char e[2] = {'\\', (char)ch};
      buf_append(o, e, 2);
    } else if (ch < 0x20 || ch == 0x7f) {
      char e[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
      buf_append(o, e, 6);
    } else {
      buf_append(o, &s[i], 1); /* UTF-8 passes through as sent */
    }
  }
  buf_append(o, "\"", 1);
}

/**
 * The body is complete: writes the JSON summary into `o` and returns 0, or returns the status
 * of the error (the body ended before the close delimiter: 400). Returns -1 when out of memory.
 */
static int upload_finish(upload_t *u, buf_t *o) {
  if (u->status) return (int)u->status;
  if (wf_mp_finish(&u->mp) != WF_FORM_ERR_OK) {
    upload_parser_failed(u);
    return (int)u->status;
  }
  if (buf_reserve(o, 64 + u->nparts * (2 * UPLOAD_NAME_MAX * 6 + 128))) return -1;
  buf_puts(o, "{\"parts\":[");
  for (size_t i = 0; i < u->nparts; i++) {
    const upload_part *p = &u->parts[i];
    char num[96];
    if (i) buf_append(o, ",", 1);
    buf_puts(o, "{\"name\":");
    upload_json_string(o, p->name, p->name_len);
    buf_puts(o, ",\"filename\":");
    if (p->has_filename)
      upload_json_string(o, p->filename, p->filename_len);
    else
      buf_puts(o, "null");
    snprintf(num, sizeof num, ",\"size\":%llu,\"crc32\":%lu}", (unsigned long long)p->size,
             (unsigned long)p->crc);
    buf_puts(o, num);
  }
  char tail[64];
  snprintf(tail, sizeof tail, "],\"count\":%zu}\n", u->nparts);
  buf_puts(o, tail);
  return 0;
}

static void upload_free(upload_t *u) { free(u); }

#endif
