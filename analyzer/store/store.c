/* store.c: schema, migrations, runs and TUs. Prepared statements with bound
 * parameters only. */
#include "storeInt.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 'TLNT' in the SQLite header: tells our databases from any other. */
enum { APPLICATION_ID = 0x544c4e54, BUSY_MS = 5000 };

/* Forward migrations: migrations[i] takes user_version i to i + 1, in the
 * same transaction as the version bump. Never edit one that shipped; add. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, started TEXT NOT NULL,"
    " finished TEXT, complete INTEGER NOT NULL DEFAULT 0, args TEXT,"
    " tool_version TEXT, rules_hash TEXT, git_commit TEXT, root TEXT);"
    "CREATE TABLE tus(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL"
    " REFERENCES runs(id), path TEXT NOT NULL, cmd_key TEXT NOT NULL,"
    " status TEXT NOT NULL, error TEXT);"
    "CREATE TABLE tu_deps(tu_id INTEGER NOT NULL REFERENCES tus(id),"
    " path TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE findings(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,"
    " tu_id INTEGER NOT NULL, fingerprint TEXT, rule TEXT NOT NULL,"
    " file TEXT, line INTEGER, col INTEGER, function TEXT, message TEXT,"
    " handle TEXT, api TEXT, notes TEXT);"
    "CREATE INDEX tus_path ON tus(path, cmd_key);"
    "CREATE INDEX findings_run ON findings(run_id);"
    "CREATE INDEX tu_deps_tu ON tu_deps(tu_id);",
    /* 1 -> 2: suppressions, and the branch beside the commit. */
    "ALTER TABLE findings ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE findings ADD COLUMN suppress_reason TEXT;"
    "ALTER TABLE runs ADD COLUMN git_branch TEXT;",
    /* 2 -> 3: the enclosing function's lines, for pre-commit mode. */
    "ALTER TABLE findings ADD COLUMN fn_start INTEGER;"
    "ALTER TABLE findings ADD COLUMN fn_end INTEGER;",
    /* 3 -> 4: what each TU tells the link phase (store/link_rows.c). */
    "CREATE TABLE link_facts(tu_id INTEGER NOT NULL REFERENCES tus(id),"
    " " LINK_FACT_COLS_DECL ");"
    "CREATE TABLE link_sums(tu_id INTEGER NOT NULL REFERENCES tus(id),"
    " " LINK_SUM_COLS_DECL ");"
    "CREATE INDEX link_facts_tu ON link_facts(tu_id);"
    "CREATE INDEX link_sums_tu ON link_sums(tu_id);",
    /* 4 -> 5: hand-offs across files (LF_HANDS) and whose facts they are. */
    "ALTER TABLE link_facts ADD COLUMN param INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE link_facts ADD COLUMN fn_usr TEXT;",
    /* 5 -> 6: what a run scanned (database, files, changed, shard, merged). */
    "ALTER TABLE runs ADD COLUMN scope TEXT;",
    /* 6 -> 7: a repair, in C (repair_v4 below): schema 4 as first shipped
     * (7484315) made link_facts without `async` and `shared`, which the
     * 3 -> 4 text was later edited to add; a store made then lacks them. */
    "",
    /* 7 -> 8: when a fact holds (guard: its function's parameter values
     * that reach it) and what a hand-off gives the callee's other
     * parameters (consts): the teardown path's context (#19). */
    "ALTER TABLE link_facts ADD COLUMN guard TEXT;"
    "ALTER TABLE link_facts ADD COLUMN consts TEXT;",
    /* 8 -> 9: the prefilter's outlines of file contents (#17), by content
     * hash and outline version: a warm scan does not tokenise again. */
    "CREATE TABLE outlines(key TEXT PRIMARY KEY, text TEXT NOT NULL)"
    " WITHOUT ROWID;",
    /* 9 -> 10: a registration's user-data (eloop's third key part), which
     * a cancel must match as well as the handler and context. */
    "ALTER TABLE link_facts ADD COLUMN user_data TEXT;",
    /* 10 -> 11: lookups by TU and by run (#17 item 3). A reused TU's
     * findings, a shard's findings per TU at merge, a run's TUs and its
     * link rows each read the whole table, over every run the store
     * keeps: a warm scan or a merge cost TUs x findings. */
    "CREATE INDEX findings_tu ON findings(tu_id);"
    "CREATE INDEX tus_run ON tus(run_id);",
};
enum { SCHEMA_VERSION = sizeof migrations / sizeof *migrations };

/* A finding's columns after run_id and tu_id, in bind order: one list for
 * the insert, the reuse of a TU's findings and the merge of shards, so a new
 * column cannot reach one and miss the others. */
#define FINDING_COLS                                                           \
  "fingerprint, rule, file, line, col, function, message, handle, api,"       \
  " notes, suppressed, suppress_reason, fn_start, fn_end"

/* A TU's columns after run_id, in bind order (insert and shard merge). */
#define TU_COLS "path, cmd_key, status, error"


static char *msgf(const char *path, const char *what, const char *detail) {
  size_t n = strlen(path) + strlen(what) + strlen(detail) + 8;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s: %s%s", path, what, detail);
  return s;
}

static bool file_exists(const char *p, off_t *size) {
  struct stat st;
  if (stat(p, &st) != 0)
    return false;
  *size = st.st_size;
  return true;
}

static int64_t one_int(sqlite3 *db, const char *sql, int *rc) {
  sqlite3_stmt *st;
  int64_t v = 0;
  *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (*rc != SQLITE_OK)
    return 0;
  *rc = sqlite3_step(st);
  if (*rc == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
    *rc = SQLITE_OK;
  } else if (*rc == SQLITE_DONE) {
    *rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return v;
}

/* PRAGMA quick_check says "ok", or a row per problem: 0, or 1 with the
 * first problem in `first` (an error running it is a problem too). */
static int quick_check(sqlite3 *db, char *first, size_t n) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
    snprintf(first, n, "%s", sqlite3_errmsg(db));
    return 1;
  }
  int rc = sqlite3_step(st);
  const char *t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
  int bad = !t || strcmp(t, "ok");
  if (bad)
    snprintf(first, n, "%s", t ? t : sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return bad;
}

