/*
** tests/unit/ops/test_aggregate.c — hash aggregation against SQLite: group
** keys with NULLs, many groups, every aggregate function over every type,
** DISTINCT aggregates, no keys over empty and non-empty input, computed keys
** and arguments, integer overflow, and group output order.
*/
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tests/unit/tap.h"

static HData D;

static EdAggCall agg(EdAggFunc fn, bool distinct, EdExpr *arg, EdType t) {
  EdAggCall c = {fn, distinct, arg, t};
  return c;
}

/* An aggregate over in with the given keys and aggregate calls. */
static EdPlan *mk_agg(EdPlan *in, int nkeys, EdExpr **keys, int naggs,
                      const EdAggCall *aggs) {
  EdPlan *p = h_node(PLAN_AGGREGATE, PHYS_HASH_AGGREGATE, in, NULL);
  EdArena *a = h_arena();
  p->nexprs = nkeys;
  p->exprs = ed_arena_alloc(a, sizeof(EdExpr *) * (size_t)(nkeys + 1));
  if (nkeys) memcpy(p->exprs, keys, sizeof(EdExpr *) * (size_t)nkeys);
  p->naggs = naggs;
  p->aggs = ed_arena_alloc(a, sizeof(EdAggCall) * (size_t)(naggs + 1));
  memcpy(p->aggs, aggs, sizeof(EdAggCall) * (size_t)naggs);
  EdType types[64];
  for (int i = 0; i < nkeys; i++) types[i] = keys[i]->type;
  for (int i = 0; i < naggs; i++) types[nkeys + i] = aggs[i].type;
  h_schema(p, nkeys + naggs, types);
  return p;
}

#define T1_ID h_col(0, ED_T_BIGINT)
#define T1_K h_col(1, ED_T_BIGINT)
#define T1_S h_col(2, ED_T_VARCHAR)
#define T1_D h_col(3, ED_T_DOUBLE)
#define T1_TS h_col(4, ED_T_TIMESTAMP)
#define T1_B h_col(5, ED_T_BOOL)

/* Every function over every column type, grouped by a key with NULLs and
** ~3000 groups (more than one output batch). */
static void test_all_functions(void) {
  EdExpr *keys[] = {T1_K};
  EdAggCall aggs[] = {
      agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
      agg(AGG_COUNT, false, T1_S, ED_T_BIGINT),
      agg(AGG_COUNT, false, T1_D, ED_T_BIGINT),
      agg(AGG_SUM, false, T1_D, ED_T_DOUBLE),
      agg(AGG_AVG, false, T1_D, ED_T_DOUBLE),
      agg(AGG_SUM, false, T1_ID, ED_T_BIGINT),
      agg(AGG_AVG, false, T1_ID, ED_T_DOUBLE),
      agg(AGG_MIN, false, T1_S, ED_T_VARCHAR),
      agg(AGG_MAX, false, T1_S, ED_T_VARCHAR),
      agg(AGG_MIN, false, T1_TS, ED_T_TIMESTAMP),
      agg(AGG_MAX, false, T1_TS, ED_T_TIMESTAMP),
      agg(AGG_MIN, false, T1_D, ED_T_DOUBLE),
      agg(AGG_MAX, false, T1_D, ED_T_DOUBLE),
      agg(AGG_MIN, false, T1_B, ED_T_BOOL),
      agg(AGG_MAX, false, T1_B, ED_T_BOOL),
      agg(AGG_MIN, false, T1_ID, ED_T_BIGINT),
  };
  EdPlan *p = mk_agg(h_scan(D.t1), 1, keys, 16, aggs);
  const char *sql =
      "SELECT k, count(*), count(s), count(d), sum(d), avg(d), sum(id), "
      "avg(id), min(s), max(s), min(ts), max(ts), min(d), max(d), min(b), "
      "max(b), min(id) FROM t1 GROUP BY k";
  TAP_OK(h_compare("group by k: every aggregate function", p, sql, false),
         "group by k: every aggregate function");
  /* Groups come out in order of first appearance. */
  EdAggCall c[] = {agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT)};
  p = mk_agg(h_scan(D.t1), 1, keys, 1, c);
  TAP_OK(h_compare("groups in first-appearance order", p,
                   "SELECT k, count(*) FROM t1 GROUP BY k ORDER BY min(id)",
                   true),
         "groups in first-appearance order");
}

