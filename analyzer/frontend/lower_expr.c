/* lower_expr.c: expressions to events, conditions to branches.
 *
 * Evaluation order is approximated left to right, callee arguments before
 * the call: enough for lifecycles, where what matters is that a create's
 * status test comes after the create and a release after its argument. */
#include <stdlib.h>
#include <string.h>

#include "feInt.h"

int fe_block(Lower *L) {
  if (L->cur < 0)
    L->cur = ir_block_new(L->f); /* dead code still gets lowered, unreached */
  return L->cur;
}

void fe_goto(Lower *L, int target, bool back) {
  if (L->cur >= 0)
    ir_edge(L->f, L->cur, target, back);
  L->cur = -1;
}

static IrEvent *emit(Lower *L, IrEventKind k, int slot, IrLoc loc) {
  IrEvent *e = ir_emit(L->f, fe_block(L), k, slot, loc);
  if (L->defer_why) {
    e->flags |= EVF_DEFERRED;
    e->why = L->defer_why;
    e->at = L->defer_inline ? L->defer_at : loc;
    if (L->defer_inline) /* a destructor's or guard's body: report where */
      e->loc = L->defer_loc; /* the guard is declared, not in the class */
  }
  return e;
}

static Val val_const(int64_t k) {
  Val v = {0};
  v.kind = VAL_CONST;
  v.k = k;
  return v;
}

static IrEvent *event_at(Lower *L, int b, int i) {
  return ir_event_at(L->f, b, i);
}

/* A path is trackable when its storage is one object: an array element
 * ("[]") stands for many, so a handle there has escaped our model. */
static bool trackable(const FePath *p) { return !strstr(p->ops, "[]"); }

/* A number (an int, an enum, a float, a bool): nothing reachable from it. */
static bool is_scalar(CXCursor arg) {
  CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(arg)));
  return (t.kind >= CXType_Bool && t.kind <= CXType_LongDouble) ||
         t.kind == CXType_Enum;
}

/* A pointer, or an array of numbers (char name[16]): what unknown code
 * given it reaches is what it points to. An array of records stays out:
 * container_of() from an embedded element back to its owner is common. */
/* A printf-like function: variadic after a `const char *` (the format).
 * Loggers (syslog, wpa_printf, g_message's g_log) format their arguments
 * and keep none. */
static bool is_printf_like(CXCursor fn) {
  int n = clang_Cursor_getNumArguments(fn);
  if (!clang_Cursor_isVariadic(fn) || n < 1)
    return false;
  CXType t = clang_getCanonicalType(
      clang_getCursorType(clang_Cursor_getArgument(fn, (unsigned)n - 1)));
  if (t.kind != CXType_Pointer)
    return false;
  CXType c = clang_getPointeeType(t);
  return (c.kind == CXType_Char_S || c.kind == CXType_Char_U) &&
         clang_isConstQualifiedType(c);
}

/* A function declared in a family's header (a system header whose path
 * ends in one of a family's `headers:`, or lies under one of its
 * directories): part of that family's API. */
static bool family_api(Lower *L, CXCursor fn) {
  CXSourceLocation sl = clang_getCursorLocation(fn);
  if (!clang_Location_isInSystemHeader(sl))
    return false;
  CXFile f;
  clang_getSpellingLocation(sl, &f, NULL, NULL, NULL);
  if (!f)
    return false;
  if (f == L->api_file) /* calls of one header come in runs */
    return L->api_hit;
  CXString name = clang_getFileName(f);
  const char *path = clang_getCString(name);
  bool hit = false;
  for (int i = 0; path && !hit && i < rules_family_count(L->fe->rules); i++)
    hit = rules_family_header_path(rules_family(L->fe->rules, i), path);
  clang_disposeString(name);
  L->api_file = f;
  L->api_hit = hit;
  return hit;
}

static bool is_pointer_value(CXCursor arg) {
  CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(arg)));
  if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) {
    CXType el = clang_getCanonicalType(clang_getArrayElementType(t));
    return (el.kind >= CXType_Bool && el.kind <= CXType_LongDouble) ||
           el.kind == CXType_Enum;
  }
  return t.kind == CXType_Pointer;
}

/* Passing a path to code we cannot see. */
static void pass_unknown(Lower *L, const Val *v, IrLoc loc) {
  if (v->kind != VAL_PATH && v->kind != VAL_ADDR)
    return;
  IrEvent *e = emit(L, EV_CALL, fe_slot(L, &v->p), loc);
  e->callee = -1;
  if (v->kind == VAL_ADDR)
    e->flags |= EVF_ADDR;
}

void fe_assign(Lower *L, Val lhs, Val rhs, IrLoc loc) {
  if (rhs.kind == VAL_CREATE) {
    IrEvent *e = event_at(L, rhs.ev_block, rhs.ev_index);
    if (lhs.kind != VAL_PATH || !trackable(&lhs.p)) {
      if (rhs.ret_handle)
        e->flags |= EVF_ESCAPED; /* stored where we do not follow it */
      return;
    }
    int s = fe_slot(L, &lhs.p);
    if (rhs.ret_handle)
      e->slot = s;
    e->status = s;
    return;
  }
  if (lhs.kind != VAL_PATH) {
    pass_unknown(L, &rhs, loc); /* *p++ = t and the like */
    return;
  }
  int s = fe_slot(L, &lhs.p);
  if (rhs.kind == VAL_PATH) {
    IrEvent *e = emit(L, EV_COPY, s, loc);
    int from = fe_slot(L, &rhs.p);
    e->slot2 = from;
    if (rhs.moved) { /* a moved-from object is empty */
      e = emit(L, EV_ASSIGN, from, loc);
      e->flags |= EVF_CONST;
    }
    return;
  }
  if (rhs.kind == VAL_ADDR)
    pass_unknown(L, &rhs, loc); /* p = &t: t may change behind our back */
  IrEvent *e = emit(L, EV_ASSIGN, s, loc);
  if (rhs.kind == VAL_NONE && rhs.from_usr) {
    e->usr = rhs.from_usr;
    e->api = rhs.from_name;
  }
  if (rhs.kind == VAL_NONE && rhs.fresh)
    e->flags |= EVF_FRESH;
  if (rhs.kind == VAL_CONST) {
    e->flags |= EVF_CONST;
    e->k = rhs.k;
  }
}

/* Does the call's argument select this rule's condition (`when`)? */
static bool when_matches(Lower *L, const RuleFn *r, CXCursor arg) {
  int64_t v;
  if (r->when_is_value)
    return fe_eval_int(arg, &v) && v == r->when_value;
  CXCursor c = fe_strip(arg);
  if (clang_getCursorKind(c) == CXCursor_DeclRefExpr)
    return strcmp(fe_spelling(L, clang_getCursorReferenced(c)),
                  r->when_name) == 0;
  return false;
}

/* An all-zero initializer list (or a literal 0) at every leaf. */
static bool all_zero(Lower *L, CXCursor c);
bool fe_all_zero(Lower *L, CXCursor c) { return all_zero(L, c); }

static bool all_zero(Lower *L, CXCursor c) {
  c = fe_strip(c);
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_InitListExpr || k == CXCursor_CompoundLiteralExpr) {
    Kids kids = fe_kids(L, c);
    for (int i = 0; i < kids.n; i++) {
      enum CXCursorKind kk = clang_getCursorKind(kids.v[i]);
      if (kk == CXCursor_TypeRef)
        continue;
      if (!all_zero(L, kids.v[i]))
        return false;
    }
    return true;
  }
  int64_t v;
  return fe_eval_int(c, &v) && v == 0;
}

typedef struct {
  Lower *L;
  Array(CXCursor) v;
} FieldList;

static enum CXVisitorResult spec_field(CXCursor c, CXClientData d) {
  array_push(&((FieldList *)d)->v, c);
  return CXVisit_Continue;
}

/* `&(struct itimerspec){0}`, or `&z` where z is a const of static storage
 * that is zero: a disarm whatever the path. */
/* The operand of `&x` (stripped), if `c` is one. */
static bool addr_operand(Lower *L, CXCursor c, CXCursor *x) {
  c = fe_strip(c);
  if (clang_getCursorKind(c) != CXCursor_UnaryOperator ||
      clang_getCursorUnaryOperatorKind(c) != CXUnaryOperator_AddrOf)
    return false;
  Kids k = fe_kids(L, c);
  if (k.n != 1)
    return false;
  *x = fe_strip(k.v[0]);
  return true;
}

static bool arg_is_zero_value(Lower *L, CXCursor arg) {
  CXCursor x;
  if (!addr_operand(L, arg, &x))
    return false;
  if (clang_getCursorKind(x) == CXCursor_CompoundLiteralExpr)
    return all_zero(L, x);
  if (clang_getCursorKind(x) != CXCursor_DeclRefExpr)
    return false;
  CXCursor var = clang_getCursorReferenced(x);
  if (clang_getCursorKind(var) != CXCursor_VarDecl)
    return false;
  /* A variable of static storage that is const keeps the value it starts
   * with: zero when it has no initializer (`static const struct itimerspec
   * no_time;`). Any other variable's value at the call is the value
   * analysis's to decide (values.c): a local zeroed at its declaration
   * may be filled through its address before. An extern is defined
   * elsewhere. */
  enum CX_StorageClass sc = clang_Cursor_getStorageClass(var);
  bool file_scope = clang_getCursorKind(clang_getCursorSemanticParent(
                        var)) == CXCursor_TranslationUnit;
  if (sc == CX_SC_Extern || (sc != CX_SC_Static && !file_scope) ||
      !clang_isConstQualifiedType(clang_getCursorType(var)))
    return false;
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  if (clang_Cursor_isNull(init))
    return true;
  return all_zero(L, init);
}

/* Slots for every scalar member of `t` below `p` (`its.it_value.tv_sec`,
 * `.tv_nsec`): what the value analysis must find zero. */
static void spec_leaves(Lower *L, const FePath *p, CXType t, int depth) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_Record || depth > 4) {
    fe_slot(L, p);
    return;
  }
  FieldList fl = {L, {0}};
  clang_Type_visitFields(t, spec_field, &fl);
  for (int i = 0; i < fl.v.n; i++) {
    FePath q = *p;
    q.ops = arena_printf(L->a, "%s.%s", p->ops, fe_spelling(L, fl.v.v[i]));
    spec_leaves(L, &q, clang_getCursorType(fl.v.v[i]), depth + 1);
  }
  array_free(&fl.v);
}

/* The value an arm with `disarm-when zero` is given, when it is not known
 * here: the path of what argument `a` points to (its `field` member), for
 * the engine to follow (EVF_SPEC). -1 when it cannot be followed. */
