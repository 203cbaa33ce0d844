/*
** tests/unit/sources/test_src_file.c — the file source: a file read to
** its end (the last line without a newline included) then ended; follow =
** true with bytes appended between micro-batches, where a partial last
** line (also a CSV record whose quoted field spans lines) is delivered
** only once completed; max_rows_per_trigger; a truncated file; JSON lines
** and text; include_timestamp; every decoder mode through the source with
** _corrupt_record and bad_records_path; offsets as byte counts of the
** complete records the test wrote.
*/
#include "tests/unit/sources/src_helpers.h"

static char *dir;

/* {"path": "<p>", "offset": N} */
static char *file_off(const char *p, long n) {
  char *s = malloc(strlen(p) + 64);
  sprintf(s, "{\"path\": \"%s\", \"offset\": %ld}", p, n);
  return s;
}

static void check_offsets(const Run *r, const char *path, long start,
                          long end, const char *what) {
  char name[160];
  char *ws = file_off(path, start), *we = file_off(path, end);
  snprintf(name, sizeof name, "%s: start offset", what);
  TAP_EQ_STR(r->start, ws, name);
  snprintf(name, sizeof name, "%s: end offset", what);
  TAP_EQ_STR(r->end, we, name);
  free(ws);
  free(we);
}

static void test_whole_file(void) {
  char *p = path_in(dir, "whole.csv");
  const char *text = "a,b\n1,x\n2,y\n3,z";
  put_file(p, "w", text);
  EdTable *t = mk_stream("f", "file", "a BIGINT, b VARCHAR", "path", p,
                         "format", "csv", NULL);
  EdStreamSource *s = open_src(t, "file: opens");
  if (s) {
    TAP_OK(s->replayable, "file: replayable");
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "1|x\n2|y\n3|z\n",
               "file: every row, the unterminated last one too");
    TAP_OK(r.has_data, "file: has_data");
    TAP_OK(r.ended, "file: the batch that reaches the end ends it");
    check_offsets(&r, p, 0, (long)strlen(text), "file");
    TAP_EQ_INT(s->stats.records, 3, "file: records counted");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_OK(!r.has_data && r.ended, "file: nothing after the end");
    TAP_EQ_INT(s->vt->wait(s, 0), 1, "file: wait returns at once when ended");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);

  /* A file with only its header: no data, ended. */
  put_file(p, "w", "a,b\n");
  t = mk_stream("f", "file", "a BIGINT, b VARCHAR", "path", p, "format",
                "csv", NULL);
  s = open_src(t, "file: header only opens");
  if (s) {
    Run r = run_batch(s, 0, 0, NULL);
    TAP_OK(!r.has_data, "file: a header alone is no data");
    TAP_OK(r.ended, "file: header only ends");
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

static void test_max_rows(void) {
  char *p = path_in(dir, "five.csv");
  put_file(p, "w", "a\n1\n2\n\n3\n4\n5\n");
  EdTable *t = mk_stream("f", "file", "a BIGINT", "path", p, NULL);
  EdStreamSource *s = open_src(t, "file max_rows: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "1\n2\n", "file max_rows: first 2");
    TAP_OK(!r.ended, "file max_rows: not ended after 2 of 5");
    check_offsets(&r, p, 0, 6, "file max_rows batch 1");
    TAP_EQ_INT(s->vt->wait(s, 0), 1, "file max_rows: wait sees the rest");
    text_clear(&got);
    r = run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "3\n4\n",
               "file max_rows: next 2 (blank skipped)");
    check_offsets(&r, p, 6, 11, "file max_rows batch 2");
    text_clear(&got);
    r = run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "5\n", "file max_rows: last one");
    TAP_OK(r.ended, "file max_rows: ended with the last");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

static void test_follow_csv(void) {
  char *p = path_in(dir, "follow.csv");
  put_file(p, "w", "a,b\n1,x\n2,y");
  EdTable *t = mk_stream("f", "file", "a BIGINT, b VARCHAR", "path", p,
                         "follow", "true", NULL);
  EdStreamSource *s = open_src(t, "follow: opens");
  if (!s) return;
  Text got = {0};
  Run r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "1|x\n", "follow: the partial last line waits");
  TAP_OK(!r.ended, "follow: not ended");
  check_offsets(&r, p, 0, 8, "follow batch 1");
  TAP_EQ_INT(s->vt->wait(s, 60), 0, "follow: nothing new: wait times out");

  put_file(p, "a", "y\n3,z\n");
  TAP_EQ_INT(s->vt->wait(s, 1000), 1, "follow: wait sees the append");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "2|yy\n3|z\n",
             "follow: the completed line and the next");
  check_offsets(&r, p, 8, 17, "follow batch 2");

  /* A quoted field spanning lines arrives in two appends. */
  put_file(p, "a", "4,\"hello\nwor");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_OK(!r.has_data, "follow: open quote: no data yet");
  TAP_EQ_STR(text_str(&got), "", "follow: open quote: no rows");
  TAP_EQ_INT(s->vt->wait(s, 60), 0,
             "follow: a partial record is no news for wait");
  put_file(p, "a", "ld\"\n5,e\n");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "4|hello\nworld\n5|e\n",
             "follow: the quoted record once complete");
  check_offsets(&r, p, 17, 37, "follow batch 3");

  /* Truncated and rewritten: read again from the start (with its
  ** header). */
  put_file(p, "w", "a,b\n9,n\n");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "9|n\n", "follow: truncated file read again");
  check_offsets(&r, p, 0, 8, "follow after truncation");
  TAP_OK(!s->ended, "follow: never ends");
  text_free(&got);
  s->vt->destroy(s);
  ed_table_free(t);
  free(p);
}

