/* main.c: the command line. The only place that calls exit() (by returning
 * from main) and maps outcomes to exit codes: 0 no findings, 1 findings at
 * or above --fail-on, 2 usage or analysis error (findings from the other
 * files are still printed). */
#include <stdarg.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../engine/checks.h"
#include "cli.h"
#include "standin.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif
#ifndef TIMERLINT_RULES_DIR
#define TIMERLINT_RULES_DIR "rules"
#endif

static void usage(FILE *out) {
  fputs(
      "usage: timerlint scan [options] [FILE...] [-- COMPILER_FLAGS...]\n"
      "       timerlint runs [--db PATH] [--format text|json]\n"
      "       timerlint db check|rebuild [--db PATH]   (a damaged store)\n"
      "       timerlint diff [BASE] [HEAD] [--db PATH] [--format text|json]\n"
      "       timerlint findings [--run R] [--rule ID] [--file GLOB] [--db PATH]\n"
      "                          [--format text|json]\n"
      "       timerlint merge OUT.db SHARD.db...\n"
      "       timerlint report [--run R] --output DIR [--db PATH]\n"
      "       timerlint rules [--rules DIR]...\n"
      "       timerlint lsp [--rules DIR]... [--no-default-rules]   (editors)\n"
      "       timerlint --version | --help | help CMD   (CMD --help: its options)\n"
      "\n"
      "scan options:\n"
      "  -p DIR               read DIR/compile_commands.json (all TUs, or the "
      "FILEs named)\n"
      "  --rules DIR|FILE     add API family files (repeatable)\n"
      "  --no-default-rules   use only --rules\n"
      "  --db PATH            findings database (default: "
      "ROOT/.timerlint/findings.db,\n"
      "                       ROOT = git top-level or the current directory)\n"
      "  --no-db              do not record the run\n"
      "  --force              re-analyse TUs whose inputs did not change\n"
      "  --no-prefilter       parse every TU (by default a TU whose files name\n"
      "                       nothing a family or the project's timer code\n"
      "                       uses is skipped unparsed)\n"
      "  --baseline RUN       report only findings new since RUN (an id, "
      "latest,\n"
      "                       latest~N, or a git ref of a recorded run)\n"
      "                       (html: all findings, the new ones marked)\n"
      "  --fail-on new|any|none  which findings make the exit code 1 "
      "(default any;\n"
      "                       new when --baseline is given); or a level:\n"
      "                       error|warning|note (that level or above), or "
      "both:\n"
      "                       new,error\n"
      "  --severity RULE=LEVEL  a rule's level: error, warning or note "
      "(RULE may\n"
      "                       be a glob; repeatable; severity: in "
      ".timerlint.yaml)\n"
      "  --format FMT         text (default), json, github (workflow "
      "annotations),\n"
      "                       sarif (2.1.0, for code scanning), html "
      "(--output DIR)\n"
      "  --output FILE        write the report to FILE instead of stdout\n"
      "  --exclude GLOB       do not scan the TUs it matches (relative to "
      "ROOT;\n"
      "                       repeatable; adds to exclude: in .timerlint.yaml)\n"
      "  --config FILE        this config for every file (default: each "
      "file's\n"
      "                       nearest .timerlint.yaml, up to the repository "
      "root)\n"
      "  --print-flags        print each file's flags, where they came from and\n"
      "                       why (inferred ones flag by flag); scan nothing\n"
      "  --checks GLOBS       rules to report, as clang-tidy's --checks:\n"
      "                       '-*,missing-*' (in order; '-' turns off)\n"
      "  --strict             a TU with parse errors is an error (exit 2), not a\n"
      "                       warning with the partial AST's findings\n"
      "  --link               link phase (field-never-stopped) over the files\n"
      "                       named too; a whole compile database always links\n"
      "  --show-suppressed    also print findings silenced by timerlint: "
      "ignore[...]\n"
      "  -j N                 worker processes (default: one per core); a "
      "crash or\n"
      "                       hang in one TU costs only that TU\n"
      "  --tu-timeout SECONDS a worker's time limit (default 600)\n"
      "  --shard K/N          analyse only part K of N of the TUs (by path "
      "hash);\n"
      "                       combine the shard databases with timerlint "
      "merge\n"
      "  --changed[=REF]      pre-commit mode: scan the files changed against "
      "REF\n"
      "                       (default: the staged changes, else HEAD) and "
      "report\n"
      "                       only findings in changed functions\n"
      "  --dump-ir            print the lifecycle IR instead of findings\n"
      "  -q, --quiet          no summary on stderr\n"
      "  --stats              after the scan, on stderr: TUs parsed, skipped and\n"
      "                       failed, per-TU wall-time percentiles, the slowest\n"
      "                       TUs, the link phase, store writes and peak RSS\n"
      "exit: 0 no findings, 1 findings (those --fail-on counts), 2 usage or "
      "analysis error\n",
      out);
}

