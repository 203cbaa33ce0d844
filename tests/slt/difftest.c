/*
** tests/slt/difftest.c — differential test of eddy against SQLite.
**
** Random tables (BIGINT, DOUBLE and VARCHAR columns with NULLs and
** duplicates; one table crosses the 2048-row batch boundary twice, one is
** empty) are loaded into both engines with the same INSERT statements;
** then random queries (difftest_gen.c) run on both.  Results are compared
** as multisets of rows, or in order when the ORDER BY covers every output
** column; numbers compare numerically (an integer 3 equals a double 3.0,
** doubles within a relative 1e-9), BOOLEAN as 0/1 as SQLite returns it.
**
**   difftest [--seed S] [--queries N] [--query I] [--sqlite-only] [--verbose]
**
** Everything follows from the seed: a mismatch prints the seed, the query
** number, the SQL and both results, and `difftest --seed S --query I`
** replays just that query.  --sqlite-only runs the generated SQL on SQLite
** alone (to check the generator).  Output is TAP: one test point per 100
** queries, plus one for loading the data and one that no generated query
** was rejected by SQLite.
*/
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/tap.h"
#include "difftest_gen.h"
#include "engine/session.h"
#include "exec/batch.h"
#include "sinks/sink.h"

/* ------------------------------------------------------------- values */

typedef enum DtKind { DK_NULL, DK_INT, DK_DBL, DK_STR } DtKind;

typedef struct DtVal {
  DtKind kind;
  int64_t i;
  double d;               /* DK_INT and DK_DBL: the numeric value */
  const char *s;          /* DK_STR: bytes in the result's arena */
  uint32_t len;
} DtVal;

/* The rows of one result. */
typedef struct DtRows {
  int ncols;
  int nrows;
  int cap;                /* values allocated */
  DtVal *v;               /* nrows * ncols, row-major */
  EdArena arena;
} DtRows;

static void rows_init(DtRows *r) {
  memset(r, 0, sizeof *r);
  ed_arena_init(&r->arena, 1 << 16);
}

static void rows_reset(DtRows *r) {
  r->ncols = r->nrows = 0;
  ed_arena_reset(&r->arena);
}

static void rows_free(DtRows *r) {
  free(r->v);
  ed_arena_free(&r->arena);
}

/* Returns a slot for the next value of the current row. */
static DtVal *rows_slot(DtRows *r, int index) {
  if (index >= r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    while (r->cap <= index) r->cap *= 2;
    r->v = ed_realloc(r->v, (size_t)r->cap * sizeof *r->v);
  }
  return &r->v[index];
}

static void set_int(DtVal *v, int64_t i) {
  v->kind = DK_INT;
  v->i = i;
  v->d = (double)i;
}

static void set_dbl(DtVal *v, double d) {
  v->kind = DK_DBL;
  v->d = d;
}

static void set_str(DtRows *r, DtVal *v, const char *s, size_t n) {
  v->kind = DK_STR;
  v->s = ed_arena_strndup(&r->arena, s, n);
  v->len = (uint32_t)n;
}

/* Total order for sorting a multiset: NULL < numbers < strings. */
static int val_cmp(const DtVal *a, const DtVal *b) {
  int ka = a->kind == DK_DBL ? DK_INT : (int)a->kind;
  int kb = b->kind == DK_DBL ? DK_INT : (int)b->kind;
  if (ka != kb) return ka < kb ? -1 : 1;
  if (ka == DK_INT) return (a->d > b->d) - (a->d < b->d);
  if (ka == DK_STR) {
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c) return c;
    return (a->len > b->len) - (a->len < b->len);
  }
  return 0;
}

/* Equality as the test means it: numbers numerically, doubles within a
** relative 1e-9. */
static bool val_eq(const DtVal *a, const DtVal *b) {
  if (a->kind == DK_NULL || b->kind == DK_NULL) return a->kind == b->kind;
  if (a->kind == DK_STR || b->kind == DK_STR)
    return a->kind == b->kind && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
  if (a->kind == DK_INT && b->kind == DK_INT) return a->i == b->i;
  if (a->d == b->d) return true;
  double diff = fabs(a->d - b->d), mag = fmax(fabs(a->d), fabs(b->d));
  return diff <= 1e-9 * mag || diff < 1e-12;
}

static int sort_ncols;

