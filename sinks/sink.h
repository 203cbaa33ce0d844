/*
** sinks/sink.h — where result rows go.
**
** A sink receives the schema once (begin), then batches of result rows
** (write), then end.  The output writers of the command (table, csv, jsonl)
** are sinks over a FILE*; tests and the sqllogictest runner use their own.
** Writers honour the batch's selection vector.
*/
#ifndef ED_SINK_H
#define ED_SINK_H

#include <stdio.h>

#include "exec/batch.h"
#include "planner/catalog.h"

typedef struct EdSink EdSink;

struct EdSink {
  int (*begin)(EdSink *s, const EdSchema *schema);
  int (*write)(EdSink *s, const EdBatch *b);
  int (*end)(EdSink *s);
  void (*destroy)(EdSink *s);
  /* Streaming: called around the rows of each micro-batch, between begin
  ** and end (NULL: nothing to do).  The console prints its "Batch: N"
  ** header and one table per batch; csv/jsonl print the header once at
  ** begin and rows as they come. */
  int (*begin_batch)(EdSink *s, int64_t batch_id);
  int (*end_batch)(EdSink *s, int64_t batch_id);
  /* Set by the driver of a streaming query before begin(): the rows come
  ** in micro-batches, and end() adds no output of its own (the console
  ** prints one table per batch, none at the end, even when no batch ran).
  ** A writer that has seen a begin_batch acts so anyway. */
  bool streaming;
  /* What progress reports call the sink ("table", "csv", "jsonl",
  ** "changelog" for the writers of this module), or NULL. */
  const char *description;
  int64_t rows_written;
  /* Why the last begin/write/end returned -1 ("write error: Broken pipe").
  ** The writers of this module fill it; a sink defined elsewhere may leave
  ** it empty (zero-initialized), and the caller then says "sink failed". */
  char errmsg[256];
};

typedef enum EdOutFormat { ED_FMT_TABLE, ED_FMT_CSV, ED_FMT_JSONL,
                           ED_FMT_CHANGELOG } EdOutFormat;

/* Boxed table as DESIGN §7 (+---+ borders, |a|b| rows, right-aligned
** cells).  Strings longer than truncate characters are cut to truncate-3
** characters followed by "..." (Spark's rule); truncate 0 disables it and,
** as in Spark, left-aligns the cells.  NULL prints as "null".  It buffers
** rows to compute column widths and prints at end(); rows written after
** end() start a new table (one per console batch). */
EdSink *ed_sink_table_new(FILE *out, int truncate);

/* RFC 4180 CSV with a header line; fields quoted only when needed; NULL is
** an empty field; WINDOW columns become <name>_start,<name>_end. */
EdSink *ed_sink_csv_new(FILE *out, bool header);

/* One JSON object per line; NULL is null; WINDOW is {"start":..,"end":..};
** TIMESTAMP a string in eddy's text form; BIGINT/DOUBLE numbers. */
EdSink *ed_sink_jsonl_new(FILE *out);

/* The changelog form of CSV: a first column op holding each row's change
** kind from EdBatch.ops ("+I", "-U", "+U", "-D"; "+I" for every row of a
** batch without ops), then the row's columns as ed_sink_csv_new writes
** them; the header line (when asked for) starts with "op". */
EdSink *ed_sink_changelog_new(FILE *out, bool header);

/* Creates the writer for a format (table uses truncate).  CHANGELOG is
** ed_sink_changelog_new with a header: the writer adds the op column
** itself, from the batches' ops.
**
** Streaming (begin_batch / end_batch): the table writer prints, per
** micro-batch, Spark's console form
**     -------------------------------------------
**     Batch: N
**     -------------------------------------------
** then the boxed table of the batch's rows (an empty batch prints the
** header box and no rows) and a blank line; csv, jsonl and changelog
** write their header once, at begin, and each batch's rows as they come,
** and flush at the end of each batch.  Outside micro-batches writers
** flush after every write.  A failed write (EPIPE when the reader
** of a pipe is gone, ENOSPC) makes the call return -1 with errmsg set
** ("write error: Broken pipe").  EPIPE is only seen when the process
** ignores SIGPIPE (signal(SIGPIPE, SIG_IGN) at startup of the command);
** otherwise the signal ends the process first. */
EdSink *ed_sink_for_format(EdOutFormat fmt, FILE *out, int truncate);

/* Writes the text form of a value as the table and csv formats print it
** (NULL as "NULL" for table, "" for csv is the caller's choice: this
** function prints NULL as "NULL").  Returns the length written, at most
** cap-1; longer text is cut. */
int ed_value_to_text(const EdValue *v, char *buf, int cap);

#endif
