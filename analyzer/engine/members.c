/* members.c: C++ thread members nothing ever ends (#12 class 7).
 *
 * A std::thread member started in a constructor or a member function is
 * destroyed with its object, after the destructor's body: joinable then,
 * std::terminate() runs. Which member function runs before destruction is
 * the caller's business, so the question is flow-insensitive: does any
 * function of the unit join, detach, move out, or hand on that member?
 * Asked only of a record defined in the unit's main file, whose member
 * functions are then all here (a class in a header may have them
 * elsewhere: that is the link phase's question). */
#include <string.h>

#include "engineInt.h"

/* Does event `e` (in f) end or give away what a slot keyed `key` holds? */
static bool ends_member(const IrFunc *f, const IrEvent *e, const IrKey *key) {
  int s = e->kind == EV_COPY ? e->slot2 : e->slot;
  if (s < 0 || !f->slots.v[s].key || ir_key_cmp(f->slots.v[s].key, key))
    return false;
  switch (e->kind) {
  case EV_JOIN: case EV_DETACH: case EV_RELEASE: case EV_ESCAPE:
  case EV_COPY: case EV_CALL:
    return true;
  default:
    return false;
  }
}

static bool ended_anywhere(const IrUnit *u, const IrKey *key) {
  for (int fn = 0; fn < u->funcs.n; fn++)
    for (IrEvIter it = ir_events(u->funcs.v[fn]); ir_events_next(&it);)
      if (ends_member(u->funcs.v[fn], it.e, key))
        return true;
  return false;
}

void eng_check_members(EngCtx *cx) {
  const IrUnit *u = cx->u;
  if (!u->main_file)
    return;
  for (int fn = 0; fn < u->funcs.n; fn++) {
    const IrFunc *f = u->funcs.v[fn];
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind != EV_CREATE || !(e->flags & EVF_DTOR_CHECKS) ||
          e->slot < 0)
        continue;
      const IrKey *key = f->slots.v[e->slot].key;
      if (!key || key->kind != KEY_FIELD || !key->rec.file ||
          strcmp(key->rec.file, u->main_file) != 0 ||
          ended_anywhere(u, key))
        continue;
      Arena *a = u->arena;
      const char *shown = ir_key_display(a, key);
      const Wit *w = eng_wit(a, NULL, e->loc,
                             arena_printf(a, "thread %s started here by %s()",
                                          shown, e->api));
      w = eng_wit(a, w, e->loc,
                  arena_printf(a, "no function in this file joins, detaches "
                               "or moves %s: it is destroyed joinable with "
                               "its object", shown));
      eng_add_finding(
          cx, f, CHK_THREAD_JOINABLE_DESTROYED, e->loc,
          arena_printf(a, "thread member %s from %s() is never joined or "
                       "detached: destroying its object calls "
                       "std::terminate()", shown, e->api),
          f->slots.v[e->slot].name, e->api, w);
    }
  }
}
