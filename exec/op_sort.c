/*
** exec/op_sort.c — ORDER BY (PHYS_SORT), full or top-N.
**
** The input is materialized in a row store: the input columns, plus one
** column per sort key that is not a plain column reference (its value is
** computed once, when the row arrives).  At finish a permutation of row ids
** is sorted and the rows are emitted in that order.  The order is stable:
** rows with equal keys keep their arrival order, because the row id (which
** grows with arrival) breaks ties.  Per key: ASC or DESC, NULLs first or
** last as EdSortKey says, VARCHAR compared byte-wise (memcmp, shorter
** prefix first), BOOLEAN false < true, WINDOW by start then end.
**
** With node->limit >= 0 only the first limit + offset rows of the sorted
** order are kept (ops.h: the offset itself is applied by the LIMIT operator
** above): a max-heap of that many row ids holds the best rows seen so far,
** a new row is stored only if it beats the heap's worst, and the store is
** compacted when rejected rows pile up, so memory stays O(limit + offset).
**
** In a streaming query (COMPLETE mode, where the aggregation emits its
** whole result every micro-batch) each batch is sorted on its own: the
** rows are sorted and emitted at the end of the batch, then forgotten,
** and the end of the batch is forwarded.  Change kinds (EdBatch.ops) are
** not kept: ORDER BY is only planned over complete results, which are
** inserts.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/executor.h"
#include "exec/ops.h"
#include "state/rowstore.h"

typedef struct SortOp {
  EdOp base;
  const EdPlan *node;
  int ncols;                /* input (and output) columns */
  int nsort;
  EdExprCols keys;
  int *key_col;             /* store column holding sort key i */
  EdRowStore store;
  int nstore;               /* store columns, and their types */
  EdType *store_types;
  EdVector **src;           /* append sources, one per store column */
  int64_t keep;             /* top-N size, or -1 to keep every row */
  uint32_t *ids;            /* heap (top-N) or every row id */
  uint32_t nids, ids_cap;
  EdBatch *out;
  EdArena scratch;
} SortOp;

/* ------------------------------------------------------------ comparing */

static int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }

/* Compares two non-NULL values of type t. */
static int cmp_value(EdType t, const EdVector *va, int pa, const EdVector *vb,
                     int pb) {
  switch (t) {
    case ED_T_BOOL:
      return (ED_VEC_BOOL(va)[pa] != 0) - (ED_VEC_BOOL(vb)[pb] != 0);
    case ED_T_DOUBLE: {
      double a = ED_VEC_F64(va)[pa], b = ED_VEC_F64(vb)[pb];
      return (a > b) - (a < b);
    }
    case ED_T_VARCHAR: {
      EdStr a = ED_VEC_STR(va)[pa], b = ED_VEC_STR(vb)[pb];
      uint32_t n = a.len < b.len ? a.len : b.len;
      int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
      if (c) return c < 0 ? -1 : 1;
      return (a.len > b.len) - (a.len < b.len);
    }
    case ED_T_WINDOW: {
      EdWindow a = ED_VEC_WIN(va)[pa], b = ED_VEC_WIN(vb)[pb];
      int c = cmp_i64(a.start, b.start);
      return c ? c : cmp_i64(a.end, b.end);
    }
    case ED_T_NULL:
      return 0;
    default:
      return cmp_i64(ED_VEC_I64(va)[pa], ED_VEC_I64(vb)[pb]);
  }
}

/* Compares sort key i of two rows given by (vector, position). */
static int cmp_key(const EdSortKey *k, EdType t, const EdVector *va, int pa,
                   const EdVector *vb, int pb) {
  bool na = t == ED_T_NULL || !ed_vec_valid(va, pa);
  bool nb = t == ED_T_NULL || !ed_vec_valid(vb, pb);
  if (na || nb) {
    if (na && nb) return 0;
    /* NULLS FIRST / LAST is about the output order, whatever the
    ** direction. */
    return (na ? -1 : 1) * (k->nulls_first ? 1 : -1);
  }
  int c = cmp_value(t, va, pa, vb, pb);
  return k->desc ? -c : c;
}

/* Compares two stored rows: keys from the from-th on, then arrival
** order.  cmp_rows compares all keys. */
static int cmp_rows_from(const SortOp *s, uint32_t a, uint32_t b, int from) {
  for (int i = from; i < s->nsort; i++) {
    int pa, pb;
    int col = s->key_col[i];
    const EdVector *va = ed_rows_vec(&s->store, a, col, &pa);
    const EdVector *vb = ed_rows_vec(&s->store, b, col, &pb);
    int c = cmp_key(&s->node->sort[i], s->store.types[col], va, pa, vb, pb);
    if (c) return c;
  }
  return (a > b) - (a < b);
}

