/*
** planner/binder_func.c — binding of function calls: the scalar functions
** of DESIGN §3 (argument counts and types checked, implicit casts made
** explicit, constant arguments validated at bind time) and the aggregate
** calls count, sum, avg, min and max.
**
** An aggregate call is only valid where the context binds over an
** aggregate's output (select list, HAVING, ORDER BY of an aggregate query);
** there it is registered in the EdAggCtx (identical calls are shared) and
** replaced by a reference to its result column.
*/
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "planner/binder_int.h"

typedef struct FuncDef {
  const char *name;
  EdFunc fn;
  int min, max;           /* argument counts */
  const char *takes;      /* for error messages */
} FuncDef;

static const FuncDef funcs[] = {
    {"abs", FN_ABS, 1, 1, "one numeric argument"},
    {"round", FN_ROUND, 1, 2, "a number and optionally a BIGINT count of digits"},
    {"floor", FN_FLOOR, 1, 1, "one numeric argument"},
    {"ceil", FN_CEIL, 1, 1, "one numeric argument"},
    {"ceiling", FN_CEIL, 1, 1, "one numeric argument"},
    {"lower", FN_LOWER, 1, 1, "one VARCHAR argument"},
    {"upper", FN_UPPER, 1, 1, "one VARCHAR argument"},
    {"length", FN_LENGTH, 1, 1, "one VARCHAR argument"},
    {"substr", FN_SUBSTR, 2, 3, "(VARCHAR, BIGINT start [, BIGINT length])"},
    {"substring", FN_SUBSTR, 2, 3, "(VARCHAR, BIGINT start [, BIGINT length])"},
    {"trim", FN_TRIM, 1, 2, "a VARCHAR and optionally the VARCHAR of characters to remove"},
    {"ltrim", FN_LTRIM, 1, 2, "a VARCHAR and optionally the VARCHAR of characters to remove"},
    {"rtrim", FN_RTRIM, 1, 2, "a VARCHAR and optionally the VARCHAR of characters to remove"},
    {"coalesce", FN_COALESCE, 1, 1000, "one or more arguments of a common type"},
    {"nullif", FN_NULLIF, 2, 2, "two arguments of a common type"},
    {"split", FN_SPLIT, 2, 2, "(VARCHAR, VARCHAR separator)"},
    {"now", FN_NOW, 0, 0, "no arguments"},
    {"to_timestamp", FN_TO_TIMESTAMP, 1, 1, "one VARCHAR or numeric (seconds since the epoch) argument"},
    {"date_trunc", FN_DATE_TRUNC, 2, 2, "(VARCHAR unit, TIMESTAMP)"},
    {"window", FN_WINDOW, 2, 3, "(TIMESTAMP, INTERVAL size [, INTERVAL slide])"},
    {"session_window", FN_SESSION_WINDOW, 2, 2, "(TIMESTAMP, INTERVAL gap)"},
};

static const char *agg_names[] = {"count", "sum", "avg", "min", "max"};

bool ed_is_agg_name(const char *name) {
  for (size_t i = 0; i < sizeof agg_names / sizeof *agg_names; i++)
    if (strcasecmp(name, agg_names[i]) == 0) return true;
  return false;
}

static bool is_numeric(EdType t) {
  return t == ED_T_BIGINT || t == ED_T_DOUBLE;
}

static bool is_str_lit(const EdExpr *e) {
  return e->kind == EXPR_CONST && e->type == ED_T_VARCHAR &&
         !e->value.is_null;
}

/* ----------------------------------------------------------- aggregates */

/* Registers an aggregate call (sharing an identical one); returns the
** index of its result in the aggregate's output row. */
static int agg_register(EdArena *a, EdAggCtx *g, const EdAggCall *call) {
  for (int i = 0; i < g->naggs; i++) {
    const EdAggCall *x = &g->aggs[i];
    if (x->fn == call->fn && x->distinct == call->distinct &&
        ed_expr_equal(x->arg, call->arg))
      return g->nkeys + i;
  }
  if (g->naggs == g->cap) {
    int ncap = g->cap ? g->cap * 2 : 8;
    EdAggCall *n = ed_arena_alloc(a, (size_t)ncap * sizeof *n);
    if (g->naggs) memcpy(n, g->aggs, (size_t)g->naggs * sizeof *n);
    g->aggs = n;
    g->cap = ncap;
  }
  g->aggs[g->naggs] = *call;
  return g->nkeys + g->naggs++;
}

