/*
** sinks/jsonl_writer.c — JSON lines output, and the choice of writer for
** an output format.
**
** One object per row, keys in column order, written with ": " and ", "
** separators as DESIGN §2 shows them:
**
**     {"w": {"start": "2024-01-01 00:00:00", "end": "2024-01-01 00:01:00"}, "page": "/a", "n": 3}
**
** NULL is null; BIGINT and DOUBLE are JSON numbers (a NaN or infinite
** double, which JSON cannot spell, is null); BOOLEAN is true/false;
** TIMESTAMP and INTERVAL are strings in their text forms.  Strings are
** escaped per RFC 8259 (quote, backslash, control characters); other bytes
** pass through unchanged.  Output is flushed after every batch (in a
** streaming query, at the end of each micro-batch); a failed write makes
** write() or end_batch() fail with errmsg set.  Rows are formatted into
** one byte buffer (out_buf.h) and handed to the FILE with one fwrite per
** batch (or per ~64 KB).
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/out_buf.h"
#include "sinks/sink.h"

typedef struct JsonSink {
  EdSink base;
  FILE *out;
  int ncols;
  EdType *types;
  char **keys;        /* ncols escaped keys, each "\"name\": " */
  size_t *key_lens;   /* strlen of each key */
  bool in_batch;      /* inside a micro-batch: flush at its end */
  EdOutBuf ob;        /* the text of the rows being written */
} JsonSink;

/* Writes s as a JSON string literal. */
static void put_json_string(FILE *f, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  putc_unlocked('"', f);
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    fwrite(s + run, 1, i - run, f);
    run = i + 1;
    putc_unlocked('\\', f);
    switch (c) {
      case '"': putc_unlocked('"', f); break;
      case '\\': putc_unlocked('\\', f); break;
      case '\n': putc_unlocked('n', f); break;
      case '\r': putc_unlocked('r', f); break;
      case '\t': putc_unlocked('t', f); break;
      case '\b': putc_unlocked('b', f); break;
      case '\f': putc_unlocked('f', f); break;
      default:
        fputs("u00", f);
        putc_unlocked(hex[c >> 4], f);
        putc_unlocked(hex[c & 15], f);
        break;
    }
  }
  fwrite(s + run, 1, n - run, f);
  putc_unlocked('"', f);
}

/* Flushes; on a failed write sets errmsg and returns -1. */
static int check_stream(JsonSink *j) {
  if (fflush(j->out) == 0 && !ferror(j->out)) return 0;
  snprintf(j->base.errmsg, sizeof j->base.errmsg, "write error: %s",
           strerror(errno ? errno : EIO));
  clearerr(j->out);
  return -1;
}

static void free_keys(JsonSink *j) {
  for (int i = 0; j->keys && i < j->ncols; i++) free(j->keys[i]);
  free(j->keys);
  free(j->key_lens);
  free(j->types);
  j->keys = NULL;
  j->key_lens = NULL;
  j->types = NULL;
}

/* Prepares the escaped keys once, so that rows only copy them. */
static int json_begin(EdSink *s, const EdSchema *schema) {
  JsonSink *j = (JsonSink *)s;
  free_keys(j);
  j->ncols = schema->ncols;
  j->types = ed_calloc((size_t)j->ncols, sizeof(EdType));
  j->keys = ed_calloc((size_t)j->ncols, sizeof(char *));
  j->key_lens = ed_calloc((size_t)j->ncols, sizeof(size_t));
  for (int i = 0; i < j->ncols; i++) {
    const char *nm = schema->cols[i].name ? schema->cols[i].name : "";
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) abort();
    if (i) fputs(", ", m);
    put_json_string(m, nm, strlen(nm));
    fputs(": ", m);
    fclose(m);
    j->types[i] = schema->cols[i].type;
    j->keys[i] = buf;
    j->key_lens[i] = len;
  }
  return 0;
}

/* Appends s to ob as a JSON string literal (the escapes of
** put_json_string). */
static void buf_json_string(EdOutBuf *ob, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  char *p = ed_ob_reserve(ob, 6 * n + 2), *start = p;
  *p++ = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      *p++ = (char)c;
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      default:
        memcpy(p, "u00", 3);
        p += 3;
        *p++ = hex[c >> 4];
        *p++ = hex[c & 15];
        break;
    }
  }
  *p++ = '"';
  ob->len += (size_t)(p - start);
}

/* Writes a timestamp as a quoted string at p; returns the end. */
static char *put_ts_string(char *p, int64_t us) {
  *p++ = '"';
  p += ed_format_timestamp(us, p);
  *p++ = '"';
  return p;
}

