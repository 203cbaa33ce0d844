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
** The changelog writer is the same writer with a first column op: each
** row's change kind (+I, -U, +U, -D) from the batch's ops, +I for a batch
** without ops.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/sink.h"

typedef struct CsvSink {
  EdSink base;
  FILE *out;
  bool header;
  bool op_col;          /* changelog: the op column first */
  bool in_batch;        /* inside a micro-batch: flush at its end */
  int ncols;
  EdType *types;
} CsvSink;

/* Writes v in decimal into buf (at least 21 bytes); returns the length. */
static int fmt_i64(char *buf, int64_t v) {
  char tmp[24], *p = tmp + sizeof tmp;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) *--p = '-';
  int n = (int)(tmp + sizeof tmp - p);
  memcpy(buf, p, (size_t)n);
  return n;
}

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

/* Writes the value at row i of vector v (type t) as one or two fields. */
static void put_value(FILE *f, const EdVector *v, EdType t, int i) {
  char buf[ED_TS_BUFSZ + 8];
  int n;
  if (t == ED_T_NULL || !ed_vec_valid(v, i)) {
    if (t == ED_T_WINDOW) putc_unlocked(',', f);
    return;
  }
  switch (t) {
    case ED_T_VARCHAR: {
      EdStr s = ED_VEC_STR(v)[i];
      put_field(f, s.ptr, s.len);
      return;
    }
    case ED_T_BOOL:
      fputs(ED_VEC_BOOL(v)[i] ? "true" : "false", f);
      return;
    case ED_T_BIGINT:
      n = fmt_i64(buf, ED_VEC_I64(v)[i]);
      break;
    case ED_T_DOUBLE:
      n = ed_format_double(ED_VEC_F64(v)[i], buf);
      break;
    case ED_T_TIMESTAMP:
      n = ed_format_timestamp(ED_VEC_I64(v)[i], buf);
      break;
    case ED_T_INTERVAL:
      n = ed_format_interval(ED_VEC_I64(v)[i], buf);
      break;
    case ED_T_WINDOW:
      n = ed_format_timestamp(ED_VEC_WIN(v)[i].start, buf);
      fwrite(buf, 1, (size_t)n, f);
      putc_unlocked(',', f);
      n = ed_format_timestamp(ED_VEC_WIN(v)[i].end, buf);
      break;
    default:
      return;
  }
  fwrite(buf, 1, (size_t)n, f);
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
  errno = 0;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    if (c->op_col) {
      EdRowOp op = b->ops ? (EdRowOp)b->ops[i] : ED_ROW_INSERT;
      fputs(ed_row_op_name(op), c->out);
      if (c->ncols) putc_unlocked(',', c->out);
    }
    for (int col = 0; col < c->ncols; col++) {
      if (col) putc_unlocked(',', c->out);
      put_value(c->out, &b->cols[col], c->types[col], i);
    }
    putc_unlocked('\n', c->out);
  }
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
