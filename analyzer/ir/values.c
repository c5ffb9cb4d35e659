/* values.c: disarm by value (#12 class 1). An arm whose rule disarms on a
 * zero value (timer_settime with a zero it_value) and whose value the
 * front end could not decide carries the value's path (EVF_SPEC, slot2).
 * Here a forward dataflow over the function follows, per scalar member of
 * such values, whether it is zero, non-zero or not known along the paths
 * to the call: `= {0}` and initializer lists, memset, assignments field by
 * field, a same-unit helper that fills it (its stores, with the constants
 * the call gives it), anything else that may write it (its address handed
 * to unknown code) making it unknown. Where every member is zero on every
 * path, the arm is a disarm. Otherwise it stays an arm: a value not known
 * arms, as before (a timer left armed and a timer left disarmed are both
 * leaks; only the rule id differs). */
#include <stdlib.h>
#include <string.h>

#include "irInt.h"

enum { V_NONE, V_ZERO, V_NONZERO, V_UNKNOWN }; /* V_NONE: no path yet */

typedef struct {
  const IrFunc *f;
  bool *tracked; /* slots of the bases some spec value lives in */
  int nslots;
} Vals;

static unsigned char join1(unsigned char a, unsigned char b) {
  if (a == V_NONE)
    return b;
  if (b == V_NONE)
    return a;
  return a == b ? a : V_UNKNOWN;
}

/* Every tracked slot at or below path (base, ops) gets `v`. */
static void set_below(const Vals *vs, unsigned char *st, int slot,
                      unsigned char v) {
  const IrSlot *x = &vs->f->slots.v[slot];
  for (int s = 0; s < vs->nslots; s++)
    if (vs->tracked[s] && !strcmp(vs->f->slots.v[s].base, x->base) &&
        ir_ops_extends(vs->f->slots.v[s].ops, x->ops))
      st[s] = v;
}

/* The constant the call at `call` (event i of block b) gives argument
 * `arg` of its callee: the EV_VALUE events just before it. */
static bool const_arg(const IrFunc *f, int b, int i, int arg, int64_t *k) {
  const IrEvent *call = &f->blocks.v[b].ev.v[i];
  for (int j = i - 1; j >= 0; j--) {
    const IrEvent *e = &f->blocks.v[b].ev.v[j];
    if (e->loc.line != call->loc.line || e->loc.col != call->loc.col)
      break;
    if (e->kind == EV_VALUE && e->callee == call->callee && e->arg == arg) {
      *k = e->k;
      return true;
    }
  }
  return false;
}

/* A helper of the unit given &x as argument `arg`: its stores into what
 * the parameter points to, in order, when its body is one straight path
 * (a branch would make them maybe-stores). Each store lands on the
 * caller's slot of the same member; any other use of the pointer (handed
 * on, copied) makes all of x unknown. */
static void apply_helper(const Vals *vs, const IrUnit *u, unsigned char *st,
                         int b, int i) {
  const IrFunc *f = vs->f;
  const IrEvent *call = &f->blocks.v[b].ev.v[i];
  const IrFunc *h = u->funcs.v[call->callee];
  const IrSlot *x = &f->slots.v[call->slot];
  bool straight = true;
  for (int k = 0; k < h->blocks.n && straight; k++)
    straight = h->blocks.v[k].succ.n <= 1;
  if (!straight || h->opaque) {
    set_below(vs, st, call->slot, V_UNKNOWN);
    return;
  }
  /* The blocks of one straight path, from the entry. */
  for (int blk = h->entry, steps = 0; blk >= 0 && steps <= h->blocks.n;
       steps++) {
    const IrBlock *bl = &h->blocks.v[blk];
    for (int j = 0; j < bl->ev.n; j++) {
      const IrEvent *e = &bl->ev.v[j];
      if (e->slot < 0)
        continue;
      const IrSlot *hs = &h->slots.v[e->slot];
      if (hs->base_kind != BASE_PARAM || hs->param != call->arg)
        continue;
      if (hs->ops[0] != '*') { /* the pointer itself, handed on or copied */
        if (e->kind != EV_USE)
          set_below(vs, st, call->slot, V_UNKNOWN);
        continue;
      }
      const char *ops = arena_printf(u->arena, "%s%s", x->ops, hs->ops + 1);
      int to = ir_slot_find(f, x->base, ops);
      unsigned char v = V_UNKNOWN;
      if (e->kind == EV_ASSIGN && (e->flags & EVF_CONST))
        v = e->k == 0 ? V_ZERO : V_NONZERO;
      else if (e->kind == EV_COPY && e->slot2 >= 0 &&
               h->slots.v[e->slot2].base_kind == BASE_PARAM &&
               !h->slots.v[e->slot2].ops[0]) {
        int64_t k;
        if (const_arg(f, b, i, h->slots.v[e->slot2].param, &k))
          v = k == 0 ? V_ZERO : V_NONZERO;
      } else if (e->kind != EV_ASSIGN && e->kind != EV_COPY) {
        if (e->kind == EV_CALL && !(e->flags & EVF_FORMAT))
          set_below(vs, st, call->slot, V_UNKNOWN); /* handed on */
        continue;
      }
      if (to >= 0) /* a member the caller has no slot for is not tracked */
        set_below(vs, st, to, v);
    }
    blk = bl->succ.n == 1 ? bl->succ.v[0].to : -1;
  }
}

