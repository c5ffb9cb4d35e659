/* link_collect.c: what one TU tells the link phase. Per TU,
 * eng_link_collect() records where timers kept in struct fields and globals
 * (IrSlot.key) are started and stopped, and what each function does to
 * its parameters (its summary as other TUs see it); link_check.c joins
 * these over a whole run.
 *
 * Flow-insensitive on purpose: the question is whether any code stops the
 * field, not on which path (the per-function typestate answers that for
 * what a function owns). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engineInt.h"

void eng_link_data_free(LinkData *d) {
  array_free(&d->facts);
  array_free(&d->sums);
}

static int stops_of(EngEffect e) {
  switch (e) {
  case EFF_RELEASE: case EFF_DISARM: case EFF_DETACH: case EFF_CANCEL:
  case EFF_CLOSE:
    return 1;
  case EFF_NONE: case EFF_USE: case EFF_ARM: return 0;
  default: return -1;
  }
}

static void fact(LinkData *out, const IrFunc *f, LinkFactKind k,
                 const IrKey *key, const IrEvent *e) {
  LinkFact x = {0};
  x.kind = k;
  x.key = key;
  x.api = e->api ? e->api : "";
  x.param = -1;
  x.fn_usr = f->usr;
  x.function = f->name;
  x.loc = e->loc;
  x.user = e->user;
  x.fn_start = f->loc.line;
  x.fn_end = f->end_line > f->loc.line ? f->end_line : f->loc.line;
  array_push(&out->facts, x);
}

/* Field keys of a function's slots; a local that is given a copy of a
 * field (`timer_t t = s->timer;`), or whose value a field is given
 * (`s->timer = t;`), stands for it when it is stopped. */
static const IrKey **slot_keys(const IrFunc *f) {
  const IrKey **key = xcalloc((size_t)(f->slots.n ? f->slots.n : 1),
                              sizeof *key);
  for (int s = 0; s < f->slots.n; s++)
    key[s] = f->slots.v[s].key;
  for (bool again = true; again;) {
    again = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind == EV_COPY && key[e->slot2] && !key[e->slot] &&
          f->slots.v[e->slot].local) {
        key[e->slot] = key[e->slot2];
        again = true;
      }
      /* g_timer = t: the local the field was given stands for it too (a
       * stop of t stops what the field holds). */
      if (e->kind == EV_COPY && key[e->slot] && !key[e->slot2] &&
          f->slots.v[e->slot2].local) {
        key[e->slot2] = key[e->slot];
        again = true;
      }
    }
  }
  return key;
}

/* The create that made what `slot` holds, when the function made it. */
static const IrEvent *created_into(const IrFunc *f, int slot) {
  for (IrEvIter it = ir_events(f); ir_events_next(&it);)
    if (it.e->kind == EV_CREATE && it.e->slot == slot &&
        it.e->res == RES_TIMER)
      return it.e;
  return NULL;
}

/* Fields whose value holds a way back to the object they are in: one
 * call of the unit was given both the object and that field's value, or
 * made the value from the object (`sep->lsep = avdtp_register_sep(...,
 * sep)`, `bus_add(dev->bus, dev)`). Unknown code given such a value may
 * reach the object (bluez's avdtp releases the stream, whose callback
 * removes sep's timer), so it is the object given away (#15 item 7). */
typedef EngKeyList KeyList;

static bool key_listed(const KeyList *l, const IrKey *k) {
  for (int i = 0; i < l->n; i++)
    if (!ir_key_cmp(l->v[i], k))
      return true;
  return false;
}

static void back_linked(const IrUnit *u, KeyList *out) {
  for (int fn = 0; fn < u->funcs.n; fn++) {
    const IrFunc *f = u->funcs.v[fn];
    for (int b = 0; b < f->blocks.n; b++) {
      const IrBlock *bl = &f->blocks.v[b];
      for (int i = 0; i < bl->ev.n;) {
        const IrEvent *e = &bl->ev.v[i];
        int j = i;
        while (j < bl->ev.n && bl->ev.v[j].kind == EV_CALL &&
               bl->ev.v[j].loc.line == e->loc.line &&
               bl->ev.v[j].loc.col == e->loc.col && bl->ev.v[j].slot >= 0)
          j++;
        if (j == i) {
          i++;
          continue;
        }
        /* Events i..j-1: one call's arguments; j: maybe its result. */
        for (int o = i; o < j; o++) {
          const IrSlot *obj = &f->slots.v[bl->ev.v[o].slot];
          if (obj->ops[0] || (bl->ev.v[o].flags & EVF_SCALAR))
            continue;
          for (int k = i; k <= j && k < bl->ev.n; k++) {
            const IrEvent *x = &bl->ev.v[k];
            if (k == j && x->kind != EV_ASSIGN)
              break;
            if (x->slot < 0)
              continue;
            const IrSlot *fs = &f->slots.v[x->slot];
            if (fs->key && fs->key->kind == KEY_FIELD && fs->ops[0] &&
                !strcmp(fs->base, obj->base) && !strchr(fs->ops + 1, '*') &&
                !key_listed(out, fs->key))
              array_push(out, fs->key);
          }
        }
        i = j;
      }
    }
  }
}


