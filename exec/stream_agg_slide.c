/*
** exec/stream_agg_slide.c — sliding windows, window(ts, size, slide), kept
** as panes so that the cost of a row does not depend on size / slide.
**
** Windows start at the multiples of the slide L and last the size S: a row
** at ts belongs to every window [w, w + S) with w <= ts < w + S.  The time
** line is cut into panes of width P = gcd(S, L); a pane lies wholly inside
** or wholly outside every window.  The windows covering the pane that
** starts at ps are the multiples of L in [wmin(ps), wmax(ps)], where
** wmax = floor(ps / L) * L and wmin is the first multiple of L > ps - S.
**
** State is kept per (key, pane) and, inside a pane, per *cut*: a slot
** (key, ps, cut) holds the rows of the pane that count in the windows
** starting at cut and later (up to wmax).  Invariant:
**
**     value of window (key, w) = merge of the slots (key, ps, cut)
**                                with w <= ps < w + S and cut <= w.
**
** A row arriving in a batch with watermark wm counts in the covering
** windows whose end is > wm (DESIGN §4), i.e. from cut = max(wmin, first
** multiple of L > wm - S); it updates exactly one slot.  When cut > wmax
** the row is late for every window and is dropped.  Each dropped (row,
** window) pair is counted.  Without dropping (COMPLETE mode, or a time
** that is not the watermark column) cut is always wmin, so a pane has one
** slot.  Because the watermark never moves back, the cut of new rows of a
** pane never decreases: the pane's slots are chained largest cut first and
** a row finds its slot at the head of the chain, in O(1).
**
** Emission computes the windows to output — every window of every slot
** (COMPLETE), the windows of the slots changed in the batch (UPDATE,
** CHANGES), the windows whose end passed the watermark since the last
** batch (APPEND) — sorts them by (start, key order) and merges each from
** its panes into scratch accumulators, chunk by chunk.  A pane is
** evicted once the last window covering it has ended (wmax + S <= wm).
** CHANGES mode remembers the last emitted row of every open window in a
** table keyed by (key, window start).
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/stream_agg_int.h"

/* ------------------------------------------------------------ arithmetic */

/* floor(x / m) * m, clamped to the int64 range. */
static int64_t floor_to(int64_t x, int64_t m) {
  int64_t r;
  if (__builtin_mul_overflow(sa_floor_div(x, m), m, &r)) return INT64_MIN;
  return r;
}

/* The first multiple of m strictly greater than x, clamped. */
static int64_t first_after(int64_t x, int64_t m) {
  int64_t r;
  if (__builtin_mul_overflow(sa_floor_div(x, m) + 1, m, &r)) return INT64_MAX;
  return r;
}

/* ------------------------------------------------------------ set up */

int sa_slide_init(SaOp *op) {
  SaSlide *sl = &op->sl;
  EdType *kt = ed_calloc((size_t)(op->nother + 1), sizeof(EdType));
  for (int j = 0; j < op->nother; j++)
    kt[j] = op->node->exprs[op->other_col[j]]->type;
  op->keytab = ed_ht_new(op->nother, kt, true);
  free(kt);
  EdType pt[2] = {ED_T_BIGINT, ED_T_TIMESTAMP};
  sl->panes = ed_ht_new(2, pt, true);
  if (op->changes) sl->emitted = ed_ht_new(2, pt, true);
  sl->closed_upto = INT64_MIN;
  sl->min_close = INT64_MAX;
  return 0;
}

void sa_slide_free(SaOp *op) {
  SaSlide *sl = &op->sl;
  ed_ht_free(sl->panes);
  ed_ht_free(sl->emitted);
  free(sl->pkid);
  free(sl->pstart);
  free(sl->pnull);
  free(sl->pclose);
  free(sl->phead);
  free(sl->pprev);
  free(sl->pnext);
  free(sl->spane);
  free(sl->snext);
  free(sl->sstamp);
  free(sl->scut);
  sa_ids_free(&sl->sfree);
  sa_ids_free(&sl->changed);
  free(sl->khead);
  free(sl->kpanes);
  free(sl->eclose);
  free(sl->pairs);
  memset(sl, 0, sizeof *sl);
}

