/* cdb.c: compile_commands.json, read here rather than by libclang (#16
 * item 3). libclang's loader drops the whole database for one malformed
 * entry, prints its own noise (LIBCLANG TOOLING ERROR), and the lookups
 * around it were quadratic (a linear duplicate check per entry: 200,000
 * entries never started). Here the array is split element by element (one
 * entry's JSON objects at a time, whatever the file's size), each entry is
 * checked and a bad one is skipped with "compile_commands.json:ENTRY N:
 * what", duplicates and lookups go through a hash table, and a `command`
 * string is split as a POSIX shell does. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cdb.h"

/* Per entry of the list: where its text starts and ends, its number. */
typedef Array(size_t) SpanList;

/* Open addressing from a path to an entry index. */
typedef struct {
  const char **key;
  int *val;
  size_t cap, n;
} PathMap;

static void map_grow(PathMap *m);

static size_t map_slot(const PathMap *m, const char *k) {
  size_t i = (size_t)hash_str(HASH_SEED, k) & (m->cap - 1);
  while (m->key[i] && strcmp(m->key[i], k))
    i = (i + 1) & (m->cap - 1);
  return i;
}

static int map_get(const PathMap *m, const char *k) {
  if (!m->cap)
    return -1;
  size_t i = map_slot(m, k);
  return m->key[i] ? m->val[i] : -1;
}

/* Adds k unless present; true when added. */
static bool map_put(PathMap *m, const char *k, int v) {
  if (2 * (m->n + 1) > m->cap)
    map_grow(m);
  size_t i = map_slot(m, k);
  if (m->key[i])
    return false;
  m->key[i] = k;
  m->val[i] = v;
  m->n++;
  return true;
}

static void map_grow(PathMap *m) {
  PathMap g = {xcalloc(m->cap ? 2 * m->cap : 1024, sizeof *g.key),
               xcalloc(m->cap ? 2 * m->cap : 1024, sizeof *g.val),
               m->cap ? 2 * m->cap : 1024, 0};
  for (size_t i = 0; i < m->cap; i++)
    if (m->key[i])
      map_put(&g, m->key[i], m->val[i]);
  xfree(m->key);
  xfree(m->val);
  *m = g;
}

static void map_free(PathMap *m) {
  xfree(m->key);
  xfree(m->val);
}

/* DIR/FILE with "." and ".." taken out, by the letters (no system call). */
static const char *normal(Arena *a, const char *dir, const char *file) {
  const char *joined = file[0] == '/' || !dir ? file
                                              : arena_printf(a, "%s/%s", dir, file);
  size_t n = strlen(joined);
  char *out = arena_alloc(a, n + 2);
  size_t o = 0;
  for (const char *p = joined; *p;) {
    while (*p == '/')
      p++;
    const char *e = p;
    while (*e && *e != '/')
      e++;
    size_t len = (size_t)(e - p);
    if (len == 1 && p[0] == '.') {
      /* nothing */
    } else if (len == 2 && p[0] == '.' && p[1] == '.') {
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--;
    } else if (len) {
      out[o++] = '/';
      memcpy(out + o, p, len);
      o += len;
    }
    p = e;
  }
  if (!o)
    out[o++] = '/';
  out[o] = 0;
  return out;
}

/* A `command` string split as sh does (quotes, backslashes); NULL on an
 * unterminated quote. */
static const char **split_command(Arena *a, const char *cmd, int *argc) {
  Array(const char *) v = {0};
  size_t n = strlen(cmd);
  char *word = arena_alloc(a, n + 1);
  const char *p = cmd;
  bool bad = false;
  while (*p && !bad) {
    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if (!*p)
      break;
    size_t w = 0;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
      if (*p == '\\' && p[1]) {
        word[w++] = p[1];
        p += 2;
      } else if (*p == '\'') {
        const char *e = strchr(p + 1, '\'');
        if (!e) {
          bad = true;
          break;
        }
        memcpy(word + w, p + 1, (size_t)(e - p - 1));
        w += (size_t)(e - p - 1);
        p = e + 1;
      } else if (*p == '"') {
        p++;
        while (*p && *p != '"') {
          if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' ||
                             p[1] == '`'))
            p++;
          word[w++] = *p++;
        }
        if (*p != '"') {
          bad = true;
          break;
        }
        p++;
      } else {
        word[w++] = *p++;
      }
    }
    array_push(&v, arena_strndup(a, word, w));
  }
  if (bad || !v.n) {
    array_free(&v);
    return NULL;
  }
  const char **argv = arena_alloc(a, (size_t)(v.n + 1) * sizeof *argv);
  for (int i = 0; i < v.n; i++)
    argv[i] = v.v[i];
  *argc = v.n;
  array_free(&v);
  return argv;
}

/* The end of the JSON value starting at s[i]: the index after it, or 0
 * when the text ends first. */