/* Two keys of other types (VARCHAR with '' and NULL, BOOLEAN). */
static void test_two_keys(void) {
  EdExpr *keys[] = {T1_S, T1_B};
  EdAggCall aggs[] = {agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
                      agg(AGG_SUM, false, T1_K, ED_T_BIGINT),
                      agg(AGG_MAX, false, T1_ID, ED_T_BIGINT)};
  EdPlan *p = mk_agg(h_scan(D.t1), 2, keys, 3, aggs);
  TAP_OK(h_compare("group by s, b", p,
                   "SELECT s, b, count(*), sum(k), max(id) FROM t1 "
                   "GROUP BY s, b",
                   false),
         "group by s, b");
  EdExpr *k2[] = {T1_TS};
  EdAggCall a2[] = {agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT)};
  p = mk_agg(h_scan(D.t1), 1, k2, 1, a2);
  TAP_OK(h_compare("group by a timestamp", p,
                   "SELECT ts, count(*) FROM t1 GROUP BY ts", false),
         "group by a timestamp");
  EdExpr *k3[] = {T1_ID};
  p = mk_agg(h_scan(D.t1), 1, k3, 1, a2);
  HRows got = {0};
  TAP_EQ_INT(h_run(p, &got, NULL, NULL, NULL), 0, "10000 groups run");
  TAP_EQ_INT(got.n, 10000, "10000 groups, five output batches");
  h_rows_free(&got);
}

/* Without keys: one row, also over empty input. */
static void test_no_keys(void) {
  EdAggCall aggs[] = {agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
                      agg(AGG_COUNT, false, T1_K, ED_T_BIGINT),
                      agg(AGG_SUM, false, T1_K, ED_T_BIGINT),
                      agg(AGG_AVG, false, T1_D, ED_T_DOUBLE),
                      agg(AGG_MIN, false, T1_S, ED_T_VARCHAR),
                      agg(AGG_MAX, false, T1_S, ED_T_VARCHAR),
                      agg(AGG_SUM, false, T1_D, ED_T_DOUBLE),
                      agg(AGG_MAX, false, T1_TS, ED_T_TIMESTAMP)};
  const char *sel = "SELECT count(*), count(k), sum(k), avg(d), min(s), "
                    "max(s), sum(d), max(ts) FROM ";
  char sql[256];
  snprintf(sql, sizeof sql, "%st1", sel);
  TAP_OK(h_compare("no keys", mk_agg(h_scan(D.t1), 0, NULL, 8, aggs), sql,
                   false),
         "no keys");
  snprintf(sql, sizeof sql, "%se1", sel);
  HRows got = {0};
  h_run(mk_agg(h_scan(D.e1), 0, NULL, 8, aggs), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 1, "no keys, empty input: exactly one row");
  TAP_EQ_STR(got.n ? got.rows[0] : NULL, "0|0|NULL|NULL|NULL|NULL|NULL|NULL",
             "no keys, empty input: count 0, others NULL");
  h_rows_free(&got);
  TAP_OK(h_compare("no keys, empty input (sqlite)",
                   mk_agg(h_scan(D.e1), 0, NULL, 8, aggs), sql, false),
         "no keys, empty input equals sqlite");
  EdExpr *keys[] = {T1_K};
  TAP_OK(h_compare("keys, empty input",
                   mk_agg(h_scan(D.e1), 1, keys, 1, aggs),
                   "SELECT k, count(*) FROM e1 GROUP BY k", false),
         "group by over empty input: no rows");
}

