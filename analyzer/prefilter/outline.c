/* outline.c: a file's definitions, found in its tokens as a reader would
 * find them, without the preprocessor or the types: `NAME (...) {...}` at
 * file scope is a function, `struct NAME {...}` (class, union, enum) and
 * `typedef ... NAME;` a type, `#define NAME body` a macro, anything else
 * ending in `;` a declaration. C++ qualified and in-class definitions are
 * functions too; namespaces and extern "C" blocks are transparent.
 *
 * Conditional compilation is read both ways; where the two branches of an
 * #if open braces differently (`void f(int a) {` / `void f(void) {`), the
 * #else goes back to the depth of the #if. A file whose braces still do
 * not balance is in doubt, and every identifier that looks declared in it
 * counts as defined by all of it. */
#include <stdlib.h>
#include <string.h>

#include "pfInt.h"

typedef struct {
  PfDefKind kind;
  bool code;
  IdList names, span, calls, mcalls;
} Build;

typedef enum { SC_DECL, SC_CLASS, SC_CODE } ScKind;

/* The statement being read in a declaration scope. */
typedef struct {
  int start;   /* its first token */
  int par;     /* parentheses open in it */
  int pending; /* a def the rest of it adds to (after a type's or an
                  initializer's braces), or -1 */
  int after;   /* where that rest starts */
} Stmt;

typedef struct {
  ScKind kind;
  int def;        /* whose tokens these are, or -1 */
  bool ends_stmt; /* closing it ends the statement (a function body) */
  Stmt saved;     /* the enclosing scope's statement */
} Scope;

typedef struct {
  int depth, after; /* scopes at the #if; at its first #else, or -1 */
} PpLevel;

/* Keywords the outline reads, interned once per file. */
enum {
  KW_STRUCT, KW_UNION, KW_CLASS, KW_ENUM, KW_TYPEDEF, KW_EXTERN,
  KW_NAMESPACE, KW_TEMPLATE, KW_OPERATOR, KW_FINAL, KW_ATTRIBUTE,
  KW_ATTRIBUTE2, KW_DECLSPEC, KW_ALIGNAS, KW_ALIGNAS2, KW_IF, KW_WHILE,
  KW_FOR, KW_SWITCH, KW_RETURN, KW_SIZEOF, KW_VOID, KW_CHAR, KW_SHORT,
  KW_INT, KW_LONG, KW_FLOAT, KW_DOUBLE, KW_SIGNED, KW_UNSIGNED, KW_BOOL,
  KW_CONST, KW_VOLATILE, KW_STATIC, KW_INLINE, KW__COUNT
};
static const char *const kw_names[KW__COUNT] = {
    "struct", "union", "class", "enum", "typedef", "extern", "namespace",
    "template", "operator", "final", "__attribute__", "__attribute",
    "__declspec", "alignas", "_Alignas", "if", "while", "for", "switch",
    "return", "sizeof", "void", "char", "short", "int", "long", "float",
    "double", "signed", "unsigned", "_Bool", "const", "volatile", "static",
    "inline"};

typedef struct {
  Pf *pf;
  const Tok *t;
  int nt;
  int kw[KW__COUNT];
  Array(Build) b;
  Array(Scope) sc;
  Stmt st;
  Array(PpLevel) pp;
  bool broken;
} Ol;

static bool is_kw(const Ol *O, const Tok *t, int k) {
  return t->kind == TK_IDENT && t->id == O->kw[k];
}

static bool is_p(const Tok *t, const char *p) {
  return t->kind == TK_PUNCT && !strcmp(t->p, p);
}

static bool class_key(const Ol *O, const Tok *t) {
  return is_kw(O, t, KW_STRUCT) || is_kw(O, t, KW_UNION) ||
         is_kw(O, t, KW_CLASS) || is_kw(O, t, KW_ENUM);
}

/* An identifier before '(' that is no function's name: an attribute, a
 * statement keyword, a basic type (`int (*cmp)(...)`). */
static bool not_a_name(const Ol *O, const Tok *t) {
  for (int k = KW_ATTRIBUTE; k < KW__COUNT; k++)
    if (is_kw(O, t, k))
      return true;
  return false;
}

static int new_def(Ol *O, PfDefKind kind, bool code) {
  Build b = {0};
  b.kind = kind;
  b.code = code;
  array_push(&O->b, b);
  return O->b.n - 1;
}

/* Identifier k of the token list into def d. */
static void add_tok(Ol *O, int d, int k) {
  Build *b = &O->b.v[d];
  const Tok *t = &O->t[k];
  array_push(&b->span, t->id);
  if (b->kind != DEF_FUNC || k + 1 >= O->nt || !is_p(&O->t[k + 1], "("))
    return;
  array_push(&b->calls, t->id);
  if (k > 0 && (is_p(&O->t[k - 1], ".") || is_p(&O->t[k - 1], "->")))
    array_push(&b->mcalls, t->id);
}

