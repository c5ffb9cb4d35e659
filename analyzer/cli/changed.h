/* changed.h: pre-commit mode. What git says changed (files and line
 * ranges), and whether a finding lies in a changed function. */
#ifndef TL_CHANGED_H
#define TL_CHANGED_H

#include "../engine/finding.h"

typedef struct {
  const char *path; /* real path */
  int (*ranges)[2]; /* changed line ranges of the new version */
  int n;
} ChangedFile;

typedef Array(ChangedFile) ChangedSet;

/* Changes against `ref`; NULL means the staged changes, or, when nothing is
 * staged, the working tree against HEAD. -1 and *err outside a checkout. */
int changed_collect(Arena *a, const char *root, const char *ref,
                    ChangedSet *out, char **err);
bool changed_is_source(const char *path);
bool changed_is_header(const char *path);
/* True when the finding's enclosing function overlaps a changed range. */
bool changed_covers(const ChangedSet *cs, const Finding *f);

#endif
