/*
** tests/unit/planner/test_subquery.c — subqueries in expressions: scalar
** `(SELECT ...)`, `x [NOT] IN (SELECT ...)` and `[NOT] EXISTS (SELECT ...)`,
** uncorrelated and correlated.
**
** Binding errors are checked for their text and position (counted by
** hand) on the planner's test catalog, and EXPLAIN for its text.  Results
** are checked against SQLite through its C API: generated tables (NULLs in
** every column, duplicates, an empty table, a table without NULLs) are
** loaded into an eddy session and into SQLite with the same statements,
** and each query's rows must be the same multiset (or the same list, for
** queries whose ORDER BY decides every row).  Values compare as text:
** integers and BOOLEANs as integers (SQLite has no BOOLEAN: 0 / 1),
** doubles with %.9g, NULL as NULL.  Where SQL and SQLite differ (a scalar
** subquery with two rows is an error in SQL, SQLite takes the first) eddy's
** error is checked alone.
*/
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "exec/batch.h"
#include "sinks/sink.h"
#include "tests/unit/planner/planner_test.h"

/* ------------------------------------------------------------- binding */

static void test_bind_errors(void) {
  PT_ERROR("SELECT (SELECT id, name FROM users) FROM events", 1, 9,
           "a scalar subquery must return one column, not 2");
  PT_ERROR("SELECT * FROM events WHERE user_id IN (SELECT id, name FROM users)",
           1, 40, "the subquery of IN must return one column, not 2");
  PT_ERROR("SELECT * FROM events WHERE page IN (SELECT id FROM users)", 1, 37,
           "incompatible types VARCHAR and BIGINT in IN");
  PT_ERROR("SELECT (SELECT nme FROM users) FROM events", 1, 16,
           "unknown column \"nme\" (did you mean \"name\"?); columns in scope: "
           "id, name");
  /* An outer column read from a grouped query must be a group key. */
  PT_ERROR("SELECT (SELECT count(*) FROM orders o WHERE o.user_id = "
           "events.user_id) FROM events GROUP BY page",
           1, 57,
           "column \"events.user_id\" must appear in the GROUP BY clause or be "
           "used in an aggregate function");
  PT_ERROR("SELECT (SELECT sum(events.latency_ms) FROM users) FROM events", 1,
           8,
           "the aggregate sum(events.latency_ms) in this subquery reads only "
           "columns of an enclosing query, which would make it an aggregate of "
           "that query: this is not supported (aggregate in the enclosing "
           "query instead)");
  PT_ERROR("SELECT * FROM events WHERE EXISTS (SELECT * FROM s)", 1, 28,
           "a subquery in an expression cannot read the stream \"s\": it reads "
           "tables only (join the stream instead)");
  PT_ERROR("SELECT (SELECT id FROM users LIMIT user_id) FROM events", 1, 36,
           "column reference \"user_id\" is not allowed here: LIMIT takes "
           "constant expressions");
  PT_ERROR("SELECT page FROM events LIMIT (SELECT count(*) FROM users)", 1,
           31, "LIMIT must be a constant expression, not a subquery");
  PT_ERROR("SELECT (SELECT x.id FROM users) FROM events", 1, 16,
           "unknown table \"x\" in \"x.id\"; tables in scope: users");
  /* Two levels out, through the middle query: still grouped. */
  PT_ERROR("SELECT page FROM events GROUP BY page HAVING EXISTS (SELECT 1 FROM "
           "users WHERE EXISTS (SELECT 1 FROM orders WHERE orders.amount > "
           "events.latency_ms))",
           1, 131,
           "column \"events.latency_ms\" must appear in the GROUP BY clause or "
           "be used in an aggregate function");
}

