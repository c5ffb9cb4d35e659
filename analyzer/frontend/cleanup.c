/* cleanup.c: what runs when a scope ends. Finds the function named by a
 * variable's __attribute__((cleanup(fn))), also when the attribute comes
 * from a macro (systemd's `_cleanup_(freep)`, `_cleanup_close_`), and tells
 * whether a call was expanded from a macro the rules call deferred cleanup
 * (pthread_cleanup_pop).
 *
 * libclang has no cursor kind for the cleanup attribute (an UnexposedAttr
 * with an empty spelling) and does not say which function it names: the
 * declaration's tokens do, once its macros are expanded. The expansion here
 * is token substitution, enough for attribute macros; it never evaluates
 * anything. */
#include <string.h>

#include "feInt.h"

enum { MAX_TOKS = 256, MAX_DEPTH = 4 };

typedef struct {
  const char *v[MAX_TOKS];
  int n;
} Toks;

static void toks_range(Lower *L, CXSourceRange r, Toks *out) {
  CXToken *t;
  unsigned n;
  clang_tokenize(L->tu, r, &t, &n);
  for (unsigned i = 0; i < n && out->n < MAX_TOKS; i++) {
    CXString s = clang_getTokenSpelling(L->tu, t[i]);
    out->v[out->n++] = arena_strdup(L->a, clang_getCString(s));
    clang_disposeString(s);
  }
  clang_disposeTokens(L->tu, t, n);
}

static bool is_ident(const char *s) {
  return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
         s[0] == '_';
}

/* The macro definition named `name`, from the TU's preprocessing record;
 * found once, then cached per TU (NULL cursor: not a macro). */
static enum CXChildVisitResult find_macro(CXCursor c, CXCursor parent,
                                          CXClientData d) {
  (void)parent;
  void **p = d;
  if (clang_getCursorKind(c) != CXCursor_MacroDefinition)
    return CXChildVisit_Continue;
  CXString s = clang_getCursorSpelling(c);
  bool hit = strcmp(clang_getCString(s), p[0]) == 0;
  clang_disposeString(s);
  if (hit) {
    *(CXCursor *)p[1] = c;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static CXCursor macro_def(Lower *L, const char *name) {
  for (int i = 0; i < L->macros.n; i++)
    if (strcmp(L->macros.v[i].name, name) == 0)
      return L->macros.v[i].def;
  CXCursor def = clang_getNullCursor();
  void *d[2] = {(void *)name, &def};
  clang_visitChildren(clang_getTranslationUnitCursor(L->tu), find_macro, d);
  MacroName m = {arena_strdup(L->a, name), def};
  array_push(&L->macros, m);
  return def;
}

static const char *find_in(Lower *L, const Toks *t, int depth);

/* Expands the macro at t->v[i] into `out`; returns the tokens consumed. */
static int expand(Lower *L, const Toks *t, int i, CXCursor def, Toks *out) {
  Toks d = {0};
  toks_range(L, clang_getCursorExtent(def), &d);
  int body = 1, consumed = 1;
  const char *params[16];
  int np = 0;
  const Toks *args_src = t;
  int arg_start[16], arg_end[16], na = 0;
  if (clang_Cursor_isMacroFunctionLike(def)) {
    /* name ( p1 , p2 ) body */
    for (body = 2; body < d.n && strcmp(d.v[body], ")"); body++)
      if (strcmp(d.v[body], ",") && np < 16)
        params[np++] = d.v[body];
    body++;
    if (i + 1 >= t->n || strcmp(t->v[i + 1], "("))
      return 1; /* the name alone: not an invocation */
    int depth = 0, j = i + 1;
    arg_start[0] = j + 1;
    for (; j < t->n; j++) {
      if (!strcmp(t->v[j], "("))
        depth++;
      else if (!strcmp(t->v[j], ")") && --depth == 0)
        break;
      else if (!strcmp(t->v[j], ",") && depth == 1 && na < 15) {
        arg_end[na++] = j;
        arg_start[na] = j + 1;
      }
    }
    arg_end[na++] = j;
    consumed = j - i + 1;
  }
  for (int k = body; k < d.n && out->n < MAX_TOKS; k++) {
    int p = -1;
    for (int q = 0; q < np && p < 0; q++)
      if (!strcmp(params[q], d.v[k]))
        p = q;
    if (p < 0 || p >= na) {
      out->v[out->n++] = d.v[k];
      continue;
    }
    for (int a = arg_start[p]; a < arg_end[p] && out->n < MAX_TOKS; a++)
      out->v[out->n++] = args_src->v[a];
  }
  return consumed;
}

/* cleanup ( NAME ) in t, looking through macros up to MAX_DEPTH deep. */
static const char *find_in(Lower *L, const Toks *t, int depth) {
  for (int i = 0; i + 3 < t->n; i++)
    if ((!strcmp(t->v[i], "cleanup") || !strcmp(t->v[i], "__cleanup__")) &&
        !strcmp(t->v[i + 1], "(") && is_ident(t->v[i + 2]) &&
        !strcmp(t->v[i + 3], ")"))
      return t->v[i + 2];
  if (depth >= MAX_DEPTH)
    return NULL;
  for (int i = 0; i < t->n; i++) {
    if (!is_ident(t->v[i]))
      continue;
    CXCursor def = macro_def(L, t->v[i]);
    if (clang_Cursor_isNull(def))
      continue;
    Toks out = {0};
    expand(L, t, i, def, &out);
    const char *f = find_in(L, &out, depth + 1);
    if (f)
      return f;
  }
  return NULL;
}

static enum CXChildVisitResult has_attr(CXCursor c, CXCursor parent,
                                        CXClientData d) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_UnexposedAttr) {
    *(bool *)d = true;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

const char *fe_cleanup_fn(Lower *L, CXCursor var) {
  bool any = false;
  clang_visitChildren(var, has_attr, &any);
  if (!any)
    return NULL;
  /* The declaration up to its name: the attribute is there, before any
   * initializer (whose macros are not ours to expand). Where the attribute
   * comes from a macro, the extent starts at its spelling inside the
   * definition: start at the expansion instead. */
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(var)),
                             &f, &line, &col, NULL);
  CXSourceRange head = clang_getRange(clang_getLocation(L->tu, f, line, col),
                                      clang_getCursorLocation(var));
  Toks t = {0};
  toks_range(L, head, &t);
  return find_in(L, &t, 0);
}

int fe_fn_by_name(Lower *L, const char *name) {
  for (int i = 0; i < L->u->funcs.n; i++)
    if (strcmp(L->u->funcs.v[i]->name, name) == 0)
      return i;
  return -1;
}

/* "pthread_cleanup_pop()" when the call at `c` was expanded from a macro
 * whose role is cleanup-macro; NULL otherwise. */
const char *fe_cleanup_macro(Lower *L, CXCursor c) {
  if (!L->fe->has_cleanup_macros)
    return NULL;
  CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
  CXFile sf, ef;
  unsigned so, eo, line, col;
  clang_getSpellingLocation(start, &sf, NULL, NULL, &so);
  clang_getExpansionLocation(start, &ef, &line, &col, &eo);
  if (sf == ef && so == eo)
    return NULL; /* not from a macro */
  CXCursor m = clang_getCursor(L->tu, clang_getLocation(L->tu, ef, line, col));
  if (clang_getCursorKind(m) != CXCursor_MacroExpansion)
    return NULL;
  const char *name = fe_spelling(L, m);
  const RuleFn *r = rules_lookup(L->fe->rules, name);
  if (!r || r->role != ROLE_CLEANUP_MACRO)
    return NULL;
  return arena_printf(L->a, "%s()", name);
}
