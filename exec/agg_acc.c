/*
** exec/agg_acc.c — aggregate accumulators (see agg_acc.h).
**
** Each call has typed arrays indexed by group id; which arrays exist
** depends on the accumulator kind chosen from the function, argument and
** result types.  Folding is a tight loop per call over the rows of a batch.
** A DISTINCT call first passes its rows through a hash table keyed by
** (group id, value) and folds only the pairs it had not seen.  In a
** mergeable set every (group, value) entry of that table is also linked
** into its group's chain (dhead/dnext), which is what merging a group into
** another (re-insert each value under the target group) and releasing a
** group (delete its entries) walk.
*/
#include "exec/agg_acc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define ACC_STR_BLOCK (16 * 1024)
/* Compact string bytes once garbage exceeds both this and the live bytes. */
#define ACC_COMPACT_MIN (64 * 1024)

/* ------------------------------------------------------------ set up */

static bool is_int_type(EdType t) {
  return t == ED_T_BIGINT || t == ED_T_BOOL || t == ED_T_TIMESTAMP ||
         t == ED_T_INTERVAL;
}

/* Chooses the accumulator of an aggregate call from its function, result
** and argument types.  Returns -1 for a combination the planner should
** never produce. */
static int acc_kind(const EdAggCall *c, EdType arg, EdAccKind *kind) {
  switch (c->fn) {
    case AGG_COUNT_STAR: *kind = ED_ACC_COUNT_STAR; return 0;
    case AGG_COUNT: *kind = ED_ACC_COUNT; return 0;
    case AGG_SUM:
      if (arg == ED_T_NULL)   /* sum(NULL): no value is ever folded in */
        *kind = c->type == ED_T_DOUBLE ? ED_ACC_SUM_DBL : ED_ACC_SUM_INT;
      else if (is_int_type(c->type) && is_int_type(arg))
        *kind = ED_ACC_SUM_INT;
      else if (c->type == ED_T_DOUBLE &&
               (arg == ED_T_DOUBLE || is_int_type(arg)))
        *kind = ED_ACC_SUM_DBL;
      else return -1;
      return 0;
    case AGG_AVG:
      if (is_int_type(arg)) *kind = ED_ACC_AVG_INT;
      else if (arg == ED_T_DOUBLE || arg == ED_T_NULL) *kind = ED_ACC_AVG_DBL;
      else return -1;
      return 0;
    case AGG_MIN:
    case AGG_MAX:
      if (is_int_type(arg)) *kind = ED_ACC_MINMAX_INT;
      else if (arg == ED_T_DOUBLE) *kind = ED_ACC_MINMAX_DBL;
      else if (arg == ED_T_VARCHAR) *kind = ED_ACC_MINMAX_STR;
      else if (arg == ED_T_WINDOW) *kind = ED_ACC_MINMAX_WIN;
      else if (arg == ED_T_NULL) *kind = ED_ACC_MINMAX_INT;  /* never set */
      else return -1;
      return 0;
  }
  return -1;
}

/* Do two argument expressions surely give the same values?  (The same
** node, or references to the same input column.) */
static bool same_arg(const EdExpr *a, const EdExpr *b) {
  if (a == b) return true;
  return a && b && a->kind == EXPR_COLREF && b->kind == EXPR_COLREF &&
         a->col == b->col && a->type == b->type;
}

/* May call c use the value count of the earlier call owner?  Both count the
** non-NULL values of the same argument; c must be a kind that never reads
** its count while folding (min/max do, to find their first value). */
static bool shares_count(const EdAcc *owner, const EdAcc *c) {
  if (owner->seen || c->seen || owner->kind == ED_ACC_COUNT_STAR ||
      owner->cnt_of >= 0)
    return false;
  switch (c->kind) {
    case ED_ACC_COUNT: case ED_ACC_SUM_INT: case ED_ACC_SUM_DBL:
    case ED_ACC_AVG_INT: case ED_ACC_AVG_DBL:
      return same_arg(owner->call->arg, c->call->arg);
    default:
      return false;
  }
}

