/* cxx.c: what C++ adds to lowering. Qualified names for rule lookup
 * (std::thread::join), whether a call may throw, what a lambda captures, and
 * what runs when a class-typed local dies (a destructor the rules know, one
 * defined in the project, or a scope guard).
 *
 * Which calls may throw is decided without whole-program knowledge: a call
 * into the system's headers (the C library, the standard library) is taken
 * not to throw, as is anything noexcept or with C linkage; a project
 * function whose body is in the unit throws only if its body has a throw
 * expression; one without a body here may throw. Precision first: a
 * standard library call that throws std::bad_alloc is not a path we report
 * on. */
#include <string.h>

#include "feInt.h"

static bool is_scope_kind(enum CXCursorKind k) {
  return k == CXCursor_Namespace || k == CXCursor_ClassDecl ||
         k == CXCursor_StructDecl || k == CXCursor_ClassTemplate ||
         k == CXCursor_ClassTemplatePartialSpecialization ||
         k == CXCursor_UnionDecl;
}

/* "std::thread::join" for a member or namespaced function; the plain
 * spelling for a C function. Inline namespaces (std::__cxx11) and template
 * arguments are left out, as a user writes the name. */
const char *fe_qualified(Lower *L, CXCursor fn) {
  StrBuf b = {0};
  const char *parts[16];
  int n = 0;
  for (CXCursor p = clang_getCursorSemanticParent(fn);
       n < 16 && is_scope_kind(clang_getCursorKind(p));
       p = clang_getCursorSemanticParent(p)) {
    if (clang_getCursorKind(p) == CXCursor_Namespace &&
        clang_Cursor_isInlineNamespace(p))
      continue;
    const char *s = fe_spelling(L, p);
    const char *lt = strchr(s, '<');
    parts[n++] = lt ? arena_strndup(L->a, s, (size_t)(lt - s)) : s;
  }
  for (int i = n - 1; i >= 0; i--) {
    sb_puts(&b, parts[i]);
    sb_puts(&b, "::");
  }
  const char *name = fe_spelling(L, fn);
  const char *lt = strchr(name, '<');
  if (lt && name[0] != '~' && strncmp(name, "operator", 8))
    name = arena_strndup(L->a, name, (size_t)(lt - name));
  sb_puts(&b, name);
  const char *r = arena_strdup(L->a, b.s);
  sb_free(&b);
  return r;
}

/* The rule for a callee: by qualified name, then (for functions outside
 * any class) by plain name, so `pthread_create` and `::finally` match. */
typedef struct {
  Lower *L;
  CXCursor fn;
} ParamCtx;

/* The canonical spelling of the declared type of parameter `arg`. */
static const char *param_type(void *ctx, int arg) {
  ParamCtx *p = ctx;
  CXType ft = clang_getCursorType(p->fn);
  if (arg >= clang_getNumArgTypes(ft))
    return NULL;
  CXString s = clang_getTypeSpelling(
      clang_getCanonicalType(clang_getArgType(ft, (unsigned)arg)));
  const char *t = arena_strdup(p->L->a, clang_getCString(s));
  clang_disposeString(s);
  return t;
}

const RuleFn *fe_rule_for(Lower *L, CXCursor callee) {
  enum CXCursorKind k = clang_getCursorKind(callee);
  const char *plain = fe_spelling(L, callee);
  ParamCtx pc = {L, callee};
  const Rules *rs = L->fe->rules;
  if (k == CXCursor_FunctionDecl &&
      !is_scope_kind(clang_getCursorKind(clang_getCursorSemanticParent(callee))))
    return rules_lookup_typed(rs, plain, param_type, &pc);
  const RuleFn *r = rules_lookup_typed(rs, fe_qualified(L, callee), param_type,
                                       &pc);
  if (!r && k == CXCursor_FunctionDecl)
    r = rules_lookup_typed(rs, plain, param_type, &pc);
  return r;
}

