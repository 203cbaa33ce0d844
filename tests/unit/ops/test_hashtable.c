/*
** tests/unit/ops/test_hashtable.c — the state hash table and the row
** store, checked against a reference computed independently: every key is
** derived from an integer x, and keys are equal exactly when their
** canonical text forms are equal (found by sorting those texts).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/hashtable.h"
#include "state/rowstore.h"
#include "tests/unit/tap.h"

#define NX 5000

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Key of x: (x/2 or NULL when x%7==0, "str<x>" or NULL when x%11==0). */
static bool k0_null(int x) { return x % 7 == 0; }
static bool k1_null(int x) { return x % 11 == 0; }
static char strs[NX + 1000][16];

static void canon(int x, char *buf, size_t cap) {
  char a[24];
  if (k0_null(x)) snprintf(a, sizeof a, "N");
  else snprintf(a, sizeof a, "%d", x / 2);
  if (k1_null(x)) snprintf(buf, cap, "%s|N", a);
  else snprintf(buf, cap, "%s|'%.15s'", a, strs[x]);
}

typedef struct Canon {
  char text[48];
  int x;
} Canon;

static int canon_cmp(const void *a, const void *b) {
  const Canon *p = a, *q = b;
  int c = strcmp(p->text, q->text);
  return c ? c : p->x - q->x;
}

static int cls[NX];     /* smallest x with the same key */

static void make_classes(void) {
  Canon *c = malloc(sizeof(Canon) * NX);
  for (int x = 0; x < NX; x++) {
    canon(x, c[x].text, sizeof c[x].text);
    c[x].x = x;
  }
  qsort(c, NX, sizeof(Canon), canon_cmp);
  for (int i = 0; i < NX; i++)
    cls[c[i].x] = (i > 0 && strcmp(c[i].text, c[i - 1].text) == 0)
                      ? cls[c[i - 1].x]
                      : c[i].x;
  free(c);
}

/* Writes the key of x at row p of the two key vectors. */
static void put_key(EdVector *v, int p, int x) {
  if (k0_null(x)) ed_vec_set_null(&v[0], p);
  else {
    ed_vec_set_valid(&v[0], p);
    ED_VEC_I64(&v[0])[p] = x / 2;
  }
  if (k1_null(x)) ed_vec_set_null(&v[1], p);
  else {
    ed_vec_set_valid(&v[1], p);
    ED_VEC_STR(&v[1])[p] = (EdStr){strs[x], (uint32_t)strlen(strs[x])};
  }
}

static void key_values(int x, EdValue *vals) {
  memset(vals, 0, sizeof(EdValue) * 2);
  vals[0].type = ED_T_BIGINT;
  vals[0].is_null = k0_null(x);
  vals[0].u.i = x / 2;
  vals[1].type = ED_T_VARCHAR;
  vals[1].is_null = k1_null(x);
  vals[1].u.s = (EdStr){strs[x], (uint32_t)strlen(strs[x])};
}

static bool key_matches(const EdHashTable *ht, uint32_t id, int x) {
  EdValue v[2];
  ed_ht_key(ht, id, v);
  if (v[0].is_null != k0_null(x) || v[1].is_null != k1_null(x)) return false;
  if (!v[0].is_null && v[0].u.i != x / 2) return false;
  if (!v[1].is_null && (v[1].u.s.len != strlen(strs[x]) ||
                        memcmp(v[1].u.s.ptr, strs[x], v[1].u.s.len) != 0))
    return false;
  return true;
}

