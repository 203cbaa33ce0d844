/*
** planner/binder.c — binding of queries into logical plans: FROM (tables,
** subqueries, joins with ON or USING), the select list with `*`
** expansion, WHERE, GROUP BY, HAVING, DISTINCT, ORDER BY (aliases,
** ordinals, expressions, hidden sort columns), LIMIT / OFFSET and set
** operations, and explode(split(s, sep)) in the select list.  The entry
** points are in stream.c.
**
** Shape of a bound SELECT, bottom up:
**     FROM tree -> Filter(WHERE) -> [Explode | Aggregate -> Filter(HAVING)]
**       -> Project(select list + hidden ORDER BY columns) -> [Distinct]
**       -> [Sort] -> [Limit] -> [Project dropping hidden columns]
** Set operations combine the Projects (each with its own Distinct) left to
** right, as SQLite does, and ORDER BY / LIMIT apply to the result.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/expr_eval.h"
#include "planner/binder_int.h"

/* The bound form of one SELECT of a query. */
typedef struct SelectPlan {
  EdPlan *proj;             /* Project: visible columns, then hidden ones */
  int nvisible;
  bool distinct;
  EdSelItem *items;
  int nitems;
  int nsort;                /* ORDER BY resolved to Project columns */
  int *sort_col;
  bool *sort_desc;
  bool *sort_nulls_first;
} SelectPlan;

