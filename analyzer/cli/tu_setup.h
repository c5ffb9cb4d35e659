/* tu_setup.h: what the configs say about each TU of a scan (cli/tu_setup.c). */
#ifndef TL_TU_SETUP_H
#define TL_TU_SETUP_H

#include "../frontend/fe.h"
#include "cli.h"

/* Drops the excluded TUs of `cmds`, loads their configs' families (into
 * `rules`, those `loaded` does not hold) and gives each file without a
 * command its flags. 0, or EXIT_ERROR (said). */
int cli_tu_setup(Options *o, Rules *rules, StrArray *loaded,
                 FeCommandList *cmds, const char *root, Arena *a);

#endif
