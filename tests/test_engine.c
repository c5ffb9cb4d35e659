/* test_engine.c: the engine on IR built by hand, no libclang. Each test
 * builds a small CFG the way a front end would and checks the exact
 * findings (rule and line), so a change in the typestate logic shows here
 * before it shows in testdata. */
#include <stdio.h>
#include <string.h>

#include "../analyzer/engine/engine.h"

#include "check.h"

typedef struct {
  Arena *a;
  IrUnit *u;
  IrFunc *f;
  FindingList out;
} T;

static IrLoc at(int line) { return (IrLoc){"t.c", line, 1}; }

static T t_new(const char *fn, int nparams) {
  T t = {0};
  t.a = arena_new();
  t.u = ir_unit_new(t.a, "t.c");
  t.f = ir_func_new(t.u, fn, fn, at(1), nparams);
  return t;
}

static void t_free(T *t) {
  array_free(&t->out);
  ir_unit_free(t->u);
  arena_free(t->a);
}

static int local(T *t, const char *name) {
  return ir_slot(t->f, name, name, BASE_LOCAL, -1, "");
}

static IrEvent *create(T *t, int b, int slot, int status, int line) {
  IrEvent *e = ir_emit(t->f, b, EV_CREATE, slot, at(line));
  e->api = "timer_create";
  e->release_api = "timer_delete";
  e->fail = FAIL_NONZERO;
  e->res = RES_TIMER;
  e->status = status;
  return e;
}

static IrEvent *role(T *t, int b, IrEventKind k, int slot, int line) {
  IrEvent *e = ir_emit(t->f, b, k, slot, at(line));
  e->api = k == EV_RELEASE ? "timer_delete" : "timer_settime";
  return e;
}

static void ret(T *t, int b, int line) {
  ir_term(t->f, b, TERM_RETURN, at(line));
}

static void branch(T *t, int b, int var, IrCmp op, long k, int yes, int no,
                   int line) {
  IrCond c = {.var = var, .op = op, .k = k};
  ir_branch(t->f, b, c, yes, no, at(line));
}

static int count(T *t, const char *rule, int line) {
  int n = 0;
  for (int i = 0; i < t->out.n; i++)
    if (!strcmp(t->out.v[i].rule, rule) && t->out.v[i].loc.line == line)
      n++;
  return n;
}

static void run(T *t) {
  eng_analyze_unit(t->u, &t->out, NULL);
  findings_sort_unique(&t->out);
}

/* create; if (x) return; delete; return: a leak on the early return only,
 * with the branch in the notes. */
static void test_early_return(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t"), x = local(&t, "x");
  int b0 = t.f->entry, early = ir_block_new(t.f), late = ir_block_new(t.f);
  create(&t, b0, tm, -1, 2);
  branch(&t, b0, x, CMP_NE, 0, early, late, 3);
  ret(&t, early, 4);
  role(&t, late, EV_RELEASE, tm, 5);
  ret(&t, late, 6);
  run(&t);
  CHECK(t.out.n == 1 && count(&t, "missing-stop", 2) == 1, "got %d", t.out.n);
  if (t.out.n == 1) {
    const Finding *f = &t.out.v[0];
    CHECK(f->nnotes == 3, "notes %d", f->nnotes);
    CHECK(f->nnotes == 3 && f->notes[1].loc.line == 3 &&
              strstr(f->notes[1].text, "true branch") &&
              f->notes[2].loc.line == 4,
          "path create -> true branch -> return");
  }
  t_free(&t);
}

/* if (create(&t) != 0) return; delete: no timer on the failed branch. */
static void test_status_check(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t"), st = local(&t, "rc");
  int b0 = t.f->entry, fail = ir_block_new(t.f), ok = ir_block_new(t.f);
  create(&t, b0, tm, st, 2);
  branch(&t, b0, st, CMP_NE, 0, fail, ok, 2);
  ret(&t, fail, 3);
  role(&t, ok, EV_RELEASE, tm, 4);
  ret(&t, ok, 5);
  run(&t);
  CHECK(t.out.n == 0, "status check: got %d findings", t.out.n);
  t_free(&t);
}

