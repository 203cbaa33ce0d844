/*
** planner/binder_expr.c — binding of expressions: names to column
** positions, types, implicit casts, operators, CASE, CAST, IN, LIKE and
** BETWEEN.  Function calls (scalar and aggregate) are in binder_func.c.
**
** Typing follows standard SQL as SQLite computes it for typed columns:
** BIGINT op BIGINT is BIGINT, a DOUBLE operand makes the operation DOUBLE,
** an untyped NULL takes its type from the other operand, a string literal
** compared with (or mixed into a CASE with) a TIMESTAMP, INTERVAL or
** number is converted at bind time, so a bad literal is reported at its
** position.  Every implicit conversion is an explicit EXPR_CAST node, so
** that the evaluator only ever sees operands of one type.
**
** In an aggregate query (c->agg set) expressions are bound over the
** aggregate's output row: a subtree without aggregate calls that equals a
** group key becomes a reference to that key, an aggregate call becomes a
** reference to its result, and a column that is neither is an error.
**
** Names resolve in the innermost scope first: the FROM row, then (outside
** the select list) the select list's aliases, then, inside a subquery, the
** scopes of the enclosing queries (binder_subquery.c).
*/
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "planner/binder_int.h"

/* ------------------------------------------------------------- errors */

EdExpr *ed_bind_errorf(EdBindCtx *c, EdPos pos, const char *fmt, ...) {
  char msg[sizeof c->b->err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ed_error_set(c->b->err, ED_ERR_BIND, &pos, "%s", msg);
  return NULL;
}

/* Optimal string alignment distance (adjacent transpositions cost 1),
** case-insensitive; used for "did you mean" suggestions. */
int ed_name_distance(const char *a, const char *b) {
  int n = (int)strlen(a), m = (int)strlen(b);
  if (n > 63 || m > 63) return 99;
  int d[64][64];
  for (int i = 0; i <= n; i++) d[i][0] = i;
  for (int j = 0; j <= m; j++) d[0][j] = j;
  for (int i = 1; i <= n; i++) {
    for (int j = 1; j <= m; j++) {
      int cost = ed_lower(a[i - 1]) != ed_lower(b[j - 1]);
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && ed_lower(a[i - 1]) == ed_lower(b[j - 2]) &&
          ed_lower(a[i - 2]) == ed_lower(b[j - 1]) &&
          d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  }
  return d[n][m];
}

bool ed_name_close(const char *typed, const char *cand) {
  int d = ed_name_distance(typed, cand);
  int len = (int)strlen(typed);
  return d > 0 && d <= (len <= 3 ? 1 : 2) && d < len;
}

/* ------------------------------------------------------------- helpers */

static bool is_numeric(EdType t) {
  return t == ED_T_BIGINT || t == ED_T_DOUBLE;
}

static bool is_str_lit(const EdExpr *e) {
  return e->kind == EXPR_CONST && e->type == ED_T_VARCHAR &&
         !e->value.is_null;
}

/* Parses the text of a string constant as a number: a BIGINT when it is an
** integer, else a DOUBLE.  Returns false when it is not a number. */
static bool parse_number(const EdStr *s, EdValue *out) {
  char buf[128];
  if (s->len == 0 || s->len >= sizeof buf) return false;
  memcpy(buf, s->ptr, s->len);
  buf[s->len] = 0;
  char *p = buf;
  while (*p == ' ' || *p == '\t') p++;
  char *end;
  errno = 0;
  long long i = strtoll(p, &end, 10);
  while (*end == ' ' || *end == '\t') end++;
  if (end != p && !*end && errno == 0) {
    out->type = ED_T_BIGINT;
    out->is_null = false;
    out->u.i = i;
    return true;
  }
  errno = 0;
  double d = strtod(p, &end);
  while (*end == ' ' || *end == '\t') end++;
  if (end == p || *end) return false;
  out->type = ED_T_DOUBLE;
  out->is_null = false;
  out->u.d = d;
  return true;
}

EdExpr *ed_bind_convert_literal(EdBindCtx *c, const EdExpr *e, EdType t,
                                EdPos pos) {
  assert(is_str_lit(e));
  EdArena *a = c->b->arena;
  const EdStr *s = &e->value.u.s;
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = t;
  switch (t) {
    case ED_T_VARCHAR: return (EdExpr *)e;
    case ED_T_TIMESTAMP:
      if (ed_parse_timestamp(s->ptr, s->len, &v.u.i) != 0)
        return ed_bind_errorf(c, pos, "invalid TIMESTAMP literal '%.*s'",
                              (int)s->len, s->ptr);
      return ed_expr_const(a, &v);
    case ED_T_INTERVAL:
      if (ed_parse_interval(s->ptr, s->len, NULL, &v.u.i) != 0)
        return ed_bind_errorf(c, pos,
                              "invalid INTERVAL literal '%.*s' (expected "
                              "e.g. '10 seconds' or '1 minute')",
                              (int)s->len, s->ptr);
      return ed_expr_const(a, &v);
    case ED_T_BIGINT:
    case ED_T_DOUBLE:
      if (!parse_number(s, &v))
        return ed_bind_errorf(c, pos, "cannot convert '%.*s' to %s",
                              (int)s->len, s->ptr, ed_type_name(t));
      if (t == ED_T_DOUBLE && v.type == ED_T_BIGINT) {
        v.type = ED_T_DOUBLE;
        v.u.d = (double)v.u.i;
      }
      return ed_expr_const(a, &v);
    case ED_T_BOOL:
      if (s->len == 4 && strncasecmp(s->ptr, "true", 4) == 0) v.u.b = true;
      else if (s->len == 5 && strncasecmp(s->ptr, "false", 5) == 0)
        v.u.b = false;
      else
        return ed_bind_errorf(c, pos, "cannot convert '%.*s' to BOOLEAN",
                              (int)s->len, s->ptr);
      return ed_expr_const(a, &v);
    default:
      return ed_bind_errorf(c, pos, "cannot convert '%.*s' to %s",
                            (int)s->len, s->ptr, ed_type_name(t));
  }
}

/* Common type of two non-NULL types, or ED_T_NULL when there is none. */
static EdType common_type(EdType a, EdType b) {
  if (a == b) return a;
  if (is_numeric(a) && is_numeric(b)) return ED_T_DOUBLE;
  return ED_T_NULL;
}

int ed_bind_unify(EdBindCtx *c, EdExpr **x, const EdPos *pos, int n,
                  const char *what, EdType *out) {
  EdType t = ED_T_NULL;
  bool has_str = false;
  int first = -1;
  for (int i = 0; i < n; i++) {
    if (x[i]->type == ED_T_NULL) continue;
    if (is_str_lit(x[i])) {
      has_str = true;
      continue;
    }
    if (t == ED_T_NULL) {
      t = x[i]->type;
      first = i;
      continue;
    }
    EdType u = common_type(t, x[i]->type);
    if (u == ED_T_NULL) {
      ed_bind_errorf(c, pos[i], "incompatible types %s and %s in %s",
                     ed_type_name(x[first]->type), ed_type_name(x[i]->type),
                     what);
      return -1;
    }
    t = u;
  }
  if (t == ED_T_NULL && has_str) t = ED_T_VARCHAR;
  if (has_str && t != ED_T_VARCHAR) {
    /* Literal strings adopt the type of the other operands; a number
    ** literal with a fraction widens a BIGINT context to DOUBLE. */
    for (int i = 0; i < n; i++) {
      if (!is_str_lit(x[i])) continue;
      EdType want = is_numeric(t) ? ED_T_BIGINT : t;
      if (want == ED_T_BIGINT) {
        EdValue v;
        if (!parse_number(&x[i]->value.u.s, &v)) {
          ed_bind_errorf(c, pos[i], "cannot convert '%.*s' to %s",
                         (int)x[i]->value.u.s.len, x[i]->value.u.s.ptr,
                         ed_type_name(t));
          return -1;
        }
        x[i] = ed_expr_const(c->b->arena, &v);
        if (v.type == ED_T_DOUBLE) t = ED_T_DOUBLE;
        continue;
      }
      EdExpr *y = ed_bind_convert_literal(c, x[i], want, pos[i]);
      if (!y) return -1;
      x[i] = y;
    }
  }
  if (t != ED_T_NULL)
    for (int i = 0; i < n; i++) x[i] = ed_expr_coerce(c->b->arena, x[i], t);
  *out = t;
  return 0;
}

int ed_bind_unify2(EdBindCtx *c, EdExpr **a, EdPos pa, EdExpr **b, EdPos pb,
                   const char *what) {
  EdExpr *x[2] = {*a, *b};
  EdPos pos[2] = {pa, pb};
  EdType t;
  if (ed_bind_unify(c, x, pos, 2, what, &t) != 0) return -1;
  *a = x[0];
  *b = x[1];
  return 0;
}

EdExpr *ed_bind_to_bool(EdBindCtx *c, EdExpr *x, EdPos pos,
                        const char *what) {
  if (!x) return NULL;
  if (x->type == ED_T_BOOL) return x;
  if (x->type == ED_T_NULL) return ed_expr_retype_null(c->b->arena, x, ED_T_BOOL);
  return ed_bind_errorf(c, pos, "%s must be BOOLEAN, got %s", what,
                        ed_type_name(x->type));
}

EdExpr *ed_bind_cond(EdBindCtx *c, const EdAstExpr *e) {
  char what[64];
  snprintf(what, sizeof what, "the %s condition", c->clause);
  return ed_bind_to_bool(c, ed_bind_expr(c, e), e->pos, what);
}

/* ------------------------------------------------------------- columns */

/* Finds column name (qualified by qual when not NULL) in the scope.
** Returns its index, -1 when absent, -2 when ambiguous (*other receives
** a second match). */
static int scope_find(const EdScope *s, const char *qual, const char *name,
                      int *first, int *other) {
  int found = -1;
  for (int i = 0; i < s->schema.ncols; i++) {
    const EdColumn *col = &s->schema.cols[i];
    if (!col->name || strcasecmp(col->name, name) != 0) continue;
    if (qual) {
      if (!col->table || strcasecmp(col->table, qual) != 0) continue;
    } else if (s->hidden && s->hidden[i]) {
      continue;
    }
    if (found >= 0) {
      *first = found;
      *other = i;
      return -2;
    }
    found = i;
  }
  return found;
}

int ed_scope_lookup(const EdScope *s, const char *qual, const char *name) {
  int first, other;
  return scope_find(s, qual, name, &first, &other);
}

bool ed_scope_has_qualifier(const EdScope *s, const char *qual) {
  for (int i = 0; i < s->schema.ncols; i++)
    if (s->schema.cols[i].table &&
        strcasecmp(s->schema.cols[i].table, qual) == 0)
      return true;
  return false;
}

bool ed_scope_has_name(const EdScope *s, const char *name) {
  int f, o;
  return scope_find(s, NULL, name, &f, &o) != -1;
}

/* Appends the names of the scope's columns (those of qualifier qual when
** not NULL), each once, to buf, and the closest one to name in *best. */
static void scope_names(const EdScope *s, const char *qual, const char *name,
                        char *buf, size_t cap, const char **best) {
  size_t len = 0;
  int bestd = 99;
  buf[0] = 0;
  *best = NULL;
  for (int i = 0; i < s->schema.ncols; i++) {
    const EdColumn *col = &s->schema.cols[i];
    if (!col->name) continue;
    if (qual && (!col->table || strcasecmp(col->table, qual) != 0)) continue;
    if (!qual && s->hidden && s->hidden[i]) continue;
    bool dup = false;
    for (int j = 0; j < i && !dup; j++)
      dup = s->schema.cols[j].name &&
            strcasecmp(s->schema.cols[j].name, col->name) == 0 &&
            (!qual || (s->schema.cols[j].table &&
                       strcasecmp(s->schema.cols[j].table, qual) == 0));
    if (dup) continue;
    if (len + strlen(col->name) + 8 < cap) {
      len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "",
                              col->name);
    } else if (len + 5 < cap && !strstr(buf, ", ...")) {
      len += (size_t)snprintf(buf + len, cap - len, ", ...");
    }
    if (ed_name_close(name, col->name)) {
      int d = ed_name_distance(name, col->name);
      if (d < bestd) {
        bestd = d;
        *best = col->name;
      }
    }
  }
}

/* Appends the distinct qualifiers of the scope to buf. */
static void scope_tables(const EdScope *s, const char *qual, char *buf,
                         size_t cap, const char **best) {
  size_t len = 0;
  int bestd = 99;
  buf[0] = 0;
  *best = NULL;
  for (int i = 0; i < s->schema.ncols; i++) {
    const char *t = s->schema.cols[i].table;
    if (!t) continue;
    bool dup = false;
    for (int j = 0; j < i && !dup; j++)
      dup = s->schema.cols[j].table &&
            strcasecmp(s->schema.cols[j].table, t) == 0;
    if (dup) continue;
    if (len + strlen(t) + 8 < cap)
      len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", t);
    if (ed_name_close(qual, t) && ed_name_distance(qual, t) < bestd) {
      bestd = ed_name_distance(qual, t);
      *best = t;
    }
  }
}

static EdExpr *unknown_column(EdBindCtx *c, const EdAstExpr *e) {
  char names[600];
  const char *best;
  const EdScope *s = c->scope;
  if (e->qualifier) {
    scope_names(s, e->qualifier, e->name, names, sizeof names, &best);
    if (best)
      return ed_bind_errorf(c, e->pos,
                            "unknown column \"%s.%s\" (did you mean \"%s\"?); "
                            "columns of %s: %s",
                            e->qualifier, e->name, best, e->qualifier, names);
    return ed_bind_errorf(c, e->pos, "unknown column \"%s.%s\"; columns of %s: %s",
                          e->qualifier, e->name, e->qualifier, names);
  }
  if (s->schema.ncols == 0) {
    if (strcmp(c->clause, "VALUES") == 0 || strcmp(c->clause, "LIMIT") == 0 ||
        strcmp(c->clause, "OFFSET") == 0)
      return ed_bind_errorf(c, e->pos,
                            "column reference \"%s\" is not allowed here: %s "
                            "takes constant expressions",
                            e->name, c->clause);
    return ed_bind_errorf(c, e->pos,
                          "unknown column \"%s\": there is no FROM clause, so "
                          "no columns are in scope",
                          e->name);
  }
  scope_names(s, NULL, e->name, names, sizeof names, &best);
  if (best)
    return ed_bind_errorf(c, e->pos,
                          "unknown column \"%s\" (did you mean \"%s\"?); "
                          "columns in scope: %s",
                          e->name, best, names);
  return ed_bind_errorf(c, e->pos, "unknown column \"%s\"; columns in scope: %s",
                        e->name, names);
}

static EdExpr *ambiguous(EdBindCtx *c, const EdAstExpr *e, int a, int b) {
  const EdColumn *x = &c->scope->schema.cols[a], *y = &c->scope->schema.cols[b];
  if (x->table && y->table && strcasecmp(x->table, y->table) != 0)
    return ed_bind_errorf(c, e->pos,
                          "ambiguous column name \"%s\" (could be %s.%s or "
                          "%s.%s)",
                          e->name, x->table, x->name, y->table, y->name);
  return ed_bind_errorf(c, e->pos,
                        "ambiguous column name \"%s\" (it appears more than "
                        "once in the FROM clause)",
                        e->name);
}

/* The select item whose AS alias is name, or NULL. */
const EdSelItem *ed_find_alias(const EdBindCtx *c, const char *name) {
  if (!c->items || c->in_alias) return NULL;
  for (int i = 0; i < c->nitems; i++)
    if (c->items[i].alias && strcasecmp(c->items[i].alias, name) == 0)
      return &c->items[i];
  return NULL;
}

/* Binds a select item referenced by its alias. */
static EdExpr *bind_alias(EdBindCtx *c, const EdSelItem *it) {
  assert(it->ast);
  EdBindCtx ac = *c;
  ac.in_alias = true;
  return ed_bind_expr(&ac, it->ast);
}

/* w.start / w.end where w is a WINDOW column or alias. */
static EdExpr *bind_window_field(EdBindCtx *c, const EdAstExpr *e,
                                 bool *handled) {
  *handled = false;
  int field = strcasecmp(e->name, "start") == 0 ? 0
              : strcasecmp(e->name, "end") == 0 ? 1 : -1;
  EdExpr *w = NULL;
  int first, other;
  int col = scope_find(c->scope, NULL, e->qualifier, &first, &other);
  if (col >= 0 && c->scope->schema.cols[col].type == ED_T_WINDOW) {
    *handled = true;
    EdAstExpr ref = *e;
    ref.qualifier = NULL;
    ref.name = e->qualifier;
    w = ed_bind_expr(c, &ref);
  } else if (col == -1) {
    const EdSelItem *it = ed_find_alias(c, e->qualifier);
    if (it && it->ast) {
      *handled = true;
      w = bind_alias(c, it);
      if (w && w->type != ED_T_WINDOW)
        return ed_bind_errorf(c, e->pos,
                              "\"%s\" is not a table or a WINDOW value",
                              e->qualifier);
    }
  }
  if (!*handled || !w) return NULL;
  if (field < 0)
    return ed_bind_errorf(c, e->pos,
                          "a WINDOW has the fields start and end, not \"%s\"",
                          e->name);
  EdExpr *f = ed_expr_new(c->b->arena, EXPR_FIELD, ED_T_TIMESTAMP, 1);
  f->op = field;
  f->args[0] = w;
  return f;
}

static EdExpr *bind_column(EdBindCtx *c, const EdAstExpr *e) {
  const EdScope *s = c->scope;
  int first = -1, other = -1;
  if (e->qualifier && !ed_scope_has_qualifier(s, e->qualifier)) {
    bool handled;
    EdExpr *f = bind_window_field(c, e, &handled);
    if (handled) return f;
    if (ed_outer_has_column(c, e)) return ed_bind_outer_column(c, e);
    char tables[400];
    const char *best;
    scope_tables(s, e->qualifier, tables, sizeof tables, &best);
    if (!tables[0])
      return ed_bind_errorf(c, e->pos,
                            "unknown table \"%s\" in \"%s.%s\": no tables are "
                            "in scope",
                            e->qualifier, e->qualifier, e->name);
    if (best)
      return ed_bind_errorf(c, e->pos,
                            "unknown table \"%s\" in \"%s.%s\" (did you mean "
                            "\"%s\"?); tables in scope: %s",
                            e->qualifier, e->qualifier, e->name, best, tables);
    return ed_bind_errorf(c, e->pos,
                          "unknown table \"%s\" in \"%s.%s\"; tables in "
                          "scope: %s",
                          e->qualifier, e->qualifier, e->name, tables);
  }
  int i = scope_find(s, e->qualifier, e->name, &first, &other);
  if (i == -2) return ambiguous(c, e, first, other);
  if (i >= 0) return ed_expr_colref(c->b->arena, i, s->schema.cols[i].type);
  if (!e->qualifier) {
    /* SQLite resolves a name that is no column as a select-list alias in
    ** WHERE, GROUP BY, HAVING and ORDER BY. */
    const EdSelItem *it = ed_find_alias(c, e->name);
    if (it && it->ast) {
      if (!c->agg && !c->in_agg && ed_ast_has_agg(c, it->ast))
        return ed_bind_errorf(c, e->pos,
                              "\"%s\" names an aggregate of the select list, "
                              "which is not allowed in %s",
                              e->name, c->clause);
      return bind_alias(c, it);
    }
  }
  /* A correlated subquery: the name is a column of an enclosing query. */
  if (ed_outer_has_column(c, e)) return ed_bind_outer_column(c, e);
  return unknown_column(c, e);
}

/* ------------------------------------------------------------ literals */

static EdExpr *bind_literal(EdBindCtx *c, const EdAstExpr *e) {
  EdValue v;
  memset(&v, 0, sizeof v);
  v.type = e->lit.type;
  switch (e->lit.type) {
    case ED_T_NULL: v.is_null = true; break;
    case ED_T_BOOL: v.u.b = e->lit.b; break;
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: v.u.i = e->lit.i; break;
    case ED_T_DOUBLE: v.u.d = e->lit.d; break;
    case ED_T_VARCHAR: {
      int n = e->lit.s ? e->lit.slen : 0;
      v.u.s.ptr = ed_arena_strndup(c->b->arena, e->lit.s ? e->lit.s : "",
                                   (size_t)n);
      v.u.s.len = (uint32_t)n;
      break;
    }
    default:
      return ed_bind_errorf(c, e->pos, "unsupported literal of type %s",
                            ed_type_name(e->lit.type));
  }
  return ed_expr_const(c->b->arena, &v);
}

/* ----------------------------------------------------------- operators */


/* +, -, *, /, % over bound operands l and r. */
static EdExpr *bind_arith(EdBindCtx *c, const EdAstExpr *e, EdExpr *l,
                          EdExpr *r) {
  EdArena *a = c->b->arena;
  int op = e->op;
  EdType lt = l->type, rt = r->type;
  /* Date arithmetic: TIMESTAMP - TIMESTAMP, TIMESTAMP +/- INTERVAL,
  ** INTERVAL + TIMESTAMP, INTERVAL +/- INTERVAL. */
  if (op == OP_ADD || op == OP_SUB) {
    if (lt == ED_T_TIMESTAMP && (rt == ED_T_INTERVAL || rt == ED_T_NULL))
      return ed_expr_op2(a, op, ED_T_TIMESTAMP, l,
                         ed_expr_coerce(a, r, ED_T_INTERVAL));
    if (op == OP_SUB && lt == ED_T_TIMESTAMP && rt == ED_T_TIMESTAMP)
      return ed_expr_op2(a, op, ED_T_INTERVAL, l, r);
    if (lt == ED_T_TIMESTAMP && is_str_lit(r)) {
      /* ts - '2024-01-01' is an INTERVAL; ts +/- '10 seconds' a TIMESTAMP. */
      int64_t v;
      const EdStr *s = &r->value.u.s;
      if (op == OP_SUB && ed_parse_timestamp(s->ptr, s->len, &v) == 0)
        return ed_expr_op2(a, op, ED_T_INTERVAL, l,
                           ed_bind_convert_literal(c, r, ED_T_TIMESTAMP,
                                                   e->right->pos));
      EdExpr *x = ed_bind_convert_literal(c, r, ED_T_INTERVAL, e->right->pos);
      return x ? ed_expr_op2(a, op, ED_T_TIMESTAMP, l, x) : NULL;
    }
    if (op == OP_ADD && lt == ED_T_INTERVAL && rt == ED_T_TIMESTAMP)
      return ed_expr_op2(a, op, ED_T_TIMESTAMP, r, l);
    if (lt == ED_T_INTERVAL && (rt == ED_T_INTERVAL || rt == ED_T_NULL))
      return ed_expr_op2(a, op, ED_T_INTERVAL, l,
                         ed_expr_coerce(a, r, ED_T_INTERVAL));
    if (lt == ED_T_NULL && rt == ED_T_INTERVAL)
      return ed_expr_op2(a, op, ED_T_INTERVAL,
                         ed_expr_coerce(a, l, ED_T_INTERVAL), r);
    if (lt == ED_T_NULL && rt == ED_T_TIMESTAMP && op == OP_SUB)
      return ed_expr_op2(a, op, ED_T_INTERVAL,
                         ed_expr_coerce(a, l, ED_T_TIMESTAMP), r);
    if (lt == ED_T_NULL && rt == ED_T_TIMESTAMP)
      return ed_expr_op2(a, op, ED_T_TIMESTAMP, r,
                         ed_expr_coerce(a, l, ED_T_INTERVAL));
  }
  /* A string literal next to a number is a number ('5' + 1), as a
  ** literal of unknown type is in standard SQL. */
  if ((is_str_lit(l) && (is_numeric(rt) || rt == ED_T_NULL)) ||
      (is_str_lit(r) && (is_numeric(lt) || lt == ED_T_NULL))) {
    EdExpr *x[2] = {l, r};
    EdPos pos[2] = {e->left->pos, e->right->pos};
    for (int i = 0; i < 2; i++) {
      if (!is_str_lit(x[i])) continue;
      x[i] = ed_bind_convert_literal(c, x[i], ED_T_BIGINT, pos[i]);
      if (!x[i]) return NULL;
    }
    l = x[0];
    r = x[1];
    lt = l->type;
    rt = r->type;
  }
  bool lok = is_numeric(lt) || lt == ED_T_NULL;
  bool rok = is_numeric(rt) || rt == ED_T_NULL;
  if (!lok || !rok) {
    const EdAstExpr *bad = !lok ? e->left : e->right;
    return ed_bind_errorf(c, bad->pos,
                          "operator %s cannot be applied to %s and %s",
                          ed_ast_op_text(op), ed_type_name(lt), ed_type_name(rt));
  }
  EdType t = lt == ED_T_NULL   ? (rt == ED_T_NULL ? ED_T_BIGINT : rt)
             : rt == ED_T_NULL ? lt
                               : common_type(lt, rt);
  return ed_expr_op2(a, op, t, ed_expr_coerce(a, l, t), ed_expr_coerce(a, r, t));
}

static EdExpr *bind_compare(EdBindCtx *c, const EdAstExpr *e, EdExpr *l,
                            EdExpr *r) {
  char what[32];
  snprintf(what, sizeof what, "comparison %s", ed_ast_op_text(e->op));
  if (ed_bind_unify2(c, &l, e->left->pos, &r, e->right->pos, what) != 0)
    return NULL;
  if (l->type == ED_T_NULL) {
    /* NULL = NULL: the operands need some type. */
    l = ed_expr_retype_null(c->b->arena, l, ED_T_BIGINT);
    r = ed_expr_retype_null(c->b->arena, r, ED_T_BIGINT);
  }
  return ed_expr_op2(c->b->arena, e->op, ED_T_BOOL, l, r);
}

static EdExpr *bind_binary(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  EdExpr *l = ed_bind_expr(c, e->left);
  if (!l) return NULL;
  EdExpr *r = ed_bind_expr(c, e->right);
  if (!r) return NULL;
  switch (e->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_MOD: return bind_arith(c, e, l, r);
    case OP_CONCAT:
      /* || converts both operands to text, as SQLite does. */
      if (l->type == ED_T_WINDOW || r->type == ED_T_WINDOW)
        return ed_bind_errorf(c, l->type == ED_T_WINDOW ? e->left->pos
                                                         : e->right->pos,
                              "operator || cannot be applied to a WINDOW");
      return ed_expr_op2(a, OP_CONCAT, ED_T_VARCHAR,
                         ed_expr_coerce(a, l, ED_T_VARCHAR),
                         ed_expr_coerce(a, r, ED_T_VARCHAR));
    case OP_EQ:
    case OP_NE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
    case OP_IS:
    case OP_IS_NOT: return bind_compare(c, e, l, r);
    case OP_AND:
    case OP_OR: {
      char what[40];
      snprintf(what, sizeof what, "an operand of %s", ed_ast_op_text(e->op));
      l = ed_bind_to_bool(c, l, e->left->pos, what);
      if (!l) return NULL;
      r = ed_bind_to_bool(c, r, e->right->pos, what);
      if (!r) return NULL;
      return ed_expr_op2(a, e->op, ED_T_BOOL, l, r);
    }
    default:
      return ed_bind_errorf(c, e->pos, "unsupported binary operator");
  }
}

static EdExpr *bind_unary(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  EdExpr *x = ed_bind_expr(c, e->left);
  if (!x) return NULL;
  switch (e->op) {
    case OP_NOT:
      x = ed_bind_to_bool(c, x, e->left->pos, "the operand of NOT");
      return x ? ed_expr_op1(a, OP_NOT, ED_T_BOOL, x) : NULL;
    case OP_NEG:
    case OP_PLUS:
      if (x->type == ED_T_NULL) x = ed_expr_retype_null(a, x, ED_T_BIGINT);
      if (!is_numeric(x->type) && x->type != ED_T_INTERVAL)
        return ed_bind_errorf(c, e->left->pos,
                              "unary %s cannot be applied to %s",
                              ed_ast_op_text(e->op), ed_type_name(x->type));
      /* Unary plus is the identity. */
      if (e->op == OP_PLUS) return x;
      /* A negative number literal is a constant (LIMIT -1, - 97). */
      if (x->kind == EXPR_CONST && !x->value.is_null &&
          ((x->type == ED_T_BIGINT && x->value.u.i != INT64_MIN) ||
           x->type == ED_T_DOUBLE)) {
        EdValue v = x->value;
        if (v.type == ED_T_BIGINT) v.u.i = -v.u.i;
        else v.u.d = -v.u.d;
        return ed_expr_const(a, &v);
      }
      return ed_expr_op1(a, OP_NEG, x->type, x);
    default:
      return ed_bind_errorf(c, e->pos, "unsupported unary operator");
  }
}

/* ------------------------------------------------------ other constructs */

static EdExpr *bind_is_null(EdBindCtx *c, const EdAstExpr *e) {
  EdExpr *x = ed_bind_expr(c, e->left);
  if (!x) return NULL;
  if (x->type == ED_T_NULL) x = ed_expr_retype_null(c->b->arena, x, ED_T_BIGINT);
  EdExpr *r = ed_expr_new(c->b->arena, EXPR_IS_NULL, ED_T_BOOL, 1);
  r->negated = e->negated;
  r->args[0] = x;
  return r;
}

/* x BETWEEN lo AND hi is x >= lo AND x <= hi (each comparison typed on its
** own, as SQLite does); NOT BETWEEN is x < lo OR x > hi. */
static EdExpr *bind_between(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  EdExpr *x = ed_bind_expr(c, e->left);
  if (!x) return NULL;
  EdExpr *lo = ed_bind_expr(c, e->right);
  if (!lo) return NULL;
  EdExpr *hi = ed_bind_expr(c, e->third);
  if (!hi) return NULL;
  EdExpr *x1 = x, *x2 = x;
  if (ed_bind_unify2(c, &x1, e->left->pos, &lo, e->right->pos, "BETWEEN") != 0 ||
      ed_bind_unify2(c, &x2, e->left->pos, &hi, e->third->pos, "BETWEEN") != 0)
    return NULL;
  if (x1->type == ED_T_NULL) {
    x1 = ed_expr_retype_null(a, x1, ED_T_BIGINT);
    lo = ed_expr_retype_null(a, lo, ED_T_BIGINT);
  }
  if (x2->type == ED_T_NULL) {
    x2 = ed_expr_retype_null(a, x2, ED_T_BIGINT);
    hi = ed_expr_retype_null(a, hi, ED_T_BIGINT);
  }
  if (e->negated)
    return ed_expr_op2(a, OP_OR, ED_T_BOOL,
                       ed_expr_op2(a, OP_LT, ED_T_BOOL, x1, lo),
                       ed_expr_op2(a, OP_GT, ED_T_BOOL, x2, hi));
  return ed_expr_op2(a, OP_AND, ED_T_BOOL,
                     ed_expr_op2(a, OP_GE, ED_T_BOOL, x1, lo),
                     ed_expr_op2(a, OP_LE, ED_T_BOOL, x2, hi));
}

static EdExpr *bind_in_list(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  int n = e->list.n + 1;
  EdExpr *r = ed_expr_new(a, EXPR_IN_LIST, ED_T_BOOL, n);
  EdPos *pos = ed_arena_alloc(a, (size_t)n * sizeof *pos);
  r->negated = e->negated;
  r->args[0] = ed_bind_expr(c, e->left);
  if (!r->args[0]) return NULL;
  pos[0] = e->left->pos;
  for (int i = 0; i < e->list.n; i++) {
    const EdAstExpr *it = e->list.items[i];
    r->args[i + 1] = ed_bind_expr(c, it);
    if (!r->args[i + 1]) return NULL;
    pos[i + 1] = it->pos;
  }
  EdType t;
  if (ed_bind_unify(c, r->args, pos, n, "IN list", &t) != 0) return NULL;
  if (t == ED_T_NULL)
    for (int i = 0; i < n; i++)
      r->args[i] = ed_expr_retype_null(a, r->args[i], ED_T_BIGINT);
  return r;
}

static EdExpr *bind_like(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  int n = e->third ? 3 : 2;
  const EdAstExpr *ops[3] = {e->left, e->right, e->third};
  EdExpr *r = ed_expr_new(a, EXPR_LIKE, ED_T_BOOL, n);
  r->negated = e->negated;
  for (int i = 0; i < n; i++) {
    EdExpr *x = ed_bind_expr(c, ops[i]);
    if (!x) return NULL;
    if (x->type == ED_T_NULL) x = ed_expr_retype_null(a, x, ED_T_VARCHAR);
    if (x->type != ED_T_VARCHAR)
      return ed_bind_errorf(c, ops[i]->pos,
                            "LIKE needs VARCHAR operands, got %s (use CAST(... "
                            "AS VARCHAR))",
                            ed_type_name(x->type));
    r->args[i] = x;
  }
  return r;
}

static EdExpr *bind_case(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  int npairs = e->list.n / 2;
  int n = npairs * 2 + (e->third ? 1 : 0);
  EdExpr *r = ed_expr_new(a, EXPR_CASE, ED_T_NULL, n);
  r->has_else = e->third != NULL;
  EdExpr *operand = NULL;
  if (e->left) {
    operand = ed_bind_expr(c, e->left);
    if (!operand) return NULL;
  }
  int nvals = npairs + (e->third ? 1 : 0);
  EdExpr **vals = ed_arena_alloc(a, (size_t)(nvals ? nvals : 1) * sizeof *vals);
  EdPos *pos = ed_arena_alloc(a, (size_t)(nvals ? nvals : 1) * sizeof *pos);
  for (int i = 0; i < npairs; i++) {
    const EdAstExpr *w = e->list.items[2 * i], *t = e->list.items[2 * i + 1];
    EdExpr *cond;
    if (operand) {
      EdExpr *l = operand, *x = ed_bind_expr(c, w);
      if (!x) return NULL;
      if (ed_bind_unify2(c, &l, e->left->pos, &x, w->pos, "CASE") != 0)
        return NULL;
      if (l->type == ED_T_NULL) {
        l = ed_expr_retype_null(a, l, ED_T_BIGINT);
        x = ed_expr_retype_null(a, x, ED_T_BIGINT);
      }
      cond = ed_expr_op2(a, OP_EQ, ED_T_BOOL, l, x);
    } else {
      cond = ed_bind_to_bool(c, ed_bind_expr(c, w), w->pos, "a WHEN condition");
      if (!cond) return NULL;
    }
    r->args[2 * i] = cond;
    vals[i] = ed_bind_expr(c, t);
    if (!vals[i]) return NULL;
    pos[i] = t->pos;
  }
  if (e->third) {
    vals[npairs] = ed_bind_expr(c, e->third);
    if (!vals[npairs]) return NULL;
    pos[npairs] = e->third->pos;
  }
  EdType t;
  if (ed_bind_unify(c, vals, pos, nvals, "CASE results", &t) != 0) return NULL;
  for (int i = 0; i < npairs; i++) r->args[2 * i + 1] = vals[i];
  if (e->third) r->args[n - 1] = vals[npairs];
  r->type = t;
  r->value.type = t;
  return r;
}

/* Whether CAST(x AS to) is allowed for x of type from. */
static bool cast_allowed(EdType from, EdType to) {
  if (from == to || from == ED_T_NULL || to == ED_T_VARCHAR) return true;
  if (from == ED_T_VARCHAR) return to != ED_T_WINDOW;
  bool fnum = is_numeric(from) || from == ED_T_BOOL;
  bool tnum = is_numeric(to) || to == ED_T_BOOL;
  return fnum && tnum;
}

static EdExpr *bind_cast(EdBindCtx *c, const EdAstExpr *e) {
  EdExpr *x = ed_bind_expr(c, e->left);
  if (!x) return NULL;
  EdType to = e->cast_type;
  if (to == ED_T_NULL || to >= ED_T__COUNT)
    return ed_bind_errorf(c, e->pos, "CAST to an unknown type");
  if (x->type == to) return x;
  if (x->type == ED_T_NULL) return ed_expr_retype_null(c->b->arena, x, to);
  if (!cast_allowed(x->type, to))
    return ed_bind_errorf(c, e->pos, "cannot cast %s to %s",
                          ed_type_name(x->type), ed_type_name(to));
  /* A literal that can only fail to convert is checked now, with its
  ** position. */
  if (is_str_lit(x) && (to == ED_T_TIMESTAMP || to == ED_T_INTERVAL))
    return ed_bind_convert_literal(c, x, to, e->left->pos);
  return ed_expr_cast(c->b->arena, x, to);
}

/* ------------------------------------------------------------ dispatch */

/* Binds e according to its kind (children through ed_bind_expr). */
static EdExpr *bind_node(EdBindCtx *c, const EdAstExpr *e) {
  switch (e->kind) {
    case AST_LITERAL: return bind_literal(c, e);
    case AST_COLUMN: return bind_column(c, e);
    case AST_STAR:
      return ed_bind_errorf(c, e->pos,
                            "* is only allowed in the select list and in "
                            "count(*)");
    case AST_UNARY: return bind_unary(c, e);
    case AST_BINARY: return bind_binary(c, e);
    case AST_IS_NULL: return bind_is_null(c, e);
    case AST_BETWEEN: return bind_between(c, e);
    case AST_IN_LIST: return bind_in_list(c, e);
    case AST_LIKE: return bind_like(c, e);
    case AST_CASE: return bind_case(c, e);
    case AST_CAST: return bind_cast(c, e);
    case AST_FUNC: return ed_bind_func(c, e);
    case AST_IN_QUERY:
    case AST_EXISTS:
    case AST_SUBQUERY: return ed_bind_subquery(c, e);
  }
  return ed_bind_errorf(c, e->pos, "unsupported expression");
}

/* Index of the group key equal to x, or -1. */
static int match_key(const EdAggCtx *g, const EdExpr *x) {
  for (int i = 0; i < g->nkeys; i++)
    if (ed_bind_expr_equal(g->keys[i], x)) return i;
  return -1;
}

static EdExpr *not_grouped(EdBindCtx *c, EdPos pos, const EdExpr *x) {
  const EdExpr *ref = x->kind == EXPR_FIELD ? x->args[0] : x;
  const EdColumn *col = &c->scope->schema.cols[ref->col];
  if (col->table)
    return ed_bind_errorf(c, pos,
                          "column \"%s.%s\" must appear in the GROUP BY clause "
                          "or be used in an aggregate function",
                          col->table, col->name);
  return ed_bind_errorf(c, pos,
                        "column \"%s\" must appear in the GROUP BY clause or "
                        "be used in an aggregate function",
                        col->name);
}

/* Rewrites x, bound against the FROM scope, over the group keys: every
** subtree equal to a key becomes a reference to that key.  Returns NULL if a
** column reference outside every key remains. */
static EdExpr *regroup(EdBindCtx *c, const EdExpr *x) {
  int k = match_key(c->agg, x);
  if (k >= 0) return ed_expr_colref(c->b->arena, k, x->type);
  if (x->kind == EXPR_COLREF) return NULL;
  if (!ed_expr_has_colref(x)) return (EdExpr *)x;
  EdExpr *r = ed_arena_alloc(c->b->arena, sizeof *r);
  *r = *x;
  r->args = ed_arena_alloc(c->b->arena, sizeof(EdExpr *) * (size_t)x->nargs);
  for (int i = 0; i < x->nargs; i++) {
    r->args[i] = x->args[i] ? regroup(c, x->args[i]) : NULL;
    if (x->args[i] && !r->args[i]) return NULL;
  }
  return r;
}

/* In an aggregate query, binds x (a subtree without aggregate calls) as an
** expression over the group keys.  A column outside the keys is accepted
** only where constant folding removes it (COALESCE(5, col), a CASE whose
** branch is decided by constants): the value cannot depend on it.  *done is
** false when x must be bound piece by piece instead, which reports the
** offending column at its own position. */
static EdExpr *bind_grouped(EdBindCtx *c, const EdAstExpr *e, bool *done) {
  EdBindCtx pc = *c;
  pc.agg = NULL;
  *done = true;
  EdExpr *x = bind_node(&pc, e);
  if (!x) return NULL;
  EdExpr *r = regroup(c, x);
  if (!r) r = regroup(c, ed_fold_expr(c->b->arena, x));
  if (r) return r;
  if (x->kind == EXPR_COLREF ||
      (x->kind == EXPR_FIELD && x->args[0]->kind == EXPR_COLREF))
    return not_grouped(c, e->pos, x);
  *done = false;
  return NULL;
}

EdExpr *ed_bind_expr(EdBindCtx *c, const EdAstExpr *e) {
  if (c->agg && !ed_ast_has_agg(c, e)) {
    bool done;
    EdExpr *x = bind_grouped(c, e, &done);
    if (done) return x;
  }
  return bind_node(c, e);
}

EdExpr *ed_bind_scope_col(EdBindCtx *c, int col, EdPos pos) {
  EdExpr *x = ed_expr_colref(c->b->arena, col, c->scope->schema.cols[col].type);
  if (!c->agg) return x;
  int k = match_key(c->agg, x);
  if (k < 0) return not_grouped(c, pos, x);
  return ed_expr_colref(c->b->arena, k, x->type);
}

bool ed_ast_has_agg(const EdBindCtx *c, const EdAstExpr *e) {
  if (!e) return false;
  switch (e->kind) {
    case AST_FUNC:
      if (ed_is_agg_name(e->name)) return true;
      break;
    case AST_COLUMN:
      if (!e->qualifier && !ed_scope_has_name(c->scope, e->name)) {
        const EdSelItem *it = ed_find_alias(c, e->name);
        if (it && it->ast) {
          EdBindCtx ac = *c;
          ac.in_alias = true;
          return ed_ast_has_agg(&ac, it->ast);
        }
      }
      return false;
    case AST_IN_QUERY:
      /* An aggregate inside the subquery is the subquery's own; the
      ** operand belongs to this query. */
      return ed_ast_has_agg(c, e->left);
    case AST_EXISTS:
    case AST_SUBQUERY: return false;
    default: break;
  }
  if (ed_ast_has_agg(c, e->left) || ed_ast_has_agg(c, e->right) ||
      ed_ast_has_agg(c, e->third))
    return true;
  for (int i = 0; i < e->list.n; i++)
    if (ed_ast_has_agg(c, e->list.items[i])) return true;
  return false;
}
