/*
** parser/lexer.h — the hand-written SQL tokenizer.
**
** The lexer turns SQL text into tokens whose codes are the TK_* terminals
** of the Lemon grammar (parser/grammar.h, generated in the build
** directory).  A token is a slice of the input (never copied) with its
** position; literal values and unquoted names are produced later, in the
** parse arena, by the AST constructors.  Whitespace and comments (-- to end
** of line, block comments) are skipped.  Keywords are recognised
** case-insensitively; a quoted identifier ("x" or `x`) is always TK_ID,
** even when its text is a keyword.
**
** Lexical errors (unterminated string, quoted identifier or block comment,
** an unexpected character, a number run into letters) are reported with the
** position of the offending token.
*/
#ifndef ED_LEXER_H
#define ED_LEXER_H

#include <stdbool.h>

#include "common/error.h"

/* One token: text z[0..n) inside the lexed string and its position.
** prev_end is not set by the lexer: the parse driver stores there the end
** offset of the token before a ';' so that a statement's text can be
** delimited without its terminator. */
typedef struct EdToken {
  const char *z;
  int n;
  EdPos pos;
  int prev_end;
} EdToken;

typedef struct EdLexer {
  const char *sql;      /* the whole text, NUL-terminated */
  int off;              /* next byte to read */
  int line;             /* line of sql[off], 1-based */
  int line_start;       /* offset of the first byte of that line */
} EdLexer;

/* Returned by ed_lexer_next() on a lexical error (never a TK_ code). */
#define ED_LEX_ERROR (-1)

/* Kinds of lexical error, for callers (ed_sql_complete) that must tell an
** unfinished construct from a bad one. */
typedef enum EdLexErr {
  ED_LEXERR_NONE = 0,
  ED_LEXERR_UNTERMINATED,   /* string, quoted identifier, block comment */
  ED_LEXERR_BAD             /* unexpected character, malformed number */
} EdLexErr;

/* Starts lexing sql from its beginning. */
void ed_lexer_init(EdLexer *lx, const char *sql);

/* Reads the next token into tok and returns its TK_ code, or 0 at the end
** of the text (tok then holds an empty token at the end position).  On a
** lexical error returns ED_LEX_ERROR, fills err (if not NULL) with a
** message and the error's position, sets *kind (if not NULL), and leaves
** the lexer just past the offending text so that lexing may go on. */
int ed_lexer_next(EdLexer *lx, EdToken *tok, EdError *err, EdLexErr *kind);

/* Returns the keyword token code of z[0..n) (case-insensitive), or TK_ID
** if it is not a keyword. */
int ed_keyword_code(const char *z, int n);

/* Returns the lower-case spelling of keyword token code, or NULL if code
** is not a keyword. */
const char *ed_keyword_text(int code);

/* Returns the position (line, column) of byte offset off in sql, which
** must be at most strlen(sql). */
EdPos ed_pos_at(const char *sql, int off);

#endif
