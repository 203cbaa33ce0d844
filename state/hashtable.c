/*
** state/hashtable.c — the keyed operator state table (see hashtable.h).
**
** Layout: a power-of-two array of 8-byte slots probed linearly; a slot holds
** the high 32 bits of the key's hash (to skip most key comparisons without
** touching the entry) and id + 1.  Entries, indexed by id, hold the full
** hash and the encoded key row.  The load factor stays at or below 1/2.
** Deletion shifts the following cluster back (no tombstones), so lookups
** never slow down after evictions.
**
** A table keyed by one 8-byte integer uses parallel slot arrays instead:
** fkeys (the key) and fids (id + 1, 0 empty), load at most 3/4, so a
** probe compares keys in the slot array and a hit costs the slot's cache
** lines only; hashes are not kept (an 8-byte key rehashes cheaply when the
** table grows or a deletion shifts a cluster).  pos_of gives each id's
** slot, kept up to date as keys move, for decoding and deleting.
**
** Key row format: a bitmap of nkeys bits (bit j set = key j is NULL), then
** each non-NULL key: BOOLEAN 1 byte, BIGINT/TIMESTAMP/INTERVAL/DOUBLE 8
** bytes, WINDOW 16 bytes, VARCHAR a 4-byte length and the bytes.  The form is
** canonical (a DOUBLE -0.0 is stored as 0.0, every NaN as one NaN), so two
** keys are equal exactly when their rows are byte-wise equal.
*/
#include "state/hashtable.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/shortstr.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#define HT_MIN_SLOTS 64
#define HT_ARENA_BLOCK 4096   /* first block; the arena doubles it */

static const uint8_t null_tag = 0xff;

/* ------------------------------------------------------------ values */

/* The bits of a DOUBLE as stored and hashed: -0.0 and 0.0 are one key, and
** so are all NaNs. */
static inline uint64_t canon_double(double d) {
  uint64_t u;
  if (d == 0.0) d = 0.0;
  if (isnan(d)) d = NAN;
  memcpy(&u, &d, 8);
  return u;
}

/* Hashes one non-NULL value held at p in a vector of type t, chained on h. */
static inline uint64_t hash_value(EdType t, const void *data, int p,
                                  uint64_t h) {
  switch (t) {
    case ED_T_BOOL: {
      uint8_t b = ((const uint8_t *)data)[p] ? 1 : 0;
      return XXH3_64bits_withSeed(&b, 1, h);
    }
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL:
      return XXH3_64bits_withSeed((const int64_t *)data + p, 8, h);
    case ED_T_DOUBLE: {
      uint64_t u = canon_double(((const double *)data)[p]);
      return XXH3_64bits_withSeed(&u, 8, h);
    }
    case ED_T_VARCHAR: {
      const EdStr *s = (const EdStr *)data + p;
      return XXH3_64bits_withSeed(s->len ? s->ptr : "", s->len, h);
    }
    case ED_T_WINDOW:
      return XXH3_64bits_withSeed((const EdWindow *)data + p, 16, h);
    default:
      return XXH3_64bits_withSeed(&null_tag, 1, h);
  }
}

/* Chains the hash of a NULL key value on h. */
static inline uint64_t hash_null(uint64_t h) {
  return XXH3_64bits_withSeed(&null_tag, 1, h);
}

/* Pointer to the storage of value v as a vector element would hold it,
** so that the single-value paths share the vector code. */
static const void *value_data(const EdValue *v, uint8_t *boolbuf,
                              uint64_t *dbuf) {
  switch (v->type) {
    case ED_T_BOOL: *boolbuf = v->u.b ? 1 : 0; return boolbuf;
    case ED_T_DOUBLE: memcpy(dbuf, &v->u.d, 8); return dbuf;
    case ED_T_VARCHAR: return &v->u.s;
    case ED_T_WINDOW: return &v->u.w;
    default: return &v->u.i;
  }
}

/* Is key column j of row p NULL?  An untyped-NULL column always is. */
static inline bool key_is_null(const EdHashTable *ht, const EdVector *v,
                               int j, int p) {
  return ht->types[j] == ED_T_NULL || !ed_vec_valid(v, p);
}

/* ------------------------------------------------------------ encoding */

static size_t fixed_width(EdType t) {
  switch (t) {
    case ED_T_BOOL: return 1;
    case ED_T_BIGINT: case ED_T_TIMESTAMP: case ED_T_INTERVAL:
    case ED_T_DOUBLE: return 8;
    case ED_T_WINDOW: return 16;
    default: return 0;
  }
}

/* Grows the probe-row buffer to at least n bytes. */
static void ensure_scratch(EdHashTable *ht, size_t n) {
  if (n <= ht->scratch_cap) return;
  size_t cap = ht->scratch_cap ? ht->scratch_cap : 64;
  while (cap < n) cap *= 2;
  ht->scratch = ed_realloc(ht->scratch, cap);
  ht->scratch_cap = cap;
}

