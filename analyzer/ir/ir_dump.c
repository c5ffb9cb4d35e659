/* ir_dump.c: the IR as stable text (--dump-ir, golden tests). Reads the IR
 * only; knows nothing of how it was built. */
#include "ir.h"

static const char *const cmp_names[] = {"==", "!=", "<", "<=", ">", ">="};
static const char *const term_names[] = {
    "goto", "branch", "switch", "return", "noreturn", "exit", "invoke"};

static void dump_event(FILE *out, const IrFunc *f, const IrEvent *e) {
  fprintf(out, "    %s", ir_event_name(e->kind));
  if (e->api)
    fprintf(out, " %s", e->api);
  if (e->slot >= 0)
    fprintf(out, " %s%s", (e->flags & EVF_ADDR) ? "&" : "",
            f->slots.v[e->slot].name);
  if (e->slot2 >= 0)
    fprintf(out, " <- %s", f->slots.v[e->slot2].name);
  if (e->status >= 0)
    fprintf(out, " status=%s", f->slots.v[e->status].name);
  if (e->kind == EV_CALL)
    fprintf(out, " callee=%d arg=%d", e->callee, e->arg);
  if (e->flags & EVF_CONST)
    fprintf(out, " = %lld", (long long)e->k);
  if (e->flags & EVF_DISCARDED)
    fprintf(out, " discarded");
  if (e->flags & EVF_ESCAPED)
    fprintf(out, " escaped");
  if (e->flags & EVF_DETACHED)
    fprintf(out, " detached");
  if (e->kind == EV_CREATE && e->callee >= 0)
    fprintf(out, " worker=%d", e->callee);
  for (int i = 0; i < e->nuses; i++)
    fprintf(out, " uses=%s%s", e->uses[i].addr ? "&" : "",
            f->slots.v[e->uses[i].slot].name);
  if (e->flags & EVF_DEFERRED)
    fprintf(out, " deferred(%s)@%d:%d", e->why ? e->why : "",
            e->at.line, e->at.col);
  fprintf(out, "  @%d:%d\n", e->loc.line, e->loc.col);
}

void ir_dump_func(FILE *out, const IrFunc *f) {
  fprintf(out, "func %s(%d params) entry=B%d exit=B%d\n", f->name, f->nparams,
          f->entry, f->exit);
  for (int i = 0; i < f->slots.n; i++) {
    const IrSlot *s = &f->slots.v[i];
    fprintf(out, "  slot %d %s%s%s%s\n", i, s->name, s->local ? " local" : "",
            s->field ? " field=" : "", s->field ? s->field : "");
  }
  for (int b = 0; b < f->blocks.n; b++) {
    const IrBlock *bl = &f->blocks.v[b];
    fprintf(out, "  B%d:\n", b);
    for (int i = 0; i < bl->ev.n; i++)
      dump_event(out, f, &bl->ev.v[i]);
    fprintf(out, "    %s", term_names[bl->term]);
    if (bl->term == TERM_INVOKE)
      fprintf(out, " (%s)", bl->cond.text ? bl->cond.text : "?");
    if (bl->term == TERM_BRANCH) {
      if (bl->cond.var >= 0)
        fprintf(out, " (%s %s %lld)", f->slots.v[bl->cond.var].name,
                cmp_names[bl->cond.op], (long long)bl->cond.k);
      else
        fprintf(out, " (?)");
    }
    for (int i = 0; i < bl->succ.n; i++)
      fprintf(out, " B%d%s", bl->succ.v[i].to, bl->succ.v[i].back ? "^" : "");
    fprintf(out, "\n");
  }
}

void ir_dump_unit(FILE *out, const IrUnit *u) {
  for (int i = 0; i < u->funcs.n; i++)
    ir_dump_func(out, u->funcs.v[i]);
}
