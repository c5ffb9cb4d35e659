/* lower_stmt.c: statements to the CFG. Structured statements get their
 * blocks here; expressions inside them go to lower_expr.c.
 *
 * libclang skips absent children (a `for (;;)` has only its body), so the
 * parts of an if/for are told apart by position against the tokens of the
 * statement's parenthesised header. */
#include <string.h>

#include "feInt.h"

static int label_block(Lower *L, const char *name) {
  for (int i = 0; i < L->labels.n; i++)
    if (strcmp(L->labels.v[i].name, name) == 0)
      return L->labels.v[i].block;
  Label l = {name, ir_block_new(L->f)};
  array_push(&L->labels, l);
  return l.block;
}

/* Offsets of the header's top-level semicolons and closing parenthesis;
 * false when the statement is not plain tokens (it comes from a macro). */
static bool from_macro(CXCursor c) {
  CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
  CXFile f1, f2;
  unsigned o1, o2;
  clang_getSpellingLocation(start, &f1, NULL, NULL, &o1);
  clang_getExpansionLocation(start, &f2, NULL, NULL, &o2);
  return f1 != f2 || o1 != o2;
}

static bool header_tokens(Lower *L, CXCursor stmt, unsigned *semi, int *nsemi,
                          unsigned *rparen) {
  *nsemi = 0;
  if (from_macro(stmt))
    return false; /* tokens would be the macro's, at one expansion offset */
  CXToken *t;
  unsigned n;
  clang_tokenize(L->tu, clang_getCursorExtent(stmt), &t, &n);
  bool ok = false;
  int depth = 0;
  *nsemi = 0;
  for (unsigned i = 1; i < n && n > 1; i++) {
    if (i == 1 && clang_getTokenKind(t[0]) != CXToken_Keyword)
      break;
    if (clang_getTokenKind(t[i]) != CXToken_Punctuation)
      continue;
    CXString s = clang_getTokenSpelling(L->tu, t[i]);
    const char *p = clang_getCString(s);
    unsigned off = fe_offset(clang_getTokenLocation(L->tu, t[i]));
    if (!strcmp(p, "(") || !strcmp(p, "{") || !strcmp(p, "["))
      depth++;
    else if (!strcmp(p, ")") || !strcmp(p, "}") || !strcmp(p, "]")) {
      if (--depth == 0 && !strcmp(p, ")")) {
        *rparen = off;
        ok = true;
      }
    } else if (!strcmp(p, ";") && depth == 1 && *nsemi < 2) {
      semi[(*nsemi)++] = off;
    }
    clang_disposeString(s);
    if (ok)
      break;
  }
  clang_disposeTokens(L->tu, t, n);
  return ok;
}

static unsigned start_of(CXCursor c) {
  return fe_offset(clang_getRangeStart(clang_getCursorExtent(c)));
}

/* Lowers a body (a destructor's, a scope guard's lambda) in place, as
 * deferred cleanup: its events are reported at the guard's declaration and
 * run at `at`; a return inside it ends only the body. */
static void inline_body(Lower *L, const Cleanup *c, IrLoc at) {
  bool has_this = L->has_this, inl = L->defer_inline;
  FePath self = L->this_path;
  int exit = L->inline_exit, depth = L->inline_depth;
  const char *why = L->defer_why;
  IrLoc dl = L->defer_loc, da = L->defer_at;
  int brk = L->brk, cont = L->cont;
  L->has_this = c->kind == CL_INLINE;
  L->this_path = c->self;
  L->inline_exit = ir_block_new(L->f);
  L->inline_depth = L->cleanups.n;
  L->defer_why = c->why;
  L->defer_inline = true;
  L->defer_loc = c->decl;
  L->defer_at = at;
  L->brk = L->cont = -1;
  fe_lower_stmt(L, c->body);
  fe_goto(L, L->inline_exit, false);
  L->cur = L->inline_exit;
  L->has_this = has_this;
  L->this_path = self;
  L->inline_exit = exit;
  L->inline_depth = depth;
  L->defer_why = why;
  L->defer_inline = inl;
  L->defer_loc = dl;
  L->defer_at = da;
  L->brk = brk;
  L->cont = cont;
}

/* Runs the cleanups of the scopes being left, innermost first, down to
 * `depth` (how many stay in scope). `at` is where control leaves. */
void fe_run_cleanups(Lower *L, int depth, IrLoc at) {
  for (int i = L->cleanups.n - 1; i >= depth && L->cur >= 0; i--) {
    Cleanup c = L->cleanups.v[i]; /* inlining may grow the array */
    if (c.kind == CL_INLINE || c.kind == CL_LAMBDA) {
      inline_body(L, &c, at);
      continue;
    }
    IrEvent *e;
    if (c.kind == CL_ROLE) {
      e = ir_emit(L->f, fe_block(L), (IrEventKind)c.rule->role, c.slot,
                  c.decl);
      e->flags |= EVF_IF_LIVE;
    } else {
      e = ir_emit(L->f, fe_block(L), EV_CALL, c.slot, c.decl);
      e->callee = c.callee;
      e->arg = 0;
      if (c.addr)
        e->flags |= EVF_ADDR;
      if (c.callee >= 0)
        L->fn_needed[c.callee] = true;
    }
    e->flags |= EVF_DEFERRED;
    e->api = c.fn;
    e->why = c.why;
    e->at = at;
  }
}

/* What runs when `var` goes out of scope: its cleanup attribute's
 * function, a scope guard its initializer built, or its destructor. */
/* A project scope guard built from a lambda (`auto g = make_scope_exit([fd]
 * { close(fd); });`, `ScopeExit g([&] {...})`): a class of the project
 * whose destructor calls a callable member, and the one lambda the
 * initializer holds is what that member runs at scope exit. Not when the
 * function names the guard again (it may be dismissed). */
struct GuardFind {
  CXCursor lambda;
  int nlambdas;
  CXCursor var;
  bool named;
  bool calls_member;
};

static enum CXChildVisitResult find_lambdas(CXCursor c, CXCursor parent,
                                            CXClientData d) {
  (void)parent;
  struct GuardFind *g = d;
  if (clang_getCursorKind(c) == CXCursor_LambdaExpr) {
    g->lambda = c;
    g->nlambdas++;
    return CXChildVisit_Continue;
  }
  return CXChildVisit_Recurse;
}

