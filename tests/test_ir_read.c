/* test_ir_read [GOLDEN.ir]: the IR reader on what the testdata dumps never
 * hold. Bad input gives "name:line:col: what" (checked exactly, one case
 * per message); names that must be quoted, shared, or look like syntax
 * survive dump -> read -> dump; and every prefix and many one-byte edits of
 * a real dump either read or fail with a message, never crash (run it
 * under ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/ir/ir.h"

#include "check.h"

/* Reads `text`; the error, or NULL when it read. */
static const char *read_err(Arena *a, const char *text) {
  const char *err;
  IrUnit *u = ir_read(a, "t.ir", text, &err);
  ir_unit_free(u);
  return u ? NULL : err;
}

#define F "func f(0 params) entry=B0 exit=B1  @t.c:1:1\n"
#define EXIT "  B1:\n    exit\n"

static const struct {
  const char *text, *err;
} bad[] = {
    {"  slot 0 x\n", "t.ir:1:3: expected 'func' first"},
    {"func f(x params)\n", "t.ir:1:1: expected 'func NAME(N params)'"},
    {"func f(0 params) color=red\n",
     "t.ir:1:18: unknown function attribute 'color=red'"},
    {F "  slot 1 x\n", "t.ir:2:8: slot 1 where slot 0 comes next"},
    {F "  slot 0 \"abc\n", "t.ir:2:10: string without its closing quote"},
    {F "  slot 0 \"a\\q\"\n", "t.ir:2:10: unknown escape '\\q' in a string"},
    {F "  slot 0 p->t local\n",
     "t.ir:2:15: 'local' contradicts the slot's base kind and ops (its "
     "storage outlives the function)"},
    {F "  slot 0 x\n  slot 1 y base=x ops=\"\"\n",
     "t.ir:3:10: slot 1 has the base and ops of slot 0"},
    {F "  slot 0 x global temp\n",
     "t.ir:2:10: a slot has one base kind: param=P, global or temp"},
    {F "  slot 0 x size=4\n", "t.ir:2:12: unknown slot attribute 'size=4'"},
    {F "  B0:\n    create api t  @2:1\n", "t.ir:3:16: no slot named 't'"},
    {F "  slot 0 t\n  slot 1 t base=u\n  B0:\n    release del t  @2:1\n",
     "t.ir:5:17: 2 slots are named 't': write 't#I'"},
    {F "  slot 0 t\n  B0:\n    release del t#1  @2:1\n",
     "t.ir:4:17: no slot named 't#1'"},
    {F "  slot 0 t\n  B0:\n    release del \"t\"#1  @2:1\n",
     "t.ir:4:17: slot 1 is not named 't'"},
    {F "  slot 0 t\n  B0:\n    release a b t  @2:1\n",
     "t.ir:4:17: an event has at most an api and a slot"},
    {F "  slot 0 t\n  B0:\n    release t\n",
     "t.ir:4:5: an event needs its location (@LINE:COL)"},
    {F "  slot 0 t\n  B0:\n    release t color=red  @2:1\n",
     "t.ir:4:15: unknown event attribute 'color=red'"},
    {F "  B0:\n    create c fail=sometimes  @2:1\n",
     "t.ir:3:14: fail= is never, nonzero, negative or zero"},
    {F "  B0:\n    call c callee=x  @2:1\n",
     "t.ir:3:12: expected a number, not 'x'"},
    {F "  B0:\n    call c callee=5 arg=0  @2:1\n    return B1\n" EXIT,
     "t.ir:3:12: no function 5 in the unit"},
    {F "  slot 0 t\n  B0:\n    release t  @12\n",
     "t.ir:4:16: a location is LINE:COL or FILE:LINE:COL"},
    {F "  B0:\n    release x deferred(oops  @2:1\n",
     "t.ir:3:15: '(' without its ')'"},
    {F "  B0:\n    release x deferred(why)  @2:1\n",
     "t.ir:3:15: expected deferred(WHY)@LOC"},
    {F "    goto B0\n", "t.ir:2:5: a terminator before any block"},
    {F "  release t  @2:1\n", "t.ir:2:3: an event before any block"},
    {F "  B0:\n    goto B1\n    goto B1\n",
     "t.ir:4:5: a second terminator for one block"},
    {F "  B0:\n    goto B1\n    create c  @2:1\n",
     "t.ir:4:5: an event after its block's end"},
    {F "  B0:\n    goto B7\n" EXIT, "t.ir:3:10: a block that is never defined"},
    {F "  B0:\n    goto B99999999\n",
     "t.ir:3:10: block number B99999999 out of range"},
    {F "  B0:\n    goto B1\n  B0:\n", "t.ir:4:3: B0 is defined twice"},
    {F "  B0:\n    goto B1\n  B2:\n" EXIT,
     "t.ir:4:3: a block without its terminator"},
    {F "  B0:\n    branch (?) B1\n", "t.ir:3:5: a branch has two successors"},
    {F "  B0:\n    branch B1 B1\n",
     "t.ir:3:12: a branch needs its condition: (SLOT OP K) or (?)"},
    {F "  slot 0 t\n  B0:\n    branch (t ~ 0) B1 B1\n",
     "t.ir:4:15: unknown comparison"},
    {F "  B0:\n    branch (x != 0 B1 B1\n", "t.ir:3:12: '(' without its ')'"},
    {F "  B0:\n    return B0\n",
     "t.ir:3:5: a return goes to the exit block B1"},
    {F "  B0:\n    goto X3\n", "t.ir:3:10: unexpected 'X3'"},
    {F "  B0:\n    frobnicate\n", "t.ir:3:5: unknown line 'frobnicate'"},
    {"func f(0 params) entry=B5 exit=B1\n  B0:\n    goto B1\n" EXIT,
     "t.ir:1:1: entry or exit names no block"},
};

