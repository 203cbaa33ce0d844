/*
** sources/src_directory.c — a directory as a stream (Spark's file source,
** DStream's textFileStream): first every file already there, in name
** order, then each file that appears later, once, in the order the
** listings find them (name order among those found together).  Names
** starting with '.' or '_' are ignored (hidden and temporary files,
** _SUCCESS markers), as are subdirectories.  new_files_only = true skips
** the files present when the source opens.
**
** A file is read whole, at the size it has when a micro-batch picks it:
** producers are expected to write elsewhere and rename the file in.  A
** micro-batch takes at most max_files_per_trigger files; with
** max_rows_per_trigger it stops after that many records, possibly inside
** a file, which the next batch then continues.  Without a format option
** each file's format follows its extension.  The stream never ends.
**
** Files are remembered by name in a hash set, so a file is never read
** twice even when it is modified or the listing order changes.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/stream_internal.h"

#define DIR_POLL_MS 100

/* ---------------------------------------------------------- name set */

typedef struct NameSet {
  char **slots;
  size_t cap, n;
} NameSet;

/* FNV-1a of a path. */
static uint64_t name_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Whether name is in the set. */
static bool set_has(const NameSet *set, const char *name) {
  if (!set->cap) return false;
  size_t mask = set->cap - 1;
  for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
    if (!set->slots[i]) return false;
    if (strcmp(set->slots[i], name) == 0) return true;
  }
}

static void set_put(NameSet *set, const char *name);

/* Doubles the table, moving every name. */
static void set_grow(NameSet *set) {
  NameSet big = {ed_calloc(set->cap ? set->cap * 2 : 64, sizeof(char *)),
                 set->cap ? set->cap * 2 : 64, 0};
  for (size_t i = 0; i < set->cap; i++)
    if (set->slots[i]) {
      set_put(&big, set->slots[i]);
      free(set->slots[i]);
    }
  free(set->slots);
  *set = big;
}

/* Adds a copy of name (known to be absent). */
static void set_put(NameSet *set, const char *name) {
  if ((set->n + 1) * 2 > set->cap) set_grow(set);
  size_t i = name_hash(name) & (set->cap - 1);
  while (set->slots[i]) i = (i + 1) & (set->cap - 1);
  set->slots[i] = ed_strdup(name);
  set->n++;
}

/* Frees the names and the table. */
static void set_free(NameSet *set) {
  for (size_t i = 0; i < set->cap; i++) free(set->slots[i]);
  free(set->slots);
}

/* ------------------------------------------------------------ source */

typedef struct DirSrc {
  EdStreamSource base;
  EdSrcConf conf;
  char *dir;
  EdDecoder *dec[3];        /* by EdInFormat, made when first needed */
  int arrival_col;
  NameSet seen;             /* paths listed once already */
  char **queue;             /* files to read, in order: [qhead, qtail) */
  int qhead, qtail, qcap;
  int64_t resume;           /* bytes of queue[qhead] read already */
  int64_t files_read;       /* files read to their end */
  /* The micro-batch: files queue[qhead .. qhead + nb). */
  int nb, bcap;
  int64_t *bend;            /* where each file's part ends */
  bool *bfinal;             /* ... and whether that is the file's end */
  int64_t b_resume, b_files_read;   /* position at the batch's start */
  int advance;              /* files to drop from the queue (batch done) */
  int cur;                  /* batch file being read */
  EdFileFeed rd;
  EdParFeed par;            /* a large file range decoded on several
                               threads */
  EdDecoder *cur_dec;
  bool cur_flushed, drained, more;
  int64_t b_time;
} DirSrc;

/* Appends a path (owned) to the queue, reusing the room of read files. */
static void queue_push(DirSrc *d, char *path) {
  if (d->qhead > 0 && d->qtail == d->qcap) {
    memmove(d->queue, d->queue + d->qhead,
            (size_t)(d->qtail - d->qhead) * sizeof(char *));
    d->qtail -= d->qhead;
    d->qhead = 0;
  }
  if (d->qtail == d->qcap) {
    d->qcap = d->qcap ? d->qcap * 2 : 64;
    d->queue = ed_realloc(d->queue, (size_t)d->qcap * sizeof(char *));
  }
  d->queue[d->qtail++] = path;
}

