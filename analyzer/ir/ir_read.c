/* ir_read.c: the IR's text form (ir_text.c) back into an IrUnit, for engine
 * tests written as .ir files and for the round trip test of the dump. It
 * builds through ir.c's builder as a front end does; only what the builder
 * has no call for (a slot's field, a function's usr, end line and opaque
 * flag, an invoke's text, back edges out of a branch) is set directly.
 * This file reads lines, functions, blocks and terminators; words and
 * events are in ir_read_words.c and ir_read_event.c (irRead.h).
 *
 * Bad input is a message "name:line:col: what", returned: never an assert,
 * never an exit. The first error stops the reading. */
#include <stdlib.h>
#include <string.h>

#include "irRead.h"

static bool fail_at(Rd *r, Pos p, const char *what) {
  r->lineno = p.line;
  return ir_rd_fail(r, p.col, "%s", what);
}

/* ---- blocks ---- */

/* Block n exists (created, and the blocks before it, as the builder does);
 * `declaring`: its header is being read. */
static bool touch_block(Rd *r, int n, int col, bool declaring) {
  if (n < 0 || n >= MAX_BLOCKS)
    return ir_rd_fail(r, col, "block number B%d out of range", n);
  while (r->f->blocks.n <= n)
    ir_block_new(r->f);
  while (r->bstate.n <= n) {
    /* entry and exit exist as soon as the function does */
    unsigned char st = r->bstate.n < 2 ? BK_REFERENCED : BK_UNSEEN;
    Pos p = {0, 0};
    array_push(&r->bstate, st);
    array_push(&r->bpos, p);
  }
  if (declaring && r->bstate.v[n] >= BK_DECLARED)
    return ir_rd_fail(r, col, "B%d is defined twice", n);
  if (r->bstate.v[n] == BK_UNSEEN || declaring)
    r->bpos.v[n] = (Pos){r->lineno, col};
  if (declaring)
    r->bstate.v[n] = BK_DECLARED;
  else if (r->bstate.v[n] == BK_UNSEEN)
    r->bstate.v[n] = BK_REFERENCED;
  return true;
}

/* Bn or Bn^ (a back edge). */
static bool block_word(Rd *r, const Word *w, int *n, bool *back) {
  size_t len = w->n;
  *back = len && w->s[len - 1] == '^';
  len -= *back;
  if (len < 2 || w->s[0] != 'B' || !ir_rd_digits(w->s + 1, len - 1))
    return ir_rd_fail(r, w->col, "expected a block Bn, not '%.*s'", (int)w->n,
                      w->s);
  return ir_rd_int(r, w->s + 1, len - 1, w->col, n) &&
         touch_block(r, *n, w->col, false);
}

/* ---- terminators ---- */

/* (SLOT OP K) or (?) */
static bool read_cond(Rd *r, const Word *w, IrCond *c) {
  if (w->n < 2 || w->s[0] != '(' || w->s[w->n - 1] != ')')
    return ir_rd_fail(r, w->col,
                      "a branch needs its condition: (SLOT OP K) or (?)");
  if (w->n == 3 && w->s[1] == '?')
    return true;
  WordList x = {0};
  bool ok = ir_rd_lex(r, w->s + 1, w->s + w->n - 1, false, &x);
  if (ok && x.n != 3)
    ok = ir_rd_fail(r, w->col, "a condition is (SLOT OP K)");
  bool addr;
  if (ok)
    ok = ir_rd_slot_ref(r, &x.v[0], &c->var, &addr);
  int op = -1;
  for (int i = 0; ok && i < IR_NCMPS; i++)
    if (ir_rd_word_is(&x.v[1], ir_cmp_names[i]))
      op = i;
  if (ok && op < 0)
    ok = ir_rd_fail(r, x.v[1].col, "unknown comparison");
  if (ok)
    ok = ir_rd_int64(r, x.v[2].s, x.v[2].n, x.v[2].col, &c->k);
  c->op = (IrCmp)(op < 0 ? 0 : op);
  array_free(&x);
  return ok;
}