static EdExpr *bind_agg(EdBindCtx *c, const EdAstExpr *e) {
  EdArena *a = c->b->arena;
  if (c->in_agg)
    return ed_bind_errorf(c, e->pos, "aggregate function calls cannot be nested");
  if (!c->agg)
    return ed_bind_errorf(c, e->pos, "aggregate functions are not allowed in %s",
                          c->clause);
  EdAggCall call;
  memset(&call, 0, sizeof call);
  call.distinct = e->distinct;
  bool is_count = strcasecmp(e->name, "count") == 0;
  if (e->star) {
    if (!is_count)
      return ed_bind_errorf(c, e->pos, "%s(*) is not valid; only count(*) is",
                            e->name);
    if (e->distinct)
      return ed_bind_errorf(c, e->pos, "count(DISTINCT *) is not valid");
    call.fn = AGG_COUNT_STAR;
    call.type = ED_T_BIGINT;
    int k = agg_register(a, c->agg, &call);
    return ed_expr_colref(a, k, ED_T_BIGINT);
  }
  if (e->list.n != 1)
    return ed_bind_errorf(c, e->pos, "%s() takes exactly one argument (got %d)",
                          e->name, e->list.n);
  const EdAstExpr *arg = e->list.items[0];
  EdBindCtx ac = *c;
  ac.agg = NULL;
  ac.in_agg = true;
  EdExpr *x = ed_bind_expr(&ac, arg);
  if (!x) return NULL;
  if (is_count) {
    call.fn = AGG_COUNT;
    if (x->type == ED_T_NULL) x = ed_expr_retype_null(a, x, ED_T_BIGINT);
    call.type = ED_T_BIGINT;
  } else if (strcasecmp(e->name, "sum") == 0 ||
             strcasecmp(e->name, "avg") == 0) {
    bool sum = ed_lower(e->name[0]) == 's';
    call.fn = sum ? AGG_SUM : AGG_AVG;
    if (x->type == ED_T_NULL) x = ed_expr_retype_null(a, x, ED_T_BIGINT);
    if (!is_numeric(x->type))
      return ed_bind_errorf(c, arg->pos, "%s() takes a numeric argument, got %s",
                            e->name, ed_type_name(x->type));
    call.type = sum ? x->type : ED_T_DOUBLE;
  } else {
    call.fn = ed_lower(e->name[1]) == 'i' ? AGG_MIN : AGG_MAX;
    if (x->type == ED_T_NULL) x = ed_expr_retype_null(a, x, ED_T_BIGINT);
    if (x->type == ED_T_WINDOW)
      return ed_bind_errorf(c, arg->pos, "%s() cannot be applied to a WINDOW",
                            e->name);
    call.type = x->type;
  }
  call.arg = x;
  int k = agg_register(a, c->agg, &call);
  return ed_expr_colref(a, k, call.type);
}

/* ------------------------------------------------------ scalar functions */

static EdExpr *arg_error(EdBindCtx *c, const EdAstExpr *e, int i,
                         const FuncDef *f, EdType got) {
  const EdAstExpr *arg = e->list.items[i];
  return ed_bind_errorf(c, arg->pos, "%s() takes %s; argument %d is %s",
                        f->name, f->takes, i + 1, ed_type_name(got));
}

/* Argument i converted to type t: NULLs take it, string literals are
** converted, numbers widen; anything else is an error. */
static EdExpr *arg_as(EdBindCtx *c, const EdAstExpr *e, EdExpr **args, int i,
                      const FuncDef *f, EdType t) {
  EdExpr *x = args[i];
  if (x->type == t) return x;
  if (x->type == ED_T_NULL) return ed_expr_retype_null(c->b->arena, x, t);
  if (is_str_lit(x) && (t == ED_T_TIMESTAMP || t == ED_T_INTERVAL))
    return ed_bind_convert_literal(c, x, t, ((EdAstExpr *)e->list.items[i])->pos);
  if (t == ED_T_DOUBLE && x->type == ED_T_BIGINT)
    return ed_expr_cast(c->b->arena, x, ED_T_DOUBLE);
  return arg_error(c, e, i, f, x->type);
}

