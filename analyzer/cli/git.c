/* git.c: what the commands ask git (run without a shell) and where the
 * repository root is; paths relative to it. */
#include "git.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *cli_git_output(const char *dir, const char *const *args) {
  const char *argv[16] = {"git"};
  int n = 1;
  if (dir) {
    argv[n++] = "-C";
    argv[n++] = dir;
  }
  for (; *args && n < 15; args++)
    argv[n++] = *args;
  argv[n] = NULL;
  return cli_run_output(argv);
}

char *cli_run_output(const char *const *argv) {
  int fd[2];
  if (pipe(fd) != 0)
    return NULL;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], 1);
    close(fd[0]);
    close(fd[1]);
    if (!freopen("/dev/null", "w", stderr))
      _exit(127);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(fd[1]);
  StrBuf b = {0};
  sb_puts(&b, "");
  char buf[8192];
  ssize_t got;
  /* A signal (a scan worker's SIGCHLD) may interrupt either call: retry,
   * or the answer comes back cut short (a run recorded with no commit,
   * found as a flaky store test under load). */
  while (pid > 0) {
    got = read(fd[0], buf, sizeof buf - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    buf[got] = 0;
    sb_puts(&b, buf);
  }
  close(fd[0]);
  int st = 0;
  bool waited = false;
  while (pid > 0 && !waited) {
    if (waitpid(pid, &st, 0) == pid)
      waited = true;
    else if (errno != EINTR)
      break;
  }
  if (pid <= 0 || !waited || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    sb_free(&b);
    return NULL;
  }
  return b.s;
}

const char *cli_git_rev_parse(Arena *a, const char *arg1, const char *arg2) {
  const char *args[] = {"rev-parse", arg1, arg2, NULL};
  char *out = cli_git_output(NULL, args);
  if (!out)
    return NULL;
  out[strcspn(out, "\n")] = 0;
  const char *r = *out ? arena_strdup(a, out) : NULL;
  free(out);
  return r;
}

const char *cli_root(Arena *a) {
  const char *g = cli_git_rev_parse(a, "--show-toplevel", NULL);
  if (g)
    return g;
  char cwd[PATH_MAX];
  return arena_strdup(a, getcwd(cwd, sizeof cwd) ? cwd : ".");
}
