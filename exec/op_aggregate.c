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
** Semantics follow SQLite over typed columns: count(x) counts non-NULL
** values; sum, avg, min and max ignore NULLs and are NULL over no values;
** sum(BIGINT) stops the query on overflow ("integer overflow"), as SQLite's
** sum() does; avg is computed from an exact integer sum when the argument is
** an integer (falling back to a double on overflow, like SQLite) and from a
** compensated double sum otherwise; min/max of VARCHAR compare bytes.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/executor.h"
#include "exec/ops.h"
#include "state/hashtable.h"

typedef enum AccKind {
  ACC_COUNT_STAR, ACC_COUNT, ACC_SUM_INT, ACC_SUM_DBL, ACC_AVG_INT,
  ACC_AVG_DBL, ACC_MINMAX_INT, ACC_MINMAX_DBL, ACC_MINMAX_STR,
  ACC_MINMAX_WIN
} AccKind;

/* Growable per-group copy of a VARCHAR min/max, reused in place while the
** new value fits. */
typedef struct StrSlot {
  char *ptr;
  uint32_t len, cap;
} StrSlot;

typedef struct Acc {
  const EdAggCall *call;
  AccKind kind;
  bool is_max;
  EdType arg_type;
  int64_t *cnt;       /* values folded in (count; "has a value" for others) */
  int64_t *i64;       /* integer sum, integer min/max */
  double *f64;        /* double sum, double min/max, avg after overflow */
  double *comp;       /* Neumaier compensation of f64 sums */
  uint8_t *approx;    /* avg over integers: sum overflowed into f64 */
  EdWindow *win;
  StrSlot *str;
  EdHashTable *seen;  /* DISTINCT: (group id, value) */
} Acc;

typedef struct AggOp {
  EdOp base;
  const EdPlan *node;
  int nkeys, naggs;
  EdExprCols keys, args;
  EdHashTable *groups;      /* NULL without keys: one group, id 0 */
  uint32_t ngroups_cap;     /* capacity of the accumulator arrays */
  Acc *accs;
  EdArena scratch;          /* strings of evaluated keys and arguments */
  EdArena strs;             /* StrSlot bytes */
  EdBatch *out;
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t gids[ED_BATCH_CAP];      /* by active row */
  bool is_new[ED_BATCH_CAP];
  uint16_t pos[ED_BATCH_CAP];       /* positions for a DISTINCT pass */
  uint32_t dgids[ED_BATCH_CAP];
  uint32_t dids[ED_BATCH_CAP];
  EdVector gidvec;                  /* BIGINT group ids by position */
} AggOp;

/* ------------------------------------------------------------ set up */

static bool is_int_type(EdType t) {
  return t == ED_T_BIGINT || t == ED_T_BOOL || t == ED_T_TIMESTAMP ||
         t == ED_T_INTERVAL;
}

/* Chooses the accumulator of an aggregate call from its function, result
** and argument types.  Returns -1 for a combination the planner should
** never produce. */
static int acc_kind(const EdAggCall *c, EdType arg, AccKind *kind) {
  switch (c->fn) {
    case AGG_COUNT_STAR: *kind = ACC_COUNT_STAR; return 0;
    case AGG_COUNT: *kind = ACC_COUNT; return 0;
    case AGG_SUM:
      if (arg == ED_T_NULL)   /* sum(NULL): no value is ever folded in */
        *kind = c->type == ED_T_DOUBLE ? ACC_SUM_DBL : ACC_SUM_INT;
      else if (is_int_type(c->type) && is_int_type(arg)) *kind = ACC_SUM_INT;
      else if (c->type == ED_T_DOUBLE && (arg == ED_T_DOUBLE ||
                                          is_int_type(arg)))
        *kind = ACC_SUM_DBL;
      else return -1;
      return 0;
    case AGG_AVG:
      if (is_int_type(arg)) *kind = ACC_AVG_INT;
      else if (arg == ED_T_DOUBLE || arg == ED_T_NULL) *kind = ACC_AVG_DBL;
      else return -1;
      return 0;
    case AGG_MIN:
    case AGG_MAX:
      if (is_int_type(arg)) *kind = ACC_MINMAX_INT;
      else if (arg == ED_T_DOUBLE) *kind = ACC_MINMAX_DBL;
      else if (arg == ED_T_VARCHAR) *kind = ACC_MINMAX_STR;
      else if (arg == ED_T_WINDOW) *kind = ACC_MINMAX_WIN;
      else if (arg == ED_T_NULL) *kind = ACC_MINMAX_INT;  /* never set */
      else return -1;
      return 0;
  }
  return -1;
}

