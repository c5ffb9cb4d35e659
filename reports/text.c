/* text.c: findings in clang's diagnostic format, paths relative to the
 * root. */
#include "report.h"

/* A control character in a file name or in source text (a newline, an
 * escape) would forge a line or a terminal sequence: written as \xNN.
 * Other bytes are kept as they are (Latin-1 stays Latin-1 here). */
static void put(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
}

/* Relative to the root, as every other writer says it (an editor or a
 * problem matcher opens it from the repository's top), wherever the scan
 * ran from. */
static void loc(FILE *out, const IrLoc *l, const ReportCtx *cx) {
  char buf[4096];
  put(out, l->file ? report_relpath(cx, l->file, buf, sizeof buf) : "<unknown>");
  fprintf(out, ":%d:%d", l->line, l->col);
}

void report_text(FILE *out, const FindingList *l, const ReportCtx *cx) {
  for (int i = 0; i < l->n; i++) {
    const Finding *f = &l->v[i];
    loc(out, &f->loc, cx);
    fprintf(out, ": %s: ", report_severity_name(report_level(cx, f)));
    put(out, f->message);
    fprintf(out, " [%s]\n", f->rule);
    for (int j = 0; j < f->nnotes; j++) {
      loc(out, &f->notes[j].loc, cx);
      fputs(": note: ", out);
      put(out, f->notes[j].text);
      fputc('\n', out);
    }
  }
}
