/*
** exec/batch.c — column batches (see batch.h).
**
** A batch is one heap block: the EdBatch header, its EdVector array, the
** selection buffer, then each column's validity words and data array, all
** 16-byte aligned.  One block means one malloc per batch and good locality;
** the only other memory a batch owns is its string arena.
*/
#include "exec/batch.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN16(n) (((n) + 15) & ~(size_t)15)
#define VALIDITY_BYTES (ED_VALIDITY_WORDS * sizeof(uint64_t))

/* First arena block of a batch: enough for short strings of a full batch
** without growing, small enough not to matter for numeric batches. */
#define BATCH_ARENA_BLOCK 16384

size_t ed_type_width(EdType t) {
  switch (t) {
    case ED_T_NULL: return 0;
    case ED_T_BOOL: return sizeof(uint8_t);
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: return sizeof(int64_t);
    case ED_T_DOUBLE: return sizeof(double);
    case ED_T_VARCHAR: return sizeof(EdStr);
    case ED_T_WINDOW: return sizeof(EdWindow);
    case ED_T__COUNT: break;
  }
  assert(0 && "bad type");
  return 0;
}

/* Bytes reserved for a data array of type t.  NULL-typed columns still get
** an array so that a reader that ignores validity reads harmless zeros. */
static size_t data_bytes(EdType t) {
  size_t w = ed_type_width(t);
  return ALIGN16((w ? w : sizeof(int64_t)) * ED_BATCH_CAP);
}

/* A batch serial never handed out before (by any thread). */
static uint64_t next_serial(void) {
  static _Atomic uint64_t counter;
  return atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed) + 1;
}

EdBatch *ed_batch_new(int ncols, const EdType *types) {
  assert(ncols >= 0);
  size_t size = ALIGN16(sizeof(EdVector) * (size_t)ncols) +
                ALIGN16(sizeof(uint16_t) * ED_BATCH_CAP) +
                ALIGN16(sizeof(uint8_t) * ED_BATCH_CAP);
  for (int c = 0; c < ncols; c++) size += VALIDITY_BYTES + data_bytes(types[c]);
  /* Zeroed: values under NULL slots are read (never used) by branch-free
  ** kernels, and must not be uninitialized memory.  The struct is apart
  ** from its storage, so that ed_batch_swap can trade storage between two
  ** structs. */
  char *p = ed_calloc(1, size);   /* malloc aligns to 16 on our targets */
  EdBatch *b = ed_calloc(1, sizeof *b);
  b->storage = p;
  b->ncols = ncols;
  b->cols = (EdVector *)p;
  p += ALIGN16(sizeof(EdVector) * (size_t)ncols);
  b->sel_buf = (uint16_t *)p;
  p += ALIGN16(sizeof(uint16_t) * ED_BATCH_CAP);
  b->ops_buf = (uint8_t *)p;
  p += ALIGN16(sizeof(uint8_t) * ED_BATCH_CAP);
  for (int c = 0; c < ncols; c++) {
    EdVector *v = &b->cols[c];
    v->type = types[c];
    v->validity = (uint64_t *)p;
    p += VALIDITY_BYTES;
    v->data = p;
    p += data_bytes(types[c]);
    memset(v->validity, 0xff, VALIDITY_BYTES);
  }
  ed_arena_init(&b->arena, BATCH_ARENA_BLOCK);
  b->serial = next_serial();
  return b;
}

void ed_batch_reset(EdBatch *b) {
  for (int c = 0; c < b->ncols; c++)
    memset(b->cols[c].validity, 0xff, VALIDITY_BYTES);
  b->nrows = 0;
  b->sel = NULL;
  b->nsel = 0;
  b->ops = NULL;
  ed_arena_reset(&b->arena);
  b->serial = next_serial();
}

const char *ed_row_op_name(EdRowOp op) {
  static const char *const names[] = {"+I", "-U", "+U", "-D"};
  assert(op <= ED_ROW_DELETE);
  return names[op];
}

void ed_batch_free(EdBatch *b) {
  if (!b) return;
  ed_arena_free(&b->arena);
  free(b->storage);
  free(b);
}

