/*
** sources/stream_scan.c — the record scanner that fixes where a
** micro-batch ends, and the small helpers every streaming source uses to
** feed bytes to its decoder (see sources/stream_internal.h).
**
** The scanner applies the decoders' own splitting rules without decoding:
** CSV records end at a newline outside quotes (ed_csv_scan, the very state
** machine the decoder uses for records cut between buffers), JSON lines
** and text lines at any newline.  A CSV record is blank when its text
** without the line end (and a byte order mark at the input's start) is
** empty; a JSON line when it holds only blanks; a text line never.  The
** first non-blank CSV record of an input with a header is the header.
** Because the scanner and the decoder agree, a micro-batch cut where the
** scanner says ends exactly after a record the decoder completes.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sources/par_decode.h"
#include "sources/stream_internal.h"

static const unsigned char bom_bytes[3] = {0xEF, 0xBB, 0xBF};

/* ----------------------------------------------------------- scanner */

void ed_recscan_init_opts(EdRecScan *s, const EdDecodeOpts *o,
                          bool input_start) {
  memset(s, 0, sizeof *s);
  s->format = o->format;
  s->delim = o->delimiter ? o->delimiter : ',';
  s->header_pending = input_start && o->format == ED_IN_CSV && o->header;
  s->csv_state = ed_csv_scan_start(input_start);
  s->bom = input_start ? 0 : -1;
}

/* A scan from where the decoder stands (between records). */
void ed_recscan_init(EdRecScan *s, const EdDecoder *d) {
  ed_recscan_init_opts(s, &d->opts, d->at_input_start);
  s->header_pending = d->header_pending;
}

/* Matches the byte order mark at the start of an input against p[0..n),
** the bytes that follow the ones matched so far. */
static void match_bom(EdRecScan *s, const char *p, size_t n) {
  size_t j = 0;
  while (s->bom >= 0 && s->bom < 3 && j < n) {
    if ((unsigned char)p[j] != bom_bytes[s->bom]) {
      /* Bytes taken for a mark were text after all: not blank. */
      if (s->bom > 0) s->rec_content = true;
      s->bom = -1;
      break;
    }
    s->bom++;
    j++;
  }
}

/* Accounts seg bytes of the unfinished record (line end excluded). */
static void account(EdRecScan *s, const char *p, size_t seg) {
  if (seg == 0) return;
  if (s->format == ED_IN_JSONL && !s->rec_content) {
    int64_t skip = s->bom > 0 ? s->bom - s->rec_len : 0;
    for (size_t i = skip > 0 ? (size_t)skip : 0; i < seg; i++) {
      if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
        s->rec_content = true;
        break;
      }
    }
  }
  s->rec_len += (int64_t)seg;
  s->rec_last_cr = p[seg - 1] == '\r';
}

/* Whether the record just ended is a record of data or a header rather
** than a blank line. */
static bool rec_nonblank(const EdRecScan *s) {
  switch (s->format) {
    case ED_IN_CSV: {
      int64_t len = s->rec_len - (s->bom == 3 ? 3 : 0) -
                    (s->rec_last_cr ? 1 : 0);
      return len > 0;
    }
    case ED_IN_JSONL: return s->rec_content;
    case ED_IN_TEXT: break;
  }
  return true;
}

/* Closes the record that ends at s->pos.  Returns true when it was the
** limit-th data record. */
static bool end_record(EdRecScan *s, int64_t limit) {
  bool data = false;
  if (rec_nonblank(s)) {
    if (s->header_pending) s->header_pending = false;
    else data = true;
  }
  s->end = s->pos;
  s->rec_len = 0;
  s->rec_last_cr = false;
  s->rec_content = false;
  s->bom = -1;
  if (!data) return false;
  s->data++;
  return limit > 0 && s->data >= limit;
}

/* Walks record ends in p[0..n) (see stream_internal.h). */
bool ed_recscan_feed(EdRecScan *s, const char *p, size_t n, int64_t limit) {
  if (s->limited) return true;
  size_t i = 0;
  while (i < n) {
    if (s->bom >= 0 && s->bom < 3) match_bom(s, p + i, n - i);
    long k;
    if (s->format == ED_IN_CSV) {
      k = ed_csv_scan(&s->csv_state, p + i, n - i, s->delim);
    } else {
      const char *nl = memchr(p + i, '\n', n - i);
      k = nl ? (long)(nl - (p + i)) + 1 : -1;
    }
    if (k < 0) {
      account(s, p + i, n - i);
      s->pos += (int64_t)(n - i);
      break;
    }
    account(s, p + i, (size_t)k - 1);
    i += (size_t)k;
    s->pos += k;
    if (end_record(s, limit)) {
      s->limited = true;
      return true;
    }
  }
  return false;
}

