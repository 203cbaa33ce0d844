/*
** sources/src_fdstream.c — a source over a descriptor whose bytes arrive
** over time and cannot be read again: a pipe or terminal on stdin, a TCP
** connection.  Shared by the stdin and socket connectors.
**
** begin_batch reads whatever the descriptor holds now (poll with a zero
** timeout before every read, so it never blocks and the descriptor's
** flags are left alone — stdin may be shared with other processes) into a
** window buffer, up to READ_BUDGET bytes per batch, and scans the window
** for complete records.  The micro-batch ends after the last complete one
** (or the max_rows_per_trigger-th); an unfinished line stays in the
** window until its newline arrives.  When the peer has closed (read
** returned 0) the batch takes everything left, the unterminated last line
** included, and the source ends.
**
** Every read is remembered with its time (a mark), so the rows of a
** record get the time its last byte arrived in _arrival (include_timestamp
** = true).  Rows are decoded straight from the window.
*/
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/par_decode.h"
#include "sources/stream_internal.h"

#define READ_BUDGET (32u << 20)    /* bytes read ahead per begin_batch */
#define READ_MIN (64u << 10)       /* room offered to each read(2) */

typedef struct Mark {
  int64_t end;              /* input offset just past the bytes of a read */
  int64_t t;                /* when they were read (us) */
} Mark;

typedef struct FdSrc {
  EdStreamSource base;
  int fd;
  bool own_fd;
  void (*release)(int fd);  /* called on destroy (stdin's registry) */
  char *name;               /* for messages: "stdin", "host:port" */
  EdDecoder *dec;
  int arrival_col;
  char *buf;                /* window: buf[lo..hi) not yet decoded */
  size_t cap, lo, hi;
  int64_t base_off;         /* input offset of buf[0] */
  Mark *marks;              /* reads not yet fully decoded, in order */
  int mlo, mn, mcap;
  int64_t last_t;
  bool eof;                 /* the descriptor reached its end */
  int64_t b_start, b_end;   /* current micro-batch (input offsets) */
  bool b_final, flushed, drained;
  bool more;                /* complete records or unread bytes wait */
  EdBatch *scratch;         /* takes blank lines and headers of a batch
                               without data */
  EdParDecode *par;         /* a large batch decoded on several threads,
                               straight from the window */
} FdSrc;

/* Moves the undecoded bytes to the front of the window and forgets the
** marks of decoded reads.  Only between batches. */
static void compact(FdSrc *f) {
  int64_t cur = f->base_off + (int64_t)f->lo;
  while (f->mlo < f->mn && f->marks[f->mlo].end <= cur) f->mlo++;
  if (f->mlo > 0) {
    memmove(f->marks, f->marks + f->mlo,
            (size_t)(f->mn - f->mlo) * sizeof(Mark));
    f->mn -= f->mlo;
    f->mlo = 0;
  }
  if (f->lo == 0) return;
  memmove(f->buf, f->buf + f->lo, f->hi - f->lo);
  f->base_off += (int64_t)f->lo;
  f->hi -= f->lo;
  f->lo = 0;
}

/* Remembers that the bytes up to end arrived at time t. */
static void add_mark(FdSrc *f, int64_t end, int64_t t) {
  if (f->mn == f->mcap) {
    f->mcap = f->mcap ? f->mcap * 2 : 16;
    f->marks = ed_realloc(f->marks, (size_t)f->mcap * sizeof(Mark));
  }
  f->marks[f->mn++] = (Mark){end, t};
  f->last_t = t;
}

/* Reads what the descriptor holds now, until budget bytes wait in the
** window.  Returns 1 when it stopped because of the budget, 0 when the
** descriptor had nothing more (or ended), -1 with err set on failure. */
static int read_available(FdSrc *f, size_t budget, EdError *err) {
  for (;;) {
    if (f->eof) return 0;
    if (f->hi - f->lo >= budget) return 1;
    struct pollfd p = {f->fd, POLLIN, 0};
    int r = poll(&p, 1, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read %s: %s",
                          f->name, strerror(errno));
    if (r == 0) return 0;
    if (p.revents & POLLNVAL)
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "cannot read %s: not an open descriptor", f->name);
    if (f->cap - f->hi < READ_MIN) {
      f->cap = f->cap * 2 > f->hi + READ_MIN ? f->cap * 2 : f->hi + READ_MIN;
      f->buf = ed_realloc(f->buf, f->cap);
    }
    ssize_t n = read(f->fd, f->buf + f->hi, f->cap - f->hi);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n < 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read %s: %s",
                          f->name, strerror(errno));
    if (n == 0) {
      f->eof = true;
      return 0;
    }
    f->hi += (size_t)n;
    add_mark(f, f->base_off + (int64_t)f->hi, ed_src_now_us());
  }
}

