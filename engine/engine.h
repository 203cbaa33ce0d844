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

/* A streaming query over memory streams that runs in the background of the
** session: each INSERT INTO one of its streams runs it (DESIGN §8), the end
** of the script finishes it (engine/stream.c). */
typedef struct EdAttached {
  char name[16];            /* "q1", "q2", ... */
  EdStreamQuery *q;
  const EdPlan *plan;       /* physical plan, in *arena */
  EdArena *arena;           /* plan and stream info (malloc'ed arena) */
  EdScript *script;         /* the text and AST the plan came from */
  EdSink *sink;             /* destroyed with the query; NULL when the sink
                               is the caller's (ed_session_run) */
} EdAttached;

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

/* Stops the i-th attached query where it is (no final batch) and frees
** it (STOP QUERY). */
void ed_stream_stop(eddy_session *s, int i);

/* Adds the built-in stream `stdin` to the catalog when the query names it
** (in any FROM) and the catalog has no object of that name.  Returns 0 or
** -1 (stdin holds the SQL, or its data cannot be read). */
int ed_stream_prepare_stdin(EdStmtEnv *env, const EdAstQuery *q,
                            EdError *err);

/* Releases a reference to a script (freed with the last one). */
void ed_script_release(EdScript *sc);

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
