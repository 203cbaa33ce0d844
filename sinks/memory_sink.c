/*
** sinks/memory_sink.c — the named memory sink: a streaming query's result
** table kept in memory, where ordinary SELECTs read it while the query
** keeps changing it (Spark's memory sink; see named_sink.h).
**
** The rows of a batch are staged in a memory table of their own (with
** each row's change kind, for EMIT CHANGES) and applied when the batch
** ends, in one step under the lock, so that a reader never sees half a
** batch.  COMPLETE swaps the staged table in; APPEND appends it; UPDATE
** and CHANGES rebuild the table: the rows the batch replaces or deletes
** are found with a hash table over the batch's keys (UPDATE) or whole
** rows (CHANGES), built per batch: no allocation per row.
*/
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "common/arena.h"
#include "exec/memtable.h"
#include "sinks/named_sink.h"

/* A row of a memory table: its global index (batches are full but the
** last, so batch idx / ED_BATCH_CAP, row idx % ED_BATCH_CAP). */
static const EdBatch *row_batch(const EdMemTable *m, int64_t idx, int *row) {
  *row = (int)(idx % ED_BATCH_CAP);
  return m->batches[idx / ED_BATCH_CAP];
}

/* Hash of the values of columns cols[0..n) of row r of b. */
static uint64_t row_hash(const EdBatch *b, int r, const int *cols, int n) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (int k = 0; k < n; k++) {
    const EdVector *v = &b->cols[cols[k]];
    if (!ed_vec_valid(v, r)) {
      h = XXH3_64bits_withSeed("N", 1, h);
      continue;
    }
    switch (v->type) {
      case ED_T_VARCHAR: {
        EdStr s = ED_VEC_STR(v)[r];
        h = XXH3_64bits_withSeed(s.ptr, s.len, h);
        break;
      }
      case ED_T_DOUBLE: {
        double d = ED_VEC_F64(v)[r];
        if (d == 0) d = 0;  /* -0.0 equals 0.0 */
        h = XXH3_64bits_withSeed(&d, sizeof d, h);
        break;
      }
      default: {
        size_t w = ed_type_width(v->type);
        h = XXH3_64bits_withSeed((const char *)v->data + (size_t)r * w, w, h);
        break;
      }
    }
  }
  return h;
}

/* Whether rows ra of a and rb of b agree on columns cols[0..n) (NULL
** equals NULL: a row of a result table is matched as a whole). */
static bool row_eq(const EdBatch *a, int ra, const EdBatch *b, int rb,
                   const int *cols, int n) {
  for (int k = 0; k < n; k++) {
    const EdVector *x = &a->cols[cols[k]], *y = &b->cols[cols[k]];
    bool vx = ed_vec_valid(x, ra), vy = ed_vec_valid(y, rb);
    if (vx != vy) return false;
    if (!vx) continue;
    switch (x->type) {
      case ED_T_VARCHAR: {
        EdStr s = ED_VEC_STR(x)[ra], t = ED_VEC_STR(y)[rb];
        if (s.len != t.len || memcmp(s.ptr, t.ptr, s.len) != 0) return false;
        break;
      }
      case ED_T_DOUBLE:
        if (ED_VEC_F64(x)[ra] != ED_VEC_F64(y)[rb]) return false;
        break;
      default: {
        size_t w = ed_type_width(x->type);
        if (memcmp((const char *)x->data + (size_t)ra * w,
                   (const char *)y->data + (size_t)rb * w, w) != 0)
          return false;
      }
    }
  }
  return true;
}

/* An open-addressing table of rows of the staged batch (idx), with a
** count per entry; an entry is never removed (count 0 stays a probe
** step). */
typedef struct Slot {
  uint64_t hash;
  int64_t idx;              /* -1: empty */
  int64_t count;
} Slot;

typedef struct RowSet {
  Slot *slots;
  size_t mask;
} RowSet;

static void set_init(RowSet *s, int64_t n) {
  size_t cap = 16;
  while (cap < (size_t)n * 2) cap *= 2;
  s->slots = ed_malloc(cap * sizeof *s->slots);
  for (size_t i = 0; i < cap; i++) s->slots[i].idx = -1;
  s->mask = cap - 1;
}

/* The entry for a row equal (on cols) to row r of b with a count > 0 when
** live, else with any count; or the empty slot where it would go. */
static Slot *set_find(RowSet *s, const EdMemTable *m, const EdBatch *b, int r,
                      uint64_t h, const int *cols, int n, bool live) {
  for (size_t i = h & s->mask;; i = (i + 1) & s->mask) {
    Slot *sl = &s->slots[i];
    if (sl->idx < 0) return sl;
    if (sl->hash != h || (live && sl->count <= 0)) continue;
    int row;
    const EdBatch *sb = row_batch(m, sl->idx, &row);
    if (row_eq(sb, row, b, r, cols, n)) return sl;
  }
}

