/* engine.c: the engine's entry point and the finding list helpers. */
#include <stdlib.h>
#include <string.h>

#include "engineInt.h"

static const CheckInfo checks[] = {
#define X(e, id, summary, help) {id, summary, help, !ENG_CHECK_PLANNED(e)},
    ENG_CHECKS(X)
#undef X
};

const CheckInfo *check_info(CheckId c) {
  return (unsigned)c < CHK__COUNT ? &checks[c] : NULL;
}

int check_by_id(const char *id) {
  for (int i = 0; i < CHK__COUNT; i++)
    if (strcmp(checks[i].id, id) == 0)
      return i;
  return -1;
}

void eng_add_finding(EngCtx *cx, const IrFunc *f, CheckId chk, IrLoc loc,
                     const char *message, const char *handle, const char *api,
                     const Wit *w) {
  Arena *a = cx->u->arena;
  for (int i = 0; i < cx->out->n; i++) { /* two runs saw the same site */
    const Finding *o = &cx->out->v[i];
    if (o->rule == checks[chk].id && o->loc.line == loc.line &&
        o->loc.col == loc.col && o->loc.file == loc.file &&
        o->function == f->name)
      return;
  }
  Finding fd = {0};
  fd.rule = checks[chk].id;
  fd.loc = loc;
  fd.function = f->name;
  fd.fn_start = f->loc.line;
  fd.fn_end = f->end_line > f->loc.line ? f->end_line : f->loc.line;
  fd.message = message;
  fd.handle = handle ? handle : "";
  fd.api = api ? api : "";
  for (const Wit *p = w; p; p = p->prev)
    fd.nnotes++;
  fd.notes = arena_alloc(a, (size_t)(fd.nnotes ? fd.nnotes : 1) * sizeof(Note));
  int i = fd.nnotes;
  for (const Wit *p = w; p; p = p->prev)
    fd.notes[--i] = (Note){p->loc, p->text};
  array_push(cx->out, fd);
}

static bool ends_handle(IrEventKind k) {
  return k == EV_RELEASE || k == EV_JOIN || k == EV_DETACH;
}

/* Which blocks of f lie in the body of some loop (a natural loop: the
 * blocks that reach a back edge's source without passing its header). */
static bool *loop_blocks(const IrFunc *f) {
  int n = f->blocks.n;
  bool *in = xcalloc((size_t)(n ? n : 1), sizeof *in);
  bool *body = xmalloc((size_t)(n ? n : 1) * sizeof *body);
  int *stack = xmalloc((size_t)(n ? n : 1) * sizeof *stack);
  for (int u = 0; u < n; u++)
    for (int i = 0; i < f->blocks.v[u].succ.n; i++) {
      if (!f->blocks.v[u].succ.v[i].back)
        continue;
      ir_natural_loop(f, u, f->blocks.v[u].succ.v[i].to, body, stack);
      for (int b = 0; b < n; b++)
        in[b] |= body[b];
    }
  xfree(body);
  xfree(stack);
  return in;
}

/* Program lifetime from the unit's call graph: main() runs once, and so
 * does a function every call of which is in such a function (a daemon's
 * initServer(), called from main before its loop). Timers and threads it
 * makes live until the process exits: not leaks (Valgrind's "still
 * reachable"). A call inside a loop of such a function, or from any other
 * function, and the callee is an ordinary function again. */
