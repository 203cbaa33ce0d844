/*
** tests/unit/ops/test_join.c — hash and nested-loop joins against SQLite:
** duplicate keys on both sides (one probe batch yielding several output
** batches), NULL keys, keys without a match, residual predicates, LEFT
** joins, two-column keys, BIGINT = DOUBLE keys, empty inputs, cross joins,
** a VALUES build side, and a join whose build side is itself a join.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tests/unit/tap.h"

static HData D;

/* A join node; lk/rk NULL (nkeys 0) for a nested-loop join. */
static EdPlan *mk_join(EdPhysKind phys, EdJoinType jt, EdPlan *l, EdPlan *r,
                       int nkeys, EdExpr **lk, EdExpr **rk, EdExpr *pred) {
  EdPlan *p = h_node(PLAN_JOIN, phys, l, r);
  EdArena *a = h_arena();
  p->join_type = jt;
  p->nkeys = nkeys;
  p->lkeys = ed_arena_alloc(a, sizeof(EdExpr *) * (size_t)(nkeys + 1));
  p->rkeys = ed_arena_alloc(a, sizeof(EdExpr *) * (size_t)(nkeys + 1));
  for (int i = 0; i < nkeys; i++) {
    p->lkeys[i] = lk[i];
    p->rkeys[i] = rk[i];
  }
  p->pred = pred;
  h_schema_join(p);
  return p;
}

static EdPlan *hash_join(EdJoinType jt, EdPlan *l, EdPlan *r, EdExpr *lk,
                         EdExpr *rk, EdExpr *pred) {
  return mk_join(PHYS_HASH_JOIN, jt, l, r, 1, &lk, &rk, pred);
}

#define K1 h_col(1, ED_T_BIGINT)    /* t1.k */
#define K2 h_col(0, ED_T_BIGINT)    /* t2.k */

static void test_hash_inner_left(void) {
  TAP_OK(h_compare("inner hash join on k",
                   hash_join(JOIN_INNER, h_scan(D.t1), h_scan(D.t2), K1, K2,
                             NULL),
                   "SELECT * FROM t1 JOIN t2 ON t1.k = t2.k", false),
         "inner hash join: duplicates, NULL keys, unmatched keys");
  TAP_OK(h_compare("left hash join on k",
                   hash_join(JOIN_LEFT, h_scan(D.t1), h_scan(D.t2), K1, K2,
                             NULL),
                   "SELECT * FROM t1 LEFT JOIN t2 ON t1.k = t2.k", false),
         "left hash join: unmatched and NULL-key rows padded with NULLs");
  /* t1.d (col 3) > t2.v (col 6 + 2 = 8) over the concatenated row */
  EdExpr *res = h_op(OP_GT, ED_T_BOOL, h_col(3, ED_T_DOUBLE),
                     h_col(8, ED_T_DOUBLE));
  TAP_OK(h_compare("inner hash join with residual",
                   hash_join(JOIN_INNER, h_scan(D.t1), h_scan(D.t2), K1, K2,
                             res),
                   "SELECT * FROM t1 JOIN t2 ON t1.k = t2.k AND t1.d > t2.v",
                   false),
         "inner hash join with a residual predicate");
  TAP_OK(h_compare("left hash join with residual",
                   hash_join(JOIN_LEFT, h_scan(D.t1), h_scan(D.t2), K1, K2,
                             res),
                   "SELECT * FROM t1 LEFT JOIN t2 "
                   "ON t1.k = t2.k AND t1.d > t2.v",
                   false),
         "left hash join: rows whose matches all fail the residual");
  /* Output order: probe rows in scan order, each row's matches in build
  ** order, the NULL-padded row in its place. */
  TAP_OK(h_compare("left hash join order",
                   hash_join(JOIN_LEFT, h_scan(D.t1), h_scan(D.t2), K1, K2,
                             res),
                   "SELECT t1.*, t2.* FROM t1 LEFT JOIN t2 "
                   "ON t1.k = t2.k AND t1.d > t2.v ORDER BY t1.id, t2.rowid",
                   true),
         "left join output keeps probe order, padded rows in place");
  EdPlan *lim = h_node(PLAN_LIMIT, PHYS_LIMIT,
                       hash_join(JOIN_LEFT, h_scan(D.t1), h_scan(D.t2), K1,
                                 K2, NULL),
                       NULL);
  lim->limit = 50;
  lim->offset = 3000;
  h_schema_like(lim, lim->left);
  TAP_OK(h_compare("limit over left join", lim,
                   "SELECT t1.*, t2.* FROM t1 LEFT JOIN t2 ON t1.k = t2.k "
                   "ORDER BY t1.id, t2.rowid LIMIT 50 OFFSET 3000",
                   true),
         "LIMIT without ORDER BY over a left join: first rows in scan order");
  /* The hot key alone: 60 x 150 rows, all from the first probe batch. */
  EdPlan *hot = h_node(PLAN_FILTER, PHYS_FILTER, h_scan(D.t1), NULL);
  hot->pred = h_op(OP_EQ, ED_T_BOOL, K1, h_const(h_i(7)));
  h_schema_like(hot, hot->left);
  EdPlan *j = hash_join(JOIN_INNER, hot, h_scan(D.t2), K1, K2, NULL);
  const char *sql = "SELECT * FROM t1 JOIN t2 ON t1.k = t2.k WHERE t1.k = 7";
  TAP_OK(h_compare("hot key", j, sql, false),
         "hot key: one probe batch, several output batches");
  HRows got = {0};
  h_run(j, &got, NULL, NULL, NULL);
  TAP_OK(got.n > 4 * ED_BATCH_CAP, "hot key output exceeds four batches");
  h_rows_free(&got);
}