/* The last good check of a database, beside it (PATH.checked: its size and
 * modification time then): a file unchanged since is not read whole again
 * on every open. Best effort: a directory one cannot write checks every
 * time. */
static const char *stamp_of(const char *path, char *buf, size_t n) {
  struct stat st;
  if (stat(path, &st) != 0)
    return NULL;
  snprintf(buf, n, "%lld %lld.%09ld\n", (long long)st.st_size,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  return buf;
}

static bool checked_since(const char *path) {
  char want[96], have[96] = "", side[4096];
  if (!stamp_of(path, want, sizeof want))
    return false;
  snprintf(side, sizeof side, "%s.checked", path);
  FILE *f = fopen(side, "r");
  if (!f)
    return false;
  bool same = fgets(have, sizeof have, f) && !strcmp(have, want);
  fclose(f);
  return same;
}

static void mark_checked(const char *path) {
  char now[96], side[4096];
  if (!stamp_of(path, now, sizeof now))
    return;
  snprintf(side, sizeof side, "%s.checked", path);
  FILE *f = fopen(side, "w");
  if (f) {
    fputs(now, f);
    fclose(f);
  }
}

/* Reads the header fields without writing anything: a foreign or damaged
 * file must be left exactly as it was. */
static int check_ours(Store *s, bool fresh, char **err) {
  int rc;
  /* One read transaction for both reads: another process creating the
   * database may commit its first migration between two autocommit
   * reads, and application id 0 with tables would then read as foreign
   * (seen under ASan in the concurrent-writers test). */
  sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
  int64_t app = one_int(s->db, "PRAGMA application_id", &rc);
  int64_t tables = 0;
  if (rc == SQLITE_OK)
    tables = one_int(s->db, "SELECT count(*) FROM sqlite_schema", &rc);
  if (rc != SQLITE_OK) {
    /* A WAL file in a directory we may not write: not foreign, unwritable. */
    *err = (sqlite3_errcode(s->db) & 0xff) == SQLITE_READONLY
               ? msgf(s->path, "cannot write it or its directory (read-only); "
                      "runs, findings and diff still read it", "")
               : msgf(s->path, "not a timerlint database: ",
                      sqlite3_errmsg(s->db));
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
  }
  sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
  if (app != APPLICATION_ID && !(fresh || (app == 0 && tables == 0))) {
    *err = msgf(s->path, "not a timerlint database (another application's "
                "SQLite file)", "");
    return -1;
  }
  int64_t ver = one_int(s->db, "PRAGMA user_version", &rc);
  if (ver > SCHEMA_VERSION) {
    *err = msgf(s->path, "written by a newer timerlint (schema too new)", "");
    return -1;
  }
  if (!fresh && !checked_since(s->path)) {
    char first[256] = "";
    if (quick_check(s->db, first, sizeof first) != 0) {
      *err = msgf(s->path, "damaged database (", first);
      char *full = NULL;
      if (*err) {
        size_t n = strlen(*err) + 200;
        full = malloc(n);
        if (full)
          snprintf(full, n, "%s): `timerlint db check` shows the damage, "
                   "`timerlint db rebuild` keeps what can be read (or delete "
                   "it to start anew)", *err);
        free(*err);
      }
      *err = full;
      return -1;
    }
    mark_checked(s->path);
  }
  return 0;
}

/* Migration 6 -> 7: the link_facts columns a store made by the first
 * shipped schema 4 lacks, added where missing (SQLite has no ADD COLUMN IF
 * NOT EXISTS). */
static int repair_v4(Store *s) {
  static const char *const cols[][2] = {
      {"async", "ALTER TABLE link_facts ADD COLUMN async INTEGER NOT NULL DEFAULT 0"},
      {"shared", "ALTER TABLE link_facts ADD COLUMN shared INTEGER NOT NULL DEFAULT 0"}};
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
    char q[160];
    int rc;
    snprintf(q, sizeof q, "SELECT count(*) FROM pragma_table_info('link_facts')"
             " WHERE name = '%s'", cols[i][0]);
    int64_t have = one_int(s->db, q, &rc);
    if (rc != SQLITE_OK)
      return rc;
    if (!have && (rc = sqlite3_exec(s->db, cols[i][1], NULL, NULL, NULL)) != SQLITE_OK)
      return rc;
  }
  return SQLITE_OK;
}

static int migrate(Store *s, char **err) {
  for (;;) {
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
      goto fail;
    int rc;
    int64_t ver = one_int(s->db, "PRAGMA user_version", &rc);
    if (rc != SQLITE_OK)
      goto rollback;
    if (ver >= SCHEMA_VERSION) {
      sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
      return 0;
    }
    char bump[96];
    snprintf(bump, sizeof bump,
             "PRAGMA user_version = %lld; PRAGMA application_id = %d;",
             (long long)ver + 1, APPLICATION_ID);
    int mrc = ver == 6 ? repair_v4(s)
                       : sqlite3_exec(s->db, migrations[ver], NULL, NULL, NULL);
    if (mrc != SQLITE_OK ||
        sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
      goto rollback;
  }
rollback:
  *err = msgf(s->path, "cannot migrate the schema: ", sqlite3_errmsg(s->db));
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  return -1;
fail:
  *err = msgf(s->path, "cannot write: ", sqlite3_errmsg(s->db));
  return -1;
}

/* Switching to WAL needs an exclusive lock, and SQLite does not call the
 * busy handler for it: when workers open a fresh database together, retry
 * for as long as the busy timeout would have waited. */
static int set_wal(Store *s) {
  sqlite3_stmt *st;
  bool wal = false;
  if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) ==
      SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW)
      wal = !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
  }
  int rc = SQLITE_OK;
  for (int tries = 0; !wal && tries < BUSY_MS / 5; tries++) {
    rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      break;
    struct timespec nap = {0, 5 * 1000 * 1000};
    nanosleep(&nap, NULL);
  }
  return rc;
}

