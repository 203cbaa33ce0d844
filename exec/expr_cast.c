/*
** exec/expr_cast.c — CAST between eddy's types, and the strict text-to-
** number parsers.
**
** Conversions (standard SQL where SQLite's loose typing differs):
**   text -> BIGINT/DOUBLE/BOOLEAN/TIMESTAMP/INTERVAL: surrounding blanks are
**     ignored; text that is not a value of the target type is NULL (SQLite
**     would read a leading number, 'abc' -> 0, '12abc' -> 12).  Text holding
**     a real number cast to BIGINT truncates toward zero ('12.7' -> 12);
**     one outside the BIGINT range is NULL.  BOOLEAN reads true/false, t/f,
**     yes/no, y/n, on/off, 1/0 in any case.
**   DOUBLE -> BIGINT truncates toward zero; outside the BIGINT range it is an
**     execution error (SQLite saturates).
**   BOOLEAN <-> numbers: 1/0, and any non-zero number is TRUE.
**   TIMESTAMP <-> numbers: seconds since the epoch (Spark's rule); to
**     BIGINT rounds down to the second, to DOUBLE keeps the fraction.
**   INTERVAL <-> numbers: seconds; to BIGINT truncates toward zero.
**   anything -> VARCHAR: the text form every output format prints (DOUBLE
**     via ed_format_double, TIMESTAMP via ed_format_timestamp, BOOLEAN as
**     true/false, WINDOW as {start, end}).
** TIMESTAMP <-> INTERVAL and casts to WINDOW are not conversions: the
** binder rejects them, and the evaluator reports them if asked.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "exec/expr_internal.h"

enum { V_PASS = 1, V_NULLS = 2, V_CONVERT = 3 };

/* The blanks that casts from text ignore around a value. */
static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Trims blanks from both ends of (s, n). */
static void trim_blanks(const char **s, size_t *n) {
  while (*n && is_blank(**s)) (*s)++, (*n)--;
  while (*n && is_blank((*s)[*n - 1])) (*n)--;
}

bool ev_parse_i64(const char *s, size_t n, int64_t *out) {
  trim_blanks(&s, &n);
  if (n == 0) return false;
  size_t k = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    k = 1;
  }
  if (k == n) return false;
  uint64_t v = 0;
  for (; k < n; k++) {
    if (s[k] < '0' || s[k] > '9') return false;
    unsigned d = (unsigned)(s[k] - '0');
    if (v > (UINT64_C(9223372036854775808) - d) / 10) return false;
    v = v * 10 + d;
  }
  if (!neg && v > INT64_MAX) return false;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

bool ev_parse_f64(const char *s, size_t n, double *out) {
  trim_blanks(&s, &n);
  /* Accept only [+-] digits [. digits] [e [+-] digits] (strtod would also
  ** take hex, inf and nan). */
  size_t k = 0, digits = 0;
  if (k < n && (s[k] == '+' || s[k] == '-')) k++;
  while (k < n && s[k] >= '0' && s[k] <= '9') k++, digits++;
  if (k < n && s[k] == '.') {
    k++;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++, digits++;
  }
  if (digits == 0) return false;
  if (k < n && (s[k] == 'e' || s[k] == 'E')) {
    k++;
    if (k < n && (s[k] == '+' || s[k] == '-')) k++;
    size_t ed = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++, ed++;
    if (ed == 0) return false;
  }
  if (k != n) return false;
  char buf[128];
  char *copy = n < sizeof buf ? buf : ed_malloc(n + 1);
  memcpy(copy, s, n);
  copy[n] = '\0';
  *out = strtod(copy, NULL);
  if (copy != buf) free(copy);
  return true;
}

