/* changed.c: git diff -U0, parsed. Run without a shell. */
#include "changed.h"
#include "git.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_ext(const char *p, const char *const *exts) {
  const char *dot = strrchr(p, '.');
  for (; dot && *exts; exts++)
    if (!strcmp(dot, *exts))
      return true;
  return false;
}

bool changed_is_source(const char *p) {
  static const char *const e[] = {".c", ".cc", ".cpp", ".cxx", ".C", NULL};
  return has_ext(p, e);
}

bool changed_is_header(const char *p) {
  static const char *const e[] = {".h", ".hh", ".hpp", ".hxx", NULL};
  return has_ext(p, e);
}

static void parse_diff(Arena *a, const char *root, const char *text,
                       ChangedSet *out) {
  ChangedFile *cur = NULL;
  Array(int) r = {0};
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    if (!strncmp(line, "+++ ", 4)) {
      if (cur) {
        cur->n = r.n / 2;
        cur->ranges = arena_alloc(a, (size_t)(r.n ? r.n : 1) * sizeof(int));
        memcpy(cur->ranges, r.v, (size_t)r.n * sizeof(int));
      }
      r.n = 0;
      cur = NULL;
      if (len > 6 && !strncmp(line + 4, "b/", 2)) {
        char *rel = arena_strndup(a, line + 6, len - 6);
        char *full = arena_printf(a, "%s/%s", root, rel);
        char *real = realpath(full, NULL);
        ChangedFile f = {arena_strdup(a, real ? real : full), NULL, 0};
        free(real);
        array_push(out, f);
        cur = &out->v[out->n - 1];
      }
    } else if (cur && !strncmp(line, "@@ ", 3)) {
      const char *plus = strchr(line, '+');
      if (plus) {
        char *end;
        long start = strtol(plus + 1, &end, 10), count = 1;
        if (*end == ',')
          count = strtol(end + 1, &end, 10);
        /* A pure deletion changes the code around its position. */
        int lo = (int)start, hi = (int)(count > 0 ? start + count - 1 : start);
        array_push(&r, lo);
        array_push(&r, hi);
      }
    }
    line += len + (nl ? 1 : 0);
  }
  if (cur) {
    cur->n = r.n / 2;
    cur->ranges = arena_alloc(a, (size_t)(r.n ? r.n : 1) * sizeof(int));
    memcpy(cur->ranges, r.v, (size_t)r.n * sizeof(int));
  }
  array_free(&r);
}

int changed_collect(Arena *a, const char *root, const char *ref,
                    ChangedSet *out, char **err) {
  const char *base[] = {"diff", "--no-color", "--no-ext-diff", "-U0",
                        "--diff-filter=ACMR", NULL, NULL};
  base[5] = ref ? ref : "--cached";
  char *text = cli_git_output(root, base);
  if (text && !ref && !strstr(text, "+++ ")) {
    free(text);
    base[5] = "HEAD"; /* nothing staged: what changed since the last commit */
    text = cli_git_output(root, base);
  }
  if (!text) {
    size_t n = 200 + (ref ? strlen(ref) : 0);
    *err = xmalloc(n);
    snprintf(*err, n, "--changed: git diff %s failed (not a git checkout, or "
             "an unknown ref)", ref ? ref : "--cached");
    return -1;
  }
  parse_diff(a, root, text, out);
  free(text);
  return 0;
}

bool changed_covers(const ChangedSet *cs, const Finding *f) {
  if (!f->loc.file)
    return false;
  char *real = realpath(f->loc.file, NULL);
  const char *p = real ? real : f->loc.file;
  bool hit = false;
  for (int i = 0; i < cs->n && !hit; i++) {
    if (strcmp(cs->v[i].path, p))
      continue;
    for (int k = 0; k < cs->v[i].n && !hit; k++)
      hit = cs->v[i].ranges[k][0] <= f->fn_end &&
            cs->v[i].ranges[k][1] >= f->fn_start;
  }
  free(real);
  return hit;
}
