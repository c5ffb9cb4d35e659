/* ir_read.c: the IR's text form (ir_text.c) back into an IrUnit, for engine
 * tests written as .ir files and for the round trip test of the dump. It
 * builds through ir.c's builder as a front end does; only what the builder
 * has no call for (a slot's field, a function's end line, an invoke's text,
 * back edges of a branch) is set directly.
 *
 * Bad input is a message "name:line:col: what", returned: never an assert,
 * never an exit. The first error stops the reading. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "irInt.h"

/* A word of the current line: a run of non-blanks, where a "string" or a
 * (parenthesised group) may hold blanks. */
typedef struct {
  const char *s;
  size_t n;
  int col; /* 1-based, for messages */
} Word;

typedef Array(Word) WordList;

typedef struct {
  int line, col;
} Pos;

/* A callee=/worker= index, checked once every function is read. */
typedef struct {
  Pos at;
  int fn;
} CalleeRef;

typedef Array(IrUse) UseList;

/* Per block of the function being read. */
enum { BK_UNSEEN, BK_REFERENCED, BK_DECLARED, BK_ENDED };

/* Bounds that keep a typo from allocating the machine away. */
enum { MAX_BLOCKS = 1 << 20, ERR_MAX = 512 };

typedef struct {
  Arena *a;
  const char *name; /* of the text, for messages */
  int lineno;
  const char *line, *end; /* the current line, without its newline */
  const char *err;        /* the first error */
  bool quiet;             /* only asking: errors are not recorded */
  IrUnit *u;
  IrFunc *f;  /* being read; NULL before the first func line */
  int block;  /* being read; -1 before the first block of f */
  Pos fpos;   /* where f's func line is */
  Array(unsigned char) bstate;
  Array(Pos) bpos;               /* where each block was first named */
  WordList w;                    /* the current line's words */
  Array(const char *) files;     /* interned: the engine compares pointers */
  Array(CalleeRef) callees;
} Rd;

