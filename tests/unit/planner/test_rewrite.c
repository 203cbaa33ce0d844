/*
** tests/unit/planner/test_rewrite.c — constant folding (checked through
** the value of the folded node, computed by hand), filter push-down and
** merging, join ordering, and ed_bind_constant (INSERT ... VALUES
** conversions).
*/
#include "tests/unit/planner/planner_test.h"

static const EdExpr *proj_expr(const PtPlan *r, int i) {
  const EdPlan *p = pt_find(r->physical, PHYS_PROJECT);
  return p && i < p->nexprs ? p->exprs[i] : NULL;
}

static bool is_int(const EdExpr *e, int64_t v) {
  return e && e->kind == EXPR_CONST && e->type == ED_T_BIGINT &&
         !e->value.is_null && e->value.u.i == v;
}

static bool is_null_of(const EdExpr *e, EdType t) {
  return e && e->kind == EXPR_CONST && e->value.is_null && e->type == t;
}

static bool is_bool(const EdExpr *e, bool v) {
  return e && e->kind == EXPR_CONST && e->type == ED_T_BOOL &&
         !e->value.is_null && e->value.u.b == v;
}

static const char *filter_text(const PtPlan *r) {
  const EdPlan *f = pt_find(r->physical, PHYS_FILTER);
  return f ? ed_expr_text(f->pred, &f->left->schema, &pt_arena) : "(none)";
}

