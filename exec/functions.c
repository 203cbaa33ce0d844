/*
** exec/functions.c — scalar functions: the dispatcher over EdFunc, the
** numeric functions (abs, round, floor, ceil) and the NULL-handling ones
** (coalesce, nullif).  String functions are in func_string.c, time and
** window functions in func_time.c.
**
** round(x, n) rounds half away from zero at the n-th decimal as the value
** reads in decimal (round(2.675, 2) = 2.68 although the double 2.675 is
** slightly below it), which is what SQLite computes; n is clamped to
** [0, 30] as SQLite does.  round, floor and ceil of a BIGINT are the
** BIGINT itself; of a DOUBLE they are DOUBLEs, or BIGINTs when the binder
** typed the call BIGINT.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "exec/expr_internal.h"

enum { V_IDENT = 1, V_I64 = 2, V_F64 = 3, V_F64_TO_I64 = 4 };

/* ------------------------------------------------------------ numeric */

static void prep_numeric(EdEvaluator *ev, EvNode *nd) {
  EvClass c = ev_class(nd->type);
  EvNode *x = nd->args[0];
  if (c != EV_C_I64 && c != EV_C_F64) {
    ev_prep_error(ev, nd, "numeric function cannot produce %s",
                  ed_type_name(nd->type));
    return;
  }
  if (nd->op == FN_ROUND && nd->nargs > 1)
    nd->args[1] = ev_coerce(ev, nd->args[1], ED_T_BIGINT);
  if (nd->op == FN_ABS) {
    nd->args[0] = ev_coerce(ev, x, nd->type);
    nd->variant = c == EV_C_F64 ? V_F64 : V_I64;
  } else if (c == EV_C_I64 && x->type == ED_T_DOUBLE) {
    nd->variant = V_F64_TO_I64;   /* round / floor / ceil typed BIGINT */
  } else {
    nd->args[0] = ev_coerce(ev, x, nd->type);
    nd->variant = c == EV_C_F64 ? V_F64 : V_IDENT;
  }
  /* round(2.5, d) with a column d: read every operand as a vector. */
  for (int k = 0; k < nd->nargs; k++) ev_need_vector(ev, nd->args[k]);
}

/* Rounds |x| <= 2^52 to nd decimals (nd in 1..30), half away from zero,
** on x's 15-significant-digit decimal form (SQLite, too, rounds the
** decimal digits it prints, and keeps no more than 15 or 16 of them; when
** more decimals than that are asked for, the two may differ in the last
** bit). */
static double round_decimal(double x, int nd) {
  char buf[40];
  snprintf(buf, sizeof buf, "%.14e", fabs(x));   /* d.dddddddddddddde+XX */
  char digits[17];
  digits[0] = buf[0];
  memcpy(digits + 1, buf + 2, 14);
  int e10 = atoi(buf + 17);
  int keep = e10 + 1 + nd;   /* digits left of the rounding position */
  if (keep >= 15) keep = 15; /* finer than 15 digits: x as 15 digits */
  if (keep < 0) return copysign(0.0, x);
  /* Mantissa = first `keep` digits, plus one if the next digit is >= 5. */
  char m[20];
  int len = 0;
  for (int k = 0; k < keep; k++) m[len++] = digits[k];
  bool up = keep < 15 && digits[keep] >= '5';
  if (up) {
    int k = len - 1;
    while (k >= 0 && m[k] == '9') m[k--] = '0';
    if (k >= 0) {
      m[k]++;
    } else {
      memmove(m + 1, m, (size_t)len);
      m[0] = '1';
      len++;
      e10++;   /* 999.. rolled over: one more digit before the exponent */
      keep++;
    }
  }
  if (len == 0) return copysign(0.0, x);
  m[len] = '\0';
  /* value = m * 10^(e10 + 1 - keep) */
  char out[48];
  snprintf(out, sizeof out, "%se%d", m, e10 + 1 - keep);
  return copysign(strtod(out, NULL), x);
}

