/*
** exec/op_stream_agg.c — incremental aggregation (PHYS_STREAM_AGGREGATE),
** the stateful heart of a streaming query (DESIGN §4, docs/STREAMING.md).
**
** The operator keeps its groups across micro-batches.  push() folds the
** rows of a batch into state: it evaluates the group keys other than the
** time key, the aggregate arguments and the event time as vectors, finds
** the state rows of the whole batch in hash tables, and folds the
** arguments with the shared accumulators (exec/agg_acc.c).  end_batch()
** emits what the output mode asks for, evicts what the watermark (or the
** state TTL) allows, then forwards the signal.  finish() — a batch query,
** e.g. sliding windows over a table — emits every group once.
**
** How time groups rows depends on node->window.kind; each kind has its own
** file (stream_agg_group.c: running aggregates, tumbling windows, raw
** event time; stream_agg_slide.c: sliding windows as panes;
** stream_agg_session.c: session windows), sharing the output machinery of
** stream_agg_emit.c.  The rules every kind follows:
**
**   - Late rows (only when the window's time is the watermark column and
**     the mode is not COMPLETE): a (row, window) pair is dropped when the
**     window's end <= wm, a row grouped by the raw event time when its
**     time <= wm, a session row when its own session [ts, ts + gap) ends
**     <= wm and touches no open session.  Every drop is counted in
**     rows_late_batch.  wm is the batch's watermark (ctx->watermark).
**   - At end_batch: COMPLETE emits every group; UPDATE the groups changed
**     by this batch; CHANGES the same as a changelog (+I the first time,
**     else -U old / +U new; -D for a session merged away); APPEND the
**     groups that became final (window end <= wm, event time <= wm, or
**     anything once the input has ended), once, then evicts them.  In the
**     other modes state whose time is final is evicted silently.
**   - Rows come out in a deterministic order: time key (NULL first), then
**     first appearance of the other keys (for running aggregates, tumbling
**     windows and raw event time: of the group).
**   - A NULL event time makes a group with a NULL time key that no
**     watermark closes; it is final only when the input ends.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/stream_agg_int.h"

/* ------------------------------------------------------------ helpers */

int sa_eval(SaOp *op, EdBatch *b) {
  if (ed_exprcols_run(&op->keys, b, &op->scratch) < 0) return -1;
  if (ed_exprcols_run(&op->args, b, &op->scratch) < 0) return -1;
  if (op->ts.n && ed_exprcols_run(&op->ts, b, &op->scratch) < 0) return -1;
  for (int j = 0; j < op->nother; j++) op->keyvecs[j] = op->keys.vecs[j];
  if (op->key_slot) op->keyvecs[op->nother] = &op->slotvec;
  return 0;
}

void sa_assign_kids(SaOp *op, int m) {
  int added;
  if (op->nother == 0) {
    /* One empty key: a single probe serves every row. */
    bool fresh;
    uint32_t id = ed_ht_insert_values(op->keytab, NULL, &fresh);
    for (int k = 0; k < m; k++) {
      op->kids[k] = id;
      op->is_new[k] = fresh && k == 0;
    }
    added = fresh;
  } else {
    ed_ht_hash(op->keytab, op->keyvecs, op->pos, m, op->hashes);
    added = ed_ht_find_or_insert(op->keytab, op->keyvecs, op->pos, m,
                                 op->hashes, op->kids, op->is_new);
  }
  if (!added) return;
  sa_keys_reserve(op, ed_ht_id_limit(op->keytab));
  for (int k = 0; k < m; k++)
    if (op->is_new[k]) sa_key_new(op, op->kids[k]);
}

/* Reads the batch's watermark from the context. */
static void read_watermark(SaOp *op) {
  const EdExecCtx *ctx = op->base.ctx;
  op->final = ctx->final_batch || ctx->watermark == ED_TS_MAX;
  op->wm = op->final ? ED_TS_MAX : ctx->watermark;
}

/* Bytes held as state by every part of the operator. */
static size_t state_bytes(const SaOp *op) {
  size_t n = ed_accs_bytes(&op->acc) + ed_accs_bytes(&op->tmp) +
             sa_prev_bytes(op) + ed_ht_bytes(op->keytab) +
             (size_t)op->kseq_cap * sizeof(uint64_t);
  switch (op->kind) {
    case WIN_SLIDING: return n + sa_slide_bytes(op);
    case WIN_SESSION: return n + sa_session_bytes(op);
    default: return n + sa_group_bytes(op);
  }
}

/* ------------------------------------------------------------ callbacks */