static EdPlan *perr(EdBinder *b, EdPos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static EdPlan *perr(EdBinder *b, EdPos pos, const char *fmt, ...) {
  char msg[sizeof b->err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ed_error_set(b->err, ED_ERR_BIND, &pos, "%s", msg);
  return NULL;
}

/* The first sliding window() or session_window() call in e, or NULL. */
static const EdExpr *find_multi_window(const EdExpr *e) {
  if (!e) return NULL;
  if (ed_is_multi_window(e)) return e;
  for (int i = 0; i < e->nargs; i++) {
    const EdExpr *w = find_multi_window(e->args[i]);
    if (w) return w;
  }
  return NULL;
}

/* Sets *pos to the first session_window() call (session) or window()
** call with a slide (!session) in the AST ast; false when there is none. */
static bool find_window_call(const EdAstExpr *ast, bool session, EdPos *pos) {
  if (!ast) return false;
  if (ast->kind == AST_FUNC &&
      (session ? strcasecmp(ast->name, "session_window") == 0
               : strcasecmp(ast->name, "window") == 0 && ast->list.n == 3)) {
    *pos = ast->pos;
    return true;
  }
  if (find_window_call(ast->left, session, pos) ||
      find_window_call(ast->right, session, pos) ||
      find_window_call(ast->third, session, pos))
    return true;
  for (int i = 0; i < ast->list.n; i++)
    if (find_window_call(ast->list.items[i], session, pos)) return true;
  return false;
}

/* Rejects a sliding window() or a session_window() in e (bound, with group
** keys already replaced by references): they give a row several windows,
** or one known only once sessions merge, so they can only be a whole
** GROUP BY key.  ast is e as written (may be NULL); the error points at
** the call in it, else at pos. */
static int check_windows(EdBinder *b, const EdExpr *e, const EdAstExpr *ast,
                         EdPos pos) {
  const EdExpr *w = find_multi_window(e);
  if (!w) return 0;
  find_window_call(ast, w->op == FN_SESSION_WINDOW, &pos);
  if (w->op == FN_SESSION_WINDOW)
    perr(b, pos,
         "session_window() can only be a GROUP BY key (or a select item "
         "equal to it): a row's session is only known once sessions merge");
  else
    perr(b, pos,
         "a sliding window() can only be a GROUP BY key (or a select item "
         "equal to it): a row belongs to several sliding windows");
  return -1;
}

static void ctx_init(EdBindCtx *c, EdBinder *b, const EdScope *s,
                     const char *clause) {
  memset(c, 0, sizeof *c);
  c->b = b;
  c->scope = s;
  c->clause = clause;
}

/* ---------------------------------------------------------------- FROM */

/* Lists the catalog's tables and streams for an unknown-table message. */
static EdPlan *unknown_table(EdBinder *b, const EdAstFrom *f) {
  char names[600];
  size_t len = 0;
  const char *best = NULL;
  int bestd = 99;
  names[0] = 0;
  for (int i = 0; i < b->cat->n; i++) {
    const EdTable *t = b->cat->tables[i];
    if (t->kind == OBJ_SINK) continue;
    if (len + strlen(t->name) + 8 < sizeof names)
      len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                              len ? ", " : "", t->name);
    if (ed_name_close(f->name, t->name) &&
        ed_name_distance(f->name, t->name) < bestd) {
      bestd = ed_name_distance(f->name, t->name);
      best = t->name;
    }
  }
  if (!names[0])
    return perr(b, f->pos,
                "unknown table \"%s\": no tables or streams exist yet "
                "(create one with CREATE TABLE or CREATE STREAM)",
                f->name);
  if (best)
    return perr(b, f->pos,
                "unknown table \"%s\" (did you mean \"%s\"?); known tables "
                "and streams: %s",
                f->name, best, names);
  return perr(b, f->pos, "unknown table \"%s\"; known tables and streams: %s",
              f->name, names);
}

/* Position of the column in FROM t [AS a] WATERMARK col ... (the AST keeps
** none), else the table's. */
static EdPos watermark_col_pos(EdBinder *b, const EdAstFrom *f) {
  EdSqlCursor c;
  ed_sql_cursor_init(&c, b->sql, f->pos);
  EdPos pos;
  const char *w;
  int n = ed_sql_next_word(&c, &pos, &w);   /* the table's name */
  for (int i = 0; i < 3 && n > 0; i++) {
    n = ed_sql_next_word(&c, &pos, &w);
    if (n > 0 && ed_sql_word_is(w, n, "watermark")) {
      if (ed_sql_next_word(&c, &pos, &w) > 0) return pos;
      break;
    }
  }
  return f->pos;
}

/* Applies a query-level WATERMARK clause (FROM s WATERMARK col DELAY OF
** ...) to the scan p: it overrides the stream's own (DDL) watermark.  Over
** a table the clause is checked and has no effect (batch queries have no
** watermark). */
static int check_watermark(EdBinder *b, const EdAstFrom *f, EdPlan *p) {
  if (!f->wm_column) return 0;
  int col = ed_schema_find(&p->schema, f->wm_column);
  if (col < 0) {
    perr(b, watermark_col_pos(b, f), "WATERMARK column \"%s\" is not a column of %s",
         f->wm_column, f->alias ? f->alias : f->name);
    return -1;
  }
  if (p->schema.cols[col].type != ED_T_TIMESTAMP) {
    perr(b, watermark_col_pos(b, f), "WATERMARK column \"%s\" must be a TIMESTAMP, not %s",
         f->wm_column, ed_type_name(p->schema.cols[col].type));
    return -1;
  }
  int64_t delay = 0;
  if (f->wm_delay) {
    EdValue v;
    if (ed_bind_constant(f->wm_delay, ED_T_INTERVAL, b->arena, &v, b->err) != 0)
      return -1;
    if (v.is_null || v.u.i < 0) {
      perr(b, f->wm_delay->pos, "WATERMARK delay must be a non-negative interval");
      return -1;
    }
    delay = v.u.i;
  }
  if (p->kind == PLAN_SCAN && p->table->kind == OBJ_STREAM) {
    p->wm_col = col;
    p->wm_delay_us = delay;
  }
  return 0;
}

static EdPlan *plan_from(EdBinder *b, const EdAstFrom *f, bool **hidden);

/* USING (a, b): equalities of the named columns; the right-hand copies
** are hidden from `*` and from unqualified names. */
static EdExpr *bind_using(EdBinder *b, const EdAstFrom *f, const EdScope *js,
                          int nleft, bool *hidden) {
  EdScope ls = {{nleft, js->schema.cols}, hidden};
  EdScope rs = {{js->schema.ncols - nleft, js->schema.cols + nleft},
                hidden ? hidden + nleft : NULL};
  EdBindCtx c;
  ctx_init(&c, b, js, "USING");
  EdExpr *pred = NULL;
  for (int i = 0; i < f->using_cols.n; i++) {
    const char *name = f->using_cols.items[i];
    int li = -1, ri = -1, n = 0;
    for (int k = 0; k < ls.schema.ncols; k++)
      if (!(ls.hidden && ls.hidden[k]) &&
          strcasecmp(ls.schema.cols[k].name, name) == 0) {
        li = k;
        n++;
      }
    if (n != 1) {
      perr(b, f->pos, n ? "USING column \"%s\" is ambiguous on the left side of the join"
                        : "USING column \"%s\" is not a column of the left side of the join",
           name);
      return NULL;
    }
    n = 0;
    for (int k = 0; k < rs.schema.ncols; k++)
      if (!(rs.hidden && rs.hidden[k]) &&
          strcasecmp(rs.schema.cols[k].name, name) == 0) {
        ri = k;
        n++;
      }
    if (n != 1) {
      perr(b, f->pos, n ? "USING column \"%s\" is ambiguous on the right side of the join"
                        : "USING column \"%s\" is not a column of the right side of the join",
           name);
      return NULL;
    }
    EdExpr *l = ed_expr_colref(b->arena, li, ls.schema.cols[li].type);
    EdExpr *r = ed_expr_colref(b->arena, nleft + ri, rs.schema.cols[ri].type);
    if (ed_bind_unify2(&c, &l, f->pos, &r, f->pos, "USING") != 0) return NULL;
    EdExpr *eq = ed_expr_op2(b->arena, OP_EQ, ED_T_BOOL, l, r);
    pred = pred ? ed_expr_op2(b->arena, OP_AND, ED_T_BOOL, pred, eq) : eq;
    hidden[nleft + ri] = true;
  }
  return pred;
}

static EdPlan *plan_join(EdBinder *b, const EdAstFrom *f, bool **hidden) {
  bool *lh = NULL, *rh = NULL;
  EdPlan *l = plan_from(b, f->left, &lh);
  if (!l) return NULL;
  EdPlan *r = plan_from(b, f->right, &rh);
  if (!r) return NULL;
  EdPlan *j = ed_plan_join(b->arena, f->join, l, r, NULL);
  j->pos = f->pos;
  int nl = l->schema.ncols, n = j->schema.ncols;
  bool *h = ed_arena_alloc(b->arena, (size_t)(n ? n : 1));
  memset(h, 0, (size_t)(n ? n : 1));
  if (lh) memcpy(h, lh, (size_t)nl);
  if (rh) memcpy(h + nl, rh, (size_t)(n - nl));
  EdScope js = {j->schema, h};
  if (f->using_cols.n) {
    j->pred = bind_using(b, f, &js, nl, h);
    if (!j->pred) return NULL;
  } else if (f->on) {
    EdBindCtx c;
    ctx_init(&c, b, &js, "ON");
    j->pred = ed_bind_cond(&c, f->on);
    if (!j->pred || check_windows(b, j->pred, f->on, f->on->pos) != 0)
      return NULL;
  }
  if (j->pred && j->join_type == JOIN_CROSS) j->join_type = JOIN_INNER;
  *hidden = h;
  return j;
}

/* Plans a FROM item; *hidden receives the USING-hidden flags or NULL. */
static EdPlan *plan_from(EdBinder *b, const EdAstFrom *f, bool **hidden) {
  *hidden = NULL;
  switch (f->kind) {
    case FROM_TABLE: {
      EdTable *t = ed_catalog_find(b->cat, f->name);
      if (!t) return unknown_table(b, f);
      if (t->kind == OBJ_SINK)
        return perr(b, f->pos,
                    "\"%s\" is a sink; only tables and streams can be read",
                    f->name);
      const char *qual = ed_arena_strdup(b->arena, f->alias ? f->alias : t->name);
      EdPlan *p = ed_plan_scan(b->arena, t, qual);
      p->pos = f->pos;
      if (t->kind == OBJ_STREAM && t->wm_col >= 0 &&
          t->wm_col < p->schema.ncols) {
        p->wm_col = t->wm_col;
        p->wm_delay_us = t->wm_delay_us;
      }
      if (check_watermark(b, f, p) != 0) return NULL;
      return p;
    }
    case FROM_SUBQUERY: {
      EdPlan *p = ed_bind_query(b, f->query);
      if (!p) return NULL;
      /* The subquery's columns are named by its alias from now on. */
      EdPlan *q = ed_plan_clone(b->arena, p);
      ed_schema_dup(b->arena, &q->schema, &p->schema);
      for (int i = 0; i < q->schema.ncols; i++)
        q->schema.cols[i].table =
            f->alias ? ed_arena_strdup(b->arena, f->alias) : NULL;
      if (check_watermark(b, f, q) != 0) return NULL;
      return q;
    }
    case FROM_JOIN: return plan_join(b, f, hidden);
  }
  return perr(b, f->pos, "unsupported FROM item");
}

/* --------------------------------------------------------- select list */

/* Output name of an unaliased select item. */
static const char *item_name(EdBinder *b, const EdScope *s,
                             const EdAstExpr *e) {
  if (e->kind == AST_COLUMN) {
    for (int i = 0; i < s->schema.ncols; i++) {
      const EdColumn *col = &s->schema.cols[i];
      if (col->name && strcasecmp(col->name, e->name) == 0 &&
          (!e->qualifier ||
           (col->table && strcasecmp(col->table, e->qualifier) == 0)))
        return col->name;
    }
    if (!e->qualifier) return e->name;
  }
  if (!b->sql) return "?column?";
  return ed_ast_expr_text(b->arena, b->sql, e);
}

/* Expands `*` and `t.*`; fills sp->items.  Returns 0 or -1. */
static int expand_items(EdBinder *b, const EdAstSelect *sel, const EdScope *s,
                        SelectPlan *sp) {
  int n = 0;
  for (int i = 0; i < sel->items.n; i++) {
    const EdAstSelItem *it = sel->items.items[i];
    if (it->expr->kind != AST_STAR) {
      n++;
      continue;
    }
    const char *q = it->expr->qualifier;
    if (!sel->from) {
      perr(b, it->expr->pos, "SELECT * needs a FROM clause");
      return -1;
    }
    if (q && !ed_scope_has_qualifier(s, q)) {
      EdBindCtx c;
      ctx_init(&c, b, s, "the select list");
      EdAstExpr probe = *it->expr;
      probe.kind = AST_COLUMN;
      probe.name = "*";
      /* Reuses the unknown-table message of column references. */
      ed_bind_expr(&c, &probe);
      return -1;
    }
    for (int k = 0; k < s->schema.ncols; k++) {
      const EdColumn *col = &s->schema.cols[k];
      if (q ? (col->table && strcasecmp(col->table, q) == 0)
            : !(s->hidden && s->hidden[k]))
        n++;
    }
  }
  sp->items = ed_arena_alloc(b->arena, (size_t)(n ? n : 1) * sizeof *sp->items);
  memset(sp->items, 0, (size_t)(n ? n : 1) * sizeof *sp->items);
  sp->nitems = n;
  n = 0;
  for (int i = 0; i < sel->items.n; i++) {
    const EdAstSelItem *it = sel->items.items[i];
    if (it->expr->kind != AST_STAR) {
      EdSelItem *x = &sp->items[n++];
      x->ast = it->expr;
      x->alias = it->alias;
      x->pos = it->expr->pos;
      x->name = it->alias ? it->alias : item_name(b, s, it->expr);
      continue;
    }
    const char *q = it->expr->qualifier;
    for (int k = 0; k < s->schema.ncols; k++) {
      const EdColumn *col = &s->schema.cols[k];
      if (q ? !(col->table && strcasecmp(col->table, q) == 0)
            : (s->hidden && s->hidden[k]))
        continue;
      EdSelItem *x = &sp->items[n++];
      x->star_col = k;
      x->pos = it->expr->pos;
      x->name = col->name;
    }
  }
  return 0;
}

/* ------------------------------------------------------------ GROUP BY */

static bool is_int_literal(const EdAstExpr *e) {
  return e->kind == AST_LITERAL && e->lit.type == ED_T_BIGINT;
}

/* Whether e is a window() or session_window() call. */
static bool is_window_call(const EdExpr *e) {
  return e->kind == EXPR_FUNC &&
         (e->op == FN_WINDOW || e->op == FN_SESSION_WINDOW);
}

/* Checks key i of g, bound from ast and written at pos (the GROUP BY
** term): at most one window key, and sliding or session windows only as a
** whole key.  The aggregation's position is its window key's. */
static int bind_window_key(EdBinder *b, EdAggCtx *g, int i,
                           const EdAstExpr *ast, EdPos pos, int *nwin) {
  const EdExpr *k = g->keys[i];
  if (i == 0) g->pos = pos;
  if (!is_window_call(k)) return check_windows(b, k, ast, pos);
  if (++*nwin > 1) {
    perr(b, pos,
         "GROUP BY can have only one window (window() or session_window()); "
         "this is the second");
    return -1;
  }
  g->pos = pos;
  for (int j = 0; j < k->nargs; j++)
    if (check_windows(b, k->args[j], NULL, pos) != 0) return -1;
  return 0;
}

/* Binds the GROUP BY keys over the FROM row. */
static int bind_group_by(EdBinder *b, const EdAstSelect *sel, const EdScope *s,
                         SelectPlan *sp, EdAggCtx *g) {
  int n = sel->group_by.n, nwin = 0;
  g->pos = sel->pos;
  g->nkeys = n;
  g->keys = ed_arena_alloc(b->arena, (size_t)(n ? n : 1) * sizeof *g->keys);
  EdBindCtx c;
  ctx_init(&c, b, s, "GROUP BY");
  c.items = sp->items;
  c.nitems = sp->nitems;
  for (int i = 0; i < n; i++) {
    const EdAstExpr *e = sel->group_by.items[i];
    const EdAstExpr *target = e;
    EdExpr *k = NULL;
    if (is_int_literal(e)) {
      /* GROUP BY 2: the second select-list column. */
      if (e->lit.i < 1 || e->lit.i > sp->nitems) {
        perr(b, e->pos,
             "GROUP BY position %lld is out of range: the select list has %d "
             "column%s",
             (long long)e->lit.i, sp->nitems, sp->nitems == 1 ? "" : "s");
        return -1;
      }
      const EdSelItem *it = &sp->items[e->lit.i - 1];
      if (!it->ast) k = ed_expr_colref(b->arena, it->star_col,
                                       s->schema.cols[it->star_col].type);
      else target = it->ast;
    }
    if (!k) {
      if (ed_ast_has_agg(&c, target)) {
        perr(b, e->pos, "aggregate functions are not allowed in GROUP BY");
        return -1;
      }
      k = ed_bind_expr(&c, target);
      if (!k) return -1;
    }
    /* A key needs a column type. */
    g->keys[i] = ed_expr_retype_null(b->arena, k, ED_NULL_DEFAULT_TYPE);
    if (bind_window_key(b, g, i, target, e->pos, &nwin) != 0) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------ ORDER BY */

/* Resolves one ORDER BY term of a simple SELECT to a Project column:
** an alias, an ordinal, or an expression (equal to a select item, else a
** hidden column appended to *hid).  Returns the column, -1 on error, -2
** for a constant term (which does not order anything). */
static int resolve_order(EdBinder *b, EdBindCtx *oc, SelectPlan *sp,
                         const EdAstOrderItem *o, EdExpr ***hid, int *nhid,
                         int *caphid) {
  const EdAstExpr *e = o->expr;
  if (e->kind == AST_COLUMN && !e->qualifier) {
    for (int i = 0; i < sp->nitems; i++)
      if (sp->items[i].alias && strcasecmp(sp->items[i].alias, e->name) == 0)
        return i;
  }
  if (is_int_literal(e)) {
    if (e->lit.i < 1 || e->lit.i > sp->nitems) {
      perr(b, e->pos,
           "ORDER BY position %lld is out of range: the select list has %d "
           "column%s",
           (long long)e->lit.i, sp->nitems, sp->nitems == 1 ? "" : "s");
      return -1;
    }
    return (int)e->lit.i - 1;
  }
  EdExpr *x = ed_bind_expr(oc, e);
  if (!x) return -1;
  if (x->kind == EXPR_CONST) return -2;
  for (int i = 0; i < sp->nitems; i++)
    if (ed_bind_expr_equal(sp->items[i].bound, x)) return i;
  for (int i = 0; i < *nhid; i++)
    if (ed_bind_expr_equal((*hid)[i], x)) return sp->nitems + i;
  if (sp->distinct) {
    perr(b, e->pos,
         "for SELECT DISTINCT, ORDER BY expressions must appear in the select "
         "list");
    return -1;
  }
  if (*nhid == *caphid) {
    int ncap = *caphid ? *caphid * 2 : 4;
    EdExpr **n = ed_arena_alloc(b->arena, (size_t)ncap * sizeof *n);
    if (*nhid) memcpy(n, *hid, (size_t)*nhid * sizeof *n);
    *hid = n;
    *caphid = ncap;
  }
  (*hid)[(*nhid)++] = ed_expr_retype_null(b->arena, x, ED_NULL_DEFAULT_TYPE);
  return sp->nitems + *nhid - 1;
}

static void sort_alloc(EdArena *a, SelectPlan *sp, int n) {
  int m = n ? n : 1;
  sp->sort_col = ed_arena_alloc(a, (size_t)m * sizeof *sp->sort_col);
  sp->sort_desc = ed_arena_alloc(a, (size_t)m * sizeof *sp->sort_desc);
  sp->sort_nulls_first =
      ed_arena_alloc(a, (size_t)m * sizeof *sp->sort_nulls_first);
  sp->nsort = 0;
}

static void sort_add(SelectPlan *sp, int col, const EdAstOrderItem *o) {
  sp->sort_col[sp->nsort] = col;
  sp->sort_desc[sp->nsort] = o->desc;
  /* SQLite: NULLs are smallest, so first for ASC and last for DESC. */
  sp->sort_nulls_first[sp->nsort] =
      o->nulls_first < 0 ? !o->desc : o->nulls_first == 1;
  sp->nsort++;
}

/* ------------------------------------------------------------- explode */

/* Index of the select item that is explode(...), -1 when there is none,
** -2 after an error: one explode per SELECT, as explode(split(s, sep)). */
static int find_explode(EdBinder *b, const SelectPlan *sp) {
  int found = -1;
  for (int i = 0; i < sp->nitems; i++) {
    const EdAstExpr *e = sp->items[i].ast;
    if (!e || e->kind != AST_FUNC || strcasecmp(e->name, "explode") != 0)
      continue;
    if (found >= 0) {
      perr(b, e->pos, "only one explode() is allowed in a SELECT");
      return -2;
    }
    const EdAstExpr *arg = e->list.n == 1 ? e->list.items[0] : NULL;
    if (e->star || e->distinct || !arg || arg->kind != AST_FUNC ||
        strcasecmp(arg->name, "split") != 0 || arg->star || arg->distinct ||
        arg->list.n != 2) {
      perr(b, arg ? arg->pos : e->pos,
           "explode() takes split(<string>, <separator>), as in "
           "explode(split(value, ' ')): eddy has no other array values");
      return -2;
    }
    found = i;
  }
  return found;
}

/* Argument i of the split() inside explode(), as a VARCHAR. */
static EdExpr *split_arg(EdBindCtx *c, const EdAstExpr *split, int i) {
  const EdAstExpr *e = split->list.items[i];
  EdExpr *x = ed_bind_expr(c, e);
  if (!x) return NULL;
  if (x->type == ED_T_NULL)
    return ed_expr_retype_null(c->b->arena, x, ED_T_VARCHAR);
  if (x->type != ED_T_VARCHAR)
    return ed_bind_errorf(c, e->pos,
                          "split() takes (VARCHAR, VARCHAR separator); "
                          "argument %d is %s",
                          i + 1, ed_type_name(x->type));
  if (check_windows(c->b, x, e, e->pos) != 0) return NULL;
  return x;
}

/* Plans item xi, explode(split(s, sep)), over input.  The piece becomes
** the scope's last column, hidden from names and `*` (a select list does
** not see its own items), and the item a reference to it, named by its
** alias or "col" (Spark's name). */
static EdPlan *plan_explode(EdBinder *b, EdPlan *input, EdScope *scope,
                            SelectPlan *sp, int xi) {
  EdSelItem *it = &sp->items[xi];
  const EdAstExpr *split = it->ast->list.items[0];
  EdBindCtx c;
  ctx_init(&c, b, scope, "explode()");
  EdExpr *s = split_arg(&c, split, 0);
  EdExpr *sep = s ? split_arg(&c, split, 1) : NULL;
  if (!sep) return NULL;
  it->name = it->alias ? it->alias : "col";
  EdPlan *x = ed_plan_explode(b->arena, input, s, sep, it->name);
  x->pos = it->pos;
  int n = input->schema.ncols;
  bool *h = ed_arena_alloc(b->arena, (size_t)n + 1);
  memset(h, 0, (size_t)n + 1);
  if (scope->hidden) memcpy(h, scope->hidden, (size_t)n);
  h[n] = true;
  scope->schema = x->schema;
  scope->hidden = h;
  it->bound = ed_expr_colref(b->arena, n, ED_T_VARCHAR);
  return x;
}

/* -------------------------------------------------------------- SELECT */

static bool any_agg(EdBindCtx *c, const EdAstSelect *sel,
                    const EdAstList *order_by) {
  if (sel->group_by.n || sel->having) return true;
  for (int i = 0; i < sel->items.n; i++) {
    const EdAstSelItem *it = sel->items.items[i];
    if (ed_ast_has_agg(c, it->expr)) return true;
  }
  if (order_by)
    for (int i = 0; i < order_by->n; i++) {
      const EdAstOrderItem *o = order_by->items[i];
      if (!is_int_literal(o->expr) && ed_ast_has_agg(c, o->expr)) return true;
    }
  return false;
}

/* Resolves the ORDER BY terms of a simple SELECT into sp->sort_*; terms
** not in the select list are appended to *hid as hidden columns. */
static int bind_order_by(EdBinder *b, const EdBindCtx *ic,
                         const EdAstList *order_by, SelectPlan *sp,
                         EdExpr ***hid, int *nhid) {
  int caphid = 0;
  sort_alloc(b->arena, sp, order_by->n);
  EdBindCtx oc = *ic;
  oc.clause = "ORDER BY";
  oc.items = sp->items;
  oc.nitems = sp->nitems;
  for (int i = 0; i < order_by->n; i++) {
    const EdAstOrderItem *o = order_by->items[i];
    int col = resolve_order(b, &oc, sp, o, hid, nhid, &caphid);
    if (col == -1) return -1;
    if (col >= 0) sort_add(sp, col, o);
  }
  return 0;
}

/* The select list's Project (visible items, then hidden sort columns)
** over input. */
static EdPlan *select_project(EdArena *a, EdPlan *input, const SelectPlan *sp,
                              EdExpr **hid, int nhid) {
  int n = sp->nitems + nhid;
  EdExpr **exprs = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *exprs);
  const char **names = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *names);
  for (int i = 0; i < sp->nitems; i++) {
    exprs[i] = sp->items[i].bound;
    names[i] = sp->items[i].name;
  }
  for (int i = 0; i < nhid; i++) {
    exprs[sp->nitems + i] = hid[i];
    names[sp->nitems + i] = NULL;
  }
  EdPlan *p = ed_plan_project(a, input, n, exprs, names);
  /* A plain column keeps its qualifier (EXPLAIN tells a.id from b.id). */
  for (int i = 0; i < n; i++)
    if (exprs[i]->kind == EXPR_COLREF)
      p->schema.cols[i].table = input->schema.cols[exprs[i]->col].table;
  return p;
}

/* Binds one SELECT (with the query's ORDER BY when it is not a compound
** query) into sp. */
static int plan_select(EdBinder *b, const EdAstSelect *sel,
                       const EdAstList *order_by, SelectPlan *sp) {
  EdArena *a = b->arena;
  memset(sp, 0, sizeof *sp);
  sp->distinct = sel->distinct;
  bool *hidden = NULL;
  EdPlan *input = sel->from ? plan_from(b, sel->from, &hidden)
                            : ed_plan_values1(a);
  if (!input) return -1;
  EdScope scope = {input->schema, hidden};
  if (expand_items(b, sel, &scope, sp) != 0) return -1;

  /* WHERE, and the select list; aliases resolve in every clause but the
  ** select list itself. */
  EdBindCtx ic;
  ctx_init(&ic, b, &scope, "WHERE");
  ic.items = sp->items;
  ic.nitems = sp->nitems;
  if (sel->where) {
    EdExpr *pred = ed_bind_cond(&ic, sel->where);
    if (!pred || check_windows(b, pred, sel->where, sel->where->pos) != 0)
      return -1;
    input = ed_plan_filter(a, input, pred);
    input->pos = sel->where->pos;
  }
  EdAggCtx g;
  memset(&g, 0, sizeof g);
  bool is_agg = any_agg(&ic, sel, order_by);
  int xi = find_explode(b, sp);
  if (xi == -2) return -1;
  if (xi >= 0 && is_agg) {
    perr(b, sp->items[xi].pos,
         "explode() cannot be combined with GROUP BY or aggregate functions "
         "in one SELECT: explode in a subquery and aggregate outside it, as "
         "in SELECT word, count(*) FROM (SELECT explode(split(value, ' ')) "
         "AS word FROM lines) GROUP BY word");
    return -1;
  }
  if (is_agg && bind_group_by(b, sel, &scope, sp, &g) != 0) return -1;
  if (xi >= 0 && !(input = plan_explode(b, input, &scope, sp, xi))) return -1;
  ic.clause = "the select list";
  ic.items = NULL;
  ic.nitems = 0;
  ic.agg = is_agg ? &g : NULL;
  for (int i = 0; i < sp->nitems; i++) {
    EdSelItem *it = &sp->items[i];
    if (i == xi) continue;
    it->bound = it->ast ? ed_bind_expr(&ic, it->ast)
                        : ed_bind_scope_col(&ic, it->star_col, it->pos);
    if (!it->bound || check_windows(b, it->bound, it->ast, it->pos) != 0)
      return -1;
  }

  EdExpr *having = NULL;
  if (sel->having) {
    EdBindCtx hc = ic;
    hc.clause = "HAVING";
    hc.items = sp->items;
    hc.nitems = sp->nitems;
    having = ed_bind_cond(&hc, sel->having);
    if (!having ||
        check_windows(b, having, sel->having, sel->having->pos) != 0)
      return -1;
  }
  EdExpr **hid = NULL;
  int nhid = 0;
  if (order_by && order_by->n &&
      bind_order_by(b, &ic, order_by, sp, &hid, &nhid) != 0)
    return -1;
  for (int i = 0; i < nhid; i++) {
    const EdAstOrderItem *o = order_by->items[0];
    if (check_windows(b, hid[i], NULL, o->expr->pos) != 0) return -1;
  }
  for (int i = 0; i < g.naggs; i++)
    if (check_windows(b, g.aggs[i].arg, NULL, g.pos) != 0) return -1;

  if (is_agg) {
    input = ed_plan_aggregate(a, input, g.nkeys, g.keys, g.naggs, g.aggs);
    input->pos = g.pos;
    if (having) {
      input = ed_plan_filter(a, input, having);
      input->pos = sel->having->pos;
    }
  }
  sp->proj = select_project(a, input, sp, hid, nhid);
  sp->proj->pos = sel->pos;
  sp->nvisible = sp->nitems;
  return 0;
}

/* Gives every still untyped (NULL) output column a type. */
static void finalize_types(EdArena *a, EdPlan *proj) {
  for (int i = 0; i < proj->nexprs; i++) {
    if (proj->exprs[i]->type != ED_T_NULL) continue;
    proj->exprs[i] = ed_expr_retype_null(a, proj->exprs[i], ED_NULL_DEFAULT_TYPE);
    proj->schema.cols[i].type = ED_NULL_DEFAULT_TYPE;
  }
}

/* --------------------------------------------------------------- query */

static const char *setop_name(EdSetOp op) {
  switch (op) {
    case SETOP_UNION_ALL: return "UNION ALL";
    case SETOP_UNION: return "UNION";
    case SETOP_EXCEPT: return "EXCEPT";
    case SETOP_INTERSECT: return "INTERSECT";
    default: return "?";
  }
}

/* Whether e contains a subquery. */
static bool has_subquery(const EdExpr *e) {
  if (e->kind == EXPR_SUBQUERY) return true;
  for (int i = 0; i < e->nargs; i++)
    if (has_subquery(e->args[i])) return true;
  return false;
}

/* Evaluates a LIMIT or OFFSET expression. */
static int bind_count(EdBinder *b, const EdAstExpr *e, const char *what,
                      int64_t *out) {
  EdValue v;
  EdScope empty = {{0, NULL}, NULL};
  EdBindCtx c;
  ctx_init(&c, b, &empty, what);
  EdExpr *x = ed_bind_expr(&c, e);
  if (!x) return -1;
  x = ed_fold_expr(b->arena, x);
  if (x->type != ED_T_BIGINT) {
    perr(b, e->pos, "%s must be an integer, not %s", what,
         x->type == ED_T_NULL ? "NULL" : ed_type_name(x->type));
    return -1;
  }
  if (x->kind != EXPR_CONST && has_subquery(x)) {
    /* Known only when the query runs: not run while planning. */
    perr(b, e->pos, "%s must be a constant expression, not a subquery", what);
    return -1;
  }
  if (x->kind != EXPR_CONST) {
    /* Folding leaves an expression only when evaluating it fails. */
    if (ed_eval_const(x, b->arena, &v, b->err) == 0) {
      perr(b, e->pos, "%s must be a constant expression", what);
    } else {
      b->err->kind = ED_ERR_BIND;
      b->err->pos = e->pos;
    }
    return -1;
  }
  v = x->value;
  if (v.is_null) {
    perr(b, e->pos, "%s must be an integer, not NULL", what);
    return -1;
  }
  *out = v.u.i;
  return 0;
}

/* ORDER BY of a compound query: ordinals, or names of output columns in
** any of the SELECTs (aliases or plain column names, the leftmost SELECT
** first), as SQLite matches them; a qualifier is not checked. */
static int compound_order(EdBinder *b, const EdAstQuery *q, const EdPlan *p,
                          const SelectPlan *sps, SelectPlan *sp) {
  sort_alloc(b->arena, sp, q->order_by.n);
  int ncols = p->schema.ncols;
  for (int i = 0; i < q->order_by.n; i++) {
    const EdAstOrderItem *o = q->order_by.items[i];
    const EdAstExpr *e = o->expr;
    int col = -1;
    if (is_int_literal(e)) {
      if (e->lit.i < 1 || e->lit.i > ncols) {
        perr(b, e->pos,
             "ORDER BY position %lld is out of range: the result has %d "
             "column%s",
             (long long)e->lit.i, ncols, ncols == 1 ? "" : "s");
        return -1;
      }
      col = (int)e->lit.i - 1;
    } else if (e->kind == AST_COLUMN) {
      for (int s = 0; s < q->selects.n && col < 0; s++)
        for (int k = 0; k < ncols && col < 0; k++)
          if (strcasecmp(sps[s].items[k].name, e->name) == 0) col = k;
    }
    if (col < 0) {
      perr(b, e->pos,
           "ORDER BY term %d does not match any column of the result of the "
           "compound SELECT (use an output column name or number)",
           i + 1);
      return -1;
    }
    sort_add(sp, col, o);
  }
  return 0;
}

/* Unifies column types across the SELECTs of a compound query. */
static int unify_compound(EdBinder *b, const EdAstQuery *q, SelectPlan *sps) {
  int n = q->selects.n, ncols = sps[0].nvisible;
  EdArena *a = b->arena;
  EdExpr **x = ed_arena_alloc(a, (size_t)n * sizeof *x);
  EdPos *pos = ed_arena_alloc(a, (size_t)n * sizeof *pos);
  EdScope empty = {{0, NULL}, NULL};
  EdBindCtx c;
  ctx_init(&c, b, &empty, "a compound SELECT");
  for (int j = 0; j < ncols; j++) {
    for (int i = 0; i < n; i++) {
      x[i] = sps[i].proj->exprs[j];
      pos[i] = sps[i].items[j].pos;
    }
    char what[64];
    snprintf(what, sizeof what, "column %d of the compound SELECT", j + 1);
    EdType t;
    if (ed_bind_unify(&c, x, pos, n, what, &t) != 0) return -1;
    for (int i = 0; i < n; i++) {
      sps[i].proj->exprs[j] = x[i];
      if (t != ED_T_NULL) sps[i].proj->schema.cols[j].type = t;
    }
  }
  return 0;
}

/* Sort over p (if any keys), LIMIT / OFFSET, then drops hidden columns. */
static EdPlan *finish_query(EdBinder *b, const EdAstQuery *q, EdPlan *p,
                            SelectPlan *sp) {
  EdArena *a = b->arena;
  if (sp->nsort) {
    EdSortKey *keys = ed_arena_alloc(a, (size_t)sp->nsort * sizeof *keys);
    for (int i = 0; i < sp->nsort; i++) {
      int col = sp->sort_col[i];
      keys[i].expr = ed_expr_colref(a, col, p->schema.cols[col].type);
      keys[i].desc = sp->sort_desc[i];
      keys[i].nulls_first = sp->sort_nulls_first[i];
    }
    p = ed_plan_sort(a, p, sp->nsort, keys);
    p->pos = ((const EdAstOrderItem *)q->order_by.items[0])->expr->pos;
  }
  if (q->limit || q->offset) {
    int64_t limit = -1, offset = 0;
    if (q->limit && bind_count(b, q->limit, "LIMIT", &limit) != 0) return NULL;
    if (q->offset && bind_count(b, q->offset, "OFFSET", &offset) != 0)
      return NULL;
    /* As SQLite: a negative LIMIT means none, a negative OFFSET zero. */
    if (limit < 0) limit = -1;
    if (offset < 0) offset = 0;
    if (limit >= 0 || offset > 0) {
      p = ed_plan_limit(a, p, limit, offset);
      p->pos = (q->limit ? q->limit : q->offset)->pos;
    }
  }
  if (p->schema.ncols > sp->nvisible) {
    int n = sp->nvisible;
    EdExpr **exprs = ed_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *exprs);
    for (int i = 0; i < n; i++)
      exprs[i] = ed_expr_colref(a, i, p->schema.cols[i].type);
    EdPlan *strip = ed_plan_project(a, p, n, exprs, NULL);
    for (int i = 0; i < n; i++) strip->schema.cols[i] = p->schema.cols[i];
    p = strip;
  }
  return p;
}