size_t sa_slide_bytes(const SaOp *op) {
  const SaSlide *sl = &op->sl;
  size_t n = ed_ht_bytes(sl->panes) +
             (size_t)sl->pcap * (4 * sizeof(uint32_t) + 2 * sizeof(int64_t) + 1) +
             (size_t)sl->scap * (3 * sizeof(uint32_t) + sizeof(int64_t)) +
             (size_t)(sl->sfree.cap + sl->changed.cap) * sizeof(uint32_t) +
             (size_t)sl->kcap * 2 * sizeof(uint32_t) +
             (size_t)sl->pairs_cap * sizeof(SaOrd);
  if (sl->emitted)
    n += ed_ht_bytes(sl->emitted) + (size_t)sl->ecap * sizeof(int64_t);
  return n;
}

/* Grows the per-pane arrays to ids below need. */
static void reserve_panes(SaSlide *sl, uint32_t need) {
  if (need <= sl->pcap) return;
  uint32_t cap = sl->pcap ? sl->pcap : 64;
  while (cap < need) cap *= 2;
  sl->pkid = ed_realloc(sl->pkid, cap * sizeof *sl->pkid);
  sl->pstart = ed_realloc(sl->pstart, cap * sizeof *sl->pstart);
  sl->pnull = ed_realloc(sl->pnull, cap);
  sl->pclose = ed_realloc(sl->pclose, cap * sizeof *sl->pclose);
  sl->phead = ed_realloc(sl->phead, cap * sizeof *sl->phead);
  sl->pprev = ed_realloc(sl->pprev, cap * sizeof *sl->pprev);
  sl->pnext = ed_realloc(sl->pnext, cap * sizeof *sl->pnext);
  sl->pcap = cap;
}

/* Grows the per-kid arrays to ids below need. */
static void reserve_kids(SaSlide *sl, uint32_t need) {
  if (need <= sl->kcap) return;
  uint32_t cap = sl->kcap ? sl->kcap : 64;
  while (cap < need) cap *= 2;
  sl->khead = ed_realloc(sl->khead, cap * sizeof *sl->khead);
  sl->kpanes = ed_realloc(sl->kpanes, cap * sizeof *sl->kpanes);
  sl->kcap = cap;
}

/* A new slot of pane pid counting from window cut, at the head of the
** pane's chain. */
static uint32_t new_slot(SaOp *op, uint32_t pid, int64_t cut) {
  SaSlide *sl = &op->sl;
  uint32_t sid;
  if (sl->sfree.n) {
    sid = sl->sfree.v[--sl->sfree.n];
  } else {
    sid = sl->slimit++;
    if (sid >= sl->scap) {
      uint32_t cap = sl->scap ? sl->scap * 2 : 64;
      sl->spane = ed_realloc(sl->spane, cap * sizeof *sl->spane);
      sl->snext = ed_realloc(sl->snext, cap * sizeof *sl->snext);
      sl->sstamp = ed_realloc(sl->sstamp, cap * sizeof *sl->sstamp);
      sl->scut = ed_realloc(sl->scut, cap * sizeof *sl->scut);
      sl->scap = cap;
    }
    ed_accs_reserve(&op->acc, sl->scap);
  }
  ed_accs_reset(&op->acc, sid);
  sl->spane[sid] = pid;
  sl->scut[sid] = cut;
  sl->sstamp[sid] = 0;
  sl->snext[sid] = sl->phead[pid];
  sl->phead[pid] = sid;
  op->base.state_rows++;
  return sid;
}

