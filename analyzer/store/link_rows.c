/* link_rows.c: the link phase's facts and summaries, per TU, beside its
 * findings: written in the TU's transaction, carried over when the TU is
 * reused or a shard is merged, read back for the whole run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storeInt.h"

int store_link_insert(Store *s, int64_t tu, const LinkData *d) {
  sqlite3_stmt *f = prep(s, "INSERT INTO link_facts(tu_id, " LINK_FACT_COLS
                            ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  sqlite3_stmt *u = prep(s, "INSERT INTO link_sums(tu_id, " LINK_SUM_COLS
                            ") VALUES(?,?,?,?,?)");
  bool ok = f && u;
  for (int i = 0; ok && i < d->facts.n; i++) {
    const LinkFact *x = &d->facts.v[i];
    sqlite3_bind_int64(f, 1, tu);
    sqlite3_bind_int(f, 2, x->kind);
    bind_text(f, 3, x->key->text);
    bind_text(f, 4, x->api);
    bind_text(f, 5, x->release_api);
    bind_text(f, 6, x->callee);
    sqlite3_bind_int(f, 7, x->arg);
    sqlite3_bind_int(f, 8, x->addr);
    bind_text(f, 9, x->function);
    bind_text(f, 10, x->loc.file);
    sqlite3_bind_int(f, 11, x->loc.line);
    sqlite3_bind_int(f, 12, x->loc.col);
    sqlite3_bind_int(f, 13, x->fn_start);
    sqlite3_bind_int(f, 14, x->fn_end);
    sqlite3_bind_int(f, 15, x->async);
    sqlite3_bind_int(f, 16, x->shared);
    sqlite3_bind_int(f, 17, x->param);
    bind_text(f, 18, x->fn_usr);
    bind_text(f, 19, x->guard);
    bind_text(f, 20, x->consts);
    bind_text(f, 21, x->user);
    ok = store_step(s, f) == SQLITE_DONE;
    sqlite3_reset(f);
  }
  for (int i = 0; ok && i < d->sums.n; i++) {
    const LinkSummary *x = &d->sums.v[i];
    sqlite3_bind_int64(u, 1, tu);
    bind_text(u, 2, x->usr);
    sqlite3_bind_int(u, 3, x->param);
    bind_text(u, 4, x->ops);
    sqlite3_bind_int(u, 5, x->stops);
    ok = store_step(s, u) == SQLITE_DONE;
    sqlite3_reset(u);
  }
  sqlite3_finalize(f);
  sqlite3_finalize(u);
  return ok ? 0 : -1;
}

/* Copies TU `from`'s rows of `table` to TU `to`: how many, or -1. The SQL
 * is assembled from constants only (table, columns, database name); values
 * are bound. */
static int copy_rows(Store *s, const char *db, const char *table,
                     const char *cols, int64_t to, int64_t from) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT INTO %s(tu_id, %s) SELECT ?, %s FROM %s.%s WHERE tu_id = ?",
           table, cols, cols, db, table);
  sqlite3_stmt *st = prep(s, sql);
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, to);
  sqlite3_bind_int64(st, 2, from);
  int rc = store_step(s, st);
  int n = rc == SQLITE_DONE ? sqlite3_changes(s->db) : -1;
  sqlite3_finalize(st);
  return n;
}

int store_link_copy(Store *s, int64_t to, int64_t from, const char *db) {
  int f = copy_rows(s, db, "link_facts", LINK_FACT_COLS, to, from);
  int u = f < 0 ? -1 : copy_rows(s, db, "link_sums", LINK_SUM_COLS, to, from);
  return f < 0 || u < 0 ? -1 : f + u;
}

static const char *col_text(sqlite3_stmt *st, int i, Arena *a) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? arena_strdup(a, (const char *)t) : NULL;
}

int store_link_load(Store *s, int64_t run, Arena *a, LinkData *out) {
  sqlite3_stmt *f = prep(s, "SELECT " LINK_FACT_COLS " FROM link_facts"
                            " JOIN tus ON tus.id = link_facts.tu_id"
                            " WHERE tus.run_id = ?");
  sqlite3_stmt *u = prep(s, "SELECT " LINK_SUM_COLS " FROM link_sums"
                            " JOIN tus ON tus.id = link_sums.tu_id"
                            " WHERE tus.run_id = ?");
  sqlite3_stmt *n = prep(s, "SELECT count(*) FROM tus WHERE run_id = ?"
                            " AND path != ?");
  int ntus = -1;
  if (f && u && n) {
    sqlite3_bind_int64(f, 1, run);
    while (store_step(s, f) == SQLITE_ROW) {
      LinkFact x = {0};
      x.kind = (LinkFactKind)sqlite3_column_int(f, 0);
      const char *key = col_text(f, 1, a);
      x.key = ir_key_parse(a, key ? key : "", x.kind == LF_FREE);
      x.api = col_text(f, 2, a);
      x.release_api = col_text(f, 3, a);
      x.callee = col_text(f, 4, a);
      x.arg = sqlite3_column_int(f, 5);
      x.addr = sqlite3_column_int(f, 6) != 0;
      x.function = col_text(f, 7, a);
      x.loc.file = col_text(f, 8, a);
      x.loc.line = sqlite3_column_int(f, 9);
      x.loc.col = sqlite3_column_int(f, 10);
      x.fn_start = sqlite3_column_int(f, 11);
      x.fn_end = sqlite3_column_int(f, 12);
      x.async = sqlite3_column_int(f, 13) != 0;
      x.shared = sqlite3_column_int(f, 14) != 0;
      x.param = sqlite3_column_int(f, 15);
      x.fn_usr = col_text(f, 16, a);
      x.guard = col_text(f, 17, a);
      x.consts = col_text(f, 18, a);
      x.user = col_text(f, 19, a);
      array_push(&out->facts, x);
    }
    sqlite3_bind_int64(u, 1, run);
    while (store_step(s, u) == SQLITE_ROW) {
      LinkSummary x = {col_text(u, 0, a), sqlite3_column_int(u, 1),
                       col_text(u, 2, a), sqlite3_column_int(u, 3)};
      array_push(&out->sums, x);
    }
    sqlite3_bind_int64(n, 1, run);
    bind_text(n, 2, STORE_LINK_TU);
    if (store_step(s, n) == SQLITE_ROW)
      ntus = sqlite3_column_int(n, 0);
  }
  sqlite3_finalize(f);
  sqlite3_finalize(u);
  sqlite3_finalize(n);
  return ntus;
}