static void test_find_or_insert(void) {
  EdType types[] = {ED_T_BIGINT, ED_T_VARCHAR};
  EdHashTable *ht = ed_ht_new(2, types, true);
  EdVector v[2];
  ed_vector_init(&v[0], ED_T_BIGINT);
  ed_vector_init(&v[1], ED_T_VARCHAR);
  EdVector *vp[2] = {&v[0], &v[1]};
  static int ref_id[NX];
  for (int x = 0; x < NX; x++) ref_id[x] = -1;
  int next_id = 0, bad_id = 0, bad_new = 0;
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
  int xs[ED_BATCH_CAP];
  for (int round = 0; round < 40; round++) {
    int n = 1500;
    for (int k = 0; k < n; k++) {
      xs[k] = (int)(rnd() % NX);
      put_key(v, k, xs[k]);
    }
    ed_ht_hash(ht, vp, NULL, n, hashes);
    ed_ht_find_or_insert(ht, vp, NULL, n, hashes, ids, is_new);
    for (int k = 0; k < n; k++) {
      int c = cls[xs[k]];
      bool fresh = ref_id[c] < 0;
      if (fresh) ref_id[c] = next_id++;
      if ((int)ids[k] != ref_id[c]) bad_id++;
      if (is_new[k] != fresh) bad_new++;
    }
  }
  TAP_EQ_INT(bad_id, 0, "ids dense, in order of first insertion");
  TAP_EQ_INT(bad_new, 0, "is_new exactly at first insertion");
  TAP_EQ_INT(ed_ht_count(ht), next_id, "count of distinct keys");
  int bad_key = 0, bad_hash = 0, bad_lookup = 0;
  for (int x = 0; x < NX; x++) {
    if (ref_id[cls[x]] < 0) continue;
    if (!key_matches(ht, (uint32_t)ref_id[cls[x]], x)) bad_key++;
    EdValue vals[2];
    key_values(x, vals);
    put_key(v, 0, x);
    ed_ht_hash(ht, vp, NULL, 1, hashes);
    if (hashes[0] != ed_ht_hash_values(ht, vals)) bad_hash++;
    if ((int)ed_ht_lookup_values(ht, vals) != ref_id[cls[x]]) bad_lookup++;
  }
  TAP_EQ_INT(bad_key, 0, "stored keys decode to the inserted values");
  TAP_EQ_INT(bad_hash, 0, "value hashes equal batch hashes");
  TAP_EQ_INT(bad_lookup, 0, "single-row lookup finds every key");

  /* Absent keys (x beyond the inserted range, all non-NULL). */
  int n = 0;
  for (int x = NX + 1; x < NX + 1000; x++) {
    if (k0_null(x) || k1_null(x)) continue;
    snprintf(strs[x], sizeof strs[x], "str%d", x);
    put_key(v, n++, x);
  }
  ed_ht_hash(ht, vp, NULL, n, hashes);
  ed_ht_lookup(ht, vp, NULL, n, hashes, ids);
  int found = 0;
  for (int k = 0; k < n; k++) found += ids[k] != ED_HT_NONE;
  TAP_EQ_INT(found, 0, "absent keys are not found");

  /* Delete every key whose class representative is even. */
  uint32_t nids = ed_ht_id_limit(ht);
  int deleted = 0;
  for (int x = 0; x < NX; x++)
    if (cls[x] == x && ref_id[x] >= 0 && x % 2 == 0) {
      ed_ht_delete(ht, (uint32_t)ref_id[x]);
      deleted++;
    }
  TAP_EQ_INT(ed_ht_count(ht), next_id - deleted, "count after deletes");
  TAP_OK(ed_ht_dead_bytes(ht) > 0, "deleted key bytes are counted");
  int bad_after = 0;
  for (int x = 0; x < NX; x++) {
    if (ref_id[cls[x]] < 0) continue;
    EdValue vals[2];
    key_values(x, vals);
    uint32_t id = ed_ht_lookup_values(ht, vals);
    uint32_t want = cls[x] % 2 == 0 ? ED_HT_NONE : (uint32_t)ref_id[cls[x]];
    if (id != want) bad_after++;
  }
  TAP_EQ_INT(bad_after, 0, "lookups after deletes (backward shift)");
  int live = 0;
  for (uint32_t id = 0; id < ed_ht_id_limit(ht); id++)
    live += ed_ht_live(ht, id);
  TAP_EQ_INT(live, next_id - deleted, "iteration sees the live ids");

  /* Re-insert: recycled ids, reported as new. */
  int recycled = 0, renew = 0;
  for (int x = 0; x < NX; x++)
    if (cls[x] == x && ref_id[x] >= 0 && x % 2 == 0) {
      EdValue vals[2];
      key_values(x, vals);
      bool fresh;
      uint32_t id = ed_ht_insert_values(ht, vals, &fresh);
      recycled += id < nids;
      renew += fresh;
      ref_id[x] = (int)id;
    }
  TAP_EQ_INT(recycled, deleted, "freed ids are recycled");
  TAP_EQ_INT(renew, deleted, "re-inserted keys are new");
  TAP_EQ_INT(ed_ht_id_limit(ht), nids, "no id beyond the old limit");
  size_t before = ed_ht_bytes(ht);
  ed_ht_compact(ht);
  TAP_EQ_INT(ed_ht_dead_bytes(ht), 0, "compaction releases dead bytes");
  TAP_OK(ed_ht_bytes(ht) <= before, "compaction does not grow the table");
  int bad_compact = 0;
  for (int x = 0; x < NX; x++) {
    if (ref_id[cls[x]] < 0) continue;
    EdValue vals[2];
    key_values(x, vals);
    if ((int)ed_ht_lookup_values(ht, vals) != ref_id[cls[x]] ||
        !key_matches(ht, (uint32_t)ref_id[cls[x]], x))
      bad_compact++;
  }
  TAP_EQ_INT(bad_compact, 0, "keys intact after compaction");

  /* Gather keys into a batch. */
  EdBatch *b = ed_batch_new(2, types);
  int m = 0, bad_gather = 0;
  int gx[ED_BATCH_CAP];
  for (int x = 0; x < NX && m < 100; x++)
    if (cls[x] == x && ref_id[x] >= 0) {
      gx[m] = x;
      ids[m++] = (uint32_t)ref_id[x];
    }
  ed_ht_gather(ht, ids, m, b, 0, 0);
  for (int k = 0; k < m; k++) {
    int x = gx[k];
    if (ed_vec_valid(&b->cols[0], k) == k0_null(x) ||
        ed_vec_valid(&b->cols[1], k) == k1_null(x) ||
        (!k0_null(x) && ED_VEC_I64(&b->cols[0])[k] != x / 2) ||
        (!k1_null(x) && memcmp(ED_VEC_STR(&b->cols[1])[k].ptr, strs[x],
                               strlen(strs[x])) != 0))
      bad_gather++;
  }
  TAP_EQ_INT(bad_gather, 0, "gather writes keys into batch columns");
  ed_batch_free(b);
  ed_ht_clear(ht);
  TAP_EQ_INT(ed_ht_count(ht), 0, "clear empties the table");
  ed_vector_free(&v[0]);
  ed_vector_free(&v[1]);
  ed_ht_free(ht);
}

