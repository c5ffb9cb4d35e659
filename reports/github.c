/* github.c: GitHub workflow commands, one annotation per finding: ::error,
 * ::warning or ::notice by its level. */
#include <stdio.h>

#include "report.h"

/* Workflow-command escaping: %, CR and LF everywhere; also : and , inside
 * properties (GitHub's toolkit does the same). */
static void gh_escape(FILE *out, const char *s, bool property) {
  for (; s && *s; s++) {
    if (*s == '%')
      fputs("%25", out);
    else if (*s == '\r')
      fputs("%0D", out);
    else if (*s == '\n')
      fputs("%0A", out);
    else if (property && *s == ':')
      fputs("%3A", out);
    else if (property && *s == ',')
      fputs("%2C", out);
    else
      fputc(*s, out);
  }
}

int report_github(FILE *out, const FindingList *l, const ReportCtx *cx) {
  char buf[4096];
  for (int i = 0; i < l->n; i++) {
    const Finding *f = &l->v[i];
    if (f->suppressed)
      continue;
    static const char *const cmd[] = {"::notice", "::warning", "::error"};
    fprintf(out, "%s file=", cmd[report_level(cx, f)]);
    gh_escape(out, report_relpath(cx, f->loc.file, buf, sizeof buf), true);
    fprintf(out, ",line=%d,col=%d,endLine=%d,title=", f->loc.line, f->loc.col,
            f->loc.line);
    char title[128];
    snprintf(title, sizeof title, "timerlint %s", f->rule);
    gh_escape(out, title, true);
    fputs("::", out);
    gh_escape(out, f->message, false);
    for (int k = 0; k < f->nnotes; k++) {
      snprintf(buf, sizeof buf, "\n%d:%d: %s", f->notes[k].loc.line,
               f->notes[k].loc.col, f->notes[k].text);
      gh_escape(out, buf, false);
    }
    fputc('\n', out);
  }
  /* A TU that failed is a failed check of that file; one analysed from a
   * partial AST may miss findings. */
  for (int i = 0; i < cx->nproblems; i++) {
    const ReportProblem *p = &cx->problems[i];
    fputs(p->failed ? "::error file=" : "::warning file=", out);
    gh_escape(out, report_relpath(cx, p->file, buf, sizeof buf), true);
    fputs(",title=", out);
    gh_escape(out, p->failed ? "timerlint analysis failed"
                             : "timerlint parse errors", true);
    fputs("::", out);
    gh_escape(out, p->message, false);
    fputc('\n', out);
  }
  return 0;
}
