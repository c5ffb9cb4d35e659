/* link_guard.c: the teardown path's context (#19). A teardown hands its
 * object to a dispatcher with a constant event (wpa_supplicant_deauthenticate()
 * calling wpa_supplicant_event(wpa_s, EVENT_DEAUTH, ...)); only that
 * event's case runs there. Followed blindly, the path reaches every case,
 * and a cancel in the EVENT_ASSOC case excuses a teardown that never runs
 * it. So each fact a function gives the link phase carries its guard (the
 * values of the function's own parameters on every path that reaches it,
 * as its switch and `==` tests narrow them), each hand-off carries what
 * the call gives the callee's other parameters (constants, or the
 * caller's parameters passed on), and the path skips a fact whose guard
 * its context contradicts. Only ever a narrowing of a may-path: no guard,
 * no context, or anything unsure, and the fact counts as before. */
#include <stdlib.h>
#include <string.h>

#include "engineInt.h"

enum { MAX_PARAMS = 4, MAX_VALUES = 16 };

/* The parameter is one of v (neg: none of v). */
typedef struct {
  int param, n;
  bool neg;
  int64_t v[MAX_VALUES];
} PCon;

typedef struct {
  bool reached;
  int nc;
  PCon c[MAX_PARAMS];
} PState;

/* The parameter a slot is (the variable itself), or -1. */
static int param_of(const IrFunc *f, int slot) {
  if (slot < 0 || slot >= f->slots.n)
    return -1;
  const IrSlot *sl = &f->slots.v[slot];
  return sl->base_kind == BASE_PARAM && !sl->ops[0] ? sl->param : -1;
}

static PCon *con_of(PState *s, int param) {
  for (int i = 0; i < s->nc; i++)
    if (s->c[i].param == param)
      return &s->c[i];
  return NULL;
}

static void con_drop(PState *s, int param) {
  PCon *c = con_of(s, param);
  if (c)
    *c = s->c[--s->nc];
}

static bool has(const PCon *c, int64_t k) {
  for (int i = 0; i < c->n; i++)
    if (c->v[i] == k)
      return true;
  return false;
}

/* Narrows `s` by `param op k` holding; false: no path (the value is
 * excluded). */
static void drop_value(PCon *c, int64_t k) {
  int j = 0;
  for (int i = 0; i < c->n; i++)
    if (c->v[i] != k)
      c->v[j++] = c->v[i];
  c->n = j;
}

static bool narrow(PState *s, int param, IrCmp op, int64_t k) {
  PCon *c = con_of(s, param);
  if (op == CMP_EQ) {
    if (c) {
      if (has(c, k) == c->neg)
        return false;
      c->neg = false;
      c->n = 1;
      c->v[0] = k;
    } else if (s->nc < MAX_PARAMS) {
      s->c[s->nc++] = (PCon){param, 1, false, {k}};
    }
  } else if (op == CMP_NE) {
    if (c && !c->neg) {
      drop_value(c, k);
      if (!c->n)
        return false;
    } else if (c && !has(c, k)) {
      if (c->n == MAX_VALUES)
        con_drop(s, param);
      else
        c->v[c->n++] = k;
    } else if (!c && s->nc < MAX_PARAMS) {
      s->c[s->nc++] = (PCon){param, 1, true, {k}};
    }
  }
  return true;
}

/* Joins `in` into `to`; true when `to` changed. */
static bool join(PState *to, const PState *in) {
  if (!to->reached) {
    *to = *in;
    return true;
  }
  bool changed = false;
  for (int i = 0; i < to->nc;) {
    PCon *c = &to->c[i];
    const PCon *d = con_of((PState *)in, c->param);
    bool drop = !d;
    if (d && !c->neg && !d->neg) { /* one of either */
      for (int j = 0; j < d->n && !drop; j++)
        if (!has(c, d->v[j])) {
          if (c->n == MAX_VALUES)
            drop = true;
          else {
            c->v[c->n++] = d->v[j];
            changed = true;
          }
        }
    } else if (d) { /* none of what both exclude */
      PCon x = c->neg ? *c : *d;
      const PCon *y = c->neg ? d : c;
      for (int j = 0; j < x.n;)
        if (y->neg ? !has(y, x.v[j]) : has(y, x.v[j]))
          x.v[j] = x.v[--x.n];
        else
          j++;
      drop = !x.n;
      if (!drop && (x.n != c->n || c->neg != x.neg)) {
        *c = x;
        changed = true;
      }
    }
    if (drop) {
      *c = to->c[--to->nc];
      changed = true;
    } else {
      i++;
    }
  }
  return changed;
}

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return (a > b) - (a < b);
}

