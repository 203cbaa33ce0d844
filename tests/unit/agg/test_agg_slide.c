/*
** tests/unit/agg/test_agg_slide.c — sliding windows kept as panes, in every
** output mode, with hand-worked expectations: the (row, window) late rule
** (a row late for an early window still counts in the later ones, and the
** early window, emitted later, must not see it), windows whose size is not
** a multiple of the slide, DISTINCT and VARCHAR aggregates merged across
** panes, other keys and NULL event times, eviction and counters, and a
** batch run.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_harness.h"
#include "tests/unit/tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static AhRow R(int64_t ts, int64_t v) {
  AhRow r;
  memset(&r, 0, sizeof r);
  r.ts = ts;
  r.v = v;
  r.s = "x";
  return r;
}

/* window(ts, size, slide), count(*), sum(v). */
static AhSpec sliding(int64_t size, int64_t slide, EdEmitMode mode) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 1;
  s.keys[0] = ah_window_call(size * AH_SEC, slide * AH_SEC);
  s.naggs = 2;
  s.aggs[0] = AH_COUNT_STAR;
  s.aggs[1] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s.kind = WIN_SLIDING;
  s.wkey = 0;
  s.size = size;
  s.slide = slide;
  s.wm_bounded = true;
  s.mode = mode;
  return s;
}

static int count_of(const char *const *v) {
  int n = 0;
  while (v[n]) n++;
  return n;
}

/* Size 10, slide 5 (panes of 5).  b0 (wm 0): rows at 1, 7, 12 (v 1, 2, 4):
**   1 -> [-5,5) [0,10);  7 -> [0,10) [5,15);  12 -> [5,15) [10,20).
** b1 (wm 10): row 8 (v 8) is late for [0,10) (end 10 <= 10) but counts in
** [5,15); row 3 (v 16) is late for [-5,5) and [0,10): 3 dropped pairs.
** b2 (wm 20), no rows; then the final batch. */
static void test_late_pairs(void) {
  AhRow b0[] = {R(1, 1), R(7, 2), R(12, 4)};
  AhRow b1[] = {R(8, 8), R(3, 16)};
  struct {
    EdEmitMode mode;
    const char *name;
    const char *w0[8], *w1[8], *w2[8], *fin[8];
    int late;
  } cases[] = {
      {EMIT_UPDATE, "sliding UPDATE",
       {"[-5,5)|1|1", "[0,10)|2|3", "[5,15)|2|6", "[10,20)|1|4"},
       {"[5,15)|3|14"},
       {NULL},
       {NULL},
       3},
      {EMIT_APPEND, "sliding APPEND",
       {NULL},
       /* [0,10) gets 1 and 7 but not 8, which arrived at wm 10. */
       {"[-5,5)|1|1", "[0,10)|2|3"},
       {"[5,15)|3|14", "[10,20)|1|4"},
       {NULL},
       3},
      {EMIT_CHANGES, "sliding CHANGES",
       {"+I|[-5,5)|1|1", "+I|[0,10)|2|3", "+I|[5,15)|2|6", "+I|[10,20)|1|4"},
       {"-U|[5,15)|2|6", "+U|[5,15)|3|14"},
       {NULL},
       {NULL},
       3},
      {EMIT_COMPLETE, "sliding COMPLETE",
       {"[-5,5)|1|1", "[0,10)|2|3", "[5,15)|2|6", "[10,20)|1|4"},
       {"[-5,5)|2|17", "[0,10)|4|27", "[5,15)|3|14", "[10,20)|1|4"},
       {"[-5,5)|2|17", "[0,10)|4|27", "[5,15)|3|14", "[10,20)|1|4"},
       {"[-5,5)|2|17", "[0,10)|4|27", "[5,15)|3|14", "[10,20)|1|4"},
       0},
  };
  for (int c = 0; c < N(cases); c++) {
    AhSpec s = sliding(10, 5, cases[c].mode);
    AhRun r;
    AhRows out = {0};
    char name[128];
    if (!ah_start(&r, ah_plan(&s), true)) continue;
    ah_batch(&r, 0, b0, N(b0), &out);
    snprintf(name, sizeof name, "%s: batch 0", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w0, count_of(cases[c].w0)), name);
    ah_batch(&r, 10, b1, N(b1), &out);
    snprintf(name, sizeof name, "%s: batch 1 (wm 10)", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w1, count_of(cases[c].w1)), name);
    snprintf(name, sizeof name, "%s: dropped (row, window) pairs",
             cases[c].name);
    TAP_EQ_INT(r.op->rows_late_batch, cases[c].late, name);
    ah_batch(&r, 20, NULL, 0, &out);
    snprintf(name, sizeof name, "%s: batch 2 (wm 20)", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].w2, count_of(cases[c].w2)), name);
    if (cases[c].mode != EMIT_COMPLETE) {
      snprintf(name, sizeof name, "%s: state empty at wm 20", cases[c].name);
      TAP_EQ_INT(r.op->state_rows, 0, name);
    }
    ah_batch(&r, ED_TS_MAX, NULL, 0, &out);
    snprintf(name, sizeof name, "%s: final batch", cases[c].name);
    TAP_OK(ah_same(name, &out, cases[c].fin, count_of(cases[c].fin)), name);
    ah_rows_free(&out);
    ah_stop(&r);
  }
}