/* SQL name of an aggregate function, for messages. */
static const char *agg_name(EdAggFunc fn) {
  static const char *names[] = {"count", "count", "sum", "avg", "min",
                                "max"};
  return names[fn];
}

int ed_accs_init(EdAccSet *s, EdExecCtx *ctx, const EdAggCall *calls, int n,
                 bool mergeable) {
  memset(s, 0, sizeof *s);
  s->ctx = ctx;
  s->n = n;
  s->mergeable = mergeable;
  s->accs = ed_calloc((size_t)(n ? n : 1), sizeof(EdAcc));
  ed_arena_init(&s->strs, ACC_STR_BLOCK);
  bool any_distinct = false;
  for (int i = 0; i < n; i++) {
    const EdAggCall *call = &calls[i];
    EdAcc *c = &s->accs[i];
    c->call = call;
    c->is_max = call->fn == AGG_MAX;
    c->arg_type = call->arg ? call->arg->type : ED_T_BIGINT;
    if ((call->fn != AGG_COUNT_STAR && !call->arg) ||
        acc_kind(call, c->arg_type, &c->kind) < 0) {
      ed_exec_error(ctx, "%s() over %s is not supported",
                    agg_name(call->fn), ed_type_name(c->arg_type));
      ed_accs_free(s);
      return -1;
    }
    if (call->distinct && call->fn != AGG_COUNT_STAR) {
      EdType kt[2] = {ED_T_BIGINT, c->arg_type};
      c->seen = ed_ht_new(2, kt, true);
      any_distinct = true;
      if (mergeable)
        ed_vector_init(&c->one, c->arg_type == ED_T_NULL ? ED_T_BIGINT
                                                         : c->arg_type);
    }
  }
  for (int i = 0; i < n; i++) {
    if (s->accs[i].kind == ED_ACC_MINMAX_STR || s->accs[i].seen)
      s->track_used = mergeable;
    s->accs[i].cnt_of = -1;
    for (int j = 0; j < i && s->accs[i].cnt_of < 0; j++)
      if (shares_count(&s->accs[j], &s->accs[i])) s->accs[i].cnt_of = j;
  }
  if (any_distinct) {
    ed_vector_init(&s->gidvec, ED_T_BIGINT);
    s->pos = ed_malloc(sizeof(uint16_t) * ED_BATCH_CAP);
    s->gids = ed_malloc(sizeof(uint32_t) * ED_BATCH_CAP);
    s->dids = ed_malloc(sizeof(uint32_t) * ED_BATCH_CAP);
    s->hashes = ed_malloc(sizeof(uint64_t) * ED_BATCH_CAP);
    s->is_new = ed_malloc(sizeof(bool) * ED_BATCH_CAP);
  }
  return 0;
}

void ed_accs_free(EdAccSet *s) {
  for (int i = 0; i < s->n && s->accs; i++) {
    EdAcc *c = &s->accs[i];
    if (c->cnt_of < 0) free(c->cnt);
    free(c->i64);
    free(c->f64);
    free(c->comp);
    free(c->approx);
    free(c->win);
    free(c->str);
    free(c->dhead);
    free(c->dnext);
    ed_ht_free(c->seen);
    if (c->one.data) ed_vector_free(&c->one);
  }
  free(s->accs);
  free(s->used);
  if (s->gidvec.data) ed_vector_free(&s->gidvec);
  free(s->pos);
  free(s->gids);
  free(s->dids);
  free(s->hashes);
  free(s->is_new);
  ed_arena_free(&s->strs);
  memset(s, 0, sizeof *s);
}

