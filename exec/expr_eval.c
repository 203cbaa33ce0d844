/*
** exec/expr_eval.c — vectorized evaluation of bound expressions: building
** the node tree (coercions, constant folding), the dispatch over node kinds,
** and the kinds that need no kernel file of their own: logic (AND, OR, NOT,
** IS NULL), CASE, window fields.  Arithmetic, comparisons, casts and
** functions live in expr_arith.c, expr_compare.c, expr_cast.c, functions.c
** and func_*.c, subqueries in expr_subquery.c; expr_internal.h describes
** how they fit together.
**
** AND, OR and CASE evaluate their later operands only on the rows whose
** result is still open (as COALESCE does in functions.c), so that
** `x <> 0 AND y / x > 2` or `CASE WHEN x < 1000 THEN x * x END` never fail
** on rows the condition excludes.
*/
/* The build's -O2 uses GCC's "very cheap" vectorizer cost model, which
** leaves loops whose trip count is only known at run time scalar; these
** loops are the inner loops of every query, so let GCC weigh them. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif
#include "exec/expr_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* A batch of one row and no columns: the input of constant folding and of
** ed_eval_const. */
static EdBatch one_row_batch = {.ncols = 0, .nrows = 1};

/* ------------------------------------------------------- small helpers */

void *ev_alloc(EdEvaluator *ev, size_t n) {
  void *p = ed_arena_alloc(&ev->mem, n);
  memset(p, 0, n);
  return p;
}

void ev_vec_alloc(EdEvaluator *ev, EdVector *v, EdType t) {
  size_t w = ed_type_width(t);
  int words = (ev->cap + 63) / 64;
  v->type = t;
  v->validity = ed_arena_alloc(&ev->mem, sizeof(uint64_t) * (size_t)words);
  memset(v->validity, 0xff, sizeof(uint64_t) * (size_t)words);
  /* NULL-typed vectors get int64 room so that careless reads stay inside. */
  v->data = ev_alloc(ev, (w ? w : sizeof(int64_t)) * (size_t)ev->cap);
}

uint16_t *ev_sel_alloc(EdEvaluator *ev) {
  return ed_arena_alloc(&ev->mem, sizeof(uint16_t) * (size_t)ev->cap);
}

void ev_prep_error(EdEvaluator *ev, EvNode *nd, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (!nd->err) nd->err = ed_arena_strdup(&ev->mem, buf);
}

int64_t ev_clock_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * ED_USEC_PER_SEC + ts.tv_nsec / 1000;
}

EdType ev_common_type(EdType a, EdType b) {
  if (a == b) return a;
  if (a == ED_T_NULL) return b;
  if (b == ED_T_NULL) return a;
  if ((a == ED_T_BIGINT && b == ED_T_DOUBLE) ||
      (a == ED_T_DOUBLE && b == ED_T_BIGINT))
    return ED_T_DOUBLE;
  /* Text meets a typed value: the text is read as that type, as SQLite's
  ** column affinity does. */
  if (a == ED_T_VARCHAR && b != ED_T_WINDOW) return b;
  if (b == ED_T_VARCHAR && a != ED_T_WINDOW) return a;
  return ED_T_NULL;
}

void ev_vec_get(const EdVector *v, int i, EdValue *out) {
  memset(out, 0, sizeof *out);
  out->type = v->type;
  out->is_null = v->type == ED_T_NULL || !ev_bit(v->validity, i);
  if (out->is_null) return;
  switch (ev_class(v->type)) {
    case EV_C_BOOL: out->u.b = ED_VEC_BOOL(v)[i] != 0; break;
    case EV_C_I64: out->u.i = ED_VEC_I64(v)[i]; break;
    case EV_C_F64: out->u.d = ED_VEC_F64(v)[i]; break;
    case EV_C_STR: out->u.s = ED_VEC_STR(v)[i]; break;
    case EV_C_WIN: out->u.w = ED_VEC_WIN(v)[i]; break;
    default: out->is_null = true;
  }
}

