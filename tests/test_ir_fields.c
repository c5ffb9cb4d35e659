/* test_ir_fields RULES_DIR FILE [-- FLAGS...]: lowers FILE with the front
 * end, dumps the unit, reads the dump back and compares the two units field
 * by field. ir_roundtrip shows the text is a fixed point; this shows that
 * nothing the dump leaves out is lost on the way (what the engine reads,
 * and the rest of the IR too). Slot bases are compared as which slots share
 * one: the text names them by labels, the engine only compares them.
 * Exit 0 when equal, 1 on a difference (listed), 2 on usage or input
 * errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/frontend/fe.h"

typedef struct {
  const char *where; /* "func f B3 event 2" */
  int diffs;
} Cmp;

static bool str_eq(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

static void differ(Cmp *c, const char *field) {
  if (c->diffs++ < 20)
    printf("  %s: %s differs\n", c->where, field);
}

#define SAME_INT(c, x, y, f)                                                   \
  do {                                                                         \
    if ((x)->f != (y)->f)                                                      \
      differ(c, #f);                                                           \
  } while (0)
#define SAME_STR(c, x, y, f)                                                   \
  do {                                                                         \
    if (!str_eq((x)->f, (y)->f))                                               \
      differ(c, #f);                                                           \
  } while (0)

/* Keys compare by identity (their serialised text, ir_key_cmp). */
#define SAME_KEY(c, x, y, f)                                                   \
  do {                                                                         \
    if (!(x)->f != !(y)->f || ((x)->f && ir_key_cmp((x)->f, (y)->f)))         \
      differ(c, #f);                                                           \
  } while (0)

static void same_loc(Cmp *c, IrLoc x, IrLoc y, const char *what) {
  if (!str_eq(x.file, y.file) || x.line != y.line || x.col != y.col)
    differ(c, what);
}

static void same_event(Cmp *c, const IrEvent *x, const IrEvent *y) {
  SAME_INT(c, x, y, kind);
  SAME_INT(c, x, y, flags);
  SAME_INT(c, x, y, slot);
  SAME_INT(c, x, y, slot2);
  SAME_INT(c, x, y, status);
  SAME_INT(c, x, y, callee);
  SAME_INT(c, x, y, arg);
  SAME_INT(c, x, y, k);
  SAME_INT(c, x, y, fail);
  SAME_INT(c, x, y, res);
  SAME_STR(c, x, y, api);
  SAME_STR(c, x, y, release_api);
  SAME_STR(c, x, y, why);
  SAME_KEY(c, x, y, frees);
  SAME_KEY(c, x, y, data_rec);
  SAME_STR(c, x, y, data_unref);
  SAME_STR(c, x, y, usr);
  SAME_INT(c, x, y, nuses);
  for (int i = 0; i < x->nuses && i < y->nuses; i++)
    if (x->uses[i].slot != y->uses[i].slot ||
        x->uses[i].addr != y->uses[i].addr)
      differ(c, "uses");
  same_loc(c, x->loc, y->loc, "loc");
  same_loc(c, x->at, y->at, "at");
}

static void same_block(Cmp *c, const IrBlock *x, const IrBlock *y) {
  SAME_INT(c, x, y, term);
  SAME_INT(c, x, y, cond.var);
  if (x->cond.var >= 0) { /* without a variable, nothing reads op and k */
    SAME_INT(c, x, y, cond.op);
    SAME_INT(c, x, y, cond.k);
  }
  SAME_STR(c, x, y, cond.text);
  same_loc(c, x->loc, y->loc, "loc");
  SAME_INT(c, x, y, succ.n);
  for (int i = 0; i < x->succ.n && i < y->succ.n; i++)
    if (x->succ.v[i].to != y->succ.v[i].to ||
        x->succ.v[i].back != y->succ.v[i].back)
      differ(c, "succ");
  /* Predecessors come from the edges; only their set matters. */
  SAME_INT(c, x, y, pred.n);
  for (int i = 0; i < x->pred.n; i++) {
    int nx = 0, ny = 0;
    for (int j = 0; j < x->pred.n; j++)
      nx += x->pred.v[j] == x->pred.v[i];
    for (int j = 0; j < y->pred.n; j++)
      ny += y->pred.v[j] == x->pred.v[i];
    if (nx != ny)
      differ(c, "pred");
  }
  SAME_INT(c, x, y, ev.n);
}

static void same_slots(Cmp *c, const IrFunc *x, const IrFunc *y) {
  for (int i = 0; i < x->slots.n && i < y->slots.n; i++) {
    const IrSlot *a = &x->slots.v[i], *b = &y->slots.v[i];
    char where[600];
    snprintf(where, sizeof where, "func %s slot %d", x->name, i);
    c->where = where;
    SAME_STR(c, a, b, name);
    SAME_INT(c, a, b, base_kind);
    SAME_INT(c, a, b, param);
    SAME_STR(c, a, b, ops);
    SAME_INT(c, a, b, local);
    SAME_KEY(c, a, b, key);
    for (int j = 0; j < x->slots.n && j < y->slots.n; j++)
      if (str_eq(a->base, x->slots.v[j].base) !=
          str_eq(b->base, y->slots.v[j].base))
        differ(c, "base (shared with another slot or not)");
  }
}

static void same_func(Cmp *c, const IrFunc *x, const IrFunc *y) {
  char where[600];
  snprintf(where, sizeof where, "func %s", x->name);
  c->where = where;
  SAME_STR(c, x, y, name);
  SAME_STR(c, x, y, usr);
  same_loc(c, x->loc, y->loc, "loc");
  SAME_INT(c, x, y, end_line);
  SAME_INT(c, x, y, opaque);
  SAME_INT(c, x, y, nparams);
  SAME_INT(c, x, y, entry);
  SAME_INT(c, x, y, exit);
  SAME_INT(c, x, y, slots.n);
  SAME_INT(c, x, y, blocks.n);
  same_slots(c, x, y);
  for (int b = 0; b < x->blocks.n && b < y->blocks.n; b++) {
    const IrBlock *bx = &x->blocks.v[b], *by = &y->blocks.v[b];
    snprintf(where, sizeof where, "func %s B%d", x->name, b);
    c->where = where;
    same_block(c, bx, by);
    for (int i = 0; i < bx->ev.n && i < by->ev.n; i++) {
      snprintf(where, sizeof where, "func %s B%d event %d", x->name, b, i);
      same_event(c, &bx->ev.v[i], &by->ev.v[i]);
    }
  }
}

/* Lowers, dumps, reads back; the number of differences, -1 on errors. */
static int check(const Rules *rules, const char *file, char **flags,
                 int nflags) {
  FeCtx *fe = fe_new(rules);
  Arena *a = arena_new(), *b = arena_new();
  FeCommand cmd = {file, NULL, (const char *const *)flags, nflags, false, NULL, NULL};
  FeDiag d;
  IrUnit *u = fe_lower_tu(fe, &cmd, a, &d, NULL), *v = NULL;
  int diffs = -1;
  if (!u) {
    fprintf(stderr, "%s: %s\n", file, d.fatal ? d.fatal : "cannot lower");
    goto out;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ir_dump_unit(mem, u);
  fclose(mem);
  const char *err;
  v = ir_read(b, file, text, &err);
  free(text);
  if (!v) {
    fprintf(stderr, "%s\n", err);
    goto out;
  }
  Cmp c = {"unit", 0};
  if (u->funcs.n != v->funcs.n)
    differ(&c, "number of functions");
  for (int i = 0; i < u->funcs.n && i < v->funcs.n; i++)
    same_func(&c, u->funcs.v[i], v->funcs.v[i]);
  diffs = c.diffs;
out:
  fe_diag_clear(&d);
  ir_unit_free(u);
  ir_unit_free(v);
  arena_free(a);
  arena_free(b);
  fe_free(fe);
  return diffs;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: test_ir_fields RULES_DIR FILE [-- FLAGS...]\n");
    return 2;
  }
  Rules *rules = rules_new();
  char *msg = NULL;
  if (rules_load_path(rules, argv[1], &msg) < 0) {
    fprintf(stderr, "%s\n", msg);
    free(msg);
    rules_free(rules);
    return 2;
  }
  int nflags = argc > 4 && !strcmp(argv[3], "--") ? argc - 4 : 0;
  int diffs = check(rules, argv[2], argv + 4, nflags);
  rules_free(rules);
  if (diffs > 0)
    printf("%s: %d field%s differ after dump and read\n", argv[2], diffs,
           diffs == 1 ? "" : "s");
  return diffs < 0 ? 2 : diffs > 0;
}
