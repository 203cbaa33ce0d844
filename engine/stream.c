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
#include "engine/session.h"

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

/* Counts the stream scans under p: all of them, and those of memory
** streams. */
static void count_streams(const EdPlan *p, int *all, int *memory) {
  if (!p) return;
  if (p->phys == PHYS_STREAM_SCAN && p->table) {
    (*all)++;
    const char *c = p->table->connector;
    if (!c || strcmp(c, "memory") == 0) (*memory)++;
  }
  count_streams(p->left, all, memory);
  count_streams(p->right, all, memory);
}

/* Frees a query's own memory: the stream query, its sink, its plan, its
** hold on the script, its progress and output buffers. */
static void attached_free(EdAttached *a) {
  if (a->q) ed_stream_query_free(a->q);
  if (a->sink) a->sink->destroy(a->sink);
  ed_bg_free(a);
  if (a->arena) {
    ed_arena_free(a->arena);
    free(a->arena);
  }
  ed_script_release(a->script);
  free(a->sql);
  free(a->sink_name);
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

/* Writes out what queries produced: the console queue in background
** mode, else a flush of the session's output. */
static void flush_output(eddy_session *s) {
  if (s->background) ed_console_flush(s);
  fflush(s->out ? s->out : stdout);
}

int ed_stream_inserted(eddy_session *s, const EdTable *t, EdError *err) {
  int rc = 0;
  /* Background: every query on t gets the batch at once; they run in
  ** parallel and are waited for in start order. */
  for (int i = 0; i < s->nqueries; i++) {
    EdAttached *a = s->queries[i];
    if (a->th && a->memory_driven && plan_names(a->plan, t))
      ed_bg_post(a, ED_BG_RUN);
  }
  for (int i = 0; i < s->nqueries;) {
    EdAttached *a = s->queries[i];
    if (!a->memory_driven || !plan_names(a->plan, t)) {
      i++;
      continue;
    }
    EdError e;
    ed_error_clear(&e);
    int r = a->th ? ed_bg_wait(s, a, &e)
                  : ed_stream_query_run_available(a->q, &e);
    if (a->th) ed_bg_publish(s, a);
    if (r == 0) {
      i++;
      continue;
    }
    /* A failed query stops: its output ends where it failed. */
    if (rc == 0) rc = query_failed(a, &e, err);
    if (a->th) ed_bg_end(s, a, ED_BG_STOP, NULL);
    attached_free(detach(s, i));
  }
  flush_output(s);
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
    int r = a->th ? ed_bg_end(s, a, ED_BG_FINISH, &e)
                  : ed_stream_query_finish(a->q, &e);
    if (r != 0 && rc == 0) rc = query_failed(a, &e, err);
    attached_free(detach(s, i));
    flush_output(s);
  }
  flush_output(s);
  return rc;
}

int ed_stream_stop(eddy_session *s, int i, EdError *err) {
  EdAttached *a = s->queries[i];
  EdError e;
  ed_error_clear(&e);
  int r;
  if (a->th) {
    r = ed_bg_end(s, a, ED_BG_STOP, &e);
  } else {
    volatile int now = 1;   /* ends the sink after the last batch run */
    r = ed_stream_query_run(a->q, &now, &e);
  }
  if (r != 0) query_failed(a, &e, err);
  attached_free(detach(s, i));
  flush_output(s);
  return r == 0 ? 0 : -1;
}

void ed_stream_reap(eddy_session *s) {
  FILE *diag = s->diag ? s->diag : stderr;
  for (int i = 0; i < s->nqueries;) {
    EdAttached *a = s->queries[i];
    if (!a->th || a->memory_driven || !ed_bg_exited(a)) {
      i++;
      continue;
    }
    EdError e;
    ed_error_clear(&e);
    int r = ed_bg_end(s, a, ED_BG_STOP, &e);
    detach(s, i);
    ed_console_flush(s);
    fflush(s->out ? s->out : stdout);
    if (r != 0)
      fprintf(diag, "Error: query %s failed: %s\n", a->name,
              e.msg[0] ? e.msg : "the query failed");
    else
      fprintf(diag, "query %s finished: its input ended\n", a->name);
    attached_free(a);
    fflush(diag);
  }
}