static void test_nulls_and_doubles(void) {
  EdType t[] = {ED_T_BIGINT, ED_T_DOUBLE};
  EdHashTable *join = ed_ht_new(2, t, false);
  EdValue v[2] = {{.type = ED_T_BIGINT, .u.i = 1},
                  {.type = ED_T_DOUBLE, .is_null = true}};
  bool fresh;
  TAP_OK(ed_ht_insert_values(join, v, &fresh) == ED_HT_NONE && !fresh,
         "join table: a NULL key is not inserted");
  TAP_OK(ed_ht_lookup_values(join, v) == ED_HT_NONE,
         "join table: a NULL key is never found");
  v[1].is_null = false;
  v[1].u.d = 0.0;
  uint32_t id = ed_ht_insert_values(join, v, &fresh);
  v[1].u.d = -0.0;
  TAP_OK(ed_ht_lookup_values(join, v) == id, "-0.0 finds 0.0");
  v[1].u.d = NAN;
  uint32_t nan1 = ed_ht_insert_values(join, v, NULL);
  v[1].u.d = -NAN;
  TAP_OK(ed_ht_lookup_values(join, v) == nan1, "every NaN is one key");
  ed_ht_free(join);

  EdHashTable *grp = ed_ht_new(2, t, true);
  v[0].is_null = true;
  v[1].is_null = true;
  id = ed_ht_insert_values(grp, v, &fresh);
  TAP_OK(id == 0 && fresh, "group table: (NULL, NULL) is a key");
  TAP_OK(ed_ht_insert_values(grp, v, &fresh) == 0 && !fresh,
         "group table: NULL equals NULL");
  v[0].is_null = false;
  v[0].u.i = 0;
  TAP_OK(ed_ht_insert_values(grp, v, &fresh) == 1 && fresh,
         "group table: 0 differs from NULL");
  ed_ht_free(grp);

  EdHashTable *none = ed_ht_new(0, NULL, true);
  uint64_t h[3];
  uint32_t ids[3];
  ed_ht_hash(none, NULL, NULL, 3, h);
  ed_ht_find_or_insert(none, NULL, NULL, 3, h, ids, NULL);
  TAP_OK(ids[0] == 0 && ids[1] == 0 && ids[2] == 0,
         "zero-key table: every row is one group");
  ed_ht_free(none);
}

