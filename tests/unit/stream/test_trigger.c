/*
** tests/unit/stream/test_trigger.c — the trigger loop over memory streams
** (exec/stream_query.h, docs/STREAMING.md): which batches run and with
** which ids, per-trigger limits, UNION ALL of two streams, a stream-table
** join with a static table, the watermark each batch runs with (min over
** inputs, never backwards, read from the progress reports), the triggers
** ONCE, AVAILABLE NOW, PROCESSING TIME and the default one, a finite file
** stream, and the fields of the progress JSON.
**
** Expected outputs are derived by hand from the rows inserted and the
** rules of DESIGN §4; watermarks are max event time minus delay computed
** by hand.
*/
#include <cjson/cJSON.h>
#include <stdio.h>
#include <unistd.h>

#include "tests/unit/stream/stream_test.h"

/* ------------------------------------------------------------ batches */

static void test_append_batches(void) {
  EdTable *s = st_stream("s1", "id BIGINT, name VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT id, upper(name) AS n FROM s1 WHERE id > 1",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "a stateless query over a memory stream starts"))
    return;
  TAP_OK(ed_stream_query_is_memory_driven(q.q), "it is memory-driven");
  TAP_OK(ed_stream_query_reads(q.q, s), "it reads s1");
  TAP_OK(!ed_stream_query_reads(q.q, ed_catalog_find(&st_cat, "t_users")),
         "and not another object");
  REC_IS(&r, "begin id,n\n", "the sink begins when the query starts");
  TAP_EQ_STR(ed_stream_query_last_progress(q.q), "",
             "no progress before the first batch");
  st_run(&q);
  REC_IS(&r, "", "no data: no batch runs");
  st_row(s, "1|ann");
  st_row(s, "2|bob");
  st_run(&q);
  REC_IS(&r, "[0\n2|BOB\n]0\n", "batch 0 holds the rows inserted");
  st_row(s, "0|cy");
  st_run(&q);
  REC_IS(&r, "[1\n]1\n",
         "a batch whose rows are all filtered out still runs (empty)");
  st_row(s, "3|dee");
  st_row(s, "4|NULL");
  st_row(s, "5|eve");
  st_run(&q);
  REC_IS(&r, "[2\n3|DEE\n4|NULL\n5|EVE\n]2\n",
         "rows inserted between two runs are one batch");
  st_run(&q);
  REC_IS(&r, "", "nothing new: no batch");
  TAP_EQ_INT(ed_stream_query_finish(q.q, &q.err), 0, "finish");
  REC_IS(&r, "end\n",
         "finish of a query without aggregation: no final batch, the end");
  TAP_EQ_INT(ed_stream_query_finish(q.q, &q.err), 0, "finish again is a no-op");
  REC_IS(&r, "", "and writes nothing");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_max_rows(void) {
  EdTable *s = st_stream("s2", "v BIGINT", NULL, 0);
  st_option(s, "max_rows_per_trigger", "2");
  for (int i = 1; i <= 5; i++) {
    char buf[8];
    snprintf(buf, sizeof buf, "%d", i);
    st_row(s, buf);
  }
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT v FROM s2", &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "query over a limited stream starts")) return;
  rec_clear(&r);
  st_run(&q);
  REC_IS(&r, "[0\n1\n2\n]0\n[1\n3\n4\n]1\n[2\n5\n]2\n",
         "max_rows_per_trigger = 2: five rows in batches of 2, 2, 1");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_union_all(void) {
  EdTable *a = st_stream("ua", "v BIGINT", NULL, 0);
  EdTable *b = st_stream("ub", "v BIGINT", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT v FROM ua UNION ALL SELECT v * 10 AS v FROM ub",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "UNION ALL of two streams starts")) return;
  rec_clear(&r);
  st_row(a, "1");
  st_run(&q);
  REC_IS(&r, "[0\n1\n]0\n",
         "rows of one input; the batch ends once at the sink");
  st_row(b, "2");
  st_row(a, "3");
  st_run(&q);
  REC_IS(&r, "[1\n3\n20\n]1\n", "both inputs in one batch, ended once");
  TAP_OK(ed_stream_query_reads(q.q, a) && ed_stream_query_reads(q.q, b),
         "the query reads both streams");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_static_join(void) {
  EdTable *users = st_object("t_users", OBJ_TABLE, "memory",
                             "id BIGINT, name VARCHAR");
  st_row(users, "1|ann");
  st_row(users, "2|bob");
  st_row(users, "2|bobby");
  EdTable *s = st_stream("clicks", "uid BIGINT, page VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT c.page, u.name FROM clicks c JOIN t_users u "
                       "ON c.uid = u.id",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "stream-table join starts")) return;
  REC_IS(&r, "begin page,name\n", "begin with the joined columns");
  st_row(s, "2|/a");
  st_row(s, "3|/b");
  st_row(s, "1|/c");
  st_run(&q);
  REC_IS(&r, "[0\n/a|bob\n/a|bobby\n/c|ann\n]0\n",
         "each click joined with every matching user, in probe order");
  st_row(users, "3|cy");
  st_row(s, "3|/d");
  st_run(&q);
  REC_IS(&r, "[1\n]1\n",
         "the table was read when the query started (a later row is "
         "not seen)");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);

  /* The table written first: the planner puts the stream on the probe
  ** side; the columns keep the order of the SQL. */
  rec_init(&r);
  q = st_start("SELECT u.name, c.page FROM t_users u JOIN clicks c "
               "ON c.uid = u.id WHERE c.page <> '/x'",
               &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "table JOIN stream starts")) return;
  rec_clear(&r);
  st_row(s, "1|/x");
  st_row(s, "1|/e");
  st_run(&q);
  REC_IS(&r, "[0\nbob|/a\nbobby|/a\ncy|/b\nann|/c\ncy|/d\nann|/e\n]0\n",
         "table JOIN stream: batch 0 holds every row of the stream so far, "
         "probing the table as it was at the start (with cy), in the SQL's "
         "column order");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

/* ------------------------------------------------------------ progress */

/* Parses the last progress report. */
static cJSON *last_report(StQuery *q) {
  return cJSON_Parse(ed_stream_query_last_progress(q->q));
}

/* A string member at a dotted path ("eventTime.watermark"), or NULL. */
static const char *jstr(const cJSON *o, const char *path) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *k = strtok_r(buf, ".", &save); k && o;
       k = strtok_r(NULL, ".", &save))
    o = cJSON_GetObjectItemCaseSensitive(o, k);
  return o && cJSON_IsString(o) ? o->valuestring : NULL;
}