typedef struct {
  IrTermKind kind;
  IrCond cond;
  IrLoc loc;
  Array(IrEdge) succ;
} Term;

static bool read_term_words(Rd *r, Term *t) {
  int i = 1;
  if (t->kind == TERM_BRANCH || t->kind == TERM_INVOKE) {
    if (r->w.n < 2)
      return ir_rd_fail(r, r->w.v[0].col, "expected its (condition)");
    const Word *w = &r->w.v[i++];
    if (!(t->kind == TERM_BRANCH
              ? read_cond(r, w, &t->cond)
              : ir_rd_paren_text(r, w->s, w->n, w->col, &t->cond.text)))
      return false;
  }
  for (; i < r->w.n; i++) {
    const Word *w = &r->w.v[i];
    if (w->s[0] == 'B') {
      IrEdge e;
      if (!block_word(r, w, &e.to, &e.back))
        return false;
      array_push(&t->succ, e);
    } else if (w->n > 5 && !memcmp(w->s, "text=", 5)) {
      if (!ir_rd_paren_text(r, w->s + 5, w->n - 5, w->col + 5, &t->cond.text))
        return false;
    } else if (w->n == 12 && !memcmp(w->s, "text-negated", 12)) {
      t->cond.text_negated = true;
    } else if (w->n == 14 && !memcmp(w->s, "branch-negated", 14)) {
      t->cond.branch_negated = true;
    } else if (w->s[0] == '@') {
      if (!ir_rd_loc(r, w->s + 1, w->n - 1, w->col, r->f->loc.file, &t->loc))
        return false;
    } else {
      return ir_rd_fail(r, w->col, "unexpected '%.*s'", (int)w->n, w->s);
    }
  }
  return true;
}

/* The builder's calls for the terminator: ir_branch, ir_term (which adds
 * a return's edge to the exit) and ir_edge for the rest. */
static bool build_term(Rd *r, Term *t) {
  IrFunc *f = r->f;
  int b = r->block;
  if (t->kind == TERM_BRANCH) {
    if (t->succ.n != 2)
      return ir_rd_fail(r, r->w.v[0].col, "a branch has two successors");
    ir_branch(f, b, t->cond, t->succ.v[0].to, t->succ.v[1].to, t->loc);
    f->blocks.v[b].succ.v[0].back = t->succ.v[0].back;
    f->blocks.v[b].succ.v[1].back = t->succ.v[1].back;
    return true;
  }
  int ret = -1;
  for (int i = 0; t->kind == TERM_RETURN && ret < 0 && i < t->succ.n; i++)
    if (t->succ.v[i].to == f->exit && !t->succ.v[i].back)
      ret = i;
  if (t->kind == TERM_RETURN && ret < 0)
    return ir_rd_fail(r, r->w.v[0].col, "a return goes to the exit block B%d",
                      f->exit);
  if (t->kind != TERM_RETURN)
    ir_term(f, b, t->kind, t->loc);
  for (int i = 0; i < t->succ.n; i++) {
    if (i == ret)
      ir_term(f, b, TERM_RETURN, t->loc);
    else
      ir_edge(f, b, t->succ.v[i].to, t->succ.v[i].back);
  }
  f->blocks.v[b].cond.text = t->cond.text;
  f->blocks.v[b].cond.text_negated = t->cond.text_negated;
  f->blocks.v[b].cond.branch_negated = t->cond.branch_negated;
  return true;
}

