/*
** exec/expr_subquery.c — evaluation of subqueries in expressions
** (EXPR_SUBQUERY) and of the outer values read inside their plans
** (EXPR_OUTER_REF); planner/binder_subquery.c says how they are bound.
**
** Running a subquery.  Its physical plan runs to completion with
** ed_exec_run, in an execution context of its own, into a sink that keeps
** what the kind needs: the first value and a row count (scalar: no row
** gives NULL, a second row stops the run with the error "scalar subquery
** returned more than one row"), whether a row came (EXISTS; the plan
** stops after one), or the set of values in a hash table
** (state/hashtable.h) with whether a NULL was among them (IN).  While it
** runs, the run sits on a per-thread stack of active runs: an
** EXPR_OUTER_REF node, prepared by an operator the run builds, finds its
** run there by execution context and reads the outer values from it.
**
** Caching.  Results are shared by every evaluator of one execution
** context (one query run: a subquery in WHERE and in the select list runs
** once) and freed with the last of those evaluators.  An uncorrelated
** subquery runs once, the first time a batch has an active row that needs
** it (a CASE branch no row takes never runs it), and its result then
** serves whole batches: a scalar or EXISTS result fills the vector, IN
** probes the set with the batch's operand vector.  A correlated one hashes
** the outer values of the batch's rows into a table of the combinations
** met so far (NULLs equal) and runs once per new combination; each row
** then reads its combination's result.  A subquery nested in a correlated
** one is evaluated by the operators of each run of the enclosing one, so
** its cache lives as long as that run.  In a streaming query results are
** kept for one micro-batch: the tables a subquery reads may change
** between batches (INSERT INTO a memory table).
**
** IN follows SQL: x IN S is TRUE when x is in S; otherwise NULL when S is
** not empty and x is NULL or S holds a NULL; otherwise FALSE.  NOT IN
** negates TRUE and FALSE and keeps NULL, so x NOT IN (1, NULL) is NULL.
*/
#include "exec/expr_internal.h"

#include <pthread.h>
#include <stdlib.h>

#include "exec/executor.h"
#include "state/hashtable.h"

/* ------------------------------------------------------------ results */

/* What one run of a subquery produced. */
typedef struct SqResult {
  bool done;             /* the run completed */
  bool has_null;         /* IN: a NULL value came */
  int64_t nrows;         /* rows that came */
  EdValue value;         /* SCALAR: the value (strings in the cache) */
  EdHashTable *set;      /* IN: the non-NULL values; NULL while none */
} SqResult;

/* The results of one subquery in one execution context, shared by the
** evaluators of that context. */
typedef struct SqCache {
  struct SqCache *next;
  const EdExecCtx *ctx;
  const EdSubquery *sq;
  int refs;              /* evaluator nodes using it */
  EdArena mem;           /* scalar strings */
  SqResult one;          /* uncorrelated: the result */
  EdHashTable *keys;     /* correlated: combinations of outer values */
  SqResult *res;         /* by combination id */
  uint32_t nres;
  uint64_t *hashes;      /* scratch of the IN sink, ED_BATCH_CAP each */
  uint32_t *ids;
  bool in_batch;         /* streaming: results belong to micro-batch */
  int64_t batch_id;
} SqCache;

static pthread_mutex_t sq_lock = PTHREAD_MUTEX_INITIALIZER;
static SqCache *sq_caches;   /* every live cache, under sq_lock */

/* The cache of sq in ctx, made on first use; one more reference to it. */
static SqCache *cache_acquire(const EdExecCtx *ctx, const EdSubquery *sq) {
  pthread_mutex_lock(&sq_lock);
  SqCache *c = sq_caches;
  while (c && !(c->ctx == ctx && c->sq == sq)) c = c->next;
  if (!c) {
    c = ed_calloc(1, sizeof *c);
    c->ctx = ctx;
    c->sq = sq;
    ed_arena_init(&c->mem, 4096);
    if (sq->nparams > 0)
      c->keys = ed_ht_new(sq->nparams, sq->param_types, true);
    c->next = sq_caches;
    sq_caches = c;
  }
  c->refs++;
  pthread_mutex_unlock(&sq_lock);
  return c;
}

static void result_free(SqResult *r) {
  if (r->set) ed_ht_free(r->set);
  r->set = NULL;
}

