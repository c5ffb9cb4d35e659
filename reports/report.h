/* report.h: report writers. They read findings, nothing else. */
#ifndef TL_REPORT_H
#define TL_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../analyzer/engine/finding.h"

/* A finding's level (reports/severity.c): ordered, so that --fail-on
 * LEVEL counts a finding at LEVEL or above. */
typedef enum { SEV_NOTE, SEV_WARNING, SEV_ERROR } Severity;

/* A TU CI should hear of: it failed (not analysed: a file that cannot be
 * read, a crash, a timeout, no AST; or parse errors under --strict), or it
 * was analysed from a partial AST (failed false: findings may be missing). */
typedef struct {
  const char *file, *message;
  bool failed;
} ReportProblem;

/* What the writers need beyond the findings. */
typedef struct ReportCtx {
  const char *root;         /* paths are made relative to it */
  const char *tool_version;
  /* Diff mode (--baseline): the baseline run's findings by fingerprint, so
   * writers can mark each finding new or not. NULL otherwise. */
  const FindingIndex *baseline;
  /* The level of `rule` for a finding in `file` (NULL: the run's level of
   * the rule, for SARIF's rule list); the command line and the repository
   * config decide it. NULL: every rule's default. `data` is its own. */
  Severity (*level)(const struct ReportCtx *cx, const char *rule,
                    const char *file);
  void *data;
  /* The run's problem TUs, and whether it ended in an error (exit 2: a TU
   * failed, or the compile database or the store did). */
  const ReportProblem *problems;
  int nproblems;
  bool failed;
} ReportCtx;

/* Each rule's default level; "error", "warning", "note" and back (-1 for
 * any other name); a finding's level and a rule's under `cx`. */
Severity report_default_severity(const char *rule);
const char *report_severity_name(Severity s);
int report_severity_by_name(const char *name);
Severity report_level(const ReportCtx *cx, const Finding *f);
Severity report_rule_level(const ReportCtx *cx, const char *rule);

/* clang's diagnostic form: file:line:col: warning: message [rule] (error:
 * or note: by the finding's level), then one `note:` line per path step,
 * every file relative to cx->root (absolute outside it), as the other
 * writers give them. Editors and CI log parsers read it as is. */
void report_text(FILE *out, const FindingList *l, const ReportCtx *cx);

/* Diff mode and `f` is not in the baseline. */
bool report_is_new(const ReportCtx *cx, const Finding *f);

/* `file` relative to cx->root when below it, into buf. */
const char *report_relpath(const ReportCtx *cx, const char *file, char *buf,
                           size_t n);

/* GitHub's limits for one SARIF upload (code scanning rejects more):
 * results in a run, and the size of the file once gzipped. */
enum { SARIF_MAX_RESULTS = 25000 };
#define SARIF_MAX_GZIP_BYTES (10L * 1000 * 1000)

/* A bad and a good example of a rule, each a whole function in `lang`
 * ("c" or "cpp"); reports/rule_examples.c. NULL for an unknown rule. */
typedef struct {
  const char *rule, *lang, *bad, *good;
} RuleExample;
const RuleExample *report_rule_example(const char *rule);

/* JSON: {"version", "findings": [{fingerprint, rule, severity, file, line,
 * column, function, message, suppressed, suppression_reason (null when
 * none), state (diff mode only), path: [{file, line, column, message}]}],
 * "errors": [{file, message}] (failed TUs), "warnings": [...] (TUs analysed
 * from a partial AST)}.
 * report_json_list writes the array alone (`findings --format json`),
 * report_json_diff {base_run, head_run, findings (each with its state:
 * new, fixed, unchanged), summary: {new, fixed, unchanged}}. */
int report_json(FILE *out, const FindingList *l, const ReportCtx *cx);
int report_json_list(FILE *out, const FindingList *l, const ReportCtx *cx);
int report_json_diff(FILE *out, int64_t base, int64_t head,
                     const FindingList *news, const FindingList *fixed,
                     const FindingList *same, const ReportCtx *cx);
/* GitHub workflow commands, one ::error, ::warning or ::notice per
 * finding (by its level), escaped; an ::error per failed TU and a
 * ::warning per TU analysed from a partial AST. */
int report_github(FILE *out, const FindingList *l, const ReportCtx *cx);
/* SARIF 2.1.0 with rules (help with examples), codeFlows,
 * partialFingerprints, suppressions, baselineState in diff mode,
 * %SRCROOT%-relative locations, and an invocation (executionSuccessful, a
 * toolExecutionNotification per problem TU). Returns the number of results cut (from the
 * end) to stay within SARIF_MAX_RESULTS and SARIF_MAX_GZIP_BYTES. */
int report_sarif(FILE *out, const FindingList *l, const ReportCtx *cx);
/* A self-contained HTML report, DIR/index.html. 0, or -1 with *err. */
int report_html(const char *dir, const FindingList *l, const ReportCtx *cx,
                char **err);

#endif