/* Sets up new pane pid of kid (start ps, or the pane of NULL times). */
static void init_pane(SaOp *op, uint32_t pid, uint32_t kid, bool null,
                      int64_t ps) {
  SaSlide *sl = &op->sl;
  sl->pkid[pid] = kid;
  sl->pnull[pid] = null;
  sl->pstart[pid] = null ? 0 : ps;
  sl->pclose[pid] =
      null ? INT64_MAX : sa_floor_div(ps, op->slide) * op->slide + op->size;
  if (sl->pclose[pid] < sl->min_close) sl->min_close = sl->pclose[pid];
  sl->phead[pid] = SA_NONE;
  sl->pprev[pid] = SA_NONE;
  sl->pnext[pid] = sl->khead[kid];
  if (sl->khead[kid] != SA_NONE) sl->pprev[sl->khead[kid]] = pid;
  sl->khead[kid] = pid;
  sl->kpanes[kid]++;
}

/* ------------------------------------------------------------ push */

/* Computes pane start and cut of every active row (op->tv, op->cut, the
** slot vector) and keeps in op->pos the rows not late for every window.
** Returns the number kept, or -1. */
static int assign_panes(SaOp *op, EdBatch *b, int n) {
  const EdVector *tsv = op->ts.vecs[0];
  EdVector *sv = &op->slotvec;
  const int64_t S = op->size, L = op->slide, P = op->pane;
  /* The first window start whose end is after the watermark. */
  int64_t wcut = op->drop ? first_after(sa_sat_sub(op->wm, S), L) : INT64_MIN;
  int64_t late = 0;
  int m = 0;
  for (int k = 0; k < n; k++) {
    int p = ed_batch_row(b, k);
    if (!ed_vec_valid(tsv, p)) {
      ed_vec_set_null(sv, p);
      op->cut[m] = 0;
    } else {
      int64_t ts = ED_VEC_I64(tsv)[p], ps, wmax, lo, end;
      if (__builtin_mul_overflow(sa_floor_div(ts, P), P, &ps) ||
          __builtin_mul_overflow(sa_floor_div(ps, L), L, &wmax) ||
          __builtin_sub_overflow(ps, S, &lo) ||
          __builtin_add_overflow(wmax, S, &end))
        return ed_exec_error(op->base.ctx, "window: timestamp out of range");
      int64_t wmin = first_after(lo, L);
      int64_t cut = wcut > wmin ? wcut : wmin;
      if (cut > wmax) {
        late += (wmax - wmin) / L + 1;
        continue;
      }
      late += (cut - wmin) / L;
      ed_vec_set_valid(sv, p);
      ED_VEC_I64(sv)[p] = ps;
      op->cut[m] = cut;
    }
    op->pos[m++] = (uint16_t)p;
  }
  op->base.rows_late_batch += late;
  return m;
}

int sa_slide_push(SaOp *op, EdBatch *b, int n) {
  SaSlide *sl = &op->sl;
  int m = assign_panes(op, b, n);
  if (m <= 0) return m;
  sa_assign_kids(op, m);
  reserve_kids(sl, ed_ht_id_limit(op->keytab));
  for (int k = 0; k < m; k++) {
    uint32_t kid = op->kids[k];
    if (op->is_new[k]) {
      sl->khead[kid] = SA_NONE;
      sl->kpanes[kid] = 0;
    }
    ED_VEC_I64(&op->kidvec)[op->pos[k]] = kid;
  }
  ed_ht_hash(sl->panes, op->tvecs, op->pos, m, op->hashes);
  if (ed_ht_find_or_insert(sl->panes, op->tvecs, op->pos, m, op->hashes,
                           op->ids, op->is_new) > 0) {
    reserve_panes(sl, ed_ht_id_limit(sl->panes));
    for (int k = 0; k < m; k++) {
      if (!op->is_new[k]) continue;
      int p = op->pos[k];
      bool null = !ed_vec_valid(&op->slotvec, p);
      init_pane(op, op->ids[k], op->kids[k], null,
                ED_VEC_I64(&op->slotvec)[p]);
    }
  }
  for (int k = 0; k < m; k++) {
    uint32_t pid = op->ids[k], sid = sl->phead[pid];
    if (sid == SA_NONE || sl->scut[sid] != op->cut[k]) {
      assert(sid == SA_NONE || sl->scut[sid] < op->cut[k]);
      sid = new_slot(op, pid, op->cut[k]);
    }
    op->ids[k] = sid;
    if (sl->sstamp[sid] == op->stamp) continue;
    sl->sstamp[sid] = op->stamp;
    sa_ids_push(&sl->changed, sid);
    op->base.rows_updated_batch++;
  }
  return ed_accs_fold(&op->acc, op->args.vecs, op->pos, op->ids, m);
}

