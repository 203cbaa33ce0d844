/*
** tests/unit/ops/harness.c — see harness.h.
*/
#include "harness.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static EdArena arena;
static EdTable **tables;
static int ntables;
static uint64_t rng = 88172645463325252ull;

uint64_t h_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

void h_init(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    fprintf(stderr, "cannot open sqlite\n");
    exit(1);
  }
  ed_arena_init(&arena, 64 * 1024);
}

void h_done(void) {
  for (int i = 0; i < ntables; i++) ed_table_free(tables[i]);
  free(tables);
  ed_arena_free(&arena);
  sqlite3_close(db);
}

EdArena *h_arena(void) { return &arena; }

/* ------------------------------------------------------------ tables */

static const char *sql_type(EdType t) {
  switch (t) {
    case ED_T_DOUBLE: return "REAL";
    case ED_T_VARCHAR: return "TEXT";
    default: return "INTEGER";
  }
}

static void exec_sql(const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "sqlite: %s: %s\n", sql, msg);
    exit(1);
  }
}

EdTable *h_table(const char *name, int ncols, const char *const *names,
                 const EdType *types) {
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup(name);
  t->kind = OBJ_TABLE;
  t->connector = ed_strdup("memory");
  t->wm_col = -1;
  ed_schema_init(&t->schema, ncols);
  char sql[1024];
  int n = snprintf(sql, sizeof sql, "CREATE TABLE %s (", name);
  for (int i = 0; i < ncols; i++) {
    t->schema.cols[i].name = ed_strdup(names[i]);
    t->schema.cols[i].type = types[i];
    t->schema.cols[i].table = ed_strdup(name);
    n += snprintf(sql + n, sizeof sql - (size_t)n, "%s%s %s", i ? ", " : "",
                  names[i], sql_type(types[i]));
  }
  snprintf(sql + n, sizeof sql - (size_t)n, ")");
  exec_sql(sql);
  t->mem = ed_memtable_new(&t->schema);
  tables = ed_realloc(tables, sizeof(EdTable *) * (size_t)(ntables + 1));
  tables[ntables++] = t;
  return t;
}

void h_row(EdTable *t, const EdValue *vals) {
  ed_memtable_append_row(t->mem, vals);
  char sql[256];
  int n = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", t->name);
  for (int i = 0; i < t->schema.ncols; i++)
    n += snprintf(sql + n, sizeof sql - (size_t)n, "%s?", i ? "," : "");
  snprintf(sql + n, sizeof sql - (size_t)n, ")");
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "sqlite prepare: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  for (int i = 0; i < t->schema.ncols; i++) {
    const EdValue *v = &vals[i];
    if (v->is_null) sqlite3_bind_null(st, i + 1);
    else if (v->type == ED_T_DOUBLE) sqlite3_bind_double(st, i + 1, v->u.d);
    else if (v->type == ED_T_VARCHAR)
      sqlite3_bind_text(st, i + 1, v->u.s.ptr, (int)v->u.s.len,
                        SQLITE_TRANSIENT);
    else if (v->type == ED_T_BOOL) sqlite3_bind_int64(st, i + 1, v->u.b);
    else sqlite3_bind_int64(st, i + 1, v->u.i);
  }
  if (sqlite3_step(st) != SQLITE_DONE) {
    fprintf(stderr, "sqlite insert: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  sqlite3_finalize(st);
}

/* ------------------------------------------------------------ values */

EdValue h_null(EdType t) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = t;
  v.is_null = true;
  return v;
}

static EdValue val(EdType t) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = t;
  return v;
}

EdValue h_i(int64_t x) { EdValue v = val(ED_T_BIGINT); v.u.i = x; return v; }
EdValue h_d(double x) { EdValue v = val(ED_T_DOUBLE); v.u.d = x; return v; }
EdValue h_b(bool x) { EdValue v = val(ED_T_BOOL); v.u.b = x; return v; }
EdValue h_ts(int64_t x) {
  EdValue v = val(ED_T_TIMESTAMP);
  v.u.i = x;
  return v;
}
EdValue h_s(const char *s) {
  EdValue v = val(ED_T_VARCHAR);
  size_t n = strlen(s);
  v.u.s.ptr = ed_arena_strndup(&arena, s, n);
  v.u.s.len = (uint32_t)n;
  return v;
}

