/* infer.c: flags for a file scanned with no build database entry, no
 * neighbour's and no flags given (#13 item 3): the directories of the
 * repository that hold the headers it includes by name, found by name (not
 * every directory blindly), and the repository root. A header that is
 * beside the including file needs nothing; one the repository does not
 * have stays missing (the partial AST is still analysed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git.h"
#include "infer.h"

/* The names a source includes with quotes, and with angle brackets when
 * they hold a directory (<proj/util.h>: a project's, not the system's). */
static void included(const char *path, StrArray *out, Arena *a) {
  FILE *f = fopen(path, "r");
  if (!f)
    return;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    const char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p++ != '#')
      continue;
    while (*p == ' ' || *p == '\t')
      p++;
    if (strncmp(p, "include", 7))
      continue;
    p += 7;
    while (*p == ' ' || *p == '\t')
      p++;
    char close = *p == '"' ? '"' : *p == '<' ? '>' : 0;
    const char *end = close ? strchr(p + 1, close) : NULL;
    if (!end || end == p + 1)
      continue;
    const char *name = arena_strndup(a, p + 1, (size_t)(end - p - 1));
    if (close == '>' && !strchr(name, '/'))
      continue;
    array_push(out, name);
  }
  fclose(f);
}

static bool exists_in(const char *dir, const char *name) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", dir, name);
  return access(buf, R_OK) == 0;
}

/* The repository's files, tracked or new (not ignored), once per scan. */
static StrArray repo_files(const char *root, Arena *a) {
  StrArray files = {0};
  const char *args[] = {"ls-files", "--cached", "--others",
                        "--exclude-standard", NULL};
  char *out = cli_git_output(root, args);
  for (char *p = out, *nl; p && *p; p = nl + 1) {
    nl = strchr(p, '\n');
    if (!nl)
      nl = p + strlen(p);
    array_push(&files, arena_strndup(a, p, (size_t)(nl - p)));
    if (!*nl)
      break;
  }
  free(out);
  return files;
}

static size_t common(const char *x, const char *y) {
  size_t n = 0;
  while (x[n] && x[n] == y[n])
    n++;
  return n;
}

static void add_dir(StrArray *dirs, const char *d) {
  for (int i = 0; i < dirs->n; i++)
    if (!strcmp(dirs->v[i], d))
      return;
  array_push(dirs, d);
}

const char **cli_infer_flags(const char *file, const char *root, Arena *a,
                             InferCache *cache, int *nflags) {
  if (!cache->loaded) {
    cache->files = repo_files(root, a);
    cache->loaded = true;
  }
  char *abs = realpath(file, NULL);
  const char *self = arena_strdup(a, abs ? abs : file);
  free(abs);
  StrArray dirs = {0}, names = {0}, from = {0};
  /* The file, then the headers found for it (two levels: a project header
   * that includes another). */
  StrArray work = {0};
  array_push(&work, self);
  for (int w = 0; w < work.n && w < 3; w++) {
    const char *src = work.v[w];
    const char *sl = strrchr(src, '/');
    const char *here = sl ? arena_strndup(a, src, (size_t)(sl - src)) : ".";
    int first = names.n;
    included(src, &names, a);
    for (int i = first; i < names.n; i++) {
      const char *name = names.v[i];
      bool found = exists_in(here, name);
      for (int d = 0; d < dirs.n && !found; d++)
        found = exists_in(dirs.v[d], name);
      if (found)
        continue;
      /* The repository file whose path ends in /NAME, nearest the file. */
      const char *best = NULL;
      size_t best_common = 0, nl = strlen(name);
      for (int k = 0; k < cache->files.n; k++) {
        const char *p = cache->files.v[k];
        size_t pl = strlen(p);
        if (pl < nl || strcmp(p + pl - nl, name) ||
            (pl > nl && p[pl - nl - 1] != '/'))
          continue;
        const char *full = arena_printf(a, "%s/%s", root, p);
        size_t c = common(full, self);
        if (!best || c > best_common) {
          best = full;
          best_common = c;
        }
      }
      if (!best)
        continue;
      size_t bl = strlen(best);
      const char *dir = bl > nl + 1 ? arena_strndup(a, best, bl - nl - 1)
                                    : root;
      add_dir(&dirs, dir);
      array_push(&work, best);
    }
  }
  for (int d = 0; d < dirs.n; d++)
    array_push(&from, arena_printf(a, "-I%s", dirs.v[d]));
  array_push(&from, arena_printf(a, "-I%s", root));
  const char **argv = arena_alloc(a, (size_t)(from.n + 1) * sizeof *argv);
  for (int i = 0; i < from.n; i++)
    argv[i] = from.v[i];
  *nflags = from.n;
  array_free(&dirs);
  array_free(&names);
  array_free(&from);
  array_free(&work);
  return argv;
}
