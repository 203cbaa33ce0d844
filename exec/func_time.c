/*
** exec/func_time.c — time functions: now, to_timestamp, date_trunc, and
** window (the tumbling window of a timestamp).
**
** now() is the same for every row of a query run (EdExecCtx.now_us).
** to_timestamp reads text in any timestamp form, or BIGINT / DOUBLE
** seconds since the epoch (fractions rounded to the microsecond); text that
** is not a timestamp gives NULL.  date_trunc(unit, ts) rounds down to a
** microsecond, millisecond, second, minute, hour, day, week (ISO: Monday),
** month, quarter or year, in UTC, correctly for times before 1970.
** window(ts, size) is [floor(ts / size) * size, + size), aligned to the
** epoch.  Sliding and session windows give a row several windows or need
** the rows around it, so only a streaming aggregation computes them.
*/
#include <math.h>
#include <strings.h>

#include "exec/expr_internal.h"

#define USEC_PER_DAY (INT64_C(86400) * ED_USEC_PER_SEC)

/* a / b rounded toward negative infinity. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
** algorithm, valid for every int64 day count that eddy can hold). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The date of a day count since 1970-01-01 (inverse of the above). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

typedef enum TUnit { TU_MICROSECOND, TU_MILLISECOND, TU_SECOND, TU_MINUTE,
                     TU_HOUR, TU_DAY, TU_WEEK, TU_MONTH, TU_QUARTER, TU_YEAR,
                     TU_BAD } TUnit;

static const char *const unit_names[] = {"microsecond", "millisecond",
                                         "second", "minute", "hour", "day",
                                         "week", "month", "quarter", "year"};

/* A unit name, singular or plural, any case, blanks around ignored. */
static TUnit parse_unit(EdStr s) {
  const char *p = s.ptr;
  size_t n = s.len;
  while (n && *p == ' ') p++, n--;
  while (n && p[n - 1] == ' ') n--;
  if (n > 1 && (p[n - 1] == 's' || p[n - 1] == 'S')) {
    for (int u = 0; u < TU_BAD; u++)
      if (strlen(unit_names[u]) == n - 1 && strncasecmp(p, unit_names[u], n - 1) == 0)
        return (TUnit)u;
  }
  for (int u = 0; u < TU_BAD; u++)
    if (strlen(unit_names[u]) == n && strncasecmp(p, unit_names[u], n) == 0)
      return (TUnit)u;
  return TU_BAD;
}

/* Truncates us to unit u; false if the result does not fit. */
static bool trunc_ts(int64_t us, TUnit u, int64_t *out) {
  static const int64_t fixed[] = {1, 1000, ED_USEC_PER_SEC,
                                  60 * ED_USEC_PER_SEC, 3600 * ED_USEC_PER_SEC,
                                  USEC_PER_DAY};
  if (u <= TU_DAY)
    return !__builtin_mul_overflow(floor_div(us, fixed[u]), fixed[u], out);
  int64_t days = floor_div(us, USEC_PER_DAY);
  if (u == TU_WEEK) {
    int64_t dow = days + 3 - floor_div(days + 3, 7) * 7;   /* 0 = Monday */
    days -= dow;
  } else {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (u == TU_YEAR) m = 1;
    if (u == TU_QUARTER) m = (m - 1) / 3 * 3 + 1;
    days = days_from_civil(y, m, 1);
  }
  return !__builtin_mul_overflow(days, USEC_PER_DAY, out);
}

enum { V_TT_TEXT = 1, V_TT_SECS, V_TT_FSECS, V_TT_SAME };

