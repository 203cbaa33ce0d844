/*
** exec/expr_eval.h — vectorized evaluation of bound expressions.
**
** An evaluator is made once per expression per operator: it allocates one
** scratch vector per inner node up front, so evaluating a batch allocates
** nothing (strings produced by string functions go to the arena the caller
** names, normally the output batch's).  Evaluation covers the active rows of
** the input batch and writes each result at the same physical position;
** other positions of the output are left undefined.
**
** Semantics are SQL's as SQLite computes them for typed columns: NULL in,
** NULL out (except IS [NOT] NULL, AND/OR three-valued logic, coalesce, CASE);
** integer division truncates toward zero; x / 0 and x % 0 are NULL; BIGINT
** overflow in + - * is an execution error naming the operator (standard
** SQL; SQLite would switch to REAL); comparisons between BIGINT and DOUBLE
** compare numerically.
*/
#ifndef ED_EXPR_EVAL_H
#define ED_EXPR_EVAL_H

#include "exec/operator.h"
#include "planner/plan.h"

typedef struct EdEvaluator EdEvaluator;

/* Prepares evaluation of e.  The expression must stay alive as long as the
** evaluator. */
EdEvaluator *ed_eval_new(EdExecCtx *ctx, const EdExpr *e);
void ed_eval_free(EdEvaluator *ev);

/* Evaluates over the active rows of in into out (a vector of e->type,
** ED_BATCH_CAP entries).  Returns 0, or -1 with the context error set. */
int ed_eval_run(EdEvaluator *ev, const EdBatch *in, EdVector *out,
                EdArena *arena);

/* Evaluates a BOOLEAN predicate and narrows b's selection to the rows where
** it is TRUE (NULL and FALSE rows are dropped).  Returns 0 or -1. */
int ed_eval_filter(EdEvaluator *ev, EdBatch *b);

/* Evaluates a constant expression (no column references) to a value; used
** by the planner's constant folding through ed_bind_constant.  Strings are
** allocated in arena.  Returns 0 or -1 with err set. */
int ed_eval_const(const EdExpr *e, EdArena *arena, EdValue *out,
                  EdError *err);

/* Like ed_eval_const, inside a query run: now() is the run's, and an error
** is recorded in ctx.  Used for VALUES rows.  Returns 0 or -1. */
int ed_eval_value(EdExecCtx *ctx, const EdExpr *e, EdArena *arena,
                  EdValue *out);

#endif
