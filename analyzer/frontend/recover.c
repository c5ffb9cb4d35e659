/* recover.c: calls the rules know, inside an expression clang could not
 * type (#13 item 1). With a project header missing, `pthread_t th;` is no
 * declaration at all and `pthread_create(&th, NULL, run, c) != 0` an
 * expression with errors, which libclang 19 shows as an UnexposedExpr
 * with no children. Its tokens still say what it does: a known function
 * called with `&x` or `x`. Such a call is lowered from the tokens, for
 * what the engine needs to follow the object (its create, arm, release,
 * join, detach), no more: no worker data, no status, no callback. A
 * variable the function declares is its own slot; one it never declares
 * (its type was unknown) is a local of that name, which every other use
 * (an error too) names the same way. What cannot be read is skipped. */
#include <stdlib.h>
#include <string.h>

#include "feInt.h"

enum { MAX_RTOKS = 512, MAX_ARGS = 16 };

typedef struct {
  CXToken *t;
  unsigned n;
  const char **s;
} RToks;

static bool ident(const char *s) {
  return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
         s[0] == '_';
}

typedef struct {
  const char *name;
  CXCursor found;
} FindVar;

static enum CXChildVisitResult find_var(CXCursor c, CXCursor parent,
                                        CXClientData d) {
  (void)parent;
  FindVar *fv = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl) {
    CXString s = clang_getCursorSpelling(c);
    bool same = !strcmp(clang_getCString(s), fv->name);
    clang_disposeString(s);
    if (same) {
      fv->found = c;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Recurse;
}

/* The path `name` names in the function being lowered: its declaration's,
 * or a local of that name when it declares none. */
static FePath var_path(Lower *L, const char *name) {
  FindVar fv = {name, clang_getNullCursor()};
  clang_visitChildren(L->fn_cursor, find_var, &fv);
  FePath p;
  if (!clang_Cursor_isNull(fv.found) && fe_var_path(L, fv.found, &p))
    return p;
  p = (FePath){arena_printf(L->a, "%s?", name), arena_strdup(L->a, name),
               BASE_LOCAL, -1, "", NULL};
  return p;
}

/* Argument [b, e) of a recovered call: `&x` or `x`. */
static bool arg_val(Lower *L, const RToks *t, unsigned b, unsigned e,
                    Val *v) {
  memset(v, 0, sizeof *v);
  bool addr = e - b == 2 && !strcmp(t->s[b], "&") && ident(t->s[b + 1]);
  if (!addr && !(e - b == 1 && ident(t->s[b])))
    return false;
  v->kind = addr ? VAL_ADDR : VAL_PATH;
  v->p = var_path(L, t->s[addr ? b + 1 : b]);
  return true;
}

/* One call NAME ( ... ) at token i whose rule is `r`: its events. */
/* The token before the casts a call's result goes through (`h =
 * (HANDLE)_beginthreadex(...)`: _beginthreadex returns uintptr_t): each
 * `( TYPE-WORDS [*...] )` right before token i. */
static unsigned before_casts(const RToks *t, unsigned i) {
  unsigned j = i;
  while (j >= 3 && !strcmp(t->s[j - 1], ")")) {
    unsigned k = j - 2;
    bool type = true;
    while (k > 0 && strcmp(t->s[k], "(") && type) {
      type = ident(t->s[k]) || !strcmp(t->s[k], "*");
      k--;
    }
    if (!type || strcmp(t->s[k], "(") || k + 1 == j - 1)
      break;
    j = k;
  }
  return j;
}

static int recover_call(Lower *L, const RuleFn *r, const RToks *t,
                        unsigned i, unsigned close, IrLoc loc) {
  unsigned j = 0; /* where the value goes, before any cast */
  Val args[MAX_ARGS];
  bool have[MAX_ARGS] = {0};
  int n = 0;
  unsigned b = i + 2;
  int depth = 0;
  for (unsigned k = i + 2; k <= close && n < MAX_ARGS; k++) {
    const char *s = t->s[k];
    if (k < close && (!strcmp(s, "(") || !strcmp(s, "[") || !strcmp(s, "{")))
      depth++;
    else if (k < close &&
             (!strcmp(s, ")") || !strcmp(s, "]") || !strcmp(s, "}")))
      depth--;
    else if ((k == close || (!depth && !strcmp(s, ","))) && k > b) {
      have[n] = arg_val(L, t, b, k, &args[n]);
      n++;
      b = k + 1;
    }
  }
  int role = r->role;
  int slot = -1;
  /* A keyed unregistration (eloop_cancel_timeout(handler, sta,
   * ELOOP_ALL_CTX) with eloop.h missing): the handler is the one key part
   * tokens name for sure, a function of this unit; the context is read as
   * any (the typed wildcard's path), which can only stop more. */
  if (r->role == ROLE_UNREGISTER && r->nkey > 0) {
    const char *what = NULL;
    unsigned ab = i + 2;
    int a = 0;
    for (unsigned k = i + 2, depth = 0; k <= close && !what; k++) {
      const char *x = t->s[k];
      if (k < close && (!strcmp(x, "(") || !strcmp(x, "[")))
        depth++;
      else if (k < close && (!strcmp(x, ")") || !strcmp(x, "]")))
        depth--;
      else if (k == close || (!depth && !strcmp(x, ","))) {
        bool keyed = false;
        for (int q = 0; q < r->nkey; q++)
          keyed |= r->key[q] == a;
        if (keyed && k == ab + 1 && ident(t->s[ab]) &&
            fe_fn_by_name(L, t->s[ab]) >= 0)
          what = t->s[ab];
        a++;
        ab = k + 1;
      }
    }
    if (!what)
      return -1;
    FePath p = {arena_printf(L->a, "@%s", what), what, BASE_GLOBAL, -1, "",
                ir_key_registration(L->a, what, NULL)};
    IrEvent *e = ir_emit(L->f, fe_block(L), EV_RELEASE, fe_slot(L, &p), loc);
    e->api = r->name;
    if (r->idempotent)
      e->flags |= EVF_IDEMPOTENT;
    return -1;
  }
  if (r->handle == HANDLE_DEREF && r->handle_arg < n && have[r->handle_arg] &&
      args[r->handle_arg].kind == VAL_ADDR)
    slot = fe_slot(L, &args[r->handle_arg].p);
  else if (r->handle == HANDLE_ARG && r->handle_arg < n &&
           have[r->handle_arg] && args[r->handle_arg].kind == VAL_PATH)
    slot = fe_slot(L, &args[r->handle_arg].p);
  else if (r->handle == HANDLE_RETURN && role == EV_CREATE &&
           (j = before_casts(t, i)) >= 2 &&
           !strcmp(t->s[j - 1], "=") && ident(t->s[j - 2]) &&
           /* `c->ev = create(...)`: a field, which tokens do not make a
            * path of: not followed (no finding can come of it). */
           !(j >= 3 && (!strcmp(t->s[j - 3], "->") ||
                        !strcmp(t->s[j - 3], ".")))) {
    FePath p = var_path(L, t->s[j - 2]); /* x = (T)create(...) */
    slot = fe_slot(L, &p);
  }
  if (slot < 0 || (role == EV_CREATE && L->recover_no_create))
    return -1;
  switch (role) {
  case EV_CREATE: {
    IrEvent *e = ir_emit(L->f, fe_block(L), EV_CREATE, slot, loc);
    e->api = r->name;
    e->fail = r->fails;
    e->release_api = r->release_api;
    e->res = r->res;
    if (r->arms)
      e->flags |= EVF_ARMS;
    if (r->inert)
      e->flags |= EVF_INERT;
    /* `x = create(...)` whose result says failure itself (NULL, -1): x is
     * what a later test of the status asks, as when the call is typed. */
    if (r->handle == HANDLE_RETURN && r->fails != FAIL_NEVER &&
        r->fails != FAIL_NONZERO)
      e->status = slot;
    return ir_block_nevents(L->f, L->cur) - 1;
  }
  case EV_ARM: case EV_DISARM: case EV_RELEASE: case EV_JOIN:
  case EV_DETACH: case EV_USE: {
    IrEvent *e = ir_emit(L->f, fe_block(L), (IrEventKind)role, slot, loc);
    e->api = r->name;
    if (r->async)
      e->flags |= EVF_ASYNC;
    if (r->idempotent)
      e->flags |= EVF_IDEMPOTENT;
    if (r->generic)
      e->flags |= EVF_GENERIC;
    break;
  }
  default:
    break;
  }
  return -1;
}

static void rtoks(Lower *L, CXSourceRange range, RToks *t) {
  clang_tokenize(L->tu, range, &t->t, &t->n);
  if (t->n > MAX_RTOKS)
    t->n = MAX_RTOKS;
  t->s = arena_alloc(L->a, (t->n + 1) * sizeof *t->s);
  for (unsigned i = 0; i < t->n; i++) {
    CXString s = clang_getTokenSpelling(L->tu, t->t[i]);
    t->s[i] = arena_strdup(L->a, clang_getCString(s));
    clang_disposeString(s);
  }
}

static unsigned matching(const RToks *t, unsigned open) {
  unsigned close = open;
  for (int depth = 0; close < t->n; close++) {
    if (!strcmp(t->s[close], "("))
      depth++;
    else if (!strcmp(t->s[close], ")") && --depth == 0)
      break;
  }
  return close;
}

static IrLoc token_loc(Lower *L, const RToks *t, unsigned i, CXCursor c) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(clang_getTokenLocation(L->tu, t->t[i]), &f,
                             &line, &col, NULL);
  IrLoc loc = fe_loc(L, c);
  loc.line = (int)line;
  loc.col = (int)col;
  return loc;
}

