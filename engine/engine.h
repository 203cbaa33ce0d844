/*
** engine/engine.h — private declarations shared by the files of engine/.
**
** The session (session.c) parses a script and hands each statement to the
** module that runs it: DDL (ddl.c), INSERT (insert.c), SET (settings.c),
** queries (stream.c), EXPLAIN and SHOW (session.c, show.c).  Streaming
** queries over memory streams outlive their statement: the session keeps
** them (EdAttached) until the end of the script.  Every statement runs with
** its own arena and execution context and reports failure in an EdError
** whose position points into the script text.  Query results go to an
** EdSink: the caller's (ed_session_run) or, when that is NULL, a writer made
** for the session's output stream and format.
*/
#ifndef ED_ENGINE_H
#define ED_ENGINE_H

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "common/arena.h"
#include "common/error.h"
#include "eddy.h"
#include "exec/operator.h"
#include "exec/stream_query.h"
#include "parser/ast.h"
#include "planner/catalog.h"
#include "planner/plan.h"
#include "sinks/sink.h"

/* Session settings that SET, eddy_set() and the command line change. */
typedef enum EdSetting {
  ED_SET_OUTPUT_MODE,       /* complete | update | append | changes */
  ED_SET_TRIGGER,           /* '<interval>' | once | available now */
  ED_SET_CHECKPOINT,        /* checkpoint_location: a directory */
  ED_SET_TIMEZONE,          /* UTC, +HH:MM, or a zoneinfo name */
  ED_SET_TRUNCATE,          /* table output: cut strings after N chars */
  ED_SET_FORMAT,            /* table | csv | jsonl | changelog */
  ED_SET_STATE_TTL,         /* running aggregates: '<interval>', 0 = never */
  ED_SET__COUNT
} EdSetting;

/* A script's text and AST, kept alive for as long as a query started by
** one of its statements runs (the plan may point into both). */
typedef struct EdScript {
  int refs;
  EdArena arena;            /* the copy of the text, the AST */
  const char *sql;          /* the copy, in arena */
} EdScript;

/* The thread of a query that runs in the background (engine/bgquery.c). */
typedef struct EdQueryThread EdQueryThread;

/* A streaming query that keeps running after the statement that started
** it: one over memory streams (each INSERT INTO one of its streams runs
** it, DESIGN §8; the end of the script finishes it) or, when the session
** runs queries in the background (the interactive shell), any streaming
** query, on a thread of its own (engine/stream.c, engine/bgquery.c). */
typedef struct EdAttached {
  char name[64];            /* "q1", "q2", ... or the named sink's name */
  eddy_session *session;
  EdStreamQuery *q;
  const EdPlan *plan;       /* physical plan, in *arena */
  EdArena *arena;           /* plan and stream info (malloc'ed arena) */
  EdScript *script;         /* the text and AST the plan came from */
  EdSink *sink;             /* destroyed with the query; NULL when the sink
                               is the caller's (ed_session_run) */
  char *sql;                /* the statement's text (malloc'ed) */
  char *sink_name;          /* the named sink it writes (malloc'ed), or
                               NULL: the session's output or the caller's */
  bool memory_driven;       /* reads only memory streams: run by INSERT */
  /* Progress: the trigger loop writes each report to prog_f, which keeps
  ** the last one (under mu) and passes it on to the session's progress
  ** stream. */
  FILE *prog_f;
  char *prog_line;          /* the report being received */
  size_t prog_len, prog_cap;
  char *last_progress;      /* malloc'ed JSON, NULL before the first */
  pthread_mutex_t mu;
  /* Background (EdQueryThread != NULL): the writer writes to out_f, whose
  ** bytes collect in outbuf until they are published to the console
  ** queue, bound for target. */
  EdQueryThread *th;
  FILE *out_f;
  char *outbuf;
  size_t outlen, outcap;
  FILE *target;
  bool defer_publish;       /* memory driven: the session publishes, in
                               start order, after each INSERT */
} EdAttached;

/* Output of background queries waiting to be written by the session's
** thread (engine/bgquery.c). */
typedef struct EdChunk {
  FILE *to;
  char *data;
  size_t len;
} EdChunk;

