/* stats.h: what `scan --stats` and `merge --stats` measure, and the block
 * they print on stderr (cli/stats.c). Times are CLOCK_MONOTONIC wall
 * times; memory is getrusage's ru_maxrss. Measuring decides nothing: a
 * scan runs and reports the same with or without it. */
#ifndef TL_CLI_STATS_H
#define TL_CLI_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/util.h"

/* A worker's own account, written to the parent's pipe just before it
 * exits (scan.c): the channel beside the exit status, which has 8 bits. */
typedef struct {
  double ms;        /* from the worker's start to its exit */
  double commit_ms; /* of that, in the store's transaction */
} CliWorkerTimes;

/* One TU a worker took. */
typedef struct {
  const char *file;    /* as the command names it */
  double ms;           /* the worker's own wall time; the slot's when the
                          worker said nothing (it crashed, it was killed) */
  double slot_ms;      /* fork to reap, as the parent saw it */
  long maxrss_kb;      /* the worker's peak (wait4), shared pages included */
  const char *outcome; /* NULL: analysed; else reused, failed, crashed,
                          timed out */
} CliStatTu;

/* The link phase's parts (cli_link_phase fills it when asked). */
typedef struct CliLinkTimes {
  double load_ms, join_ms, write_ms;
  int facts, sums, findings;
} CliLinkTimes;

typedef struct {
  Array(CliStatTu) tus;
  int ntus, parsed, skipped, failed, reused; /* the summary's counts */
  int jobs;
  double prefilter_ms;  /* its store writes included */
  double skip_write_ms; /* the skipped TUs' one transaction */
  double outline_write_ms;
  double commit_ms;  /* TU transactions: the workers' (summed) and the
                        parent's for workers that died */
  double workers_ms; /* from the first fork to the last reap */
  bool linked;
  CliLinkTimes link;
} CliScanStats;

/* One shard's merge. */
typedef struct {
  const char *path;
  double ms;
  int64_t tus, deps, findings, link_rows;
} CliShardStat;

typedef struct {
  Array(CliShardStat) shards;
  double merge_ms;
  bool linked;
  CliLinkTimes link;
} CliMergeStats;

double cli_now_ms(void);
/* Peak RSS of this process so far, in KB (Linux's ru_maxrss unit). */
long cli_self_maxrss_kb(void);
/* The nearest-rank percentile `p` (0 < p <= 100) of `v` sorted ascending. */
double cli_percentile(const double *v, int n, double p);
void cli_scan_stats_print(FILE *out, const CliScanStats *st, const char *root,
                          Arena *a);
void cli_scan_stats_free(CliScanStats *st);
void cli_merge_stats_print(FILE *out, const CliMergeStats *st);
void cli_merge_stats_free(CliMergeStats *st);

#endif