static bool valid_trunc_unit(const EdExpr *x) {
  static const char *units[] = {"microsecond", "millisecond", "second",
                                "minute", "hour", "day", "week", "month",
                                "quarter", "year"};
  if (!is_str_lit(x)) return true;
  const EdStr *s = &x->value.u.s;
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    size_t n = strlen(units[i]);
    if (s->len == n && strncasecmp(s->ptr, units[i], n) == 0) return true;
    /* plural forms: 'minutes' */
    if (s->len == n + 1 && strncasecmp(s->ptr, units[i], n) == 0 &&
        ed_lower(s->ptr[n]) == 's')
      return true;
  }
  return false;
}

/* A window size, slide or gap: a positive constant INTERVAL. */
static EdExpr *window_interval(EdBindCtx *c, const EdAstExpr *e, EdExpr **args,
                               int i, const FuncDef *f) {
  EdExpr *x = arg_as(c, e, args, i, f, ED_T_INTERVAL);
  if (!x) return NULL;
  const EdAstExpr *arg = e->list.items[i];
  if (x->kind != EXPR_CONST || x->value.is_null)
    return ed_bind_errorf(c, arg->pos,
                          "%s() needs a constant interval such as '1 minute'",
                          f->name);
  if (x->value.u.i <= 0)
    return ed_bind_errorf(c, arg->pos, "%s() needs a positive interval",
                          f->name);
  return x;
}

/* Checks and converts the arguments of f; returns the result type, or
** ED_T__COUNT after an error. */
static EdType type_func(EdBindCtx *c, const EdAstExpr *e, const FuncDef *f,
                        EdExpr **args, int n) {
  EdArena *a = c->b->arena;
#define ARG_AS(i, t) \
  do { if (!(args[i] = arg_as(c, e, args, i, f, t))) return ED_T__COUNT; } while (0)
  switch (f->fn) {
    case FN_ABS:
    case FN_FLOOR:
    case FN_CEIL:
      if (args[0]->type == ED_T_NULL) ARG_AS(0, ED_T_BIGINT);
      if (!is_numeric(args[0]->type)) {
        arg_error(c, e, 0, f, args[0]->type);
        return ED_T__COUNT;
      }
      return args[0]->type;
    case FN_ROUND:
      ARG_AS(0, ED_T_DOUBLE);
      if (n > 1) ARG_AS(1, ED_T_BIGINT);
      return ED_T_DOUBLE;
    case FN_LOWER:
    case FN_UPPER:
    case FN_TRIM:
    case FN_LTRIM:
    case FN_RTRIM:
      for (int i = 0; i < n; i++) ARG_AS(i, ED_T_VARCHAR);
      return ED_T_VARCHAR;
    case FN_LENGTH:
      ARG_AS(0, ED_T_VARCHAR);
      return ED_T_BIGINT;
    case FN_SUBSTR:
      ARG_AS(0, ED_T_VARCHAR);
      for (int i = 1; i < n; i++) ARG_AS(i, ED_T_BIGINT);
      return ED_T_VARCHAR;
    case FN_COALESCE:
    case FN_NULLIF: {
      EdPos *pos = ed_arena_alloc(a, (size_t)n * sizeof *pos);
      for (int i = 0; i < n; i++)
        pos[i] = ((EdAstExpr *)e->list.items[i])->pos;
      char what[32];
      snprintf(what, sizeof what, "%s()", f->name);
      EdType t;
      if (ed_bind_unify(c, args, pos, n, what, &t) != 0) return ED_T__COUNT;
      return t;
    }
    case FN_SPLIT:
      ed_bind_errorf(c, e->pos,
                     "split() returns an array, which is only usable inside "
                     "explode(); eddy has no array type yet");
      return ED_T__COUNT;
    case FN_NOW: return ED_T_TIMESTAMP;
    case FN_TO_TIMESTAMP:
      if (args[0]->type == ED_T_NULL) ARG_AS(0, ED_T_VARCHAR);
      if (is_str_lit(args[0])) {
        /* Checked now so that a bad literal is reported at its position. */
        if (!ed_bind_convert_literal(c, args[0], ED_T_TIMESTAMP,
                                     ((EdAstExpr *)e->list.items[0])->pos))
          return ED_T__COUNT;
      } else if (args[0]->type != ED_T_VARCHAR && !is_numeric(args[0]->type)) {
        arg_error(c, e, 0, f, args[0]->type);
        return ED_T__COUNT;
      }
      return ED_T_TIMESTAMP;
    case FN_DATE_TRUNC:
      ARG_AS(0, ED_T_VARCHAR);
      if (!valid_trunc_unit(args[0])) {
        ed_bind_errorf(c, ((EdAstExpr *)e->list.items[0])->pos,
                       "date_trunc() unit must be one of microsecond, "
                       "millisecond, second, minute, hour, day, week, month, "
                       "quarter, year");
        return ED_T__COUNT;
      }
      ARG_AS(1, ED_T_TIMESTAMP);
      return ED_T_TIMESTAMP;
    case FN_WINDOW:
    case FN_SESSION_WINDOW:
      ARG_AS(0, ED_T_TIMESTAMP);
      for (int i = 1; i < n; i++)
        if (!(args[i] = window_interval(c, e, args, i, f))) return ED_T__COUNT;
      if (n == 3 && args[2]->value.u.i > args[1]->value.u.i) {
        char slide[ED_TS_BUFSZ], size[ED_TS_BUFSZ];
        ed_format_interval(args[2]->value.u.i, slide);
        ed_format_interval(args[1]->value.u.i, size);
        ed_bind_errorf(c, ((EdAstExpr *)e->list.items[2])->pos,
                       "window() slide (%s) cannot be larger than the size "
                       "(%s): rows between windows would belong to none",
                       slide, size);
        return ED_T__COUNT;
      }
      return ED_T_WINDOW;
    case FN__COUNT: break;
  }
#undef ARG_AS
  ed_bind_errorf(c, e->pos, "unsupported function %s()", f->name);
  return ED_T__COUNT;
}

