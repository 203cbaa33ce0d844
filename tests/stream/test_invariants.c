/*
** tests/stream/test_invariants.c — differential invariants of streaming
** aggregation (DESIGN §8).
**
** Generated data and generated queries (grouped count, count(col), sum,
** avg, min, max, count(DISTINCT), with and without a tumbling or sliding
** window, with and without a filter) run through the session API over a memory stream
** fed by many small INSERT batches, in COMPLETE, UPDATE and CHANGES output
** modes.  A sink of this file collects what each mode writes, batch by
** batch, and after the end of the input:
**   - the last table COMPLETE wrote,
**   - the UPDATE rows applied in order as upserts by group key,
**   - the CHANGES rows applied in order (-U and -D delete the row they
**     carry, which must be in the table; +I and +U insert),
** must each equal SQLite's result for the same query over all the rows at
** once.  The streams have no watermark, so no row is late and every mode
** sees every row.  Seeds are fixed: the run is deterministic.
*/
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/arena.h"
#include "engine/session.h"
#include "exec/batch.h"
#include "tests/unit/tap.h"

/* ------------------------------------------------------------ random */

typedef struct Rng {
  uint64_t s;
} Rng;

/* xorshift64*: a small generator whose sequence depends only on the seed. */
static uint64_t rng_next(Rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * UINT64_C(2685821657736338717);
}

/* A number in [0, n). */
static int rng_int(Rng *r, int n) { return (int)(rng_next(r) % (uint64_t)n); }

/* ------------------------------------------------------------- data */

#define BASE_SEC INT64_C(1704067200)   /* 2024-01-01 00:00:00 UTC */
#define MAX_ROWS 256

typedef struct Row {
  int64_t ts_us;        /* microseconds since the epoch */
  int k;                /* 0..3: 'a'..'d' */
  int64_t g;            /* 0..4 */
  bool v_null;
  int64_t v;            /* -3..9 */
} Row;

typedef struct Data {
  int nrows;
  Row rows[MAX_ROWS];
  int nbatches;
  int batch_end[MAX_ROWS];   /* rows of batch b: [end[b-1], end[b]) */
} Data;

/* Rows in random event-time order (out of order on purpose), cut into
** batches of 1 to 6 rows. */
static void gen_data(Rng *r, Data *d) {
  d->nrows = 60 + rng_int(r, 120);
  for (int i = 0; i < d->nrows; i++) {
    Row *w = &d->rows[i];
    w->ts_us = (BASE_SEC + rng_int(r, 180)) * ED_USEC_PER_SEC +
               (int64_t)rng_int(r, 1000) * 1000;
    w->k = rng_int(r, 4);
    w->g = rng_int(r, 5);
    w->v_null = rng_int(r, 8) == 0;
    w->v = rng_int(r, 13) - 3;
  }
  d->nbatches = 0;
  for (int i = 0; i < d->nrows;) {
    i += 1 + rng_int(r, 6);
    if (i > d->nrows) i = d->nrows;
    d->batch_end[d->nbatches++] = i;
  }
}

/* ------------------------------------------------------------ queries */

typedef struct Query {
  char eddy[1024];      /* without the EMIT clause and ';' */
  char sqlite[1024];
  int nkeys;            /* leading output columns that are the group key */
  int window_col;       /* output column of the window, or -1 */
  int64_t window_us;
} Query;

static const char *const agg_eddy[] = {
    "count(*)", "count(v)", "sum(v)", "avg(v)", "min(v)", "max(v)",
    "count(DISTINCT v)", "sum(g)", "max(k)"};
#define NAGGS (int)(sizeof agg_eddy / sizeof *agg_eddy)

static const char *const filters[] = {"", " WHERE v > 2 OR v IS NULL",
                                      " WHERE k <> 'c'", " WHERE g % 2 = 0"};

/* Appends printf output to buf (of cap bytes). */
static void cat(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t cap, const char *fmt, ...) {
  size_t n = strlen(buf);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, cap - n, fmt, ap);
  va_end(ap);
}