static int spec_slot(Lower *L, const RuleFn *r, CXCursor call,
                     const Val *a) {
  bool ok;
  FePath p = fe_deref(L, a, &ok);
  if (!ok || !trackable(&p))
    return -1;
  CXType t = clang_getCanonicalType(clang_getCursorType(
      fe_strip(clang_Cursor_getArgument(call, (unsigned)r->disarm_arg))));
  if (t.kind != CXType_Pointer)
    return -1;
  t = clang_getCanonicalType(clang_getPointeeType(t));
  if (r->disarm_field) {
    FieldList fl = {L, {0}};
    clang_Type_visitFields(t, spec_field, &fl);
    CXType ft = {CXType_Invalid, {0}};
    for (int i = 0; i < fl.v.n; i++)
      if (!strcmp(fe_spelling(L, fl.v.v[i]), r->disarm_field))
        ft = clang_getCursorType(fl.v.v[i]);
    array_free(&fl.v);
    if (ft.kind == CXType_Invalid)
      return -1;
    p.ops = arena_printf(L->a, "%s.%s", p.ops, r->disarm_field);
    t = ft;
  }
  spec_leaves(L, &p, t, 0);
  return fe_slot(L, &p);
}

/* The unit's function with a body that a call resolves to, or -1. Keyed by
 * the canonical declaration, so a prototype and its definition meet. */
static int fn_index(Lower *L, CXCursor fn) {
  if (!L->fn_table)
    return -1;
  CXCursor canon = clang_getCanonicalCursor(fn);
  for (unsigned h = clang_hashCursor(canon) & L->fn_mask;;
       h = (h + 1) & L->fn_mask) {
    const struct FnSlot *e = &L->fn_table[h];
    if (e->index < 0)
      return -1;
    if (clang_equalCursors(e->canon, canon))
      return e->index;
  }
}

/* __attribute__((noreturn)) / _Noreturn shows in the function type. */
static bool is_noreturn_decl(CXCursor fn) {
  CXString s = clang_getTypeSpelling(clang_getCursorType(fn));
  bool nr = strstr(clang_getCString(s), "noreturn") != NULL;
  clang_disposeString(s);
  return nr;
}

static void end_path(Lower *L, IrLoc loc) {
  ir_term(L->f, fe_block(L), TERM_NORETURN, loc);
  L->cur = -1;
}

/* The function a callback argument names (`worker`, `&worker`, a cast of
 * either), as a function of the unit; -1 when it is not one. */
/* The function an expression names: `f`, `&f`, `(T)f`; a null cursor when
 * it names none. */
static CXCursor named_function(Lower *L, CXCursor expr) {
  CXCursor c = fe_strip(expr);
  for (int guard = 0; guard < 4; guard++) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_DeclRefExpr) {
      CXCursor fn = clang_getCursorReferenced(c);
      return clang_getCursorKind(fn) == CXCursor_FunctionDecl
                 ? fn : clang_getNullCursor();
    }
    Kids kids = fe_kids(L, c);
    if ((k != CXCursor_CStyleCastExpr && k != CXCursor_UnaryOperator) ||
        kids.n < 1)
      break;
    c = fe_strip(kids.v[kids.n - 1]);
  }
  return clang_getNullCursor();
}

/* `field = fn`: fn is a target of the field (IrTarget). */
void fe_store_target(Lower *L, CXCursor field, CXCursor value) {
  CXCursor fn = named_function(L, value);
  if (clang_Cursor_isNull(fn))
    return;
  const char *fu = fe_field_usr(L, field);
  if (!fu)
    return;
  CXString usr = clang_getCursorUSR(fn);
  IrTarget t = {fu, arena_strdup(L->a, clang_getCString(usr))};
  clang_disposeString(usr);
  for (int i = 0; i < L->u->targets.n; i++)
    if (!strcmp(L->u->targets.v[i].field, t.field) &&
        !strcmp(L->u->targets.v[i].usr, t.usr))
      return;
  array_push(&L->u->targets, t);
}

/* The record type the pointer `c` has points to (an argument, stripped,
 * or a parameter's declaration), as a KEY_RECORD, with its type in `*pt`
 * when asked; NULL for anything else (a void *: what it is, is not said). */
static const IrKey *pointee_record(Lower *L, CXCursor c, CXType *pt) {
  CXType t = clang_getCanonicalType(clang_getCursorType(c));
  if (t.kind != CXType_Pointer)
    return NULL;
  t = clang_getCanonicalType(clang_getPointeeType(t));
  if (t.kind != CXType_Record)
    return NULL;
  if (pt)
    *pt = t;
  return ir_key_record(L->a, fe_record(L, t));
}

/* A hook call (role hook): the function it is given, if the code names
 * one, frees what its parameter `frees_after` points to when it returns
 * (IrHook). Its parameter's type says what that is. Without frees-after,
 * the framework keeps the function and runs it whenever the program's
 * later calls make it (a container's destroy function): param -1. */
static void lower_hook(Lower *L, const RuleFn *r, CXCursor call, int nargs) {
  if (r->callback >= nargs)
    return;
  CXCursor fn = named_function(
      L, clang_Cursor_getArgument(call, (unsigned)r->callback));
  if (clang_Cursor_isNull(fn) ||
      r->frees_after >= clang_Cursor_getNumArguments(fn))
    return;
  const IrKey *rec =
      r->frees_after < 0
          ? NULL
          : pointee_record(L, clang_Cursor_getArgument(
                                  fn, (unsigned)r->frees_after),
                           NULL);
  if (!rec && r->frees_after >= 0)
    return;
  CXString usr = clang_getCursorUSR(fn);
  IrHook h = {arena_strdup(L->a, clang_getCString(usr)), r->frees_after, rec,
              r->name, NULL};
  clang_disposeString(usr);
  const IrKey *ctx =
      r->data >= 0 && r->data < nargs
          ? pointee_record(L, fe_strip(clang_Cursor_getArgument(
                                  call, (unsigned)r->data)),
                           NULL)
          : NULL;
  h.ctx = ctx ? ctx->text : NULL;
  for (int i = 0; i < L->u->hooks.n; i++)
    if (!strcmp(L->u->hooks.v[i].usr, h.usr) &&
        L->u->hooks.v[i].param == h.param)
      return;
  array_push(&L->u->hooks, h);
}

CXCursor fe_named_function(Lower *L, CXCursor expr) {
  return named_function(L, expr);
}

/* "field:" and the key text of the struct field `fd` (a FieldDecl): what
 * names a call through it, and what a function stored in it is a target
 * of. NULL when the field is in no named record. */
const char *fe_field_usr(Lower *L, CXCursor fd) {
  if (clang_getCursorKind(fd) != CXCursor_FieldDecl)
    return NULL;
  CXType rt = clang_getCursorType(clang_getCursorSemanticParent(fd));
  IrRecord rec = fe_record(L, rt);
  if (!rec.name || !*rec.name)
    return NULL;
  return arena_printf(L->a, "field:%s",
                      ir_key_field(L->a, rec, fe_spelling(L, fd))->text);
}

/* The field a call through a pointer calls (`ops->init(...)`,
 * `(*s->cb)(...)`), as fe_field_usr names it; NULL for any other callee. */
static const char *called_field(Lower *L, CXCursor call) {
  Kids k = fe_kids(L, call);
  if (k.n < 1)
    return NULL;
  CXCursor c = fe_strip(k.v[0]);
  for (int guard = 0; guard < 3; guard++) {
    if (clang_getCursorKind(c) == CXCursor_MemberRefExpr)
      return fe_field_usr(L, clang_getCursorReferenced(c));
    Kids kk = fe_kids(L, c);
    if ((clang_getCursorKind(c) != CXCursor_UnaryOperator &&
         clang_getCursorKind(c) != CXCursor_ParenExpr) || kk.n != 1)
      return NULL;
    c = fe_strip(kk.v[0]);
  }
  return NULL;
}

static int callback_fn(Lower *L, CXCursor arg) {
  CXCursor fn = named_function(L, arg);
  if (clang_Cursor_isNull(fn))
    return -1;
  int idx = fn_index(L, fn);
  if (idx >= 0)
    L->fn_needed[idx] = true;
  return idx;
}

/* Does a return's value spell one of the family's self-removing results
 * (`return FALSE;`, `return G_SOURCE_REMOVE;`, `return AE_NOMORE;`), by
 * name or, for a number in the list, by value? */
static bool removes_itself(Lower *L, const RuleFn *r, CXCursor ret,
                           CXCursor value) {
  /* The return statement's own tokens: a value from a macro has its
   * extent inside the macro's definition. Any token that spells a
   * self-removing result can end the source (`return hup ? G_SOURCE_REMOVE
   * : G_SOURCE_CONTINUE;`). */
  CXToken *t;
  unsigned n;
  clang_tokenize(L->tu, clang_getCursorExtent(ret), &t, &n);
  bool named = false;
  for (unsigned i = 0; i < n && !named; i++) {
    CXString sp = clang_getTokenSpelling(L->tu, t[i]);
    const char *w = clang_getCString(sp);
    for (int k = 0; k < r->nself_remove && !named; k++)
      named = !strcmp(w, r->self_remove[k]);
    clang_disposeString(sp);
  }
  clang_disposeTokens(L->tu, t, n);
  if (named)
    return true;
  int64_t v;
  bool has_v = fe_eval_int(fe_strip(value), &v);
  for (int k = 0; k < r->nself_remove; k++) {
    char *end;
    long long x = strtoll(r->self_remove[k], &end, 0);
    if (*end == 0 && has_v && v == x)
      return true;
  }
  return false;
}

typedef struct {
  Lower *L;
  const RuleFn *r;
  int returns, removing;
} RetAcc;

static enum CXChildVisitResult ret_visit(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  RetAcc *a = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_LambdaExpr)
    return CXChildVisit_Continue; /* another function's returns */
  if (k != CXCursor_ReturnStmt)
    return CXChildVisit_Recurse;
  a->returns++;
  Kids kids = fe_kids(a->L, c);
  if (kids.n == 1 && removes_itself(a->L, a->r, c, kids.v[0]))
    a->removing++;
  return CXChildVisit_Continue;
}

/* A source whose callback can end it (a return that spells a
 * self-removing result, or a callback whose body is not here) limits itself: a one-shot, or a repeater that
 * runs until its work is done (Redis's eviction proc, GLib's "poll until
 * ready"). Nothing has to remove it. One that can never end it repeats
 * until someone does. */
static bool self_removing(Lower *L, const RuleFn *r, CXCursor cb) {
  if (!r->nself_remove)
    return false;
  CXCursor fn = named_function(L, cb);
  CXCursor def = clang_Cursor_isNull(fn) ? fn : clang_getCursorDefinition(fn);
  if (clang_Cursor_isNull(def))
    return true; /* a callback we cannot see (a parameter, another file's
                    function) may end it: precision first */
  RetAcc a = {L, r, 0, 0};
  clang_visitChildren(def, ret_visit, &a);
  return a.removing > 0;
}

