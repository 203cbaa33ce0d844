/*
** tests/unit/exec/test_expr.c — hand-checked semantics of the expression
** evaluator: where eddy deliberately differs from SQLite (overflow errors,
** DOUBLE %, casts of text that is not a number), time and window functions,
** errors and their messages, short-circuit evaluation, constant folding,
** filters over selections, and ed_eval_const.  Expected values are worked
** out by hand in the comments.
*/
#include <stdlib.h>
#include <time.h>

#include "../tap.h"
#include "exec/expr_eval.h"
#include "expr_build.h"

#define SEC ED_USEC_PER_SEC
#define DAY (INT64_C(86400) * SEC)

static EdExecCtx ctx;
static EdArena out_arena;

/* ------------------------------------------------------------ helpers */

/* Evaluates a constant expression; returns 0 or -1 (message in err). */
static int konst(X x, EdValue *v, EdError *err) {
  return ed_eval_const(x.e, &xb_arena, v, err);
}

static void eq_i(X x, int64_t want, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  if (rc) printf("# error: %s\n", err.msg);
  TAP_OK(rc == 0 && !v.is_null, name);
  TAP_EQ_INT(v.u.i, want, name);
}

static void eq_d(X x, double want, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  if (!TAP_OK(rc == 0 && !v.is_null && v.u.d == want, name))
    printf("#   got %.17g (rc %d, null %d), want %.17g\n", v.u.d, rc, v.is_null, want);
}

static void eq_b(X x, bool want, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  TAP_OK(rc == 0 && !v.is_null && v.u.b == want, name);
}

static void eq_s(X x, const char *want, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  char got[1100] = "(null)";
  if (rc) snprintf(got, sizeof got, "error: %s", err.msg);
  else if (!v.is_null) snprintf(got, sizeof got, "%.*s", (int)v.u.s.len, v.u.s.ptr);
  TAP_EQ_STR(got, want, name);
}

static void is_null_v(X x, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  TAP_OK(rc == 0 && v.is_null, name);
}

/* The expression fails with a message containing `part`. */
static void fails(X x, const char *part, const char *name) {
  EdValue v;
  EdError err;
  int rc = konst(x, &v, &err);
  if (!TAP_OK(rc == -1 && strstr(err.msg, part), name))
    printf("#   rc %d, message \"%s\", want \"%s\"\n", rc, rc ? err.msg : "", part);
}

#define BI ED_T_BIGINT
#define DB ED_T_DOUBLE
#define VC ED_T_VARCHAR
#define TS ED_T_TIMESTAMP

/* ------------------------------------------------- standard vs SQLite */

static void overflow(void) {
  fails(bin(OP_ADD, BI, lit_i(INT64_MAX), lit_i(1)), "BIGINT overflow in 9223372036854775807 + 1",
        "BIGINT + overflow is an error naming + (SQLite: REAL)");
  fails(bin(OP_SUB, BI, lit_i(INT64_MIN), lit_i(1)), "-", "BIGINT - overflow");
  fails(bin(OP_MUL, BI, lit_i(INT64_C(3037000500)), lit_i(INT64_C(3037000500))), "*",
        "BIGINT * overflow");
  fails(bin(OP_DIV, BI, lit_i(INT64_MIN), lit_i(-1)), "/", "INT64_MIN / -1 overflows");
  eq_i(bin(OP_MOD, BI, lit_i(INT64_MIN), lit_i(-1)), 0, "INT64_MIN % -1 is 0");
  fails(un(OP_NEG, BI, lit_i(INT64_MIN)), "overflow", "-INT64_MIN overflows");
  fails(fn(FN_ABS, BI, "abs", 1, lit_i(INT64_MIN)), "abs", "abs(INT64_MIN) overflows");
  eq_i(bin(OP_ADD, BI, lit_i(INT64_MAX - 1), lit_i(1)), INT64_MAX, "INT64_MAX - 1 + 1 fits");
  eq_i(bin(OP_MUL, BI, lit_i(-INT64_C(4294967296)), lit_i(INT64_C(2147483648))), INT64_MIN,
       "-2^32 * 2^31 = INT64_MIN fits");
  eq_i(bin(OP_DIV, BI, lit_i(-7), lit_i(2)), -3, "-7 / 2 truncates to -3");
  eq_i(bin(OP_MOD, BI, lit_i(-7), lit_i(2)), -1, "-7 % 2 is -1 (sign of dividend)");
  is_null_v(bin(OP_DIV, BI, lit_i(5), lit_i(0)), "5 / 0 is NULL");
  is_null_v(bin(OP_MOD, BI, lit_i(5), lit_i(0)), "5 % 0 is NULL");
  is_null_v(bin(OP_DIV, DB, lit_d(5), lit_d(0)), "5.0 / 0.0 is NULL");
  /* inf - inf is NaN, which SQLite (and eddy) turn into NULL. */
  is_null_v(bin(OP_SUB, DB, lit_d(1e308 * 10), lit_d(1e308 * 10)), "inf - inf is NULL");
  /* Timestamps share the int64 kernels and their checks. */
  fails(bin(OP_ADD, TS, lit_ts(INT64_MAX - 5), lit_iv(10)), "TIMESTAMP overflow",
        "TIMESTAMP + INTERVAL overflow names the type");
}

