/*
** tests/unit/planner/test_binder.c — name resolution, typing, implicit
** casts, functions, aggregates, ORDER BY / LIMIT, set operations and the
** binder's error messages (text and position), on SQL parsed by ed_parse.
** Expected types follow plan.h and the typing rules of DESIGN §2 (as SQLite
** computes for typed columns); positions are counted by hand.
*/
#include "tests/unit/planner/planner_test.h"

/* The i-th output expression of the topmost Project of the physical plan. */
static const EdExpr *proj_expr(const PtPlan *r, int i) {
  const EdPlan *p = pt_find(r->physical, PHYS_PROJECT);
  return p && i < p->nexprs ? p->exprs[i] : NULL;
}

static void test_names(void) {
  PT_SHAPE("SELECT page, user_id FROM events", "Project(TableScan)",
           "page VARCHAR, user_id BIGINT");
  PT_SHAPE("SELECT * FROM events", "TableScan",
           "ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE");
  PT_SHAPE("SELECT PAGE, E.User_Id FROM Events E", "Project(TableScan)",
           "page VARCHAR, user_id BIGINT");
  PT_SHAPE("SELECT e.*, u.name FROM events e JOIN users u ON e.user_id = u.id",
           "Project(HashJoin(TableScan,TableScan))",
           "ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE, "
           "name VARCHAR");
  PT_SHAPE("SELECT x.n FROM (SELECT page, count(*) AS n FROM events GROUP BY "
           "page) x WHERE x.n > 1",
           "Project(Filter(HashAggregate(TableScan)))", "n BIGINT");
  PT_SHAPE("SELECT user_id + 1, user_id AS u FROM events",
           "Project(TableScan)", "user_id + 1 BIGINT, u BIGINT");
  PT_SHAPE("SELECT v FROM s WHERE v > 1", "Project(Filter(StreamScan))",
           "v BIGINT");
  PT_SHAPE("SELECT page FROM clicks", "Project(FileScan)", "page VARCHAR");
  /* SQLite resolves a WHERE name that is no column as a select alias. */
  PT_SHAPE("SELECT user_id * 2 AS d FROM events WHERE d > 4",
           "Project(Filter(TableScan))", "d BIGINT");
  PT_SHAPE("SELECT 1 + 1 AS two", "Project(Values)", "two BIGINT");
  PT_SHAPE("SELECT * FROM users JOIN orders USING (id)",
           "Project(HashJoin(TableScan,TableScan))",
           "id BIGINT, name VARCHAR, user_id BIGINT, amount DOUBLE");
}

static void test_name_errors(void) {
  PT_ERROR("SELECT pgae FROM events", 1, 8,
           "unknown column \"pgae\" (did you mean \"page\"?); columns in "
           "scope: ts, user_id, page, latency_ms");
  PT_ERROR("SELECT page,\n       user_di\nFROM events", 2, 8,
           "unknown column \"user_di\" (did you mean \"user_id\"?); columns in "
           "scope: ts, user_id, page, latency_ms");
  PT_ERROR("SELECT e.nme FROM events e", 1, 8,
           "unknown column \"e.nme\"; columns of e: ts, user_id, page, "
           "latency_ms");
  PT_ERROR("SELECT id FROM users u JOIN orders o ON u.id = o.user_id", 1, 8,
           "ambiguous column name \"id\" (could be u.id or o.id)");
  PT_ERROR("SELECT x.page FROM events e", 1, 8,
           "unknown table \"x\" in \"x.page\"; tables in scope: e");
  PT_ERROR("SELECT events.page FROM events e", 1, 8,
           "unknown table \"events\" in \"events.page\"; tables in scope: e");
  PT_ERROR("SELECT * FROM evnts", 1, 15,
           "unknown table \"evnts\" (did you mean \"events\"?); known tables "
           "and streams: events, users, orders, clicks, s, k");
  PT_ERROR("SELECT * FROM out", 1, 15,
           "\"out\" is a sink; only tables and streams can be read");
  PT_ERROR("SELECT *", 1, 8, "SELECT * needs a FROM clause");
  PT_ERROR("SELECT q.* FROM events", 1, 8,
           "unknown table \"q\" in \"q.*\"; tables in scope: events");
  PT_ERROR("SELECT x", 1, 8,
           "unknown column \"x\": there is no FROM clause, so no columns are "
           "in scope");
  PT_ERROR("SELECT * FROM users JOIN orders USING (nope)", 1, 21,
           "USING column \"nope\" is not a column of the left side of the join");
}