int store_open(const char *path, Store **out, char **err) {
  *out = NULL;
  *err = NULL;
  off_t size = 0;
  bool exists = file_exists(path, &size);
  Store *s = xcalloc(1, sizeof *s);
  s->path = xstrdup(path);
  int flags = SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    *err = msgf(path, "cannot open database: ",
                s->db ? sqlite3_errmsg(s->db) : strerror(errno));
    store_close(s);
    return -1;
  }
  sqlite3_busy_timeout(s->db, BUSY_MS);
  if (check_ours(s, !exists || size == 0, err) < 0) {
    store_close(s);
    return -1;
  }
  if (set_wal(s) != SQLITE_OK ||
      sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                   NULL, NULL, NULL) != SQLITE_OK ||
      migrate(s, err) < 0) {
    if (!*err)
      *err = msgf(path, "cannot set up database: ", sqlite3_errmsg(s->db));
    store_close(s);
    return -1;
  }
  *out = s;
  return 0;
}

/* file:PATH?immutable=1, PATH escaped for a URI. */
static char *immutable_uri(const char *path) {
  size_t n = strlen(path);
  char *u = xmalloc(3 * n + 32), *o = u;
  o += sprintf(o, "file:");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++)
    if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20)
      o += sprintf(o, "%%%02X", *p);
    else
      *o++ = (char)*p;
  strcpy(o, "?immutable=1");
  return u;
}

int store_open_read(const char *path, Store **out, char **err) {
  *out = NULL;
  *err = NULL;
  Store *s = xcalloc(1, sizeof *s);
  s->path = xstrdup(path);
  off_t size;
  if (!file_exists(path, &size)) {
    *err = msgf(path, "cannot open database: ", strerror(ENOENT));
    store_close(s);
    return -1;
  }
  /* A WAL database in a directory this user cannot write has no -shm to
   * share and cannot make one: then it is read as immutable (nobody who
   * could write it is writing it here, or the -wal would be there). */
  for (int attempt = 0; attempt < 2; attempt++) {
    char *uri = attempt ? immutable_uri(path) : NULL;
    int rc = sqlite3_open_v2(uri ? uri : path, &s->db,
                             SQLITE_OPEN_READONLY | (uri ? SQLITE_OPEN_URI : 0),
                             NULL);
    xfree(uri);
    if (rc != SQLITE_OK) {
      *err = msgf(path, "cannot open database: ",
                  s->db ? sqlite3_errmsg(s->db) : strerror(errno));
      store_close(s);
      return -1;
    }
    sqlite3_busy_timeout(s->db, BUSY_MS);
    int64_t probe = one_int(s->db, "SELECT count(*) FROM sqlite_schema", &rc);
    (void)probe;
    if (rc == SQLITE_OK || attempt ||
        (sqlite3_errcode(s->db) & 0xff) != SQLITE_READONLY)
      break;
    sqlite3_close(s->db);
    s->db = NULL;
  }
  if (check_ours(s, false, err) < 0) {
    store_close(s);
    return -1;
  }
  int rc;
  int64_t ver = one_int(s->db, "PRAGMA user_version", &rc);
  if (rc == SQLITE_OK && ver < SCHEMA_VERSION) {
    char why[160];
    snprintf(why, sizeof why, "written by an older timerlint (schema %lld, "
             "this one reads %d): a scan with write access upgrades it",
             (long long)ver, SCHEMA_VERSION);
    *err = msgf(path, why, "");
    store_close(s);
    return -1;
  }
  *out = s;
  return 0;
}

int store_attach(const char *path, Store **out, char **err) {
  Store *s = xcalloc(1, sizeof *s);
  s->path = xstrdup(path);
  *out = NULL;
  if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    *err = msgf(path, "cannot open database: ",
                s->db ? sqlite3_errmsg(s->db) : "out of memory");
    store_close(s);
    return -1;
  }
  sqlite3_busy_timeout(s->db, BUSY_MS);
  sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
  *out = s;
  return 0;
}

void store_close(Store *s) {
  if (!s)
    return;
  sqlite3_close(s->db);
  xfree(s->path);
  xfree(s);
}

static void now_iso(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The first failure of a write is kept as SQLite said it: the ROLLBACK and
 * finalize after it reset what sqlite3_errmsg() says ("not an error"). */
static void keep_error(Store *s) {
  if (!s->err[0])
    snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
}

sqlite3_stmt *prep(Store *s, const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    keep_error(s);
    return NULL;
  }
  return st;
}

int store_step(Store *s, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    keep_error(s);
  return rc;
}

void bind_text(sqlite3_stmt *st, int i, const char *v) {
  if (v)
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

int64_t store_run_begin(Store *s, const StoreRunInfo *in) {
  char now[32];
  now_iso(now, sizeof now);
  sqlite3_stmt *st = prep(s, "INSERT INTO runs(started, args, tool_version,"
                             " rules_hash, git_commit, git_branch, root, scope)"
                             " VALUES(?,?,?,?,?,?,?,?)");
  if (!st)
    return -1;
  bind_text(st, 1, now);
  bind_text(st, 2, in->args);
  bind_text(st, 3, in->tool_version);
  bind_text(st, 4, in->rules_hash);
  bind_text(st, 5, in->git_commit);
  bind_text(st, 6, in->git_branch);
  bind_text(st, 7, in->root);
  bind_text(st, 8, in->scope);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db) : -1;
}

