/*
** planner/logical.c — building blocks of bound expressions and logical
** plans: node constructors, structural comparison, column-reference
** rewriting (shift, remap, substitute) and plan nodes with their output
** schemas.
**
** Every function here is functional: new nodes are allocated in the query
** arena and inputs are never modified, so subtrees can be shared.
*/
#include <assert.h>
#include <string.h>

#include "planner/planner_int.h"

/* ------------------------------------------------------------ expressions */

EdExpr *ed_expr_new(EdArena *a, EdExprKind kind, EdType type, int nargs) {
  EdExpr *e = ed_arena_alloc(a, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->type = type;
  e->value.type = type;
  e->value.is_null = true;
  e->nargs = nargs;
  if (nargs) {
    e->args = ed_arena_alloc(a, (size_t)nargs * sizeof *e->args);
    memset(e->args, 0, (size_t)nargs * sizeof *e->args);
  }
  return e;
}

EdExpr *ed_expr_const(EdArena *a, const EdValue *v) {
  EdExpr *e = ed_expr_new(a, EXPR_CONST, v->type, 0);
  e->value = *v;
  return e;
}

EdExpr *ed_expr_null(EdArena *a, EdType t) {
  return ed_expr_new(a, EXPR_CONST, t, 0);
}

EdExpr *ed_expr_bool(EdArena *a, bool b) {
  EdExpr *e = ed_expr_new(a, EXPR_CONST, ED_T_BOOL, 0);
  e->value.is_null = false;
  e->value.u.b = b;
  return e;
}

EdExpr *ed_expr_colref(EdArena *a, int col, EdType t) {
  assert(col >= 0);
  EdExpr *e = ed_expr_new(a, EXPR_COLREF, t, 0);
  e->col = col;
  return e;
}

EdExpr *ed_expr_op1(EdArena *a, int op, EdType t, EdExpr *x) {
  EdExpr *e = ed_expr_new(a, EXPR_OP, t, 1);
  e->op = op;
  e->args[0] = x;
  return e;
}

EdExpr *ed_expr_op2(EdArena *a, int op, EdType t, EdExpr *x, EdExpr *y) {
  EdExpr *e = ed_expr_new(a, EXPR_OP, t, 2);
  e->op = op;
  e->args[0] = x;
  e->args[1] = y;
  return e;
}

EdExpr *ed_expr_cast(EdArena *a, EdExpr *x, EdType t) {
  EdExpr *e = ed_expr_new(a, EXPR_CAST, t, 1);
  e->args[0] = x;
  return e;
}

EdExpr *ed_expr_clone(EdArena *a, const EdExpr *e) {
  EdExpr *c = ed_arena_alloc(a, sizeof *c);
  *c = *e;
  if (e->nargs) {
    c->args = ed_arena_alloc(a, (size_t)e->nargs * sizeof *c->args);
    memcpy(c->args, e->args, (size_t)e->nargs * sizeof *c->args);
  }
  return c;
}

bool ed_value_equal(const EdValue *a, const EdValue *b) {
  if (a->type != b->type || a->is_null != b->is_null) return false;
  if (a->is_null) return true;
  switch (a->type) {
    case ED_T_NULL: return true;
    case ED_T_BOOL: return a->u.b == b->u.b;
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: return a->u.i == b->u.i;
    case ED_T_DOUBLE: return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
    case ED_T_VARCHAR:
      return a->u.s.len == b->u.s.len &&
             (a->u.s.len == 0 ||
              memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0);
    case ED_T_WINDOW:
      return a->u.w.start == b->u.w.start && a->u.w.end == b->u.w.end;
    default: return false;
  }
}

bool ed_expr_equal(const EdExpr *a, const EdExpr *b) {
  if (a == b) return true;
  if (!a || !b) return false;
  if (a->kind != b->kind || a->type != b->type || a->nargs != b->nargs)
    return false;
  switch (a->kind) {
    case EXPR_CONST: return ed_value_equal(&a->value, &b->value);
    case EXPR_COLREF: return a->col == b->col;
    default: break;
  }
  if (a->op != b->op || a->negated != b->negated || a->has_else != b->has_else)
    return false;
  for (int i = 0; i < a->nargs; i++)
    if (!ed_expr_equal(a->args[i], b->args[i])) return false;
  return true;
}

bool ed_expr_has_colref(const EdExpr *e) {
  if (e->kind == EXPR_COLREF) return true;
  for (int i = 0; i < e->nargs; i++)
    if (ed_expr_has_colref(e->args[i])) return true;
  return false;
}

void ed_expr_col_range(const EdExpr *e, int *lo, int *hi) {
  if (e->kind == EXPR_COLREF) {
    if (*lo < 0 || e->col < *lo) *lo = e->col;
    if (*hi < 0 || e->col > *hi) *hi = e->col;
  }
  for (int i = 0; i < e->nargs; i++) ed_expr_col_range(e->args[i], lo, hi);
}

/* Rewrites column references of e through fn; shares unchanged subtrees. */
typedef EdExpr *(*ColFn)(EdArena *a, const EdExpr *ref, const void *arg);

static EdExpr *expr_map_cols(EdArena *a, const EdExpr *e, ColFn fn,
                             const void *arg) {
  if (e->kind == EXPR_COLREF) return fn(a, e, arg);
  if (!e->nargs) return (EdExpr *)e;
  EdExpr *c = NULL;
  for (int i = 0; i < e->nargs; i++) {
    EdExpr *x = expr_map_cols(a, e->args[i], fn, arg);
    if (x != e->args[i]) {
      if (!c) c = ed_expr_clone(a, e);
      c->args[i] = x;
    }
  }
  return c ? c : (EdExpr *)e;
}

static EdExpr *col_shift(EdArena *a, const EdExpr *ref, const void *arg) {
  int delta = *(const int *)arg;
  if (!delta) return (EdExpr *)ref;
  return ed_expr_colref(a, ref->col + delta, ref->type);
}

static EdExpr *col_remap(EdArena *a, const EdExpr *ref, const void *arg) {
  const int *map = arg;
  if (map[ref->col] == ref->col) return (EdExpr *)ref;
  return ed_expr_colref(a, map[ref->col], ref->type);
}

static EdExpr *col_subst(EdArena *a, const EdExpr *ref, const void *arg) {
  (void)a;
  EdExpr *const *exprs = arg;
  return exprs[ref->col];
}

EdExpr *ed_expr_shift(EdArena *a, const EdExpr *e, int delta) {
  return expr_map_cols(a, e, col_shift, &delta);
}

EdExpr *ed_expr_remap(EdArena *a, const EdExpr *e, const int *map) {
  return expr_map_cols(a, e, col_remap, map);
}

EdExpr *ed_expr_subst(EdArena *a, const EdExpr *e, EdExpr *const *exprs) {
  return expr_map_cols(a, e, col_subst, exprs);
}

/* Appends the conjuncts of e to the growable array (*out, *n, *cap). */
static void conj_collect(EdArena *a, EdExpr *e, EdExpr ***out, int *n,
                         int *cap) {
  if (e->kind == EXPR_OP && e->op == OP_AND) {
    conj_collect(a, e->args[0], out, n, cap);
    conj_collect(a, e->args[1], out, n, cap);
    return;
  }
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 8;
    EdExpr **x = ed_arena_alloc(a, (size_t)ncap * sizeof *x);
    if (*n) memcpy(x, *out, (size_t)*n * sizeof *x);
    *out = x;
    *cap = ncap;
  }
  (*out)[(*n)++] = e;
}

