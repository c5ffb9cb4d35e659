/* git.h: what the commands ask git, and the repository root. */
#ifndef TL_GIT_H
#define TL_GIT_H

#include "../util/util.h"

/* The whole stdout of `git [-C dir] ARGS...` (NULL-terminated), run
 * without a shell; malloc'd, or NULL when git fails. */
char *cli_git_output(const char *dir, const char *const *args);
/* The same for any program (argv[0], found in PATH). */
char *cli_run_output(const char *const *argv);

/* `git rev-parse ARG1 [ARG2]`'s first line, run without a shell; NULL
 * outside a checkout or when git fails. */
const char *cli_git_rev_parse(Arena *a, const char *arg1, const char *arg2);

/* Root for relative paths in fingerprints: the git top-level, else cwd. */
const char *cli_root(Arena *a);

#endif
