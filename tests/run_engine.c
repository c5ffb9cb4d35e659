/* run_engine FILE.ir: one engine test. The file is an IR unit in the dump's
 * text form (analyzer/ir/ir_text.c) whose comments say what the engine
 * must find; tests/engine/README.md describes them. The runner reads the
 * unit, runs eng_analyze_unit (and eng_link when the file asks), and fails
 * on any missing or extra finding, on a message or a path that differs
 * from the one written, and on a link summary that differs. It also checks
 * that the unit reads back the same from its own dump, so every test file
 * stays in the language --dump-ir speaks.
 *
 * Exit 0 pass, 1 fail, 2 when the file cannot be read or its comments are
 * malformed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/engine/checks.h"
#include "../analyzer/engine/engine.h"

typedef Array(const char *) Words;

typedef struct {
  const char *file; /* NULL: any */
  int line, col;
} Where;

typedef struct {
  Where at;
  const char *text;
} WantNote;

/* One expected finding, with what the file says about it. */
typedef struct {
  int src_line; /* in the .ir file */
  const char *rule;
  Where at;
  bool gap;              /* known-gap: may be missing */
  bool wrong;            /* known-false: reported, but it should not be */
  const char *message;   /* substring, or NULL */
  Array(WantNote) notes; /* exactly these, when any */
  bool matched;
} Want;

/* An expected link summary: usr(param) or usr(*param) stops/keeps/unknown,
 * usr makes API, or usr none (the function has no summary). */
typedef struct {
  int src_line;
  const char *usr, *ops;
  int param, stops;
  bool none;
  bool matched;
} WantSum;

typedef struct {
  const char *path;
  Arena *a;
  Array(Want) want;
  Array(WantSum) sums;
  bool link;
  Words teardown, callbacks; /* link: teardown-names, teardown-callbacks */
  int problems;
} Test;

static bool bad_line(Test *t, int line, const char *what) {
  fprintf(stderr, "%s:%d: %s\n", t->path, line, what);
  return false;
}

/* The whole file, NUL-terminated, in `a`; NULL on an I/O error. */
static char *slurp(Arena *a, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  StrBuf b = {0};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf - 1, f)) > 0) {
    buf[n] = 0;
    sb_puts(&b, buf);
  }
  bool bad = ferror(f);
  fclose(f);
  char *s = bad ? NULL : arena_strdup(a, b.s ? b.s : "");
  sb_free(&b);
  return s;
}

/* ---- the comments ---- */

/* @[FILE:]LINE:COL at the start of s; returns what follows, or NULL. */
static const char *parse_where(Arena *a, const char *s, Where *w) {
  if (*s != '@')
    return NULL;
  const char *end = s + 1 + strcspn(s + 1, " \t");
  const char *c2 = end, *c1 = NULL;
  while (c2 > s && c2[-1] != ':')
    c2--;
  if (c2 == s + 1 || c2 == s)
    return NULL;
  c1 = c2 - 1;
  while (c1 > s + 1 && c1[-1] != ':')
    c1--;
  char *e1, *e2;
  w->line = (int)strtol(c1, &e1, 10);
  w->col = (int)strtol(c2, &e2, 10);
  if (e1 != c2 - 1 || e2 != end)
    return NULL;
  w->file =
      c1 > s + 1 ? arena_strndup(a, s + 1, (size_t)(c1 - 1 - (s + 1))) : NULL;
  while (*end == ' ' || *end == '\t')
    end++;
  return end;
}

/* A comma-separated list of words into `out`. */
static void parse_list(Arena *a, const char *s, size_t n, Words *out) {
  while (n) {
    size_t k = 0;
    while (k < n && s[k] != ',')
      k++;
    if (k)
      array_push(out, arena_strndup(a, s, k));
    s += k + (k < n), n -= k + (k < n);
  }
}