int ed_expr_conjuncts(EdArena *a, EdExpr *e, EdExpr ***out) {
  int n = 0, cap = 0;
  *out = NULL;
  if (e) conj_collect(a, e, out, &n, &cap);
  return n;
}

EdExpr *ed_expr_and_all(EdArena *a, EdExpr **c, int n) {
  EdExpr *r = NULL;
  for (int i = 0; i < n; i++)
    r = r ? ed_expr_op2(a, OP_AND, ED_T_BOOL, r, c[i]) : c[i];
  return r;
}

EdExpr *ed_expr_retype_null(EdArena *a, const EdExpr *e, EdType t) {
  if (e->type != ED_T_NULL) return (EdExpr *)e;
  if (e->kind == EXPR_CONST) return ed_expr_null(a, t);
  /* Only CASE, coalesce and nullif can be NULL-typed besides a literal:
  ** their value arguments take the type; CASE conditions stay BOOLEAN. */
  EdExpr *c = ed_expr_clone(a, e);
  c->type = t;
  c->value.type = t;
  for (int i = 0; i < c->nargs; i++) {
    bool is_cond = e->kind == EXPR_CASE && i % 2 == 0 &&
                   !(e->has_else && i == e->nargs - 1);
    if (!is_cond) c->args[i] = ed_expr_retype_null(a, c->args[i], t);
  }
  return c;
}

