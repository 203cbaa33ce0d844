/*
** exec/op_setop.c — set operations: UNION ALL (PHYS_UNION_ALL) and the
** distinct ones UNION, EXCEPT, INTERSECT (PHYS_HASH_SETOP).
**
** UNION ALL forwards the batches of both ports and finishes after both
** have finished.  The distinct operations keep one state hash table of
** rows (NULL equal to NULL) with a flag per row id; the right side (port 1)
** is consumed first and only fills the table:
**
**   UNION      left rows new to the output are emitted as they arrive; at
**              finish the right rows never seen on the left follow.
**   EXCEPT     a left row is emitted once if the right side lacks it.
**   INTERSECT  a left row is emitted once if the right side has it.
**
** Within each part the output keeps the order of first appearance.  Left
** rows are emitted by narrowing the left batch's selection (no copy).
**
** The output columns have the types of node->schema.  An input column of
** another type (an untyped NULL, a BIGINT under a DOUBLE, a BOOLEAN under a
** BIGINT) is converted into the operator's own batch first, rows keeping
** their change kinds (EdBatch.ops).
**
** Streaming: UNION ALL of two streams forwards the end of a micro-batch
** once both inputs have ended it (ed_op_end_batch counts them, the
** executor sets stream_inputs to 2).  The distinct operations only run
** over tables (the planner rejects them over streams).
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/ops.h"
#include "state/hashtable.h"
#include "state/rowstore.h"

enum { ROW_RIGHT = 1, ROW_EMITTED = 2 };

typedef struct SetOp {
  EdOp base;
  const EdPlan *node;
  EdSetOp kind;
  int ncols;
  EdType *types;            /* output column types */
  bool convert[2];          /* port p's columns need conversion */
  EdBatch *conv;            /* converted input batch */
  int finished;             /* ports finished */
  bool right_done;
  /* distinct operations */
  EdHashTable *rows;
  uint8_t *flags;           /* by row id */
  uint32_t flags_cap;
  EdVector **cols;
  EdBatch *out;
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
} SetOp;

/* ------------------------------------------------------------ conversion */

/* Can a column of type from be output as type to? */
static bool convertible(EdType from, EdType to) {
  return from == to || from == ED_T_NULL ||
         (from == ED_T_BIGINT && to == ED_T_DOUBLE) ||
         (from == ED_T_BOOL && to == ED_T_BIGINT);
}

/* Copies the active rows of b into s->conv with the output types. */
static EdBatch *conform(SetOp *s, EdBatch *b) {
  EdBatch *c = s->conv;
  ed_batch_reset(c);
  int n = ed_batch_count(b);
  for (int col = 0; col < s->ncols; col++) {
    EdVector *src = &b->cols[col], *dst = &c->cols[col];
    if (src->type == dst->type) {
      ed_vec_copy(dst, 0, src, b->sel, n, NULL);
      continue;
    }
    for (int k = 0; k < n; k++) {
      int p = ed_batch_row(b, k);
      if (src->type == ED_T_NULL || !ed_vec_valid(src, p)) {
        ed_vec_set_null(dst, k);
        memset((char *)dst->data + ed_type_width(dst->type) * (size_t)k, 0,
               ed_type_width(dst->type));
        continue;
      }
      ed_vec_set_valid(dst, k);
      if (dst->type == ED_T_DOUBLE)
        ED_VEC_F64(dst)[k] = (double)ED_VEC_I64(src)[p];
      else
        ED_VEC_I64(dst)[k] = ED_VEC_BOOL(src)[p];
    }
  }
  if (b->ops) {           /* the rows keep their change kinds */
    c->ops = c->ops_buf;
    for (int k = 0; k < n; k++) c->ops[k] = b->ops[ed_batch_row(b, k)];
  }
  c->nrows = n;
  return c;
}