/* Which parameters each function hands on, itself or through functions
 * of the unit, to code without a body here (bit p: parameter p's value,
 * the object it points to): a teardown that calls such a helper with its
 * object has given the object away as surely as if it called that code
 * itself (wpa's deinit helpers pass wpa_s to other files' deinits). */
/* A call that hands on what its argument slot holds: not a free, not a
 * number, not the data a create gives its worker, not a logger. */
static bool hands_value(const IrEvent *e) {
  return e->kind == EV_CALL && e->slot >= 0 && !e->frees &&
         !(e->flags & (EVF_FREE | EVF_SCALAR | EVF_TO_WORKER | EVF_FORMAT));
}

static uint64_t *hands_on(const IrUnit *u) {
  int n = u->funcs.n;
  uint64_t *h = xcalloc((size_t)(n ? n : 1), sizeof *h);
  for (bool again = true; again;) {
    again = false;
    for (int fn = 0; fn < n; fn++) {
      const IrFunc *f = u->funcs.v[fn];
      if (f->opaque)
        continue;
      for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
        const IrEvent *e = it.e;
        if (!hands_value(e))
          continue;
        const IrSlot *sl = &f->slots.v[e->slot];
        if (sl->base_kind != BASE_PARAM || sl->ops[0] || sl->param >= 64)
          continue;
        bool on = e->callee < 0 ||
                  (e->callee != fn && e->arg >= 0 && e->arg < 64 &&
                   (h[e->callee] >> e->arg & 1));
        uint64_t bit = 1ull << sl->param;
        if (on && !(h[fn] & bit)) {
          h[fn] |= bit;
          again = true;
        }
      }
    }
  }
  return h;
}

/* Which object of the function a slot names, for the teardown paths:
 * parameter N's pointer itself (N), or the pointer a local variable holds
 * (LOCAL_NODE + the local's ordinal among the function's locals), -1 for
 * anything else (a field's value, an address). */
enum { LOCAL_NODE = 1000 };

static int obj_node(const IrFunc *f, int slot) {
  const IrSlot *sl = &f->slots.v[slot];
  if (sl->ops[0])
    return -1;
  if (sl->base_kind == BASE_PARAM)
    return sl->param;
  if (sl->base_kind != BASE_LOCAL)
    return -1;
  int k = 0;
  for (int s = 0; s < slot; s++)
    k += f->slots.v[s].base_kind == BASE_LOCAL && !f->slots.v[s].ops[0];
  return LOCAL_NODE + k;
}

/* Does the function hand the object `slot` points to (itself, a local copy
 * of the pointer, or the address of a part of it) to unknown code other
 * than the free `fr`? Then that code may stop its timers. The value of
 * another field (bus_unref(dev->bus), log_name(dev->name)) is not the
 * object: what it points to cannot reach dev->timer (#15 item 7); the
 * timer field itself handed over is the key's own maybe-stop.
 *
 * AWAY_NAMED: only the function's parameter `slot` is itself, and only to
 * named functions (of the unit, or with a USR): its LF_HANDS say where,
 * and the link phase follows them across files to see what they stop. */
typedef enum { AWAY_NONE, AWAY_NAMED, AWAY_UNKNOWN } Away;