/* ------------------------------------------------------------ plans */

static EdExpr *expr(EdExprKind kind, EdType t) {
  EdExpr *e = ed_arena_alloc(&arena, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->type = t;
  return e;
}

EdExpr *h_col(int i, EdType t) {
  EdExpr *e = expr(EXPR_COLREF, t);
  e->col = i;
  return e;
}

EdExpr *h_const(EdValue v) {
  EdExpr *e = expr(EXPR_CONST, v.is_null ? ED_T_NULL : v.type);
  e->value = v;
  return e;
}

EdExpr *h_op(EdAstOp op, EdType t, EdExpr *a, EdExpr *b) {
  EdExpr *e = expr(EXPR_OP, t);
  e->op = op;
  e->nargs = b ? 2 : 1;
  e->args = ed_arena_alloc(&arena, sizeof(EdExpr *) * 2);
  e->args[0] = a;
  e->args[1] = b;
  return e;
}

EdPlan *h_node(EdPlanKind kind, EdPhysKind phys, EdPlan *left,
               EdPlan *right) {
  EdPlan *p = ed_arena_alloc(&arena, sizeof *p);
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->phys = phys;
  p->left = left;
  p->right = right;
  p->limit = -1;
  return p;
}

void h_schema(EdPlan *p, int n, const EdType *types) {
  p->schema.ncols = n;
  p->schema.cols = ed_arena_alloc(&arena, sizeof(EdColumn) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    p->schema.cols[i].name = ed_arena_printf(&arena, "c%d", i);
    p->schema.cols[i].type = types[i];
    p->schema.cols[i].table = NULL;
  }
}

void h_schema_like(EdPlan *p, const EdPlan *from) {
  p->schema = from->schema;
}

void h_schema_join(EdPlan *p) {
  int nl = p->left->schema.ncols, nr = p->right->schema.ncols;
  EdType types[64];
  for (int i = 0; i < nl; i++) types[i] = p->left->schema.cols[i].type;
  for (int i = 0; i < nr; i++) types[nl + i] = p->right->schema.cols[i].type;
  h_schema(p, nl + nr, types);
}

EdPlan *h_scan(EdTable *t) {
  EdPlan *p = h_node(PLAN_SCAN, PHYS_TABLE_SCAN, NULL, NULL);
  p->table = t;
  p->schema = t->schema;
  return p;
}

/* ------------------------------------------------------------ rows */

static void rows_add(HRows *r, const char *s, size_t n) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 256;
    r->rows = ed_realloc(r->rows, sizeof(char *) * (size_t)r->cap);
  }
  char *copy = ed_malloc(n + 1);
  memcpy(copy, s, n);
  copy[n] = 0;
  r->rows[r->n++] = copy;
}

void h_rows_free(HRows *r) {
  for (int i = 0; i < r->n; i++) free(r->rows[i]);
  free(r->rows);
  memset(r, 0, sizeof *r);
}

