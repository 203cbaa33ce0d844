/*
** sinks/csv_writer.c — RFC 4180 CSV output.
**
** A header line of column names, then one line per row, fields separated
** by ',' and lines ended by '\n'.  A field is quoted only when it holds a
** comma, a double quote, CR or LF (quotes doubled inside), and an empty
** string is written as "" so that it stays distinct from NULL, which is an
** empty field.  A WINDOW column w becomes two columns w_start,w_end.
** Timestamps, intervals and doubles use the text forms of DESIGN §2;
** booleans are true/false.  Output is flushed after every batch so that a
** reader at the other end of a pipe sees each batch when it is done (in a
** streaming query: at the end of each micro-batch, so that a micro-batch
** written in several parts is flushed once); a failed write (EPIPE,
** ENOSPC) makes write() or end_batch() fail with errmsg set.
**
** Rows are formatted into one byte buffer (out_buf.h) and handed to the
** FILE with one fwrite per batch (or per ~64 KB), not a stdio call per
** field.
**
** The changelog writer is the same writer with a first column op: each
** row's change kind (+I, -U, +U, -D) from the batch's ops, +I for a batch
** without ops.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/out_buf.h"
#include "sinks/sink.h"

typedef struct CsvSink {
  EdSink base;
  FILE *out;
  bool header;
  bool op_col;          /* changelog: the op column first */
  bool in_batch;        /* inside a micro-batch: flush at its end */
  int ncols;
  EdType *types;
  EdOutBuf ob;          /* the text of the rows being written */
} CsvSink;

/* Writes s as one field, quoted when RFC 4180 requires it. */
static void put_field(FILE *f, const char *s, size_t n) {
  bool quote = n == 0;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    fwrite(s, 1, n, f);
    return;
  }
  putc_unlocked('"', f);
  const char *start = s, *end = s + n, *q;
  while ((q = memchr(start, '"', (size_t)(end - start))) != NULL) {
    fwrite(start, 1, (size_t)(q - start) + 1, f);
    putc_unlocked('"', f);
    start = q + 1;
  }
  fwrite(start, 1, (size_t)(end - start), f);
  putc_unlocked('"', f);
}

/* Appends s as one field to ob, quoted when RFC 4180 requires it. */
static void buf_field(EdOutBuf *ob, const char *s, size_t n) {
  bool quote = n == 0;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    ed_ob_put(ob, s, n);
    return;
  }
  char *p = ed_ob_reserve(ob, 2 * n + 2), *start = p;
  *p++ = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') *p++ = '"';
    *p++ = s[i];
  }
  *p++ = '"';
  ob->len += (size_t)(p - start);
}

/* Reports a failed write of the stream into errmsg. */
static int check_stream(CsvSink *c) {
  if (fflush(c->out) == 0 && !ferror(c->out)) return 0;
  snprintf(c->base.errmsg, sizeof c->base.errmsg, "write error: %s",
           strerror(errno ? errno : EIO));
  clearerr(c->out);
  return -1;
}

/* Writes the header line (when asked for) and keeps the column types. */
static int csv_begin(EdSink *s, const EdSchema *schema) {
  CsvSink *c = (CsvSink *)s;
  free(c->types);
  c->ncols = schema->ncols;
  c->types = ed_calloc((size_t)c->ncols, sizeof(EdType));
  for (int i = 0; i < c->ncols; i++) c->types[i] = schema->cols[i].type;
  if (!c->header) return 0;
  errno = 0;
  char name[512];
  if (c->op_col) fputs(c->ncols ? "op," : "op", c->out);
  for (int i = 0; i < c->ncols; i++) {
    const char *nm = schema->cols[i].name ? schema->cols[i].name : "";
    if (i) putc_unlocked(',', c->out);
    if (c->types[i] == ED_T_WINDOW) {
      int n = snprintf(name, sizeof name, "%s_start", nm);
      put_field(c->out, name, (size_t)n < sizeof name ? (size_t)n
                                                      : sizeof name - 1);
      putc_unlocked(',', c->out);
      n = snprintf(name, sizeof name, "%s_end", nm);
      put_field(c->out, name, (size_t)n < sizeof name ? (size_t)n
                                                      : sizeof name - 1);
    } else {
      put_field(c->out, nm, strlen(nm));
    }
  }
  putc_unlocked('\n', c->out);
  return check_stream(c);
}

