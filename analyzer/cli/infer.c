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
                     bool *config_guard, Arena *a) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return; /* a FIFO would block the open; scan says what it is */
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
    if (!strncmp(p, "if", 2) && strstr(p, "HAVE_CONFIG_H"))
      *config_guard = true;
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

/* The directories where a system header may be: the system's, and
 * clang's and gcc's own (stdbool.h, stddef.h). */
static bool system_has(const char *hdr) {
  static const char *const dirs[] = {
      "/usr/include", "/usr/local/include", "/usr/include/x86_64-linux-gnu",
      "/usr/include/aarch64-linux-gnu", "/usr/lib/llvm-19/lib/clang/19/include",
      NULL};
  for (int i = 0; dirs[i]; i++)
    if (exists_in(dirs[i], hdr))
      return true;
  return false;
}

/* HAVE_SYS_TYPES_H: is there a sys/types.h, sys_types.h, ...? Each
 * underscore is a '/' or itself; the last word is the extension. */
static bool have_header(const char *macro, Arena *a) {
  size_t ml = strlen(macro);
  if (strncmp(macro, "HAVE_", 5) || ml < 8 || strcmp(macro + ml - 2, "_H"))
    return false;
  char *stem = arena_strndup(a, macro + 5, ml - 7);
  int nu = 0;
  for (char *p = stem; *p; p++) {
    *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    nu += *p == '_';
  }
  if (nu > 4)
    return false;
  for (unsigned m = 0; m < (1u << nu); m++) {
    char *c = arena_printf(a, "%s.h", stem);
    int k = 0;
    for (char *p = c; *p; p++)
      if (*p == '_' && (m >> k++ & 1u) == 0)
        *p = '/';
    if (system_has(c))
      return true;
  }
  return false;
}

/* A stand-in for a generated header nobody has: its autoconf or CMake
 * template as written (the code around the switches is the header's own:
 * memcached's config.h.in includes <stdbool.h> under HAVE_STDBOOL_H), each
 * HAVE_X_H switch this system's headers answer defined to 1 and every
 * other switch left off (a function check or an option cannot be told
 * from here); with no template, empty. Written once under a per-user
 * directory named for its content, so that the same path comes back on
 * every scan (a reused result's key holds); that directory, or NULL.
 * *said: what it holds. */
