/*
** exec/stream_agg_emit.c — output side of the incremental aggregation:
** the row buffer that becomes output batches, the last emitted values that
** EMIT CHANGES retracts, the emission order, the key table's bookkeeping,
** and time arithmetic (see stream_agg_int.h).
**
** An output row is described by an SaRow: its key id (the key columns are
** gathered from the key table in one call per batch), its time key, and
** where its aggregate values come from — the state accumulators, the
** scratch accumulators of windows being merged, or the prev store (the
** values last emitted, for -U and -D rows).  Rows are buffered up to
** ED_BATCH_CAP and turned into one batch per flush; in CHANGES mode the
** batch carries an op per row, and the values of every +I/+U row are
** recorded as the group's new "last emitted" values.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/stream_agg_int.h"

#define SA_PREV_BLOCK (16 * 1024)
#define SA_COMPACT_MIN (64 * 1024)

/* ------------------------------------------------------------ time */

int64_t sa_floor_div(int64_t a, int64_t b) {
  assert(b > 0);
  int64_t q = a / b;
  if (a % b < 0) q--;
  return q;
}

int64_t sa_sat_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

int64_t sa_sat_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return b > 0 ? INT64_MIN : INT64_MAX;
  return r;
}

/* ------------------------------------------------------------ id lists */

void sa_ids_push(SaIds *a, uint32_t id) {
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 64;
    a->v = ed_realloc(a->v, a->cap * sizeof *a->v);
  }
  a->v[a->n++] = id;
}

void sa_ids_free(SaIds *a) {
  free(a->v);
  memset(a, 0, sizeof *a);
}

/* ------------------------------------------------------------ order */

/* NULL time first, then time, then first appearance of the key. */
static int ord_cmp(const void *x, const void *y) {
  const SaOrd *a = x, *b = y;
  if (a->tnull != b->tnull) return a->tnull ? -1 : 1;
  if (!a->tnull && a->t != b->t) return a->t < b->t ? -1 : 1;
  if (a->seq != b->seq) return a->seq < b->seq ? -1 : 1;
  return 0;
}

void sa_ord_sort(SaOrd *o, uint32_t n) {
  if (n > 1) qsort(o, n, sizeof *o, ord_cmp);
}

SaOrd *sa_ord_reserve(SaOp *op, uint32_t n) {
  if (n > op->ord_cap) {
    uint32_t cap = op->ord_cap ? op->ord_cap : 256;
    while (cap < n) cap *= 2;
    op->ord = ed_realloc(op->ord, cap * sizeof *op->ord);
    op->ord_cap = cap;
  }
  return op->ord;
}

/* ------------------------------------------------------------ keys */

/* The kinds with one state row per key (running aggregates, tumbling
** windows, raw event time) read a key's rank through its id while ids come
** out of the key table in order, i.e. until one is recycled; the sequence
** array exists only from then on.  Sliding and session windows keep it
** from the start. */
static bool seq_by_id(const SaOp *op) {
  return !op->kseq && op->kind != WIN_SLIDING && op->kind != WIN_SESSION;
}

void sa_keys_reserve(SaOp *op, uint32_t need) {
  if (seq_by_id(op) || need <= op->kseq_cap) return;
  uint32_t cap = op->kseq_cap ? op->kseq_cap : 64;
  while (cap < need) cap = cap + cap / 2 > cap ? cap + cap / 2 : UINT32_MAX;
  op->kseq = ed_realloc(op->kseq, cap * sizeof *op->kseq);
  op->kseq_cap = cap;
}

void sa_key_new(SaOp *op, uint32_t id) {
  if (seq_by_id(op)) {
    if (id == op->next_seq) {
      op->next_seq++;
      return;
    }
    /* A recycled id: ranks can no longer be ids. */
    uint32_t n = (uint32_t)op->next_seq, cap = n > id ? n : id + 1;
    op->kseq = ed_malloc((cap ? cap : 1) * sizeof *op->kseq);
    op->kseq_cap = cap;
    for (uint32_t i = 0; i < n; i++) op->kseq[i] = i;
  }
  sa_keys_reserve(op, id + 1);
  op->kseq[id] = op->next_seq++;
}

void sa_key_delete(SaOp *op, uint32_t id) { ed_ht_delete(op->keytab, id); }

void sa_key_compact(SaOp *op) {
  size_t dead = ed_ht_dead_bytes(op->keytab);
  if (dead > SA_COMPACT_MIN && dead > op->keytab->live_bytes)
    ed_ht_compact(op->keytab);
}