void ed_batch_swap(EdBatch *a, EdBatch *b) {
  assert(a->ncols == b->ncols);
  EdBatch t = *a;
  *a = *b;
  *b = t;
}

void ed_vector_init(EdVector *v, EdType t) {
  v->type = t;
  v->validity = ed_malloc(VALIDITY_BYTES);
  memset(v->validity, 0xff, VALIDITY_BYTES);
  v->data = ed_calloc(1, data_bytes(t));
}

void ed_vector_free(EdVector *v) {
  free(v->validity);
  free(v->data);
  v->validity = NULL;
  v->data = NULL;
}

void ed_batch_get(const EdBatch *b, int c, int i, EdValue *out) {
  assert(c >= 0 && c < b->ncols && i >= 0 && i < ED_BATCH_CAP);
  const EdVector *v = &b->cols[c];
  memset(out, 0, sizeof *out);
  out->type = v->type;
  out->is_null = v->type == ED_T_NULL || !ed_vec_valid(v, i);
  if (out->is_null) return;
  switch (v->type) {
    case ED_T_BOOL: out->u.b = ED_VEC_BOOL(v)[i] != 0; break;
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: out->u.i = ED_VEC_I64(v)[i]; break;
    case ED_T_DOUBLE: out->u.d = ED_VEC_F64(v)[i]; break;
    case ED_T_VARCHAR: out->u.s = ED_VEC_STR(v)[i]; break;
    case ED_T_WINDOW: out->u.w = ED_VEC_WIN(v)[i]; break;
    default: assert(0);
  }
}

/* Copies a string's bytes into arena a (an empty string needs no bytes). */
static EdStr str_copy(EdArena *a, EdStr s) {
  EdStr r = {"", s.len};
  if (s.len) {
    char *p = ed_arena_alloc(a, s.len);
    memcpy(p, s.ptr, s.len);
    r.ptr = p;
  }
  return r;
}

void ed_vector_put(EdBatch *b, int c, int i, const EdValue *v) {
  assert(c >= 0 && c < b->ncols && i >= 0 && i < ED_BATCH_CAP);
  EdVector *vec = &b->cols[c];
  if (v->is_null || v->type == ED_T_NULL || vec->type == ED_T_NULL) {
    ed_vec_set_null(vec, i);
    return;
  }
  assert(v->type == vec->type);
  ed_vec_set_valid(vec, i);
  switch (vec->type) {
    case ED_T_BOOL: ED_VEC_BOOL(vec)[i] = v->u.b ? 1 : 0; break;
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: ED_VEC_I64(vec)[i] = v->u.i; break;
    case ED_T_DOUBLE: ED_VEC_F64(vec)[i] = v->u.d; break;
    case ED_T_VARCHAR: ED_VEC_STR(vec)[i] = str_copy(&b->arena, v->u.s); break;
    case ED_T_WINDOW: ED_VEC_WIN(vec)[i] = v->u.w; break;
    default: assert(0);
  }
}

/* Copies validity bit s of src to bit d of dst. */
static inline void bit_copy(uint64_t *dst, int d, const uint64_t *src, int s) {
  uint64_t bit = (src[s >> 6] >> (s & 63)) & 1;
  dst[d >> 6] = (dst[d >> 6] & ~((uint64_t)1 << (d & 63))) | (bit << (d & 63));
}

/* Copies the bytes of strings s[first..first+m) into arena a with one
** allocation for all of them, and points the strings at the copies.  NULL
** rows are skipped. */
static void strings_to_arena(EdArena *a, EdStr *s, const uint64_t *valid,
                             int first, int m) {
  size_t total = 0;
  for (int k = 0; k < m; k++) {
    int i = first + k;
    if ((valid[i >> 6] >> (i & 63)) & 1) total += s[i].len;
  }
  if (total == 0) return;
  char *p = ed_arena_alloc(a, total);
  for (int k = 0; k < m; k++) {
    int i = first + k;
    if (!((valid[i >> 6] >> (i & 63)) & 1) || s[i].len == 0) continue;
    memcpy(p, s[i].ptr, s[i].len);
    s[i].ptr = p;
    p += s[i].len;
  }
}

