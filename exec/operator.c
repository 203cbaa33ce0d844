/*
** exec/operator.c — the common part of every operator (see operator.h):
** initialization, wiring, passing batches to the parent, execution errors.
*/
#include "exec/operator.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ed_exec_error(EdExecCtx *ctx, const char *fmt, ...) {
  char msg[sizeof ctx->err.msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ed_error_set(&ctx->err, ED_ERR_EXEC, NULL, "%s", msg);
}

void ed_op_init(EdOp *op, const EdOpVtab *vt, EdExecCtx *ctx, int ninputs) {
  memset(op, 0, sizeof *op);
  op->vt = vt;
  op->ctx = ctx;
  op->ninputs = ninputs;
}

void ed_op_connect(EdOp *child, EdOp *parent, int port) {
  assert(port >= 0 && port < parent->ninputs);
  child->parent = parent;
  child->parent_port = port;
}

int ed_op_emit(EdOp *op, EdBatch *b) {
  assert(op->parent);
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_out += n;
  return op->parent->vt->push(op->parent, op->parent_port, b);
}

int ed_op_emit_finish(EdOp *op) {
  assert(op->parent);
  return op->parent->vt->finish(op->parent, op->parent_port);
}

int ed_op_emit_end_batch(EdOp *op) {
  assert(op->parent);
  return ed_op_end_batch(op->parent, op->parent_port);
}

int ed_op_end_batch(EdOp *op, int port) {
  /* A two-input operator acts once every streaming input has ended the
  ** batch; the counter restarts for the next batch. */
  if (op->stream_inputs > 1 && ++op->ended_inputs < op->stream_inputs)
    return 0;
  op->ended_inputs = 0;
  if (op->vt->end_batch) return op->vt->end_batch(op, port);
  return op->parent ? ed_op_emit_end_batch(op) : 0;
}