static int cmp_rows(const SortOp *s, uint32_t a, uint32_t b) {
  return cmp_rows_from(s, a, b, 0);
}

/* Sorting works on (prefix, id) pairs: the prefix is an order-preserving
** 64-bit image of the first key (if prefix(a) < prefix(b) then a sorts
** before b), so most comparisons touch only the contiguous pair array and
** only equal prefixes fall back to comparing the stored rows. */
typedef struct SortEnt {
  uint64_t prefix;
  uint32_t id;
} SortEnt;

static uint64_t key_prefix(const SortOp *s, uint32_t id) {
  if (s->nsort == 0) return 0;   /* arrival order: the ids decide */
  const EdSortKey *k = &s->node->sort[0];
  int pos, col = s->key_col[0];
  EdType t = s->store.types[col];
  const EdVector *v = ed_rows_vec(&s->store, id, col, &pos);
  /* A NULL takes an extreme; a value with the same image ties and is then
  ** compared in full. */
  if (t == ED_T_NULL || !ed_vec_valid(v, pos))
    return k->nulls_first ? 0 : UINT64_MAX;
  const uint64_t sign = (uint64_t)1 << 63;
  uint64_t x;
  switch (t) {
    case ED_T_BOOL: x = ED_VEC_BOOL(v)[pos] ? 1 : 0; break;
    case ED_T_DOUBLE: {
      double d = ED_VEC_F64(v)[pos];
      if (d == 0) d = 0;   /* -0.0 equals 0.0 */
      memcpy(&x, &d, 8);
      x = (x & sign) ? ~x : x | sign;
      break;
    }
    case ED_T_VARCHAR: {
      /* the first 7 bytes (zero-padded), then the length capped at 8:
      ** byte order with a shorter prefix first, and exact up to 7 bytes */
      EdStr str = ED_VEC_STR(v)[pos];
      uint8_t b[8] = {0};
      if (str.len) memcpy(b, str.ptr, str.len < 7 ? str.len : 7);
      b[7] = (uint8_t)(str.len < 8 ? str.len : 8);
      x = 0;
      for (int i = 0; i < 8; i++) x = x << 8 | b[i];
      break;
    }
    case ED_T_WINDOW: x = (uint64_t)ED_VEC_WIN(v)[pos].start ^ sign; break;
    default: x = (uint64_t)ED_VEC_I64(v)[pos] ^ sign; break;
  }
  return k->desc ? ~x : x;
}

/* Do two rows whose prefixes are both p have equal first keys?  True for
** fixed-width keys of up to 8 bytes and strings of up to 7 bytes, except
** at the extremes, which a NULL shares with some values. */
static bool prefix_exact(const SortOp *s, uint64_t p) {
  if (p == 0 || p == UINT64_MAX) return false;
  switch (s->store.types[s->key_col[0]]) {
    case ED_T_BOOL: case ED_T_BIGINT: case ED_T_TIMESTAMP: case ED_T_INTERVAL:
      return true;
    case ED_T_VARCHAR:
      return ((s->node->sort[0].desc ? ~p : p) & 0xff) <= 7;
    default:
      return false;   /* DOUBLE (NaN), WINDOW (end not in the prefix) */
  }
}

/* qsort_r comparator of SortEnt: prefix, then the full row order. */
static int ent_cmp(const void *x, const void *y, void *arg) {
  const SortEnt *a = x, *b = y;
  if (a->prefix != b->prefix) return a->prefix < b->prefix ? -1 : 1;
  const SortOp *s = arg;
  return cmp_rows_from(s, a->id, b->id, prefix_exact(s, a->prefix) ? 1 : 0);
}

/* Sorts s->ids[0..nids) into output order. */
static void sort_ids(SortOp *s) {
  if (s->nids < 2) return;
  SortEnt *ents = ed_malloc(sizeof(SortEnt) * s->nids);
  for (uint32_t i = 0; i < s->nids; i++)
    ents[i] = (SortEnt){key_prefix(s, s->ids[i]), s->ids[i]};
  qsort_r(ents, s->nids, sizeof(SortEnt), ent_cmp, s);
  for (uint32_t i = 0; i < s->nids; i++) s->ids[i] = ents[i].id;
  free(ents);
}

/* Compares the incoming row at position p (key vectors s->src) with stored
** row b; an incoming row comes after every stored one on equal keys. */
static int cmp_incoming(const SortOp *s, int p, uint32_t b) {
  for (int i = 0; i < s->nsort; i++) {
    int pb;
    int col = s->key_col[i];
    const EdVector *vb = ed_rows_vec(&s->store, b, col, &pb);
    int c = cmp_key(&s->node->sort[i], s->store.types[col], s->src[col], p,
                    vb, pb);
    if (c) return c;
  }
  return 1;
}

