/*
** planner/sqltext.c — finding words in SQL text, for the few error
** positions the AST does not keep (the EMIT clause, the column of a FROM
** ... WATERMARK clause).
**
** The cursor walks words (identifiers, keywords, quoted names) and skips
** string literals, comments, numbers and punctuation, tracking line,
** column and parenthesis depth the way the lexer counts them (1-based,
** columns in bytes).  It stops at a ';' outside parentheses: a position
** is only ever looked for inside the statement being planned.
*/
#include <string.h>
#include <strings.h>

#include "planner/planner_int.h"

/* Characters of an unquoted word (UTF-8 bytes included, as the lexer). */
static bool is_word_char(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
         (ch >= '0' && ch <= '9') || ch == '_' || (unsigned char)ch >= 0x80;
}

void ed_sql_cursor_init(EdSqlCursor *c, const char *sql, EdPos from) {
  c->sql = sql;
  c->pos = from;
  c->depth = 0;
}

/* Advances c over n bytes. */
static void advance(EdSqlCursor *c, int n) {
  for (int i = 0; i < n && c->sql[c->pos.offset]; i++) {
    if (c->sql[c->pos.offset] == '\n') {
      c->pos.line++;
      c->pos.col = 1;
    } else {
      c->pos.col++;
    }
    c->pos.offset++;
  }
}

/* Length of the quoted run at s (quote doubled inside), quotes included. */
static int quoted_len(const char *s) {
  char q = s[0];
  int n = 1;
  while (s[n]) {
    if (s[n] == q && s[n + 1] == q) n += 2;
    else if (s[n] == q) return n + 1;
    else n++;
  }
  return n;
}

int ed_sql_next_word(EdSqlCursor *c, EdPos *pos, const char **word) {
  if (!c->sql || c->pos.line == 0) return 0;
  for (;;) {
    const char *s = c->sql + c->pos.offset;
    if (!*s || (*s == ';' && c->depth == 0)) return 0;
    if (s[0] == '-' && s[1] == '-') {
      int n = 0;
      while (s[n] && s[n] != '\n') n++;
      advance(c, n);
    } else if (s[0] == '/' && s[1] == '*') {
      const char *e = strstr(s + 2, "*/");
      advance(c, e ? (int)(e - s) + 2 : (int)strlen(s));
    } else if (*s == '\'') {
      advance(c, quoted_len(s));
    } else if (*s == '(' || *s == ')') {
      c->depth += *s == '(' ? 1 : -1;
      advance(c, 1);
    } else if (*s == '"' || *s == '`' ||
               (is_word_char(*s) && !(*s >= '0' && *s <= '9'))) {
      int n = 0;
      if (*s == '"' || *s == '`') n = quoted_len(s);
      else
        while (is_word_char(s[n])) n++;
      *pos = c->pos;
      *word = s;
      advance(c, n);
      return n;
    } else if (*s >= '0' && *s <= '9') {
      int n = 0;
      while (is_word_char(s[n]) || s[n] == '.') n++;
      advance(c, n);
    } else {
      advance(c, 1);
    }
  }
}

bool ed_sql_word_is(const char *word, int n, const char *kw) {
  return n == (int)strlen(kw) && strncasecmp(word, kw, (size_t)n) == 0;
}
