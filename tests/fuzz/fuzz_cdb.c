/* libFuzzer target: a compile_commands.json of arbitrary bytes, whole and
 * for one named file. Every entry is either a command or said bad. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../analyzer/cli/cdb.h"

/* The loader's messages go nowhere here. */
int cli_error(const char *fmt, ...) {
  (void)fmt;
  return EXIT_ERROR;
}
void cli_warn(const char *fmt, ...) { (void)fmt; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char dir[64], path[96];
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/tl-fuzz-cdb-%d", (int)getpid());
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
  }
  FILE *f = fopen(path, "wb");
  if (!f)
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  for (int named = 0; named < 2; named++) {
    Arena *a = arena_new();
    FeCommandList l = {0};
    int nbad = 0;
    const char *files[] = {"/tmp/tl-fuzz-x.c"};
    cli_cdb_load(dir, files, named, a, &l, &nbad);
    array_free(&l);
    arena_free(a);
  }
  return 0;
}
