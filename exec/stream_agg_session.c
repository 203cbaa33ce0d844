/*
** exec/stream_agg_session.c — session windows, session_window(ts, gap).
**
** Per key (the group keys other than the window) the operator keeps its
** open sessions, pairwise disjoint and not touching, in a treap ordered by
** start (nodes live in flat arrays indexed by session id; no per-row
** allocation).  A row at ts opens [ts, ts + gap) and merges with every open
** session it overlaps or touches (end == start counts as touching): the
** one with the smallest start survives and absorbs the others and the
** row's range; their accumulators are merged into it.  The merged-away
** sessions become forwarding entries until the end of the batch: rows of
** the batch are first placed (sessions created and merged row by row), and
** only then folded, each into the session its placement resolves to, so
** folding stays vectorized and every row lands in its final session.
**
** Watermark (drop mode: the event time is the watermark column and the
** mode is not COMPLETE).  A session is closed once wm >= its end: at the
** first push or end_batch of a batch whose watermark reached its end it
** leaves the treap, so no later row can merge into it; APPEND emits it at
** that batch's end, then it is evicted (the other modes evict it
** silently).  A row is late, dropped and counted when its own session
** [ts, ts + gap) ends <= wm and it touches no open session; a row whose
** own session ends <= wm but touches an open one joins it.  A row whose
** own session ends after wm never merges into a closed session, even when
** it touches one: a closed session is final.
**
** CHANGES: a session changed in the batch is +I when first emitted, else
** -U with its last emitted row (old bounds) then +U; a session that
** disappeared by merging into another is -D with its last emitted row (if
** it was ever emitted).  The -D rows of a batch come first.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/stream_agg_int.h"

/* ------------------------------------------------------------ treap */

/* Joins treaps a and b (every start in a below every start in b). */
static uint32_t tr_merge(SaSession *ss, uint32_t a, uint32_t b) {
  if (a == SA_NONE) return b;
  if (b == SA_NONE) return a;
  if (ss->prio[a] > ss->prio[b]) {
    ss->right[a] = tr_merge(ss, ss->right[a], b);
    return a;
  }
  ss->left[b] = tr_merge(ss, a, ss->left[b]);
  return b;
}

/* Splits t into *l (start < key) and *r (start >= key). */
static void tr_split(SaSession *ss, uint32_t t, int64_t key, uint32_t *l,
                     uint32_t *r) {
  if (t == SA_NONE) {
    *l = *r = SA_NONE;
  } else if (ss->start[t] < key) {
    tr_split(ss, ss->right[t], key, &ss->right[t], r);
    *l = t;
  } else {
    tr_split(ss, ss->left[t], key, l, &ss->left[t]);
    *r = t;
  }
}

/* Inserts node n into t; returns the new root. */
static uint32_t tr_insert(SaSession *ss, uint32_t t, uint32_t n) {
  if (t == SA_NONE) return n;
  if (ss->prio[n] > ss->prio[t]) {
    tr_split(ss, t, ss->start[n], &ss->left[n], &ss->right[n]);
    return n;
  }
  if (ss->start[n] < ss->start[t]) ss->left[t] = tr_insert(ss, ss->left[t], n);
  else ss->right[t] = tr_insert(ss, ss->right[t], n);
  return t;
}

/* Removes node n (which is in t); returns the new root. */
static uint32_t tr_erase(SaSession *ss, uint32_t t, uint32_t n) {
  assert(t != SA_NONE);
  if (t == n) return tr_merge(ss, ss->left[n], ss->right[n]);
  if (ss->start[n] < ss->start[t]) ss->left[t] = tr_erase(ss, ss->left[t], n);
  else ss->right[t] = tr_erase(ss, ss->right[t], n);
  return t;
}

/* The node with the largest start <= x, or SA_NONE. */
static uint32_t tr_pred(const SaSession *ss, uint32_t t, int64_t x) {
  uint32_t best = SA_NONE;
  while (t != SA_NONE) {
    if (ss->start[t] <= x) {
      best = t;
      t = ss->right[t];
    } else {
      t = ss->left[t];
    }
  }
  return best;
}

