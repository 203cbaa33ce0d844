/*
** tests/unit/stream/test_stream_agg.c — the trigger loop around streaming
** aggregations (DESIGN §4): the no-data batch after a watermark move, late
** rows counted in the progress report, the final batch at +infinity when
** the input ends (APPEND), none for COMPLETE or UPDATE, ORDER BY / LIMIT
** per batch in COMPLETE mode, the word count with explode, the minimum
** watermark of two streams (the worked example of
** ../shared/scenarios/README.md's companion watermark_min), changelog ops
** through a projection, and TRIGGER ONCE ending with the final batch.
**
** Expected outputs are worked out by hand from the rows and DESIGN §4.
** Rows inside one batch of an aggregation are compared in sorted order
** (the operator's output order is not specified) unless the query sorts.
*/
#include <cjson/cJSON.h>

#include "tests/unit/stream/stream_test.h"

/* Sorts the row lines inside each "[N" ... "]N" block of text, in place,
** so that batch contents compare as multisets. */
static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_batches(char *text) {
  size_t n = strlen(text);
  char *out = malloc(n + 1), *o = out;
  char **lines = malloc(sizeof(char *) * (n + 1));
  int nl = 0;
  for (char *p = text; *p;) {
    char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    *e = 0;
    lines[nl++] = p;
    p = e + 1;
    if (e == text + n) break;
  }
  for (int i = 0; i < nl;) {
    if (lines[i][0] != '[') {
      o += sprintf(o, "%s\n", lines[i++]);
      continue;
    }
    o += sprintf(o, "%s\n", lines[i++]);
    int start = i;
    while (i < nl && lines[i][0] != ']') i++;
    qsort(lines + start, (size_t)(i - start), sizeof *lines, cmp_line);
    for (int k = start; k < i; k++) o += sprintf(o, "%s\n", lines[k]);
  }
  *o = 0;
  free(lines);
  return out;
}

#define REC_IS_SORTED(r, want, name)        \
  do {                                      \
    char *got_ = rec_take(r);               \
    char *s_ = sorted_batches(got_);        \
    TAP_EQ_STR(s_, want, name);             \
    free(s_);                               \
    free(got_);                             \
  } while (0)

/* A number at a dotted path of the last progress report ("a.b", "a.0.b"
** for array items), or -1. */
static double progress_num(StQuery *q, const char *path) {
  cJSON *root = cJSON_Parse(ed_stream_query_last_progress(q->q));
  const cJSON *o = root;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *k = strtok_r(buf, ".", &save); k && o;
       k = strtok_r(NULL, ".", &save))
    o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(k))
                         : cJSON_GetObjectItemCaseSensitive(o, k);
  double v = o && cJSON_IsNumber(o) ? o->valuedouble : -1;
  cJSON_Delete(root);
  return v;
}

/* A string at a dotted path of the last progress report, malloc'ed. */
static char *progress_str(StQuery *q, const char *path) {
  cJSON *root = cJSON_Parse(ed_stream_query_last_progress(q->q));
  const cJSON *o = root;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *k = strtok_r(buf, ".", &save); k && o;
       k = strtok_r(NULL, ".", &save))
    o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(k))
                         : cJSON_GetObjectItemCaseSensitive(o, k);
  char *v = strdup(o && cJSON_IsString(o) ? o->valuestring : "");
  cJSON_Delete(root);
  return v;
}

#define W(a, b) "{2024-01-01 00:00:" a ", 2024-01-01 00:00:" b "}"

