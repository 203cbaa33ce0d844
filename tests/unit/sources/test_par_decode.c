/*
** tests/unit/sources/test_par_decode.c — decoding a file range on several
** threads gives exactly what one decoder gives.
**
** Random CSV (quoted fields holding delimiters, doubled quotes and line
** breaks, CRLF, blank lines, a byte order mark, a header, records with a
** field missing, values that do not convert), JSON lines (blank and
** invalid lines, long lines) and text are written to a file and decoded
** by sources/par_decode.h (from the file or from memory) with tiny chunks (so that chunk cuts fall
** everywhere, inside quoted line breaks too) on 1 to 3 threads, in one
** range or in two (the first not final, the second starting at a record
** boundary mid-file).  Rows, their order and the decoder's counts must
** equal those of the same bytes fed to one decoder in one piece.  When
** the parallel decode hands the rest back (a quoted line break across a
** cut), the test decodes it the ordinary way, as the file source does;
** the test also checks that both endings were met.
*/
#include <fcntl.h>
#include <unistd.h>

#include "sources/par_decode.h"
#include "tests/unit/sources/src_helpers.h"

static unsigned rng = 4242;
static unsigned next_rand(void) {
  rng = rng * 1103515245u + 12345u;
  return (rng >> 16) & 0x7fff;
}
static int pick(int n) { return (int)(next_rand() % (unsigned)n); }

static int n_sequential, n_done_multi;

static void gen_csv(Text *t) {
  static const char *const fields[] = {
      "x",  "42", "", "hello world", "-7", "3.5", "nan?", "\"q,1\"",
      "\"line\nbreak\"", "\"say \"\"hi\"\"\"", "\"\"", "\"cr\r\nlf\"",
      "\"many\n\n\nlines\""};
  if (pick(4) == 0) text_add(t, "\xEF\xBB\xBF", 3);
  if (pick(3) == 0) text_add(t, "\n", 1);
  text_addf(t, "a,b,c\n");
  int n = 20 + pick(300);
  for (int i = 0; i < n; i++) {
    int r = pick(20);
    if (r == 0) {
      text_addf(t, "%s", pick(2) ? "\n" : "\r\n");
      continue;
    }
    int nf = r == 1 ? 2 : 3;
    for (int f = 0; f < nf; f++) {
      if (f) text_add(t, ",", 1);
      text_addf(t, "%s", fields[pick(pick(4) ? 7 : 13)]);
    }
    if (i < n - 1 || pick(2)) text_addf(t, "%s", pick(3) ? "\n" : "\r\n");
  }
}

static void gen_jsonl(Text *t) {
  static const char *const lines[] = {
      "{\"a\": \"x\", \"b\": 1, \"c\": 2.5}", "{\"c\": 7}", "", "   ",
      "{\"a\": \"esc \\\"q\\\" \\n\", \"b\": \"bad\"}", "not json",
      "{\"a\": \"u\\u00e9\", \"b\": 2}\r", "{\"b\": [1, 2], \"a\": {}}"};
  if (pick(4) == 0) text_add(t, "\xEF\xBB\xBF", 3);
  int n = 20 + pick(300);
  for (int i = 0; i < n; i++) {
    if (pick(30) == 0) {          /* a line longer than a chunk */
      text_addf(t, "{\"a\": \"");
      for (int k = 0; k < 300; k++) text_add(t, "y", 1);
      text_addf(t, "\"}");
    } else {
      text_addf(t, "%s", lines[pick(8)]);
    }
    if (i < n - 1 || pick(2)) text_add(t, "\n", 1);
  }
}

static void gen_text(Text *t) {
  static const char *const lines[] = {"one", "", "two words", "cr\r", "  "};
  int n = 20 + pick(300);
  for (int i = 0; i < n; i++) text_addf(t, "%s\n", lines[pick(5)]);
}

static EdDecoder *new_decoder(EdInFormat fmt, const EdSchema *schema) {
  EdDecodeOpts o;
  memset(&o, 0, sizeof o);
  o.format = fmt;
  o.header = true;
  o.delimiter = ',';
  o.mode = pick(2) ? ED_BAD_PERMISSIVE : ED_BAD_DROPMALFORMED;
  o.source_name = "in";
  EdError err;
  return ed_decoder_new(&o, schema, NULL, &err);
}

