/*
** exec/op_join.c — hash join and nested-loop join (inner, left, cross).
**
** Both joins keep the build (right, port 1) side as operator state: its
** rows are copied into a column-wise row store.  The hash join also maps
** each build row's equi-key (rkeys) to a key id in the state hash table and
** chains the rows of one key in insertion order (head/tail by key id, next
** by row id).  A NULL key never matches, so such build rows are not kept.
**
** The probe (left, port 0) side streams through: for each probe batch the
** matching pairs (left position, right row id) are collected, at most
** ED_BATCH_CAP at a time, materialized as left columns then right columns,
** and filtered by the residual predicate (bound over the concatenated row);
** only pairs that pass count as matches.  For a LEFT join every left row's
** pairs are followed by a sentinel pair with NULLs on the right, kept only
** when the row has no passing match, so the output follows the probe
** order (a LIMIT without ORDER BY sees the rows in scan order).  Left
** values are not copied: the output batch points into the probe batch,
** which stays valid for the duration of the push.  An output row carries
** the change kind (EdBatch.ops) of its probe row.
**
** In a streaming query the probe side is the stream and the build side a
** table, built to completion before the first micro-batch; the end of a
** micro-batch comes from the probe side only and is forwarded as it
** comes (the executor sets stream_inputs to 1).
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/executor.h"
#include "exec/ops.h"
#include "state/hashtable.h"
#include "state/rowstore.h"

typedef struct JoinKeys {
  EdExprCols cols;        /* the key expressions of one side */
  bool *cast;             /* key i is BIGINT compared with a DOUBLE key */
  EdVector *conv;         /* its DOUBLE copy */
  EdVector **vecs;        /* the vectors hashed: cols.vecs or conv */
} JoinKeys;

typedef struct JoinOp {
  EdOp base;
  const EdPlan *node;
  bool hash;
  bool left_join;
  bool build_done;
  int nleft, nright;
  EdRowStore build;
  EdVector **bcols;         /* the build batch's columns, for appending */
  EdEvaluator *pred;        /* residual, over left ++ right; or NULL */
  /* hash join */
  int nkeys;
  JoinKeys lk, rk;
  EdHashTable *ht;
  uint32_t *head, *tail;    /* first/last build row of a key id */
  uint32_t ids_cap;
  uint32_t *next;           /* next build row of the same key */
  uint32_t next_cap;
  /* probe */
  EdBatch *out;
  int nout;
  uint16_t lpos[ED_BATCH_CAP];      /* left position of output row k */
  uint32_t rid[ED_BATCH_CAP];       /* right row id of output row k */
  bool matched[ED_BATCH_CAP];       /* by left position */
  bool passed[ED_BATCH_CAP];        /* output row k passed the residual */
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  uint16_t keep[ED_BATCH_CAP];
  EdArena scratch;
} JoinOp;

/* ------------------------------------------------------------ keys */

/* Decides the type both sides' key i are hashed as.  Equal types hash as
** they are; BIGINT against DOUBLE compares numerically, so the BIGINT side
** is converted; an untyped NULL never matches anything.  Returns -1 for
** keys that cannot be compared. */
static int key_type(EdType l, EdType r, EdType *out) {
  if (l == ED_T_NULL || r == ED_T_NULL) *out = ED_T_NULL;
  else if (l == r) *out = l;
  else if ((l == ED_T_BIGINT && r == ED_T_DOUBLE) ||
           (l == ED_T_DOUBLE && r == ED_T_BIGINT))
    *out = ED_T_DOUBLE;
  else return -1;
  return 0;
}

/* Frees the key evaluation of one side (safe on a zeroed JoinKeys). */
static void keys_free(JoinKeys *k, int n) {
  ed_exprcols_free(&k->cols);
  if (k->conv)
    for (int i = 0; i < n; i++)
      if (k->cast[i]) ed_vector_free(&k->conv[i]);
  free(k->conv);
  free(k->cast);
  free(k->vecs);
  memset(k, 0, sizeof *k);
}

/* Prepares the n key expressions of one side, hashed as types kt. */
static int keys_init(JoinKeys *k, EdExecCtx *ctx, EdExpr **exprs, int n,
                     const EdType *kt) {
  k->cast = ed_calloc((size_t)n, sizeof(bool));
  k->conv = ed_calloc((size_t)n, sizeof(EdVector));
  k->vecs = ed_calloc((size_t)n, sizeof(EdVector *));
  for (int i = 0; i < n; i++) {
    k->cast[i] = kt[i] == ED_T_DOUBLE && exprs[i]->type == ED_T_BIGINT;
    if (k->cast[i]) ed_vector_init(&k->conv[i], ED_T_DOUBLE);
  }
  return ed_exprcols_init(&k->cols, ctx, exprs, n);
}

