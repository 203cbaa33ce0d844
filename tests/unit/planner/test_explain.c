/*
** tests/unit/planner/test_explain.c — EXPLAIN text of logical and physical
** plans, and ed_expr_text (column names, qualification only when a name is
** ambiguous, parentheses only where precedence needs them).
*/
#include "tests/unit/planner/planner_test.h"

static const char *expr_text(const char *sql, int i) {
  PtPlan r = pt_plan(sql);
  const EdPlan *p = pt_find(r.physical, PHYS_PROJECT);
  if (!p || i >= p->nexprs) return "(no project)";
  return ed_expr_text(p->exprs[i], &p->left->schema, &pt_arena);
}

static void test_expr_text(void) {
  const char *sql =
      "SELECT (user_id + 1) * 2, user_id - (1 - user_id), user_id - 1 - 2, "
      "NOT (user_id > 1 AND user_id < 5), user_id > 1 OR user_id < 0 AND "
      "page IS NULL, page LIKE 'a%' ESCAPE '!', user_id NOT IN (1, 2), "
      "CASE WHEN page = 'it''s' THEN lower(page) ELSE 'x' END, "
      "coalesce(page, 'none') || '!', -(user_id + 1), page IS NOT NULL, "
      "ts > '2024-01-01' FROM events";
  TAP_EQ_STR(expr_text(sql, 0), "(user_id + 1) * 2", "parenthesized sum");
  TAP_EQ_STR(expr_text(sql, 1), "user_id - (1 - user_id)", "right-nested minus");
  TAP_EQ_STR(expr_text(sql, 2), "user_id - 1 - 2", "left-nested minus");
  TAP_EQ_STR(expr_text(sql, 3), "NOT (user_id > 1 AND user_id < 5)", "NOT of AND");
  TAP_EQ_STR(expr_text(sql, 4), "user_id > 1 OR user_id < 0 AND page IS NULL",
             "AND binds tighter than OR");
  TAP_EQ_STR(expr_text(sql, 5), "page LIKE 'a%' ESCAPE '!'", "LIKE ESCAPE");
  TAP_EQ_STR(expr_text(sql, 6), "user_id NOT IN (1, 2)", "NOT IN");
  TAP_EQ_STR(expr_text(sql, 7),
             "CASE WHEN page = 'it''s' THEN lower(page) ELSE 'x' END",
             "CASE with a quoted string");
  TAP_EQ_STR(expr_text(sql, 8), "coalesce(page, 'none') || '!'", "concat");
  TAP_EQ_STR(expr_text(sql, 9), "-(user_id + 1)", "negation of a sum");
  TAP_EQ_STR(expr_text(sql, 10), "page IS NOT NULL", "IS NOT NULL");
  TAP_EQ_STR(expr_text(sql, 11), "ts > TIMESTAMP '2024-01-01 00:00:00'",
             "timestamp constant");
  TAP_EQ_STR(expr_text("SELECT user_id + latency_ms FROM events", 0),
             "CAST(user_id AS DOUBLE) + latency_ms", "implicit cast is shown");
}

static void test_explain(void) {
  PT_EXPLAIN("SELECT page, count(*) AS n, avg(latency_ms) FROM events WHERE "
             "latency_ms > 100 GROUP BY page",
             "Project [page, count(*) AS n, avg(latency_ms)]\n"
             "  HashAggregate keys=[page] aggs=[count(*), avg(latency_ms)]\n"
             "    Filter (latency_ms > 100.0)\n"
             "      TableScan events\n");
  PT_EXPLAIN("SELECT a.name FROM users a JOIN users b ON a.id = b.id",
             "Project [a.name AS name]\n"
             "  HashJoin INNER on [a.id = b.id]\n"
             "    TableScan users AS a\n"
             "    TableScan users AS b\n");
  PT_EXPLAIN("SELECT * FROM clicks", "FileScan clicks (csv: examples/events.csv)\n");
  PT_EXPLAIN("SELECT page FROM events ORDER BY page DESC NULLS FIRST LIMIT 10 "
             "OFFSET 5",
             "Limit 10 offset 5\n"
             "  Sort [page DESC NULLS FIRST] top 15\n"
             "    Project [page]\n"
             "      TableScan events\n");
  PT_EXPLAIN("SELECT * FROM users u LEFT JOIN orders o ON u.id = o.user_id AND "
             "u.name <> o.amount || ''",
             "HashJoin LEFT on [u.id = user_id] filter (name <> "
             "CAST(amount AS VARCHAR) || '')\n"
             "  TableScan users AS u\n"
             "  TableScan orders AS o\n");
  PT_EXPLAIN("SELECT * FROM users, orders WHERE users.id < orders.user_id",
             "NestedLoopJoin INNER on (users.id < user_id)\n"
             "  TableScan users\n"
             "  TableScan orders\n");
  PT_EXPLAIN("SELECT * FROM users CROSS JOIN orders",
             "NestedLoopJoin CROSS\n"
             "  TableScan users\n"
             "  TableScan orders\n");
  PT_EXPLAIN("SELECT DISTINCT name FROM users UNION ALL SELECT page FROM events "
             "INTERSECT SELECT 'x'",
             "HashSetOp INTERSECT\n"
             "  UnionAll\n"
             "    HashDistinct\n"
             "      Project [name]\n"
             "        TableScan users\n"
             "    Project [page]\n"
             "      TableScan events\n"
             "  Project ['x']\n"
             "    Values (1 row)\n");
  PtPlan r = pt_plan("SELECT u.name, sum(o.amount) FROM users u JOIN orders o "
                     "ON u.id = o.user_id GROUP BY u.name");
  TAP_EQ_STR(r.logical ? ed_plan_explain(r.logical, &pt_arena) : "",
             "Project [name, sum(amount) AS sum(o.amount)]\n"
             "  Aggregate keys=[name] aggs=[sum(amount)]\n"
             "    Join INNER on (u.id = user_id)\n"
             "      Scan users AS u\n"
             "      Scan orders AS o\n",
             "logical plan text");
}

int main(void) {
  pt_init();
  test_expr_text();
  test_explain();
  pt_fini();
  return tap_done();
}
