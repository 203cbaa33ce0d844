/*
** tests/unit/stream/test_stream_writers.c — the writers in a streaming
** query (sinks/sink.h): the console form per micro-batch (Spark's
** "Batch: N" banner, one table per batch, an empty batch as the header
** box, nothing at the end), the batch form unchanged, csv and jsonl
** written as rows come and flushed at the end of each micro-batch, and
** the changelog writer's op column from the batches' ops.
**
** Expected texts are written by hand: the console form is the one Spark's
** console sink prints (DESIGN §7), the boxes follow Dataset.show().
*/
#include "tests/unit/stream/stream_test.h"

/* A FILE writing into memory; text and len are updated at each flush. */
typedef struct Mem {
  char *text;
  size_t len;
  size_t taken;       /* bytes already returned by mem_take */
  FILE *f;
} Mem;

static void mem_open(Mem *m) {
  m->text = NULL;
  m->len = m->taken = 0;
  m->f = open_memstream(&m->text, &m->len);
}

/* The text written since the last take (flushing first), as a new
** string. */
static char *mem_take(Mem *m) {
  fflush(m->f);
  char *t = strdup(m->text ? m->text + m->taken : "");
  m->taken = m->len;
  return t;
}

static void mem_close(Mem *m) {
  fclose(m->f);
  free(m->text);
}

/* The schema word VARCHAR, count BIGINT. */
static EdSchema *wc_schema(void) {
  static EdColumn cols[2];
  static EdSchema s = {2, cols};
  cols[0].name = (char *)"word";
  cols[0].type = ED_T_VARCHAR;
  cols[1].name = (char *)"count";
  cols[1].type = ED_T_BIGINT;
  return &s;
}

/* A batch of (word, count) rows; ops may be NULL. */
static EdBatch *wc_batch(const char *const *words, const int64_t *counts,
                         int n, const uint8_t *ops) {
  EdType types[] = {ED_T_VARCHAR, ED_T_BIGINT};
  EdBatch *b = ed_batch_new(2, types);
  for (int i = 0; i < n; i++) {
    EdValue w = {.type = ED_T_VARCHAR,
                 .u.s = {words[i], (uint32_t)strlen(words[i])}};
    EdValue c = {.type = ED_T_BIGINT, .u.i = counts[i]};
    ed_vector_put(b, 0, i, &w);
    ed_vector_put(b, 1, i, &c);
  }
  b->nrows = n;
  if (ops) {
    b->ops = b->ops_buf;
    memcpy(b->ops, ops, (size_t)n);
  }
  return b;
}

static const char *const RULE = "-------------------------------------------\n";