/* Appends the encoding of the non-NULL value at data[p] of type t to out;
** returns the new write position. */
static uint8_t *put_value(uint8_t *out, EdType t, const void *data, int p) {
  switch (t) {
    case ED_T_BOOL:
      *out = ((const uint8_t *)data)[p] ? 1 : 0;
      return out + 1;
    case ED_T_DOUBLE: {
      uint64_t u = canon_double(((const double *)data)[p]);
      memcpy(out, &u, 8);
      return out + 8;
    }
    case ED_T_VARCHAR: {
      const EdStr *s = (const EdStr *)data + p;
      memcpy(out, &s->len, 4);
      if (s->len) memcpy(out + 4, s->ptr, s->len);
      return out + 4 + s->len;
    }
    case ED_T_WINDOW:
      memcpy(out, (const EdWindow *)data + p, 16);
      return out + 16;
    default:
      memcpy(out, (const int64_t *)data + p, 8);
      return out + 8;
  }
}

/* Encodes row p of the key vectors into ht->scratch.  Returns the length,
** or -1 if the row has a NULL key and the table does not admit them. */
static long encode_row(EdHashTable *ht, EdVector *const *keys, int p) {
  size_t n = (size_t)ht->null_bytes;
  for (int j = 0; j < ht->nkeys; j++) {
    if (key_is_null(ht, keys[j], j, p)) {
      if (!ht->nulls_equal) return -1;
      continue;
    }
    n += ht->types[j] == ED_T_VARCHAR ? 4 + ED_VEC_STR(keys[j])[p].len
                                      : fixed_width(ht->types[j]);
  }
  ensure_scratch(ht, n ? n : 1);
  uint8_t *out = ht->scratch;
  memset(out, 0, (size_t)ht->null_bytes);
  out += ht->null_bytes;
  for (int j = 0; j < ht->nkeys; j++) {
    if (key_is_null(ht, keys[j], j, p)) {
      ht->scratch[j >> 3] |= (uint8_t)(1u << (j & 7));
      continue;
    }
    out = put_value(out, ht->types[j], keys[j]->data, p);
  }
  assert((size_t)(out - ht->scratch) == n);
  return (long)n;
}

/* ------------------------------------------------------------ slots */

static inline uint32_t slot_id(uint64_t s) { return (uint32_t)s - 1; }

/* Does entry e hold the key (key, len) of the same length?  Short keys
** are settled by the copy in the entry. */
static inline bool key_equal(const EdHtEntry *e, const uint8_t *key,
                             uint32_t len) {
  uint32_t h = len < ED_HT_HEAD ? len : ED_HT_HEAD;
  if (h && memcmp(e->head, key, h) != 0) return false;
  return len <= ED_HT_HEAD || memcmp(e->key + h, key + h, len - h) == 0;
}

/* Finds the key (hash, key, len).  Returns its id, or ED_HT_NONE with
** *slot set to the empty slot where it would go. */
static uint32_t probe(const EdHashTable *ht, uint64_t hash,
                      const uint8_t *key, uint32_t len, uint32_t *slot) {
  uint32_t tag = (uint32_t)(hash >> 32);
  uint32_t i = (uint32_t)hash & ht->mask;
  for (;;) {
    uint64_t s = ht->slots[i];
    if (s == 0) {
      *slot = i;
      return ED_HT_NONE;
    }
    if ((uint32_t)(s >> 32) == tag) {
      const EdHtEntry *e = &ht->entries[slot_id(s)];
      if (e->hash == hash && e->len == len && key_equal(e, key, len))
        return slot_id(s);
    }
    i = (i + 1) & ht->mask;
  }
}

/* Places id (with its hash) into the first empty slot of its probe run. */
static void place(uint64_t *slots, uint32_t mask, uint64_t hash, uint32_t id) {
  uint32_t i = (uint32_t)hash & mask;
  while (slots[i]) i = (i + 1) & mask;
  slots[i] = (hash >> 32 << 32) | ((uint64_t)id + 1);
}

/* Doubles the slot array (or sizes it for the first time). */
static void grow_slots(EdHashTable *ht) {
  uint32_t nslots = ht->slots ? (ht->mask + 1) * 2 : HT_MIN_SLOTS;
  uint64_t *slots = ed_calloc(nslots, sizeof *slots);
  for (uint32_t id = 0; id < ht->nids; id++)
    if (ht->entries[id].len != ED_HT_DEAD)
      place(slots, nslots - 1, ht->entries[id].hash, id);
  free(ht->slots);
  ht->slots = slots;
  ht->mask = nslots - 1;
}