/* A random grouped aggregation: keys among k and g, an optional tumbling
** window of 10, 30 or 60 seconds or sliding window (slide 5 or 10
** seconds, two or three slides long), two to five aggregates, a filter.
** In SQLite a sliding window is a join with the offsets 0..m-1: each row
** belongs to the windows that start 0, 1, ... slides before its own
** slide's start. */
static void gen_query(Rng *r, Query *q) {
  static const char *const keysets[][2] = {{"k", NULL}, {"k", "g"},
                                           {"g", NULL}, {NULL, NULL}};
  static const int sizes[] = {10, 30, 60};
  memset(q, 0, sizeof *q);
  int ks = rng_int(r, 4);
  int kind = rng_int(r, 4);             /* 0 none, 1-2 tumbling, 3 sliding */
  int win = kind == 0 ? 0 : kind < 3 ? sizes[rng_int(r, 3)] : 0;
  int slide = kind == 3 ? 5 * (1 + rng_int(r, 2)) : 0;
  int m = 2 + rng_int(r, 2);
  if (slide) win = slide * m;
  if (ks == 3 && !win) ks = 0;          /* a key of some kind */
  char sel_e[512] = "", sel_s[512] = "", grp_e[256] = "", grp_s[256] = "";
  for (int i = 0; i < 2 && keysets[ks][i]; i++) {
    const char *key = keysets[ks][i];
    cat(sel_e, sizeof sel_e, "%s%s", q->nkeys ? ", " : "", key);
    cat(sel_s, sizeof sel_s, "%s%s", q->nkeys ? ", " : "", key);
    cat(grp_e, sizeof grp_e, "%s%s", q->nkeys ? ", " : "", key);
    cat(grp_s, sizeof grp_s, "%s%s", q->nkeys ? ", " : "", key);
    q->nkeys++;
  }
  q->window_col = -1;
  if (win) {
    q->window_us = win * ED_USEC_PER_SEC;
    const char *sep = q->nkeys ? ", " : "";
    char call[64], start[96];
    if (slide) {
      int64_t sl = slide * ED_USEC_PER_SEC;
      snprintf(call, sizeof call, "window(ts, '%d seconds', '%d seconds')",
               win, slide);
      snprintf(start, sizeof start, "(ts - ts %% %" PRId64 ") - o * %" PRId64,
               sl, sl);
    } else {
      snprintf(call, sizeof call, "window(ts, '%d seconds')", win);
      snprintf(start, sizeof start, "ts - ts %% %" PRId64, q->window_us);
    }
    cat(sel_e, sizeof sel_e, "%s%s AS w", sep, call);
    cat(grp_e, sizeof grp_e, "%s%s", sep, call);
    cat(sel_s, sizeof sel_s, "%s%s AS w", sep, start);
    cat(grp_s, sizeof grp_s, "%s%s", sep, start);
    q->window_col = q->nkeys++;
  }
  int naggs = 2 + rng_int(r, 4);
  bool used[NAGGS] = {false};
  for (int i = 0; i < naggs; i++) {
    int a = rng_int(r, NAGGS);
    if (used[a]) continue;
    used[a] = true;
    cat(sel_e, sizeof sel_e, ", %s AS a%d", agg_eddy[a], a);
    cat(sel_s, sizeof sel_s, ", %s AS a%d", agg_eddy[a], a);
  }
  const char *f = filters[rng_int(r, 4)];
  snprintf(q->eddy, sizeof q->eddy, "SELECT %s FROM s%s GROUP BY %s", sel_e,
           f, grp_e);
  char from_s[160] = "s";
  if (slide)
    snprintf(from_s, sizeof from_s,
             "s JOIN (SELECT 0 AS o UNION ALL SELECT 1 UNION ALL SELECT 2) "
             "AS p ON p.o < %d", m);
  snprintf(q->sqlite, sizeof q->sqlite, "SELECT %s FROM %s%s GROUP BY %s",
           sel_s, from_s, f, grp_s);
}

/* ------------------------------------------------------- row strings */

/* A growable list of malloc'ed strings. */
typedef struct StrList {
  int n, cap;
  char **v;
} StrList;

static void sl_add(StrList *l, const char *s) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = ed_realloc(l->v, sizeof *l->v * (size_t)l->cap);
  }
  l->v[l->n++] = ed_strdup(s);
}

static void sl_clear(StrList *l) {
  for (int i = 0; i < l->n; i++) free(l->v[i]);
  l->n = 0;
}

