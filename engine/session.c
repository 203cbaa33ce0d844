/*
** engine/session.c — the session: runs scripts of SQL statements.
**
** eddy_exec() parses a whole script, then runs its statements in order,
** each with its own arena; the first failure stops the script and is
** printed with its line, column and caret.  A syntax error stops the
** script at the statement that holds it: the statements before it run
** first, as they would when typed one by one.  The script's text and AST
** are kept in a reference-counted EdScript, since a streaming query that
** a statement starts may outlive the call.  Queries (stream.c) are planned
** against the session's catalog and run into the session's writer (or the
** caller's sink for ed_session_run); EXPLAIN renders the plans; the other
** statements are handled by ddl.c, insert.c, settings.c and show.c.
** The session lock is held while a statement runs (engine/bgquery.c).
*/
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/session.h"
#include "exec/executor.h"
#include "planner/plan.h"

/* ------------------------------------------------------ session object */

eddy_session *eddy_open(void) {
  eddy_session *s = ed_calloc(1, sizeof *s);
  ed_catalog_init(&s->catalog);
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&s->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  pthread_mutex_init(&s->con_mu, NULL);
  s->wake[0] = s->wake[1] = -1;
  s->format = ED_FMT_TABLE;
  s->truncate = 20;
  eddy_set(s, "format", "table");
  eddy_set(s, "truncate", "20");
  ed_error_clear(&s->last_err);
  return s;
}

void eddy_close(eddy_session *s) {
  if (!s) return;
  eddy_finish(s);
  ed_console_flush(s);
  free(s->queries);
  ed_catalog_free(&s->catalog);
  for (int i = 0; i < s->nresults; i++) ed_table_free(s->results[i]);
  free(s->results);
  free(s->progress_copy);
  if (s->wake[0] >= 0) close(s->wake[0]);
  if (s->wake[1] >= 0) close(s->wake[1]);
  pthread_mutex_destroy(&s->lock);
  pthread_mutex_destroy(&s->con_mu);
  for (int i = 0; i < ED_SET__COUNT; i++) free(s->settings[i]);
  free(s->stdin_format);
  free(s->stdin_schema);
  free(s);
}

void eddy_set_output(eddy_session *s, FILE *out, eddy_format fmt) {
  static const char *const names[] = {"table", "csv", "jsonl", "changelog"};
  s->out = out;
  if ((int)fmt >= 0 && (int)fmt < 4) eddy_set(s, "format", names[fmt]);
}

void eddy_set_truncate(eddy_session *s, int n) {
  char buf[24];
  snprintf(buf, sizeof buf, "%d", n < 0 ? 0 : n);
  eddy_set(s, "truncate", buf);
}

void eddy_set_diagnostics(eddy_session *s, FILE *err) { s->diag = err; }

const char *eddy_errmsg(eddy_session *s) { return s->last_err.msg; }

void eddy_interrupt(eddy_session *s) {
  s->interrupt = 1;
  s->ctx.interrupted = 1;
}

EdCatalog *ed_session_catalog(eddy_session *s) { return &s->catalog; }

/* --------------------------------------------------- sinks and context */

/* Where results and EXPLAIN text go: the session's stream or stdout. */
static FILE *out_stream(const eddy_session *s) {
  return s->out ? s->out : stdout;
}

EdSink *ed_env_sink(EdStmtEnv *env, bool *owned) {
  *owned = false;
  if (env->sink) return env->sink;
  eddy_session *s = env->s;
  EdSink *w = ed_sink_for_format(s->format, out_stream(s), s->truncate);
  *owned = w != NULL;
  return w;
}

EdExecCtx *ed_env_ctx(EdStmtEnv *env) {
  EdExecCtx *ctx = &env->s->ctx;
  memset((void *)ctx, 0, sizeof *ctx);
  ctx->query_arena = env->arena;
  ctx->interrupted = env->s->interrupt;
  return ctx;
}