static int row_cmp(const void *x, const void *y) {
  const DtVal *a = x, *b = y;
  for (int i = 0; i < sort_ncols; i++) {
    int c = val_cmp(&a[i], &b[i]);
    if (c) return c;
  }
  return 0;
}

static void rows_sort(DtRows *r) {
  if (r->nrows < 2) return;
  sort_ncols = r->ncols;
  qsort(r->v, (size_t)r->nrows, (size_t)r->ncols * sizeof *r->v, row_cmp);
}

static void val_print(const DtVal *v) {
  switch (v->kind) {
    case DK_NULL: printf("NULL"); break;
    case DK_INT: printf("%" PRId64, v->i); break;
    case DK_DBL: printf("%.17g", v->d); break;
    case DK_STR: printf("'%.*s'", (int)v->len, v->s); break;
  }
}

static void rows_print(const char *who, const DtRows *r) {
  printf("#   %s: %d rows of %d columns\n", who, r->nrows, r->ncols);
  for (int i = 0; i < r->nrows && i < 25; i++) {
    printf("#     ");
    for (int c = 0; c < r->ncols; c++) {
      if (c) printf(" | ");
      val_print(&r->v[(size_t)i * r->ncols + c]);
    }
    printf("\n");
  }
  if (r->nrows > 25) printf("#     ...\n");
}

/* ------------------------------------------------------------- SQLite */

/* Runs sql on SQLite into rows (NULL for statements).  Returns 0 or -1
** with the message in err. */
static int sqlite_run(sqlite3 *db, const char *sql, DtRows *rows, char *err, size_t cap) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(err, cap, "%s", sqlite3_errmsg(db));
    return -1;
  }
  if (rows) {
    rows_reset(rows);
    rows->ncols = sqlite3_column_count(st);
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!rows) continue;
    for (int c = 0; c < rows->ncols; c++) {
      DtVal *v = rows_slot(rows, rows->nrows * rows->ncols + c);
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: v->kind = DK_NULL; break;
        case SQLITE_INTEGER: set_int(v, sqlite3_column_int64(st, c)); break;
        case SQLITE_FLOAT: set_dbl(v, sqlite3_column_double(st, c)); break;
        default:
          set_str(rows, v, (const char *)sqlite3_column_text(st, c),
                  (size_t)sqlite3_column_bytes(st, c));
      }
    }
    rows->nrows++;
  }
  if (rc != SQLITE_DONE) {
    snprintf(err, cap, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return -1;
  }
  sqlite3_finalize(st);
  return 0;
}

/* --------------------------------------------------------------- eddy */

typedef struct DtSink {
  EdSink base;
  DtRows *rows;           /* NULL: statement, results ignored */
  int nbegin;
} DtSink;

static int dsink_begin(EdSink *s, const EdSchema *schema) {
  DtSink *k = (DtSink *)s;
  k->nbegin++;
  if (k->rows) k->rows->ncols = schema->ncols;
  return 0;
}

static int dsink_write(EdSink *s, const EdBatch *b) {
  DtSink *k = (DtSink *)s;
  DtRows *r = k->rows;
  int n = ed_batch_count(b);
  s->rows_written += n;
  if (!r) return 0;
  for (int i = 0; i < n; i++) {
    int row = ed_batch_row(b, i);
    for (int c = 0; c < b->ncols; c++) {
      EdValue ev;
      ed_batch_get(b, c, row, &ev);
      DtVal *v = rows_slot(r, r->nrows * r->ncols + c);
      if (ev.is_null) {
        v->kind = DK_NULL;
        continue;
      }
      switch (ev.type) {
        case ED_T_BOOL: set_int(v, ev.u.b ? 1 : 0); break;
        case ED_T_BIGINT: set_int(v, ev.u.i); break;
        case ED_T_DOUBLE: set_dbl(v, ev.u.d); break;
        case ED_T_VARCHAR: set_str(r, v, ev.u.s.ptr, ev.u.s.len); break;
        default: {
          char buf[128];
          int len = ed_value_to_text(&ev, buf, (int)sizeof buf);
          set_str(r, v, buf, (size_t)len);
        }
      }
    }
    r->nrows++;
  }
  return 0;
}

static int dsink_end(EdSink *s) {
  (void)s;
  return 0;
}

static void dsink_destroy(EdSink *s) {
  (void)s;
}

