/*
** planner/binder_subquery.c — subqueries in expressions: scalar
** `(SELECT ...)`, `x [NOT] IN (SELECT ...)` and `[NOT] EXISTS (SELECT ...)`,
** uncorrelated or correlated.
**
** A subquery is bound as a query of its own (ed_bind_query) by a binder
** of its own, linked while it runs to the context of the expression the
** subquery is written in (a frame on the stack, EdBinder.subq).  A name its FROM clause does not have is looked up in
** the enclosing scopes, innermost first (ed_outer_has_column).  The enclosing context binds the
** column itself — so in an aggregate query it must be a group key, exactly
** as if it were written outside the subquery — and the bound value becomes
** one of the subquery's outer values: an argument of the EXPR_SUBQUERY
** node, while inside the subquery's plan an EXPR_OUTER_REF reads it by
** number.  Equal values are passed once.  A column two levels out is an
** outer value of the middle subquery too, which passes it down: so every
** EXPR_OUTER_REF is one level deep, and the arguments of an EXPR_SUBQUERY
** are ordinary expressions of its own query that every rewrite (column
** shifts and remaps, projection inlining, filter push-down) already keeps
** right.  A filter with a correlated subquery therefore never moves below
** the operator that provides the columns it reads.
**
** The subquery's plan is rewritten and physically planned here, once; the
** evaluator (exec/expr_subquery.c) runs it per distinct combination of
** outer values, with the values bound to its EXPR_OUTER_REF nodes.
**
** Checks, each an error at a position: a scalar subquery and the subquery
** of IN return one column; the IN operand and that column have a common
** type (the column is cast to it by a projection on top of the plan when
** they differ); a subquery reads tables only (no stream); an aggregate in
** a subquery must read a column of the subquery itself (SQL would make an
** aggregate over outer columns only an aggregate of the outer query, which
** eddy does not do).  EXISTS ignores its select list (it is bound, so bad
** names are still reported) and stops at the first row (a LIMIT 1 on top).
**
** A subquery's id is one more than the byte offset in the SQL text of its
** first token (the `(`, EXISTS, or the IN operator): unique in a
** statement.  It is the node's op, so two bindings of the same subquery
** compare equal (ed_expr_equal) and two different ones never do.  The
** binder's own comparison (ed_bind_expr_equal) also takes two subqueries
** written alike in one query for the same expression, so that GROUP BY
** and ORDER BY terms match select items.  EXPLAIN numbers subqueries 1,
** 2, ... in the order it prints them.
*/
#include <assert.h>
#include <string.h>

#include "planner/binder_int.h"

/* A subquery being bound: its binder, the context it is written in, and
** the outer values it reads so far. */
typedef struct EdSubqFrame {
  const EdBinder *b;        /* the subquery's own binder */
  EdBindCtx *outer;         /* where the subquery is written */
  EdSubquery *sq;           /* its EXPR_OUTER_REFs point at it */
  EdExpr **vals;            /* outer values, bound in outer */
  const char **names;       /* as written, for EXPLAIN */
  int n, cap;
} SubqFrame;

/* The frame of the subquery that binder b binds, or NULL (a top-level
** query). */
static SubqFrame *frame_of(const EdBinder *b) {
  return b->subq;
}

/* ------------------------------------------------------- outer columns */

bool ed_outer_has_column(const EdBindCtx *c, const EdAstExpr *e) {
  const SubqFrame *f = frame_of(c->b);
  if (!f) return false;
  /* LIMIT and OFFSET take constants, not values of a row. */
  if (strcmp(c->clause, "LIMIT") == 0 || strcmp(c->clause, "OFFSET") == 0)
    return false;
  for (; f; f = frame_of(f->outer->b))
    if (ed_scope_lookup(f->outer->scope, e->qualifier, e->name) != -1)
      return true;
  return false;
}