static Away given_away(const IrFunc *f, int slot, const IrEvent *fr,
                       const KeyList *back, const uint64_t *hands) {
  bool *obj = eng_object_slots(f, slot, false);
  Away away = AWAY_NONE;
  for (IrEvIter it = ir_events(f); away != AWAY_UNKNOWN &&
                                   ir_events_next(&it);) {
    const IrEvent *e = it.e;
    /* A free wrapper of the unit (the free itself, through a helper) that
     * hands the object on hands it on too. */
    bool helper = e->kind == EV_CALL && e->callee >= 0 &&
                  e->slot >= 0 && obj[e->slot] &&
                  !f->slots.v[e->slot].ops[0] && !(e->flags & EVF_ADDR) &&
                  e->arg >= 0 && e->arg < 64 &&
                  (hands[e->callee] >> e->arg & 1); /* hands it on */
    bool other = !helper && e != fr && e->kind == EV_CALL && e->callee < 0 &&
                 e->slot >= 0 && !e->frees && !(e->flags & EVF_FREE) &&
                 !eng_logger_call(e) &&
                 obj[e->slot] &&
                 (!eng_field_value_call(f, e) ||
                  (f->slots.v[e->slot].key &&
                   key_listed(back, f->slots.v[e->slot].key)));
    /* Any other function of the unit given the object is on the path too
     * (what it stops counts; a header's stub may stand for another
     * build's function of its name). */
    bool unit = !helper && e != fr && e->kind == EV_CALL && e->callee >= 0 &&
                e->slot >= 0 && obj[e->slot] && !f->slots.v[e->slot].ops[0] &&
                !(e->flags & EVF_ADDR) && e->arg >= 0;
    if (unit && away == AWAY_NONE && obj_node(f, slot) >= 0 &&
        obj_node(f, e->slot) == obj_node(f, slot))
      away = AWAY_NAMED;
    if (!helper && !other)
      continue;
    bool named = obj_node(f, slot) >= 0 &&
                 obj_node(f, e->slot) == obj_node(f, slot) &&
                 !(e->flags & EVF_ADDR) && (helper || e->usr);
    away = named ? AWAY_NAMED : AWAY_UNKNOWN;
  }
  xfree(obj);
  return away;
}

/* Where each function hands its objects on (LF_HANDS): a parameter's or a
 * local's pointer itself given to another function, as hands_on() sees
 * it. */
static void hands_facts(const IrUnit *u, int fn, const IrKey *hands_key,
                        const char *const *guards, LinkData *out) {
  const IrFunc *f = u->funcs.v[fn];
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (!hands_value(e) || e->callee == fn || (e->flags & EVF_ADDR))
      continue;
    int node = obj_node(f, e->slot);
    if (node < 0)
      continue;
    fact(out, f, LF_HANDS, hands_key, e);
    LinkFact *x = &out->facts.v[out->facts.n - 1];
    x->param = node;
    x->arg = e->arg;
    x->guard = guards[it.block];
    x->consts = eng_hand_consts(f, it.block, it.index, x->guard, u->arena);
    if (e->callee >= 0) {
      x->callee = u->funcs.v[e->callee]->usr;
      x->api = u->funcs.v[e->callee]->name;
    } else if (e->usr && !strncmp(e->usr, "field:", 6)) {
      const char *dot = strrchr(e->usr, '.'); /* through a field: *init */
      x->callee = e->usr;
      x->api = arena_printf(u->arena, "*%s", dot ? dot + 1 : e->usr);
    } else if (e->usr) {
      x->callee = e->usr;
      x->api = eng_usr_name(e->usr);
    }
    if (e->later_usr) { /* and the function it runs with the object */
      LinkFact y = *x;
      y.callee = e->later_usr;
      y.api = eng_usr_name(e->later_usr);
      y.arg = e->later_param;
      array_push(&out->facts, y);
    }
  }
}


/* Does this free (in f, at block b, event i) end an object that may hold
 * a running timer? Not when the object is new memory no one was given
 * yet. (A static helper called only on such memory frees in its callers'
 * stead, where each call is judged: free_fact.) */
static bool frees_fresh(const IrUnit *u, int fn, int b, int i,
                        const IrEvent *fr) {
  const IrFunc *f = u->funcs.v[fn];
  const IrSlot *sl = &f->slots.v[fr->slot];
  return !sl->ops[0] && !(fr->flags & EVF_ADDR) &&
         eng_fresh_at(f, b, i, fr->slot);
}

/* Free wrappers (#19 item 2): which parameter each function of the unit
 * frees as a record (directly, `g_free(o)`, or through another wrapper
 * of the unit, `obj_free(o)` in `obj_unref(o)`), and of which type. A
 * call of one is a free of that record at the call, whatever the
 * function's name. To a fixpoint over the unit's calls. */
typedef struct {
  int param; /* -1: frees none of its parameters */
  const IrKey *rec;
  int depth; /* 1: frees it itself; 2: through a function that does */
} FreesParam;

