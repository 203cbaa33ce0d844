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
    ht->ids_cap = ht->ids_cap ? ht->ids_cap * 2 : 64;
    ht->entries = ed_realloc(ht->entries, ht->ids_cap * sizeof *ht->entries);
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
  ed_arena_free(&ht->keys);
  free(ht);
}

void ed_ht_clear(EdHashTable *ht) {
  memset(ht->slots, 0, ((size_t)ht->mask + 1) * sizeof *ht->slots);
  ht->nids = 0;
  ht->count = 0;
  ht->nfree = 0;
  ht->live_bytes = ht->dead_bytes = 0;
  ed_arena_reset(&ht->keys);
}

void ed_ht_hash(const EdHashTable *ht, EdVector *const *keys,
                const uint16_t *rows, int n, uint64_t *hashes) {
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

int ed_ht_find_or_insert(EdHashTable *ht, EdVector *const *keys,
                         const uint16_t *rows, int n, const uint64_t *hashes,
                         uint32_t *ids, bool *is_new) {
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
  long len = encode_values(ht, vals, &h);
  uint32_t id = len < 0 ? ED_HT_NONE
                        : find_or_insert_scratch(ht, h, (uint32_t)len, &fresh);
  if (is_new) *is_new = fresh;
  return id;
}

uint32_t ed_ht_lookup_values(EdHashTable *ht, const EdValue *vals) {
  uint64_t h;
  uint32_t slot;
  long len = encode_values(ht, vals, &h);
  return len < 0 ? ED_HT_NONE
                 : probe(ht, h, ht->scratch, (uint32_t)len, &slot);
}

/* Is slot k cyclically within (i, j]? */
static inline bool cyclic_between(uint32_t i, uint32_t k, uint32_t j) {
  return i <= j ? (i < k && k <= j) : (i < k || k <= j);
}

void ed_ht_delete(EdHashTable *ht, uint32_t id) {
  assert(ed_ht_live(ht, id));
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
  if (ht->nfree == ht->free_cap) {
    ht->free_cap = ht->free_cap ? ht->free_cap * 2 : 64;
    ht->free_ids = ed_realloc(ht->free_ids, ht->free_cap * sizeof(uint32_t));
  }
  ht->free_ids[ht->nfree++] = id;
}

void ed_ht_compact(EdHashTable *ht) {
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
  return sizeof *ht + ((size_t)ht->mask + 1) * sizeof(uint64_t) +
         (size_t)ht->ids_cap * sizeof(EdHtEntry) +
         (size_t)ht->free_cap * sizeof(uint32_t) + ht->keys.reserved_bytes +
         ht->scratch_cap;
}
