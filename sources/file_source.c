/*
** sources/file_source.c — the file connector as a bounded table: decode
** options from a table's WITH clause, and a scan that reads the file (or
** every file of a directory) and pushes its rows as batches.
**
** Files are read with large read(2) calls into one buffer that the
** decoder parses in place; full batches go to the consumer as soon as they
** fill, so memory stays at one buffer and one batch whatever the size of
** the file.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/decoder.h"

#define READ_BUFSZ (1 << 20)

/* ---------------------------------------------------------------- options */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int bad_option(EdError *err, const char *key, const char *value,
                      const char *accepted) {
  return ed_error_set(err, ED_ERR_BIND, NULL,
                      "invalid value '%s' for option %s: expected %s", value,
                      key, accepted);
}

/* Fills opts from the WITH options of t.  Defaults: the format follows
** the path's extension (.jsonl/.json/.ndjson: jsonl, .txt/.log: text,
** otherwise csv), header true, delimiter ',', mode PERMISSIVE. */
int ed_decode_opts_from_table(const EdTable *t, EdDecodeOpts *opts,
                              EdError *err) {
  const char *path = ed_table_option(t, "path");
  memset(opts, 0, sizeof *opts);
  opts->format = ED_IN_CSV;
  if (path && (ends_with(path, ".jsonl") || ends_with(path, ".json") ||
               ends_with(path, ".ndjson")))
    opts->format = ED_IN_JSONL;
  else if (path && (ends_with(path, ".txt") || ends_with(path, ".log")))
    opts->format = ED_IN_TEXT;
  opts->header = true;
  opts->delimiter = ',';
  opts->mode = ED_BAD_PERMISSIVE;
  opts->source_name = path ? path : t->name;
  const char *v;
  if ((v = ed_table_option(t, "format")) != NULL) {
    if (strcasecmp(v, "csv") == 0) opts->format = ED_IN_CSV;
    else if (strcasecmp(v, "jsonl") == 0 || strcasecmp(v, "json") == 0)
      opts->format = ED_IN_JSONL;
    else if (strcasecmp(v, "text") == 0) opts->format = ED_IN_TEXT;
    else return bad_option(err, "format", v, "csv, jsonl, json or text");
  }
  if ((v = ed_table_option(t, "header")) != NULL) {
    if (strcasecmp(v, "true") == 0) opts->header = true;
    else if (strcasecmp(v, "false") == 0) opts->header = false;
    else return bad_option(err, "header", v, "true or false");
  }
  if ((v = ed_table_option(t, "delimiter")) != NULL) {
    if (strcmp(v, "\\t") == 0 || strcasecmp(v, "tab") == 0) {
      opts->delimiter = '\t';
    } else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' &&
               v[0] != '\r') {
      opts->delimiter = v[0];
    } else {
      return bad_option(err, "delimiter", v,
                        "one character other than a quote or a line break "
                        "(or '\\t')");
    }
  }
  if ((v = ed_table_option(t, "mode")) != NULL) {
    if (strcasecmp(v, "permissive") == 0) opts->mode = ED_BAD_PERMISSIVE;
    else if (strcasecmp(v, "dropmalformed") == 0)
      opts->mode = ED_BAD_DROPMALFORMED;
    else if (strcasecmp(v, "failfast") == 0) opts->mode = ED_BAD_FAILFAST;
    else
      return bad_option(err, "mode", v,
                        "PERMISSIVE, DROPMALFORMED or FAILFAST");
  }
  if ((v = ed_table_option(t, "bad_records_path")) != NULL) {
    if (!*v) return bad_option(err, "bad_records_path", v, "a directory");
    opts->bad_records_path = v;
  }
  return 0;
}

/* ------------------------------------------------------------------ scan */

typedef struct Scan {
  EdExecCtx *ctx;
  EdOp *consumer;
  EdDecoder *dec;
  EdBatch *batch;
  char *buf;
} Scan;

/* Pushes the batch when it holds rows, then empties it. */
static int push_batch(Scan *s) {
  if (s->batch->nrows == 0) return 0;
  if (s->consumer->vt->push(s->consumer, 0, s->batch) != 0) return -1;
  ed_batch_reset(s->batch);
  if (s->ctx->interrupted)
    return ed_error_set(&s->ctx->err, ED_ERR_EXEC, NULL, "interrupted");
  return 0;
}

