/*
** sources/src_file.c — the file connector as a stream: one file, read
** from its start; with follow = true the source keeps watching it for
** appended bytes like `tail -f` and never ends, otherwise it ends after
** the batch that reaches the end of the file.
**
** begin_batch takes the file's size as what is available and scans the
** new bytes for the end of the last complete record (or of the
** max_rows_per_trigger-th one), so a followed file's half-written last
** line waits in the file, not in the decoder, until its newline arrives;
** without follow the end of the file ends the last record.  A file that
** shrinks below the position read (truncated for rewriting) is read again
** from its start.  Offsets are byte positions, always at record
** boundaries, so the source is replayable.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/stream_internal.h"

#define FOLLOW_POLL_MS 50
#define TAIL_CHUNK 65536

typedef struct FileSrc {
  EdStreamSource base;
  char *path;
  bool follow;
  EdDecoder *dec;
  int arrival_col;
  EdFileFeed rd;            /* the batch's byte range being fed */
  int64_t pos;              /* start of the next batch (record boundary) */
  int64_t b_start, b_end;   /* current micro-batch */
  bool b_final;             /* it ends the input: flush at its end */
  bool flushed, drained;
  bool more;                /* a limit left complete records for later */
  int64_t seen_size;        /* file size at the last begin_batch */
  int64_t b_time;           /* arrival time of the batch's rows */
  EdParFeed par;            /* a large batch decoded on several threads */
} FileSrc;

/* Offset just past the last '\n' in [from, to) of the file, or from. */
static int64_t last_line_end(FileSrc *f, int64_t from, int64_t to,
                             EdError *err) {
  int64_t hi = to;
  while (hi > from) {
    int64_t lo = hi - TAIL_CHUNK > from ? hi - TAIL_CHUNK : from;
    ssize_t k = pread(f->rd.fd, f->rd.buf, (size_t)(hi - lo), (off_t)lo);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
                          f->path, strerror(errno));
    if (k < hi - lo) {          /* shrank meanwhile: look again below */
      hi = lo + k;
      continue;
    }
    const char *nl = memrchr(f->rd.buf, '\n', (size_t)k);
    if (nl) return lo + (nl - f->rd.buf) + 1;
    hi = lo;
  }
  return from;
}

/* Decides the end of the micro-batch that starts at f->pos, the file
** being size bytes long; fills sc with the records up to it. */
static int plan_batch(FileSrc *f, int64_t size, int64_t limit, EdRecScan *sc,
                      int64_t *end, bool *final, EdError *err) {
  int fd = f->rd.fd;
  char *buf = f->rd.buf;
  ed_recscan_init(sc, f->dec);
  *final = false;
  if (!f->follow && limit == 0) {
    /* The rest of the file is the last batch; only look for one record
    ** of data. */
    if (ed_src_scan_fd(fd, f->path, f->pos, size, sc, 1, buf, ED_SRC_CHUNK,
                       err))
      return -1;
    if (!sc->limited) ed_recscan_final(sc);
    *end = size;
    *final = true;
    return 0;
  }
  if (f->follow && limit == 0 && f->dec->opts.format != ED_IN_CSV) {
    /* Lines end at any newline: the last one found from the end bounds
    ** the batch without reading it all twice. */
    *end = last_line_end(f, f->pos, size, err);
    if (*end < 0) return -1;
    return ed_src_scan_fd(fd, f->path, f->pos, *end, sc, 1, buf,
                          ED_SRC_CHUNK, err);
  }
  if (ed_src_scan_fd(fd, f->path, f->pos, size, sc, limit, buf,
                     ED_SRC_CHUNK, err))
    return -1;
  if (sc->limited) {
    *end = f->pos + sc->end;
    f->more = true;
  } else if (!f->follow) {
    ed_recscan_final(sc);
    *end = size;
    *final = true;
  } else {
    *end = f->pos + sc->end;
  }
  return 0;
}

/* Fixes the batch: from the last boundary to the file's last complete
** record (or the limit-th, or the end of the file without follow). */
static int file_begin(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                      EdError *err) {
  (void)max_files;
  FileSrc *f = (FileSrc *)s;
  if (!f->drained) {            /* the unread rest of the last batch */
    s->has_data = true;
    return 0;
  }
  s->has_data = false;
  f->more = false;
  if (s->ended) return 0;
  struct stat st;
  if (fstat(f->rd.fd, &st) != 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
                        f->path, strerror(errno));
  int64_t size = st.st_size;
  f->seen_size = size;
  if (size < f->pos) {
    ed_decoder_reset(f->dec, f->path);
    f->pos = 0;
  }
  int64_t limit = ed_src_limit(max_rows, s->max_rows_per_trigger), end;
  bool final;
  EdRecScan sc;
  if (plan_batch(f, size, limit, &sc, &end, &final, err)) return -1;
  f->b_start = f->pos;
  f->b_end = end;
  f->b_final = final;
  f->flushed = false;
  s->has_data = sc.data > 0;
  /* A batch without data is not read: its blank lines or header are
  ** scanned again with what follows them. */
  f->drained = !s->has_data;
  if (final) s->ended = true;
  f->rd.pos = f->pos;
  f->rd.end = end;
  f->rd.lo = f->rd.hi = 0;
  if (s->has_data) ed_src_feed_reuse(&f->rd, &sc);
  f->b_time = ed_src_now_us();
  if (s->has_data) ed_src_par_start(&f->par, &f->rd, f->dec, f->pos, final);
  return 0;
}

