/*
** exec/expr_internal.h — private interface between the files of the
** expression evaluator (expr_eval.c, expr_arith.c, expr_compare.c,
** expr_cast.c, functions.c, func_string.c, func_time.c, expr_subquery.c).
**
** ed_eval_new() turns a bound EdExpr tree into a tree of EvNodes.  Each
** node owns a result vector (allocated once), has its children's types
** coerced to what its kernel expects (inserting cast nodes where the binder
** left types mixed), and picks its kernel once.  A node whose children are
** all constants is evaluated once at preparation and becomes a constant
** ("folding"); so kernels see at most one constant operand, which they read
** as a scalar instead of a vector (while folding, constant operands are
** presented as one-row vectors).
**
** Evaluation of a node covers the rows listed by (sel, n) — sel NULL means
** rows 0..n-1 — and writes each result at the row's own position in
** nd->dst; afterwards nd->res points at the result (its own vector, or the
** input column for a column reference).  Rows outside (sel, n) are left
** undefined, so kernels may compute validity a 64-bit word at a time over
** every word up to the last active row.  Data at NULL positions is garbage:
** numeric kernels may compute on it (never trapping), string kernels must
** test validity before touching bytes.
*/
#ifndef ED_EXPR_INTERNAL_H
#define ED_EXPR_INTERNAL_H

#include <assert.h>
#include <string.h>

#include "exec/expr_eval.h"

/* Runs the statement given as the last argument once per active row, with
** `i` bound to the row's position (variadic so that the body may contain
** commas). */
#define EV_FOR_ROWS(sel, n, ...)                                        \
  do {                                                                   \
    if (sel) {                                                           \
      for (int k_ = 0; k_ < (n); k_++) {                                 \
        const int i = (sel)[k_];                                         \
        __VA_ARGS__;                                                     \
      }                                                                  \
    } else {                                                             \
      for (int i = 0; i < (n); i++) {                                    \
        __VA_ARGS__;                                                     \
      }                                                                  \
    }                                                                    \
  } while (0)

typedef struct EvNode EvNode;

/* One call of ed_eval_run / ed_eval_filter. */
typedef struct EvRun {
  EdExecCtx *ctx;
  const EdBatch *in;
  EdArena *arena;        /* where produced strings go */
  int64_t now_us;        /* value of now() */
} EvRun;

struct EvNode {
  EdExprKind kind;
  int op;                /* EdAstOp, EdFunc, or field number */
  EdType type;           /* result type */
  bool negated, has_else;
  int nargs;
  EvNode **args;
  int col;               /* EXPR_COLREF */
  bool is_const;         /* every row's result is cval (folded) */
  bool as_vector;        /* constant read through its vector (folding) */
  EdValue cval;
  bool has_now;          /* subtree reads now(): never folded */
  int variant;           /* kernel picked at preparation */
  const char *err;       /* error found at preparation; raised if evaluated */
  EdVector vec;          /* own result storage (data NULL when none) */
  EdVector *dst;         /* where the node writes: &vec or the caller's out */
  const EdVector *res;   /* result of the last evaluation */
  uint16_t *sel1, *sel2, *sel3;   /* sub-selections (CASE, AND, ...) */
  EdVector aux;          /* extra scratch vector of some kinds */
  void *priv;            /* prepared data (IN set, LIKE pattern, unit) */
};

struct EvSubq;

struct EdEvaluator {
  EdExecCtx *ctx;
  EdArena mem;           /* nodes, vectors, folded strings */
  EdArena tmp;           /* strings made by a filter's predicate */
  int cap;               /* rows a scratch vector holds */
  EvNode *root;
  struct EvSubq *subqs;  /* states of the subquery nodes, released when the
                            evaluator is freed (expr_subquery.c) */
};

/* Storage classes: how a type's values are laid out in a vector. */
typedef enum EvClass { EV_C_NULL, EV_C_BOOL, EV_C_I64, EV_C_F64, EV_C_STR,
                       EV_C_WIN } EvClass;

static inline EvClass ev_class(EdType t) {
  switch (t) {
    case ED_T_BOOL: return EV_C_BOOL;
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: return EV_C_I64;
    case ED_T_DOUBLE: return EV_C_F64;
    case ED_T_VARCHAR: return EV_C_STR;
    case ED_T_WINDOW: return EV_C_WIN;
    default: return EV_C_NULL;
  }
}

/* An operand of a kernel: a vector, or a scalar (a folded constant). */
typedef struct EvOpnd {
  const EdVector *v;     /* NULL for a scalar */
  const EdValue *s;
} EvOpnd;

