/* util.h: the allocation chokepoint, the per-TU arena and the one growable
 * array type. Everything else allocates through here so that a test can make
 * the N-th allocation fail (TIMERLINT_FAIL_ALLOC=N) and watch the error path.
 * Knows nothing of libclang, SQLite or the IR. */
#ifndef TL_UTIL_H
#define TL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* xmalloc/xrealloc never return NULL: out of memory is fatal for a worker
 * (batch mode isolates workers in processes, so one TU dies, not the run). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void xfree(void *p);

/* Arena: bump allocator freed in one call; owns everything lowered from one
 * translation unit (IR, slot names, copied strings, findings' notes). */
typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);      /* zeroed, 16-byte aligned */
char *arena_strdup(Arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Array(T): { T *v; int n, cap; }, grown by doubling through xrealloc. */
#define Array(T) struct { T *v; int n, cap; }
#define array_push(a, x)                                                       \
  do {                                                                         \
    if ((a)->n == (a)->cap) {                                                  \
      (a)->cap = (a)->cap ? 2 * (a)->cap : 8;                                  \
      (a)->v = xrealloc((a)->v, (size_t)(a)->cap * sizeof *(a)->v);            \
    }                                                                          \
    (a)->v[(a)->n++] = (x);                                                    \
  } while (0)
#define array_free(a) (xfree((a)->v), (a)->v = NULL, (a)->n = (a)->cap = 0)

/* Growable string buffer for messages and dumps. */
typedef struct {
  char *s;
  size_t len, cap;
} StrBuf;
void sb_putc(StrBuf *b, char c);
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_free(StrBuf *b);

/* `file` relative to `root` when below it (by real path), else as is:
 * the form fingerprints, shards and reports agree on. */
const char *path_relative(const char *file, const char *root, Arena *a);
/* The same for a path already real (or one that has none). */
const char *path_below(const char *real, const char *root, Arena *a);

/* Real paths of many files in few directories (a compile database's):
 * realpath(3) resolves every component of every path, a readlink each;
 * this resolves each directory once (a small cache) and then asks only
 * whether the file itself is a symbolic link. The answer is realpath's,
 * malloc'd; a link, a missing file, "." or ".." take realpath itself.
 * A directory is resolved once per cache: one command's run, never a
 * long-lived server (a tree changed meanwhile would not be seen). */
typedef struct RealPaths RealPaths;
RealPaths *realpaths_new(void);
void realpaths_free(RealPaths *rp);
char *realpaths_get(RealPaths *rp, const char *path);

/* 64-bit FNV-1a, for fingerprints and hash keys. */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
uint64_t hash_str(uint64_t h, const char *s);
#define HASH_SEED 0xcbf29ce484222325ull

#endif
