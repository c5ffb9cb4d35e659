/* yamlload.c: one YAML document, as a rule file or .timerlint.yaml may be.
 * libyaml accepts what would silently misconfigure (#16 item 1): a key
 * given twice (the last one wins, turning `role: release` into `role:
 * use`), a second document (ignored), a tag (`!!binary`), nesting so deep
 * that building it takes a minute. Each is refused where it is. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlload.h"

enum { MAX_DEPTH = 64 };

static int fail(char **err, yaml_mark_t m, const char *what, const char *arg) {
  char msg[512];
  snprintf(msg, sizeof msg, "%lu:%lu: %s%s%s%s", (unsigned long)m.line + 1,
           (unsigned long)m.column + 1, what, arg ? " '" : "", arg ? arg : "",
           arg ? "'" : "");
  *err = xmalloc(strlen(msg) + 1);
  memcpy(*err, msg, strlen(msg) + 1);
  return -1;
}

/* The events, before any node is built: depth, documents, tags. */
static int prescan(FILE *fp, char **err) {
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, fp);
  int depth = 0, docs = 0, rc = 0;
  for (bool done = false; !done && !rc;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e))
      break; /* the loader says what is malformed, and where */
    const char *tag = NULL;
    bool explicit_tag = false;
    switch (e.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1)
        rc = fail(err, e.start_mark, "a second YAML document (a file holds one)",
                  NULL);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (++depth > MAX_DEPTH) {
        char lim[64];
        snprintf(lim, sizeof lim, "nested deeper than %d levels", MAX_DEPTH);
        rc = fail(err, e.start_mark, lim, NULL);
      }
      tag = (const char *)(e.type == YAML_SEQUENCE_START_EVENT
                               ? e.data.sequence_start.tag
                               : e.data.mapping_start.tag);
      explicit_tag = tag && !(e.type == YAML_SEQUENCE_START_EVENT
                                  ? e.data.sequence_start.implicit
                                  : e.data.mapping_start.implicit);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      depth--;
      break;
    case YAML_SCALAR_EVENT:
      tag = (const char *)e.data.scalar.tag;
      explicit_tag = tag && !e.data.scalar.plain_implicit &&
                     !e.data.scalar.quoted_implicit;
      break;
    default:
      break;
    }
    if (!rc && explicit_tag)
      rc = fail(err, e.start_mark, "tag", tag);
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&p);
  return rc;
}

/* A key twice in one mapping: the second is the error. */
static int duplicates(yaml_document_t *doc, char **err) {
  for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++) {
    if (n->type != YAML_MAPPING_NODE)
      continue;
    for (yaml_node_pair_t *a = n->data.mapping.pairs.start;
         a < n->data.mapping.pairs.top; a++) {
      yaml_node_t *ka = yaml_document_get_node(doc, a->key);
      if (!ka || ka->type != YAML_SCALAR_NODE)
        continue;
      for (yaml_node_pair_t *b = n->data.mapping.pairs.start; b < a; b++) {
        yaml_node_t *kb = yaml_document_get_node(doc, b->key);
        if (kb && kb->type == YAML_SCALAR_NODE &&
            kb->data.scalar.length == ka->data.scalar.length &&
            !memcmp(kb->data.scalar.value, ka->data.scalar.value,
                    ka->data.scalar.length))
          return fail(err, ka->start_mark, "duplicate key",
                      (const char *)ka->data.scalar.value);
      }
    }
  }
  return 0;
}

int tl_yaml_load(FILE *fp, yaml_document_t *doc, char **err) {
  *err = NULL;
  if (prescan(fp, err) < 0)
    return -1;
  rewind(fp);
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, fp);
  int rc = 0;
  if (!yaml_parser_load(&p, doc)) {
    rc = fail(err, p.problem_mark, p.problem ? p.problem : "malformed YAML",
              NULL);
  } else if (duplicates(doc, err) < 0) {
    yaml_document_delete(doc);
    rc = -1;
  }
  yaml_parser_delete(&p);
  return rc;
}
