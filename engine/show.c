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

#include <cjson/cJSON.h>

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
    const EdSchema *cols = &t->schema;
    for (int r = 0; kind == OBJ_SINK && r < env->s->nresults; r++)
      if (strcasecmp(env->s->results[r]->name, t->name) == 0)
        cols = &env->s->results[r]->schema;
    vals[n * 3 + 2] = text_value(columns_text(env->arena, cols));
    n++;
  }
  return ed_emit_rows(env, &sch, vals, n, err);
}

/* A BIGINT value, or NULL when is_null. */
static EdValue int_value(int64_t i, bool is_null) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = ED_T_BIGINT;
  v.u.i = i;
  v.is_null = is_null;
  return v;
}

/* A DOUBLE value, or NULL when is_null. */
static EdValue double_value(double d, bool is_null) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = ED_T_DOUBLE;
  v.u.d = d;
  v.is_null = is_null;
  return v;
}

/* A VARCHAR value copied into the arena, or NULL. */
static EdValue arena_text(EdArena *a, const char *text) {
  if (!text) {
    EdValue v = text_value("");
    v.is_null = true;
    return v;
  }
  return text_value(ed_arena_strdup(a, text));
}

/* SHOW QUERIES: the streaming queries running in the session, in start
** order: name, state (running, or ended when a background query's input
** ended and it was not reported yet), batches run, input rows per second
** and watermark of the last batch (from its progress report), and where
** it writes (a named sink, stdout, or the caller's sink). */
static int show_queries(EdStmtEnv *env, EdError *err) {
  enum { NC = 6 };
  static const char *const names[NC] = {"name", "state", "batches",
                                        "input_rows_per_sec", "watermark",
                                        "sink"};
  static const EdType types[NC] = {ED_T_VARCHAR, ED_T_VARCHAR, ED_T_BIGINT,
                                   ED_T_DOUBLE, ED_T_VARCHAR, ED_T_VARCHAR};
  EdSchema sch = make_schema(env->arena, NC, names, types);
  eddy_session *s = env->s;
  EdValue *vals = ed_arena_alloc(
      env->arena, sizeof(EdValue) * NC * (size_t)(s->nqueries + 1));
  for (int i = 0; i < s->nqueries; i++) {
    EdAttached *a = s->queries[i];
    EdValue *row = vals + NC * i;
    char *p = ed_query_progress_copy(a);
    cJSON *j = p ? cJSON_Parse(p) : NULL;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "batchId");
    const cJSON *rate =
        cJSON_GetObjectItemCaseSensitive(j, "inputRowsPerSecond");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "eventTime");
    const cJSON *wm = cJSON_GetObjectItemCaseSensitive(ev, "watermark");
    row[0] = text_value(a->name);
    row[1] = text_value(a->th && ed_bg_exited(a) ? "ended" : "running");
    row[2] = int_value(cJSON_IsNumber(id) ? (int64_t)id->valuedouble + 1 : 0,
                       false);
    row[3] = double_value(cJSON_IsNumber(rate) ? rate->valuedouble : 0,
                          !cJSON_IsNumber(rate));
    row[4] = arena_text(env->arena,
                        cJSON_IsString(wm) ? wm->valuestring : NULL);
    row[5] = a->sink_name ? arena_text(env->arena, a->sink_name)
                          : text_value(a->sink ? "stdout" : "caller");
    cJSON_Delete(j);
    free(p);
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

/* STOP QUERY name: the query stops gracefully (its running batch
** finishes and its sink commits; no final batch, as a stopped query in
** Spark); its output ends. */
int ed_run_stop_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  eddy_session *s = env->s;
  for (int i = 0; st->name && i < s->nqueries; i++)
    if (strcasecmp(s->queries[i]->name, st->name) == 0)
      return ed_stream_stop(s, i, err);
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "QUERY");
  EdPos p = ed_stmt_ident_pos(env->sql, st, from, st->name);
  return ed_error_set(err, ED_ERR_EXEC, &p, "no running query named \"%s\"",
                      st->name ? st->name : "");
}