/* State rows are slots: (pane) or (pane, cut) for partially late rows. */
static void test_counters(void) {
  AhSpec s = sliding(10, 5, EMIT_UPDATE);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow b0[] = {R(1, 1), R(7, 2), R(12, 4)};
  ah_batch(&r, 0, b0, N(b0), &out);
  TAP_EQ_INT(r.op->state_rows, 3, "slide counters: three panes");
  TAP_EQ_INT(r.op->rows_updated_batch, 3, "slide counters: three updated");
  AhRow b1[] = {R(8, 8), R(9, 1), R(3, 16)};
  ah_batch(&r, 10, b1, N(b1), &out);
  /* 8 and 9 go to one new slot of pane [5,10) counting from [5,15); pane
  ** [0,5) (last window [0,10)) is evicted at wm 10. */
  TAP_EQ_INT(r.op->rows_updated_batch, 1, "slide counters: one slot updated");
  TAP_EQ_INT(r.op->rows_removed_batch, 1, "slide counters: pane [0,5) gone");
  TAP_EQ_INT(r.op->state_rows, 3, "slide counters: 3 - 1 + 1 slots");
  TAP_EQ_INT(r.op->rows_late_batch, 4, "slide counters: 1 + 1 + 2 pairs");
  static const char *w[] = {"[5,15)|4|15"};
  TAP_OK(ah_same("slide counters: output", &out, w, N(w)),
         "slide counters: output");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* Size 10, slide 4 (panes of 2): windows start at multiples of 4, and a
** pane is covered by two or three windows.
**   1 (pane [0,2))  -> [-8,2) [-4,6) [0,10)
**   5 (pane [4,6))  -> [-4,6) [0,10) [4,14)
**   9 (pane [8,10)) -> [0,10) [4,14) [8,18)
** At wm 10: 13 (pane [12,14)) -> [4,14) [8,18) [12,22), none late;
**   7 (pane [6,8)) -> [0,10) late, [4,14) counts. */
static void test_uneven(void) {
  AhRow b0[] = {R(1, 1), R(5, 10), R(9, 100)};
  AhRow b1[] = {R(13, 1000), R(7, 10000)};
  AhSpec s = sliding(10, 4, EMIT_APPEND);
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  ah_batch(&r, 0, b0, N(b0), &out);
  TAP_EQ_INT(out.n, 0, "uneven APPEND: nothing final at wm 0");
  ah_batch(&r, 10, b1, N(b1), &out);
  static const char *w1[] = {"[-8,2)|1|1", "[-4,6)|2|11", "[0,10)|3|111"};
  TAP_OK(ah_same("uneven APPEND at wm 10", &out, w1, N(w1)),
         "uneven APPEND at wm 10");
  TAP_EQ_INT(r.op->rows_late_batch, 1, "uneven: one dropped pair");
  ah_batch(&r, ED_TS_MAX, NULL, 0, &out);
  static const char *w2[] = {"[4,14)|4|11110", "[8,18)|2|1100",
                             "[12,22)|1|1000"};
  TAP_OK(ah_same("uneven APPEND final", &out, w2, N(w2)),
         "uneven APPEND final");
  ah_rows_free(&out);
  ah_stop(&r);

  s = sliding(10, 4, EMIT_COMPLETE);
  if (!ah_start(&r, ah_plan(&s), true)) return;
  ah_batch(&r, 0, b0, N(b0), &out);
  static const char *w3[] = {"[-8,2)|1|1", "[-4,6)|2|11", "[0,10)|3|111",
                             "[4,14)|2|110", "[8,18)|1|100"};
  TAP_OK(ah_same("uneven COMPLETE", &out, w3, N(w3)), "uneven COMPLETE");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* count(DISTINCT v), min/max of strings and an average, merged across
** panes; another key; a NULL event time. */
static void test_merge_values(void) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.nkeys = 2;
  s.keys[0] = ah_window_call(10 * AH_SEC, 5 * AH_SEC);
  s.keys[1] = ah_col(AH_K);
  s.naggs = 5;
  s.aggs[0] = ah_agg(AGG_COUNT, true, AH_V, ED_T_BIGINT);
  s.aggs[1] = ah_agg(AGG_MIN, false, AH_S, ED_T_VARCHAR);
  s.aggs[2] = ah_agg(AGG_MAX, false, AH_S, ED_T_VARCHAR);
  s.aggs[3] = ah_agg(AGG_AVG, false, AH_V, ED_T_DOUBLE);
  s.aggs[4] = ah_agg(AGG_SUM, true, AH_V, ED_T_BIGINT);
  s.kind = WIN_SLIDING;
  s.wkey = 0;
  s.size = 10;
  s.slide = 5;
  s.wm_bounded = true;
  s.mode = EMIT_CHANGES;
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), true)) return;
  AhRow b0[5];
  memset(b0, 0, sizeof b0);
  b0[0] = (AhRow){.k = 2, .s = "m", .ts = 1, .v = 1};
  b0[1] = (AhRow){.k = 2, .s = "b", .ts = 6, .v = 1};
  b0[2] = (AhRow){.k = 2, .s = "z", .ts = 7, .v = 2};
  b0[3] = (AhRow){.k = 1, .s = "q", .ts = 8, .v = 5};
  b0[4] = (AhRow){.k = 1, .s = "q", .ts_null = true, .v = 9};
  ah_batch(&r, 0, b0, 5, &out);
  /* Key 2 appears first.  [0,10) of key 2: v {1, 1, 2}: 2 distinct, avg
  ** 4/3, distinct sum 3; [5,15) of key 2: v {1, 2}. */
  static const char *w0[] = {
      "+I|NULL|1|1|q|q|9|9",       "+I|[-5,5)|2|1|m|m|1|1",
      "+I|[0,10)|2|2|b|z|1.33333333333|3", "+I|[0,10)|1|1|q|q|5|5",
      "+I|[5,15)|2|2|b|z|1.5|3",   "+I|[5,15)|1|1|q|q|5|5"};
  TAP_OK(ah_same("merged DISTINCT and strings", &out, w0, N(w0)),
         "merged DISTINCT and strings");
  AhRow b1[2];
  memset(b1, 0, sizeof b1);
  b1[0] = (AhRow){.k = 2, .s = "a", .ts = 9, .v = 2};
  b1[1] = (AhRow){.k = 1, .s = "r", .ts_null = true, .v = 9};
  ah_batch(&r, 10, b1, 2, &out);
  /* 9 is late for [0,10) (wm 10) and counts in [5,15): v {1, 2, 2}. */
  static const char *w1[] = {
      "-U|NULL|1|1|q|q|9|9", "+U|NULL|1|1|q|r|9|9",
      "-U|[5,15)|2|2|b|z|1.5|3", "+U|[5,15)|2|2|a|z|1.66666666667|3"};
  TAP_OK(ah_same("CHANGES after a partly late row", &out, w1, N(w1)),
         "CHANGES after a partly late row");
  ah_rows_free(&out);
  ah_stop(&r);
}

