/*
** tests/unit/ops/test_sort_set.c — sort (full and top-N), limit/offset,
** distinct, UNION ALL and the distinct set operations against SQLite, and
** the executor's own duties: leaves at the root, zero-column VALUES,
** interrupts, errors.
*/
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tests/unit/tap.h"

static HData D;

static EdSortKey key(EdExpr *e, bool desc, bool nulls_first) {
  EdSortKey k = {e, desc, nulls_first};
  return k;
}

static EdPlan *mk_sort(EdPlan *in, int n, const EdSortKey *keys,
                       int64_t limit, int64_t offset) {
  EdPlan *p = h_node(PLAN_SORT, PHYS_SORT, in, NULL);
  p->nsort = n;
  p->sort = ed_arena_alloc(h_arena(), sizeof(EdSortKey) * (size_t)n);
  if (n) memcpy(p->sort, keys, sizeof(EdSortKey) * (size_t)n);
  p->limit = limit;
  p->offset = offset;
  h_schema_like(p, in);
  return p;
}

static EdPlan *mk_limit(EdPlan *in, int64_t limit, int64_t offset) {
  EdPlan *p = h_node(PLAN_LIMIT, PHYS_LIMIT, in, NULL);
  p->limit = limit;
  p->offset = offset;
  h_schema_like(p, in);
  return p;
}

/* SELECT exprs FROM in */
static EdPlan *mk_project(EdPlan *in, int n, EdExpr **exprs) {
  EdPlan *p = h_node(PLAN_PROJECT, PHYS_PROJECT, in, NULL);
  p->nexprs = n;
  p->exprs = ed_arena_alloc(h_arena(), sizeof(EdExpr *) * (size_t)n);
  EdType types[16];
  for (int i = 0; i < n; i++) {
    p->exprs[i] = exprs[i];
    types[i] = exprs[i]->type;
  }
  h_schema(p, n, types);
  return p;
}

static EdPlan *mk_setop(EdSetOp op, EdPlan *l, EdPlan *r) {
  EdPlan *p = h_node(PLAN_SETOP,
                     op == SETOP_UNION_ALL ? PHYS_UNION_ALL : PHYS_HASH_SETOP,
                     l, r);
  p->setop = op;
  h_schema_like(p, l);
  return p;
}

#define T1_ID h_col(0, ED_T_BIGINT)
#define T1_K h_col(1, ED_T_BIGINT)
#define T1_S h_col(2, ED_T_VARCHAR)
#define T1_D h_col(3, ED_T_DOUBLE)
#define T1_TS h_col(4, ED_T_TIMESTAMP)
#define T1_B h_col(5, ED_T_BOOL)

static void test_sort(void) {
  EdSortKey s1[] = {key(T1_S, false, true)};
  TAP_OK(h_compare("sort by s", mk_sort(h_scan(D.t1), 1, s1, -1, 0),
                   "SELECT * FROM t1 ORDER BY s, id", true),
         "sort by VARCHAR, NULLs first, byte order, stable");
  EdSortKey s2[] = {key(T1_D, true, false), key(T1_K, false, false)};
  TAP_OK(h_compare("sort by d desc, k",
                   mk_sort(h_scan(D.t1), 2, s2, -1, 0),
                   "SELECT * FROM t1 ORDER BY d DESC NULLS LAST, "
                   "k NULLS LAST, id",
                   true),
         "sort by DOUBLE DESC NULLS LAST, BIGINT NULLS LAST");
  EdSortKey s3[] = {key(T1_B, false, true), key(T1_TS, true, true)};
  TAP_OK(h_compare("sort by b, ts desc",
                   mk_sort(h_scan(D.t1), 2, s3, -1, 0),
                   "SELECT * FROM t1 ORDER BY b NULLS FIRST, "
                   "ts DESC NULLS FIRST, id",
                   true),
         "sort by BOOLEAN, TIMESTAMP DESC NULLS FIRST");
  EdExpr *mod = h_op(OP_MOD, ED_T_BIGINT, T1_K, h_const(h_i(10)));
  EdSortKey s4[] = {key(mod, true, false), key(T1_S, false, true)};
  TAP_OK(h_compare("sort by computed key",
                   mk_sort(h_scan(D.t1), 2, s4, -1, 0),
                   "SELECT * FROM t1 ORDER BY k % 10 DESC NULLS LAST, s, id",
                   true),
         "sort by a computed key");
  HRows got = {0};
  h_run(mk_sort(h_scan(D.e1), 1, s1, -1, 0), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "sort of empty input");
  h_rows_free(&got);
}

