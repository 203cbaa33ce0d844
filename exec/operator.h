/*
** exec/operator.h — the one push-based interface every physical operator
** implements, and the execution context they share.
**
** Data flows from the leaves to the root.  A driver (a scan) calls push() on
** its parent with each batch and finish() when its input ends.  An operator
** with two inputs tells them apart by port: a join's probe side is port 0 and
** its build side port 1; the executor runs the build side to completion
** (push... finish(port 1)) before it starts the probe side.  An operator
** passes its own output upward with ed_op_emit() and ed_op_emit_finish().
** The root of every pipeline is a sink operator that hands batches to an
** EdSink (sinks/sink.h).
**
** Every callback returns 0 on success and -1 on failure, after recording the
** error in the context with ed_exec_error().  After a failure the executor
** stops pushing and destroys the tree.
**
** Statistics: ed_op_emit() counts the sender's rows_out; the receiving
** operator counts its own rows_in (in push) and finished_inputs (in finish).
*/
#ifndef ED_OPERATOR_H
#define ED_OPERATOR_H

#include "common/error.h"
#include "exec/batch.h"

typedef struct EdOp EdOp;
typedef struct EdExecCtx EdExecCtx;

typedef struct EdOpVtab {
  const char *name;                               /* "HashAggregate", ... */
  int (*push)(EdOp *op, int port, EdBatch *batch);
  int (*finish)(EdOp *op, int port);
  void (*destroy)(EdOp *op);                      /* frees op itself too */
  /* Streaming: the current micro-batch has ended on port (every row of it
  ** has been pushed).  A stateful operator emits the delta its output mode
  ** asks for, evicts what the watermark allows, then forwards the signal
  ** with ed_op_emit_end_batch().  NULL means "forward at once" (stateless
  ** operators).  An operator with two streaming inputs forwards once both
  ** have ended the batch; a static input (the table side of a stream-table
  ** join, which has finished) never sends it. */
  int (*end_batch)(EdOp *op, int port);
} EdOpVtab;

struct EdOp {
  const EdOpVtab *vt;
  EdExecCtx *ctx;
  EdOp *parent;          /* consumer of this operator's output */
  int parent_port;       /* port of the parent this operator feeds */
  int ninputs;           /* 1, or 2 for joins and set operations */
  int finished_inputs;   /* count of finish() calls received */
  int64_t rows_in;       /* statistics for EXPLAIN ANALYZE / progress */
  int64_t rows_out;
  size_t state_bytes;    /* memory held as operator state */
  int stream_inputs;     /* how many inputs send end_batch (set by the
                            streaming executor; 0 in a batch run) */
  int ended_inputs;      /* end_batch signals received in this batch */
  /* State statistics of a stateful streaming operator (progress JSON);
  ** the *_batch counters are reset by the driver before each batch. */
  int64_t state_rows;            /* numRowsTotal */
  int64_t rows_updated_batch;    /* numRowsUpdated */
  int64_t rows_removed_batch;    /* numRowsRemoved */
  int64_t rows_late_batch;       /* numRowsDroppedByWatermark */
  bool stateful;                 /* reports stateOperators in progress */
};

/* Shared by all operators of one query run.  Zero-initialize it, then set
** query_arena. */
struct EdExecCtx {
  EdError err;
  volatile int interrupted;   /* set asynchronously (SIGINT) to stop a run */
  EdArena *query_arena;       /* lives as long as the query */
  int64_t now_us;             /* value of now() for this run; 0 = not taken
                                 yet: the first ed_eval_new() takes the
                                 clock.  A streaming driver may set it before
                                 each trigger (evaluators read it per run). */
  /* Streaming runs (set by the trigger loop before each micro-batch). */
  bool streaming;
  int64_t batch_id;           /* current micro-batch */
  int64_t watermark;          /* event-time watermark for this batch (us):
                                 the epoch at first, ED_TS_MAX in the final
                                 batch of a finite run */
  bool final_batch;           /* inputs have ended: emit everything */
  int64_t proc_time_us;       /* processing time at the batch's start */
};

/* Records an execution error and returns -1. */
int ed_exec_error(EdExecCtx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Pushes b to op's parent (counts rows_out). Empty batches are not sent. */
int ed_op_emit(EdOp *op, EdBatch *b);

/* Signals end of output to op's parent. */
int ed_op_emit_finish(EdOp *op);

/* Signals the end of the current micro-batch to op's parent (streaming);
** see EdOpVtab.end_batch. */
int ed_op_emit_end_batch(EdOp *op);

/* Delivers end_batch on port to op (its vtab's handler, or forwarding
** when it has none), counting ended_inputs so that a two-input operator
** forwards once every streaming input has ended the batch. */
int ed_op_end_batch(EdOp *op, int port);

/* Initializes the common header of an operator. */
void ed_op_init(EdOp *op, const EdOpVtab *vt, EdExecCtx *ctx, int ninputs);

/* Connects child's output to parent's input port. */
void ed_op_connect(EdOp *child, EdOp *parent, int port);

#endif
