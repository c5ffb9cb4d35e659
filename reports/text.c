/* text.c: findings in clang's diagnostic format. */
#include "report.h"

static void loc(FILE *out, const IrLoc *l) {
  fprintf(out, "%s:%d:%d", l->file ? l->file : "<unknown>", l->line, l->col);
}

void report_text(FILE *out, const FindingList *l) {
  for (int i = 0; i < l->n; i++) {
    const Finding *f = &l->v[i];
    loc(out, &f->loc);
    fprintf(out, ": warning: %s [%s]\n", f->message, f->rule);
    for (int j = 0; j < f->nnotes; j++) {
      loc(out, &f->notes[j].loc);
      fprintf(out, ": note: %s\n", f->notes[j].text);
    }
  }
}