static void test_topn(void) {
  EdSortKey s1[] = {key(T1_S, true, false)};
  TAP_OK(h_compare("top-n",
                   mk_limit(mk_sort(h_scan(D.t1), 1, s1, 25, 10), 25, 10),
                   "SELECT * FROM t1 ORDER BY s DESC, id LIMIT 25 OFFSET 10",
                   true),
         "top-N with offset (ties keep arrival order)");
  HRows got = {0};
  h_run(mk_sort(h_scan(D.t1), 1, s1, 25, 10), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 35, "top-N sort alone keeps limit + offset rows");
  h_rows_free(&got);
  EdSortKey s2[] = {key(T1_ID, true, false)};
  TAP_OK(h_compare("top-n, every row accepted",
                   mk_sort(h_scan(D.t1), 1, s2, 5, 0),
                   "SELECT * FROM t1 ORDER BY id DESC LIMIT 5", true),
         "top-N over ascending input (store compaction)");
  EdSortKey s3[] = {key(T1_D, false, true), key(T1_K, true, false)};
  TAP_OK(h_compare("top-n 3000",
                   mk_sort(h_scan(D.t1), 2, s3, 3000, 0),
                   "SELECT * FROM t1 ORDER BY d, k DESC NULLS LAST, id "
                   "LIMIT 3000",
                   true),
         "top-N larger than a batch");
  TAP_OK(h_compare("top-n more than input",
                   mk_sort(h_scan(D.t1), 2, s3, 20000, 0),
                   "SELECT * FROM t1 ORDER BY d, k DESC NULLS LAST, id",
                   true),
         "top-N with limit beyond the input");
  h_run(mk_sort(h_scan(D.t1), 1, s1, 0, 0), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "top-0");
  h_rows_free(&got);
}

static void test_limit(void) {
  TAP_OK(h_compare("limit offset", mk_limit(h_scan(D.t1), 100, 2040),
                   "SELECT * FROM t1 LIMIT 100 OFFSET 2040", true),
         "limit/offset across a batch boundary, scan order");
  TAP_OK(h_compare("offset only", mk_limit(h_scan(D.t1), -1, 9990),
                   "SELECT * FROM t1 LIMIT -1 OFFSET 9990", true),
         "offset without limit");
  HRows got = {0};
  h_run(mk_limit(h_scan(D.t1), 0, 0), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "limit 0");
  h_rows_free(&got);
  h_run(mk_limit(h_scan(D.t1), 10, 20000), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "offset past the end");
  h_rows_free(&got);
  /* A satisfied LIMIT stops the scans below it. */
  EdOpStats *st = NULL;
  int ns = 0;
  EdPlan *l10 = mk_limit(h_scan(D.t1), 10, 0);
  h_run(l10, &got, NULL, &st, &ns);
  TAP_EQ_INT(got.n, 10, "limit 10");
  TAP_EQ_INT(ns == 2 ? st[1].rows_out : -1, ED_BATCH_CAP,
             "limit 10: the scan stops after its first batch");
  free(st);
  h_rows_free(&got);
  EdPlan *lu = mk_limit(mk_setop(SETOP_UNION_ALL, h_scan(D.t1),
                                 h_scan(D.t1)),
                        5, 0);
  h_run(lu, &got, NULL, &st, &ns);
  TAP_EQ_INT(got.n, 5, "limit over union all");
  TAP_OK(ns == 4 && st[3].node == lu->left->right && st[3].rows_out == 0,
         "limit over union all: the right input is never scanned");
  free(st);
  h_rows_free(&got);
  EdPlan *f = h_node(PLAN_FILTER, PHYS_FILTER, h_scan(D.t1), NULL);
  f->pred = h_op(OP_GT, ED_T_BOOL, T1_K, h_const(h_i(1500)));
  h_schema_like(f, f->left);
  TAP_OK(h_compare("limit over filter", mk_limit(f, 3000, 30),
                   "SELECT * FROM t1 WHERE k > 1500 LIMIT 3000 OFFSET 30",
                   true),
         "limit over a filtered (selection vector) input");
}

