/* infer.c: flags for a file scanned with no build database entry, no
 * neighbour's and no flags given (#13 item 3): the directories of the
 * repository that hold the headers it includes by name, found by name (not
 * every directory blindly); pkg-config's flags for the families whose
 * headers it includes (a family's `headers:` and `pkg-config:`); an empty
 * stand-in for a header the build generates (config.h, or NAME where the
 * repository has a NAME.in template) that does not exist; and the
 * repository root. A header that is beside the including file needs
 * nothing; one nobody has stays missing (the partial AST is still
 * analysed). Each flag comes with why, for --print-flags. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "git.h"
#include "infer.h"

/* The names a source includes with quotes, and with angle brackets when
 * they hold a directory (<proj/util.h>: a project's, not the system's),
 * into `out`; every name in angle brackets into `angled`. */
static void included(const char *path, StrArray *out, StrArray *angled,
                     Arena *a) {
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
    if (close == '>')
      array_push(angled, name);
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

static bool has(const StrArray *l, const char *s) {
  for (int i = 0; i < l->n; i++)
    if (!strcmp(l->v[i], s))
      return true;
  return false;
}

/* The repository file whose path ends in /NAME (or is NAME), nearest
 * `self`; NULL when none. */
static const char *repo_file(const InferCache *c, const char *root,
                             const char *name, const char *self, Arena *a) {
  const char *best = NULL;
  size_t best_common = 0, nl = strlen(name);
  for (int k = 0; k < c->files.n; k++) {
    const char *p = c->files.v[k];
    size_t pl = strlen(p);
    if (pl < nl || strcmp(p + pl - nl, name) ||
        (pl > nl && p[pl - nl - 1] != '/'))
      continue;
    const char *full = arena_printf(a, "%s/%s", root, p);
    size_t cm = common(full, self);
    if (!best || cm > best_common) {
      best = full;
      best_common = cm;
    }
  }
  return best;
}

/* The template a build makes NAME from, if the repository has one. */
static const char *template_of(const InferCache *c, const char *root,
                               const char *name, const char *self, Arena *a) {
  static const char *const ext[] = {".in", ".cmake", ".cmake.in", ".meson"};
  for (size_t e = 0; e < sizeof ext / sizeof *ext; e++) {
    const char *t = repo_file(c, root, arena_printf(a, "%s%s", name, ext[e]),
                              self, a);
    if (t)
      return t;
  }
  return NULL;
}

/* An empty file NAME under the per-user directory of stand-ins (made once,
 * the same path on every scan so that a reused result's key holds);
 * that directory, or NULL when it cannot be made. */
static const char *empty_header(const char *name, Arena *a) {
  const char *base = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  const char *dir =
      base && *base ? arena_printf(a, "%s/timerlint/empty", base)
      : home && *home ? arena_printf(a, "%s/.cache/timerlint/empty", home)
                      : arena_printf(a, "/tmp/timerlint-%d/empty", (int)getuid());
  char *path = arena_printf(a, "%s/%s", dir, name);
  for (char *p = path + 1; *p; p++) /* mkdir -p of its directories */
    if (*p == '/') {
      *p = 0;
      if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return NULL;
      *p = '/';
    }
  if (access(path, R_OK) != 0) {
    FILE *f = fopen(path, "w");
    if (!f)
      return NULL;
    fclose(f);
  }
  return dir;
}

/* pkg-config --cflags of the first of a family's modules pkg-config knows
 * (each asked once per scan); the module in *which, or NULL. */
static const char *pkg_cflags(InferCache *c, const RuleFamily *f,
                              const char **which, Arena *a) {
  for (int m = 0; m < f->npkg; m++) {
    const char *mod = f->pkg[m];
    int at = -1;
    for (int i = 0; i < c->pkg_names.n && at < 0; i++)
      if (!strcmp(c->pkg_names.v[i], mod))
        at = i;
    if (at < 0) {
      const char *argv[] = {"pkg-config", "--cflags", mod, NULL};
      char *out = cli_run_output(argv);
      array_push(&c->pkg_names, mod);
      array_push(&c->pkg_flags, out ? arena_strdup(a, out) : NULL);
      free(out);
      at = c->pkg_names.n - 1;
    }
    if (c->pkg_flags.v[at]) {
      *which = mod;
      return c->pkg_flags.v[at];
    }
  }
  return NULL;
}

/* A family header entry matches an include: the same name, or a directory
 * ("event2/") the include is under. */
static bool header_matches(const char *entry, const char *name) {
  size_t el = strlen(entry);
  return el && entry[el - 1] == '/' ? !strncmp(entry, name, el)
                                    : !strcmp(entry, name);
}

static void add_flag(StrArray *flags, StrArray *why, const char *flag,
                     const char *reason) {
  if (has(flags, flag))
    return;
  array_push(flags, flag);
  if (why)
    array_push(why, reason);
}

const char **cli_infer_flags(const char *file, const char *root, Arena *a,
                             InferCache *cache, int *nflags, StrArray *why) {
  if (!cache->loaded) {
    cache->files = repo_files(root, a);
    cache->loaded = true;
  }
  char *abs = realpath(file, NULL);
  const char *self = arena_strdup(a, abs ? abs : file);
  free(abs);
  StrArray dirs = {0}, names = {0}, angled = {0}, flags = {0}, work = {0};
  StrArray dir_why = {0};
  const char *stubs = NULL, *stub_why = NULL;
  /* The file, then the headers found for it (two levels: a project header
   * that includes another). */
  array_push(&work, self);
  for (int w = 0; w < work.n && w < 3; w++) {
    const char *src = work.v[w];
    const char *sl = strrchr(src, '/');
    const char *here = sl ? arena_strndup(a, src, (size_t)(sl - src)) : ".";
    int first = names.n;
    included(src, &names, &angled, a);
    for (int i = first; i < names.n; i++) {
      const char *name = names.v[i];
      bool found = exists_in(here, name);
      for (int d = 0; d < dirs.n && !found; d++)
        found = exists_in(dirs.v[d], name);
      if (found)
        continue;
      const char *best = repo_file(cache, root, name, self, a);
      if (!best) {
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        const char *tmpl = template_of(cache, root, name, self, a);
        if ((tmpl || !strcmp(base, "config.h")) &&
            (stubs = empty_header(name, a)) != NULL)
          stub_why = arena_printf(
              a, "%s%s%s: empty, the build generates it%s%s%s", stub_why ? stub_why : "",
              stub_why ? "; " : "", name, tmpl ? " (from " : "",
              tmpl ? path_relative(tmpl, root, a) : "", tmpl ? ")" : "");
        continue;
      }
      size_t bl = strlen(best), nl = strlen(name);
      const char *dir = bl > nl + 1 ? arena_strndup(a, best, bl - nl - 1)
                                    : root;
      if (!has(&dirs, dir)) {
        array_push(&dirs, dir);
        array_push(&dir_why, arena_printf(a, "holds %s, included by %s", name,
                                          path_relative(src, root, a)));
      }
      array_push(&work, best);
    }
  }
  for (int d = 0; d < dirs.n; d++)
    add_flag(&flags, why, arena_printf(a, "-I%s", dirs.v[d]), dir_why.v[d]);
  int nfam = cache->rules ? rules_family_count(cache->rules) : 0;
  for (int f = 0; f < nfam; f++) {
    const RuleFamily *fam = rules_family(cache->rules, f);
    const char *hit = NULL;
    for (int i = 0; i < angled.n && !hit; i++)
      for (int h = 0; h < fam->nheaders && !hit; h++)
        if (header_matches(fam->headers[h], angled.v[i]))
          hit = angled.v[i];
    const char *mod = NULL, *cf = hit ? pkg_cflags(cache, fam, &mod, a) : NULL;
    if (!cf)
      continue;
    const char *reason = arena_printf(a, "pkg-config --cflags %s, for <%s> "
                                      "(family %s)", mod, hit, fam->name);
    char *copy = arena_strdup(a, cf);
    for (char *t = strtok(copy, " \t\n"); t; t = strtok(NULL, " \t\n"))
      add_flag(&flags, why, t, reason);
  }
  add_flag(&flags, why, arena_printf(a, "-I%s", root), "the repository root");
  if (stubs)
    add_flag(&flags, why, arena_printf(a, "-I%s", stubs), stub_why);
  const char **argv = arena_alloc(a, (size_t)(flags.n + 1) * sizeof *argv);
  for (int i = 0; i < flags.n; i++)
    argv[i] = flags.v[i];
  *nflags = flags.n;
  array_free(&dirs);
  array_free(&dir_why);
  array_free(&names);
  array_free(&angled);
  array_free(&flags);
  array_free(&work);
  return argv;
}

void cli_infer_done(InferCache *cache) {
  array_free(&cache->files);
  array_free(&cache->pkg_names);
  array_free(&cache->pkg_flags);
}
