/* lsp_diag.c: a file's findings as LSP diagnostics. The scan is
 * `timerlint scan --no-db --format json -q FILE` run in this process
 * (cmd_scan itself: the same compile database or inferred flags, configs,
 * severities and suppressions), its JSON report written to a temporary
 * file and read back: the report is the one place that resolves each
 * finding's level and root-relative path, so the editor sees exactly what
 * the command line prints. Must not know the engine's types. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git.h"
#include "lspInt.h"

/* LSP DiagnosticSeverity. */
enum { LSP_SEV_ERROR = 1, LSP_SEV_WARNING = 2, LSP_SEV_INFO = 3 };

static int hexval(int c) {
  return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

char *lsp_uri_path(const char *uri) {
  static const char scheme[] = "file://";
  if (!uri || strncmp(uri, scheme, sizeof scheme - 1))
    return NULL;
  const char *p = uri + sizeof scheme - 1;
  if (strncmp(p, "localhost/", 10) == 0)
    p += 9;
  if (*p != '/')
    return NULL; /* a remote host: not ours to read */
  char *out = xmalloc(strlen(p) + 1), *o = out;
  for (; *p; p++) {
    int hi, lo;
    if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
      *o++ = (char)(hi * 16 + lo);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = 0;
  return out;
}

/* The file's lines, for the columns (LSP counts UTF-16 code units, clang
 * bytes) and the width of the token a finding points at. */
typedef struct {
  char *text;
  Array(const char *) line; /* start of each line */
} Lines;

static void lines_read(Lines *l, const char *path) {
  FILE *f = fopen(path, "rb");
  StrBuf b = {0};
  char buf[65536];
  size_t n;
  while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
    sb_printf(&b, "%.*s", (int)n, buf); /* NUL bytes: scan refuses those */
  if (f)
    fclose(f);
  l->text = strdup(b.s ? b.s : "");
  sb_free(&b);
  array_push(&l->line, l->text);
  for (char *p = l->text; (p = strchr(p, '\n')); p++)
    array_push(&l->line, p + 1);
}

static void lines_free(Lines *l) {
  free(l->text);
  array_free(&l->line);
}

/* UTF-16 code units of the first `bytes` bytes of s (4-byte UTF-8
 * sequences are surrogate pairs). */
static int utf16_units(const char *s, int bytes) {
  int u = 0;
  for (int i = 0; i < bytes && s[i] && s[i] != '\n'; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c & 0xC0) != 0x80)
      u += c >= 0xF0 ? 2 : 1;
  }
  return u;
}

static json_object *position(int line, int character) {
  json_object *p = json_object_new_object();
  json_object_object_add(p, "line", json_object_new_int(line));
  json_object_object_add(p, "character", json_object_new_int(character));
  return p;
}

/* 1-based line and byte column to a range over the identifier there
 * (zero-width when there is none, or the line is not in the file). */
static json_object *range_at(const Lines *l, int line, int col) {
  int ln = line > 0 ? line - 1 : 0, start = 0, end = 0;
  if (ln < l->line.n && col > 0) {
    const char *s = l->line.v[ln];
    int b = col - 1, e = b;
    if ((int)strcspn(s, "\n") >= b)
      while (s[e] && (isalnum((unsigned char)s[e]) || s[e] == '_'))
        e++;
    start = utf16_units(s, b);
    end = utf16_units(s, e);
  }
  json_object *r = json_object_new_object();
  json_object_object_add(r, "start", position(ln, start));
  json_object_object_add(r, "end", position(ln, end));
  return r;
}

static const char *jstr(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v) : "";
}

static int jint(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_int(v) : 0;
}

/* The report's path (root-relative, absolute outside the root) is `real`,
 * the document's real path: compared as real paths. */
static bool same_file(const char *root, const char *file, const char *real) {
  char joined[PATH_MAX * 2], r[PATH_MAX];
  snprintf(joined, sizeof joined, "%s%s%s", file[0] == '/' ? "" : root,
           file[0] == '/' ? "" : "/", file);
  return realpath(joined, r) && !strcmp(r, real);
}