int ed_env_exec_error(EdStmtEnv *env, EdError *err) {
  if (env->s->interrupt)
    return ed_error_set(err, ED_ERR_EXEC, NULL, "interrupted");
  *err = env->s->ctx.err;
  if (err->kind == ED_ERR_NONE) err->kind = ED_ERR_EXEC;
  if (!err->msg[0]) snprintf(err->msg, sizeof err->msg, "the query failed");
  return -1;
}

/* A sink that discards rows (EXPLAIN ANALYZE). */
static int discard_begin(EdSink *s, const EdSchema *sch) {
  (void)s;
  (void)sch;
  return 0;
}
static int discard_write(EdSink *s, const EdBatch *b) {
  s->rows_written += ed_batch_count(b);
  return 0;
}
static int discard_end(EdSink *s) {
  (void)s;
  return 0;
}
static void discard_destroy(EdSink *s) { (void)s; }

/* ----------------------------------------------------------- changelog */

/* A changelog writes each change of a result as a row whose first column,
** op, says what it is (+I, -U, +U, -D).  A streaming aggregation in CHANGES
** mode gives each row's kind in the batch's ops; a batch without ops (an
** append-only result) holds insertions only.  The changelog format's own
** writer does this for CSV; this sink does it for the other formats of an
** EMIT CHANGES query: it puts the op column in front of the query's
** columns and hands the rows to the inner writer. */
typedef struct ChangelogSink {
  EdSink base;
  EdSink *inner;
  EdColumn *cols;           /* op, then the query's columns */
  EdVector *vecs;           /* the same, for the batches passed on */
  EdVector op;              /* per row: its op's name */
} ChangelogSink;

/* Copies the inner writer's failure message into s; returns rc. */
static int clog_status(ChangelogSink *c, int rc) {
  c->base.rows_written = c->inner->rows_written;
  if (rc) snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s",
                   c->inner->errmsg);
  return rc;
}

static int clog_begin(EdSink *s, const EdSchema *schema) {
  ChangelogSink *c = (ChangelogSink *)s;
  c->inner->streaming = s->streaming;
  free(c->cols);
  free(c->vecs);
  c->cols = ed_calloc((size_t)schema->ncols + 1, sizeof *c->cols);
  c->vecs = ed_calloc((size_t)schema->ncols + 1, sizeof *c->vecs);
  c->cols[0].name = (char *)"op";
  c->cols[0].type = ED_T_VARCHAR;
  for (int i = 0; i < schema->ncols; i++) c->cols[i + 1] = schema->cols[i];
  EdSchema with_op = {.ncols = schema->ncols + 1, .cols = c->cols};
  return clog_status(c, c->inner->begin(c->inner, &with_op));
}

static int clog_write(EdSink *s, const EdBatch *b) {
  ChangelogSink *c = (ChangelogSink *)s;
  EdBatch shallow = *b;     /* same rows, selection and arena */
  EdStr *ops = ED_VEC_STR(&c->op);
  for (int k = 0, n = ed_batch_count(b); k < n; k++) {
    int i = ed_batch_row(b, k);
    const char *name = ed_row_op_name(b->ops ? (EdRowOp)b->ops[i]
                                             : ED_ROW_INSERT);
    ops[i] = (EdStr){name, 2};
  }
  c->vecs[0] = c->op;
  for (int i = 0; i < b->ncols; i++) c->vecs[i + 1] = b->cols[i];
  shallow.ncols = b->ncols + 1;
  shallow.cols = c->vecs;
  shallow.ops = NULL;       /* the op is now a column */
  return clog_status(c, c->inner->write(c->inner, &shallow));
}

static int clog_end(EdSink *s) {
  ChangelogSink *c = (ChangelogSink *)s;
  return clog_status(c, c->inner->end(c->inner));
}

static int clog_begin_batch(EdSink *s, int64_t batch_id) {
  ChangelogSink *c = (ChangelogSink *)s;
  if (!c->inner->begin_batch) return 0;
  return clog_status(c, c->inner->begin_batch(c->inner, batch_id));
}