/* Lists the directory and queues the files not seen before.  With
** queue false (new_files_only at open) they are only remembered. */
static int refresh(DirSrc *d, bool queue, EdError *err) {
  char **paths;
  int n = ed_src_list_dir(d->dir, &paths, err);
  if (n < 0) return -1;
  for (int i = 0; i < n; i++) {
    if (set_has(&d->seen, paths[i])) {
      free(paths[i]);
      continue;
    }
    set_put(&d->seen, paths[i]);
    if (queue) queue_push(d, paths[i]);
    else free(paths[i]);
  }
  free(paths);
  return 0;
}

/* Decoding options and decoder for a file (its format by extension when
** the stream gives none). */
static EdDecoder *decoder_for(DirSrc *d, const char *path, EdError *err) {
  EdDecodeOpts o = d->conf.dec;
  if (!d->conf.has_format) o.format = ed_src_format_of(path);
  if (!d->dec[o.format]) {
    o.source_name = path;
    d->dec[o.format] = ed_src_decoder(&d->conf, &o, &d->base.table->schema,
                                      &d->arrival_col, err);
  }
  return d->dec[o.format];
}

/* Drops the files the last batch finished from the queue. */
static void apply_advance(DirSrc *d) {
  for (int k = 0; k < d->advance; k++) free(d->queue[d->qhead + k]);
  d->qhead += d->advance;
  d->advance = 0;
  if (d->qhead == d->qtail) d->qhead = d->qtail = 0;
}

/* Adds file queue[qhead + nb] to the batch, read up to end. */
static void batch_add(DirSrc *d, int64_t end, bool final) {
  if (d->nb == d->bcap) {
    d->bcap = d->bcap ? d->bcap * 2 : 16;
    d->bend = ed_realloc(d->bend, (size_t)d->bcap * sizeof(int64_t));
    d->bfinal = ed_realloc(d->bfinal, (size_t)d->bcap * sizeof(bool));
  }
  d->bend[d->nb] = end;
  d->bfinal[d->nb] = final;
  d->nb++;
}

/* Scans the file at path from start for at most *rows_left data records;
** sets *end and *final (false when the limit cut the file). */
static int scan_limited(DirSrc *d, const char *path, int64_t start,
                        int64_t size, int64_t *rows_left, int64_t *end,
                        bool *final, EdError *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", path,
                        strerror(errno));
  EdDecodeOpts o = d->conf.dec;
  if (!d->conf.has_format) o.format = ed_src_format_of(path);
  EdRecScan sc;
  ed_recscan_init_opts(&sc, &o, start == 0);
  int rc = ed_src_scan_fd(fd, path, start, size, &sc, *rows_left, d->rd.buf,
                          ED_SRC_CHUNK, err);
  close(fd);
  if (rc) return -1;
  if (sc.limited && start + sc.end < size) {
    *end = start + sc.end;
    *final = false;
  } else {
    ed_recscan_final(&sc);
    *end = size;
    *final = true;
  }
  *rows_left -= sc.data;
  return 0;
}

/* Picks the queued files of the batch (after listing the directory
** again), within the file limit; with a row limit, scans them to cut the
** batch after that many records. */
static int dir_begin(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                     EdError *err) {
  DirSrc *d = (DirSrc *)s;
  if (!d->drained) {
    s->has_data = true;
    return 0;
  }
  apply_advance(d);
  s->has_data = false;
  if (refresh(d, true, err)) return -1;
  int64_t rows_left = ed_src_limit(max_rows, s->max_rows_per_trigger);
  int64_t files = ed_src_limit(max_files, s->max_files_per_trigger);
  bool by_rows = rows_left > 0;
  d->nb = 0;
  d->b_resume = d->resume;
  d->b_files_read = d->files_read;
  d->more = false;
  for (int i = d->qhead; i < d->qtail; i++) {
    if (files > 0 && d->nb >= files) break;
    const char *path = d->queue[i];
    struct stat st;
    if (stat(path, &st) != 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s",
                          path, strerror(errno));
    int64_t start = i == d->qhead ? d->resume : 0, end = st.st_size;
    bool final = true;
    if (by_rows &&
        scan_limited(d, path, start, st.st_size, &rows_left, &end, &final,
                     err))
      return -1;
    batch_add(d, end, final);
    if (by_rows && rows_left <= 0) break;
  }
  d->more = d->qhead + d->nb < d->qtail ||
            (d->nb > 0 && !d->bfinal[d->nb - 1]);
  s->has_data = d->nb > 0;
  d->drained = d->nb == 0;
  d->cur = 0;
  d->b_time = ed_src_now_us();
  return 0;
}