static void sl_free(StrList *l) {
  sl_clear(l);
  free(l->v);
  l->v = NULL;
  l->cap = 0;
}

/* Index of the first string equal to s, or -1. */
static int sl_find(const StrList *l, const char *s) {
  for (int i = 0; i < l->n; i++)
    if (strcmp(l->v[i], s) == 0) return i;
  return -1;
}

static void sl_remove(StrList *l, int i) {
  free(l->v[i]);
  l->v[i] = l->v[--l->n];
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when both lists hold the same strings, as multisets. */
static bool sl_same(StrList *a, StrList *b) {
  if (a->n != b->n) return false;
  qsort(a->v, (size_t)a->n, sizeof *a->v, cmp_str);
  qsort(b->v, (size_t)b->n, sizeof *b->v, cmp_str);
  for (int i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]) != 0) return false;
  return true;
}

/* Canonical text of a value: NULL, integers, doubles to 9 significant
** digits (sum order may differ), strings as they are, a window as its
** start in microseconds (the SQLite query computes the start). */
static void put_value(char *buf, size_t cap, const EdValue *v) {
  if (v->is_null || v->type == ED_T_NULL) {
    cat(buf, cap, "NULL|");
    return;
  }
  switch (v->type) {
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP: cat(buf, cap, "%" PRId64 "|", v->u.i); break;
    case ED_T_DOUBLE: cat(buf, cap, "%.9g|", v->u.d); break;
    case ED_T_VARCHAR:
      cat(buf, cap, "%.*s|", (int)v->u.s.len, v->u.s.ptr);
      break;
    case ED_T_WINDOW: cat(buf, cap, "%" PRId64 "|", v->u.w.start); break;
    case ED_T_BOOL: cat(buf, cap, "%d|", v->u.b ? 1 : 0); break;
    default: cat(buf, cap, "?|"); break;
  }
}

/* ----------------------------------------------------- collecting sink */

typedef struct Collect {
  EdSink base;
  EdEmitMode mode;
  const Query *q;
  int ncols;
  StrList cur;          /* COMPLETE: this batch's table */
  StrList last;         /* COMPLETE: the last table written */
  StrList keys, rows;   /* UPDATE: key i's latest row */
  StrList table;        /* CHANGES: the rows applied so far */
  StrList batch_keys;   /* UPDATE/COMPLETE: keys written in this batch */
  int batches;
  char error[512];      /* the first broken rule */
} Collect;

static void fail(Collect *c, const char *fmt, const char *what) {
  if (!c->error[0]) snprintf(c->error, sizeof c->error, fmt, what);
}

static int col_begin(EdSink *s, const EdSchema *schema) {
  Collect *c = (Collect *)s;
  c->ncols = schema->ncols;
  if (c->q->window_col >= 0 &&
      schema->cols[c->q->window_col].type != ED_T_WINDOW)
    fail(c, "%s", "the window column is not a WINDOW");
  return 0;
}

static int col_begin_batch(EdSink *s, int64_t id) {
  Collect *c = (Collect *)s;
  (void)id;
  sl_clear(&c->cur);
  sl_clear(&c->batch_keys);
  return 0;
}

static int col_end_batch(EdSink *s, int64_t id) {
  Collect *c = (Collect *)s;
  (void)id;
  c->batches++;
  if (c->mode == EMIT_COMPLETE && c->cur.n > 0) {
    StrList t = c->last;
    c->last = c->cur;
    c->cur = t;
    sl_clear(&c->cur);
  }
  return 0;
}

/* Applies one written row as the mode says. */
static void col_row(Collect *c, const char *key, const char *row, int op) {
  switch (c->mode) {
    case EMIT_COMPLETE:
    case EMIT_UPDATE: {
      if (op != ED_ROW_INSERT) fail(c, "%s", "a change op outside CHANGES");
      if (sl_find(&c->batch_keys, key) >= 0)
        fail(c, "group %s written twice in one batch", key);
      sl_add(&c->batch_keys, key);
      if (c->mode == EMIT_COMPLETE) {
        sl_add(&c->cur, row);
        break;
      }
      int i = sl_find(&c->keys, key);
      if (i < 0) {
        sl_add(&c->keys, key);
        sl_add(&c->rows, row);
      } else {
        free(c->rows.v[i]);
        c->rows.v[i] = ed_strdup(row);
      }
      break;
    }
    case EMIT_CHANGES: {
      if (op == ED_ROW_UPDATE_BEFORE || op == ED_ROW_DELETE) {
        int i = sl_find(&c->table, row);
        if (i < 0) fail(c, "-U/-D of a row not in the table: %s", row);
        else sl_remove(&c->table, i);
      } else {
        sl_add(&c->table, row);
      }
      break;
    }
    default: break;
  }
}