int ed_stream_writer_of(eddy_session *s, const char *name) {
  for (int i = 0; i < s->nqueries; i++) {
    const char *w = s->queries[i]->sink_name;
    if (w && strcasecmp(w, name) == 0) return i;
  }
  return -1;
}

int eddy_finish(eddy_session *s) {
  if (!s || s->nqueries == 0) {
    if (s && s->background) ed_console_flush(s);
    return EDDY_OK;
  }
  EdError err;
  ed_error_clear(&err);
  int rc = ed_stream_finish_reading(s, NULL, &err);
  if (rc == 0) return EDDY_OK;
  s->last_err = err;
  FILE *diag = s->diag ? s->diag : stderr;
  fflush(s->out ? s->out : stdout);
  ed_error_print(diag, &err, "", NULL);
  fflush(diag);
  return EDDY_ERROR;
}

/* --------------------------------------------------------------- queries */

/* Where results go: the session's stream or stdout. */
static FILE *session_out(const eddy_session *s) {
  return s->out ? s->out : stdout;
}

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

/* The writer of a streaming query that writes to the session's output
** (out: the session's stream, or the query's buffer in the background),
** or the caller's sink (*owned false).  The rows of EMIT CHANGES get
** their op column in every format (the changelog writer adds it
** itself). */
static EdSink *stream_sink(EdStmtEnv *env, const EdStreamInfo *info,
                           FILE *out, bool *owned, EdError *err) {
  eddy_session *s = env->s;
  *owned = false;
  if (env->sink) return env->sink;
  EdSink *sink = ed_sink_for_format(s->format, out, s->truncate);
  if (!sink) {
    ed_error_set(err, ED_ERR_EXEC, NULL, "the output format is not available");
    return NULL;
  }
  *owned = true;
  if (info->mode == EMIT_CHANGES && s->format != ED_FMT_CHANGELOG)
    sink = ed_changelog_sink_new(sink);
  return sink;
}

/* Lets go of the session lock while the session's thread runs a query
** in the foreground (its memory sink, if any, takes the lock). */
static int release_lock(eddy_session *s) {
  int depth = s->lock_depth;
  for (int i = 0; i < depth; i++) ed_session_unlock(s);
  return depth;
}

static void retake_lock(eddy_session *s, int depth) {
  for (int i = 0; i < depth; i++) ed_session_lock(s);
}

/* Starts a streaming query.  One over memory streams only is attached to
** the session (run by INSERTs); in background mode any other runs on its
** own thread, attached too; otherwise it runs here to its end.  a holds
** the plan (in a->arena); named is the named sink it writes, or NULL for
** the session's output.  a is freed here unless attached. */
static int start_stream(EdStmtEnv *env, EdAttached *a,
                        const EdStreamInfo *info, const EdTable *named,
                        const EdPos *pos, EdError *err) {
  eddy_session *s = env->s;
  int nstreams = 0, nmemory = 0;
  count_streams(a->plan, &nstreams, &nmemory);
  a->memory_driven = nstreams > 0 && nmemory == nstreams;
  /* A query that reads a memory stream besides other sources runs in the
  ** foreground: INSERTs could not safely add rows while it reads them. */
  bool bg = s->background && !env->sink && (a->memory_driven || nmemory == 0);
  FILE *out = ed_bg_prepare(s, a, session_out(s), bg);
  bool owned = true;
  EdSink *sink = named ? ed_named_sink_open(env, named, a->plan, info,
                                            a->name, out, pos, err)
                       : stream_sink(env, info, out, &owned, err);
  if (!sink) {
    attached_free(a);
    return -1;
  }
  if (bg) sink = ed_bg_wrap_sink(a, sink);
  a->sink = owned ? sink : NULL;
  a->sink_name = named ? ed_strdup(named->name) : NULL;
  EdStreamOpts opts = {.progress = a->prog_f ? a->prog_f : s->progress,
                       .name = a->name};
  a->q = ed_stream_query_new(a->plan, info, sink, &opts, err);
  if (!a->q) {
    attached_free(a);
    return -1;
  }
  if (a->memory_driven || bg) {
    a->script = env->script;
    a->script->refs++;
    attach(s, a);
  }
  if (bg && ed_bg_start(s, a, err) != 0) {
    attached_free(detach(s, s->nqueries - 1));
    return -1;
  }
  if (a->memory_driven) {
    /* Rows inserted before the query started are its first batch. */
    EdError e;
    ed_error_clear(&e);
    int r;
    if (bg) {
      ed_bg_post(a, ED_BG_RUN);
      r = ed_bg_wait(s, a, &e);
      ed_bg_publish(s, a);
    } else {
      r = ed_stream_query_run_available(a->q, &e);
    }
    if (r != 0) {
      query_failed(a, &e, err);
      if (bg) ed_bg_end(s, a, ED_BG_STOP, NULL);
      attached_free(detach(s, s->nqueries - 1));
      return -1;
    }
    flush_output(s);
    return 0;
  }
  if (bg) {
    flush_output(s);
    return 0;
  }
  int depth = release_lock(s);
  int rc = ed_stream_query_run(a->q, &s->interrupt, err);
  retake_lock(s, depth);
  attached_free(a);
  return rc;
}

