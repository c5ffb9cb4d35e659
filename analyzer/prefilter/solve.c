/* solve.c: which TUs can lead to a finding or a link fact, over the
 * outlines of every file of the scan (decisions.md, "The prefilter").
 *
 * Active names may make, start, stop or wrap a timer or thread: the
 * families' names (pf_seed_rules), the stored summaries' (pf_seed), and
 * every definition whose span names an active one (a wrapper, a macro
 * that expands to a family call, a C++ class with a std::thread in it, a
 * prototype). Holders are the defined types an active function names
 * (the fields it starts may live there), and the types, typedefs,
 * variables, prototypes and macros whose span names a holder: a free of
 * one is a link fact wherever it happens. The link phase also reads the
 * bodies of the project functions that code handling a holder calls, to
 * the end of the call chain (a teardown's path through other files), and
 * what is stored in the members it calls through: those functions are
 * needed, and so are the types that have such members.
 *
 * A TU is parsed when its main file names an active, holder or
 * needed-type name, or the code of one of its project headers does (a
 * header's declarations alone do nothing), or one of its files defines a
 * needed function, or it is in doubt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfState.h"

typedef struct {
  int file, def;
} DefRef;

typedef struct {
  Pf *pf;
  Array(DefRef) defs;
  int *span_at, *span_of; /* id -> the defs whose span has it (CSR) */
  int *name_at, *name_of; /* id -> the defs it names */
  unsigned char *done;    /* per def: 1 activated, 2 expanded */
  IdList work;
} Solve;

static const PfDef *def_of(const Solve *S, int d) {
  DefRef r = S->defs.v[d];
  return &S->pf->files.v[r.file]->o.defs.v[r.def];
}

static const int *ids(const Solve *S, int d, Range g) {
  return S->pf->files.v[S->defs.v[d].file]->o.pool.v + g.off;
}

/* CSR index of the defs by the ids of one of their ranges. */
static void index_by(Solve *S, bool names, int **at, int **of) {
  int n = S->pf->names.n;
  int *cnt = xcalloc((size_t)n + 1, sizeof *cnt);
  for (int d = 0; d < S->defs.n; d++) {
    Range g = names ? def_of(S, d)->names : def_of(S, d)->span;
    const int *v = ids(S, d, g);
    for (int i = 0; i < g.n; i++)
      cnt[v[i] + 1]++;
  }
  for (int i = 0; i < n; i++)
    cnt[i + 1] += cnt[i];
  int *list = xmalloc((size_t)(cnt[n] + 1) * sizeof *list);
  int *fill = xmalloc(((size_t)n + 1) * sizeof *fill);
  memcpy(fill, cnt, ((size_t)n + 1) * sizeof *fill);
  for (int d = 0; d < S->defs.n; d++) {
    Range g = names ? def_of(S, d)->names : def_of(S, d)->span;
    const int *v = ids(S, d, g);
    for (int i = 0; i < g.n; i++)
      list[fill[v[i]]++] = d;
  }
  xfree(fill);
  *at = cnt;
  *of = list;
}

static void mark(Solve *S, int id, unsigned bit) {
  if (S->pf->mark[id] & bit)
    return;
  S->pf->mark[id] |= bit;
  array_push(&S->work, id * 8 + (bit == PF_ACTIVE   ? 0
                                 : bit == PF_HOLDER ? 1
                                 : bit == PF_NEEDED ? 2
                                                    : 3));
}

static void mark_names(Solve *S, int d, unsigned bit) {
  const PfDef *df = def_of(S, d);
  const int *v = ids(S, d, df->names);
  for (int i = 0; i < df->names.n; i++)
    mark(S, v[i], bit);
}

/* A definition that names an active name: what it defines is active, and
 * the types a function of it names are holders. A type is a holder, not
 * active: its span is its members' types and names (a std::thread member,
 * a function pointer member called `close`), and using it starts nothing
 * its member functions (defs of their own) do not. */
static void activate(Solve *S, int d) {
  if (S->done[d] & 1)
    return;
  S->done[d] |= 1;
  const PfDef *df = def_of(S, d);
  mark_names(S, d, df->kind == DEF_TYPE ? PF_HOLDER : PF_ACTIVE);
  if (df->kind != DEF_FUNC)
    return;
  const int *v = ids(S, d, df->span);
  for (int i = 0; i < df->span.n; i++)
    if (S->pf->mark[v[i]] & PF_TYPE)
      mark(S, v[i], PF_HOLDER);
}

/* A function whose body the link phase reads: what it calls of the
 * project's is too, and the members it calls through are noted. */
