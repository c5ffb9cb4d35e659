/* libFuzzer target: a rule file (rules/*.yaml) of arbitrary bytes. The
 * loader must say what is wrong or load it, never crash, leak or hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../analyzer/rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0])
    snprintf(path, sizeof path, "/tmp/tl-fuzz-rules-%d.yaml", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f)
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  Rules *r = rules_new();
  char *err = NULL;
  rules_load_path(r, path, &err);
  free(err);
  rules_free(r);
  return 0;
}