/* Takes a free id (recycled first) for a new key. */
static uint32_t alloc_id(EdHashTable *ht) {
  if (ht->nfree) return ht->free_ids[--ht->nfree];
  assert(ht->nids < ED_HT_NONE - 1);
  if (ht->nids == ht->ids_cap) {
    /* 1.5x: per-id memory stays within half again of what is used. */
    uint32_t cap = ht->ids_cap ? ht->ids_cap + ht->ids_cap / 2 : 64;
    if (cap < ht->ids_cap || cap > ED_HT_NONE - 1) cap = ED_HT_NONE - 1;
    if (ht->fixed) {
      size_t ow = ((size_t)ht->ids_cap + 63) / 64, nw = ((size_t)cap + 63) / 64;
      ht->pos_of = ed_realloc(ht->pos_of, cap * sizeof *ht->pos_of);
      ht->dead = ed_realloc(ht->dead, nw * sizeof *ht->dead);
      memset(ht->dead + ow, 0, (nw - ow) * sizeof *ht->dead);
    } else {
      ht->entries = ed_realloc(ht->entries, cap * sizeof *ht->entries);
    }
    ht->ids_cap = cap;
  }
  return ht->nids++;
}

/* Inserts the key in ht->scratch (len bytes) at the empty slot found by
** probe().  Returns its id. */
static uint32_t insert_at(EdHashTable *ht, uint64_t hash, uint32_t len,
                          uint32_t slot) {
  uint32_t id = alloc_id(ht);
  uint8_t *copy = ed_arena_alloc(&ht->keys, len);
  if (len) memcpy(copy, ht->scratch, len);
  EdHtEntry *e = &ht->entries[id];
  e->hash = hash;
  e->key = copy;
  e->len = len;
  memset(e->head, 0, ED_HT_HEAD);
  if (len) memcpy(e->head, copy, len < ED_HT_HEAD ? len : ED_HT_HEAD);
  ht->slots[slot] = (hash >> 32 << 32) | ((uint64_t)id + 1);
  ht->count++;
  ht->live_bytes += len;
  return id;
}

/* Finds or inserts the key in ht->scratch. */
static uint32_t find_or_insert_scratch(EdHashTable *ht, uint64_t hash,
                                       uint32_t len, bool *is_new) {
  if (((uint64_t)ht->count + 1) * 2 > (uint64_t)ht->mask + 1) grow_slots(ht);
  uint32_t slot;
  uint32_t id = probe(ht, hash, ht->scratch, len, &slot);
  if (id != ED_HT_NONE) {
    *is_new = false;
    return id;
  }
  *is_new = true;
  return insert_at(ht, hash, len, slot);
}

/* Is slot k cyclically within (i, j]? */
static inline bool cyclic_between(uint32_t i, uint32_t k, uint32_t j) {
  return i <= j ? (i < k && k <= j) : (i < k || k <= j);
}

/* ------------------------------------------------------------ fixed keys */

/* The hash of one 8-byte integer key, as hash_value() computes it. */
static inline uint64_t fixed_hash(int64_t v) {
  return XXH3_64bits_withSeed(&v, 8, 0);
}

/* May the table use the one-integer-key layout? */
static bool fixed_layout(int nkeys, const EdType *types) {
  if (nkeys != 1) return false;
  return types[0] == ED_T_BIGINT || types[0] == ED_T_TIMESTAMP ||
         types[0] == ED_T_INTERVAL;
}

/* Places key (with id) into the first empty slot of its probe run. */
static void fixed_place(EdHashTable *ht, int64_t *fkeys, uint32_t *fids,
                        uint32_t mask, int64_t key, uint32_t id) {
  uint32_t i = (uint32_t)fixed_hash(key) & mask;
  while (fids[i]) i = (i + 1) & mask;
  fkeys[i] = key;
  fids[i] = id + 1;
  ht->pos_of[id] = i;
}

/* Doubles the slot arrays (or sizes them for the first time). */
static void fixed_grow(EdHashTable *ht) {
  uint32_t old = ht->fids ? ht->mask + 1 : 0;
  uint32_t nslots = old ? old * 2 : HT_MIN_SLOTS;
  int64_t *fkeys = ed_malloc(nslots * sizeof *fkeys);
  uint32_t *fids = ed_calloc(nslots, sizeof *fids);
  for (uint32_t i = 0; i < old; i++)
    if (ht->fids[i])
      fixed_place(ht, fkeys, fids, nslots - 1, ht->fkeys[i], ht->fids[i] - 1);
  free(ht->fkeys);
  free(ht->fids);
  ht->fkeys = fkeys;
  ht->fids = fids;
  ht->mask = nslots - 1;
}

/* Records a new live key under a fresh id. */
static uint32_t fixed_new_id(EdHashTable *ht) {
  uint32_t id = alloc_id(ht);
  ht->dead[id >> 6] &= ~((uint64_t)1 << (id & 63));
  ht->count++;
  ht->live_bytes += 8;
  return id;
}

/* Finds the non-NULL key (with its hash), inserting it when insert is set.
** Returns its id (ED_HT_NONE when absent and not inserted). */
static inline uint32_t fixed_find(EdHashTable *ht, uint64_t hash, int64_t key,
                                  bool insert, bool *is_new) {
  if (insert && ((uint64_t)ht->count + 1) * 4 > ((uint64_t)ht->mask + 1) * 3)
    fixed_grow(ht);
  uint32_t i = (uint32_t)hash & ht->mask;
  for (;;) {
    uint32_t f = ht->fids[i];
    if (f == 0) break;
    if (ht->fkeys[i] == key) return f - 1;
    i = (i + 1) & ht->mask;
  }
  if (!insert) return ED_HT_NONE;
  uint32_t id = fixed_new_id(ht);
  ht->fkeys[i] = key;
  ht->fids[i] = id + 1;
  ht->pos_of[id] = i;
  *is_new = true;
  return id;
}