bool ev_valid_and(uint64_t *r, EvOpnd a, EvOpnd b, int nw) {
  if ((a.s && a.s->is_null) || (b.s && b.s->is_null)) {
    memset(r, 0, sizeof(uint64_t) * (size_t)nw);
    return false;
  }
  if (a.s) {
    memcpy(r, b.v->validity, sizeof(uint64_t) * (size_t)nw);
  } else if (b.s) {
    memcpy(r, a.v->validity, sizeof(uint64_t) * (size_t)nw);
  } else {
    const uint64_t *x = a.v->validity, *y = b.v->validity;
    for (int w = 0; w < nw; w++) r[w] = x[w] & y[w];
  }
  return true;
}

bool ev_valid_copy(uint64_t *r, EvOpnd a, int nw) {
  if (a.s) {
    memset(r, a.s->is_null ? 0 : 0xff, sizeof(uint64_t) * (size_t)nw);
    return !a.s->is_null;
  }
  if (r != a.v->validity)
    memcpy(r, a.v->validity, sizeof(uint64_t) * (size_t)nw);
  return true;
}

void ev_fill(EdVector *v, const EdValue *x, const uint16_t *sel, int n) {
  uint64_t *vw = v->validity;
  if (x->is_null || x->type == ED_T_NULL || v->type == ED_T_NULL) {
    EV_FOR_ROWS(sel, n, ev_bit_set(vw, i, false));
    return;
  }
  EV_FOR_ROWS(sel, n, ev_bit_set(vw, i, true));
  switch (ev_class(v->type)) {
    case EV_C_BOOL: {
      uint8_t *d = ED_VEC_BOOL(v), b = x->u.b ? 1 : 0;
      EV_FOR_ROWS(sel, n, d[i] = b);
      break;
    }
    case EV_C_I64: {
      int64_t *d = ED_VEC_I64(v), c = x->u.i;
      EV_FOR_ROWS(sel, n, d[i] = c);
      break;
    }
    case EV_C_F64: {
      double *d = ED_VEC_F64(v), c = x->u.d;
      EV_FOR_ROWS(sel, n, d[i] = c);
      break;
    }
    case EV_C_STR: {
      EdStr *d = ED_VEC_STR(v), c = x->u.s;
      EV_FOR_ROWS(sel, n, d[i] = c);
      break;
    }
    case EV_C_WIN: {
      EdWindow *d = ED_VEC_WIN(v), c = x->u.w;
      EV_FOR_ROWS(sel, n, d[i] = c);
      break;
    }
    default: break;
  }
}

void ev_copy_rows(EdVector *dst, EvOpnd src, const uint16_t *sel, int n) {
  if (src.s) {
    ev_fill(dst, src.s, sel, n);
    return;
  }
  const EdVector *s = src.v;
  if (s == dst) return;
  uint64_t *dw = dst->validity;
  const uint64_t *sw = s->validity;
  if (s->type == ED_T_NULL || dst->type == ED_T_NULL) {
    EV_FOR_ROWS(sel, n, ev_bit_set(dw, i, false));
    return;
  }
  EV_FOR_ROWS(sel, n, ev_bit_set(dw, i, ev_bit(sw, i)));
  switch (ed_type_width(dst->type)) {
    case 1: {
      uint8_t *d = dst->data;
      const uint8_t *x = s->data;
      EV_FOR_ROWS(sel, n, d[i] = x[i]);
      break;
    }
    case 8: {
      int64_t *d = dst->data;
      const int64_t *x = s->data;
      EV_FOR_ROWS(sel, n, d[i] = x[i]);
      break;
    }
    case 16: {
      EdWindow *d = dst->data;   /* EdStr and EdWindow are both 16 bytes */
      const EdWindow *x = s->data;
      EV_FOR_ROWS(sel, n, memcpy(&d[i], &x[i], 16));
      break;
    }
    default: assert(0);
  }
}

int ev_split_true(const EdVector *b, const uint16_t *sel, int n,
                  uint16_t *yes, uint16_t *no, int *nno) {
  const uint8_t *d = ED_VEC_BOOL(b);
  const uint64_t *vw = b->validity;
  int ny = 0, nn = 0;
  if (!sel) {
    for (int base = 0; base < n; base += 64) {
      int cnt = n - base < 64 ? n - base : 64;
      uint64_t t = ev_pack_bools(d + base, cnt) & vw[base >> 6];
      uint64_t all = ev_low_bits(cnt);
      ny = ev_emit_bits(t & all, base, yes, ny);
      nn = ev_emit_bits(~t & all, base, no, nn);
    }
    *nno = nn;
    return ny;
  }
  EV_FOR_ROWS(sel, n, {
    int t = ev_bit(vw, i) & (d[i] != 0);
    yes[ny] = (uint16_t)i;
    no[nn] = (uint16_t)i;
    ny += t;
    nn += !t;
  });
  *nno = nn;
  return ny;
}