/* Checks the input schemas against the output and sets s->convert. */
static int check_inputs(SetOp *s, EdExecCtx *ctx) {
  const EdSchema *in[2] = {&s->node->left->schema, &s->node->right->schema};
  for (int p = 0; p < 2; p++) {
    if (in[p]->ncols != s->ncols)
      return ed_exec_error(ctx, "set operation inputs have %d and %d columns",
                           in[0]->ncols, in[1]->ncols);
    for (int c = 0; c < s->ncols; c++) {
      EdType t = in[p]->cols[c].type;
      if (!convertible(t, s->types[c]))
        return ed_exec_error(ctx, "set operation: column %d is %s on one "
                             "side and %s in the result", c + 1,
                             ed_type_name(t), ed_type_name(s->types[c]));
      if (t != s->types[c]) s->convert[p] = true;
    }
  }
  return 0;
}

/* ------------------------------------------------------------ union all */

static int union_all_push(EdOp *op, int port, EdBatch *b) {
  SetOp *s = (SetOp *)op;
  if (ed_batch_count(b) == 0) return 0;
  op->rows_in += ed_batch_count(b);
  if (s->convert[port ? 1 : 0]) b = conform(s, b);
  return ed_op_emit(op, b);
}

/* Ends the output once both inputs have ended. */
static int union_all_finish(EdOp *op, int port) {
  SetOp *s = (SetOp *)op;
  (void)port;
  if (++s->finished < 2) return 0;
  return ed_op_emit_finish(op);
}

/* ------------------------------------------------------------ distinct */

static void grow_flags(SetOp *s) {
  uint32_t need = ed_ht_id_limit(s->rows);
  if (need <= s->flags_cap) return;
  uint32_t cap = s->flags_cap ? s->flags_cap : 1024;
  while (cap < need) cap *= 2;
  s->flags = ed_realloc(s->flags, cap);
  s->flags_cap = cap;
}

/* Right side: remember every row. */
static void setop_build(SetOp *s, EdBatch *b, int n) {
  for (int c = 0; c < s->ncols; c++) s->cols[c] = &b->cols[c];
  ed_ht_hash(s->rows, s->cols, b->sel, n, s->hashes);
  ed_ht_find_or_insert(s->rows, s->cols, b->sel, n, s->hashes, s->ids,
                       s->is_new);
  grow_flags(s);
  for (int k = 0; k < n; k++)
    if (s->is_new[k]) s->flags[s->ids[k]] = ROW_RIGHT;
}

/* Left side: decides row by row whether it is output now. */
static int setop_probe(SetOp *s, EdBatch *b, int n) {
  for (int c = 0; c < s->ncols; c++) s->cols[c] = &b->cols[c];
  ed_ht_hash(s->rows, s->cols, b->sel, n, s->hashes);
  if (s->kind == SETOP_INTERSECT) {
    ed_ht_lookup(s->rows, s->cols, b->sel, n, s->hashes, s->ids);
  } else {
    ed_ht_find_or_insert(s->rows, s->cols, b->sel, n, s->hashes, s->ids,
                         s->is_new);
    grow_flags(s);
  }
  int m = 0;
  for (int k = 0; k < n; k++) {
    uint32_t id = s->ids[k];
    bool emit;
    if (s->kind == SETOP_INTERSECT) {
      emit = id != ED_HT_NONE && s->flags[id] == ROW_RIGHT;
    } else if (s->is_new[k]) {
      emit = true;                          /* not on the right */
    } else {
      emit = s->kind == SETOP_UNION && s->flags[id] == ROW_RIGHT;
    }
    if (!emit) continue;
    s->flags[id] = ROW_EMITTED;
    b->sel_buf[m++] = (uint16_t)ed_batch_row(b, k);
  }
  if (m == 0) return 0;
  b->sel = b->sel_buf;
  b->nsel = m;
  return ed_op_emit(&s->base, b);
}

/* Port 1 rows fill the table; port 0 rows are emitted or dropped. */
static int setop_push(EdOp *op, int port, EdBatch *b) {
  SetOp *s = (SetOp *)op;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  op->rows_in += n;
  if (s->convert[port ? 1 : 0]) b = conform(s, b);
  if (port == 1) {
    setop_build(s, b, n);
  } else {
    if (!s->right_done)
      return ed_exec_error(op->ctx, "set operation: left input before the "
                           "right side finished");
    if (setop_probe(s, b, n) < 0) return -1;
  }
  op->state_bytes = ed_ht_bytes(s->rows) + s->flags_cap;
  return 0;
}

