/*
** parser/lexer.c — the hand-written SQL tokenizer (see lexer.h).
**
** One pass over the bytes, no allocation: a token is a slice of the input.
** Character classes come from a 256-entry table; keywords are found by a
** binary search over a sorted table after folding the candidate to lower
** case in a small local buffer.  Line and column are tracked as the text
** is consumed, including newlines inside strings and comments, so every
** token knows where it starts.
*/
#include "parser/lexer.h"

#include <assert.h>
#include <string.h>

#include "parser/grammar.h"

/* Character classes. */
enum {
  CC_OTHER = 0,   /* not valid outside strings */
  CC_SPACE,
  CC_ALPHA,       /* starts an identifier: letters, _, bytes >= 0x80 */
  CC_DIGIT,
  CC_DOLLAR,      /* continues an identifier */
  CC_QUOTE,       /* ' */
  CC_DQUOTE,      /* " and ` */
  CC_PUNCT        /* an operator or punctuation character */
};

/* Class of every byte (GNU range designators keep the table const). */
static const unsigned char cc_table[256] = {
  [' '] = CC_SPACE, ['\t'] = CC_SPACE, ['\n'] = CC_SPACE, ['\r'] = CC_SPACE,
  ['\f'] = CC_SPACE, ['\v'] = CC_SPACE,
  ['a' ... 'z'] = CC_ALPHA, ['A' ... 'Z'] = CC_ALPHA, ['_'] = CC_ALPHA,
  [0x80 ... 0xff] = CC_ALPHA,
  ['0' ... '9'] = CC_DIGIT,
  ['$'] = CC_DOLLAR,
  ['\''] = CC_QUOTE,
  ['"'] = CC_DQUOTE, ['`'] = CC_DQUOTE,
  ['+'] = CC_PUNCT, ['-'] = CC_PUNCT, ['*'] = CC_PUNCT, ['/'] = CC_PUNCT,
  ['%'] = CC_PUNCT, ['|'] = CC_PUNCT, ['='] = CC_PUNCT, ['!'] = CC_PUNCT,
  ['<'] = CC_PUNCT, ['>'] = CC_PUNCT, ['('] = CC_PUNCT, [')'] = CC_PUNCT,
  [','] = CC_PUNCT, ['.'] = CC_PUNCT, [';'] = CC_PUNCT,
};

static inline bool is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static inline bool is_idchar(unsigned char c) {
  unsigned char k = cc_table[c];
  return k == CC_ALPHA || k == CC_DIGIT || k == CC_DOLLAR;
}

/* --------------------------------------------------------------- keywords */

typedef struct Keyword {
  const char *name;   /* lower case */
  int code;
} Keyword;