/* Counts the unterminated last record of an input that ended. */
void ed_recscan_final(EdRecScan *s) {
  if (s->limited || s->pos == s->end) return;
  /* The decoder's flush also drops one '\r' before the end of input. */
  end_record(s, 0);
}

/* ----------------------------------------------------------- feeding */

EdDecoder *ed_src_decoder(const EdSrcConf *c, const EdDecodeOpts *o,
                          const EdSchema *schema, int *arrival_col,
                          EdError *err) {
  *arrival_col = -1;
  bool ext[schema->ncols > 0 ? schema->ncols : 1];
  memset(ext, 0, sizeof ext);
  if (c->include_timestamp) {
    int a = ed_schema_find(schema, "_arrival");
    if (a < 0 || schema->cols[a].type != ED_T_TIMESTAMP) {
      ed_error_set(err, ED_ERR_EXEC, NULL,
                   "include_timestamp = true needs a column _arrival "
                   "TIMESTAMP");
      return NULL;
    }
    ext[a] = true;
    *arrival_col = a;
  }
  EdDecoder *d = ed_decoder_new(o, schema, ext, err);
  if (d && c->read) ed_decoder_prune(d, c->read);
  return d;
}

/* Sets the arrival column of rows [from, out->nrows). */
void ed_src_fill_arrival(EdBatch *out, int col, int from, int64_t t) {
  EdVector *v = &out->cols[col];
  for (int i = from; i < out->nrows; i++) {
    ED_VEC_I64(v)[i] = t;
    ed_vec_set_valid(v, i);
  }
}

/* ed_decoder_feed, then the arrival time on the new rows. */
long ed_src_feed(EdDecoder *d, const char *buf, size_t n, EdBatch *out,
                 int arrival_col, int64_t arrival, EdError *err) {
  int before = out->nrows;
  long k = ed_decoder_feed(d, buf, n, out, err);
  if (arrival_col >= 0) ed_src_fill_arrival(out, arrival_col, before, arrival);
  return k;
}

/* ed_decoder_flush, then the arrival time on the new row. */
int ed_src_flush(EdDecoder *d, EdBatch *out, int arrival_col,
                 int64_t arrival, EdError *err) {
  int before = out->nrows;
  int rc = ed_decoder_flush(d, out, err);
  if (arrival_col >= 0) ed_src_fill_arrival(out, arrival_col, before, arrival);
  return rc;
}

/* pread that retries on EINTR and reads until n bytes or the end. */
static ssize_t read_at(int fd, char *buf, size_t n, int64_t off) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = pread(fd, buf + got, n - got, (off_t)off + (off_t)got);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return -1;
    if (k == 0) break;
    got += (size_t)k;
  }
  return (ssize_t)got;
}

/* Scans a byte range of a file, chunk by chunk, up to the limit. */
int ed_src_scan_fd(int fd, const char *path, int64_t from, int64_t to,
                   EdRecScan *s, int64_t limit, char *buf, size_t bufsz,
                   EdError *err) {
  int64_t off = from;
  s->buf_len = 0;
  while (off < to) {
    size_t want = (size_t)(to - off) < bufsz ? (size_t)(to - off) : bufsz;
    ssize_t k = read_at(fd, buf, want, off);
    if (k < 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
                          path, strerror(errno));
    if (k == 0) {
      /* The file shrank under us: what is gone is not part of the batch.
      ** The scan then ends where the bytes did. */
      break;
    }
    s->buf_from = off;
    s->buf_len = (size_t)k;
    if (ed_recscan_feed(s, buf, (size_t)k, limit)) return 0;
    off += k;
  }
  return 0;
}

/* Takes the scanned chunk as the first read of the range. */
void ed_src_feed_reuse(EdFileFeed *f, const EdRecScan *s) {
  if (s->buf_len == 0 || s->buf_from != f->pos || f->pos >= f->end) return;
  int64_t left = f->end - f->pos;
  f->lo = 0;
  f->hi = (int64_t)s->buf_len < left ? s->buf_len : (size_t)left;
  f->pos += (int64_t)f->hi;
}