/* ------------------------------------------------------------ set up */

int sa_session_init(SaOp *op) {
  SaSession *ss = &op->ss;
  EdType *kt = ed_calloc((size_t)(op->nother + 1), sizeof(EdType));
  for (int j = 0; j < op->nother; j++)
    kt[j] = op->node->exprs[op->other_col[j]]->type;
  op->keytab = ed_ht_new(op->nother, kt, true);
  free(kt);
  ss->swept_wm = INT64_MIN;
  ss->min_end = INT64_MAX;
  ss->rng = 2463534242u;
  return 0;
}

void sa_session_free(SaOp *op) {
  SaSession *ss = &op->ss;
  free(ss->skid);
  free(ss->start);
  free(ss->end);
  free(ss->state);
  free(ss->left);
  free(ss->right);
  free(ss->prio);
  free(ss->stamp);
  free(ss->fwd);
  free(ss->root);
  free(ss->knull);
  free(ss->kcount);
  sa_ids_free(&ss->free);
  sa_ids_free(&ss->changed);
  sa_ids_free(&ss->closed);
  sa_ids_free(&ss->merged);
  memset(ss, 0, sizeof *ss);
}

size_t sa_session_bytes(const SaOp *op) {
  const SaSession *ss = &op->ss;
  return (size_t)ss->cap * (6 * sizeof(uint32_t) + 2 * sizeof(int64_t) + 1) +
         (size_t)ss->kcap * 3 * sizeof(uint32_t) +
         (size_t)(ss->free.cap + ss->changed.cap + ss->closed.cap +
                  ss->merged.cap) * sizeof(uint32_t);
}

/* Grows the per-kid arrays to ids below need. */
static void reserve_kids(SaSession *ss, uint32_t need) {
  if (need <= ss->kcap) return;
  uint32_t cap = ss->kcap ? ss->kcap : 64;
  while (cap < need) cap *= 2;
  ss->root = ed_realloc(ss->root, cap * sizeof *ss->root);
  ss->knull = ed_realloc(ss->knull, cap * sizeof *ss->knull);
  ss->kcount = ed_realloc(ss->kcount, cap * sizeof *ss->kcount);
  ss->kcap = cap;
}

/* A new, empty session of kid in the given state. */
static uint32_t new_session(SaOp *op, uint32_t kid, uint8_t state) {
  SaSession *ss = &op->ss;
  uint32_t sid;
  if (ss->free.n) {
    sid = ss->free.v[--ss->free.n];
  } else {
    sid = ss->limit++;
    if (sid >= ss->cap) {
      uint32_t cap = ss->cap ? ss->cap * 2 : 64;
      ss->skid = ed_realloc(ss->skid, cap * sizeof *ss->skid);
      ss->start = ed_realloc(ss->start, cap * sizeof *ss->start);
      ss->end = ed_realloc(ss->end, cap * sizeof *ss->end);
      ss->state = ed_realloc(ss->state, cap);
      ss->left = ed_realloc(ss->left, cap * sizeof *ss->left);
      ss->right = ed_realloc(ss->right, cap * sizeof *ss->right);
      ss->prio = ed_realloc(ss->prio, cap * sizeof *ss->prio);
      ss->stamp = ed_realloc(ss->stamp, cap * sizeof *ss->stamp);
      ss->fwd = ed_realloc(ss->fwd, cap * sizeof *ss->fwd);
      ss->cap = cap;
    }
    ed_accs_reserve(&op->acc, ss->cap);
    sa_prev_reserve(op, ss->cap);
  }
  ed_accs_reset(&op->acc, sid);
  sa_prev_forget(op, sid);
  ss->skid[sid] = kid;
  ss->start[sid] = ss->end[sid] = 0;
  ss->state[sid] = state;
  ss->left[sid] = ss->right[sid] = SA_NONE;
  ss->rng ^= ss->rng << 13;
  ss->rng ^= ss->rng >> 17;
  ss->rng ^= ss->rng << 5;
  ss->prio[sid] = ss->rng;
  ss->stamp[sid] = 0;
  ss->fwd[sid] = SA_NONE;
  ss->kcount[kid]++;
  op->base.state_rows++;
  return sid;
}