static void test_streams(void) {
  PT_SHAPE("SELECT * FROM s WATERMARK ts DELAY OF INTERVAL '10 seconds' "
           "WHERE v > 1",
           "Filter(StreamScan)", "ts TIMESTAMP, v BIGINT");
  PT_ERROR("SELECT * FROM s WATERMARK v DELAY OF INTERVAL '10 seconds'", 1, 27,
           "WATERMARK column \"v\" must be a TIMESTAMP, not BIGINT");
  PT_ERROR("SELECT * FROM s WATERMARK nope DELAY OF INTERVAL '1 second'", 1, 27,
           "WATERMARK column \"nope\" is not a column of s");
}

static void test_plan_errors(void) {
  PtPlan r = pt_plan("SELECT v FROM k");
  TAP_EQ_INT(r.rc, -1, "a kafka stream cannot be read yet");
  TAP_EQ_INT(r.err.kind, ED_ERR_PLAN, "planning error kind");
  TAP_EQ_STR(r.err.msg,
             "cannot read \"k\": the 'kafka' connector is not supported yet",
             "unsupported connector message");
}

static void test_types(void) {
  PtPlan r = pt_plan("SELECT user_id + 1, user_id / 2, latency_ms * 2, "
                     "user_id + latency_ms, -user_id, user_id % 3 FROM events");
  TAP_EQ_STR(pt_schema(r.physical),
             "user_id + 1 BIGINT, user_id / 2 BIGINT, latency_ms * 2 DOUBLE, "
             "user_id + latency_ms DOUBLE, -user_id BIGINT, user_id % 3 BIGINT",
             "arithmetic result types");
  const EdExpr *e = proj_expr(&r, 3);
  TAP_OK(e && e->kind == EXPR_OP && e->args[0]->kind == EXPR_CAST &&
             e->args[0]->type == ED_T_DOUBLE &&
             e->args[0]->args[0]->kind == EXPR_COLREF,
         "BIGINT + DOUBLE casts the BIGINT operand to DOUBLE");
  e = proj_expr(&r, 2);
  TAP_OK(e && e->args[1]->kind == EXPR_CONST && e->args[1]->type == ED_T_DOUBLE &&
             e->args[1]->value.u.d == 2.0,
         "an integer literal in a DOUBLE context becomes 2.0");

  r = pt_plan("SELECT * FROM events WHERE ts > '2024-01-01 00:00:01'");
  const EdPlan *f = pt_find(r.physical, PHYS_FILTER);
  TAP_OK(f && f->pred->args[1]->kind == EXPR_CONST &&
             f->pred->args[1]->type == ED_T_TIMESTAMP &&
             f->pred->args[1]->value.u.i == INT64_C(1704067201000000),
         "a string literal compared with a TIMESTAMP is a TIMESTAMP constant");
  PT_ERROR("SELECT * FROM events WHERE ts > '2024-13-45'", 1, 33,
           "invalid TIMESTAMP literal '2024-13-45'");

  r = pt_plan("SELECT * FROM events WHERE user_id > 1.5");
  f = pt_find(r.physical, PHYS_FILTER);
  TAP_OK(f && f->pred->args[0]->kind == EXPR_CAST &&
             f->pred->args[0]->type == ED_T_DOUBLE,
         "BIGINT compared with DOUBLE compares as DOUBLE");
  r = pt_plan("SELECT * FROM events WHERE user_id = '7'");
  f = pt_find(r.physical, PHYS_FILTER);
  TAP_OK(f && f->pred->args[1]->kind == EXPR_CONST &&
             f->pred->args[1]->type == ED_T_BIGINT &&
             f->pred->args[1]->value.u.i == 7,
         "a numeric string compared with BIGINT is a BIGINT constant");
  PT_ERROR("SELECT * FROM events WHERE user_id = page", 1, 38,
           "incompatible types BIGINT and VARCHAR in comparison =");

  PT_SHAPE("SELECT page || user_id, ts - ts, ts + INTERVAL '1 minute', "
           "ts - INTERVAL '1 minute' FROM events",
           "Project(TableScan)",
           "page || user_id VARCHAR, ts - ts INTERVAL, ts + INTERVAL '1 "
           "minute' TIMESTAMP, ts - INTERVAL '1 minute' TIMESTAMP");
  r = pt_plan("SELECT page || user_id FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->args[1]->kind == EXPR_CAST && e->args[1]->type == ED_T_VARCHAR,
         "|| casts a BIGINT operand to VARCHAR");
  PT_SHAPE("SELECT '5' + 1 AS a, 2 * '1.5' AS b, ts + '10 seconds' AS c, "
           "ts - '2024-01-01' AS d FROM events",
           "Project(TableScan)", "a BIGINT, b DOUBLE, c TIMESTAMP, d INTERVAL");
  PT_ERROR("SELECT 'a' + 1", 1, 8, "cannot convert 'a' to BIGINT");
  PT_ERROR("SELECT page + 1 FROM events", 1, 8,
           "operator + cannot be applied to VARCHAR and BIGINT");
  PT_ERROR("SELECT 1 * page FROM events", 1, 12,
           "operator * cannot be applied to BIGINT and VARCHAR");
  PT_ERROR("SELECT -page FROM events", 1, 9,
           "unary - cannot be applied to VARCHAR");

  PT_SHAPE("SELECT NULL AS a, NULL + 1 AS b, coalesce(NULL, 2.5) AS c, "
           "CASE WHEN user_id > 1 THEN 1 ELSE 2.5 END AS d, "
           "CASE user_id WHEN 1 THEN 'x' END AS e, nullif(user_id, 3) AS f "
           "FROM events",
           "Project(TableScan)",
           "a BIGINT, b BIGINT, c DOUBLE, d DOUBLE, e VARCHAR, f BIGINT");
  r = pt_plan("SELECT CASE WHEN user_id > 1 THEN 1 ELSE 2.5 END FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_CASE && e->has_else && e->nargs == 3 &&
             e->args[1]->type == ED_T_DOUBLE && e->args[2]->type == ED_T_DOUBLE,
         "CASE results unify to DOUBLE");
  PT_ERROR("SELECT CASE WHEN user_id > 1 THEN 1 ELSE 'x' END FROM events", 1,
           42, "cannot convert 'x' to BIGINT");
  PT_ERROR("SELECT CASE WHEN user_id THEN 1 END FROM events", 1, 18,
           "a WHEN condition must be BOOLEAN, got BIGINT");
  r = pt_plan("SELECT user_id IN (1, 2.5) FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_IN_LIST && e->nargs == 3 &&
             e->args[0]->kind == EXPR_CAST && e->args[1]->type == ED_T_DOUBLE,
         "IN list unifies to DOUBLE");
  r = pt_plan("SELECT user_id BETWEEN 1 AND 5 FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_OP && e->op == OP_AND &&
             e->args[0]->op == OP_GE && e->args[1]->op == OP_LE,
         "BETWEEN is x >= lo AND x <= hi");
  r = pt_plan("SELECT user_id NOT BETWEEN 1 AND 5 FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->kind == EXPR_OP && e->op == OP_OR &&
             e->args[0]->op == OP_LT && e->args[1]->op == OP_GT,
         "NOT BETWEEN is x < lo OR x > hi");
  PT_SHAPE("SELECT CAST(user_id AS VARCHAR) AS a, CAST('5' AS BIGINT) AS b, "
           "CAST(NULL AS DOUBLE) AS c FROM events",
           "Project(TableScan)", "a VARCHAR, b BIGINT, c DOUBLE");
  PT_ERROR("SELECT CAST(ts AS BIGINT) FROM events", 1, 8,
           "cannot cast TIMESTAMP to BIGINT");
  PT_ERROR("SELECT * FROM events WHERE user_id", 1, 28,
           "the WHERE condition must be BOOLEAN, got BIGINT");
  PT_ERROR("SELECT * FROM events WHERE page LIKE 1", 1, 38,
           "LIKE needs VARCHAR operands, got BIGINT (use CAST(... AS "
           "VARCHAR))");
  PT_ERROR("SELECT * FROM events WHERE NOT page", 1, 32,
           "the operand of NOT must be BOOLEAN, got VARCHAR");
}

