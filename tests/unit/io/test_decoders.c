/*
** tests/unit/io/test_decoders.c — the incremental decoders of
** sources/decoder.h: CSV (RFC 4180), JSON lines and text into batches,
** inputs cut at every byte position, typed conversions, and the three
** malformed-record modes of DESIGN §6 with _corrupt_record and
** bad_records_path.
**
** Decoded rows are rendered by this file's own printer (NULL as NULL,
** strings in brackets, timestamps as epoch microseconds) and compared with
** hand-computed expectations; epochs were checked with Python's datetime.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>

#include "sources/decoder.h"
#include "tests/unit/io/io_helpers.h"
#include "tests/unit/tap.h"

/* ------------------------------------------------------------ rendering */

typedef struct Text {
  char *buf;
  size_t len, cap;
} Text;

static void text_add(Text *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    t->cap = (t->len + n + 1) * 2;
    t->buf = realloc(t->buf, t->cap);
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

static void text_addf(Text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_addf(Text *t, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  text_add(t, tmp, (size_t)n);
}

/* Appends the rows of b, one line each, columns separated by '|'. */
static void render(Text *t, const EdBatch *b) {
  for (int i = 0; i < b->nrows; i++) {
    for (int c = 0; c < b->ncols; c++) {
      const EdVector *v = &b->cols[c];
      if (c) text_add(t, "|", 1);
      if (!ed_vec_valid(v, i)) {
        text_add(t, "NULL", 4);
        continue;
      }
      switch (v->type) {
        case ED_T_BIGINT:
        case ED_T_TIMESTAMP:
        case ED_T_INTERVAL:
          text_addf(t, "%lld", (long long)ED_VEC_I64(v)[i]);
          break;
        case ED_T_DOUBLE: text_addf(t, "%g", ED_VEC_F64(v)[i]); break;
        case ED_T_BOOL:
          text_addf(t, "%s", ED_VEC_BOOL(v)[i] ? "true" : "false");
          break;
        case ED_T_VARCHAR:
          text_add(t, "[", 1);
          text_add(t, ED_VEC_STR(v)[i].ptr, ED_VEC_STR(v)[i].len);
          text_add(t, "]", 1);
          break;
        default: text_add(t, "?", 1); break;
      }
    }
    text_add(t, "\n", 1);
  }
}

/* --------------------------------------------------------------- driving */

typedef struct Run {
  char *rows;         /* rendered rows (malloc'ed) */
  int rc;             /* 0, or -1 on failure */
  EdError err;
  EdDecodeStats stats;
  int batches;        /* full batches pushed */
} Run;

/* Decodes input fed in pieces ending at cuts[0] < cuts[1] < ... (ncuts of
** them; the last piece runs to the end), then flushes. */
static Run decode_cuts(const EdDecodeOpts *o, const char *schema_spec,
                       const char *input, size_t n, const size_t *cuts,
                       int ncuts, const bool *external) {
  Run r;
  memset(&r, 0, sizeof r);
  EdSchema s;
  mk_schema(&s, schema_spec);
  EdDecoder *d = ed_decoder_new(o, &s, external, &r.err);
  Text t = {NULL, 0, 0};
  text_add(&t, "", 0);
  if (!d) {
    r.rc = -1;
    r.rows = t.buf;
    ed_schema_free(&s);
    return r;
  }
  EdBatch *b = mk_batch(&s);
  size_t start = 0;
  for (int k = 0; k <= ncuts && r.rc == 0; k++) {
    size_t end = k < ncuts ? cuts[k] : n;
    size_t off = start;
    while (off < end) {
      long used = ed_decoder_feed(d, input + off, end - off, b, &r.err);
      if (used < 0) {
        r.rc = -1;
        break;
      }
      off += (size_t)used;
      if (b->nrows == ED_BATCH_CAP) {
        render(&t, b);
        ed_batch_reset(b);
        r.batches++;
      }
    }
    start = end;
  }
  if (r.rc == 0 && ed_decoder_flush(d, b, &r.err)) r.rc = -1;
  render(&t, b);
  r.stats = *ed_decoder_stats(d);
  r.rows = t.buf;
  ed_batch_free(b);
  ed_decoder_free(d);
  ed_schema_free(&s);
  return r;
}

static Run decode(const EdDecodeOpts *o, const char *schema_spec,
                  const char *input) {
  return decode_cuts(o, schema_spec, input, strlen(input), NULL, 0, NULL);
}

static EdDecodeOpts csv_opts(void) {
  EdDecodeOpts o = {ED_IN_CSV, true, ',', ED_BAD_PERMISSIVE, NULL,
                    "test.csv"};
  return o;
}

static EdDecodeOpts json_opts(void) {
  EdDecodeOpts o = {ED_IN_JSONL, false, ',', ED_BAD_PERMISSIVE, NULL,
                    "test.jsonl"};
  return o;
}

/* Checks that every way of cutting input in two (and feeding it a byte at
** a time) decodes to want. */
static void check_all_cuts(const EdDecodeOpts *o, const char *spec,
                           const char *input, const char *want,
                           const char *name) {
  size_t n = strlen(input);
  int bad = 0;
  for (size_t k = 0; k <= n; k++) {
    Run r = decode_cuts(o, spec, input, n, &k, 1, NULL);
    if (r.rc != 0 || strcmp(r.rows, want) != 0) {
      if (!bad) printf("# cut at %zu gives:\n%s", k, r.rows);
      bad++;
    }
    free(r.rows);
  }
  size_t *cuts = malloc((n + 1) * sizeof(size_t));
  for (size_t k = 0; k < n; k++) cuts[k] = k + 1;
  Run r = decode_cuts(o, spec, input, n, cuts, (int)n, NULL);
  if (r.rc != 0 || strcmp(r.rows, want) != 0) {
    printf("# byte by byte gives:\n%s", r.rows);
    bad++;
  }
  free(r.rows);
  free(cuts);
  char full[160];
  snprintf(full, sizeof full, "%s: every cut position and byte by byte",
           name);
  TAP_EQ_INT(bad, 0, full);
}

/* ------------------------------------------------------------------- CSV */

static const char *kCsvSpec =
    "id BIGINT, name VARCHAR, score DOUBLE, ok BOOLEAN, ts TIMESTAMP";

static const char *kCsv =
    "id,name,score,ok,ts\n"
    "1,alice,1.5,true,2024-01-01 00:00:00\n"
    "2,\"bob, jr\",-2,F,2024-01-01T00:00:01Z\n"
    "\n"
    "3,\"say \"\"hi\"\"\",1e3,1,\n"
    "4,\"multi\nline\",,0,2024-01-01 00:00:00.5\n"
    "5,,NaN,t,1970-01-01\n"
    " 6 ,\"\",0.25,FALSE,1969-12-31 23:59:59";

static const char *kCsvRows =
    "1|[alice]|1.5|true|1704067200000000\n"
    "2|[bob, jr]|-2|false|1704067201000000\n"
    "3|[say \"hi\"]|1000|true|NULL\n"
    "4|[multi\nline]|NULL|false|1704067200500000\n"
    "5|NULL|nan|true|0\n"
    "6|[]|0.25|false|-1000000\n";

/* Replaces every "\n" of s by "\r\n" (malloc'ed). */
static char *crlf(const char *s) {
  char *o = malloc(strlen(s) * 2 + 1), *p = o;
  for (; *s; s++) {
    if (*s == '\n') *p++ = '\r';
    *p++ = *s;
  }
  *p = '\0';
  return o;
}

static void test_csv_basic(void) {
  EdDecodeOpts o = csv_opts();
  Run r = decode(&o, kCsvSpec, kCsv);
  TAP_EQ_INT(r.rc, 0, "csv: decodes");
  TAP_EQ_STR(r.rows, kCsvRows, "csv: quoting, escapes, newlines, types");
  TAP_EQ_INT(r.stats.records, 6, "csv: 6 records");
  TAP_EQ_INT(r.stats.bad, 0, "csv: no bad record");
  TAP_EQ_INT(r.stats.line, 9, "csv: 8 line breaks read, next line is 9");
  free(r.rows);

  char *c = crlf(kCsv);
  r = decode(&o, kCsvSpec, c);
  /* In CRLF input the line break inside the quoted field is CRLF too. */
  TAP_EQ_STR(r.rows,
             "1|[alice]|1.5|true|1704067200000000\n"
             "2|[bob, jr]|-2|false|1704067201000000\n"
             "3|[say \"hi\"]|1000|true|NULL\n"
             "4|[multi\r\nline]|NULL|false|1704067200500000\n"
             "5|NULL|nan|true|0\n"
             "6|[]|0.25|false|-1000000\n",
             "csv: CRLF line ends");
  free(r.rows);
  check_all_cuts(&o, kCsvSpec, kCsv, kCsvRows, "csv LF");
  char want_crlf[1024];
  snprintf(want_crlf, sizeof want_crlf, "%s",
           "1|[alice]|1.5|true|1704067200000000\n"
           "2|[bob, jr]|-2|false|1704067201000000\n"
           "3|[say \"hi\"]|1000|true|NULL\n"
           "4|[multi\r\nline]|NULL|false|1704067200500000\n"
           "5|NULL|nan|true|0\n"
           "6|[]|0.25|false|-1000000\n");
  check_all_cuts(&o, kCsvSpec, c, want_crlf, "csv CRLF");
  free(c);

  char bom[1024];
  snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", kCsv);
  check_all_cuts(&o, kCsvSpec, bom, kCsvRows, "csv with a byte order mark");
  /* A field that starts with a quote right after the byte order mark. */
  o.header = false;
  check_all_cuts(&o, "a VARCHAR, b BIGINT", "\xEF\xBB\xBF\"x\ny\",1\n\"z\",2",
                 "[x\ny]|1\n[z]|2\n", "csv quoted field after a BOM");
}

static void test_csv_options(void) {
  EdDecodeOpts o = csv_opts();
  o.delimiter = ';';
  Run r = decode(&o, "a BIGINT, b VARCHAR", "a;b\n1;x,y\n2;\"p;q\"\n");
  TAP_EQ_STR(r.rows, "1|[x,y]\n2|[p;q]\n", "csv: ';' delimiter");
  free(r.rows);
  o.delimiter = '\t';
  o.header = false;
  r = decode(&o, "a BIGINT, b VARCHAR", "1\tx y\n2\t\n");
  TAP_EQ_STR(r.rows, "1|[x y]\n2|NULL\n", "csv: tab delimiter, no header");
  TAP_EQ_INT(r.stats.records, 2, "csv: no header means the first line is data");
  free(r.rows);
  o = csv_opts();
  o.header = false;
  r = decode(&o, "a VARCHAR, b VARCHAR", "\"\",\nab\"c,\"x\"\"\"\n");
  TAP_EQ_STR(r.rows, "[]|NULL\n[ab\"c]|[x\"]\n",
             "csv: quoted empty is '', unquoted empty NULL, inner quote literal");
  free(r.rows);
  /* The last record without a line end, and a lone final CR. */
  r = decode(&o, "a BIGINT", "1\n2\r");
  TAP_EQ_STR(r.rows, "1\n2\n", "csv: last line without newline, final CR");
  free(r.rows);
}

/* Typed conversion rules, one value at a time through CSV. */
static void test_conversions(void) {
  EdDecodeOpts o = csv_opts();
  o.header = false;
  static const struct {
    const char *type, *text, *want;
  } cases[] = {
      {"BIGINT", "42", "42\n"},
      {"BIGINT", " 42 ", "42\n"},
      {"BIGINT", "+5", "5\n"},
      {"BIGINT", "-0", "0\n"},
      {"BIGINT", "9223372036854775807", "9223372036854775807\n"},
      {"BIGINT", "-9223372036854775808", "-9223372036854775808\n"},
      {"BIGINT", "9223372036854775808", "NULL\n"},
      {"BIGINT", "1.0", "NULL\n"},
      {"BIGINT", "12x", "NULL\n"},
      {"BIGINT", "0x10", "NULL\n"},
      {"BIGINT", "-", "NULL\n"},
      {"DOUBLE", "1.5", "1.5\n"},
      {"DOUBLE", "-.5", "-0.5\n"},
      {"DOUBLE", "2.", "2\n"},
      {"DOUBLE", "1E-3", "0.001\n"},
      {"DOUBLE", "Infinity", "inf\n"},
      {"DOUBLE", "-inf", "-inf\n"},
      {"DOUBLE", "nan", "nan\n"},
      {"DOUBLE", "0x1p3", "NULL\n"},
      {"DOUBLE", "1e", "NULL\n"},
      {"DOUBLE", "1.2.3", "NULL\n"},
      {"DOUBLE", "abc", "NULL\n"},
      {"BOOLEAN", "TRUE", "true\n"},
      {"BOOLEAN", "f", "false\n"},
      {"BOOLEAN", "0", "false\n"},
      {"BOOLEAN", "1", "true\n"},
      {"BOOLEAN", "yes", "NULL\n"},
      {"BOOLEAN", "2", "NULL\n"},
      {"TIMESTAMP", "2024-02-29 12:00:00", "1709208000000000\n"},
      {"TIMESTAMP", "2024-02-30", "NULL\n"},
      {"TIMESTAMP", "1700000000", "NULL\n"},
      {"INTERVAL", "1 minute", "60000000\n"},
      {"INTERVAL", "soon", "NULL\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char spec[64], input[64], name[128];
    snprintf(spec, sizeof spec, "v %s", cases[i].type);
    snprintf(input, sizeof input, "%s\n", cases[i].text);
    Run r = decode(&o, spec, input);
    snprintf(name, sizeof name, "convert %s '%s'", cases[i].type,
             cases[i].text);
    TAP_EQ_STR(r.rows, cases[i].want, name);
    free(r.rows);
  }
  /* Doubles are exact: compare with glibc's correctly rounded strtod. */
  const char *nums[] = {"0.1", "123.456e-7", "1e22", "1e23",
                        "9007199254740993", "0.30000000000000004",
                        "2.2250738585072014e-308", "4.9e-324", "1e-400",
                        "1.7976931348623157e308", "123456789012345678901",
                        "0.000000000000000000000000000000000001",
                        "3.14159265358979323846264338327950288"};
  int bad = 0;
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    double got;
    if (ed_dec_parse_double(nums[i], strlen(nums[i]), &got) ||
        got != strtod(nums[i], NULL)) {
      printf("# %s\n", nums[i]);
      bad++;
    }
  }
  uint64_t x = 12345;
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    char buf[64];
    snprintf(buf, sizeof buf, "%llu.%llue%d",
             (unsigned long long)(x % 100000000000ULL),
             (unsigned long long)(x >> 40), (int)(x % 61) - 30);
    double got;
    if (ed_dec_parse_double(buf, strlen(buf), &got) ||
        got != strtod(buf, NULL)) {
      if (bad < 5) printf("# %s\n", buf);
      bad++;
    }
  }
  TAP_EQ_INT(bad, 0, "doubles parse exactly like strtod");
}

/* ------------------------------------------------------- malformed rows */

static const char *kBadSpec =
    "user_id BIGINT, name VARCHAR, _corrupt_record VARCHAR";

static const char *kBadCsv =
    "user_id,name\n"        /* 1 */
    "1,a\n"                 /* 2 */
    "abc,b\n"               /* 3: not a BIGINT */
    "3\n"                   /* 4: too few fields */
    "4,d,extra\n"           /* 5: too many fields */
    "\"5\",\"e\"x\n"        /* 6: text after a closing quote */
    "\"6\",f\n";            /* 7 */

static void test_csv_modes(void) {
  EdDecodeOpts o = csv_opts();
  Run r = decode(&o, kBadSpec, kBadCsv);
  TAP_EQ_INT(r.rc, 0, "PERMISSIVE: no failure");
  TAP_EQ_STR(r.rows,
             "1|[a]|NULL\n"
             "NULL|[b]|[abc,b]\n"
             "3|NULL|[3]\n"
             "4|[d]|[4,d,extra]\n"
             "5|NULL|[\"5\",\"e\"x]\n"
             "6|[f]|NULL\n",
             "PERMISSIVE: failed fields NULL, raw text in _corrupt_record");
  TAP_EQ_INT(r.stats.records, 2, "PERMISSIVE: 2 good records");
  TAP_EQ_INT(r.stats.bad, 4, "PERMISSIVE: 4 bad records");
  free(r.rows);

  r = decode(&o, "user_id BIGINT, name VARCHAR", kBadCsv);
  TAP_EQ_STR(r.rows,
             "1|[a]\nNULL|[b]\n3|NULL\n4|[d]\n5|NULL\n6|[f]\n",
             "PERMISSIVE without _corrupt_record");
  free(r.rows);

  o.mode = ED_BAD_DROPMALFORMED;
  r = decode(&o, kBadSpec, kBadCsv);
  TAP_EQ_STR(r.rows, "1|[a]|NULL\n6|[f]|NULL\n", "DROPMALFORMED: kept rows");
  TAP_EQ_INT(r.stats.records, 2, "DROPMALFORMED: 2 records");
  TAP_EQ_INT(r.stats.bad, 4, "DROPMALFORMED: 4 dropped");
  free(r.rows);
  check_all_cuts(&o, kBadSpec, kBadCsv, "1|[a]|NULL\n6|[f]|NULL\n",
                 "DROPMALFORMED");

  o.mode = ED_BAD_FAILFAST;
  r = decode(&o, kBadSpec, kBadCsv);
  TAP_EQ_INT(r.rc, -1, "FAILFAST: fails");
  TAP_EQ_STR(r.err.msg,
             "FAILFAST: malformed record at test.csv line 3: field "
             "\"user_id\": \"abc\" is not a BIGINT",
             "FAILFAST: message names source, line and reason");
  TAP_EQ_INT(r.err.kind, ED_ERR_EXEC, "FAILFAST: an execution error");
  free(r.rows);
  r = decode(&o, kBadSpec, "user_id,name\n1,a\n\n\"x\ny\"\n");
  TAP_EQ_STR(r.err.msg,
             "FAILFAST: malformed record at test.csv line 4: expected 2 "
             "fields, found 1",
             "FAILFAST: line numbers count blank lines; record start line");
  free(r.rows);
  r = decode(&o, kBadSpec, "user_id,name\n1,\"open\n");
  TAP_EQ_STR(r.err.msg,
             "FAILFAST: malformed record at test.csv line 2: unterminated "
             "quoted field",
             "FAILFAST: unterminated quote at the end of the input");
  free(r.rows);
  o.mode = ED_BAD_PERMISSIVE;
  r = decode(&o, "a VARCHAR", "a\n\"long value here that is cut in the "
                              "message because it goes on\"\n");
  TAP_EQ_INT(r.stats.bad, 0, "a long quoted value is fine");
  free(r.rows);
  o.mode = ED_BAD_FAILFAST;
  r = decode(&o, "a BIGINT",
             "a\n1234567890123456789012345678901234567890123456789012345"
             "67890123456789\n");
  TAP_EQ_STR(r.err.msg,
             "FAILFAST: malformed record at test.csv line 2: field \"a\": "
             "\"123456789012345678901234567890123456789012345678901234567..."
             "\" is not a BIGINT",
             "FAILFAST: long values are shortened in the message");
  free(r.rows);
}

static void test_bad_records_path(void) {
  const char *dir = tmp_dir();
  char sub[128], file[160];
  snprintf(sub, sizeof sub, "%s/bad/nested", dir);
  snprintf(file, sizeof file, "%s/bad_records.jsonl", sub);
  EdDecodeOpts o = csv_opts();
  o.mode = ED_BAD_DROPMALFORMED;
  o.bad_records_path = sub;
  Run r = decode(&o, kBadSpec, kBadCsv);
  char *got = read_file(file);
  TAP_EQ_STR(got,
             "{\"source\": \"test.csv\", \"line\": 3, \"reason\": \"field "
             "\\\"user_id\\\": \\\"abc\\\" is not a BIGINT\", \"record\": "
             "\"abc,b\"}\n"
             "{\"source\": \"test.csv\", \"line\": 4, \"reason\": \"expected 2 "
             "fields, found 1\", \"record\": \"3\"}\n"
             "{\"source\": \"test.csv\", \"line\": 5, \"reason\": \"expected 2 "
             "fields, found 3\", \"record\": \"4,d,extra\"}\n"
             "{\"source\": \"test.csv\", \"line\": 6, \"reason\": \"field "
             "\\\"name\\\": text after the closing quote\", \"record\": "
             "\"\\\"5\\\",\\\"e\\\"x\"}\n",
             "bad_records_path: one JSON line per bad record, dir created");
  free(got);
  free(r.rows);
  /* Appends; a JSON record with a newline-free raw line. */
  o = json_opts();
  o.mode = ED_BAD_PERMISSIVE;
  o.bad_records_path = sub;
  r = decode(&o, "id BIGINT", "{\"id\": 1}\n{\"id\": \"x\\ty\"}\n");
  got = read_file(file);
  const char *tail = strstr(got, "test.jsonl");
  TAP_EQ_STR(tail ? tail - strlen("{\"source\": \"") : "",
             "{\"source\": \"test.jsonl\", \"line\": 2, \"reason\": \"field "
             "\\\"id\\\": \\\"x\\ty\\\" is not a BIGINT\", \"record\": "
             "\"{\\\"id\\\": \\\"x\\\\ty\\\"}\"}\n",
             "bad_records_path: appended, JSON-escaped");
  free(got);
  free(r.rows);
  /* A path that cannot be a directory is an error. */
  char blocker[160];
  snprintf(blocker, sizeof blocker, "%s/file", dir);
  put_file(blocker, "w", "x");
  o.bad_records_path = blocker;
  r = decode(&o, "id BIGINT", "{\"id\": \"x\"}\n");
  TAP_EQ_INT(r.rc, -1, "bad_records_path: unusable path fails");
  TAP_OK(strstr(r.err.msg, "cannot create bad_records_path") != NULL,
         "bad_records_path: message says why");
  free(r.rows);
  rm_rf(dir);
}

/* ----------------------------------------------------------- JSON lines */

static const char *kJsonSpec =
    "id BIGINT, name VARCHAR, score DOUBLE, ok BOOLEAN, ts TIMESTAMP, "
    "tags VARCHAR";

static const char *kJson =
    "{\"id\": 1, \"name\": \"alice\", \"score\": 1.5, \"ok\": true, "
    "\"ts\": \"2024-01-01 00:00:00\", \"tags\": [\"a\", \"b\"]}\n"
    "{\"NAME\": \"b\\u00e9\\n\\\"\", \"ID\": 9223372036854775807, "
    "\"ts\": 1704067200.25}\n"
    "  {\"id\":-9223372036854775808,\"tags\":{\"x\" : {\"y\": [1, 2, {}]}},"
    "\"extra\": [1, {\"z\": null}], \"ok\": null}  \r\n"
    "\n"
    "{\"id\": 3, \"name\": 42, \"score\": \"2.5\", \"ok\": \"false\", "
    "\"ts\": -1.5}\n"
    "{\"id\": 4, \"name\": true, \"score\": 7, \"tags\": \"pl\\/ain\", "
    "\"id\": 5, \"name\": \"\\ud83d\\ude00\"}\n"
    "{}";

static const char *kJsonRows =
    "1|[alice]|1.5|true|1704067200000000|[[\"a\",\"b\"]]\n"
    "9223372036854775807|[b\xc3\xa9\n\"]|NULL|NULL|1704067200250000|NULL\n"
    "-9223372036854775808|NULL|NULL|NULL|NULL|[{\"x\":{\"y\":[1,2,{}]}}]\n"
    "3|[42]|2.5|false|-1500000|NULL\n"
    "5|[\xf0\x9f\x98\x80]|7|NULL|NULL|[pl/ain]\n"
    "NULL|NULL|NULL|NULL|NULL|NULL\n";

static void test_jsonl_basic(void) {
  EdDecodeOpts o = json_opts();
  Run r = decode(&o, kJsonSpec, kJson);
  TAP_EQ_INT(r.rc, 0, "jsonl: decodes");
  TAP_EQ_STR(r.rows, kJsonRows,
             "jsonl: keys any case, escapes, int64, nested as JSON text, "
             "epoch seconds, last duplicate wins");
  TAP_EQ_INT(r.stats.records, 6, "jsonl: 6 records");
  TAP_EQ_INT(r.stats.bad, 0, "jsonl: none bad");
  free(r.rows);
  check_all_cuts(&o, kJsonSpec, kJson, kJsonRows, "jsonl");

  /* Columns marked external are not read from the input. */
  bool ext[2] = {false, true};
  const char *in = "{\"id\": 1, \"_arrival\": \"2024-01-01\"}\n";
  r = decode_cuts(&o, "id BIGINT, _arrival TIMESTAMP", in, strlen(in), NULL,
                  0, ext);
  TAP_EQ_STR(r.rows, "1|NULL\n", "jsonl: external column left NULL");
  free(r.rows);
}

/* Lines that repeat the keys of the line before (the decoder then takes
** `"name":` in one compare) and lines that nearly do: another case, a
** longer key with the name as its prefix, blanks, an escape, a key cut
** short, and broken JSON right after a repeated key. */
static void test_jsonl_repeated_keys(void) {
  EdDecodeOpts o = json_opts();
  const char *in =
      "{\"id\":1,\"name\":\"first line sets the order\"}\n"
      "{\"id\":2,\"name\":\"same keys, same order, compact...\"}\n"
      "{\"ID\":3,\"NAME\":\"other case, still the columns....\"}\n"
      "{\"idx\":9,\"id\":4,\"name\":\"a longer key first\"}\n"
      "{\"id\" : 5, \"name\" :\"blanks around the colons..\"}\n"
      "{\"\\u0069d\":6,\"name\":\"an escaped key..............\"}\n"
      "{\"id\":7,\"name\"  \n"
      "{\"id\":8,\"name\":tru, \"x\": \"broken value after the key\"}\n"
      "{\"id\":9,\"name\":\"back to normal..................\"}\n";
  Run r = decode(&o, "id BIGINT, name VARCHAR", in);
  TAP_EQ_STR(r.rows,
             "1|[first line sets the order]\n"
             "2|[same keys, same order, compact...]\n"
             "3|[other case, still the columns....]\n"
             "4|[a longer key first]\n"
             "5|[blanks around the colons..]\n"
             "6|[an escaped key..............]\n"
             "NULL|NULL\n"
             "NULL|NULL\n"
             "9|[back to normal..................]\n",
             "jsonl: repeated keys are taken whole, near misses by name");
  TAP_EQ_INT(r.stats.bad, 2, "jsonl: a key without value and a broken "
                             "value after a repeated key are malformed");
  free(r.rows);
}

/* Numbers of every length up to 20 digits, with and without fraction and
** exponent, in a key no column reads (scanned to be skipped) and then in
** a DOUBLE column; a number run into a letter makes the line malformed
** wherever the letter falls, also past the first eight digits. */
static void test_jsonl_number_lengths(void) {
  EdDecodeOpts o = json_opts();
  const char *digits = "98765432109876543210";
  char line[256];
  int bad_lines = 0;
  for (int n = 1; n <= 20; n++) {
    for (int form = 0; form < 4; form++) {
      char num[64];
      static const char *const tails[] = {"", ".25", "e3", ".5E-2"};
      snprintf(num, sizeof num, "%.*s%s", n, digits, tails[form]);
      snprintf(line, sizeof line, "{\"skip\": %s, \"v\": %s, \"k\": 1}\n",
               num, num);
      Run r = decode(&o, "v DOUBLE, k BIGINT", line);
      /* The rows render doubles with %g; strtod gives the reference. */
      char want[128];
      snprintf(want, sizeof want, "%g|1\n", strtod(num, NULL));
      bad_lines += !(r.rc == 0 && r.stats.bad == 0 && r.rows &&
                     strcmp(r.rows, want) == 0);
      free(r.rows);
      /* The same number with a letter inside it, after digit n - 1. */
      snprintf(line, sizeof line, "{\"skip\": %.*sx%s, \"k\": 1}\n", n,
               digits, tails[form]);
      r = decode(&o, "v DOUBLE, k BIGINT", line);
      bad_lines += !(r.stats.bad == 1);
      free(r.rows);
    }
  }
  TAP_EQ_INT(bad_lines, 0,
             "jsonl: numbers of 1-20 digits skipped and read alike; a letter "
             "anywhere in one makes the line malformed");
}

/* CSV numbers of 1 to 20 digits, plain, negative, with a fraction, an
** exponent, a leading '+' or zero, blanks around: read into DOUBLE as
** strtod reads them and into BIGINT as strtoll does (or NULL and counted
** when not an integer or out of range). */
static void test_csv_number_forms(void) {
  EdDecodeOpts o = csv_opts();
  o.header = false;
  const char *digits = "98765432109876543210";
  static const char *const forms[] = {"%s", "-%s", "%s.125", "-%s.5",
                                      "%se2", "+%s", "0%s", " %s "};
  int bad = 0;
  for (int n = 1; n <= 20; n++) {
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
      char num[64], line[160], want[160];
      char dig[24];
      snprintf(dig, sizeof dig, "%.*s", n, digits);
      snprintf(num, sizeof num, forms[k], dig);
      snprintf(line, sizeof line, "%s,%s\n", num, num);
      Run r = decode(&o, "d DOUBLE, i BIGINT", line);
      errno = 0;
      char *end;
      long long iv = strtoll(num, &end, 10);
      while (*end == ' ') end++;
      bool int_ok = errno == 0 && *end == '\0';
      if (int_ok)
        snprintf(want, sizeof want, "%g|%lld\n", strtod(num, NULL), iv);
      else
        snprintf(want, sizeof want, "%g|NULL\n", strtod(num, NULL));
      bool ok = r.rc == 0 && r.rows && strcmp(r.rows, want) == 0 &&
                r.stats.bad == (int_ok ? 0 : 1);
      if (!ok)
        printf("# %s: got %s", line, r.rows ? r.rows : "(none)\n");
      bad += !ok;
      free(r.rows);
    }
  }
  TAP_EQ_INT(bad, 0, "csv: numbers of 1-20 digits in eight forms read as "
                     "strtod and strtoll read them");
}

