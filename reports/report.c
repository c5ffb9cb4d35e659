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
  size_t rn = cx && cx->root ? strlen(cx->root) : 0;
  if (rn && !strncmp(use, cx->root, rn) && use[rn] == '/')
    use += rn + 1;
  snprintf(buf, n, "%s", use);
  free(real);
  return buf;
}

bool report_is_new(const ReportCtx *cx, const Finding *f) {
  return cx->baseline && !(f->fingerprint && findings_lookup(cx->baseline, f->fingerprint));
}

/* The length of the valid UTF-8 sequence at p (1-4), or 0. */
static int utf8_len(const unsigned char *p) {
  int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
          : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 2 && p[0] < 0xC2)
    return 0; /* overlong */
  for (int i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
    return 0; /* overlong, or a surrogate */
  if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || p[0] > 0xF4 ||
                 (p[0] == 0xF4 && p[1] >= 0x90)))
    return 0;
  return n;
}

/* JSON is UTF-8: source text and file names need not be (a Latin-1 string
 * literal in a condition). Each byte that starts no valid sequence becomes
 * U+FFFD; the text report keeps the original bytes. */
json_object *report_jstr(const char *s) {
  if (!s)
    s = "";
  const unsigned char *p = (const unsigned char *)s;
  size_t bad = 0, n = strlen(s);
  for (size_t i = 0; i < n;) {
    int l = utf8_len(p + i);
    bad += !l;
    i += l ? (size_t)l : 1;
  }
  if (!bad)
    return json_object_new_string(s);
  char *o = malloc(n + 2 * bad + 1), *w = o;
  for (size_t i = 0; i < n;) {
    int l = utf8_len(p + i);
    if (l) {
      memcpy(w, p + i, (size_t)l);
      w += l;
      i += (size_t)l;
    } else {
      memcpy(w, "\xEF\xBF\xBD", 3);
      w += 3;
      i++;
    }
  }
  *w = 0;
  json_object *j = json_object_new_string(o);
  free(o);
  return j;
}

const char *report_jtext(json_object *doc) {
  return json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE);
}

void report_jput(FILE *out, json_object *doc) {
  fputs(report_jtext(doc), out);
  fputc('\n', out);
  json_object_put(doc);
}