/* Copies the decoder's counts into the source. */
static void file_stats(FileSrc *f) {
  f->base.stats = *ed_decoder_stats(f->dec);
  f->base.bad_file = ed_decoder_bad_file(f->dec);
}

/* Decodes the batch's bytes into out until it is full; at the end of a
** file without follow, its unterminated last line too. */
static int file_next(EdStreamSource *s, EdBatch *out, EdError *err) {
  FileSrc *f = (FileSrc *)s;
  if (f->drained) return 0;
  int before = out->nrows;
  int r;
  if (f->par.par) {
    r = ed_src_par_next(&f->par, &f->rd, f->dec, f->b_final, out,
                        f->arrival_col, f->b_time, &f->flushed, err);
    if (r > 0 || r == -1) {
      file_stats(f);
      return r;
    }
  }
  r = ed_src_feed_file(&f->rd, f->dec, out, f->arrival_col, f->b_time, err);
  if (r == 1 && f->b_final && !f->flushed && out->nrows < ED_BATCH_CAP) {
    if (ed_src_flush(f->dec, out, f->arrival_col, f->b_time, err)) r = -1;
    else f->flushed = true;
  }
  file_stats(f);
  if (r < 0) return -1;
  if (r == 1 && (!f->b_final || f->flushed)) {
    f->pos = f->rd.end;
    f->drained = true;
  }
  return out->nrows - before;
}

/* Polls the file's size: news are bytes appended (or a truncation) since
** the last begin_batch. */
static int file_wait(EdStreamSource *s, int timeout_ms) {
  FileSrc *f = (FileSrc *)s;
  if (s->ended || f->more || !f->drained) return 1;
  for (int waited = 0;; waited += FOLLOW_POLL_MS) {
    struct stat st;
    if (fstat(f->rd.fd, &st) != 0) return -1;
    if (st.st_size != f->seen_size) return 1;
    int step = ed_src_wait_step(timeout_ms, waited, FOLLOW_POLL_MS);
    if (step == 0 || !ed_src_sleep_ms(step)) return 0;
  }
}

/* The path and the byte offsets of the batch. */
static void file_offsets(EdStreamSource *s, char *start, char *end,
                         size_t cap) {
  FileSrc *f = (FileSrc *)s;
  char *bufs[2] = {start, end};
  int64_t offs[2] = {f->b_start, f->b_end};
  for (int i = 0; i < 2; i++) {
    bufs[i][0] = '\0';
    ed_src_appendf(bufs[i], cap, "{\"path\": ");
    ed_src_json_str(bufs[i], cap, f->path);
    ed_src_appendf(bufs[i], cap, ", \"offset\": %lld}", (long long)offs[i]);
  }
}

/* Closes the file and frees everything. */
static void file_destroy(EdStreamSource *s) {
  FileSrc *f = (FileSrc *)s;
  ed_src_par_free(&f->par);
  if (f->rd.fd >= 0) close(f->rd.fd);
  ed_decoder_free(f->dec);
  free(f->rd.buf);
  free(f->path);
  free(f);
}

static const EdSourceVtab file_vtab = {file_begin, file_next, file_wait,
                                       file_offsets, file_destroy};

/* Opens the file and its decoder; nothing is read yet. */
EdStreamSource *ed_src_file_open(const EdTable *t, const EdSrcConf *c,
                                 EdError *err) {
  int fd = open(c->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", c->path,
                 strerror(errno));
    return NULL;
  }
  int arrival;
  EdDecodeOpts o = c->dec;
  o.source_name = c->path;
  EdDecoder *dec = ed_src_decoder(c, &o, &t->schema, &arrival, err);
  if (!dec) {
    close(fd);
    return NULL;
  }
  FileSrc *f = ed_calloc(1, sizeof *f);
  ed_src_base_init(&f->base, &file_vtab, t, c);
  f->base.replayable = true;
  f->path = ed_strdup(c->path);
  f->follow = c->follow;
  f->dec = dec;
  f->arrival_col = arrival;
  f->rd.fd = fd;
  f->rd.path = f->path;
  f->rd.buf = ed_malloc(ED_SRC_CHUNK);
  f->drained = true;
  f->seen_size = -1;
  snprintf(f->base.description, sizeof f->base.description,
           "FileStream[%s]", c->path);
  return &f->base;
}

/* ----------------------------------------------------------- listing */

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a directory's data files (see stream_internal.h). */
int ed_src_list_dir(const char *dir, char ***out, EdError *err) {
  DIR *dh = opendir(dir);
  if (!dh)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", dir,
                        strerror(errno));
  int n = 0, cap = 16;
  char **paths = ed_malloc((size_t)cap * sizeof(char *));
  size_t dl = strlen(dir);
  bool slash = dl > 0 && dir[dl - 1] == '/';
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
    size_t len = dl + strlen(e->d_name) + 2;
    char *path = ed_malloc(len);
    snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", e->d_name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
      free(path);
      continue;
    }
    if (n == cap)
      paths = ed_realloc(paths, (size_t)(cap *= 2) * sizeof(char *));
    paths[n++] = path;
  }
  closedir(dh);
  qsort(paths, (size_t)n, sizeof(char *), cmp_paths);
  *out = paths;
  return n;
}