/* Feeds the range chunk by chunk; a chunk cut by a full batch is kept
** in f->buf for the next call. */
int ed_src_feed_file(EdFileFeed *f, EdDecoder *d, EdBatch *out,
                     int arrival_col, int64_t arrival, EdError *err) {
  for (;;) {
    if (f->lo == f->hi) {
      if (f->pos >= f->end) return 1;
      int64_t left = f->end - f->pos;
      size_t want = left < (int64_t)ED_SRC_CHUNK ? (size_t)left
                                                  : ED_SRC_CHUNK;
      ssize_t k = read_at(f->fd, f->buf, want, f->pos);
      if (k < 0)
        return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
                            f->path, strerror(errno));
      if (k == 0) {
        /* Truncated since the batch was planned: it ends here. */
        f->end = f->pos;
        return 1;
      }
      f->lo = 0;
      f->hi = (size_t)k;
      f->pos += k;
    }
    long k = ed_src_feed(d, f->buf + f->lo, f->hi - f->lo, out, arrival_col,
                         arrival, err);
    if (k < 0) return -1;
    f->lo += (size_t)k;
    if (f->lo < f->hi || out->nrows == ED_BATCH_CAP) {
      if (f->lo == f->hi && f->pos >= f->end) return 1;
      return 0;
    }
  }
}

/* ----------------------------------------------- parallel file ranges */

void ed_src_par_start(EdParFeed *pf, EdFileFeed *rd, EdDecoder *dec,
                      int64_t from, bool final) {
  pf->par = NULL;
  int threads = ed_pardec_plan(dec, rd->end - from);
  if (threads > 0) {
    pf->par = ed_pardec_start(dec, rd->fd, rd->path, from, rd->end, final,
                              threads, ED_PARDEC_CHUNK);
    pf->from = from;
  }
}

/* When a quoted line break across a chunk cut stops the parallel decode,
** it starts again after that record. */
int ed_src_par_next(EdParFeed *pf, EdFileFeed *rd, EdDecoder *dec,
                    bool final, EdBatch *out, int arrival_col, int64_t t,
                    bool *flushed, EdError *err) {
  for (;;) {
    int from = out->nrows;
    int r = ed_pardec_next(pf->par, out, err);
    if (r > 0) {
      if (arrival_col >= 0) ed_src_fill_arrival(out, arrival_col, from, t);
      return r;
    }
    int64_t resume = ed_pardec_resume_offset(pf->par);
    ed_pardec_free(pf->par);
    pf->par = NULL;
    rd->lo = rd->hi = 0;
    if (r == ED_PARDEC_SEQUENTIAL) {
      rd->pos = resume;
      if (resume > pf->from) ed_src_par_start(pf, rd, dec, resume, final);
      if (pf->par) continue;
    } else if (r == ED_PARDEC_DONE) {
      rd->pos = rd->end;
      *flushed = true;
    }
    return r;
  }
}

void ed_src_par_free(EdParFeed *pf) {
  ed_pardec_free(pf->par);
  pf->par = NULL;
}

/* ----------------------------------------------------------- helpers */

int64_t ed_src_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * ED_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* nanosleep for ms milliseconds; false when a signal interrupted it. */
bool ed_src_sleep_ms(int ms) {
  if (ms <= 0) return true;
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  return nanosleep(&ts, NULL) == 0;
}

/* The next slice of a polling wait (see stream_internal.h). */
int ed_src_wait_step(int timeout_ms, int waited, int step) {
  if (timeout_ms < 0) return step;
  int left = timeout_ms - waited;
  return left <= 0 ? 0 : left < step ? left : step;
}

/* The tighter limit, 0 meaning none. */
int64_t ed_src_limit(int64_t a, int64_t b) {
  if (a <= 0) return b > 0 ? b : 0;
  if (b <= 0) return a;
  return a < b ? a : b;
}

/* printf at the end of the text in buf. */
void ed_src_appendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t n = strlen(buf);
  if (n + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, cap - n, fmt, ap);
  va_end(ap);
}

/* Appends s quoted and escaped for JSON. */
void ed_src_json_str(char *buf, size_t cap, const char *s) {
  size_t n = strlen(buf);
  if (n + 2 >= cap) return;
  buf[n++] = '"';
  for (; *s && n + 8 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      buf[n++] = '\\';
      buf[n++] = (char)c;
    } else if (c < 0x20) {
      n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
    } else {
      buf[n++] = (char)c;
    }
  }
  buf[n++] = '"';
  buf[n] = '\0';
}

/* The shared fields: vtab, table, limits and mode from the options. */
void ed_src_base_init(EdStreamSource *s, const EdSourceVtab *vt,
                      const EdTable *t, const EdSrcConf *c) {
  s->vt = vt;
  s->table = t;
  s->max_rows_per_trigger = c->max_rows;
  s->max_files_per_trigger = c->max_files;
  s->bad_mode = c->dec.mode;
  s->stats.line = 1;
}