/* Types of subquery nodes, and that they bind where the corpus uses them. */
static void test_bind_shapes(void) {
  PT_SHAPE("SELECT page, (SELECT count(*) FROM orders o WHERE o.user_id = "
           "e.user_id) AS n FROM events e",
           "Project(TableScan)", "page VARCHAR, n BIGINT");
  PT_SHAPE("SELECT user_id IN (SELECT id FROM users) AS i, EXISTS (SELECT 1 "
           "FROM users) AS x, (SELECT avg(amount) FROM orders) AS a FROM "
           "events",
           "Project(TableScan)", "i BOOLEAN, x BOOLEAN, a DOUBLE");
  /* Grouped outer values: a key, and an aggregate compared outside. */
  PT_SHAPE("SELECT page, count(*) > (SELECT count(*) FROM users WHERE "
           "users.name = events.page) AS more FROM events GROUP BY page",
           "Project(HashAggregate(TableScan))", "page VARCHAR, more BOOLEAN");
  /* The IN operand's type wins: BIGINT ids are compared as DOUBLEs. */
  PT_SHAPE("SELECT * FROM orders WHERE amount IN (SELECT id FROM users)",
           "Filter(TableScan)", "id BIGINT, user_id BIGINT, amount DOUBLE");
}

static void test_explain(void) {
  PT_EXPLAIN("SELECT page FROM events e WHERE latency_ms > (SELECT "
             "avg(amount) FROM orders o WHERE o.user_id = e.user_id) AND "
             "e.user_id NOT IN (SELECT id FROM users)",
             "Project [page]\n"
             "  Filter (latency_ms > (subquery #1) AND user_id NOT IN "
             "(subquery #2))\n"
             "    Subquery #1 (scalar, correlated on [user_id]):\n"
             "      HashAggregate keys=[] aggs=[avg(amount)]\n"
             "        Filter (user_id = e.user_id)\n"
             "          TableScan orders AS o\n"
             "    Subquery #2 (IN):\n"
             "      Project [id]\n"
             "        TableScan users\n"
             "    TableScan events AS e\n");
  /* Nested, with a column two levels out passed through the middle. */
  PT_EXPLAIN("SELECT name FROM users WHERE EXISTS (SELECT 1 FROM orders WHERE "
             "orders.user_id = users.id AND amount > (SELECT max(latency_ms) "
             "FROM events WHERE events.page = users.name))",
             "Project [name]\n"
             "  Filter (EXISTS (subquery #1))\n"
             "    Subquery #1 (EXISTS, correlated on [id, name]):\n"
             "      Limit 1\n"
             "        Project [1]\n"
             "          Filter (user_id = users.id AND amount > (subquery "
             "#2))\n"
             "            Subquery #2 (scalar, correlated on [users.name]):\n"
             "              HashAggregate keys=[] aggs=[max(latency_ms)]\n"
             "                Filter (page = users.name)\n"
             "                  TableScan events\n"
             "            TableScan orders\n"
             "    TableScan users\n");
  /* An uncorrelated condition goes down to its side of a join; one that
  ** reads both sides stays at the join. */
  PT_EXPLAIN("SELECT u.name FROM users u JOIN orders o ON u.id = o.user_id "
             "WHERE o.amount > (SELECT avg(amount) FROM orders) AND u.id IN "
             "(SELECT user_id FROM orders x WHERE x.amount > o.amount)",
             "Project [name]\n"
             "  HashJoin INNER on [u.id = user_id] filter (u.id IN (subquery "
             "#1))\n"
             "    Subquery #1 (IN, correlated on [amount]):\n"
             "      Project [user_id]\n"
             "        Filter (amount > o.amount)\n"
             "          TableScan orders AS x\n"
             "    TableScan users AS u\n"
             "    Filter (amount > (subquery #2))\n"
             "      Subquery #2 (scalar):\n"
             "        HashAggregate keys=[] aggs=[avg(amount)]\n"
             "          TableScan orders\n"
             "      TableScan orders AS o\n");
}

/* ------------------------------------------------------------ results */

/* Rows of a result as text lines "v|v|...". */
typedef struct Rows {
  char **v;
  int n, cap;
} Rows;

static void rows_add(Rows *r, const char *line) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    r->v = realloc(r->v, (size_t)r->cap * sizeof *r->v);
  }
  r->v[r->n++] = strdup(line);
}

static void rows_free(Rows *r) {
  for (int i = 0; i < r->n; i++) free(r->v[i]);
  free(r->v);
  memset(r, 0, sizeof *r);
}

static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the text of one value to line. */
static void put_text(char *line, size_t cap, const char *s) {
  size_t len = strlen(line);
  snprintf(line + len, cap - len, "%s%s", len ? "|" : "", s);
}

/* The sink that collects an eddy result. */
typedef struct RowSink {
  EdSink base;
  Rows *rows;
} RowSink;