static inline EvOpnd ev_opnd(const EvNode *nd) {
  EvOpnd o = {NULL, NULL};
  if (nd->is_const && !nd->as_vector) o.s = &nd->cval;
  else o.v = nd->res;
  return o;
}

/* Stores F(x, y) for every active row into o, over the three operand
** shapes: vector-vector, vector-scalar, scalar-vector (two scalars are
** always folded away).  T is the C type, SCALAR the EdValue union member. */
#define BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F)                      \
  do {                                                                   \
    if (!(A).s && !(B).s) {                                              \
      const T *a_ = (const T *)(A).v->data, *b_ = (const T *)(B).v->data; \
      EV_FOR_ROWS(sel, n, (o)[i] = F(a_[i], b_[i]));                     \
    } else if ((B).s) {                                                  \
      const T *a_ = (const T *)(A).v->data;                              \
      const T y_ = (B).s->u.SCALAR;                                      \
      EV_FOR_ROWS(sel, n, (o)[i] = F(a_[i], y_));                        \
    } else {                                                             \
      const T x_ = (A).s->u.SCALAR;                                      \
      const T *b_ = (const T *)(B).v->data;                              \
      EV_FOR_ROWS(sel, n, (o)[i] = F(x_, b_[i]));                        \
    }                                                                    \
  } while (0)

/* The operand of a node made a vector by ev_need_vector (or computed). */
static inline EvOpnd ev_opnd_vec(const EvNode *nd) {
  EvOpnd o = {nd->res, NULL};
  return o;
}

/* ---------------------------------------------------- validity helpers */

static inline bool ev_bit(const uint64_t *w, int i) {
  return (w[i >> 6] >> (i & 63)) & 1;
}
static inline void ev_bit_set(uint64_t *w, int i, bool on) {
  uint64_t m = (uint64_t)1 << (i & 63);
  w[i >> 6] = (w[i >> 6] & ~m) | ((uint64_t)on << (i & 63));
}

/* Bit j set when the BOOLEAN byte d[j] is non-zero, for j < cnt <= 64:
** eight bytes at a time, each folded to 0/1 and gathered by a multiply
** (byte k lands on bit 56 + k; distinct partial products never carry). */
static inline uint64_t ev_pack_bools(const uint8_t *d, int cnt) {
  uint64_t bits = 0;
  int j = 0;
  for (; j + 8 <= cnt; j += 8) {
    uint64_t x;
    memcpy(&x, d + j, 8);
    x |= x >> 4;   /* bit 0 of each byte becomes the OR of its bits */
    x |= x >> 2;
    x |= x >> 1;
    x &= UINT64_C(0x0101010101010101);
    bits |= ((x * UINT64_C(0x0102040810204080)) >> 56) << j;
  }
  for (; j < cnt; j++) bits |= (uint64_t)(d[j] != 0) << j;
  return bits;
}

/* Appends base + (position of each set bit of bits) to out; returns the
** new count. */
static inline int ev_emit_bits(uint64_t bits, int base, uint16_t *out, int m) {
  if (bits == ~(uint64_t)0) {   /* common in selective-free filters */
    for (int j = 0; j < 64; j++) out[m + j] = (uint16_t)(base + j);
    return m + 64;
  }
  while (bits) {
    out[m++] = (uint16_t)(base + __builtin_ctzll(bits));
    bits &= bits - 1;
  }
  return m;
}

/* Mask of the first cnt bits of a word. */
static inline uint64_t ev_low_bits(int cnt) {
  return cnt >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << cnt) - 1;
}

/* Number of validity words covering the active rows (n > 0). */
static inline int ev_words(const uint16_t *sel, int n) {
  int hi = sel ? sel[n - 1] + 1 : n;
  return (hi + 63) >> 6;
}

/* Result validity of an operator that is NULL when any operand is NULL:
** the AND of the operands' words.  Returns false when every row is NULL
** (a NULL scalar), so the caller can skip the computation. */
bool ev_valid_and(uint64_t *r, EvOpnd a, EvOpnd b, int nw);
/* Same for one operand. */
bool ev_valid_copy(uint64_t *r, EvOpnd a, int nw);

/* ------------------------------------------------- shared preparation */