static FreesParam *frees_params(const IrUnit *u) {
  int n = u->funcs.n;
  FreesParam *fp = xmalloc((size_t)(n ? n : 1) * sizeof *fp);
  for (int fn = 0; fn < n; fn++)
    fp[fn] = (FreesParam){-1, NULL, 0};
  for (bool again = true; again;) {
    again = false;
    for (int fn = 0; fn < n; fn++) {
      const IrFunc *f = u->funcs.v[fn];
      if (fp[fn].param >= 0 || f->opaque)
        continue;
      for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
        const IrEvent *e = it.e;
        if (e->kind != EV_CALL || e->slot < 0 || (e->flags & EVF_ADDR))
          continue;
        const IrSlot *sl = &f->slots.v[e->slot];
        if (sl->base_kind != BASE_PARAM || sl->ops[0])
          continue;
        /* Two levels at most: x_unref() -> x_destroy() -> free() is a
         * free; a function that takes a reference and drops it again
         * through x_unref() is not (bluez's notify_service_changed). */
        const IrKey *rec = e->frees;
        int depth = 1;
        if (!rec && e->callee >= 0 && e->callee != fn &&
            fp[e->callee].param == e->arg && fp[e->callee].depth == 1) {
          rec = fp[e->callee].rec;
          depth = 2;
        }
        if (rec) {
          fp[fn] = (FreesParam){sl->param, rec, depth};
          again = true;
          break;
        }
      }
    }
  }
  return fp;
}

/* The field key of `ops` below parameter `param` of function `fn`: its
 * own slot, or one of a function it hands the parameter on to (a summary
 * composes through calls, and so must the key: client_close(c) calling
 * client_free(c), which frees c->read_ev). `made`: the slot there is
 * filled by a create of that function. */
static const IrKey *key_below(const IrUnit *u, int fn, int param,
                              const char *ops, int depth, bool *made) {
  const IrFunc *g = u->funcs.v[fn];
  for (int k = 0; k < g->slots.n; k++) {
    const IrSlot *gs = &g->slots.v[k];
    if (gs->base_kind == BASE_PARAM && gs->param == param && gs->key &&
        !strcmp(gs->ops, ops)) {
      *made = created_into(g, k) != NULL;
      return gs->key;
    }
  }
  for (IrEvIter it = ir_events(g); depth > 0 && ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind != EV_CALL || e->callee < 0 || e->callee == fn ||
        e->slot < 0 || (e->flags & EVF_ADDR))
      continue;
    const IrSlot *sl = &g->slots.v[e->slot];
    if (sl->base_kind != BASE_PARAM || sl->param != param || sl->ops[0])
      continue;
    const IrKey *k = key_below(u, e->callee, e->arg, ops, depth - 1, made);
    if (k)
      return k;
  }
  return NULL;
}

/* The user-data a helper cancels the registration `k` with, when every
 * cancel of it in its body gives the same (sta_info_free()'s
 * eloop_cancel_timeout(h, hapd, NULL)); NULL, which matches every one,
 * otherwise. */
static const char *callee_user(const IrFunc *g, const IrKey *k) {
  if (k->kind != KEY_REGISTRATION)
    return NULL;
  const char *user = NULL;
  bool any = false;
  for (IrEvIter it = ir_events(g); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind != EV_RELEASE || e->slot < 0 || !g->slots.v[e->slot].key ||
        ir_key_cmp(g->slots.v[e->slot].key, k))
      continue;
    if (!e->user || (any && strcmp(e->user, user)))
      return NULL;
    user = e->user;
    any = true;
  }
  return user;
}

/* A call of a function of this unit given the object a field lives in
 * (`dev_stop(dev)`): what its summary does below the parameter, by the
 * field keys of the callee's slots (key_below). A helper that makes the
 * timer in the field itself (`s->retry_id = g_timeout_add(...)`, #15 item
 * 6) has said so in its own facts: that is no hand-off to unknown code. */
static void container_call(EngCtx *cx, const IrFunc *f, const IrEvent *e,
                           LinkData *out) {
  const EngSummary *s = eng_summary(cx, e->callee);
  for (int i = 0; s && i < s->entries.n; i++) {
    const EngSummaryEntry *en = &s->entries.v[i];
    if (en->param != e->arg || !en->ops[0] || !strcmp(en->ops, "*"))
      continue;
    int st = stops_of(en->effect);
    bool made = false;
    const IrKey *k = st != 0 ? key_below(cx->u, e->callee, en->param,
                                         en->ops, 4, &made)
                             : NULL;
    if (k && !(st < 0 && made)) {
      fact(out, f, st > 0 ? LF_STOP : LF_HIDE, k, e);
      out->facts.v[out->facts.n - 1].user =
          callee_user(cx->u->funcs.v[e->callee], k);
    }
  }
}

/* Must a stop end what the create makes before its data goes? Yes, unless
 * it ends on its own; a one-shot (#15 item 5) still must when its data is
 * an object the unit frees and the callback reads it without owning it. */
