/*
** parser/ast.c — constructors of expression nodes, called by the grammar's
** actions, and the helpers every constructor shares (names, literals,
** lists, errors).
**
** Each constructor fills the node's position (the token that starts it, or
** the operator token), its text span [start_offset, end_offset) and its
** height.  Literal values are decoded here, once, into the parse arena:
** strings are unescaped, numbers converted (an integer too large for
** BIGINT becomes DOUBLE), intervals parsed so that a bad one is reported
** at the literal.  Query and statement constructors are in ast_stmt.c.
*/
#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser/grammar.h"
#include "parser/parse_int.h"

/* ---------------------------------------------------------------- shared */

void ed_parse_error_at(EdParseCtx *c, const EdPos *pos, const char *fmt,
                       ...) {
  if (c->failed) return;
  c->failed = true;
  if (!c->err) return;
  c->err->kind = ED_ERR_SYNTAX;
  if (pos) c->err->pos = *pos;
  else memset(&c->err->pos, 0, sizeof c->err->pos);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
  va_end(ap);
}

void ed_ast_list_push(EdArena *a, EdAstList *l, void *item) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 4;
    void **items = ed_arena_alloc(a, sizeof(void *) * (size_t)cap);
    if (l->n) memcpy(items, l->items, sizeof(void *) * (size_t)l->n);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->n++] = item;
}

void ed_ast_push(EdParseCtx *c, EdAstList *l, void *item) {
  ed_ast_list_push(c->arena, l, item);
}

/* Copies the text between quote characters q, turning each doubled quote
** into one.  z[0] and z[n-1] are the quotes. */
static char *unquote(EdParseCtx *c, const char *z, int n, int *len) {
  char q = z[0];
  char *out = ed_arena_alloc(c->arena, (size_t)n);
  int k = 0;
  for (int i = 1; i < n - 1; i++) {
    out[k++] = z[i];
    if (z[i] == q) i++;     /* the lexer guarantees it is doubled */
  }
  out[k] = 0;
  if (len) *len = k;
  return out;
}

char *ed_ast_name(EdParseCtx *c, const EdToken *t) {
  if (!t || t->n == 0) return NULL;
  if (t->z[0] == '"' || t->z[0] == '`' || t->z[0] == '\'')
    return unquote(c, t->z, t->n, NULL);
  return ed_arena_strndup(c->arena, t->z, (size_t)t->n);
}

