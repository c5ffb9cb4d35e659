/* entry.c: one function entry of a family file. Its keys come from the
 * entry itself, then from a mapping it merges (`<<: *name`, YAML's merge
 * key), then from the file's `defaults:`; the first to set a key wins. A
 * default applies only to entries whose role takes the key (`arms` to the
 * creates, not to their releases); a key written in an entry, or merged
 * into it, that its role does not take is an error, as an unknown key is:
 * it would do nothing. Which role takes which key: keys.c. */
#include <string.h>

#include "rulesInt.h"

int rules_set_defaults(Ld *ld, yaml_node_t *n) {
  if (n->type != YAML_MAPPING_NODE)
    return rules_fail(ld, n, "'defaults' must be a mapping of entry keys");
  int np = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  ld->defaults = arena_alloc(ld->r->arena, (size_t)(np ? np : 1) *
                                               sizeof *ld->defaults);
  ld->ndefaults = 0;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key);
    const char *k = rules_scalar(ld, kn, "a key");
    if (!k)
      return -1;
    if (!strcmp(k, "name"))
      return rules_fail(ld, kn, "'name' cannot be a default: each entry "
                        "names its own function");
    if (rules_key_index(k) < 0)
      return rules_key_unknown(ld, kn, k, "in defaults");
    ld->defaults[ld->ndefaults++] = (KeyVal){k, kn, rules_node(ld, p->value),
                                             false};
  }
  return 0;
}

int rules_check_defaults_used(Ld *ld) {
  for (int i = 0; i < ld->ndefaults; i++)
    if (!ld->defaults[i].used)
      return rules_fail(ld, ld->defaults[i].kn,
                        "default '%s' applies to no entry (no entry's role "
                        "takes it, or each sets its own)", ld->defaults[i].k);
  return 0;
}

typedef Array(KeyVal) KeyVals;

static bool has_key(const KeyVals *kv, const char *k) {
  for (int i = 0; i < kv->n; i++)
    if (!strcmp(kv->v[i].k, k))
      return true;
  return false;
}

/* The pairs of mapping n, in order; merged pairs skip keys already set. */
static int add_pairs(Ld *ld, yaml_node_t *n, KeyVals *kv, bool merged,
                     yaml_node_t **merge) {
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
    const char *k = rules_scalar(ld, kn, "a key");
    if (!k)
      return -1;
    if (!strcmp(k, "<<")) {
      if (merged || *merge)
        return rules_fail(ld, kn, "one '<<' per entry, not nested");
      *merge = vn;
      continue;
    }
    if (!merged || !has_key(kv, k))
      array_push(kv, ((KeyVal){k, kn, vn, false}));
  }
  return 0;
}

/* The entry's own keys, then those of the mapping it merges. */
static int own_keys(Ld *ld, yaml_node_t *n, KeyVals *kv) {
  yaml_node_t *merge = NULL;
  if (add_pairs(ld, n, kv, false, &merge) < 0)
    return -1;
  if (!merge)
    return 0;
  if (merge->type != YAML_MAPPING_NODE)
    return rules_fail(ld, merge, "'<<' merges a mapping: '<<: *name' where "
                      "'&name' anchors one");
  return add_pairs(ld, merge, kv, true, &merge);
}

/* The role decides which defaults apply, so it is read first: the entry's
 * (the last, if written twice), else the default one. */
static int entry_role(Ld *ld, RuleFn *fn, const KeyVals *kv) {
  for (int i = 0; i < kv->n; i++)
    if (!strcmp(kv->v[i].k, "role") &&
        rules_key_read(ld, fn, rules_key_index("role"), kv->v[i].vn) < 0)
      return -1;
  for (int i = 0; fn->role < 0 && i < ld->ndefaults; i++)
    if (!strcmp(ld->defaults[i].k, "role")) {
      ld->defaults[i].used = true;
      return rules_key_read(ld, fn, rules_key_index("role"),
                            ld->defaults[i].vn);
    }
  return 0;
}