static void test_distinct(void) {
  EdExpr *keys[] = {T1_B};
  EdAggCall aggs[] = {agg(AGG_COUNT, true, T1_S, ED_T_BIGINT),
                      agg(AGG_SUM, true, T1_K, ED_T_BIGINT),
                      agg(AGG_AVG, true, T1_D, ED_T_DOUBLE),
                      agg(AGG_COUNT, true, T1_K, ED_T_BIGINT),
                      agg(AGG_MIN, true, T1_S, ED_T_VARCHAR),
                      agg(AGG_COUNT, false, T1_K, ED_T_BIGINT),
                      agg(AGG_SUM, true, T1_D, ED_T_DOUBLE)};
  TAP_OK(h_compare("distinct aggregates by b",
                   mk_agg(h_scan(D.t1), 1, keys, 7, aggs),
                   "SELECT b, count(DISTINCT s), sum(DISTINCT k), "
                   "avg(DISTINCT d), count(DISTINCT k), min(DISTINCT s), "
                   "count(k), sum(DISTINCT d) FROM t1 GROUP BY b",
                   false),
         "distinct aggregates by b");
  TAP_OK(h_compare("distinct aggregates, no keys",
                   mk_agg(h_scan(D.t1), 0, NULL, 7, aggs),
                   "SELECT count(DISTINCT s), sum(DISTINCT k), "
                   "avg(DISTINCT d), count(DISTINCT k), min(DISTINCT s), "
                   "count(k), sum(DISTINCT d) FROM t1",
                   false),
         "distinct aggregates, no keys");
  EdExpr *k2[] = {T1_K};
  EdAggCall a2[] = {agg(AGG_COUNT, true, T1_B, ED_T_BIGINT),
                    agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
                    agg(AGG_SUM, true, T1_D, ED_T_DOUBLE)};
  TAP_OK(h_compare("distinct aggregates, many groups",
                   mk_agg(h_scan(D.t1), 1, k2, 3, a2),
                   "SELECT k, count(DISTINCT b), count(*), sum(DISTINCT d) "
                   "FROM t1 GROUP BY k",
                   false),
         "distinct aggregates, many groups");
}

/* Keys and arguments that are expressions, evaluated per batch. */
static void test_expressions(void) {
  EdExpr *mod = h_op(OP_MOD, ED_T_BIGINT, T1_K, h_const(h_i(7)));
  EdExpr *dbl = h_op(OP_MUL, ED_T_DOUBLE, T1_D, h_const(h_d(2.0)));
  EdExpr *keys[] = {mod};
  EdAggCall aggs[] = {agg(AGG_SUM, false, dbl, ED_T_DOUBLE),
                      agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
                      agg(AGG_MAX, false,
                          h_op(OP_ADD, ED_T_BIGINT, T1_ID, h_const(h_i(1))),
                          ED_T_BIGINT)};
  TAP_OK(h_compare("computed key and arguments",
                   mk_agg(h_scan(D.t1), 1, keys, 3, aggs),
                   "SELECT k % 7, sum(d * 2.0), count(*), max(id + 1) "
                   "FROM t1 GROUP BY k % 7",
                   false),
         "computed key and arguments");
}