/* The id of the NULL key, inserting it when insert is set (only a table
** with nulls_equal has one). */
static uint32_t fixed_null(EdHashTable *ht, bool insert, bool *is_new) {
  if (!ht->nulls_equal) return ED_HT_NONE;
  if (ht->null_id != ED_HT_NONE || !insert) return ht->null_id;
  ht->null_id = fixed_new_id(ht);
  *is_new = true;
  return ht->null_id;
}

/* Batch probe of the fixed layout.  The slots of the row PF ahead are
** requested while the current row is compared, so that the misses of
** consecutive rows overlap. */
#define HT_PF 8
static int fixed_batch(EdHashTable *ht, const EdVector *v, const uint16_t *rows,
                       int n, const uint64_t *hashes, uint32_t *ids,
                       bool *is_new, bool insert) {
  const int64_t *data = (const int64_t *)v->data;
  int inserted = 0;
  for (int k = 0; k < n && k < HT_PF; k++) {
    uint32_t i = (uint32_t)hashes[k] & ht->mask;
    __builtin_prefetch(&ht->fids[i]);
    __builtin_prefetch(&ht->fkeys[i]);
  }
  for (int k = 0; k < n; k++) {
    if (k + HT_PF < n) {
      uint32_t i = (uint32_t)hashes[k + HT_PF] & ht->mask;
      __builtin_prefetch(&ht->fids[i]);
      __builtin_prefetch(&ht->fkeys[i]);
    }
    int p = rows ? rows[k] : k;
    bool fresh = false;
    ids[k] = ed_vec_valid(v, p)
                 ? fixed_find(ht, hashes[k], data[p], insert, &fresh)
                 : fixed_null(ht, insert, &fresh);
    inserted += fresh;
    if (is_new) is_new[k] = fresh;
  }
  return inserted;
}

/* Single-value find or insert of the fixed layout. */
static uint32_t fixed_value(EdHashTable *ht, const EdValue *v, bool insert,
                            bool *is_new) {
  if (v->is_null || v->type == ED_T_NULL)
    return fixed_null(ht, insert, is_new);
  return fixed_find(ht, fixed_hash(v->u.i), v->u.i, insert, is_new);
}

/* Removes live id from the fixed layout (backward-shift, as below). */
static void fixed_delete(EdHashTable *ht, uint32_t id) {
  if (id == ht->null_id) {
    ht->null_id = ED_HT_NONE;
  } else {
    uint32_t i = ht->pos_of[id];
    assert(ht->fids[i] == id + 1);
    uint32_t j = i;
    for (;;) {
      j = (j + 1) & ht->mask;
      if (ht->fids[j] == 0) break;
      uint32_t home = (uint32_t)fixed_hash(ht->fkeys[j]) & ht->mask;
      if (cyclic_between(i, home, j)) continue;
      ht->fids[i] = ht->fids[j];
      ht->fkeys[i] = ht->fkeys[j];
      ht->pos_of[ht->fids[i] - 1] = i;
      i = j;
    }
    ht->fids[i] = 0;
  }
  ht->dead[id >> 6] |= (uint64_t)1 << (id & 63);
  ht->live_bytes -= 8;
}

/* Writes key id of the fixed layout as value v. */
static void fixed_key(const EdHashTable *ht, uint32_t id, EdValue *v) {
  v->type = ht->types[0];
  v->is_null = id == ht->null_id;
  if (!v->is_null) v->u.i = ht->fkeys[ht->pos_of[id]];
}

/* ------------------------------------------------------------ public */

EdHashTable *ed_ht_new(int nkeys, const EdType *types, bool nulls_equal) {
  assert(nkeys >= 0);
  EdHashTable *ht = ed_calloc(1, sizeof *ht);
  ht->nkeys = nkeys;
  ht->types = ed_malloc(sizeof(EdType) * (size_t)(nkeys ? nkeys : 1));
  if (nkeys) memcpy(ht->types, types, sizeof(EdType) * (size_t)nkeys);
  ht->nulls_equal = nulls_equal;
  ht->null_bytes = (nkeys + 7) / 8;
  ed_arena_init(&ht->keys, HT_ARENA_BLOCK);
  ht->fixed = fixed_layout(nkeys, types);
  ht->null_id = ED_HT_NONE;
  if (ht->fixed)
    fixed_grow(ht);
  else
    grow_slots(ht);
  return ht;
}

void ed_ht_free(EdHashTable *ht) {
  if (!ht) return;
  free(ht->types);
  free(ht->slots);
  free(ht->entries);
  free(ht->free_ids);
  free(ht->scratch);
  free(ht->fkeys);
  free(ht->fids);
  free(ht->pos_of);
  free(ht->dead);
  ed_arena_free(&ht->keys);
  free(ht);
}