/* Decodes in[from..to) of the file the ordinary way into out. */
static void decode_plain(EdDecoder *d, const Text *in, size_t from,
                         size_t to, bool final, EdBatch *b, Text *out) {
  EdError err;
  size_t off = from;
  while (off < to) {
    ed_batch_reset(b);
    long k = ed_decoder_feed(d, in->buf + off, to - off, b, &err);
    off += (size_t)k;
    render_rows(out, b, 0);
  }
  if (final) {
    ed_batch_reset(b);
    ed_decoder_flush(d, b, &err);
    render_rows(out, b, 0);
  }
}

/* Decodes [from, to) of fd in parallel, as the file source does; rows
** into out.  Returns false on a failure. */
static bool decode_par(EdDecoder *d, int fd, const Text *in, size_t from,
                       size_t to, bool final, EdBatch *b, Text *out) {
  int threads = 1 + pick(3);
  size_t chunk = 16 + (size_t)pick(400);
  /* From the file, or from the bytes in memory (stdin's window). */
  EdParDecode *p =
      pick(2) ? ed_pardec_start(d, fd, "in", (int64_t)from, (int64_t)to,
                                final, threads, chunk)
              : ed_pardec_start_mem(d, in->buf + from, "in", (int64_t)from,
                                    (int64_t)to, final, threads, chunk);
  EdError err;
  int r;
  ed_batch_reset(b);
  for (;;) {
    /* Now and then into a batch that already holds rows (the copying
    ** path); rows are rendered when the batch is emptied. */
    if (b->nrows == ED_BATCH_CAP || (b->nrows > 0 && pick(3))) {
      render_rows(out, b, 0);
      ed_batch_reset(b);
    }
    r = ed_pardec_next(p, b, &err);
    if (r <= 0) break;
  }
  render_rows(out, b, 0);
  ed_batch_reset(b);
  bool ok = r != ED_PARDEC_FAIL;
  if (r == ED_PARDEC_SEQUENTIAL) {
    n_sequential++;
    size_t at = (size_t)ed_pardec_resume_offset(p);
    decode_plain(d, in, at, to, final, b, out);
  } else if (r == ED_PARDEC_DONE && to - from > chunk) {
    n_done_multi++;
  }
  ed_pardec_free(p);
  return ok;
}

static bool same_stats(const EdDecoder *a, const EdDecoder *b) {
  const EdDecodeStats *x = ed_decoder_stats(a), *y = ed_decoder_stats(b);
  return x->records == y->records && x->bad == y->bad && x->line == y->line;
}

