/* objrun.c: the typestate of one object along every path of one function:
 * the core that the checks (check_*.c) read through observations
 * (observe.h). It knows no rule ids and writes no finding messages.
 *
 * Forward dataflow over the CFG in reverse postorder, repeated until no set of
 * configurations changes (bounded: MAX_SWEEPS). Findings are collected as
 * candidates while sweeping and emitted once the object converged, so a
 * finding never rests on a half-computed state, and an object that does not
 * converge or overflows its configuration sets reports nothing (precision
 * first). */
#include <string.h>

#include "objrun.h"

/* eng_callback_frees_live for an arm of this object, once per arm event. */
static const IrEvent *callback_frees(ObjRun *r, const IrEvent *e) {
  for (int i = 0; i < r->nfreed_by_cb; i++)
    if (r->freed_by_cb[i].arm == e)
      return r->freed_by_cb[i].freed;
  const IrKey *container =
      r->create->slot >= 0 ? r->f->slots.v[r->create->slot].key : NULL;
  const IrEvent *fr = eng_callback_frees_live(r->cx, e->callee, e->arg,
                                              (unsigned)e->flags, container);
  if (r->nfreed_by_cb < 8) {
    r->freed_by_cb[r->nfreed_by_cb].arm = e;
    r->freed_by_cb[r->nfreed_by_cb++].freed = fr;
  }
  return fr;
}

/* Armed with a callback that may release the object it gets (closes its
 * own handle, directly or through container_of): the object is its
 * callback's to end, as if handed to an owner. */
static void handed_to_callback(ObjRun *r, Config *c, const IrEvent *e) {
  if ((e->kind == EV_CREATE || e->kind == EV_ARM || e->kind == EV_DISARM) &&
      e->arg >= 0 &&
      eng_callback_may_release(r->cx, e->callee, e->arg,
                               (unsigned)e->flags))
    c->flags |= CF_ESCAPED;
  if (!r->create || !ts_holds(c->ts) || e->arg < 0)
    return;
  /* The callback shows where heap storage that held the handle ends: in
   * its free(), with the handle still linked into the loop. */
  const IrEvent *fr = callback_frees(r, e);
  if (!fr)
    return;
  const IrFunc *cb = r->cx->u->funcs.v[e->callee];
  Observation o = {.kind = OBS_FREED_LIVE, .c = c, .e = fr, .loc = e->loc,
                   .api = cb->name, .in = cb};
  run_observe(r, &o);
  c->ts = TS_UNKNOWN; /* reported once */
}

/* A loop's teardown (here, or in a function called): every object its
 * release ends goes, unless the callback it runs on each provably leaves
 * them (it only counts them). */
static void release_all(ObjRun *r, Config *c, const IrEvent *e) {
  const IrEvent *cr = r->create;
  if (!cr || !ts_holds(c->ts) || !cr->release_api)
    return;
  const char *api = eng_release_all(r->cx, e);
  if (api && !strcmp(api, cr->release_api))
    c->ts = TS_UNKNOWN; /* released with every other: not ours to judge */
}