/* Carries the change kinds of m active rows of src (from the from-th) to
** dst's rows base.. ; rows without ops are inserts. */
static void copy_ops(EdBatch *dst, const EdBatch *src, int base, int from,
                     int m) {
  if (!dst->ops) {
    dst->ops = dst->ops_buf;
    memset(dst->ops, ED_ROW_INSERT, (size_t)base);
  }
  for (int k = 0; k < m; k++)
    dst->ops[base + k] =
        src->ops ? src->ops[ed_batch_row(src, from + k)] : ED_ROW_INSERT;
}

int ed_batch_append(EdBatch *dst, const EdBatch *src, int from_active,
                    int *consumed) {
  assert(!dst->sel);
  assert(dst->ncols == src->ncols);
  int total = ed_batch_count(src) - from_active;
  int room = ED_BATCH_CAP - dst->nrows;
  int m = total < room ? total : room;
  if (m < 0) m = 0;
  int base = dst->nrows;
  for (int c = 0; c < dst->ncols; c++) {
    EdVector *dv = &dst->cols[c];
    const EdVector *sv = &src->cols[c];
    assert(dv->type == sv->type || sv->type == ED_T_NULL);
    size_t w = ed_type_width(dv->type);
    if (sv->type == ED_T_NULL) {
      for (int k = 0; k < m; k++) ed_vec_set_null(dv, base + k);
      continue;
    }
    if (!src->sel) {
      memcpy((char *)dv->data + (size_t)base * w,
             (const char *)sv->data + (size_t)from_active * w, (size_t)m * w);
      for (int k = 0; k < m; k++)
        bit_copy(dv->validity, base + k, sv->validity, from_active + k);
    } else {
      const uint16_t *sel = src->sel + from_active;
      char *d = (char *)dv->data + (size_t)base * w;
      const char *s = sv->data;
      switch (w) {
        case 1:
          for (int k = 0; k < m; k++) ((uint8_t *)d)[k] = ((const uint8_t *)s)[sel[k]];
          break;
        case 8:
          for (int k = 0; k < m; k++) ((int64_t *)d)[k] = ((const int64_t *)s)[sel[k]];
          break;
        default:
          for (int k = 0; k < m; k++) memcpy(d + (size_t)k * w, s + (size_t)sel[k] * w, w);
      }
      for (int k = 0; k < m; k++)
        bit_copy(dv->validity, base + k, sv->validity, sel[k]);
    }
    if (dv->type == ED_T_VARCHAR)
      strings_to_arena(&dst->arena, ED_VEC_STR(dv), dv->validity, base, m);
  }
  if (src->ops || dst->ops) copy_ops(dst, src, base, from_active, m);
  dst->nrows += m;
  if (consumed) *consumed = m;
  return m;
}

void ed_batch_compact(EdBatch *b) {
  if (!b->sel) return;
  const uint16_t *sel = b->sel;
  int n = b->nsel;
  /* sel is increasing, so sel[k] >= k: moving row sel[k] down to k never
  ** overwrites a row that is still to be moved. */
  for (int c = 0; c < b->ncols; c++) {
    EdVector *v = &b->cols[c];
    size_t w = ed_type_width(v->type);
    char *d = v->data;
    switch (w) {
      case 0: break;
      case 1:
        for (int k = 0; k < n; k++) ((uint8_t *)d)[k] = ((uint8_t *)d)[sel[k]];
        break;
      case 8:
        for (int k = 0; k < n; k++) ((int64_t *)d)[k] = ((int64_t *)d)[sel[k]];
        break;
      default:
        for (int k = 0; k < n; k++)
          if (sel[k] != k) memcpy(d + (size_t)k * w, d + (size_t)sel[k] * w, w);
    }
    for (int k = 0; k < n; k++) bit_copy(v->validity, k, v->validity, sel[k]);
  }
  if (b->ops)
    for (int k = 0; k < n; k++) b->ops[k] = b->ops[sel[k]];
  b->nrows = n;
  b->sel = NULL;
  b->nsel = 0;
}
