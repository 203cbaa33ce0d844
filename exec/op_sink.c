/*
** exec/op_sink.c — the root of every pipeline: hands batches to an EdSink.
**
** begin(schema) is called exactly once: before the first batch, or at
** finish when no row arrived, so an empty result still prints its header.
*/
#include <stdlib.h>

#include "exec/ops.h"

typedef struct SinkOp {
  EdOp base;
  EdSink *sink;
  const EdSchema *schema;
  bool begun;
} SinkOp;

/* Records a sink failure unless the sink already explained itself. */
static int sink_failed(EdOp *op, const char *what) {
  if (op->ctx->err.kind == ED_ERR_NONE)
    ed_exec_error(op->ctx, "writing the result failed (%s)", what);
  return -1;
}

/* Calls the sink's begin the first time only. */
static int sink_begin(SinkOp *s) {
  if (s->begun) return 0;
  s->begun = true;
  if (s->sink->begin && s->sink->begin(s->sink, s->schema))
    return sink_failed(&s->base, "begin");
  return 0;
}

/* Hands a non-empty batch to the sink. */
static int sink_push(EdOp *op, int port, EdBatch *b) {
  (void)port;
  SinkOp *s = (SinkOp *)op;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_in += n;
  if (sink_begin(s)) return -1;
  if (s->sink->write(s->sink, b)) return sink_failed(op, "write");
  op->rows_out += n;
  return 0;
}

/* begin (if no batch came) and end. */
static int sink_finish(EdOp *op, int port) {
  (void)port;
  SinkOp *s = (SinkOp *)op;
  op->finished_inputs++;
  if (sink_begin(s)) return -1;
  if (s->sink->end && s->sink->end(s->sink)) return sink_failed(op, "end");
  return 0;
}

/* Frees the operator (the sink belongs to the caller). */
static void sink_destroy(EdOp *op) { free(op); }

static const EdOpVtab sink_vt = {"Sink", sink_push, sink_finish, sink_destroy};

EdOp *ed_op_sink_new(EdExecCtx *ctx, EdSink *sink, const EdSchema *schema) {
  SinkOp *s = ed_calloc(1, sizeof *s);
  ed_op_init(&s->base, &sink_vt, ctx, 1);
  s->sink = sink;
  s->schema = schema;
  return &s->base;
}
