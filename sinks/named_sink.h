/*
** sinks/named_sink.h — the sinks that `CREATE SINK name WITH (connector =
** ...)` makes (DESIGN §3, §7): console, file and memory.  (The fourth
** kind, stdout, is one of the writers of sinks/sink.h.)
**
** Each is an EdSink driven in micro-batches (begin, then begin_batch /
** write* / end_batch per batch, then end); a batch query written into a
** named sink is one batch, number 0.
*/
#ifndef ED_NAMED_SINK_H
#define ED_NAMED_SINK_H

#include <pthread.h>
#include <stdio.h>

#include "common/error.h"
#include "sinks/sink.h"

/* Spark's console sink: per batch the "Batch: N" banner, then the boxed
** table (ed_sink_table_new with truncate) of the batch's first num_rows
** rows (num_rows >= 1) followed, when the batch had more, by the line
** "only showing top N rows", then a blank line. */
EdSink *ed_sink_console_new(FILE *out, int num_rows, int truncate);

/* The file sink: a directory (created when missing) that receives one part
** file per batch with rows, part-<batch>-<run>.csv or .jsonl, where run
** tells apart the runs (queries) that wrote into the same directory: one
** more than the highest run of the part files already there.  Each part
** file is written to a hidden temporary name (".part-...tmp"), fsynced
** and renamed, so that a reader of the directory never sees a partial
** file; then one JSON line {"batchId", "run", "query", "file", "rows"} is
** appended to the directory's _batches log (file null for a batch
** without rows) and fsynced: the log lists the committed batches.
** jsonl false: CSV with a header line when header is true.  query is the
** writing query's name (for the log).  Returns NULL with err set when the
** directory cannot be made or read. */
EdSink *ed_sink_file_new(const char *dir, bool jsonl, bool header,
                         const char *query, EdError *err);

/* The memory sink: the query's result table, kept in result->mem (a memory
** table of the query's columns) where ordinary SELECTs read it.  The rows
** of a batch are staged and applied at its end, with lock held, so that
** a reader holding lock sees the table as of a committed batch:
**   EMIT_COMPLETE  the batch's rows replace the table;
**   EMIT_APPEND    they are appended;
**   EMIT_UPDATE    they are upserted: a row replaces the row with the same
**                  values in the key columns keys[0..nkeys) (nkeys 0:
**                  appended);
**   EMIT_CHANGES   the changelog is applied in order: +I and +U add a row,
**                  -U and -D remove one row equal to theirs.
** lock may be NULL (no other thread reads).  The sink does not own result
** (it replaces result->mem, which result owns). */
EdSink *ed_sink_memory_new(EdTable *result, pthread_mutex_t *lock, EdEmitMode mode,
                           const int *keys, int nkeys);

#endif