static bool read_term(Rd *r, IrTermKind kind) {
  if (r->block < 0 || r->bstate.v[r->block] == BK_ENDED)
    return ir_rd_fail(r, r->w.v[0].col,
                      r->block < 0 ? "a terminator before any block"
                                   : "a second terminator for one block");
  Term t = {kind, {.var = -1, .op = CMP_EQ}, {NULL, 0, 0}, {0}};
  bool ok = read_term_words(r, &t) && build_term(r, &t);
  array_free(&t.succ);
  if (ok)
    r->bstate.v[r->block] = BK_ENDED;
  return ok;
}

/* ---- functions ---- */

/* Every block named was defined and ended; entry and exit exist. */
static bool end_func(Rd *r) {
  if (!r->f)
    return true;
  for (int b = 0; b < r->bstate.n; b++) {
    if (r->bstate.v[b] == BK_DECLARED)
      return fail_at(r, r->bpos.v[b], "a block without its terminator");
    if (r->bstate.v[b] == BK_REFERENCED && b >= 2)
      return fail_at(r, r->bpos.v[b], "a block that is never defined");
  }
  if (r->f->entry >= r->f->blocks.n || r->f->exit >= r->f->blocks.n)
    return fail_at(r, r->fpos, "entry or exit names no block");
  return true;
}

/* The words after NAME(N params): entry=, exit=, usr=, end=, opaque,
 * called-only, @LOC. */
static bool read_func_attrs(Rd *r, IrFunc *f) {
  for (int i = 0; i < r->w.n; i++) {
    const Word *w = &r->w.v[i];
    const char *v;
    size_t n;
    int *blk = ir_rd_is_key(w, "entry", &v, &n)  ? &f->entry
               : ir_rd_is_key(w, "exit", &v, &n) ? &f->exit
                                                 : NULL;
    if (blk) {
      if (n < 2 || v[0] != 'B' || !ir_rd_int(r, v + 1, n - 1, w->col, blk))
        return ir_rd_fail(r, w->col, "expected entry=Bn / exit=Bn");
      if (*blk < 0 || *blk >= MAX_BLOCKS)
        return ir_rd_fail(r, w->col, "block number out of range");
    } else if (ir_rd_is_key(w, "usr", &v, &n)) {
      if (!ir_rd_name(r, v, n, w->col, &f->usr))
        return false;
    } else if (ir_rd_is_key(w, "end", &v, &n)) {
      if (!ir_rd_int(r, v, n, w->col, &f->end_line))
        return false;
    } else if (ir_rd_word_is(w, "opaque")) {
      f->opaque = true;
    } else if (ir_rd_word_is(w, "called-only")) {
      f->called_only = true;
    } else if (w->s[0] == '@') {
      if (!ir_rd_loc(r, w->s + 1, w->n - 1, w->col, NULL, &f->loc))
        return false;
    } else {
      return ir_rd_fail(r, w->col, "unknown function attribute '%.*s'",
                        (int)w->n, w->s);
    }
  }
  return true;
}

/* func NAME(N params) ...: NAME may hold blanks ("operator int"), so the
 * first "(N params)" ends it. */
static bool read_func(Rd *r, const char *p) {
  if (!end_func(r))
    return false;
  const char *name = p, *open = NULL, *close = NULL;
  for (const char *q = p; q < r->end && !open; q++) {
    const char *d = q + 1;
    while (d < r->end && *d >= '0' && *d <= '9')
      d++;
    if (*q == '(' && d > q + 1 && r->end - d >= 8 && !memcmp(d, " params)", 8))
      open = q, close = d + 8;
  }
  if (!open || open == name)
    return ir_rd_fail(r, 1, "expected 'func NAME(N params)'");
  int np = 0;
  if (!ir_rd_int(r, open + 1, (size_t)(close - 8 - open - 1),
                 (int)(open - r->line) + 2, &np))
    return false;
  if (np < 0)
    return ir_rd_fail(r, (int)(open - r->line) + 2, "negative parameter count");
  const char *fname = arena_strndup(r->a, name, (size_t)(open - name));
  IrFunc *f = ir_func_new(r->u, fname, NULL, (IrLoc){NULL, 0, 0}, np);
  r->f = f;
  r->block = -1;
  r->fpos = (Pos){r->lineno, 1};
  r->bstate.n = r->bpos.n = 0;
  touch_block(r, 1, 1, false);
  return ir_rd_lex(r, close, r->end, false, &r->w) && read_func_attrs(r, f);
}

