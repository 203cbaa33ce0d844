/*
** common/types.c — type names and the text forms of values (DESIGN §2).
**
** Timestamps are microseconds since the Unix epoch in UTC.  Calendar
** arithmetic uses the proleptic Gregorian calendar through the
** days-from-civil / civil-from-days algorithms, which are exact for every
** int64 day count, so negative epochs and far years print correctly.
** Number parsing and printing never depend on the process locale: doubles
** go through a private "C" locale object.
*/
#include "common/types.h"

#include <assert.h>
#include <ctype.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define USEC_PER_MIN (60 * ED_USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MIN)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)

/* ------------------------------------------------------------ type names */

static const char *const type_names[ED_T__COUNT] = {
    "NULL", "BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP",
    "INTERVAL", "WINDOW"};

/* Returns the SQL name of t; "?" for a value outside the enum. */
const char *ed_type_name(EdType t) {
  if ((int)t < 0 || t >= ED_T__COUNT) return "?";
  return type_names[t];
}

static const struct {
  const char *name;
  EdType type;
} type_aliases[] = {
    {"BIGINT", ED_T_BIGINT},     {"INT", ED_T_BIGINT},
    {"INTEGER", ED_T_BIGINT},    {"SMALLINT", ED_T_BIGINT},
    {"TINYINT", ED_T_BIGINT},    {"INT8", ED_T_BIGINT},
    {"LONG", ED_T_BIGINT},       {"DOUBLE", ED_T_DOUBLE},
    {"REAL", ED_T_DOUBLE},       {"FLOAT", ED_T_DOUBLE},
    {"FLOAT8", ED_T_DOUBLE},     {"DECIMAL", ED_T_DOUBLE},
    {"NUMERIC", ED_T_DOUBLE},    {"VARCHAR", ED_T_VARCHAR},
    {"TEXT", ED_T_VARCHAR},      {"STRING", ED_T_VARCHAR},
    {"CHAR", ED_T_VARCHAR},      {"BOOLEAN", ED_T_BOOL},
    {"BOOL", ED_T_BOOL},         {"TIMESTAMP", ED_T_TIMESTAMP},
    {"INTERVAL", ED_T_INTERVAL},
};

/* Maps a column type name (any alias, any case) to its type; WINDOW and
** unknown names give ED_T_NULL because they cannot be declared. */
EdType ed_type_from_name(const char *name, size_t n) {
  for (size_t i = 0; i < sizeof(type_aliases) / sizeof(type_aliases[0]);
       i++) {
    const char *a = type_aliases[i].name;
    if (strlen(a) == n && strncasecmp(a, name, n) == 0)
      return type_aliases[i].type;
  }
  return ED_T_NULL;
}

/* ------------------------------------------------------------ calendar */

/* Days since 1970-01-01 of the civil date y-m-d (Gregorian, proleptic). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m,
                            unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned dim[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* ------------------------------------------------------ timestamp parse */

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Reads between min and max decimal digits at *p (not past end) into *v.
** Advances *p; returns the number of digits read, 0 if fewer than min. */
static int read_digits(const char **p, const char *end, int min, int max,
                       int *v) {
  const char *s = *p;
  int n = 0, x = 0;
  while (s < end && n < max && *s >= '0' && *s <= '9') {
    x = x * 10 + (*s - '0');
    s++;
    n++;
  }
  if (n < min) return 0;
  *p = s;
  *v = x;
  return n;
}

/* Parses a zone designator at [p, end): "Z", "UTC", "GMT", or "+HH",
** "+HHMM", "+HH:MM" (also '-').  Sets *off_us to the offset east of UTC.
** Returns 0 when the whole rest is consumed, -1 otherwise. */
static int parse_zone(const char *p, const char *end, int64_t *off_us) {
  *off_us = 0;
  if (p < end && *p == ' ') p++;
  size_t n = (size_t)(end - p);
  if (n == 1 && (*p == 'Z' || *p == 'z')) return 0;
  if (n == 3 && (strncasecmp(p, "UTC", 3) == 0 ||
                 strncasecmp(p, "GMT", 3) == 0))
    return 0;
  if (n < 3 || (*p != '+' && *p != '-')) return -1;
  int sign = *p == '-' ? -1 : 1, hh, mm = 0;
  p++;
  if (read_digits(&p, end, 2, 2, &hh) != 2) return -1;
  if (p < end) {
    if (*p == ':') p++;
    if (read_digits(&p, end, 2, 2, &mm) != 2) return -1;
  }
  if (p != end || hh > 18 || mm > 59) return -1;
  *off_us = sign * ((int64_t)hh * USEC_PER_HOUR + (int64_t)mm * USEC_PER_MIN);
  return 0;
}

