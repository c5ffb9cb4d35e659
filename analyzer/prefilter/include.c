/* include.c: where an #include leads, as the compiler would look (gcc's
 * and clang's order: a quoted name in the including file's directory, then
 * -iquote; then -I, -isystem, the system directories, -idirafter), and
 * whether it is the project's. Only project headers are followed: a file
 * found in a -I or -iquote directory that is no system directory, or below
 * the scan root; never one found by -isystem or in the system
 * directories, which the families describe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pfInt.h"

/* Where the compiler's own headers are (and Debian's multiarch ones). */
static const char *const system_dirs[] = {
    "/usr/local/include", "/usr/include/x86_64-linux-gnu",
    "/usr/include/aarch64-linux-gnu", "/usr/include"};

bool pf_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    n--;
  return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

/* A directory the system's headers live in (not the project's, unless
 * below the root: a tree checked out under /usr/src is still one). */
static bool system_dir(const char *d, const char *root) {
  if (root && pf_under(d, root))
    return false;
  static const char *const prefixes[] = {"/usr/", "/opt/", "/lib/", "/lib64/"};
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if (pf_under(d, prefixes[i]) || !strncmp(d, prefixes[i], strlen(prefixes[i])))
      return true;
  return false;
}

static const char *absolute(Arena *a, const char *dir, const char *p) {
  if (p[0] == '/' || !dir || !*dir)
    return arena_strdup(a, p);
  return arena_printf(a, "%s/%s", dir, p);
}

/* The value of a flag that takes one: "-Ifoo" or "-I" "foo". */
static const char *flag_value(const char *const *argv, int argc, int *i,
                              const char *flag) {
  size_t n = strlen(flag);
  const char *a = argv[*i];
  if (strncmp(a, flag, n))
    return NULL;
  if (a[n])
    return a + n;
  if (*i + 1 < argc)
    return argv[++*i];
  return NULL;
}

void pf_search_init(PfSearch *sp, const char *root, const char *directory,
                    const char *const *argv, int argc, bool full_argv,
                    Arena *a) {
  memset(sp, 0, sizeof *sp);
  Array(const char *) idir = {0}, isys = {0}, after = {0};
  for (int i = full_argv ? 1 : 0; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "-I-")) {
      sp->doubt = true;
    } else if ((v = flag_value(argv, argc, &i, "-iquote"))) {
      array_push(&sp->quote, absolute(a, directory, v));
    } else if ((v = flag_value(argv, argc, &i, "-isystem"))) {
      array_push(&isys, absolute(a, directory, v));
    } else if ((v = flag_value(argv, argc, &i, "-idirafter"))) {
      array_push(&after, absolute(a, directory, v));
    } else if ((v = flag_value(argv, argc, &i, "--include-directory="))) {
      array_push(&idir, absolute(a, directory, v));
    } else if ((v = flag_value(argv, argc, &i, "-imacros")) ||
               (v = flag_value(argv, argc, &i, "--include="))) {
      array_push(&sp->forced, absolute(a, directory, v));
    } else if (!strncmp(argv[i], "-include", 8) &&
               strncmp(argv[i], "-include-pch", 12) &&
               (v = flag_value(argv, argc, &i, "-include"))) {
      array_push(&sp->forced, absolute(a, directory, v));
    } else if ((v = flag_value(argv, argc, &i, "-I"))) {
      array_push(&idir, absolute(a, directory, v));
    }
  }
  /* Quoted: -iquote, then the angled path; angled: -I, -isystem, the
   * system directories, -idirafter. */
  for (int i = 0; i < sp->quote.n; i++)
    array_push(&sp->quote_proj, !system_dir(sp->quote.v[i], root));
  for (int i = 0; i < idir.n; i++) {
    array_push(&sp->angled, idir.v[i]);
    array_push(&sp->angled_proj, !system_dir(idir.v[i], root));
  }
  for (int i = 0; i < isys.n; i++) {
    array_push(&sp->angled, isys.v[i]);
    array_push(&sp->angled_proj, false);
  }
  for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++) {
    array_push(&sp->angled, system_dirs[i]);
    array_push(&sp->angled_proj, false);
  }
  for (int i = 0; i < after.n; i++) {
    array_push(&sp->angled, after.v[i]);
    array_push(&sp->angled_proj, root && pf_under(after.v[i], root));
  }
  StrBuf k = {0};
  sb_puts(&k, "");
  for (int i = 0; i < sp->quote.n; i++)
    sb_printf(&k, "q%s\n", sp->quote.v[i]);
  for (int i = 0; i < sp->angled.n; i++)
    sb_printf(&k, "%c%s\n", sp->angled_proj.v[i] ? 'p' : 's', sp->angled.v[i]);
  sp->key = arena_strdup(a, k.s);
  sb_free(&k);
  array_free(&idir);
  array_free(&isys);
  array_free(&after);
}

void pf_search_free(PfSearch *sp) {
  array_free(&sp->quote);
  array_free(&sp->angled);
  array_free(&sp->quote_proj);
  array_free(&sp->angled_proj);
  array_free(&sp->forced);
}

static bool is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* `name` in `dir`: its path (in the arena) or NULL. */
static const char *look(Pf *pf, const char *dir, const char *name) {
  char p[4096];
  if (snprintf(p, sizeof p, "%s/%s", dir, name) >= (int)sizeof p)
    return NULL;
  return is_file(p) ? arena_strdup(pf_arena(pf), p) : NULL;
}

const char *pf_resolve(Pf *pf, const PfSearch *sp, const char *dir,
                       const PfInc *inc, bool *found) {
  *found = true;
  const char *p;
  if (inc->name[0] == '/') /* as written: the project's unless a system's */
    return !is_file(inc->name) ? (*found = false, NULL)
           : system_dir(inc->name, NULL) ? NULL
                                         : inc->name;
  if (!inc->angled) {
    if (dir && (p = look(pf, dir, inc->name)))
      return p; /* beside a project file: the project's */
    for (int i = 0; i < sp->quote.n; i++)
      if ((p = look(pf, sp->quote.v[i], inc->name)))
        return sp->quote_proj.v[i] ? p : NULL;
  }
  for (int i = 0; i < sp->angled.n; i++)
    if ((p = look(pf, sp->angled.v[i], inc->name)))
      return sp->angled_proj.v[i] ? p : NULL;
  *found = false;
  return NULL;
}
