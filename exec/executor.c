/*
** exec/executor.c — turns a physical plan into a tree of operators and runs
** it to completion (see executor.h).
**
** One operator is made per plan node, in plan pre-order, and connected to
** its parent's port (a join's or set operation's left child feeds port 0,
** its right child port 1); a sink operator is the root.  Leaves are not
** operators but drivers (a memory-table scan, a file scan, VALUES) that push
** batches upward; each leaf pushes through a small "Scan" adapter operator
** that checks for an interrupt between batches, counts the leaf's rows, and
** lets a file scan (which always feeds port 0) feed any port.
**
** Leaves are driven one after another, depth first: for a join or a
** distinct set operation the right (build) subtree runs to completion before
** the left (probe) subtree starts; UNION ALL runs its left input first so
** that its output follows the order of its inputs.
**
** The tree (EdExecTree) is also what the trigger loop of a streaming query
** builds once and pushes every micro-batch into (exec/stream_query.c): a
** stream scan is a leaf like the others, but only that loop can drive it.
**
** Also here: EdExprCols, the expression helper of the stateful operators.
*/
#include "exec/executor.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/ops.h"
#include "sources/file_source.h"

/* ------------------------------------------------------------ EdExprCols */

int ed_exprcols_init(EdExprCols *ec, EdExecCtx *ctx, EdExpr *const *exprs,
                     int n) {
  memset(ec, 0, sizeof *ec);
  ec->n = n;
  size_t m = (size_t)(n ? n : 1);
  ec->exprs = ed_calloc(m, sizeof(EdExpr *));
  ec->ev = ed_calloc(m, sizeof(EdEvaluator *));
  ec->scratch = ed_calloc(m, sizeof(EdVector));
  ec->vecs = ed_calloc(m, sizeof(EdVector *));
  for (int i = 0; i < n; i++) {
    EdExpr *e = exprs[i];
    ec->exprs[i] = e;
    if (!e || e->kind == EXPR_COLREF) continue;
    ec->ev[i] = ed_eval_new(ctx, e);
    if (!ec->ev[i]) {
      if (ctx->err.kind == ED_ERR_NONE)
        ed_exec_error(ctx, "cannot evaluate an expression");
      ed_exprcols_free(ec);
      return -1;
    }
    ed_vector_init(&ec->scratch[i], e->type);
  }
  return 0;
}

int ed_exprcols_run(EdExprCols *ec, EdBatch *b, EdArena *arena) {
  for (int i = 0; i < ec->n; i++) {
    const EdExpr *e = ec->exprs[i];
    if (!e) {
      ec->vecs[i] = NULL;
    } else if (!ec->ev[i]) {
      assert(e->col >= 0 && e->col < b->ncols);
      ec->vecs[i] = &b->cols[e->col];
    } else {
      if (ed_eval_run(ec->ev[i], b, &ec->scratch[i], arena) < 0) return -1;
      ec->vecs[i] = &ec->scratch[i];
    }
  }
  return 0;
}

void ed_exprcols_free(EdExprCols *ec) {
  for (int i = 0; i < ec->n && ec->ev; i++) {
    if (!ec->ev[i]) continue;
    ed_eval_free(ec->ev[i]);
    ed_vector_free(&ec->scratch[i]);
  }
  free(ec->exprs);
  free(ec->ev);
  free(ec->scratch);
  free(ec->vecs);
  memset(ec, 0, sizeof *ec);
}

/* ------------------------------------------------------------ scan adapter */

typedef struct ScanAdapter {
  EdOp base;
  bool stopped;       /* refused a batch because a LIMIT above is done */
} ScanAdapter;

/* Is there a LIMIT above op that will pass no more rows? */
static bool limit_done_above(const EdOp *op) {
  for (const EdOp *o = op->parent; o; o = o->parent)
    if (ed_op_limit_done(o)) return true;
  return false;
}

/* Forwards a leaf's batch unless the run was interrupted.  Once a LIMIT
** above is satisfied it refuses the batch (without an error) so that the
** driver stops reading; run_leaf() then finishes the leaf itself. */
static int scan_push(EdOp *op, int port, EdBatch *b) {
  (void)port;
  if (op->ctx->interrupted)
    return ed_exec_error(op->ctx, "query interrupted");
  if (limit_done_above(op)) {
    ((ScanAdapter *)op)->stopped = true;
    return -1;
  }
  op->rows_in += ed_batch_count(b);
  return ed_op_emit(op, b);
}