static void test_console(void) {
  Mem m;
  mem_open(&m);
  EdSink *s = ed_sink_table_new(m.f, 20);
  s->streaming = true;
  const char *w[] = {"hello", "my"};
  int64_t c[] = {1, 22};
  int rc = s->begin(s, wc_schema());
  char *t = mem_take(&m);
  TAP_EQ_STR(t, "", "console: nothing at begin");
  free(t);
  EdBatch *b = wc_batch(w, c, 2, NULL);
  rc |= s->begin_batch(s, 0);
  rc |= s->write(s, b);
  rc |= s->end_batch(s, 0);
  char want[1024];
  snprintf(want, sizeof want,
           "%sBatch: 0\n%s"
           "+-----+-----+\n"
           "| word|count|\n"
           "+-----+-----+\n"
           "|hello|    1|\n"
           "|   my|   22|\n"
           "+-----+-----+\n"
           "\n",
           RULE, RULE);
  t = mem_take(&m);
  TAP_EQ_STR(t, want, "console: Batch 0 banner, its table, a blank line");
  free(t);
  rc |= s->begin_batch(s, 1);
  rc |= s->end_batch(s, 1);
  snprintf(want, sizeof want,
           "%sBatch: 1\n%s"
           "+----+-----+\n"
           "|word|count|\n"
           "+----+-----+\n"
           "+----+-----+\n"
           "\n",
           RULE, RULE);
  t = mem_take(&m);
  TAP_EQ_STR(t, want,
             "console: an empty batch prints the header box, widths of "
             "the names (not of batch 0's rows)");
  free(t);
  const char *w2[] = {"a"};
  int64_t c2[] = {123456};
  EdBatch *b2 = wc_batch(w2, c2, 1, NULL);
  rc |= s->begin_batch(s, 2);
  rc |= s->write(s, b2);
  rc |= s->write(s, b2);
  rc |= s->end_batch(s, 2);
  rc |= s->end(s);
  snprintf(want, sizeof want,
           "%sBatch: 2\n%s"
           "+----+------+\n"
           "|word| count|\n"
           "+----+------+\n"
           "|   a|123456|\n"
           "|   a|123456|\n"
           "+----+------+\n"
           "\n",
           RULE, RULE);
  t = mem_take(&m);
  TAP_EQ_STR(t, want,
             "console: two writes in one batch are one table; end() adds "
             "nothing");
  free(t);
  TAP_EQ_INT(rc, 0, "console: no failure");
  TAP_EQ_STR(s->description, "table", "console: description");
  s->destroy(s);

  /* A streaming console that never ran a batch prints nothing at all. */
  s = ed_sink_table_new(m.f, 20);
  s->streaming = true;
  s->begin(s, wc_schema());
  s->end(s);
  t = mem_take(&m);
  TAP_EQ_STR(t, "", "console: no batch, no output");
  free(t);
  s->destroy(s);

  /* A batch query: one table at the end, no banner. */
  s = ed_sink_table_new(m.f, 20);
  s->begin(s, wc_schema());
  s->write(s, b);
  s->end(s);
  t = mem_take(&m);
  TAP_EQ_STR(t,
             "+-----+-----+\n"
             "| word|count|\n"
             "+-----+-----+\n"
             "|hello|    1|\n"
             "|   my|   22|\n"
             "+-----+-----+\n",
             "table writer of a batch query: unchanged");
  free(t);
  s->destroy(s);
  ed_batch_free(b);
  ed_batch_free(b2);
  mem_close(&m);
}

static void test_csv_flush(void) {
  Mem m;
  mem_open(&m);
  EdSink *s = ed_sink_csv_new(m.f, true);
  s->streaming = true;
  const char *w[] = {"a,b", "c"};
  int64_t c[] = {1, 2};
  EdBatch *b = wc_batch(w, c, 2, NULL);
  int rc = s->begin(s, wc_schema());
  TAP_EQ_STR(m.text + m.taken, "word,count\n",
             "csv: the header is out at begin");
  rc |= s->begin_batch(s, 0);
  rc |= s->write(s, b);
  TAP_EQ_INT(m.len - m.taken, 11,
             "csv: rows of an open batch are not flushed yet");
  rc |= s->end_batch(s, 0);
  TAP_EQ_STR(m.text + m.taken, "word,count\n\"a,b\",1\nc,2\n",
             "csv: the end of the batch flushes its rows");
  rc |= s->begin_batch(s, 1);
  rc |= s->end_batch(s, 1);
  rc |= s->end(s);
  char *t = mem_take(&m);
  TAP_EQ_STR(t, "word,count\n\"a,b\",1\nc,2\n",
             "csv: an empty batch and the end add nothing");
  free(t);
  TAP_EQ_INT(rc, 0, "csv: no failure");
  TAP_EQ_STR(s->description, "csv", "csv: description");
  s->destroy(s);

  /* Outside micro-batches every write is flushed (batch queries). */
  s = ed_sink_csv_new(m.f, false);
  s->begin(s, wc_schema());
  s->write(s, b);
  TAP_EQ_STR(m.text + m.taken, "\"a,b\",1\nc,2\n",
             "csv of a batch query: flushed at each write; no header "
             "when not asked");
  s->end(s);
  s->destroy(s);
  ed_batch_free(b);
  mem_close(&m);
}