void ed_accs_reserve(EdAccSet *s, uint32_t need) {
  if (need <= s->cap) return;
  /* 1.5x: the arrays stay within half again of the groups in use. */
  uint32_t cap = s->cap ? s->cap : 64;
  while (cap < need) cap = cap + cap / 2 > cap ? cap + cap / 2 : UINT32_MAX;
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    if (c->cnt_of < 0) c->cnt = ed_realloc(c->cnt, cap * sizeof *c->cnt);
    else c->cnt = s->accs[c->cnt_of].cnt;   /* reallocated above */
    switch (c->kind) {
      case ED_ACC_SUM_INT: case ED_ACC_MINMAX_INT:
        c->i64 = ed_realloc(c->i64, cap * sizeof *c->i64);
        break;
      case ED_ACC_AVG_INT:
        c->i64 = ed_realloc(c->i64, cap * sizeof *c->i64);
        c->approx = ed_realloc(c->approx, cap);
        break;
      case ED_ACC_SUM_DBL: case ED_ACC_AVG_DBL:
        c->f64 = ed_realloc(c->f64, cap * sizeof *c->f64);
        c->comp = ed_realloc(c->comp, cap * sizeof *c->comp);
        break;
      case ED_ACC_MINMAX_DBL:
        c->f64 = ed_realloc(c->f64, cap * sizeof *c->f64);
        break;
      case ED_ACC_MINMAX_STR:
        c->str = ed_realloc(c->str, cap * sizeof *c->str);
        break;
      case ED_ACC_MINMAX_WIN:
        c->win = ed_realloc(c->win, cap * sizeof *c->win);
        break;
      default:
        break;
    }
    if (c->seen && s->mergeable)
      c->dhead = ed_realloc(c->dhead, cap * sizeof *c->dhead);
  }
  if (s->track_used) {
    s->used = ed_realloc(s->used, cap);
    memset(s->used + s->cap, 0, cap - s->cap);
  }
  s->cap = cap;
}

void ed_accs_reset(EdAccSet *s, uint32_t id) {
  assert(id < s->cap);
  if (s->used && s->used[id]) ed_accs_release(s, id);
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    c->cnt[id] = 0;
    if (c->i64) c->i64[id] = 0;
    if (c->f64) c->f64[id] = 0;
    if (c->comp) c->comp[id] = 0;
    if (c->approx) c->approx[id] = 0;
    if (c->win) c->win[id] = (EdWindow){0, 0};
    if (c->str) c->str[id] = (EdAccStr){NULL, 0, 0};
    if (c->dhead) c->dhead[id] = ED_HT_NONE;
  }
  if (s->used) s->used[id] = 1;
}

/* ------------------------------------------------------------ folding */

/* The sum of an integer avg() as a double: the exact integer sum, or once
** it overflowed (approx) the double whose bits i64 then holds, so that a
** group needs no separate double. */
static inline double avg_get(const EdAcc *c, uint32_t id) {
  if (!c->approx[id]) return (double)c->i64[id];
  double d;
  memcpy(&d, &c->i64[id], sizeof d);
  return d;
}

static inline void avg_set(EdAcc *c, uint32_t id, double d) {
  assert(c->approx[id]);
  memcpy(&c->i64[id], &d, sizeof d);
}

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

/* Keeps the bytes (p, len) as a group's VARCHAR min/max, reusing its
** buffer while they fit. */
static void str_set(EdAccSet *s, EdAccStr *slot, const char *p, uint32_t len) {
  if (len > slot->cap) {
    uint32_t cap = slot->cap ? slot->cap * 2 : 16;
    if (cap < len) cap = len;
    slot->ptr = ed_arena_alloc(&s->strs, cap);
    s->str_live += cap - slot->cap;
    slot->cap = cap;
  }
  if (len) memcpy(slot->ptr, p, len);
  slot->len = len;
}

/* Byte-wise comparison of (a, alen) with (b, blen); a prefix sorts first. */
static inline int str_cmp(const char *a, uint32_t alen, const char *b,
                          uint32_t blen) {
  uint32_t n = alen < blen ? alen : blen;
  int c = n ? memcmp(a, b, n) : 0;
  if (c) return c;
  return alen < blen ? -1 : alen > blen;
}