static void test_append_windows(void) {
  EdTable *e = st_stream("ev", "ts TIMESTAMP", "ts", 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT window(ts, '10 seconds') AS w, count(*) AS n "
                       "FROM ev GROUP BY window(ts, '10 seconds')",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "windowed APPEND query starts")) return;
  TAP_EQ_INT(q.info.mode, EMIT_APPEND, "APPEND is the default");
  rec_clear(&r);
  st_row(e, "2024-01-01 00:00:01");
  st_row(e, "2024-01-01 00:00:02");
  st_run(&q);
  REC_IS(&r, "[0\n]0\n[1\n]1\n",
         "batch 0 moves the watermark (epoch -> 00:02): the no-data batch 1 "
         "runs at once; no window has ended");
  char *wm = progress_str(&q, "eventTime.watermark");
  TAP_EQ_STR(wm, "2024-01-01 00:00:02", "batch 1 runs with the new watermark");
  free(wm);
  TAP_EQ_INT(progress_num(&q, "numInputRows"), 0, "batch 1 reads no row");
  st_row(e, "2024-01-01 00:00:15");
  st_run(&q);
  REC_IS(&r, "[2\n]2\n[3\n" W("00", "10") "|2\n]3\n",
         "00:15 moves the watermark to 00:15: the no-data batch 3 emits "
         "[00:00, 00:10)");
  st_row(e, "2024-01-01 00:00:05");
  st_run(&q);
  REC_IS(&r, "[4\n]4\n",
         "a late row (window end 00:10 <= 00:15): dropped, no move, no "
         "no-data batch");
  TAP_EQ_INT(progress_num(&q, "stateOperators.0.numRowsDroppedByWatermark"),
             1, "the drop is counted in the progress report");
  TAP_EQ_INT(progress_num(&q, "stateOperators.0.numRowsTotal"), 1,
             "one window in state ([00:10, 00:20))");
  TAP_EQ_INT(ed_stream_query_finish(q.q, &q.err), 0, "finish");
  REC_IS(&r, "[5\n" W("10", "20") "|1\n]5\nend\n",
         "the final batch (+infinity) emits the open window, then the end");
  wm = progress_str(&q, "eventTime.watermark");
  TAP_EQ_STR(wm, "+infinity", "the final batch's watermark");
  free(wm);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_complete_order_limit(void) {
  EdTable *s = st_stream("ks", "k VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT k, count(*) AS n FROM ks GROUP BY k "
                       "ORDER BY n DESC, k LIMIT 2 EMIT COMPLETE",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "COMPLETE with ORDER BY / LIMIT starts")) return;
  rec_clear(&r);
  st_row(s, "a");
  st_row(s, "b");
  st_row(s, "b");
  st_run(&q);
  REC_IS(&r, "[0\nb|2\na|1\n]0\n", "batch 0: the top two of {a:1, b:2}");
  st_row(s, "c");
  st_row(s, "c");
  st_row(s, "c");
  st_row(s, "d");
  st_run(&q);
  REC_IS(&r, "[1\nc|3\nb|2\n]1\n",
         "batch 1: the top two of the whole table {a:1, b:2, c:3, d:1}");
  st_row(s, "a");
  st_run(&q);
  REC_IS(&r, "[2\nc|3\na|2\n]2\n", "ties broken by k: a before b");
  TAP_EQ_INT(ed_stream_query_finish(q.q, &q.err), 0, "finish");
  REC_IS(&r, "end\n", "COMPLETE: no final batch at the end");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_word_count(void) {
  EdTable *s = st_stream("lines_wc", "value VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT word, count(*) AS n FROM (SELECT "
                       "explode(split(value, ' ')) AS word FROM lines_wc) "
                       "GROUP BY word",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "word count starts")) return;
  TAP_EQ_INT(q.info.mode, EMIT_UPDATE, "UPDATE is the default here");
  rec_clear(&r);
  st_row(s, "the cat");
  st_row(s, "the dog");
  st_run(&q);
  REC_IS_SORTED(&r, "[0\ncat|1\ndog|1\nthe|2\n]0\n", "batch 0 counts");
  st_row(s, "cat and dog");
  st_run(&q);
  REC_IS_SORTED(&r, "[1\nand|1\ncat|2\ndog|2\n]1\n",
                "batch 1: the words it changed, with their new counts");
  ed_stream_query_finish(q.q, &q.err);
  REC_IS(&r, "end\n", "UPDATE: no final batch");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