static void test_distinct(void) {
  EdPlan *d = h_node(PLAN_DISTINCT, PHYS_HASH_DISTINCT, h_scan(D.u1), NULL);
  h_schema_like(d, d->left);
  TAP_OK(h_compare("distinct u1", d,
                   "SELECT a, s FROM u1 GROUP BY a, s ORDER BY min(rowid)",
                   true),
         "distinct rows in order of first appearance (NULLs equal)");
  EdExpr *ks[] = {T1_K, T1_B};
  d = h_node(PLAN_DISTINCT, PHYS_HASH_DISTINCT,
             mk_project(h_scan(D.t1), 2, ks), NULL);
  h_schema_like(d, d->left);
  TAP_OK(h_compare("distinct k, b", d,
                   "SELECT k, b FROM t1 GROUP BY k, b ORDER BY min(id)",
                   true),
         "distinct over many rows and batches");
  d = h_node(PLAN_DISTINCT, PHYS_HASH_DISTINCT, h_scan(D.e1), NULL);
  h_schema_like(d, d->left);
  HRows got = {0};
  h_run(d, &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "distinct of empty input");
  h_rows_free(&got);
}

static void test_setops(void) {
  TAP_OK(h_compare("union all",
                   mk_setop(SETOP_UNION_ALL, h_scan(D.u1), h_scan(D.u2)),
                   "SELECT * FROM u1 UNION ALL SELECT * FROM u2", true),
         "UNION ALL: left rows then right rows");
  TAP_OK(h_compare("union all big",
                   mk_setop(SETOP_UNION_ALL, h_scan(D.t1), h_scan(D.e1)),
                   "SELECT * FROM t1 UNION ALL SELECT * FROM e1", true),
         "UNION ALL with an empty side");
  TAP_OK(h_compare("union", mk_setop(SETOP_UNION, h_scan(D.u1), h_scan(D.u2)),
                   "SELECT * FROM u1 UNION SELECT * FROM u2", false),
         "UNION");
  TAP_OK(h_compare("except",
                   mk_setop(SETOP_EXCEPT, h_scan(D.u1), h_scan(D.u2)),
                   "SELECT * FROM u1 EXCEPT SELECT * FROM u2", false),
         "EXCEPT");
  TAP_OK(h_compare("intersect",
                   mk_setop(SETOP_INTERSECT, h_scan(D.u1), h_scan(D.u2)),
                   "SELECT * FROM u1 INTERSECT SELECT * FROM u2", false),
         "INTERSECT");
  EdExpr *e2c[] = {h_col(0, ED_T_BIGINT), h_col(1, ED_T_VARCHAR)};
  EdExpr *e1c[] = {T1_ID, T1_S};
  TAP_OK(h_compare("except empty",
                   mk_setop(SETOP_EXCEPT, h_scan(D.u1),
                            mk_project(h_scan(D.e2), 2, e2c)),
                   "SELECT * FROM u1 EXCEPT SELECT k, name FROM e2", false),
         "EXCEPT an empty set: the distinct left rows");
  TAP_OK(h_compare("intersect empty",
                   mk_setop(SETOP_INTERSECT,
                            mk_project(h_scan(D.e1), 2, e1c), h_scan(D.u2)),
                   "SELECT id, s FROM e1 INTERSECT SELECT * FROM u2", false),
         "INTERSECT with an empty left side");
  EdExpr *k1[] = {T1_K}, *k2[] = {h_col(0, ED_T_BIGINT)};
  TAP_OK(h_compare("union big",
                   mk_setop(SETOP_UNION, mk_project(h_scan(D.t1), 1, k1),
                            mk_project(h_scan(D.t2), 1, k2)),
                   "SELECT k FROM t1 UNION SELECT k FROM t2", false),
         "UNION with right-only rows over several batches");
  /* A BIGINT side under a DOUBLE result column is converted. */
  EdExpr *a[] = {h_col(0, ED_T_BIGINT)}, *v[] = {h_col(2, ED_T_DOUBLE)};
  EdPlan *u = mk_setop(SETOP_UNION, mk_project(h_scan(D.u1), 1, a),
                       mk_project(h_scan(D.t2), 1, v));
  h_schema_like(u, u->right);
  TAP_OK(h_compare("union converts", u,
                   "SELECT a FROM u1 UNION SELECT v FROM t2", false),
         "UNION of BIGINT and DOUBLE columns (1 equals 1.0)");
}

