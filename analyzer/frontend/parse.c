/* parse.c: libclang parsing of one TU, its diagnostics, the choice of
 * functions to lower, and the compile database reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "feInt.h"

FeCtx *fe_new(const Rules *rules) {
  FeCtx *fe = xcalloc(1, sizeof *fe);
  fe->rules = rules;
  for (int i = 0; rules && i < rules_family_count(rules); i++) {
    const RuleFamily *fam = rules_family(rules, i);
    for (int j = 0; j < fam->count; j++)
      if (rules_fn(rules, fam->first + j)->role == ROLE_CLEANUP_MACRO)
        fe->has_cleanup_macros = true;
  }
  /* excludeDeclarationsFromPCH=0, displayDiagnostics=0: we print our own. */
  fe->index = clang_createIndex(0, 0);
  return fe;
}

void fe_free(FeCtx *fe) {
  if (!fe)
    return;
  clang_disposeIndex(fe->index);
  xfree(fe);
}

void fe_diag_clear(FeDiag *d) {
  free(d->first_error);
  free(d->fatal);
  free(d->first_driver);
  memset(d, 0, sizeof *d);
}

static char *dup_printf(const char *fmt, const char *a, const char *b) {
  size_t n = strlen(fmt) + strlen(a) + strlen(b ? b : "") + 1;
  char *s = xmalloc(n);
  snprintf(s, n, fmt, a, b ? b : "");
  return s;
}

static void collect_diags(CXTranslationUnit tu, FeDiag *d) {
  unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic dg = clang_getDiagnostic(tu, i);
    CXFile file = NULL;
    clang_getSpellingLocation(clang_getDiagnosticLocation(dg), &file, NULL,
                              NULL, NULL);
    if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error && !file) {
      /* "unknown argument: '-fconserve-stack'": the driver skipped a flag
       * it does not know; the source was parsed all the same. */
      d->ndriver++;
      if (!d->first_driver) {
        CXString s = clang_getDiagnosticSpelling(dg);
        d->first_driver = xstrdup(clang_getCString(s));
        clang_disposeString(s);
      }
    } else if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
      d->nerrors++;
      if (!d->first_error) {
        CXString s = clang_formatDiagnostic(
            dg, CXDiagnostic_DisplaySourceLocation | CXDiagnostic_DisplayColumn);
        d->first_error = xstrdup(clang_getCString(s));
        clang_disposeString(s);
      }
    }
    clang_disposeDiagnostic(dg);
  }
}

typedef struct {
  Lower *L;
  CXFile main;
  Array(CXCursor) fns;
  Array(CXCursor) vars; /* initialised variables at file scope */
} Scope;

static bool is_function_kind(enum CXCursorKind k) {
  return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod ||
         k == CXCursor_Constructor || k == CXCursor_Destructor ||
         k == CXCursor_ConversionFunction;
}

/* Function definitions of the main file and the project's headers; into
 * namespaces, extern "C" blocks and class bodies for C++. */
static enum CXChildVisitResult find_fns(CXCursor c, CXCursor parent,
                                        CXClientData d) {
  (void)parent;
  Scope *s = d;
  enum CXCursorKind k = clang_getCursorKind(c);
  /* clang_getCursorLanguage says C for a C++ free function: the TU's
   * language shows in what only C++ has (glibc's headers open extern "C"
   * blocks in C++). */
  if (k == CXCursor_LinkageSpec || k == CXCursor_Namespace ||
      k == CXCursor_ClassDecl || k == CXCursor_ClassTemplate)
    s->L->cxx = true;
  if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
    return CXChildVisit_Continue;
  if (is_function_kind(k)) {
    if (clang_isCursorDefinition(c) && fe_in_scope(s->L, c, s->main))
      array_push(&s->fns, c);
    return CXChildVisit_Continue;
  }
  if (k == CXCursor_VarDecl && fe_in_scope(s->L, c, s->main) &&
      !clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(c)))
    array_push(&s->vars, c); /* an ops table, maybe */
  if (k == CXCursor_Namespace || k == CXCursor_LinkageSpec ||
      k == CXCursor_ClassDecl || k == CXCursor_StructDecl ||
      k == CXCursor_UnexposedDecl)
    return CXChildVisit_Recurse;
  return CXChildVisit_Continue;
}

/* Code built with gcc 12 may use what clang 16+ rejects by default in
 * C99 and later (undeclared functions, int/pointer mixes): gcc only warns.
 * Parse it as its compiler does rather than lose the TU to errors. */
static const char *const gcc_compat[] = {
    "-Wno-error", /* a build's -Werror makes warnings errors: not ours */
    "-ferror-limit=0", /* every error counted and said, not "too many" */
    "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
    "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types",
    "-Wno-error=incompatible-function-pointer-types",
    "-Wno-unknown-warning-option"};
enum { NCOMPAT = sizeof gcc_compat / sizeof *gcc_compat };