static void test_rowstore(void) {
  EdType t[] = {ED_T_BIGINT, ED_T_VARCHAR, ED_T_BOOL};
  EdRowStore rs;
  ed_rows_init(&rs, 3, t);
  EdBatch *b = ed_batch_new(3, t);
  char text[ED_BATCH_CAP][12];
  int total = 0;
  for (int round = 0; round < 4; round++) {
    ed_batch_reset(b);
    for (int i = 0; i < ED_BATCH_CAP; i++) {
      int val = round * ED_BATCH_CAP + i;
      ED_VEC_I64(&b->cols[0])[i] = val;
      snprintf(text[i], sizeof text[i], "r%d", val);
      ED_VEC_STR(&b->cols[1])[i] = (EdStr){text[i], (uint32_t)strlen(text[i])};
      ED_VEC_BOOL(&b->cols[2])[i] = val % 2;
      if (val % 5 == 0) ed_vec_set_null(&b->cols[1], i);
    }
    b->nrows = ED_BATCH_CAP;
    /* keep every third row */
    int n = 0;
    for (int i = 0; i < ED_BATCH_CAP; i += 3) b->sel_buf[n++] = (uint16_t)i;
    b->sel = b->sel_buf;
    b->nsel = n;
    EdVector *cols[3] = {&b->cols[0], &b->cols[1], &b->cols[2]};
    uint32_t first = ed_rows_append(&rs, cols, b->sel, n);
    if (round == 0) TAP_EQ_INT(first, 0, "first row id is 0");
    total += n;
    memset(text, 'X', sizeof text);   /* the store must own its copies */
  }
  TAP_EQ_INT(rs.nrows, total, "row count");
  EdBatch *out = ed_batch_new(3, t);
  uint32_t ids[3] = {5, ED_ROW_NONE, (uint32_t)total - 2};
  ed_rows_gather(&rs, ids, 3, 0, 3, out, 0, 0);
  /* row id r came from source value 3 * (r % 683) + 2048 * (r / 683) */
  int per = (ED_BATCH_CAP + 2) / 3;
  int v5 = 3 * 5, vl = 3 * ((total - 2) % per) + ED_BATCH_CAP * 3;
  TAP_EQ_INT(ED_VEC_I64(&out->cols[0])[0], v5, "gathered BIGINT");
  TAP_OK(!ed_vec_valid(&out->cols[1], 0), "gathered NULL string (15 % 5)");
  TAP_OK(!ed_vec_valid(&out->cols[0], 1) && !ed_vec_valid(&out->cols[2], 1),
         "ED_ROW_NONE gathers NULLs");
  char want[16];
  snprintf(want, sizeof want, "r%d", vl);
  EdStr s = ED_VEC_STR(&out->cols[1])[2];
  TAP_OK(ed_vec_valid(&out->cols[1], 2) && s.len == strlen(want) &&
             memcmp(s.ptr, want, s.len) == 0,
         "gathered string copied into the store");
  TAP_EQ_INT(ED_VEC_BOOL(&out->cols[2])[2], vl % 2, "gathered BOOLEAN");
  TAP_OK(ed_rows_bytes(&rs) > 0, "store reports its bytes");
  ed_batch_free(out);
  ed_batch_free(b);
  ed_rows_free(&rs);
}

