/* ir_read_words.c: the words of the IR's text form (ir_text.c) and what
 * they stand for: names bare or quoted, free text in parentheses, numbers,
 * locations with their files interned, slot references. Part of the reader
 * (irRead.h); builds nothing. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "irRead.h"

bool ir_rd_fail(Rd *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

bool ir_rd_fail(Rd *r, int col, const char *fmt, ...) {
  if (r->err || r->quiet)
    return false;
  char what[ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  r->err = arena_printf(r->a, "%s:%d:%d: %s", r->name, r->lineno, col, what);
  return false;
}

bool ir_rd_word_is(const Word *w, const char *lit) {
  return w->n == strlen(lit) && !memcmp(w->s, lit, w->n);
}

/* key=VALUE: the value, which may be empty. */
bool ir_rd_is_key(const Word *w, const char *key, const char **val,
                  size_t *vn) {
  size_t k = strlen(key);
  if (w->n < k + 1 || memcmp(w->s, key, k) || w->s[k] != '=')
    return false;
  *val = w->s + k + 1;
  *vn = w->n - k - 1;
  return true;
}

/* From the opening quote at s, the position after the closing one; NULL
 * when the line ends first. */
const char *ir_rd_string_end(const char *s, const char *end) {
  for (s++; s < end; s++) {
    if (*s == '\\' && s + 1 < end)
      s++;
    else if (*s == '"')
      return s + 1;
  }
  return NULL;
}

/* Splits [p, end) into words. A slot line's field= takes the rest. */
bool ir_rd_lex(Rd *r, const char *p, const char *end, bool slot_line,
               WordList *out) {
  out->n = 0;
  for (;;) {
    while (p < end && ir_rd_blank(*p))
      p++;
    if (p == end)
      return true;
    Word w = {p, 0, (int)(p - r->line) + 1};
    if (slot_line && end - p > 6 && !memcmp(p, "field=", 6) && p[6] != '"') {
      w.n = (size_t)(end - p);
      array_push(out, w);
      return true;
    }
    int depth = 0;
    while (p < end && (depth || !ir_rd_blank(*p))) {
      if (*p == '"') {
        const char *q = ir_rd_string_end(p, end);
        if (!q)
          return ir_rd_fail(r, (int)(p - r->line) + 1,
                            "string without its closing quote");
        p = q;
        continue;
      }
      depth += *p == '(';
      depth -= *p == ')' && depth > 0;
      p++;
    }
    if (depth)
      return ir_rd_fail(r, w.col, "'(' without its ')'");
    w.n = (size_t)(p - w.s);
    array_push(out, w);
  }
}

/* A string literal's value; the literal spans exactly [s, s+n). */
bool ir_rd_unquote(Rd *r, const char *s, size_t n, int col, const char **out) {
  char *v = arena_alloc(r->a, n + 1), *o = v;
  const char *end = s + n;
  if (n < 2 || s[0] != '"' || ir_rd_string_end(s, end) != end)
    return ir_rd_fail(r, col, "malformed string");
  for (const char *p = s + 1; p < end - 1; p++) {
    if (*p != '\\') {
      *o++ = *p;
      continue;
    }
    char c = *++p;
    switch (c) {
    case '"':
    case '\\': *o++ = c; break;
    case 'n': *o++ = '\n'; break;
    case 't': *o++ = '\t'; break;
    case 'r': *o++ = '\r'; break;
    case 'x': {
      char hex[3] = {0};
      if (end - 1 - p < 3 || !isxdigit((unsigned char)p[1]) ||
          !isxdigit((unsigned char)p[2]))
        return ir_rd_fail(r, col, "\\x needs two hex digits");
      hex[0] = p[1], hex[1] = p[2];
      *o++ = (char)strtol(hex, NULL, 16);
      p += 2;
      break;
    }
    default: return ir_rd_fail(r, col, "unknown escape '\\%c' in a string", c);
    }
  }
  *o = 0;
  *out = v;
  return true;
}

/* A name: a bare word as it stands, or a string literal's value. */
bool ir_rd_name(Rd *r, const char *s, size_t n, int col, const char **out) {
  if (n && s[0] == '"')
    return ir_rd_unquote(r, s, n, col, out);
  if (!n)
    return ir_rd_fail(r, col, "a name is missing");
  *out = arena_strndup(r->a, s, n);
  return true;
}

/* (TEXT): as written, or a string; (?) is none. [s, s+n) is the group. */
bool ir_rd_paren_text(Rd *r, const char *s, size_t n, int col,
                      const char **out) {
  if (n < 2 || s[0] != '(' || s[n - 1] != ')')
    return ir_rd_fail(r, col, "expected (text)");
  s++, n -= 2;
  if (n == 1 && s[0] == '?')
    *out = NULL;
  else if (n && s[0] == '"')
    return ir_rd_unquote(r, s, n, col + 1, out);
  else
    *out = arena_strndup(r->a, s, n);
  return true;
}

