/*
** tests/unit/io/test_writers.c — exact output of the table, CSV and JSON
** lines writers (sinks/sink.h) and of ed_value_to_text.
**
** Table expectations follow Spark's Dataset.show() rules (minimum width
** 3, right-aligned with truncate > 0, left-aligned with truncate 0, cut to
** truncate-3 characters plus "...") and were computed by hand and checked
** with a few lines of Python implementing those rules; CSV expectations
** follow RFC 4180; JSON ones RFC 8259.
*/
#include <errno.h>
#include <math.h>
#include <signal.h>

#include "sinks/sink.h"
#include "tests/unit/io/io_helpers.h"
#include "tests/unit/tap.h"

/* Runs begin/write/end of sink over one batch; returns the output. */
static char *run_sink(EdSink *s, Capture *cap, const EdSchema *schema,
                      EdBatch *b) {
  int rc = s->begin(s, schema);
  if (b) rc |= s->write(s, b);
  rc |= s->end(s);
  if (rc) printf("# sink failed: %s\n", s->errmsg);
  return ed_strdup(cap_text(cap));
}

static void test_value_text(void) {
  char buf[64];
  EdValue v = {.type = ED_T_BIGINT, .is_null = false, .u.i = -7};
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "-7", "value_to_text BIGINT");
  v.is_null = true;
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "NULL", "value_to_text NULL");
  v = (EdValue){.type = ED_T_BOOL, .u.b = true};
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "true", "value_to_text BOOLEAN");
  v = (EdValue){.type = ED_T_DOUBLE, .u.d = 2.0};
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "2.0", "value_to_text DOUBLE");
  v = (EdValue){.type = ED_T_WINDOW, .u.w = {0, 60000000}};
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "{1970-01-01 00:00:00, 1970-01-01 00:01:00}",
             "value_to_text WINDOW");
  v = (EdValue){.type = ED_T_INTERVAL, .u.i = 90000000};
  ed_value_to_text(&v, buf, sizeof buf);
  TAP_EQ_STR(buf, "1 minute 30 seconds", "value_to_text INTERVAL");
  v = (EdValue){.type = ED_T_VARCHAR, .u.s = {"h\xc3\xa9llo", 6}};
  int n = ed_value_to_text(&v, buf, 3);
  TAP_OK(n == 1 && strcmp(buf, "h") == 0,
         "value_to_text cuts at a character boundary");
  n = ed_value_to_text(&v, buf, 4);
  TAP_OK(n == 3 && strcmp(buf, "h\xc3\xa9") == 0, "value_to_text keeps é");
}

/* The three-row batch of the mixed-type table tests. */
static EdBatch *mixed_batch(EdSchema *s) {
  mk_schema(s, "id BIGINT, name VARCHAR, score DOUBLE, ok BOOLEAN, "
               "ts TIMESTAMP");
  EdBatch *b = mk_batch(s);
  set_i64(b, 0, 0, 1);
  set_str(b, 1, 0, "alice");
  set_f64(b, 2, 0, 1.5);
  set_bool(b, 3, 0, true);
  set_i64(b, 4, 0, 0);
  set_null(b, 0, 1);
  set_str(b, 1, 1, "abcdefghijklmnopqrstuvwxyz");
  set_null(b, 2, 1);
  set_bool(b, 3, 1, false);
  set_null(b, 4, 1);
  set_i64(b, 0, 2, -42);
  set_null(b, 1, 2);
  set_f64(b, 2, 2, 100.0);
  set_null(b, 3, 2);
  set_i64(b, 4, 2, 1500000);
  b->nrows = 3;
  return b;
}