/* A growable text buffer for one row. */
typedef struct Buf {
  char *p;
  size_t n, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 256;
    b->p = ed_realloc(b->p, b->cap);
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void buf_fmt(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void buf_fmt(Buf *b, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  buf_add(b, tmp, (size_t)n);
}

/* The collecting sink. */
typedef struct CollectSink {
  EdSink base;
  HRows *rows;
  Buf buf;
  int begun, ended;
} CollectSink;

static int collect_begin(EdSink *s, const EdSchema *schema) {
  (void)schema;
  ((CollectSink *)s)->begun++;
  return 0;
}

static int collect_write(EdSink *s, const EdBatch *b) {
  CollectSink *c = (CollectSink *)s;
  int n = ed_batch_count(b);
  for (int k = 0; k < n; k++) {
    int p = ed_batch_row(b, k);
    c->buf.n = 0;
    for (int col = 0; col < b->ncols; col++) {
      if (col) buf_add(&c->buf, "|", 1);
      EdValue v;
      ed_batch_get(b, col, p, &v);
      if (v.is_null) buf_add(&c->buf, "NULL", 4);
      else if (v.type == ED_T_DOUBLE) buf_fmt(&c->buf, "%.12g", v.u.d);
      else if (v.type == ED_T_VARCHAR) buf_add(&c->buf, v.u.s.ptr, v.u.s.len);
      else if (v.type == ED_T_BOOL) buf_fmt(&c->buf, "%d", v.u.b ? 1 : 0);
      else buf_fmt(&c->buf, "%" PRId64, v.u.i);
    }
    rows_add(c->rows, c->buf.p ? c->buf.p : "", c->buf.n);
  }
  s->rows_written += n;
  return 0;
}

static int collect_end(EdSink *s) {
  ((CollectSink *)s)->ended++;
  return 0;
}

static void collect_destroy(EdSink *s) {
  free(((CollectSink *)s)->buf.p);
}

int h_run(EdPlan *plan, HRows *out, EdError *err, EdOpStats **stats,
          int *nstats) {
  CollectSink sink;
  memset(&sink, 0, sizeof sink);
  sink.base.begin = collect_begin;
  sink.base.write = collect_write;
  sink.base.end = collect_end;
  sink.base.destroy = collect_destroy;
  sink.rows = out;
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = &arena;
  int rc = ed_exec_run(&ctx, plan, &sink.base, stats, nstats);
  if (err) *err = ctx.err;
  if (rc == 0 && (sink.begun != 1 || sink.ended != 1)) {
    fprintf(stderr, "# sink begun %d ended %d times\n", sink.begun,
            sink.ended);
    rc = -2;
  }
  collect_destroy(&sink.base);
  return rc;
}

int h_sql(const char *sql, HRows *out, char *errbuf, int errcap) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(errbuf, (size_t)errcap, "%s", sqlite3_errmsg(db));
    return -1;
  }
  Buf buf = {0};
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    buf.n = 0;
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      if (c) buf_add(&buf, "|", 1);
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: buf_add(&buf, "NULL", 4); break;
        case SQLITE_INTEGER:
          buf_fmt(&buf, "%lld", (long long)sqlite3_column_int64(st, c));
          break;
        case SQLITE_FLOAT:
          buf_fmt(&buf, "%.12g", sqlite3_column_double(st, c));
          break;
        default:
          buf_add(&buf, (const char *)sqlite3_column_text(st, c),
                  (size_t)sqlite3_column_bytes(st, c));
      }
    }
    rows_add(out, buf.p ? buf.p : "", buf.n);
  }
  free(buf.p);
  int ret = 0;
  if (rc != SQLITE_DONE) {
    snprintf(errbuf, (size_t)errcap, "%s", sqlite3_errmsg(db));
    ret = -1;
  }
  sqlite3_finalize(st);
  return ret;
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool h_check(const char *name, HRows *got, HRows *want, bool ordered) {
  if (!ordered && got->n > 1)
    qsort(got->rows, (size_t)got->n, sizeof(char *), str_cmp);
  if (!ordered && want->n > 1)
    qsort(want->rows, (size_t)want->n, sizeof(char *), str_cmp);
  int diff = -1;
  for (int i = 0; i < got->n && i < want->n && diff < 0; i++)
    if (strcmp(got->rows[i], want->rows[i]) != 0) diff = i;
  if (diff < 0 && got->n != want->n)
    diff = got->n < want->n ? got->n : want->n;
  if (diff < 0) return true;
  printf("# %s: rows: got %d, want %d\n", name, got->n, want->n);
  printf("#   first difference at row %d:\n#     got  %s\n#     want %s\n",
         diff, diff < got->n ? got->rows[diff] : "(none)",
         diff < want->n ? want->rows[diff] : "(none)");
  return false;
}

bool h_compare(const char *name, EdPlan *plan, const char *sql,
               bool ordered) {
  HRows got = {0}, want = {0};
  EdError err;
  char sqlerr[256];
  bool ok = false;
  int rc = h_run(plan, &got, &err, NULL, NULL);
  if (rc != 0)
    printf("# %s: eddy failed: %s\n", name, err.msg);
  else if (h_sql(sql, &want, sqlerr, sizeof sqlerr) != 0)
    printf("# %s: sqlite failed: %s\n", name, sqlerr);
  else
    ok = h_check(name, &got, &want, ordered);
  h_rows_free(&got);
  h_rows_free(&want);
  return ok;
}

/* ------------------------------------------------------------ data */

