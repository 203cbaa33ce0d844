/*
** state/rowstore.c — column-wise row storage for operator state (see
** rowstore.h).  Chunks are ordinary batches, so stored rows can be read with
** the same typed views as any batch.
*/
#include "state/rowstore.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ed_rows_init(EdRowStore *rs, int ncols, const EdType *types) {
  memset(rs, 0, sizeof *rs);
  rs->ncols = ncols;
  rs->types = ed_malloc(sizeof(EdType) * (size_t)(ncols ? ncols : 1));
  if (ncols) memcpy(rs->types, types, sizeof(EdType) * (size_t)ncols);
}

void ed_rows_free(EdRowStore *rs) {
  for (int i = 0; i < rs->nchunks; i++) ed_batch_free(rs->chunks[i]);
  free(rs->chunks);
  free(rs->types);
  memset(rs, 0, sizeof *rs);
}

/* Source position of the k-th copied value. */
#define SRC_POS(k) (rows ? rows[k] : off + (k))

/* ed_vec_copy with source positions rows[k], or off + k without rows.
** NULL slots are zeroed rather than copied, so that whatever a producer
** left under a NULL never travels further. */
static void vec_copy(EdVector *dst, int dst_row, const EdVector *src,
                     const uint16_t *rows, int off, int n, EdArena *arena) {
  assert(dst->type == src->type || src->type == ED_T_NULL);
  int d = dst_row;
  switch (src->type) {
    case ED_T_NULL:
      break;
    case ED_T_BOOL:
      for (int k = 0; k < n; k++)
        ED_VEC_BOOL(dst)[d + k] = ED_VEC_BOOL(src)[SRC_POS(k)];
      break;
    case ED_T_DOUBLE:
      for (int k = 0; k < n; k++)
        ED_VEC_F64(dst)[d + k] = ED_VEC_F64(src)[SRC_POS(k)];
      break;
    case ED_T_WINDOW:
      for (int k = 0; k < n; k++)
        ED_VEC_WIN(dst)[d + k] = ED_VEC_WIN(src)[SRC_POS(k)];
      break;
    case ED_T_VARCHAR:
      for (int k = 0; k < n; k++) {
        int p = SRC_POS(k);
        EdStr s = ED_VEC_STR(src)[p];
        if (arena && ed_vec_valid(src, p) && s.len) {
          char *copy = ed_arena_alloc(arena, s.len);
          memcpy(copy, s.ptr, s.len);
          s.ptr = copy;
        }
        ED_VEC_STR(dst)[d + k] = s;
      }
      break;
    default:
      for (int k = 0; k < n; k++)
        ED_VEC_I64(dst)[d + k] = ED_VEC_I64(src)[SRC_POS(k)];
      break;
  }
  size_t w = ed_type_width(dst->type);
  for (int k = 0; k < n; k++) {
    int p = SRC_POS(k);
    if (src->type != ED_T_NULL && ed_vec_valid(src, p)) {
      ed_vec_set_valid(dst, d + k);
    } else {
      ed_vec_set_null(dst, d + k);
      memset((char *)dst->data + w * (size_t)(d + k), 0, w);
    }
  }
}

void ed_vec_copy(EdVector *dst, int dst_row, const EdVector *src,
                 const uint16_t *rows, int n, EdArena *arena) {
  vec_copy(dst, dst_row, src, rows, 0, n, arena);
}

uint32_t ed_rows_append(EdRowStore *rs, EdVector *const *cols,
                        const uint16_t *rows, int n) {
  assert((uint64_t)rs->nrows + (uint64_t)n <= ED_ROWS_MAX);
  uint32_t first = rs->nrows;
  int done = 0;
  while (done < n) {
    int pos = (int)(rs->nrows & ED_ROWS_MASK);
    if (pos == 0 && (int)(rs->nrows >> ED_ROWS_SHIFT) == rs->nchunks) {
      if (rs->nchunks == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 8;
        rs->chunks =
            ed_realloc(rs->chunks, sizeof(EdBatch *) * (size_t)rs->cap);
      }
      rs->chunks[rs->nchunks++] = ed_batch_new(rs->ncols, rs->types);
    }
    EdBatch *chunk = rs->chunks[rs->nrows >> ED_ROWS_SHIFT];
    int take = ED_BATCH_CAP - pos;
    if (take > n - done) take = n - done;
    for (int c = 0; c < rs->ncols; c++)
      vec_copy(&chunk->cols[c], pos, cols[c], rows ? rows + done : NULL,
               done, take, &chunk->arena);
    chunk->nrows = pos + take;
    rs->nrows += (uint32_t)take;
    done += take;
  }
  return first;
}

/* Copies one element of width w (a constant in each caller's instance,
** so the copy compiles to a move). */
static inline void put_elem(void *dst, int p, const void *src, int pos,
                            size_t w) {
  memcpy((char *)dst + w * (size_t)p, (const char *)src + w * (size_t)pos, w);
}

/* Gathers one column; w is the element width. */
static inline void gather_col(const EdRowStore *rs, const uint32_t *ids,
                              int n, int c, EdVector *out, int dst_row,
                              size_t w) {
  bool null_type = rs->types[c] == ED_T_NULL;
  for (int k = 0; k < n; k++) {
    int p = dst_row + k, pos = 0;
    const EdVector *src =
        ids[k] == ED_ROW_NONE ? NULL : ed_rows_vec(rs, ids[k], c, &pos);
    if (!src || null_type || !ed_vec_valid(src, pos)) {
      ed_vec_set_null(out, p);
      memset((char *)out->data + w * (size_t)p, 0, w);
      continue;
    }
    ed_vec_set_valid(out, p);
    put_elem(out->data, p, src->data, pos, w);
  }
}

void ed_rows_gather(const EdRowStore *rs, const uint32_t *ids, int n, int col,
                    int ncols, EdBatch *dst, int dst_col, int dst_row) {
  for (int c = col; c < col + ncols; c++) {
    EdVector *out = &dst->cols[dst_col + c - col];
    switch (ed_type_width(rs->types[c])) {
      case 1: gather_col(rs, ids, n, c, out, dst_row, 1); break;
      case 8: gather_col(rs, ids, n, c, out, dst_row, 8); break;
      case 16: gather_col(rs, ids, n, c, out, dst_row, 16); break;
      default:
        gather_col(rs, ids, n, c, out, dst_row, ed_type_width(rs->types[c]));
    }
  }
}

size_t ed_rows_bytes(const EdRowStore *rs) {
  size_t per_chunk = 0;
  for (int c = 0; c < rs->ncols; c++)
    per_chunk += ed_type_width(rs->types[c]) * ED_BATCH_CAP +
                 ED_VALIDITY_WORDS * sizeof(uint64_t);
  size_t total = per_chunk * (size_t)rs->nchunks;
  for (int i = 0; i < rs->nchunks; i++)
    total += rs->chunks[i]->arena.reserved_bytes;
  return total;
}