static int cmp_con(const void *x, const void *y) {
  return ((const PCon *)x)->param - ((const PCon *)y)->param;
}

static const char *guard_text(PState *s, Arena *a) {
  if (!s->reached || !s->nc)
    return NULL;
  qsort(s->c, (size_t)s->nc, sizeof *s->c, cmp_con);
  StrBuf b = {0};
  for (int i = 0; i < s->nc; i++) {
    PCon *c = &s->c[i];
    qsort(c->v, (size_t)c->n, sizeof *c->v, cmp_i64);
    sb_printf(&b, "%s%d:%s", i ? ";" : "", c->param, c->neg ? "!" : "");
    for (int j = 0; j < c->n; j++)
      sb_printf(&b, "%s%lld", j ? "," : "", (long long)c->v[j]);
  }
  const char *t = arena_strdup(a, b.s);
  sb_free(&b);
  return t;
}

const char **eng_param_guards(const IrFunc *f, Arena *a) {
  int n = f->blocks.n;
  const char **g = xcalloc((size_t)(n ? n : 1), sizeof *g);
  bool any = false;
  for (int b = 0; b < n && !any; b++) {
    const IrBlock *bl = &f->blocks.v[b];
    any = bl->term == TERM_BRANCH && param_of(f, bl->cond.var) >= 0 &&
          (bl->cond.op == CMP_EQ || bl->cond.op == CMP_NE);
  }
  if (!any || f->entry < 0 || f->entry >= n)
    return g; /* no test of a parameter: no guard anywhere */
  PState *in = xcalloc((size_t)n, sizeof *in);
  int *work = xmalloc((size_t)n * sizeof *work);
  bool *queued = xcalloc((size_t)n, sizeof *queued);
  int nw = 0;
  in[f->entry].reached = true;
  work[nw++] = f->entry;
  queued[f->entry] = true;
  while (nw) {
    int b = work[--nw];
    queued[b] = false;
    const IrBlock *bl = &f->blocks.v[b];
    PState out = in[b];
    for (int i = 0; i < bl->ev.n; i++) {
      const IrEvent *e = &bl->ev.v[i];
      /* Written, or its address given away: no longer the caller's. */
      if (e->kind == EV_ASSIGN || e->kind == EV_COPY ||
          (e->kind == EV_CALL && (e->flags & EVF_ADDR)))
        con_drop(&out, param_of(f, e->slot));
    }
    for (int k = 0; k < bl->succ.n; k++) {
      PState s = out;
      int p = param_of(f, bl->cond.var);
      if (bl->term == TERM_BRANCH && k < 2 && p >= 0 &&
          !narrow(&s, p, k == 0 ? bl->cond.op : cmp_negate(bl->cond.op),
                  bl->cond.k))
        continue;
      int to = bl->succ.v[k].to;
      if (join(&in[to], &s) && !queued[to]) {
        queued[to] = true;
        work[nw++] = to;
      }
    }
  }
  for (int b = 0; b < n; b++) {
    PState s = in[b];
    /* The guard holds where the block starts; the block's own writes of
     * a parameter end it for the events after them, so a block that
     * writes one carries no guard at all. */
    const IrBlock *bl = &f->blocks.v[b];
    for (int i = 0; i < bl->ev.n; i++) {
      const IrEvent *e = &bl->ev.v[i];
      if (e->kind == EV_ASSIGN || e->kind == EV_COPY ||
          (e->kind == EV_CALL && (e->flags & EVF_ADDR)))
        con_drop(&s, param_of(f, e->slot));
    }
    g[b] = guard_text(&s, a);
  }
  xfree(in);
  xfree(work);
  xfree(queued);
  return g;
}

/* One item of a guard ("1:!3,4;2:0"): parameter, negation, values.
 * Advances *p past it; false at the end or on text it cannot read. */