static int clog_end_batch(EdSink *s, int64_t batch_id) {
  ChangelogSink *c = (ChangelogSink *)s;
  if (!c->inner->end_batch) return 0;
  return clog_status(c, c->inner->end_batch(c->inner, batch_id));
}

static void clog_destroy(EdSink *s) {
  ChangelogSink *c = (ChangelogSink *)s;
  c->inner->destroy(c->inner);
  ed_vector_free(&c->op);
  free(c->cols);
  free(c->vecs);
  free(c);
}

EdSink *ed_changelog_sink_new(EdSink *inner) {
  ChangelogSink *c = ed_calloc(1, sizeof *c);
  c->base.begin = clog_begin;
  c->base.write = clog_write;
  c->base.end = clog_end;
  c->base.begin_batch = clog_begin_batch;
  c->base.end_batch = clog_end_batch;
  c->base.destroy = clog_destroy;
  c->base.description = inner->description;
  c->inner = inner;
  ed_vector_init(&c->op, ED_T_VARCHAR);
  return &c->base;
}

/* ------------------------------------------------------------- EXPLAIN */

/* Appends the nodes of the tree under p in pre-order. */
static void collect_nodes(const EdPlan *p, const EdPlan **out, int *n,
                          int cap) {
  if (!p || *n >= cap) return;
  out[(*n)++] = p;
  collect_nodes(p->left, out, n, cap);
  collect_nodes(p->right, out, n, cap);
}

/* Length of the first line of s without leading blanks, and its start. */
static const char *first_line(const char *s, int *len) {
  while (*s == ' ' || *s == '\t') s++;
  const char *e = strchr(s, '\n');
  *len = e ? (int)(e - s) : (int)strlen(s);
  return s;
}

/* The physical plan text with each operator's line followed by the rows
** it produced and the state it held.  A line is matched to its node by
** rendering each node alone: its first line is the node's own. */
static char *annotate_plan(EdArena *a, const EdPlan *plan,
                           const EdOpStats *stats, int nstats) {
  enum { MAXN = 512 };
  const EdPlan *nodes[MAXN];
  const char *own[MAXN];
  int ownlen[MAXN];
  bool used[MAXN];
  int n = 0;
  collect_nodes(plan, nodes, &n, MAXN);
  for (int i = 0; i < n; i++) {
    own[i] = first_line(ed_plan_explain(nodes[i], a), &ownlen[i]);
    used[i] = false;
  }
  const char *text = ed_plan_explain(plan, a);
  size_t cap = strlen(text) + (size_t)n * 64 + 64;
  char *out = ed_arena_alloc(a, cap);
  size_t o = 0;
  out[0] = 0;
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    int len = nl ? (int)(nl - line) : (int)strlen(line);
    int tl;
    const char *trim = first_line(line, &tl);
    if (tl > len - (int)(trim - line)) tl = len - (int)(trim - line);
    o += (size_t)snprintf(out + o, cap - o, "%.*s", len, line);
    for (int i = 0; i < n; i++) {
      if (used[i] || ownlen[i] != tl || memcmp(own[i], trim, (size_t)tl))
        continue;
      used[i] = true;
      for (int k = 0; k < nstats; k++) {
        if (stats[k].node != nodes[i]) continue;
        o += (size_t)snprintf(out + o, cap - o, "  (rows=%lld",
                              (long long)stats[k].rows_out);
        if (stats[k].state_bytes)
          o += (size_t)snprintf(out + o, cap - o, ", state=%zu bytes",
                                stats[k].state_bytes);
        o += (size_t)snprintf(out + o, cap - o, ")");
        break;
      }
      break;
    }
    o += (size_t)snprintf(out + o, cap - o, "\n");
    line = nl ? nl + 1 : line + len;
  }
  return out;
}

