/*
** planner/rewrite.c — rewrites of the bound logical plan:
**
**   1. constant folding: constant subtrees are evaluated with the
**      executor's own evaluator (so folding cannot disagree with run
**      time), NULL propagates through strict operators, and the boolean
**      identities x AND FALSE, x AND TRUE, x OR TRUE, x OR FALSE, NOT NOT x
**      simplify; TRUE filters disappear.  Subqueries and outer references
**      are never constants: they are known only when the query runs;
**   2. filter push-down (a correlated subquery is an expression over the
**      columns it passes as outer values, so it moves like any other and
**      never below the operator that provides them): conjuncts move
**      through projections (inlining the
**      projected expressions), sorts, DISTINCT, set operations and group
**      keys (not sliding or session windows), and below joins to the side
**      they reference (for a LEFT join only WHERE conjuncts on the left
**      side, and ON conjuncts on the right side); conjuncts over both
**      sides of an inner join become its join condition; adjacent filters
**      merge;
**   3. join ordering: a tree of three or more inner / cross joins is
**      rebuilt left-deep, greedily joining next the smallest input that a
**      condition connects to what is joined so far, so that comma joins
**      written in any order do not build cross products; a projection
**      restores the original column order;
**   4. projections over projections merge, identity projections vanish.
**
** Equi-key extraction (l_expr = r_expr conjuncts of a join condition) is
** here too; the physical planner uses it to choose hash joins.
*/
#include <assert.h>
#include <string.h>

#include "exec/expr_eval.h"
#include "exec/memtable.h"
#include "planner/planner_int.h"

/* ------------------------------------------------------ constant folding */

static bool is_null_const(const EdExpr *e) {
  return e->kind == EXPR_CONST && e->value.is_null;
}

static bool is_bool_const(const EdExpr *e, bool v) {
  return e->kind == EXPR_CONST && e->type == ED_T_BOOL && !e->value.is_null &&
         e->value.u.b == v;
}

/* Whether a NULL in argument i makes e NULL whatever the other arguments. */
static bool strict_in(const EdExpr *e, int i) {
  switch (e->kind) {
    case EXPR_OP:
      return e->op != OP_AND && e->op != OP_OR && e->op != OP_IS &&
             e->op != OP_IS_NOT;
    case EXPR_CAST:
    case EXPR_LIKE:
    case EXPR_FIELD: return true;
    case EXPR_IN_LIST: return i == 0;
    case EXPR_FUNC:
      if (e->op == FN_COALESCE) return false;
      if (e->op == FN_NULLIF) return i == 0;
      return true;
    default: return false;
  }
}

/* COALESCE without NULL constants and without the arguments after the
** first non-NULL constant (they can never be reached). */
static EdExpr *fold_coalesce(EdArena *a, EdExpr *x) {
  EdExpr **v = ed_arena_alloc(a, (size_t)x->nargs * sizeof *v);
  int n = 0;
  for (int i = 0; i < x->nargs; i++) {
    if (is_null_const(x->args[i])) continue;
    v[n++] = x->args[i];
    if (x->args[i]->kind == EXPR_CONST) break;
  }
  if (n == 0) return ed_expr_null(a, x->type);
  if (n == 1 && v[0]->type == x->type) return v[0];
  if (n == x->nargs) return x;
  EdExpr *r = ed_expr_clone(a, x);
  r->args = v;
  r->nargs = n;
  return r;
}