static size_t value_end(const char *s, size_t n, size_t i) {
  if (s[i] == '"') {
    for (i++; i < n && s[i] != '"'; i++)
      if (s[i] == '\\')
        i++;
    return i < n ? i + 1 : 0;
  }
  if (s[i] != '{' && s[i] != '[') { /* a number, true, false, null */
    while (i < n && !strchr(",] \t\r\n", s[i]))
      i++;
    return i < n ? i : 0;
  }
  int depth = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '"') {
      for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
          i++;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (--depth == 0)
        return i + 1;
    }
  }
  return 0;
}

static const char *jstr(json_object *o, const char *k) {
  json_object *v;
  return json_object_object_get_ex(o, k, &v) &&
                 json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : NULL;
}

/* One entry checked and made a command; false and *why when it cannot
 * be. With !full only its file and directory are taken (a scan of named
 * files makes the commands of the entries it uses, not of every one). */
static bool entry_command(json_object *o, Arena *a, FeCommand *fc,
                          const char **why, bool full) {
  if (!json_object_is_type(o, json_type_object)) {
    *why = "not an object";
    return false;
  }
  const char *file = jstr(o, "file"), *dir = jstr(o, "directory");
  if (!file || !*file) {
    *why = "'file' is missing or not a string";
    return false;
  }
  if (!dir || !*dir) {
    *why = "'directory' is missing or not a string";
    return false;
  }
  json_object *args;
  const char *cmd = jstr(o, "command");
  const char **argv = NULL;
  int argc = 0;
  if (!full) {
    if (!cmd && !json_object_object_get_ex(o, "arguments", &args)) {
      *why = "neither 'arguments' nor 'command'";
      return false;
    }
  } else if (json_object_object_get_ex(o, "arguments", &args)) {
    if (!json_object_is_type(args, json_type_array) ||
        !json_object_array_length(args)) {
      *why = "'arguments' is not a list of strings";
      return false;
    }
    argc = (int)json_object_array_length(args);
    argv = arena_alloc(a, (size_t)(argc + 1) * sizeof *argv);
    for (int i = 0; i < argc; i++) {
      json_object *x = json_object_array_get_idx(args, (size_t)i);
      if (!json_object_is_type(x, json_type_string)) {
        *why = "'arguments' is not a list of strings";
        return false;
      }
      argv[i] = arena_strdup(a, json_object_get_string(x));
    }
  } else if (cmd) {
    if (!(argv = split_command(a, cmd, &argc))) {
      *why = "'command' is empty or has an unterminated quote";
      return false;
    }
  } else if (full) {
    *why = "neither 'arguments' nor 'command'";
    return false;
  }
  /* A compiler wrapper first (`ccache gcc -c x.c`): the compiler is the
   * next word, as libclang's reader took it. */
  static const char *const wrappers[] = {"ccache", "sccache", "distcc",
                                         "icecc", "buildcache", NULL};
  for (int w = 0; full && argc > 1 && wrappers[w]; w++) {
    const char *b = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (!strcmp(b, wrappers[w])) {
      argv++;
      argc--;
      w = -1;
    }
  }
  memset(fc, 0, sizeof *fc);
  fc->directory = arena_strdup(a, dir);
  fc->file = normal(a, dir, file);
  fc->argv = argv;
  fc->argc = argc;
  fc->full_argv = true;
  return true;
}

static size_t dir_len(const char *path) {
  const char *sl = strrchr(path, '/');
  return sl ? (size_t)(sl - path) : 0;
}

/* The neighbour's command made `file`'s: the argument that names the
 * neighbour's source names `file` instead. */
static FeCommand as_neighbour(const FeCommand *nb, const char *file, Arena *a,
                              const char *dbfile) {
  FeCommand fc = *nb;
  const char **argv = arena_alloc(a, (size_t)(nb->argc + 1) * sizeof *argv);
  const char *base = nb->file + dir_len(nb->file) + 1;
  size_t bl = strlen(base);
  for (int i = 0; i < nb->argc; i++) {
    const char *x = nb->argv[i];
    size_t xl = strlen(x);
    argv[i] = i > 0 && (!strcmp(x, nb->file) ||
                        (xl >= bl && !strcmp(x + xl - bl, base) &&
                         (xl == bl || x[xl - bl - 1] == '/')))
                  ? file
                  : x;
  }
  fc.argv = argv;
  fc.origin = arena_printf(a, "the entry of %s in %s (a neighbour: the "
                           "database does not list this file)", nb->file, dbfile);
  fc.file = file;
  return fc;
}

/* Entry k of `all` made whole (its arguments split) from its text, once;
 * false (said on stderr, counted) when they cannot be. */
static bool full_command(FeCommandList *all, const SpanList *span, int k,
                         const char *text, json_tokener *tok, Arena *arena,
                         const char *dbfile, int *nbad) {
  FeCommand *fc = &all->v[k];
  if (fc->argv)
    return true;
  if (fc->argc < 0)
    return false;
  size_t b = span->v[3 * k], e = span->v[3 * k + 1];
  json_tokener_reset(tok);
  json_object *o = json_tokener_parse_ex(tok, text + b, (int)(e - b));
  FeCommand whole;
  const char *why = NULL;
  if (o && entry_command(o, arena, &whole, &why, true)) {
    whole.origin = fc->origin;
    *fc = whole;
  } else {
    cli_error("%s:ENTRY %zu: %s", dbfile, span->v[3 * k + 2],
              why ? why : "malformed");
    (*nbad)++;
    fc->argc = -1;
  }
  json_object_put(o);
  return fc->argc >= 0;
}

