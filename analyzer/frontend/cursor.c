/* cursor.c: small libclang helpers. Everything returned is copied into the
 * unit's arena: no CXString or CXCursor outlives the TU. */
#include <limits.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "feInt.h"

typedef struct {
  Array(CXCursor) v;
} KidAcc;

static enum CXChildVisitResult kid_visit(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  KidAcc *k = d;
  array_push(&k->v, c);
  return CXChildVisit_Continue;
}

Kids fe_kids(Lower *L, CXCursor c) {
  KidAcc k = {0};
  clang_visitChildren(c, kid_visit, &k);
  Kids out = {NULL, k.v.n};
  if (k.v.n) {
    out.v = arena_alloc(L->a, (size_t)k.v.n * sizeof(CXCursor));
    memcpy(out.v, k.v.v, (size_t)k.v.n * sizeof(CXCursor));
  }
  array_free(&k.v);
  return out;
}

/* Only a TU with errors has expressions with errors: the extent check
 * below is for those, and costs two location lookups per call elsewhere. */
_Thread_local bool fe_strip_errors;

/* Parentheses and implicit casts (UnexposedExpr with one expression child)
 * say nothing about lifecycles. */
CXCursor fe_strip(CXCursor c) {
  for (;;) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
      return c;
    CXCursor only = clang_getNullCursor();
    int n = 0;
    KidAcc acc = {0};
    clang_visitChildren(c, kid_visit, &acc);
    for (int i = 0; i < acc.v.n; i++)
      if (clang_isExpression(clang_getCursorKind(acc.v.v[i]))) {
        only = acc.v.v[i];
        n++;
      }
    array_free(&acc.v);
    if (n != 1)
      return c;
    /* An implicit cast spans its operand exactly (a designator `.f = x`
     * ends with it); an expression with errors that kept its first operand
     * goes on past it (`p->idle` with the member's type unknown keeps
     * `p`): it is not that operand. */
    if (k == CXCursor_UnexposedExpr && fe_strip_errors) {
      CXSourceRange rc = clang_getCursorExtent(c),
                    ro = clang_getCursorExtent(only);
      unsigned oc, oo;
      clang_getExpansionLocation(clang_getRangeEnd(rc), NULL, NULL, NULL, &oc);
      clang_getExpansionLocation(clang_getRangeEnd(ro), NULL, NULL, NULL, &oo);
      if (oo < oc)
        return c;
    }
    c = only;
  }
}

/* Real paths relative to the working directory when below it: stable names
 * whatever -working-directory or relative include said. */
static const char *file_name(Lower *L, CXFile f) {
  if (!f)
    return NULL;
  for (int i = 0; i < L->files.n; i++)
    if (L->files.v[i].file == f)
      return L->files.v[i].name;
  CXString s = clang_File_tryGetRealPathName(f);
  const char *raw = clang_getCString(s);
  char *real = raw && *raw ? realpath(raw, NULL) : NULL;
  const char *use = real ? real : (raw ? raw : "?");
  char cwd[PATH_MAX];
  if (real && getcwd(cwd, sizeof cwd)) {
    size_t n = strlen(cwd);
    if (strncmp(real, cwd, n) == 0 && real[n] == '/')
      use = real + n + 1;
  }
  FileName fn = {f, arena_strdup(L->a, use)};
  free(real);
  clang_disposeString(s);
  array_push(&L->files, fn);
  return fn.name;
}

const char *fe_file_name(Lower *L, CXFile f) { return file_name(L, f); }

static IrLoc loc_of(Lower *L, CXSourceLocation sl) {
  CXFile f;
  unsigned line, col;
  clang_getExpansionLocation(sl, &f, &line, &col, NULL);
  IrLoc loc = {file_name(L, f), (int)line, (int)col};
  return loc;
}

IrLoc fe_loc(Lower *L, CXCursor c) {
  return loc_of(L, clang_getRangeStart(clang_getCursorExtent(c)));
}

IrLoc fe_loc_end(Lower *L, CXCursor c) {
  IrLoc l = loc_of(L, clang_getRangeEnd(clang_getCursorExtent(c)));
  if (l.col > 1)
    l.col--; /* the range end is one past the closing brace */
  return l;
}

unsigned fe_offset(CXSourceLocation loc) {
  unsigned off;
  clang_getExpansionLocation(loc, NULL, NULL, NULL, &off);
  return off;
}

