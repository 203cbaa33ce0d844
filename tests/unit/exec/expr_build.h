/*
** tests/unit/exec/expr_build.h — builds bound expression trees by hand for
** the evaluator tests, together with the SQL text that asks SQLite for the
** same value.
**
** Each builder returns an X: the EdExpr (allocated in the test arena) and
** its SQL.  The SQL can be replaced with sql_as() where SQLite spells the
** same computation differently (SQLite has no BOOLEAN: TRUE is 1).
*/
#ifndef ED_EXPR_BUILD_H
#define ED_EXPR_BUILD_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/arena.h"
#include "planner/plan.h"

static EdArena xb_arena;

/* Not every test uses every builder. */
#define XB_FN static __attribute__((unused))

typedef struct X {
  EdExpr *e;
  const char *sql;
} X;

XB_FN EdExpr *xb_node(EdExprKind kind, EdType type, int op, int nargs) {
  EdExpr *e = ed_arena_alloc(&xb_arena, sizeof *e);
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->type = type;
  e->op = op;
  e->nargs = nargs;
  if (nargs) e->args = ed_arena_alloc(&xb_arena, sizeof(EdExpr *) * (size_t)nargs);
  return e;
}

XB_FN X sql_as(X x, const char *sql) {
  x.sql = ed_arena_strdup(&xb_arena, sql);
  return x;
}

/* Column reference: position, type and the SQL column name. */
XB_FN X col(int c, EdType t, const char *name) {
  EdExpr *e = xb_node(EXPR_COLREF, t, 0, 0);
  e->col = c;
  return (X){e, name};
}

XB_FN X lit_i(int64_t v) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_BIGINT, 0, 0);
  e->value.type = ED_T_BIGINT;
  e->value.u.i = v;
  return (X){e, ed_arena_printf(&xb_arena, "%lld", (long long)v)};
}

XB_FN X lit_d(double v) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_DOUBLE, 0, 0);
  e->value.type = ED_T_DOUBLE;
  e->value.u.d = v;
  return (X){e, ed_arena_printf(&xb_arena, "%.17g", v)};
}

XB_FN X lit_s(const char *s) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_VARCHAR, 0, 0);
  e->value.type = ED_T_VARCHAR;
  e->value.u.s.ptr = ed_arena_strdup(&xb_arena, s);
  e->value.u.s.len = (uint32_t)strlen(s);
  /* SQL string literal with '' doubling. */
  char *q = ed_arena_alloc(&xb_arena, 2 * strlen(s) + 3), *p = q;
  *p++ = '\'';
  for (const char *c = s; *c; c++) {
    if (*c == '\'') *p++ = '\'';
    *p++ = *c;
  }
  *p++ = '\'';
  *p = '\0';
  return (X){e, q};
}

XB_FN X lit_b(bool b) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_BOOL, 0, 0);
  e->value.type = ED_T_BOOL;
  e->value.u.b = b;
  return (X){e, b ? "1" : "0"};
}

/* A typed NULL (type ED_T_NULL for an untyped NULL literal). */
XB_FN X lit_null(EdType t) {
  EdExpr *e = xb_node(EXPR_CONST, t, 0, 0);
  e->value.type = t;
  e->value.is_null = true;
  return (X){e, "NULL"};
}

XB_FN X lit_ts(int64_t us) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_TIMESTAMP, 0, 0);
  e->value.type = ED_T_TIMESTAMP;
  e->value.u.i = us;
  return (X){e, "?"};
}

XB_FN X lit_iv(int64_t us) {
  EdExpr *e = xb_node(EXPR_CONST, ED_T_INTERVAL, 0, 0);
  e->value.type = ED_T_INTERVAL;
  e->value.u.i = us;
  return (X){e, "?"};
}

XB_FN X bin(int op, EdType t, X a, X b) {
  EdExpr *e = xb_node(EXPR_OP, t, op, 2);
  e->args[0] = a.e;
  e->args[1] = b.e;
  return (X){e, ed_arena_printf(&xb_arena, "(%s %s %s)", a.sql, ed_ast_op_text(op), b.sql)};
}

XB_FN X cmp(int op, X a, X b) { return bin(op, ED_T_BOOL, a, b); }

XB_FN X un(int op, EdType t, X a) {
  EdExpr *e = xb_node(EXPR_OP, t, op, 1);
  e->args[0] = a.e;
  return (X){e, ed_arena_printf(&xb_arena, "(%s %s)", ed_ast_op_text(op), a.sql)};
}

