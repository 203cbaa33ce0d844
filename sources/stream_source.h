/*
** sources/stream_source.h — streaming sources: where the rows of a stream's
** unbounded input table come from.
**
** A source produces decoded rows in column batches of the stream's schema,
** as much as is available now, and tells when it has ended for good (a file
** read to its end without follow, a closed stdin or socket).  The trigger
** loop (exec/stream_query.c) asks every source of a query for what has
** arrived since the last batch, bounded by max_rows_per_trigger /
** max_files_per_trigger, pushes it through the plan, and, between batches,
** waits on the sources that can say when data arrives.
**
** Offsets: each source describes where the current micro-batch started and
** ended in its own terms (a byte offset in a file, a list of files read, a
** row count) as a small JSON value; progress reports print them and the
** checkpoint issue will persist them to replay a batch.
*/
#ifndef ED_STREAM_SOURCE_H
#define ED_STREAM_SOURCE_H

#include "common/error.h"
#include "exec/batch.h"
#include "planner/catalog.h"
#include "sources/file_source.h"

typedef struct EdStreamSource EdStreamSource;

typedef struct EdSourceVtab {
  /* Starts a micro-batch: fixes the end offset to what is available now,
  ** within the per-trigger limits (max_rows, 0 = none; max_files, 0 =
  ** none).  Returns 0 or -1 with err set. */
  int (*begin_batch)(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                     EdError *err);
  /* Appends rows of the current micro-batch to out (from out->nrows on,
  ** out has the stream's schema).  Returns the number of rows appended; 0
  ** when the micro-batch has no more rows.  -1 with err set on failure
  ** (FAILFAST, I/O). */
  int (*next)(EdStreamSource *s, EdBatch *out, EdError *err);
  /* Waits up to timeout_ms for new data (poll on a descriptor, or a sleep
  ** for sources that cannot tell).  Returns 1 when data may be available,
  ** 0 on timeout, -1 on error.  (timeout_ms < 0: no limit; a signal that
  ** interrupts the wait makes it return 0 at once.) */
  int (*wait)(EdStreamSource *s, int timeout_ms);
  /* Writes the JSON offsets of the current micro-batch's start and end. */
  void (*offsets)(EdStreamSource *s, char *start, char *end, size_t cap);
  void (*destroy)(EdStreamSource *s);
} EdSourceVtab;

struct EdStreamSource {
  const EdSourceVtab *vt;
  const EdTable *table;     /* the stream (schema, options) */
  char description[256];    /* "FileStream[path]", "MemoryStream[name]" */
  bool has_data;            /* set by begin_batch: the batch has rows */
  bool ended;               /* no row will ever come again */
  bool replayable;          /* offsets can be re-read (checkpoints) */
  EdDecodeStats stats;      /* records decoded / malformed so far */
  /* The stream's own per-trigger limits (its WITH options
  ** max_rows_per_trigger / max_files_per_trigger, 0 = none).  begin_batch
  ** applies the tighter of these and its arguments, so a caller may pass 0
  ** and still honour the stream's options. */
  int64_t max_rows_per_trigger;
  int64_t max_files_per_trigger;
  EdBadMode bad_mode;       /* decoding sources: what malformed records do */
  bool pruned;              /* the columns the query does not read stay
                               NULL (ed_stream_source_open_cols) */
  const char *bad_file;     /* bad_records.jsonl written so far, or NULL
                               (owned by the source) */
};

/* Opens the source of a stream according to its connector: memory, stdin,
** file (follow = true: tail -f), directory (new files, new_files_only,
** max_files_per_trigger; names starting with '.' or '_' ignored), socket
** (host, port, include_timestamp: client that reads UTF-8 lines), rate
** (rows_per_second: timestamp, value).  Unknown options and invalid values
** are errors that name the option and the accepted values.  Returns NULL
** with err set on failure. */
EdStreamSource *ed_stream_source_open(const EdTable *t, EdError *err);

/* As ed_stream_source_open, for a query that reads only the columns
** flagged in read (NULL: all; the array must outlive the source): a
** decoding source may leave the other columns NULL instead of converting
** them (see ed_decoder_prune for when it does). */
EdStreamSource *ed_stream_source_open_cols(const EdTable *t, const bool *read,
                                           EdError *err);

/* Memory streams: rows inserted with INSERT INTO are appended to the
** stream's memtable; a memory source reads from its own position in it,
** so every running query sees every insert once. */