static void double_mod(void) {
  /* Standard SQL / Spark / DuckDB: fmod.  SQLite: 5.5 % 2 = 1.0. */
  eq_d(bin(OP_MOD, DB, lit_d(5.5), lit_d(2)), 1.5, "5.5 % 2 = 1.5 (fmod)");
  eq_d(bin(OP_MOD, DB, lit_d(-5.5), lit_d(2)), -1.5, "-5.5 % 2 = -1.5");
  eq_d(bin(OP_MOD, DB, lit_d(5.5), lit_d(0.5)), 0.0, "5.5 % 0.5 = 0 (SQLite: NULL)");
  is_null_v(bin(OP_MOD, DB, lit_d(5.5), lit_d(0.0)), "5.5 % 0.0 is NULL");
}

static void text_casts(void) {
  /* Text that is not a number is NULL (SQLite reads a prefix: 0, 12). */
  is_null_v(cast(lit_s("abc"), BI, ""), "CAST('abc' AS BIGINT) is NULL");
  is_null_v(cast(lit_s("12abc"), BI, ""), "CAST('12abc' AS BIGINT) is NULL");
  is_null_v(cast(lit_s(""), BI, ""), "CAST('' AS BIGINT) is NULL");
  is_null_v(cast(lit_s("1e"), DB, ""), "CAST('1e' AS DOUBLE) is NULL");
  is_null_v(cast(lit_s("inf"), DB, ""), "CAST('inf' AS DOUBLE) is NULL");
  is_null_v(cast(lit_s("0x10"), BI, ""), "CAST('0x10' AS BIGINT) is NULL");
  is_null_v(cast(lit_s("99999999999999999999"), BI, ""), "too big for BIGINT: NULL");
  eq_i(cast(lit_s(" 42 "), BI, ""), 42, "CAST(' 42 ' AS BIGINT) = 42");
  eq_i(cast(lit_s("-9223372036854775808"), BI, ""), INT64_MIN, "INT64_MIN as text");
  eq_i(cast(lit_s("12.7"), BI, ""), 12, "CAST('12.7' AS BIGINT) truncates to 12");
  eq_i(cast(lit_s("-1.5e2"), BI, ""), -150, "CAST('-1.5e2' AS BIGINT) = -150");
  eq_d(cast(lit_s(" .5 "), DB, ""), 0.5, "CAST(' .5 ' AS DOUBLE) = 0.5");
  eq_d(cast(lit_s("1e3"), DB, ""), 1000.0, "CAST('1e3' AS DOUBLE) = 1000");
  eq_b(cast(lit_s("yes"), ED_T_BOOL, ""), true, "CAST('yes' AS BOOLEAN)");
  eq_b(cast(lit_s(" FALSE "), ED_T_BOOL, ""), false, "CAST(' FALSE ' AS BOOLEAN)");
  is_null_v(cast(lit_s("maybe"), ED_T_BOOL, ""), "CAST('maybe' AS BOOLEAN) is NULL");
  /* DOUBLE -> BIGINT truncates toward zero; out of range is an error. */
  eq_i(cast(lit_d(-2.9), BI, ""), -2, "CAST(-2.9 AS BIGINT) = -2");
  eq_i(cast(lit_d(2.9), BI, ""), 2, "CAST(2.9 AS BIGINT) = 2");
  fails(cast(lit_d(1e20), BI, ""), "out of range", "CAST(1e20 AS BIGINT) fails");
  eq_s(cast(lit_b(true), VC, ""), "true", "CAST(TRUE AS VARCHAR)");
  eq_i(cast(lit_b(true), BI, ""), 1, "CAST(TRUE AS BIGINT) = 1");
  eq_b(cast(lit_i(-3), ED_T_BOOL, ""), true, "CAST(-3 AS BOOLEAN) is TRUE");
  eq_s(cast(lit_d(2.5), VC, ""), "2.5", "CAST(2.5 AS VARCHAR)");
  eq_s(cast(lit_d(3.0), VC, ""), "3.0", "CAST(3.0 AS VARCHAR) keeps .0");
  eq_s(cast(lit_i(-17), VC, ""), "-17", "CAST(-17 AS VARCHAR)");
  fails(cast(lit_ts(0), ED_T_INTERVAL, ""), "cannot cast", "TIMESTAMP -> INTERVAL is rejected");
}

