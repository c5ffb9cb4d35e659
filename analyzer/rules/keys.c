/* keys.c: the keys of a function entry: which roles take each (one table,
 * entry_keys, that rules/README.md's key table follows: keep the two in
 * step), and how each value is read into a RuleFn. Where an entry's keys
 * come from (the entry, a merged mapping, defaults) is entry.c's. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulesInt.h"

/* Roles beyond the IR event kinds, in ROLE_* order (rules.h). */
static const char *const extra_roles[] = {
    "noreturn", "register",      "unregister", "cleanup-macro",
    "defer",    "alias",         "test",       "free",
    "alloc",    "hook"};
enum {
  NEXTRA = sizeof extra_roles / sizeof *extra_roles,
  NROLES = EV__COUNT + NEXTRA
};
_Static_assert(NROLES <= 32, "role sets are 32-bit masks");

const char *rules_role_name(int role) {
  if (role < EV__COUNT)
    return ir_event_name((IrEventKind)role);
  return extra_roles[role - EV__COUNT];
}

static int role_from_name(const char *s) {
  int k = ir_event_from_role(s);
  if (k >= 0)
    return k;
  for (int i = 0; i < NEXTRA; i++)
    if (strcmp(extra_roles[i], s) == 0)
      return EV__COUNT + i;
  return -1;
}

/* "argN" -> N; "*argN" -> N with *deref. */
static int parse_arg(Ld *ld, yaml_node_t *n, const char *s, bool *deref) {
  if (deref)
    *deref = false;
  if (deref && s[0] == '*') {
    *deref = true;
    s++;
  }
  char *end;
  if (strncmp(s, "arg", 3) != 0 || !s[3] || s[3] == '-')
    return rules_fail(ld, n, "expected argN or *argN, got '%s'", s);
  long v = strtol(s + 3, &end, 10);
  if (*end || v < 0 || v > 64)
    return rules_fail(ld, n, "expected argN or *argN, got '%s'", s);
  return (int)v;
}

static int parse_bool(Ld *ld, yaml_node_t *n, bool *out) {
  const char *s = rules_scalar(ld, n, "a flag");
  if (!s)
    return -1;
  if (!strcmp(s, "true") || !strcmp(s, "yes"))
    *out = true;
  else if (!strcmp(s, "false") || !strcmp(s, "no"))
    *out = false;
  else
    return rules_fail(ld, n, "expected true or false, got '%s'", s);
  return 0;
}

/* {arg: N, zero: true} or {arg: N, equals: NAME|INT} */
/* `arg: N` in a condition map: an argument index. */
static int parse_index(Ld *ld, yaml_node_t *vn, const char *v, int *out) {
  char *end;
  long x = strtol(v, &end, 10);
  if (*end || x < 0 || x > 64)
    return rules_fail(ld, vn, "arg must be an argument index, got '%s'", v);
  *out = (int)x;
  return 0;
}