/* One diagnostic line in one write(2): workers print at the same time,
 * and stdio writes an unbuffered stream's pieces separately. */
static void diag_line(const char *prefix, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n < 0)
    return;
  size_t pl = strlen(prefix), len = pl + (size_t)n + 1;
  char *buf = xmalloc(len + 1);
  memcpy(buf, prefix, pl);
  vsnprintf(buf + pl, (size_t)n + 1, fmt, ap);
  buf[len - 1] = '\n';
  for (size_t off = 0; off < len;) {
    ssize_t w = write(2, buf + off, len - off);
    if (w <= 0 && errno != EINTR)
      break;
    if (w > 0)
      off += (size_t)w;
  }
  xfree(buf);
}

int cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_line("timerlint: error: ", fmt, ap);
  va_end(ap);
  return EXIT_ERROR;
}

void cli_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_line("timerlint: warning: ", fmt, ap);
  va_end(ap);
}

static const char *const value_opts[] = {
    "-p",    "--rules", "--db", "--baseline", "--fail-on", "--format",
    "--run", "--rule",  "--file", "-j",       "--tu-timeout", "--shard",
    "--output", "--checks", "--severity", "--exclude", "--config",
    "--stand-in", NULL};

static int set_value(Options *o, const char *opt, const char *v) {
  if (!strcmp(opt, "-p"))
    o->cdb_dir = v;
  else if (!strcmp(opt, "--rules"))
    array_push(&o->rule_dirs, v);
  else if (!strcmp(opt, "--db"))
    o->db = v;
  else if (!strcmp(opt, "--baseline"))
    o->baseline = v;
  else if (!strcmp(opt, "--format"))
    o->format = v;
  else if (!strcmp(opt, "--output"))
    o->output = v;
  else if (!strcmp(opt, "--checks"))
    o->checks = v;
  else if (!strcmp(opt, "--stand-in"))
    o->stand_in = v;
  else if (!strcmp(opt, "--run"))
    o->run = v;
  else if (!strcmp(opt, "--rule"))
    o->rule = v;
  else if (!strcmp(opt, "--file"))
    o->file_glob = v;
  else if (!strcmp(opt, "--shard")) {
    char *end;
    long k = strtol(v, &end, 10), n = *end == '/' ? strtol(end + 1, &end, 10) : 0;
    if (*end || n < 1 || k < 1 || k > n)
      return cli_error("--shard takes K/N with 1 <= K <= N, not '%s'", v);
    o->shard_k = (int)k;
    o->shard_n = (int)n;
  } else if (!strcmp(opt, "-j") || !strcmp(opt, "--tu-timeout")) {
    char *end;
    double x = strtod(v, &end);
    if (*end || x < 0 || (!strcmp(opt, "-j") && (x < 1 || x > 1024)))
      return cli_error("%s takes a positive number, not '%s'", opt, v);
    if (!strcmp(opt, "-j"))
      o->jobs = (int)x;
    else
      o->tu_timeout = x;
  } else if (!strcmp(opt, "--fail-on")) {
    char why[256];
    if (cli_fail_on(v, &o->fail_spec, why, sizeof why) < 0)
      return cli_error("--fail-on %s", why);
  } else if (!strcmp(opt, "--config")) {
    o->config_file = v;
  } else if (!strcmp(opt, "--exclude")) {
    array_push(&o->exclude, v);
  } else if (!strcmp(opt, "--severity")) {
    return cli_sev_arg(o, v);
  }
  return 0;
}

