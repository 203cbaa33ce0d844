/*
** tests/unit/sources/test_src_options.c — what CREATE STREAM gets from the
** sources: option validation (unknown names list the valid ones, invalid
** values name the accepted ones, required options, paths), the index of
** the option at fault, default schemas per connector (socket, rate, text,
** a file's and a directory's inferred columns, _arrival with
** include_timestamp, memory refused), checks of declared columns, and the
** --schema column-list parser.  Expected messages are the contract's
** wording (sources/stream_source.h).
*/
#include "tests/unit/sources/src_helpers.h"

/* Options from "k=v" pairs. */
static int mk_opts(EdOption *o, const char *const *kv) {
  int n = 0;
  for (; kv[n]; n++) {
    const char *eq = strchr(kv[n], '=');
    o[n].key = strndup(kv[n], (size_t)(eq - kv[n]));
    o[n].value = strdup(eq + 1);
  }
  return n;
}

static void free_opts(EdOption *o, int n) {
  for (int i = 0; i < n; i++) {
    free(o[i].key);
    free(o[i].value);
  }
}

static char *schema_text(const EdSchema *s) {
  Text t = {0};
  for (int i = 0; i < s->ncols; i++)
    text_addf(&t, "%s%s %s", i ? ", " : "", s->cols[i].name,
              ed_type_name(s->cols[i].type));
  return t.buf ? t.buf : strdup("");
}

/* Runs ed_stream_prepare; returns the message ("" on success) and the
** bad option index; *cols gets the resulting schema text. */
static char *prepare(const char *connector, const char *const *kv,
                     const char *declared, int *bad, char **cols) {
  EdOption o[16];
  int n = mk_opts(o, kv);
  EdSchema s;
  mk_schema(&s, declared);
  EdError err;
  ed_error_clear(&err);
  int rc = ed_stream_prepare(connector, o, n, &s, bad, &err);
  free_opts(o, n);
  if (cols) *cols = schema_text(&s);
  ed_schema_free(&s);
  return strdup(rc == 0 ? "" : err.msg);
}

static void expect_error(const char *connector, const char *const *kv,
                         const char *declared, const char *want,
                         int want_bad, const char *name) {
  int bad = -2;
  char *msg = prepare(connector, kv, declared, &bad, NULL);
  TAP_EQ_STR(msg, want, name);
  char n2[160];
  snprintf(n2, sizeof n2, "%s: option index", name);
  TAP_EQ_INT(bad, want_bad, n2);
  free(msg);
}

static void expect_schema(const char *connector, const char *const *kv,
                          const char *declared, const char *want,
                          const char *name) {
  int bad;
  char *cols = NULL;
  char *msg = prepare(connector, kv, declared, &bad, &cols);
  TAP_EQ_STR(cols, want, name);
  if (*msg) printf("#   error: %s\n", msg);
  free(cols);
  free(msg);
}

