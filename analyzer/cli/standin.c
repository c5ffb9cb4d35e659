/* standin.c: a header that stands in for a family's header this machine
 * does not have (a Zephyr driver scanned with no Zephyr tree, a Windows
 * service on Linux, a redis module without the server's ae.h). Without
 * one, libclang drops every declaration of a type the header would bring
 * (`struct k_timer t;` is no variable at all) and every expression using
 * one, so the objects a rule follows vanish. The rule file already says
 * what the API is: its functions' `prototype:` lines, its `constants:`,
 * its `null-names:`; `stand-in:` adds what prototypes cannot say (the
 * macros code calls the API through, a callback's function type). The
 * types the prototypes use and nothing declares are derived from how the
 * functions use them:
 *   - the object a handle points to or lives in (`QEMUTimer *` returned
 *     by a create, `struct k_timer *` whose pointee is the handle) is a
 *     complete record of opaque bytes, so a field or local of it is
 *     storage as in the real header;
 *   - a handle passed by value (HANDLE, TimerHandle_t) is `void *`, which
 *     takes NULL and any pointer;
 *   - another type passed by value (TickType_t, DWORD) is `long`;
 *   - a type seen only behind a pointer is an incomplete record.
 * A name the `stand-in:` lines of the header's families mention (or of
 * the family headers those lines include) is theirs to declare.
 * Every derived declaration and prototype is guarded by name, so two
 * families in one header (glib.h) agree by the first one's choice. The
 * directory goes last in the search path (-idirafter): a header this
 * machine has always wins. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "standin.h"

typedef struct {
  const char *s;
  int n;
  bool id;
} Tok;

enum {
  U_VALUE = 1,  /* passed or returned by value */
  U_PTR = 2,    /* seen behind a pointer */
  U_OBJECT = 4, /* a handle's object: storage, so complete */
  U_HANDLE = 8, /* a handle passed by value */
};

typedef struct {
  const char *name; /* typedef name, or tag */
  const char *kw;   /* "struct", "union", "enum"; NULL for a typedef name */
  unsigned use;
} TypeUse;

typedef Array(TypeUse) Uses;

#define MAX_TOKS 512

static int lex(const char *src, Tok *t, int max) {
  int n = 0;
  for (const char *p = src; *p && n < max;) {
    const char *b = p;
    if (isspace((unsigned char)*p)) {
      p++;
      continue;
    }
    if (isalpha((unsigned char)*p) || *p == '_') {
      while (isalnum((unsigned char)*p) || *p == '_')
        p++;
      t[n++] = (Tok){b, (int)(p - b), true};
    } else if (!strncmp(p, "...", 3)) {
      p += 3;
      t[n++] = (Tok){b, 3, false};
    } else if (isdigit((unsigned char)*p)) {
      while (isalnum((unsigned char)*p))
        p++;
      t[n++] = (Tok){b, (int)(p - b), false};
    } else {
      p++;
      t[n++] = (Tok){b, 1, false};
    }
  }
  return n;
}

static bool is(const Tok *t, const char *s) {
  return (int)strlen(s) == t->n && !strncmp(t->s, s, (size_t)t->n);
}

static bool in_list(const Tok *t, const char *const *l) {
  for (int i = 0; l[i]; i++)
    if (is(t, l[i]))
      return true;
  return false;
}

static const char *const qualifiers[] = {
    "const", "volatile", "restrict", "static", "inline", "extern",
    "register", NULL};

/* Type words the stand-in's own includes give (<stddef.h>, <stdint.h>,
 * <stdbool.h>, <sys/types.h>): never derived. */
static const char *const known_types[] = {
    "void", "char", "short", "int", "long", "float", "double", "signed",
    "unsigned", "_Bool", "bool", "size_t", "ssize_t", "ptrdiff_t",
    "wchar_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t",
    "uint16_t", "uint32_t", "uint64_t", "intptr_t", "uintptr_t",
    "intmax_t", "uintmax_t", "off_t", "pid_t", "uid_t", "gid_t", "time_t",
    "clock_t", "clockid_t", "timer_t", "mode_t", "useconds_t",
    "suseconds_t", "id_t", "pthread_t", "pthread_attr_t", NULL};

static bool is_qualifier(const Tok *t) { return in_list(t, qualifiers); }

