/* scan.c: `timerlint scan`. For each TU: reuse the stored result when its
 * inputs are unchanged, else parse, analyse, fingerprint, apply
 * suppressions, and commit it to the store in one transaction. Output comes
 * from what the run recorded, so a reused TU prints exactly like a fresh one. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../reports/report.h"
#include "../engine/engine.h"
#include "../frontend/fe.h"
#include "../prefilter/pf.h"
#include "../store/store.h"
#include "cli.h"
#include "git.h"
#include "cdb.h"
#include "suppress.h"
#include "changed.h"
#include "stats.h"
#include "tu_setup.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif

typedef struct {
  Options *o;
  Rules *rules;
  FeCtx *fe;
  Store *store;
  int64_t run;
  const char *root;
  Arena *arena; /* run-long: commands, findings printed at the end */
  Array(StoreDep) hashes; /* file content hashes, computed once per run */
  int parsed, reused, failed;
  int skipped; /* by the prefilter: nothing in them to analyse */
  int partial; /* parsed with errors: a partial AST, analysed */
  const char *db_path; /* each worker opens its own connection */
  FILE *out;           /* the report's destination */
  ChangedSet changes;  /* --changed: only findings in these functions */
  double t0;
  RealPaths *real;     /* the TUs' real paths, by directory */
  CliScanStats *stats; /* --stats, else NULL: nothing is measured */
  double commit_ms;    /* this process's TU transactions (--stats) */
  int stats_fd;        /* a worker's end of its pipe to the parent, or -1 */
} Scan;

/* A file we cannot or should not hand to libclang: say why. */
static const char *check_source(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0)
    return strerror(errno);
  if (S_ISDIR(st.st_mode))
    return "is a directory";
  /* A FIFO or a device would block the reader, or never end. */
  if (!S_ISREG(st.st_mode))
    return "not a regular file";
  if (st.st_size == 0)
    return "file is empty";
  FILE *f = fopen(path, "rb");
  if (!f)
    return strerror(errno);
  unsigned char buf[4096];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  if (memchr(buf, 0, n))
    return "not a text file (contains NUL bytes)";
  return NULL;
}

static bool file_hash(Scan *s, const char *path, uint64_t *out) {
  for (int i = 0; i < s->hashes.n; i++)
    if (!strcmp(s->hashes.v[i].path, path)) {
      *out = s->hashes.v[i].hash;
      return true;
    }
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  uint64_t h = HASH_SEED;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    h = hash_bytes(h, buf, n);
  fclose(f);
  StoreDep d = {arena_strdup(s->arena, path), h};
  array_push(&s->hashes, d);
  *out = h;
  return true;
}

/* The running binary's contents: a rebuilt engine within one version
 * must not reuse results the old one stored. 0 when it cannot be read
 * (the version alone then decides, as before). */
static uint64_t self_hash(void) {
  static bool done;
  static uint64_t h;
  if (done)
    return h;
  done = true;
  FILE *f = fopen("/proc/self/exe", "rb");
  if (!f)
    return h = 0;
  char buf[1 << 16];
  size_t n;
  h = HASH_SEED;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    h = hash_bytes(h, buf, n);
  if (ferror(f))
    h = 0;
  fclose(f);
  return h;
}

/* What else decides a TU's result: its command, rules and our build. */
static const char *cmd_key(Scan *s, const FeCommand *c) {
  uint64_t h = hash_str(HASH_SEED, TIMERLINT_VERSION);
  uint64_t self = self_hash();
  h = hash_bytes(h, &self, sizeof self);
  uint64_t rh = rules_hash(s->rules);
  h = hash_bytes(h, &rh, sizeof rh);
  h = hash_str(h, c->directory ? c->directory : "");
  h = hash_str(h, c->file);
  for (int i = 0; i < c->argc; i++)
    h = hash_str(h, c->argv[i]);
  return arena_printf(s->arena, "%016llx", (unsigned long long)h);
}

/* The store knows a TU by its real path, however it was named. */
static const char *tu_path(Scan *s, const FeCommand *c) {
  char *real = realpaths_get(s->real, c->file);
  const char *p = arena_strdup(s->arena, real ? real : c->file);
  free(real);
  return p;
}

static bool try_reuse(Scan *s, const FeCommand *c, const char *key) {
  if (!s->store || s->o->force)
    return false;
  StoreDep *deps;
  int n;
  int64_t prev =
      store_tu_previous(s->store, tu_path(s, c), key, s->arena, &deps, &n);
  if (prev < 0 || n == 0)
    return false;
  for (int i = 0; i < n; i++) {
    uint64_t h;
    if (!file_hash(s, deps[i].path, &h) || h != deps[i].hash)
      return false;
  }
  StoreTu tu = {tu_path(s, c), key, "reused", NULL, deps, n};
  char *err = NULL;
  double t0 = s->stats ? cli_now_ms() : 0;
  int rc = store_tu_reuse(s->store, s->run, prev, &tu, &err);
  if (s->stats)
    s->commit_ms += cli_now_ms() - t0;
  if (rc < 0) {
    cli_error("%s", err);
    free(err);
    return false;
  }
  s->reused++;
  return true;
}

