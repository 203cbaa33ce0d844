/*
** tests/slt/slt_engine_eddy.c — the sqllogictest backend that runs SQL
** through an eddy session (engine/session.h).  Query results arrive at an
** EdSink of our own, which renders each value of each active row of each
** batch for the record's type string as it arrives (slt_result.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "exec/batch.h"
#include "sinks/sink.h"
#include "slt_engine.h"

const char *const slt_engine_name = "eddy";

/* The sink that collects a query's rendered values. */
typedef struct SltSink {
  EdSink base;
  SltResult *res;         /* NULL while a statement (not a query) runs */
  const char *types;
  int ntypes;
  int nbegin;             /* result sets started: one per query */
} SltSink;

struct SltEngine {
  eddy_session *session;
  SltSink sink;
  char *buf;              /* the SQL plus ";", reused */
  size_t bufcap;
};

static int sink_begin(EdSink *s, const EdSchema *schema) {
  SltSink *k = (SltSink *)s;
  k->nbegin++;
  if (k->res) k->res->ncols = schema->ncols;
  return 0;
}

/* Renders one value for column type character ch into res. */
static void render_value(SltResult *res, const EdValue *v, char ch) {
  char buf[128];
  if (v->is_null) {
    slt_result_push(res, "NULL");
    return;
  }
  switch (v->type) {
    case ED_T_BOOL: slt_render_int(v->u.b ? 1 : 0, ch, buf, sizeof buf); break;
    case ED_T_BIGINT: slt_render_int(v->u.i, ch, buf, sizeof buf); break;
    case ED_T_DOUBLE: slt_render_double(v->u.d, ch, buf, sizeof buf); break;
    case ED_T_VARCHAR:
      slt_result_push(res, slt_render_text(res, v->u.s.ptr, v->u.s.len, ch));
      return;
    default: {
      /* TIMESTAMP, INTERVAL, WINDOW: their text form, as a string. */
      int n = ed_value_to_text(v, buf, (int)sizeof buf);
      slt_result_push(res, slt_render_text(res, buf, (size_t)n, ch));
      return;
    }
  }
  slt_result_add(res, buf);
}

static int sink_write(EdSink *s, const EdBatch *b) {
  SltSink *k = (SltSink *)s;
  int n = ed_batch_count(b);
  s->rows_written += n;
  if (!k->res) return 0;
  for (int r = 0; r < n; r++) {
    int row = ed_batch_row(b, r);
    for (int c = 0; c < b->ncols; c++) {
      EdValue v;
      ed_batch_get(b, c, row, &v);
      render_value(k->res, &v, c < k->ntypes ? k->types[c] : 'T');
    }
  }
  return 0;
}

static int sink_end(EdSink *s) {
  (void)s;
  return 0;
}

/* The sink is part of the engine struct; nothing to free on its own. */
static void sink_destroy(EdSink *s) {
  (void)s;
}

SltEngine *slt_engine_open(void) {
  SltEngine *e = ed_calloc(1, sizeof *e);
  e->session = eddy_open();
  e->sink.base.begin = sink_begin;
  e->sink.base.write = sink_write;
  e->sink.base.end = sink_end;
  e->sink.base.destroy = sink_destroy;
  return e;
}

void slt_engine_close(SltEngine *e) {
  if (!e) return;
  eddy_close(e->session);
  free(e->buf);
  free(e);
}

int slt_engine_run(SltEngine *e, const char *sql, const char *types,
                   SltResult *res, char *err, size_t cap) {
  size_t n = strlen(sql);
  if (n + 2 > e->bufcap) {
    e->bufcap = 2 * (n + 2);
    e->buf = ed_realloc(e->buf, e->bufcap);
  }
  memcpy(e->buf, sql, n);
  memcpy(e->buf + n, ";", 2);
  if (types) slt_result_reset(res);
  e->sink.res = types ? res : NULL;
  e->sink.types = types;
  e->sink.ntypes = types ? (int)strlen(types) : 0;
  e->sink.nbegin = 0;
  EdError error;
  memset(&error, 0, sizeof error);
  int rc = ed_session_run(e->session, e->buf, &e->sink.base, &error);
  e->sink.res = NULL;
  if (rc != 0) {
    snprintf(err, cap, "%s", error.msg[0] ? error.msg : "(error without a message)");
    return -1;
  }
  if (types && e->sink.nbegin != 1) {
    snprintf(err, cap, "the statement produced %d result sets, not one",
             e->sink.nbegin);
    return -1;
  }
  return 0;
}