/* The defaults the entry does not set and its role takes. */
static void add_defaults(Ld *ld, int role, KeyVals *kv) {
  for (int i = 0; role >= 0 && i < ld->ndefaults; i++) {
    KeyVal *d = &ld->defaults[i];
    if (strcmp(d->k, "role") && rules_key_takes(rules_key_index(d->k), role) &&
        !has_key(kv, d->k)) {
      d->used = true;
      array_push(kv, *d);
    }
  }
}

static int read_keys(Ld *ld, RuleFn *fn, const KeyVals *kv) {
  for (int i = 0; i < kv->n; i++) {
    const KeyVal *x = &kv->v[i];
    int key = rules_key_index(x->k);
    if (key < 0)
      return rules_key_unknown(ld, x->kn, x->k, "in a function entry");
    if (!strcmp(x->k, "role"))
      continue; /* read first, by entry_role */
    if (fn->role >= 0 && !rules_key_takes(key, fn->role))
      return rules_key_wrong_role(ld, x->kn, key, fn->role);
    if (rules_key_read(ld, fn, key, x->vn) < 0)
      return -1;
  }
  return 0;
}

/* What every entry of a role must say. */
static int check_entry(Ld *ld, yaml_node_t *n, const RuleFn *fn) {
  if (!fn->name)
    return rules_fail(ld, n, "function entry without 'name'");
  if (fn->role < 0)
    return rules_fail(ld, n, "function '%s' has no 'role'", fn->name);
  /* acts on an object: needs it (a release-all acts on every one) */
  bool event = fn->role < EV__COUNT && fn->role != EV_RELEASE_ALL;
  if (event && fn->handle == HANDLE_NONE)
    return rules_fail(ld, n, "function '%s' needs 'handle' (return, argN or "
                      "*argN)", fn->name);
  if ((fn->role == ROLE_REGISTER || fn->role == ROLE_UNREGISTER) &&
      !fn->nkey)
    return rules_fail(ld, n, "function '%s' registers without a 'key'",
                      fn->name);
  if (fn->role == ROLE_TEST && fn->nkey && fn->handle != HANDLE_NONE)
    return rules_fail(ld, n, "test '%s' asks about a handle or a "
                      "registration ('key'), not both", fn->name);
  if (fn->role == ROLE_HOOK && fn->callback < 0)
    return rules_fail(ld, n, "hook '%s' needs 'callback: argN'", fn->name);
  if (fn->role == EV_ATTR_DETACHED && fn->when_arg < 0)
    return rules_fail(ld, n, "set-detached '%s' needs 'when: {arg, equals}'",
                      fn->name);
  return 0;
}

int rules_parse_entry(Ld *ld, yaml_node_t *n, const RuleFamily *fam,
                      IrResKind res) {
  if (n->type != YAML_MAPPING_NODE)
    return rules_fail(ld, n, "a function entry must be a mapping");
  RuleFn fn = {0};
  fn.family = fam->name;
  fn.file = ld->file;
  fn.line = (int)n->start_mark.line + 1;
  fn.res = res;
  fn.role = -1;
  fn.callback = fn.data = fn.attr = fn.notify = fn.disarm_arg = fn.when_arg =
      fn.param_type_arg = -1;
  fn.cb_handle = -1;
  fn.user_arg = fn.frees_after = -1;
  KeyVals kv = {0};
  int rc = own_keys(ld, n, &kv);
  if (rc == 0)
    rc = entry_role(ld, &fn, &kv);
  if (rc == 0) {
    add_defaults(ld, fn.role, &kv);
    rc = read_keys(ld, &fn, &kv);
  }
  array_free(&kv);
  if (rc == 0)
    rc = check_entry(ld, n, &fn);
  if (rc == 0)
    array_push(&ld->r->fns, fn);
  return rc;
}