/* A role event (or a summary effect with the same meaning) on the object. */
static void apply_role(ObjRun *r, Config *c, IrEventKind k, const IrEvent *e,
                       const char *api) {
  if (k == EV_JOIN || k == EV_RELEASE)
    c->flags &= ~CF_RUNNING; /* waited for, or the source removed */
  /* Summarising a parameter: whatever unknown code did with it before
   * (event_get_base(self), a log call), a release here ends it, so the
   * function releases it (a callback that frees its own event). In a
   * create's run an unknown state stays: it may stand for a report made. */
  if (c->ts == TS_UNKNOWN && !r->create && !r->external &&
      (k == EV_RELEASE || k == EV_JOIN) &&
      !(e && (e->flags & (EVF_IF_LIVE | EVF_KEEPS_ARMED))))
    c->ts = TS_LIVE;
  if (c->ts == TS_UNKNOWN || c->ts == TS_NONE)
    return;
  c->flags |= CF_USED;
  if ((c->ts == TS_RELEASED || c->ts == TS_DETACHED) && e &&
      (e->flags & EVF_IF_LIVE))
    return;
  if (c->ts == TS_RELEASED && e &&
      ((((e->flags & EVF_IDEMPOTENT) || r->idempotent_call) &&
        k == EV_RELEASE) ||
       ((c->flags & CF_CLOSING) && k != EV_RELEASE && k != EV_JOIN &&
        !(k == EV_ARM && (e->flags & EVF_UNCHECKED)))))
    return; /* a keyed cancel again; a use the API answers with an error
               (unless nobody looks at it: a start that silently fails) */
  if ((c->ts == TS_RELEASED || c->ts == TS_DETACHED) && e &&
      e->kind == EV_USE && e->status >= 0)
    return; /* asking whether it is still there (a test's query) */
  if (c->ts == TS_RELEASED || c->ts == TS_DETACHED) {
    Observation o = {.kind = OBS_USED_AFTER_END, .c = c, .e = e, .role = k,
                     .api = api};
    run_observe(r, &o);
    c->ts = TS_UNKNOWN; /* one report per path is enough */
    return;
  }
  if (c->flags & CF_UNREFFED) {
    /* Its pointer was dropped: what the path still does with it is done
     * through a dangling name; destroying it ends it. */
    if (k == EV_DISARM || k == EV_RELEASE)
      c->ts = TS_RELEASED;
    return;
  }
  if (k == EV_USE && e && (e->flags & EVF_DETACHED))
    c->flags |= CF_SELF_ENDS;
  if (k == EV_RELEASE && e && (e->flags & EVF_KEEPS_ARMED) &&
      c->ts == TS_ARMED) {
    if (!(c->flags & CF_SELF_ENDS)) {
      c->flags |= CF_UNREFFED;
      c->w = run_wit(r, c->w, e->loc,
                     arena_printf(r->a, "%s() here drops the last pointer "
                                  "to it while it is attached", api));
    } else {
      c->ts = TS_UNKNOWN; /* its callback ends it */
    }
    return;
  }
  switch (k) {
  case EV_ARM:
    if (e && (e->flags & EVF_RETURNS_ID) && !(e->flags & EVF_UNCHECKED))
      c->flags |= CF_ESCAPED; /* its id is kept: it can be removed */
    if (c->ts != TS_DETACHED)
      c->ts = TS_ARMED;
    if (r->create && r->create->nuses && r->create->slot >= 0)
      c->flags |= CF_RUNNING; /* its callback can run from now on */
    if (e)
      handed_to_callback(r, c, e);
    break;
  case EV_DISARM:
    c->ts = TS_DISARMED;
    if (e && e->kind == EV_DISARM)
      handed_to_callback(r, c, e);
    c->w = run_wit(r, c->w, e->loc, arena_printf(r->a, "disarmed here by %s()", api));
    break;
  case EV_RELEASE:
  case EV_JOIN:
    if (!(e && ((e->flags & EVF_IDEMPOTENT) || r->idempotent_call)))
      c->flags |= CF_HARD_RELEASE;
    c->ts = TS_RELEASED;
    if (e && (e->flags & EVF_CLOSING))
      c->flags |= CF_CLOSING;
    c->w = run_wit(r, c->w, e->loc,
               arena_printf(r->a, "%s here by %s()",
                            k == EV_JOIN ? "joined" : "released", api));
    break;
  case EV_DETACH:
    c->ts = TS_DETACHED;
    c->w = run_wit(r, c->w, e->loc, arena_printf(r->a, "detached here by %s()", api));
    break;
  default:
    break;
  }
}

