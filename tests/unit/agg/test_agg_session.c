/*
** tests/unit/agg/test_agg_session.c — session windows with hand-worked
** expectations: merging when sessions overlap or touch (end == start), the
** changelog of merges (-D for a session merged away, a new session
** absorbing an emitted one), the late rule (a row whose own session ends
** <= wm is late unless it touches an open session; a closed session is
** final and never absorbs rows), every output mode, NULL event times,
** counters, and a batch run that merges hundreds of sessions arriving out
** of order.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_harness.h"
#include "tests/unit/tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static AhRow KT(int64_t k, int64_t ts, int64_t v) {
  AhRow r;
  memset(&r, 0, sizeof r);
  r.k = k;
  r.ts = ts;
  r.v = v;
  r.s = "x";
  return r;
}

/* GROUP BY k, session_window(ts, gap): count(*), sum(v). */
static AhSpec sessions(int64_t gap, EdEmitMode mode) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 2;
  s.keys[0] = ah_col(AH_K);
  s.keys[1] = ah_session_call(gap * AH_SEC);
  s.naggs = 2;
  s.aggs[0] = AH_COUNT_STAR;
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.kind = WIN_SESSION;
  s.wkey = 1;
  s.gap = gap;
  s.wm_bounded = true;
  s.mode = mode;
  return s;
}

/* Gap 5, no watermark movement (wm 0 throughout):
** b0: k1 at 1 -> [1,6), k1 at 10 -> [10,15), k2 at 3 -> [3,8).
** b1: k1 at 6 -> [6,11) touches [1,6) (6 == 6) and [10,15) (10 <= 11):
**     one session [1,15); [1,6) survives (smallest start), [10,15) goes.
** b2: k1 at 20 -> [20,25), then k1 at 16 -> [16,21) joins it: [16,25);
**     k2 at -3 -> [-3,2) (does not touch [3,8)), then k2 at 1 -> [1,6)
**     touches both: [-3,2) survives and absorbs the emitted [3,8). */
static void test_merges(void) {
  AhRow b0[] = {KT(1, 1, 1), KT(1, 10, 2), KT(2, 3, 4)};
  AhRow b1[] = {KT(1, 6, 8)};
  AhRow b2[] = {KT(1, 20, 16), KT(1, 16, 32), KT(2, -3, 128), KT(2, 1, 256)};
  AhSpec s = sessions(5, EMIT_CHANGES);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  ah_batch(&r, 0, b0, N(b0), &out);
  static const char *w0[] = {"+I|1|[1,6)|1|1", "+I|2|[3,8)|1|4",
                             "+I|1|[10,15)|1|2"};
  TAP_OK(ah_same("sessions CHANGES b0", &out, w0, N(w0)),
         "sessions CHANGES b0");
  TAP_EQ_INT(r.op->state_rows, 3, "three sessions");
  ah_batch(&r, 0, b1, N(b1), &out);
  static const char *w1[] = {"-D|1|[10,15)|1|2", "-U|1|[1,6)|1|1",
                             "+U|1|[1,15)|3|11"};
  TAP_OK(ah_same("touching sessions merge: -D, -U, +U", &out, w1, N(w1)),
         "touching sessions merge: -D, -U, +U");
  TAP_EQ_INT(r.op->state_rows, 2, "two sessions after the merge");
  TAP_EQ_INT(r.op->rows_removed_batch, 1, "the merged-away one is removed");
  ah_batch(&r, 0, b2, N(b2), &out);
  static const char *w2[] = {"-D|2|[3,8)|1|4", "+I|2|[-3,8)|3|388",
                             "+I|1|[16,25)|2|48"};
  TAP_OK(ah_same("a new session absorbs an emitted one", &out, w2, N(w2)),
         "a new session absorbs an emitted one");
  ah_rows_free(&out);
  ah_stop(&r);

  /* The same rows in COMPLETE and UPDATE. */
  s = sessions(5, EMIT_COMPLETE);
  if (!ah_start(&r, ah_plan(&s), true)) return;
  ah_batch(&r, 0, b0, N(b0), &out);
  ah_batch(&r, 0, b1, N(b1), &out);
  ah_batch(&r, 0, b2, N(b2), &out);
  static const char *w3[] = {"2|[-3,8)|3|388", "1|[1,15)|3|11",
                             "1|[16,25)|2|48"};
  TAP_OK(ah_same("sessions COMPLETE", &out, w3, N(w3)), "sessions COMPLETE");
  ah_rows_free(&out);
  ah_stop(&r);

  s = sessions(5, EMIT_UPDATE);
  if (!ah_start(&r, ah_plan(&s), true)) return;
  ah_batch(&r, 0, b0, N(b0), &out);
  ah_batch(&r, 0, b1, N(b1), &out);
  static const char *w4[] = {"1|[1,15)|3|11"};
  TAP_OK(ah_same("sessions UPDATE", &out, w4, N(w4)), "sessions UPDATE");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Gap 5.  b0 (wm 0): k1 at 10 -> [10,15), at 30 -> [30,35).
** b1 (wm 15): [10,15) is closed (15 <= 15).  Rows:
**   8  -> own [8,13) ends <= 15 and touches no open session: late;
**   12 -> own [12,17) ends after 15; it touches the closed [10,15) but a
**         closed session is final: a new session [12,17);
**   26 -> [26,31) touches [30,35): [26,35);
**   9  -> own [9,14) ends <= 15 but touches the open [12,17): [9,17).
** b2 (wm 17): [9,17) closes.  Then the final batch. */
static void test_late(void) {
  AhRow b0[] = {KT(1, 10, 1), KT(1, 30, 2)};
  AhRow b1[] = {KT(1, 8, 4), KT(1, 12, 8), KT(1, 26, 16), KT(1, 9, 32)};
  struct {
    EdEmitMode mode;
    const char *name;
    const char *w0[4], *w1[4], *w2[4], *fin[4];
    int late;
  } cases[] = {
      {EMIT_APPEND, "sessions APPEND",
       {NULL},
       {"1|[10,15)|1|1"},
       {"1|[9,17)|2|40"},
       {"1|[26,35)|2|18"},
       1},
      {EMIT_UPDATE, "sessions UPDATE",
       {"1|[10,15)|1|1", "1|[30,35)|1|2"},
       {"1|[9,17)|2|40", "1|[26,35)|2|18"},
       {NULL},
       {NULL},
       1},
      {EMIT_CHANGES, "sessions CHANGES",
       {"+I|1|[10,15)|1|1", "+I|1|[30,35)|1|2"},
       {"+I|1|[9,17)|2|40", "-U|1|[30,35)|1|2", "+U|1|[26,35)|2|18"},
       {NULL},
       {NULL},
       1},
      {EMIT_COMPLETE, "sessions COMPLETE (nothing late)",
       {"1|[10,15)|1|1", "1|[30,35)|1|2"},
       {"1|[8,17)|4|45", "1|[26,35)|2|18"},
       {"1|[8,17)|4|45", "1|[26,35)|2|18"},
       {"1|[8,17)|4|45", "1|[26,35)|2|18"},
       0},
  };
  for (int c = 0; c < N(cases); c++) {
    AhSpec s = sessions(5, cases[c].mode);
    AhRun r;
    AhRows out = {0};
    char name[128];
    int n;
    if (!ah_start(&r, ah_plan(&s), true)) continue;
    ah_batch(&r, 0, b0, N(b0), &out);
    for (n = 0; n < 4 && cases[c].w0[n]; n++) {}
    snprintf(name, sizeof name, "%s: b0", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w0, n), name);
    ah_batch(&r, 15, b1, N(b1), &out);
    for (n = 0; n < 4 && cases[c].w1[n]; n++) {}
    snprintf(name, sizeof name, "%s: b1 (wm 15)", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w1, n), name);
    snprintf(name, sizeof name, "%s: late rows", cases[c].name);
    TAP_EQ_INT(r.op->rows_late_batch, cases[c].late, name);
    if (cases[c].mode == EMIT_UPDATE) {
      TAP_EQ_INT(r.op->rows_removed_batch, 1, "UPDATE: [10,15) evicted");
      TAP_EQ_INT(r.op->state_rows, 2, "UPDATE: two open sessions");
    }
    ah_batch(&r, 17, NULL, 0, &out);
    for (n = 0; n < 4 && cases[c].w2[n]; n++) {}
    snprintf(name, sizeof name, "%s: b2 (wm 17)", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w2, n), name);
    ah_batch(&r, ED_TS_MAX, NULL, 0, &out);
    for (n = 0; n < 4 && cases[c].fin[n]; n++) {}
    snprintf(name, sizeof name, "%s: final", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].fin, n), name);
    ah_rows_free(&out);
    ah_stop(&r);
  }
}

