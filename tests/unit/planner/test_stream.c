/*
** tests/unit/planner/test_stream.c — planning of streaming queries
** (DESIGN §3-§4, docs/STREAMING.md): stream scans and their watermarks
** (DDL and query clause), window specs of aggregations (tumbling,
** sliding, session, event time, none; bounded by a watermark or not),
** output-mode defaults and every rejection with its message and position,
** explode(split()), the stream-table join swap, windowed aggregates in
** batch queries, EdStreamInfo (trigger, per-trigger limits, state TTL) and
** the EXPLAIN text of stream nodes.
**
** Expected positions are where the offending token is in the SQL text
** (found with strstr, so that they do not depend on the planner's own
** scanning); expected window sizes are the intervals written in the SQL.
*/
#include "tests/unit/planner/planner_test.h"

#define SEC ED_USEC_PER_SEC

/* Streams of these tests, besides the shared catalog's s and k:
**   views (ts TIMESTAMP, page VARCHAR, user_id BIGINT)
**         memory, WATERMARK FOR ts AS ts - INTERVAL '10 seconds'
**   ev2   (ts TIMESTAMP, ts2 TIMESTAMP, v BIGINT)
**         memory, WATERMARK FOR ts AS ts - INTERVAL '1 second'
**   lines (value VARCHAR)            socket
**   ticks (timestamp TIMESTAMP, value BIGINT)
**         rate, max_rows_per_trigger = 100
**   dir   (ts TIMESTAMP, x BIGINT)  directory, max_files_per_trigger = 2,
**                                    max_rows_per_trigger = 500
**   bad   (ts TIMESTAMP)            file, max_rows_per_trigger = 'lots' */
/* Appends a connector option to t. */
static void add_option(EdTable *t, const char *key, const char *value) {
  t->options = realloc(t->options, (size_t)(t->noptions + 1) * sizeof *t->options);
  t->options[t->noptions].key = strdup(key);
  t->options[t->noptions].value = strdup(value);
  t->noptions++;
}

/* Adds the streams above to the shared test catalog. */
static void add_streams(void) {
  EdTable *t = pt_table("views", OBJ_STREAM, "memory",
                        "ts TIMESTAMP, page VARCHAR, user_id BIGINT");
  t->wm_col = 0;
  t->wm_delay_us = 10 * SEC;
  ed_catalog_add(&pt_cat, t);
  t = pt_table("ev2", OBJ_STREAM, "memory", "ts TIMESTAMP, ts2 TIMESTAMP, v BIGINT");
  t->wm_col = 0;
  t->wm_delay_us = 1 * SEC;
  ed_catalog_add(&pt_cat, t);
  ed_catalog_add(&pt_cat, pt_table("lines", OBJ_STREAM, "socket", "value VARCHAR"));
  t = pt_table("ticks", OBJ_STREAM, "rate", "timestamp TIMESTAMP, value BIGINT");
  add_option(t, "max_rows_per_trigger", "100");
  ed_catalog_add(&pt_cat, t);
  t = pt_table("dir", OBJ_STREAM, "directory", "ts TIMESTAMP, x BIGINT");
  add_option(t, "max_files_per_trigger", "2");
  add_option(t, "max_rows_per_trigger", "500");
  ed_catalog_add(&pt_cat, t);
  t = pt_table("bad", OBJ_STREAM, "file", "ts TIMESTAMP");
  add_option(t, "max_rows_per_trigger", "lots");
  ed_catalog_add(&pt_cat, t);
}

/* 1-based column of the first occurrence of needle in a one-line sql. */
static int col_of(const char *sql, const char *needle) {
  const char *p = strstr(sql, needle);
  return p ? (int)(p - sql) + 1 : -1;
}

/* Asserts a plan error at the first occurrence of needle (line 1). */
#define PERR_AT(sql, d, needle, msg) \
  PT_PLAN_ERROR(sql, d, 1, col_of(sql, needle), msg)

/* Asserts a binder error at the first occurrence of needle (line 1). */
#define BERR_AT(sql, needle, msg) PT_ERROR(sql, 1, col_of(sql, needle), msg)

/* Plans sql (must succeed) and returns its first StreamAggregate. */
static const EdPlan *stream_agg(const char *sql, const EdPlanDefaults *d,
                                PtPlan *out) {
  *out = pt_plan_stream(sql, d);
  if (!TAP_OK(out->rc == 0, pt_name("plans: ", sql)))
    printf("#   error: %s\n", out->err.msg);
  return pt_find(out->physical, PHYS_STREAM_AGGREGATE);
}

/* ------------------------------------------------------------- scans */

static void test_scans(void) {
  PtPlan r = pt_plan_stream("SELECT page FROM views WHERE user_id > 3", NULL);
  TAP_EQ_INT(r.rc, 0, "a query over a stream plans");
  TAP_EQ_STR(pt_shape(r.physical), "Project(Filter(StreamScan))",
             "stream scan under filter and projection");
  TAP_OK(r.info.streaming, "a query over a stream is streaming");
  TAP_EQ_INT(r.info.mode, EMIT_APPEND, "no aggregation: APPEND by default");
  const EdPlan *scan = pt_find(r.physical, PHYS_STREAM_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, 0, "DDL watermark column ts is column 0");
  TAP_EQ_INT(scan ? scan->wm_delay_us : -1, 10 * SEC, "DDL watermark delay 10 s");

  r = pt_plan_stream("SELECT v FROM s", NULL);
  scan = pt_find(r.physical, PHYS_STREAM_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, -1, "a stream without watermark: wm_col -1");

  r = pt_plan_stream("SELECT page FROM events", NULL);
  TAP_EQ_INT(r.rc, 0, "a batch query plans");
  TAP_OK(!r.info.streaming, "a query over tables is not streaming");
  TAP_EQ_STR(pt_shape(r.physical), "Project(TableScan)", "batch shape unchanged");
  scan = pt_find(r.physical, PHYS_TABLE_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, -1, "a table scan has no watermark");

  PtPlan q = pt_plan("SELECT v FROM s");
  TAP_EQ_STR(pt_shape(q.physical), "Project(StreamScan)",
             "ed_plan_query plans streams as ed_plan_query_stream does");
}