static enum CXChildVisitResult find_names(CXCursor c, CXCursor parent,
                                          CXClientData d) {
  (void)parent;
  struct GuardFind *g = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if ((k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) &&
      clang_equalCursors(clang_getCursorReferenced(c), g->var)) {
    g->named = true;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Recurse;
}

static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent,
                                           CXClientData d) {
  (void)parent;
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

static enum CXChildVisitResult find_member_call(CXCursor c, CXCursor parent,
                                                CXClientData d) {
  (void)parent;
  struct GuardFind *g = d;
  if (clang_getCursorKind(c) == CXCursor_CallExpr) {
    CXCursor callee = clang_getNullCursor();
    clang_visitChildren(c, first_child, &callee);
    if (!clang_Cursor_isNull(callee) &&
        clang_getCursorKind(callee) == CXCursor_MemberRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(callee)) ==
            CXCursor_FieldDecl) {
      g->calls_member = true;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Recurse;
}

static enum CXChildVisitResult find_dtor_body(CXCursor c, CXCursor parent,
                                              CXClientData d) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_Destructor) {
    clang_visitChildren(c, find_member_call, d);
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static CXCursor guard_lambda_body(Lower *L, CXCursor var) {
  CXCursor none = clang_getNullCursor();
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  CXType t = clang_getCanonicalType(clang_getCursorType(var));
  if (clang_Cursor_isNull(init) || t.kind != CXType_Record)
    return none;
  CXCursor decl = clang_getTypeDeclaration(t);
  CXCursor tmpl = clang_getSpecializedCursorTemplate(decl);
  CXCursor cls = clang_Cursor_isNull(tmpl) ? decl : tmpl;
  if (clang_Cursor_isNull(cls) ||
      clang_Location_isInSystemHeader(clang_getCursorLocation(cls)))
    return none;
  struct GuardFind g = {none, 0, var, false, false};
  clang_visitChildren(init, find_lambdas, &g);
  if (g.nlambdas != 1)
    return none;
  clang_visitChildren(cls, find_dtor_body, &g);
  if (!g.calls_member)
    return none;
  clang_visitChildren(L->fn_cursor, find_names, &g);
  if (g.named)
    return none;
  Kids k = fe_kids(L, g.lambda);
  for (int i = 0; i < k.n; i++)
    if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
      return k.v[i];
  return none;
}

static void push_cleanup(Lower *L, CXCursor var, CXCursor scope) {
  FePath p;
  if (!fe_var_path(L, var, &p) || p.bk != BASE_LOCAL) {
    L->has_pending = false;
    return;
  }
  Cleanup c = {0};
  c.decl = fe_loc(L, var);
  c.scope = scope;
  c.slot = fe_slot(L, &p);
  c.callee = -1;
  if (L->has_pending) {
    c = L->pending;
    if (c.kind == CL_CALL && c.slot >= 0 && !c.addr && L->cur >= 0) {
      /* unique_ptr<T, D> p(raw): p holds raw (what p.get() gives) */
      IrEvent *e = ir_emit(L->f, fe_block(L), EV_COPY, fe_slot(L, &p),
                           fe_loc(L, var));
      e->slot2 = c.slot;
    }
    c.decl = fe_loc(L, var);
    c.scope = scope;
    c.why = arena_printf(L->a, "%s as '%s' goes out of scope", c.fn, p.name);
    L->has_pending = false;
    array_push(&L->cleanups, c);
    return;
  }
  const char *fn = fe_cleanup_fn(L, var);
  const RuleFn *rule;
  CXCursor body;
  if (fn) {
    c.kind = CL_CALL;
    c.addr = true;
    c.callee = fe_fn_by_name(L, fn);
    c.fn = fn;
    c.why = arena_printf(L->a, "%s() as '%s' goes out of scope", fn, p.name);
  } else if (L->cxx && !clang_Cursor_isNull(body = guard_lambda_body(L, var))) {
    c.kind = CL_LAMBDA;
    c.body = body;
    c.fn = "the scope guard's lambda";
    c.why = arena_printf(L->a, "the destructor of '%s'", p.name);
  } else if (L->cxx && !clang_Cursor_isNull(fe_thread_container(
                            L, clang_getCursorType(var))) &&
             (rule = fe_dtor_rule(L, fe_thread_container(
                                         L, clang_getCursorType(var))))) {
    c.kind = CL_ROLE; /* destroys each element: std::thread's destructor */
    c.rule = rule;
    c.fn = rule->name;
    c.why = arena_printf(L->a, "the destructor of '%s'", p.name);
  } else if (L->cxx && fe_local_dtor(L, var, &rule, &body)) {
    c.kind = rule ? CL_ROLE : CL_INLINE;
    c.rule = rule;
    c.body = body;
    c.self = p;
    c.fn = rule ? rule->name : "its destructor";
    c.why = arena_printf(L->a, "the destructor of '%s'", p.name);
    if (rule && rule->role >= EV__COUNT)
      return; /* a role that is no event here */
  } else {
    return;
  }
  array_push(&L->cleanups, c);
}

/* How many cleanups stay in scope at a label: those whose compound
 * statement contains it (a goto may only leave scopes with cleanups). */
static int depth_at(Lower *L, CXCursor label) {
  unsigned off = fe_offset(clang_getCursorLocation(label));
  int d = 0;
  while (d < L->cleanups.n) {
    CXSourceRange r = clang_getCursorExtent(L->cleanups.v[d].scope);
    if (off < fe_offset(clang_getRangeStart(r)) ||
        off > fe_offset(clang_getRangeEnd(r)))
      break;
    d++;
  }
  return d;
}

/* A reference names what it was bound to, for good. */
static void bind_ref(Lower *L, const FePath *ref, CXCursor init) {
  Val v;
  if (fe_path_of(L, init, &v) && v.kind == VAL_PATH) {
    RefBind r = {ref->base, ref->ops, v.p};
    array_push(&L->refs, r);
  } else {
    fe_lower_expr(L, init);
  }
}

typedef struct {
  Lower *L;
  Array(CXCursor) fields;
} FieldAcc;

static enum CXVisitorResult field_visit(CXCursor c, CXClientData d) {
  FieldAcc *a = d;
  array_push(&a->fields, c);
  return CXVisit_Continue;
}

static enum CXChildVisitResult first_kid(CXCursor c, CXCursor parent,
                                        CXClientData d) {
  (void)parent;
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

/* `.field = v` or `[i] = v` in an initializer list: elements no longer
 * follow the fields in order. */
static bool designated(const Kids *k) {
  for (int i = 0; i < k->n; i++) {
    if (clang_getCursorKind(k->v[i]) != CXCursor_UnexposedExpr)
      continue;
    CXCursor c = clang_getNullCursor();
    clang_visitChildren(k->v[i], first_kid, &c);
    if (clang_getCursorKind(c) == CXCursor_MemberRef)
      return true;
  }
  return false;
}

void fe_init_targets(Lower *L, CXType t, CXCursor init, int depth) {
  t = clang_getCanonicalType(t);
  CXCursor list = fe_strip(init);
  if (depth > 4 || clang_getCursorKind(list) != CXCursor_InitListExpr)
    return;
  Kids k = fe_kids(L, list);
  if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) {
    CXType et = clang_getArrayElementType(t);
    for (int i = 0; i < k.n; i++) {
      Kids d = fe_kids(L, k.v[i]); /* [i] = {...}: the value is last */
      CXCursor el = clang_getCursorKind(k.v[i]) == CXCursor_UnexposedExpr &&
                            d.n > 0
                        ? d.v[d.n - 1]
                        : k.v[i];
      fe_init_targets(L, et, el, depth + 1);
    }
    return;
  }
  if (t.kind != CXType_Record)
    return;
  FieldAcc acc = {L, {0}};
  clang_Type_visitFields(t, field_visit, &acc);
  int f = 0;
  for (int i = 0; i < k.n; i++) {
    if (!clang_isExpression(clang_getCursorKind(k.v[i])))
      continue;
    CXCursor fd = clang_getNullCursor(), val = k.v[i];
    Kids d = fe_kids(L, k.v[i]);
    if (clang_getCursorKind(k.v[i]) == CXCursor_UnexposedExpr && d.n >= 2 &&
        clang_getCursorKind(d.v[0]) == CXCursor_MemberRef) {
      /* .a.b = v: the last member named, the value after */
      for (int j = 0; j < d.n - 1; j++)
        if (clang_getCursorKind(d.v[j]) == CXCursor_MemberRef)
          fd = clang_getCursorReferenced(d.v[j]);
      val = d.v[d.n - 1];
      for (int j = 0; j < acc.fields.n; j++)
        if (clang_equalCursors(acc.fields.v[j], fd))
          f = j + 1;
    } else if (f < acc.fields.n) {
      fd = acc.fields.v[f++];
    }
    if (clang_Cursor_isNull(fd))
      continue;
    CXType ft = clang_getCanonicalType(clang_getCursorType(fd));
    if (ft.kind == CXType_Record || ft.kind == CXType_ConstantArray)
      fe_init_targets(L, ft, val, depth + 1);
    else
      fe_store_target(L, fd, val);
  }
  array_free(&acc.fields);
}

/* An assignment to all of `p`: of the constant 0, or of a value not known
 * (what the value analysis reads of an initialisation). */
static void assign_whole(Lower *L, const FePath *p, bool zero, IrLoc loc) {
  IrEvent *e = ir_emit(L->f, fe_block(L), EV_ASSIGN, fe_slot(L, p), loc);
  if (zero)
    e->flags |= EVF_CONST;
}

/* `struct guard g = {t};`, `Guard g{t};`: element i initialises field i,
 * an assignment to var.field (a reference member is bound instead); a
 * nested list initialises the member's members. The members it does not
 * name are zero (C): all of var is first assigned 0. Where elements do
 * not follow the fields (designators, braces left out), what var holds is
 * not known. */
static void lower_aggregate(Lower *L, const FePath *var, CXType t,
                            CXCursor list) {
  FieldAcc acc = {L, {0}};
  clang_Type_visitFields(t, field_visit, &acc);
  Kids k = fe_kids(L, list);
  bool in_order = !designated(&k);
  IrLoc loc = fe_loc(L, list);
  if (in_order)
    assign_whole(L, var, true, loc);
  int f = 0;
  for (int i = 0; i < k.n; i++) {
    if (!clang_isExpression(clang_getCursorKind(k.v[i])))
      continue;
    if (f >= acc.fields.n) {
      fe_lower_expr(L, k.v[i]);
      continue;
    }
    CXCursor fd = acc.fields.v[f++];
    FePath p = *var;
    p.ops = arena_printf(L->a, "%s.%s", var->ops, fe_spelling(L, fd));
    CXType ft = clang_getCanonicalType(clang_getCursorType(fd));
    if (ft.kind == CXType_LValueReference || ft.kind == CXType_RValueReference) {
      bind_ref(L, &p, k.v[i]);
      continue;
    }
    CXCursor el = fe_strip(k.v[i]);
    if (in_order && ft.kind == CXType_Record &&
        clang_getCursorKind(el) == CXCursor_InitListExpr) {
      lower_aggregate(L, &p, ft, el);
      continue;
    }
    if (ft.kind == CXType_Record &&
        clang_getCanonicalType(clang_getCursorType(el)).kind !=
            CXType_Record)
      in_order = false; /* {1, 0, 2, 0}: the braces of members left out */
    Val lhs = {0};
    lhs.kind = VAL_PATH;
    lhs.p = p;
    fe_assign(L, lhs, fe_lower_expr(L, k.v[i]), fe_loc(L, k.v[i]));
  }
  if (!in_order)
    assign_whole(L, var, false, loc);
  array_free(&acc.fields);
}

/* A local's initialisation is an assignment to it. A static local's runs
 * once, not on this path. A constant alias (`p = &x`, see fe_alias_of) is
 * no assignment: uses of p are uses of x. */
/* A project constructor that keeps a parameter in a member (`TimerFd(int
 * fd) : fd_(fd) {}`): the local it constructs holds a copy of the
 * argument, so the guard's destructor closing fd_ closes what was passed
 * (#12 class 8). Only mem-initializers that name a parameter are read. */
static void ctor_copies(Lower *L, const FePath *obj, CXCursor init) {
  CXCursor call = fe_strip(init);
  if (clang_getCursorKind(call) != CXCursor_CallExpr)
    return;
  CXCursor ctor = clang_getCursorReferenced(call);
  if (clang_getCursorKind(ctor) != CXCursor_Constructor)
    return;
  CXCursor def = clang_getCursorDefinition(ctor);
  if (clang_Cursor_isNull(def) ||
      clang_Location_isInSystemHeader(clang_getCursorLocation(def)))
    return;
  int nargs = clang_Cursor_getNumArguments(call);
  Kids k = fe_kids(L, def);
  for (int i = 0; i + 1 < k.n; i++) {
    if (clang_getCursorKind(k.v[i]) != CXCursor_MemberRef)
      continue;
    CXCursor e = fe_strip(k.v[i + 1]);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
      continue;
    CXCursor parm = clang_getCursorReferenced(e);
    if (clang_getCursorKind(parm) != CXCursor_ParmDecl)
      continue;
    int idx = -1;
    for (int a = 0; a < clang_Cursor_getNumArguments(def) && idx < 0; a++)
      if (clang_equalCursors(clang_Cursor_getArgument(def, (unsigned)a), parm))
        idx = a;
    Val arg;
    FePath m;
    if (idx < 0 || idx >= nargs ||
        !fe_path_of(L, clang_Cursor_getArgument(call, (unsigned)idx), &arg) ||
        arg.kind != VAL_PATH || !fe_member_of(L, obj, k.v[i], &m) ||
        L->cur < 0)
      continue;
    IrEvent *c = ir_emit(L->f, fe_block(L), EV_COPY, fe_slot(L, &m),
                         fe_loc(L, init));
    c->slot2 = fe_slot(L, &arg.p);
  }
}

static void lower_var(Lower *L, CXCursor var) {
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  Val alias;
  /* libclang 19 gives no initializer at all when it had errors in C
   * (`struct event *ev = event_new(base, -1, EV_PERSIST, ...)` with the
   * header missing): the declaration's tokens still say it. */
  if (clang_Cursor_isNull(init) && L->tu_errors &&
      clang_Cursor_getStorageClass(var) != CX_SC_Static) {
    Val lhs = {0};
    lhs.kind = VAL_PATH;
    if (fe_recover_decl(L, var) && fe_var_path(L, var, &lhs.p))
      fe_assign(L, lhs, (Val){.kind = VAL_CONST, .k = 0}, fe_loc(L, var));
    return;
  }
  if (clang_Cursor_isNull(init) ||
      clang_Cursor_getStorageClass(var) == CX_SC_Static ||
      fe_alias_of(L, var, &alias))
    return;
  Val lhs = {0};
  lhs.kind = VAL_PATH;
  if (!fe_var_path(L, var, &lhs.p)) {
    fe_lower_expr(L, init);
    return;
  }
  /* An initializer with errors: its tokens, read with the declaration's
   * (`struct event *ev = event_new(...)` is `ev = event_new(...)`). */
  if (clang_getCursorKind(init) == CXCursor_UnexposedExpr &&
      !fe_kids(L, init).n && !fe_recover_null(L, init)) {
    fe_recover_range(L, clang_getCursorExtent(var), var);
    return;
  }
  CXType t = clang_getCanonicalType(clang_getCursorType(var));
  if (t.kind == CXType_LValueReference || t.kind == CXType_RValueReference) {
    bind_ref(L, &lhs.p, init);
    return;
  }
  CXCursor list = fe_strip(init);
  fe_init_targets(L, t, list, 0);
  if (t.kind == CXType_Record &&
      clang_getCursorKind(list) == CXCursor_InitListExpr) {
    if (fe_all_zero(L, list)) /* `= {0}`: all of it, braces or none */
      assign_whole(L, &lhs.p, true, fe_loc(L, var));
    else
      lower_aggregate(L, &lhs.p, t, list);
    return;
  }
  Val rhs = fe_lower_expr(L, init);
  fe_assign(L, lhs, rhs, fe_loc(L, var));
  if (L->cxx && t.kind == CXType_Record)
    ctor_copies(L, &lhs.p, init);
}

static void lower_if(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  CXCursor cond = clang_getNullCursor(), then = cond, els = cond;
  unsigned semi[2], rp;
  int ns;
  int first_body = -1;
  if (header_tokens(L, c, semi, &ns, &rp)) {
    for (int i = 0; i < k.n && first_body < 0; i++)
      if (start_of(k.v[i]) > rp)
        first_body = i;
  } else if (k.n >= 2) {
    /* From a macro: [init,] cond, then, else; or cond, then. */
    first_body = k.n >= 3 ? k.n - 2 : 1;
  }
  if (first_body < 1) {
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return;
  }
  for (int i = 0; i < first_body - 1; i++)
    fe_lower_stmt(L, k.v[i]); /* C++ init-statement / condition variable */
  cond = k.v[first_body - 1];
  then = k.v[first_body];
  if (first_body + 1 < k.n)
    els = k.v[first_body + 1];
  int tb = ir_block_new(L->f), fb = ir_block_new(L->f), join;
  if (clang_getCursorKind(cond) == CXCursor_VarDecl) {
    /* if (T x = e): lower the initialisation; its truth is not tracked. */
    lower_var(L, cond);
    IrCond unknown = {.var = -1, .op = CMP_NE};
    ir_branch(L->f, fe_block(L), unknown, tb, fb, fe_loc(L, cond));
    L->cur = -1;
  } else {
    fe_lower_cond(L, cond, tb, fb);
  }
  join = ir_block_new(L->f);
  L->cur = tb;
  fe_lower_stmt(L, then);
  fe_goto(L, join, false);
  L->cur = fb;
  if (!clang_Cursor_isNull(els))
    fe_lower_stmt(L, els);
  fe_goto(L, join, false);
  L->cur = join;
}

typedef struct {
  int brk, cont, brk_depth, cont_depth;
  bool cont_back;
} LoopSave;

static LoopSave loop_enter(Lower *L, int brk, int cont, bool cont_back) {
  LoopSave s = {L->brk, L->cont, L->brk_depth, L->cont_depth, L->cont_back};
  L->brk = brk;
  L->brk_depth = L->cleanups.n;
  if (cont != s.cont) /* a switch keeps the enclosing loop's continue */
    L->cont_depth = L->cleanups.n;
  L->cont = cont;
  L->cont_back = cont_back;
  return s;
}

static void loop_leave(Lower *L, LoopSave s) {
  L->brk = s.brk;
  L->cont = s.cont;
  L->brk_depth = s.brk_depth;
  L->cont_depth = s.cont_depth;
  L->cont_back = s.cont_back;
}

static void lower_while(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  if (k.n < 2) {
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return;
  }
  int head = ir_block_new(L->f), body = ir_block_new(L->f),
      exit = ir_block_new(L->f);
  fe_goto(L, head, false);
  L->cur = head;
  fe_lower_cond(L, k.v[k.n - 2], body, exit);
  LoopSave s = loop_enter(L, exit, head, true);
  L->cur = body;
  fe_lower_stmt(L, k.v[k.n - 1]);
  fe_goto(L, head, true);
  loop_leave(L, s);
  L->cur = exit;
}

static void lower_do(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  if (k.n != 2) {
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return;
  }
  int body = ir_block_new(L->f), test = ir_block_new(L->f),
      exit = ir_block_new(L->f);
  fe_goto(L, body, false);
  LoopSave s = loop_enter(L, exit, test, false);
  L->cur = body;
  fe_lower_stmt(L, k.v[0]);
  fe_goto(L, test, false);
  loop_leave(L, s);
  L->cur = test;
  int b = L->cur;
  fe_lower_cond(L, k.v[1], body, exit);
  ir_mark_back(L->f, b, body);
  L->cur = exit;
}

/* The braced list a range-for walks (`{&a, &b}`), under the implicit
 * std::initializer_list conversion. */
static bool init_list_of(Lower *L, CXCursor c, CXCursor *out) {
  for (int depth = 0; depth < 4; depth++) {
    c = fe_strip(c);
    if (clang_getCursorKind(c) == CXCursor_InitListExpr) {
      *out = c;
      return true;
    }
    Kids k = fe_kids(L, c);
    if (k.n != 1)
      return false;
    c = k.v[0];
  }
  return false;
}

/* `for (decl : range) body`: the range is evaluated once; each iteration
 * binds the variable to another element (an object we do not follow). */
static void lower_range_for(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  if (k.n < 2) {
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return;
  }
  CXCursor var = clang_getNullCursor(), list;
  int range = -1; /* a local vector of threads the loop walks */
  Val listv[8];
  int nlist = 0;
  for (int i = 0; i + 1 < k.n; i++) {
    enum CXCursorKind kk = clang_getCursorKind(k.v[i]);
    if (kk == CXCursor_VarDecl && clang_Cursor_isNull(var)) {
      var = k.v[i];
    } else if (clang_isExpression(kk) && init_list_of(L, k.v[i], &list)) {
      /* for (T *t : {&a, &b}): the elements are the paths it walks */
      Kids el = fe_kids(L, list);
      for (int j = 0; j < el.n && nlist < 8; j++) {
        Val ev = fe_lower_expr(L, el.v[j]);
        if ((ev.kind == VAL_ADDR || ev.kind == VAL_PATH) && !strstr(ev.p.ops, "[]"))
          listv[nlist++] = ev;
      }
    } else if (clang_isExpression(kk)) {
      Val rv = fe_lower_expr(L, k.v[i]);
      if (rv.kind == VAL_PATH && rv.p.bk == BASE_LOCAL &&
          !strstr(rv.p.ops, "[]") &&
          !clang_Cursor_isNull(fe_thread_container(
              L, clang_getCursorType(fe_strip(k.v[i])))))
        range = fe_slot(L, &rv.p);
    }
  }
  if (L->cur < 0)
    return;
  int head = ir_block_new(L->f), body = ir_block_new(L->f),
      exit = ir_block_new(L->f);
  fe_goto(L, head, false);
  IrCond more = {.var = -1, .op = CMP_NE};
  ir_branch(L->f, head, more, body, exit, fe_loc(L, c));
  LoopSave s = loop_enter(L, exit, head, true);
  L->cur = body;
  FePath p;
  int elem = -1;
  if (!clang_Cursor_isNull(var) && fe_var_path(L, var, &p)) {
    elem = fe_slot(L, &p);
    ir_emit(L->f, fe_block(L), EV_ASSIGN, elem, fe_loc(L, var));
  }
  int first = body, nblocks = L->f->blocks.n;
  (void)nblocks;
  fe_lower_stmt(L, k.v[k.n - 1]);
  fe_goto(L, head, true);
  loop_leave(L, s);
  L->cur = exit;
  /* `for (auto &t : threads) t.join();`: every element is joined (or
   * detached) once the loop is done: the container's threads end. */
  IrEventKind ends = EV__COUNT;
  for (int b = first; range >= 0 && elem >= 0 && b < L->f->blocks.n; b++)
    for (int i = 0; i < ir_block_nevents(L->f, b); i++) {
      const IrEvent *e = ir_event_at(L->f, b, i);
      if (e->slot == elem && (e->kind == EV_JOIN || e->kind == EV_DETACH))
        ends = e->kind;
    }
  if (ends != EV__COUNT && L->cur >= 0) {
    IrEvent *e = ir_emit(L->f, fe_block(L), ends, range, fe_loc(L, c));
    e->api = ends == EV_JOIN ? "std::thread::join" : "std::thread::detach";
  }
  /* Over a list of paths: a role on the element (`t->join()`, `t.join()`
   * with t a reference) is that role on each; anything else the body
   * does to them is unknown. */
  if (!nlist || L->cur < 0)
    return;
  const IrEvent *role = NULL;
  for (int b = first; elem >= 0 && b < L->f->blocks.n && !role; b++)
    for (int i = 0; i < ir_block_nevents(L->f, b) && !role; i++) {
      const IrEvent *e = ir_event_at(L->f, b, i);
      const IrSlot *es = e->slot >= 0 ? &L->f->slots.v[e->slot] : NULL;
      if (es && !strcmp(es->base, L->f->slots.v[elem].base) &&
          (e->kind == EV_JOIN || e->kind == EV_DETACH ||
           e->kind == EV_RELEASE) &&
          (!strcmp(es->ops, "*") || !es->ops[0]))
        role = e;
    }
  IrEventKind rk = role ? role->kind : EV__COUNT;
  const char *api = role ? role->api : NULL;
  for (int j = 0; j < nlist; j++) {
    bool deref = role && !strcmp(L->f->slots.v[role->slot].ops, "*");
    if (role && (deref ? listv[j].kind == VAL_ADDR : listv[j].kind == VAL_PATH)) {
      IrEvent *e = ir_emit(L->f, fe_block(L), rk, fe_slot(L, &listv[j].p),
                           fe_loc(L, c));
      e->api = api;
    } else {
      IrEvent *e = ir_emit(L->f, fe_block(L), EV_CALL,
                           fe_slot(L, &listv[j].p), fe_loc(L, c));
      e->callee = -1;
      if (listv[j].kind == VAL_ADDR)
        e->flags |= EVF_ADDR;
    }
  }
}

static void lower_for(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  CXCursor init = clang_getNullCursor(), cond = init, inc = init, body = init;
  unsigned semi[2], rp;
  int ns;
  if (k.n == 4) {
    init = k.v[0], cond = k.v[1], inc = k.v[2], body = k.v[3];
  } else if (header_tokens(L, c, semi, &ns, &rp) && ns == 2) {
    for (int i = 0; i < k.n; i++) {
      unsigned o = start_of(k.v[i]);
      CXCursor *slot = o < semi[0] ? &init : o < semi[1] ? &cond
                       : o < rp    ? &inc
                                   : &body;
      *slot = k.v[i];
    }
  } else if (k.n >= 1) {
    /* From a macro: the body is last; the rest runs unknown times. */
    body = k.v[k.n - 1];
    for (int i = 0; i + 1 < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
  }
  if (!clang_Cursor_isNull(init))
    fe_lower_stmt(L, init);
  int head = ir_block_new(L->f), bodyb = ir_block_new(L->f),
      step = ir_block_new(L->f), exit = ir_block_new(L->f);
  fe_goto(L, head, false);
  L->cur = head;
  if (!clang_Cursor_isNull(cond))
    fe_lower_cond(L, cond, bodyb, exit);
  else if (k.n == 4 || header_tokens(L, c, semi, &ns, &rp))
    fe_goto(L, bodyb, false); /* for (;;) */
  else {
    IrCond unknown = {.var = -1, .op = CMP_NE};
    ir_branch(L->f, head, unknown, bodyb, exit, fe_loc(L, c));
    L->cur = -1;
  }
  LoopSave s = loop_enter(L, exit, step, false);
  L->cur = bodyb;
  if (!clang_Cursor_isNull(body))
    fe_lower_stmt(L, body);
  fe_goto(L, step, false);
  loop_leave(L, s);
  L->cur = step;
  if (!clang_Cursor_isNull(inc))
    fe_lower_expr(L, inc);
  fe_goto(L, head, true);
  L->cur = exit;
}

/* A switch on a variable is lowered as the tests it makes: a chain of
 * `var == k` branches, one per case in order, the last failing into the
 * default (or past the switch). The branch facts then say which case runs,
 * in this function (a flag switched on twice) and in the link phase (a
 * dispatcher called with a constant event runs that case: #19). Any other
 * switch dispatches to any case, as before. */
static void lower_switch(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  if (k.n < 2) {
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return;
  }
  Val v = {0};
  for (int i = 0; i + 1 < k.n; i++)
    v = fe_lower_expr(L, k.v[i]);
  int var = v.kind == VAL_PATH && L->cur >= 0 ? fe_slot(L, &v.p) : -1;
  int sw = fe_block(L), exit = ir_block_new(L->f);
  if (var < 0)
    ir_switch(L->f, sw, fe_loc(L, c));
  int save_sw = L->sw_block, save_var = L->sw_var,
      save_dto = L->sw_default_to;
  const char *save_text = L->sw_text;
  bool save_def = L->sw_default;
  LoopSave s = loop_enter(L, exit, L->cont, L->cont_back);
  L->sw_block = sw;
  L->sw_default = false;
  L->sw_var = var;
  L->sw_default_to = -1;
  L->sw_text = var >= 0 ? fe_source_text(L, k.v[k.n - 2], 60) : NULL;
  L->cur = -1;
  fe_lower_stmt(L, k.v[k.n - 1]);
  fe_goto(L, exit, false);
  if (var >= 0) { /* no case matched: the default, or past the switch */
    L->cur = L->sw_block;
    fe_goto(L, L->sw_default_to >= 0 ? L->sw_default_to : exit, false);
  } else if (!L->sw_default) {
    ir_edge(L->f, sw, exit, false);
  }
  L->sw_block = save_sw;
  L->sw_default = save_def;
  L->sw_var = save_var;
  L->sw_default_to = save_dto;
  L->sw_text = save_text;
  loop_leave(L, s);
  L->cur = exit;
}

static void lower_case(Lower *L, CXCursor c, bool is_default) {
  Kids k = fe_kids(L, c);
  int b = ir_block_new(L->f);
  fe_goto(L, b, false); /* fall-through from the case above */
  if (L->sw_block >= 0 && L->sw_var >= 0 && is_default) {
    L->sw_default_to = b;
  } else if (L->sw_block >= 0 && L->sw_var >= 0) {
    /* This case's test: its value, or an unknown test (a GNU range, a
     * value we cannot evaluate) that may go either way. */
    int64_t x;
    bool known = k.n == 2 && fe_eval_int(k.v[0], &x);
    const char *ct = fe_source_text(L, k.v[0], 40);
    IrCond cd = {.var = known ? L->sw_var : -1, .op = known ? CMP_EQ : CMP_NE,
                 .k = known ? x : 0};
    /* fe_source_text quotes: one quoted test of the two texts */
    if (L->sw_text && ct)
      cd.text = arena_printf(L->a, "'%.*s == %.*s'",
                             (int)strlen(L->sw_text) - 2, L->sw_text + 1,
                             (int)strlen(ct) - 2, ct + 1);
    int next = ir_block_new(L->f);
    ir_branch(L->f, L->sw_block, cd, b, next, fe_loc(L, c));
    L->sw_block = next;
  } else if (L->sw_block >= 0) {
    ir_edge(L->f, L->sw_block, b, false);
  }
  if (is_default)
    L->sw_default = true;
  L->cur = b;
  if (k.n > 0)
    fe_lower_stmt(L, k.v[k.n - 1]);
}

static void lower_return(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  IrLoc loc = fe_loc(L, c);
  for (int i = 0; i < k.n; i++) {
    Val v = fe_lower_expr(L, k.v[i]);
    if (v.kind == VAL_PATH || v.kind == VAL_ADDR)
      ir_emit(L->f, fe_block(L), EV_ESCAPE, fe_slot(L, &v.p), loc);
    else if (v.kind == VAL_CONST && L->inline_exit < 0 && L->cur >= 0) {
      /* `return -1;`: which constant each return gives, for a caller
       * that tests it (an out-parameter creator, ir_lift_creators). */
      FePath p = {"$ret", "return value", BASE_TEMP, -1, "", NULL};
      IrEvent *e = ir_emit(L->f, fe_block(L), EV_ASSIGN, fe_slot(L, &p), loc);
      e->flags |= EVF_CONST;
      e->k = v.k;
    }
    else if (v.kind == VAL_CREATE && v.ret_handle)
      ir_event_at(L->f, v.ev_block, v.ev_index)->flags |= EVF_ESCAPED;
  }
  if (L->inline_exit >= 0) { /* returning from an inlined body */
    fe_run_cleanups(L, L->inline_depth, loc);
    fe_goto(L, L->inline_exit, false);
    return;
  }
  fe_run_cleanups(L, 0, loc);
  ir_term(L->f, fe_block(L), TERM_RETURN, loc);
  L->cur = -1;
}

static void lower_decl(Lower *L, CXCursor c, CXCursor scope) {
  Kids k = fe_kids(L, c);
  for (int i = 0; i < k.n; i++)
    if (clang_getCursorKind(k.v[i]) == CXCursor_VarDecl) {
      L->has_pending = false;
      lower_var(L, k.v[i]);
      if (!clang_Cursor_isNull(scope))
        push_cleanup(L, k.v[i], scope);
      L->has_pending = false;
    }
}

/* Where an exception thrown here goes: through the cleanups of the scopes
 * it leaves to the innermost try's handlers, or out of the function. The
 * current block ends with an invoke edge pair when `text` names a call
 * (normal flow goes on in a new block), or jumps for a throw. */
void fe_unwind(Lower *L, IrLoc loc, const char *text) {
  int from = fe_block(L), normal = -1;
  int pad = ir_block_new(L->f);
  if (text) {
    normal = ir_block_new(L->f);
    ir_invoke(L->f, from, text, normal, pad, loc);
  } else {
    ir_edge(L->f, from, pad, false);
  }
  L->cur = pad;
  if (L->try_target >= 0) {
    fe_run_cleanups(L, L->try_depth, loc);
    fe_goto(L, L->try_target, false);
  } else {
    fe_run_cleanups(L, 0, loc);
    if (L->cur >= 0)
      ir_term(L->f, L->cur, TERM_RETURN, loc);
  }
  L->cur = normal;
}

/* try { body } catch (...) { ... }: an exception in the body reaches a
 * dispatch block that may enter any handler; without a catch-all it may
 * also go on unwinding. */
static void lower_try(Lower *L, CXCursor c) {
  Kids k = fe_kids(L, c);
  if (k.n < 1)
    return;
  int dispatch = ir_block_new(L->f), join = ir_block_new(L->f);
  int save_t = L->try_target, save_d = L->try_depth;
  L->try_target = dispatch;
  L->try_depth = L->cleanups.n;
  fe_lower_stmt(L, k.v[0]);
  fe_goto(L, join, false);
  L->try_target = save_t;
  L->try_depth = save_d;
  ir_switch(L->f, dispatch, fe_loc(L, c));
  bool catch_all = false;
  for (int i = 1; i < k.n; i++) {
    Kids h = fe_kids(L, k.v[i]);
    if (h.n < 1)
      continue;
    catch_all |= h.n == 1; /* catch (...) declares nothing */
    int hb = ir_block_new(L->f);
    ir_edge(L->f, dispatch, hb, false);
    L->cur = hb;
    fe_lower_stmt(L, h.v[h.n - 1]);
    fe_goto(L, join, false);
  }
  if (!catch_all) {
    L->cur = ir_block_new(L->f);
    ir_edge(L->f, dispatch, L->cur, false);
    fe_unwind(L, fe_loc(L, c), NULL);
  }
  L->cur = join;
}

/* A block: its cleanups run when control falls off its end. What follows
 * a cleanup label is deferred cleanup up to the end of the block that
 * holds the label. */
/* In a TU with errors, the tokens between a block's statements are
 * statements clang dropped (`GThread *t = g_thread_new(...);` when GThread
 * is undeclared): the known calls among them, recovered. In a TU without
 * errors nothing is dropped (a macro that expands to nothing is no
 * call), so nothing is looked for. */
static void recover_gap(Lower *L, CXCursor block, unsigned from, unsigned to) {
  if (!L->tu_errors || to <= from + 1)
    return;
  CXFile f;
  clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(block)), &f,
                        NULL, NULL, NULL);
  if (!f)
    return;
  CXSourceRange r = clang_getRange(clang_getLocationForOffset(L->tu, f, from),
                                   clang_getLocationForOffset(L->tu, f, to));
  fe_recover_range(L, r, block);
}

static unsigned file_offset(CXSourceLocation l) {
  unsigned off;
  clang_getFileLocation(l, NULL, NULL, NULL, &off);
  return off;
}

static void lower_compound(Lower *L, CXCursor c) {
  Kids kids = fe_kids(L, c);
  int mark = L->cleanups.n;
  const char *why = L->defer_why;
  CXSourceRange ext = clang_getCursorExtent(c);
  unsigned gap = file_offset(clang_getRangeStart(ext)) + 1; /* past '{' */
  for (int i = 0; i < kids.n; i++) {
    CXSourceRange kr = clang_getCursorExtent(kids.v[i]);
    recover_gap(L, c, gap, file_offset(clang_getRangeStart(kr)));
    gap = file_offset(clang_getRangeEnd(kr));
    if (clang_getCursorKind(kids.v[i]) == CXCursor_DeclStmt)
      lower_decl(L, kids.v[i], c);
    else
      fe_lower_stmt(L, kids.v[i]);
  }
  unsigned end = file_offset(clang_getRangeEnd(ext));
  recover_gap(L, c, gap, end ? end - 1 : end); /* before '}' */
  fe_run_cleanups(L, mark, fe_loc_end(L, c));
  L->cleanups.n = mark;
  L->defer_why = why;
}

static bool temporary_destroyed(Lower *L, CXCursor stmt, const Val *v);

void fe_lower_stmt(Lower *L, CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  switch (k) {
  case CXCursor_CompoundStmt:
    lower_compound(L, c);
    return;
  case CXCursor_IfStmt: lower_if(L, c); return;
  case CXCursor_CXXTryStmt: lower_try(L, c); return;
  case CXCursor_WhileStmt: lower_while(L, c); return;
  case CXCursor_DoStmt: lower_do(L, c); return;
  case CXCursor_ForStmt: lower_for(L, c); return;
  case CXCursor_CXXForRangeStmt: lower_range_for(L, c); return;
  case CXCursor_SwitchStmt: lower_switch(L, c); return;
  case CXCursor_CaseStmt: lower_case(L, c, false); return;
  case CXCursor_DefaultStmt: lower_case(L, c, true); return;
  case CXCursor_ReturnStmt: lower_return(L, c); return;
  case CXCursor_DeclStmt: lower_decl(L, c, clang_getNullCursor()); return;
  case CXCursor_BreakStmt:
    if (L->brk >= 0) {
      fe_run_cleanups(L, L->brk_depth, fe_loc(L, c));
      fe_goto(L, L->brk, false);
    }
    return;
  case CXCursor_ContinueStmt:
    if (L->cont >= 0) {
      fe_run_cleanups(L, L->cont_depth, fe_loc(L, c));
      fe_goto(L, L->cont, L->cont_back);
    }
    return;
  case CXCursor_LabelStmt: {
    const char *name = fe_spelling(L, c);
    bool forward = false; /* a goto above already jumps here */
    for (int i = 0; i < L->labels.n && !forward; i++)
      forward = strcmp(L->labels.v[i].name, name) == 0;
    int b = label_block(L, name);
    fe_goto(L, b, false);
    L->cur = b;
    if (forward && !L->defer_why)
      L->defer_why = arena_printf(L->a, "the cleanup after label '%s'", name);
    Kids kids = fe_kids(L, c);
    if (kids.n > 0)
      fe_lower_stmt(L, kids.v[kids.n - 1]);
    return;
  }
  case CXCursor_GotoStmt: {
    Kids kids = fe_kids(L, c);
    CXCursor lab = kids.n ? clang_getCursorReferenced(kids.v[0])
                          : clang_getNullCursor();
    if (!clang_Cursor_isNull(lab)) {
      fe_run_cleanups(L, depth_at(L, lab), fe_loc(L, c));
      fe_goto(L, label_block(L, fe_spelling(L, lab)), false);
    }
    else
      ir_term(L->f, fe_block(L), TERM_NORETURN, fe_loc(L, c)), L->cur = -1;
    return;
  }
  case CXCursor_IndirectGotoStmt:
    /* Computed goto: the target is unknowable here; end the path. */
    ir_term(L->f, fe_block(L), TERM_NORETURN, fe_loc(L, c));
    L->cur = -1;
    return;
  case CXCursor_NullStmt:
    return;
  default:
    if (clang_isExpression(k)) {
      int b0 = L->cur, n0 = b0 >= 0 ? ir_block_nevents(L->f, b0) : 0;
      Val v = fe_lower_expr(L, c);
      CXCursor call = fe_strip(c);
      if (clang_getCursorKind(call) == CXCursor_CStyleCastExpr &&
          clang_getCanonicalType(clang_getCursorType(call)).kind ==
              CXType_Void) { /* (void)start(...): dropped on purpose */
        Kids vk = fe_kids(L, call);
        if (vk.n)
          call = fe_strip(vk.v[vk.n - 1]);
      }
      if (b0 >= 0 && L->cur == b0 &&
          clang_getCursorKind(call) == CXCursor_CallExpr) {
        IrLoc cl = fe_loc(L, call);
        for (int i = n0; i < ir_block_nevents(L->f, b0); i++) {
          IrEvent *e = ir_event_at(L->f, b0, i);
          if (e->kind == EV_ARM && e->loc.line == cl.line &&
              e->loc.col == cl.col && e->loc.file == cl.file)
            e->flags |= EVF_UNCHECKED; /* uv_timer_start(...); */
        }
      }
      if (v.kind == VAL_CREATE && v.ret_handle &&
          !temporary_destroyed(L, c, &v))
        ir_create_discard(ir_event_at(L->f, v.ev_block, v.ev_index));
      if (v.kind == VAL_NONE && v.unit_call && v.from_usr && L->cur >= 0) {
        /* `helper(...);`: its result dropped, for a creator of the unit to
         * become a discarded create (ir_lift_creators) */
        IrEvent *e = ir_emit(L->f, fe_block(L), EV_ASSIGN, -1, fe_loc(L, c));
        e->usr = v.from_usr;
        e->api = v.from_name;
      }
    }
    return;
  }
}

/* `std::thread(f);` as a statement: the object is a temporary, and its
 * destructor (a rule's destroy role) runs at the end of the statement on
 * what the create made. Lowered as a create into a temporary slot and that
 * destructor, so a joinable thread destroyed there is found as any local
 * destroyed while live, not as a dropped handle (#12 class 7). */
static bool temporary_destroyed(Lower *L, CXCursor stmt, const Val *v) {
  if (!L->cxx || L->cur < 0)
    return false;
  IrEvent *ce = ir_event_at(L->f, v->ev_block, v->ev_index);
  if (ce->kind != EV_CREATE || ce->slot >= 0 || (ce->flags & EVF_ESCAPED))
    return false;
  CXType t = clang_getCanonicalType(clang_getCursorType(stmt));
  if (t.kind != CXType_Record)
    return false;
  CXCursor cls = clang_getTypeDeclaration(t);
  const RuleFn *dtor = clang_Cursor_isNull(cls) ? NULL : fe_dtor_rule(L, cls);
  if (!dtor || dtor->role != EV_DESTROY)
    return false;
  CXString ts = clang_getTypeSpelling(t);
  int slot = fe_temp(L, arena_printf(L->a, "temporary %s", clang_getCString(ts)),
                     NULL);
  clang_disposeString(ts);
  ce = ir_event_at(L->f, v->ev_block, v->ev_index); /* slots may move */
  ce->slot = slot;
  IrLoc end = fe_loc(L, stmt);
  IrEvent *d = ir_emit(L->f, fe_block(L), EV_DESTROY, slot, end);
  d->api = dtor->name;
  d->flags |= EVF_DEFERRED;
  d->why = "the temporary's destructor at the end of the statement";
  d->at = end;
  return true;
}

/* Makes the unit's entry for a function, body not lowered yet (opaque). */
void fe_declare_function(Lower *L, CXCursor fn) {
  CXString usr = clang_getCursorUSR(fn);
  int np = clang_Cursor_getNumArguments(fn);
  IrFunc *f = ir_func_new(L->u, fe_spelling(L, fn), clang_getCString(usr),
                          fe_loc(L, fn), np < 0 ? 0 : np);
  f->opaque = true;
  clang_disposeString(usr);
}

void fe_lower_function(Lower *L, CXCursor fn, int index) {
  L->fn_cursor = fn;
  fe_bases_reset(L);
  L->f = L->u->funcs.v[index];
  L->f->opaque = false;
  L->cur = L->f->entry;
  L->brk = L->cont = L->sw_block = L->sw_var = L->sw_default_to = -1;
  L->brk_depth = L->cont_depth = 0;
  L->cleanups.n = L->assigned.n = L->refs.n = 0;
  L->defer_why = NULL;
  L->inline_exit = L->try_target = -1;
  L->has_this = L->defer_inline = L->has_pending = false;
  L->cont_back = L->sw_default = false;
  L->labels.n = L->mutated.n = 0;
  L->ntemps = 0;
  Kids k = fe_kids(L, fn);
  CXCursor body = clang_getNullCursor();
  for (int i = 0; i < k.n; i++)
    if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
      body = k.v[i];
  if (clang_Cursor_isNull(body))
    return;
  L->f->end_line = fe_loc_end(L, body).line;
  fe_prepass(L, body);
  /* A constructor's mem-initializers run first, each as this->m = init
   * (`worker_(&C::loop, this)` starts a thread into the member). */
  for (int i = 0; i + 1 < k.n && clang_getCursorKind(fn) == CXCursor_Constructor;
       i++) {
    if (clang_getCursorKind(k.v[i]) != CXCursor_MemberRef ||
        !clang_isExpression(clang_getCursorKind(k.v[i + 1])))
      continue;
    Val lhs;
    if (!fe_member_init_path(L, k.v[i], &lhs))
      continue;
    Val rhs = fe_lower_expr(L, k.v[i + 1]);
    if (L->cur < 0)
      break;
    fe_assign(L, lhs, rhs, fe_loc(L, k.v[i + 1]));
    i++;
  }
  if (L->cur < 0)
    return;
  fe_lower_stmt(L, body);
  if (L->cur >= 0)
    ir_term(L->f, L->cur, TERM_RETURN, fe_loc_end(L, body));
  L->cur = -1;
}
