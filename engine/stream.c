/*
** engine/stream.c — queries, batch and streaming, as the session runs them
** (DESIGN §3, §4, §8; docs/STREAMING.md).
**
** A SELECT is planned with the session's defaults (output_mode, trigger,
** state_ttl).  A batch query runs to completion into the statement's
** sink.  A streaming query gets a writer of its own and a trigger loop
** (exec/stream_query.h):
**   - over memory streams only, it is attached to the session and the
**     statement returns at once; each INSERT INTO one of its streams runs
**     it over the new rows before the INSERT returns, and the end of the
**     script (eddy_finish) ends its input: a final batch with the
**     watermark at +infinity, then its output ends;
**   - over any other source (file, directory, socket, rate, stdin) the
**     statement runs it until its input ends, its trigger says stop, or
**     the session is interrupted (Ctrl-C), which ends it after the
**     running batch.
** An attached query keeps its plan in an arena of its own and holds a
** reference to the script whose text and AST the plan points into.
**
** The built-in stream `stdin` enters the catalog the first time a query
** names it: its format and columns come from --input-format / --schema or
** from the bytes read ahead (sources/stream_source.h).
*/
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/executor.h"
#include "sources/stream_source.h"

/* ------------------------------------------------------------ defaults */

void ed_session_plan_defaults(eddy_session *s, EdPlanDefaults *d) {
  memset(d, 0, sizeof *d);
  d->mode = EMIT_DEFAULT;
  d->trigger = TRIGGER_DEFAULT;
  const char *m = s->settings[ED_SET_OUTPUT_MODE];
  if (m) {
    if (strcmp(m, "complete") == 0) d->mode = EMIT_COMPLETE;
    else if (strcmp(m, "update") == 0) d->mode = EMIT_UPDATE;
    else if (strcmp(m, "append") == 0) d->mode = EMIT_APPEND;
    else if (strcmp(m, "changes") == 0) d->mode = EMIT_CHANGES;
  } else if (s->format == ED_FMT_CHANGELOG) {
    d->mode = EMIT_CHANGES;   /* a changelog of a stream is its changes */
  }
  const char *t = s->settings[ED_SET_TRIGGER];
  int64_t us = 0;
  if (t && strcmp(t, "once") == 0) {
    d->trigger = TRIGGER_ONCE;
  } else if (t && strcmp(t, "available now") == 0) {
    d->trigger = TRIGGER_AVAILABLE_NOW;
  } else if (t && ed_parse_interval(t, strlen(t), NULL, &us) == 0) {
    d->trigger = TRIGGER_PROCESSING_TIME;
    d->trigger_interval_us = us;
  }
  const char *ttl = s->settings[ED_SET_STATE_TTL];
  if (ttl && strcmp(ttl, "0") != 0 &&
      ed_parse_interval(ttl, strlen(ttl), NULL, &us) == 0)
    d->state_ttl_us = us;
}

/* ------------------------------------------------------ public setters */

void eddy_set_progress(eddy_session *s, FILE *f) { s->progress = f; }

void eddy_set_stdin(eddy_session *s, int data_ok, const char *format,
                    const char *schema) {
  s->stdin_mode = data_ok ? ED_STDIN_DATA : ED_STDIN_SQL;
  free(s->stdin_format);
  free(s->stdin_schema);
  s->stdin_format = format ? ed_strdup(format) : NULL;
  s->stdin_schema = schema ? ed_strdup(schema) : NULL;
}

/* ---------------------------------------------------------- stdin stream */

/* The FROM item of q (or of a query nested in its FROM clauses) that names
** `stdin`, or NULL. */
static const EdAstFrom *from_stdin(const EdAstFrom *f);

static const EdAstFrom *query_stdin(const EdAstQuery *q) {
  if (!q) return NULL;
  for (int i = 0; i < q->selects.n; i++) {
    const EdAstSelect *sel = q->selects.items[i];
    const EdAstFrom *f = from_stdin(sel->from);
    if (f) return f;
  }
  return NULL;
}

static const EdAstFrom *from_stdin(const EdAstFrom *f) {
  if (!f) return NULL;
  switch (f->kind) {
    case FROM_TABLE:
      return f->name && strcasecmp(f->name, "stdin") == 0 ? f : NULL;
    case FROM_SUBQUERY: return query_stdin(f->query);
    case FROM_JOIN: {
      const EdAstFrom *l = from_stdin(f->left);
      return l ? l : from_stdin(f->right);
    }
  }
  return NULL;
}