static void test_query_watermark(void) {
  /* The clause overrides the DDL watermark: column and delay. */
  PtPlan r = pt_plan_stream("SELECT v FROM ev2 WATERMARK ts2 DELAY OF "
                            "INTERVAL '2 seconds'", NULL);
  const EdPlan *scan = pt_find(r.physical, PHYS_STREAM_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, 1, "query watermark column ts2 is column 1");
  TAP_EQ_INT(scan ? scan->wm_delay_us : -1, 2 * SEC, "query watermark delay 2 s");

  r = pt_plan_stream("SELECT v FROM ev2 WATERMARK ts DELAY OF INTERVAL '1' MINUTE",
                     NULL);
  scan = pt_find(r.physical, PHYS_STREAM_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, 0, "same column, new delay: column 0");
  TAP_EQ_INT(scan ? scan->wm_delay_us : -1, 60 * SEC, "delay 1 minute overrides 1 s");

  r = pt_plan_stream("SELECT v FROM s WATERMARK ts DELAY OF INTERVAL '5 seconds'",
                     NULL);
  scan = pt_find(r.physical, PHYS_STREAM_SCAN);
  TAP_EQ_INT(scan ? scan->wm_col : -2, 0, "a stream without DDL watermark gets one");
  TAP_EQ_INT(scan ? scan->wm_delay_us : -1, 5 * SEC, "its delay is 5 s");

  /* With the watermark moved to ts2, window(ts) is no longer bounded. */
  PtPlan a;
  const EdPlan *agg = stream_agg(
      "SELECT window(ts, '5 seconds'), count(*) FROM ev2 WATERMARK ts2 DELAY "
      "OF INTERVAL '1 second' GROUP BY 1", NULL, &a);
  TAP_OK(agg && !agg->window.wm_bounded, "window over ts after override to ts2: unbounded");
  TAP_EQ_INT(a.info.mode, EMIT_UPDATE, "unbounded aggregation defaults to UPDATE");
  agg = stream_agg(
      "SELECT window(ts2, '5 seconds'), count(*) FROM ev2 WATERMARK ts2 DELAY "
      "OF INTERVAL '1 second' GROUP BY 1", NULL, &a);
  TAP_OK(agg && agg->window.wm_bounded, "window over the overriding column ts2: bounded");
  TAP_EQ_INT(a.info.mode, EMIT_APPEND, "bounded aggregation defaults to APPEND");

  BERR_AT("SELECT * FROM ev2 WATERMARK v DELAY OF INTERVAL '1 second'", "v DELAY",
          "WATERMARK column \"v\" must be a TIMESTAMP, not BIGINT");
  BERR_AT("SELECT * FROM ev2 AS e\tWATERMARK \"tz\" DELAY OF INTERVAL '1 second'",
          "\"tz\"", "WATERMARK column \"tz\" is not a column of e");
  BERR_AT("SELECT * FROM users u JOIN ev2 /* WATERMARK x */ WATERMARK Ts2x "
          "DELAY OF INTERVAL '1 second' ON u.id = ev2.v", "Ts2x",
          "WATERMARK column \"Ts2x\" is not a column of ev2");
}

/* ------------------------------------------------------------- windows */

static void test_window_specs(void) {
  PtPlan r;
  const EdPlan *agg = stream_agg(
      "SELECT window(ts, '5 seconds') AS w, page, count(*) FROM views "
      "GROUP BY window(ts, '5 seconds'), page EMIT UPDATE", NULL, &r);
  TAP_OK(agg != NULL, "aggregation over a stream is a StreamAggregate");
  if (agg) {
    TAP_EQ_INT(agg->window.kind, WIN_TUMBLING, "window(ts, size) is tumbling");
    TAP_EQ_INT(agg->window.key, 0, "window key is group key 0");
    TAP_EQ_INT(agg->window.size_us, 5 * SEC, "size 5 s");
    TAP_EQ_INT(agg->window.slide_us, 5 * SEC, "tumbling: slide = size");
    TAP_OK(agg->window.ts && agg->window.ts->kind == EXPR_COLREF &&
               agg->window.ts->col == 0,
           "ts is column 0 of the aggregate's input");
    TAP_OK(agg->window.wm_bounded, "ts is the watermark column: bounded");
    TAP_EQ_INT(agg->mode, EMIT_UPDATE, "node mode is the EMIT mode");
    TAP_OK(agg->nexprs == 2 && agg->exprs[0]->kind == EXPR_FUNC &&
               agg->exprs[0]->op == FN_WINDOW,
           "window() stays the key expression");
  }
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "info mode UPDATE");

  agg = stream_agg("SELECT page, window(ts, '10 seconds', '5 seconds') AS w, "
                   "count(*) FROM views GROUP BY page, window(ts, '10 seconds', "
                   "'5 seconds')", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_SLIDING, "slide < size is sliding");
  TAP_EQ_INT(agg ? agg->window.key : -2, 1, "sliding key is group key 1");
  TAP_EQ_INT(agg ? agg->window.size_us : 0, 10 * SEC, "size 10 s");
  TAP_EQ_INT(agg ? agg->window.slide_us : 0, 5 * SEC, "slide 5 s");
  TAP_EQ_INT(r.info.mode, EMIT_APPEND, "bounded sliding window: APPEND by default");

  agg = stream_agg("SELECT window(ts, '10 seconds', '10 seconds'), count(*) "
                   "FROM views GROUP BY 1", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_TUMBLING, "slide = size is tumbling");
  TAP_EQ_INT(agg ? agg->window.slide_us : 0, 10 * SEC, "its slide is the size");

  agg = stream_agg("SELECT session_window(ts, '30 seconds') AS s, user_id, "
                   "count(*) FROM views GROUP BY session_window(ts, '30 seconds'), "
                   "user_id", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_SESSION, "session_window is a session");
  TAP_EQ_INT(agg ? agg->window.gap_us : 0, 30 * SEC, "gap 30 s");
  TAP_EQ_INT(agg ? agg->window.key : -2, 0, "session key is group key 0");
  TAP_OK(agg && agg->window.wm_bounded, "session over the watermark column: bounded");
  TAP_EQ_INT(r.info.mode, EMIT_APPEND, "bounded session: APPEND by default");

  agg = stream_agg("SELECT page, ts, count(*) FROM views GROUP BY page, ts", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_EVENT_TIME,
             "grouping by the watermark column is event time");
  TAP_EQ_INT(agg ? agg->window.key : -2, 1, "event-time key is group key 1");
  TAP_OK(agg && agg->window.wm_bounded, "event time is bounded");
  TAP_OK(agg && agg->window.ts && agg->window.ts->kind == EXPR_COLREF &&
             agg->window.ts->col == 0,
         "event-time ts is input column 0");
  TAP_EQ_INT(r.info.mode, EMIT_APPEND, "event-time grouping: APPEND by default");

  agg = stream_agg("SELECT page, count(*) FROM views GROUP BY page", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_NONE, "no window: running aggregate");
  TAP_EQ_INT(agg ? agg->window.key : -2, -1, "no window key");
  TAP_OK(agg && !agg->window.wm_bounded, "a running aggregate is unbounded");
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "running aggregate: UPDATE by default");
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_UPDATE, "node mode UPDATE");

  agg = stream_agg("SELECT count(*) FROM views", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_NONE, "global count: no window");

  agg = stream_agg("SELECT ts, count(*) FROM s GROUP BY ts", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_NONE,
             "grouping by a timestamp of an unwatermarked stream: no window");

  agg = stream_agg("SELECT window(ts, '5 seconds'), count(*) FROM s GROUP BY 1",
                   NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_TUMBLING, "window over s is tumbling");
  TAP_OK(agg && !agg->window.wm_bounded, "s has no watermark: unbounded");
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "unbounded window: UPDATE by default");
}

