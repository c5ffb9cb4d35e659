/* link_check.c: the link phase. After every TU of a run is analysed,
 * eng_link() joins the facts link_collect.c recorded and reports
 * field-never-stopped: storage started somewhere that no function of the
 * scanned code stops, that only an asynchronous stop in a teardown stops,
 * or that a teardown leaves running.
 *
 * Precision first: handing the field to code whose effect is unknown (no
 * body anywhere in the run, a function pointer, a summary that stores it)
 * counts as maybe stopping it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engineInt.h"

static int fact_cmp(const void *pa, const void *pb) {
  const LinkFact *a = *(const LinkFact *const *)pa,
                 *b = *(const LinkFact *const *)pb;
  int c = ir_key_cmp(a->key, b->key);
  if (c)
    return c;
  c = strcmp(a->loc.file ? a->loc.file : "", b->loc.file ? b->loc.file : "");
  if (c)
    return c;
  return a->loc.line != b->loc.line ? (a->loc.line < b->loc.line ? -1 : 1)
                                    : a->loc.col - b->loc.col;
}

/* Does the function's name say it tears its object down? */
static bool is_teardown(const char *fn, const char *const *words, int n) {
  for (int i = 0; i < n; i++)
    if (strstr(fn, words[i]))
      return true;
  return false;
}

static bool made_here(const LinkFact *f) {
  return f->release_api || f->kind == LF_FROM;
}

/* Where a field finding is reported: the first place it is armed (a
 * create that arms it is one: time_new, l_timeout_create), else where it is
 * created. */
static const LinkFact *report_site(const LinkFact *const *starts, int n) {
  for (int i = 0; i < n; i++)
    if (!made_here(starts[i]) || starts[i]->arg == 2)
      return starts[i];
  return starts[0];
}

/* A link finding of rule `c` at the fact `where` (its place and function)
 * about `key`; message and notes to fill. */
static Finding link_finding(Arena *a, CheckId c, const LinkFact *where,
                            const IrKey *key, const char *api) {
  Finding fd = {0};
  fd.rule = check_info(c)->id;
  fd.loc = where->loc;
  fd.function = where->function;
  fd.fn_start = where->fn_start;
  fd.fn_end = where->fn_end;
  fd.handle = ir_key_display(a, key); /* no line: fingerprints survive edits */
  fd.api = api;
  return fd;
}

/* A field-never-stopped finding at `at`, message and notes to fill. */
static Finding field_finding(Arena *a, const LinkFact *at) {
  return link_finding(a, CHK_FIELD_NEVER_STOPPED, at, at->key, at->api);
}

/* Is this free a teardown's (#19 item 3)? It frees the object its function
 * was given, or its function's name, or its free wrapper's, says teardown. */
static bool teardown_free(const LinkFact *fr, const EngTeardown *td) {
  return fr->arg >= 0 || is_teardown(fr->function, td->names, td->nnames) ||
         (fr->callee && is_teardown(fr->api, td->names, td->nnames));
}

/* How a registration's user-data reads in messages. */
static const char *user_display(Arena *a, const char *u) {
  if (!strcmp(u, "0"))
    return "a null pointer";
  const IrKey *k = ir_key_parse(a, u, true);
  return arena_printf(a, "a '%s'", k->rec.name);
}

/* `other`: a cancel of the registration given other user-data, which does
 * not remove it (NULL: none). */
static void report(const LinkFact *const *v, int n, int ntus,
                   const LinkFact *async, const LinkFact *other, Arena *a,
                   FindingList *out) {
  const LinkFact *at = report_site(v, n);
  const char *rel = NULL;
  for (int i = 0; i < n && !rel; i++)
    rel = v[i]->release_api;
  Finding fd = field_finding(a, at);
  const char *name = fd.handle;
  if (async)
    fd.message = arena_printf(
        a, "%s is %s with %s() but its teardown %s() stops it only with %s(), "
        "which does not wait for a running callback", name,
        made_here(at) ? "created" : "armed", at->api, async->function,
        async->api);
  else if (other)
    fd.message = arena_printf(
        a, "%s is %s with %s() but no function in the scanned code stops it: "
        "%s() in %s() is given %s as user-data, not %s", name,
        made_here(at) ? "created" : "armed", at->api, other->api,
        other->function, user_display(a, other->user),
        user_display(a, at->user));
  else
    fd.message = arena_printf(
        a, "%s is %s with %s() but no function in the scanned code stops it%s",
        name, made_here(at) ? "created" : "armed", at->api,
        rel ? arena_printf(a, " (with %s())", rel) : "");
  int shown = n < 4 ? n : 4;
  fd.nnotes = shown + 1 + (other != NULL);
  fd.notes = arena_alloc(a, (size_t)fd.nnotes * sizeof *fd.notes);
  for (int i = 0; i < shown; i++)
    fd.notes[i] = (Note){v[i]->loc,
                         arena_printf(a, "%s %s here by %s() in %s()",
                                      name,
                                      made_here(v[i]) ? "created" : "armed",
                                      v[i]->api, v[i]->function)};
  fd.notes[shown] =
      async ? (Note){async->loc,
                     arena_printf(a, "%s() in teardown %s() returns while the "
                                     "callback may still run on %s",
                                  async->api, async->function, name)}
            : (Note){at->loc,
                     arena_printf(a, "no release, disarm or helper that stops "
                                     "%s in the %d translation unit%s scanned",
                                  name, ntus, ntus == 1 ? "" : "s")};
  if (other)
    fd.notes[shown + 1] =
        (Note){other->loc,
               arena_printf(a, "%s() here removes only registrations made "
                               "with %s as user-data", other->api,
                            user_display(a, other->user))};
  array_push(out, fd);
}