/* Drops a reference; the last one frees the cache. */
static void cache_release(SqCache *c) {
  pthread_mutex_lock(&sq_lock);
  if (--c->refs > 0) {
    pthread_mutex_unlock(&sq_lock);
    return;
  }
  SqCache **p = &sq_caches;
  while (*p != c) p = &(*p)->next;
  *p = c->next;
  pthread_mutex_unlock(&sq_lock);
  result_free(&c->one);
  for (uint32_t i = 0; i < c->nres; i++) result_free(&c->res[i]);
  free(c->res);
  if (c->keys) ed_ht_free(c->keys);
  ed_arena_free(&c->mem);
  free(c->hashes);
  free(c->ids);
  free(c);
}

/* Forgets c's results when a streaming context has moved to another
** micro-batch since they were computed. */
static void cache_refresh(SqCache *c, const EdExecCtx *ctx) {
  if (!ctx->streaming) return;
  if (c->in_batch && c->batch_id == ctx->batch_id) return;
  if (c->in_batch) {
    result_free(&c->one);
    memset(&c->one, 0, sizeof c->one);
    for (uint32_t i = 0; i < c->nres; i++) result_free(&c->res[i]);
    if (c->nres) memset(c->res, 0, (size_t)c->nres * sizeof *c->res);
    if (c->keys) ed_ht_clear(c->keys);
    ed_arena_reset(&c->mem);
  }
  c->in_batch = true;
  c->batch_id = ctx->batch_id;
}

/* Room in c->res for every combination id the table has handed out. */
static void grow_results(SqCache *c) {
  uint32_t need = ed_ht_id_limit(c->keys);
  if (need <= c->nres) return;
  uint32_t cap = c->nres ? c->nres : 16;
  while (cap < need) cap *= 2;
  c->res = ed_realloc(c->res, (size_t)cap * sizeof *c->res);
  memset(c->res + c->nres, 0, (size_t)(cap - c->nres) * sizeof *c->res);
  c->nres = cap;
}

/* ---------------------------------------------------------------- runs */

/* One run of a subquery's plan. */
typedef struct SqRun {
  EdExecCtx ctx;         /* the run's own context */
  const EdSubquery *sq;
  const EdValue *params; /* sq->nparams outer values */
  struct SqRun *prev;    /* the run this one started in, on this thread */
} SqRun;

static _Thread_local SqRun *sq_active;   /* innermost run of this thread */

/* The sink a run writes into. */
typedef struct SqSink {
  EdSink base;
  SqResult *res;
  SqCache *cache;
  EdSubqKind kind;
  bool too_many;         /* SCALAR: a second row came */
} SqSink;

static int sq_sink_begin(EdSink *s, const EdSchema *schema) {
  (void)s;
  (void)schema;
  return 0;
}

static int sq_sink_end(EdSink *s) {
  (void)s;
  return 0;
}

static void sq_sink_destroy(EdSink *s) { (void)s; }

/* Adds the values of column 0 of b's active rows to the IN set. */
static void sink_add_set(SqSink *k, const EdBatch *b, int n) {
  SqResult *res = k->res;
  SqCache *c = k->cache;
  EdVector *col = &b->cols[0];
  if (!c->hashes) {
    c->hashes = ed_malloc(ED_BATCH_CAP * sizeof *c->hashes);
    c->ids = ed_malloc(ED_BATCH_CAP * sizeof *c->ids);
  }
  if (!res->set) res->set = ed_ht_new(1, &col->type, false);
  ed_ht_hash(res->set, &col, b->sel, n, c->hashes);
  ed_ht_find_or_insert(res->set, &col, b->sel, n, c->hashes, c->ids, NULL);
  for (int k2 = 0; k2 < n && !res->has_null; k2++)
    if (!ed_vec_valid(col, ed_batch_row(b, k2))) res->has_null = true;
}

static int sq_sink_write(EdSink *s, const EdBatch *b) {
  SqSink *k = (SqSink *)s;
  SqResult *res = k->res;
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  switch (k->kind) {
    case SUBQ_SCALAR:
      if (res->nrows == 0) {
        ed_batch_get(b, 0, ed_batch_row(b, 0), &res->value);
        EdValue *v = &res->value;
        if (v->type == ED_T_VARCHAR && !v->is_null) {
          v->u.s.ptr = ed_arena_strndup(&k->cache->mem,
                                        v->u.s.ptr ? v->u.s.ptr : "",
                                        v->u.s.len);
        }
      }
      res->nrows += n;
      if (res->nrows > 1) {
        /* Stops the run: the answer is already known to be an error. */
        k->too_many = true;
        return -1;
      }
      return 0;
    case SUBQ_EXISTS: res->nrows += n; return 0;
    case SUBQ_IN:
      sink_add_set(k, b, n);
      res->nrows += n;
      return 0;
  }
  return 0;
}

