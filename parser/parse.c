/*
** parser/parse.c — the parse driver: runs the lexer over a whole script and
** feeds the tokens to the Lemon parser (grammar.y), statement by statement;
** words syntax errors; tells the shell whether a text ends a statement.
**
** The driver does what an LALR(1) grammar cannot: it turns a word such as
** MINUTE that follows INTERVAL '5' into the UNIT token; with one token of
** lookahead it decides whether EMIT, TRIGGER, WATERMARK, LEFT and RIGHT
** are keywords or names; it rejects a token before Lemon's default
** reductions run, so that "expected ..." lists what the parser really
** wanted; and it hands the grammar, with every ';', the end offset of the
** token before it, so that each statement's text span excludes its
** terminator.  A script that does not end with ';' gets one, positioned
** right after its last token.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser/grammar.h"
#include "parser/parse_int.h"

/* The Lemon-generated parser (grammar.c). */
void *edParseAlloc(void *(*alloc)(size_t));
void edParse(void *parser, int major, EdToken minor, EdParseCtx *ctx);
void edParseFree(void *parser, void (*dealloc)(void *));
int edParseFallback(int major);

/* ------------------------------------------------------- error messages */

/* How a terminal is named in "expected ..." lists. */
static const char *token_display(int code, char *buf, size_t n) {
  switch (code) {
  case TK_ID: return "a name";
  case TK_STRING: return "a string";
  case TK_INTEGER:
  case TK_FLOAT: return "a number";
  case TK_UNIT: return "a time unit";
  case TK_SEMI: return "';'";
  case TK_LP: return "'('";
  case TK_RP: return "')'";
  case TK_COMMA: return "','";
  case TK_DOT: return "'.'";
  case TK_EQ: return "'='";
  case TK_STAR: return "'*'";
  default: break;
  }
  const char *kw = ed_keyword_text(code);
  if (!kw) return NULL;   /* operators: never listed */
  size_t i = 0;
  for (; kw[i] && i + 1 < n; i++)
    buf[i] = (char)(kw[i] >= 'a' && kw[i] <= 'z' ? kw[i] - 32 : kw[i]);
  buf[i] = 0;
  return buf;
}

/* Terminals that can start an expression: when they are expected the
** list says "an expression" instead. */
static bool starts_expr(int code) {
  switch (code) {
  case TK_ID: case TK_STRING: case TK_INTEGER: case TK_FLOAT: case TK_NULL:
  case TK_TRUE: case TK_FALSE: case TK_LP: case TK_MINUS: case TK_PLUS:
  case TK_NOT: case TK_CASE: case TK_CAST: case TK_EXISTS:
  case TK_INTERVAL:
    return true;
  default:
    return false;
  }
}

/* Operators that may continue an expression: not listed after an
** expression, where they would drown the useful alternatives. */
static bool continues_expr(int code) {
  switch (code) {
  case TK_OR: case TK_AND: case TK_NOT: case TK_IS: case TK_LIKE:
  case TK_BETWEEN: case TK_IN: case TK_ISNULL: case TK_NOTNULL: case TK_NE:
  case TK_EQ: case TK_GT: case TK_LE: case TK_LT: case TK_GE:
  case TK_ESCAPE: case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH:
  case TK_REM: case TK_CONCAT:
    return true;
  default:
    return false;
  }
}