static bool run_case(int iter, EdInFormat fmt, const char *dir) {
  static const char *const names[] = {"csv", "jsonl", "text"};
  Text in = {0};
  if (fmt == ED_IN_CSV) gen_csv(&in);
  else if (fmt == ED_IN_JSONL) gen_jsonl(&in);
  else gen_text(&in);
  EdSchema schema;
  mk_schema(&schema, fmt == ED_IN_TEXT ? "value VARCHAR"
                     : fmt == ED_IN_CSV
                         ? "a VARCHAR, b BIGINT, c DOUBLE"
                         : "a VARCHAR, b BIGINT, c DOUBLE, "
                           "_corrupt_record VARCHAR");
  unsigned seed = rng;
  EdDecoder *ref = new_decoder(fmt, &schema);
  rng = seed;
  EdDecoder *d = new_decoder(fmt, &schema);
  EdBatch *b = mk_batch_for(&schema);
  Text want = {0}, got = {0};
  decode_plain(ref, &in, 0, in.len, true, b, &want);

  char *path = path_in(dir, "par.dat");
  FILE *f = fopen(path, "w");
  fwrite(in.buf, 1, in.len, f);
  fclose(f);
  int fd = open(path, O_RDONLY);
  bool ok;
  if (pick(2)) {
    ok = decode_par(d, fd, &in, 0, in.len, true, b, &got);
  } else {
    /* Two ranges: up to a record boundary near the middle (where a
    ** decoder fed the first half stands), then the rest. */
    EdDecoder *probe = new_decoder(fmt, &schema);
    EdBatch *pb = mk_batch_for(&schema);
    size_t half = in.len / 2, off = 0;
    EdError err;
    while (off < half) {
      ed_batch_reset(pb);
      off += (size_t)ed_decoder_feed(probe, in.buf + off, half - off, pb,
                                     &err);
    }
    size_t cut = (size_t)ed_decoder_offset(probe);
    ed_decoder_free(probe);
    ed_batch_free(pb);
    ok = cut == 0 || decode_par(d, fd, &in, 0, cut, false, b, &got);
    ok = ok && decode_par(d, fd, &in, cut, in.len, true, b, &got);
  }
  close(fd);
  bool same = ok && strcmp(text_str(&got), text_str(&want)) == 0 &&
              same_stats(d, ref);
  if (!same) {
    const EdDecodeStats *x = ed_decoder_stats(d), *y = ed_decoder_stats(ref);
    printf("# case %d (%s): ok %d, records %lld/%lld bad %lld/%lld line "
           "%lld/%lld\n",
           iter, names[fmt], ok, (long long)x->records, (long long)y->records,
           (long long)x->bad, (long long)y->bad, (long long)x->line,
           (long long)y->line);
    const char *w = text_str(&want), *g = text_str(&got);
    size_t i = 0;
    while (w[i] && w[i] == g[i]) i++;
    if (w[i] || g[i])
      printf("# rows differ from byte %zu: want \"%.40s\", got \"%.40s\"\n",
             i, w + i, g + i);
  }
  ed_decoder_free(ref);
  ed_decoder_free(d);
  ed_batch_free(b);
  ed_schema_free(&schema);
  text_free(&in);
  text_free(&want);
  text_free(&got);
  unlink(path);
  free(path);
  return same;
}

/* Batches taken partly by copying (into a batch that already holds rows)
** and then whole: every row once, in order. */
static void test_copy_then_swap(const char *dir) {
  char *path = path_in(dir, "rows.csv");
  FILE *f = fopen(path, "w");
  fprintf(f, "a\n");
  int n = 30000;
  for (int i = 0; i < n; i++) fprintf(f, "%d\n", i);
  long size = ftell(f);
  fclose(f);
  int fd = open(path, O_RDONLY);
  EdSchema schema;
  mk_schema(&schema, "a BIGINT");
  EdDecoder *d = new_decoder(ED_IN_CSV, &schema);
  EdBatch *b = mk_batch_for(&schema);
  EdParDecode *p = ed_pardec_start(d, fd, path, 0, size, true, 2, 40000);
  EdError err;
  int r, next = 0, calls = 0;
  bool in_order = true;
  for (;;) {
    /* Every third call into a batch that holds rows already. */
    int keep = (calls++ % 3 == 2 && b->nrows < ED_BATCH_CAP) ? b->nrows : 0;
    if (!keep) ed_batch_reset(b);
    r = ed_pardec_next(p, b, &err);
    if (r <= 0) break;
    for (int i = keep; i < b->nrows; i++)
      in_order &= ED_VEC_I64(&b->cols[0])[i] == next++;
  }
  TAP_EQ_INT(r, ED_PARDEC_DONE, "copying then swapping: the range ends");
  TAP_OK(in_order && next == n,
         "copying then swapping: every row once, in order");
  ed_pardec_free(p);
  close(fd);
  ed_batch_free(b);
  ed_decoder_free(d);
  ed_schema_free(&schema);
  unlink(path);
  free(path);
}

int main(void) {
  char *dir = tmp_dir("par");
  static const char *const names[] = {"CSV", "JSON lines", "text"};
  for (int fmt = 0; fmt < 3; fmt++) {
    int bad = 0;
    for (int i = 0; i < 150; i++) bad += !run_case(i, (EdInFormat)fmt, dir);
    char name[128];
    snprintf(name, sizeof name,
             "%s: 150 random inputs decoded in parallel equal one decoder "
             "(rows, order, counts)",
             names[fmt]);
    TAP_EQ_INT(bad, 0, name);
  }
  TAP_OK(n_sequential > 0,
         "a quoted line break across a cut hands the rest back (seen)");
  TAP_OK(n_done_multi > 0, "ranges of many chunks finish in parallel (seen)");
  test_copy_then_swap(dir);
  rmdir(dir);
  free(dir);
  return tap_done();
}
