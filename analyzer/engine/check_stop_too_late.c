/* check_stop_too_late.c: stop-too-late. The path returns after releasing
 * what a worker started in the function uses, while that worker may still
 * run (typically: the release is deferred cleanup and the worker was
 * detached, or never ends). */
#include "observe.h"

bool check_stop_too_late(const ObsCtx *cx, const Observation *o, Verdict *v) {
  if (o->kind != OBS_RACE)
    return false;
  const Race *x = o->race;
  const Config *c = o->c;
  int fn = cx->create->callee;
  bool never = fn >= 0 && cx->sums[fn].noreturn;
  const char *wname = fn >= 0 ? cx->u->funcs.v[fn]->name : NULL;
  v->message = arena_printf(
      cx->a, "'%s' is released %s while %s, which uses it, may still be "
      "running%s", x->what, obs_release_how(cx->a, x), obs_worker_desc(cx),
      never ? arena_printf(cx->a, ": %s() never returns", wname) : "");
  const Wit *w = c->w;
  if (never)
    w = eng_wit(cx->a, w, cx->u->funcs.v[fn]->loc,
                arena_printf(cx->a, "%s() never returns: no path leaves it",
                             wname));
  bool detached = c->ts == TS_DETACHED || c->ts == TS_UNKNOWN;
  w = eng_wit(cx->a, w, o->loc,
              !(c->flags & CF_RUNNING) ? "returning here"
              : detached ? "returning here: the detached worker may still be "
                           "running"
                         : "returning here: the worker was never joined");
  v->loc = x->e->loc;
  v->w = w;
  return true;
}