static const char *stand_in(const char *name, const char *tmpl,
                            const char *shown, const char **said, Arena *a) {
  StrBuf body = {0};
  sb_puts(&body, "");
  int defined = 0, asked = 0;
  FILE *t = tmpl ? fopen(tmpl, "r") : NULL;
  char line[4096];
  while (t && fgets(line, sizeof line, t)) {
    char macro[256];
    bool undef = sscanf(line, " #undef %255s", macro) == 1;
    bool cm01 = !undef && sscanf(line, " #cmakedefine01 %255s", macro) == 1;
    bool cm = !undef && !cm01 && sscanf(line, " #cmakedefine %255s", macro) == 1;
    if (!undef && !cm && !cm01) {
      sb_puts(&body, line);
      continue;
    }
    size_t ml = strlen(macro);
    bool hdr = !strncmp(macro, "HAVE_", 5) && ml > 2 &&
               !strcmp(macro + ml - 2, "_H");
    asked += hdr;
    bool on = hdr && have_header(macro, a);
    defined += on;
    if (on)
      sb_printf(&body, "#define %s 1\n", macro);
    else if (cm01)
      sb_printf(&body, "#define %s 0\n", macro);
    else
      sb_printf(&body, "/* #undef %s */\n", macro);
  }
  if (t)
    fclose(t);
  uint64_t h = hash_str(HASH_SEED, body.s);
  const char *top = cli_generated_top(a);
  const char *dir = arena_printf(a, "%s/generated/%016llx", top,
                                 (unsigned long long)h);
  bool ok = cli_write_once(arena_printf(a, "%s/%s", dir, name), body.s, a);
  *said = tmpl ? arena_printf(a, "the build generates it from %s; stands in "
                              "with %d of its %d HAVE_*_H defined (the "
                              "headers this system has)",
                              shown, defined, asked)
               : "the build generates it; stands in empty";
  sb_free(&body);
  return ok ? dir : NULL;
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

static void add_flag(StrArray *flags, StrArray *why, const char *flag,
                     const char *reason) {
  if (has(flags, flag))
    return;
  array_push(flags, flag);
  if (why)
    array_push(why, reason);
}

/* What the includes of a file, and of the project headers they lead to,
 * say (two levels deep, at most 64 files). */
typedef struct {
  StrArray dirs, dir_why, names, angled;
  const char *stubs, *stub_why, *config;
  bool config_guard;
} Walk;

static void walk(const char *file, const char *root, Arena *a,
                 InferCache *cache, Walk *wk) {
  if (!cache->loaded) {
    cache->files = repo_files(root, a);
    cache->loaded = true;
  }
  char *abs = realpath(file, NULL);
  const char *self = arena_strdup(a, abs ? abs : file);
  free(abs);
  StrArray work = {0};
  Array(int) depth = {0};
  StrArray stubbed = {0};
  array_push(&work, self);
  array_push(&depth, 0);
  for (int w = 0; w < work.n && w < 64; w++) {
    const char *src = work.v[w];
    const char *sl = strrchr(src, '/');
    const char *here = sl ? arena_strndup(a, src, (size_t)(sl - src)) : ".";
    int first = wk->names.n;
    included(src, &wk->names, &wk->angled, &wk->config_guard, a);
    for (int i = first; i < wk->names.n; i++) {
      const char *name = wk->names.v[i];
      const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
      if (!strcmp(base, "config.h"))
        wk->config = name;
      const char *path = exists_in(here, name)
                             ? arena_printf(a, "%s/%s", here, name) : NULL;
      for (int d = 0; d < wk->dirs.n && !path; d++)
        if (exists_in(wk->dirs.v[d], name))
          path = arena_printf(a, "%s/%s", wk->dirs.v[d], name);
      if (!path) {
        const char *best = repo_file(cache, root, name, self, a);
        if (!best) {
          const char *tmpl = template_of(cache, root, name, self, a);
          const char *said = NULL, *dir = NULL;
          if ((tmpl || !strcmp(base, "config.h")) && !has(&stubbed, name) &&
              (dir = stand_in(name, tmpl,
                              tmpl ? path_relative(tmpl, root, a) : NULL,
                              &said, a)) != NULL) {
            wk->stubs = dir;
            array_push(&stubbed, name);
            wk->stub_why = arena_printf(
                a, "%s%s%s: %s", wk->stub_why ? wk->stub_why : "",
                wk->stub_why ? "; " : "", name, said);
          }
          continue;
        }
        size_t bl = strlen(best), nl = strlen(name);
        const char *dir = bl > nl + 1 ? arena_strndup(a, best, bl - nl - 1)
                                      : root;
        if (!has(&wk->dirs, dir)) {
          array_push(&wk->dirs, dir);
          array_push(&wk->dir_why, arena_printf(a, "holds %s, included by %s",
                                            name, path_relative(src, root, a)));
        }
        path = best;
      }
      if (depth.v[w] < 2 && !has(&work, path)) {
        array_push(&work, path);
        array_push(&depth, depth.v[w] + 1);
      }
    }
  }
  array_free(&depth);
  array_free(&stubbed);
  array_free(&work);
}

static void walk_free(Walk *wk) {
  array_free(&wk->dirs);
  array_free(&wk->dir_why);
  array_free(&wk->names);
  array_free(&wk->angled);
}

/* The -idirafter of the stand-ins for the family headers a walk met, or
 * NULL; *why. */
static const char *stand_ins(InferCache *cache, const Walk *wk,
                             Arena *a, const char **why) {
  if (!cache->rules)
    return NULL;
  StrArray all = {0};
  for (int i = 0; i < wk->names.n; i++)
    array_push(&all, wk->names.v[i]);
  for (int i = 0; i < wk->angled.n; i++)
    array_push(&all, wk->angled.v[i]);
  const char *dir = cli_stand_in_dir(cache->rules, &all, &cache->stand_ins, a,
                                     why);
  array_free(&all);
  return dir ? arena_printf(a, "-idirafter%s", dir) : NULL;
}

const char *cli_infer_stand_in(const char *file, const char *root, Arena *a,
                               InferCache *cache, const char **why) {
  Walk wk = {0};
  walk(file, root, a, cache, &wk);
  const char *flag = stand_ins(cache, &wk, a, why);
  walk_free(&wk);
  return flag;
}

const char **cli_infer_flags(const char *file, const char *root, Arena *a,
                             InferCache *cache, int *nflags, StrArray *why) {
  Walk wk = {0};
  walk(file, root, a, cache, &wk);
  StrArray flags = {0};
  for (int d = 0; d < wk.dirs.n; d++)
    add_flag(&flags, why, arena_printf(a, "-I%s", wk.dirs.v[d]), wk.dir_why.v[d]);
  int nfam = cache->rules ? rules_family_count(cache->rules) : 0;
  for (int f = 0; f < nfam; f++) {
    const RuleFamily *fam = rules_family(cache->rules, f);
    const char *hit = NULL;
    for (int i = 0; i < wk.angled.n && !hit; i++)
      if (rules_family_includes(fam, wk.angled.v[i]))
        hit = wk.angled.v[i];
    const char *mod = NULL, *cf = hit ? pkg_cflags(cache, fam, &mod, a) : NULL;
    if (!cf)
      continue;
    const char *reason = arena_printf(a, "pkg-config --cflags %s, for <%s> "
                                      "(family %s)", mod, hit, fam->name);
    char *copy = arena_strdup(a, cf);
    for (char *t = strtok(copy, " \t\n"); t; t = strtok(NULL, " \t\n"))
      add_flag(&flags, why, t, reason);
  }
  if (wk.config && wk.config_guard)
    add_flag(&flags, why, "-DHAVE_CONFIG_H",
             arena_printf(a, "%s is included under HAVE_CONFIG_H, which an "
                          "autotools build defines", wk.config));
  add_flag(&flags, why, arena_printf(a, "-I%s", root), "the repository root");
  if (wk.stubs)
    add_flag(&flags, why, arena_printf(a, "-I%s", wk.stubs), wk.stub_why);
  const char *sw = NULL, *si = stand_ins(cache, &wk, a, &sw);
  if (si)
    add_flag(&flags, why, si, sw);
  const char **argv = arena_alloc(a, (size_t)(flags.n + 1) * sizeof *argv);
  for (int i = 0; i < flags.n; i++)
    argv[i] = flags.v[i];
  *nflags = flags.n;
  walk_free(&wk);
  array_free(&flags);
  return argv;
}

void cli_infer_done(InferCache *cache) {
  array_free(&cache->files);
  array_free(&cache->pkg_names);
  array_free(&cache->pkg_flags);
  cli_stand_in_done(&cache->stand_ins);
}