/* Writes ", expected A, B or C" into out when the set of expected
** terminals can be said in four items or fewer; else writes "". */
static void describe_expected(const bool *ok, int ntok, char *out,
                              size_t outsz) {
  enum { MAXITEMS = 4 };
  const char *items[MAXITEMS];
  char bufs[MAXITEMS][24];
  int n = 0;
  out[0] = 0;
  bool expr = ok[TK_ID] && ok[TK_INTEGER] && ok[TK_STRING] && ok[TK_LP];
  bool value = !expr && ok[TK_ID] && ok[TK_INTEGER] && ok[TK_STRING];
  if (expr) items[n++] = "an expression";
  if (value) items[n++] = "a value";
  /* After an expression '=' is an operator, after SET x it is not. */
  bool after_expr = ok[TK_PLUS] || ok[TK_AND] || ok[TK_IS];
  for (int t = 1; t < ntok; t++) {
    if (!ok[t]) continue;
    if ((expr || value) && starts_expr(t)) continue;
    if (after_expr && continues_expr(t)) continue;
    if (ok[TK_ID] && edParseFallback(t) == TK_ID) continue;  /* as a name */
    if (t == TK_FLOAT && ok[TK_INTEGER]) continue;
    char tmp[24];
    const char *d = token_display(t, tmp, sizeof tmp);
    if (!d) continue;
    if (n == MAXITEMS) return;
    snprintf(bufs[n], sizeof bufs[n], "%s", d);
    items[n] = bufs[n];
    n++;
  }
  if (n == 0) return;
  size_t len = (size_t)snprintf(out, outsz, ", expected %s", items[0]);
  for (int i = 1; i < n && len < outsz; i++)
    len += (size_t)snprintf(out + len, outsz - len, "%s%s",
                            i == n - 1 ? " or " : ", ", items[i]);
}

void ed_parse_syntax_error(EdParseCtx *c, int major, const EdToken *tok,
                           const bool *expected, int ntok) {
  if (c->failed) return;
  char exp[200];
  describe_expected(expected, ntok, exp, sizeof exp);
  if (major == 0 || tok->n == 0) {
    ed_parse_error_at(c, &tok->pos, "unexpected end of input%s", exp);
    return;
  }
  int n = 0;
  while (n < tok->n && n < 40 && tok->z[n] != '\n') n++;
  const char *more = n < tok->n ? "..." : "";
  bool starts_stmt = major == TK_SELECT || major == TK_CREATE ||
                     major == TK_INSERT || major == TK_DROP;
  if (starts_stmt && expected[TK_SEMI])
    ed_parse_error_at(c, &tok->pos,
                      "syntax error near \"%.*s\" (missing ';' after the "
                      "previous statement?)", n, tok->z);
  else
    ed_parse_error_at(c, &tok->pos, "syntax error near \"%.*s%s\"%s", n,
                      tok->z, more, exp);
}

/* ------------------------------------------------------------- driver */

/* True when word t names a time unit and str (the string token before it)
** holds a bare number, as in INTERVAL '5' MINUTE; in INTERVAL '5 seconds' d
** the word is an alias. */
static bool is_unit(const EdToken *str, const EdToken *t) {
  for (int i = 1; i < str->n - 1; i++) {
    char ch = str->z[i];
    if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' ||
          ch == ' '))
      return false;
  }
  char word[16];
  if (t->n >= (int)sizeof word || t->z[0] == '"' || t->z[0] == '`')
    return false;
  memcpy(word, t->z, (size_t)t->n);
  word[t->n] = 0;
  int64_t us;
  return ed_parse_interval("1", 1, word, &us) == 0;
}

/* Reports token tok (code) as a syntax error, with what the parser would
** have accepted in its place. */
static void reject(void *p, EdParseCtx *c, int code, const EdToken *tok) {
  bool ok[256];
  int ntok = ed_grammar_ntokens();
  assert(ntok <= 256);
  ed_grammar_expected_set(p, ok, ntok);
  ed_parse_syntax_error(c, code, tok, ok, ntok);
}