/* if (v) create; ...; if (v) delete: the flag is tested twice. */
static void test_flag_twice(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t"), v = local(&t, "verbose");
  int b0 = t.f->entry, c1 = ir_block_new(t.f), j1 = ir_block_new(t.f),
      d1 = ir_block_new(t.f), j2 = ir_block_new(t.f);
  branch(&t, b0, v, CMP_NE, 0, c1, j1, 2);
  create(&t, c1, tm, -1, 3);
  ir_edge(t.f, c1, j1, false);
  branch(&t, j1, v, CMP_NE, 0, d1, j2, 4);
  role(&t, d1, EV_RELEASE, tm, 5);
  ir_edge(t.f, d1, j2, false);
  ret(&t, j2, 6);
  run(&t);
  CHECK(t.out.n == 0, "flag tested twice: got %d findings", t.out.n);
  /* An assignment between the tests breaks the correlation. */
  ir_emit(t.f, j1, EV_ASSIGN, v, at(4));
  array_free(&t.out);
  run(&t);
  CHECK(count(&t, "missing-stop", 3) == 1, "after assign: %d", t.out.n);
  t_free(&t);
}

/* A loop whose body creates and never releases: created-in-loop, once. */
static void test_loop(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t");
  int b0 = t.f->entry, head = ir_block_new(t.f), body = ir_block_new(t.f),
      out = ir_block_new(t.f);
  ir_edge(t.f, b0, head, false);
  IrCond unknown = {.var = -1, .op = CMP_NE};
  ir_branch(t.f, head, unknown, body, out, at(2));
  create(&t, body, tm, -1, 3);
  ir_edge(t.f, body, head, true);
  ret(&t, out, 5);
  run(&t);
  CHECK(t.out.n == 1 && count(&t, "created-in-loop", 3) == 1,
        "loop: %d findings", t.out.n);
  /* Releasing in the iteration fixes it. */
  role(&t, body, EV_RELEASE, tm, 4);
  array_free(&t.out);
  run(&t);
  CHECK(t.out.n == 0, "released per iteration: %d", t.out.n);
  t_free(&t);
}

/* delete twice; settime after delete. */
static void test_use_after_release(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t");
  int b0 = t.f->entry;
  create(&t, b0, tm, -1, 2);
  role(&t, b0, EV_RELEASE, tm, 3);
  role(&t, b0, EV_ARM, tm, 4);
  ret(&t, b0, 5);
  run(&t);
  CHECK(t.out.n == 1 && count(&t, "use-after-release", 4) == 1, "uar: %d",
        t.out.n);
  t_free(&t);
}

/* Returned, stored through a pointer, passed to unknown code: silent. */
static void test_escapes(void) {
  for (int mode = 0; mode < 3; mode++) {
    T t = t_new("f", 1);
    int tm = local(&t, "t");
    int b0 = t.f->entry;
    create(&t, b0, tm, -1, 2);
    if (mode == 0) {
      ir_emit(t.f, b0, EV_ESCAPE, tm, at(3));
    } else if (mode == 1) {
      int fld = ir_slot(t.f, "s->t", "s", BASE_PARAM, 0, "*.t");
      IrEvent *e = ir_emit(t.f, b0, EV_COPY, fld, at(3));
      e->slot2 = tm;
    } else {
      IrEvent *e = ir_emit(t.f, b0, EV_CALL, tm, at(3));
      e->callee = -1;
    }
    ret(&t, b0, 4);
    run(&t);
    CHECK(t.out.n == 0, "escape mode %d: %d findings", mode, t.out.n);
    t_free(&t);
  }
}

/* A same-unit helper that releases its parameter on every path is a
 * release; one that only disarms leaves it disarmed; one that releases on
 * some paths makes the state unknown. */
