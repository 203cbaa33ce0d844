/*
** exec/stream_agg_group.c — the incremental aggregation kinds that keep
** exactly one state row per output row: running aggregates (WIN_NONE),
** tumbling windows (WIN_TUMBLING) and grouping by the raw event time
** (WIN_EVENT_TIME).
**
** The key table maps (other keys..., time slot) to a group id; the slot is
** the window start floor(ts / size) * size (epoch-aligned, also for
** negative times) or the event time itself, and is absent for running
** aggregates.  One probe per row finds the group, so a batch costs one
** hash pass and one accumulator pass per aggregate.  Per group we keep the
** close time (window end, or the event time: the group is final once
** close <= wm; NULL times close at +infinity), the batch of its last change
** (UPDATE / CHANGES emit the groups changed in the batch) and, for the
** state TTL of running aggregates, the processing time of its last change.
** Only what the kind and mode use is allocated: running aggregates have no
** time key (slot 0, close +infinity, never NULL), and the time of the last
** change exists only with a TTL.
**
** Late rows (drop mode): a row whose window ends <= wm, or whose event time
** is <= wm, is dropped and counted.  Eviction (drop mode, not COMPLETE):
** groups with close <= wm leave the state at end_batch, after APPEND has
** emitted them.  TTL (running aggregates, not COMPLETE): at end_batch,
** groups not changed for ttl or longer (batch processing time minus the
** processing time of their last change) are evicted without output; a key
** that comes back starts afresh (+I again in CHANGES mode).
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/stream_agg_int.h"

int sa_group_init(SaOp *op) {
  int nk = op->nother + (op->kind != WIN_NONE);
  EdType *kt = ed_calloc((size_t)(nk + 1), sizeof(EdType));
  for (int j = 0; j < op->nother; j++)
    kt[j] = op->node->exprs[op->other_col[j]]->type;
  if (op->kind != WIN_NONE) kt[op->nother] = ED_T_TIMESTAMP;
  op->keytab = ed_ht_new(nk, kt, true);
  free(kt);
  op->key_slot = op->kind != WIN_NONE;
  op->g.min_close = INT64_MAX;
  op->g.min_last = INT64_MAX;
  return 0;
}

/* Without any group key a running aggregate has exactly one group, there
** from the start (count 0 over no rows), as in a batch query. */
static void init_group(SaOp *op, uint32_t id, int p);
static void reserve(SaOp *op, uint32_t need);

void sa_group_start(SaOp *op) {
  if (op->kind != WIN_NONE || op->nother != 0) return;
  bool fresh;
  uint32_t id = ed_ht_insert_values(op->keytab, NULL, &fresh);
  reserve(op, id + 1);
  init_group(op, id, 0);
}

void sa_group_free(SaOp *op) {
  SaGroups *g = &op->g;
  free(g->slot);
  free(g->close);
  free(g->tnull);
  free(g->stamp);
  free(g->last);
  sa_ids_free(&g->changed);
  sa_ids_free(&g->pick);
  memset(g, 0, sizeof *g);
}

size_t sa_group_bytes(const SaOp *op) {
  const SaGroups *g = &op->g;
  size_t per = sizeof *g->stamp;
  if (g->slot) per += sizeof *g->slot + sizeof *g->close + 1;
  if (g->last) per += sizeof *g->last;
  return (size_t)g->cap * per +
         (size_t)(g->changed.cap + g->pick.cap) * sizeof(uint32_t);
}

/* The window start / event time of group id (0 for running aggregates). */
static inline int64_t gslot(const SaGroups *g, uint32_t id) {
  return g->slot ? g->slot[id] : 0;
}

/* The time at which group id becomes final (+infinity: never). */
static inline int64_t gclose(const SaGroups *g, uint32_t id) {
  return g->close ? g->close[id] : INT64_MAX;
}

/* The first-appearance rank of key id: its id itself until an id has been
** recycled (see sa_key_new). */
static inline uint64_t key_seq(const SaOp *op, uint32_t id) {
  return op->kseq ? op->kseq[id] : id;
}