/* ------------------------------------------------------------ windows */

/* Adds to op->sl.pairs the windows of slot sid whose end lies in (lo, hi];
** the NULL window of the NULL-time pane only when hi is +infinity. */
static void add_windows(SaOp *op, uint32_t sid, int64_t lo, int64_t hi) {
  SaSlide *sl = &op->sl;
  uint32_t pid = sl->spane[sid], kid = sl->pkid[pid];
  const int64_t S = op->size, L = op->slide;
  int64_t first = sl->scut[sid], last = floor_to(sl->pstart[pid], L);
  if (sl->pnull[pid]) {
    if (hi != INT64_MAX) return;
    first = last = 0;
  } else {
    if (lo != INT64_MIN) {
      int64_t f = first_after(sa_sat_sub(lo, S), L);
      if (f > first) first = f;
    }
    if (hi != INT64_MAX) {
      int64_t l = floor_to(sa_sat_sub(hi, S), L);
      if (l < last) last = l;
    }
    if (first > last) return;
  }
  uint32_t add = (uint32_t)((last - first) / L + 1);
  if (sl->npairs + add > sl->pairs_cap) {
    uint32_t cap = sl->pairs_cap ? sl->pairs_cap : 256;
    while (cap < sl->npairs + add) cap *= 2;
    sl->pairs = ed_realloc(sl->pairs, cap * sizeof *sl->pairs);
    sl->pairs_cap = cap;
  }
  for (int64_t w = first;; w += L) {
    sl->pairs[sl->npairs++] =
        (SaOrd){w, op->kseq[kid], 0, kid, sl->pnull[pid] != 0};
    if (w >= last) break;
  }
}

/* Sorts the pairs by (start, key order) and removes duplicates. */
static void sort_pairs(SaSlide *sl) {
  sa_ord_sort(sl->pairs, sl->npairs);
  uint32_t k = 0;
  for (uint32_t i = 0; i < sl->npairs; i++) {
    const SaOrd *a = &sl->pairs[i];
    if (k > 0) {
      const SaOrd *b = &sl->pairs[k - 1];
      if (a->key == b->key && a->tnull == b->tnull &&
          (a->tnull || a->t == b->t))
        continue;
    }
    sl->pairs[k++] = *a;
  }
  sl->npairs = k;
}

/* The pane (kid, ps) (ps NULL when null), or SA_NONE. */
static uint32_t find_pane(SaOp *op, uint32_t kid, bool null, int64_t ps) {
  EdValue v[2];
  memset(v, 0, sizeof v);
  v[0].type = ED_T_BIGINT;
  v[0].u.i = kid;
  v[1].type = ED_T_TIMESTAMP;
  v[1].is_null = null;
  v[1].u.i = null ? 0 : ps;
  return ed_ht_lookup_values(op->sl.panes, v);
}

/* Merges the slots of pane pid that count in window w into tmp id t. */
static int merge_pane(SaOp *op, uint32_t pid, int64_t w, uint32_t t) {
  SaSlide *sl = &op->sl;
  for (uint32_t s = sl->phead[pid]; s != SA_NONE; s = sl->snext[s])
    if (sl->scut[s] <= w && ed_accs_merge(&op->tmp, t, &op->acc, s) < 0)
      return -1;
  return 0;
}