/* Appends the value at row i of vector v (type t) as one or two fields. */
static void put_value(EdOutBuf *ob, const EdVector *v, EdType t, int i) {
  if (t == ED_T_NULL || !ed_vec_valid(v, i)) {
    if (t == ED_T_WINDOW) ed_ob_putc(ob, ',');
    return;
  }
  char *p;
  switch (t) {
    case ED_T_VARCHAR: {
      EdStr s = ED_VEC_STR(v)[i];
      buf_field(ob, s.ptr, s.len);
      return;
    }
    case ED_T_BOOL:
      if (ED_VEC_BOOL(v)[i])
        ed_ob_put(ob, "true", 4);
      else
        ed_ob_put(ob, "false", 5);
      return;
    case ED_T_BIGINT:
      p = ed_ob_reserve(ob, 24);
      ob->len = (size_t)(ed_ob_fmt_i64(p, ED_VEC_I64(v)[i]) - ob->data);
      return;
    case ED_T_DOUBLE:
      p = ed_ob_reserve(ob, 32);
      ob->len += (size_t)ed_format_double(ED_VEC_F64(v)[i], p);
      return;
    case ED_T_TIMESTAMP:
      p = ed_ob_reserve(ob, ED_TS_BUFSZ);
      ob->len += (size_t)ed_format_timestamp(ED_VEC_I64(v)[i], p);
      return;
    case ED_T_INTERVAL:
      p = ed_ob_reserve(ob, ED_TS_BUFSZ);
      ob->len += (size_t)ed_format_interval(ED_VEC_I64(v)[i], p);
      return;
    case ED_T_WINDOW:
      p = ed_ob_reserve(ob, 2 * ED_TS_BUFSZ + 1);
      p += ed_format_timestamp(ED_VEC_WIN(v)[i].start, p);
      *p++ = ',';
      p += ed_format_timestamp(ED_VEC_WIN(v)[i].end, p);
      ob->len = (size_t)(p - ob->data);
      return;
    default:
      return;
  }
}

/* Reports a failed write without forcing the buffer out. */
static int check_error(CsvSink *c) {
  if (!ferror(c->out)) return 0;
  snprintf(c->base.errmsg, sizeof c->base.errmsg, "write error: %s",
           strerror(errno ? errno : EIO));
  clearerr(c->out);
  return -1;
}

/* Writes the active rows of b, then flushes (inside a micro-batch, only
** reports a failed write: the batch's end flushes). */
static int csv_write(EdSink *s, const EdBatch *b) {
  CsvSink *c = (CsvSink *)s;
  int n = ed_batch_count(b);
  EdOutBuf *ob = &c->ob;
  errno = 0;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    if (c->op_col) {
      EdRowOp op = b->ops ? (EdRowOp)b->ops[i] : ED_ROW_INSERT;
      const char *name = ed_row_op_name(op);
      ed_ob_put(ob, name, strlen(name));
      if (c->ncols) ed_ob_putc(ob, ',');
    }
    for (int col = 0; col < c->ncols; col++) {
      if (col) ed_ob_putc(ob, ',');
      put_value(ob, &b->cols[col], c->types[col], i);
    }
    ed_ob_putc(ob, '\n');
    if (ob->len >= ED_OB_SPILL) ed_ob_drain(ob, c->out);
  }
  ed_ob_drain(ob, c->out);
  s->rows_written += n;
  return c->in_batch ? check_error(c) : check_stream(c);
}

/* A micro-batch starts: its rows are flushed at its end. */
static int csv_begin_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  ((CsvSink *)s)->in_batch = true;
  return 0;
}

/* A micro-batch ends: what it wrote goes out now. */
static int csv_end_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  CsvSink *c = (CsvSink *)s;
  c->in_batch = false;
  errno = 0;
  return check_stream(c);
}

/* Flushes and reports any pending write error. */
static int csv_end(EdSink *s) {
  errno = 0;
  return check_stream((CsvSink *)s);
}

static void csv_destroy(EdSink *s) {
  CsvSink *c = (CsvSink *)s;
  free(c->types);
  ed_ob_free(&c->ob);
  free(c);
}

/* Creates the CSV writer, with or without the op column. */
static EdSink *csv_new(FILE *out, bool header, bool op_col) {
  CsvSink *c = ed_calloc(1, sizeof *c);
  c->base.begin = csv_begin;
  c->base.write = csv_write;
  c->base.end = csv_end;
  c->base.destroy = csv_destroy;
  c->base.begin_batch = csv_begin_batch;
  c->base.end_batch = csv_end_batch;
  c->base.description = op_col ? "changelog" : "csv";
  c->out = out;
  c->header = header;
  c->op_col = op_col;
  return &c->base;
}

EdSink *ed_sink_csv_new(FILE *out, bool header) {
  return csv_new(out, header, false);
}

EdSink *ed_sink_changelog_new(FILE *out, bool header) {
  return csv_new(out, header, true);
}
