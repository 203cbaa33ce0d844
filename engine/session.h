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
** Returns 0, or -1 at the first failing statement. */
int ed_session_run(eddy_session *s, const char *sql, EdSink *sink,
                   EdError *err);

/* The session's catalog (tables, streams, sinks). */
EdCatalog *ed_session_catalog(eddy_session *s);

#endif