/* round(x, nd) with SQLite's clamping of nd and of large values. */
static double round_sqlite(double x, int64_t nd) {
  if (nd > 30) nd = 30;
  if (nd < 0) nd = 0;
  if (x < -4503599627370496.0 || x > 4503599627370496.0) return x;
  if (nd == 0) return (double)(int64_t)(x + (x < 0 ? -0.5 : 0.5));
  return round_decimal(x, (int)nd);
}

/* abs, round, floor, ceil over the active rows. */
static int run_numeric(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  for (int k = 0; k < nd->nargs; k++)
    if (ev_eval(r, nd->args[k], sel, n)) return -1;
  EdVector *dst = nd->dst;
  EvOpnd X = ev_opnd_vec(nd->args[0]);
  EvOpnd D = nd->nargs > 1 ? ev_opnd_vec(nd->args[1]) : X;
  if (!ev_valid_and(dst->validity, X, D, ev_words(sel, n))) return 0;
  const uint64_t *vw = dst->validity;
  if (nd->op == FN_ABS) {
    if (nd->variant == V_F64) {
      const double *x = ED_VEC_F64(X.v);
      double *o = ED_VEC_F64(dst);
      EV_FOR_ROWS(sel, n, o[i] = fabs(x[i]));
      return 0;
    }
    const int64_t *x = ED_VEC_I64(X.v);
    int64_t *o = ED_VEC_I64(dst);
    uint64_t acc = 0;
    EV_FOR_ROWS(sel, n, {
      acc |= (uint64_t)(x[i] == INT64_MIN);
      o[i] = x[i] < 0 ? (int64_t)(0 - (uint64_t)x[i]) : x[i];
    });
    if (acc)
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i) && x[i] == INT64_MIN)
        return ed_exec_error(r->ctx, "%s overflow in abs(%lld)",
                             ed_type_name(nd->type), (long long)x[i]));
    return 0;
  }
  if (nd->variant == V_IDENT) {
    const int64_t *x = ED_VEC_I64(X.v);
    int64_t *o = ED_VEC_I64(dst);
    EV_FOR_ROWS(sel, n, o[i] = x[i]);
    return 0;
  }
  const double *x = ED_VEC_F64(X.v);
  double *od = ED_VEC_F64(dst);
  if (nd->op == FN_ROUND) {
    const int64_t *dv = nd->nargs > 1 ? ED_VEC_I64(D.v) : NULL;
    EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))
                            od[i] = round_sqlite(x[i], dv ? dv[i] : 0));
  } else if (nd->op == FN_FLOOR) {
    EV_FOR_ROWS(sel, n, od[i] = floor(x[i]));
  } else {
    EV_FOR_ROWS(sel, n, od[i] = ceil(x[i]));
  }
  if (nd->variant == V_F64_TO_I64) {
    /* The doubles were computed in place; convert them to BIGINT. */
    int64_t *oi = ED_VEC_I64(dst);
    EV_FOR_ROWS(sel, n, {
      if (!ev_bit(vw, i)) continue;
      double v = od[i];
      if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
        return ed_exec_error(r->ctx, "DOUBLE value %.17g is out of range for "
                             "BIGINT", v);
      oi[i] = (int64_t)v;
    });
  }
  return 0;
}

/* ------------------------------------------------------------ coalesce */

static void prep_coalesce(EdEvaluator *ev, EvNode *nd) {
  for (int k = 0; k < nd->nargs; k++)
    nd->args[k] = ev_coerce(ev, nd->args[k], nd->type);
  nd->sel1 = ev_sel_alloc(ev);
  nd->sel2 = ev_sel_alloc(ev);
}

/* Each argument is evaluated only on the rows still NULL. */
static int run_coalesce(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  const uint16_t *cur = sel;
  int ncur = n;
  uint16_t *bufs[2] = {nd->sel1, nd->sel2};
  EdVector *dst = nd->dst;
  for (int k = 0; k < nd->nargs && ncur > 0; k++) {
    EvNode *a = nd->args[k];
    if (ev_eval(r, a, cur, ncur)) return -1;
    EvOpnd A = ev_opnd(a);
    ev_copy_rows(dst, A, cur, ncur);
    if (A.s) {
      if (!A.s->is_null) return 0;
      continue;
    }
    uint16_t *next = bufs[k & 1];
    int m = 0;
    const uint64_t *aw = A.v->validity;
    EV_FOR_ROWS(cur, ncur, {
      next[m] = (uint16_t)i;
      m += !ev_bit(aw, i);
    });
    cur = next;
    ncur = m;
  }
  return 0;
}

