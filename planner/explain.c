/*
** planner/explain.c — text forms of bound expressions and plans.
**
** ed_expr_text prints an expression as SQL with column names from the
** input schema (qualified as t.col only when the name alone would be
** ambiguous) and only the parentheses that precedence requires.  It names
** unaliased computed columns and aggregate results, and prints EXPLAIN.
**
** ed_plan_explain prints one node per line, children indented by two
** spaces, e.g.
**     HashAggregate keys=[page] aggs=[count(*), avg(latency_ms)]
**       Filter (latency_ms > 100)
**         FileScan events (csv: examples/events.csv)
** Logical nodes print their relational names (Scan, Join, Aggregate...),
** physical nodes the algorithm (TableScan, HashJoin, HashAggregate...).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "planner/planner_int.h"

/* A growable string (malloc'ed while built, copied into the arena). */
typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1) cap *= 2;
    b->p = ed_realloc(b->p, cap);
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void buf_printf(Buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    buf_add(b, tmp, (size_t)n);
    return;
  }
  char *big = ed_malloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf_add(b, big, (size_t)n);
  free(big);
}

static char *buf_finish(Buf *b, EdArena *a) {
  char *r = ed_arena_strndup(a, b->p ? b->p : "", b->len);
  free(b->p);
  return r;
}

/* ---------------------------------------------------------- expressions */

enum { P_OR = 1, P_AND, P_NOT, P_EQ, P_REL, P_ADD, P_MUL, P_CONCAT, P_UNARY,
       P_ATOM };

static int op_prec(int op) {
  switch (op) {
    case OP_OR: return P_OR;
    case OP_AND: return P_AND;
    case OP_NOT: return P_NOT;
    case OP_EQ:
    case OP_NE:
    case OP_IS:
    case OP_IS_NOT: return P_EQ;
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE: return P_REL;
    case OP_ADD:
    case OP_SUB: return P_ADD;
    case OP_MUL:
    case OP_DIV:
    case OP_MOD: return P_MUL;
    case OP_CONCAT: return P_CONCAT;
    default: return P_UNARY;
  }
}

static int expr_prec(const EdExpr *e) {
  switch (e->kind) {
    case EXPR_OP: return e->nargs == 1 ? (e->op == OP_NOT ? P_NOT : P_UNARY)
                                       : op_prec(e->op);
    case EXPR_IS_NULL:
    case EXPR_IN_LIST:
    case EXPR_LIKE: return P_EQ;
    case EXPR_CONST:
      /* A negative number reads as a unary minus. */
      if (!e->value.is_null &&
          ((e->type == ED_T_BIGINT && e->value.u.i < 0) ||
           (e->type == ED_T_DOUBLE && e->value.u.d < 0)))
        return P_UNARY;
      return P_ATOM;
    default: return P_ATOM;
  }
}

static const char *op_sym(int op) {
  switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_CONCAT: return "||";
    case OP_EQ: return "=";
    case OP_NE: return "<>";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_IS: return "IS";
    case OP_IS_NOT: return "IS NOT";
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    default: return "?";
  }
}

static const char *fn_name(int fn) {
  static const char *names[FN__COUNT] = {
      "abs", "round", "floor", "ceil", "lower", "upper", "length", "substr",
      "trim", "ltrim", "rtrim", "coalesce", "nullif", "split", "now",
      "to_timestamp", "date_trunc", "window", "session_window"};
  return fn >= 0 && fn < FN__COUNT ? names[fn] : "?";
}

static void put_str_lit(Buf *b, const char *s, size_t n) {
  buf_puts(b, "'");
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\'') buf_puts(b, "'");
    buf_add(b, s + i, 1);
  }
  buf_puts(b, "'");
}