void store_run_end(Store *s, int64_t run, bool complete) {
  char now[32];
  now_iso(now, sizeof now);
  sqlite3_stmt *st =
      prep(s, "UPDATE runs SET finished = ?, complete = ? WHERE id = ?");
  if (!st)
    return;
  bind_text(st, 1, now);
  sqlite3_bind_int(st, 2, complete);
  sqlite3_bind_int64(st, 3, run);
  sqlite3_step(st);
  sqlite3_finalize(st);
}

void store_run_finish(Store *s, int64_t run) { store_run_end(s, run, true); }

static int merge_fail(Store *s, const char *path, char **err) {
  *err = msgf(path, "cannot merge: ", sqlite3_errmsg(s->db));
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec(s->db, "DETACH DATABASE shard", NULL, NULL, NULL);
  return -1;
}

int store_merge_shard(Store *s, int64_t run, const char *path, bool *complete,
                      StoreMergeRows *rows, char **err) {
  StoreMergeRows got = {0};
  sqlite3_stmt *st = prep(s, "ATTACH DATABASE ? AS shard");
  if (!st)
    return merge_fail(s, path, err);
  bind_text(st, 1, path);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return merge_fail(s, path, err);
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return merge_fail(s, path, err);
  int64_t src = -1;
  st = prep(s, "SELECT id, complete FROM shard.runs ORDER BY id DESC LIMIT 1");
  if (st && sqlite3_step(st) == SQLITE_ROW) {
    src = sqlite3_column_int64(st, 0);
    *complete = sqlite3_column_int(st, 1) != 0;
  }
  sqlite3_finalize(st);
  if (src < 0) {
    *err = msgf(path, "no run to merge", "");
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(s->db, "DETACH DATABASE shard", NULL, NULL, NULL);
    return -1;
  }
  sqlite3_stmt *tus = prep(s, "SELECT id FROM shard.tus WHERE run_id = ?"
                              " ORDER BY id");
  sqlite3_stmt *ins = prep(s, "INSERT INTO tus(run_id, " TU_COLS ") SELECT ?, "
                              TU_COLS " FROM shard.tus WHERE id = ?");
  sqlite3_stmt *deps = prep(s, "INSERT INTO tu_deps(tu_id, path, hash) SELECT"
                               " ?, path, hash FROM shard.tu_deps WHERE tu_id = ?");
  sqlite3_stmt *fnd = prep(
      s, "INSERT INTO findings(run_id, tu_id, " FINDING_COLS ") SELECT ?, ?, "
         FINDING_COLS " FROM shard.findings WHERE tu_id = ?");
  bool ok = tus && ins && deps && fnd;
  if (ok)
    sqlite3_bind_int64(tus, 1, src);
  while (ok && sqlite3_step(tus) == SQLITE_ROW) {
    int64_t old = sqlite3_column_int64(tus, 0);
    sqlite3_bind_int64(ins, 1, run);
    sqlite3_bind_int64(ins, 2, old);
    ok = sqlite3_step(ins) == SQLITE_DONE;
    sqlite3_reset(ins);
    got.tus += ok;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    sqlite3_bind_int64(deps, 1, id);
    sqlite3_bind_int64(deps, 2, old);
    ok = ok && sqlite3_step(deps) == SQLITE_DONE;
    got.deps += ok ? sqlite3_changes(s->db) : 0;
    sqlite3_reset(deps);
    sqlite3_bind_int64(fnd, 1, run);
    sqlite3_bind_int64(fnd, 2, id);
    sqlite3_bind_int64(fnd, 3, old);
    ok = ok && sqlite3_step(fnd) == SQLITE_DONE;
    got.findings += ok ? sqlite3_changes(s->db) : 0;
    sqlite3_reset(fnd);
    int nlink = ok ? store_link_copy(s, id, old, "shard") : -1;
    ok = nlink >= 0;
    got.link_rows += ok ? nlink : 0;
  }
  sqlite3_finalize(tus);
  sqlite3_finalize(ins);
  sqlite3_finalize(deps);
  sqlite3_finalize(fnd);
  if (!ok || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return merge_fail(s, path, err);
  sqlite3_exec(s->db, "DETACH DATABASE shard", NULL, NULL, NULL);
  if (rows)
    *rows = got;
  return 0;
}

static int64_t insert_tu(Store *s, int64_t run, const StoreTu *tu) {
  sqlite3_stmt *st = prep(s, "INSERT INTO tus(run_id, " TU_COLS ")"
                             " VALUES(?,?,?,?,?)");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  bind_text(st, 2, tu->path);
  bind_text(st, 3, tu->cmd_key);
  bind_text(st, 4, tu->status);
  bind_text(st, 5, tu->error);
  int rc = store_step(s, st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return -1;
  int64_t id = sqlite3_last_insert_rowid(s->db);
  st = prep(s, "INSERT INTO tu_deps(tu_id, path, hash) VALUES(?,?,?)");
  if (!st)
    return -1;
  for (int i = 0; i < tu->ndeps; i++) {
    char h[24];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)tu->deps[i].hash);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, tu->deps[i].path);
    bind_text(st, 3, h);
    if (store_step(s, st) != SQLITE_DONE) {
      sqlite3_finalize(st);
      return -1;
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return id;
}

/* Notes travel as one text column: "file\tline\tcol\ttext\n" per step. */
static char *notes_text(const Finding *f) {
  StrBuf b = {0};
  sb_puts(&b, "");
  for (int i = 0; i < f->nnotes; i++)
    sb_printf(&b, "%s\t%d\t%d\t%s\n",
              f->notes[i].loc.file ? f->notes[i].loc.file : "",
              f->notes[i].loc.line, f->notes[i].loc.col, f->notes[i].text);
  return b.s;
}

static int insert_findings(Store *s, int64_t run, int64_t tu,
                           const FindingList *fl) {
  sqlite3_stmt *st = prep(
      s, "INSERT INTO findings(run_id, tu_id, " FINDING_COLS ")"
         " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!st)
    return -1;
  for (int i = 0; i < fl->n; i++) {
    const Finding *f = &fl->v[i];
    char *notes = notes_text(f);
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, tu);
    bind_text(st, 3, f->fingerprint);
    bind_text(st, 4, f->rule);
    bind_text(st, 5, f->loc.file);
    sqlite3_bind_int(st, 6, f->loc.line);
    sqlite3_bind_int(st, 7, f->loc.col);
    bind_text(st, 8, f->function);
    bind_text(st, 9, f->message);
    bind_text(st, 10, f->handle);
    bind_text(st, 11, f->api);
    bind_text(st, 12, notes);
    sqlite3_bind_int(st, 13, f->suppressed);
    bind_text(st, 14, f->suppress_reason);
    sqlite3_bind_int(st, 15, f->fn_start);
    sqlite3_bind_int(st, 16, f->fn_end);
    int rc = store_step(s, st);
    xfree(notes);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
      sqlite3_finalize(st);
      return -1;
    }
  }
  sqlite3_finalize(st);
  return 0;
}

