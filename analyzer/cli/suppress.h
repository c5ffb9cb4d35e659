/* suppress.h: inline suppressions of a TU's findings. */
#ifndef TL_SUPPRESS_H
#define TL_SUPPRESS_H

#include "../engine/finding.h"

/* `// timerlint: ignore[rule-id] reason` on the finding's line or the line
 * above, or `// timerlint: ignore-file[rule-id] reason` anywhere in its
 * file, marks it suppressed. Malformed suppressions in `files` (no reason,
 * unknown rule) are appended as `invalid-suppression` findings. */
void cli_suppressions(FindingList *fl, const char *const *files, int nfiles,
                      Arena *a);

#endif
