/* lift.c: a same-unit function that makes a timer or thread and returns
 * it is a creator (#12 class 5, #15 item 6): its caller owns what it
 * returns, exactly as if the call were the family's own create. The
 * caller's `id = helper(...)` becomes that create, so every per-path rule
 * (missing-stop on an error return, created-in-loop, use-after-release)
 * judges the caller, and the helper's name is what the finding shows. */
#include <string.h>

#include "irInt.h"

/* Is `e` a create in a return statement: its block returns right after
 * it, with only deferred cleanups between? (EVF_ESCAPED alone also means
 * "went to storage we do not follow".) */
static bool returned_at_once(const IrFunc *f, const IrEvent *e) {
  for (int b = 0; b < f->blocks.n; b++) {
    const IrBlock *bl = &f->blocks.v[b];
    if (!bl->ev.n || e < bl->ev.v || e >= bl->ev.v + bl->ev.n)
      continue;
    if (bl->term != TERM_RETURN)
      return false;
    for (const IrEvent *x = e + 1; x < bl->ev.v + bl->ev.n; x++)
      if (!(x->flags & EVF_DEFERRED))
        return false;
    return true;
  }
  return false;
}

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
    return (made->flags & EVF_ESCAPED) && returned_at_once(f, made) ? made
                                                                   : NULL;
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

/* An out-parameter creator (`int mk(timer_t *out) { timer_t t; if
 * (timer_create(..., &t)) return -1; ...; *out = t; return 0; }`): its one
 * create goes to a local, copied once into `*out` (parameter `*param`),
 * never released after, and every return says by a constant whether the
 * copy happened: the same constant on each return after it, another on
 * each return before. `fail` gets how the caller reads the result
 * (success 0: nonzero fails; success nonzero: zero fails). */
static const IrEvent *out_create(const IrFunc *f, int *param, IrFail *fail) {
  if (f->opaque)
    return NULL;
  const IrEvent *made = NULL, *copy = NULL;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);)
    if (it.e->kind == EV_CREATE) {
      if (made || (it.e->res != RES_TIMER && it.e->res != RES_THREAD))
        return NULL;
      made = it.e;
    }
  if (!made || made->slot < 0 || !f->slots.v[made->slot].local ||
      f->slots.v[made->slot].ops[0])
    return NULL;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind == EV_ESCAPE && e->slot == made->slot)
      return NULL;
    if (e->kind == EV_COPY && e->slot2 == made->slot) {
      const IrSlot *d = &f->slots.v[e->slot];
      if (copy || d->base_kind != BASE_PARAM || strcmp(d->ops, "*") != 0)
        return NULL;
      copy = e;
    }
    if (e->kind == EV_CALL && e->slot == made->slot && e->callee < 0)
      return NULL; /* unknown code may keep it */
  }
  if (!copy)
    return NULL;
  *param = f->slots.v[copy->slot].param;
  /* Forward: may the copy have run (bit 1), may it not (bit 0)? */
  int nb = f->blocks.n;
  unsigned char *in = xcalloc((size_t)(nb ? nb : 1), 1);
  in[f->entry] = 1;
  bool ok = true, have_s = false, have_f = false;
  int64_t ks = 0, kf = 0;
  for (bool again = true; again && ok;) {
    again = false;
    for (int b = 0; b < nb && ok; b++) {
      if (!in[b])
        continue;
      const IrBlock *bl = &f->blocks.v[b];
      unsigned char st = in[b];
      bool has_k = false;
      int64_t k = 0;
      for (int i = 0; i < bl->ev.n; i++) {
        const IrEvent *e = &bl->ev.v[i];
        if (e == copy)
          st = 2;
        else if (st & 2 && e->slot == made->slot &&
                 (e->kind == EV_RELEASE || e->kind == EV_JOIN ||
                  e->kind == EV_DETACH))
          ok = false; /* handed over and then ended */
        if (e->kind == EV_ASSIGN && (e->flags & EVF_CONST) &&
            e->slot >= 0 && !strcmp(f->slots.v[e->slot].base, "$ret")) {
          has_k = true;
          k = e->k;
        }
      }
      if (bl->term == TERM_RETURN) {
        if (!has_k || st == 3) {
          ok = false;
        } else if (st == 2) {
          ok = !have_s || ks == k;
          have_s = true, ks = k;
        } else {
          if (have_f && kf != k)
            kf = k ? kf : 0; /* several failure values: all must differ */
          have_f = true;
          if (!kf)
            kf = k;
          ok = true;
        }
      }
      for (int i = 0; i < bl->succ.n; i++) {
        int t = bl->succ.v[i].to;
        if ((in[t] | st) != in[t]) {
          in[t] |= st;
          again = true;
        }
      }
    }
  }
  /* Every failure return must differ from the success one. */
  for (int b = 0; b < nb && ok; b++) {
    const IrBlock *bl = &f->blocks.v[b];
    if (bl->term != TERM_RETURN || !in[b])
      continue;
    unsigned char st = in[b];
    int64_t k = 0;
    for (int i = 0; i < bl->ev.n; i++) {
      const IrEvent *e = &bl->ev.v[i];
      if (e == copy)
        st = 2;
      if (e->kind == EV_ASSIGN && (e->flags & EVF_CONST) && e->slot >= 0 &&
          !strcmp(f->slots.v[e->slot].base, "$ret"))
        k = e->k;
    }
    if (st == 1 && k == ks)
      ok = false;
    if (st == 1 && ks != 0 && k != 0)
      ok = false; /* success nonzero: failures must be zero */
  }
  xfree(in);
  if (!ok || !have_s)
    return NULL;
  *fail = ks == 0 ? FAIL_NONZERO : FAIL_ZERO;
  return made;
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
  if (e->slot < 0) /* `helper(...);`: nothing keeps what it made */
    x.flags |= EVF_DISCARDED;
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