/* Reads a BOOLEAN spelling (see the file comment); false if none. */
static bool parse_bool(const char *s, size_t n, bool *out) {
  static const char *const yes[] = {"true", "t", "yes", "y", "on", "1"};
  static const char *const no[] = {"false", "f", "no", "n", "off", "0"};
  trim_blanks(&s, &n);
  for (int k = 0; k < 6; k++) {
    if (strlen(yes[k]) == n && strncasecmp(s, yes[k], n) == 0) {
      *out = true;
      return true;
    }
    if (strlen(no[k]) == n && strncasecmp(s, no[k], n) == 0) {
      *out = false;
      return true;
    }
  }
  return false;
}

/* Text to BIGINT: an integer, or a real number truncated toward zero. */
static bool text_to_i64(const char *s, size_t n, int64_t *out) {
  if (ev_parse_i64(s, n, out)) return true;
  double d;
  if (!ev_parse_f64(s, n, &d)) return false;
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  *out = (int64_t)d;
  return true;
}

/* Whether CAST(from AS to) is a conversion eddy defines. */
static bool cast_supported(EdType from, EdType to) {
  if (to == ED_T_VARCHAR) return from != ED_T_NULL;
  if (to == ED_T_WINDOW || from == ED_T_WINDOW) return false;
  if ((from == ED_T_TIMESTAMP && to == ED_T_INTERVAL) ||
      (from == ED_T_INTERVAL && to == ED_T_TIMESTAMP))
    return false;
  if ((from == ED_T_TIMESTAMP || from == ED_T_INTERVAL) && to == ED_T_BOOL)
    return false;
  if (from == ED_T_BOOL && (to == ED_T_TIMESTAMP || to == ED_T_INTERVAL))
    return false;
  return to != ED_T_NULL;
}

void ev_prep_cast(EdEvaluator *ev, EvNode *nd) {
  EdType from = nd->args[0]->type, to = nd->type;
  if (from == to) {
    nd->variant = V_PASS;
  } else if (from == ED_T_NULL) {
    nd->variant = V_NULLS;
  } else if (!cast_supported(from, to)) {
    ev_prep_error(ev, nd, "cannot cast %s to %s", ed_type_name(from),
                  ed_type_name(to));
  } else {
    nd->variant = V_CONVERT;
  }
}

/* ----------------------------------------------------------- to text */

/* Reserves room for the text of the active rows, at most `each` bytes per
** row, in one allocation. */
static char *text_room(EvRun *r, int n, size_t each) {
  return ed_arena_alloc(r->arena, (size_t)n * each);
}

/* Text form of every non-NULL active row of x, into the run's arena. */
static int to_text(EvRun *r, const EdVector *x, EdVector *dst,
                   const uint16_t *sel, int n) {
  EdStr *o = ED_VEC_STR(dst);
  const uint64_t *vw = dst->validity;
  switch (x->type) {
    case ED_T_BOOL: {
      const uint8_t *d = ED_VEC_BOOL(x);
      EV_FOR_ROWS(sel, n, o[i] = d[i] ? (EdStr){"true", 4} : (EdStr){"false", 5});
      return 0;
    }
    case ED_T_BIGINT: {
      const int64_t *d = ED_VEC_I64(x);
      char *p = text_room(r, n, 21);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        int len = sprintf(p, "%lld", (long long)d[i]);
        o[i] = (EdStr){p, (uint32_t)len};
        p += len;
      });
      return 0;
    }
    case ED_T_DOUBLE: {
      const double *d = ED_VEC_F64(x);
      char *p = text_room(r, n, 32);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        int len = ed_format_double(d[i], p);
        o[i] = (EdStr){p, (uint32_t)len};
        p += len;
      });
      return 0;
    }
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: {
      const int64_t *d = ED_VEC_I64(x);
      bool ts = x->type == ED_T_TIMESTAMP;
      char *p = text_room(r, n, ED_TS_BUFSZ);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        int len = ts ? ed_format_timestamp(d[i], p) : ed_format_interval(d[i], p);
        o[i] = (EdStr){p, (uint32_t)len};
        p += len;
      });
      return 0;
    }
    case ED_T_WINDOW: {
      const EdWindow *d = ED_VEC_WIN(x);
      char *p = text_room(r, n, 2 * ED_TS_BUFSZ + 4);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        char *q = p;
        *q++ = '{';
        q += ed_format_timestamp(d[i].start, q);
        *q++ = ',';
        *q++ = ' ';
        q += ed_format_timestamp(d[i].end, q);
        *q++ = '}';
        o[i] = (EdStr){p, (uint32_t)(q - p)};
        p = q;
      });
      return 0;
    }
    default:
      return ed_exec_error(r->ctx, "cannot cast %s to VARCHAR",
                           ed_type_name(x->type));
  }
}