static int tx_fail(Store *s, char **err) {
  keep_error(s); /* a failed BEGIN or COMMIT: its own message */
  *err = msgf(s->path, "cannot record the translation unit: ", s->err);
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  s->err[0] = 0;
  return -1;
}

int store_tu_commit(Store *s, int64_t run, const StoreTu *tu,
                    const FindingList *fl, const LinkData *link, char **err) {
  s->err[0] = 0;
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  int64_t id = insert_tu(s, run, tu);
  if (id < 0 || (fl && insert_findings(s, run, id, fl) < 0) ||
      (link && store_link_insert(s, id, link) < 0) ||
      sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  return 0;
}

int64_t store_tu_previous(Store *s, const char *path, const char *cmd_key,
                          Arena *arena, StoreDep **deps, int *ndeps) {
  *deps = NULL;
  *ndeps = 0;
  sqlite3_stmt *st = prep(s, "SELECT id FROM tus WHERE path = ? AND cmd_key = ?"
                             " AND status IN ('ok','reused')"
                             " ORDER BY id DESC LIMIT 1");
  if (!st)
    return -1;
  bind_text(st, 1, path);
  bind_text(st, 2, cmd_key);
  int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  if (id < 0)
    return -1;
  st = prep(s, "SELECT path, hash FROM tu_deps WHERE tu_id = ?");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, id);
  Array(StoreDep) a = {0};
  while (sqlite3_step(st) == SQLITE_ROW) {
    StoreDep d;
    d.path = arena_strdup(arena, (const char *)sqlite3_column_text(st, 0));
    d.hash = strtoull((const char *)sqlite3_column_text(st, 1), NULL, 16);
    array_push(&a, d);
  }
  sqlite3_finalize(st);
  if (a.n) {
    *deps = arena_alloc(arena, (size_t)a.n * sizeof **deps);
    memcpy(*deps, a.v, (size_t)a.n * sizeof **deps);
  }
  *ndeps = a.n;
  array_free(&a);
  return id;
}

int store_tu_reuse(Store *s, int64_t run, int64_t prev, const StoreTu *tu,
                   char **err) {
  s->err[0] = 0;
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  int64_t id = insert_tu(s, run, tu);
  sqlite3_stmt *st = id < 0 ? NULL : prep(
      s, "INSERT INTO findings(run_id, tu_id, " FINDING_COLS ") SELECT ?, ?, "
         FINDING_COLS " FROM findings WHERE tu_id = ?");
  if (!st)
    return tx_fail(s, err);
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_int64(st, 2, id);
  sqlite3_bind_int64(st, 3, prev);
  int rc = store_step(s, st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE || store_link_copy(s, id, prev, "main") < 0 ||
      sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  return 0;
}

/* The first of `paths` (its position) that run `run` has no TU for, or -1
 * when it has them all. */
static int first_unscanned(Store *s, int64_t run, const char *const *paths,
                           int npaths) {
  sqlite3_stmt *st =
      prep(s, "SELECT 1 FROM tus WHERE run_id = ? AND path = ? LIMIT 1");
  if (!st)
    return -1;
  int missing = -1;
  for (int i = 0; i < npaths && missing < 0; i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run);
    bind_text(st, 2, paths[i]);
    if (sqlite3_step(st) != SQLITE_ROW)
      missing = i;
  }
  sqlite3_finalize(st);
  return missing;
}

static const char *shown(const char *path, const char *root) {
  size_t rl = root ? strlen(root) : 0;
  return rl && !strncmp(path, root, rl) && path[rl] == '/' ? path + rl + 1
                                                           : path;
}