/* Appends row i of vector v (type t) as a JSON value. */
static void put_value(EdOutBuf *ob, const EdVector *v, EdType t, int i) {
  char buf[ED_TS_BUFSZ];
  char *p;
  if (t == ED_T_NULL || !ed_vec_valid(v, i)) {
    ed_ob_put(ob, "null", 4);
    return;
  }
  switch (t) {
    case ED_T_VARCHAR: {
      EdStr s = ED_VEC_STR(v)[i];
      buf_json_string(ob, s.ptr, s.len);
      break;
    }
    case ED_T_BOOL:
      if (ED_VEC_BOOL(v)[i])
        ed_ob_put(ob, "true", 4);
      else
        ed_ob_put(ob, "false", 5);
      break;
    case ED_T_BIGINT:
      p = ed_ob_reserve(ob, 24);
      ob->len = (size_t)(ed_ob_fmt_i64(p, ED_VEC_I64(v)[i]) - ob->data);
      break;
    case ED_T_DOUBLE: {
      double d = ED_VEC_F64(v)[i];
      if (!isfinite(d)) {
        ed_ob_put(ob, "null", 4);
      } else {
        p = ed_ob_reserve(ob, 32);
        ob->len += (size_t)ed_format_double(d, p);
      }
      break;
    }
    case ED_T_TIMESTAMP:
      p = ed_ob_reserve(ob, ED_TS_BUFSZ + 2);
      ob->len = (size_t)(put_ts_string(p, ED_VEC_I64(v)[i]) - ob->data);
      break;
    case ED_T_INTERVAL: {
      int n = ed_format_interval(ED_VEC_I64(v)[i], buf);
      buf_json_string(ob, buf, (size_t)n);
      break;
    }
    case ED_T_WINDOW:
      p = ed_ob_reserve(ob, 2 * ED_TS_BUFSZ + 32);
      memcpy(p, "{\"start\": ", 10);
      p = put_ts_string(p + 10, ED_VEC_WIN(v)[i].start);
      memcpy(p, ", \"end\": ", 9);
      p = put_ts_string(p + 9, ED_VEC_WIN(v)[i].end);
      *p++ = '}';
      ob->len = (size_t)(p - ob->data);
      break;
    default:
      ed_ob_put(ob, "null", 4);
      break;
  }
}

/* Reports a failed write without forcing the buffer out. */
static int check_error(JsonSink *j) {
  if (!ferror(j->out)) return 0;
  snprintf(j->base.errmsg, sizeof j->base.errmsg, "write error: %s",
           strerror(errno ? errno : EIO));
  clearerr(j->out);
  return -1;
}

/* Writes one object per active row of b, then flushes (inside a
** micro-batch, only reports a failed write: the batch's end flushes). */
static int json_write(EdSink *s, const EdBatch *b) {
  JsonSink *j = (JsonSink *)s;
  int n = ed_batch_count(b);
  EdOutBuf *ob = &j->ob;
  errno = 0;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    ed_ob_putc(ob, '{');
    for (int c = 0; c < j->ncols; c++) {
      ed_ob_put(ob, j->keys[c], j->key_lens[c]);
      put_value(ob, &b->cols[c], j->types[c], i);
    }
    ed_ob_put(ob, "}\n", 2);
    if (ob->len >= ED_OB_SPILL) ed_ob_drain(ob, j->out);
  }
  ed_ob_drain(ob, j->out);
  s->rows_written += n;
  return j->in_batch ? check_error(j) : check_stream(j);
}

/* A micro-batch starts: its rows are flushed at its end. */
static int json_begin_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  ((JsonSink *)s)->in_batch = true;
  return 0;
}

/* A micro-batch ends: what it wrote goes out now. */
static int json_end_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  JsonSink *j = (JsonSink *)s;
  j->in_batch = false;
  errno = 0;
  return check_stream(j);
}

static int json_end(EdSink *s) {
  errno = 0;
  return check_stream((JsonSink *)s);
}

static void json_destroy(EdSink *s) {
  JsonSink *j = (JsonSink *)s;
  free_keys(j);
  ed_ob_free(&j->ob);
  free(j);
}

/* Creates the JSON lines writer (see the comment at the top). */
EdSink *ed_sink_jsonl_new(FILE *out) {
  JsonSink *j = ed_calloc(1, sizeof *j);
  j->base.begin = json_begin;
  j->base.write = json_write;
  j->base.end = json_end;
  j->base.destroy = json_destroy;
  j->base.begin_batch = json_begin_batch;
  j->base.end_batch = json_end_batch;
  j->base.description = "jsonl";
  j->out = out;
  return &j->base;
}

/* Table, CSV (with header), JSON lines, or the changelog form of CSV,
** whose writer adds the op column from the batches' ops itself. */
EdSink *ed_sink_for_format(EdOutFormat fmt, FILE *out, int truncate) {
  switch (fmt) {
    case ED_FMT_TABLE: return ed_sink_table_new(out, truncate);
    case ED_FMT_JSONL: return ed_sink_jsonl_new(out);
    case ED_FMT_CHANGELOG: return ed_sink_changelog_new(out, true);
    case ED_FMT_CSV: return ed_sink_csv_new(out, true);
  }
  return ed_sink_csv_new(out, true);
}
