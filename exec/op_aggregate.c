/*
** exec/op_aggregate.c — hash aggregation (PHYS_HASH_AGGREGATE).
**
** Group keys (node->exprs) are evaluated per batch and mapped to dense group
** ids by the state hash table; every aggregate keeps typed accumulator
** arrays indexed by group id, so a batch is folded in with tight loops and
** no per-row allocation.  A DISTINCT aggregate first passes its rows through
** a set keyed by (group id, value) and folds in only the values new to their
** group.  At finish the groups are emitted in order of first appearance:
** keys, then aggregates.  Without keys there is exactly one group, present
** from the start, so an empty input still yields one row.
**
** The accumulators themselves (exec/agg_acc.c) are shared with the
** incremental aggregation.  Semantics follow SQLite over typed columns:
** count(x) counts non-NULL values; sum, avg, min and max ignore NULLs and
** are NULL over no values; sum(BIGINT) stops the query on overflow
** ("integer overflow"), as SQLite's sum() does; avg is computed from an
** exact integer sum when the argument is an integer (falling back to a
** double on overflow, like SQLite) and from a compensated double sum
** otherwise; min/max of VARCHAR compare bytes.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/agg_acc.h"
#include "exec/executor.h"
#include "exec/ops.h"
#include "state/hashtable.h"

typedef struct AggOp {
  EdOp base;
  const EdPlan *node;
  int nkeys, naggs;
  EdExprCols keys, args;
  EdHashTable *groups;      /* NULL without keys: one group, id 0 */
  EdAccSet acc;             /* accumulators by group id */
  EdArena scratch;          /* strings of evaluated keys and arguments */
  EdBatch *out;
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t gids[ED_BATCH_CAP];      /* by active row */
  bool is_new[ED_BATCH_CAP];
  uint32_t oids[ED_BATCH_CAP];      /* groups of one output batch */
} AggOp;

/* Maps the active rows of b to group ids in a->gids. */
static int assign_groups(AggOp *a, EdBatch *b, int n) {
  if (!a->groups) {
    memset(a->gids, 0, sizeof(uint32_t) * (size_t)n);
    return 0;
  }
  if (ed_exprcols_run(&a->keys, b, &a->scratch) < 0) return -1;
  ed_ht_hash(a->groups, a->keys.vecs, b->sel, n, a->hashes);
  if (ed_ht_find_or_insert(a->groups, a->keys.vecs, b->sel, n, a->hashes,
                           a->gids, a->is_new) == 0)
    return 0;
  ed_accs_reserve(&a->acc, ed_ht_id_limit(a->groups));
  for (int k = 0; k < n; k++)
    if (a->is_new[k]) ed_accs_reset(&a->acc, a->gids[k]);
  return 0;
}

/* Bytes held as state: group table, accumulators, strings, sets. */
static size_t agg_state_bytes(const AggOp *a) {
  return ed_accs_bytes(&a->acc) + (a->groups ? ed_ht_bytes(a->groups) : 0);
}

/* Folds the active rows of b into their groups. */
static int agg_push(EdOp *op, int port, EdBatch *b) {
  AggOp *a = (AggOp *)op;
  (void)port;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_in += n;
  ed_arena_reset(&a->scratch);
  if (assign_groups(a, b, n) < 0) return -1;
  if (ed_exprcols_run(&a->args, b, &a->scratch) < 0) return -1;
  if (ed_accs_fold(&a->acc, a->args.vecs, b->sel, a->gids, n) < 0) return -1;
  op->state_bytes = agg_state_bytes(a);
  return 0;
}

/* ------------------------------------------------------------ output */

/* Emits the groups ids[0..n) as one batch. */
static int emit_groups(AggOp *a, const uint32_t *ids, int n) {
  EdBatch *out = a->out;
  ed_batch_reset(out);
  if (a->groups) ed_ht_gather(a->groups, ids, n, out, 0, 0);
  for (int i = 0; i < a->naggs; i++)
    ed_accs_finalize(&a->acc, i, ids, NULL, n, &out->cols[a->nkeys + i]);
  out->nrows = n;
  return ed_op_emit(&a->base, out);
}

/* Emits every group (keys, then aggregates) and finishes. */
static int agg_finish(EdOp *op, int port) {
  AggOp *a = (AggOp *)op;
  (void)port;
  op->finished_inputs++;
  uint32_t limit = a->groups ? ed_ht_id_limit(a->groups) : 1;
  int n = 0;
  for (uint32_t g = 0; g < limit; g++) {
    if (a->groups && !ed_ht_live(a->groups, g)) continue;
    a->oids[n++] = g;
    if (n == ED_BATCH_CAP) {
      if (emit_groups(a, a->oids, n) < 0) return -1;
      n = 0;
    }
    if (op->ctx->interrupted)
      return ed_exec_error(op->ctx, "query interrupted");
  }
  if (n && emit_groups(a, a->oids, n) < 0) return -1;
  return ed_op_emit_finish(op);
}

/* Frees the operator and all its state (also a half-built one). */
static void agg_destroy(EdOp *op) {
  AggOp *a = (AggOp *)op;
  ed_accs_free(&a->acc);
  ed_exprcols_free(&a->keys);
  ed_exprcols_free(&a->args);
  ed_ht_free(a->groups);
  ed_arena_free(&a->scratch);
  if (a->out) ed_batch_free(a->out);
  free(a);
}

static const EdOpVtab agg_vtab = {
    .name = "HashAggregate",
    .push = agg_push,
    .finish = agg_finish,
    .destroy = agg_destroy,
};

/* Sets up the accumulators and their argument expressions; returns -1
** with the context error set. */
static int init_accs(AggOp *a, EdExecCtx *ctx) {
  const EdPlan *node = a->node;
  if (ed_accs_init(&a->acc, ctx, node->aggs, a->naggs, false) < 0) return -1;
  EdExpr **argv = ed_calloc((size_t)(a->naggs ? a->naggs : 1),
                            sizeof(EdExpr *));
  for (int i = 0; i < a->naggs; i++) argv[i] = ed_acc_arg(&node->aggs[i]);
  /* The argument expressions live in the plan; only the array is ours. */
  int rc = ed_exprcols_init(&a->args, ctx, argv, a->naggs);
  free(argv);
  return rc;
}

EdOp *ed_op_hash_agg_new(EdExecCtx *ctx, const EdPlan *node) {
  AggOp *a = ed_calloc(1, sizeof *a);
  ed_op_init(&a->base, &agg_vtab, ctx, 1);
  a->node = node;
  a->nkeys = node->nexprs;
  a->naggs = node->naggs;
  ed_arena_init(&a->scratch, 16 * 1024);
  if (init_accs(a, ctx) < 0 ||
      ed_exprcols_init(&a->keys, ctx, node->exprs, a->nkeys) < 0) {
    agg_destroy(&a->base);
    return NULL;
  }
  if (a->nkeys) {
    EdType *kt = ed_malloc(sizeof(EdType) * (size_t)a->nkeys);
    for (int i = 0; i < a->nkeys; i++) kt[i] = node->exprs[i]->type;
    a->groups = ed_ht_new(a->nkeys, kt, true);
    free(kt);
  } else {
    ed_accs_reserve(&a->acc, 1);
    ed_accs_reset(&a->acc, 0);
  }
  EdType *ot = ed_malloc(sizeof(EdType) * (size_t)(node->schema.ncols + 1));
  for (int i = 0; i < node->schema.ncols; i++)
    ot[i] = node->schema.cols[i].type;
  a->out = ed_batch_new(node->schema.ncols, ot);
  free(ot);
  return &a->base;
}