int store_resolve_run(Store *s, const char *spec, const char *git_commit,
                      const char *const *paths, int npaths, const char *root,
                      bool any_state, int64_t *run, char **err) {
  *run = -1;
  char *end;
  long long v = strtoll(spec, &end, 10);
  bool numeric = *spec && !*end;
  long long back = 0;
  if (numeric && git_commit) {
    /* Digits that git also reads as a commit (a tag, a hash prefix of
     * digits only) are a run id only if such a run exists. */
    sqlite3_stmt *q = prep(s, "SELECT 1 FROM runs WHERE id = ?");
    if (q) {
      sqlite3_bind_int64(q, 1, v);
      numeric = sqlite3_step(q) == SQLITE_ROW;
      sqlite3_finalize(q);
    }
  }
  bool latest = !numeric && !strncmp(spec, "latest", 6) &&
                (spec[6] == 0 || spec[6] == '~');
  if (latest && spec[6]) {
    back = strtoll(spec + 7, &end, 10);
    if (*end || back < 0) {
      *err = msgf(spec, "not a run: use an id, latest, latest~N or a git ref",
                  "");
      return -1;
    }
  }
  if (!numeric && !latest && !git_commit) {
    *err = msgf(spec, "no such run in ", s->path);
    return -1;
  }
  /* Newest first: the runs of that id, or at that commit, or any. */
  sqlite3_stmt *st = prep(s, numeric ? "SELECT id, complete FROM runs WHERE id = ?"
                           : latest ? "SELECT id, complete FROM runs ORDER BY id DESC"
                                    : "SELECT id, complete FROM runs WHERE"
                                      " git_commit = ? ORDER BY id DESC");
  if (!st) {
    *err = msgf(s->path, "cannot read the runs: ", sqlite3_errmsg(s->db));
    return -1;
  }
  if (numeric)
    sqlite3_bind_int64(st, 1, v);
  else if (!latest)
    bind_text(st, 1, git_commit);
  StrBuf seen = {0};
  sb_puts(&seen, "");
  int nseen = 0;
  char why[512] = "";
  while (*run < 0 && sqlite3_step(st) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    bool complete = sqlite3_column_int(st, 1) || (any_state && numeric);
    int miss = complete ? first_unscanned(s, id, paths, npaths) : -1;
    if (complete && miss < 0) {
      if (back-- == 0)
        *run = id;
      continue;
    }
    if (numeric && !complete)
      snprintf(why, sizeof why, "run %lld is incomplete (it stopped before it "
               "finished): it cannot be compared with", (long long)id);
    else if (numeric)
      snprintf(why, sizeof why, "run %lld did not scan %s (and maybe more of "
               "this scan's %d files): it cannot be this scan's baseline",
               (long long)id, shown(paths[miss], root), npaths);
    if (nseen++ < 4)
      sb_printf(&seen, "%srun %lld %s", nseen > 1 ? ", " : "", (long long)id,
                complete ? "scanned other files" : "incomplete");
  }
  sqlite3_finalize(st);
  if (*run < 0) {
    if (*why)
      *err = strdup(why);
    else if (numeric)
      *err = msgf(spec, "no such run in ", s->path);
    else
      *err = msgf(spec, nseen ? "no complete run that scanned every file of "
                                "this one; there: "
                              : "no such run in ",
                  nseen ? seen.s : s->path);
    sb_free(&seen);
    return -1;
  }
  sb_free(&seen);
  return 0;
}

static const char *col_text(Arena *a, sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return arena_strdup(a, t ? (const char *)t : "");
}

static void parse_notes(Arena *a, const char *text, Finding *f) {
  int n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  f->notes = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(Note));
  f->nnotes = 0;
  const char *p = text;
  while (*p && f->nnotes < n) {
    const char *t1 = strchr(p, '\t');
    const char *nl = strchr(p, '\n');
    if (!t1 || !nl || t1 > nl)
      break;
    Note *no = &f->notes[f->nnotes++];
    no->loc.file = arena_strndup(a, p, (size_t)(t1 - p));
    char *e;
    no->loc.line = (int)strtol(t1 + 1, &e, 10);
    no->loc.col = (int)strtol(e + 1, &e, 10);
    no->text = arena_strndup(a, e + 1, (size_t)(nl - e - 1));
    p = nl + 1;
  }
}

int store_load_findings(Store *s, int64_t run, Arena *a, FindingList *out) {
  sqlite3_stmt *st = prep(
      s, "SELECT fingerprint, rule, file, line, col, function, message,"
         " handle, api, notes, suppressed, suppress_reason,"
         " coalesce(fn_start, line), coalesce(fn_end, line) FROM findings"
         " WHERE run_id = ? ORDER BY file, line, col, rule");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  while (sqlite3_step(st) == SQLITE_ROW) {
    Finding f = {0};
    f.fingerprint = col_text(a, st, 0);
    f.rule = col_text(a, st, 1);
    f.loc.file = col_text(a, st, 2);
    f.loc.line = sqlite3_column_int(st, 3);
    f.loc.col = sqlite3_column_int(st, 4);
    f.function = col_text(a, st, 5);
    f.message = col_text(a, st, 6);
    f.handle = col_text(a, st, 7);
    f.api = col_text(a, st, 8);
    parse_notes(a, col_text(a, st, 9), &f);
    f.suppressed = sqlite3_column_int(st, 10) != 0;
    f.suppress_reason = sqlite3_column_type(st, 11) == SQLITE_NULL
                            ? NULL : col_text(a, st, 11);
    f.fn_start = sqlite3_column_int(st, 12);
    f.fn_end = sqlite3_column_int(st, 13);
    array_push(out, f);
  }
  sqlite3_finalize(st);
  return 0;
}

/* A column's text, NULL where it is NULL (or empty). */
static const char *opt_text(Arena *a, sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t && *t ? arena_strdup(a, (const char *)t) : NULL;
}

int store_load_runs(Store *s, Arena *a, StoreRunList *out) {
  sqlite3_stmt *st = prep(
      s, "SELECT r.id, r.started, r.finished, r.complete, r.git_commit,"
         " r.git_branch, (SELECT count(*) FROM tus t WHERE t.run_id = r.id),"
         " (SELECT count(*) FROM findings f WHERE f.run_id = r.id"
         "  AND f.suppressed = 0), r.scope FROM runs r ORDER BY r.id");
  if (!st)
    return -1;
  while (sqlite3_step(st) == SQLITE_ROW) {
    StoreRun r = {sqlite3_column_int64(st, 0), opt_text(a, st, 1),
                  opt_text(a, st, 2), opt_text(a, st, 4), opt_text(a, st, 5),
                  opt_text(a, st, 8), sqlite3_column_int(st, 3) != 0,
                  sqlite3_column_int(st, 6), sqlite3_column_int(st, 7)};
    array_push(out, r);
  }
  sqlite3_finalize(st);
  return 0;
}