static void test_errors(const char *dir, const char *file) {
  char pathopt[256], fileopt[256];
  snprintf(pathopt, sizeof pathopt, "path=%s", dir);
  snprintf(fileopt, sizeof fileopt, "path=%s", file);
  expect_error("kafkaesque", (const char *[]){NULL}, "a BIGINT",
               "unknown connector \"kafkaesque\" for a stream: valid "
               "connectors are memory, file, directory, socket, rate, stdin, "
               "nexmark",
               -1, "unknown connector");
  expect_error("socket",
               (const char *[]){"host=localhost", "port=9", "path=/x", NULL},
               "",
               "unknown option \"path\" for connector \"socket\": valid "
               "options are connector, host, port, format, header, "
               "delimiter, mode, bad_records_path, include_timestamp, "
               "max_rows_per_trigger",
               2, "unknown option for socket");
  expect_error("socket", (const char *[]){"host=localhost", "port=70000", NULL},
               "",
               "invalid value '70000' for option port: expected a whole "
               "number from 1 to 65535",
               1, "port out of range");
  expect_error("socket", (const char *[]){"host=localhost", NULL}, "",
               "connector \"socket\" needs the options host and port, e.g. "
               "WITH (connector = 'socket', host = '127.0.0.1', port = "
               "9999)",
               -1, "socket without port");
  expect_error("rate", (const char *[]){"rows_per_second=0", NULL}, "",
               "invalid value '0' for option rows_per_second: expected a "
               "whole number from 1 to 1000000000",
               0, "rows_per_second 0");
  expect_error("file", (const char *[]){fileopt, "follow=maybe", NULL}, "",
               "invalid value 'maybe' for option follow: expected true or "
               "false",
               1, "follow maybe");
  expect_error("file", (const char *[]){fileopt, "format=xml", NULL}, "",
               "invalid value 'xml' for option format: expected csv, jsonl, "
               "json or text",
               1, "format xml");
  expect_error("file", (const char *[]){fileopt, "mode=lenient", NULL}, "",
               "invalid value 'lenient' for option mode: expected "
               "PERMISSIVE, DROPMALFORMED or FAILFAST",
               1, "mode lenient");
  expect_error("file", (const char *[]){"path=/nonexistent/eddy/x.csv", NULL},
               "a BIGINT",
               "cannot read \"/nonexistent/eddy/x.csv\": No such file or "
               "directory",
               0, "missing file");
  expect_error("file", (const char *[]){"format=csv", NULL}, "a BIGINT",
               "connector \"file\" needs the option path, e.g. WITH "
               "(connector = 'file', path = 'data.csv', format = 'csv')",
               -1, "file without path");
  char want[512];
  snprintf(want, sizeof want, "path \"%s\" is not a directory", file);
  expect_error("directory", (const char *[]){fileopt, NULL}, "a BIGINT", want,
               0, "directory on a file");
  expect_error("file", (const char *[]){pathopt, "follow=true", NULL},
               "a BIGINT",
               "unknown option \"follow\" for connector \"file\" with a "
               "directory path: valid options are connector, path, format, "
               "header, delimiter, mode, bad_records_path, "
               "include_timestamp, max_files_per_trigger, new_files_only, "
               "max_rows_per_trigger",
               1, "follow on a directory");
  expect_error("file", (const char *[]){fileopt, "new_files_only=true", NULL},
               "a BIGINT",
               "unknown option \"new_files_only\" for connector \"file\": "
               "valid options are connector, path, format, header, "
               "delimiter, mode, bad_records_path, include_timestamp, "
               "follow, max_rows_per_trigger",
               1, "new_files_only on a file");
  expect_error("memory", (const char *[]){"max_rows_per_trigger=-1", NULL},
               "a BIGINT",
               "invalid value '-1' for option max_rows_per_trigger: "
               "expected a whole number from 1 to 9223372036854775807",
               0, "negative max_rows_per_trigger");
  expect_error("memory", (const char *[]){NULL}, "",
               "a memory stream needs a column list, e.g. CREATE STREAM s "
               "(id BIGINT, name VARCHAR)",
               -1, "memory without columns");
  expect_error("rate", (const char *[]){NULL}, "ts TIMESTAMP",
               "column \"ts\" TIMESTAMP: a rate stream has the columns "
               "timestamp TIMESTAMP and value BIGINT",
               -1, "rate with another column");
  expect_error("socket",
               (const char *[]){"host=h", "port=1", "include_timestamp=true",
                                NULL},
               "value VARCHAR, _arrival BIGINT",
               "column _arrival must be TIMESTAMP, not BIGINT "
               "(include_timestamp = true fills it)",
               -1, "_arrival of another type");
  expect_error("socket", (const char *[]){"host=h", "port=1", NULL},
               "n BIGINT", "text input needs a VARCHAR column (value)", -1,
               "socket text without VARCHAR column");
  EdError err;
  EdTable *t = mk_stream("s", "kafkaesque", "a BIGINT", NULL);
  TAP_OK(ed_stream_source_open(t, &err) == NULL &&
             strstr(err.msg, "unknown connector \"kafkaesque\""),
         "open: unknown connector");
  ed_table_free(t);
}

