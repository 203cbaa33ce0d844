/*
** common/error.h — errors that carry a position in the SQL text.
**
** Every layer reports failure by filling an EdError and returning -1.  A
** syntax or binding error records the line and column (1-based) of the
** offending token so that the shell can print the statement's line with a
** caret under it.  Execution errors have no position (line == 0).
*/
#ifndef ED_ERROR_H
#define ED_ERROR_H

#include <stdio.h>

/* A position in SQL text.  offset is the byte offset from the start of the
** text that was parsed (the whole script), line/col are 1-based; col counts
** bytes.  A zero line means "no position". */
typedef struct EdPos {
  int offset;
  int line;
  int col;
} EdPos;

typedef enum EdErrKind {
  ED_ERR_NONE = 0,
  ED_ERR_SYNTAX,      /* lexer/parser */
  ED_ERR_BIND,        /* unknown name, type mismatch, invalid construct */
  ED_ERR_PLAN,        /* valid SQL that cannot be planned (output modes...) */
  ED_ERR_EXEC,        /* runtime failure: I/O, bad input in FAILFAST, ... */
  ED_ERR_USAGE        /* bad command-line usage (exit status 2) */
} EdErrKind;

typedef struct EdError {
  EdErrKind kind;
  EdPos pos;          /* pos.line == 0: no position */
  char msg[1024];
} EdError;

/* Sets err (kind, position, printf-style message) and returns -1 so that
** callers can write `return ed_error_set(...)`.  A NULL pos means none.
** If err already holds an error it is overwritten. */
int ed_error_set(EdError *err, EdErrKind kind, const EdPos *pos,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void ed_error_clear(EdError *err);

/* Prints the error to f as
**     Error: <msg>
**       at line L, column C:
**     <the source line>
**         ^
** using sql (the whole text the position refers to) for the source line.
** name, if not NULL, is the script name printed before the line number
** ("queries.sql:3:8").  Without a position only the first line is printed. */
void ed_error_print(FILE *f, const EdError *err, const char *sql,
                    const char *name);

#endif
