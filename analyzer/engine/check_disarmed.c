/* check_disarmed.c: disarmed-not-released. A timer made in the function
 * was stopped on the path that loses it: quiet, but its resources stay. */
#include "observe.h"

bool check_disarmed(const ObsCtx *cx, const Observation *o, Verdict *v) {
  const IrEvent *e = cx->create;
  if (o->kind != OBS_LOST || !e || e->res == RES_THREAD ||
      o->c->ts != TS_DISARMED)
    return false;
  v->message = arena_printf(cx->a, "timer '%s' from %s() is disarmed but "
                            "never released with %s() %s", cx->handle,
                            e->api,
                            e->release_api ? e->release_api : "its release",
                            obs_lost_why(cx, o));
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, o->loc, obs_lost_note(cx, o));
  return true;
}
