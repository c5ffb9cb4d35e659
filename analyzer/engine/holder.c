/* holder.c: memory the function just allocated, and the handles held in
 * it (#12 class 2). `l = calloc(...); timer_create(..., &l->timer)`: until
 * l is given to anyone, the function owns the record and the timer in it,
 * as it owns a local; freeing l, or its last pointer dying, loses the
 * timer. The link phase asks the same question of a free (is what it
 * frees new memory no one was given?), so both live here. */
#include <string.h>

#include "objrun.h"

/* The slots of the object `slot`'s variable names, and of every variable
 * the pointer is copied into (`struct dev *d = dev;`; with `locals`, only
 * into the function's locals), to a fixpoint. Caller frees. */
bool *eng_object_slots(const IrFunc *f, int slot, bool locals) {
  int n = f->slots.n;
  bool *obj = xcalloc((size_t)(n ? n : 1), sizeof *obj);
  for (int s = 0; s < n; s++)
    obj[s] = !strcmp(f->slots.v[s].base, f->slots.v[slot].base);
  for (bool again = true; again;) {
    again = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind != EV_COPY || e->slot2 < 0 || !obj[e->slot2] ||
          f->slots.v[e->slot2].ops[0] || obj[e->slot] ||
          (locals && !f->slots.v[e->slot].local))
        continue;
      for (int s = 0; s < n; s++)
        if (!strcmp(f->slots.v[s].base, f->slots.v[e->slot].base))
          obj[s] = true;
      again = true;
    }
  }
  return obj;
}

/* Is what `slot` (a pointer, ops "") holds just before event `at` of
 * block `b` new memory that nothing has been given yet, on every path
 * there? Walking back, each path must meet the allocation (an assign
 * marked fresh) before any other value, any copy of the pointer beyond
 * the function's locals, any call given it or a part of it by address,
 * and any create or arm inside it that took place (a create whose failure
 * branch the path took made nothing). Stores into its fields, reads of
 * them handed on by value and copies into locals are fine: `c =
 * calloc(...); c->rbuf = malloc(n); if (!c->rbuf) conn_free(c);`, or
 * `sev.sigev_value.sival_ptr = p; if (timer_create(..., &sev, &p->t))
 * { probe_free(p); ... }`. A local given the pointer stands for it. */
