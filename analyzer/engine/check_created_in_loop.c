/* check_created_in_loop.c: created-in-loop. The same creating call runs
 * again while the object it made last time lives and is held nowhere else:
 * only a loop around it can do that. */
#include "observe.h"

bool check_created_in_loop(const ObsCtx *cx, const Observation *o,
                           Verdict *v) {
  if (o->kind != OBS_RECREATED)
    return false;
  const IrEvent *e = o->e;
  v->message = arena_printf(
      cx->a, "%s '%s' from %s() is created again on each iteration while "
      "the previous one is still alive (never %s)", obs_noun(cx), cx->handle,
      e->api, e->res == RES_THREAD ? "joined or detached" : "released");
  v->loc = e->loc;
  v->w = o->slot >= 0
             ? eng_wit(cx->a, o->c->w, o->loc,
                       arena_printf(cx->a, "'%s' overwritten here on the next "
                                    "iteration: the previous %s is lost",
                                    cx->handle, obs_noun(cx)))
             : eng_wit(cx->a, o->c->w, e->loc,
                       arena_printf(cx->a, "%s() runs again here", e->api));
  return true;
}