void ev_prep_time_func(EdEvaluator *ev, EvNode *nd) {
  switch (nd->op) {
    case FN_NOW:
      if (nd->nargs != 0) break;
      return;
    case FN_TO_TIMESTAMP: {
      if (nd->nargs != 1) break;
      EdType t = nd->args[0]->type;
      nd->variant = t == ED_T_VARCHAR ? V_TT_TEXT
                    : t == ED_T_BIGINT ? V_TT_SECS
                    : t == ED_T_DOUBLE ? V_TT_FSECS
                    : t == ED_T_TIMESTAMP ? V_TT_SAME : 0;
      if (t == ED_T_NULL) {
        nd->args[0] = ev_coerce(ev, nd->args[0], ED_T_BIGINT);
        nd->variant = V_TT_SECS;
      }
      if (!nd->variant)
        ev_prep_error(ev, nd, "to_timestamp() takes text or seconds, not %s",
                      ed_type_name(t));
      ev_need_vector(ev, nd->args[0]);
      return;
    }
    case FN_DATE_TRUNC: {
      if (nd->nargs != 2) break;
      nd->args[0] = ev_coerce(ev, nd->args[0], ED_T_VARCHAR);
      nd->args[1] = ev_coerce(ev, nd->args[1], ED_T_TIMESTAMP);
      EvNode *u = nd->args[0];
      nd->variant = TU_BAD;   /* per row */
      if (u->is_const && !u->cval.is_null) {
        nd->variant = parse_unit(u->cval.u.s);
        if (nd->variant == TU_BAD)
          ev_prep_error(ev, nd, "date_trunc: unknown unit '%.*s'",
                        (int)u->cval.u.s.len, u->cval.u.s.ptr);
      }
      ev_need_vector(ev, nd->args[0]);
      ev_need_vector(ev, nd->args[1]);
      return;
    }
    case FN_WINDOW: {
      if (nd->nargs != 2 && nd->nargs != 3) break;
      for (int k = 1; k < nd->nargs; k++) {
        EvNode *s = nd->args[k];
        int64_t us;
        if (s->is_const && s->type == ED_T_VARCHAR && !s->cval.is_null &&
            ed_parse_interval(s->cval.u.s.ptr, s->cval.u.s.len, NULL, &us) != 0) {
          ev_prep_error(ev, nd, "window: '%.*s' is not an interval",
                        (int)s->cval.u.s.len, s->cval.u.s.ptr);
          return;
        }
        nd->args[k] = ev_coerce(ev, s, ED_T_INTERVAL);
      }
      nd->args[0] = ev_coerce(ev, nd->args[0], ED_T_TIMESTAMP);
      if (nd->nargs == 3) {
        EvNode *size = nd->args[1], *slide = nd->args[2];
        /* A slide equal to the size is a tumbling window. */
        if (!(size->is_const && slide->is_const && !size->cval.is_null &&
              !slide->cval.is_null && size->cval.u.i == slide->cval.u.i)) {
          ev_prep_error(ev, nd, "sliding windows and session windows need a "
                        "streaming query");
          return;
        }
      }
      for (int k = 0; k < nd->nargs; k++) ev_need_vector(ev, nd->args[k]);
      return;
    }
    case FN_SESSION_WINDOW:
      ev_prep_error(ev, nd, "sliding windows and session windows need a "
                    "streaming query");
      return;
    default:
      break;
  }
  ev_prep_error(ev, nd, "wrong number of arguments to a time function");
}