static void test_jsonl_bad(void) {
  static const struct {
    const char *line, *reason;
  } cases[] = {
      {"{\"id\": 1.5}", "field \"id\": 1.5 is not a BIGINT"},
      {"{\"id\": \"abc\"}", "field \"id\": \"abc\" is not a BIGINT"},
      {"{\"id\": {\"a\": 1}}", "field \"id\": {\"a\":1} is not a BIGINT"},
      {"{\"id\": true}", "field \"id\": true is not a BIGINT"},
      {"{\"id\": 2, \"name\": \"x\"",
       "invalid JSON: ',' or '}' expected at the end of the line"},
      {"[1, 2]", "not a JSON object"},
      {"\"text\"", "not a JSON object"},
      {"{\"id\": 3} x", "invalid JSON: text after the object at column 11"},
      {"{\"id\": tru}", "invalid JSON: invalid literal at column 8"},
      {"{\"id\": 01}", "invalid JSON: ',' or '}' expected at column 9"},
      {"{\"id\": \"a\\x\"}", "invalid JSON: invalid escape in string at column 10"},
      {"{id: 1}", "invalid JSON: object key expected at column 2"},
      {"{\"a\": [1, 2}", "invalid JSON: ',' or ']' expected at column 12"},
      {"hello", "invalid JSON: '{' expected at column 1"},
  };
  EdDecodeOpts o = json_opts();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char input[128], want[256], name[160];
    snprintf(input, sizeof input, "{\"id\": 7}\n%s\n", cases[i].line);
    o.mode = ED_BAD_FAILFAST;
    Run r = decode(&o, "id BIGINT, name VARCHAR", input);
    snprintf(want, sizeof want,
             "FAILFAST: malformed record at test.jsonl line 2: %s",
             cases[i].reason);
    snprintf(name, sizeof name, "jsonl FAILFAST: %s", cases[i].line);
    TAP_EQ_STR(r.err.msg, want, name);
    free(r.rows);
  }
  o.mode = ED_BAD_PERMISSIVE;
  Run r = decode(&o, "id BIGINT, name VARCHAR, _corrupt_record VARCHAR",
                 "{\"id\": 1.5, \"name\": \"kept\"}\n"
                 "{\"id\": 2, \"name\": \"lost\"\n"
                 "[1]\n");
  TAP_EQ_STR(r.rows,
             "NULL|[kept]|[{\"id\": 1.5, \"name\": \"kept\"}]\n"
             "NULL|NULL|[{\"id\": 2, \"name\": \"lost\"]\n"
             "NULL|NULL|[[1]]\n",
             "jsonl PERMISSIVE: a bad value is NULL, invalid JSON all NULL");
  TAP_EQ_INT(r.stats.bad, 3, "jsonl PERMISSIVE: 3 bad");
  free(r.rows);
  o.mode = ED_BAD_DROPMALFORMED;
  r = decode(&o, "id BIGINT", "{\"id\": 1}\n{\"id\": \"x\"}\n{bad\n{\"id\": 4}");
  TAP_EQ_STR(r.rows, "1\n4\n", "jsonl DROPMALFORMED");
  TAP_EQ_INT(r.stats.bad, 2, "jsonl DROPMALFORMED: 2 dropped");
  TAP_EQ_INT(r.stats.records, 2, "jsonl DROPMALFORMED: 2 kept");
  free(r.rows);
}