/* ---- lines ---- */

/* elem-stop KIND API FIELD [async]  @LOC (IrElemStop) */
static bool read_elem_stop(Rd *r, const char *p) {
  if (!ir_rd_lex(r, p, r->end, false, &r->w))
    return false;
  const WordList *w = &r->w;
  int n = w->n, kind = -1;
  bool async = n == 6 && ir_rd_word_is(&w->v[4], "async");
  for (int k = 0; n >= 5 && k < EV__COUNT && kind < 0; k++)
    if (ir_rd_word_is(&w->v[1], ir_event_name((IrEventKind)k)))
      kind = k;
  if ((n != 5 && !async) || w->v[n - 1].s[0] != '@' ||
      (kind != EV_RELEASE && kind != EV_DISARM && kind != EV_JOIN &&
       kind != EV_DETACH))
    return ir_rd_fail(r, (int)(p - r->line) + 1,
                      "expected 'elem-stop release|disarm|join|detach API "
                      "FIELD [async] @LOC'");
  IrElemStop x = {(IrEventKind)kind, NULL, NULL, async, {0}};
  const char *key;
  if (!ir_rd_name(r, w->v[2].s, w->v[2].n, w->v[2].col, &x.api) ||
      !ir_rd_name(r, w->v[3].s, w->v[3].n, w->v[3].col, &key) ||
      !ir_rd_loc(r, w->v[n - 1].s + 1, w->v[n - 1].n - 1, w->v[n - 1].col,
                 r->f->loc.file, &x.loc))
    return false;
  x.key = ir_key_parse(r->a, key, false);
  array_push(&r->f->elem_stops, x);
  return true;
}