static void expand(Solve *S, int d) {
  const PfDef *df = def_of(S, d);
  if ((S->done[d] & 2) || df->kind != DEF_FUNC)
    return;
  S->done[d] |= 2;
  const int *c = ids(S, d, df->calls);
  for (int i = 0; i < df->calls.n; i++)
    if (S->pf->mark[c[i]] & PF_FUNC)
      mark(S, c[i], PF_NEEDED);
  const int *m = ids(S, d, df->mcalls);
  for (int i = 0; i < df->mcalls.n; i++)
    S->pf->mark[m[i]] |= PF_MCALL;
}

static void run(Solve *S) {
  while (S->work.n) {
    int w = S->work.v[--S->work.n];
    int id = w / 8, kind = w % 8;
    if (kind == 0) {
      for (int k = S->span_at[id]; k < S->span_at[id + 1]; k++)
        activate(S, S->span_of[k]);
      for (int k = S->name_at[id]; k < S->name_at[id + 1]; k++)
        activate(S, S->name_of[k]);
    } else if (kind == 1) {
      for (int k = S->span_at[id]; k < S->span_at[id + 1]; k++)
        if (def_of(S, S->span_of[k])->kind != DEF_FUNC)
          mark_names(S, S->span_of[k], PF_HOLDER);
    } else if (kind == 2) {
      for (int k = S->name_at[id]; k < S->name_at[id + 1]; k++)
        expand(S, S->name_of[k]);
    } else { /* active in C++: only the C++ files' definitions */
      for (int k = S->span_at[id]; k < S->span_at[id + 1]; k++)
        if (S->pf->files.v[S->defs.v[S->span_of[k]].file]->cxx)
          activate(S, S->span_of[k]);
    }
  }
}

static bool range_has(const Pf *pf, const PfOutline *o, Range g,
                      unsigned bits) {
  for (int i = 0; i < g.n; i++)
    if (pf->mark[o->pool.v[g.off + i]] & bits)
      return true;
  return false;
}

/* Does a file define a needed function? */
static bool defines_needed(const Pf *pf, const PfOutline *o) {
  for (int d = 0; d < o->defs.n; d++)
    if (o->defs.v[d].kind == DEF_FUNC &&
        range_has(pf, o, o->defs.v[d].names, PF_NEEDED))
      return true;
  return false;
}

/* $TIMERLINT_PREFILTER_DEBUG: why each TU is parsed, on stderr (for
 * bench/ and for a user who wonders). */
static void why(const Pf *pf, const PfTu *tu, int file, const PfOutline *o,
                Range g, unsigned want) {
  if (!getenv("TIMERLINT_PREFILTER_DEBUG") || !tu->files.n)
    return;
  const char *main = pf->files.v[tu->files.v[0]]->path;
  const char *in = pf->files.v[tu->files.v[file]]->path;
  for (int i = 0; i < g.n; i++) {
    int id = o->pool.v[g.off + i];
    unsigned m = pf->mark[id] & want;
    if (m)
      fprintf(stderr, "prefilter: %s: parsed: %s '%s' in %s\n", main,
              m & (PF_ACTIVE | PF_CXXACT) ? "active" : m & PF_HOLDER ? "holder"
              : m & PF_NTYPE ? "called-through type" : "needed function",
              pf_name(pf, id), in);
    if (m)
      return;
  }
}

static void decide(Pf *pf, PfTu *tu) {
  unsigned want = PF_ACTIVE | PF_HOLDER | PF_NTYPE | (tu->cxx ? PF_CXXACT : 0);
  bool parse = tu->doubt;
  if (parse && getenv("TIMERLINT_PREFILTER_DEBUG")) {
    const PfFile *d = NULL; /* the file in doubt, if one is */
    for (int i = 0; i < tu->files.n && !d; i++)
      if (pf->files.v[tu->files.v[i]]->o.doubt)
        d = pf->files.v[tu->files.v[i]];
    fprintf(stderr, "prefilter: TU %d: parsed: in doubt: %s%s%s\n",
            (int)(tu - pf->tus.v), d ? d->path : "its flags or path",
            d ? ": " : "", d ? d->o.doubt : "");
  }
  for (int i = 0; i < tu->files.n && !parse; i++) {
    const PfOutline *o = &pf->files.v[tu->files.v[i]]->o;
    Range g = i == 0 ? o->idents : o->code;
    if (range_has(pf, o, g, want)) {
      parse = true;
      why(pf, tu, i, o, g, want);
    } else if (defines_needed(pf, o)) {
      parse = true;
      for (int d = 0; d < o->defs.n; d++)
        if (o->defs.v[d].kind == DEF_FUNC)
          why(pf, tu, i, o, o->defs.v[d].names, PF_NEEDED);
    }
  }
  tu->skip = !parse;
  tu->deps = arena_alloc(pf->a, (size_t)(tu->files.n + 1) * sizeof *tu->deps);
  for (int i = 0; i < tu->files.n; i++) {
    const PfFile *f = pf->files.v[tu->files.v[i]];
    tu->deps[i] = (PfDep){f->path, f->hash};
  }
}

