/*
** exec/func_string.c — string functions: lower, upper, length, substr,
** trim, ltrim, rtrim.
**
** They follow SQLite's built-in (non-ICU) functions: lower and upper change
** ASCII letters only; length counts UTF-8 characters; substr counts
** characters from 1, and a negative start counts from the end (SQLite's
** exact rules for zero and negative starts and lengths); trim removes
** spaces, or any character of its second argument.  substr and trim return
** a slice of their input (no copy); lower and upper write one arena block
** per batch.
*/
#include "exec/expr_internal.h"

/* Whether c continues a UTF-8 character. */
static inline bool is_cont(uint8_t c) { return (c & 0xc0) == 0x80; }

/* Characters in s (UTF-8 lead bytes). */
static int64_t char_count(EdStr s) {
  const uint8_t *p = (const uint8_t *)s.ptr;
  int64_t n = 0;
  for (uint32_t k = 0; k < s.len; k++) n += !is_cont(p[k]);
  return n;
}

/* Byte offset just past `chars` characters from byte off (clamped). */
static uint32_t skip_chars(EdStr s, uint32_t off, int64_t chars) {
  const uint8_t *p = (const uint8_t *)s.ptr;
  while (off < s.len && chars > 0) {
    off++;
    while (off < s.len && is_cont(p[off])) off++;
    chars--;
  }
  return off;
}

/* substr(s, start, len) with SQLite's rules; has_len false means "to the
** end". */
static EdStr substr_one(EdStr s, int64_t p1, int64_t p2, bool has_len) {
  /* Clamp so that the arithmetic below cannot overflow. */
  const int64_t lim = INT64_C(1) << 40;
  if (p1 > lim) p1 = lim;
  if (p1 < -lim) p1 = -lim;
  if (!has_len) p2 = lim;
  if (p2 > lim) p2 = lim;
  if (p2 < -lim) p2 = -lim;
  bool neg_len = p2 < 0;
  if (neg_len) p2 = -p2;
  if (p1 < 0) {
    p1 += char_count(s);
    if (p1 < 0) {
      p2 += p1;
      if (p2 < 0) p2 = 0;
      p1 = 0;
    }
  } else if (p1 > 0) {
    p1--;
  } else if (p2 > 0) {
    p2--;   /* start 0 is one before the first character */
  }
  if (neg_len) {   /* the p2 characters before p1 */
    p1 -= p2;
    if (p1 < 0) {
      p2 += p1;
      p1 = 0;
    }
  }
  uint32_t b = skip_chars(s, 0, p1);
  uint32_t e = skip_chars(s, b, p2);
  return (EdStr){s.ptr + b, e - b};
}

/* The characters trim removes: spaces, or those of a set string. */
static inline uint32_t char_at(EdStr s, uint32_t off) {
  uint32_t e = off + 1;
  while (e < s.len && is_cont((uint8_t)s.ptr[e])) e++;
  return e - off;
}

/* Whether the character c (clen bytes) is one of set's characters. */
static bool in_set(EdStr set, const char *c, uint32_t clen) {
  for (uint32_t k = 0; k < set.len;) {
    uint32_t l = char_at(set, k);
    if (l == clen && memcmp(set.ptr + k, c, clen) == 0) return true;
    k += l;
  }
  return false;
}

/* Start of the last character of s[0..end). */
static uint32_t last_char(EdStr s, uint32_t end) {
  uint32_t k = end - 1;
  while (k > 0 && is_cont((uint8_t)s.ptr[k])) k--;
  return k;
}

/* s without the leading (left) and/or trailing (right) characters that
** are spaces (has_set false) or in set. */
static EdStr trim_one(EdStr s, EdStr set, bool has_set, bool left,
                      bool right) {
  uint32_t b = 0, e = s.len;
  if (!has_set) {
    if (left) while (b < e && s.ptr[b] == ' ') b++;
    if (right) while (e > b && s.ptr[e - 1] == ' ') e--;
  } else if (set.len) {
    if (left) {
      while (b < e) {
        uint32_t l = char_at(s, b);
        if (!in_set(set, s.ptr + b, l)) break;
        b += l;
      }
    }
    if (right) {
      while (e > b) {
        uint32_t k = last_char(s, e);
        if (k < b || !in_set(set, s.ptr + k, e - k)) break;
        e = k;
      }
    }
  }
  return (EdStr){s.ptr + b, e - b};
}