/* -------------------------------------------------------------- nullif */

static void prep_nullif(EdEvaluator *ev, EvNode *nd) {
  nd->args[0] = ev_coerce(ev, nd->args[0], nd->type);
  EdType ta = nd->args[0]->type, tb = nd->args[1]->type;
  bool mixed = (ta == ED_T_BIGINT && tb == ED_T_DOUBLE) ||
               (ta == ED_T_DOUBLE && tb == ED_T_BIGINT);
  if (!mixed && ta != tb) {
    EdType t = ev_common_type(ta, tb);
    if (t != ta && tb != ED_T_NULL) {
      ev_prep_error(ev, nd, "nullif cannot compare %s with %s",
                    ed_type_name(ta), ed_type_name(tb));
      return;
    }
    nd->args[1] = ev_coerce(ev, nd->args[1], ta);
  }
  ev_vec_alloc(ev, &nd->aux, ED_T_BOOL);
  /* Both operands as vectors, so that two constants (one made of now())
  ** still compare. */
  ev_need_vector(ev, nd->args[0]);
  ev_need_vector(ev, nd->args[1]);
}

/* nullif(a, b): a, or NULL where a = b. */
static int run_nullif(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0], *b = nd->args[1];
  if (ev_eval(r, a, sel, n) || ev_eval(r, b, sel, n)) return -1;
  EvOpnd A = ev_opnd_vec(a), B = ev_opnd_vec(b);
  ev_compare(OP_EQ, A, B, &nd->aux, sel, n);
  ev_copy_rows(nd->dst, A, sel, n);
  const uint8_t *eq = ED_VEC_BOOL(&nd->aux);
  const uint64_t *ew = nd->aux.validity;
  uint64_t *vw = nd->dst->validity;
  EV_FOR_ROWS(sel, n, if (ev_bit(ew, i) && eq[i]) ev_bit_set(vw, i, false));
  return 0;
}

/* ---------------------------------------------------------- dispatcher */

void ev_prep_func(EdEvaluator *ev, EvNode *nd) {
  switch (nd->op) {
    case FN_ABS: case FN_ROUND: case FN_FLOOR: case FN_CEIL:
      if (nd->nargs < 1) break;
      prep_numeric(ev, nd);
      return;
    case FN_LOWER: case FN_UPPER: case FN_LENGTH: case FN_SUBSTR:
    case FN_TRIM: case FN_LTRIM: case FN_RTRIM:
      ev_prep_string_func(ev, nd);
      return;
    case FN_COALESCE:
      if (nd->nargs < 1) break;
      prep_coalesce(ev, nd);
      return;
    case FN_NULLIF:
      if (nd->nargs != 2) break;
      prep_nullif(ev, nd);
      return;
    case FN_NOW: case FN_TO_TIMESTAMP: case FN_DATE_TRUNC: case FN_WINDOW:
    case FN_SESSION_WINDOW:
      ev_prep_time_func(ev, nd);
      return;
    case FN_SPLIT:
      ev_prep_error(ev, nd, "split() is only valid as the argument of "
                    "explode()");
      return;
    default:
      break;
  }
  ev_prep_error(ev, nd, "unsupported function call (function %d with %d "
                "arguments)", nd->op, nd->nargs);
}

int ev_run_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  switch (nd->op) {
    case FN_ABS: case FN_ROUND: case FN_FLOOR: case FN_CEIL:
      return run_numeric(r, nd, sel, n);
    case FN_LOWER: case FN_UPPER: case FN_LENGTH: case FN_SUBSTR:
    case FN_TRIM: case FN_LTRIM: case FN_RTRIM:
      return ev_run_string_func(r, nd, sel, n);
    case FN_COALESCE:
      return run_coalesce(r, nd, sel, n);
    case FN_NULLIF:
      return run_nullif(r, nd, sel, n);
    default:
      return ev_run_time_func(r, nd, sel, n);
  }
}