static void test_bad_input(void) {
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    Arena *a = arena_new();
    const char *err = read_err(a, bad[i].text);
    CHECK(err && !strcmp(err, bad[i].err), "case %zu: got '%s', want '%s'", i,
          err ? err : "(read)", bad[i].err);
    arena_free(a);
  }
}

/* dump(u) as a string in `a`. */
static const char *dump(Arena *a, const IrUnit *u) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ir_dump_unit(mem, u);
  fclose(mem);
  const char *r = arena_strdup(a, text);
  free(text);
  return r;
}

/* IR no front end makes today, with every name the quoting rule guards:
 * blanks, quotes, '=', a '#3' tail, syntax words, unbalanced parentheses,
 * an unknown file, a line break in free text, shared names. */
static IrUnit *nasty(Arena *a) {
  IrUnit *u = ir_unit_new(a, "n.c");
  IrLoc at = {"n.c", 1, 1}, other = {"inc/my file.h", 7, 2},
        none = {NULL, 3, 4};
  IrFunc *f = ir_func_new(u, "operator()", "c:@F@op \"x\"", at, 2);
  int s0 = ir_slot(f, "detached", "d@1", BASE_LOCAL, -1, "");
  int s1 = ir_slot(f, "a b", "ab@2", BASE_PARAM, 1, "*.x y");
  int s2 = ir_slot(f, "x=1", "x@3", BASE_GLOBAL, -1, "");
  int s3 = ir_slot(f, "t#3", "t@4", BASE_TEMP, -1, "");
  int s4 = ir_slot(f, "dup", "dup@5", BASE_LOCAL, -1, "");
  int s5 = ir_slot(f, "dup", "dup@6", BASE_LOCAL, -1, "");
  int s6 = ir_slot(f, "-", "m@7", BASE_LOCAL, -1, "");
  ir_slot_set_key(f, s2, ir_key_parse(a, "global x=1 ", false));
  ir_slot_set_key(f, s1, ir_key_parse(a, "\"quoted\" field", false));
  int b2 = ir_block_new(f), b3 = ir_block_new(f);
  IrEvent *e = ir_emit(f, f->entry, EV_CREATE, s0, at);
  e->api = "(";
  e->release_api = "a\nb";
  e->status = s3;
  e->slot2 = s6;
  e->fail = FAIL_NEGATIVE;
  e->res = RES_THREAD;
  e->flags = EVF_ARMS | EVF_INERT | 0x4000;
  e->callee = 0;
  IrUse *us = arena_alloc(a, 2 * sizeof *us);
  us[0] = (IrUse){s4, true};
  us[1] = (IrUse){s5, false};
  e->uses = us, e->nuses = 2;
  e = ir_emit(f, f->entry, EV_CALL, -1, other);
  e->api = "dup"; /* an api that names a slot: written "dup -" */
  e->flags = EVF_ADDR | EVF_DEFERRED;
  e->why = "(unbalanced";
  e->at = none;
  e->frees = ir_key_parse(a, "", true);
  e = ir_emit(f, f->entry, EV_ASSIGN, -1, none);
  e->api = "from"; /* an assign with an api and no slot */
  e->k = -7;
  e->usr = "u#12";
  e = ir_emit(f, f->entry, EV_USE, s1, at);
  e->flags = EVF_DEFERRED; /* a NULL why */
  e->arg = 3;
  IrCond c = {s2, CMP_LE, -9, "x \"<=\" -9", .text_negated = true};
  ir_branch(f, f->entry, c, b2, b3, none);
  f->blocks.v[f->entry].succ.v[1].back = true;
  ir_term(f, b2, TERM_INVOKE, at);
  f->blocks.v[b2].cond.text = "?";
  ir_edge(f, b2, b3, false);
  ir_edge(f, b2, f->exit, true);
  ir_edge(f, b3, b2, true);
  ir_term(f, b3, TERM_RETURN, other);
  IrFunc *g = ir_func_new(u, "opaque one", NULL, none, 0);
  g->opaque = true;
  g->end_line = 9;
  return u;
}