int cli_parse(int argc, char **argv, Options *o) {
  bool fail_on_set = false;
  o->tu_timeout = 600; /* generous: a real TU takes seconds */
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      o->flags = (const char **)argv + i + 1;
      o->nflags = argc - i - 1;
      o->flags_given = true;
      break;
    }
    bool valued = false;
    /* --opt=VALUE for any option that takes a value (--checks='-*,x'). */
    const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
    for (int k = 0; eq && value_opts[k] && !valued; k++)
      if (!strncmp(a, value_opts[k], (size_t)(eq - a)) &&
          !value_opts[k][eq - a]) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
        if (set_value(o, name, eq + 1))
          return EXIT_ERROR;
        fail_on_set |= !strcmp(name, "--fail-on");
        valued = true;
      }
    if (valued)
      continue;
    for (int k = 0; value_opts[k]; k++)
      if (!strcmp(a, value_opts[k])) {
        if (i + 1 >= argc)
          return cli_error("option '%s' needs an argument", a);
        if (set_value(o, a, argv[++i]))
          return EXIT_ERROR;
        fail_on_set |= !strcmp(a, "--fail-on");
        valued = true;
      }
    if (valued)
      continue;
    if (!strncmp(a, "-p", 2) && a[2])
      o->cdb_dir = a + 2;
    else if (!strncmp(a, "-j", 2) && a[2]) {
      if (set_value(o, "-j", a + 2))
        return EXIT_ERROR;
    }
    else if (!strcmp(a, "--changed") || !strncmp(a, "--changed=", 10)) {
      o->changed = true;
      o->changed_ref = a[9] == '=' ? a + 10 : NULL;
    } else if (!strcmp(a, "--dump-ir"))
      o->dump_ir = true;
    else if (!strcmp(a, "--no-default-rules"))
      o->no_default_rules = true;
    else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
      o->quiet = true;
    else if (!strcmp(a, "--no-db"))
      o->no_db = true;
    else if (!strcmp(a, "--strict"))
      o->strict = true;
    else if (!strcmp(a, "--print-flags"))
      o->print_flags = true;
    else if (!strcmp(a, "--force"))
      o->force = true;
    else if (!strcmp(a, "--no-prefilter"))
      o->no_prefilter = true;
    else if (!strcmp(a, "--stats"))
      o->stats = true;
    else if (!strcmp(a, "--show-suppressed"))
      o->show_suppressed = true;
    else if (!strcmp(a, "--link"))
      o->link = true;
    else if (a[0] == '-' && a[1])
      return cli_error("unknown option '%s' (see timerlint --help)", a);
    else
      array_push(&o->files, a);
  }
  /* A level alone keeps the default scope: every finding, or the new ones
   * when there is a baseline (what --baseline has always implied). */
  if (fail_on_set) {
    const FailOnSpec *f = &o->fail_spec;
    o->fail_on = f->has_scope ? f->scope : o->baseline ? FAIL_ON_NEW : FAIL_ON_ANY;
    o->fail_level = f->has_level ? f->level : SEV_NOTE;
    o->fail_level_given = true;
  } else if (o->baseline) {
    o->fail_on = FAIL_ON_NEW;
  }
  o->fail_on_given = fail_on_set || o->baseline;
  static const char *const formats[] = {"text", "json", "github", "sarif",
                                        "html", NULL};
  bool known = !o->format;
  for (int i = 0; formats[i] && !known; i++)
    known = !strcmp(o->format, formats[i]);
  if (known && o->format && !strcmp(o->format, "html") && !o->output)
    return cli_error("--format html writes a directory: give --output DIR");
  if (!known)
    return cli_error("unknown format '%s' (text, json, github, sarif, html)",
                     o->format);
  return 0;
}

/* One glob of the list against one rule: 1 on, -1 off, 0 no match. */
static int glob_says(const char *glob, size_t n, const char *rule) {
  char g[128];
  bool off = n && glob[0] == '-';
  snprintf(g, sizeof g, "%.*s", (int)(n - off), glob + off);
  return fnmatch(g, rule, 0) == 0 ? (off ? -1 : 1) : 0;
}

