/* check_handle_discarded.c: handle-discarded. The creating call's result
 * is dropped, so nothing can ever stop or release what it made. */
#include "observe.h"

bool check_handle_discarded(const ObsCtx *cx, const Observation *o,
                            Verdict *v) {
  if (o->kind != OBS_DISCARDED)
    return false;
  const IrEvent *e = o->e;
  if (o->api) {
    const char *data = cx->f->slots.v[o->slot].name;
    v->message = arena_printf(
        cx->a, "the source id returned by %s() is discarded: it runs once, "
        "but later, and '%s' may be freed (%s()) before it does; nothing can "
        "remove it first", e->api, data, o->api);
    v->loc = e->loc;
    v->w = eng_wit(cx->a, o->c->w, e->loc,
                   arena_printf(cx->a, "%s() called here with '%s', which "
                                "%s() frees, as its data", e->api, data,
                                o->api));
    return true;
  }
  v->message = arena_printf(
      cx->a, "the handle returned by %s() is discarded: the %s can never be "
      "%s", e->api, obs_noun(cx),
      e->res == RES_THREAD ? "joined" : "stopped or released");
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, e->loc,
                 arena_printf(cx->a, "%s() called here", e->api));
  return true;
}