struct eddy_session {
  EdCatalog catalog;
  FILE *out;                /* query results (NULL: stdout) */
  FILE *diag;               /* error messages (NULL: stderr) */
  EdOutFormat format;
  int truncate;
  char *settings[ED_SET__COUNT];  /* malloc'ed text, NULL when unset */
  EdExecCtx ctx;            /* context of the running statement */
  volatile sig_atomic_t interrupt;  /* set by eddy_interrupt() */
  EdError last_err;
  /* Streaming (engine/stream.c). */
  EdAttached **queries;     /* queries over memory streams, in start order */
  int nqueries, qcap;
  int query_seq;            /* names of queries: q<seq> */
  FILE *progress;           /* --progress: JSON lines per batch, or NULL */
  int stdin_mode;           /* the built-in stream stdin: ED_STDIN_* */
  char *stdin_format;       /* --input-format (malloc'ed) or NULL */
  char *stdin_schema;       /* --schema (malloc'ed) or NULL */
  /* Threads (engine/bgquery.c).  lock guards the catalog and the session's
  ** state: the session's thread holds it while a statement runs (and lets
  ** go of it while it waits for a query thread); a query thread takes it
  ** to change a memory sink's table.  Recursive: a query run on the
  ** session's own thread takes it too. */
  pthread_mutex_t lock;
  int lock_depth;           /* times the session's thread holds lock */
  bool background;          /* streaming queries run on their threads */
  pthread_mutex_t con_mu;   /* guards chunks, nchunks, ccap, ended */
  EdChunk *chunks;          /* published output, in order */
  int nchunks, ccap;
  int ended;                /* background threads that ended, not reaped */
  int wake[2];              /* self-pipe: readable when chunks or ended
                               wait; -1 before the first background query */
  char *progress_copy;      /* ed_session_query_progress's last answer */
  /* Named sinks (engine/sinks.c): the result tables of memory sinks, each
  ** an OBJ_TABLE named as its sink, read by queries in its place. */
  EdTable **results;
  int nresults, rcap;
};

/* Whether a query may read the process's standard input as the built-in
** stream `stdin` (eddy_set_stdin). */
enum { ED_STDIN_UNSET = 0,  /* the embedding program said nothing */
       ED_STDIN_SQL,        /* stdin holds the SQL being run */
       ED_STDIN_DATA };     /* stdin is free to be read as data */

/* What one statement needs besides the AST node. */
typedef struct EdStmtEnv {
  eddy_session *s;
  EdScript *script;         /* the script the statement belongs to */
  const char *sql;          /* the whole script (positions refer to it) */
  EdArena *arena;           /* lives as long as the statement */
  EdSink *sink;             /* caller's sink, or NULL: the session writer */
} EdStmtEnv;