static void test_functions(void) {
  PT_SHAPE("SELECT abs(user_id) AS a, abs(latency_ms) AS b, round(latency_ms) "
           "AS c, round(user_id, 2) AS d, lower(page) AS e, length(page) AS f, "
           "substr(page, 2) AS g, substring(page, 1, 3) AS h, trim(page) AS i, "
           "ceil(latency_ms) AS j, floor(user_id) AS k, now() AS l, "
           "to_timestamp('2024-01-01') AS m, date_trunc('minute', ts) AS n, "
           "to_timestamp(user_id) AS o FROM events",
           "Project(TableScan)",
           "a BIGINT, b DOUBLE, c DOUBLE, d DOUBLE, e VARCHAR, f BIGINT, "
           "g VARCHAR, h VARCHAR, i VARCHAR, j DOUBLE, k BIGINT, l TIMESTAMP, "
           "m TIMESTAMP, n TIMESTAMP, o TIMESTAMP");
  PT_ERROR("SELECT abs(page) FROM events", 1, 12,
           "abs() takes one numeric argument; argument 1 is VARCHAR");
  PT_ERROR("SELECT substr(page) FROM events", 1, 8,
           "substr() takes (VARCHAR, BIGINT start [, BIGINT length]) (got 1 "
           "argument)");
  PT_ERROR("SELECT lower(user_id) FROM events", 1, 14,
           "lower() takes one VARCHAR argument; argument 1 is BIGINT");
  PT_ERROR("SELECT split(page, ',') FROM events", 1, 8,
           "split() returns an array, which is only usable inside explode(); "
           "eddy has no array type yet");
  PT_ERROR("SELECT foo(1)", 1, 8, "unknown function foo()");
  PT_ERROR("SELECT date_trunc('fortnight', ts) FROM events", 1, 19,
           "date_trunc() unit must be one of microsecond, millisecond, "
           "second, minute, hour, day, week, month, quarter, year");
  PT_ERROR("SELECT to_timestamp('yesterday')", 1, 21,
           "invalid TIMESTAMP literal 'yesterday'");
  PT_SHAPE("SELECT window(ts, '1 minute') AS w, count(*) AS n FROM events "
           "GROUP BY window(ts, '1 minute')",
           "Project(HashAggregate(TableScan))", "w WINDOW, n BIGINT");
  PT_SHAPE("SELECT w.start, w.end, n FROM (SELECT window(ts, '1 minute', "
           "'30 seconds') AS w, count(*) AS n FROM events GROUP BY 1) x",
           "Project(StreamAggregate(TableScan))",
           "w.start TIMESTAMP, w.end TIMESTAMP, n BIGINT");
  PtPlan r = pt_plan("SELECT session_window(ts, INTERVAL '5' MINUTE), count(*) "
                     "FROM events GROUP BY 1");
  const EdPlan *agg = pt_find(r.physical, PHYS_STREAM_AGGREGATE);
  const EdExpr *e = agg ? agg->exprs[0] : NULL;
  TAP_OK(e && e->kind == EXPR_FUNC && e->op == FN_SESSION_WINDOW &&
             e->type == ED_T_WINDOW && e->args[1]->kind == EXPR_CONST &&
             e->args[1]->value.u.i == 300 * ED_USEC_PER_SEC,
         "session_window gap is a 5-minute INTERVAL constant");
  r = pt_plan("SELECT window(ts, '10 seconds') FROM events");
  e = proj_expr(&r, 0);
  TAP_OK(e && e->args[1]->type == ED_T_INTERVAL &&
             e->args[1]->value.u.i == 10 * ED_USEC_PER_SEC,
         "window size string becomes an INTERVAL of 10 s");
  PT_ERROR("SELECT window(ts, 'abc') FROM events", 1, 19,
           "invalid INTERVAL literal 'abc' (expected e.g. '10 seconds' or '1 "
           "minute')");
  PT_ERROR("SELECT window(ts, user_id) FROM events", 1, 19,
           "window() takes (TIMESTAMP, INTERVAL size [, INTERVAL slide]); "
           "argument 2 is BIGINT");
  PT_ERROR("SELECT x.start FROM (SELECT page AS x FROM events) y", 1, 8,
           "unknown table \"x\" in \"x.start\"; tables in scope: y");
}