/* SQL name of an aggregate function, for messages. */
static const char *agg_name(EdAggFunc fn) {
  static const char *names[] = {"count", "count", "sum", "avg", "min",
                                "max"};
  return names[fn];
}

/* Grows every accumulator array to hold at least need groups. */
static void grow_groups(AggOp *a, uint32_t need) {
  if (need <= a->ngroups_cap) return;
  uint32_t cap = a->ngroups_cap ? a->ngroups_cap : 64;
  while (cap < need) cap *= 2;
  for (int i = 0; i < a->naggs; i++) {
    Acc *c = &a->accs[i];
    c->cnt = ed_realloc(c->cnt, cap * sizeof *c->cnt);
    switch (c->kind) {
      case ACC_SUM_INT: case ACC_MINMAX_INT:
        c->i64 = ed_realloc(c->i64, cap * sizeof *c->i64);
        break;
      case ACC_AVG_INT:
        c->i64 = ed_realloc(c->i64, cap * sizeof *c->i64);
        c->f64 = ed_realloc(c->f64, cap * sizeof *c->f64);
        c->approx = ed_realloc(c->approx, cap);
        break;
      case ACC_SUM_DBL: case ACC_AVG_DBL:
        c->f64 = ed_realloc(c->f64, cap * sizeof *c->f64);
        c->comp = ed_realloc(c->comp, cap * sizeof *c->comp);
        break;
      case ACC_MINMAX_DBL:
        c->f64 = ed_realloc(c->f64, cap * sizeof *c->f64);
        break;
      case ACC_MINMAX_STR:
        c->str = ed_realloc(c->str, cap * sizeof *c->str);
        break;
      case ACC_MINMAX_WIN:
        c->win = ed_realloc(c->win, cap * sizeof *c->win);
        break;
      default:
        break;
    }
  }
  a->ngroups_cap = cap;
}

/* Resets the accumulators of a new (or recycled) group. */
static void init_group(AggOp *a, uint32_t g) {
  for (int i = 0; i < a->naggs; i++) {
    Acc *c = &a->accs[i];
    c->cnt[g] = 0;
    if (c->i64) c->i64[g] = 0;
    if (c->f64) c->f64[g] = 0;
    if (c->comp) c->comp[g] = 0;
    if (c->approx) c->approx[g] = 0;
    if (c->str) c->str[g] = (StrSlot){NULL, 0, 0};
  }
}

/* ------------------------------------------------------------ folding */

/* Reads an integer-like value (BOOLEAN as 0/1). */
static inline int64_t read_int(const EdVector *v, int p) {
  return v->type == ED_T_BOOL ? ED_VEC_BOOL(v)[p] != 0 : ED_VEC_I64(v)[p];
}

/* Reads a numeric value (BOOLEAN, integer or DOUBLE) as a double. */
static inline double read_dbl(const EdVector *v, int p) {
  return v->type == ED_T_DOUBLE ? ED_VEC_F64(v)[p] : (double)read_int(v, p);
}

/* Neumaier's compensated addition of x into (*sum, *comp). */
static inline void kahan_add(double *sum, double *comp, double x) {
  double t = *sum + x;
  if ((*sum >= 0 ? *sum : -*sum) >= (x >= 0 ? x : -x))
    *comp += (*sum - t) + x;
  else
    *comp += (x - t) + *sum;
  *sum = t;
}