/* Emits rows ids[0..n) of the table as one batch. */
static int emit_ids(SetOp *s, int n) {
  ed_batch_reset(s->out);
  ed_ht_gather(s->rows, s->ids, n, s->out, 0, 0);
  s->out->nrows = n;
  return ed_op_emit(&s->base, s->out);
}

/* UNION: emits the right rows that the left side never produced. */
static int emit_right_only(SetOp *s) {
  int n = 0;
  uint32_t limit = ed_ht_id_limit(s->rows);
  for (uint32_t id = 0; id < limit; id++) {
    if (s->flags[id] != ROW_RIGHT) continue;
    s->ids[n++] = id;
    if (n == ED_BATCH_CAP) {
      if (emit_ids(s, n) < 0) return -1;
      n = 0;
    }
  }
  return n ? emit_ids(s, n) : 0;
}

/* The end of the right side enables the left; the end of the left
** side emits UNION's right-only rows and ends the output. */
static int setop_finish(EdOp *op, int port) {
  SetOp *s = (SetOp *)op;
  if (port == 1) {
    s->right_done = true;
    return 0;
  }
  if (!s->right_done)
    return ed_exec_error(op->ctx, "set operation: left input ended before "
                         "the right side");
  if (s->kind == SETOP_UNION && emit_right_only(s) < 0) return -1;
  return ed_op_emit_finish(op);
}

/* ------------------------------------------------------------ common */

static void setop_destroy(EdOp *op) {
  SetOp *s = (SetOp *)op;
  ed_ht_free(s->rows);
  free(s->flags);
  free(s->cols);
  free(s->types);
  if (s->conv) ed_batch_free(s->conv);
  if (s->out) ed_batch_free(s->out);
  free(s);
}

static const EdOpVtab union_all_vtab = {
    .name = "UnionAll",
    .push = union_all_push,
    .finish = union_all_finish,
    .destroy = setop_destroy,
};
static const EdOpVtab setop_vtab = {
    .name = "HashSetOp",
    .push = setop_push,
    .finish = setop_finish,
    .destroy = setop_destroy,
};

/* Common constructor; NULL with the context error set when the input
** schemas cannot produce the output schema. */
static SetOp *setop_new(EdExecCtx *ctx, const EdPlan *node,
                        const EdOpVtab *vt) {
  SetOp *s = ed_calloc(1, sizeof *s);
  ed_op_init(&s->base, vt, ctx, 2);
  s->node = node;
  s->kind = node->setop;
  s->ncols = node->schema.ncols;
  s->types = ed_malloc(sizeof(EdType) * (size_t)(s->ncols + 1));
  for (int c = 0; c < s->ncols; c++) s->types[c] = node->schema.cols[c].type;
  if (check_inputs(s, ctx) < 0) {
    setop_destroy(&s->base);
    return NULL;
  }
  if (s->convert[0] || s->convert[1])
    s->conv = ed_batch_new(s->ncols, s->types);
  return s;
}

EdOp *ed_op_union_all_new(EdExecCtx *ctx, const EdPlan *node) {
  SetOp *s = setop_new(ctx, node, &union_all_vtab);
  return s ? &s->base : NULL;
}

EdOp *ed_op_setop_new(EdExecCtx *ctx, const EdPlan *node) {
  assert(node->setop == SETOP_UNION || node->setop == SETOP_EXCEPT ||
         node->setop == SETOP_INTERSECT);
  SetOp *s = setop_new(ctx, node, &setop_vtab);
  if (!s) return NULL;
  s->rows = ed_ht_new(s->ncols, s->types, true);
  s->cols = ed_calloc((size_t)(s->ncols + 1), sizeof(EdVector *));
  s->out = ed_batch_new(s->ncols, s->types);
  return &s->base;
}