/* A create that starts a worker: which function runs, and what it gets. */
static CXCursor lambda_of(CXCursor arg) {
  CXCursor c = fe_strip(arg);
  return clang_getCursorKind(c) == CXCursor_LambdaExpr ? c
                                                        : clang_getNullCursor();
}

static enum CXVisitorResult first_field(CXCursor c, CXClientData d) {
  *(CXCursor *)d = c;
  return CXVisit_Break;
}

/* A reference-counted object: its record is a `refcounted:` base type of
 * the rules, or starts with one (a GObject instance: GObject
 * parent_instance, or a GtkWidget that starts with one). What drops its
 * last reference, or NULL. */
static const char *refcount_unref(Lower *L, CXType t, int depth) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_Record || depth > 8)
    return NULL;
  CXString s = clang_getTypeSpelling(t);
  const char *unref = rules_refcounted_unref(L->fe->rules, clang_getCString(s));
  clang_disposeString(s);
  if (unref)
    return unref;
  CXCursor f = clang_getNullCursor();
  clang_Type_visitFields(t, first_field, &f);
  return clang_Cursor_isNull(f)
             ? NULL
             : refcount_unref(L, clang_getCursorType(f), depth + 1);
}

/* The record type a source's data points to, when the caller keeps the
 * data: a destroy notify given (not NULL) makes the data the source's. */
static const IrKey *kept_data_record(Lower *L, const RuleFn *r, CXCursor call,
                                     const Val *args, int nargs,
                                     const char **unref) {
  if (r->data < 0 || r->data >= nargs || r->data_rest || r->io_watch)
    return NULL; /* an I/O watch ends with its channel, which the data's
                    teardown closes as a rule (G_IO_NVAL) */
  if (r->notify >= 0 && r->notify < nargs &&
      !(args[r->notify].kind == VAL_CONST && args[r->notify].k == 0))
    return NULL;
  CXType t;
  const IrKey *rec = pointee_record(
      L, fe_strip(clang_Cursor_getArgument(call, r->data)), &t);
  if (rec)
    *unref = refcount_unref(L, t, 0);
  return rec;
}

static void link_worker(Lower *L, const RuleFn *r, CXCursor call,
                        const Val *args, int nargs, IrEvent *e) {
  CXCursor lambda = clang_getNullCursor();
  if (r->callback >= 0 && r->callback < nargs) {
    CXCursor cb = clang_Cursor_getArgument(call, r->callback);
    e->callee = callback_fn(L, cb);
    lambda = lambda_of(cb);
    if (r->one_shot || self_removing(L, r, cb))
      e->flags |= EVF_DETACHED; /* ends on its own, like a detached thread */
  }
  e->data_rec = kept_data_record(L, r, call, args, nargs, &e->data_unref);
  IrUse *lu = NULL;
  int nl = clang_Cursor_isNull(lambda) ? 0 : fe_lambda_uses(L, lambda, &lu);
  int first = r->data, last = r->data_rest ? nargs - 1 : r->data;
  if (first < 0 || first >= nargs)
    last = first - 1;
  IrUse *u = arena_alloc(L->a, (size_t)(nl + (last - first + 1) + 1) *
                                   sizeof *u);
  int n = 0;
  for (int i = 0; i < nl; i++)
    u[n++] = lu[i];
  for (int i = first; i <= last; i++) {
    const Val *d = &args[i];
    if ((d->kind != VAL_PATH && d->kind != VAL_ADDR) || !trackable(&d->p))
      continue;
    u[n].slot = fe_slot(L, &d->p);
    u[n].addr = d->kind == VAL_ADDR;
    n++;
  }
  e->uses = u;
  e->nuses = n;
}

/* The object a member call is made on (`t.join()`, `p->join()`). */
static bool object_path(Lower *L, CXCursor call, FePath *out) {
  Kids k = fe_kids(L, call);
  if (k.n < 1 || clang_getCursorKind(k.v[0]) != CXCursor_MemberRefExpr)
    return false;
  Kids m = fe_kids(L, k.v[0]);
  Val v;
  if (m.n < 1 || !fe_path_of(L, m.v[0], &v))
    return false;
  bool ok = true;
  *out = v.kind == VAL_ADDR ? v.p
         : clang_getCanonicalType(clang_getCursorType(m.v[0])).kind ==
                 CXType_Pointer
             ? fe_deref(L, &v, &ok)
             : v.p;
  return ok && trackable(out);
}

/* `std::thread(f).detach()`: the object a member call is made on is a
 * temporary whose construction is the create. Lowered first, into a
 * temporary slot, which the call's role then acts on; -1 when the object
 * made nothing we track. */
static int temporary_object(Lower *L, CXCursor call) {
  Kids k = fe_kids(L, call);
  if (k.n < 1 || clang_getCursorKind(k.v[0]) != CXCursor_MemberRefExpr)
    return -1;
  Kids m = fe_kids(L, k.v[0]);
  if (m.n < 1)
    return -1;
  Val v = fe_lower_expr(L, m.v[0]);
  if (v.kind != VAL_CREATE || !v.ret_handle || L->cur < 0)
    return -1;
  IrEvent *ce = event_at(L, v.ev_block, v.ev_index);
  if (ce->kind != EV_CREATE || ce->slot >= 0)
    return -1;
  CXType t = clang_getCanonicalType(clang_getCursorType(m.v[0]));
  CXString ts = clang_getTypeSpelling(t);
  int slot = fe_temp(L, arena_printf(L->a, "temporary %s", clang_getCString(ts)),
                     NULL);
  clang_disposeString(ts);
  event_at(L, v.ev_block, v.ev_index)->slot = slot;
  return slot;
}

/* A scope guard (std::unique_ptr with a deleter, gsl::finally): what it
 * runs at scope exit, for the declaration being lowered to pick up. */
/* std::unique_ptr<T, D> p(ptr) with no deleter object: D{}(ptr) runs at
 * scope exit. D's operator() when D is a class of the project, else -1. */
static enum CXChildVisitResult find_call_op(CXCursor c, CXCursor parent,
                                            CXClientData d) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_CXXMethod) {
    CXString s = clang_getCursorSpelling(c);
    bool op = !strcmp(clang_getCString(s), "operator()");
    clang_disposeString(s);
    if (op) {
      *(CXCursor *)d = c;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Continue;
}

static int deleter_type_fn(Lower *L, CXCursor call) {
  CXType t = clang_getCanonicalType(clang_getCursorType(call));
  if (clang_Type_getNumTemplateArguments(t) < 2)
    return -1;
  CXType d = clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(t, 1));
  CXCursor cls = clang_getTypeDeclaration(d);
  if (clang_Cursor_isNull(cls) ||
      clang_Location_isInSystemHeader(clang_getCursorLocation(cls)))
    return -1;
  CXCursor op = clang_getNullCursor();
  clang_visitChildren(cls, find_call_op, &op);
  if (clang_Cursor_isNull(op))
    return -1;
  int idx = fn_index(L, op);
  if (idx >= 0)
    L->fn_needed[idx] = true;
  return idx;
}

static void defer_guard(Lower *L, const RuleFn *r, CXCursor call,
                        const Val *args, int nargs) {
  if (r->callback >= 0 && r->callback >= nargs && r->data >= 0 &&
      r->data < nargs) {
    int fn = deleter_type_fn(L, call);
    if (fn < 0 || (args[r->data].kind != VAL_PATH &&
                   args[r->data].kind != VAL_ADDR) ||
        !trackable(&args[r->data].p))
      return;
    Cleanup c = {0};
    c.kind = CL_CALL;
    c.callee = fn;
    c.fn = L->u->funcs.v[fn]->name;
    c.slot = fe_slot(L, &args[r->data].p);
    c.addr = args[r->data].kind == VAL_ADDR;
    L->pending = c;
    L->has_pending = true;
    return;
  }
  if (r->callback < 0 || r->callback >= nargs)
    return;
  CXCursor cb = clang_Cursor_getArgument(call, r->callback);
  Cleanup c = {0};
  c.callee = -1;
  c.slot = -1;
  CXCursor lambda = lambda_of(cb);
  if (!clang_Cursor_isNull(lambda)) {
    Kids k = fe_kids(L, lambda);
    for (int i = 0; i < k.n; i++)
      if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
        c.body = k.v[i];
    if (clang_Cursor_isNull(c.body))
      return;
    c.kind = CL_LAMBDA;
    c.fn = arena_printf(L->a, "the %s() lambda", r->name);
  } else {
    c.kind = CL_CALL;
    c.callee = callback_fn(L, cb);
    c.fn = c.callee >= 0 ? L->u->funcs.v[c.callee]->name : r->name;
    if (r->data >= 0 && r->data < nargs &&
        (args[r->data].kind == VAL_PATH || args[r->data].kind == VAL_ADDR) &&
        trackable(&args[r->data].p)) {
      c.slot = fe_slot(L, &args[r->data].p);
      c.addr = args[r->data].kind == VAL_ADDR;
    }
  }
  L->pending = c;
  L->has_pending = true;
}

/* free(s): unknown code as far as the typestate goes (the object's
 * handles are beyond reach after it), and, for the link phase, the end of
 * an object of s's record type. */
static Val lower_free(Lower *L, const RuleFn *r, CXCursor call,
                      const Val *args, int nargs, IrLoc loc) {
  Val none = {0};
  if (r->handle_arg >= nargs)
    return none;
  const Val *a = &args[r->handle_arg];
  if ((a->kind != VAL_PATH && a->kind != VAL_ADDR) || !trackable(&a->p))
    return none;
  IrEvent *e = emit(L, EV_CALL, fe_slot(L, &a->p), loc);
  e->flags |= EVF_FREE;
  if (a->kind == VAL_ADDR)
    e->flags |= EVF_ADDR;
  e->api = r->name;
  CXType t = clang_getCanonicalType(clang_getCursorType(
      fe_strip(clang_Cursor_getArgument(call, r->handle_arg))));
  if (a->kind == VAL_PATH && t.kind == CXType_Pointer) {
    e->flags |= EVF_POINTER; /* free(l->name) frees the name, not l */
    t = clang_getCanonicalType(clang_getPointeeType(t));
  }
  if (t.kind == CXType_Record)
    e->frees = ir_key_record(L->a, fe_record(L, t));
  return none;
}

/* Does the record type (after `new` or before `delete`) declare a
 * member of cursor kind `k` (a constructor, the destructor) that is not
 * defaulted? Its body may keep `this` or release what the object holds. */
struct UserMember {
  enum CXCursorKind k;
  bool found;
};