void ed_ht_clear(EdHashTable *ht) {
  if (ht->fixed) {
    memset(ht->fids, 0, ((size_t)ht->mask + 1) * sizeof *ht->fids);
    memset(ht->dead, 0, ((size_t)ht->ids_cap + 63) / 64 * sizeof *ht->dead);
    ht->null_id = ED_HT_NONE;
  } else {
    memset(ht->slots, 0, ((size_t)ht->mask + 1) * sizeof *ht->slots);
  }
  ht->nids = 0;
  ht->count = 0;
  ht->nfree = 0;
  ht->live_bytes = ht->dead_bytes = 0;
  ed_arena_reset(&ht->keys);
}

/* ------------------------------------------------------ pointer memo */

/* Within one batch, a (pointer, length) pair seen before names the same
** bytes, hence the same hash and the same group.  Decoders keep one copy of
** each short value per batch (sources/decoder.c), so the rows of a
** low-cardinality string key repeat a few pointers; the memo, a small
** table on the stack of one call, answers those rows without hashing or
** comparing the bytes.  A pointer not found costs one probe of up to
** MEMO_PROBES slots. */
#define MEMO_SLOTS 256
#define MEMO_PROBES 4

typedef struct PtrMemo {
  const char *ptr;       /* NULL: free */
  uint32_t len;
  uint64_t val;          /* what the call keeps: a hash, or a group id */
} PtrMemo;

static inline uint32_t memo_home(const char *ptr) {
  return (uint32_t)(((uint64_t)(uintptr_t)ptr * 0x9E3779B97F4A7C15ull) >> 56);
}

/* The memo entry of s, or NULL. */
static inline PtrMemo *memo_find(PtrMemo *memo, EdStr s) {
  uint32_t i = memo_home(s.ptr);
  for (int k = 0; k < MEMO_PROBES; k++, i = (i + 1) & (MEMO_SLOTS - 1)) {
    PtrMemo *m = &memo[i];
    if (m->ptr == s.ptr && m->len == s.len) return m;
    if (!m->ptr) return NULL;
  }
  return NULL;
}

/* Remembers s in the first free slot of its probe window, or in its home
** slot when the window is full. */
static inline void memo_put(PtrMemo *memo, EdStr s, uint64_t val) {
  uint32_t home = memo_home(s.ptr), i = home;
  for (int k = 0; k < MEMO_PROBES; k++, i = (i + 1) & (MEMO_SLOTS - 1))
    if (!memo[i].ptr) break;
  if (memo[i].ptr) i = home;
  memo[i] = (PtrMemo){s.ptr, s.len, val};
}

/* Hashes of the one-VARCHAR keys of rows (see ed_ht_hash). */
static void str_hash(const EdVector *v, const uint16_t *rows, int n,
                     uint64_t *hashes) {
  PtrMemo memo[MEMO_SLOTS];
  memset(memo, 0, sizeof memo);
  const EdStr *strs = ED_VEC_STR(v);
  uint64_t hnull = hash_null(0);
  for (int k = 0; k < n; k++) {
    int p = rows ? rows[k] : k;
    if (!ed_vec_valid(v, p)) {
      hashes[k] = hnull;
      continue;
    }
    EdStr s = strs[p];
    const PtrMemo *m = s.len ? memo_find(memo, s) : NULL;
    if (m) {
      hashes[k] = m->val;
    } else {
      hashes[k] = hash_value(ED_T_VARCHAR, strs, p, 0);
      if (s.len) memo_put(memo, s, hashes[k]);
    }
  }
}

void ed_ht_hash(const EdHashTable *ht, EdVector *const *keys,
                const uint16_t *rows, int n, uint64_t *hashes) {
  if (ht->fixed) {
    const EdVector *v = keys[0];
    const int64_t *data = (const int64_t *)v->data;
    uint64_t hnull = hash_null(0);
    for (int k = 0; k < n; k++) {
      int p = rows ? rows[k] : k;
      hashes[k] = ed_vec_valid(v, p) ? fixed_hash(data[p]) : hnull;
    }
    return;
  }
  if (ht->nkeys == 1 && ht->types[0] == ED_T_VARCHAR) {
    /* One string key (GROUP BY page): no type switch, repeats memoized. */
    str_hash(keys[0], rows, n, hashes);
    return;
  }
  for (int k = 0; k < n; k++) hashes[k] = 0;
  for (int j = 0; j < ht->nkeys; j++) {
    const EdVector *v = keys[j];
    EdType t = ht->types[j];
    for (int k = 0; k < n; k++) {
      int p = rows ? rows[k] : k;
      hashes[k] = key_is_null(ht, v, j, p)
                      ? hash_null(hashes[k])
                      : hash_value(t, v->data, p, hashes[k]);
    }
  }
}

/* The entry a hash's home slot points to when its tag matches, else NULL
** (a guess, used only for prefetching). */
static inline const EdHtEntry *home_entry(const EdHashTable *ht, uint64_t h) {
  uint64_t s = ht->slots[(uint32_t)h & ht->mask];
  if (s == 0 || (uint32_t)(s >> 32) != (uint32_t)(h >> 32)) return NULL;
  return &ht->entries[slot_id(s)];
}

