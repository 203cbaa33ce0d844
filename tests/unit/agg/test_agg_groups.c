/*
** tests/unit/agg/test_agg_groups.c — incremental aggregation with one state
** row per group: tumbling windows, grouping by the raw event time, and
** running aggregates (with state TTL), in every output mode.  Expectations
** are worked out by hand from DESIGN §4 (the arithmetic is in the
** comments), including the worked example
** /work/shared/scenarios/tumbling_update_watermark replayed through the
** watermark driver of the harness.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_harness.h"
#include "tests/unit/tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static AhRow T(int64_t ts) {
  AhRow r;
  memset(&r, 0, sizeof r);
  r.ts = ts;
  return r;
}

static AhRow KT(int64_t k, int64_t ts, int64_t v) {
  AhRow r = T(ts);
  r.k = k;
  r.v = v;
  return r;
}

/* window(ts, 5 seconds), count(*) over the watermark column. */
static AhSpec tumbling5(EdEmitMode mode) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 1;
  s.keys[0] = ah_window_call(5 * AH_SEC, 0);
  s.naggs = 1;
  s.aggs[0] = AH_COUNT_STAR;
  s.kind = WIN_TUMBLING;
  s.wkey = 0;
  s.size = 5;
  s.wm_bounded = true;
  s.mode = mode;
  return s;
}

/* The rows of the scenario, one input batch per INSERT. */
static const AhRow *sc_rows[4];
static int sc_counts[4];
static AhRow sc1[6], sc2[1], sc3[2], sc4[1];

static void scenario_rows(void) {
  for (int i = 0; i < 6; i++) sc1[i] = T(10 + i);
  sc2[0] = T(25);
  sc3[0] = T(10);
  sc3[1] = T(25);
  sc4[0] = T(10);
  sc_rows[0] = sc1, sc_counts[0] = 6;
  sc_rows[1] = sc2, sc_counts[1] = 1;
  sc_rows[2] = sc3, sc_counts[2] = 2;
  sc_rows[3] = sc4, sc_counts[3] = 1;
}

