/* query.c: `timerlint runs`, `diff` and `findings`: read-only views of the
 * store. A run id that does not exist is an error (exit 2), the store is
 * never written. */
#include <fnmatch.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/report.h"
#include "../engine/checks.h"
#include "../store/store.h"
#include "cli.h"
#include "git.h"

#ifndef TIMERLINT_VERSION
#define TIMERLINT_VERSION "0.1.0"
#endif

static Store *open_store(Options *o, Arena *a) {
  const char *root = cli_root(a);
  const char *path = cli_db_path(o, root, a);
  if (!o->db) {
    FILE *f = fopen(path, "rb");
    if (!f) {
      cli_error("%s: no findings database yet (run timerlint scan)", path);
      return NULL;
    }
    fclose(f);
  }
  Store *s;
  char *err = NULL;
  if (store_open_read(path, &s, &err) < 0) {
    cli_error("%s", err);
    free(err);
    return NULL;
  }
  return s;
}

/* A run to compare (diff: complete only), or to look at (findings,
 * report: an id may name an incomplete one, whose findings are what it
 * recorded). */
static int resolve(Store *s, Arena *a, const char *spec, int64_t *run,
                   bool compare) {
  char *err = NULL;
  const char *commit = cli_git_rev_parse(a, "--verify", spec);
  if (store_resolve_run(s, spec, commit, NULL, 0, NULL, !compare, run,
                        &err) < 0) {
    cli_error("%s", err);
    free(err);
    return -1;
  }
  return 0;
}

/* runs, findings and diff write text (the default) or JSON. */
static bool format_ok(const Options *o, const char *cmd) {
  if (!o->format || !strcmp(o->format, "text") || !strcmp(o->format, "json"))
    return true;
  cli_error("%s takes --format text or json, not '%s'", cmd, o->format);
  return false;
}

static bool json_wanted(const Options *o) {
  return o->format && !strcmp(o->format, "json");
}

/* runs --format json: an array of runs, every key always there. */
static void runs_json(Store *s, Arena *a) {
  StoreRunList runs = {0};
  store_load_runs(s, a, &runs);
  json_object *arr = json_object_new_array();
  for (int i = 0; i < runs.n; i++) {
    const StoreRun *r = &runs.v[i];
    json_object *j = json_object_new_object();
    json_object_object_add(j, "id", json_object_new_int64(r->id));
    const char *keys[] = {"started", "finished", "commit", "branch", "scope"};
    const char *vals[] = {r->started, r->finished, r->commit, r->branch, r->scope};
    for (int k = 0; k < 5; k++)
      json_object_object_add(j, keys[k], vals[k] ? json_object_new_string(vals[k]) : NULL);
    json_object_object_add(j, "status", json_object_new_string(
                                            r->complete ? "complete" : "incomplete"));
    json_object_object_add(j, "tus", json_object_new_int(r->tus));
    json_object_object_add(j, "findings", json_object_new_int(r->findings));
    json_object_array_add(arr, j);
  }
  puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(arr);
  array_free(&runs);
}

int cmd_runs(Options *o) {
  if (!format_ok(o, "runs"))
    return EXIT_ERROR;
  Arena *a = arena_new();
  Store *s = open_store(o, a);
  if (s && json_wanted(o))
    runs_json(s, a);
  else if (s)
    store_print_runs(s, stdout);
  store_close(s);
  arena_free(a);
  return s ? EXIT_CLEAN : EXIT_ERROR;
}

int cmd_diff(Options *o) {
  if (o->files.n > 2)
    return cli_error("diff takes at most two runs (BASE HEAD)");
  if (!format_ok(o, "diff"))
    return EXIT_ERROR;
  Arena *a = arena_new();
  /* The configs say each rule's level (nothing else here). */
  Store *s = (o->configs = cli_configs_new(o, a)) ? open_store(o, a) : NULL;
  int rc = EXIT_ERROR;
  int64_t base, head;
  FindingList bl = {0}, hl = {0};
  if (!s)
    goto out;
  const char *bspec = o->files.n > 0 ? o->files.v[0] : "latest~1";
  const char *hspec = o->files.n > 1 ? o->files.v[1] : "latest";
  if (resolve(s, a, bspec, &base, true) < 0 ||
      resolve(s, a, hspec, &head, true) < 0)
    goto out;
  store_load_findings(s, base, a, &bl);
  store_load_findings(s, head, a, &hl);
  FindingList news = {0}, fixed = {0}, same = {0};
  FindingIndex bix = {0}, hix = {0};
  findings_by_fingerprint(&bl, &bix);
  findings_by_fingerprint(&hl, &hix);
  for (int i = 0; i < hl.n; i++)
    if (!hl.v[i].suppressed)
      array_push(findings_lookup(&bix, hl.v[i].fingerprint) ? &same : &news,
                 hl.v[i]);
  for (int i = 0; i < bl.n; i++)
    if (!bl.v[i].suppressed && !findings_lookup(&hix, bl.v[i].fingerprint))
      array_push(&fixed, bl.v[i]);
  array_free(&bix);
  array_free(&hix);
  ReportCtx cx = {.root = cli_root(a), .tool_version = TIMERLINT_VERSION,
                  .level = cli_report_level, .data = o};
  if (json_wanted(o)) {
    report_json_diff(stdout, base, head, &news, &fixed, &same, &cx);
  } else {
    printf("diff: run %lld -> run %lld\n", (long long)base, (long long)head);
    if (news.n)
      printf("new:\n");
    report_text(stdout, &news, &cx);
    if (fixed.n)
      printf("fixed:\n");
    report_text(stdout, &fixed, &cx);
    printf("%d new, %d fixed, %d unchanged\n", news.n, fixed.n, same.n);
  }
  rc = EXIT_CLEAN;
  array_free(&news);
  array_free(&fixed);
  array_free(&same);
out:
  array_free(&bl);
  array_free(&hl);
  store_close(s);
  cli_configs_free(o->configs);
  arena_free(a);
  return rc;
}

