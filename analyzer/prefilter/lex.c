/* lex.c: the prefilter's tokeniser. C and C++ as translation phases 1-3
 * see them, no further: line splices are removed, comments, string and
 * character literals (with u8/u/U/L prefixes, C++ raw strings R"x(...)x")
 * are skipped, identifiers and a few punctuators are kept. Directives are
 * read here: #include names, #define bodies, and the #if structure the
 * outline needs to keep its braces straight. No macro is expanded: what a
 * macro body names is its definition's span (solve.c follows it).
 *
 * What cannot be read with certainty (an unterminated comment or raw
 * string, #include of a macro, a NUL byte) sets o->doubt: such a file's
 * TUs are parsed. */
#include <ctype.h>
#include <string.h>

#include "pfInt.h"

typedef struct {
  Pf *pf;
  const char *b;
  size_t n, i;
  bool bol; /* only blanks and comments since the last newline */
  bool directive; /* next() stopped at a directive's '#' */
  PfOutline *o;
} Lx;

/* C++ raw strings allow 16 delimiter characters ([lex.string]). */
enum { RAW_DELIM_MAX = 16 };

static bool ident_start(unsigned char c) {
  return isalpha(c) || c == '_' || c == '$' || c >= 0x80;
}

static bool ident_char(unsigned char c) {
  return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void doubt(Lx *L, const char *why) {
  if (!L->o->doubt)
    L->o->doubt = why;
}

/* Phase 2: a backslash before a newline joins the lines. A raw string
 * would keep it ([lex.pptoken]); only its delimiters matter here, and a
 * delimiter has no backslash. */
static char *splice(const char *buf, size_t n, size_t *out) {
  char *s = xmalloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (buf[i] == '\\') {
      size_t j = i + 1;
      while (j < n && (buf[j] == ' ' || buf[j] == '\t'))
        j++; /* gcc and clang accept blanks before the newline */
      if (j < n && buf[j] == '\r')
        j++;
      if (j < n && buf[j] == '\n') {
        i = j;
        continue;
      }
    }
    s[k++] = buf[i];
  }
  s[k] = 0;
  *out = k;
  return s;
}

/* Skips a comment at L->i if there is one; false when there is none. */
static bool skip_comment(Lx *L) {
  const char *b = L->b;
  if (L->i + 1 >= L->n || b[L->i] != '/')
    return false;
  if (b[L->i + 1] == '/') {
    while (L->i < L->n && b[L->i] != '\n')
      L->i++;
    return true;
  }
  if (b[L->i + 1] != '*')
    return false;
  const char *end = strstr(b + L->i + 2, "*/");
  if (!end) {
    doubt(L, "a comment that does not end");
    L->i = L->n;
  } else {
    L->i = (size_t)(end - b) + 2;
  }
  return true;
}

/* Blanks and comments within a line. */
static void skip_hspace(Lx *L) {
  for (;;) {
    while (L->i < L->n && (L->b[L->i] == ' ' || L->b[L->i] == '\t' ||
                           L->b[L->i] == '\r' || L->b[L->i] == '\f' ||
                           L->b[L->i] == '\v'))
      L->i++;
    if (L->i < L->n && L->b[L->i] == '/' && L->i + 1 < L->n &&
        L->b[L->i + 1] == '*') {
      skip_comment(L);
      continue;
    }
    return;
  }
}

/* A quoted literal from L->i (at the opening quote): an unterminated one
 * ends at the line's end, as the compiler's error recovery does. */
static void skip_quoted(Lx *L, char q) {
  L->i++;
  while (L->i < L->n && L->b[L->i] != q && L->b[L->i] != '\n')
    L->i += L->b[L->i] == '\\' && L->i + 1 < L->n ? 2 : 1;
  if (L->i < L->n && L->b[L->i] == q)
    L->i++;
}

