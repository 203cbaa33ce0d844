/*
** exec/expr_arith.c — arithmetic (+ - * / %), unary minus and || kernels.
**
** Types: DOUBLE arithmetic is IEEE; BIGINT, TIMESTAMP and INTERVAL share
** the int64 kernels (ts + interval, ts - ts, interval * n, ...).  Integer
** division truncates toward zero and % takes the dividend's sign, as C and
** SQLite do.  x / 0 and x % 0 are NULL (SQLite); a DOUBLE result that is
** NaN (inf - inf) is NULL too (SQLite).  Int64 overflow in + - * and
** INT64_MIN / -1 is an execution error naming the operator and operands
** (standard SQL; SQLite would silently switch to REAL).  DOUBLE % is fmod
** (standard SQL, Spark, DuckDB: 5.5 % 2 = 1.5), where SQLite would cast
** both operands to integers first (5.5 % 2 = 1.0).
**
** Each kernel is one loop per (operation, type, vector/scalar operands,
** selection or not), free of branches on the data: overflow and division by
** zero only set flags while the loop runs; a second pass, run only when a
** flag is up, finds the offending rows (skipping NULL rows, whose data is
** garbage) to raise the error or clear their validity.
*/
/* The build's -O2 uses GCC's "very cheap" vectorizer cost model, which
** leaves loops whose trip count is only known at run time scalar; these
** loops are the inner loops of every query, so let GCC weigh them. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif
#include <math.h>
#include <stdio.h>

#include "exec/expr_internal.h"

enum { V_I64 = 1, V_F64 = 2 };

static const char *op_text(int op) {
  switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    default: return "?";
  }
}

int ev_overflow(EvRun *r, EdType t, const char *op, int64_t x, int64_t y) {
  return ed_exec_error(r->ctx, "%s overflow in %lld %s %lld", ed_type_name(t),
                       (long long)x, op, (long long)y);
}

/* The operand type an int64-class operand written as text is read as. */
static EdType text_operand_type(EdType result, EdType other) {
  if (result == ED_T_TIMESTAMP)
    return other == ED_T_TIMESTAMP ? ED_T_INTERVAL : ED_T_TIMESTAMP;
  return other == ED_T_TIMESTAMP ? ED_T_TIMESTAMP : ED_T_INTERVAL;
}

void ev_prep_arith(EdEvaluator *ev, EvNode *nd) {
  EvClass c = ev_class(nd->type);
  if (c == EV_C_F64) {
    for (int k = 0; k < 2; k++)
      nd->args[k] = ev_coerce(ev, nd->args[k], ED_T_DOUBLE);
    nd->variant = V_F64;
    return;
  }
  if (c != EV_C_I64) {
    ev_prep_error(ev, nd, "operator %s cannot produce %s", op_text(nd->op),
                  ed_type_name(nd->type));
    return;
  }
  for (int k = 0; k < 2; k++) {
    EdType t = nd->args[k]->type, other = nd->args[1 - k]->type;
    if (nd->type == ED_T_BIGINT) {
      nd->args[k] = ev_coerce(ev, nd->args[k], ED_T_BIGINT);
    } else if (t == ED_T_VARCHAR) {
      nd->args[k] = ev_coerce(ev, nd->args[k], text_operand_type(nd->type, other));
    } else if (t == ED_T_NULL) {
      nd->args[k] = ev_coerce(ev, nd->args[k], ED_T_BIGINT);
    } else if (ev_class(t) != EV_C_I64) {
      ev_prep_error(ev, nd, "operator %s cannot combine %s and %s",
                    op_text(nd->op), ed_type_name(nd->args[0]->type),
                    ed_type_name(nd->args[1]->type));
      return;
    }
  }
  nd->variant = V_I64;
}

/* ------------------------------------------------------------ int64 */

/* Wrapping operations that record overflow in the sign bit of acc. */
#define I64_ADD(x, y)                                                     \
  ({ int64_t x1 = (x), y1 = (y);                                          \
     int64_t r1 = (int64_t)((uint64_t)x1 + (uint64_t)y1);                 \
     acc |= (uint64_t)((x1 ^ r1) & (y1 ^ r1)); r1; })