static void record(Scan *s, const FeCommand *c, const char *key,
                   const char *status, const char *error, FeDeps *deps,
                   FindingList *fl, const LinkData *link) {
  if (!s->store)
    return; /* --dump-ir records nothing */
  Array(StoreDep) d = {0};
  for (int i = 0; deps && i < deps->n; i++) {
    StoreDep x = {deps->v[i], 0};
    if (file_hash(s, x.path, &x.hash))
      array_push(&d, x);
  }
  StoreTu tu = {tu_path(s, c), key, status, error, d.v, d.n};
  char *err = NULL;
  double t0 = s->stats ? cli_now_ms() : 0;
  int rc = store_tu_commit(s->store, s->run, &tu, fl, link, &err);
  if (s->stats)
    s->commit_ms += cli_now_ms() - t0;
  if (rc < 0) {
    cli_error("%s", err);
    free(err);
    s->failed++;
  }
  array_free(&d);
}

/* Test-only: a worker whose file name contains $TIMERLINT_TEST_CRASH dies
 * of SIGSEGV, one matching $TIMERLINT_TEST_HANG never finishes. The crash
 * isolation test needs a real crash and a real hang. */
static void test_hooks(const char *file) {
  const char *crash = getenv("TIMERLINT_TEST_CRASH");
  const char *hang = getenv("TIMERLINT_TEST_HANG");
  if (crash && *crash && strstr(file, crash)) {
    signal(SIGSEGV, SIG_DFL); /* a real death, even under a sanitizer */
    raise(SIGSEGV);
  }
  while (hang && *hang && strstr(file, hang))
    pause();
}

static void analyse(Scan *s, const FeCommand *c) {
  const char *key = cmd_key(s, c);
  const char *why = check_source(c->file);
  if (why) {
    cli_error("%s: %s", c->file, why);
    record(s, c, key, "failed", why, NULL, NULL, NULL); /* for the reports */
    s->failed++;
    return;
  }
  test_hooks(c->file);
  if (!s->o->dump_ir && try_reuse(s, c, key))
    return;
  FeDiag d;
  FeDeps deps = {0};
  IrUnit *u = fe_lower_tu(s->fe, c, s->arena, &d, &deps);
  if (!u) {
    cli_error("%s", d.fatal);
    record(s, c, key, "failed", d.fatal, NULL, NULL, NULL);
    fe_diag_clear(&d);
    array_free(&deps);
    s->failed++;
    return;
  }
  const char *error = NULL;
  if (d.ndriver)
    cli_warn("%s: %d compiler flag%s ignored (%s)", c->file, d.ndriver,
             d.ndriver == 1 ? "" : "s", d.first_driver);
  if (d.nerrors) {
    error = arena_printf(s->arena, "%d error%s while parsing (first: %s); "
                         "analysed the partial AST", d.nerrors,
                         d.nerrors == 1 ? "" : "s",
                         d.first_error ? d.first_error : "?");
    /* A file whose headers are missing (a pre-commit scan without a build)
     * still has its findings: a warning, unless the user asks otherwise. */
    if (s->o->strict) {
      cli_error("%s: %s", c->file, error);
      s->failed++;
    } else {
      cli_warn("%s: %s; findings may be missing (give its flags: -p DIR, "
               "-- FLAGS or flags: in .timerlint.yaml; --strict makes this "
               "an error)", c->file, error);
      s->partial++;
    }
  }
  fe_diag_clear(&d);
  if (s->o->dump_ir) {
    ir_dump_unit(stdout, u);
  } else {
    FindingList fl = {0};
    LinkData link = {0};
    EngCuts cuts = {0};
    eng_analyze_unit(u, &fl, &link, &cuts);
    for (int k = 0; k < cuts.n; k++)
      cli_warn("%s: %s(): too large to analyse within the work budget; no "
               "finding for this function", c->file, cuts.v[k]);
    array_free(&cuts);
    findings_sort_unique(&fl);
    cli_suppressions(&fl, deps.v, deps.n, s->arena);
    findings_sort_unique(&fl);
    store_fingerprints(&fl, s->root, s->arena);
    /* A TU that had errors is recorded but never reused: parse it again. */
    record(s, c, key, !error ? "ok" : s->o->strict ? "failed" : "error", error,
           &deps, &fl, &link);
    array_free(&fl);
    eng_link_data_free(&link);
    s->parsed++;
  }
  ir_unit_free(u);
  array_free(&deps);
}

static char *outline_get(void *ctx, const char *key) {
  return store_outline_get(ctx, key);
}

/* The token prefilter (#17): records the TUs it finds nothing to analyse
 * in as skipped and leaves the others in `cmds`. A TU the parse would fail
 * (check_source) is left to fail there, and so is every TU when the store
 * cannot record the skipped ones. A shard decides over the whole database
 * (`whole`; `at`: where each of `cmds` is in it): a TU is parsed for what
 * other TUs make of its names (its free of a type another TU starts a
 * timer in), and those may be in another shard, whose merge would lack its
 * link facts. */