static bool needs_stop(EngCtx *cx, const IrFunc *f, const IrEvent *c) {
  if (c->flags & EVF_INERT)
    return false;
  int ds;
  return !(c->flags & EVF_DETACHED) || eng_oneshot_data_freer(cx, c, f, &ds);
}

/* Armed or created with a callback that may release what it gets. */
static bool by_callback(EngCtx *cx, const IrEvent *e) {
  return e->arg >= 0 &&
         eng_callback_may_release(cx, e->callee, e->arg,
                                  (unsigned)e->flags);
}

/* The parameter whose pointer the local `slot` holds wherever it is
 * written (`struct client *c = arg;` in a callback given its object as
 * void *): freeing the local frees what the function was given. -1 when
 * it is no such copy. */
static int param_copy(const IrFunc *f, int slot) {
  const IrSlot *sl = &f->slots.v[slot];
  if (sl->base_kind != BASE_LOCAL || sl->ops[0])
    return -1;
  int param = -1;
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if ((e->kind != EV_COPY && e->kind != EV_ASSIGN && e->kind != EV_CREATE) ||
        e->slot < 0 || strcmp(f->slots.v[e->slot].base, sl->base) ||
        f->slots.v[e->slot].ops[0])
      continue; /* what does not write the pointer */
    const IrSlot *src = e->kind == EV_COPY && e->slot2 >= 0
                            ? &f->slots.v[e->slot2] : NULL;
    if (!src || src->base_kind != BASE_PARAM || src->ops[0] ||
        (param >= 0 && param != src->param))
      return -1;
    param = src->param;
  }
  return param;
}

/* A free of the object `e` frees (`rec`), unless it is the end of a clean
 * teardown, the object went to unknown code first, or it is new memory. A
 * static function called only by name (no pointer to it) frees in its
 * callers' stead: its calls are the frees (a wrapper call in the caller,
 * with the caller's stops), not its own body. */
static void free_fact(EngCtx *cx, int fn, const IrEvIter *at, bool after,
                      const IrKey *rec, const FreesParam *fp,
                      LinkData *out) {
  const IrFunc *f = cx->u->funcs.v[fn];
  const IrEvent *e = at->e;
  const IrSlot *sl = &f->slots.v[e->slot];
  int param = sl->base_kind == BASE_PARAM && !sl->ops[0] &&
                      !(e->flags & EVF_ADDR)
                  ? sl->param
                  : -1;
  int node = (e->flags & EVF_ADDR) ? -1 : obj_node(f, e->slot);
  Away away = given_away(f, e->slot, e, &cx->back, cx->hands);
  if (after || away == AWAY_UNKNOWN || (away == AWAY_NAMED && node < 0) ||
      frees_fresh(cx->u, fn, at->block, at->index, e))
    return;
  if (param >= 0 && f->called_only && fp[fn].param == param &&
      cx->sums[fn].called)
    return; /* its callers' calls stand for it */
  fact(out, f, LF_FREE, rec, e);
  LinkFact *x = &out->facts.v[out->facts.n - 1];
  x->arg = param >= 0 ? param : param_copy(f, e->slot);
  x->param = node; /* where its teardown path starts */
  x->shared = away == AWAY_NAMED;
  if (e->callee >= 0) { /* through a wrapper: its name may say teardown */
    x->api = cx->u->funcs.v[e->callee]->name;
    x->callee = cx->u->funcs.v[e->callee]->usr;
  }
}

/* A function handed to a hook frees, at its end, what its parameter points
 * to (the framework does, once it returns): a teardown by what it does, as
 * if its last statement freed it (IrHook). */
static void hook_frees(const IrUnit *u, LinkData *out) {
  for (int i = 0; i < u->hooks.n; i++) {
    const IrHook *h = &u->hooks.v[i];
    for (int fn = 0; fn < u->funcs.n; fn++) {
      const IrFunc *f = u->funcs.v[fn];
      if (h->param < 0 || f->opaque || !f->usr || strcmp(f->usr, h->usr) ||
          h->param >= f->nparams)
        continue;
      IrEvent e = {0};
      e.api = h->api;
      e.loc = f->loc;
      e.loc.line = f->end_line > f->loc.line ? f->end_line : f->loc.line;
      e.loc.col = 1;
      fact(out, f, LF_FREE, h->rec, &e);
      LinkFact *x = &out->facts.v[out->facts.n - 1];
      x->arg = x->param = h->param;
      x->user = h->ctx ? h->ctx : "*"; /* a hook's free: its context */
      break;
    }
  }
}

