/*
** tests/unit/common/test_types.c — type names and the text forms of
** values (common/types.h).
**
** Expected epochs were computed with Python's datetime (UTC), expected
** double texts are Python's repr() with eddy's rule that an integral
** mantissa keeps ".0" (1e+16 -> 1.0e+16), and interval values are
** hand-computed microseconds.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/types.h"
#include "tests/unit/tap.h"

static int64_t ts(const char *s) {
  int64_t v = 0;
  if (ed_parse_timestamp(s, strlen(s), &v) != 0) return INT64_MIN;
  return v;
}

static bool ts_bad(const char *s) {
  int64_t v;
  return ed_parse_timestamp(s, strlen(s), &v) == -1;
}

static const char *fmt_ts(int64_t us) {
  static char buf[ED_TS_BUFSZ];
  ed_format_timestamp(us, buf);
  return buf;
}

static int64_t iv(const char *s, const char *unit) {
  int64_t v = 0;
  if (ed_parse_interval(s, strlen(s), unit, &v) != 0) return INT64_MIN;
  return v;
}

static const char *fmt_iv(int64_t us) {
  static char buf[ED_TS_BUFSZ];
  ed_format_interval(us, buf);
  return buf;
}

static const char *fmt_d(double d) {
  static char buf[32];
  ed_format_double(d, buf);
  return buf;
}

static void test_type_names(void) {
  static const struct {
    const char *name;
    EdType t;
  } cases[] = {
      {"BIGINT", ED_T_BIGINT},   {"int", ED_T_BIGINT},
      {"Integer", ED_T_BIGINT},  {"smallint", ED_T_BIGINT},
      {"TINYINT", ED_T_BIGINT},  {"int8", ED_T_BIGINT},
      {"long", ED_T_BIGINT},     {"double", ED_T_DOUBLE},
      {"REAL", ED_T_DOUBLE},     {"float", ED_T_DOUBLE},
      {"FLOAT8", ED_T_DOUBLE},   {"decimal", ED_T_DOUBLE},
      {"numeric", ED_T_DOUBLE},  {"varchar", ED_T_VARCHAR},
      {"TEXT", ED_T_VARCHAR},    {"string", ED_T_VARCHAR},
      {"char", ED_T_VARCHAR},    {"boolean", ED_T_BOOL},
      {"BOOL", ED_T_BOOL},       {"timestamp", ED_T_TIMESTAMP},
      {"Interval", ED_T_INTERVAL}, {"window", ED_T_NULL},
      {"blob", ED_T_NULL},       {"INTEGERS", ED_T_NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    TAP_EQ_INT(ed_type_from_name(cases[i].name, strlen(cases[i].name)),
               cases[i].t, cases[i].name);
  TAP_EQ_INT(ed_type_from_name("INTEGER", 3), ED_T_BIGINT,
             "length-limited name INT");
  TAP_EQ_STR(ed_type_name(ED_T_BIGINT), "BIGINT", "name BIGINT");
  TAP_EQ_STR(ed_type_name(ED_T_BOOL), "BOOLEAN", "name BOOLEAN");
  TAP_EQ_STR(ed_type_name(ED_T_DOUBLE), "DOUBLE", "name DOUBLE");
  TAP_EQ_STR(ed_type_name(ED_T_VARCHAR), "VARCHAR", "name VARCHAR");
  TAP_EQ_STR(ed_type_name(ED_T_TIMESTAMP), "TIMESTAMP", "name TIMESTAMP");
  TAP_EQ_STR(ed_type_name(ED_T_INTERVAL), "INTERVAL", "name INTERVAL");
  TAP_EQ_STR(ed_type_name(ED_T_WINDOW), "WINDOW", "name WINDOW");
}

static void test_timestamp_parse(void) {
  TAP_EQ_INT(ts("1970-01-01 00:00:00"), 0, "epoch");
  TAP_EQ_INT(ts("1970-01-01"), 0, "date only");
  TAP_EQ_INT(ts("2024-01-15 10:30:00"), 1705314600000000LL, "plain");
  TAP_EQ_INT(ts("2024-01-15T10:30:00"), 1705314600000000LL, "T separator");
  TAP_EQ_INT(ts("2024-01-15T10:30:00Z"), 1705314600000000LL, "Z");
  TAP_EQ_INT(ts("2024-01-15t10:30:00z"), 1705314600000000LL, "lower t z");
  TAP_EQ_INT(ts("2024-01-15 10:30"), 1705314600000000LL, "no seconds");
  TAP_EQ_INT(ts("  2024-01-15 10:30:00  "), 1705314600000000LL, "blanks");
  TAP_EQ_INT(ts("2024-01-15T12:30:00+02:00"), 1705314600000000LL,
             "+02:00 converted to UTC");
  TAP_EQ_INT(ts("2024-01-15T12:30:00+0200"), 1705314600000000LL, "+0200");
  TAP_EQ_INT(ts("2024-01-15T12:30:00+02"), 1705314600000000LL, "+02");
  TAP_EQ_INT(ts("2024-01-15T05:00:00-05:30"), 1705314600000000LL,
             "-05:30");
  TAP_EQ_INT(ts("2024-01-15 10:30:00 UTC"), 1705314600000000LL, "UTC");
  TAP_EQ_INT(ts("2024-01-15 12:30:00+02:00"), 1705307400000000LL + 7200000000LL,
             "space form with offset");
  TAP_EQ_INT(ts("2024-1-5 3:04:05"), 1704423845000000LL, "one-digit parts");
  TAP_EQ_INT(ts("2024-02-29"), 1709164800000000LL, "leap day 2024");
  TAP_EQ_INT(ts("1600-02-29"), -11670998400000000LL, "leap day 1600");
  TAP_EQ_INT(ts("2000-03-01 12:34:56.123456"), 951914096123456LL,
             "microseconds");
  TAP_EQ_INT(ts("2000-03-01 12:34:56.1234569"), 951914096123456LL,
             "digits past microseconds dropped");
  TAP_EQ_INT(ts("2000-03-01 12:34:56.5"), 951914096500000LL, "one digit");
  TAP_EQ_INT(ts("1969-12-31 23:59:59.5"), -500000, "before epoch");
  TAP_EQ_INT(ts("1900-01-01"), -2208988800000000LL, "1900");
  TAP_EQ_INT(ts("0001-01-01"), -62135596800000000LL, "year 1");
  TAP_EQ_INT(ts("9999-12-31 23:59:59.999999"), 253402300799999999LL,
             "year 9999");
  const char *bad[] = {"",
                       "2024",
                       "2024-02-30",
                       "2023-02-29",
                       "1900-02-29",
                       "2024-13-01",
                       "2024-00-10",
                       "2024-04-31",
                       "2024-01-00",
                       "2024-01-01 24:00:00",
                       "2024-01-01 10:60:00",
                       "2024-01-01 10:00:60",
                       "2024-01-01 10:00:00.",
                       "2024-01-01 10:00:00.1234567890",
                       "2024-01-01 10",
                       "2024-01-01x",
                       "2024-01-01 10:00:00+25:00",
                       "2024-01-01 10:00:00+05:3",
                       "24-01-01",
                       "20240-01-01",
                       "2024/01/01",
                       "abc",
                       "2024-01-01 10:00:00 junk"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char name[80];
    snprintf(name, sizeof name, "rejects '%s'", bad[i]);
    TAP_OK(ts_bad(bad[i]), name);
  }
  int64_t v = 7;
  TAP_OK(ed_parse_timestamp("2024-01-15 10:30:00", 10, &v) == 0 &&
             v == 1705276800000000LL,
         "length limits the text");
}

static void test_timestamp_format(void) {
  TAP_EQ_STR(fmt_ts(0), "1970-01-01 00:00:00", "epoch");
  TAP_EQ_STR(fmt_ts(1705314600000000LL), "2024-01-15 10:30:00", "no fraction");
  TAP_EQ_STR(fmt_ts(1500000), "1970-01-01 00:00:01.5", "trailing zeros trimmed");
  TAP_EQ_STR(fmt_ts(1), "1970-01-01 00:00:00.000001", "one microsecond");
  TAP_EQ_STR(fmt_ts(-1), "1969-12-31 23:59:59.999999", "minus one");
  TAP_EQ_STR(fmt_ts(-500000), "1969-12-31 23:59:59.5", "minus half second");
  TAP_EQ_STR(fmt_ts(-2208988800000000LL), "1900-01-01 00:00:00", "1900");
  TAP_EQ_STR(fmt_ts(951914096123456LL), "2000-03-01 12:34:56.123456", "full");
  TAP_EQ_STR(fmt_ts(165464650827320631LL), "7213-05-14 03:00:27.320631",
             "random 1");
  TAP_EQ_STR(fmt_ts(-34300366225415088LL), "0883-01-24 00:29:34.584912",
             "random 2 (four-digit year)");
  TAP_EQ_STR(fmt_ts(-7873321278123989LL), "1720-07-03 14:18:41.876011",
             "random 3");
  TAP_EQ_STR(fmt_ts(-12590391510593320LL), "1571-01-10 21:01:29.40668",
             "random 4");
  TAP_EQ_STR(fmt_ts(253402300799999999LL), "9999-12-31 23:59:59.999999",
             "year 9999");
  /* Round trips over a spread of values, negative ones included. */
  int bad = 0;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    int64_t us = (int64_t)(x % 315537897600000000ULL) - 62135596800000000LL;
    if (i % 3 == 0) us -= us % 1000000;
    char buf[ED_TS_BUFSZ];
    int n = ed_format_timestamp(us, buf);
    int64_t back;
    if (n != (int)strlen(buf) || ed_parse_timestamp(buf, (size_t)n, &back) ||
        back != us)
      bad++;
  }
  TAP_EQ_INT(bad, 0, "20000 format/parse round trips");
  char buf[ED_TS_BUFSZ];
  int n = ed_format_timestamp(ED_TS_MAX, buf);
  TAP_OK(n > 0 && n < ED_TS_BUFSZ, "ED_TS_MAX fits the buffer");
  n = ed_format_timestamp(ED_TS_MIN, buf);
  TAP_OK(n > 0 && n < ED_TS_BUFSZ, "ED_TS_MIN fits the buffer");
}

