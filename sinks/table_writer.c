/*
** sinks/table_writer.c — the boxed table of DESIGN §7, drawn the way
** Spark's Dataset.show() draws it:
**
**     +-----+-----+
**     |value|count|
**     +-----+-----+
**     |   my|    1|
**     +-----+-----+
**
** Every column is at least 3 wide.  With truncate > 0 cells and header are
** right-aligned (padded on the left) and a string longer than truncate
** characters is cut to truncate-3 characters plus "..." (to truncate
** characters when truncate < 4); with truncate == 0 everything is
** left-aligned and nothing is cut.  Only strings are cut: a timestamp or a
** window always prints whole.  NULL prints as "null".  Control characters
** in strings and names are shown escaped ("\n") so that they cannot break
** the box.  Widths are display widths: East Asian full-width characters
** count two columns (Spark's rule), every other character one.
**
** Column widths depend on every row, so rows are rendered to text as they
** arrive (into an arena, no per-row allocation) and the table is printed
** at end().
**
** In a streaming query the writer is Spark's console sink: each
** micro-batch prints
**
**     -------------------------------------------
**     Batch: 3
**     -------------------------------------------
**
** then the table of that batch's rows (only the header box when the batch
** has none) and a blank line, at the end of the batch; end() prints
** nothing more.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "sinks/sink.h"

typedef struct Cell {
  const char *text;
  uint32_t len;       /* bytes */
  uint32_t width;     /* display columns */
} Cell;

typedef struct TableSink {
  EdSink base;
  FILE *out;
  int truncate;
  int ncols;
  EdType *types;
  Cell *header;       /* ncols */
  int *widths;        /* ncols, >= 3 */
  Cell *cells;        /* nrows * ncols, row-major */
  size_t ncells, cells_cap;
  EdArena text;       /* bytes of every cell */
  EdArena names;      /* bytes of the header cells */
  char *scratch;      /* escaping buffer */
  size_t scratch_cap;
  bool batched;       /* a micro-batch was begun: one table per batch */
} TableSink;

/* Decodes the UTF-8 character at s (n > 0 bytes left); returns its length
** and stores the code point (an invalid byte counts as one character). */
static int utf8_char(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned c = s[0];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                         : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || (size_t)len > n) {
    *cp = c;
    return 1;
  }
  uint32_t v = len == 1 ? c : c & (0x7Fu >> len);
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = c;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return len;
}

/* Display columns of a code point: 2 in the full-width ranges Spark's
** Utils.stringHalfWidth lists, else 1. */
static int char_width(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                 (c >= 0xAC00 && c <= 0xD7A3) ||
                 (c >= 0xF900 && c <= 0xFAFF) ||
                 (c >= 0xFE10 && c <= 0xFE19) ||
                 (c >= 0xFE30 && c <= 0xFE6F) ||
                 (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)
             ? 2
             : 1;
}

static uint32_t text_width(const char *s, size_t n) {
  uint32_t w = 0, cp;
  for (size_t i = 0; i < n;) {
    i += (size_t)utf8_char((const unsigned char *)s + i, n - i, &cp);
    w += (uint32_t)char_width(cp);
  }
  return w;
}

/* Escapes the control characters Spark escapes (\n \r \t \f \b \v \a)
** into the sink's scratch buffer; returns the escaped length. */
static size_t escape_meta(TableSink *t, const char *s, size_t n) {
  if (t->scratch_cap < 2 * n + 1) {
    t->scratch_cap = 2 * n + 64;
    t->scratch = ed_realloc(t->scratch, t->scratch_cap);
  }
  char *o = t->scratch;
  for (size_t i = 0; i < n; i++) {
    const char *esc = NULL;
    switch (s[i]) {
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\f': esc = "\\f"; break;
      case '\b': esc = "\\b"; break;
      case '\v': esc = "\\v"; break;
      case '\a': esc = "\\a"; break;
      default: break;
    }
    if (esc) {
      *o++ = esc[0];
      *o++ = esc[1];
    } else {
      *o++ = s[i];
    }
  }
  return (size_t)(o - t->scratch);
}