/* Keeps s (bytes) as the group's VARCHAR min/max, reusing its buffer. */
static void str_set(AggOp *a, StrSlot *slot, EdStr s) {
  if (s.len > slot->cap) {
    uint32_t cap = slot->cap ? slot->cap * 2 : 16;
    if (cap < s.len) cap = s.len;
    slot->ptr = ed_arena_alloc(&a->strs, cap);
    slot->cap = cap;
  }
  if (s.len) memcpy(slot->ptr, s.ptr, s.len);
  slot->len = s.len;
}

/* Byte-wise comparison of (a, alen) with b; a prefix sorts first. */
static inline int str_cmp(const char *a, uint32_t alen, EdStr b) {
  uint32_t n = alen < b.len ? alen : b.len;
  int c = n ? memcmp(a, b.ptr, n) : 0;
  if (c) return c;
  return alen < b.len ? -1 : alen > b.len;
}

/* Orders windows by start, then end. */
static inline int win_cmp(EdWindow x, EdWindow y) {
  if (x.start != y.start) return x.start < y.start ? -1 : 1;
  if (x.end != y.end) return x.end < y.end ? -1 : 1;
  return 0;
}

/* Folds the values of v at positions pos[k] (NULL: k) into groups g[k],
** k < n.  NULL values are skipped. */
static int fold(AggOp *a, Acc *c, const EdVector *v, const uint16_t *pos,
                const uint32_t *g, int n) {
  for (int k = 0; k < n; k++) {
    int p = pos ? pos[k] : k;
    uint32_t id = g[k];
    if (c->kind == ACC_COUNT_STAR) {
      c->cnt[id]++;
      continue;
    }
    if (v->type == ED_T_NULL || !ed_vec_valid(v, p)) continue;
    bool first = c->cnt[id]++ == 0;
    switch (c->kind) {
      case ACC_COUNT:
        break;
      case ACC_SUM_INT:
        if (__builtin_add_overflow(c->i64[id], read_int(v, p), &c->i64[id]))
          return ed_exec_error(a->base.ctx, "integer overflow in sum()");
        break;
      case ACC_AVG_INT: {
        int64_t x = read_int(v, p);
        int64_t sum;
        if (c->approx[id]) {
          c->f64[id] += (double)x;
        } else if (__builtin_add_overflow(c->i64[id], x, &sum)) {
          c->approx[id] = 1;
          c->f64[id] = (double)c->i64[id] + (double)x;
        } else {
          c->i64[id] = sum;
        }
        break;
      }
      case ACC_SUM_DBL:
      case ACC_AVG_DBL:
        kahan_add(&c->f64[id], &c->comp[id], read_dbl(v, p));
        break;
      case ACC_MINMAX_INT: {
        int64_t x = read_int(v, p);
        if (first || (c->is_max ? x > c->i64[id] : x < c->i64[id]))
          c->i64[id] = x;
        break;
      }
      case ACC_MINMAX_DBL: {
        double x = ED_VEC_F64(v)[p];
        if (first || (c->is_max ? x > c->f64[id] : x < c->f64[id]))
          c->f64[id] = x;
        break;
      }
      case ACC_MINMAX_STR: {
        EdStr x = ED_VEC_STR(v)[p];
        int cmp = first ? 0 : str_cmp(c->str[id].ptr, c->str[id].len, x);
        if (first || (c->is_max ? cmp < 0 : cmp > 0))
          str_set(a, &c->str[id], x);
        break;
      }
      case ACC_MINMAX_WIN: {
        EdWindow x = ED_VEC_WIN(v)[p];
        int cmp = first ? 0 : win_cmp(x, c->win[id]);
        if (first || (c->is_max ? cmp > 0 : cmp < 0)) c->win[id] = x;
        break;
      }
      default:
        break;
    }
  }
  return 0;
}