/* ------------------------------------------------------------- times */

/* 2024-01-02 03:04:05 UTC: 19724 days after 1970-01-01 (54 years with 13
** leap days: 54 * 365 + 13 = 19723 to 2024-01-01, +1) = 1704164645 s. */
#define T2024 (INT64_C(1704164645) * SEC)

static void time_casts(void) {
  eq_i(cast(lit_s("2024-01-02 03:04:05"), TS, ""), T2024, "text -> TIMESTAMP");
  eq_i(cast(lit_s("2024-01-02T03:04:05Z"), TS, ""), T2024, "ISO text -> TIMESTAMP");
  is_null_v(cast(lit_s("yesterday"), TS, ""), "non-timestamp text -> NULL");
  eq_s(cast(lit_ts(T2024), VC, ""), "2024-01-02 03:04:05", "TIMESTAMP -> text");
  eq_s(cast(lit_ts(T2024 + 250000), VC, ""), "2024-01-02 03:04:05.25",
       "fraction printed, trailing zeros trimmed");
  eq_i(cast(lit_ts(-1), BI, ""), -1, "TIMESTAMP -1us -> BIGINT seconds rounds down");
  eq_d(cast(lit_ts(1500000), DB, ""), 1.5, "TIMESTAMP -> DOUBLE seconds");
  eq_i(cast(lit_i(90), TS, ""), 90 * SEC, "BIGINT seconds -> TIMESTAMP");
  eq_i(cast(lit_s("10 seconds"), ED_T_INTERVAL, ""), 10 * SEC, "text -> INTERVAL");
  /* Comparing a TIMESTAMP with text reads the text as a TIMESTAMP. */
  eq_b(cmp(OP_LT, lit_ts(T2024), lit_s("2024-01-03")), true, "ts < '2024-01-03'");
  eq_i(bin(OP_SUB, TS, lit_ts(T2024), lit_iv(5 * SEC)), T2024 - 5 * SEC, "ts - interval");
  eq_i(bin(OP_SUB, ED_T_INTERVAL, lit_ts(T2024), lit_ts(T2024 - DAY)), DAY, "ts - ts");
  eq_i(bin(OP_MUL, ED_T_INTERVAL, lit_iv(SEC), lit_i(3)), 3 * SEC, "interval * 3");
}

static void to_timestamp(void) {
  eq_i(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_i(1704164645)), T2024, "to_timestamp(bigint)");
  eq_i(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_d(1.5)), 1500000, "to_timestamp(1.5)");
  eq_i(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_d(-0.0000015)), -2, "to_timestamp rounds to us");
  eq_i(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_s("2024-01-02 03:04:05")), T2024,
       "to_timestamp(text)");
  is_null_v(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_s("not a time")), "to_timestamp(junk) NULL");
  fails(fn(FN_TO_TIMESTAMP, TS, "", 1, lit_i(INT64_MAX / 10)), "out of range",
        "to_timestamp of huge seconds fails");
}