const char *const *fe_always_flags(int *n) {
  *n = NCOMPAT;
  return gcc_compat;
}

static CXTranslationUnit parse(FeCtx *fe, const FeCommand *cmd, FeDiag *d) {
  unsigned flags = CXTranslationUnit_KeepGoing |
                   CXTranslationUnit_DetailedPreprocessingRecord;
  CXTranslationUnit tu = NULL;
  enum CXErrorCode rc;
  if (cmd->full_argv) {
    /* The compile database's own command line, in its own directory. */
    const char **argv =
        xmalloc((size_t)(cmd->argc + NCOMPAT + 2) * sizeof *argv);
    int n = 0;
    for (int i = 0; i < cmd->argc; i++)
      argv[n++] = cmd->argv[i];
    for (int i = 0; i < NCOMPAT; i++)
      argv[n++] = gcc_compat[i];
    char *wd = dup_printf("-working-directory=%s%s", cmd->directory, "");
    argv[n++] = wd;
    rc = clang_parseTranslationUnit2FullArgv(fe->index, NULL, argv, n, NULL, 0,
                                             flags, &tu);
    xfree(wd);
    xfree(argv);
  } else {
    const char **argv =
        xmalloc((size_t)(cmd->argc + NCOMPAT + 1) * sizeof *argv);
    int n = 0;
    for (int i = 0; i < NCOMPAT; i++)
      argv[n++] = gcc_compat[i];
    for (int i = 0; i < cmd->argc; i++)
      argv[n++] = cmd->argv[i];
    rc = clang_parseTranslationUnit2(fe->index, cmd->file, argv, n, NULL, 0,
                                     flags, &tu);
    xfree(argv);
  }
  if (rc != CXError_Success || !tu) {
    const char *why =
        rc == CXError_Crashed ? "libclang crashed parsing it"
        : cmd->full_argv      ? "libclang rejected its compile command (a "
                                "malformed command line or an unsupported "
                                "compiler)"
        : rc == CXError_InvalidArguments ? "invalid compiler arguments"
                                         : "libclang could not parse it";
    d->fatal = dup_printf("%s: %s", cmd->file, why);
    return NULL;
  }
  collect_diags(tu, d);
  return tu;
}

typedef struct {
  CXTranslationUnit tu;
  Arena *arena;
  FeDeps *deps;
} DepAcc;

static void add_dep(CXFile f, CXSourceLocation *stack, unsigned depth,
                    CXClientData data) {
  DepAcc *a = data;
  /* A file included from a system header, or itself one, is not ours. */
  if (depth > 0 && clang_Location_isInSystemHeader(stack[0]))
    return;
  CXSourceLocation at = clang_getLocationForOffset(a->tu, f, 0);
  if (depth > 0 && clang_Location_isInSystemHeader(at))
    return;
  /* Names are relative to the compile command's directory, not ours:
   * libclang knows the real path. */
  CXString s = clang_File_tryGetRealPathName(f);
  const char *name = clang_getCString(s);
  if (name && *name)
    array_push(a->deps, arena_strdup(a->arena, name));
  clang_disposeString(s);
}

/* Which internal functions of the main file are only ever called by name
 * (IrFunc.called_only): every spelling of the name in the file's tokens is
 * followed by '('. Any other (`.free = conn_free`, a callback argument, a
 * cast, a macro body) may make a pointer to it, called from anywhere. */
static void mark_called_only(CXTranslationUnit tu, CXFile main,
                             const CXCursor *fns, IrUnit *u) {
  int n = u->funcs.n, cand = 0;
  unsigned size = 16;
  while (size < 2u * (unsigned)(n ? n : 1))
    size *= 2;
  int *table = xmalloc(size * sizeof *table);
  for (unsigned i = 0; i < size; i++)
    table[i] = -1;
  for (int i = 0; i < n; i++) {
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(fns[i]), &f, NULL,
                               NULL, NULL);
    if (f != main || clang_getCursorKind(fns[i]) != CXCursor_FunctionDecl ||
        clang_getCursorLinkage(fns[i]) != CXLinkage_Internal ||
        strchr(u->funcs.v[i]->name, ':'))
      continue;
    unsigned h = (unsigned)hash_str(0, u->funcs.v[i]->name) & (size - 1);
    while (table[h] >= 0)
      h = (h + 1) & (size - 1);
    table[h] = i;
    u->funcs.v[i]->called_only = true;
    cand++;
  }
  if (cand) {
    size_t len = 0;
    clang_getFileContents(tu, main, &len);
    CXSourceRange all = clang_getRange(clang_getLocationForOffset(tu, main, 0),
                         clang_getLocationForOffset(tu, main, (unsigned)len));
    CXToken *t;
    unsigned nt;
    clang_tokenize(tu, all, &t, &nt);
    for (unsigned k = 0; k < nt; k++) {
      if (clang_getTokenKind(t[k]) != CXToken_Identifier)
        continue;
      CXString sp = clang_getTokenSpelling(tu, t[k]);
      const char *w = clang_getCString(sp);
      unsigned h = (unsigned)hash_str(0, w) & (size - 1);
      for (; table[h] >= 0; h = (h + 1) & (size - 1)) {
        IrFunc *f = u->funcs.v[table[h]];
        if (strcmp(f->name, w))
          continue;
        bool call = false;
        if (k + 1 < nt && clang_getTokenKind(t[k + 1]) == CXToken_Punctuation) {
          CXString np = clang_getTokenSpelling(tu, t[k + 1]);
          call = !strcmp(clang_getCString(np), "(");
          clang_disposeString(np);
        }
        if (!call)
          f->called_only = false;
      }
      clang_disposeString(sp);
    }
    clang_disposeTokens(tu, t, nt);
  }
  xfree(table);
}