/* Keywords that would otherwise be taken for an alias, which Lemon allows
** wherever a name may follow (its fallback beats the default reduction):
** they are keywords only when the next token continues their clause, and
** names otherwise (so a column may be called "trigger" or "left"). */
static int contextual(int code, int next, int next2) {
  switch (code) {
  case TK_EMIT:
    return next == TK_COMPLETE || next == TK_UPDATE || next == TK_APPEND ||
                   next == TK_CHANGES ? code : TK_ID;
  case TK_TRIGGER:
    return next == TK_PROCESSING || next == TK_ONCE || next == TK_AVAILABLE
               ? code : TK_ID;
  case TK_LEFT:
  case TK_RIGHT:
    return next == TK_JOIN || next == TK_OUTER ? code : TK_ID;
  case TK_WATERMARK:   /* WATERMARK FOR c AS ..., WATERMARK c DELAY OF */
    if (next == TK_FOR) return code;
    return (next == TK_ID || (next > 0 && edParseFallback(next) == TK_ID)) &&
                   next2 == TK_DELAY ? code : TK_ID;
  default:
    return code;
  }
}

int ed_parse(EdArena *arena, const char *sql, EdAstList *out, EdError *err) {
  EdError local, lookerr;
  EdParseCtx ctx = {arena, sql, out, err ? err : &local, false, {0, 0, 0}};
  EdLexer lx;
  ed_lexer_init(&lx, sql);
  void *p = edParseAlloc(ed_malloc);
  int c1 = 0, c2 = 0;       /* codes of the last two tokens fed */
  EdToken prev = {0};       /* the last token fed */
  int last_end = 0;         /* end offset of the last token but ';' */
  /* One token of lookahead; its lexical error waits in lookerr until the
  ** parser reaches it, so that an earlier syntax error is reported first. */
  EdToken tok, next;
  int code = ed_lexer_next(&lx, &tok, &lookerr, NULL);
  for (;;) {
    if (code == ED_LEX_ERROR) {
      *ctx.err = lookerr;
      ctx.failed = true;
      break;
    }
    if (code == 0) break;
    int ncode = ed_lexer_next(&lx, &next, &lookerr, NULL);
    if (code == TK_WATERMARK) {
      EdLexer ahead = lx;   /* the token after next, for WATERMARK c DELAY */
      EdToken t2;
      code = contextual(code, ncode, ed_lexer_next(&ahead, &t2, NULL, NULL));
    } else {
      code = contextual(code, ncode, 0);
    }
    if (code == TK_ID && c1 == TK_STRING && c2 == TK_INTERVAL &&
        is_unit(&prev, &tok))
      code = TK_UNIT;
    if (code == TK_SEMI) tok.prev_end = last_end;
    if (!ed_grammar_accepts(p, code)) {
      reject(p, &ctx, code, &tok);
      break;
    }
    ctx.tok_pos = tok.pos;
    edParse(p, code, tok, &ctx);
    if (ctx.failed) break;
    if (code != TK_SEMI) last_end = tok.pos.offset + tok.n;
    c2 = c1;
    c1 = code;
    prev = tok;
    tok = next;
    code = ncode;
  }
  if (!ctx.failed && c1 != 0 && c1 != TK_SEMI) {
    EdToken semi = {sql + last_end, 0, ed_pos_at(sql, last_end), last_end};
    ctx.tok_pos = semi.pos;
    if (ed_grammar_accepts(p, TK_SEMI)) edParse(p, TK_SEMI, semi, &ctx);
    else reject(p, &ctx, TK_SEMI, &semi);
  }
  if (!ctx.failed && c1 != 0) {
    EdToken eof = {sql + last_end, 0, ed_pos_at(sql, last_end), last_end};
    ctx.tok_pos = eof.pos;
    edParse(p, 0, eof, &ctx);
  }
  edParseFree(p, free);
  return ctx.failed ? -1 : 0;
}

bool ed_sql_complete(const char *text) {
  EdLexer lx;
  EdToken tok;
  EdLexErr kind;
  int last = 0;
  ed_lexer_init(&lx, text);
  for (;;) {
    int code = ed_lexer_next(&lx, &tok, NULL, &kind);
    if (code == 0) break;
    if (code == ED_LEX_ERROR) {
      if (kind == ED_LEXERR_UNTERMINATED) return false;
      last = ED_LEX_ERROR;
      continue;
    }
    last = code;
  }
  return last == TK_SEMI;
}
