/* key.c: link keys, the identity of storage across translation units.
 *
 * A key is built here, compared here, shown here and serialised here; no
 * other file knows its text form. The text is what the store keeps (schema
 * v4 rows) and what --dump-ir prints, so it must not change:
 *   record        "struct session@src/s.h:3"    ("struct session" when no
 *                                                definition was seen)
 *   field         "<record>.timer"
 *   global        "global g_timer", "global g_timer@src/a.c" (a static)
 *   registration  "registration handler,id 3 on <record>", "... on *"
 *   all           "all released by uv_close"
 * A record's place tells apart two programs of one tree that each define
 * their own `struct conn`. */
#include <string.h>

#include "ir.h"

static const char *record_text(Arena *a, IrRecord r) {
  return r.file ? arena_printf(a, "%s@%s:%d", r.name, r.file, r.line)
                : arena_strdup(a, r.name);
}

static IrKey *key_new(Arena *a, IrKeyKind kind) {
  IrKey *k = arena_alloc(a, sizeof *k);
  k->kind = kind;
  return k;
}

const IrKey *ir_key_record(Arena *a, IrRecord rec) {
  IrKey *k = key_new(a, KEY_RECORD);
  k->rec = rec;
  k->text = record_text(a, rec);
  return k;
}

const IrKey *ir_key_field(Arena *a, IrRecord rec, const char *field) {
  IrKey *k = key_new(a, KEY_FIELD);
  k->rec = rec;
  k->name = arena_strdup(a, field);
  k->text = arena_printf(a, "%s.%s", record_text(a, rec), field);
  return k;
}

const IrKey *ir_key_global(Arena *a, const char *name, const char *file) {
  IrKey *k = key_new(a, KEY_GLOBAL);
  k->name = arena_strdup(a, name);
  k->file = arena_strdup(a, file);
  k->text = file ? arena_printf(a, "global %s@%s", name, file)
                 : arena_printf(a, "global %s", name);
  return k;
}

const IrKey *ir_key_registration(Arena *a, const char *what,
                                 const IrRecord *on) {
  IrKey *k = key_new(a, KEY_REGISTRATION);
  k->name = arena_strdup(a, what);
  if (on)
    k->rec = *on;
  k->text = arena_printf(a, "registration %s on %s", what,
                         on ? record_text(a, *on) : "*");
  return k;
}

const IrKey *ir_key_all(Arena *a, const char *release_api) {
  IrKey *k = key_new(a, KEY_ALL);
  k->name = arena_strdup(a, release_api);
  k->text = arena_printf(a, "all released by %s", release_api);
  return k;
}

/* "NAME" or "NAME@FILE:LINE" (the line after the last colon). */
static IrRecord record_parse(Arena *a, const char *s, size_t n) {
  IrRecord r = {0};
  const char *at = memchr(s, '@', n);
  r.name = arena_strndup(a, s, at ? (size_t)(at - s) : n);
  if (!at)
    return r;
  const char *colon = NULL;
  for (const char *p = at + 1; p < s + n; p++)
    if (*p == ':')
      colon = p;
  if (!colon) { /* not a place we wrote: keep it all as the name */
    r.name = arena_strndup(a, s, n);
    return r;
  }
  r.file = arena_strndup(a, at + 1, (size_t)(colon - at - 1));
  r.line = 0;
  for (const char *p = colon + 1; p < s + n && *p >= '0' && *p <= '9'; p++)
    r.line = r.line * 10 + (*p - '0');
  return r;
}

const IrKey *ir_key_parse(Arena *a, const char *text, bool record) {
  if (!text)
    return NULL;
  size_t n = strlen(text);
  IrKey *k = NULL;
  if (record) {
    k = key_new(a, KEY_RECORD);
    k->rec = record_parse(a, text, n);
  } else if (!strncmp(text, "registration ", 13)) {
    k = key_new(a, KEY_REGISTRATION);
    const char *on = strstr(text + 13, " on ");
    const char *end = on ? on : text + n;
    k->name = arena_strndup(a, text + 13, (size_t)(end - text - 13));
    if (on && strcmp(on + 4, "*"))
      k->rec = record_parse(a, on + 4, strlen(on + 4));
  } else if (!strncmp(text, "all released by ", 16)) {
    k = key_new(a, KEY_ALL);
    k->name = arena_strdup(a, text + 16);
  } else if (!strncmp(text, "global ", 7)) {
    k = key_new(a, KEY_GLOBAL);
    const char *at = strchr(text + 7, '@');
    k->name = at ? arena_strndup(a, text + 7, (size_t)(at - text - 7))
                 : arena_strdup(a, text + 7);
    k->file = at ? arena_strdup(a, at + 1) : NULL;
  } else {
    k = key_new(a, KEY_FIELD);
    const char *dot = strrchr(text, '.');
    size_t rn = dot ? (size_t)(dot - text) : n;
    k->rec = record_parse(a, text, rn);
    k->name = arena_strdup(a, dot ? dot + 1 : "");
  }
  k->text = arena_strdup(a, text);
  return k;
}

int ir_key_cmp(const IrKey *x, const IrKey *y) {
  return strcmp(x->text, y->text);
}

bool ir_record_eq(const IrRecord *x, const IrRecord *y) {
  if (!x->name || !y->name)
    return !x->name && !y->name;
  return !strcmp(x->name, y->name) && x->line == y->line &&
         !strcmp(x->file ? x->file : "", y->file ? y->file : "");
}

bool ir_key_is_of(const IrKey *field, const IrKey *record) {
  return field->kind == KEY_FIELD && record->kind == KEY_RECORD &&
         ir_record_eq(&field->rec, &record->rec);
}

bool ir_key_siblings(const IrKey *x, const IrKey *y) {
  return x->kind == KEY_FIELD && y->kind == KEY_FIELD &&
         ir_record_eq(&x->rec, &y->rec) && strcmp(x->name, y->name) != 0;
}

bool ir_key_wildcard_of(const IrKey *any, const IrKey *k) {
  return any->kind == KEY_REGISTRATION && k->kind == KEY_REGISTRATION &&
         !any->rec.name && !strcmp(any->name, k->name);
}

const char *ir_key_display(Arena *a, const IrKey *k) {
  switch (k->kind) {
  case KEY_REGISTRATION:
    return k->rec.name ? arena_printf(a, "the registration of %s on %s",
                                      k->name, k->rec.name)
                       : arena_printf(a, "the registration of %s on *",
                                      k->name);
  case KEY_GLOBAL:
    return arena_printf(a, "global '%s'", k->name);
  case KEY_FIELD:
    return arena_printf(a, "'%s.%s'", k->rec.name, k->name);
  case KEY_ALL:
    return arena_printf(a, "every object %s() releases", k->name);
  case KEY_RECORD:
    break;
  }
  return arena_printf(a, "'%s'", k->rec.name);
}