/* Computes window (kid, start w) — or kid's NULL window — into tmp id t:
** from the kid's list of panes when it is short (walking a list costs far
** less per pane than a hash probe), else by looking up the window's S / P
** panes. */
static int merge_window(SaOp *op, const SaOrd *pair, uint32_t t) {
  SaSlide *sl = &op->sl;
  uint32_t kid = pair->key;
  if (pair->tnull) {
    uint32_t pid = find_pane(op, kid, true, 0);
    return pid == SA_NONE ? 0 : merge_pane(op, pid, INT64_MAX, t);
  }
  int64_t w = pair->t, end = w + op->size;
  if (sl->kpanes[kid] <= 4 * (uint64_t)(op->size / op->pane) + 8) {
    for (uint32_t pid = sl->khead[kid]; pid != SA_NONE; pid = sl->pnext[pid])
      if (!sl->pnull[pid] && sl->pstart[pid] >= w && sl->pstart[pid] < end &&
          merge_pane(op, pid, w, t) < 0)
        return -1;
    return 0;
  }
  for (int64_t ps = w; ps < end; ps += op->pane) {
    uint32_t pid = find_pane(op, kid, false, ps);
    if (pid != SA_NONE && merge_pane(op, pid, w, t) < 0) return -1;
  }
  return 0;
}

/* The prev slot of window (kid, start) in CHANGES mode. */
static uint32_t emitted_id(SaOp *op, const SaOrd *pair) {
  SaSlide *sl = &op->sl;
  EdValue v[2];
  memset(v, 0, sizeof v);
  v[0].type = ED_T_BIGINT;
  v[0].u.i = pair->key;
  v[1].type = ED_T_TIMESTAMP;
  v[1].is_null = pair->tnull;
  v[1].u.i = pair->tnull ? 0 : pair->t;
  bool fresh;
  uint32_t eid = ed_ht_insert_values(sl->emitted, v, &fresh);
  sa_prev_reserve(op, eid + 1);
  if (eid >= sl->ecap) {
    uint32_t cap = sl->ecap ? sl->ecap : 64;
    while (cap <= eid) cap *= 2;
    sl->eclose = ed_realloc(sl->eclose, cap * sizeof *sl->eclose);
    sl->ecap = cap;
  }
  if (fresh) {
    sa_prev_forget(op, eid);
    sl->eclose[eid] = pair->tnull ? INT64_MAX : pair->t + op->size;
  }
  return eid;
}