static bool cmp_op(const char *s, IrCmp *cmp) {
  static const struct {
    const char *op;
    IrCmp cmp;
  } ops[] = {{"==", CMP_EQ}, {"!=", CMP_NE}, {"<", CMP_LT},
             {">", CMP_GT},  {"<=", CMP_LE}, {">=", CMP_GE}};
  for (unsigned o = 0; o < sizeof ops / sizeof *ops; o++)
    if (!strcmp(s, ops[o].op)) {
      *cmp = ops[o].cmp;
      return true;
    }
  return false;
}

static bool int_literal(const char *s, int64_t *v) {
  char *end;
  long long x = strtoll(s, &end, 0);
  *v = x;
  return end != s && !*end;
}

bool fe_recover_cond(Lower *L, CXCursor c, int *var, IrCmp *cmp,
                     int64_t *k) {
  if (L->cur < 0)
    return false;
  RToks t = {0};
  rtoks(L, clang_getCursorExtent(c), &t);
  bool ok = false;
  unsigned i = t.n && !strcmp(t.s[0], "!") ? 1 : 0;
  const RuleFn *r = i + 1 < t.n && ident(t.s[i]) && !strcmp(t.s[i + 1], "(")
                        ? rules_lookup(L->fe->rules, t.s[i])
                        : NULL;
  unsigned close = r ? matching(&t, i + 1) : t.n;
  *cmp = i ? CMP_EQ : CMP_NE;
  *k = 0;
  bool shape = r && r->role == EV_CREATE && close < t.n;
  if (shape && close + 1 < t.n) { /* NAME(...) OP [-]INT */
    bool known = !i && cmp_op(t.s[close + 1], cmp);
    unsigned v = close + 2;
    bool neg = v < t.n && !strcmp(t.s[v], "-");
    v += neg;
    int64_t x = 0;
    shape = known && v + 1 == t.n && int_literal(t.s[v], &x);
    *k = neg ? -x : x;
  }
  /* A null test of a variable: `x`, `!x`, `x == NULL`, `NULL != x`, with 0
   * for NULL (NULL itself is undeclared when <stddef.h> came through the
   * missing header). Read as the test it is, or a path that failed to
   * create would seem to carry the object on (`ev == NULL` ... `if (ev !=
   * NULL) event_free(ev)` is one test asked twice). */
  if (!r && t.n > i) {
    unsigned v = t.n; /* the variable's token */
    bool eq = i != 0;
    if (t.n == i + 1 && ident(t.s[i]))
      v = i;
    else if (!i && t.n == 3) {
      bool z0 = rules_null_name(L->fe->rules, t.s[0]) || !strcmp(t.s[0], "0");
      bool z2 = rules_null_name(L->fe->rules, t.s[2]) || !strcmp(t.s[2], "0");
      bool op_eq = !strcmp(t.s[1], "=="), op_ne = !strcmp(t.s[1], "!=");
      if ((op_eq || op_ne) && z2 != z0) {
        v = z2 ? 0 : 2;
        eq = op_eq;
      }
    }
    if (v < t.n && ident(t.s[v]) && !rules_null_name(L->fe->rules, t.s[v])) {
      FePath p = var_path(L, t.s[v]);
      *var = fe_slot(L, &p);
      *cmp = eq ? CMP_EQ : CMP_NE;
      *k = 0;
      ok = true;
    }
    /* `id == AE_ERR`: a variable against a constant its family's missing
     * header defines (rules' `constants:`), or an integer: the status
     * test of a recovered `id = create(...)` (a failed create holds
     * nothing on that branch). */
    int64_t x;
    IrCmp op;
    if (!ok && !i && t.n == 3 && ident(t.s[0]) &&
        !rules_constant(L->fe->rules, t.s[0], &x) &&
        rules_constant(L->fe->rules, t.s[2], &x) && cmp_op(t.s[1], &op)) {
      FePath p = var_path(L, t.s[0]);
      *var = fe_slot(L, &p);
      *cmp = op;
      *k = x;
      ok = true;
    }
  }
  if (shape) {
    int at = recover_call(L, r, &t, i, close, token_loc(L, &t, i, c));
    if (at >= 0) {
      IrEvent *e = ir_event_at(L->f, L->cur, at);
      e->status = fe_temp(L, arena_printf(L->a, "%s()", e->api), NULL);
      *var = e->status;
      ok = true;
    }
  }
  clang_disposeTokens(L->tu, t.t, t.n);
  return ok;
}

