/*
** exec/op_sink.c — the root of every pipeline: hands batches to an EdSink.
**
** begin(schema) is called exactly once: before the first batch, or at
** finish when no row arrived, so an empty result still prints its header
** (a streaming query calls it when it starts, ed_op_sink_start).
**
** In a streaming run (stream_inputs > 0) the rows come in micro-batches:
** the sink's begin_batch(N) is called before the first rows of batch N, or
** at its end_batch when the batch brought no row (the console prints an
** empty batch too), and end_batch(N) when the batch ends.  The EdSink's
** own end() is left to finish(), which the trigger loop calls once when
** the query stops.
*/
#include <stdlib.h>

#include "exec/executor.h"
#include "exec/ops.h"

typedef struct SinkOp {
  EdOp base;
  EdSink *sink;
  const EdSchema *schema;
  bool begun;
  bool in_batch;        /* begin_batch called, end_batch not yet */
  int64_t batch_id;     /* of the open batch */
} SinkOp;

/* Records a sink failure unless the sink already explained itself. */
static int sink_failed(EdOp *op, const char *what) {
  SinkOp *s = (SinkOp *)op;
  if (op->ctx->err.kind != ED_ERR_NONE) return -1;
  if (s->sink->errmsg[0])
    return ed_exec_error(op->ctx, "writing the result failed (%s): %s", what,
                         s->sink->errmsg);
  return ed_exec_error(op->ctx, "writing the result failed (%s)", what);
}

/* Calls the sink's begin the first time only. */
static int sink_begin(SinkOp *s) {
  if (s->begun) return 0;
  s->begun = true;
  if (s->sink->begin && s->sink->begin(s->sink, s->schema))
    return sink_failed(&s->base, "begin");
  return 0;
}

int ed_op_sink_start(EdOp *op) { return sink_begin((SinkOp *)op); }

/* Opens the context's current micro-batch at the sink, once. */
static int sink_open_batch(SinkOp *s) {
  if (s->in_batch) return 0;
  if (sink_begin(s)) return -1;
  s->in_batch = true;
  s->batch_id = s->base.ctx->batch_id;
  if (s->sink->begin_batch && s->sink->begin_batch(s->sink, s->batch_id))
    return sink_failed(&s->base, "begin_batch");
  return 0;
}

/* Closes the open micro-batch at the sink. */
static int sink_close_batch(SinkOp *s) {
  if (!s->in_batch) return 0;
  s->in_batch = false;
  if (s->sink->end_batch && s->sink->end_batch(s->sink, s->batch_id))
    return sink_failed(&s->base, "end_batch");
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
  if (op->stream_inputs > 0 && sink_open_batch(s)) return -1;
  if (s->sink->write(s->sink, b)) return sink_failed(op, "write");
  op->rows_out += n;
  return 0;
}

/* The end of a micro-batch: the sink closes it (opening it first when
** no row came). */
static int sink_end_batch(EdOp *op, int port) {
  (void)port;
  SinkOp *s = (SinkOp *)op;
  if (sink_open_batch(s)) return -1;
  return sink_close_batch(s);
}

/* begin (if no batch came), the end of an open micro-batch, and end. */
static int sink_finish(EdOp *op, int port) {
  (void)port;
  SinkOp *s = (SinkOp *)op;
  op->finished_inputs++;
  if (sink_begin(s)) return -1;
  if (sink_close_batch(s)) return -1;
  if (s->sink->end && s->sink->end(s->sink)) return sink_failed(op, "end");
  return 0;
}

/* Frees the operator (the sink belongs to the caller). */
static void sink_destroy(EdOp *op) { free(op); }

static const EdOpVtab sink_vt = {.name = "Sink",
                                 .push = sink_push,
                                 .finish = sink_finish,
                                 .destroy = sink_destroy,
                                 .end_batch = sink_end_batch};

EdOp *ed_op_sink_new(EdExecCtx *ctx, EdSink *sink, const EdSchema *schema) {
  SinkOp *s = ed_calloc(1, sizeof *s);
  ed_op_init(&s->base, &sink_vt, ctx, 1);
  s->sink = sink;
  s->schema = schema;
  return &s->base;
}
