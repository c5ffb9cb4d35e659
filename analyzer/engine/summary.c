/* summary.c: what a function does to what its callers pass it, and whether
 * it can return at all. Computed on demand, callees first; a call that
 * recurses into a function still being summarised is treated as unknown
 * code (eng_summary returns NULL), which only ever silences findings. */
#include <stdlib.h>
#include <string.h>

#include "engineInt.h"

static const char *find_release_all(EngCtx *cx, const IrFunc *f);

bool eng_effect_ends(EngEffect e) {
  return e == EFF_RELEASE || e == EFF_CLOSE || e == EFF_DETACH;
}

const char *eng_compose_ops(Arena *a, const IrFunc *f, const IrEvent *e,
                            const EngSummaryEntry *en) {
  const char *arg = f->slots.v[e->slot].ops;
  if (!(e->flags & EVF_ADDR))
    return arena_printf(a, "%s%s", arg, en->ops);
  return en->ops[0] == '*' ? arena_printf(a, "%s%s", arg, en->ops + 1) : NULL;
}

const EngSummaryEntry *eng_call_ends(EngCtx *cx, const IrFunc *f,
                                     const IrEvent *e, int s) {
  if (e->kind != EV_CALL || e->callee < 0 || e->slot < 0 ||
      strcmp(f->slots.v[e->slot].base, f->slots.v[s].base) != 0)
    return NULL;
  const EngSummary *sum = eng_summary(cx, e->callee);
  for (int i = 0; sum && i < sum->entries.n; i++) {
    const EngSummaryEntry *en = &sum->entries.v[i];
    if (en->param != e->arg || !eng_effect_ends(en->effect))
      continue;
    const char *ops = eng_compose_ops(cx->u->arena, f, e, en);
    if (ops && !strcmp(ops, f->slots.v[s].ops))
      return en;
  }
  return NULL;
}

const EngSummary *eng_summary(EngCtx *cx, int fn) {
  EngSummary *s = &cx->sums[fn];
  if (cx->u->funcs.v[fn]->opaque)
    return NULL;
  if (s->computed)
    return s;
  if (s->in_progress)
    return NULL;
  s->in_progress = true;
  const IrFunc *f = cx->u->funcs.v[fn];
  for (int i = 0; i < f->slots.n; i++) {
    const IrSlot *sl = &f->slots.v[i];
    if (sl->base_kind != BASE_PARAM)
      continue;
    EngSummaryEntry e = {sl->param, sl->ops, EFF_UNKNOWN, false};
    e.effect = eng_run_object(cx, fn, -1, -1, i, false);
    for (IrEvIter it = ir_events(f); ir_events_next(&it) && !e.thread;)
      e.thread = it.e->slot == i &&
                 (it.e->kind == EV_JOIN || it.e->kind == EV_DETACH);
    array_push(&s->entries, e);
  }
  s->release_all = find_release_all(cx, f);
  s->in_progress = false;
  s->computed = true;
  return s;
}

/* Can control reach the exit of f, given the functions known not to
 * return? Calls to them end a block. */
static bool can_return(const EngCtx *cx, const IrFunc *f) {
  int n = f->blocks.n;
  bool *seen = xcalloc((size_t)n, sizeof *seen);
  int *stack = xmalloc((size_t)n * sizeof *stack), sp = 0;
  bool found = false;
  stack[sp++] = f->entry;
  seen[f->entry] = true;
  while (sp && !found) {
    const IrBlock *b = &f->blocks.v[stack[--sp]];
    if (b->term == TERM_EXIT) {
      found = true;
      break;
    }
    if (b->term == TERM_NORETURN)
      continue;
    bool stops = false;
    for (int i = 0; i < b->ev.n && !stops; i++)
      stops = b->ev.v[i].kind == EV_CALL && b->ev.v[i].callee >= 0 &&
              cx->sums[b->ev.v[i].callee].noreturn;
    if (stops)
      continue;
    for (int i = 0; i < b->succ.n; i++)
      if (!seen[b->succ.v[i].to]) {
        seen[b->succ.v[i].to] = true;
        stack[sp++] = b->succ.v[i].to;
      }
  }
  xfree(seen);
  xfree(stack);
  return found;
}

void eng_compute_noreturn(EngCtx *cx) {
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i < cx->u->funcs.n; i++)
      if (!cx->sums[i].noreturn && !cx->u->funcs.v[i]->opaque &&
          !can_return(cx, cx->u->funcs.v[i])) {
        cx->sums[i].noreturn = true;
        again = true;
      }
  }
}