/* Is the time key of group id NULL? */
static inline bool gtnull(const SaGroups *g, uint32_t id) {
  return g->tnull && g->tnull[id];
}

/* Grows the per-group arrays to ids below need. */
static void reserve(SaOp *op, uint32_t need) {
  SaGroups *g = &op->g;
  ed_accs_reserve(&op->acc, need);
  sa_prev_reserve(op, need);
  sa_keys_reserve(op, need);
  if (need <= g->cap) return;
  uint32_t cap = g->cap ? g->cap : 64;
  while (cap < need) cap = cap + cap / 2 > cap ? cap + cap / 2 : UINT32_MAX;
  if (op->kind != WIN_NONE) {
    g->slot = ed_realloc(g->slot, cap * sizeof *g->slot);
    g->close = ed_realloc(g->close, cap * sizeof *g->close);
    g->tnull = ed_realloc(g->tnull, cap);
  }
  g->stamp = ed_realloc(g->stamp, cap * sizeof *g->stamp);
  if (op->ttl > 0) g->last = ed_realloc(g->last, cap * sizeof *g->last);
  g->cap = cap;
}

/* Sets up new group id from the slot of the row at position p. */
static void init_group(SaOp *op, uint32_t id, int p) {
  SaGroups *g = &op->g;
  sa_key_new(op, id);
  ed_accs_reset(&op->acc, id);
  sa_prev_forget(op, id);
  g->stamp[id] = 0;
  if (g->last) {
    g->last[id] = op->base.ctx->proc_time_us;
    if (g->last[id] < g->min_last) g->min_last = g->last[id];
  }
  op->base.state_rows++;
  if (op->kind == WIN_NONE) return;
  g->tnull[id] = !ed_vec_valid(&op->slotvec, p);
  if (g->tnull[id]) {
    g->slot[id] = 0;
    g->close[id] = INT64_MAX;
  } else {
    int64_t s = ED_VEC_I64(&op->slotvec)[p];
    g->slot[id] = s;
    g->close[id] = op->kind == WIN_TUMBLING ? s + op->size : s;
    if (g->close[id] < g->min_close) g->min_close = g->close[id];
  }
}

/* Computes the slot of every active row into op->slotvec and keeps in
** op->pos the rows that are not late.  Returns the number kept, or -1. */
static int assign_slots(SaOp *op, EdBatch *b, int n) {
  const EdVector *tsv = op->kind != WIN_NONE ? op->ts.vecs[0] : NULL;
  EdVector *sv = &op->slotvec;
  int m = 0;
  int64_t late = 0;
  for (int k = 0; k < n; k++) {
    int p = ed_batch_row(b, k);
    if (tsv && !ed_vec_valid(tsv, p)) {
      ed_vec_set_null(sv, p);
    } else if (tsv) {
      int64_t ts = ED_VEC_I64(tsv)[p], slot = ts, close = ts;
      if (op->kind == WIN_TUMBLING &&
          (__builtin_mul_overflow(sa_floor_div(ts, op->size), op->size,
                                  &slot) ||
           __builtin_add_overflow(slot, op->size, &close)))
        return ed_exec_error(op->base.ctx, "window: timestamp out of range");
      if (op->drop && close <= op->wm) {
        late++;
        continue;
      }
      ed_vec_set_valid(sv, p);
      ED_VEC_I64(sv)[p] = slot;
    }
    op->pos[m++] = (uint16_t)p;
  }
  op->base.rows_late_batch += late;
  return m;
}

/* The changed list is abandoned for a scan of the stamps (SA_SCAN) once it
** would hold more than 1/16 of the ids: the batch's stamps then say the
** same thing without a list as long as the ids. */
#define SA_SCAN UINT32_MAX
#define SA_SCAN_MIN 4096

/* Records that group id changed in this batch (first change only). */
static void note_changed(SaOp *op, uint32_t id) {
  SaIds *c = &op->g.changed;
  if (c->n == SA_SCAN) return;
  uint32_t limit = ed_ht_id_limit(op->keytab);
  if (c->n >= SA_SCAN_MIN && c->n >= limit / 16) {
    c->n = SA_SCAN;
    return;
  }
  sa_ids_push(c, id);
}