void eng_compute_lifetime(EngCtx *cx) {
  const IrUnit *u = cx->u;
  int n = u->funcs.n;
  cx->lifetime = xcalloc((size_t)(n ? n : 1), sizeof *cx->lifetime);
  bool *other = xcalloc((size_t)(n ? n : 1), sizeof *other);
  for (int fn = 0; fn < n; fn++)
    cx->lifetime[fn] = !strcmp(u->funcs.v[fn]->name, "main");
  bool **looped = xcalloc((size_t)(n ? n : 1), sizeof *looped);
  for (bool again = true; again;) {
    again = false;
    memset(other, 0, (size_t)n * sizeof *other);
    bool *called = xcalloc((size_t)(n ? n : 1), sizeof *called);
    for (int fn = 0; fn < n; fn++) {
      const IrFunc *f = u->funcs.v[fn];
      if (cx->lifetime[fn] && !looped[fn]) /* once per function */
        looped[fn] = loop_blocks(f);
      for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
        int g = it.e->callee;
        if (it.e->kind != EV_CALL || g < 0 || g == fn)
          continue;
        called[g] = true;
        if (!cx->lifetime[fn] || looped[fn][it.block])
          other[g] = true;
      }
    }
    for (int g = 0; g < n; g++)
      if (!cx->lifetime[g] && called[g] && !other[g]) {
        cx->lifetime[g] = true;
        again = true;
      }
    xfree(called);
  }
  for (int fn = 0; fn < n; fn++)
    xfree(looped[fn]);
  xfree(looped);
  xfree(other);
}

/* Slots released here, directly or by a helper of the unit, that hold
 * handles made elsewhere (a field of a parameter, a global, what a local
 * pointer names): followed from entry for use-after-release only. A field
 * the function also creates into is followed too, up to the create (a
 * double remove of the old id before `p->id = g_timeout_add(...)`). */
/* Is a timer or thread kept where key names, by the unit's code: created
 * or armed into it somewhere? */
static bool unit_keeps(EngCtx *cx, const IrKey *key) {
  const EngKeyed *all = eng_keyed(cx);
  for (int i = 0; key && i < all->n; i++)
    if (!ir_key_cmp(all->v[i].key, key))
      return true;
  return false;
}

static void run_external(EngCtx *cx, int fn) {
  const IrFunc *f = cx->u->funcs.v[fn];
  int n = f->slots.n;
  bool *released = xcalloc((size_t)(n ? n : 1), sizeof *released);
  bool *created = xcalloc((size_t)(n ? n : 1), sizeof *created);
  /* Released only by calls that take any fd or HANDLE (close): a timer only
   * where another of the family's calls acts on it, or the unit keeps one
   * in that field; a socket closed twice is no timer finding. */
  bool *generic = xcalloc((size_t)(n ? n : 1), sizeof *generic);
  bool *named = xcalloc((size_t)(n ? n : 1), sizeof *named);
  /* One pass: what each event ends, directly or through the summary of
   * the helper it calls (the paths below its argument that helper ends). */
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->slot < 0)
      continue;
    bool family = e->kind < EV_ESCAPE; /* a family call, by its role */
    if (family && (e->flags & EVF_GENERIC))
      generic[e->slot] |= ends_handle(e->kind);
    else if (family)
      named[e->slot] = true;
    if (!(e->flags & EVF_GENERIC))
      released[e->slot] |= ends_handle(e->kind);
    created[e->slot] |= e->kind == EV_CREATE;
    const EngSummary *sum = e->kind == EV_CALL && e->callee >= 0
                                ? eng_summary(cx, e->callee) : NULL;
    for (int i = 0; sum && i < sum->entries.n; i++) {
      const EngSummaryEntry *en = &sum->entries.v[i];
      if (en->param != e->arg || !eng_effect_ends(en->effect))
        continue;
      const char *ops = eng_compose_ops(cx->u->arena, f, e, en);
      int at = ops ? ir_slot_find(f, f->slots.v[e->slot].base, ops) : -1;
      if (at >= 0)
        released[at] = true;
    }
  }
  for (int s = 0; s < n; s++)
    if (generic[s] && !released[s] &&
        (named[s] || unit_keeps(cx, f->slots.v[s].key)))
      released[s] = true;
  for (int s = 0; s < n; s++)
    if (released[s] && (!created[s] || !f->slots.v[s].local))
      eng_run_object(cx, fn, -1, -1, s, true);
  xfree(released);
  xfree(created);
  xfree(generic);
  xfree(named);
}