static void test_jsonl_flush(void) {
  Mem m;
  mem_open(&m);
  EdSink *s = ed_sink_jsonl_new(m.f);
  s->streaming = true;
  const char *w[] = {"x"};
  int64_t c[] = {5};
  EdBatch *b = wc_batch(w, c, 1, NULL);
  int rc = s->begin(s, wc_schema());
  rc |= s->begin_batch(s, 0);
  rc |= s->write(s, b);
  TAP_EQ_INT(m.len - m.taken, 0,
             "jsonl: rows of an open batch are not flushed yet");
  rc |= s->end_batch(s, 0);
  TAP_EQ_STR(m.text + m.taken, "{\"word\": \"x\", \"count\": 5}\n",
             "jsonl: flushed at the end of the batch");
  rc |= s->end(s);
  TAP_EQ_INT(rc, 0, "jsonl: no failure");
  TAP_EQ_STR(s->description, "jsonl", "jsonl: description");
  s->destroy(s);
  ed_batch_free(b);
  mem_close(&m);
}

static void test_changelog(void) {
  Mem m;
  mem_open(&m);
  EdSink *s = ed_sink_for_format(ED_FMT_CHANGELOG, m.f, 20);
  s->streaming = true;
  const char *w[] = {"a", "a", "b", "c"};
  int64_t c[] = {1, 2, 1, 4};
  uint8_t ops[] = {ED_ROW_UPDATE_BEFORE, ED_ROW_UPDATE_AFTER, ED_ROW_INSERT,
                   ED_ROW_DELETE};
  EdBatch *b = wc_batch(w, c, 4, ops);
  b->sel = b->sel_buf;
  for (int i = 0; i < 4; i++) b->sel[i] = (uint16_t)i;
  b->nsel = 4;
  EdBatch *plain = wc_batch(w, c, 1, NULL);
  int rc = s->begin(s, wc_schema());
  rc |= s->begin_batch(s, 0);
  rc |= s->write(s, b);
  rc |= s->end_batch(s, 0);
  rc |= s->begin_batch(s, 1);
  rc |= s->write(s, plain);
  rc |= s->end_batch(s, 1);
  rc |= s->end(s);
  char *t = mem_take(&m);
  TAP_EQ_STR(t,
             "op,word,count\n"
             "-U,a,1\n+U,a,2\n+I,b,1\n-D,c,4\n"
             "+I,a,1\n",
             "changelog: op column first, from the ops; +I without ops");
  free(t);
  TAP_EQ_INT(rc, 0, "changelog: no failure");
  TAP_EQ_STR(s->description, "changelog", "changelog: description");
  s->destroy(s);

  /* The changelog of a batch query: every row an insert. */
  s = ed_sink_changelog_new(m.f, true);
  s->begin(s, wc_schema());
  s->write(s, plain);
  s->end(s);
  t = mem_take(&m);
  TAP_EQ_STR(t, "op,word,count\n+I,a,1\n", "changelog of a batch query");
  free(t);
  s->destroy(s);
  ed_batch_free(b);
  ed_batch_free(plain);
  mem_close(&m);
}

/* The console through a streaming query: banner per batch, ids from 0. */
static void test_console_query(void) {
  EdTable *s = st_stream("cq", "word VARCHAR", NULL, 0);
  Mem m;
  mem_open(&m);
  EdSink *sink = ed_sink_table_new(m.f, 20);
  StQuery q = st_start("SELECT word FROM cq WHERE word <> 'x'", sink, NULL);
  if (!TAP_OK(q.q != NULL, "console query starts")) return;
  st_row(s, "hi");
  ed_stream_query_run_available(q.q, &q.err);
  st_row(s, "x");
  ed_stream_query_run_available(q.q, &q.err);
  ed_stream_query_finish(q.q, &q.err);
  char want[1024];
  snprintf(want, sizeof want,
           "%sBatch: 0\n%s+----+\n|word|\n+----+\n|  hi|\n+----+\n\n"
           "%sBatch: 1\n%s+----+\n|word|\n+----+\n+----+\n\n",
           RULE, RULE, RULE, RULE);
  char *t = mem_take(&m);
  TAP_EQ_STR(t, want, "console query: one table per batch, nothing at the end");
  free(t);
  ed_stream_query_free(q.q);
  sink->destroy(sink);
  mem_close(&m);
}

int main(void) {
  ed_catalog_init(&st_cat);
  ed_arena_init(&st_arena, 1 << 16);
  test_console();
  test_csv_flush();
  test_jsonl_flush();
  test_changelog();
  test_console_query();
  ed_arena_free(&st_arena);
  ed_catalog_free(&st_cat);
  return tap_done();
}