static void add_range(Ol *O, int d, int from, int to) {
  for (int k = from; k < to; k++)
    if (O->t[k].kind == TK_IDENT)
      add_tok(O, d, k);
}

/* The shape of tokens [s, e) of a declaration scope, read at paren and
 * template-angle depth 0. */
typedef struct {
  int eq;        /* the first '=' */
  int key;       /* the last class key */
  int fname;     /* the identifier naming a function (before its '('), */
  int paren;     /* ... that '(' */
  int colon;     /* a ':' after a ')': a constructor's initialisers */
  bool typedef_; /* a typedef */
  bool transparent; /* extern "C" / namespace, before its '{' */
} Shape;

static Shape shape(const Ol *O, int s, int e) {
  Shape h = {-1, -1, -1, -1, -1, false, false};
  int par = 0, ang = 0;
  bool closed = false; /* a ')' at depth 0 seen */
  for (int k = s; k < e; k++) {
    const Tok *t = &O->t[k];
    if (is_p(t, "(") || is_p(t, "[")) {
      /* `T (*name)(...)`: a declarator in parentheses, not a function. */
      bool declarator = k + 1 < e && (is_p(&O->t[k + 1], "*") ||
                                      is_p(&O->t[k + 1], "&") ||
                                      is_p(&O->t[k + 1], "^"));
      if (par == 0 && ang == 0 && is_p(t, "(") && h.paren < 0 && k > s &&
          !declarator) {
        const Tok *p = &O->t[k - 1];
        if (p->kind == TK_IDENT && !not_a_name(O, p)) {
          h.fname = k - 1;
          h.paren = k;
        } else if (k - 2 >= s && is_kw(O, &O->t[k - 2], KW_OPERATOR)) {
          h.fname = k - 2;
          h.paren = k;
        }
      }
      par++;
    } else if (is_p(t, ")") || is_p(t, "]")) {
      par -= par > 0;
      closed |= par == 0;
    } else if (par > 0) {
      continue;
    } else if (is_p(t, "<") && k > s && O->t[k - 1].kind == TK_IDENT &&
               h.eq < 0) {
      ang++; /* template <...>, a template-id: not a comparison here */
    } else if (is_p(t, ">") && ang > 0) {
      ang--;
    } else if (is_p(t, ">>") && ang > 0) {
      ang -= ang > 1 ? 2 : 1;
    } else if (ang > 0) {
      continue;
    } else if (is_p(t, "=") && h.eq < 0) {
      h.eq = k;
    } else if (class_key(O, t)) {
      h.key = k;
    } else if (is_kw(O, t, KW_TYPEDEF)) {
      h.typedef_ = true;
    } else if (is_kw(O, t, KW_NAMESPACE)) {
      h.transparent = true;
    } else if (is_p(t, ":") && closed && h.colon < 0) {
      h.colon = k;
    }
  }
  if (e - s == 2 && is_kw(O, &O->t[s], KW_EXTERN) &&
      O->t[s + 1].kind == TK_STRING)
    h.transparent = true;
  return h;
}

/* Names a declaration [s, e) declares: a declarator's identifier (followed
 * by `;` `,` `=` `[`, or `(*NAME)`), and a prototype's name. */
static void decl_names(Ol *O, int d, int s, int e, const Shape *h) {
  Build *b = &O->b.v[d];
  int par = 0;
  for (int k = s; k < e; k++) {
    const Tok *t = &O->t[k];
    if (is_p(t, "(") || is_p(t, "[")) {
      par++;
      continue;
    }
    if (is_p(t, ")") || is_p(t, "]")) {
      par -= par > 0;
      continue;
    }
    if (t->kind != TK_IDENT)
      continue;
    const Tok *nx = k + 1 < e ? &O->t[k + 1] : NULL;
    bool at0 = par == 0 && (!nx || is_p(nx, ";") || is_p(nx, ",") ||
                            is_p(nx, "=") || is_p(nx, "["));
    bool fptr = par == 1 && nx && is_p(nx, ")") && k - 1 > s &&
                is_p(&O->t[k - 1], "*") && is_p(&O->t[k - 2], "(");
    if ((at0 || fptr) && !not_a_name(O, t))
      array_push(&b->names, t->id);
  }
  if (h->fname >= 0)
    array_push(&b->names, O->t[h->fname].id);
}

/* A type's name: the last identifier after its key, before a base
 * clause, outside attributes. */
static int type_name(const Ol *O, int key, int e) {
  int name = -1, par = 0;
  for (int k = key + 1; k < e; k++) {
    const Tok *t = &O->t[k];
    if (is_p(t, "("))
      par++;
    else if (is_p(t, ")"))
      par -= par > 0;
    else if (par == 0 && is_p(t, ":"))
      break;
    else if (par == 0 && t->kind == TK_IDENT && !is_kw(O, t, KW_FINAL) &&
             !not_a_name(O, t))
      name = t->id;
  }
  return name;
}