/* Decodes one file into batches. */
static int scan_file(Scan *s, const char *path) {
  EdError *err = &s->ctx->err;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", path,
                        strerror(errno));
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  ed_decoder_reset(s->dec, path);
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, s->buf, READ_BUFSZ);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s", path,
                        strerror(errno));
      break;
    }
    if (n == 0) break;
    size_t off = 0;
    while (off < (size_t)n && rc == 0) {
      long k = ed_decoder_feed(s->dec, s->buf + off, (size_t)n - off,
                               s->batch, err);
      if (k < 0) rc = -1;
      else off += (size_t)k;
      if (rc == 0 && s->batch->nrows == ED_BATCH_CAP) rc = push_batch(s);
    }
    if (rc) break;
  }
  close(fd);
  if (rc == 0 && s->batch->nrows == ED_BATCH_CAP) rc = push_batch(s);
  if (rc == 0) rc = ed_decoder_flush(s->dec, s->batch, err);
  return rc;
}

/* Prints the end-of-scan warning for malformed records of one input. */
static void warn_bad(const EdDecoder *d, const EdDecodeOpts *o, int64_t bad,
                     const char *name) {
  if (bad == 0 || o->mode == ED_BAD_FAILFAST) return;
  const char *bf = ed_decoder_bad_file(d);
  fprintf(stderr, "warning: %s: %lld malformed record%s %s (mode %s)%s%s\n",
          name, (long long)bad, bad == 1 ? "" : "s",
          o->mode == ED_BAD_PERMISSIVE ? "kept as NULLs" : "dropped",
          o->mode == ED_BAD_PERMISSIVE ? "PERMISSIVE" : "DROPMALFORMED",
          bf ? "; written to " : "", bf ? bf : "");
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the data files of directory dir (regular files whose names do not
** start with '.' or '_', as Spark skips _SUCCESS and hidden files), sorted
** by name.  Returns the count, or -1 with err set. */
static int list_dir(const char *dir, char ***out, EdError *err) {
  DIR *dh = opendir(dir);
  if (!dh)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", dir,
                        strerror(errno));
  int n = 0, cap = 16;
  char **names = ed_malloc((size_t)cap * sizeof(char *));
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    char *path = ed_malloc(len);
    snprintf(path, len, "%s%s%s", dir,
             dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
      free(path);
      continue;
    }
    if (n == cap) names = ed_realloc(names, (size_t)(cap *= 2) * sizeof(char *));
    names[n++] = path;
  }
  closedir(dh);
  qsort(names, (size_t)n, sizeof(char *), cmp_names);
  *out = names;
  return n;
}

/* Scans the file (or directory of files) of a file-connector table; see
** file_source.h. */
int ed_file_scan(EdExecCtx *ctx, const EdTable *t, EdOp *consumer,
                 EdDecodeStats *stats) {
  EdDecodeOpts opts;
  EdDecodeStats total = {0, 0, 0};
  if (ed_decode_opts_from_table(t, &opts, &ctx->err)) return -1;
  const char *path = ed_table_option(t, "path");
  if (!path || !*path)
    return ed_error_set(&ctx->err, ED_ERR_EXEC, NULL,
                        "table %s has no path option", t->name);
  if (t->schema.ncols == 0)
    return ed_error_set(&ctx->err, ED_ERR_EXEC, NULL,
                        "table %s has no columns", t->name);
  struct stat st;
  if (stat(path, &st) != 0)
    return ed_error_set(&ctx->err, ED_ERR_EXEC, NULL, "cannot open '%s': %s",
                        path, strerror(errno));
  char **files = NULL;
  int nfiles = 1;
  if (S_ISDIR(st.st_mode)) {
    nfiles = list_dir(path, &files, &ctx->err);
    if (nfiles < 0) return -1;
  }
  Scan s = {ctx, consumer, NULL, NULL, NULL};
  s.dec = ed_decoder_new(&opts, &t->schema, NULL, &ctx->err);
  int rc = s.dec ? 0 : -1;
  if (rc == 0) {
    EdType *types = ed_malloc((size_t)t->schema.ncols * sizeof(EdType));
    for (int c = 0; c < t->schema.ncols; c++)
      types[c] = t->schema.cols[c].type;
    s.batch = ed_batch_new(t->schema.ncols, types);
    free(types);
    s.buf = ed_malloc(READ_BUFSZ);
  }
  for (int i = 0; rc == 0 && i < nfiles; i++) {
    const char *file = files ? files[i] : path;
    int64_t bad_before = s.dec ? ed_decoder_stats(s.dec)->bad : 0;
    rc = scan_file(&s, file);
    if (rc == 0)
      warn_bad(s.dec, &opts, ed_decoder_stats(s.dec)->bad - bad_before, file);
  }
  if (s.dec) total = *ed_decoder_stats(s.dec);
  if (rc == 0) rc = push_batch(&s);
  if (rc == 0) rc = consumer->vt->finish(consumer, 0);
  if (stats) *stats = total;
  ed_decoder_free(s.dec);
  if (s.batch) ed_batch_free(s.batch);
  free(s.buf);
  for (int i = 0; files && i < nfiles; i++) free(files[i]);
  free(files);
  return rc;
}
