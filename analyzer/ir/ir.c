/* ir.c: building the lifecycle IR. No analysis here; the text form is in
 * ir_dump.c. */
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
    array_free(&f->elem_stops);
  }
  array_free(&u->funcs);
  array_free(&u->targets);
  array_free(&u->hooks);
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

void ir_natural_loop(const IrFunc *f, int from, int header, bool *body,
                     int *stack) {
  int sp = 0;
  memset(body, 0, (size_t)f->blocks.n * sizeof *body);
  body[header] = true;
  if (!body[from])
    body[stack[sp++] = from] = true;
  while (sp) {
    const IrBlock *b = &f->blocks.v[stack[--sp]];
    for (int p = 0; p < b->pred.n; p++)
      if (!body[b->pred.v[p]])
        body[stack[sp++] = b->pred.v[p]] = true;
  }
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