static void test_aggregates(void) {
  PtPlan r = pt_plan("SELECT count(*), count(page), count(DISTINCT page), "
                     "sum(user_id), sum(latency_ms), avg(user_id), min(page), "
                     "max(ts) FROM events");
  TAP_EQ_STR(pt_schema(r.physical),
             "count(*) BIGINT, count(page) BIGINT, count(DISTINCT page) "
             "BIGINT, sum(user_id) BIGINT, sum(latency_ms) DOUBLE, "
             "avg(user_id) DOUBLE, min(page) VARCHAR, max(ts) TIMESTAMP",
             "aggregate result types");
  TAP_EQ_STR(pt_shape(r.physical), "HashAggregate(TableScan)",
             "aggregate without GROUP BY");
  const EdPlan *ag = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_EQ_INT(ag ? ag->naggs : -1, 8, "eight aggregate calls");
  TAP_EQ_INT(ag ? ag->nexprs : -1, 0, "no group keys");
  TAP_OK(ag && ag->aggs[0].fn == AGG_COUNT_STAR && !ag->aggs[0].arg &&
             ag->aggs[2].fn == AGG_COUNT && ag->aggs[2].distinct &&
             ag->aggs[5].fn == AGG_AVG && ag->aggs[5].arg->type == ED_T_BIGINT,
         "aggregate calls: count(*), count(DISTINCT), avg over BIGINT");

  r = pt_plan("SELECT count(*), count(*) + 1 FROM events");
  ag = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_EQ_INT(ag ? ag->naggs : -1, 1, "identical aggregate calls are shared");

  r = pt_plan("SELECT page, count(*) FROM events GROUP BY page HAVING "
              "count(*) > 1 ORDER BY count(*) DESC");
  TAP_EQ_STR(pt_shape(r.physical), "Sort(Filter(HashAggregate(TableScan)))",
             "GROUP BY / HAVING / ORDER BY an aggregate");
  ag = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_EQ_INT(ag ? ag->naggs : -1, 1, "HAVING and ORDER BY reuse count(*)");
  TAP_EQ_STR(pt_schema(r.physical), "page VARCHAR, count(*) BIGINT",
             "output: keys then aggregates");

  r = pt_plan("SELECT page AS p, count(*) FROM events GROUP BY 1");
  ag = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_OK(ag && ag->nexprs == 1 && ag->exprs[0]->kind == EXPR_COLREF &&
             ag->exprs[0]->col == 2,
         "GROUP BY ordinal names the select item (page)");
  r = pt_plan("SELECT page AS p, count(*) FROM events GROUP BY p");
  ag = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_OK(ag && ag->nexprs == 1 && ag->exprs[0]->kind == EXPR_COLREF &&
             ag->exprs[0]->col == 2,
         "GROUP BY alias names the select item (page)");
  PT_SHAPE("SELECT user_id + 1 AS k, sum(latency_ms) AS s FROM events GROUP BY "
           "user_id + 1",
           "Project(HashAggregate(TableScan))", "k BIGINT, s DOUBLE");
  PT_SHAPE("SELECT user_id * 2 + 1 AS k FROM events GROUP BY user_id",
           "Project(HashAggregate(TableScan))", "k BIGINT");
  PT_SHAPE("SELECT * FROM users GROUP BY name, id", "Project(HashAggregate(TableScan))",
           "id BIGINT, name VARCHAR");
  PT_SHAPE("SELECT count(*) FROM events HAVING count(*) > 0",
           "Filter(HashAggregate(TableScan))", "count(*) BIGINT");
  PT_SHAPE("SELECT u.name, sum(o.amount) AS total FROM users u JOIN orders o "
           "ON u.id = o.user_id GROUP BY u.name ORDER BY total DESC LIMIT 3",
           "Limit(Sort(Project(HashAggregate(HashJoin(TableScan,TableScan)))))",
           "name VARCHAR, total DOUBLE");

  PT_ERROR("SELECT user_id + 2 FROM events GROUP BY user_id + 1", 1, 8,
           "column \"events.user_id\" must appear in the GROUP BY clause or be "
           "used in an aggregate function");
  PT_ERROR("SELECT page, count(*) FROM events", 1, 8,
           "column \"events.page\" must appear in the GROUP BY clause or be "
           "used in an aggregate function");
  PT_ERROR("SELECT * FROM users GROUP BY id", 1, 8,
           "column \"users.name\" must appear in the GROUP BY clause or be "
           "used in an aggregate function");
  PT_ERROR("SELECT sum(count(*)) FROM events", 1, 12,
           "aggregate function calls cannot be nested");
  PT_ERROR("SELECT * FROM events WHERE count(*) > 1", 1, 28,
           "aggregate functions are not allowed in WHERE");
  PT_ERROR("SELECT count(*) AS n FROM events WHERE n > 1", 1, 40,
           "\"n\" names an aggregate of the select list, which is not allowed "
           "in WHERE");
  PT_ERROR("SELECT count(*) FROM events GROUP BY count(*)", 1, 38,
           "aggregate functions are not allowed in GROUP BY");
  PT_ERROR("SELECT * FROM users u JOIN orders o ON count(*) > 1", 1, 40,
           "aggregate functions are not allowed in ON");
  PT_ERROR("SELECT sum(page) FROM events", 1, 12,
           "sum() takes a numeric argument, got VARCHAR");
  PT_ERROR("SELECT count(page, ts) FROM events", 1, 8,
           "count() takes exactly one argument (got 2)");
  PT_ERROR("SELECT page FROM events GROUP BY 3", 1, 34,
           "GROUP BY position 3 is out of range: the select list has 1 column");
  PT_ERROR("SELECT page FROM events GROUP BY page ORDER BY user_id", 1, 48,
           "column \"events.user_id\" must appear in the GROUP BY clause or be "
           "used in an aggregate function");
}

