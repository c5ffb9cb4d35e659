/* held.c: a stored handle overwritten while the path has seen that it
 * holds one (#19 item 1). The per-object runs start at a create; a field
 * filled in another function has no create here, but the code often says
 * itself that it holds a timer: `if (!l->blink_id) return;`, `if
 * (c->ev != NULL)`. For handles that are their own status (a source id,
 * an event pointer: 0 means none), such a test makes the field held on
 * that path, and an overwrite (0, NULL, a new create) before anything
 * removes it or hands it on loses the old timer, which keeps firing.
 *
 * A small path walk per field slot, with two states (unknown, held) and
 * the test that made it held as the witness. Conservative: any event on
 * the field other than a plain read of the test, any call given it or
 * its object, and any copy of it end the walk's interest. */
#include <string.h>

#include "checks.h"
#include "engineInt.h"

/* The create of the unit that fills storage of key `k` with a handle that
 * is its own status, 0 meaning none (what makes a test of it meaningful). */
/* The unit's creates and arms into keyed storage, collected once per unit
 * (cx->keyed): what a tested field's template and callbacks are read from. */
const EngKeyed *eng_keyed(EngCtx *cx) {
  if (cx->keyed_done)
    return &cx->keyed;
  cx->keyed_done = true;
  const IrUnit *u = cx->u;
  for (int fn = 0; fn < u->funcs.n; fn++) {
    const IrFunc *f = u->funcs.v[fn];
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if ((e->kind == EV_CREATE || e->kind == EV_ARM) && e->slot >= 0 &&
          f->slots.v[e->slot].key) {
        EngKeyedEvent k = {f->slots.v[e->slot].key, e};
        array_push(&cx->keyed, k);
      }
    }
  }
  return &cx->keyed;
}

static const IrEvent *template_create(EngCtx *cx, const IrKey *k,
                                      int fn_of_interest, bool *its_cb) {
  const IrEvent *tmpl = NULL;
  const EngKeyed *all = eng_keyed(cx);
  *its_cb = false;
  for (int i = 0; i < all->n; i++) {
    const IrEvent *e = all->v[i].e;
    if (ir_key_cmp(all->v[i].key, k))
      continue;
    if (e->callee == fn_of_interest)
      *its_cb = true;
    if (!tmpl && e->kind == EV_CREATE && e->res == RES_TIMER &&
        (k->kind == KEY_REGISTRATION ||
         (e->status == e->slot && e->fail == FAIL_ZERO)))
      tmpl = e;
  }
  return tmpl;
}

typedef struct {
  int block;
  const IrBlock *test; /* the block whose branch made it held */
} Held;

/* Does event `e` end the walk's interest in slot `s` (of base `base`)? */
static bool touches(const IrFunc *f, const IrEvent *e, int s) {
  const IrSlot *sl = &f->slots.v[s];
  if (e->slot2 == s && e->kind == EV_COPY)
    return true; /* copied: someone else holds it (g_clear_handle_id) */
  if (e->slot < 0)
    return e->kind == EV_CALL && e->callee >= 0; /* a helper: unknown */
  if (e->slot == s)
    return true;
  if (e->flags & (EVF_TO_WORKER | EVF_FORMAT))
    return false; /* the data of the create that follows; a logger */
  const IrSlot *x = &f->slots.v[e->slot];
  if (strcmp(x->base, sl->base))
    return false;
  /* The object, or a part holding the field, handed on. */
  return e->kind == EV_CALL && ir_ops_extends(sl->ops, x->ops) &&
         !eng_field_value_call(f, e) && !(e->flags & EVF_FREE);
}

/* A free of the object the field is in (`g_free(w)` for w->id). */
static bool frees_container(const IrFunc *f, const IrEvent *e, int s) {
  if (e->kind != EV_CALL || !(e->flags & EVF_FREE) || e->slot < 0 ||
      (e->flags & EVF_ADDR))
    return false;
  const IrSlot *x = &f->slots.v[e->slot], *sl = &f->slots.v[s];
  return !strcmp(x->base, sl->base) && ir_ops_extends(sl->ops, x->ops) &&
         strcmp(sl->ops, x->ops) && sl->ops[strlen(x->ops)] == '*';
}

static void report(EngCtx *cx, const IrFunc *f, int s, const IrEvent *tmpl,
                   const IrBlock *test, const IrEvent *at) {
  Arena *a = cx->u->arena;
  const IrSlot *sl = &f->slots.v[s];
  bool reg = sl->key->kind == KEY_REGISTRATION;
  const char *name = reg ? ir_key_display(a, sl->key) : sl->name;
  Finding fd = {0};
  fd.rule = check_info(CHK_MISSING_STOP)->id;
  fd.loc = at->loc;
  fd.function = f->name;
  fd.fn_start = f->loc.line;
  fd.fn_end = f->end_line > f->loc.line ? f->end_line : f->loc.line;
  fd.handle = name;
  fd.api = tmpl->api;
  bool freed = at->kind == EV_CALL;
  const char *obj = freed ? f->slots.v[at->slot].name : "";
  const char *rel = tmpl->release_api ? tmpl->release_api : "a release";
  const char *why = test->cond.text ? test->cond.text : "its test";
  if (reg)
    fd.message =
        freed ? arena_printf(a, "%s is still pending when '%s' is freed, "
                                "without %s() first: its handler runs on "
                                "freed memory", name, obj, rel)
              : arena_printf(a, "%s is registered again with %s() while it "
                                "is still pending, without %s() first: the "
                                "earlier one fires too", name, at->api, rel);
  else
    fd.message =
        freed ? arena_printf(a, "timer '%s' from %s() still holds one when "
                                "'%s' is freed, without %s() first: its "
                                "callback runs on freed memory",
                             name, tmpl->api, obj, rel)
              : arena_printf(a, "timer '%s' from %s() is overwritten while "
                                "it holds one, without %s() first: the old "
                                "one keeps running and nothing can stop it",
                             name, tmpl->api, rel);
  fd.nnotes = 2;
  fd.notes = arena_alloc(a, 2 * sizeof *fd.notes);
  fd.notes[0] = (Note){test->loc,
                       reg ? arena_printf(a, "%s is pending on this path "
                                             "(%s)", name, why)
                           : arena_printf(a, "'%s' holds a timer on this "
                                             "path (%s)", name, why)};
  fd.notes[1] = (Note){at->loc,
                       freed ? arena_printf(a, "'%s' freed here with %s%s%s "
                                               "still %s", obj,
                                            reg ? "" : "'", name,
                                            reg ? "" : "'",
                                            reg ? "pending" : "held")
                       : reg ? arena_printf(a, "registered again here")
                             : arena_printf(a, "'%s' overwritten here",
                                            name)};
  array_push(cx->out, fd);
}