/* Batch probes are bound by cache misses (slot, entry, key bytes, each
** depending on the previous).  While row k is processed, the memory of the
** rows a little ahead is requested in stages so that the misses overlap. */
static inline void prefetch_ahead(const EdHashTable *ht,
                                  const uint64_t *hashes, int k, int n) {
  if (k + 16 < n)
    __builtin_prefetch(&ht->slots[(uint32_t)hashes[k + 16] & ht->mask]);
  if (k + 8 < n) {
    const EdHtEntry *e = home_entry(ht, hashes[k + 8]);
    if (e) __builtin_prefetch(e);
  }
  if (k + 4 < n) {
    const EdHtEntry *e = home_entry(ht, hashes[k + 4]);
    if (e && e->len != ED_HT_DEAD && e->len > ED_HT_HEAD)
      __builtin_prefetch(e->key);
  }
}

/* Finds the one-VARCHAR key str (not NULL) without encoding it: its
** encoded form is the null bitmap, the 4-byte length, then the bytes, so
** an entry of the same hash and length holds it when the bytes after that
** prefix match.  Returns its id or ED_HT_NONE. */
static uint32_t probe_str(const EdHashTable *ht, uint64_t hash, EdStr str) {
  uint32_t tag = (uint32_t)(hash >> 32);
  uint32_t pre = (uint32_t)ht->null_bytes + 4;
  uint32_t len = pre + str.len;
  for (uint32_t i = (uint32_t)hash & ht->mask;; i = (i + 1) & ht->mask) {
    uint64_t s = ht->slots[i];
    if (s == 0) return ED_HT_NONE;
    if ((uint32_t)(s >> 32) != tag) continue;
    const EdHtEntry *e = &ht->entries[slot_id(s)];
    if (e->hash != hash || e->len != len) continue;
    const uint8_t *k = len <= ED_HT_HEAD ? e->head : e->key;
    if (ed_short_equal(k + pre, str.ptr, str.len)) return slot_id(s);
  }
}

/* Batch find-or-insert for a table keyed by one VARCHAR: hits are found
** by comparing the string itself, repeated pointers by the memo; only new
** keys and NULLs are encoded. */
static int str_batch(EdHashTable *ht, EdVector *const *keys,
                     const uint16_t *rows, int n, const uint64_t *hashes,
                     uint32_t *ids, bool *is_new) {
  const EdVector *v = keys[0];
  const EdStr *strs = ED_VEC_STR(v);
  PtrMemo memo[MEMO_SLOTS];
  memset(memo, 0, sizeof memo);
  int inserted = 0;
  for (int k = 0; k < n; k++) {
    int p = rows ? rows[k] : k;
    bool valid = ed_vec_valid(v, p);
    const PtrMemo *m = valid && strs[p].len ? memo_find(memo, strs[p]) : NULL;
    if (m) {
      /* Inserted earlier in this call, if at all: not new here. */
      ids[k] = (uint32_t)m->val;
      if (is_new) is_new[k] = false;
      continue;
    }
    prefetch_ahead(ht, hashes, k, n);
    uint32_t id = ED_HT_NONE;
    if (valid) id = probe_str(ht, hashes[k], strs[p]);
    bool fresh = false;
    if (id == ED_HT_NONE) {
      long len = encode_row(ht, keys, p);
      if (len >= 0)
        id = find_or_insert_scratch(ht, hashes[k], (uint32_t)len, &fresh);
      inserted += fresh;
    }
    if (valid && strs[p].len) memo_put(memo, strs[p], id);
    ids[k] = id;
    if (is_new) is_new[k] = fresh;
  }
  return inserted;
}

int ed_ht_find_or_insert(EdHashTable *ht, EdVector *const *keys,
                         const uint16_t *rows, int n, const uint64_t *hashes,
                         uint32_t *ids, bool *is_new) {
  if (ht->fixed)
    return fixed_batch(ht, keys[0], rows, n, hashes, ids, is_new, true);
  if (ht->nkeys == 1 && ht->types[0] == ED_T_VARCHAR)
    return str_batch(ht, keys, rows, n, hashes, ids, is_new);
  int inserted = 0;
  for (int k = 0; k < n; k++) {
    prefetch_ahead(ht, hashes, k, n);
    int p = rows ? rows[k] : k;
    long len = encode_row(ht, keys, p);
    bool fresh = false;
    if (len < 0) {
      ids[k] = ED_HT_NONE;
    } else {
      ids[k] = find_or_insert_scratch(ht, hashes[k], (uint32_t)len, &fresh);
      inserted += fresh;
    }
    if (is_new) is_new[k] = fresh;
  }
  return inserted;
}