void ev_pass_through(EvNode *nd, const EvNode *a, const uint16_t *sel,
                     int n) {
  if (a->is_const) {
    ev_fill(nd->dst, &a->cval, sel, n);
    nd->res = nd->dst;
  } else {
    nd->res = a->res;
  }
}

/* Splits by a BOOLEAN node that may be a constant. */
static int split_node(const EvNode *c, const uint16_t *sel, int n,
                      uint16_t *yes, uint16_t *no, int *nno) {
  if (!c->is_const) return ev_split_true(c->res, sel, n, yes, no, nno);
  bool t = !c->cval.is_null && c->cval.u.b;
  uint16_t *to = t ? yes : no;
  int m = 0;
  EV_FOR_ROWS(sel, n, to[m++] = (uint16_t)i);
  *nno = t ? 0 : n;
  return t ? n : 0;
}

/* --------------------------------------------------------- preparation */

EvNode *ev_node_new(EdEvaluator *ev, EdExprKind kind, EdType type, int nargs) {
  EvNode *nd = ev_alloc(ev, sizeof *nd);
  nd->kind = kind;
  nd->type = type;
  nd->nargs = nargs;
  if (nargs) nd->args = ev_alloc(ev, sizeof(EvNode *) * (size_t)nargs);
  return nd;
}

void ev_need_vector(EdEvaluator *ev, EvNode *nd) {
  if (!nd->is_const || nd->vec.data) return;
  ev_vec_alloc(ev, &nd->vec, nd->type);
  ev_fill(&nd->vec, &nd->cval, NULL, ev->cap);
  nd->res = &nd->vec;
}

static void finish_node(EdEvaluator *ev, EvNode *nd);

EvNode *ev_coerce(EdEvaluator *ev, EvNode *child, EdType want) {
  if (child->type == want || want == ED_T_NULL) return child;
  if (child->is_const && (child->cval.is_null || child->type == ED_T_NULL)) {
    child->type = want;
    child->cval.type = want;
    child->cval.is_null = true;
    return child;
  }
  EvNode *c = ev_node_new(ev, EXPR_CAST, want, 1);
  c->args[0] = child;
  c->has_now = child->has_now;
  finish_node(ev, c);
  return c;
}

/* AND / OR / NOT: operands are BOOLEAN. */
static void prep_logic(EdEvaluator *ev, EvNode *nd) {
  for (int i = 0; i < nd->nargs; i++)
    nd->args[i] = ev_coerce(ev, nd->args[i], ED_T_BOOL);
  if (nd->op == OP_AND || nd->op == OP_OR) nd->sel1 = ev_sel_alloc(ev);
}

/* CASE: conditions become BOOLEAN, results the CASE's type. */
static void prep_case(EdEvaluator *ev, EvNode *nd) {
  int npairs = (nd->nargs - (nd->has_else ? 1 : 0)) / 2;
  for (int p = 0; p < npairs; p++) {
    nd->args[2 * p] = ev_coerce(ev, nd->args[2 * p], ED_T_BOOL);
    nd->args[2 * p + 1] = ev_coerce(ev, nd->args[2 * p + 1], nd->type);
  }
  if (nd->has_else)
    nd->args[nd->nargs - 1] = ev_coerce(ev, nd->args[nd->nargs - 1], nd->type);
  nd->sel1 = ev_sel_alloc(ev);
  nd->sel2 = ev_sel_alloc(ev);
  nd->sel3 = ev_sel_alloc(ev);
}