static void put_value(Buf *b, const EdValue *v) {
  char tmp[ED_TS_BUFSZ + 8];
  if (v->is_null) {
    buf_puts(b, "NULL");
    return;
  }
  switch (v->type) {
    case ED_T_BOOL: buf_puts(b, v->u.b ? "TRUE" : "FALSE"); break;
    case ED_T_BIGINT: buf_printf(b, "%lld", (long long)v->u.i); break;
    case ED_T_DOUBLE:
      ed_format_double(v->u.d, tmp);
      buf_puts(b, tmp);
      break;
    case ED_T_VARCHAR: put_str_lit(b, v->u.s.ptr, v->u.s.len); break;
    case ED_T_TIMESTAMP:
      ed_format_timestamp(v->u.i, tmp);
      buf_printf(b, "TIMESTAMP '%s'", tmp);
      break;
    case ED_T_INTERVAL:
      ed_format_interval(v->u.i, tmp);
      buf_printf(b, "INTERVAL '%s'", tmp);
      break;
    case ED_T_WINDOW: {
      char e[ED_TS_BUFSZ];
      ed_format_timestamp(v->u.w.start, tmp);
      ed_format_timestamp(v->u.w.end, e);
      buf_printf(b, "WINDOW '{%s, %s}'", tmp, e);
      break;
    }
    default: buf_puts(b, "NULL"); break;
  }
}

static void put_colref(Buf *b, int col, const EdSchema *s) {
  if (!s || col >= s->ncols) {
    buf_printf(b, "#%d", col);
    return;
  }
  const EdColumn *c = &s->cols[col];
  bool amb = false;
  for (int i = 0; i < s->ncols && !amb; i++)
    amb = i != col && s->cols[i].name && c->name &&
          strcasecmp(s->cols[i].name, c->name) == 0;
  if (amb && c->table) buf_printf(b, "%s.", c->table);
  buf_puts(b, c->name ? c->name : "?");
}

static void put_expr(Buf *b, const EdExpr *e, const EdSchema *s);

/* Prints e, parenthesized when its precedence is below min. */
static void put_sub(Buf *b, const EdExpr *e, const EdSchema *s, int min) {
  bool par = expr_prec(e) < min;
  if (par) buf_puts(b, "(");
  put_expr(b, e, s);
  if (par) buf_puts(b, ")");
}

static void put_args(Buf *b, EdExpr **args, int from, int n,
                     const EdSchema *s) {
  for (int i = from; i < n; i++) {
    if (i > from) buf_puts(b, ", ");
    put_expr(b, args[i], s);
  }
}

static void put_expr(Buf *b, const EdExpr *e, const EdSchema *s) {
  switch (e->kind) {
    case EXPR_CONST: put_value(b, &e->value); return;
    case EXPR_COLREF: put_colref(b, e->col, s); return;
    case EXPR_OP: {
      int p = expr_prec(e);
      if (e->nargs == 1) {
        buf_puts(b, e->op == OP_NOT ? "NOT " : "-");
        put_sub(b, e->args[0], s, e->op == OP_NOT ? P_NOT : P_UNARY);
        return;
      }
      /* Same-precedence chains of AND / OR read naturally without
      ** parentheses; elsewhere a right operand of equal precedence keeps
      ** them (a - (b - c)), as do comparisons of comparisons. */
      bool assoc = e->op == OP_AND || e->op == OP_OR;
      put_sub(b, e->args[0], s, p == P_EQ || p == P_REL ? p + 1 : p);
      buf_printf(b, " %s ", op_sym(e->op));
      put_sub(b, e->args[1], s, assoc ? p : p + 1);
      return;
    }
    case EXPR_FUNC:
      buf_printf(b, "%s(", fn_name(e->op));
      put_args(b, e->args, 0, e->nargs, s);
      buf_puts(b, ")");
      return;
    case EXPR_CASE: {
      buf_puts(b, "CASE");
      int pairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
      for (int i = 0; i < pairs; i++) {
        buf_puts(b, " WHEN ");
        put_expr(b, e->args[2 * i], s);
        buf_puts(b, " THEN ");
        put_expr(b, e->args[2 * i + 1], s);
      }
      if (e->has_else) {
        buf_puts(b, " ELSE ");
        put_expr(b, e->args[e->nargs - 1], s);
      }
      buf_puts(b, " END");
      return;
    }
    case EXPR_CAST:
      buf_puts(b, "CAST(");
      put_expr(b, e->args[0], s);
      buf_printf(b, " AS %s)", ed_type_name(e->type));
      return;
    case EXPR_IS_NULL:
      put_sub(b, e->args[0], s, P_EQ + 1);
      buf_puts(b, e->negated ? " IS NOT NULL" : " IS NULL");
      return;
    case EXPR_IN_LIST:
      put_sub(b, e->args[0], s, P_EQ + 1);
      buf_puts(b, e->negated ? " NOT IN (" : " IN (");
      put_args(b, e->args, 1, e->nargs, s);
      buf_puts(b, ")");
      return;
    case EXPR_LIKE:
      put_sub(b, e->args[0], s, P_EQ + 1);
      buf_puts(b, e->negated ? " NOT LIKE " : " LIKE ");
      put_sub(b, e->args[1], s, P_EQ + 1);
      if (e->nargs > 2) {
        buf_puts(b, " ESCAPE ");
        put_sub(b, e->args[2], s, P_EQ + 1);
      }
      return;
    case EXPR_FIELD:
      put_sub(b, e->args[0], s, P_ATOM);
      buf_puts(b, e->op == 0 ? ".start" : ".end");
      return;
  }
  buf_puts(b, "?");
}