bool eng_fresh_at(const IrFunc *f, int b, int at, int slot) {
  int nb = f->blocks.n;
  bool *obj = eng_object_slots(f, slot, true);
  char *seen = xcalloc((size_t)(nb ? nb : 1), sizeof *seen);
  int *work = xmalloc((size_t)(nb ? nb : 1) * 4 * sizeof *work);
  int nw = 0;
  bool fresh = true;
  int cur = b, from = at, failed = -1; /* failed: a status slot known bad */
  for (;;) {
    const IrBlock *blk = &f->blocks.v[cur];
    bool met = false;
    for (int i = from - 1; i >= 0 && !met && fresh; i--) {
      const IrEvent *e = &blk->ev.v[i];
      bool mine = e->slot >= 0 && obj[e->slot];
      bool whole = mine && !f->slots.v[e->slot].ops[0];
      if (e->kind == EV_CREATE && failed >= 0 && e->status == failed)
        continue; /* it failed on this path: nothing was made */
      if (e->kind == EV_COPY && e->slot2 >= 0 && obj[e->slot2] &&
          !f->slots.v[e->slot2].ops[0])
        fresh = f->slots.v[e->slot].local; /* held beyond the function */
      else if (!mine)
        continue;
      else if (whole && e->slot != slot &&
               (e->kind == EV_ASSIGN || e->kind == EV_COPY))
        continue; /* a local the pointer is copied into later (memset(&sev,
                     0, ...) before sev.sival_ptr = c) */
      else if (whole && e->kind == EV_ASSIGN && (e->flags & EVF_FRESH))
        met = true;
      else if (whole && (e->kind == EV_ASSIGN || e->kind == EV_COPY))
        fresh = false; /* another value: not the new memory */
      else if (e->kind == EV_ASSIGN || e->kind == EV_COPY)
        continue; /* c->rbuf = ... */
      else if (eng_field_value_call(f, e))
        continue; /* a field's value handed on */
      else
        fresh = false;
    }
    if (!fresh)
      break;
    if (!met) {
      if (cur == f->entry || blk->pred.n == 0) {
        fresh = false;
        break;
      }
      for (int p = 0; p < blk->pred.n; p++) {
        int pb = blk->pred.v[p];
        if (seen[pb] == 2)
          continue;
        /* Which status the branch into `cur` says failed, if any. */
        const IrBlock *pr = &f->blocks.v[pb];
        int bad = -1;
        if (pr->term == TERM_BRANCH && pr->cond.var >= 0 &&
            pr->succ.n == 2 && pr->succ.v[0].to != pr->succ.v[1].to)
          for (int i = 0; i < pr->ev.n; i++) {
            const IrEvent *c = &pr->ev.v[i];
            IrCmp op = pr->succ.v[0].to == cur ? pr->cond.op
                                               : cmp_negate(pr->cond.op);
            if (c->kind == EV_CREATE && c->status == pr->cond.var &&
                fail_implied(c->fail, op, pr->cond.k) == 1)
              bad = c->status;
          }
        /* Seen with a failed create skipped, a plain visit still must
         * look at that create. */
        if (seen[pb] == 1 && bad >= 0)
          continue;
        seen[pb] = bad >= 0 ? 1 : 2;
        work[nw++] = pb;
        work[nw++] = bad;
      }
    }
    if (!nw)
      break;
    failed = work[--nw];
    cur = work[--nw];
    from = f->blocks.v[cur].ev.n;
  }
  xfree(seen);
  xfree(work);
  xfree(obj);
  return fresh;
}

/* The local pointer whose new memory holds the handle `cr` creates, -1
 * when there is none: the create's slot is a field (or the memory) right
 * below a local pointer (`l->timer`, `*t`, `w->timer.base`: one
 * dereference, no array element), and that pointer holds new memory no
 * one was given yet where the create runs. What the create hands its own
 * worker (`pthread_create(&j->tid, NULL, run, j)`) is given to the worker:
 * the holder stays ours only when the worker's summary neither keeps nor
 * loses track of what it gets. */
int eng_holder_of(EngCtx *cx, const IrFunc *f, const IrEvent *cr, int block,
                  int index) {
  if (cr->slot < 0)
    return -1;
  const IrSlot *hs = &f->slots.v[cr->slot];
  if (hs->local || hs->base_kind != BASE_LOCAL || hs->ops[0] != '*' ||
      strchr(hs->ops + 1, '*') || strchr(hs->ops, '['))
    return -1;
  int p = ir_slot_find(f, hs->base, "");
  if (p < 0)
    return -1;
  const IrEvent *ev = f->blocks.v[block].ev.v;
  int at = index;
  bool to_worker = false;
  while (at > 0 && ev[at - 1].kind == EV_CALL &&
         (ev[at - 1].flags & EVF_TO_WORKER)) {
    at--;
    to_worker |= ev[at].slot >= 0 && !strcmp(f->slots.v[ev[at].slot].base,
                                             hs->base);
  }
  if (!eng_fresh_at(f, block, at, p))
    return -1;
  if (to_worker) {
    const EngSummary *s = cr->callee >= 0 ? eng_summary(cx, cr->callee) : NULL;
    if (!s)
      return -1;
    for (int i = 0; i < s->entries.n; i++)
      if (s->entries.v[i].effect == EFF_ESCAPE ||
          s->entries.v[i].effect == EFF_UNKNOWN)
        return -1;
  }
  return p;
}

