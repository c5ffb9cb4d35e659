/* cli.h: shared by the command implementations. Only main() exits. */
#ifndef TL_CLI_H
#define TL_CLI_H

#include "../../reports/report.h"
#include "../engine/finding.h"
#include "../rules/rules.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };
typedef enum { FAIL_ON_ANY, FAIL_ON_NEW, FAIL_ON_NONE } FailOn;

typedef Array(const char *) StrArray;

/* One `--severity RULE=LEVEL` or `severity:` entry; RULE may be a glob. */
typedef struct {
  const char *glob;
  Severity level;
} SevRule;
typedef Array(SevRule) SevRules;

/* A --fail-on / fail-on: value: a scope (new, any, none), a level (a
 * finding at it or above counts), or both ("new,error"). */
typedef struct {
  FailOn scope;
  Severity level;
  bool has_scope, has_level;
} FailOnSpec;

typedef struct {
  const char *cdb_dir, *db, *baseline, *format, *run, *rule, *file_glob;
  const char *output; /* --output FILE: the report goes there */
  StrArray rule_dirs;
  StrArray exclude; /* root-relative globs of TUs not to scan */
  bool fail_on_given; /* the scope is set (--fail-on, or --baseline) */
  bool fail_level_given; /* --fail-on named the level (or only a scope) */
  Severity fail_level;   /* findings below it do not fail the gate */
  FailOnSpec fail_spec;  /* --fail-on as given */
  SevRules severity;     /* --severity RULE=LEVEL, in order */
  SevRules config_severity; /* severity: in .timerlint.yaml, in order */
  StrArray sev_globs;    /* the RULE parts of --severity, malloc'd */
  Array(const char *) files; /* also positional run specs for diff */
  const char **flags;
  int nflags;
  bool flags_given; /* `--` on the command line: these flags, no database */
  FailOn fail_on;
  int jobs;          /* -j N: worker processes (0: one per core) */
  int shard_k, shard_n; /* --shard K/N: this part of N (1-based) */
  double tu_timeout; /* --tu-timeout SECONDS: a worker's limit (0: none) */
  bool changed;          /* --changed[=REF]: pre-commit mode */
  const char *changed_ref;
  bool dump_ir, no_default_rules, quiet, no_db, force, show_suppressed;
  bool link; /* --link: run the link phase over the files named */
  bool strict; /* --strict: a TU with parse errors is an error (exit 2) */
  bool print_flags; /* --print-flags: each file's flags and why; no scan */
  const char *checks; /* --checks GLOBS / checks: (clang-tidy's syntax) */
  int argc;
  char **argv;
} Options;

/* "timerlint: error: ..." / "timerlint: warning: ..." and a newline on
 * stderr, each line in one write (workers print at the same time). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_parse(int argc, char **argv, Options *o);
/* Reads ROOT/.timerlint.yaml into o (what the command line left unset). */
int cli_load_config(Options *o, const char *root, Arena *a);
void cli_options_free(Options *o);
/* --checks: every glob of the list names some rule (else an error, exit
 * 2); cli_check_on says whether a rule id is reported. */
int cli_checks_valid(const char *checks);
bool cli_check_on(const char *checks, const char *rule);
Rules *cli_load_rules(const Options *o);
/* Severities (cli/severity.c). cli_sev_rule checks one (glob, level) pair
 * (-1 and *why when the level is unknown or the glob names no rule);
 * cli_sev_arg adds a --severity argument; cli_severity is a rule's level:
 * its default, then `config`'s entries, then --severity's. */
int cli_sev_rule(const char *glob, const char *level, SevRule *out, char *why,
                 size_t wn);
int cli_sev_arg(Options *o, const char *arg);
Severity cli_severity(const Options *o, const SevRules *config,
                      const char *rule);
/* Parses a --fail-on value: 0, or -1 and *why. */
int cli_fail_on(const char *v, FailOnSpec *out, char *why, size_t wn);
/* The report's level callback (ReportCtx.level, data: the Options). */
Severity cli_report_level(const ReportCtx *cx, const char *rule,
                          const char *file);

/* The database path: --db, else ROOT/.timerlint/findings.db. */
const char *cli_db_path(const Options *o, const char *root, Arena *a);

/* The link phase of `run` (cli/link_phase.c): EXIT_CLEAN or EXIT_ERROR. */
struct Store;
int cli_link_phase(struct Store *s, int64_t run, const Rules *rules,
             const char *root, Arena *a);

int cmd_scan(Options *o);
int cmd_runs(Options *o);
int cmd_diff(Options *o);
int cmd_findings(Options *o);
int cmd_merge(Options *o);
int cmd_report(Options *o);
int cmd_db(Options *o);

#endif