/* Accepts 'YYYY-M[M]-D[D]' optionally followed by ' ' or 'T' and
** 'H[H]:M[M][:S[S][.f{1,9}]]' and a zone (see parse_zone), surrounded by
** optional blanks.  Digits of the fraction past microseconds are dropped;
** a zone converts the local time to UTC. */
int ed_parse_timestamp(const char *s, size_t n, int64_t *out) {
  const char *p = s, *end = s + n;
  while (p < end && is_blank(*p)) p++;
  while (end > p && is_blank(end[-1])) end--;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  int64_t frac = 0;
  if (read_digits(&p, end, 4, 4, &y) != 4 || p >= end || *p++ != '-')
    return -1;
  if (!read_digits(&p, end, 1, 2, &mo) || p >= end || *p++ != '-')
    return -1;
  if (!read_digits(&p, end, 1, 2, &d)) return -1;
  if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, mo))
    return -1;
  int64_t zone = 0;
  if (p < end) {
    if ((*p == ' ' || *p == 'T' || *p == 't') && p + 1 < end &&
        p[1] >= '0' && p[1] <= '9') {
      p++;
      if (!read_digits(&p, end, 1, 2, &h) || p >= end || *p++ != ':')
        return -1;
      if (!read_digits(&p, end, 1, 2, &mi)) return -1;
      if (p < end && *p == ':') {
        p++;
        if (!read_digits(&p, end, 1, 2, &sec)) return -1;
        if (p < end && *p == '.') {
          p++;
          int nd = 0;
          while (p < end && *p >= '0' && *p <= '9') {
            if (nd < 6) frac = frac * 10 + (*p - '0');
            nd++;
            p++;
          }
          if (nd == 0 || nd > 9) return -1;
          for (; nd < 6; nd++) frac *= 10;
        }
      }
      if (h > 23 || mi > 59 || sec > 59) return -1;
    }
    if (p < end && parse_zone(p, end, &zone) != 0) return -1;
  }
  /* Consecutive timestamps of a stream mostly share their date. */
  static __thread int last_ymd = -1;
  static __thread int64_t last_days;
  int ymd = (y * 100 + mo) * 100 + d;
  if (ymd != last_ymd) {
    last_days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    last_ymd = ymd;
  }
  int64_t days = last_days;
  *out = days * USEC_PER_DAY + (int64_t)h * USEC_PER_HOUR +
         (int64_t)mi * USEC_PER_MIN + (int64_t)sec * ED_USEC_PER_SEC + frac -
         zone;
  return 0;
}

/* ----------------------------------------------------- timestamp format */