static void prefilter(Scan *s, FeCommandList *cmds, const FeCommandList *whole,
                      const int *at) {
  const FeCommandList *all = whole ? whole : cmds;
  PfCache cache = {outline_get, s->store};
  Pf *pf = pf_new(s->root, &cache);
  pf_seed_rules(pf, s->rules);
  /* The front end knows one API by name, whatever the families say: a
   * container of std::thread (frontend/cxx.c). */
  pf_seed_cxx(pf, "thread");
  StrList fns = {0};
  store_timer_functions(s->store, s->arena, &fns);
  for (int i = 0; i < fns.n; i++)
    pf_seed(pf, fns.v[i]);
  array_free(&fns);
  for (int i = 0; i < all->n; i++) {
    const FeCommand *c = &all->v[i];
    pf_add_tu(pf, c->file, c->directory, c->argv, c->argc, c->full_argv,
              s->o->strict);
  }
  pf_solve(pf);
  const char *const *keys, *const *texts;
  int nnew = at ? pf_new_outlines_of(pf, at, cmds->n, &keys, &texts)
                : pf_new_outlines(pf, &keys, &texts);
  char *err = NULL;
  double t0 = cli_now_ms();
  int rc = store_outlines_put(s->store, keys, texts, nnew, &err);
  if (s->stats)
    s->stats->outline_write_ms = cli_now_ms() - t0;
  if (rc < 0) {
    cli_warn("%s (the prefilter's cache; the scan goes on)", err);
    free(err);
    err = NULL;
  }
  Array(StoreTu) skip = {0};
  bool *drop = arena_alloc(s->arena, (size_t)(cmds->n + 1));
  for (int i = 0; i < cmds->n; i++) {
    const FeCommand *c = &cmds->v[i];
    const PfDep *pd;
    int nd;
    if (!pf_skip(pf, at ? at[i] : i, &pd, &nd) || check_source(c->file))
      continue;
    StoreDep *d = arena_alloc(s->arena, (size_t)(nd + 1) * sizeof *d);
    for (int k = 0; k < nd; k++)
      d[k] = (StoreDep){arena_strdup(s->arena, pd[k].path), pd[k].hash};
    StoreTu tu = {tu_path(s, c), cmd_key(s, c), "skipped", NULL, d, nd};
    array_push(&skip, tu);
    drop[i] = true;
  }
  t0 = cli_now_ms();
  rc = store_tus_skipped(s->store, s->run, skip.v, skip.n, &err);
  if (s->stats)
    s->stats->skip_write_ms = cli_now_ms() - t0;
  if (rc < 0) {
    cli_warn("%s; parsing every translation unit", err);
    free(err);
  } else {
    int keep = 0;
    for (int i = 0; i < cmds->n; i++)
      if (!drop[i])
        cmds->v[keep++] = cmds->v[i];
    cmds->n = keep;
    s->skipped = skip.n;
  }
  array_free(&skip);
  pf_free(pf);
}

/* One string of the command line, for the run row. */
static const char *joined_args(Scan *s) {
  StrBuf b = {0};
  for (int i = 1; i < s->o->argc; i++) {
    if (i > 1)
      sb_putc(&b, ' ');
    sb_puts(&b, s->o->argv[i]);
  }
  const char *r = arena_strdup(s->arena, b.s ? b.s : "");
  sb_free(&b);
  return r;
}

/* A worker analyses one TU in its own process: a crash or a hang inside
 * libclang costs that TU only. It commits through its own connection (WAL
 * and BEGIN IMMEDIATE serialise the writers) and tells the parent what
 * happened by its exit status. */
/* Distinct from 0/1/2 and from what a dying runtime exits with (a
 * sanitizer's report exits 1): anything else is a worker that died. */
enum { W_PARSED = 70, W_REUSED = 71, W_FAILED = 72, W_PARTIAL = 73 };

/* Lowering follows the expression tree, and so do libclang's visitors: a
 * 20,000-term `v+v+...`, which clang accepts, is 20,000 frames deep. The
 * analysis runs on a thread whose stack is reserved large (the pages are
 * only touched as deep as the code goes), so such a TU is analysed, not
 * lost to a stack overflow (#16 item 2). */
typedef struct {
  Scan *s;
  const FeCommand *c;
} DeepJob;

static void *deep_main(void *arg) {
  DeepJob *j = arg;
  analyse(j->s, j->c);
  return NULL;
}

static void analyse_deep(Scan *s, const FeCommand *c) {
  enum { DEEP_STACK = 1024 * 1024 * 1024 };
  pthread_attr_t at;
  pthread_t th;
  DeepJob j = {s, c};
  if (pthread_attr_init(&at) == 0 &&
      pthread_attr_setstacksize(&at, DEEP_STACK) == 0 &&
      pthread_create(&th, &at, deep_main, &j) == 0) {
    pthread_attr_destroy(&at);
    pthread_join(th, NULL);
    return;
  }
  analyse(s, c); /* no thread to be had: the ordinary stack */
}

/* --stats: the worker's times, one write of a few bytes (atomic in a
 * pipe), read by the parent when it reaps it. */
static void worker_report(Scan *s, double t0) {
  if (s->stats_fd < 0)
    return;
  CliWorkerTimes t = {cli_now_ms() - t0, s->commit_ms};
  ssize_t w = write(s->stats_fd, &t, sizeof t);
  (void)w; /* the parent falls back on what it saw itself */
}

