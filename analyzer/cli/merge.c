/* merge.c: `timerlint merge OUT.db SHARD.db...`: the shards of a scan split
 * with --shard K/N, run anywhere (a CI matrix, Kubernetes indexed jobs,
 * Slurm arrays), become one run of OUT. The run is complete only when every
 * shard's run was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/store.h"
#include "cli.h"
#include "git.h"
#include "stats.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif

int cmd_merge(Options *o) {
  if (o->files.n < 2)
    return cli_error("merge: usage: timerlint merge OUT.db SHARD.db...");
  /* Every shard must be a timerlint database before OUT is touched. */
  for (int i = 1; i < o->files.n; i++) {
    Store *sh;
    char *err = NULL;
    if (store_open(o->files.v[i], &sh, &err) < 0) {
      cli_error("%s", err);
      free(err);
      return EXIT_ERROR;
    }
    store_close(sh);
  }
  Store *out;
  char *err = NULL;
  if (store_open(o->files.v[0], &out, &err) < 0) {
    cli_error("%s", err);
    free(err);
    return EXIT_ERROR;
  }
  StrBuf args = {0};
  sb_puts(&args, "merge");
  for (int i = 1; i < o->files.n; i++)
    sb_printf(&args, " %s", o->files.v[i]);
  StoreRunInfo info = {args.s, TIMERLINT_VERSION, NULL, NULL, NULL, NULL,
                       "merged"};
  int64_t run = store_run_begin(out, &info);
  bool all_complete = run >= 0;
  int rc = run >= 0 ? EXIT_CLEAN : EXIT_ERROR;
  CliMergeStats st = {0};
  double t0 = cli_now_ms();
  for (int i = 1; i < o->files.n && rc == EXIT_CLEAN; i++) {
    bool complete = false;
    StoreMergeRows rows = {0};
    double ts = cli_now_ms();
    if (store_merge_shard(out, run, o->files.v[i], &complete, &rows, &err) < 0) {
      cli_error("%s", err);
      free(err);
      rc = EXIT_ERROR;
    }
    CliShardStat sh = {o->files.v[i], cli_now_ms() - ts, rows.tus, rows.deps,
                       rows.findings, rows.link_rows};
    array_push(&st.shards, sh);
    all_complete &= complete;
  }
  st.merge_ms = cli_now_ms() - t0;
  if (rc == EXIT_CLEAN) {
    Arena *a = arena_new();
    Rules *rules = cli_load_rules(o);
    rc = rules ? cli_link_phase(out, run, rules, cli_root(a), a, &st.link)
               : EXIT_ERROR;
    st.linked = rules != NULL;
    rules_free(rules);
    arena_free(a);
  }
  if (run >= 0)
    store_run_end(out, run, rc == EXIT_CLEAN && all_complete);
  if (!o->quiet && rc == EXIT_CLEAN)
    fprintf(stderr, "timerlint: merged %d shard%s into run %lld of %s%s\n",
            o->files.n - 1, o->files.n == 2 ? "" : "s", (long long)run,
            o->files.v[0], all_complete ? "" : " (incomplete: a shard was)");
  if (o->stats)
    cli_merge_stats_print(stderr, &st);
  cli_merge_stats_free(&st);
  sb_free(&args);
  store_close(out);
  return rc;
}
