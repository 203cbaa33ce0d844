/*
** planner/physical.c — choice of algorithms: turns the rewritten logical
** plan into a physical plan, a copy of the tree with phys set on every
** node, ready for the executor (exec/ops.h):
**
**   scan      -> TableScan (memory connector) or FileScan (file connector);
**                StreamScan for a stream (its source reads it batch by
**                batch, with the scan's watermark)
**   join      -> HashJoin when the condition has at least one equi-key pair
**                (inner and left joins), the rest of it a residual filter;
**                NestedLoopJoin otherwise (cross joins, theta joins).  In a
**                streaming query the stream is the probe (left) side and
**                the table the build side: a stream on the right of an
**                inner join trades places, under a projection that
**                restores the column order
**   aggregate -> HashAggregate; StreamAggregate over a stream (state kept
**                across micro-batches, with the window spec and the output
**                mode), and in a batch query for sliding and session
**                windows (mode COMPLETE: everything at the end)
**   distinct  -> HashDistinct
**   sort      -> Sort, a top-N sort when a LIMIT sits directly above
**   set op    -> UnionAll, or HashSetOp for UNION / EXCEPT / INTERSECT
**   explode   -> Explode
*/
#include <string.h>

#include "planner/planner_int.h"

/* Stream connectors this version can read (sources/stream_source.h). */
static bool stream_connector_ok(const char *conn) {
  static const char *ok[] = {"memory", "stdin", "file", "directory",
                             "socket", "rate", "nexmark"};
  if (!conn) return true;
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if (strcmp(conn, ok[i]) == 0) return true;
  return false;
}

/* A scan: StreamScan, TableScan or FileScan by the object's kind and
** connector; an error for a connector that cannot be read yet. */
static int plan_scan(EdPlan *c, EdError *err) {
  const EdTable *t = c->table;
  const char *conn = t->connector;
  if (t->kind == OBJ_STREAM) {
    if (!stream_connector_ok(conn)) goto unsupported;
    c->phys = PHYS_STREAM_SCAN;
    return 0;
  }
  if (t->mem || !conn || strcmp(conn, "memory") == 0) {
    c->phys = PHYS_TABLE_SCAN;
    return 0;
  }
  if (strcmp(conn, "file") == 0) {
    c->phys = PHYS_FILE_SCAN;
    return 0;
  }
unsupported:
  return ed_error_set(err, ED_ERR_PLAN, NULL,
                      "cannot read \"%s\": the '%s' connector is not "
                      "supported yet",
                      t->name, conn);
}

/* HashJoin on the equi-keys of c's condition, else NestedLoopJoin. */
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

/* The physical join c (children already physical) with its sides swapped
** when the stream is on the right of an inner or cross join, so that the
** stream is probed and the table built; a projection restores the
** original column order.  c itself when nothing moves. */
static EdPlan *stream_on_left(EdArena *a, EdPlan *c) {
  if (c->join_type == JOIN_LEFT || !ed_plan_reads_stream(c->right) ||
      ed_plan_reads_stream(c->left))
    return c;
  int nl = c->left->schema.ncols, nr = c->right->schema.ncols, n = nl + nr;
  /* map: column of the original row -> column of the swapped row. */
  int *map = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *map);
  for (int i = 0; i < nl; i++) map[i] = nr + i;
  for (int i = 0; i < nr; i++) map[nl + i] = i;
  EdPlan *j = ed_plan_clone(a, c);
  j->left = c->right;
  j->right = c->left;
  j->pred = c->pred ? ed_expr_remap(a, c->pred, map) : NULL;
  ed_schema_concat(a, &j->schema, &j->left->schema, &j->right->schema);
  plan_join(a, j);
  EdExpr **exprs = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *exprs);
  for (int i = 0; i < n; i++)
    exprs[i] = ed_expr_colref(a, map[i], c->schema.cols[i].type);
  EdPlan *proj = ed_plan_project(a, j, n, exprs, NULL);
  for (int i = 0; i < n; i++) proj->schema.cols[i] = c->schema.cols[i];
  proj->phys = PHYS_PROJECT;
  proj->est_rows = c->est_rows;
  proj->pos = c->pos;
  return proj;
}

/* Folds into the projection c the column-reordering projection that
** stream_on_left put under it (the logical rewrites merged every other
** pair already). */
static void merge_swap_project(EdArena *a, EdPlan *c) {
  const EdPlan *l = c->left;
  if (l->phys != PHYS_PROJECT || !l->left ||
      (l->left->phys != PHYS_HASH_JOIN && l->left->phys != PHYS_NESTED_LOOP_JOIN))
    return;
  for (int i = 0; i < l->nexprs; i++)
    if (l->exprs[i]->kind != EXPR_COLREF) return;
  EdExpr **exprs = ed_arena_alloc(a, (size_t)(c->nexprs ? c->nexprs : 1) *
                                         sizeof *exprs);
  for (int i = 0; i < c->nexprs; i++)
    exprs[i] = ed_expr_subst(a, c->exprs[i], l->exprs);
  c->exprs = exprs;
  c->left = l->left;
}

/* An aggregation: its window spec, and whether it keeps state across
** micro-batches (over a stream) or needs the streaming operator for a
** window a hash aggregate cannot compute (sliding, session). */
static void plan_aggregate(EdPlan *c, const EdPlan *p, const EdPhysOpts *o) {
  bool streaming = o && o->streaming && ed_plan_reads_stream(p->left);
  ed_window_spec(p, streaming, &c->window);
  c->mode = EMIT_DEFAULT;
  c->state_ttl_us = 0;
  if (streaming) {
    c->phys = PHYS_STREAM_AGGREGATE;
    c->mode = o->mode;
    c->state_ttl_us = o->state_ttl_us;
  } else if (c->window.kind == WIN_SLIDING || c->window.kind == WIN_SESSION) {
    c->phys = PHYS_STREAM_AGGREGATE;
    c->mode = EMIT_COMPLETE;
  } else {
    c->phys = PHYS_HASH_AGGREGATE;
  }
}

/* Physical copy of p; parent is p's logical parent (or NULL). */
static EdPlan *physical(EdArena *a, const EdPlan *p, const EdPlan *parent,
                        const EdPhysOpts *o, EdError *err) {
  EdPlan *c = ed_plan_clone(a, p);
  if (p->left && !(c->left = physical(a, p->left, p, o, err))) return NULL;
  if (p->right && !(c->right = physical(a, p->right, p, o, err))) return NULL;
  switch (p->kind) {
    case PLAN_SCAN:
      if (plan_scan(c, err) != 0) return NULL;
      break;
    case PLAN_VALUES: c->phys = PHYS_VALUES; break;
    case PLAN_FILTER: c->phys = PHYS_FILTER; break;
    case PLAN_PROJECT:
      c->phys = PHYS_PROJECT;
      merge_swap_project(a, c);
      break;
    case PLAN_AGGREGATE: plan_aggregate(c, p, o); break;
    case PLAN_JOIN:
      if (o && o->streaming) {
        EdPlan *s = stream_on_left(a, c);
        if (s != c) return s;
      }
      plan_join(a, c);
      break;
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
    case PLAN_EXPLODE: c->phys = PHYS_EXPLODE; break;
  }
  return c;
}

int ed_physical_plan(EdArena *a, const EdPlan *logical, const EdPhysOpts *opts,
                     EdPlan **out, EdError *err) {
  EdPlan *p = physical(a, logical, NULL, opts, err);
  if (!p) return -1;
  *out = p;
  return 0;
}