/* A new query object with its own arena, named, holding the statement's
** text. */
static EdAttached *new_attached(EdStmtEnv *env, const EdAstStmt *st) {
  EdAttached *a = ed_calloc(1, sizeof *a);
  a->arena = ed_malloc(sizeof *a->arena);
  ed_arena_init(a->arena, 16384);
  int from = st->start_offset, to = st->end_offset;
  if (to < from) to = from;
  a->sql = ed_malloc((size_t)(to - from) + 1);
  memcpy(a->sql, env->sql + from, (size_t)(to - from));
  a->sql[to - from] = 0;
  return a;
}

/* Whether a query named name is attached. */
static bool query_exists(eddy_session *s, const char *name) {
  for (int i = 0; i < s->nqueries; i++)
    if (strcasecmp(s->queries[i]->name, name) == 0) return true;
  return false;
}

int ed_run_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  eddy_session *s = env->s;
  if (ed_stream_prepare_stdin(env, st->query, err) != 0) return -1;
  EdAttached *a = new_attached(env, st);
  EdPlanDefaults defaults;
  ed_session_plan_defaults(s, &defaults);
  EdStreamInfo *info = ed_arena_alloc(a->arena, sizeof *info);
  EdPlan *logical = NULL, *physical = NULL;
  if (ed_plan_query_stream(ed_env_catalog(env), st->query, env->sql,
                           a->arena, &defaults, &logical, &physical, info,
                           err) != 0) {
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
  do
    snprintf(a->name, sizeof a->name, "q%d", ++s->query_seq);
  while (query_exists(s, a->name));
  return start_stream(env, a, info, NULL, NULL, err);
}

/* ------------------------------------------------- INSERT INTO a sink */

/* Drives a sink through one batch (number 0) around a batch query's rows:
** begin + begin_batch, the rows, end_batch + end. */
typedef struct OnceSink {
  EdSink base;
  EdSink *inner;
} OnceSink;

static int once_status(OnceSink *o, int rc) {
  o->base.rows_written = o->inner->rows_written;
  if (rc) snprintf(o->base.errmsg, sizeof o->base.errmsg, "%s",
                   o->inner->errmsg[0] ? o->inner->errmsg : "sink failed");
  return rc;
}

static int once_begin(EdSink *s, const EdSchema *schema) {
  OnceSink *o = (OnceSink *)s;
  o->inner->streaming = true;
  int rc = o->inner->begin(o->inner, schema);
  if (rc == 0 && o->inner->begin_batch) rc = o->inner->begin_batch(o->inner, 0);
  return once_status(o, rc);
}

static int once_write(EdSink *s, const EdBatch *b) {
  OnceSink *o = (OnceSink *)s;
  return once_status(o, o->inner->write(o->inner, b));
}

static int once_end(EdSink *s) {
  OnceSink *o = (OnceSink *)s;
  int rc = o->inner->end_batch ? o->inner->end_batch(o->inner, 0) : 0;
  if (rc == 0) rc = o->inner->end(o->inner);
  return once_status(o, rc);
}

static void once_destroy(EdSink *s) { (void)s; }

/* Position of the sink's name in INSERT INTO name. */
static EdPos target_pos(EdStmtEnv *env, const EdAstStmt *st) {
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "INTO");
  return ed_stmt_ident_pos(env->sql, st, from, st->target);
}

