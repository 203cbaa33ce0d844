/*
** state/rowstore.h — rows kept as operator state, stored column-wise.
**
** The build side of a join, the input of a sort and similar state are kept
** as a list of full column batches ("chunks") of ED_BATCH_CAP rows; strings
** are copied once into the chunk's arena.  A row is named by a 32-bit id
** (chunk * ED_BATCH_CAP + position), assigned consecutively from 0, so the
** owner can keep per-row links (join chains, sort permutations) in plain
** arrays.  Reading rows back (ed_rows_gather) copies values column-wise into
** an output batch; strings are not copied again and stay valid as long as
** the store.
*/
#ifndef ED_ROWSTORE_H
#define ED_ROWSTORE_H

#include <stdint.h>

#include "exec/batch.h"

#define ED_ROW_NONE UINT32_MAX
#define ED_ROWS_SHIFT 11
#define ED_ROWS_MASK (ED_BATCH_CAP - 1)
_Static_assert(ED_BATCH_CAP == 1 << ED_ROWS_SHIFT, "chunk size");

typedef struct EdRowStore {
  int ncols;
  EdType *types;
  int nchunks, cap;
  EdBatch **chunks;
  uint32_t nrows;
} EdRowStore;

/* Initializes an empty store of ncols columns of the given types. */
void ed_rows_init(EdRowStore *rs, int ncols, const EdType *types);
void ed_rows_free(EdRowStore *rs);

/* Largest number of rows a store can hold. */
#define ED_ROWS_MAX (UINT32_MAX - ED_BATCH_CAP)

/* Appends n rows: row k takes, for every column c, the value at physical
** position rows[k] (rows NULL: k) of cols[c], whose type must be the
** store's column type.  Strings are copied into the store.  Returns the id
** of the first appended row; the others follow consecutively.  The caller
** checks nrows + n <= ED_ROWS_MAX beforehand. */
uint32_t ed_rows_append(EdRowStore *rs, EdVector *const *cols,
                        const uint16_t *rows, int n);

/* The vector holding column c of row id, and the row's position in it. */
static inline EdVector *ed_rows_vec(const EdRowStore *rs, uint32_t id, int c,
                                    int *pos) {
  *pos = (int)(id & ED_ROWS_MASK);
  return &rs->chunks[id >> ED_ROWS_SHIFT]->cols[c];
}

/* Writes columns [col, col + ncols) of rows ids[0..n) into columns
** [dst_col, dst_col + ncols) of dst at rows dst_row .. dst_row + n - 1.
** An id of ED_ROW_NONE writes NULLs.  Strings point into the store.  Does
** not change dst->nrows. */
void ed_rows_gather(const EdRowStore *rs, const uint32_t *ids, int n, int col,
                    int ncols, EdBatch *dst, int dst_col, int dst_row);

/* Copies src's values at positions rows[0..n) (rows NULL: 0..n-1) into dst
** at positions dst_row .. dst_row + n - 1 (same type).  Strings are copied
** into arena, or shared when arena is NULL. */
void ed_vec_copy(EdVector *dst, int dst_row, const EdVector *src,
                 const uint16_t *rows, int n, EdArena *arena);

/* Bytes held by the store. */
size_t ed_rows_bytes(const EdRowStore *rs);

#endif