static void test_summaries(void) {
  for (int mode = 0; mode < 3; mode++) {
    T t = t_new("caller", 0);
    IrFunc *h = ir_func_new(t.u, "helper", "helper", at(10), 1);
    int p = ir_slot(h, "p", "p", BASE_PARAM, 0, "");
    int hb = h->entry;
    if (mode == 0) {
      ir_emit(h, hb, EV_RELEASE, p, at(11))->api = "timer_delete";
      ir_term(h, hb, TERM_RETURN, at(12));
    } else if (mode == 1) {
      ir_emit(h, hb, EV_DISARM, p, at(11))->api = "timer_settime";
      ir_term(h, hb, TERM_RETURN, at(12));
    } else {
      int x = ir_slot(h, "x", "x", BASE_LOCAL, -1, "");
      int a = ir_block_new(h), b = ir_block_new(h);
      IrCond c = {.var = x, .op = CMP_NE};
      ir_branch(h, hb, c, a, b, at(11));
      ir_emit(h, a, EV_RELEASE, p, at(12))->api = "timer_delete";
      ir_term(h, a, TERM_RETURN, at(13));
      ir_term(h, b, TERM_RETURN, at(14));
    }
    int tm = local(&t, "t");
    int b0 = t.f->entry;
    create(&t, b0, tm, -1, 2);
    IrEvent *call = ir_emit(t.f, b0, EV_CALL, tm, at(3));
    call->callee = 1;
    call->arg = 0;
    ret(&t, b0, 4);
    run(&t);
    if (mode == 0)
      CHECK(t.out.n == 0, "releasing helper: %d", t.out.n);
    else if (mode == 1)
      CHECK(t.out.n == 1 && count(&t, "disarmed-not-released", 2) == 1,
            "disarming helper: %d", t.out.n);
    else
      CHECK(t.out.n == 0, "helper releasing on some paths: %d", t.out.n);
    t_free(&t);
  }
}

/* Paths ending in a function that never returns leak nothing. */
static void test_noreturn(void) {
  T t = t_new("f", 0);
  IrFunc *die = ir_func_new(t.u, "die", "die", at(20), 0);
  ir_term(die, die->entry, TERM_NORETURN, at(21));
  int tm = local(&t, "t");
  int b0 = t.f->entry;
  create(&t, b0, tm, -1, 2);
  ir_emit(t.f, b0, EV_CALL, -1, at(3))->callee = 1;
  ret(&t, b0, 4);
  run(&t);
  CHECK(t.out.n == 0, "noreturn helper: %d", t.out.n);
  t_free(&t);
}

/* Merging keeps the cost linear: a chain of N diamonds (2^N paths) must
 * finish and find the one leak. */
static void test_no_path_explosion(void) {
  T t = t_new("f", 0);
  int tm = local(&t, "t");
  int b = t.f->entry;
  create(&t, b, tm, -1, 2);
  for (int i = 0; i < 200; i++) {
    int x = local(&t, i % 2 ? "x" : "y");
    int l = ir_block_new(t.f), r = ir_block_new(t.f), j = ir_block_new(t.f);
    branch(&t, b, x, CMP_EQ, i, l, r, 3 + i);
    ir_edge(t.f, l, j, false);
    ir_edge(t.f, r, j, false);
    b = j;
  }
  ret(&t, b, 999);
  run(&t);
  CHECK(t.out.n == 1 && count(&t, "missing-stop", 2) == 1, "%d", t.out.n);
  t_free(&t);
}

/* A worker thread started with &t; t released by deferred cleanup at the
 * return: stop-too-late at the deferred release when the worker is not
 * joined first (never joined, or detached), none when it is; and none on a
 * path that ends in a call that never returns. */