/* Is this event's slot the holder or storage inside it? */
static bool on_holder(const ObjRun *r, int slot) {
  return slot >= 0 &&
         run_same_base(&r->f->slots.v[slot], &r->f->slots.v[r->holder]);
}

/* Does function `fn` keep its parameter `param` (a pointer to a record),
 * or give it, or the address of a part of it, to code that may (#12 class
 * 2)? Copies of the pointer into its locals stand for it. A field's value
 * handed on (`open(s->path)`), a logger, a free: no. Unknown code, a
 * store of the pointer, returning it, a helper that keeps it: yes. */
static bool callee_keeps(const IrUnit *u, int fn, int param, int depth) {
  if (fn < 0 || depth > 4)
    return true;
  const IrFunc *f = u->funcs.v[fn];
  if (f->opaque)
    return true;
  int ps = -1;
  for (int s = 0; s < f->slots.n && ps < 0; s++)
    if (f->slots.v[s].base_kind == BASE_PARAM && f->slots.v[s].param == param)
      ps = s;
  if (ps < 0)
    return false; /* never named */
  bool *obj = eng_object_slots(f, ps, true);
  bool keeps = false;
  for (IrEvIter it = ir_events(f); ir_events_next(&it) && !keeps;) {
    const IrEvent *e = it.e;
    int s = e->kind == EV_COPY ? e->slot2 : e->slot;
    if (s < 0 || !obj[s])
      continue;
    const IrSlot *sl = &f->slots.v[s];
    switch (e->kind) {
    case EV_COPY:
      keeps = !sl->ops[0] && !obj[e->slot]; /* the pointer stored */
      break;
    case EV_ESCAPE:
      keeps = !sl->ops[0];
      break;
    case EV_CALL:
      if ((e->flags & EVF_FREE) || eng_logger_call(e) ||
          eng_field_value_call(f, e))
        break;
      keeps = e->callee < 0 ||
              (e->callee != fn && callee_keeps(u, e->callee, e->arg,
                                               depth + 1));
      break;
    default:
      break;
    }
  }
  xfree(obj);
  return keeps;
}

/* What an event does to the holder of a held object: gives it away (the
 * object is someone else's, as if stored), or frees it (the object is
 * lost with it). Called before the event's own effect. */
void run_holder_event(ObjRun *r, Config *c, const IrEvent *e) {
  if (r->holder < 0 || (c->flags & CF_ESCAPED) || !ts_holds(c->ts))
    return;
  const IrFunc *f = r->f;
  switch (e->kind) {
  case EV_COPY:
    /* The pointer itself copied anywhere: that copy may be kept. A
     * field's value copied (`id = l->id`) gives nothing away. */
    if (on_holder(r, e->slot2) && !f->slots.v[e->slot2].ops[0])
      c->flags |= CF_ESCAPED;
    break;
  case EV_CALL: {
    if (!on_holder(r, e->slot) || eng_logger_call(e) ||
        eng_field_value_call(f, e))
      return;
    const IrSlot *sl = &f->slots.v[e->slot];
    if ((e->flags & EVF_FREE) && !sl->ops[0] && !(e->flags & EVF_ADDR)) {
      if (r->create && (r->create->flags & EVF_STORAGE))
        return; /* the memory is the handle: freed_storage says it */
      Observation o = {.kind = OBS_LOST, .c = c, .slot = -1, .loc = e->loc,
                       .e = e};
      run_observe(r, &o);
      c->ts = TS_UNKNOWN; /* reported once */
      return;
    }
    if (e->flags & EVF_FREE)
      return; /* free(l->buf) frees a buffer l points to */
    if (e->callee < 0) {
      c->flags |= CF_ESCAPED; /* unknown code may keep it (list_add(&l->node)) */
      return;
    }
    /* A helper of the unit: does it keep the holder or give it away? */
    if (callee_keeps(r->cx->u, e->callee, e->arg, 0))
      c->flags |= CF_ESCAPED;
    break;
  }
  default:
    break;
  }
}
