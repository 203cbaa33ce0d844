/*
** tests/unit/io/io_helpers.h — small builders shared by the io tests:
** schemas from a text list, batches filled value by value, capturing a
** FILE's output as a string, and temporary directories.
*/
#ifndef ED_IO_HELPERS_H
#define ED_IO_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/batch.h"
#include "planner/catalog.h"
#include "tests/unit/file_helpers.h"

/* Builds a schema from "name TYPE, name TYPE, ...". */
static inline void mk_schema(EdSchema *s, const char *spec) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", spec);
  int n = 1;
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
    while (tl && ty[tl - 1] == ' ') tl--;
    s->cols[i].name = ed_strdup(tok);
    s->cols[i].type = strncmp(ty, "WINDOW", 6) == 0
                          ? ED_T_WINDOW
                          : ed_type_from_name(ty, tl);
    i++;
  }
}

static inline EdBatch *mk_batch(const EdSchema *s) {
  EdType types[64];
  for (int i = 0; i < s->ncols; i++) types[i] = s->cols[i].type;
  return ed_batch_new(s->ncols, types);
}

/* Setters for row i of column c. */
static inline void set_null(EdBatch *b, int c, int i) {
  ed_vec_set_null(&b->cols[c], i);
}
static inline void set_i64(EdBatch *b, int c, int i, int64_t v) {
  ED_VEC_I64(&b->cols[c])[i] = v;
  ed_vec_set_valid(&b->cols[c], i);
}
static inline void set_f64(EdBatch *b, int c, int i, double v) {
  ED_VEC_F64(&b->cols[c])[i] = v;
  ed_vec_set_valid(&b->cols[c], i);
}
static inline void set_bool(EdBatch *b, int c, int i, bool v) {
  ED_VEC_BOOL(&b->cols[c])[i] = v;
  ed_vec_set_valid(&b->cols[c], i);
}
static inline void set_str(EdBatch *b, int c, int i, const char *v) {
  size_t n = strlen(v);
  ED_VEC_STR(&b->cols[c])[i] =
      (EdStr){ed_arena_strndup(&b->arena, v, n), (uint32_t)n};
  ed_vec_set_valid(&b->cols[c], i);
}
static inline void set_win(EdBatch *b, int c, int i, int64_t s, int64_t e) {
  ED_VEC_WIN(&b->cols[c])[i] = (EdWindow){s, e};
  ed_vec_set_valid(&b->cols[c], i);
}

/* Output captured in memory: open with cap_open, read with cap_text. */
typedef struct Capture {
  char *buf;
  size_t len;
  FILE *f;
} Capture;

static inline FILE *cap_open(Capture *c) {
  c->buf = NULL;
  c->len = 0;
  c->f = open_memstream(&c->buf, &c->len);
  return c->f;
}
static inline const char *cap_text(Capture *c) {
  fflush(c->f);
  return c->buf;
}
static inline void cap_close(Capture *c) {
  fclose(c->f);
  free(c->buf);
}

/* A fresh temporary directory under /tmp (path in a static buffer). */
static inline const char *tmp_dir(void) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/eddy-io-XXXXXX");
  if (!mkdtemp(path)) abort();
  return path;
}




#endif
