/* severity.c: each rule's level (design.md §7, #14): what the text report
 * calls it (clang's `error:` / `warning:` / `note:`), SARIF's `level`,
 * GitHub's `::error` / `::warning` / `::notice`, and what `--fail-on LEVEL`
 * counts. The defaults live here, by rule id; users change them with
 * `severity:` in .timerlint.yaml or `--severity RULE=LEVEL` (cli). */
#include <string.h>

#include "report.h"

/* Errors are bugs whatever the timing: the program's behaviour is
 * undefined (a handle used, released or joined after its end; a joinable
 * std::thread destroyed calls std::terminate) or a worker keeps using what
 * was released. Warnings are leaks: they cost resources as traffic grows,
 * and a handle that escapes our sight may still be stopped. A suppression
 * that suppresses nothing is a warning: the finding it meant to silence is
 * reported as well. */
static const struct {
  const char *rule;
  Severity level;
} defaults[] = {
    {"use-after-release", SEV_ERROR},
    {"thread-joinable-destroyed", SEV_ERROR},
    {"stop-too-late", SEV_ERROR},
    {"missing-stop", SEV_WARNING},
    {"missing-join", SEV_WARNING},
    {"created-in-loop", SEV_WARNING},
    {"handle-discarded", SEV_WARNING},
    {"field-never-stopped", SEV_WARNING},
    {"disarmed-not-released", SEV_WARNING},
    {"invalid-suppression", SEV_WARNING},
};

Severity report_default_severity(const char *rule) {
  for (size_t i = 0; rule && i < sizeof defaults / sizeof *defaults; i++)
    if (!strcmp(defaults[i].rule, rule))
      return defaults[i].level;
  return SEV_WARNING;
}

static const char *const names[] = {"note", "warning", "error"};

const char *report_severity_name(Severity s) {
  return s >= SEV_NOTE && s <= SEV_ERROR ? names[s] : "warning";
}

int report_severity_by_name(const char *name) {
  for (int i = SEV_NOTE; name && i <= SEV_ERROR; i++)
    if (!strcmp(names[i], name))
      return i;
  return -1;
}

Severity report_level(const ReportCtx *cx, const Finding *f) {
  return cx && cx->level ? cx->level(cx, f->rule, f->loc.file)
                         : report_default_severity(f->rule);
}

Severity report_rule_level(const ReportCtx *cx, const char *rule) {
  return cx && cx->level ? cx->level(cx, rule, NULL)
                         : report_default_severity(rule);
}