/* CASE without the branches whose condition is a FALSE or NULL constant;
** a TRUE constant condition makes its result the ELSE of what precedes. */
static EdExpr *fold_case(EdArena *a, EdExpr *x) {
  int npairs = (x->nargs - (x->has_else ? 1 : 0)) / 2;
  EdExpr **v = ed_arena_alloc(a, (size_t)x->nargs * sizeof *v);
  EdExpr *els = x->has_else ? x->args[x->nargs - 1] : NULL;
  int n = 0;
  for (int i = 0; i < npairs; i++) {
    EdExpr *w = x->args[2 * i], *t = x->args[2 * i + 1];
    if (is_null_const(w) || is_bool_const(w, false)) continue;
    if (is_bool_const(w, true)) {
      els = t;
      break;
    }
    v[n++] = w;
    v[n++] = t;
  }
  if (n == 0) {
    if (!els) return ed_expr_null(a, x->type);
    if (els->type == x->type) return els;
  }
  if (n == 2 * npairs && els == (x->has_else ? x->args[x->nargs - 1] : NULL))
    return x;
  EdExpr *r = ed_expr_clone(a, x);
  if (els) v[n++] = els;
  r->args = v;
  r->nargs = n;
  r->has_else = els != NULL;
  return r;
}

/* Folds a node whose arguments are already folded. */
static EdExpr *fold_node(EdArena *a, EdExpr *x) {
  /* A subquery's value is only known when it runs (even with constant or
  ** NULL outer values), and an outer value only inside a run. */
  if (x->kind == EXPR_SUBQUERY || x->kind == EXPR_OUTER_REF) return x;
  if (x->kind == EXPR_FUNC && x->op == FN_COALESCE) {
    x = fold_coalesce(a, x);
    if (x->kind != EXPR_FUNC || x->op != FN_COALESCE) return x;
  }
  if (x->kind == EXPR_CASE) {
    x = fold_case(a, x);
    if (x->kind != EXPR_CASE || x->nargs == 0) return x;
  }
  for (int i = 0; i < x->nargs; i++)
    if (is_null_const(x->args[i]) && strict_in(x, i))
      return ed_expr_null(a, x->type);
  if (x->kind == EXPR_OP && (x->op == OP_AND || x->op == OP_OR)) {
    bool absorb = x->op == OP_OR;   /* TRUE absorbs OR, FALSE absorbs AND */
    EdExpr *l = x->args[0], *r = x->args[1];
    if (is_bool_const(l, absorb) || is_bool_const(r, absorb))
      return ed_expr_bool(a, absorb);
    if (is_bool_const(l, !absorb)) return r;
    if (is_bool_const(r, !absorb)) return l;
  }
  if (x->kind == EXPR_OP && x->op == OP_NOT && x->args[0]->kind == EXPR_OP &&
      x->args[0]->op == OP_NOT)
    return x->args[0]->args[0];
  if (x->kind == EXPR_CONST || x->kind == EXPR_COLREF) return x;
  if (x->kind == EXPR_FUNC && x->op == FN_NOW) return x;
  for (int i = 0; i < x->nargs; i++)
    if (x->args[i]->kind != EXPR_CONST) return x;
  EdValue v;
  EdError err;
  memset(&err, 0, sizeof err);
  /* A failure (overflow, bad cast) is left to happen at run time, and only
  ** if a row actually reaches the expression. */
  if (ed_eval_const(x, a, &v, &err) != 0) return x;
  if (v.is_null) return ed_expr_null(a, x->type);
  if (v.type != x->type) return x;
  return ed_expr_const(a, &v);
}

EdExpr *ed_fold_expr(EdArena *a, const EdExpr *e) {
  if (!e) return NULL;
  if (!e->nargs) return (EdExpr *)e;
  EdExpr *x = NULL;
  for (int i = 0; i < e->nargs; i++) {
    EdExpr *y = ed_fold_expr(a, e->args[i]);
    if (y != e->args[i]) {
      if (!x) x = ed_expr_clone(a, e);
      x->args[i] = y;
    }
  }
  return fold_node(a, x ? x : (EdExpr *)e);
}

static EdExpr **fold_array(EdArena *a, EdExpr **v, int n) {
  if (!n) return v;
  EdExpr **r = ed_arena_alloc(a, (size_t)n * sizeof *r);
  for (int i = 0; i < n; i++) r[i] = ed_fold_expr(a, v[i]);
  return r;
}