/* `r = mk(..., &t)` (or the temporary a condition tests): the create
 * into t, whose status is r. */
static void lift_out_at(IrUnit *u, IrFunc *c, int b, int i, int fn,
                        const IrEvent *made, int param, IrFail fail) {
  bool addr = false;
  int at = arg_slot(c, b, i, fn, param, &addr);
  if (at < 0 || !addr || !c->slots.v[at].local)
    return;
  IrEvent *e = ir_event_at(c, b, i);
  int status = e->slot;
  lift_at(u, c, b, i, fn, made);
  e = ir_event_at(c, b, i);
  e->slot = at;
  e->status = status;
  e->fail = fail;
}

void ir_lift_creators(IrUnit *u) {
  int n = u->funcs.n, ncand = 0;
  int *cand = xmalloc((size_t)(n ? n : 1) * sizeof *cand);
  const IrEvent **made = xmalloc((size_t)(n ? n : 1) * sizeof *made);
  int *param = xmalloc((size_t)(n ? n : 1) * sizeof *param);
  IrFail *fail = xmalloc((size_t)(n ? n : 1) * sizeof *fail);
  for (int fn = 0; fn < n; fn++) {
    const IrEvent *m = u->funcs.v[fn]->usr ? returned_create(u->funcs.v[fn])
                                           : NULL;
    param[ncand] = -1;
    if (!m && u->funcs.v[fn]->usr)
      m = out_create(u->funcs.v[fn], &param[ncand], &fail[ncand]);
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
        if (e->kind != EV_ASSIGN || !e->usr)
          continue;
        for (int k = 0; k < ncand; k++)
          if (cand[k] != g && !strcmp(u->funcs.v[cand[k]]->usr, e->usr)) {
            if (e->slot < 0 && param[k] >= 0)
              break; /* an out-parameter creator's status dropped: the
                        handle is in *out all the same */
            if (param[k] >= 0)
              lift_out_at(u, c, b, i, cand[k], made[k], param[k], fail[k]);
            else
              lift_at(u, c, b, i, cand[k], made[k]);
            break;
          }
      }
  }
  xfree(cand);
  xfree(made);
  xfree(param);
  xfree(fail);
}