static void date_trunc(void) {
  struct {
    const char *unit;
    int64_t ts, want;
  } cases[] = {
      {"second", T2024 + 123456, T2024},
      {"minute", T2024, T2024 - 5 * SEC},
      {"hour", T2024, T2024 - 4 * 60 * SEC - 5 * SEC},
      {"day", T2024, T2024 - 3 * 3600 * SEC - 245 * SEC},
      /* 2024-01-02 is a Tuesday: the week starts Monday 2024-01-01. */
      {"week", T2024, INT64_C(1704067200) * SEC},
      {"WEEKS", T2024, INT64_C(1704067200) * SEC},
      {"month", T2024, INT64_C(1704067200) * SEC},
      /* 2024-05-15 12:00 -> quarter 2024-04-01 (2024-01-01 + 91 days). */
      {"quarter", INT64_C(1715774400) * SEC, (INT64_C(1704067200) + 91 * 86400) * SEC},
      {"year", INT64_C(1715774400) * SEC, INT64_C(1704067200) * SEC},
      /* 2024-02-29 13:00 -> 2024-02-01 (2024-01-01 + 31 days). */
      {"month", (INT64_C(1704067200) + 59 * 86400 + 13 * 3600) * SEC,
       (INT64_C(1704067200) + 31 * 86400) * SEC},
      /* Before 1970: 1969-12-31 23:59:59.5 -> 1969-12-31 00:00:00. */
      {"day", -SEC / 2, -DAY},
      {"second", -1, -SEC},
      {"millisecond", -1, -1000},
      /* 1900-03-15 -> 1900-03-01: 1900-01-01 is 25567 days before the
      ** epoch, March 1st 59 days after it (1900 is not a leap year). */
      {"month", (-25567 + 73) * DAY + 5 * SEC, (-25567 + 59) * DAY},
      {"year", (-25567 + 73) * DAY, -25567 * DAY},
      /* 1969-12-31 was a Wednesday: its week starts Monday 1969-12-29. */
      {"week", -DAY / 2, -3 * DAY},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    char name[80];
    snprintf(name, sizeof name, "date_trunc('%s', %lld)", cases[k].unit,
             (long long)cases[k].ts);
    eq_i(fn(FN_DATE_TRUNC, TS, "", 2, lit_s(cases[k].unit), lit_ts(cases[k].ts)),
         cases[k].want, name);
  }
  fails(fn(FN_DATE_TRUNC, TS, "", 2, lit_s("fortnight"), lit_ts(0)), "unknown unit",
        "date_trunc with an unknown unit");
  is_null_v(fn(FN_DATE_TRUNC, TS, "", 2, lit_s("day"), lit_null(TS)), "date_trunc(NULL)");
}

static void windows(void) {
  X w = fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(90 * SEC), lit_iv(60 * SEC));
  eq_i(field(w, 0), 60 * SEC, "window(90s, 1 minute).start = 60s");
  w = fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(90 * SEC), lit_iv(60 * SEC));
  eq_i(field(w, 1), 120 * SEC, "window(90s, 1 minute).end = 120s");
  w = fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(-1), lit_iv(60 * SEC));
  eq_i(field(w, 0), -60 * SEC, "window of -1us starts at -60s (floor)");
  w = fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(120 * SEC), lit_s("1 minute"));
  eq_i(field(w, 0), 120 * SEC, "window with a text size; start is inclusive");
  w = fn(FN_WINDOW, ED_T_WINDOW, "", 3, lit_ts(90 * SEC), lit_iv(60 * SEC), lit_iv(60 * SEC));
  eq_i(field(w, 0), 60 * SEC, "slide equal to size is tumbling");
  fails(fn(FN_WINDOW, ED_T_WINDOW, "", 3, lit_ts(0), lit_iv(60 * SEC), lit_iv(10 * SEC)),
        "streaming", "sliding window outside a streaming aggregation");
  fails(fn(FN_SESSION_WINDOW, ED_T_WINDOW, "", 2, lit_ts(0), lit_iv(60 * SEC)),
        "streaming", "session window outside a streaming aggregation");
  fails(fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(0), lit_iv(0)), "positive",
        "window of size 0");
  fails(fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(0), lit_s("soon")), "not an interval",
        "window with a size that is no interval");
  eq_s(cast(fn(FN_WINDOW, ED_T_WINDOW, "", 2, lit_ts(T2024), lit_iv(3600 * SEC)), VC, ""),
       "{2024-01-02 03:00:00, 2024-01-02 04:00:00}", "WINDOW as text");
  fails(fn(FN_SPLIT, VC, "", 2, lit_s("a,b"), lit_s(",")), "explode", "split outside explode");
}

