/*
** sinks/console_sink.c — the named console sink (CREATE SINK ... WITH
** (connector = 'console', num_rows = N, truncate = ...)): Spark's console
** sink, whose batches print as Dataset.show(numRows, truncate) does.
**
** The boxed table itself is the table writer's (sinks/table_writer.c),
** used outside micro-batches: each batch's first num_rows rows are
** written to it and its end() prints them as one table.  This sink adds
** the banner before the table and, when rows were left out, Spark's
** footer "only showing top N rows" after it.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "sinks/named_sink.h"

typedef struct ConsoleSink {
  EdSink base;
  EdSink *table;            /* the boxed-table writer (not streaming) */
  FILE *out;
  int num_rows;
  int64_t batch_rows;       /* rows the running batch has given */
  uint16_t sel[ED_BATCH_CAP];
} ConsoleSink;

/* Copies the table writer's failure into the sink; returns rc. */
static int con_status(ConsoleSink *c, int rc) {
  if (rc)
    snprintf(c->base.errmsg, sizeof c->base.errmsg, "%s",
             c->table->errmsg[0] ? c->table->errmsg : "write error");
  return rc;
}

static int con_begin(EdSink *s, const EdSchema *schema) {
  ConsoleSink *c = (ConsoleSink *)s;
  c->table->streaming = false;
  return con_status(c, c->table->begin(c->table, schema));
}

static int con_begin_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  ((ConsoleSink *)s)->batch_rows = 0;
  return 0;
}

/* Passes on the rows of b that still fit in num_rows. */
static int con_write(EdSink *s, const EdBatch *b) {
  ConsoleSink *c = (ConsoleSink *)s;
  int n = ed_batch_count(b);
  int64_t room = c->num_rows - c->batch_rows;
  c->batch_rows += n;
  if (room <= 0 || n == 0) return 0;
  if (n <= room) {
    s->rows_written += n;
    return con_status(c, c->table->write(c->table, b));
  }
  EdBatch first = *b;       /* the same rows, a shorter selection */
  for (int k = 0; k < room; k++) c->sel[k] = (uint16_t)ed_batch_row(b, k);
  first.sel = c->sel;
  first.nsel = (int)room;
  s->rows_written += room;
  return con_status(c, c->table->write(c->table, &first));
}

/* The banner, the table, the footer when rows were left out, a blank
** line; then everything is flushed. */
static int con_end_batch(EdSink *s, int64_t batch_id) {
  ConsoleSink *c = (ConsoleSink *)s;
  static const char rule[] = "-------------------------------------------\n";
  fputs(rule, c->out);
  fprintf(c->out, "Batch: %lld\n", (long long)batch_id);
  fputs(rule, c->out);
  int rc = con_status(c, c->table->end(c->table));
  if (c->batch_rows > c->num_rows)
    fprintf(c->out, "only showing top %d row%s\n", c->num_rows,
            c->num_rows == 1 ? "" : "s");
  putc('\n', c->out);
  errno = 0;
  if (fflush(c->out) != 0 || ferror(c->out)) {
    snprintf(s->errmsg, sizeof s->errmsg, "write error: %s",
             strerror(errno ? errno : EIO));
    clearerr(c->out);
    return -1;
  }
  return rc;
}

static int con_end(EdSink *s) {
  (void)s;
  return 0;
}

static void con_destroy(EdSink *s) {
  ConsoleSink *c = (ConsoleSink *)s;
  c->table->destroy(c->table);
  free(c);
}

EdSink *ed_sink_console_new(FILE *out, int num_rows, int truncate) {
  ConsoleSink *c = ed_calloc(1, sizeof *c);
  c->base.begin = con_begin;
  c->base.write = con_write;
  c->base.end = con_end;
  c->base.destroy = con_destroy;
  c->base.begin_batch = con_begin_batch;
  c->base.end_batch = con_end_batch;
  c->base.description = "console";
  c->out = out;
  c->num_rows = num_rows < 1 ? 1 : num_rows;
  c->table = ed_sink_table_new(out, truncate);
  return &c->base;
}