static TypeUse *use_of(Uses *u, const Tok *t, const char *kw, Arena *a) {
  for (int i = 0; i < u->n; i++)
    if ((kw ? u->v[i].kw && !strcmp(u->v[i].kw, kw) : !u->v[i].kw) &&
        is(t, u->v[i].name))
      return &u->v[i];
  TypeUse nu = {arena_strndup(a, t->s, (size_t)t->n), kw, 0};
  array_push(u, nu);
  return &u->v[u->n - 1];
}

/* The token after `i` that is no qualifier is a '*'. */
static bool pointer_follows(const Tok *t, int i, int e) {
  int j = i + 1;
  while (j < e && t[j].id && is_qualifier(&t[j]))
    j++;
  return j < e && is(&t[j], "*");
}

/* The ')' or ']' closing the group opened at `i`, or `e`. */
static int closing(const Tok *t, int i, int e) {
  int depth = 0;
  for (int j = i; j < e; j++) {
    if (is(&t[j], "(") || is(&t[j], "["))
      depth++;
    else if ((is(&t[j], ")") || is(&t[j], "]")) && --depth == 0)
      return j;
  }
  return e;
}

static void segment(const Tok *t, int b, int e, bool param, int hmode,
                    Uses *u, Arena *a);

/* A parameter list between b and e, split at its top-level commas;
 * `handle` is the parameter the function's handle is (hmode 1: its value,
 * 2: what it points to) or -1. */
static void params(const Tok *t, int b, int e, int handle, int hmode, Uses *u,
                   Arena *a) {
  int k = 0, start = b;
  for (int i = b; i <= e; i++) {
    if (i < e && (is(&t[i], "(") || is(&t[i], "["))) {
      i = closing(t, i, e);
      continue;
    }
    if (i == e || is(&t[i], ",")) {
      if (i > start)
        segment(t, start, i, true, k == handle ? hmode : 0, u, a);
      k++;
      start = i + 1;
    }
  }
}

/* One declaration's type and declarator (a parameter, or a return type
 * when !param): the type names it uses, how. */
static void segment(const Tok *t, int b, int e, bool param, int hmode,
                    Uses *u, Arena *a) {
  for (int i = b; i < e; i++)
    if (is(&t[i], "(")) {
      /* A function pointer: RET (ATTR *name)(PARAMS). */
      segment(t, b, i, false, 0, u, a);
      int rp = closing(t, i, e);
      if (rp + 1 < e && is(&t[rp + 1], "("))
        params(t, rp + 2, closing(t, rp + 1, e), -1, 0, u, a);
      return;
    } else if (is(&t[i], "[")) {
      break;
    }
  int cand[64], nc = 0;
  bool spec = false;
  TypeUse *principal = NULL;
  bool principal_ptr = false;
  for (int i = b; i < e; i++) {
    const Tok *k = &t[i];
    if (is(k, "[")) {
      i = closing(t, i, e);
      continue;
    }
    if (!k->id)
      continue;
    if ((is(k, "struct") || is(k, "union") || is(k, "enum")) && i + 1 < e &&
        t[i + 1].id) {
      const char *kw = is(k, "struct") ? "struct" : is(k, "union") ? "union"
                                                                   : "enum";
      TypeUse *tu = use_of(u, &t[i + 1], kw, a);
      bool ptr = pointer_follows(t, i + 1, e);
      tu->use |= ptr ? U_PTR : U_VALUE;
      if (!principal) {
        principal = tu;
        principal_ptr = ptr;
      }
      spec = true;
      i++;
    } else if (is_qualifier(k) || (k->n > 2 && k->s[0] == '_' &&
                                   k->s[1] == '_')) {
      continue; /* a qualifier, an attribute or calling convention */
    } else if (in_list(k, known_types)) {
      spec = true;
    } else if (nc < 64) {
      cand[nc++] = i;
    }
  }
  if (param && nc && (spec || nc >= 2))
    nc--; /* the last name is the parameter's */
  for (int c = 0; c < nc; c++) {
    TypeUse *tu = use_of(u, &t[cand[c]], NULL, a);
    bool ptr = pointer_follows(t, cand[c], e);
    tu->use |= ptr ? U_PTR : U_VALUE;
    if (!principal) {
      principal = tu;
      principal_ptr = ptr;
    }
  }
  if (principal && hmode == 1)
    principal->use |= principal_ptr ? U_OBJECT : U_HANDLE;
  else if (principal && hmode == 2 && principal_ptr)
    principal->use |= U_OBJECT;
}

/* A prototype that reads as a C declaration: its function's name (in
 * `a`), the types it uses added to `u`; NULL when it does not (C++). */