int ed_stream_prepare_stdin(EdStmtEnv *env, const EdAstQuery *q,
                            EdError *err) {
  eddy_session *s = env->s;
  const EdAstFrom *f = query_stdin(q);
  if (!f || ed_catalog_find(&s->catalog, "stdin")) return 0;
  if (s->stdin_mode == ED_STDIN_SQL)
    return ed_error_set(err, ED_ERR_BIND, &f->pos,
                        "the stream \"stdin\" cannot be read here: standard "
                        "input holds the SQL being run; give the SQL with -e "
                        "or -f to read data from stdin");
  if (s->stdin_mode != ED_STDIN_DATA)
    return ed_error_set(err, ED_ERR_BIND, &f->pos,
                        "no table or stream named \"stdin\": this session "
                        "does not read standard input as a stream "
                        "(eddy_set_stdin)");
  EdTable *t = NULL;
  if (ed_stdin_prepare(s->stdin_format, s->stdin_schema, &t, err) != 0)
    return -1;
  if (ed_catalog_add(&s->catalog, t) != 0) {
    ed_table_free(t);
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "cannot add the stream \"stdin\" to the catalog");
  }
  return 0;
}

/* ------------------------------------------------------ attached queries */

/* True when the plan under p names t (a scan of it). */
static bool plan_names(const EdPlan *p, const EdTable *t) {
  if (!p) return false;
  if ((p->kind == PLAN_SCAN) && p->table == t) return true;
  return plan_names(p->left, t) || plan_names(p->right, t);
}

/* Frees a query's own memory: the stream query, its sink, its plan, its
** hold on the script. */
static void attached_free(EdAttached *a) {
  if (a->q) ed_stream_query_free(a->q);
  if (a->sink) a->sink->destroy(a->sink);
  if (a->arena) {
    ed_arena_free(a->arena);
    free(a->arena);
  }
  ed_script_release(a->script);
  free(a);
}

/* Removes the i-th attached query from the session's list (keeping the
** start order of the others) and returns it. */
static EdAttached *detach(eddy_session *s, int i) {
  EdAttached *a = s->queries[i];
  memmove(&s->queries[i], &s->queries[i + 1],
          sizeof *s->queries * (size_t)(s->nqueries - i - 1));
  s->nqueries--;
  return a;
}

/* Adds a to the session's running queries, after the others. */
static void attach(eddy_session *s, EdAttached *a) {
  if (s->nqueries == s->qcap) {
    s->qcap = s->qcap ? s->qcap * 2 : 4;
    s->queries = ed_realloc(s->queries, sizeof *s->queries * (size_t)s->qcap);
  }
  s->queries[s->nqueries++] = a;
}

/* Prefixes a query failure with the query's name. */
static int query_failed(const EdAttached *a, const EdError *e, EdError *err) {
  return ed_error_set(err, e->kind ? e->kind : ED_ERR_EXEC, NULL,
                      "query %s: %s", a->name,
                      e->msg[0] ? e->msg : "the query failed");
}

int ed_stream_inserted(eddy_session *s, const EdTable *t, EdError *err) {
  int rc = 0;
  for (int i = 0; i < s->nqueries;) {
    EdAttached *a = s->queries[i];
    if (!plan_names(a->plan, t)) {
      i++;
      continue;
    }
    EdError e;
    ed_error_clear(&e);
    if (ed_stream_query_run_available(a->q, &e) == 0) {
      i++;
      continue;
    }
    /* A failed query stops: its output ends where it failed. */
    if (rc == 0) rc = query_failed(a, &e, err);
    attached_free(detach(s, i));
  }
  fflush(s->out ? s->out : stdout);
  return rc;
}

int ed_stream_finish_reading(eddy_session *s, const EdTable *t,
                             EdError *err) {
  int rc = 0;
  for (int i = 0; i < s->nqueries;) {
    EdAttached *a = s->queries[i];
    if (t && !plan_names(a->plan, t)) {
      i++;
      continue;
    }
    EdError e;
    ed_error_clear(&e);
    if (ed_stream_query_finish(a->q, &e) != 0 && rc == 0)
      rc = query_failed(a, &e, err);
    attached_free(detach(s, i));
  }
  fflush(s->out ? s->out : stdout);
  return rc;
}

void ed_stream_stop(eddy_session *s, int i) {
  attached_free(detach(s, i));
  fflush(s->out ? s->out : stdout);
}

int eddy_finish(eddy_session *s) {
  if (!s || s->nqueries == 0) return EDDY_OK;
  EdError err;
  ed_error_clear(&err);
  if (ed_stream_finish_reading(s, NULL, &err) == 0) return EDDY_OK;
  s->last_err = err;
  FILE *diag = s->diag ? s->diag : stderr;
  fflush(s->out ? s->out : stdout);
  ed_error_print(diag, &err, "", NULL);
  fflush(diag);
  return EDDY_ERROR;
}