static void test_nasty_names(void) {
  Arena *a = arena_new();
  IrUnit *u = nasty(a);
  const char *one = dump(a, u), *err;
  IrUnit *v = ir_read(a, "nasty", one, &err);
  CHECK(v != NULL, "nasty IR does not read back: %s\n%s", err, one);
  if (v) {
    const char *two = dump(a, v);
    CHECK(!strcmp(one, two), "nasty IR changes:\n%s---\n%s", one, two);
    const IrFunc *f = v->funcs.v[0];
    CHECK(!strcmp(f->slots.v[1].ops, "*.x y") &&
              f->slots.v[1].base_kind == BASE_PARAM &&
              f->slots.v[1].param == 1 && !strcmp(f->usr, "c:@F@op \"x\""),
          "slot and function fields");
    const IrEvent *e = &f->blocks.v[0].ev.v[0];
    CHECK(e->flags == (EVF_ARMS | EVF_INERT | 0x4000) && e->nuses == 2 &&
              e->uses[0].addr && e->uses[1].slot == 5 &&
              !strcmp(e->release_api, "a\nb"),
          "create fields");
    CHECK(f->blocks.v[0].ev.v[2].slot == -1 &&
              !strcmp(f->blocks.v[0].ev.v[2].api, "from"),
          "assign api without a slot");
    CHECK(f->blocks.v[0].ev.v[3].why == NULL, "deferred with no why");
    CHECK(f->blocks.v[2].cond.text && !strcmp(f->blocks.v[2].cond.text, "?"),
          "an invoke whose text is '?'");
    CHECK(v->funcs.v[1]->opaque && !v->funcs.v[1]->loc.file,
          "opaque function without a file");
  }
  ir_unit_free(v);
  ir_unit_free(u);
  arena_free(a);
}

/* Reads `text`; it must read or fail with a message naming it. */
static void survives(const char *text, const char *what, size_t at) {
  Arena *a = arena_new();
  const char *err;
  IrUnit *u = ir_read(a, "fz", text, &err);
  if (!u && (!err || strncmp(err, "fz:", 3)))
    CHECK(false, "%s %zu: no message", what, at);
  ir_unit_free(u);
  arena_free(a);
}

/* Every prefix of a real dump, and one-byte edits to the characters the
 * syntax gives meaning. Quiet when all is well: CHECK counts failures. */
static void test_damage(const char *path) {
  FILE *fp = fopen(path, "rb");
  CHECK(fp != NULL, "cannot open %s", path);
  if (!fp)
    return;
  char *text = calloc(1, 1 << 20);
  size_t n = fread(text, 1, (1 << 20) - 1, fp);
  fclose(fp);
  int before = failed;
  static const char edits[] = " \"()#@=&^:-\n9B";
  for (size_t i = 0; i <= n; i++) {
    char c = text[i];
    text[i] = 0;
    survives(text, "prefix", i);
    text[i] = c;
    for (const char *e = edits; i < n && *e; e++) {
      text[i] = *e;
      survives(text, "edit at", i);
      text[i] = c;
    }
  }
  if (failed == before)
    passed++;
  free(text);
}

int main(int argc, char **argv) {
  test_bad_input();
  test_nasty_names();
  if (argc > 1)
    test_damage(argv[1]);
  return check_summary();
}
