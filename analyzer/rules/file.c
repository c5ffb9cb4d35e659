/* file.c: the top level of one rule file. A file holds a family (`family`,
 * `kind`, `doc`, `defaults`, `functions`), teardown words (`teardown:` with
 * `names` and `callbacks`), or both. Teardown words are no family: a file
 * of words alone lists no functions. What an entry's keys mean is entry.c's
 * business. */
#include <stdlib.h>
#include <string.h>

#include "rulesInt.h"

/* The file's top-level values, NULL when absent. */
typedef struct {
  yaml_node_t *family, *kind, *doc, *defaults, *functions, *teardown,
      *refcounted, *headers, *pkg, *null_names, *internal, *constants,
      *stand_in;
} Top;

static const struct {
  const char *old, *hint;
} retired_top[] = {
    {"teardown-names", "use 'teardown: {names: [...]}'"},
    {"teardown-callbacks", "use 'teardown: {callbacks: [...]}'"},
};

static int unknown_top(Ld *ld, yaml_node_t *kn, const char *k) {
  for (size_t i = 0; i < sizeof retired_top / sizeof *retired_top; i++)
    if (!strcmp(retired_top[i].old, k))
      return rules_fail(ld, kn, "'%s' is retired: %s", k, retired_top[i].hint);
  return rules_fail(ld, kn, "unknown key '%s' (family, kind, doc, defaults, "
                    "functions, headers, pkg-config, stand-in, null-names, constants, "
                    "internal-types, teardown, refcounted)", k);
}

static int read_top(Ld *ld, yaml_node_t *root, Top *t) {
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
       p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
    const char *k = rules_scalar(ld, kn, "a key");
    if (!k)
      return -1;
    yaml_node_t **slot = !strcmp(k, "family")      ? &t->family
                         : !strcmp(k, "kind")      ? &t->kind
                         : !strcmp(k, "doc")       ? &t->doc
                         : !strcmp(k, "defaults")  ? &t->defaults
                         : !strcmp(k, "functions") ? &t->functions
                         : !strcmp(k, "teardown")  ? &t->teardown
                         : !strcmp(k, "refcounted") ? &t->refcounted
                         : !strcmp(k, "headers")   ? &t->headers
                         : !strcmp(k, "pkg-config") ? &t->pkg
                         : !strcmp(k, "stand-in")  ? &t->stand_in
                         : !strcmp(k, "null-names") ? &t->null_names
                         : !strcmp(k, "constants") ? &t->constants
                         : !strcmp(k, "internal-types") ? &t->internal
                                                   : NULL;
    if (!slot)
      return unknown_top(ld, kn, k);
    *slot = vn;
  }
  return 0;
}

static int read_words(Ld *ld, yaml_node_t *n, const char *k, NameList *l) {
  if (n->type != YAML_SEQUENCE_NODE)
    return rules_fail(ld, n, "'%s' must be a list", k);
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    const char *w = rules_scalar(ld, rules_node(ld, *it), k);
    if (!w)
      return -1;
    array_push(l, w);
  }
  return 0;
}

/* teardown: {names: [...], callbacks: [...]}; the lists of all files add
 * up, in load order. */
static int read_teardown(Ld *ld, yaml_node_t *n) {
  if (n->type != YAML_MAPPING_NODE)
    return rules_fail(ld, n, "'teardown' must be a mapping with 'names' "
                      "and/or 'callbacks'");
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
    const char *k = rules_scalar(ld, kn, "a key");
    if (!k)
      return -1;
    NameList *l = !strcmp(k, "names")       ? &ld->r->teardown
                  : !strcmp(k, "callbacks") ? &ld->r->callbacks
                                            : NULL;
    if (!l)
      return rules_fail(ld, kn, "unknown key '%s' in teardown (names, "
                        "callbacks)", k);
    if (read_words(ld, vn, k, l) < 0)
      return -1;
  }
  return 0;
}

/* headers: [...] / pkg-config: [...] / stand-in: [...]: a list of strings, into the rules'
 * arena. */
