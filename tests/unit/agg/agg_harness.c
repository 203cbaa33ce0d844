/*
** tests/unit/agg/agg_harness.c — see agg_harness.h.
*/
#include "agg_harness.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static EdArena arena;
int ah_coll_finishes;

/* ------------------------------------------------------------ rows */

void ah_rows_add(AhRows *r, const char *s) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    r->v = ed_realloc(r->v, sizeof(char *) * (size_t)r->cap);
  }
  r->v[r->n++] = ed_strdup(s);
}

void ah_rows_clear(AhRows *r) {
  for (int i = 0; i < r->n; i++) free(r->v[i]);
  r->n = 0;
}

void ah_rows_free(AhRows *r) {
  ah_rows_clear(r);
  free(r->v);
  memset(r, 0, sizeof *r);
}

void ah_init(void) { ed_arena_init(&arena, 64 * 1024); }
void ah_done(void) { ed_arena_free(&arena); }
EdArena *ah_arena(void) { return &arena; }

/* ------------------------------------------------------------ plans */

static const EdType in_types[AH_NCOLS] = {ED_T_BIGINT, ED_T_VARCHAR,
                                          ED_T_TIMESTAMP, ED_T_BIGINT,
                                          ED_T_DOUBLE};

static EdExpr *node(EdExprKind kind, EdType t, int nargs) {
  EdExpr *e = ed_arena_alloc(&arena, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->type = t;
  e->nargs = nargs;
  if (nargs) e->args = ed_arena_alloc(&arena, sizeof(EdExpr *) * (size_t)nargs);
  return e;
}

EdExpr *ah_col(int c) {
  EdExpr *e = node(EXPR_COLREF, in_types[c], 0);
  e->col = c;
  return e;
}

EdExpr *ah_const_interval(int64_t us) {
  EdExpr *e = node(EXPR_CONST, ED_T_INTERVAL, 0);
  e->value.type = ED_T_INTERVAL;
  e->value.u.i = us;
  return e;
}

EdExpr *ah_window_call(int64_t size_us, int64_t slide_us) {
  EdExpr *e = node(EXPR_FUNC, ED_T_WINDOW, slide_us ? 3 : 2);
  e->op = FN_WINDOW;
  e->args[0] = ah_col(AH_TS);
  e->args[1] = ah_const_interval(size_us);
  if (slide_us) e->args[2] = ah_const_interval(slide_us);
  return e;
}

EdExpr *ah_session_call(int64_t gap_us) {
  EdExpr *e = node(EXPR_FUNC, ED_T_WINDOW, 2);
  e->op = FN_SESSION_WINDOW;
  e->args[0] = ah_col(AH_TS);
  e->args[1] = ah_const_interval(gap_us);
  return e;
}

EdAggCall ah_agg(EdAggFunc fn, bool distinct, int col, EdType type) {
  EdAggCall c;
  memset(&c, 0, sizeof c);
  c.fn = fn;
  c.distinct = distinct;
  c.arg = col >= 0 ? ah_col(col) : NULL;
  c.type = type;
  return c;
}

EdPlan *ah_plan(const AhSpec *sp) {
  EdPlan *p = ed_arena_alloc(&arena, sizeof *p);
  memset(p, 0, sizeof *p);
  p->kind = PLAN_AGGREGATE;
  p->phys = PHYS_STREAM_AGGREGATE;
  p->limit = -1;
  p->nexprs = sp->nkeys;
  p->exprs = ed_arena_alloc(&arena, sizeof(EdExpr *) * (size_t)(sp->nkeys + 1));
  for (int i = 0; i < sp->nkeys; i++) p->exprs[i] = sp->keys[i];
  p->naggs = sp->naggs;
  p->aggs = ed_arena_alloc(&arena, sizeof(EdAggCall) * (size_t)(sp->naggs + 1));
  for (int i = 0; i < sp->naggs; i++) p->aggs[i] = sp->aggs[i];
  p->window.kind = sp->kind;
  p->window.key = sp->kind == WIN_NONE ? -1 : sp->wkey;
  if (sp->kind != WIN_NONE) {
    const EdExpr *wk = sp->keys[sp->wkey];
    p->window.ts = wk->kind == EXPR_FUNC ? wk->args[0] : sp->keys[sp->wkey];
  }
  p->window.size_us = sp->size * AH_SEC;
  p->window.slide_us = (sp->slide ? sp->slide : sp->size) * AH_SEC;
  p->window.gap_us = sp->gap * AH_SEC;
  p->window.wm_bounded = sp->wm_bounded;
  p->mode = sp->mode;
  p->state_ttl_us = sp->ttl_us;
  int n = sp->nkeys + sp->naggs;
  p->schema.ncols = n;
  p->schema.cols = ed_arena_alloc(&arena, sizeof(EdColumn) * (size_t)(n + 1));
  memset(p->schema.cols, 0, sizeof(EdColumn) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) {
    p->schema.cols[i].name = ed_arena_printf(&arena, "c%d", i);
    p->schema.cols[i].type =
        i < sp->nkeys ? sp->keys[i]->type : sp->aggs[i - sp->nkeys].type;
  }
  return p;
}

/* ------------------------------------------------------------ collector */

typedef struct Coll {
  EdOp base;
  AhRows rows;
} Coll;

/* Formats a timestamp in seconds (microseconds when not whole). */
static int fmt_ts(char *buf, size_t cap, int64_t us) {
  if (us % AH_SEC == 0)
    return snprintf(buf, cap, "%" PRId64, us / AH_SEC);
  return snprintf(buf, cap, "%" PRId64 "us", us);
}

static int coll_push(EdOp *op, int port, EdBatch *b) {
  Coll *c = (Coll *)op;
  (void)port;
  char line[4096];
  for (int k = 0; k < ed_batch_count(b); k++) {
    int p = ed_batch_row(b, k), n = 0;
    if (b->ops)
      n += snprintf(line + n, sizeof line - (size_t)n, "%s|",
                    ed_row_op_name((EdRowOp)b->ops[p]));
    for (int col = 0; col < b->ncols; col++) {
      if (col) line[n++] = '|';
      EdValue v;
      ed_batch_get(b, col, p, &v);
      size_t cap = sizeof line - (size_t)n;
      if (v.is_null) n += snprintf(line + n, cap, "NULL");
      else if (v.type == ED_T_DOUBLE) n += snprintf(line + n, cap, "%.12g", v.u.d);
      else if (v.type == ED_T_VARCHAR)
        n += snprintf(line + n, cap, "%.*s", (int)v.u.s.len, v.u.s.ptr);
      else if (v.type == ED_T_BOOL) n += snprintf(line + n, cap, "%d", v.u.b);
      else if (v.type == ED_T_TIMESTAMP) n += fmt_ts(line + n, cap, v.u.i);
      else if (v.type == ED_T_WINDOW) {
        n += snprintf(line + n, cap, "[");
        n += fmt_ts(line + n, sizeof line - (size_t)n, v.u.w.start);
        n += snprintf(line + n, sizeof line - (size_t)n, ",");
        n += fmt_ts(line + n, sizeof line - (size_t)n, v.u.w.end);
        n += snprintf(line + n, sizeof line - (size_t)n, ")");
      } else n += snprintf(line + n, cap, "%" PRId64, v.u.i);
    }
    line[n] = 0;
    ah_rows_add(&c->rows, line);
  }
  return 0;
}

static int coll_finish(EdOp *op, int port) {
  (void)op;
  (void)port;
  ah_coll_finishes++;
  return 0;
}

static void coll_destroy(EdOp *op) {
  ah_rows_free(&((Coll *)op)->rows);
  free(op);
}

static int coll_end_batch(EdOp *op, int port) {
  (void)op;
  (void)port;
  return 0;
}

static const EdOpVtab coll_vtab = {
    .name = "Collect",
    .push = coll_push,
    .finish = coll_finish,
    .destroy = coll_destroy,
    .end_batch = coll_end_batch,
};

/* ------------------------------------------------------------ driving */

bool ah_start(AhRun *r, EdPlan *plan, bool streaming) {
  memset(r, 0, sizeof *r);
  r->ctx.query_arena = &arena;
  r->ctx.streaming = streaming;
  r->op = ed_op_stream_agg_new(&r->ctx, plan);
  if (!r->op) {
    printf("# constructor failed: %s\n", r->ctx.err.msg);
    return false;
  }
  Coll *c = ed_calloc(1, sizeof *c);
  ed_op_init(&c->base, &coll_vtab, &r->ctx, 1);
  r->coll = &c->base;
  ed_op_connect(r->op, r->coll, 0);
  r->in = ed_batch_new(AH_NCOLS, in_types);
  return true;
}

void ah_stop(AhRun *r) {
  if (r->op) r->op->vt->destroy(r->op);
  if (r->coll) r->coll->vt->destroy(r->coll);
  if (r->in) ed_batch_free(r->in);
  memset(r, 0, sizeof *r);
}

int ah_push(AhRun *r, const AhRow *rows, int n) {
  for (int at = 0; at < n; at += ED_BATCH_CAP) {
    int m = n - at < ED_BATCH_CAP ? n - at : ED_BATCH_CAP;
    EdBatch *b = r->in;
    ed_batch_reset(b);
    for (int i = 0; i < m; i++) {
      const AhRow *x = &rows[at + i];
      EdValue v;
      memset(&v, 0, sizeof v);
      v.type = ED_T_BIGINT;
      v.is_null = x->k_null;
      v.u.i = x->k;
      ed_vector_put(b, AH_K, i, &v);
      v.type = ED_T_VARCHAR;
      v.is_null = x->s == NULL;
      v.u.s.ptr = x->s ? x->s : "";
      v.u.s.len = x->s ? (uint32_t)strlen(x->s) : 0;
      ed_vector_put(b, AH_S, i, &v);
      v.type = ED_T_TIMESTAMP;
      v.is_null = x->ts_null;
      v.u.i = x->ts * AH_SEC;
      ed_vector_put(b, AH_TS, i, &v);
      v.type = ED_T_BIGINT;
      v.is_null = x->v_null;
      v.u.i = x->v;
      ed_vector_put(b, AH_V, i, &v);
      v.type = ED_T_DOUBLE;
      v.is_null = x->d_null;
      v.u.d = x->d;
      ed_vector_put(b, AH_D, i, &v);
    }
    b->nrows = m;
    if (r->op->vt->push(r->op, 0, b) < 0) return -1;
  }
  return 0;
}

void ah_begin(AhRun *r, int64_t wm_sec, bool final, int64_t proc_us) {
  r->ctx.batch_id = r->batch;
  r->ctx.watermark = wm_sec == ED_TS_MAX ? ED_TS_MAX : wm_sec * AH_SEC;
  r->ctx.final_batch = final;
  r->ctx.proc_time_us = proc_us;
  r->op->rows_updated_batch = 0;
  r->op->rows_removed_batch = 0;
  r->op->rows_late_batch = 0;
}

/* Moves the collector's rows to out. */
static void take(AhRun *r, AhRows *out) {
  Coll *c = (Coll *)r->coll;
  if (out) {
    for (int i = 0; i < c->rows.n; i++) ah_rows_add(out, c->rows.v[i]);
  }
  ah_rows_clear(&c->rows);
}

int ah_end(AhRun *r, AhRows *out) {
  if (out) ah_rows_clear(out);
  int rc = ed_op_end_batch(r->op, 0);
  take(r, out);
  r->batch++;
  return rc;
}

int ah_batch(AhRun *r, int64_t wm_sec, const AhRow *rows, int n,
             AhRows *out) {
  ah_begin(r, wm_sec, wm_sec == ED_TS_MAX, 0);
  if (n && ah_push(r, rows, n) < 0) {
    printf("# push failed: %s\n", r->ctx.err.msg);
    return -1;
  }
  return ah_end(r, out);
}

int ah_finish(AhRun *r, AhRows *out) {
  if (out) ah_rows_clear(out);
  int rc = r->op->vt->finish(r->op, 0);
  take(r, out);
  return rc;
}

int ah_run_wm(AhRun *r, const AhRow *const *rows, const int *counts, int nb,
              int64_t delay_sec, AhRows *out, int64_t *late) {
  int64_t wm = 0, maxts = INT64_MIN;
  AhRows one = {0};
  int rc = 0;
  for (int i = 0; i <= nb && rc == 0; i++) {
    bool final = i == nb;
    char mark[64];
    snprintf(mark, sizeof mark, "-- batch %" PRId64, r->batch);
    ah_rows_add(out, mark);
    ah_begin(r, final ? ED_TS_MAX : wm, final, 0);
    if (!final) {
      rc = ah_push(r, rows[i], counts[i]);
      for (int j = 0; j < counts[i]; j++)
        if (!rows[i][j].ts_null && rows[i][j].ts > maxts) maxts = rows[i][j].ts;
    }
    if (rc == 0) rc = ah_end(r, &one);
    for (int j = 0; j < one.n; j++) ah_rows_add(out, one.v[j]);
    if (late) *late += r->op->rows_late_batch;
    if (final || rc) break;
    if (maxts != INT64_MIN && maxts - delay_sec > wm) {
      wm = maxts - delay_sec;
      snprintf(mark, sizeof mark, "-- batch %" PRId64, r->batch);
      ah_rows_add(out, mark);
      ah_begin(r, wm, false, 0);
      rc = ah_end(r, &one);
      for (int j = 0; j < one.n; j++) ah_rows_add(out, one.v[j]);
    }
  }
  ah_rows_free(&one);
  return rc;
}

bool ah_same(const char *name, const AhRows *got, const char *const *want,
             int n) {
  int diff = -1;
  for (int i = 0; i < got->n && i < n && diff < 0; i++)
    if (strcmp(got->v[i], want[i]) != 0) diff = i;
  if (diff < 0 && got->n != n) diff = got->n < n ? got->n : n;
  if (diff < 0) return true;
  printf("# %s: got %d rows, want %d; first difference at %d:\n", name,
         got->n, n, diff);
  printf("#   got  %s\n#   want %s\n", diff < got->n ? got->v[diff] : "(none)",
         diff < n ? want[diff] : "(none)");
  for (int i = 0; i < got->n && i < 40; i++) printf("#   got[%d] %s\n", i, got->v[i]);
  return false;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool ah_same_set(const char *name, AhRows *got, AhRows *want) {
  if (got->n > 1) qsort(got->v, (size_t)got->n, sizeof(char *), cmp_str);
  if (want->n > 1) qsort(want->v, (size_t)want->n, sizeof(char *), cmp_str);
  return ah_same(name, got, (const char *const *)want->v, want->n);
}
