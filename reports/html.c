/* html.c: a self-contained static report (one index.html, no server, no
 * network). The findings and their source excerpts travel as JSON inside a
 * <script type="application/json"> element, with every '<' written \u003c,
 * and the page builds its DOM with textContent only: no source text, file
 * name or message is ever parsed as markup. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reportInt.h"
#include <sys/stat.h>

#include "report.h"

/* Lines lo..hi of a file (1-based), as a JSON array of strings. */
static json_object *excerpt(const char *file, int lo, int hi) {
  json_object *arr = json_object_new_array();
  FILE *fp = file ? fopen(file, "r") : NULL;
  if (!fp)
    return arr;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  for (int ln = 1; (n = getline(&line, &cap, fp)) >= 0 && ln <= hi; ln++) {
    if (ln < lo)
      continue;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = 0;
    json_object_array_add(arr, report_jstr(line)); /* NUL-terminated above */
  }
  free(line);
  fclose(fp);
  return arr;
}

static json_object *findings_json(const FindingList *l, const ReportCtx *cx) {
  json_object *arr = json_object_new_array();
  char buf[4096];
  for (int i = 0; i < l->n; i++) {
    const Finding *f = &l->v[i];
    json_object *j = json_object_new_object();
    json_object_object_add(j, "rule", report_jstr(f->rule));
    json_object_object_add(j, "file", report_jstr(
                                          report_relpath(cx, f->loc.file, buf, sizeof buf)));
    json_object_object_add(j, "line", json_object_new_int(f->loc.line));
    json_object_object_add(j, "col", json_object_new_int(f->loc.col));
    json_object_object_add(j, "function", report_jstr(f->function));
    json_object_object_add(j, "message", report_jstr(f->message));
    json_object_object_add(j, "suppressed", json_object_new_boolean(f->suppressed));
    json_object_object_add(j, "new", json_object_new_boolean(report_is_new(cx, f)));
    int lo = f->loc.line, hi = f->loc.line;
    json_object *steps = json_object_new_array();
    for (int k = 0; k < f->nnotes; k++) {
      const Note *no = &f->notes[k];
      bool same = no->loc.file && f->loc.file && !strcmp(no->loc.file, f->loc.file);
      if (same && no->loc.line < lo)
        lo = no->loc.line;
      if (same && no->loc.line > hi)
        hi = no->loc.line;
      json_object *s = json_object_new_object();
      json_object_object_add(s, "line", json_object_new_int(no->loc.line));
      json_object_object_add(s, "text", report_jstr(no->text));
      json_object_array_add(steps, s);
    }
    lo = lo > 3 ? lo - 2 : 1;
    hi += 2;
    json_object_object_add(j, "steps", steps);
    json_object_object_add(j, "first", json_object_new_int(lo));
    json_object_object_add(j, "source", excerpt(f->loc.file, lo, hi));
    json_object_array_add(arr, j);
  }
  return arr;
}

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>timerlint report</title>\n<style>\n"
    "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}\n"
    "h1{font-size:1.4em}table.counts{border-collapse:collapse;margin:.5em 0}\n"
    "table.counts td,table.counts th{border:1px solid #ccc;padding:2px 8px}\n"
    ".finding{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.6em}\n"
    ".finding h2{font-size:1em;margin:0 0 .4em}.rule{color:#a40;font-weight:bold}\n"
    "pre{background:#f7f7f7;padding:.4em;overflow-x:auto;margin:.4em 0}\n"
    ".ln{color:#999;display:inline-block;width:4em}.hit{background:#fff3b0}\n"
    ".step{background:#c33;color:#fff;border-radius:8px;padding:0 5px;"
    "margin-left:1em;font-size:.85em}\n"
    ".suppressed{opacity:.55}.finding.new{border:2px solid #2a7}\n"
    ".badge{background:#2a7;color:#fff;border-radius:4px;padding:0 4px;"
    "margin-right:.5em;font-size:.85em}\n</style></head><body>\n"
    "<h1>timerlint report</h1>\n<p id=\"summary\"></p>\n"
    "<div id=\"counts\"></div>\n<p>Rule <select id=\"rule\"><option value=\"\">"
    "all</option></select> File <select id=\"file\"><option value=\"\">all"
    "</option></select> <span id=\"statebox\" hidden>Show <select "
    "id=\"state\"><option value=\"new\">new findings</option><option "
    "value=\"all\">all findings</option></select></span> "
    "<span id=\"shown\"></span></p>\n"
    "<div id=\"findings\"></div>\n<script type=\"application/json\" "
    "id=\"data\">";

