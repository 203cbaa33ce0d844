/*
** sources/par_decode.c — decoding one byte range of a file on several
** threads (see par_decode.h for the contract and the chunk rule).
**
** The chunks in flight live in a ring of depth slots: chunk k in slot
** k % depth.  Workers take chunk numbers in order but no further than
** depth ahead of the chunk the reader is on, so memory stays bounded
** whatever the range's size; the reader waits for its chunk's slot to be
** ready, hands out its batches, then frees the slot for chunk k + depth.
** Batches circulate through a free list: the reader swaps a decoded
** batch's contents into its own and gives the emptied struct back.
*/
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/par_decode.h"

#define EXTEND_BYTES 65536      /* read past a chunk's end per step */
#define MAX_THREADS 8

typedef struct Chunk {
  bool ready;               /* decoded: the reader may take it */
  EdBatch **batches;        /* decoded rows, in order */
  int nb, cap;
  int taken;                /* batches handed out */
  int copied;               /* rows of batches[taken] copied out so far */
  bool clean;               /* the decoder finished a record at its end */
  int64_t resume;           /* just past its last complete record */
  EdDecodeStats stats;      /* records, bad, line - 1 = lines consumed */
  bool failed;
  EdError err;
} Chunk;

typedef struct Worker {
  struct EdParDecode *p;
  EdDecoder *dec;
  char *buf;                /* file mode: the chunk's bytes */
  size_t cap;
  const char *view;         /* the chunk's bytes: buf, or in mem */
  pthread_t tid;
  bool started;
} Worker;

struct EdParDecode {
  EdDecoder *main;          /* the source's decoder (stands at pos) */
  int fd;                   /* file mode: read with pread */
  const char *mem;          /* memory mode: the bytes of [pos, end) */
  char *path;
  int64_t pos, end;
  bool final;
  size_t chunk;
  int64_t nchunks;
  int ncols;
  EdType *types;
  Worker *workers;
  int nworkers;
  bool threaded;            /* some worker thread started */
  pthread_mutex_t mu;
  pthread_cond_t work_cv;   /* a slot was freed, or stop */
  pthread_cond_t ready_cv;  /* a chunk became ready */
  Chunk *ring;
  int depth;
  int64_t next_chunk;       /* the next chunk a worker takes */
  int64_t cur;              /* the chunk the reader is on */
  bool stop;
  EdBatch **pool;           /* free batches */
  int npool, poolcap;
  bool done;
  int64_t resume;
};

