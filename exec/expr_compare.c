/*
** exec/expr_compare.c — comparisons (= <> < <= > >=), null-safe IS / IS
** NOT, IN lists and LIKE.
**
** Order: numbers numerically (BIGINT against DOUBLE exactly, as SQLite
** does, even beyond 2^53); VARCHAR byte-wise then by length (SQLite's BINARY
** collation); FALSE < TRUE; TIMESTAMP and INTERVAL as int64; WINDOW by
** start then end.  A NULL operand gives NULL, except for IS / IS NOT.
**
** IN follows SQL: x IN (..) is TRUE if some item equals x, else NULL if x
** or some item is NULL, else FALSE; NOT IN negates (NULL stays NULL).  A
** list of constants is prepared once as a sorted array searched per row.
**
** LIKE follows SQLite's default: % matches any run of characters, _ one
** UTF-8 character, ASCII letters match case-insensitively (other characters
** exactly), ESCAPE names a single character that makes the next pattern
** character literal.  Constant patterns of the forms 'abc', 'abc%', '%abc'
** and '%abc%' skip the general matcher.
*/
/* The build's -O2 uses GCC's "very cheap" vectorizer cost model, which
** leaves loops whose trip count is only known at run time scalar; these
** loops are the inner loops of every query, so let GCC weigh them. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif
#include <stdlib.h>

#include "exec/expr_internal.h"

/* ----------------------------------------------------------- ordering */

static inline int str_cmp(EdStr a, EdStr b) {
  uint32_t m = a.len < b.len ? a.len : b.len;
  int c = m ? memcmp(a.ptr, b.ptr, m) : 0;
  if (c) return c;
  return (a.len > b.len) - (a.len < b.len);
}

/* Byte equality of two strings. */
static inline bool str_eq(EdStr a, EdStr b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Three-way order of windows: by start, then by end. */
static inline int win_cmp(EdWindow a, EdWindow b) {
  if (a.start != b.start) return a.start < b.start ? -1 : 1;
  return (a.end > b.end) - (a.end < b.end);
}

/* Exact comparison of an integer with a double. */
static inline int cmp_i64_f64(int64_t x, double y) {
  if (y < -9223372036854775808.0) return 1;
  if (y >= 9223372036854775808.0) return -1;
  int64_t t = (int64_t)y;   /* y truncated; in range, so exact */
  if (x != t) return x < t ? -1 : 1;
  double xd = (double)x;    /* x == trunc(y): only a fraction can differ */
  return (xd > y) - (xd < y);
}

#define F_EQ(x, y) ((x) == (y))
#define F_NE(x, y) ((x) != (y))
#define F_LT(x, y) ((x) < (y))
#define F_LE(x, y) ((x) <= (y))
#define F_GT(x, y) ((x) > (y))
#define F_GE(x, y) ((x) >= (y))

/* The six comparisons of a type whose values C compares directly. */
#define NUMERIC_CMP(T, SCALAR, o, op, A, B, sel, n)                       \
  do {                                                                   \
    switch (op) {                                                        \
      case OP_EQ: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_EQ); break; \
      case OP_NE: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_NE); break; \
      case OP_LT: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_LT); break; \
      case OP_LE: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_LE); break; \
      case OP_GT: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_GT); break; \
      case OP_GE: BINARY_SHAPES(T, SCALAR, o, A, B, sel, n, F_GE); break; \
      default: assert(0);                                                \
    }                                                                    \
  } while (0)

/* Applies a comparison op to the sign of a three-way result. */
static inline uint8_t sign_test(int op, int c) {
  switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    default: return c >= 0;
  }
}