void ev_prep_string_func(EdEvaluator *ev, EvNode *nd) {
  int want_args = nd->op == FN_SUBSTR ? 2 : 1;
  int max_args = (nd->op == FN_SUBSTR) ? 3
                 : (nd->op == FN_TRIM || nd->op == FN_LTRIM ||
                    nd->op == FN_RTRIM) ? 2 : 1;
  if (nd->nargs < want_args || nd->nargs > max_args) {
    ev_prep_error(ev, nd, "wrong number of arguments to a string function");
    return;
  }
  EdType rt = nd->op == FN_LENGTH ? ED_T_BIGINT : ED_T_VARCHAR;
  if (nd->type != rt) {
    ev_prep_error(ev, nd, "string function cannot produce %s",
                  ed_type_name(nd->type));
    return;
  }
  nd->args[0] = ev_coerce(ev, nd->args[0], ED_T_VARCHAR);
  for (int k = 1; k < nd->nargs; k++)
    nd->args[k] = ev_coerce(ev, nd->args[k],
                            nd->op == FN_SUBSTR ? ED_T_BIGINT : ED_T_VARCHAR);
  for (int k = 0; k < nd->nargs; k++) ev_need_vector(ev, nd->args[k]);
}

/* lower / upper: ASCII letters only, one allocation for the batch. */
static void run_case_map(EvRun *r, EvNode *nd, const EdStr *x,
                         const uint16_t *sel, int n) {
  EdStr *o = ED_VEC_STR(nd->dst);
  const uint64_t *vw = nd->dst->validity;
  size_t total = 0;
  EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) total += x[i].len);
  char *p = total ? ed_arena_alloc(r->arena, total) : NULL;
  bool upper = nd->op == FN_UPPER;
  uint8_t lo = upper ? 'a' : 'A', hi = upper ? 'z' : 'Z';
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    const uint8_t *s = (const uint8_t *)x[i].ptr;
    uint32_t len = x[i].len;
    for (uint32_t k = 0; k < len; k++) {
      uint8_t c = s[k];
      p[k] = (char)((c >= lo && c <= hi) ? c ^ 0x20 : c);
    }
    o[i] = (EdStr){p ? p : "", len};
    if (p) p += len;
  });
}

int ev_run_string_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  for (int k = 0; k < nd->nargs; k++)
    if (ev_eval(r, nd->args[k], sel, n)) return -1;
  EdVector *dst = nd->dst;
  uint64_t *vw = dst->validity;
  int nw = ev_words(sel, n);
  EvOpnd X = ev_opnd_vec(nd->args[0]);
  if (!ev_valid_copy(vw, X, nw)) return 0;
  for (int k = 1; k < nd->nargs; k++) {
    const uint64_t *aw = nd->args[k]->res->validity;
    for (int w = 0; w < nw; w++) vw[w] &= aw[w];
  }
  const EdStr *x = ED_VEC_STR(X.v);
  switch (nd->op) {
    case FN_LOWER:
    case FN_UPPER:
      run_case_map(r, nd, x, sel, n);
      return 0;
    case FN_LENGTH: {
      int64_t *o = ED_VEC_I64(dst);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i)) o[i] = char_count(x[i]));
      return 0;
    }
    case FN_SUBSTR: {
      EdStr *o = ED_VEC_STR(dst);
      const int64_t *st = ED_VEC_I64(nd->args[1]->res);
      const int64_t *ln = nd->nargs > 2 ? ED_VEC_I64(nd->args[2]->res) : NULL;
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))
                              o[i] = substr_one(x[i], st[i], ln ? ln[i] : 0, ln));
      return 0;
    }
    default: {   /* trim, ltrim, rtrim */
      EdStr *o = ED_VEC_STR(dst);
      const EdStr *set = nd->nargs > 1 ? ED_VEC_STR(nd->args[1]->res) : NULL;
      bool left = nd->op != FN_RTRIM, right = nd->op != FN_LTRIM;
      EdStr none = {"", 0};
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i))
                              o[i] = trim_one(x[i], set ? set[i] : none, set,
                                              left, right));
      return 0;
    }
  }
}