/* A number member at a dotted path, or -1. */
static double jnum(const cJSON *o, const char *path) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *k = strtok_r(buf, ".", &save); k && o;
       k = strtok_r(NULL, ".", &save))
    o = cJSON_GetObjectItemCaseSensitive(o, k);
  return o && cJSON_IsNumber(o) ? o->valuedouble : -1;
}

static void test_watermark_progress(void) {
  EdTable *s = st_stream("wm1", "ts TIMESTAMP, v BIGINT", "ts", 10 * SEC);
  Rec r;
  rec_init(&r);
  char *plog = NULL;
  size_t plen = 0;
  FILE *pf = open_memstream(&plog, &plen);
  EdStreamOpts opts = {.progress = pf, .name = "q7"};
  StQuery q = st_start("SELECT v FROM wm1 WHERE v > 0", &r.base, &opts);
  if (!TAP_OK(q.q != NULL, "watermarked stream query starts")) return;
  st_row(s, "2024-01-01 00:00:30|1");
  st_row(s, "2024-01-01 00:00:10|0");
  st_row(s, "NULL|2");
  st_run(&q);
  cJSON *j = last_report(&q);
  TAP_OK(j != NULL, "the progress report is JSON");
  TAP_EQ_STR(jstr(j, "id"), "q7", "id is the query name");
  TAP_EQ_INT(jnum(j, "batchId"), 0, "batchId 0");
  TAP_EQ_INT(jnum(j, "numInputRows"), 3, "numInputRows counts rows read");
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "1970-01-01 00:00:00",
             "batch 0 runs with the watermark at the epoch");
  TAP_EQ_STR(jstr(j, "eventTime.min"), "2024-01-01 00:00:10",
             "eventTime.min over the batch's rows, before the filter");
  TAP_EQ_STR(jstr(j, "eventTime.max"), "2024-01-01 00:00:30",
             "eventTime.max over the batch's rows");
  TAP_EQ_INT(jnum(j, "sink.numOutputRows"), 2, "sink.numOutputRows");
  TAP_EQ_STR(jstr(j, "sink.description"), "recorder", "sink.description");
  TAP_EQ_INT(jnum(j, "numBadRows"), 0, "numBadRows");
  TAP_OK(jnum(j, "durationMs.triggerExecution") >= 0,
         "durationMs.triggerExecution");
  TAP_OK(jnum(j, "processedRowsPerSecond") > 0 &&
             jnum(j, "inputRowsPerSecond") > 0,
         "rows per second are positive");
  const char *ts = jstr(j, "timestamp");
  TAP_OK(ts && strlen(ts) == 24 && ts[4] == '-' && ts[10] == 'T' &&
             ts[19] == '.' && ts[23] == 'Z',
         "timestamp is ISO-8601 UTC with milliseconds");
  cJSON *src = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sources"), 0);
  TAP_EQ_STR(jstr(src, "description"), "MemoryStream[wm1]",
             "sources[0].description");
  TAP_EQ_INT(jnum(src, "startOffset.rows"), 0, "sources[0].startOffset");
  TAP_EQ_INT(jnum(src, "endOffset.rows"), 3, "sources[0].endOffset");
  TAP_EQ_INT(jnum(src, "numInputRows"), 3, "sources[0].numInputRows");
  TAP_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "stateOperators")), 0,
             "no state operator in a stateless query");
  cJSON_Delete(j);

  st_row(s, "2024-01-01 00:00:20|1");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:00:20",
             "batch 1: max event time 00:30 minus 10 s");
  src = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sources"), 0);
  TAP_EQ_INT(jnum(src, "startOffset.rows"), 3, "batch 1 starts at row 3");
  TAP_EQ_INT(jnum(src, "endOffset.rows"), 4, "and ends at row 4");
  cJSON_Delete(j);
  st_row(s, "2024-01-01 00:00:45|1");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:00:20",
             "batch 2: an older row did not move it (max is still 00:30)");
  cJSON_Delete(j);
  st_row(s, "2024-01-01 00:00:01|1");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:00:35",
             "batch 3: 00:45 - 10 s");
  TAP_EQ_INT(jnum(j, "batchId"), 3, "batchId 3");
  cJSON_Delete(j);
  st_row(s, "NULL|1");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:00:35",
             "batch 4: an old row does not move it back");
  TAP_OK(jstr(j, "eventTime.min") == NULL && jstr(j, "eventTime.max") == NULL,
         "a batch without event times has no eventTime.min/max");
  cJSON_Delete(j);
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  fclose(pf);
  int lines = 0;
  for (char *p = plog; p && *p; p++) lines += *p == '\n';
  TAP_EQ_INT(lines, 5, "--progress: one line per batch on the FILE");
  cJSON *first = cJSON_Parse(plog);
  TAP_EQ_INT(jnum(first, "batchId"), 0, "the first line is batch 0");
  cJSON_Delete(first);
  free(plog);
  r.base.destroy(&r.base);
}