bool fe_recover_decl(Lower *L, CXCursor var) {
  if (L->cur < 0)
    return false;
  CXSourceRange r =
      clang_getRange(clang_getRangeStart(clang_getCursorExtent(var)),
                     clang_getRangeEnd(clang_getCursorExtent(L->fn_cursor)));
  RToks t = {0};
  rtoks(L, r, &t);
  unsigned end = 0, eq = 0;
  for (int depth = 0; end < t.n; end++) {
    const char *x = t.s[end];
    if (!strcmp(x, "(") || !strcmp(x, "[") || !strcmp(x, "{"))
      depth++;
    else if (!strcmp(x, ")") || !strcmp(x, "]") || !strcmp(x, "}")) {
      if (depth-- == 0)
        break;
    } else if (!depth && (!strcmp(x, ";") || !strcmp(x, ",")))
      break;
    else if (!depth && !eq && !strcmp(x, "="))
      eq = end;
  }
  bool null = eq && end == eq + 2 &&
              (rules_null_name(L->fe->rules, t.s[eq + 1]) ||
               !strcmp(t.s[eq + 1], "0"));
  if (eq && !null && end > eq + 1)
    fe_recover_range(L, clang_getRange(clang_getRangeStart(clang_getTokenExtent(L->tu, t.t[0])),
                                       clang_getRangeEnd(clang_getTokenExtent(L->tu, t.t[end - 1]))),
                     var);
  clang_disposeTokens(L->tu, t.t, t.n);
  return null;
}