/* Decodes the blank lines or header that start the window (a batch
** without data) so that they are not scanned again and again. */
static int skip_nondata(FdSrc *f, size_t n, EdError *err) {
  if (n == 0) return 0;
  if (!f->scratch) {
    const EdSchema *sc = &f->base.table->schema;
    EdType types[sc->ncols > 0 ? sc->ncols : 1];
    for (int c = 0; c < sc->ncols; c++) types[c] = sc->cols[c].type;
    f->scratch = ed_batch_new(sc->ncols, types);
  }
  ed_batch_reset(f->scratch);
  long k = ed_decoder_feed(f->dec, f->buf + f->lo, n, f->scratch, err);
  if (k < 0) return -1;
  f->lo += (size_t)k;
  return 0;
}

/* Reads what has arrived and fixes the batch at the last complete
** record (or the limit-th); at the end of the input, takes all. */
static int fd_begin(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                    EdError *err) {
  (void)max_files;
  FdSrc *f = (FdSrc *)s;
  if (!f->drained) {
    s->has_data = true;
    return 0;
  }
  s->has_data = false;
  f->more = false;
  if (s->ended) return 0;
  compact(f);
  int64_t limit = ed_src_limit(max_rows, s->max_rows_per_trigger);
  size_t budget = READ_BUDGET;
  EdRecScan sc;
  int r;
  for (;;) {
    r = read_available(f, budget, err);
    if (r < 0) return -1;
    ed_recscan_init(&sc, f->dec);
    ed_recscan_feed(&sc, f->buf + f->lo, f->hi - f->lo, limit);
    /* A record longer than the budget: read on until it is complete. */
    if (r == 0 || sc.end > 0) break;
    budget *= 2;
  }
  int64_t start = f->base_off + (int64_t)f->lo;
  bool final = false;
  int64_t end = start + sc.end;
  if (!sc.limited && f->eof) {
    ed_recscan_final(&sc);
    end = f->base_off + (int64_t)f->hi;
    final = true;
  }
  f->more = r == 1 || sc.limited;
  f->b_start = start;
  f->b_end = end;
  f->b_final = final;
  f->flushed = false;
  s->has_data = sc.data > 0;
  f->drained = !s->has_data;
  if (final) s->ended = true;
  if (!s->has_data && !final && skip_nondata(f, (size_t)sc.end, err))
    return -1;
  return 0;
}

/* Copies the decoder's counts into the source. */
static void fd_stats(FdSrc *f) {
  f->base.stats = *ed_decoder_stats(f->dec);
  f->base.bad_file = ed_decoder_bad_file(f->dec);
}

/* A batch of 8 MB or more, when rows need no arrival time, is decoded on
** several threads straight from the window (which does not move until
** the batch is drained).  Returns 1 with rows in out, 0 when the rest of
** the batch (if any) is to be fed here, -1 on failure. */
static int fd_par(FdSrc *f, EdBatch *out, EdError *err) {
  int64_t cur = f->base_off + (int64_t)f->lo;
  int threads;
  if (!f->par && cur == f->b_start && f->arrival_col < 0 &&
      (threads = ed_pardec_plan(f->dec, f->b_end - f->b_start)) > 0)
    f->par = ed_pardec_start_mem(f->dec, f->buf + f->lo, f->name, f->b_start,
                                 f->b_end, f->b_final, threads,
                                 ED_PARDEC_CHUNK);
  if (!f->par) return 0;
  int r = ed_pardec_next(f->par, out, err);
  if (r > 0) return 1;
  int64_t resume = ed_pardec_resume_offset(f->par);
  ed_pardec_free(f->par);
  f->par = NULL;
  if (r == ED_PARDEC_FAIL) return -1;
  /* Done: the workers decoded the last record too; else the decoder
  ** stands at resume and the rest is fed here. */
  f->lo = (size_t)((r == ED_PARDEC_DONE ? f->b_end : resume) - f->base_off);
  if (r == ED_PARDEC_DONE && f->b_final) f->flushed = true;
  return 0;
}