/* A release of storage the function reaches through a pointer that is not
 * a global of its own: what a callback does that finds its object from the
 * handle it gets (container_of(h, struct conn, timer), h->data). */
static bool scan_releases_reached(EngCtx *cx, const IrFunc *f) {
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const IrEvent *e = it.e;
    bool ends = e->kind == EV_RELEASE || e->kind == EV_RELEASE_ALL ||
                (e->kind == EV_DISARM && eng_disarm_hands_over(cx, e));
    if (ends && e->slot >= 0 && !f->slots.v[e->slot].local &&
        f->slots.v[e->slot].base_kind != BASE_GLOBAL)
      return true;
  }
  return false;
}

/* Once per function (arms ask it on every path), and a callback that is
 * its own finalizer, or two that name each other, may release: the cycle
 * is answered "yes" (precision first) instead of recursing forever. */
static bool releases_reached(EngCtx *cx, int fn) {
  EngSummary *s = &cx->sums[fn];
  if (s->reaches == 0) {
    s->reaches = 3;
    s->reaches = scan_releases_reached(cx, cx->u->funcs.v[fn]) ? 2 : 1;
  }
  return s->reaches != 1;
}

bool eng_disarm_hands_over(EngCtx *cx, const IrEvent *e) {
  return e->kind == EV_DISARM && e->arg >= 0 &&
         eng_callback_may_release(cx, e->callee, e->arg, (unsigned)e->flags);
}

static bool worker_may_end(EngCtx *cx, int fn, int param, int depth);

bool eng_callback_may_release(EngCtx *cx, int fn, int param, unsigned how) {
  if (fn < 0 || param < 0)
    return false;
  const EngSummary *s = eng_summary(cx, fn);
  if (!s)
    return true; /* recursion or no body: it may */
  bool data = (how & EVF_CB_DATA) != 0;
  const char *ops = (how & EVF_CB_DEREF) ? "*" : "";
  for (int i = 0; i < s->entries.n; i++) {
    const EngSummaryEntry *en = &s->entries.v[i];
    if (en->param != param || (!data && strcmp(en->ops, ops)))
      continue;
    bool ends = en->effect == EFF_RELEASE || en->effect == EFF_CANCEL ||
                en->effect == EFF_CLOSE || en->effect == EFF_DETACH;
    /* The object handed over, unknown or passed on: it may end it. Data
     * handed to unknown code says nothing about the object. "Unknown" is
     * also what a summary says of an object armed on some paths only
     * (l_timeout_modify(timeout, 1) after an early return): that ends
     * nothing, so the callback's events on its handle decide. */
    if (ends || (!data && en->effect == EFF_ESCAPE) ||
        (!data && en->effect == EFF_UNKNOWN &&
         worker_may_end(cx, fn, param, 0)))
      return true;
  }
  return releases_reached(cx, fn);
}

typedef Array(const char *) Bases;

static bool in_bases(const Bases *b, const char *base) {
  for (int i = 0; i < b->n; i++)
    if (!strcmp(b->v[i], base))
      return true;
  return false;
}

static bool worker_may_end(EngCtx *cx, int fn, int param, int depth) {
  if (fn < 0 || param < 0 || depth > 4)
    return true;
  EngSummary *sum = &cx->sums[fn];
  uint64_t bit = param < 64 ? 1ull << param : 0;
  if (bit && (sum->ends_known & bit))
    return (sum->ends & bit) != 0;
  const IrFunc *f = cx->u->funcs.v[fn];
  bool may = f->opaque || releases_reached(cx, fn);
  /* The data's names: the parameter, and every local a copy of it ever
   * holds (`Dev *d = opaque;`, the C idiom). */
  Bases bases = {0};
  for (int i = 0; i < f->slots.n; i++)
    if (f->slots.v[i].base_kind == BASE_PARAM && f->slots.v[i].param == param &&
        !f->slots.v[i].ops[0])
      array_push(&bases, f->slots.v[i].base);
  for (bool grew = true; grew && !may;) {
    grew = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      if (e->kind != EV_COPY || e->slot < 0 || e->slot2 < 0)
        continue;
      const IrSlot *to = &f->slots.v[e->slot], *from = &f->slots.v[e->slot2];
      if (from->ops[0] || !in_bases(&bases, from->base) ||
          in_bases(&bases, to->base))
        continue;
      if (!to->local || to->ops[0]) {
        may = true; /* stored where others find it */
        break;
      }
      array_push(&bases, to->base);
      grew = true;
    }
  }
  for (IrEvIter it = ir_events(f); ir_events_next(&it) && !may;) {
    const IrEvent *e = it.e;
    if (e->slot < 0 || !in_bases(&bases, f->slots.v[e->slot].base))
      continue;
    switch (e->kind) {
    case EV_CALL:
      if (e->callee >= 0)
        may = worker_may_end(cx, e->callee, e->arg, depth + 1);
      else
        may = !(e->flags & (EVF_SCALAR | EVF_FORMAT));
      break;
    case EV_CREATE: case EV_RELEASE: case EV_RELEASE_ALL: case EV_JOIN:
    case EV_DETACH:
      may = true;
      break;
    default:
      break;
    }
  }
  array_free(&bases);
  if (bit) {
    sum->ends_known |= bit;
    if (may)
      sum->ends |= bit;
  }
  return may;
}