/* Folds every expression of every node (copies of the nodes). */
static EdPlan *fold_plan(EdArena *a, const EdPlan *p) {
  if (!p) return NULL;
  EdPlan *c = ed_plan_clone(a, p);
  c->left = fold_plan(a, p->left);
  c->right = fold_plan(a, p->right);
  c->pred = ed_fold_expr(a, p->pred);
  c->exprs = fold_array(a, p->exprs, p->nexprs);
  c->lkeys = fold_array(a, p->lkeys, p->nkeys);
  c->rkeys = fold_array(a, p->rkeys, p->nkeys);
  if (p->naggs) {
    c->aggs = ed_arena_alloc(a, (size_t)p->naggs * sizeof *c->aggs);
    for (int i = 0; i < p->naggs; i++) {
      c->aggs[i] = p->aggs[i];
      c->aggs[i].arg = ed_fold_expr(a, p->aggs[i].arg);
    }
  }
  if (p->nsort) {
    c->sort = ed_arena_alloc(a, (size_t)p->nsort * sizeof *c->sort);
    for (int i = 0; i < p->nsort; i++) {
      c->sort[i] = p->sort[i];
      c->sort[i].expr = ed_fold_expr(a, p->sort[i].expr);
    }
  }
  if (c->kind == PLAN_JOIN && c->pred && is_bool_const(c->pred, true))
    c->pred = NULL;
  return c;
}

/* ------------------------------------------------------- filter push-down */

/* A growable list of conjuncts. */
typedef struct Conj {
  EdExpr **v;
  int n, cap;
} Conj;

static void conj_add(EdArena *a, Conj *c, EdExpr *e) {
  if (is_bool_const(e, true)) return;
  if (c->n == c->cap) {
    int ncap = c->cap ? c->cap * 2 : 8;
    EdExpr **v = ed_arena_alloc(a, (size_t)ncap * sizeof *v);
    if (c->n) memcpy(v, c->v, (size_t)c->n * sizeof *v);
    c->v = v;
    c->cap = ncap;
  }
  c->v[c->n++] = e;
}

static void conj_add_all(EdArena *a, Conj *c, EdExpr *pred) {
  EdExpr **v;
  int n = ed_expr_conjuncts(a, pred, &v);
  for (int i = 0; i < n; i++) conj_add(a, c, v[i]);
}

/* p under a filter of the conjuncts (p itself when there are none). */
static EdPlan *with_filter(EdArena *a, EdPlan *p, const Conj *c) {
  if (!c->n) return p;
  return ed_plan_filter(a, p, ed_expr_and_all(a, c->v, c->n));
}

static EdPlan *push(EdArena *a, EdPlan *p, Conj *above);

static EdPlan *push_none(EdArena *a, EdPlan *p) {
  Conj none = {0};
  return push(a, p, &none);
}

static EdPlan *push_join(EdArena *a, EdPlan *p, Conj *above) {
  int nl = p->left->schema.ncols;
  bool outer = p->join_type == JOIN_LEFT;
  Conj L = {0}, R = {0}, J = {0}, keep = {0};
  for (int i = 0; i < above->n; i++) {
    EdExpr *e = above->v[i];
    int lo = -1, hi = -1;
    ed_expr_col_range(e, &lo, &hi);
    if (hi < nl) conj_add(a, &L, e);             /* left only, or constant */
    else if (outer) conj_add(a, &keep, e);       /* would change NULL rows */
    else if (lo >= nl) conj_add(a, &R, ed_expr_shift(a, e, -nl));
    else conj_add(a, &J, e);
  }
  EdExpr **on;
  int non = ed_expr_conjuncts(a, p->pred, &on);
  for (int i = 0; i < non; i++) {
    EdExpr *e = on[i];
    int lo = -1, hi = -1;
    ed_expr_col_range(e, &lo, &hi);
    if (lo >= nl) conj_add(a, &R, ed_expr_shift(a, e, -nl));
    else if (!outer && hi < nl && lo >= 0) conj_add(a, &L, e);
    else conj_add(a, &J, e);
  }
  EdPlan *c = ed_plan_clone(a, p);
  c->left = push(a, p->left, &L);
  c->right = push(a, p->right, &R);
  c->pred = ed_expr_and_all(a, J.v, J.n);
  if (c->pred && c->join_type == JOIN_CROSS) c->join_type = JOIN_INNER;
  return with_filter(a, c, &keep);
}