static void test_folding(void) {
  PtPlan r = pt_plan("SELECT 2 * 3 + 1, 7 / 2, -7 % 3, 7 / 0, 1.5 * 2, "
                     "'a' || 'b', 10 - 2 - 3");
  TAP_OK(is_int(proj_expr(&r, 0), 7), "2 * 3 + 1 folds to 7");
  TAP_OK(is_int(proj_expr(&r, 1), 3), "7 / 2 folds to 3 (truncating)");
  TAP_OK(is_int(proj_expr(&r, 2), -1), "-7 % 3 folds to -1");
  TAP_OK(is_null_of(proj_expr(&r, 3), ED_T_BIGINT), "7 / 0 folds to NULL");
  const EdExpr *e = proj_expr(&r, 4);
  TAP_OK(e && e->kind == EXPR_CONST && e->type == ED_T_DOUBLE &&
             e->value.u.d == 3.0,
         "1.5 * 2 folds to 3.0");
  e = proj_expr(&r, 5);
  TAP_OK(e && e->kind == EXPR_CONST && e->type == ED_T_VARCHAR &&
             e->value.u.s.len == 2 && memcmp(e->value.u.s.ptr, "ab", 2) == 0,
         "'a' || 'b' folds to 'ab'");
  TAP_OK(is_int(proj_expr(&r, 6), 5), "10 - 2 - 3 folds to 5");

  r = pt_plan("SELECT user_id + NULL, NULL > user_id, coalesce(NULL, user_id), "
              "abs(NULL) FROM events");
  TAP_OK(is_null_of(proj_expr(&r, 0), ED_T_BIGINT),
         "user_id + NULL is a NULL BIGINT");
  TAP_OK(is_null_of(proj_expr(&r, 1), ED_T_BOOL), "NULL > user_id is NULL");
  e = proj_expr(&r, 2);
  TAP_OK(e && e->kind == EXPR_COLREF && e->type == ED_T_BIGINT,
         "coalesce is not strict: coalesce(NULL, user_id) is user_id");
  TAP_OK(is_null_of(proj_expr(&r, 3), ED_T_BIGINT), "abs(NULL) is NULL");

  r = pt_plan("SELECT coalesce(3, user_id), coalesce(user_id, 4, 1 / 0), "
              "CASE WHEN 1 > 2 THEN user_id WHEN 2 > 1 THEN 7 ELSE 8 END, "
              "CASE 5 WHEN 6 THEN user_id END FROM events");
  TAP_OK(is_int(proj_expr(&r, 0), 3), "coalesce(3, x) folds to 3");
  e = proj_expr(&r, 1);
  TAP_OK(e && e->kind == EXPR_FUNC && e->op == FN_COALESCE && e->nargs == 2,
         "coalesce drops the arguments after a non-NULL constant");
  TAP_OK(is_int(proj_expr(&r, 2), 7),
         "CASE with constant conditions folds to the first TRUE branch");
  TAP_OK(is_null_of(proj_expr(&r, 3), ED_T_BIGINT),
         "CASE whose only branch is FALSE and no ELSE folds to NULL");

  r = pt_plan("SELECT CAST('2024-01-01 00:00:01' AS TIMESTAMP), "
              "CAST(3.7 AS BIGINT), CAST(12 AS VARCHAR), 1 < 2, "
              "5 BETWEEN 1 AND 4, 3 IN (1, 2, 3)");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_CONST && e->type == ED_T_TIMESTAMP &&
             e->value.u.i == INT64_C(1704067201000000),
         "timestamp literal cast is 1704067201000000 us");
  e = proj_expr(&r, 2);
  TAP_OK(e && e->kind == EXPR_CONST && e->type == ED_T_VARCHAR &&
             e->value.u.s.len == 2 && memcmp(e->value.u.s.ptr, "12", 2) == 0,
         "CAST(12 AS VARCHAR) folds to '12'");
  TAP_OK(is_bool(proj_expr(&r, 3), true), "1 < 2 folds to TRUE");
  TAP_OK(is_bool(proj_expr(&r, 4), false), "5 BETWEEN 1 AND 4 folds to FALSE");
  TAP_OK(is_bool(proj_expr(&r, 5), true), "3 IN (1, 2, 3) folds to TRUE");

  r = pt_plan("SELECT 9223372036854775807 + 1");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_OP && e->op == OP_ADD,
         "an overflowing constant is left to fail at run time");

  r = pt_plan("SELECT * FROM events WHERE user_id > 1 AND 1 = 0");
  const EdPlan *f = pt_find(r.physical, PHYS_FILTER);
  TAP_OK(f && is_bool(f->pred, false), "x AND FALSE folds to FALSE");
  r = pt_plan("SELECT * FROM events WHERE user_id > 1 AND 1 = 1");
  TAP_EQ_STR(filter_text(&r), "user_id > 1", "x AND TRUE folds to x");
  PT_SHAPE("SELECT * FROM events WHERE 1 = 1", "TableScan",
           "ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE");
  PT_SHAPE("SELECT * FROM events WHERE user_id > 1 OR 2 > 1", "TableScan",
           "ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE");
  r = pt_plan("SELECT * FROM events WHERE user_id > 1 OR 2 < 1");
  TAP_EQ_STR(filter_text(&r), "user_id > 1", "x OR FALSE folds to x");
  r = pt_plan("SELECT * FROM events WHERE NOT NOT (user_id > 1)");
  TAP_EQ_STR(filter_text(&r), "user_id > 1", "NOT NOT x folds to x");
  r = pt_plan("SELECT * FROM events WHERE user_id = NULL");
  f = pt_find(r.physical, PHYS_FILTER);
  TAP_OK(f && is_null_of(f->pred, ED_T_BOOL), "x = NULL folds to NULL");
}