static void push(Ol *O, ScKind kind, int def, bool ends_stmt) {
  Scope s = {kind, def, ends_stmt, O->st};
  array_push(&O->sc, s);
}

/* Closes the innermost scope at token k (its '}', or an #else). */
static void pop(Ol *O, int k) {
  Scope s = O->sc.v[--O->sc.n];
  O->st = s.saved;
  if (s.ends_stmt) {
    O->st.start = k + 1;
    O->st.par = 0;
    O->st.pending = -1;
  } else {
    O->st.pending = s.def;
    O->st.after = k + 1;
  }
}

static ScKind top(const Ol *O) { return O->sc.v[O->sc.n - 1].kind; }

/* '{' at token k of a declaration scope: what opens here. */
static void open_brace(Ol *O, int k) {
  int s = O->st.start;
  Shape h = shape(O, s, k);
  bool in_class = top(O) == SC_CLASS;
  if (O->st.pending >= 0 || O->st.par > 0) {
    /* A second brace of one statement, or one inside parentheses. */
    push(O, SC_CODE, O->st.pending, false);
    return;
  }
  if (h.transparent && !in_class) {
    push(O, SC_DECL, -1, true);
    return;
  }
  if (h.eq >= 0) { /* an initializer: code the TU compiles */
    int d = -1;
    if (!in_class) {
      d = new_def(O, DEF_DECL, true);
      decl_names(O, d, s, h.eq, &h);
      add_range(O, d, s, k);
    }
    push(O, SC_CODE, d, false);
    return;
  }
  if (h.key >= 0 && (h.paren < 0 || h.paren < h.key)) {
    int d = new_def(O, DEF_TYPE, false);
    int name = type_name(O, h.key, k);
    if (name >= 0)
      array_push(&O->b.v[d].names, name);
    add_range(O, d, s, k);
    push(O, SC_CLASS, d, false);
    return;
  }
  /* A constructor's member initialiser `m{x}` before its body. */
  if (h.colon >= 0 && k > s &&
      (O->t[k - 1].kind == TK_IDENT || is_p(&O->t[k - 1], ">"))) {
    push(O, SC_CODE, -1, false);
    return;
  }
  int d = new_def(O, DEF_FUNC, true);
  if (h.fname >= 0)
    array_push(&O->b.v[d].names, O->t[h.fname].id);
  add_range(O, d, s, k);
  push(O, SC_CODE, d, true);
}

/* ';' at token k of a declaration scope. */
static void end_stmt(Ol *O, int k) {
  int s = O->st.start;
  if (O->st.pending >= 0) { /* `} NAME, *PTR;` after a type's body */
    Shape h = shape(O, O->st.after, k);
    h.fname = -1;
    int d = O->st.pending;
    /* In a class body these declare members, not types or variables. */
    if ((O->b.v[d].kind == DEF_TYPE || O->b.v[d].kind == DEF_DECL) &&
        top(O) != SC_CLASS)
      decl_names(O, d, O->st.after, k, &h);
    add_range(O, d, O->st.after, k);
  } else if (top(O) != SC_CLASS && k > s) {
    Shape h = shape(O, s, k);
    bool fwd = k - s == 2 && class_key(O, &O->t[s]);
    int d = new_def(O, h.typedef_ || fwd ? DEF_TYPE : DEF_DECL, h.eq >= 0);
    decl_names(O, d, s, h.eq >= 0 ? h.eq : k, &h);
    add_range(O, d, s, k);
  }
  O->st.start = k + 1;
  O->st.par = 0;
  O->st.pending = -1;
}

static void pp_mark(Ol *O, int k) {
  const Tok *t = &O->t[k];
  if (t->kind == TK_PP_IF) {
    PpLevel l = {O->sc.n, -1};
    array_push(&O->pp, l);
  } else if (t->kind == TK_PP_ELSE && O->pp.n) {
    PpLevel *l = &O->pp.v[O->pp.n - 1];
    if (l->after < 0)
      l->after = O->sc.n;
    while (O->sc.n > l->depth && O->sc.n > 1)
      pop(O, k);
  } else if (t->kind == TK_PP_ENDIF && O->pp.n) {
    PpLevel l = O->pp.v[--O->pp.n];
    if (l.after >= 0 && O->sc.n != l.after)
      O->broken = true;
  }
}

/* Every def on the scope stack gets identifier k. */
static void code_ident(Ol *O, int k) {
  int last = -1;
  for (int i = O->sc.n - 1; i >= 0; i--) {
    int d = O->sc.v[i].def;
    if (d >= 0 && d != last)
      add_tok(O, d, k);
    last = d;
  }
}