/* A batch run (finish) over a key with many panes (50, more than a short
** list): windows are merged by looking panes up rather than walking the
** key's pane list. */
static void test_batch_run(void) {
  AhSpec s = sliding(6, 2, EMIT_COMPLETE);
  s.wm_bounded = false;
  AhRun r;
  AhRows out = {0};
  if (!ah_start(&r, ah_plan(&s), false)) return;
  enum { NR = 100 };
  AhRow rows[NR];
  for (int i = 0; i < NR; i++) rows[i] = R(NR - 1 - i, 1);   /* reversed */
  ah_push(&r, rows, NR);
  ah_finish(&r, &out);
  /* Windows start at -4, -2, ..., 98; [w, w+6) holds the integers in it
  ** that are in 0..99. */
  AhRows want = {0};
  for (int w = -4; w < NR; w += 2) {
    int lo = w < 0 ? 0 : w, hi = w + 6 > NR ? NR : w + 6;
    char line[64];
    snprintf(line, sizeof line, "[%d,%d)|%d|%d", w, w + 6, hi - lo, hi - lo);
    ah_rows_add(&want, line);
  }
  TAP_OK(ah_same("batch run over 50 panes", &out,
                 (const char *const *)want.v, want.n),
         "batch run over 50 panes");
  ah_rows_free(&want);
  ah_rows_free(&out);
  ah_stop(&r);
}

int main(void) {
  ah_init();
  test_late_pairs();
  test_counters();
  test_uneven();
  test_merge_values();
  test_batch_run();
  ah_done();
  return tap_done();
}