bool cli_check_on(const char *checks, const char *rule) {
  bool on = true;
  for (const char *p = checks; p && *p;) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    while (n && *p == ' ')
      p++, n--;
    int say = n ? glob_says(p, n, rule) : 0;
    if (say)
      on = say > 0;
    p = e ? e + 1 : p + n;
  }
  return on;
}

bool cli_checks_unknown(const char *checks, char *bad, size_t n) {
  for (const char *p = checks; p && *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    while (len && *p == ' ')
      p++, len--;
    bool any = false;
    for (int c = 0; c < CHK__COUNT && len && !any; c++)
      any = glob_says(p, len, check_info((CheckId)c)->id) != 0;
    if (len && !any) {
      size_t off = p[0] == '-';
      snprintf(bad, n, "%.*s", (int)(len - off), p + off);
      return true;
    }
    p = e ? e + 1 : p + len;
  }
  return false;
}

int cli_checks_valid(const char *checks) {
  char bad[128];
  if (cli_checks_unknown(checks, bad, sizeof bad))
    return cli_error("--checks: '%s' names no rule (timerlint rules lists "
                     "them)", bad);
  return 0;
}

void cli_options_free(Options *o) {
  array_free(&o->rule_dirs);
  array_free(&o->exclude);
  array_free(&o->files);
  array_free(&o->severity);
  for (int i = 0; i < o->sev_globs.n; i++)
    xfree((void *)o->sev_globs.v[i]);
  array_free(&o->sev_globs);
}

/* The bundled rule files: $TIMERLINT_RULES when set (the user's word),
 * else beside the binary as installed (BIN/../share/timerlint/rules) or as
 * built in a tree (BIN/../rules), else the source tree it was built from:
 * an installed or relocated binary finds its own. NULL when none exists;
 * *looked says where it looked. */
