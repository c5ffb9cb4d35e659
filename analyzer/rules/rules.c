/* rules.c: reads API family files with libyaml's document API (every node
 * keeps its line and column, so an error names file:line:col). Unknown keys
 * are errors, not ignored: a typo in a rule must not silently disable it. */
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef Array(const char *) NameList;

struct Rules {
  Arena *arena;
  Array(RuleFn) fns;
  Array(RuleFamily) fams;
  NameList teardown;  /* teardown-names of every file */
  NameList callbacks; /* teardown-callbacks of every file */
  uint64_t hash;
};

Rules *rules_new(void) {
  Rules *r = xcalloc(1, sizeof *r);
  r->arena = arena_new();
  r->hash = HASH_SEED;
  return r;
}

void rules_free(Rules *r) {
  if (!r)
    return;
  array_free(&r->teardown);
  array_free(&r->callbacks);
  array_free(&r->fns);
  array_free(&r->fams);
  arena_free(r->arena);
  xfree(r);
}

int rules_family_count(const Rules *r) { return r->fams.n; }
const RuleFamily *rules_family(const Rules *r, int i) { return &r->fams.v[i]; }
const RuleFn *rules_fn(const Rules *r, int i) { return &r->fns.v[i]; }
uint64_t rules_hash(const Rules *r) { return r->hash; }

const char *const *rules_teardown_names(const Rules *r, int *n) {
  *n = r->teardown.n;
  return r->teardown.v;
}

const char *const *rules_teardown_callbacks(const Rules *r, int *n) {
  *n = r->callbacks.n;
  return r->callbacks.v;
}

/* Later definitions win, so a user's --rules directory can override. */
const RuleFn *rules_lookup(const Rules *r, const char *name) {
  for (int i = r->fns.n - 1; i >= 0; i--)
    if (strcmp(r->fns.v[i].name, name) == 0)
      return &r->fns.v[i];
  return NULL;
}

static const char *const extra_roles[] = {
    "noreturn", "register",      "unregister", "cleanup-macro",
    "defer",    "alias",         "test",       "free"};
enum { NEXTRA = sizeof extra_roles / sizeof *extra_roles };

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

/* Parsing context for one file. */
typedef struct {
  Rules *r;
  const char *file;
  yaml_document_t doc;
  char *err;
} Ld;

static int fail(Ld *ld, yaml_node_t *n, const char *fmt, const char *arg) {
  if (ld->err)
    return -1;
  char msg[512];
  snprintf(msg, sizeof msg, fmt, arg ? arg : "");
  size_t len = strlen(ld->file) + strlen(msg) + 64;
  ld->err = xmalloc(len);
  snprintf(ld->err, len, "%s:%lu:%lu: %s", ld->file,
           n ? (unsigned long)n->start_mark.line + 1 : 1ul,
           n ? (unsigned long)n->start_mark.column + 1 : 1ul, msg);
  return -1;
}

static yaml_node_t *node(Ld *ld, int id) {
  return yaml_document_get_node(&ld->doc, id);
}

static const char *scalar(Ld *ld, yaml_node_t *n, const char *what) {
  if (!n || n->type != YAML_SCALAR_NODE) {
    fail(ld, n, "%s must be a scalar", what);
    return NULL;
  }
  return arena_strndup(ld->r->arena, (const char *)n->data.scalar.value,
                       n->data.scalar.length);
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
    return fail(ld, n, "expected argN or *argN, got '%s'", s);
  long v = strtol(s + 3, &end, 10);
  if (*end || v < 0 || v > 64)
    return fail(ld, n, "expected argN or *argN, got '%s'", s);
  return (int)v;
}

static int parse_bool(Ld *ld, yaml_node_t *n, bool *out) {
  const char *s = scalar(ld, n, "a flag");
  if (!s)
    return -1;
  if (!strcmp(s, "true") || !strcmp(s, "yes"))
    *out = true;
  else if (!strcmp(s, "false") || !strcmp(s, "no"))
    *out = false;
  else
    return fail(ld, n, "expected true or false, got '%s'", s);
  return 0;
}