void store_print_runs(Store *s, FILE *out) {
  Arena *a = arena_new();
  StoreRunList runs = {0};
  if (store_load_runs(s, a, &runs) == 0) {
    fprintf(out, "%-5s %-20s %-10s %-12s %-16s %-9s %5s %8s\n", "run",
            "started", "status", "commit", "branch", "scope", "tus", "findings");
    for (int i = 0; i < runs.n; i++) {
      const StoreRun *r = &runs.v[i];
      fprintf(out, "%-5lld %-20s %-10s %-12.12s %-16s %-9s %5d %8d\n",
              (long long)r->id, r->started ? r->started : "",
              r->complete ? "complete" : "incomplete",
              r->commit ? r->commit : "", r->branch ? r->branch : "",
              r->scope ? r->scope : "?", r->tus, r->findings);
    }
  }
  array_free(&runs);
  arena_free(a);
}

int store_tus_including(Store *s, const char *path, Arena *a, StrList *out) {
  sqlite3_stmt *st = prep(s, "SELECT DISTINCT t.path FROM tus t JOIN tu_deps d"
                             " ON d.tu_id = t.id WHERE d.path = ? ORDER BY 1");
  if (!st)
    return -1;
  bind_text(st, 1, path);
  while (sqlite3_step(st) == SQLITE_ROW)
    array_push(out, arena_strdup(a, (const char *)sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return 0;
}

int store_tu_problems(Store *s, int64_t run, Arena *a, StoreTuProblems *out) {
  sqlite3_stmt *st = prep(s, "SELECT path, coalesce(error, ''), status = 'failed'"
                             " FROM tus WHERE run_id = ? AND status IN"
                             " ('failed', 'error') ORDER BY path");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  while (sqlite3_step(st) == SQLITE_ROW) {
    StoreTuProblem p = {col_text(a, st, 0), col_text(a, st, 1),
                        sqlite3_column_int(st, 2) != 0};
    array_push(out, p);
  }
  sqlite3_finalize(st);
  return 0;
}

int store_count_findings(Store *s, int64_t run) {
  sqlite3_stmt *st = prep(s, "SELECT count(*) FROM findings WHERE run_id = ?"
                             " AND suppressed = 0");
  int n = 0;
  if (!st)
    return 0;
  sqlite3_bind_int64(st, 1, run);
  if (sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return n;
}

int store_check_file(const char *path, FILE *out, char **err) {
  sqlite3 *db = NULL;
  *err = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    *err = msgf(path, "cannot open database: ", db ? sqlite3_errmsg(db) : "");
    sqlite3_close(db);
    return -1;
  }
  sqlite3_stmt *st;
  int bad = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(100)", -1, &st, NULL) !=
      SQLITE_OK) {
    fprintf(out, "%s: %s\n", path, sqlite3_errmsg(db));
    bad = 1;
  } else {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *t = (const char *)sqlite3_column_text(st, 0);
      if (t && strcmp(t, "ok")) {
        fprintf(out, "%s: %s\n", path, t);
        bad = 1;
      }
    }
    if (rc != SQLITE_DONE) {
      fprintf(out, "%s: %s\n", path, sqlite3_errmsg(db));
      bad = 1;
    }
    sqlite3_finalize(st);
  }
  if (!bad)
    fprintf(out, "%s: ok\n", path);
  sqlite3_close(db);
  return bad;
}

