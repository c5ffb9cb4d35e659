/* check_use_after_release.c: use-after-release. Arming, using, releasing
 * or joining an object that was already released, joined or detached:
 * double release, double join, join after detach, use after release. */
#include "observe.h"

bool check_use_after_release(const ObsCtx *cx, const Observation *o,
                             Verdict *v) {
  if (o->kind != OBS_USED_AFTER_END)
    return false;
  IrEventKind k = o->role;
  const char *what =
      (o->c->flags & CF_CLOSING) && k == EV_ARM
          ? "is started after it was closed: the start fails, and its "
            "result is not checked"
      : o->c->ts == TS_DETACHED ? "was already detached"
      : k == EV_RELEASE       ? "is released twice"
      : k == EV_JOIN          ? "is joined twice"
                              : (cx->thread ? "is used after it was joined"
                                            : "is used after it was released");
  const IrEvent *e = o->e;
  v->message = arena_printf(cx->a, "%s(): %s '%s' %s", o->api, obs_noun(cx),
                            cx->f->slots.v[e->slot >= 0 ? e->slot : 0].name,
                            what);
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, e->loc,
                 arena_printf(cx->a, "%s() here", o->api));
  return true;
}
