/*
** exec/ops.h — constructors of the physical operators.
**
** Each returns an operator implementing the interface of exec/operator.h;
** the executor connects them with ed_op_connect().  Plan nodes passed in
** must outlive the operator (they live in the query arena).  Output batches
** of an operator are owned by it and reused between pushes.
*/
#ifndef ED_OPS_H
#define ED_OPS_H

#include "exec/memtable.h"
#include "exec/operator.h"
#include "planner/plan.h"
#include "sinks/sink.h"

/* Keeps the rows where pred is TRUE (narrows the selection; no copy). */
EdOp *ed_op_filter_new(EdExecCtx *ctx, const EdExpr *pred);

/* Computes node->exprs over each input batch (PLAN_PROJECT). */
EdOp *ed_op_project_new(EdExecCtx *ctx, const EdPlan *node);

/* Hash aggregation (PLAN_AGGREGATE): output at finish. With no group keys
** it outputs exactly one row, even for empty input. */
EdOp *ed_op_hash_agg_new(EdExecCtx *ctx, const EdPlan *node);

/* Joins: port 1 is the build (right) side and must finish first; port 0
** is the probe (left) side.  Output rows are left columns then right. */
EdOp *ed_op_hash_join_new(EdExecCtx *ctx, const EdPlan *node);
EdOp *ed_op_nl_join_new(EdExecCtx *ctx, const EdPlan *node);

/* Sort (with node->limit >= 0 a top-N sort keeping limit+offset rows). */
EdOp *ed_op_sort_new(EdExecCtx *ctx, const EdPlan *node);

EdOp *ed_op_limit_new(EdExecCtx *ctx, int64_t limit, int64_t offset);

/* Distinct rows, in order of first appearance. */
EdOp *ed_op_distinct_new(EdExecCtx *ctx, const EdPlan *node);

/* UNION ALL: both ports pass through; finishes when both have finished. */
EdOp *ed_op_union_all_new(EdExecCtx *ctx, const EdPlan *node);

/* UNION / EXCEPT / INTERSECT (distinct semantics); port 1 = right side,
** which finishes first. */
EdOp *ed_op_setop_new(EdExecCtx *ctx, const EdPlan *node);

/* Incremental aggregation (PHYS_STREAM_AGGREGATE): keeps its groups across
** micro-batches; at end_batch emits what node->mode asks for (COMPLETE:
** every group; UPDATE: groups changed in this batch; APPEND: groups final
** under the watermark, then evicted; CHANGES: the changelog, with batch
** ops), drops late rows and evicts state per node->window and the
** context's watermark.  In a batch run, finish() emits every group (as a
** final batch with the watermark at +infinity). */
EdOp *ed_op_stream_agg_new(EdExecCtx *ctx, const EdPlan *node);

/* explode(split(exprs[0], exprs[1])) (PHYS_EXPLODE): one output row per
** piece, the input columns then the piece; a NULL string gives no row. */
EdOp *ed_op_explode_new(EdExecCtx *ctx, const EdPlan *node);

/* Root of a pipeline: begin(schema) on the first push or at finish,
** write(batch) for each batch, end() at finish. */
EdOp *ed_op_sink_new(EdExecCtx *ctx, EdSink *sink, const EdSchema *schema);

/* Drivers: push a memory table's rows / a VALUES node's rows into
** consumer's port, then finish that port.  Return 0 or -1. */
int ed_scan_memtable(EdExecCtx *ctx, const EdMemTable *m, EdOp *consumer,
                     int port);
int ed_scan_values(EdExecCtx *ctx, const EdPlan *node, EdOp *consumer,
                   int port);

#endif