static const char *bundled_rules(char *looked, size_t n) {
  const char *env = getenv("TIMERLINT_RULES");
  if (env && *env) {
    snprintf(looked, n, "$TIMERLINT_RULES=%s", env);
    return env;
  }
  static char found[PATH_MAX + 64];
  char exe[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  looked[0] = 0;
  if (len > 0) {
    exe[len] = 0;
    char *sl = strrchr(exe, '/');
    if (sl)
      *sl = 0;
    static const char *const rel[] = {"../share/timerlint/rules", "../rules"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      snprintf(found, sizeof found, "%s/%s", exe, rel[i]);
      size_t used = strlen(looked);
      snprintf(looked + used, n - used, "%s%s", used ? ", " : "", found);
      struct stat st;
      if (stat(found, &st) == 0 && S_ISDIR(st.st_mode))
        return found;
    }
  }
  size_t used = strlen(looked);
  snprintf(looked + used, n - used, "%s%s", used ? ", " : "",
           TIMERLINT_RULES_DIR);
  struct stat st;
  return stat(TIMERLINT_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode)
             ? TIMERLINT_RULES_DIR
             : NULL;
}

Rules *cli_load_rules(const Options *o) {
  Rules *r = rules_new();
  char *msg = NULL;
  if (!o->no_default_rules) {
    char looked[3 * PATH_MAX];
    const char *dir = bundled_rules(looked, sizeof looked);
    if (!dir) {
      cli_error("no rule files found (looked in %s): set TIMERLINT_RULES, or "
                "give --no-default-rules --rules DIR", looked);
      rules_free(r);
      return NULL;
    }
    if (rules_load_path(r, dir, &msg) < 0)
      goto fail;
    if (!rules_family_count(r)) {
      cli_error("%s: no rule families in it: a scan would find nothing (set "
                "TIMERLINT_RULES to the rules directory)", dir);
      rules_free(r);
      return NULL;
    }
  }
  for (int i = 0; i < o->rule_dirs.n; i++)
    if (rules_load_path(r, o->rule_dirs.v[i], &msg) < 0)
      goto fail;
  /* A repository's own wrappers, without a flag. */
  struct stat st;
  if (stat(".timerlint/rules", &st) == 0 && S_ISDIR(st.st_mode) &&
      rules_load_path(r, ".timerlint/rules", &msg) < 0)
    goto fail;
  return r;
fail:
  cli_error("%s", msg);
  free(msg);
  rules_free(r);
  return NULL;
}

const char *cli_db_path(const Options *o, const char *root, Arena *a) {
  if (o->db)
    return o->db;
  const char *dir = arena_printf(a, "%s/.timerlint", root);
  mkdir(dir, 0777);
  /* The store is this machine's, the rules beside it the project's: a
   * .gitignore of our own keeps the one out of commits and lets the other
   * in (written once; a user's own is left alone). */
  const char *gi = arena_printf(a, "%s/.gitignore", dir);
  if (access(gi, F_OK) != 0) {
    FILE *f = fopen(gi, "w");
    if (f) {
      fputs("# Written by timerlint: the findings store is per machine; commit\n"
            "# rules/ (family files) and ../.timerlint.yaml, nothing else here.\n"
            "*\n!rules/\n!rules/**\n", f);
      fclose(f);
    }
  }
  return arena_printf(a, "%s/findings.db", dir);
}

static int cmd_rules(Options *o) {
  Rules *r = cli_load_rules(o);
  if (!r)
    return EXIT_ERROR;
  if (o->stand_in) {
    Arena *a = arena_new();
    const char *text = cli_stand_in_text(r, o->stand_in, a, NULL);
    int rc = EXIT_CLEAN;
    if (text)
      fputs(text, stdout);
    else
      rc = cli_error("no family's headers: match '%s', or its families "
                     "describe nothing C declares", o->stand_in);
    arena_free(a);
    rules_free(r);
    return rc;
  }
  printf("rules (id, default level, what it finds):\n");
  for (int c = 0; c < CHK__COUNT; c++)
    printf("  %-26s %-8s %s%s\n", check_info(c)->id,
           report_severity_name(report_default_severity(check_info(c)->id)),
           check_info(c)->implemented ? "" : "(planned) ",
           check_info(c)->summary);
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
  return EXIT_CLEAN;
}

/* What each subcommand takes (#14: an option it does not take is an error,
 * never silently ignored), and its help. */
typedef struct {
  const char *name;
  int (*fn)(Options *);
  const char *const *opts; /* NULL-terminated */
  const char *help;
} Command;

static const char *const scan_opts[] = {
    "-p", "--rules", "--no-default-rules", "--db", "--no-db", "--force",
    "--no-prefilter", "--baseline", "--fail-on", "--format", "--output", "--print-flags",
    "--strict", "--link", "--show-suppressed", "-j", "--tu-timeout",
    "--shard", "--changed", "--dump-ir", "-q", "--quiet", "--checks",
    "--severity", "--exclude", "--config", "--stats", NULL};
static const char *const db_only[] = {"--db", NULL};
static const char *const runs_opts[] = {"--db", "--format", NULL};
static const char *const diff_opts[] = {"--db", "--format", "--severity",
                                        "--config", NULL};
static const char *const findings_opts[] = {"--db", "--run", "--rule", "--file",
                                            "--show-suppressed", "--severity",
                                            "--config", "--format", NULL};
static const char *const report_opts[] = {"--db", "--run", "--output", NULL};
static const char *const merge_opts[] = {"-q", "--quiet", "--stats", NULL};
static const char *const rules_opts[] = {"--rules", "--no-default-rules",
                                         "--stand-in", NULL};
static const char *const lsp_opts[] = {"--rules", "--no-default-rules", NULL};

static const Command commands[] = {
    {"scan", cmd_scan, scan_opts, NULL},
    {"runs", cmd_runs, runs_opts,
     "usage: timerlint runs [--db PATH] [--format text|json]\n"
     "  the recorded runs: status, commit, branch, scope, TUs, findings\n"},
    {"diff", cmd_diff, diff_opts,
     "usage: timerlint diff [BASE] [HEAD] [--db PATH] [--format text|json]"
     " [--severity RULE=LEVEL]\n"
     "       [--config FILE]\n"
     "  findings new and fixed between two complete runs (an id, latest,\n"
     "  latest~N or a git ref; default: the two latest)\n"},
    {"findings", cmd_findings, findings_opts,
     "usage: timerlint findings [--run R] [--rule ID] [--file GLOB] [--db PATH]"
     " [--show-suppressed]\n"
     "       [--severity RULE=LEVEL] [--config FILE] [--format text|json]\n"
     "  a run's findings (default: the latest)\n"},
    {"merge", cmd_merge, merge_opts,
     "usage: timerlint merge OUT.db SHARD.db... [-q] [--stats]\n"
     "  the shards of a --shard scan as one run of OUT.db, linked\n"
     "  --stats: what the merge and the link phase took, rows merged\n"},
    {"report", cmd_report, report_opts,
     "usage: timerlint report [--run R] --output DIR [--db PATH]\n"
     "  a run's HTML report in DIR\n"},
    {"rules", cmd_rules, rules_opts,
     "usage: timerlint rules [--rules DIR]... [--no-default-rules]"
     " [--stand-in HEADER]\n"
     "  the rule ids and the loaded families; --stand-in: the header a scan\n"
     "  with no build uses for HEADER (\"zephyr/kernel.h\") when this machine\n"
     "  has none, written from the families whose headers: match it\n"},
    {"lsp", cmd_lsp, lsp_opts,
     "usage: timerlint lsp [--rules DIR]... [--no-default-rules]\n"
     "  a Language Server Protocol server on stdin/stdout for editors: on\n"
     "  opening and saving a C or C++ file, its findings as diagnostics (the\n"
     "  file scanned as scan --no-db scans it: its compile database or\n"
     "  inferred flags, .timerlint.yaml); exit 0 after shutdown, else 1\n"},
    {"db", cmd_db, db_only,
     "usage: timerlint db check|rebuild [--db PATH]\n"
     "  check: what PRAGMA integrity_check finds; rebuild: a new store with\n"
     "  every row the damaged one still gives (the old one kept as .damaged)\n"},
};

static const Command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(commands[i].name, name))
      return &commands[i];
  return NULL;
}