static bool read_line(Rd *r) {
  const char *p = r->line;
  while (p < r->end && ir_rd_blank(*p))
    p++;
  if (p == r->end || *p == ';')
    return true;
  if (r->end - p > 5 && !memcmp(p, "func ", 5))
    return read_func(r, p + 5);
  if (r->end - p > 7 && !memcmp(p, "target ", 7)) { /* target FIELD USR */
    IrTarget t;
    if (!ir_rd_lex(r, p, r->end, false, &r->w))
      return false;
    if (r->w.n != 3)
      return ir_rd_fail(r, (int)(p - r->line) + 1,
                        "expected 'target FIELD USR'");
    if (!ir_rd_name(r, r->w.v[1].s, r->w.v[1].n, r->w.v[1].col, &t.field) ||
        !ir_rd_name(r, r->w.v[2].s, r->w.v[2].n, r->w.v[2].col, &t.usr))
      return false;
    array_push(&r->u->targets, t);
    return true;
  }
  /* hook USR N REC API [CTX] | hook USR later API */
  if (r->end - p > 5 && !memcmp(p, "hook ", 5)) {
    IrHook h;
    const char *rec;
    if (!ir_rd_lex(r, p, r->end, false, &r->w))
      return false;
    if (r->w.n == 4 && r->w.v[2].n == 5 && !memcmp(r->w.v[2].s, "later", 5)) {
      h = (IrHook){NULL, -1, NULL, NULL, NULL};
      if (!ir_rd_name(r, r->w.v[1].s, r->w.v[1].n, r->w.v[1].col, &h.usr) ||
          !ir_rd_name(r, r->w.v[3].s, r->w.v[3].n, r->w.v[3].col, &h.api))
        return false;
      array_push(&r->u->hooks, h);
      return true;
    }
    if ((r->w.n != 5 && r->w.n != 6) ||
        !ir_rd_digits(r->w.v[2].s, r->w.v[2].n))
      return ir_rd_fail(r, (int)(p - r->line) + 1,
                        "expected 'hook USR PARAM RECORD API [CONTEXT]' or "
                        "'hook USR later API'");
    h.ctx = NULL;
    if (r->w.n == 6 &&
        !ir_rd_name(r, r->w.v[5].s, r->w.v[5].n, r->w.v[5].col, &h.ctx))
      return false;
    if (!ir_rd_name(r, r->w.v[1].s, r->w.v[1].n, r->w.v[1].col, &h.usr) ||
        !ir_rd_name(r, r->w.v[3].s, r->w.v[3].n, r->w.v[3].col, &rec) ||
        !ir_rd_name(r, r->w.v[4].s, r->w.v[4].n, r->w.v[4].col, &h.api))
      return false;
    h.param = atoi(arena_strndup(r->a, r->w.v[2].s, r->w.v[2].n));
    h.rec = ir_key_parse(r->a, rec, true);
    array_push(&r->u->hooks, h);
    return true;
  }
  if (!r->f)
    return ir_rd_fail(r, (int)(p - r->line) + 1, "expected 'func' first");
  if (r->end - p > 10 && !memcmp(p, "elem-stop ", 10))
    return read_elem_stop(r, p);
  bool slot_line = r->end - p > 5 && !memcmp(p, "slot ", 5);
  if (!ir_rd_lex(r, p, r->end, slot_line, &r->w))
    return false;
  const Word *w = &r->w.v[0];
  if (slot_line)
    return ir_rd_slot_line(r);
  if (w->n >= 3 && w->s[0] == 'B' && w->s[w->n - 1] == ':' && r->w.n == 1 &&
      ir_rd_digits(w->s + 1, w->n - 2)) {
    int b = 0;
    if (!ir_rd_int(r, w->s + 1, w->n - 2, w->col, &b) ||
        !touch_block(r, b, w->col, true))
      return false;
    r->block = b;
    return true;
  }
  for (int k = 0; k < EV__COUNT; k++)
    if (ir_rd_word_is(w, ir_event_name((IrEventKind)k)))
      return ir_rd_event_line(r, (IrEventKind)k);
  for (int k = 0; k < IR_NTERMS; k++)
    if (ir_rd_word_is(w, ir_term_names[k]))
      return read_term(r, (IrTermKind)k);
  return ir_rd_fail(r, w->col, "unknown line '%.*s'", (int)w->n, w->s);
}

/* Calls name functions of the unit. */
static bool check_callees(Rd *r) {
  for (int i = 0; i < r->callees.n; i++)
    if (r->callees.v[i].fn >= r->u->funcs.n) {
      r->lineno = r->callees.v[i].at.line;
      return ir_rd_fail(r, r->callees.v[i].at.col, "no function %d in the unit",
                        r->callees.v[i].fn);
    }
  return true;
}

IrUnit *ir_read(Arena *arena, const char *name, const char *text,
                const char **err) {
  Rd r = {0};
  r.a = arena;
  r.name = name;
  r.u = ir_unit_new(arena, name);
  r.block = -1;
  bool ok = true;
  for (const char *p = text; ok && *p;) {
    const char *nl = strchr(p, '\n');
    r.lineno++;
    r.line = p;
    r.end = nl ? nl : p + strlen(p);
    p = nl ? nl + 1 : r.end;
    if (r.end > r.line && r.end[-1] == '\r')
      r.end--;
    ok = read_line(&r);
  }
  r.lineno++;
  ok = ok && end_func(&r) && check_callees(&r);
  array_free(&r.bstate);
  array_free(&r.bpos);
  array_free(&r.w);
  array_free(&r.files);
  array_free(&r.callees);
  if (!ok) {
    *err = r.err;
    ir_unit_free(r.u);
    return NULL;
  }
  *err = NULL;
  return r.u;
}
