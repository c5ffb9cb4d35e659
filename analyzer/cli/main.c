/* main.c: the command line. The only place that calls exit() and maps
 * outcomes to exit codes: 0 no findings, 1 findings, 2 usage or analysis
 * error (with findings from the other files still printed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../reports/report.h"
#include "../engine/checks.h"
#include "../engine/engine.h"
#include "../frontend/fe.h"
#include "../rules/rules.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif
#ifndef TIMERLINT_RULES_DIR
#define TIMERLINT_RULES_DIR "rules"
#endif

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

typedef struct {
  const char *cdb_dir;
  Array(const char *) rule_dirs;
  Array(const char *) files;
  const char **flags;
  int nflags;
  bool dump_ir, no_default_rules, quiet;
} Options;

static void usage(FILE *out) {
  fputs("usage: timerlint scan [-p BUILD_DIR] [--rules DIR]... [FILE...] "
        "[-- COMPILER_FLAGS...]\n"
        "       timerlint rules [--rules DIR]...\n"
        "       timerlint --version | --help\n"
        "\n"
        "scan options:\n"
        "  -p DIR             read DIR/compile_commands.json (all TUs, or the "
        "FILEs named)\n"
        "  --rules DIR|FILE   add API family files (repeatable)\n"
        "  --no-default-rules use only --rules\n"
        "  --dump-ir          print the lifecycle IR instead of findings\n"
        "  -q, --quiet        no progress or per-TU messages on stderr\n"
        "exit: 0 no findings, 1 findings, 2 usage or analysis error\n",
        out);
}

static int err(const char *fmt, const char *a, const char *b) {
  fputs("timerlint: error: ", stderr);
  fprintf(stderr, fmt, a, b ? b : "");
  fputc('\n', stderr);
  return EXIT_ERROR;
}

static int parse_args(int argc, char **argv, Options *o) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      o->flags = (const char **)argv + i + 1;
      o->nflags = argc - i - 1;
      return 0;
    }
    if (!strcmp(a, "-p") || !strcmp(a, "--rules")) {
      if (i + 1 >= argc)
        return err("option '%s' needs an argument%s", a, NULL);
      if (!strcmp(a, "-p"))
        o->cdb_dir = argv[++i];
      else
        array_push(&o->rule_dirs, argv[++i]);
    } else if (!strncmp(a, "-p", 2) && a[2]) {
      o->cdb_dir = a + 2;
    } else if (!strcmp(a, "--dump-ir")) {
      o->dump_ir = true;
    } else if (!strcmp(a, "--no-default-rules")) {
      o->no_default_rules = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      o->quiet = true;
    } else if (a[0] == '-' && a[1]) {
      return err("unknown option '%s' (see timerlint --help)%s", a, NULL);
    } else {
      array_push(&o->files, a);
    }
  }
  return 0;
}

static Rules *load_rules(const Options *o) {
  Rules *r = rules_new();
  char *msg = NULL;
  if (!o->no_default_rules &&
      rules_load_path(r, TIMERLINT_RULES_DIR, &msg) < 0)
    goto fail;
  for (int i = 0; i < o->rule_dirs.n; i++)
    if (rules_load_path(r, o->rule_dirs.v[i], &msg) < 0)
      goto fail;
  return r;
fail:
  err("%s%s", msg, NULL);
  free(msg);
  rules_free(r);
  return NULL;
}

/* A file we cannot or should not hand to libclang: say why. */
static const char *check_source(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0)
    return strerror(errno);
  if (S_ISDIR(st.st_mode))
    return "is a directory";
  if (st.st_size == 0)
    return "file is empty";
  FILE *f = fopen(path, "rb");
  if (!f)
    return strerror(errno);
  unsigned char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  if (memchr(buf, 0, n))
    return "not a text file (contains NUL bytes)";
  return NULL;
}