static void test_watermark_min(void) {
  EdTable *a = st_stream("wa", "ts TIMESTAMP", "ts", 0);
  EdTable *b = st_stream("wb", "ts TIMESTAMP", "ts", 5 * SEC);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT ts FROM wa UNION ALL SELECT ts FROM wb",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "two watermarked streams start")) return;
  st_row(a, "2024-01-01 00:01:00");
  st_run(&q);
  st_row(a, "2024-01-01 00:01:10");
  st_run(&q);
  cJSON *j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "1970-01-01 00:00:00",
             "b has no row yet: it holds the watermark at the epoch");
  cJSON_Delete(j);
  st_row(b, "2024-01-01 00:00:50");
  st_run(&q);
  st_row(b, "2024-01-01 00:00:40");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:00:45",
             "min(a 01:10 - 0, b 00:50 - 5 s) = 00:45");
  cJSON_Delete(j);
  st_row(b, "2024-01-01 00:02:00");
  st_run(&q);
  st_row(a, "2024-01-01 00:01:00");
  st_run(&q);
  j = last_report(&q);
  TAP_EQ_STR(jstr(j, "eventTime.watermark"), "2024-01-01 00:01:10",
             "min(a 01:10, b 02:00 - 5 s) = a's 01:10");
  cJSON_Delete(j);
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

/* ------------------------------------------------------------ triggers */