/* The releases a loop's teardown somewhere in the run ends everything of
 * (uv_walk() closing each handle closes this one too): few, distinct. */
typedef Array(const LinkFact *) ApiList; /* the first LF_STOP_ALL per API */

static void stop_all_apis(const LinkData *all, ApiList *out) {
  for (int i = 0; i < all->facts.n; i++) {
    const LinkFact *x = &all->facts.v[i];
    if (x->kind != LF_STOP_ALL || !x->release_api)
      continue;
    bool seen = false;
    for (int j = 0; j < out->n && !seen; j++)
      seen = !strcmp(out->v[j]->release_api, x->release_api);
    if (!seen)
      array_push(out, x);
  }
}

static const LinkFact *stopped_by_all(const ApiList *apis,
                                      const LinkFact *start) {
  for (int i = 0; start->release_api && i < apis->n; i++)
    if (!strcmp(apis->v[i]->release_api, start->release_api))
      return apis->v[i];
  return NULL;
}

/* Facts of one key in function `fn`: does it stop (or maybe stop) it? */
static const LinkFact *stop_in(const LinkFact *const *g, int n, const char *fn,
                               bool *maybe) {
  *maybe = false;
  for (int i = 0; i < n; i++) {
    if (strcmp(g[i]->function, fn))
      continue;
    if (g[i]->kind == LF_STOP)
      return g[i];
    if (g[i]->kind == LF_HIDE || g[i]->kind == LF_PASS)
      *maybe = true;
  }
  return NULL;
}

/* Every stop of the key in `fn` does not wait for a running callback:
 * the first of them, else NULL. */
static const LinkFact *async_only_in(const LinkFact *const *g, int n,
                                     const char *fn) {
  const LinkFact *first = NULL;
  for (int i = 0; i < n; i++) {
    if (strcmp(g[i]->function, fn) || g[i]->kind != LF_STOP)
      continue;
    if (!g[i]->async)
      return NULL;
    first = first ? first : g[i];
  }
  return first;
}

/* The teardown path across files (#19): a free whose function first
 * handed its object (its parameter) to named functions tears it down
 * through them, and through the functions they hand it on to, in any
 * file of the run (LF_HANDS). What they stop is stopped on that path.
 * Handing it to a pointer, or to a function with no body in the run,
 * makes the path unknown: the benefit of the doubt. */
typedef struct {
  const char *usr;
  int param;
  const char *ctx; /* what the path gave its other parameters ("1=3"):
                      its facts whose guard this excludes do not run;
                      NULL: nothing known (link_guard.c) */
} PathNode;

static bool stop_like_kind(LinkFactKind k) {
  return k == LF_STOP || k == LF_HIDE || k == LF_PASS;
}

typedef struct {
  bool done, unknown;
  Array(PathNode) nodes;   /* the free's function first */
  Array(const char *) via; /* names of the functions after it */
} Reach;

typedef struct {
  const LinkFact **hands; /* LF_HANDS by (fn_usr, param) */
  int nhands;
  const LinkFact **callers; /* the same by (callee, arg) */
  const LinkSummary **sums; /* by (usr, param) */
  int nsums;
  const LinkSummary **bodies; /* LS_BODY by function name */
  int nbodies;
  Array(const LinkFact *) wild;  /* stops of a registration on any object */
  Array(const LinkFact *) frees; /* LF_FREE */
  Array(const LinkFact *) user_stops; /* cancels given a user-data object */
  const LinkData *all;
  const LinkFact *base; /* all->facts.v: a free's index is its offset */
  Reach *reach;         /* per fact, computed on first use */
  int nfacts;
  Arena *ctx; /* the paths' contexts */
} Paths;

static int str_cmp0(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "");
}

static int hands_cmp(const void *pa, const void *pb) {
  const LinkFact *a = *(const LinkFact *const *)pa,
                 *b = *(const LinkFact *const *)pb;
  int c = str_cmp0(a->fn_usr, b->fn_usr);
  return c ? c : a->param - b->param;
}

static int sums_cmp(const void *pa, const void *pb) {
  const LinkSummary *a = *(const LinkSummary *const *)pa,
                    *b = *(const LinkSummary *const *)pb;
  int c = str_cmp0(a->usr, b->usr);
  return c ? c : a->param - b->param;
}

static int callers_cmp(const void *pa, const void *pb) {
  const LinkFact *a = *(const LinkFact *const *)pa,
                 *b = *(const LinkFact *const *)pb;
  int c = str_cmp0(a->callee, b->callee);
  return c ? c : a->arg - b->arg;
}

static int body_cmp(const void *pa, const void *pb) {
  const LinkSummary *a = *(const LinkSummary *const *)pa,
                    *b = *(const LinkSummary *const *)pb;
  return strcmp(eng_usr_name(a->usr), eng_usr_name(b->usr));
}