/* A zeroed node of kind k positioned at token t (its whole text). */
static EdAstExpr *new_expr(EdParseCtx *c, EdAstKind k, const EdToken *t) {
  EdAstExpr *e = ed_arena_alloc(c->arena, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = k;
  e->pos = t->pos;
  e->start_offset = t->pos.offset;
  e->end_offset = t->pos.offset + t->n;
  e->height = 1;
  return e;
}

/* Sets e's height from its children's and refuses a tree that later
** layers could not walk without exhausting the C stack. */
static void set_height(EdParseCtx *c, EdAstExpr *e, const EdAstExpr *a,
                       const EdAstExpr *b, const EdAstExpr *d) {
  int h = 0;
  if (a && a->height > h) h = a->height;
  if (b && b->height > h) h = b->height;
  if (d && d->height > h) h = d->height;
  for (int i = 0; i < e->list.n; i++) {
    const EdAstExpr *x = e->list.items[i];
    if (x->height > h) h = x->height;
  }
  e->height = h + 1;
  if (e->height > ED_MAX_EXPR_DEPTH)
    ed_parse_error_at(c, &e->pos,
                      "expression nested too deeply (more than %d levels)",
                      ED_MAX_EXPR_DEPTH);
}

/* Copies a list (the grammar's value lists are reused by Lemon). */
static void copy_list(EdAstList *dst, const EdAstList *src) {
  if (src) *dst = *src;
  else memset(dst, 0, sizeof *dst);
}

/* ------------------------------------------------------------- literals */

/* strtod in the "C" locale, whatever setlocale() the program made. */
static double c_strtod(const char *s) {
  locale_t loc = ed_c_locale();
  return loc ? strtod_l(s, NULL, loc) : strtod(s, NULL);
}

/* Decodes an integer token: decimal (DOUBLE when it overflows BIGINT) or
** hexadecimal (64-bit two's complement, as SQLite). */
static void decode_integer(EdParseCtx *c, const EdToken *t, EdAstLit *lit) {
  const char *z = t->z;
  int n = t->n;
  if (n > 2 && z[0] == '0' && (z[1] == 'x' || z[1] == 'X')) {
    uint64_t v = 0;
    int digits = 0;
    for (int i = 2; i < n; i++) {
      char ch = z[i];
      int d = ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10;
      if (digits || d) digits++;
      v = (v << 4) | (uint64_t)d;
    }
    if (digits > 16)
      ed_parse_error_at(c, &t->pos, "hexadecimal literal too big: %.*s",
                        n > 40 ? 40 : n, z);
    lit->type = ED_T_BIGINT;
    lit->i = (int64_t)v;
    return;
  }
  uint64_t v = 0;
  for (int i = 0; i < n; i++) {
    unsigned d = (unsigned)(z[i] - '0');
    if (v > (UINT64_MAX - d) / 10 || v * 10 + d > (uint64_t)INT64_MAX) {
      char *copy = ed_arena_strndup(c->arena, z, (size_t)n);
      lit->type = ED_T_DOUBLE;
      lit->d = c_strtod(copy);
      return;
    }
    v = v * 10 + d;
  }
  lit->type = ED_T_BIGINT;
  lit->i = (int64_t)v;
}

EdAstExpr *ed_ast_literal(EdParseCtx *c, int major, const EdToken *t) {
  EdAstExpr *e = new_expr(c, AST_LITERAL, t);
  EdAstLit *lit = &e->lit;
  switch (major) {
  case TK_NULL:
    lit->type = ED_T_NULL;
    break;
  case TK_TRUE:
  case TK_FALSE:
    lit->type = ED_T_BOOL;
    lit->b = major == TK_TRUE;
    break;
  case TK_INTEGER:
    decode_integer(c, t, lit);
    break;
  case TK_FLOAT: {
    char *copy = ed_arena_strndup(c->arena, t->z, (size_t)t->n);
    lit->type = ED_T_DOUBLE;
    lit->d = c_strtod(copy);
    break;
  }
  default:
    assert(major == TK_STRING);
    lit->type = ED_T_VARCHAR;
    lit->s = unquote(c, t->z, t->n, &lit->slen);
    break;
  }
  return e;
}

EdAstExpr *ed_ast_signed_literal(EdParseCtx *c, const EdToken *sign,
                                 int major, const EdToken *t) {
  EdAstExpr *e = ed_ast_literal(c, major, t);
  e->pos = sign->pos;
  e->start_offset = sign->pos.offset;
  if (sign->z[0] != '-') return e;
  if (e->lit.type == ED_T_BIGINT) {
    /* Two's complement negation: -(INT64_MIN), written -0x8000000000000000,
    ** stays INT64_MIN instead of overflowing. */
    e->lit.i = (int64_t)(0 - (uint64_t)e->lit.i);
  } else if (t->n == 19 && memcmp(t->z, "9223372036854775808", 19) == 0) {
    e->lit.type = ED_T_BIGINT;     /* exactly INT64_MIN */
    e->lit.i = INT64_MIN;
  } else {
    e->lit.d = -e->lit.d;
  }
  return e;
}

EdAstExpr *ed_ast_name_literal(EdParseCtx *c, const EdToken *t) {
  EdAstExpr *e = new_expr(c, AST_LITERAL, t);
  e->lit.type = ED_T_VARCHAR;
  e->lit.s = ed_ast_name(c, t);
  e->lit.slen = (int)strlen(e->lit.s);
  return e;
}

EdAstExpr *ed_ast_interval(EdParseCtx *c, const EdToken *kw,
                           const EdToken *str, const EdToken *unit) {
  EdAstExpr *e = new_expr(c, AST_LITERAL, kw ? kw : str);
  const EdToken *last = unit ? unit : str;
  e->end_offset = last->pos.offset + last->n;
  int len;
  char *text = unquote(c, str->z, str->n, &len);
  char *u = unit ? ed_arena_strndup(c->arena, unit->z, (size_t)unit->n)
                 : NULL;
  e->lit.type = ED_T_INTERVAL;
  if (ed_parse_interval(text, (size_t)len, u, &e->lit.i) != 0) {
    if (u)
      ed_parse_error_at(c, &e->pos, "invalid interval '%.60s' %s", text, u);
    else
      ed_parse_error_at(c, &e->pos,
                        "invalid interval '%.60s' (expected e.g. '10 "
                        "seconds', '1 minute', '500 milliseconds')",
                        text);
  }
  return e;
}

/* ---------------------------------------------------------- expressions */

EdAstExpr *ed_ast_column(EdParseCtx *c, const EdToken *qual,
                         const EdToken *name) {
  EdAstExpr *e = new_expr(c, AST_COLUMN, qual ? qual : name);
  e->end_offset = name->pos.offset + name->n;
  e->qualifier = qual ? ed_ast_name(c, qual) : NULL;
  e->name = ed_ast_name(c, name);
  return e;
}

/* True when x's text is exactly its own first token, not parenthesized. */
static bool bare(const EdAstExpr *x) {
  return x->start_offset == x->pos.offset;
}

EdAstExpr *ed_ast_unary(EdParseCtx *c, EdAstOp op, const EdToken *optok,
                        EdAstExpr *x) {
  /* NOT EXISTS is one node; -9223372036854775808 is INT64_MIN. */
  if (op == OP_NOT && x->kind == AST_EXISTS && !x->negated && bare(x)) {
    x->negated = true;
    x->pos = optok->pos;
    x->start_offset = optok->pos.offset;
    return x;
  }
  if (op == OP_NEG && x->kind == AST_LITERAL && x->lit.type == ED_T_DOUBLE &&
      bare(x) && x->end_offset - x->start_offset == 19 &&
      memcmp(c->sql + x->start_offset, "9223372036854775808", 19) == 0) {
    x->lit.type = ED_T_BIGINT;
    x->lit.i = INT64_MIN;
    x->pos = optok->pos;
    x->start_offset = optok->pos.offset;
    return x;
  }
  EdAstExpr *e = new_expr(c, AST_UNARY, optok);
  e->op = op;
  e->left = x;
  e->end_offset = x->end_offset;
  set_height(c, e, x, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_binary(EdParseCtx *c, EdAstOp op, const EdToken *optok,
                         EdAstExpr *l, EdAstExpr *r) {
  EdAstExpr *e = new_expr(c, AST_BINARY, optok);
  e->op = op;
  e->left = l;
  e->right = r;
  e->start_offset = l->start_offset;
  e->end_offset = r->end_offset;
  set_height(c, e, l, r, NULL);
  return e;
}

EdAstExpr *ed_ast_is(EdParseCtx *c, bool neg, const EdToken *optok,
                     EdAstExpr *l, EdAstExpr *r) {
  if (r->kind == AST_LITERAL && r->lit.type == ED_T_NULL) {
    EdAstExpr *e = new_expr(c, AST_IS_NULL, optok);
    e->negated = neg;
    e->left = l;
    e->start_offset = l->start_offset;
    e->end_offset = r->end_offset;
    set_height(c, e, l, NULL, NULL);
    return e;
  }
  return ed_ast_binary(c, neg ? OP_IS_NOT : OP_IS, optok, l, r);
}

EdAstExpr *ed_ast_is_null(EdParseCtx *c, bool neg, const EdToken *optok,
                          EdAstExpr *l, const EdToken *last) {
  EdAstExpr *e = new_expr(c, AST_IS_NULL, optok);
  e->negated = neg;
  e->left = l;
  e->start_offset = l->start_offset;
  e->end_offset = last->pos.offset + last->n;
  set_height(c, e, l, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_between(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                          EdAstExpr *lo, EdAstExpr *hi) {
  EdAstExpr *e = new_expr(c, AST_BETWEEN, &op->tok);
  e->negated = op->neg;
  e->left = l;
  e->right = lo;
  e->third = hi;
  e->start_offset = l->start_offset;
  e->end_offset = hi->end_offset;
  set_height(c, e, l, lo, hi);
  return e;
}

EdAstExpr *ed_ast_in_list(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                          const EdAstList *list, const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_IN_LIST, &op->tok);
  e->negated = op->neg;
  e->left = l;
  copy_list(&e->list, list);
  e->start_offset = l->start_offset;
  e->end_offset = rp->pos.offset + rp->n;
  set_height(c, e, l, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_in_query(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                           EdAstQuery *q, const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_IN_QUERY, &op->tok);
  e->negated = op->neg;
  e->left = l;
  e->query = q;
  e->start_offset = l->start_offset;
  e->end_offset = rp->pos.offset + rp->n;
  set_height(c, e, l, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_exists(EdParseCtx *c, const EdToken *kw, EdAstQuery *q,
                         const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_EXISTS, kw);
  e->query = q;
  e->end_offset = rp->pos.offset + rp->n;
  return e;
}

EdAstExpr *ed_ast_subquery(EdParseCtx *c, const EdToken *lp, EdAstQuery *q,
                           const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_SUBQUERY, lp);
  e->query = q;
  e->end_offset = rp->pos.offset + rp->n;
  return e;
}

EdAstExpr *ed_ast_like(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                       EdAstExpr *r, EdAstExpr *esc) {
  EdAstExpr *e = new_expr(c, AST_LIKE, &op->tok);
  e->negated = op->neg;
  e->left = l;
  e->right = r;
  e->third = esc;
  e->start_offset = l->start_offset;
  e->end_offset = (esc ? esc : r)->end_offset;
  set_height(c, e, l, r, esc);
  return e;
}

EdAstExpr *ed_ast_case(EdParseCtx *c, const EdToken *kw, EdAstExpr *operand,
                       const EdAstList *whens, EdAstExpr *els,
                       const EdToken *end) {
  EdAstExpr *e = new_expr(c, AST_CASE, kw);
  e->left = operand;
  copy_list(&e->list, whens);
  e->third = els;
  e->end_offset = end->pos.offset + end->n;
  set_height(c, e, operand, els, NULL);
  return e;
}

EdAstExpr *ed_ast_cast(EdParseCtx *c, const EdToken *kw, EdAstExpr *x,
                       const EdToken *type, const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_CAST, kw);
  e->left = x;
  e->cast_type = ed_ast_type(c, type);
  e->end_offset = rp->pos.offset + rp->n;
  set_height(c, e, x, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_func(EdParseCtx *c, const EdToken *name, bool distinct,
                       const EdAstList *args, bool star, const EdToken *rp) {
  EdAstExpr *e = new_expr(c, AST_FUNC, name);
  e->name = ed_ast_name(c, name);
  e->distinct = distinct;
  e->star = star;
  copy_list(&e->list, args);
  e->end_offset = rp->pos.offset + rp->n;
  if (distinct && e->list.n == 0)
    ed_parse_error_at(c, &rp->pos, "DISTINCT in %s() needs an argument",
                      e->name);
  set_height(c, e, NULL, NULL, NULL);
  return e;
}

EdAstExpr *ed_ast_paren(EdParseCtx *c, const EdToken *lp, EdAstExpr *x,
                        const EdToken *rp) {
  (void)c;
  x->start_offset = lp->pos.offset;
  x->end_offset = rp->pos.offset + rp->n;
  return x;
}

/* ---------------------------------------------------------------- types */

static bool word_eq(const char *z, int n, const char *w) {
  return (int)strlen(w) == n && strncasecmp(z, w, (size_t)n) == 0;
}

EdType ed_ast_type(EdParseCtx *c, const EdToken *t) {
  /* The first word; a longer token is "DOUBLE PRECISION". */
  int n = 0;
  while (n < t->n && t->z[n] != ' ' && t->z[n] != '\t' && t->z[n] != '\n' &&
         t->z[n] != '\r' && t->z[n] != '/' && t->z[n] != '-')
    n++;
  EdType ty = ED_T_NULL;
  if (n < t->n) {
    if (word_eq(t->z, n, "double")) ty = ed_type_from_name(t->z, (size_t)n);
  } else if (t->z[0] == '"' || t->z[0] == '`') {
    char *name = ed_ast_name(c, t);
    ty = ed_type_from_name(name, strlen(name));
  } else {
    ty = ed_type_from_name(t->z, (size_t)t->n);
  }
  if (ty == ED_T_NULL)
    ed_parse_error_at(c, &t->pos, "unknown type \"%.*s\"",
                      t->n > 60 ? 60 : t->n, t->z);
  return ty;
}

/* ------------------------------------------------------------ expr text */

char *ed_ast_expr_text(EdArena *a, const char *sql, const EdAstExpr *e) {
  if (!e || e->end_offset < e->start_offset) return ed_arena_strdup(a, "");
  return ed_arena_strndup(a, sql + e->start_offset,
                          (size_t)(e->end_offset - e->start_offset));
}

/* ------------------------------------------------------------ operators */

const char *ed_ast_op_text(EdAstOp op) {
  switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_CONCAT: return "||";
    case OP_EQ: return "=";
    case OP_NE: return "<>";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_IS: return "IS";
    case OP_IS_NOT: return "IS NOT";
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    case OP_NOT: return "NOT";
    case OP_NEG: return "-";
    case OP_PLUS: return "+";
    default: return "?";
  }
}