static const char *prototype(const RuleFn *fn, Uses *u, Arena *a) {
  const char *p = fn->prototype;
  if (!p || strstr(p, "::") || strchr(p, '&') || strchr(p, '<'))
    return NULL;
  Tok t[MAX_TOKS];
  int n = lex(p, t, MAX_TOKS);
  int lp = -1;
  for (int i = 1; i < n && lp < 0; i++)
    if (is(&t[i], "(") && t[i - 1].id)
      lp = i;
  if (lp < 0 || (lp + 1 < n && is(&t[lp + 1], "*")) ||
      in_list(&t[lp - 1], known_types))
    return NULL; /* a function pointer (a vtable's member), not a function */
  int rp = closing(t, lp, n);
  if (rp >= n)
    return NULL;
  segment(t, 0, lp - 1, false, fn->handle == HANDLE_RETURN ? 1 : 0, u, a);
  int hmode = fn->handle == HANDLE_ARG ? 1 : fn->handle == HANDLE_DEREF ? 2 : 0;
  params(t, lp + 1, rp, hmode ? fn->handle_arg : -1, hmode, u, a);
  return arena_strndup(a, t[lp - 1].s, (size_t)t[lp - 1].n);
}

static bool listed(const StrArray *l, const char *s) {
  for (int i = 0; i < l->n; i++)
    if (!strcmp(l->v[i], s))
      return true;
  return false;
}

static const char *ident(const char *s, Arena *a) {
  char *c = arena_strdup(a, s);
  for (char *p = c; *p; p++)
    if (!isalnum((unsigned char)*p))
      *p = '_';
  return c;
}

/* What one family adds to a stand-in: empty when it describes nothing C
 * can declare. */
/* A family's `stand-in:` lines, first in the header for every family of
 * it: another family's prototypes there may use their types (glib.h's
 * containers use glib's gpointer). */
static void family_lines(const RuleFamily *fam, StrBuf *out, Arena *a) {
  if (!fam->nstand_in)
    return;
  const char *g = ident(fam->name, a);
  sb_printf(out, "\n#ifndef TIMERLINT_LINES_%s\n#define TIMERLINT_LINES_%s\n",
            g, g);
  for (int l = 0; l < fam->nstand_in; l++)
    sb_printf(out, "%s\n", fam->stand_in[l]);
  sb_puts(out, "#endif\n");
}

static void family_body(const Rules *r, const RuleFamily *fam,
                        const StrArray *names, const StrArray *macros,
                        StrBuf *out, Arena *a) {
  Uses u = {0};
  StrArray protos = {0}, fns = {0};
  for (int i = fam->first; i < fam->first + fam->count; i++) {
    const RuleFn *fn = rules_fn(r, i);
    const char *name = prototype(fn, &u, a);
    if (!name || listed(macros, name) || listed(&fns, name))
      continue;
    array_push(&fns, name);
    array_push(&protos, fn->prototype);
  }
  if (!fns.n && !fam->nstand_in)
    goto done;
  const char *g = ident(fam->name, a);
  const char *file = strrchr(fam->file, '/') ? strrchr(fam->file, '/') + 1
                                              : fam->file;
  sb_printf(out, "\n/* family %s (%s) */\n#ifndef TIMERLINT_FAMILY_%s\n"
            "#define TIMERLINT_FAMILY_%s\n", fam->name, file, g, g);
  for (int i = 0; i < u.n; i++) {
    const TypeUse *tu = &u.v[i];
    if (listed(names, tu->name))
      continue;
    const char *gk = ident(tu->kw ? tu->kw : "type", a);
    sb_printf(out, "#ifndef TIMERLINT_%s_%s\n#define TIMERLINT_%s_%s\n", gk,
              tu->name, gk, tu->name);
    if (tu->kw && !strcmp(tu->kw, "enum"))
      sb_printf(out, "enum %s { TIMERLINT_ENUM_%s };\n", tu->name, tu->name);
    else if (tu->kw && tu->use & U_OBJECT)
      sb_printf(out, "%s %s { char timerlint_opaque_[64]; };\n", tu->kw,
                tu->name);
    else if (tu->kw)
      sb_printf(out, "%s %s;\n", tu->kw, tu->name);
    else if (tu->use & U_OBJECT)
      sb_printf(out, "typedef struct %s { char timerlint_opaque_[64]; } %s;\n",
                tu->name, tu->name);
    else if (tu->use & U_HANDLE)
      sb_printf(out, "typedef void *%s;\n", tu->name);
    else if (tu->use & U_VALUE)
      sb_printf(out, "typedef long %s;\n", tu->name);
    else
      sb_printf(out, "typedef struct %s %s;\n", tu->name, tu->name);
    sb_puts(out, "#endif\n");
  }
  for (int i = 0; i < fam->nconsts; i++)
    sb_printf(out, "#ifndef %s\n#define %s (%lld)\n#endif\n",
              fam->const_names[i], fam->const_names[i],
              (long long)fam->const_values[i]);
  for (int i = 0; i < fam->nnull_names; i++)
    sb_printf(out, "#ifndef %s\n#define %s 0\n#endif\n", fam->null_names[i],
              fam->null_names[i]);
  for (int i = 0; i < fns.n; i++)
    sb_printf(out, "#ifndef TIMERLINT_FN_%s\n#define TIMERLINT_FN_%s\n%s;\n"
              "#endif\n", fns.v[i], fns.v[i], protos.v[i]);
  sb_puts(out, "#endif\n");
done:
  array_free(&u);
  array_free(&protos);
  array_free(&fns);
}

