/* objrun.c: the typestate of one object along every path of one function.
 *
 * Forward dataflow over the CFG in reverse postorder, repeated until no set of
 * configurations changes (bounded: MAX_SWEEPS). Findings are collected as
 * candidates while sweeping and emitted once the object converged, so a
 * finding never rests on a half-computed state, and an object that does not
 * converge or overflows its configuration sets reports nothing (precision
 * first). */
#include <string.h>

#include "engineInt.h"

typedef struct {
  CheckId chk;
  IrLoc loc;
  const char *message;
  const Wit *w;
} Candidate;

typedef struct {
  EngCtx *cx;
  const IrFunc *f;
  Arena *a;
  const IrEvent *create; /* NULL when summarising or external */
  int param_slot;
  bool external; /* a handle made elsewhere: only use-after-release */
  bool thread;   /* a thread handle (from the create, or joined/detached) */
  bool *in_loop; /* per block: in a loop whose body contains the create */
  bool *reach;   /* per slot: holds what the worker was given (or a copy) */
  int *bit;              /* slot -> bit, -1: cannot hold the object */
  int *rpo, nrpo;
  ConfigSet *in;
  bool overflow;
  Candidate leak; /* the best leak finding so far (one per object) */
  bool has_leak;
  Array(Candidate) other; /* use-after-release, handle-discarded */
  unsigned exit_ts;       /* summarising: typestates seen at returns */
  unsigned exit_flags;
  bool guarded_live;      /* summarising: reached a return still holding it
                             only where a test said the handle is unset */
  bool returns;
} ObjRun;

static const char *handle_name(const ObjRun *r) {
  int s = r->create ? r->create->slot : r->param_slot;
  return s >= 0 ? r->f->slots.v[s].name : "";
}

static const char *noun(const ObjRun *r) {
  return r->thread ? "thread" : "timer";
}

static const Wit *wit(ObjRun *r, const Wit *prev, IrLoc loc, const char *t) {
  if (!loc.file)
    return prev;
  Wit *w = arena_alloc(r->a, sizeof *w);
  w->prev = prev;
  w->loc = loc;
  w->text = t;
  return w;
}

static int leak_rank(CheckId c) {
  return c == CHK_THREAD_JOINABLE_DESTROYED ? 4
         : c == CHK_CREATED_IN_LOOP          ? 3
         : c == CHK_DISARMED                 ? 1
                                             : 2;
}

static void candidate(ObjRun *r, CheckId chk, IrLoc loc, const char *msg,
                      const Wit *w) {
  Candidate c = {chk, loc, msg, w};
  if (chk == CHK_USE_AFTER_RELEASE || chk == CHK_HANDLE_DISCARDED ||
      chk == CHK_STOP_TOO_LATE) {
    for (int i = 0; i < r->other.n; i++)
      if (r->other.v[i].chk == chk && r->other.v[i].loc.line == loc.line &&
          r->other.v[i].loc.col == loc.col &&
          r->other.v[i].loc.file == loc.file)
        return;
    array_push(&r->other, c);
    return;
  }
  if (!r->has_leak || leak_rank(chk) > leak_rank(r->leak.chk)) {
    r->leak = c;
    r->has_leak = true;
  }
}

/* The leak a held object amounts to when its last holder goes away. */
static void leak(ObjRun *r, const Config *c, IrLoc where, const char *why,
                 const char *note) {
  if (!r->create || !ts_holds(c->ts) || (c->flags & CF_ESCAPED))
    return;
  const IrEvent *e = r->create;
  bool thread = e->res == RES_THREAD;
  CheckId chk = thread ? CHK_MISSING_JOIN
                : c->ts == TS_DISARMED ? CHK_DISARMED
                                       : CHK_MISSING_STOP;
  const char *msg;
  if (chk == CHK_MISSING_JOIN)
    msg = arena_printf(r->a, "thread '%s' from %s() is neither joined nor "
                       "detached %s", handle_name(r), e->api, why);
  else if (chk == CHK_DISARMED)
    msg = arena_printf(r->a, "timer '%s' from %s() is disarmed but never "
                       "released with %s() %s", handle_name(r), e->api,
                       e->release_api ? e->release_api : "its release", why);
  else
    msg = arena_printf(r->a, "timer '%s' from %s() is not released with %s() "
                       "%s", handle_name(r), e->api,
                       e->release_api ? e->release_api : "its release", why);
  candidate(r, chk, e->loc, msg, wit(r, c->w, where, note));
}

static void use_after_release(ObjRun *r, const Config *c, const IrEvent *e,
                              const char *api, const char *what) {
  const char *msg = arena_printf(r->a, "%s(): %s '%s' %s", api, noun(r),
                                 r->f->slots.v[e->slot >= 0 ? e->slot : 0].name,
                                 what);
  candidate(r, CHK_USE_AFTER_RELEASE, e->loc, msg,
            wit(r, c->w, e->loc, arena_printf(r->a, "%s() here", api)));
}