/* ------------------------------------------------------------ prev */

void sa_prev_init(SaOp *op) {
  memset(&op->prev, 0, sizeof op->prev);
  ed_arena_init(&op->prev.arena, SA_PREV_BLOCK);
}

void sa_prev_free(SaOp *op) {
  SaPrev *p = &op->prev;
  free(p->emitted);
  free(p->tnull);
  free(p->win);
  free(p->vals);
  free(p->strs);
  ed_arena_free(&p->arena);
  memset(p, 0, sizeof *p);
}

void sa_prev_reserve(SaOp *op, uint32_t need) {
  SaPrev *p = &op->prev;
  if (!op->changes || need <= p->cap) return;
  uint32_t cap = p->cap ? p->cap : 64;
  while (cap < need) cap *= 2;
  size_t na = (size_t)(op->naggs ? op->naggs : 1);
  p->emitted = ed_realloc(p->emitted, cap);
  memset(p->emitted + p->cap, 0, cap - p->cap);
  p->tnull = ed_realloc(p->tnull, cap);
  p->win = ed_realloc(p->win, cap * sizeof *p->win);
  p->vals = ed_realloc(p->vals, cap * na * sizeof *p->vals);
  p->strs = ed_realloc(p->strs, cap * na * sizeof *p->strs);
  memset(p->strs + p->cap * na, 0, (cap - p->cap) * na * sizeof *p->strs);
  p->cap = cap;
}

bool sa_prev_emitted(const SaOp *op, uint32_t id) {
  return op->changes && id < op->prev.cap && op->prev.emitted[id];
}

void sa_prev_forget(SaOp *op, uint32_t id) {
  SaPrev *p = &op->prev;
  if (!sa_prev_emitted(op, id)) return;
  for (int i = 0; i < op->naggs; i++) {
    EdAccStr *s = &p->strs[(size_t)id * (size_t)op->naggs + (size_t)i];
    p->live -= s->cap;
    *s = (EdAccStr){NULL, 0, 0};
  }
  p->emitted[id] = 0;
}

/* Records row k of the output batch (time key tnull/w) as the last
** emitted row of prev slot id. */
static void prev_record(SaOp *op, uint32_t id, const EdBatch *out, int k,
                        bool tnull, EdWindow w) {
  SaPrev *p = &op->prev;
  assert(id < p->cap);
  size_t base = (size_t)id * (size_t)op->naggs;
  for (int i = 0; i < op->naggs; i++) {
    EdValue v;
    ed_batch_get(out, op->nkeys + i, k, &v);
    if (v.type == ED_T_VARCHAR && !v.is_null) {
      EdAccStr *s = &p->strs[base + (size_t)i];
      if (v.u.s.len > s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        if (cap < v.u.s.len) cap = v.u.s.len;
        s->ptr = ed_arena_alloc(&p->arena, cap);
        p->live += cap - s->cap;
        s->cap = cap;
      }
      if (v.u.s.len) memcpy(s->ptr, v.u.s.ptr, v.u.s.len);
      s->len = v.u.s.len;
      v.u.s.ptr = s->ptr;
    }
    p->vals[base + (size_t)i] = v;
  }
  p->emitted[id] = 1;
  p->tnull[id] = tnull;
  p->win[id] = w;
}

void sa_prev_compact(SaOp *op) {
  SaPrev *p = &op->prev;
  if (!op->changes) return;
  size_t garbage = p->arena.used_bytes > p->live
                       ? p->arena.used_bytes - p->live : 0;
  if (garbage < SA_COMPACT_MIN || garbage < p->live) return;
  EdArena fresh;
  ed_arena_init(&fresh, SA_PREV_BLOCK);
  size_t na = (size_t)op->naggs, live = 0;
  for (uint32_t id = 0; id < p->cap; id++) {
    if (!p->emitted[id]) continue;
    for (size_t i = 0; i < na; i++) {
      EdAccStr *s = &p->strs[id * na + i];
      if (!s->cap) continue;
      char *c = ed_arena_alloc(&fresh, s->cap);
      if (s->len) memcpy(c, s->ptr, s->len);
      s->ptr = c;
      live += s->cap;
      EdValue *v = &p->vals[id * na + i];
      if (v->type == ED_T_VARCHAR && !v->is_null) v->u.s.ptr = c;
    }
  }
  ed_arena_free(&p->arena);
  p->arena = fresh;
  p->live = live;
}

