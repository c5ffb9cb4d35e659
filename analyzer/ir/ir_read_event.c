/* ir_read_event.c: a slot line and an event line of the IR's text form
 * (ir_text.c) into the function being read, through ir_slot and ir_emit.
 * Part of the reader (irRead.h). */
#include <stdlib.h>
#include <string.h>

#include "irRead.h"

/* ---- slots ---- */

/* What a slot line says besides its index and name. */
typedef struct {
  IrBaseKind bk;
  int param, kinds, local_col;
  const char *base, *ops, *field;
} SlotWords;

static bool read_slot_word(Rd *r, const Word *x, SlotWords *sw) {
  const char *v;
  size_t n;
  if (ir_rd_word_is(x, "local"))
    sw->local_col = x->col;
  else if (ir_rd_word_is(x, "global"))
    sw->bk = BASE_GLOBAL, sw->kinds++;
  else if (ir_rd_word_is(x, "temp"))
    sw->bk = BASE_TEMP, sw->kinds++;
  else if (ir_rd_is_key(x, "param", &v, &n)) {
    sw->bk = BASE_PARAM, sw->kinds++;
    return ir_rd_int(r, v, n, x->col, &sw->param);
  } else if (ir_rd_is_key(x, "base", &v, &n))
    return ir_rd_name(r, v, n, x->col, &sw->base);
  else if (ir_rd_is_key(x, "ops", &v, &n) && n == 0)
    sw->ops = ""; /* the base itself, whatever the name implies */
  else if (ir_rd_is_key(x, "ops", &v, &n))
    return ir_rd_name(r, v, n, x->col, &sw->ops);
  else if (ir_rd_is_key(x, "field", &v, &n)) {
    if (n && v[0] == '"')
      return ir_rd_unquote(r, v, n, x->col, &sw->field);
    sw->field = arena_strndup(r->a, v, n);
  } else
    return ir_rd_fail(r, x->col, "unknown slot attribute '%.*s'", (int)x->n,
                      x->s);
  return true;
}

/* slot I NAME [local] [param=P | global | temp] [base=B] [ops=O] [field=F] */
bool ir_rd_slot_line(Rd *r) {
  Word *w = r->w.v;
  int idx = -1;
  const char *name;
  if (r->w.n < 3)
    return ir_rd_fail(r, 1, "expected 'slot I NAME'");
  if (!ir_rd_int(r, w[1].s, w[1].n, w[1].col, &idx) ||
      !ir_rd_name(r, w[2].s, w[2].n, w[2].col, &name))
    return false;
  if (idx != r->f->slots.n)
    return ir_rd_fail(r, w[1].col, "slot %d where slot %d comes next", idx,
                      r->f->slots.n);
  SlotWords sw = {BASE_LOCAL, -1, 0, 0, NULL, NULL, NULL};
  for (int i = 3; i < r->w.n; i++)
    if (!read_slot_word(r, &w[i], &sw))
      return false;
  if (sw.kinds > 1)
    return ir_rd_fail(r, w[2].col,
                      "a slot has one base kind: param=P, global or temp");
  const char *base = sw.base ? sw.base : ir_text_name_base(r->a, name);
  const char *ops = sw.ops ? sw.ops : ir_text_name_ops(r->a, name);
  int got = ir_slot(r->f, name, base, sw.bk, sw.param, ops);
  if (got != idx)
    return ir_rd_fail(r, w[2].col, "slot %d has the base and ops of slot %d",
                      idx, got);
  IrSlot *s = &r->f->slots.v[idx];
  if (sw.field)
    ir_slot_set_key(r->f, idx, ir_key_parse(r->a, sw.field, false));
  if (sw.local_col && !s->local)
    return ir_rd_fail(r, sw.local_col,
                      "'local' contradicts the slot's base kind "
                      "and ops (its storage outlives the function)");
  return true;
}

/* ---- events ---- */

static bool flag_word(const Word *w, unsigned *flag) {
  for (int i = 0; i < ir_nflag_words; i++)
    if (ir_rd_word_is(w, ir_flag_words[i].word)) {
      *flag = ir_flag_words[i].flag;
      return true;
    }
  return false;
}

/* Does the word start an event's attributes (rather than name its api or
 * slot)? */
static bool attr_word(const Word *w) {
  unsigned fl;
  if (ir_rd_word_is(w, "<-") || ir_rd_word_is(w, "=") ||
      ir_rd_word_is(w, "thread") || flag_word(w, &fl) || w->s[0] == '@' ||
      (w->n > 9 && !memcmp(w->s, "deferred(", 9)))
    return true;
  for (size_t i = 0; i < w->n && w->s[i] != '"' && w->s[i] != '('; i++)
    if (w->s[i] == '=')
      return true;
  return false;
}

