/* summary.c: what a function does to what its callers pass it, and whether
 * it can return at all. Computed on demand, callees first; a call that
 * recurses into a function still being summarised is treated as unknown
 * code (eng_summary returns NULL), which only ever silences findings. */
#include "engineInt.h"

const EngSummary *eng_summary(EngCtx *cx, int fn) {
  EngSummary *s = &cx->sums[fn];
  if (cx->u->funcs.v[fn]->opaque)
    return NULL;
  if (s->computed)
    return s;
  if (s->in_progress)
    return NULL;
  s->in_progress = true;
  const IrFunc *f = cx->u->funcs.v[fn];
  for (int i = 0; i < f->slots.n; i++) {
    const IrSlot *sl = &f->slots.v[i];
    if (sl->base_kind != BASE_PARAM)
      continue;
    EngSummaryEntry e = {sl->param, sl->ops, EFF_UNKNOWN};
    e.effect = eng_run_object(cx, fn, -1, -1, i, false);
    array_push(&s->entries, e);
  }
  s->in_progress = false;
  s->computed = true;
  return s;
}

/* Can control reach the exit of f, given the functions known not to
 * return? Calls to them end a block. */
static bool can_return(const EngCtx *cx, const IrFunc *f) {
  int n = f->blocks.n;
  bool *seen = xcalloc((size_t)n, sizeof *seen);
  int *stack = xmalloc((size_t)n * sizeof *stack), sp = 0;
  bool found = false;
  stack[sp++] = f->entry;
  seen[f->entry] = true;
  while (sp && !found) {
    const IrBlock *b = &f->blocks.v[stack[--sp]];
    if (b->term == TERM_EXIT) {
      found = true;
      break;
    }
    if (b->term == TERM_NORETURN)
      continue;
    bool stops = false;
    for (int i = 0; i < b->ev.n && !stops; i++)
      stops = b->ev.v[i].kind == EV_CALL && b->ev.v[i].callee >= 0 &&
              cx->sums[b->ev.v[i].callee].noreturn;
    if (stops)
      continue;
    for (int i = 0; i < b->succ.n; i++)
      if (!seen[b->succ.v[i].to]) {
        seen[b->succ.v[i].to] = true;
        stack[sp++] = b->succ.v[i].to;
      }
  }
  xfree(seen);
  xfree(stack);
  return found;
}

void eng_compute_noreturn(EngCtx *cx) {
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i < cx->u->funcs.n; i++)
      if (!cx->sums[i].noreturn && !cx->u->funcs.v[i]->opaque &&
          !can_return(cx, cx->u->funcs.v[i])) {
        cx->sums[i].noreturn = true;
        again = true;
      }
  }
}