static void test_window_bounded_through(void) {
  PtPlan r;
  const EdPlan *agg = stream_agg(
      "SELECT window(t, '1 minute') AS w, count(*) FROM (SELECT page, ts AS t "
      "FROM views WHERE page <> 'x') v GROUP BY window(t, '1 minute')", NULL, &r);
  TAP_OK(agg && agg->window.wm_bounded,
         "ts renamed through a subquery's projection and filter: bounded");
  TAP_EQ_INT(r.info.mode, EMIT_APPEND, "so APPEND by default");

  agg = stream_agg("SELECT window(ts, '1 minute'), count(*) FROM views WHERE "
                   "user_id > 3 GROUP BY 1", NULL, &r);
  TAP_OK(agg && agg->window.wm_bounded, "through a filter: bounded");

  agg = stream_agg("SELECT window(v.ts, '1 minute'), u.name, count(*) FROM views "
                   "v JOIN users u ON v.user_id = u.id GROUP BY 1, 2", NULL, &r);
  TAP_OK(agg && agg->window.wm_bounded, "through a stream-table join: bounded");

  agg = stream_agg("SELECT window(t, '1 minute'), count(*) FROM (SELECT ts + "
                   "INTERVAL '1 second' AS t FROM views) x GROUP BY 1", NULL, &r);
  TAP_OK(agg && !agg->window.wm_bounded, "a computed timestamp is not bounded");
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "so UPDATE by default");

  agg = stream_agg("SELECT window(ts, '1 minute'), count(*) FROM (SELECT ts "
                   "FROM views UNION ALL SELECT ts FROM ev2) u GROUP BY 1",
                   NULL, &r);
  TAP_OK(agg && agg->window.wm_bounded,
         "UNION ALL of two watermarked streams: bounded");
  agg = stream_agg("SELECT window(ts, '1 minute'), count(*) FROM (SELECT ts "
                   "FROM views UNION ALL SELECT ts FROM s) u GROUP BY 1",
                   NULL, &r);
  TAP_OK(agg && !agg->window.wm_bounded,
         "UNION ALL with an unwatermarked stream: unbounded");

  agg = stream_agg("SELECT t, count(*) FROM (SELECT ts AS t FROM views) x "
                   "GROUP BY t", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_EVENT_TIME,
             "the renamed watermark column is still event time");
}

static void test_window_errors(void) {
  BERR_AT("SELECT window(ts, '5 seconds', '10 seconds'), count(*) FROM events "
          "GROUP BY 1", "'10 seconds'",
          "window() slide (10 seconds) cannot be larger than the size (5 "
          "seconds): rows between windows would belong to none");
  BERR_AT("SELECT count(*) FROM events GROUP BY window(ts, '0 seconds')",
          "'0 seconds'", "window() needs a positive interval");
  BERR_AT("SELECT count(*) FROM events GROUP BY session_window(ts, "
          "'-1 seconds')", "'-1 seconds'",
          "session_window() needs a positive interval");
  BERR_AT("SELECT count(*) FROM views GROUP BY window(ts, '10 seconds'), "
          "session_window(ts, '1 minute')", "session_window",
          "GROUP BY can have only one window (window() or session_window()); "
          "this is the second");
  BERR_AT("SELECT window(ts, '10 seconds', '5 seconds') FROM events", "window",
          "a sliding window() can only be a GROUP BY key (or a select item "
          "equal to it): a row belongs to several sliding windows");
  BERR_AT("SELECT * FROM events WHERE session_window(ts, '1 minute') IS NULL",
          "session_window",
          "session_window() can only be a GROUP BY key (or a select item "
          "equal to it): a row's session is only known once sessions merge");
  BERR_AT("SELECT count(*) FROM events GROUP BY coalesce(session_window(ts, "
          "'1 minute'), NULL)", "session_window",
          "session_window() can only be a GROUP BY key (or a select item "
          "equal to it): a row's session is only known once sessions merge");
}