static int read_names(Ld *ld, yaml_node_t *n, const char *k,
                      const char ***out, int *nout) {
  NameList l = {0};
  int rc = read_words(ld, n, k, &l);
  if (rc == 0 && l.n) {
    *out = arena_alloc(ld->r->arena, (size_t)l.n * sizeof **out);
    for (int i = 0; i < l.n; i++)
      (*out)[i] = l.v[i];
    *nout = l.n;
  }
  array_free(&l);
  return rc;
}

/* constants: {AE_ERR: -1, AE_OK: 0}: integers the family's headers
 * define, for reading tests when those headers are missing. */
static int read_constants(Ld *ld, yaml_node_t *n, RuleFamily *fam) {
  if (n->type != YAML_MAPPING_NODE)
    return rules_fail(ld, n, "'constants' must be a mapping NAME: integer");
  int cap = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  fam->const_names = arena_alloc(ld->r->arena, (size_t)(cap ? cap : 1) *
                                                   sizeof *fam->const_names);
  fam->const_values = arena_alloc(ld->r->arena, (size_t)(cap ? cap : 1) *
                                                    sizeof *fam->const_values);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
    const char *k = rules_scalar(ld, kn, "a constant's name");
    const char *v = k ? rules_scalar(ld, vn, "an integer") : NULL;
    if (!v)
      return -1;
    char *end;
    long long x = strtoll(v, &end, 0);
    if (!*v || *end)
      return rules_fail(ld, vn, "constant '%s' must be an integer, got '%s'",
                        k, v);
    fam->const_names[fam->nconsts] = k;
    fam->const_values[fam->nconsts++] = (int64_t)x;
  }
  return 0;
}

/* refcounted: [{type: "struct _GObject", unref: g_object_unref}, ...]: an
 * object whose record is, or starts with, such a type is freed whenever
 * its last reference goes; the lists of all files add up. */
static int read_refcounted(Ld *ld, yaml_node_t *n) {
  if (n->type != YAML_SEQUENCE_NODE)
    return rules_fail(ld, n, "'refcounted' must be a list of {type, unref}");
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *m = rules_node(ld, *it);
    if (m->type != YAML_MAPPING_NODE)
      return rules_fail(ld, m, "a 'refcounted' item is {type, unref}");
    const char *type = NULL, *unref = NULL;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
      yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
      const char *k = rules_scalar(ld, kn, "a key");
      const char *v = rules_scalar(ld, vn, "a value");
      if (!k || !v)
        return -1;
      if (!strcmp(k, "type"))
        type = v;
      else if (!strcmp(k, "unref"))
        unref = v;
      else
        return rules_fail(ld, kn, "unknown key '%s' in refcounted (type, "
                          "unref)", k);
    }
    if (!type || !unref)
      return rules_fail(ld, m, "a 'refcounted' item needs 'type' and 'unref'");
    array_push(&ld->r->rc_types, type);
    array_push(&ld->r->rc_unrefs, unref);
  }
  return 0;
}

/* kind picks the rule ids of the objects the family makes: timer
 * (missing-stop) or thread (missing-join); none: it makes none. */
static int read_kind(Ld *ld, yaml_node_t *n, const char *v, IrResKind *res) {
  if (!strcmp(v, "timer") || !strcmp(v, "none"))
    *res = RES_TIMER;
  else if (!strcmp(v, "thread"))
    *res = RES_THREAD;
  else if (!strcmp(v, "source"))
    return rules_fail(ld, n, "kind 'source' is retired: use 'kind: timer' "
                      "(same rule ids)");
  else
    return rules_fail(ld, n, "kind must be timer, thread or none, got '%s'",
                      v);
  return 0;
}

/* A family of kind none makes no objects: a create or a registration in
 * it would need to say what it makes. */
static int check_kind(Ld *ld, yaml_node_t *entry, const RuleFamily *fam,
                      const RuleFn *fn) {
  if (strcmp(fam->kind, "none") ||
      (fn->role != EV_CREATE && fn->role != ROLE_REGISTER))
    return 0;
  return rules_fail(ld, entry, "'%s' makes an object, but family '%s' is "
                    "kind none: say timer or thread", fn->name, fam->name);
}

/* The family's release (or join; for a registration, its unregistration)
 * names the fix in messages, unless an entry says `released-by`. */
