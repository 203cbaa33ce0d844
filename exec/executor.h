/*
** exec/executor.h — runs a physical plan.
**
** ed_exec_run() instantiates one operator per physical plan node (exec/op_*.c),
** wires them bottom-up with a sink operator at the root, then drives the
** leaves: for every join or set operation the right (build) side runs to
** completion before the left (probe) side starts.  For a bounded query
** this produces the whole result; the streaming issue drives the same
** operators batch by batch.
*/
#ifndef ED_EXECUTOR_H
#define ED_EXECUTOR_H

#include "exec/operator.h"
#include "planner/plan.h"
#include "sinks/sink.h"

/* Per-operator statistics collected by a run, in plan pre-order, for
** EXPLAIN ANALYZE. */
typedef struct EdOpStats {
  const EdPlan *node;
  int64_t rows_out;
  size_t state_bytes;
} EdOpStats;

/* Runs plan to completion, writing every result row to sink (begin, write*,
** end).  Returns 0, or -1 with ctx->err set.  ctx->interrupted is checked
** between batches.  stats, if not NULL, receives a malloc'ed array of
** *nstats entries. */
int ed_exec_run(EdExecCtx *ctx, const EdPlan *plan, EdSink *sink,
                EdOpStats **stats, int *nstats);

#endif
