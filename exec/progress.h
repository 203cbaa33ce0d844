/*
** exec/progress.h — the progress report of one micro-batch (--progress,
** .progress), as the trigger loop (exec/stream_query.c) collects it, and
** its JSON form.  Internal to exec/.
*/
#ifndef ED_PROGRESS_H
#define ED_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/operator.h"

#define ED_OFFSET_CAP 4096    /* bytes of one source offset (JSON text) */

/* What one source did in the batch. */
typedef struct EdProgSource {
  const char *description;
  char start[ED_OFFSET_CAP];  /* offsets as JSON text ("" = none) */
  char end[ED_OFFSET_CAP];
  int64_t rows;
} EdProgSource;

typedef struct EdProgress {
  const char *id;             /* query name, or "" */
  int64_t batch_id;
  int64_t start_us;           /* wall clock when the batch started */
  int64_t rows;               /* input rows of the batch */
  int64_t input_us;           /* since the previous batch started (> 0) */
  int64_t duration_us;        /* of the batch (> 0) */
  bool has_event_time;        /* ev_min / ev_max are set */
  int64_t ev_min, ev_max;
  bool has_watermark;         /* the query has a watermarked input */
  int64_t watermark;          /* of the batch; ED_TS_MAX: "+infinity" */
  int nops;                   /* stateful operators */
  EdOp *const *ops;
  int nsources;
  const EdProgSource *sources;
  const char *sink;           /* description of the sink */
  int64_t sink_rows;
  int64_t bad_rows;
} EdProgress;

/* The report as one line of JSON (no newline), malloc'ed:
**   {"id", "batchId", "timestamp" (ISO-8601 UTC, milliseconds),
**    "numInputRows", "inputRowsPerSecond", "processedRowsPerSecond",
**    "durationMs": {"triggerExecution"},
**    "eventTime": {"min", "max", "watermark"} (eddy's timestamp text; keys
**        without a value left out),
**    "stateOperators": [{"operatorName", "numRowsTotal", "numRowsUpdated",
**        "numRowsRemoved", "memoryUsedBytes", "numRowsDroppedByWatermark"}],
**    "sources": [{"description", "startOffset", "endOffset",
**        "numInputRows"}], (offsets as JSON values)
**    "sink": {"description", "numOutputRows"}, "numBadRows"} */
char *ed_progress_json(const EdProgress *p);

#endif