static void test_stop_too_late(void) {
  for (int mode = 0; mode < 4; mode++) {
    T t = t_new("f", 0);
    IrFunc *w = ir_func_new(t.u, "worker", "worker", at(30), 1);
    ir_edge(w, w->entry, w->entry, true); /* for (;;) {} */
    int tm = local(&t, "t"), th = local(&t, "th");
    int b0 = t.f->entry;
    create(&t, b0, tm, -1, 2);
    IrEvent *e = ir_emit(t.f, b0, EV_CREATE, th, at(3));
    e->api = "pthread_create";
    e->res = RES_THREAD;
    e->callee = 1;
    IrUse *u = arena_alloc(t.a, sizeof *u);
    *u = (IrUse){tm, true};
    e->uses = u;
    e->nuses = 1;
    if (mode == 1)
      ir_emit(t.f, b0, EV_JOIN, th, at(4))->api = "pthread_join";
    if (mode == 2)
      ir_emit(t.f, b0, EV_DETACH, th, at(4))->api = "pthread_detach";
    IrEvent *d = role(&t, b0, EV_RELEASE, tm, 5);
    d->flags |= EVF_DEFERRED;
    d->why = "cleanup";
    d->at = at(6);
    if (mode == 3)
      ir_term(t.f, b0, TERM_NORETURN, at(6));
    else
      ret(&t, b0, 6);
    run(&t);
    int want = mode == 0 || mode == 2;
    CHECK(count(&t, "stop-too-late", 5) == want,
          "mode %d: stop-too-late %d, want %d", mode,
          count(&t, "stop-too-late", 5), want);
    CHECK(count(&t, "missing-join", 3) == (mode == 0), "mode %d: missing-join",
          mode);
    for (int i = 0; i < t.out.n && want; i++)
      if (!strcmp(t.out.v[i].rule, "stop-too-late"))
        CHECK(strstr(t.out.v[i].message, "worker() never returns") &&
                  t.out.v[i].nnotes >= 4,
              "mode %d: message and path: %s", mode, t.out.v[i].message);
    t_free(&t);
  }
}

/* A C++ thread object destroyed while joinable: thread-joinable-destroyed
 * at its creation; destroyed after the join: nothing. */
static void test_joinable_destroyed(void) {
  for (int joined = 0; joined < 2; joined++) {
    T t = t_new("f", 0);
    int th = local(&t, "th");
    int b0 = t.f->entry;
    IrEvent *e = ir_emit(t.f, b0, EV_CREATE, th, at(2));
    e->api = "std::thread::thread";
    e->res = RES_THREAD;
    if (joined)
      ir_emit(t.f, b0, EV_JOIN, th, at(3))->api = "std::thread::join";
    ir_emit(t.f, b0, EV_DESTROY, th, at(4))->api = "std::thread::~thread";
    ret(&t, b0, 5);
    run(&t);
    CHECK(count(&t, "thread-joinable-destroyed", 2) == !joined,
          "joined %d", joined);
    CHECK(count(&t, "missing-join", 2) == 0, "joined %d: no missing-join",
          joined);
    t_free(&t);
  }
}

/* The note quotes the condition as written. `if (!x) delete;` lowers to a
 * test of x with the successors swapped; the leak is on the if's false
 * branch, where '!x' is false. Under `!(a && x)` a true x takes the false
 * branch. Without text, "the condition" is the whole one. */
static void test_negated_condition_notes(void) {
  static const struct {
    const char *text;
    bool text_negated, branch_negated;
    const char *want;
  } cases[] = {
      {"'!x'", true, false, "taking the false branch: '!x' is false"},
      {"'x'", false, true, "taking the false branch: 'x' is true"},
      {NULL, false, false, "taking the true branch: the condition is true"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    T t = t_new("f", 0);
    int tm = local(&t, "t"), x = local(&t, "x");
    int b0 = t.f->entry, leak = ir_block_new(t.f), rel = ir_block_new(t.f);
    create(&t, b0, tm, -1, 2);
    IrCond c = {.var = x, .op = CMP_NE, .text = cases[i].text,
                .text_negated = cases[i].text_negated,
                .branch_negated = cases[i].branch_negated};
    ir_branch(t.f, b0, c, leak, rel, at(3)); /* x != 0 leaks */
    ret(&t, leak, 4);
    role(&t, rel, EV_RELEASE, tm, 5);
    ret(&t, rel, 6);
    run(&t);
    CHECK(t.out.n == 1 && t.out.v[0].nnotes == 3 &&
              !strcmp(t.out.v[0].notes[1].text, cases[i].want),
          "case %zu: %s", i,
          t.out.n == 1 && t.out.v[0].nnotes == 3 ? t.out.v[0].notes[1].text
                                                   : "no finding");
    t_free(&t);
  }
}

int main(void) {
  test_early_return();
  test_status_check();
  test_flag_twice();
  test_loop();
  test_use_after_release();
  test_escapes();
  test_summaries();
  test_noreturn();
  test_no_path_explosion();
  test_stop_too_late();
  test_joinable_destroyed();
  test_negated_condition_notes();
  return check_summary();
}