EdExpr *ed_bind_func(EdBindCtx *c, const EdAstExpr *e) {
  if (ed_is_agg_name(e->name)) return bind_agg(c, e);
  const FuncDef *f = NULL;
  for (size_t i = 0; i < sizeof funcs / sizeof *funcs && !f; i++)
    if (strcasecmp(e->name, funcs[i].name) == 0) f = &funcs[i];
  if (!f) {
    if (strcasecmp(e->name, "explode") == 0)
      return ed_bind_errorf(c, e->pos,
                            "explode() is only valid as a whole item of a "
                            "select list, as explode(split(<string>, "
                            "<separator>)) [AS name]");
    return ed_bind_errorf(c, e->pos, "unknown function %s()", e->name);
  }
  if (e->star)
    return ed_bind_errorf(c, e->pos, "%s(*) is not valid; %s() takes %s",
                          e->name, f->name, f->takes);
  if (e->distinct)
    return ed_bind_errorf(c, e->pos,
                          "DISTINCT is only valid in aggregate calls, not in "
                          "%s()",
                          f->name);
  int n = e->list.n;
  if (n < f->min || n > f->max)
    return ed_bind_errorf(c, e->pos, "%s() takes %s (got %d argument%s)",
                          f->name, f->takes, n, n == 1 ? "" : "s");
  EdExpr *r = ed_expr_new(c->b->arena, EXPR_FUNC, ED_T_NULL, n);
  r->op = f->fn;
  for (int i = 0; i < n; i++) {
    r->args[i] = ed_bind_expr(c, e->list.items[i]);
    if (!r->args[i]) return NULL;
  }
  EdType t = type_func(c, e, f, r->args, n);
  if (t == ED_T__COUNT) return NULL;
  r->type = t;
  r->value.type = t;
  return r;
}