static void test_order_limit(void) {
  PtPlan r = pt_plan("SELECT page AS p FROM events ORDER BY p");
  const EdPlan *s = pt_find(r.physical, PHYS_SORT);
  TAP_OK(s && s->nsort == 1 && s->sort[0].expr->col == 0 && !s->sort[0].desc &&
             s->sort[0].nulls_first,
         "ORDER BY alias; ASC puts NULLs first");
  r = pt_plan("SELECT page, user_id FROM events ORDER BY 2 DESC");
  s = pt_find(r.physical, PHYS_SORT);
  TAP_OK(s && s->sort[0].expr->col == 1 && s->sort[0].desc &&
             !s->sort[0].nulls_first,
         "ORDER BY ordinal DESC puts NULLs last");
  r = pt_plan("SELECT page FROM events ORDER BY page DESC NULLS FIRST, ts NULLS LAST");
  s = pt_find(r.physical, PHYS_SORT);
  TAP_OK(s && s->nsort == 2 && s->sort[0].nulls_first && !s->sort[1].nulls_first,
         "explicit NULLS FIRST / NULLS LAST");
  PT_SHAPE("SELECT page FROM events ORDER BY latency_ms",
           "Project(Sort(Project(TableScan)))", "page VARCHAR");
  PT_SHAPE("SELECT page FROM events ORDER BY latency_ms * 2 LIMIT 3",
           "Project(Limit(Sort(Project(TableScan))))", "page VARCHAR");
  r = pt_plan("SELECT page FROM events ORDER BY latency_ms LIMIT 3 OFFSET 2");
  s = pt_find(r.physical, PHYS_SORT);
  const EdPlan *l = pt_find(r.physical, PHYS_LIMIT);
  TAP_OK(s && s->limit == 5, "top-N sort keeps limit + offset rows");
  TAP_OK(l && l->limit == 3 && l->offset == 2, "LIMIT 3 OFFSET 2");
  r = pt_plan("SELECT page FROM events LIMIT 2 + 3");
  l = pt_find(r.physical, PHYS_LIMIT);
  TAP_OK(l && l->limit == 5 && l->offset == 0, "LIMIT takes a constant expression");
  PT_SHAPE("SELECT page FROM events LIMIT -1", "Project(TableScan)",
           "page VARCHAR");
  r = pt_plan("SELECT page FROM events LIMIT -1 OFFSET 4");
  l = pt_find(r.physical, PHYS_LIMIT);
  TAP_OK(l && l->limit == -1 && l->offset == 4,
         "negative LIMIT means none, OFFSET still applies");
  r = pt_plan("SELECT page FROM events ORDER BY page LIMIT 0");
  s = pt_find(r.physical, PHYS_SORT);
  TAP_OK(s && s->limit == 0, "LIMIT 0 over a sort");
  PT_SHAPE("SELECT DISTINCT page FROM events ORDER BY page",
           "Sort(HashDistinct(Project(TableScan)))", "page VARCHAR");
  PT_ERROR("SELECT DISTINCT page FROM events ORDER BY ts", 1, 43,
           "for SELECT DISTINCT, ORDER BY expressions must appear in the "
           "select list");
  PT_ERROR("SELECT page FROM events ORDER BY 2", 1, 34,
           "ORDER BY position 2 is out of range: the select list has 1 column");
  PT_ERROR("SELECT page FROM events LIMIT 'a'", 1, 31,
           "LIMIT must be an integer, not VARCHAR");
  PT_ERROR("SELECT page FROM events LIMIT page", 1, 31,
           "column reference \"page\" is not allowed here: LIMIT takes "
           "constant expressions");
  PT_ERROR("SELECT page FROM events LIMIT 1 OFFSET 1.5", 1, 40,
           "OFFSET must be an integer, not DOUBLE");
}