static int rs_begin(EdSink *s, const EdSchema *schema) {
  (void)s;
  (void)schema;
  return 0;
}

static int rs_write(EdSink *s, const EdBatch *b) {
  RowSink *k = (RowSink *)s;
  for (int r = 0; r < ed_batch_count(b); r++) {
    char line[1024] = "", tmp[256];
    for (int c = 0; c < b->ncols; c++) {
      EdValue v;
      ed_batch_get(b, c, ed_batch_row(b, r), &v);
      if (v.is_null) snprintf(tmp, sizeof tmp, "NULL");
      else if (v.type == ED_T_BOOL) snprintf(tmp, sizeof tmp, "%d", v.u.b);
      else if (v.type == ED_T_BIGINT)
        snprintf(tmp, sizeof tmp, "%lld", (long long)v.u.i);
      else if (v.type == ED_T_DOUBLE) snprintf(tmp, sizeof tmp, "%.9g", v.u.d);
      else if (v.type == ED_T_VARCHAR)
        snprintf(tmp, sizeof tmp, "%.*s", (int)v.u.s.len, v.u.s.ptr);
      else snprintf(tmp, sizeof tmp, "?");
      put_text(line, sizeof line, tmp);
    }
    rows_add(k->rows, line);
  }
  return 0;
}

static int rs_end(EdSink *s) {
  (void)s;
  return 0;
}

static void rs_destroy(EdSink *s) { (void)s; }

static eddy_session *es;
static sqlite3 *db;

/* Runs sql on eddy into rows; returns 0, or -1 with the message in err. */
static int eddy_rows(const char *sql, Rows *rows, char *err, size_t cap) {
  RowSink k;
  memset(&k, 0, sizeof k);
  k.base.begin = rs_begin;
  k.base.write = rs_write;
  k.base.end = rs_end;
  k.base.destroy = rs_destroy;
  k.rows = rows;
  EdError e;
  memset(&e, 0, sizeof e);
  char text[4096];
  snprintf(text, sizeof text, "%s;", sql);
  if (ed_session_run(es, text, &k.base, &e) == 0) return 0;
  snprintf(err, cap, "%s", e.msg);
  return -1;
}

/* Runs sql on SQLite into rows; returns 0 or -1. */
static int sqlite_rows(const char *sql, Rows *rows) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    printf("# sqlite: %s: %s\n", sqlite3_errmsg(db), sql);
    return -1;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char line[1024] = "", tmp[256];
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: snprintf(tmp, sizeof tmp, "NULL"); break;
        case SQLITE_INTEGER:
          snprintf(tmp, sizeof tmp, "%lld",
                   (long long)sqlite3_column_int64(st, c));
          break;
        case SQLITE_FLOAT:
          snprintf(tmp, sizeof tmp, "%.9g", sqlite3_column_double(st, c));
          break;
        default:
          snprintf(tmp, sizeof tmp, "%s",
                   (const char *)sqlite3_column_text(st, c));
      }
      put_text(line, sizeof line, tmp);
    }
    rows_add(rows, line);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* Runs a statement on both engines. */
