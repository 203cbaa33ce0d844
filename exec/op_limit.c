/*
** exec/op_limit.c — LIMIT / OFFSET (PHYS_LIMIT).
**
** Passes rows through in arrival order, skipping the first offset rows and
** stopping after limit rows (limit -1: no limit).  Rows are not copied: the
** operator narrows the input batch's selection and forwards the batch.  Once
** the limit is reached further input is ignored (the scan may still run to
** its end; nothing more is produced).
**
** In a streaming query (COMPLETE mode: ORDER BY n DESC LIMIT 3 over an
** aggregation) each micro-batch is a whole result of its own: the counts
** start again at the end of every batch, which is then forwarded.  Rows
** keep their positions, so their change kinds (EdBatch.ops) go along.
*/
#include "exec/ops.h"

#include <stdlib.h>

#include "exec/executor.h"

typedef struct LimitOp {
  EdOp base;
  int64_t limit;      /* -1: none */
  int64_t offset;
  int64_t skipped;    /* rows skipped so far (< offset until done) */
  int64_t taken;      /* rows passed so far */
} LimitOp;

/* Keeps active rows [from, from + n) of b by rewriting its selection. */
static void narrow(EdBatch *b, int from, int n) {
  uint16_t *sel = b->sel_buf;
  for (int i = 0; i < n; i++) sel[i] = (uint16_t)ed_batch_row(b, from + i);
  b->sel = sel;
  b->nsel = n;
}

/* Forwards the part of b that falls inside [offset, offset + limit). */
static int limit_push(EdOp *op, int port, EdBatch *b) {
  LimitOp *l = (LimitOp *)op;
  (void)port;
  int n = ed_batch_count(b);
  op->rows_in += n;
  if (n == 0 || (l->limit >= 0 && l->taken >= l->limit)) return 0;
  int from = 0;
  if (l->skipped < l->offset) {
    int64_t skip = l->offset - l->skipped;
    from = skip < n ? (int)skip : n;
    l->skipped += from;
  }
  int take = n - from;
  if (l->limit >= 0 && l->limit - l->taken < take)
    take = (int)(l->limit - l->taken);
  if (take <= 0) return 0;
  if (from != 0 || take != n) narrow(b, from, take);
  l->taken += take;
  return ed_op_emit(op, b);
}

/* Passes the end of input on. */
static int limit_finish(EdOp *op, int port) {
  (void)port;
  return ed_op_emit_finish(op);
}

/* The end of a micro-batch: the next batch is limited afresh. */
static int limit_end_batch(EdOp *op, int port) {
  (void)port;
  LimitOp *l = (LimitOp *)op;
  l->skipped = 0;
  l->taken = 0;
  return ed_op_emit_end_batch(op);
}

/* Frees the operator. */
static void limit_destroy(EdOp *op) { free(op); }

static const EdOpVtab limit_vtab = {
    .name = "Limit",
    .push = limit_push,
    .finish = limit_finish,
    .destroy = limit_destroy,
    .end_batch = limit_end_batch,
};

bool ed_op_limit_done(const EdOp *op) {
  /* A streaming limit starts again with every micro-batch: never done. */
  if (op->vt != &limit_vtab || op->stream_inputs > 0) return false;
  const LimitOp *l = (const LimitOp *)op;
  return l->limit >= 0 && l->taken >= l->limit;
}

EdOp *ed_op_limit_new(EdExecCtx *ctx, int64_t limit, int64_t offset) {
  LimitOp *l = ed_calloc(1, sizeof *l);
  ed_op_init(&l->base, &limit_vtab, ctx, 1);
  l->limit = limit < 0 ? -1 : limit;
  l->offset = offset > 0 ? offset : 0;
  return &l->base;
}