EdPlan *ed_bind_query(EdBinder *b, const EdAstQuery *q) {
  EdArena *a = b->arena;
  int n = q->selects.n;
  assert(n >= 1);
  if (n == 1) {
    SelectPlan sp;
    if (plan_select(b, q->selects.items[0], &q->order_by, &sp) != 0)
      return NULL;
    finalize_types(a, sp.proj);
    EdPlan *p = sp.proj;
    if (sp.distinct) {
      p = ed_plan_distinct(a, p);
      p->pos = ((const EdAstSelect *)q->selects.items[0])->pos;
    }
    return finish_query(b, q, p, &sp);
  }
  SelectPlan *sps = ed_arena_alloc(a, (size_t)n * sizeof *sps);
  for (int i = 0; i < n; i++) {
    const EdAstSelect *sel = q->selects.items[i];
    if (plan_select(b, sel, NULL, &sps[i]) != 0) return NULL;
    if (sps[i].nvisible != sps[0].nvisible)
      return perr(b, sel->pos,
                  "SELECTs to the left and right of %s do not have the same "
                  "number of result columns (%d and %d)",
                  setop_name(q->setops[i]), sps[0].nvisible, sps[i].nvisible);
  }
  if (unify_compound(b, q, sps) != 0) return NULL;
  EdPlan *p = NULL;
  for (int i = 0; i < n; i++) {
    finalize_types(a, sps[i].proj);
    EdPlan *s = sps[i].proj;
    EdPos pos = ((const EdAstSelect *)q->selects.items[i])->pos;
    if (sps[i].distinct) {
      s = ed_plan_distinct(a, s);
      s->pos = pos;
    }
    if (p) {
      p = ed_plan_setop(a, q->setops[i], p, s);
      p->pos = pos;   /* the SELECT right of the operator */
    } else {
      p = s;
    }
  }
  SelectPlan top;
  memset(&top, 0, sizeof top);
  top.nvisible = p->schema.ncols;
  if (q->order_by.n && compound_order(b, q, p, sps, &top) != 0) return NULL;
  return finish_query(b, q, p, &top);
}
