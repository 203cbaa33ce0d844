/*
** tests/unit/sources/src_helpers.h — shared by the streaming source
** tests: catalog entries built from a connector, options and a column
** list; running one micro-batch through a source's vtab and rendering its
** rows as text ("a|b" per row, NULL for nulls, strings as is, timestamps
** and integers as integers); temporary files and directories.
*/
#ifndef ED_SRC_HELPERS_H
#define ED_SRC_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec/batch.h"
#include "exec/memtable.h"
#include "planner/catalog.h"
#include "sources/stream_source.h"
#include "tests/unit/file_helpers.h"
#include "tests/unit/tap.h"

/* Text that grows. */
typedef struct Text {
  char *buf;
  size_t len, cap;
} Text;

static inline void text_add(Text *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    t->cap = (t->len + n + 1) * 2;
    t->buf = realloc(t->buf, t->cap);
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

static inline void text_addf(Text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void text_addf(Text *t, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  text_add(t, tmp, (size_t)n);
}

static inline const char *text_str(Text *t) { return t->buf ? t->buf : ""; }
static inline void text_clear(Text *t) {
  t->len = 0;
  if (t->buf) t->buf[0] = '\0';
}
static inline void text_free(Text *t) {
  free(t->buf);
  t->buf = NULL;
  t->len = t->cap = 0;
}

/* Builds a schema from "name TYPE, name TYPE" (TYPE one of BIGINT,
** DOUBLE, VARCHAR, BOOLEAN, TIMESTAMP). */
static inline void mk_schema(EdSchema *s, const char *spec) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", spec);
  int n = *spec ? 1 : 0;
  for (const char *p = buf; *p; p++) n += *p == ',';
  ed_schema_init(s, n);
  int i = 0;
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
    while (*tok == ' ') tok++;
    char *sp = strchr(tok, ' ');
    *sp = '\0';
    char *ty = sp + 1;
    while (*ty == ' ') ty++;
    size_t tl = strlen(ty);
    while (tl && ty[tl - 1] == ' ') ty[--tl] = '\0';
    EdType t = strcmp(ty, "BIGINT") == 0      ? ED_T_BIGINT
               : strcmp(ty, "DOUBLE") == 0    ? ED_T_DOUBLE
               : strcmp(ty, "BOOLEAN") == 0   ? ED_T_BOOL
               : strcmp(ty, "TIMESTAMP") == 0 ? ED_T_TIMESTAMP
                                              : ED_T_VARCHAR;
    s->cols[i].name = strdup(tok);
    s->cols[i].type = t;
    i++;
  }
}

/* A stream entry: mk_stream("s", "file", "a BIGINT, b VARCHAR",
** "path", "/tmp/x.csv", "format", "csv", NULL). */
static inline EdTable *mk_stream(const char *name, const char *connector,
                                 const char *schema, ...) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup(name);
  t->kind = OBJ_STREAM;
  t->connector = strdup(connector);
  t->wm_col = -1;
  mk_schema(&t->schema, schema);
  t->options = calloc(32, sizeof *t->options);
  t->options[0].key = strdup("connector");
  t->options[0].value = strdup(connector);
  t->noptions = 1;
  va_list ap;
  va_start(ap, schema);
  const char *k;
  while ((k = va_arg(ap, const char *)) != NULL) {
    const char *v = va_arg(ap, const char *);
    t->options[t->noptions].key = strdup(k);
    t->options[t->noptions].value = strdup(v);
    t->noptions++;
  }
  va_end(ap);
  if (strcmp(connector, "memory") == 0) t->mem = ed_memtable_new(&t->schema);
  return t;
}

static inline EdBatch *mk_batch_for(const EdSchema *s) {
  EdType types[64];
  for (int i = 0; i < s->ncols; i++) types[i] = s->cols[i].type;
  return ed_batch_new(s->ncols, types);
}

/* Appends rows [from, b->nrows) of b, one line each. */
static inline void render_rows(Text *t, const EdBatch *b, int from) {
  for (int i = from; i < b->nrows; i++) {
    for (int c = 0; c < b->ncols; c++) {
      const EdVector *v = &b->cols[c];
      if (c) text_add(t, "|", 1);
      if (!ed_vec_valid(v, i)) {
        text_add(t, "NULL", 4);
        continue;
      }
      switch (v->type) {
        case ED_T_BIGINT:
        case ED_T_TIMESTAMP:
          text_addf(t, "%lld", (long long)ED_VEC_I64(v)[i]);
          break;
        case ED_T_DOUBLE: text_addf(t, "%g", ED_VEC_F64(v)[i]); break;
        case ED_T_BOOL:
          text_addf(t, "%s", ED_VEC_BOOL(v)[i] ? "true" : "false");
          break;
        case ED_T_VARCHAR:
          text_add(t, ED_VEC_STR(v)[i].ptr, ED_VEC_STR(v)[i].len);
          break;
        default: text_add(t, "?", 1); break;
      }
    }
    text_add(t, "\n", 1);
  }
}

/* What one micro-batch gave. */
typedef struct Run {
  int rc;                   /* 0, or -1 (err holds the error) */
  bool has_data, ended;
  int64_t rows;
  int nexts;                /* next() calls that returned rows */
  EdError err;
  char start[1024], end[1024];   /* offsets */
} Run;

/* Runs one micro-batch of s: begin_batch, next() until it returns 0 (or
** fails), rows rendered into out (when not NULL), then the offsets. */
static inline Run run_batch(EdStreamSource *s, int64_t max_rows,
                            int64_t max_files, Text *out) {
  Run r;
  memset(&r, 0, sizeof r);
  ed_error_clear(&r.err);
  EdBatch *b = mk_batch_for(&s->table->schema);
  r.rc = s->vt->begin_batch(s, max_rows, max_files, &r.err);
  r.has_data = s->has_data;
  if (r.rc == 0) {
    for (;;) {
      ed_batch_reset(b);
      int k = s->vt->next(s, b, &r.err);
      if (k < 0) {
        r.rc = -1;
        if (out) render_rows(out, b, 0);
        break;
      }
      if (k == 0) break;
      r.nexts++;
      r.rows += k;
      if (out) render_rows(out, b, 0);
    }
  }
  r.ended = s->ended;
  s->vt->offsets(s, r.start, r.end, sizeof r.start);
  ed_batch_free(b);
  return r;
}

/* Files. */
static inline char *tmp_dir(const char *tag) {
  char *path = malloc(96);
  snprintf(path, 96, "/tmp/eddy-src-%s-XXXXXX", tag);
  if (!mkdtemp(path)) abort();
  return path;
}

static inline char *path_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}




static inline int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Opens the source of t, reporting a failure as a test failure. */
static inline EdStreamSource *open_src(const EdTable *t, const char *what) {
  EdError err;
  ed_error_clear(&err);
  EdStreamSource *s = ed_stream_source_open(t, &err);
  if (!TAP_OK(s != NULL, what)) printf("#   error: %s\n", err.msg);
  return s;
}

#endif
