/* worker.c: what a worker started in the function (a thread's start
 * routine and its data, a callback and its captures) reaches, and the
 * releases of it while the worker may still run (stop-too-late). */
#include "objrun.h"

static void note_late(ObjRun *r);

/* Does the worker reach the storage `ops` below base's variable? It gets
 * its data argument's value (or address) and reaches everything below. */
static bool worker_storage(const ObjRun *r, const IrSlot *base,
                           const char *ops) {
  for (int i = 0; r->create && i < r->create->nuses; i++) {
    const IrSlot *d = &r->f->slots.v[r->create->uses[i].slot];
    if (run_same_base(d, base) && ir_ops_extends(ops, d->ops))
      return true;
  }
  return false;
}

/* Slots that hold what the worker reaches: its storage, and whatever is
 * copied to or from it anywhere in the function (a guard holding a copy of
 * the timer id deletes the same timer; a struct the worker gets may hold a
 * copy of a local's timer). Flow-insensitive: a copy is the same value.
 * The worker's own handle slot holds the worker, not what it uses, even
 * when the worker gets the struct it lives in: `old = s->id; s->id =
 * g_idle_add(fn, s); g_source_remove(old);` removes another source (bluez
 * gdbus). */
void run_worker_reach(ObjRun *r) {
  const IrFunc *f = r->f;
  int own = r->create->slot;
  r->reach = xcalloc((size_t)(f->slots.n ? f->slots.n : 1), sizeof *r->reach);
  for (int s = 0; s < f->slots.n; s++)
    r->reach[s] = s != own &&
                  worker_storage(r, &f->slots.v[s], f->slots.v[s].ops);
  for (bool again = true; again;) {
    again = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind == EV_COPY && e->slot != own && e->slot2 != own &&
          r->reach[e->slot2] && !r->reach[e->slot]) {
        r->reach[e->slot] = true;
        again = true;
      }
    }
    for (int s = 0; s < f->slots.n; s++)
      for (int t = 0; t < f->slots.n && !r->reach[s] && s != own; t++)
        if (r->reach[t] && run_same_base(&f->slots.v[s], &f->slots.v[t]) &&
            ir_ops_extends(f->slots.v[s].ops, f->slots.v[t].ops)) {
          r->reach[s] = true;
          again = true;
        }
  }
  note_late(r);
}

/* Storing a value into what the worker reaches (`s->conn = copy`) makes
 * it reached from there on; the slots below the source, too. */
static void note_late(ObjRun *r) {
  const IrFunc *f = r->f;
  int own = r->create->slot;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind != EV_COPY || e->slot == own || e->slot2 == own ||
        !r->reach[e->slot] || r->reach[e->slot2])
      continue;
    for (int s = 0; s < f->slots.n; s++)
      if (!r->reach[s] && s != own &&
          run_same_base(&f->slots.v[s], &f->slots.v[e->slot2]) &&
          ir_ops_extends(f->slots.v[s].ops, f->slots.v[e->slot2].ops)) {
        struct LateReach l = {s, e};
        array_push(&r->late, l);
      }
  }
}

static bool find_event(const IrFunc *f, const IrEvent *e, int *b, int *i) {
  for (int k = 0; k < f->blocks.n; k++) {
    const IrBlock *bl = &f->blocks.v[k];
    if (bl->ev.n && e >= bl->ev.v && e < bl->ev.v + bl->ev.n) {
      *b = k;
      *i = (int)(e - bl->ev.v);
      return true;
    }
  }
  return false;
}

/* Does event i of block b give slot `kill` another value? */
static bool assigns(const IrFunc *f, int b, int i, int kill) {
  const IrEvent *e = &f->blocks.v[b].ev.v[i];
  return kill >= 0 && e->slot == kill &&
         (e->kind == EV_ASSIGN || e->kind == EV_COPY || e->kind == EV_CREATE);
}

/* Is slot `kill` given another value in block b's events [from, to)? */
static bool assigned_in(const IrFunc *f, int b, int from, int to, int kill) {
  for (int i = from; i < to; i++)
    if (assigns(f, b, i, kill))
      return true;
  return false;
}

/* Can control go from event `from` to event `to` without passing an
 * assignment of slot `kill` (-1: none)? Once `fd = -1;` ran after the copy
 * the worker got, fd holds something else. */