/* Passes the end of the leaf's rows on. */
static int scan_finish(EdOp *op, int port) {
  (void)port;
  return ed_op_emit_finish(op);
}

/* Frees the adapter. */
static void scan_destroy(EdOp *op) { free(op); }

static const EdOpVtab scan_vtab = {
    .name = "Scan",
    .push = scan_push,
    .finish = scan_finish,
    .destroy = scan_destroy,
};

/* The pass-through operator between a leaf driver and its consumer. */
static EdOp *scan_adapter_new(EdExecCtx *ctx) {
  ScanAdapter *a = ed_calloc(1, sizeof *a);
  ed_op_init(&a->base, &scan_vtab, ctx, 1);
  return &a->base;
}

/* ------------------------------------------------------------ the tree */

bool ed_exec_is_leaf(const EdPlan *p) {
  return p->phys == PHYS_TABLE_SCAN || p->phys == PHYS_FILE_SCAN ||
         p->phys == PHYS_VALUES || p->phys == PHYS_STREAM_SCAN;
}

/* Makes the operator of one (non-leaf) plan node, or NULL with the
** context error set. */
static EdOp *make_op(EdExecCtx *ctx, const EdPlan *p) {
  switch (p->phys) {
    case PHYS_FILTER: return ed_op_filter_new(ctx, p->pred);
    case PHYS_PROJECT: return ed_op_project_new(ctx, p);
    case PHYS_HASH_AGGREGATE: return ed_op_hash_agg_new(ctx, p);
    case PHYS_HASH_JOIN: return ed_op_hash_join_new(ctx, p);
    case PHYS_NESTED_LOOP_JOIN: return ed_op_nl_join_new(ctx, p);
    case PHYS_SORT: return ed_op_sort_new(ctx, p);
    case PHYS_LIMIT: return ed_op_limit_new(ctx, p->limit, p->offset);
    case PHYS_HASH_DISTINCT: return ed_op_distinct_new(ctx, p);
    case PHYS_UNION_ALL: return ed_op_union_all_new(ctx, p);
    case PHYS_HASH_SETOP: return ed_op_setop_new(ctx, p);
    case PHYS_STREAM_AGGREGATE: return ed_op_stream_agg_new(ctx, p);
    case PHYS_EXPLODE: return ed_op_explode_new(ctx, p);
    default:
      ed_exec_error(ctx, "plan node of kind %d is not executable",
                    (int)p->phys);
      return NULL;
  }
}

/* Number of children of a physical node. */
static int input_count(const EdPlan *p) {
  switch (p->phys) {
    case PHYS_HASH_JOIN: case PHYS_NESTED_LOOP_JOIN: case PHYS_UNION_ALL:
    case PHYS_HASH_SETOP:
      return 2;
    default:
      return ed_exec_is_leaf(p) ? 0 : 1;
  }
}

/* Instantiates the subtree of p feeding parent's port.  Returns its node
** index, or -1 with the context error set. */
static int build(EdExecTree *x, const EdPlan *p, EdOp *parent, int port) {
  if (!p) {
    ed_exec_error(x->ctx, "plan node lacks an input");
    return -1;
  }
  if (x->n == x->cap) {
    x->cap = x->cap ? x->cap * 2 : 16;
    x->nodes = ed_realloc(x->nodes, sizeof(EdExecNode) * (size_t)x->cap);
  }
  int i = x->n++;
  x->nodes[i] = (EdExecNode){p, NULL, -1, -1};
  EdOp *op = ed_exec_is_leaf(p) ? scan_adapter_new(x->ctx)
                                : make_op(x->ctx, p);
  if (!op) {
    if (x->ctx->err.kind == ED_ERR_NONE)
      ed_exec_error(x->ctx, "cannot create the operator of a plan node");
    return -1;
  }
  x->nodes[i].op = op;
  ed_op_connect(op, parent, port);
  int nin = input_count(p);
  if (nin >= 1) {
    int l = build(x, p->left, op, 0);
    x->nodes[i].left = l;
    if (l < 0) return -1;
  }
  if (nin == 2) {
    int r = build(x, p->right, op, 1);
    x->nodes[i].right = r;
    if (r < 0) return -1;
  }
  return i;
}

