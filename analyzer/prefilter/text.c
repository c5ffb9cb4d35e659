/* text.c: an outline as text, for the store's cache (store.h keeps it by
 * content hash and PF_VERSION; nobody else reads it). One line per part:
 *   tlpf VERSION
 *   d WHY                        (in doubt)
 *   i NAME...                    (every identifier)
 *   c NAME...                    (those in code)
 *   n a|q NAME                   (an include, angled or quoted)
 *   f KIND CODE NAME... | SPAN... | CALLS... | MCALLS...   (a def)
 * Identifiers hold no blank and no '|'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfInt.h"

static void ids(StrBuf *b, const Pf *pf, const PfOutline *o, Range r) {
  for (int i = 0; i < r.n; i++) {
    sb_putc(b, ' ');
    sb_puts(b, pf_name(pf, o->pool.v[r.off + i]));
  }
}

char *pf_outline_text(const Pf *pf, const PfOutline *o) {
  StrBuf b = {0};
  sb_printf(&b, "tlpf %d\n", PF_VERSION);
  if (o->doubt)
    sb_printf(&b, "d %s\n", o->doubt);
  sb_puts(&b, "i");
  ids(&b, pf, o, o->idents);
  sb_puts(&b, "\nc");
  ids(&b, pf, o, o->code);
  sb_putc(&b, '\n');
  for (int i = 0; i < o->incs.n; i++)
    sb_printf(&b, "n %c %s\n", o->incs.v[i].angled ? 'a' : 'q',
              o->incs.v[i].name);
  for (int i = 0; i < o->defs.n; i++) {
    const PfDef *d = &o->defs.v[i];
    sb_printf(&b, "f %d %d", (int)d->kind, d->code ? 1 : 0);
    ids(&b, pf, o, d->names);
    sb_puts(&b, " |");
    ids(&b, pf, o, d->span);
    sb_puts(&b, " |");
    ids(&b, pf, o, d->calls);
    sb_puts(&b, " |");
    ids(&b, pf, o, d->mcalls);
    sb_putc(&b, '\n');
  }
  return b.s;
}

/* Words of [p, end) up to a '|' (consumed) or the end, as a range. */
static Range read_ids(Pf *pf, PfOutline *o, const char **pp, const char *end) {
  Range r = {o->pool.n, 0};
  const char *p = *pp;
  for (;;) {
    while (p < end && *p == ' ')
      p++;
    if (p >= end)
      break;
    if (*p == '|') {
      p++;
      break;
    }
    const char *s = p;
    while (p < end && *p != ' ' && *p != '|')
      p++;
    array_push(&o->pool, pf_intern(pf, s, (size_t)(p - s)));
    r.n++;
  }
  *pp = p;
  return r;
}

int pf_outline_read(Pf *pf, const char *text, PfOutline *o) {
  char head[32];
  snprintf(head, sizeof head, "tlpf %d\n", PF_VERSION);
  if (strncmp(text, head, strlen(head)))
    return -1;
  for (const char *p = text + strlen(head); *p;) {
    const char *end = strchr(p, '\n');
    if (!end)
      return -1;
    const char *q = p + 2;
    if (end - p < 1 || (end - p >= 2 && p[1] != ' '))
      return -1;
    switch (*p) {
    case 'd':
      o->doubt = arena_strndup(pf_arena(pf), q, (size_t)(end - q));
      break;
    case 'i':
      o->idents = read_ids(pf, o, &q, end);
      break;
    case 'c':
      o->code = read_ids(pf, o, &q, end);
      break;
    case 'n': {
      if (end - q < 2)
        return -1;
      PfInc inc = {arena_strndup(pf_arena(pf), q + 2, (size_t)(end - q - 2)),
                   *q == 'a'};
      array_push(&o->incs, inc);
      break;
    }
    case 'f': {
      char *e;
      long kind = strtol(q, &e, 10);
      long code = strtol(e, &e, 10);
      if (kind < DEF_FUNC || kind > DEF_MACRO || e > end)
        return -1;
      PfDef d = {(PfDefKind)kind, code != 0, {0, 0}, {0, 0}, {0, 0}, {0, 0}};
      q = e;
      d.names = read_ids(pf, o, &q, end);
      d.span = read_ids(pf, o, &q, end);
      d.calls = read_ids(pf, o, &q, end);
      d.mcalls = read_ids(pf, o, &q, end);
      array_push(&o->defs, d);
      break;
    }
    default:
      return -1;
    }
    p = end + 1;
  }
  return 0;
}