/* DISTINCT: folds only the (group, value) pairs not seen before.  NULL
** values never enter the set (they are ignored by every aggregate). */
static int fold_distinct(AggOp *a, Acc *c, EdVector *v, const uint16_t *sel,
                         int n) {
  int m = 0;
  for (int k = 0; k < n; k++) {
    int p = sel ? sel[k] : k;
    if (v->type == ED_T_NULL || !ed_vec_valid(v, p)) continue;
    ED_VEC_I64(&a->gidvec)[p] = a->gids[k];
    a->pos[m] = (uint16_t)p;
    a->dgids[m++] = a->gids[k];
  }
  if (m == 0) return 0;
  EdVector *kv[2] = {&a->gidvec, v};
  ed_ht_hash(c->seen, kv, a->pos, m, a->hashes);
  ed_ht_find_or_insert(c->seen, kv, a->pos, m, a->hashes, a->dids,
                       a->is_new);
  int f = 0;
  for (int k = 0; k < m; k++) {
    if (!a->is_new[k]) continue;
    a->pos[f] = a->pos[k];
    a->dgids[f++] = a->dgids[k];
  }
  return fold(a, c, v, a->pos, a->dgids, f);
}

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
  grow_groups(a, ed_ht_id_limit(a->groups));
  for (int k = 0; k < n; k++)
    if (a->is_new[k]) init_group(a, a->gids[k]);
  return 0;
}

/* Bytes held as state: group table, accumulators, strings, sets. */
static size_t agg_state_bytes(const AggOp *a) {
  size_t per_group = 0, total = a->strs.reserved_bytes;
  for (int i = 0; i < a->naggs; i++) {
    const Acc *c = &a->accs[i];
    per_group += sizeof(int64_t);
    if (c->i64) per_group += sizeof(int64_t);
    if (c->f64) per_group += sizeof(double);
    if (c->comp) per_group += sizeof(double);
    if (c->approx) per_group += 1;
    if (c->win) per_group += sizeof(EdWindow);
    if (c->str) per_group += sizeof(StrSlot);
    if (c->seen) total += ed_ht_bytes(c->seen);
  }
  if (a->groups) total += ed_ht_bytes(a->groups);
  return total + per_group * a->ngroups_cap;
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
  for (int i = 0; i < a->naggs; i++) {
    Acc *c = &a->accs[i];
    EdVector *v = a->args.vecs[i];
    int rc = c->seen ? fold_distinct(a, c, v, b->sel, n)
                     : fold(a, c, v, b->sel, a->gids, n);
    if (rc < 0) return -1;
  }
  op->state_bytes = agg_state_bytes(a);
  return 0;
}

/* ------------------------------------------------------------ output */

/* Writes aggregate i of groups ids[0..n) into column col of out. */
static void finalize(const Acc *c, const uint32_t *ids, int n, EdVector *v) {
  for (int k = 0; k < n; k++) {
    uint32_t g = ids[k];
    int64_t cnt = c->cnt[g];
    if (c->kind == ACC_COUNT_STAR || c->kind == ACC_COUNT) {
      ED_VEC_I64(v)[k] = cnt;
      continue;
    }
    if (cnt == 0 || c->arg_type == ED_T_NULL) {
      ed_vec_set_null(v, k);
      memset((char *)v->data + ed_type_width(v->type) * (size_t)k, 0,
             ed_type_width(v->type));
      continue;
    }
    switch (c->kind) {
      case ACC_SUM_INT: ED_VEC_I64(v)[k] = c->i64[g]; break;
      case ACC_SUM_DBL: ED_VEC_F64(v)[k] = c->f64[g] + c->comp[g]; break;
      case ACC_AVG_INT:
        ED_VEC_F64(v)[k] =
            (c->approx[g] ? c->f64[g] : (double)c->i64[g]) / (double)cnt;
        break;
      case ACC_AVG_DBL:
        ED_VEC_F64(v)[k] = (c->f64[g] + c->comp[g]) / (double)cnt;
        break;
      case ACC_MINMAX_INT:
        if (v->type == ED_T_BOOL) ED_VEC_BOOL(v)[k] = (uint8_t)c->i64[g];
        else ED_VEC_I64(v)[k] = c->i64[g];
        break;
      case ACC_MINMAX_DBL: ED_VEC_F64(v)[k] = c->f64[g]; break;
      case ACC_MINMAX_STR:
        /* an empty string never got a buffer */
        ED_VEC_STR(v)[k] = (EdStr){c->str[g].ptr ? c->str[g].ptr : "",
                                   c->str[g].len};
        break;
      case ACC_MINMAX_WIN: ED_VEC_WIN(v)[k] = c->win[g]; break;
      default: break;
    }
  }
}

