/* cli.h: shared by the command implementations. Only main() exits. */
#ifndef TL_CLI_H
#define TL_CLI_H

#include "../engine/finding.h"
#include "../rules/rules.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };
typedef enum { FAIL_ON_ANY, FAIL_ON_NEW, FAIL_ON_NONE } FailOn;

typedef Array(const char *) StrArray;

typedef struct {
  const char *cdb_dir, *db, *baseline, *format, *run, *rule, *file_glob;
  const char *output; /* --output FILE: the report goes there */
  StrArray rule_dirs;
  StrArray exclude; /* root-relative globs of TUs not to scan */
  bool fail_on_given;
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
