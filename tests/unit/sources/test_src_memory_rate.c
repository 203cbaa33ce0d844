/*
** tests/unit/sources/test_src_memory_rate.c — the memory source (rows
** appended to the stream's memtable between micro-batches, each row
** delivered once, max_rows_per_trigger, batches bigger than one column
** batch, offsets) and the rate source (rows due after a sleep, consecutive
** values, evenly spaced timestamps, limits).  Expected rows are the ones
** this test appended, or the arithmetic of the rate definition.
*/
#include "tests/unit/sources/src_helpers.h"

/* Appends rows (k, "r<k>") for k in [from, to) to the memtable. */
static void append_rows(EdTable *t, int from, int to) {
  for (int k = from; k < to; k++) {
    char s[32];
    snprintf(s, sizeof s, "r%d", k);
    EdValue row[2];
    row[0].type = ED_T_BIGINT;
    row[0].is_null = false;
    row[0].u.i = k;
    row[1].type = ED_T_VARCHAR;
    row[1].is_null = k % 7 == 3;
    row[1].u.s = (EdStr){s, (uint32_t)strlen(s)};
    ed_memtable_append_row(t->mem, row);
  }
}

/* The rendering of rows [from, to) as append_rows made them. */
static char *expect_rows(int from, int to) {
  Text t = {0};
  for (int k = from; k < to; k++) {
    if (k % 7 == 3) text_addf(&t, "%d|NULL\n", k);
    else text_addf(&t, "%d|r%d\n", k, k);
  }
  if (!t.buf) return strdup("");
  return t.buf;
}

static void check_rows(Run r, Text *got, int from, int to,
                       const char *what) {
  char name[160];
  char *want = expect_rows(from, to);
  snprintf(name, sizeof name, "%s: rows", what);
  TAP_EQ_STR(text_str(got), want, name);
  snprintf(name, sizeof name, "%s: has_data", what);
  TAP_EQ_INT(r.has_data, to > from, name);
  free(want);
}

static void test_memory(void) {
  EdTable *t = mk_stream("m", "memory", "k BIGINT, s VARCHAR", NULL);
  EdStreamSource *s = open_src(t, "memory: opens");
  if (!s) return;
  TAP_OK(s->replayable, "memory: replayable");
  TAP_EQ_STR(s->description, "MemoryStream[m]", "memory: description");
  Text got = {0};

  Run r = run_batch(s, 0, 0, &got);
  check_rows(r, &got, 0, 0, "memory: nothing appended yet");
  TAP_EQ_STR(r.start, "{\"rows\": 0}", "memory: empty batch start");
  TAP_EQ_STR(r.end, "{\"rows\": 0}", "memory: empty batch end");
  TAP_EQ_INT(s->vt->wait(s, 0), 0, "memory: wait with nothing new");

  append_rows(t, 0, 3);
  TAP_EQ_INT(s->vt->wait(s, 0), 1, "memory: wait sees the insert");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  check_rows(r, &got, 0, 3, "memory: first insert");
  TAP_EQ_STR(r.end, "{\"rows\": 3}", "memory: end offset after 3 rows");
  TAP_OK(!r.ended, "memory: never ends");

  /* Two inserts between batches are one batch. */
  append_rows(t, 3, 5);
  append_rows(t, 5, 9);
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  check_rows(r, &got, 3, 9, "memory: two inserts in one batch");
  TAP_EQ_STR(r.start, "{\"rows\": 3}", "memory: start offset");
  TAP_EQ_STR(r.end, "{\"rows\": 9}", "memory: end offset");

  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  check_rows(r, &got, 9, 9, "memory: no insert, no data");

  /* More than a column batch, cut by max_rows, then the rest. */
  append_rows(t, 9, 9 + 5000);
  text_clear(&got);
  r = run_batch(s, 3000, 0, &got);
  check_rows(r, &got, 9, 3009, "memory: max_rows 3000 of 5000");
  TAP_EQ_INT(r.nexts, 2, "memory: 3000 rows come in two column batches");
  TAP_EQ_INT(s->vt->wait(s, 0), 1, "memory: wait sees the rest");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  check_rows(r, &got, 3009, 5009, "memory: the rest");
  TAP_EQ_INT(s->stats.records, 5009, "memory: records counted");
  text_free(&got);
  s->vt->destroy(s);

  /* A second source on the same stream starts at row 0: each query sees
  ** every row once. */
  EdStreamSource *s2 = open_src(t, "memory: second reader opens");
  if (s2) {
    Text all = {0};
    r = run_batch(s2, 0, 0, &all);
    check_rows(r, &all, 0, 5009, "memory: second reader sees every row");
    text_free(&all);
    s2->vt->destroy(s2);
  }

  /* The stream's own option limits batches too. */
  EdTable *t2 = mk_stream("m2", "memory", "k BIGINT, s VARCHAR",
                          "max_rows_per_trigger", "2", NULL);
  EdStreamSource *s3 = open_src(t2, "memory: with max_rows_per_trigger");
  if (s3) {
    append_rows(t2, 0, 5);
    Text g = {0};
    r = run_batch(s3, 0, 0, &g);
    check_rows(r, &g, 0, 2, "memory: option max_rows_per_trigger = 2");
    text_clear(&g);
    r = run_batch(s3, 10, 0, &g);
    check_rows(r, &g, 2, 4, "memory: tighter of option and argument");
    text_free(&g);
    s3->vt->destroy(s3);
  }
  ed_table_free(t2);
  ed_table_free(t);
}