/* Whether e refers to a group key of p that is a sliding or session
** window: such a key is not a function of one input row. */
static bool uses_multi_window(const EdPlan *p, const EdExpr *e) {
  if (e->kind == EXPR_COLREF)
    return e->col < p->nexprs && ed_is_multi_window(p->exprs[e->col]);
  for (int i = 0; i < e->nargs; i++)
    if (uses_multi_window(p, e->args[i])) return true;
  return false;
}

static EdPlan *push_aggregate(EdArena *a, EdPlan *p, Conj *above) {
  Conj down = {0}, keep = {0};
  for (int i = 0; i < above->n; i++) {
    EdExpr *e = above->v[i];
    int lo = -1, hi = -1;
    ed_expr_col_range(e, &lo, &hi);
    /* Only conditions on group keys commute with grouping; a constant one
    ** must stay above (no keys: an empty input still gives one row), and
    ** so must one on a sliding or session window, which the aggregation
    ** computes from several rows. */
    if (lo >= 0 && hi < p->nexprs && !uses_multi_window(p, e))
      conj_add(a, &down, ed_expr_subst(a, e, p->exprs));
    else
      conj_add(a, &keep, e);
  }
  EdPlan *c = ed_plan_clone(a, p);
  c->left = push(a, p->left, &down);
  return with_filter(a, c, &keep);
}

/* Pushes the conjuncts above (over p's output row) as far down as they
** go; returns the new subtree. */
static EdPlan *push(EdArena *a, EdPlan *p, Conj *above) {
  EdPlan *c;
  switch (p->kind) {
    case PLAN_FILTER: {
      Conj all = {0};
      for (int i = 0; i < above->n; i++) conj_add(a, &all, above->v[i]);
      conj_add_all(a, &all, p->pred);
      return push(a, p->left, &all);
    }
    case PLAN_PROJECT: {
      Conj down = {0};
      for (int i = 0; i < above->n; i++)
        conj_add(a, &down, ed_expr_subst(a, above->v[i], p->exprs));
      c = ed_plan_clone(a, p);
      c->left = push(a, p->left, &down);
      return c;
    }
    case PLAN_JOIN: return push_join(a, p, above);
    case PLAN_AGGREGATE: return push_aggregate(a, p, above);
    case PLAN_SORT:
    case PLAN_DISTINCT:
      c = ed_plan_clone(a, p);
      c->left = push(a, p->left, above);
      return c;
    case PLAN_SETOP: {
      /* A condition on the row's values commutes with every set
      ** operation; both sides have the same column types. */
      Conj l = {0}, r = {0};
      for (int i = 0; i < above->n; i++) {
        conj_add(a, &l, above->v[i]);
        conj_add(a, &r, above->v[i]);
      }
      c = ed_plan_clone(a, p);
      c->left = push(a, p->left, &l);
      c->right = push(a, p->right, &r);
      return c;
    }
    case PLAN_LIMIT:
    case PLAN_EXPLODE:
      /* Conditions stay above: a LIMIT would change meaning, and an
      ** explode's conditions are normally on the piece it produces. */
      c = ed_plan_clone(a, p);
      c->left = push_none(a, p->left);
      return with_filter(a, c, above);
    case PLAN_SCAN:
    case PLAN_VALUES: return with_filter(a, p, above);
  }
  return with_filter(a, p, above);
}

