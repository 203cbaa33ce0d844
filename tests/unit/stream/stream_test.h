/*
** tests/unit/stream/stream_test.h — fixtures of the trigger-loop tests:
** a catalog of memory streams and tables, rows appended to them from
** text, streaming queries planned from SQL (ed_parse +
** ed_plan_query_stream), and a sink that records what it is told as
** text, one event per line:
**
**     begin a,b             begin(schema): the column names
**     [3                    begin_batch(3)
**     x|1                   a row (values in eddy's text form, NULL as
**                           "NULL"; prefixed "+I " etc. when the batch
**                           carries ops)
**     ]3                    end_batch(3)
**     end                   end()
**
** Optional hooks let a test act at the start or end of a batch (append
** rows, interrupt the run, look at the clock).
*/
#ifndef ED_STREAM_TEST_H
#define ED_STREAM_TEST_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/arena.h"
#include "exec/memtable.h"
#include "exec/stream_query.h"
#include "parser/ast.h"
#include "planner/catalog.h"
#include "planner/plan.h"
#include "sinks/sink.h"
#include "tests/unit/tap.h"

#define SEC ED_USEC_PER_SEC

static EdCatalog st_cat;
static EdArena st_arena;

/* ------------------------------------------------------------ catalog */

/* A catalog object with columns "name TYPE, name TYPE" and, for a memory
** connector, row storage. */
static inline EdTable *st_object(const char *name, EdObjKind kind,
                                 const char *conn, const char *cols) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup(name);
  t->kind = kind;
  t->connector = strdup(conn);
  t->wm_col = -1;
  int n = 0;
  for (const char *p = cols; *p; p++) n += *p == ',';
  n = *cols ? n + 1 : 0;
  ed_schema_init(&t->schema, n);
  char *copy = strdup(cols), *save = NULL;
  int i = 0;
  for (char *tok = strtok_r(copy, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    char *sp = strchr(tok, ' ');
    t->schema.cols[i].name = strndup(tok, (size_t)(sp - tok));
    t->schema.cols[i].type = ed_type_from_name(sp + 1, strlen(sp + 1));
    i++;
  }
  free(copy);
  if (strcmp(conn, "memory") == 0) t->mem = ed_memtable_new(&t->schema);
  ed_catalog_add(&st_cat, t);
  return t;
}

/* A memory stream; wm names its watermark column (or NULL). */
static inline EdTable *st_stream(const char *name, const char *cols,
                                 const char *wm, int64_t delay_us) {
  EdTable *t = st_object(name, OBJ_STREAM, "memory", cols);
  if (wm) {
    t->wm_col = ed_schema_find(&t->schema, wm);
    t->wm_delay_us = delay_us;
  }
  return t;
}

/* Appends a connector option. */
static inline void st_option(EdTable *t, const char *key, const char *value) {
  t->options = realloc(t->options,
                       (size_t)(t->noptions + 1) * sizeof *t->options);
  t->options[t->noptions].key = strdup(key);
  t->options[t->noptions].value = strdup(value);
  t->noptions++;
}

/* Appends one row given as text fields separated by '|' ("NULL" for a
** NULL), converted by the column types. */
static inline void st_row(EdTable *t, const char *fields) {
  int n = t->schema.ncols;
  EdValue *row = calloc((size_t)(n ? n : 1), sizeof *row);
  char *copy = strdup(fields), *p = copy;
  for (int c = 0; c < n; c++) {
    char *bar = strchr(p, '|');
    if (bar) *bar = 0;
    EdValue *v = &row[c];
    v->type = t->schema.cols[c].type;
    if (strcmp(p, "NULL") == 0) {
      v->is_null = true;
    } else {
      switch (v->type) {
        case ED_T_BIGINT: v->u.i = strtoll(p, NULL, 10); break;
        case ED_T_DOUBLE: v->u.d = strtod(p, NULL); break;
        case ED_T_BOOL: v->u.b = strcmp(p, "true") == 0; break;
        case ED_T_TIMESTAMP:
          if (ed_parse_timestamp(p, strlen(p), &v->u.i) != 0)
            printf("# bad timestamp %s\n", p);
          break;
        default: v->u.s = (EdStr){p, (uint32_t)strlen(p)}; break;
      }
    }
    p = bar ? bar + 1 : p + strlen(p);
  }
  ed_memtable_append_row(t->mem, row);
  free(copy);
  free(row);
}

/* ------------------------------------------------------------ the sink */

typedef struct Rec Rec;
struct Rec {
  EdSink base;
  char *text;
  size_t len, cap;
  int writes;                 /* write() calls */
  int max_write;              /* most rows in one write() */
  /* hooks */
  void (*on_begin_batch)(Rec *r, int64_t id);
  void (*on_end_batch)(Rec *r, int64_t id);
  void *user;
};

