/* libFuzzer target: one YAML document of arbitrary bytes through the
 * checked loader that .timerlint.yaml and rule files share. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../analyzer/rules/yamlload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
  if (!f)
    return 0;
  yaml_document_t doc;
  char *err = NULL;
  if (size && tl_yaml_load(f, &doc, &err) == 0)
    yaml_document_delete(&doc);
  free(err);
  fclose(f);
  return 0;
}