/* Windowed aggregates over tables (point 4 of the streaming planner). */
static void test_batch_windows(void) {
  PtPlan r;
  const EdPlan *agg = stream_agg(
      "SELECT window(ts, '10 seconds', '5 seconds') AS w, count(*) FROM events "
      "GROUP BY window(ts, '10 seconds', '5 seconds')", NULL, &r);
  TAP_OK(!r.info.streaming, "a sliding window over a table is a batch query");
  TAP_EQ_STR(pt_shape(r.physical), "Project(StreamAggregate(TableScan))",
             "batch sliding window uses the streaming aggregate");
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_COMPLETE, "in COMPLETE mode");
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_SLIDING, "kind sliding");
  TAP_OK(agg && !agg->window.wm_bounded, "no watermark in a batch query");
  TAP_EQ_STR(pt_schema(r.physical), "w WINDOW, count(*) BIGINT", "batch sliding schema");

  agg = stream_agg("SELECT user_id, session_window(ts, '5 minutes'), count(*) "
                   "FROM events GROUP BY 1, 2", NULL, &r);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_SESSION, "batch session window");
  TAP_EQ_INT(agg ? agg->window.key : -2, 1, "its key is group key 1");
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_COMPLETE, "batch session: COMPLETE");

  r = pt_plan_stream("SELECT window(ts, '1 minute') AS w, count(*) FROM events "
                     "GROUP BY window(ts, '1 minute')", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(HashAggregate(TableScan))",
             "batch tumbling window stays a hash aggregate");
  agg = pt_find(r.physical, PHYS_HASH_AGGREGATE);
  TAP_EQ_INT(agg ? (int)agg->window.kind : -1, WIN_TUMBLING, "its window spec is filled");
  TAP_EQ_INT(agg ? agg->window.size_us : 0, 60 * SEC, "size 1 minute");

  /* A condition on a sliding window must stay above the aggregation (a row
  ** is in several windows); on a tumbling one it may go below. */
  r = pt_plan_stream("SELECT n FROM (SELECT window(ts, '10 seconds', '5 seconds') "
                     "AS w, count(*) AS n FROM events GROUP BY 1) x WHERE "
                     "w.start >= '2024-01-01'", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(Filter(StreamAggregate(TableScan)))",
             "filter on a sliding window is not pushed below it");
  r = pt_plan_stream("SELECT n FROM (SELECT window(ts, '10 seconds') AS w, "
                     "count(*) AS n FROM events GROUP BY 1) x WHERE w.start >= "
                     "'2024-01-01'", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(HashAggregate(Filter(TableScan)))",
             "filter on a tumbling window is pushed below it");
}

/* ---------------------------------------------------------- output modes */

static void test_mode_defaults(void) {
  EdPlanDefaults d;
  memset(&d, 0, sizeof d);
  d.mode = EMIT_UPDATE;
  PtPlan r = pt_plan_stream("SELECT page FROM views", &d);
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "session default UPDATE applies");
  r = pt_plan_stream("SELECT page FROM views EMIT CHANGES", &d);
  TAP_EQ_INT(r.info.mode, EMIT_CHANGES, "EMIT overrides the session default");
  r = pt_plan_stream("SELECT page FROM views EMIT UPDATE", NULL);
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "UPDATE is valid without aggregation");

  d.mode = EMIT_COMPLETE;
  PtPlan a;
  const EdPlan *agg = stream_agg("SELECT page, count(*) FROM views GROUP BY page",
                                 &d, &a);
  TAP_EQ_INT(a.info.mode, EMIT_COMPLETE, "session default COMPLETE on an aggregation");
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_COMPLETE, "node mode COMPLETE");

  agg = stream_agg("SELECT window(ts, '5 seconds'), count(*) FROM views GROUP BY 1 "
                   "EMIT COMPLETE", NULL, &a);
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_COMPLETE, "COMPLETE over a bounded window");
  TAP_OK(agg && agg->window.wm_bounded, "still bounded (the operator ignores it)");

  agg = stream_agg("SELECT session_window(ts, '1 minute'), count(*) FROM views "
                   "GROUP BY 1 EMIT CHANGES", NULL, &a);
  TAP_EQ_INT(agg ? (int)agg->mode : -1, EMIT_CHANGES, "session windows in CHANGES mode");

  /* Batch queries have no modes: every EMIT is accepted and ignored. */
  r = pt_plan_stream("SELECT page FROM events EMIT COMPLETE", NULL);
  TAP_EQ_INT(r.rc, 0, "EMIT COMPLETE without aggregation is fine in batch");
  TAP_EQ_INT(r.info.mode, EMIT_COMPLETE, "batch info mode is COMPLETE");
  r = pt_plan_stream("SELECT page, count(*) FROM events GROUP BY page EMIT APPEND",
                     NULL);
  TAP_EQ_INT(r.rc, 0, "EMIT APPEND over a batch aggregation is fine");
  r = pt_plan_stream("SELECT page FROM events ORDER BY page LIMIT 2 EMIT UPDATE",
                     NULL);
  TAP_EQ_INT(r.rc, 0, "ORDER BY and LIMIT with EMIT UPDATE are fine in batch");
  d.mode = EMIT_APPEND;
  r = pt_plan_stream("SELECT page, count(*) FROM events GROUP BY page", &d);
  TAP_EQ_INT(r.rc, 0, "a session APPEND default does not affect batch queries");
}