/* Makes the cell of a string in arena a: escaped, then cut when longer
** than the truncate limit (counted in characters). */
static Cell string_cell(TableSink *t, EdArena *a, const char *s, size_t n,
                        bool cut) {
  size_t len = escape_meta(t, s, n);
  const char *e = t->scratch;
  size_t keep = len;
  const char *dots = "";
  if (cut && t->truncate > 0) {
    size_t chars = 0, i = 0, limit_at = 0;
    int limit = t->truncate < 4 ? t->truncate : t->truncate - 3;
    uint32_t cp;
    while (i < len) {
      if (chars == (size_t)limit) limit_at = i;
      i += (size_t)utf8_char((const unsigned char *)e + i, len - i, &cp);
      chars++;
    }
    if (chars > (size_t)t->truncate) {
      keep = limit_at;
      if (t->truncate >= 4) dots = "...";
    }
  }
  size_t nd = strlen(dots);
  char *p = ed_arena_alloc(a, keep + nd + 1);
  memcpy(p, e, keep);
  memcpy(p + keep, dots, nd);
  Cell c = {p, (uint32_t)(keep + nd), 0};
  c.width = text_width(p, c.len);
  return c;
}

/* Renders row i, column c of b. */
static Cell value_cell(TableSink *t, const EdBatch *b, int c, int i) {
  const EdVector *v = &b->cols[c];
  if (t->types[c] == ED_T_NULL || !ed_vec_valid(v, i))
    return (Cell){"null", 4, 4};
  EdValue val;
  val.type = t->types[c];
  val.is_null = false;
  switch (val.type) {
    case ED_T_VARCHAR: {
      EdStr s = ED_VEC_STR(v)[i];
      return string_cell(t, &t->text, s.ptr, s.len, true);
    }
    case ED_T_BOOL: val.u.b = ED_VEC_BOOL(v)[i] != 0; break;
    case ED_T_DOUBLE: val.u.d = ED_VEC_F64(v)[i]; break;
    case ED_T_WINDOW: val.u.w = ED_VEC_WIN(v)[i]; break;
    default: val.u.i = ED_VEC_I64(v)[i]; break;
  }
  char buf[2 * ED_TS_BUFSZ + 8];
  int n = ed_value_to_text(&val, buf, (int)sizeof buf);
  char *p = ed_arena_alloc(&t->text, (size_t)n);
  memcpy(p, buf, (size_t)n);
  return (Cell){p, (uint32_t)n, (uint32_t)n};
}

/* Column widths before any row: the header's, at least 3. */
static void reset_widths(TableSink *t) {
  for (int c = 0; c < t->ncols; c++)
    t->widths[c] = t->header[c].width < 3 ? 3 : (int)t->header[c].width;
}

/* Records the schema; a sink may be begun again for another result. */
static int table_begin(EdSink *s, const EdSchema *schema) {
  TableSink *t = (TableSink *)s;
  free(t->types);
  free(t->header);
  free(t->widths);
  ed_arena_reset(&t->names);
  ed_arena_reset(&t->text);
  t->ncells = 0;
  t->ncols = schema->ncols;
  t->types = ed_calloc((size_t)t->ncols, sizeof(EdType));
  t->header = ed_calloc((size_t)t->ncols, sizeof(Cell));
  t->widths = ed_calloc((size_t)t->ncols, sizeof(int));
  for (int c = 0; c < t->ncols; c++) {
    const char *name = schema->cols[c].name ? schema->cols[c].name : "";
    t->types[c] = schema->cols[c].type;
    t->header[c] = string_cell(t, &t->names, name, strlen(name), false);
  }
  reset_widths(t);
  return 0;
}

/* Renders the active rows of b into cells and widens the columns. */
static int table_write(EdSink *s, const EdBatch *b) {
  TableSink *t = (TableSink *)s;
  int n = ed_batch_count(b);
  if (n == 0 || t->ncols == 0) {
    s->rows_written += n;
    return 0;
  }
  size_t need = t->ncells + (size_t)n * (size_t)t->ncols;
  if (need > t->cells_cap) {
    while (t->cells_cap < need) t->cells_cap = t->cells_cap * 2 + 1024;
    t->cells = ed_realloc(t->cells, t->cells_cap * sizeof(Cell));
  }
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    for (int c = 0; c < t->ncols; c++) {
      Cell cell = value_cell(t, b, c, i);
      if ((int)cell.width > t->widths[c]) t->widths[c] = (int)cell.width;
      t->cells[t->ncells++] = cell;
    }
  }
  s->rows_written += n;
  return 0;
}

