/*
** tests/unit/io/test_file_source.c — the file connector: decode options
** from WITH options, the file scan (files, directories, errors, the
** end-of-scan warning) and schema inference.  Files live in a temporary
** directory under /tmp.
*/
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "sources/decoder.h"
#include "tests/unit/io/io_helpers.h"
#include "tests/unit/tap.h"

/* A table with the given WITH options ("key", "value", ..., NULL). */
static EdTable *mk_table(const char *schema_spec, ...) {
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup("t");
  t->kind = OBJ_TABLE;
  if (schema_spec) mk_schema(&t->schema, schema_spec);
  t->connector = ed_strdup("file");
  t->wm_col = -1;
  va_list ap;
  va_start(ap, schema_spec);
  const char *k;
  t->options = ed_calloc(16, sizeof(EdOption));
  while ((k = va_arg(ap, const char *)) != NULL) {
    t->options[t->noptions].key = ed_strdup(k);
    t->options[t->noptions].value = ed_strdup(va_arg(ap, const char *));
    t->noptions++;
  }
  va_end(ap);
  return t;
}

/* ------------------------------------------------------- capturing op */

typedef struct Sink {
  EdOp op;
  char rows[8192];
  int nrows, pushes, finished;
} Sink;

static int sink_push(EdOp *op, int port, EdBatch *b) {
  Sink *s = (Sink *)op;
  if (port != 0) return -1;
  s->pushes++;
  for (int i = 0; i < b->nrows; i++, s->nrows++) {
    char line[256] = "";
    for (int c = 0; c < b->ncols; c++) {
      const EdVector *v = &b->cols[c];
      char cell[128];
      if (!ed_vec_valid(v, i)) snprintf(cell, sizeof cell, "NULL");
      else if (v->type == ED_T_VARCHAR)
        snprintf(cell, sizeof cell, "%.*s", (int)ED_VEC_STR(v)[i].len,
                 ED_VEC_STR(v)[i].ptr);
      else if (v->type == ED_T_DOUBLE)
        snprintf(cell, sizeof cell, "%g", ED_VEC_F64(v)[i]);
      else if (v->type == ED_T_BOOL)
        snprintf(cell, sizeof cell, "%d", ED_VEC_BOOL(v)[i]);
      else
        snprintf(cell, sizeof cell, "%lld", (long long)ED_VEC_I64(v)[i]);
      strcat(line, c ? "|" : "");
      strcat(line, cell);
    }
    if (strlen(s->rows) + strlen(line) + 2 < sizeof s->rows) {
      strcat(s->rows, line);
      strcat(s->rows, "\n");
    }
  }
  return 0;
}

static int sink_finish(EdOp *op, int port) {
  (void)port;
  ((Sink *)op)->finished++;
  return 0;
}

static void sink_destroy(EdOp *op) { (void)op; }

static const EdOpVtab sink_vt = {.name = "TestSink",
                                 .push = sink_push,
                                 .finish = sink_finish,
                                 .destroy = sink_destroy};

/* Runs ed_file_scan of t into a fresh capture; stderr goes to errfile. */
static int scan(EdTable *t, Sink *s, EdExecCtx *ctx, EdDecodeStats *st,
                const char *errfile) {
  memset(s, 0, sizeof *s);
  s->op.vt = &sink_vt;
  s->op.ctx = ctx;
  s->op.ninputs = 1;
  memset(ctx, 0, sizeof *ctx);
  fflush(stderr);
  int saved = dup(2);
  int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fd, 2);
  close(fd);
  int rc = ed_file_scan(ctx, t, &s->op, st);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  return rc;
}

/* ---------------------------------------------------------------- tests */