#define T(x) "{2024-01-01 10:00:" x

static void test_watermark_min_windows(void) {
  EdTable *a = st_stream("ma", "ts TIMESTAMP", "ts", 0);
  EdTable *b = st_stream("mb", "ts TIMESTAMP", "ts", 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT window(ts, '10 seconds') AS w, count(*) AS n "
                       "FROM (SELECT ts FROM ma UNION ALL SELECT ts FROM mb) "
                       "GROUP BY window(ts, '10 seconds') EMIT APPEND",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "APPEND over a UNION ALL of two streams")) return;
  rec_clear(&r);
  st_row(a, "2024-01-01 10:00:05");
  st_row(a, "2024-01-01 10:00:25");
  st_run(&q);
  REC_IS(&r, "[0\n]0\n", "b has no row: the watermark stays at the epoch");
  st_row(b, "2024-01-01 10:00:15");
  st_run(&q);
  REC_IS(&r,
         "[1\n]1\n[2\n" T("00") ", 2024-01-01 10:00:10}|1\n]2\n",
         "b reaches 10:00:15: min is 10:00:15, [10:00:00, 10:00:10) final");
  st_row(a, "2024-01-01 10:00:02");
  st_run(&q);
  REC_IS(&r, "[3\n]3\n", "a's row for a final window is late");
  st_row(b, "2024-01-01 10:00:40");
  st_run(&q);
  REC_IS(&r,
         "[4\n]4\n[5\n" T("10") ", 2024-01-01 10:00:20}|1\n]5\n",
         "b at 10:00:40, a at 10:00:25: the watermark is a's 10:00:25");
  ed_stream_query_finish(q.q, &q.err);
  REC_IS_SORTED(&r,
                "[6\n" T("20") ", 2024-01-01 10:00:30}|1\n" T("40")
                ", 2024-01-01 10:00:50}|1\n]6\nend\n",
                "the end: the remaining windows");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_changes_ops(void) {
  EdTable *s = st_stream("chg", "k VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT upper(k) AS uk, n * 10 AS n10 FROM (SELECT k, "
                       "count(*) AS n FROM chg GROUP BY k) EMIT CHANGES",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "CHANGES through a projection starts")) return;
  rec_clear(&r);
  st_row(s, "a");
  st_run(&q);
  REC_IS(&r, "[0\n+I A|10\n]0\n", "a new group: +I");
  st_row(s, "a");
  st_run(&q);
  REC_IS(&r, "[1\n-U A|10\n+U A|20\n]1\n",
         "an update: -U old then +U new, through the projection");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

static void test_once_append(void) {
  EdTable *e = st_stream("onceev", "ts TIMESTAMP", "ts", 5 * SEC);
  st_row(e, "2024-01-01 00:00:01");
  st_row(e, "2024-01-01 00:00:21");
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT window(ts, '10 seconds') AS w, count(*) AS n "
                       "FROM onceev GROUP BY window(ts, '10 seconds') "
                       "TRIGGER ONCE",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "APPEND with TRIGGER ONCE starts")) return;
  rec_clear(&r);
  TAP_EQ_INT(ed_stream_query_run(q.q, NULL, &q.err), 0, "run");
  REC_IS_SORTED(&r,
                "[0\n]0\n[1\n" W("00", "10") "|1\n" W("20", "30")
                "|1\n]1\nend\n",
                "ONCE: one data batch, then the final batch emits every "
                "window (the no-data batch it subsumes does not run)");
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

int main(void) {
  ed_catalog_init(&st_cat);
  ed_arena_init(&st_arena, 1 << 16);
  test_append_windows();
  test_complete_order_limit();
  test_word_count();
  test_watermark_min_windows();
  test_changes_ops();
  test_once_append();
  ed_arena_free(&st_arena);
  ed_catalog_free(&st_cat);
  return tap_done();
}