/* expect: / known-gap: / known-false: RULE @LOC */
static bool parse_expect(Test *t, int line, const char *s, bool gap,
                         bool wrong) {
  size_t n = strcspn(s, " \t");
  Want w = {0};
  w.src_line = line;
  w.gap = gap;
  w.wrong = wrong;
  w.rule = arena_strndup(t->a, s, n);
  if (check_by_id(w.rule) < 0)
    return bad_line(t, line, "unknown rule id");
  s += n + strspn(s + n, " \t");
  const char *rest = parse_where(t->a, s, &w.at);
  if (!rest || *rest)
    return bad_line(t, line, "expected RULE @[FILE:]LINE:COL");
  array_push(&t->want, w);
  return true;
}

/* message: TEXT   /   note: @LOC TEXT, for the expect just above. */
static bool parse_detail(Test *t, int line, const char *s, bool note) {
  if (!t->want.n)
    return bad_line(t, line, "a message or note before any expect");
  Want *w = &t->want.v[t->want.n - 1];
  if (!note) {
    w->message = arena_strdup(t->a, s);
    return true;
  }
  WantNote wn;
  const char *rest = parse_where(t->a, s, &wn.at);
  if (!rest)
    return bad_line(t, line, "expected note: @[FILE:]LINE:COL TEXT");
  wn.text = arena_strdup(t->a, rest);
  array_push(&w->notes, wn);
  return true;
}

/* link: [teardown=a,b] [callbacks=c,d] */
static bool parse_link(Test *t, int line, const char *s) {
  t->link = true;
  while (*s) {
    size_t n = strcspn(s, " \t");
    if (!strncmp(s, "teardown=", 9))
      parse_list(t->a, s + 9, n - 9, &t->teardown);
    else if (!strncmp(s, "callbacks=", 10))
      parse_list(t->a, s + 10, n - 10, &t->callbacks);
    else
      return bad_line(t, line, "link: takes teardown=... callbacks=...");
    s += n + strspn(s + n, " \t");
  }
  return true;
}

/* summary: USR(P) stops|keeps|unknown, USR(*P) ..., USR makes API, or
 * USR none */
static bool parse_summary(Test *t, int line, const char *s) {
  WantSum w = {line, NULL, "", -1, 0, false, false};
  char usr[256], what[256], star[2] = "";
  int p;
  if (sscanf(s, "%255[^( ] makes %255s", usr, what) == 2) {
    w.ops = arena_strdup(t->a, what);
    w.stops = LS_MAKES;
  } else if (sscanf(s, "%255[^( ] %255s", usr, what) == 2 &&
             !strcmp(what, "none")) {
    w.none = true;
  } else if (sscanf(s, "%255[^(](%1[*]%d) %255s", usr, star, &p, what) == 4 ||
             sscanf(s, "%255[^(](%d) %255s", usr, &p, what) == 3) {
    w.param = p;
    w.ops = star[0] ? "*" : "";
    if (!strcmp(what, "stops"))
      w.stops = 1;
    else if (!strcmp(what, "keeps"))
      w.stops = 0;
    else if (!strcmp(what, "unknown"))
      w.stops = -1;
    else
      return bad_line(t, line, "a summary stops, keeps or is unknown");
  } else {
    return bad_line(t, line,
                    "expected summary: USR(P) stops|keeps|unknown, "
                    "USR makes API or USR none");
  }
  w.usr = arena_strdup(t->a, usr);
  array_push(&t->sums, w);
  return true;
}

static const char *const directives[] = {
    "expect", "known-gap", "known-false", "message", "note", "link", "summary"};

/* Edit distance of a and b (short words), for typos. */
static int distance(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  int d[32][32];
  if (na >= 32 || nb >= 32)
    return 99;
  for (size_t i = 0; i <= na; i++)
    for (size_t j = 0; j <= nb; j++) {
      int best = (int)(i > j ? i : j);
      if (i && j) {
        int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
        int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
        best = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      }
      d[i][j] = best;
    }
  return d[na][nb];
}

/* One comment line: `; word: ...` is a directive when the word is one;
 * a word a typo away from one ("expects:") is an error, so a misspelt
 * directive cannot silently check nothing; anything else is prose. */
