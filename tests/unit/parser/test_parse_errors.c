/*
** tests/unit/parser/test_parse_errors.c — syntax and semantic errors of
** the parser: exact message, line, column and offset (counted by hand from
** the inputs), statements kept before the error, and the caret that
** ed_error_print draws under the offending token.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "tests/unit/tap.h"

static EdArena arena;

static void check(const char *sql, const char *msg, int line, int col,
                  const char *name) {
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  int rc = ed_parse(&arena, sql, &out, &err);
  int good = rc == -1 && err.kind == ED_ERR_SYNTAX &&
             strcmp(err.msg, msg) == 0 && err.pos.line == line &&
             err.pos.col == col;
  if (!TAP_OK(good, name))
    printf("#   got rc %d: \"%s\" at %d:%d\n#   want \"%s\" at %d:%d\n", rc,
           err.msg, err.pos.line, err.pos.col, msg, line, col);
}

static void test_syntax(void) {
  check("SELECT * FORM t", "syntax error near \"FORM\"", 1, 10,
        "misspelled FROM");
  check("SELECT a,\n       b\nFROM t\nWHERE a = = 1",
        "syntax error near \"=\", expected an expression", 4, 11,
        "doubled operator on line 4");
  check("SELECT 1\nSELECT 2",
        "syntax error near \"SELECT\" (missing ';' after the previous "
        "statement?)", 2, 1, "missing ';' between statements");
  check("SELECT (1 + 2", "unexpected end of input, expected ')'", 1, 14,
        "unclosed parenthesis");
  check("SELECT a FROM t WHERE   \n\n",
        "unexpected end of input, expected an expression", 1, 22,
        "end of input points after the last token");
  check("SELECT a FROM t GROUP", "unexpected end of input, expected BY", 1,
        22, "GROUP without BY");
  check("CREATE TABLE IF EXISTS t (a INT)",
        "syntax error near \"EXISTS\", expected NOT", 1, 17,
        "IF EXISTS in CREATE");
  check("DROP VIEW v",
        "syntax error near \"VIEW\", expected SINK, STREAM or TABLE", 1, 6,
        "DROP VIEW");
  check("INSERT INTO t VALUES", "unexpected end of input, expected '('", 1,
        21, "VALUES without rows");
  check("SELECT * FROM t WHERE a NOT",
        "unexpected end of input, expected LIKE, BETWEEN, IN or NULL", 1, 28,
        "dangling NOT");
  check("SET x =", "unexpected end of input, expected a value", 1, 8,
        "SET without value");
  check("SELECT 1;\nSELECT 2 +;\nSELECT 3",
        "syntax error near \";\", expected an expression", 2, 11,
        "error in the second statement");
  check("SELECT a FROM t EMIT SOON", "syntax error near \"SOON\"", 1, 22,
        "EMIT not followed by a mode is an alias");
}

static void test_semantic(void) {
  check("CREATE TABLE t (a INT,\n  b FOO)", "unknown type \"FOO\"", 2, 5,
        "unknown type name");
  check("CREATE TABLE t (a)", "column \"a\" needs a type", 1, 17,
        "column without a type");
  check("SELECT INTERVAL '10 parsecs'",
        "invalid interval '10 parsecs' (expected e.g. '10 seconds', "
        "'1 minute', '500 milliseconds')", 1, 8, "invalid interval");
  check("SELECT INTERVAL '5' minute + INTERVAL '1.2.3' SECOND",
        "invalid interval '1.2.3' SECOND", 1, 30,
        "invalid interval with unit");
  check("SELECT a FROM t EMIT UPDATE EMIT COMPLETE",
        "EMIT given twice in one query", 1, 29, "EMIT twice");
  check("SELECT a FROM t TRIGGER ONCE TRIGGER AVAILABLE NOW",
        "TRIGGER given twice in one query", 1, 30, "TRIGGER twice");
  check("SELECT a FROM t WITH (a = 1) WITH (b = 2)",
        "WITH (...) given twice in one query", 1, 30, "WITH twice");
  check("CREATE TABLE t (a INT, WATERMARK FOR a AS a,\n"
        "WATERMARK FOR a AS a)", "only one WATERMARK clause is allowed", 2,
        1, "two watermarks");
  check("SELECT * FROM a RIGHT JOIN b ON 1",
        "RIGHT JOIN is not supported; swap the two sides and use LEFT JOIN",
        1, 17, "RIGHT JOIN");
  check("SELECT * FROM a FULL OUTER JOIN b ON 1",
        "FULL OUTER JOIN is not supported", 1, 17, "FULL JOIN");
  check("SELECT count(DISTINCT) FROM t",
        "DISTINCT in count() needs an argument", 1, 22,
        "DISTINCT without argument");
  check("SELECT 0x10000000000000000", "hexadecimal literal too big: "
        "0x10000000000000000", 1, 8, "hex literal too big");
  check("SELECT a FROM t WATERMARK ts DELAY OF '-5 seconds'",
        "a watermark delay cannot be negative", 1, 39, "negative delay");
  check("SELECT 'abc", "unterminated string literal", 1, 8,
        "lexical error reported by ed_parse");
  check("SELECT 1;\nSELECT \"x", "unterminated quoted identifier", 2, 8,
        "lexical error on line 2");
  check("SELECT 1 FROM t WHERE a = 1 #", "unexpected character '#'", 1, 29,
        "unexpected character");
}

static void test_kept_statements(void) {
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  int rc = ed_parse(&arena, "SELECT 1; CREATE TABLE t (a INT); SELECT FROM",
                    &out, &err);
  TAP_OK(rc == -1 && out.n == 2, "statements before the error are kept");
  TAP_OK(out.n == 2 && ((EdAstStmt *)out.items[1])->kind == STMT_CREATE_TABLE,
         "the kept statements are the first two");
  TAP_EQ_INT(err.pos.offset, 41, "error offset");
}

/* The caret line that the shell prints under the error. */
static void test_caret(void) {
  const char *sql = "SELECT a,\n  b FORM t";
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  ed_parse(&arena, sql, &out, &err);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ed_error_print(f, &err, sql, "q.sql");
  fclose(f);
  TAP_EQ_STR(buf,
             "Error: q.sql:2:10: syntax error near \"t\"\n"
             "    b FORM t\n"
             "           ^\n",
             "caret under the offending token");
  free(buf);
}

int main(void) {
  ed_arena_init(&arena, 1 << 14);
  test_syntax();
  test_semantic();
  test_kept_statements();
  test_caret();
  ed_arena_free(&arena);
  return tap_done();
}
