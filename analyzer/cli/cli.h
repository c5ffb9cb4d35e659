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
  StrArray exclude; /* --exclude: root-relative globs of TUs not to scan */
  bool fail_on_given; /* the scope is set (--fail-on, or --baseline) */
  bool fail_level_given; /* --fail-on named the level (or only a scope) */
  Severity fail_level;   /* findings below it do not fail the gate */
  FailOnSpec fail_spec;  /* --fail-on as given */
  SevRules severity;     /* --severity RULE=LEVEL, in order */
  StrArray sev_globs;    /* the RULE parts of --severity, malloc'd */
  const char *config_file; /* --config FILE: the one config for every file */
  struct CliConfigs *configs; /* the configs in play (the command's) */
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
  const char *stand_in; /* rules --stand-in HEADER: print its stand-in */
  bool no_prefilter; /* --no-prefilter: parse every TU (#17) */
  bool stats; /* --stats: what the scan or merge took, on stderr (#17) */
  const char *checks; /* --checks GLOBS / checks: (clang-tidy's syntax) */
  int argc;
  char **argv;
} Options;

/* "timerlint: error: ..." / "timerlint: warning: ..." and a newline on
 * stderr, each line in one write (workers print at the same time). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_parse(int argc, char **argv, Options *o);

/* One .timerlint.yaml (cli/config.c); strings and the struct in the
 * arena, the arrays freed by cli_config_free. */
typedef struct {
  const char *path;          /* as found or named */
  const char *dir, *real_dir; /* where it is: its paths are relative to it */
  const char **flags;        /* flags: for files without a command */
  int nflags;
  bool has_flags;
  StrArray rules;    /* rules: family directories, resolved */
  StrArray exclude;  /* exclude: globs relative to dir */
  const char *checks; /* checks: (NULL: every rule) */
  FailOnSpec fail_on; /* fail-on: (has_scope/has_level: given) */
  SevRules severity;  /* severity: in order */
  bool bad;           /* malformed (said when read): never applied */
} CliConfig;
int cli_config_read(CliConfig *c, const char *path, Arena *a);
void cli_config_free(CliConfig *c);

/* Which config applies to a file (cli/config_find.c): --config's, else the
 * nearest .timerlint.yaml walking up from its directory to the repository
 * root, else the current directory's (cli_config_run); NULL: none. A
 * malformed file is said once and makes cli_configs_failed true.
 * cli_configs_new fails (NULL, said) when --config or the current
 * directory's config cannot be read. */
typedef struct CliConfigs CliConfigs;
CliConfigs *cli_configs_new(const Options *o, Arena *a);
void cli_configs_free(CliConfigs *cs);
bool cli_configs_failed(const CliConfigs *cs);
const CliConfig *cli_config_run(const CliConfigs *cs);
const CliConfig *cli_config_for(CliConfigs *cs, const char *file);
/* Every config read so far (NULL for a malformed one). */
int cli_configs_count(const CliConfigs *cs);
const CliConfig *cli_configs_at(const CliConfigs *cs, int i);
/* What applies to a file's findings: the rules reported (--checks, else
 * its config's), and the gate (--fail-on, else its config's fail-on, with
 * --baseline's scope). */
const char *cli_checks_for(const Options *o, const char *file);
void cli_gate_for(const Options *o, const char *file, FailOn *scope,
                  Severity *level);
void cli_options_free(Options *o);
/* --checks: every glob of the list names some rule (else an error, exit
 * 2); cli_check_on says whether a rule id is reported. */
int cli_checks_valid(const char *checks);
/* The first glob of `checks` that names no rule, into bad: true. */
bool cli_checks_unknown(const char *checks, char *bad, size_t n);
bool cli_check_on(const char *checks, const char *rule);
Rules *cli_load_rules(const Options *o);
/* Severities (cli/severity.c). cli_sev_rule checks one (glob, level) pair
 * (-1 and *why when the level is unknown or the glob names no rule);
 * cli_sev_arg adds a --severity argument; cli_severity is a rule's level:
 * its default, then `config`'s entries, then --severity's.
 * cli_report_level (ReportCtx.level, data: the Options) takes the config
 * of the finding's file. */
int cli_sev_rule(const char *glob, const char *level, SevRule *out, char *why,
                 size_t wn);
int cli_sev_arg(Options *o, const char *arg);
Severity cli_severity(const Options *o, const SevRules *config,
                      const char *rule);
/* Parses a --fail-on value: 0, or -1 and *why. */
int cli_fail_on(const char *v, FailOnSpec *out, char *why, size_t wn);
Severity cli_report_level(const ReportCtx *cx, const char *rule,
                          const char *file);

/* The database path: --db, else ROOT/.timerlint/findings.db. */
const char *cli_db_path(const Options *o, const char *root, Arena *a);

/* Before a scan (cli/tu_setup.c): the families of every config read so
 * far that `loaded` does not hold yet. 0, or EXIT_ERROR (said). */
int cli_config_rules(const CliConfigs *cs, Rules *rules, StrArray *loaded,
                     Arena *a);

/* The link phase of `run` (cli/link_phase.c): EXIT_CLEAN or EXIT_ERROR.
 * `times`, when not NULL, gets what its parts took (--stats). */
struct Store;
struct CliLinkTimes;
int cli_link_phase(struct Store *s, int64_t run, const Rules *rules,
                   const char *root, Arena *a, struct CliLinkTimes *times);

int cmd_scan(Options *o);
int cmd_runs(Options *o);
int cmd_diff(Options *o);
int cmd_findings(Options *o);
int cmd_merge(Options *o);
int cmd_report(Options *o);
int cmd_db(Options *o);
/* The LSP server (cli/lsp.c): 0 when exit followed shutdown, else 1. */
int cmd_lsp(Options *o);

#endif