/* ---------------------------------------------------------- join ordering */

/* Rough row count of a plan, for join ordering and EXPLAIN. */
static double estimate(const EdPlan *p) {
  switch (p->kind) {
    case PLAN_SCAN:
      if (p->table->mem) return (double)p->table->mem->nrows;
      return 1000;
    case PLAN_VALUES: return p->nrows;
    case PLAN_FILTER: return estimate(p->left) * 0.25;
    case PLAN_JOIN: {
      double l = estimate(p->left), r = estimate(p->right);
      return p->pred ? (l > r ? l : r) : l * r;
    }
    case PLAN_AGGREGATE: return p->nexprs ? estimate(p->left) * 0.5 : 1;
    case PLAN_LIMIT: {
      double c = estimate(p->left);
      return p->limit >= 0 && p->limit < c ? (double)p->limit : c;
    }
    case PLAN_SETOP: return estimate(p->left) + estimate(p->right);
    default: return p->left ? estimate(p->left) : 1;
  }
}

typedef struct JoinGroup {
  EdPlan **leaves;
  int *offset;              /* first column of each leaf in the flat row */
  int nleaves, cap;
  Conj conds;               /* over the flat row */
} JoinGroup;

static EdPlan *reorder(EdArena *a, EdPlan *p);

static bool is_inner(const EdPlan *p) {
  return p->kind == PLAN_JOIN &&
         (p->join_type == JOIN_INNER || p->join_type == JOIN_CROSS);
}

/* Collects the leaves and conditions of a tree of inner joins. */
static void collect(EdArena *a, EdPlan *p, int base, JoinGroup *g) {
  if (is_inner(p)) {
    collect(a, p->left, base, g);
    collect(a, p->right, base + p->left->schema.ncols, g);
    EdExpr **v;
    int n = ed_expr_conjuncts(a, p->pred, &v);
    for (int i = 0; i < n; i++) conj_add(a, &g->conds, ed_expr_shift(a, v[i], base));
    return;
  }
  if (g->nleaves == g->cap) {
    int ncap = g->cap ? g->cap * 2 : 8;
    EdPlan **l = ed_arena_alloc(a, (size_t)ncap * sizeof *l);
    int *o = ed_arena_alloc(a, (size_t)ncap * sizeof *o);
    if (g->nleaves) {
      memcpy(l, g->leaves, (size_t)g->nleaves * sizeof *l);
      memcpy(o, g->offset, (size_t)g->nleaves * sizeof *o);
    }
    g->leaves = l;
    g->offset = o;
    g->cap = ncap;
  }
  g->leaves[g->nleaves] = reorder(a, p);
  g->offset[g->nleaves] = base;
  g->nleaves++;
}

/* Leaf holding flat column col. */
static int leaf_of(const JoinGroup *g, int col) {
  int k = 0;
  while (k + 1 < g->nleaves && g->offset[k + 1] <= col) k++;
  return k;
}

/* Marks in mask the leaves a condition refers to. */
static void cond_leaves(const JoinGroup *g, const EdExpr *e, bool *mask) {
  if (e->kind == EXPR_COLREF) mask[leaf_of(g, e->col)] = true;
  for (int i = 0; i < e->nargs; i++) cond_leaves(g, e->args[i], mask);
}