static void test_follow_jsonl_text(void) {
  char *p = path_in(dir, "follow.jsonl");
  put_file(p, "w", "{\"a\": 1, \"b\": \"x\"}\n\n{\"a\": 2, \"b\"");
  EdTable *t = mk_stream("j", "file", "a BIGINT, b VARCHAR", "path", p,
                         "follow", "true", NULL);
  EdStreamSource *s = open_src(t, "follow jsonl: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "1|x\n", "follow jsonl: complete line only");
    check_offsets(&r, p, 0, 20, "follow jsonl batch 1 (with the blank line)");
    put_file(p, "a", ": \"y\"}\n");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "2|y\n", "follow jsonl: completed line");
    /* Only blank lines: no data. */
    put_file(p, "a", "\n  \n");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_OK(!r.has_data, "follow jsonl: blank lines are no data");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);

  p = path_in(dir, "log.txt");
  put_file(p, "w", "first line\nsecond");
  t = mk_stream("l", "file", "value VARCHAR", "path", p, "follow", "true",
                NULL);
  s = open_src(t, "follow text: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "first line\n", "follow text: first line");
    put_file(p, "a", " line\n\nthird\r\n");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "second line\n\nthird\n",
               "follow text: blank line kept, CR dropped");
    check_offsets(&r, p, 11, 31, "follow text batch 2");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