/* R"delim( ... )delim" from L->i at the quote. */
static void skip_raw(Lx *L) {
  size_t d0 = ++L->i;
  while (L->i < L->n && L->b[L->i] != '(' && L->i - d0 <= RAW_DELIM_MAX) {
    char c = L->b[L->i];
    if (c == ' ' || c == ')' || c == '\\' || c == '\n' || c == '\t' ||
        c == '"')
      break;
    L->i++;
  }
  if (L->i >= L->n || L->b[L->i] != '(' || L->i - d0 > RAW_DELIM_MAX) {
    doubt(L, "a raw string with a malformed delimiter");
    L->i = L->n;
    return;
  }
  size_t dn = L->i - d0;
  char close[RAW_DELIM_MAX + 3];
  close[0] = ')';
  memcpy(close + 1, L->b + d0, dn);
  close[dn + 1] = '"';
  close[dn + 2] = 0;
  const char *end = strstr(L->b + L->i + 1, close);
  if (!end) {
    doubt(L, "a raw string that does not end");
    L->i = L->n;
    return;
  }
  L->i = (size_t)(end - L->b) + dn + 2;
}

static bool is_word(const char *s, size_t n, const char *w) {
  return strlen(w) == n && !memcmp(s, w, n);
}

/* An identifier just read ([s, s+n)) that prefixes a literal: skips the
 * literal and says so. */
static bool literal_prefix(Lx *L, const char *s, size_t n) {
  if (L->i >= L->n)
    return false;
  char c = L->b[L->i];
  if (c == '"' && n >= 1 && s[n - 1] == 'R' &&
      (n == 1 || is_word(s, n, "u8R") || is_word(s, n, "uR") ||
       is_word(s, n, "UR") || is_word(s, n, "LR"))) {
    skip_raw(L);
    return true;
  }
  if ((c == '"' || c == '\'') &&
      (is_word(s, n, "u8") || is_word(s, n, "u") || is_word(s, n, "U") ||
       is_word(s, n, "L"))) {
    skip_quoted(L, c);
    return true;
  }
  return false;
}

/* Punctuators the outline reads, longest first; anything else is one
 * character. */
static size_t punct_len(const char *p, size_t left) {
  static const char *const three[] = {"<<=", ">>=", "...", "->*"};
  static const char *const two[] = {"->", "::", "==", "!=", "<=", ">=", "+=",
                                    "-=", "*=", "/=", "%=", "&=", "|=", "^=",
                                    "<<", ">>", "&&", "||", "++", "--", "##"};
  for (size_t k = 0; left >= 3 && k < sizeof three / sizeof *three; k++)
    if (!memcmp(p, three[k], 3))
      return 3;
  for (size_t k = 0; left >= 2 && k < sizeof two / sizeof *two; k++)
    if (!memcmp(p, two[k], 2))
      return 2;
  return 1;
}

/* The next token, false at the end (of the file, or with `line` of the
 * line: a directive's). */
static bool next(Lx *L, bool line, Tok *t) {
  for (;;) {
    if (L->i >= L->n)
      return false;
    unsigned char c = (unsigned char)L->b[L->i];
    if (c == '\n') {
      if (line)
        return false;
      L->bol = true;
      L->i++;
      continue;
    }
    if (isspace(c)) {
      L->i++;
      continue;
    }
    if (skip_comment(L))
      continue;
    if (c == '#' && L->bol && !line) {
      L->i++;
      L->bol = false;
      L->directive = true; /* the caller reads it */
      return true;
    }
    L->bol = false;
    if (ident_start(c)) {
      size_t s = L->i;
      while (L->i < L->n && ident_char((unsigned char)L->b[L->i]))
        L->i++;
      if (literal_prefix(L, L->b + s, L->i - s)) {
        t->kind = TK_STRING;
        return true;
      }
      t->kind = TK_IDENT;
      t->id = pf_intern(L->pf, L->b + s, L->i - s);
      return true;
    }
    if (isdigit(c) || (c == '.' && L->i + 1 < L->n &&
                       isdigit((unsigned char)L->b[L->i + 1]))) {
      /* A pp-number, with C++14 digit separators (1'000). */
      L->i++;
      while (L->i < L->n) {
        char d = L->b[L->i];
        if ((d == '+' || d == '-') && strchr("eEpP", L->b[L->i - 1]))
          L->i++;
        else if (ident_char((unsigned char)d) || d == '.' ||
                 (d == '\'' && L->i + 1 < L->n &&
                  isalnum((unsigned char)L->b[L->i + 1])))
          L->i++;
        else
          break;
      }
      t->kind = TK_NUMBER;
      return true;
    }
    if (c == '"' || c == '\'') {
      skip_quoted(L, (char)c);
      t->kind = TK_STRING;
      return true;
    }
    size_t k = punct_len(L->b + L->i, L->n - L->i);
    t->kind = TK_PUNCT;
    memcpy(t->p, L->b + L->i, k);
    t->p[k] = 0;
    L->i += k;
    return true;
  }
}