static EdPlan *reorder_group(EdArena *a, EdPlan *p, JoinGroup *g) {
  int n = g->nleaves, nc = g->conds.n, ncols = p->schema.ncols;
  bool *used = ed_arena_alloc(a, (size_t)n);
  int *order = ed_arena_alloc(a, (size_t)n * sizeof *order);
  double *est = ed_arena_alloc(a, (size_t)n * sizeof *est);
  bool *masks = ed_arena_alloc(a, (size_t)(nc ? nc : 1) * (size_t)n);
  memset(used, 0, (size_t)n);
  memset(masks, 0, (size_t)(nc ? nc : 1) * (size_t)n);
  for (int i = 0; i < n; i++) est[i] = estimate(g->leaves[i]);
  for (int k = 0; k < nc; k++) cond_leaves(g, g->conds.v[k], masks + k * n);
  for (int step = 0; step < n; step++) {
    int best = -1;
    bool best_conn = false;
    for (int i = 0; i < n; i++) {
      if (used[i]) continue;
      bool conn = false;
      for (int k = 0; k < nc && !conn && step > 0; k++) {
        const bool *m = masks + k * n;
        if (!m[i]) continue;
        bool touches = false, ready = true;
        for (int j = 0; j < n; j++) {
          if (j == i || !m[j]) continue;
          if (used[j]) touches = true;
          else ready = false;
        }
        conn = touches && ready;
      }
      if (best < 0 || (conn && !best_conn) ||
          (conn == best_conn && est[i] < est[best])) {
        best = i;
        best_conn = conn;
      }
    }
    used[best] = true;
    order[step] = best;
  }
  bool same = true;
  for (int i = 0; i < n; i++) same = same && order[i] == i;
  /* Flat column -> column in the new left-deep row. */
  int *map = ed_arena_alloc(a, (size_t)(ncols ? ncols : 1) * sizeof *map);
  int pos = 0;
  int *placed_at = ed_arena_alloc(a, (size_t)n * sizeof *placed_at);
  for (int s = 0; s < n; s++) {
    int l = order[s];
    placed_at[l] = s;
    for (int k = 0; k < g->leaves[l]->schema.ncols; k++)
      map[g->offset[l] + k] = pos++;
  }
  assert(pos == ncols);
  /* Each condition goes to the first join where all its leaves are in. */
  int *level = ed_arena_alloc(a, (size_t)(nc ? nc : 1) * sizeof *level);
  for (int k = 0; k < nc; k++) {
    level[k] = 1;
    for (int j = 0; j < n; j++)
      if (masks[k * n + j] && placed_at[j] > level[k]) level[k] = placed_at[j];
  }
  EdPlan *cur = g->leaves[order[0]];
  for (int s = 1; s < n; s++) {
    Conj here = {0};
    for (int k = 0; k < nc; k++)
      if (level[k] == s) conj_add(a, &here, ed_expr_remap(a, g->conds.v[k], map));
    EdExpr *pred = ed_expr_and_all(a, here.v, here.n);
    cur = ed_plan_join(a, pred ? JOIN_INNER : JOIN_CROSS, cur,
                       g->leaves[order[s]], pred);
  }
  if (same) return cur;
  EdExpr **exprs = ed_arena_alloc(a, (size_t)(ncols ? ncols : 1) * sizeof *exprs);
  for (int i = 0; i < ncols; i++)
    exprs[i] = ed_expr_colref(a, map[i], p->schema.cols[i].type);
  EdPlan *proj = ed_plan_project(a, cur, ncols, exprs, NULL);
  for (int i = 0; i < ncols; i++) proj->schema.cols[i] = p->schema.cols[i];
  return proj;
}

/* Reorders every group of three or more inner joins under p. */
static EdPlan *reorder(EdArena *a, EdPlan *p) {
  if (!p) return NULL;
  if (is_inner(p)) {
    JoinGroup g;
    memset(&g, 0, sizeof g);
    collect(a, p, 0, &g);
    if (g.nleaves >= 3) return reorder_group(a, p, &g);
    EdPlan *c = ed_plan_clone(a, p);
    c->left = g.leaves[0];
    c->right = g.leaves[1];
    return c;
  }
  if (!p->left && !p->right) return p;
  EdPlan *c = ed_plan_clone(a, p);
  c->left = reorder(a, p->left);
  c->right = reorder(a, p->right);
  return c;
}

/* ------------------------------------------------------ projection cleanup */

static bool all_colrefs(EdExpr **v, int n) {
  for (int i = 0; i < n; i++)
    if (v[i]->kind != EXPR_COLREF) return false;
  return true;
}