static void test_setops(void) {
  PT_SHAPE("SELECT user_id FROM events UNION ALL SELECT amount FROM orders",
           "UnionAll(Project(TableScan),Project(TableScan))", "user_id DOUBLE");
  PtPlan r = pt_plan("SELECT user_id FROM events UNION ALL SELECT amount FROM orders");
  const EdPlan *u = pt_find(r.physical, PHYS_UNION_ALL);
  TAP_OK(u && u->left->exprs[0]->kind == EXPR_CAST &&
             u->left->exprs[0]->type == ED_T_DOUBLE &&
             u->right->exprs[0]->kind == EXPR_COLREF,
         "UNION ALL casts the BIGINT side to DOUBLE");
  PT_SHAPE("SELECT page FROM events EXCEPT SELECT name FROM users ORDER BY "
           "page DESC",
           "Sort(HashSetOp(Project(TableScan),Project(TableScan)))",
           "page VARCHAR");
  r = pt_plan("SELECT page FROM events UNION SELECT name AS x FROM users "
              "ORDER BY x DESC");
  const EdPlan *so = pt_find(r.physical, PHYS_SORT);
  TAP_OK(so && so->sort[0].expr->col == 0 && so->sort[0].desc,
         "compound ORDER BY may use an alias of a later SELECT");
  r = pt_plan("SELECT id FROM users INTERSECT SELECT user_id FROM orders "
              "UNION SELECT 5");
  const EdPlan *top = r.physical;
  TAP_OK(top && top->phys == PHYS_HASH_SETOP && top->setop == SETOP_UNION &&
             top->left->phys == PHYS_HASH_SETOP &&
             top->left->setop == SETOP_INTERSECT,
         "set operations combine left to right");
  PT_SHAPE("SELECT NULL UNION SELECT 1.5", "HashSetOp(Project(Values),Project(Values))",
           "NULL DOUBLE");
  PT_SHAPE("SELECT DISTINCT page FROM events UNION ALL SELECT name FROM users "
           "ORDER BY 1 LIMIT 2",
           "Limit(Sort(UnionAll(HashDistinct(Project(TableScan)),Project("
           "TableScan))))",
           "page VARCHAR");
  PT_ERROR("SELECT page, ts FROM events UNION SELECT name FROM users", 1, 35,
           "SELECTs to the left and right of UNION do not have the same number "
           "of result columns (2 and 1)");
  PT_ERROR("SELECT page FROM events UNION SELECT id FROM users", 1, 38,
           "incompatible types VARCHAR and BIGINT in column 1 of the compound "
           "SELECT");
  PT_ERROR("SELECT page FROM events UNION SELECT name FROM users ORDER BY "
           "nope",
           1, 63,
           "ORDER BY term 1 does not match any column of the result of the "
           "compound SELECT (use an output column name or number)");
}