static void test_mode_rejections(void) {
  const char *q;
  q = "SELECT page FROM views EMIT COMPLETE";
  PERR_AT(q, NULL, "EMIT",
          "COMPLETE output mode needs an aggregation: this query has none; use "
          "EMIT APPEND or EMIT UPDATE");
  q = "SELECT page, count(*) FROM views GROUP BY page EMIT APPEND";
  PERR_AT(q, NULL, "EMIT",
          "APPEND output mode is not supported for an aggregation without a "
          "watermark: add WATERMARK ... (in CREATE STREAM or FROM s WATERMARK "
          "ts DELAY OF INTERVAL '...') and group by window(ts, ...) or ts, or "
          "use EMIT UPDATE/COMPLETE");
  q = "SELECT window(ts, '5 seconds'), count(*) FROM s GROUP BY 1 EMIT APPEND";
  PERR_AT(q, NULL, "EMIT",
          "APPEND output mode is not supported for an aggregation without a "
          "watermark: add WATERMARK ... (in CREATE STREAM or FROM s WATERMARK "
          "ts DELAY OF INTERVAL '...') and group by window(ts, ...) or ts, or "
          "use EMIT UPDATE/COMPLETE");
  /* EMIT found past a string, a comment, a subquery and a column named
  ** emit (EMIT is not reserved). */
  EdTable *t = pt_table("em", OBJ_STREAM, "memory", "emit BIGINT");
  ed_catalog_add(&pt_cat, t);
  q = "SELECT emit FROM em WHERE emit > 0 EMIT COMPLETE";
  PERR_AT(q, NULL, "EMIT COMPLETE",
          "COMPLETE output mode needs an aggregation: this query has none; use "
          "EMIT APPEND or EMIT UPDATE");
  q = "SELECT page FROM (SELECT page FROM views WHERE page <> 'EMIT') x -- EMIT\n"
      "  /* EMIT */ EMIT COMPLETE";
  PT_PLAN_ERROR(q, NULL, 2, 14,
                "COMPLETE output mode needs an aggregation: this query has "
                "none; use EMIT APPEND or EMIT UPDATE");

  EdPlanDefaults d;
  memset(&d, 0, sizeof d);
  d.mode = EMIT_APPEND;
  q = "SELECT page, count(*) FROM views GROUP BY page";
  PT_PLAN_ERROR(q, &d, 1, col_of(q, "BY page") + 3,
          "APPEND output mode (set by SET output_mode) is not supported for "
          "an aggregation without a watermark: add WATERMARK ... (in CREATE "
          "STREAM or FROM s WATERMARK ts DELAY OF INTERVAL '...') and group by "
          "window(ts, ...) or ts, or use EMIT UPDATE/COMPLETE");
  d.mode = EMIT_COMPLETE;
  q = "SELECT page FROM views";
  PT_PLAN_ERROR(q, &d, 1, 1,
                "COMPLETE output mode (set by SET output_mode) needs an "
                "aggregation: this query has none; use EMIT APPEND or EMIT "
                "UPDATE");

  q = "SELECT session_window(ts, '1 minute') AS s, count(*) FROM views GROUP BY "
      "session_window(ts, '1 minute') EMIT UPDATE";
  PERR_AT(q, NULL, "EMIT",
          "UPDATE output mode is not supported for session windows: merging "
          "sessions would leave stale rows in an upserting sink; use EMIT "
          "APPEND (with a watermark), EMIT COMPLETE or EMIT CHANGES");
  q = "SELECT session_window(ts, '1 minute') AS w, count(*) FROM s GROUP BY 1";
  PT_PLAN_ERROR(q, NULL, 1, col_of(q, "BY 1") + 3,
          "UPDATE output mode (the default for an aggregation without a "
          "watermark) is not supported for session windows: merging sessions "
          "would leave stale rows in an upserting sink; use EMIT APPEND (with "
          "a watermark), EMIT COMPLETE or EMIT CHANGES");
}

static void test_order_limit(void) {
  const char *q = "SELECT page FROM views ORDER BY page";
  PT_PLAN_ERROR(q, NULL, 1, col_of(q, "BY page") + 3,
                "ORDER BY on a stream is only supported in COMPLETE output "
                "mode, after an aggregation: in APPEND output mode the result "
                "is never complete; use EMIT COMPLETE with an aggregation, or "
                "remove ORDER BY");
  PtPlan r;
  q = "SELECT page, count(*) AS n FROM views GROUP BY page ORDER BY n EMIT UPDATE";
  PT_PLAN_ERROR(q, NULL, 1, col_of(q, "n EMIT"),
                "ORDER BY on a stream is only supported in COMPLETE output "
                "mode, after an aggregation: in UPDATE output mode the result "
                "is never complete; use EMIT COMPLETE with an aggregation, or "
                "remove ORDER BY");
  q = "SELECT p, count(*) FROM (SELECT page AS p FROM views ORDER BY page) x "
      "GROUP BY p EMIT COMPLETE";
  PT_PLAN_ERROR(q, NULL, 1, col_of(q, "page) x"),
                "ORDER BY on a stream must come after the aggregation in "
                "COMPLETE output mode: the rows before it are never complete; "
                "move ORDER BY to the query that aggregates");
  q = "SELECT page FROM views LIMIT 5";
  PERR_AT(q, NULL, "5",
          "LIMIT on a stream is only supported in COMPLETE output mode, after "
          "an aggregation: in APPEND output mode the result is never "
          "complete; use EMIT COMPLETE with an aggregation, or remove LIMIT");
  q = "SELECT page, count(*) FROM (SELECT page FROM views LIMIT 10) x GROUP BY "
      "page EMIT COMPLETE";
  PERR_AT(q, NULL, "10",
          "LIMIT on a stream must come after the aggregation in COMPLETE "
          "output mode: the rows before it are never complete; move LIMIT to "
          "the query that aggregates");

  /* The running-count scenario: ORDER BY after the aggregation, COMPLETE. */
  r = pt_plan_stream("SELECT page, count(*) AS n FROM views GROUP BY page ORDER "
                     "BY n DESC, page LIMIT 3 EMIT COMPLETE", NULL);
  TAP_EQ_INT(r.rc, 0, "ORDER BY / LIMIT after the aggregation in COMPLETE");
  TAP_EQ_STR(pt_shape(r.physical),
             "Limit(Sort(Project(StreamAggregate(StreamScan))))",
             "sort and limit above the streaming aggregate");
  /* ORDER BY on the static side of a stream-table join is not a stream's. */
  r = pt_plan_stream("SELECT v.page, t.name FROM views v JOIN (SELECT id, name "
                     "FROM users ORDER BY name LIMIT 3) t ON v.user_id = t.id",
                     NULL);
  TAP_EQ_INT(r.rc, 0, "ORDER BY / LIMIT over a table inside a streaming query");
}