/* A table keyed by one BIGINT (the layout with keys inline in the slots),
** checked against a direct-mapped reference over keys 0..NK-1 and NULL:
** batch inserts across growth, lookups, single-value forms and their
** hashes, deletes with id reuse, and NULL with and without nulls_equal. */
#define NK 3000
static void test_single_bigint(bool nulls_equal) {
  EdType t = ED_T_BIGINT;
  EdHashTable *ht = ed_ht_new(1, &t, nulls_equal);
  int64_t ref[NK + 1];                  /* key (NK = NULL) -> id, or -1 */
  for (int i = 0; i <= NK; i++) ref[i] = -1;
  EdVector v;
  ed_vector_init(&v, ED_T_BIGINT);
  EdVector *keys[1] = {&v};
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
  int bad = 0, bad_new = 0;
  for (int round = 0; round < 6; round++) {
    int kk[ED_BATCH_CAP];
    for (int r = 0; r < ED_BATCH_CAP; r++) {
      int k = (int)(rnd() % (NK + 1));
      kk[r] = k;
      if (k == NK) ed_vec_set_null(&v, r);
      else {
        ed_vec_set_valid(&v, r);
        ED_VEC_I64(&v)[r] = (int64_t)k * 7919 - 1000000;  /* spread, negative too */
      }
    }
    ed_ht_hash(ht, keys, NULL, ED_BATCH_CAP, hashes);
    ed_ht_find_or_insert(ht, keys, NULL, ED_BATCH_CAP, hashes, ids, is_new);
    for (int r = 0; r < ED_BATCH_CAP; r++) {
      int k = kk[r];
      if (k == NK && !nulls_equal) {
        bad += ids[r] != ED_HT_NONE;
        continue;
      }
      bool expect_new = ref[k] < 0;
      if (expect_new) ref[k] = ids[r];
      bad += (int64_t)ids[r] != ref[k];
      bad_new += is_new[r] != expect_new;
    }
  }
  TAP_EQ_INT(bad, 0, nulls_equal ? "BIGINT key: ids match the reference (NULL a key)"
                                 : "BIGINT key: ids match the reference (NULL never a key)");
  TAP_EQ_INT(bad_new, 0, "BIGINT key: is_new exactly at first sight");
  ed_vector_free(&v);
  /* Keys read back, single-value lookups and hashes agree. */
  int bad_key = 0, bad_hash = 0, live = 0;
  for (int k = 0; k <= NK; k++) {
    if (ref[k] < 0) continue;
    live++;
    EdValue val, got;
    memset(&val, 0, sizeof val);
    val.type = ED_T_BIGINT;
    val.is_null = k == NK;
    val.u.i = (int64_t)k * 7919 - 1000000;
    ed_ht_key(ht, (uint32_t)ref[k], &got);
    bad_key += got.is_null != val.is_null || (!got.is_null && got.u.i != val.u.i);
    bad_key += ed_ht_lookup_values(ht, &val) != (uint32_t)ref[k];
    ed_vector_init(&v, ED_T_BIGINT);
    if (val.is_null) ed_vec_set_null(&v, 0);
    else ED_VEC_I64(&v)[0] = val.u.i;
    uint64_t h;
    ed_ht_hash(ht, keys, NULL, 1, &h);
    bad_hash += h != ed_ht_hash_values(ht, &val);
    ed_vector_free(&v);
  }
  TAP_EQ_INT(bad_key, 0, "BIGINT key: ed_ht_key and lookup_values agree");
  TAP_EQ_INT(bad_hash, 0, "BIGINT key: value hashes equal batch hashes");
  TAP_EQ_INT(ed_ht_count(ht), live, "BIGINT key: count of live keys");
  /* Delete every third key; the others keep their ids, deleted ones are
  ** gone, and inserting them again gives live, distinct ids. */
  int deleted = 0;
  for (int k = 0; k <= NK; k += 3)
    if (ref[k] >= 0) {
      ed_ht_delete(ht, (uint32_t)ref[k]);
      deleted++;
    }
  int bad_del = 0;
  for (int k = 0; k <= NK; k++) {
    if (ref[k] < 0) continue;
    EdValue val;
    memset(&val, 0, sizeof val);
    val.type = ED_T_BIGINT;
    val.is_null = k == NK;
    val.u.i = (int64_t)k * 7919 - 1000000;
    uint32_t id = ed_ht_lookup_values(ht, &val);
    if (k % 3 == 0) {
      bad_del += id != ED_HT_NONE;
      bool nw = false;
      uint32_t nid = ed_ht_insert_values(ht, &val, &nw);
      bad_del += !nw || !ed_ht_live(ht, nid);
      ref[k] = nid;
    } else {
      bad_del += id != (uint32_t)ref[k];
    }
  }
  TAP_EQ_INT(bad_del, 0, "BIGINT key: delete, lookup and re-insert");
  int bad_distinct = 0;
  for (int a = 0; a <= NK; a++)
    for (int b = a + 1; b <= NK && ref[a] >= 0; b++)
      bad_distinct += ref[b] >= 0 && ref[a] == ref[b];
  TAP_EQ_INT(bad_distinct, 0, "BIGINT key: distinct keys have distinct ids");
  TAP_EQ_INT(ed_ht_count(ht), live, "BIGINT key: count after re-insert");
  ed_ht_free(ht);
}