static void test_opts(void) {
  EdDecodeOpts o;
  EdError err;
  EdTable *t = mk_table("a BIGINT", "path", "data/x.jsonl", NULL);
  TAP_EQ_INT(ed_decode_opts_from_table(t, &o, &err), 0, "opts: defaults");
  TAP_EQ_INT(o.format, ED_IN_JSONL, "opts: format from .jsonl extension");
  TAP_OK(o.header && o.delimiter == ',' && o.mode == ED_BAD_PERMISSIVE &&
             !o.bad_records_path,
         "opts: header true, ',', PERMISSIVE, no bad_records_path");
  TAP_EQ_STR(o.source_name, "data/x.jsonl", "opts: source is the path");
  ed_table_free(t);

  t = mk_table("a BIGINT", "path", "x.txt", "format", "CSV", "header",
               "FALSE", "delimiter", "\\t", "mode", "dropMalformed",
               "bad_records_path", "/tmp/b", NULL);
  TAP_EQ_INT(ed_decode_opts_from_table(t, &o, &err), 0, "opts: all set");
  TAP_OK(o.format == ED_IN_CSV && !o.header && o.delimiter == '\t' &&
             o.mode == ED_BAD_DROPMALFORMED &&
             strcmp(o.bad_records_path, "/tmp/b") == 0,
         "opts: csv, no header, tab, DROPMALFORMED, bad path");
  ed_table_free(t);
  t = mk_table("a BIGINT", "path", "x.log", "mode", "FailFast", NULL);
  ed_decode_opts_from_table(t, &o, &err);
  TAP_OK(o.format == ED_IN_TEXT && o.mode == ED_BAD_FAILFAST,
         "opts: .log is text; mode is case-insensitive");
  ed_table_free(t);
  t = mk_table("a BIGINT", "path", "x", "format", "json", "delimiter", ";",
               NULL);
  ed_decode_opts_from_table(t, &o, &err);
  TAP_OK(o.format == ED_IN_JSONL && o.delimiter == ';',
         "opts: json means jsonl; ';' delimiter");
  ed_table_free(t);

  static const struct {
    const char *key, *value, *msg;
  } bad[] = {
      {"format", "xml",
       "invalid value 'xml' for option format: expected csv, jsonl, json "
       "or text"},
      {"header", "yes",
       "invalid value 'yes' for option header: expected true or false"},
      {"mode", "lenient",
       "invalid value 'lenient' for option mode: expected PERMISSIVE, "
       "DROPMALFORMED or FAILFAST"},
      {"delimiter", "::",
       "invalid value '::' for option delimiter: expected one character "
       "other than a quote or a line break (or '\\t')"},
      {"delimiter", "\"",
       "invalid value '\"' for option delimiter: expected one character "
       "other than a quote or a line break (or '\\t')"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    t = mk_table("a BIGINT", "path", "x.csv", bad[i].key, bad[i].value, NULL);
    ed_error_clear(&err);
    int rc = ed_decode_opts_from_table(t, &o, &err);
    char name[96];
    snprintf(name, sizeof name, "opts: %s = '%s' rejected", bad[i].key,
             bad[i].value);
    TAP_OK(rc == -1 && strcmp(err.msg, bad[i].msg) == 0, name);
    if (rc != -1 || strcmp(err.msg, bad[i].msg) != 0)
      printf("#   got \"%s\"\n", err.msg);
    ed_table_free(t);
  }
}

static void test_scan(const char *dir) {
  char path[256], errf[256], bad[256];
  snprintf(errf, sizeof errf, "%s/stderr.txt", dir);
  snprintf(path, sizeof path, "%s/clicks.csv", dir);
  put_file(path, "w",
             "user_id,page,latency\n"
             "1,/a,1.5\n"
             "x,/b,2\n"
             "3,/c\n"
             "4,/d,0.25\n");
  Sink s;
  EdExecCtx ctx;
  EdDecodeStats st;
  EdTable *t = mk_table("user_id BIGINT, page VARCHAR, latency DOUBLE",
                        "path", path, NULL);
  int rc = scan(t, &s, &ctx, &st, errf);
  TAP_EQ_INT(rc, 0, "scan: csv file");
  TAP_EQ_STR(s.rows, "1|/a|1.5\nNULL|/b|2\n3|/c|NULL\n4|/d|0.25\n",
             "scan: rows pushed to the consumer");
  TAP_EQ_INT(s.pushes, 1, "scan: one batch");
  TAP_EQ_INT(s.finished, 1, "scan: finish called once");
  TAP_OK(st.records == 2 && st.bad == 2, "scan: stats 2 good, 2 bad");
  char *e = read_file(errf), want[1024];
  snprintf(want, sizeof want,
           "warning: %s: 2 malformed records kept as NULLs (mode "
           "PERMISSIVE)\n",
           path);
  TAP_EQ_STR(e, want, "scan: PERMISSIVE warning on stderr");
  free(e);
  ed_table_free(t);

  snprintf(bad, sizeof bad, "%s/bad", dir);
  t = mk_table("user_id BIGINT, page VARCHAR, latency DOUBLE", "path", path,
               "mode", "DROPMALFORMED", "bad_records_path", bad, NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  TAP_EQ_STR(s.rows, "1|/a|1.5\n4|/d|0.25\n", "scan: DROPMALFORMED rows");
  e = read_file(errf);
  snprintf(want, sizeof want,
           "warning: %s: 2 malformed records dropped (mode DROPMALFORMED); "
           "written to %s/bad_records.jsonl\n",
           path, bad);
  TAP_EQ_STR(e, want, "scan: DROPMALFORMED warning names the bad file");
  free(e);
  ed_table_free(t);

  t = mk_table("user_id BIGINT, page VARCHAR, latency DOUBLE", "path", path,
               "mode", "failfast", NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  TAP_EQ_INT(rc, -1, "scan: FAILFAST fails");
  snprintf(want, sizeof want,
           "FAILFAST: malformed record at %s line 3: field \"user_id\": "
           "\"x\" is not a BIGINT",
           path);
  TAP_EQ_STR(ctx.err.msg, want, "scan: FAILFAST error in the context");
  TAP_EQ_INT(s.finished, 0, "scan: no finish after a failure");
  e = read_file(errf);
  TAP_EQ_STR(e, "", "scan: FAILFAST prints no warning");
  free(e);
  ed_table_free(t);

  /* A directory: data files in name order, hidden and _ files skipped. */
  char sub[256], f[300];
  snprintf(sub, sizeof sub, "%s/events", dir);
  mkdir(sub, 0755);
  snprintf(f, sizeof f, "%s/b.jsonl", sub);
  put_file(f, "w", "{\"id\": 3}\n{\"id\": 4}");
  snprintf(f, sizeof f, "%s/a.jsonl", sub);
  put_file(f, "w", "{\"id\": 1}\n{\"id\": 2}\n");
  snprintf(f, sizeof f, "%s/.hidden", sub);
  put_file(f, "w", "{\"id\": 99}\n");
  snprintf(f, sizeof f, "%s/_SUCCESS", sub);
  put_file(f, "w", "");
  snprintf(f, sizeof f, "%s/nested", sub);
  mkdir(f, 0755);
  t = mk_table("id BIGINT", "path", sub, "format", "jsonl", NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  TAP_EQ_INT(rc, 0, "scan: directory");
  TAP_EQ_STR(s.rows, "1\n2\n3\n4\n", "scan: directory files in name order");
  TAP_EQ_INT(st.records, 4, "scan: directory stats");
  ed_table_free(t);

  /* 5000 rows: three batches, then finish. */
  snprintf(path, sizeof path, "%s/big.csv", dir);
  FILE *fp = fopen(path, "w");
  fputs("n\n", fp);
  for (int i = 0; i < 5000; i++) fprintf(fp, "%d\n", i);
  fclose(fp);
  t = mk_table("n BIGINT", "path", path, NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  TAP_OK(rc == 0 && s.nrows == 5000 && s.pushes == 3 && s.finished == 1,
         "scan: 5000 rows in 3 batches");
  ed_table_free(t);

  snprintf(path, sizeof path, "%s/missing.csv", dir);
  t = mk_table("n BIGINT", "path", path, NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory",
           path);
  TAP_OK(rc == -1 && strcmp(ctx.err.msg, want) == 0,
         "scan: a missing file is an error naming it");
  ed_table_free(t);
  t = mk_table("n BIGINT", "format", "csv", NULL);
  rc = scan(t, &s, &ctx, &st, errf);
  TAP_OK(rc == -1 && strcmp(ctx.err.msg, "table t has no path option") == 0,
         "scan: no path option");
  ed_table_free(t);
}

static const char *schema_text(const EdSchema *s) {
  static char buf[512];
  buf[0] = '\0';
  for (int i = 0; i < s->ncols; i++) {
    char col[96];
    snprintf(col, sizeof col, "%s%s %s", i ? ", " : "", s->cols[i].name,
             ed_type_name(s->cols[i].type));
    strcat(buf, col);
  }
  return buf;
}

static void test_infer(const char *dir) {
  char path[256];
  EdDecodeOpts o = {ED_IN_CSV, true, ',', ED_BAD_PERMISSIVE, NULL, NULL};
  EdSchema s;
  EdError err;
  snprintf(path, sizeof path, "%s/infer.csv", dir);
  put_file(path, "w",
             "\xEF\xBB\xBFid,price,ts,flag,name,mixed,empty,\"q,uoted\",id\n"
             "1,2,2024-01-01 00:00:00,true,a,1,,x,1\n"
             "2,2.5,2024-01-01T00:00:01Z,FALSE,b,x,,y,2\n"
             "-3,1e3,2024-01-02,false,\"c,d\",2,,z,3\n");
  TAP_EQ_INT(ed_infer_schema(path, &o, &s, &err), 0, "infer: csv");
  TAP_EQ_STR(schema_text(&s),
             "id BIGINT, price DOUBLE, ts TIMESTAMP, flag BOOLEAN, name "
             "VARCHAR, mixed VARCHAR, empty VARCHAR, q,uoted VARCHAR, _c8 "
             "BIGINT",
             "infer: csv names and types (duplicate name renamed)");
  ed_schema_free(&s);

  o.header = false;
  TAP_EQ_INT(ed_infer_schema(path, &o, &s, &err), 0, "infer: no header");
  TAP_EQ_STR(schema_text(&s),
             "_c0 VARCHAR, _c1 VARCHAR, _c2 VARCHAR, _c3 VARCHAR, _c4 "
             "VARCHAR, _c5 VARCHAR, _c6 VARCHAR, _c7 VARCHAR, _c8 VARCHAR",
             "infer: without header the header line is data");
  ed_schema_free(&s);

  /* Only the first 1000 rows count. */
  snprintf(path, sizeof path, "%s/late.csv", dir);
  FILE *f = fopen(path, "w");
  fputs("n\n", f);
  for (int i = 0; i < 1000; i++) fprintf(f, "%d\n", i);
  fputs("late text\n", f);
  fclose(f);
  o.header = true;
  ed_infer_schema(path, &o, &s, &err);
  TAP_EQ_STR(schema_text(&s), "n BIGINT", "infer: first 1000 rows only");
  ed_schema_free(&s);

  snprintf(path, sizeof path, "%s/infer.jsonl", dir);
  put_file(path, "w",
             "{\"ts\": \"2024-01-01 00:00:00\", \"user\": 1, \"lat\": 1}\n"
             "not json\n"
             "{\"user\": 2, \"lat\": 2.5, \"tags\": [1], \"ok\": true, "
             "\"note\": null, \"s\": \"x\"}\n"
             "{\"USER\": 3, \"ok\": false, \"s\": 5, \"big\": "
             "12345678901234567890}");
  o.format = ED_IN_JSONL;
  TAP_EQ_INT(ed_infer_schema(path, &o, &s, &err), 0, "infer: jsonl");
  TAP_EQ_STR(schema_text(&s),
             "ts TIMESTAMP, user BIGINT, lat DOUBLE, tags VARCHAR, ok "
             "BOOLEAN, note VARCHAR, s VARCHAR, big DOUBLE",
             "infer: jsonl keys in order of appearance, types");
  ed_schema_free(&s);

  o.format = ED_IN_TEXT;
  TAP_EQ_INT(ed_infer_schema(path, &o, &s, &err), 0, "infer: text");
  TAP_EQ_STR(schema_text(&s), "value VARCHAR", "infer: text is value");
  ed_schema_free(&s);

  snprintf(path, sizeof path, "%s/empty.csv", dir);
  put_file(path, "w", "");
  o.format = ED_IN_CSV;
  o.source_name = NULL;
  int rc = ed_infer_schema(path, &o, &s, &err);
  char want[1024];
  snprintf(want, sizeof want,
           "cannot infer a schema from %s: no header or record found", path);
  TAP_OK(rc == -1 && strcmp(err.msg, want) == 0, "infer: empty file");

  /* Buffer form: a cut last record is left out unless complete. */
  const char *buf = "a,b\n1,x\n2.5,y";
  ed_infer_schema_buf(buf, strlen(buf), false, &o, &s, &err);
  TAP_EQ_STR(schema_text(&s), "a BIGINT, b VARCHAR",
             "infer buf: incomplete last record ignored");
  ed_schema_free(&s);
  ed_infer_schema_buf(buf, strlen(buf), true, &o, &s, &err);
  TAP_EQ_STR(schema_text(&s), "a DOUBLE, b VARCHAR",
             "infer buf: complete input uses the last record");
  ed_schema_free(&s);
}

static void test_detect(void) {
  char delim = 0;
  TAP_EQ_INT(ed_detect_format("\n  {\"a\": 1}\n", 12, &delim), ED_IN_JSONL,
             "detect: jsonl");
  TAP_EQ_INT(ed_detect_format("a,b\n1,2\n", 8, &delim), ED_IN_CSV,
             "detect: csv");
  TAP_EQ_INT(delim, ',', "detect: comma");
  TAP_EQ_INT(ed_detect_format("a\tb\n", 4, &delim), ED_IN_CSV,
             "detect: tsv");
  TAP_EQ_INT(delim, '\t', "detect: tab");
  TAP_EQ_INT(ed_detect_format("hello world\n", 12, &delim), ED_IN_TEXT,
             "detect: text");
}

int main(void) {
  const char *dir = tmp_dir();
  char keep[64];
  snprintf(keep, sizeof keep, "%s", dir);
  test_opts();
  test_scan(keep);
  test_infer(keep);
  test_detect();
  rm_rf(keep);
  return tap_done();
}