EdExpr *ed_expr_coerce(EdArena *a, EdExpr *e, EdType t) {
  if (e->type == t || t == ED_T_NULL) return e;
  if (e->type == ED_T_NULL) return ed_expr_retype_null(a, e, t);
  if (e->kind == EXPR_CONST && e->type == ED_T_BIGINT && t == ED_T_DOUBLE) {
    /* The common case (x > 100 with x DOUBLE) reads better as 100.0. */
    EdValue v = e->value;
    v.type = ED_T_DOUBLE;
    if (!v.is_null) v.u.d = (double)e->value.u.i;
    return ed_expr_const(a, &v);
  }
  return ed_expr_cast(a, e, t);
}

/* ------------------------------------------------------------------ plans */

EdPlan *ed_plan_new(EdArena *a, EdPlanKind kind) {
  EdPlan *p = ed_arena_alloc(a, sizeof *p);
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->phys = PHYS_NONE;
  p->limit = -1;
  p->est_rows = -1;
  p->wm_col = -1;
  p->window.key = -1;
  return p;
}

void ed_schema_alloc(EdArena *a, EdSchema *s, int ncols) {
  s->ncols = ncols;
  s->cols = NULL;
  if (ncols) {
    s->cols = ed_arena_alloc(a, (size_t)ncols * sizeof *s->cols);
    memset(s->cols, 0, (size_t)ncols * sizeof *s->cols);
  }
}

void ed_schema_dup(EdArena *a, EdSchema *dst, const EdSchema *src) {
  ed_schema_alloc(a, dst, src->ncols);
  if (src->ncols)
    memcpy(dst->cols, src->cols, (size_t)src->ncols * sizeof *src->cols);
}

void ed_schema_concat(EdArena *a, EdSchema *dst, const EdSchema *l,
                      const EdSchema *r) {
  ed_schema_alloc(a, dst, l->ncols + r->ncols);
  if (l->ncols) memcpy(dst->cols, l->cols, (size_t)l->ncols * sizeof *l->cols);
  if (r->ncols)
    memcpy(dst->cols + l->ncols, r->cols, (size_t)r->ncols * sizeof *r->cols);
}

EdPlan *ed_plan_scan(EdArena *a, EdTable *t, const char *qualifier) {
  EdPlan *p = ed_plan_new(a, PLAN_SCAN);
  p->table = t;
  ed_schema_alloc(a, &p->schema, t->schema.ncols);
  for (int i = 0; i < t->schema.ncols; i++) {
    p->schema.cols[i].name = ed_arena_strdup(a, t->schema.cols[i].name);
    p->schema.cols[i].type = t->schema.cols[i].type;
    p->schema.cols[i].table = (char *)qualifier;
  }
  return p;
}

EdPlan *ed_plan_values1(EdArena *a) {
  EdPlan *p = ed_plan_new(a, PLAN_VALUES);
  p->nrows = 1;
  return p;
}

EdPlan *ed_plan_filter(EdArena *a, EdPlan *child, EdExpr *pred) {
  assert(pred->type == ED_T_BOOL);
  EdPlan *p = ed_plan_new(a, PLAN_FILTER);
  p->left = child;
  p->pred = pred;
  ed_schema_dup(a, &p->schema, &child->schema);
  return p;
}

const char *ed_expr_name(EdArena *a, const EdExpr *e, const EdSchema *input) {
  if (e->kind == EXPR_COLREF && input && e->col < input->ncols)
    return input->cols[e->col].name;
  return ed_expr_text(e, input, a);
}

EdPlan *ed_plan_project(EdArena *a, EdPlan *child, int n, EdExpr **exprs,
                        const char *const *names) {
  EdPlan *p = ed_plan_new(a, PLAN_PROJECT);
  p->left = child;
  p->nexprs = n;
  p->exprs = exprs;
  ed_schema_alloc(a, &p->schema, n);
  for (int i = 0; i < n; i++) {
    EdColumn *c = &p->schema.cols[i];
    c->type = exprs[i]->type;
    if (names && names[i]) {
      c->name = (char *)names[i];
    } else {
      c->name = (char *)ed_expr_name(a, exprs[i], &child->schema);
      /* A plain column keeps its qualifier so that t.col still names it. */
      if (exprs[i]->kind == EXPR_COLREF)
        c->table = child->schema.cols[exprs[i]->col].table;
    }
  }
  return p;
}