/* --------------------------------------------------------- from text */

static int from_text(EvRun *r, const EdVector *x, EdVector *dst,
                     const uint16_t *sel, int n) {
  const EdStr *s = ED_VEC_STR(x);
  uint64_t *vw = dst->validity;
  switch (dst->type) {
    case ED_T_BOOL: {
      uint8_t *o = ED_VEC_BOOL(dst);
      EV_FOR_ROWS(sel, n, {
        bool b;
        if (!ev_bit(vw, i)) continue;
        if (parse_bool(s[i].ptr, s[i].len, &b)) o[i] = b;
        else ev_bit_set(vw, i, false);
      });
      return 0;
    }
    case ED_T_BIGINT: {
      int64_t *o = ED_VEC_I64(dst);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i) && !text_to_i64(s[i].ptr, s[i].len, &o[i]))
                              ev_bit_set(vw, i, false));
      return 0;
    }
    case ED_T_DOUBLE: {
      double *o = ED_VEC_F64(dst);
      EV_FOR_ROWS(sel, n, if (ev_bit(vw, i) && !ev_parse_f64(s[i].ptr, s[i].len, &o[i]))
                              ev_bit_set(vw, i, false));
      return 0;
    }
    case ED_T_TIMESTAMP: {
      int64_t *o = ED_VEC_I64(dst);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        const char *p = s[i].ptr;
        size_t len = s[i].len;
        trim_blanks(&p, &len);
        if (ed_parse_timestamp(p, len, &o[i]) != 0) ev_bit_set(vw, i, false);
      });
      return 0;
    }
    case ED_T_INTERVAL: {
      int64_t *o = ED_VEC_I64(dst);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        const char *p = s[i].ptr;
        size_t len = s[i].len;
        trim_blanks(&p, &len);
        if (ed_parse_interval(p, len, NULL, &o[i]) != 0) ev_bit_set(vw, i, false);
      });
      return 0;
    }
    default:
      return ed_exec_error(r->ctx, "cannot cast VARCHAR to %s",
                           ed_type_name(dst->type));
  }
}

/* ------------------------------------------------------ between numbers */

/* DOUBLE seconds or a DOUBLE integer to int64, rejecting what does not
** fit.  scale is 1 for BIGINT, 1e6 for microseconds. */
static int f64_to_i64(EvRun *r, const EdVector *x, EdVector *dst,
                      const uint16_t *sel, int n, double scale) {
  const double *d = ED_VEC_F64(x);
  int64_t *o = ED_VEC_I64(dst);
  const uint64_t *vw = dst->validity;
  bool round_us = scale != 1.0;
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    double v = round_us ? nearbyint(d[i] * scale) : d[i];
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
      return ed_exec_error(r->ctx, "DOUBLE value %.17g is out of range for %s",
                           d[i], ed_type_name(dst->type));
    o[i] = (int64_t)v;
  });
  return 0;
}

