/*
** sources/infer.c — schema inference and input format detection.
**
** A schema is inferred from the first INFER_ROWS records of an input.
** CSV: the header names the columns (without a header they are _c0, _c1,
** ... as in Spark); JSON lines: the keys of the objects, in order of first
** appearance.  Each column gets the narrowest type that every non-empty
** value fits: BIGINT, then DOUBLE (integers and decimals), TIMESTAMP (any
** text form ed_parse_timestamp accepts), BOOLEAN (true/false), and
** VARCHAR for everything else or when no value was seen.  JSON values
** infer from their JSON type (a string only gives TIMESTAMP or VARCHAR; an
** object or array gives VARCHAR).  Records are split by the decoders' own
** code, so inference sees exactly the fields that decoding will.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sources/decoder.h"

#define INFER_ROWS 1000
#define INFER_MAX_BYTES (64u << 20)

/* What the values of one column looked like. */
enum { SEEN_INT = 1, SEEN_FLOAT = 2, SEEN_TS = 4, SEEN_BOOL = 8,
       SEEN_OTHER = 16 };

typedef struct Col {
  char *name;
  int seen;
} Col;

typedef struct Infer {
  EdDecoder *d;
  Col *cols;
  int ncols, cap;
} Infer;

static int add_col(Infer *in, const char *name, size_t n) {
  if (in->ncols == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 16;
    in->cols = ed_realloc(in->cols, (size_t)in->cap * sizeof(Col));
  }
  Col *c = &in->cols[in->ncols];
  c->name = ed_malloc(n + 1);
  memcpy(c->name, name, n);
  c->name[n] = '\0';
  c->seen = 0;
  return in->ncols++;
}

static EdType type_of(int seen) {
  if (seen == SEEN_INT) return ED_T_BIGINT;
  if (seen && (seen & ~(SEEN_INT | SEEN_FLOAT)) == 0) return ED_T_DOUBLE;
  if (seen == SEEN_TS) return ED_T_TIMESTAMP;
  if (seen == SEEN_BOOL) return ED_T_BOOL;
  return ED_T_VARCHAR;
}

/* Classifies the text of one value. */
static int classify(const char *p, size_t n) {
  int64_t i;
  double d;
  if (ed_dec_parse_bigint(p, n, &i) == 0) return SEEN_INT;
  if (ed_dec_parse_double(p, n, &d) == 0) return SEEN_FLOAT;
  if (ed_parse_timestamp(p, n, &i) == 0) return SEEN_TS;
  while (n && (*p == ' ' || *p == '\t')) p++, n--;
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
  /* Only the words: 0/1 and t/f, which decoding also reads as booleans,
  ** would make a column of small numbers or letters BOOLEAN. */
  if ((n == 4 && strncasecmp(p, "true", 4) == 0) ||
      (n == 5 && strncasecmp(p, "false", 5) == 0))
    return SEEN_BOOL;
  return SEEN_OTHER;
}

/* Text of CSV field f, unescaped when needed (in scratch). */
static const char *field_text(EdDecoder *d, const EdCsvField *f,
                              size_t *n) {
  if (!f->escapes) {
    *n = f->len;
    return f->ptr;
  }
  char *s = ed_dec_scratch(d, f->len + 1);
  size_t k = 0;
  for (size_t i = 0; i < f->len; i++) {
    s[k++] = f->ptr[i];
    if (f->ptr[i] == '"' && i + 1 < f->len && f->ptr[i + 1] == '"') i++;
  }
  *n = k;
  return s;
}

/* Names the columns from the header record (or _cN), making duplicate and
** empty names unique. */
static void csv_names(Infer *in, int nf, bool header) {
  char tmp[32];
  for (int i = 0; i < nf; i++) {
    size_t n = 0;
    const char *name = header ? field_text(in->d, &in->d->fields[i], &n) : "";
    while (n && (*name == ' ' || *name == '\t')) name++, n--;
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t')) n--;
    bool dup = false;
    for (int j = 0; j < in->ncols && n; j++)
      dup |= strlen(in->cols[j].name) == n &&
             strncasecmp(in->cols[j].name, name, n) == 0;
    if (n == 0 || dup) {
      int k = snprintf(tmp, sizeof tmp, "_c%d", i);
      add_col(in, tmp, (size_t)k);
    } else {
      add_col(in, name, n);
    }
  }
}

/* Names the columns and classifies the values of the first records. */
static int infer_csv(Infer *in, const char *buf, size_t n, bool complete,
                     bool header) {
  size_t off = 0;
  int rows = 0;
  bool named = false;
  if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) off = 3;
  while (off < n && rows < INFER_ROWS) {
    int nf, nl;
    size_t used, len;
    bool unterminated;
    if (ed_csv_split(in->d, buf + off, n - off, complete, &nf, &used, &len,
                     &nl, &unterminated) != ED_REC_DONE)
      break;
    off += used;
    if (len == 0) continue;
    if (!named) {
      csv_names(in, nf, header);
      named = true;
      if (header) continue;
    }
    rows++;
    for (int i = 0; i < nf && i < in->ncols; i++) {
      const EdCsvField *f = &in->d->fields[i];
      if (f->len == 0) continue;
      size_t k;
      const char *t = field_text(in->d, f, &k);
      in->cols[i].seen |= classify(t, k);
    }
  }
  return 0;
}