/* Runs sql (no ';') on eddy into rows (NULL for statements). */
static int eddy_run(eddy_session *es, DtSink *sink, const char *sql, DtRows *rows,
                    char *err, size_t cap) {
  size_t n = strlen(sql);
  char *text = ed_malloc(n + 2);
  memcpy(text, sql, n);
  memcpy(text + n, ";", 2);
  if (rows) rows_reset(rows);
  sink->rows = rows;
  sink->nbegin = 0;
  EdError e;
  memset(&e, 0, sizeof e);
  int rc = ed_session_run(es, text, &sink->base, &e);
  free(text);
  sink->rows = NULL;
  if (rc != 0) {
    snprintf(err, cap, "%s", e.msg[0] ? e.msg : "(error without a message)");
    return -1;
  }
  if (rows && sink->nbegin != 1) {
    snprintf(err, cap, "query produced %d result sets", sink->nbegin);
    return -1;
  }
  return 0;
}

/* ---------------------------------------------------------------- run */

typedef struct DtOpts {
  uint64_t seed;
  int queries;
  int only;               /* -1: all queries */
  bool sqlite_only;
  bool verbose;
} DtOpts;

typedef struct DtState {
  sqlite3 *db;
  eddy_session *es;
  DtSink sink;
  DtRows lite, ed;
  int gen_errors;
  int64_t rows_compared;
  double t_lite, t_eddy;
} DtState;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Creates and fills the tables in both engines.  Returns false on error. */
static bool load_data(const DtOpts *o, DtState *st) {
  DtRng rng;
  dt_rng_seed(&rng, o->seed);
  DtBuf b = {0};
  char err[1024];
  bool ok = true;
  for (int t = 0; t < dt_table_count() && ok; t++) {
    for (int from = -1; from < dt_table_rows(t) && ok; from += from < 0 ? 1 : 250) {
      dt_buf_reset(&b);
      if (from < 0) {
        dt_table_ddl(t, &b);
      } else {
        int to = from + 250 < dt_table_rows(t) ? from + 250 : dt_table_rows(t);
        dt_table_insert(t, &rng, from, to, &b);
      }
      if (sqlite_run(st->db, b.s, NULL, err, sizeof err) != 0) {
        printf("# SQLite: %s\n#   in: %.200s\n", err, b.s);
        ok = false;
      } else if (!o->sqlite_only &&
                 eddy_run(st->es, &st->sink, b.s, NULL, err, sizeof err) != 0) {
        printf("# eddy: %s\n#   in: %.200s\n", err, b.s);
        ok = false;
      }
    }
  }
  dt_buf_free(&b);
  return ok;
}

/* Compares the two results; true when they agree.  Otherwise *diff_row
** is the first row that differs (-1 when the shapes differ). */
static bool same_result(DtRows *a, DtRows *b, bool ordered, int *diff_row) {
  *diff_row = -1;
  if (a->ncols != b->ncols) return false;
  if (!ordered) {
    rows_sort(a);
    rows_sort(b);
  }
  int nrows = a->nrows < b->nrows ? a->nrows : b->nrows;
  for (int r = 0; r < nrows; r++)
    for (int c = 0; c < a->ncols; c++) {
      size_t i = (size_t)r * a->ncols + c;
      if (!val_eq(&a->v[i], &b->v[i])) {
        *diff_row = r;
        return false;
      }
    }
  if (a->nrows != b->nrows) *diff_row = nrows;
  return a->nrows == b->nrows;
}

/* Prints row r of a result, or that it has none. */
static void row_print(const char *who, const DtRows *res, int r) {
  printf("#     %-6s row %d: ", who, r);
  if (r >= res->nrows) {
    printf("(none)\n");
    return;
  }
  for (int c = 0; c < res->ncols; c++) {
    if (c) printf(" | ");
    val_print(&res->v[(size_t)r * res->ncols + c]);
  }
  printf("\n");
}

