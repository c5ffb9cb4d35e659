/* store.h: the findings store (SQLite). Runs, translation units with the
 * files they depend on (the incremental cache key), findings with stable
 * fingerprints. One transaction per TU (BEGIN IMMEDIATE, WAL, busy timeout)
 * so a scan killed at any moment leaves a sound database, its finished TUs
 * kept and its run marked incomplete. Report writers read through here.
 * Knows nothing of libclang. */
#ifndef TL_STORE_H
#define TL_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "../engine/finding.h"

typedef Array(const char *) StrList;

typedef struct Store Store;

/* Opens (creating when missing) and migrates. A file that is not a timerlint
 * database is refused and left untouched: -1 and *err (malloc'd). */
int store_open(const char *path, Store **out, char **err);
/* For the commands that only read (runs, findings, diff, report): opened
 * read-only, so a database in a directory one may not write is still
 * read; never created, never migrated (an older schema is an error that
 * says how to upgrade it). */
int store_open_read(const char *path, Store **out, char **err);
void store_close(Store *s);
/* `timerlint db check`: PRAGMA integrity_check's problems on `out`; 0 ok,
 * 1 damaged, -1 (and *err) when it cannot be opened. */
int store_check_file(const char *path, FILE *out, char **err);
/* `timerlint db rebuild`: a new database with every row the damaged one
 * still gives, put in its place; the damaged file kept as PATH.damaged. */
int store_rebuild(const char *path, FILE *out, char **err);
/* A further connection to a database store_open already checked and
 * migrated (a worker's): no checks, no migration, just the connection. */
int store_attach(const char *path, Store **out, char **err);

typedef struct {
  const char *args, *tool_version, *rules_hash, *git_commit, *git_branch,
      *root;
  const char *scope; /* database, files, changed, shard K/N, merged */
} StoreRunInfo;

int64_t store_run_begin(Store *s, const StoreRunInfo *info);
void store_run_finish(Store *s, int64_t run);

/* A file a TU depends on, with the hash of its contents. */
typedef struct {
  const char *path;
  uint64_t hash;
} StoreDep;

typedef struct {
  const char *path;    /* main file, as scanned */
  const char *cmd_key; /* hash of flags, rules and tool version */
  const char *status;  /* "ok", "reused"; "error": parsed with errors and
                          analysed (never reused); "failed": not analysed,
                          or an error the user asked for (--strict);
                          "skipped": the prefilter found nothing to
                          analyse (never reused: decided again) */
  const char *error;   /* one line, or NULL */
  const StoreDep *deps;
  int ndeps;
} StoreTu;

/* Commits one TU, its findings and its link-phase facts (either may be
 * NULL) atomically. 0 or -1 (*err). */
int store_tu_commit(Store *s, int64_t run, const StoreTu *tu,
                    const FindingList *fl, const LinkData *link, char **err);

/* Every link-phase fact and summary of `run`'s TUs (strings in `a`);
 * returns how many TUs the run recorded, -1 on error. */
int store_link_load(Store *s, int64_t run, Arena *a, LinkData *out);

/* The TU the link phase's own findings are recorded under: not a file. */
#define STORE_LINK_TU "<link phase>"

/* The last good analysis of this TU with this key, if any: its row id and
 * its dependencies (in `arena`). */
int64_t store_tu_previous(Store *s, const char *path, const char *cmd_key,
                          Arena *arena, StoreDep **deps, int *ndeps);
/* Records `prev`'s findings again under `run` (status "reused"). */
int store_tu_reuse(Store *s, int64_t run, int64_t prev, const StoreTu *tu,
                   char **err);

/* "42", "latest", "latest~1", or a git commit (prefix) of a recorded run. */
/* The run `spec` names (an id, latest, latest~N, or a git ref resolved to
 * `git_commit`) that can be compared with a scan of `paths` (real paths;
 * none: any): a complete run, with a TU for each of them; of several, the
 * newest. An explicit id that is incomplete or scanned less is an error
 * that says so (with any_state, an explicit id may be incomplete: a run to
 * look at, not to compare), as is no such run (it lists the runs that
 * were there). */
int store_resolve_run(Store *s, const char *spec, const char *git_commit,
                      const char *const *paths, int npaths, const char *root,
                      bool any_state, int64_t *run, char **err);
/* Findings of a run, in file/line order, strings in `arena`. */
int store_load_findings(Store *s, int64_t run, Arena *arena, FindingList *out);
/* Every run, oldest first (strings in `a`; NULL where the store has none:
 * a run still going has no end, a scan outside git no commit). */
typedef struct {
  int64_t id;
  const char *started, *finished, *commit, *branch, *scope;
  bool complete;
  int tus, findings; /* findings: unsuppressed */
} StoreRun;
typedef Array(StoreRun) StoreRunList;
int store_load_runs(Store *s, Arena *a, StoreRunList *out);
void store_print_runs(Store *s, FILE *out);

/* The rows one shard's merge copied. */
typedef struct {
  int64_t tus, deps, findings, link_rows;
} StoreMergeRows;
/* Copies the latest run of the shard database at `path` (TUs, their
 * dependencies and findings) into `run` of `s`, in one transaction. Sets
 * *complete to whether that shard run had finished, and *rows (when not
 * NULL) to what it copied. */
int store_merge_shard(Store *s, int64_t run, const char *path, bool *complete,
                      StoreMergeRows *rows, char **err);
/* Main files of the TUs recorded as depending on `path` (a real path). */
int store_tus_including(Store *s, const char *path, Arena *a, StrList *out);

/* The TUs of `run` that failed (status "failed") or were analysed from a
 * partial AST ("error"), with what went wrong, in path order. */
typedef struct {
  const char *path, *error;
  bool failed;
} StoreTuProblem;
typedef Array(StoreTuProblem) StoreTuProblems;
int store_tu_problems(Store *s, int64_t run, Arena *a, StoreTuProblems *out);

/* The prefilter's cache (#17): the outline text kept under `key` (a
 * content hash and version), malloc'd, or NULL; and new ones, in one
 * transaction. */
char *store_outline_get(Store *s, const char *key);
int store_outlines_put(Store *s, const char *const *keys,
                       const char *const *texts, int n, char **err);
/* TUs the prefilter skipped (status "skipped": no findings, no facts,
 * their tokenised files as deps), in one transaction. */
int store_tus_skipped(Store *s, int64_t run, const StoreTu *tus, int n,
                      char **err);
/* Names of the functions earlier runs found making, starting or stopping
 * a timer or thread (their link facts and summaries), into `out`. */
int store_timer_functions(Store *s, Arena *a, StrList *out);

/* Unsuppressed findings recorded so far for `run` (progress lines). */
int store_count_findings(Store *s, int64_t run);

/* Marks `run` finished (complete) or leaves it incomplete. */
void store_run_end(Store *s, int64_t run, bool complete);


/* Fingerprint = hash(rule, path relative to root, function, handle, api,
 * occurrence index among equal keys): never the line, so unrelated edits,
 * reformatting and moving the function keep it. `fl` must be sorted
 * (fingerprint.c). */
void store_fingerprints(FindingList *fl, const char *root, Arena *a);

#endif