/* --------------------------------------------------------------- queries */

/* A batch query: runs the plan to completion into the statement's sink
** (the changelog writer marks every row +I). */
static int run_batch(EdStmtEnv *env, const EdPlan *physical, EdError *err) {
  bool owned = false;
  EdSink *sink = ed_env_sink(env, &owned);
  if (!sink)
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "the output format is not available");
  EdExecCtx *ctx = ed_env_ctx(env);
  int rc = ed_exec_run(ctx, physical, sink, NULL, NULL);
  if (owned) sink->destroy(sink);
  return rc == 0 ? 0 : ed_env_exec_error(env, err);
}

/* The sink of a streaming query: the caller's, or a writer of the
** session's format that the query owns (*owned).  The rows of EMIT
** CHANGES get their op column in every format (the changelog writer adds
** it itself). */
static EdSink *stream_sink(EdStmtEnv *env, const EdStreamInfo *info,
                           bool *owned, EdError *err) {
  EdSink *sink = ed_env_sink(env, owned);
  if (!sink) {
    ed_error_set(err, ED_ERR_EXEC, NULL, "the output format is not available");
    return NULL;
  }
  if (*owned && info->mode == EMIT_CHANGES &&
      env->s->format != ED_FMT_CHANGELOG)
    sink = ed_changelog_sink_new(sink);
  return sink;
}

/* Starts a streaming query: attaches it when it reads only memory
** streams, else runs it to its end.  a holds the plan (in a->arena) and
** takes the query's sink; it is freed here unless attached. */
static int start_stream(EdStmtEnv *env, EdAttached *a,
                        const EdStreamInfo *info, EdError *err) {
  eddy_session *s = env->s;
  bool owned = false;
  EdSink *sink = stream_sink(env, info, &owned, err);
  if (!sink) {
    attached_free(a);
    return -1;
  }
  a->sink = owned ? sink : NULL;
  EdStreamOpts opts = {.progress = s->progress, .name = a->name};
  a->q = ed_stream_query_new(a->plan, info, sink, &opts, err);
  if (!a->q) {
    attached_free(a);
    return -1;
  }
  if (ed_stream_query_is_memory_driven(a->q)) {
    a->script = env->script;
    a->script->refs++;
    attach(s, a);
    /* Rows inserted before the query started are its first batch. */
    EdError e;
    ed_error_clear(&e);
    if (ed_stream_query_run_available(a->q, &e) != 0) {
      query_failed(a, &e, err);
      attached_free(detach(s, s->nqueries - 1));
      return -1;
    }
    return 0;
  }
  int rc = ed_stream_query_run(a->q, &s->interrupt, err);
  attached_free(a);
  return rc;
}

int ed_run_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  eddy_session *s = env->s;
  if (ed_stream_prepare_stdin(env, st->query, err) != 0) return -1;
  EdAttached *a = ed_calloc(1, sizeof *a);
  a->arena = ed_malloc(sizeof *a->arena);
  ed_arena_init(a->arena, 16384);
  EdPlanDefaults defaults;
  ed_session_plan_defaults(s, &defaults);
  EdStreamInfo *info = ed_arena_alloc(a->arena, sizeof *info);
  EdPlan *logical = NULL, *physical = NULL;
  if (ed_plan_query_stream(&s->catalog, st->query, env->sql, a->arena,
                           &defaults, &logical, &physical, info, err) != 0) {
    attached_free(a);
    return -1;
  }
  a->plan = physical;
  if (!info->streaming) {
    int rc = run_batch(env, physical, err);
    attached_free(a);
    return rc;
  }
  const char *ck = s->settings[ED_SET_CHECKPOINT];
  if (ck) {
    attached_free(a);
    return ed_error_set(err, ED_ERR_PLAN, &st->pos,
                        "checkpoints are not supported yet "
                        "(checkpoint_location is '%s'): run the query "
                        "without --checkpoint and checkpoint_location",
                        ck);
  }
  snprintf(a->name, sizeof a->name, "q%d", ++s->query_seq);
  return start_stream(env, a, info, err);
}

/* ------------------------------------------------------------ listing */

int ed_session_query_count(eddy_session *s) { return s->nqueries; }

const char *ed_session_query_name(eddy_session *s, int i) {
  return i >= 0 && i < s->nqueries ? s->queries[i]->name : NULL;
}

const char *ed_session_query_progress(eddy_session *s, int i) {
  if (i < 0 || i >= s->nqueries) return NULL;
  return ed_stream_query_last_progress(s->queries[i]->q);
}
