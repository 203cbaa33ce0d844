/*
** parser/ast_stmt.c — constructors of queries, FROM clauses and
** statements, called by the grammar's actions (expressions are in ast.c).
**
** Besides building nodes these check what the grammar cannot say in
** LALR(1) terms: a streaming clause given twice, a second WATERMARK in a
** column list, a column without a type, join kinds eddy does not have,
** absurdly long join chains.
*/
#include <assert.h>
#include <string.h>

#include "parser/parse_int.h"

/* --------------------------------------------------------------- selects */

EdAstSelect *ed_ast_select(EdParseCtx *c, const EdToken *kw, bool distinct,
                           const EdAstList *items, EdAstFrom *from,
                           EdAstExpr *where, const EdAstList *group_by,
                           EdAstExpr *having) {
  EdAstSelect *s = ed_arena_alloc(c->arena, sizeof *s);
  memset(s, 0, sizeof *s);
  s->pos = kw->pos;
  s->distinct = distinct;
  s->items = *items;
  s->from = from;
  s->where = where;
  s->group_by = *group_by;
  s->having = having;
  return s;
}

EdAstSelItem *ed_ast_sel_expr(EdParseCtx *c, EdAstExpr *e,
                              const EdToken *alias) {
  EdAstSelItem *it = ed_arena_alloc(c->arena, sizeof *it);
  it->expr = e;
  it->alias = ed_ast_name(c, alias);
  it->pos = e->pos;
  return it;
}