/* Sorted by name (strcmp order); the unit test checks every entry. */
static const Keyword keywords[] = {
  {"all", TK_ALL},           {"analyze", TK_ANALYZE},
  {"and", TK_AND},           {"append", TK_APPEND},
  {"as", TK_AS},             {"asc", TK_ASC},
  {"available", TK_AVAILABLE}, {"between", TK_BETWEEN},
  {"by", TK_BY},             {"case", TK_CASE},
  {"cast", TK_CAST},         {"changes", TK_CHANGES},
  {"complete", TK_COMPLETE}, {"create", TK_CREATE},
  {"cross", TK_CROSS},       {"delay", TK_DELAY},
  {"desc", TK_DESC},         {"distinct", TK_DISTINCT},
  {"drop", TK_DROP},         {"else", TK_ELSE},
  {"emit", TK_EMIT},         {"end", TK_END},
  {"escape", TK_ESCAPE},     {"except", TK_EXCEPT},
  {"exists", TK_EXISTS},     {"explain", TK_EXPLAIN},
  {"false", TK_FALSE},       {"first", TK_FIRST},
  {"for", TK_FOR},           {"from", TK_FROM},
  {"full", TK_FULL},         {"group", TK_GROUP},
  {"having", TK_HAVING},     {"if", TK_IF},
  {"in", TK_IN},             {"index", TK_INDEX},
  {"inner", TK_INNER},       {"insert", TK_INSERT},
  {"intersect", TK_INTERSECT}, {"interval", TK_INTERVAL},
  {"into", TK_INTO},         {"is", TK_IS},
  {"isnull", TK_ISNULL},     {"join", TK_JOIN},
  {"key", TK_KEY},           {"last", TK_LAST},
  {"left", TK_LEFT},         {"like", TK_LIKE},
  {"limit", TK_LIMIT},       {"natural", TK_NATURAL},
  {"not", TK_NOT},           {"notnull", TK_NOTNULL},
  {"now", TK_NOW},           {"null", TK_NULL},
  {"nulls", TK_NULLS},       {"of", TK_OF},
  {"offset", TK_OFFSET},     {"on", TK_ON},
  {"once", TK_ONCE},         {"or", TK_OR},
  {"order", TK_ORDER},       {"outer", TK_OUTER},
  {"precision", TK_PRECISION}, {"primary", TK_PRIMARY},
  {"processing", TK_PROCESSING}, {"queries", TK_QUERIES},
  {"query", TK_QUERY},       {"right", TK_RIGHT},
  {"select", TK_SELECT},     {"set", TK_SET},
  {"show", TK_SHOW},         {"sink", TK_SINK},
  {"sinks", TK_SINKS},       {"stop", TK_STOP},
  {"stream", TK_STREAM},     {"streams", TK_STREAMS},
  {"table", TK_TABLE},       {"tables", TK_TABLES},
  {"then", TK_THEN},         {"time", TK_TIME},
  {"trigger", TK_TRIGGER},   {"true", TK_TRUE},
  {"union", TK_UNION},       {"unique", TK_UNIQUE},
  {"update", TK_UPDATE},     {"using", TK_USING},
  {"values", TK_VALUES},     {"watermark", TK_WATERMARK},
  {"when", TK_WHEN},         {"where", TK_WHERE},
  {"with", TK_WITH},
};

#define MAX_KEYWORD_LEN 10   /* "processing" */

