/*
** tests/unit/agg/agg_harness.h — scaffolding of the incremental
** aggregation tests.
**
** A test builds a PHYS_STREAM_AGGREGATE plan node by hand over the input
** row (k BIGINT, s VARCHAR, ts TIMESTAMP, v BIGINT, d DOUBLE), creates the
** operator with ed_op_stream_agg_new(), connects it to a collecting parent
** operator, and drives it like the trigger loop does: it sets the batch's
** watermark (or the final batch), pushes input batches, and calls
** ed_op_end_batch().  The collector formats every emitted row as text —
** the changelog op first when the batch carries ops, then the columns
** joined by '|': NULL as "NULL", TIMESTAMP in whole seconds, WINDOW as
** "[start,end)" in seconds, DOUBLE with %.12g — and keeps the rows of each
** micro-batch apart.
**
** The watermark driver (ah_run_wm) applies DESIGN §4 itself: batch N uses
** the watermark computed after batch N-1 (the epoch at first), which then
** becomes max(wm, max event time seen - delay); a batch that moved it is
** followed by a batch without data; the run ends with a final batch whose
** watermark is +infinity.
*/
#ifndef ED_AGG_HARNESS_H
#define ED_AGG_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/executor.h"
#include "exec/ops.h"
#include "planner/plan.h"

#define AH_SEC INT64_C(1000000)

/* Input columns. */
enum { AH_K, AH_S, AH_TS, AH_V, AH_D, AH_NCOLS };

/* One input row; *_null make a column NULL.  s == NULL is a NULL string. */
typedef struct AhRow {
  int64_t k;
  const char *s;
  int64_t ts;          /* seconds */
  int64_t v;
  double d;
  bool k_null, ts_null, v_null, d_null;
} AhRow;

/* Rows of text. */
typedef struct AhRows {
  int n, cap;
  char **v;
} AhRows;

void ah_rows_add(AhRows *r, const char *s);
void ah_rows_clear(AhRows *r);
void ah_rows_free(AhRows *r);

/* The test arena (plans, expressions). */
void ah_init(void);
void ah_done(void);
EdArena *ah_arena(void);

/* Expressions over the input row. */
EdExpr *ah_col(int c);
EdExpr *ah_const_interval(int64_t us);
EdExpr *ah_window_call(int64_t size_us, int64_t slide_us);   /* 0: none */
EdExpr *ah_session_call(int64_t gap_us);

EdAggCall ah_agg(EdAggFunc fn, bool distinct, int col, EdType type);
#define AH_COUNT_STAR ah_agg(AGG_COUNT_STAR, false, -1, ED_T_BIGINT)

/* A stream aggregate node: keys (the window key's expression at index
** wkey, or -1), aggregates, window kind and sizes (seconds), mode. */
typedef struct AhSpec {
  int nkeys;
  EdExpr *keys[8];
  int naggs;
  EdAggCall aggs[16];
  EdWindowKind kind;
  int wkey;
  int64_t size, slide, gap;    /* seconds */
  bool wm_bounded;
  EdEmitMode mode;
  int64_t ttl_us;
} AhSpec;

EdPlan *ah_plan(const AhSpec *spec);

/* The operator under test, its collector and context. */
typedef struct AhRun {
  EdExecCtx ctx;
  EdOp *op;
  EdOp *coll;
  EdBatch *in;
  int64_t batch;
} AhRun;

/* Creates the operator for plan; returns false (printing the error) when
** the constructor fails.  streaming sets ctx.streaming. */
bool ah_start(AhRun *r, EdPlan *plan, bool streaming);
void ah_stop(AhRun *r);

/* Pushes rows (as one or more input batches of at most ED_BATCH_CAP). */
int ah_push(AhRun *r, const AhRow *rows, int n);

/* Starts a micro-batch: watermark wm (seconds, or ED_TS_MAX), final
** marks the last batch, proc_us is its processing time.  Resets the
** operator's *_batch counters. */
void ah_begin(AhRun *r, int64_t wm_sec, bool final, int64_t proc_us);
/* Ends the micro-batch; the rows it emitted go to out (cleared first). */
int ah_end(AhRun *r, AhRows *out);
/* A batch: ah_begin, push rows, ah_end. */
int ah_batch(AhRun *r, int64_t wm_sec, const AhRow *rows, int n,
             AhRows *out);

/* finish() (a batch run); rows go to out. */
int ah_finish(AhRun *r, AhRows *out);

/* Runs the watermark driver over nb input batches (rows[i], counts[i])
** with the given delay (seconds).  All emitted rows, each batch preceded
** by a line "-- batch N", go to out; late counts are summed into *late. */
int ah_run_wm(AhRun *r, const AhRow *const *rows, const int *counts, int nb,
              int64_t delay_sec, AhRows *out, int64_t *late);

/* Compares got with want (n strings); prints the first difference. */
bool ah_same(const char *name, const AhRows *got, const char *const *want,
             int n);
/* As ah_same, as multisets. */
bool ah_same_set(const char *name, AhRows *got, AhRows *want);

/* Last emitted rows of the collector (the batch being built). */
extern int ah_coll_finishes;

#endif