/* deferred(WHY)@LOC */
static bool read_deferred(Rd *r, const Word *w, IrEvent *e) {
  const char *s = w->s + 8, *end = w->s + w->n, *p = s;
  int depth = 0;
  for (; p < end; p++) {
    if (*p == '"') {
      const char *q = ir_rd_string_end(p, end);
      if (!q)
        return ir_rd_fail(r, w->col, "malformed string");
      p = q - 1;
      continue;
    }
    depth += *p == '(';
    if (*p == ')' && --depth == 0)
      break;
  }
  if (p >= end || p + 1 >= end || p[1] != '@')
    return ir_rd_fail(r, w->col, "expected deferred(WHY)@LOC");
  e->flags |= EVF_DEFERRED;
  return ir_rd_paren_text(r, s, (size_t)(p + 1 - s), w->col + 8, &e->why) &&
         ir_rd_loc(r, p + 2, (size_t)(end - p - 2), w->col, r->f->loc.file,
                   &e->at);
}

static bool read_fail(Rd *r, const char *v, size_t n, int col, IrEvent *e) {
  for (int i = 0; i < IR_NFAILS; i++)
    if (strlen(ir_fail_names[i]) == n && !memcmp(ir_fail_names[i], v, n)) {
      e->fail = (IrFail)i;
      return true;
    }
  return ir_rd_fail(r, col, "fail= is never, nonzero, negative or zero");
}

/* One key=value attribute of an event. */
static bool read_keyed(Rd *r, const Word *w, IrEvent *e, UseList *uses) {
  const char *v;
  size_t n;
  bool addr;
  int fn = -1;
  if (ir_rd_is_key(w, "status", &v, &n)) {
    Word x = {v, n, w->col + 7};
    return ir_rd_slot_ref(r, &x, &e->status, &addr);
  }
  if (ir_rd_is_key(w, "uses", &v, &n)) {
    Word x = {v, n, w->col + 5};
    IrUse u;
    if (!ir_rd_slot_ref(r, &x, &u.slot, &u.addr))
      return false;
    array_push(uses, u);
    return true;
  }
  if (ir_rd_is_key(w, "callee", &v, &n) || ir_rd_is_key(w, "worker", &v, &n)) {
    if (!ir_rd_int(r, v, n, w->col, &fn))
      return false;
    e->callee = fn;
    CalleeRef c = {{r->lineno, w->col}, fn};
    array_push(&r->callees, c);
    return true;
  }
  if (ir_rd_is_key(w, "arg", &v, &n))
    return ir_rd_int(r, v, n, w->col, &e->arg);
  if (ir_rd_is_key(w, "k", &v, &n))
    return ir_rd_int64(r, v, n, w->col, &e->k);
  if (ir_rd_is_key(w, "fail", &v, &n))
    return read_fail(r, v, n, w->col, e);
  if (ir_rd_is_key(w, "released-by", &v, &n))
    return ir_rd_name(r, v, n, w->col, &e->release_api);
  if (ir_rd_is_key(w, "frees", &v, &n)) {
    const char *t;
    if (!ir_rd_name(r, v, n, w->col, &t))
      return false;
    e->frees = ir_key_parse(r->a, t, true);
    return true;
  }
  if (ir_rd_is_key(w, "data-rec", &v, &n)) {
    const char *t;
    if (!ir_rd_name(r, v, n, w->col, &t))
      return false;
    e->data_rec = ir_key_parse(r->a, t, true);
    return true;
  }
  if (ir_rd_is_key(w, "data-unref", &v, &n))
    return ir_rd_name(r, v, n, w->col, &e->data_unref);
  if (ir_rd_is_key(w, "user", &v, &n))
    return ir_rd_name(r, v, n, w->col, &e->user);
  if (ir_rd_is_key(w, "usr", &v, &n))
    return ir_rd_name(r, v, n, w->col, &e->usr);
  if (ir_rd_is_key(w, "later", &v, &n))
    return ir_rd_name(r, v, n, w->col, &e->later_usr);
  if (ir_rd_is_key(w, "later-arg", &v, &n))
    return ir_rd_int(r, v, n, w->col, &e->later_param);
  if (ir_rd_is_key(w, "flags", &v, &n)) {
    char buf[16], *end;
    if (n >= sizeof buf)
      return ir_rd_fail(r, w->col, "flags= is a hex number");
    memcpy(buf, v, n);
    buf[n] = 0;
    unsigned long x = strtoul(buf, &end, 16);
    if (*end || !n)
      return ir_rd_fail(r, w->col, "flags= is a hex number");
    e->flags |= (unsigned)x;
    return true;
  }
  return ir_rd_fail(r, w->col, "unknown event attribute '%.*s'", (int)w->n,
                    w->s);
}