/* Prepares an operator node by the family of its operator. */
static void prep_op(EdEvaluator *ev, EvNode *nd) {
  switch (nd->op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
      ev_prep_arith(ev, nd);
      break;
    case OP_CONCAT:
      ev_prep_concat(ev, nd);
      break;
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
    case OP_IS: case OP_IS_NOT:
      ev_prep_compare(ev, nd);
      break;
    case OP_AND: case OP_OR: case OP_NOT:
      prep_logic(ev, nd);
      break;
    case OP_NEG:
      ev_prep_neg(ev, nd);
      break;
    case OP_PLUS:
      nd->args[0] = ev_coerce(ev, nd->args[0], nd->type);
      break;
    default:
      ev_prep_error(ev, nd, "unsupported operator %d", nd->op);
  }
}

/* Evaluates a node whose operands are all constants once, on one row, and
** turns it into a constant.  The operands are presented as one-row vectors
** meanwhile, so kernels never meet two scalars.  A failure (overflow, ...)
** is kept as the node's error: it is raised only if a row ever reaches the
** node.  Returns whether the node was folded. */
static bool fold(EdEvaluator *ev, EvNode *nd) {
  int cap = ev->cap;
  ev->cap = 1;
  ev_vec_alloc(ev, &nd->vec, nd->type);
  nd->dst = &nd->vec;
  bool temp[nd->nargs > 0 ? nd->nargs : 1];
  for (int i = 0; i < nd->nargs; i++) {
    EvNode *a = nd->args[i];
    temp[i] = !a->vec.data;
    ev_need_vector(ev, a);
    a->as_vector = true;
  }
  ev->cap = cap;
  EdExecCtx tmp;
  memset(&tmp, 0, sizeof tmp);
  EvRun r = {&tmp, &one_row_batch, &ev->mem, 0};
  int rc = ev_eval(&r, nd, NULL, 1);
  for (int i = 0; i < nd->nargs; i++) {
    EvNode *a = nd->args[i];
    a->as_vector = false;
    if (temp[i]) {   /* a one-row vector must not serve a batch later */
      a->vec.data = NULL;
      a->res = NULL;
    }
  }
  if (rc != 0) {
    nd->err = ed_arena_strdup(&ev->mem, tmp.err.msg);
    return false;
  }
  EdValue v;
  ev_vec_get(nd->res, 0, &v);
  v.type = nd->type;
  nd->cval = v;
  nd->is_const = true;
  nd->res = NULL;
  nd->vec.data = NULL;   /* a broadcast vector is made if a parent asks */
  return true;
}

/* Completes a node whose operands are prepared: kind-specific
** preparation, then folding or a result vector. */
static void finish_node(EdEvaluator *ev, EvNode *nd) {
  switch (nd->kind) {
    case EXPR_OP: prep_op(ev, nd); break;
    case EXPR_FUNC: ev_prep_func(ev, nd); break;
    case EXPR_CASE: prep_case(ev, nd); break;
    case EXPR_CAST: ev_prep_cast(ev, nd); break;
    case EXPR_IS_NULL:
      if (nd->type != ED_T_BOOL) nd->type = ED_T_BOOL;
      break;
    case EXPR_IN_LIST: ev_prep_in(ev, nd); break;
    case EXPR_LIKE: ev_prep_like(ev, nd); break;
    case EXPR_FIELD:
      if (nd->args[0]->type == ED_T_NULL)
        nd->args[0] = ev_coerce(ev, nd->args[0], ED_T_WINDOW);
      if (nd->args[0]->type != ED_T_WINDOW)
        ev_prep_error(ev, nd, "field access needs a WINDOW, not %s",
                      ed_type_name(nd->args[0]->type));
      break;
    default: break;
  }
  for (int i = 0; i < nd->nargs; i++) nd->has_now |= nd->args[i]->has_now;
  bool foldable = !nd->has_now && !nd->err;
  for (int i = 0; i < nd->nargs && foldable; i++)
    if (!nd->args[i]->is_const) foldable = false;
  /* A node that failed to fold only ever raises its error: its one-row
  ** vector is never written. */
  if (foldable) {
    fold(ev, nd);
    return;
  }
  ev_vec_alloc(ev, &nd->vec, nd->type);
  nd->dst = &nd->vec;
}