EvNode *ev_node_new(EdEvaluator *ev, EdExprKind kind, EdType type, int nargs);
/* Returns a node giving child's values as type want: child itself, a
** retyped NULL constant, or a (folded when constant) cast node. */
EvNode *ev_coerce(EdEvaluator *ev, EvNode *child, EdType want);
/* Makes a constant child readable as a vector (fills every row). */
void ev_need_vector(EdEvaluator *ev, EvNode *nd);
/* Allocates a vector of type t with ev->cap rows in the evaluator. */
void ev_vec_alloc(EdEvaluator *ev, EdVector *v, EdType t);
uint16_t *ev_sel_alloc(EdEvaluator *ev);
void *ev_alloc(EdEvaluator *ev, size_t n);
/* Records a preparation error (formatted into the evaluator's memory). */
void ev_prep_error(EdEvaluator *ev, EvNode *nd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Common type two operands are compared in (ED_T_NULL if none). */
EdType ev_common_type(EdType a, EdType b);

/* Reads row i of v as a value (strings not copied). */
void ev_vec_get(const EdVector *v, int i, EdValue *out);
/* Writes value x (of v's type, or NULL) at every active row of v. */
void ev_fill(EdVector *v, const EdValue *x, const uint16_t *sel, int n);
/* Copies the active rows of src (vector or scalar) into dst: values and
** validity, row by row (dst's other rows are untouched). */
void ev_copy_rows(EdVector *dst, EvOpnd src, const uint16_t *sel, int n);
/* Makes nd's result that of its operand a (same type): a's vector, or a's
** constant written into nd's own vector. */
void ev_pass_through(EvNode *nd, const EvNode *a, const uint16_t *sel, int n);
/* Splits the active rows by a BOOLEAN vector: rows where it is TRUE go to
** yes (count returned), the others (FALSE or NULL) to no (*nno). */
int ev_split_true(const EdVector *b, const uint16_t *sel, int n,
                  uint16_t *yes, uint16_t *no, int *nno);

/* Evaluates nd over the active rows (sel, n); sets nd->res. */
int ev_eval(EvRun *r, EvNode *nd, const uint16_t *sel, int n);

/* ------------------------------------------------------ kind modules */

/* Arithmetic (+ - * / %), unary minus, || (expr_arith.c). */
void ev_prep_arith(EdEvaluator *ev, EvNode *nd);
int ev_run_arith(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_neg(EdEvaluator *ev, EvNode *nd);
int ev_run_neg(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_concat(EdEvaluator *ev, EvNode *nd);
int ev_run_concat(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
/* Reports a BIGINT-class overflow of x op y (op a C string like "+"). */
int ev_overflow(EvRun *r, EdType t, const char *op, int64_t x, int64_t y);

/* Comparisons, IS [NOT], IN, LIKE (expr_compare.c). */
void ev_prep_compare(EdEvaluator *ev, EvNode *nd);
int ev_run_compare(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
/* dst = (a op b) for a comparison op, NULL when either is NULL.  a and b
** have the same storage class, or are BIGINT/DOUBLE mixed. */
void ev_compare(int op, EvOpnd a, EvOpnd b, EdVector *dst,
                const uint16_t *sel, int n);
void ev_prep_in(EdEvaluator *ev, EvNode *nd);
int ev_run_in(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_like(EdEvaluator *ev, EvNode *nd);
int ev_run_like(EvRun *r, EvNode *nd, const uint16_t *sel, int n);

/* CAST (expr_cast.c). */
void ev_prep_cast(EdEvaluator *ev, EvNode *nd);
int ev_run_cast(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
/* Strict text-to-number parsers shared with functions (trim blanks). */
bool ev_parse_i64(const char *s, size_t n, int64_t *out);
bool ev_parse_f64(const char *s, size_t n, double *out);

/* Scalar functions (functions.c dispatches to func_*.c). */
void ev_prep_func(EdEvaluator *ev, EvNode *nd);
int ev_run_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_string_func(EdEvaluator *ev, EvNode *nd);
int ev_run_string_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_time_func(EdEvaluator *ev, EvNode *nd);
int ev_run_time_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
/* Current wall-clock time in microseconds since the epoch. */
int64_t ev_clock_now(void);

/* Subqueries (expr_subquery.c).  The node of an EXPR_SUBQUERY e (its
** arguments already prepared) and of an EXPR_OUTER_REF; neither is ever a
** constant.  ev_release_subqueries lets go of the result caches the
** evaluator's subquery nodes share. */
void ev_prep_subquery(EdEvaluator *ev, EvNode *nd, const EdExpr *e);
int ev_run_subquery(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_prep_outer_ref(EdEvaluator *ev, EvNode *nd);
int ev_run_outer_ref(EvRun *r, EvNode *nd, const uint16_t *sel, int n);
void ev_release_subqueries(EdEvaluator *ev);

#endif