static void test_schemas(const char *dir, const char *file,
                         const char *empty_dir) {
  char pathopt[256], fileopt[256], emptyopt[256];
  snprintf(pathopt, sizeof pathopt, "path=%s", dir);
  snprintf(fileopt, sizeof fileopt, "path=%s", file);
  snprintf(emptyopt, sizeof emptyopt, "path=%s", empty_dir);
  expect_schema("socket", (const char *[]){"host=h", "port=1", NULL}, "",
                "value VARCHAR", "default: socket");
  expect_schema("socket",
                (const char *[]){"host=h", "port=1", "include_timestamp=true",
                                 NULL},
                "", "value VARCHAR, _arrival TIMESTAMP",
                "default: socket with include_timestamp");
  expect_schema("rate", (const char *[]){"rows_per_second=5", NULL}, "",
                "timestamp TIMESTAMP, value BIGINT", "default: rate");
  expect_schema("file", (const char *[]){fileopt, NULL}, "",
                "id BIGINT, price DOUBLE, at TIMESTAMP, name VARCHAR",
                "default: a csv file's inferred columns");
  expect_schema("file", (const char *[]){fileopt, "format=text", NULL}, "",
                "value VARCHAR", "default: text format");
  expect_schema("directory", (const char *[]){pathopt, NULL}, "",
                "k BIGINT, ok BOOLEAN", "default: the first file by name");
  expect_schema("file", (const char *[]){pathopt, "include_timestamp=true",
                                         NULL},
                "", "k BIGINT, ok BOOLEAN, _arrival TIMESTAMP",
                "default: directory with include_timestamp");
  expect_schema("socket",
                (const char *[]){"host=h", "port=1", "include_timestamp=true",
                                 NULL},
                "line VARCHAR", "line VARCHAR, _arrival TIMESTAMP",
                "declared: _arrival appended");
  expect_schema("rate", (const char *[]){NULL}, "value BIGINT",
                "value BIGINT", "declared: rate value only");
  char want[512];
  snprintf(want, sizeof want,
           "cannot infer the columns of directory \"%s\": it holds no file "
           "yet; declare the columns, e.g. CREATE STREAM s (a BIGINT, b "
           "VARCHAR) WITH (...)",
           empty_dir);
  expect_error("directory", (const char *[]){emptyopt, NULL}, "", want, -1,
               "default: empty directory");

  /* ed_stream_default_schema directly. */
  EdOption o[4];
  int n = mk_opts(o, (const char *[]){"host=h", "port=1", NULL});
  EdSchema s;
  EdError err;
  TAP_EQ_INT(ed_stream_default_schema("socket", o, n, &s, &err), 0,
             "default_schema: socket ok");
  char *txt = schema_text(&s);
  TAP_EQ_STR(txt, "value VARCHAR", "default_schema: socket columns");
  free(txt);
  ed_schema_free(&s);
  free_opts(o, n);
  TAP_EQ_INT(ed_stream_default_schema("memory", NULL, 0, &s, &err), -1,
             "default_schema: memory refused");
  TAP_EQ_STR(err.msg,
             "a memory stream needs a column list, e.g. CREATE STREAM s (id "
             "BIGINT, name VARCHAR)",
             "default_schema: memory message");
}

static void test_schema_text(void) {
  static const struct { const char *in, *out; } ok[] = {
      {"a BIGINT, b VARCHAR", "a BIGINT, b VARCHAR"},
      {"  x int ,y  double precision_no", NULL},
      {"ts TIMESTAMP,flag BOOL,\"odd \"\"name\"\"\" STRING, d REAL",
       "ts TIMESTAMP, flag BOOLEAN, odd \"name\" VARCHAR, d DOUBLE"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    EdSchema s;
    EdError err;
    int rc = ed_schema_parse_text(ok[i].in, &s, &err);
    char name[96];
    snprintf(name, sizeof name, "schema text #%zu", i);
    if (!ok[i].out) {
      TAP_OK(rc == -1 && strstr(err.msg, "unknown type \"double "
                                         "precision_no\""),
             name);
      continue;
    }
    char *txt = rc == 0 ? schema_text(&s) : strdup(err.msg);
    TAP_EQ_STR(txt, ok[i].out, name);
    free(txt);
    if (rc == 0) ed_schema_free(&s);
  }
  EdSchema s;
  EdError err;
  TAP_EQ_INT(ed_schema_parse_text("a BIGINT, a VARCHAR", &s, &err), -1,
             "schema text: duplicate refused");
  TAP_EQ_STR(err.msg, "--schema: column \"a\" is declared twice",
             "schema text: duplicate message");
  TAP_EQ_INT(ed_schema_parse_text("a BIGINT, b", &s, &err), -1,
             "schema text: missing type refused");
  TAP_EQ_STR(err.msg,
             "--schema: column 2 (\"b\"): no type \"\"; types are BOOLEAN, "
             "BIGINT, DOUBLE, VARCHAR, TIMESTAMP, INTERVAL",
             "schema text: missing type message");
  TAP_EQ_INT(err.kind, ED_ERR_USAGE, "schema text: usage error");
}

int main(void) {
  char *dir = tmp_dir("opts");
  char *file = path_in(dir, "items.csv");
  put_file(file, "w",
           "id,price,at,name\n1,2.5,2024-05-01 10:00:00,apple\n"
           "2,3,2024-05-01T10:00:01Z,pear\n");
  char *sub = path_in(dir, "in");
  mkdir(sub, 0777);
  char *f1 = path_in(sub, "b.csv"), *f0 = path_in(sub, "a.csv");
  put_file(f1, "w", "other\nx\n");
  put_file(f0, "w", "k,ok\n1,true\n2,false\n");
  char *empty = path_in(dir, "empty");
  mkdir(empty, 0777);
  test_errors(sub, file);
  test_schemas(sub, file, empty);
  test_schema_text();
  rm_rf(dir);
  free(dir);
  free(file);
  free(sub);
  free(f1);
  free(f0);
  free(empty);
  return tap_done();
}
