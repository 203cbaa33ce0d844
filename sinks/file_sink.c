/*
** sinks/file_sink.c — the named file sink: a directory of part files, one
** per micro-batch, each made visible atomically (see named_sink.h).
**
** A batch's rows go through the csv or jsonl writer into a hidden
** temporary file in the directory (".part-<batch>-<run>.<ext>.tmp": the
** directory source and readers skip names that start with '.'); at the
** end of the batch the file is fsynced, renamed to its final name and the
** directory fsynced, and only then is the batch recorded in _batches.
** rename() within one directory is atomic, so a reader sees either no
** part file or the whole of it.  The run number makes the names of a
** second query writing into the same directory differ from the first's.
*/
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "sinks/named_sink.h"

typedef struct FileSink {
  EdSink base;
  char *dir;
  bool jsonl, header;
  char query[64];
  int run;
  EdSchema schema;          /* copy, for the writer of each part file */
  FILE *f;                  /* the running batch's temporary file */
  EdSink *w;                /* its writer */
  char tmp[PATH_MAX];
  char final[PATH_MAX];
  int64_t rows;             /* rows of the running batch */
  int logfd;                /* _batches, O_APPEND */
  int dirfd;
} FileSink;

/* Sets errmsg to "<what> <path>: <strerror>"; returns -1. */
static int fs_fail(FileSink *fs, const char *what, const char *path) {
  snprintf(fs->base.errmsg, sizeof fs->base.errmsg, "file sink: %s %.160s: %s",
           what, path, strerror(errno ? errno : EIO));
  return -1;
}