char *ed_expr_text(const EdExpr *e, const EdSchema *input, EdArena *arena) {
  Buf b = {0};
  if (e) put_expr(&b, e, input);
  return buf_finish(&b, arena);
}

/* ---------------------------------------------------------------- plans */

static void put_list(Buf *b, EdExpr **v, int n, const EdSchema *s) {
  buf_puts(b, "[");
  put_args(b, v, 0, n, s);
  buf_puts(b, "]");
}

static void put_project(Buf *b, const EdPlan *p, EdArena *a) {
  buf_puts(b, "Project [");
  for (int i = 0; i < p->nexprs; i++) {
    if (i) buf_puts(b, ", ");
    char *t = ed_expr_text(p->exprs[i], &p->left->schema, a);
    const char *name = p->schema.cols[i].name;
    buf_puts(b, t);
    if (name && strcmp(name, t) != 0) buf_printf(b, " AS %s", name);
  }
  buf_puts(b, "]");
}

static void put_aggregate(Buf *b, const EdPlan *p, EdArena *a) {
  buf_puts(b, p->phys ? "HashAggregate keys=" : "Aggregate keys=");
  put_list(b, p->exprs, p->nexprs, &p->left->schema);
  buf_puts(b, " aggs=[");
  for (int i = 0; i < p->naggs; i++) {
    if (i) buf_puts(b, ", ");
    buf_puts(b, ed_agg_text(&p->aggs[i], &p->left->schema, a));
  }
  buf_puts(b, "]");
}

static const char *join_name(EdJoinType t) {
  return t == JOIN_LEFT ? "LEFT" : t == JOIN_CROSS ? "CROSS" : "INNER";
}

static void put_join(Buf *b, const EdPlan *p, EdArena *a) {
  const char *what = p->phys == PHYS_HASH_JOIN          ? "HashJoin"
                     : p->phys == PHYS_NESTED_LOOP_JOIN ? "NestedLoopJoin"
                                                        : "Join";
  bool cross = !p->pred && !p->nkeys;
  buf_printf(b, "%s %s", what, cross && p->join_type != JOIN_LEFT
                                   ? "CROSS"
                                   : join_name(p->join_type));
  if (p->nkeys) {
    /* Keys print against the joined row so that a.id and b.id differ. */
    int nl = p->left->schema.ncols;
    buf_puts(b, " on [");
    for (int i = 0; i < p->nkeys; i++) {
      if (i) buf_puts(b, ", ");
      put_expr(b, p->lkeys[i], &p->schema);
      buf_puts(b, " = ");
      put_expr(b, ed_expr_shift(a, p->rkeys[i], nl), &p->schema);
    }
    buf_puts(b, "]");
    if (p->pred) {
      buf_puts(b, " filter (");
      put_expr(b, p->pred, &p->schema);
      buf_puts(b, ")");
    }
  } else if (p->pred) {
    buf_puts(b, " on (");
    put_expr(b, p->pred, &p->schema);
    buf_puts(b, ")");
  }
}

