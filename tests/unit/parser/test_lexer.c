/*
** tests/unit/parser/test_lexer.c — the tokenizer: token codes, texts and
** positions, keywords in any case, numbers, operators, comments, lexical
** errors with their positions, and ed_sql_complete().
**
** Expected offsets, lines and columns are counted by hand from the literal
** inputs (columns are 1-based byte counts).
*/
#include <string.h>

#include "parser/ast.h"
#include "parser/grammar.h"
#include "parser/lexer.h"
#include "tests/unit/tap.h"

typedef struct Want {
  int code;
  const char *text;
  int offset, line, col;
} Want;

static void check_tokens(const char *sql, const Want *want, int n,
                         const char *name) {
  EdLexer lx;
  EdToken t;
  EdError err;
  ed_lexer_init(&lx, sql);
  int i = 0, bad = 0;
  for (;; i++) {
    int code = ed_lexer_next(&lx, &t, &err, NULL);
    if (code == 0) break;
    if (i >= n) {
      bad++;
      continue;
    }
    const Want *w = &want[i];
    if (code != w->code || t.n != (int)strlen(w->text) ||
        memcmp(t.z, w->text, (size_t)t.n) != 0 || t.pos.offset != w->offset ||
        t.pos.line != w->line || t.pos.col != w->col) {
      printf("#   token %d: got code %d '%.*s' @%d %d:%d, want %d '%s' "
             "@%d %d:%d\n", i, code, t.n, t.z, t.pos.offset, t.pos.line,
             t.pos.col, w->code, w->text, w->offset, w->line, w->col);
      bad++;
    }
  }
  if (i != n) printf("#   got %d tokens, want %d\n", i, n);
  TAP_OK(bad == 0 && i == n, name);
}

static void test_statement(void) {
  const char *sql = "SELECT a, \"Q\"\"x\" FROM t -- c\n"
                    " WHERE b >= 1.5e3 /* x\n y */ AND c <> 'it''s';";
  const Want want[] = {
    {TK_SELECT, "SELECT", 0, 1, 1},
    {TK_ID, "a", 7, 1, 8},
    {TK_COMMA, ",", 8, 1, 9},
    {TK_ID, "\"Q\"\"x\"", 10, 1, 11},
    {TK_FROM, "FROM", 17, 1, 18},
    {TK_ID, "t", 22, 1, 23},
    {TK_WHERE, "WHERE", 30, 2, 2},
    {TK_ID, "b", 36, 2, 8},
    {TK_GE, ">=", 38, 2, 10},
    {TK_FLOAT, "1.5e3", 41, 2, 13},
    {TK_AND, "AND", 58, 3, 7},
    {TK_ID, "c", 62, 3, 11},
    {TK_NE, "<>", 64, 3, 13},
    {TK_STRING, "'it''s'", 67, 3, 16},
    {TK_SEMI, ";", 74, 3, 23},
  };
  check_tokens(sql, want, (int)(sizeof want / sizeof want[0]),
               "statement: codes, texts, offsets, lines, columns");

  const char *ml = "'a\nb' x\n`q\n` y";
  const Want want2[] = {
    {TK_STRING, "'a\nb'", 0, 1, 1},
    {TK_ID, "x", 6, 2, 4},
    {TK_ID, "`q\n`", 8, 3, 1},
    {TK_ID, "y", 13, 4, 3},
  };
  check_tokens(ml, want2, 4, "tokens spanning lines move the line count");
}

static int code_of(const char *sql) {
  EdLexer lx;
  EdToken t;
  ed_lexer_init(&lx, sql);
  return ed_lexer_next(&lx, &t, NULL, NULL);
}

static int len_of(const char *sql) {
  EdLexer lx;
  EdToken t;
  ed_lexer_init(&lx, sql);
  ed_lexer_next(&lx, &t, NULL, NULL);
  return t.n;
}