/* Stops of a field through array elements (IrElemStop): a stop of the
 * field key where they are, as any other. */
static void elem_stop_facts(const IrFunc *f, LinkData *out) {
  for (int i = 0; i < f->elem_stops.n && !f->opaque; i++) {
    const IrElemStop *x = &f->elem_stops.v[i];
    IrEvent e = {0};
    e.api = x->api;
    e.loc = x->loc;
    fact(out, f, LF_STOP, x->key, &e);
    out->facts.v[out->facts.n - 1].async = x->async;
  }
}

static void collect_event(EngCtx *cx, int fn, const IrKey **key,
                          const IrEvIter *at, bool after,
                          const FreesParam *fp, LinkData *out) {
  const IrFunc *f = cx->u->funcs.v[fn];
  const IrEvent *e = at->e;
  if (e->kind == EV_CALL && e->frees && e->slot >= 0)
    free_fact(cx, fn, at, after, e->frees, fp, out);
  else if (e->kind == EV_CALL && e->callee >= 0 && e->callee != fn &&
           e->slot >= 0 && !(e->flags & EVF_ADDR) &&
           fp[e->callee].param == e->arg &&
           cx->u->funcs.v[e->callee]->called_only &&
           (!f->slots.v[e->slot].ops[0] || fp[e->callee].depth == 1))
    free_fact(cx, fn, at, after, fp[e->callee].rec, fp, out);
  if (e->kind == EV_CALL && e->callee >= 0 && e->slot >= 0 && !key[e->slot])
    container_call(cx, f, e, out);
  const char *all = eng_release_all(cx, e);
  if (all) {
    fact(out, f, LF_STOP_ALL, ir_key_all(cx->u->arena, all), e);
    out->facts.v[out->facts.n - 1].release_api = all;
  }
  if (e->slot < 0 || !key[e->slot])
    return;
  const IrKey *k = key[e->slot];
  bool stored = !f->slots.v[e->slot].local; /* outlives the function */
  switch (e->kind) {
  case EV_CREATE:
    if (stored && e->res == RES_TIMER && needs_stop(cx, f, e)) {
      fact(out, f, LF_START, k, e);
      out->facts.v[out->facts.n - 1].release_api = e->release_api;
      if (e->flags & EVF_ARMS) /* armed where it is made: a place armed */
        out->facts.v[out->facts.n - 1].arg = 2;
    }
    /* A thread kept in a field: only its teardowns are judged (#19 item
     * 5); one never joined at all may live for the program. */
    if (stored && e->res == RES_THREAD && !(e->flags & EVF_DETACHED)) {
      fact(out, f, LF_START, k, e);
      out->facts.v[out->facts.n - 1].release_api = e->release_api;
      out->facts.v[out->facts.n - 1].arg = 1;
    }
    if (by_callback(cx, e))
      fact(out, f, LF_HIDE, k, e);
    break;
  case EV_COPY: { /* s->timer = t, t created here */
    const IrEvent *c = stored ? created_into(f, e->slot2) : NULL;
    if (c && needs_stop(cx, f, c)) {
      fact(out, f, LF_START, k, e);
      out->facts.v[out->facts.n - 1].api = c->api;
      out->facts.v[out->facts.n - 1].release_api = c->release_api;
    }
    break;
  }
  case EV_ASSIGN:
    if (stored && e->usr) {
      fact(out, f, LF_FROM, k, e);
      out->facts.v[out->facts.n - 1].callee = e->usr;
    }
    break;
  case EV_ARM:
    if (stored && !(e->flags & EVF_INERT))
      fact(out, f, LF_START, k, e);
    if (by_callback(cx, e)) /* its callback may end it */
      fact(out, f, LF_HIDE, k, e);
    break;
  case EV_RELEASE: case EV_DISARM: case EV_JOIN: case EV_DETACH:
    fact(out, f, LF_STOP, k, e);
    out->facts.v[out->facts.n - 1].async = (e->flags & EVF_ASYNC) != 0;
    out->facts.v[out->facts.n - 1].shared =
        given_away(f, e->slot, NULL, &cx->back, cx->hands) != AWAY_NONE;
    break;
  case EV_CALL:
    if (e->callee >= 0) {
      const EngSummary *s = eng_summary(cx, e->callee);
      const char *ops = (e->flags & EVF_ADDR) ? "*" : "";
      int st = s ? 0 : -1;
      for (int i = 0; s && i < s->entries.n; i++)
        if (s->entries.v[i].param == e->arg &&
            !strcmp(s->entries.v[i].ops, ops))
          st = stops_of(s->entries.v[i].effect);
      if (st != 0) {
        fact(out, f, st > 0 ? LF_STOP : LF_HIDE, k, e);
        out->facts.v[out->facts.n - 1].user =
            callee_user(cx->u->funcs.v[e->callee], k);
      }
    } else if ((e->flags & EVF_FAMILY_API) && k->kind == KEY_FIELD) {
      /* The family's own API, and no stop its rules list. Only for a
       * record's field, whose storage some teardown frees: a global lives
       * for the program, and a one-shot in one that its own callback
       * re-arms (tmux's server_ev_tidy, behind evtimer_pending) is still
       * given the doubt. */
      break;
    } else if (e->usr) {
      fact(out, f, LF_PASS, k, e);
      LinkFact *x = &out->facts.v[out->facts.n - 1];
      x->callee = e->usr;
      x->arg = e->arg;
      x->addr = (e->flags & EVF_ADDR) != 0;
    } else {
      fact(out, f, LF_HIDE, k, e);
    }
    break;
  default:
    break;
  }
}