static void test_shape_rejections(void) {
  const char *q;
  q = "SELECT DISTINCT page FROM views";
  PERR_AT(q, NULL, "SELECT",
          "SELECT DISTINCT over a stream is not supported yet (deduplication "
          "of streams comes later); use GROUP BY over the selected columns "
          "instead");
  q = "SELECT * FROM views v JOIN s ON v.ts = s.ts";
  PERR_AT(q, NULL, "JOIN",
          "joins between two streams are not supported yet; join a stream "
          "with a table instead");
  q = "SELECT * FROM users u JOIN views v ON u.id = v.user_id JOIN s ON "
      "s.ts = v.ts";
  PERR_AT(q, NULL, "JOIN s",
          "joins between two streams are not supported yet; join a stream "
          "with a table instead");
  q = "SELECT * FROM users u LEFT JOIN views v ON u.id = v.user_id";
  PERR_AT(q, NULL, "LEFT",
          "a stream cannot be on the right (NULL-supplying) side of a LEFT "
          "JOIN: whether a left row has no match is never final; put the "
          "stream on the left side or use an inner JOIN");
  q = "SELECT ts FROM views UNION SELECT ts FROM s";
  PERR_AT(q, NULL, "SELECT ts FROM s",
          "UNION over a stream is not supported: removing duplicates would "
          "need every row the stream ever had; use UNION ALL");
  q = "SELECT ts FROM views EXCEPT SELECT ts FROM events";
  PERR_AT(q, NULL, "SELECT ts FROM events",
          "EXCEPT over a stream is not supported: its result is only known "
          "once the whole input is; use UNION ALL or a JOIN with a table");
  q = "SELECT ts FROM events INTERSECT SELECT ts FROM views";
  PERR_AT(q, NULL, "SELECT ts FROM views",
          "INTERSECT over a stream is not supported: its result is only known "
          "once the whole input is; use UNION ALL or a JOIN with a table");
  q = "SELECT ts FROM views UNION ALL SELECT ts FROM events";
  PERR_AT(q, NULL, "SELECT ts FROM events",
          "UNION ALL of a stream and a table is not supported: both sides "
          "must be streams (or both tables)");
  q = "SELECT n, count(*) FROM (SELECT page, count(*) AS n FROM views GROUP BY "
      "page) x GROUP BY n";
  PT_PLAN_ERROR(q, NULL, 1, (int)strlen(q),
                "an aggregation of the result of another aggregation is not "
                "supported on a stream (one aggregation per streaming query); "
                "aggregate the stream's rows once");
  q = "SELECT ts, count(*) FROM views GROUP BY ts UNION ALL SELECT ts, count(*) "
      "FROM s GROUP BY ts";
  PT_PLAN_ERROR(q, NULL, 1, (int)strlen(q) - 1,
                "more than one aggregation over streams in one query is not "
                "supported (one aggregation per streaming query)");

  PtPlan r = pt_plan_stream("SELECT ts FROM views UNION ALL SELECT ts FROM s", NULL);
  TAP_EQ_INT(r.rc, 0, "UNION ALL of two streams plans");
  TAP_EQ_STR(pt_shape(r.physical),
             "UnionAll(Project(StreamScan),Project(StreamScan))",
             "UNION ALL of two streams");
  r = pt_plan_stream("SELECT v.page, u.name FROM views v LEFT JOIN users u ON "
                     "v.user_id = u.id", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(HashJoin(StreamScan,TableScan))",
             "stream LEFT JOIN table: stream probes, table builds");
  r = pt_plan_stream("SELECT page, count(DISTINCT user_id) FROM views GROUP BY page",
                     NULL);
  TAP_EQ_INT(r.rc, 0, "count(DISTINCT) is an aggregate, not a DISTINCT");
}

/* ------------------------------------------------------------- explode */

static void test_explode(void) {
  PtPlan r = pt_plan_stream("SELECT word, count(*) FROM (SELECT explode(split("
                            "value, ' ')) AS word FROM lines) GROUP BY word", NULL);
  TAP_EQ_INT(r.rc, 0, "the word count plans");
  TAP_OK(r.info.streaming, "over a socket stream");
  TAP_EQ_STR(pt_shape(r.physical),
             "StreamAggregate(Project(Explode(StreamScan)))", "word count shape");
  TAP_EQ_STR(pt_schema(r.physical), "word VARCHAR, count(*) BIGINT",
             "word count schema");
  TAP_EQ_INT(r.info.mode, EMIT_UPDATE, "word count defaults to UPDATE");
  const EdPlan *x = pt_find(r.physical, PHYS_EXPLODE);
  TAP_OK(x != NULL, "an Explode node");
  if (x) {
    TAP_EQ_INT(x->nexprs, 2, "explode has two expressions");
    TAP_OK(x->exprs[0]->kind == EXPR_COLREF && x->exprs[0]->col == 0,
           "exprs[0] is the string column value");
    TAP_OK(x->exprs[1]->kind == EXPR_CONST && x->exprs[1]->type == ED_T_VARCHAR &&
               x->exprs[1]->value.u.s.len == 1 &&
               x->exprs[1]->value.u.s.ptr[0] == ' ',
           "exprs[1] is the separator ' '");
    TAP_EQ_STR(pt_schema(x), "value VARCHAR, word VARCHAR",
               "input columns then the piece");
  }

  PT_SHAPE("SELECT explode(split(page, ',')) FROM events",
           "Project(Explode(TableScan))", "col VARCHAR");
  PT_SHAPE("SELECT user_id, explode(split(page, '/')) AS part FROM events WHERE "
           "user_id > 1 ORDER BY part",
           "Sort(Project(Explode(Filter(TableScan))))",
           "user_id BIGINT, part VARCHAR");
  PT_SHAPE("SELECT *, explode(split(page, ',')) AS p FROM events",
           "Explode(TableScan)",
           "ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE, "
           "p VARCHAR");
  PT_SHAPE("SELECT explode(split('a b', ' ')) AS w", "Explode(Values)", "w VARCHAR");
  PT_SHAPE("SELECT w FROM (SELECT explode(split(page, ' ')) AS w FROM events) x "
           "WHERE w <> ''",
           "Project(Filter(Explode(TableScan)))", "w VARCHAR");

  BERR_AT("SELECT explode(page) FROM events", "page",
          "explode() takes split(<string>, <separator>), as in "
          "explode(split(value, ' ')): eddy has no other array values");
  BERR_AT("SELECT upper(explode(split(page, ','))) FROM events", "explode",
          "explode() is only valid as a whole item of a select list, as "
          "explode(split(<string>, <separator>)) [AS name]");
  BERR_AT("SELECT page FROM events WHERE explode(split(page, ',')) = 'a'",
          "explode",
          "explode() is only valid as a whole item of a select list, as "
          "explode(split(<string>, <separator>)) [AS name]");
  BERR_AT("SELECT explode(split(page, ',')), explode(split(page, ';')) FROM "
          "events", "explode(split(page, ';'",
          "only one explode() is allowed in a SELECT");
  BERR_AT("SELECT explode(split(page, ',')) AS w, count(*) FROM events", "explode",
          "explode() cannot be combined with GROUP BY or aggregate functions "
          "in one SELECT: explode in a subquery and aggregate outside it, as "
          "in SELECT word, count(*) FROM (SELECT explode(split(value, ' ')) "
          "AS word FROM lines) GROUP BY word");
  BERR_AT("SELECT explode(split(user_id, ',')) FROM events", "user_id",
          "split() takes (VARCHAR, VARCHAR separator); argument 1 is BIGINT");
  BERR_AT("SELECT split(page, ',') FROM events", "split",
          "split() returns an array, which is only usable inside explode(); "
          "eddy has no array type yet");
}