/* Evaluates the keys of one side over b (converting where needed). */
static int keys_run(JoinKeys *k, int n, EdBatch *b, EdArena *arena) {
  if (ed_exprcols_run(&k->cols, b, arena) < 0) return -1;
  int cnt = ed_batch_count(b);
  for (int i = 0; i < n; i++) {
    EdVector *src = k->cols.vecs[i];
    if (!k->cast[i]) {
      k->vecs[i] = src;
      continue;
    }
    EdVector *dst = &k->conv[i];
    for (int j = 0; j < cnt; j++) {
      int p = ed_batch_row(b, j);
      if (ed_vec_valid(src, p)) {
        ed_vec_set_valid(dst, p);
        ED_VEC_F64(dst)[p] = (double)ED_VEC_I64(src)[p];
      } else {
        ed_vec_set_null(dst, p);
      }
    }
    k->vecs[i] = dst;
  }
  return 0;
}

/* ------------------------------------------------------------ build */

static void grow_chains(JoinOp *j) {
  uint32_t need = ed_ht_id_limit(j->ht);
  if (need > j->ids_cap) {
    uint32_t cap = j->ids_cap ? j->ids_cap : 256;
    while (cap < need) cap *= 2;
    j->head = ed_realloc(j->head, cap * sizeof(uint32_t));
    j->tail = ed_realloc(j->tail, cap * sizeof(uint32_t));
    for (uint32_t i = j->ids_cap; i < cap; i++) j->head[i] = ED_ROW_NONE;
    j->ids_cap = cap;
  }
  need = j->build.nrows;
  if (need > j->next_cap) {
    uint32_t cap = j->next_cap ? j->next_cap : 1024;
    while (cap < need) cap *= 2;
    j->next = ed_realloc(j->next, cap * sizeof(uint32_t));
    j->next_cap = cap;
  }
}

/* Bytes held as state: stored build rows, key table, chains. */
static size_t join_state_bytes(const JoinOp *j) {
  size_t n = ed_rows_bytes(&j->build);
  if (j->ht)
    n += ed_ht_bytes(j->ht) + (size_t)j->ids_cap * 2 * sizeof(uint32_t) +
         (size_t)j->next_cap * sizeof(uint32_t);
  return n;
}

/* Keeps the active rows of b (hash join: those with a non-NULL key). */
static int build_push(JoinOp *j, EdBatch *b) {
  int n = ed_batch_count(b);
  EdVector **cols = j->bcols;
  for (int c = 0; c < j->nright; c++) cols[c] = &b->cols[c];
  if (!j->hash) {
    if ((uint64_t)j->build.nrows + (uint64_t)n > ED_ROWS_MAX)
      return ed_exec_error(j->base.ctx, "join build side too large");
    ed_rows_append(&j->build, cols, b->sel, n);
    return 0;
  }
  ed_arena_reset(&j->scratch);
  if (keys_run(&j->rk, j->nkeys, b, &j->scratch) < 0) return -1;
  ed_ht_hash(j->ht, j->rk.vecs, b->sel, n, j->hashes);
  ed_ht_find_or_insert(j->ht, j->rk.vecs, b->sel, n, j->hashes, j->ids, NULL);
  int m = 0;
  for (int k = 0; k < n; k++) {
    if (j->ids[k] == ED_HT_NONE) continue;
    j->keep[m] = (uint16_t)ed_batch_row(b, k);
    j->ids[m++] = j->ids[k];
  }
  if ((uint64_t)j->build.nrows + (uint64_t)m > ED_ROWS_MAX)
    return ed_exec_error(j->base.ctx, "join build side too large");
  uint32_t first = ed_rows_append(&j->build, cols, j->keep, m);
  grow_chains(j);
  for (int k = 0; k < m; k++) {
    uint32_t row = first + (uint32_t)k, id = j->ids[k];
    j->next[row] = ED_ROW_NONE;
    if (j->head[id] == ED_ROW_NONE) j->head[id] = row;
    else j->next[j->tail[id]] = row;
    j->tail[id] = row;
  }
  return 0;
}

