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

/* What a scan has asked and written (names and their strings in the
 * scan's arena). */
typedef struct {
  StrArray names; /* every include asked about */
  StrArray fams;  /* its families, comma-separated; NULL: none */
  bool failed;    /* a stand-in could not be written */
} StandInCache;

/* A directory that holds a stand-in for each of `names` a family's
 * `headers:` match, written once per content under the user's cache
 * directory (the path is the same on every scan, so a reused result's
 * command key holds), for `-idirafter`: searched after every other
 * directory, it never shadows a header this machine has. NULL when no
 * name matches or one cannot be written; *why says for which. */
const char *cli_stand_in_dir(const Rules *r, const StrArray *names,
                             StandInCache *c, Arena *a, const char **why);
void cli_stand_in_done(StandInCache *c);

/* Writes `text` to `path` (its directories made) unless it is there;
 * whole under another name first, then renamed: a parallel scan never
 * reads half of it. false when it cannot. */
bool cli_write_once(char *path, const char *text, Arena *a);

/* The cache directory timerlint writes generated headers under. */
const char *cli_generated_top(Arena *a);

#endif