/* {arg: N, zero: true} or {arg: N, equals: NAME|INT} */
static int parse_cond_map(Ld *ld, yaml_node_t *n, RuleFn *fn, bool disarm) {
  if (n->type != YAML_MAPPING_NODE)
    return fail(ld, n, "expected a mapping like {arg: 2, %s}",
                disarm ? "zero: true" : "equals: NAME");
  int arg = -1;
  bool have_test = false;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = node(ld, p->key), *vn = node(ld, p->value);
    const char *k = scalar(ld, kn, "a key"), *v = scalar(ld, vn, "a value");
    if (!k || !v)
      return -1;
    if (!strcmp(k, "arg")) {
      char *end;
      long x = strtol(v, &end, 10);
      if (*end || x < 0 || x > 64)
        return fail(ld, vn, "arg must be an argument index, got '%s'", v);
      arg = (int)x;
    } else if (disarm && !strcmp(k, "zero")) {
      bool z;
      if (parse_bool(ld, vn, &z) < 0)
        return -1;
      if (!z)
        return fail(ld, vn, "only 'zero: true' is meaningful here%s", NULL);
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
      return fail(ld, kn, "unknown key '%s' in condition", k);
    }
  }
  if (arg < 0 || !have_test)
    return fail(ld, n, "condition needs 'arg' and a test%s", NULL);
  if (disarm)
    fn->disarm_arg = arg;
  else
    fn->when_arg = arg;
  return 0;
}

static int parse_fails(Ld *ld, yaml_node_t *n, const char *v, IrFail *out) {
  static const struct { const char *s; IrFail f; } t[] = {
      {"never", FAIL_NEVER}, {"nonzero", FAIL_NONZERO},
      {"negative", FAIL_NEGATIVE}, {"zero", FAIL_ZERO}, {"null", FAIL_ZERO}};
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (!strcmp(v, t[i].s)) {
      *out = t[i].f;
      return 0;
    }
  return fail(ld, n, "fails-when must be never, nonzero, negative, zero or "
              "null, got '%s'", v);
}

static int parse_fn_key(Ld *ld, RuleFn *fn, const char *k, yaml_node_t *kn,
                        yaml_node_t *vn) {
  bool deref;
  if (!strcmp(k, "disarm-when"))
    return parse_cond_map(ld, vn, fn, true);
  if (!strcmp(k, "when"))
    return parse_cond_map(ld, vn, fn, false);
  if (!strcmp(k, "key") || !strcmp(k, "self-removing-when")) {
    if (vn->type != YAML_SEQUENCE_NODE)
      return fail(ld, vn, "'%s' takes a list", k);
    bool key = !strcmp(k, "key");
    for (yaml_node_item_t *it = vn->data.sequence.items.start;
         it < vn->data.sequence.items.top; it++) {
      yaml_node_t *in = node(ld, *it);
      const char *s = scalar(ld, in, "a list item");
      if (!s)
        return -1;
      if (key) {
        if (fn->nkey == 2)
          return fail(ld, in, "a key has at most two arguments%s", NULL);
        int a = parse_arg(ld, in, s, NULL);
        if (a < 0)
          return -1;
        fn->key[fn->nkey++] = a;
      } else {
        if (fn->nself_remove == 4)
          return fail(ld, in, "at most four self-removing results%s", NULL);
        fn->self_remove[fn->nself_remove++] = s;
      }
    }
    return 0;
  }
  const char *v = scalar(ld, vn, k);
  if (!v)
    return -1;
  if (!strcmp(k, "name"))
    fn->name = v;
  else if (!strcmp(k, "prototype"))
    fn->prototype = v;
  else if (!strcmp(k, "doc"))
    fn->doc = v;
  else if (!strcmp(k, "role")) {
    fn->role = role_from_name(v);
    if (fn->role < 0)
      return fail(ld, vn, "unknown role '%s' (create, arm, disarm, release, "
                  "join, detach, use, set-detached, destroy, noreturn, "
                  "register, unregister, cleanup-macro, defer, alias, test, free)",
                  v);
  } else if (!strcmp(k, "handle")) {
    if (!strcmp(v, "return")) {
      fn->handle = HANDLE_RETURN;
    } else if (!strcmp(v, "this")) {
      fn->handle = HANDLE_THIS;
    } else {
      int a = parse_arg(ld, vn, v, &deref);
      if (a < 0)
        return -1;
      fn->handle = deref ? HANDLE_DEREF : HANDLE_ARG;
      fn->handle_arg = a;
    }
  } else if (!strcmp(k, "fails-when")) {
    return parse_fails(ld, vn, v, &fn->fails);
  } else if (!strcmp(k, "data") && strlen(v) > 3 &&
             !strcmp(v + strlen(v) - 3, "...")) {
    /* data: arg1...: every argument from arg1 on (std::thread's) */
    char *one = arena_strndup(ld->r->arena, v, strlen(v) - 3);
    int a = parse_arg(ld, vn, one, NULL);
    if (a < 0)
      return -1;
    fn->data = a;
    fn->data_rest = true;
  } else if (!strcmp(k, "callback") || !strcmp(k, "data") ||
             !strcmp(k, "attr")) {
    int a = parse_arg(ld, vn, v, NULL);
    if (a < 0)
      return -1;
    *(!strcmp(k, "callback") ? &fn->callback
      : !strcmp(k, "data")   ? &fn->data
                             : &fn->attr) = a;
  } else if (!strcmp(k, "arms")) {
    return parse_bool(ld, vn, &fn->arms);
  } else if (!strcmp(k, "fires") || !strcmp(k, "field-check")) {
    bool on;
    if (parse_bool(ld, vn, &on) < 0)
      return -1;
    fn->inert = !on;
  } else if (!strcmp(k, "released-by")) {
    fn->release_api = v;
  } else if (!strcmp(k, "async")) {
    return parse_bool(ld, vn, &fn->async);
  } else {
    return fail(ld, kn, "unknown key '%s' in a function entry", k);
  }
  return 0;
}