/* Comparisons through a three-way function CMP (strings, windows, mixed
** numbers), on non-NULL rows only (NULL strings hold garbage pointers).
** The op is tested inside the loop; the switch is perfectly predicted. */
#define THREEWAY_CMP(TA, TB, SA, SB, o, op, A, B, vw, sel, n, CMP)         \
  do {                                                                   \
    if (!(A).s && !(B).s) {                                              \
      const TA *a_ = (const TA *)(A).v->data;                            \
      const TB *b_ = (const TB *)(B).v->data;                            \
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))                             \
                              (o)[i] = sign_test(op, CMP(a_[i], b_[i]))); \
    } else if ((B).s) {                                                  \
      const TA *a_ = (const TA *)(A).v->data;                            \
      const TB y_ = (B).s->u.SB;                                         \
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))                             \
                              (o)[i] = sign_test(op, CMP(a_[i], y_)));    \
    } else {                                                             \
      const TA x_ = (A).s->u.SA;                                         \
      const TB *b_ = (const TB *)(B).v->data;                            \
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))                             \
                              (o)[i] = sign_test(op, CMP(x_, b_[i])));    \
    }                                                                    \
  } while (0)

#define CMP_F64_I64(x, y) (-cmp_i64_f64((y), (x)))

/* Type of an operand, vector or scalar. */
static EdType opnd_type(EvOpnd o) { return o.v ? o.v->type : o.s->type; }

void ev_compare(int op, EvOpnd A, EvOpnd B, EdVector *dst,
                const uint16_t *sel, int n) {
  uint8_t *o = ED_VEC_BOOL(dst);
  const uint64_t *vw = dst->validity;
  if (!ev_valid_and(dst->validity, A, B, ev_words(sel, n))) return;
  EvClass ca = ev_class(opnd_type(A)), cb = ev_class(opnd_type(B));
  if (ca != cb) {
    if (ca == EV_C_I64 && cb == EV_C_F64)
      THREEWAY_CMP(int64_t, double, i, d, o, op, A, B, vw, sel, n, cmp_i64_f64);
    else if (ca == EV_C_F64 && cb == EV_C_I64)
      THREEWAY_CMP(double, int64_t, d, i, o, op, A, B, vw, sel, n, CMP_F64_I64);
    else
      assert(0 && "comparison of unlike types");
    return;
  }
  switch (ca) {
    case EV_C_BOOL: NUMERIC_CMP(uint8_t, b, o, op, A, B, sel, n); break;
    case EV_C_I64: NUMERIC_CMP(int64_t, i, o, op, A, B, sel, n); break;
    case EV_C_F64: NUMERIC_CMP(double, d, o, op, A, B, sel, n); break;
    case EV_C_STR:
      if (op == OP_EQ || op == OP_NE) {
        uint8_t want = op == OP_EQ;
        if (!A.s && !B.s) {
          const EdStr *a = ED_VEC_STR(A.v), *b = ED_VEC_STR(B.v);
          EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) o[i] = str_eq(a[i], b[i]) == want);
        } else {
          const EdStr *a = ED_VEC_STR(A.s ? B.v : A.v);
          EdStr c = A.s ? A.s->u.s : B.s->u.s;
          EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) o[i] = str_eq(a[i], c) == want);
        }
      } else {
        THREEWAY_CMP(EdStr, EdStr, s, s, o, op, A, B, vw, sel, n, str_cmp);
      }
      break;
    case EV_C_WIN:
      THREEWAY_CMP(EdWindow, EdWindow, w, w, o, op, A, B, vw, sel, n, win_cmp);
      break;
    default: break;
  }
}

void ev_prep_compare(EdEvaluator *ev, EvNode *nd) {
  nd->type = ED_T_BOOL;
  EdType ta = nd->args[0]->type, tb = nd->args[1]->type;
  if (ta == tb) return;
  if ((ta == ED_T_BIGINT && tb == ED_T_DOUBLE) ||
      (ta == ED_T_DOUBLE && tb == ED_T_BIGINT))
    return;   /* compared exactly by the mixed kernels */
  EdType t = ev_common_type(ta, tb);
  if (t == ED_T_NULL) {
    ev_prep_error(ev, nd, "cannot compare %s with %s", ed_type_name(ta),
                  ed_type_name(tb));
    return;
  }
  nd->args[0] = ev_coerce(ev, nd->args[0], t);
  nd->args[1] = ev_coerce(ev, nd->args[1], t);
}

