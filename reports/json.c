/* json.c: findings as one JSON document (`--format json`). */
#include "reportInt.h"

int report_json(FILE *out, const FindingList *l, const ReportCtx *cx) {
  json_object *doc = json_object_new_object();
  json_object_object_add(doc, "version", report_jstr(cx->tool_version));
  json_object *arr = json_object_new_array();
  char buf[4096];
  for (int i = 0; i < l->n; i++) {
    const Finding *f = &l->v[i];
    json_object *j = json_object_new_object();
    json_object_object_add(j, "fingerprint", report_jstr(f->fingerprint));
    json_object_object_add(j, "rule", report_jstr(f->rule));
    json_object_object_add(j, "severity",
                           report_jstr(report_severity_name(report_level(cx, f))));
    json_object_object_add(j, "file", report_jstr(report_relpath(cx, f->loc.file, buf, sizeof buf)));
    json_object_object_add(j, "line", json_object_new_int(f->loc.line));
    json_object_object_add(j, "column", json_object_new_int(f->loc.col));
    json_object_object_add(j, "function", report_jstr(f->function));
    json_object_object_add(j, "message", report_jstr(f->message));
    json_object_object_add(j, "suppressed", json_object_new_boolean(f->suppressed));
    if (f->suppress_reason)
      json_object_object_add(j, "suppression_reason", report_jstr(f->suppress_reason));
    if (cx->baseline) /* as `timerlint diff --format json` says it */
      json_object_object_add(j, "state", report_jstr(report_is_new(cx, f) ? "new" : "unchanged"));
    json_object *path = json_object_new_array();
    for (int k = 0; k < f->nnotes; k++) {
      json_object *n = json_object_new_object();
      json_object_object_add(n, "file", report_jstr(report_relpath(cx, f->notes[k].loc.file, buf, sizeof buf)));
      json_object_object_add(n, "line", json_object_new_int(f->notes[k].loc.line));
      json_object_object_add(n, "column", json_object_new_int(f->notes[k].loc.col));
      json_object_object_add(n, "message", report_jstr(f->notes[k].text));
      json_object_array_add(path, n);
    }
    json_object_object_add(j, "path", path);
    json_object_array_add(arr, j);
  }
  json_object_object_add(doc, "findings", arr);
  report_jput(out, doc);
  return 0;
}
