/* json.c: findings as JSON: `scan --format json` (one document), `findings
 * --format json` (an array) and `diff --format json`, every finding the
 * same object with the same keys (a key without a value is null). */
#include "reportInt.h"

static json_object *finding(const Finding *f, const ReportCtx *cx,
                            const char *state) {
  char buf[4096];
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
  json_object_object_add(j, "suppression_reason",
                         f->suppress_reason ? report_jstr(f->suppress_reason) : NULL);
  if (state) /* diff mode: new, fixed or unchanged */
    json_object_object_add(j, "state", report_jstr(state));
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
  return j;
}

static json_object *array(const FindingList *l, const ReportCtx *cx,
                          const char *state, json_object *arr) {
  for (int i = 0; i < l->n; i++)
    json_object_array_add(
        arr, finding(&l->v[i], cx,
                     state ? state : cx->baseline ? (report_is_new(cx, &l->v[i])
                                                          ? "new" : "unchanged")
                                                  : NULL));
  return arr;
}

/* The problem TUs that failed (or not), root-relative. */
static json_object *problems(const ReportCtx *cx, bool failed) {
  char buf[4096];
  json_object *arr = json_object_new_array();
  for (int i = 0; i < cx->nproblems; i++) {
    const ReportProblem *p = &cx->problems[i];
    if (p->failed != failed)
      continue;
    json_object *j = json_object_new_object();
    json_object_object_add(j, "file", report_jstr(report_relpath(cx, p->file, buf, sizeof buf)));
    json_object_object_add(j, "message", report_jstr(p->message));
    json_object_array_add(arr, j);
  }
  return arr;
}

int report_json(FILE *out, const FindingList *l, const ReportCtx *cx) {
  json_object *doc = json_object_new_object();
  json_object_object_add(doc, "version", report_jstr(cx->tool_version));
  json_object_object_add(doc, "findings", array(l, cx, NULL, json_object_new_array()));
  json_object_object_add(doc, "errors", problems(cx, true));
  json_object_object_add(doc, "warnings", problems(cx, false));
  report_jput(out, doc);
  return 0;
}

int report_json_list(FILE *out, const FindingList *l, const ReportCtx *cx) {
  report_jput(out, array(l, cx, NULL, json_object_new_array()));
  return 0;
}

int report_json_diff(FILE *out, int64_t base, int64_t head,
                     const FindingList *news, const FindingList *fixed,
                     const FindingList *same, const ReportCtx *cx) {
  json_object *doc = json_object_new_object();
  json_object_object_add(doc, "base_run", json_object_new_int64(base));
  json_object_object_add(doc, "head_run", json_object_new_int64(head));
  json_object *arr = json_object_new_array();
  array(news, cx, "new", arr);
  array(fixed, cx, "fixed", arr);
  array(same, cx, "unchanged", arr);
  json_object_object_add(doc, "findings", arr);
  json_object *sum = json_object_new_object();
  json_object_object_add(sum, "new", json_object_new_int(news->n));
  json_object_object_add(sum, "fixed", json_object_new_int(fixed->n));
  json_object_object_add(sum, "unchanged", json_object_new_int(same->n));
  json_object_object_add(doc, "summary", sum);
  report_jput(out, doc);
  return 0;
}