/* Which successor of a branch says `s` holds a handle: a test of the
 * field itself (0 means none), or of the result of a query on it in the
 * same block (eloop_is_timeout_registered(): non-zero means pending). 0
 * or 1, -1 when neither. */
static int held_edge(const IrBlock *b, int s) {
  if (b->term != TERM_BRANCH || b->succ.n != 2 || b->cond.var < 0)
    return -1;
  IrFail fail = FAIL_NEVER;
  if (b->cond.var == s)
    fail = FAIL_ZERO;
  for (int i = 0; i < b->ev.n && fail == FAIL_NEVER; i++) {
    const IrEvent *e = &b->ev.v[i];
    if (e->kind == EV_USE && e->slot == s && e->status == b->cond.var &&
        e->fail != FAIL_NEVER)
      fail = e->fail;
  }
  if (fail == FAIL_NEVER)
    return -1;
  for (int w = 0; w < 2; w++) {
    IrCmp op = w == 0 ? b->cond.op : cmp_negate(b->cond.op);
    if (fail_implied(fail, op, b->cond.k) < 0)
      return w;
  }
  return -1;
}

static void walk_slot(EngCtx *cx, int fn, int s, const IrEvent *tmpl) {
  const IrFunc *f = cx->u->funcs.v[fn];
  int nb = f->blocks.n;
  const IrBlock **held = xcalloc((size_t)(nb ? nb : 1), sizeof *held);
  Held *work = xmalloc((size_t)(nb ? nb : 1) * sizeof *work);
  int nw = 0;
  for (int b = 0; b < nb; b++) {
    int w = held_edge(&f->blocks.v[b], s);
    int to = w >= 0 ? f->blocks.v[b].succ.v[w].to : -1;
    if (to >= 0 && !held[to]) {
      held[to] = &f->blocks.v[b];
      work[nw++] = (Held){to, &f->blocks.v[b]};
    }
  }
  bool *done = xcalloc((size_t)(nb ? nb : 1), sizeof *done);
  while (nw) {
    Held h = work[--nw];
    if (done[h.block])
      continue;
    done[h.block] = true;
    const IrBlock *bl = &f->blocks.v[h.block];
    bool live = true;
    for (int i = 0; i < bl->ev.n && live; i++) {
      const IrEvent *e = &bl->ev.v[i];
      if (frees_container(f, e, s)) {
        if (!(e->flags & EVF_DEFERRED))
          report(cx, f, s, tmpl, h.test, e);
        live = false;
        continue;
      }
      if (!touches(f, e, s))
        continue;
      live = false;
      bool overwrite = e->slot == s &&
                       (e->kind == EV_ASSIGN || e->kind == EV_CREATE ||
                        (e->kind == EV_COPY && e->slot2 != s));
      if (overwrite && !(e->flags & EVF_DEFERRED))
        report(cx, f, s, tmpl, h.test, e);
    }
    if (!live || bl->term == TERM_RETURN || bl->term == TERM_NORETURN)
      continue;
    for (int k = 0; k < bl->succ.n; k++) {
      int to = bl->succ.v[k].to;
      /* A test of it again says what it holds there. */
      int w = held_edge(bl, s);
      if ((w >= 0 || bl->cond.var == s) && w != k)
        continue;
      if (!done[to] && !bl->succ.v[k].back)
        work[nw++] = (Held){to, h.test};
    }
  }
  xfree(done);
  xfree(held);
  xfree(work);
}

void eng_check_held(EngCtx *cx, int fn) {
  const IrFunc *f = cx->u->funcs.v[fn];
  for (int s = 0; s < f->slots.n; s++) {
    const IrSlot *sl = &f->slots.v[s];
    if (!sl->key || sl->local ||
        (sl->key->kind != KEY_FIELD && sl->key->kind != KEY_REGISTRATION))
      continue;
    bool tested = false;
    for (int b = 0; b < f->blocks.n && !tested; b++)
      tested = held_edge(&f->blocks.v[b], s) >= 0;
    if (!tested)
      continue;
    bool its_cb;
    const IrEvent *tmpl = template_create(cx, sl->key, fn, &its_cb);
    /* The source's own callback clearing its id as it ends is no leak. */
    if (!tmpl || its_cb)
      continue;
    walk_slot(cx, fn, s, tmpl);
  }
}