static bool holds_slot(const ObjRun *r, const Config *c, int slot) {
  return slot >= 0 && r->bit[slot] >= 0 && (c->slots >> r->bit[slot] & 1);
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
  if ((c->flags & CF_LOOPED) && !(c->flags & CF_ESCAPED)) {
    /* Lost on the next iteration of a loop around its create (a loop
     * body's `sd_event_source *s = NULL;`): one more each time round. */
    Observation o = {.kind = OBS_RECREATED, .c = c, .e = r->create,
                     .slot = slot, .loc = loc};
    run_observe(r, &o);
  } else {
    run_lost(r, c, loc, slot);
  }
  c->ts = TS_UNKNOWN;
}

/* Slots of the object reached by `base` + ops extending `ops`. */
static uint64_t slots_under(const ObjRun *r, const IrSlot *base,
                            const char *ops, bool exact) {
  uint64_t m = 0;
  for (int s = 0; s < r->f->slots.n; s++) {
    if (r->bit[s] < 0 || !run_same_base(&r->f->slots.v[s], base))
      continue;
    const char *so = r->f->slots.v[s].ops;
    if (exact ? strcmp(so, ops) == 0 : ir_ops_extends(so, ops))
      m |= 1ull << r->bit[s];
  }
  return m;
}


/* The data a create hands its callback (EVF_TO_WORKER with later_usr):
 * a callback of the unit that can end nothing it reaches through the data
 * (eng_worker_may_end) leaves the state of an object under the data as it
 * was. Anything else keeps the doubt: the callback runs later, and a
 * thread's runs beside us. */
static bool worker_leaves_alone(ObjRun *r, const IrEvent *e) {
  if (!(e->flags & EVF_TO_WORKER) || !e->later_usr)
    return false;
  int w = eng_fn_of_usr(r->cx, e->later_usr);
  return w >= 0 && !eng_worker_may_end(r->cx, w, e->later_param);
}

static void apply_call(ObjRun *r, Config *c, const IrEvent *e) {
  const IrFunc *f = r->f;
  const IrUnit *u = r->cx->u;
  if (c->flags & CF_IN_GLOBAL)
    c->flags &= ~CF_RUNNING; /* any function may join a global thread */
  release_all(r, c, e);
  if (e->slot < 0)
    return;
  if (r->create && (r->create->flags & EVF_ADDS) && holds_slot(r, c, e->slot)) {
    c->ts = TS_UNKNOWN; /* a container of threads handed to a function: what
                           it does to each element is not summarised */
    return;
  }
  const IrSlot *arg = &f->slots.v[e->slot];
  bool addr = (e->flags & EVF_ADDR) != 0;
  const EngSummary *s = e->callee >= 0 ? eng_summary(r->cx, e->callee) : NULL;
  if (!s && worker_leaves_alone(r, e))
    return;
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
    const char *ops = eng_compose_ops(r->a, f, e, en);
    int rs0 = ops ? ir_slot_find(f, arg->base, ops) : -1;
    if ((en->effect == EFF_RELEASE || en->effect == EFF_CANCEL ||
         en->effect == EFF_CLOSE) && ops &&
        (rs0 >= 0 ? run_worker_reaches_at(r, rs0, e) && !fact_unset(c, rs0)
                  : run_worker_reaches(r, arg, ops)) &&
        !(c->slots & slots_under(r, arg, ops, true))) {
      int rs = ir_slot_find(f, arg->base, ops);
      run_worker_race(r, c, e, rs >= 0 ? f->slots.v[rs].name : arg->name,
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
    case EFF_CANCEL:
      r->idempotent_call = true;
      apply_role(r, c, EV_RELEASE, e, callee);
      r->idempotent_call = false;
      break;
    case EFF_CLOSE:
      apply_role(r, c, EV_RELEASE, e, callee);
      if (c->ts == TS_RELEASED)
        c->flags |= CF_CLOSING;
      break;
    case EFF_DISARM: apply_role(r, c, EV_DISARM, e, callee); break;
    case EFF_DETACH: apply_role(r, c, EV_DETACH, e, callee); break;
    case EFF_ARM: apply_role(r, c, EV_ARM, e, callee); break;
    case EFF_USE: apply_role(r, c, EV_USE, e, callee); break;
    default: break;
    }
  }
}