EdExpr *ed_bind_outer_column(EdBindCtx *c, const EdAstExpr *e) {
  EdBinder *b = c->b;
  SubqFrame *ss = frame_of(b);
  assert(ss);
  /* The enclosing context binds the value; its select aliases are not
  ** visible from inside a subquery. */
  EdBindCtx oc = *ss->outer;
  oc.items = NULL;
  oc.nitems = 0;
  EdExpr *x = ed_bind_expr(&oc, e);
  if (!x) return NULL;
  int k = 0;
  while (k < ss->n && !ed_expr_equal(ss->vals[k], x)) k++;
  if (k == ss->n) {
    if (ss->n == ss->cap) {
      int ncap = ss->cap ? ss->cap * 2 : 4;
      EdExpr **v = ed_arena_alloc(b->arena, (size_t)ncap * sizeof *v);
      const char **nm = ed_arena_alloc(b->arena, (size_t)ncap * sizeof *nm);
      if (ss->n) {
        memcpy(v, ss->vals, (size_t)ss->n * sizeof *v);
        memcpy(nm, ss->names, (size_t)ss->n * sizeof *nm);
      }
      ss->vals = v;
      ss->names = nm;
      ss->cap = ncap;
    }
    ss->vals[ss->n] = x;
    ss->names[ss->n] = e->qualifier
                           ? ed_arena_printf(b->arena, "%s.%s", e->qualifier,
                                             e->name)
                           : ed_arena_strdup(b->arena, e->name);
    ss->n++;
  }
  EdExpr *r = ed_expr_new(b->arena, EXPR_OUTER_REF, x->type, 0);
  r->col = k;
  r->op = k;   /* ed_expr_equal compares op: outer values differ by it */
  r->subq = ss->sq;
  return r;
}

/* Whether e contains a subquery. */
static bool has_subquery(const EdExpr *e) {
  if (e->kind == EXPR_SUBQUERY) return true;
  for (int i = 0; i < e->nargs; i++)
    if (has_subquery(e->args[i])) return true;
  return false;
}

bool ed_bind_expr_equal(const EdExpr *a, const EdExpr *b) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (!has_subquery(a) || !has_subquery(b)) return ed_expr_equal(a, b);
  if (a->kind != b->kind || a->type != b->type || a->nargs != b->nargs ||
      a->negated != b->negated || a->has_else != b->has_else)
    return false;
  if (a->kind == EXPR_SUBQUERY) {
    const char *x = a->subq->text, *y = b->subq->text;
    if (a->op != b->op && !(x && y && strcmp(x, y) == 0)) return false;
  } else if (a->op != b->op) {
    return false;
  }
  for (int i = 0; i < a->nargs; i++)
    if (!ed_bind_expr_equal(a->args[i], b->args[i])) return false;
  return true;
}

/* ------------------------------------------------------------- checks */

/* The first stream a plan reads, or NULL. */
static const EdTable *first_stream(const EdPlan *p) {
  if (!p) return NULL;
  if (p->kind == PLAN_SCAN && p->table->kind == OBJ_STREAM) return p->table;
  const EdTable *t = first_stream(p->left);
  return t ? t : first_stream(p->right);
}

/* Whether e reads an outer value of the subquery being bound. */
static bool has_outer_ref(const EdExpr *e) {
  if (!e) return false;
  if (e->kind == EXPR_OUTER_REF) return true;
  for (int i = 0; i < e->nargs; i++)
    if (has_outer_ref(e->args[i])) return true;
  return false;
}

/* An aggregate of p whose argument reads outer values and no column of
** its own input, or NULL. */
static const EdAggCall *outer_only_agg(const EdPlan *p) {
  if (!p) return NULL;
  if (p->kind == PLAN_AGGREGATE)
    for (int i = 0; i < p->naggs; i++) {
      const EdExpr *a = p->aggs[i].arg;
      if (a && has_outer_ref(a) && !ed_expr_has_colref(a)) return &p->aggs[i];
    }
  const EdAggCall *x = outer_only_agg(p->left);
  return x ? x : outer_only_agg(p->right);
}

/* Position of the first SELECT of q (where its select list starts). */
static EdPos select_pos(const EdAstQuery *q) {
  return ((const EdAstSelect *)q->selects.items[0])->pos;
}

/* Checks a bound subquery plan p of e: what it reads, its aggregates and
** its column count.  Returns 0 or -1 with the error set. */
static int check_plan(EdBindCtx *c, const EdAstExpr *e, EdSubqKind kind,
                      const EdPlan *p) {
  const EdTable *st = first_stream(p);
  if (st) {
    ed_bind_errorf(c, e->pos,
                   "a subquery in an expression cannot read the stream \"%s\": "
                   "it reads tables only (join the stream instead)",
                   st->name);
    return -1;
  }
  const EdAggCall *ag = outer_only_agg(p);
  if (ag) {
    ed_bind_errorf(c, e->pos,
                   "the aggregate %s in this subquery reads only columns of "
                   "an enclosing query, which would make it an aggregate of "
                   "that query: this is not supported (aggregate in the "
                   "enclosing query instead)",
                   ed_agg_text(ag, NULL, c->b->arena));
    return -1;
  }
  int n = p->schema.ncols;
  if (kind != SUBQ_EXISTS && n != 1) {
    ed_bind_errorf(c, select_pos(e->query),
                   "%s must return one column, not %d",
                   kind == SUBQ_IN ? "the subquery of IN" : "a scalar subquery",
                   n);
    return -1;
  }
  return 0;
}