typedef struct MemSink {
  EdSink base;
  EdTable *result;
  pthread_mutex_t *lock;
  EdEmitMode mode;
  int *keys;                /* UPDATE: key columns */
  int nkeys;
  int *all;                 /* 0..ncols-1 (CHANGES: whole rows) */
  int ncols;
  EdMemTable *stage;        /* the running batch's rows */
  uint8_t *ops;             /* CHANGES: change kind per staged row */
  int64_t ops_cap;
  uint16_t sel[ED_BATCH_CAP];
} MemSink;

static int mem_begin(EdSink *s, const EdSchema *schema) {
  MemSink *m = (MemSink *)s;
  if (schema->ncols != m->result->schema.ncols) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "memory sink: the query gives %d columns, the table has %d",
             schema->ncols, m->result->schema.ncols);
    return -1;
  }
  return 0;
}

static int mem_begin_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  MemSink *m = (MemSink *)s;
  ed_memtable_free(m->stage);
  m->stage = ed_memtable_new(&m->result->schema);
  return 0;
}

static int mem_write(EdSink *s, const EdBatch *b) {
  MemSink *m = (MemSink *)s;
  if (!m->stage) mem_begin_batch(s, 0);
  int n = ed_batch_count(b);
  if (m->mode == EMIT_CHANGES) {
    int64_t need = m->stage->nrows + n;
    if (need > m->ops_cap) {
      m->ops_cap = need * 2;
      m->ops = ed_realloc(m->ops, (size_t)m->ops_cap);
    }
    for (int k = 0; k < n; k++) {
      int i = ed_batch_row(b, k);
      m->ops[m->stage->nrows + k] = b->ops ? b->ops[i] : ED_ROW_INSERT;
    }
  }
  ed_memtable_append(m->stage, b);
  s->rows_written += n;
  return 0;
}

/* Appends the rows of src whose flag in keep (indexed by global row; NULL:
** all) is set to dst, a batch at a time. */
static void append_kept(MemSink *m, EdMemTable *dst, const EdMemTable *src,
                        const uint8_t *keep) {
  for (int bi = 0; bi < src->nbatches; bi++) {
    const EdBatch *b = src->batches[bi];
    EdBatch view = *b;
    int n = 0;
    for (int r = 0; r < b->nrows; r++)
      if (!keep || keep[(int64_t)bi * ED_BATCH_CAP + r]) m->sel[n++] = (uint16_t)r;
    if (n == 0) continue;
    view.sel = m->sel;
    view.nsel = n;
    ed_memtable_append(dst, &view);
  }
}

/* UPDATE: the table without the rows whose keys the batch brings, then
** the batch's rows (the last one of a key when it comes twice). */
static EdMemTable *apply_update(MemSink *m, const EdMemTable *old) {
  const EdMemTable *st = m->stage;
  uint8_t *keep_new = ed_malloc((size_t)st->nrows + 1);
  uint8_t *keep_old = ed_malloc((size_t)old->nrows + 1);
  RowSet set;
  set_init(&set, st->nrows);
  for (int64_t i = st->nrows - 1; i >= 0; i--) {   /* last one wins */
    int r;
    const EdBatch *b = row_batch(st, i, &r);
    uint64_t h = row_hash(b, r, m->keys, m->nkeys);
    Slot *sl = set_find(&set, st, b, r, h, m->keys, m->nkeys, false);
    keep_new[i] = sl->idx < 0;
    if (sl->idx < 0) *sl = (Slot){h, i, 1};
  }
  for (int64_t i = 0; i < old->nrows; i++) {
    int r;
    const EdBatch *b = row_batch(old, i, &r);
    uint64_t h = row_hash(b, r, m->keys, m->nkeys);
    keep_old[i] = set_find(&set, st, b, r, h, m->keys, m->nkeys, false)->idx < 0;
  }
  EdMemTable *t = ed_memtable_new(&old->schema);
  append_kept(m, t, old, keep_old);
  append_kept(m, t, st, keep_new);
  free(set.slots);
  free(keep_new);
  free(keep_old);
  return t;
}