int ed_pardec_threads(void) {
  const char *env = getenv("EDDY_THREADS");
  if (env && *env) {
    long n = strtol(env, NULL, 10);
    if (n >= 1) return n > MAX_THREADS ? MAX_THREADS : (int)n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int ed_pardec_plan(const EdDecoder *d, int64_t bytes) {
  if (bytes < (int64_t)ED_PARDEC_MIN_BYTES || d->opts.mode == ED_BAD_FAILFAST ||
      (d->opts.bad_records_path && d->opts.bad_records_path[0]))
    return 0;
  int threads = ed_pardec_threads();
  return threads > 1 ? threads : 0;
}

/* ---------------------------------------------------------- batches */

/* An empty batch from the free list, or a new one. */
static EdBatch *get_batch(EdParDecode *p) {
  EdBatch *b = NULL;
  pthread_mutex_lock(&p->mu);
  if (p->npool > 0) b = p->pool[--p->npool];
  pthread_mutex_unlock(&p->mu);
  if (!b) return ed_batch_new(p->ncols, p->types);
  ed_batch_reset(b);
  return b;
}

/* Gives b back to the free list. */
static void put_batch(EdParDecode *p, EdBatch *b) {
  pthread_mutex_lock(&p->mu);
  if (p->npool == p->poolcap) {
    p->poolcap = p->poolcap ? p->poolcap * 2 : 64;
    p->pool = ed_realloc(p->pool, (size_t)p->poolcap * sizeof *p->pool);
  }
  p->pool[p->npool++] = b;
  pthread_mutex_unlock(&p->mu);
}

static void chunk_push(Chunk *c, EdBatch *b) {
  if (c->nb == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 32;
    c->batches = ed_realloc(c->batches, (size_t)c->cap * sizeof *c->batches);
  }
  c->batches[c->nb++] = b;
}

/* ---------------------------------------------------------- workers */

/* Reads file bytes [from, to) into w->buf at offset at; returns the bytes
** read (fewer at the end of a file that shrank) or -1. */
static ssize_t read_range(Worker *w, size_t at, int64_t from, int64_t to) {
  size_t want = (size_t)(to - from);
  if (at + want > w->cap) {
    w->cap = (at + want) + (at + want) / 2;
    w->buf = ed_realloc(w->buf, w->cap);
  }
  size_t got = 0;
  while (got < want) {
    ssize_t k = pread(w->p->fd, w->buf + at + got, want - got,
                      (off_t)(from + (int64_t)got));
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return -1;
    if (k == 0) break;
    got += (size_t)k;
  }
  return (ssize_t)got;
}

/* Index just past the first '\n' at or after index from in w->buf, whose
** first len bytes hold the file from offset base; reads on (up to the
** range's end) when the bytes run out.  Returns the index, or len (all
** of the bytes up to the range's end) when there is none; -1 on a read
** error.  *len grows with what was read. */
static long line_end_from(Worker *w, int64_t base, size_t *len, size_t from) {
  EdParDecode *p = w->p;
  for (;;) {
    if (from < *len) {
      const char *nl = memchr(w->view + from, '\n', *len - from);
      if (nl) return (long)(nl - w->view) + 1;
      from = *len;
    }
    int64_t at = base + (int64_t)*len;
    if (at >= p->end) return (long)*len;
    int64_t to = at + EXTEND_BYTES < p->end ? at + EXTEND_BYTES : p->end;
    ssize_t k = read_range(w, *len, at, to);
    if (k < 0) return -1;
    if (k == 0) return (long)*len;
    *len += (size_t)k;
    w->view = w->buf;
  }
}

/* Marks chunk c failed with a read error. */
static void chunk_fail(Worker *w, Chunk *c) {
  c->failed = true;
  ed_error_set(&c->err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
               w->p->path, strerror(errno));
}

/* Feeds b[0..n) to the worker's decoder, pushing full batches to c;
** at the end of final input flushes the last record.  Returns 0 or -1
** (c->err set). */
static int decode_bytes(Worker *w, Chunk *c, const char *b, size_t n,
                        bool flush) {
  EdParDecode *p = w->p;
  EdBatch *out = get_batch(p);
  size_t off = 0;
  while (off < n || (flush && out->nrows == ED_BATCH_CAP)) {
    if (out->nrows == ED_BATCH_CAP) {
      chunk_push(c, out);
      out = get_batch(p);
    }
    if (off == n) break;
    long k = ed_decoder_feed(w->dec, b + off, n - off, out, &c->err);
    if (k < 0) {
      c->failed = true;
      put_batch(p, out);
      return -1;
    }
    off += (size_t)k;
  }
  if (flush && ed_decoder_flush(w->dec, out, &c->err)) {
    c->failed = true;
    put_batch(p, out);
    return -1;
  }
  if (out->nrows > 0) chunk_push(c, out);
  else put_batch(p, out);
  return 0;
}

/* Reads and decodes chunk k into c (see par_decode.h for the cut). */
static void decode_chunk(Worker *w, int64_t k, Chunk *c) {
  EdParDecode *p = w->p;
  bool last = k == p->nchunks - 1;
  int64_t ns = p->pos + k * (int64_t)p->chunk;
  int64_t ne = last ? p->end : ns + (int64_t)p->chunk;
  /* The bytes from one before the nominal start: a chunk begins after a
  ** newline found there or later. */
  int64_t base = k == 0 ? p->pos : ns - 1;
  size_t len;
  if (p->mem) {
    /* Every byte up to the range's end is there: no reading on. */
    w->view = p->mem + (base - p->pos);
    len = (size_t)(p->end - base);
  } else {
    ssize_t got = read_range(w, 0, base, ne);
    if (got < 0) return chunk_fail(w, c);
    len = (size_t)got;
    w->view = w->buf;
  }
  long s = 0;
  if (k > 0 && (s = line_end_from(w, base, &len, 0)) < 0)
    return chunk_fail(w, c);
  long e = (long)len;
  /* The end: past the first newline at or after ne - 1.  When the start
  ** came from that very newline (a record longer than the chunk), the
  ** chunk is empty. */
  if (!last &&
      (e = line_end_from(w, base, &len, (size_t)(ne - 1 - base))) < 0)
    return chunk_fail(w, c);
  EdDecoder *d = w->dec;
  ed_decoder_seek(d, base + s, 1);
  if (k == 0) {
    d->header_pending = p->main->header_pending;
    d->at_input_start = p->main->at_input_start;
  }
  d->stats.records = d->stats.bad = 0;
  if (decode_bytes(w, c, w->view + s, (size_t)(e - s), last && p->final))
    return;
  c->clean = !d->carrying;
  c->resume = ed_decoder_offset(d);
  c->stats = d->stats;
}

/* A worker: takes chunks in order while there are slots free. */
static void *worker_main(void *arg) {
  Worker *w = arg;
  EdParDecode *p = w->p;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->next_chunk < p->nchunks &&
           p->next_chunk - p->cur >= p->depth)
      pthread_cond_wait(&p->work_cv, &p->mu);
    if (p->stop || p->next_chunk >= p->nchunks) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    int64_t k = p->next_chunk++;
    Chunk *c = &p->ring[k % p->depth];
    pthread_mutex_unlock(&p->mu);
    decode_chunk(w, k, c);
    pthread_mutex_lock(&p->mu);
    c->ready = true;
    pthread_cond_broadcast(&p->ready_cv);
    pthread_mutex_unlock(&p->mu);
  }
}

