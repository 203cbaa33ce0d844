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
};

/* Records an execution error and returns -1. */
int ed_exec_error(EdExecCtx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Pushes b to op's parent (counts rows_out). Empty batches are not sent. */
int ed_op_emit(EdOp *op, EdBatch *b);

/* Signals end of output to op's parent. */
int ed_op_emit_finish(EdOp *op);

/* Initializes the common header of an operator. */
void ed_op_init(EdOp *op, const EdOpVtab *vt, EdExecCtx *ctx, int ninputs);

/* Connects child's output to parent's input port. */
void ed_op_connect(EdOp *child, EdOp *parent, int port);

#endif