/* Builds the node for e and everything below it. */
static EvNode *prep(EdEvaluator *ev, const EdExpr *e) {
  EvNode *nd = ev_node_new(ev, e->kind, e->type, e->nargs);
  nd->op = e->op;
  nd->negated = e->negated;
  nd->has_else = e->has_else;
  nd->col = e->col;
  for (int i = 0; i < e->nargs; i++) nd->args[i] = prep(ev, e->args[i]);
  switch (e->kind) {
    case EXPR_CONST:
      nd->is_const = true;
      nd->cval = e->value;
      nd->cval.type = e->type;
      if (e->type == ED_T_NULL) nd->cval.is_null = true;
      return nd;
    case EXPR_COLREF:
      return nd;
    case EXPR_SUBQUERY:
      ev_prep_subquery(ev, nd, e);
      return nd;
    case EXPR_OUTER_REF:
      ev_prep_outer_ref(ev, nd);
      return nd;
    case EXPR_FUNC:
      if (e->op == FN_NOW) nd->has_now = true;
      break;
    default:
      break;
  }
  finish_node(ev, nd);
  return nd;
}

/* An evaluator for e whose vectors hold cap rows. */
static EdEvaluator *eval_create(EdExecCtx *ctx, const EdExpr *e, int cap) {
  EdEvaluator *ev = ed_calloc(1, sizeof *ev);
  ev->ctx = ctx;
  ev->cap = cap;
  ed_arena_init(&ev->mem, cap > 64 ? 65536 : 4096);
  ed_arena_init(&ev->tmp, 16384);
  if (ctx->now_us == 0) ctx->now_us = ev_clock_now();
  ev->root = prep(ev, e);
  return ev;
}

EdEvaluator *ed_eval_new(EdExecCtx *ctx, const EdExpr *e) {
  return eval_create(ctx, e, ED_BATCH_CAP);
}

void ed_eval_free(EdEvaluator *ev) {
  if (!ev) return;
  ev_release_subqueries(ev);
  ed_arena_free(&ev->mem);
  ed_arena_free(&ev->tmp);
  free(ev);
}

/* ----------------------------------------------------------- evaluation */

/* AND / OR with SQL's three-valued logic.  The right operand is evaluated
** only on rows the left one does not decide (left not FALSE for AND, not
** TRUE for OR). */
static int run_and_or(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *L = nd->args[0], *R = nd->args[1];
  bool is_and = nd->op == OP_AND;
  EdVector *dst = nd->dst;
  if (ev_eval(r, L, sel, n)) return -1;
  EvOpnd lo = ev_opnd(L);
  /* Rows the right side must decide. */
  const uint16_t *sub = nd->sel1;
  int m = 0;
  if (lo.s) {
    bool decided = !lo.s->is_null && lo.s->u.b == !is_and;
    if (decided) {
      EdValue v = {.type = ED_T_BOOL, .u.b = !is_and};
      ev_fill(dst, &v, sel, n);
      return 0;
    }
    sub = sel;
    m = n;
  } else {
    const uint8_t *ld = ED_VEC_BOOL(lo.v);
    const uint64_t *lw = lo.v->validity;
    uint16_t *s1 = nd->sel1;
    uint8_t decide = is_and ? 0 : 1;
    if (!sel) {
      for (int base = 0; base < n; base += 64) {
        int cnt = n - base < 64 ? n - base : 64;
        uint64_t t = ev_pack_bools(ld + base, cnt);
        uint64_t decided = lw[base >> 6] & (is_and ? ~t : t);
        m = ev_emit_bits(~decided & ev_low_bits(cnt), base, s1, m);
      }
    } else {
      EV_FOR_ROWS(sel, n, {
        s1[m] = (uint16_t)i;
        m += !(ev_bit(lw, i) && (ld[i] != 0) == decide);
      });
    }
    if (m == n) sub = sel;
  }
  if (m == 0) {
    EdValue v = {.type = ED_T_BOOL, .u.b = !is_and};
    ev_fill(dst, &v, sel, n);
    return 0;
  }
  if (ev_eval(r, R, sub, m)) return -1;
  EvOpnd ro = ev_opnd(R);
  uint8_t *o = ED_VEC_BOOL(dst);
  uint64_t *ow = dst->validity;
  /* A constant side is turned into loop-invariant bits. */
  bool lcv = lo.s ? !lo.s->is_null : 0, lct = lo.s ? lo.s->u.b : 0;
  bool rcv = ro.s ? !ro.s->is_null : 0, rct = ro.s ? ro.s->u.b : 0;
  const uint8_t *ld = lo.v ? ED_VEC_BOOL(lo.v) : NULL;
  const uint8_t *rd = ro.v ? ED_VEC_BOOL(ro.v) : NULL;
  const uint64_t *lw = lo.v ? lo.v->validity : NULL;
  const uint64_t *rw = ro.v ? ro.v->validity : NULL;
  /* Rows outside sub have a deciding left value, so the (unevaluated)
  ** right value read for them never matters. */
#define AND_OR_ROW(i, valid_out)                                          \
  do {                                                                   \
    bool lv = lw ? ev_bit(lw, i) : lcv, lt = ld ? ld[i] != 0 : lct;      \
    bool rv = rw ? ev_bit(rw, i) : rcv, rt = rd ? rd[i] != 0 : rct;      \
    bool dec = is_and ? ((lv & !lt) | (rv & !rt)) : ((lv & lt) | (rv & rt)); \
    o[i] = is_and ? !dec : dec;                                          \
    valid_out = dec | (lv & rv);                                         \
  } while (0)
  if (sel) {
    EV_FOR_ROWS(sel, n, {
      bool v;
      AND_OR_ROW(i, v);
      ev_bit_set(ow, i, v);
    });
    return 0;
  }
  /* Dense: build each validity word in a register. */
  for (int base = 0; base < n; base += 64) {
    int end = base + 64 < n ? base + 64 : n;
    uint64_t word = 0;
    for (int i = base; i < end; i++) {
      bool v;
      AND_OR_ROW(i, v);
      word |= (uint64_t)v << (i - base);
    }
    ow[base >> 6] = word;
  }
#undef AND_OR_ROW
  return 0;
}

