/* config_find.c: which .timerlint.yaml applies to a file (#14), as
 * clang-tidy finds .clang-tidy: the nearest one walking up from the file's
 * directory, stopping at the repository root (a directory holding .git) or
 * the filesystem root. A file with none above it takes the current
 * directory's (what every file took before). `--config FILE` names one for
 * every file and nothing is looked for. Each file is read once; each
 * directory is walked once (the answer is kept for every directory the
 * walk passed). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
  uint64_t hash;
  const char *dir;
  CliConfig *cfg; /* NULL: none up to the stop */
} DirAnswer;

struct CliConfigs {
  Arena *a;
  CliConfig *fixed; /* --config */
  CliConfig *run;   /* the current directory's */
  Array(CliConfig *) all;
  Array(DirAnswer) dirs;
  RealPaths *real; /* each file's directory resolved once */
  bool failed;
};

/* The config file at `path`, read once; NULL (and failed) when malformed. */
static CliConfig *load(CliConfigs *cs, const char *path) {
  for (int i = 0; i < cs->all.n; i++)
    if (!strcmp(cs->all.v[i]->path, path))
      return cs->all.v[i];
  CliConfig *c = arena_alloc(cs->a, sizeof *c);
  int rc = cli_config_read(c, path, cs->a);
  array_push(&cs->all, c); /* kept even when bad: said once, freed once */
  if (rc) {
    cs->failed = true;
    c->bad = true;
  }
  return c;
}

static bool is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static DirAnswer *answer(CliConfigs *cs, const char *dir, uint64_t h) {
  for (int i = cs->dirs.n - 1; i >= 0; i--)
    if (cs->dirs.v[i].hash == h && !strcmp(cs->dirs.v[i].dir, dir))
      return &cs->dirs.v[i];
  return NULL;
}

/* The nearest config at or above the real directory `dir`. */
static CliConfig *walk(CliConfigs *cs, const char *dir) {
  char d[PATH_MAX];
  snprintf(d, sizeof d, "%s", dir);
  Array(const char *) passed = {0};
  CliConfig *found = NULL;
  for (;;) {
    uint64_t h = hash_str(HASH_SEED, d);
    DirAnswer *known = answer(cs, d, h);
    if (known) {
      found = known->cfg;
      break;
    }
    array_push(&passed, arena_strdup(cs->a, d));
    const char *cand = arena_printf(cs->a, "%s/.timerlint.yaml",
                                    strcmp(d, "/") ? d : "");
    if (is_file(cand)) {
      found = load(cs, cand);
      break;
    }
    char *sl = strrchr(d, '/');
    if (!strcmp(d, "/") || !sl ||
        access(arena_printf(cs->a, "%s/.git", d), F_OK) == 0)
      break; /* the repository root, or the filesystem's */
    sl[sl == d] = 0; /* "/a" -> "/" */
  }
  for (int i = 0; i < passed.n; i++) {
    DirAnswer x = {hash_str(HASH_SEED, passed.v[i]), passed.v[i], found};
    array_push(&cs->dirs, x);
  }
  array_free(&passed);
  return found;
}

CliConfigs *cli_configs_new(const Options *o, Arena *a) {
  CliConfigs *cs = arena_alloc(a, sizeof *cs);
  cs->a = a;
  cs->real = realpaths_new();
  if (o->config_file) {
    cs->fixed = load(cs, o->config_file);
  } else {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd))
      cs->run = walk(cs, cwd);
  }
  if (cs->failed) {
    cli_configs_free(cs);
    return NULL;
  }
  return cs;
}

void cli_configs_free(CliConfigs *cs) {
  if (!cs)
    return;
  for (int i = 0; i < cs->all.n; i++)
    cli_config_free(cs->all.v[i]);
  array_free(&cs->all);
  array_free(&cs->dirs);
  realpaths_free(cs->real);
  cs->real = NULL;
}

bool cli_configs_failed(const CliConfigs *cs) { return cs && cs->failed; }

const CliConfig *cli_config_run(const CliConfigs *cs) {
  const CliConfig *c = cs ? (cs->fixed ? cs->fixed : cs->run) : NULL;
  return c && !c->bad ? c : NULL;
}

const CliConfig *cli_config_for(CliConfigs *cs, const char *file) {
  if (!cs || cs->fixed || !file)
    return cli_config_run(cs);
  char *real = realpaths_get(cs->real, file);
  char dir[PATH_MAX];
  if (real) {
    snprintf(dir, sizeof dir, "%s", real);
    char *sl = strrchr(dir, '/');
    if (sl)
      sl[sl == dir] = 0;
  } else {
    /* A file that is not there (yet): its directory may be. */
    const char *sl = strrchr(file, '/');
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%.*s", sl ? (int)(sl - file) : 1,
             sl ? (sl == file ? "/" : file) : ".");
    char *rd = realpath(parent, NULL);
    snprintf(dir, sizeof dir, "%s", rd ? rd : "");
    free(rd);
  }
  free(real);
  CliConfig *c = *dir ? walk(cs, dir) : NULL;
  if (!c)
    return cli_config_run(cs);
  return c->bad ? NULL : c;
}

int cli_configs_count(const CliConfigs *cs) { return cs ? cs->all.n : 0; }

const CliConfig *cli_configs_at(const CliConfigs *cs, int i) {
  return cs->all.v[i]->bad ? NULL : cs->all.v[i];
}