/* CHANGES: applies the staged changelog in order.  A deletion first
** cancels an equal row the same batch added, else it removes one equal
** row of the table. */
static EdMemTable *apply_changes(MemSink *m, const EdMemTable *old) {
  const EdMemTable *st = m->stage;
  uint8_t *keep_new = ed_calloc((size_t)st->nrows + 1, 1);
  uint8_t *keep_old = ed_malloc((size_t)old->nrows + 1);
  RowSet added, deleted;
  set_init(&added, st->nrows);
  set_init(&deleted, st->nrows);
  for (int64_t i = 0; i < st->nrows; i++) {
    int r;
    const EdBatch *b = row_batch(st, i, &r);
    uint64_t h = row_hash(b, r, m->all, m->ncols);
    EdRowOp op = (EdRowOp)m->ops[i];
    if (op == ED_ROW_INSERT || op == ED_ROW_UPDATE_AFTER) {
      /* Equal rows share an entry: its count is how many are alive; the
      ** rows kept are found again below by their own flags. */
      Slot *sl = set_find(&added, st, b, r, h, m->all, m->ncols, false);
      if (sl->idx < 0) *sl = (Slot){h, i, 0};
      sl->count++;
      keep_new[i] = 1;
      continue;
    }
    Slot *sl = set_find(&added, st, b, r, h, m->all, m->ncols, true);
    if (sl->idx >= 0) {
      /* Cancel the latest alive equal row added in this batch. */
      sl->count--;
      for (int64_t j = i - 1; j >= 0; j--) {
        int rj;
        const EdBatch *bj = row_batch(st, j, &rj);
        if (keep_new[j] && row_eq(bj, rj, b, r, m->all, m->ncols)) {
          keep_new[j] = 0;
          break;
        }
      }
      continue;
    }
    Slot *d = set_find(&deleted, st, b, r, h, m->all, m->ncols, false);
    if (d->idx < 0) *d = (Slot){h, i, 0};
    d->count++;
  }
  for (int64_t i = 0; i < old->nrows; i++) {
    int r;
    const EdBatch *b = row_batch(old, i, &r);
    uint64_t h = row_hash(b, r, m->all, m->ncols);
    Slot *d = set_find(&deleted, st, b, r, h, m->all, m->ncols, true);
    keep_old[i] = d->idx < 0;
    if (d->idx >= 0) d->count--;
  }
  EdMemTable *t = ed_memtable_new(&old->schema);
  append_kept(m, t, old, keep_old);
  append_kept(m, t, st, keep_new);
  free(added.slots);
  free(deleted.slots);
  free(keep_new);
  free(keep_old);
  return t;
}

/* Applies the staged batch to the result table, under the lock. */
static int mem_end_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  MemSink *m = (MemSink *)s;
  if (!m->stage) return 0;
  EdTable *res = m->result;
  if (m->lock) pthread_mutex_lock(m->lock);
  EdMemTable *old = res->mem;
  switch (m->mode) {
    case EMIT_COMPLETE:
      res->mem = m->stage;
      m->stage = NULL;
      break;
    case EMIT_UPDATE:
      res->mem = m->nkeys > 0 ? apply_update(m, old) : NULL;
      break;
    case EMIT_CHANGES:
      res->mem = apply_changes(m, old);
      break;
    default:
      res->mem = NULL;
      break;
  }
  if (res->mem) {
    ed_memtable_free(old);
  } else {                  /* APPEND (and UPDATE without keys) */
    res->mem = old;
    append_kept(m, old, m->stage, NULL);
  }
  if (m->lock) pthread_mutex_unlock(m->lock);
  ed_memtable_free(m->stage);
  m->stage = NULL;
  return 0;
}

static int mem_end(EdSink *s) {
  (void)s;
  return 0;
}

static void mem_destroy(EdSink *s) {
  MemSink *m = (MemSink *)s;
  ed_memtable_free(m->stage);
  free(m->ops);
  free(m->keys);
  free(m->all);
  free(m);
}

EdSink *ed_sink_memory_new(EdTable *result, pthread_mutex_t *lock,
                           EdEmitMode mode, const int *keys, int nkeys) {
  MemSink *m = ed_calloc(1, sizeof *m);
  m->base.begin = mem_begin;
  m->base.write = mem_write;
  m->base.end = mem_end;
  m->base.destroy = mem_destroy;
  m->base.begin_batch = mem_begin_batch;
  m->base.end_batch = mem_end_batch;
  m->base.description = "memory";
  m->result = result;
  m->lock = lock;
  m->mode = mode;
  m->ncols = result->schema.ncols;
  m->all = ed_malloc(sizeof(int) * (size_t)(m->ncols ? m->ncols : 1));
  for (int i = 0; i < m->ncols; i++) m->all[i] = i;
  m->nkeys = nkeys;
  m->keys = ed_malloc(sizeof(int) * (size_t)(nkeys ? nkeys : 1));
  for (int i = 0; i < nkeys; i++) m->keys[i] = keys[i];
  if (!result->mem) result->mem = ed_memtable_new(&result->schema);
  return &m->base;
}