static void test_pushdown(void) {
  PtPlan r = pt_plan("SELECT * FROM (SELECT user_id * 2 AS d FROM events) x "
                     "WHERE d > 10");
  TAP_EQ_STR(pt_shape(r.physical), "Project(Filter(TableScan))",
             "filter pushed below the subquery's projection");
  TAP_EQ_STR(filter_text(&r), "user_id * 2 > 10", "projected expression inlined");

  r = pt_plan("SELECT * FROM (SELECT page, count(*) AS n FROM events GROUP BY "
              "page) x WHERE page = 'a' AND n > 1");
  TAP_EQ_STR(pt_shape(r.physical),
             "Project(Filter(HashAggregate(Filter(TableScan))))",
             "group-key condition below the aggregate, aggregate one above");
  TAP_EQ_STR(filter_text(&r), "count(*) > 1",
             "condition on the aggregate stays above it");

  PT_SHAPE("SELECT * FROM (SELECT id FROM users UNION ALL SELECT user_id FROM "
           "orders) x WHERE id > 5",
           "UnionAll(Project(Filter(TableScan)),Project(Filter(TableScan)))",
           "id BIGINT");
  PT_SHAPE("SELECT * FROM (SELECT id FROM users EXCEPT SELECT user_id FROM "
           "orders) x WHERE id > 5",
           "HashSetOp(Project(Filter(TableScan)),Project(Filter(TableScan)))",
           "id BIGINT");
  PT_SHAPE("SELECT * FROM (SELECT id FROM users LIMIT 3) x WHERE id > 1",
           "Filter(Limit(Project(TableScan)))", "id BIGINT");
  PT_SHAPE("SELECT * FROM (SELECT count(*) AS n FROM events) x WHERE 1 = 0",
           "Project(Filter(HashAggregate(TableScan)))", "n BIGINT");
  PT_SHAPE("SELECT * FROM (SELECT DISTINCT page FROM events) x WHERE page > "
           "'m' ORDER BY page",
           "Sort(HashDistinct(Project(Filter(TableScan))))", "page VARCHAR");

  r = pt_plan("SELECT * FROM (SELECT * FROM events WHERE user_id > 1) x "
              "WHERE latency_ms < 5");
  TAP_EQ_STR(pt_shape(r.physical), "Filter(TableScan)", "adjacent filters merge");
  TAP_EQ_STR(filter_text(&r), "latency_ms < 5.0 AND user_id > 1",
             "merged condition");

  r = pt_plan("SELECT * FROM users u JOIN orders o ON u.id = o.user_id WHERE "
              "u.name = 'a' AND o.amount > 3 AND u.id + o.id > 2");
  TAP_EQ_STR(pt_shape(r.physical),
             "HashJoin(Filter(TableScan),Filter(TableScan))",
             "inner join: single-side conditions go to their side");
  const EdPlan *j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_EQ_STR(j && j->pred ? ed_expr_text(j->pred, &j->schema, &pt_arena) : "",
             "u.id + o.id > 2", "two-side condition becomes the residual");
  const EdPlan *rf = j ? j->right : NULL;
  TAP_EQ_STR(rf && rf->pred ? ed_expr_text(rf->pred, &rf->left->schema, &pt_arena)
                            : "",
             "amount > 3.0", "right-side condition over the right row");
}

static void test_join_order(void) {
  /* a and b are not connected, so the written order would start with a
  ** cross product; the planner joins c before b. */
  PtPlan r = pt_plan("SELECT a.name, b.amount FROM users a, orders b, users c "
                     "WHERE c.id = b.user_id AND a.id = c.id");
  TAP_EQ_STR(pt_shape(r.physical),
             "Project(HashJoin(HashJoin(TableScan,TableScan),TableScan))",
             "no cross product");
  TAP_EQ_STR(pt_schema(r.physical), "name VARCHAR, amount DOUBLE",
             "output columns survive reordering");
  const EdPlan *top = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(top && top->right->table &&
             strcmp(top->right->table->name, "orders") == 0,
         "orders joins last");
  /* Already connected in order: kept as written. */
  r = pt_plan("SELECT * FROM users a JOIN orders b ON a.id = b.user_id JOIN "
              "users c ON c.id = b.id");
  TAP_EQ_STR(pt_shape(r.physical),
             "HashJoin(HashJoin(TableScan,TableScan),TableScan)",
             "a connected chain keeps its order");
}

/* Binds the first select item of "SELECT <expr>" as a constant. */
static int bind_const(const char *sql, EdType want, EdValue *v, EdError *err) {
  EdAstList stmts = {0};
  memset(err, 0, sizeof *err);
  if (ed_parse(&pt_arena, sql, &stmts, err) != 0) return -2;
  EdAstStmt *s = stmts.items[0];
  EdAstSelect *sel = s->query->selects.items[0];
  EdAstSelItem *it = sel->items.items[0];
  return ed_bind_constant(it->expr, want, &pt_arena, v, err);
}

