/*
** state/hashtable.h — keyed operator state: an open-addressing hash table
** from a tuple of typed values (group keys, join keys, distinct rows) to a
** dense integer id.
**
** Operators keep their per-key state in plain arrays indexed by that id
** (accumulators of an aggregation, chain heads of a join, flags of a set
** operation), so the table itself stores only keys.  A key is copied once,
** when it is first inserted, into a compact row format in the table's own
** arena (a NULL bitmap followed by the non-NULL values; strings inline as
** length + bytes); nothing is allocated per row otherwise.
**
** Work is done a batch at a time: the caller evaluates the key columns of a
** batch into vectors, hashes them all (ed_ht_hash), then finds or inserts
** every row (ed_ht_find_or_insert) or only looks them up (ed_ht_lookup).
** Hashes are 64-bit XXH3 values, kept per key so that growing the table
** never re-reads keys.
**
** NULL: a table made with nulls_equal treats NULL as an ordinary key value
** equal to NULL (GROUP BY, DISTINCT, set operations).  Without it a row with
** any NULL key is never inserted and never found (equi-join keys), and gets
** the id ED_HT_NONE.
**
** A table keyed by one 8-byte integer (BIGINT, TIMESTAMP, INTERVAL), the
** common case, uses a leaner layout: each slot holds the key itself next
** to its id, so a probe that hits touches no other memory, and each id
** knows its slot (for ed_ht_key / ed_ht_gather) instead of entries and an
** arena holding the key.  The NULL key of such a table has its own id
** outside the slots.
**
** Ids are dense, starting at 0, assigned in order of first insertion.  A
** deleted key's id is recycled by a later insertion (reported as new, so the
** owner resets the state it keeps for that id).  Deleting leaves the key's
** bytes in the arena until ed_ht_compact() copies the live keys into fresh
** memory; the owner calls it at a point where no key pointer handed out by
** the table is in use.
*/
#ifndef ED_HASHTABLE_H
#define ED_HASHTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/types.h"
#include "exec/batch.h"

#define ED_HT_NONE UINT32_MAX

#define ED_HT_HEAD 12          /* key bytes repeated inside the entry */

typedef struct EdHtEntry {
  uint64_t hash;
  const uint8_t *key;       /* encoded key row in the table's arena */
  uint32_t len;             /* its length; ED_HT_DEAD for a deleted id */
  uint8_t head[ED_HT_HEAD]; /* its first bytes: a probe compares a short
                               key without touching the arena */
} EdHtEntry;

#define ED_HT_DEAD UINT32_MAX

typedef struct EdHashTable {
  int nkeys;
  EdType *types;            /* nkeys key types */
  bool nulls_equal;
  int null_bytes;           /* size of the NULL bitmap of a key row */
  uint64_t *slots;          /* 0 empty, else (hash >> 32) << 32 | (id + 1) */
  uint32_t mask;            /* slot count - 1 (a power of two) */
  EdHtEntry *entries;       /* by id */
  uint32_t nids;            /* ids handed out so far (live or free) */
  uint32_t ids_cap;
  uint32_t count;           /* live keys */
  uint32_t *free_ids;       /* recycled ids, LIFO */
  uint32_t nfree, free_cap;
  EdArena keys;             /* encoded key rows */
  size_t live_bytes;        /* bytes of live key rows */
  size_t dead_bytes;        /* bytes of deleted key rows still in keys */
  uint8_t *scratch;         /* one encoded probe row */
  size_t scratch_cap;
  /* The one-integer-key layout (fixed): slots, entries and keys unused. */
  bool fixed;
  int64_t *fkeys;           /* key of each slot */
  uint32_t *fids;           /* id + 1 of each slot, 0 empty */
  uint32_t *pos_of;         /* slot of each id */
  uint64_t *dead;           /* bitmap by id: deleted */
  uint32_t null_id;         /* id of the NULL key, or ED_HT_NONE */
} EdHashTable;