/* Parses "{\"value\": N}". */
static long long offset_value(const char *json) {
  long long v = -1;
  if (sscanf(json, "{\"value\": %lld}", &v) != 1) return -1;
  return v;
}

static void test_rate(void) {
  EdTable *t = mk_stream("r", "rate", "timestamp TIMESTAMP, value BIGINT",
                         "rows_per_second", "200", NULL);
  int64_t before = now_us();
  EdStreamSource *s = open_src(t, "rate: opens");
  int64_t after = now_us();
  if (!s) return;
  TAP_OK(s->replayable, "rate: replayable");
  TAP_EQ_STR(s->description, "RateStream[rowsPerSecond=200]",
             "rate: description");
  sleep_ms(120);
  EdBatch *b = mk_batch_for(&t->schema);
  EdError err;
  int64_t t_begin0 = now_us();
  TAP_EQ_INT(s->vt->begin_batch(s, 0, 0, &err), 0, "rate: begin_batch");
  int64_t t_begin1 = now_us();
  int n = s->vt->next(s, b, &err);
  /* Row k is due at start + k * 5 ms; start is between before and after,
  ** the batch was fixed between t_begin0 and t_begin1. */
  int64_t lo = (t_begin0 - after) / 5000 + 1;
  int64_t hi = (t_begin1 - before) / 5000 + 1;
  if (!TAP_OK(n >= lo && n <= hi, "rate: rows due after 120 ms"))
    printf("#   got %d, want %lld..%lld\n", n, (long long)lo, (long long)hi);
  bool consecutive = true, spaced = true;
  const int64_t *ts = ED_VEC_I64(&b->cols[0]);
  const int64_t *val = ED_VEC_I64(&b->cols[1]);
  for (int i = 0; i < n; i++) {
    consecutive &= val[i] == i;
    spaced &= ts[i] - ts[0] == (int64_t)i * 5000;
  }
  TAP_OK(consecutive, "rate: values 0, 1, 2, ...");
  TAP_OK(spaced, "rate: timestamps 5 ms apart");
  TAP_OK(n > 0 && ts[0] >= before && ts[0] <= after,
         "rate: first timestamp is the start time");
  int64_t ts0 = ts[0];
  TAP_EQ_INT(s->vt->next(s, b, &err), 0, "rate: batch exhausted");
  char st[64], en[64];
  s->vt->offsets(s, st, en, sizeof st);
  TAP_EQ_INT(offset_value(st), 0, "rate: start offset");
  TAP_EQ_INT(offset_value(en), n, "rate: end offset is the next value");

  /* max_rows cuts; the next batch goes on with the next value. */
  sleep_ms(60);
  ed_batch_reset(b);
  s->vt->begin_batch(s, 4, 0, &err);
  int m = s->vt->next(s, b, &err);
  TAP_EQ_INT(m, 4, "rate: max_rows 4");
  TAP_EQ_INT(ED_VEC_I64(&b->cols[1])[0], n, "rate: continues the values");
  TAP_EQ_INT(ED_VEC_I64(&b->cols[0])[0] - ts0, (int64_t)n * 5000,
             "rate: timestamp of value n is start + n * 5 ms");
  TAP_EQ_INT(s->vt->wait(s, 0), 1, "rate: wait says more rows are due");
  TAP_OK(!s->ended, "rate: never ends");
  ed_batch_free(b);
  s->vt->destroy(s);
  ed_table_free(t);

  /* One row per second: the first row is due at once, the second a
  ** second later; wait sleeps until it is. */
  EdTable *t1 = mk_stream("r1", "rate", "timestamp TIMESTAMP, value BIGINT",
                          NULL);
  EdStreamSource *s1 = open_src(t1, "rate: default rows_per_second");
  if (s1) {
    Run r = run_batch(s1, 0, 0, NULL);
    TAP_EQ_INT(r.rows, 1, "rate 1/s: one row due at the start");
    r = run_batch(s1, 0, 0, NULL);
    TAP_EQ_INT(r.rows, 0, "rate 1/s: none right after");
    TAP_EQ_INT(s1->vt->wait(s1, 50), 0, "rate 1/s: wait 50 ms times out");
    int64_t w0 = now_us();
    TAP_EQ_INT(s1->vt->wait(s1, 3000), 1, "rate 1/s: wait for the row");
    int64_t waited = now_us() - w0;
    TAP_OK(waited > 700000 && waited < 1500000,
           "rate 1/s: waited about a second");
    r = run_batch(s1, 0, 0, NULL);
    TAP_EQ_INT(r.rows, 1, "rate 1/s: second row");
    s1->vt->destroy(s1);
  }
  ed_table_free(t1);

  /* Only the value column. */
  EdTable *tv = mk_stream("rv", "rate", "value BIGINT", "rows_per_second",
                          "1000", NULL);
  EdStreamSource *sv = open_src(tv, "rate: value column only");
  if (sv) {
    sleep_ms(20);
    Text got = {0};
    Run r = run_batch(sv, 3, 0, &got);
    TAP_EQ_STR(text_str(&got), "0\n1\n2\n", "rate: value only, 3 rows");
    TAP_EQ_INT(r.rc, 0, "rate: value only ok");
    text_free(&got);
    sv->vt->destroy(sv);
  }
  ed_table_free(tv);
}

int main(void) {
  test_memory();
  test_rate();
  return tap_done();
}
