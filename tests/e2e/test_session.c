/*
** tests/e2e/test_session.c — the session API of libeddy, end to end:
** statements run through eddy_exec / ed_session_run with results collected
** by a sink, settings through eddy_set / eddy_get, error positions, the
** catalog entries that CREATE makes, the all-or-nothing INSERT, and a
** streaming query over a memory stream run by INSERT and eddy_finish.
** Expected values are worked out by hand from the SQL.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/arena.h"
#include "eddy.h"
#include "engine/session.h"
#include "exec/batch.h"
#include "exec/memtable.h"
#include "tests/unit/tap.h"

/* A sink that renders every result as text: "col|col\n" for the header,
** then one line per row, values as ed_value_to_text prints them. */
typedef struct TextSink {
  EdSink base;
  char buf[16384];
  size_t len;
  int results;
} TextSink;

/* Appends n bytes to the sink's text (cut when full). */
static void put(TextSink *t, const char *s, size_t n) {
  if (t->len + n + 1 >= sizeof t->buf) n = sizeof t->buf - t->len - 1;
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = 0;
}

static int ts_begin(EdSink *s, const EdSchema *schema) {
  TextSink *t = (TextSink *)s;
  t->results++;
  for (int i = 0; i < schema->ncols; i++) {
    if (i) put(t, "|", 1);
    put(t, schema->cols[i].name, strlen(schema->cols[i].name));
    put(t, ":", 1);
    const char *ty = ed_type_name(schema->cols[i].type);
    put(t, ty, strlen(ty));
  }
  put(t, "\n", 1);
  return 0;
}

static int ts_write(EdSink *s, const EdBatch *b) {
  TextSink *t = (TextSink *)s;
  for (int k = 0; k < ed_batch_count(b); k++) {
    int row = ed_batch_row(b, k);
    for (int c = 0; c < b->ncols; c++) {
      EdValue v;
      char text[128];
      ed_batch_get(b, c, row, &v);
      int n = ed_value_to_text(&v, text, (int)sizeof text);
      if (c) put(t, "|", 1);
      put(t, text, (size_t)n);
    }
    put(t, "\n", 1);
  }
  return 0;
}

static int ts_end(EdSink *s) {
  (void)s;
  return 0;
}

static void ts_destroy(EdSink *s) { (void)s; }

static void ts_init(TextSink *t) {
  memset(t, 0, sizeof *t);
  t->base.begin = ts_begin;
  t->base.write = ts_write;
  t->base.end = ts_end;
  t->base.destroy = ts_destroy;
}

/* Runs sql through ed_session_run into a fresh text sink; returns the
** text (static storage) or "ERROR: <msg>". */
static const char *run(eddy_session *s, const char *sql) {
  static TextSink t;
  static char out[16384 + 64];
  EdError err;
  ts_init(&t);
  if (ed_session_run(s, sql, &t.base, &err) != 0) {
    snprintf(out, sizeof out, "ERROR: %s", err.msg);
    return out;
  }
  snprintf(out, sizeof out, "%s", t.buf);
  return out;
}

