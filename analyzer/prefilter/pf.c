/* pf.c: the prefilter's scan-long state: the scan's identifiers, each
 * file's outline (read once per scan, or taken from the store's cache by
 * content hash), each TU's files. The fixpoint is solve.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pfInt.h"
#include "pfState.h"

/* A string-keyed open-addressing table; values are ints. */
static uint64_t key_hash(const char *s, size_t n) {
  return hash_bytes(HASH_SEED, s, n);
}

static int map_slot(const PfMap *m, const char *s, size_t n) {
  size_t mask = (size_t)m->cap - 1;
  for (size_t i = key_hash(s, n) & mask;; i = (i + 1) & mask)
    if (!m->k[i] || (!strncmp(m->k[i], s, n) && !m->k[i][n]))
      return (int)i;
}

static void map_grow(PfMap *m) {
  PfMap old = *m;
  m->cap = old.cap ? old.cap * 2 : 1024;
  m->k = xcalloc((size_t)m->cap, sizeof *m->k);
  m->v = xcalloc((size_t)m->cap, sizeof *m->v);
  for (int i = 0; i < old.cap; i++)
    if (old.k[i]) {
      int s = map_slot(m, old.k[i], strlen(old.k[i]));
      m->k[s] = old.k[i];
      m->v[s] = old.v[i];
    }
  xfree(old.k);
  xfree(old.v);
}

/* The value of `s`, or -1. */
int pf_map_get(const PfMap *m, const char *s, size_t n) {
  if (!m->cap)
    return -1;
  int i = map_slot(m, s, n);
  return m->k[i] ? m->v[i] : -1;
}

/* Sets `s` (copied into `a`) to v. */
void pf_map_put(PfMap *m, Arena *a, const char *s, size_t n, int v) {
  if (2 * (m->n + 1) > m->cap)
    map_grow(m);
  int i = map_slot(m, s, n);
  if (!m->k[i]) {
    m->k[i] = arena_strndup(a, s, n);
    m->n++;
  }
  m->v[i] = v;
}

void pf_map_free(PfMap *m) {
  xfree(m->k);
  xfree(m->v);
  memset(m, 0, sizeof *m);
}

int pf_intern(Pf *pf, const char *s, size_t n) {
  int id = pf_map_get(&pf->ids, s, n);
  if (id >= 0)
    return id;
  id = pf->names.n;
  pf_map_put(&pf->ids, pf->a, s, n, id);
  array_push(&pf->names, pf->ids.k[map_slot(&pf->ids, s, n)]);
  return id;
}

const char *pf_name(const Pf *pf, int id) { return pf->names.v[id]; }
Arena *pf_arena(Pf *pf) { return pf->a; }

Pf *pf_new(const char *root, const PfCache *cache) {
  Pf *pf = xcalloc(1, sizeof *pf);
  pf->a = arena_new();
  char *r = root ? realpath(root, NULL) : NULL;
  pf->root = arena_strdup(pf->a, r ? r : root);
  free(r);
  if (cache)
    pf->cache = *cache;
  return pf;
}

void pf_free(Pf *pf) {
  if (!pf)
    return;
  for (int i = 0; i < pf->files.n; i++) {
    pf_outline_free(&pf->files.v[i]->o);
    xfree(pf->files.v[i]);
  }
  array_free(&pf->files);
  for (int i = 0; i < pf->tus.n; i++)
    array_free(&pf->tus.v[i].files);
  array_free(&pf->tus);
  pf_map_free(&pf->ids);
  pf_map_free(&pf->by_path);
  pf_map_free(&pf->memo);
  array_free(&pf->memo_v);
  array_free(&pf->names);
  array_free(&pf->seeds);
  array_free(&pf->cxx_seeds);
  array_free(&pf->new_keys);
  array_free(&pf->new_texts);
  pf_solved_free(pf);
  arena_free(pf->a);
  xfree(pf);
}

void pf_seed(Pf *pf, const char *name) {
  array_push(&pf->seeds, pf_intern(pf, name, strlen(name)));
}

void pf_seed_cxx(Pf *pf, const char *name) {
  array_push(&pf->cxx_seeds, pf_intern(pf, name, strlen(name)));
}

/* Roles that make or act on no object alone: a free, an allocation, a
 * noreturn call, std::move, a scope guard, a container keeping a destroy
 * function (it says when a function of the TU may run, nothing more), a
 * call that takes any fd or HANDLE (close: a timer only where one is
 * created or kept, which names an active or holder name).
 * Every TU has some; a TU whose only family names are these has no timer
 * or thread to act on (its holders are found by the fixpoint, not by
 * free()). */
static bool generic_role(const RuleFn *fn) {
  int role = fn->role;
  return role == ROLE_FREE || role == ROLE_ALLOC || role == ROLE_NORETURN ||
         role == ROLE_ALIAS || role == ROLE_DEFER ||
         (role == ROLE_HOOK && fn->frees_after < 0) || fn->generic;
}

