/* check_handle_discarded.c: handle-discarded. The creating call's result
 * is dropped, so nothing can ever stop or release what it made. */
#include "observe.h"

bool check_handle_discarded(const ObsCtx *cx, const Observation *o,
                            Verdict *v) {
  if (o->kind != OBS_DISCARDED)
    return false;
  const IrEvent *e = o->e;
  v->message = arena_printf(
      cx->a, "the handle returned by %s() is discarded: the %s can never be "
      "%s", e->api, obs_noun(cx),
      e->res == RES_THREAD ? "joined" : "stopped or released");
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, e->loc,
                 arena_printf(cx->a, "%s() called here", e->api));
  return true;
}