bool fe_recover_null(Lower *L, CXCursor c) {
  if (L->cur < 0)
    return false;
  RToks t = {0};
  rtoks(L, clang_getCursorExtent(c), &t);
  bool null = t.n == 1 && rules_null_name(L->fe->rules, t.s[0]);
  clang_disposeTokens(L->tu, t.t, t.n);
  return null;
}

void fe_recover_calls(Lower *L, CXCursor c) {
  fe_recover_range(L, clang_getCursorExtent(c), c);
}

void fe_recover_range(Lower *L, CXSourceRange range, CXCursor at) {
  if (L->cur < 0)
    return;
  CXCursor c = at;
  RToks t = {0};
  rtoks(L, range, &t);
  unsigned in_call_until = 0; /* tokens of an unknown call's arguments */
  for (unsigned i = 0; i < t.n; i++) {
    bool call = i + 1 < t.n && !strcmp(t.s[i + 1], "(");
    const RuleFn *r = ident(t.s[i]) && call
                          ? rules_lookup(L->fe->rules, t.s[i])
                          : NULL;
    if (!r) {
      /* A variable handed to unknown code or stored (`register_thread(th)`,
       * `c->worker = th`, `return th`) escapes: the benefit of the doubt.
       * A name followed by `(` is a function; one after `.` or `->` a
       * member; `(void)t` only reads it. */
      if (ident(t.s[i]) && call) {
        unsigned close = i + 1;
        for (int depth = 0; close < t.n; close++) {
          if (!strcmp(t.s[close], "("))
            depth++;
          else if (!strcmp(t.s[close], ")") && --depth == 0)
            break;
        }
        if (close > in_call_until)
          in_call_until = close;
      }
      bool member = i > 0 && (!strcmp(t.s[i - 1], ".") ||
                              !strcmp(t.s[i - 1], "->"));
      bool stored = i > 0 && (!strcmp(t.s[i - 1], "=") ||
                              !strcmp(t.s[i - 1], "return") ||
                              (!strcmp(t.s[i - 1], "&") && i > 1 &&
                               !strcmp(t.s[i - 2], "=")));
      bool handed = i < in_call_until;
      if (ident(t.s[i]) && !call && !member && (stored || handed)) {
        FePath p = var_path(L, t.s[i]);
        IrEvent *e = ir_emit(L->f, fe_block(L), EV_CALL, fe_slot(L, &p),
                             fe_loc(L, c));
        e->callee = -1;
        e->arg = 0;
      }
      continue;
    }
    unsigned close = matching(&t, i + 1);
    if (close >= t.n)
      break;
    recover_call(L, r, &t, i, close, token_loc(L, &t, i, c));
    i = close;
  }
  clang_disposeTokens(L->tu, t.t, t.n);
}
