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

#include "exec/expr_eval.h"
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

/* ---------------------------------------------------------------------
** The operator tree of a plan, for drivers other than ed_exec_run (the
** trigger loop of exec/stream_query.c builds it once and pushes each
** micro-batch into it).
**
** One node per plan node, in plan pre-order (nodes[0] is the plan's
** root).  A leaf (table scan, file scan, VALUES, stream scan) is not an
** operator but a driver: its node's op is the pass-through "Scan"
** adapter that the driver pushes into.  A node's left child feeds port 0
** of its operator, the right child port 1.
*/
typedef struct EdExecNode {
  const EdPlan *plan;
  EdOp *op;           /* the node's operator (a Scan adapter for a leaf) */
  int left, right;    /* child node indexes, -1 if none */
} EdExecNode;

typedef struct EdExecTree {
  EdExecCtx *ctx;
  EdExecNode *nodes;  /* plan pre-order */
  int n, cap;
  EdOp *sink;         /* the sink operator fed by nodes[0] */
} EdExecTree;

/* Whether p is a leaf driven from outside the operator tree (table scan,
** file scan, VALUES, stream scan). */
bool ed_exec_is_leaf(const EdPlan *p);

/* Builds the operators of plan under a sink operator writing to sink.
** Returns 0, or -1 with ctx->err set; t must be freed with
** ed_exec_tree_free in both cases. */
int ed_exec_build(EdExecTree *t, EdExecCtx *ctx, const EdPlan *plan,
                  EdSink *sink);

/* Drives the leaves of the subtree at node i to completion, in dependency
** order (a join's or distinct set operation's right side first, UNION
** ALL left to right), each pushing its rows and then finish().  A stream
** scan cannot be driven this way: it is an error naming the stream.
** Returns 0 or -1 with ctx->err set. */
int ed_exec_drive(EdExecTree *t, int i);

/* Destroys every operator of the tree (not the sink) and the node list. */
void ed_exec_tree_free(EdExecTree *t);

/* Calls the EdSink's begin(schema) now, once (the sink operator would do
** it before its first batch otherwise): a streaming query prints its csv
** header when it starts.  op must be the tree's sink operator.  0 or -1
** with ctx->err set. */
int ed_op_sink_start(EdOp *op);

/* ---------------------------------------------------------------------
** Helpers shared by the stateful operators (exec/op_*.c).
*/

/* The values of n expressions over one batch (group keys, join keys, sort
** keys, aggregate arguments).  A column reference is read in place from the
** batch; other expressions are evaluated into vectors owned here.  A NULL
** expression is allowed (count(*)) and yields a NULL vector pointer. */
typedef struct EdExprCols {
  int n;
  EdEvaluator **ev;       /* NULL for a column reference or NULL expr */
  EdVector *scratch;      /* result vectors of evaluated expressions */
  EdVector **vecs;        /* after ed_exprcols_run: expression i's values */
  EdExpr **exprs;         /* copy of the expression pointers */
} EdExprCols;

/* Prepares n expressions (the expressions must outlive ec; the array
** need not).  Returns 0, or -1 with ctx->err set (ec is then already
** freed).  ed_exprcols_free is safe on a zeroed or freed EdExprCols. */
int ed_exprcols_init(EdExprCols *ec, EdExecCtx *ctx, EdExpr *const *exprs,
                     int n);

/* Computes every expression over the active rows of b; ec->vecs[i] then
** holds expression i at the rows' physical positions, valid until b
** changes or the next run.  Strings produced go to arena. */
int ed_exprcols_run(EdExprCols *ec, EdBatch *b, EdArena *arena);

void ed_exprcols_free(EdExprCols *ec);

/* True when op is a LIMIT operator that has passed all the rows it ever
** will: the executor then stops the scans feeding it (exec/op_limit.c). */
bool ed_op_limit_done(const EdOp *op);

#endif