static int parse_cond_map(Ld *ld, yaml_node_t *n, RuleFn *fn, bool disarm) {
  if (n->type != YAML_MAPPING_NODE)
    return rules_fail(ld, n, "expected a mapping like {arg: 2, %s}",
                      disarm ? "zero: true" : "equals: NAME");
  int arg = -1;
  bool have_test = false;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *vn = rules_node(ld, p->value);
    const char *k = rules_scalar(ld, kn, "a key");
    const char *v = rules_scalar(ld, vn, "a value");
    if (!k || !v)
      return -1;
    if (!strcmp(k, "arg")) {
      if (parse_index(ld, vn, v, &arg) < 0)
        return -1;
    } else if (disarm && !strcmp(k, "zero")) {
      bool z;
      if (parse_bool(ld, vn, &z) < 0)
        return -1;
      if (!z)
        return rules_fail(ld, vn, "only 'zero: true' is meaningful here");
      have_test = true;
    } else if (disarm && !strcmp(k, "field")) {
      fn->disarm_field = v; /* only this part of the value decides */
    } else if (disarm && !strcmp(k, "null")) {
      bool z;
      if (parse_bool(ld, vn, &z) < 0)
        return -1;
      if (!z)
        return rules_fail(ld, vn, "only 'null: true' is meaningful here");
      fn->disarm_null = true;
      have_test = true;
    } else if (!disarm && !strcmp(k, "equals")) {
      char *end;
      long long x = strtoll(v, &end, 0);
      if (*v && !*end) {
        fn->when_value = x;
        fn->when_is_value = true;
      } else {
        fn->when_name = v;
      }
      have_test = true;
    } else {
      return rules_fail(ld, kn, "unknown key '%s' in condition", k);
    }
  }
  if (arg < 0 || !have_test)
    return rules_fail(ld, n, "condition needs 'arg' and a test");
  if (disarm)
    fn->disarm_arg = arg;
  else
    fn->when_arg = arg;
  return 0;
}

/* One key's reader: k is the key as written, vn its value. */
typedef int (*KeyRead)(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn);

static int read_name(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  return (fn->name = rules_scalar(ld, vn, k)) ? 0 : -1;
}

static int read_prototype(Ld *ld, RuleFn *fn, const char *k,
                          yaml_node_t *vn) {
  return (fn->prototype = rules_scalar(ld, vn, k)) ? 0 : -1;
}

static int read_doc(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  return (fn->doc = rules_scalar(ld, vn, k)) ? 0 : -1;
}

static int read_released_by(Ld *ld, RuleFn *fn, const char *k,
                            yaml_node_t *vn) {
  return (fn->release_api = rules_scalar(ld, vn, k)) ? 0 : -1;
}

static int read_role(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  fn->role = role_from_name(v);
  if (fn->role < 0)
    return rules_fail(ld, vn, "unknown role '%s' (create, arm, disarm, "
                      "release, join, detach, use, set-detached, destroy, "
                      "noreturn, register, unregister, cleanup-macro, "
                      "defer, alias, test, free)", v);
  return 0;
}

static int read_handle(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  if (!strcmp(v, "return")) {
    fn->handle = HANDLE_RETURN;
  } else if (!strcmp(v, "this")) {
    fn->handle = HANDLE_THIS;
  } else {
    bool deref;
    int a = parse_arg(ld, vn, v, &deref);
    if (a < 0)
      return -1;
    fn->handle = deref ? HANDLE_DEREF : HANDLE_ARG;
    fn->handle_arg = a;
  }
  return 0;
}

static int read_fails(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  static const struct { const char *s; IrFail f; } t[] = {
      {"never", FAIL_NEVER}, {"nonzero", FAIL_NONZERO},
      {"negative", FAIL_NEGATIVE}, {"zero", FAIL_ZERO}, {"null", FAIL_ZERO}};
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (!strcmp(v, t[i].s)) {
      fn->fails = t[i].f;
      return 0;
    }
  return rules_fail(ld, vn, "fails-when must be never, nonzero, negative, "
                    "zero or null, got '%s'", v);
}

static int read_arg_into(Ld *ld, int *out, const char *k, yaml_node_t *vn) {
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  int a = parse_arg(ld, vn, v, NULL);
  if (a < 0)
    return -1;
  *out = a;
  return 0;
}

static int read_callback(Ld *ld, RuleFn *fn, const char *k,
                         yaml_node_t *vn) {
  return read_arg_into(ld, &fn->callback, k, vn);
}

/* callback-handle: paramN | *paramN: which parameter of the callback gets
 * the object (or points to it). */
