/* storeInt.h: shared by the store's files only. */
#ifndef TL_STORE_INT_H
#define TL_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

struct Store {
  sqlite3 *db;
  char *path;
  char err[512]; /* the first SQLite error of the write under way */
};

/* Both keep the first error in s->err. */
sqlite3_stmt *prep(Store *s, const char *sql);
int store_step(Store *s, sqlite3_stmt *st);
void bind_text(sqlite3_stmt *st, int i, const char *v);

/* A link fact's and a summary's columns after tu_id, in bind order: one
 * list for the schema, the insert, reuse and shard merge. */
#define LINK_FACT_COLS                                                         \
  "kind, key, api, release_api, callee, arg, addr, function, file, line,"     \
  " col, fn_start, fn_end, async, shared, param, fn_usr, guard, consts,"   \
  " user_data"
/* The table as migration 3 -> 4 creates it: never edit (columns added
 * later come by their own migration). It was edited once, after schema 4
 * shipped without `async` and `shared`: migration 6 -> 7 adds them to a
 * store made then (tests/fixtures/store-v4.db). */
#define LINK_FACT_COLS_DECL                                                    \
  "kind INTEGER NOT NULL, key TEXT NOT NULL, api TEXT, release_api TEXT,"     \
  " callee TEXT, arg INTEGER, addr INTEGER, function TEXT, file TEXT,"        \
  " line INTEGER, col INTEGER, fn_start INTEGER, fn_end INTEGER,"            \
  " async INTEGER NOT NULL DEFAULT 0, shared INTEGER NOT NULL DEFAULT 0"
#define LINK_SUM_COLS "usr, param, ops, stops"
#define LINK_SUM_COLS_DECL                                                     \
  "usr TEXT NOT NULL, param INTEGER NOT NULL, ops TEXT NOT NULL,"             \
  " stops INTEGER NOT NULL"

/* link_rows.c, inside the caller's transaction */
int store_link_insert(Store *s, int64_t tu, const LinkData *d);
/* Copies TU `from`'s link rows (in database `db`: "main" or "shard") to
 * TU `to`: how many, or -1. */
int store_link_copy(Store *s, int64_t to, int64_t from, const char *db);

#endif