static bool parse_comment(Test *t, int line, const char *s) {
  s += strspn(s, " \t;");
  size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyz-");
  if (!k || s[k] != ':')
    return true;
  const char *rest = s + k + 1;
  rest += strspn(rest, " \t");
#define IS(w) (k == strlen(w) && !strncmp(s, w, k))
  if (IS("expect") || IS("known-gap") || IS("known-false"))
    return parse_expect(t, line, rest, IS("known-gap"), IS("known-false"));
  if (IS("message") || IS("note"))
    return parse_detail(t, line, rest, IS("note"));
  if (IS("link"))
    return parse_link(t, line, rest);
  if (IS("summary"))
    return parse_summary(t, line, rest);
#undef IS
  for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++)
    if (distance(s, k, directives[i]) <= 2)
      return bad_line(t, line,
                      "unknown directive (expect, known-gap, "
                      "known-false, message, note, link, summary)");
  return true;
}

static bool parse_comments(Test *t, char *text) {
  int line = 0;
  for (char *p = text; p && *p;) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    line++;
    size_t n = strlen(p);
    if (n && p[n - 1] == '\r')
      p[n - 1] = 0;
    const char *s = p + strspn(p, " \t");
    if (*s == ';' && !parse_comment(t, line, s))
      return false;
    if (nl)
      *nl = '\n';
    p = nl ? nl + 1 : NULL;
  }
  return true;
}

/* ---- checking ---- */

static bool same_where(const Where *w, IrLoc l) {
  return w->line == l.line && w->col == l.col &&
         (!w->file || (l.file && !strcmp(w->file, l.file)));
}

static bool note_matches(const WantNote *n, const Note *got) {
  return same_where(&n->at, got->loc) && got->text &&
         strstr(got->text, n->text);
}

static void print_finding(const Finding *f) {
  printf("  %s:%d:%d: %s [%s]\n", f->loc.file ? f->loc.file : "?", f->loc.line,
         f->loc.col, f->message, f->rule);
  for (int i = 0; i < f->nnotes; i++)
    printf("    note %s:%d:%d: %s\n",
           f->notes[i].loc.file ? f->notes[i].loc.file : "?",
           f->notes[i].loc.line, f->notes[i].loc.col, f->notes[i].text);
}

static void problem(Test *t, int line, const char *what, const Want *w) {
  printf("%s:%d: %s [%s] @%d:%d\n", t->path, line, what, w->rule, w->at.line,
         w->at.col);
  t->problems++;
}

/* The message and path the file wrote for `w`, against finding `f`. */
static void check_details(Test *t, const Want *w, const Finding *f) {
  if (w->message && !strstr(f->message, w->message))
    problem(t, w->src_line, "message differs from the one written", w);
  if (!w->notes.n)
    return;
  bool same = w->notes.n == f->nnotes;
  for (int i = 0; same && i < f->nnotes; i++)
    same = note_matches(&w->notes.v[i], &f->notes[i]);
  if (!same)
    problem(t, w->src_line, "path differs from the notes written", w);
}

static void check_findings(Test *t, const FindingList *out) {
  bool *used = calloc((size_t)(out->n ? out->n : 1), sizeof *used);
  for (int i = 0; i < t->want.n; i++) {
    Want *w = &t->want.v[i];
    for (int j = 0; j < out->n && !w->matched; j++)
      if (!used[j] && !strcmp(out->v[j].rule, w->rule) &&
          same_where(&w->at, out->v[j].loc)) {
        used[j] = w->matched = true;
        check_details(t, w, &out->v[j]);
      }
    if (w->wrong && w->matched)
      printf("%s:%d: known false finding [%s] @%d:%d\n", t->path, w->src_line,
             w->rule, w->at.line, w->at.col);
    else if (w->wrong)
      problem(t, w->src_line, "known false finding gone: delete its marker", w);
    else if (!w->matched && !w->gap)
      problem(t, w->src_line, "missing finding", w);
    else if (w->matched && w->gap)
      problem(t, w->src_line, "known gap now found: turn it into expect", w);
    else if (!w->matched)
      printf("%s:%d: known gap [%s] @%d:%d\n", t->path, w->src_line, w->rule,
             w->at.line, w->at.col);
  }
  for (int j = 0; j < out->n; j++)
    if (!used[j]) {
      printf("%s: unexpected finding [%s] @%d:%d\n", t->path, out->v[j].rule,
             out->v[j].loc.line, out->v[j].loc.col);
      t->problems++;
    }
  free(used);
}