static int read_cb_handle(Ld *ld, RuleFn *fn, const char *k,
                          yaml_node_t *vn) {
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  fn->cb_handle_deref = v[0] == '*';
  const char *p = v + fn->cb_handle_deref;
  char *end;
  if (strncmp(p, "param", 5) || !p[5] || p[5] == '-')
    return rules_fail(ld, vn, "expected paramN or *paramN, got '%s'", v);
  long x = strtol(p + 5, &end, 10);
  if (*end || x < 0 || x > 64)
    return rules_fail(ld, vn, "expected paramN or *paramN, got '%s'", v);
  fn->cb_handle = (int)x;
  return 0;
}

static int read_frees_after(Ld *ld, RuleFn *fn, const char *k,
                            yaml_node_t *vn) {
  int keep = fn->cb_handle;
  bool deref = fn->cb_handle_deref;
  if (read_cb_handle(ld, fn, k, vn) < 0)
    return -1;
  if (fn->cb_handle_deref)
    return rules_fail(ld, vn, "'%s' takes paramN (what it points to is "
                      "freed)", k);
  fn->frees_after = fn->cb_handle;
  fn->cb_handle = keep;
  fn->cb_handle_deref = deref;
  return 0;
}

static int read_cb_data(Ld *ld, RuleFn *fn, const char *k,
                        yaml_node_t *vn) {
  if (read_cb_handle(ld, fn, k, vn) < 0)
    return -1;
  fn->cb_data = true;
  return 0;
}

static int read_attr(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  return read_arg_into(ld, &fn->attr, k, vn);
}

/* when-param: {arg: N, type: "struct timer_list *"} */
static int read_when_param(Ld *ld, RuleFn *fn, const char *k,
                           yaml_node_t *vn) {
  if (vn->type != YAML_MAPPING_NODE)
    return rules_fail(ld, vn, "'%s' takes a mapping like {arg: 0, type: "
                      "\"struct timer_list *\"}", k);
  for (yaml_node_pair_t *p = vn->data.mapping.pairs.start;
       p < vn->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = rules_node(ld, p->key), *v = rules_node(ld, p->value);
    const char *key = rules_scalar(ld, kn, "a key");
    const char *val = rules_scalar(ld, v, "a value");
    if (!key || !val)
      return -1;
    if (!strcmp(key, "arg")) {
      if (parse_index(ld, v, val, &fn->param_type_arg) < 0)
        return -1;
    } else if (!strcmp(key, "type")) {
      fn->param_type = val;
    } else {
      return rules_fail(ld, kn, "unknown key '%s' in '%s'", key, k);
    }
  }
  if (fn->param_type_arg < 0 || !fn->param_type)
    return rules_fail(ld, vn, "'%s' needs both 'arg' and 'type'", k);
  return 0;
}

static int read_notify(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  return read_arg_into(ld, &fn->notify, k, vn);
}

static int read_user_data(Ld *ld, RuleFn *fn, const char *k,
                          yaml_node_t *vn) {
  return read_arg_into(ld, &fn->user_arg, k, vn);
}

/* data: argN, or data: argN...: every argument from N on (std::thread's) */
static int read_data(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  const char *v = rules_scalar(ld, vn, k);
  if (!v)
    return -1;
  size_t len = strlen(v);
  if (len > 3 && !strcmp(v + len - 3, "...")) {
    char *one = arena_strndup(ld->r->arena, v, len - 3);
    int a = parse_arg(ld, vn, one, NULL);
    if (a < 0)
      return -1;
    fn->data = a;
    fn->data_rest = true;
    return 0;
  }
  return read_arg_into(ld, &fn->data, k, vn);
}

static int read_field_check(Ld *ld, RuleFn *fn, const char *k,
                            yaml_node_t *vn) {
  (void)k;
  bool on;
  if (parse_bool(ld, vn, &on) < 0)
    return -1;
  fn->inert = !on;
  return 0;
}

static int read_disarm_when(Ld *ld, RuleFn *fn, const char *k,
                            yaml_node_t *vn) {
  (void)k;
  return parse_cond_map(ld, vn, fn, true);
}