static void test_interval(void) {
  const int64_t S = 1000000;
  TAP_EQ_INT(iv("10 seconds", NULL), 10 * S, "10 seconds");
  TAP_EQ_INT(iv("1 second", NULL), S, "1 second");
  TAP_EQ_INT(iv("1 minute", NULL), 60 * S, "1 minute");
  TAP_EQ_INT(iv("500 milliseconds", NULL), 500000, "500 milliseconds");
  TAP_EQ_INT(iv("1.5 seconds", NULL), 1500000, "1.5 seconds");
  TAP_EQ_INT(iv("2 hours", NULL), 7200 * S, "2 hours");
  TAP_EQ_INT(iv("1 day", NULL), 86400 * S, "1 day");
  TAP_EQ_INT(iv("1 week", NULL), 7 * 86400 * S, "1 week");
  TAP_EQ_INT(iv("3 weeks", NULL), 21 * 86400 * S, "3 weeks");
  TAP_EQ_INT(iv("100ms", NULL), 100000, "100ms");
  TAP_EQ_INT(iv("10 s", NULL), 10 * S, "10 s");
  TAP_EQ_INT(iv("10s", NULL), 10 * S, "10s");
  TAP_EQ_INT(iv("1 sec", NULL), S, "1 sec");
  TAP_EQ_INT(iv("5 min", NULL), 300 * S, "5 min");
  TAP_EQ_INT(iv("5 mins", NULL), 300 * S, "5 mins");
  TAP_EQ_INT(iv("2h", NULL), 7200 * S, "2h");
  TAP_EQ_INT(iv("3 d", NULL), 3 * 86400 * S, "3 d");
  TAP_EQ_INT(iv("250 us", NULL), 250, "250 us");
  TAP_EQ_INT(iv("10 SECONDS", NULL), 10 * S, "upper case");
  TAP_EQ_INT(iv(" 1 Minute ", NULL), 60 * S, "blanks and mixed case");
  TAP_EQ_INT(iv("1 minute 30 seconds", NULL), 90 * S, "compound");
  TAP_EQ_INT(iv("1 day 2 hours 3 minutes 4 seconds 5 milliseconds", NULL),
             93784005000LL, "five parts");
  TAP_EQ_INT(iv("1h30min", NULL), 5400 * S, "1h30min");
  TAP_EQ_INT(iv("0.25 minutes", NULL), 15 * S, "fraction of a minute");
  TAP_EQ_INT(iv("-10 seconds", NULL), -10 * S, "negative");
  TAP_EQ_INT(iv("5", "MINUTE"), 300 * S, "INTERVAL '5' MINUTE");
  TAP_EQ_INT(iv("5", "minutes"), 300 * S, "INTERVAL '5' minutes");
  TAP_EQ_INT(iv("2", "HOUR"), 7200 * S, "INTERVAL '2' HOUR");
  TAP_EQ_INT(iv("1.5", "SECOND"), 1500000, "INTERVAL '1.5' SECOND");
  TAP_EQ_INT(iv("3", "DAY"), 3 * 86400 * S, "INTERVAL '3' DAY");
  const char *bad[] = {"", "abc", "10", "seconds", "10 fortnights",
                       "1 month", "1 year", "1..5 seconds", "10 seconds x",
                       "- seconds"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char name[80];
    snprintf(name, sizeof name, "rejects '%s'", bad[i]);
    TAP_EQ_INT(iv(bad[i], NULL), INT64_MIN, name);
  }
  TAP_EQ_INT(iv("5 seconds", "MINUTE"), INT64_MIN, "number and unit twice");
  TAP_EQ_INT(iv("5", "fortnight"), INT64_MIN, "unknown separate unit");
  TAP_EQ_INT(iv("99999999999999 days", NULL), INT64_MIN, "overflow");

  TAP_EQ_STR(fmt_iv(0), "0 seconds", "format 0");
  TAP_EQ_STR(fmt_iv(10 * S), "10 seconds", "format 10 s");
  TAP_EQ_STR(fmt_iv(S), "1 second", "format 1 s");
  TAP_EQ_STR(fmt_iv(60 * S), "1 minute", "format 1 min");
  TAP_EQ_STR(fmt_iv(90 * S), "1 minute 30 seconds", "format 90 s");
  TAP_EQ_STR(fmt_iv(500000), "500 milliseconds", "format 500 ms");
  TAP_EQ_STR(fmt_iv(1500000), "1 second 500 milliseconds", "format 1.5 s");
  TAP_EQ_STR(fmt_iv(7200 * S), "2 hours", "format 2 h");
  TAP_EQ_STR(fmt_iv(86400 * S + 1), "1 day 1 microsecond", "format 1d 1us");
  TAP_EQ_STR(fmt_iv(-90 * S), "-1 minute -30 seconds", "format negative");
  int bad_rt = 0;
  int64_t vals[] = {1, 999, 1000, 59 * S, 3599 * S + 1, 86400 * S * 400 + 7,
                    -1, -S - 1000, INT64_MAX, INT64_MIN + 1};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    char buf[ED_TS_BUFSZ];
    int n = ed_format_interval(vals[i], buf);
    int64_t back;
    if (n >= ED_TS_BUFSZ || ed_parse_interval(buf, (size_t)n, NULL, &back) ||
        back != vals[i]) {
      printf("# round trip failed for %lld: '%s'\n", (long long)vals[i], buf);
      bad_rt++;
    }
  }
  TAP_EQ_INT(bad_rt, 0, "interval format/parse round trips, extremes too");
}