/* Whether row i of an operand is non-NULL. */
static inline bool opnd_valid(EvOpnd o, int i) {
  return o.v ? ev_bit(o.v->validity, i) : !o.s->is_null;
}

int ev_run_compare(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0], *b = nd->args[1];
  if (ev_eval(r, a, sel, n) || ev_eval(r, b, sel, n)) return -1;
  EvOpnd A = ev_opnd(a), B = ev_opnd(b);
  EdVector *dst = nd->dst;
  bool is = nd->op == OP_IS, is_not = nd->op == OP_IS_NOT;
  ev_compare(is || is_not ? OP_EQ : nd->op, A, B, dst, sel, n);
  if (!is && !is_not) return 0;
  /* Null-safe: two NULLs are equal, NULL and a value are not. */
  uint8_t *o = ED_VEC_BOOL(dst);
  uint64_t *vw = dst->validity;
  EV_FOR_ROWS(sel, n, {
    bool av = opnd_valid(A, i), bv = opnd_valid(B, i);
    bool eq = (av && bv) ? o[i] != 0 : (!av && !bv);
    o[i] = eq != is_not;
    ev_bit_set(vw, i, true);
  });
  return 0;
}

/* ---------------------------------------------------------------- IN */

enum { V_IN_SET = 1, V_IN_GENERIC = 2 };

/* The non-NULL constants of a list, sorted when long enough to search. */
typedef struct InSet {
  EvClass cls;
  int n;
  bool has_null;
  bool has_true, has_false;   /* BOOLEAN lists */
  void *vals;
} InSet;

#define IN_LINEAR_MAX 8

