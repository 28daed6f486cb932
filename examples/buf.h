/*
 * buf.h: a growable byte buffer for the example server (header-only, static functions).
 *
 * A buf_t owns `cap` bytes at `data` (NULL while empty); `len` of them are in use. Every
 * function that grows it returns 0 on success and -1 when memory runs out, leaving the
 * buffer as it was.
 */
#ifndef EXAMPLES_BUF_H
#define EXAMPLES_BUF_H

#include <stdlib.h>
#include <string.h>

/** A growable byte buffer: `len` bytes used out of `cap` allocated at `data`. */
typedef struct buf {
  char *data;
  size_t len;
  size_t cap;
} buf_t;

/**
 * The capacity `buf_reserve(b, extra)` would leave: `cap` when the room is there, else the
 * doubled size (starting at 256) that fits. Returns 0 when the size would overflow.
 */
static inline size_t buf_cap_after(const buf_t *b, size_t extra) {
  if (extra <= b->cap - b->len) return b->cap;
  if (extra > (size_t)-1 / 2 - b->len) return 0;
  size_t need = b->len + extra, cap = b->cap ? b->cap : 256;
  while (cap < need) cap *= 2;
  return cap;
}

/**
 * Makes room for `extra` more bytes after `len` (capacity doubles, starting at 256).
 * Returns 0, or -1 when the allocation fails or the size overflows.
 */
static inline int buf_reserve(buf_t *b, size_t extra) {
  if (extra <= b->cap - b->len) return 0;
  size_t cap = buf_cap_after(b, extra);
  if (cap == 0) return -1;
  char *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

/** Appends `n` bytes from `p`. Returns 0 or -1 (out of memory; nothing appended). */
static inline int buf_append(buf_t *b, const void *p, size_t n) {
  if (n == 0) return 0;
  if (buf_reserve(b, n)) return -1;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  return 0;
}

/** Appends the NUL-terminated string `s` (without its NUL). Returns as buf_append. */
static inline int buf_puts(buf_t *b, const char *s) { return buf_append(b, s, strlen(s)); }

/** Appends `v` in decimal. Returns as buf_append. */
static inline int buf_putu(buf_t *b, unsigned long long v) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return buf_append(b, tmp + i, sizeof tmp - i);
}

/** Empties the buffer; frees its memory when it grew beyond `keep` bytes. */
static inline void buf_reset(buf_t *b, size_t keep) {
  b->len = 0;
  if (b->cap > keep) {
    free(b->data);
    b->data = NULL;
    b->cap = 0;
  }
}

/** Frees the buffer's memory; the buffer is empty afterwards and may be reused. */
static inline void buf_free(buf_t *b) { buf_reset(b, 0); }

#endif /* EXAMPLES_BUF_H */