/* Writes v as exactly width decimal digits (v >= 0). */
static char *put_digits(char *p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    p[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

/* Formats 'YYYY-MM-DD HH:MM:SS[.ffffff]' with trailing fraction zeros
** removed.  Floor division keeps times before 1970 on the right day. */
int ed_format_timestamp(int64_t us, char *buf) {
  int64_t days = us / USEC_PER_DAY, rem = us % USEC_PER_DAY;
  if (rem < 0) {
    rem += USEC_PER_DAY;
    days--;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char *p = buf;
  if (y >= 0 && y <= 9999) {
    p = put_digits(p, y, 4);
  } else {
    p += snprintf(p, 24, "%lld", (long long)y);
  }
  *p++ = '-';
  p = put_digits(p, m, 2);
  *p++ = '-';
  p = put_digits(p, d, 2);
  *p++ = ' ';
  int64_t secs = rem / ED_USEC_PER_SEC, frac = rem % ED_USEC_PER_SEC;
  p = put_digits(p, secs / 3600, 2);
  *p++ = ':';
  p = put_digits(p, secs / 60 % 60, 2);
  *p++ = ':';
  p = put_digits(p, secs % 60, 2);
  if (frac) {
    int width = 6;
    while (frac % 10 == 0) {
      frac /= 10;
      width--;
    }
    *p++ = '.';
    p = put_digits(p, frac, width);
  }
  *p = '\0';
  return (int)(p - buf);
}

/* ------------------------------------------------------------ intervals */

static const struct {
  const char *name;
  int64_t us;
} interval_units[] = {
    {"microsecond", 1},
    {"microseconds", 1},
    {"us", 1},
    {"usec", 1},
    {"usecs", 1},
    {"millisecond", 1000},
    {"milliseconds", 1000},
    {"ms", 1000},
    {"msec", 1000},
    {"msecs", 1000},
    {"second", ED_USEC_PER_SEC},
    {"seconds", ED_USEC_PER_SEC},
    {"s", ED_USEC_PER_SEC},
    {"sec", ED_USEC_PER_SEC},
    {"secs", ED_USEC_PER_SEC},
    {"minute", USEC_PER_MIN},
    {"minutes", USEC_PER_MIN},
    {"min", USEC_PER_MIN},
    {"mins", USEC_PER_MIN},
    {"hour", USEC_PER_HOUR},
    {"hours", USEC_PER_HOUR},
    {"h", USEC_PER_HOUR},
    {"hr", USEC_PER_HOUR},
    {"hrs", USEC_PER_HOUR},
    {"day", USEC_PER_DAY},
    {"days", USEC_PER_DAY},
    {"d", USEC_PER_DAY},
    {"week", 7 * USEC_PER_DAY},
    {"weeks", 7 * USEC_PER_DAY},
    {"w", 7 * USEC_PER_DAY},
};

/* Microseconds in the unit named [p, p+n) (case-insensitive), or 0. */
static int64_t unit_usec(const char *p, size_t n) {
  for (size_t i = 0; i < sizeof(interval_units) / sizeof(interval_units[0]);
       i++) {
    const char *u = interval_units[i].name;
    if (strlen(u) == n && strncasecmp(u, p, n) == 0)
      return interval_units[i].us;
  }
  return 0;
}

/* Reads a decimal number "[+-]digits[.digits]" at *p as an exact integer
** part and a fraction scaled to 10^-9.  Returns -1 when there is none. */
static int read_decimal(const char **pp, const char *end, bool *neg,
                        int64_t *ipart, int64_t *nanos) {
  const char *p = *pp;
  *neg = false;
  if (p < end && (*p == '+' || *p == '-')) *neg = *p++ == '-';
  int64_t v = 0;
  int nd = 0;
  while (p < end && *p >= '0' && *p <= '9') {
    if (v > (INT64_MAX - 9) / 10) return -1;
    v = v * 10 + (*p++ - '0');
    nd++;
  }
  int64_t f = 0;
  int nf = 0;
  if (p < end && *p == '.') {
    p++;
    while (p < end && *p >= '0' && *p <= '9') {
      if (nf < 9) f = f * 10 + (*p - '0');
      nf++;
      p++;
    }
  }
  if (nd + nf == 0) return -1;
  for (int i = nf; i < 9; i++) f *= 10;
  *ipart = v;
  *nanos = f;
  *pp = p;
  return 0;
}

/* Adds amount (ipart + nanos/1e9) of unit to *acc; -1 on overflow. */
static int add_amount(int64_t *acc, bool neg, int64_t ipart, int64_t nanos,
                      int64_t unit) {
  int64_t v;
  if (__builtin_mul_overflow(ipart, unit, &v)) return -1;
  /* unit <= one week in microseconds, so nanos * unit fits in 128 bits;
  ** do it in two steps to stay within int64. */
  int64_t fr = (nanos / 1000) * unit / 1000000 +
               (nanos % 1000) * unit / 1000000000;
  if (__builtin_add_overflow(v, fr, &v)) return -1;
  if (neg) v = -v;
  if (__builtin_add_overflow(*acc, v, acc)) return -1;
  return 0;
}

/* Parses "N unit [N unit ...]" (units of interval_units, a blank between
** number and unit optional) or, with unit given, a bare number of that
** unit.  Fractions are exact down to the microsecond (truncated below). */
int ed_parse_interval(const char *s, size_t n, const char *unit,
                      int64_t *out) {
  const char *p = s, *end = s + n;
  while (p < end && isspace((unsigned char)*p)) p++;
  while (end > p && isspace((unsigned char)end[-1])) end--;
  int64_t acc = 0;
  bool neg;
  int64_t ip, ns;
  if (unit) {
    int64_t u = unit_usec(unit, strlen(unit));
    if (!u || read_decimal(&p, end, &neg, &ip, &ns) || p != end) return -1;
    if (add_amount(&acc, neg, ip, ns, u)) return -1;
    *out = acc;
    return 0;
  }
  int items = 0;
  while (p < end) {
    if (read_decimal(&p, end, &neg, &ip, &ns)) return -1;
    while (p < end && *p == ' ') p++;
    const char *u0 = p;
    while (p < end && isalpha((unsigned char)*p)) p++;
    int64_t u = unit_usec(u0, (size_t)(p - u0));
    if (!u || add_amount(&acc, neg, ip, ns, u)) return -1;
    items++;
    while (p < end && (isspace((unsigned char)*p) || *p == ',')) p++;
  }
  if (!items) return -1;
  *out = acc;
  return 0;
}

/* Appends "<v> <unit>[s]" (v negated when neg), blank-separated. */
static char *put_part(char *p, const char *buf, uint64_t v, const char *unit,
                      bool neg) {
  if (p != buf) *p++ = ' ';
  p += sprintf(p, "%s%llu %s%s", neg ? "-" : "", (unsigned long long)v, unit,
               v == 1 ? "" : "s");
  return p;
}

/* Formats as days, hours, minutes, seconds and the rest in milliseconds
** (or microseconds when not whole milliseconds), largest first; zero parts
** are omitted, a zero interval is "0 seconds", and a negative interval
** negates every part ("-1 minute -30 seconds") so that the text parses
** back with ed_parse_interval to the same value.  A text that would not fit
** in ED_TS_BUFSZ bytes is written as seconds with a fraction instead. */
int ed_format_interval(int64_t us, char *buf) {
  char tmp[160], *p = tmp;
  bool neg = us < 0;
  uint64_t v = neg ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
  if (v == 0) return sprintf(buf, "0 seconds");
  uint64_t day = (uint64_t)USEC_PER_DAY, hour = (uint64_t)USEC_PER_HOUR,
           min = (uint64_t)USEC_PER_MIN, sec = (uint64_t)ED_USEC_PER_SEC;
  uint64_t rest = v;
  if (rest >= day) p = put_part(p, tmp, rest / day, "day", neg);
  rest %= day;
  if (rest >= hour) p = put_part(p, tmp, rest / hour, "hour", neg);
  rest %= hour;
  if (rest >= min) p = put_part(p, tmp, rest / min, "minute", neg);
  rest %= min;
  if (rest >= sec) p = put_part(p, tmp, rest / sec, "second", neg);
  rest %= sec;
  if (rest && rest % 1000 == 0)
    p = put_part(p, tmp, rest / 1000, "millisecond", neg);
  else if (rest)
    p = put_part(p, tmp, rest, "microsecond", neg);
  int len = (int)(p - tmp);
  if (len < ED_TS_BUFSZ) {
    memcpy(buf, tmp, (size_t)len + 1);
    return len;
  }
  len = sprintf(buf, "%s%llu", neg ? "-" : "", (unsigned long long)(v / sec));
  if (v % sec) {
    uint64_t f = v % sec;
    int width = 6;
    while (f % 10 == 0) {
      f /= 10;
      width--;
    }
    len += sprintf(buf + len, ".%0*llu", width, (unsigned long long)f);
  }
  return len + sprintf(buf + len, " seconds");
}

/* -------------------------------------------------------------- doubles */

/* The "C" locale, so that '.' is the decimal point whatever setlocale()
** the program made. */
static locale_t c_locale(void) {
  static locale_t loc;
  if (!loc) loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  return loc;
}

/* Formats d in positional notation when its decimal exponent is in
** [-4, 16) and in scientific notation ("1.5e+20") otherwise, with the
** fewest significant digits that read back as d.  Integral values and
** mantissas always show a fraction (".0"). */
int ed_format_double(double d, char *buf) {
  if (isnan(d)) return sprintf(buf, "NaN");
  if (isinf(d)) return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
  if (d == floor(d) && fabs(d) < 1e15)
    return sprintf(buf, "%s%lld.0", signbit(d) && d == 0 ? "-" : "",
                   (long long)d);
  /* Shortest digits: if a P-digit decimal reads back as d, the correctly
  ** rounded P-digit one does too.  A normal double has 53 bits, so when
  ** its 15-digit rounding reads back, trimming that rounding's trailing
  ** zeros gives the shortest form; else 16 or 17 digits are needed.  A
  ** subnormal has fewer bits, so its search starts at one digit. */
  char tmp[40];
  locale_t old = uselocale(c_locale());
  for (int prec = fabs(d) < DBL_MIN ? 0 : 14; prec <= 16; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec, d);
    if (prec == 16 || strtod(tmp, NULL) == d) break;
  }
  uselocale(old);
  /* tmp is "[-]d.ddddde[+-]XX". */
  char digits[24];
  int nd = 0;
  const char *q = tmp;
  bool neg = *q == '-';
  if (neg) q++;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q;
  int exp10 = atoi(q + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  char *p = buf;
  if (neg) *p++ = '-';
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 < 0) {
      *p++ = '0';
      *p++ = '.';
      for (int i = -1; i > exp10; i--) *p++ = '0';
      memcpy(p, digits, (size_t)nd);
      p += nd;
    } else {
      for (int i = 0; i <= exp10; i++) *p++ = i < nd ? digits[i] : '0';
      *p++ = '.';
      if (nd > exp10 + 1) {
        memcpy(p, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
        p += nd - exp10 - 1;
      } else {
        *p++ = '0';
      }
    }
  } else {
    *p++ = digits[0];
    *p++ = '.';
    if (nd > 1) {
      memcpy(p, digits + 1, (size_t)(nd - 1));
      p += nd - 1;
    } else {
      *p++ = '0';
    }
    p += sprintf(p, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
  }
  *p = '\0';
  assert(p - buf < 32);
  return (int)(p - buf);
}