static void transfer(const Vals *vs, const IrUnit *u, unsigned char *st,
                     int b, int i) {
  const IrEvent *e = &vs->f->blocks.v[b].ev.v[i];
  if (e->slot < 0 || !vs->tracked[e->slot])
    return;
  switch (e->kind) {
  case EV_ASSIGN:
    set_below(vs, st, e->slot,
              !(e->flags & EVF_CONST) ? V_UNKNOWN
              : e->k == 0             ? V_ZERO
                                      : V_NONZERO);
    break;
  case EV_COPY:
    set_below(vs, st, e->slot, V_UNKNOWN);
    break;
  case EV_CALL:
    if (!(e->flags & EVF_ADDR) || (e->flags & EVF_FORMAT))
      break; /* a member's value read, or a logger */
    if (e->callee >= 0)
      apply_helper(vs, u, st, b, i);
    else
      set_below(vs, st, e->slot, V_UNKNOWN);
    break;
  default:
    break;
  }
}

/* Are all members at or below `slot` zero in `st`? */
static bool all_zero(const Vals *vs, const unsigned char *st, int slot) {
  const IrSlot *x = &vs->f->slots.v[slot];
  bool any = false;
  for (int s = 0; s < vs->nslots; s++) {
    const IrSlot *y = &vs->f->slots.v[s];
    if (!vs->tracked[s] || strcmp(y->base, x->base) ||
        !ir_ops_extends(y->ops, x->ops))
      continue;
    bool leaf = true;
    for (int t = 0; t < vs->nslots && leaf; t++)
      leaf = t == s || strcmp(vs->f->slots.v[t].base, y->base) ||
             !ir_ops_extends(vs->f->slots.v[t].ops, y->ops);
    if (!leaf)
      continue;
    any = true;
    if (st[s] != V_ZERO)
      return false;
  }
  return any;
}

static void decide(IrUnit *u, IrFunc *f) {
  int n = f->slots.n, nb = f->blocks.n;
  Vals vs = {f, xcalloc((size_t)(n ? n : 1), sizeof(bool)), n};
  bool any = false;
  for (int b = 0; b < nb; b++)
    for (int i = 0; i < ir_block_nevents(f, b); i++) {
      const IrEvent *e = &f->blocks.v[b].ev.v[i];
      if (!(e->flags & EVF_SPEC) || e->slot2 < 0)
        continue;
      any = true;
      for (int s = 0; s < n; s++)
        if (!strcmp(f->slots.v[s].base, f->slots.v[e->slot2].base))
          vs.tracked[s] = true;
    }
  if (!any) {
    xfree(vs.tracked);
    return;
  }
  /* in[b]: the state where block b starts; the entry's is unknown. */
  unsigned char *in = xcalloc((size_t)nb * (size_t)(n ? n : 1), 1);
  unsigned char *cur = xmalloc((size_t)(n ? n : 1));
  int *work = xmalloc((size_t)(nb + 1) * sizeof *work);
  bool *queued = xcalloc((size_t)nb, sizeof *queued);
  memset(in + (size_t)f->entry * (size_t)n, V_UNKNOWN, (size_t)n);
  int nw = 0;
  work[nw++] = f->entry;
  queued[f->entry] = true;
  while (nw) {
    int b = work[--nw];
    queued[b] = false;
    memcpy(cur, in + (size_t)b * (size_t)n, (size_t)n);
    for (int i = 0; i < ir_block_nevents(f, b); i++)
      transfer(&vs, u, cur, b, i);
    const IrBlock *bl = &f->blocks.v[b];
    for (int k = 0; k < bl->succ.n; k++) {
      int to = bl->succ.v[k].to;
      unsigned char *dst = in + (size_t)to * (size_t)n;
      bool changed = false;
      for (int s = 0; s < n; s++) {
        unsigned char j = join1(dst[s], cur[s]);
        changed |= j != dst[s];
        dst[s] = j;
      }
      if (changed && !queued[to]) {
        queued[to] = true;
        work[nw++] = to;
      }
    }
  }
  for (int b = 0; b < nb; b++) {
    memcpy(cur, in + (size_t)b * (size_t)n, (size_t)n);
    for (int i = 0; i < ir_block_nevents(f, b); i++) {
      IrEvent *e = ir_event_at(f, b, i);
      if ((e->flags & EVF_SPEC) && e->slot2 >= 0 && e->kind == EV_ARM &&
          all_zero(&vs, cur, e->slot2)) {
        e->kind = EV_DISARM;
        e->flags &= ~EVF_SPEC;
        e->slot2 = -1;
      }
      transfer(&vs, u, cur, b, i);
    }
  }
  xfree(in);
  xfree(cur);
  xfree(work);
  xfree(queued);
  xfree(vs.tracked);
}

void ir_decide_disarms(IrUnit *u) {
  for (int fn = 0; fn < u->funcs.n; fn++)
    decide(u, u->funcs.v[fn]);
}
