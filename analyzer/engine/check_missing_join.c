/* check_missing_join.c: missing-join. A joinable thread made in the
 * function is lost (its last holder returns or is overwritten) neither
 * joined nor detached. */
#include "observe.h"

bool check_missing_join(const ObsCtx *cx, const Observation *o, Verdict *v) {
  const IrEvent *e = cx->create;
  if (o->kind != OBS_LOST || !e || e->res != RES_THREAD)
    return false;
  v->message = arena_printf(cx->a, "thread '%s' from %s() is neither joined "
                            "nor detached %s", cx->handle, e->api,
                            obs_lost_why(cx, o));
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, o->loc, obs_lost_note(cx, o));
  return true;
}