static void declared_at(const Rules *r, const char *header, StrArray *names,
                        StrArray *macros, Arena *a, int depth);

/* What a header's stand-in lines include of another family's headers is
 * declared there (linux/hrtimer.h's <linux/timer.h> has u64). */
static void declared_included(const Rules *r, const char *text,
                              StrArray *names, StrArray *macros, Arena *a,
                              int depth) {
  for (const char *p = strstr(text, "#include <"); p && depth < 4;
       p = strstr(p + 1, "#include <")) {
    const char *b = p + 10, *e = strchr(b, '>');
    if (e)
      declared_at(r, arena_strndup(a, b, (size_t)(e - b)), names, macros, a,
                  depth + 1);
  }
}

/* The identifiers of the stand-in lines of the families that share a
 * header (and of those their lines include), and the macros they define
 * (a function given as a macro gets no prototype). */
static void declared_at(const Rules *r, const char *header, StrArray *names,
                        StrArray *macros, Arena *a, int depth) {
  for (int f = 0; f < rules_family_count(r); f++) {
    const RuleFamily *fam = rules_family(r, f);
    if (!rules_family_includes(fam, header))
      continue;
    for (int l = 0; l < fam->nstand_in; l++) {
      const char *p = fam->stand_in[l];
      bool define = false; /* the last two tokens were '#' 'define' */
      int hash_at = -2;    /* where the last '#' was, in tokens */
      for (int tok = 0; *p; tok++) {
        if (isspace((unsigned char)*p)) {
          p++;
          tok--;
          continue;
        }
        if (!(isalpha((unsigned char)*p) || *p == '_')) {
          if (*p == '#')
            hash_at = tok;
          p++;
          continue;
        }
        const char *b = p;
        while (isalnum((unsigned char)*p) || *p == '_')
          p++;
        const char *s = arena_strndup(a, b, (size_t)(p - b));
        if (define)
          array_push(macros, s);
        define = hash_at == tok - 1 && !strcmp(s, "define");
        array_push(names, s);
      }
      declared_included(r, fam->stand_in[l], names, macros, a, depth);
    }
  }
}

const char *cli_stand_in_text(const Rules *r, const char *name, Arena *a,
                              const char **families) {
  StrArray names = {0}, macros = {0};
  declared_at(r, name, &names, &macros, a, 0);
  StrBuf body = {0}, fams = {0};
  sb_puts(&body, "");
  sb_puts(&fams, "");
  for (int f = 0; f < rules_family_count(r); f++)
    if (rules_family_includes(rules_family(r, f), name))
      family_lines(rules_family(r, f), &body, a);
  for (int f = 0; f < rules_family_count(r); f++) {
    const RuleFamily *fam = rules_family(r, f);
    if (!rules_family_includes(fam, name))
      continue;
    size_t before = body.len;
    family_body(r, fam, &names, &macros, &body, a);
    if (body.len > before)
      sb_printf(&fams, "%s%s", fams.len ? ", " : "", fam->name);
  }
  const char *text = NULL;
  if (body.len) {
    const char *g = ident(name, a);
    text = arena_printf(
        a,
        "/* Stands in for <%s>, which this machine does not have: written by\n"
        " * timerlint from the rule files of %s. It declares what\n"
        " * those families describe and nothing else. */\n"
        "#ifndef TIMERLINT_STAND_IN_%s\n#define TIMERLINT_STAND_IN_%s\n"
        "#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n"
        "#if defined(__has_include)\n#if __has_include(<sys/types.h>)\n"
        "#include <sys/types.h>\n#endif\n#endif\n"
        "#ifdef __cplusplus\nextern \"C\" {\n#endif\n%s"
        "#ifdef __cplusplus\n}\n#endif\n#endif\n",
        name, fams.s, g, g, body.s);
  }
  if (families)
    *families = arena_strdup(a, fams.s);
  sb_free(&body);
  sb_free(&fams);
  array_free(&names);
  array_free(&macros);
  return text;
}