EdPlan *ed_plan_aggregate(EdArena *a, EdPlan *child, int nkeys,
                          EdExpr **keys, int naggs, EdAggCall *aggs) {
  EdPlan *p = ed_plan_new(a, PLAN_AGGREGATE);
  p->left = child;
  p->nexprs = nkeys;
  p->exprs = keys;
  p->naggs = naggs;
  p->aggs = aggs;
  ed_schema_alloc(a, &p->schema, nkeys + naggs);
  for (int i = 0; i < nkeys; i++) {
    EdColumn *c = &p->schema.cols[i];
    c->type = keys[i]->type;
    c->name = (char *)ed_expr_name(a, keys[i], &child->schema);
    if (keys[i]->kind == EXPR_COLREF)
      c->table = child->schema.cols[keys[i]->col].table;
  }
  for (int i = 0; i < naggs; i++) {
    EdColumn *c = &p->schema.cols[nkeys + i];
    c->type = aggs[i].type;
    c->name = ed_agg_text(&aggs[i], &child->schema, a);
  }
  return p;
}

EdPlan *ed_plan_join(EdArena *a, EdJoinType jt, EdPlan *l, EdPlan *r,
                     EdExpr *pred) {
  EdPlan *p = ed_plan_new(a, PLAN_JOIN);
  p->join_type = jt;
  p->left = l;
  p->right = r;
  p->pred = pred;
  ed_schema_concat(a, &p->schema, &l->schema, &r->schema);
  return p;
}

EdPlan *ed_plan_sort(EdArena *a, EdPlan *child, int n, EdSortKey *keys) {
  EdPlan *p = ed_plan_new(a, PLAN_SORT);
  p->left = child;
  p->nsort = n;
  p->sort = keys;
  ed_schema_dup(a, &p->schema, &child->schema);
  return p;
}

EdPlan *ed_plan_limit(EdArena *a, EdPlan *child, int64_t limit,
                      int64_t offset) {
  EdPlan *p = ed_plan_new(a, PLAN_LIMIT);
  p->left = child;
  p->limit = limit;
  p->offset = offset;
  ed_schema_dup(a, &p->schema, &child->schema);
  return p;
}

EdPlan *ed_plan_distinct(EdArena *a, EdPlan *child) {
  EdPlan *p = ed_plan_new(a, PLAN_DISTINCT);
  p->left = child;
  ed_schema_dup(a, &p->schema, &child->schema);
  return p;
}

EdPlan *ed_plan_setop(EdArena *a, EdSetOp op, EdPlan *l, EdPlan *r) {
  assert(l->schema.ncols == r->schema.ncols);
  EdPlan *p = ed_plan_new(a, PLAN_SETOP);
  p->setop = op;
  p->left = l;
  p->right = r;
  ed_schema_dup(a, &p->schema, &l->schema);
  /* The result of a set operation is no longer "table.col". */
  for (int i = 0; i < p->schema.ncols; i++) p->schema.cols[i].table = NULL;
  return p;
}

EdPlan *ed_plan_explode(EdArena *a, EdPlan *child, EdExpr *str, EdExpr *sep,
                        const char *name) {
  assert(str->type == ED_T_VARCHAR && sep->type == ED_T_VARCHAR);
  EdPlan *p = ed_plan_new(a, PLAN_EXPLODE);
  p->left = child;
  p->nexprs = 2;
  p->exprs = ed_arena_alloc(a, 2 * sizeof *p->exprs);
  p->exprs[0] = str;
  p->exprs[1] = sep;
  int n = child->schema.ncols;
  ed_schema_alloc(a, &p->schema, n + 1);
  if (n) memcpy(p->schema.cols, child->schema.cols, (size_t)n * sizeof *p->schema.cols);
  p->schema.cols[n].name = (char *)name;
  p->schema.cols[n].type = ED_T_VARCHAR;
  return p;
}

EdPlan *ed_plan_clone(EdArena *a, const EdPlan *p) {
  EdPlan *c = ed_arena_alloc(a, sizeof *c);
  *c = *p;
  return c;
}

char *ed_agg_text(const EdAggCall *ag, const EdSchema *input, EdArena *a) {
  static const char *names[] = {"count", "count", "sum", "avg", "min", "max"};
  if (ag->fn == AGG_COUNT_STAR) return ed_arena_strdup(a, "count(*)");
  return ed_arena_printf(a, "%s(%s%s)", names[ag->fn],
                         ag->distinct ? "DISTINCT " : "",
                         ed_expr_text(ag->arg, input, a));
}