static bool fail(Rd *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(Rd *r, int col, const char *fmt, ...) {
  if (r->err || r->quiet)
    return false;
  char what[ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  r->err = arena_printf(r->a, "%s:%d:%d: %s", r->name, r->lineno, col, what);
  return false;
}

static bool fail_at(Rd *r, Pos p, const char *what) {
  r->lineno = p.line;
  return fail(r, p.col, "%s", what);
}

static bool word_is(const Word *w, const char *lit) {
  return w->n == strlen(lit) && !memcmp(w->s, lit, w->n);
}

/* ---- words ---- */

/* key=VALUE: the value, which may be empty. */
static bool is_key(const Word *w, const char *key, const char **val,
                   size_t *vn) {
  size_t k = strlen(key);
  if (w->n < k + 1 || memcmp(w->s, key, k) || w->s[k] != '=')
    return false;
  *val = w->s + k + 1;
  *vn = w->n - k - 1;
  return true;
}

/* From the opening quote at s, the position after the closing one; NULL
 * when the line ends first. */
static const char *string_end(const char *s, const char *end) {
  for (s++; s < end; s++) {
    if (*s == '\\' && s + 1 < end)
      s++;
    else if (*s == '"')
      return s + 1;
  }
  return NULL;
}

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* Splits [p, end) into words. A slot line's field= takes the rest. */
static bool lex(Rd *r, const char *p, const char *end, bool slot_line,
                WordList *out) {
  out->n = 0;
  for (;;) {
    while (p < end && blank(*p))
      p++;
    if (p == end)
      return true;
    Word w = {p, 0, (int)(p - r->line) + 1};
    if (slot_line && end - p > 6 && !memcmp(p, "field=", 6) && p[6] != '"') {
      w.n = (size_t)(end - p);
      array_push(out, w);
      return true;
    }
    int depth = 0;
    while (p < end && (depth || !blank(*p))) {
      if (*p == '"') {
        const char *q = string_end(p, end);
        if (!q)
          return fail(r, (int)(p - r->line) + 1,
                      "string without its closing quote");
        p = q;
        continue;
      }
      depth += *p == '(';
      depth -= *p == ')' && depth > 0;
      p++;
    }
    if (depth)
      return fail(r, w.col, "'(' without its ')'");
    w.n = (size_t)(p - w.s);
    array_push(out, w);
  }
}

/* A string literal's value; the literal spans exactly [s, s+n). */
static bool unquote(Rd *r, const char *s, size_t n, int col, const char **out) {
  char *v = arena_alloc(r->a, n + 1), *o = v;
  const char *end = s + n;
  if (n < 2 || s[0] != '"' || string_end(s, end) != end)
    return fail(r, col, "malformed string");
  for (const char *p = s + 1; p < end - 1; p++) {
    if (*p != '\\') {
      *o++ = *p;
      continue;
    }
    char c = *++p;
    switch (c) {
    case '"': case '\\': *o++ = c; break;
    case 'n': *o++ = '\n'; break;
    case 't': *o++ = '\t'; break;
    case 'r': *o++ = '\r'; break;
    case 'x': {
      char hex[3] = {0};
      if (end - 1 - p < 3 || !isxdigit((unsigned char)p[1]) ||
          !isxdigit((unsigned char)p[2]))
        return fail(r, col, "\\x needs two hex digits");
      hex[0] = p[1], hex[1] = p[2];
      *o++ = (char)strtol(hex, NULL, 16);
      p += 2;
      break;
    }
    default:
      return fail(r, col, "unknown escape '\\%c' in a string", c);
    }
  }
  *o = 0;
  *out = v;
  return true;
}

/* A name: a bare word as it stands, or a string literal's value. */
static bool name_of(Rd *r, const char *s, size_t n, int col, const char **out) {
  if (n && s[0] == '"')
    return unquote(r, s, n, col, out);
  if (!n)
    return fail(r, col, "a name is missing");
  *out = arena_strndup(r->a, s, n);
  return true;
}

/* (TEXT): as written, or a string; (?) is none. [s, s+n) is the group. */
static bool paren_text(Rd *r, const char *s, size_t n, int col,
                       const char **out) {
  if (n < 2 || s[0] != '(' || s[n - 1] != ')')
    return fail(r, col, "expected (text)");
  s++, n -= 2;
  if (n == 1 && s[0] == '?')
    *out = NULL;
  else if (n && s[0] == '"')
    return unquote(r, s, n, col + 1, out);
  else
    *out = arena_strndup(r->a, s, n);
  return true;
}

static bool int64_of(Rd *r, const char *s, size_t n, int col, int64_t *out) {
  char buf[32], *e;
  if (!n || n >= sizeof buf)
    return fail(r, col, "expected a number");
  memcpy(buf, s, n);
  buf[n] = 0;
  errno = 0;
  long long v = strtoll(buf, &e, 10);
  if (*e || errno)
    return fail(r, col, "expected a number, not '%s'", buf);
  *out = v;
  return true;
}

static bool int_of(Rd *r, const char *s, size_t n, int col, int *out) {
  int64_t v;
  if (!int64_of(r, s, n, col, &v))
    return false;
  if (v < -2147483647 || v > 2147483647)
    return fail(r, col, "number out of range");
  *out = (int)v;
  return true;
}

/* ---- locations ---- */

static const char *intern_file(Rd *r, const char *f) {
  for (int i = 0; i < r->files.n; i++)
    if (!strcmp(r->files.v[i], f))
      return r->files.v[i];
  array_push(&r->files, f);
  return f;
}

/* @[FILE:]LINE:COL after the '@'; no FILE: `dflt`; FILE '?': unknown. */
static bool loc_of(Rd *r, const char *s, size_t n, int col, const char *dflt,
                   IrLoc *out) {
  const char *c2 = NULL, *c1 = NULL; /* the last and the one before */
  for (const char *p = s + n; p > s; p--)
    if (p[-1] == ':') {
      if (!c2)
        c2 = p - 1;
      else if (!c1) {
        c1 = p - 1;
        break;
      }
    }
  if (!c2)
    return fail(r, col, "a location is LINE:COL or FILE:LINE:COL");
  const char *ls = c1 ? c1 + 1 : s;
  if (!int_of(r, ls, (size_t)(c2 - ls), col, &out->line) ||
      !int_of(r, c2 + 1, (size_t)(s + n - c2 - 1), col, &out->col))
    return false;
  out->file = dflt;
  if (!c1)
    return true;
  size_t fl = (size_t)(c1 - s);
  if (fl == 1 && s[0] == '?') {
    out->file = NULL;
    return true;
  }
  const char *file;
  if (!name_of(r, s, fl, col, &file))
    return false;
  out->file = intern_file(r, file);
  return true;
}

/* ---- slots ---- */

static bool digits(const char *s, size_t n) {
  if (!n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int slots_named(const IrFunc *f, const char *name, int *which) {
  int c = 0;
  for (int i = 0; i < f->slots.n; i++)
    if (!strcmp(f->slots.v[i].name, name))
      c++, *which = i;
  return c;
}

/* A slot reference [&]NAME[#I]. */
static bool slot_ref(Rd *r, const Word *w, int *slot, bool *addr) {
  const char *s = w->s, *end = w->s + w->n, *name_end = end;
  *addr = s < end && *s == '&';
  s += *addr;
  if (s < end && *s == '"') {
    name_end = string_end(s, end);
    if (!name_end)
      return fail(r, w->col, "malformed string");
  } else {
    const char *h = end;
    while (h > s && h[-1] >= '0' && h[-1] <= '9')
      h--;
    if (h < end && h - 1 > s && h[-1] == '#')
      name_end = h - 1;
  }
  const char *name;
  if (!name_of(r, s, (size_t)(name_end - s), w->col, &name))
    return false;
  if (name_end < end) { /* NAME#I: slot I, which is named NAME */
    int idx = -1;
    if (name_end[0] != '#' ||
        !int_of(r, name_end + 1, (size_t)(end - name_end - 1), w->col, &idx))
      return fail(r, w->col, "a slot is NAME or NAME#I");
    if (idx >= 0 && idx < r->f->slots.n &&
        !strcmp(r->f->slots.v[idx].name, name)) {
      *slot = idx;
      return true;
    }
    if (*s == '"')
      return fail(r, w->col, "slot %d is not named '%s'", idx, name);
    /* a bare name that happens to end in #digits */
    if (!name_of(r, s, (size_t)(end - s), w->col, &name))
      return false;
  }
  int c = slots_named(r->f, name, slot);
  if (c == 0)
    return fail(r, w->col, "no slot named '%s'", name);
  if (c > 1)
    return fail(r, w->col, "%d slots are named '%s': write '%s#I'", c, name,
                name);
  return true;
}

/* Does the word name a slot (the lone-operand rule)? Asks, never fails. */
static bool names_slot(Rd *r, const Word *w) {
  int slot;
  bool addr;
  r->quiet = true;
  bool yes = slot_ref(r, w, &slot, &addr);
  r->quiet = false;
  return yes || (w->n && w->s[0] == '&');
}

/* What a slot line says besides its index and name. */
typedef struct {
  IrBaseKind bk;
  int param, kinds, local_col;
  const char *base, *ops, *field;
} SlotWords;

static bool read_slot_word(Rd *r, const Word *x, SlotWords *sw) {
  const char *v;
  size_t n;
  if (word_is(x, "local"))
    sw->local_col = x->col;
  else if (word_is(x, "global"))
    sw->bk = BASE_GLOBAL, sw->kinds++;
  else if (word_is(x, "temp"))
    sw->bk = BASE_TEMP, sw->kinds++;
  else if (is_key(x, "param", &v, &n)) {
    sw->bk = BASE_PARAM, sw->kinds++;
    return int_of(r, v, n, x->col, &sw->param);
  } else if (is_key(x, "base", &v, &n))
    return name_of(r, v, n, x->col, &sw->base);
  else if (is_key(x, "ops", &v, &n) && n == 0)
    sw->ops = ""; /* the base itself, whatever the name implies */
  else if (is_key(x, "ops", &v, &n))
    return name_of(r, v, n, x->col, &sw->ops);
  else if (is_key(x, "field", &v, &n)) {
    if (n && v[0] == '"')
      return unquote(r, v, n, x->col, &sw->field);
    sw->field = arena_strndup(r->a, v, n);
  } else
    return fail(r, x->col, "unknown slot attribute '%.*s'", (int)x->n, x->s);
  return true;
}

/* slot I NAME [local] [param=P | global | temp] [base=B] [ops=O] [field=F] */
static bool read_slot(Rd *r) {
  Word *w = r->w.v;
  int idx = -1;
  const char *name;
  if (r->w.n < 3)
    return fail(r, 1, "expected 'slot I NAME'");
  if (!int_of(r, w[1].s, w[1].n, w[1].col, &idx) ||
      !name_of(r, w[2].s, w[2].n, w[2].col, &name))
    return false;
  if (idx != r->f->slots.n)
    return fail(r, w[1].col, "slot %d where slot %d comes next", idx,
                 r->f->slots.n);
  SlotWords sw = {BASE_LOCAL, -1, 0, 0, NULL, NULL, NULL};
  for (int i = 3; i < r->w.n; i++)
    if (!read_slot_word(r, &w[i], &sw))
      return false;
  if (sw.kinds > 1)
    return fail(r, w[2].col,
                "a slot has one base kind: param=P, global or temp");
  const char *base = sw.base ? sw.base : ir_text_name_base(r->a, name);
  const char *ops = sw.ops ? sw.ops : ir_text_name_ops(r->a, name);
  int got = ir_slot(r->f, name, base, sw.bk, sw.param, ops);
  if (got != idx)
    return fail(r, w[2].col, "slot %d has the base and ops of slot %d", idx,
                got);
  IrSlot *s = &r->f->slots.v[idx];
  s->field = sw.field;
  if (sw.local_col && !s->local)
    return fail(r, sw.local_col, "'local' contradicts the slot's base kind "
                "and ops (its storage outlives the function)");
  return true;
}

/* ---- blocks ---- */

/* Block n exists (created, and the blocks before it, as the builder does);
 * `declaring`: its header is being read. */
static bool touch_block(Rd *r, int n, int col, bool declaring) {
  if (n < 0 || n >= MAX_BLOCKS)
    return fail(r, col, "block number B%d out of range", n);
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
    return fail(r, col, "B%d is defined twice", n);
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
  if (len < 2 || w->s[0] != 'B' || !digits(w->s + 1, len - 1))
    return fail(r, w->col, "expected a block Bn, not '%.*s'", (int)w->n, w->s);
  return int_of(r, w->s + 1, len - 1, w->col, n) &&
         touch_block(r, *n, w->col, false);
}

/* ---- events ---- */

static bool flag_word(const Word *w, unsigned *flag) {
  for (int i = 0; i < ir_nflag_words; i++)
    if (word_is(w, ir_flag_words[i].word)) {
      *flag = ir_flag_words[i].flag;
      return true;
    }
  return false;
}

/* Does the word start an event's attributes (rather than name its api or
 * slot)? */
static bool attr_word(const Word *w) {
  unsigned fl;
  if (word_is(w, "<-") || word_is(w, "=") || word_is(w, "thread") ||
      flag_word(w, &fl) || w->s[0] == '@' ||
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
      const char *q = string_end(p, end);
      if (!q)
        return fail(r, w->col, "malformed string");
      p = q - 1;
      continue;
    }
    depth += *p == '(';
    if (*p == ')' && --depth == 0)
      break;
  }
  if (p >= end || p + 1 >= end || p[1] != '@')
    return fail(r, w->col, "expected deferred(WHY)@LOC");
  e->flags |= EVF_DEFERRED;
  return paren_text(r, s, (size_t)(p + 1 - s), w->col + 8, &e->why) &&
         loc_of(r, p + 2, (size_t)(end - p - 2), w->col, r->f->loc.file,
                &e->at);
}

static bool read_fail(Rd *r, const char *v, size_t n, int col, IrEvent *e) {
  for (int i = 0; i < IR_NFAILS; i++)
    if (strlen(ir_fail_names[i]) == n && !memcmp(ir_fail_names[i], v, n)) {
      e->fail = (IrFail)i;
      return true;
    }
  return fail(r, col, "fail= is never, nonzero, negative or zero");
}

/* One key=value attribute of an event. */
static bool read_keyed(Rd *r, const Word *w, IrEvent *e, UseList *uses) {
  const char *v;
  size_t n;
  bool addr;
  int fn = -1;
  if (is_key(w, "status", &v, &n)) {
    Word x = {v, n, w->col + 7};
    return slot_ref(r, &x, &e->status, &addr);
  }
  if (is_key(w, "uses", &v, &n)) {
    Word x = {v, n, w->col + 5};
    IrUse u;
    if (!slot_ref(r, &x, &u.slot, &u.addr))
      return false;
    array_push(uses, u);
    return true;
  }
  if (is_key(w, "callee", &v, &n) || is_key(w, "worker", &v, &n)) {
    if (!int_of(r, v, n, w->col, &fn))
      return false;
    e->callee = fn;
    CalleeRef c = {{r->lineno, w->col}, fn};
    array_push(&r->callees, c);
    return true;
  }
  if (is_key(w, "arg", &v, &n))
    return int_of(r, v, n, w->col, &e->arg);
  if (is_key(w, "k", &v, &n))
    return int64_of(r, v, n, w->col, &e->k);
  if (is_key(w, "fail", &v, &n))
    return read_fail(r, v, n, w->col, e);
  if (is_key(w, "released-by", &v, &n))
    return name_of(r, v, n, w->col, &e->release_api);
  if (is_key(w, "frees", &v, &n))
    return name_of(r, v, n, w->col, &e->frees);
  if (is_key(w, "usr", &v, &n))
    return name_of(r, v, n, w->col, &e->usr);
  if (is_key(w, "flags", &v, &n)) {
    char buf[16], *end;
    if (n >= sizeof buf)
      return fail(r, w->col, "flags= is a hex number");
    memcpy(buf, v, n);
    buf[n] = 0;
    unsigned long x = strtoul(buf, &end, 16);
    if (*end || !n)
      return fail(r, w->col, "flags= is a hex number");
    e->flags |= (unsigned)x;
    return true;
  }
  return fail(r, w->col, "unknown event attribute '%.*s'", (int)w->n, w->s);
}

/* The attributes after KIND [API] [SLOT], from word i on. */
static bool read_attrs(Rd *r, int i, IrEvent *e, bool *has_loc) {
  UseList uses = {0};
  bool ok = true, addr;
  unsigned fl;
  for (; ok && i < r->w.n; i++) {
    const Word *w = &r->w.v[i];
    if (word_is(w, "<-") || word_is(w, "=")) {
      if (i + 1 == r->w.n) {
        ok = fail(r, w->col, "'%.*s' needs an operand", (int)w->n, w->s);
        break;
      }
      const Word *x = &r->w.v[++i];
      if (word_is(w, "<-")) {
        ok = slot_ref(r, x, &e->slot2, &addr);
      } else {
        ok = int64_of(r, x->s, x->n, x->col, &e->k);
        e->flags |= EVF_CONST;
      }
    } else if (word_is(w, "thread")) {
      e->res = RES_THREAD;
    } else if (flag_word(w, &fl)) {
      e->flags |= fl;
    } else if (w->s[0] == '@') {
      ok = loc_of(r, w->s + 1, w->n - 1, w->col, r->f->loc.file, &e->loc);
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
      return fail(r, r->w.v[*i].col, "an event has at most an api and a slot");
    ops[n++] = &r->w.v[*i];
  }
  const Word *api = NULL, *slot = NULL;
  bool api_kind = e->kind != EV_ESCAPE && e->kind != EV_COPY &&
                  e->kind != EV_ASSIGN;
  bool addr;
  if (n == 2)
    api = ops[0], slot = ops[1];
  else if (n == 1 && (!api_kind || names_slot(r, ops[0])))
    slot = ops[0];
  else if (n == 1)
    api = ops[0];
  if (api && !word_is(api, "-") &&
      !name_of(r, api->s, api->n, api->col, &e->api))
    return false;
  if (slot && !word_is(slot, "-")) {
    if (!slot_ref(r, slot, &e->slot, &addr))
      return false;
    if (addr)
      e->flags |= EVF_ADDR;
  }
  return true;
}

static bool read_event(Rd *r, IrEventKind kind) {
  const Word *w = r->w.v;
  if (r->block < 0 || r->bstate.v[r->block] == BK_ENDED)
    return fail(r, w[0].col, r->block < 0 ? "an event before any block"
                                          : "an event after its block's end");
  IrEvent e = {0};
  e.kind = kind;
  e.slot = e.slot2 = e.status = e.callee = -1;
  int i = 1;
  bool has_loc = false;
  if (!read_operands(r, &i, &e) || !read_attrs(r, i, &e, &has_loc))
    return false;
  if (!has_loc)
    return fail(r, w[0].col, "an event needs its location (@LINE:COL)");
  *ir_emit(r->f, r->block, kind, e.slot, e.loc) = e;
  return true;
}

/* ---- terminators ---- */

/* (SLOT OP K) or (?) */
static bool read_cond(Rd *r, const Word *w, IrCond *c) {
  if (w->n < 2 || w->s[0] != '(' || w->s[w->n - 1] != ')')
    return fail(r, w->col, "a branch needs its condition: (SLOT OP K) or (?)");
  if (w->n == 3 && w->s[1] == '?')
    return true;
  WordList x = {0};
  bool ok = lex(r, w->s + 1, w->s + w->n - 1, false, &x);
  if (ok && x.n != 3)
    ok = fail(r, w->col, "a condition is (SLOT OP K)");
  bool addr;
  if (ok)
    ok = slot_ref(r, &x.v[0], &c->var, &addr);
  int op = -1;
  for (int i = 0; ok && i < IR_NCMPS; i++)
    if (word_is(&x.v[1], ir_cmp_names[i]))
      op = i;
  if (ok && op < 0)
    ok = fail(r, x.v[1].col, "unknown comparison");
  if (ok)
    ok = int64_of(r, x.v[2].s, x.v[2].n, x.v[2].col, &c->k);
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
      return fail(r, r->w.v[0].col, "expected its (condition)");
    const Word *w = &r->w.v[i++];
    if (!(t->kind == TERM_BRANCH ? read_cond(r, w, &t->cond)
                                 : paren_text(r, w->s, w->n, w->col,
                                              &t->cond.text)))
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
      if (!paren_text(r, w->s + 5, w->n - 5, w->col + 5, &t->cond.text))
        return false;
    } else if (w->s[0] == '@') {
      if (!loc_of(r, w->s + 1, w->n - 1, w->col, r->f->loc.file, &t->loc))
        return false;
    } else {
      return fail(r, w->col, "unexpected '%.*s'", (int)w->n, w->s);
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
      return fail(r, r->w.v[0].col, "a branch has two successors");
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
    return fail(r, r->w.v[0].col, "a return goes to the exit block B%d",
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
  return true;
}

static bool read_term(Rd *r, IrTermKind kind) {
  if (r->block < 0 || r->bstate.v[r->block] == BK_ENDED)
    return fail(r, r->w.v[0].col, r->block < 0
                                      ? "a terminator before any block"
                                      : "a second terminator for one block");
  Term t = {kind, {-1, CMP_EQ, 0, NULL}, {NULL, 0, 0}, {0}};
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

/* The words after NAME(N params): entry=, exit=, usr=, end=, opaque, @LOC. */
static bool read_func_attrs(Rd *r, IrFunc *f) {
  for (int i = 0; i < r->w.n; i++) {
    const Word *w = &r->w.v[i];
    const char *v;
    size_t n;
    int *blk = is_key(w, "entry", &v, &n)  ? &f->entry
               : is_key(w, "exit", &v, &n) ? &f->exit
                                           : NULL;
    if (blk) {
      if (n < 2 || v[0] != 'B' || !int_of(r, v + 1, n - 1, w->col, blk))
        return fail(r, w->col, "expected entry=Bn / exit=Bn");
      if (*blk < 0 || *blk >= MAX_BLOCKS)
        return fail(r, w->col, "block number out of range");
    } else if (is_key(w, "usr", &v, &n)) {
      if (!name_of(r, v, n, w->col, &f->usr))
        return false;
    } else if (is_key(w, "end", &v, &n)) {
      if (!int_of(r, v, n, w->col, &f->end_line))
        return false;
    } else if (word_is(w, "opaque")) {
      f->opaque = true;
    } else if (w->s[0] == '@') {
      if (!loc_of(r, w->s + 1, w->n - 1, w->col, NULL, &f->loc))
        return false;
    } else {
      return fail(r, w->col, "unknown function attribute '%.*s'", (int)w->n,
                  w->s);
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
    return fail(r, 1, "expected 'func NAME(N params)'");
  int np = 0;
  if (!int_of(r, open + 1, (size_t)(close - 8 - open - 1),
              (int)(open - r->line) + 2, &np))
    return false;
  if (np < 0)
    return fail(r, (int)(open - r->line) + 2, "negative parameter count");
  const char *fname = arena_strndup(r->a, name, (size_t)(open - name));
  IrFunc *f = ir_func_new(r->u, fname, NULL, (IrLoc){NULL, 0, 0}, np);
  r->f = f;
  r->block = -1;
  r->fpos = (Pos){r->lineno, 1};
  r->bstate.n = r->bpos.n = 0;
  touch_block(r, 1, 1, false);
  return lex(r, close, r->end, false, &r->w) && read_func_attrs(r, f);
}

/* ---- lines ---- */

static bool read_line(Rd *r) {
  const char *p = r->line;
  while (p < r->end && blank(*p))
    p++;
  if (p == r->end || *p == ';')
    return true;
  if (r->end - p > 5 && !memcmp(p, "func ", 5))
    return read_func(r, p + 5);
  if (!r->f)
    return fail(r, (int)(p - r->line) + 1, "expected 'func' first");
  bool slot_line = r->end - p > 5 && !memcmp(p, "slot ", 5);
  if (!lex(r, p, r->end, slot_line, &r->w))
    return false;
  const Word *w = &r->w.v[0];
  if (slot_line)
    return read_slot(r);
  if (w->n >= 3 && w->s[0] == 'B' && w->s[w->n - 1] == ':' && r->w.n == 1 &&
      digits(w->s + 1, w->n - 2)) {
    int b = 0;
    if (!int_of(r, w->s + 1, w->n - 2, w->col, &b) ||
        !touch_block(r, b, w->col, true))
      return false;
    r->block = b;
    return true;
  }
  for (int k = 0; k < EV__COUNT; k++)
    if (word_is(w, ir_event_name((IrEventKind)k)))
      return read_event(r, (IrEventKind)k);
  for (int k = 0; k < IR_NTERMS; k++)
    if (word_is(w, ir_term_names[k]))
      return read_term(r, (IrTermKind)k);
  return fail(r, w->col, "unknown line '%.*s'", (int)w->n, w->s);
}

/* Calls name functions of the unit. */
static bool check_callees(Rd *r) {
  for (int i = 0; i < r->callees.n; i++)
    if (r->callees.v[i].fn >= r->u->funcs.n) {
      r->lineno = r->callees.v[i].at.line;
      return fail(r, r->callees.v[i].at.col, "no function %d in the unit",
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