static int worker(Scan *s, const FeCommand *c) {
  double t0 = cli_now_ms();
  /* Die with the parent: a scan killed with SIGKILL must not leave workers
   * committing behind its back. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)
    return W_FAILED; /* the parent is already gone */
  /* The counters are the parent's, copied at fork: start from zero. */
  s->parsed = s->reused = s->failed = s->partial = 0;
  s->commit_ms = 0;
  char *err = NULL;
  Store *mine = NULL;
  if (store_attach(s->db_path, &mine, &err) < 0) {
    cli_error("%s", err);
    return W_FAILED;
  }
  s->store = mine; /* the parent's connection must not cross the fork */
  analyse_deep(s, c);
  fflush(stdout);
  fflush(stderr);
  worker_report(s, t0);
  /* No cleanup: _exit leaves the parent's objects alone. */
  return s->failed    ? W_FAILED
         : s->reused  ? W_REUSED
         : s->partial ? W_PARTIAL
                      : W_PARSED;
}

typedef struct {
  pid_t pid;
  int cmd;
  double started;
  int fd; /* --stats: the read end of the worker's pipe, else -1 */
} Job;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Records a TU whose worker died, so the run says what happened to it. */
static void worker_died(Scan *s, const FeCommand *c, const char *why) {
  cli_error("%s: %s", c->file, why);
  StoreTu tu = {tu_path(s, c), cmd_key(s, c), "failed", why, NULL, 0};
  char *err = NULL;
  double t0 = s->stats ? cli_now_ms() : 0;
  if (store_tu_commit(s->store, s->run, &tu, NULL, NULL, &err) < 0) {
    cli_error("%s", err);
    free(err);
  }
  if (s->stats)
    s->stats->commit_ms += cli_now_ms() - t0;
  s->failed++;
}

/* --stats: one TU's line, from the worker's own account when it gave one
 * (a worker that crashed or was killed did not: the slot's time then). */
static void stat_tu(Scan *s, const FeCommandList *cmds, Job *job,
                    const struct rusage *ru, const char *outcome) {
  if (!s->stats)
    return;
  CliStatTu t = {cmds->v[job->cmd].file, 0, 0, ru ? ru->ru_maxrss : 0,
                 outcome};
  t.slot_ms = (now_s() - job->started) * 1e3;
  t.ms = t.slot_ms;
  CliWorkerTimes w;
  if (job->fd >= 0 && read(job->fd, &w, sizeof w) == (ssize_t)sizeof w) {
    t.ms = w.ms;
    s->stats->commit_ms += w.commit_ms;
  }
  array_push(&s->stats->tus, t);
}

static void job_close(Job *job) {
  if (job->fd >= 0)
    close(job->fd);
  job->fd = -1;
  job->pid = 0;
}

/* What the worker's exit says happened to its TU: NULL when it was
 * analysed. */
static const char *outcome_of(int status) {
  if (!WIFEXITED(status))
    return "crashed";
  int code = WEXITSTATUS(status);
  return code == W_PARSED || code == W_PARTIAL ? NULL
         : code == W_REUSED                    ? "reused"
         : code == W_FAILED                    ? "failed"
                                               : "crashed";
}

static void reap(Scan *s, const FeCommandList *cmds, Job *job, int status,
                 const struct rusage *ru) {
  const FeCommand *c = &cmds->v[job->cmd];
  stat_tu(s, cmds, job, ru, outcome_of(status));
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    if (code == W_PARSED)
      s->parsed++;
    else if (code == W_PARTIAL) {
      s->parsed++;
      s->partial++;
    }
    else if (code == W_REUSED)
      s->reused++;
    else if (code == W_FAILED)
      s->failed++;
    else {
      char why[96];
      snprintf(why, sizeof why, "analysis died (exit status %d); other "
               "translation units are unaffected", code);
      worker_died(s, c, why);
    }
  } else if (WIFSIGNALED(status)) {
    char why[128];
    snprintf(why, sizeof why, "analysis crashed (signal %d: %s); other "
             "translation units are unaffected", WTERMSIG(status),
             strsignal(WTERMSIG(status)));
    worker_died(s, c, why);
  }
  job_close(job);
}

static void progress(Scan *s, int done, int total, double t0, bool final) {
  if (s->o->quiet || total < 2)
    return;
  bool tty = isatty(2);
  static double last;
  double t = now_s() - t0;
  if (!final && !tty && t - last < 5)
    return; /* a plain line every five seconds in logs */
  last = t;
  double eta = done ? t / done * (total - done) : 0;
  int found = s->store ? store_count_findings(s->store, s->run) : 0;
  fprintf(stderr, "%s[%d/%d TUs] %d findings, %d failed, %.0fs elapsed, "
          "ETA %.0fs%s", tty ? "\r" : "", done, total, found, s->failed, t,
          eta, tty && !final ? "" : "\n");
}

/* --stats: a pipe per worker for its times (worker_report); none when it
 * cannot be had, and the slot's time stands in. */
static int stats_pipe(Scan *s, int *wr) {
  *wr = -1;
  int fd[2];
  if (!s->stats || pipe(fd) != 0)
    return -1;
  fcntl(fd[0], F_SETFD, FD_CLOEXEC);
  fcntl(fd[1], F_SETFD, FD_CLOEXEC);
  /* The reader must never block: a worker that died wrote nothing. */
  fcntl(fd[0], F_SETFL, O_NONBLOCK);
  *wr = fd[1];
  return fd[0];
}

/* In a new worker: only its own write end stays open. */
static void worker_fds(Scan *s, Job *slot, int jobs, int rd, int wr) {
  for (int j = 0; j < jobs; j++)
    if (slot[j].pid && slot[j].fd >= 0)
      close(slot[j].fd);
  if (rd >= 0)
    close(rd);
  s->stats_fd = wr;
}