static void default_release(Rules *r, const RuleFamily *fam) {
  const char *rel = NULL, *unreg = NULL;
  for (int i = fam->first; i < r->fns.n; i++) {
    int role = r->fns.v[i].role;
    if (!rel && (role == EV_RELEASE || role == EV_JOIN))
      rel = r->fns.v[i].name;
    if (!unreg && role == ROLE_UNREGISTER)
      unreg = r->fns.v[i].name;
  }
  for (int i = fam->first; i < r->fns.n; i++)
    if (!r->fns.v[i].release_api)
      r->fns.v[i].release_api = r->fns.v[i].role == ROLE_REGISTER ? unreg : rel;
}

static int read_family(Ld *ld, yaml_node_t *root, const Top *t) {
  RuleFamily fam = {0};
  fam.file = ld->file;
  IrResKind res = RES_TIMER;
  if (t->family && !(fam.name = rules_scalar(ld, t->family, "family")))
    return -1;
  if (t->kind && (!(fam.kind = rules_scalar(ld, t->kind, "kind")) ||
                  read_kind(ld, t->kind, fam.kind, &res) < 0))
    return -1;
  if (t->doc && !(fam.doc = rules_scalar(ld, t->doc, "doc")))
    return -1;
  if ((t->headers && read_names(ld, t->headers, "headers", &fam.headers,
                                &fam.nheaders) < 0) ||
      (t->pkg && read_names(ld, t->pkg, "pkg-config", &fam.pkg, &fam.npkg) < 0) ||
      (t->stand_in && read_names(ld, t->stand_in, "stand-in", &fam.stand_in,
                                 &fam.nstand_in) < 0) ||
      (t->null_names && read_names(ld, t->null_names, "null-names",
                                   &fam.null_names, &fam.nnull_names) < 0) ||
      (t->internal && read_names(ld, t->internal, "internal-types",
                                 &fam.internal, &fam.ninternal) < 0) ||
      (t->constants && read_constants(ld, t->constants, &fam) < 0))
    return -1;
  if (!fam.name)
    return rules_fail(ld, root, "missing 'family'");
  if (!fam.kind)
    return rules_fail(ld, root, "missing 'kind'");
  yaml_node_t *fns = t->functions;
  if (!fns || fns->type != YAML_SEQUENCE_NODE)
    return rules_fail(ld, fns ? fns : root, "'functions' must be a list");
  if (t->defaults && rules_set_defaults(ld, t->defaults) < 0)
    return -1;
  fam.first = ld->r->fns.n;
  for (yaml_node_item_t *it = fns->data.sequence.items.start;
       it < fns->data.sequence.items.top; it++) {
    yaml_node_t *n = rules_node(ld, *it);
    if (rules_parse_entry(ld, n, &fam, res) < 0 ||
        check_kind(ld, n, &fam, &ld->r->fns.v[ld->r->fns.n - 1]) < 0)
      return -1;
  }
  if (rules_check_defaults_used(ld) < 0)
    return -1;
  fam.count = ld->r->fns.n - fam.first;
  default_release(ld->r, &fam);
  array_push(&ld->r->fams, fam);
  return 0;
}

int rules_parse_doc(Ld *ld) {
  yaml_node_t *root = yaml_document_get_root_node(&ld->doc);
  if (!root)
    return rules_fail(ld, NULL, "empty rule file");
  if (root->type != YAML_MAPPING_NODE)
    return rules_fail(ld, root, "a rule file is a mapping with 'family' and "
                      "'functions', or 'teardown'");
  Top t = {0};
  if (read_top(ld, root, &t) < 0)
    return -1;
  if (t.teardown && read_teardown(ld, t.teardown) < 0)
    return -1;
  if (t.refcounted && read_refcounted(ld, t.refcounted) < 0)
    return -1;
  bool family = t.family || t.kind || t.doc || t.defaults || t.functions ||
                t.headers || t.pkg || t.null_names || t.internal ||
                t.constants || t.stand_in;
  if (!family && !t.teardown && !t.refcounted)
    return rules_fail(ld, root, "missing 'family' (a family) or 'teardown' "
                      "(teardown words)");
  return family ? read_family(ld, root, &t) : 0;
}
