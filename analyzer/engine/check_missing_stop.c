/* check_missing_stop.c: missing-stop. A timer made in the function is
 * lost (its last holder returns or is overwritten) while it may still
 * fire, or its storage dies while it is live. */
#include "observe.h"

bool check_missing_stop(const ObsCtx *cx, const Observation *o, Verdict *v) {
  const IrEvent *e = cx->create;
  if (!e || cx->thread)
    return false;
  const char *rel = e->release_api ? e->release_api : "its release";
  if (o->kind == OBS_LOST && (o->c->flags & CF_UNREFFED)) {
    v->message = arena_printf(cx->a, "source '%s' from %s() is attached and "
                              "its reference dropped, with the id dropped "
                              "too: it runs on and nothing can destroy it "
                              "%s", cx->handle, e->api, obs_lost_why(cx, o));
    v->loc = e->loc;
    v->w = eng_wit(cx->a, o->c->w, o->loc, obs_lost_note(cx, o));
    return true;
  }
  if (o->kind == OBS_LOST && o->c->ts != TS_DISARMED) {
    v->message = arena_printf(cx->a, "timer '%s' from %s() is not released "
                              "with %s() %s", cx->handle, e->api, rel,
                              obs_lost_why(cx, o));
    v->loc = e->loc;
    v->w = eng_wit(cx->a, o->c->w, o->loc, obs_lost_note(cx, o));
    return true;
  }
  if (o->kind == OBS_FREED_LIVE && !o->api) {
    v->message = arena_printf(cx->a, "timer '%s' from %s() is freed while "
                              "live, without %s(): the loop still links it",
                              cx->handle, e->api, rel);
    v->loc = e->loc;
    v->w = eng_wit(cx->a, o->c->w, o->e->loc,
                   arena_printf(cx->a, "'%s' freed here by %s() without %s()",
                                o->in->slots.v[o->e->slot].name, o->e->api,
                                rel));
    return true;
  }
  if (o->kind == OBS_FREED_LIVE) {
    const char *what = o->e->slot >= 0 ? o->in->slots.v[o->e->slot].name
                                        : "its storage";
    v->message = arena_printf(cx->a, "timer '%s' from %s() is freed by its "
                              "callback %s() without %s(): the loop still "
                              "links it", cx->handle, e->api, o->api, rel);
    v->loc = e->loc;
    const Wit *w = eng_wit(cx->a, o->c->w, o->loc,
                           arena_printf(cx->a, "callback %s() registered "
                                        "here", o->api));
    v->w = eng_wit(cx->a, w, o->e->loc,
                   arena_printf(cx->a, "'%s' freed here by %s() without %s()",
                                what, o->e->api, rel));
    return true;
  }
  if (o->kind != OBS_DESTROYED_LIVE)
    return false;
  bool deferred = (o->e->flags & EVF_DEFERRED) != 0;
  v->message = arena_printf(cx->a, "timer '%s' from %s() is destroyed while "
                            "live%s", cx->handle, e->api,
                            deferred ? "" : " (assigned over)");
  v->loc = e->loc;
  v->w = eng_wit(cx->a, o->c->w, deferred ? o->e->at : o->e->loc,
                 arena_printf(cx->a, "'%s' %s here while live",
                              cx->f->slots.v[o->e->slot].name,
                              deferred ? "destroyed" : "assigned over"));
  return true;
}