/* Storage the running worker reaches can change under us: what a test
 * said about it before (w.done == 0) proves nothing after the start. */
static bool worker_shared(const ObjRun *r, int slot) {
  const IrSlot *s = &r->f->slots.v[slot];
  return run_worker_reaches(r, s, s->ops);
}

static void forget_shared(ObjRun *r, Config *c) {
  for (int i = c->nfacts - 1; i >= 0; i--)
    if (worker_shared(r, c->facts[i].var))
      config_kill_facts(c, c->facts[i].var);
}

/* An object that is the memory of a local of a function other than main()
 * (a uv_timer_t on the stack) dies at its return, even in a function that
 * runs once: still linked into its loop, it is a bug, not "reachable". */
static bool dies_here(const ObjRun *r) {
  return r->create && (r->create->flags & EVF_STORAGE) &&
         strcmp(r->f->name, "main") != 0;
}

/* Does a loop of the function hold the creating call? */
static bool create_looped(const ObjRun *r) {
  for (int b = 0; r->in_loop && b < r->f->blocks.n; b++)
    if (r->in_loop[b])
      return true;
  return false;
}

static void apply_create(ObjRun *r, Config *c, const IrEvent *e) {
  if ((e->flags & EVF_ADDS) && holds_slot(r, c, e->slot) &&
      (e != r->create || ts_holds(c->ts)))
    return; /* another thread added to the same container */
  if (e != r->create) {
    /* Another object lands in e->slot: whatever was there is overwritten. */
    run_uses_assigned(r, c, e->slot);
    drop_slot(r, c, e->slot, e->loc);
    if (e->status >= 0) {
      config_kill_facts(c, e->status);
      if (c->status == e->status)
        c->status = -1;
    }
    return;
  }
  if (!r->oneshot_known) {
    r->oneshot_slot = -1;
    r->oneshot_freer =
        (e->flags & EVF_DETACHED) && e->res == RES_TIMER
            ? eng_oneshot_data_freer(r->cx, e, r->f, &r->oneshot_slot)
            : NULL;
    r->oneshot_known = true;
  }
  int ds = r->oneshot_slot;
  const char *freer = r->oneshot_freer;
  /* A callback given the object that may end it owns it: the id is not
   * needed (a PulseAudio time event its callback frees). */
  bool owned = e->arg >= 0 &&
               eng_callback_may_release(r->cx, e->callee, e->arg,
                                        (unsigned)e->flags);
  if ((e->flags & EVF_DISCARDED) && !owned &&
      (!(e->flags & EVF_DETACHED) || freer)) {
    /* One-shot is not harmless: its data may be freed before it runs. */
    Observation o = {.kind = OBS_DISCARDED, .c = c, .e = e,
                     .api = freer, .slot = ds};
    if (!r->cx->lifetime[r->fn] || create_looped(r)) /* unless made once
                                                         for the program */
      run_observe(r, &o);
    c->ts = TS_UNKNOWN;
    return;
  }
  if (ts_holds(c->ts) && !(c->flags & CF_ESCAPED) && c->slots &&
      (c->slots & ~(e->slot >= 0 && r->bit[e->slot] >= 0
                        ? 1ull << r->bit[e->slot] : 0)) == 0) {
    /* The same creating call runs again while its previous object is alive
     * and held nowhere else: that can only be a loop around it. */
    Observation o = {.kind = OBS_RECREATED, .c = c, .e = e, .slot = -1};
    run_observe(r, &o);
  }
  if (e->slot >= 0)
    config_kill_facts(c, e->slot);
  if (e->status >= 0)
    config_kill_facts(c, e->status);
  /* A source that ends itself still must be removable while its data may
   * be freed before it runs (#15 item 5): the id lost at a return is a
   * leak like a dropped one. */
  bool detached = ((e->flags & EVF_DETACHED) && !freer) ||
                  (c->flags & CF_ATTR_DETACHED);
  if (e->slot2 >= 0 && r->f->slots.v[e->slot2].base_kind != BASE_LOCAL)
    detached = true; /* an attribute set up elsewhere: it may be detached */
  /* A detached thread needs no join; whether joining it later is an error
   * depends on which attribute path ran, so it is not tracked further. */
  c->ts = detached ? TS_UNKNOWN : (e->flags & EVF_ARMS) ? TS_ARMED : TS_LIVE;
  c->flags &= CF_ATTR_DETACHED;
  c->nraced = 0;
  if (e->nuses && e->slot >= 0) {
    forget_shared(r, c);
    if (e->res == RES_THREAD || (e->flags & EVF_ARMS))
      c->flags |= CF_RUNNING;
    if (r->f->slots.v[e->slot].base_kind == BASE_GLOBAL)
      c->flags |= CF_IN_GLOBAL;
  }
  c->slots = e->slot >= 0 && r->bit[e->slot] >= 0 ? 1ull << r->bit[e->slot] : 0;
  if ((e->flags & EVF_ESCAPED) || e->slot < 0 ||
      (!r->f->slots.v[e->slot].local && r->holder < 0))
    c->flags |= CF_ESCAPED;
  c->status = e->status;
  c->status_fail = e->fail;
  handed_to_callback(r, c, e);
  /* The path that proves a leak starts at the creation: branches before
   * it are not part of the story (clang's notes start there too). */
  c->w = run_wit(r, NULL, e->loc,
             arena_printf(r->a, "%s '%s' created here by %s()",
                          obs_noun(&r->ox), run_handle_name(r), e->api));
}

