/* pfInt.h: shared by the prefilter's files only. lex.c turns a file's
 * bytes into tokens (and reads its directives), outline.c finds the
 * definitions among them, text.c writes and reads an outline for the
 * cache, include.c resolves includes, solve.c is the fixpoint. */
#ifndef TL_PF_INT_H
#define TL_PF_INT_H

#include "../util/util.h"
#include "pf.h"

/* Bump when an outline's meaning changes: the cache key carries it. */
#define PF_VERSION 1

typedef Array(int) IdList;

typedef enum {
  TK_IDENT,
  TK_PUNCT,
  TK_STRING, /* a string or character literal, contents dropped */
  TK_NUMBER,
  TK_PP_IF,   /* #if, #ifdef, #ifndef */
  TK_PP_ELSE, /* #elif, #else */
  TK_PP_ENDIF,
} TokKind;

typedef struct {
  TokKind kind;
  int id;    /* TK_IDENT: the interned name */
  char p[4]; /* TK_PUNCT: its spelling (at most three characters) */
} Tok;
typedef Array(Tok) TokList;

/* What a definition is, for the fixpoint (solve.c). */
typedef enum {
  DEF_FUNC,  /* a function body (or code of no name: an unknown brace) */
  DEF_TYPE,  /* struct/union/class/enum with a body, a typedef */
  DEF_DECL,  /* any other declaration: a prototype, a variable */
  DEF_MACRO, /* #define NAME body */
} PfDefKind;

/* A range of ids in PfOutline.pool. */
typedef struct {
  int off, n;
} Range;

typedef struct {
  PfDefKind kind;
  bool code;   /* its tokens are code the TU compiles (a body, an
                  initializer), not only a declaration */
  Range names; /* what it defines (none: an anonymous body) */
  Range span;  /* every identifier of it, the declaration's own included */
  Range calls; /* DEF_FUNC: identifiers followed by '(' */
  Range mcalls; /* DEF_FUNC: of those, members called (`x.f(`, `p->f(`) */
} PfDef;

typedef struct {
  const char *name; /* as written between the quotes or brackets */
  bool angled;
} PfInc;

/* One file's outline: all of it the decision needs, independent of the
 * TU that includes it. Ids are the scan's (pf_intern). */
typedef struct {
  IdList pool;
  Range idents; /* every identifier, sorted, unique */
  Range code;   /* those inside code (DEF.code), sorted, unique */
  Array(PfDef) defs;
  Array(PfInc) incs;
  const char *doubt; /* why a TU with this file must be parsed, or NULL */
} PfOutline;

void pf_outline_free(PfOutline *o);

/* The scan's identifiers: one id per distinct name. */
int pf_intern(Pf *pf, const char *s, size_t n);
const char *pf_name(const Pf *pf, int id);
Arena *pf_arena(Pf *pf);

/* lex.c: tokens of buf (line splices removed first), its includes and
 * macro definitions into `o` (macros as DEF_MACRO defs: their ids in
 * `macros`, [name, body ids..., -1] per macro), identifiers of directives
 * into `dir_ids`. Sets o->doubt for what cannot be read with certainty. */
void pf_lex(Pf *pf, const char *buf, size_t n, TokList *toks, PfOutline *o,
            IdList *macros, IdList *dir_ids);

/* outline.c: the whole outline of a file's bytes. */
void pf_outline(Pf *pf, const char *buf, size_t n, PfOutline *o);

/* text.c: an outline as cache text (malloc'd) and back (0, or -1 when the
 * text is not one this version wrote). */
char *pf_outline_text(const Pf *pf, const PfOutline *o);
int pf_outline_read(Pf *pf, const char *text, PfOutline *o);

/* include.c: a TU's search path, from its flags. */
typedef struct {
  Array(const char *) quote, angled; /* in search order */
  Array(bool) quote_proj, angled_proj; /* found there: the project's */
  Array(const char *) forced; /* -include / -imacros files */
  bool doubt; /* a flag we cannot follow (-I-) */
  const char *key; /* the path as one string, for the memo */
} PfSearch;
void pf_search_init(PfSearch *sp, const char *root, const char *directory,
                    const char *const *argv, int argc, bool full_argv,
                    Arena *a);
void pf_search_free(PfSearch *sp);
/* The file `inc` names from a file in `dir`, when it is the project's
 * (else NULL: a system header, or not found: *found says which). */
const char *pf_resolve(Pf *pf, const PfSearch *sp, const char *dir,
                       const PfInc *inc, bool *found);
bool pf_under(const char *path, const char *dir);

#endif
