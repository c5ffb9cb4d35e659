/* sarif.c: SARIF 2.1.0 for code scanning: rules with help, codeFlows,
 * partialFingerprints, suppressions, baselineState; cut to GitHub's limits
 * (report.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../analyzer/engine/checks.h"
#include "reportInt.h"

/* `prefix` then `path` as a URI path: every byte but the unreserved ones
 * and '/' percent-encoded (RFC 3986), so spaces, '%', '#' and a ':' in a
 * relative path's first segment cannot change what the URI means. */
static json_object *uri_obj(const char *prefix, const char *path,
                            const char *suffix) {
  size_t n = strlen(prefix), m = strlen(path);
  char *u = malloc(n + 3 * m + strlen(suffix) + 1), *o = u + n;
  memcpy(u, prefix, n);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++)
    if (isalnum(*p) || strchr("-._~/", *p))
      *o++ = (char)*p;
    else
      o += sprintf(o, "%%%02X", *p);
  strcpy(o, suffix);
  json_object *j = json_object_new_string(u);
  free(u);
  return j;
}

static json_object *artifact(const ReportCtx *cx, const char *file) {
  char buf[4096];
  json_object *art = json_object_new_object();
  const char *rel = report_relpath(cx, file, buf, sizeof buf);
  if (rel[0] == '/') { /* outside the root (a system header): absolute */
    json_object_object_add(art, "uri", uri_obj("file://", rel, ""));
  } else {
    json_object_object_add(art, "uri", uri_obj("", rel, ""));
    json_object_object_add(art, "uriBaseId", report_jstr("%SRCROOT%"));
  }
  return art;
}

static json_object *sarif_location(const ReportCtx *cx, IrLoc loc,
                                   const char *message) {
  json_object *l = json_object_new_object();
  json_object *phys = json_object_new_object();
  json_object_object_add(phys, "artifactLocation", artifact(cx, loc.file));
  json_object *region = json_object_new_object();
  json_object_object_add(region, "startLine", json_object_new_int(loc.line > 0 ? loc.line : 1));
  json_object_object_add(region, "startColumn", json_object_new_int(loc.col > 0 ? loc.col : 1));
  json_object_object_add(phys, "region", region);
  json_object_object_add(l, "physicalLocation", phys);
  if (message) {
    json_object *m = json_object_new_object();
    json_object_object_add(m, "text", report_jstr(message));
    json_object_object_add(l, "message", m);
  }
  return l;
}

static json_object *text_obj(const char *s) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "text", report_jstr(s));
  return o;
}

/* A rule's help: why and how to fix (checks.h), then a bad and a good
 * example, as plain text and as Markdown. */
static json_object *rule_help(const CheckInfo *ci) {
  const RuleExample *ex = report_rule_example(ci->id);
  if (!ex)
    return text_obj(ci->help);
  const char *h = ci->help, *b = ex->bad, *g = ex->good, *lang = ex->lang;
  size_t n = 2 * (strlen(h) + strlen(b) + strlen(g)) + 128;
  char *text = malloc(n), *md = malloc(n);
  snprintf(text, n, "%s\n\nBad:\n\n%s\nGood:\n\n%s", h, b, g);
  snprintf(md, n, "%s\n\n**Bad**\n\n```%s\n%s```\n\n**Good**\n\n```%s\n%s```\n",
           h, lang, b, lang, g);
  json_object *o = text_obj(text);
  json_object_object_add(o, "markdown", report_jstr(md));
  free(text);
  free(md);
  return o;
}

static json_object *sarif_rules(const ReportCtx *cx) {
  json_object *rules = json_object_new_array();
  for (int c = 0; c < CHK__COUNT; c++) {
    const CheckInfo *ci = check_info(c);
    json_object *r = json_object_new_object();
    json_object_object_add(r, "id", report_jstr(ci->id));
    json_object_object_add(r, "shortDescription", text_obj(ci->summary));
    /* The summary as a sentence, then why it matters. */
    char full[2048];
    snprintf(full, sizeof full, "%c%s. %s", toupper((unsigned char)ci->summary[0]),
             ci->summary + 1, ci->help);
    json_object_object_add(r, "fullDescription", text_obj(full));
    json_object_object_add(r, "help", rule_help(ci));
    json_object *cfg = json_object_new_object();
    json_object_object_add(cfg, "level",
                           report_jstr(report_severity_name(report_rule_level(cx, ci->id))));
    json_object_object_add(r, "defaultConfiguration", cfg);
    json_object_array_add(rules, r);
  }
  return rules;
}