static void test_once(void) {
  EdTable *s = st_stream("once1", "v BIGINT", NULL, 0);
  st_option(s, "max_rows_per_trigger", "2");
  for (int i = 1; i <= 5; i++) {
    char buf[8];
    snprintf(buf, sizeof buf, "%d", i);
    st_row(s, buf);
  }
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT v FROM once1 TRIGGER ONCE", &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "TRIGGER ONCE starts")) return;
  TAP_EQ_INT(q.info.trigger, TRIGGER_ONCE, "the plan says ONCE");
  rec_clear(&r);
  TAP_EQ_INT(ed_stream_query_run(q.q, NULL, &q.err), 0, "run returns");
  REC_IS(&r, "[0\n1\n2\n3\n4\n5\n]0\nend\n",
         "ONCE: one batch with everything (the per-trigger limit does not "
         "apply), then the end");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

/* Appends a row to the stream in user at the end of batch 0. */
static void append_after_first(Rec *r, int64_t id) {
  if (id == 0) st_row((EdTable *)r->user, "99");
}

static void test_available_now(void) {
  EdTable *s = st_stream("avail", "v BIGINT", NULL, 0);
  st_option(s, "max_rows_per_trigger", "2");
  for (int i = 1; i <= 5; i++) {
    char buf[8];
    snprintf(buf, sizeof buf, "%d", i);
    st_row(s, buf);
  }
  Rec r;
  rec_init(&r);
  r.on_end_batch = append_after_first;
  r.user = s;
  StQuery q = st_start("SELECT v FROM avail TRIGGER AVAILABLE NOW", &r.base,
                       NULL);
  if (!TAP_OK(q.q != NULL, "TRIGGER AVAILABLE NOW starts")) return;
  rec_clear(&r);
  TAP_EQ_INT(ed_stream_query_run(q.q, NULL, &q.err), 0, "run returns");
  REC_IS(&r, "[0\n1\n2\n]0\n[1\n3\n4\n]1\n[2\n5\n]2\nend\n",
         "AVAILABLE NOW: the five rows there at the start in batches of "
         "2, 2, 1; the row added during the run is not taken");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

/* Processing-time run: records when each batch began, feeds one row per
** batch, and interrupts after the fourth. */
typedef struct Clock {
  double start_ms[8];
  int n;
  volatile int stop;
  EdTable *s;
  int overrun_ms;     /* batch 0 takes this long */
} Clock;

static void clock_begin(Rec *r, int64_t id) {
  Clock *c = r->user;
  (void)id;
  if (c->n < 8) c->start_ms[c->n++] = st_now_ms();
}

static void clock_end(Rec *r, int64_t id) {
  Clock *c = r->user;
  st_row(c->s, "7");
  if (id == 0 && c->overrun_ms) {
    struct timespec ts = {0, c->overrun_ms * 1000000L};
    nanosleep(&ts, NULL);
  }
  if (id == 3) c->stop = 1;
}

static void test_processing_time(void) {
  Clock c;
  memset(&c, 0, sizeof c);
  c.s = st_stream("ticks1", "v BIGINT", NULL, 0);
  st_row(c.s, "1");
  Rec r;
  rec_init(&r);
  r.on_begin_batch = clock_begin;
  r.on_end_batch = clock_end;
  r.user = &c;
  StQuery q = st_start("SELECT v FROM ticks1 "
                       "TRIGGER PROCESSING TIME '100 milliseconds'",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "PROCESSING TIME trigger starts")) return;
  TAP_EQ_INT(q.info.trigger_interval_us, 100000, "interval 100 ms");
  double t0 = st_now_ms();
  int rc = ed_stream_query_run(q.q, &c.stop, &q.err);
  TAP_EQ_INT(rc, 0, "an interrupted run returns 0");
  TAP_EQ_INT(c.n, 4, "four batches ran before the interrupt");
  TAP_OK(c.start_ms[0] - t0 < 50, "the first trigger fires at once");
  /* Trigger i fires at start + i * 100 ms: measured from batch 0, a
  ** little late at most (a busy machine), never early. */
  bool spaced = c.n == 4;
  for (int i = 1; i < c.n; i++) {
    double late = c.start_ms[i] - c.start_ms[0] - 100.0 * i;
    if (late < -10 || late > 80) spaced = false;
    printf("# batch %d: %.1f ms after its tick\n", i, late);
  }
  TAP_OK(spaced, "batches start on the 100 ms schedule (-10..+80 ms)");
  char *text = rec_take(&r);
  size_t n = strlen(text);
  TAP_OK(n >= 4 && strcmp(text + n - 4, "end\n") == 0,
         "the interrupt ends the sink after the running batch");
  TAP_OK(strstr(text, "[4") == NULL, "and no further batch runs");
  free(text);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);

  /* Batch 0 overruns its interval (150 ms of 100): batch 1 starts at once
  ** when it is done, batch 2 on the schedule again (200 ms). */
  memset(&c, 0, sizeof c);
  c.s = st_stream("ticks2", "v BIGINT", NULL, 0);
  c.overrun_ms = 150;
  st_row(c.s, "1");
  rec_init(&r);
  r.on_begin_batch = clock_begin;
  r.on_end_batch = clock_end;
  r.user = &c;
  q = st_start("SELECT v FROM ticks2 TRIGGER PROCESSING TIME '100 milliseconds'",
               &r.base, NULL);
  if (!q.q) return;
  ed_stream_query_run(q.q, &c.stop, &q.err);
  double d1 = c.start_ms[1] - c.start_ms[0], d2 = c.start_ms[2] - c.start_ms[0];
  printf("# overrun: batch 1 at %.1f ms, batch 2 at %.1f ms\n", d1, d2);
  TAP_OK(c.n == 4 && d1 >= 150 && d1 < 190,
         "a batch that overruns: the next starts at once");
  TAP_OK(c.n == 4 && d2 >= 190 && d2 < 280,
         "then the schedule goes on (batch 2 at 200 ms)");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

/* Default trigger: a batch as soon as rows are there. */
typedef struct Feed {
  volatile int stop;
  int batches;
  EdTable *s;
} Feed;

static void feed_end(Rec *r, int64_t id) {
  Feed *f = r->user;
  f->batches++;
  if (id < 2) st_row(f->s, id == 0 ? "20" : "30");
  else f->stop = 1;
}

static void test_default_trigger(void) {
  Feed f = {0, 0, st_stream("feed", "v BIGINT", NULL, 0)};
  st_row(f.s, "10");
  Rec r;
  rec_init(&r);
  r.on_end_batch = feed_end;
  r.user = &f;
  StQuery q = st_start("SELECT v FROM feed", &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "default trigger starts")) return;
  rec_clear(&r);
  double t0 = st_now_ms();
  TAP_EQ_INT(ed_stream_query_run(q.q, &f.stop, &q.err), 0, "run returns");
  double ms = st_now_ms() - t0;
  REC_IS(&r, "[0\n10\n]0\n[1\n20\n]1\n[2\n30\n]2\nend\n",
         "a batch for each arrival, then the interrupt ends the sink");
  TAP_OK(ms < 1000, "rows waiting are taken without delay");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_file_stream(void) {
  char path[] = "/tmp/eddy_stream_XXXXXX.csv";
  int fd = mkstemps(path, 4);
  const char *data = "id,name\n1,a\n2,b\n3,c\n";
  if (write(fd, data, strlen(data)) < 0) perror("write");
  close(fd);
  EdTable *t = st_object("fs", OBJ_STREAM, "file", "id BIGINT, name VARCHAR");
  st_option(t, "path", path);
  st_option(t, "format", "csv");
  st_option(t, "header", "true");
  st_option(t, "max_rows_per_trigger", "2");
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT name, id FROM fs", &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "a file stream starts")) {
    unlink(path);
    return;
  }
  TAP_OK(!ed_stream_query_is_memory_driven(q.q),
         "a file stream is not memory-driven");
  TAP_EQ_INT(ed_stream_query_run(q.q, NULL, &q.err), 0,
             "run returns when the file ends");
  REC_IS(&r, "begin name,id\n[0\na|1\nb|2\n]0\n[1\nc|3\n]1\nend\n",
         "the file in batches of two rows, then the end");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
  unlink(path);
}

int main(void) {
  ed_catalog_init(&st_cat);
  ed_arena_init(&st_arena, 1 << 16);
  test_append_batches();
  test_max_rows();
  test_union_all();
  test_static_join();
  test_watermark_progress();
  test_watermark_min();
  test_once();
  test_available_now();
  test_processing_time();
  test_default_trigger();
  test_file_stream();
  ed_arena_free(&st_arena);
  ed_catalog_free(&st_cat);
  return tap_done();
}