/* A subquery node's prepared state (EvNode.priv), one per node. */
typedef struct EvSubq {
  struct EvSubq *next;   /* the evaluator's list */
  const EdSubquery *sq;
  SqCache *cache;
  int first;             /* argument index of the first outer value */
  uint64_t *hashes;      /* ev->cap each */
  uint32_t *ids;
  EdVector **keys;       /* the outer values' vectors */
  EdValue *vals;         /* one combination of outer values */
} EvSubq;

/* Runs the subquery of s with the outer values vals (NULL when it has
** none) into res.  Returns 0, or -1 with r->ctx's error set. */
static int sq_compute(EvRun *r, const EvSubq *s, SqResult *res,
                      const EdValue *vals) {
  const EdSubquery *sq = s->sq;
  EdExecCtx *octx = r->ctx;
  if (octx->interrupted) return ed_exec_error(octx, "query interrupted");
  result_free(res);
  memset(res, 0, sizeof *res);
  SqRun run;
  memset(&run, 0, sizeof run);
  run.ctx.query_arena = octx->query_arena;
  run.ctx.now_us = r->now_us;   /* now() is the enclosing query's */
  run.sq = sq;
  run.params = vals;
  SqSink k;
  memset(&k, 0, sizeof k);
  k.base.begin = sq_sink_begin;
  k.base.write = sq_sink_write;
  k.base.end = sq_sink_end;
  k.base.destroy = sq_sink_destroy;
  k.res = res;
  k.cache = s->cache;
  k.kind = sq->kind;
  run.prev = sq_active;
  sq_active = &run;
  int rc = ed_exec_run(&run.ctx, sq->plan, &k.base, NULL, NULL);
  sq_active = run.prev;
  if (k.too_many)
    return ed_exec_error(octx, "scalar subquery returned more than one row");
  if (rc != 0) {
    if (run.ctx.err.kind == ED_ERR_NONE)
      return ed_exec_error(octx, "a subquery failed");
    octx->err = run.ctx.err;
    return -1;
  }
  if (sq->kind == SUBQ_SCALAR && res->nrows == 0) {
    memset(&res->value, 0, sizeof res->value);
    res->value.type = sq->plan->schema.cols[0].type;
    res->value.is_null = true;
  }
  res->done = true;
  return 0;
}

/* ----------------------------------------------------------- preparing */

void ev_prep_subquery(EdEvaluator *ev, EvNode *nd, const EdExpr *e) {
  const EdSubquery *sq = e->subq;
  ev_vec_alloc(ev, &nd->vec, nd->type);
  nd->dst = &nd->vec;
  if (!sq || !sq->plan) {
    ev_prep_error(ev, nd, "a subquery without a plan cannot be evaluated");
    return;
  }
  EvSubq *s = ev_alloc(ev, sizeof *s);
  s->sq = sq;
  s->first = sq->kind == SUBQ_IN ? 1 : 0;
  if (nd->nargs != s->first + sq->nparams) {
    ev_prep_error(ev, nd, "a subquery node has %d arguments, not %d",
                  nd->nargs, s->first + sq->nparams);
    return;
  }
  if (sq->kind == SUBQ_IN) {
    nd->args[0] = ev_coerce(ev, nd->args[0], sq->plan->schema.cols[0].type);
    ev_need_vector(ev, nd->args[0]);
  }
  for (int k = 0; k < sq->nparams; k++) {
    EvNode **a = &nd->args[s->first + k];
    *a = ev_coerce(ev, *a, sq->param_types[k]);
    ev_need_vector(ev, *a);
  }
  int np = sq->nparams ? sq->nparams : 1;
  s->hashes = ev_alloc(ev, sizeof *s->hashes * (size_t)ev->cap);
  s->ids = ev_alloc(ev, sizeof *s->ids * (size_t)ev->cap);
  s->keys = ev_alloc(ev, sizeof *s->keys * (size_t)np);
  s->vals = ev_alloc(ev, sizeof *s->vals * (size_t)np);
  s->cache = cache_acquire(ev->ctx, sq);
  s->next = ev->subqs;
  ev->subqs = s;
  nd->priv = s;
}

void ev_release_subqueries(EdEvaluator *ev) {
  for (EvSubq *s = ev->subqs; s; s = s->next) cache_release(s->cache);
  ev->subqs = NULL;
}

void ev_prep_outer_ref(EdEvaluator *ev, EvNode *nd) {
  ev_vec_alloc(ev, &nd->vec, nd->type);
  nd->dst = &nd->vec;
  for (SqRun *run = sq_active; run; run = run->prev) {
    if (&run->ctx != ev->ctx) continue;
    if (nd->col < 0 || nd->col >= run->sq->nparams) break;
    nd->priv = run;
    return;
  }
  ev_prep_error(ev, nd,
                "a reference to an enclosing query's column can only be "
                "evaluated inside its subquery");
}