int ed_exec_build(EdExecTree *t, EdExecCtx *ctx, const EdPlan *plan,
                  EdSink *sink) {
  memset(t, 0, sizeof *t);
  t->ctx = ctx;
  if (!plan) return ed_exec_error(ctx, "no plan to run");
  t->sink = ed_op_sink_new(ctx, sink, &plan->schema);
  if (!t->sink) {
    if (ctx->err.kind == ED_ERR_NONE)
      ed_exec_error(ctx, "cannot create the sink operator");
    return -1;
  }
  return build(t, plan, t->sink, 0) < 0 ? -1 : 0;
}

void ed_exec_tree_free(EdExecTree *t) {
  for (int i = 0; i < t->n; i++)
    if (t->nodes[i].op) t->nodes[i].op->vt->destroy(t->nodes[i].op);
  if (t->sink) t->sink->vt->destroy(t->sink);
  free(t->nodes);
  memset(t, 0, sizeof *t);
}

static int run_driver(EdExecTree *x, int i);

/* Runs the leaf driver of node i into its adapter, and ends the leaf
** early when a LIMIT above needs no more rows. */
static int run_leaf(EdExecTree *x, int i) {
  ScanAdapter *adapter = (ScanAdapter *)x->nodes[i].op;
  if (x->ctx->interrupted) return ed_exec_error(x->ctx, "query interrupted");
  if (limit_done_above(&adapter->base))
    return adapter->base.vt->finish(&adapter->base, 0);
  int rc = run_driver(x, i);
  /* A driver whose batch was refused stops without finishing the leaf. */
  if (rc < 0 && adapter->stopped && x->ctx->err.kind == ED_ERR_NONE)
    rc = adapter->base.vt->finish(&adapter->base, 0);
  return rc;
}

/* Runs the driver of leaf node i into its adapter. */
static int run_driver(EdExecTree *x, int i) {
  const EdPlan *p = x->nodes[i].plan;
  EdOp *adapter = x->nodes[i].op;
  switch (p->phys) {
    case PHYS_TABLE_SCAN:
      if (!p->table) return ed_exec_error(x->ctx, "scan without a table");
      /* A memory table that never received a row may have no storage. */
      if (!p->table->mem) return adapter->vt->finish(adapter, 0);
      return ed_scan_memtable(x->ctx, p->table->mem, adapter, 0);
    case PHYS_FILE_SCAN: {
      EdDecodeStats stats;
      memset(&stats, 0, sizeof stats);
      return ed_file_scan(x->ctx, p->table, adapter, &stats);
    }
    case PHYS_STREAM_SCAN:
      return ed_exec_error(x->ctx,
                           "the stream \"%s\" can only be read by a "
                           "streaming query",
                           p->table && p->table->name ? p->table->name : "?");
    default:
      return ed_scan_values(x->ctx, p, adapter, 0);
  }
}

int ed_exec_drive(EdExecTree *x, int i) {
  const EdExecNode *nd = &x->nodes[i];
  if (ed_exec_is_leaf(nd->plan)) return run_leaf(x, i);
  if (nd->right < 0) return ed_exec_drive(x, nd->left);
  if (nd->plan->phys == PHYS_UNION_ALL)
    return ed_exec_drive(x, nd->left) < 0 ? -1 : ed_exec_drive(x, nd->right);
  return ed_exec_drive(x, nd->right) < 0 ? -1 : ed_exec_drive(x, nd->left);
}

/* Copies every operator's counters, in plan pre-order. */
static void collect_stats(const EdExecTree *x, EdOpStats **stats,
                          int *nstats) {
  *stats = ed_calloc((size_t)(x->n ? x->n : 1), sizeof(EdOpStats));
  *nstats = 0;
  for (int i = 0; i < x->n && x->nodes[i].op; i++) {
    (*stats)[i].node = x->nodes[i].plan;
    (*stats)[i].rows_out = x->nodes[i].op->rows_out;
    (*stats)[i].state_bytes = x->nodes[i].op->state_bytes;
    *nstats = i + 1;
  }
}

int ed_exec_run(EdExecCtx *ctx, const EdPlan *plan, EdSink *sink,
                EdOpStats **stats, int *nstats) {
  if (stats) *stats = NULL;
  if (nstats) *nstats = 0;
  EdExecTree x;
  int rc = ed_exec_build(&x, ctx, plan, sink);
  if (rc == 0) rc = ed_exec_drive(&x, 0);
  if (stats && nstats) collect_stats(&x, stats, nstats);
  ed_exec_tree_free(&x);
  return rc;
}