static void test_double(void) {
  TAP_EQ_STR(fmt_d(0.1), "0.1", "0.1");
  TAP_EQ_STR(fmt_d(1.0), "1.0", "1.0");
  TAP_EQ_STR(fmt_d(0.0), "0.0", "0.0");
  TAP_EQ_STR(fmt_d(-0.0), "-0.0", "-0.0");
  TAP_EQ_STR(fmt_d(-2.5), "-2.5", "-2.5");
  TAP_EQ_STR(fmt_d(100.0), "100.0", "100.0");
  TAP_EQ_STR(fmt_d(-42.0), "-42.0", "-42.0");
  TAP_EQ_STR(fmt_d(123.456), "123.456", "123.456");
  TAP_EQ_STR(fmt_d(1e15), "1000000000000000.0", "1e15 positional");
  TAP_EQ_STR(fmt_d(1e16), "1.0e+16", "1e16 scientific");
  TAP_EQ_STR(fmt_d(1.5e16), "1.5e+16", "1.5e16");
  TAP_EQ_STR(fmt_d(9007199254740992.0), "9007199254740992.0", "2^53");
  TAP_EQ_STR(fmt_d(1e22), "1.0e+22", "1e22");
  TAP_EQ_STR(fmt_d(1e100), "1.0e+100", "1e100");
  TAP_EQ_STR(fmt_d(123456789.125), "123456789.125", "123456789.125");
  TAP_EQ_STR(fmt_d(0.0001), "0.0001", "0.0001");
  TAP_EQ_STR(fmt_d(0.00001), "1.0e-05", "1e-05");
  TAP_EQ_STR(fmt_d(-1.25e-7), "-1.25e-07", "-1.25e-07");
  TAP_EQ_STR(fmt_d(1.0 / 3), "0.3333333333333333", "1/3");
  TAP_EQ_STR(fmt_d(2.0 / 3), "0.6666666666666666", "2/3");
  TAP_EQ_STR(fmt_d(0.1 + 0.2), "0.30000000000000004", "0.1+0.2");
  TAP_EQ_STR(fmt_d(5e-324), "5.0e-324", "smallest subnormal");
  TAP_EQ_STR(fmt_d(1.7976931348623157e308), "1.7976931348623157e+308",
             "largest double");
  TAP_EQ_STR(fmt_d(INFINITY), "Infinity", "Infinity");
  TAP_EQ_STR(fmt_d(-INFINITY), "-Infinity", "-Infinity");
  TAP_EQ_STR(fmt_d(NAN), "NaN", "NaN");
  /* Every output reads back as the same double. */
  int bad = 0;
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double d;
    memcpy(&d, &x, sizeof d);
    if (!isfinite(d)) continue;
    char buf[32];
    int n = ed_format_double(d, buf);
    if (n != (int)strlen(buf) || strtod(buf, NULL) != d) bad++;
  }
  TAP_EQ_INT(bad, 0, "20000 random doubles read back exactly");
}

int main(void) {
  test_type_names();
  test_timestamp_parse();
  test_timestamp_format();
  test_interval();
  test_double();
  return tap_done();
}