/* ------------------------------------------------------------ probe */

/* For a LEFT join, keeps the rows of the filtered chunk that belong in
** the output, in chunk order: pairs that passed the residual (marking
** their left row matched) and the sentinel of each left row that has no
** match at all.  The sentinel follows the last pair of its left row, so
** the output keeps the order of the probe input. */
static void select_left(JoinOp *j, EdBatch *out) {
  int n = out->nrows, cnt = ed_batch_count(out);
  memset(j->passed, 0, (size_t)n);
  for (int k = 0; k < cnt; k++) j->passed[ed_batch_row(out, k)] = 1;
  int m = 0;
  for (int k = 0; k < n; k++) {
    bool keep;
    if (j->rid[k] == ED_ROW_NONE) {
      keep = !j->matched[j->lpos[k]];
    } else {
      keep = j->passed[k];
      if (keep) j->matched[j->lpos[k]] = 1;
    }
    if (keep) out->sel_buf[m++] = (uint16_t)k;
  }
  out->sel = out->sel_buf;
  out->nsel = m;
}

/* Materializes the collected pairs, filters them by the residual,
** records matches and emits. */
static int flush(JoinOp *j, EdBatch *in) {
  if (j->nout == 0) return 0;
  EdBatch *out = j->out;
  ed_batch_reset(out);
  for (int c = 0; c < j->nleft; c++)
    ed_vec_copy(&out->cols[c], 0, &in->cols[c], j->lpos, j->nout, NULL);
  ed_rows_gather(&j->build, j->rid, j->nout, 0, j->nright, out, j->nleft, 0);
  if (in->ops) {          /* each output row is a change of its probe row */
    out->ops = out->ops_buf;
    for (int k = 0; k < j->nout; k++) out->ops[k] = in->ops[j->lpos[k]];
  }
  out->nrows = j->nout;
  j->nout = 0;
  if (j->pred && ed_eval_filter(j->pred, out) < 0) return -1;
  if (j->left_join) select_left(j, out);
  if (j->base.ctx->interrupted)
    return ed_exec_error(j->base.ctx, "query interrupted");
  return ed_op_emit(&j->base, out);
}

/* Queues output row (left position p, right row r, or ED_ROW_NONE for a
** LEFT join's sentinel); flushes when the chunk is full. */
static inline int add_pair(JoinOp *j, EdBatch *in, int p, uint32_t r) {
  j->lpos[j->nout] = (uint16_t)p;
  j->rid[j->nout++] = r;
  return j->nout == ED_BATCH_CAP ? flush(j, in) : 0;
}

/* Collects the candidate pairs of the active rows of b, in probe order,
** each left row's candidates followed (LEFT join) by its sentinel. */
static int probe_pairs(JoinOp *j, EdBatch *b, int n) {
  if (j->hash) {
    ed_arena_reset(&j->scratch);
    if (keys_run(&j->lk, j->nkeys, b, &j->scratch) < 0) return -1;
    ed_ht_hash(j->ht, j->lk.vecs, b->sel, n, j->hashes);
    ed_ht_lookup(j->ht, j->lk.vecs, b->sel, n, j->hashes, j->ids);
  }
  for (int k = 0; k < n; k++) {
    int p = ed_batch_row(b, k);
    if (!j->hash) {
      for (uint32_t r = 0; r < j->build.nrows; r++)
        if (add_pair(j, b, p, r) < 0) return -1;
    } else if (j->ids[k] != ED_HT_NONE) {
      for (uint32_t r = j->head[j->ids[k]]; r != ED_ROW_NONE; r = j->next[r])
        if (add_pair(j, b, p, r) < 0) return -1;
    }
    if (j->left_join && add_pair(j, b, p, ED_ROW_NONE) < 0) return -1;
  }
  return 0;
}

/* Joins one probe batch; the output follows the order of its rows. */
static int probe_push(JoinOp *j, EdBatch *b) {
  if (!j->build_done)
    return ed_exec_error(j->base.ctx,
                         "join: probe input before the build side finished");
  int n = ed_batch_count(b);
  for (int k = 0; k < n; k++) j->matched[ed_batch_row(b, k)] = 0;
  j->nout = 0;
  if (probe_pairs(j, b, n) < 0) return -1;
  return flush(j, b);
}