/* Runs the scenario's rows with a 10 second delay in mode; compares the
** whole output (batch markers included) and the late count. */
static void scenario(const char *name, EdEmitMode mode,
                     const char *const *want, int nwant, int64_t want_late) {
  AhSpec s = tumbling5(mode);
  AhRun r;
  AhRows out = {0};
  int64_t late = 0;
  if (!ah_start(&r, ah_plan(&s), true)) {
    TAP_OK(0, name);
    return;
  }
  int rc = ah_run_wm(&r, sc_rows, sc_counts, 4, 10, &out, &late);
  TAP_EQ_INT(rc, 0, name);
  TAP_OK(ah_same(name, &out, want, nwant), name);
  char lname[128];
  snprintf(lname, sizeof lname, "%s: late rows", name);
  TAP_EQ_INT(late, want_late, lname);
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Watermarks: b0 uses 0 then wm = 15 - 10 = 5 (no-data b1); b2 uses 5
** then wm = 25 - 10 = 15 (no-data b3); b4 and b5 use 15 (their max event
** time 25 does not move it), so the rows at 10 (window end 15 <= 15) are
** late; b6 is the final batch. */
static void test_scenario(void) {
  scenario_rows();
  static const char *update[] = {
      "-- batch 0", "[10,15)|5", "[15,20)|1", "-- batch 1", "-- batch 2",
      "[25,30)|1", "-- batch 3", "-- batch 4", "[25,30)|2", "-- batch 5",
      "-- batch 6"};
  scenario("scenario tumbling_update_watermark (UPDATE)", EMIT_UPDATE, update,
           N(update), 2);
  static const char *append[] = {
      "-- batch 0", "-- batch 1", "-- batch 2", "-- batch 3", "[10,15)|5",
      "-- batch 4", "-- batch 5", "-- batch 6", "[15,20)|1", "[25,30)|2"};
  scenario("same rows, APPEND", EMIT_APPEND, append, N(append), 2);
  static const char *complete[] = {
      "-- batch 0", "[10,15)|5", "[15,20)|1",
      "-- batch 1", "[10,15)|5", "[15,20)|1",
      "-- batch 2", "[10,15)|5", "[15,20)|1", "[25,30)|1",
      "-- batch 3", "[10,15)|5", "[15,20)|1", "[25,30)|1",
      "-- batch 4", "[10,15)|6", "[15,20)|1", "[25,30)|2",
      "-- batch 5", "[10,15)|7", "[15,20)|1", "[25,30)|2",
      "-- batch 6", "[10,15)|7", "[15,20)|1", "[25,30)|2"};
  scenario("same rows, COMPLETE keeps late rows", EMIT_COMPLETE, complete,
           N(complete), 0);
  static const char *changes[] = {
      "-- batch 0", "+I|[10,15)|5", "+I|[15,20)|1", "-- batch 1",
      "-- batch 2", "+I|[25,30)|1", "-- batch 3", "-- batch 4",
      "-U|[25,30)|1", "+U|[25,30)|2", "-- batch 5", "-- batch 6"};
  scenario("same rows, CHANGES", EMIT_CHANGES, changes, N(changes), 2);
}

/* State counters through the scenario in UPDATE mode, batch by batch. */
static void test_counters(void) {
  AhSpec s = tumbling5(EMIT_UPDATE);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  scenario_rows();
  EdOp *op = r.op;
  ah_batch(&r, 0, sc1, 6, &out);
  TAP_EQ_INT(op->state_rows, 2, "counters: two windows in state");
  TAP_EQ_INT(op->rows_updated_batch, 2, "counters: two windows updated");
  TAP_OK(op->stateful, "counters: the operator reports state");
  TAP_OK(op->state_bytes > 0, "counters: state bytes reported");
  ah_batch(&r, 5, sc2, 1, &out);
  TAP_EQ_INT(op->state_rows, 3, "counters: [25,30) added");
  ah_batch(&r, 15, NULL, 0, &out);
  TAP_EQ_INT(op->rows_removed_batch, 1, "counters: [10,15) evicted at wm 15");
  TAP_EQ_INT(op->state_rows, 2, "counters: two windows left");
  TAP_EQ_INT(out.n, 0, "counters: UPDATE emits nothing on eviction");
  ah_batch(&r, 15, sc3, 2, &out);
  TAP_EQ_INT(op->rows_late_batch, 1, "counters: the row at 10 is late");
  TAP_EQ_INT(op->rows_updated_batch, 1, "counters: one window updated");
  ah_batch(&r, 30, NULL, 0, &out);
  TAP_EQ_INT(op->rows_removed_batch, 2, "counters: both evicted at wm 30");
  TAP_EQ_INT(op->state_rows, 0, "counters: state empty");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Tumbling windows with another key on each side of the window, NULL keys,
** NULL event times and several aggregates, in every mode. */
static AhSpec keyed(EdEmitMode mode) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 3;
  s.keys[0] = ah_col(AH_K);
  s.keys[1] = ah_window_call(10 * AH_SEC, 0);
  s.keys[2] = ah_col(AH_S);
  s.naggs = 4;
  s.aggs[0] = AH_COUNT_STAR;
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.aggs[2] = ah_agg(AGG_MAX, false, AH_D, ED_T_DOUBLE);
  s.aggs[3] = ah_agg(AGG_COUNT, true, AH_V, ED_T_BIGINT);
  s.kind = WIN_TUMBLING;
  s.wkey = 1;
  s.size = 10;
  s.wm_bounded = true;
  s.mode = mode;
  return s;
}

static AhRow KS(int64_t k, bool knull, const char *str, int64_t ts,
                bool tsnull, int64_t v, double d) {
  AhRow r;
  memset(&r, 0, sizeof r);
  r.k = k;
  r.k_null = knull;
  r.s = str;
  r.ts = ts;
  r.ts_null = tsnull;
  r.v = v;
  r.d = d;
  return r;
}

static void test_keyed(void) {
  /* b0 (wm 0): windows [0,10) and [10,20); a NULL key, a NULL string and a
  ** NULL event time each make their own group. */
  AhRow b0[] = {KS(1, false, "a", 3, false, 5, 1.5),
                KS(2, false, "b", 4, false, 7, 2.5),
                KS(1, false, "a", 12, false, 5, 0.5),
                KS(0, true, "a", 5, false, 1, 9.0),
                KS(1, false, NULL, 6, false, 2, 3.0),
                KS(1, false, "a", 8, false, 6, -1.0),
                KS(3, false, "c", 0, true, 4, 4.0)};
  /* b1 (wm 10): [0,10) is closed, so rows in it are late; [10,20) and
  ** the NULL-time group take rows. */
  AhRow b1[] = {KS(1, false, "a", 9, false, 100, 100.0),
                KS(1, false, "a", 15, false, 5, 8.0),
                KS(3, false, "c", 0, true, 4, 1.0)};
  struct {
    EdEmitMode mode;
    const char *name;
    const char *b0[8];
    const char *b1[8];
    const char *fin[8];
  } cases[] = {
      {EMIT_UPDATE, "keyed UPDATE",
       {"3|NULL|c|1|4|4|1", "1|[0,10)|a|2|11|1.5|2", "2|[0,10)|b|1|7|2.5|1",
        "NULL|[0,10)|a|1|1|9|1", "1|[0,10)|NULL|1|2|3|1",
        "1|[10,20)|a|1|5|0.5|1"},
       {"3|NULL|c|2|8|4|1", "1|[10,20)|a|2|10|8|1"},
       {NULL}},
      {EMIT_APPEND, "keyed APPEND",
       {NULL},
       {"1|[0,10)|a|2|11|1.5|2", "2|[0,10)|b|1|7|2.5|1",
        "NULL|[0,10)|a|1|1|9|1", "1|[0,10)|NULL|1|2|3|1"},
       {"3|NULL|c|2|8|4|1", "1|[10,20)|a|2|10|8|1"}},
      {EMIT_CHANGES, "keyed CHANGES",
       {"+I|3|NULL|c|1|4|4|1", "+I|1|[0,10)|a|2|11|1.5|2",
        "+I|2|[0,10)|b|1|7|2.5|1", "+I|NULL|[0,10)|a|1|1|9|1",
        "+I|1|[0,10)|NULL|1|2|3|1", "+I|1|[10,20)|a|1|5|0.5|1"},
       {"-U|3|NULL|c|1|4|4|1", "+U|3|NULL|c|2|8|4|1",
        "-U|1|[10,20)|a|1|5|0.5|1", "+U|1|[10,20)|a|2|10|8|1"},
       {NULL}},
  };
  for (int c = 0; c < N(cases); c++) {
    AhSpec s = keyed(cases[c].mode);
    AhRun r;
    AhRows out = {0};
    if (!ah_start(&r, ah_plan(&s), true)) continue;
    char name[128];
    int n;
    ah_batch(&r, 0, b0, N(b0), &out);
    for (n = 0; cases[c].b0[n]; n++) {}
    snprintf(name, sizeof name, "%s: batch 0", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].b0, n), name);
    ah_batch(&r, 10, b1, N(b1), &out);
    for (n = 0; cases[c].b1[n]; n++) {}
    snprintf(name, sizeof name, "%s: batch 1 (wm 10)", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].b1, n), name);
    snprintf(name, sizeof name, "%s: the row at 9 is late", cases[c].name);
    TAP_EQ_INT(r.op->rows_late_batch, 1, name);
    ah_batch(&r, ED_TS_MAX, NULL, 0, &out);
    for (n = 0; cases[c].fin[n]; n++) {}
    snprintf(name, sizeof name, "%s: final batch", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].fin, n), name);
    ah_rows_free(&out);
    ah_stop(&r);
  }
  /* COMPLETE drops nothing: the row at 9 counts in [0,10). */
  AhSpec s = keyed(EMIT_COMPLETE);
  AhRun r;
  AhRows out = {0};
  if (ah_start(&r, ah_plan(&s), true)) {
    ah_batch(&r, 0, b0, N(b0), &out);
    ah_batch(&r, 10, b1, N(b1), &out);
    static const char *want[] = {
        "3|NULL|c|2|8|4|1",        "1|[0,10)|a|3|111|100|3",
        "2|[0,10)|b|1|7|2.5|1",    "NULL|[0,10)|a|1|1|9|1",
        "1|[0,10)|NULL|1|2|3|1",   "1|[10,20)|a|2|10|8|1"};
    TAP_OK(ah_same("keyed COMPLETE", &out, want, N(want)), "keyed COMPLETE");
    TAP_EQ_INT(r.op->rows_late_batch, 0, "keyed COMPLETE: nothing late");
    ah_rows_free(&out);
    ah_stop(&r);
  }
}

