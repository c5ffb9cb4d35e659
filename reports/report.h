/* report.h: report writers. They read findings, nothing else. */
#ifndef TL_REPORT_H
#define TL_REPORT_H

#include <stdio.h>

#include "../analyzer/engine/finding.h"

/* clang's diagnostic form: file:line:col: warning: message [rule], then one
 * `note:` line per path step. Editors and CI log parsers read it as is. */
void report_text(FILE *out, const FindingList *l);

/* What the structured writers need beyond the findings. */
typedef struct {
  const char *root;         /* paths are made relative to it */
  const char *tool_version;
  /* Diff mode (--baseline): the baseline run's findings by fingerprint, so
   * writers can mark each finding new or not. NULL otherwise. */
  const FindingIndex *baseline;
} ReportCtx;

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

/* JSON: {"version", "findings": [{fingerprint, rule, file, line, column,
 * function, message, suppressed, suppression_reason, path: [...]}]}. */
int report_json(FILE *out, const FindingList *l, const ReportCtx *cx);
/* GitHub workflow commands, one ::warning per finding, escaped. */
int report_github(FILE *out, const FindingList *l, const ReportCtx *cx);
/* SARIF 2.1.0 with rules (help with examples), codeFlows,
 * partialFingerprints, suppressions, baselineState in diff mode and
 * %SRCROOT%-relative locations. Returns the number of results cut (from the
 * end) to stay within SARIF_MAX_RESULTS and SARIF_MAX_GZIP_BYTES. */
int report_sarif(FILE *out, const FindingList *l, const ReportCtx *cx);
/* A self-contained HTML report, DIR/index.html. 0, or -1 with *err. */
int report_html(const char *dir, const FindingList *l, const ReportCtx *cx,
                char **err);

#endif
