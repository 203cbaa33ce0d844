/*
** sources/file_source.h — reading a file as a bounded table, and the
** decoders that turn CSV and JSON lines into column batches.
**
** The decoder is incremental: it is fed buffers of bytes in order and
** appends complete records to a batch, so the same code serves bounded
** files now and streaming sources (stdin, file follow, socket, kafka)
** later.  Malformed records follow DESIGN §6 (PERMISSIVE, DROPMALFORMED,
** FAILFAST, _corrupt_record, bad_records_path).
*/
#ifndef ED_FILE_SOURCE_H
#define ED_FILE_SOURCE_H

#include "common/error.h"
#include "exec/batch.h"
#include "exec/operator.h"
#include "planner/catalog.h"

typedef enum EdInFormat { ED_IN_CSV, ED_IN_JSONL, ED_IN_TEXT } EdInFormat;
typedef enum EdBadMode { ED_BAD_PERMISSIVE, ED_BAD_DROPMALFORMED,
                         ED_BAD_FAILFAST } EdBadMode;

typedef struct EdDecodeOpts {
  EdInFormat format;
  bool header;              /* csv: first record is a header (skipped) */
  char delimiter;           /* csv: default ',' */
  EdBadMode mode;
  const char *bad_records_path;   /* directory, or NULL */
  const char *source_name;  /* for messages: file path, "stdin", ... */
} EdDecodeOpts;

/* Fills opts from a table's WITH options (format, header, delimiter, mode,
** bad_records_path).  Returns -1 with err set on an invalid value.
** Defaults: format from the path's extension (.jsonl/.json/.ndjson jsonl,
** .txt/.log text, else csv), header true, delimiter ',', mode PERMISSIVE;
** source_name is the path.  The incremental decoders themselves are in
** sources/decoder.h. */
int ed_decode_opts_from_table(const EdTable *t, EdDecodeOpts *opts,
                              EdError *err);

/* Counts kept by a decoder. */
typedef struct EdDecodeStats {
  int64_t records;          /* good records decoded */
  int64_t bad;              /* malformed records (kept as NULLs or dropped) */
  int64_t line;             /* current line number (1-based) */
} EdDecodeStats;

/* Reads the whole file of a file-connector table and pushes it, in batches
** of the table's schema, into consumer (port 0), then calls finish.  At the
** end, if any record was malformed, prints one warning line to stderr
** counting them (PERMISSIVE / DROPMALFORMED).  Returns 0 or -1 with
** ctx->err set (unreadable file, FAILFAST). */
int ed_file_scan(EdExecCtx *ctx, const EdTable *t, EdOp *consumer,
                 EdDecodeStats *stats);

/* Infers a schema from the start of a file: CSV with a header names the
** columns; JSON lines take the keys of the first objects; column types are
** the narrowest of BIGINT, DOUBLE, TIMESTAMP, BOOLEAN, VARCHAR that fit the
** first rows.  Returns 0 or -1 with err set. */
int ed_infer_schema(const char *path, const EdDecodeOpts *opts,
                    EdSchema *out, EdError *err);

#endif
