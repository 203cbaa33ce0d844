/*
** sources/src_stdin.c — the built-in `stdin` stream (DESIGN §3): `cat
** x.csv | eddy -e "SELECT ... FROM stdin"`.
**
** The planner needs the stream's columns before any query runs, so
** ed_stdin_prepare reads ahead: it blocks until the first records (or the
** end of the input) are there, takes what else has arrived without
** waiting, detects the format (ed_detect_format) and infers the columns
** (ed_infer_schema_buf) unless --input-format / --schema give them.  The
** bytes read ahead are kept here, per descriptor, and handed to the source
** that ed_stream_source_open opens on the stream, which goes on reading
** the descriptor where read-ahead stopped (src_fdstream.c).  A descriptor
** is read by one source at a time.
*/
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sources/stream_internal.h"

#define AHEAD_MAX_BYTES (8u << 20)
#define AHEAD_MAX_LINES 1001       /* a header and INFER_ROWS rows */
#define MAX_AHEADS 8

/* Bytes read ahead from one descriptor. */
typedef struct Ahead {
  int fd;
  char *buf;
  size_t n, cap;
  bool eof;
  int64_t t;                /* when the last bytes were read */
  bool in_use;              /* a source reads the descriptor now */
} Ahead;

static Ahead aheads[MAX_AHEADS];
static int naheads;

/* The read-ahead state of fd, made on first use. */
static Ahead *ahead_for(int fd, EdError *err) {
  for (int i = 0; i < naheads; i++)
    if (aheads[i].fd == fd) return &aheads[i];
  if (naheads == MAX_AHEADS) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "too many descriptors read as streams (at most %d)",
                 MAX_AHEADS);
    return NULL;
  }
  Ahead *a = &aheads[naheads++];
  memset(a, 0, sizeof *a);
  a->fd = fd;
  return a;
}

/* Lines that end after the first non-blank byte: records, roughly. */
static int count_lines(const char *p, size_t n) {
  if (!p || n == 0) return 0;
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                   p[i] == '\n'))
    i++;
  int lines = 0;
  for (const char *q = p + i; (q = memchr(q, '\n', n - (size_t)(q - p)));
       q++)
    lines++;
  return lines;
}

/* One read(2) into the read-ahead buffer; timeout_ms as for poll (-1:
** block).  Returns 1 when bytes came or the input ended, 0 when nothing
** was there, -1 on failure. */
static int ahead_read_once(Ahead *a, int timeout_ms, EdError *err) {
  struct pollfd p = {a->fd, POLLIN, 0};
  int r = poll(&p, 1, timeout_ms);
  if (r < 0 && errno == EINTR) return 0;
  if (r < 0 || (r > 0 && (p.revents & POLLNVAL)))
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read stdin: %s",
                        r < 0 ? strerror(errno) : "not an open descriptor");
  if (r == 0) return 0;
  if (a->cap - a->n < 65536) {
    a->cap = a->cap ? a->cap * 2 : 1 << 17;
    a->buf = ed_realloc(a->buf, a->cap);
  }
  ssize_t k = read(a->fd, a->buf + a->n, a->cap - a->n);
  if (k < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  if (k < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read stdin: %s",
                        strerror(errno));
  if (k == 0) a->eof = true;
  a->n += (size_t)k;
  a->t = ed_src_now_us();
  return 1;
}

/* Blocks until need lines (see count_lines) are read or the input ends,
** then takes without waiting what else is there, within the limits. */
static int ahead_fill(Ahead *a, int need, EdError *err) {
  while (!a->eof && a->n < AHEAD_MAX_BYTES && count_lines(a->buf, a->n) < need)
    if (ahead_read_once(a, -1, err) < 0) return -1;
  for (;;) {
    if (a->eof || a->n >= AHEAD_MAX_BYTES ||
        count_lines(a->buf, a->n) >= AHEAD_MAX_LINES)
      return 0;
    int r = ahead_read_once(a, 0, err);
    if (r < 0) return -1;
    if (r == 0) return 0;
  }
}

/* Detects the format and infers the columns from the bytes read ahead. */
int ed_src_stdin_resolve(int fd, EdDecodeOpts *o, bool has_format,
                         bool want_schema, EdSchema *schema, EdError *err) {
  Ahead *a = ahead_for(fd, err);
  if (!a) return -1;
  if (a->in_use && (!has_format || want_schema))
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "stdin is already read by another query");
  if (!has_format) {
    if (ahead_fill(a, 1, err)) return -1;
    char delim = ',';
    o->format = ed_detect_format(a->buf, a->n, &delim);
    o->delimiter = delim;
    o->header = true;
  }
  if (!want_schema) return 0;
  if (o->format != ED_IN_TEXT &&
      ahead_fill(a, o->format == ED_IN_CSV && o->header ? 2 : 1, err))
    return -1;
  EdDecodeOpts io = *o;
  io.source_name = "stdin";
  return ed_infer_schema_buf(a->buf ? a->buf : "", a->n, a->eof, &io, schema,
                             err);
}

