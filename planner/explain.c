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
** physical nodes the algorithm (TableScan, HashJoin, HashAggregate...);
** streaming nodes show what the trigger loop needs to know:
**     StreamAggregate keys=[window(ts, 5 seconds), page] aggs=[count(*)]
**         window=tumbling(5 seconds) mode=UPDATE
**       StreamScan clicks (memory) watermark ts - 10 seconds
**
** Subqueries in expressions print as `(subquery #1)`, `EXISTS (subquery
** #2)`, `x NOT IN (subquery #3)`, numbered in the order EXPLAIN first meets
** them; each one's plan follows the line of the node that first mentions
** it, under a label that says its kind and the outer values it reads (as
** expressions of that node's input), one level deeper than the node's
** children:
**     Filter (c > (subquery #1))
**       Subquery #1 (scalar, correlated on [b]):
**         HashAggregate keys=[] aggs=[avg(c)]
**           Filter (x.b < t1.b)
**             TableScan t1 AS x
**       TableScan t1
** Inside a subquery a column of an enclosing query prints as written
** there (t1.b).  Outside EXPLAIN (the names of computed columns) a
** subquery prints as written in the SQL.
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

/* ---------------------------------------------------------- subqueries */

/* The subqueries met by one EXPLAIN, in the order they are numbered. */
typedef struct SubqList {
  const EdExpr **first;     /* the node that first mentioned each */
  const EdSchema **schema;  /* the input row it was printed against */
  int n, cap;
} SubqList;

/* The list of the EXPLAIN being printed (NULL outside one: expression
** texts then print a subquery as written, or without a number). */
static _Thread_local SubqList *cur_subqs;

/* The EXPLAIN number of the subquery node e (given on first sight), 0
** outside an EXPLAIN. */
static int subq_number(const EdExpr *e, const EdSchema *s) {
  SubqList *l = cur_subqs;
  if (!l) return 0;
  for (int i = 0; i < l->n; i++)
    if (l->first[i]->op == e->op) return i + 1;   /* the subquery's id */
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->first = ed_realloc(l->first, (size_t)l->cap * sizeof *l->first);
    l->schema = ed_realloc(l->schema, (size_t)l->cap * sizeof *l->schema);
  }
  l->first[l->n] = e;
  l->schema[l->n] = s;
  return ++l->n;
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
    case EXPR_SUBQUERY:
      if (e->subq && e->subq->kind == SUBQ_IN) return P_EQ;
      return e->negated ? P_NOT : P_ATOM;
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

/* Arguments of window() / session_window(): sizes read as written in
** DESIGN §3, window(ts, 5 seconds). */
static void put_window_args(Buf *b, const EdExpr *e, const EdSchema *s) {
  for (int i = 0; i < e->nargs; i++) {
    const EdExpr *x = e->args[i];
    if (i) buf_puts(b, ", ");
    if (i > 0 && x->kind == EXPR_CONST && x->type == ED_T_INTERVAL &&
        !x->value.is_null) {
      char tmp[ED_TS_BUFSZ];
      ed_format_interval(x->value.u.i, tmp);
      buf_puts(b, tmp);
    } else {
      put_expr(b, x, s);
    }
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
      buf_printf(b, " %s ", ed_ast_op_text(e->op));
      put_sub(b, e->args[1], s, assoc ? p : p + 1);
      return;
    }
    case EXPR_FUNC:
      buf_printf(b, "%s(", fn_name(e->op));
      if (e->op == FN_WINDOW || e->op == FN_SESSION_WINDOW) {
        put_window_args(b, e, s);
      } else {
        put_args(b, e->args, 0, e->nargs, s);
      }
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
    case EXPR_SUBQUERY: {
      EdSubqKind k = e->subq ? e->subq->kind : SUBQ_SCALAR;
      if (!cur_subqs && e->subq && e->subq->text) {
        /* Outside EXPLAIN (names of computed columns): as written. */
        buf_puts(b, e->subq->text);
        return;
      }
      if (k == SUBQ_IN) {
        put_sub(b, e->args[0], s, P_EQ + 1);
        buf_puts(b, e->negated ? " NOT IN " : " IN ");
      } else if (k == SUBQ_EXISTS) {
        buf_puts(b, e->negated ? "NOT EXISTS " : "EXISTS ");
      }
      int num = subq_number(e, s);
      if (num) buf_printf(b, "(subquery #%d)", num);
      else buf_puts(b, "(subquery)");
      return;
    }
    case EXPR_OUTER_REF:
      if (e->subq && e->subq->param_names && e->col < e->subq->nparams)
        buf_puts(b, e->subq->param_names[e->col]);
      else
        buf_printf(b, "$%d", e->col + 1);
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

/* The SQL keyword of an output mode. */
static const char *mode_text(EdEmitMode m) {
  switch (m) {
    case EMIT_COMPLETE: return "COMPLETE";
    case EMIT_UPDATE: return "UPDATE";
    case EMIT_APPEND: return "APPEND";
    case EMIT_CHANGES: return "CHANGES";
    default: return "DEFAULT";
  }
}

/* An interval as DESIGN §3 writes it: "10 seconds". */
static void put_interval(Buf *b, int64_t us) {
  char tmp[ED_TS_BUFSZ];
  ed_format_interval(us, tmp);
  buf_puts(b, tmp);
}

/* " window=tumbling(5 seconds)" and the like; nothing for WIN_NONE. */
static void put_window(Buf *b, const EdPlan *p) {
  const EdWindowSpec *w = &p->window;
  switch (w->kind) {
    case WIN_NONE: return;
    case WIN_TUMBLING:
      buf_puts(b, " window=tumbling(");
      put_interval(b, w->size_us);
      break;
    case WIN_SLIDING:
      buf_puts(b, " window=sliding(");
      put_interval(b, w->size_us);
      buf_puts(b, ", ");
      put_interval(b, w->slide_us);
      break;
    case WIN_SESSION:
      buf_puts(b, " window=session(");
      put_interval(b, w->gap_us);
      break;
    case WIN_EVENT_TIME:
      buf_puts(b, " window=event_time(");
      put_expr(b, w->ts, &p->left->schema);
      break;
  }
  buf_puts(b, ")");
}

static void put_aggregate(Buf *b, const EdPlan *p, EdArena *a) {
  bool stream = p->phys == PHYS_STREAM_AGGREGATE;
  buf_puts(b, stream       ? "StreamAggregate keys="
              : p->phys    ? "HashAggregate keys="
                           : "Aggregate keys=");
  put_list(b, p->exprs, p->nexprs, &p->left->schema);
  buf_puts(b, " aggs=[");
  for (int i = 0; i < p->naggs; i++) {
    if (i) buf_puts(b, ", ");
    buf_puts(b, ed_agg_text(&p->aggs[i], &p->left->schema, a));
  }
  buf_puts(b, "]");
  if (!stream) return;
  put_window(b, p);
  buf_printf(b, " mode=%s", mode_text(p->mode));
  if (p->state_ttl_us > 0) {
    buf_puts(b, " state_ttl=");
    put_interval(b, p->state_ttl_us);
  }
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
  if (p->phys == PHYS_STREAM_SCAN) {
    buf_printf(b, "StreamScan %s", t->name);
    if (qual && strcasecmp(qual, t->name) != 0) buf_printf(b, " AS %s", qual);
    buf_printf(b, " (%s)", t->connector ? t->connector : "memory");
    if (p->wm_col >= 0 && p->wm_col < p->schema.ncols) {
      buf_printf(b, " watermark %s", p->schema.cols[p->wm_col].name);
      if (p->wm_delay_us > 0) {
        buf_puts(b, " - ");
        put_interval(b, p->wm_delay_us);
      }
    }
    return;
  }
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
    case PLAN_EXPLODE:
      buf_puts(b, "Explode split(");
      put_expr(b, p->exprs[0], &p->left->schema);
      buf_puts(b, ", ");
      put_expr(b, p->exprs[1], &p->left->schema);
      buf_puts(b, ")");
      return;
  }
  buf_puts(b, "?");
}

static void explain_rec(Buf *b, const EdPlan *p, int depth, EdArena *a);

/* The label and plan of subquery number i + 1 of the list, under a node
** printed at depth - 1 (physical plans show the subquery's physical plan,
** logical ones its logical plan). */
static void put_subquery(Buf *b, int i, bool physical, int depth,
                         EdArena *a) {
  const EdExpr *e = cur_subqs->first[i];
  const EdSchema *s = cur_subqs->schema[i];
  const EdSubquery *sq = e->subq;
  for (int k = 0; k < depth; k++) buf_puts(b, "  ");
  buf_printf(b, "Subquery #%d (%s", i + 1,
             sq->kind == SUBQ_SCALAR   ? "scalar"
             : sq->kind == SUBQ_EXISTS ? "EXISTS"
                                       : "IN");
  int first = sq->kind == SUBQ_IN ? 1 : 0;
  if (e->nargs > first) {
    buf_puts(b, ", correlated on [");
    put_args(b, e->args, first, e->nargs, s);
    buf_puts(b, "]");
  }
  buf_puts(b, "):\n");
  const EdPlan *plan = physical ? sq->plan : sq->logical;
  if (plan) explain_rec(b, plan, depth + 1, a);
}

static void explain_rec(Buf *b, const EdPlan *p, int depth, EdArena *a) {
  for (int i = 0; i < depth; i++) buf_puts(b, "  ");
  int before = cur_subqs ? cur_subqs->n : 0;
  put_node(b, p, a);
  buf_puts(b, "\n");
  /* Subqueries met in nested plans are printed there, not here. */
  int after = cur_subqs ? cur_subqs->n : 0;
  for (int i = before; i < after; i++)
    put_subquery(b, i, p->phys != PHYS_NONE, depth + 1, a);
  if (p->left) explain_rec(b, p->left, depth + 1, a);
  if (p->right) explain_rec(b, p->right, depth + 1, a);
}

/* Prints the tree p into b, numbering its subqueries. */
static void explain_tree(Buf *b, const EdPlan *p, EdArena *a) {
  SubqList list;
  memset(&list, 0, sizeof list);
  SubqList *saved = cur_subqs;
  cur_subqs = &list;
  if (p) explain_rec(b, p, 0, a);
  cur_subqs = saved;
  free(list.first);
  free(list.schema);
}

char *ed_plan_explain(const EdPlan *p, EdArena *arena) {
  Buf b = {0};
  explain_tree(&b, p, arena);
  return buf_finish(&b, arena);
}

char *ed_plan_explain_stream(const EdPlan *p, const EdStreamInfo *info,
                             EdArena *arena) {
  Buf b = {0};
  explain_tree(&b, p, arena);
  if (info && info->streaming) {
    buf_printf(&b, "Output mode: %s\nTrigger: ", mode_text(info->mode));
    switch (info->trigger) {
      case TRIGGER_PROCESSING_TIME:
        buf_puts(&b, "processing time ");
        put_interval(&b, info->trigger_interval_us);
        break;
      case TRIGGER_ONCE: buf_puts(&b, "once"); break;
      case TRIGGER_AVAILABLE_NOW: buf_puts(&b, "available now"); break;
      default: buf_puts(&b, "as soon as data arrives"); break;
    }
    buf_puts(&b, "\n");
    if (info->state_ttl_us > 0) {
      buf_puts(&b, "State TTL: ");
      put_interval(&b, info->state_ttl_us);
      buf_puts(&b, "\n");
    }
  }
  return buf_finish(&b, arena);
}
