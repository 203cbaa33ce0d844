/*
** planner/binder_const.c — constant expressions: INSERT ... VALUES rows
** and option values.  A constant is bound like any expression (with no
** columns in scope), evaluated once, then converted to the type of the
** column it is assigned to, as an assignment does in standard SQL: numbers
** widen, an integral DOUBLE narrows to BIGINT, a string becomes a
** TIMESTAMP, INTERVAL, number or BOOLEAN by parsing it, any value becomes
** VARCHAR by its text form.  A value that does not fit is an error at the
** expression's position.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/expr_eval.h"
#include "planner/binder_int.h"

static int cerr(EdError *err, const EdAstExpr *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int cerr(EdError *err, const EdAstExpr *e, const char *fmt, ...) {
  char msg[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ed_error_set(err, ED_ERR_BIND, &e->pos, "%s", msg);
}

/* The text form of v (not NULL) as a VARCHAR value in the arena. */
static void value_to_text(const EdValue *v, EdArena *a, EdValue *out) {
  char buf[64];
  int n = 0;
  switch (v->type) {
    case ED_T_BOOL: n = snprintf(buf, sizeof buf, "%s", v->u.b ? "true" : "false"); break;
    case ED_T_BIGINT: n = snprintf(buf, sizeof buf, "%lld", (long long)v->u.i); break;
    case ED_T_DOUBLE: n = ed_format_double(v->u.d, buf); break;
    case ED_T_TIMESTAMP: n = ed_format_timestamp(v->u.i, buf); break;
    case ED_T_INTERVAL: n = ed_format_interval(v->u.i, buf); break;
    case ED_T_WINDOW: {
      char s[ED_TS_BUFSZ], e[ED_TS_BUFSZ];
      ed_format_timestamp(v->u.w.start, s);
      ed_format_timestamp(v->u.w.end, e);
      n = snprintf(buf, sizeof buf, "{%s, %s}", s, e);
      break;
    }
    default: buf[0] = 0; break;
  }
  if (n < 0) n = 0;
  if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
  out->type = ED_T_VARCHAR;
  out->is_null = false;
  out->u.s.ptr = ed_arena_strndup(a, buf, (size_t)n);
  out->u.s.len = (uint32_t)n;
}

/* Parses a string value as a number into a BIGINT or DOUBLE. */
static bool text_to_number(const EdStr *s, EdValue *out) {
  char buf[128];
  if (s->len == 0 || s->len >= sizeof buf) return false;
  memcpy(buf, s->ptr, s->len);
  buf[s->len] = 0;
  char *end;
  long long i = strtoll(buf, &end, 10);
  while (*end == ' ') end++;
  if (end != buf && !*end) {
    out->type = ED_T_BIGINT;
    out->u.i = i;
    return true;
  }
  double d = strtod(buf, &end);
  while (*end == ' ') end++;
  if (end == buf || *end) return false;
  out->type = ED_T_DOUBLE;
  out->u.d = d;
  return true;
}

/* Converts a DOUBLE to BIGINT when it is integral and in range. */
static bool double_to_bigint(double d, int64_t *out) {
  if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
      d >= 9223372036854775808.0)
    return false;
  *out = (int64_t)d;
  return true;
}

/* Converts v to type want as an assignment does. */
static int assign_convert(const EdAstExpr *e, EdValue *v, EdType want,
                          EdArena *a, EdError *err) {
  if (want == ED_T_NULL || v->type == want) return 0;
  if (v->is_null) {
    v->type = want;
    return 0;
  }
  EdType from = v->type;
  if (want == ED_T_VARCHAR) {
    EdValue t;
    value_to_text(v, a, &t);
    *v = t;
    return 0;
  }
  if (from == ED_T_VARCHAR) {
    const EdStr *s = &v->u.s;
    switch (want) {
      case ED_T_TIMESTAMP:
        if (ed_parse_timestamp(s->ptr, s->len, &v->u.i) != 0)
          return cerr(err, e, "invalid TIMESTAMP value '%.*s'", (int)s->len,
                      s->ptr);
        v->type = want;
        return 0;
      case ED_T_INTERVAL:
        if (ed_parse_interval(s->ptr, s->len, NULL, &v->u.i) != 0)
          return cerr(err, e, "invalid INTERVAL value '%.*s'", (int)s->len,
                      s->ptr);
        v->type = want;
        return 0;
      case ED_T_BOOL:
        if (s->len == 4 && strncasecmp(s->ptr, "true", 4) == 0) v->u.b = true;
        else if (s->len == 5 && strncasecmp(s->ptr, "false", 5) == 0)
          v->u.b = false;
        else
          return cerr(err, e, "invalid BOOLEAN value '%.*s'", (int)s->len,
                      s->ptr);
        v->type = want;
        return 0;
      case ED_T_BIGINT:
      case ED_T_DOUBLE: {
        EdValue n = *v;
        if (!text_to_number(s, &n))
          return cerr(err, e, "invalid %s value '%.*s'", ed_type_name(want),
                      (int)s->len, s->ptr);
        *v = n;
        return assign_convert(e, v, want, a, err);
      }
      default: break;
    }
  }
  if (want == ED_T_DOUBLE && (from == ED_T_BIGINT || from == ED_T_BOOL)) {
    v->u.d = from == ED_T_BOOL ? (v->u.b ? 1.0 : 0.0) : (double)v->u.i;
    v->type = want;
    return 0;
  }
  if (want == ED_T_BIGINT && from == ED_T_DOUBLE) {
    int64_t i;
    if (!double_to_bigint(v->u.d, &i)) {
      char buf[32];
      ed_format_double(v->u.d, buf);
      return cerr(err, e, "value %s does not fit in a BIGINT column", buf);
    }
    v->u.i = i;
    v->type = want;
    return 0;
  }
  if (want == ED_T_BIGINT && from == ED_T_BOOL) {
    v->u.i = v->u.b;
    v->type = want;
    return 0;
  }
  if (want == ED_T_BOOL && (from == ED_T_BIGINT || from == ED_T_DOUBLE)) {
    double d = from == ED_T_BIGINT ? (double)v->u.i : v->u.d;
    if (d != 0 && d != 1)
      return cerr(err, e, "value does not fit in a BOOLEAN column (only 0 "
                          "and 1 convert)");
    v->u.b = d == 1;
    v->type = want;
    return 0;
  }
  return cerr(err, e, "cannot assign a %s value to a %s column",
              ed_type_name(from), ed_type_name(want));
}

int ed_bind_constant(const EdAstExpr *e, EdType want, EdArena *arena,
                     EdValue *out, EdError *err) {
  EdBinder b = {.arena = arena, .err = err};
  EdScope empty = {{0, NULL}, NULL};
  EdBindCtx c;
  memset(&c, 0, sizeof c);
  c.b = &b;
  c.scope = &empty;
  c.clause = "VALUES";
  EdExpr *x = ed_bind_expr(&c, e);
  if (!x) return -1;
  if (x->kind == EXPR_CONST && x->type == ED_T_VARCHAR && !x->value.is_null &&
      (want == ED_T_TIMESTAMP || want == ED_T_INTERVAL)) {
    x = ed_bind_convert_literal(&c, x, want, e->pos);
    if (!x) return -1;
  }
  x = ed_fold_expr(arena, x);
  EdValue v;
  if (x->kind == EXPR_CONST) {
    v = x->value;
  } else if (ed_eval_const(x, arena, &v, err) != 0) {
    err->kind = ED_ERR_BIND;
    err->pos = e->pos;
    return -1;
  }
  if (assign_convert(e, &v, want, arena, err) != 0) return -1;
  *out = v;
  return 0;
}
