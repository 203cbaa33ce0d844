/*
** tests/unit/sources/test_src_chunks.c — micro-batch boundaries never
** change what is decoded.  Random CSV (quoted fields with delimiters,
** newlines and doubled quotes, CRLF, blank lines, a byte order mark, a
** header, records with the wrong field count), JSON lines (blank and
** invalid lines) and text are written in random pieces — appended to a
** followed file, or written to a pipe read as stdin — with a micro-batch
** after each piece and random max_rows_per_trigger limits.  The rows of
** all batches together must equal the rows of the same bytes decoded in
** one piece by the decoder (sources/decoder.h, tested on its own), and
** no batch may hold a row before its record was complete.
*/
#include "sources/decoder.h"
#include "tests/unit/sources/src_helpers.h"

static unsigned rng = 12345;
static unsigned next_rand(void) {
  rng = rng * 1103515245u + 12345u;
  return (rng >> 16) & 0x7fff;
}
static int pick(int n) { return (int)(next_rand() % (unsigned)n); }

static void gen_csv_field(Text *t) {
  static const char *const plain[] = {"x", "42", "", "hello world", "a b",
                                      " sp "};
  static const char *const quoted[] = {"\"q,1\"", "\"line\nbreak\"",
                                       "\"say \"\"hi\"\"\"", "\"\"",
                                       "\"cr\r\nlf\""};
  if (pick(4) == 0) text_addf(t, "%s", quoted[pick(5)]);
  else text_addf(t, "%s", plain[pick(6)]);
}

static void gen_csv(Text *t) {
  if (pick(4) == 0) text_add(t, "\xEF\xBB\xBF", 3);
  if (pick(3) == 0) text_add(t, "\n", 1);      /* blank before header */
  text_addf(t, "a,b,c\n");
  int n = 1 + pick(12);
  for (int i = 0; i < n; i++) {
    int r = pick(10);
    if (r == 0) {
      text_addf(t, "%s", pick(2) ? "\n" : "\r\n");
      continue;
    }
    int nf = r == 1 ? 2 : 3;                  /* some with a field missing */
    for (int f = 0; f < nf; f++) {
      if (f) text_add(t, ",", 1);
      gen_csv_field(t);
    }
    text_addf(t, "%s", pick(3) ? "\n" : "\r\n");
  }
}

static void gen_jsonl(Text *t) {
  static const char *const lines[] = {
      "{\"a\": \"x\", \"b\": \"y\", \"c\": \"z\"}", "{\"c\": \"only c\"}",
      "", "   ", "{\"a\": \"esc \\\"q\\\" \\n\"}", "not json",
      "{\"a\": \"u\\u00e9\", \"b\": \"2\"}\r", "{\"b\": [1, 2], \"a\": {}}"};
  if (pick(4) == 0) text_add(t, "\xEF\xBB\xBF", 3);
  int n = 1 + pick(12);
  for (int i = 0; i < n; i++) text_addf(t, "%s\n", lines[pick(8)]);
}

static void gen_text(Text *t) {
  static const char *const lines[] = {"one", "", "two words", "tab\there",
                                      "cr\r", "  "};
  int n = 1 + pick(12);
  for (int i = 0; i < n; i++) text_addf(t, "%s\n", lines[pick(6)]);
}

/* The reference: the decoder fed one byte at a time.  rows_at[i] is the
** number of rows complete once i bytes are in, boundary[i] whether a
** record ends at byte offset i; out gets the rows of the whole input. */
static void reference(const EdSchema *schema, EdInFormat fmt,
                      const char *in, size_t n, int *rows_at,
                      bool *boundary, Text *out) {
  EdDecodeOpts o;
  memset(&o, 0, sizeof o);
  o.format = fmt;
  o.header = true;
  o.delimiter = ',';
  o.mode = ED_BAD_PERMISSIVE;
  o.source_name = "ref";
  EdError err;
  EdDecoder *d = ed_decoder_new(&o, schema, NULL, &err);
  EdBatch *b = mk_batch_for(schema);
  memset(boundary, 0, n + 1);
  boundary[0] = true;
  rows_at[0] = 0;
  for (size_t i = 0; i < n; i++) {
    ed_decoder_feed(d, in + i, 1, b, &err);
    rows_at[i + 1] = b->nrows;
    boundary[ed_decoder_offset(d)] = true;
  }
  ed_decoder_flush(d, b, &err);
  render_rows(out, b, 0);
  ed_batch_free(b);
  ed_decoder_free(d);
}

/* The byte offset in an offsets JSON ("offset": N). */
static long json_offset(const char *j) {
  const char *p = strstr(j, "\"offset\": ");
  return p ? atol(p + 10) : -1;
}