/* For each function a summary line names, its link summaries are exactly
 * the ones written. */
static void check_summaries(Test *t, const LinkData *ld) {
  for (int i = 0; i < ld->sums.n; i++) {
    const LinkSummary *s = &ld->sums.v[i];
    bool named = false, found = false;
    if (s->param == LS_BODY)
      continue; /* every function with a body has one: says nothing */
    for (int j = 0; j < t->sums.n; j++) {
      WantSum *w = &t->sums.v[j];
      if (strcmp(w->usr, s->usr))
        continue;
      named = true;
      if (!found && !w->none && w->param == s->param &&
          !strcmp(w->ops, s->ops) && w->stops == s->stops)
        found = w->matched = true;
    }
    if (named && !found) {
      if (s->stops == LS_MAKES)
        printf("%s: unexpected summary %s makes %s\n", t->path, s->usr, s->ops);
      else
        printf("%s: unexpected summary %s(%s%d) %s\n", t->path, s->usr, s->ops,
               s->param,
               s->stops > 0 ? "stops"
               : s->stops   ? "unknown"
                            : "keeps");
      t->problems++;
    }
  }
  for (int j = 0; j < t->sums.n; j++)
    if (!t->sums.v[j].matched && !t->sums.v[j].none) {
      printf("%s:%d: missing summary\n", t->path, t->sums.v[j].src_line);
      t->problems++;
    }
}

/* The unit must read back the same from its own dump: test files stay in
 * the language the dump writes. */
static void check_fixpoint(Test *t, const IrUnit *u) {
  char *one = NULL, *two = NULL;
  size_t n1 = 0, n2 = 0;
  FILE *m = open_memstream(&one, &n1);
  ir_dump_unit(m, u);
  fclose(m);
  const char *err;
  Arena *a = arena_new();
  IrUnit *v = ir_read(a, "dump", one, &err);
  if (v) {
    m = open_memstream(&two, &n2);
    ir_dump_unit(m, v);
    fclose(m);
  }
  if (!v || strcmp(one, two)) {
    printf("%s: does not read back from its own dump: %s\n", t->path,
           v ? "the text changes" : err);
    t->problems++;
  }
  ir_unit_free(v);
  arena_free(a);
  free(one);
  free(two);
}

static void analyse(Test *t, const IrUnit *u) {
  FindingList out = {0};
  LinkData ld = {0};
  eng_analyze_unit(u, &out, &ld, NULL);
  if (t->link) {
    EngTeardown td = {t->teardown.v, t->teardown.n, t->callbacks.v,
                      t->callbacks.n};
    eng_link(&ld, 1, &td, t->a, &out);
  }
  findings_sort_unique(&out);
  check_findings(t, &out);
  check_summaries(t, &ld);
  if (t->problems) {
    printf("--- findings ---\n");
    for (int i = 0; i < out.n; i++)
      print_finding(&out.v[i]);
  }
  printf("%s %s: %d expected, %d reported\n", t->problems ? "FAIL" : "PASS",
         t->path, t->want.n, out.n);
  array_free(&out);
  eng_link_data_free(&ld);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: run_engine FILE.ir\n");
    return 2;
  }
  Test t = {0};
  t.path = argv[1];
  t.a = arena_new();
  char *text = slurp(t.a, t.path);
  const char *err;
  IrUnit *u = NULL;
  int rc = 2;
  if (!text)
    fprintf(stderr, "%s: %s\n", t.path, strerror(errno));
  else if (!(u = ir_read(t.a, t.path, text, &err)))
    fprintf(stderr, "%s\n", err);
  else if (parse_comments(&t, text)) {
    check_fixpoint(&t, u);
    ir_decide_disarms(u); /* what the front end runs after lowering */
    analyse(&t, u);
    rc = t.problems ? 1 : 0;
  }
  for (int i = 0; i < t.want.n; i++)
    array_free(&t.want.v[i].notes);
  array_free(&t.want);
  array_free(&t.sums);
  array_free(&t.teardown);
  array_free(&t.callbacks);
  ir_unit_free(u);
  arena_free(t.a);
  return rc;
}