static enum CXChildVisitResult user_member(CXCursor c, CXCursor parent,
                                           CXClientData d) {
  (void)parent;
  struct UserMember *m = d;
  if (clang_getCursorKind(c) == m->k && !clang_CXXMethod_isDefaulted(c)) {
    m->found = true;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static bool declares_user(CXType t, enum CXCursorKind k) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_Record)
    return false;
  CXCursor d = clang_getTypeDeclaration(t);
  struct UserMember m = {k, false};
  clang_visitChildren(d, user_member, &m);
  return m.found;
}

/* `new T...`: new memory nothing holds yet (an allocator's result), unless
 * a constructor of T runs code of its own. */
static Val lower_new(Lower *L, CXCursor c) {
  Val none = {0};
  Kids k = fe_kids(L, c);
  for (int i = 0; i < k.n; i++)
    if (clang_isExpression(clang_getCursorKind(k.v[i])))
      fe_lower_expr(L, k.v[i]);
  CXType t = clang_getCanonicalType(clang_getCursorType(c));
  if (t.kind == CXType_Pointer &&
      !declares_user(clang_getPointeeType(t), CXCursor_Constructor))
    none.fresh = true;
  return none;
}

/* `delete p`: free(p) when T has no destructor of its own; else its
 * destructor runs code we do not follow here (it may release what the
 * object holds), as unknown code given p. */
static Val lower_delete(Lower *L, CXCursor c) {
  Val none = {0};
  Kids k = fe_kids(L, c);
  if (k.n != 1)
    return none;
  Val v = fe_lower_expr(L, k.v[0]);
  if (v.kind != VAL_PATH || !trackable(&v.p))
    return none;
  IrLoc loc = fe_loc(L, c);
  CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(k.v[0])));
  CXType pt = t.kind == CXType_Pointer ? clang_getCanonicalType(
                                             clang_getPointeeType(t))
                                       : t;
  if (t.kind != CXType_Pointer ||
      declares_user(pt, CXCursor_Destructor)) {
    pass_unknown(L, &v, loc);
    return none;
  }
  IrEvent *e = emit(L, EV_CALL, fe_slot(L, &v.p), loc);
  e->callee = -1;
  e->flags |= EVF_FREE | EVF_POINTER;
  e->api = "delete";
  if (pt.kind == CXType_Record)
    e->frees = ir_key_record(L->a, fe_record(L, pt));
  return none;
}

/* A test's query on `slot` (role test): its result, as a create's, is the
 * status a branch reads; where it says "no", no object is held. */
static Val test_event(Lower *L, const RuleFn *r, int slot, IrLoc loc) {
  IrEvent *e = emit(L, EV_USE, slot, loc);
  e->api = r->name;
  e->fail = r->fails;
  Val v = {0};
  v.kind = VAL_CREATE;
  v.ev_block = L->cur;
  v.ev_index = ir_block_nevents(L->f, L->cur) - 1;
  return v;
}

/* A pointer to data (a context object, `(void *)-1` for any), as opposed
 * to a handler function or an integer id. */
static bool is_data_pointer(CXCursor arg) {
  CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(arg)));
  if (t.kind != CXType_Pointer)
    return false;
  enum CXTypeKind pk = clang_getCanonicalType(clang_getPointeeType(t)).kind;
  return pk != CXType_FunctionProto && pk != CXType_FunctionNoProto;
}

/* What names a key argument of a handle-less registration: the function
 * it is (the handler), else its constant value (a window timer's id). */
static const char *key_part(Lower *L, CXCursor arg) {
  CXCursor fn = named_function(L, arg);
  if (!clang_Cursor_isNull(fn))
    return fe_spelling(L, fn);
  int64_t v;
  if (fe_eval_int(fe_strip(arg), &v))
    return arena_printf(L->a, "id %lld", (long long)v);
  return NULL;
}

/* A handle-less registration (hostapd eloop_register_timeout(.., handler,
 * ctx, ..), Win32 SetTimer(hwnd, id, ..)) has no handle: it is identified
 * by its key arguments. It is given one: a pseudo-field of the context
 * object named by the other key parts (hapd->@hostapd_beacon_timer), with a
 * link key "registration hostapd_beacon_timer on struct hostapd_data".
 * The unregistration names the same storage; with a context that is no
 * object (ELOOP_ALL_CTX) it cancels that handler on every context. */
static bool registration_path(Lower *L, const RuleFn *r, CXCursor call,
                              const Val *args, int nargs, FePath *out) {
  const Val *ctx = NULL;
  CXCursor ctx_arg = clang_getNullCursor();
  StrBuf parts = {0};
  for (int i = 0; i < r->nkey; i++) {
    int a = r->key[i];
    if (a >= nargs)
      continue;
    CXCursor arg = clang_Cursor_getArgument(call, a);
    if (is_data_pointer(arg)) { /* the context: an object, or any */
      if (!ctx && (args[a].kind == VAL_PATH || args[a].kind == VAL_ADDR) &&
          trackable(&args[a].p)) {
        ctx = &args[a];
        ctx_arg = arg;
      }
      continue;
    }
    const char *p = key_part(L, arg);
    if (!p) {
      sb_free(&parts);
      return false; /* a key we cannot name: unknown */
    }
    sb_printf(&parts, "%s%s", parts.s && *parts.s ? "," : "", p);
  }
  const char *what = arena_strdup(L->a, parts.s ? parts.s : "");
  sb_free(&parts);
  FePath p;
  if (ctx) {
    bool ok;
    p = ctx->kind == VAL_ADDR ? ctx->p : fe_deref(L, ctx, &ok);
    CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(ctx_arg)));
    if (t.kind == CXType_Pointer)
      t = clang_getPointeeType(t);
    IrRecord on = fe_record(L, t);
    p.ops = arena_printf(L->a, "%s.@%s", p.ops, what);
    p.key = ir_key_registration(L->a, what, &on);
  } else if (r->role == ROLE_UNREGISTER) {
    p = (FePath){arena_printf(L->a, "@%s", what), what, BASE_GLOBAL, -1, "",
                 ir_key_registration(L->a, what, NULL)};
  } else {
    return false; /* registered on no object: nothing to key it by */
  }
  *out = p;
  return true;
}

/* What a registration's user-data argument names (IrEvent.user): a null
 * pointer, any (a non-null constant: ELOOP_ALL_CTX), or an object by its
 * record type. An object pointer is taken as non-null, as everywhere an
 * object is tracked; anything else is unknown and matches everything. */
static const char *user_part(Lower *L, const RuleFn *r, CXCursor call,
                             const Val *args, int nargs) {
  int a = r->user_arg;
  if (a < 0 || a >= nargs || a >= clang_Cursor_getNumArguments(call))
    return NULL;
  const Val *v = &args[a];
  if (v->kind == VAL_CONST)
    return v->k ? "*" : "0";
  if ((v->kind != VAL_PATH && v->kind != VAL_ADDR) || !trackable(&v->p))
    return NULL;
  const IrKey *rec = pointee_record(
      L, fe_strip(clang_Cursor_getArgument(call, (unsigned)a)), NULL);
  return rec ? rec->text : NULL;
}

static Val lower_registration(Lower *L, const RuleFn *r, CXCursor call,
                              const Val *args, int nargs, IrLoc loc) {
  Val none = {0};
  FePath p;
  if (!registration_path(L, r, call, args, nargs, &p))
    return none;
  int slot = fe_slot(L, &p);
  if (r->role == ROLE_TEST) /* is it registered? its result says */
    return test_event(L, r, slot, loc);
  IrEvent *e = emit(L, r->role == ROLE_REGISTER ? EV_CREATE : EV_RELEASE,
                    slot, loc);
  e->api = r->name;
  e->user = user_part(L, r, call, args, nargs);
  if (r->idempotent)
    e->flags |= EVF_IDEMPOTENT;
  if (r->role == ROLE_REGISTER) {
    e->res = r->res;
    e->release_api = r->release_api;
    e->flags |= EVF_ESCAPED | EVF_ARMS; /* lives on the context, not in a
                                           variable; pending from now on */
    link_worker(L, r, call, args, nargs, e); /* what its handler will get */
  }
  return none;
}

/* The callback a create or an arm registers, when it is given the object
 * itself (libuv's uv_timer_cb gets the uv_timer_t *): the engine asks what
 * the callback does to it (a callback that closes its own handle). */
static void give_callback(Lower *L, const RuleFn *r, CXCursor call,
                          int nargs, IrEvent *e) {
  if (r->callback < 0 || r->callback >= nargs || r->cb_handle < 0)
    return;
  e->callee = callback_fn(L, clang_Cursor_getArgument(call, r->callback));
  e->arg = r->cb_handle;
  if (r->cb_handle_deref)
    e->flags |= EVF_CB_DEREF;
  if (r->cb_data)
    e->flags |= EVF_CB_DATA;
}

/* A loop's teardown (uv_walk(loop, close_cb, arg), eloop_destroy()):
 * every object that r->release_api releases goes, directly or when the
 * callback it runs on each of them releases the one it gets. */
static Val lower_release_all(Lower *L, const RuleFn *r, CXCursor call,
                             int nargs, IrLoc loc) {
  Val none = {0};
  IrEvent *e = emit(L, EV_RELEASE_ALL, -1, loc);
  e->api = r->name;
  e->release_api = r->release_api;
  give_callback(L, r, call, nargs, e);
  if (r->callback >= 0 && e->callee < 0)
    e->arg = -1; /* a callback we cannot see: nothing known */
  return none;
}

/* The object whose member argument `arg` of `call` points to: for
 * INIT_WORK(&(dw)->work) inside INIT_DELAYED_WORK(dw), dw's delayed work,
 * which the family's arms and cancels name. `slot` when it cannot say. */
static int enclosing_object(Lower *L, CXCursor call, int arg, int slot) {
  if (arg < 0 || arg >= clang_Cursor_getNumArguments(call))
    return slot;
  CXCursor m;
  if (!addr_operand(L, clang_Cursor_getArgument(call, (unsigned)arg), &m) ||
      clang_getCursorKind(m) != CXCursor_MemberRefExpr)
    return slot;
  Kids mk = fe_kids(L, m);
  if (mk.n != 1)
    return slot;
  bool arrow = clang_getCanonicalType(clang_getCursorType(mk.v[0])).kind ==
               CXType_Pointer;
  Val v = fe_lower_expr(L, mk.v[0]);
  bool ok = v.kind == VAL_PATH || v.kind == VAL_ADDR;
  FePath p = v.p;
  if (ok && arrow)
    p = fe_deref(L, &v, &ok);
  else if (v.kind != VAL_PATH)
    ok = false;
  return ok && trackable(&p) ? fe_slot(L, &p) : slot;
}

