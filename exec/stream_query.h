/*
** exec/stream_query.h — the trigger loop that runs a streaming plan as a
** sequence of micro-batches (docs/STREAMING.md).
**
** A stream query owns its operator tree (built once from the physical plan;
** stateful operators keep their state across batches), one source per
** stream scan, and the sink.  Batch N: poll sources, push rows, end_batch
** through the tree, update the watermark, run a no-data batch when the
** watermark moved and state waits on it, report progress.
*/
#ifndef ED_STREAM_QUERY_H
#define ED_STREAM_QUERY_H

#include <stdio.h>

#include "exec/operator.h"
#include "planner/plan.h"
#include "sinks/sink.h"

typedef struct EdStreamQuery EdStreamQuery;

typedef struct EdStreamOpts {
  FILE *progress;           /* --progress: one JSON line per batch, or NULL */
  const char *name;         /* query name for messages ("q1") */
} EdStreamOpts;

/* Builds the operator tree of physical (a plan from ed_plan_query_stream
** with info->streaming), opens its sources and begins the sink.  The plan
** and arena must outlive the query.  Returns NULL with err set. */
EdStreamQuery *ed_stream_query_new(const EdPlan *physical,
                                   const EdStreamInfo *info, EdSink *sink,
                                   const EdStreamOpts *opts, EdError *err);

/* Runs micro-batches while some source has data available now, plus the
** no-data batches the watermark calls for; returns without waiting.  This
** is what an INSERT into a memory stream triggers.  0 or -1 (err). */
int ed_stream_query_run_available(EdStreamQuery *q, EdError *err);

/* Runs the trigger loop until every source has ended (then finishes as
** ed_stream_query_finish does), the trigger says stop (ONCE, AVAILABLE
** NOW), or *interrupted becomes non-zero (then stops gracefully after the
** running batch).  0 or -1 (err). */
int ed_stream_query_run(EdStreamQuery *q, volatile int *interrupted,
                        EdError *err);

/* Ends the inputs: runs what is still available, then a final batch with
** the watermark at +infinity so that APPEND emits every open window, then
** ends the sink.  0 or -1 (err). */
int ed_stream_query_finish(EdStreamQuery *q, EdError *err);

/* Whether the query reads only memory streams (it is then driven by
** INSERT statements and ended by the end of the script). */
bool ed_stream_query_is_memory_driven(const EdStreamQuery *q);

/* Whether the query reads the stream t (INSERT INTO t must run it). */
bool ed_stream_query_reads(const EdStreamQuery *q, const EdTable *t);

/* The last progress report as a JSON object text ("" before the first
** batch); valid until the next batch. */
const char *ed_stream_query_last_progress(const EdStreamQuery *q);

void ed_stream_query_free(EdStreamQuery *q);

#endif