static bool event_reaches(const IrFunc *f, const IrEvent *from,
                          const IrEvent *to, int kill) {
  int fb, fi, tb, ti;
  if (!find_event(f, from, &fb, &fi) || !find_event(f, to, &tb, &ti))
    return true; /* unsure: reached */
  if (fb == tb && ti > fi)
    return !assigned_in(f, fb, fi + 1, ti, kill);
  if (assigned_in(f, fb, fi + 1, f->blocks.v[fb].ev.n, kill))
    return false;
  bool *seen = xcalloc((size_t)f->blocks.n, sizeof *seen);
  int *stack = xmalloc((size_t)f->blocks.n * sizeof *stack), sp = 0;
  bool found = false;
  for (int s = 0; s < f->blocks.v[fb].succ.n; s++) {
    int to_b = f->blocks.v[fb].succ.v[s].to;
    if (!seen[to_b]) {
      seen[to_b] = true;
      stack[sp++] = to_b;
    }
  }
  while (sp && !found) {
    int b = stack[--sp];
    if (b == tb && !assigned_in(f, b, 0, ti, kill)) {
      found = true;
      break;
    }
    if (assigned_in(f, b, 0, f->blocks.v[b].ev.n, kill))
      continue;
    for (int s = 0; s < f->blocks.v[b].succ.n; s++) {
      int to_b = f->blocks.v[b].succ.v[s].to;
      if (!seen[to_b]) {
        seen[to_b] = true;
        stack[sp++] = to_b;
      }
    }
  }
  xfree(seen);
  xfree(stack);
  return found;
}

bool run_worker_reaches_at(const ObjRun *r, int slot, const IrEvent *e) {
  const IrSlot *s = &r->f->slots.v[slot];
  if (s->key && s->key->kind == KEY_REGISTRATION)
    return false; /* another registration on the context, not its memory */
  if (run_worker_reaches(r, s, s->ops))
    return true;
  for (int i = 0; i < r->late.n; i++)
    if (r->late.v[i].slot == slot &&
        event_reaches(r->f, r->late.v[i].copy, e, slot))
      return true;
  return false;
}

bool run_worker_reaches(const ObjRun *r, const IrSlot *base,
                           const char *ops) {
  if (!r->reach)
    return false;
  if (worker_storage(r, base, ops))
    return true;
  int s = ir_slot_find(r->f, base->base, ops);
  return s >= 0 && r->reach[s];
}

/* Assigning `x` changes what a use reaches when the use goes through x's
 * value: the worker got s and s = next(s) now names another object. */
void run_uses_assigned(const ObjRun *r, Config *c, int slot) {
  if (slot < 0 || !(c->flags & CF_RUNNING))
    return;
  const IrSlot *x = &r->f->slots.v[slot];
  for (int i = 0; r->create && i < r->create->nuses; i++) {
    const IrUse *u = &r->create->uses[i];
    const IrSlot *d = &r->f->slots.v[u->slot];
    if (!run_same_base(x, d) || !ir_ops_extends(d->ops, x->ops))
      continue;
    const char *rest = d->ops + strlen(x->ops);
    if (strchr(rest, '*') || (!u->addr && rest[0] == 0))
      c->flags |= CF_USES_STALE;
  }
}

/* Something the running worker uses is released: remember it (once per
 * event, up to MAX_RACES a path). It is reported when the path returns (a
 * path that ends in exit() or a thread cancellation stops the worker with
 * it). */
void run_worker_race(ObjRun *r, Config *c, const IrEvent *e,
                        const char *what, const char *api) {
  if (!(c->flags & CF_RUNNING) || (c->flags & CF_USES_STALE) ||
      c->nraced == MAX_RACES)
    return;
  for (int i = 0; i < c->nraced; i++)
    if (c->raced[i]->e == e)
      return;
  Race *x = arena_alloc(r->a, sizeof *x);
  *x = (Race){e, what, api};
  c->raced[c->nraced++] = x;
  c->w = run_wit(r, c->w, (e->flags & EVF_DEFERRED) ? e->at : e->loc,
             arena_printf(r->a, "'%s' released here %s while %s still runs",
                          what, obs_release_how(r->a, x),
                          obs_worker_desc(&r->ox)));
}
