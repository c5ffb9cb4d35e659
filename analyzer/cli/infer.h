/* infer.h: flags for a file with no compile command (cli/infer.c). */
#ifndef TL_INFER_H
#define TL_INFER_H

#include "cli.h"
#include "standin.h"

typedef struct {
  bool loaded;
  StrArray files; /* the repository's, relative to its root */
  const Rules *rules; /* the families' headers and pkg-config modules */
  StrArray pkg_names, pkg_flags; /* pkg-config --cflags asked: NULL unknown */
  StandInCache stand_ins;
} InferCache;

/* -I for each directory of the repository holding a header `file`
 * includes by name that is not beside it (nearest the file first),
 * pkg-config's flags for the families whose headers it includes, the
 * root, then a directory of empty stand-ins for generated headers that do
 * not exist, then (-idirafter) the stand-ins for the family headers it
 * includes (cli/standin.c); *nflags set. With `why`, one reason per flag. In `a`; the
 * cache is filled on first use (cli_infer_done frees it). */
const char **cli_infer_flags(const char *file, const char *root, Arena *a,
                             InferCache *cache, int *nflags, StrArray *why);
/* For a file whose flags were given (`--`, flags: in a config): the
 * -idirafter of the stand-ins for the family headers it includes, or
 * NULL; *why. */
const char *cli_infer_stand_in(const char *file, const char *root, Arena *a,
                               InferCache *cache, const char **why);
void cli_infer_done(InferCache *cache);

#endif