/* NOT: NULL stays NULL. */
static int run_not(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0];
  if (ev_eval(r, a, sel, n)) return -1;
  EdVector *dst = nd->dst;
  ev_valid_copy(dst->validity, ev_opnd(a), ev_words(sel, n));
  const uint8_t *x = ED_VEC_BOOL(a->res);
  uint8_t *o = ED_VEC_BOOL(dst);
  EV_FOR_ROWS(sel, n, o[i] = x[i] == 0);
  return 0;
}

/* x IS [NOT] NULL: never NULL itself. */
static int run_is_null(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0];
  if (ev_eval(r, a, sel, n)) return -1;
  EdVector *dst = nd->dst;
  int nw = ev_words(sel, n);
  memset(dst->validity, 0xff, sizeof(uint64_t) * (size_t)nw);
  uint8_t *o = ED_VEC_BOOL(dst);
  uint8_t want_valid = nd->negated;   /* IS NOT NULL: TRUE when valid */
  if (a->is_const) {
    EdValue v = {.type = ED_T_BOOL, .u.b = (!a->cval.is_null) == want_valid};
    ev_fill(dst, &v, sel, n);
    return 0;
  }
  const EdVector *x = a->res;
  if (x->type == ED_T_NULL) {
    EV_FOR_ROWS(sel, n, o[i] = !want_valid);
    return 0;
  }
  const uint64_t *xw = x->validity;
  EV_FOR_ROWS(sel, n, o[i] = ev_bit(xw, i) == want_valid);
  return 0;
}

/* CASE: each WHEN is evaluated on the rows no earlier WHEN took, each
** THEN only on the rows its WHEN took, ELSE (or NULL) on the rest. */
static int run_case(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  int npairs = (nd->nargs - (nd->has_else ? 1 : 0)) / 2;
  const uint16_t *cur = sel;
  int ncur = n;
  uint16_t *bufs[2] = {nd->sel2, nd->sel3};
  int flip = 0;
  for (int p = 0; p < npairs && ncur > 0; p++) {
    EvNode *w = nd->args[2 * p], *t = nd->args[2 * p + 1];
    if (ev_eval(r, w, cur, ncur)) return -1;
    uint16_t *no = bufs[flip];
    int nno;
    int ny = split_node(w, cur, ncur, nd->sel1, no, &nno);
    if (ny) {
      if (ev_eval(r, t, nd->sel1, ny)) return -1;
      ev_copy_rows(nd->dst, ev_opnd(t), nd->sel1, ny);
    }
    cur = no;
    ncur = nno;
    flip ^= 1;
  }
  if (ncur == 0) return 0;
  if (nd->has_else) {
    EvNode *e = nd->args[nd->nargs - 1];
    if (ev_eval(r, e, cur, ncur)) return -1;
    ev_copy_rows(nd->dst, ev_opnd(e), cur, ncur);
  } else {
    EdValue null = {.type = nd->type, .is_null = true};
    ev_fill(nd->dst, &null, cur, ncur);
  }
  return 0;
}

