/*
** planner/binder_int.h — declarations shared by the binder's files
** (binder.c: queries and FROM; binder_expr.c: expressions; binder_func.c:
** function and aggregate calls; binder_const.c: constant expressions).
** Private to planner/.
*/
#ifndef ED_BINDER_INT_H
#define ED_BINDER_INT_H

#include "planner/planner_int.h"

/* The row an expression is bound against: the columns of a FROM clause,
** with the USING duplicates hidden from `*` and unqualified names. */
typedef struct EdScope {
  EdSchema schema;
  bool *hidden;             /* NULL, or one flag per column */
} EdScope;

/* One output column of a select list (after `*` expansion). */
typedef struct EdSelItem {
  const EdAstExpr *ast;     /* NULL for a column of a `*` expansion */
  int star_col;             /* that column, in the scope */
  const char *alias;        /* AS alias, or NULL */
  const char *name;         /* output column name */
  EdPos pos;
  EdExpr *bound;            /* bound expression (select's output row) */
} EdSelItem;

/* Group keys and aggregate calls of an aggregate query: expressions of
** the select list, HAVING and ORDER BY are bound over the aggregate's
** output row (keys then aggregates). */
typedef struct EdAggCtx {
  int nkeys;
  EdExpr **keys;            /* bound over the FROM row */
  int naggs, cap;
  EdAggCall *aggs;
  EdPos pos;                /* where errors about the aggregation point:
                               its window key, else its first key, else
                               the SELECT */
} EdAggCtx;

struct EdSubqFrame;

typedef struct EdBinder {
  EdCatalog *cat;
  const char *sql;
  EdArena *arena;
  EdError *err;
  struct EdSubqFrame *subq;   /* the subquery this binder binds (see
                                 binder_subquery.c), NULL at top level */
} EdBinder;

typedef struct EdBindCtx {
  EdBinder *b;
  const EdScope *scope;
  const char *clause;       /* "WHERE", "ON", ...: for error messages */
  EdAggCtx *agg;            /* non-NULL: bind over the aggregate's output */
  const EdSelItem *items;   /* select items for alias references, or NULL */
  int nitems;
  bool in_agg;              /* binding an aggregate's argument */
  bool in_alias;            /* inside an alias expansion: no more aliases */
} EdBindCtx;

/* Binds e; returns NULL with b->err set on error. */
EdExpr *ed_bind_expr(EdBindCtx *c, const EdAstExpr *e);

/* Binds a condition: the result must be BOOLEAN (an untyped NULL is). */
EdExpr *ed_bind_cond(EdBindCtx *c, const EdAstExpr *e);

/* Binds column col of the scope as a select item from a `*` expansion
** (in an aggregate query it must be a group key).  pos is the star's. */
EdExpr *ed_bind_scope_col(EdBindCtx *c, int col, EdPos pos);

/* True when e contains an aggregate call (following select aliases when
** the context allows them). */
bool ed_ast_has_agg(const EdBindCtx *c, const EdAstExpr *e);

/* True when name is an aggregate function name. */
bool ed_is_agg_name(const char *name);

/* Converts both expressions to a common type for comparison (literal
** strings take the other side's type).  pa/pb locate them for errors. */
int ed_bind_unify2(EdBindCtx *c, EdExpr **a, EdPos pa, EdExpr **b, EdPos pb,
                   const char *what);

/* Levenshtein distance between two names, case-insensitive, capped. */
int ed_name_distance(const char *a, const char *b);

/* Binds and plans a query (used for FROM subqueries too). */
EdPlan *ed_bind_query(EdBinder *b, const EdAstQuery *q);

/* Sets a bind error at pos and returns NULL. */
EdExpr *ed_bind_errorf(EdBindCtx *c, EdPos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Binds a subquery in an expression (AST_SUBQUERY, AST_EXISTS,
** AST_IN_QUERY) as an EXPR_SUBQUERY node, planning the subquery
** (binder_subquery.c).  The subquery is bound by a binder of its own (a
** copy of c->b) that binder_subquery.c links to c while it runs. */
EdExpr *ed_bind_subquery(EdBindCtx *c, const EdAstExpr *e);

/* Whether the column e (AST_COLUMN), absent from c's own scope, is a column
** of an enclosing query's scope (innermost first); always false outside a
** subquery and in LIMIT / OFFSET. */
bool ed_outer_has_column(const EdBindCtx *c, const EdAstExpr *e);

/* Binds column e of an enclosing query (ed_outer_has_column said so) as an
** EXPR_OUTER_REF of the subquery being bound; the enclosing context binds
** the value itself (so grouping rules of an aggregate query apply). */
EdExpr *ed_bind_outer_column(EdBindCtx *c, const EdAstExpr *e);

/* As ed_expr_equal, except that two subqueries written alike (same text)
** with equal outer values are equal, as any expression written twice is:
** GROUP BY and ORDER BY terms match select items by it. */
bool ed_bind_expr_equal(const EdExpr *a, const EdExpr *b);

/* Index of column name (qualified by qual when not NULL) in s: -1 when
** absent, -2 when ambiguous. */
int ed_scope_lookup(const EdScope *s, const char *qual, const char *name);

/* Binds a function call (scalar or aggregate). */
EdExpr *ed_bind_func(EdBindCtx *c, const EdAstExpr *e);

/* Converts the n expressions x[] to their common type in place (string
** literals take the type of the others, NULLs any type).  *out receives
** the type (ED_T_NULL when all are untyped NULLs).  what names the
** construct in the error message.  Returns 0 or -1. */
int ed_bind_unify(EdBindCtx *c, EdExpr **x, const EdPos *pos, int n,
                  const char *what, EdType *out);

/* x as a BOOLEAN (an untyped NULL becomes one); else an error naming
** what ("the WHERE condition"). */
EdExpr *ed_bind_to_bool(EdBindCtx *c, EdExpr *x, EdPos pos, const char *what);

/* A string literal converted at bind time to type t (TIMESTAMP, INTERVAL,
** number, BOOLEAN); an error at pos when its text is not a value of t. */
EdExpr *ed_bind_convert_literal(EdBindCtx *c, const EdExpr *e, EdType t,
                                EdPos pos);

/* The select item whose AS alias is name (when aliases are allowed). */
const EdSelItem *ed_find_alias(const EdBindCtx *c, const char *name);

bool ed_scope_has_qualifier(const EdScope *s, const char *qual);
bool ed_scope_has_name(const EdScope *s, const char *name);

/* True when cand is a plausible misspelling of typed. */
bool ed_name_close(const char *typed, const char *cand);

static inline int ed_lower(int ch) {
  return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

#endif
