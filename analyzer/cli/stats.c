/* stats.c: the --stats block of scan and merge (stats.h). It prints what
 * the commands measured; it measures nothing itself but its own peak RSS,
 * and knows nothing of the store or the analysis. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* The slowest TUs listed: enough to see a tail, short enough to read. */
enum { SLOWEST_SHOWN = 10 };

double cli_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

long cli_self_maxrss_kb(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* Nearest rank (the smallest value with at least p% of them at or below
 * it): always one of the measured times, never an interpolation. */
double cli_percentile(const double *v, int n, double p) {
  if (n <= 0)
    return 0;
  double r = p / 100.0 * n;
  int k = (int)r;
  if (k < r)
    k++; /* ceil without libm */
  if (k < 1)
    k = 1;
  return v[(k > n ? n : k) - 1];
}

static const char *ms_text(Arena *a, double ms) {
  return ms < 10000 ? arena_printf(a, "%.1f ms", ms)
                    : arena_printf(a, "%.2f s", ms / 1000);
}

static const char *mb_text(Arena *a, long kb) {
  return arena_printf(a, "%.1f MB", kb / 1024.0);
}

static int dbl_cmp(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

static int slower_first(const void *pa, const void *pb) {
  const CliStatTu *a = *(const CliStatTu *const *)pa,
                  *b = *(const CliStatTu *const *)pb;
  if (a->ms != b->ms)
    return a->ms < b->ms ? 1 : -1;
  return strcmp(a->file, b->file); /* ties in a stable order */
}

static void print_percentiles(FILE *out, const CliScanStats *st, Arena *a) {
  double *v = xmalloc((size_t)(st->tus.n + 1) * sizeof *v);
  int n = 0;
  for (int i = 0; i < st->tus.n; i++)
    if (!st->tus.v[i].outcome)
      v[n++] = st->tus.v[i].ms;
  qsort(v, (size_t)n, sizeof *v, dbl_cmp);
  if (n)
    fprintf(out, "  per-TU wall   p50 %s, p90 %s, p99 %s, max %s (%d analysed)\n",
            ms_text(a, cli_percentile(v, n, 50)),
            ms_text(a, cli_percentile(v, n, 90)),
            ms_text(a, cli_percentile(v, n, 99)), ms_text(a, v[n - 1]), n);
  else
    fprintf(out, "  per-TU wall   no TU analysed\n");
  xfree(v);
}

/* Every TU a worker took, analysed or not: a TU that timed out is the
 * slowest one there is. */
static void print_slowest(FILE *out, const CliScanStats *st, const char *root,
                          Arena *a) {
  int n = st->tus.n;
  const CliStatTu **v = xmalloc((size_t)(n + 1) * sizeof *v);
  for (int i = 0; i < n; i++)
    v[i] = &st->tus.v[i];
  qsort(v, (size_t)n, sizeof *v, slower_first);
  for (int i = 0; i < n && i < SLOWEST_SHOWN; i++)
    fprintf(out, "  %-12s  %10s  %s%s%s%s\n", i ? "" : "slowest",
            ms_text(a, v[i]->ms), path_relative(v[i]->file, root, a),
            v[i]->outcome ? " (" : "", v[i]->outcome ? v[i]->outcome : "",
            v[i]->outcome ? ")" : "");
  xfree(v);
}

static void print_link(FILE *out, const CliLinkTimes *l, Arena *a) {
  fprintf(out, "  link phase    %s: read %s (%d facts, %d summaries), join %s, "
          "write %s (%d finding%s)\n",
          ms_text(a, l->load_ms + l->join_ms + l->write_ms),
          ms_text(a, l->load_ms), l->facts, l->sums, ms_text(a, l->join_ms),
          ms_text(a, l->write_ms), l->findings, l->findings == 1 ? "" : "s");
}

void cli_scan_stats_print(FILE *out, const CliScanStats *st, const char *root,
                          Arena *a) {
  fprintf(out, "timerlint stats:\n");
  fprintf(out, "  TUs           %d: %d parsed, %d skipped by the prefilter, "
          "%d failed, %d reused\n", st->ntus, st->parsed, st->skipped,
          st->failed, st->reused);
  print_percentiles(out, st, a);
  print_slowest(out, st, root, a);
  fprintf(out, "  prefilter     %s\n", ms_text(a, st->prefilter_ms));
  /* What a TU costs beyond its own work: fork, exit, reap, a free slot
   * waiting for the parent to notice. */
  double over = 0;
  int nover = 0;
  long peak = 0;
  const char *peak_file = NULL;
  for (int i = 0; i < st->tus.n; i++) {
    const CliStatTu *t = &st->tus.v[i];
    if (t->slot_ms > t->ms) {
      over += t->slot_ms - t->ms;
      nover++;
    }
    if (t->maxrss_kb > peak) {
      peak = t->maxrss_kb;
      peak_file = t->file;
    }
  }
  fprintf(out, "  workers       %s at -j%d", ms_text(a, st->workers_ms),
          st->jobs);
  if (nover)
    fprintf(out, "; %s a TU outside its worker's own time (fork, exit, reap)",
            ms_text(a, over / nover));
  fputc('\n', out);
  fprintf(out, "  store writes  %s: TU transactions %s (summed over workers), "
          "skipped TUs %s, outlines %s\n",
          ms_text(a, st->commit_ms + st->skip_write_ms + st->outline_write_ms),
          ms_text(a, st->commit_ms), ms_text(a, st->skip_write_ms),
          ms_text(a, st->outline_write_ms));
  if (st->linked)
    print_link(out, &st->link, a);
  fprintf(out, "  peak RSS      scan %s", mb_text(a, cli_self_maxrss_kb()));
  if (peak_file)
    fprintf(out, ", largest worker %s (%s)", mb_text(a, peak),
            path_relative(peak_file, root, a));
  fputc('\n', out);
}

void cli_scan_stats_free(CliScanStats *st) { array_free(&st->tus); }

void cli_merge_stats_print(FILE *out, const CliMergeStats *st) {
  Arena *a = arena_new();
  int64_t tus = 0, deps = 0, findings = 0, link = 0;
  const CliShardStat *slow = NULL;
  for (int i = 0; i < st->shards.n; i++) {
    const CliShardStat *s = &st->shards.v[i];
    tus += s->tus;
    deps += s->deps;
    findings += s->findings;
    link += s->link_rows;
    if (!slow || s->ms > slow->ms)
      slow = s;
  }
  fprintf(out, "timerlint stats:\n");
  fprintf(out, "  merge         %s: %d shard%s, %lld TUs, %lld dependencies, "
          "%lld findings, %lld link rows\n", ms_text(a, st->merge_ms),
          st->shards.n, st->shards.n == 1 ? "" : "s", (long long)tus,
          (long long)deps, (long long)findings, (long long)link);
  if (slow)
    fprintf(out, "  slowest shard %s  %s (%lld TUs)\n", ms_text(a, slow->ms),
            slow->path, (long long)slow->tus);
  if (st->linked)
    print_link(out, &st->link, a);
  fprintf(out, "  peak RSS      merge %s\n", mb_text(a, cli_self_maxrss_kb()));
  arena_free(a);
}

void cli_merge_stats_free(CliMergeStats *st) { array_free(&st->shards); }