/* w.start / w.end of a WINDOW. */
static int run_field(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0];
  if (ev_eval(r, a, sel, n)) return -1;
  EdVector *dst = nd->dst;
  ev_valid_copy(dst->validity, ev_opnd(a), ev_words(sel, n));
  const EdWindow *w = ED_VEC_WIN(a->res);
  int64_t *o = ED_VEC_I64(dst);
  if (nd->op == 0) EV_FOR_ROWS(sel, n, o[i] = w[i].start);
  else EV_FOR_ROWS(sel, n, o[i] = w[i].end);
  return 0;
}

/* Dispatches an operator node to its kernel family. */
static int run_op(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  switch (nd->op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
      return ev_run_arith(r, nd, sel, n);
    case OP_CONCAT:
      return ev_run_concat(r, nd, sel, n);
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
    case OP_IS: case OP_IS_NOT:
      return ev_run_compare(r, nd, sel, n);
    case OP_AND: case OP_OR:
      return run_and_or(r, nd, sel, n);
    case OP_NOT:
      return run_not(r, nd, sel, n);
    case OP_NEG:
      return ev_run_neg(r, nd, sel, n);
    case OP_PLUS:
      if (ev_eval(r, nd->args[0], sel, n)) return -1;
      ev_pass_through(nd, nd->args[0], sel, n);
      return 0;
    default:
      return ed_exec_error(r->ctx, "unsupported operator %d", nd->op);
  }
}

int ev_eval(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  if (nd->is_const) return 0;
  if (nd->kind == EXPR_COLREF) {
    assert(nd->col >= 0 && nd->col < r->in->ncols);
    nd->res = &r->in->cols[nd->col];
    return 0;
  }
  nd->res = nd->dst;
  if (n == 0) return 0;
  if (nd->err) return ed_exec_error(r->ctx, "%s", nd->err);
  if (nd->type == ED_T_NULL) {
    memset(nd->dst->validity, 0, sizeof(uint64_t) * (size_t)ev_words(sel, n));
    return 0;
  }
  switch (nd->kind) {
    case EXPR_OP: return run_op(r, nd, sel, n);
    case EXPR_FUNC: return ev_run_func(r, nd, sel, n);
    case EXPR_CASE: return run_case(r, nd, sel, n);
    case EXPR_CAST: return ev_run_cast(r, nd, sel, n);
    case EXPR_IS_NULL: return run_is_null(r, nd, sel, n);
    case EXPR_IN_LIST: return ev_run_in(r, nd, sel, n);
    case EXPR_LIKE: return ev_run_like(r, nd, sel, n);
    case EXPR_FIELD: return run_field(r, nd, sel, n);
    case EXPR_SUBQUERY: return ev_run_subquery(r, nd, sel, n);
    case EXPR_OUTER_REF: return ev_run_outer_ref(r, nd, sel, n);
    default: break;
  }
  return ed_exec_error(r->ctx, "cannot evaluate expression kind %d", nd->kind);
}

/* --------------------------------------------------------- entry points */

int ed_eval_run(EdEvaluator *ev, const EdBatch *in, EdVector *out,
                EdArena *arena) {
  EvRun r = {ev->ctx, in, arena, ev->ctx->now_us};
  EvNode *root = ev->root;
  const uint16_t *sel = in->sel;
  int n = ed_batch_count(in);
  if (n == 0) return 0;
  if (root->is_const) {
    ev_fill(out, &root->cval, sel, n);
    return 0;
  }
  assert(out->type == root->type || root->type == ED_T_NULL);
  root->dst = out;
  int rc = ev_eval(&r, root, sel, n);
  root->dst = &root->vec;
  if (rc) return -1;
  if (root->res != out) ev_copy_rows(out, ev_opnd(root), sel, n);
  return 0;
}

