/*
** planner/physical.c — choice of algorithms: turns the rewritten logical
** plan into a physical plan, a copy of the tree with phys set on every
** node, ready for the executor (exec/ops.h):
**
**   scan      -> TableScan (memory connector) or FileScan (file connector)
**   join      -> HashJoin when the condition has at least one equi-key pair
**                (inner and left joins), the rest of it a residual filter;
**                NestedLoopJoin otherwise (cross joins, theta joins)
**   aggregate -> HashAggregate, distinct -> HashDistinct
**   sort      -> Sort, a top-N sort when a LIMIT sits directly above
**   set op    -> UnionAll, or HashSetOp for UNION / EXCEPT / INTERSECT
*/
#include <string.h>

#include "planner/planner_int.h"

static int plan_scan(EdPlan *c, EdError *err) {
  const EdTable *t = c->table;
  const char *conn = t->connector;
  if (t->mem || !conn || strcmp(conn, "memory") == 0) {
    c->phys = PHYS_TABLE_SCAN;
    return 0;
  }
  if (strcmp(conn, "file") == 0) {
    c->phys = PHYS_FILE_SCAN;
    return 0;
  }
  return ed_error_set(err, ED_ERR_PLAN, NULL,
                      "cannot read \"%s\": the '%s' connector is not "
                      "supported yet",
                      t->name, conn);
}

static void plan_join(EdArena *a, EdPlan *c) {
  int nkeys = 0;
  EdExpr **lkeys = NULL, **rkeys = NULL, *residual = NULL;
  if (c->pred && c->join_type != JOIN_CROSS)
    ed_extract_equi_keys(a, c->pred, c->left->schema.ncols, c->schema.ncols,
                         &nkeys, &lkeys, &rkeys, &residual);
  if (nkeys > 0) {
    c->phys = PHYS_HASH_JOIN;
    c->nkeys = nkeys;
    c->lkeys = lkeys;
    c->rkeys = rkeys;
    c->pred = residual;
  } else {
    c->phys = PHYS_NESTED_LOOP_JOIN;
    c->nkeys = 0;
    c->lkeys = c->rkeys = NULL;
  }
}

/* Physical copy of p; parent is p's logical parent (or NULL). */
static EdPlan *physical(EdArena *a, const EdPlan *p, const EdPlan *parent,
                        EdError *err) {
  EdPlan *c = ed_plan_clone(a, p);
  if (p->left && !(c->left = physical(a, p->left, p, err))) return NULL;
  if (p->right && !(c->right = physical(a, p->right, p, err))) return NULL;
  switch (p->kind) {
    case PLAN_SCAN:
      if (plan_scan(c, err) != 0) return NULL;
      break;
    case PLAN_VALUES: c->phys = PHYS_VALUES; break;
    case PLAN_FILTER: c->phys = PHYS_FILTER; break;
    case PLAN_PROJECT: c->phys = PHYS_PROJECT; break;
    case PLAN_AGGREGATE: c->phys = PHYS_HASH_AGGREGATE; break;
    case PLAN_JOIN: plan_join(a, c); break;
    case PLAN_SORT:
      c->phys = PHYS_SORT;
      c->limit = -1;
      /* ORDER BY ... LIMIT n OFFSET m only needs the first n + m rows. */
      if (parent && parent->kind == PLAN_LIMIT && parent->limit >= 0 &&
          parent->limit <= INT64_MAX - parent->offset)
        c->limit = parent->limit + parent->offset;
      break;
    case PLAN_LIMIT: c->phys = PHYS_LIMIT; break;
    case PLAN_DISTINCT: c->phys = PHYS_HASH_DISTINCT; break;
    case PLAN_SETOP:
      c->phys = p->setop == SETOP_UNION_ALL ? PHYS_UNION_ALL : PHYS_HASH_SETOP;
      break;
  }
  return c;
}

int ed_physical_plan(EdArena *a, const EdPlan *logical, EdPlan **out,
                     EdError *err) {
  EdPlan *p = physical(a, logical, NULL, err);
  if (!p) return -1;
  *out = p;
  return 0;
}
