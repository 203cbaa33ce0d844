/*
** engine/show.c — SHOW TABLES | STREAMS | SINKS | QUERIES and STOP QUERY,
** and the helper that sends a small result made by the engine itself
** (rather than by a query plan) through the same writers as a query.
**
** SHOW QUERIES lists the streaming queries that run in the session
** (over memory streams); STOP QUERY stops one of them.
*/
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/batch.h"

int ed_emit_rows(EdStmtEnv *env, const EdSchema *schema,
                 const EdValue *values, int nrows, EdError *err) {
  int ncols = schema->ncols;
  EdType *types = ed_arena_alloc(env->arena,
                                 sizeof(EdType) * (size_t)(ncols ? ncols : 1));
  for (int c = 0; c < ncols; c++) types[c] = schema->cols[c].type;
  bool owned = false;
  EdSink *sink = ed_env_sink(env, &owned);
  EdBatch *b = ed_batch_new(ncols, types);
  int rc = sink->begin(sink, schema);
  for (int r = 0; rc == 0 && r < nrows;) {
    ed_batch_reset(b);
    int n = 0;
    for (; r < nrows && n < ED_BATCH_CAP; r++, n++)
      for (int c = 0; c < ncols; c++)
        ed_vector_put(b, c, n, &values[(size_t)r * (size_t)ncols + c]);
    b->nrows = n;
    rc = sink->write(sink, b);
  }
  if (rc == 0) rc = sink->end(sink);
  ed_batch_free(b);
  if (owned) sink->destroy(sink);
  if (rc != 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot write the result");
  return 0;
}

/* A schema of n columns named and typed as given, in the arena. */
static EdSchema make_schema(EdArena *a, int n, const char *const *names,
                            const EdType *types) {
  EdSchema s;
  s.ncols = n;
  s.cols = ed_arena_alloc(a, sizeof(EdColumn) * (size_t)n);
  for (int i = 0; i < n; i++) {
    s.cols[i].name = ed_arena_strdup(a, names[i]);
    s.cols[i].type = types[i];
    s.cols[i].table = NULL;
  }
  return s;
}

/* A VARCHAR value pointing at text (not copied). */
static EdValue text_value(const char *text) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = ED_T_VARCHAR;
  v.u.s.ptr = text;
  v.u.s.len = (uint32_t)strlen(text);
  return v;
}

/* "id BIGINT, name VARCHAR" for a schema, in the arena. */
static char *columns_text(EdArena *a, const EdSchema *s) {
  size_t n = 1;
  for (int i = 0; i < s->ncols; i++)
    n += strlen(s->cols[i].name) + strlen(ed_type_name(s->cols[i].type)) + 3;
  char *out = ed_arena_alloc(a, n);
  char *p = out;
  *p = 0;
  for (int i = 0; i < s->ncols; i++)
    p += sprintf(p, "%s%s %s", i ? ", " : "", s->cols[i].name,
                 ed_type_name(s->cols[i].type));
  return out;
}

/* SHOW TABLES / STREAMS / SINKS: name, connector, columns of each object
** of that kind, in creation order. */
static int show_objects(EdStmtEnv *env, EdObjKind kind, EdError *err) {
  static const char *const names[] = {"name", "connector", "columns"};
  static const EdType types[] = {ED_T_VARCHAR, ED_T_VARCHAR, ED_T_VARCHAR};
  EdSchema sch = make_schema(env->arena, 3, names, types);
  EdCatalog *cat = &env->s->catalog;
  EdValue *vals = ed_arena_alloc(env->arena,
                                 sizeof(EdValue) * 3 * (size_t)(cat->n + 1));
  int n = 0;
  for (int i = 0; i < cat->n; i++) {
    const EdTable *t = cat->tables[i];
    if (t->kind != kind) continue;
    vals[n * 3 + 0] = text_value(t->name);
    vals[n * 3 + 1] = text_value(t->connector ? t->connector : "memory");
    vals[n * 3 + 2] = text_value(columns_text(env->arena, &t->schema));
    n++;
  }
  return ed_emit_rows(env, &sch, vals, n, err);
}

/* Micro-batches a query has run: its last progress report's batchId + 1
** (0 before the first). */
static int64_t batches_run(const char *progress) {
  const char *k = progress ? strstr(progress, "\"batchId\"") : NULL;
  if (!k) return 0;
  k = strchr(k, ':');
  return k ? strtoll(k + 1, NULL, 10) + 1 : 0;
}

/* SHOW QUERIES: the streaming queries running in the session (those over
** memory streams, which run as rows are inserted), in start order. */
static int show_queries(EdStmtEnv *env, EdError *err) {
  static const char *const names[] = {"name", "state", "batches", "sink"};
  static const EdType types[] = {ED_T_VARCHAR, ED_T_VARCHAR, ED_T_BIGINT,
                                 ED_T_VARCHAR};
  EdSchema sch = make_schema(env->arena, 4, names, types);
  eddy_session *s = env->s;
  EdValue *vals = ed_arena_alloc(env->arena,
                                 sizeof(EdValue) * 4 * (size_t)(s->nqueries + 1));
  for (int i = 0; i < s->nqueries; i++) {
    const EdAttached *a = s->queries[i];
    EdValue *row = vals + 4 * i;
    row[0] = text_value(a->name);
    row[1] = text_value("running");
    memset(&row[2], 0, sizeof row[2]);
    row[2].type = ED_T_BIGINT;
    row[2].u.i = batches_run(ed_stream_query_last_progress(a->q));
    row[3] = text_value(a->sink ? "stdout" : "caller");
  }
  return ed_emit_rows(env, &sch, vals, s->nqueries, err);
}

int ed_run_show(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  switch (st->show) {
    case SHOW_TABLES: return show_objects(env, OBJ_TABLE, err);
    case SHOW_STREAMS: return show_objects(env, OBJ_STREAM, err);
    case SHOW_SINKS: return show_objects(env, OBJ_SINK, err);
    case SHOW_QUERIES: return show_queries(env, err);
  }
  return ed_error_set(err, ED_ERR_BIND, &st->pos, "unknown SHOW statement");
}

/* STOP QUERY name: the query stops where it is (no final batch, as a
** stopped query in Spark); its output ends. */
int ed_run_stop_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  eddy_session *s = env->s;
  for (int i = 0; st->name && i < s->nqueries; i++)
    if (strcasecmp(s->queries[i]->name, st->name) == 0) {
      ed_stream_stop(s, i);
      return 0;
    }
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "QUERY");
  EdPos p = ed_stmt_ident_pos(env->sql, st, from, st->name);
  return ed_error_set(err, ED_ERR_EXEC, &p, "no running query named \"%s\"",
                      st->name ? st->name : "");
}