static bool same_base(const IrSlot *a, const IrSlot *b);

/* Does the worker reach the storage `ops` below base's variable? It gets
 * its data argument's value (or address) and reaches everything below. */
static bool worker_storage(const ObjRun *r, const IrSlot *base,
                           const char *ops) {
  for (int i = 0; r->create && i < r->create->nuses; i++) {
    const IrSlot *d = &r->f->slots.v[r->create->uses[i].slot];
    if (same_base(d, base) && ir_ops_extends(ops, d->ops))
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
static void compute_reach(ObjRun *r) {
  const IrFunc *f = r->f;
  int own = r->create->slot;
  r->reach = xcalloc((size_t)(f->slots.n ? f->slots.n : 1), sizeof *r->reach);
  for (int s = 0; s < f->slots.n; s++)
    r->reach[s] = s != own &&
                  worker_storage(r, &f->slots.v[s], f->slots.v[s].ops);
  for (bool again = true; again;) {
    again = false;
    for (int b = 0; b < f->blocks.n; b++)
      for (int i = 0; i < f->blocks.v[b].ev.n; i++) {
        const IrEvent *e = &f->blocks.v[b].ev.v[i];
        if (e->kind == EV_COPY && e->slot != own && e->slot2 != own &&
            r->reach[e->slot2] != r->reach[e->slot]) {
          r->reach[e->slot] = r->reach[e->slot2] = true;
          again = true;
        }
      }
    for (int s = 0; s < f->slots.n; s++)
      for (int t = 0; t < f->slots.n && !r->reach[s] && s != own; t++)
        if (r->reach[t] && same_base(&f->slots.v[s], &f->slots.v[t]) &&
            ir_ops_extends(f->slots.v[s].ops, f->slots.v[t].ops)) {
          r->reach[s] = true;
          again = true;
        }
  }
}

static bool worker_reaches(const ObjRun *r, const IrSlot *base,
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
static void uses_assigned(const ObjRun *r, Config *c, int slot) {
  if (slot < 0 || !(c->flags & CF_RUNNING))
    return;
  const IrSlot *x = &r->f->slots.v[slot];
  for (int i = 0; r->create && i < r->create->nuses; i++) {
    const IrUse *u = &r->create->uses[i];
    const IrSlot *d = &r->f->slots.v[u->slot];
    if (!same_base(x, d) || !ir_ops_extends(d->ops, x->ops))
      continue;
    const char *rest = d->ops + strlen(x->ops);
    if (strchr(rest, '*') || (!u->addr && rest[0] == 0))
      c->flags |= CF_USES_STALE;
  }
}

static const char *worker_desc(const ObjRun *r) {
  int fn = r->create->callee;
  if (fn < 0)
    return arena_printf(r->a, "%s '%s'", noun(r), handle_name(r));
  return arena_printf(r->a, "%s '%s' running %s()", noun(r), handle_name(r),
                      r->cx->u->funcs.v[fn]->name);
}

static const char *release_how(ObjRun *r, const Race *x) {
  return (x->e->flags & EVF_DEFERRED)
             ? arena_printf(r->a, "by deferred cleanup (%s)", x->e->why)
             : arena_printf(r->a, "by %s()", x->api ? x->api : "its release");
}

/* Something the running worker uses is released: remember it (once per
 * event, up to MAX_RACES a path). It is reported when the path returns (a
 * path that ends in exit() or a thread cancellation stops the worker with
 * it). */
static void worker_race(ObjRun *r, Config *c, const IrEvent *e,
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
  c->w = wit(r, c->w, (e->flags & EVF_DEFERRED) ? e->at : e->loc,
             arena_printf(r->a, "'%s' released here %s while %s still runs",
                          what, release_how(r, x), worker_desc(r)));
}

/* The stop-too-late finding for a path that returns after a race. */
static void report_race(ObjRun *r, const Config *c, const Race *x,
                        IrLoc exit_loc) {
  int fn = r->create->callee;
  bool never = fn >= 0 && r->cx->sums[fn].noreturn;
  const char *msg = arena_printf(
      r->a, "'%s' is released %s while %s, which uses it, may still be "
      "running%s", x->what, release_how(r, x), worker_desc(r),
      never ? arena_printf(r->a, ": %s() never returns",
                           r->cx->u->funcs.v[fn]->name)
            : "");
  const Wit *w = c->w;
  if (never)
    w = wit(r, w, r->cx->u->funcs.v[fn]->loc,
            arena_printf(r->a, "%s() never returns: no path leaves it",
                         r->cx->u->funcs.v[fn]->name));
  bool detached = c->ts == TS_DETACHED || c->ts == TS_UNKNOWN;
  w = wit(r, w, exit_loc,
          !(c->flags & CF_RUNNING) ? "returning here"
          : detached ? "returning here: the detached worker may still be running"
                     : "returning here: the worker was never joined");
  candidate(r, CHK_STOP_TOO_LATE, x->e->loc, msg, w);
}

/* A role event (or a summary effect with the same meaning) on the object. */
static void apply_role(ObjRun *r, Config *c, IrEventKind k, const IrEvent *e,
                       const char *api) {
  bool thread = r->thread;
  if (k == EV_JOIN || k == EV_RELEASE)
    c->flags &= ~CF_RUNNING; /* waited for, or the source removed */
  if (c->ts == TS_UNKNOWN || c->ts == TS_NONE)
    return;
  c->flags |= CF_USED;
  if ((c->ts == TS_RELEASED || c->ts == TS_DETACHED) && e &&
      (e->flags & EVF_IF_LIVE))
    return;
  if (c->ts == TS_RELEASED || c->ts == TS_DETACHED) {
    const char *what =
        c->ts == TS_DETACHED ? "was already detached"
        : k == EV_RELEASE    ? "is released twice"
        : k == EV_JOIN       ? "is joined twice"
                             : (thread ? "is used after it was joined"
                                       : "is used after it was released");
    use_after_release(r, c, e, api, what);
    c->ts = TS_UNKNOWN; /* one report per path is enough */
    return;
  }
  switch (k) {
  case EV_ARM:
    if (c->ts != TS_DETACHED)
      c->ts = TS_ARMED;
    break;
  case EV_DISARM:
    c->ts = TS_DISARMED;
    c->w = wit(r, c->w, e->loc, arena_printf(r->a, "disarmed here by %s()", api));
    break;
  case EV_RELEASE:
  case EV_JOIN:
    c->ts = TS_RELEASED;
    c->w = wit(r, c->w, e->loc,
               arena_printf(r->a, "%s here by %s()",
                            k == EV_JOIN ? "joined" : "released", api));
    break;
  case EV_DETACH:
    c->ts = TS_DETACHED;
    c->w = wit(r, c->w, e->loc, arena_printf(r->a, "detached here by %s()", api));
    break;
  default:
    break;
  }
}

static bool holds_slot(const ObjRun *r, const Config *c, int slot) {
  return slot >= 0 && r->bit[slot] >= 0 && (c->slots >> r->bit[slot] & 1);
}

static uint64_t slots_under(const ObjRun *r, const IrSlot *base,
                            const char *ops, bool exact);

/* The path is assigned: the object leaves it and every path through it
 * (after p = q, p->timer is another object's field). */
static void drop_slot(ObjRun *r, Config *c, int slot, IrLoc loc) {
  if (slot < 0)
    return; /* a create into storage we do not track (an array element) */
  const IrSlot *sl = &r->f->slots.v[slot];
  uint64_t m = c->slots & slots_under(r, sl, sl->ops, false);
  if (!m)
    return;
  c->slots &= ~m;
  if (c->slots || !ts_holds(c->ts))
    return;
  if (!r->create) {
    c->flags |= CF_ESCAPED; /* a helper overwrote its caller's handle */
    return;
  }
  leak(r, c, loc,
       arena_printf(r->a, "before '%s' is overwritten",
                    r->f->slots.v[slot].name),
       arena_printf(r->a, "'%s' overwritten here: the previous %s is lost",
                    r->f->slots.v[slot].name, noun(r)));
  c->ts = TS_UNKNOWN;
}

static bool same_base(const IrSlot *a, const IrSlot *b) {
  return strcmp(a->base, b->base) == 0;
}

/* Slots of the object reached by `base` + ops extending `ops`. */
static uint64_t slots_under(const ObjRun *r, const IrSlot *base,
                            const char *ops, bool exact) {
  uint64_t m = 0;
  for (int s = 0; s < r->f->slots.n; s++) {
    if (r->bit[s] < 0 || !same_base(&r->f->slots.v[s], base))
      continue;
    const char *so = r->f->slots.v[s].ops;
    if (exact ? strcmp(so, ops) == 0 : ir_ops_extends(so, ops))
      m |= 1ull << r->bit[s];
  }
  return m;
}

/* Composes the caller's argument path with a callee parameter path. Returns
 * NULL when they do not meet (e.g. &x passed where the callee reads p.f). */
static const char *compose(Arena *a, const char *arg_ops, bool addr,
                           const char *rel) {
  if (addr) {
    if (rel[0] == 0)
      return NULL; /* the address itself: handled as "whole object" */
    if (rel[0] != '*')
      return NULL;
    rel++;
  }
  return arena_printf(a, "%s%s", arg_ops, rel);
}

static void apply_call(ObjRun *r, Config *c, const IrEvent *e) {
  const IrFunc *f = r->f;
  const IrUnit *u = r->cx->u;
  if (c->flags & CF_IN_GLOBAL)
    c->flags &= ~CF_RUNNING; /* any function may join a global thread */
  if (e->slot < 0)
    return;
  const IrSlot *arg = &f->slots.v[e->slot];
  bool addr = (e->flags & EVF_ADDR) != 0;
  const EngSummary *s = e->callee >= 0 ? eng_summary(r->cx, e->callee) : NULL;
  if (!s) {
    /* Unknown code (or a recursion still being summarised) may release,
     * store or keep anything it can reach. */
    if (c->slots & slots_under(r, arg, arg->ops, false)) {
      c->ts = TS_UNKNOWN;
      c->flags &= ~CF_RUNNING;
    }
    return;
  }
  const char *callee = u->funcs.v[e->callee]->name;
  for (int i = 0; i < s->entries.n; i++) {
    const EngSummaryEntry *en = &s->entries.v[i];
    if (en->param != e->arg || en->effect == EFF_NONE)
      continue;
    bool whole = en->effect == EFF_UNKNOWN || en->effect == EFF_ESCAPE;
    const char *ops = compose(r->a, arg->ops, addr, en->ops);
    if (en->effect == EFF_RELEASE && ops && worker_reaches(r, arg, ops) &&
        !(c->slots & slots_under(r, arg, ops, true))) {
      int rs = ir_slot_find(f, arg->base, ops);
      worker_race(r, c, e, rs >= 0 ? f->slots.v[rs].name : arg->name,
                  callee);
    }
    uint64_t m;
    if (!ops)
      m = whole && addr && en->ops[0] == 0
              ? slots_under(r, arg, arg->ops, false) : 0;
    else
      m = slots_under(r, arg, ops, !whole);
    if (!(c->slots & m))
      continue;
    switch (en->effect) {
    case EFF_UNKNOWN:
      c->ts = TS_UNKNOWN;
      c->flags &= ~CF_RUNNING;
      break;
    case EFF_ESCAPE: c->flags |= CF_ESCAPED; break;
    case EFF_RELEASE:
      apply_role(r, c, r->thread ? EV_JOIN : EV_RELEASE, e, callee);
      break;
    case EFF_DISARM: apply_role(r, c, EV_DISARM, e, callee); break;
    case EFF_DETACH: apply_role(r, c, EV_DETACH, e, callee); break;
    case EFF_ARM: apply_role(r, c, EV_ARM, e, callee); break;
    case EFF_USE: apply_role(r, c, EV_USE, e, callee); break;
    default: break;
    }
  }
}

static void apply_create(ObjRun *r, Config *c, const IrEvent *e) {
  if (e != r->create) {
    /* Another object lands in e->slot: whatever was there is overwritten. */
    uses_assigned(r, c, e->slot);
    drop_slot(r, c, e->slot, e->loc);
    if (e->status >= 0) {
      config_kill_facts(c, e->status);
      if (c->status == e->status)
        c->status = -1;
    }
    return;
  }
  if ((e->flags & EVF_DISCARDED) && !(e->flags & EVF_DETACHED)) {
    const char *msg = arena_printf(
        r->a, "the handle returned by %s() is discarded: the %s can never be "
        "%s", e->api, noun(r),
        e->res == RES_THREAD ? "joined" : "stopped or released");
    candidate(r, CHK_HANDLE_DISCARDED, e->loc, msg,
              wit(r, c->w, e->loc, arena_printf(r->a, "%s() called here",
                                                e->api)));
    c->ts = TS_UNKNOWN;
    return;
  }
  if (ts_holds(c->ts) && !(c->flags & CF_ESCAPED) && c->slots &&
      (c->slots & ~(e->slot >= 0 && r->bit[e->slot] >= 0
                        ? 1ull << r->bit[e->slot] : 0)) == 0) {
    /* The same creating call runs again while its previous object is alive
     * and held nowhere else: that can only be a loop around it. */
    const char *msg = arena_printf(
        r->a, "%s '%s' from %s() is created again on each iteration while "
        "the previous one is still alive (never %s)", noun(r), handle_name(r),
        e->api, e->res == RES_THREAD ? "joined or detached" : "released");
    candidate(r, CHK_CREATED_IN_LOOP, e->loc, msg,
              wit(r, c->w, e->loc,
                  arena_printf(r->a, "%s() runs again here", e->api)));
  }
  if (e->slot >= 0)
    config_kill_facts(c, e->slot);
  if (e->status >= 0)
    config_kill_facts(c, e->status);
  bool detached = (e->flags & EVF_DETACHED) || (c->flags & CF_ATTR_DETACHED);
  if (e->slot2 >= 0 && r->f->slots.v[e->slot2].base_kind != BASE_LOCAL)
    detached = true; /* an attribute set up elsewhere: it may be detached */
  /* A detached thread needs no join; whether joining it later is an error
   * depends on which attribute path ran, so it is not tracked further. */
  c->ts = detached ? TS_UNKNOWN : (e->flags & EVF_ARMS) ? TS_ARMED : TS_LIVE;
  c->flags &= CF_ATTR_DETACHED;
  c->nraced = 0;
  if (e->nuses && e->slot >= 0) {
    c->flags |= CF_RUNNING;
    if (r->f->slots.v[e->slot].base_kind == BASE_GLOBAL)
      c->flags |= CF_IN_GLOBAL;
  }
  c->slots = e->slot >= 0 && r->bit[e->slot] >= 0 ? 1ull << r->bit[e->slot] : 0;
  if ((e->flags & EVF_ESCAPED) || e->slot < 0 || !r->f->slots.v[e->slot].local)
    c->flags |= CF_ESCAPED;
  c->status = e->status;
  c->status_fail = e->fail;
  /* The path that proves a leak starts at the creation: branches before
   * it are not part of the story (clang's notes start there too). */
  c->w = wit(r, NULL, e->loc,
             arena_printf(r->a, "%s '%s' created here by %s()", noun(r),
                          handle_name(r), e->api));
}

/* A C++ object dies where a live one must not (std::thread's destructor
 * terminates the process on a joinable thread). Its storage is gone. */
static void destroy(ObjRun *r, Config *c, const IrEvent *e) {
  if (!holds_slot(r, c, e->slot))
    return;
  if (r->create && ts_holds(c->ts)) {
    const char *msg = arena_printf(
        r->a, "%s '%s' from %s() is destroyed while %s%s", noun(r),
        handle_name(r), r->create->api,
        r->thread ? "joinable: std::terminate() is called" : "live",
        (e->flags & EVF_DEFERRED) ? "" : " (assigned over)");
    IrLoc at = (e->flags & EVF_DEFERRED) ? e->at : e->loc;
    candidate(r, r->thread ? CHK_THREAD_JOINABLE_DESTROYED : CHK_MISSING_STOP,
              r->create->loc, msg,
              wit(r, c->w, at,
                  arena_printf(r->a, "'%s' %s here while %s",
                               r->f->slots.v[e->slot].name,
                               (e->flags & EVF_DEFERRED) ? "destroyed"
                                                         : "assigned over",
                               r->thread ? "joinable" : "live")));
    c->ts = TS_UNKNOWN;
  }
  c->slots &= ~(1ull << r->bit[e->slot]);
}

/* Events on the attribute object the create will be given. */
static void apply_attr(ObjRun *r, Config *c, const IrEvent *e) {
  int attr = r->create ? r->create->slot2 : -1;
  if (attr < 0 || e->slot < 0)
    return;
  const IrSlot *as = &r->f->slots.v[attr], *es = &r->f->slots.v[e->slot];
  if (strcmp(as->base, es->base) != 0)
    return;
  if (e->kind == EV_ATTR_DETACHED && e->slot == attr)
    c->flags |= CF_ATTR_DETACHED;
  else if (e->kind == EV_CALL && e->callee < 0)
    c->flags |= CF_ATTR_DETACHED; /* unknown code may set it detached */
}

/* Applies one event; false when the path ends there (a call to a function
 * of this unit that never returns). */
static bool apply_event(ObjRun *r, Config *c, const IrEvent *e) {
  if (e->kind == EV_CALL && e->callee >= 0 && r->cx->sums[e->callee].noreturn)
    return false;
  if (e->kind == EV_ATTR_DETACHED || e->kind == EV_CALL)
    apply_attr(r, c, e);
  switch (e->kind) {
  case EV_CREATE:
    apply_create(r, c, e);
    break;
  case EV_ARM: case EV_DISARM: case EV_RELEASE: case EV_JOIN: case EV_DETACH:
  case EV_USE:
    if (e->kind == EV_RELEASE && e->slot >= 0 && !holds_slot(r, c, e->slot) &&
        worker_reaches(r, &r->f->slots.v[e->slot], r->f->slots.v[e->slot].ops))
      worker_race(r, c, e, r->f->slots.v[e->slot].name, e->api);
    if (holds_slot(r, c, e->slot)) {
      apply_role(r, c, e->kind, e, e->api);
      if (e->status >= 0 && ts_holds(c->ts)) { /* a test: joinable() */
        c->status = e->status;
        c->status_fail = e->fail;
      }
    }
    break;
  case EV_DESTROY:
    destroy(r, c, e);
    break;
  case EV_ESCAPE:
    if (e->slot >= 0 &&
        (c->slots & slots_under(r, &r->f->slots.v[e->slot],
                                r->f->slots.v[e->slot].ops, false)))
      c->flags |= CF_ESCAPED;
    break;
  case EV_COPY:
    uses_assigned(r, c, e->slot);
    config_kill_facts(c, e->slot);
    for (int i = 0, n = c->nfacts; i < n; i++) /* a copy has its facts */
      if (c->facts[i].var == e->slot2)
        config_add_fact(c, e->slot, c->facts[i].op, c->facts[i].k);
    if (holds_slot(r, c, e->slot2)) {
      if (r->bit[e->slot] >= 0)
        c->slots |= 1ull << r->bit[e->slot];
      if (!r->f->slots.v[e->slot].local)
        c->flags |= CF_ESCAPED;
      if (r->f->slots.v[e->slot].base_kind == BASE_GLOBAL)
        c->flags |= CF_IN_GLOBAL;
    } else {
      drop_slot(r, c, e->slot, e->loc);
    }
    break;
  case EV_ASSIGN:
    uses_assigned(r, c, e->slot);
    config_kill_facts(c, e->slot);
    if (c->status == e->slot)
      c->status = -1;
    drop_slot(r, c, e->slot, e->loc);
    if (e->flags & EVF_CONST)
      config_add_fact(c, e->slot, CMP_EQ, e->k);
    break;
  case EV_CALL:
    if (e->slot >= 0) {
      config_kill_facts(c, e->slot);
      if (c->status == e->slot)
        c->status = -1;
    }
    apply_call(r, c, e);
    break;
  default:
    break;
  }
  return true;
}

/* Along a branch edge: prune configs the facts contradict, resolve the
 * creating call's status, learn the new fact. false = infeasible. */
static bool take_edge(ObjRun *r, Config *c, const IrBlock *b, int which) {
  const IrCond *cd = &b->cond;
  IrCmp op = which == 0 ? cd->op : cmp_negate(cd->op);
  if (b->term == TERM_INVOKE && which == 1) {
    c->w = wit(r, c->w, b->loc,
               arena_printf(r->a, "%s: the stack unwinds from here",
                            cd->text ? cd->text : "the call throws"));
    return true;
  }
  if (b->term != TERM_BRANCH)
    return true;
  if (cd->var >= 0) {
    for (int i = 0; i < c->nfacts; i++)
      if (c->facts[i].var == cd->var &&
          !facts_sat(c->facts[i].op, c->facts[i].k, op, cd->k))
        return false;
    /* The handle is its own status (fd = timerfd_create()): testing any
     * copy of it tests the status. */
    bool own = r->create && r->create->status >= 0 &&
               r->create->status == r->create->slot &&
               c->status == r->create->status && holds_slot(r, c, cd->var);
    if ((c->status == cd->var || own) && ts_holds(c->ts)) {
      int imp = fail_implied(c->status_fail, op, cd->k);
      if (imp > 0) {
        c->ts = TS_NONE;
        c->slots = 0;
        c->flags = 0;
        c->status = -1;
        c->nraced = 0;
      } else if (imp < 0) {
        c->status = -1;
      }
    }
    config_add_fact(c, cd->var, op, cd->k);
  }
  /* The note describes the condition as written, not the lowered test. */
  bool holds = (which == 0) != cd->text_negated;
  bool taken = holds != cd->branch_negated;
  c->w = wit(r, c->w, b->loc,
             arena_printf(r->a, "taking the %s branch: %s is %s",
                          taken ? "true" : "false",
                          cd->text ? cd->text : "the condition",
                          holds ? "true" : "false"));
  return true;
}

static bool config_key_eq(const Config *a, const Config *b) {
  if (a->ts != b->ts || a->flags != b->flags || a->slots != b->slots ||
      a->status != b->status || a->status_fail != b->status_fail ||
      a->nraced != b->nraced)
    return false;
  for (int i = 0; i < a->nraced; i++) /* a race is its event */
    if (a->raced[i]->e != b->raced[i]->e)
      return false;
  return true;
}

/* Merges c into set s; true when s changed. Facts intersect. */
static bool merge(ObjRun *r, ConfigSet *s, const Config *c) {
  for (int i = 0; i < s->n; i++) {
    Config *d = &s->v[i];
    if (!config_key_eq(d, c))
      continue;
    int j = 0;
    for (int x = 0; x < d->nfacts; x++) {
      bool keep = false;
      for (int y = 0; y < c->nfacts && !keep; y++)
        keep = d->facts[x].var == c->facts[y].var &&
               d->facts[x].op == c->facts[y].op &&
               d->facts[x].k == c->facts[y].k;
      if (keep)
        d->facts[j++] = d->facts[x];
    }
    bool changed = j != d->nfacts;
    d->nfacts = j;
    return changed;
  }
  if (s->n >= MAX_CONFIGS) {
    r->overflow = true;
    return false;
  }
  array_push(s, *c);
  return true;
}

/* A branch fact saying the handle in `slot` is unset: zero, negative. */
static bool fact_unset(const Config *c, int slot) {
  for (int i = 0; i < c->nfacts; i++) {
    const Fact *f = &c->facts[i];
    if (f->var == slot &&
        ((f->op == CMP_EQ && f->k <= 0) || (f->op == CMP_LT && f->k <= 0) ||
         (f->op == CMP_LE && f->k < 0)))
      return true;
  }
  return false;
}

static void at_exit(ObjRun *r, const Config *c, const IrBlock *b) {
  if (!r->create) {
    r->returns = true;
    /* `if (*fd >= 0) close(*fd);`: what a cleanup function looks like.
     * Holding on only where the handle tested unset is releasing it. */
    if (ts_holds(c->ts) && fact_unset(c, r->param_slot))
      r->guarded_live = true;
    else
      r->exit_ts |= 1u << c->ts;
    r->exit_flags |= c->flags;
    return;
  }
  for (int i = 0; i < c->nraced; i++)
    report_race(r, c, c->raced[i], b->loc);
  const IrEvent *e = r->create;
  const char *note =
      e->res == RES_THREAD
          ? "returning here: the thread is neither joined nor detached"
          : arena_printf(r->a, "returning here without %s()",
                         e->release_api ? e->release_api : "a release");
  leak(r, c, b->loc, "before the function returns", note);
}

static void rpo_visit(ObjRun *r, int b, bool *seen) {
  seen[b] = true;
  const IrBlock *bl = &r->f->blocks.v[b];
  for (int i = bl->succ.n - 1; i >= 0; i--)
    if (!seen[bl->succ.v[i].to])
      rpo_visit(r, bl->succ.v[i].to, seen);
  r->rpo[--r->nrpo] = b;
}

static void compute_rpo(ObjRun *r) {
  int n = r->f->blocks.n;
  bool *seen = xcalloc((size_t)n, sizeof *seen);
  r->rpo = xcalloc((size_t)n, sizeof *r->rpo);
  r->nrpo = n;
  rpo_visit(r, r->f->entry, seen);
  /* Unreachable blocks were never placed: shift the reachable ones down. */
  int off = r->nrpo;
  memmove(r->rpo, r->rpo + off, (size_t)(n - off) * sizeof *r->rpo);
  r->nrpo = n - off;
  xfree(seen);
}

/* Slots that may hold the object: its own, plus copies, to a fixpoint. */
static bool compute_bits(ObjRun *r, int seed) {
  const IrFunc *f = r->f;
  r->bit = xmalloc((size_t)(f->slots.n ? f->slots.n : 1) * sizeof *r->bit);
  for (int s = 0; s < f->slots.n; s++)
    r->bit[s] = -1;
  int nbits = 0;
  if (seed >= 0)
    r->bit[seed] = nbits++;
  for (bool again = true; again;) {
    again = false;
    for (int b = 0; b < f->blocks.n; b++)
      for (int i = 0; i < f->blocks.v[b].ev.n; i++) {
        const IrEvent *e = &f->blocks.v[b].ev.v[i];
        if (e->kind == EV_COPY && r->bit[e->slot2] >= 0 && r->bit[e->slot] < 0) {
          if (nbits == MAX_BITS)
            return false;
          r->bit[e->slot] = nbits++;
          again = true;
        }
      }
  }
  return true;
}

/* Marks the natural loop of every back edge whose body holds the creating
 * block: the blocks that reach the edge's source without passing through its
 * header. A released object crossing such a back edge is about to be created
 * afresh on the next iteration; a later release seen again on a path that
 * skips the creation (an inner loop run zero times after running once) is
 * usually infeasible, so that state is not carried across. */
static void compute_loops(ObjRun *r, int create_block) {
  const IrFunc *f = r->f;
  int n = f->blocks.n;
  r->in_loop = xcalloc((size_t)n, sizeof *r->in_loop);
  bool *body = xmalloc((size_t)n * sizeof *body);
  int *stack = xmalloc((size_t)n * sizeof *stack);
  for (int u = 0; u < n; u++)
    for (int i = 0; i < f->blocks.v[u].succ.n; i++) {
      if (!f->blocks.v[u].succ.v[i].back)
        continue;
      int h = f->blocks.v[u].succ.v[i].to, sp = 0;
      memset(body, 0, (size_t)n * sizeof *body);
      body[h] = true;
      if (!body[u])
        body[stack[sp++] = u] = true;
      while (sp) {
        const IrBlock *b = &f->blocks.v[stack[--sp]];
        for (int p = 0; p < b->pred.n; p++)
          if (!body[b->pred.v[p]])
            body[stack[sp++] = b->pred.v[p]] = true;
      }
      if (body[create_block])
        r->in_loop[u] = true; /* u's back edge closes a loop around it */
    }
  xfree(body);
  xfree(stack);
}

static void emit(ObjRun *r) {
  if (r->overflow)
    return;
  if (r->external) {
    for (int i = 0; i < r->other.n; i++)
      eng_add_finding(r->cx, r->f, r->other.v[i].chk, r->other.v[i].loc,
                      r->other.v[i].message, handle_name(r), "",
                      r->other.v[i].w);
    return;
  }
  if (r->has_leak)
    eng_add_finding(r->cx, r->f, r->leak.chk, r->leak.loc, r->leak.message,
                    handle_name(r), r->create->api, r->leak.w);
  for (int i = 0; i < r->other.n; i++)
    eng_add_finding(r->cx, r->f, r->other.v[i].chk, r->other.v[i].loc,
                    r->other.v[i].message, handle_name(r),
                    r->create ? r->create->api : "", r->other.v[i].w);
}

static EngEffect summarise(const ObjRun *r) {
  if (r->overflow || (r->exit_ts & 1u << TS_UNKNOWN))
    return EFF_UNKNOWN;
  if (!r->returns)
    return EFF_NONE;
  if (r->exit_flags & CF_ESCAPED)
    return EFF_ESCAPE;
  unsigned t = r->exit_ts;
  if (r->guarded_live && t != 1u << TS_RELEASED)
    t |= 1u << TS_LIVE;
  if (t == 1u << TS_RELEASED)
    return EFF_RELEASE;
  if (t == 1u << TS_DETACHED)
    return EFF_DETACH;
  if (t == 1u << TS_DISARMED)
    return EFF_DISARM;
  if (t == 1u << TS_ARMED)
    return EFF_ARM;
  if (t == 1u << TS_LIVE)
    return (r->exit_flags & CF_USED) ? EFF_USE : EFF_NONE;
  return EFF_UNKNOWN; /* released or stopped on some paths only */
}

EngEffect eng_run_object(EngCtx *cx, int fn, int create_block,
                         int create_index, int param_slot, bool external) {
  ObjRun r = {0};
  r.cx = cx;
  r.f = cx->u->funcs.v[fn];
  r.a = cx->u->arena;
  r.param_slot = param_slot;
  r.external = external;
  if (param_slot < 0)
    r.create = &r.f->blocks.v[create_block].ev.v[create_index];
  r.thread = r.create && r.create->res == RES_THREAD;
  for (int b = 0; b < r.f->blocks.n && !r.create; b++)
    for (int i = 0; i < r.f->blocks.v[b].ev.n; i++) {
      const IrEvent *e = &r.f->blocks.v[b].ev.v[i];
      if (e->slot == param_slot && (e->kind == EV_JOIN || e->kind == EV_DETACH))
        r.thread = true;
    }
  EngEffect result = EFF_UNKNOWN;
  if (!compute_bits(&r, r.create ? r.create->slot : param_slot))
    goto done;
  compute_rpo(&r);
  if (r.create)
    compute_loops(&r, create_block);
  if (r.create && r.create->nuses)
    compute_reach(&r);
  r.in = xcalloc((size_t)r.f->blocks.n, sizeof *r.in);
  Config init = {0};
  init.ts = TS_NONE;
  init.status = -1;
  if (!r.create) {
    init.ts = TS_LIVE;
    init.slots = 1;
    if (external)
      init.flags = CF_ESCAPED; /* not ours to release: no leak findings */
  }
  array_push(&r.in[r.f->entry], init);

  bool changed = true;
  int sweeps = 0;
  for (; changed && sweeps < MAX_SWEEPS && !r.overflow; sweeps++) {
    changed = false;
    for (int i = 0; i < r.nrpo; i++) {
      int b = r.rpo[i];
      const IrBlock *bl = &r.f->blocks.v[b];
      for (int ci = 0; ci < r.in[b].n; ci++) {
        Config c = r.in[b].v[ci];
        if (c.ts == TS_UNKNOWN && !(c.flags & CF_RUNNING) && !c.nraced &&
            (r.create || r.external))
          continue; /* nothing left to find on this path */
        bool alive = true;
        for (int k = 0; k < bl->ev.n && alive; k++)
          alive = apply_event(&r, &c, &bl->ev.v[k]);
        if (!alive || bl->term == TERM_NORETURN)
          continue;
        if (bl->term == TERM_RETURN)
          at_exit(&r, &c, bl);
        for (int s = 0; s < bl->succ.n; s++) {
          Config d = c;
          if (!take_edge(&r, &d, bl, s))
            continue;
          if (bl->succ.v[s].back && r.in_loop && r.in_loop[b] &&
              (d.ts == TS_RELEASED || d.ts == TS_DETACHED))
            d.ts = TS_UNKNOWN;
          changed |= merge(&r, &r.in[bl->succ.v[s].to], &d);
        }
      }
    }
  }
  if (changed)
    r.overflow = true; /* did not converge: say nothing */
  if (r.create || r.external)
    emit(&r);
  else
    result = summarise(&r);

  for (int b = 0; b < r.f->blocks.n; b++)
    array_free(&r.in[b]);
  xfree(r.in);
  xfree(r.rpo);
  xfree(r.in_loop);
  xfree(r.reach);
done:
  xfree(r.bit);
  array_free(&r.other);
  return result;
}