/* ------------------------------------------------------------ top-N heap */

static void ids_reserve(SortOp *s, uint32_t need) {
  if (need <= s->ids_cap) return;
  uint32_t cap = s->ids_cap ? s->ids_cap : 1024;
  while (cap < need) cap *= 2;
  s->ids = ed_realloc(s->ids, cap * sizeof(uint32_t));
  s->ids_cap = cap;
}

/* Max-heap on cmp_rows: ids[0] is the worst row kept. */
static void sift_up(SortOp *s, uint32_t i) {
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (cmp_rows(s, s->ids[parent], s->ids[i]) >= 0) break;
    uint32_t t = s->ids[parent];
    s->ids[parent] = s->ids[i];
    s->ids[i] = t;
    i = parent;
  }
}

/* Restores the max-heap below slot i after ids[i] got better. */
static void sift_down(SortOp *s, uint32_t i) {
  for (;;) {
    uint32_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < s->nids && cmp_rows(s, s->ids[l], s->ids[m]) > 0) m = l;
    if (r < s->nids && cmp_rows(s, s->ids[r], s->ids[m]) > 0) m = r;
    if (m == i) return;
    uint32_t t = s->ids[m];
    s->ids[m] = s->ids[i];
    s->ids[i] = t;
    i = m;
  }
}

typedef struct IdPos {
  uint32_t id, slot;
} IdPos;

/* Orders IdPos by row id. */
static int idpos_cmp(const void *x, const void *y) {
  const IdPos *a = x, *b = y;
  return (a->id > b->id) - (a->id < b->id);
}

/* Copies the rows still in the heap into a fresh store.  They are copied
** in id order, so new ids keep the old relative order and the heap (whose
** ties are broken by id) stays valid. */
static void compact(SortOp *s) {
  IdPos *order = ed_malloc(sizeof(IdPos) * (s->nids ? s->nids : 1));
  for (uint32_t i = 0; i < s->nids; i++) order[i] = (IdPos){s->ids[i], i};
  qsort(order, s->nids, sizeof(IdPos), idpos_cmp);
  EdRowStore fresh;
  ed_rows_init(&fresh, s->store.ncols, s->store.types);
  EdVector **cols =
      ed_malloc(sizeof(EdVector *) * (size_t)(s->store.ncols + 1));
  for (uint32_t i = 0; i < s->nids; i++) {
    EdBatch *chunk = s->store.chunks[order[i].id >> ED_ROWS_SHIFT];
    uint16_t pos = (uint16_t)(order[i].id & ED_ROWS_MASK);
    for (int c = 0; c < s->store.ncols; c++) cols[c] = &chunk->cols[c];
    s->ids[order[i].slot] = ed_rows_append(&fresh, cols, &pos, 1);
  }
  free(cols);
  free(order);
  ed_rows_free(&s->store);
  s->store = fresh;
}

/* Offers the active rows of b to the top-N heap. */
static void push_topn(SortOp *s, EdBatch *b, int n) {
  for (int k = 0; k < n; k++) {
    uint16_t p = (uint16_t)ed_batch_row(b, k);
    if ((int64_t)s->nids < s->keep) {
      ids_reserve(s, s->nids + 1);
      s->ids[s->nids] = ed_rows_append(&s->store, s->src, &p, 1);
      sift_up(s, s->nids++);
      continue;
    }
    if (cmp_incoming(s, p, s->ids[0]) >= 0) continue;
    s->ids[0] = ed_rows_append(&s->store, s->src, &p, 1);
    sift_down(s, 0);
  }
  if ((uint64_t)s->store.nrows > 2 * (uint64_t)s->keep + 4 * ED_BATCH_CAP)
    compact(s);
}

/* ------------------------------------------------------------ operator */

static int sort_push(EdOp *op, int port, EdBatch *b) {
  SortOp *s = (SortOp *)op;
  (void)port;
  int n = ed_batch_count(b);
  if (n == 0 || s->keep == 0) return 0;
  op->rows_in += n;
  ed_arena_reset(&s->scratch);
  if (ed_exprcols_run(&s->keys, b, &s->scratch) < 0) return -1;
  for (int c = 0; c < s->ncols; c++) s->src[c] = &b->cols[c];
  for (int i = 0; i < s->nsort; i++)
    if (s->key_col[i] >= s->ncols) s->src[s->key_col[i]] = s->keys.vecs[i];
  if (s->keep > 0) {
    push_topn(s, b, n);
  } else {
    if ((uint64_t)s->store.nrows + (uint64_t)n > ED_ROWS_MAX)
      return ed_exec_error(op->ctx, "sort input too large");
    ed_rows_append(&s->store, s->src, b->sel, n);
  }
  op->state_bytes = ed_rows_bytes(&s->store) + s->ids_cap * sizeof(uint32_t);
  return 0;
}

