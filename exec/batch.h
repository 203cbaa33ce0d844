/*
** exec/batch.h — column batches, the unit of data flow in eddy.
**
** A batch holds up to ED_BATCH_CAP rows as one typed vector per column.
** Each vector has a validity bitmap (bit set = value present, clear = NULL)
** and a data array whose element type follows the column type:
**
**     BOOL       uint8_t (0/1)        TIMESTAMP, INTERVAL  int64_t
**     BIGINT     int64_t              VARCHAR              EdStr
**     DOUBLE     double               WINDOW               EdWindow
**
** Strings point into the batch's arena (or into memory that outlives the
** batch, such as an input buffer that the producer keeps alive during push).
** A selection vector, when present, lists the positions of the active rows
** in increasing order; rows not listed are filtered out and must be ignored.
**
** Lifetime rule: a batch and everything its strings point to are valid only
** for the duration of the push() call that hands it over.  An operator that
** keeps rows (sort, aggregation, join build side, memory tables) copies the
** values it needs into its own storage.
*/
#ifndef ED_BATCH_H
#define ED_BATCH_H

#include "common/arena.h"
#include "common/types.h"

#define ED_BATCH_CAP 2048
#define ED_VALIDITY_WORDS (ED_BATCH_CAP / 64)

typedef struct EdVector {
  EdType type;
  uint64_t *validity;   /* ED_VALIDITY_WORDS words, bit i = row i not NULL */
  void *data;           /* ED_BATCH_CAP elements of the type's C type */
} EdVector;

/* Kinds of change in a changelog (EMIT CHANGES), written +I -U +U -D. */
typedef enum EdRowOp { ED_ROW_INSERT = 0, ED_ROW_UPDATE_BEFORE,
                       ED_ROW_UPDATE_AFTER, ED_ROW_DELETE } EdRowOp;

/* The changelog spelling of a row op ("+I", "-U", "+U", "-D"). */
const char *ed_row_op_name(EdRowOp op);

typedef struct EdBatch {
  int ncols;
  int nrows;            /* physical rows 0..nrows-1 */
  uint16_t *sel;        /* NULL: every row is active; else sel[0..nsel) */
  int nsel;
  EdVector *cols;
  uint16_t *sel_buf;    /* storage for sel, ED_BATCH_CAP entries */
  uint8_t *ops;         /* change kind per physical row (EdRowOp), or NULL
                           when every row is an insert.  Set by a streaming
                           aggregation in CHANGES mode; operators that keep
                           row positions pass the pointer on, operators
                           that build rows from input rows carry each row's
                           op with it. */
  uint8_t *ops_buf;     /* storage for ops, ED_BATCH_CAP entries */
  EdArena arena;        /* string bytes produced into this batch */
  void *storage;        /* the one block holding vectors and buffers */
  uint64_t serial;      /* differs after every reset: names the contents
                           and arena, for caches of pointers into them */
} EdBatch;

/* Typed views of a vector's data. */
#define ED_VEC_BOOL(v) ((uint8_t *)(v)->data)
#define ED_VEC_I64(v) ((int64_t *)(v)->data)
#define ED_VEC_F64(v) ((double *)(v)->data)
#define ED_VEC_STR(v) ((EdStr *)(v)->data)
#define ED_VEC_WIN(v) ((EdWindow *)(v)->data)

static inline bool ed_vec_valid(const EdVector *v, int i) {
  return (v->validity[i >> 6] >> (i & 63)) & 1;
}
static inline void ed_vec_set_valid(EdVector *v, int i) {
  v->validity[i >> 6] |= (uint64_t)1 << (i & 63);
}
static inline void ed_vec_set_null(EdVector *v, int i) {
  v->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

/* Number of active rows, and the physical position of the k-th one. */
static inline int ed_batch_count(const EdBatch *b) {
  return b->sel ? b->nsel : b->nrows;
}
static inline int ed_batch_row(const EdBatch *b, int k) {
  return b->sel ? b->sel[k] : k;
}

/* Allocates a batch with ncols columns of the given types, capacity
** ED_BATCH_CAP, zero rows, no selection, all-valid bitmaps. */
EdBatch *ed_batch_new(int ncols, const EdType *types);

/* Empties the batch for reuse: nrows = 0, no selection, validity all set,
** arena reset, a new serial.  Column types stay. */
void ed_batch_reset(EdBatch *b);

void ed_batch_free(EdBatch *b);

/* Exchanges the contents (rows, storage, arena) of two batches with the
** same column types: a decoded batch changes hands without a copy. */
void ed_batch_swap(EdBatch *a, EdBatch *b);

/* Allocates a standalone vector of type t with ED_BATCH_CAP entries, all
** valid; ed_vector_free releases its arrays (not v itself). */
void ed_vector_init(EdVector *v, EdType t);
void ed_vector_free(EdVector *v);

/* Byte size of one element of a vector of type t (0 for ED_T_NULL). */
size_t ed_type_width(EdType t);

/* Reads row i of column c as a value.  Strings are not copied. */
void ed_batch_get(const EdBatch *b, int c, int i, EdValue *out);

/* Writes v into row i of column c, converting nothing (v->type must match
** the column type unless v is NULL).  Strings are copied into the batch
** arena. */
void ed_vector_put(EdBatch *b, int c, int i, const EdValue *v);

/* Appends the active rows of src (all columns, same types) to dst starting
** at dst->nrows, copying strings into dst's arena.  Returns the number of
** rows copied, which is less than the active count when dst fills up;
** *consumed (if not NULL) receives how many active rows of src were taken.
** dst must have no selection. */
int ed_batch_append(EdBatch *dst, const EdBatch *src, int from_active,
                    int *consumed);

/* Removes the selection by moving active rows to positions 0..n-1. */
void ed_batch_compact(EdBatch *b);

#endif