static void test_table(void) {
  Capture cap;
  EdSchema s;
  mk_schema(&s, "value VARCHAR, count BIGINT");
  EdBatch *b = mk_batch(&s);
  set_str(b, 0, 0, "my");
  set_i64(b, 1, 0, 1);
  b->nrows = 1;
  EdSink *t = ed_sink_table_new(cap_open(&cap), 20);
  char *out = run_sink(t, &cap, &s, b);
  TAP_EQ_STR(out,
             "+-----+-----+\n"
             "|value|count|\n"
             "+-----+-----+\n"
             "|   my|    1|\n"
             "+-----+-----+\n",
             "table: the DESIGN §7 example");
  TAP_EQ_INT(t->rows_written, 1, "table: rows_written");
  free(out);
  t->destroy(t);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);

  b = mixed_batch(&s);
  t = ed_sink_table_new(cap_open(&cap), 20);
  out = run_sink(t, &cap, &s, b);
  TAP_EQ_STR(out,
             "+----+--------------------+-----+-----+---------------------+\n"
             "|  id|                name|score|   ok|                   ts|\n"
             "+----+--------------------+-----+-----+---------------------+\n"
             "|   1|               alice|  1.5| true|  1970-01-01 00:00:00|\n"
             "|null|abcdefghijklmnopq...| null|false|                 null|\n"
             "| -42|                null|100.0| null|1970-01-01 00:00:01.5|\n"
             "+----+--------------------+-----+-----+---------------------+\n",
             "table: truncate 20 right-aligns and cuts long strings");
  free(out);
  t->destroy(t);
  cap_close(&cap);

  t = ed_sink_table_new(cap_open(&cap), 0);
  out = run_sink(t, &cap, &s, b);
  TAP_EQ_STR(
      out,
      "+----+--------------------------+-----+-----+---------------------+\n"
      "|id  |name                      |score|ok   |ts                   |\n"
      "+----+--------------------------+-----+-----+---------------------+\n"
      "|1   |alice                     |1.5  |true |1970-01-01 00:00:00  |\n"
      "|null|abcdefghijklmnopqrstuvwxyz|null |false|null                 |\n"
      "|-42 |null                      |100.0|null |1970-01-01 00:00:01.5|\n"
      "+----+--------------------------+-----+-----+---------------------+\n",
      "table: truncate 0 left-aligns and cuts nothing");
  free(out);
  t->destroy(t);
  cap_close(&cap);

  /* Selection vector: rows 0 and 2 only. */
  b->sel = b->sel_buf;
  b->sel[0] = 0;
  b->sel[1] = 2;
  b->nsel = 2;
  t = ed_sink_table_new(cap_open(&cap), 20);
  out = run_sink(t, &cap, &s, b);
  TAP_EQ_STR(out,
             "+---+-----+-----+----+---------------------+\n"
             "| id| name|score|  ok|                   ts|\n"
             "+---+-----+-----+----+---------------------+\n"
             "|  1|alice|  1.5|true|  1970-01-01 00:00:00|\n"
             "|-42| null|100.0|null|1970-01-01 00:00:01.5|\n"
             "+---+-----+-----+----+---------------------+\n",
             "table: honours the selection vector");
  TAP_EQ_INT(t->rows_written, 2, "table: rows_written counts active rows");
  free(out);
  t->destroy(t);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);

  /* Empty result: the header box. */
  mk_schema(&s, "a BIGINT");
  t = ed_sink_table_new(cap_open(&cap), 20);
  out = run_sink(t, &cap, &s, NULL);
  TAP_EQ_STR(out, "+---+\n|  a|\n+---+\n+---+\n", "table: empty result");
  free(out);
  t->destroy(t);
  cap_close(&cap);
  ed_schema_free(&s);

  /* truncate < 4 cuts without dots; header names are never cut. */
  mk_schema(&s, "longname VARCHAR");
  b = mk_batch(&s);
  set_str(b, 0, 0, "abcdef");
  set_str(b, 0, 1, "ab");
  b->nrows = 2;
  t = ed_sink_table_new(cap_open(&cap), 3);
  out = run_sink(t, &cap, &s, b);
  TAP_EQ_STR(out,
             "+--------+\n"
             "|longname|\n"
             "+--------+\n"
             "|     abc|\n"
             "|      ab|\n"
             "+--------+\n",
             "table: truncate 3 cuts to 3 characters, header whole");
  free(out);
  t->destroy(t);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);

  /* UTF-8 widths, wide characters, escapes, a cut in characters. */
  mk_schema(&s, "s VARCHAR");
  b = mk_batch(&s);
  set_str(b, 0, 0, "h\xc3\xa9llo");                 /* héllo: 5 */
  set_str(b, 0, 1, "\xe6\x97\xa5\xe6\x9c\xac");     /* 日本: width 4 */
  set_str(b, 0, 2, "a\nb\tc");                      /* a\nb\tc: 7 */
  char longe[64] = "";
  for (int i = 0; i < 22; i++) strcat(longe, "\xc3\xa9");
  set_str(b, 0, 3, longe);                          /* 22 x é */
  b->nrows = 4;
  t = ed_sink_table_new(cap_open(&cap), 20);
  out = run_sink(t, &cap, &s, b);
  char want[1024], cut[64] = "";
  for (int i = 0; i < 17; i++) strcat(cut, "\xc3\xa9");
  snprintf(want, sizeof want,
           "+--------------------+\n"
           "|                   s|\n"
           "+--------------------+\n"
           "|               h\xc3\xa9llo|\n"
           "|                \xe6\x97\xa5\xe6\x9c\xac|\n"
           "|             a\\nb\\tc|\n"
           "|%s...|\n"
           "+--------------------+\n",
           cut);
  TAP_EQ_STR(out, want, "table: UTF-8 widths, wide chars, escapes, cuts");
  free(out);
  t->destroy(t);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);

  /* Windows and intervals print whole; a table per end(). */
  mk_schema(&s, "w WINDOW, d INTERVAL");
  b = mk_batch(&s);
  set_win(b, 0, 0, 1704067200000000LL, 1704067260000000LL);
  set_i64(b, 1, 0, 90000000);
  b->nrows = 1;
  t = ed_sink_table_new(cap_open(&cap), 20);
  t->begin(t, &s);
  t->write(t, b);
  t->end(t);
  set_null(b, 0, 0);
  set_i64(b, 1, 0, 500000);
  t->write(t, b);
  t->end(t);
  TAP_EQ_STR(cap_text(&cap),
             "+------------------------------------------+-------------------+\n"
             "|                                         w|                  d|\n"
             "+------------------------------------------+-------------------+\n"
             "|{2024-01-01 00:00:00, 2024-01-01 00:01:00}|1 minute 30 seconds|\n"
             "+------------------------------------------+-------------------+\n"
             "+----+----------------+\n"
             "|   w|               d|\n"
             "+----+----------------+\n"
             "|null|500 milliseconds|\n"
             "+----+----------------+\n",
             "table: windows whole, widths restart after end()");
  TAP_EQ_INT(t->rows_written, 2, "table: rows_written across tables");
  t->destroy(t);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);
}