/* Folds the active rows of b into state. */
static int sa_push(EdOp *base, int port, EdBatch *b) {
  SaOp *op = (SaOp *)base;
  (void)port;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  base->rows_in += n;
  read_watermark(op);
  ed_arena_reset(&op->scratch);
  if (sa_eval(op, b) < 0) return -1;
  int rc;
  switch (op->kind) {
    case WIN_SLIDING: rc = sa_slide_push(op, b, n); break;
    case WIN_SESSION: rc = sa_session_push(op, b, n); break;
    default: rc = sa_group_push(op, b, n); break;
  }
  base->state_bytes = state_bytes(op);
  return rc;
}

/* Emits the batch's delta, evicts, and releases garbage. */
static int end_of_batch(SaOp *op) {
  int rc;
  switch (op->kind) {
    case WIN_SLIDING: rc = sa_slide_end(op); break;
    case WIN_SESSION: rc = sa_session_end(op); break;
    default: rc = sa_group_end(op); break;
  }
  if (rc < 0) return -1;
  op->stamp++;
  if (op->final) op->final_done = true;
  /* No string handed out in an output batch is in use any more. */
  sa_key_compact(op);
  ed_accs_compact(&op->acc);
  sa_prev_compact(op);
  op->base.state_bytes = state_bytes(op);
  return 0;
}

/* The micro-batch has ended: emit, evict, forward the signal. */
static int sa_end_batch(EdOp *base, int port) {
  SaOp *op = (SaOp *)base;
  (void)port;
  read_watermark(op);
  if (end_of_batch(op) < 0) return -1;
  return ed_op_emit_end_batch(base);
}

/* A batch run emits every group (as COMPLETE would).  A streaming run
** that ends without a final batch gets one, with the watermark at
** +infinity, so that its last output follows the mode. */
static int sa_finish(EdOp *base, int port) {
  SaOp *op = (SaOp *)base;
  (void)port;
  base->finished_inputs++;
  int rc = 0;
  if (base->ctx->streaming) {
    if (!op->final_done) {
      op->final = true;
      op->wm = ED_TS_MAX;
      rc = end_of_batch(op);
    }
  } else {
    switch (op->kind) {
      case WIN_SLIDING: rc = sa_slide_emit_all(op); break;
      case WIN_SESSION: rc = sa_session_emit_all(op); break;
      default: rc = sa_group_emit_all(op); break;
    }
  }
  if (rc < 0) return -1;
  return ed_op_emit_finish(base);
}

/* Frees the operator and all its state (also a half-built one). */
static void sa_destroy(EdOp *base) {
  SaOp *op = (SaOp *)base;
  switch (op->kind) {
    case WIN_SLIDING: sa_slide_free(op); break;
    case WIN_SESSION: sa_session_free(op); break;
    default: sa_group_free(op); break;
  }
  ed_accs_free(&op->acc);
  ed_accs_free(&op->tmp);
  sa_prev_free(op);
  ed_exprcols_free(&op->keys);
  ed_exprcols_free(&op->args);
  ed_exprcols_free(&op->ts);
  ed_ht_free(op->keytab);
  free(op->kseq);
  free(op->ord);
  free(op->other_col);
  free(op->keyvecs);
  free(op->kview_cols);
  if (op->kidvec.data) ed_vector_free(&op->kidvec);
  if (op->slotvec.data) ed_vector_free(&op->slotvec);
  if (op->slot_out.data) ed_vector_free(&op->slot_out);
  ed_arena_free(&op->scratch);
  if (op->out) ed_batch_free(op->out);
  free(op);
}

static const EdOpVtab sa_vtab = {
    .name = "StreamAggregate",
    .push = sa_push,
    .finish = sa_finish,
    .destroy = sa_destroy,
    .end_batch = sa_end_batch,
};

/* ------------------------------------------------------------ set up */

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Checks the window spec against the plan node and reads its sizes.
** Returns -1 with the context error set when the plan cannot be run. */
static int check_window(SaOp *op, EdExecCtx *ctx) {
  const EdPlan *node = op->node;
  const EdWindowSpec *w = &node->window;
  if (node->schema.ncols != node->nexprs + node->naggs)
    return ed_exec_error(ctx, "stream aggregate: %d output columns for %d "
                         "keys and %d aggregates", node->schema.ncols,
                         node->nexprs, node->naggs);
  if (op->kind == WIN_NONE) return 0;
  if (w->key < 0 || w->key >= node->nexprs || !w->ts ||
      w->ts->type != ED_T_TIMESTAMP)
    return ed_exec_error(ctx, "stream aggregate: the window needs a "
                         "TIMESTAMP event time among the group keys");
  EdType want = op->kind == WIN_EVENT_TIME ? ED_T_TIMESTAMP : ED_T_WINDOW;
  if (node->schema.cols[w->key].type != want)
    return ed_exec_error(ctx, "stream aggregate: the window key column "
                         "must be a %s", ed_type_name(want));
  op->wkey = w->key;
  switch (op->kind) {
    case WIN_TUMBLING:
      if (w->size_us <= 0)
        return ed_exec_error(ctx, "window size must be a positive interval");
      op->size = op->slide = op->pane = w->size_us;
      break;
    case WIN_SLIDING:
      if (w->size_us <= 0 || w->slide_us <= 0)
        return ed_exec_error(ctx, "window size and slide must be positive "
                             "intervals");
      if (w->slide_us > w->size_us)
        return ed_exec_error(ctx, "window slide cannot be larger than the "
                             "size");
      op->size = w->size_us;
      op->slide = w->slide_us;
      op->pane = gcd64(op->size, op->slide);
      break;
    case WIN_SESSION:
      if (w->gap_us <= 0)
        return ed_exec_error(ctx, "session gap must be a positive interval");
      op->gap = w->gap_us;
      break;
    default:
      break;
  }
  return 0;
}

