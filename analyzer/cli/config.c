/* config.c: the repository's .timerlint.yaml, at the scan root.
 *
 *   flags: [-Iinclude, -DNDEBUG]   # files scanned without a compile database
 *   rules: [tools/timerlint-rules] # more family directories (root-relative)
 *   exclude: [vendor/x.c]          # TUs not scanned (root-relative globs)
 *   fail-on: new                   # unless given on the command line
 *   severity: {missing-stop: error} # a rule's (or a glob's) level
 *
 * Unknown keys are errors, as in rule files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../rules/yamlload.h"

#include "cli.h"

static int bad(const char *file, const yaml_node_t *n, const char *what) {
  return cli_error("%s:%lu:%lu: %s", file,
                   n ? (unsigned long)n->start_mark.line + 1 : 1ul,
                   n ? (unsigned long)n->start_mark.column + 1 : 1ul, what);
}

/* A list of scalars, copied into the arena. */
static int scalars(yaml_document_t *doc, yaml_node_t *n, const char *file,
                   Arena *a, StrArray *out) {
  if (n->type != YAML_SEQUENCE_NODE)
    return bad(file, n, "expected a list");
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *v = yaml_document_get_node(doc, *it);
    if (!v || v->type != YAML_SCALAR_NODE)
      return bad(file, v, "expected a string");
    array_push(out, arena_strndup(a, (const char *)v->data.scalar.value,
                                  v->data.scalar.length));
  }
  return 0;
}

/* severity: {RULE: LEVEL, ...}, in order, each checked where it is. */
static int severities(yaml_document_t *doc, yaml_node_t *n, const char *file,
                      Arena *a, SevRules *out) {
  if (!n || n->type != YAML_MAPPING_NODE)
    return bad(file, n, "severity is a mapping of rule ids (or globs) to "
               "levels: {missing-stop: error}");
  for (yaml_node_pair_t *kv = n->data.mapping.pairs.start;
       kv < n->data.mapping.pairs.top; kv++) {
    yaml_node_t *k = yaml_document_get_node(doc, kv->key);
    yaml_node_t *v = yaml_document_get_node(doc, kv->value);
    if (!k || k->type != YAML_SCALAR_NODE)
      return bad(file, k, "expected a rule id");
    if (!v || v->type != YAML_SCALAR_NODE)
      return bad(file, v, "expected a level (error, warning or note)");
    const char *glob = arena_strdup(a, (const char *)k->data.scalar.value);
    const char *level = (const char *)v->data.scalar.value;
    char why[256];
    SevRule r;
    if (cli_sev_rule(glob, level, &r, why, sizeof why) < 0)
      return bad(file, report_severity_by_name(level) < 0 ? v : k, why);
    array_push(out, r);
  }
  return 0;
}

int cli_load_config(Options *o, const char *root, Arena *a) {
  const char *file = arena_printf(a, "%s/.timerlint.yaml", root);
  FILE *fp = fopen(file, "rb");
  if (!fp)
    return 0; /* no config: defaults */
  yaml_document_t doc;
  int rc = 0;
  char *yerr = NULL;
  if (tl_yaml_load(fp, &doc, &yerr) < 0) {
    rc = cli_error("%s:%s", file, yerr);
    free(yerr);
    goto out;
  }
  yaml_node_t *root_node = yaml_document_get_root_node(&doc);
  if (root_node && root_node->type != YAML_MAPPING_NODE) {
    rc = bad(file, root_node, "expected a mapping (flags, rules, exclude, fail-on, checks, severity)");
  } else if (root_node) {
    for (yaml_node_pair_t *kv = root_node->data.mapping.pairs.start;
         kv < root_node->data.mapping.pairs.top && !rc; kv++) {
      yaml_node_t *k = yaml_document_get_node(&doc, kv->key);
      yaml_node_t *v = yaml_document_get_node(&doc, kv->value);
      const char *key = k && k->type == YAML_SCALAR_NODE
                            ? (const char *)k->data.scalar.value : "";
      StrArray list = {0};
      if (!strcmp(key, "flags")) {
        rc = scalars(&doc, v, file, a, &list);
        if (!rc && !o->flags) {
          o->flags = list.v ? arena_alloc(a, (size_t)list.n * sizeof(char *)) : NULL;
          for (int i = 0; i < list.n; i++)
            o->flags[i] = list.v[i];
          o->nflags = list.n;
        }
      } else if (!strcmp(key, "rules")) {
        rc = scalars(&doc, v, file, a, &list);
        for (int i = 0; !rc && i < list.n; i++)
          array_push(&o->rule_dirs, list.v[i][0] == '/' ? list.v[i]
                         : arena_printf(a, "%s/%s", root, list.v[i]));
      } else if (!strcmp(key, "exclude")) {
        rc = scalars(&doc, v, file, a, &list);
        for (int i = 0; !rc && i < list.n; i++)
          array_push(&o->exclude, list.v[i]);
      } else if (!strcmp(key, "checks")) {
        const char *val = v && v->type == YAML_SCALAR_NODE
                              ? (const char *)v->data.scalar.value : NULL;
        if (!val)
          rc = bad(file, v, "checks is a string of globs ('-*,missing-*')");
        else if (!o->checks)
          o->checks = arena_strdup(a, val);
      } else if (!strcmp(key, "fail-on")) {
        const char *val = v && v->type == YAML_SCALAR_NODE
                              ? (const char *)v->data.scalar.value : "";
        FailOnSpec f;
        char why[256];
        if (cli_fail_on(val, &f, why, sizeof why) < 0) {
          rc = bad(file, v, arena_printf(a, "fail-on %s", why));
        } else {
          /* The command line wins; --baseline alone keeps its scope. */
          if (!o->fail_on_given && f.has_scope)
            o->fail_on = f.scope;
          if (!o->fail_level_given && f.has_level)
            o->fail_level = f.level;
        }
      } else if (!strcmp(key, "severity")) {
        rc = severities(&doc, v, file, a, &o->config_severity);
      } else {
        rc = bad(file, k, "unknown key (flags, rules, exclude, fail-on, checks, "
                 "severity)");
      }
      array_free(&list);
    }
  }
  yaml_document_delete(&doc);
out:
  fclose(fp);
  return rc;
}
