/*
** planner/columns.c — which columns of a scan a plan reads.
**
** A source that decodes text (CSV, JSON lines) spends most of its time
** converting fields; a column that no operator above the scan looks at
** need not be converted at all.  This pass walks a physical plan from the
** root down, carrying the set of each node's output columns that its
** parent needs, and translates it through every node into the columns the
** node itself needs from its children: a projection needs what its
** needed expressions reference, a filter adds its predicate, an
** aggregation its keys, arguments and event time, a join splits the set
** between its sides and adds its keys and condition.  A node it does not
** know needs every column of its children, so the answer is always safe
** (a superset of what is read).
*/
#include <stdlib.h>
#include <string.h>

#include "planner/plan.h"

static void need_plan(const EdPlan *p, const bool *req, const EdPlan *scan,
                      bool *used);

/* Marks in cols[0..n) every column expression e references in its input
** row; a subquery's own plan is searched for the scan too. */
static void mark_expr(const EdExpr *e, bool *cols, int n, const EdPlan *scan,
                      bool *used) {
  if (!e) return;
  if (e->kind == EXPR_COLREF && e->col >= 0 && e->col < n) cols[e->col] = true;
  if (e->kind == EXPR_SUBQUERY && e->subq && e->subq->plan)
    need_plan(e->subq->plan, NULL, scan, used);
  for (int i = 0; i < e->nargs; i++) mark_expr(e->args[i], cols, n, scan, used);
}

/* An array of n flags, all set to all (freed by the caller). */
static bool *flags(int n, bool all) {
  bool *f = malloc((size_t)(n > 0 ? n : 1) * sizeof(bool));
  for (int i = 0; i < n; i++) f[i] = all;
  return f;
}

/* The child requirements of a join: req splits at the left's width, and
** the keys and the condition (over the concatenated row) add to both. */
static void need_join(const EdPlan *p, const bool *req, const EdPlan *scan,
                      bool *used) {
  int nl = p->left->schema.ncols, nr = p->right->schema.ncols;
  bool *both = flags(nl + nr, false);
  if (p->schema.ncols == nl + nr && req)
    memcpy(both, req, (size_t)(nl + nr) * sizeof(bool));
  else
    for (int i = 0; i < nl + nr; i++) both[i] = true;
  mark_expr(p->pred, both, nl + nr, scan, used);
  for (int k = 0; k < p->nkeys; k++) {
    mark_expr(p->lkeys[k], both, nl, scan, used);
    mark_expr(p->rkeys[k], both + nl, nr, scan, used);
  }
  need_plan(p->left, both, scan, used);
  need_plan(p->right, both + nl, scan, used);
  free(both);
}

/* req: which of p's output columns are needed (NULL: all of them). */
static void need_plan(const EdPlan *p, const bool *req, const EdPlan *scan,
                      bool *used) {
  if (!p) return;
  int nout = p->schema.ncols;
  if (p == scan) {
    for (int i = 0; i < nout; i++)
      if (!req || req[i]) used[i] = true;
    return;
  }
  if (p->phys == PHYS_HASH_JOIN || p->phys == PHYS_NESTED_LOOP_JOIN) {
    need_join(p, req, scan, used);
    return;
  }
  int nin = p->left ? p->left->schema.ncols : 0;
  bool *child = flags(nin, false);
  switch (p->phys) {
    case PHYS_FILTER:
    case PHYS_SORT:
    case PHYS_LIMIT:
      for (int i = 0; i < nin; i++) child[i] = !req || i >= nout || req[i];
      mark_expr(p->pred, child, nin, scan, used);
      for (int k = 0; k < p->nsort; k++)
        mark_expr(p->sort[k].expr, child, nin, scan, used);
      break;
    case PHYS_PROJECT:
      for (int i = 0; i < p->nexprs; i++)
        if (!req || i >= nout || req[i])
          mark_expr(p->exprs[i], child, nin, scan, used);
      break;
    case PHYS_HASH_AGGREGATE:
    case PHYS_STREAM_AGGREGATE:
      for (int i = 0; i < p->nexprs; i++)
        mark_expr(p->exprs[i], child, nin, scan, used);
      for (int a = 0; a < p->naggs; a++)
        mark_expr(p->aggs[a].arg, child, nin, scan, used);
      mark_expr(p->window.ts, child, nin, scan, used);
      break;
    case PHYS_EXPLODE:
      for (int i = 0; i < nin; i++) child[i] = !req || i >= nout || req[i];
      for (int i = 0; i < p->nexprs; i++)
        mark_expr(p->exprs[i], child, nin, scan, used);
      break;
    default:
      /* DISTINCT and set operations compare whole rows; anything else is
      ** taken to read all of its input. */
      for (int i = 0; i < nin; i++) child[i] = true;
      mark_expr(p->pred, child, nin, scan, used);
      break;
  }
  need_plan(p->left, child, scan, used);
  free(child);
  if (p->right) need_plan(p->right, NULL, scan, used);
}

void ed_plan_scan_columns(const EdPlan *root, const EdPlan *scan,
                          bool *used) {
  for (int i = 0; i < scan->schema.ncols; i++) used[i] = false;
  need_plan(root, NULL, scan, used);
}