/* A stop of a field through an array element (IrElemStop): for the link
 * phase only, since the slot names every element at once. */
static void elem_stop(Lower *L, const RuleFn *r, const FePath *p, IrLoc loc) {
  IrEventKind k = (IrEventKind)r->role;
  if ((k != EV_RELEASE && k != EV_DISARM && k != EV_JOIN && k != EV_DETACH) ||
      !p->key || p->key->kind != KEY_FIELD || L->cur < 0)
    return;
  array_push(&L->f->elem_stops,
             ((IrElemStop){k, r->name, p->key, r->async, loc}));
}

static int data_param(CXCursor fn, CXType t);

/* The data a create hands its callback, when the callback is a function of
 * the unit: which of its parameters gets it (the one of its type, else the
 * only void *), as for unknown code given a function and an object
 * (later_callback): the engine applies the callback's summary there. */
static void worker_gets(Lower *L, const RuleFn *r, CXCursor call, int nargs,
                        int i, IrEvent *e) {
  if (r->callback < 0 || r->callback >= nargs || r->data_rest)
    return;
  CXCursor fn = named_function(L, clang_Cursor_getArgument(call, r->callback));
  int idx = clang_Cursor_isNull(fn) ? -1 : fn_index(L, fn);
  if (idx < 0)
    return;
  CXType t = clang_getCanonicalType(clang_getCursorType(
      fe_strip(clang_Cursor_getArgument(call, (unsigned)i))));
  int k = t.kind == CXType_Pointer ? data_param(fn, t) : -1;
  if (k < 0)
    return;
  e->later_usr = L->u->funcs.v[idx]->usr;
  e->later_param = k;
  L->fn_needed[idx] = true;
}

static Val lower_rule_call(Lower *L, const RuleFn *r, CXCursor call,
                           const Val *args, int nargs, IrLoc loc) {
  Val none = {0};
  if (r->role == ROLE_NORETURN) {
    end_path(L, loc);
    return none;
  }
  if (r->role == ROLE_ALIAS && r->handle == HANDLE_THIS) {
    /* p.get(): the pointer the owner holds, which is a copy of what it
     * was given (push_cleanup copies it in) */
    FePath p;
    Val v = {0};
    if (object_path(L, call, &p)) {
      v.kind = VAL_PATH;
      v.p = p;
    }
    return v;
  }
  if (r->role == ROLE_ALIAS && nargs > 0) {
    Val v = args[0];
    v.moved = v.kind == VAL_PATH;
    return v;
  }
  if (r->role == ROLE_DEFER) {
    defer_guard(L, r, call, args, nargs);
    return none;
  }
  bool is_ctor = clang_getCursorKind(clang_getCursorReferenced(call)) ==
                 CXCursor_Constructor;
  if (r->role == EV_CREATE && r->handle == HANDLE_THIS && r->callback >= 0 &&
      r->callback >= nargs)
    return none; /* std::thread t;: an empty object */
  if (r->role == EV_CREATE && is_ctor && nargs == 1 &&
      args[0].kind == VAL_PATH && args[0].moved)
    return args[0]; /* std::thread u(std::move(t)) */
  if (r->role == ROLE_REGISTER || r->role == ROLE_UNREGISTER ||
      (r->role == ROLE_TEST && r->nkey))
    return lower_registration(L, r, call, args, nargs, loc);
  if (r->role == ROLE_FREE)
    return lower_free(L, r, call, args, nargs, loc);
  if (r->role == ROLE_ALLOC) {
    none.fresh = true;
    return none;
  }
  if (r->role == ROLE_HOOK) {
    lower_hook(L, r, call, nargs);
    return none;
  }
  if (r->role >= EV__COUNT && r->role != ROLE_TEST)
    return none;
  if (r->role == EV_RELEASE_ALL)
    return lower_release_all(L, r, call, nargs, loc);
  for (int i = r->data; i >= 0 && i < nargs && (i == r->data || r->data_rest);
       i++)
  {
    int before = L->cur >= 0 ? ir_block_nevents(L->f, L->cur) : -1;
    pass_unknown(L, &args[i], loc); /* handed to the worker */
    if (L->cur >= 0 && ir_block_nevents(L->f, L->cur) > before && before >= 0) {
      IrEvent *te = event_at(L, L->cur, before);
      te->flags |= EVF_TO_WORKER;
      worker_gets(L, r, call, nargs, i, te);
    }
  }
  int slot = -1;
  bool tracked = true;
  if (r->handle == HANDLE_THIS && !is_ctor) {
    FePath p;
    tracked = object_path(L, call, &p);
    if (tracked)
      slot = fe_slot(L, &p);
    else
      slot = temporary_object(L, call);
  } else if (r->handle == HANDLE_ARG || r->handle == HANDLE_DEREF) {
    if (r->handle_arg >= nargs)
      return none;
    const Val *a = &args[r->handle_arg];
    FePath p = a->p;
    /* event_add(&c->timer): a handle that is a pointer to its object names
     * the object it points to, as event_add(ev) names what ev points to. */
    bool ok = a->kind == VAL_PATH || a->kind == VAL_ADDR;
    if (r->handle == HANDLE_DEREF)
      p = fe_deref(L, a, &ok);
    tracked = ok && trackable(&p);
    if (tracked)
      slot = fe_slot(L, &p);
    else if (ok)
      elem_stop(L, r, &p, loc);
  }
  /* Storage inside another family's own object (the timer_list of a
   * struct delayed_work) is that object's implementation. */
  const IrKey *sk = slot >= 0 ? L->f->slots.v[slot].key : NULL;
  const char *owner = sk && sk->kind == KEY_FIELD
                          ? rules_internal_type(L->fe->rules, sk->rec.name)
                          : NULL;
  if (owner && (!r->family || strcmp(owner, r->family)))
    return none;
  if (owner) /* the family's own part of its object: the object */
    slot = enclosing_object(L, call, r->handle_arg, slot);
  IrEventKind k = (IrEventKind)r->role;
  if (k == EV_CREATE) {
    IrEvent *e = emit(L, EV_CREATE, slot, loc);
    e->api = r->name;
    e->release_api = r->release_api;
    e->fail = r->fails;
    e->res = r->res;
    if (r->arms)
      e->flags |= EVF_ARMS;
    if (r->inert)
      e->flags |= EVF_INERT;
    if (r->storage)
      e->flags |= EVF_STORAGE;
    if (is_ctor) {
      const RuleFn *d = fe_dtor_rule(
          L, clang_getCursorSemanticParent(clang_getCursorReferenced(call)));
      if (d && d->role == EV_DESTROY)
        e->flags |= EVF_DTOR_CHECKS;
    }
    if (r->handle != HANDLE_RETURN && !tracked)
      e->flags |= EVF_ESCAPED;
    link_worker(L, r, call, args, nargs, e);
    give_callback(L, r, call, nargs, e);
    if (r->attr >= 0 && r->attr < nargs) {
      bool ok;
      FePath p = fe_deref(L, &args[r->attr], &ok);
      if (ok && trackable(&p))
        e->slot2 = fe_slot(L, &p);
      else if (args[r->attr].kind != VAL_CONST) /* not NULL: unknown attr */
        e->flags |= EVF_DETACHED;
    }
    Val v = {0};
    v.kind = VAL_CREATE;
    v.ev_block = L->cur;
    v.ev_index = ir_block_nevents(L->f, L->cur) - 1;
    v.ret_handle = r->handle == HANDLE_RETURN || r->handle == HANDLE_THIS;
    return v;
  }
  if (slot < 0)
    return none;
  if (r->role == ROLE_TEST) /* t.joinable(): "no" means no object */
    return test_event(L, r, slot, loc);
  int spec = -1; /* what the engine must find zero for a disarm */
  if (k == EV_ARM && r->disarm_arg >= 0 && r->disarm_arg < nargs) {
    int n = clang_Cursor_getNumArguments(call);
    if (r->disarm_arg < n && (r->disarm_null
                                  ? args[r->disarm_arg].kind == VAL_CONST &&
                                        args[r->disarm_arg].k == 0
                                  : arg_is_zero_value(L, clang_Cursor_getArgument(
                                                             call, r->disarm_arg))))
      k = EV_DISARM;
    else if (r->disarm_arg < n && !r->disarm_null)
      spec = spec_slot(L, r, call, &args[r->disarm_arg]);
  }
  if (k == EV_ATTR_DETACHED) {
    int n = clang_Cursor_getNumArguments(call);
    if (r->when_arg >= n ||
        !when_matches(L, r, clang_Cursor_getArgument(call, r->when_arg)))
      return none;
  }
  IrEvent *e = emit(L, k, slot, loc);
  e->api = r->name;
  if (r->async)
    e->flags |= EVF_ASYNC;
  if (r->inert)
    e->flags |= EVF_INERT;
  if (r->closing)
    e->flags |= EVF_CLOSING;
  if (r->keeps_armed)
    e->flags |= EVF_KEEPS_ARMED;
  if (r->returns_id)
    e->flags |= EVF_RETURNS_ID;
  if (k == EV_USE && r->callback >= 0 && r->callback < nargs &&
      self_removing(L, r, clang_Cursor_getArgument(call, r->callback)))
    e->flags |= EVF_DETACHED; /* g_source_set_callback(s, once, ...) */
  if (r->idempotent)
    e->flags |= EVF_IDEMPOTENT;
  if (r->generic)
    e->flags |= EVF_GENERIC;
  if (k == EV_ARM || k == EV_DISARM)
    give_callback(L, r, call, nargs, e);
  if (spec >= 0) {
    e->slot2 = spec;
    e->flags |= EVF_SPEC;
  }
  if (k == EV_RELEASE && r->callback >= 0 && r->callback < nargs)
    e->callee = callback_fn(L, clang_Cursor_getArgument(call, r->callback));
  return none;
}

/* A call through a local function pointer that is initialised once and
 * never assigned calls the function it was initialised with (glibc's
 * pthread_cleanup_pop calls its routine this way). */
static CXCursor resolve_fn_pointer(Lower *L, CXCursor var) {
  CXCursor none = clang_getNullCursor();
  if (clang_getCursorKind(var) != CXCursor_VarDecl ||
      clang_Cursor_getStorageClass(var) == CX_SC_Static ||
      fe_is_assigned(L, var))
    return none;
  CXCursor init = clang_Cursor_getVarDeclInitializer(var);
  return clang_Cursor_isNull(init) ? none : named_function(L, init);
}

/* memset(&x, 0, n), bzero(&x, n), explicit_bzero(&x, n): x is all zero
 * now (an assignment of 0 to all of it), which is all these do. */