bool ir_rd_int64(Rd *r, const char *s, size_t n, int col, int64_t *out) {
  char buf[32], *e;
  if (!n || n >= sizeof buf)
    return ir_rd_fail(r, col, "expected a number");
  memcpy(buf, s, n);
  buf[n] = 0;
  errno = 0;
  long long v = strtoll(buf, &e, 10);
  if (*e || errno)
    return ir_rd_fail(r, col, "expected a number, not '%s'", buf);
  *out = v;
  return true;
}

bool ir_rd_int(Rd *r, const char *s, size_t n, int col, int *out) {
  int64_t v;
  if (!ir_rd_int64(r, s, n, col, &v))
    return false;
  if (v < -2147483647 || v > 2147483647)
    return ir_rd_fail(r, col, "number out of range");
  *out = (int)v;
  return true;
}

/* ---- locations ---- */

static const char *intern_file(Rd *r, const char *f) {
  for (int i = 0; i < r->files.n; i++)
    if (!strcmp(r->files.v[i], f))
      return r->files.v[i];
  array_push(&r->files, f);
  return f;
}

/* @[FILE:]LINE:COL after the '@'; no FILE: `dflt`; FILE '?': unknown. */
bool ir_rd_loc(Rd *r, const char *s, size_t n, int col, const char *dflt,
               IrLoc *out) {
  const char *c2 = NULL, *c1 = NULL; /* the last and the one before */
  for (const char *p = s + n; p > s; p--)
    if (p[-1] == ':') {
      if (!c2)
        c2 = p - 1;
      else if (!c1) {
        c1 = p - 1;
        break;
      }
    }
  if (!c2)
    return ir_rd_fail(r, col, "a location is LINE:COL or FILE:LINE:COL");
  const char *ls = c1 ? c1 + 1 : s;
  if (!ir_rd_int(r, ls, (size_t)(c2 - ls), col, &out->line) ||
      !ir_rd_int(r, c2 + 1, (size_t)(s + n - c2 - 1), col, &out->col))
    return false;
  out->file = dflt;
  if (!c1)
    return true;
  size_t fl = (size_t)(c1 - s);
  if (fl == 1 && s[0] == '?') {
    out->file = NULL;
    return true;
  }
  const char *file;
  if (!ir_rd_name(r, s, fl, col, &file))
    return false;
  out->file = intern_file(r, file);
  return true;
}

/* ---- slot references ---- */

bool ir_rd_digits(const char *s, size_t n) {
  if (!n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int slots_named(const IrFunc *f, const char *name, int *which) {
  int c = 0;
  for (int i = 0; i < f->slots.n; i++)
    if (!strcmp(f->slots.v[i].name, name))
      c++, *which = i;
  return c;
}

/* A slot reference [&]NAME[#I]. */
bool ir_rd_slot_ref(Rd *r, const Word *w, int *slot, bool *addr) {
  const char *s = w->s, *end = w->s + w->n, *name_end = end;
  *addr = s < end && *s == '&';
  s += *addr;
  if (s < end && *s == '"') {
    name_end = ir_rd_string_end(s, end);
    if (!name_end)
      return ir_rd_fail(r, w->col, "malformed string");
  } else {
    const char *h = end;
    while (h > s && h[-1] >= '0' && h[-1] <= '9')
      h--;
    if (h < end && h - 1 > s && h[-1] == '#')
      name_end = h - 1;
  }
  const char *name;
  if (!ir_rd_name(r, s, (size_t)(name_end - s), w->col, &name))
    return false;
  if (name_end < end) { /* NAME#I: slot I, which is named NAME */
    int idx = -1;
    if (name_end[0] != '#' ||
        !ir_rd_int(r, name_end + 1, (size_t)(end - name_end - 1), w->col, &idx))
      return ir_rd_fail(r, w->col, "a slot is NAME or NAME#I");
    if (idx >= 0 && idx < r->f->slots.n &&
        !strcmp(r->f->slots.v[idx].name, name)) {
      *slot = idx;
      return true;
    }
    if (*s == '"')
      return ir_rd_fail(r, w->col, "slot %d is not named '%s'", idx, name);
    /* a bare name that happens to end in #digits */
    if (!ir_rd_name(r, s, (size_t)(end - s), w->col, &name))
      return false;
  }
  int c = slots_named(r->f, name, slot);
  if (c == 0)
    return ir_rd_fail(r, w->col, "no slot named '%s'", name);
  if (c > 1)
    return ir_rd_fail(r, w->col, "%d slots are named '%s': write '%s#I'", c,
                      name, name);
  return true;
}

/* Does the word name a slot (the lone-operand rule)? Asks, never fails. */
bool ir_rd_names_slot(Rd *r, const Word *w) {
  int slot;
  bool addr;
  r->quiet = true;
  bool yes = ir_rd_slot_ref(r, w, &slot, &addr);
  r->quiet = false;
  return yes || (w->n && w->s[0] == '&');
}