static int parse_fn(Ld *ld, yaml_node_t *n, RuleFamily *fam, IrResKind res) {
  if (n->type != YAML_MAPPING_NODE)
    return fail(ld, n, "a function entry must be a mapping%s", NULL);
  RuleFn fn = {0};
  fn.family = fam->name;
  fn.file = ld->file;
  fn.line = (int)n->start_mark.line + 1;
  fn.res = res;
  fn.role = -1;
  fn.callback = fn.data = fn.attr = fn.disarm_arg = fn.when_arg = -1;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = node(ld, p->key);
    const char *k = scalar(ld, kn, "a key");
    if (!k || parse_fn_key(ld, &fn, k, kn, node(ld, p->value)) < 0)
      return -1;
  }
  if (!fn.name)
    return fail(ld, n, "function entry without 'name'%s", NULL);
  if (fn.role < 0)
    return fail(ld, n, "function '%s' has no 'role'", fn.name);
  bool needs_handle = fn.role < EV__COUNT;
  if (needs_handle && fn.handle == HANDLE_NONE)
    return fail(ld, n, "function '%s' needs 'handle' (return, argN or *argN)",
                fn.name);
  if ((fn.role == ROLE_REGISTER || fn.role == ROLE_UNREGISTER) && !fn.nkey)
    return fail(ld, n, "function '%s' registers without a 'key'", fn.name);
  if (fn.role == EV_ATTR_DETACHED && fn.when_arg < 0)
    return fail(ld, n, "set-detached '%s' needs 'when: {arg, equals}'",
                fn.name);
  array_push(&ld->r->fns, fn);
  return 0;
}

static int parse_kind(Ld *ld, yaml_node_t *n, const char *v, IrResKind *res) {
  if (!strcmp(v, "timer") || !strcmp(v, "source") || !strcmp(v, "none"))
    *res = RES_TIMER;
  else if (!strcmp(v, "thread"))
    *res = RES_THREAD;
  else
    return fail(ld, n, "kind must be timer, source, thread or none, got '%s'",
                v);
  return 0;
}