/* The creating API when the function returns a timer it made (a wrapper:
 * `return g_timeout_add(...)`, or `id = timer_new(); ...; return id;`). */
static const char *makes_timer(const IrFunc *f) {
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind != EV_CREATE || e->res != RES_TIMER ||
        (e->flags & (EVF_DETACHED | EVF_INERT | EVF_DISCARDED)))
      continue;
    if (e->slot < 0 && (e->flags & EVF_ESCAPED))
      return e->api; /* returned as it is made */
    for (IrEvIter r = ir_events(f); e->slot >= 0 && ir_events_next(&r);)
      if (r.e->kind == EV_ESCAPE && r.e->slot == e->slot)
        return e->api;
  }
  return NULL;
}

/* Functions that run once a release has completed (uv_close's close_cb):
 * freeing the object there is the end of a clean teardown, not a free
 * that leaves its timers running. */
static bool *after_release(const IrUnit *u) {
  bool *after = xcalloc((size_t)(u->funcs.n ? u->funcs.n : 1), sizeof *after);
  for (int fn = 0; fn < u->funcs.n; fn++)
    for (IrEvIter it = ir_events(u->funcs.v[fn]); ir_events_next(&it);)
      if (it.e->kind == EV_RELEASE && it.e->callee >= 0)
        after[it.e->callee] = true;
  return after;
}

/* A static function called only by name acts in its callers: the stops
 * (and maybe-stops) of its body count in each function that calls it,
 * transitively, as its frees do at the calls (free_fact). Then
 * `client_close(c)` calling `client_free(c)`, which deletes c->read_ev
 * and frees c, is a teardown that stops read_ev. `own[fn]`: the indices of
 * fn's stop-like facts, which this extends; per function, so the cost is
 * calls x facts of the two functions, not of the unit (it was 40% of
 * wpa's p2p_supplicant.c as a scan over all facts). */
typedef Array(int) IdxList;

static bool stop_like(const LinkFact *x) {
  return x->kind == LF_STOP || x->kind == LF_HIDE || x->kind == LF_PASS;
}

/* Where g calls h, the guard of the calls: one guard when every call has
 * it, else none. */
static const char *call_guard(const IrUnit *u, int g, int h,
                              const char *const *const *guards) {
  const char *gd = NULL;
  bool first = true;
  for (IrEvIter it = ir_events(u->funcs.v[g]); ir_events_next(&it);) {
    if (it.e->kind != EV_CALL || it.e->callee != h)
      continue;
    const char *x = guards[g] ? guards[g][it.block] : NULL;
    if (first)
      gd = x;
    else if (!gd || !x || strcmp(gd, x))
      return NULL;
    first = false;
  }
  return gd;
}