/* The attributes after KIND [API] [SLOT], from word i on. */
static bool read_attrs(Rd *r, int i, IrEvent *e, bool *has_loc) {
  UseList uses = {0};
  bool ok = true, addr;
  unsigned fl;
  for (; ok && i < r->w.n; i++) {
    const Word *w = &r->w.v[i];
    if (ir_rd_word_is(w, "<-") || ir_rd_word_is(w, "=")) {
      if (i + 1 == r->w.n) {
        ok = ir_rd_fail(r, w->col, "'%.*s' needs an operand", (int)w->n, w->s);
        break;
      }
      const Word *x = &r->w.v[++i];
      if (ir_rd_word_is(w, "<-")) {
        ok = ir_rd_slot_ref(r, x, &e->slot2, &addr);
      } else {
        ok = ir_rd_int64(r, x->s, x->n, x->col, &e->k);
        e->flags |= EVF_CONST;
      }
    } else if (ir_rd_word_is(w, "thread")) {
      e->res = RES_THREAD;
    } else if (flag_word(w, &fl)) {
      e->flags |= fl;
    } else if (w->s[0] == '@') {
      ok = ir_rd_loc(r, w->s + 1, w->n - 1, w->col, r->f->loc.file, &e->loc);
      *has_loc = true;
    } else if (w->n > 9 && !memcmp(w->s, "deferred(", 9)) {
      ok = read_deferred(r, w, e);
    } else {
      ok = read_keyed(r, w, e, &uses);
    }
  }
  if (ok && uses.n) {
    IrUse *v = arena_alloc(r->a, (size_t)uses.n * sizeof *v);
    memcpy(v, uses.v, (size_t)uses.n * sizeof *v);
    e->uses = v;
    e->nuses = uses.n;
  }
  array_free(&uses);
  return ok;
}

/* KIND [API] [SLOT]: two words are both; a lone word is the slot for
 * kinds that name no api and for a word that names a slot; '-': none. */
static bool read_operands(Rd *r, int *i, IrEvent *e) {
  const Word *ops[3];
  int n = 0;
  for (; *i < r->w.n && !attr_word(&r->w.v[*i]); (*i)++) {
    if (n == 2)
      return ir_rd_fail(r, r->w.v[*i].col,
                        "an event has at most an api and a slot");
    ops[n++] = &r->w.v[*i];
  }
  const Word *api = NULL, *slot = NULL;
  bool api_kind =
      e->kind != EV_ESCAPE && e->kind != EV_COPY && e->kind != EV_ASSIGN;
  bool addr;
  if (n == 2)
    api = ops[0], slot = ops[1];
  else if (n == 1 && (!api_kind || ir_rd_names_slot(r, ops[0])))
    slot = ops[0];
  else if (n == 1)
    api = ops[0];
  if (api && !ir_rd_word_is(api, "-") &&
      !ir_rd_name(r, api->s, api->n, api->col, &e->api))
    return false;
  if (slot && !ir_rd_word_is(slot, "-")) {
    if (!ir_rd_slot_ref(r, slot, &e->slot, &addr))
      return false;
    if (addr)
      e->flags |= EVF_ADDR;
  }
  return true;
}

bool ir_rd_event_line(Rd *r, IrEventKind kind) {
  const Word *w = r->w.v;
  if (r->block < 0 || r->bstate.v[r->block] == BK_ENDED)
    return ir_rd_fail(r, w[0].col,
                      r->block < 0 ? "an event before any block"
                                   : "an event after its block's end");
  IrEvent e = {0};
  e.kind = kind;
  e.slot = e.slot2 = e.status = e.callee = -1;
  e.arg = kind == EV_CALL ? 0 : -1; /* as ir_emit: see its default */
  int i = 1;
  bool has_loc = false;
  if (!read_operands(r, &i, &e) || !read_attrs(r, i, &e, &has_loc))
    return false;
  if (!has_loc)
    return ir_rd_fail(r, w[0].col, "an event needs its location (@LINE:COL)");
  *ir_emit(r->f, r->block, kind, e.slot, e.loc) = e;
  return true;
}