void ed_ht_lookup(EdHashTable *ht, EdVector *const *keys,
                  const uint16_t *rows, int n, const uint64_t *hashes,
                  uint32_t *ids) {
  if (ht->fixed) {
    fixed_batch(ht, keys[0], rows, n, hashes, ids, NULL, false);
    return;
  }
  uint32_t slot;
  for (int k = 0; k < n; k++) {
    prefetch_ahead(ht, hashes, k, n);
    int p = rows ? rows[k] : k;
    long len = encode_row(ht, keys, p);
    ids[k] = len < 0 ? ED_HT_NONE
                     : probe(ht, hashes[k], ht->scratch, (uint32_t)len, &slot);
  }
}

/* Encodes a tuple of values into ht->scratch through one-row vectors
** built on the stack.  Returns the length or -1 (NULL key, no nulls_equal)
** and sets *hash. */
static long encode_values(EdHashTable *ht, const EdValue *vals,
                          uint64_t *hash) {
  long n = ht->null_bytes;
  uint64_t h = 0;
  for (int j = 0; j < ht->nkeys; j++) {
    const EdValue *v = &vals[j];
    if (v->is_null || ht->types[j] == ED_T_NULL) {
      if (!ht->nulls_equal) return -1;
      h = hash_null(h);
      continue;
    }
    assert(v->type == ht->types[j]);
    uint8_t b;
    uint64_t d;
    h = hash_value(v->type, value_data(v, &b, &d), 0, h);
    n += v->type == ED_T_VARCHAR ? 4 + (long)v->u.s.len
                                 : (long)fixed_width(v->type);
  }
  ensure_scratch(ht, (size_t)(n ? n : 1));
  memset(ht->scratch, 0, (size_t)ht->null_bytes);
  uint8_t *out = ht->scratch + ht->null_bytes;
  for (int j = 0; j < ht->nkeys; j++) {
    const EdValue *v = &vals[j];
    if (v->is_null || ht->types[j] == ED_T_NULL) {
      ht->scratch[j >> 3] |= (uint8_t)(1u << (j & 7));
      continue;
    }
    uint8_t b;
    uint64_t d;
    out = put_value(out, v->type, value_data(v, &b, &d), 0);
  }
  *hash = h;
  return n;
}

uint64_t ed_ht_hash_values(const EdHashTable *ht, const EdValue *vals) {
  uint64_t h = 0;
  for (int j = 0; j < ht->nkeys; j++) {
    const EdValue *v = &vals[j];
    if (v->is_null || ht->types[j] == ED_T_NULL) {
      h = hash_null(h);
    } else {
      uint8_t b;
      uint64_t d;
      h = hash_value(v->type, value_data(v, &b, &d), 0, h);
    }
  }
  return h;
}

uint32_t ed_ht_insert_values(EdHashTable *ht, const EdValue *vals,
                             bool *is_new) {
  uint64_t h;
  bool fresh = false;
  if (ht->fixed) {
    uint32_t id = fixed_value(ht, &vals[0], true, &fresh);
    if (is_new) *is_new = fresh;
    return id;
  }
  long len = encode_values(ht, vals, &h);
  uint32_t id = len < 0 ? ED_HT_NONE
                        : find_or_insert_scratch(ht, h, (uint32_t)len, &fresh);
  if (is_new) *is_new = fresh;
  return id;
}

uint32_t ed_ht_lookup_values(EdHashTable *ht, const EdValue *vals) {
  if (ht->fixed) {
    bool fresh;
    return fixed_value(ht, &vals[0], false, &fresh);
  }
  uint64_t h;
  uint32_t slot;
  long len = encode_values(ht, vals, &h);
  return len < 0 ? ED_HT_NONE
                 : probe(ht, h, ht->scratch, (uint32_t)len, &slot);
}

/* Makes id available to a later insertion. */
static void push_free_id(EdHashTable *ht, uint32_t id) {
  if (ht->nfree == ht->free_cap) {
    ht->free_cap = ht->free_cap ? ht->free_cap * 2 : 64;
    ht->free_ids = ed_realloc(ht->free_ids, ht->free_cap * sizeof(uint32_t));
  }
  ht->free_ids[ht->nfree++] = id;
}

void ed_ht_delete(EdHashTable *ht, uint32_t id) {
  assert(ed_ht_live(ht, id));
  if (ht->fixed) {
    fixed_delete(ht, id);
    ht->count--;
    push_free_id(ht, id);
    return;
  }
  EdHtEntry *e = &ht->entries[id];
  uint32_t i = (uint32_t)e->hash & ht->mask;
  while (ht->slots[i] == 0 || slot_id(ht->slots[i]) != id) {
    assert(ht->slots[i] != 0);
    i = (i + 1) & ht->mask;
  }
  /* Backward-shift: move later members of the cluster into the hole when
  ** their home slot does not lie between the hole and their position. */
  uint32_t j = i;
  for (;;) {
    j = (j + 1) & ht->mask;
    uint64_t s = ht->slots[j];
    if (s == 0) break;
    uint32_t home = (uint32_t)ht->entries[slot_id(s)].hash & ht->mask;
    if (cyclic_between(i, home, j)) continue;
    ht->slots[i] = s;
    i = j;
  }
  ht->slots[i] = 0;
  ht->live_bytes -= e->len;
  ht->dead_bytes += e->len;
  e->len = ED_HT_DEAD;
  e->key = NULL;
  ht->count--;
  push_free_id(ht, id);
}