/* Creates a table keyed by nkeys columns of the given types (types is
** copied).  nkeys may be 0: then every row has the same, empty key. */
EdHashTable *ed_ht_new(int nkeys, const EdType *types, bool nulls_equal);
void ed_ht_free(EdHashTable *ht);

/* Removes every key; ids start again at 0.  Keeps the slot array. */
void ed_ht_clear(EdHashTable *ht);

/* Hashes n rows of the key vectors keys[0..nkeys): row k is physical
** position rows[k] (rows NULL: position k).  hashes[k] receives the hash. */
void ed_ht_hash(const EdHashTable *ht, EdVector *const *keys,
                const uint16_t *rows, int n, uint64_t *hashes);

/* For each of the n rows (as in ed_ht_hash, with their hashes) returns in
** ids[k] the id of its key, inserting the key if it is absent (is_new[k],
** when is_new is not NULL, tells which).  A row with a NULL key in a table
** without nulls_equal gets ED_HT_NONE.  Rows are processed in order, so a
** key repeated within the batch is new only at its first row.  Returns the
** number of keys inserted. */
int ed_ht_find_or_insert(EdHashTable *ht, EdVector *const *keys,
                         const uint16_t *rows, int n, const uint64_t *hashes,
                         uint32_t *ids, bool *is_new);

/* Like ed_ht_find_or_insert but never inserts: absent keys (and NULL keys
** without nulls_equal) get ED_HT_NONE. */
void ed_ht_lookup(EdHashTable *ht, EdVector *const *keys,
                  const uint16_t *rows, int n, const uint64_t *hashes,
                  uint32_t *ids);

/* Single-row forms over values (nkeys EdValues of the key types, or NULL
** values), for restoring state and for tests.  Hashes equal those of
** ed_ht_hash for the same values.  *is_new may be NULL. */
uint64_t ed_ht_hash_values(const EdHashTable *ht, const EdValue *vals);
uint32_t ed_ht_insert_values(EdHashTable *ht, const EdValue *vals,
                             bool *is_new);
uint32_t ed_ht_lookup_values(EdHashTable *ht, const EdValue *vals);

/* Removes the key with id (which must be live).  Its id becomes free. */
void ed_ht_delete(EdHashTable *ht, uint32_t id);

/* Copies the live keys into fresh arena memory, releasing the bytes of
** deleted keys.  Ids do not change; key pointers obtained earlier (string
** values from ed_ht_key / ed_ht_gather) become invalid. */
void ed_ht_compact(EdHashTable *ht);

/* Iteration: ids below ed_ht_id_limit() that are live, in id order. */
static inline uint32_t ed_ht_id_limit(const EdHashTable *ht) {
  return ht->nids;
}
static inline bool ed_ht_live(const EdHashTable *ht, uint32_t id) {
  if (id >= ht->nids) return false;
  if (ht->fixed) return !((ht->dead[id >> 6] >> (id & 63)) & 1);
  return ht->entries[id].len != ED_HT_DEAD;
}
static inline uint32_t ed_ht_count(const EdHashTable *ht) {
  return ht->count;
}

/* Decodes the key of a live id into vals[0..nkeys).  Strings point into
** the table's arena (valid until the key is deleted and compacted, or the
** table is cleared or freed). */
void ed_ht_key(const EdHashTable *ht, uint32_t id, EdValue *vals);

/* Writes the keys of ids[0..n) into columns dst_col .. dst_col+nkeys-1 of
** dst, at rows dst_row .. dst_row+n-1 (column types must be the key types).
** Strings are not copied: they point into the table, which outlives the
** batch's push.  Does not change dst->nrows. */
void ed_ht_gather(const EdHashTable *ht, const uint32_t *ids, int n,
                  EdBatch *dst, int dst_col, int dst_row);

/* Bytes held by the table (slots, entries, key rows), for state size
** reporting; and bytes of deleted keys awaiting ed_ht_compact(). */
size_t ed_ht_bytes(const EdHashTable *ht);
static inline size_t ed_ht_dead_bytes(const EdHashTable *ht) {
  return ht->dead_bytes;
}

#endif