bool eng_worker_may_end(EngCtx *cx, int fn, int param) {
  return worker_may_end(cx, fn, param, 0);
}

static const IrUnit *sort_unit; /* qsort has no context argument */

static int by_usr_cmp(const void *x, const void *y) {
  return strcmp(sort_unit->funcs.v[*(const int *)x]->usr,
                sort_unit->funcs.v[*(const int *)y]->usr);
}

void eng_index_usrs(EngCtx *cx) {
  const IrUnit *u = cx->u;
  cx->by_usr = xmalloc((size_t)(u->funcs.n ? u->funcs.n : 1) *
                       sizeof *cx->by_usr);
  cx->nby_usr = 0;
  for (int i = 0; i < u->funcs.n; i++)
    if (u->funcs.v[i]->usr)
      cx->by_usr[cx->nby_usr++] = i;
  sort_unit = u;
  qsort(cx->by_usr, (size_t)cx->nby_usr, sizeof *cx->by_usr, by_usr_cmp);
  sort_unit = NULL;
}

int eng_fn_of_usr(const EngCtx *cx, const char *usr) {
  int lo = 0, hi = cx->nby_usr - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2, fn = cx->by_usr[mid];
    int c = strcmp(cx->u->funcs.v[fn]->usr, usr);
    if (!c)
      return fn;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

/* Is `e` the free of the handle's storage: the pointer the callback got
 * (free(h)), or a record of the type that embeds the handle, reached from
 * it (container_of(h, struct req, timer), h->data)? */
static bool frees_handle_storage(const IrFunc *f, const IrEvent *e, int param,
                                 const IrKey *container) {
  if (e->kind != EV_CALL || !e->frees || e->slot < 0)
    return false;
  const IrSlot *sl = &f->slots.v[e->slot];
  if (sl->base_kind == BASE_PARAM && sl->param == param && !sl->ops[0])
    return true;
  return container && container->kind == KEY_FIELD && !sl->ops[0] &&
         (sl->base_kind == BASE_LOCAL || sl->base_kind == BASE_PARAM) &&
         ir_record_eq(&container->rec, &e->frees->rec);
}

/* Bases of f's slots that hold what parameter `param` (every parameter when
 * -1) was given, or a copy of it (`struct session *s = data;`). */
static bool *data_bases(const IrFunc *f, int param) {
  bool *d = xcalloc((size_t)(f->slots.n ? f->slots.n : 1), sizeof *d);
  for (int i = 0; i < f->slots.n; i++)
    d[i] = f->slots.v[i].base_kind == BASE_PARAM &&
           (param < 0 || f->slots.v[i].param == param);
  for (bool again = true; again;) {
    again = false;
    for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
      const IrEvent *e = it.e;
      /* A copy of the data pointer, or a value we cannot follow (a cast
       * with arithmetic, container_of) that may be it; not what a call
       * returned (a new object: util_malloc). */
      bool from = e->kind == EV_COPY ? d[e->slot2] && !f->slots.v[e->slot2].ops[0]
                  : e->kind == EV_ASSIGN && !e->usr && !(e->flags & EVF_CONST);
      if (from && (e->kind == EV_COPY || e->slot >= 0) && !d[e->slot] &&
          f->slots.v[e->slot].local && !f->slots.v[e->slot].ops[0]) {
        for (int i = 0; i < f->slots.n; i++)
          if (!strcmp(f->slots.v[i].base, f->slots.v[e->slot].base))
            d[i] = true;
        again = true;
      }
    }
  }
  return d;
}