const char *cli_generated_top(Arena *a) {
  const char *base = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  return base && *base ? arena_printf(a, "%s/timerlint", base)
         : home && *home ? arena_printf(a, "%s/.cache/timerlint", home)
                         : arena_printf(a, "/tmp/timerlint-%d", (int)getuid());
}

bool cli_write_once(char *path, const char *text, Arena *a) {
  bool ok = true;
  for (char *p = path + 1; *p && ok; p++)
    if (*p == '/') {
      *p = 0;
      ok = mkdir(path, 0755) == 0 || errno == EEXIST;
      *p = '/';
    }
  if (!ok || access(path, R_OK) == 0)
    return ok;
  char *tmp = arena_printf(a, "%s.%d", path, (int)getpid());
  FILE *f = fopen(tmp, "w");
  ok = f && fputs(text, f) >= 0;
  if (f && fclose(f) != 0)
    ok = false;
  ok = ok && rename(tmp, path) == 0;
  if (!ok)
    unlink(tmp);
  return ok;
}

/* An include name that cannot leave the directory it is written under. */
static bool safe_name(const char *n) {
  return *n && *n != '/' && !strstr(n, "..") && !strstr(n, "//");
}

/* The families of `name` (NULL: none), its stand-in written on first ask:
 * each include is generated and written once per scan. */
static const char *ask(const Rules *r, const char *name, const char *dir,
                       StandInCache *c, Arena *a) {
  for (int i = 0; i < c->names.n; i++)
    if (!strcmp(c->names.v[i], name))
      return c->fams.v[i];
  const char *fams = NULL;
  const char *text = safe_name(name) ? cli_stand_in_text(r, name, a, &fams)
                                     : NULL;
  array_push(&c->names, name);
  array_push(&c->fams, text ? fams : NULL);
  if (!text)
    return NULL;
  if (!cli_write_once(arena_printf(a, "%s/%s", dir, name), text, a))
    c->failed = true;
  /* A stand-in's own includes of a family header (linux/workqueue.h's
   * <linux/timer.h>, as the real one has) need theirs beside it. */
  for (const char *p = strstr(text, "#include <"); p;
       p = strstr(p + 1, "#include <")) {
    const char *b = p + 10, *e = strchr(b, '>');
    if (e)
      ask(r, arena_strndup(a, b, (size_t)(e - b)), dir, c, a);
  }
  return fams;
}

const char *cli_stand_in_dir(const Rules *r, const StrArray *names,
                             StandInCache *c, Arena *a, const char **why) {
  *why = NULL;
  /* Named for the rule files it is written from: a rule change is another
   * directory, never a stale file. */
  const char *dir = arena_printf(a, "%s/stand-ins/%016llx",
                                 cli_generated_top(a),
                                 (unsigned long long)rules_hash(r));
  StrBuf said = {0};
  sb_puts(&said, "");
  StrArray seen = {0};
  for (int i = 0; i < names->n; i++) {
    bool dup = false;
    for (int k = 0; k < seen.n && !dup; k++)
      dup = !strcmp(seen.v[k], names->v[i]);
    const char *fams = dup ? NULL : ask(r, names->v[i], dir, c, a);
    array_push(&seen, names->v[i]);
    if (fams)
      sb_printf(&said, "%s<%s> (%s)", said.len ? ", " : "", names->v[i], fams);
  }
  if (said.len && !c->failed)
    *why = arena_printf(a, "stands in for %s from the rule files, where "
                        "nothing else has them (searched last: a header this "
                        "machine has always wins)", said.s);
  else
    dir = NULL;
  sb_free(&said);
  array_free(&seen);
  return dir;
}

void cli_stand_in_done(StandInCache *c) {
  array_free(&c->names);
  array_free(&c->fams);
}