int ed_run_insert_sink(EdStmtEnv *env, const EdAstStmt *st, EdTable *t,
                       EdError *err) {
  eddy_session *s = env->s;
  EdPos tpos = target_pos(env, st);
  if (!st->query)
    return ed_error_set(err, ED_ERR_BIND, &tpos,
                        "\"%s\" is a sink: it takes the rows of a query, "
                        "e.g. INSERT INTO %s SELECT ...",
                        t->name, t->name);
  if (st->insert_cols.n)
    return ed_error_set(err, ED_ERR_BIND, &tpos,
                        "a sink takes the query's columns as they are: "
                        "remove the column list after \"%s\"",
                        t->name);
  int w = ed_stream_writer_of(s, t->name);
  if (w >= 0 || query_exists(s, t->name))
    return ed_error_set(err, ED_ERR_BIND, &tpos,
                        "query %s is already writing to the sink \"%s\": "
                        "STOP QUERY %s first",
                        w >= 0 ? s->queries[w]->name : t->name, t->name,
                        w >= 0 ? s->queries[w]->name : t->name);
  if (ed_stream_prepare_stdin(env, st->query, err) != 0) return -1;
  EdAttached *a = new_attached(env, st);
  snprintf(a->name, sizeof a->name, "%s", t->name);
  EdPlanDefaults defaults;
  ed_session_plan_defaults(s, &defaults);
  const char *fmt = ed_table_option(t, "format");
  if (t->connector && strcmp(t->connector, "file") == 0)
    defaults.mode = EMIT_DEFAULT;   /* APPEND where valid: checked later */
  else if (t->connector && strcmp(t->connector, "stdout") == 0 && fmt &&
           strcasecmp(fmt, "changelog") == 0 && !s->settings[ED_SET_OUTPUT_MODE])
    defaults.mode = EMIT_CHANGES;   /* a changelog of a stream is its changes */
  EdStreamInfo *info = ed_arena_alloc(a->arena, sizeof *info);
  EdPlan *logical = NULL, *physical = NULL;
  if (ed_plan_query_stream(ed_env_catalog(env), st->query, env->sql,
                           a->arena, &defaults, &logical, &physical, info,
                           err) != 0) {
    attached_free(a);
    return -1;
  }
  a->plan = physical;
  if (info->streaming) {
    const char *ck = s->settings[ED_SET_CHECKPOINT];
    if (ck) {
      attached_free(a);
      return ed_error_set(err, ED_ERR_PLAN, &st->pos,
                          "checkpoints are not supported yet "
                          "(checkpoint_location is '%s'): run the query "
                          "without --checkpoint and checkpoint_location",
                          ck);
    }
    return start_stream(env, a, info, t, &tpos, err);
  }
  /* A batch query: its result is one batch of the sink. */
  EdSink *sink = ed_named_sink_open(env, t, physical, info, a->name,
                                    session_out(s), &tpos, err);
  if (!sink) {
    attached_free(a);
    return -1;
  }
  OnceSink once;
  memset(&once, 0, sizeof once);
  once.base.begin = once_begin;
  once.base.write = once_write;
  once.base.end = once_end;
  once.base.destroy = once_destroy;
  once.inner = sink;
  EdExecCtx *ctx = ed_env_ctx(env);
  int rc = ed_exec_run(ctx, physical, &once.base, NULL, NULL);
  sink->destroy(sink);
  attached_free(a);
  if (rc == 0) return 0;
  if (once.base.errmsg[0] && !s->interrupt && ctx->err.kind == ED_ERR_NONE)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "%s", once.base.errmsg);
  return ed_env_exec_error(env, err);
}

/* ------------------------------------------------------------ listing */

int ed_session_query_count(eddy_session *s) { return s->nqueries; }

const char *ed_session_query_name(eddy_session *s, int i) {
  return i >= 0 && i < s->nqueries ? s->queries[i]->name : NULL;
}

const char *ed_session_query_progress(eddy_session *s, int i) {
  if (i < 0 || i >= s->nqueries) return NULL;
  free(s->progress_copy);
  s->progress_copy = ed_query_progress_copy(s->queries[i]);
  return s->progress_copy ? s->progress_copy : "";
}

const char *ed_session_query_sql(eddy_session *s, const char *name) {
  for (int i = 0; i < s->nqueries; i++)
    if (strcasecmp(s->queries[i]->name, name) == 0) return s->queries[i]->sql;
  return NULL;
}