static void test_keywords(void) {
  static const struct {
    const char *word;
    int code;
  } kw[] = {
    {"all", TK_ALL}, {"analyze", TK_ANALYZE}, {"and", TK_AND},
    {"append", TK_APPEND}, {"as", TK_AS}, {"asc", TK_ASC},
    {"available", TK_AVAILABLE}, {"between", TK_BETWEEN}, {"by", TK_BY},
    {"case", TK_CASE}, {"cast", TK_CAST}, {"changes", TK_CHANGES},
    {"complete", TK_COMPLETE}, {"create", TK_CREATE}, {"cross", TK_CROSS},
    {"delay", TK_DELAY}, {"desc", TK_DESC}, {"distinct", TK_DISTINCT},
    {"drop", TK_DROP}, {"else", TK_ELSE}, {"emit", TK_EMIT},
    {"end", TK_END}, {"escape", TK_ESCAPE}, {"except", TK_EXCEPT},
    {"exists", TK_EXISTS}, {"explain", TK_EXPLAIN}, {"false", TK_FALSE},
    {"first", TK_FIRST}, {"for", TK_FOR}, {"from", TK_FROM},
    {"full", TK_FULL}, {"group", TK_GROUP}, {"having", TK_HAVING},
    {"if", TK_IF}, {"in", TK_IN}, {"index", TK_INDEX}, {"inner", TK_INNER},
    {"insert", TK_INSERT}, {"intersect", TK_INTERSECT},
    {"interval", TK_INTERVAL}, {"into", TK_INTO}, {"is", TK_IS},
    {"isnull", TK_ISNULL}, {"join", TK_JOIN}, {"key", TK_KEY},
    {"last", TK_LAST}, {"left", TK_LEFT}, {"like", TK_LIKE},
    {"limit", TK_LIMIT}, {"natural", TK_NATURAL}, {"not", TK_NOT},
    {"notnull", TK_NOTNULL}, {"now", TK_NOW}, {"null", TK_NULL},
    {"nulls", TK_NULLS}, {"of", TK_OF}, {"offset", TK_OFFSET},
    {"on", TK_ON}, {"once", TK_ONCE}, {"or", TK_OR}, {"order", TK_ORDER},
    {"outer", TK_OUTER}, {"precision", TK_PRECISION},
    {"primary", TK_PRIMARY}, {"processing", TK_PROCESSING},
    {"queries", TK_QUERIES}, {"query", TK_QUERY}, {"right", TK_RIGHT},
    {"select", TK_SELECT}, {"set", TK_SET}, {"show", TK_SHOW},
    {"sink", TK_SINK}, {"sinks", TK_SINKS}, {"stop", TK_STOP},
    {"stream", TK_STREAM}, {"streams", TK_STREAMS}, {"table", TK_TABLE},
    {"tables", TK_TABLES}, {"then", TK_THEN}, {"time", TK_TIME},
    {"trigger", TK_TRIGGER}, {"true", TK_TRUE}, {"union", TK_UNION},
    {"unique", TK_UNIQUE}, {"update", TK_UPDATE}, {"using", TK_USING},
    {"values", TK_VALUES}, {"watermark", TK_WATERMARK}, {"when", TK_WHEN},
    {"where", TK_WHERE}, {"with", TK_WITH},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
    char up[32], mixed[32];
    size_t n = strlen(kw[i].word);
    for (size_t k = 0; k <= n; k++) {
      char ch = kw[i].word[k];
      up[k] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
      mixed[k] = k % 2 ? up[k] : ch;
    }
    if (ed_keyword_code(kw[i].word, (int)n) != kw[i].code ||
        code_of(up) != kw[i].code || code_of(mixed) != kw[i].code) {
      printf("#   keyword %s\n", kw[i].word);
      bad++;
    }
  }
  TAP_EQ_INT(bad, 0, "every keyword, in lower, upper and mixed case");
  TAP_EQ_INT(code_of("selects"), TK_ID, "a longer word is an identifier");
  TAP_EQ_INT(code_of("sel"), TK_ID, "a shorter word is an identifier");
  TAP_EQ_INT(code_of("\"select\""), TK_ID, "quoted keyword is an identifier");
  TAP_EQ_INT(code_of("`FROM`"), TK_ID, "backquoted keyword is an identifier");
  TAP_EQ_INT(code_of("_x$1"), TK_ID, "identifier with _ $ and digits");
  TAP_EQ_INT(len_of("_x$1 "), 4, "identifier length");
  TAP_EQ_INT(code_of("caf\xc3\xa9"), TK_ID, "UTF-8 identifier");
  TAP_EQ_INT(len_of("caf\xc3\xa9+"), 5, "UTF-8 identifier length");
}