/* ------------------------------------------------ batches and errors */

static EdBatch *one_col(EdType t, int n) {
  EdBatch *b = ed_batch_new(1, &t);
  b->nrows = n;
  return b;
}

static void now_is_stable(void) {
  EdExecCtx c;
  memset(&c, 0, sizeof c);
  c.query_arena = &xb_arena;
  int64_t before = 0;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  before = (int64_t)ts.tv_sec * SEC + ts.tv_nsec / 1000;
  X now = fn(FN_NOW, TS, "now", 0);
  EdEvaluator *e1 = ed_eval_new(&c, now.e);
  EdEvaluator *e2 = ed_eval_new(&c, bin(OP_ADD, TS, now, lit_iv(0)).e);
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t after = (int64_t)ts.tv_sec * SEC + ts.tv_nsec / 1000;
  EdBatch *b = one_col(ED_T_BIGINT, 100);
  EdVector v1, v2;
  ed_vector_init(&v1, TS);
  ed_vector_init(&v2, TS);
  ed_eval_run(e1, b, &v1, &out_arena);
  ed_eval_run(e2, b, &v2, &out_arena);
  bool same = true;
  for (int i = 0; i < 100; i++)
    same &= ED_VEC_I64(&v1)[i] == ED_VEC_I64(&v1)[0] && ED_VEC_I64(&v2)[i] == ED_VEC_I64(&v1)[0];
  TAP_OK(same, "now() is one value for every row and evaluator of a run");
  TAP_OK(ED_VEC_I64(&v1)[0] >= before && ED_VEC_I64(&v1)[0] <= after,
         "now() is the clock when the run's first evaluator was made");
  c.now_us = 42;
  ed_eval_run(e1, b, &v1, &out_arena);
  TAP_EQ_INT(ED_VEC_I64(&v1)[7], 42, "a driver may set now() per trigger");
  ed_vector_free(&v1);
  ed_vector_free(&v2);
  ed_batch_free(b);
  ed_eval_free(e1);
  ed_eval_free(e2);
}

static void short_circuit(void) {
  /* a = 5, then INT64_MAX: a * 10^15 overflows only on the second row. */
  EdBatch *b = one_col(BI, 2);
  ED_VEC_I64(&b->cols[0])[0] = 5;
  ED_VEC_I64(&b->cols[0])[1] = INT64_MAX;
  X a = col(0, BI, "a");
  X big = lit_i(INT64_C(1000000000000000));
  X guarded = case_of(BI, true, 3, cmp(OP_LT, a, lit_i(100)), bin(OP_MUL, BI, a, big), lit_i(-1));
  EdVector v;
  ed_vector_init(&v, BI);
  EdEvaluator *ev = ed_eval_new(&ctx, guarded.e);
  int rc = ed_eval_run(ev, b, &v, &out_arena);
  TAP_OK(rc == 0, "CASE evaluates THEN only where WHEN holds");
  TAP_EQ_INT(ED_VEC_I64(&v)[0], INT64_C(5000000000000000), "CASE row 1");
  TAP_EQ_INT(ED_VEC_I64(&v)[1], -1, "CASE row 2 takes ELSE");
  ed_eval_free(ev);
  X and = bin(OP_AND, ED_T_BOOL, cmp(OP_LT, a, lit_i(100)),
              cmp(OP_GT, bin(OP_MUL, BI, a, big), lit_i(0)));
  ev = ed_eval_new(&ctx, and.e);
  rc = ed_eval_filter(ev, b);
  TAP_OK(rc == 0 && ed_batch_count(b) == 1 && ed_batch_row(b, 0) == 0,
         "AND skips the right side where the left is FALSE");
  ed_eval_free(ev);
  b->sel = NULL;
  X bad = bin(OP_MUL, BI, a, big);
  ev = ed_eval_new(&ctx, bad.e);
  ed_error_clear(&ctx.err);
  rc = ed_eval_run(ev, b, &v, &out_arena);
  TAP_OK(rc == -1 && ctx.err.kind == ED_ERR_EXEC && strstr(ctx.err.msg, "*"),
         "unguarded overflow is an execution error naming *");
  ed_eval_free(ev);
  /* A folded constant that fails is raised only if a row reaches it. */
  X lazy = case_of(BI, true, 3, cmp(OP_GT, a, lit_i(INT64_MAX - 1)),
                   bin(OP_ADD, BI, lit_i(INT64_MAX), lit_i(1)), lit_i(0));
  ev = ed_eval_new(&ctx, lazy.e);
  b->nrows = 1;
  rc = ed_eval_run(ev, b, &v, &out_arena);
  TAP_OK(rc == 0 && ED_VEC_I64(&v)[0] == 0, "failing constant not reached: no error");
  b->nrows = 2;
  rc = ed_eval_run(ev, b, &v, &out_arena);
  TAP_OK(rc == -1, "failing constant reached: error");
  ed_eval_free(ev);
  ed_vector_free(&v);
  ed_batch_free(b);
}