static void test_keys(void) {
  EdExpr *lk[] = {h_col(0, ED_T_BIGINT), h_col(1, ED_T_VARCHAR)};
  EdExpr *rk[] = {h_col(0, ED_T_BIGINT), h_col(1, ED_T_VARCHAR)};
  TAP_OK(h_compare("two-column keys",
                   mk_join(PHYS_HASH_JOIN, JOIN_INNER, h_scan(D.u1),
                           h_scan(D.u2), 2, lk, rk, NULL),
                   "SELECT * FROM u1 JOIN u2 ON u1.a = u2.a AND u1.s = u2.s",
                   false),
         "two-column keys (BIGINT, VARCHAR)");
  TAP_OK(h_compare("two-column keys, left",
                   mk_join(PHYS_HASH_JOIN, JOIN_LEFT, h_scan(D.u1),
                           h_scan(D.u2), 2, lk, rk, NULL),
                   "SELECT * FROM u1 LEFT JOIN u2 "
                   "ON u1.a = u2.a AND u1.s = u2.s",
                   false),
         "two-column keys, left join");
  TAP_OK(h_compare("bigint = double key",
                   hash_join(JOIN_INNER, h_scan(D.t1), h_scan(D.t2), K1,
                             h_col(2, ED_T_DOUBLE), NULL),
                   "SELECT * FROM t1 JOIN t2 ON t1.k = t2.v", false),
         "BIGINT key against DOUBLE key compares numerically");
  TAP_OK(h_compare("varchar key",
                   hash_join(JOIN_INNER, h_scan(D.u1), h_scan(D.u2),
                             h_col(1, ED_T_VARCHAR), h_col(1, ED_T_VARCHAR),
                             NULL),
                   "SELECT * FROM u1 JOIN u2 ON u1.s = u2.s", false),
         "VARCHAR key ('' matches '', NULL matches nothing)");
}