/* Text without its trailing newlines, in the arena. */
static const char *chomp(EdArena *a, const char *s) {
  size_t n = strlen(s);
  while (n > 0 && s[n - 1] == '\n') n--;
  return ed_arena_strndup(a, s, n);
}

/* Sends EXPLAIN's text: printed as is to the session's output, or as rows
** of one column "plan" to the caller's sink. */
static int emit_text(EdStmtEnv *env, const char *text, EdError *err) {
  if (!env->sink) {
    FILE *f = out_stream(env->s);
    fputs(text, f);
    return 0;
  }
  int nl = 0;
  for (const char *p = text; *p; p++) nl += *p == '\n';
  EdValue *vals =
      ed_arena_alloc(env->arena, sizeof(EdValue) * (size_t)(nl + 1));
  int n = 0;
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    memset(&vals[n], 0, sizeof vals[n]);
    vals[n].type = ED_T_VARCHAR;
    vals[n].u.s.ptr = p;
    vals[n].u.s.len = (uint32_t)len;
    n++;
    p += len + (e ? 1 : 0);
  }
  EdColumn col = {.name = (char *)"plan", .type = ED_T_VARCHAR};
  EdSchema sch = {.ncols = 1, .cols = &col};
  return ed_emit_rows(env, &sch, vals, n, err);
}

/* Monotonic clock in milliseconds. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* EXPLAIN [ANALYZE] of a SELECT (or of the query of an INSERT): the
** logical and physical plans, or, with ANALYZE, the physical plan of a run
** with each operator's rows.  Returns 0 or -1. */
static int run_explain(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  const EdAstStmt *in = st->inner;
  if (!in || !in->query ||
      (in->kind != STMT_SELECT && in->kind != STMT_INSERT))
    return ed_error_set(err, ED_ERR_BIND, in ? &in->pos : &st->pos,
                        "EXPLAIN needs a query, e.g. EXPLAIN SELECT ...");
  if (ed_stream_prepare_stdin(env, in->query, err) != 0) return -1;
  EdPlan *logical = NULL, *physical = NULL;
  EdPlanDefaults defaults;
  EdStreamInfo info;
  ed_session_plan_defaults(env->s, &defaults);
  if (ed_plan_query_stream(ed_env_catalog(env), in->query, env->sql,
                           env->arena,
                           &defaults, &logical, &physical, &info, err) != 0)
    return -1;
  EdArena *a = env->arena;
  const char *text;
  if (st->analyze && info.streaming)
    return ed_error_set(err, ED_ERR_PLAN, &st->pos,
                        "EXPLAIN ANALYZE of a query over a stream is not "
                        "supported: it never ends; run the query with "
                        "--progress to see each batch's rows and state");
  if (!st->analyze) {
    text = ed_arena_printf(a, "== Logical Plan ==\n%s\n\n"
                              "== Physical Plan ==\n%s\n",
                           chomp(a, ed_plan_explain(logical, a)),
                           chomp(a, ed_plan_explain_stream(physical, &info,
                                                           a)));
  } else {
    EdSink discard;
    memset(&discard, 0, sizeof discard);
    discard.begin = discard_begin;
    discard.write = discard_write;
    discard.end = discard_end;
    discard.destroy = discard_destroy;
    EdOpStats *stats = NULL;
    int nstats = 0;
    EdExecCtx *ctx = ed_env_ctx(env);
    double t0 = now_ms();
    int rc = ed_exec_run(ctx, physical, &discard, &stats, &nstats);
    double ms = now_ms() - t0;
    if (rc != 0) {
      free(stats);
      return ed_env_exec_error(env, err);
    }
    const char *plan = annotate_plan(a, physical, stats, nstats);
    free(stats);
    text = ed_arena_printf(a, "== Physical Plan ==\n%s%lld row%s in %.3f ms\n",
                           plan, (long long)discard.rows_written,
                           discard.rows_written == 1 ? "" : "s", ms);
  }
  return emit_text(env, text, err);
}