static void filters(void) {
  /* 0..99; keep a % 3 = 0 (34 rows), then a > 50 (17 rows: 51..99). */
  EdBatch *b = one_col(BI, 100);
  for (int i = 0; i < 100; i++) ED_VEC_I64(&b->cols[0])[i] = i;
  ed_vec_set_null(&b->cols[0], 3);   /* NULL never passes */
  X a = col(0, BI, "a");
  EdEvaluator *f1 = ed_eval_new(&ctx, cmp(OP_EQ, bin(OP_MOD, BI, a, lit_i(3)), lit_i(0)).e);
  EdEvaluator *f2 = ed_eval_new(&ctx, cmp(OP_GT, a, lit_i(50)).e);
  ed_eval_filter(f1, b);
  TAP_EQ_INT(ed_batch_count(b), 33, "filter narrows: multiples of 3 but NULL row 3");
  TAP_OK(b->sel == b->sel_buf && b->sel[0] == 0 && b->sel[1] == 6, "selection lists rows");
  ed_eval_filter(f2, b);
  TAP_EQ_INT(ed_batch_count(b), 17, "second filter narrows the selection further");
  TAP_EQ_INT(ed_batch_row(b, 0), 51, "first row left is 51");
  TAP_EQ_INT(ed_batch_row(b, 16), 99, "last row left is 99");
  ed_eval_free(f1);
  ed_eval_free(f2);
  b->sel = NULL;
  EdEvaluator *t = ed_eval_new(&ctx, lit_b(true).e);
  ed_eval_filter(t, b);
  TAP_OK(b->sel == NULL && ed_batch_count(b) == 100, "WHERE TRUE keeps the batch as is");
  ed_eval_free(t);
  EdEvaluator *nf = ed_eval_new(&ctx, lit_null(ED_T_BOOL).e);
  ed_eval_filter(nf, b);
  TAP_EQ_INT(ed_batch_count(b), 0, "WHERE NULL keeps nothing");
  ed_eval_free(nf);
  b->sel = NULL;
  /* A non-BOOLEAN predicate is read as a BOOLEAN (non-zero). */
  EdEvaluator *nb = ed_eval_new(&ctx, bin(OP_MOD, BI, a, lit_i(2)).e);
  ed_eval_filter(nb, b);
  TAP_EQ_INT(ed_batch_count(b), 49, "WHERE a % 2 keeps the 49 odd non-NULL rows");
  ed_eval_free(nb);
  ed_batch_free(b);
}