/* A projection that passes its input through unchanged (same columns in
** the same order under the same names). */
static bool is_identity(const EdPlan *p) {
  const EdSchema *in = &p->left->schema;
  if (p->nexprs != in->ncols) return false;
  for (int i = 0; i < p->nexprs; i++) {
    const EdExpr *e = p->exprs[i];
    if (e->kind != EXPR_COLREF || e->col != i) return false;
    const char *a = p->schema.cols[i].name, *b = in->cols[i].name;
    if (!a || !b || strcmp(a, b) != 0) return false;
  }
  return true;
}

/* Merges projections over projections (when no computed expression would
** be evaluated twice) and drops identity projections. */
static EdPlan *tidy(EdArena *a, EdPlan *p) {
  if (!p) return NULL;
  EdPlan *l = tidy(a, p->left), *r = tidy(a, p->right);
  if (l != p->left || r != p->right) {
    p = ed_plan_clone(a, p);
    p->left = l;
    p->right = r;
  }
  if (p->kind != PLAN_PROJECT) return p;
  if (l->kind == PLAN_PROJECT &&
      (all_colrefs(l->exprs, l->nexprs) || all_colrefs(p->exprs, p->nexprs))) {
    EdPlan *c = ed_plan_clone(a, p);
    c->exprs = ed_arena_alloc(a, (size_t)(p->nexprs ? p->nexprs : 1) *
                                     sizeof *c->exprs);
    for (int i = 0; i < p->nexprs; i++)
      c->exprs[i] = ed_expr_subst(a, p->exprs[i], l->exprs);
    c->left = l->left;
    p = c;
  }
  return is_identity(p) ? p->left : p;
}

/* Fills est_rows over the tree. */
static void annotate(EdPlan *p) {
  if (!p) return;
  annotate(p->left);
  annotate(p->right);
  p->est_rows = estimate(p);
}

EdPlan *ed_rewrite_plan(EdArena *a, EdPlan *p) {
  p = fold_plan(a, p);
  p = push_none(a, p);
  p = reorder(a, p);
  /* Inlined projections can make pushed conditions constant. */
  p = fold_plan(a, p);
  p = push_none(a, p);
  p = tidy(a, p);
  annotate(p);
  return p;
}

/* ------------------------------------------------------------ equi keys */

void ed_extract_equi_keys(EdArena *a, EdExpr *pred, int nleft, int ncols,
                          int *nkeys, EdExpr ***lkeys, EdExpr ***rkeys,
                          EdExpr **residual) {
  (void)ncols;
  EdExpr **v;
  int n = ed_expr_conjuncts(a, pred, &v);
  *nkeys = 0;
  *lkeys = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof **lkeys);
  *rkeys = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof **rkeys);
  Conj rest = {0};
  for (int i = 0; i < n; i++) {
    EdExpr *e = v[i];
    if (e->kind == EXPR_OP && e->op == OP_EQ) {
      int lo0 = -1, hi0 = -1, lo1 = -1, hi1 = -1;
      ed_expr_col_range(e->args[0], &lo0, &hi0);
      ed_expr_col_range(e->args[1], &lo1, &hi1);
      EdExpr *l = NULL, *r = NULL;
      if (lo0 >= 0 && hi0 < nleft && lo1 >= nleft) {
        l = e->args[0];
        r = e->args[1];
      } else if (lo1 >= 0 && hi1 < nleft && lo0 >= nleft) {
        l = e->args[1];
        r = e->args[0];
      }
      if (l) {
        assert(l->type == r->type);
        (*lkeys)[*nkeys] = l;
        (*rkeys)[*nkeys] = ed_expr_shift(a, r, -nleft);
        (*nkeys)++;
        continue;
      }
    }
    conj_add(a, &rest, e);
  }
  *residual = ed_expr_and_all(a, rest.v, rest.n);
}