static void command_help(const Command *c, FILE *out) {
  if (c->help)
    fputs(c->help, out);
  else
    usage(out); /* scan's options are the long list */
}

/* An option `c` does not take, before `--`; NULL when all are its own.
 * Attached values (-pDIR, -j4, --changed=REF) count as their option. */
static const char *foreign_option(const Command *c, int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--"))
      break;
    if (a[0] != '-' || !a[1])
      continue;
    static char name[64];
    snprintf(name, sizeof name, "%s", a);
    if (a[1] != '-' && strlen(a) > 2)
      name[2] = 0; /* -pDIR, -j4 */
    char *eq = strchr(name, '=');
    if (eq)
      *eq = 0;
    bool ours = false;
    for (int k = 0; c->opts[k] && !ours; k++)
      ours = !strcmp(c->opts[k], name);
    if (!ours)
      return name;
    for (int k = 0; value_opts[k]; k++)
      if (!strcmp(value_opts[k], a))
        i++; /* its value */
  }
  return NULL;
}

/* Some subcommand takes it (else cli_parse says it is unknown). */
static bool find_option_known(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    for (int k = 0; commands[i].opts[k]; k++)
      if (!strcmp(commands[i].opts[k], name))
        return true;
  return false;
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
  if (!strcmp(cmd, "help")) {
    const Command *c = argc > 2 ? find_command(argv[2]) : NULL;
    if (argc > 2 && !c)
      return cli_error("unknown command '%s' (see timerlint --help)", argv[2]);
    if (c)
      command_help(c, stdout);
    else
      usage(stdout);
    return EXIT_CLEAN;
  }
  const Command *c = find_command(cmd);
  if (c) {
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
      if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
        command_help(c, stdout);
        return EXIT_CLEAN;
      }
    const char *bad = foreign_option(c, argc - 2, argv + 2);
    if (bad && find_option_known(bad))
      return cli_error("option '%s' is not one '%s' takes (see timerlint %s "
                       "--help)", bad, c->name, c->name);
    Options o = {0};
    o.argc = argc;
    o.argv = argv;
    int rc = cli_parse(argc - 2, argv + 2, &o);
    if (!rc)
      rc = c->fn(&o);
    cli_options_free(&o);
    /* A full disk or a closed pipe must not pass for a clean report. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
      cli_error("stdout: cannot write the report: %s", strerror(errno));
      rc = EXIT_ERROR;
    }
    return rc;
  }
  return cli_error("unknown command '%s' (see timerlint --help)", cmd);
}
