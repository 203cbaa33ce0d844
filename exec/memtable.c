/*
** exec/memtable.c — rows of a memory table (see memtable.h).
**
** Rows are kept as full column batches so that a scan can hand them on
** without conversion.  Appending copies values and string bytes into the
** table's own batches (each batch's arena holds its strings), so the
** caller's batch may be reused right after.
*/
#include "exec/memtable.h"

#include <assert.h>
#include <stdlib.h>

EdMemTable *ed_memtable_new(const EdSchema *schema) {
  EdMemTable *m = ed_calloc(1, sizeof *m);
  ed_schema_copy(&m->schema, schema);
  return m;
}

void ed_memtable_free(EdMemTable *m) {
  if (!m) return;
  for (int i = 0; i < m->nbatches; i++) ed_batch_free(m->batches[i]);
  free(m->batches);
  ed_schema_free(&m->schema);
  free(m);
}

/* Returns the last batch if it has room, else a new empty one appended to
** the table. */
static EdBatch *tail_with_room(EdMemTable *m) {
  if (m->nbatches > 0 && m->batches[m->nbatches - 1]->nrows < ED_BATCH_CAP)
    return m->batches[m->nbatches - 1];
  if (m->nbatches == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 8;
    m->batches = ed_realloc(m->batches, sizeof(EdBatch *) * (size_t)m->cap);
  }
  int n = m->schema.ncols;
  EdType types[n > 0 ? n : 1];
  types[0] = ED_T_NULL;   /* defined even with no columns */
  for (int c = 0; c < n; c++) types[c] = m->schema.cols[c].type;
  EdBatch *b = ed_batch_new(n, types);
  m->batches[m->nbatches++] = b;
  return b;
}

void ed_memtable_append(EdMemTable *m, const EdBatch *b) {
  assert(b->ncols == m->schema.ncols);
  int total = ed_batch_count(b);
  int from = 0;
  while (from < total) {
    EdBatch *t = tail_with_room(m);
    int got = ed_batch_append(t, b, from, NULL);
    assert(got > 0);
    from += got;
  }
  m->nrows += total;
}

void ed_memtable_append_row(EdMemTable *m, const EdValue *row) {
  EdBatch *t = tail_with_room(m);
  int i = t->nrows;
  for (int c = 0; c < m->schema.ncols; c++) ed_vector_put(t, c, i, &row[c]);
  t->nrows++;
  m->nrows++;
}

size_t ed_memtable_bytes(const EdMemTable *m) {
  size_t per_row = 0;
  for (int c = 0; c < m->schema.ncols; c++)
    per_row += ed_type_width(m->schema.cols[c].type);
  size_t bytes = sizeof *m + sizeof(EdBatch *) * (size_t)m->cap;
  for (int i = 0; i < m->nbatches; i++)
    bytes += sizeof(EdBatch) + per_row * ED_BATCH_CAP +
             (size_t)m->schema.ncols * ED_VALIDITY_WORDS * sizeof(uint64_t) +
             m->batches[i]->arena.reserved_bytes;
  return bytes;
}