/* Orders windows by start, then end. */
static inline int win_cmp(EdWindow x, EdWindow y) {
  if (x.start != y.start) return x.start < y.start ? -1 : 1;
  if (x.end != y.end) return x.end < y.end ? -1 : 1;
  return 0;
}

/* Folds the values of v at positions pos[k] (NULL: k) into groups g[k],
** k < n, ignoring DISTINCT.  NULL values are skipped. */
static int fold_plain(EdAccSet *s, EdAcc *c, const EdVector *v,
                      const uint16_t *pos, const uint32_t *g, int n) {
  if (c->kind == ED_ACC_COUNT_STAR) {
    for (int k = 0; k < n; k++) c->cnt[g[k]]++;
    return 0;
  }
  if (v->type == ED_T_NULL) return 0;
  if ((c->kind == ED_ACC_SUM_DBL || c->kind == ED_ACC_AVG_DBL) &&
      v->type == ED_T_DOUBLE) {
    /* sum/avg of a DOUBLE column, the common case: its own loop, without
    ** the kind switch and the type test per row. */
    const double *x = ED_VEC_F64(v);
    bool own_count = c->cnt_of < 0;
    for (int k = 0; k < n; k++) {
      int p = pos ? pos[k] : k;
      if (!ed_vec_valid(v, p)) continue;
      uint32_t id = g[k];
      c->cnt[id] += own_count;
      kahan_add(&c->f64[id], &c->comp[id], x[p]);
    }
    return 0;
  }
  for (int k = 0; k < n; k++) {
    int p = pos ? pos[k] : k;
    uint32_t id = g[k];
    if (!ed_vec_valid(v, p)) continue;
    /* A shared count was advanced by its owner's fold (first unused). */
    bool first = c->cnt_of < 0 && c->cnt[id]++ == 0;
    switch (c->kind) {
      case ED_ACC_COUNT:
        break;
      case ED_ACC_SUM_INT:
        if (__builtin_add_overflow(c->i64[id], read_int(v, p), &c->i64[id]))
          return ed_exec_error(s->ctx, "integer overflow in sum()");
        break;
      case ED_ACC_AVG_INT: {
        int64_t x = read_int(v, p);
        int64_t sum;
        if (c->approx[id]) {
          avg_set(c, id, avg_get(c, id) + (double)x);
        } else if (__builtin_add_overflow(c->i64[id], x, &sum)) {
          double d = (double)c->i64[id] + (double)x;
          c->approx[id] = 1;
          avg_set(c, id, d);
        } else {
          c->i64[id] = sum;
        }
        break;
      }
      case ED_ACC_SUM_DBL:
      case ED_ACC_AVG_DBL:
        kahan_add(&c->f64[id], &c->comp[id], read_dbl(v, p));
        break;
      case ED_ACC_MINMAX_INT: {
        int64_t x = read_int(v, p);
        if (first || (c->is_max ? x > c->i64[id] : x < c->i64[id]))
          c->i64[id] = x;
        break;
      }
      case ED_ACC_MINMAX_DBL: {
        double x = ED_VEC_F64(v)[p];
        if (first || (c->is_max ? x > c->f64[id] : x < c->f64[id]))
          c->f64[id] = x;
        break;
      }
      case ED_ACC_MINMAX_STR: {
        EdStr x = ED_VEC_STR(v)[p];
        int cmp = first ? 0
                        : str_cmp(c->str[id].ptr, c->str[id].len, x.ptr,
                                  x.len);
        if (first || (c->is_max ? cmp < 0 : cmp > 0))
          str_set(s, &c->str[id], x.ptr, x.len);
        break;
      }
      case ED_ACC_MINMAX_WIN: {
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

/* Links DISTINCT entry e into group g's chain (mergeable sets). */
static void chain_add(EdAcc *c, uint32_t g, uint32_t e) {
  if (e >= c->dnext_cap) {
    uint32_t cap = c->dnext_cap ? c->dnext_cap : 256;
    while (cap <= e) cap *= 2;
    c->dnext = ed_realloc(c->dnext, cap * sizeof *c->dnext);
    c->dnext_cap = cap;
  }
  c->dnext[e] = c->dhead[g];
  c->dhead[g] = e;
}

/* DISTINCT: folds only the (group, value) pairs not seen before.  NULL
** values never enter the set (every aggregate ignores them). */
static int fold_distinct(EdAccSet *s, EdAcc *c, EdVector *v,
                         const uint16_t *pos, const uint32_t *g, int n) {
  if (v->type == ED_T_NULL) return 0;
  int m = 0;
  for (int k = 0; k < n; k++) {
    int p = pos ? pos[k] : k;
    if (!ed_vec_valid(v, p)) continue;
    ED_VEC_I64(&s->gidvec)[p] = g[k];
    s->pos[m] = (uint16_t)p;
    s->gids[m++] = g[k];
  }
  if (m == 0) return 0;
  EdVector *kv[2] = {&s->gidvec, v};
  ed_ht_hash(c->seen, kv, s->pos, m, s->hashes);
  ed_ht_find_or_insert(c->seen, kv, s->pos, m, s->hashes, s->dids,
                       s->is_new);
  int f = 0;
  for (int k = 0; k < m; k++) {
    if (!s->is_new[k]) continue;
    if (c->dhead) chain_add(c, s->gids[k], s->dids[k]);
    s->pos[f] = s->pos[k];
    s->gids[f++] = s->gids[k];
  }
  return fold_plain(s, c, v, s->pos, s->gids, f);
}

int ed_accs_fold(EdAccSet *s, EdVector *const *args, const uint16_t *pos,
                 const uint32_t *ids, int n) {
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    int rc = c->seen ? fold_distinct(s, c, args[i], pos, ids, n)
                     : fold_plain(s, c, args[i], pos, ids, n);
    if (rc < 0) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------ merging */

/* Writes val (of v's type, not NULL) at position 0 of v. */
static void put_one(EdVector *v, const EdValue *val) {
  ed_vec_set_valid(v, 0);
  switch (v->type) {
    case ED_T_BOOL: ED_VEC_BOOL(v)[0] = val->u.b; break;
    case ED_T_DOUBLE: ED_VEC_F64(v)[0] = val->u.d; break;
    case ED_T_VARCHAR: ED_VEC_STR(v)[0] = val->u.s; break;
    case ED_T_WINDOW: ED_VEC_WIN(v)[0] = val->u.w; break;
    default: ED_VEC_I64(v)[0] = val->u.i; break;
  }
}

/* DISTINCT: re-inserts every value of from's group src under group dst of
** s, folding those dst had not seen. */
static int merge_distinct(EdAccSet *s, EdAcc *c, uint32_t dst, EdAcc *cf,
                          uint32_t src) {
  for (uint32_t e = cf->dhead[src]; e != ED_HT_NONE; e = cf->dnext[e]) {
    EdValue vals[2];
    ed_ht_key(cf->seen, e, vals);
    vals[0].u.i = (int64_t)dst;
    bool fresh;
    uint32_t d = ed_ht_insert_values(c->seen, vals, &fresh);
    if (!fresh) continue;
    chain_add(c, dst, d);
    put_one(&c->one, &vals[1]);
    if (fold_plain(s, c, &c->one, NULL, &dst, 1) < 0) return -1;
  }
  return 0;
}

/* Folds the plain (non-DISTINCT) state of group src of cf into dst of c. */
static int merge_plain(EdAccSet *s, EdAcc *c, uint32_t dst, const EdAcc *cf,
                       uint32_t src) {
  int64_t n = cf->cnt[src];
  if (n == 0) return 0;
  bool first = c->cnt[dst] == 0;
  if (c->cnt_of < 0) c->cnt[dst] += n;
  switch (c->kind) {
    case ED_ACC_SUM_INT:
      if (__builtin_add_overflow(c->i64[dst], cf->i64[src], &c->i64[dst]))
        return ed_exec_error(s->ctx, "integer overflow in sum()");
      break;
    case ED_ACC_AVG_INT: {
      int64_t sum;
      if (c->approx[dst] || cf->approx[src] ||
          __builtin_add_overflow(c->i64[dst], cf->i64[src], &sum)) {
        double a = avg_get(c, dst), b = avg_get(cf, src);
        c->approx[dst] = 1;
        avg_set(c, dst, a + b);
      } else {
        c->i64[dst] = sum;
      }
      break;
    }
    case ED_ACC_SUM_DBL:
    case ED_ACC_AVG_DBL:
      kahan_add(&c->f64[dst], &c->comp[dst], cf->f64[src]);
      c->comp[dst] += cf->comp[src];
      break;
    case ED_ACC_MINMAX_INT: {
      int64_t x = cf->i64[src];
      if (first || (c->is_max ? x > c->i64[dst] : x < c->i64[dst]))
        c->i64[dst] = x;
      break;
    }
    case ED_ACC_MINMAX_DBL: {
      double x = cf->f64[src];
      if (first || (c->is_max ? x > c->f64[dst] : x < c->f64[dst]))
        c->f64[dst] = x;
      break;
    }
    case ED_ACC_MINMAX_STR: {
      EdAccStr x = cf->str[src];
      int cmp = first ? 0
                      : str_cmp(c->str[dst].ptr, c->str[dst].len, x.ptr,
                                x.len);
      if (first || (c->is_max ? cmp < 0 : cmp > 0))
        str_set(s, &c->str[dst], x.ptr, x.len);
      break;
    }
    case ED_ACC_MINMAX_WIN: {
      EdWindow x = cf->win[src];
      int cmp = first ? 0 : win_cmp(x, c->win[dst]);
      if (first || (c->is_max ? cmp > 0 : cmp < 0)) c->win[dst] = x;
      break;
    }
    default:
      break;
  }
  return 0;
}

int ed_accs_merge(EdAccSet *s, uint32_t dst, EdAccSet *from, uint32_t src) {
  assert(s->mergeable && from->mergeable && s->n == from->n);
  assert(s != from || dst != src);
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i], *cf = &from->accs[i];
    int rc = c->seen ? merge_distinct(s, c, dst, cf, src)
                     : merge_plain(s, c, dst, cf, src);
    if (rc < 0) return -1;
  }
  return 0;
}

void ed_accs_release(EdAccSet *s, uint32_t id) {
  assert(s->mergeable && id < s->cap);
  /* Without strings or DISTINCT values a group holds nothing to release. */
  if (!s->used || !s->used[id]) return;
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    if (c->str) {
      s->str_live -= c->str[id].cap;
      c->str[id] = (EdAccStr){NULL, 0, 0};
    }
    if (c->dhead) {
      uint32_t e = c->dhead[id];
      while (e != ED_HT_NONE) {
        uint32_t next = c->dnext[e];
        ed_ht_delete(c->seen, e);
        e = next;
      }
      c->dhead[id] = ED_HT_NONE;
    }
  }
  s->used[id] = 0;
}

void ed_accs_clear(EdAccSet *s) {
  assert(s->mergeable);
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    if (c->seen) ed_ht_clear(c->seen);
    if (c->str) memset(c->str, 0, s->cap * sizeof *c->str);
  }
  if (s->used) memset(s->used, 0, s->cap);
  ed_arena_reset(&s->strs);
  s->str_live = 0;
}

void ed_accs_compact(EdAccSet *s) {
  if (!s->mergeable) return;
  for (int i = 0; i < s->n; i++) {
    EdHashTable *ht = s->accs[i].seen;
    if (ht && ed_ht_dead_bytes(ht) > ACC_COMPACT_MIN &&
        ed_ht_dead_bytes(ht) > ht->live_bytes)
      ed_ht_compact(ht);
  }
  size_t garbage = s->strs.used_bytes > s->str_live
                       ? s->strs.used_bytes - s->str_live : 0;
  if (garbage < ACC_COMPACT_MIN || garbage < s->str_live) return;
  EdArena fresh;
  ed_arena_init(&fresh, ACC_STR_BLOCK);
  size_t live = 0;
  for (int i = 0; i < s->n; i++) {
    EdAcc *c = &s->accs[i];
    if (!c->str) continue;
    for (uint32_t id = 0; id < s->cap; id++) {
      EdAccStr *slot = &c->str[id];
      if (!s->used[id] || !slot->cap) continue;
      char *p = ed_arena_alloc(&fresh, slot->cap);
      if (slot->len) memcpy(p, slot->ptr, slot->len);
      slot->ptr = p;
      live += slot->cap;
    }
  }
  ed_arena_free(&s->strs);
  s->strs = fresh;
  s->str_live = live;
}

/* ------------------------------------------------------------ output */

void ed_accs_finalize(const EdAccSet *s, int i, const uint32_t *ids,
                      const uint16_t *rows, int n, EdVector *v) {
  const EdAcc *c = &s->accs[i];
  size_t width = ed_type_width(v->type);
  for (int k = 0; k < n; k++) {
    uint32_t g = ids[k];
    int r = rows ? rows[k] : k;
    int64_t cnt = c->cnt[g];
    ed_vec_set_valid(v, r);
    if (c->kind == ED_ACC_COUNT_STAR || c->kind == ED_ACC_COUNT) {
      ED_VEC_I64(v)[r] = cnt;
      continue;
    }
    if (cnt == 0 || c->arg_type == ED_T_NULL) {
      ed_vec_set_null(v, r);
      memset((char *)v->data + width * (size_t)r, 0, width);
      continue;
    }
    switch (c->kind) {
      case ED_ACC_SUM_INT: ED_VEC_I64(v)[r] = c->i64[g]; break;
      case ED_ACC_SUM_DBL: ED_VEC_F64(v)[r] = c->f64[g] + c->comp[g]; break;
      case ED_ACC_AVG_INT:
        ED_VEC_F64(v)[r] = avg_get(c, g) / (double)cnt;
        break;
      case ED_ACC_AVG_DBL:
        ED_VEC_F64(v)[r] = (c->f64[g] + c->comp[g]) / (double)cnt;
        break;
      case ED_ACC_MINMAX_INT:
        if (v->type == ED_T_BOOL) ED_VEC_BOOL(v)[r] = (uint8_t)c->i64[g];
        else ED_VEC_I64(v)[r] = c->i64[g];
        break;
      case ED_ACC_MINMAX_DBL: ED_VEC_F64(v)[r] = c->f64[g]; break;
      case ED_ACC_MINMAX_STR:
        /* an empty string never got a buffer */
        ED_VEC_STR(v)[r] = (EdStr){c->str[g].ptr ? c->str[g].ptr : "",
                                   c->str[g].len};
        break;
      case ED_ACC_MINMAX_WIN: ED_VEC_WIN(v)[r] = c->win[g]; break;
      default: break;
    }
  }
}

size_t ed_accs_bytes(const EdAccSet *s) {
  size_t per_group = s->used ? 1 : 0, total = s->strs.reserved_bytes;
  for (int i = 0; i < s->n; i++) {
    const EdAcc *c = &s->accs[i];
    if (c->cnt_of < 0) per_group += sizeof(int64_t);
    if (c->i64) per_group += sizeof(int64_t);
    if (c->f64) per_group += sizeof(double);
    if (c->comp) per_group += sizeof(double);
    if (c->approx) per_group += 1;
    if (c->win) per_group += sizeof(EdWindow);
    if (c->str) per_group += sizeof(EdAccStr);
    if (c->dhead) per_group += sizeof(uint32_t);
    if (c->seen) total += ed_ht_bytes(c->seen);
    total += c->dnext_cap * sizeof(uint32_t);
  }
  return total + per_group * s->cap;
}