/* Opens batch file cur and positions its decoder. */
static int open_cur(DirSrc *d, EdError *err) {
  const char *path = d->queue[d->qhead + d->cur];
  int64_t start = d->cur == 0 ? d->b_resume : 0;
  d->cur_dec = decoder_for(d, path, err);
  if (!d->cur_dec) return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", path,
                        strerror(errno));
  /* A file cut by a limit goes on where the same decoder stopped. */
  if (start == 0) ed_decoder_reset(d->cur_dec, path);
  d->rd.fd = fd;
  d->rd.path = path;
  d->rd.pos = start;
  d->rd.end = d->bend[d->cur];
  d->rd.lo = d->rd.hi = 0;
  d->cur_flushed = false;
  ed_src_par_start(&d->par, &d->rd, d->cur_dec, start, d->bfinal[d->cur]);
  return 0;
}

/* Sums the counts of the decoders (the line is the current file's). */
static void dir_stats(DirSrc *d) {
  EdDecodeStats st = {0, 0, 1};
  for (int f = 0; f < 3; f++) {
    if (!d->dec[f]) continue;
    const EdDecodeStats *x = ed_decoder_stats(d->dec[f]);
    st.records += x->records;
    st.bad += x->bad;
    if (ed_decoder_bad_file(d->dec[f]))
      d->base.bad_file = ed_decoder_bad_file(d->dec[f]);
  }
  if (d->cur_dec) st.line = ed_decoder_stats(d->cur_dec)->line;
  d->base.stats = st;
}

/* Marks the batch read: its finished files leave the queue at the next
** begin_batch (offsets still name them until then). */
static void batch_done(DirSrc *d) {
  for (int k = 0; k < d->nb; k++) {
    if (d->bfinal[k]) {
      d->advance++;
      d->files_read++;
      d->resume = 0;
    } else {
      d->resume = d->bend[k];
    }
  }
  d->drained = true;
}

/* Reads the batch's files in order into out until it is full. */
static int dir_next(EdStreamSource *s, EdBatch *out, EdError *err) {
  DirSrc *d = (DirSrc *)s;
  if (d->drained) return 0;
  int before = out->nrows, rc = 0;
  while (d->cur < d->nb) {
    if (d->rd.fd < 0 && open_cur(d, err)) {
      rc = -1;
      break;
    }
    if (d->par.par) {
      int k = ed_src_par_next(&d->par, &d->rd, d->cur_dec, d->bfinal[d->cur],
                              out, d->arrival_col, d->b_time,
                              &d->cur_flushed, err);
      if (k == -1) {
        rc = -1;
        break;
      }
      if (k > 0) {
        if (out->nrows == ED_BATCH_CAP) break;
        continue;
      }
    }
    int r = ed_src_feed_file(&d->rd, d->cur_dec, out, d->arrival_col,
                             d->b_time, err);
    if (r <= 0) {
      rc = r;
      break;
    }
    if (d->bfinal[d->cur] && !d->cur_flushed) {
      if (out->nrows == ED_BATCH_CAP) break;
      if (ed_src_flush(d->cur_dec, out, d->arrival_col, d->b_time, err)) {
        rc = -1;
        break;
      }
      d->cur_flushed = true;
    }
    close(d->rd.fd);
    d->rd.fd = -1;
    d->cur++;
  }
  dir_stats(d);
  if (rc < 0) return -1;
  if (d->cur == d->nb) batch_done(d);
  return out->nrows - before;
}

