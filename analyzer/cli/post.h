/* post.h: what happens to a TU's findings after the engine and before the
 * store: stable fingerprints and inline suppressions. Needs the source
 * files, not libclang. */
#ifndef TL_POST_H
#define TL_POST_H

#include "../engine/finding.h"

/* The whole stdout of `git [-C dir] ARGS...` (NULL-terminated), run
 * without a shell; malloc'd, or NULL when git fails. */
char *post_git_output(const char *dir, const char *const *args);

/* `git rev-parse ARG1 [ARG2]`'s first line, run without a shell; NULL
 * outside a checkout or when git fails. */
const char *post_git(Arena *a, const char *arg1, const char *arg2);

/* Root for relative paths in fingerprints: the git top-level, else cwd. */
const char *post_root(Arena *a);

/* `file` relative to `root` when below it (by real path), else as is. */
const char *post_relative(const char *file, const char *root, Arena *a);

/* Fingerprint = hash(rule, path relative to root, function, handle, api,
 * occurrence index among equal keys): never the line, so unrelated edits,
 * reformatting and moving the function keep it. `fl` must be sorted. */
void post_fingerprints(FindingList *fl, const char *root, Arena *a);

/* `// timerlint: ignore[rule-id] reason` on the finding's line or the line
 * above marks it suppressed. Malformed suppressions in `files` (no reason,
 * unknown rule) are appended as `invalid-suppression` findings. */
void post_suppressions(FindingList *fl, const char *const *files, int nfiles,
                       Arena *a);

#endif
