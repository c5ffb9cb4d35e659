/* cdb.h: compile_commands.json (cli/cdb.c). */
#ifndef TL_CDB_H
#define TL_CDB_H

#include "../frontend/fe.h"
#include "cli.h"

/* Every command of DIR/compile_commands.json (or those for `files`),
 * copied into `arena`. A bad entry is said on stderr
 * ("compile_commands.json:ENTRY N: what") and skipped, and counted in
 * *nbad; the others are returned. A named file the database does not list
 * gets the command of a listed file beside it (clangd's guess: a new file
 * is built like its neighbours), else one without flags (argv NULL,
 * full_argv false: the caller's flags apply). -1 (said on stderr) when
 * there is no database to read at all. */
int cli_cdb_load(const char *dir, const char *const *files, int nfiles,
                 Arena *arena, FeCommandList *out, int *nbad);

#endif