/* Returns session sid's id to the free list (its state has been emitted
** or merged away); the kid goes when its last session does. */
static void free_session(SaOp *op, uint32_t sid) {
  SaSession *ss = &op->ss;
  uint32_t kid = ss->skid[sid];
  if (ss->state[sid] == SS_OPEN)
    ss->root[kid] = tr_erase(ss, ss->root[kid], sid);
  if (ss->state[sid] == SS_NULL) ss->knull[kid] = SA_NONE;
  if (ss->state[sid] != SS_MERGED) {
    op->base.state_rows--;
    op->base.rows_removed_batch++;
  }
  ed_accs_release(&op->acc, sid);
  sa_prev_forget(op, sid);
  ss->state[sid] = SS_FREE;
  sa_ids_push(&ss->free, sid);
  if (--ss->kcount[kid] == 0) sa_key_delete(op, kid);
}

/* Marks sid changed in this batch. */
static void touch(SaOp *op, uint32_t sid) {
  SaSession *ss = &op->ss;
  if (ss->stamp[sid] == op->stamp) return;
  ss->stamp[sid] = op->stamp;
  sa_ids_push(&ss->changed, sid);
  op->base.rows_updated_batch++;
}

/* Closes the open sessions that end <= wm (drop mode): they leave the
** treap and wait in the closed list for end_batch. */
static void sweep(SaOp *op) {
  SaSession *ss = &op->ss;
  if (!op->drop || op->wm <= ss->swept_wm) return;
  ss->swept_wm = op->wm;
  if (op->wm < ss->min_end) return;
  ss->min_end = INT64_MAX;
  for (uint32_t sid = 0; sid < ss->limit; sid++) {
    if (ss->state[sid] != SS_OPEN) continue;
    if (ss->end[sid] > op->wm) {
      if (ss->end[sid] < ss->min_end) ss->min_end = ss->end[sid];
      continue;
    }
    uint32_t kid = ss->skid[sid];
    ss->root[kid] = tr_erase(ss, ss->root[kid], sid);
    ss->state[sid] = SS_CLOSED;
    sa_ids_push(&ss->closed, sid);
  }
}

/* ------------------------------------------------------------ push */

/* Places a row of kid at ts: finds the open sessions [ts, ts + gap)
** touches, merges them, or opens a new session.  *sid receives the
** session, or SA_NONE for a late row.  Returns 0 or -1. */
static int place_row(SaOp *op, uint32_t kid, int64_t ts, uint32_t *sid) {
  SaSession *ss = &op->ss;
  int64_t lo = ts, hi;
  if (__builtin_add_overflow(ts, op->gap, &hi))
    return ed_exec_error(op->base.ctx,
                         "session_window: timestamp out of range");
  /* Open sessions are disjoint and do not touch, so the ones [lo, hi]
  ** touches are consecutive, found from the last one starting <= hi
  ** backwards; each is at least gap long, so there are at most two. */
  uint32_t hit[3];
  int nhit = 0;
  uint32_t s = tr_pred(ss, ss->root[kid], hi);
  while (s != SA_NONE && ss->end[s] >= lo) {
    assert(nhit < 3);
    hit[nhit++] = s;
    if (ss->start[s] == INT64_MIN) break;
    s = tr_pred(ss, ss->root[kid], ss->start[s] - 1);
  }
  if (nhit == 0) {
    if (op->drop && hi <= op->wm) {
      op->base.rows_late_batch++;
      *sid = SA_NONE;
      return 0;
    }
    uint32_t n = new_session(op, kid, SS_OPEN);
    ss->start[n] = lo;
    ss->end[n] = hi;
    ss->root[kid] = tr_insert(ss, ss->root[kid], n);
    if (hi < ss->min_end) ss->min_end = hi;
    touch(op, n);
    *sid = n;
    return 0;
  }
  /* hit[] is in decreasing start order: the last one survives. */
  uint32_t keep = hit[nhit - 1];
  int64_t end = ss->end[hit[0]] > hi ? ss->end[hit[0]] : hi;
  for (int i = 0; i < nhit - 1; i++) {
    uint32_t o = hit[i];
    ss->root[kid] = tr_erase(ss, ss->root[kid], o);
    if (ed_accs_merge(&op->acc, keep, &op->acc, o) < 0) return -1;
    ed_accs_release(&op->acc, o);
    ss->state[o] = SS_MERGED;
    ss->fwd[o] = keep;
    sa_ids_push(&ss->merged, o);
    op->base.state_rows--;
    op->base.rows_removed_batch++;
  }
  /* The survivor keeps its place in the treap: nothing lies between its
  ** new start and its old one. */
  if (lo < ss->start[keep]) ss->start[keep] = lo;
  ss->end[keep] = end;
  touch(op, keep);
  *sid = keep;
  return 0;
}