static int both_exec(const char *eddy_sql, const char *sqlite_sql) {
  EdError e;
  memset(&e, 0, sizeof e);
  char text[65536];
  snprintf(text, sizeof text, "%s;", eddy_sql);
  if (ed_session_run(es, text, NULL, &e) != 0) {
    printf("# eddy: %s\n", e.msg);
    return -1;
  }
  char *msg = NULL;
  if (sqlite3_exec(db, sqlite_sql, NULL, NULL, &msg) != SQLITE_OK) {
    printf("# sqlite: %s\n", msg);
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* A deterministic generator (64-bit LCG). */
static uint64_t rng = 0x5eed5eed12345678ULL;
static int rnd(int n) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (int)((rng >> 33) % (uint64_t)n);
}

/* Appends to buf a value: NULL with probability 1/7, else fmt of v. */
static void gen_val(char *buf, size_t cap, int v, const char *fmt, bool nulls) {
  size_t len = strlen(buf);
  if (nulls && rnd(7) == 0) snprintf(buf + len, cap - len, "NULL");
  else snprintf(buf + len, cap - len, fmt, v, v);
}

/* Loads t1 (a, b, c) 40 rows, t2 (x, y) 25 rows, t3 (x, y) empty and
** t4 (x) without NULLs into both engines. */
static int load_data(void) {
  const char *ddl[][2] = {
      {"CREATE TABLE t1 (a BIGINT, b BIGINT, c VARCHAR)",
       "CREATE TABLE t1 (a INTEGER, b INTEGER, c TEXT)"},
      {"CREATE TABLE t2 (x BIGINT, y DOUBLE)",
       "CREATE TABLE t2 (x INTEGER, y REAL)"},
      {"CREATE TABLE t3 (x BIGINT, y DOUBLE)",
       "CREATE TABLE t3 (x INTEGER, y REAL)"},
      {"CREATE TABLE t4 (x BIGINT)", "CREATE TABLE t4 (x INTEGER)"}};
  for (size_t i = 0; i < sizeof ddl / sizeof *ddl; i++)
    if (both_exec(ddl[i][0], ddl[i][1]) != 0) return -1;
  static char ins[65536];
  snprintf(ins, sizeof ins, "INSERT INTO t1 VALUES ");
  for (int r = 0; r < 40; r++) {
    strcat(ins, r ? ", (" : "(");
    gen_val(ins, sizeof ins, rnd(10), "%d", true);
    strcat(ins, ", ");
    gen_val(ins, sizeof ins, rnd(20), "%d", true);
    strcat(ins, ", ");
    gen_val(ins, sizeof ins, rnd(6), "'k%d'", true);
    strcat(ins, ")");
  }
  if (both_exec(ins, ins) != 0) return -1;
  snprintf(ins, sizeof ins, "INSERT INTO t2 VALUES ");
  for (int r = 0; r < 25; r++) {
    strcat(ins, r ? ", (" : "(");
    gen_val(ins, sizeof ins, rnd(10), "%d", true);
    strcat(ins, ", ");
    int h = rnd(20);
    size_t len = strlen(ins);
    if (rnd(7) == 0) snprintf(ins + len, sizeof ins - len, "NULL");
    else snprintf(ins + len, sizeof ins - len, "%d.%d", h / 2, h % 2 ? 5 : 0);
    strcat(ins, ")");
  }
  if (both_exec(ins, ins) != 0) return -1;
  snprintf(ins, sizeof ins, "INSERT INTO t4 VALUES ");
  for (int r = 0; r < 6; r++) {
    strcat(ins, r ? ", (" : "(");
    gen_val(ins, sizeof ins, rnd(10), "%d", false);
    strcat(ins, ")");
  }
  return both_exec(ins, ins);
}

/* Queries run on both engines.  ordered: the ORDER BY decides every
** output row, so the lists must be equal, not only the multisets. */
typedef struct DiffQuery {
  const char *sql;
  bool ordered;
} DiffQuery;

static const DiffQuery diff_queries[] = {
    /* Uncorrelated. */
    {"SELECT a, (SELECT max(x) FROM t2) FROM t1", false},
    {"SELECT a, b FROM t1 WHERE b > (SELECT avg(b) FROM t1)", false},
    {"SELECT a, (SELECT y FROM t3) FROM t1", false},
    {"SELECT a, a IN (SELECT x FROM t2), a NOT IN (SELECT x FROM t2) FROM t1",
     false},
    {"SELECT a, a IN (SELECT x FROM t4), a NOT IN (SELECT x FROM t4) FROM t1",
     false},
    {"SELECT a, a IN (SELECT x FROM t3), a NOT IN (SELECT x FROM t3) FROM t1",
     false},
    {"SELECT a FROM t1 WHERE a NOT IN (SELECT x FROM t2)", false},
    {"SELECT a FROM t1 WHERE a NOT IN (SELECT x FROM t2 WHERE x IS NOT "
     "NULL)",
     false},
    {"SELECT a, a IN (SELECT y FROM t2) FROM t1", false},
    {"SELECT NULL IN (SELECT x FROM t2), NULL IN (SELECT x FROM t3), "
     "NULL NOT IN (SELECT x FROM t3)",
     false},
    {"SELECT a, EXISTS (SELECT 1 FROM t3), NOT EXISTS (SELECT * FROM t2) "
     "FROM t1",
     false},
    {"SELECT c, count(*) FROM t1 WHERE a IN (SELECT x FROM t2 WHERE y > 3) "
     "GROUP BY c",
     false},
    {"SELECT CASE WHEN b > (SELECT avg(b) FROM t1) THEN a * 2 ELSE b * 10 "
     "END FROM t1",
     false},
    /* Correlated. */
    {"SELECT a, (SELECT count(*) FROM t2 WHERE t2.x < t1.a) FROM t1", false},
    {"SELECT a, (SELECT max(y) FROM t2 WHERE t2.x = t1.a) FROM t1", false},
    {"SELECT a, b, (SELECT count(*) FROM t1 AS z WHERE z.a > t1.a AND "
     "z.b < t1.b) FROM t1",
     false},
    {"SELECT c, (SELECT max(c) FROM t1 AS z WHERE z.b < t1.b) FROM t1", false},
    {"SELECT a, EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a), NOT EXISTS "
     "(SELECT 1 FROM t2 WHERE t2.x > t1.b) FROM t1",
     false},
    {"SELECT a, b FROM t1 WHERE EXISTS (SELECT 1 FROM t1 AS z WHERE z.b < "
     "t1.b)",
     false},
    {"SELECT a, b, b IN (SELECT x FROM t2 WHERE t2.x <> t1.a), b NOT IN "
     "(SELECT x FROM t2 WHERE t2.y < t1.a) FROM t1",
     false},
    {"SELECT c, c IN (SELECT c FROM t1 AS z WHERE z.a > t1.a) FROM t1", false},
    /* Nested; a column two levels out. */
    {"SELECT a, b FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a "
     "AND t2.y IN (SELECT z.b / 2.0 FROM t1 AS z WHERE z.c = t1.c))",
     false},
    {"SELECT a, (SELECT count(*) FROM t2 WHERE EXISTS (SELECT 1 FROM t4 "
     "WHERE t4.x = t2.x AND t4.x < t1.b)) FROM t1",
     false},
    /* Aggregate queries: grouped outer values, HAVING, aggregate args. */
    {"SELECT b, count(*), (SELECT count(*) FROM t2 WHERE t2.x <= t1.b) FROM "
     "t1 GROUP BY b",
     false},
    {"SELECT a, count(*) > (SELECT count(*) FROM t2 WHERE t2.x = t1.a) FROM "
     "t1 GROUP BY a",
     false},
    {"SELECT a, count(*) FROM t1 GROUP BY a HAVING count(*) >= (SELECT "
     "count(*) FROM t2 WHERE t2.x = t1.a)",
     false},
    {"SELECT sum((SELECT count(*) FROM t2 WHERE t2.x = t1.a)) FROM t1", false},
    /* A subquery written again in GROUP BY is the same expression. */
    {"SELECT (SELECT count(*) FROM t2 WHERE x < a), count(*) FROM t1 GROUP "
     "BY (SELECT count(*) FROM t2 WHERE x < a)",
     false},
    /* Unqualified outer names; a derived table; EXISTS over an aggregate
    ** (one row, even over no rows); IN over ORDER BY ... LIMIT. */
    {"SELECT a FROM t1 WHERE (SELECT count(*) FROM t2 WHERE x = a) > 1", false},
    {"SELECT * FROM (SELECT a, (SELECT max(x) FROM t2 WHERE x < t1.a) AS m "
     "FROM t1) AS d WHERE m > 3",
     false},
    {"SELECT a, EXISTS (SELECT count(*) FROM t2 WHERE x < 0) FROM t1", false},
    {"SELECT a, a IN (SELECT x FROM t2 WHERE x IS NOT NULL ORDER BY x DESC "
     "LIMIT 3) FROM t1",
     false},
    /* Joins, ORDER BY, set operations. */
    {"SELECT t1.a, t2.y FROM t1 JOIN t2 ON t1.a = t2.x WHERE t2.y > (SELECT "
     "avg(y) FROM t2 AS w WHERE w.x <= t1.a)",
     false},
    {"SELECT t1.a, t2.y FROM t1 JOIN t2 ON t1.a = t2.x AND t2.y >= (SELECT "
     "avg(y) FROM t2 AS w WHERE w.x <= t1.b)",
     false},
    {"SELECT t1.a, t2.x FROM t1 LEFT JOIN t2 ON t1.a = t2.x WHERE NOT EXISTS "
     "(SELECT 1 FROM t4 WHERE t4.x = t1.b)",
     false},
    {"SELECT a, b FROM t1 ORDER BY (SELECT count(*) FROM t2 WHERE t2.x < "
     "t1.a) DESC, a, b LIMIT 12",
     true},
    {"SELECT a FROM t1 WHERE a IN (SELECT x FROM t4) UNION SELECT x FROM t2 "
     "WHERE EXISTS (SELECT 1 FROM t1 WHERE t1.b = t2.x)",
     false},
};

static void test_against_sqlite(void) {
  es = eddy_open();
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    TAP_OK(0, "sqlite opens");
    return;
  }
  if (!TAP_OK(load_data() == 0, "tables load in both engines")) return;
  for (size_t i = 0; i < sizeof diff_queries / sizeof *diff_queries; i++) {
    const DiffQuery *q = &diff_queries[i];
    Rows e = {0}, s = {0};
    char err[1024] = "";
    int erc = eddy_rows(q->sql, &e, err, sizeof err);
    int src = sqlite_rows(q->sql, &s);
    if (!TAP_OK(erc == 0 && src == 0, pt_name("runs on both: ", q->sql))) {
      printf("#   eddy: %s\n", err);
    } else {
      if (!q->ordered && e.n) qsort(e.v, (size_t)e.n, sizeof *e.v, cmp_line);
      if (!q->ordered && s.n) qsort(s.v, (size_t)s.n, sizeof *s.v, cmp_line);
      bool same = e.n == s.n;
      int at = -1;
      for (int k = 0; k < e.n && same; k++)
        if (strcmp(e.v[k], s.v[k]) != 0) {
          same = false;
          at = k;
        }
      if (!TAP_OK(same, pt_name("same rows as SQLite: ", q->sql))) {
        printf("#   eddy %d rows, sqlite %d rows\n", e.n, s.n);
        if (at >= 0) printf("#   row %d: eddy %s, sqlite %s\n", at, e.v[at], s.v[at]);
      }
    }
    rows_free(&e);
    rows_free(&s);
  }
}