#define I64_SUB(x, y)                                                     \
  ({ int64_t x1 = (x), y1 = (y);                                          \
     int64_t r1 = (int64_t)((uint64_t)x1 - (uint64_t)y1);                 \
     acc |= (uint64_t)((x1 ^ y1) & (x1 ^ r1)); r1; })
#define I64_MUL(x, y)                                                     \
  ({ int64_t r1;                                                          \
     acc |= (uint64_t)__builtin_mul_overflow((x), (y), &r1) << 63; r1; })
/* Division: a zero or -1 divisor is replaced by 1 so that the machine
** division never traps; zero divisors are flagged (NULL results), -1
** negates (INT64_MIN / -1 flagged as overflow). */
#define I64_DIV(x, y)                                                     \
  ({ int64_t x1 = (x), y1 = (y);                                          \
     int z1 = y1 == 0, m1 = y1 == -1;                                     \
     zero |= (uint64_t)z1;                                                \
     acc |= (uint64_t)(m1 & (x1 == INT64_MIN)) << 63;                     \
     int64_t q1 = x1 / ((z1 | m1) ? 1 : y1);                              \
     m1 ? (int64_t)(0 - (uint64_t)x1) : q1; })
#define I64_MOD(x, y)                                                     \
  ({ int64_t y1 = (y);                                                    \
     zero |= (uint64_t)(y1 == 0);                                         \
     (x) % ((y1 == 0 || y1 == -1) ? 1 : y1); })

/* Finds the first non-NULL active row whose operation overflows and raises
** the error; returns 0 if the flag came only from NULL rows. */
static int i64_find_overflow(EvRun *r, EvNode *nd, EvOpnd A, EvOpnd B,
                             const uint16_t *sel, int n) {
  const uint64_t *vw = nd->dst->validity;
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    int64_t x = A.s ? A.s->u.i : ED_VEC_I64(A.v)[i];
    int64_t y = B.s ? B.s->u.i : ED_VEC_I64(B.v)[i];
    int64_t t;
    bool ovf = false;
    switch (nd->op) {
      case OP_ADD: ovf = __builtin_add_overflow(x, y, &t); break;
      case OP_SUB: ovf = __builtin_sub_overflow(x, y, &t); break;
      case OP_MUL: ovf = __builtin_mul_overflow(x, y, &t); break;
      case OP_DIV: ovf = x == INT64_MIN && y == -1; break;
      default: break;
    }
    if (ovf) return ev_overflow(r, nd->type, op_text(nd->op), x, y);
  });
  return 0;
}

/* Clears the validity of rows whose divisor is zero. */
static void null_zero_divisors(EdVector *dst, EvOpnd B, const uint16_t *sel,
                               int n, bool f64) {
  uint64_t *vw = dst->validity;
  if (f64) {
    const double *b = ED_VEC_F64(B.v);
    EV_FOR_ROWS(sel, n, if (b[i] == 0.0) ev_bit_set(vw, i, false));
  } else {
    const int64_t *b = ED_VEC_I64(B.v);
    EV_FOR_ROWS(sel, n, if (b[i] == 0) ev_bit_set(vw, i, false));
  }
}

/* Integer division or remainder by a constant divisor: no per-row checks
** unless the divisor is -1. */
static int i64_div_scalar(EvRun *r, EvNode *nd, EvOpnd A, int64_t y,
                          const uint16_t *sel, int n) {
  EdVector *dst = nd->dst;
  int64_t *o = ED_VEC_I64(dst);
  const int64_t *a = ED_VEC_I64(A.v);
  if (y == 0) {
    memset(dst->validity, 0, sizeof(uint64_t) * (size_t)ev_words(sel, n));
    return 0;
  }
  if (nd->op == OP_MOD) {
    if (y == -1) y = 1;   /* x % -1 is 0, and INT64_MIN % -1 would trap */
    EV_FOR_ROWS(sel, n, o[i] = a[i] % y);
    return 0;
  }
  if (y == -1) {
    uint64_t acc = 0;
    EV_FOR_ROWS(sel, n, {
      acc |= (uint64_t)(a[i] == INT64_MIN);
      o[i] = (int64_t)(0 - (uint64_t)a[i]);
    });
    if (acc) {
      const uint64_t *vw = dst->validity;
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i) && a[i] == INT64_MIN)
                              return ev_overflow(r, nd->type, "/", a[i], -1));
    }
    return 0;
  }
  EV_FOR_ROWS(sel, n, o[i] = a[i] / y);
  return 0;
}