/* The page logic: textContent everywhere, never innerHTML. */
static const char page_tail[] =
    "</script>\n<script>\n"
    "const data = JSON.parse(document.getElementById('data').textContent);\n"
    "const el = (tag, cls, text) => { const e = document.createElement(tag);"
    " if (cls) e.className = cls; if (text !== undefined) e.textContent = text;"
    " return e; };\n"
    "const byRule = {}, byFile = {};\n"
    "for (const f of data.findings) { byRule[f.rule] = (byRule[f.rule]||0)+1;"
    " byFile[f.file] = (byFile[f.file]||0)+1; }\n"
    "const fresh = data.findings.filter(f => f.new).length;\n"
    "document.getElementById('summary').textContent = data.findings.length +"
    " ' findings' + (data.diff ? ', ' + fresh + ' new since the baseline' : '')"
    " + ', timerlint ' + data.version;\n"
    "/* Diff mode (--baseline): new findings are marked and shown first. */\n"
    "const state = document.getElementById('state');\n"
    "if (data.diff) document.getElementById('statebox').hidden = false;"
    " else state.value = 'all';\n"
    "const counts = document.getElementById('counts');\n"
    "for (const [title, m] of [['rule', byRule], ['file', byFile]]) {\n"
    "  const t = el('table', 'counts'); const h = t.insertRow();"
    " h.appendChild(el('th', '', title)); h.appendChild(el('th', '', 'findings'));\n"
    "  for (const k of Object.keys(m).sort()) { const r = t.insertRow();"
    " r.insertCell().textContent = k; r.insertCell().textContent = m[k]; }\n"
    "  counts.appendChild(t);\n"
    "  const sel = document.getElementById(title);\n"
    "  for (const k of Object.keys(m).sort()) { const o = el('option', '', k);"
    " o.value = k; sel.appendChild(o); }\n}\n"
    "const list = document.getElementById('findings');\n"
    "data.findings.forEach((f, i) => {\n"
    "  const d = el('div', 'finding' + (f.suppressed ? ' suppressed' : '')"
    " + (f.new ? ' new' : ''));\n"
    "  d.dataset.rule = f.rule; d.dataset.file = f.file; d.id = 'f' + (i + 1);\n"
    "  if (f.new) d.dataset.state = 'new';\n"
    "  const h = el('h2'); if (f.new) h.appendChild(el('span', 'badge', 'new'));\n"
    "  h.appendChild(el('span', 'rule', '[' + f.rule + '] '));\n"
    "  h.appendChild(document.createTextNode(f.file + ':' + f.line + ':' + f.col"
    " + ' in ' + f.function + ': ' + f.message)); d.appendChild(h);\n"
    "  const stepsAt = {}; f.steps.forEach((s, k) => (stepsAt[s.line] ="
    " stepsAt[s.line] || []).push([k + 1, s.text]));\n"
    "  const pre = el('pre');\n"
    "  f.source.forEach((text, k) => { const n = f.first + k;"
    " const row = el('div', stepsAt[n] ? 'hit' : '');\n"
    "    row.appendChild(el('span', 'ln', String(n))); row.appendChild(document.createTextNode(text));\n"
    "    for (const [num, note] of (stepsAt[n] || [])) { const s = el('span', 'step', num + ' ' + note);"
    " s.title = note; row.appendChild(s); }\n"
    "    pre.appendChild(row); });\n"
    "  d.appendChild(pre); list.appendChild(d); });\n"
    "function apply() {\n"
    "  const r = document.getElementById('rule').value, f = document.getElementById('file').value;\n"
    "  const st = state.value;\n"
    "  let n = 0; for (const d of list.children) { const show = (!r || d.dataset.rule === r)"
    " && (!f || d.dataset.file === f) && (st === 'all' || d.dataset.state === 'new');"
    " d.hidden = !show; n += show; }\n"
    "  document.getElementById('shown').textContent = n + ' shown';\n"
    "  const p = new URLSearchParams(); if (r) p.set('rule', r); if (f) p.set('file', f);\n"
    "  if (data.diff && st === 'all') p.set('state', 'all');\n"
    "  history.replaceState(null, '', p.toString() ? '#' + p : location.pathname); }\n"
    "/* #rule=...&file=...&state=all in the address selects the filters:"
    " links can be shared. */\n"
    "const q = new URLSearchParams(location.hash.slice(1));\n"
    "for (const k of ['rule', 'file']) if (q.get(k)) document.getElementById(k).value = q.get(k);\n"
    "if (data.diff && q.get('state') === 'all') state.value = 'all';\n"
    "for (const k of ['rule', 'file', 'state']) document.getElementById(k).onchange = apply;\n"
    "apply();\n"
    "</script></body></html>\n";

int report_html(const char *dir, const FindingList *l, const ReportCtx *cx,
                char **err) {
  *err = NULL;
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    size_t n = strlen(dir) + 128;
    *err = malloc(n);
    snprintf(*err, n, "%s: cannot create the report directory: %s", dir,
             strerror(errno));
    return -1;
  }
  size_t n = strlen(dir) + 16;
  char *path = malloc(n);
  snprintf(path, n, "%s/index.html", dir);
  FILE *fp = fopen(path, "w");
  if (!fp) {
    *err = malloc(n + 128);
    snprintf(*err, n + 128, "%s: cannot write the report: %s", path,
             strerror(errno));
    free(path);
    return -1;
  }
  json_object *doc = json_object_new_object();
  json_object_object_add(doc, "version", json_object_new_string(cx->tool_version));
  json_object_object_add(doc, "diff", json_object_new_boolean(cx->baseline != NULL));
  json_object_object_add(doc, "findings", findings_json(l, cx));
  const char *js = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
  fputs(page_head, fp);
  for (const char *p = js; *p; p++) /* no '<' can close the data element */
    if (*p == '<')
      fputs("\\u003c", fp);
    else
      fputc(*p, fp);
  fputs(page_tail, fp);
  json_object_put(doc);
  int rc = fclose(fp) == 0 ? 0 : -1;
  if (rc) {
    *err = malloc(n + 128);
    snprintf(*err, n + 128, "%s: cannot write the report: %s", path,
             strerror(errno));
  }
  free(path);
  return rc;
}