/* Analyses one TU; returns false on an analysis error (already reported). */
static bool scan_one(FeCtx *fe, const FeCommand *cmd, const Options *o,
                     FindingList *all, Arena *keep) {
  const char *why = check_source(cmd->file);
  if (why) {
    err("%s: %s", cmd->file, why);
    return false;
  }
  FeDiag d;
  IrUnit *u = fe_lower_tu(fe, cmd, keep, &d);
  bool ok = true;
  if (!u) {
    err("%s%s", d.fatal, NULL);
    fe_diag_clear(&d);
    return false;
  }
  if (d.nerrors) {
    fprintf(stderr, "timerlint: error: %s: %d error%s while parsing (first: "
            "%s); analysed the partial AST\n", cmd->file, d.nerrors,
            d.nerrors == 1 ? "" : "s", d.first_error ? d.first_error : "?");
    ok = false;
  }
  fe_diag_clear(&d);
  if (o->dump_ir)
    ir_dump_unit(stdout, u);
  else
    eng_analyze_unit(u, all);
  ir_unit_free(u);
  return ok;
}

static int cmd_scan(int argc, char **argv) {
  Options o = {0};
  int rc = parse_args(argc, argv, &o);
  if (rc)
    goto out_opts;
  if (!o.cdb_dir && o.files.n == 0) {
    rc = err("scan: no files given (name FILEs, or -p BUILD_DIR)%s", "", NULL);
    goto out_opts;
  }
  Rules *rules = load_rules(&o);
  if (!rules) {
    rc = EXIT_ERROR;
    goto out_opts;
  }
  /* Findings point into the arena: it lives until they are printed. */
  Arena *arena = arena_new();
  FeCommandList cmds = {0};
  bool errors = false;
  if (o.cdb_dir) {
    char *msg = NULL;
    if (fe_cdb_load(o.cdb_dir, o.files.v, o.files.n, arena, &cmds, &msg) < 0) {
      err("%s%s", msg, NULL);
      free(msg);
      errors = true;
    }
  } else {
    for (int i = 0; i < o.files.n; i++) {
      FeCommand c = {o.files.v[i], NULL, o.flags, o.nflags, false};
      array_push(&cmds, c);
    }
  }
  FeCtx *fe = fe_new(rules);
  FindingList all = {0};
  for (int i = 0; i < cmds.n; i++)
    if (!scan_one(fe, &cmds.v[i], &o, &all, arena))
      errors = true;
  findings_sort_unique(&all);
  if (!o.dump_ir)
    report_text(stdout, &all);
  if (!o.quiet)
    fprintf(stderr, "timerlint: %d translation unit%s, %d finding%s\n",
            cmds.n, cmds.n == 1 ? "" : "s", all.n, all.n == 1 ? "" : "s");
  rc = errors ? EXIT_ERROR : all.n ? EXIT_FINDINGS : EXIT_CLEAN;
  array_free(&all);
  array_free(&cmds);
  fe_free(fe);
  arena_free(arena);
  rules_free(rules);
out_opts:
  array_free(&o.rule_dirs);
  array_free(&o.files);
  return rc;
}

static int cmd_rules(int argc, char **argv) {
  Options o = {0};
  int rc = parse_args(argc, argv, &o);
  Rules *r = rc ? NULL : load_rules(&o);
  if (!r) {
    array_free(&o.rule_dirs);
    array_free(&o.files);
    return EXIT_ERROR;
  }
  printf("rules:\n");
  for (int c = 0; c < CHK__COUNT; c++)
    printf("  %-26s %s\n", check_info(c)->id, check_info(c)->summary);
  printf("\nfamilies:\n");
  for (int i = 0; i < rules_family_count(r); i++) {
    const RuleFamily *f = rules_family(r, i);
    printf("  %s (%s) from %s\n", f->name, f->kind, f->file);
    for (int j = f->first; j < f->first + f->count; j++) {
      const RuleFn *fn = rules_fn(r, j);
      printf("    %-30s %s\n", fn->name, rules_role_name(fn->role));
    }
  }
  rules_free(r);
  array_free(&o.rule_dirs);
  array_free(&o.files);
  return EXIT_CLEAN;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_ERROR;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version")) {
    printf("timerlint %s\n", TIMERLINT_VERSION);
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    usage(stdout);
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "scan"))
    return cmd_scan(argc - 2, argv + 2);
  if (!strcmp(cmd, "rules"))
    return cmd_rules(argc - 2, argv + 2);
  fprintf(stderr, "timerlint: error: unknown command '%s' (see timerlint "
          "--help)\n", cmd);
  return EXIT_ERROR;
}
