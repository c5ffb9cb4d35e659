/* rules.c: the Rules object, and reading rule files with libyaml's document
 * API (every node keeps its line and column, so an error names
 * file:line:col). Unknown keys are errors, not ignored: a typo in a rule
 * must not silently disable it. A file's contents: file.c, entry.c. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rulesInt.h"
#include "yamlload.h"

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
  array_free(&r->rc_types);
  array_free(&r->rc_unrefs);
  array_free(&r->callbacks);
  array_free(&r->fns);
  array_free(&r->fams);
  arena_free(r->arena);
  xfree(r);
}

int rules_family_count(const Rules *r) { return r->fams.n; }

bool rules_null_name(const Rules *r, const char *name) {
  if (!strcmp(name, "NULL"))
    return true;
  for (int f = 0; f < r->fams.n; f++)
    for (int i = 0; i < r->fams.v[f].nnull_names; i++)
      if (!strcmp(r->fams.v[f].null_names[i], name))
        return true;
  return false;
}
bool rules_constant(const Rules *r, const char *name, int64_t *v) {
  for (int f = 0; f < r->fams.n; f++)
    for (int i = 0; i < r->fams.v[f].nconsts; i++)
      if (!strcmp(r->fams.v[f].const_names[i], name)) {
        *v = r->fams.v[f].const_values[i];
        return true;
      }
  return false;
}

const char *rules_internal_type(const Rules *r, const char *name) {
  for (int f = 0; name && f < r->fams.n; f++)
    for (int i = 0; i < r->fams.v[f].ninternal; i++)
      if (!strcmp(r->fams.v[f].internal[i], name))
        return r->fams.v[f].name;
  return NULL;
}

const RuleFamily *rules_family(const Rules *r, int i) { return &r->fams.v[i]; }
const RuleFn *rules_fn(const Rules *r, int i) { return &r->fns.v[i]; }
uint64_t rules_hash(const Rules *r) { return r->hash; }

static bool is_dir_entry(const char *e, size_t *len) {
  *len = strlen(e);
  return *len && e[*len - 1] == '/';
}

bool rules_family_includes(const RuleFamily *f, const char *name) {
  for (int h = 0; h < f->nheaders; h++) {
    size_t el;
    if (is_dir_entry(f->headers[h], &el) ? !strncmp(f->headers[h], name, el)
                                         : !strcmp(f->headers[h], name))
      return true;
  }
  return false;
}

bool rules_family_header_path(const RuleFamily *f, const char *path) {
  size_t pl = strlen(path);
  for (int h = 0; h < f->nheaders; h++) {
    const char *e = f->headers[h];
    size_t el;
    if (is_dir_entry(e, &el)) {
      for (const char *p = strstr(path, e); p; p = strstr(p + 1, e))
        if (p > path && p[-1] == '/')
          return true;
    } else if (pl > el && !strcmp(path + pl - el, e) &&
               path[pl - el - 1] == '/') {
      return true;
    }
  }
  return false;
}

const char *const *rules_teardown_names(const Rules *r, int *n) {
  *n = r->teardown.n;
  return r->teardown.v;
}

const char *rules_refcounted_unref(const Rules *r, const char *type) {
  for (int i = r->rc_types.n - 1; i >= 0; i--)
    if (!strcmp(r->rc_types.v[i], type))
      return r->rc_unrefs.v[i];
  return NULL;
}

const char *const *rules_teardown_callbacks(const Rules *r, int *n) {
  *n = r->callbacks.n;
  return r->callbacks.v;
}

/* Later definitions win, so a user's --rules directory can override. */
const RuleFn *rules_lookup_typed(const Rules *r, const char *name,
                                 RulesParamType param_type, void *ctx) {
  /* An entry whose condition holds is the more specific: it wins over
   * one without, whatever the load order. */
  const RuleFn *plain = NULL;
  for (int i = r->fns.n - 1; i >= 0; i--) {
    const RuleFn *f = &r->fns.v[i];
    if (strcmp(f->name, name) != 0)
      continue;
    if (f->param_type_arg < 0) {
      if (!plain)
        plain = f;
      continue;
    }
    const char *t = param_type ? param_type(ctx, f->param_type_arg) : NULL;
    if (t && !strcmp(t, f->param_type))
      return f;
  }
  return plain;
}

const RuleFn *rules_lookup(const Rules *r, const char *name) {
  return rules_lookup_typed(r, name, NULL, NULL);
}

int rules_fail(Ld *ld, yaml_node_t *n, const char *fmt, ...) {
  if (ld->err)
    return -1;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t len = strlen(ld->file) + strlen(msg) + 64;
  ld->err = xmalloc(len);
  snprintf(ld->err, len, "%s:%lu:%lu: %s", ld->file,
           n ? (unsigned long)n->start_mark.line + 1 : 1ul,
           n ? (unsigned long)n->start_mark.column + 1 : 1ul, msg);
  return -1;
}

yaml_node_t *rules_node(Ld *ld, int id) {
  return yaml_document_get_node(&ld->doc, id);
}

const char *rules_scalar(Ld *ld, yaml_node_t *n, const char *what) {
  if (!n || n->type != YAML_SCALAR_NODE) {
    rules_fail(ld, n, "%s must be a scalar", what);
    return NULL;
  }
  return arena_strndup(ld->r->arena, (const char *)n->data.scalar.value,
                       n->data.scalar.length);
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
  int rc = 0;
  int saved_fns = r->fns.n;
  char *yerr = NULL;
  if (tl_yaml_load(fp, &ld.doc, &yerr) < 0) {
    size_t n = strlen(path) + strlen(yerr) + 8;
    *err = xmalloc(n);
    snprintf(*err, n, "%s:%s", path, yerr);
    free(yerr);
    rc = -1;
  } else {
    rc = rules_parse_doc(&ld);
    yaml_document_delete(&ld.doc);
    if (rc < 0) {
      *err = ld.err;
      r->fns.n = saved_fns; /* no half-loaded family */
    }
  }
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
