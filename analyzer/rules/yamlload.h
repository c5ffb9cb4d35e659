/* yamlload.h: one YAML document, checked (rules/yamlload.c). */
#ifndef TL_YAMLLOAD_H
#define TL_YAMLLOAD_H

#include <stdio.h>
#include <yaml.h>

#include "../util/util.h"

/* Loads the one document of fp into doc (the caller deletes it), refusing
 * a second document, a tag, nesting deeper than 64 levels and a key given
 * twice in a mapping. 0, or -1 with *err = "LINE:COL: what" (malloc'd; no
 * document to delete). */
int tl_yaml_load(FILE *fp, yaml_document_t *doc, char **err);

#endif