IrUnit *fe_lower_tu(FeCtx *fe, const FeCommand *cmd, Arena *arena, FeDiag *d,
                    FeDeps *deps) {
  memset(d, 0, sizeof *d);
  CXTranslationUnit tu = parse(fe, cmd, d);
  if (!tu)
    return NULL;
  CXString sp = clang_getTranslationUnitSpelling(tu);
  CXFile main = clang_getFile(tu, clang_getCString(sp));
  IrUnit *u = ir_unit_new(arena, clang_getCString(sp));
  clang_disposeString(sp);

  Lower L = {0};
  L.fe = fe;
  L.tu = tu;
  L.u = u;
  L.a = arena;
  L.tu_errors = d->nerrors > 0;
  fe_strip_errors = L.tu_errors;
  /* As every location names it, so an IrLoc's file compares with it. */
  u->main_file = fe_file_name(&L, main);
  Scope s = {&L, main, {0}, {0}};
  clang_visitChildren(clang_getTranslationUnitCursor(tu), find_fns, &s);
  /* Index every body first, so a call to a function defined further down
   * resolves to it (profiled: a linear USR search per call cost more than
   * the whole engine on redis's module.c). */
  unsigned size = 16;
  while (size < 2u * (unsigned)s.fns.n)
    size *= 2;
  L.fn_mask = size - 1;
  L.fn_table = xmalloc(size * sizeof *L.fn_table);
  for (unsigned i = 0; i < size; i++)
    L.fn_table[i].index = -1;
  for (int i = 0; i < s.fns.n; i++) {
    CXCursor canon = clang_getCanonicalCursor(s.fns.v[i]);
    unsigned h = clang_hashCursor(canon) & L.fn_mask;
    while (L.fn_table[h].index >= 0)
      h = (h + 1) & L.fn_mask;
    L.fn_table[h].canon = canon;
    L.fn_table[h].index = i;
  }
  /* The main file's functions are lowered; a project header's only when
   * lowered code calls it (for its summary). Header-heavy projects
   * (jemalloc, the kernel) define hundreds of inline functions per TU: this
   * cut parse+lower of redis's jemalloc TUs from 1.08 s to about clang's
   * own time. A header function no scanned TU calls is not analysed. */
  L.fn_needed = xcalloc((size_t)(s.fns.n ? s.fns.n : 1), sizeof *L.fn_needed);
  L.throws = xcalloc((size_t)(s.fns.n ? s.fns.n : 1), sizeof *L.throws);
  for (int i = 0; i < s.fns.n; i++)
    fe_declare_function(&L, s.fns.v[i]);
  for (int i = 0; i < s.fns.n; i++) {
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(s.fns.v[i]), &f, NULL,
                               NULL, NULL);
    if (f == main)
      L.fn_needed[i] = true;
  }
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i < s.fns.n; i++)
      if (L.fn_needed[i] && u->funcs.v[i]->opaque) {
        fe_lower_function(&L, s.fns.v[i], i);
        again = true;
      }
  }
  for (int i = 0; i < s.vars.n; i++) /* what ops tables store */
    fe_init_targets(&L, clang_getCursorType(s.vars.v[i]),
                    clang_Cursor_getVarDeclInitializer(s.vars.v[i]), 0);
  array_free(&s.vars);
  mark_called_only(tu, main, s.fns.v, u);
  ir_lift_creators(u);
  ir_decide_disarms(u);
  xfree(L.fn_needed);
  xfree(L.throws);
  if (deps) {
    DepAcc acc = {tu, arena, deps};
    clang_getInclusions(tu, add_dep, &acc);
  }
  array_free(&s.fns);
  xfree(L.fn_table);
  fe_bases_reset(&L);
  array_free(&L.files);
  array_free(&L.labels);
  array_free(&L.mutated);
  array_free(&L.assigned);
  array_free(&L.cleanups);
  array_free(&L.macros);
  array_free(&L.refs);
  clang_disposeTranslationUnit(tu);
  return u;
}