/* The first of the sorted pointers `v` not below `key` (cmp as qsort's). */
static int lower_bound(const void *v, int n, const void *key,
                       int (*cmp)(const void *, const void *)) {
  const void *const *a = v;
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (cmp(&a[mid], &key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void paths_init(Paths *p, const LinkData *all) {
  memset(p, 0, sizeof *p);
  p->all = all;
  p->base = all->facts.v;
  p->nfacts = all->facts.n;
  p->hands = xmalloc((size_t)(all->facts.n + 1) * sizeof *p->hands);
  for (int i = 0; i < all->facts.n; i++)
    if (all->facts.v[i].kind == LF_HANDS && all->facts.v[i].fn_usr)
      p->hands[p->nhands++] = &all->facts.v[i];
  qsort(p->hands, (size_t)p->nhands, sizeof *p->hands, hands_cmp);
  p->sums = xmalloc((size_t)(all->sums.n + 1) * sizeof *p->sums);
  for (int i = 0; i < all->sums.n; i++)
    p->sums[p->nsums++] = &all->sums.v[i];
  qsort(p->sums, (size_t)p->nsums, sizeof *p->sums, sums_cmp);
  p->reach = xcalloc((size_t)(all->facts.n + 1), sizeof *p->reach);
  p->ctx = arena_new();
  p->bodies = xmalloc((size_t)(all->sums.n + 1) * sizeof *p->bodies);
  for (int i = 0; i < all->sums.n; i++)
    if (all->sums.v[i].param == LS_BODY && all->sums.v[i].usr)
      p->bodies[p->nbodies++] = &all->sums.v[i];
  qsort(p->bodies, (size_t)p->nbodies, sizeof *p->bodies, body_cmp);
  p->callers = xmalloc((size_t)(p->nhands + 1) * sizeof *p->callers);
  memcpy(p->callers, p->hands, (size_t)p->nhands * sizeof *p->callers);
  qsort(p->callers, (size_t)p->nhands, sizeof *p->callers, callers_cmp);
  for (int i = 0; i < all->facts.n; i++) {
    const LinkFact *x = &all->facts.v[i];
    if ((x->kind == LF_STOP || x->kind == LF_HIDE) &&
        x->key->kind == KEY_REGISTRATION && !x->key->rec.name)
      array_push(&p->wild, x);
    if (x->kind == LF_FREE)
      array_push(&p->frees, x);
    if (x->kind == LF_STOP && x->user && x->key->kind == KEY_REGISTRATION)
      array_push(&p->user_stops, x);
  }
}

static void paths_free(Paths *p) {
  for (int i = 0; i < p->nfacts; i++) {
    array_free(&p->reach[i].nodes);
    array_free(&p->reach[i].via);
  }
  xfree(p->reach);
  arena_free(p->ctx);
  xfree(p->hands);
  xfree(p->sums);
  xfree(p->bodies);
  xfree(p->callers);
  array_free(&p->wild);
  array_free(&p->frees);
  array_free(&p->user_stops);
}

/* Does a cancel given user-data `stop` remove a registration made with
 * `start` (eloop: the same pointer, or any)? Unknown on either side: it
 * may. */
static bool user_matches(const char *stop, const char *start) {
  return !stop || !start || !strcmp(stop, "*") || !strcmp(stop, start);
}

/* The user-data of a key group's registrations: after user_groups(), all
 * its starts have the same. */
static const char *group_user(const LinkFact *const *g, int ng) {
  for (int i = 0; i < ng; i++)
    if (g[i]->kind == LF_START || g[i]->kind == LF_FROM)
      return g[i]->user;
  return NULL;
}

/* A wildcard cancel of the registration `key` made with `user`
 * (eloop's ELOOP_ALL_CTX): anywhere, or with `fn`, in that function (where
 * a maybe-cancel counts). */
static bool wildcard_stopped(const Paths *p, const IrKey *key,
                             const char *user, const char *fn) {
  for (int i = 0; i < p->wild.n; i++) {
    const LinkFact *x = p->wild.v[i];
    if ((x->kind == LF_STOP || fn) && ir_key_wildcard_of(x->key, key) &&
        user_matches(x->user, user) && (!fn || !strcmp(x->function, fn)))
      return true;
  }
  return false;
}

/* The first summary of (usr, param). */
static int sums_from(const Paths *p, const char *usr, int param) {
  LinkSummary k = {usr, param, NULL, 0};
  return lower_bound(p->sums, p->nsums, &k, sums_cmp);
}

/* Is `usr` a function with a body somewhere in the run? */
static bool defined(const Paths *p, const char *usr) {
  int i = sums_from(p, usr, LS_BODY);
  return i < p->nsums && !strcmp(p->sums[i]->usr, usr) &&
         p->sums[i]->param == LS_BODY;
}

/* Does a call into another TU stop the field? 1 yes, 0 no, -1 unknown.
 * Passed by address, the field is what the parameter points to, or (a
 * handle that is a pointer to its object, `event_del(ev)`) the parameter
 * itself. Of several summaries that say, the first the run loaded (the
 * lowest address): looked up by (usr, param), not read whole for every
 * hand-off, which made the link phase passes x summaries. */
static int pass_stops(const Paths *p, const LinkFact *f) {
  int r = -1;
  const LinkSummary *first = NULL;
  for (int i = sums_from(p, f->callee, f->arg);
       i < p->nsums && !str_cmp0(p->sums[i]->usr, f->callee) &&
       p->sums[i]->param == f->arg;
       i++) {
    const LinkSummary *s = p->sums[i];
    if (strcmp(s->ops, "") && !(f->addr && !strcmp(s->ops, "*")))
      continue;
    if (s->stops == 0)
      r = 0;
    else if (!first || s < first)
      first = s;
  }
  return first ? first->stops : r;
}

/* An LF_FROM whose function returns a new timer: it becomes a start (its
 * api the wrapper's name). */
static bool made_by(const Paths *p, const LinkFact *f) {
  for (int i = sums_from(p, f->callee, -1);
       i < p->nsums && !str_cmp0(p->sums[i]->usr, f->callee) &&
       p->sums[i]->param == -1;
       i++)
    if (p->sums[i]->stops == LS_MAKES)
      return true;
  return false;
}

/* The first LF_HANDS of (usr, param), or nhands. */
static int hands_from(const Paths *p, const char *usr, int param) {
  LinkFact k = {0};
  k.fn_usr = usr;
  k.param = param;
  return lower_bound(p->hands, p->nhands, &k, hands_cmp);
}

/* A function the path reaches, given the object as its parameter `param`
 * (once), by the name `api` in the notes. */
/* A function reached in several contexts is followed in each (a few),
 * then in none known, which holds them all. */
enum { MAX_CONTEXTS = 4 };

static void push_one(Reach *r, const char *usr, int param, const char *ctx,
                     const char *api) {
  int same = 0;
  for (int k = 0; k < r->nodes.n; k++) {
    const PathNode *x = &r->nodes.v[k];
    if (strcmp(x->usr, usr) || x->param != param)
      continue;
    if (!x->ctx || !str_cmp0(x->ctx, ctx))
      return; /* followed already, in this context or in any */
    same++;
  }
  if (same >= MAX_CONTEXTS)
    ctx = NULL;
  array_push(&r->nodes, ((PathNode){usr, param, ctx}));
  for (int k = 0; k < r->via.n; k++)
    if (!strcmp(r->via.v[k], api))
      return;
  array_push(&r->via, api);
}

/* A function the path reaches, and, when it is a header's static (a stub,
 * maybe), every other function of its name in the run: one compile
 * database may build several programs, and a header's stub in one
 * (`static inline void accounting_sta_stop(...) {}` where accounting is
 * configured out) is the real function in another. Following both is the
 * benefit of the doubt. */
static void push_node(const Paths *p, Reach *r, const char *usr, int param,
                      const char *ctx, const char *api) {
  push_one(r, usr, param, ctx, api);
  if (!strstr(usr, ".h@F@"))
    return; /* a static of a .c file is its own function */
  LinkSummary k = {usr, LS_BODY, NULL, 0};
  const char *name = eng_usr_name(usr);
  for (int i = lower_bound(p->bodies, p->nbodies, &k, body_cmp);
       i < p->nbodies && !strcmp(eng_usr_name(p->bodies[i]->usr), name); i++)
    if (strcmp(p->bodies[i]->usr, usr))
      push_one(r, p->bodies[i]->usr, param, ctx, api);
}

/* The path from (usr, param), cached on the fact `at` that starts it (a
 * free, or a hand-off into a teardown). */
static const Reach *reach_from(Paths *p, const LinkFact *at, const char *usr,
                               int param) {
  Reach *r = &p->reach[at - p->base];
  if (r->done)
    return r;
  r->done = true;
  array_push(&r->nodes, ((PathNode){usr, param, NULL}));
  for (int q = 0; q < r->nodes.n && !r->unknown; q++) {
    PathNode node = r->nodes.v[q];
    for (int i = hands_from(p, node.usr, node.param); i < p->nhands; i++) {
      const LinkFact *h = p->hands[i];
      if (str_cmp0(h->fn_usr, node.usr) || h->param != node.param)
        break;
      if (eng_guard_excludes(h->guard, node.ctx))
        continue; /* a case this path does not run */
      const char *ctx = eng_ctx_compose(h->consts, node.ctx, p->ctx);
      if (h->callee && !strncmp(h->callee, "field:", 6)) {
        /* Through a struct field: every function stored in it. */
        int t = sums_from(p, h->callee, LS_TARGET), nt = 0;
        for (; t < p->nsums && !strcmp(p->sums[t]->usr, h->callee) &&
               p->sums[t]->param == LS_TARGET; t++, nt++) {
          const char *fn = p->sums[t]->ops;
          if (!defined(p, fn)) {
            r->unknown = true;
            break;
          }
          push_node(p, r, fn, h->arg, ctx, eng_usr_name(fn));
        }
        if (!nt)
          r->unknown = true;
        if (r->unknown)
          break;
        continue;
      }
      if (!h->callee || !defined(p, h->callee)) {
        r->unknown = true;
        break;
      }
      push_node(p, r, h->callee, h->arg, ctx, h->api);
    }
  }
  return r;
}

static const Reach *reach_of(Paths *p, const LinkFact *fr) {
  /* From the object's own node: a local copy of the parameter is handed
   * on under its own name. */
  return reach_from(p, fr, fr->fn_usr, fr->param >= 0 ? fr->param : fr->arg);
}

/* Does a function on the path stop (or maybe stop) the key of `g`, or
 * cancel its registration for every object? */
static bool reach_stops(const Paths *p, const Reach *r,
                        const LinkFact *const *g, int ng, bool sync_only) {
  for (int q = 0; q < r->nodes.n; q++) {
    const char *usr = r->nodes.v[q].usr, *ctx = r->nodes.v[q].ctx;
    for (int i = 0; i < ng; i++)
      if (stop_like_kind(g[i]->kind) && !str_cmp0(g[i]->fn_usr, usr) &&
          !(sync_only && g[i]->async) &&
          !eng_guard_excludes(g[i]->guard, ctx))
        return true;
    for (int i = 0; i < p->wild.n; i++)
      if (!str_cmp0(p->wild.v[i]->fn_usr, usr) &&
          ir_key_wildcard_of(p->wild.v[i]->key, g[0]->key) &&
          user_matches(p->wild.v[i]->user, group_user(g, ng)) &&
          !eng_guard_excludes(p->wild.v[i]->guard, ctx))
        return true;
  }
  return false;
}

/* A free after hand-offs: is the key left live on its path? Not when the
 * path is unknown or stops it. */
static bool live_after(Paths *p, const LinkFact *fr, const LinkFact *const *g,
                       int ng, bool sync_only) {
  if (!fr->shared)
    return true;
  const Reach *r = reach_of(p, fr);
  return !r->unknown && !reach_stops(p, r, g, ng, sync_only);
}

/* A free that is the last phase of a larger teardown: some function hands
 * the object to the free's function, and what that function's own path
 * (its deinit before the free: hostapd_interface_deinit_free() calling
 * hostapd_interface_deinit() then hostapd_interface_free()) stops the
 * key. The free alone is not the whole teardown. The function that hands
 * it over may itself be a step of that teardown (an unref that defers the
 * free to the loop, called by the lost() that stopped everything first):
 * the callers are followed up a few levels. A stop found is one even where
 * the rest of a path is unknown. */
enum { PHASE_LEVELS = 4 };

static bool later_phase(Paths *p, const LinkFact *fr, const LinkFact *const *g,
                        int ng, bool sync_only) {
  if (fr->arg < 0 || !fr->fn_usr)
    return false;
  Array(PathNode) up = {0};
  array_push(&up, ((PathNode){fr->fn_usr, fr->arg, NULL}));
  bool found = false;
  /* Level by level: [from, to) are the functions `level` calls up. */
  for (int level = 0, from = 0; level < PHASE_LEVELS && from < up.n && !found;
       level++) {
    int to = up.n;
    for (int q = from; q < to && !found; q++) {
      LinkFact k = {0};
      k.callee = up.v[q].usr;
      k.arg = up.v[q].param;
      for (int i = lower_bound(p->callers, p->nhands, &k, callers_cmp);
           i < p->nhands && !found &&
           !str_cmp0(p->callers[i]->callee, k.callee) &&
           p->callers[i]->arg == k.arg;
           i++) {
        const LinkFact *h = p->callers[i];
        if (h->param < 0)
          continue;
        found = reach_stops(p, reach_from(p, h, h->fn_usr, h->param), g, ng,
                            sync_only);
        bool seen = false;
        for (int j = 0; j < up.n && !seen; j++)
          seen = !str_cmp0(up.v[j].usr, h->fn_usr) &&
                 up.v[j].param == h->param;
        if (!seen)
          array_push(&up, ((PathNode){h->fn_usr, h->param, NULL}));
      }
    }
    from = to;
  }
  array_free(&up);
  return found;
}

/* The note that shows the path a shared free was followed along. */
static Note path_note(Arena *a, Paths *p, const LinkFact *fr,
                      const char *name, const char *what) {
  const Reach *r = reach_of(p, fr);
  StrBuf b = {0};
  for (int i = 0; i < r->via.n && i < 6; i++)
    sb_printf(&b, "%s%s()", i ? ", " : "", r->via.v[i]);
  if (r->via.n > 6)
    sb_printf(&b, " and %d more", r->via.n - 6);
  Note nt = {fr->loc, arena_printf(a, "%s() hands '%s' to %s first; none "
                                      "of them %s %s",
                                   fr->function, fr->key->rec.name, b.s,
                                   what, name)};
  sb_free(&b);
  return nt;
}

/* A field that is stopped somewhere, but a teardown frees the object it
 * lives in without stopping it first (the kernel driver whose remove()
 * kfree()s priv while only close() deletes priv->timer). `g`: the key's
 * facts; `all`: every fact, for the frees. */
/* Is `x` (an LF_FREE) a free of what the registration `key`, made with
 * `user`, hands its handler: its context, or its user-data object? */
/* Does function `fn_usr` cancel some registration given `user` as its
 * user-data (it knows what must go before that object does)? */
static bool cancels_with(const Paths *p, const char *fn_usr,
                         const char *user) {
  for (int i = 0; i < p->user_stops.n; i++) {
    const LinkFact *x = p->user_stops.v[i];
    if (!strcmp(x->user, user) && !str_cmp0(x->fn_usr, fn_usr))
      return true;
  }
  return false;
}

/* `ctx`: the record text of the key's context. */
static bool reg_frees(const IrKey *key, const char *ctx, const char *user,
                      const LinkFact *x, const Paths *p) {
  if (x->key->kind != KEY_RECORD)
    return false;
  if (ir_record_eq(&key->rec, &x->key->rec))
    return true;
  /* The user-data object freed: only one the function was given (a
   * teardown of it by what it does). Whether a registration names a local
   * one, new memory or one looked up, is not known here: gas_query_req()
   * frees the query it allocated when radio_add_work() fails, before any
   * timeout could be registered with it. A hook's free ends the objects of
   * registrations on its own context (what its add function got beside
   * them), not of every one. */
  if (!user || x->arg < 0 || strcmp(user, x->key->text))
    return false;
  if (x->user) /* a hook's */
    return !strcmp(x->user, "*") || !strcmp(x->user, ctx);
  /* A plain free of it (free_dbus_object_desc() on a constructor's error
   * path) says nothing of registrations; a teardown that cancels another
   * one given the same object, and not this one, does. */
  return cancels_with(p, x->fn_usr, user);
}

static void check_teardowns(const LinkFact *const *g, int ng,
                            const LinkFact *const *starts, int ns,
                            const LinkFact *const *all, int n,
                            const LinkFact *by_all, const EngTeardown *td,
                            Paths *paths, Arena *a, FindingList *out) {
  const IrKey *key = g[0]->key;
  bool reg = key->kind == KEY_REGISTRATION && key->rec.name;
  if (key->kind != KEY_FIELD && !reg)
    return;
  const char *user = reg ? group_user(g, ng) : NULL;
  const char *ctx = reg ? ir_key_record(a, key->rec)->text : NULL;
  /* A deinit of the object (a framework teardown word) that stops the key
   * but does not free the object is the first phase of a teardown whose
   * free comes after it (hostapd_deinit_wps() in hostapd_interface_deinit(),
   * then hostapd_interface_free()); a function that stops and frees
   * (sta_remove()) is a whole teardown of its own, no phase. A phase of
   * the context's teardown is none of a user-data object's, which goes
   * on its own (a DBusTimeout when libdbus removes it). */
  const LinkFact *phase = NULL;
  for (int i = 0; i < ng && !phase; i++) {
    if (g[i]->kind != LF_STOP || g[i]->async ||
        !is_teardown(g[i]->function, td->callbacks, td->ncallbacks))
      continue;
    bool frees_too = false;
    for (int j = 0; j < paths->frees.n && !frees_too; j++) {
      const LinkFact *x = paths->frees.v[j];
      frees_too = !str_cmp0(x->fn_usr, g[i]->fn_usr) &&
                  (reg ? reg_frees(key, ctx, user, x, paths)
                       : ir_key_is_of(key, x->key));
    }
    if (!frees_too)
      phase = g[i];
  }
  /* The stop the teardown lacks: one in some function, else the loop's
   * teardown (uv_walk closing everything at the end: the object is freed
   * before, still linked into the loop). Only a maybe-stop: nothing to say. */
  const LinkFact *elsewhere = NULL;
  for (int i = 0; i < ng && !elsewhere; i++)
    if (g[i]->kind == LF_STOP)
      elsewhere = g[i];
  if (!elsewhere)
    elsewhere = by_all;
  if (!elsewhere)
    return;

  for (int i = 0; i < n; i++) {
    const LinkFact *fr = all[i];
    bool maybe;
    const LinkFact *only_async = NULL;
    /* A teardown of the record: it frees one (the object it was given,
     * whatever its name: #19 item 3; another one when its name says
     * teardown), or it stops another of its fields (and keeps the object
     * to itself): unrealize() that frees s->timer but not s->watchdog. */
    bool frees = fr->kind == LF_FREE &&
                 (reg ? reg_frees(key, ctx, user, fr, paths)
                      : ir_key_is_of(key, fr->key));
    bool sibling = fr->kind == LF_STOP && !fr->shared && !fr->async &&
                   ir_key_siblings(fr->key, key);
    if ((!frees && !sibling) ||
        !(frees ? teardown_free(fr, td)
                : is_teardown(fr->function, td->callbacks, td->ncallbacks)))
      continue;
    const LinkFact *st = stop_in(g, ng, fr->function, &maybe);
    /* A free after stops that do not wait (del_timer, cancel_work): the
     * callback may run on the freed object, though a stop elsewhere
     * waits (the error path's del_timer_sync). */
    if (st && frees && !maybe)
      only_async = async_only_in(g, ng, fr->function);
    if ((st && !only_async) || maybe ||
        (reg && wildcard_stopped(paths, key, user, fr->function)) ||
        (frees && ((phase && strcmp(phase->function, fr->function) &&
                    (!reg || ir_record_eq(&key->rec, &fr->key->rec))) ||
                   !live_after(paths, fr, g, ng, only_async) ||
                   later_phase(paths, fr, g, ng, only_async))))
      continue;
    const LinkFact *at = report_site(starts, ns);
    Finding fd = field_finding(a, at);
    const char *name = fd.handle;
    fd.message =
        only_async
            ? arena_printf(a, "%s is %s with %s() but %s%s() frees '%s' "
                              "after stopping it only with %s(), which does "
                              "not wait for a running callback", name,
                           made_here(at) ? "created" : "armed", at->api,
                           is_teardown(fr->function, td->names, td->nnames)
                               ? "teardown " : "",
                           fr->function, fr->key->rec.name, only_async->api)
        : frees ? arena_printf(a, "%s is %s with %s() but %s%s() frees "
                                "'%s'%s%s%s without stopping it first (it is "
                                "stopped only in %s())", name,
                             made_here(at) ? "created" : "armed", at->api,
                             is_teardown(fr->function, td->names, td->nnames)
                                 ? "teardown " : "",
                             fr->function, fr->key->rec.name,
                             fr->callee ? " through " : "",
                             fr->callee ? fr->api : "",
                             fr->callee ? "()" : "", elsewhere->function)
              : arena_printf(a, "%s is %s with %s() but teardown %s() stops "
                                "%s and not it (it is stopped only in %s())",
                             name, made_here(at) ? "created" : "armed",
                             at->api, fr->function, ir_key_display(a, fr->key),
                             elsewhere->function);
    fd.nnotes = frees && fr->shared ? 4 : 3;
    fd.notes = arena_alloc(a, (size_t)fd.nnotes * sizeof *fd.notes);
    if (fd.nnotes == 4)
      fd.notes[3] = path_note(a, paths, fr, name, "stops");
    fd.notes[0] = (Note){at->loc, arena_printf(a, "%s %s here by %s() in %s()",
                                               name, made_here(at) ? "created"
                                                                   : "armed",
                                               at->api, at->function)};
    fd.notes[1] = (Note){elsewhere->loc,
                         arena_printf(a, "stopped here by %s() in %s(), not "
                                         "in the teardown", elsewhere->api,
                                      elsewhere->function)};
    fd.notes[2] =
        frees ? (Note){fr->loc, arena_printf(a, "%s() frees '%s' here with %s "
                                                "still live",
                                             fr->api, fr->key->rec.name,
                                             name)}
              : (Note){fr->loc, arena_printf(a, "%s() stops %s here, in "
                                                "teardown %s(), but not %s",
                                             fr->api, ir_key_display(a, fr->key),
                                             fr->function, name)};
    array_push(out, fd);
    return; /* one teardown is enough to show */
  }
}

/* Is every thread of the key joined by the function that started it
 * (run_workers() starting a thread per element, then joining each)? Then
 * none outlives that call: a free in another function cannot race it. A
 * join is the stop its start names as its release (pthread_join, not a
 * detach), synchronous. */
static bool joined_by_starters(const LinkFact *const *g, int ng,
                               const LinkFact *const *starts, int ns) {
  if (!ns)
    return false;
  for (int s = 0; s < ns; s++) {
    bool joined = false;
    for (int i = 0; i < ng && !joined; i++)
      joined = g[i]->kind == LF_STOP && !g[i]->async &&
               !str_cmp0(g[i]->fn_usr, starts[s]->fn_usr) &&
               starts[s]->release_api &&
               !strcmp(g[i]->api, starts[s]->release_api);
    if (!joined)
      return false;
  }
  return true;
}

/* A thread kept in a field whose object a teardown frees without joining
 * or detaching it there (#19 item 5): a cancel or a stop flag asks it to
 * stop, it does not wait, and the thread may still use the object. */
static void check_thread_teardowns(const LinkFact *const *g, int ng,
                                   const LinkFact *const *starts, int ns,
                                   const LinkFact *const *all, int n,
                                   const EngTeardown *td, Paths *paths,
                                   Arena *a, FindingList *out) {
  const IrKey *key = g[0]->key;
  if (key->kind != KEY_FIELD || joined_by_starters(g, ng, starts, ns))
    return;
  const LinkFact *at = report_site(starts, ns);
  for (int i = 0; i < n; i++) {
    const LinkFact *fr = all[i];
    bool maybe;
    if (fr->kind != LF_FREE || !ir_key_is_of(key, fr->key) ||
        !teardown_free(fr, td) || stop_in(g, ng, fr->function, &maybe) ||
        maybe || !live_after(paths, fr, g, ng, false))
      continue;
    Finding fd = link_finding(a, CHK_STOP_TOO_LATE, fr, key, at->api);
    const char *name = fd.handle;
    fd.message = arena_printf(a, "%s() frees '%s' while thread %s, started "
                                 "with %s() in %s(), may still be running: "
                                 "it is not joined or detached first",
                              fr->function, key->rec.name, name, at->api,
                              at->function);
    fd.nnotes = fr->shared ? 3 : 2;
    fd.notes = arena_alloc(a, (size_t)fd.nnotes * sizeof *fd.notes);
    if (fr->shared)
      fd.notes[2] = path_note(a, paths, fr, name, "joins or detaches");
    fd.notes[0] = (Note){at->loc, arena_printf(a, "thread %s started here "
                                                  "by %s() in %s()",
                                               name, at->api, at->function)};
    fd.notes[1] = (Note){fr->loc, arena_printf(a, "%s() frees '%s' here, "
                                                  "with no join of %s in "
                                                  "%s()",
                                               fr->api, key->rec.name, name,
                                               fr->function)};
    array_push(out, fd);
  }
}

/* One key's facts `g` (for a registration: those of one user-data). */
static void check_key(const LinkFact *const *g, int ng, const LinkFact **starts,
                      const LinkFact *other, const LinkFact *const *v, int n,
                      const ApiList *apis, int ntus, const EngTeardown *td,
                      Paths *paths, Arena *a, FindingList *out) {
  bool stopped = false, async_elsewhere = false;
  const LinkFact *async = NULL; /* an async stop in a teardown */
  int ns = 0;
  const LinkFact *by_all = NULL;
  for (int j = 0; j < ng; j++) {
    const LinkFact *x = g[j];
    if ((x->kind == LF_START || x->kind == LF_FROM) && !by_all &&
        (by_all = stopped_by_all(apis, x)))
      stopped = true;
    switch (x->kind) {
    case LF_START: starts[ns++] = x; break;
    case LF_STOP:
      if (!x->async)
        stopped = true;
      else if (is_teardown(x->function, td->names, td->nnames))
        async = async ? async : x;
      else
        async_elsewhere = true;
      break;
    case LF_HIDE: stopped = true; break;
    case LF_PASS: stopped |= pass_stops(paths, x) != 0; break;
    case LF_FROM:
      if (made_by(paths, x))
        starts[ns++] = x;
      break;
    case LF_FREE: case LF_STOP_ALL: case LF_HANDS:
      break;
    }
  }
  bool thread = ns && starts[0]->kind == LF_START && starts[0]->arg == 1;
  if (thread) {
    check_thread_teardowns(g, ng, starts, ns, v, n, td, paths, a, out);
    return;
  }
  /* An asynchronous stop outside a teardown may be followed by a wait we
   * do not see: it counts as a stop. */
  if (ns && !stopped && !async_elsewhere &&
      !wildcard_stopped(paths, g[0]->key, group_user(g, ng), NULL))
    report(starts, ns, ntus, async, other, a, out);
  else if (ns && stopped)
    check_teardowns(g, ng, starts, ns, v, n, by_all, td, paths, a, out);
}

/* A registration's facts split by the user-data of its registrations
 * (eloop's third key part): each group holds the registrations made with
 * one, and every other fact that may match it (a cancel given the same,
 * any, or one unknown). Facts with no user-data anywhere: one group, as
 * before the split. */
static void check_users(const LinkFact *const *g, int ng,
                        const LinkFact **starts, const LinkFact **sub,
                        const LinkFact *const *v, int n, const ApiList *apis,
                        int ntus, const EngTeardown *td, Paths *paths,
                        Arena *a, FindingList *out) {
  bool split = false;
  for (int i = 0; i < ng && !split; i++)
    split = g[i]->key->kind == KEY_REGISTRATION &&
            (g[i]->kind == LF_START || g[i]->kind == LF_FROM) && g[i]->user;
  if (!split) {
    check_key(g, ng, starts, NULL, v, n, apis, ntus, td, paths, a, out);
    return;
  }
  for (int i = 0; i < ng; i++) {
    if (g[i]->kind != LF_START && g[i]->kind != LF_FROM)
      continue;
    const char *u = g[i]->user;
    bool seen = false; /* this user-data's group was checked */
    for (int k = 0; k < i && !seen; k++)
      seen = (g[k]->kind == LF_START || g[k]->kind == LF_FROM) &&
             !str_cmp0(g[k]->user, u);
    if (seen)
      continue;
    int m = 0;
    const LinkFact *other = NULL;
    for (int k = 0; k < ng; k++) {
      const LinkFact *x = g[k];
      bool start = x->kind == LF_START || x->kind == LF_FROM;
      if (start ? !str_cmp0(x->user, u) : user_matches(x->user, u))
        sub[m++] = x;
      else if (!start && x->kind == LF_STOP && !other)
        other = x;
    }
    check_key(sub, m, starts, other, v, n, apis, ntus, td, paths, a, out);
  }
}

void eng_link(const LinkData *all, int ntus, const EngTeardown *td, Arena *a,
              FindingList *out) {
  int n = all->facts.n;
  const LinkFact **v = xmalloc((size_t)(n ? n : 1) * sizeof *v);
  for (int i = 0; i < n; i++)
    v[i] = &all->facts.v[i];
  qsort(v, (size_t)n, sizeof *v, fact_cmp);
  ApiList apis = {0};
  stop_all_apis(all, &apis);
  Paths paths;
  paths_init(&paths, all);
  const LinkFact **starts = xmalloc((size_t)(n ? n : 1) * sizeof *starts);
  const LinkFact **sub = xmalloc((size_t)(n ? n : 1) * sizeof *sub);
  for (int i = 0, j; i < n; i = j) {
    for (j = i; j < n && !ir_key_cmp(v[j]->key, v[i]->key); j++)
      ;
    check_users(v + i, j - i, starts, sub, v, n, &apis, ntus, td, &paths, a,
                out);
  }
  paths_free(&paths);
  array_free(&apis);
  xfree(sub);
  xfree(starts);
  xfree(v);
}
