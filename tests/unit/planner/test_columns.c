/*
** tests/unit/planner/test_columns.c — ed_plan_scan_columns: which columns
** of a scan a plan reads (what a decoding source may skip).  Each case
** plans a query and names, per scanned table, the columns the query's
** text uses, written by hand from the SQL: the select list, WHERE, GROUP
** BY, aggregate arguments, join conditions, ORDER BY, and every column of
** an input whose whole rows matter (*, DISTINCT over it).
*/
#include "tests/unit/planner/planner_test.h"

/* The scan of table name in the plan (the first, in pre-order). */
static const EdPlan *find_scan(const EdPlan *p, const char *name) {
  if (!p) return NULL;
  if ((p->phys == PHYS_TABLE_SCAN || p->phys == PHYS_FILE_SCAN ||
       p->phys == PHYS_STREAM_SCAN) &&
      p->table && strcmp(p->table->name, name) == 0)
    return p;
  const EdPlan *x = find_scan(p->left, name);
  return x ? x : find_scan(p->right, name);
}

/* The columns of table's scan that the plan reads, "a,b" in schema order
** ("-" when the plan has no such scan). */
static const char *used(const PtPlan *r, const char *table) {
  static char buf[4][256];
  static int k;
  char *b = buf[k++ & 3];
  const EdPlan *scan = r->rc == 0 ? find_scan(r->physical, table) : NULL;
  if (!scan) return "-";
  bool flags[64];
  ed_plan_scan_columns(r->physical, scan, flags);
  b[0] = '\0';
  for (int i = 0; i < scan->schema.ncols; i++) {
    if (!flags[i]) continue;
    if (b[0]) strcat(b, ",");
    strcat(b, scan->schema.cols[i].name);
  }
  return b;
}

static void check(const char *sql, const char *table, const char *want) {
  PtPlan r = pt_plan(sql);
  char prefix[64];
  snprintf(prefix, sizeof prefix, "%s: ", table);
  TAP_EQ_STR(used(&r, table), want, pt_name(prefix, sql));
}

static void check_stream(const char *sql, const char *table,
                         const char *want) {
  PtPlan r = pt_plan_stream(sql, NULL);
  char prefix[64];
  snprintf(prefix, sizeof prefix, "%s: ", table);
  TAP_EQ_STR(used(&r, table), want, pt_name(prefix, sql));
}

int main(void) {
  ed_arena_init(&pt_arena, 4096);
  pt_catalog(&pt_cat);

  check("SELECT count(*) AS n FROM events WHERE latency_ms > 100", "events",
        "latency_ms");
  check("SELECT page, count(*), avg(latency_ms) FROM events GROUP BY page",
        "events", "page,latency_ms");
  check("SELECT count(*) FROM events", "events", "");
  check("SELECT * FROM events", "events", "ts,user_id,page,latency_ms");
  check("SELECT user_id FROM events ORDER BY ts", "events", "ts,user_id");
  check("SELECT DISTINCT page FROM events", "events", "page");
  check("SELECT CASE WHEN user_id > 5 THEN page END AS x FROM events",
        "events", "user_id,page");
  check("SELECT p FROM (SELECT page AS p, latency_ms AS l, user_id AS u "
        "FROM events) WHERE l > 5",
        "events", "page,latency_ms");
  check("SELECT page FROM events UNION ALL SELECT name FROM users", "events",
        "page");
  check("SELECT page FROM events UNION ALL SELECT name FROM users", "users",
        "name");
  const char *join =
      "SELECT u.name, sum(o.amount) AS total FROM users u JOIN orders o "
      "ON u.id = o.user_id GROUP BY u.name";
  check(join, "users", "id,name");
  check(join, "orders", "user_id,amount");
  const char *nl =
      "SELECT o.id FROM orders o, users u WHERE o.amount > u.id";
  check(nl, "orders", "id,amount");
  check(nl, "users", "id");
  check("SELECT e.page, u.name FROM events e LEFT JOIN users u "
        "ON e.user_id = u.id WHERE e.latency_ms > 1",
        "events", "user_id,page,latency_ms");

  check_stream("SELECT v FROM s", "s", "v");
  check_stream("SELECT window(ts, '10 seconds') AS w, count(*) AS n FROM s "
               "GROUP BY window(ts, '10 seconds')",
               "s", "ts");
  check_stream("SELECT count(*) AS n FROM s WHERE v > 1", "s", "v");

  ed_catalog_free(&pt_cat);
  ed_arena_free(&pt_arena);
  return tap_done();
}
