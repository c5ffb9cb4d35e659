/* report.h: report writers. They read findings, nothing else. */
#ifndef TL_REPORT_H
#define TL_REPORT_H

#include <stdio.h>

#include "../analyzer/engine/finding.h"

/* clang's diagnostic form: file:line:col: warning: message [rule], then one
 * `note:` line per path step. Editors and CI log parsers read it as is. */
void report_text(FILE *out, const FindingList *l);

#endif