const char *fe_spelling(Lower *L, CXCursor c) {
  CXString s = clang_getCursorSpelling(c);
  const char *r = arena_strdup(L->a, clang_getCString(s));
  clang_disposeString(s);
  return r;
}

/* The condition's source text for notes; NULL when it comes from a macro or
 * is too long to be useful. */
const char *fe_source_text(Lower *L, CXCursor c, int max) {
  CXSourceRange r = clang_getCursorExtent(c);
  CXFile f1, f2;
  unsigned o1, o2;
  clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
  clang_getSpellingLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
  if (!f1 || f1 != f2 || o2 <= o1 || (int)(o2 - o1) > max)
    return NULL;
  if (clang_Location_isFromMainFile(clang_getRangeStart(r)) == 0 &&
      clang_Location_isInSystemHeader(clang_getRangeStart(r)))
    return NULL;
  size_t size;
  const char *buf = clang_getFileContents(L->tu, f1, &size);
  if (!buf || o2 > size)
    return NULL;
  char *t = arena_strndup(L->a, buf + o1, o2 - o1);
  for (char *p = t; *p; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';
  return arena_printf(L->a, "'%s'", t);
}

/* clang_Cursor_Evaluate folds a variable to its initializer, which is not
 * its value at the use: refuse anything reading a mutable variable. */
static enum CXChildVisitResult reads_var(CXCursor c, CXCursor parent,
                                         CXClientData d) {
  (void)parent;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_CallExpr) {
    *(bool *)d = true;
    return CXChildVisit_Break;
  }
  if (k == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    enum CXCursorKind rk = clang_getCursorKind(ref);
    if ((rk == CXCursor_VarDecl || rk == CXCursor_ParmDecl) &&
        !clang_isConstQualifiedType(clang_getCursorType(ref))) {
      *(bool *)d = true;
      return CXChildVisit_Break;
    }
  }
  return CXChildVisit_Recurse;
}

/* clang_Cursor_Evaluate crashes inside libclang 19 on some aggregate
 * initializers (redis's `getKeysResult r = GETKEYS_RESULT_INIT;`): only
 * scalar expressions are ever handed to it. */
static bool scalar_type(CXCursor c) {
  CXType t = clang_getCanonicalType(clang_getCursorType(c));
  return (t.kind >= CXType_Bool && t.kind <= CXType_Int128) ||
         t.kind == CXType_Enum || t.kind == CXType_Pointer;
}

bool fe_eval_int(CXCursor c, int64_t *out) {
  enum CXCursorKind k = clang_getCursorKind(c);
  bool mutable_read = false;
  if (k == CXCursor_CXXNullPtrLiteralExpr || k == CXCursor_GNUNullExpr) {
    *out = 0; /* nullptr, and C++'s NULL (__null) */
    return true;
  }
  if (k == CXCursor_InitListExpr || k == CXCursor_CompoundLiteralExpr ||
      !scalar_type(c))
    return false;
  if (k != CXCursor_DeclRefExpr) {
    clang_visitChildren(c, reads_var, &mutable_read);
    if (mutable_read)
      return false;
  }
  if (k == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_getCursorKind(ref) == CXCursor_EnumConstantDecl) {
      *out = clang_getEnumConstantDeclValue(ref);
      return true;
    }
    if (clang_getCursorKind(ref) != CXCursor_VarDecl)
      return false;
    /* A variable's initializer is not its value at the use: only a
     * const-qualified one is. */
    if (!clang_isConstQualifiedType(clang_getCursorType(ref)))
      return false;
  }
  if (k == CXCursor_CallExpr)
    return false;
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (!r)
    return false;
  bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
  if (ok)
    *out = clang_EvalResult_isUnsignedInt(r)
               ? (int64_t)clang_EvalResult_getAsUnsigned(r)
               : clang_EvalResult_getAsLongLong(r);
  clang_EvalResult_dispose(r);
  return ok;
}

/* Functions we lower: in the main file or the project's own headers. */
bool fe_in_scope(Lower *L, CXCursor c, CXFile main) {
  (void)L;
  CXSourceLocation sl = clang_getCursorLocation(c);
  if (clang_Location_isInSystemHeader(sl))
    return false;
  CXFile f;
  clang_getExpansionLocation(sl, &f, NULL, NULL, NULL);
  return f != NULL && (main == NULL || f == main ||
                       !clang_Location_isInSystemHeader(sl));
}
