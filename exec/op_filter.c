/*
** exec/op_filter.c — the Filter operator: keeps the rows where a predicate
** is TRUE by narrowing the batch's selection (no copy).
**
** The incoming batch belongs to the producer, so the filter does not leave
** its mark on it: it narrows the selection into its own buffer, passes the
** batch on, and restores the producer's selection before returning.  Rows
** keep their positions, so a changelog batch keeps its change kinds
** (EdBatch.ops); the end of a micro-batch is forwarded as it comes.
*/
#include <stdlib.h>

#include "exec/expr_eval.h"
#include "exec/ops.h"

typedef struct FilterOp {
  EdOp base;
  EdEvaluator *pred;
  uint16_t sel[ED_BATCH_CAP];
} FilterOp;

/* Narrows, passes on, and restores the producer's selection. */
static int filter_push(EdOp *op, int port, EdBatch *b) {
  (void)port;
  FilterOp *f = (FilterOp *)op;
  op->rows_in += ed_batch_count(b);
  uint16_t *sel = b->sel, *sel_buf = b->sel_buf;
  int nsel = b->nsel;
  b->sel_buf = f->sel;
  int rc = ed_eval_filter(f->pred, b);
  if (rc == 0) rc = ed_op_emit(op, b);
  b->sel = sel;
  b->sel_buf = sel_buf;
  b->nsel = nsel;
  return rc;
}

/* End of input: passed on. */
static int filter_finish(EdOp *op, int port) {
  (void)port;
  op->finished_inputs++;
  return ed_op_emit_finish(op);
}

/* Frees the predicate and the operator. */
static void filter_destroy(EdOp *op) {
  FilterOp *f = (FilterOp *)op;
  ed_eval_free(f->pred);
  free(f);
}

static const EdOpVtab filter_vt = {.name = "Filter",
                                   .push = filter_push,
                                   .finish = filter_finish,
                                   .destroy = filter_destroy};

EdOp *ed_op_filter_new(EdExecCtx *ctx, const EdExpr *pred) {
  FilterOp *f = ed_malloc(sizeof *f);
  ed_op_init(&f->base, &filter_vt, ctx, 1);
  f->pred = ed_eval_new(ctx, pred);
  return &f->base;
}