/* Creates dir and its missing parents (mkdir -p). */
static int make_dirs(const char *dir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s", dir);
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
  struct stat sb;
  if (stat(path, &sb) != 0) return -1;
  if (!S_ISDIR(sb.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

/* One more than the highest run number of the part files in dir
** ("part-<batch>-<run>.<ext>"), 0 when there are none. */
static int next_run(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int run = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    const char *n = e->d_name;
    if (strncmp(n, "part-", 5) != 0) continue;
    const char *p = n + 5;
    while (isdigit((unsigned char)*p)) p++;
    if (*p != '-' || !isdigit((unsigned char)p[1])) continue;
    long r = strtol(p + 1, NULL, 10);
    if (r >= run && r < INT_MAX) run = (int)r + 1;
  }
  closedir(d);
  return run;
}

static int fs_begin(EdSink *s, const EdSchema *schema) {
  FileSink *fs = (FileSink *)s;
  ed_schema_free(&fs->schema);
  ed_schema_copy(&fs->schema, schema);
  return 0;
}

/* Opens the batch's temporary file and its writer. */
static int fs_begin_batch(EdSink *s, int64_t batch_id) {
  FileSink *fs = (FileSink *)s;
  const char *ext = fs->jsonl ? "jsonl" : "csv";
  snprintf(fs->tmp, sizeof fs->tmp, "%s/.part-%lld-%d.%s.tmp", fs->dir,
           (long long)batch_id, fs->run, ext);
  snprintf(fs->final, sizeof fs->final, "%s/part-%lld-%d.%s", fs->dir,
           (long long)batch_id, fs->run, ext);
  fs->rows = 0;
  errno = 0;
  fs->f = fopen(fs->tmp, "w");
  if (!fs->f) return fs_fail(fs, "cannot create", fs->tmp);
  fs->w = fs->jsonl ? ed_sink_jsonl_new(fs->f)
                    : ed_sink_csv_new(fs->f, fs->header);
  fs->w->streaming = false;
  if (fs->w->begin(fs->w, &fs->schema) != 0)
    return fs_fail(fs, "cannot write", fs->tmp);
  return 0;
}

static int fs_write(EdSink *s, const EdBatch *b) {
  FileSink *fs = (FileSink *)s;
  if (!fs->w) return fs_fail(fs, "no batch begun in", fs->dir);
  int n = ed_batch_count(b);
  fs->rows += n;
  s->rows_written += n;
  errno = 0;
  if (fs->w->write(fs->w, b) != 0) return fs_fail(fs, "cannot write", fs->tmp);
  return 0;
}

/* Closes the writer and the temporary file (fsynced when keep). */
static int close_part(FileSink *fs, bool keep) {
  int rc = 0;
  errno = 0;
  if (fs->w) {
    if (fs->w->end(fs->w) != 0) rc = -1;
    fs->w->destroy(fs->w);
    fs->w = NULL;
  }
  if (fs->f) {
    if (fflush(fs->f) != 0) rc = -1;
    if (keep && rc == 0 && fsync(fileno(fs->f)) != 0) rc = -1;
    if (fclose(fs->f) != 0) rc = -1;
    fs->f = NULL;
  }
  return rc;
}

/* Appends the batch's line to _batches and fsyncs it. */
static int log_batch(FileSink *fs, int64_t batch_id, bool with_file) {
  char line[PATH_MAX + 256];
  const char *base = strrchr(fs->final, '/');
  base = base ? base + 1 : fs->final;
  int n = snprintf(line, sizeof line,
                   "{\"batchId\":%lld,\"run\":%d,\"query\":\"%s\","
                   "\"file\":%s%s%s,\"rows\":%lld}\n",
                   (long long)batch_id, fs->run, fs->query,
                   with_file ? "\"" : "", with_file ? base : "null",
                   with_file ? "\"" : "", (long long)fs->rows);
  errno = 0;
  if (write(fs->logfd, line, (size_t)n) != n || fsync(fs->logfd) != 0)
    return fs_fail(fs, "cannot append to", "_batches");
  return 0;
}

/* Commits the batch: the part file becomes visible whole, then the log
** records it.  A batch without rows leaves no file. */
static int fs_end_batch(EdSink *s, int64_t batch_id) {
  FileSink *fs = (FileSink *)s;
  bool keep = fs->rows > 0;
  if (close_part(fs, keep) != 0) {
    unlink(fs->tmp);
    return fs_fail(fs, "cannot write", fs->tmp);
  }
  if (!keep) {
    unlink(fs->tmp);
  } else {
    errno = 0;
    if (rename(fs->tmp, fs->final) != 0)
      return fs_fail(fs, "cannot rename", fs->tmp);
    if (fsync(fs->dirfd) != 0) return fs_fail(fs, "cannot sync", fs->dir);
  }
  return log_batch(fs, batch_id, keep);
}

static int fs_end(EdSink *s) {
  FileSink *fs = (FileSink *)s;
  if (fs->f) {              /* a batch left open: it never committed */
    close_part(fs, false);
    unlink(fs->tmp);
  }
  return 0;
}

static void fs_destroy(EdSink *s) {
  FileSink *fs = (FileSink *)s;
  fs_end(s);
  if (fs->logfd >= 0) close(fs->logfd);
  if (fs->dirfd >= 0) close(fs->dirfd);
  ed_schema_free(&fs->schema);
  free(fs->dir);
  free(fs);
}

EdSink *ed_sink_file_new(const char *dir, bool jsonl, bool header,
                         const char *query, EdError *err) {
  errno = 0;
  if (make_dirs(dir) != 0) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "file sink: cannot create the directory \"%s\": %s", dir,
                 strerror(errno));
    return NULL;
  }
  char log[PATH_MAX];
  snprintf(log, sizeof log, "%s/_batches", dir);
  int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (logfd < 0 || dirfd < 0) {
    ed_error_set(err, ED_ERR_EXEC, NULL, "file sink: cannot open \"%s\": %s",
                 logfd < 0 ? log : dir, strerror(errno));
    if (logfd >= 0) close(logfd);
    if (dirfd >= 0) close(dirfd);
    return NULL;
  }
  FileSink *fs = ed_calloc(1, sizeof *fs);
  fs->base.begin = fs_begin;
  fs->base.write = fs_write;
  fs->base.end = fs_end;
  fs->base.destroy = fs_destroy;
  fs->base.begin_batch = fs_begin_batch;
  fs->base.end_batch = fs_end_batch;
  fs->base.description = jsonl ? "file (jsonl)" : "file (csv)";
  fs->dir = ed_strdup(dir);
  fs->jsonl = jsonl;
  fs->header = header;
  snprintf(fs->query, sizeof fs->query, "%s", query ? query : "");
  for (char *p = fs->query; *p; p++)   /* it goes into a JSON string */
    if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = '_';
  fs->run = next_run(dir);
  fs->logfd = logfd;
  fs->dirfd = dirfd;
  return &fs->base;
}