/* Windows of negative times are epoch-aligned: -1 is in [-10,0). */
static void test_negative_time(void) {
  AhSpec s = keyed(EMIT_COMPLETE);
  s.wm_bounded = false;
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow rows[] = {KS(1, false, "a", -1, false, 1, 1.0),
                  KS(1, false, "a", -10, false, 2, 1.0),
                  KS(1, false, "a", -11, false, 3, 1.0),
                  KS(1, false, "a", 0, false, 4, 1.0)};
  ah_batch(&r, 0, rows, N(rows), &out);
  static const char *want[] = {"1|[-20,-10)|a|1|3|1|1",
                               "1|[-10,0)|a|2|3|1|2", "1|[0,10)|a|1|4|1|1"};
  TAP_OK(ah_same("negative times", &out, want, N(want)), "negative times");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Grouping by the raw event time: a row is late when ts <= wm; a group is
** final once its time <= wm. */
static AhSpec event_time(EdEmitMode mode) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 2;
  s.keys[0] = ah_col(AH_K);
  s.keys[1] = ah_col(AH_TS);
  s.naggs = 2;
  s.aggs[0] = AH_COUNT_STAR;
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.kind = WIN_EVENT_TIME;
  s.wkey = 1;
  s.wm_bounded = true;
  s.mode = mode;
  return s;
}

