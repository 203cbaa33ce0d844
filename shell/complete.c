/*
** shell/complete.c — what Tab completes in the interactive shell.
**
** The word before the cursor is matched, ignoring case, against the SQL
** keywords, the names of the catalog's objects and of their columns (and
** of the result columns of memory sinks), the names of running queries,
** and, on a line that starts with '.', the dot-commands.  A keyword is
** offered in the case of the word typed so far (sel -> select).
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "engine/session.h"
#include "shell/shell.h"

static const char *const keywords[] = {
    "ADD", "ALL", "ANALYZE", "AND", "APPEND", "AS", "ASC", "AVAILABLE",
    "BETWEEN", "BIGINT", "BOOLEAN", "BY", "CASE", "CAST", "CHANGES",
    "COMPLETE", "CREATE", "CROSS", "DELAY", "DESC", "DISTINCT", "DOUBLE",
    "DROP", "ELSE", "EMIT", "END", "EXCEPT", "EXISTS", "EXPLAIN", "FALSE",
    "FOR", "FROM", "GROUP", "HAVING", "IF", "IN", "INDEX", "INNER", "INSERT",
    "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT",
    "NOT", "NOW", "NULL", "OF", "OFFSET", "ON", "ONCE", "OR", "ORDER",
    "PROCESSING", "QUERIES", "QUERY", "SELECT", "SESSION_WINDOW", "SET",
    "SHOW", "SINK", "SINKS", "STOP", "STREAM", "STREAMS", "TABLE", "TABLES",
    "THEN", "TIME", "TIMESTAMP", "TRIGGER", "TRUE", "UNION", "UPDATE",
    "USING", "VALUES", "VARCHAR", "WATERMARK", "WHEN", "WHERE", "WINDOW",
    "WITH", "avg", "coalesce", "count", "date_trunc", "explode", "lower",
    "max", "min", "split", "sum", "to_timestamp", "upper", NULL};

static const char *const dot_commands[] = {
    ".exit", ".help", ".mode", ".output", ".print", ".progress", ".queries",
    ".quit", ".read", ".schema", ".stop", ".tables", ".timer", NULL};

/* A growing list of candidate strings. */
typedef struct Cands {
  char **v;
  int n, cap;
} Cands;

/* Adds text (len bytes) when it starts with word, ignoring case. */
static void add(Cands *c, const char *word, const char *text, bool lower) {
  size_t w = strlen(word);
  if (strncasecmp(text, word, w) != 0 || strlen(text) == w) return;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 32;
    c->v = ed_realloc(c->v, sizeof *c->v * (size_t)c->cap);
  }
  char *s = ed_strdup(text);
  if (lower)
    for (char *p = s; *p; p++) *p = (char)tolower((unsigned char)*p);
  c->v[c->n++] = s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void ed_complete(EdShell *sh, const char *line, const char *word, char ***out,
                 int *n) {
  Cands c = {0};
  while (*line == ' ' || *line == '\t') line++;
  if (line[0] == '.' && word[0] == '.' && line + strlen(line) - strlen(word) == line) {
    for (int i = 0; dot_commands[i]; i++) add(&c, word, dot_commands[i], false);
  } else if (word[0]) {
    bool lower = islower((unsigned char)word[0]) != 0;
    for (int i = 0; keywords[i]; i++) add(&c, word, keywords[i], lower);
    EdCatalog *cat = ed_session_catalog(sh->s);
    for (int i = 0; i < cat->n; i++) {
      const EdTable *t = cat->tables[i];
      add(&c, word, t->name, false);
      for (int k = 0; k < t->schema.ncols; k++)
        add(&c, word, t->schema.cols[k].name, false);
      const EdSchema *r = t->kind == OBJ_SINK
                              ? ed_session_sink_columns(sh->s, t->name)
                              : NULL;
      for (int k = 0; r && k < r->ncols; k++)
        add(&c, word, r->cols[k].name, false);
    }
    for (int i = 0, q = ed_session_query_count(sh->s); i < q; i++)
      add(&c, word, ed_session_query_name(sh->s, i), false);
  }
  qsort(c.v, (size_t)c.n, sizeof *c.v, cmp_str);
  int k = 0;
  for (int i = 0; i < c.n; i++) {
    if (k > 0 && strcmp(c.v[k - 1], c.v[i]) == 0) {
      free(c.v[i]);
      continue;
    }
    c.v[k++] = c.v[i];
  }
  *out = c.v;
  *n = k;
}