static void test_joins(void) {
  PtPlan r = pt_plan("SELECT * FROM users u, orders o WHERE u.id = o.user_id");
  const EdPlan *j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(j && j->join_type == JOIN_INNER && j->nkeys == 1 && !j->pred &&
             j->lkeys[0]->col == 0 && j->rkeys[0]->col == 1,
         "comma join + WHERE equality: hash join on u.id = o.user_id");
  r = pt_plan("SELECT * FROM users u JOIN orders o ON o.user_id = u.id");
  j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(j && j->nkeys == 1 && j->lkeys[0]->col == 0 && j->rkeys[0]->col == 1,
         "swapped equality: lkey over the left row, rkey over the right row");
  r = pt_plan("SELECT * FROM users u JOIN orders o ON u.id + 1 = o.user_id * 2 "
              "AND o.amount > u.id");
  j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(j && j->nkeys == 1, "expression keys");
  TAP_EQ_STR(j ? ed_expr_text(j->lkeys[0], &j->left->schema, &pt_arena) : "",
             "id + 1", "lkey text");
  TAP_EQ_STR(j ? ed_expr_text(j->rkeys[0], &j->right->schema, &pt_arena) : "",
             "user_id * 2", "rkey text over the right row");
  TAP_EQ_STR(j && j->pred ? ed_expr_text(j->pred, &j->schema, &pt_arena) : "",
             "amount > CAST(u.id AS DOUBLE)",
             "residual over the joined row (id is ambiguous there)");
  PT_SHAPE("SELECT * FROM users, orders", "NestedLoopJoin(TableScan,TableScan)",
           "id BIGINT, name VARCHAR, id BIGINT, user_id BIGINT, amount DOUBLE");
  r = pt_plan("SELECT * FROM users u JOIN orders o ON u.id < o.user_id");
  j = pt_find(r.physical, PHYS_NESTED_LOOP_JOIN);
  TAP_OK(j && j->join_type == JOIN_INNER && j->pred && j->nkeys == 0,
         "theta join: nested loops with the condition");
  r = pt_plan("SELECT * FROM users u LEFT JOIN orders o ON u.id = o.user_id "
              "WHERE o.amount > 10 AND u.name = 'a'");
  TAP_EQ_STR(pt_shape(r.physical),
             "Filter(HashJoin(Filter(TableScan),TableScan))",
             "LEFT JOIN: WHERE on the left goes down, on the right stays");
  j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(j && j->join_type == JOIN_LEFT, "left hash join");
  PT_SHAPE("SELECT * FROM users u LEFT JOIN orders o ON u.id = o.user_id AND "
           "o.amount > 10",
           "HashJoin(TableScan,Filter(TableScan))",
           "id BIGINT, name VARCHAR, id BIGINT, user_id BIGINT, amount DOUBLE");
  r = pt_plan("SELECT * FROM users u LEFT JOIN orders o ON u.id = o.user_id "
              "AND u.name = 'a'");
  j = pt_find(r.physical, PHYS_HASH_JOIN);
  TAP_OK(j && j->pred && pt_shape(r.physical)[0] == 'H' &&
             strcmp(pt_shape(r.physical), "HashJoin(TableScan,TableScan)") == 0,
         "LEFT JOIN: an ON condition on the left side stays in the join");
  r = pt_plan("SELECT * FROM users a, orders b, users c WHERE c.id = b.user_id "
              "AND a.id = c.id");
  TAP_EQ_STR(pt_shape(r.physical),
             "Project(HashJoin(HashJoin(TableScan,TableScan),TableScan))",
             "three-way comma join is ordered to avoid a cross product");
  TAP_EQ_STR(pt_schema(r.physical),
             "id BIGINT, name VARCHAR, id BIGINT, user_id BIGINT, amount "
             "DOUBLE, id BIGINT, name VARCHAR",
             "join reordering keeps the column order");
}

int main(void) {
  pt_init();
  test_names();
  test_name_errors();
  test_plan_errors();
  test_streams();
  test_types();
  test_functions();
  test_aggregates();
  test_order_limit();
  test_setops();
  test_joins();
  pt_fini();
  return tap_done();
}