/* BIGINT seconds to microseconds. */
static int secs_to_us(EvRun *r, const EdVector *x, EdVector *dst,
                      const uint16_t *sel, int n) {
  const int64_t *d = ED_VEC_I64(x);
  int64_t *o = ED_VEC_I64(dst);
  const uint64_t *vw = dst->validity;
  EV_FOR_ROWS(sel, n, {
    if (ev_bit(vw, i) && __builtin_mul_overflow(d[i], ED_USEC_PER_SEC, &o[i]))
      return ed_exec_error(r->ctx, "%lld seconds is out of range for %s",
                           (long long)d[i], ed_type_name(dst->type));
  });
  return 0;
}

/* a / b rounded toward negative infinity. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Converts the active rows of x into dst's type (validity already
** copied; conversions that fail on a row clear it or raise an error). */
static int convert(EvRun *r, const EdVector *x, EdVector *dst,
                   const uint16_t *sel, int n) {
  EdType from = x->type, to = dst->type;
  if (to == ED_T_VARCHAR) return to_text(r, x, dst, sel, n);
  if (from == ED_T_VARCHAR) return from_text(r, x, dst, sel, n);
  const int64_t *xi = ED_VEC_I64(x);
  const double *xd = ED_VEC_F64(x);
  const uint8_t *xb = ED_VEC_BOOL(x);
  int64_t *oi = ED_VEC_I64(dst);
  double *od = ED_VEC_F64(dst);
  uint8_t *ob = ED_VEC_BOOL(dst);
  switch (to) {
    case ED_T_BOOL:
      if (from == ED_T_BIGINT) EV_FOR_ROWS(sel, n, ob[i] = xi[i] != 0);
      else if (from == ED_T_DOUBLE) EV_FOR_ROWS(sel, n, ob[i] = xd[i] != 0.0);
      else break;
      return 0;
    case ED_T_BIGINT:
      switch (from) {
        case ED_T_BOOL: EV_FOR_ROWS(sel, n, oi[i] = xb[i] != 0); return 0;
        case ED_T_DOUBLE: return f64_to_i64(r, x, dst, sel, n, 1.0);
        case ED_T_TIMESTAMP:
          EV_FOR_ROWS(sel, n, oi[i] = floor_div(xi[i], ED_USEC_PER_SEC));
          return 0;
        case ED_T_INTERVAL:
          EV_FOR_ROWS(sel, n, oi[i] = xi[i] / ED_USEC_PER_SEC);
          return 0;
        default: break;
      }
      break;
    case ED_T_DOUBLE:
      switch (from) {
        case ED_T_BOOL: EV_FOR_ROWS(sel, n, od[i] = xb[i] != 0); return 0;
        case ED_T_BIGINT: EV_FOR_ROWS(sel, n, od[i] = (double)xi[i]); return 0;
        case ED_T_TIMESTAMP:
        case ED_T_INTERVAL:
          EV_FOR_ROWS(sel, n, od[i] = (double)xi[i] / 1e6);
          return 0;
        default: break;
      }
      break;
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL:
      if (from == ED_T_BIGINT) return secs_to_us(r, x, dst, sel, n);
      if (from == ED_T_DOUBLE) return f64_to_i64(r, x, dst, sel, n, 1e6);
      break;
    default: break;
  }
  return ed_exec_error(r->ctx, "cannot cast %s to %s", ed_type_name(from),
                       ed_type_name(to));
}

int ev_run_cast(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EvNode *a = nd->args[0];
  if (ev_eval(r, a, sel, n)) return -1;
  if (nd->variant == V_PASS) {
    ev_pass_through(nd, a, sel, n);
    return 0;
  }
  EdVector *dst = nd->dst;
  int nw = ev_words(sel, n);
  if (nd->variant == V_NULLS || a->type == ED_T_NULL) {
    memset(dst->validity, 0, sizeof(uint64_t) * (size_t)nw);
    return 0;
  }
  ev_valid_copy(dst->validity, ev_opnd(a), nw);
  if (!a->res) return 0;   /* a NULL constant: every row is NULL */
  return convert(r, a->res, dst, sel, n);
}