/* Decodes the batch's bytes from the window into out until it is full. */
static int fd_next(EdStreamSource *s, EdBatch *out, EdError *err) {
  FdSrc *f = (FdSrc *)s;
  if (f->drained) return 0;
  int before = out->nrows;
  int pr = fd_par(f, out, err);
  if (pr != 0) {
    fd_stats(f);
    return pr < 0 ? -1 : out->nrows - before;
  }
  int64_t cur;
  while ((cur = f->base_off + (int64_t)f->lo) < f->b_end) {
    /* Feed up to the end of the read that brought these bytes, so that
    ** the rows completed by it get its time. */
    while (f->mlo < f->mn && f->marks[f->mlo].end <= cur) f->mlo++;
    int64_t pend = f->b_end, t = f->last_t;
    if (f->mlo < f->mn) {
      if (f->marks[f->mlo].end < pend) pend = f->marks[f->mlo].end;
      t = f->marks[f->mlo].t;
    }
    size_t n = (size_t)(pend - cur);
    long k = ed_src_feed(f->dec, f->buf + f->lo, n, out, f->arrival_col, t,
                         err);
    if (k < 0) {
      fd_stats(f);
      return -1;
    }
    f->lo += (size_t)k;
    if ((size_t)k < n) break;           /* out is full */
  }
  if (cur >= f->b_end) {
    if (f->b_final && !f->flushed && out->nrows < ED_BATCH_CAP) {
      if (ed_src_flush(f->dec, out, f->arrival_col, f->last_t, err)) {
        fd_stats(f);
        return -1;
      }
      f->flushed = true;
    }
    if (!f->b_final || f->flushed) f->drained = true;
  }
  fd_stats(f);
  return out->nrows - before;
}

/* Waits on the descriptor; news are bytes (or the end) that arrived since
** the last begin_batch, or records a limit left waiting. */
static int fd_wait(EdStreamSource *s, int timeout_ms) {
  FdSrc *f = (FdSrc *)s;
  if (s->ended || f->more || !f->drained || f->eof) return 1;
  struct pollfd p = {f->fd, POLLIN, 0};
  int r = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
  if (r < 0) return errno == EINTR ? 0 : -1;
  return r > 0 ? 1 : 0;
}

/* Byte offsets in the input of the batch. */
static void fd_offsets(EdStreamSource *s, char *start, char *end,
                       size_t cap) {
  FdSrc *f = (FdSrc *)s;
  snprintf(start, cap, "{\"offset\": %lld}", (long long)f->b_start);
  snprintf(end, cap, "{\"offset\": %lld}", (long long)f->b_end);
}

/* Closes the descriptor when owned, and frees everything. */
static void fd_destroy(EdStreamSource *s) {
  FdSrc *f = (FdSrc *)s;
  ed_pardec_free(f->par);
  if (f->own_fd && f->fd >= 0) close(f->fd);
  if (f->release) f->release(f->fd);
  ed_decoder_free(f->dec);
  if (f->scratch) ed_batch_free(f->scratch);
  free(f->buf);
  free(f->marks);
  free(f->name);
  free(f);
}

static const EdSourceVtab fd_vtab = {fd_begin, fd_next, fd_wait, fd_offsets,
                                     fd_destroy};

/* Creates the source (see stream_internal.h). */
EdStreamSource *ed_src_fdstream_new(const EdTable *t, const EdSrcConf *c,
                                    const EdDecodeOpts *o, int fd,
                                    bool own_fd, const char *ahead,
                                    size_t nahead, int64_t ahead_us,
                                    bool eof, const char *name,
                                    const char *desc, EdError *err) {
  int arrival;
  EdDecodeOpts dopts = *o;
  dopts.source_name = name;
  EdDecoder *dec = ed_src_decoder(c, &dopts, &t->schema, &arrival, err);
  if (!dec) return NULL;
  FdSrc *f = ed_calloc(1, sizeof *f);
  ed_src_base_init(&f->base, &fd_vtab, t, c);
  f->base.bad_mode = o->mode;
  f->fd = fd;
  f->own_fd = own_fd;
  f->name = ed_strdup(name);
  f->dec = dec;
  f->arrival_col = arrival;
  f->cap = nahead > READ_MIN ? nahead : READ_MIN;
  f->buf = ed_malloc(f->cap);
  if (nahead) {
    memcpy(f->buf, ahead, nahead);
    f->hi = nahead;
    add_mark(f, (int64_t)nahead, ahead_us);
  }
  f->last_t = ahead_us ? ahead_us : ed_src_now_us();
  f->eof = eof;
  f->drained = true;
  snprintf(f->base.description, sizeof f->base.description, "%s", desc);
  return &f->base;
}

/* Sets the destroy hook. */
void ed_src_fdstream_on_destroy(EdStreamSource *s, void (*fn)(int fd)) {
  ((FdSrc *)s)->release = fn;
}
