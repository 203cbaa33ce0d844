/*
** planner/planner_int.h — declarations shared by the planner's own files
** (binder, logical plan helpers, rewrites, physical planning, EXPLAIN).
** Nothing outside planner/ includes this header; the planner's public
** interface is plan.h and catalog.h.
**
** Conventions: every expression and plan node lives in the query arena.
** Expression transforms are functional — they build new nodes and never
** modify their input — so subtrees may be shared between parents (BETWEEN
** uses its operand twice, pushed-down predicates reuse projections).
*/
#ifndef ED_PLANNER_INT_H
#define ED_PLANNER_INT_H

#include "planner/plan.h"

/* Type given to an output column whose expression is an untyped NULL
** everywhere (SELECT NULL): it must have some column type. */
#define ED_NULL_DEFAULT_TYPE ED_T_BIGINT

/* ------------------------------------------------ expressions (logical.c) */

EdExpr *ed_expr_new(EdArena *a, EdExprKind kind, EdType type, int nargs);
EdExpr *ed_expr_const(EdArena *a, const EdValue *v);
EdExpr *ed_expr_null(EdArena *a, EdType t);
EdExpr *ed_expr_bool(EdArena *a, bool b);
EdExpr *ed_expr_colref(EdArena *a, int col, EdType t);
EdExpr *ed_expr_op1(EdArena *a, int op, EdType t, EdExpr *x);
EdExpr *ed_expr_op2(EdArena *a, int op, EdType t, EdExpr *x, EdExpr *y);
EdExpr *ed_expr_cast(EdArena *a, EdExpr *x, EdType t);
/* Shallow copy of e (same children). */
EdExpr *ed_expr_clone(EdArena *a, const EdExpr *e);

/* Structural equality (kinds, types, operators, columns, values, args). */
bool ed_expr_equal(const EdExpr *a, const EdExpr *b);
bool ed_value_equal(const EdValue *a, const EdValue *b);

/* True when e refers to a column of its input row. */
bool ed_expr_has_colref(const EdExpr *e);

/* Lowest and highest column referenced by e; both -1 when none. */
void ed_expr_col_range(const EdExpr *e, int *lo, int *hi);

/* Copy of e with every column reference c replaced by c + delta. */
EdExpr *ed_expr_shift(EdArena *a, const EdExpr *e, int delta);

/* Copy of e with every column reference c replaced by map[c]. */
EdExpr *ed_expr_remap(EdArena *a, const EdExpr *e, const int *map);

/* Copy of e with every column reference c replaced by exprs[c] (inlines a
** projection below a predicate). */
EdExpr *ed_expr_subst(EdArena *a, const EdExpr *e, EdExpr *const *exprs);

/* Splits a predicate on AND into *out (arena array); returns the count. */
int ed_expr_conjuncts(EdArena *a, EdExpr *e, EdExpr ***out);

/* AND of c[0..n); NULL when n == 0. */
EdExpr *ed_expr_and_all(EdArena *a, EdExpr **c, int n);

/* A NULL-typed expression (untyped NULL literal, or CASE / coalesce /
** nullif over untyped NULLs only) given type t; other expressions are
** returned unchanged. */
EdExpr *ed_expr_retype_null(EdArena *a, const EdExpr *e, EdType t);

/* e converted to t: unchanged when already t, a retyped NULL, else an
** EXPR_CAST.  Conversions of literals are the binder's business. */
EdExpr *ed_expr_coerce(EdArena *a, EdExpr *e, EdType t);

/* ------------------------------------------------------ plans (logical.c) */

EdPlan *ed_plan_new(EdArena *a, EdPlanKind kind);
void ed_schema_alloc(EdArena *a, EdSchema *s, int ncols);
/* Copies a schema into the arena (names shared). */
void ed_schema_dup(EdArena *a, EdSchema *dst, const EdSchema *src);
/* Concatenates two schemas (join rows: left columns then right). */
void ed_schema_concat(EdArena *a, EdSchema *dst, const EdSchema *l,
                      const EdSchema *r);

EdPlan *ed_plan_scan(EdArena *a, EdTable *t, const char *qualifier);
EdPlan *ed_plan_values1(EdArena *a);
EdPlan *ed_plan_filter(EdArena *a, EdPlan *child, EdExpr *pred);
/* names[i] may be NULL: the name is then taken from the expression. */
EdPlan *ed_plan_project(EdArena *a, EdPlan *child, int n, EdExpr **exprs,
                        const char *const *names);
EdPlan *ed_plan_aggregate(EdArena *a, EdPlan *child, int nkeys,
                          EdExpr **keys, int naggs, EdAggCall *aggs);
EdPlan *ed_plan_join(EdArena *a, EdJoinType jt, EdPlan *l, EdPlan *r,
                     EdExpr *pred);