/* to_timestamp over the active rows, by the argument's type. */
static int run_to_timestamp(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  const EdVector *x = nd->args[0]->res;
  EdVector *dst = nd->dst;
  int64_t *o = ED_VEC_I64(dst);
  uint64_t *vw = dst->validity;
  switch (nd->variant) {
    case V_TT_TEXT: {
      const EdStr *s = ED_VEC_STR(x);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        const char *p = s[i].ptr;
        size_t len = s[i].len;
        while (len && *p == ' ') p++, len--;
        while (len && p[len - 1] == ' ') len--;
        if (ed_parse_timestamp(p, len, &o[i]) != 0) ev_bit_set(vw, i, false);
      });
      return 0;
    }
    case V_TT_SECS: {
      const int64_t *s = ED_VEC_I64(x);
      EV_FOR_ROWS(sel, n, {
        if (ev_bit(vw, i) && __builtin_mul_overflow(s[i], ED_USEC_PER_SEC, &o[i]))
          return ed_exec_error(r->ctx, "to_timestamp(%lld): out of range",
                               (long long)s[i]);
      });
      return 0;
    }
    case V_TT_FSECS: {
      const double *s = ED_VEC_F64(x);
      EV_FOR_ROWS(sel, n, {
        if (!ev_bit(vw, i)) continue;
        double v = nearbyint(s[i] * 1e6);
        if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
          return ed_exec_error(r->ctx, "to_timestamp(%.17g): out of range", s[i]);
        o[i] = (int64_t)v;
      });
      return 0;
    }
    default: {
      const int64_t *s = ED_VEC_I64(x);
      EV_FOR_ROWS(sel, n, o[i] = s[i]);
      return 0;
    }
  }
}

/* date_trunc over the active rows (unit constant or per row). */
static int run_date_trunc(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  const EdStr *units = ED_VEC_STR(nd->args[0]->res);
  const int64_t *ts = ED_VEC_I64(nd->args[1]->res);
  int64_t *o = ED_VEC_I64(nd->dst);
  const uint64_t *vw = nd->dst->validity;
  TUnit fixed = (TUnit)nd->variant;
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    TUnit u = fixed;
    if (u == TU_BAD) {
      u = parse_unit(units[i]);
      if (u == TU_BAD)
        return ed_exec_error(r->ctx, "date_trunc: unknown unit '%.*s'",
                             (int)units[i].len, units[i].ptr);
    }
    if (!trunc_ts(ts[i], u, &o[i]))
      return ed_exec_error(r->ctx, "date_trunc: timestamp out of range");
  });
  return 0;
}

/* window(ts, size) over the active rows. */
static int run_window(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  const int64_t *ts = ED_VEC_I64(nd->args[0]->res);
  const int64_t *size = ED_VEC_I64(nd->args[1]->res);
  EdWindow *o = ED_VEC_WIN(nd->dst);
  const uint64_t *vw = nd->dst->validity;
  EV_FOR_ROWS(sel, n, {
    if (!ev_bit(vw, i)) continue;
    int64_t sz = size[i], start, end;
    if (sz <= 0)
      return ed_exec_error(r->ctx, "window size must be a positive interval");
    if (__builtin_mul_overflow(floor_div(ts[i], sz), sz, &start) ||
        __builtin_add_overflow(start, sz, &end))
      return ed_exec_error(r->ctx, "window: timestamp out of range");
    o[i].start = start;
    o[i].end = end;
  });
  return 0;
}

int ev_run_time_func(EvRun *r, EvNode *nd, const uint16_t *sel, int n) {
  EdVector *dst = nd->dst;
  int nw = ev_words(sel, n);
  if (nd->op == FN_NOW) {
    EdValue v = {.type = ED_T_TIMESTAMP, .u.i = r->now_us};
    ev_fill(dst, &v, sel, n);
    return 0;
  }
  for (int k = 0; k < nd->nargs; k++)
    if (ev_eval(r, nd->args[k], sel, n)) return -1;
  if (!ev_valid_copy(dst->validity, ev_opnd_vec(nd->args[0]), nw)) return 0;
  for (int k = 1; k < nd->nargs; k++) {
    const uint64_t *aw = nd->args[k]->res->validity;
    for (int w = 0; w < nw; w++) dst->validity[w] &= aw[w];
  }
  switch (nd->op) {
    case FN_TO_TIMESTAMP: return run_to_timestamp(r, nd, sel, n);
    case FN_DATE_TRUNC: return run_date_trunc(r, nd, sel, n);
    case FN_WINDOW: return run_window(r, nd, sel, n);
    default:
      return ed_exec_error(r->ctx, "unsupported time function %d", nd->op);
  }
}
