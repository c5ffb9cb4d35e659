/* query.c: `timerlint runs`, `diff` and `findings`: read-only views of the
 * store. A run id that does not exist is an error (exit 2), the store is
 * never written. */
#include <fnmatch.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/report.h"
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

int cmd_runs(Options *o) {
  Arena *a = arena_new();
  Store *s = open_store(o, a);
  if (s)
    store_print_runs(s, stdout);
  store_close(s);
  arena_free(a);
  return s ? EXIT_CLEAN : EXIT_ERROR;
}

static json_object *finding_json(const Finding *f, const char *state) {
  json_object *j = json_object_new_object();
  json_object_object_add(j, "fingerprint",
                         json_object_new_string(f->fingerprint ? f->fingerprint : ""));
  json_object_object_add(j, "rule", json_object_new_string(f->rule));
  json_object_object_add(j, "file", json_object_new_string(f->loc.file));
  json_object_object_add(j, "line", json_object_new_int(f->loc.line));
  json_object_object_add(j, "column", json_object_new_int(f->loc.col));
  json_object_object_add(j, "function", json_object_new_string(f->function));
  json_object_object_add(j, "message", json_object_new_string(f->message));
  json_object_object_add(j, "suppressed", json_object_new_boolean(f->suppressed));
  if (state)
    json_object_object_add(j, "state", json_object_new_string(state));
  json_object *notes = json_object_new_array();
  for (int i = 0; i < f->nnotes; i++) {
    json_object *n = json_object_new_object();
    json_object_object_add(n, "file", json_object_new_string(f->notes[i].loc.file));
    json_object_object_add(n, "line", json_object_new_int(f->notes[i].loc.line));
    json_object_object_add(n, "column", json_object_new_int(f->notes[i].loc.col));
    json_object_object_add(n, "message", json_object_new_string(f->notes[i].text));
    json_object_array_add(notes, n);
  }
  json_object_object_add(j, "path", notes);
  return j;
}

int cmd_diff(Options *o) {
  if (o->files.n > 2)
    return cli_error("diff takes at most two runs (BASE HEAD)");
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
  if (o->format && !strcmp(o->format, "json")) {
    json_object *root = json_object_new_object();
    json_object_object_add(root, "base_run", json_object_new_int64(base));
    json_object_object_add(root, "head_run", json_object_new_int64(head));
    json_object *arr = json_object_new_array();
    const FindingList *ls[] = {&news, &fixed, &same};
    const char *st[] = {"new", "fixed", "unchanged"};
    for (int k = 0; k < 3; k++)
      for (int i = 0; i < ls[k]->n; i++)
        json_object_array_add(arr, finding_json(&ls[k]->v[i], st[k]));
    json_object_object_add(root, "findings", arr);
    json_object *sum = json_object_new_object();
    json_object_object_add(sum, "new", json_object_new_int(news.n));
    json_object_object_add(sum, "fixed", json_object_new_int(fixed.n));
    json_object_object_add(sum, "unchanged", json_object_new_int(same.n));
    json_object_object_add(root, "summary", sum);
    puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
  } else {
    ReportCtx cx = {cli_root(a), TIMERLINT_VERSION, NULL, cli_report_level, o};
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
  Arena *a = arena_new();
  Store *s = (o->configs = cli_configs_new(o, a)) ? open_store(o, a) : NULL;
  int rc = EXIT_ERROR;
  int64_t run;
  FindingList l = {0}, shown = {0};
  if (!s || resolve(s, a, o->run ? o->run : "latest", &run, false) < 0)
    goto out;
  store_load_findings(s, run, a, &l);
  for (int i = 0; i < l.n; i++) {
    const Finding *f = &l.v[i];
    if ((f->suppressed && !o->show_suppressed) ||
        (o->rule && strcmp(o->rule, f->rule)) ||
        (o->file_glob && fnmatch(o->file_glob, f->loc.file, 0) != 0))
      continue;
    array_push(&shown, *f);
  }
  ReportCtx cx = {cli_root(a), TIMERLINT_VERSION, NULL, cli_report_level, o};
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