static json_object *related(json_object *notes, const char *root,
                            const char *real, const char *uri, const Lines *l) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; notes && i < json_object_array_length(notes); i++) {
    json_object *n = json_object_array_get_idx(notes, i);
    const char *file = jstr(n, "file");
    if (!same_file(root, file, real))
      continue; /* a note in a header: its line is not in this buffer */
    json_object *loc = json_object_new_object();
    json_object_object_add(loc, "uri", json_object_new_string(uri));
    json_object_object_add(loc, "range", range_at(l, jint(n, "line"),
                                                  jint(n, "column")));
    json_object *ri = json_object_new_object();
    json_object_object_add(ri, "location", loc);
    json_object_object_add(ri, "message",
                           json_object_new_string(jstr(n, "message")));
    json_object_array_add(arr, ri);
  }
  return arr;
}

static json_object *diagnostic(json_object *f, const char *root,
                               const char *real, const char *uri,
                               const Lines *l) {
  const char *sev = jstr(f, "severity");
  int level = !strcmp(sev, "error")  ? LSP_SEV_ERROR
              : !strcmp(sev, "note") ? LSP_SEV_INFO
                                     : LSP_SEV_WARNING;
  json_object *notes = NULL;
  json_object_object_get_ex(f, "path", &notes);
  json_object *d = json_object_new_object();
  json_object_object_add(d, "range", range_at(l, jint(f, "line"),
                                              jint(f, "column")));
  json_object_object_add(d, "severity", json_object_new_int(level));
  json_object_object_add(d, "source", json_object_new_string("timerlint"));
  json_object_object_add(d, "code", json_object_new_string(jstr(f, "rule")));
  json_object_object_add(d, "message", json_object_new_string(jstr(f, "message")));
  json_object_object_add(d, "relatedInformation",
                         related(notes, root, real, uri, l));
  return d;
}

/* cmd_scan on one file, its JSON report parsed; NULL when it wrote none
 * (it said why on stderr). */
static json_object *scan_report(const Options *base, const char *path) {
  char out[] = "/tmp/timerlint-lsp-XXXXXX";
  int fd = mkstemp(out);
  if (fd < 0) {
    cli_error("lsp: cannot create a temporary file: %s", strerror(errno));
    return NULL;
  }
  close(fd);
  char *argv[] = {"timerlint", "lsp", NULL};
  Options o = {0};
  o.argc = 2;
  o.argv = argv;
  o.tu_timeout = base->tu_timeout;
  o.no_default_rules = base->no_default_rules;
  for (int i = 0; i < base->rule_dirs.n; i++)
    array_push(&o.rule_dirs, base->rule_dirs.v[i]);
  array_push(&o.files, path);
  o.no_db = o.quiet = true;
  o.format = "json";
  o.output = out;
  o.jobs = 1;
  int rc = cmd_scan(&o);
  cli_options_free(&o);
  json_object *doc = rc == EXIT_CLEAN || rc == EXIT_FINDINGS || rc == EXIT_ERROR
                         ? json_object_from_file(out) : NULL;
  unlink(out);
  return doc;
}

json_object *lsp_diagnostics(const Options *base, const char *uri) {
  json_object *arr = json_object_new_array();
  char *path = lsp_uri_path(uri);
  char real[PATH_MAX];
  if (!path || !realpath(path, real)) {
    cli_warn("lsp: %s: %s; no diagnostics", uri,
             path ? strerror(errno) : "not a file:// URI of this machine");
    free(path);
    return arr;
  }
  json_object *doc = scan_report(base, path), *findings = NULL;
  Arena *a = arena_new();
  const char *root = cli_root(a);
  Lines l = {0};
  lines_read(&l, real);
  if (doc && json_object_object_get_ex(doc, "findings", &findings))
    for (size_t i = 0; i < json_object_array_length(findings); i++) {
      json_object *f = json_object_array_get_idx(findings, i);
      if (same_file(root, jstr(f, "file"), real))
        json_object_array_add(arr, diagnostic(f, root, real, uri, &l));
    }
  lines_free(&l);
  arena_free(a);
  json_object_put(doc);
  free(path);
  return arr;
}