int sa_group_push(SaOp *op, EdBatch *b, int n) {
  SaGroups *g = &op->g;
  int m = assign_slots(op, b, n);
  if (m <= 0) return m;
  ed_ht_hash(op->keytab, op->keyvecs, op->pos, m, op->hashes);
  if (ed_ht_find_or_insert(op->keytab, op->keyvecs, op->pos, m, op->hashes,
                           op->ids, op->is_new) > 0) {
    reserve(op, ed_ht_id_limit(op->keytab));
    for (int k = 0; k < m; k++)
      if (op->is_new[k]) init_group(op, op->ids[k], op->pos[k]);
  }
  int64_t now = op->base.ctx->proc_time_us;
  if (g->last)
    for (int k = 0; k < m; k++) g->last[op->ids[k]] = now;
  /* Only UPDATE and CHANGES emit the changed groups. */
  bool keep = op->mode != EMIT_COMPLETE && op->mode != EMIT_APPEND;
  for (int k = 0; k < m; k++) {
    uint32_t id = op->ids[k];
    if (g->stamp[id] == op->stamp) continue;
    g->stamp[id] = op->stamp;
    if (keep) note_changed(op, id);
    op->base.rows_updated_batch++;
  }
  return ed_accs_fold(&op->acc, op->args.vecs, op->pos, op->ids, m);
}

/* ------------------------------------------------------------ output */

/* Emits group id: as a plain row when plain, else as the mode's rows. */
static int emit_one(SaOp *op, uint32_t id, bool plain) {
  const SaGroups *g = &op->g;
  EdWindow w = {gslot(g, id), gslot(g, id) + op->size};
  if (plain) {
    SaRow r = {id, id, SA_NONE, SA_SRC_ACC, ED_ROW_INSERT, gtnull(g, id), w};
    return sa_put(op, &r);
  }
  return sa_put_group(op, id, gtnull(g, id), w, SA_SRC_ACC, id, id);
}

/* Is the emission order the id order?  For running aggregates while key
** ranks are ids (no time key, see key_seq). */
static bool order_is_id(const SaOp *op) {
  return op->kind == WIN_NONE && !op->kseq;
}

static int id_cmp(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}


/* Emits groups ids[0..n) in order (time, then first appearance): as plain
** rows when plain, else as the mode's rows (a changelog in CHANGES).  May
** reorder ids. */
static int emit_groups(SaOp *op, uint32_t *ids, uint32_t n, bool plain) {
  const SaGroups *g = &op->g;
  if (order_is_id(op)) {
    if (n > 1) qsort(ids, n, sizeof *ids, id_cmp);
    for (uint32_t k = 0; k < n; k++)
      if (emit_one(op, ids[k], plain) < 0) return -1;
    return sa_flush(op);
  }
  SaOrd *o = sa_ord_reserve(op, n);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t id = ids[k];
    o[k] = (SaOrd){gslot(g, id), key_seq(op, id), id, id, gtnull(g, id)};
  }
  sa_ord_sort(o, n);
  for (uint32_t k = 0; k < n; k++)
    if (emit_one(op, o[k].id, plain) < 0) return -1;
  return sa_flush(op);
}

/* Selects groups for output or eviction: every group; the groups final
** for APPEND; those whose close time the watermark reached; those the TTL
** expired. */
typedef bool (*GroupPick)(const SaOp *op, uint32_t id);

static bool pick_all(const SaOp *op, uint32_t id) {
  (void)op;
  (void)id;
  return true;
}

static bool pick_final(const SaOp *op, uint32_t id) {
  return op->final || (op->drop && gclose(&op->g, id) <= op->wm);
}

static bool pick_closed(const SaOp *op, uint32_t id) {
  return gclose(&op->g, id) <= op->wm;
}

static bool pick_changed(const SaOp *op, uint32_t id) {
  return op->g.stamp[id] == op->stamp;
}

static bool pick_expired(const SaOp *op, uint32_t id) {
  return op->base.ctx->proc_time_us - op->g.last[id] >= op->ttl;
}