/* A table keyed by one VARCHAR, fed rows whose strings share pointers as
** decoded batches do (equal values kept once), and also overlap: a
** pointer repeated with another length is another string, and equal
** strings at different pointers are one key.  The reference is the text
** itself (content classes found by comparing bytes). */
static void test_single_varchar(bool with_selection) {
  EdType types[] = {ED_T_VARCHAR};
  EdHashTable *ht = ed_ht_new(1, types, true);
  EdVector v;
  ed_vector_init(&v, ED_T_VARCHAR);
  EdVector *vp[1] = {&v};
  /* Two copies of one alphabet: (copy, offset, length) names a string. */
  static const char alpha[] = "abcabcabcabcabcdefgh";
  char copies[2][sizeof alpha];
  memcpy(copies[0], alpha, sizeof alpha);
  memcpy(copies[1], alpha, sizeof alpha);
  enum { NREF = 400 };
  static char ref_text[NREF][24];
  static uint32_t ref_len[NREF];
  static int ref_id[NREF];
  int nref = 0, next_id = 0, bad_id = 0, bad_new = 0, bad_hash = 0;
  int null_id = -1;
  static uint64_t ref_hash[NREF];
  uint64_t hashes[ED_BATCH_CAP];
  uint32_t ids[ED_BATCH_CAP];
  bool is_new[ED_BATCH_CAP];
  uint16_t rows[ED_BATCH_CAP];
  int cls_of[ED_BATCH_CAP];
  for (int round = 0; round < 30; round++) {
    int n = 2000;
    for (int k = 0; k < n; k++) {
      if (rnd() % 37 == 0) {
        ed_vec_set_null(&v, k);
        cls_of[k] = -1;
        continue;
      }
      const char *base = copies[rnd() % 2];
      uint32_t off = (uint32_t)(rnd() % 8), len = (uint32_t)(rnd() % 13);
      ed_vec_set_valid(&v, k);
      ED_VEC_STR(&v)[k] = (EdStr){base + off, len};
      int c = 0;
      while (c < nref && !(ref_len[c] == len &&
                           memcmp(ref_text[c], base + off, len) == 0))
        c++;
      if (c == nref) {
        memcpy(ref_text[c], base + off, len);
        ref_len[c] = len;
        ref_id[c] = -1;
        nref++;
      }
      cls_of[k] = c;
    }
    /* Every third row, when selecting, in increasing order. */
    int m = 0;
    for (int k = 0; k < n; k++)
      if (!with_selection || k % 3 == 0) rows[m++] = (uint16_t)k;
    ed_ht_hash(ht, vp, with_selection ? rows : NULL, m, hashes);
    ed_ht_find_or_insert(ht, vp, with_selection ? rows : NULL, m, hashes,
                         ids, is_new);
    for (int k = 0; k < m; k++) {
      int c = cls_of[rows[k]];
      int *want = c < 0 ? &null_id : &ref_id[c];
      bool fresh = *want < 0;
      if (fresh) {
        *want = next_id++;
        if (c >= 0) ref_hash[c] = hashes[k];
      } else if (c >= 0 && hashes[k] != ref_hash[c]) {
        bad_hash++;
      }
      if ((int)ids[k] != *want) bad_id++;
      if (is_new[k] != fresh) bad_new++;
    }
  }
  const char *what = with_selection ? "one VARCHAR key, selected rows"
                                    : "one VARCHAR key";
  char name[128];
  snprintf(name, sizeof name, "%s: equal texts, equal ids (shared and "
           "overlapping pointers)", what);
  TAP_EQ_INT(bad_id, 0, name);
  snprintf(name, sizeof name, "%s: is_new at first insertion only", what);
  TAP_EQ_INT(bad_new, 0, name);
  snprintf(name, sizeof name, "%s: equal texts, equal hashes", what);
  TAP_EQ_INT(bad_hash, 0, name);
  snprintf(name, sizeof name, "%s: count of distinct keys", what);
  TAP_EQ_INT(ed_ht_count(ht), next_id, name);
  ed_vector_free(&v);
  ed_ht_free(ht);
}

int main(void) {
  for (int x = 0; x < NX; x++) snprintf(strs[x], sizeof strs[x], "str%d", x);
  make_classes();
  test_find_or_insert();
  test_nulls_and_doubles();
  test_rowstore();
  test_single_bigint(true);
  test_single_bigint(false);
  test_single_varchar(false);
  test_single_varchar(true);
  return tap_done();
}
