/* config.c: reading one .timerlint.yaml (config_find.c says which file
 * applies to which source).
 *
 *   flags: [-Iinclude, -DNDEBUG]   # files scanned without a compile database
 *   rules: [tools/timerlint-rules] # more family directories
 *   exclude: [vendor/x.c]          # TUs not scanned (globs)
 *   fail-on: new                   # unless given on the command line
 *   checks: "-*,missing-*"         # the rules reported (as --checks)
 *   severity: {missing-stop: error} # a rule's (or a glob's) level
 *
 * Paths and globs are relative to the directory the file is in. Unknown
 * keys and values are errors at file:line:col, as in rule files. */
#include <errno.h>
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
  if (!n || n->type != YAML_SEQUENCE_NODE)
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

static const char *scalar(const yaml_node_t *v) {
  return v && v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value
                                          : NULL;
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
    if (!scalar(k))
      return bad(file, k, "expected a rule id");
    if (!scalar(v))
      return bad(file, v, "expected a level (error, warning or note)");
    char why[256];
    SevRule r;
    if (cli_sev_rule(arena_strdup(a, scalar(k)), scalar(v), &r, why,
                     sizeof why) < 0)
      return bad(file, report_severity_by_name(scalar(v)) < 0 ? v : k, why);
    array_push(out, r);
  }
  return 0;
}

/* checks: every glob names some rule, as --checks is checked. */
static int checks(const yaml_node_t *v, const char *file, Arena *a,
                  const char **out) {
  const char *val = scalar(v);
  char g[128];
  if (!val)
    return bad(file, v, "checks is a string of globs ('-*,missing-*')");
  if (cli_checks_unknown(val, g, sizeof g))
    return bad(file, v, arena_printf(a, "checks: '%s' names no rule "
                                     "(timerlint rules lists them)", g));
  *out = arena_strdup(a, val);
  return 0;
}

static int entry(CliConfig *c, yaml_document_t *doc, yaml_node_t *k,
                 yaml_node_t *v, Arena *a) {
  const char *key = scalar(k) ? scalar(k) : "", *file = c->path;
  StrArray list = {0};
  int rc = 0;
  if (!strcmp(key, "flags")) {
    rc = scalars(doc, v, file, a, &list);
    c->flags = arena_alloc(a, (size_t)(list.n + 1) * sizeof(char *));
    for (int i = 0; !rc && i < list.n; i++)
      c->flags[i] = list.v[i];
    c->nflags = rc ? 0 : list.n;
    c->has_flags = !rc;
  } else if (!strcmp(key, "rules")) {
    rc = scalars(doc, v, file, a, &list);
    for (int i = 0; !rc && i < list.n; i++)
      array_push(&c->rules, list.v[i][0] == '/' ? list.v[i]
                     : arena_printf(a, "%s/%s", c->dir, list.v[i]));
  } else if (!strcmp(key, "exclude")) {
    rc = scalars(doc, v, file, a, &list);
    for (int i = 0; !rc && i < list.n; i++)
      array_push(&c->exclude, list.v[i]);
  } else if (!strcmp(key, "checks")) {
    rc = checks(v, file, a, &c->checks);
  } else if (!strcmp(key, "fail-on")) {
    char why[256];
    if (cli_fail_on(scalar(v) ? scalar(v) : "", &c->fail_on, why, sizeof why) < 0)
      rc = bad(file, v, arena_printf(a, "fail-on %s", why));
  } else if (!strcmp(key, "severity")) {
    rc = severities(doc, v, file, a, &c->severity);
  } else {
    rc = bad(file, k, "unknown key (flags, rules, exclude, fail-on, checks, "
             "severity)");
  }
  array_free(&list);
  return rc;
}

int cli_config_read(CliConfig *c, const char *path, Arena *a) {
  c->path = arena_strdup(a, path);
  const char *sl = strrchr(c->path, '/');
  c->dir = sl == c->path ? "/" : sl ? arena_strndup(a, c->path, (size_t)(sl - c->path))
                                    : ".";
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return cli_error("%s: cannot read the config: %s", path, strerror(errno));
  char *real = realpath(c->dir, NULL);
  c->real_dir = arena_strdup(a, real ? real : c->dir);
  free(real);
  yaml_document_t doc;
  int rc = 0;
  char *yerr = NULL;
  if (tl_yaml_load(fp, &doc, &yerr) < 0) {
    rc = cli_error("%s:%s", path, yerr);
    free(yerr);
    fclose(fp);
    return rc;
  }
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (root && root->type != YAML_MAPPING_NODE)
    rc = bad(path, root, "expected a mapping (flags, rules, exclude, fail-on, "
             "checks, severity)");
  for (yaml_node_pair_t *kv = root && !rc ? root->data.mapping.pairs.start : NULL;
       kv && kv < root->data.mapping.pairs.top && !rc; kv++)
    rc = entry(c, &doc, yaml_document_get_node(&doc, kv->key),
               yaml_document_get_node(&doc, kv->value), a);
  yaml_document_delete(&doc);
  fclose(fp);
  return rc;
}

void cli_config_free(CliConfig *c) {
  array_free(&c->rules);
  array_free(&c->exclude);
  array_free(&c->severity);
}