/* Reads the whole of f from the start into a static buffer. */
static const char *slurp(FILE *f) {
  static char buf[8192];
  fflush(f);
  rewind(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  return buf;
}

static void test_results(void) {
  eddy_session *s = eddy_open();
  TAP_EQ_STR(run(s, "CREATE TABLE t (a BIGINT, b VARCHAR, c DOUBLE);"
                    "INSERT INTO t VALUES (1, 'x', 0.5), (2, NULL, 2);"
                    "SELECT a, b, c FROM t ORDER BY a;"),
             "a:BIGINT|b:VARCHAR|c:DOUBLE\n1|x|0.5\n2|NULL|2.0\n",
             "ed_session_run: schema and rows reach the sink");

  /* Conversions of an assignment: BIGINT -> DOUBLE, text -> TIMESTAMP,
  ** number -> VARCHAR; the column list leaves b NULL. */
  TAP_EQ_STR(run(s, "CREATE TABLE u (d DOUBLE, ts TIMESTAMP, v VARCHAR);"
                    "INSERT INTO u SELECT a, '2024-03-01 10:00:00', "
                    "a * 10 FROM t;"
                    "SELECT d, ts, v FROM u ORDER BY d;"),
             "d:DOUBLE|ts:TIMESTAMP|v:VARCHAR\n"
             "1.0|2024-03-01 10:00:00|10\n2.0|2024-03-01 10:00:00|20\n",
             "INSERT ... SELECT converts to the column types");

  TAP_EQ_STR(run(s, "INSERT INTO u (v) SELECT b FROM t WHERE a = 1;"
                    "SELECT count(*) AS n, count(d) AS nd, count(v) AS nv "
                    "FROM u;"),
             "n:BIGINT|nd:BIGINT|nv:BIGINT\n3|2|3\n",
             "columns left out of an INSERT are NULL");

  /* A bare NULL fits any column; a DOUBLE fits BIGINT when whole. */
  TAP_EQ_STR(run(s, "CREATE TABLE n (a BIGINT, ts TIMESTAMP);"
                    "INSERT INTO n SELECT 3.0, NULL;"
                    "SELECT a, ts FROM n;"),
             "a:BIGINT|ts:TIMESTAMP\n3|NULL\n",
             "INSERT ... SELECT of NULL and of a whole DOUBLE");
  TAP_EQ_STR(run(s, "INSERT INTO n SELECT 2.5, NULL;"),
             "ERROR: value 2.5 does not fit in BIGINT column \"a\"",
             "a DOUBLE with a fraction does not fit a BIGINT column");
  TAP_EQ_STR(run(s, "SELECT count(*) AS c FROM n; DROP TABLE n;"),
             "c:BIGINT\n1\n", "the failed INSERT ... SELECT added nothing");

  /* All or nothing: the second row fails to bind, no row is added. */
  const char *r = run(s, "INSERT INTO t VALUES (3, 'y', 1.0), (4, 'z');");
  TAP_OK(strstr(r, "ERROR: row 2 has 2 values") == r,
         "a bad row fails the INSERT");
  TAP_EQ_STR(run(s, "SELECT count(*) AS n FROM t;"), "n:BIGINT\n2\n",
             "a failed INSERT adds no row");

  TAP_EQ_STR(run(s, "SHOW TABLES;"),
             "name:VARCHAR|connector:VARCHAR|columns:VARCHAR\n"
             "t|memory|a BIGINT, b VARCHAR, c DOUBLE\n"
             "u|memory|d DOUBLE, ts TIMESTAMP, v VARCHAR\n",
             "SHOW TABLES through a sink");

  r = run(s, "EXPLAIN SELECT a FROM t;");
  TAP_OK(strncmp(r, "plan:VARCHAR\n== Logical Plan ==\n", 32) == 0,
         "EXPLAIN through a sink: one text column named plan");
  TAP_OK(strstr(r, "\n\n== Physical Plan ==\n") != NULL,
         "EXPLAIN: a blank line, then the physical plan");

  r = run(s, "EXPLAIN ANALYZE SELECT a FROM t WHERE a > 1;");
  TAP_OK(strstr(r, "(rows=1") != NULL,
         "EXPLAIN ANALYZE shows the rows of the filter");
  TAP_OK(strstr(r, "1 row in ") != NULL,
         "EXPLAIN ANALYZE counts the result rows");

  TAP_EQ_STR(run(s, "DROP TABLE u; SHOW TABLES;"),
             "name:VARCHAR|connector:VARCHAR|columns:VARCHAR\n"
             "t|memory|a BIGINT, b VARCHAR, c DOUBLE\n",
             "DROP TABLE removes the table");
  eddy_close(s);
}

static void test_catalog(void) {
  eddy_session *s = eddy_open();
  run(s, "CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR, "
         "WATERMARK FOR ts AS ts - INTERVAL '10 seconds') "
         "WITH (connector = 'memory');");
  EdTable *t = ed_catalog_find(ed_session_catalog(s), "CLICKS");
  TAP_OK(t != NULL, "CREATE STREAM adds the stream (names ignore case)");
  if (t) {
    TAP_EQ_INT(t->kind, OBJ_STREAM, "its kind is stream");
    TAP_EQ_INT(t->wm_col, 0, "the watermark column is ts");
    TAP_EQ_INT(t->wm_delay_us, 10 * ED_USEC_PER_SEC,
               "the watermark delay is 10 seconds");
    TAP_EQ_STR(t->connector, "memory", "the connector is memory");
    TAP_OK(t->mem != NULL, "a memory stream has a memory table");
  }
  TAP_EQ_STR(run(s, "INSERT INTO clicks VALUES ('2024-01-01 00:00:05', "
                    "'a'), ('2024-01-01 00:00:07', 'b');"),
             "", "INSERT into a memory stream");
  if (t && t->mem) {
    TAP_EQ_INT(t->mem->nrows, 2, "the stream's memory table holds the rows");
    EdValue v;
    ed_batch_get(t->mem->batches[0], 1, 1, &v);
    TAP_OK(v.u.s.len == 1 && v.u.s.ptr[0] == 'b', "in insertion order");
  }
  eddy_close(s);
}

static void test_settings(void) {
  eddy_session *s = eddy_open();
  TAP_EQ_STR(eddy_get(s, "format"), "table", "the default format is table");
  TAP_EQ_STR(eddy_get(s, "truncate"), "20", "the default truncate is 20");
  TAP_OK(eddy_get(s, "trigger") == NULL, "trigger is unset by default");
  TAP_EQ_INT(eddy_set(s, "Output_Mode", "UPDATE"), EDDY_OK,
             "settings ignore case");
  TAP_EQ_STR(eddy_get(s, "output_mode"), "update",
             "values are stored lower-case");
  TAP_EQ_INT(eddy_set(s, "trigger", "available_now"), EDDY_OK,
             "trigger 'available_now' is accepted");
  TAP_EQ_STR(eddy_get(s, "trigger"), "available now",
             "trigger is normalized");
  TAP_EQ_INT(eddy_set(s, "trigger", "2 seconds"), EDDY_OK,
             "trigger as an interval");
  TAP_EQ_INT(eddy_set(s, "timezone", "+05:30"), EDDY_OK,
             "timezone as an offset");
  TAP_EQ_INT(eddy_set(s, "timezone", "+25:00"), EDDY_ERROR,
             "an offset beyond 18 hours is refused");
  TAP_EQ_INT(eddy_set(s, "colour", "red"), EDDY_ERROR,
             "an unknown setting is refused");
  TAP_OK(strstr(eddy_errmsg(s), "output_mode, trigger, checkpoint_location, "
                                "timezone, truncate, format") != NULL,
         "the message lists the settings");
  TAP_EQ_INT(eddy_set(s, "truncate", "ten"), EDDY_ERROR,
             "truncate must be a number");
  TAP_EQ_STR(run(s, "SET truncate = 7; SET format = 'jsonl';"), "",
             "SET runs without output");
  TAP_EQ_STR(eddy_get(s, "truncate"), "7", "SET truncate is stored");
  TAP_EQ_STR(eddy_get(s, "format"), "jsonl", "SET format is stored");
  eddy_close(s);
}

static void test_errors(void) {
  eddy_session *s = eddy_open();
  FILE *out = tmpfile(), *diag = tmpfile();
  eddy_set_output(s, out, EDDY_FORMAT_CSV);
  eddy_set_diagnostics(s, diag);
  int rc = eddy_exec(s, "SELECT 1 AS a;\nSELECT 2 AS b FROM nowhere;\n"
                        "SELECT 3 AS c;", NULL);
  TAP_EQ_INT(rc, EDDY_ERROR, "eddy_exec returns EDDY_ERROR");
  TAP_EQ_STR(slurp(out), "a\n1\n", "statements after the error do not run");
  const char *d = slurp(diag);
  TAP_OK(strncmp(d, "Error: line 2, column 20: ", 26) == 0,
         "the error names line 2, column 20");
  TAP_OK(strstr(d, "\n  SELECT 2 AS b FROM nowhere;\n"
                   "                     ^\n") != NULL,
         "the source line and a caret under 'nowhere'");
  TAP_OK(strstr(eddy_errmsg(s), "nowhere") != NULL,
         "eddy_errmsg has the message");

  EdError err;
  TextSink t;
  ts_init(&t);
  rc = ed_session_run(s, "CREATE TABLE x (a BIGINT);\n"
                         "CREATE TABLE  x (b BIGINT);", &t.base, &err);
  TAP_EQ_INT(rc, -1, "ed_session_run returns -1");
  TAP_EQ_INT(err.pos.line, 2, "the duplicate name is on line 2");
  TAP_EQ_INT(err.pos.col, 15, "at column 15");
  TAP_EQ_STR(err.msg, "a table named \"x\" already exists",
             "the message says what exists");

  /* An interrupt asked for between statements does not stick. */
  eddy_interrupt(s);
  TAP_EQ_STR(run(s, "SELECT 5 AS five;"), "five:BIGINT\n5\n",
             "a new script runs after an interrupt");
  fclose(out);
  fclose(diag);
  eddy_close(s);
}

/* begin_batch / end_batch of a streaming query, recorded in the text. */
static int ts_begin_batch(EdSink *s, int64_t id) {
  char line[32];
  int n = snprintf(line, sizeof line, "[%lld\n", (long long)id);
  put((TextSink *)s, line, (size_t)n);
  return 0;
}

static int ts_end_batch(EdSink *s, int64_t id) {
  char line[32];
  int n = snprintf(line, sizeof line, "]%lld\n", (long long)id);
  put((TextSink *)s, line, (size_t)n);
  return 0;
}

static void test_streaming(void) {
  eddy_session *s = eddy_open();
  TextSink t;
  ts_init(&t);
  t.base.begin_batch = ts_begin_batch;
  t.base.end_batch = ts_end_batch;
  EdError err;
  int rc = ed_session_run(s,
                          "CREATE STREAM st (ts TIMESTAMP, "
                          "WATERMARK FOR ts AS ts);\n"
                          "SELECT window(ts, '10 seconds') AS w, count(*) AS n "
                          "FROM st GROUP BY window(ts, '10 seconds');",
                          &t.base, &err);
  TAP_EQ_INT(rc, 0, "a query over a memory stream starts");
  TAP_EQ_INT(ed_session_query_count(s), 1, "it keeps running in the session");
  TAP_EQ_STR(ed_session_query_name(s, 0), "q1", "its name is q1");
  TAP_EQ_STR(t.buf, "w:WINDOW|n:BIGINT\n",
             "the sink has begun, no batch has run");
  rc = ed_session_exec(s, "INSERT INTO st VALUES ('2024-01-01 00:00:01');",
                       &err);
  TAP_EQ_INT(rc, 0, "INSERT runs it");
  /* Batch 0 counts the row; the watermark moves to 00:00:01, so the
  ** no-data batch 1 runs; the window ends at 00:00:10: nothing yet. */
  TAP_EQ_STR(t.buf, "w:WINDOW|n:BIGINT\n[0\n]0\n[1\n]1\n",
             "the INSERT ran batch 0 and the no-data batch 1, in the "
             "caller's sink");
  t.len = 0;
  t.buf[0] = 0;
  TAP_EQ_INT(eddy_finish(s), EDDY_OK, "eddy_finish ends the query");
  TAP_EQ_STR(t.buf,
             "[2\n{2024-01-01 00:00:00, 2024-01-01 00:00:10}|1\n]2\n",
             "the final batch writes the open window");
  TAP_EQ_INT(ed_session_query_count(s), 0, "no query runs after it");
  TAP_EQ_INT(eddy_finish(s), EDDY_OK, "eddy_finish again does nothing");

  TAP_EQ_STR(run(s, "SELECT * FROM stdin;"),
             "ERROR: no table or stream named \"stdin\": this session does "
             "not read standard input as a stream (eddy_set_stdin)",
             "stdin is not a stream until eddy_set_stdin says so");
  eddy_set_stdin(s, 0, NULL, NULL);
  TAP_OK(strstr(run(s, "SELECT * FROM stdin;"),
                "standard input holds the SQL") != NULL,
         "nor when the SQL comes from stdin");
  eddy_close(s);
}

/* Background mode (the interactive shell's): queries on threads, INSERT
** waiting for every query on the stream, memory sinks read while their
** query changes them, free-running queries stopped gracefully. */
static void test_background(void) {
  eddy_session *s = eddy_open();
  FILE *out = tmpfile();
  eddy_set_output(s, out, EDDY_FORMAT_CSV);
  eddy_set_background(s, 1);
  TAP_OK(eddy_wake_fd(s) >= 0, "background mode has a wake descriptor");
  int rc = eddy_exec(s,
                     "CREATE STREAM s (k VARCHAR);\n"
                     "SELECT k FROM s;\n"
                     "SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;\n"
                     "CREATE SINK m WITH (connector = 'memory');\n"
                     "INSERT INTO m SELECT k, count(*) AS n FROM s GROUP BY k "
                     "EMIT COMPLETE;\n"
                     "INSERT INTO s VALUES ('a');\n",
                     "bg");
  TAP_EQ_INT(rc, EDDY_OK, "three background queries start");
  TAP_EQ_INT(ed_session_query_count(s), 3, "all three are attached");
  TAP_EQ_STR(slurp(out), "k\nk,n\na\na,1\n",
             "an INSERT is processed by every query before it returns, their "
             "output in start order");
  /* 60 batches: k cycles over a, b, c; a memory sink read after each. */
  int bad = 0;
  for (int i = 0; i < 60; i++) {
    char sql[64];
    snprintf(sql, sizeof sql, "INSERT INTO s VALUES ('%c');", "abc"[i % 3]);
    if (eddy_exec(s, sql, "bg") != EDDY_OK) bad++;
    char want[64];
    snprintf(want, sizeof want, "total:BIGINT\n%d\n", i + 2);
    if (strcmp(run(s, "SELECT sum(n) AS total FROM m;"), want) != 0) bad++;
  }
  TAP_EQ_INT(bad, 0, "every SELECT of the memory sink sees the last INSERT");
  TAP_EQ_STR(run(s, "SELECT k, n FROM m ORDER BY k;"),
             "k:VARCHAR|n:BIGINT\na|21\nb|20\nc|20\n",
             "the memory sink holds the counts (21 a: 1 + 20)");
  /* A free-running query writing a memory sink, read while it runs. */
  rc = eddy_exec(s,
                 "CREATE STREAM r WITH (connector = 'rate', "
                 "rows_per_second = 200);\n"
                 "CREATE SINK live WITH (connector = 'memory');\n"
                 "INSERT INTO live SELECT value FROM r;\n",
                 "bg");
  TAP_EQ_INT(rc, EDDY_OK, "a rate query starts in the background");
  int64_t last = -1, grew = 0, ok = 1;
  for (int i = 0; i < 40; i++) {
    struct timespec ts = {0, 25 * 1000 * 1000};
    nanosleep(&ts, NULL);
    const char *r = run(s, "SELECT count(*) AS n, max(value) AS hi FROM live;");
    long long n = -1, hi = -2;
    if (sscanf(r, "n:BIGINT|hi:BIGINT\n%lld|%lld", &n, &hi) == 2 &&
        hi != n - 1)
      ok = 0;   /* the rows 0..n-1 of whole batches */
    if (n > last && last >= 0) grew++;
    if (n >= 0) last = n;
  }
  TAP_OK(ok, "each read sees whole batches (values 0..n-1)");
  TAP_OK(grew > 0, "the memory sink grows while the query runs");
  TAP_EQ_INT(eddy_exec(s, "STOP QUERY live;", "bg"), EDDY_OK,
             "STOP QUERY stops it gracefully");
  const char *r1 = run(s, "SELECT count(*) AS n FROM live;");
  char first[64];
  snprintf(first, sizeof first, "%s", r1);
  struct timespec pause = {0, 200 * 1000 * 1000};
  nanosleep(&pause, NULL);
  TAP_EQ_STR(run(s, "SELECT count(*) AS n FROM live;"), first,
             "after STOP QUERY the sink no longer changes");
  /* A free-running query on stdout: its output waits for the session. */
  fflush(out);
  long before = ftell(out);
  rc = eddy_exec(s, "SELECT value FROM r;", "bg");
  nanosleep(&pause, NULL);
  TAP_OK(eddy_pending(s), "output of a background query waits");
  eddy_show_pending(s);
  fflush(out);
  TAP_OK(ftell(out) > before, "eddy_show_pending writes it");
  TAP_EQ_INT(eddy_finish(s), EDDY_OK, "eddy_finish stops every query");
  TAP_EQ_INT(ed_session_query_count(s), 0, "none is left");
  eddy_close(s);
  fclose(out);
}

int main(void) {
  test_results();
  test_catalog();
  test_settings();
  test_errors();
  test_streaming();
  test_background();
  return tap_done();
}