/* ------------------------------------------------------------ dispatch */

/* Runs one statement with its own arena; flushes the output after it.
** Returns 0, or -1 with err set. */
static int run_statement(eddy_session *s, const EdAstStmt *st,
                         EdScript *script, EdSink *sink, EdError *err) {
  EdArena arena;
  ed_arena_init(&arena, 16384);
  EdStmtEnv env = {.s = s, .script = script, .sql = script->sql,
                   .arena = &arena, .sink = sink};
  int rc;
  ed_session_lock(s);
  switch (st->kind) {
    case STMT_SELECT: rc = ed_run_query(&env, st, err); break;
    case STMT_CREATE_TABLE:
    case STMT_CREATE_STREAM:
    case STMT_CREATE_SINK: rc = ed_run_create(&env, st, err); break;
    case STMT_CREATE_INDEX: rc = ed_run_create_index(&env, st, err); break;
    case STMT_DROP: rc = ed_run_drop(&env, st, err); break;
    case STMT_INSERT: rc = ed_run_insert(&env, st, err); break;
    case STMT_SET: rc = ed_run_set(&env, st, err); break;
    case STMT_SHOW: rc = ed_run_show(&env, st, err); break;
    case STMT_EXPLAIN: rc = run_explain(&env, st, err); break;
    case STMT_STOP_QUERY: rc = ed_run_stop_query(&env, st, err); break;
    default:
      rc = ed_error_set(err, ED_ERR_BIND, &st->pos, "unknown statement");
      break;
  }
  s->ctx.query_arena = NULL;
  ed_arena_free(&arena);
  /* What background queries published comes out between statements. */
  if (s->background) ed_console_flush(s);
  ed_session_unlock(s);
  fflush(out_stream(s));
  return rc;
}

void ed_script_release(EdScript *sc) {
  if (!sc || --sc->refs > 0) return;
  ed_arena_free(&sc->arena);
  free(sc);
}

/* Parses sql and runs its statements until the first failure.  The text
** is copied with the AST into a script object that a streaming query
** started by a statement keeps alive after the call. */
static int run_script(eddy_session *s, const char *sql, EdSink *sink,
                      EdError *err) {
  EdScript *sc = ed_calloc(1, sizeof *sc);
  sc->refs = 1;
  ed_arena_init(&sc->arena, 65536);
  sc->sql = ed_arena_strdup(&sc->arena, sql);
  EdAstList stmts;
  memset(&stmts, 0, sizeof stmts);
  EdError perr;
  ed_error_clear(&perr);
  ed_error_clear(err);
  s->interrupt = 0;
  s->ctx.interrupted = 0;
  int prc = ed_parse(&sc->arena, sc->sql, &stmts, &perr);
  int rc = 0;
  for (int i = 0; i < stmts.n && rc == 0; i++) {
    if (s->interrupt)
      rc = ed_error_set(err, ED_ERR_EXEC, NULL, "interrupted");
    else
      rc = run_statement(s, stmts.items[i], sc, sink, err);
  }
  if (rc == 0 && prc != 0) {
    *err = perr;
    rc = -1;
  }
  ed_script_release(sc);
  if (rc == 0) ed_error_clear(&s->last_err);
  else s->last_err = *err;
  return rc;
}

int eddy_exec(eddy_session *s, const char *sql, const char *script_name) {
  EdError err;
  if (run_script(s, sql, NULL, &err) == 0) return EDDY_OK;
  ed_error_print(s->diag ? s->diag : stderr, &err, sql, script_name);
  fflush(s->diag ? s->diag : stderr);
  return EDDY_ERROR;
}

int ed_session_exec(eddy_session *s, const char *sql, EdError *err) {
  return run_script(s, sql, NULL, err);
}

int ed_session_run(eddy_session *s, const char *sql, EdSink *sink,
                   EdError *err) {
  return run_script(s, sql, sink, err);
}