static void test_executor(void) {
  TAP_OK(h_compare("bare scan", h_scan(D.t1), "SELECT * FROM t1", true),
         "a scan at the root");
  EdPlan *v = h_node(PLAN_VALUES, PHYS_VALUES, NULL, NULL);
  v->nrows = 1;
  h_schema(v, 0, NULL);
  HRows got = {0};
  TAP_EQ_INT(h_run(v, &got, NULL, NULL, NULL), 0, "zero-column VALUES runs");
  TAP_EQ_INT(got.n, 1, "SELECT without FROM is one row");
  h_rows_free(&got);
  /* An error deep in the tree stops the run and frees everything. */
  EdPlan *bad = h_node(PLAN_JOIN, PHYS_NONE, h_scan(D.t1), h_scan(D.t2));
  h_schema_join(bad);
  EdError err;
  TAP_EQ_INT(h_run(mk_sort(bad, 0, NULL, -1, 0), &got, &err, NULL, NULL), -1,
             "a logical node cannot run");
  TAP_OK(strstr(err.msg, "not executable") != NULL,
         "error says the node is not executable");
  h_rows_free(&got);
}

/* A sink that interrupts the run after its first batch. */
typedef struct StopSink {
  EdSink base;
  EdExecCtx *ctx;
  int writes;
} StopSink;

static int stop_begin(EdSink *s, const EdSchema *sc) {
  (void)s;
  (void)sc;
  return 0;
}
static int stop_write(EdSink *s, const EdBatch *b) {
  (void)b;
  StopSink *st = (StopSink *)s;
  st->writes++;
  st->ctx->interrupted = 1;
  return 0;
}
static int stop_end(EdSink *s) {
  (void)s;
  return 0;
}

static void test_interrupt(void) {
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = h_arena();
  StopSink sink;
  memset(&sink, 0, sizeof sink);
  sink.base.begin = stop_begin;
  sink.base.write = stop_write;
  sink.base.end = stop_end;
  sink.ctx = &ctx;
  int rc = ed_exec_run(&ctx, h_scan(D.t1), &sink.base, NULL, NULL);
  TAP_EQ_INT(rc, -1, "an interrupted run fails");
  TAP_EQ_INT(sink.writes, 1, "no batch after the interrupt");
  TAP_OK(strstr(ctx.err.msg, "interrupted") != NULL,
         "the error says interrupted");
}

int main(void) {
  h_init();
  h_std_data(&D);
  test_sort();
  test_topn();
  test_limit();
  test_distinct();
  test_setops();
  test_executor();
  test_interrupt();
  h_done();
  return tap_done();
}