static void test_empty(void) {
  HRows got = {0};
  h_run(hash_join(JOIN_INNER, h_scan(D.t1), h_scan(D.e2), K1, K2, NULL),
        &got, NULL, NULL, NULL);
  TAP_EQ_INT(got.n, 0, "inner join with empty build side");
  h_rows_free(&got);
  TAP_OK(h_compare("left join, empty build",
                   hash_join(JOIN_LEFT, h_scan(D.t1), h_scan(D.e2), K1, K2,
                             NULL),
                   "SELECT * FROM t1 LEFT JOIN e2 ON t1.k = e2.k", false),
         "left join with empty build side keeps every left row");
  TAP_OK(h_compare("empty probe",
                   hash_join(JOIN_LEFT, h_scan(D.e1), h_scan(D.t2), K1, K2,
                             NULL),
                   "SELECT * FROM e1 LEFT JOIN t2 ON e1.k = t2.k", false),
         "left join with empty probe side");
  TAP_OK(h_compare("nl empty build",
                   mk_join(PHYS_NESTED_LOOP_JOIN, JOIN_LEFT, h_scan(D.u1),
                           h_scan(D.e2), 0, NULL, NULL,
                           h_op(OP_LT, ED_T_BOOL, h_col(0, ED_T_BIGINT),
                                h_col(2, ED_T_BIGINT))),
                   "SELECT * FROM u1 LEFT JOIN e2 ON u1.a < e2.k", false),
         "nested-loop left join with empty build side");
}

static void test_nested_loop(void) {
  /* u1.a (col 0) < u2.a (col 2) */
  EdExpr *lt = h_op(OP_LT, ED_T_BOOL, h_col(0, ED_T_BIGINT),
                    h_col(2, ED_T_BIGINT));
  TAP_OK(h_compare("nl inner",
                   mk_join(PHYS_NESTED_LOOP_JOIN, JOIN_INNER, h_scan(D.u1),
                           h_scan(D.u2), 0, NULL, NULL, lt),
                   "SELECT * FROM u1 JOIN u2 ON u1.a < u2.a", false),
         "nested-loop inner join on u1.a < u2.a");
  EdExpr *far = h_op(
      OP_GT, ED_T_BOOL, h_col(0, ED_T_BIGINT),
      h_op(OP_ADD, ED_T_BIGINT, h_col(2, ED_T_BIGINT), h_const(h_i(40))));
  TAP_OK(h_compare("nl left",
                   mk_join(PHYS_NESTED_LOOP_JOIN, JOIN_LEFT, h_scan(D.u1),
                           h_scan(D.u2), 0, NULL, NULL, far),
                   "SELECT u1.*, u2.* FROM u1 LEFT JOIN u2 "
                   "ON u1.a > u2.a + 40 ORDER BY u1.rowid, u2.rowid",
                   true),
         "nested-loop left join, mostly unmatched, in probe order");
  TAP_OK(h_compare("cross",
                   mk_join(PHYS_NESTED_LOOP_JOIN, JOIN_CROSS, h_scan(D.u1),
                           h_scan(D.u2), 0, NULL, NULL, NULL),
                   "SELECT * FROM u1, u2", false),
         "cross join (120000 rows)");
}

/* VALUES as the build side: a leaf other than a table scan on port 1. */
static void test_values_build(void) {
  EdPlan *v = h_node(PLAN_VALUES, PHYS_VALUES, NULL, NULL);
  EdValue vals[] = {h_i(1),  h_s("a"), h_i(7),  h_s("b"),
                    h_null(ED_T_BIGINT), h_s("c"), h_i(7), h_s("d")};
  v->nrows = 4;
  v->nexprs = 8;
  v->exprs = ed_arena_alloc(h_arena(), sizeof(EdExpr *) * 8);
  for (int i = 0; i < 8; i++) {
    v->exprs[i] = h_const(vals[i]);
    if (vals[i].is_null) v->exprs[i]->type = ED_T_BIGINT;
  }
  EdType vt[] = {ED_T_BIGINT, ED_T_VARCHAR};
  h_schema(v, 2, vt);
  TAP_OK(h_compare("values build",
                   hash_join(JOIN_INNER, h_scan(D.t1), v, K1,
                             h_col(0, ED_T_BIGINT), NULL),
                   "WITH v(k, name) AS (VALUES (1,'a'),(7,'b'),(NULL,'c'),"
                   "(7,'d')) SELECT t1.*, v.* FROM t1 JOIN v ON t1.k = v.k",
                   false),
         "VALUES as the build side");
}