static int read_when(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  (void)k;
  return parse_cond_map(ld, vn, fn, false);
}

/* key: [argN, argM] and self-removing-when: [NAME, ...] take lists. */
static int read_key(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *vn) {
  if (vn->type != YAML_SEQUENCE_NODE)
    return rules_fail(ld, vn, "'%s' takes a list", k);
  for (yaml_node_item_t *it = vn->data.sequence.items.start;
       it < vn->data.sequence.items.top; it++) {
    yaml_node_t *in = rules_node(ld, *it);
    const char *s = rules_scalar(ld, in, "a list item");
    if (!s)
      return -1;
    if (fn->nkey == 2)
      return rules_fail(ld, in, "a key has at most two arguments");
    int a = parse_arg(ld, in, s, NULL);
    if (a < 0)
      return -1;
    fn->key[fn->nkey++] = a;
  }
  return 0;
}

static int read_self_removing(Ld *ld, RuleFn *fn, const char *k,
                              yaml_node_t *vn) {
  if (vn->type != YAML_SEQUENCE_NODE)
    return rules_fail(ld, vn, "'%s' takes a list", k);
  for (yaml_node_item_t *it = vn->data.sequence.items.start;
       it < vn->data.sequence.items.top; it++) {
    yaml_node_t *in = rules_node(ld, *it);
    const char *s = rules_scalar(ld, in, "a list item");
    if (!s)
      return -1;
    if (fn->nself_remove == 4)
      return rules_fail(ld, in, "at most four self-removing results");
    fn->self_remove[fn->nself_remove++] = s;
  }
  return 0;
}

/* Sets of roles, one bit per role. */
#define R(role) (1u << (role))
enum {
  R_ANY = (1u << NROLES) - 1,
  /* roles whose calls act on an object at `handle` (the IR events) */
  R_OBJECT = R(EV_CREATE) | R(EV_ARM) | R(EV_DISARM) | R(EV_RELEASE) |
             R(EV_JOIN) | R(EV_DETACH) | R(EV_USE) | R(EV_ATTR_DETACHED) |
             R(EV_DESTROY),
  /* roles the link phase counts as stopping a field */
  R_STOP = R(EV_DISARM) | R(EV_RELEASE) | R(EV_JOIN) | R(EV_DETACH),
  /* roles that start something that runs later */
  R_WORKER = R(EV_CREATE) | R(ROLE_DEFER) | R(ROLE_REGISTER),
  /* roles whose callback may be given the object itself */
  R_CALLBACK = R(EV_CREATE) | R(EV_ARM) | R(EV_DISARM) | R(EV_RELEASE_ALL),
  /* ... or runs once it is released (uv_close's close_cb) */
  R_CALLBACK_ANY = R_CALLBACK | R(EV_RELEASE),
};

/* Every key of a function entry and the roles that take it: what the
 * front end reads for each role (lower_expr.c). A key with no reader is a
 * flag: true or false into the RuleFn field at `flag`. */
