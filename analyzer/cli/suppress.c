/* suppress.c: inline suppressions, `// timerlint: ignore[rule-id] reason`
 * on a finding's line or the line above, and `// timerlint:
 * ignore-file[rule-id] reason` anywhere in a file for its findings of those
 * rules; malformed ones become invalid-suppression findings. Reads the
 * source files, not libclang. */
#include "suppress.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/checks.h"

/* One well-formed ignore-file comment: its rules and its reason. */
typedef struct {
  const char *rules, *reason;
} FileSupp;

/* Source lines of one file, read once, and its ignore-file comments. */
typedef struct {
  const char *file;
  char **lines;
  int n;
  FileSupp *whole;
  int nwhole;
} Src;

static int parse_supp(const char *line, bool *whole, char *rules, size_t rn,
                      const char **reason, const char **why);
static const char *trim_reason(const char *r, Arena *a);

static void src_load(Src *s, const char *file, Arena *a) {
  s->file = file;
  s->lines = NULL;
  s->n = 0;
  FILE *fp = fopen(file, "r");
  if (!fp)
    return;
  Array(char *) v = {0};
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, fp)) >= 0)
    array_push(&v, arena_strndup(a, line, (size_t)len));
  free(line);
  fclose(fp);
  s->lines = arena_alloc(a, (size_t)(v.n ? v.n : 1) * sizeof(char *));
  if (v.n)
    memcpy(s->lines, v.v, (size_t)v.n * sizeof(char *));
  s->n = v.n;
  array_free(&v);
  Array(FileSupp) w = {0};
  for (int ln = 0; ln < s->n; ln++) {
    char rules[256];
    const char *reason, *why;
    bool whole;
    if (parse_supp(s->lines[ln], &whole, rules, sizeof rules, &reason, &why) == 1 &&
        whole) {
      FileSupp fs = {arena_strdup(a, rules), trim_reason(reason, a)};
      array_push(&w, fs);
    }
  }
  s->whole = arena_alloc(a, (size_t)(w.n ? w.n : 1) * sizeof *s->whole);
  if (w.n) /* w.v is NULL when there is none */
    memcpy(s->whole, w.v, (size_t)w.n * sizeof *s->whole);
  s->nwhole = w.n;
  array_free(&w);
}

/* Parses "timerlint: ignore[r1,r2] reason" (*whole false) or
 * "timerlint: ignore-file[r1,r2] reason" (*whole true) in a line. 0: none
 * there; 1: well formed; -1: malformed (*why says how). */
static int parse_supp(const char *line, bool *whole, char *rules, size_t rn,
                      const char **reason, const char **why) {
  const char *p = strstr(line, "timerlint: ignore");
  if (!p)
    return 0;
  p += strlen("timerlint: ignore");
  *whole = !strncmp(p, "-file", 5);
  p += *whole ? 5 : 0;
  if (*p != '[') {
    *why = "suppression without [rule-id]";
    return -1;
  }
  const char *close = strchr(p, ']');
  if (!close || (size_t)(close - p - 1) >= rn) {
    *why = "suppression with an unterminated [rule-id]";
    return -1;
  }
  memcpy(rules, p + 1, (size_t)(close - p - 1));
  rules[close - p - 1] = 0;
  const char *r = close + 1;
  while (*r == ' ' || *r == '\t')
    r++;
  *reason = r;
  if (!*r || *r == '\n' || !strncmp(r, "*/", 2)) {
    *why = "suppression without a reason";
    return -1;
  }
  return 1;
}

static bool rule_listed(const char *rules, const char *rule) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", rules);
  for (char *t = strtok(buf, ", "); t; t = strtok(NULL, ", "))
    if (!strcmp(t, rule))
      return true;
  return false;
}

static const char *unknown_rule(const char *rules, Arena *a) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", rules);
  for (char *t = strtok(buf, ", "); t; t = strtok(NULL, ", "))
    if (check_by_id(t) < 0)
      return arena_strdup(a, t);
  return NULL;
}

/* A file as the front end names the files of findings (cursor.c): its
 * real path relative to the working directory when below it. The TU's
 * dependency list has real paths: an invalid suppression named by one
 * printed and sorted apart from the findings of its own file. */
static const char *as_named(const char *file, Arena *a) {
  char cwd[PATH_MAX];
  return getcwd(cwd, sizeof cwd) ? path_relative(file, cwd, a) : file;
}

static const char *trim_reason(const char *r, Arena *a) {
  size_t n = strcspn(r, "\n");
  const char *end = strstr(r, "*/");
  if (end && (size_t)(end - r) < n)
    n = (size_t)(end - r);
  while (n && isspace((unsigned char)r[n - 1]))
    n--;
  return arena_strndup(a, r, n);
}

void cli_suppressions(FindingList *fl, const char *const *files, int nfiles,
                       Arena *a) {
  Array(Src) srcs = {0};
  for (int i = 0; i < nfiles; i++) {
    Src s;
    src_load(&s, files[i], a);
    array_push(&srcs, s);
  }
  for (int i = 0; i < fl->n; i++) {
    Finding *f = &fl->v[i];
    Src *s = NULL;
    for (int j = 0; j < srcs.n && !s; j++)
      if (f->loc.file && !strcmp(srcs.v[j].file, f->loc.file))
        s = &srcs.v[j];
    if (!s) {
      Src ns;
      src_load(&ns, f->loc.file ? f->loc.file : "", a);
      array_push(&srcs, ns);
      s = &srcs.v[srcs.n - 1];
    }
    for (int ln = f->loc.line; ln >= f->loc.line - 1 && ln >= 1; ln--) {
      if (ln > s->n)
        continue;
      char rules[256];
      const char *reason, *why;
      bool whole;
      if (parse_supp(s->lines[ln - 1], &whole, rules, sizeof rules, &reason,
                     &why) == 1 && !whole && rule_listed(rules, f->rule)) {
        f->suppressed = true;
        f->suppress_reason = trim_reason(reason, a);
        break;
      }
    }
    for (int k = 0; k < s->nwhole && !f->suppressed; k++)
      if (rule_listed(s->whole[k].rules, f->rule)) {
        f->suppressed = true;
        f->suppress_reason = s->whole[k].reason;
      }
  }
  /* Malformed suppressions in the TU's own files are findings themselves. */
  for (int i = 0; i < nfiles; i++) {
    const Src *s = &srcs.v[i];
    for (int ln = 1; ln <= s->n; ln++) {
      char rules[256];
      const char *reason, *why = NULL;
      bool whole;
      int rc = parse_supp(s->lines[ln - 1], &whole, rules, sizeof rules,
                          &reason, &why);
      const char *bad = rc == 1 ? unknown_rule(rules, a) : NULL;
      if (rc == 0 || (rc == 1 && !bad))
        continue;
      Finding g = {0};
      g.rule = check_info(CHK_INVALID_SUPPRESSION)->id;
      g.loc = (IrLoc){as_named(s->file, a), ln,
                      (int)(strstr(s->lines[ln - 1], "timerlint:") -
                            s->lines[ln - 1]) + 1};
      g.function = "";
      g.handle = "";
      g.api = "";
      g.message = bad ? arena_printf(a, "suppression names an unknown rule "
                                     "'%s' (see timerlint rules)", bad)
                      : arena_printf(a, "%s: say why the finding does not "
                                     "apply", why);
      g.notes = arena_alloc(a, sizeof(Note));
      array_push(fl, g);
    }
  }
  array_free(&srcs);
}