static void test_arrival(void) {
  char *p = path_in(dir, "arr.csv");
  put_file(p, "w", "a\n1\n2\n");
  EdTable *t = mk_stream("f", "file", "a BIGINT, _arrival TIMESTAMP",
                         "path", p, "include_timestamp", "true", NULL);
  EdStreamSource *s = open_src(t, "file include_timestamp: opens");
  if (s) {
    EdBatch *b = mk_batch_for(&t->schema);
    EdError err;
    int64_t t0 = now_us();
    s->vt->begin_batch(s, 0, 0, &err);
    int n = s->vt->next(s, b, &err);
    int64_t t1 = now_us();
    TAP_EQ_INT(n, 2, "file include_timestamp: 2 rows");
    bool in_range = true;
    for (int i = 0; i < n; i++) {
      int64_t a = ED_VEC_I64(&b->cols[1])[i];
      in_range &= ed_vec_valid(&b->cols[1], i) && a >= t0 && a <= t1;
    }
    TAP_OK(in_range, "file include_timestamp: _arrival is the read time");
    TAP_EQ_INT(ED_VEC_I64(&b->cols[0])[1], 2, "file include_timestamp: data");
    ed_batch_free(b);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

/* The same bad input through the source in each mode.  Lines: header,
** 1,x (good), zz,y (a not a number), 3,w (good), 4,"q"r (text after the
** closing quote). */
static const char bad_csv[] = "a,b\n1,x\nzz,y\n3,w\n4,\"q\"r\n";

static void test_modes(void) {
  char *p = path_in(dir, "bad.csv");
  put_file(p, "w", bad_csv);
  EdTable *t = mk_stream("f", "file",
                         "a BIGINT, b VARCHAR, _corrupt_record VARCHAR",
                         "path", p, NULL);
  EdStreamSource *s = open_src(t, "PERMISSIVE: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got),
               "1|x|NULL\nNULL|y|zz,y\n3|w|NULL\n4|NULL|4,\"q\"r\n",
               "PERMISSIVE: NULLs and the raw line in _corrupt_record");
    TAP_EQ_INT(r.rc, 0, "PERMISSIVE: no error");
    TAP_EQ_INT(s->stats.bad, 2, "PERMISSIVE: 2 bad records counted");
    TAP_EQ_INT(s->stats.records, 2, "PERMISSIVE: 2 good records");
    char *wbuf = NULL;
    size_t wlen = 0;
    FILE *w = open_memstream(&wbuf, &wlen);
    ed_stream_source_warn(s, w);
    fclose(w);
    char want[512];
    snprintf(want, sizeof want,
             "warning: FileStream[%s]: 2 malformed records kept as NULLs "
             "(mode PERMISSIVE)\n",
             p);
    TAP_EQ_STR(wbuf, want, "PERMISSIVE: the warning counts them");
    free(wbuf);
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);

  char *bad_dir = path_in(dir, "bad_records");
  t = mk_stream("f", "file", "a BIGINT, b VARCHAR", "path", p, "mode",
                "DROPMALFORMED", "bad_records_path", bad_dir, NULL);
  s = open_src(t, "DROPMALFORMED: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "1|x\n3|w\n", "DROPMALFORMED: bad rows dropped");
    TAP_EQ_INT(r.rc, 0, "DROPMALFORMED: no error");
    TAP_EQ_INT(s->stats.bad, 2, "DROPMALFORMED: drops counted");
    char *bf = path_in(bad_dir, "bad_records.jsonl");
    char *kept = read_file(bf);
    TAP_OK(strstr(kept, "\"line\": 3") && strstr(kept, "\"line\": 5") &&
               strstr(kept, "\"record\": \"zz,y\""),
           "DROPMALFORMED: bad_records_path keeps lines 3 and 5");
    TAP_EQ_STR(s->bad_file, bf, "DROPMALFORMED: bad_file names the file");
    free(kept);
    free(bf);
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(bad_dir);

  t = mk_stream("f", "file", "a BIGINT, b VARCHAR", "path", p, "mode",
                "FAILFAST", NULL);
  s = open_src(t, "FAILFAST: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_INT(r.rc, -1, "FAILFAST: the batch fails");
    char want[512];
    snprintf(want, sizeof want, "FAILFAST: malformed record at %s line 3",
             p);
    if (!TAP_OK(strstr(r.err.msg, want) != NULL,
                "FAILFAST: message names the file and line"))
      printf("#   %s\n", r.err.msg);
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

/* Many rows: several column batches in one micro-batch, and a follow
** batch boundary far into a large file. */
static void test_large(void) {
  char *p = path_in(dir, "big.csv");
  FILE *f = fopen(p, "w");
  fputs("k,s\n", f);
  long bytes = 4;
  for (int k = 0; k < 10000; k++) bytes += fprintf(f, "%d,v%d\n", k, k);
  fprintf(f, "10000,par");
  fclose(f);
  EdTable *t = mk_stream("f", "file", "k BIGINT, s VARCHAR", "path", p,
                         "follow", "true", NULL);
  EdStreamSource *s = open_src(t, "large: opens");
  if (s) {
    EdBatch *b = mk_batch_for(&t->schema);
    EdError err;
    s->vt->begin_batch(s, 0, 0, &err);
    long total = 0, sum = 0;
    int n;
    while ((n = s->vt->next(s, b, &err)) > 0) {
      for (int i = 0; i < b->nrows; i++) sum += ED_VEC_I64(&b->cols[0])[i];
      total += n;
      ed_batch_reset(b);
    }
    TAP_EQ_INT(total, 10000, "large: 10000 complete rows");
    TAP_EQ_INT(sum, 10000L * 9999 / 2, "large: sum of keys");
    char st[256], en[256];
    s->vt->offsets(s, st, en, sizeof st);
    char *we = file_off(p, bytes);
    TAP_EQ_STR(en, we, "large: ends after the last complete line");
    free(we);
    ed_batch_free(b);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  free(p);
}

int main(void) {
  dir = tmp_dir("file");
  test_whole_file();
  test_max_rows();
  test_follow_csv();
  test_follow_jsonl_text();
  test_arrival();
  test_modes();
  test_large();
  rm_rf(dir);
  free(dir);
  return tap_done();
}