int ev_run_outer_ref(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  (void)r;
  const SqRun *run = nd->priv;
  ev_fill(nd->dst, &run->params[nd->col], sel, n);
  return 0;
}

/* ---------------------------------------------------------- evaluating */

/* Row i of an IN result: x (the operand vector) against res; 1 TRUE, 0
** FALSE, -1 NULL, before NOT.  found: x[i] is in the set. */
static int in_value(const SqResult *res, const EdVector *x, int i,
                    bool found) {
  if (res->nrows == 0) return 0;
  if (found) return 1;
  if (!ev_bit(x->validity, i) || res->has_null) return -1;
  return 0;
}

/* Writes a three-valued BOOLEAN v (1, 0, -1 for NULL), negated when asked,
** at row i of dst. */
static inline void put_bool(EdVector *dst, int i, int v, bool negated) {
  ev_bit_set(dst->validity, i, v >= 0);
  ED_VEC_BOOL(dst)[i] = (uint8_t)((v == 1) != negated);
}

/* An uncorrelated result for every active row. */
static int put_uniform(EvNode *nd, EvSubq *s, const SqResult *res,
                       const uint16_t *sel, int n) {
  EdVector *dst = nd->dst;
  switch (s->sq->kind) {
    case SUBQ_SCALAR: ev_fill(dst, &res->value, sel, n); return 0;
    case SUBQ_EXISTS: {
      EdValue v = {.type = ED_T_BOOL, .u.b = (res->nrows > 0) != nd->negated};
      ev_fill(dst, &v, sel, n);
      return 0;
    }
    case SUBQ_IN: break;
  }
  EdVector *x = (EdVector *)nd->args[0]->res;
  if (res->set) {
    ed_ht_hash(res->set, &x, sel, n, s->hashes);
    ed_ht_lookup(res->set, &x, sel, n, s->hashes, s->ids);
  }
  for (int k = 0; k < n; k++) {
    int i = sel ? sel[k] : k;
    bool found = res->set && s->ids[k] != ED_HT_NONE;
    put_bool(dst, i, in_value(res, x, i, found), nd->negated);
  }
  return 0;
}

/* A correlated subquery: one run per new combination of outer values,
** then each row's own result. */
static int run_correlated(EvRun *r, EvNode *nd, EvSubq *s,
                          const uint16_t *sel, int n) {
  SqCache *c = s->cache;
  for (int k = 0; k < s->sq->nparams; k++)
    s->keys[k] = (EdVector *)nd->args[s->first + k]->res;
  ed_ht_hash(c->keys, s->keys, sel, n, s->hashes);
  ed_ht_find_or_insert(c->keys, s->keys, sel, n, s->hashes, s->ids, NULL);
  grow_results(c);
  for (int k = 0; k < n; k++) {
    SqResult *res = &c->res[s->ids[k]];
    if (res->done) continue;
    ed_ht_key(c->keys, s->ids[k], s->vals);
    if (sq_compute(r, s, res, s->vals) != 0) return -1;
  }
  EdVector *dst = nd->dst;
  const EdVector *x = s->first ? nd->args[0]->res : NULL;
  for (int k = 0; k < n; k++) {
    const SqResult *res = &c->res[s->ids[k]];
    uint16_t i = (uint16_t)(sel ? sel[k] : k);
    switch (s->sq->kind) {
      case SUBQ_SCALAR: ev_fill(dst, &res->value, &i, 1); break;
      case SUBQ_EXISTS: put_bool(dst, i, res->nrows > 0, nd->negated); break;
      case SUBQ_IN: {
        bool found = false;
        if (res->set && ev_bit(x->validity, i)) {
          EdValue v;
          ev_vec_get(x, i, &v);
          found = ed_ht_lookup_values(res->set, &v) != ED_HT_NONE;
        }
        put_bool(dst, i, in_value(res, x, i, found), nd->negated);
        break;
      }
    }
  }
  return 0;
}

int ev_run_subquery(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvSubq *s = nd->priv;
  for (int i = 0; i < nd->nargs; i++)
    if (ev_eval(r, nd->args[i], sel, n)) return -1;
  cache_refresh(s->cache, r->ctx);
  if (s->sq->nparams > 0) return run_correlated(r, nd, s, sel, n);
  SqResult *res = &s->cache->one;
  if (!res->done && sq_compute(r, s, res, NULL) != 0) return -1;
  return put_uniform(nd, s, res, sel, n);
}
