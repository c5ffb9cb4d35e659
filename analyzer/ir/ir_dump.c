/* ir_dump.c: the IR as stable text (--dump-ir, golden tests, engine tests
 * read back by ir_read.c). The grammar is described in ir_text.c. Reads the
 * IR only; knows nothing of how it was built. */
#include <string.h>

#include "irInt.h"

/* What writing one function needs besides the function. */
typedef struct {
  FILE *out;
  const IrFunc *f;
  Arena *a;           /* labels; freed when the function is written */
  const char **label; /* per slot: its base's label */
  bool *shared_name;  /* per slot: another slot has its display name */
} Dump;

static bool same_file(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

/* LINE:COL in the function's file, FILE:LINE:COL elsewhere. */
static void put_loc(const Dump *d, IrLoc l) {
  if (!same_file(l.file, d->f->loc.file)) {
    if (l.file)
      ir_text_put(d->out, l.file);
    else
      fputc('?', d->out);
    fputc(':', d->out);
  }
  fprintf(d->out, "%d:%d", l.line, l.col);
}

static void put_slot(const Dump *d, int s, bool addr) {
  if (addr)
    fputc('&', d->out);
  ir_text_put(d->out, d->f->slots.v[s].name);
  if (d->shared_name[s])
    fprintf(d->out, "#%d", s);
}

static bool slot_named(const IrFunc *f, const char *name) {
  for (int i = 0; i < f->slots.n; i++)
    if (!strcmp(f->slots.v[i].name, name))
      return true;
  return false;
}

/* Labels for the slots' bases: the base a slot's name implies, made unique
 * among the function's bases by @2, @3... in slot order. A label depends
 * only on names and which slots share a base, so it reads back the same. */
static void label_bases(Dump *d) {
  const IrFunc *f = d->f;
  for (int s = 0; s < f->slots.n; s++) {
    d->label[s] = NULL;
    for (int t = 0; t < s && !d->label[s]; t++)
      if (!strcmp(f->slots.v[t].base, f->slots.v[s].base))
        d->label[s] = d->label[t];
    if (d->label[s])
      continue;
    const char *stem = ir_text_name_base(d->a, f->slots.v[s].name);
    const char *cand = stem;
    for (int k = 2;; k++) {
      bool used = false;
      for (int t = 0; t < s && !used; t++)
        used = !strcmp(d->label[t], cand);
      if (!used)
        break;
      cand = arena_printf(d->a, "%s@%d", stem, k);
    }
    d->label[s] = cand;
  }
  for (int s = 0; s < f->slots.n; s++) {
    d->shared_name[s] = false;
    for (int t = 0; t < f->slots.n && !d->shared_name[s]; t++)
      d->shared_name[s] =
          t != s && !strcmp(f->slots.v[t].name, f->slots.v[s].name);
  }
}

/* field= runs to the end of the line: quoted only when that would lose
 * something (a line break, blanks at the end, a leading quote). */
static void put_rest(FILE *out, const char *s) {
  size_t n = strlen(s);
  if (n && !strpbrk(s, "\n\r") && s[0] != '"' && s[n - 1] != ' ' &&
      s[n - 1] != '\t')
    fputs(s, out);
  else
    ir_text_quote(out, s);
}

static void dump_slot(const Dump *d, int i) {
  const IrSlot *s = &d->f->slots.v[i];
  FILE *out = d->out;
  fprintf(out, "  slot %d ", i);
  ir_text_put(out, s->name);
  if (s->local)
    fputs(" local", out);
  if (s->base_kind == BASE_PARAM)
    fprintf(out, " param=%d", s->param);
  else if (s->base_kind == BASE_GLOBAL)
    fputs(" global", out);
  else if (s->base_kind == BASE_TEMP)
    fputs(" temp", out);
  if (strcmp(d->label[i], ir_text_name_base(d->a, s->name))) {
    fputs(" base=", out);
    ir_text_put(out, d->label[i]);
  }
  if (strcmp(s->ops, ir_text_name_ops(d->a, s->name))) {
    fputs(" ops=", out);
    ir_text_put(out, s->ops);
  }
  if (s->key) {
    fputs(" field=", out);
    put_rest(out, s->key->text);
  }
  fputc('\n', out);
}

/* KIND [API] [SLOT]: see ir_text.c for when a lone word is which. */
static void put_operands(const Dump *d, const IrEvent *e) {
  bool api_kind =
      e->kind != EV_ESCAPE && e->kind != EV_COPY && e->kind != EV_ASSIGN;
  bool addr = (e->flags & EVF_ADDR) != 0;
  if (e->api) {
    fputc(' ', d->out);
    ir_text_put(d->out, e->api);
    /* A lone api would be read as a slot: say the slot is missing. (A lone
     * slot always reads as one: it names a slot.) */
    if (e->slot < 0 && (!api_kind || slot_named(d->f, e->api)))
      fputs(" -", d->out);
  }
  if (e->slot >= 0) {
    fputc(' ', d->out);
    put_slot(d, e->slot, addr);
  }
}

/* What the dump wrote before the other attributes existed, in that order. */
static void put_event_head(const Dump *d, const IrEvent *e) {
  FILE *out = d->out;
  fprintf(out, "    %s", ir_event_name(e->kind));
  put_operands(d, e);
  if (e->slot2 >= 0) {
    fputs(" <- ", out);
    put_slot(d, e->slot2, false);
  }
  if (e->status >= 0) {
    fputs(" status=", out);
    put_slot(d, e->status, false);
  }
  if (e->kind == EV_CALL)
    fprintf(out, " callee=%d arg=%d", e->callee, e->arg);
  if (e->flags & EVF_CONST)
    fprintf(out, " = %lld", (long long)e->k);
  for (int i = 0; i < 3; i++)
    if (e->flags & ir_flag_words[i].flag)
      fprintf(out, " %s", ir_flag_words[i].word);
  if (e->kind == EV_CREATE && e->callee >= 0)
    fprintf(out, " worker=%d", e->callee);
  for (int i = 0; i < e->nuses; i++) {
    fputs(" uses=", out);
    put_slot(d, e->uses[i].slot, e->uses[i].addr);
  }
}

/* Free text (a condition's source, a cleanup's why) sits in parentheses,
 * as written unless that would not read back; (?) when there is none. */
static void put_paren_text(FILE *out, const char *s) {
  fputc('(', out);
  if (ir_text_raw_ok(s))
    fputs(s, out);
  else if (s)
    ir_text_quote(out, s);
  else
    fputc('?', out);
  fputc(')', out);
}

static void put_attr(FILE *out, const char *key, const char *val) {
  if (!val)
    return;
  fprintf(out, " %s=", key);
  ir_text_put(out, val);
}

/* The fields the first dump left out, each only when not the default. */
static void put_event_tail(const Dump *d, const IrEvent *e) {
  FILE *out = d->out;
  if (e->res == RES_THREAD)
    fputs(" thread", out);
  if (e->fail != FAIL_NEVER)
    fprintf(out, " fail=%s", ir_fail_names[e->fail]);
  put_attr(out, "released-by", e->release_api);
  for (int i = 3; i < ir_nflag_words; i++) {
    unsigned fl = ir_flag_words[i].flag;
    if ((e->flags & fl) && (fl != EVF_ADDR || e->slot < 0))
      fprintf(out, " %s", ir_flag_words[i].word);
  }
  if (!(e->flags & EVF_CONST) && e->k)
    fprintf(out, " k=%lld", (long long)e->k);
  if (e->kind != EV_CALL && e->callee != -1 &&
      !(e->kind == EV_CREATE && e->callee >= 0))
    fprintf(out, " callee=%d", e->callee);
  if (e->kind != EV_CALL && e->arg != -1) /* a callback's parameter */
    fprintf(out, " arg=%d", e->arg);
  put_attr(out, "frees", e->frees ? e->frees->text : NULL);
  put_attr(out, "data-rec", e->data_rec ? e->data_rec->text : NULL);
  put_attr(out, "data-unref", e->data_unref);
  put_attr(out, "user", e->user);
  put_attr(out, "usr", e->usr);
  put_attr(out, "later", e->later_usr);
  if (e->later_usr)
    fprintf(out, " later-arg=%d", e->later_param);
  if (e->flags & ~IR_KNOWN_FLAGS)
    fprintf(out, " flags=0x%x", e->flags & ~IR_KNOWN_FLAGS);
  if (e->flags & EVF_DEFERRED) {
    fputs(" deferred", out);
    put_paren_text(out, e->why);
    fputc('@', out);
    put_loc(d, e->at);
  }
}

static void dump_event(const Dump *d, const IrEvent *e) {
  put_event_head(d, e);
  put_event_tail(d, e);
  fputs("  @", d->out);
  put_loc(d, e->loc);
  fputc('\n', d->out);
}

static void put_cond(const Dump *d, const IrBlock *bl) {
  FILE *out = d->out;
  if (bl->term == TERM_INVOKE) {
    fputc(' ', out);
    put_paren_text(out, bl->cond.text);
  } else if (bl->term == TERM_BRANCH && bl->cond.var >= 0) {
    fputs(" (", out);
    put_slot(d, bl->cond.var, false);
    fprintf(out, " %s %lld)", ir_cmp_names[bl->cond.op], (long long)bl->cond.k);
  } else if (bl->term == TERM_BRANCH) {
    fputs(" (?)", out);
  }
}

static void dump_term(const Dump *d, const IrBlock *bl) {
  FILE *out = d->out;
  fprintf(out, "    %s", ir_term_names[bl->term]);
  put_cond(d, bl);
  for (int i = 0; i < bl->succ.n; i++)
    fprintf(out, " B%d%s", bl->succ.v[i].to, bl->succ.v[i].back ? "^" : "");
  if (bl->term != TERM_INVOKE && bl->cond.text) {
    fputs(" text=", out);
    put_paren_text(out, bl->cond.text);
  }
  if (bl->cond.text_negated)
    fputs(" text-negated", out);
  if (bl->cond.branch_negated)
    fputs(" branch-negated", out);
  if (bl->loc.file || bl->loc.line || bl->loc.col) {
    fputs("  @", out);
    put_loc(d, bl->loc);
  }
  fputc('\n', out);
}

static void dump_header(const Dump *d) {
  const IrFunc *f = d->f;
  FILE *out = d->out;
  fprintf(out, "func %s(%d params) entry=B%d exit=B%d", f->name, f->nparams,
          f->entry, f->exit);
  if (f->usr && strcmp(f->usr, f->name))
    put_attr(out, "usr", f->usr);
  if (f->end_line)
    fprintf(out, " end=%d", f->end_line);
  if (f->opaque)
    fputs(" opaque", out);
  if (f->called_only)
    fputs(" called-only", out);
  fputs("  @", out);
  if (f->loc.file)
    ir_text_put(out, f->loc.file);
  else
    fputc('?', out);
  fprintf(out, ":%d:%d\n", f->loc.line, f->loc.col);
}

void ir_dump_func(FILE *out, const IrFunc *f) {
  size_t n = (size_t)(f->slots.n ? f->slots.n : 1);
  Dump d = {out, f, arena_new(), NULL, NULL};
  d.label = arena_alloc(d.a, n * sizeof *d.label);
  d.shared_name = arena_alloc(d.a, n * sizeof *d.shared_name);
  label_bases(&d);
  dump_header(&d);
  for (int i = 0; i < f->slots.n; i++)
    dump_slot(&d, i);
  for (int i = 0; i < f->elem_stops.n; i++) {
    const IrElemStop *x = &f->elem_stops.v[i];
    fprintf(out, "  elem-stop %s ", ir_event_name(x->kind));
    ir_text_put(out, x->api);
    fputc(' ', out);
    ir_text_put(out, x->key->text);
    if (x->async)
      fputs(" async", out);
    fputs("  @", out);
    put_loc(&d, x->loc);
    fputc('\n', out);
  }
  for (int b = 0; b < f->blocks.n; b++) {
    const IrBlock *bl = &f->blocks.v[b];
    fprintf(out, "  B%d:\n", b);
    for (int i = 0; i < bl->ev.n; i++)
      dump_event(&d, &bl->ev.v[i]);
    dump_term(&d, bl);
  }
  arena_free(d.a);
}

void ir_dump_unit(FILE *out, const IrUnit *u) {
  for (int i = 0; i < u->targets.n; i++) {
    fputs("target ", out);
    ir_text_put(out, u->targets.v[i].field);
    fputc(' ', out);
    ir_text_put(out, u->targets.v[i].usr);
    fputc('\n', out);
  }
  for (int i = 0; i < u->hooks.n; i++) {
    const IrHook *h = &u->hooks.v[i];
    fputs("hook ", out);
    ir_text_put(out, h->usr);
    if (h->param < 0) {
      fputs(" later ", out);
    } else {
      fprintf(out, " %d ", h->param);
      ir_text_put(out, h->rec->text);
      fputc(' ', out);
    }
    ir_text_put(out, h->api);
    if (h->ctx) {
      fputc(' ', out);
      ir_text_put(out, h->ctx);
    }
    fputc('\n', out);
  }
  for (int i = 0; i < u->funcs.n; i++)
    ir_dump_func(out, u->funcs.v[i]);
}