/* ------------------------------------------------------------------ text */

static void test_text(void) {
  EdDecodeOpts o = {ED_IN_TEXT, false, ',', ED_BAD_PERMISSIVE, NULL, "t"};
  const char *in = "a,b\n\n  b  \r\nlast";
  Run r = decode(&o, "value VARCHAR", in);
  TAP_EQ_STR(r.rows, "[a,b]\n[]\n[  b  ]\n[last]\n",
             "text: whole lines, blank lines kept, CR stripped");
  free(r.rows);
  check_all_cuts(&o, "value VARCHAR", in, "[a,b]\n[]\n[  b  ]\n[last]\n",
                 "text");
  bool ext[2] = {true, false};
  r = decode_cuts(&o, "_arrival TIMESTAMP, value VARCHAR", "x\n", 2, NULL, 0,
                  ext);
  TAP_EQ_STR(r.rows, "NULL|[x]\n", "text: into the value column");
  free(r.rows);
  r = decode(&o, "n BIGINT", "x\n");
  TAP_EQ_INT(r.rc, -1, "text: needs a VARCHAR column");
  TAP_EQ_STR(r.err.msg, "text input needs a VARCHAR column (value)",
             "text: message");
  free(r.rows);
}

/* ------------------------------------------------------------- big input */

static void test_batches_and_carry(void) {
  /* 5000 rows: two full batches and a partial one. */
  Text in = {NULL, 0, 0};
  text_add(&in, "a,b\n", 4);
  for (int i = 0; i < 5000; i++) text_addf(&in, "%d,%d\n", i, i * 2);
  EdDecodeOpts o = csv_opts();
  size_t cuts[3] = {7, 30001, 30002};
  Run r = decode_cuts(&o, "a BIGINT, b BIGINT", in.buf, in.len, cuts, 3,
                      NULL);
  TAP_EQ_INT(r.batches, 2, "5000 rows fill two batches");
  TAP_EQ_INT(r.stats.records, 5000, "5000 records");
  int lines = 0, ok = 1, a, b;
  for (const char *p = r.rows; *p; p = strchr(p, '\n') + 1) {
    if (sscanf(p, "%d|%d", &a, &b) != 2 || a != lines || b != 2 * lines)
      ok = 0;
    lines++;
  }
  TAP_OK(ok && lines == 5000, "rows arrive in order across batches");
  free(r.rows);
  free(in.buf);

  /* A 200 kB quoted field cut into many pieces. */
  in = (Text){NULL, 0, 0};
  text_add(&in, "x,\"", 3);
  for (int i = 0; i < 20000; i++) text_add(&in, "0123\"\"67,\n", 10);
  text_add(&in, "\",y\n", 4);
  o.header = false;
  size_t many[50];
  for (int i = 0; i < 50; i++) many[i] = (size_t)(i + 1) * 3999;
  r = decode_cuts(&o, "a VARCHAR, b VARCHAR, c VARCHAR", in.buf, in.len,
                  many, 50, NULL);
  size_t want_len = 3 + 1 + 1 + 20000 * 9 + 1 + 1 + 3 + 1; /* [x]|[..]|[y]\n */
  TAP_EQ_INT(strlen(r.rows), want_len, "a 200 kB field across 50 buffers");
  TAP_EQ_INT(r.stats.line, 20002, "its line breaks are counted");
  free(r.rows);
  free(in.buf);
}