/* Lists the directory every DIR_POLL_MS until a new file is there. */
static int dir_wait(EdStreamSource *s, int timeout_ms) {
  DirSrc *d = (DirSrc *)s;
  if (d->more || !d->drained) return 1;
  for (int waited = 0;; waited += DIR_POLL_MS) {
    EdError err;
    if (refresh(d, true, &err)) return -1;
    if (d->qtail - d->qhead > d->advance) return 1;
    int step = ed_src_wait_step(timeout_ms, waited, DIR_POLL_MS);
    if (step == 0 || !ed_src_sleep_ms(step)) return 0;
  }
}

/* Files read before the batch, and the files of the batch (see
** stream_source.h). */
static void dir_offsets(EdStreamSource *s, char *start, char *end,
                        size_t cap) {
  DirSrc *d = (DirSrc *)s;
  start[0] = end[0] = '\0';
  ed_src_appendf(start, cap, "{\"files_read\": %lld",
                 (long long)d->b_files_read);
  if (d->b_resume > 0 && d->nb > 0) {
    ed_src_appendf(start, cap, ", \"path\": ");
    ed_src_json_str(start, cap, d->queue[d->qhead]);
    ed_src_appendf(start, cap, ", \"offset\": %lld", (long long)d->b_resume);
  }
  ed_src_appendf(start, cap, "}");
  int64_t done = d->b_files_read;
  for (int k = 0; k < d->nb; k++) done += d->bfinal[k];
  ed_src_appendf(end, cap, "{\"files_read\": %lld, \"files\": [",
                 (long long)done);
  for (int k = 0; k < d->nb; k++) {
    /* Room for the closing text, whatever the paths' lengths. */
    if (strlen(end) + strlen(d->queue[d->qhead + k]) + 64 > cap) break;
    if (k) ed_src_appendf(end, cap, ", ");
    ed_src_json_str(end, cap, d->queue[d->qhead + k]);
  }
  ed_src_appendf(end, cap, "]");
  if (d->nb > 0 && !d->bfinal[d->nb - 1]) {
    ed_src_appendf(end, cap, ", \"path\": ");
    ed_src_json_str(end, cap, d->queue[d->qhead + d->nb - 1]);
    ed_src_appendf(end, cap, ", \"offset\": %lld",
                   (long long)d->bend[d->nb - 1]);
  }
  ed_src_appendf(end, cap, "}");
}

/* Closes the open file and frees everything. */
static void dir_destroy(EdStreamSource *s) {
  DirSrc *d = (DirSrc *)s;
  ed_src_par_free(&d->par);
  if (d->rd.fd >= 0) close(d->rd.fd);
  for (int f = 0; f < 3; f++) ed_decoder_free(d->dec[f]);
  for (int i = d->qhead; i < d->qtail; i++) free(d->queue[i]);
  free(d->queue);
  set_free(&d->seen);
  free(d->bend);
  free(d->bfinal);
  free(d->rd.buf);
  free(d->dir);
  free(d);
}

static const EdSourceVtab dir_vtab = {dir_begin, dir_next, dir_wait,
                                      dir_offsets, dir_destroy};

/* Opens a directory source: lists the directory once (queueing its
** files unless new_files_only). */
EdStreamSource *ed_src_directory_open(const EdTable *t, const EdSrcConf *c,
                                      EdError *err) {
  DirSrc *d = ed_calloc(1, sizeof *d);
  ed_src_base_init(&d->base, &dir_vtab, t, c);
  d->base.replayable = true;
  d->conf = *c;
  d->dir = ed_strdup(c->path);
  d->arrival_col = -1;
  d->rd.fd = -1;
  d->rd.buf = ed_malloc(ED_SRC_CHUNK);
  d->drained = true;
  snprintf(d->base.description, sizeof d->base.description,
           "DirectoryStream[%s]", c->path);
  /* Check the schema against the stream's format now rather than at the
  ** first file. */
  if (c->has_format && !decoder_for(d, c->path, err)) {
    dir_destroy(&d->base);
    return NULL;
  }
  if (refresh(d, !c->new_files_only, err)) {
    dir_destroy(&d->base);
    return NULL;
  }
  return &d->base;
}
