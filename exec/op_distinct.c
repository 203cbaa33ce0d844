/*
** exec/op_distinct.c — SELECT DISTINCT (PHYS_HASH_DISTINCT).
**
** Every row is a key of the state hash table (NULL equal to NULL); a row is
** passed on only when its key is new, so the output keeps the order of
** first appearance and is produced as the input streams (nothing is held
** back until finish).  The operator narrows the input batch's selection to
** the new rows and forwards the batch: rows are not copied.
**
** The planner does not put DISTINCT over a stream; should it run in a
** streaming query, each micro-batch is distinct on its own: the rows seen
** are forgotten at the end of every batch, which is then forwarded.
*/
#include "exec/ops.h"

#include <stdlib.h>

#include "state/hashtable.h"

typedef struct DistinctOp {
  EdOp base;
  int ncols;
  EdHashTable *seen;
  EdVector **cols;
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
} DistinctOp;

/* Forwards the rows of b not seen before. */
static int distinct_push(EdOp *op, int port, EdBatch *b) {
  DistinctOp *d = (DistinctOp *)op;
  (void)port;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_in += n;
  for (int c = 0; c < d->ncols; c++) d->cols[c] = &b->cols[c];
  ed_ht_hash(d->seen, d->cols, b->sel, n, d->hashes);
  int fresh = ed_ht_find_or_insert(d->seen, d->cols, b->sel, n, d->hashes,
                                   d->ids, d->is_new);
  op->state_bytes = ed_ht_bytes(d->seen);
  if (fresh == 0) return 0;
  if (fresh < n) {
    int m = 0;
    for (int k = 0; k < n; k++)
      if (d->is_new[k]) b->sel_buf[m++] = (uint16_t)ed_batch_row(b, k);
    b->sel = b->sel_buf;
    b->nsel = m;
  }
  return ed_op_emit(op, b);
}

/* Passes the end of input on. */
static int distinct_finish(EdOp *op, int port) {
  (void)port;
  return ed_op_emit_finish(op);
}

/* End of a micro-batch: forget its rows, forward the signal. */
static int distinct_end_batch(EdOp *op, int port) {
  DistinctOp *d = (DistinctOp *)op;
  (void)port;
  ed_ht_clear(d->seen);
  op->state_bytes = ed_ht_bytes(d->seen);
  return ed_op_emit_end_batch(op);
}

/* Frees the operator and its row table. */
static void distinct_destroy(EdOp *op) {
  DistinctOp *d = (DistinctOp *)op;
  ed_ht_free(d->seen);
  free(d->cols);
  free(d);
}

static const EdOpVtab distinct_vtab = {
    .name = "HashDistinct",
    .push = distinct_push,
    .finish = distinct_finish,
    .destroy = distinct_destroy,
    .end_batch = distinct_end_batch,
};

EdOp *ed_op_distinct_new(EdExecCtx *ctx, const EdPlan *node) {
  DistinctOp *d = ed_calloc(1, sizeof *d);
  ed_op_init(&d->base, &distinct_vtab, ctx, 1);
  d->ncols = node->schema.ncols;
  EdType *types = ed_malloc(sizeof(EdType) * (size_t)(d->ncols + 1));
  for (int c = 0; c < d->ncols; c++) types[c] = node->schema.cols[c].type;
  d->seen = ed_ht_new(d->ncols, types, true);
  free(types);
  d->cols = ed_calloc((size_t)(d->ncols + 1), sizeof(EdVector *));
  return &d->base;
}