static void put_sort(Buf *b, const EdPlan *p) {
  buf_puts(b, "Sort [");
  for (int i = 0; i < p->nsort; i++) {
    const EdSortKey *k = &p->sort[i];
    if (i) buf_puts(b, ", ");
    put_expr(b, k->expr, &p->left->schema);
    if (k->desc) buf_puts(b, " DESC");
    if (k->nulls_first != !k->desc)
      buf_puts(b, k->nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  buf_puts(b, "]");
  if (p->phys && p->limit >= 0) buf_printf(b, " top %lld", (long long)p->limit);
}

static void put_scan(Buf *b, const EdPlan *p) {
  const EdTable *t = p->table;
  const char *qual = p->schema.ncols ? p->schema.cols[0].table : NULL;
  if (p->phys == PHYS_FILE_SCAN) {
    const char *fmt = ed_table_option(t, "format");
    const char *path = ed_table_option(t, "path");
    buf_printf(b, "FileScan %s", t->name);
    if (qual && strcasecmp(qual, t->name) != 0) buf_printf(b, " AS %s", qual);
    buf_printf(b, " (%s: %s)", fmt ? fmt : "file", path ? path : "?");
    return;
  }
  buf_printf(b, "%s %s", p->phys ? "TableScan" : "Scan", t->name);
  if (qual && strcasecmp(qual, t->name) != 0) buf_printf(b, " AS %s", qual);
}

static const char *setop_text(EdSetOp op) {
  switch (op) {
    case SETOP_UNION_ALL: return "UNION ALL";
    case SETOP_UNION: return "UNION";
    case SETOP_EXCEPT: return "EXCEPT";
    case SETOP_INTERSECT: return "INTERSECT";
    default: return "?";
  }
}

static void put_node(Buf *b, const EdPlan *p, EdArena *a) {
  switch (p->kind) {
    case PLAN_SCAN: put_scan(b, p); return;
    case PLAN_VALUES:
      buf_printf(b, "Values (%d row%s)", p->nrows, p->nrows == 1 ? "" : "s");
      return;
    case PLAN_FILTER:
      buf_puts(b, "Filter (");
      put_expr(b, p->pred, &p->left->schema);
      buf_puts(b, ")");
      return;
    case PLAN_PROJECT: put_project(b, p, a); return;
    case PLAN_AGGREGATE: put_aggregate(b, p, a); return;
    case PLAN_JOIN: put_join(b, p, a); return;
    case PLAN_SORT: put_sort(b, p); return;
    case PLAN_LIMIT:
      if (p->limit >= 0) buf_printf(b, "Limit %lld", (long long)p->limit);
      else buf_puts(b, "Limit none");
      if (p->offset) buf_printf(b, " offset %lld", (long long)p->offset);
      return;
    case PLAN_DISTINCT: buf_puts(b, p->phys ? "HashDistinct" : "Distinct"); return;
    case PLAN_SETOP:
      if (p->phys == PHYS_UNION_ALL) buf_puts(b, "UnionAll");
      else if (p->phys) buf_printf(b, "HashSetOp %s", setop_text(p->setop));
      else buf_printf(b, "SetOp %s", setop_text(p->setop));
      return;
  }
  buf_puts(b, "?");
}

static void explain_rec(Buf *b, const EdPlan *p, int depth, EdArena *a) {
  for (int i = 0; i < depth; i++) buf_puts(b, "  ");
  put_node(b, p, a);
  buf_puts(b, "\n");
  if (p->left) explain_rec(b, p->left, depth + 1, a);
  if (p->right) explain_rec(b, p->right, depth + 1, a);
}

char *ed_plan_explain(const EdPlan *p, EdArena *arena) {
  Buf b = {0};
  if (p) explain_rec(&b, p, 0, arena);
  return buf_finish(&b, arena);
}