static void test_csv(void) {
  Capture cap;
  EdSchema s;
  mk_schema(&s, "w WINDOW, page VARCHAR, n BIGINT, avg DOUBLE, ok BOOLEAN, "
                "ts TIMESTAMP");
  EdBatch *b = mk_batch(&s);
  set_win(b, 0, 0, 0, 60000000);
  set_str(b, 1, 0, "a,b");
  set_i64(b, 2, 0, 3);
  set_f64(b, 3, 0, 2.5);
  set_bool(b, 4, 0, true);
  set_i64(b, 5, 0, 0);
  set_null(b, 0, 1);
  set_str(b, 1, 1, "say \"hi\"");
  set_null(b, 2, 1);
  set_null(b, 3, 1);
  set_bool(b, 4, 1, false);
  set_null(b, 5, 1);
  set_win(b, 0, 2, -60000000, 0);
  set_str(b, 1, 2, "");
  set_i64(b, 2, 2, INT64_MIN);
  set_f64(b, 3, 2, 1e16);
  set_null(b, 4, 2);
  set_i64(b, 5, 2, 1500000);
  set_win(b, 0, 3, 0, 1);
  set_str(b, 1, 3, "line1\nline2\r");
  set_i64(b, 2, 3, 0);
  set_f64(b, 3, 3, NAN);
  set_bool(b, 4, 3, true);
  set_i64(b, 5, 3, -1);
  b->nrows = 4;
  EdSink *c = ed_sink_csv_new(cap_open(&cap), true);
  char *out = run_sink(c, &cap, &s, b);
  TAP_EQ_STR(out,
             "w_start,w_end,page,n,avg,ok,ts\n"
             "1970-01-01 00:00:00,1970-01-01 00:01:00,\"a,b\",3,2.5,true,"
             "1970-01-01 00:00:00\n"
             ",,\"say \"\"hi\"\"\",,,false,\n"
             "1969-12-31 23:59:00,1970-01-01 00:00:00,\"\","
             "-9223372036854775808,1.0e+16,,1970-01-01 00:00:01.5\n"
             "1970-01-01 00:00:00,1970-01-01 00:00:00.000001,"
             "\"line1\nline2\r\",0,NaN,true,1969-12-31 23:59:59.999999\n",
             "csv: header, quoting, NULLs, windows, numbers");
  TAP_EQ_INT(c->rows_written, 4, "csv: rows_written");
  free(out);
  c->destroy(c);
  cap_close(&cap);

  b->sel = b->sel_buf;
  b->sel[0] = 1;
  b->nsel = 1;
  c = ed_sink_csv_new(cap_open(&cap), false);
  out = run_sink(c, &cap, &s, b);
  TAP_EQ_STR(out, ",,\"say \"\"hi\"\"\",,,false,\n",
             "csv: no header, selection vector");
  TAP_EQ_INT(c->rows_written, 1, "csv: rows_written with selection");
  free(out);
  c->destroy(c);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);

  mk_schema(&s, "x VARCHAR");
  free(s.cols[0].name);
  s.cols[0].name = ed_strdup("a,b");
  c = ed_sink_csv_new(cap_open(&cap), true);
  out = run_sink(c, &cap, &s, NULL);
  TAP_EQ_STR(out, "\"a,b\"\n", "csv: header names quoted when needed");
  free(out);
  c->destroy(c);
  cap_close(&cap);
  ed_schema_free(&s);
}