static void run_parallel(Scan *s, const FeCommandList *cmds, int jobs) {
  Job *slot = xcalloc((size_t)jobs, sizeof *slot);
  for (int j = 0; j < jobs; j++)
    slot[j].fd = -1;
  int next = 0, running = 0, done = 0;
  double t0 = now_s();
  double limit = s->o->tu_timeout > 0 ? s->o->tu_timeout : 0;
  fflush(stdout);
  fflush(stderr);
  while (next < cmds->n || running) {
    for (int j = 0; j < jobs && next < cmds->n; j++) {
      if (slot[j].pid)
        continue;
      int wr, rd = stats_pipe(s, &wr);
      double started = now_s();
      pid_t pid = fork();
      if (pid == 0) {
        worker_fds(s, slot, jobs, rd, wr);
        _exit(worker(s, &cmds->v[next]));
      }
      if (wr >= 0)
        close(wr); /* the worker's alone: its exit ends the pipe */
      if (pid < 0) {
        if (rd >= 0)
          close(rd);
        worker_died(s, &cmds->v[next], "cannot start a worker process");
        next++;
        done++;
        continue;
      }
      slot[j] = (Job){pid, next++, started, rd};
      running++;
    }
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, WNOHANG, &ru);
    if (pid > 0) {
      for (int j = 0; j < jobs; j++)
        if (slot[j].pid == pid) {
          reap(s, cmds, &slot[j], status, &ru);
          running--;
          done++;
        }
      progress(s, done, cmds->n, t0, false);
      continue;
    }
    for (int j = 0; j < jobs && limit; j++)
      if (slot[j].pid && now_s() - slot[j].started > limit) {
        kill(slot[j].pid, SIGKILL);
        wait4(slot[j].pid, &status, 0, &ru);
        char why[96];
        snprintf(why, sizeof why, "analysis timed out after %.0fs "
                 "(--tu-timeout); other translation units are unaffected",
                 limit);
        stat_tu(s, cmds, &slot[j], &ru, "timed out");
        worker_died(s, &cmds->v[slot[j].cmd], why);
        job_close(&slot[j]);
        running--;
        done++;
      }
    struct timespec nap = {0, 2 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
  progress(s, done, cmds->n, t0, true);
  if (s->stats)
    s->stats->workers_ms = (now_s() - t0) * 1e3;
  xfree(slot);
}

static int finish(Scan *s, int ncmds, int64_t base_run) {
  FindingList all = {0}, base = {0}, inscope = {0}, scoped = {0}, shown = {0};
  FindingIndex base_ix = {0};
  store_load_findings(s->store, s->run, s->arena, &all);
  if (base_run >= 0) {
    store_load_findings(s->store, base_run, s->arena, &base);
    findings_by_fingerprint(&base, &base_ix);
  }
  findings_sort_unique(&all);
  /* In scope: in a changed function in pre-commit mode; scoped: also new
   * since the baseline. Suppressed ones stay in scope (SARIF and HTML mark
   * them); the text-like formats show them only on request. */
  int active = 0, suppressed = 0, fresh = 0; /* fresh: active and new */
  int gated = 0; /* what --fail-on counts: in its scope, at its level */
  ReportCtx rc = {s->root, TIMERLINT_VERSION, base_run >= 0 ? &base_ix : NULL,
                  cli_report_level, s->o, NULL, 0, s->failed > 0};
  /* The TUs that failed or parsed with errors, for CI's eyes too. */
  StoreTuProblems probs = {0};
  store_tu_problems(s->store, s->run, s->arena, &probs);
  ReportProblem *rp = arena_alloc(s->arena, (size_t)(probs.n + 1) * sizeof *rp);
  for (int i = 0; i < probs.n; i++)
    rp[i] = (ReportProblem){probs.v[i].path, probs.v[i].error, probs.v[i].failed};
  rc.problems = rp;
  rc.nproblems = probs.n;
  array_free(&probs);
  for (int i = 0; i < all.n; i++) {
    const Finding *f = &all.v[i];
    if (s->o->changed && !changed_covers(&s->changes, f))
      continue;
    if (!cli_check_on(cli_checks_for(s->o, f->loc.file), f->rule))
      continue; /* recorded, not reported: --checks selects the report */
    FailOn scope;
    Severity level;
    cli_gate_for(s->o, f->loc.file, &scope, &level);
    bool at_level = report_level(&rc, f) >= level;
    if (f->suppressed)
      suppressed++;
    else
      active++;
    gated += !f->suppressed && at_level && scope == FAIL_ON_ANY;
    array_push(&inscope, *f);
    if (base_run >= 0 && findings_lookup(&base_ix, f->fingerprint))
      continue;
    fresh += !f->suppressed;
    gated += !f->suppressed && at_level && scope == FAIL_ON_NEW;
    array_push(&scoped, *f);
    if (!f->suppressed || s->o->show_suppressed)
      array_push(&shown, *f);
  }
  const char *fmt = s->o->format ? s->o->format : "text";
  /* The HTML page is for people: in diff mode it keeps the baseline's
   * findings too, marks the new ones and shows only those at first. */
  FindingList *doc = !strcmp(fmt, "html")    ? &inscope
                     : !strcmp(fmt, "sarif") ? &scoped
                                             : &shown;
  if (!strcmp(fmt, "json"))
    report_json(s->out, doc, &rc);
  else if (!strcmp(fmt, "github"))
    report_github(s->out, doc, &rc);
  else if (!strcmp(fmt, "html")) {
    char *err = NULL;
    if (report_html(s->o->output, doc, &rc, &err) < 0) {
      cli_error("%s", err);
      free(err);
      s->failed++;
    }
  } else if (!strcmp(fmt, "sarif")) {
    int cut = report_sarif(s->out, doc, &rc);
    if (cut)
      cli_warn("SARIF cut to %d results to stay "
              "within GitHub code scanning's limits (%d results, %ld MB "
              "gzipped); %d more not written", doc->n - cut,
              SARIF_MAX_RESULTS, SARIF_MAX_GZIP_BYTES / 1000000, cut);
  } else
    report_text(s->out, doc, &rc);
  if (!s->o->quiet) {
    fprintf(stderr, "timerlint: %d translation unit%s: %d parsed%s, %d "
            "reused, %d failed%s; %d finding%s, %d suppressed", ncmds,
            ncmds == 1 ? "" : "s", s->parsed,
            s->partial ? arena_printf(s->arena, " (%d with parse errors)",
                                      s->partial)
                       : "",
            s->reused, s->failed,
            s->skipped ? arena_printf(s->arena, ", %d skipped by the "
                                      "prefilter", s->skipped)
                       : "",
            active, active == 1 ? "" : "s", suppressed);
    if (base_run >= 0)
      fprintf(stderr, "; %d new since run %lld", fresh, (long long)base_run);
    if (s->store && !s->o->no_db)
      fprintf(stderr, " (run %lld)", (long long)s->run);
    fputc('\n', stderr);
    StrBuf by_rule = {0};
    sb_puts(&by_rule, "");
    for (int i = 0; i < shown.n; i++) {
      bool seen = false;
      for (int j = 0; j < i && !seen; j++)
        seen = !strcmp(shown.v[j].rule, shown.v[i].rule);
      if (seen)
        continue;
      int n = 0;
      for (int j = i; j < shown.n; j++)
        n += !strcmp(shown.v[j].rule, shown.v[i].rule);
      sb_printf(&by_rule, "%s %d; ", shown.v[i].rule, n);
    }
    fprintf(stderr, "timerlint: %s%.1fs wall\n", by_rule.s, now_s() - s->t0);
    sb_free(&by_rule);
  }
  array_free(&all);
  array_free(&base);
  array_free(&base_ix);
  array_free(&inscope);
  array_free(&scoped);
  array_free(&shown);
  return s->failed ? EXIT_ERROR : gated ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* Pre-commit mode: the changed sources, and the TUs that include a changed
 * header (known from the store's dependencies). */
static int changed_files(Scan *s, Options *o) {
  char *err = NULL;
  if (changed_collect(s->arena, s->root, o->changed_ref, &s->changes, &err) < 0) {
    cli_error("%s", err);
    free(err);
    return -1;
  }
  StrList tus = {0};
  for (int i = 0; i < s->changes.n; i++) {
    const char *p = s->changes.v[i].path;
    if (changed_is_source(p))
      array_push(&tus, p);
    else if (changed_is_header(p) && s->store)
      store_tus_including(s->store, p, s->arena, &tus);
  }
  for (int i = 0; i < tus.n; i++) {
    bool dup = false;
    for (int j = 0; j < o->files.n && !dup; j++)
      dup = !strcmp(o->files.v[j], tus.v[i]);
    if (!dup)
      array_push(&o->files, tus.v[i]);
  }
  array_free(&tus);
  return 0;
}

/* The build database for `file` when none is named, found as clang tools
 * find theirs: beside it, then in each parent directory up to the
 * repository root, and in build/ and out/ at each level. NULL: none. */
/* --print-flags: each file's command, where it came from and why. */
static void print_flags(Scan *s, const FeCommandList *cmds) {
  int nalways;
  const char *const *always = fe_always_flags(&nalways);
  for (int i = 0; i < cmds->n; i++) {
    const FeCommand *c = &cmds->v[i];
    fprintf(s->out, "%s: %s\n", path_relative(c->file, s->root, s->arena),
            c->origin ? c->origin : "no flags");
    if (c->full_argv) {
      fprintf(s->out, "  directory: %s\n ", c->directory ? c->directory : ".");
      for (int k = 0; k < c->argc; k++)
        fprintf(s->out, " %s", c->argv[k]);
      fputc('\n', s->out);
    } else {
      for (int k = 0; k < c->argc; k++)
        fprintf(s->out, "  %-40s %s\n", c->argv[k],
                c->why && c->why[k] ? c->why[k] : "");
    }
    fprintf(s->out, "  always added:");
    for (int k = 0; k < nalways; k++)
      fprintf(s->out, " %s", always[k]);
    fputc('\n', s->out);
  }
}

static const char *find_cdb(Arena *a, const char *file, const char *root) {
  char *abs = realpath(file, NULL);
  if (!abs)
    return NULL;
  char *rroot = realpath(root, NULL);
  size_t rl = rroot ? strlen(rroot) : 0;
  bool under = rroot && !strncmp(abs, rroot, rl) && abs[rl] == '/';
  const char *found = NULL;
  for (char *sl = strrchr(abs, '/'); sl && !found; sl = strrchr(abs, '/')) {
    *sl = 0; /* abs is now a directory */
    static const char *const sub[] = {"", "/build", "/out"};
    for (int i = 0; i < 3 && !found; i++) {
      const char *d = arena_printf(a, "%s%s", *abs ? abs : "", sub[i]);
      const char *j = arena_printf(a, "%s/compile_commands.json", d);
      if (access(j, R_OK) == 0)
        found = *d ? d : "/";
    }
    if (under && strlen(abs) <= rl)
      break; /* the repository root was the last level */
  }
  free(abs);
  free(rroot);
  return found;
}

int cmd_scan(Options *o) {
  if (!o->cdb_dir && o->files.n == 0 && !o->changed)
    return cli_error("scan: no files given (name FILEs, or -p BUILD_DIR)");
  Scan s = {0};
  s.stats_fd = -1;
  CliScanStats stats = {0};
  if (o->stats && (o->dump_ir || o->print_flags))
    return cli_error("--stats measures a scan: not with %s",
                     o->dump_ir ? "--dump-ir" : "--print-flags");
  if (o->stats)
    s.stats = &stats;
  char tmpdir[] = "/tmp/timerlint-XXXXXX";
  bool tmp_db = false;
  s.out = stdout;
  /* An unwritable report path is found before the store is touched. */
  bool html = o->format && !strcmp(o->format, "html");
  if (html) {
    struct stat st;
    if (mkdir(o->output, 0777) != 0 && (stat(o->output, &st) != 0 ||
                                        !S_ISDIR(st.st_mode)))
      return cli_error("%s: cannot create the report directory: %s",
                       o->output, strerror(errno));
  } else if (o->output && !(s.out = fopen(o->output, "w"))) {
    return cli_error("%s: cannot write the report: %s", o->output,
                     strerror(errno));
  }
  s.o = o;
  s.t0 = now_s();
  s.arena = arena_new();
  s.real = realpaths_new();
  s.root = cli_root(s.arena);
  int rc = EXIT_ERROR;
  int64_t base_run = -1;
  FeCommandList cmds = {0};
  FeCommandList all_cmds = {0}; /* a shard's: every TU of the database */
  StrArray rule_dirs = {0}; /* the configs' rules:, each loaded once */
  o->configs = cli_configs_new(o, s.arena);
  if (!o->configs || cli_checks_valid(o->checks))
    goto out;
  s.rules = cli_load_rules(o);
  if (!s.rules || cli_config_rules(o->configs, s.rules, &rule_dirs, s.arena))
    goto out;
  if (!o->dump_ir && !o->print_flags) {
    char *err = NULL;
    /* --no-db still needs a place where workers put their findings. */
    if (o->no_db) {
      if (!mkdtemp(tmpdir)) {
        cli_error("cannot create a temporary directory: %s", strerror(errno));
        goto out;
      }
      tmp_db = true;
      s.db_path = arena_printf(s.arena, "%s/findings.db", tmpdir);
    } else {
      s.db_path = cli_db_path(o, s.root, s.arena);
    }
    if (store_open(s.db_path, &s.store, &err) < 0) {
      cli_error("%s", err);
      free(err);
      goto out;
    }
  }
  if (o->baseline && o->no_db) {
    cli_error("--baseline needs the store (drop --no-db)");
    goto out;
  }
  if (o->changed) {
    if (changed_files(&s, o) < 0)
      goto out;
    if (o->files.n == 0) {
      if (!o->quiet)
        fprintf(stderr, "timerlint: no changed C or C++ files\n");
      rc = EXIT_CLEAN;
      goto out;
    }
  }
  /* Named files and no -p, no `--`: the database of their tree, if any. */
  if (!o->cdb_dir && !o->flags_given && o->files.n > 0 && !o->dump_ir) {
    o->cdb_dir = find_cdb(s.arena, o->files.v[0], s.root);
    if (o->cdb_dir)
      fprintf(stderr, "timerlint: using %s/compile_commands.json (-p DIR "
              "for another, -- FLAGS for none)\n", o->cdb_dir);
  }
  if (o->cdb_dir) {
    int nbad = 0;
    if (cli_cdb_load(o->cdb_dir, o->files.v, o->files.n, s.arena, &cmds,
                     &nbad) < 0)
      s.failed++;
    s.failed += nbad;
  } else {
    for (int i = 0; i < o->files.n; i++) {
      FeCommand c = {o->files.v[i], NULL, NULL, 0, false, NULL, NULL};
      array_push(&cmds, c);
    }
  }
  /* Each TU's config: excluded or not, its families, its flags. */
  if (cli_tu_setup(o, s.rules, &rule_dirs, &cmds, s.root, s.arena))
    goto out;
  if (o->print_flags) {
    print_flags(&s, &cmds);
    rc = EXIT_CLEAN;
    goto out;
  }
  int *shard_at = NULL; /* a shard's TUs' places in all_cmds */
  if (o->shard_n > 1) {
    /* The same TU lands in the same shard on every machine: the key is its
     * path relative to the root, not where this checkout happens to be. */
    for (int i = 0; i < cmds.n; i++)
      array_push(&all_cmds, cmds.v[i]);
    shard_at = arena_alloc(s.arena, (size_t)(cmds.n + 1) * sizeof *shard_at);
    int keep = 0;
    for (int i = 0; i < cmds.n; i++) {
      char *real = realpaths_get(s.real, cmds.v[i].file);
      const char *rel = path_below(real ? real : cmds.v[i].file, s.root,
                                   s.arena);
      free(real);
      if ((int)(hash_str(HASH_SEED, rel) % (uint64_t)o->shard_n) ==
          o->shard_k - 1) {
        shard_at[keep] = i;
        cmds.v[keep++] = cmds.v[i];
      }
    }
    cmds.n = keep;
  }
  /* The baseline, before this run exists ("latest" is the last one), and
   * now that the TUs are known: a complete run that scanned each of them
   * (a pre-commit run of one file is no baseline of a whole scan). */
  if (o->baseline) {
    char *err = NULL;
    const char *commit = cli_git_rev_parse(s.arena, "--verify", o->baseline);
    const char **paths = arena_alloc(s.arena, (size_t)(cmds.n + 1) * sizeof *paths);
    for (int i = 0; i < cmds.n; i++)
      paths[i] = tu_path(&s, &cmds.v[i]);
    if (store_resolve_run(s.store, o->baseline, commit, paths, cmds.n, s.root,
                          false, &base_run, &err) < 0) {
      cli_error("--baseline %s", err);
      free(err);
      goto out;
    }
  }
  if (s.store) {
    uint64_t rh = rules_hash(s.rules);
    const char *scope = o->changed      ? "changed"
                        : o->shard_n > 1 ? arena_printf(s.arena, "shard %d/%d",
                                                        o->shard_k, o->shard_n)
                        : o->files.n    ? "files"
                                        : "database";
    StoreRunInfo info = {joined_args(&s), TIMERLINT_VERSION,
                         arena_printf(s.arena, "%016llx", (unsigned long long)rh),
                         cli_git_rev_parse(s.arena, "--verify", "HEAD"),
                         cli_git_rev_parse(s.arena, "--abbrev-ref", "HEAD"), s.root,
                         scope};
    s.run = store_run_begin(s.store, &info);
  }
  int ntus = cmds.n; /* the summary counts the skipped ones too */
  double pf0 = cli_now_ms();
  if (s.store && !o->dump_ir && !o->no_prefilter)
    prefilter(&s, &cmds, shard_at ? &all_cmds : NULL, shard_at);
  stats.prefilter_ms = cli_now_ms() - pf0;
  if (o->dump_ir) {
    s.fe = fe_new(s.rules);
    for (int i = 0; i < cmds.n; i++)
      analyse_deep(&s, &cmds.v[i]);
  } else {
    /* One index, made before forking: creating one re-initialises LLVM's
     * global state (libclang-notes), which cost each worker ~20 ms. */
    s.fe = fe_new(s.rules);
    /* The binary's hash too (every cmd_key has it), unless the prefilter
     * already made it: each worker read and hashed 2 MB of itself, ~3 ms
     * of CPU (perf stat over 40 empty TUs: 0.80 s, now 0.66 s). */
    self_hash();
    /* What the prefilter freed (its outlines, ~3 KB a TU) stays resident in
     * malloc's free lists, and each fork copies the page tables of all
     * resident memory and counts it in the worker's RSS: at 30,000 TUs
     * (bench/scale.py) the scan held 171 MB, 86 MB of it free, and its
     * largest worker measured 140 MB. Given back, 86 MB and 59 MB. */
    malloc_trim(0);
    int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    stats.jobs = jobs > 0 ? jobs : 1;
    run_parallel(&s, &cmds, stats.jobs);
  }
  /* The link phase says "no function in the scanned code stops it": only
   * a whole compile database (or --link) is enough code to say so. Named
   * files, a pre-commit scan or one shard see too little (shards link when
   * merged). */
  bool whole = (o->cdb_dir && o->files.n == 0) || o->link;
  stats.linked = s.store && whole && !o->dump_ir && !o->changed &&
                 o->shard_n <= 1;
  if (stats.linked && cli_link_phase(s.store, s.run, s.rules, s.root, s.arena,
                                     &stats.link) != EXIT_CLEAN)
    s.failed++;
  if (s.store)
    store_run_finish(s.store, s.run);
  rc = o->dump_ir ? (s.failed ? EXIT_ERROR : EXIT_CLEAN)
                  : finish(&s, ntus, base_run);
  if (s.stats) {
    stats.ntus = ntus;
    stats.parsed = s.parsed;
    stats.skipped = s.skipped;
    stats.failed = s.failed;
    stats.reused = s.reused;
    cli_scan_stats_print(stderr, &stats, s.root, s.arena);
  }
out:
  if (s.out && s.out != stdout && fclose(s.out) != 0) {
    cli_error("%s: cannot write the report: %s", o->output, strerror(errno));
    rc = EXIT_ERROR;
  }
  fe_free(s.fe);
  store_close(s.store);
  if (tmp_db) {
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++)
      unlink(arena_printf(s.arena, "%s%s", s.db_path, sfx[i]));
    rmdir(tmpdir);
  }
  rules_free(s.rules);
  cli_configs_free(o->configs);
  o->configs = NULL;
  array_free(&rule_dirs);
  array_free(&cmds);
  array_free(&all_cmds);
  array_free(&s.hashes);
  array_free(&s.changes);
  cli_scan_stats_free(&stats);
  realpaths_free(s.real);
  arena_free(s.arena);
  return rc;
}