static void test_bind_constant(void) {
  EdValue v;
  EdError err;
  TAP_OK(bind_const("SELECT '2024-01-01'", ED_T_TIMESTAMP, &v, &err) == 0 &&
             v.type == ED_T_TIMESTAMP && v.u.i == INT64_C(1704067200000000),
         "string to TIMESTAMP column");
  TAP_OK(bind_const("SELECT 5", ED_T_DOUBLE, &v, &err) == 0 &&
             v.type == ED_T_DOUBLE && v.u.d == 5.0,
         "BIGINT to DOUBLE column");
  TAP_OK(bind_const("SELECT 2.0", ED_T_BIGINT, &v, &err) == 0 &&
             v.type == ED_T_BIGINT && v.u.i == 2,
         "integral DOUBLE to BIGINT column");
  TAP_OK(bind_const("SELECT 1 + 2", ED_T_NULL, &v, &err) == 0 &&
             v.type == ED_T_BIGINT && v.u.i == 3,
         "own type when no column type is given");
  TAP_OK(bind_const("SELECT - 97", ED_T_BIGINT, &v, &err) == 0 &&
             v.u.i == -97, "negative number");
  TAP_OK(bind_const("SELECT 12", ED_T_VARCHAR, &v, &err) == 0 &&
             v.type == ED_T_VARCHAR && v.u.s.len == 2 &&
             memcmp(v.u.s.ptr, "12", 2) == 0,
         "BIGINT to VARCHAR column");
  TAP_OK(bind_const("SELECT '42'", ED_T_BIGINT, &v, &err) == 0 &&
             v.type == ED_T_BIGINT && v.u.i == 42,
         "numeric string to BIGINT column");
  TAP_OK(bind_const("SELECT NULL", ED_T_TIMESTAMP, &v, &err) == 0 &&
             v.is_null && v.type == ED_T_TIMESTAMP,
         "NULL takes the column type");
  TAP_OK(bind_const("SELECT '10 seconds'", ED_T_INTERVAL, &v, &err) == 0 &&
             v.type == ED_T_INTERVAL && v.u.i == 10 * ED_USEC_PER_SEC,
         "string to INTERVAL");
  TAP_EQ_INT(bind_const("SELECT 2.5", ED_T_BIGINT, &v, &err), -1,
             "2.5 does not fit BIGINT");
  TAP_EQ_STR(err.msg, "value 2.5 does not fit in a BIGINT column",
             "message for a non-integral value");
  TAP_EQ_INT(err.pos.col, 8, "position of the value");
  TAP_EQ_INT(bind_const("SELECT 'nope'", ED_T_TIMESTAMP, &v, &err), -1,
             "bad timestamp string");
  TAP_EQ_STR(err.msg, "invalid TIMESTAMP literal 'nope'", "timestamp message");
  TAP_EQ_INT(bind_const("SELECT 'abc'", ED_T_BIGINT, &v, &err), -1,
             "non-numeric string");
  TAP_EQ_STR(err.msg, "invalid BIGINT value 'abc'", "number message");
  TAP_EQ_INT(bind_const("SELECT x + 1", ED_T_BIGINT, &v, &err), -1,
             "column reference in VALUES");
  TAP_EQ_STR(err.msg,
             "column reference \"x\" is not allowed here: VALUES takes "
             "constant expressions",
             "column reference message");
  TAP_EQ_INT(err.kind, ED_ERR_BIND, "bind error kind");
  TAP_EQ_INT(bind_const("SELECT TRUE", ED_T_TIMESTAMP, &v, &err), -1,
             "BOOLEAN to TIMESTAMP");
  TAP_EQ_STR(err.msg, "cannot assign a BOOLEAN value to a TIMESTAMP column",
             "assignment message");
}

int main(void) {
  pt_init();
  test_folding();
  test_pushdown();
  test_join_order();
  test_bind_constant();
  pt_fini();
  return tap_done();
}