/* qsort orders of the IN set's values. */
static int cmp_i64_q(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}
static int cmp_f64_q(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static int cmp_str_q(const void *a, const void *b) {
  return str_cmp(*(const EdStr *)a, *(const EdStr *)b);
}

/* Collects the constant items of an IN node (args[1..]) into a set. */
static InSet *build_set(EdEvaluator *ev, EvNode *nd, EvClass cls) {
  InSet *s = ev_alloc(ev, sizeof *s);
  s->cls = cls;
  int nitems = nd->nargs - 1;
  size_t w = ed_type_width(nd->args[0]->type);
  s->vals = ev_alloc(ev, (w ? w : 8) * (size_t)(nitems ? nitems : 1));
  for (int k = 1; k < nd->nargs; k++) {
    const EdValue *v = &nd->args[k]->cval;
    if (v->is_null) {
      s->has_null = true;
      continue;
    }
    switch (cls) {
      case EV_C_BOOL:
        if (v->u.b) s->has_true = true;
        else s->has_false = true;
        break;
      case EV_C_I64: ((int64_t *)s->vals)[s->n++] = v->u.i; break;
      case EV_C_F64: ((double *)s->vals)[s->n++] = v->u.d; break;
      case EV_C_STR: ((EdStr *)s->vals)[s->n++] = v->u.s; break;
      case EV_C_WIN: ((EdWindow *)s->vals)[s->n++] = v->u.w; break;
      default: break;
    }
  }
  if (s->n > IN_LINEAR_MAX) {
    if (cls == EV_C_I64) qsort(s->vals, (size_t)s->n, 8, cmp_i64_q);
    if (cls == EV_C_F64) qsort(s->vals, (size_t)s->n, 8, cmp_f64_q);
    if (cls == EV_C_STR) qsort(s->vals, (size_t)s->n, sizeof(EdStr), cmp_str_q);
  }
  return s;
}

void ev_prep_in(EdEvaluator *ev, EvNode *nd) {
  nd->type = ED_T_BOOL;
  EdType t = nd->args[0]->type;
  for (int k = 1; k < nd->nargs; k++) {
    EdType u = ev_common_type(t, nd->args[k]->type);
    if (u == ED_T_NULL && nd->args[k]->type != ED_T_NULL && t != ED_T_NULL) {
      ev_prep_error(ev, nd, "cannot compare %s with %s in IN list",
                    ed_type_name(t), ed_type_name(nd->args[k]->type));
      return;
    }
    t = u;
  }
  if (t == ED_T_NULL) t = ED_T_BIGINT;   /* NULL IN (NULL, ...) */
  bool all_const = true;
  for (int k = 0; k < nd->nargs; k++) {
    nd->args[k] = ev_coerce(ev, nd->args[k], t);
    if (k > 0 && !nd->args[k]->is_const) all_const = false;
  }
  if (all_const) {
    nd->priv = build_set(ev, nd, ev_class(t));
    nd->variant = V_IN_SET;
  } else {
    nd->variant = V_IN_GENERIC;
    ev_vec_alloc(ev, &nd->aux, ED_T_BOOL);
    nd->priv = ev_alloc(ev, (size_t)ev->cap);   /* "some item was NULL" */
    for (int k = 0; k < nd->nargs; k++) ev_need_vector(ev, nd->args[k]);
  }
}

/* Membership tests: linear for short lists, binary search otherwise (the
** same code for each fixed-width type, sorted values of type T). */
#define DEFINE_SET_FIND(name, T)                                        \
  static bool name(const InSet *s, T x) {                               \
    const T *v = s->vals;                                               \
    if (s->n <= IN_LINEAR_MAX) {                                        \
      bool f = false;                                                   \
      for (int j = 0; j < s->n; j++) f |= v[j] == x;                    \
      return f;                                                         \
    }                                                                   \
    int lo = 0, hi = s->n;                                              \
    while (lo < hi) {                                                   \
      int mid = (lo + hi) >> 1;                                         \
      if (v[mid] < x) lo = mid + 1;                                     \
      else hi = mid;                                                    \
    }                                                                   \
    return lo < s->n && v[lo] == x;                                     \
  }
DEFINE_SET_FIND(set_find_i64, int64_t)
DEFINE_SET_FIND(set_find_f64, double)

static bool set_find_str(const InSet *s, EdStr x) {
  const EdStr *v = s->vals;
  if (s->n <= IN_LINEAR_MAX) {
    for (int j = 0; j < s->n; j++)
      if (str_eq(v[j], x)) return true;
    return false;
  }
  int lo = 0, hi = s->n;
  while (lo < hi) {
    int mid = (lo + hi) >> 1;
    if (str_cmp(v[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < s->n && str_eq(v[lo], x);
}

static bool set_find_win(const InSet *s, EdWindow x) {
  const EdWindow *v = s->vals;
  for (int j = 0; j < s->n; j++)
    if (win_cmp(v[j], x) == 0) return true;
  return false;
}

/* Writes the IN result of a row from "found": TRUE/FALSE, or NULL when not
** found and the list had a NULL. */
#define IN_RESULT(found, has_null)                                        \
  do {                                                                   \
    bool f_ = (found);                                                   \
    o[i] = f_ != neg;                                                    \
    if (!f_ && (has_null)) ev_bit_set(vw, i, false);                     \
  } while (0)

/* x IN (constants): one set lookup per non-NULL active row. */
static int run_in_set(EvNode *nd, const uint16_t *sel, int n) {
  const InSet *s = nd->priv;
  const EdVector *x = nd->args[0]->res;
  EdVector *dst = nd->dst;
  uint8_t *o = ED_VEC_BOOL(dst);
  uint64_t *vw = dst->validity;
  bool neg = nd->negated, hn = s->has_null;
  if (!ev_valid_copy(vw, ev_opnd(nd->args[0]), ev_words(sel, n))) return 0;
  switch (s->cls) {
    case EV_C_BOOL: {
      const uint8_t *d = ED_VEC_BOOL(x);
      EV_FOR_ROWS(sel, n, IN_RESULT(d[i] ? s->has_true : s->has_false, hn));
      break;
    }
    case EV_C_I64: {
      const int64_t *d = ED_VEC_I64(x);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) IN_RESULT(set_find_i64(s, d[i]), hn));
      break;
    }
    case EV_C_F64: {
      const double *d = ED_VEC_F64(x);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) IN_RESULT(set_find_f64(s, d[i]), hn));
      break;
    }
    case EV_C_STR: {
      const EdStr *d = ED_VEC_STR(x);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) IN_RESULT(set_find_str(s, d[i]), hn));
      break;
    }
    case EV_C_WIN: {
      const EdWindow *d = ED_VEC_WIN(x);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) IN_RESULT(set_find_win(s, d[i]), hn));
      break;
    }
    default: break;
  }
  return 0;
}