/* A C++ rule name `ns::cls::member`: the class and the member are what
 * the code spells (`t.join()`, `std::thread t`, a typedef of the class),
 * in C++ only; the namespace is in every C++ file. A vtable entry
 * `RECORD.MEMBER` (pulseaudio's pa_mainloop_api.time_new) is called
 * through the member: the member is the seed (the whole name is no token,
 * and avahi's and pulseaudio's modules were parsed only for their read()). */
static void seed_name(Pf *pf, const char *name) {
  const char *p = strstr(name, "::");
  const char *dot = strchr(name, '.');
  if (!p && dot) { /* a vtable entry `RECORD.MEMBER`: `api->time_new(...)` */
    pf_seed(pf, dot + 1);
    return;
  }
  if (!p) {
    pf_seed(pf, name);
    return;
  }
  for (p += 2; *p; ) {
    const char *e = strstr(p, "::");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *s = *p == '~' ? p + 1 : p;
    size_t sn = *p == '~' ? n - 1 : n;
    if (sn)
      array_push(&pf->cxx_seeds, pf_intern(pf, s, sn));
    if (!e)
      break;
    p = e + 2;
  }
}

void pf_seed_rules(Pf *pf, const Rules *r) {
  for (int f = 0; f < rules_family_count(r); f++) {
    const RuleFamily *fam = rules_family(r, f);
    for (int i = fam->first; i < fam->first + fam->count; i++) {
      const RuleFn *fn = rules_fn(r, i);
      if (!generic_role(fn))
        seed_name(pf, fn->name);
    }
  }
}

/* Reads and outlines a file once per scan: its index in pf->files. */
static int file_get(Pf *pf, const char *path) {
  int i = pf_map_get(&pf->by_path, path, strlen(path));
  if (i >= 0)
    return i;
  PfFile *f = xcalloc(1, sizeof *f);
  f->path = arena_strdup(pf->a, path);
  f->seen = -1;
  array_push(&pf->files, f);
  i = pf->files.n - 1;
  pf_map_put(&pf->by_path, pf->a, path, strlen(path), i);
  pf->st.files++;
  /* A FIFO or a device would block the reader, or never end: only a
   * regular file is read (the parse refuses the others). */
  struct stat sb;
  FILE *fp = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? fopen(path, "rb")
                                                         : NULL;
  StrBuf b = {0};
  char chunk[65536];
  size_t n;
  while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    if (b.len + n + 1 > b.cap) {
      b.cap = 2 * (b.len + n + 1);
      b.s = xrealloc(b.s, b.cap);
    }
    memcpy(b.s + b.len, chunk, n);
    b.len += n;
  }
  if (!fp || ferror(fp)) {
    f->o.doubt = "cannot be read";
    pf->st.doubt++;
    if (fp)
      fclose(fp);
    sb_free(&b);
    return i;
  }
  fclose(fp);
  f->hash = hash_bytes(HASH_SEED, b.s ? b.s : "", b.len);
  char key[40];
  snprintf(key, sizeof key, "%016llx-%d", (unsigned long long)f->hash,
           PF_VERSION);
  char *text = pf->cache.get ? pf->cache.get(pf->cache.ctx, key) : NULL;
  if (text && pf_outline_read(pf, text, &f->o) == 0) {
    pf->st.cached++;
  } else {
    pf_outline_free(&f->o);
    memset(&f->o, 0, sizeof f->o);
    pf_outline(pf, b.s ? b.s : "", b.len, &f->o);
    char *t = pf_outline_text(pf, &f->o);
    array_push(&pf->new_keys, arena_strdup(pf->a, key));
    array_push(&pf->new_texts, arena_strdup(pf->a, t));
    f->fresh = pf->new_keys.n;
    xfree(t);
  }
  free(text);
  sb_free(&b);
  if (f->o.doubt)
    pf->st.doubt++;
  return i;
}

static const char *dir_of(Arena *a, const char *path) {
  const char *sl = strrchr(path, '/');
  return sl ? arena_strndup(a, path, (size_t)(sl - path)) : ".";
}

/* The real path of the file `inc` in `from` leads to, when it is the
 * project's; memoised by search path, directory and name. */
static const char *resolve(Pf *pf, const PfSearch *sp, const PfFile *from,
                           const PfInc *inc, bool *found) {
  const char *dir = inc->angled ? "" : dir_of(pf->a, from->path);
  char *key = NULL;
  size_t kn = strlen(sp->key) + strlen(dir) + strlen(inc->name) + 3;
  key = xmalloc(kn);
  snprintf(key, kn, "%s\x01%s\x01%s", sp->key, dir, inc->name);
  int m = pf_map_get(&pf->memo, key, strlen(key));
  if (m >= 0) {
    xfree(key);
    *found = pf->memo_v.v[m].found;
    return pf->memo_v.v[m].path;
  }
  const char *p = pf_resolve(pf, sp, inc->angled ? NULL : dir, inc, found);
  char *real = p ? realpath(p, NULL) : NULL;
  PfMemo v = {real ? arena_strdup(pf->a, real) : NULL, *found};
  free(real);
  array_push(&pf->memo_v, v);
  pf_map_put(&pf->memo, pf->a, key, strlen(key), pf->memo_v.n - 1);
  xfree(key);
  return v.path;
}