/* A C++ object dies where a live one must not (std::thread's destructor
 * terminates the process on a joinable thread). Its storage is gone. */
static void destroy(ObjRun *r, Config *c, const IrEvent *e) {
  if (!holds_slot(r, c, e->slot))
    return;
  if (r->create && ts_holds(c->ts)) {
    Observation o = {.kind = OBS_DESTROYED_LIVE, .c = c, .e = e};
    run_observe(r, &o);
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

/* free(t) of the memory that is the live handle (storage: true), or of the
 * record that embeds it: `*t` created by uv_timer_init(loop, t), or
 * `r->timer`, then free(t) / free(r) before uv_close. The handle being in
 * heap storage made it an escape; its end is here. */
static bool freed_storage(const ObjRun *r, const Config *c, const IrEvent *e) {
  const IrEvent *cr = r->create;
  if (!cr || !(cr->flags & EVF_STORAGE) || !ts_holds(c->ts) || e->slot < 0 ||
      cr->slot < 0 || !(c->slots & (r->bit[cr->slot] >= 0
                                        ? 1ull << r->bit[cr->slot] : 0)))
    return false;
  const IrSlot *fs = &r->f->slots.v[e->slot], *hs = &r->f->slots.v[cr->slot];
  if (!run_same_base(fs, hs) || (e->flags & EVF_ADDR))
    return false;
  return ir_ops_extends(hs->ops, arena_printf(r->a, "%s*", fs->ops));
}

/* Is `slot` a local copy of storage the worker reaches that this path
 * has since cleared (`g_clear_handle_id(&s->id, g_source_remove)`: id =
 * s->id; s->id = 0; remove(id))? The worker reads the cleared storage,
 * not the value released. */
static bool cleared_copy(const ObjRun *r, const Config *c, int slot) {
  const IrFunc *f = r->f;
  if (!f->slots.v[slot].local)
    return false;
  bool any = false;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind != EV_COPY || e->slot != slot)
      continue;
    bool zero = false;
    for (int i = 0; i < c->nfacts && !zero; i++)
      zero = c->facts[i].var == e->slot2 && c->facts[i].op == CMP_EQ &&
             c->facts[i].k == 0;
    if (!zero)
      return false;
    any = true;
  }
  return any;
}