EdPlan *ed_plan_sort(EdArena *a, EdPlan *child, int n, EdSortKey *keys);
EdPlan *ed_plan_limit(EdArena *a, EdPlan *child, int64_t limit,
                      int64_t offset);
EdPlan *ed_plan_distinct(EdArena *a, EdPlan *child);
EdPlan *ed_plan_setop(EdArena *a, EdSetOp op, EdPlan *l, EdPlan *r);
/* explode(split(str, sep)) over child: child's columns then the piece, a
** VARCHAR column called name. */
EdPlan *ed_plan_explode(EdArena *a, EdPlan *child, EdExpr *str, EdExpr *sep,
                        const char *name);
/* Shallow copy of a plan node (same children, same expressions). */
EdPlan *ed_plan_clone(EdArena *a, const EdPlan *p);

/* Name of a column computed by e over input: the column's name for a plain
** column reference, else the expression's text. */
const char *ed_expr_name(EdArena *a, const EdExpr *e, const EdSchema *input);

/* Text of an aggregate call ("count(*)", "sum(DISTINCT x)"). */
char *ed_agg_text(const EdAggCall *ag, const EdSchema *input, EdArena *a);

/* ----------------------------------------------------- rewrites (rewrite.c) */

/* Constant folding of one expression (never fails: a subtree whose
** evaluation fails is left as it is, to fail at run time if reached). */
EdExpr *ed_fold_expr(EdArena *a, const EdExpr *e);

/* Rewrites a bound logical plan: folding, filter push-down and merging,
** join ordering.  Returns the new root. */
EdPlan *ed_rewrite_plan(EdArena *a, EdPlan *p);

/* Splits a join predicate into equi-key pairs (lkeys over the left row,
** rkeys over the right row, nleft = left column count) and a residual over
** the concatenated row.  Arrays are allocated in the arena. */
void ed_extract_equi_keys(EdArena *a, EdExpr *pred, int nleft, int ncols,
                          int *nkeys, EdExpr ***lkeys, EdExpr ***rkeys,
                          EdExpr **residual);

/* -------------------------------------------------- physical (physical.c) */

/* What physical planning needs to know about the query as a whole. */
typedef struct EdPhysOpts {
  bool streaming;           /* the query reads a stream */
  EdEmitMode mode;          /* resolved output mode (streaming) */
  int64_t state_ttl_us;     /* for streaming aggregates */
} EdPhysOpts;

/* Physical plan of a rewritten logical plan: algorithms chosen, stream
** scans and streaming aggregates (with their window specs) marked, and
** in a streaming query the stream put on the probe side of every join
** with a table.  opts may be NULL (a batch query). */
int ed_physical_plan(EdArena *a, const EdPlan *logical, const EdPhysOpts *opts,
                     EdPlan **out, EdError *err);

/* ---------------------------------------------------- SQL text (sqltext.c) */

/* A walk over the words of SQL text from a given position. */
typedef struct EdSqlCursor {
  const char *sql;          /* the whole text positions refer to */
  EdPos pos;                /* next character to look at */
  int depth;                /* parentheses opened since the start */
} EdSqlCursor;

/* Starts a walk of sql at the position from (depth 0). */
void ed_sql_cursor_init(EdSqlCursor *c, const char *sql, EdPos from);

/* The next word (identifier, keyword or quoted name) outside string
** literals and comments: sets *pos and *word and returns its length; 0 at
** the end of the text or of the statement (a ';' at depth 0), or when
** there is no text (sql NULL, from without position).  c->depth is the
** parenthesis depth of the word returned. */
int ed_sql_next_word(EdSqlCursor *c, EdPos *pos, const char **word);

/* Whether the n bytes at word are the keyword kw (case-insensitive). */
bool ed_sql_word_is(const char *word, int n, const char *kw);

/* ------------------------------------------------------ streams (stream.c) */

/* True when a leaf under p scans a stream. */
bool ed_plan_reads_stream(const EdPlan *p);

/* Whether column col of p's output is, unchanged, the watermark column of
** a stream scan that has a watermark: followed down through projections
** (plain column references), filters, sorts, limits, DISTINCT, explodes,
** joins and UNION ALL (where every side must have one). */
bool ed_plan_is_watermark_col(const EdPlan *p, int col);

/* The window spec of an aggregate node p: its window key (window(),
** session_window(), or with streaming the raw watermark column of a
** stream), the event-time expression and whether it is bounded by a
** watermark.  kind WIN_NONE and key -1 when it has none. */
void ed_window_spec(const EdPlan *p, bool streaming, EdWindowSpec *out);

/* Whether a window function call is a sliding window or a session window,
** which give a row several windows (or one only known after merging) and
** therefore can only be a whole GROUP BY key. */
bool ed_is_multi_window(const EdExpr *e);

#endif
