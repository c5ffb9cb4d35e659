/* tu_setup.c: what the configs say about each TU of a scan, before any is
 * analysed: whether it is excluded (--exclude, relative to the root, and
 * its config's exclude:, relative to that config), the families its
 * config adds (rules: serve the whole run: families are global), and the
 * flags of a file no compile database lists (`--`, its config's flags:,
 * else inferred from its includes). */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "infer.h"
#include "tu_setup.h"

int cli_config_rules(const CliConfigs *cs, Rules *rules, StrArray *loaded,
                     Arena *a) {
  for (int i = 0; i < cli_configs_count(cs); i++) {
    const CliConfig *c = cli_configs_at(cs, i);
    for (int k = 0; c && k < c->rules.n; k++) {
      char *real = realpath(c->rules.v[k], NULL);
      const char *dir = arena_strdup(a, real ? real : c->rules.v[k]);
      free(real);
      bool seen = false;
      for (int j = 0; j < loaded->n && !seen; j++)
        seen = !strcmp(loaded->v[j], dir);
      if (seen)
        continue;
      array_push(loaded, dir);
      char *msg = NULL;
      if (rules_load_path(rules, dir, &msg) < 0) {
        cli_error("%s", msg);
        free(msg);
        return EXIT_ERROR;
      }
    }
  }
  return 0;
}

static bool matches(const StrArray *globs, const char *file, const char *base,
                    Arena *a) {
  if (!globs->n)
    return false;
  const char *rel = path_relative(file, base, a);
  for (int k = 0; k < globs->n; k++)
    if (fnmatch(globs->v[k], rel, 0) == 0)
      return true;
  return false;
}

static void infer(FeCommand *c, const char *root, Arena *a, InferCache *ic,
                  bool why_too) {
  StrArray why = {0};
  c->argv = cli_infer_flags(c->file, root, a, ic, &c->argc,
                            why_too ? &why : NULL);
  c->origin = "inferred (no build database lists it or a neighbour in its "
              "directory, and no flags given)";
  if (why_too) {
    const char **w = arena_alloc(a, (size_t)(why.n + 1) * sizeof *w);
    for (int k = 0; k < why.n; k++)
      w[k] = why.v[k];
    c->why = w;
  }
  array_free(&why);
}

/* Flags given by hand say where the project's headers are, not that a
 * family's header missing here is meant to be: the stand-ins for those go
 * after them (searched last, they shadow nothing). A compile database's
 * command is the build's own and gets none. */
static void given_stand_in(FeCommand *c, const char *root, Arena *a,
                           InferCache *ic, bool why_too) {
  const char *why = NULL;
  const char *flag = cli_infer_stand_in(c->file, root, a, ic, &why);
  if (!flag)
    return;
  const char **argv = arena_alloc(a, (size_t)(c->argc + 2) * sizeof *argv);
  for (int k = 0; k < c->argc; k++)
    argv[k] = c->argv[k];
  argv[c->argc] = flag;
  argv[c->argc + 1] = NULL;
  if (why_too) {
    const char **w = arena_alloc(a, (size_t)(c->argc + 2) * sizeof *w);
    for (int k = 0; k < c->argc; k++)
      w[k] = c->why ? c->why[k] : NULL;
    w[c->argc] = why;
    w[c->argc + 1] = NULL;
    c->why = w;
  }
  c->argv = argv;
  c->argc++;
}

int cli_tu_setup(Options *o, Rules *rules, StrArray *loaded,
                 FeCommandList *cmds, const char *root, Arena *a) {
  const CliConfig **cfg = arena_alloc(a, (size_t)(cmds->n + 1) * sizeof *cfg);
  for (int i = 0; i < cmds->n; i++)
    cfg[i] = cli_config_for(o->configs, cmds->v[i].file);
  if (cli_configs_failed(o->configs))
    return EXIT_ERROR;
  /* Excluded TUs go before anything is inferred for them. */
  int keep = 0;
  for (int i = 0; i < cmds->n; i++) {
    const FeCommand *c = &cmds->v[i];
    if (matches(&o->exclude, c->file, root, a) ||
        (cfg[i] && matches(&cfg[i]->exclude, c->file, cfg[i]->real_dir, a)))
      continue;
    cfg[keep] = cfg[i];
    cmds->v[keep++] = *c;
  }
  cmds->n = keep;
  if (cli_config_rules(o->configs, rules, loaded, a))
    return EXIT_ERROR;
  InferCache ic = {.rules = rules};
  for (int i = 0; i < cmds->n; i++) {
    FeCommand *c = &cmds->v[i];
    if (c->full_argv || c->argv)
      continue; /* the compile database's entry or a neighbour's */
    if (o->flags_given) {
      c->argv = o->flags;
      c->argc = o->nflags;
      c->origin = "the flags after --";
      given_stand_in(c, root, a, &ic, o->print_flags);
    } else if (cfg[i] && cfg[i]->has_flags) {
      c->argv = cfg[i]->flags;
      c->argc = cfg[i]->nflags;
      c->origin = arena_printf(a, "flags: in %s",
                               path_relative(cfg[i]->path, root, a));
      given_stand_in(c, root, a, &ic, o->print_flags);
    } else {
      infer(c, root, a, &ic, o->print_flags);
    }
  }
  cli_infer_done(&ic);
  return 0;
}
