/*
** parser/parse_int.h — the parser's private interface: the context that
** the Lemon grammar's actions share with the driver (parse.c), the small
** value types of intermediate grammar symbols, and the AST constructors
** (ast.c) that the actions call.
**
** Constructors never return NULL: on a semantic error (unknown type name,
** invalid interval, expression too deep) they record the error in the
** context and still return a well-formed node, because Lemon may run more
** actions before the driver sees the error and stops.
*/
#ifndef ED_PARSE_INT_H
#define ED_PARSE_INT_H

#include "parser/ast.h"
#include "parser/lexer.h"

/* Deepest expression tree accepted (as SQLite's SQLITE_MAX_EXPR_DEPTH);
** later layers recurse over expressions. */
#define ED_MAX_EXPR_DEPTH 1000
/* Most tables joined in one FROM clause (join trees are walked
** recursively by the planner). */
#define ED_MAX_JOIN_DEPTH 1000

typedef struct EdParseCtx {
  EdArena *arena;
  const char *sql;        /* the whole script */
  EdAstList *out;         /* parsed statements, EdAstStmt* */
  EdError *err;
  bool failed;            /* err holds the first error; stop parsing */
  EdPos tok_pos;          /* position of the token being fed */
} EdParseCtx;

/* A NOT-able operator: its first token (NOT or the operator) and whether
** NOT was written. */
typedef struct EdOpTok {
  EdToken tok;
  bool neg;
} EdOpTok;

typedef struct EdLimit {
  EdAstExpr *limit;
  EdAstExpr *offset;
} EdLimit;

/* The streaming clauses that close a query, gathered in any order. */
typedef struct EdQueryTail {
  EdEmitMode emit;
  EdTriggerKind trigger;
  int64_t trigger_interval_us;
  bool has_options;
  EdAstList options;
} EdQueryTail;

typedef struct EdJoinCond {
  EdAstExpr *on;
  bool has_using;
  EdAstList using_cols;   /* char* */
} EdJoinCond;

typedef struct EdWmark {
  char *column;           /* NULL: no WATERMARK clause */
  EdAstExpr *delay;
} EdWmark;

/* One item of a CREATE TABLE/STREAM column list: a column definition or
** the WATERMARK FOR clause. */
typedef struct EdColItem {
  EdAstColumnDef *col;    /* NULL for a watermark item */
  char *wm_column;
  EdAstExpr *wm_expr;
  EdPos pos;
} EdColItem;

/* Column constraints seen after a column's type (bit set). */
#define ED_CONS_PRIMARY_KEY 1
#define ED_CONS_NOT_NULL 2

/* ------------------------------------------------------------ errors */