static bool zero_fill(Lower *L, const char *name, CXCursor c,
                      const Val *args, int n, IrLoc loc) {
  bool set = !strcmp(name, "memset") || !strcmp(name, "__builtin_memset");
  bool bz = !strcmp(name, "bzero") || !strcmp(name, "explicit_bzero");
  int64_t v = 0;
  if ((!set && !bz) || n < (set ? 3 : 2) ||
      (set && !fe_eval_int(fe_strip(clang_Cursor_getArgument(c, 1)), &v)) ||
      v != 0)
    return false;
  bool ok;
  FePath p = fe_deref(L, &args[0], &ok);
  if (!ok || !trackable(&p))
    return false;
  for (int i = 1; i < n; i++)
    pass_unknown(L, &args[i], loc); /* the size's reads */
  IrEvent *e = emit(L, EV_ASSIGN, fe_slot(L, &p), loc);
  e->flags |= EVF_CONST;
  e->k = 0;
  return true;
}

/* A create whose result is this call's handle (`timerfd_settime(
 * timerfd_create(...), ...)`, `event_add(evtimer_new(...), &tv)`): the
 * call keeps nothing. One that arms or uses it leaves an object nobody
 * holds (handle-discarded); one that releases it ends it (the create's
 * value is the handle the release names, in a temporary). (#12 class 3) */
static void nested_create(Lower *L, const RuleFn *r, Val *args, int n) {
  if (r->handle != HANDLE_ARG || r->handle_arg < 0 || r->handle_arg >= n)
    return;
  Val *h = &args[r->handle_arg];
  if (h->kind != VAL_CREATE || !h->ret_handle)
    return;
  IrEvent *ce = event_at(L, h->ev_block, h->ev_index);
  if (ce->kind != EV_CREATE || ce->slot >= 0)
    return;
  ce->flags &= ~EVF_ESCAPED;
  switch (r->role) {
  case EV_ARM: case EV_DISARM: case EV_USE:
    ce->flags |= EVF_DISCARDED;
    break;
  case EV_RELEASE: case EV_JOIN: case EV_DETACH: {
    FePath p;
    ce->slot = fe_temp(L, arena_printf(L->a, "%s()", ce->api), &p);
    h->kind = VAL_PATH;
    h->p = p;
    break;
  }
  default:
    ce->flags |= EVF_ESCAPED; /* kept by what it is given to */
    break;
  }
}

static Val lower_call_in(Lower *L, CXCursor c);
static Val lower_call_args(Lower *L, CXCursor c, CXCursor callee,
                           enum CXCursorKind ck, bool is_fn, int n, Val *args,
                           IrLoc loc);

/* `t = std::thread(f)` on a class whose destructor the rules know: the old
 * object dies (a joinable std::thread terminates), then the new one lands. */
static bool assign_operator(Lower *L, CXCursor c, CXCursor method) {
  CXString s = clang_getCursorSpelling(method);
  bool is_assign = !strcmp(clang_getCString(s), "operator=");
  clang_disposeString(s);
  if (!is_assign)
    return false;
  const RuleFn *dtor = fe_dtor_rule(L, clang_getCursorSemanticParent(method));
  Kids k = fe_kids(L, c);
  Val lhs;
  if (!dtor || dtor->role >= EV__COUNT || k.n < 2 ||
      !fe_path_of(L, k.v[0], &lhs) || lhs.kind != VAL_PATH)
    return false;
  IrLoc loc = fe_loc(L, c);
  IrEvent *e = emit(L, (IrEventKind)dtor->role, fe_slot(L, &lhs.p), loc);
  e->api = dtor->name;
  fe_assign(L, lhs, fe_lower_expr(L, k.v[k.n - 1]), loc);
  return true;
}

/* A call expanded from a cleanup macro (pthread_cleanup_pop) runs as
 * deferred cleanup, and so does everything it does. */
static Val lower_call(Lower *L, CXCursor c) {
  const char *why = L->defer_why ? NULL : fe_cleanup_macro(L, c);
  if (!why)
    return lower_call_in(L, c);
  L->defer_why = why;
  Val v = lower_call_in(L, c);
  L->defer_why = NULL;
  return v;
}

/* A member call on a local vector (deque, list) of std::thread (#12 class
 * 7): adding an element starts another joinable thread in it (a create
 * that adds, EVF_ADDS, whose object is "the threads in v"); reading its
 * size does nothing; anything else (element access, clear, erase, passing
 * it on) is left to the general rules, which lose track of it. */
static bool thread_container_call(Lower *L, CXCursor c, CXCursor callee,
                                  Val *out) {
  Kids k = fe_kids(L, c);
  if (k.n < 1 || clang_getCursorKind(k.v[0]) != CXCursor_MemberRefExpr)
    return false;
  Kids m = fe_kids(L, k.v[0]);
  Val obj;
  if (m.n < 1 || !fe_path_of(L, m.v[0], &obj) || obj.kind != VAL_PATH ||
      !trackable(&obj.p) || obj.p.bk != BASE_LOCAL ||
      clang_Cursor_isNull(
          fe_thread_container(L, clang_getCursorType(fe_strip(m.v[0])))))
    return false;
  const char *name = fe_spelling(L, callee);
  bool adds = !strcmp(name, "emplace_back") || !strcmp(name, "push_back") ||
              !strcmp(name, "emplace") || !strcmp(name, "push_front") ||
              !strcmp(name, "emplace_front");
  bool reads = !strcmp(name, "size") || !strcmp(name, "empty") ||
               !strcmp(name, "reserve") || !strcmp(name, "capacity");
  if (!adds && !reads)
    return false;
  memset(out, 0, sizeof *out);
  int n = clang_Cursor_getNumArguments(c);
  IrLoc loc = fe_loc(L, c);
  for (int i = 0; i < n; i++) {
    Val a = fe_lower_expr(L, clang_Cursor_getArgument(c, (unsigned)i));
    if (a.kind == VAL_CREATE) /* push_back(std::thread(f)): moved in */
      event_at(L, a.ev_block, a.ev_index)->flags |= EVF_ESCAPED;
    else
      pass_unknown(L, &a, loc); /* push_back(std::move(t)), the data */
  }
  if (!adds || L->cur < 0)
    return true;
  IrEvent *e = emit(L, EV_CREATE, fe_slot(L, &obj.p), loc);
  e->api = arena_printf(L->a, "%s()", name);
  e->release_api = "std::thread::join";
  e->res = RES_THREAD;
  e->fail = FAIL_NEVER;
  e->flags |= EVF_ADDS | EVF_DTOR_CHECKS;
  return true;
}

static Val lower_call_in(Lower *L, CXCursor c) {
  Val none = {0};
  IrLoc loc = fe_loc(L, c);
  int n = clang_Cursor_getNumArguments(c);
  Val *args = arena_alloc(L->a, (size_t)(n > 0 ? n : 1) * sizeof *args);
  CXCursor callee = clang_getCursorReferenced(c);
  CXCursor target = resolve_fn_pointer(L, callee);
  if (!clang_Cursor_isNull(target))
    callee = target;
  enum CXCursorKind ck = clang_getCursorKind(callee);
  bool is_fn = ck == CXCursor_FunctionDecl || ck == CXCursor_CXXMethod ||
               ck == CXCursor_Constructor;
  if (ck == CXCursor_CXXMethod && assign_operator(L, c, callee))
    return none;
  Val tc;
  if (L->cxx && ck == CXCursor_CXXMethod &&
      thread_container_call(L, c, callee, &tc))
    return tc;
  Val v = lower_call_args(L, c, callee, ck, is_fn, n, args, loc);
  /* A lifecycle call the rules know (killTimer, g_source_remove) is taken
   * not to throw: the families are C APIs or document their errors. */
  if (L->cur >= 0 && is_fn && !fe_rule_for(L, callee) &&
      fe_may_throw(L, callee, fn_index(L, callee)))
    fe_unwind(L, loc, arena_printf(L->a, "'%s()' throws",
                                   fe_spelling(L, callee)));
  return v;
}

/* The parameter of callback `fn` that gets a pointer of type `t` handed
 * beside it: the one of that very type, else the only `void *` one; -1
 * when that is not one parameter. */
static int data_param(CXCursor fn, CXType t) {
  int n = clang_Cursor_getNumArguments(fn), same = -1, nsame = 0, vp = -1,
      nvp = 0;
  for (int k = 0; k < n; k++) {
    CXType pt = clang_getCanonicalType(
        clang_getCursorType(clang_Cursor_getArgument(fn, (unsigned)k)));
    if (pt.kind != CXType_Pointer)
      continue;
    if (clang_equalTypes(pt, t))
      same = k, nsame++;
    else if (clang_getCanonicalType(clang_getPointeeType(pt)).kind ==
             CXType_Void)
      vp = k, nvp++;
  }
  return nsame == 1 ? same : nsame == 0 && nvp == 1 ? vp : -1;
}

/* Code we cannot see, given one function and objects beside it (the C
 * callback idiom: event_once(-1, EV_TIMEOUT, free_cb, c, NULL),
 * qsort_r, a framework's register(cb, data)), will run the function with
 * them: the link phase follows the object into it, as into a call, so that
 * a free it defers runs after what its caller did first (IrEvent
 * later_usr). Events `first` on of the current block are the call's. */
static void later_callback(Lower *L, CXCursor c, const Val *args, int n,
                           int first) {
  CXCursor fn = clang_getNullCursor();
  for (int i = 0; i < n; i++) {
    CXCursor f = named_function(L, clang_Cursor_getArgument(c, (unsigned)i));
    if (clang_Cursor_isNull(f))
      continue;
    if (!clang_Cursor_isNull(fn))
      return; /* two functions: which gets what is not known */
    fn = f;
  }
  if (clang_Cursor_isNull(fn))
    return;
  const char *usr = NULL;
  for (int i = first; i < ir_block_nevents(L->f, L->cur); i++) {
    IrEvent *e = event_at(L, L->cur, i);
    if (e->kind != EV_CALL || e->arg < 0 || e->arg >= n ||
        args[e->arg].kind != VAL_PATH || (e->flags & EVF_SCALAR))
      continue;
    CXType t = clang_getCanonicalType(clang_getCursorType(
        fe_strip(clang_Cursor_getArgument(c, (unsigned)e->arg))));
    int k = t.kind == CXType_Pointer ? data_param(fn, t) : -1;
    if (k < 0)
      continue;
    if (!usr) {
      CXString s = clang_getCursorUSR(fn);
      usr = arena_strdup(L->a, clang_getCString(s));
      clang_disposeString(s);
      int idx = fn_index(L, fn);
      if (idx >= 0)
        L->fn_needed[idx] = true;
    }
    e->later_usr = usr;
    e->later_param = k;
  }
}

