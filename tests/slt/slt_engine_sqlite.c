/*
** tests/slt/slt_engine_sqlite.c — the sqllogictest backend that runs SQL
** through SQLite's C API, rendering values exactly as the reference runner
** does (sqlite3_column_int64 with %lld, sqlite3_snprintf "%.3f" of
** sqlite3_column_double, sqlite3_column_text).  Running the corpus with it
** checks the runner's parsing, sorting and hashing against the engine the
** corpus was produced with: every record must pass.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slt_engine.h"

const char *const slt_engine_name = "sqlite";

struct SltEngine {
  sqlite3 *db;
};

SltEngine *slt_engine_open(void) {
  SltEngine *e = ed_calloc(1, sizeof *e);
  if (sqlite3_open(":memory:", &e->db) != SQLITE_OK) {
    fprintf(stderr, "sqlite3_open: %s\n", sqlite3_errmsg(e->db));
    exit(2);
  }
  return e;
}

void slt_engine_close(SltEngine *e) {
  if (!e) return;
  sqlite3_close(e->db);
  free(e);
}

/* Appends column c of the current row rendered for type character ch. */
static void render_column(sqlite3_stmt *st, int c, char ch, SltResult *res) {
  char buf[128];
  if (sqlite3_column_type(st, c) == SQLITE_NULL) {
    slt_result_push(res, "NULL");
    return;
  }
  if (ch == 'I') {
    snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(st, c));
  } else if (ch == 'R') {
    sqlite3_snprintf((int)sizeof buf, buf, "%.3f", sqlite3_column_double(st, c));
  } else {
    const char *t = (const char *)sqlite3_column_text(st, c);
    int n = sqlite3_column_bytes(st, c);
    slt_result_push(res, slt_render_text(res, t, (size_t)n, 'T'));
    return;
  }
  slt_result_add(res, buf);
}

int slt_engine_run(SltEngine *e, const char *sql, const char *types,
                   SltResult *res, char *err, size_t cap) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(err, cap, "%s", sqlite3_errmsg(e->db));
    return -1;
  }
  int ntypes = types ? (int)strlen(types) : 0;
  if (types) {
    slt_result_reset(res);
    res->ncols = sqlite3_column_count(st);
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!types) continue;
    for (int c = 0; c < res->ncols; c++)
      render_column(st, c, c < ntypes ? types[c] : 'T', res);
  }
  if (rc != SQLITE_DONE) {
    snprintf(err, cap, "%s", sqlite3_errmsg(e->db));
    sqlite3_finalize(st);
    return -1;
  }
  sqlite3_finalize(st);
  return 0;
}