/* The session sid resolves to after this batch's merges. */
static uint32_t resolve(const SaSession *ss, uint32_t sid) {
  while (ss->state[sid] == SS_MERGED) sid = ss->fwd[sid];
  return sid;
}

int sa_session_push(SaOp *op, EdBatch *b, int n) {
  SaSession *ss = &op->ss;
  sweep(op);
  for (int k = 0; k < n; k++) op->pos[k] = (uint16_t)ed_batch_row(b, k);
  sa_assign_kids(op, n);
  reserve_kids(ss, ed_ht_id_limit(op->keytab));
  for (int k = 0; k < n; k++) {
    if (!op->is_new[k]) continue;
    uint32_t kid = op->kids[k];
    ss->root[kid] = ss->knull[kid] = SA_NONE;
    ss->kcount[kid] = 0;
  }
  const EdVector *tsv = op->ts.vecs[0];
  for (int k = 0; k < n; k++) {
    int p = op->pos[k];
    uint32_t kid = op->kids[k], sid = SA_NONE;
    if (!ed_vec_valid(tsv, p)) {
      sid = ss->knull[kid];
      if (sid == SA_NONE) sid = ss->knull[kid] = new_session(op, kid, SS_NULL);
      touch(op, sid);
    } else if (place_row(op, kid, ED_VEC_I64(tsv)[p], &sid) < 0) {
      return -1;
    }
    ss->sids[k] = sid;
  }
  int m = 0;
  for (int k = 0; k < n; k++) {
    if (ss->sids[k] == SA_NONE) continue;
    op->pos[m] = op->pos[k];
    op->ids[m++] = resolve(ss, ss->sids[k]);
  }
  return ed_accs_fold(&op->acc, op->args.vecs, op->pos, op->ids, m);
}

/* ------------------------------------------------------------ output */

/* Whether sid holds a live session (not merged away, not free). */
static bool live(const SaSession *ss, uint32_t sid) {
  return ss->state[sid] == SS_OPEN || ss->state[sid] == SS_CLOSED ||
         ss->state[sid] == SS_NULL;
}

/* Sort item of session sid (by its bounds, or by its last emitted row). */
static SaOrd ord_of(const SaOp *op, uint32_t sid, bool by_prev) {
  const SaSession *ss = &op->ss;
  uint32_t kid = ss->skid[sid];
  if (by_prev)
    return (SaOrd){op->prev.win[sid].start, op->kseq[kid], sid, kid,
                   op->prev.tnull[sid] != 0};
  return (SaOrd){ss->start[sid], op->kseq[kid], sid, kid,
                 ss->state[sid] == SS_NULL};
}

