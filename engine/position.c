/*
** engine/position.c — finding names inside a statement's text.
**
** The AST records the position of each statement and expression but not of
** every name in it (the table name of CREATE, the target of INSERT, the
** setting of SET).  An error about such a name should still put its caret
** under the name, so this file re-scans the statement's text with a small
** tokenizer that knows SQL's comments, strings and quoted identifiers and
** returns the position of the token.
*/
#include "engine/engine.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

EdPos ed_sql_pos(const char *sql, int off) {
  EdPos p = {.offset = off, .line = 1, .col = 1};
  for (int i = 0; i < off && sql[i]; i++) {
    if (sql[i] == '\n') {
      p.line++;
      p.col = 1;
    } else {
      p.col++;
    }
  }
  return p;
}

/* A token of the scan: [start, end) in the text; quoted says whether it
** was a "quoted identifier" (then [start, end) excludes the quotes). */
typedef struct Tok {
  int start, end;
  bool ident;
  bool quoted;
} Tok;

static bool is_ident_char(unsigned char c) {
  return isalnum(c) || c == '_' || c >= 0x80;
}

/* Reads the token at or after *i, not past limit.  Returns false at the
** end.  Comments and whitespace are skipped; strings are one token. */
static bool next_tok(const char *sql, int *i, int limit, Tok *t) {
  int p = *i;
  for (;;) {
    while (p < limit && isspace((unsigned char)sql[p])) p++;
    if (p + 1 < limit && sql[p] == '-' && sql[p + 1] == '-') {
      while (p < limit && sql[p] != '\n') p++;
      continue;
    }
    if (p + 1 < limit && sql[p] == '/' && sql[p + 1] == '*') {
      p += 2;
      while (p + 1 < limit && !(sql[p] == '*' && sql[p + 1] == '/')) p++;
      p = p + 2 < limit ? p + 2 : limit;
      continue;
    }
    break;
  }
  if (p >= limit) return false;
  memset(t, 0, sizeof *t);
  unsigned char c = (unsigned char)sql[p];
  if (c == '\'' || c == '"' || c == '`') {
    int q = p + 1;
    while (q < limit) {
      if (sql[q] == (char)c) {
        if (q + 1 < limit && sql[q + 1] == (char)c) {
          q += 2;
          continue;
        }
        break;
      }
      q++;
    }
    t->start = p + 1;
    t->end = q;
    t->ident = c != '\'';
    t->quoted = true;
    *i = q < limit ? q + 1 : limit;
    return true;
  }
  if (is_ident_char(c)) {
    int q = p;
    while (q < limit && is_ident_char((unsigned char)sql[q])) q++;
    t->start = p;
    t->end = q;
    t->ident = !isdigit(c);
    *i = q;
    return true;
  }
  t->start = p;
  t->end = p + 1;
  *i = p + 1;
  return true;
}

static bool tok_equals(const char *sql, const Tok *t, const char *name) {
  size_t n = strlen(name);
  if ((size_t)(t->end - t->start) != n) return false;
  if (t->quoted) return memcmp(sql + t->start, name, n) == 0;
  return strncasecmp(sql + t->start, name, n) == 0;
}

EdPos ed_stmt_ident_pos(const char *sql, const EdAstStmt *st, int from,
                        const char *name) {
  int i = from > st->start_offset ? from : st->start_offset;
  int limit = st->end_offset;
  Tok t;
  if (name) {
    while (next_tok(sql, &i, limit, &t)) {
      if (t.ident && tok_equals(sql, &t, name)) {
        EdPos p = ed_sql_pos(sql, t.quoted ? t.start - 1 : t.start);
        return p;
      }
    }
  }
  return st->pos;
}

int ed_stmt_keyword_end(const char *sql, const EdAstStmt *st, int from,
                        const char *kw) {
  int i = from > st->start_offset ? from : st->start_offset;
  Tok t;
  while (next_tok(sql, &i, st->end_offset, &t)) {
    if (t.ident && !t.quoted && tok_equals(sql, &t, kw)) return t.end;
  }
  return -1;
}
