/* observe.c: wording the checks share: how a lost object, a worker and a
 * release read in messages. */
#include "observe.h"

const Wit *eng_wit(Arena *a, const Wit *prev, IrLoc loc, const char *text) {
  if (!loc.file)
    return prev;
  Wit *w = arena_alloc(a, sizeof *w);
  w->prev = prev;
  w->loc = loc;
  w->text = text;
  return w;
}

const char *obs_lost_why(const ObsCtx *cx, const Observation *o) {
  if (o->e && o->e->slot >= 0) /* its holder freed */
    return arena_printf(cx->a, "before '%s', which holds it, is freed",
                        cx->f->slots.v[o->e->slot].name);
  if (o->slot < 0)
    return "before the function returns";
  return arena_printf(cx->a, "before '%s' is overwritten",
                      cx->f->slots.v[o->slot].name);
}

const char *obs_lost_note(const ObsCtx *cx, const Observation *o) {
  if (o->e && o->e->slot >= 0)
    return arena_printf(cx->a, "'%s' freed here by %s(): the %s it holds is "
                        "lost", cx->f->slots.v[o->e->slot].name, o->e->api,
                        obs_noun(cx));
  if (o->slot >= 0)
    return arena_printf(cx->a, "'%s' overwritten here: the previous %s is "
                        "lost", cx->f->slots.v[o->slot].name, obs_noun(cx));
  if (cx->create->res == RES_THREAD)
    return "returning here: the thread is neither joined nor detached";
  if (o->c->flags & CF_UNREFFED)
    return "returning here: it still runs, and its callback never removes "
           "it";
  return arena_printf(cx->a, "returning here without %s()",
                      cx->create->release_api ? cx->create->release_api
                                              : "a release");
}

const char *obs_worker_desc(const ObsCtx *cx) {
  int fn = cx->create->callee;
  const IrSlot *hs = cx->create->slot >= 0 ? &cx->f->slots.v[cx->create->slot]
                                           : NULL;
  if (hs && hs->key && hs->key->kind == KEY_REGISTRATION && fn >= 0)
    return arena_printf(cx->a, "the timeout %s() registered, running %s()",
                        cx->create->api, cx->u->funcs.v[fn]->name);
  if (fn < 0)
    return arena_printf(cx->a, "%s '%s'", obs_noun(cx), cx->handle);
  return arena_printf(cx->a, "%s '%s' running %s()", obs_noun(cx), cx->handle,
                      cx->u->funcs.v[fn]->name);
}

const char *obs_release_how(Arena *a, const Race *x) {
  return (x->e->flags & EVF_DEFERRED)
             ? arena_printf(a, "by deferred cleanup (%s)", x->e->why)
             : arena_printf(a, "by %s()", x->api ? x->api : "its release");
}