int ed_keyword_code(const char *z, int n) {
  if (n < 2 || n > MAX_KEYWORD_LEN) return TK_ID;
  char low[MAX_KEYWORD_LEN + 1];
  for (int i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    low[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  low[n] = 0;
  int lo = 0, hi = (int)(sizeof keywords / sizeof keywords[0]) - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    const unsigned char *a = (const unsigned char *)low;
    const unsigned char *b = (const unsigned char *)keywords[mid].name;
    while (*a && *a == *b) a++, b++;
    int cmp = (int)*a - (int)*b;
    if (cmp == 0) return keywords[mid].code;
    if (cmp < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return TK_ID;
}

const char *ed_keyword_text(int code) {
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (keywords[i].code == code) return keywords[i].name;
  return NULL;
}

/* ------------------------------------------------------------------ lexer */

void ed_lexer_init(EdLexer *lx, const char *sql) {
  lx->sql = sql;
  lx->off = 0;
  lx->line = 1;
  lx->line_start = 0;
}

EdPos ed_pos_at(const char *sql, int off) {
  EdPos p = {off, 1, 1};
  int start = 0;
  for (int i = 0; i < off && sql[i]; i++) {
    if (sql[i] == '\n') {
      p.line++;
      start = i + 1;
    }
  }
  p.col = off - start + 1;
  return p;
}

/* Moves past a newline at offset i (which the caller has seen). */
static inline void newline(EdLexer *lx, int i) {
  lx->line++;
  lx->line_start = i + 1;
}

/* Reports a lexical error for the text [start, end) and resumes at end.
** msg NULL means "unrecognized token" quoting the text. */
static int lex_error(EdLexer *lx, EdToken *tok, int end, EdError *err,
                     EdLexErr *kind, EdLexErr k, const char *msg) {
  int n = end - tok->pos.offset;
  if (err) {
    if (msg)
      ed_error_set(err, ED_ERR_SYNTAX, &tok->pos, "%s", msg);
    else
      ed_error_set(err, ED_ERR_SYNTAX, &tok->pos,
                   "unrecognized token \"%.*s\"", n > 40 ? 40 : n, tok->z);
  }
  if (kind) *kind = k;
  tok->n = n;
  lx->off = end;
  return ED_LEX_ERROR;
}

/* Reports a byte that cannot start any token. */
static int bad_char(EdLexer *lx, EdToken *tok, EdError *err,
                    EdLexErr *kind) {
  unsigned char c = (unsigned char)tok->z[0];
  if (err) {
    if (c > 0x20 && c < 0x7f)
      ed_error_set(err, ED_ERR_SYNTAX, &tok->pos,
                   "unexpected character '%c'", c);
    else
      ed_error_set(err, ED_ERR_SYNTAX, &tok->pos, "unexpected byte 0x%02x",
                   c);
  }
  return lex_error(lx, tok, tok->pos.offset + 1, NULL, kind, ED_LEXERR_BAD,
                   NULL);
}

/* Scans a quoted run starting at the quote q at offset i; a doubled quote
** stands for itself.  Returns the offset just past the closing quote, or
** -1 at the end of the text.  Newlines inside advance the line count. */
static int scan_quoted(EdLexer *lx, int i, char q) {
  const char *s = lx->sql;
  for (i++;; i++) {
    char c = s[i];
    if (c == 0) return -1;
    if (c == '\n') newline(lx, i);
    else if (c == q) {
      if (s[i + 1] != q) return i + 1;
      i++;
    }
  }
}

/* Scans a number starting at offset i: integer, decimal with optional
** fraction and exponent, or hexadecimal 0x...  Sets *code to TK_INTEGER or
** TK_FLOAT.  Returns the end offset, or -(end) - 1 if the text is not a
** valid number (a bad exponent, letters run into the digits). */
static int scan_number(const char *s, int i, int *code) {
  *code = TK_INTEGER;
  if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    int j = i + 2;
    while (is_hex((unsigned char)s[j])) j++;
    bool bad = j == i + 2;
    while (is_idchar((unsigned char)s[j])) {
      bad = true;
      j++;
    }
    return bad ? -j - 1 : j;
  }
  while (s[i] >= '0' && s[i] <= '9') i++;
  if (s[i] == '.') {
    *code = TK_FLOAT;
    i++;
    while (s[i] >= '0' && s[i] <= '9') i++;
  }
  bool bad = false;
  if (s[i] == 'e' || s[i] == 'E') {
    int j = i + 1;
    if (s[j] == '+' || s[j] == '-') j++;
    if (s[j] >= '0' && s[j] <= '9') {
      *code = TK_FLOAT;
      while (s[j] >= '0' && s[j] <= '9') j++;
      i = j;
    } else {
      bad = true;
    }
  }
  while (is_idchar((unsigned char)s[i])) {
    bad = true;
    i++;
  }
  return bad ? -i - 1 : i;
}

/* Skips whitespace and comments.  Returns 0, or ED_LEX_ERROR for an
** unterminated block comment (reported at its start). */
static int skip_space(EdLexer *lx, EdToken *tok, EdError *err,
                      EdLexErr *kind) {
  const char *s = lx->sql;
  int i = lx->off;
  for (;;) {
    unsigned char c = (unsigned char)s[i];
    if (cc_table[c] == CC_SPACE) {
      if (c == '\n') newline(lx, i);
      i++;
    } else if (c == '-' && s[i + 1] == '-') {
      i += 2;
      while (s[i] && s[i] != '\n') i++;
    } else if (c == '/' && s[i + 1] == '*') {
      tok->z = s + i;
      tok->pos.offset = i;
      tok->pos.line = lx->line;
      tok->pos.col = i - lx->line_start + 1;
      i += 2;
      while (s[i] && !(s[i] == '*' && s[i + 1] == '/')) {
        if (s[i] == '\n') newline(lx, i);
        i++;
      }
      if (!s[i])
        return lex_error(lx, tok, i, err, kind, ED_LEXERR_UNTERMINATED,
                         "unterminated /* comment");
      i += 2;
    } else {
      break;
    }
  }
  lx->off = i;
  return 0;
}

/* Returns the token code of the operator at s[i] and sets *len. */
static int scan_punct(const char *s, int i, int *len) {
  char c = s[i], d = s[i + 1];
  *len = 1;
  switch (c) {
  case '+': return TK_PLUS;
  case '-': return TK_MINUS;
  case '*': return TK_STAR;
  case '/': return TK_SLASH;
  case '%': return TK_REM;
  case '(': return TK_LP;
  case ')': return TK_RP;
  case ',': return TK_COMMA;
  case ';': return TK_SEMI;
  case '.': return TK_DOT;
  case '=':
    if (d == '=') *len = 2;
    return TK_EQ;
  case '<':
    if (d == '=') { *len = 2; return TK_LE; }
    if (d == '>') { *len = 2; return TK_NE; }
    return TK_LT;
  case '>':
    if (d == '=') { *len = 2; return TK_GE; }
    return TK_GT;
  case '!':
    if (d == '=') { *len = 2; return TK_NE; }
    return 0;
  case '|':
    if (d == '|') { *len = 2; return TK_CONCAT; }
    return 0;
  default:
    return 0;
  }
}

int ed_lexer_next(EdLexer *lx, EdToken *tok, EdError *err, EdLexErr *kind) {
  if (kind) *kind = ED_LEXERR_NONE;
  tok->prev_end = 0;
  if (skip_space(lx, tok, err, kind) < 0) return ED_LEX_ERROR;
  const char *s = lx->sql;
  int i = lx->off;
  unsigned char c = (unsigned char)s[i];
  tok->z = s + i;
  tok->n = 0;
  tok->pos.offset = i;
  tok->pos.line = lx->line;
  tok->pos.col = i - lx->line_start + 1;
  if (c == 0) return 0;

  int code, end;
  switch (cc_table[c]) {
  case CC_ALPHA: {
    end = i + 1;
    while (is_idchar((unsigned char)s[end])) end++;
    code = ed_keyword_code(s + i, end - i);
    break;
  }
  case CC_DIGIT:
    end = scan_number(s, i, &code);
    if (end < 0)
      return lex_error(lx, tok, -end - 1, err, kind, ED_LEXERR_BAD, NULL);
    break;
  case CC_QUOTE:
    end = scan_quoted(lx, i, '\'');
    if (end < 0)
      return lex_error(lx, tok, (int)strlen(s), err, kind,
                       ED_LEXERR_UNTERMINATED, "unterminated string literal");
    code = TK_STRING;
    break;
  case CC_DQUOTE:
    end = scan_quoted(lx, i, (char)c);
    if (end < 0)
      return lex_error(lx, tok, (int)strlen(s), err, kind,
                       ED_LEXERR_UNTERMINATED,
                       "unterminated quoted identifier");
    if (end == i + 2)
      return lex_error(lx, tok, end, err, kind, ED_LEXERR_BAD,
                       "empty quoted identifier");
    code = TK_ID;
    break;
  case CC_PUNCT: {
    if (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
      end = scan_number(s, i, &code);
      if (end < 0)
        return lex_error(lx, tok, -end - 1, err, kind, ED_LEXERR_BAD, NULL);
      break;
    }
    int len;
    code = scan_punct(s, i, &len);
    if (code == 0) return bad_char(lx, tok, err, kind);
    end = i + len;
    break;
  }
  default:
    /* A stray byte; a UTF-8 sequence is never split because bytes >= 0x80
    ** are identifier characters. */
    return bad_char(lx, tok, err, kind);
  }
  tok->n = end - i;
  lx->off = end;
  return code;
}