static inline void rec_put(Rec *r, const char *s) {
  size_t n = strlen(s);
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    r->text = realloc(r->text, r->cap);
  }
  memcpy(r->text + r->len, s, n + 1);
  r->len += n;
}

static inline int rec_begin(EdSink *s, const EdSchema *schema) {
  Rec *r = (Rec *)s;
  rec_put(r, "begin ");
  for (int c = 0; c < schema->ncols; c++) {
    if (c) rec_put(r, ",");
    rec_put(r, schema->cols[c].name ? schema->cols[c].name : "?");
  }
  rec_put(r, "\n");
  return 0;
}

static inline int rec_write(EdSink *s, const EdBatch *b) {
  Rec *r = (Rec *)s;
  int n = ed_batch_count(b);
  r->writes++;
  if (n > r->max_write) r->max_write = n;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    if (b->ops) {
      rec_put(r, ed_row_op_name((EdRowOp)b->ops[i]));
      rec_put(r, " ");
    }
    for (int c = 0; c < b->ncols; c++) {
      EdValue v;
      char buf[256];
      ed_batch_get(b, c, i, &v);
      ed_value_to_text(&v, buf, sizeof buf);
      if (c) rec_put(r, "|");
      rec_put(r, buf);
    }
    rec_put(r, "\n");
  }
  s->rows_written += n;
  return 0;
}

static inline int rec_end(EdSink *s) {
  rec_put((Rec *)s, "end\n");
  return 0;
}

static inline int rec_begin_batch(EdSink *s, int64_t id) {
  Rec *r = (Rec *)s;
  char buf[32];
  snprintf(buf, sizeof buf, "[%lld\n", (long long)id);
  rec_put(r, buf);
  if (r->on_begin_batch) r->on_begin_batch(r, id);
  return 0;
}

static inline int rec_end_batch(EdSink *s, int64_t id) {
  Rec *r = (Rec *)s;
  char buf[32];
  snprintf(buf, sizeof buf, "]%lld\n", (long long)id);
  rec_put(r, buf);
  if (r->on_end_batch) r->on_end_batch(r, id);
  return 0;
}

static inline void rec_destroy(EdSink *s) {
  free(((Rec *)s)->text);
}

static inline void rec_init(Rec *r) {
  memset(r, 0, sizeof *r);
  r->base.begin = rec_begin;
  r->base.write = rec_write;
  r->base.end = rec_end;
  r->base.destroy = rec_destroy;
  r->base.begin_batch = rec_begin_batch;
  r->base.end_batch = rec_end_batch;
  r->base.description = "recorder";
  rec_put(r, "");
}

/* Returns the recorded text and starts a new one (the caller frees). */
static inline char *rec_take(Rec *r) {
  char *t = strdup(r->text ? r->text : "");
  r->len = 0;
  if (r->text) r->text[0] = 0;
  return t;
}

/* Forgets the recorded text. */
static inline void rec_clear(Rec *r) {
  r->len = 0;
  if (r->text) r->text[0] = 0;
}

/* Checks the recorded text since the last take and forgets it. */
#define REC_IS(r, want, name)              \
  do {                                     \
    char *got_ = rec_take(r);              \
    TAP_EQ_STR(got_, want, name);          \
    free(got_);                            \
  } while (0)

/* ------------------------------------------------------------ queries */

typedef struct StQuery {
  EdStreamQuery *q;
  EdPlan *physical;
  EdStreamInfo info;
  EdError err;
} StQuery;

/* Plans sql (one SELECT) as a streaming query and starts it into the
** sink.  q is NULL on failure (err says why). */
static inline StQuery st_start(const char *sql, EdSink *sink,
                               const EdStreamOpts *opts) {
  StQuery s;
  memset(&s, 0, sizeof s);
  EdAstList stmts = {0};
  if (ed_parse(&st_arena, sql, &stmts, &s.err) != 0 || stmts.n != 1) {
    printf("# parse failed: %s\n", s.err.msg);
    return s;
  }
  EdPlan *logical = NULL;
  if (ed_plan_query_stream(&st_cat, ((EdAstStmt *)stmts.items[0])->query, sql, &st_arena,
                           NULL, &logical, &s.physical, &s.info,
                           &s.err) != 0) {
    printf("# planning failed: %s\n", s.err.msg);
    return s;
  }
  s.q = ed_stream_query_new(s.physical, &s.info, sink, opts, &s.err);
  if (!s.q) printf("# start failed: %s\n", s.err.msg);
  return s;
}

/* run_available, reporting a failure. */
static inline int st_run(StQuery *s) {
  int rc = ed_stream_query_run_available(s->q, &s->err);
  if (rc) printf("# run_available failed: %s\n", s->err.msg);
  return rc;
}

/* Monotonic clock in milliseconds. */
static inline double st_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#endif