/* ------------------------------------------------------------------
** Contract details of the sources (sources/stream_source.c and src_*.c).
**
** has_data / ended after begin_batch.  has_data says that the micro-batch
** holds at least one record (a blank line or a CSV header alone is no
** data; a malformed record is data even when DROPMALFORMED will drop it;
** a directory batch has data when it picked at least one file).  ended
** says that this micro-batch is the source's last one: process its rows
** (if any), then the source is finished (a file read to its end without
** follow, a closed stdin or socket).  Memory, directory, rate and followed
** files never end.  A record whose line end has not arrived yet is never
** part of a batch (except at the very end of a finite input).
**
** Micro-batch boundaries are record boundaries: offsets() is exact as
** soon as begin_batch has returned, and a batch read by next() to its end
** leaves no record half-decoded.  next() fills out until it is full or the
** micro-batch is exhausted, so a return below the room left means the
** batch is done; the next call returns 0.  begin_batch called again
** before a batch was read to its end keeps the unread rest in the new
** batch (memory and rate add what arrived since; the byte sources keep
** the old end).
**
** wait() returns 1 only for news since the last begin_batch (bytes or
** files that arrived, rows that became due, complete records a limit left
** for later, or the end of the input), so a loop begin_batch / wait never
** spins on a partial line.
**
** Offsets JSON (start / end of the current micro-batch):
**   memory     {"rows": N}
**   rate       {"value": N}                 (the value of the next row)
**   file       {"path": "...", "offset": B} (bytes, at record boundaries)
**   stdin      {"offset": B}
**   socket     {"offset": B}
**   directory  start {"files_read": N}, end {"files_read": M, "files":
**              ["<path>", ...]} (files of this batch); with a file cut by
**              max_rows_per_trigger, both also hold "path" and "offset"
**              of the position inside it.
*/

/* Options of a stream by connector (all take max_rows_per_trigger):
**   memory     -
**   stdin      format, header, delimiter, mode, bad_records_path,
**              include_timestamp, fd (descriptor, default 0)
**   file       path, follow, + the decoding options of stdin; a path that
**              is a directory makes it a directory stream
**   directory  path, max_files_per_trigger, new_files_only, + decoding
**   socket     host, port, + decoding (format default text: value VARCHAR)
**   rate       rows_per_second (default 1)
** Decoding options mean what they mean for file tables (DESIGN §6); the
** format defaults to the path's extension (per file in a directory),
** detection for stdin, text for socket. */

/* Validates a CREATE STREAM before it enters the catalog: the connector,
** every option (unknown names and invalid values are errors naming the
** option and the accepted values; required options present; paths that
** exist), and the schema.  schema holds the declared columns; when it has
** none it is filled with the connector's default (see
** ed_stream_default_schema).  With include_timestamp = true a declared
** column list gets `_arrival TIMESTAMP` appended unless it declares it.
** *bad_option (may be NULL) receives the index in opts of the option the
** error is about, or -1.  Returns 0 or -1 with err set (ED_ERR_BIND). */
int ed_stream_prepare(const char *connector, const EdOption *opts,
                      int nopts, EdSchema *schema, int *bad_option,
                      EdError *err);

/* The schema of a stream created without a column list: socket and text
** format: value VARCHAR; rate: timestamp TIMESTAMP, value BIGINT; file and
** directory: inferred from the file / the first file by name (an empty
** directory is an error that asks for a column list); stdin: detected and
** inferred from the bytes read ahead (see ed_stdin_prepare); memory: an
** error ("a memory stream needs a column list").  include_timestamp =
** true appends _arrival TIMESTAMP.  out is malloc'ed (ed_schema_free).
** Options are validated as ed_stream_prepare does.  0 or -1 (err). */
int ed_stream_default_schema(const char *connector, const EdOption *opts,
                             int nopts, EdSchema *out, EdError *err);

/* The built-in `stdin` stream.  Reads ahead from descriptor 0 (or fd) as
** much as detection and inference need (blocking until the first records
** or the end of the input arrive, then taking what else is there without
** waiting), keeps those bytes for the source that
** ed_stream_source_open will open on the stream, and builds the catalog
** entry: name "stdin", kind OBJ_STREAM, connector "stdin", options
** connector, format (csv, jsonl or text, as given or detected: JSON lines
** when the first non-blank character is '{', CSV with a header when the
** first line holds a comma or a tab, else text), delimiter when it is a
** tab, fd when not 0.  The schema is schema_text ("a BIGINT, b VARCHAR",
** see ed_schema_parse_text) or inferred from the bytes read ahead.  An
** invalid format or schema text is an ED_ERR_USAGE error naming
** --input-format / --schema.  *out is malloc'ed (ed_table_free, or
** ed_catalog_add).  Only one source may read a descriptor at a time. */
int ed_stdin_prepare(const char *format_or_NULL,
                     const char *schema_text_or_NULL, EdTable **out,
                     EdError *err);
int ed_stdin_prepare_fd(int fd, const char *format_or_NULL,
                        const char *schema_text_or_NULL, EdTable **out,
                        EdError *err);

/* Parses a column list "name TYPE, name TYPE, ..." (types by
** ed_type_from_name, names optionally in double quotes) into out
** (malloc'ed).  Returns 0 or -1 with err set (ED_ERR_USAGE) naming the
** column at fault. */
int ed_schema_parse_text(const char *text, EdSchema *out, EdError *err);

/* Prints the warning for the malformed records a source met so far, as
** the file scan does ("warning: <source>: N malformed records kept as
** NULLs (mode PERMISSIVE)[; written to <file>]"), when there were any and
** the mode is not FAILFAST.  The trigger loop calls it once, when the
** query ends. */
void ed_stream_source_warn(const EdStreamSource *s, FILE *f);

#endif