/* A call through a function-pointer member of a struct (a vtable:
 * PulseAudio's pa_mainloop_api, Avahi's AvahiPoll): the rule named
 * RECORD.MEMBER, RECORD the struct's tag (or its typedef, for an anonymous
 * one), however the struct is reached. */
const RuleFn *fe_member_rule(Lower *L, CXCursor field) {
  if (clang_getCursorKind(field) != CXCursor_FieldDecl)
    return NULL;
  CXCursor rec = clang_getCursorSemanticParent(field);
  enum CXCursorKind rk = clang_getCursorKind(rec);
  if (rk != CXCursor_StructDecl && rk != CXCursor_UnionDecl)
    return NULL;
  CXString ts = clang_getTypeSpelling(clang_getCursorType(rec));
  const char *t = clang_getCString(ts);
  for (const char *w = "struct \0union \0"; *w; w += strlen(w) + 1)
    if (!strncmp(t, w, strlen(w)))
      t += strlen(w);
  const char *key = arena_printf(L->a, "%s.%s", t, fe_spelling(L, field));
  clang_disposeString(ts);
  return rules_lookup(L->fe->rules, key);
}

static enum CXChildVisitResult find_throw(CXCursor c, CXCursor parent,
                                          CXClientData d) {
  (void)parent;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_CXXThrowExpr) {
    *(bool *)d = true;
    return CXChildVisit_Break;
  }
  if (k == CXCursor_LambdaExpr || k == CXCursor_CXXTryStmt)
    return CXChildVisit_Continue; /* thrown elsewhere, or caught */
  return CXChildVisit_Recurse;
}

bool fe_may_throw(Lower *L, CXCursor callee, int idx) {
  if (!L->cxx)
    return false;
  enum CXCursorKind k = clang_getCursorKind(callee);
  if (k != CXCursor_FunctionDecl && k != CXCursor_CXXMethod &&
      k != CXCursor_Constructor && k != CXCursor_ConversionFunction)
    return false;
  if (clang_Location_isInSystemHeader(clang_getCursorLocation(callee)))
    return false;
  int spec = clang_getCursorExceptionSpecificationType(callee);
  if (spec != CXCursor_ExceptionSpecificationKind_None &&
      spec != CXCursor_ExceptionSpecificationKind_Dynamic &&
      spec != CXCursor_ExceptionSpecificationKind_MSAny)
    return false;
  CXString m = clang_Cursor_getMangling(callee);
  bool cxx_linkage = strncmp(clang_getCString(m), "_Z", 2) == 0;
  clang_disposeString(m);
  if (!cxx_linkage)
    return false; /* extern "C" */
  CXCursor def = clang_getCursorDefinition(callee);
  if (clang_Cursor_isNull(def))
    return true;
  /* Searching a body for `throw` once per function, not once per call. */
  if (idx >= 0 && L->throws[idx])
    return L->throws[idx] == THROWS_YES;
  bool throws = false;
  clang_visitChildren(def, find_throw, &throws);
  if (idx >= 0)
    L->throws[idx] = throws ? THROWS_YES : THROWS_NO;
  return throws;
}

/* Variables a lambda uses from outside it: its explicit captures and, for
 * [&] / [=], the outer variables its body names. Either way the worker can
 * reach their storage or holds their values. */
typedef struct {
  Lower *L;
  unsigned lo, hi; /* the lambda's extent */
  Array(CXCursor) *out;
} CapAcc;

static enum CXChildVisitResult cap_visit(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  CapAcc *a = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_VariableRef || k == CXCursor_DeclRefExpr) {
    CXCursor v = clang_getCursorReferenced(c);
    enum CXCursorKind vk = clang_getCursorKind(v);
    if (vk == CXCursor_VarDecl || vk == CXCursor_ParmDecl) {
      unsigned off = fe_offset(clang_getCursorLocation(v));
      bool outside = off < a->lo || off > a->hi;
      bool seen = false;
      for (int i = 0; i < a->out->n && !seen; i++)
        seen = clang_equalCursors(a->out->v[i], v);
      if (outside && !seen)
        array_push(a->out, v);
    }
  }
  return CXChildVisit_Recurse;
}