static int col_write(EdSink *s, const EdBatch *b) {
  Collect *c = (Collect *)s;
  int n = ed_batch_count(b);
  s->rows_written += n;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    char key[512] = "", row[1024] = "";
    for (int col = 0; col < b->ncols; col++) {
      EdValue v;
      ed_batch_get(b, col, i, &v);
      if (col == c->q->window_col && !v.is_null &&
          v.u.w.end - v.u.w.start != c->q->window_us)
        fail(c, "%s", "a window whose length is not the window size");
      put_value(row, sizeof row, &v);
      if (col < c->q->nkeys) put_value(key, sizeof key, &v);
    }
    col_row(c, key, row, b->ops ? b->ops[i] : ED_ROW_INSERT);
  }
  return 0;
}

static int col_end(EdSink *s) {
  (void)s;
  return 0;
}

static void col_destroy(EdSink *s) { (void)s; }

static void collect_init(Collect *c, EdEmitMode mode, const Query *q) {
  memset(c, 0, sizeof *c);
  c->base.begin = col_begin;
  c->base.write = col_write;
  c->base.end = col_end;
  c->base.destroy = col_destroy;
  c->base.begin_batch = col_begin_batch;
  c->base.end_batch = col_end_batch;
  c->mode = mode;
  c->q = q;
}

/* The result the mode's rows add up to. */
static StrList *collect_result(Collect *c) {
  switch (c->mode) {
    case EMIT_COMPLETE: return &c->last;
    case EMIT_UPDATE: return &c->rows;
    default: return &c->table;
  }
}

static void collect_free(Collect *c) {
  sl_free(&c->cur);
  sl_free(&c->last);
  sl_free(&c->keys);
  sl_free(&c->rows);
  sl_free(&c->table);
  sl_free(&c->batch_keys);
}

/* ------------------------------------------------------------- SQLite */

/* The reference: the query over all rows in SQLite, rendered as the sink
** renders eddy's rows. */
static int sqlite_result(const Data *d, const Query *q, StrList *out) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return -1;
  sqlite3_exec(db, "CREATE TABLE s (ts INTEGER, k TEXT, g INTEGER, "
                   "v INTEGER)", NULL, NULL, NULL);
  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO s VALUES (?, ?, ?, ?)", -1, &ins, NULL);
  for (int i = 0; i < d->nrows; i++) {
    const Row *w = &d->rows[i];
    char k[2] = {(char)('a' + w->k), 0};
    sqlite3_bind_int64(ins, 1, w->ts_us);
    sqlite3_bind_text(ins, 2, k, 1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, w->g);
    if (w->v_null) sqlite3_bind_null(ins, 4);
    else sqlite3_bind_int64(ins, 4, w->v);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, q->sqlite, -1, &st, NULL) != SQLITE_OK) {
    printf("# sqlite: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    return -1;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    char row[1024] = "";
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      EdValue v;
      memset(&v, 0, sizeof v);
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: v.is_null = true; break;
        case SQLITE_INTEGER:
          v.type = ED_T_BIGINT;
          v.u.i = sqlite3_column_int64(st, c);
          break;
        case SQLITE_FLOAT:
          v.type = ED_T_DOUBLE;
          v.u.d = sqlite3_column_double(st, c);
          break;
        default:
          v.type = ED_T_VARCHAR;
          v.u.s.ptr = (const char *)sqlite3_column_text(st, c);
          v.u.s.len = (uint32_t)sqlite3_column_bytes(st, c);
          break;
      }
      put_value(row, sizeof row, &v);
    }
    sl_add(out, row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}

/* ---------------------------------------------------------------- runs */

