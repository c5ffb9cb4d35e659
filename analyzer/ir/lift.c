/* lift.c: a same-unit function that makes a timer or thread and returns
 * it is a creator (#12 class 5, #15 item 6): its caller owns what it
 * returns, exactly as if the call were the family's own create. The
 * caller's `id = helper(...)` becomes that create, so every per-path rule
 * (missing-stop on an error return, created-in-loop, use-after-release)
 * judges the caller, and the helper's name is what the finding shows. */
#include <string.h>

#include "irInt.h"

/* The one create whose handle `f` returns, or NULL. Only a plain hand-
 * over counts: the handle goes nowhere else (no copy, no unknown code,
 * no stop in the helper), and nothing else of f's is returned. */
static const IrEvent *returned_create(const IrFunc *f) {
  if (f->opaque)
    return NULL;
  const IrEvent *made = NULL;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);)
    if (it.e->kind == EV_CREATE) {
      if (made || (it.e->res != RES_TIMER && it.e->res != RES_THREAD))
        return NULL;
      made = it.e;
    }
  if (!made)
    return NULL;
  if (made->slot < 0) /* return g_timeout_add(...) */
    return (made->flags & EVF_ESCAPED) ? made : NULL;
  if (!f->slots.v[made->slot].local || f->slots.v[made->slot].ops[0])
    return NULL;
  bool returned = false;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind == EV_ESCAPE) {
      if (e->slot != made->slot)
        return NULL;
      returned = true;
    } else if (e->kind == EV_COPY && e->slot2 == made->slot) {
      return NULL;
    } else if (e != made && e->slot == made->slot &&
               e->kind != EV_ARM && e->kind != EV_USE) {
      return NULL;
    }
  }
  return returned ? made : NULL;
}

/* The caller's path given for parameter `param` by the call to `fn` just
 * before index `i` of block `b` (the call's events come right before the
 * assign of its result). */
static int arg_slot(const IrFunc *c, int b, int i, int fn, int param,
                    bool *addr) {
  for (int k = i - 1; k >= 0; k--) {
    const IrEvent *e = ir_event_at((IrFunc *)c, b, k);
    if (e->kind != EV_CALL || e->callee != fn)
      break;
    if (e->arg == param) {
      *addr = (e->flags & EVF_ADDR) != 0;
      return e->slot;
    }
  }
  return -1;
}

static void lift_at(IrUnit *u, IrFunc *c, int b, int i, int fn,
                    const IrEvent *made) {
  IrEvent *e = ir_event_at(c, b, i);
  const IrFunc *f = u->funcs.v[fn];
  IrEvent x = *made;
  x.slot = e->slot;
  /* The helper returns the handle: when the create's result is the handle
   * itself (an id, a pointer), so is the helper's; else the caller cannot
   * tell failure from the value. */
  bool self = made->slot < 0 ? made->status < 0 : made->status == made->slot;
  x.status = self && made->fail != FAIL_NEVER ? e->slot : -1;
  x.fail = x.status >= 0 ? made->fail : FAIL_NEVER;
  x.slot2 = -1;
  x.flags &= ~(unsigned)(EVF_ESCAPED | EVF_DISCARDED);
  x.api = f->name;
  x.loc = e->loc;
  /* What the worker gets, in the caller's terms: a parameter of the
   * helper is the argument the caller gave it. */
  IrUse *uses = x.nuses ? arena_alloc(u->arena, (size_t)x.nuses * sizeof *uses)
                        : NULL;
  int n = 0;
  for (int k = 0; k < made->nuses; k++) {
    const IrSlot *s = &f->slots.v[made->uses[k].slot];
    bool addr = false;
    int at = s->base_kind == BASE_PARAM && !s->ops[0]
                 ? arg_slot(c, b, i, fn, s->param, &addr)
                 : -1;
    if (at >= 0)
      uses[n++] = (IrUse){at, addr || made->uses[k].addr};
  }
  x.uses = uses;
  x.nuses = n;
  *e = x;
}

void ir_lift_creators(IrUnit *u) {
  int n = u->funcs.n, ncand = 0;
  int *cand = xmalloc((size_t)(n ? n : 1) * sizeof *cand);
  const IrEvent **made = xmalloc((size_t)(n ? n : 1) * sizeof *made);
  for (int fn = 0; fn < n; fn++) {
    const IrEvent *m = u->funcs.v[fn]->usr ? returned_create(u->funcs.v[fn])
                                           : NULL;
    if (m) {
      cand[ncand] = fn;
      made[ncand++] = m;
    }
  }
  for (int g = 0; ncand && g < n; g++) {
    IrFunc *c = u->funcs.v[g];
    for (int b = 0; b < c->blocks.n; b++)
      for (int i = 0; i < ir_block_nevents(c, b); i++) {
        const IrEvent *e = ir_event_at(c, b, i);
        if (e->kind != EV_ASSIGN || !e->usr || e->slot < 0)
          continue;
        for (int k = 0; k < ncand; k++)
          if (cand[k] != g && !strcmp(u->funcs.v[cand[k]]->usr, e->usr)) {
            lift_at(u, c, b, i, cand[k], made[k]);
            break;
          }
      }
  }
  xfree(cand);
  xfree(made);
}
