/* Test helper: place bytes right before an unreadable page, so any read past the end of the
 * buffer crashes the test instead of passing silently (picohttpparser's trick). */
#ifndef WF_TEST_GUARD_H
#define WF_TEST_GUARD_H

/* Needs _DEFAULT_SOURCE (MAP_ANONYMOUS), defined on the command line before any header. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct guarded {
  unsigned char *base; /* start of the mapping */
  size_t map_len;      /* length of the mapping */
  unsigned char *data; /* the copy, ending exactly at the guard page */
} guarded;

/* Copies len bytes so that they end at a PROT_NONE page. Aborts on mmap failure. */
static inline guarded guarded_copy(const void *src, size_t len) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t data_pages = (len + page - 1) / page;
  guarded g;
  g.map_len = (data_pages + 1) * page;
  g.base = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (g.base == MAP_FAILED) abort();
  if (mprotect(g.base + data_pages * page, page, PROT_NONE) != 0) abort();
  g.data = g.base + data_pages * page - len;
  if (len) memcpy(g.data, src, len);
  return g;
}

static inline void guarded_free(guarded *g) { munmap(g->base, g->map_len); }

#endif