/* Where SQL and SQLite part: eddy's own errors and laziness. */
static void test_errors_at_run_time(void) {
  Rows r = {0};
  char err[1024] = "";
  int rc = eddy_rows("SELECT a, (SELECT x FROM t2) FROM t1", &r, err,
                     sizeof err);
  TAP_EQ_INT(rc, -1, "a scalar subquery with two rows fails");
  TAP_EQ_STR(err, "scalar subquery returned more than one row",
             "the error says why");
  rows_free(&r);
  /* Correlated: only combinations with two rows fail. */
  err[0] = 0;
  rc = eddy_rows("SELECT a, (SELECT x FROM t2 WHERE t2.x = t1.a) FROM t1", &r,
                 err, sizeof err);
  TAP_EQ_INT(rc, -1, "a correlated scalar subquery with two rows fails");
  TAP_EQ_STR(err, "scalar subquery returned more than one row",
             "the correlated error says why");
  rows_free(&r);
  /* Never reached: never run, so no error (a's values are 0..9 or NULL). */
  rc = eddy_rows("SELECT a, CASE WHEN a < 0 THEN (SELECT x FROM t2) ELSE 0 "
                 "END FROM t1",
                 &r, err, sizeof err);
  TAP_EQ_INT(rc, 0, "a subquery no row reaches does not run");
  TAP_EQ_INT(r.n, 40, "every row comes out");
  rows_free(&r);
  rc = eddy_rows("SELECT a FROM t1 WHERE a > 100 AND a = (SELECT x FROM t2)",
                 &r, err, sizeof err);
  TAP_EQ_INT(rc, 0, "AND decides before the subquery runs");
  TAP_EQ_INT(r.n, 0, "no row passes");
  rows_free(&r);
  err[0] = 0;
  rc = eddy_rows("INSERT INTO t4 VALUES ((SELECT 1))", &r, err, sizeof err);
  TAP_EQ_INT(rc, -1, "a subquery in VALUES is refused");
  TAP_EQ_STR(err,
             "a subquery is not allowed here: VALUES takes constant "
             "expressions",
             "VALUES says why");
  rows_free(&r);
  sqlite3_close(db);
  eddy_close(es);
}

int main(void) {
  pt_init();
  test_bind_errors();
  test_bind_shapes();
  test_explain();
  pt_fini();
  test_against_sqlite();
  test_errors_at_run_time();
  return tap_done();
}