/* ---------------------------------------------------------------- joins */

static void test_join_swap(void) {
  PtPlan r = pt_plan_stream("SELECT u.name, v.page FROM users u JOIN views v ON "
                            "u.id = v.user_id", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(HashJoin(StreamScan,TableScan))",
             "stream on the right of an inner join moves to the probe side");
  TAP_EQ_STR(pt_schema(r.physical), "name VARCHAR, page VARCHAR",
             "output columns unchanged");
  const EdPlan *j = pt_find(r.physical, PHYS_HASH_JOIN);
  if (TAP_OK(j && j->nkeys == 1, "one equi-key")) {
    /* views row: ts 0, page 1, user_id 2; users row: id 0, name 1. */
    TAP_OK(j->lkeys[0]->kind == EXPR_COLREF && j->lkeys[0]->col == 2,
           "probe key is views.user_id");
    TAP_OK(j->rkeys[0]->kind == EXPR_COLREF && j->rkeys[0]->col == 0,
           "build key is users.id");
  }
  const EdPlan *p = r.physical;
  /* Joined row after the swap: ts 0, page 1, user_id 2, id 3, name 4. */
  TAP_OK(p->nexprs == 2 && p->exprs[0]->kind == EXPR_COLREF &&
             p->exprs[0]->col == 4 && p->exprs[1]->col == 1,
         "the projection reads name and page from the swapped row");

  r = pt_plan_stream("SELECT * FROM users u JOIN views v ON u.id = v.user_id", NULL);
  TAP_EQ_STR(pt_schema(r.physical),
             "id BIGINT, name VARCHAR, ts TIMESTAMP, page VARCHAR, user_id BIGINT",
             "SELECT * keeps the written column order after the swap");
  p = r.physical;
  static const int want[] = {3, 4, 0, 1, 2};
  bool ok = p->kind == PLAN_PROJECT && p->nexprs == 5;
  for (int i = 0; ok && i < 5; i++)
    ok = p->exprs[i]->kind == EXPR_COLREF && p->exprs[i]->col == want[i];
  TAP_OK(ok, "restoring projection maps [3, 4, 0, 1, 2]");

  r = pt_plan_stream("SELECT u.name, v.page FROM views v JOIN users u ON "
                     "u.id = v.user_id", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(HashJoin(StreamScan,TableScan))",
             "stream already on the left: no swap");
  r = pt_plan_stream("SELECT * FROM users, views WHERE user_id > id", NULL);
  TAP_EQ_STR(pt_shape(r.physical), "Project(NestedLoopJoin(StreamScan,TableScan))",
             "theta join: nested loops with the stream probing");
  r = pt_plan_stream("SELECT u.name, v.page, o.amount FROM users u JOIN views v "
                     "ON u.id = v.user_id JOIN orders o ON o.user_id = u.id", NULL);
  TAP_EQ_INT(r.rc, 0, "a stream joined with two tables plans");
  const EdPlan *scan = r.physical;
  while (scan && scan->left) scan = scan->left;
  TAP_OK(scan && scan->phys == PHYS_STREAM_SCAN,
         "the leftmost leaf (first probe) is the stream");
}

/* ---------------------------------------------------------- stream info */

static void test_info(void) {
  PtPlan r = pt_plan_stream("SELECT value FROM ticks TRIGGER PROCESSING TIME "
                            "'5 seconds'", NULL);
  TAP_EQ_INT(r.info.trigger, TRIGGER_PROCESSING_TIME, "TRIGGER clause kind");
  TAP_EQ_INT(r.info.trigger_interval_us, 5 * SEC, "trigger interval 5 s");
  TAP_EQ_INT(r.info.max_rows_per_trigger, 100, "max_rows_per_trigger from the source");
  TAP_EQ_INT(r.info.max_files_per_trigger, 0, "no file limit");

  EdPlanDefaults d;
  memset(&d, 0, sizeof d);
  d.trigger = TRIGGER_ONCE;
  d.state_ttl_us = 3600 * SEC;
  r = pt_plan_stream("SELECT x FROM dir", &d);
  TAP_EQ_INT(r.info.trigger, TRIGGER_ONCE, "session default trigger");
  TAP_EQ_INT(r.info.max_files_per_trigger, 2, "max_files_per_trigger from the source");
  TAP_EQ_INT(r.info.max_rows_per_trigger, 500, "and its max_rows_per_trigger");
  TAP_EQ_INT(r.info.state_ttl_us, 3600 * SEC, "session default state TTL");
  r = pt_plan_stream("SELECT x FROM dir TRIGGER AVAILABLE NOW", &d);
  TAP_EQ_INT(r.info.trigger, TRIGGER_AVAILABLE_NOW, "TRIGGER overrides the default");

  PtPlan a;
  const EdPlan *agg = stream_agg("SELECT page, count(*) FROM views GROUP BY page "
                                 "WITH (state_ttl = '10 minutes')", &d, &a);
  TAP_EQ_INT(a.info.state_ttl_us, 600 * SEC, "query state_ttl overrides the default");
  TAP_EQ_INT(agg ? agg->state_ttl_us : -1, 600 * SEC, "node state TTL 10 minutes");
  agg = stream_agg("SELECT page, count(*) FROM views GROUP BY page", &d, &a);
  TAP_EQ_INT(agg ? agg->state_ttl_us : -1, 3600 * SEC, "node state TTL from the default");
  agg = stream_agg("SELECT page, count(*) FROM views GROUP BY page", NULL, &a);
  TAP_EQ_INT(agg ? agg->state_ttl_us : -1, 0, "no TTL by default");

  r = pt_plan_stream("SELECT ts FROM bad", NULL);
  TAP_EQ_INT(r.rc, -1, "a bad per-trigger limit fails");
  TAP_EQ_INT(r.err.kind, ED_ERR_PLAN, "as a planning error");
  TAP_EQ_STR(r.err.msg, "option max_rows_per_trigger of stream \"bad\" must be a "
                        "positive integer, not 'lots'",
             "bad limit message");
  const char *q = "SELECT page FROM views WITH (ttl = '1 hour')";
  r = pt_plan_stream(q, NULL);
  TAP_EQ_INT(r.err.kind, ED_ERR_BIND, "unknown query option: bind error");
  TAP_EQ_STR(r.err.msg, "unknown query option \"ttl\": the only query option is "
                        "state_ttl, e.g. WITH (state_ttl = '1 hour')",
             "unknown query option message");
  TAP_EQ_INT(r.err.pos.col, col_of(q, "ttl"), "at the option");

  r = pt_plan_stream("SELECT page FROM events", &d);
  TAP_OK(!r.info.streaming, "batch query info: not streaming");
  r = pt_plan_stream("SELECT v FROM k", NULL);
  TAP_EQ_STR(r.err.msg, "cannot read \"k\": the 'kafka' connector is not "
                        "supported yet",
             "kafka streams are not readable yet");
}