/* Could the event close or hand on the handle before a free? Any release
 * in the callback, a call that may end what it is given, unknown code
 * given the handle pointer or a copy of it whole (it may uv_close it);
 * `d`: the slots that hold what the callback was given (data_bases). */
static bool may_close_first(EngCtx *cx, const IrFunc *f, const IrEvent *e,
                            const bool *d) {
  switch (e->kind) {
  case EV_RELEASE: case EV_RELEASE_ALL: case EV_JOIN: case EV_DETACH:
  case EV_ESCAPE:
    return true;
  case EV_DISARM:
    return eng_disarm_hands_over(cx, e);
  case EV_CALL:
    if (e->frees || e->slot < 0 || !d[e->slot])
      return false;
    if (e->callee >= 0)
      return eng_callback_may_release(cx, e->callee, e->arg, 0) ||
             eng_callback_may_release(cx, e->callee, e->arg, EVF_CB_DATA);
    return !f->slots.v[e->slot].ops[0] && !(e->flags & EVF_SCALAR);
  default:
    return false;
  }
}

/* The first free of the handle's storage in fn that a path from the entry
 * reaches with nothing before it that could close the handle; a call of a
 * same-file helper that does such a free counts as one (cache_destroy(e)).
 * Path by path: a callback that closes on success and frees on give-up
 * still frees unclosed on that path. */
static const IrEvent *frees_live_in(EngCtx *cx, int fn, int param,
                                    const IrKey *container, int depth) {
  const IrFunc *f = cx->u->funcs.v[fn];
  if (f->opaque || depth > 4)
    return NULL;
  bool *d = data_bases(f, -1);
  bool *seen = xcalloc((size_t)f->blocks.n, sizeof *seen);
  int *stack = xmalloc((size_t)f->blocks.n * sizeof *stack), sp = 0;
  const IrEvent *freed = NULL;
  stack[sp++] = f->entry;
  seen[f->entry] = true;
  while (sp && !freed) {
    const IrBlock *b = &f->blocks.v[stack[--sp]];
    bool closed = false;
    for (int i = 0; i < b->ev.n && !freed && !closed; i++) {
      const IrEvent *e = &b->ev.v[i];
      if (frees_handle_storage(f, e, param, container) ||
          (e->kind == EV_CALL && e->callee >= 0 && e->slot >= 0 && d[e->slot] &&
           !f->slots.v[e->slot].ops[0] && !(e->flags & EVF_ADDR) &&
           frees_live_in(cx, e->callee, e->arg, container, depth + 1)))
        freed = e;
      else
        closed = may_close_first(cx, f, e, d);
    }
    if (closed || b->term == TERM_NORETURN)
      continue;
    for (int k = 0; k < b->succ.n; k++)
      if (!seen[b->succ.v[k].to]) {
        seen[b->succ.v[k].to] = true;
        stack[sp++] = b->succ.v[k].to;
      }
  }
  xfree(seen);
  xfree(stack);
  xfree(d);
  return freed;
}

const IrEvent *eng_callback_frees_live(EngCtx *cx, int fn, int param,
                                       unsigned how, const IrKey *container) {
  if (fn < 0 || param < 0 || !(how & EVF_CB_DEREF))
    return NULL;
  return frees_live_in(cx, fn, param, container, 0);
}

/* Does the callback read through a pointer it has (its data, a copy)? One
 * that never does (`(void)clientData;`) cannot mind its data being freed. */
static bool reads_through_pointer(const IrFunc *f) {
  for (int i = 0; i < f->slots.n; i++)
    if (f->slots.v[i].ops[0] && f->slots.v[i].base_kind != BASE_GLOBAL)
      return true;
  return false;
}

/* Could function fn, given the data in parameter `param` (-1: any), free
 * an object of record type rec, or hand the data pointer itself to unknown
 * code that may, or to a function of the unit that may? */
