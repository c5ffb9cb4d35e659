/* check_joinable_destroyed.c: thread-joinable-destroyed. A C++ thread
 * object dies (goes out of scope, is assigned over) while joinable:
 * std::thread's destructor then calls std::terminate(). */
#include "observe.h"

bool check_joinable_destroyed(const ObsCtx *cx, const Observation *o,
                              Verdict *v) {
  if (o->kind != OBS_DESTROYED_LIVE || !cx->thread)
    return false;
  bool deferred = (o->e->flags & EVF_DEFERRED) != 0;
  if (cx->create->flags & EVF_ADDS) {
    v->message = arena_printf(cx->a, "a thread added to '%s' by %s is still "
                              "joinable when '%s' is destroyed: "
                              "std::terminate() is called", cx->handle,
                              cx->create->api, cx->handle);
    v->loc = cx->create->loc;
    v->w = eng_wit(cx->a, o->c->w, deferred ? o->e->at : o->e->loc,
                   arena_printf(cx->a, "'%s' destroyed here with a joinable "
                                "thread in it", cx->handle));
    return true;
  }
  v->message = arena_printf(cx->a, "thread '%s' from %s() is destroyed while "
                            "joinable: std::terminate() is called%s",
                            cx->handle, cx->create->api,
                            deferred ? "" : " (assigned over)");
  v->loc = cx->create->loc;
  v->w = eng_wit(cx->a, o->c->w, deferred ? o->e->at : o->e->loc,
                 arena_printf(cx->a, "'%s' %s here while joinable",
                              cx->f->slots.v[o->e->slot].name,
                              deferred ? "destroyed" : "assigned over"));
  return true;
}