static void strings_to_arena(void) {
  /* Produced strings live in the caller's arena; inputs are not copied
  ** for substr. */
  EdBatch *b = one_col(VC, 2);
  ED_VEC_STR(&b->cols[0])[0] = (EdStr){"Hello", 5};
  ED_VEC_STR(&b->cols[0])[1] = (EdStr){"World", 5};
  X s = col(0, VC, "s");
  EdVector v;
  ed_vector_init(&v, VC);
  EdArena arena;
  ed_arena_init(&arena, 1024);
  EdEvaluator *ev = ed_eval_new(&ctx, fn(FN_UPPER, VC, "upper", 1, s).e);
  ed_eval_run(ev, b, &v, &arena);
  TAP_OK(ED_VEC_STR(&v)[1].len == 5 && memcmp(ED_VEC_STR(&v)[1].ptr, "WORLD", 5) == 0,
         "upper(s)");
  TAP_OK(arena.used_bytes >= 10, "upper wrote its strings into the caller's arena");
  ed_eval_free(ev);
  ev = ed_eval_new(&ctx, fn(FN_SUBSTR, VC, "substr", 3, s, lit_i(2), lit_i(3)).e);
  ed_eval_run(ev, b, &v, &arena);
  TAP_OK(ED_VEC_STR(&v)[0].ptr == ED_VEC_STR(&b->cols[0])[0].ptr + 1, "substr is a slice");
  ed_eval_free(ev);
  ed_arena_free(&arena);
  ed_vector_free(&v);
  ed_batch_free(b);
}

static void like_errors(void) {
  X esc = lit_s("ab");
  fails(like(lit_s("x"), lit_s("x"), &esc, false), "single character",
        "ESCAPE of two characters fails");
  X e2 = lit_s("\xc3\xa9");
  eq_b(like(lit_s("a%"), lit_s("a\xc3\xa9%"), &e2, false), true,
       "a multi-byte ESCAPE character");
  eq_b(like(lit_s("h\xc3\xa9llo"), lit_s("H_LLO"), NULL, false), true,
       "_ matches one UTF-8 character, ASCII case ignored");
  eq_b(like(lit_s("\xc3\x89"), lit_s("\xc3\xa9"), NULL, false), false,
       "non-ASCII letters match exactly");
}

static void eval_const(void) {
  EdValue v;
  EdError err;
  TAP_OK(konst(bin(OP_ADD, BI, lit_i(1), lit_i(2)), &v, &err) == 0 && v.u.i == 3 &&
             v.type == BI, "ed_eval_const(1 + 2) = 3");
  TAP_OK(konst(bin(OP_CONCAT, VC, lit_s("a"), lit_s("b")), &v, &err) == 0 &&
             v.u.s.len == 2 && memcmp(v.u.s.ptr, "ab", 2) == 0, "ed_eval_const('a' || 'b')");
  TAP_OK(konst(lit_null(ED_T_NULL), &v, &err) == 0 && v.is_null, "ed_eval_const(NULL)");
  TAP_OK(konst(col(0, BI, "a"), &v, &err) == -1 && strstr(err.msg, "column"),
         "ed_eval_const refuses a column reference");
  TAP_OK(konst(bin(OP_ADD, BI, lit_i(INT64_MAX), lit_i(1)), &v, &err) == -1 &&
             err.kind == ED_ERR_EXEC, "ed_eval_const reports an overflow");
}

static void zero_columns(void) {
  /* SELECT 1 + 1: a constant over a batch of one row and no columns. */
  EdBatch *b = ed_batch_new(0, NULL);
  b->nrows = 1;
  EdVector v;
  ed_vector_init(&v, BI);
  EdEvaluator *ev = ed_eval_new(&ctx, bin(OP_ADD, BI, lit_i(1), lit_i(1)).e);
  TAP_OK(ed_eval_run(ev, b, &v, &out_arena) == 0 && ED_VEC_I64(&v)[0] == 2 &&
             ed_vec_valid(&v, 0), "constant over a zero-column batch");
  ed_eval_free(ev);
  ed_vector_free(&v);
  ed_batch_free(b);
}

int main(void) {
  ed_arena_init(&xb_arena, 65536);
  ed_arena_init(&out_arena, 65536);
  ctx.query_arena = &xb_arena;
  overflow();
  double_mod();
  text_casts();
  time_casts();
  to_timestamp();
  date_trunc();
  windows();
  now_is_stable();
  short_circuit();
  filters();
  strings_to_arena();
  like_errors();
  eval_const();
  zero_columns();
  ed_arena_free(&xb_arena);
  ed_arena_free(&out_arena);
  return tap_done();
}