/* Gives the IN operand *x and the subquery's column a common type; the
** column is cast by a projection over *p when it needs to be. */
static int unify_in(EdBindCtx *c, const EdAstExpr *e, EdExpr **x,
                    EdPlan **p) {
  EdArena *a = c->b->arena;
  EdType ct = (*p)->schema.cols[0].type;
  /* The column as an expression (not a literal), for the typing rules. */
  EdExpr *col = ed_expr_new(a, EXPR_COLREF, ct, 0);
  EdExpr *y = col;
  if (ed_bind_unify2(c, x, e->left->pos, &y, select_pos(e->query), "IN") != 0)
    return -1;
  EdType t = (*x)->type;
  if (t == ED_T_NULL) {   /* NULL IN (SELECT ...) */
    *x = ed_expr_retype_null(a, *x, ct);
    t = ct;
  }
  if (t == ct) return 0;
  /* The plan keeps the expression array: it lives in the arena. */
  EdExpr **cast = ed_arena_alloc(a, sizeof *cast);
  cast[0] = ed_expr_cast(a, ed_expr_colref(a, 0, ct), t);
  const char *name = (*p)->schema.cols[0].name;
  *p = ed_plan_project(a, *p, 1, cast, &name);
  return 0;
}

/* --------------------------------------------------------------- entry */

EdExpr *ed_bind_subquery(EdBindCtx *c, const EdAstExpr *e) {
  EdBinder *b = c->b;
  EdArena *a = b->arena;
  if (!b->cat)
    return ed_bind_errorf(c, e->pos,
                          "a subquery is not allowed here: %s takes constant "
                          "expressions",
                          c->clause);
  EdSubqKind kind = e->kind == AST_SUBQUERY ? SUBQ_SCALAR
                    : e->kind == AST_EXISTS ? SUBQ_EXISTS
                                            : SUBQ_IN;
  EdExpr *operand = NULL;
  if (kind == SUBQ_IN && !(operand = ed_bind_expr(c, e->left))) return NULL;

  EdSubquery *sq = ed_arena_alloc(a, sizeof *sq);
  memset(sq, 0, sizeof *sq);
  sq->kind = kind;
  sq->id = e->pos.offset + 1;
  sq->pos = e->pos;
  if (b->sql && e->end_offset > e->start_offset)
    sq->text = ed_arena_strndup(a, b->sql + e->start_offset,
                                (size_t)(e->end_offset - e->start_offset));
  EdBinder sb = *b;
  SubqFrame ss;
  memset(&ss, 0, sizeof ss);
  ss.b = &sb;
  ss.outer = c;
  ss.sq = sq;
  sb.subq = &ss;
  EdPlan *p = ed_bind_query(&sb, e->query);
  if (!p) return NULL;
  sq->nparams = ss.n;
  sq->param_names = ss.names;
  if (check_plan(c, e, kind, p) != 0) return NULL;
  if (kind == SUBQ_IN && unify_in(c, e, &operand, &p) != 0) return NULL;
  if (kind == SUBQ_EXISTS) p = ed_plan_limit(a, p, 1, 0);
  sq->logical = ed_rewrite_plan(a, p);
  if (ed_physical_plan(a, sq->logical, NULL, &sq->plan, b->err) != 0)
    return NULL;

  sq->param_types = ed_arena_alloc(a, (size_t)(ss.n ? ss.n : 1) *
                                          sizeof *sq->param_types);
  int first = kind == SUBQ_IN ? 1 : 0;
  EdType t = kind == SUBQ_SCALAR ? p->schema.cols[0].type : ED_T_BOOL;
  EdExpr *x = ed_expr_new(a, EXPR_SUBQUERY, t, first + ss.n);
  x->op = sq->id;
  x->negated = kind != SUBQ_SCALAR && e->negated;
  x->subq = sq;
  if (operand) x->args[0] = operand;
  for (int i = 0; i < ss.n; i++) {
    x->args[first + i] = ss.vals[i];
    sq->param_types[i] = ss.vals[i]->type;
  }
  return x;
}