/* Prints a +---+---+ border line. */
static void put_sep(TableSink *t) {
  FILE *f = t->out;
  for (int c = 0; c < t->ncols; c++) {
    putc_unlocked('+', f);
    for (int k = 0; k < t->widths[c]; k++) putc_unlocked('-', f);
  }
  fputs("+\n", f);
}

/* Prints one row of cells, padded to the column widths. */
static void put_row(TableSink *t, const Cell *row) {
  FILE *f = t->out;
  for (int c = 0; c < t->ncols; c++) {
    int pad = t->widths[c] - (int)row[c].width;
    putc_unlocked('|', f);
    if (t->truncate > 0)
      for (int k = 0; k < pad; k++) putc_unlocked(' ', f);
    fwrite(row[c].text, 1, row[c].len, f);
    if (t->truncate <= 0)
      for (int k = 0; k < pad; k++) putc_unlocked(' ', f);
  }
  fputs("|\n", f);
}

/* Flushes; a failed write is reported in errmsg. */
static int table_flush(TableSink *t) {
  if (fflush(t->out) == 0 && !ferror(t->out)) return 0;
  snprintf(t->base.errmsg, sizeof t->base.errmsg, "write error: %s",
           strerror(errno ? errno : EIO));
  clearerr(t->out);
  return -1;
}

/* Prints the whole table and flushes; a failed write is reported.  The
** rows are then forgotten, so that the next rows start a new table. */
static int print_table(TableSink *t) {
  errno = 0;
  put_sep(t);
  put_row(t, t->header);
  put_sep(t);
  for (size_t r = 0; t->ncols && r < t->ncells; r += (size_t)t->ncols)
    put_row(t, t->cells + r);
  put_sep(t);
  t->ncells = 0;
  ed_arena_reset(&t->text);
  reset_widths(t);
  return table_flush(t);
}

/* The end of the result: its table, unless the tables were per batch. */
static int table_end(EdSink *s) {
  TableSink *t = (TableSink *)s;
  errno = 0;
  if (t->batched || s->streaming) return table_flush(t);
  return print_table(t);
}

/* A micro-batch starts: a table of its own. */
static int table_begin_batch(EdSink *s, int64_t batch_id) {
  (void)batch_id;
  TableSink *t = (TableSink *)s;
  t->batched = true;
  t->ncells = 0;
  ed_arena_reset(&t->text);
  reset_widths(t);
  return 0;
}

/* A micro-batch ends: the "Batch: N" banner, its table, a blank line. */
static int table_end_batch(EdSink *s, int64_t batch_id) {
  TableSink *t = (TableSink *)s;
  static const char rule[] = "-------------------------------------------\n";
  fputs(rule, t->out);
  fprintf(t->out, "Batch: %lld\n", (long long)batch_id);
  fputs(rule, t->out);
  int rc = print_table(t);
  putc_unlocked('\n', t->out);
  errno = 0;
  return table_flush(t) < 0 ? -1 : rc;
}

static void table_destroy(EdSink *s) {
  TableSink *t = (TableSink *)s;
  free(t->types);
  free(t->header);
  free(t->widths);
  free(t->cells);
  free(t->scratch);
  ed_arena_free(&t->text);
  ed_arena_free(&t->names);
  free(t);
}

/* Creates the table writer (see sink.h and the comment at the top). */
EdSink *ed_sink_table_new(FILE *out, int truncate) {
  TableSink *t = ed_calloc(1, sizeof *t);
  t->base.begin = table_begin;
  t->base.write = table_write;
  t->base.end = table_end;
  t->base.destroy = table_destroy;
  t->base.begin_batch = table_begin_batch;
  t->base.end_batch = table_end_batch;
  t->base.description = "table";
  t->out = out;
  t->truncate = truncate < 0 ? 0 : truncate;
  ed_arena_init(&t->text, 64 * 1024);
  ed_arena_init(&t->names, 1024);
  return &t->base;
}