/* The build side is itself a join, and a filter sits under a build. */
static void test_nested(void) {
  EdPlan *pos = h_node(PLAN_FILTER, PHYS_FILTER, h_scan(D.t2), NULL);
  pos->pred = h_op(OP_GT, ED_T_BOOL, h_col(2, ED_T_DOUBLE),
                   h_const(h_d(0.0)));
  h_schema_like(pos, pos->left);
  EdPlan *inner = hash_join(JOIN_INNER, pos, h_scan(D.u2), K2,
                            h_col(0, ED_T_BIGINT), NULL);
  EdPlan *top = hash_join(JOIN_LEFT, h_scan(D.t1), inner, K1, K2, NULL);
  TAP_OK(h_compare("join of a join",
                   top,
                   "SELECT * FROM t1 LEFT JOIN "
                   "(SELECT t2.k, t2.name, t2.v, u2.a, u2.s FROM t2 "
                   "JOIN u2 ON t2.k = u2.a WHERE t2.v > 0) x ON t1.k = x.k",
                   false),
         "left join whose build side is a filtered join");
}

/* A file-connector table on either side of a join: the file scan feeds
** port 1 through the executor's adapter.  The same rows go to SQLite. */
static void test_file_side(void) {
  static const char *names[] = {"k", "name"};
  EdType types[] = {ED_T_BIGINT, ED_T_VARCHAR};
  EdTable *ref = h_table("f", 2, names, types);
  char path[] = "/tmp/eddy_ops_test_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    TAP_OK(0, "temporary csv file");
    return;
  }
  fprintf(f, "k,name\n");
  for (int i = 0; i < 3000; i++) {
    int64_t k = (int64_t)(h_rand() % 2500);
    char name[16];
    snprintf(name, sizeof name, "f%d", (int)(h_rand() % 50));
    EdValue row[2] = {i % 17 == 0 ? h_null(ED_T_BIGINT) : h_i(k), h_s(name)};
    if (i % 17 == 0) fprintf(f, ",%s\n", name);
    else fprintf(f, "%lld,%s\n", (long long)k, name);
    h_row(ref, row);
  }
  fclose(f);
  EdTable *ft = ed_calloc(1, sizeof *ft);
  ft->name = ed_strdup("f");
  ft->kind = OBJ_TABLE;
  ft->connector = ed_strdup("file");
  ft->wm_col = -1;
  ed_schema_copy(&ft->schema, &ref->schema);
  ft->noptions = 2;
  ft->options = ed_calloc(2, sizeof(EdOption));
  ft->options[0] = (EdOption){ed_strdup("path"), ed_strdup(path)};
  ft->options[1] = (EdOption){ed_strdup("format"), ed_strdup("csv")};
  EdPlan *fs = h_node(PLAN_SCAN, PHYS_FILE_SCAN, NULL, NULL);
  fs->table = ft;
  fs->schema = ft->schema;
  TAP_OK(h_compare("file build side",
                   hash_join(JOIN_INNER, h_scan(D.t1), fs, K1,
                             h_col(0, ED_T_BIGINT), NULL),
                   "SELECT * FROM t1 JOIN f ON t1.k = f.k", false),
         "a file scan as the build side (port 1)");
  TAP_OK(h_compare("file probe side",
                   hash_join(JOIN_LEFT, fs, h_scan(D.t2),
                             h_col(0, ED_T_BIGINT), K2, NULL),
                   "SELECT * FROM f LEFT JOIN t2 ON f.k = t2.k", false),
         "a file scan as the probe side (port 0)");
  EdPlan *lim = h_node(PLAN_LIMIT, PHYS_LIMIT, fs, NULL);
  lim->limit = 7;
  lim->offset = 2;
  h_schema_like(lim, fs);
  TAP_OK(h_compare("file limit", lim, "SELECT * FROM f LIMIT 7 OFFSET 2",
                   true),
         "LIMIT stops a file scan early without an error");
  unlink(path);
  ed_table_free(ft);
}

int main(void) {
  h_init();
  h_std_data(&D);
  test_hash_inner_left();
  test_keys();
  test_empty();
  test_nested_loop();
  test_values_build();
  test_nested();
  test_file_side();
  h_done();
  return tap_done();
}