/* Writes the input in random pieces to a followed file or a pipe, runs a
** micro-batch after each, and compares everything with the reference. */
static bool run_case(int iter, EdInFormat fmt, bool use_pipe,
                     const char *dir) {
  static const char *const fmt_names[] = {"csv", "jsonl", "text"};
  Text in = {0};
  if (fmt == ED_IN_CSV) gen_csv(&in);
  else if (fmt == ED_IN_JSONL) gen_jsonl(&in);
  else gen_text(&in);
  const char *spec = fmt == ED_IN_TEXT
                         ? "value VARCHAR"
                         : "a VARCHAR, b VARCHAR, c VARCHAR, "
                           "_corrupt_record VARCHAR";
  EdSchema schema;
  mk_schema(&schema, spec);
  Text want = {0}, got = {0};
  int *rows_at = malloc((in.len + 1) * sizeof(int));
  bool *boundary = malloc(in.len + 1);
  reference(&schema, fmt, in.buf, in.len, rows_at, boundary, &want);
  int64_t rows = 0;
  bool in_time = true, at_boundary = true, has_data_exact = true;
  ed_schema_free(&schema);

  char *path = path_in(dir, "chunks.dat");
  int p[2] = {-1, -1};
  char fdtxt[16];
  EdTable *t;
  if (use_pipe) {
    if (pipe(p) != 0) abort();
    snprintf(fdtxt, sizeof fdtxt, "%d", p[0]);
    t = mk_stream("s", "stdin", spec, "fd", fdtxt, "format", fmt_names[fmt],
                  NULL);
  } else {
    put_file(path, "w", "");
    t = mk_stream("s", "file", spec, "path", path, "format", fmt_names[fmt],
                  "follow", "true", NULL);
  }
  EdError err;
  EdStreamSource *s = ed_stream_source_open(t, &err);
  bool ok = s != NULL;
  size_t off = 0;
  while (ok && off < in.len) {
    size_t piece = 1 + (size_t)pick(pick(3) ? 8 : 40);
    if (piece > in.len - off) piece = in.len - off;
    if (use_pipe) {
      if (write(p[1], in.buf + off, piece) != (ssize_t)piece) abort();
    } else {
      FILE *f = fopen(path, "a");
      fwrite(in.buf + off, 1, piece, f);
      fclose(f);
    }
    off += piece;
    int64_t limit = pick(3) == 0 ? 1 + pick(3) : 0;
    Run r = run_batch(s, limit, 0, &got);
    ok &= r.rc == 0;
    rows += r.rows;
    /* PERMISSIVE keeps every data record: has_data is exact. */
    has_data_exact &= r.has_data == (r.rows > 0);
    /* Every complete record is there (all of them without a limit), no
    ** incomplete one; batches end between records. */
    in_time &= limit ? rows <= rows_at[off] : rows == rows_at[off];
    long e = json_offset(r.end);
    at_boundary &= e >= 0 && (size_t)e <= in.len && boundary[e];
  }
  if (use_pipe) close(p[1]);
  /* Whatever is left: the pipe ends; a followed file's input is fully
  ** terminated by a newline. */
  for (int i = 0; ok && i < 1000; i++) {
    Run r = run_batch(s, pick(2) ? 2 : 0, 0, &got);
    ok &= r.rc == 0;
    has_data_exact &= r.has_data == (r.rows > 0);
    if (use_pipe ? r.ended : (!r.has_data && s->vt->wait(s, 0) == 0)) break;
  }
  bool same = ok && in_time && at_boundary && has_data_exact &&
              strcmp(text_str(&got), text_str(&want)) == 0;
  if (!same) {
    printf("# case %d (%s, %s) differs (rows in time %d, boundaries %d, "
           "has_data %d)\n# input: ",
           iter, fmt_names[fmt], use_pipe ? "pipe" : "file", in_time,
           at_boundary, has_data_exact);
    for (size_t i = 0; i < in.len; i++) {
      unsigned char c = (unsigned char)in.buf[i];
      if (c == '\n') printf("\\n");
      else if (c == '\r') printf("\\r");
      else if (c < 32 || c > 126) printf("\\x%02x", c);
      else putchar(c);
    }
    printf("\n# want:\n%s# got:\n%s", text_str(&want), text_str(&got));
  }
  if (s) s->vt->destroy(s);
  if (use_pipe) close(p[0]);
  ed_table_free(t);
  free(path);
  free(rows_at);
  free(boundary);
  text_free(&in);
  text_free(&want);
  text_free(&got);
  return same;
}

int main(void) {
  char *dir = tmp_dir("chunks");
  for (int fmt = 0; fmt < 3; fmt++) {
    for (int use_pipe = 0; use_pipe < 2; use_pipe++) {
      int bad = 0;
      for (int i = 0; i < 150 && bad < 3; i++)
        bad += !run_case(i, (EdInFormat)fmt, use_pipe, dir);
      char name[96];
      snprintf(name, sizeof name, "%s through a %s in random pieces",
               fmt == 0 ? "csv" : fmt == 1 ? "jsonl" : "text",
               use_pipe ? "pipe" : "followed file");
      TAP_OK(bad == 0, name);
    }
  }
  rm_rf(dir);
  free(dir);
  return tap_done();
}
