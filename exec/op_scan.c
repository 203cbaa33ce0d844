/*
** exec/op_scan.c — drivers that push rows held in memory into a pipeline:
** a memory table's batches, and the rows of a VALUES node.
**
** A memory table's stored batches are never handed out themselves: each is
** copied (fixed-width arrays only; strings keep pointing into the table's
** arenas, which outlive the push) into a scratch batch, so that no consumer
** can disturb the table by narrowing or compacting what it receives.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/expr_eval.h"
#include "exec/ops.h"

/* Copies rows, validity and row count of src into dst (same types). */
static void shallow_copy(EdBatch *dst, const EdBatch *src) {
  int n = src->nrows;
  size_t words = (size_t)(n + 63) / 64;
  for (int c = 0; c < src->ncols; c++) {
    const EdVector *s = &src->cols[c];
    EdVector *d = &dst->cols[c];
    size_t w = ed_type_width(s->type);
    memcpy(d->data, s->data, w * (size_t)n);
    memcpy(d->validity, s->validity, sizeof(uint64_t) * words);
  }
  dst->nrows = n;
  dst->sel = NULL;
  dst->nsel = 0;
}

/* The error of a run stopped by an interrupt. */
static int interrupted(EdExecCtx *ctx) {
  return ed_exec_error(ctx, "interrupted");
}

int ed_scan_memtable(EdExecCtx *ctx, const EdMemTable *m, EdOp *consumer,
                     int port) {
  int ncols = m->schema.ncols;
  EdType types[ncols > 0 ? ncols : 1];
  types[0] = ED_T_NULL;   /* defined even with no columns */
  for (int c = 0; c < ncols; c++) types[c] = m->schema.cols[c].type;
  EdBatch *b = ed_batch_new(ncols, types);
  int rc = 0;
  for (int k = 0; k < m->nbatches && rc == 0; k++) {
    if (ctx->interrupted) {
      rc = interrupted(ctx);
      break;
    }
    if (m->batches[k]->nrows == 0) continue;
    shallow_copy(b, m->batches[k]);
    rc = consumer->vt->push(consumer, port, b);
  }
  ed_batch_free(b);
  if (rc) return -1;
  return consumer->vt->finish(consumer, port);
}

/* Evaluates one VALUES cell as a value of the column's type: a constant
** directly, anything else (now(), an unfolded expression, a value to
** convert) with a one-row evaluator; strings go to arena. */
static int values_cell(EdExecCtx *ctx, const EdExpr *e, EdType want,
                       EdArena *arena, EdValue *out) {
  EdExpr cast;
  EdExpr *argv[1] = {(EdExpr *)e};
  if (e->type != want && e->type != ED_T_NULL && want != ED_T_NULL) {
    memset(&cast, 0, sizeof cast);
    cast.kind = EXPR_CAST;
    cast.type = want;
    cast.nargs = 1;
    cast.args = argv;
    e = &cast;
  }
  if (e->kind == EXPR_CONST) {
    *out = e->value;
    out->type = e->type;
    if (e->type == ED_T_NULL) out->is_null = true;
    return 0;
  }
  return ed_eval_value(ctx, e, arena, out);
}

int ed_scan_values(EdExecCtx *ctx, const EdPlan *node, EdOp *consumer,
                   int port) {
  int ncols = node->schema.ncols;
  int nrows = node->nrows;
  assert(nrows == 0 || node->nexprs == nrows * ncols);
  EdType types[ncols > 0 ? ncols : 1];
  types[0] = ED_T_NULL;   /* defined even with no columns */
  for (int c = 0; c < ncols; c++) types[c] = node->schema.cols[c].type;
  EdBatch *b = ed_batch_new(ncols, types);
  EdArena cells;   /* strings of evaluated cells, until copied into b */
  ed_arena_init(&cells, 4096);
  int rc = 0;
  for (int r = 0; r < nrows && rc == 0; r++) {
    for (int c = 0; c < ncols && rc == 0; c++) {
      EdValue v;
      rc = values_cell(ctx, node->exprs[r * ncols + c], types[c], &cells, &v);
      if (rc == 0) ed_vector_put(b, c, b->nrows, &v);
    }
    if (rc) break;
    b->nrows++;
    if (b->nrows == ED_BATCH_CAP || r == nrows - 1) {
      if (ctx->interrupted) rc = interrupted(ctx);
      else rc = consumer->vt->push(consumer, port, b);
      ed_batch_reset(b);
      ed_arena_reset(&cells);
    }
  }
  ed_arena_free(&cells);
  ed_batch_free(b);
  if (rc) return -1;
  return consumer->vt->finish(consumer, port);
}