void ed_ht_compact(EdHashTable *ht) {
  if (ht->fixed) return;   /* keys live in arrays, never in the arena */
  EdArena fresh;
  ed_arena_init(&fresh, HT_ARENA_BLOCK);
  for (uint32_t id = 0; id < ht->nids; id++) {
    EdHtEntry *e = &ht->entries[id];
    if (e->len == ED_HT_DEAD) continue;
    uint8_t *copy = ed_arena_alloc(&fresh, e->len);
    if (e->len) memcpy(copy, e->key, e->len);
    e->key = copy;
  }
  ed_arena_free(&ht->keys);
  ht->keys = fresh;
  ht->dead_bytes = 0;
}

/* Reads the value at *cur of type t into v (strings point into the row). */
static const uint8_t *get_value(const uint8_t *cur, EdType t, EdValue *v) {
  v->type = t;
  v->is_null = false;
  switch (t) {
    case ED_T_BOOL: v->u.b = *cur != 0; return cur + 1;
    case ED_T_DOUBLE: memcpy(&v->u.d, cur, 8); return cur + 8;
    case ED_T_VARCHAR:
      memcpy(&v->u.s.len, cur, 4);
      v->u.s.ptr = (const char *)cur + 4;
      return cur + 4 + v->u.s.len;
    case ED_T_WINDOW: memcpy(&v->u.w, cur, 16); return cur + 16;
    default: memcpy(&v->u.i, cur, 8); return cur + 8;
  }
}

void ed_ht_key(const EdHashTable *ht, uint32_t id, EdValue *vals) {
  assert(ed_ht_live(ht, id));
  if (ht->fixed) {
    fixed_key(ht, id, &vals[0]);
    return;
  }
  const uint8_t *row = ht->entries[id].key;
  const uint8_t *cur = row + ht->null_bytes;
  for (int j = 0; j < ht->nkeys; j++) {
    if ((row[j >> 3] >> (j & 7)) & 1) {
      vals[j].type = ht->types[j];
      vals[j].is_null = true;
      continue;
    }
    cur = get_value(cur, ht->types[j], &vals[j]);
  }
}

void ed_ht_gather(const EdHashTable *ht, const uint32_t *ids, int n,
                  EdBatch *dst, int dst_col, int dst_row) {
  if (ht->fixed) {
    EdVector *v = &dst->cols[dst_col];
    for (int k = 0; k < n; k++) {
      assert(ed_ht_live(ht, ids[k]));
      int p = dst_row + k;
      if (ids[k] == ht->null_id) {
        ed_vec_set_null(v, p);
        ED_VEC_I64(v)[p] = 0;
      } else {
        ed_vec_set_valid(v, p);
        ED_VEC_I64(v)[p] = ht->fkeys[ht->pos_of[ids[k]]];
      }
    }
    return;
  }
  for (int k = 0; k < n; k++) {
    assert(ed_ht_live(ht, ids[k]));
    const uint8_t *row = ht->entries[ids[k]].key;
    const uint8_t *cur = row + ht->null_bytes;
    int p = dst_row + k;
    for (int j = 0; j < ht->nkeys; j++) {
      EdVector *v = &dst->cols[dst_col + j];
      if ((row[j >> 3] >> (j & 7)) & 1) {
        ed_vec_set_null(v, p);
        memset((char *)v->data + ed_type_width(v->type) * (size_t)p, 0,
               ed_type_width(v->type));
        continue;
      }
      EdValue val;
      cur = get_value(cur, ht->types[j], &val);
      ed_vec_set_valid(v, p);
      switch (ht->types[j]) {
        case ED_T_BOOL: ED_VEC_BOOL(v)[p] = val.u.b; break;
        case ED_T_DOUBLE: ED_VEC_F64(v)[p] = val.u.d; break;
        case ED_T_VARCHAR: ED_VEC_STR(v)[p] = val.u.s; break;
        case ED_T_WINDOW: ED_VEC_WIN(v)[p] = val.u.w; break;
        default: ED_VEC_I64(v)[p] = val.u.i; break;
      }
    }
  }
}

size_t ed_ht_bytes(const EdHashTable *ht) {
  if (ht->fixed)
    return sizeof *ht + ((size_t)ht->mask + 1) * (8 + 4) +
           (size_t)ht->ids_cap * 4 + ((size_t)ht->ids_cap + 63) / 64 * 8 +
           (size_t)ht->free_cap * sizeof(uint32_t) + ht->scratch_cap +
           ht->keys.reserved_bytes;
  return sizeof *ht + ((size_t)ht->mask + 1) * sizeof(uint64_t) +
         (size_t)ht->ids_cap * sizeof(EdHtEntry) +
         (size_t)ht->free_cap * sizeof(uint32_t) + ht->keys.reserved_bytes +
         ht->scratch_cap;
}