int cmd_findings(Options *o) {
  if (!format_ok(o, "findings"))
    return EXIT_ERROR;
  /* A rule id nothing has (a typo) would list nothing and pass. */
  if (o->rule && check_by_id(o->rule) < 0)
    return cli_error("--rule: unknown rule '%s' (timerlint rules lists them)",
                     o->rule);
  Arena *a = arena_new();
  Store *s = (o->configs = cli_configs_new(o, a)) ? open_store(o, a) : NULL;
  int rc = EXIT_ERROR;
  int64_t run;
  FindingList l = {0}, shown = {0};
  if (!s || resolve(s, a, o->run ? o->run : "latest", &run, false) < 0)
    goto out;
  store_load_findings(s, run, a, &l);
  const char *root = cli_root(a);
  for (int i = 0; i < l.n; i++) {
    const Finding *f = &l.v[i];
    /* --file matches the path as printed (root-relative), or as stored. */
    if ((f->suppressed && !o->show_suppressed) ||
        (o->rule && strcmp(o->rule, f->rule)) ||
        (o->file_glob && fnmatch(o->file_glob, f->loc.file, 0) != 0 &&
         fnmatch(o->file_glob, path_relative(f->loc.file, root, a), 0) != 0))
      continue;
    array_push(&shown, *f);
  }
  ReportCtx cx = {.root = cli_root(a), .tool_version = TIMERLINT_VERSION,
                  .level = cli_report_level, .data = o};
  if (json_wanted(o))
    report_json_list(stdout, &shown, &cx);
  else
    report_text(stdout, &shown, &cx);
  rc = EXIT_CLEAN;
out:
  array_free(&l);
  array_free(&shown);
  store_close(s);
  cli_configs_free(o->configs);
  arena_free(a);
  return rc;
}

/* `timerlint report --run R --output DIR`: the HTML report of a stored run. */
int cmd_report(Options *o) {
  if (!o->output)
    return cli_error("report: give --output DIR");
  Arena *a = arena_new();
  Store *s = open_store(o, a);
  int rc = EXIT_ERROR;
  int64_t run;
  FindingList l = {0};
  if (!s || resolve(s, a, o->run ? o->run : "latest", &run, false) < 0)
    goto out;
  store_load_findings(s, run, a, &l);
  findings_sort_unique(&l);
  ReportCtx cx = {.root = cli_root(a), .tool_version = TIMERLINT_VERSION};
  char *err = NULL;
  if (report_html(o->output, &l, &cx, &err) < 0) {
    cli_error("%s", err);
    free(err);
    goto out;
  }
  rc = EXIT_CLEAN;
out:
  array_free(&l);
  store_close(s);
  arena_free(a);
  return rc;
}

/* timerlint db check|rebuild: a store that says it is damaged, looked at
 * and mended without the checks that refuse it everywhere else. */
int cmd_db(Options *o) {
  if (o->files.n != 1 || (strcmp(o->files.v[0], "check") &&
                          strcmp(o->files.v[0], "rebuild")))
    return cli_error("db takes check or rebuild (timerlint db check [--db PATH])");
  Arena *a = arena_new();
  const char *path = cli_db_path(o, cli_root(a), a);
  char *err = NULL;
  int rc = !strcmp(o->files.v[0], "check") ? store_check_file(path, stdout, &err)
                                           : store_rebuild(path, stdout, &err);
  if (rc < 0) {
    cli_error("%s", err ? err : path);
    free(err);
  }
  arena_free(a);
  return rc == 0 ? EXIT_CLEAN : EXIT_ERROR;
}