/* A handle made elsewhere is whatever its path names: `et = it->second`,
 * `e = &p->e[i]` (each iteration), point the pointer the path goes
 * through at another object, which is live, and not ours. */
static bool renamed(const ObjRun *r, const IrEvent *e) {
  if (!r->external || e->slot < 0)
    return false;
  const IrSlot *ps = &r->f->slots.v[r->param_slot], *as = &r->f->slots.v[e->slot];
  return ps->ops[0] == '*' && !as->ops[0] && run_same_base(ps, as);
}

static void rename_external(ObjRun *r, Config *c) {
  config_kill_facts(c, r->param_slot);
  c->ts = TS_LIVE;
  c->slots = 1ull << r->bit[r->param_slot];
  c->flags = CF_ESCAPED;
  c->status = -1;
  c->w = NULL;
}

/* Applies one event; false when the path ends there (a call to a function
 * of this unit that never returns). */
static bool apply_event(ObjRun *r, Config *c, const IrEvent *e) {
  if (e->kind == EV_CALL && e->callee >= 0 && r->cx->sums[e->callee].noreturn)
    return false;
  if (e->kind == EV_ATTR_DETACHED || e->kind == EV_CALL)
    apply_attr(r, c, e);
  run_holder_event(r, c, e);
  switch (e->kind) {
  case EV_CREATE:
    apply_create(r, c, e);
    break;
  case EV_ARM: case EV_DISARM: case EV_RELEASE: case EV_JOIN: case EV_DETACH:
  case EV_USE:
    if (e->kind == EV_RELEASE && e->slot >= 0 && !holds_slot(r, c, e->slot) &&
        run_worker_reaches_at(r, e->slot, e) && !cleared_copy(r, c, e->slot) &&
        !fact_unset(c, e->slot)) /* fd = -1 first: handed over */
      run_worker_race(r, c, e, r->f->slots.v[e->slot].name, e->api);
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
  case EV_RELEASE_ALL:
    release_all(r, c, e);
    break;
  case EV_ESCAPE:
    if (e->slot >= 0 &&
        (c->slots & slots_under(r, &r->f->slots.v[e->slot],
                                r->f->slots.v[e->slot].ops, false)))
      c->flags |= CF_ESCAPED;
    break;
  case EV_COPY:
    if (renamed(r, e)) {
      rename_external(r, c);
      break;
    }
    run_uses_assigned(r, c, e->slot);
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
    if (renamed(r, e)) {
      rename_external(r, c);
      break;
    }
    if (e->slot >= 0 && e->slot == r->holder && (c->flags & CF_LOOPED) &&
        ts_holds(c->ts) && !(c->flags & CF_ESCAPED)) {
      /* The next iteration allocates the holder afresh for the same
       * create: last iteration's object is still alive in the old one. */
      Observation o = {.kind = OBS_RECREATED, .c = c, .e = r->create,
                       .slot = -1};
      run_observe(r, &o);
      c->ts = TS_UNKNOWN;
    }
    run_uses_assigned(r, c, e->slot);
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
    /* free(c) of the object a pending callback or a running thread gets:
     * the bug real projects fix most (a callback's data freed under it). */
    if (e->frees && e->slot >= 0 && !holds_slot(r, c, e->slot) &&
        run_worker_reaches_at(r, e->slot, e))
      run_worker_race(r, c, e, r->f->slots.v[e->slot].name, e->api);
    if (e->frees && freed_storage(r, c, e)) {
      Observation o = {.kind = OBS_FREED_LIVE, .c = c, .e = e, .loc = e->loc,
                       .in = r->f};
      run_observe(r, &o);
      c->ts = TS_UNKNOWN; /* reported once */
      break;
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
    c->w = run_wit(r, c->w, b->loc,
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
    if ((c->status == cd->var || own) &&
        (ts_holds(c->ts) || (c->flags & CF_RUNNING))) {
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
    if (!(c->flags & CF_RUNNING) || !worker_shared(r, cd->var))
      config_add_fact(c, cd->var, op, cd->k);
  }
  /* The note describes the condition as written, not the lowered test. */
  bool holds = (which == 0) != cd->text_negated;
  bool taken = holds != cd->branch_negated;
  c->w = run_wit(r, c->w, b->loc,
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
    r->exit_and = r->exits++ ? r->exit_and & c->flags : c->flags;
    return;
  }
  /* Returning from main() is exit(): the process ends, and with it every
   * timer and thread (Valgrind's "still reachable", not a leak); so does
   * what a function that runs once for the program (initServer) leaves. */
  bool once = r->cx->lifetime[r->fn] && !dies_here(r);
  /* A release under a running worker is no leak: a function main() calls
   * once returns into a program that goes on while the worker runs
   * (td14/telemetry_client.cpp:162). Only main's own return ends the
   * process. */
  if (!once || strcmp(r->f->name, "main"))
    for (int i = 0; i < c->nraced; i++) {
      Observation o = {.kind = OBS_RACE, .c = c, .loc = b->loc,
                       .race = c->raced[i]};
      run_observe(r, &o);
    }
  if (!once)
    run_lost(r, c, b->loc, -1);
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
    return !(r->exit_flags & CF_HARD_RELEASE) ? EFF_CANCEL
           : (r->exit_and & CF_CLOSING)       ? EFF_CLOSE
                                              : EFF_RELEASE;
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
  r.fn = fn;
  r.a = cx->u->arena;
  r.param_slot = param_slot;
  r.external = external;
  r.holder = -1;
  if (param_slot < 0) {
    r.create = &r.f->blocks.v[create_block].ev.v[create_index];
    r.holder = eng_holder_of(cx, r.f, r.create, create_block, create_index);
  }
  r.thread = r.create && r.create->res == RES_THREAD;
  for (IrEvIter it = ir_events(r.f); !r.create && ir_events_next(&it);) {
    if (it.e->slot == param_slot &&
        (it.e->kind == EV_JOIN || it.e->kind == EV_DETACH))
      r.thread = true;
    const EngSummaryEntry *en =
        external ? eng_call_ends(cx, r.f, it.e, param_slot) : NULL;
    if (en && en->thread)
      r.thread = true; /* a helper joins it */
  }
  r.ox = (ObsCtx){r.a, cx->u, cx->sums, r.f, r.create, run_handle_name(&r),
                  r.thread};
  EngEffect result = EFF_UNKNOWN;
  if (!run_compute_bits(&r, r.create ? r.create->slot : param_slot))
    goto done;
  run_compute_rpo(&r);
  if (r.create)
    run_compute_loops(&r, create_block);
  if (r.create && r.create->nuses)
    run_worker_reach(&r);
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
      cx->fn_steps += (uint64_t)r.in[b].n;
      if (cx->fn_steps > FN_STEP_BUDGET) {
        cx->fn_cut = r.overflow = true;
        break;
      }
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
          if (bl->succ.v[s].back && r.in_loop && r.in_loop[b]) {
            if (d.ts == TS_RELEASED || d.ts == TS_DETACHED)
              d.ts = TS_UNKNOWN;
            d.flags |= CF_LOOPED;
          }
          changed |= merge(&r, &r.in[bl->succ.v[s].to], &d);
        }
      }
    }
  }
  if (changed)
    r.overflow = true; /* did not converge: say nothing */
  if (r.create || r.external)
    run_emit(&r);
  else
    result = summarise(&r);

  for (int b = 0; b < r.f->blocks.n; b++)
    array_free(&r.in[b]);
  xfree(r.in);
  xfree(r.rpo);
  xfree(r.in_loop);
  xfree(r.reach);
  array_free(&r.late);
done:
  xfree(r.bit);
  array_free(&r.other);
  return result;
}