/* Items that are not all constants: one equality per item, accumulated in
** the result vector (found) and priv (some item NULL). */
static int run_in_generic(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EdVector *dst = nd->dst;
  uint8_t *found = ED_VEC_BOOL(dst);
  uint8_t *anynull = nd->priv;
  EV_FOR_ROWS(sel, n, { found[i] = 0; anynull[i] = 0; });
  /* Every operand was made a vector at preparation. */
  EvOpnd X = {nd->args[0]->res, NULL};
  for (int k = 1; k < nd->nargs; k++) {
    EvNode *it = nd->args[k];
    if (ev_eval(r, it, sel, n)) return -1;
    ev_compare(OP_EQ, X, (EvOpnd){it->res, NULL}, &nd->aux, sel, n);
    const uint8_t *eq = ED_VEC_BOOL(&nd->aux);
    const uint64_t *ew = nd->aux.validity;
    EV_FOR_ROWS(sel, n, {
      bool v = ev_bit(ew, i);
      found[i] |= v & (eq[i] != 0);
      anynull[i] |= !v;
    });
  }
  uint8_t *o = found;
  uint64_t *vw = dst->validity;
  bool neg = nd->negated;
  if (!ev_valid_copy(vw, X, ev_words(sel, n))) return 0;
  EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) IN_RESULT(found[i] != 0, anynull[i]));
  return 0;
}

int ev_run_in(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  if (ev_eval(r, nd->args[0], sel, n)) return -1;
  if (nd->variant == V_IN_SET) return run_in_set(nd, sel, n);
  return run_in_generic(r, nd, sel, n);
}

/* --------------------------------------------------------------- LIKE */

enum { LK_GENERAL, LK_EXACT, LK_PREFIX, LK_SUFFIX, LK_CONTAINS, LK_ANY,
       LK_NULL };
enum { V_LIKE_CONST = 1, V_LIKE_ROWS = 2 };

typedef struct LikePat {
  int kind;
  EdStr lit;      /* fast kinds: the literal between the %s, lower-cased */
  EdStr pat;      /* LK_GENERAL: the whole pattern */
  EdStr esc;      /* the escape character's bytes, len 0 if none */
} LikePat;