static void stops_to_callers(EngCtx *cx, LinkData *out, IdxList *own,
                             const char *const *const *guards) {
  const IrUnit *u = cx->u;
  /* The distinct (caller, called-only callee) pairs, once. */
  IdxList pairs = {0};
  for (int g = 0; g < u->funcs.n; g++)
    for (IrEvIter it = ir_events(u->funcs.v[g]); ir_events_next(&it);) {
      int h = it.e->callee;
      if (it.e->kind != EV_CALL || h < 0 || h == g ||
          !u->funcs.v[h]->called_only || !own[h].n)
        continue;
      bool seen = false;
      for (int i = 0; i < pairs.n && !seen; i += 2)
        seen = pairs.v[i] == g && pairs.v[i + 1] == h;
      if (!seen) {
        array_push(&pairs, g);
        array_push(&pairs, h);
      }
    }
  for (bool again = pairs.n > 0; again;) {
    again = false;
    for (int p = 0; p < pairs.n; p += 2) {
      int g = pairs.v[p], h = pairs.v[p + 1];
      const IrFunc *c = u->funcs.v[g];
      /* h's facts hold where g calls it (h's own guards are of h's
       * parameters: dropped, which only widens the path). */
      const char *gd = call_guard(u, g, h, guards);
      for (int i = 0; i < own[h].n; i++) {
        LinkFact x = out->facts.v[own[h].v[i]];
        bool have = false;
        for (int j = 0; j < own[g].n && !have; j++) {
          const LinkFact *y = &out->facts.v[own[g].v[j]];
          have = y->kind == x.kind && !ir_key_cmp(y->key, x.key);
        }
        if (have)
          continue;
        x.function = c->name;
        x.fn_usr = c->usr;
        x.guard = gd;
        x.fn_start = c->loc.line;
        x.fn_end = c->end_line > c->loc.line ? c->end_line : c->loc.line;
        array_push(&out->facts, x);
        array_push(&own[g], out->facts.n - 1);
        again = true;
      }
    }
  }
  array_free(&pairs);
}

void eng_link_collect(EngCtx *cx, LinkData *out) {
  const IrUnit *u = cx->u;
  bool *after = after_release(u);
  FreesParam *fp = frees_params(u);
  IdxList *own = xcalloc((size_t)(u->funcs.n ? u->funcs.n : 1), sizeof *own);
  const IrKey *hands_key = ir_key_all(u->arena, ""); /* all LF_HANDS */
  back_linked(u, &cx->back);
  cx->hands = hands_on(u);
  const char ***guards = xcalloc((size_t)(u->funcs.n ? u->funcs.n : 1),
                                 sizeof *guards);
  for (int fn = 0; fn < u->funcs.n; fn++)
    if (!u->funcs.v[fn]->opaque)
      guards[fn] = eng_param_guards(u->funcs.v[fn], u->arena);
  for (int fn = 0; fn < u->funcs.n; fn++) {
    const IrFunc *f = u->funcs.v[fn];
    if (f->opaque)
      continue;
    const IrKey **key = slot_keys(f);
    int first = out->facts.n;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      int before = out->facts.n;
      collect_event(cx, fn, key, &it, after[fn], fp, out);
      for (int i = before; i < out->facts.n; i++)
        out->facts.v[i].guard = guards[fn][it.block];
    }
    xfree(key);
    hands_facts(u, fn, hands_key, guards[fn], out);
    for (int i = first; i < out->facts.n; i++)
      if (stop_like(&out->facts.v[i]))
        array_push(&own[fn], i);
    const char *made = makes_timer(f);
    if (made) {
      LinkSummary x = {f->usr, -1, made, LS_MAKES};
      array_push(&out->sums, x);
    }
    LinkSummary body = {f->usr, LS_BODY, "", 0};
    array_push(&out->sums, body);
    /* What it does to its parameters, for calls from other TUs. */
    const EngSummary *s = eng_summary(cx, fn);
    for (int p = 0; s && p < f->nparams; p++) {
      bool any = false;
      for (int i = 0; i < s->entries.n; i++) {
        const EngSummaryEntry *en = &s->entries.v[i];
        if (en->param != p)
          continue;
        any = true;
        if (strcmp(en->ops, "") && strcmp(en->ops, "*"))
          continue;
        LinkSummary x = {f->usr, p, en->ops, stops_of(en->effect)};
        array_push(&out->sums, x);
      }
      if (!any) { /* a parameter it never touches it cannot stop */
        LinkSummary x = {f->usr, p, "", 0};
        array_push(&out->sums, x);
      }
    }
  }
  for (int i = 0; i < u->targets.n; i++) { /* what fields may call */
    LinkSummary x = {u->targets.v[i].field, LS_TARGET, u->targets.v[i].usr,
                     0};
    array_push(&out->sums, x);
  }
  hook_frees(u, out);
  for (int fn = 0; fn < u->funcs.n; fn++)
    elem_stop_facts(u->funcs.v[fn], out);
  stops_to_callers(cx, out, own, (const char *const *const *)guards);
  for (int fn = 0; fn < u->funcs.n; fn++) {
    array_free(&own[fn]);
    xfree(guards[fn]);
  }
  xfree(guards);
  xfree(own);
  array_free(&cx->back);
  xfree(cx->hands);
  cx->hands = NULL;
  xfree(after);
  xfree(fp);
}
