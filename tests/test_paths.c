/* test_paths.c: realpaths_get() answers what realpath(3) answers, for a
 * tree of plain files, linked files, linked directories, dot names,
 * missing files and relative paths, from a cold and a warm cache (#17
 * item 3: the scan resolves each directory once). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../analyzer/util/util.h"
#include "check.h"

static void same(RealPaths *rp, const char *path) {
  char *want = realpath(path, NULL);
  char *got = realpaths_get(rp, path);
  CHECK(want ? got && !strcmp(got, want) : !got, "%s: realpath %s, cache %s",
        path, want ? want : "(none)", got ? got : "(none)");
  free(want);
  free(got);
}

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  if (f)
    fclose(f);
}

int main(void) {
  char tmpl[] = "/tmp/tl-paths-XXXXXX";
  char *d = mkdtemp(tmpl);
  CHECK(d != NULL, "mkdtemp");
  if (!d)
    return check_summary();
  char p[PATH_MAX], q[PATH_MAX];
  snprintf(p, sizeof p, "%s/src", d);
  mkdir(p, 0777);
  snprintf(p, sizeof p, "%s/src/a.c", d);
  touch(p);
  snprintf(p, sizeof p, "%s/other", d);
  mkdir(p, 0777);
  snprintf(p, sizeof p, "%s/other/b.c", d);
  touch(p);
  /* A linked file, a linked directory, a dangling link. */
  snprintf(p, sizeof p, "%s/other/b.c", d);
  snprintf(q, sizeof q, "%s/src/link.c", d);
  CHECK(symlink(p, q) == 0, "symlink file");
  snprintf(p, sizeof p, "%s/other", d);
  snprintf(q, sizeof q, "%s/alias", d);
  CHECK(symlink(p, q) == 0, "symlink dir");
  snprintf(q, sizeof q, "%s/src/dangling.c", d);
  CHECK(symlink("/nonexistent/x.c", q) == 0, "symlink dangling");
  static const char *const rel[] = {
      "src/a.c", "src/link.c", "alias/b.c", "src/dangling.c", "src/missing.c",
      "nodir/a.c", "src/../other/b.c", "src/.", "src/..", "src/", "src//a.c",
      "alias/../src/a.c", "alias"};
  RealPaths *rp = realpaths_new();
  for (int warm = 0; warm < 2; warm++)
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      snprintf(p, sizeof p, "%s/%s", d, rel[i]);
      same(rp, p);
    }
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) && chdir(d) == 0) {
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++)
      same(rp, rel[i]);
    same(rp, "a-file-here-is-missing.c");
    touch("top.c");
    same(rp, "top.c");
    same(rp, "/");
    CHECK(chdir(cwd) == 0, "chdir back");
  }
  realpaths_free(rp);
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
  CHECK(system(cmd) == 0, "cleanup");
  return check_summary();
}