int fe_lambda_uses(Lower *L, CXCursor lambda, IrUse **uses) {
  Array(CXCursor) vars = {0};
  CXSourceRange r = clang_getCursorExtent(lambda);
  CapAcc a = {L, fe_offset(clang_getRangeStart(r)),
              fe_offset(clang_getRangeEnd(r)), (void *)&vars};
  clang_visitChildren(lambda, cap_visit, &a);
  IrUse *u = arena_alloc(L->a, (size_t)(vars.n ? vars.n : 1) * sizeof *u);
  int n = 0;
  for (int i = 0; i < vars.n; i++) {
    FePath p;
    if (!fe_var_path(L, vars.v[i], &p))
      continue;
    u[n].slot = fe_slot(L, &p);
    u[n].addr = true;
    n++;
  }
  array_free(&vars);
  *uses = u;
  return n;
}

/* The rule for a class's destructor, by name ("std::thread::~thread"). */
const RuleFn *fe_dtor_rule(Lower *L, CXCursor cls) {
  const char *q = fe_qualified(L, cls);
  const char *last = strrchr(q, ':');
  return rules_lookup(L->fe->rules,
                      arena_printf(L->a, "%s::~%s", q, last ? last + 1 : q));
}

/* The destructor of a class-typed local, when it matters: a rule for it
 * (std::thread's must not find a joinable thread), or a body in the
 * project (an RAII guard). */
static enum CXChildVisitResult find_dtor(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  if (clang_getCursorKind(c) == CXCursor_Destructor) {
    *(CXCursor *)d = c;
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

bool fe_local_dtor(Lower *L, CXCursor var, const RuleFn **rule,
                   CXCursor *body) {
  *rule = NULL;
  *body = clang_getNullCursor();
  CXType t = clang_getCanonicalType(clang_getCursorType(var));
  if (t.kind != CXType_Record)
    return false;
  CXCursor cls = clang_getTypeDeclaration(t);
  if (clang_Cursor_isNull(cls))
    return false;
  CXCursor dtor = clang_getNullCursor();
  clang_visitChildren(cls, find_dtor, &dtor);
  if (clang_Cursor_isNull(dtor)) {
    /* A template's instantiation lists no members: name the rule. */
    *rule = fe_dtor_rule(L, cls);
    return *rule != NULL;
  }
  *rule = fe_rule_for(L, dtor);
  if (*rule)
    return true;
  CXCursor def = clang_getCursorDefinition(dtor);
  if (clang_Cursor_isNull(def) ||
      clang_Location_isInSystemHeader(clang_getCursorLocation(def)))
    return false;
  Kids k = fe_kids(L, def);
  for (int i = 0; i < k.n; i++)
    if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
      *body = k.v[i];
  return !clang_Cursor_isNull(*body);
}

/* A std::vector / deque / list of std::thread: the class of the thread
 * (its destructor's rule is what the container's destructor runs on each
 * element), else a null cursor. */
CXCursor fe_thread_container(Lower *L, CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_LValueReference || t.kind == CXType_RValueReference)
    return clang_getNullCursor(); /* someone else's container */
  if (t.kind != CXType_Record || clang_Type_getNumTemplateArguments(t) < 1)
    return clang_getNullCursor();
  const char *q = fe_qualified(L, clang_getTypeDeclaration(t));
  if (strcmp(q, "std::vector") && strcmp(q, "std::deque") &&
      strcmp(q, "std::list"))
    return clang_getNullCursor();
  CXType el = clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(t, 0));
  CXCursor cls = clang_getTypeDeclaration(el);
  if (clang_Cursor_isNull(cls) || strcmp(fe_qualified(L, cls), "std::thread"))
    return clang_getNullCursor();
  return cls;
}
