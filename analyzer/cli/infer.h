/* infer.h: flags for a file with no compile command (cli/infer.c). */
#ifndef TL_INFER_H
#define TL_INFER_H

#include "cli.h"

typedef struct {
  bool loaded;
  StrArray files; /* the repository's, relative to its root */
} InferCache;

/* -I for each directory of the repository holding a header `file`
 * includes by name that is not beside it (nearest the file first), then
 * the root; *nflags set. In `a`; the cache is filled on first use. */
const char **cli_infer_flags(const char *file, const char *root, Arena *a,
                             InferCache *cache, int *nflags);

#endif