static void test_numbers_and_operators(void) {
  TAP_EQ_INT(code_of("42"), TK_INTEGER, "42 integer");
  TAP_EQ_INT(code_of("4.2"), TK_FLOAT, "4.2 float");
  TAP_EQ_INT(code_of(".5"), TK_FLOAT, ".5 float");
  TAP_EQ_INT(code_of("1."), TK_FLOAT, "1. float");
  TAP_EQ_INT(code_of("1e10"), TK_FLOAT, "1e10 float");
  TAP_EQ_INT(code_of("1E-3"), TK_FLOAT, "1E-3 float");
  TAP_EQ_INT(len_of("2.5e+3)"), 6, "2.5e+3 length");
  TAP_EQ_INT(code_of("0x1F"), TK_INTEGER, "0x1F integer");
  TAP_EQ_INT(len_of("12+3"), 2, "number stops at an operator");
  static const struct {
    const char *text;
    int code, len;
  } ops[] = {
    {"+", TK_PLUS, 1}, {"-", TK_MINUS, 1}, {"*", TK_STAR, 1},
    {"/", TK_SLASH, 1}, {"%", TK_REM, 1}, {"||", TK_CONCAT, 2},
    {"=", TK_EQ, 1}, {"==", TK_EQ, 2}, {"!=", TK_NE, 2}, {"<>", TK_NE, 2},
    {"<", TK_LT, 1}, {"<=", TK_LE, 2}, {">", TK_GT, 1}, {">=", TK_GE, 2},
    {"(", TK_LP, 1}, {")", TK_RP, 1}, {",", TK_COMMA, 1},
    {".", TK_DOT, 1}, {";", TK_SEMI, 1},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (code_of(ops[i].text) != ops[i].code || len_of(ops[i].text) != ops[i].len) {
      printf("#   operator %s\n", ops[i].text);
      bad++;
    }
  TAP_EQ_INT(bad, 0, "every operator: code and length");
  TAP_EQ_INT(code_of("-- only a comment"), 0, "a line comment is skipped");
  TAP_EQ_INT(code_of("/* a */ /**/ -- b\n  "), 0, "comments and blanks");
  TAP_EQ_INT(code_of("-/**/1"), TK_MINUS, "minus before a comment");
}

/* Lexes until the first error and checks its message and position. */
static void check_error(const char *sql, const char *msg, int line, int col,
                        EdLexErr kind, const char *name) {
  EdLexer lx;
  EdToken t;
  EdError err;
  memset(&err, 0, sizeof err);
  EdLexErr k = ED_LEXERR_NONE;
  ed_lexer_init(&lx, sql);
  int code;
  while ((code = ed_lexer_next(&lx, &t, &err, &k)) > 0) {
  }
  int good = code == ED_LEX_ERROR && strcmp(err.msg, msg) == 0 &&
             err.pos.line == line && err.pos.col == col && k == kind &&
             err.kind == ED_ERR_SYNTAX;
  if (!TAP_OK(good, name))
    printf("#   got %d \"%s\" at %d:%d kind %d\n", code, err.msg, err.pos.line,
           err.pos.col, (int)k);
}

static void test_errors(void) {
  check_error("SELECT 'abc", "unterminated string literal", 1, 8,
              ED_LEXERR_UNTERMINATED, "unterminated string");
  check_error("SELECT\n  \"abc\nFROM", "unterminated quoted identifier", 2, 3,
              ED_LEXERR_UNTERMINATED, "unterminated quoted identifier");
  check_error("SELECT `x", "unterminated quoted identifier", 1, 8,
              ED_LEXERR_UNTERMINATED, "unterminated backquoted identifier");
  check_error("SELECT 1\n  /* never\n closed", "unterminated /* comment", 2,
              3, ED_LEXERR_UNTERMINATED, "unterminated block comment");
  check_error("SELECT a # b", "unexpected character '#'", 1, 10,
              ED_LEXERR_BAD, "unexpected character");
  check_error("SELECT a ! b", "unexpected character '!'", 1, 10,
              ED_LEXERR_BAD, "lone '!'");
  check_error("x\n\n  |y", "unexpected character '|'", 3, 3, ED_LEXERR_BAD,
              "lone '|' on line 3");
  check_error("SELECT \x01", "unexpected byte 0x01", 1, 8, ED_LEXERR_BAD,
              "control byte");
  check_error("SELECT 12abc", "unrecognized token \"12abc\"", 1, 8,
              ED_LEXERR_BAD, "digits run into letters");
  check_error("SELECT 1e+", "unrecognized token \"1e\"", 1, 8, ED_LEXERR_BAD,
              "exponent without digits");
  check_error("SELECT 0x", "unrecognized token \"0x\"", 1, 8, ED_LEXERR_BAD,
              "hex prefix without digits");
  check_error("SELECT \"\"", "empty quoted identifier", 1, 8, ED_LEXERR_BAD,
              "empty quoted identifier");

  /* The lexer goes on after an error. */
  EdLexer lx;
  EdToken t;
  ed_lexer_init(&lx, "# x");
  int c1 = ed_lexer_next(&lx, &t, NULL, NULL);
  int c2 = ed_lexer_next(&lx, &t, NULL, NULL);
  TAP_OK(c1 == ED_LEX_ERROR && c2 == TK_ID && t.pos.col == 3,
         "lexing resumes after a bad character");
}

static void test_complete(void) {
  static const struct {
    const char *text;
    bool want;
  } cases[] = {
    {"SELECT 1;", true},
    {"SELECT 1", false},
    {"", false},
    {"   \n", false},
    {";", true},
    {"SELECT ';'", false},
    {"SELECT ';';", true},
    {"SELECT 'it''s;'", false},
    {"SELECT 'it''s;';", true},
    {"SELECT 1; -- done", true},
    {"SELECT 1 -- ;", false},
    {"SELECT 1 -- ;\n;", true},
    {"SELECT 1 /* ; */", false},
    {"SELECT 1 /* ; */ ;", true},
    {"SELECT 1; /* open", false},
    {"SELECT 1; /* closed */", true},
    {"SELECT \"a;b\"", false},
    {"SELECT `;`;", true},
    {"SELECT 1;\n\n  ", true},
    {"SELECT 1; SELECT 2", false},
    {"SELECT 'unterminated;", false},
    {"SELECT # ;", true},
  };
  int bad = 0;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (ed_sql_complete(cases[i].text) != cases[i].want) {
      printf("#   ed_sql_complete(\"%s\") != %d\n", cases[i].text,
             cases[i].want);
      bad++;
    }
  TAP_EQ_INT(bad, 0, "ed_sql_complete on strings and comments with ';'");
}

static void test_pos_at(void) {
  const char *s = "ab\ncd\n\nx";
  EdPos p = ed_pos_at(s, 4);
  TAP_OK(p.line == 2 && p.col == 2 && p.offset == 4, "ed_pos_at line 2");
  p = ed_pos_at(s, 7);
  TAP_OK(p.line == 4 && p.col == 1, "ed_pos_at after an empty line");
  p = ed_pos_at(s, 0);
  TAP_OK(p.line == 1 && p.col == 1, "ed_pos_at start");
}

int main(void) {
  test_statement();
  test_keywords();
  test_numbers_and_operators();
  test_errors();
  test_complete();
  test_pos_at();
  return tap_done();
}
