/*
** tests/unit/parser/test_parse_fuzz.c — the parser on garbage.
**
** Generates inputs from a fixed seed: random token soup, mutations of
** valid statements (a token dropped, repeated or replaced), random bytes,
** and pathological nesting.  Nothing may crash; every failure must carry
** a message and a position that lies inside the text and agrees with the
** line and column counted independently here; every success must give
** statements whose text spans lie inside the input.  Run under a sanitizer
** build, this also checks that no input leaks or reads out of bounds.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "tests/unit/tap.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

/* xorshift64*: deterministic across platforms. */
static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

static const char *const vocab[] = {
  "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT",
  "OFFSET", "UNION", "ALL", "EXCEPT", "INTERSECT", "DISTINCT", "AS", "ON",
  "USING", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "CROSS", "NATURAL",
  "AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "IN", "BETWEEN",
  "LIKE", "ESCAPE", "EXISTS", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST",
  "INTERVAL", "CREATE", "TABLE", "STREAM", "SINK", "INDEX", "IF", "DROP",
  "INSERT", "INTO", "VALUES", "SET", "SHOW", "TABLES", "EXPLAIN", "ANALYZE",
  "STOP", "QUERY", "WITH", "WATERMARK", "FOR", "DELAY", "OF", "EMIT",
  "UPDATE", "COMPLETE", "APPEND", "TRIGGER", "PROCESSING", "TIME", "ONCE",
  "AVAILABLE", "NOW", "PRIMARY", "KEY", "NULLS", "FIRST", "LAST", "ASC",
  "DESC", "ISNULL", "NOTNULL", "PRECISION", "UNIQUE", "a", "b", "t", "t2",
  "count", "sum", "window", "w", "end", "\"q id\"", "`bq`", "'str'",
  "'it''s'", "''", "'10 seconds'", "'5'", "MINUTE", "0", "1", "42",
  "9223372036854775808", "1.5", ".5", "1e3", "0x1F", "(", ")", ",", ";",
  ".", "*", "+", "-", "/", "%", "||", "=", "==", "!=", "<>", "<", "<=",
  ">", ">=", "--c\n", "/* c */", "\n", "VARCHAR", "INT", "DOUBLE",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

/* Rare lexical troublemakers. */
static const char *const bad[] = {
  "'open", "\"open", "`open", "/* open", "#", "?", "[", "!", "|", "@",
  "12abc", "1e", "0x", "\x01", "\xff", "\"\"",
};
#define NBAD (sizeof bad / sizeof bad[0])

static const char *const valid[] = {
  "SELECT a, count(*) FROM t WHERE a > 1 GROUP BY a HAVING count(*) > 2 "
  "ORDER BY 2 DESC LIMIT 10",
  "SELECT DISTINCT - - + col0 AS c FROM tab0 AS cor0 CROSS JOIN tab1 cor1 "
  "WHERE NOT col0 IN (1, 2) OR col1 BETWEEN 1 AND 2",
  "CREATE STREAM s (ts TIMESTAMP, v BIGINT, WATERMARK FOR ts AS ts - "
  "INTERVAL '5' SECOND) WITH (connector = 'memory')",
  "INSERT INTO s VALUES (1, 'a'), (2, NULL)",
  "SELECT window(ts, '1 minute') AS w, count(*) FROM s GROUP BY "
  "window(ts, '1 minute') EMIT APPEND TRIGGER ONCE",
  "SELECT CASE WHEN a IS NULL THEN 0 ELSE CAST(a AS DOUBLE) END FROM t "
  "LEFT JOIN u ON t.id = u.id",
  "SELECT * FROM (SELECT a FROM t) AS x WHERE EXISTS (SELECT 1 FROM u) "
  "UNION ALL SELECT b FROM v",
  "SET output_mode = update",
  "EXPLAIN ANALYZE SELECT a FROM t WATERMARK ts DELAY OF '1 second'",
};
#define NVALID (sizeof valid / sizeof valid[0])

typedef struct Failure {
  int count;
  char first[512];
} Failure;

static void note(Failure *f, const char *sql, const char *why) {
  if (f->count++ == 0)
    snprintf(f->first, sizeof f->first, "%s: %.400s", why, sql);
}

/* Position of offset off counted independently of the parser. */
static void line_col(const char *sql, int off, int *line, int *col) {
  *line = 1;
  int start = 0;
  for (int i = 0; i < off; i++)
    if (sql[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  *col = off - start + 1;
}

/* Parses sql and checks the invariants; returns 1 if it parsed. */
static int run(EdArena *a, const char *sql, Failure *f) {
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  ed_arena_reset(a);
  int rc = ed_parse(a, sql, &out, &err);
  int len = (int)strlen(sql);
  if (rc == 0) {
    for (int i = 0; i < out.n; i++) {
      const EdAstStmt *s = out.items[i];
      if (s->start_offset < 0 || s->start_offset > s->end_offset ||
          s->end_offset > len)
        note(f, sql, "statement span outside the text");
    }
    return 1;
  }
  if (rc != -1 || err.kind != ED_ERR_SYNTAX || err.msg[0] == 0) {
    note(f, sql, "failure without a syntax error message");
    return 0;
  }
  if (err.pos.line < 1 || err.pos.offset < 0 || err.pos.offset > len) {
    note(f, sql, "error position outside the text");
    return 0;
  }
  int line, col;
  line_col(sql, err.pos.offset, &line, &col);
  if (line != err.pos.line || col != err.pos.col)
    note(f, sql, "error line/column disagree with its offset");
  return 0;
}

static void add(char *buf, size_t cap, size_t *n, const char *s) {
  size_t l = strlen(s);
  if (*n + l + 2 >= cap) return;
  memcpy(buf + *n, s, l);
  *n += l;
  buf[(*n)++] = rnd(8) ? ' ' : '\n';
  buf[*n] = 0;
}

static void soup(EdArena *a, Failure *f, int *ok, int count) {
  char buf[2048];
  for (int k = 0; k < count; k++) {
    size_t n = 0;
    buf[0] = 0;
    int ntok = 1 + (int)rnd(40);
    for (int i = 0; i < ntok; i++)
      add(buf, sizeof buf, &n, rnd(50) ? vocab[rnd(NVOCAB)] : bad[rnd(NBAD)]);
    *ok += run(a, buf, f);
  }
}

/* Splits a valid statement at blanks and re-joins it with one change. */
static void mutate(EdArena *a, Failure *f, int *ok, int count) {
  char buf[2048], words[64][64];
  for (int k = 0; k < count; k++) {
    const char *src = valid[rnd(NVALID)];
    int nw = 0;
    for (const char *p = src; *p && nw < 64;) {
      while (*p == ' ') p++;
      int l = 0;
      while (p[l] && p[l] != ' ' && l < 63) l++;
      if (!l) break;
      memcpy(words[nw], p, (size_t)l);
      words[nw++][l] = 0;
      p += l;
    }
    int at = (int)rnd((uint32_t)nw), how = (int)rnd(3);
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < nw; i++) {
      if (i == at && how == 0) continue;                 /* drop */
      if (i == at && how == 2) {                         /* replace */
        add(buf, sizeof buf, &n, vocab[rnd(NVOCAB)]);
        continue;
      }
      add(buf, sizeof buf, &n, words[i]);
      if (i == at && how == 1) add(buf, sizeof buf, &n, words[i]);
    }
    *ok += run(a, buf, f);
  }
}

static void bytes(EdArena *a, Failure *f, int count) {
  char buf[256];
  for (int k = 0; k < count; k++) {
    int n = 1 + (int)rnd(200);
    for (int i = 0; i < n; i++) buf[i] = (char)(1 + rnd(255));
    buf[n] = 0;
    run(a, buf, f);
  }
}

/* Builds prefix^depth core suffix^depth and expects a positioned error. */
static void deep(EdArena *a, const char *pre, const char *core,
                 const char *suf, int depth, const char *name) {
  size_t cap = (strlen(pre) + strlen(suf)) * (size_t)depth + 64;
  char *s = malloc(cap), *p = s;
  p += sprintf(p, "SELECT ");
  for (int i = 0; i < depth; i++) p += sprintf(p, "%s", pre);
  p += sprintf(p, "%s", core);
  for (int i = 0; i < depth; i++) p += sprintf(p, "%s", suf);
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  ed_arena_reset(a);
  int rc = ed_parse(a, s, &out, &err);
  TAP_OK(rc == -1 && err.pos.line == 1 && err.pos.col > 7, name);
  printf("#   %s\n", err.msg);
  free(s);
}

int main(void) {
  EdArena a;
  ed_arena_init(&a, 1 << 14);
  Failure f = {0};
  int ok = 0;

  soup(&a, &f, &ok, 8000);
  TAP_EQ_INT(f.count, 0, "token soup: errors are positioned");
  if (f.count) printf("#   %d failures; first: %s\n", f.count, f.first);

  Failure g = {0};
  int gok = 0;
  mutate(&a, &g, &gok, 2000);
  TAP_EQ_INT(g.count, 0, "mutated statements: errors are positioned");
  if (g.count) printf("#   %d failures; first: %s\n", g.count, g.first);
  printf("# %d of 8000 soups and %d of 2000 mutants parsed\n", ok, gok);
  TAP_OK(gok > 0 && gok < 2000, "some mutants parse, some do not");

  Failure h = {0};
  bytes(&a, &h, 2000);
  TAP_EQ_INT(h.count, 0, "random bytes: errors are positioned");
  if (h.count) printf("#   %d failures; first: %s\n", h.count, h.first);

  deep(&a, "(", "1", ")", 3000, "3000 nested parentheses: error");
  deep(&a, "- ", "1", "", 3000, "3000 unary minus: error");
  deep(&a, "", "1", " + 1", 3000, "3000 additions: error");
  deep(&a, "NOT ", "1", "", 3000, "3000 NOTs: error");
  deep(&a, "(SELECT ", "1", ")", 1000, "1000 nested subqueries: error");
  deep(&a, "CASE WHEN 1 THEN ", "1", " END", 2000, "2000 nested CASE: error");

  ed_arena_free(&a);
  return tap_done();
}