/* Emits sessions ids[0..n) in order: plain rows when plain, else the
** mode's rows. */
static int emit_sessions(SaOp *op, const uint32_t *ids, uint32_t n,
                         bool plain) {
  const SaSession *ss = &op->ss;
  SaOrd *o = sa_ord_reserve(op, n);
  for (uint32_t k = 0; k < n; k++) o[k] = ord_of(op, ids[k], false);
  sa_ord_sort(o, n);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t sid = o[k].id;
    EdWindow w = {ss->start[sid], ss->end[sid]};
    int rc;
    if (plain) {
      SaRow r = {o[k].key, sid, SA_NONE, SA_SRC_ACC, ED_ROW_INSERT,
                 o[k].tnull, w};
      rc = sa_put(op, &r);
    } else {
      rc = sa_put_group(op, o[k].key, o[k].tnull, w, SA_SRC_ACC, sid, sid);
    }
    if (rc < 0) return -1;
  }
  return sa_flush(op);
}

/* -D for every merged-away session that had been emitted, in order of its
** last emitted row. */
static int emit_deletes(SaOp *op) {
  SaSession *ss = &op->ss;
  uint32_t n = 0;
  SaOrd *o = sa_ord_reserve(op, ss->merged.n);
  for (uint32_t i = 0; i < ss->merged.n; i++)
    if (sa_prev_emitted(op, ss->merged.v[i]))
      o[n++] = ord_of(op, ss->merged.v[i], true);
  sa_ord_sort(o, n);
  for (uint32_t k = 0; k < n; k++) {
    SaRow r = {o[k].key, o[k].id, SA_NONE, SA_SRC_PREV, ED_ROW_DELETE, false,
               {0, 0}};
    if (sa_put(op, &r) < 0) return -1;
  }
  return sa_flush(op);
}

/* Collects into list the open (and NULL-time) sessions when open_too, and
** the closed ones when closed_too, in id order. */
static void collect(SaOp *op, SaIds *list, bool open_too, bool closed_too) {
  const SaSession *ss = &op->ss;
  list->n = 0;
  for (uint32_t sid = 0; sid < ss->limit; sid++) {
    uint8_t st = ss->state[sid];
    if ((open_too && (st == SS_OPEN || st == SS_NULL)) ||
        (closed_too && st == SS_CLOSED))
      sa_ids_push(list, sid);
  }
}

int sa_session_end(SaOp *op) {
  SaSession *ss = &op->ss;
  SaIds list = {0};
  sweep(op);
  int rc = 0;
  switch (op->mode) {
    case EMIT_COMPLETE:
      collect(op, &list, true, true);
      rc = emit_sessions(op, list.v, list.n, false);
      break;
    case EMIT_APPEND:
      /* Closed sessions; everything once the input has ended. */
      collect(op, &list, op->final, true);
      rc = emit_sessions(op, list.v, list.n, false);
      for (uint32_t k = 0; rc == 0 && k < list.n; k++)
        free_session(op, list.v[k]);
      break;
    default: {   /* UPDATE, CHANGES */
      if (op->changes) rc = emit_deletes(op);
      uint32_t k = 0;
      for (uint32_t i = 0; i < ss->changed.n; i++) {
        uint32_t sid = ss->changed.v[i];
        if (live(ss, sid) && ss->stamp[sid] == op->stamp)
          ss->changed.v[k++] = sid;
      }
      if (rc == 0) rc = emit_sessions(op, ss->changed.v, k, false);
      break;
    }
  }
  sa_ids_free(&list);
  if (rc < 0) return -1;
  /* Closed sessions leave the state (APPEND freed what it emitted). */
  for (uint32_t i = 0; i < ss->closed.n; i++)
    if (ss->state[ss->closed.v[i]] == SS_CLOSED)
      free_session(op, ss->closed.v[i]);
  for (uint32_t i = 0; i < ss->merged.n; i++)
    free_session(op, ss->merged.v[i]);
  ss->closed.n = ss->merged.n = ss->changed.n = 0;
  return 0;
}

int sa_session_emit_all(SaOp *op) {
  SaIds list = {0};
  collect(op, &list, true, true);
  int rc = emit_sessions(op, list.v, list.n, true);
  sa_ids_free(&list);
  return rc;
}
