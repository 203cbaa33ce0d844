/*
** include/eddy.h — the public interface of libeddy.
**
** A session (eddy_session) holds a catalog of tables, streams and sinks and
** the session settings.  eddy_exec() runs a script of SQL statements:
** DDL changes the catalog, INSERT appends rows, SELECT results go to the
** session's output writer.  The `eddy` command is a thin layer over this.
*/
#ifndef EDDY_H
#define EDDY_H

#include <stdio.h>

#define EDDY_VERSION "0.1.0"

typedef struct eddy_session eddy_session;

/* Output format of query results. */
typedef enum eddy_format { EDDY_FORMAT_TABLE, EDDY_FORMAT_CSV,
                           EDDY_FORMAT_JSONL,
                           EDDY_FORMAT_CHANGELOG } eddy_format;

eddy_session *eddy_open(void);
void eddy_close(eddy_session *s);

/* Where results go (default stdout) and in which format (default table). */
void eddy_set_output(eddy_session *s, FILE *out, eddy_format fmt);
/* Strings longer than n characters are truncated in table output (0: never;
** default 20). */
void eddy_set_truncate(eddy_session *s, int n);
/* Diagnostics (errors, warnings) go here (default stderr). */
void eddy_set_diagnostics(eddy_session *s, FILE *err);

/* Result status of eddy_exec, also the command's exit status. */
#define EDDY_OK 0
#define EDDY_ERROR 1        /* a statement failed (syntax, binding, query) */
#define EDDY_USAGE 2

/* Runs every statement of sql.  script_name ("-e", a file name, ...) is
** used in error messages.  Stops at the first failing statement, prints the
** error with line, column and caret to the diagnostics stream, and returns
** EDDY_ERROR; returns EDDY_OK when all statements succeeded. */
int eddy_exec(eddy_session *s, const char *sql, const char *script_name);

/* Text of the last error ("" if none). */
const char *eddy_errmsg(eddy_session *s);

/* Asks a running statement to stop at the next batch boundary (safe to call
** from a signal handler). */
void eddy_interrupt(eddy_session *s);

#endif