static Val lower_call_args(Lower *L, CXCursor c, CXCursor callee,
                           enum CXCursorKind ck, bool is_fn, int n, Val *args,
                           IrLoc loc) {
  Val none = {0};
  if (n < 0) { /* no argument list exposed: lower what is inside */
    Kids k = fe_kids(L, c);
    for (int i = 0; i < k.n; i++)
      fe_lower_expr(L, k.v[i]);
    return none;
  }
  for (int i = 0; i < n; i++)
    args[i] = fe_lower_expr(L, clang_Cursor_getArgument(c, i));
  /* A create's returned handle passed straight into a call is kept there. */
  for (int i = 0; i < n; i++)
    if (args[i].kind == VAL_CREATE && args[i].ret_handle)
      event_at(L, args[i].ev_block, args[i].ev_index)->flags |= EVF_ESCAPED;
  const char *name = is_fn ? fe_spelling(L, callee) : NULL;
  const RuleFn *r = is_fn ? fe_rule_for(L, callee)
                          : fe_member_rule(L, callee);
  if (r)
    nested_create(L, r, args, n);
  if (r)
    return lower_rule_call(L, r, c, args, n, loc);
  if (ck == CXCursor_Constructor && n == 1 &&
      (clang_CXXConstructor_isMoveConstructor(callee) ||
       clang_CXXConstructor_isCopyConstructor(callee)))
    return args[0]; /* the object is (moved from) its argument */
  int idx = is_fn ? fn_index(L, callee) : -1;
  if (idx < 0 && is_fn && zero_fill(L, name, c, args, n, loc))
    return none;
  if (idx >= 0) {
    L->fn_needed[idx] = true;
    bool any = false;
    for (int i = 0; i < n; i++) { /* the constants the callee is given */
      int64_t v;
      if (fe_eval_int(fe_strip(clang_Cursor_getArgument(c, (unsigned)i)),
                      &v)) {
        IrEvent *e = emit(L, EV_VALUE, -1, loc);
        e->callee = idx;
        e->arg = i;
        e->k = v;
      }
    }
    for (int i = 0; i < n; i++)
      if (args[i].kind == VAL_PATH || args[i].kind == VAL_ADDR) {
        IrEvent *e = emit(L, EV_CALL, fe_slot(L, &args[i].p), loc);
        e->callee = idx;
        e->arg = i;
        e->api = name;
        if (args[i].kind == VAL_ADDR)
          e->flags |= EVF_ADDR;
        any = true;
      }
    if (!any) { /* still needed: the callee may never return */
      IrEvent *e = emit(L, EV_CALL, -1, loc);
      e->callee = idx;
      e->api = name;
    }
    none.from_usr = L->u->funcs.v[idx]->usr;
    none.from_name = name;
    none.unit_call = true;
    return none;
  }
  bool any = false, logger = is_fn && is_printf_like(callee);
  bool api = is_fn && family_api(L, callee);
  int first = L->cur >= 0 ? ir_block_nevents(L->f, L->cur) : 0;
  /* The constants a named function of another file is given, beside the
   * paths: a teardown path into it knows which of its cases run (#19). */
  bool paths = false; /* with no path beside them they hand nothing on */
  for (int i = 0; i < n; i++)
    paths |= args[i].kind == VAL_PATH || args[i].kind == VAL_ADDR;
  for (int i = 0; paths && is_fn && !logger && i < n; i++) {
    int64_t v;
    if (args[i].kind == VAL_CONST &&
        fe_eval_int(fe_strip(clang_Cursor_getArgument(c, (unsigned)i)), &v)) {
      IrEvent *e = emit(L, EV_VALUE, -1, loc);
      e->callee = -1;
      e->arg = i;
      e->k = v;
    }
  }
  for (int i = 0; i < n; i++) {
    pass_unknown(L, &args[i], loc);
    if (args[i].kind == VAL_PATH || args[i].kind == VAL_ADDR) {
      IrEvent *e = event_at(L, L->cur, ir_block_nevents(L->f, L->cur) - 1);
      e->arg = i;
      if (args[i].kind == VAL_PATH && i < clang_Cursor_getNumArguments(c) &&
          is_scalar(clang_Cursor_getArgument(c, (unsigned)i)))
        e->flags |= EVF_SCALAR;
      if (args[i].kind == VAL_PATH && i < clang_Cursor_getNumArguments(c) &&
          is_pointer_value(clang_Cursor_getArgument(c, (unsigned)i)))
        e->flags |= EVF_POINTER;
      if (logger)
        e->flags |= EVF_FORMAT;
      if (api)
        e->flags |= EVF_FAMILY_API;
      any = true;
    }
  }
  /* Which function it is, for the link phase to apply its summary when
   * another TU defines it. */
  if (any && is_fn) {
    CXString usr = clang_getCursorUSR(callee);
    const char *u = arena_strdup(L->a, clang_getCString(usr));
    clang_disposeString(usr);
    for (int i = first; i < ir_block_nevents(L->f, L->cur); i++)
      event_at(L, L->cur, i)->usr = u;
  } else if (any) { /* through a struct field: the functions stored there */
    const char *u = called_field(L, c);
    for (int i = first; u && i < ir_block_nevents(L->f, L->cur); i++)
      event_at(L, L->cur, i)->usr = u;
  }
  if (any)
    later_callback(L, c, args, n, first);
  if (!any) /* unknown code still reaches what is in globals */
    emit(L, EV_CALL, -1, loc)->api = is_fn ? fe_spelling(L, callee) : NULL;
  if (is_fn) { /* a wrapper in another TU may return a new timer */
    CXString usr = clang_getCursorUSR(callee);
    none.from_usr = arena_strdup(L->a, clang_getCString(usr));
    none.from_name = fe_spelling(L, callee);
    clang_disposeString(usr);
  }
  if (is_fn && is_noreturn_decl(callee))
    end_path(L, loc);
  else if (!is_fn) {
    /* Through a function pointer: the callee expression is a child. */
    Kids k = fe_kids(L, c);
    if (k.n > 0)
      fe_lower_expr(L, k.v[0]);
  }
  return none;
}

static Val lower_binary(Lower *L, CXCursor c) {
  Val none = {0};
  Kids k = fe_kids(L, c);
  if (k.n != 2) {
    for (int i = 0; i < k.n; i++)
      fe_lower_expr(L, k.v[i]);
    return none;
  }
  enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
  if (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr) {
    int join = ir_block_new(L->f);
    fe_lower_cond(L, c, join, join);
    L->cur = join;
    return none;
  }
  if (op == CXBinaryOperator_Comma) {
    Val v = fe_lower_expr(L, k.v[0]); /* its value is dropped */
    if (v.kind == VAL_CREATE && v.ret_handle)
      ir_create_discard(event_at(L, v.ev_block, v.ev_index));
    return fe_lower_expr(L, k.v[1]);
  }
  if (op == CXBinaryOperator_Assign) {
    CXCursor lhs_c = fe_strip(k.v[0]);
    if (clang_getCursorKind(lhs_c) == CXCursor_MemberRefExpr)
      fe_store_target(L, clang_getCursorReferenced(lhs_c), k.v[1]);
    Val rhs = fe_lower_expr(L, k.v[1]);
    Val lhs;
    if (!fe_path_of(L, k.v[0], &lhs))
      lhs = fe_lower_expr(L, k.v[0]);
    fe_assign(L, lhs, rhs, fe_loc(L, c));
    return lhs.kind == VAL_PATH ? lhs : rhs;
  }
  if (op >= CXBinaryOperator_MulAssign && op <= CXBinaryOperator_OrAssign) {
    fe_lower_expr(L, k.v[1]);
    Val lhs;
    if (fe_path_of(L, k.v[0], &lhs) && lhs.kind == VAL_PATH)
      emit(L, EV_ASSIGN, fe_slot(L, &lhs.p), fe_loc(L, c));
    return none;
  }
  Val a = fe_lower_expr(L, k.v[0]);
  Val b = fe_lower_expr(L, k.v[1]);
  /* A returned handle that is only compared is kept nowhere. */
  if (op >= CXBinaryOperator_LT && op <= CXBinaryOperator_NE)
    for (int i = 0; i < 2; i++) {
      Val *v = i ? &b : &a;
      if (v->kind == VAL_CREATE && v->ret_handle)
        ir_create_discard(event_at(L, v->ev_block, v->ev_index));
    }
  int64_t v;
  if (fe_eval_int(c, &v))
    return val_const(v);
  return none;
}

static Val lower_unary(Lower *L, CXCursor c) {
  Val none = {0};
  enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
  Kids k = fe_kids(L, c);
  if (k.n != 1)
    return none;
  if (op == CXUnaryOperator_AddrOf || op == CXUnaryOperator_Deref) {
    Val v;
    if (fe_path_of(L, c, &v))
      return v;
    fe_lower_expr(L, k.v[0]);
    return none;
  }
  Val v = fe_lower_expr(L, k.v[0]);
  if (op >= CXUnaryOperator_PostInc && op <= CXUnaryOperator_PreDec &&
      v.kind == VAL_PATH)
    emit(L, EV_ASSIGN, fe_slot(L, &v.p), fe_loc(L, c));
  int64_t x;
  if (fe_eval_int(c, &x))
    return val_const(x);
  return none;
}

static Val lower_conditional(Lower *L, CXCursor c) {
  Val none = {0};
  Kids k = fe_kids(L, c);
  if (k.n != 3) {
    for (int i = 0; i < k.n; i++)
      fe_lower_expr(L, k.v[i]);
    return none;
  }
  int t = ir_block_new(L->f), e = ir_block_new(L->f), j = ir_block_new(L->f);
  fe_lower_cond(L, k.v[0], t, e);
  L->cur = t;
  Val a = fe_lower_expr(L, k.v[1]);
  fe_goto(L, j, false);
  L->cur = e;
  Val b = fe_lower_expr(L, k.v[2]);
  fe_goto(L, j, false);
  L->cur = j;
  /* `want ? timerfd_create(...) : -1`: where the create ran, the value is
   * its handle (what keeps it, or drops it, is the conditional's user);
   * the other arm made nothing. */
  bool ca = a.kind == VAL_CREATE && a.ret_handle,
       cb = b.kind == VAL_CREATE && b.ret_handle;
  if (ca != cb && (ca ? b : a).kind != VAL_PATH)
    return ca ? a : b;
  return none;
}