static bool guard_item(const char **p, PCon *c) {
  if (!**p)
    return false;
  char *end;
  c->param = (int)strtol(*p, &end, 10);
  if (*end != ':')
    return false;
  const char *q = end + 1;
  c->neg = *q == '!';
  q += c->neg;
  c->n = 0;
  for (;;) {
    long long x = strtoll(q, &end, 10);
    if (end == q || c->n == MAX_VALUES)
      return false;
    c->v[c->n++] = x;
    q = end;
    if (*q != ',')
      break;
    q++;
  }
  if (*q == ';')
    q++;
  else if (*q)
    return false;
  *p = q;
  return true;
}

/* The single value parameter `param` has under `guard`, if it has one. */
static bool guard_single(const char *guard, int param, int64_t *v) {
  PCon c;
  for (const char *p = guard; p && guard_item(&p, &c);)
    if (c.param == param) {
      *v = c.v[0];
      return !c.neg && c.n == 1;
    }
  return false;
}

typedef struct {
  int arg;
  bool fwd;
  int64_t v;
} CItem;

static int cmp_item(const void *x, const void *y) {
  return ((const CItem *)x)->arg - ((const CItem *)y)->arg;
}

const char *eng_hand_consts(const IrFunc *f, int b, int i, const char *guard,
                            Arena *a) {
  const IrBlock *bl = &f->blocks.v[b];
  const IrEvent *call = &bl->ev.v[i];
  CItem items[16];
  int n = 0;
  /* The call's other arguments are the events of the same call beside it:
   * same place, same callee. */
  for (int j = 0; j < bl->ev.n && n < 16; j++) {
    const IrEvent *e = &bl->ev.v[j];
    if (j == i || e->loc.line != call->loc.line ||
        e->loc.col != call->loc.col || e->callee != call->callee ||
        (call->callee < 0 && (!e->usr || !call->usr ||
                              strcmp(e->usr, call->usr))) ||
        e->arg < 0 || e->arg == call->arg)
      continue;
    int p;
    int64_t v;
    if (e->kind == EV_VALUE)
      items[n++] = (CItem){e->arg, false, e->k};
    else if (e->kind == EV_CALL && !(e->flags & EVF_ADDR) &&
             (p = param_of(f, e->slot)) >= 0)
      items[n++] = guard_single(guard, p, &v) ? (CItem){e->arg, false, v}
                                              : (CItem){e->arg, true, p};
  }
  if (!n)
    return NULL;
  qsort(items, (size_t)n, sizeof *items, cmp_item);
  StrBuf s = {0};
  for (int k = 0; k < n; k++)
    sb_printf(&s, "%s%d=%s%lld", k ? ";" : "", items[k].arg,
              items[k].fwd ? "p" : "", (long long)items[k].v);
  const char *t = arena_strdup(a, s.s);
  sb_free(&s);
  return t;
}

/* The value `ctx` ("1=3;2=0") gives parameter `param`. */
static bool ctx_value(const char *ctx, int param, int64_t *v) {
  for (const char *p = ctx; p && *p;) {
    char *end;
    long q = strtol(p, &end, 10);
    if (*end != '=')
      return false;
    long long x = strtoll(end + 1, &end, 10);
    if (q == param) {
      *v = x;
      return true;
    }
    while (*end && *end != ';')
      end++;
    p = *end ? end + 1 : end;
  }
  return false;
}

bool eng_guard_excludes(const char *guard, const char *ctx) {
  if (!guard || !ctx)
    return false;
  PCon c;
  for (const char *p = guard; guard_item(&p, &c);) {
    int64_t x;
    if (ctx_value(ctx, c.param, &x) && has(&c, x) == c.neg)
      return true;
  }
  return false; /* an unreadable rest excludes nothing */
}

const char *eng_ctx_compose(const char *consts, const char *ctx, Arena *a) {
  if (!consts)
    return NULL;
  StrBuf s = {0};
  for (const char *p = consts; *p;) {
    char *end;
    long arg = strtol(p, &end, 10);
    if (*end != '=')
      break;
    p = end + 1;
    bool fwd = *p == 'p';
    long long x = strtoll(p + fwd, &end, 10);
    int64_t v = x;
    if (!fwd || ctx_value(ctx, (int)x, &v))
      sb_printf(&s, "%s%ld=%lld", s.len ? ";" : "", arg, (long long)v);
    p = *end == ';' ? end + 1 : end;
  }
  const char *t = s.len ? arena_strdup(a, s.s) : NULL;
  sb_free(&s);
  return t;
}