static bool may_free_record(const EngCtx *cx, int fn, int param,
                            const IrKey *rec, bool *seen) {
  const IrFunc *f = cx->u->funcs.v[fn];
  if (f->opaque)
    return true;
  if (seen[fn])
    return false;
  seen[fn] = true;
  bool *d = data_bases(f, param), found = false;
  for (IrEvIter it = ir_events(f); !found && ir_events_next(&it);) {
    const IrEvent *e = it.e;
    if (e->kind == EV_CREATE && e->callee >= 0) {
      bool gets = false; /* its worker gets the data: what does it do? */
      for (int i = 0; i < e->nuses && !gets; i++)
        gets = e->uses[i].slot >= 0 && d[e->uses[i].slot];
      if (gets)
        found = may_free_record(cx, e->callee, -1, rec, seen);
      continue;
    }
    if (e->slot < 0 || !d[e->slot])
      continue;
    const IrSlot *sl = &f->slots.v[e->slot];
    if (e->kind == EV_ESCAPE)
      found = true;
    else if (e->kind == EV_CALL && (e->flags & EVF_TO_WORKER))
      ; /* the create that follows: its worker is looked at above */
    else if (e->kind == EV_CALL && e->frees)
      found = ir_record_eq(&e->frees->rec, &rec->rec);
    else if (e->kind == EV_CALL && e->callee >= 0)
      found = !sl->ops[0] && may_free_record(cx, e->callee, e->arg, rec, seen);
    else if (e->kind == EV_CALL)
      found = !sl->ops[0] && !(e->flags & EVF_SCALAR);
  }
  xfree(d);
  return found;
}

/* Can fn run at any time the program's code chooses: another unit may call
 * it (external linkage: its USR names no file), a function here calls it,
 * or a container keeps it to run on each removal? A static function only
 * handed on as a pointer otherwise (a list's destroy notify, run by
 * g_list_free_full at exit) runs when that code decides. */
static bool called_when_anyone_calls(const EngCtx *cx, int fn) {
  const char *usr = cx->u->funcs.v[fn]->usr;
  return (usr && !strncmp(usr, "c:@F@", 5)) || cx->sums[fn].called ||
         cx->sums[fn].kept;
}

const char *eng_oneshot_data_freer(EngCtx *cx, const IrEvent *e,
                                   const IrFunc *f, int *data_slot) {
  if (e->kind != EV_CREATE || !e->data_rec || e->callee < 0 ||
      !reads_through_pointer(cx->u->funcs.v[e->callee]))
    return NULL;
  int ds = -1;
  for (int i = 0; i < e->nuses && ds < 0; i++)
    if (!e->uses[i].addr && e->uses[i].slot >= 0 &&
        !f->slots.v[e->uses[i].slot].ops[0] &&
        f->slots.v[e->uses[i].slot].base_kind != BASE_GLOBAL)
      ds = e->uses[i].slot;
  if (ds < 0)
    return NULL;
  int n = cx->u->funcs.n;
  bool *seen = xcalloc((size_t)n, sizeof *seen);
  const IrFunc *freer = NULL;
  bool owned = may_free_record(cx, e->callee, -1, e->data_rec, seen);
  if (!owned) {
    for (int i = 0; i < n && !freer; i++) {
      const IrFunc *g = cx->u->funcs.v[i];
      if (!called_when_anyone_calls(cx, i))
        continue;
      for (IrEvIter it = ir_events(g); !freer && ir_events_next(&it);)
        if (it.e->kind == EV_CALL && it.e->frees &&
            ir_record_eq(&it.e->frees->rec, &e->data_rec->rec))
          freer = g;
    }
  }
  xfree(seen);
  *data_slot = ds;
  if (!owned && !freer)
    return e->data_unref; /* whoever drops the last reference frees it */
  return freer ? freer->name : NULL;
}

const char *eng_release_all(EngCtx *cx, const IrEvent *e) {
  if (e->kind == EV_RELEASE_ALL)
    return e->callee < 0 ||
                   eng_callback_may_release(cx, e->callee, e->arg,
                                            (unsigned)e->flags)
               ? e->release_api
               : NULL;
  if (e->kind != EV_CALL || e->callee < 0)
    return NULL;
  const EngSummary *s = eng_summary(cx, e->callee);
  return s ? s->release_all : NULL;
}

/* A loop's teardown anywhere in the function, or in a function it calls
 * (loop_teardown(loop) doing the uv_walk). */
static const char *find_release_all(EngCtx *cx, const IrFunc *f) {
  for (IrEvIter it = ir_events(f); ir_events_next(&it);) {
    const char *api = eng_release_all(cx, it.e);
    if (api)
      return api;
  }
  return NULL;
}
