/*
** sources/src_memory.c — the memory connector as a stream: rows that
** INSERT INTO appends to the stream's EdMemTable, read from the source's
** own position (a row index), so that every query reading the stream sees
** every inserted row exactly once, in insertion order.
**
** The memtable keeps rows in full batches of ED_BATCH_CAP rows (only the
** last one is partly filled), so row r is row r % ED_BATCH_CAP of batch
** r / ED_BATCH_CAP.  Rows are copied out with ed_batch_append; the stored
** batches are never modified.  Replayable: a row index is a stable offset.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "exec/memtable.h"
#include "sources/stream_internal.h"

typedef struct MemSrc {
  EdStreamSource base;
  EdMemTable *mem;
  int64_t pos;          /* next row to deliver */
  int64_t start, end;   /* current micro-batch */
} MemSrc;

/* Takes every row appended since the last batch, up to the limit. */
static int mem_begin(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                     EdError *err) {
  (void)max_files;
  (void)err;
  MemSrc *m = (MemSrc *)s;
  int64_t limit = ed_src_limit(max_rows, s->max_rows_per_trigger);
  m->start = m->pos;
  m->end = m->mem->nrows;
  if (limit > 0 && m->end - m->start > limit) m->end = m->start + limit;
  s->has_data = m->end > m->start;
  return 0;
}

/* Copies rows [pos, end) into out until it is full. */
static int mem_next(EdStreamSource *s, EdBatch *out, EdError *err) {
  (void)err;
  MemSrc *m = (MemSrc *)s;
  assert(!out->sel);
  int appended = 0;
  while (m->pos < m->end && out->nrows < ED_BATCH_CAP) {
    const EdBatch *b = m->mem->batches[m->pos / ED_BATCH_CAP];
    int row = (int)(m->pos % ED_BATCH_CAP);
    int64_t want = m->end - m->pos;
    if (want > b->nrows - row) want = b->nrows - row;
    /* A view of the stored batch that stops at the batch's end row. */
    EdBatch view = *b;
    view.sel = NULL;
    view.nrows = row + (int)want;
    int got = ed_batch_append(out, &view, row, NULL);
    assert(got > 0);
    m->pos += got;
    appended += got;
  }
  s->stats.records += appended;
  return appended;
}

/* Nothing can arrive while the caller waits in the same thread, but an
** INSERT from another thread can: check now and after the sleep. */
static int mem_wait(EdStreamSource *s, int timeout_ms) {
  MemSrc *m = (MemSrc *)s;
  for (int waited = 0;; waited += 10) {
    if (m->mem->nrows > m->pos) return 1;
    int step = ed_src_wait_step(timeout_ms, waited, 10);
    if (step == 0 || !ed_src_sleep_ms(step)) return 0;
  }
}

/* Row indexes of the batch. */
static void mem_offsets(EdStreamSource *s, char *start, char *end,
                        size_t cap) {
  MemSrc *m = (MemSrc *)s;
  snprintf(start, cap, "{\"rows\": %lld}", (long long)m->start);
  snprintf(end, cap, "{\"rows\": %lld}", (long long)m->end);
}

static void mem_destroy(EdStreamSource *s) { free(s); }

static const EdSourceVtab mem_vtab = {mem_begin, mem_next, mem_wait,
                                      mem_offsets, mem_destroy};

/* Opens a reader at row 0 of the stream's memtable. */
EdStreamSource *ed_src_memory_open(const EdTable *t, const EdSrcConf *c,
                                   EdError *err) {
  if (!t->mem) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "memory stream \"%s\" has no row storage", t->name);
    return NULL;
  }
  if (t->mem->schema.ncols != t->schema.ncols) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "memory stream \"%s\": its rows do not have its columns",
                 t->name);
    return NULL;
  }
  MemSrc *m = ed_calloc(1, sizeof *m);
  ed_src_base_init(&m->base, &mem_vtab, t, c);
  m->base.replayable = true;
  m->mem = t->mem;
  snprintf(m->base.description, sizeof m->base.description,
           "MemoryStream[%s]", t->name);
  return &m->base;
}