/* "INSERT INTO s VALUES (...), ...;" for rows [from, to). */
static void insert_sql(const Data *d, int from, int to, char *buf,
                       size_t cap) {
  snprintf(buf, cap, "INSERT INTO s VALUES ");
  for (int i = from; i < to; i++) {
    const Row *w = &d->rows[i];
    time_t secs = (time_t)(w->ts_us / ED_USEC_PER_SEC);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
    char v[24];
    if (w->v_null) snprintf(v, sizeof v, "NULL");
    else snprintf(v, sizeof v, "%" PRId64, w->v);
    cat(buf, cap, "%s('%s.%06d', '%c', %" PRId64 ", %s)", i > from ? ", " : "",
        ts, (int)(w->ts_us % ED_USEC_PER_SEC), 'a' + w->k, w->g, v);
  }
  cat(buf, cap, ";");
}

static const char *mode_word(EdEmitMode m) {
  return m == EMIT_COMPLETE ? "COMPLETE" : m == EMIT_UPDATE ? "UPDATE"
                                                            : "CHANGES";
}

/* Runs q in mode over d's batches and checks the result against ref. */
static void check_mode(const Data *d, const Query *q, EdEmitMode mode,
                       StrList *ref, int seed, int qi) {
  eddy_session *s = eddy_open();
  Collect c;
  collect_init(&c, mode, q);
  EdError err;
  char sql[2048], name[160];
  snprintf(name, sizeof name, "seed %d query %d %s: ", seed, qi,
           mode_word(mode));
  int rc = ed_session_exec(s, "CREATE STREAM s (ts TIMESTAMP, k VARCHAR, "
                              "g BIGINT, v BIGINT);", &err);
  snprintf(sql, sizeof sql, "%s EMIT %s;", q->eddy, mode_word(mode));
  if (rc == 0) rc = ed_session_run(s, sql, &c.base, &err);
  for (int b = 0, from = 0; rc == 0 && b < d->nbatches; b++) {
    char ins[16384];
    insert_sql(d, from, d->batch_end[b], ins, sizeof ins);
    rc = ed_session_exec(s, ins, &err);
    from = d->batch_end[b];
  }
  if (rc == 0 && eddy_finish(s) != EDDY_OK) {
    rc = -1;
    snprintf(err.msg, sizeof err.msg, "%s", eddy_errmsg(s));
  }
  char what[512];
  snprintf(what, sizeof what, "%sthe run succeeds", name);
  if (!TAP_OK(rc == 0, what)) printf("#   %s\n#   %s\n", sql, err.msg);
  snprintf(what, sizeof what, "%severy batch's rows obey the mode", name);
  if (!TAP_OK(!c.error[0], what)) printf("#   %s\n#   %s\n", sql, c.error);
  StrList *got = collect_result(&c);
  snprintf(what, sizeof what, "%sresult == SQLite's (%d groups, %d batches)",
           name, ref->n, c.batches);
  if (!TAP_OK(rc == 0 && sl_same(got, ref), what)) {
    printf("#   %s\n#   %s\n", sql, q->sqlite);
    for (int i = 0; i < got->n && i < 8; i++)
      printf("#   got  %s\n", got->v[i]);
    for (int i = 0; i < ref->n && i < 8; i++)
      printf("#   want %s\n", ref->v[i]);
  }
  eddy_close(s);
  collect_free(&c);
}

int main(void) {
  static const int seeds[] = {1, 7, 42, 99, 2024, 4242, 31337, 65521,
                              99991, 123457};
  static const EdEmitMode modes[] = {EMIT_COMPLETE, EMIT_UPDATE,
                                     EMIT_CHANGES};
  for (size_t si = 0; si < sizeof seeds / sizeof *seeds; si++) {
    Rng r = {(uint64_t)seeds[si] * UINT64_C(0x9E3779B97F4A7C15) + 1};
    Data *d = ed_calloc(1, sizeof *d);
    gen_data(&r, d);
    for (int qi = 0; qi < 6; qi++) {
      Query q;
      gen_query(&r, &q);
      printf("# seed %d query %d: %s\n", seeds[si], qi, q.eddy);
      StrList ref = {0};
      if (!TAP_OK(sqlite_result(d, &q, &ref) == 0, "SQLite runs the query"))
        printf("#   %s\n", q.sqlite);
      for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
        check_mode(d, &q, modes[m], &ref, seeds[si], qi);
      sl_free(&ref);
    }
    free(d);
  }
  return tap_done();
}