/* Emits the live groups pick() selects in id order (order_is_id), without
** a list. */
static int emit_by_id(SaOp *op, GroupPick pick, bool plain) {
  uint32_t limit = ed_ht_id_limit(op->keytab);
  for (uint32_t id = 0; id < limit; id++)
    if (ed_ht_live(op->keytab, id) && pick(op, id) &&
        emit_one(op, id, plain) < 0)
      return -1;
  return sa_flush(op);
}

/* The live groups pick() selects, in id order, into list. */
static void collect(SaOp *op, GroupPick pick, SaIds *list) {
  list->n = 0;
  uint32_t limit = ed_ht_id_limit(op->keytab);
  for (uint32_t id = 0; id < limit; id++)
    if (ed_ht_live(op->keytab, id) && pick(op, id)) sa_ids_push(list, id);
}

/* Removes group id from the state. */
static void evict(SaOp *op, uint32_t id) {
  ed_accs_release(&op->acc, id);
  sa_prev_forget(op, id);
  sa_key_delete(op, id);
  op->base.state_rows--;
  op->base.rows_removed_batch++;
}

/* Recomputes the lower bounds of close and last over the live groups. */
static void recompute_bounds(SaOp *op) {
  SaGroups *g = &op->g;
  g->min_close = g->min_last = INT64_MAX;
  uint32_t limit = ed_ht_id_limit(op->keytab);
  for (uint32_t id = 0; id < limit; id++) {
    if (!ed_ht_live(op->keytab, id)) continue;
    if (gclose(g, id) < g->min_close) g->min_close = gclose(g, id);
    if (g->last && g->last[id] < g->min_last) g->min_last = g->last[id];
  }
}

/* The live groups among the changed list (it holds each id once). */
static void live_changed(SaOp *op) {
  SaIds *c = &op->g.changed;
  uint32_t k = 0;
  for (uint32_t i = 0; i < c->n; i++)
    if (ed_ht_live(op->keytab, c->v[i])) c->v[k++] = c->v[i];
  c->n = k;
}

/* Evicts the groups pick() selects. */
static void evict_picked(SaOp *op, GroupPick pick) {
  SaIds *list = &op->g.pick;
  collect(op, pick, list);
  for (uint32_t k = 0; k < list->n; k++) evict(op, list->v[k]);
  if (list->n) recompute_bounds(op);
}

int sa_group_end(SaOp *op) {
  SaGroups *g = &op->g;
  SaIds *list = &g->pick;
  int rc = 0;
  switch (op->mode) {
    case EMIT_COMPLETE:
      if (order_is_id(op)) {
        rc = emit_by_id(op, pick_all, false);
        break;
      }
      collect(op, pick_all, list);
      rc = emit_groups(op, list->v, list->n, false);
      break;
    case EMIT_APPEND:
      /* Nothing can be final before the watermark reaches a close time. */
      if (op->final || (op->drop && op->wm >= g->min_close)) {
        collect(op, pick_final, list);
        rc = emit_groups(op, list->v, list->n, false);
        for (uint32_t k = 0; rc == 0 && k < list->n; k++)
          evict(op, list->v[k]);
        recompute_bounds(op);
      }
      break;
    default:   /* UPDATE, CHANGES */
      if (g->changed.n == SA_SCAN && order_is_id(op)) {
        rc = emit_by_id(op, pick_changed, false);
      } else {
        if (g->changed.n == SA_SCAN) collect(op, pick_changed, &g->changed);
        else live_changed(op);
        rc = emit_groups(op, g->changed.v, g->changed.n, false);
      }
      if (rc == 0 && op->drop && op->wm >= g->min_close)
        evict_picked(op, pick_closed);
      break;
  }
  g->changed.n = 0;
  if (rc < 0) return -1;
  if (op->ttl > 0 && g->min_last != INT64_MAX &&
      op->base.ctx->proc_time_us - g->min_last >= op->ttl)
    evict_picked(op, pick_expired);
  return 0;
}

int sa_group_emit_all(SaOp *op) {
  if (order_is_id(op)) return emit_by_id(op, pick_all, true);
  collect(op, pick_all, &op->g.pick);
  return emit_groups(op, op->g.pick.v, op->g.pick.n, true);
}
