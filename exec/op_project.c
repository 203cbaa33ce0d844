/*
** exec/op_project.c — the Project operator: computes the select list over
** each input batch.
**
** The output batch is the operator's own, reused for every push.  Results
** are written at the input rows' positions and the input's selection is
** carried over, so nothing is compacted.  A bare column reference is not
** copied at all: the output column borrows the input column's arrays for
** the duration of the push (the batch lifetime rule of batch.h makes this
** safe), and gets its own arrays back before the next one.  For the same
** reason the change kinds of a changelog batch (EdBatch.ops) are passed on
** by pointer.  The end of a micro-batch is forwarded as it comes.
*/
#include <stdlib.h>
#include <string.h>

#include "exec/expr_eval.h"
#include "exec/ops.h"

typedef struct ProjectOp {
  EdOp base;
  const EdPlan *node;
  EdBatch *out;
  EdEvaluator **evs;      /* NULL for borrowed columns */
  int *borrow;            /* input column a borrowed output column shows */
  EdVector *own;          /* each output column's own arrays */
} ProjectOp;

/* Gives borrowed columns their own arrays back. */
static void restore_columns(ProjectOp *p) {
  for (int c = 0; c < p->out->ncols; c++) {
    p->out->cols[c].data = p->own[c].data;
    p->out->cols[c].validity = p->own[c].validity;
  }
}

/* Computes the select list over the active rows of in and emits it. */
static int project_push(EdOp *op, int port, EdBatch *in) {
  (void)port;
  ProjectOp *p = (ProjectOp *)op;
  EdBatch *out = p->out;
  op->rows_in += ed_batch_count(in);
  restore_columns(p);
  ed_batch_reset(out);
  out->nrows = in->nrows;
  out->ops = in->ops;     /* same row positions: same change kinds */
  if (in->sel) {
    memcpy(out->sel_buf, in->sel, sizeof(uint16_t) * (size_t)in->nsel);
    out->sel = out->sel_buf;
    out->nsel = in->nsel;
  }
  for (int c = 0; c < out->ncols; c++) {
    if (p->borrow[c] >= 0) {
      const EdVector *src = &in->cols[p->borrow[c]];
      out->cols[c].data = src->data;
      out->cols[c].validity = src->validity;
      continue;
    }
    if (ed_eval_run(p->evs[c], in, &out->cols[c], &out->arena)) return -1;
  }
  return ed_op_emit(op, out);
}

/* End of input: passed on. */
static int project_finish(EdOp *op, int port) {
  (void)port;
  op->finished_inputs++;
  return ed_op_emit_finish(op);
}

/* Frees evaluators, output batch and the operator. */
static void project_destroy(EdOp *op) {
  ProjectOp *p = (ProjectOp *)op;
  restore_columns(p);
  for (int c = 0; c < p->out->ncols; c++) ed_eval_free(p->evs[c]);
  ed_batch_free(p->out);
  free(p->evs);
  free(p->borrow);
  free(p->own);
  free(p);
}

static const EdOpVtab project_vt = {.name = "Project",
                                    .push = project_push,
                                    .finish = project_finish,
                                    .destroy = project_destroy};

EdOp *ed_op_project_new(EdExecCtx *ctx, const EdPlan *node) {
  ProjectOp *p = ed_calloc(1, sizeof *p);
  ed_op_init(&p->base, &project_vt, ctx, 1);
  p->node = node;
  int n = node->nexprs;
  EdType types[n > 0 ? n : 1];
  types[0] = ED_T_NULL;   /* defined even with no columns */
  for (int c = 0; c < n; c++)
    types[c] = c < node->schema.ncols ? node->schema.cols[c].type
                                      : node->exprs[c]->type;
  p->out = ed_batch_new(n, types);
  p->evs = ed_calloc((size_t)(n > 0 ? n : 1), sizeof *p->evs);
  p->borrow = ed_calloc((size_t)(n > 0 ? n : 1), sizeof *p->borrow);
  p->own = ed_calloc((size_t)(n > 0 ? n : 1), sizeof *p->own);
  for (int c = 0; c < n; c++) {
    const EdExpr *e = node->exprs[c];
    p->own[c] = p->out->cols[c];
    p->borrow[c] = -1;
    if (e->kind == EXPR_COLREF && e->type == types[c]) p->borrow[c] = e->col;
    else p->evs[c] = ed_eval_new(ctx, e);
  }
  return &p->base;
}