/* Hand-checked small cases: all-NULL sums, -0.0 and 0.0 as one key,
** BIGINT overflow. */
static void test_small(void) {
  static const char *names[] = {"g", "v", "x"};
  EdType types[] = {ED_T_DOUBLE, ED_T_BIGINT, ED_T_DOUBLE};
  EdTable *t = h_table("small", 3, names, types);
  EdValue rows[][3] = {
      {h_d(0.0), h_null(ED_T_BIGINT), h_null(ED_T_DOUBLE)},
      {h_d(-0.0), h_null(ED_T_BIGINT), h_null(ED_T_DOUBLE)},
      {h_d(1.5), h_i(5), h_d(2.5)},
      {h_null(ED_T_DOUBLE), h_i(-3), h_d(1.0)},
      {h_d(1.5), h_i(4), h_null(ED_T_DOUBLE)},
      {h_null(ED_T_DOUBLE), h_null(ED_T_BIGINT), h_d(-1.0)},
  };
  for (int i = 0; i < 6; i++) h_row(t, rows[i]);
  EdExpr *keys[] = {h_col(0, ED_T_DOUBLE)};
  EdAggCall aggs[] = {agg(AGG_COUNT_STAR, false, NULL, ED_T_BIGINT),
                      agg(AGG_SUM, false, h_col(1, ED_T_BIGINT), ED_T_BIGINT),
                      agg(AGG_AVG, false, h_col(2, ED_T_DOUBLE), ED_T_DOUBLE),
                      agg(AGG_MIN, false, h_col(1, ED_T_BIGINT), ED_T_BIGINT)};
  HRows got = {0};
  h_run(mk_agg(h_scan(t), 1, keys, 4, aggs), &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 3, "-0.0 and 0.0 are one group; NULL is a group");
  TAP_EQ_STR(got.n > 0 ? got.rows[0] : NULL, "0|2|NULL|NULL|NULL",
             "all-NULL group: sum, avg, min are NULL");
  TAP_EQ_STR(got.n > 1 ? got.rows[1] : NULL, "1.5|2|9|2.5|4",
             "group 1.5: count 2, sum 9, avg 2.5, min 4");
  TAP_EQ_STR(got.n > 2 ? got.rows[2] : NULL, "NULL|2|-3|0|-3",
             "NULL group");
  h_rows_free(&got);

  static const char *on[] = {"g", "v"};
  EdType ot[] = {ED_T_BIGINT, ED_T_BIGINT};
  EdTable *ov = h_table("ov", 2, on, ot);
  for (int i = 0; i < 5; i++) {
    EdValue r[2] = {h_i(i % 2), h_i(INT64_C(4000000000000000000))};
    h_row(ov, r);
  }
  EdAggCall s[] = {agg(AGG_SUM, false, h_col(1, ED_T_BIGINT), ED_T_BIGINT)};
  EdError err;
  memset(&err, 0, sizeof err);
  int rc = h_run(mk_agg(h_scan(ov), 0, NULL, 1, s), &got, &err, NULL, NULL);
  TAP_EQ_INT(rc, -1, "sum overflow is an execution error");
  TAP_OK(strstr(err.msg, "integer overflow") != NULL,
         "overflow message names the problem");
  TAP_EQ_INT(err.kind, ED_ERR_EXEC, "overflow error kind");
  h_rows_free(&got);
  char sqlerr[128];
  TAP_EQ_INT(h_sql("SELECT sum(v) FROM ov", &got, sqlerr, sizeof sqlerr), -1,
             "sqlite also reports the overflow");
  h_rows_free(&got);
  EdExpr *gk[] = {h_col(0, ED_T_BIGINT)};
  EdAggCall av[] = {agg(AGG_AVG, false, h_col(1, ED_T_BIGINT), ED_T_DOUBLE),
                    agg(AGG_MAX, false, h_col(1, ED_T_BIGINT), ED_T_BIGINT)};
  TAP_OK(h_compare("avg over overflowing integers",
                   mk_agg(h_scan(ov), 1, gk, 2, av),
                   "SELECT g, avg(v), max(v) FROM ov GROUP BY g", false),
         "avg over overflowing integers falls back to double");
}

static void test_stats(void) {
  EdExpr *keys[] = {T1_S};
  EdAggCall aggs[] = {agg(AGG_MAX, false, T1_S, ED_T_VARCHAR)};
  EdPlan *p = mk_agg(h_scan(D.t1), 1, keys, 1, aggs);
  HRows got = {0};
  EdOpStats *st = NULL;
  int n = 0;
  h_run(p, &got, NULL, &st, &n);
  TAP_EQ_INT(n, 2, "stats: one entry per plan node");
  TAP_OK(n == 2 && st[0].node == p && st[1].node == p->left,
         "stats in plan pre-order");
  TAP_EQ_INT(n == 2 ? st[0].rows_out : -1, got.n, "stats: aggregate rows");
  TAP_EQ_INT(n == 2 ? st[1].rows_out : -1, 10000, "stats: scan rows");
  TAP_OK(n == 2 && st[0].state_bytes > 0, "stats: aggregate state bytes");
  free(st);
  h_rows_free(&got);
}

int main(void) {
  h_init();
  h_std_data(&D);
  test_all_functions();
  test_two_keys();
  test_no_keys();
  test_distinct();
  test_expressions();
  test_small();
  test_stats();
  h_done();
  return tap_done();
}