/* int64 + - * / % of A and B into nd->dst (validity already set). */
static int run_i64(EvRun *r, EvNode *nd, EvOpnd A, EvOpnd B,
                   const uint16_t *sel, int n) {
  int64_t *o = ED_VEC_I64(nd->dst);
  uint64_t acc = 0, zero = 0;
  switch (nd->op) {
    case OP_ADD: BINARY_SHAPES(int64_t, i, o, A, B, sel, n, I64_ADD); break;
    case OP_SUB: BINARY_SHAPES(int64_t, i, o, A, B, sel, n, I64_SUB); break;
    case OP_MUL: BINARY_SHAPES(int64_t, i, o, A, B, sel, n, I64_MUL); break;
    case OP_DIV:
    case OP_MOD:
      if (B.s) return i64_div_scalar(r, nd, A, B.s->u.i, sel, n);
      if (nd->op == OP_DIV) BINARY_SHAPES(int64_t, i, o, A, B, sel, n, I64_DIV);
      else BINARY_SHAPES(int64_t, i, o, A, B, sel, n, I64_MOD);
      break;
    default: assert(0);
  }
  if ((acc >> 63) && i64_find_overflow(r, nd, A, B, sel, n)) return -1;
  if (zero) null_zero_divisors(nd->dst, B, sel, n, false);
  return 0;
}

/* ----------------------------------------------------------- double */

#define F64_ADD(x, y) ((x) + (y))
#define F64_SUB(x, y) ((x) - (y))
#define F64_MUL(x, y) ((x) * (y))
#define F64_DIV(x, y) ((x) / (y))
#define F64_MOD(x, y) fmod((x), (y))

/* DOUBLE + - * / % of A and B into nd->dst (validity already set). */
static int run_f64(EvNode *nd, EvOpnd A, EvOpnd B, const uint16_t *sel,
                   int n) {
  EdVector *dst = nd->dst;
  double *o = ED_VEC_F64(dst);
  switch (nd->op) {
    case OP_ADD: BINARY_SHAPES(double, d, o, A, B, sel, n, F64_ADD); break;
    case OP_SUB: BINARY_SHAPES(double, d, o, A, B, sel, n, F64_SUB); break;
    case OP_MUL: BINARY_SHAPES(double, d, o, A, B, sel, n, F64_MUL); break;
    case OP_DIV:
    case OP_MOD:
      if (B.s && B.s->u.d == 0.0) {
        memset(dst->validity, 0, sizeof(uint64_t) * (size_t)ev_words(sel, n));
        return 0;
      }
      if (nd->op == OP_DIV) BINARY_SHAPES(double, d, o, A, B, sel, n, F64_DIV);
      else BINARY_SHAPES(double, d, o, A, B, sel, n, F64_MOD);
      if (!B.s) null_zero_divisors(dst, B, sel, n, true);
      break;
    default: assert(0);
  }
  /* NaN (inf - inf, 0 * inf, fmod(inf, y)) becomes NULL. */
  int nan = 0;
  EV_FOR_ROWS(sel, n, nan |= isnan(o[i]));
  if (nan) {
    uint64_t *vw = dst->validity;
    EV_FOR_ROWS(sel, n, if (isnan(o[i])) ev_bit_set(vw, i, false));
  }
  return 0;
}