/* Port 1 rows are stored; port 0 rows are probed. */
static int join_push(EdOp *op, int port, EdBatch *b) {
  JoinOp *j = (JoinOp *)op;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_in += n;
  int rc = port == 1 ? build_push(j, b) : probe_push(j, b);
  op->state_bytes = join_state_bytes(j);
  return rc;
}

/* The end of the build side enables probing; the end of the probe
** side ends the output. */
static int join_finish(EdOp *op, int port) {
  JoinOp *j = (JoinOp *)op;
  if (port == 1) {
    j->build_done = true;
    return 0;
  }
  if (!j->build_done)
    return ed_exec_error(op->ctx,
                         "join: probe input ended before the build side");
  return ed_op_emit_finish(op);
}

/* Frees the operator and all its state (also a half-built one). */
static void join_destroy(EdOp *op) {
  JoinOp *j = (JoinOp *)op;
  ed_rows_free(&j->build);
  free(j->bcols);
  if (j->pred) ed_eval_free(j->pred);
  keys_free(&j->lk, j->nkeys);
  keys_free(&j->rk, j->nkeys);
  ed_ht_free(j->ht);
  free(j->head);
  free(j->tail);
  free(j->next);
  if (j->out) ed_batch_free(j->out);
  ed_arena_free(&j->scratch);
  free(j);
}

static const EdOpVtab hash_join_vtab = {
    .name = "HashJoin",
    .push = join_push,
    .finish = join_finish,
    .destroy = join_destroy,
};
static const EdOpVtab nl_join_vtab = {
    .name = "NestedLoopJoin",
    .push = join_push,
    .finish = join_finish,
    .destroy = join_destroy,
};

/* Common part of both constructors. */
static JoinOp *join_new(EdExecCtx *ctx, const EdPlan *node, bool hash) {
  JoinOp *j = ed_calloc(1, sizeof *j);
  ed_op_init(&j->base, hash ? &hash_join_vtab : &nl_join_vtab, ctx, 2);
  j->node = node;
  j->hash = hash;
  j->left_join = node->join_type == JOIN_LEFT;
  j->nleft = node->left->schema.ncols;
  j->nright = node->right->schema.ncols;
  assert(node->schema.ncols == j->nleft + j->nright);
  ed_arena_init(&j->scratch, 16 * 1024);
  int nt = node->schema.ncols;
  EdType *types = ed_malloc(sizeof(EdType) * (size_t)(nt + 1));
  for (int c = 0; c < nt; c++) types[c] = node->schema.cols[c].type;
  ed_rows_init(&j->build, j->nright, types + j->nleft);
  j->bcols = ed_calloc((size_t)(j->nright + 1), sizeof(EdVector *));
  j->out = ed_batch_new(nt, types);
  free(types);
  return j;
}

/* Prepares the residual predicate, if any. */
static int join_pred(JoinOp *j, EdExecCtx *ctx) {
  if (!j->node->pred) return 0;
  j->pred = ed_eval_new(ctx, j->node->pred);
  return j->pred ? 0 : -1;
}

EdOp *ed_op_nl_join_new(EdExecCtx *ctx, const EdPlan *node) {
  JoinOp *j = join_new(ctx, node, false);
  if (join_pred(j, ctx) < 0) {
    join_destroy(&j->base);
    return NULL;
  }
  return &j->base;
}

EdOp *ed_op_hash_join_new(EdExecCtx *ctx, const EdPlan *node) {
  assert(node->nkeys > 0);
  JoinOp *j = join_new(ctx, node, true);
  j->nkeys = node->nkeys;
  EdType *kt = ed_malloc(sizeof(EdType) * (size_t)j->nkeys);
  int rc = 0;
  for (int i = 0; i < j->nkeys && rc == 0; i++)
    if (key_type(node->lkeys[i]->type, node->rkeys[i]->type, &kt[i]) < 0)
      rc = ed_exec_error(ctx, "join keys of types %s and %s cannot be "
                         "compared", ed_type_name(node->lkeys[i]->type),
                         ed_type_name(node->rkeys[i]->type));
  if (rc == 0) {
    j->ht = ed_ht_new(j->nkeys, kt, false);
    if (keys_init(&j->lk, ctx, node->lkeys, j->nkeys, kt) < 0 ||
        keys_init(&j->rk, ctx, node->rkeys, j->nkeys, kt) < 0 ||
        join_pred(j, ctx) < 0)
      rc = -1;
  }
  free(kt);
  if (rc < 0) {
    join_destroy(&j->base);
    return NULL;
  }
  return &j->base;
}