/* Narrows b's selection to the rows where nd is TRUE; conjunctions narrow
** one operand at a time so later ones see fewer rows. */
static int filter_node(EvRun *r, EvNode *nd, EdBatch *b) {
  int n = ed_batch_count(b);
  if (n == 0) return 0;
  if (nd->kind == EXPR_OP && nd->op == OP_AND && !nd->is_const) {
    if (filter_node(r, nd->args[0], b)) return -1;
    return filter_node(r, nd->args[1], b);
  }
  const uint16_t *sel = b->sel;
  uint16_t *o = b->sel_buf;
  int m = 0;
  if (nd->is_const) {
    bool keep = !nd->cval.is_null && nd->cval.u.b;
    if (keep) return 0;
  } else {
    if (ev_eval(r, nd, sel, n)) return -1;
    const EdVector *v = nd->res;
    const uint8_t *d = ED_VEC_BOOL(v);
    const uint64_t *vw = v->validity;
    if (!sel) {
      for (int base = 0; base < n; base += 64) {
        int cnt = n - base < 64 ? n - base : 64;
        uint64_t t = ev_pack_bools(d + base, cnt) & vw[base >> 6];
        m = ev_emit_bits(t & ev_low_bits(cnt), base, o, m);
      }
    } else {
      /* In place when sel is sel_buf: o[m] is written at m <= k, after
      ** sel[k] was read. */
      EV_FOR_ROWS(sel, n, {
        o[m] = (uint16_t)i;
        m += ev_bit(vw, i) & (d[i] != 0);
      });
    }
    if (m == n && !sel) return 0;
  }
  b->sel = o;
  b->nsel = m;
  return 0;
}

int ed_eval_filter(EdEvaluator *ev, EdBatch *b) {
  /* Strings made while testing the predicate are temporaries: they go to
  ** the evaluator's own arena, emptied at each call. */
  ed_arena_reset(&ev->tmp);
  EvRun r = {ev->ctx, b, &ev->tmp, ev->ctx->now_us};
  /* A non-BOOLEAN predicate (WHERE x) is read as a BOOLEAN, as CAST. */
  if (ev->root->type != ED_T_BOOL && ev->root->type != ED_T_NULL)
    ev->root = ev_coerce(ev, ev->root, ED_T_BOOL);
  if (ev->root->type == ED_T_NULL) {   /* WHERE NULL keeps nothing */
    b->sel = b->sel_buf;
    b->nsel = 0;
    return 0;
  }
  return filter_node(&r, ev->root, b);
}

/* True if e reads a column of the input row. */
static bool refers_column(const EdExpr *e) {
  if (e->kind == EXPR_COLREF) return true;
  for (int i = 0; i < e->nargs; i++)
    if (refers_column(e->args[i])) return true;
  return false;
}

/* Evaluates constant e with a one-row evaluator in ctx. */
static int eval_one(EdExecCtx *ctx, const EdExpr *e, EdArena *arena,
                    EdValue *out) {
  if (refers_column(e))
    return ed_exec_error(ctx, "a constant expression cannot refer to a column");
  EdEvaluator *ev = eval_create(ctx, e, 1);
  EdType t = e->type;
  uint64_t valid = ~(uint64_t)0;
  EdWindow data;   /* room for one value of any type */
  EdVector v = {t, &valid, &data};
  int rc = ed_eval_run(ev, &one_row_batch, &v, arena);
  if (rc == 0) {
    ev_vec_get(&v, 0, out);
    out->type = t;
    if (t == ED_T_VARCHAR && !out->is_null) {
      EdStr s = out->u.s;
      out->u.s.ptr = ed_arena_strndup(arena, s.ptr ? s.ptr : "", s.len);
    }
  }
  ed_eval_free(ev);
  return rc;
}

int ed_eval_const(const EdExpr *e, EdArena *arena, EdValue *out,
                  EdError *err) {
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = arena;
  if (eval_one(&ctx, e, arena, out) == 0) return 0;
  *err = ctx.err;
  return -1;
}

int ed_eval_value(EdExecCtx *ctx, const EdExpr *e, EdArena *arena,
                  EdValue *out) {
  return eval_one(ctx, e, arena, out);
}
