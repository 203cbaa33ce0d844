/*
** include/eddy.h — the public interface of libeddy.
**
** A session (eddy_session) holds a catalog of tables, streams and sinks and
** the session settings.  eddy_exec() runs a script of SQL statements:
** DDL changes the catalog, INSERT appends rows, SELECT results go to the
** session's output writer; a SELECT over streams runs as a sequence of
** micro-batches.  The `eddy` command is a thin layer over this.
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

/* Sets a session setting as `SET name = value` does.  Settings:
** output_mode (complete|update|append|changes), trigger ('<interval>',
** once, available now), checkpoint_location (a directory), timezone (UTC,
** '+HH:MM' or a zone name), truncate (as eddy_set_truncate), format
** (table|csv|jsonl|changelog, as eddy_set_output) and state_ttl (an
** interval such as '1 hour': running aggregates of streaming queries
** forget keys not updated for that long; 0 never).  Returns EDDY_OK, or
** EDDY_ERROR with the reason in eddy_errmsg(). */
int eddy_set(eddy_session *s, const char *name, const char *value);

/* Current value of a setting as normalized text, or NULL when it is not
** set (or the name is unknown).  Valid until the setting changes. */
const char *eddy_get(eddy_session *s, const char *name);

/* Asks a running statement to stop at the next batch boundary (safe to call
** from a signal handler). */
void eddy_interrupt(eddy_session *s);

/* Streaming queries (DESIGN §4, §8).  A SELECT over streams that reads
** only memory streams keeps running in the session after its statement
** returns: every INSERT INTO one of its streams runs it over the new rows
** (and the no-data batch a moved watermark calls for) before the INSERT
** returns.  eddy_finish() ends the input of every such query: a final
** batch with the watermark at +infinity (APPEND emits every open window),
** then the query stops and its output ends.  Call it when the script's
** input ends; eddy_close() calls it too.  Returns EDDY_OK, or EDDY_ERROR
** after printing the first failure to the diagnostics stream. */
int eddy_finish(eddy_session *s);

/* Progress of streaming queries: one JSON line per micro-batch to f
** (NULL, the default: none). */
void eddy_set_progress(eddy_session *s, FILE *f);

/* The built-in stream `stdin`: whether a query may read the process's
** standard input as a stream (data_ok 0 when the SQL itself comes from
** stdin), its format (csv, jsonl, text; NULL: detected) and its columns
** ("a BIGINT, b VARCHAR"; NULL: inferred).  Until this is called a query
** over `stdin` is an error. */
void eddy_set_stdin(eddy_session *s, int data_ok, const char *format,
                    const char *schema);

/* Background queries (the interactive shell).  With on != 0, every
** streaming query a statement starts runs on a thread of its own and the
** statement returns at once: a query over memory streams is still run by
** each INSERT INTO one of them before the INSERT returns; any other runs
** until its input ends, STOP QUERY, or eddy_finish(), which stops it after
** its running batch.  Their output is never written by their threads: it
** waits in the session until the session's thread writes it, after each
** statement and in eddy_show_pending().  Call before the first query. */
void eddy_set_background(eddy_session *s, int on);

/* A descriptor that becomes readable when output of background queries
** (or the end of one) waits to be shown; -1 outside background mode. */
int eddy_wake_fd(eddy_session *s);

/* Whether output or ends of background queries wait to be shown (empties
** the wake descriptor). */
int eddy_pending(eddy_session *s);

/* Writes what background queries published to their outputs, and reports
** (on the diagnostics stream) each query that ended by itself: its input
** ended, or it failed. */
void eddy_show_pending(eddy_session *s);

#endif
