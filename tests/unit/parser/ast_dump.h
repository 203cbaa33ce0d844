/*
** tests/unit/parser/ast_dump.h — renders ASTs as compact S-expressions so
** that tests can state the expected tree shape in one readable string,
** written by hand from the SQL's meaning:
**
**     1 + 2 * 3          ->  (+ 1 (* 2 3))
**     NOT a IN (1, 2)    ->  (NOT (IN a (1 2)))
**     count(DISTINCT x)  ->  (count DISTINCT x)
**
** Subqueries render as {SELECT ...} with their select list, FROM, WHERE,
** GROUP BY and HAVING.  Only tests include this file.
*/
#ifndef ED_TEST_AST_DUMP_H
#define ED_TEST_AST_DUMP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parser/ast.h"

typedef struct DumpBuf {
  char s[8192];
  size_t n;
} DumpBuf;

static void dump_put(DumpBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void dump_put(DumpBuf *b, const char *fmt, ...) {
  if (b->n >= sizeof b->s - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  if (k > 0) b->n += (size_t)k;
  if (b->n > sizeof b->s - 1) b->n = sizeof b->s - 1;
}

static void dump_query(DumpBuf *b, const EdAstQuery *q);

static const char *dump_opname(EdAstOp op) {
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
  case OP_IS_NOT: return "ISNOT";
  case OP_AND: return "AND";
  case OP_OR: return "OR";
  case OP_NOT: return "NOT";
  case OP_NEG: return "-";
  case OP_PLUS: return "+";
  default: return "?";
  }
}

static const char *dump_typename(EdType t) {
  static const char *names[] = {"NULL", "BOOLEAN", "BIGINT", "DOUBLE",
                                "VARCHAR", "TIMESTAMP", "INTERVAL", "WINDOW"};
  return (unsigned)t < 8 ? names[t] : "?";
}

static void dump_expr(DumpBuf *b, const EdAstExpr *e) {
  if (!e) {
    dump_put(b, "<null>");
    return;
  }
  switch (e->kind) {
  case AST_LITERAL:
    switch (e->lit.type) {
    case ED_T_NULL: dump_put(b, "NULL"); break;
    case ED_T_BOOL: dump_put(b, e->lit.b ? "TRUE" : "FALSE"); break;
    case ED_T_BIGINT: dump_put(b, "%lld", (long long)e->lit.i); break;
    case ED_T_DOUBLE: dump_put(b, "%gd", e->lit.d); break;
    case ED_T_VARCHAR: dump_put(b, "'%s'", e->lit.s); break;
    case ED_T_INTERVAL: dump_put(b, "INTERVAL(%lld)", (long long)e->lit.i);
      break;
    default: dump_put(b, "?lit"); break;
    }
    break;
  case AST_COLUMN:
    if (e->qualifier) dump_put(b, "%s.", e->qualifier);
    dump_put(b, "%s", e->name);
    break;
  case AST_STAR:
    if (e->qualifier) dump_put(b, "%s.", e->qualifier);
    dump_put(b, "*");
    break;
  case AST_UNARY:
    dump_put(b, "(%s ", dump_opname(e->op));
    dump_expr(b, e->left);
    dump_put(b, ")");
    break;
  case AST_BINARY:
    dump_put(b, "(%s ", dump_opname(e->op));
    dump_expr(b, e->left);
    dump_put(b, " ");
    dump_expr(b, e->right);
    dump_put(b, ")");
    break;
  case AST_IS_NULL:
    dump_put(b, e->negated ? "(NOTNULL " : "(ISNULL ");
    dump_expr(b, e->left);
    dump_put(b, ")");
    break;
  case AST_BETWEEN:
    dump_put(b, e->negated ? "(NOTBETWEEN " : "(BETWEEN ");
    dump_expr(b, e->left);
    dump_put(b, " ");
    dump_expr(b, e->right);
    dump_put(b, " ");
    dump_expr(b, e->third);
    dump_put(b, ")");
    break;
  case AST_IN_LIST:
    dump_put(b, e->negated ? "(NOTIN " : "(IN ");
    dump_expr(b, e->left);
    dump_put(b, " (");
    for (int i = 0; i < e->list.n; i++) {
      if (i) dump_put(b, " ");
      dump_expr(b, e->list.items[i]);
    }
    dump_put(b, "))");
    break;
  case AST_IN_QUERY:
    dump_put(b, e->negated ? "(NOTIN " : "(IN ");
    dump_expr(b, e->left);
    dump_put(b, " ");
    dump_query(b, e->query);
    dump_put(b, ")");
    break;
  case AST_EXISTS:
    dump_put(b, e->negated ? "(NOTEXISTS " : "(EXISTS ");
    dump_query(b, e->query);
    dump_put(b, ")");
    break;
  case AST_SUBQUERY:
    dump_put(b, "(SUBQUERY ");
    dump_query(b, e->query);
    dump_put(b, ")");
    break;
  case AST_LIKE:
    dump_put(b, e->negated ? "(NOTLIKE " : "(LIKE ");
    dump_expr(b, e->left);
    dump_put(b, " ");
    dump_expr(b, e->right);
    if (e->third) {
      dump_put(b, " ");
      dump_expr(b, e->third);
    }
    dump_put(b, ")");
    break;
  case AST_CASE:
    dump_put(b, "(CASE");
    if (e->left) {
      dump_put(b, " ");
      dump_expr(b, e->left);
    }
    for (int i = 0; i + 1 < e->list.n; i += 2) {
      dump_put(b, " (WHEN ");
      dump_expr(b, e->list.items[i]);
      dump_put(b, " ");
      dump_expr(b, e->list.items[i + 1]);
      dump_put(b, ")");
    }
    if (e->third) {
      dump_put(b, " (ELSE ");
      dump_expr(b, e->third);
      dump_put(b, ")");
    }
    dump_put(b, ")");
    break;
  case AST_CAST:
    dump_put(b, "(CAST ");
    dump_expr(b, e->left);
    dump_put(b, " %s)", dump_typename(e->cast_type));
    break;
  case AST_FUNC:
    dump_put(b, "(%s", e->name);
    if (e->distinct) dump_put(b, " DISTINCT");
    if (e->star) dump_put(b, " *");
    for (int i = 0; i < e->list.n; i++) {
      dump_put(b, " ");
      dump_expr(b, e->list.items[i]);
    }
    dump_put(b, ")");
    break;
  }
}

static void dump_from(DumpBuf *b, const EdAstFrom *f) {
  switch (f->kind) {
  case FROM_TABLE:
    dump_put(b, "%s", f->name);
    if (f->alias) dump_put(b, " AS %s", f->alias);
    if (f->wm_column) {
      dump_put(b, " WATERMARK %s ", f->wm_column);
      dump_expr(b, f->wm_delay);
    }
    break;
  case FROM_SUBQUERY:
    dump_query(b, f->query);
    if (f->alias) dump_put(b, " AS %s", f->alias);
    break;
  case FROM_JOIN: {
    static const char *kinds[] = {"INNER", "LEFT", "CROSS"};
    dump_put(b, "(%s ", kinds[f->join]);
    dump_from(b, f->left);
    dump_put(b, " ");
    dump_from(b, f->right);
    if (f->on) {
      dump_put(b, " ON ");
      dump_expr(b, f->on);
    }
    if (f->using_cols.n) {
      dump_put(b, " USING");
      for (int i = 0; i < f->using_cols.n; i++)
        dump_put(b, " %s", (const char *)f->using_cols.items[i]);
    }
    dump_put(b, ")");
    break;
  }
  }
}

static void dump_select(DumpBuf *b, const EdAstSelect *s) {
  dump_put(b, "SELECT%s", s->distinct ? " DISTINCT" : "");
  for (int i = 0; i < s->items.n; i++) {
    const EdAstSelItem *it = s->items.items[i];
    dump_put(b, i ? ", " : " ");
    dump_expr(b, it->expr);
    if (it->alias) dump_put(b, " AS %s", it->alias);
  }
  if (s->from) {
    dump_put(b, " FROM ");
    dump_from(b, s->from);
  }
  if (s->where) {
    dump_put(b, " WHERE ");
    dump_expr(b, s->where);
  }
  for (int i = 0; i < s->group_by.n; i++) {
    dump_put(b, i ? ", " : " GROUP BY ");
    dump_expr(b, s->group_by.items[i]);
  }
  if (s->having) {
    dump_put(b, " HAVING ");
    dump_expr(b, s->having);
  }
}

static void dump_query(DumpBuf *b, const EdAstQuery *q) {
  static const char *ops[] = {"", "UNION ALL", "UNION", "EXCEPT",
                              "INTERSECT"};
  dump_put(b, "{");
  for (int i = 0; i < q->selects.n; i++) {
    if (i) dump_put(b, " %s ", ops[q->setops[i]]);
    dump_select(b, q->selects.items[i]);
  }
  for (int i = 0; i < q->order_by.n; i++) {
    const EdAstOrderItem *o = q->order_by.items[i];
    dump_put(b, i ? ", " : " ORDER BY ");
    dump_expr(b, o->expr);
    if (o->desc) dump_put(b, " DESC");
    if (o->nulls_first >= 0)
      dump_put(b, o->nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  if (q->limit) {
    dump_put(b, " LIMIT ");
    dump_expr(b, q->limit);
  }
  if (q->offset) {
    dump_put(b, " OFFSET ");
    dump_expr(b, q->offset);
  }
  dump_put(b, "}");
}

#endif