int cli_cdb_load(const char *dir, const char *const *files, int nfiles,
                 Arena *arena, FeCommandList *out, int *nbad) {
  *nbad = 0;
  const char *dbfile = arena_printf(arena, "%s/compile_commands.json", dir);
  FILE *f = fopen(dbfile, "rb");
  struct stat st;
  if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    if (f)
      fclose(f);
    cli_error("%s: no readable compile_commands.json (missing or malformed)",
              dir);
    return -1;
  }
  size_t n = (size_t)st.st_size;
  char *text = xmalloc(n + 1);
  size_t got = fread(text, 1, n, f);
  fclose(f);
  text[got] = 0;
  n = got;
  /* Every entry, checked, once per file (libclang lists a file twice when
   * the database does). */
  FeCommandList all = {0};
  SpanList span = {0}; /* each entry of `all`: its text, its number */
  PathMap by_file = {0};
  size_t i = 0;
  while (i < n && strchr(" \t\r\n", text[i]))
    i++;
  bool ok = i < n && text[i] == '[';
  const char *broken = ok ? NULL : "not a JSON list";
  i++;
  json_tokener *tok = json_tokener_new();
  for (int entry = 1; ok;) {
    while (i < n && strchr(" \t\r\n", text[i]))
      i++;
    if (i < n && text[i] == ']')
      break;
    size_t end = i < n && text[i] != ',' ? value_end(text, n, i) : 0;
    if (!end) {
      broken = "an entry is cut off";
      break;
    }
    json_tokener_reset(tok);
    json_object *o = json_tokener_parse_ex(tok, text + i, (int)(end - i));
    FeCommand fc;
    const char *why = NULL;
    if (!o)
      why = json_tokener_error_desc(json_tokener_get_error(tok));
    else if (entry_command(o, arena, &fc, &why, nfiles == 0)) {
      fc.origin = arena_printf(arena, "the entry of %s", dbfile);
      if (map_put(&by_file, fc.file, all.n)) {
        array_push(&all, fc);
        array_push(&span, i);
        array_push(&span, end);
        array_push(&span, (size_t)entry);
      }
    }
    if (why) {
      cli_error("%s:ENTRY %d: %s", dbfile, entry, why);
      (*nbad)++;
    }
    json_object_put(o);
    entry++;
    i = end;
    while (i < n && strchr(" \t\r\n", text[i]))
      i++;
    if (i < n && text[i] == ',')
      i++;
    else if (!(i < n && text[i] == ']')) {
      broken = "entries are not separated by commas";
      break;
    }
  }
  if (broken) {
    cli_error("%s: no readable compile_commands.json (malformed: %s); the "
              "entries before it are analysed", dir, broken);
    (*nbad)++;
  } else if (!all.n && !*nbad) {
    cli_warn("%s: the compile database lists no files", dbfile);
  }
  if (!nfiles) {
    for (int k = 0; k < all.n; k++)
      array_push(out, all.v[k]);
  } else {
    /* By the letters first; a database written through a symlink (or a
     * file named through one) is matched again by real paths, computed
     * once and only then. */
    PathMap by_real = {0};
    bool real_done = false;
    const char **real = arena_alloc(arena, (size_t)(all.n + 1) * sizeof *real);
    for (int q = 0; q < nfiles; q++) {
      char *abs = realpath(files[q], NULL);
      const char *file = arena_strdup(arena, abs ? abs : files[q]);
      free(abs);
      int at = map_get(&by_file, file);
      if (at < 0)
        at = map_get(&by_file, normal(arena, NULL, file));
      if (at < 0 && !real_done) {
        for (int k = 0; k < all.n; k++) {
          char *r = realpath(all.v[k].file, NULL);
          real[k] = r ? arena_strdup(arena, r) : all.v[k].file;
          free(r);
          map_put(&by_real, real[k], k);
        }
        real_done = true;
      }
      if (at < 0)
        at = map_get(&by_real, file);
      if (at >= 0 && full_command(&all, &span, at, text, tok, arena, dbfile,
                                  nbad)) {
        FeCommand fc = all.v[at];
        fc.file = file;
        array_push(out, fc);
        continue;
      }
      if (at >= 0)
        continue; /* said; nothing to analyse it with */
      FeCommand fc = {file, NULL, NULL, 0, false, NULL, NULL};
      size_t dl = dir_len(file);
      for (int k = 0; k < all.n; k++) {
        const char *lf = real[k];
        if (dir_len(lf) == dl && !strncmp(lf, file, dl) &&
            full_command(&all, &span, k, text, tok, arena, dbfile, nbad)) {
          fc = as_neighbour(&all.v[k], file, arena, dbfile);
          break;
        }
      }
      array_push(out, fc);
    }
    map_free(&by_real);
  }
  map_free(&by_file);
  array_free(&all);
  array_free(&span);
  json_tokener_free(tok);
  xfree(text);
  return 0;
}