/* Emits the groups ids[0..n) as one batch. */
static int emit_groups(AggOp *a, const uint32_t *ids, int n) {
  EdBatch *out = a->out;
  ed_batch_reset(out);
  if (a->groups) ed_ht_gather(a->groups, ids, n, out, 0, 0);
  for (int i = 0; i < a->naggs; i++)
    finalize(&a->accs[i], ids, n, &out->cols[a->nkeys + i]);
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
    a->dids[n++] = g;
    if (n == ED_BATCH_CAP) {
      if (emit_groups(a, a->dids, n) < 0) return -1;
      n = 0;
    }
    if (op->ctx->interrupted)
      return ed_exec_error(op->ctx, "query interrupted");
  }
  if (n && emit_groups(a, a->dids, n) < 0) return -1;
  return ed_op_emit_finish(op);
}

/* Frees the operator and all its state (also a half-built one). */
static void agg_destroy(EdOp *op) {
  AggOp *a = (AggOp *)op;
  for (int i = 0; i < a->naggs; i++) {
    Acc *c = &a->accs[i];
    free(c->cnt);
    free(c->i64);
    free(c->f64);
    free(c->comp);
    free(c->approx);
    free(c->win);
    free(c->str);
    ed_ht_free(c->seen);
  }
  free(a->accs);
  ed_exprcols_free(&a->keys);
  ed_exprcols_free(&a->args);
  ed_ht_free(a->groups);
  ed_arena_free(&a->scratch);
  ed_arena_free(&a->strs);
  ed_vector_free(&a->gidvec);
  if (a->out) ed_batch_free(a->out);
  free(a);
}

static const EdOpVtab agg_vtab = {"HashAggregate", agg_push, agg_finish,
                                  agg_destroy};

/* Sets up the accumulators; returns -1 with the context error set. */
static int init_accs(AggOp *a, EdExecCtx *ctx) {
  const EdPlan *node = a->node;
  a->accs = ed_calloc((size_t)(a->naggs ? a->naggs : 1), sizeof(Acc));
  EdExpr **argv = ed_calloc((size_t)(a->naggs ? a->naggs : 1),
                            sizeof(EdExpr *));
  for (int i = 0; i < a->naggs; i++) {
    const EdAggCall *call = &node->aggs[i];
    Acc *c = &a->accs[i];
    c->call = call;
    c->is_max = call->fn == AGG_MAX;
    c->arg_type = call->arg ? call->arg->type : ED_T_BIGINT;
    argv[i] = call->fn == AGG_COUNT_STAR ? NULL : call->arg;
    if ((call->fn != AGG_COUNT_STAR && !call->arg) ||
        acc_kind(call, c->arg_type, &c->kind) < 0) {
      free(argv);
      return ed_exec_error(ctx, "%s() over %s is not supported",
                           agg_name(call->fn), ed_type_name(c->arg_type));
    }
    if (call->distinct && call->fn != AGG_COUNT_STAR) {
      EdType kt[2] = {ED_T_BIGINT, c->arg_type};
      c->seen = ed_ht_new(2, kt, true);
    }
  }
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
  ed_arena_init(&a->strs, 16 * 1024);
  ed_vector_init(&a->gidvec, ED_T_BIGINT);
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
    grow_groups(a, 1);
    init_group(a, 0);
  }
  EdType *ot = ed_malloc(sizeof(EdType) * (size_t)(node->schema.ncols + 1));
  for (int i = 0; i < node->schema.ncols; i++)
    ot[i] = node->schema.cols[i].type;
  a->out = ed_batch_new(node->schema.ncols, ot);
  free(ot);
  return &a->base;
}