/* Sorts what was kept and emits it in batches. */
static int emit_sorted(SortOp *s) {
  EdOp *op = &s->base;
  if (s->keep < 0) {
    ids_reserve(s, s->store.nrows);
    for (uint32_t i = 0; i < s->store.nrows; i++) s->ids[i] = i;
    s->nids = s->store.nrows;
  }
  sort_ids(s);
  for (uint32_t at = 0; at < s->nids; at += ED_BATCH_CAP) {
    if (op->ctx->interrupted)
      return ed_exec_error(op->ctx, "query interrupted");
    int n = s->nids - at < ED_BATCH_CAP ? (int)(s->nids - at) : ED_BATCH_CAP;
    ed_batch_reset(s->out);
    ed_rows_gather(&s->store, s->ids + at, n, 0, s->ncols, s->out, 0, 0);
    s->out->nrows = n;
    if (ed_op_emit(op, s->out) < 0) return -1;
  }
  return 0;
}

/* End of input: the sorted rows, then the end. */
static int sort_finish(EdOp *op, int port) {
  (void)port;
  if (emit_sorted((SortOp *)op) < 0) return -1;
  return ed_op_emit_finish(op);
}

/* Forgets every row kept (the next micro-batch sorts its own). */
static void sort_reset(SortOp *s) {
  ed_rows_free(&s->store);
  ed_rows_init(&s->store, s->nstore, s->store_types);
  s->nids = 0;
  s->base.state_bytes = s->ids_cap * sizeof(uint32_t);
}

/* End of a micro-batch: its rows sorted, then the signal; the batch's
** rows are then forgotten. */
static int sort_end_batch(EdOp *op, int port) {
  (void)port;
  SortOp *s = (SortOp *)op;
  int rc = emit_sorted(s);
  sort_reset(s);
  return rc < 0 ? -1 : ed_op_emit_end_batch(op);
}

/* Frees the operator and all its state (also a half-built one). */
static void sort_destroy(EdOp *op) {
  SortOp *s = (SortOp *)op;
  ed_exprcols_free(&s->keys);
  ed_rows_free(&s->store);
  free(s->store_types);
  free(s->key_col);
  free(s->src);
  free(s->ids);
  if (s->out) ed_batch_free(s->out);
  ed_arena_free(&s->scratch);
  free(s);
}

static const EdOpVtab sort_vtab = {
    .name = "Sort",
    .push = sort_push,
    .finish = sort_finish,
    .destroy = sort_destroy,
    .end_batch = sort_end_batch,
};

EdOp *ed_op_sort_new(EdExecCtx *ctx, const EdPlan *node) {
  SortOp *s = ed_calloc(1, sizeof *s);
  ed_op_init(&s->base, &sort_vtab, ctx, 1);
  s->node = node;
  s->ncols = node->schema.ncols;
  s->nsort = node->nsort;
  s->keep = -1;
  if (node->limit >= 0) {
    int64_t off = node->offset > 0 ? node->offset : 0;
    if (node->limit < (int64_t)ED_ROWS_MAX - off) s->keep = node->limit + off;
  }
  ed_arena_init(&s->scratch, 16 * 1024);
  s->key_col = ed_malloc(sizeof(int) * (size_t)(s->nsort + 1));
  EdExpr **exprs = ed_malloc(sizeof(EdExpr *) * (size_t)(s->nsort + 1));
  EdType *types = ed_malloc(sizeof(EdType) * (size_t)(s->ncols + s->nsort + 1));
  for (int c = 0; c < s->ncols; c++) types[c] = node->schema.cols[c].type;
  int ncols = s->ncols;
  for (int i = 0; i < s->nsort; i++) {
    EdExpr *e = node->sort[i].expr;
    exprs[i] = e;
    if (e->kind == EXPR_COLREF && e->col < s->ncols) {
      s->key_col[i] = e->col;
    } else {
      s->key_col[i] = ncols;
      types[ncols++] = e->type;
    }
  }
  ed_rows_init(&s->store, ncols, types);
  s->nstore = ncols;
  s->store_types = ed_malloc(sizeof(EdType) * (size_t)(ncols + 1));
  memcpy(s->store_types, types, sizeof(EdType) * (size_t)ncols);
  s->src = ed_calloc((size_t)(ncols + 1), sizeof(EdVector *));
  s->out = ed_batch_new(s->ncols, types);
  free(types);
  int rc = ed_exprcols_init(&s->keys, ctx, exprs, s->nsort);
  free(exprs);
  if (rc < 0) {
    sort_destroy(&s->base);
    return NULL;
  }
  return &s->base;
}