static json_object *sarif_result(const Finding *f, const ReportCtx *cx) {
  json_object *r = json_object_new_object();
  json_object_object_add(r, "ruleId", report_jstr(f->rule));
  int idx = check_by_id(f->rule);
  if (idx >= 0)
    json_object_object_add(r, "ruleIndex", json_object_new_int(idx));
  json_object_object_add(r, "level",
                         report_jstr(report_severity_name(report_level(cx, f))));
  json_object_object_add(r, "message", text_obj(f->message));
  if (cx->baseline) /* every result here is in scope, so new or unchanged */
    json_object_object_add(r, "baselineState",
                           report_jstr(report_is_new(cx, f) ? "new" : "unchanged"));
  json_object *locs = json_object_new_array();
  json_object_array_add(locs, sarif_location(cx, f->loc, NULL));
  json_object_object_add(r, "locations", locs);
  json_object *fp = json_object_new_object();
  json_object_object_add(fp, "timerlint/v1", report_jstr(f->fingerprint));
  json_object_object_add(r, "partialFingerprints", fp);
  if (f->nnotes) {
    json_object *steps = json_object_new_array();
    for (int k = 0; k < f->nnotes; k++) {
      json_object *st = json_object_new_object();
      json_object_object_add(st, "location",
                             sarif_location(cx, f->notes[k].loc, f->notes[k].text));
      json_object_array_add(steps, st);
    }
    json_object *tf = json_object_new_object();
    json_object_object_add(tf, "locations", steps);
    json_object *tfs = json_object_new_array();
    json_object_array_add(tfs, tf);
    json_object *flow = json_object_new_object();
    json_object_object_add(flow, "threadFlows", tfs);
    json_object *flows = json_object_new_array();
    json_object_array_add(flows, flow);
    json_object_object_add(r, "codeFlows", flows);
  }
  if (f->suppressed) {
    json_object *s = json_object_new_object();
    json_object_object_add(s, "kind", report_jstr("inSource"));
    if (f->suppress_reason)
      json_object_object_add(s, "justification", report_jstr(f->suppress_reason));
    json_object *ss = json_object_new_array();
    json_object_array_add(ss, s);
    json_object_object_add(r, "suppressions", ss);
  }
  return r;
}

/* The scan as one invocation: whether it succeeded, and a notification
 * per problem TU (an error when it failed, a warning when its AST was
 * partial), located at its file. */
static json_object *sarif_invocations(const ReportCtx *cx) {
  json_object *inv = json_object_new_object();
  json_object_object_add(inv, "executionSuccessful",
                         json_object_new_boolean(!cx->failed));
  if (cx->nproblems) {
    json_object *notes = json_object_new_array();
    for (int i = 0; i < cx->nproblems; i++) {
      const ReportProblem *p = &cx->problems[i];
      json_object *n = json_object_new_object();
      json_object_object_add(n, "level", report_jstr(p->failed ? "error" : "warning"));
      json_object_object_add(n, "message", text_obj(p->message));
      json_object *phys = json_object_new_object();
      json_object_object_add(phys, "artifactLocation", artifact(cx, p->file));
      json_object *loc = json_object_new_object();
      json_object_object_add(loc, "physicalLocation", phys);
      json_object *locs = json_object_new_array();
      json_object_array_add(locs, loc);
      json_object_object_add(n, "locations", locs);
      json_object_array_add(notes, n);
    }
    json_object_object_add(inv, "toolExecutionNotifications", notes);
  }
  json_object *arr = json_object_new_array();
  json_object_array_add(arr, inv);
  return arr;
}

/* The size of `s` once gzipped (zlib's default level, as gzip(1)). */
static size_t gzip_size(const char *s, size_t n) {
  z_stream z = {0};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return 0;
  unsigned char chunk[1 << 16];
  z.next_in = (unsigned char *)s;
  z.avail_in = (uInt)n;
  int rc;
  do {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    rc = deflate(&z, Z_FINISH);
  } while (rc == Z_OK);
  size_t total = z.total_out;
  deflateEnd(&z);
  return total;
}

int report_sarif(FILE *out, const FindingList *l, const ReportCtx *cx) {
  json_object *doc = json_object_new_object();
  json_object_object_add(doc, "$schema",
                         report_jstr("https://json.schemastore.org/sarif-2.1.0.json"));
  json_object_object_add(doc, "version", report_jstr("2.1.0"));
  json_object *run = json_object_new_object();
  json_object *tool = json_object_new_object();
  json_object *driver = json_object_new_object();
  json_object_object_add(driver, "name", report_jstr("timerlint"));
  json_object_object_add(driver, "version", report_jstr(cx->tool_version));
  json_object_object_add(driver, "rules", sarif_rules(cx));
  json_object_object_add(tool, "driver", driver);
  json_object_object_add(run, "tool", tool);
  json_object *bases = json_object_new_object();
  json_object *srcroot = json_object_new_object();
  json_object_object_add(srcroot, "uri", uri_obj("file://", cx->root ? cx->root : "", "/"));
  json_object_object_add(bases, "%SRCROOT%", srcroot);
  json_object_object_add(run, "originalUriBaseIds", bases);
  json_object_object_add(run, "invocations", sarif_invocations(cx));
  json_object *results = json_object_new_array();
  int cut = l->n > SARIF_MAX_RESULTS ? l->n - SARIF_MAX_RESULTS : 0;
  for (int i = 0; i < l->n - cut; i++)
    json_object_array_add(results, sarif_result(&l->v[i], cx));
  json_object_object_add(run, "results", results);
  json_object *runs = json_object_new_array();
  json_object_array_add(runs, run);
  json_object_object_add(doc, "runs", runs);
  /* Over the gzipped size limit: keep the share of results that fits (a
   * little less), from the front, until it does. */
  int kept = l->n - cut;
  const char *text;
  for (;;) {
    text = report_jtext(doc);
    size_t gz = gzip_size(text, strlen(text));
    if (kept == 0 || gz <= SARIF_MAX_GZIP_BYTES)
      break;
    int fit = (int)((double)kept * 0.95 * SARIF_MAX_GZIP_BYTES / (double)gz);
    fit = fit < kept ? fit : kept - 1;
    json_object_array_del_idx(results, (size_t)fit, (size_t)(kept - fit));
    kept = fit;
  }
  fputs(text, out);
  fputc('\n', out);
  json_object_put(doc);
  return l->n - kept;
}