static void test_event_time(void) {
  /* Delay 1: b0 (wm 0) -> wm 2, no-data b1 (wm 2), b2 (wm 2): the row at
  ** 2 is late (2 <= 2) -> wm 4, no-data b3 (wm 4), final b4. */
  AhRow b0[] = {KT(1, 1, 10), KT(1, 2, 20), KT(2, 2, 5), KT(1, 3, 1)};
  AhRow b1[] = {KT(1, 2, 100), KT(1, 3, 2), KT(1, 5, 3)};
  const AhRow *rows[] = {b0, b1};
  int counts[] = {N(b0), N(b1)};
  struct {
    EdEmitMode mode;
    const char *name;
    const char *want[32];
  } cases[] = {
      {EMIT_APPEND, "event time APPEND",
       {"-- batch 0", "-- batch 1", "1|1|1|10", "1|2|1|20", "2|2|1|5",
        "-- batch 2", "-- batch 3", "1|3|2|3", "-- batch 4", "1|5|1|3"}},
      {EMIT_UPDATE, "event time UPDATE",
       {"-- batch 0", "1|1|1|10", "1|2|1|20", "2|2|1|5", "1|3|1|1",
        "-- batch 1", "-- batch 2", "1|3|2|3", "1|5|1|3", "-- batch 3",
        "-- batch 4"}},
      {EMIT_CHANGES, "event time CHANGES",
       {"-- batch 0", "+I|1|1|1|10", "+I|1|2|1|20", "+I|2|2|1|5",
        "+I|1|3|1|1", "-- batch 1", "-- batch 2", "-U|1|3|1|1", "+U|1|3|2|3",
        "+I|1|5|1|3", "-- batch 3", "-- batch 4"}},
      {EMIT_COMPLETE, "event time COMPLETE",
       {"-- batch 0", "1|1|1|10", "1|2|1|20", "2|2|1|5", "1|3|1|1",
        "-- batch 1", "1|1|1|10", "1|2|1|20", "2|2|1|5", "1|3|1|1",
        "-- batch 2", "1|1|1|10", "1|2|2|120", "2|2|1|5", "1|3|2|3",
        "1|5|1|3", "-- batch 3", "1|1|1|10", "1|2|2|120", "2|2|1|5",
        "1|3|2|3", "1|5|1|3", "-- batch 4", "1|1|1|10", "1|2|2|120",
        "2|2|1|5", "1|3|2|3", "1|5|1|3"}},
  };
  for (int c = 0; c < N(cases); c++) {
    AhSpec s = event_time(cases[c].mode);
    AhRun r;
    AhRows out = {0};
    int64_t late = 0;
    if (!ah_start(&r, ah_plan(&s), true)) continue;
    ah_run_wm(&r, rows, counts, 2, 1, &out, &late);
    int n;
    for (n = 0; cases[c].want[n]; n++) {}
    TAP_OK(ah_same(cases[c].name, &out, cases[c].want, n), cases[c].name);
    char name[128];
    snprintf(name, sizeof name, "%s: late rows", cases[c].name);
    TAP_EQ_INT(late, cases[c].mode == EMIT_COMPLETE ? 0 : 1, name);
    snprintf(name, sizeof name, "%s: state after the final batch",
             cases[c].name);
    TAP_EQ_INT(r.op->state_rows, cases[c].mode == EMIT_COMPLETE ? 5 : 0,
               name);
    ah_rows_free(&out);
    ah_stop(&r);
  }
}