#define FLAG(f) NULL, offsetof(RuleFn, f)
static const struct {
  const char *name;
  unsigned roles;
  KeyRead read;
  size_t flag;
} entry_keys[] = {
    {"name", R_ANY, read_name, 0},
    {"when-param", R_ANY, read_when_param, 0},
    {"role", R_ANY, read_role, 0},
    {"prototype", R_ANY, read_prototype, 0},
    {"doc", R_ANY, read_doc, 0},
    {"handle", R_OBJECT | R(ROLE_TEST) | R(ROLE_FREE) | R(ROLE_ALIAS), read_handle, 0},
    {"fails-when", R(EV_CREATE) | R(ROLE_TEST), read_fails, 0},
    {"arms", R(EV_CREATE), FLAG(arms)},
    {"field-check", R(EV_CREATE) | R(EV_ARM), read_field_check, 0},
    {"attr", R(EV_CREATE), read_attr, 0},
    {"callback", R_WORKER | R_CALLBACK_ANY | R(EV_USE) | R(ROLE_HOOK),
     read_callback, 0},
    {"frees-after", R(ROLE_HOOK), read_frees_after, 0},
    {"callback-handle", R_CALLBACK, read_cb_handle, 0},
    {"callback-data", R_CALLBACK, read_cb_data, 0},
    {"data", R_WORKER | R(ROLE_HOOK), read_data, 0},
    {"self-removing-when", R(EV_CREATE) | R(EV_USE), read_self_removing, 0},
    {"one-shot", R(EV_CREATE), FLAG(one_shot)},
    {"io-watch", R(EV_CREATE), FLAG(io_watch)},
    {"notify", R(EV_CREATE), read_notify, 0},
    {"released-by", R(EV_CREATE) | R(ROLE_REGISTER) | R(EV_RELEASE_ALL),
     read_released_by, 0},
    {"async", R_STOP, FLAG(async)},
    {"closing", R(EV_RELEASE), FLAG(closing)},
    {"keeps-armed", R(EV_RELEASE), FLAG(keeps_armed)},
    {"returns-id", R(EV_ARM), FLAG(returns_id)},
    {"storage", R(EV_CREATE), FLAG(storage)},
    {"idempotent", R(EV_RELEASE) | R(ROLE_UNREGISTER), FLAG(idempotent)},
    {"generic", R(EV_RELEASE) | R(EV_USE) | R(EV_DISARM), FLAG(generic)},
    {"disarm-when", R(EV_ARM), read_disarm_when, 0},
    {"when", R(EV_ATTR_DETACHED), read_when, 0},
    {"key", R(ROLE_REGISTER) | R(ROLE_UNREGISTER) | R(ROLE_TEST), read_key,
     0},
    {"user-data", R(ROLE_REGISTER) | R(ROLE_UNREGISTER) | R(ROLE_TEST),
     read_user_data, 0},
};
enum { NKEYS = sizeof entry_keys / sizeof *entry_keys };

/* Spellings that had a synonym: one name per meaning now. The old one is
 * an error that names the new, so an old file fails loudly. */
static const struct {
  const char *old, *hint;
} retired_keys[] = {
    {"fires", "use 'field-check' (same values, same meaning)"},
};

int rules_key_index(const char *k) {
  for (int i = 0; i < NKEYS; i++)
    if (!strcmp(entry_keys[i].name, k))
      return i;
  return -1;
}

int rules_key_unknown(Ld *ld, yaml_node_t *kn, const char *k,
                      const char *where) {
  for (size_t i = 0; i < sizeof retired_keys / sizeof *retired_keys; i++)
    if (!strcmp(retired_keys[i].old, k))
      return rules_fail(ld, kn, "'%s' is retired: %s", k,
                        retired_keys[i].hint);
  return rules_fail(ld, kn, "unknown key '%s' %s", k, where);
}

bool rules_key_takes(int key, int role) {
  return (entry_keys[key].roles & R(role)) != 0;
}

int rules_key_wrong_role(Ld *ld, yaml_node_t *kn, int key, int role) {
  char roles[256] = "";
  size_t len = 0;
  for (int r = 0; r < NROLES && len < sizeof roles; r++)
    if (rules_key_takes(key, r))
      len += (size_t)snprintf(roles + len, sizeof roles - len, "%s%s",
                              len ? ", " : "", rules_role_name(r));
  return rules_fail(ld, kn, "'%s' means nothing for role '%s' (it is for %s)",
                    entry_keys[key].name, rules_role_name(role), roles);
}

int rules_key_read(Ld *ld, RuleFn *fn, int key, yaml_node_t *vn) {
  if (!entry_keys[key].read)
    return parse_bool(ld, vn, (bool *)((char *)fn + entry_keys[key].flag));
  return entry_keys[key].read(ld, fn, entry_keys[key].name, vn);
}