static void test_jsonl(void) {
  Capture cap;
  EdSchema s;
  mk_schema(&s, "w WINDOW, page VARCHAR, n BIGINT, avg DOUBLE, ok BOOLEAN, "
                "ts TIMESTAMP, d INTERVAL");
  EdBatch *b = mk_batch(&s);
  set_win(b, 0, 0, 1704067200000000LL, 1704067260000000LL);
  set_str(b, 1, 0, "/a \"q\" \\ \x01\t\n");
  set_i64(b, 2, 0, 3);
  set_f64(b, 3, 0, 2.0);
  set_bool(b, 4, 0, true);
  set_i64(b, 5, 0, 1500000);
  set_i64(b, 6, 0, 10000000);
  for (int c = 0; c < 7; c++) set_null(b, c, 1);
  set_win(b, 0, 2, 0, 60000000);
  set_str(b, 1, 2, "h\xc3\xa9");
  set_i64(b, 2, 2, -5);
  set_f64(b, 3, 2, INFINITY);
  set_bool(b, 4, 2, false);
  set_i64(b, 5, 2, 0);
  set_i64(b, 6, 2, 0);
  b->nrows = 3;
  EdSink *j = ed_sink_jsonl_new(cap_open(&cap));
  char *out = run_sink(j, &cap, &s, b);
  TAP_EQ_STR(out,
             "{\"w\": {\"start\": \"2024-01-01 00:00:00\", \"end\": "
             "\"2024-01-01 00:01:00\"}, \"page\": \"/a \\\"q\\\" \\\\ "
             "\\u0001\\t\\n\", \"n\": 3, \"avg\": 2.0, \"ok\": true, "
             "\"ts\": \"1970-01-01 00:00:01.5\", \"d\": \"10 seconds\"}\n"
             "{\"w\": null, \"page\": null, \"n\": null, \"avg\": null, "
             "\"ok\": null, \"ts\": null, \"d\": null}\n"
             "{\"w\": {\"start\": \"1970-01-01 00:00:00\", \"end\": "
             "\"1970-01-01 00:01:00\"}, \"page\": \"h\xc3\xa9\", \"n\": -5, "
             "\"avg\": null, \"ok\": false, \"ts\": \"1970-01-01 00:00:00\", "
             "\"d\": \"0 seconds\"}\n",
             "jsonl: escapes, NULLs, windows, non-finite doubles");
  TAP_EQ_INT(j->rows_written, 3, "jsonl: rows_written");
  free(out);
  j->destroy(j);
  cap_close(&cap);
  b->sel = b->sel_buf;
  b->sel[0] = 1;
  b->nsel = 1;
  j = ed_sink_for_format(ED_FMT_JSONL, cap_open(&cap), 20);
  out = run_sink(j, &cap, &s, b);
  TAP_EQ_STR(out,
             "{\"w\": null, \"page\": null, \"n\": null, \"avg\": null, "
             "\"ok\": null, \"ts\": null, \"d\": null}\n",
             "jsonl via ed_sink_for_format, selection vector");
  free(out);
  j->destroy(j);
  cap_close(&cap);
  ed_batch_free(b);
  ed_schema_free(&s);
}

/* A reader that went away: writes fail with EPIPE, reported, no crash. */
static void test_epipe(void) {
  signal(SIGPIPE, SIG_IGN);
  EdSink *sinks[3];
  const char *names[3] = {"csv", "jsonl", "table"};
  EdSchema s;
  mk_schema(&s, "a BIGINT");
  EdBatch *b = mk_batch(&s);
  for (int i = 0; i < 100; i++) set_i64(b, 0, i, i);
  b->nrows = 100;
  for (int k = 0; k < 3; k++) {
    int fds[2];
    if (pipe(fds)) abort();
    close(fds[0]);
    FILE *f = fdopen(fds[1], "w");
    sinks[k] = k == 0 ? ed_sink_for_format(ED_FMT_CSV, f, 20)
               : k == 1 ? ed_sink_for_format(ED_FMT_JSONL, f, 20)
                        : ed_sink_for_format(ED_FMT_TABLE, f, 20);
    int rc = sinks[k]->begin(sinks[k], &s);
    if (rc == 0) rc = sinks[k]->write(sinks[k], b);
    if (rc == 0) rc = sinks[k]->end(sinks[k]);
    char name[64];
    snprintf(name, sizeof name, "%s: a closed pipe is a failure", names[k]);
    TAP_EQ_INT(rc, -1, name);
    snprintf(name, sizeof name, "%s: errmsg names EPIPE", names[k]);
    TAP_EQ_STR(sinks[k]->errmsg, "write error: Broken pipe", name);
    sinks[k]->destroy(sinks[k]);
    fclose(f);
  }
  ed_batch_free(b);
  ed_schema_free(&s);
}

int main(void) {
  test_value_text();
  test_table();
  test_csv();
  test_jsonl();
  test_epipe();
  return tap_done();
}
