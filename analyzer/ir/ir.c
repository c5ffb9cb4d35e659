/* ir.c: building and dumping the lifecycle IR. No analysis here. */
#include "ir.h"

#include <string.h>

static const char *const event_names[] = {
#define X(e, name, role) name,
    IR_EVENT_KINDS(X)
#undef X
};

static const char *const event_roles[] = {
#define X(e, name, role) role,
    IR_EVENT_KINDS(X)
#undef X
};

const char *ir_event_name(IrEventKind k) {
  return (unsigned)k < EV__COUNT ? event_names[k] : "?";
}

int ir_event_from_role(const char *role) {
  for (int k = 0; k < EV__COUNT; k++)
    if (event_roles[k] && strcmp(event_roles[k], role) == 0)
      return k;
  return -1;
}

IrUnit *ir_unit_new(Arena *arena, const char *main_file) {
  IrUnit *u = xcalloc(1, sizeof *u);
  u->arena = arena;
  u->main_file = arena_strdup(arena, main_file);
  return u;
}

void ir_unit_free(IrUnit *u) {
  if (!u)
    return;
  for (int i = 0; i < u->funcs.n; i++) {
    IrFunc *f = u->funcs.v[i];
    for (int b = 0; b < f->blocks.n; b++) {
      array_free(&f->blocks.v[b].ev);
      array_free(&f->blocks.v[b].succ);
      array_free(&f->blocks.v[b].pred);
    }
    array_free(&f->blocks);
    array_free(&f->slots);
  }
  array_free(&u->funcs);
  xfree(u);
}

IrFunc *ir_func_new(IrUnit *u, const char *name, const char *usr, IrLoc loc,
                    int nparams) {
  IrFunc *f = arena_alloc(u->arena, sizeof *f);
  f->name = arena_strdup(u->arena, name);
  f->usr = arena_strdup(u->arena, usr ? usr : name);
  f->loc = loc;
  f->nparams = nparams;
  f->entry = ir_block_new(f);
  f->exit = ir_block_new(f);
  f->blocks.v[f->exit].term = TERM_EXIT;
  array_push(&u->funcs, f);
  return f;
}

int ir_block_new(IrFunc *f) {
  IrBlock b = {0};
  b.term = TERM_GOTO;
  b.cond.var = -1;
  array_push(&f->blocks, b);
  return f->blocks.n - 1;
}

void ir_edge(IrFunc *f, int from, int to, bool back) {
  IrEdge e = {to, back};
  array_push(&f->blocks.v[from].succ, e);
  array_push(&f->blocks.v[to].pred, from);
}

IrEvent *ir_emit(IrFunc *f, int block, IrEventKind kind, int slot, IrLoc loc) {
  IrEvent e = {0};
  e.kind = kind;
  e.slot = slot;
  e.slot2 = e.status = e.callee = -1;
  e.arg = kind == EV_CALL ? 0 : -1; /* a call's argument index, or a
                                       callback's parameter (none) */
  e.loc = loc;
  IrBlock *b = &f->blocks.v[block];
  array_push(&b->ev, e);
  return &b->ev.v[b->ev.n - 1];
}

void ir_term(IrFunc *f, int block, IrTermKind term, IrLoc loc) {
  f->blocks.v[block].term = term;
  f->blocks.v[block].loc = loc;
  if (term == TERM_RETURN)
    ir_edge(f, block, f->exit, false);
}

void ir_branch(IrFunc *f, int block, IrCond cond, int on_true, int on_false,
               IrLoc loc) {
  IrBlock *b = &f->blocks.v[block];
  b->term = TERM_BRANCH;
  b->cond = cond;
  b->loc = loc;
  ir_edge(f, block, on_true, false);
  ir_edge(f, block, on_false, false);
}

IrEvent *ir_event_at(IrFunc *f, int block, int index) {
  return &f->blocks.v[block].ev.v[index];
}

int ir_block_nevents(const IrFunc *f, int block) {
  return f->blocks.v[block].ev.n;
}

void ir_create_discard(IrEvent *e) {
  if (e->kind == EV_CREATE && e->slot < 0 && !(e->flags & EVF_ESCAPED))
    e->flags |= EVF_DISCARDED;
}

void ir_switch(IrFunc *f, int block, IrLoc loc) {
  f->blocks.v[block].term = TERM_SWITCH;
  f->blocks.v[block].loc = loc;
}

void ir_invoke(IrFunc *f, int block, const char *text, int normal,
               int unwind, IrLoc loc) {
  IrBlock *b = &f->blocks.v[block];
  b->term = TERM_INVOKE;
  b->cond.var = -1;
  b->cond.text = text;
  b->loc = loc;
  ir_edge(f, block, normal, false);
  ir_edge(f, block, unwind, false);
}

void ir_mark_back(IrFunc *f, int from, int to) {
  IrBlock *b = &f->blocks.v[from];
  for (int i = 0; i < b->succ.n; i++)
    if (b->succ.v[i].to == to)
      b->succ.v[i].back = true;
}

void ir_slot_set_key(IrFunc *f, int slot, const IrKey *key) {
  f->slots.v[slot].key = key;
}

static bool ops_local(const char *ops) {
  return !strchr(ops, '*') && !strchr(ops, '[');
}

int ir_slot_find(const IrFunc *f, const char *base, const char *ops) {
  for (int i = 0; i < f->slots.n; i++)
    if (strcmp(f->slots.v[i].base, base) == 0 &&
        strcmp(f->slots.v[i].ops, ops) == 0)
      return i;
  return -1;
}

int ir_slot(IrFunc *f, const char *name, const char *base, IrBaseKind bk,
            int param, const char *ops) {
  int i = ir_slot_find(f, base, ops);
  if (i >= 0)
    return i;
  IrSlot s = {name, base, bk, param, ops, false, NULL};
  s.local = (bk == BASE_LOCAL || bk == BASE_PARAM || bk == BASE_TEMP) &&
            ops_local(ops);
  array_push(&f->slots, s);
  return f->slots.n - 1;
}

bool ir_ops_extends(const char *ext, const char *pre) {
  size_t n = strlen(pre);
  if (strncmp(ext, pre, n) != 0)
    return false;
  char c = ext[n];
  return c == 0 || c == '*' || c == '.' || c == '[';
}

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
  if (e->kind != EV_CREATE && e->kind != EV_CALL && e->callee >= 0)
    fprintf(out, " callback=%d", e->callee);
  if (e->kind != EV_CALL && e->arg >= 0)
    fprintf(out, " gets=%sparam%d", (e->flags & EVF_CB_DEREF) ? "*" : "",
            e->arg);
  if (e->flags & EVF_CLOSING)
    fprintf(out, " closing");
  if (e->flags & EVF_IDEMPOTENT)
    fprintf(out, " idempotent");
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
            s->key ? " field=" : "", s->key ? s->key->text : "");
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
