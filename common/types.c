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
#include <pthread.h>
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

/* "00" .. "99": two digits per lookup. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Writes v (0..99) as two digits. */
static inline char *put_pair(char *p, unsigned v) {
  assert(v < 100);
  memcpy(p, digit_pairs + 2 * v, 2);
  return p + 2;
}

/* Writes the date 'YYYY-MM-DD ' of a day number into p; returns the end. */
static char *put_date(char *p, int64_t days) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  if (y >= 0 && y <= 9999) {
    p = put_pair(p, (unsigned)(y / 100));
    p = put_pair(p, (unsigned)(y % 100));
  } else {
    p += snprintf(p, 24, "%lld", (long long)y);
  }
  *p++ = '-';
  p = put_pair(p, m);
  *p++ = '-';
  p = put_pair(p, d);
  *p++ = ' ';
  return p;
}

/* Formats 'YYYY-MM-DD HH:MM:SS[.ffffff]' with trailing fraction zeros
** removed.  Floor division keeps times before 1970 on the right day.
** Consecutive timestamps of a stream mostly share their day, so each
** thread keeps the text of the last day it formatted (the result depends
** only on us). */
int ed_format_timestamp(int64_t us, char *buf) {
  int64_t days = us / USEC_PER_DAY, rem = us % USEC_PER_DAY;
  if (rem < 0) {
    rem += USEC_PER_DAY;
    days--;
  }
  static __thread int64_t cached_day = INT64_MIN;
  static __thread char cached_date[32];
  static __thread int cached_len;
  if (days != cached_day) {
    cached_len = (int)(put_date(cached_date, days) - cached_date);
    cached_day = days;
  }
  char *p = buf;
  /* The usual date is 11 bytes: a fixed-size copy is a few moves. */
  if (cached_len <= 16)
    memcpy(p, cached_date, 16);
  else
    memcpy(p, cached_date, (size_t)cached_len);
  p += cached_len;
  unsigned secs = (unsigned)(rem / ED_USEC_PER_SEC);
  unsigned frac = (unsigned)(rem % ED_USEC_PER_SEC);
  p = put_pair(p, secs / 3600);
  *p++ = ':';
  p = put_pair(p, secs / 60 % 60);
  *p++ = ':';
  p = put_pair(p, secs % 60);
  if (frac) {
    *p++ = '.';
    unsigned hi = frac / 10000, mid = frac / 100 % 100, lo = frac % 100;
    p = put_pair(p, hi);
    if (mid || lo) {
      p = put_pair(p, mid);
      if (lo) p = put_pair(p, lo);
    }
    if (p[-1] == '0') p--;
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

static locale_t c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) {
  c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Made once: queries and decoders format and parse on several threads. */
locale_t ed_c_locale(void) {
  pthread_once(&c_loc_once, make_c_locale);
  return c_loc;
}

/* The shortest round-trip digits of d through printf and strtod: if a
** P-digit decimal reads back as d, the correctly rounded P-digit one does
** too.  A normal double has 53 bits, so when its 15-digit rounding reads
** back, trimming that rounding's trailing zeros gives the shortest form;
** else 16 or 17 digits are needed.  A subnormal has fewer bits, so its
** search starts at one digit.  Same outputs as shortest_digits_fast. */
static int shortest_digits_slow(double d, char *digits, int *exp10) {
  char tmp[40];
  locale_t old = uselocale(ed_c_locale());
  for (int prec = fabs(d) < DBL_MIN ? 0 : 14; prec <= 16; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec, d);
    if (prec == 16 || strtod(tmp, NULL) == d) break;
  }
  uselocale(old);
  /* tmp is "[-]d.ddddde[+-]XX". */
  int nd = 0;
  const char *q = tmp;
  if (*q == '-') q++;
  for (; *q && *q != 'e'; q++)
    if (*q >= '0' && *q <= '9') digits[nd++] = *q;
  *exp10 = atoi(q + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  return nd;
}

/* 10^k for k in [0, 22], exact in 128 bits. */
static unsigned __int128 pow10_u128(int k) {
  static const uint64_t p[20] = {1ULL,
                                 10ULL,
                                 100ULL,
                                 1000ULL,
                                 10000ULL,
                                 100000ULL,
                                 1000000ULL,
                                 10000000ULL,
                                 100000000ULL,
                                 1000000000ULL,
                                 10000000000ULL,
                                 100000000000ULL,
                                 1000000000000ULL,
                                 10000000000000ULL,
                                 100000000000000ULL,
                                 1000000000000000ULL,
                                 10000000000000000ULL,
                                 100000000000000000ULL,
                                 1000000000000000000ULL,
                                 10000000000000000000ULL};
  assert(k >= 0 && k <= 22);
  return k < 20 ? p[k] : (unsigned __int128)p[19] * p[k - 19];
}

/* The shortest round-trip digits of |d| for 1e-5 <= |d| < 1e15, computed
** exactly in integers: |d| = m * 2^-s, so |d| * 10^k = m * 10^k / 2^s,
** and the correctly rounded (ties to even, as printf) P-digit decimal Q
** reads back as d iff |Q - |d| * 10^k| is below half an ulp scaled by
** 10^k, i.e. 2 * |Q * 2^s - m * 10^k| < 10^k (on a tie strtod picks the
** even mantissa; below a power of two the gap to the predecessor is half
** as wide).  P goes 15, 16, 17 as in the general path, so both paths give
** the same digits.  Writes the digits (trailing zeros trimmed) and
** returns their count; *exp10 is the decimal exponent of the first. */
static int shortest_digits_fast(double d, char *digits, int *exp10) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  int be = (int)((bits >> 52) & 0x7ff);
  uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
  int e2 = be - 1075; /* |d| = m * 2^e2 */
  int s = -e2;
  assert(s > 0 && s < 100);
  /* floor(log10(2^(e2+52))) is the exponent or one less. */
  int lg2 = e2 + 52;
  int est = lg2 >= 0 ? lg2 * 78913 >> 18 : -((-lg2 * 78913 + (1 << 18) - 1) >> 18);
  unsigned __int128 one = 1, mask = (one << s) - 1;
  /* 10^-5 .. 10^15 as doubles: the negative powers round up, so
  ** d >= pow10_f64[x] holds exactly when d >= 10^(x-5). */
  static const double pow10_f64[] = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0,
                                     1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                     1e7,  1e8,  1e9,  1e10, 1e11, 1e12,
                                     1e13, 1e14, 1e15};
  assert(est + 1 >= -5 && est + 1 <= 15);
  int x10 = d >= pow10_f64[est + 1 + 5] ? est + 1 : est;
  bool low_gap = m == (UINT64_C(1) << 52);
  for (int P = 15; P <= 17; P++) {
    int k = P - 1 - x10;
    unsigned __int128 U = pow10_u128(k);
    unsigned __int128 num = (unsigned __int128)m * U;
    unsigned __int128 q = num >> s, r = num & mask;
    unsigned __int128 half = one << (s - 1);
    bool up = r > half || (r == half && (q & 1));
    bool ok;
    if (up) {
      unsigned __int128 diff = (one << s) - r;
      ok = 2 * diff < U || (2 * diff == U && !(m & 1));
      q++;
    } else {
      unsigned __int128 diff = r;
      unsigned __int128 lhs = low_gap ? 4 * diff : 2 * diff;
      ok = lhs < U || (lhs == U && !(m & 1));
    }
    if (!ok && P < 17) continue;
    int e10 = x10;
    uint64_t v = (uint64_t)q;
    if (q == pow10_u128(P)) {
      v /= 10;
      e10++;
    }
    /* Eight digits at a time in 32 bits, two per table lookup. */
    int i = P;
    while (i > 0) {
      uint32_t chunk = (uint32_t)(v % 100000000);
      v /= 100000000;
      for (int j = 0; j < 4 && i > 0; j++) {
        if (i >= 2) {
          memcpy(digits + i - 2, digit_pairs + 2 * (chunk % 100), 2);
          i -= 2;
        } else {
          digits[--i] = (char)('0' + chunk % 10);
        }
        chunk /= 100;
      }
    }
    int n = P;
    while (n > 1 && digits[n - 1] == '0') n--;
    *exp10 = e10;
    return n;
  }
  assert(0);
  return 0;
}

/* Formats d in positional notation when its decimal exponent is in
** [-4, 16) and in scientific notation ("1.5e+20") otherwise, with the
** fewest significant digits that read back as d.  Integral values and
** mantissas always show a fraction (".0"). */
int ed_format_double(double d, char *buf) {
  if (isnan(d)) return sprintf(buf, "NaN");
  if (isinf(d)) return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
  double ad = fabs(d);
  if (d == floor(d) && ad < 1e15) {
    char *p = buf;
    if (signbit(d)) *p++ = '-';
    uint64_t u = (uint64_t)ad;
    char tmp[24], *t = tmp + sizeof tmp;
    do {
      *--t = (char)('0' + u % 10);
      u /= 10;
    } while (u);
    size_t n = (size_t)(tmp + sizeof tmp - t);
    memcpy(p, t, n);
    p += n;
    memcpy(p, ".0", 3);
    return (int)(p + 2 - buf);
  }
  char digits[24] = "0";
  int nd, exp10;
  bool neg = signbit(d);
  if (ad >= 1e-5 && ad < 1e15) {
    nd = shortest_digits_fast(ad, digits, &exp10);
  } else {
    nd = shortest_digits_slow(d, digits, &exp10);
  }
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