/* ASCII lower-case of a byte (other bytes unchanged). */
static inline uint8_t fold(uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* Bytes of the UTF-8 character starting with c (1 for stray bytes). */
static inline size_t u8len(uint8_t c) {
  return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Case-insensitive (ASCII) equality of s[0..n) with the lower-cased lit. */
static inline bool ci_eq_lit(const uint8_t *s, const uint8_t *lit, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (fold(s[k]) != lit[k]) return false;
  return true;
}

/* Whether the pattern has the escape character at byte pi. */
static bool is_esc(const uint8_t *p, size_t pi, size_t pn, EdStr esc) {
  return esc.len && pn - pi >= esc.len && memcmp(p + pi, esc.ptr, esc.len) == 0;
}

/* The general matcher: iterative, backtracking only to the last %, which
** is enough for patterns made of %, _ and literals. */
static bool like_match(EdStr pattern, EdStr str, EdStr esc) {
  const uint8_t *p = (const uint8_t *)pattern.ptr, *s = (const uint8_t *)str.ptr;
  size_t pn = pattern.len, sn = str.len, pi = 0, si = 0;
  size_t star_pi = (size_t)-1, star_si = 0;
  while (si < sn) {
    if (pi < pn) {
      size_t cl;
      const uint8_t *lit;
      if (is_esc(p, pi, pn, esc)) {
        size_t q = pi + esc.len;
        if (q >= pn) return false;   /* a pattern ending in ESCAPE */
        lit = p + q;
        cl = u8len(p[q]);
        if (cl > pn - q) cl = pn - q;
        pi = q;
      } else if (p[pi] == '%') {
        star_pi = ++pi;
        star_si = si;
        continue;
      } else if (p[pi] == '_') {
        pi++;
        si += u8len(s[si]);
        if (si > sn) si = sn;   /* a truncated last character */
        continue;
      } else {
        lit = p + pi;
        cl = u8len(p[pi]);
        if (cl > pn - pi) cl = pn - pi;
      }
      if (cl <= sn - si) {
        size_t k = 0;
        while (k < cl && fold(s[si + k]) == fold(lit[k])) k++;
        if (k == cl) {
          pi += cl;
          si += cl;
          continue;
        }
      }
    }
    if (star_pi == (size_t)-1) return false;
    star_si += u8len(s[star_si]);
    if (star_si > sn) star_si = sn;
    si = star_si;
    pi = star_pi;
  }
  while (pi < pn && !is_esc(p, pi, pn, esc) && p[pi] == '%') pi++;
  return pi == pn;
}

/* Matches s against a constant pattern of one of the fast kinds. */
static bool like_fast(const LikePat *lp, EdStr s) {
  const uint8_t *x = (const uint8_t *)s.ptr, *l = (const uint8_t *)lp->lit.ptr;
  size_t n = s.len, m = lp->lit.len;
  switch (lp->kind) {
    case LK_ANY: return true;
    case LK_EXACT: return n == m && ci_eq_lit(x, l, m);
    case LK_PREFIX: return n >= m && ci_eq_lit(x, l, m);
    case LK_SUFFIX: return n >= m && ci_eq_lit(x + n - m, l, m);
    case LK_CONTAINS:
      if (m == 0) return true;
      for (size_t k = 0; k + m <= n; k++)
        if (fold(x[k]) == l[0] && ci_eq_lit(x + k + 1, l + 1, m - 1)) return true;
      return false;
    default: return false;
  }
}

/* Prepares a constant pattern: picks a fast kind when the pattern has no
** _ and no escape, and % only at its ends. */
static LikePat *compile_like(EdEvaluator *ev, EdStr pat, EdStr esc) {
  LikePat *lp = ev_alloc(ev, sizeof *lp);
  lp->pat = pat;
  lp->esc = esc;
  lp->kind = LK_GENERAL;
  if (esc.len) return lp;
  const char *p = pat.ptr;
  size_t n = pat.len, b = 0, e = n;
  if (memchr(p, '_', n)) return lp;
  bool lead = n > 0 && p[0] == '%';
  if (lead) b = 1;
  bool trail = e > b && p[e - 1] == '%';
  if (trail) e--;
  if (memchr(p + b, '%', e - b)) {
    /* '%%...' alone still matches everything. */
    for (size_t k = 0; k < n; k++)
      if (p[k] != '%') return lp;
    lp->kind = LK_ANY;
    return lp;
  }
  char *l = ed_arena_alloc(&ev->mem, e - b + 1);
  for (size_t k = b; k < e; k++) l[k - b] = (char)fold((uint8_t)p[k]);
  lp->lit = (EdStr){l, (uint32_t)(e - b)};
  if (lead && trail) lp->kind = e == b ? LK_ANY : LK_CONTAINS;
  else if (lead) lp->kind = e == b ? LK_ANY : LK_SUFFIX;
  else if (trail) lp->kind = LK_PREFIX;
  else lp->kind = LK_EXACT;
  return lp;
}

/* Bytes of a string that is exactly one UTF-8 character, or 0. */
static size_t one_char(EdStr s) {
  if (s.len == 0) return 0;
  return u8len((uint8_t)s.ptr[0]) == s.len ? s.len : 0;
}

#define ESC_ERROR "ESCAPE expression must be a single character"

void ev_prep_like(EdEvaluator *ev, EvNode *nd) {
  nd->type = ED_T_BOOL;
  for (int k = 0; k < nd->nargs; k++)
    nd->args[k] = ev_coerce(ev, nd->args[k], ED_T_VARCHAR);
  EvNode *pat = nd->args[1], *esc = nd->nargs > 2 ? nd->args[2] : NULL;
  if (!pat->is_const || (esc && !esc->is_const)) {
    nd->variant = V_LIKE_ROWS;
    ev_need_vector(ev, nd->args[0]);
    ev_need_vector(ev, nd->args[1]);
    if (esc) ev_need_vector(ev, esc);
    return;
  }
  nd->variant = V_LIKE_CONST;
  EdStr e = {"", 0};
  if (esc && !esc->cval.is_null) {
    e = esc->cval.u.s;
    if (!one_char(e)) ev_prep_error(ev, nd, ESC_ERROR);
  }
  if (pat->cval.is_null || (esc && esc->cval.is_null)) {
    LikePat *lp = ev_alloc(ev, sizeof *lp);
    lp->kind = LK_NULL;
    nd->priv = lp;
    return;
  }
  nd->priv = compile_like(ev, pat->cval.u.s, e);
}

int ev_run_like(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  for (int k = 0; k < nd->nargs; k++)
    if (ev_eval(r, nd->args[k], sel, n)) return -1;
  EdVector *dst = nd->dst;
  uint8_t *o = ED_VEC_BOOL(dst);
  uint64_t *vw = dst->validity;
  bool neg = nd->negated;
  /* A constant string against a pattern column was made a vector. */
  EvOpnd X = nd->variant == V_LIKE_ROWS ? ev_opnd_vec(nd->args[0])
                                        : ev_opnd(nd->args[0]);
  if (!ev_valid_copy(vw, X, ev_words(sel, n))) return 0;
  const EdStr *x = ED_VEC_STR(X.v);
  if (nd->variant == V_LIKE_CONST) {
    const LikePat *lp = nd->priv;
    if (lp->kind == LK_NULL) {
      memset(vw, 0, sizeof(uint64_t) * (size_t)ev_words(sel, n));
    } else if (lp->kind == LK_GENERAL) {
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))
                              o[i] = like_match(lp->pat, x[i], lp->esc) != neg);
    } else {
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) o[i] = like_fast(lp, x[i]) != neg);
    }
    return 0;
  }
  const EdVector *pv = nd->args[1]->res;
  const EdVector *evv = nd->nargs > 2 ? nd->args[2]->res : NULL;
  const EdStr *ps = ED_VEC_STR(pv);
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    if (!ev_bit(pv->validity, i) || (evv && !ev_bit(evv->validity, i))) {
      ev_bit_set(vw, i, false);
      continue;
    }
    EdStr e = evv ? ED_VEC_STR(evv)[i] : (EdStr){"", 0};
    if (evv && !one_char(e)) return ed_exec_error(r->ctx, ESC_ERROR);
    o[i] = like_match(ps[i], x[i], e) != neg;
  });
  return 0;
}
