/*
** engine/session.h — the session's internal interface, for the shell's
** dot-commands and for tests that need results as batches.
*/
#ifndef ED_SESSION_H
#define ED_SESSION_H

#include "common/error.h"
#include "eddy.h"
#include "planner/catalog.h"
#include "sinks/sink.h"

/* Runs the statements of sql as eddy_exec does, but the results of queries
** go to sink (begin, write*, end for each query) instead of the session's
** writer, and a failure is returned in err instead of being printed.
** Returns 0, or -1 at the first failing statement.  A streaming query
** writes to the sink it was started with for as long as it runs (one
** over memory streams: until eddy_finish), with begin_batch / end_batch
** around each micro-batch and, in EMIT CHANGES, each row's change kind in
** the batch's ops: that sink must outlive it. */
int ed_session_run(eddy_session *s, const char *sql, EdSink *sink,
                   EdError *err);

/* Runs the statements of sql as eddy_exec does (results to the session's
** writer) but returns a failure in err instead of printing it, so that the
** caller can relate its position to a larger text (the shell runs a script
** piece by piece).  Returns 0, or -1 at the first failing statement.  (A
** NULL sink given to ed_session_run means the same.) */
int ed_session_exec(eddy_session *s, const char *sql, EdError *err);

/* The session's catalog (tables, streams, sinks). */
EdCatalog *ed_session_catalog(eddy_session *s);

/* The streaming queries running in the session (those over memory
** streams, attached until eddy_finish, and in background mode every
** streaming query until it ends), in start order: how many, the i-th
** one's name ("q1", or the sink's name), and its last progress report as
** a JSON object ("" before its first batch; a copy valid until the next
** call).  NULL for an i out of range. */
int ed_session_query_count(eddy_session *s);
const char *ed_session_query_name(eddy_session *s, int i);
const char *ed_session_query_progress(eddy_session *s, int i);

/* The statement that started the running query name (its text without
** the ';'), or NULL. */
const char *ed_session_query_sql(eddy_session *s, const char *name);

/* The columns of the result table of memory sink name (set when a query
** starts writing it), or NULL. */
const EdSchema *ed_session_sink_columns(eddy_session *s, const char *name);

#endif