/* Runs query number q; returns true when eddy agrees with SQLite (or the
** query was rejected by SQLite, which counts as a generator error). */
static bool run_query(const DtOpts *o, DtState *st, int q) {
  DtRng rng;
  dt_rng_seed(&rng, o->seed * 1000003ULL + (uint64_t)q + 1);
  DtBuf sql = {0};
  DtQueryInfo info;
  dt_gen_query(&rng, &sql, &info);
  char err[2048];
  if (o->verbose) printf("# query %d [%s]: %s\n", q, info.shape, sql.s);
  double t0 = now();
  int rc = sqlite_run(st->db, sql.s, &st->lite, err, sizeof err);
  st->t_lite += now() - t0;
  if (rc != 0) {
    st->gen_errors++;
    printf("# generator error (SQLite rejects query %d): %s\n#   %s\n", q, err, sql.s);
    dt_buf_free(&sql);
    return true;
  }
  bool ok = true;
  int diff_row;
  if (!o->sqlite_only) {
    t0 = now();
    rc = eddy_run(st->es, &st->sink, sql.s, &st->ed, err, sizeof err);
    st->t_eddy += now() - t0;
    if (rc != 0) {
      printf("# MISMATCH seed=%" PRIu64 " query=%d [%s]: eddy fails: %s\n#   SQL: %s\n",
             o->seed, q, info.shape, err, sql.s);
      rows_print("sqlite", &st->lite);
      ok = false;
    } else if (!same_result(&st->lite, &st->ed, info.ordered, &diff_row)) {
      printf("# MISMATCH seed=%" PRIu64 " query=%d [%s]%s\n#   SQL: %s\n", o->seed, q,
             info.shape, info.ordered ? " (ordered)" : " (as multisets, sorted)", sql.s);
      if (diff_row >= 0) {
        printf("#   first difference:\n");
        row_print("sqlite", &st->lite, diff_row);
        row_print("eddy", &st->ed, diff_row);
      }
      rows_print("sqlite", &st->lite);
      rows_print("eddy", &st->ed);
      printf("#   replay: difftest --seed %" PRIu64 " --query %d\n", o->seed, q);
      ok = false;
    } else {
      st->rows_compared += st->lite.nrows;
    }
  }
  dt_buf_free(&sql);
  return ok;
}

static void usage(void) {
  fprintf(stderr, "usage: difftest [--seed S] [--queries N] [--query I] "
                  "[--sqlite-only] [--verbose]\n");
  exit(2);
}

int main(int argc, char **argv) {
  DtOpts o = {20240611, 3000, -1, false, false};
  for (int i = 1; i < argc; i++) {
    bool more = i + 1 < argc;
    if (strcmp(argv[i], "--seed") == 0 && more) o.seed = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--queries") == 0 && more) o.queries = atoi(argv[++i]);
    else if (strcmp(argv[i], "--query") == 0 && more) o.only = atoi(argv[++i]);
    else if (strcmp(argv[i], "--sqlite-only") == 0) o.sqlite_only = true;
    else if (strcmp(argv[i], "--verbose") == 0) o.verbose = true;
    else usage();
  }
  DtState st;
  memset(&st, 0, sizeof st);
  if (sqlite3_open(":memory:", &st.db) != SQLITE_OK) {
    printf("Bail out! cannot open SQLite\n");
    return 1;
  }
  st.sink.base.begin = dsink_begin;
  st.sink.base.write = dsink_write;
  st.sink.base.end = dsink_end;
  st.sink.base.destroy = dsink_destroy;
  if (!o.sqlite_only) st.es = eddy_open();
  rows_init(&st.lite);
  rows_init(&st.ed);
  printf("# seed %" PRIu64 ", %d queries%s\n", o.seed, o.only >= 0 ? 1 : o.queries,
         o.sqlite_only ? " (SQLite only)" : "");
  if (!TAP_OK(load_data(&o, &st), "tables load into both engines")) {
    printf("Bail out! cannot load the tables\n");
    return tap_done();
  }
  int first = o.only >= 0 ? o.only : 0, last = o.only >= 0 ? o.only + 1 : o.queries;
  for (int block = first; block < last; block += 100) {
    int end = block + 100 < last ? block + 100 : last, bad = 0;
    for (int q = block; q < end; q++)
      if (!run_query(&o, &st, q)) bad++;
    char name[96];
    snprintf(name, sizeof name, "queries %d..%d agree with SQLite (%d differ)", block,
             end - 1, bad);
    TAP_OK(bad == 0, name);
  }
  TAP_EQ_INT(st.gen_errors, 0, "every generated query is valid SQL for SQLite");
  printf("# %" PRId64 " rows compared; SQLite %.2f s, eddy %.2f s\n", st.rows_compared,
         st.t_lite, st.t_eddy);
  rows_free(&st.lite);
  rows_free(&st.ed);
  if (st.es) eddy_close(st.es);
  sqlite3_close(st.db);
  return tap_done();
}