/* Reads a --input-format value. */
static int parse_format(const char *v, EdInFormat *out, EdError *err) {
  if (strcasecmp(v, "csv") == 0) *out = ED_IN_CSV;
  else if (strcasecmp(v, "jsonl") == 0 || strcasecmp(v, "json") == 0)
    *out = ED_IN_JSONL;
  else if (strcasecmp(v, "text") == 0) *out = ED_IN_TEXT;
  else
    return ed_error_set(err, ED_ERR_USAGE, NULL,
                        "--input-format: unknown format '%s': expected csv, "
                        "jsonl or text",
                        v);
  return 0;
}

/* Appends a WITH option to a catalog entry. */
static void add_option(EdTable *t, const char *key, const char *value) {
  t->options = ed_realloc(t->options,
                          (size_t)(t->noptions + 1) * sizeof *t->options);
  t->options[t->noptions].key = ed_strdup(key);
  t->options[t->noptions].value = ed_strdup(value);
  t->noptions++;
}

/* Builds the stdin catalog entry (see stream_source.h). */
int ed_stdin_prepare_fd(int fd, const char *format, const char *schema_text,
                        EdTable **out, EdError *err) {
  EdDecodeOpts o;
  memset(&o, 0, sizeof o);
  o.format = ED_IN_CSV;
  o.header = true;
  o.delimiter = ',';
  o.mode = ED_BAD_PERMISSIVE;
  o.source_name = "stdin";
  *out = NULL;
  if (format && parse_format(format, &o.format, err)) return -1;
  EdSchema schema;
  ed_schema_init(&schema, 0);
  if (schema_text && ed_schema_parse_text(schema_text, &schema, err))
    return -1;
  if (ed_src_stdin_resolve(fd, &o, format != NULL, schema_text == NULL,
                           &schema, err)) {
    ed_schema_free(&schema);
    return -1;
  }
  /* The declared columns must suit the format (a text stream needs a
  ** VARCHAR column, ...). */
  EdDecoder *check = ed_decoder_new(&o, &schema, NULL, err);
  if (!check) {
    ed_schema_free(&schema);
    err->kind = ED_ERR_USAGE;
    return -1;
  }
  ed_decoder_free(check);
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup("stdin");
  t->kind = OBJ_STREAM;
  t->schema = schema;
  t->connector = ed_strdup("stdin");
  t->wm_col = -1;
  static const char *const fmt_names[] = {"csv", "jsonl", "text"};
  add_option(t, "connector", "stdin");
  add_option(t, "format", fmt_names[o.format]);
  if (o.format == ED_IN_CSV && o.delimiter == '\t')
    add_option(t, "delimiter", "tab");
  if (fd != 0) {
    char num[16];
    snprintf(num, sizeof num, "%d", fd);
    add_option(t, "fd", num);
  }
  *out = t;
  return 0;
}

/* ed_stdin_prepare_fd on descriptor 0. */
int ed_stdin_prepare(const char *format, const char *schema_text,
                     EdTable **out, EdError *err) {
  return ed_stdin_prepare_fd(0, format, schema_text, out, err);
}

/* The source is gone: the descriptor may be read again, from where the
** source stopped (the read-ahead state is forgotten). */
static void release_fd(int fd) {
  for (int i = 0; i < naheads; i++) {
    if (aheads[i].fd != fd) continue;
    free(aheads[i].buf);
    aheads[i] = aheads[--naheads];
    return;
  }
}

/* Opens the source of a stdin stream with the bytes read ahead. */
EdStreamSource *ed_src_stdin_open(const EdTable *t, const EdSrcConf *c,
                                  EdError *err) {
  Ahead *a = ahead_for(c->fd, err);
  if (!a) return NULL;
  if (a->in_use) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "stdin is already read by another query");
    return NULL;
  }
  EdDecodeOpts o = c->dec;
  if (!c->has_format && ed_src_stdin_resolve(c->fd, &o, false, false, NULL,
                                             err))
    return NULL;
  static const char *const fmt_names[] = {"csv", "jsonl", "text"};
  char name[32], desc[64];
  if (c->fd == 0) snprintf(name, sizeof name, "stdin");
  else snprintf(name, sizeof name, "stdin (fd %d)", c->fd);
  snprintf(desc, sizeof desc, "StdinStream[%s]", fmt_names[o.format]);
  EdStreamSource *s =
      ed_src_fdstream_new(t, c, &o, c->fd, false, a->buf, a->n, a->t,
                          a->eof, name, desc, err);
  if (!s) return NULL;
  /* The source owns the bytes read ahead from now on. */
  free(a->buf);
  a->buf = NULL;
  a->n = a->cap = 0;
  a->in_use = true;
  ed_src_fdstream_on_destroy(s, release_fd);
  return s;
}
