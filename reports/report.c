/* report.c: what every writer needs: root-relative paths, diff state,
 * and the json-c helpers of the JSON and SARIF writers. Every document is
 * built with json-c: no string is escaped by hand. */
#include <stdlib.h>
#include <string.h>

#include "reportInt.h"

const char *report_relpath(const ReportCtx *cx, const char *file, char *buf,
                           size_t n) {
  if (!file)
    return "";
  char *real = realpath(file, NULL);
  const char *use = real ? real : file;
  size_t rn = cx->root ? strlen(cx->root) : 0;
  if (rn && !strncmp(use, cx->root, rn) && use[rn] == '/')
    use += rn + 1;
  snprintf(buf, n, "%s", use);
  free(real);
  return buf;
}

bool report_is_new(const ReportCtx *cx, const Finding *f) {
  return cx->baseline && !(f->fingerprint && findings_lookup(cx->baseline, f->fingerprint));
}

json_object *report_jstr(const char *s) { return json_object_new_string(s ? s : ""); }

const char *report_jtext(json_object *doc) {
  return json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE);
}

void report_jput(FILE *out, json_object *doc) {
  fputs(report_jtext(doc), out);
  fputc('\n', out);
  json_object_put(doc);
}