int ev_run_arith(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0], *b = nd->args[1];
  if (ev_eval(r, a, sel, n) || ev_eval(r, b, sel, n)) return -1;
  EvOpnd A = ev_opnd(a), B = ev_opnd(b);
  if (!ev_valid_and(nd->dst->validity, A, B, ev_words(sel, n))) return 0;
  if (nd->variant == V_F64) return run_f64(nd, A, B, sel, n);
  return run_i64(r, nd, A, B, sel, n);
}

/* ------------------------------------------------------- unary minus */

void ev_prep_neg(EdEvaluator *ev, EvNode *nd) {
  EvClass c = ev_class(nd->type);
  if (c != EV_C_I64 && c != EV_C_F64) {
    ev_prep_error(ev, nd, "unary - cannot produce %s", ed_type_name(nd->type));
    return;
  }
  nd->args[0] = ev_coerce(ev, nd->args[0], nd->type);
  nd->variant = c == EV_C_F64 ? V_F64 : V_I64;
}

int ev_run_neg(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0];
  if (ev_eval(r, a, sel, n)) return -1;
  EdVector *dst = nd->dst;
  ev_valid_copy(dst->validity, ev_opnd(a), ev_words(sel, n));
  if (nd->variant == V_F64) {
    const double *x = ED_VEC_F64(a->res);
    double *o = ED_VEC_F64(dst);
    EV_FOR_ROWS(sel, n, o[i] = -x[i]);
    return 0;
  }
  const int64_t *x = ED_VEC_I64(a->res);
  int64_t *o = ED_VEC_I64(dst);
  uint64_t acc = 0;
  EV_FOR_ROWS(sel, n, {
    acc |= (uint64_t)(x[i] == INT64_MIN);
    o[i] = (int64_t)(0 - (uint64_t)x[i]);
  });
  if (acc) {
    const uint64_t *vw = dst->validity;
    EV_FOR_ROWS(sel, n, if (ev_bit(vw, i) && x[i] == INT64_MIN)
      return ed_exec_error(r->ctx, "%s overflow in -(%lld)",
                           ed_type_name(nd->type), (long long)x[i]));
  }
  return 0;
}

/* ------------------------------------------------------------------ || */

void ev_prep_concat(EdEvaluator *ev, EvNode *nd) {
  if (nd->type != ED_T_VARCHAR) {
    ev_prep_error(ev, nd, "|| cannot produce %s", ed_type_name(nd->type));
    return;
  }
  for (int k = 0; k < nd->nargs; k++)
    nd->args[k] = ev_coerce(ev, nd->args[k], ED_T_VARCHAR);
}

/* NULL || x is NULL (SQL and SQLite).  All results of a batch share one
** arena allocation. */
int ev_run_concat(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0], *b = nd->args[1];
  if (ev_eval(r, a, sel, n) || ev_eval(r, b, sel, n)) return -1;
  EvOpnd A = ev_opnd(a), B = ev_opnd(b);
  EdVector *dst = nd->dst;
  if (!ev_valid_and(dst->validity, A, B, ev_words(sel, n))) return 0;
  const EdStr *as = A.v ? ED_VEC_STR(A.v) : NULL;
  const EdStr *bs = B.v ? ED_VEC_STR(B.v) : NULL;
  EdStr ac = A.s ? A.s->u.s : (EdStr){"", 0};
  EdStr bc = B.s ? B.s->u.s : (EdStr){"", 0};
  const uint64_t *vw = dst->validity;
  EdStr *o = ED_VEC_STR(dst);
  size_t total = 0;
  EV_FOR_ROWS(sel, n, {
    if (ev_bit(vw, i))
      total += (size_t)(as ? as[i].len : ac.len) + (bs ? bs[i].len : bc.len);
  });
  char *p = total ? ed_arena_alloc(r->arena, total) : NULL;
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    EdStr x = as ? as[i] : ac, y = bs ? bs[i] : bc;
    o[i].ptr = p ? p : "";
    o[i].len = x.len + y.len;
    if (x.len) memcpy(p, x.ptr, x.len);
    if (y.len) memcpy(p + x.len, y.ptr, y.len);
    if (p) p += o[i].len;
  });
  return 0;
}