/* ed_json_walk callback: one key of one object. */
static void json_key(void *ctx, const char *key, size_t klen, EdJsonKind kind,
                     const char *v, size_t vlen) {
  Infer *in = ctx;
  int c = -1;
  for (int i = 0; i < in->ncols && c < 0; i++)
    if (strlen(in->cols[i].name) == klen &&
        strncasecmp(in->cols[i].name, key, klen) == 0)
      c = i;
  if (c < 0) c = add_col(in, key, klen);
  int seen = 0;
  switch (kind) {
    case ED_JSON_NULL: return;
    case ED_JSON_INT: {
      int64_t x;
      seen = ed_dec_parse_bigint(v, vlen, &x) == 0 ? SEEN_INT : SEEN_FLOAT;
      break;
    }
    case ED_JSON_FLOAT: seen = SEEN_FLOAT; break;
    case ED_JSON_BOOL: seen = SEEN_BOOL; break;
    case ED_JSON_NESTED: seen = SEEN_OTHER; break;
    case ED_JSON_STRING: {
      int64_t ts;
      seen = memchr(v, '\\', vlen) == NULL &&
                     ed_parse_timestamp(v, vlen, &ts) == 0
                 ? SEEN_TS
                 : SEEN_OTHER;
      break;
    }
  }
  in->cols[c].seen |= seen;
}

/* Collects keys and value kinds of the first objects. */
static int infer_jsonl(Infer *in, const char *buf, size_t n, bool complete) {
  size_t off = 0;
  int rows = 0;
  if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) off = 3;
  while (off < n && rows < INFER_ROWS) {
    const char *nl = memchr(buf + off, '\n', n - off);
    if (!nl && !complete) break;
    size_t len = nl ? (size_t)(nl - (buf + off)) : n - off;
    if (ed_json_walk(in->d, buf + off, len, json_key, in) == 0) rows++;
    off += len + (nl ? 1 : 0);
  }
  return 0;
}

int ed_infer_schema_buf(const char *buf, size_t n, bool complete,
                        const EdDecodeOpts *opts, EdSchema *out,
                        EdError *err) {
  EdSchema empty = {0, NULL};
  EdDecodeOpts o = *opts;
  if (o.format == ED_IN_CSV && !o.delimiter) o.delimiter = ',';
  Infer in = {NULL, NULL, 0, 0};
  if (o.format == ED_IN_TEXT) {
    add_col(&in, "value", 5);
  } else {
    in.d = ed_decoder_new(&o, &empty, NULL, err);
    if (!in.d) return -1;
    if (o.format == ED_IN_CSV) infer_csv(&in, buf, n, complete, o.header);
    else infer_jsonl(&in, buf, n, complete);
    ed_decoder_free(in.d);
  }
  if (in.ncols == 0) {
    free(in.cols);
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "cannot infer a schema from %s: no %s found",
                        opts->source_name ? opts->source_name : "the input",
                        o.format == ED_IN_CSV ? "header or record"
                                              : "JSON object");
  }
  ed_schema_init(out, in.ncols);
  for (int i = 0; i < in.ncols; i++) {
    out->cols[i].name = in.cols[i].name;
    out->cols[i].type = type_of(in.cols[i].seen);
    out->cols[i].table = NULL;
  }
  free(in.cols);
  return 0;
}

/* Reads until INFER_ROWS records (plus a header) are in the buffer, the
** file ends, or INFER_MAX_BYTES were read. */
int ed_infer_schema(const char *path, const EdDecodeOpts *opts,
                    EdSchema *out, EdError *err) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s", path,
                        strerror(errno));
  size_t cap = 1 << 20, n = 0, lines = 0;
  char *buf = ed_malloc(cap);
  bool eof = false;
  while (!eof && lines <= INFER_ROWS + 1 && n < INFER_MAX_BYTES) {
    if (n == cap) buf = ed_realloc(buf, cap *= 2);
    ssize_t k = read(fd, buf + n, cap - n);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      int e = errno;
      close(fd);
      free(buf);
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot read '%s': %s",
                          path, strerror(e));
    }
    if (k == 0) eof = true;
    for (ssize_t i = 0; i < k; i++) lines += buf[n + (size_t)i] == '\n';
    n += (size_t)k;
  }
  close(fd);
  EdDecodeOpts o = *opts;
  if (!o.source_name) o.source_name = path;
  int rc = ed_infer_schema_buf(buf, n, eof, &o, out, err);
  free(buf);
  return rc;
}

/* Guesses the format of an input from its first bytes (see decoder.h). */
EdInFormat ed_detect_format(const char *buf, size_t n, char *delim) {
  size_t i = 0;
  if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                   buf[i] == '\n'))
    i++;
  if (i < n && buf[i] == '{') return ED_IN_JSONL;
  const char *nl = memchr(buf + i, '\n', n - i);
  size_t len = nl ? (size_t)(nl - (buf + i)) : n - i;
  if (memchr(buf + i, ',', len)) {
    if (delim) *delim = ',';
    return ED_IN_CSV;
  }
  if (memchr(buf + i, '\t', len)) {
    if (delim) *delim = '\t';
    return ED_IN_CSV;
  }
  return ED_IN_TEXT;
}