/* The record types among the defined types (a struct, union or class, a
 * typedef of one or of such a typedef, to a fixpoint): only a record has
 * fields to keep a timer in. `typedef uint8_t u8;` named by a function
 * that arms a timer made every wpa TU that names u8 a holder's, so none
 * was skipped. */
static unsigned char *record_names(Solve *S) {
  Pf *pf = S->pf;
  unsigned char *rec = xcalloc((size_t)pf->names.n + 1, 1);
  int key[3] = {pf_intern(pf, "struct", 6), pf_intern(pf, "union", 5),
                pf_intern(pf, "class", 5)};
  for (bool again = true; again;) {
    again = false;
    for (int d = 0; d < S->defs.n; d++) {
      const PfDef *df = def_of(S, d);
      if (df->kind != DEF_TYPE)
        continue;
      const int *nm = ids(S, d, df->names), *sp = ids(S, d, df->span);
      bool all = true;
      for (int i = 0; i < df->names.n; i++)
        all &= rec[nm[i]] != 0;
      if (all)
        continue;
      bool is = false;
      for (int i = 0; i < df->span.n && !is; i++)
        is = sp[i] == key[0] || sp[i] == key[1] || sp[i] == key[2] ||
             rec[sp[i]];
      for (int i = 0; is && i < df->names.n; i++)
        if (!rec[nm[i]])
          rec[nm[i]] = again = true;
    }
  }
  return rec;
}

void pf_solve(Pf *pf) {
  Solve S = {0};
  S.pf = pf;
  for (int f = 0; f < pf->files.n; f++) {
    const PfOutline *o = &pf->files.v[f]->o;
    for (int d = 0; d < o->defs.n; d++) {
      DefRef r = {f, d};
      array_push(&S.defs, r);
    }
  }
  unsigned char *rec = record_names(&S); /* interns: before the marks */
  xfree(pf->mark);
  pf->mark = xcalloc((size_t)pf->names.n + 1, 1);
  for (int d = 0; d < S.defs.n; d++) {
    const PfDef *df = def_of(&S, d);
    const int *nm = ids(&S, d, df->names);
    for (int i = 0; i < df->names.n; i++)
      if (df->kind == DEF_FUNC)
        pf->mark[nm[i]] |= PF_FUNC;
      else if (df->kind == DEF_TYPE && rec[nm[i]])
        pf->mark[nm[i]] |= PF_TYPE;
  }
  xfree(rec);
  index_by(&S, false, &S.span_at, &S.span_of);
  index_by(&S, true, &S.name_at, &S.name_of);
  S.done = xcalloc((size_t)S.defs.n + 1, 1);
  for (int i = 0; i < pf->seeds.n; i++)
    mark(&S, pf->seeds.v[i], PF_ACTIVE);
  for (int i = 0; i < pf->cxx_seeds.n; i++)
    mark(&S, pf->cxx_seeds.v[i], PF_CXXACT);
  run(&S);
  /* The code that handles a holder or makes a timer: the functions it
   * calls are needed, transitively (mark's third kind). */
  for (int d = 0; d < S.defs.n; d++) {
    const PfDef *df = def_of(&S, d);
    const PfOutline *o = &pf->files.v[S.defs.v[d].file]->o;
    if (df->kind == DEF_FUNC &&
        ((S.done[d] & 1) || range_has(pf, o, df->span, PF_HOLDER)))
      expand(&S, d);
  }
  run(&S);
  for (int d = 0; d < S.defs.n; d++) {
    const PfDef *df = def_of(&S, d);
    const PfOutline *o = &pf->files.v[S.defs.v[d].file]->o;
    if (df->kind == DEF_TYPE && range_has(pf, o, df->span, PF_MCALL))
      for (int i = 0; i < df->names.n; i++)
        pf->mark[o->pool.v[df->names.off + i]] |= PF_NTYPE;
  }
  for (int t = 0; t < pf->tus.n; t++)
    decide(pf, &pf->tus.v[t]);
  array_free(&S.defs);
  array_free(&S.work);
  xfree(S.span_at);
  xfree(S.span_of);
  xfree(S.name_at);
  xfree(S.name_of);
  xfree(S.done);
}

bool pf_skip(const Pf *pf, int tu, const PfDep **deps, int *ndeps) {
  const PfTu *t = &pf->tus.v[tu];
  *deps = t->deps;
  *ndeps = t->deps ? t->files.n : 0;
  return t->skip;
}

void pf_solved_free(Pf *pf) {
  xfree(pf->mark);
  pf->mark = NULL;
}