/* ----------------------------------------------------------- reader */

/* Both modes: fd >= 0 reads the file, else mem holds [pos, end). */
static EdParDecode *start(EdDecoder *d, int fd, const char *mem,
                          const char *path, int64_t pos, int64_t end,
                          bool final, int nthreads, size_t chunk_bytes) {
  assert(end > pos && nthreads >= 1 && chunk_bytes > 0);
  EdParDecode *p = ed_calloc(1, sizeof *p);
  p->main = d;
  p->fd = fd;
  p->mem = mem;
  p->path = ed_strdup(path ? path : "input");
  p->pos = pos;
  p->end = end;
  p->final = final;
  p->chunk = chunk_bytes;
  p->nchunks = (end - pos + (int64_t)chunk_bytes - 1) / (int64_t)chunk_bytes;
  p->ncols = d->ncols;
  p->types = ed_malloc(sizeof(EdType) * (size_t)(d->ncols + 1));
  memcpy(p->types, d->types, sizeof(EdType) * (size_t)d->ncols);
  p->depth = 2 * nthreads + 1;
  p->ring = ed_calloc((size_t)p->depth, sizeof *p->ring);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->ready_cv, NULL);
  p->nworkers = nthreads;
  p->workers = ed_calloc((size_t)nthreads, sizeof *p->workers);
  for (int i = 0; i < nthreads; i++) {
    Worker *w = &p->workers[i];
    w->p = p;
    w->dec = ed_decoder_clone(d);
    if (!mem) {
      w->cap = chunk_bytes + EXTEND_BYTES;
      w->buf = ed_malloc(w->cap);
    }
  }
  for (int i = 0; i < nthreads; i++) {
    p->workers[i].started = pthread_create(&p->workers[i].tid, NULL,
                                           worker_main, &p->workers[i]) == 0;
    p->threaded |= p->workers[i].started;
  }
  /* Should no thread start, the reader decodes every chunk itself. */
  return p;
}