void eng_analyze_unit(const IrUnit *u, FindingList *out, LinkData *link,
                      EngCuts *cuts) {
  EngCtx cx = {0};
  cx.u = u;
  cx.out = out;
  cx.cuts = cuts;
  cx.sums = xcalloc((size_t)(u->funcs.n ? u->funcs.n : 1), sizeof *cx.sums);
  eng_index_usrs(&cx);
  eng_compute_noreturn(&cx);
  eng_compute_lifetime(&cx);
  for (int fn = 0; fn < u->funcs.n; fn++) {
    for (IrEvIter it = ir_events(u->funcs.v[fn]); ir_events_next(&it);)
      if (it.e->kind == EV_CALL && it.e->callee >= 0)
        cx.sums[it.e->callee].called = true;
    for (int i = 0; i < u->hooks.n; i++)
      if (u->hooks.v[i].param < 0 && u->funcs.v[fn]->usr &&
          !strcmp(u->hooks.v[i].usr, u->funcs.v[fn]->usr))
        cx.sums[fn].kept = true;
  }
  for (int fn = 0; fn < u->funcs.n; fn++) {
    const IrFunc *f = u->funcs.v[fn];
    cx.fn_steps = 0;
    cx.fn_cut = false;
    int first = out->n;
    for (IrEvIter it = ir_events(f); ir_events_next(&it) && !cx.fn_cut;)
      if (it.e->kind == EV_CREATE)
        eng_run_object(&cx, fn, it.block, it.index, -1, false);
    if (!cx.fn_cut)
      run_external(&cx, fn);
    if (!cx.fn_cut)
      eng_check_held(&cx, fn);
    if (cx.fn_cut) { /* no finding from a function analysed in part */
      out->n = first;
      if (cuts)
        array_push(cuts, f->name);
    }
  }
  eng_check_members(&cx);
  if (link)
    eng_link_collect(&cx, link);
  array_free(&cx.keyed);
  for (int fn = 0; fn < u->funcs.n; fn++)
    array_free(&cx.sums[fn].entries);
  xfree(cx.sums);
  xfree(cx.by_usr);
  xfree(cx.lifetime);
}

static int loc_cmp(const IrLoc *a, const IrLoc *b) {
  int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

static int finding_cmp(const void *pa, const void *pb) {
  const Finding *a = pa, *b = pb;
  int c = loc_cmp(&a->loc, &b->loc);
  return c ? c : strcmp(a->rule, b->rule);
}

void findings_sort_unique(FindingList *l) {
  if (l->n < 2)
    return;
  qsort(l->v, (size_t)l->n, sizeof *l->v, finding_cmp);
  int j = 1;
  for (int i = 1; i < l->n; i++)
    if (finding_cmp(&l->v[j - 1], &l->v[i]) != 0)
      l->v[j++] = l->v[i];
  l->n = j;
}

static int fp_cmp(const void *pa, const void *pb) {
  const Finding *a = *(const Finding *const *)pa, *b = *(const Finding *const *)pb;
  return strcmp(a->fingerprint ? a->fingerprint : "",
                b->fingerprint ? b->fingerprint : "");
}

void findings_by_fingerprint(const FindingList *l, FindingIndex *index) {
  index->n = 0;
  for (int i = 0; i < l->n; i++)
    if (l->v[i].fingerprint)
      array_push(index, &l->v[i]);
  if (index->n > 1)
    qsort(index->v, (size_t)index->n, sizeof *index->v, fp_cmp);
}

const Finding *findings_lookup(const FindingIndex *index, const char *fp) {
  if (!fp || !index->n)
    return NULL;
  Finding key = {0};
  key.fingerprint = fp;
  const Finding *k = &key;
  const Finding **hit =
      bsearch(&k, index->v, (size_t)index->n, sizeof *index->v, fp_cmp);
  return hit ? *hit : NULL;
}