/* Emits the sorted pairs, ED_BATCH_CAP / 2 windows at a time (a CHANGES
** window may take two rows): plain rows when plain, else the mode's. */
static int emit_pairs(SaOp *op, bool plain) {
  SaSlide *sl = &op->sl;
  const uint32_t chunk = ED_BATCH_CAP / 2;
  if (sa_flush(op) < 0) return -1;
  for (uint32_t at = 0; at < sl->npairs; at += chunk) {
    uint32_t n = sl->npairs - at < chunk ? sl->npairs - at : chunk;
    ed_accs_clear(&op->tmp);
    ed_accs_reserve(&op->tmp, n);
    for (uint32_t j = 0; j < n; j++) {
      ed_accs_reset(&op->tmp, j);
      if (merge_window(op, &sl->pairs[at + j], j) < 0) return -1;
    }
    for (uint32_t j = 0; j < n; j++) {
      const SaOrd *pair = &sl->pairs[at + j];
      EdWindow w = {pair->t, pair->t + op->size};
      int rc;
      if (plain || !op->changes) {
        SaRow r = {pair->key, j, SA_NONE, SA_SRC_TMP, ED_ROW_INSERT,
                   pair->tnull, w};
        rc = sa_put(op, &r);
      } else {
        rc = sa_put_group(op, pair->key, pair->tnull, w, SA_SRC_TMP, j,
                          emitted_id(op, pair));
      }
      if (rc < 0) return -1;
    }
    if (sa_flush(op) < 0) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------ eviction */

/* Releases the bytes of deleted keys once they are many. */
static void compact(EdHashTable *ht) {
  size_t dead = ed_ht_dead_bytes(ht);
  if (dead > 64 * 1024 && dead > ht->live_bytes) ed_ht_compact(ht);
}

/* Removes pane pid and its slots from the state. */
static void evict_pane(SaOp *op, uint32_t pid) {
  SaSlide *sl = &op->sl;
  for (uint32_t s = sl->phead[pid]; s != SA_NONE; s = sl->snext[s]) {
    ed_accs_release(&op->acc, s);
    sa_ids_push(&sl->sfree, s);
    op->base.state_rows--;
    op->base.rows_removed_batch++;
  }
  uint32_t kid = sl->pkid[pid];
  if (sl->pprev[pid] != SA_NONE) sl->pnext[sl->pprev[pid]] = sl->pnext[pid];
  else sl->khead[kid] = sl->pnext[pid];
  if (sl->pnext[pid] != SA_NONE) sl->pprev[sl->pnext[pid]] = sl->pprev[pid];
  if (--sl->kpanes[kid] == 0) sa_key_delete(op, kid);
  ed_ht_delete(sl->panes, pid);
}

/* Evicts the panes whose every window has ended by wm, and the remembered
** rows of ended windows. */
static void evict(SaOp *op, int64_t wm) {
  SaSlide *sl = &op->sl;
  if (wm < sl->min_close) return;
  if (sl->emitted) {
    uint32_t limit = ed_ht_id_limit(sl->emitted);
    for (uint32_t e = 0; e < limit; e++) {
      if (!ed_ht_live(sl->emitted, e) || sl->eclose[e] > wm) continue;
      sa_prev_forget(op, e);
      ed_ht_delete(sl->emitted, e);
    }
  }
  sl->min_close = INT64_MAX;
  uint32_t limit = ed_ht_id_limit(sl->panes);
  for (uint32_t pid = 0; pid < limit; pid++) {
    if (!ed_ht_live(sl->panes, pid)) continue;
    if (sl->pclose[pid] <= wm) evict_pane(op, pid);
    else if (sl->pclose[pid] < sl->min_close) sl->min_close = sl->pclose[pid];
  }
  compact(sl->panes);
  if (sl->emitted) compact(sl->emitted);
}

/* ------------------------------------------------------------ end */

/* Adds the windows of every live slot with end in (lo, hi]. */
static void add_all(SaOp *op, int64_t lo, int64_t hi) {
  SaSlide *sl = &op->sl;
  uint32_t limit = ed_ht_id_limit(sl->panes);
  for (uint32_t pid = 0; pid < limit; pid++) {
    if (!ed_ht_live(sl->panes, pid)) continue;
    for (uint32_t s = sl->phead[pid]; s != SA_NONE; s = sl->snext[s])
      add_windows(op, s, lo, hi);
  }
}

int sa_slide_end(SaOp *op) {
  SaSlide *sl = &op->sl;
  sl->npairs = 0;
  switch (op->mode) {
    case EMIT_COMPLETE:
      add_all(op, INT64_MIN, INT64_MAX);
      break;
    case EMIT_APPEND:
      if (op->final || (op->drop && op->wm > sl->closed_upto))
        add_all(op, sl->closed_upto, op->wm);
      break;
    default:   /* UPDATE, CHANGES: the windows of the changed slots */
      for (uint32_t i = 0; i < sl->changed.n; i++)
        add_windows(op, sl->changed.v[i], INT64_MIN, INT64_MAX);
      break;
  }
  sl->changed.n = 0;
  sort_pairs(sl);
  if (emit_pairs(op, false) < 0) return -1;
  if (op->mode == EMIT_APPEND && (op->final || op->drop))
    sl->closed_upto = op->wm;
  if (op->drop || (op->mode == EMIT_APPEND && op->final)) evict(op, op->wm);
  ed_accs_clear(&op->tmp);
  return 0;
}

int sa_slide_emit_all(SaOp *op) {
  SaSlide *sl = &op->sl;
  sl->npairs = 0;
  add_all(op, INT64_MIN, INT64_MAX);
  sort_pairs(sl);
  int rc = emit_pairs(op, true);
  ed_accs_clear(&op->tmp);
  return rc;
}
