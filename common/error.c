/*
** common/error.c — filling and printing EdError (see error.h).
*/
#include "common/error.h"

#include <stdarg.h>
#include <string.h>

int ed_error_set(EdError *err, EdErrKind kind, const EdPos *pos,
                 const char *fmt, ...) {
  if (!err) return -1;
  err->kind = kind;
  if (pos) err->pos = *pos;
  else memset(&err->pos, 0, sizeof err->pos);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return -1;
}

void ed_error_clear(EdError *err) {
  memset(err, 0, sizeof *err);
}

/* Prints the source line holding offset, and a caret under column col.
** Tabs in the prefix are kept so that the caret lines up in a terminal. */
static void print_caret(FILE *f, const char *sql, int offset, int col) {
  int len = (int)strlen(sql);
  if (offset > len) offset = len;
  int start = offset;
  while (start > 0 && sql[start - 1] != '\n') start--;
  int end = offset;
  while (end < len && sql[end] != '\n') end++;
  fprintf(f, "  %.*s\n  ", end - start, sql + start);
  for (int i = start; i < start + col - 1 && i < end; i++)
    fputc(sql[i] == '\t' ? '\t' : ' ', f);
  fputs("^\n", f);
}

void ed_error_print(FILE *f, const EdError *err, const char *sql,
                    const char *name) {
  if (err->pos.line > 0) {
    if (name)
      fprintf(f, "Error: %s:%d:%d: %s\n", name, err->pos.line, err->pos.col,
              err->msg);
    else
      fprintf(f, "Error: line %d, column %d: %s\n", err->pos.line,
              err->pos.col, err->msg);
    if (sql) print_caret(f, sql, err->pos.offset, err->pos.col);
  } else {
    fprintf(f, "Error: %s\n", err->msg);
  }
}