/* NULL event times form one session per key, final only at the end; no
** other keys at all. */
static void test_null_time(void) {
  AhSpec s = sessions(5, EMIT_APPEND);
  s.nkeys = 1;
  s.keys[0] = s.keys[1];
  s.wkey = 0;
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow b0[] = {KT(1, 3, 1), KT(2, 0, 2), KT(1, 4, 4)};
  b0[1].ts_null = true;
  ah_batch(&r, 0, b0, N(b0), &out);
  ah_batch(&r, 100, b0 + 1, 1, &out);
  static const char *w1[] = {"[3,9)|2|5"};
  TAP_OK(ah_same("NULL time is not closed by the watermark", &out, w1, N(w1)),
         "NULL time is not closed by the watermark");
  ah_batch(&r, ED_TS_MAX, NULL, 0, &out);
  static const char *w2[] = {"NULL|2|4"};
  TAP_OK(ah_same("NULL-time session at the end", &out, w2, N(w2)),
         "NULL-time session at the end");
  TAP_EQ_INT(r.op->state_rows, 0, "APPEND final leaves no state");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* A batch run: 200 isolated sessions arrive in a scrambled order, then the
** rows that bridge each neighbouring pair, also scrambled: everything
** merges into one session. */
static void test_batch_merge_all(void) {
  AhSpec s = sessions(5, EMIT_COMPLETE);
  s.wm_bounded = false;
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), false)) return;
  enum { NS = 200 };
  AhRow rows[2 * NS];
  int n = 0;
  for (int i = 0; i < NS; i++) rows[n++] = KT(7, ((i * 37) % NS) * 10, 1);
  for (int i = 0; i < NS - 1; i++)
    rows[n++] = KT(7, ((i * 53) % (NS - 1)) * 10 + 5, 1);
  ah_push(&r, rows, NS);
  TAP_EQ_INT(r.op->state_rows, NS, "200 separate sessions");
  ah_push(&r, rows + NS, NS - 1);
  TAP_EQ_INT(r.op->state_rows, 1, "bridged into one session");
  ah_finish(&r, &out);
  static const char *w[] = {"7|[0,1995)|399|399"};
  TAP_OK(ah_same("one session over everything", &out, w, N(w)),
         "one session over everything");
  ah_rows_free(&out);
  ah_stop(&r);
}

int main(void) {
  ah_init();
  test_merges();
  test_late();
  test_null_time();
  test_batch_merge_all();
  ah_done();
  return tap_done();
}