/* Compiled as C++: by the driver's name, -x, or the file's extension. */
static bool is_cxx(const char *file, const char *const *argv, int argc,
                   bool full_argv) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if ((!strcmp(a, "-x") && i + 1 < argc && !strncmp(argv[i + 1], "c++", 3)) ||
        !strncmp(a, "-xc++", 5))
      return true;
  }
  if (full_argv && argc > 0) {
    size_t n = strlen(argv[0]);
    if (n >= 2 && !strcmp(argv[0] + n - 2, "++"))
      return true;
  }
  static const char *const ext[] = {".cc", ".cp", ".cpp", ".cxx", ".c++",
                                    ".C", ".CPP", ".mm", ".ii"};
  const char *dot = strrchr(file, '.');
  for (size_t i = 0; dot && i < sizeof ext / sizeof *ext; i++)
    if (!strcmp(dot, ext[i]))
      return true;
  return false;
}

static void tu_add_file(Pf *pf, PfTu *tu, int fi) {
  PfFile *f = pf->files.v[fi];
  f->cxx |= tu->cxx;
  if (f->seen == pf->tus.n)
    return;
  f->seen = pf->tus.n;
  array_push(&tu->files, fi);
}

int pf_add_tu(Pf *pf, const char *file, const char *directory,
              const char *const *argv, int argc, bool full_argv, bool strict) {
  PfTu tu = {0};
  tu.cxx = is_cxx(file, argv, argc, full_argv);
  const char *dir = full_argv ? directory : NULL;
  const char *p = file[0] == '/' || !dir ? file
                                         : arena_printf(pf->a, "%s/%s", dir, file);
  char *real = realpath(p, NULL);
  if (!real) {
    tu.doubt = true; /* the parse says what is wrong with it */
    array_push(&pf->tus, tu);
    return pf->tus.n - 1;
  }
  PfSearch sp;
  pf_search_init(&sp, pf->root, dir, argv, argc, full_argv, pf->a);
  tu.doubt = sp.doubt;
  tu_add_file(pf, &tu, file_get(pf, real));
  free(real);
  for (int i = 0; i < sp.forced.n; i++) {
    char *r = realpath(sp.forced.v[i], NULL);
    if (r && !pf_under(r, "/usr"))
      tu_add_file(pf, &tu, file_get(pf, r));
    free(r);
  }
  /* Breadth first over the project headers; tu.files grows as it goes. */
  for (int q = 0; q < tu.files.n; q++) {
    PfFile *f = pf->files.v[tu.files.v[q]];
    tu.doubt |= f->o.doubt != NULL;
    for (int k = 0; k < f->o.incs.n; k++) {
      bool found;
      const char *h = resolve(pf, &sp, f, &f->o.incs.v[k], &found);
      if (!found && strict)
        tu.doubt = true; /* --strict fails a TU whose header is missing */
      if (h)
        tu_add_file(pf, &tu, file_get(pf, h));
      f = pf->files.v[tu.files.v[q]]; /* files may have grown */
    }
  }
  pf_search_free(&sp);
  array_push(&pf->tus, tu);
  return pf->tus.n - 1;
}

int pf_new_outlines(const Pf *pf, const char *const **keys,
                    const char *const **texts) {
  *keys = pf->new_keys.v;
  *texts = pf->new_texts.v;
  return pf->new_keys.n;
}

int pf_new_outlines_of(Pf *pf, const int *tus, int ntus,
                       const char *const **keys, const char *const **texts) {
  const char **k = arena_alloc(pf->a, (size_t)(pf->new_keys.n + 1) * sizeof *k);
  const char **t = arena_alloc(pf->a, (size_t)(pf->new_keys.n + 1) * sizeof *t);
  bool *taken = arena_alloc(pf->a, (size_t)(pf->new_keys.n + 1));
  int n = 0;
  for (int i = 0; i < ntus; i++) {
    const PfTu *tu = &pf->tus.v[tus[i]];
    for (int j = 0; j < tu->files.n; j++) {
      int x = pf->files.v[tu->files.v[j]]->fresh - 1;
      if (x < 0 || taken[x])
        continue;
      taken[x] = true;
      k[n] = pf->new_keys.v[x];
      t[n++] = pf->new_texts.v[x];
    }
  }
  *keys = k;
  *texts = t;
  return n;
}

PfStats pf_stats(const Pf *pf) { return pf->st; }