/* Records an error at pos (the first error wins) and marks the parse as
** failed.  Returns nothing: actions go on, the driver stops. */
void ed_parse_error_at(EdParseCtx *c, const EdPos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds the message of a syntax error at token tok (code major).
** expected[t] is true for each terminal t the parser would have accepted
** instead (ntok entries). */
void ed_parse_syntax_error(EdParseCtx *c, int major, const EdToken *tok,
                           const bool *expected, int ntok);

/* Queries on the Lemon parser's state (grammar.y): whether terminal t
** would be accepted now, the number of terminals, and the set of all
** acceptable terminals (ok[0..ntok)). */
bool ed_grammar_accepts(void *parser, int t);
int ed_grammar_ntokens(void);
void ed_grammar_expected_set(void *parser, bool *ok, int ntok);

/* ------------------------------------------------------- expressions */

/* Copies a name token, unquoting "..." and `...` (doubled quotes). */
char *ed_ast_name(EdParseCtx *c, const EdToken *t);

/* A literal from a NULL, TRUE, FALSE, INTEGER, FLOAT or STRING token. */
EdAstExpr *ed_ast_literal(EdParseCtx *c, int major, const EdToken *t);
/* A literal for an option or SET value: a number preceded by a sign. */
EdAstExpr *ed_ast_signed_literal(EdParseCtx *c, const EdToken *sign,
                                 int major, const EdToken *t);
/* A VARCHAR literal holding a name (SET x = update). */
EdAstExpr *ed_ast_name_literal(EdParseCtx *c, const EdToken *t);
/* INTERVAL 'text' [unit], or a bare 'text' where only an interval fits
** (kw NULL); unit may be NULL.  The value is parsed now so that an error
** points at the literal. */
EdAstExpr *ed_ast_interval(EdParseCtx *c, const EdToken *kw,
                           const EdToken *str, const EdToken *unit);

EdAstExpr *ed_ast_column(EdParseCtx *c, const EdToken *qual,
                         const EdToken *name);
EdAstExpr *ed_ast_unary(EdParseCtx *c, EdAstOp op, const EdToken *optok,
                        EdAstExpr *x);
EdAstExpr *ed_ast_binary(EdParseCtx *c, EdAstOp op, const EdToken *optok,
                         EdAstExpr *l, EdAstExpr *r);
/* l IS [NOT] r: IS [NOT] NULL when r is the NULL literal, else the
** null-safe comparison OP_IS / OP_IS_NOT. */
EdAstExpr *ed_ast_is(EdParseCtx *c, bool neg, const EdToken *optok,
                     EdAstExpr *l, EdAstExpr *r);
/* l ISNULL / NOTNULL / NOT NULL; last is the final token. */
EdAstExpr *ed_ast_is_null(EdParseCtx *c, bool neg, const EdToken *optok,
                          EdAstExpr *l, const EdToken *last);
EdAstExpr *ed_ast_between(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                          EdAstExpr *lo, EdAstExpr *hi);
EdAstExpr *ed_ast_in_list(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                          const EdAstList *list, const EdToken *rp);
EdAstExpr *ed_ast_in_query(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                           EdAstQuery *q, const EdToken *rp);
EdAstExpr *ed_ast_exists(EdParseCtx *c, const EdToken *kw, EdAstQuery *q,
                         const EdToken *rp);
EdAstExpr *ed_ast_subquery(EdParseCtx *c, const EdToken *lp, EdAstQuery *q,
                           const EdToken *rp);
EdAstExpr *ed_ast_like(EdParseCtx *c, const EdOpTok *op, EdAstExpr *l,
                       EdAstExpr *r, EdAstExpr *esc);
EdAstExpr *ed_ast_case(EdParseCtx *c, const EdToken *kw, EdAstExpr *operand,
                       const EdAstList *whens, EdAstExpr *els,
                       const EdToken *end);
EdAstExpr *ed_ast_cast(EdParseCtx *c, const EdToken *kw, EdAstExpr *x,
                       const EdToken *type, const EdToken *rp);
/* name([DISTINCT] args) or name(*) (star); rp is the closing ')'. */
EdAstExpr *ed_ast_func(EdParseCtx *c, const EdToken *name, bool distinct,
                       const EdAstList *args, bool star, const EdToken *rp);
/* ( x ): widens x's text span to the parentheses. */
EdAstExpr *ed_ast_paren(EdParseCtx *c, const EdToken *lp, EdAstExpr *x,
                        const EdToken *rp);

/* Maps a type name token (possibly "DOUBLE PRECISION") to a type; an
** unknown name is an error at the token. */
EdType ed_ast_type(EdParseCtx *c, const EdToken *t);

/* Appends to a list in the parse arena (pointer items). */
void ed_ast_push(EdParseCtx *c, EdAstList *l, void *item);

/* ---------------------------------------------------------- queries */

EdAstSelect *ed_ast_select(EdParseCtx *c, const EdToken *kw, bool distinct,
                           const EdAstList *items, EdAstFrom *from,
                           EdAstExpr *where, const EdAstList *group_by,
                           EdAstExpr *having);
EdAstSelItem *ed_ast_sel_expr(EdParseCtx *c, EdAstExpr *e,
                              const EdToken *alias);
/* * or qual.* in a select list; qual may be NULL. */
EdAstSelItem *ed_ast_sel_star(EdParseCtx *c, const EdToken *qual,
                              const EdToken *star);

EdAstQuery *ed_ast_query_new(EdParseCtx *c, EdAstSelect *first);
void ed_ast_query_add(EdParseCtx *c, EdAstQuery *q, EdSetOp op,
                      EdAstSelect *s);
void ed_ast_query_finish(EdParseCtx *c, EdAstQuery *q,
                         const EdAstList *order_by, const EdLimit *limit,
                         const EdQueryTail *tail);
EdAstOrderItem *ed_ast_order_item(EdParseCtx *c, EdAstExpr *e, bool desc,
                                  int nulls_first);

/* Merges one streaming clause (in x) into the tail t; a clause given
** twice is an error at at. */
void ed_ast_tail_merge(EdParseCtx *c, EdQueryTail *t, const EdQueryTail *x,
                       const EdToken *at);
/* TRIGGER PROCESSING TIME <interval literal> */
void ed_ast_tail_trigger_time(EdParseCtx *c, EdQueryTail *t,
                              const EdAstExpr *interval);

/* An option key as written: a name, dotted names (a.b.c) or a string. */
typedef struct EdOptKey {
  char *text;
  EdPos pos;
} EdOptKey;

EdOptKey ed_ast_optkey(EdParseCtx *c, const EdOptKey *prefix,
                       const EdToken *part);
/* key = value; the key is lower-cased. */
EdAstOption *ed_ast_option(EdParseCtx *c, const EdOptKey *key,
                           EdAstExpr *value);

EdAstFrom *ed_ast_from_table(EdParseCtx *c, const EdToken *name,
                             const EdToken *alias, const EdWmark *wm);
EdAstFrom *ed_ast_from_subquery(EdParseCtx *c, const EdToken *lp,
                                EdAstQuery *q, const EdToken *alias);
/* A join; jt is JOIN_INNER, JOIN_LEFT or JOIN_CROSS as written, adjusted
** here: CROSS with ON becomes INNER, INNER without ON/USING becomes CROSS. */
EdAstFrom *ed_ast_from_join(EdParseCtx *c, EdAstFrom *l, int jt,
                            const EdToken *at, EdAstFrom *r,
                            const EdJoinCond *cond);
/* Rejects join kinds eddy does not have (RIGHT, FULL, NATURAL). */
int ed_ast_unsupported_join(EdParseCtx *c, const EdToken *kw);

/* ------------------------------------------------------- statements */

EdAstStmt *ed_ast_stmt_new(EdParseCtx *c, EdStmtKind kind,
                           const EdToken *first);
/* Records the statement's text span (up to the token before semi) and
** appends it to the output. */
void ed_ast_stmt_done(EdParseCtx *c, EdAstStmt *s, const EdToken *semi);
/* Adds a column definition or watermark clause to a CREATE statement. */
void ed_ast_table_item(EdParseCtx *c, EdAstStmt *s, const EdColItem *it);
EdAstColumnDef *ed_ast_coldef(EdParseCtx *c, const EdToken *name,
                              const EdToken *type, int constraints);

#endif