size_t sa_prev_bytes(const SaOp *op) {
  const SaPrev *p = &op->prev;
  size_t na = (size_t)(op->naggs ? op->naggs : 1);
  return p->arena.reserved_bytes +
         (size_t)p->cap * (2 + sizeof(EdWindow) +
                           na * (sizeof(EdValue) + sizeof(EdAccStr)));
}

/* ------------------------------------------------------------ rows */

int sa_put(SaOp *op, const SaRow *r) {
  op->rows[op->nrows++] = *r;
  return op->nrows == ED_BATCH_CAP ? sa_flush(op) : 0;
}

int sa_put_group(SaOp *op, uint32_t key, bool tnull, EdWindow w, int src,
                 uint32_t id, uint32_t prev_id) {
  SaRow r = {key, id, SA_NONE, (uint8_t)src, ED_ROW_INSERT, tnull, w};
  if (op->changes) {
    r.save = prev_id;
    if (sa_prev_emitted(op, prev_id)) {
      SaRow old = {key, prev_id, SA_NONE, SA_SRC_PREV, ED_ROW_UPDATE_BEFORE,
                   false, {0, 0}};
      if (sa_put(op, &old) < 0) return -1;
      r.op = ED_ROW_UPDATE_AFTER;
    }
  }
  return sa_put(op, &r);
}

/* Writes the time keys of the buffered rows into the time key column. */
static void put_time_keys(SaOp *op, EdBatch *out, int n) {
  EdVector *v = &out->cols[op->wkey];
  size_t width = ed_type_width(v->type);
  for (int k = 0; k < n; k++) {
    const SaRow *r = &op->rows[k];
    bool tnull = r->tnull;
    EdWindow w = r->w;
    if (r->src == SA_SRC_PREV) {
      tnull = op->prev.tnull[r->id];
      w = op->prev.win[r->id];
    }
    if (tnull) {
      ed_vec_set_null(v, k);
      memset((char *)v->data + width * (size_t)k, 0, width);
    } else if (v->type == ED_T_WINDOW) {
      ED_VEC_WIN(v)[k] = w;
    } else {
      ED_VEC_I64(v)[k] = w.start;
    }
  }
}

/* Writes the values of aggregate i of the buffered rows. */
static void put_values(SaOp *op, EdBatch *out, int i, int n) {
  EdVector *v = &out->cols[op->nkeys + i];
  for (int src = SA_SRC_ACC; src <= SA_SRC_TMP; src++) {
    int m = 0;
    for (int k = 0; k < n; k++) {
      if (op->rows[k].src != src) continue;
      op->rids[m] = op->rows[k].id;
      op->rpos[m++] = (uint16_t)k;
    }
    if (m)
      ed_accs_finalize(src == SA_SRC_ACC ? &op->acc : &op->tmp, i, op->rids,
                       op->rpos, m, v);
  }
  if (!op->changes) return;
  for (int k = 0; k < n; k++) {
    const SaRow *r = &op->rows[k];
    if (r->src != SA_SRC_PREV) continue;
    /* ed_vector_put copies strings into the batch: the prev slot may be
    ** overwritten by a +U row of this very batch. */
    const EdValue *val =
        &op->prev.vals[(size_t)r->id * (size_t)op->naggs + (size_t)i];
    ed_vector_put(out, op->nkeys + i, k, val);
  }
}

int sa_flush(SaOp *op) {
  int n = op->nrows;
  if (n == 0) return 0;
  /* A batch run stops at an interrupt; a streaming run finishes its
  ** micro-batch and lets the trigger loop stop between batches. */
  if (!op->base.ctx->streaming && op->base.ctx->interrupted)
    return ed_exec_error(op->base.ctx, "query interrupted");
  EdBatch *out = op->out;
  ed_batch_reset(out);
  for (int k = 0; k < n; k++) op->rids[k] = op->rows[k].key;
  if (op->keytab->nkeys > 0)
    ed_ht_gather(op->keytab, op->rids, n, &op->kview, 0, 0);
  if (op->wkey >= 0) put_time_keys(op, out, n);
  for (int i = 0; i < op->naggs; i++) put_values(op, out, i, n);
  out->nrows = n;
  if (op->changes) {
    out->ops = out->ops_buf;
    for (int k = 0; k < n; k++) out->ops[k] = op->rows[k].op;
    for (int k = 0; k < n; k++) {
      const SaRow *r = &op->rows[k];
      if (r->save != SA_NONE) prev_record(op, r->save, out, k, r->tnull, r->w);
    }
  }
  op->nrows = 0;
  return ed_op_emit(&op->base, out);
}