/* The columns of table t in db, comma-separated into buf. */
static void columns_of(sqlite3 *db, const char *t, char *buf, size_t n) {
  buf[0] = 0;
  char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", t);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *c = (const char *)sqlite3_column_text(st, 0);
      if (c && strlen(buf) + strlen(c) + 2 < n) {
        if (buf[0])
          strcat(buf, ",");
        strcat(buf, c);
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_free(q);
}

/* Rows of T in `from` into T in `to`, one at a time, for the columns both
 * have (the damaged file is read by a connection of its own: its errors
 * must not reach the new file's transaction). A row on a damaged page ends
 * the table there; a row the new constraints refuse (its TU lost) is left
 * out. The number copied. */
static long copy_table(sqlite3 *from, sqlite3 *to, const char *t,
                       bool *lost) {
  char have[800], want[800], cols[800] = "";
  columns_of(from, t, have, sizeof have);
  columns_of(to, t, want, sizeof want);
  int ncols = 0;
  for (char *c = strtok(want, ","); c; c = strtok(NULL, ",")) {
    char pat[128];
    snprintf(pat, sizeof pat, ",%s,", c);
    char wrapped[804];
    snprintf(wrapped, sizeof wrapped, ",%s,", have);
    if (strstr(wrapped, pat) && strlen(cols) + strlen(c) + 2 < sizeof cols) {
      if (cols[0])
        strcat(cols, ",");
      strcat(cols, c);
      ncols++;
    }
  }
  if (!ncols)
    return 0;
  char sel[1024], ins[1400], marks[400] = "";
  for (int i = 0; i < ncols && strlen(marks) < sizeof marks - 3; i++)
    strcat(marks, i ? ",?" : "?");
  snprintf(sel, sizeof sel, "SELECT %s FROM %s", cols, t);
  snprintf(ins, sizeof ins, "INSERT INTO %s(%s) VALUES(%s)", t, cols, marks);
  sqlite3_stmt *rd, *wr;
  if (sqlite3_prepare_v2(from, sel, -1, &rd, NULL) != SQLITE_OK)
    return 0;
  if (sqlite3_prepare_v2(to, ins, -1, &wr, NULL) != SQLITE_OK) {
    sqlite3_finalize(rd);
    return 0;
  }
  long n = 0;
  int rc;
  while ((rc = sqlite3_step(rd)) == SQLITE_ROW) {
    sqlite3_reset(wr);
    for (int i = 0; i < ncols; i++)
      sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
    if (sqlite3_step(wr) == SQLITE_DONE)
      n++;
    else
      *lost = true;
  }
  if (rc != SQLITE_DONE)
    *lost = true;
  sqlite3_finalize(rd);
  sqlite3_finalize(wr);
  return n;
}

int store_rebuild(const char *path, FILE *out, char **err) {
  *err = NULL;
  size_t pl = strlen(path) + 16;
  char *fresh = malloc(pl), *aside = malloc(pl);
  if (!fresh || !aside) {
    free(fresh);
    free(aside);
    *err = msgf(path, "out of memory", "");
    return -1;
  }
  snprintf(fresh, pl, "%s.rebuild", path);
  snprintf(aside, pl, "%s.damaged", path);
  unlink(fresh);
  Store *n = NULL;
  if (store_open(fresh, &n, err) < 0) {
    free(fresh);
    free(aside);
    return -1;
  }
  sqlite3 *old = NULL;
  if (sqlite3_open_v2(path, &old, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    *err = msgf(path, "cannot read it: ", old ? sqlite3_errmsg(old) : "");
    sqlite3_close(old);
    store_close(n);
    unlink(fresh);
    free(fresh);
    free(aside);
    return -1;
  }
  static const char *const tables[] = {"runs", "tus", "tu_deps", "findings",
                                       "link_facts", "link_sums"};
  sqlite3_exec(n->db, "BEGIN", NULL, NULL, NULL);
  bool lost = false;
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    fprintf(out, "%s: %ld rows kept\n", tables[i],
            copy_table(old, n->db, tables[i], &lost));
  /* Some rows are gone: no run is whole any more (none is a baseline) and
   * no TU's findings may be carried into a new run (each is analysed
   * again). */
  if (lost) {
    sqlite3_exec(n->db, "UPDATE runs SET complete = 0;"
                        " UPDATE tus SET status = 'rebuilt'", NULL, NULL, NULL);
    fprintf(out, "some rows were lost: every run is marked incomplete and "
                 "every TU is analysed again by the next scan\n");
  }
  int rc = sqlite3_exec(n->db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(old);
  /* All of it in the main file before it is renamed: its -wal keeps the
   * old name. */
  sqlite3_exec(n->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    *err = msgf(path, "cannot write the rebuilt database: ",
                sqlite3_errmsg(n->db));
    store_close(n);
    unlink(fresh);
    free(fresh);
    free(aside);
    return -1;
  }
  store_close(n);
  rc = rename(path, aside) == 0 && rename(fresh, path) == 0 ? 0 : -1;
  if (rc < 0)
    *err = msgf(path, "cannot put the rebuilt database in place: ",
                strerror(errno));
  else {
    char side[4096];
    for (int k = 0; k < 3; k++) { /* the damaged file's journal and stamp */
      snprintf(side, sizeof side, "%s%s", path,
               k == 0 ? "-wal" : k == 1 ? "-shm" : ".checked");
      unlink(side);
    }
    fprintf(out, "%s: rebuilt; the damaged file is %s\n", path, aside);
  }
  free(fresh);
  free(aside);
  return rc;
}


char *store_outline_get(Store *s, const char *key) {
  sqlite3_stmt *st = prep(s, "SELECT text FROM outlines WHERE key = ?");
  if (!st)
    return NULL;
  bind_text(st, 1, key);
  char *text = NULL;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    text = xstrdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return text;
}

int store_outlines_put(Store *s, const char *const *keys,
                       const char *const *texts, int n, char **err) {
  s->err[0] = 0;
  if (n == 0)
    return 0;
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  sqlite3_stmt *st =
      prep(s, "INSERT OR REPLACE INTO outlines(key, text) VALUES(?,?)");
  for (int i = 0; st && i < n; i++) {
    bind_text(st, 1, keys[i]);
    bind_text(st, 2, texts[i]);
    if (store_step(s, st) != SQLITE_DONE) {
      sqlite3_finalize(st);
      return tx_fail(s, err);
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  if (!st || sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  return 0;
}

int store_tus_skipped(Store *s, int64_t run, const StoreTu *tus, int n,
                      char **err) {
  s->err[0] = 0;
  if (n == 0)
    return 0;
  if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  for (int i = 0; i < n; i++)
    if (insert_tu(s, run, &tus[i]) < 0)
      return tx_fail(s, err);
  if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return tx_fail(s, err);
  return 0;
}

int store_timer_functions(Store *s, Arena *a, StrList *out) {
  /* Link facts by kind (finding.h, never renumbered): LF_START 0, LF_STOP
   * 1, LF_STOP_ALL 6; a summary that makes a timer (param -1, LS_MAKES).
   * Not LF_FROM (a field given any call's result) nor a summary that
   * "stops" its parameter (free() does): every TU has those. */
  sqlite3_stmt *st = prep(
      s, "SELECT usr FROM link_sums WHERE param = -1"
         " UNION SELECT fn_usr FROM link_facts WHERE kind IN (0, 1, 6)"
         " AND fn_usr IS NOT NULL");
  if (!st)
    return -1;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *usr = (const char *)sqlite3_column_text(st, 0);
    if (!usr)
      continue;
    const char *at = strrchr(usr, '@');
    array_push(out, arena_strdup(a, at ? at + 1 : usr));
  }
  sqlite3_finalize(st);
  return 0;
}
