/* link_phase.c: the link phase of a run (design.md §5). After every TU of
 * the run is recorded, the facts they left in the store are joined
 * (eng_link) and the cross-TU findings are recorded under one pseudo TU,
 * with fingerprints and suppressions like any other. A pre-commit scan of
 * changed files, or one shard, sees too little code to say that nothing
 * stops a field: those link when merged, or not at all. */
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../store/store.h"
#include "cli.h"
#include "git.h"
#include "stats.h"
#include "suppress.h"

int cli_link_phase(Store *s, int64_t run, const Rules *rules, const char *root,
                   Arena *a, CliLinkTimes *times) {
  CliLinkTimes t = {0};
  double t0 = cli_now_ms();
  LinkData all = {0};
  int ntus = store_link_load(s, run, a, &all);
  t.load_ms = cli_now_ms() - t0;
  t.facts = all.facts.n;
  t.sums = all.sums.n;
  if (ntus < 0) {
    eng_link_data_free(&all);
    return cli_error("link phase: cannot read the run's facts");
  }
  FindingList fl = {0};
  EngTeardown td;
  td.names = rules_teardown_names(rules, &td.nnames);
  td.callbacks = rules_teardown_callbacks(rules, &td.ncallbacks);
  eng_link(&all, ntus, &td, a, &fl);
  StrList files = {0};
  for (int i = 0; i < fl.n; i++) {
    bool seen = false;
    for (int j = 0; j < files.n && !seen; j++)
      seen = !strcmp(files.v[j], fl.v[i].loc.file);
    if (!seen)
      array_push(&files, fl.v[i].loc.file);
  }
  findings_sort_unique(&fl);
  cli_suppressions(&fl, files.v, files.n, a);
  findings_sort_unique(&fl);
  store_fingerprints(&fl, root, a);
  t.join_ms = cli_now_ms() - t0 - t.load_ms;
  t.findings = fl.n;
  StoreTu tu = {STORE_LINK_TU, "link", "ok", NULL, NULL, 0};
  char *err = NULL;
  int rc = EXIT_CLEAN;
  if (store_tu_commit(s, run, &tu, &fl, NULL, &err) < 0) {
    rc = cli_error("%s", err);
    free(err);
  }
  t.write_ms = cli_now_ms() - t0 - t.load_ms - t.join_ms;
  if (times)
    *times = t;
  array_free(&files);
  array_free(&fl);
  eng_link_data_free(&all);
  return rc;
}