/* ---- ddl.c: CREATE TABLE|STREAM|SINK|INDEX, DROP */
int ed_run_create(EdStmtEnv *env, const EdAstStmt *st, EdError *err);
int ed_run_create_index(EdStmtEnv *env, const EdAstStmt *st, EdError *err);
int ed_run_drop(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* Name of an object kind for messages: "table", "stream", "sink". */
const char *ed_obj_kind_name(EdObjKind k);

/* Text of an option value as the catalog stores it: strings as written,
** numbers and booleans in their SQL spelling.  Returns NULL with err set
** when the value is not a constant. */
char *ed_option_text(const EdAstExpr *v, EdArena *arena, EdError *err);

/* ---- insert.c: INSERT INTO t VALUES ... | SELECT ... */
int ed_run_insert(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* ---- settings.c: SET and eddy_set() */
int ed_run_set(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* Validates and stores a setting (name case-insensitive).  pos, if not
** NULL, is where a message about the value points.  Returns 0 or -1. */
int ed_setting_apply(eddy_session *s, const char *name, const char *value,
                     const EdPos *name_pos, const EdPos *value_pos,
                     EdError *err);

/* ---- show.c: SHOW TABLES|STREAMS|SINKS|QUERIES, STOP QUERY */
int ed_run_show(EdStmtEnv *env, const EdAstStmt *st, EdError *err);
int ed_run_stop_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* Sends a small result (all VARCHAR or BIGINT columns, values given row by
** row) to the statement's sink or the session writer. */
int ed_emit_rows(EdStmtEnv *env, const EdSchema *schema,
                 const EdValue *values, int nrows, EdError *err);

/* ---- session.c: sinks and positions */

/* The sink that query results of env go to: env->sink, or a new writer for
** the session's format (*owned set: destroy it after use). */
EdSink *ed_env_sink(EdStmtEnv *env, bool *owned);

/* Prepares s->ctx for a run that allocates in env->arena: zeroed, with
** the session's pending interrupt carried over. */
EdExecCtx *ed_env_ctx(EdStmtEnv *env);

/* Copies an execution failure of s->ctx into err (no position). */
int ed_env_exec_error(EdStmtEnv *env, EdError *err);

/* A sink that puts a column op (+I, -U, +U, -D: each row's EdRowOp from the
** batch's ops, +I when it has none) in front of the result's columns and
** passes the rows to inner, which it owns: the rows of an EMIT CHANGES
** query in the table and jsonl formats (the changelog writer adds the
** column itself). */
EdSink *ed_changelog_sink_new(EdSink *inner);

/* ---- stream.c: streaming queries (DESIGN §3, §4, §8) */

/* SELECT: plans the query with the session's defaults; a batch query runs
** to completion into the statement's sink, a streaming one starts: over
** memory streams only it is attached to the session and the statement
** returns, otherwise it runs until its input ends or the session is
** interrupted.  Returns 0 or -1. */
int ed_run_query(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* The planner's defaults from the session settings (output_mode, trigger,
** state_ttl; the changelog format means EMIT CHANGES when no output mode
** is set). */
void ed_session_plan_defaults(eddy_session *s, EdPlanDefaults *d);

/* Runs every attached query that reads stream t over what is new in it
** (an INSERT INTO t), including the no-data batches this calls for.  A
** query that fails is stopped and detached.  Returns 0 or -1. */
int ed_stream_inserted(eddy_session *s, const EdTable *t, EdError *err);

/* Finishes (final batch, watermark at +infinity) and frees every attached
** query that reads t (any object its plan names); all of them when t is
** NULL.  Returns 0, or -1 with the first failure in err (the others are
** still finished). */
int ed_stream_finish_reading(eddy_session *s, const EdTable *t,
                             EdError *err);

/* Stops the i-th attached query gracefully: its running batch finishes,
** its sink commits and ends (no final batch); then frees it (STOP QUERY).
** Returns 0, or -1 with err set when the query had failed. */
int ed_stream_stop(eddy_session *s, int i, EdError *err);

/* Joins and frees the background queries whose threads ended by
** themselves, reporting each end on the diagnostics stream. */
void ed_stream_reap(eddy_session *s);

/* Adds the built-in stream `stdin` to the catalog when the query names it
** (in any FROM) and the catalog has no object of that name.  Returns 0 or
** -1 (stdin holds the SQL, or its data cannot be read). */
int ed_stream_prepare_stdin(EdStmtEnv *env, const EdAstQuery *q,
                            EdError *err);

/* Releases a reference to a script (freed with the last one). */
void ed_script_release(EdScript *sc);

/* INSERT INTO sink SELECT ...: starts the query (named as the sink) writing
** into the named sink t; a batch query writes its result as one batch.
** Returns 0 or -1. */
int ed_run_insert_sink(EdStmtEnv *env, const EdAstStmt *st, EdTable *t,
                       EdError *err);

/* The attached query that writes the named sink name, or -1. */
int ed_stream_writer_of(eddy_session *s, const char *name);

/* ---- sinks.c: named sinks (CREATE SINK, INSERT INTO sink) */

/* CREATE SINK name WITH (connector = ..., ...): validates the connector
** and its options and adds the sink to the catalog.  Returns 0 or -1. */
int ed_run_create_sink(EdStmtEnv *env, const EdAstStmt *st, EdError *err);

/* The catalog a query of env is planned against: the session's, with each
** memory sink replaced by its result table (so that SELECT reads it); in
** env's arena.  A memory sink that no query has written yet stays a sink
** (the binder refuses to read it). */
EdCatalog *ed_env_catalog(EdStmtEnv *env);

/* Makes the sink that a streaming (info->streaming) or batch query
** planned as physical writes into the named sink t, writing console and
** stdout output to out; checks that the query suits the sink (the file
** sink takes APPEND only: at pos, a planning error).  query names the
** writing query.  Returns NULL with err set. */
EdSink *ed_named_sink_open(EdStmtEnv *env, const EdTable *t,
                           const EdPlan *physical, const EdStreamInfo *info,
                           const char *query, FILE *out, const EdPos *pos,
                           EdError *err);

/* Frees the result table of memory sink name, if any (DROP SINK). */
void ed_sink_result_drop(eddy_session *s, const char *name);

/* ---- bgquery.c: background queries (the interactive shell) */

/* Gives a: its progress capture (prog_f), and in background mode its
** output buffer (out_f, for target) and whether the session publishes
** its output (memory driven).  Returns the FILE its writer writes to. */
FILE *ed_bg_prepare(eddy_session *s, EdAttached *a, FILE *target, bool bg);

/* Starts a's thread: a memory-driven query waits for commands, any other
** runs its trigger loop until its input ends or it is stopped.  0 or -1
** with err set. */
int ed_bg_start(eddy_session *s, EdAttached *a, EdError *err);

/* Commands to a memory-driven query's thread: run what is available
** (ED_BG_RUN), finish (ED_BG_FINISH: final batch, end), stop
** (ED_BG_STOP: end after the running batch).  ed_bg_post sends it;
** ed_bg_wait waits until it is done, without the session lock, and
** returns its result (0 or -1 with err set). */
enum { ED_BG_NONE = 0, ED_BG_RUN, ED_BG_FINISH, ED_BG_STOP };
void ed_bg_post(EdAttached *a, int cmd);
int ed_bg_wait(eddy_session *s, EdAttached *a, EdError *err);

/* Ends a's thread: a memory-driven one is sent cmd (ED_BG_FINISH or
** ED_BG_STOP), a free-running one is asked to stop after its running
** batch; then the thread is joined (without the session lock).  Returns
** the query's result: 0 or -1 with err set. */
int ed_bg_end(eddy_session *s, EdAttached *a, int cmd, EdError *err);

/* Whether a's thread has ended by itself (its input ended, it failed). */
bool ed_bg_exited(EdAttached *a);

/* Moves the bytes a's writer wrote since the last call to the console
** queue (for a->target). */
void ed_bg_publish(eddy_session *s, EdAttached *a);

/* A sink that passes everything to inner (which it owns) and, after the
** sink's begin, each end_batch and its end, publishes a's output (or, for
** a deferred query, only flushes it into a's buffer). */
EdSink *ed_bg_wrap_sink(EdAttached *a, EdSink *inner);

/* Frees what ed_bg_prepare made (after the thread ended). */
void ed_bg_free(EdAttached *a);

/* Puts text on the console queue, bound for to, and wakes the reader of
** the session's wake descriptor. */
void ed_console_put(eddy_session *s, FILE *to, const char *data, size_t n);

/* Writes the console queue out (session's thread only). */
void ed_console_flush(eddy_session *s);

/* A copy of a's last progress report (malloc'ed), or NULL. */
char *ed_query_progress_copy(EdAttached *a);

/* The session lock (see struct eddy_session). */
void ed_session_lock(eddy_session *s);
void ed_session_unlock(eddy_session *s);

/* ---- position.c: positions of names inside a statement's text */

/* Position of byte offset off in sql (line and column computed). */
EdPos ed_sql_pos(const char *sql, int off);

/* Position of the first identifier token equal (case-insensitively, or
** exactly when quoted) to name within st's text at or after byte offset
** from; the statement's position when there is none. */
EdPos ed_stmt_ident_pos(const char *sql, const EdAstStmt *st, int from,
                        const char *name);

/* Byte offset just past the first keyword kw (case-insensitive) in st's
** text at or after from, or -1. */
int ed_stmt_keyword_end(const char *sql, const EdAstStmt *st, int from,
                        const char *kw);

#endif