/* The other keys' expressions and columns, and the argument evaluators. */
static int init_exprs(SaOp *op, EdExecCtx *ctx) {
  const EdPlan *node = op->node;
  int n = node->nexprs;
  EdExpr **ex = ed_calloc((size_t)(n + node->naggs + 1), sizeof(EdExpr *));
  op->other_col = ed_calloc((size_t)(n + 1), sizeof(int));
  for (int i = 0; i < n; i++) {
    if (i == op->wkey) continue;
    op->other_col[op->nother] = i;
    ex[op->nother++] = node->exprs[i];
  }
  int rc = ed_exprcols_init(&op->keys, ctx, ex, op->nother);
  for (int i = 0; i < node->naggs; i++) ex[i] = ed_acc_arg(&node->aggs[i]);
  if (rc == 0) rc = ed_exprcols_init(&op->args, ctx, ex, node->naggs);
  free(ex);
  if (rc == 0 && op->kind != WIN_NONE)
    rc = ed_exprcols_init(&op->ts, ctx, &node->window.ts, 1);
  return rc;
}

/* The output batch and the view of its key columns in key-table order. */
static void init_output(SaOp *op) {
  const EdSchema *s = &op->node->schema;
  EdType *ot = ed_malloc(sizeof(EdType) * (size_t)(s->ncols + 1));
  for (int i = 0; i < s->ncols; i++) ot[i] = s->cols[i].type;
  op->out = ed_batch_new(s->ncols, ot);
  free(ot);
  int nk = op->keytab->nkeys;
  op->kview_cols = ed_calloc((size_t)(nk + 1), sizeof(EdVector));
  for (int j = 0; j < op->nother; j++)
    op->kview_cols[j] = op->out->cols[op->other_col[j]];
  if (op->key_slot) op->kview_cols[op->nother] = op->slot_out;
  op->kview.ncols = nk;
  op->kview.cols = op->kview_cols;
}

EdOp *ed_op_stream_agg_new(EdExecCtx *ctx, const EdPlan *node) {
  SaOp *op = ed_calloc(1, sizeof *op);
  ed_op_init(&op->base, &sa_vtab, ctx, 1);
  op->base.stateful = true;
  op->node = node;
  op->kind = node->window.kind;
  op->mode = node->mode == EMIT_DEFAULT ? EMIT_COMPLETE : node->mode;
  op->drop = node->window.wm_bounded && op->mode != EMIT_COMPLETE;
  op->changes = op->mode == EMIT_CHANGES;
  op->nkeys = node->nexprs;
  op->naggs = node->naggs;
  op->wkey = -1;
  op->ttl = op->kind == WIN_NONE && op->mode != EMIT_COMPLETE
                ? node->state_ttl_us : 0;
  op->stamp = 1;
  ed_arena_init(&op->scratch, 16 * 1024);
  sa_prev_init(op);
  ed_vector_init(&op->kidvec, ED_T_BIGINT);
  ed_vector_init(&op->slotvec, ED_T_TIMESTAMP);
  ed_vector_init(&op->slot_out, ED_T_TIMESTAMP);
  op->tvecs[0] = &op->kidvec;
  op->tvecs[1] = &op->slotvec;
  op->keyvecs = ed_calloc((size_t)(node->nexprs + 2), sizeof(EdVector *));
  if (check_window(op, ctx) < 0 || init_exprs(op, ctx) < 0 ||
      ed_accs_init(&op->acc, ctx, node->aggs, node->naggs, true) < 0 ||
      (op->kind == WIN_SLIDING &&
       ed_accs_init(&op->tmp, ctx, node->aggs, node->naggs, true) < 0)) {
    sa_destroy(&op->base);
    return NULL;
  }
  int rc;
  switch (op->kind) {
    case WIN_SLIDING: rc = sa_slide_init(op); break;
    case WIN_SESSION: rc = sa_session_init(op); break;
    default: rc = sa_group_init(op); break;
  }
  if (rc < 0) {
    sa_destroy(&op->base);
    return NULL;
  }
  init_output(op);
  if (op->kind == WIN_NONE) sa_group_start(op);
  return &op->base;
}