EdAstSelItem *ed_ast_sel_star(EdParseCtx *c, const EdToken *qual,
                              const EdToken *star) {
  const EdToken *first = qual ? qual : star;
  EdAstExpr *e = ed_arena_alloc(c->arena, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = AST_STAR;
  e->pos = first->pos;
  e->qualifier = qual ? ed_ast_name(c, qual) : NULL;
  e->start_offset = first->pos.offset;
  e->end_offset = star->pos.offset + star->n;
  e->height = 1;
  EdAstSelItem *it = ed_arena_alloc(c->arena, sizeof *it);
  it->expr = e;
  it->alias = NULL;
  it->pos = e->pos;
  return it;
}

/* --------------------------------------------------------------- queries */

EdAstQuery *ed_ast_query_new(EdParseCtx *c, EdAstSelect *first) {
  EdAstQuery *q = ed_arena_alloc(c->arena, sizeof *q);
  memset(q, 0, sizeof *q);
  q->pos = first->pos;
  ed_ast_query_add(c, q, SETOP_NONE, first);
  return q;
}

void ed_ast_query_add(EdParseCtx *c, EdAstQuery *q, EdSetOp op,
                      EdAstSelect *s) {
  /* setops grows with selects: its capacity is always selects.cap. */
  int oldcap = q->selects.cap;
  ed_ast_push(c, &q->selects, s);
  if (q->selects.cap != oldcap) {
    EdSetOp *ops = ed_arena_alloc(c->arena,
                                  sizeof(EdSetOp) * (size_t)q->selects.cap);
    if (q->setops)
      memcpy(ops, q->setops, sizeof(EdSetOp) * (size_t)(q->selects.n - 1));
    q->setops = ops;
  }
  q->setops[q->selects.n - 1] = q->selects.n == 1 ? SETOP_NONE : op;
}

void ed_ast_query_finish(EdParseCtx *c, EdAstQuery *q,
                         const EdAstList *order_by, const EdLimit *limit,
                         const EdQueryTail *tail) {
  (void)c;
  q->order_by = *order_by;
  q->limit = limit->limit;
  q->offset = limit->offset;
  q->emit = tail->emit;
  q->trigger = tail->trigger;
  q->trigger_interval_us = tail->trigger_interval_us;
  q->options = tail->options;
}

EdAstOrderItem *ed_ast_order_item(EdParseCtx *c, EdAstExpr *e, bool desc,
                                  int nulls_first) {
  EdAstOrderItem *o = ed_arena_alloc(c->arena, sizeof *o);
  o->expr = e;
  o->desc = desc;
  o->nulls_first = nulls_first;
  return o;
}

void ed_ast_tail_merge(EdParseCtx *c, EdQueryTail *t, const EdQueryTail *x,
                       const EdToken *at) {
  if (x->emit != EMIT_DEFAULT) {
    if (t->emit != EMIT_DEFAULT)
      ed_parse_error_at(c, &at->pos, "EMIT given twice in one query");
    t->emit = x->emit;
  }
  if (x->trigger != TRIGGER_DEFAULT) {
    if (t->trigger != TRIGGER_DEFAULT)
      ed_parse_error_at(c, &at->pos, "TRIGGER given twice in one query");
    t->trigger = x->trigger;
    t->trigger_interval_us = x->trigger_interval_us;
  }
  if (x->has_options) {
    if (t->has_options)
      ed_parse_error_at(c, &at->pos, "WITH (...) given twice in one query");
    t->has_options = true;
    t->options = x->options;
  }
}

void ed_ast_tail_trigger_time(EdParseCtx *c, EdQueryTail *t,
                              const EdAstExpr *interval) {
  t->trigger = TRIGGER_PROCESSING_TIME;
  t->trigger_interval_us = interval->lit.i;
  if (interval->lit.i < 0)
    ed_parse_error_at(c, &interval->pos,
                      "a trigger interval cannot be negative");
}

/* ---------------------------------------------------------------- FROM */

EdAstFrom *ed_ast_from_table(EdParseCtx *c, const EdToken *name,
                             const EdToken *alias, const EdWmark *wm) {
  EdAstFrom *f = ed_arena_alloc(c->arena, sizeof *f);
  memset(f, 0, sizeof *f);
  f->kind = FROM_TABLE;
  f->pos = name->pos;
  f->name = ed_ast_name(c, name);
  f->alias = ed_ast_name(c, alias);
  f->wm_column = wm->column;
  f->wm_delay = wm->delay;
  if (wm->delay && wm->delay->lit.i < 0)
    ed_parse_error_at(c, &wm->delay->pos,
                      "a watermark delay cannot be negative");
  return f;
}

EdAstFrom *ed_ast_from_subquery(EdParseCtx *c, const EdToken *lp,
                                EdAstQuery *q, const EdToken *alias) {
  EdAstFrom *f = ed_arena_alloc(c->arena, sizeof *f);
  memset(f, 0, sizeof *f);
  f->kind = FROM_SUBQUERY;
  f->pos = lp->pos;
  f->query = q;
  f->alias = ed_ast_name(c, alias);
  return f;
}

EdAstFrom *ed_ast_from_join(EdParseCtx *c, EdAstFrom *l, int jt,
                            const EdToken *at, EdAstFrom *r,
                            const EdJoinCond *cond) {
  EdAstFrom *f = ed_arena_alloc(c->arena, sizeof *f);
  memset(f, 0, sizeof *f);
  f->kind = FROM_JOIN;
  f->pos = at->pos;
  f->left = l;
  f->right = r;
  f->on = cond->on;
  f->using_cols = cond->using_cols;
  bool has_cond = cond->on || cond->has_using;
  if (jt == JOIN_CROSS && has_cond) jt = JOIN_INNER;
  if (jt == JOIN_INNER && !has_cond) jt = JOIN_CROSS;
  f->join = (EdJoinType)jt;
  /* The planner walks join trees recursively; the left spine is the only
  ** part that can grow without nesting parentheses. */
  int depth = 0;
  for (const EdAstFrom *x = l; x && x->kind == FROM_JOIN; x = x->left)
    if (++depth >= ED_MAX_JOIN_DEPTH) {
      ed_parse_error_at(c, &at->pos, "too many tables in one FROM clause "
                        "(at most %d)", ED_MAX_JOIN_DEPTH);
      break;
    }
  return f;
}

int ed_ast_unsupported_join(EdParseCtx *c, const EdToken *kw) {
  const char *msg;
  switch (kw->z[0] | 0x20) {
  case 'r':
    msg = "RIGHT JOIN is not supported; swap the two sides and use LEFT JOIN";
    break;
  case 'f':
    msg = "FULL OUTER JOIN is not supported";
    break;
  default:
    msg = "NATURAL JOIN is not supported; use JOIN ... USING (columns)";
    break;
  }
  ed_parse_error_at(c, &kw->pos, "%s", msg);
  return JOIN_INNER;
}

/* ------------------------------------------------------------- options */

EdOptKey ed_ast_optkey(EdParseCtx *c, const EdOptKey *prefix,
                       const EdToken *part) {
  EdOptKey k;
  char *name = ed_ast_name(c, part);
  if (prefix) {
    k.pos = prefix->pos;
    k.text = ed_arena_printf(c->arena, "%s.%s", prefix->text, name);
  } else {
    k.pos = part->pos;
    k.text = name;
  }
  return k;
}

EdAstOption *ed_ast_option(EdParseCtx *c, const EdOptKey *key,
                           EdAstExpr *value) {
  EdAstOption *o = ed_arena_alloc(c->arena, sizeof *o);
  o->key = key->text;
  for (char *p = o->key; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + ('a' - 'A'));
  o->value = value;
  o->pos = key->pos;
  return o;
}

/* ------------------------------------------------------------ statements */

EdAstStmt *ed_ast_stmt_new(EdParseCtx *c, EdStmtKind kind,
                           const EdToken *first) {
  EdAstStmt *s = ed_arena_alloc(c->arena, sizeof *s);
  memset(s, 0, sizeof *s);
  s->kind = kind;
  if (first) s->pos = first->pos;
  return s;
}

void ed_ast_stmt_done(EdParseCtx *c, EdAstStmt *s, const EdToken *semi) {
  s->start_offset = s->pos.offset;
  s->end_offset = semi->prev_end;
  if (s->inner) {
    s->inner->start_offset = s->inner->pos.offset;
    s->inner->end_offset = semi->prev_end;
  }
  ed_ast_push(c, c->out, s);
}

void ed_ast_table_item(EdParseCtx *c, EdAstStmt *s, const EdColItem *it) {
  if (it->col) {
    ed_ast_push(c, &s->columns, it->col);
    return;
  }
  if (s->wm_column)
    ed_parse_error_at(c, &it->pos, "only one WATERMARK clause is allowed");
  s->wm_column = it->wm_column;
  s->wm_expr = it->wm_expr;
}

EdAstColumnDef *ed_ast_coldef(EdParseCtx *c, const EdToken *name,
                              const EdToken *type, int constraints) {
  EdAstColumnDef *d = ed_arena_alloc(c->arena, sizeof *d);
  memset(d, 0, sizeof *d);
  d->name = ed_ast_name(c, name);
  d->pos = name->pos;
  d->primary_key = (constraints & ED_CONS_PRIMARY_KEY) != 0;
  d->not_null = (constraints & ED_CONS_NOT_NULL) != 0;
  if (type)
    d->type = ed_ast_type(c, type);
  else
    ed_parse_error_at(c, &name->pos, "column \"%s\" needs a type", d->name);
  return d;
}
