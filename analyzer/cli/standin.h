/* standin.h: headers that stand in for a family's missing ones
 * (cli/standin.c). */
#ifndef TL_STANDIN_H
#define TL_STANDIN_H

#include "cli.h"

/* The text of the header standing in for `name` (an include as written,
 * "zephyr/kernel.h"), from every family whose `headers:` match it; NULL
 * when none does or those families describe nothing C can declare. In
 * `a`; `families` (may be NULL) gets their names, comma-separated. */
const char *cli_stand_in_text(const Rules *r, const char *name, Arena *a,
                              const char **families);

/* A directory that holds a stand-in for each of `names` a family's
 * `headers:` match, written once per content under the user's cache
 * directory (the path is the same on every scan, so a reused result's
 * command key holds), for `-idirafter`: searched after every other
 * directory, it never shadows a header this machine has. NULL when no
 * name matches or it cannot be written; *why says for which. */
const char *cli_stand_in_dir(const Rules *r, const StrArray *names, Arena *a,
                             const char **why);

/* The cache directory timerlint writes generated headers under. */
const char *cli_generated_top(Arena *a);

#endif