/* Running aggregates per key, and their state TTL (processing time). */
static AhSpec running(EdEmitMode mode, int64_t ttl_sec) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 1;
  s.keys[0] = ah_col(AH_K);
  s.naggs = 2;
  s.aggs[0] = AH_COUNT_STAR;
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.kind = WIN_NONE;
  s.wkey = -1;
  s.mode = mode;
  s.ttl_us = ttl_sec * AH_SEC;
  return s;
}

/* One batch at processing time proc (seconds). */
static void run_at(AhRun *r, int64_t proc, const AhRow *rows, int n,
                   AhRows *out) {
  ah_begin(r, 0, false, proc * AH_SEC);
  if (n) ah_push(r, rows, n);
  ah_end(r, out);
}

static void test_running_ttl(void) {
  AhSpec s = running(EMIT_UPDATE, 10);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow a[] = {KT(1, 0, 1), KT(2, 0, 2), KT(1, 0, 3)};
  run_at(&r, 0, a, N(a), &out);
  static const char *w0[] = {"1|2|4", "2|1|2"};
  TAP_OK(ah_same("running UPDATE t=0", &out, w0, N(w0)), "running UPDATE t=0");
  AhRow b[] = {KT(1, 0, 10)};
  run_at(&r, 5, b, N(b), &out);
  static const char *w1[] = {"1|3|14"};
  TAP_OK(ah_same("running UPDATE t=5", &out, w1, N(w1)), "running UPDATE t=5");
  /* t=12: key 2 was last updated at 0 (12 >= 10): evicted; key 1 at 5. */
  AhRow c[] = {KT(3, 0, 7)};
  run_at(&r, 12, c, N(c), &out);
  static const char *w2[] = {"3|1|7"};
  TAP_OK(ah_same("running UPDATE t=12", &out, w2, N(w2)), "running UPDATE t=12");
  TAP_EQ_INT(r.op->rows_removed_batch, 1, "TTL: key 2 evicted at t=12");
  TAP_EQ_INT(r.op->state_rows, 2, "TTL: keys 1 and 3 left");
  /* t=20: key 2 comes back afresh; key 1 (last 5) expires at the end. */
  AhRow d[] = {KT(2, 0, 1)};
  run_at(&r, 20, d, N(d), &out);
  static const char *w3[] = {"2|1|1"};
  TAP_OK(ah_same("TTL: an expired key starts afresh", &out, w3, N(w3)),
         "TTL: an expired key starts afresh");
  TAP_EQ_INT(r.op->rows_removed_batch, 1, "TTL: key 1 evicted at t=20");
  AhRow e[] = {KT(1, 0, 1)};
  run_at(&r, 21, e, N(e), &out);
  static const char *w4[] = {"1|1|1"};
  TAP_OK(ah_same("TTL: key 1 afresh", &out, w4, N(w4)), "TTL: key 1 afresh");
  ah_rows_free(&out);
  ah_stop(&r);

  /* COMPLETE never evicts, TTL or not. */
  s = running(EMIT_COMPLETE, 10);
  if (!ah_start(&r, ah_plan(&s), true)) return;
  run_at(&r, 0, a, N(a), &out);
  run_at(&r, 100, c, N(c), &out);
  static const char *w5[] = {"1|2|4", "2|1|2", "3|1|7"};
  TAP_OK(ah_same("running COMPLETE ignores the TTL", &out, w5, N(w5)),
         "running COMPLETE ignores the TTL");
  TAP_EQ_INT(r.op->rows_removed_batch, 0, "COMPLETE: nothing removed");
  ah_rows_free(&out);
  ah_stop(&r);

  /* CHANGES of a running aggregate; no keys at all. */
  s = running(EMIT_CHANGES, 0);
  s.nkeys = 0;
  if (!ah_start(&r, ah_plan(&s), true)) return;
  run_at(&r, 0, a, N(a), &out);
  static const char *w6[] = {"+I|3|6"};
  TAP_OK(ah_same("running CHANGES, no keys", &out, w6, N(w6)),
         "running CHANGES, no keys");
  run_at(&r, 1, NULL, 0, &out);
  TAP_EQ_INT(out.n, 0, "running CHANGES: a batch without rows changes nothing");
  run_at(&r, 2, b, N(b), &out);
  static const char *w7[] = {"-U|3|6", "+U|4|16"};
  TAP_OK(ah_same("running CHANGES, -U/+U", &out, w7, N(w7)),
         "running CHANGES, -U/+U");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* More groups than an output batch holds, in key order of appearance. */
static void test_many_groups(void) {
  AhSpec s = keyed(EMIT_UPDATE);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  enum { NG = 5000 };
  AhRow *rows = ed_calloc(2 * NG, sizeof(AhRow));
  for (int i = 0; i < 2 * NG; i++) {
    /* keys 4999, 4998, ... first in window [0,10), then in [10,20). */
    rows[i] = KS(NG - 1 - (i % NG), false, "x", i < NG ? 1 : 11, false, i, 0);
  }
  ah_batch(&r, 0, rows, 2 * NG, &out);
  TAP_EQ_INT(out.n, 2 * NG, "5000 keys x 2 windows: 10000 rows");
  char want[64];
  snprintf(want, sizeof want, "%d|[0,10)|x|1|0|0|1", NG - 1);
  TAP_EQ_STR(out.n ? out.v[0] : NULL, want, "first row: first key seen");
  snprintf(want, sizeof want, "0|[0,10)|x|1|%d|0|1", NG - 1);
  TAP_EQ_STR(out.n >= NG ? out.v[NG - 1] : NULL, want,
             "row 5000: last key of the first window");
  snprintf(want, sizeof want, "%d|[10,20)|x|1|%d|0|1", NG - 1, NG);
  TAP_EQ_STR(out.n > NG ? out.v[NG] : NULL, want,
             "row 5001: the second window starts");
  TAP_EQ_INT(r.op->state_rows, 2 * NG, "10000 groups in state");
  ah_batch(&r, 10, NULL, 0, &out);
  TAP_EQ_INT(r.op->rows_removed_batch, NG, "wm 10 evicts the first window");
  AhRow again = KS(7, false, "x", 12, false, 1, 0);
  ah_batch(&r, 10, &again, 1, &out);
  TAP_EQ_STR(out.n == 1 ? out.v[0] : NULL, "7|[10,20)|x|2|9993|0|2",
             "a group of the second window after evictions");
  free(rows);
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Aggregates over NULLs, strings and doubles, and BIGINT sum overflow. */
static void test_values(void) {
  AhSpec s = running(EMIT_UPDATE, 0);
  s.naggs = 8;
  s.aggs[0] = ah_agg(AGG_COUNT, false, AH_V, ED_T_BIGINT);
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.aggs[2] = ah_agg(AGG_AVG, false, AH_V, ED_T_DOUBLE);
  s.aggs[3] = ah_agg(AGG_MIN, false, AH_S, ED_T_VARCHAR);
  s.aggs[4] = ah_agg(AGG_MAX, false, AH_S, ED_T_VARCHAR);
  s.aggs[5] = ah_agg(AGG_AVG, false, AH_D, ED_T_DOUBLE);
  s.aggs[6] = ah_agg(AGG_COUNT, true, AH_S, ED_T_BIGINT);
  s.aggs[7] = ah_agg(AGG_MIN, false, AH_TS, ED_T_TIMESTAMP);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow a[3];
  memset(a, 0, sizeof a);
  a[0].k = 1, a[0].v_null = true, a[0].s = NULL, a[0].d_null = true;
  a[0].ts = 50;
  a[1].k = 2, a[1].v = 4, a[1].s = "pear", a[1].d = 0.5, a[1].ts = 7;
  a[2].k = 2, a[2].v = 5, a[2].s = "apple", a[2].d = 0.25, a[2].ts = 9;
  ah_batch(&r, 0, a, 3, &out);
  static const char *w0[] = {"1|0|NULL|NULL|NULL|NULL|NULL|0|50",
                             "2|2|9|4.5|apple|pear|0.375|2|7"};
  TAP_OK(ah_same("NULL-only group; strings", &out, w0, N(w0)),
         "NULL-only group; strings");
  AhRow b[2];
  memset(b, 0, sizeof b);
  b[0].k = 2, b[0].v = 1, b[0].s = "zebra", b[0].d = 1, b[0].ts = 8;
  b[1].k = 2, b[1].v = 2, b[1].s = "apple", b[1].d = 1, b[1].ts = 6;
  ah_batch(&r, 0, b, 2, &out);
  static const char *w1[] = {"2|4|12|3|apple|zebra|0.6875|3|6"};
  TAP_OK(ah_same("strings kept across batches", &out, w1, N(w1)),
         "strings kept across batches");
  AhRow big[2];
  memset(big, 0, sizeof big);
  big[0].k = 3, big[0].v = INT64_MAX, big[0].s = "a";
  big[1].k = 3, big[1].v = 1, big[1].s = "a";
  ah_begin(&r, 0, false, 0);
  TAP_EQ_INT(ah_push(&r, big, 2), -1, "sum(BIGINT) overflow is an error");
  TAP_OK(strstr(r.ctx.err.msg, "overflow") != NULL,
         "the error says overflow");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* A streaming run that ends with finish() and no final batch: APPEND
** still emits what is open; a batch run's finish() emits everything. */
static void test_finish(void) {
  AhSpec s = tumbling5(EMIT_APPEND);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  scenario_rows();
  ah_batch(&r, 0, sc1, 6, &out);
  ah_coll_finishes = 0;
  ah_finish(&r, &out);
  static const char *w[] = {"[10,15)|5", "[15,20)|1"};
  TAP_OK(ah_same("streaming finish without a final batch", &out, w, N(w)),
         "streaming finish without a final batch");
  TAP_EQ_INT(ah_coll_finishes, 1, "finish is forwarded");
  ah_rows_free(&out);
  ah_stop(&r);

  s = tumbling5(EMIT_COMPLETE);
  s.wm_bounded = false;
  if (!ah_start(&r, ah_plan(&s), false)) return;
  ah_push(&r, sc1, 6);
  ah_push(&r, sc3, 2);
  ah_finish(&r, &out);
  static const char *w2[] = {"[10,15)|6", "[15,20)|1", "[25,30)|1"};
  TAP_OK(ah_same("batch run: finish emits every group", &out, w2, N(w2)),
         "batch run: finish emits every group");
  ah_rows_free(&out);
  ah_stop(&r);
}

int main(void) {
  ah_init();
  test_scenario();
  test_counters();
  test_keyed();
  test_negative_time();
  test_event_time();
  test_running_ttl();
  test_many_groups();
  test_values();
  test_finish();
  ah_done();
  return tap_done();
}