const EdType h_t1_types[6] = {ED_T_BIGINT, ED_T_BIGINT, ED_T_VARCHAR,
                              ED_T_DOUBLE, ED_T_TIMESTAMP, ED_T_BOOL};
const EdType h_t2_types[3] = {ED_T_BIGINT, ED_T_VARCHAR, ED_T_DOUBLE};
const EdType h_u_types[2] = {ED_T_BIGINT, ED_T_VARCHAR};

static bool chance(int percent) { return (int)(h_rand() % 100) < percent; }

/* A string from a small vocabulary with shared prefixes and ''. */
static EdValue some_string(const char *const *stems, int nstems, int spread) {
  char buf[32];
  int r = (int)(h_rand() % (uint64_t)spread);
  if (r == 0) return h_s("");
  snprintf(buf, sizeof buf, "%s%d", stems[r % nstems], r / nstems);
  return h_s(buf);
}

static void fill_t1(EdTable *t) {
  static const char *stems[] = {"ab", "abc", "abcd", "b", "Zed", "zz"};
  for (int i = 0; i < 10000; i++) {
    EdValue row[6];
    row[0] = h_i(i);
    int64_t k = (int64_t)(h_rand() % 3000);
    if (i < 2048 && i % 34 == 3) k = 7;   /* 60 rows of key 7 */
    row[1] = chance(5) ? h_null(ED_T_BIGINT) : h_i(k);
    row[2] = chance(5) ? h_null(ED_T_VARCHAR) : some_string(stems, 6, 500);
    double d = (double)((int)(h_rand() % 2001) - 1000) / 4.0;
    row[3] = (k % 97 == 0 || chance(5)) ? h_null(ED_T_DOUBLE) : h_d(d);
    int64_t ts = INT64_C(1700000000000000) +
                 (int64_t)(h_rand() % 100000) * INT64_C(1000000);
    row[4] = chance(3) ? h_null(ED_T_TIMESTAMP) : h_ts(ts);
    row[5] = chance(10) ? h_null(ED_T_BOOL) : h_b(h_rand() % 2);
    h_row(t, row);
  }
}

static void fill_t2(EdTable *t) {
  static const char *stems[] = {"n", "nm", "name"};
  for (int i = 0; i < 3000; i++) {
    EdValue row[3];
    int64_t k = (int64_t)(h_rand() % 4000);
    if (i % 20 == 5) k = 7;               /* 150 rows of key 7 */
    row[0] = chance(3) ? h_null(ED_T_BIGINT) : h_i(k);
    row[1] = chance(5) ? h_null(ED_T_VARCHAR) : some_string(stems, 3, 300);
    double v = (double)((int)(h_rand() % 400)) / 2.0 - 100;
    row[2] = chance(5) ? h_null(ED_T_DOUBLE) : h_d(v);
    h_row(t, row);
  }
}

static void fill_u(EdTable *t, int n, int lo, int hi) {
  static const char *stems[] = {"x", "y"};
  for (int i = 0; i < n; i++) {
    EdValue row[2];
    row[0] = chance(8) ? h_null(ED_T_BIGINT)
                       : h_i(lo + (int64_t)(h_rand() % (uint64_t)(hi - lo)));
    row[1] = chance(8) ? h_null(ED_T_VARCHAR) : some_string(stems, 2, 6);
    h_row(t, row);
  }
}

void h_std_data(HData *d) {
  static const char *t1n[] = {"id", "k", "s", "d", "ts", "b"};
  static const char *t2n[] = {"k", "name", "v"};
  static const char *un[] = {"a", "s"};
  d->t1 = h_table("t1", 6, t1n, h_t1_types);
  d->t2 = h_table("t2", 3, t2n, h_t2_types);
  d->e1 = h_table("e1", 6, t1n, h_t1_types);
  d->e2 = h_table("e2", 3, t2n, h_t2_types);
  d->u1 = h_table("u1", 2, un, h_u_types);
  d->u2 = h_table("u2", 2, un, h_u_types);
  exec_sql("BEGIN");
  fill_t1(d->t1);
  fill_t2(d->t2);
  fill_u(d->u1, 400, 0, 50);
  fill_u(d->u2, 300, -10, 50);
  exec_sql("COMMIT");
}