/* -------------------------------------------------------------- EXPLAIN */

static void test_explain(void) {
  PtPlan r = pt_plan_stream(
      "EXPLAIN SELECT window(ts, '5 seconds') AS w, page, count(*) FROM views "
      "GROUP BY window(ts, '5 seconds'), page EMIT UPDATE", NULL);
  TAP_EQ_STR(r.physical ? ed_plan_explain(r.physical, &pt_arena) : "",
             "Project [window(ts, 5 seconds) AS w, page, count(*)]\n"
             "  StreamAggregate keys=[window(ts, 5 seconds), page] "
             "aggs=[count(*)] window=tumbling(5 seconds) mode=UPDATE\n"
             "    StreamScan views (memory) watermark ts - 10 seconds\n",
             "EXPLAIN of a tumbling window over a watermarked stream");
  TAP_EQ_STR(r.physical ? ed_plan_explain_stream(r.physical, &r.info, &pt_arena) : "",
             "Project [window(ts, 5 seconds) AS w, page, count(*)]\n"
             "  StreamAggregate keys=[window(ts, 5 seconds), page] "
             "aggs=[count(*)] window=tumbling(5 seconds) mode=UPDATE\n"
             "    StreamScan views (memory) watermark ts - 10 seconds\n"
             "Output mode: UPDATE\n"
             "Trigger: as soon as data arrives\n",
             "EXPLAIN with the output mode and trigger");

  r = pt_plan_stream("SELECT word, count(*) AS n FROM (SELECT explode(split(value, "
                     "' ')) AS word FROM lines) GROUP BY word TRIGGER PROCESSING "
                     "TIME '5 seconds' WITH (state_ttl = '1 hour')", NULL);
  TAP_EQ_STR(r.physical ? ed_plan_explain_stream(r.physical, &r.info, &pt_arena) : "",
             "Project [word, count(*) AS n]\n"
             "  StreamAggregate keys=[word] aggs=[count(*)] mode=UPDATE "
             "state_ttl=1 hour\n"
             "    Project [word]\n"
             "      Explode split(value, ' ')\n"
             "        StreamScan lines (socket)\n"
             "Output mode: UPDATE\n"
             "Trigger: processing time 5 seconds\n"
             "State TTL: 1 hour\n",
             "EXPLAIN of the word count");

  r = pt_plan_stream("SELECT window(ts, '10 seconds', '5 seconds') AS w, "
                     "count(*) FROM events GROUP BY 1", NULL);
  TAP_EQ_STR(r.physical ? ed_plan_explain_stream(r.physical, &r.info, &pt_arena) : "",
             "Project [window(ts, 10 seconds, 5 seconds) AS w, count(*)]\n"
             "  StreamAggregate keys=[window(ts, 10 seconds, 5 seconds)] "
             "aggs=[count(*)] window=sliding(10 seconds, 5 seconds) "
             "mode=COMPLETE\n"
             "    TableScan events\n",
             "EXPLAIN of a batch sliding window (no mode lines)");

  r = pt_plan_stream("SELECT ts, session_window(ts2, '1 minute') AS s, count(*) "
                     "FROM ev2 AS e GROUP BY 1, 2 EMIT COMPLETE", NULL);
  TAP_EQ_STR(r.physical ? ed_plan_explain(r.physical, &pt_arena) : "",
             "Project [ts, session_window(ts2, 1 minute) AS s, count(*)]\n"
             "  StreamAggregate keys=[ts, session_window(ts2, 1 minute)] "
             "aggs=[count(*)] window=session(1 minute) mode=COMPLETE\n"
             "    StreamScan ev2 AS e (memory) watermark ts - 1 second\n",
             "EXPLAIN of a session window (the window wins over event time)");

  r = pt_plan_stream("SELECT ts, count(*) FROM views GROUP BY ts", NULL);
  TAP_EQ_STR(r.physical ? ed_plan_explain(r.physical, &pt_arena) : "",
             "StreamAggregate keys=[ts] aggs=[count(*)] window=event_time(ts) "
             "mode=APPEND\n"
             "  StreamScan views (memory) watermark ts - 10 seconds\n",
             "EXPLAIN of an event-time grouping");
}

int main(void) {
  pt_init();
  add_streams();
  test_scans();
  test_query_watermark();
  test_window_specs();
  test_window_bounded_through();
  test_window_errors();
  test_batch_windows();
  test_mode_defaults();
  test_mode_rejections();
  test_order_limit();
  test_shape_rejections();
  test_explode();
  test_join_swap();
  test_info();
  test_explain();
  pt_fini();
  return tap_done();
}
