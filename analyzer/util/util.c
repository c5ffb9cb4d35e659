/* util.c: allocation chokepoint, arena, string buffer, hashing, paths. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Fault injection: TIMERLINT_FAIL_ALLOC=N makes the N-th allocation fail. */
static long alloc_count, alloc_fail_at = -1;

static void *checked(void *p, size_t n) {
  if (alloc_fail_at < 0) {
    const char *e = getenv("TIMERLINT_FAIL_ALLOC");
    alloc_fail_at = e ? atol(e) : 0;
  }
  if (++alloc_count == alloc_fail_at) {
    free(p);
    p = NULL;
  }
  if (!p && n) {
    fprintf(stderr, "timerlint: error: out of memory (%zu bytes)\n", n);
    abort();
  }
  return p;
}

void *xmalloc(size_t n) { return checked(malloc(n ? n : 1), n ? n : 1); }
void *xcalloc(size_t n, size_t size) {
  return checked(calloc(n ? n : 1, size ? size : 1), 1);
}
void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  return checked(q, n ? n : 1);
}
char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}
void xfree(void *p) { free(p); }

/* Arena chunks: large enough that a typical TU needs a handful. */
enum { ARENA_CHUNK = 64 * 1024, ARENA_ALIGN = 16 };

typedef struct Chunk {
  struct Chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
} Chunk;

struct Arena {
  Chunk *head;
};

Arena *arena_new(void) { return xcalloc(1, sizeof(Arena)); }

void arena_free(Arena *a) {
  if (!a)
    return;
  for (Chunk *c = a->head, *n; c; c = n) {
    n = c->next;
    xfree(c);
  }
  xfree(a);
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  Chunk *c = a->head;
  if (!c || c->size - c->used < n) {
    size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = xmalloc(sizeof(Chunk) + size);
    c->size = size;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  return memset(p, 0, n);
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  if (!s)
    return NULL;
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(Arena *a, const char *s) {
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

static void sb_reserve(StrBuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  while (b->len + extra + 1 > b->cap)
    b->cap = b->cap ? 2 * b->cap : 256;
  b->s = xrealloc(b->s, b->cap);
}

void sb_putc(StrBuf *b, char c) {
  sb_reserve(b, 1);
  b->s[b->len++] = c;
  b->s[b->len] = 0;
}

void sb_puts(StrBuf *b, const char *s) {
  size_t n = strlen(s);
  sb_reserve(b, n);
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

void sb_printf(StrBuf *b, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  sb_reserve(b, (size_t)n);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, aq);
  va_end(aq);
  b->len += (size_t)n;
}

void sb_free(StrBuf *b) {
  xfree(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t hash_str(uint64_t h, const char *s) {
  return hash_bytes(h, s, strlen(s) + 1);
}

const char *path_below(const char *real, const char *root, Arena *a) {
  size_t n = strlen(root);
  return arena_strdup(a, strncmp(real, root, n) == 0 && real[n] == '/'
                             ? real + n + 1
                             : real);
}

const char *path_relative(const char *file, const char *root, Arena *a) {
  char *real = realpath(file, NULL);
  const char *out = path_below(real ? real : file, root, a);
  free(real);
  return out;
}

/* Directories remembered: a compile database lists a directory's files
 * together, so few slots hit nearly always; a miss costs one realpath. */
enum { REALPATH_SLOTS = 256 };

typedef struct {
  char *dir, *real; /* real: realpath's, NULL when the directory has none */
} RealSlot;

struct RealPaths {
  RealSlot slot[REALPATH_SLOTS];
};

RealPaths *realpaths_new(void) { return xcalloc(1, sizeof(RealPaths)); }

void realpaths_free(RealPaths *rp) {
  if (!rp)
    return;
  for (int i = 0; i < REALPATH_SLOTS; i++) {
    xfree(rp->slot[i].dir);
    free(rp->slot[i].real); /* realpath's */
  }
  xfree(rp);
}

/* The real path of directory `dir` (n bytes), from the cache. */
static const char *realpaths_dir(RealPaths *rp, const char *dir, size_t n) {
  uint64_t h = hash_bytes(HASH_SEED, dir, n);
  RealSlot *s = &rp->slot[h % REALPATH_SLOTS];
  if (s->dir && !strncmp(s->dir, dir, n) && !s->dir[n])
    return s->real;
  xfree(s->dir);
  free(s->real);
  s->dir = xmalloc(n + 1);
  memcpy(s->dir, dir, n);
  s->dir[n] = 0;
  s->real = realpath(s->dir, NULL);
  return s->real;
}

char *realpaths_get(RealPaths *rp, const char *path) {
  const char *sl = strrchr(path, '/');
  const char *base = sl ? sl + 1 : path;
  if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
    return realpath(path, NULL);
  const char *dir = !sl ? "." : sl == path ? "/" : path;
  size_t dn = !sl ? 1 : sl == path ? 1 : (size_t)(sl - path);
  const char *rd = realpaths_dir(rp, dir, dn);
  if (!rd)
    return realpath(path, NULL); /* its error, as realpath gives it */
  size_t rn = strlen(rd), bn = strlen(base);
  char *full = xmalloc(rn + bn + 2); /* free()d by the caller, as realpath's */
  memcpy(full, rd, rn);
  size_t k = rn;
  if (rn == 0 || rd[rn - 1] != '/')
    full[k++] = '/';
  memcpy(full + k, base, bn + 1);
  struct stat st;
  if (lstat(full, &st) == 0 && !S_ISLNK(st.st_mode))
    return full;
  free(full);
  return realpath(path, NULL);
}