Val fe_lower_expr(Lower *L, CXCursor c) {
  Val none = {0};
  c = fe_strip(c);
  switch (clang_getCursorKind(c)) {
  case CXCursor_CallExpr:
    return lower_call(L, c);
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator:
    return lower_binary(L, c);
  case CXCursor_UnaryOperator:
    return lower_unary(L, c);
  case CXCursor_ConditionalOperator:
    return lower_conditional(L, c);
  case CXCursor_StmtExpr: {
    Kids k = fe_kids(L, c);
    for (int i = 0; i < k.n; i++)
      fe_lower_stmt(L, k.v[i]);
    return none;
  }
  case CXCursor_DeclRefExpr:
  case CXCursor_MemberRefExpr:
  case CXCursor_ArraySubscriptExpr: {
    Val v;
    if (clang_getCursorKind(c) != CXCursor_DeclRefExpr) {
      /* Side effects inside (an index, a call in the base) still count. */
      Kids k = fe_kids(L, c);
      for (int i = clang_getCursorKind(c) == CXCursor_ArraySubscriptExpr; i < k.n;
           i++)
        if (clang_getCursorKind(fe_strip(k.v[i])) == CXCursor_CallExpr)
          fe_lower_expr(L, k.v[i]);
    }
    int64_t x;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr && fe_eval_int(c, &x))
      return val_const(x);
    if (fe_path_of(L, c, &v))
      return v;
    return none;
  }
  case CXCursor_CXXThrowExpr: {
    Kids k = fe_kids(L, c);
    for (int i = 0; i < k.n; i++)
      fe_lower_expr(L, k.v[i]);
    fe_unwind(L, fe_loc(L, c), NULL);
    return none;
  }
  case CXCursor_LambdaExpr:
    return none; /* its body runs elsewhere (a worker, a guard) */
  case CXCursor_CXXNewExpr:
    return lower_new(L, c);
  case CXCursor_CXXDeleteExpr:
    return lower_delete(L, c);
  case CXCursor_CXXFunctionalCastExpr:
  case CXCursor_CXXStaticCastExpr:
  case CXCursor_CXXConstCastExpr:
  case CXCursor_CXXReinterpretCastExpr:
  case CXCursor_CStyleCastExpr: {
    Kids k = fe_kids(L, c);
    Val v = none;
    for (int i = 0; i < k.n; i++)
      if (clang_isExpression(clang_getCursorKind(k.v[i])))
        v = fe_lower_expr(L, k.v[i]);
    return v;
  }
  default: {
    int64_t x;
    if (clang_isExpression(clang_getCursorKind(c)) && fe_eval_int(c, &x))
      return val_const(x);
    Kids k = fe_kids(L, c);
    if (!k.n && clang_getCursorKind(c) == CXCursor_UnexposedExpr &&
        fe_recover_null(L, c))
      return val_const(0); /* NULL with <stddef.h> missing */
    if (!k.n && clang_getCursorKind(c) == CXCursor_UnexposedExpr)
      fe_recover_calls(L, c); /* an expression with errors: its tokens */
    for (int i = 0; i < k.n; i++)
      if (clang_isExpression(clang_getCursorKind(k.v[i])) ||
          clang_isStatement(clang_getCursorKind(k.v[i])))
        fe_lower_expr(L, k.v[i]);
    return none;
  }
  }
}

/* The variable a condition tests, as a slot: a path, or a temporary for a
 * create's result compared directly. -1: not trackable. */
static int subject(Lower *L, Val *v, IrLoc loc) {
  if (v->kind == VAL_PATH)
    return fe_slot(L, &v->p);
  if (v->kind == VAL_NONE && v->unit_call && v->from_usr && L->cur >= 0) {
    /* `if (helper(&t) != 0)`: the result, in a temporary assigned from
     * the call, so a helper that creates into *out can become that
     * create with its status (ir_lift_creators). */
    int s = fe_temp(L, arena_printf(L->a, "%s()", v->from_name), NULL);
    IrEvent *e = ir_emit(L->f, fe_block(L), EV_ASSIGN, s, loc);
    e->usr = v->from_usr;
    e->api = v->from_name;
    return s;
  }
  if (v->kind != VAL_CREATE)
    return -1;
  IrEvent *e = event_at(L, v->ev_block, v->ev_index);
  if (v->ret_handle && e->slot < 0)
    e->flags |= EVF_DISCARDED; /* only compared: nothing keeps the handle */
  if (e->status >= 0)
    return e->status;
  e->status = fe_temp(L, arena_printf(L->a, "%s()", e->api), NULL);
  return e->status;
}

/* How the test being lowered sits in the condition as written, so its note
 * quotes the code: `text` is the outermost of the `!` written around it
 * (null: none), `neg` says an odd number of them (the text holds where the
 * test fails), `outer` says a `!` above an enclosing && / || turns the
 * written branch around (`!(a && b)`). */
typedef struct {
  CXCursor text;
  bool neg, outer;
} Written;

static void branch(Lower *L, CXCursor c, Written w, int var, IrCmp op,
                   int64_t k, int t, int f) {
  IrCond cond = {var, op, k, NULL, w.neg, w.outer};
  if (!clang_Cursor_isNull(w.text))
    cond.text = fe_source_text(L, w.text, 80);
  if (!cond.text) { /* quote the test itself: the `!` now lies outside */
    cond.text = fe_source_text(L, c, 80);
    cond.text_negated = false;
    cond.branch_negated = w.outer != w.neg;
  }
  if (!cond.text) { /* "the condition" is the whole one: its own branch */
    cond.text_negated = cond.branch_negated;
    cond.branch_negated = false;
  }
  ir_branch(L->f, fe_block(L), cond, t, f, fe_loc(L, c));
  L->cur = -1;
}

static IrCmp flip(IrCmp op) {
  static const IrCmp fl[] = {CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_LT, CMP_LE};
  return fl[op];
}

static void lower_cond(Lower *L, CXCursor c, int t, int f, Written w) {
  c = fe_strip(c);
  enum CXCursorKind kind = clang_getCursorKind(c);
  if (kind == CXCursor_UnaryOperator &&
      clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot) {
    Kids k = fe_kids(L, c);
    if (k.n == 1) {
      Written in = {clang_Cursor_isNull(w.text) ? c : w.text, !w.neg, w.outer};
      lower_cond(L, k.v[0], f, t, in);
      return;
    }
  }
  /* An operand of && / || (or after a comma) is quoted as itself: the `!`
   * written around the whole now turns the branch around. */
  Written part = {clang_getNullCursor(), false, w.outer != w.neg};
  if (kind == CXCursor_BinaryOperator) {
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
    Kids k = fe_kids(L, c);
    if (k.n == 2 && (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr)) {
      int mid = ir_block_new(L->f);
      if (op == CXBinaryOperator_LAnd)
        lower_cond(L, k.v[0], mid, f, part);
      else
        lower_cond(L, k.v[0], t, mid, part);
      L->cur = mid;
      lower_cond(L, k.v[1], t, f, part);
      return;
    }
    if (k.n == 2 && op == CXBinaryOperator_Comma) {
      fe_lower_expr(L, k.v[0]);
      lower_cond(L, k.v[1], t, f, part);
      return;
    }
    if (k.n == 2 && op >= CXBinaryOperator_LT && op <= CXBinaryOperator_NE) {
      static const IrCmp map[] = {CMP_LT, CMP_GT, CMP_LE, CMP_GE, CMP_EQ,
                                  CMP_NE};
      IrCmp cmp = map[op - CXBinaryOperator_LT];
      Val a = fe_lower_expr(L, k.v[0]);
      Val b = fe_lower_expr(L, k.v[1]);
      int var = -1;
      int64_t kv = 0;
      if (b.kind == VAL_CONST && (var = subject(L, &a, fe_loc(L, c))) >= 0) {
        kv = b.k;
      } else if (a.kind == VAL_CONST && (var = subject(L, &b, fe_loc(L, c))) >= 0) {
        kv = a.k;
        cmp = flip(cmp);
      }
      branch(L, c, w, var, cmp, kv, t, f);
      return;
    }
  }
  int rvar;
  IrCmp rcmp;
  int64_t rk;
  if (clang_getCursorKind(c) == CXCursor_UnexposedExpr &&
      !fe_kids(L, c).n && fe_recover_cond(L, c, &rvar, &rcmp, &rk)) {
    branch(L, c, w, rvar, rcmp, rk, t, f); /* an errored create's test */
    return;
  }
  /* A condition with errors that is no test we can read: a create in it
   * is tested some way we cannot see (`(rc = pthread_create(...)) ==
   * EAGAIN` with <errno.h> missing), so no path through it proves the
   * object made: its creates are not recovered (its other calls are). */
  bool unreadable = clang_getCursorKind(c) == CXCursor_UnexposedExpr &&
                    !fe_kids(L, c).n;
  L->recover_no_create = unreadable;
  Val v = fe_lower_expr(L, c);
  L->recover_no_create = false;
  if (v.kind == VAL_CONST) {
    fe_goto(L, v.k ? t : f, false); /* while (1), do { } while (0) */
    return;
  }
  branch(L, c, w, subject(L, &v, fe_loc(L, c)), CMP_NE, 0, t, f);
}

void fe_lower_cond(Lower *L, CXCursor c, int t, int f) {
  Written w = {clang_getNullCursor(), false, false};
  lower_cond(L, c, t, f, w);
}

/* Which locals get a field assigned anywhere in the function: their
 * initializer is then not their value at a later call. */
typedef struct {
  Lower *L;
} Pre;

static void note_assigned(Lower *L, CXCursor lhs) {
  lhs = fe_strip(lhs);
  if (clang_getCursorKind(lhs) == CXCursor_DeclRefExpr)
    array_push(&L->assigned, clang_getCursorReferenced(lhs));
}

static enum CXChildVisitResult pre_visit(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  Lower *L = ((Pre *)d)->L;
  enum CXCursorKind k = clang_getCursorKind(c);
  if ((k == CXCursor_BinaryOperator &&
              clang_getCursorBinaryOperatorKind(c) == CXBinaryOperator_Assign) ||
             k == CXCursor_CompoundAssignOperator) {
    Kids kids = fe_kids(L, c);
    Val v;
    if (kids.n == 2 &&
        clang_getCursorKind(fe_strip(kids.v[0])) == CXCursor_MemberRefExpr &&
        fe_path_of(L, kids.v[0], &v))
      array_push(&L->mutated, v.p.base);
    if (kids.n == 2)
      note_assigned(L, kids.v[0]);
  } else if (k == CXCursor_UnaryOperator) {
    enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
    if (op == CXUnaryOperator_AddrOf ||
        (op >= CXUnaryOperator_PostInc && op <= CXUnaryOperator_PreDec)) {
      Kids kids = fe_kids(L, c);
      if (kids.n == 1)
        note_assigned(L, kids.v[0]);
    }
  }
  return CXChildVisit_Recurse;
}

void fe_prepass(Lower *L, CXCursor body) {
  Pre p = {L};
  L->in_prepass = true;
  clang_visitChildren(body, pre_visit, &p);
  L->in_prepass = false;
}