EdParDecode *ed_pardec_start(EdDecoder *d, int fd, const char *path,
                             int64_t pos, int64_t end, bool final,
                             int nthreads, size_t chunk_bytes) {
  return start(d, fd, NULL, path, pos, end, final, nthreads, chunk_bytes);
}

EdParDecode *ed_pardec_start_mem(EdDecoder *d, const char *bytes,
                                 const char *name, int64_t pos, int64_t end,
                                 bool final, int nthreads,
                                 size_t chunk_bytes) {
  return start(d, -1, bytes, name, pos, end, final, nthreads, chunk_bytes);
}

/* Adds a finished chunk's counts to the source's decoder. */
static void merge_stats(EdParDecode *p, const Chunk *c) {
  EdDecodeStats *s = &p->main->stats;
  s->records += c->stats.records;
  s->bad += c->stats.bad;
  s->line += c->stats.line - 1;
}

/* Empties the reader's slot for chunk cur + depth. */
static void release_slot(EdParDecode *p, Chunk *c) {
  pthread_mutex_lock(&p->mu);
  c->ready = false;
  c->nb = c->taken = c->copied = 0;
  c->failed = false;
  p->cur++;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
}

/* Waits until chunk p->cur is decoded (decoding it here when no worker
** thread runs). */
static Chunk *wait_chunk(EdParDecode *p) {
  Chunk *c = &p->ring[p->cur % p->depth];
  if (!p->threaded) {
    if (!c->ready) {
      p->next_chunk = p->cur + 1;
      decode_chunk(&p->workers[0], p->cur, c);
      c->ready = true;
    }
    return c;
  }
  pthread_mutex_lock(&p->mu);
  while (!c->ready) pthread_cond_wait(&p->ready_cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
  return c;
}

int ed_pardec_next(EdParDecode *p, EdBatch *out, EdError *err) {
  if (p->done) return ED_PARDEC_DONE;
  for (;;) {
    Chunk *c = wait_chunk(p);
    if (c->taken < c->nb) {
      EdBatch *b = c->batches[c->taken];
      if (out->nrows == 0 && c->copied == 0 && !out->sel && !out->ops) {
        ed_batch_swap(out, b);
        c->taken++;
        put_batch(p, b);
        return out->nrows;
      }
      int consumed = 0;
      int n = ed_batch_append(out, b, c->copied, &consumed);
      c->copied += consumed;
      if (c->copied >= ed_batch_count(b)) {
        c->taken++;
        c->copied = 0;
        put_batch(p, b);
      }
      if (n > 0) return n;
      continue;
    }
    if (c->failed) {
      *err = c->err;
      p->done = true;
      return ED_PARDEC_FAIL;
    }
    merge_stats(p, c);
    bool last = p->cur == p->nchunks - 1;
    if (!c->clean || last) {
      /* Read before the slot is released: a worker may reuse it. */
      bool clean = c->clean;
      int64_t at = clean ? p->end : c->resume;
      release_slot(p, c);
      p->done = true;
      p->resume = at;
      if (at > p->pos) ed_decoder_seek(p->main, at, p->main->stats.line);
      return clean ? ED_PARDEC_DONE : ED_PARDEC_SEQUENTIAL;
    }
    release_slot(p, c);
  }
}

int64_t ed_pardec_resume_offset(const EdParDecode *p) { return p->resume; }

void ed_pardec_free(EdParDecode *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->nworkers; i++) {
    Worker *w = &p->workers[i];
    if (w->started) pthread_join(w->tid, NULL);
    ed_decoder_free(w->dec);
    free(w->buf);
  }
  for (int i = 0; i < p->depth; i++) {
    Chunk *c = &p->ring[i];
    for (int j = c->taken; j < c->nb; j++) ed_batch_free(c->batches[j]);
    free(c->batches);
  }
  for (int i = 0; i < p->npool; i++) ed_batch_free(p->pool[i]);
  free(p->pool);
  free(p->ring);
  free(p->workers);
  free(p->types);
  free(p->path);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->work_cv);
  pthread_cond_destroy(&p->ready_cv);
  free(p);
}
