/* fe.h: the libclang front end. Parses a translation unit and lowers the
 * function bodies of its main file and of the project's own headers (never
 * system headers) into the lifecycle IR. The only module that includes
 * clang-c; it asks rules/ what a callee does and knows no API by name. */
#ifndef TL_FE_H
#define TL_FE_H

#include "../ir/ir.h"
#include "../rules/rules.h"

typedef struct FeCtx FeCtx;

/* One translation unit to parse. With full_argv, argv is a compile
 * database entry's whole command line (argv[0] is the compiler) and
 * `directory` its working directory; otherwise argv holds only extra flags
 * and `file` is parsed with them. */
typedef struct {
  const char *file;
  const char *directory;
  const char *const *argv;
  int argc;
  bool full_argv;
  /* Where the command came from, and with inferred flags why each is
   * there (argc entries): for --print-flags. Either may be NULL. */
  const char *origin;
  const char *const *why;
} FeCommand;

/* The flags every parse adds after the command's own (gcc's leniency). */
const char *const *fe_always_flags(int *n);

/* What went wrong with one TU, for the one-line error on stderr. */
typedef struct {
  int nerrors;       /* error diagnostics (the TU is still analysed) */
  char *first_error; /* "file:line:col: message", malloc'd, or NULL */
  char *fatal;       /* no TU at all: why, malloc'd, or NULL */
  int ndriver;       /* errors without a location: flags the driver rejected
                        (gcc-only options); the AST is complete */
  char *first_driver; /* the first such message, malloc'd, or NULL */
} FeDiag;

FeCtx *fe_new(const Rules *rules);
void fe_free(FeCtx *fe);

/* The files a TU's result depends on: its main file and every included
 * file outside the system headers (paths in the arena). */
typedef Array(const char *) FeDeps;

/* Parses and lowers. Returns the unit (caller frees with ir_unit_free, its
 * strings live in `arena`) or NULL with d->fatal set. `deps` may be NULL. */
IrUnit *fe_lower_tu(FeCtx *fe, const FeCommand *cmd, Arena *arena, FeDiag *d,
                    FeDeps *deps);
void fe_diag_clear(FeDiag *d);

/* Commands, as the compile database loader gives them (cli/cdb.c). */
typedef Array(FeCommand) FeCommandList;

#endif