static void rest_of_line(Lx *L, IdList *ids) {
  Tok t;
  while (next(L, true, &t))
    if (t.kind == TK_IDENT && ids)
      array_push(ids, t.id);
}

/* #include "x" / <x>, at the header name. */
static void include(Lx *L, IdList *dir_ids) {
  skip_hspace(L);
  char c = L->i < L->n ? L->b[L->i] : '\n';
  if (c == '"' || c == '<') {
    char close = c == '"' ? '"' : '>';
    size_t s = ++L->i;
    while (L->i < L->n && L->b[L->i] != close && L->b[L->i] != '\n')
      L->i++;
    if (L->i < L->n && L->b[L->i] == close) {
      PfInc inc = {arena_strndup(pf_arena(L->pf), L->b + s, L->i - s),
                   c == '<'};
      array_push(&L->o->incs, inc);
      L->i++;
    }
    rest_of_line(L, dir_ids);
    return;
  }
  /* A computed include names a file only the preprocessor knows. */
  doubt(L, "#include of a macro");
  rest_of_line(L, dir_ids);
}

static void directive(Lx *L, TokList *toks, IdList *macros, IdList *dir_ids) {
  skip_hspace(L);
  size_t s = L->i;
  while (L->i < L->n && ident_char((unsigned char)L->b[L->i]))
    L->i++;
  const char *w = L->b + s;
  size_t n = L->i - s;
  Tok mark = {0};
  if (is_word(w, n, "include") || is_word(w, n, "include_next") ||
      is_word(w, n, "import")) {
    include(L, dir_ids);
    return;
  }
  if (is_word(w, n, "define")) {
    Tok t;
    if (!next(L, true, &t) || t.kind != TK_IDENT) {
      rest_of_line(L, dir_ids);
      return;
    }
    array_push(macros, t.id);
    array_push(dir_ids, t.id);
    while (next(L, true, &t))
      if (t.kind == TK_IDENT) {
        array_push(macros, t.id);
        array_push(dir_ids, t.id);
      }
    array_push(macros, -1);
    return;
  }
  if (is_word(w, n, "error") || is_word(w, n, "warning")) {
    while (L->i < L->n && L->b[L->i] != '\n')
      L->i++; /* free text: an apostrophe there is no literal */
    return;
  }
  if (is_word(w, n, "if") || is_word(w, n, "ifdef") || is_word(w, n, "ifndef"))
    mark.kind = TK_PP_IF;
  else if (is_word(w, n, "elif") || is_word(w, n, "else") ||
           is_word(w, n, "elifdef") || is_word(w, n, "elifndef"))
    mark.kind = TK_PP_ELSE;
  else if (is_word(w, n, "endif"))
    mark.kind = TK_PP_ENDIF;
  else {
    rest_of_line(L, dir_ids);
    return;
  }
  array_push(toks, mark);
  rest_of_line(L, dir_ids);
}

void pf_lex(Pf *pf, const char *buf, size_t n, TokList *toks, PfOutline *o,
            IdList *macros, IdList *dir_ids) {
  if (memchr(buf, 0, n)) {
    o->doubt = "not a text file (contains NUL bytes)";
    return;
  }
  size_t len;
  char *s = splice(buf, n, &len);
  Lx L = {pf, s, len, 0, true, false, o};
  Tok t;
  while (next(&L, false, &t)) {
    if (L.directive) {
      L.directive = false;
      directive(&L, toks, macros, dir_ids);
      continue;
    }
    array_push(toks, t);
  }
  xfree(s);
}
