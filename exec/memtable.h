/*
** exec/memtable.h — rows of a table held in memory, as column batches.
**
** The memory connector's storage: INSERT appends (copying values, strings
** into the table's own arenas), a scan pushes the stored batches in
** insertion order.  Each stored batch is full (ED_BATCH_CAP rows) except the
** last.
*/
#ifndef ED_MEMTABLE_H
#define ED_MEMTABLE_H

#include "exec/operator.h"
#include "planner/catalog.h"

struct EdMemTable {
  EdSchema schema;          /* copy of the table's schema */
  int nbatches, cap;
  EdBatch **batches;
  int64_t nrows;
};

EdMemTable *ed_memtable_new(const EdSchema *schema);
void ed_memtable_free(EdMemTable *m);

/* Appends the active rows of b (same column types as the table). */
void ed_memtable_append(EdMemTable *m, const EdBatch *b);

/* Appends one row of values (already of the column types, or NULL). */
void ed_memtable_append_row(EdMemTable *m, const EdValue *row);

/* Approximate bytes held. */
size_t ed_memtable_bytes(const EdMemTable *m);

#endif