/* The value of row i in test_short_values_shared: few distinct short
** values in the first batch, others then those again in the second, then
** thousands of distinct ones; every 50th row a value too long to share. */
static void shared_value(int i, char *out, size_t cap) {
  static const char *const few[] = {"/", "ab", "abc", "/home", "/cart/x",
                                    "0123456789abcdef", "0123456789abcde"};
  if (i % 50 == 49) snprintf(out, cap, "a longer value at row %d", i);
  else if (i < 2048) snprintf(out, cap, "%s", few[i % 7]);
  else if (i < 2048 + 700) snprintf(out, cap, "new%d", i % 9);
  else if (i < 4096) snprintf(out, cap, "%s", few[i % 5]);
  else snprintf(out, cap, "v%d", i);
}

static void test_short_values_shared(bool json) {
  enum { N = 7000 };
  Text in = {NULL, 0, 0};
  char val[64];
  for (int i = 0; i < N; i++) {
    shared_value(i, val, sizeof val);
    if (json) text_addf(&in, "{\"k\":\"%s\",\"n\":%d}\n", val, i);
    else text_addf(&in, "%d,%s%s", i, val, i + 1 < N ? "\n" : "");
  }
  EdDecodeOpts o = json ? json_opts() : csv_opts();
  o.header = false;
  EdSchema s;
  mk_schema(&s, json ? "k VARCHAR, n BIGINT" : "n BIGINT, k VARCHAR");
  int kc = json ? 0 : 1, nc = json ? 1 : 0;
  EdError err;
  EdDecoder *d = ed_decoder_new(&o, &s, NULL, &err);
  EdBatch *b = mk_batch(&s);
  int bad_value = 0, bad_share = 0, rows = 0;
  size_t off = 0;
  for (;;) {
    bool done = off == in.len;
    if (!done) off += (size_t)ed_decoder_feed(d, in.buf + off, in.len - off, b,
                                              &err);
    else ed_decoder_flush(d, b, &err);
    if (b->nrows < ED_BATCH_CAP && !done) continue;
    for (int r = 0; r < b->nrows; r++) {
      EdStr v = ED_VEC_STR(&b->cols[kc])[r];
      int i = (int)ED_VEC_I64(&b->cols[nc])[r];
      shared_value(i, val, sizeof val);
      if (v.len != strlen(val) || memcmp(v.ptr, val, v.len) != 0) bad_value++;
      /* An earlier row of this batch with the same short value holds the
      ** same bytes (the first 2048 + 2048 rows repeat few values). */
      if (i >= 4096 || v.len > 16) continue;
      for (int q = 0; q < r; q++) {
        EdStr w = ED_VEC_STR(&b->cols[kc])[q];
        if (w.len == v.len && memcmp(w.ptr, v.ptr, v.len) == 0) {
          bad_share += w.ptr != v.ptr;
          break;
        }
      }
    }
    rows += b->nrows;
    ed_batch_reset(b);
    if (done) break;
  }
  const char *f = json ? "JSON lines" : "CSV";
  char name[128];
  snprintf(name, sizeof name, "%s: %d rows decoded", f, N);
  TAP_EQ_INT(rows, N, name);
  snprintf(name, sizeof name, "%s: shared short values read right in "
           "every batch", f);
  TAP_EQ_INT(bad_value, 0, name);
  snprintf(name, sizeof name, "%s: equal short values share their bytes "
           "within a batch", f);
  TAP_EQ_INT(bad_share, 0, name);
  ed_batch_free(b);
  ed_decoder_free(d);
  ed_schema_free(&s);
  free(in.buf);
}

int main(void) {
  test_csv_basic();
  test_csv_options();
  test_conversions();
  test_csv_modes();
  test_bad_records_path();
  test_jsonl_basic();
  test_jsonl_repeated_keys();
  test_csv_number_forms();
  test_jsonl_number_lengths();
  test_jsonl_bad();
  test_text();
  test_batches_and_carry();
  test_short_values_shared(true);
  test_short_values_shared(false);
  return tap_done();
}