static void walk(Ol *O) {
  O->st = (Stmt){0, 0, -1, 0};
  push(O, SC_DECL, -1, false);
  for (int k = 0; k < O->nt; k++) {
    const Tok *t = &O->t[k];
    if (t->kind >= TK_PP_IF) {
      pp_mark(O, k);
      continue;
    }
    if (t->kind == TK_IDENT) {
      code_ident(O, k);
      continue;
    }
    if (t->kind != TK_PUNCT)
      continue;
    bool decl = top(O) != SC_CODE;
    if (is_p(t, "{")) {
      if (decl)
        open_brace(O, k);
      else
        push(O, SC_CODE, -1, false);
    } else if (is_p(t, "}")) {
      if (O->sc.n <= 1)
        O->broken = true;
      else
        pop(O, k);
    } else if (decl && (is_p(t, "(") || is_p(t, "["))) {
      O->st.par++;
    } else if (decl && (is_p(t, ")") || is_p(t, "]"))) {
      O->st.par -= O->st.par > 0;
    } else if (decl && is_p(t, ";") && O->st.par == 0) {
      end_stmt(O, k);
    }
  }
  if (O->sc.n != 1)
    O->broken = true;
}

/* A file whose braces do not balance: every identifier that looks
 * declared in it (`T NAME(`, `*NAME(`, after a class key) is defined by
 * the whole file. */
static void fallback(Ol *O, IdList *all) {
  int d = new_def(O, DEF_FUNC, true);
  Build *b = &O->b.v[d];
  for (int k = 0; k < O->nt; k++) {
    const Tok *t = &O->t[k];
    if (t->kind != TK_IDENT)
      continue;
    const Tok *p = k > 0 ? &O->t[k - 1] : NULL;
    bool called = k + 1 < O->nt && is_p(&O->t[k + 1], "(");
    bool declared = p && ((called && (p->kind == TK_IDENT || is_p(p, "*")) &&
                           !not_a_name(O, t) && !not_a_name(O, p)) ||
                          class_key(O, p));
    if (declared)
      array_push(&b->names, t->id);
  }
  for (int i = 0; i < all->n; i++)
    array_push(&b->span, all->v[i]);
}

static int id_cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Sorted and unique, appended to the pool. */
static Range keep(PfOutline *o, IdList *l) {
  Range r = {o->pool.n, 0};
  if (l->n)
    qsort(l->v, (size_t)l->n, sizeof *l->v, id_cmp);
  for (int i = 0; i < l->n; i++)
    if (i == 0 || l->v[i] != l->v[i - 1]) {
      array_push(&o->pool, l->v[i]);
      r.n++;
    }
  return r;
}

static void add_macros(Ol *O, const IdList *m) {
  for (int i = 0; i < m->n; i++) {
    int d = new_def(O, DEF_MACRO, false);
    array_push(&O->b.v[d].names, m->v[i]);
    for (i++; i < m->n && m->v[i] >= 0; i++)
      array_push(&O->b.v[d].span, m->v[i]);
  }
}

void pf_outline(Pf *pf, const char *buf, size_t n, PfOutline *o) {
  TokList toks = {0};
  IdList macros = {0}, all = {0}, code = {0};
  pf_lex(pf, buf, n, &toks, o, &macros, &all);
  Ol O = {0};
  O.pf = pf;
  O.t = toks.v;
  O.nt = toks.n;
  for (int k = 0; k < KW__COUNT; k++)
    O.kw[k] = pf_intern(pf, kw_names[k], strlen(kw_names[k]));
  walk(&O);
  add_macros(&O, &macros);
  for (int k = 0; k < toks.n; k++)
    if (toks.v[k].kind == TK_IDENT)
      array_push(&all, toks.v[k].id);
  if (O.broken) {
    if (!o->doubt)
      o->doubt = "braces that do not balance";
    fallback(&O, &all);
  }
  for (int d = 0; d < O.b.n; d++) {
    Build *b = &O.b.v[d];
    PfDef def = {b->kind, b->code, keep(o, &b->names), keep(o, &b->span),
                 keep(o, &b->calls), keep(o, &b->mcalls)};
    array_push(&o->defs, def);
    if (b->code)
      for (int i = 0; i < def.span.n; i++)
        array_push(&code, o->pool.v[def.span.off + i]);
    array_free(&b->names);
    array_free(&b->span);
    array_free(&b->calls);
    array_free(&b->mcalls);
  }
  o->idents = keep(o, &all);
  o->code = keep(o, &code);
  array_free(&O.b);
  array_free(&O.sc);
  array_free(&O.pp);
  array_free(&toks);
  array_free(&macros);
  array_free(&all);
  array_free(&code);
}

void pf_outline_free(PfOutline *o) {
  array_free(&o->pool);
  array_free(&o->defs);
  array_free(&o->incs);
}