/* name(args...): n arguments follow. */
XB_FN X fn(EdFunc f, EdType t, const char *name, int n, ...) {
  EdExpr *e = xb_node(EXPR_FUNC, t, f, n);
  char buf[4096];
  int len = snprintf(buf, sizeof buf, "%s(", name);
  va_list ap;
  va_start(ap, n);
  for (int k = 0; k < n; k++) {
    X a = va_arg(ap, X);
    e->args[k] = a.e;
    len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", k ? ", " : "", a.sql);
  }
  va_end(ap);
  snprintf(buf + len, sizeof buf - (size_t)len, ")");
  return (X){e, ed_arena_strdup(&xb_arena, buf)};
}

XB_FN X cast(X a, EdType t, const char *sql_type) {
  EdExpr *e = xb_node(EXPR_CAST, t, 0, 1);
  e->args[0] = a.e;
  return (X){e, ed_arena_printf(&xb_arena, "CAST(%s AS %s)", a.sql, sql_type)};
}

XB_FN X is_null(X a, bool negated) {
  EdExpr *e = xb_node(EXPR_IS_NULL, ED_T_BOOL, 0, 1);
  e->args[0] = a.e;
  e->negated = negated;
  return (X){e, ed_arena_printf(&xb_arena, "(%s IS %sNULL)", a.sql,
                                negated ? "NOT " : "")};
}

/* x [NOT] IN (n items). */
XB_FN X in_list(X x, bool negated, int n, ...) {
  EdExpr *e = xb_node(EXPR_IN_LIST, ED_T_BOOL, 0, n + 1);
  e->negated = negated;
  e->args[0] = x.e;
  char buf[4096];
  int len = snprintf(buf, sizeof buf, "(%s %sIN (", x.sql, negated ? "NOT " : "");
  va_list ap;
  va_start(ap, n);
  for (int k = 0; k < n; k++) {
    X a = va_arg(ap, X);
    e->args[k + 1] = a.e;
    len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", k ? ", " : "", a.sql);
  }
  va_end(ap);
  snprintf(buf + len, sizeof buf - (size_t)len, "))");
  return (X){e, ed_arena_strdup(&xb_arena, buf)};
}

/* x IN (items[0..n)). */
XB_FN X in_array(X x, bool negated, int n, const X *items) {
  EdExpr *e = xb_node(EXPR_IN_LIST, ED_T_BOOL, 0, n + 1);
  e->negated = negated;
  e->args[0] = x.e;
  char buf[8192];
  int len = snprintf(buf, sizeof buf, "(%s %sIN (", x.sql, negated ? "NOT " : "");
  for (int k = 0; k < n; k++) {
    e->args[k + 1] = items[k].e;
    len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", k ? ", " : "",
                    items[k].sql);
  }
  snprintf(buf + len, sizeof buf - (size_t)len, "))");
  return (X){e, ed_arena_strdup(&xb_arena, buf)};
}

XB_FN X like(X s, X pat, const X *esc, bool negated) {
  EdExpr *e = xb_node(EXPR_LIKE, ED_T_BOOL, 0, esc ? 3 : 2);
  e->negated = negated;
  e->args[0] = s.e;
  e->args[1] = pat.e;
  if (esc) e->args[2] = esc->e;
  return (X){e, ed_arena_printf(&xb_arena, "(%s %sLIKE %s%s%s)", s.sql,
                                negated ? "NOT " : "", pat.sql,
                                esc ? " ESCAPE " : "", esc ? esc->sql : "")};
}

/* CASE WHEN w0 THEN t0 ... [ELSE e] END: args alternate when, then; the
** last one is ELSE when has_else. */
XB_FN X case_of(EdType t, bool has_else, int nargs, ...) {
  EdExpr *e = xb_node(EXPR_CASE, t, 0, nargs);
  e->has_else = has_else;
  char buf[4096];
  int len = snprintf(buf, sizeof buf, "CASE");
  va_list ap;
  va_start(ap, nargs);
  for (int k = 0; k < nargs; k++) {
    X a = va_arg(ap, X);
    e->args[k] = a.e;
    const char *kw = (has_else && k == nargs - 1) ? "ELSE" : (k % 2 ? "THEN" : "WHEN");
    len += snprintf(buf + len, sizeof buf - (size_t)len, " %s %s", kw, a.sql);
  }
  va_end(ap);
  snprintf(buf + len, sizeof buf - (size_t)len, " END");
  return (X){e, ed_arena_strdup(&xb_arena, buf)};
}

XB_FN X field(X w, int which) {
  EdExpr *e = xb_node(EXPR_FIELD, ED_T_TIMESTAMP, which, 1);
  e->args[0] = w.e;
  return (X){e, "?"};
}

#endif