static int parse_doc(Ld *ld) {
  yaml_node_t *root = yaml_document_get_root_node(&ld->doc);
  if (!root)
    return fail(ld, NULL, "empty rule file%s", NULL);
  if (root->type != YAML_MAPPING_NODE)
    return fail(ld, root, "a rule file is a mapping with 'family' and "
                "'functions'%s", NULL);
  RuleFamily fam = {0};
  fam.file = ld->file;
  IrResKind res = RES_TIMER;
  yaml_node_t *fns = NULL;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
       p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = node(ld, p->key), *vn = node(ld, p->value);
    const char *k = scalar(ld, kn, "a key");
    if (!k)
      return -1;
    if (!strcmp(k, "functions")) {
      fns = vn;
      continue;
    }
    if (!strcmp(k, "teardown-names") || !strcmp(k, "teardown-callbacks")) {
      if (vn->type != YAML_SEQUENCE_NODE)
        return fail(ld, vn, "'%s' must be a list", k);
      for (yaml_node_item_t *it = vn->data.sequence.items.start;
           it < vn->data.sequence.items.top; it++) {
        const char *n = scalar(ld, node(ld, *it), "a teardown name");
        if (!n)
          return -1;
        NameList *l = k[9] == 'n' ? &ld->r->teardown : &ld->r->callbacks;
        array_push(l, n);
      }
      continue;
    }
    const char *v = scalar(ld, vn, k);
    if (!v)
      return -1;
    if (!strcmp(k, "family"))
      fam.name = v;
    else if (!strcmp(k, "kind")) {
      fam.kind = v;
      if (parse_kind(ld, vn, v, &res) < 0)
        return -1;
    } else if (!strcmp(k, "doc"))
      fam.doc = v;
    else
      return fail(ld, kn, "unknown key '%s' (family, kind, doc, functions, "
                  "teardown-names, teardown-callbacks)", k);
  }
  if (!fam.name)
    return fail(ld, root, "missing 'family'%s", NULL);
  if (!fam.kind)
    return fail(ld, root, "missing 'kind'%s", NULL);
  if (!fns || fns->type != YAML_SEQUENCE_NODE)
    return fail(ld, fns ? fns : root, "'functions' must be a list%s", NULL);
  fam.first = ld->r->fns.n;
  for (yaml_node_item_t *it = fns->data.sequence.items.start;
       it < fns->data.sequence.items.top; it++)
    if (parse_fn(ld, node(ld, *it), &fam, res) < 0)
      return -1;
  fam.count = ld->r->fns.n - fam.first;
  /* The family's release (or join; for a registration, its
   * unregistration) names the fix in messages. */
  const char *rel = NULL, *unreg = NULL;
  for (int i = fam.first; i < ld->r->fns.n; i++) {
    int role = ld->r->fns.v[i].role;
    if (!rel && (role == EV_RELEASE || role == EV_JOIN))
      rel = ld->r->fns.v[i].name;
    if (!unreg && role == ROLE_UNREGISTER)
      unreg = ld->r->fns.v[i].name;
  }
  for (int i = fam.first; i < ld->r->fns.n; i++)
    if (!ld->r->fns.v[i].release_api)
      ld->r->fns.v[i].release_api =
          ld->r->fns.v[i].role == ROLE_REGISTER ? unreg : rel;
  array_push(&ld->r->fams, fam);
  return 0;
}

static int load_file(Rules *r, const char *path, char **err) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    size_t n = strlen(path) + 128;
    *err = xmalloc(n);
    snprintf(*err, n, "%s: cannot read rule file: %s", path, strerror(errno));
    return -1;
  }
  Ld ld;
  memset(&ld, 0, sizeof ld);
  ld.r = r;
  ld.file = arena_strdup(r->arena, path);
  /* Hash the bytes for the incremental cache before parsing. */
  char buf[8192];
  size_t got;
  r->hash = hash_str(r->hash, path);
  while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
    r->hash = hash_bytes(r->hash, buf, got);
  rewind(fp);
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, fp);
  int rc = 0;
  int saved_fns = r->fns.n;
  if (!yaml_parser_load(&p, &ld.doc)) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s", p.problem ? p.problem : "malformed YAML");
    size_t n = strlen(path) + strlen(msg) + 64;
    *err = xmalloc(n);
    snprintf(*err, n, "%s:%lu:%lu: %s", path,
             (unsigned long)p.problem_mark.line + 1,
             (unsigned long)p.problem_mark.column + 1, msg);
    rc = -1;
  } else {
    rc = parse_doc(&ld);
    yaml_document_delete(&ld.doc);
    if (rc < 0) {
      *err = ld.err;
      r->fns.n = saved_fns; /* no half-loaded family */
    }
  }
  yaml_parser_delete(&p);
  fclose(fp);
  return rc;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml(const char *n) {
  size_t l = strlen(n);
  return (l > 5 && !strcmp(n + l - 5, ".yaml")) ||
         (l > 4 && !strcmp(n + l - 4, ".yml"));
}

int rules_load_path(Rules *r, const char *path, char **err) {
  struct stat st;
  *err = NULL;
  if (stat(path, &st) != 0) {
    size_t n = strlen(path) + 128;
    *err = xmalloc(n);
    snprintf(*err, n, "%s: cannot open rules: %s", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return load_file(r, path, err);
  DIR *d = opendir(path);
  if (!d) {
    size_t n = strlen(path) + 128;
    *err = xmalloc(n);
    snprintf(*err, n, "%s: cannot open rules directory: %s", path,
             strerror(errno));
    return -1;
  }
  Array(char *) names = {0};
  for (struct dirent *de; (de = readdir(d));)
    if (de->d_name[0] != '.' && is_yaml(de->d_name))
      array_push(&names, xstrdup(de->d_name));
  closedir(d);
  if (names.n)
    qsort(names.v, (size_t)names.n, sizeof *names.v, name_cmp);
  int rc = 0;
  for (int i = 0; i < names.n; i++) {
    if (rc == 0) {
      char *full = arena_printf(r->arena, "%s/%s", path, names.v[i]);
      rc = load_file(r, full, err);
    }
    xfree(names.v[i]);
  }
  array_free(&names);
  return rc;
}
