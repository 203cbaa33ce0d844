/*
** tests/unit/agg/test_agg_sqlite.c — differential tests of the incremental
** aggregation against SQLite on generated streams (DESIGN §8).
**
** Random micro-batches (keys and strings with NULLs, out-of-order event
** times, some NULL times) are driven through the operator with a
** watermark of delay D; every row remembers the watermark of the batch it
** arrived in.  SQLite then computes the same aggregate over the same rows:
** tumbling windows from the window start arithmetic, sliding windows by
** joining the rows with a generated series of window starts, sessions with
** window functions (a row opens a new session when it is more than the gap
** after the previous row of its key), raw event time and running
** aggregates by plain GROUP BY.  Where the watermark drops rows, the SQL
** applies DESIGN §4's rule to each (row, window) pair: it keeps the pair
** when window end > the row's arrival watermark (event time > it for the
** raw event time).  Checked:
**   - the last COMPLETE table equals SQLite over every row;
**   - the UPDATE rows applied as upserts by group key, the changelog
**     applied in order (each -U/-D must retract exactly the row last
**     inserted for its key), and the union of the APPEND rows (each group
**     once) all equal SQLite over the pairs the watermark keeps;
**   - the count of dropped (row, window) pairs;
**   - a batch run (finish) of sliding and session windows.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg_harness.h"
#include "tests/unit/tap.h"

static sqlite3 *db;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static int rnd_in(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

static void sql_exec(const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    fprintf(stderr, "sqlite: %s\n%s\n", msg, sql);
    exit(1);
  }
}

/* Runs sql; each result row formatted like the collector. */
static void sql_rows(const char *sql, AhRows *out) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "sqlite prepare: %s\n%s\n", sqlite3_errmsg(db), sql);
    exit(1);
  }
  char line[4096];
  while (sqlite3_step(st) == SQLITE_ROW) {
    int n = 0;
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      size_t cap = sizeof line - (size_t)n;
      if (c) n += snprintf(line + n, cap, "|"), cap--;
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: n += snprintf(line + n, cap, "NULL"); break;
        case SQLITE_INTEGER:
          n += snprintf(line + n, cap, "%lld",
                        (long long)sqlite3_column_int64(st, c));
          break;
        case SQLITE_FLOAT:
          n += snprintf(line + n, cap, "%.12g", sqlite3_column_double(st, c));
          break;
        default:
          n += snprintf(line + n, cap, "%s",
                        (const char *)sqlite3_column_text(st, c));
      }
    }
    ah_rows_add(out, line);
  }
  sqlite3_finalize(st);
}

static int64_t sql_int(const char *sql) {
  sqlite3_stmt *st;
  int64_t v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* ------------------------------------------------------------ data */

typedef struct Data {
  int nb;
  AhRow **rows;
  int *counts;
  int64_t delay;
} Data;

static const char *words[] = {"apple", "pear", "fig", "", "plum", "ap"};

/* nb batches of up to maxrows rows, nkeys keys, event times advancing
** by about 5 s per batch with jitter back of up to `back` seconds. */
static Data make_data(int nb, int maxrows, int nkeys, int back) {
  Data d;
  d.nb = nb;
  d.delay = 4;
  d.rows = ed_calloc((size_t)nb, sizeof(AhRow *));
  d.counts = ed_calloc((size_t)nb, sizeof(int));
  int64_t base = -20;
  for (int b = 0; b < nb; b++) {
    int n = rnd_in(0, maxrows);
    d.counts[b] = n;
    d.rows[b] = ed_calloc((size_t)(n ? n : 1), sizeof(AhRow));
    for (int i = 0; i < n; i++) {
      AhRow *r = &d.rows[b][i];
      r->k = rnd_in(0, nkeys - 1);
      r->k_null = rnd() % 20 == 0;
      r->s = rnd() % 15 == 0 ? NULL : words[rnd() % 6];
      r->ts = base + rnd_in(-back, 6);
      r->ts_null = rnd() % 30 == 0;
      r->v = rnd_in(-50, 50);
      r->v_null = rnd() % 12 == 0;
      r->d = (double)rnd_in(-400, 400) / 4.0;
      r->d_null = rnd() % 10 == 0;
    }
    base += rnd_in(0, 9);
  }
  return d;
}

static void free_data(Data *d) {
  for (int b = 0; b < d->nb; b++) free(d->rows[b]);
  free(d->rows);
  free(d->counts);
}

/* Replays the watermark rule over d to fill the SQLite table `rows`
** (with each row's arrival watermark) the same way drive() runs. */
static void load_rows(const Data *d) {
  sql_exec("DROP TABLE IF EXISTS rows;"
           "CREATE TABLE rows (k INTEGER, s TEXT, ts INTEGER, v INTEGER, "
           "d REAL, arr INTEGER)");
  sql_exec("BEGIN");
  sqlite3_stmt *st;
  sqlite3_prepare_v2(db, "INSERT INTO rows VALUES (?,?,?,?,?,?)", -1, &st,
                     NULL);
  int64_t wm = 0, maxts = INT64_MIN;
  for (int b = 0; b < d->nb; b++) {
    for (int i = 0; i < d->counts[b]; i++) {
      const AhRow *r = &d->rows[b][i];
      sqlite3_reset(st);
      if (r->k_null) sqlite3_bind_null(st, 1);
      else sqlite3_bind_int64(st, 1, r->k);
      if (!r->s) sqlite3_bind_null(st, 2);
      else sqlite3_bind_text(st, 2, r->s, -1, SQLITE_STATIC);
      if (r->ts_null) sqlite3_bind_null(st, 3);
      else sqlite3_bind_int64(st, 3, r->ts);
      if (r->v_null) sqlite3_bind_null(st, 4);
      else sqlite3_bind_int64(st, 4, r->v);
      if (r->d_null) sqlite3_bind_null(st, 5);
      else sqlite3_bind_double(st, 5, r->d);
      sqlite3_bind_int64(st, 6, wm);
      sqlite3_step(st);
      if (!r->ts_null && r->ts > maxts) maxts = r->ts;
    }
    if (maxts != INT64_MIN && maxts - d->delay > wm) wm = maxts - d->delay;
  }
  sqlite3_finalize(st);
  sql_exec("COMMIT");
}

/* ------------------------------------------------------------ queries */

#define AGGS_SQL                                                          \
  "count(*), count(v), sum(v), avg(v), min(s), max(s), count(DISTINCT s), " \
  "sum(d), min(d), max(v)"

static void set_aggs(AhSpec *s) {
  s->naggs = 10;
  s->aggs[0] = AH_COUNT_STAR;
  s->aggs[1] = ah_agg(AGG_COUNT, false, AH_V, ED_T_BIGINT);
  s->aggs[2] = ah_agg(AGG_SUM, false, AH_V, ED_T_BIGINT);
  s->aggs[3] = ah_agg(AGG_AVG, false, AH_V, ED_T_DOUBLE);
  s->aggs[4] = ah_agg(AGG_MIN, false, AH_S, ED_T_VARCHAR);
  s->aggs[5] = ah_agg(AGG_MAX, false, AH_S, ED_T_VARCHAR);
  s->aggs[6] = ah_agg(AGG_COUNT, true, AH_S, ED_T_BIGINT);
  s->aggs[7] = ah_agg(AGG_SUM, false, AH_D, ED_T_DOUBLE);
  s->aggs[8] = ah_agg(AGG_MIN, false, AH_D, ED_T_DOUBLE);
  s->aggs[9] = ah_agg(AGG_MAX, false, AH_V, ED_T_BIGINT);
}

typedef struct Kind {
  const char *name;
  EdWindowKind kind;
  int64_t size, slide, gap;
} Kind;

static AhSpec spec_of(const Kind *k, EdEmitMode mode, bool bounded) {
  AhSpec s;
  memset(&s, 0, sizeof s);
  s.kind = k->kind;
  s.mode = mode;
  s.wm_bounded = bounded && k->kind != WIN_NONE;
  s.nkeys = k->kind == WIN_NONE ? 1 : 2;
  s.keys[0] = ah_col(AH_K);
  s.wkey = k->kind == WIN_NONE ? -1 : 1;
  s.size = k->size;
  s.slide = k->slide;
  s.gap = k->gap;
  switch (k->kind) {
    case WIN_TUMBLING: s.keys[1] = ah_window_call(k->size * AH_SEC, 0); break;
    case WIN_SLIDING:
      s.keys[1] = ah_window_call(k->size * AH_SEC, k->slide * AH_SEC);
      break;
    case WIN_SESSION: s.keys[1] = ah_session_call(k->gap * AH_SEC); break;
    case WIN_EVENT_TIME: s.keys[1] = ah_col(AH_TS); break;
    default: break;
  }
  set_aggs(&s);
  return s;
}

/* The SQL of kind k over the rows; keep_late == false applies the
** watermark's rule to each (row, window) pair. */
static char *query_of(const Kind *k, bool all) {
  char *q = ed_malloc(4096);
  const char *f = all ? "1" : "w_end > arr";
  switch (k->kind) {
    case WIN_NONE:
      snprintf(q, 4096, "SELECT k, " AGGS_SQL " FROM rows GROUP BY k");
      break;
    case WIN_EVENT_TIME:
      snprintf(q, 4096,
               "SELECT k, ts, " AGGS_SQL " FROM rows WHERE ts IS NULL OR %s "
               "GROUP BY k, ts",
               all ? "1" : "ts > arr");
      break;
    case WIN_TUMBLING:
      snprintf(q, 4096,
               "SELECT k, CASE WHEN ws IS NULL THEN NULL ELSE '[' || ws || "
               "',' || w_end || ')' END AS w, " AGGS_SQL
               " FROM (SELECT *, ts - ((ts %% %lld) + %lld) %% %lld AS ws, "
               "ts - ((ts %% %lld) + %lld) %% %lld + %lld AS w_end FROM rows) "
               "WHERE ts IS NULL OR %s GROUP BY k, w",
               (long long)k->size, (long long)k->size, (long long)k->size,
               (long long)k->size, (long long)k->size, (long long)k->size,
               (long long)k->size, f);
      break;
    case WIN_SLIDING:
      snprintf(q, 4096,
               "WITH RECURSIVE b(x) AS (SELECT min(ts) - %lld - 100 FROM "
               "rows), st(w) AS (SELECT x - ((x %% %lld) + %lld) %% %lld "
               "FROM b UNION ALL SELECT w + %lld FROM st WHERE w <= (SELECT "
               "max(ts) FROM rows)), "
               "x AS (SELECT r.*, '[' || st.w || ',' || (st.w + %lld) || ')' "
               "AS win, st.w + %lld AS w_end FROM rows r JOIN st ON r.ts >= "
               "st.w AND r.ts < st.w + %lld UNION ALL SELECT r.*, NULL, NULL "
               "FROM rows r WHERE r.ts IS NULL) "
               "SELECT k, win, " AGGS_SQL
               " FROM x WHERE ts IS NULL OR %s GROUP BY k, win",
               (long long)k->size, (long long)k->slide, (long long)k->slide,
               (long long)k->slide, (long long)k->slide, (long long)k->size,
               (long long)k->size, (long long)k->size, f);
      break;
    case WIN_SESSION:
      snprintf(q, 4096,
               "WITH o AS (SELECT *, lag(ts) OVER (PARTITION BY k ORDER BY "
               "ts) AS pts FROM rows WHERE ts IS NOT NULL), "
               "g AS (SELECT *, sum(CASE WHEN pts IS NULL OR ts > pts + %lld "
               "THEN 1 ELSE 0 END) OVER (PARTITION BY k ORDER BY ts ROWS "
               "UNBOUNDED PRECEDING) AS sid FROM o) "
               "SELECT k, '[' || min(ts) || ',' || (max(ts) + %lld) || ')', "
               AGGS_SQL " FROM g GROUP BY k, sid "
               "UNION ALL SELECT k, NULL, " AGGS_SQL
               " FROM rows WHERE ts IS NULL GROUP BY k",
               (long long)k->gap, (long long)k->gap);
      break;
  }
  return q;
}

/* Dropped (row, window) pairs under the watermark rule. */
static int64_t late_pairs(const Kind *k) {
  char q[2048];
  switch (k->kind) {
    case WIN_EVENT_TIME:
      return sql_int("SELECT count(*) FROM rows WHERE ts <= arr");
    case WIN_TUMBLING:
      snprintf(q, sizeof q,
               "SELECT count(*) FROM rows WHERE ts - ((ts %% %lld) + %lld) "
               "%% %lld + %lld <= arr",
               (long long)k->size, (long long)k->size, (long long)k->size,
               (long long)k->size);
      return sql_int(q);
    case WIN_SLIDING:
      snprintf(q, sizeof q,
               "WITH RECURSIVE b(x) AS (SELECT min(ts) - %lld - 100 FROM "
               "rows), st(w) AS (SELECT x - ((x %% %lld) + %lld) %% %lld "
               "FROM b UNION ALL SELECT w + %lld FROM st WHERE w <= (SELECT "
               "max(ts) FROM rows)) SELECT count(*) FROM rows r JOIN st ON "
               "r.ts >= st.w AND r.ts < st.w + %lld WHERE st.w + %lld <= "
               "r.arr",
               (long long)k->size, (long long)k->slide, (long long)k->slide,
               (long long)k->slide, (long long)k->slide, (long long)k->size,
               (long long)k->size);
      return sql_int(q);
    default:
      return 0;
  }
}

/* ------------------------------------------------------------ driving */

/* Runs d through the operator; all output rows with "--" batch markers. */
static int drive(const AhSpec *spec, const Data *d, AhRows *out,
                 int64_t *late) {
  AhRun r;
  if (!ah_start(&r, ah_plan(spec), true)) return -1;
  *late = 0;
  int rc = ah_run_wm(&r, (const AhRow *const *)d->rows, d->counts, d->nb,
                     d->delay, out, late);
  if (rc) printf("# run failed: %s\n", r.ctx.err.msg);
  ah_stop(&r);
  return rc;
}

/* Applies the output of a run to the table m(key, row) by mode; returns
** the number of changelog violations. */
static int apply(const AhRows *out, EdEmitMode mode, int nkeys, bool last) {
  sql_exec("DROP TABLE IF EXISTS m; CREATE TABLE m (key TEXT PRIMARY KEY, "
           "row TEXT)");
  int bad = 0, from = 0;
  if (last)
    for (int i = 0; i < out->n; i++)
      if (strncmp(out->v[i], "--", 2) == 0) from = i + 1;
  sqlite3_stmt *ins, *del, *get;
  sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO m VALUES (?, ?)", -1, &ins,
                     NULL);
  sqlite3_prepare_v2(db, "DELETE FROM m WHERE key = ?", -1, &del, NULL);
  sqlite3_prepare_v2(db, "SELECT row FROM m WHERE key = ?", -1, &get, NULL);
  sql_exec("BEGIN");
  for (int i = from; i < out->n; i++) {
    const char *line = out->v[i];
    if (strncmp(line, "--", 2) == 0) continue;
    char op[4] = "";
    if (mode == EMIT_CHANGES) {
      memcpy(op, line, 2);
      op[2] = 0;
      line += 3;
    }
    const char *p = line;
    for (int j = 0; j < nkeys && p; j++) {
      p = strchr(p, '|');
      if (p) p++;
    }
    int klen = p ? (int)(p - line - 1) : (int)strlen(line);
    sqlite3_reset(get);
    sqlite3_bind_text(get, 1, line, klen, SQLITE_TRANSIENT);
    const char *have = NULL;
    char prev[4096] = "";
    if (sqlite3_step(get) == SQLITE_ROW) {
      snprintf(prev, sizeof prev, "%s", sqlite3_column_text(get, 0));
      have = prev;
    }
    bool retract = strcmp(op, "-U") == 0 || strcmp(op, "-D") == 0;
    if (mode == EMIT_CHANGES) {
      if (retract && (!have || strcmp(have, line) != 0)) bad++;
      if (!retract && have) bad++;
    } else if (mode == EMIT_APPEND && have) {
      bad++;   /* a group appended twice */
    }
    sqlite3_stmt *s = retract ? del : ins;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, line, klen, SQLITE_TRANSIENT);
    if (!retract) sqlite3_bind_text(s, 2, line, -1, SQLITE_TRANSIENT);
    sqlite3_step(s);
  }
  sql_exec("COMMIT");
  sqlite3_finalize(ins);
  sqlite3_finalize(del);
  sqlite3_finalize(get);
  return bad;
}

/* Runs one kind in one mode and checks the applied result against q. */
static void check(const Kind *k, EdEmitMode mode, bool bounded,
                  const Data *d, const char *mname) {
  AhSpec s = spec_of(k, mode, bounded);
  AhRows out = {0}, got = {0}, want = {0};
  int64_t late = 0;
  char name[160];
  snprintf(name, sizeof name, "%s %s%s", k->name, mname,
           bounded ? "" : " (no watermark)");
  if (drive(&s, d, &out, &late) != 0) {
    TAP_OK(0, name);
    return;
  }
  int bad = apply(&out, mode, s.nkeys, mode == EMIT_COMPLETE);
  sql_rows("SELECT row FROM m", &got);
  bool drops = bounded && mode != EMIT_COMPLETE;
  char *q = query_of(k, !drops);
  sql_rows(q, &want);
  free(q);
  TAP_OK(ah_same_set(name, &got, &want), name);
  if (mode == EMIT_CHANGES || mode == EMIT_APPEND) {
    char n2[200];
    snprintf(n2, sizeof n2, "%s: consistent (%s)", name,
             mode == EMIT_CHANGES ? "changelog" : "each group once");
    TAP_EQ_INT(bad, 0, n2);
  }
  if (drops && k->kind != WIN_SESSION) {
    char n3[200];
    snprintf(n3, sizeof n3, "%s: dropped pairs counted", name);
    TAP_EQ_INT(late, late_pairs(k), n3);
  }
  ah_rows_free(&out);
  ah_rows_free(&got);
  ah_rows_free(&want);
}

/* ------------------------------------------------------------ sessions */

/* A plain reference of session windows under a watermark, written for
** clarity (linear scans, union-find), not speed.  It replays d batch by
** batch: at the start of a batch every open session with end <= wm
** closes; each row then either joins (and merges) the open sessions of its
** key that [ts, ts + gap] touches, opens a new session, or — when it
** touches none and ts + gap <= wm — is late.  The rows that count go to
** table r2 with their final session's id and bounds; returns the number
** of late rows. */
typedef struct RefSess {
  int64_t start, end;
  int parent;
  bool open;
} RefSess;

static int ref_find(RefSess *ss, int i) {
  while (ss[i].parent != i) i = ss[i].parent;
  return i;
}

static int64_t session_reference(const Data *d, int64_t gap, int nkeys) {
  int total = 0;
  for (int b = 0; b < d->nb; b++) total += d->counts[b];
  RefSess *ss = ed_calloc((size_t)total + 1, sizeof *ss);
  int nss = 0;
  int *row_sid = ed_calloc((size_t)total + 1, sizeof(int));
  /* Sessions of each key (index nkeys: the NULL key). */
  int **bykey = ed_calloc((size_t)nkeys + 1, sizeof(int *));
  int *nbykey = ed_calloc((size_t)nkeys + 1, sizeof(int));
  int64_t wm = 0, maxts = INT64_MIN, late = 0;
  int at = 0;
  for (int b = 0; b < d->nb; b++) {
    for (int i = 0; i < nss; i++)
      if (ss[i].parent == i && ss[i].open && ss[i].end <= wm)
        ss[i].open = false;
    for (int j = 0; j < d->counts[b]; j++, at++) {
      const AhRow *r = &d->rows[b][j];
      row_sid[at] = -1;
      if (r->ts_null) continue;
      int key = r->k_null ? nkeys : (int)r->k;
      int64_t lo = r->ts, hi = r->ts + gap;
      int keep = -1;
      for (int x = 0; x < nbykey[key]; x++) {
        int s = bykey[key][x];
        if (ss[s].parent != s || !ss[s].open) continue;
        if (ss[s].end < lo || ss[s].start > hi) continue;
        if (keep < 0) {
          keep = s;
        } else {
          ss[s].parent = keep;
          if (ss[s].start < ss[keep].start) ss[keep].start = ss[s].start;
          if (ss[s].end > ss[keep].end) ss[keep].end = ss[s].end;
        }
      }
      if (keep < 0) {
        if (hi <= wm) {
          late++;
          continue;
        }
        keep = nss++;
        ss[keep] = (RefSess){lo, hi, keep, true};
        bykey[key] = ed_realloc(bykey[key],
                                sizeof(int) * (size_t)(nbykey[key] + 1));
        bykey[key][nbykey[key]++] = keep;
      } else {
        if (lo < ss[keep].start) ss[keep].start = lo;
        if (hi > ss[keep].end) ss[keep].end = hi;
      }
      row_sid[at] = keep;
      if (r->ts > maxts) maxts = r->ts;
    }
    for (int j = 0; j < d->counts[b]; j++)
      if (!d->rows[b][j].ts_null && d->rows[b][j].ts > maxts)
        maxts = d->rows[b][j].ts;
    if (maxts != INT64_MIN && maxts - d->delay > wm) wm = maxts - d->delay;
  }
  sql_exec("DROP TABLE IF EXISTS r2;"
           "CREATE TABLE r2 (k INTEGER, s TEXT, v INTEGER, d REAL, "
           "sid INTEGER, ss INTEGER, se INTEGER)");
  sql_exec("BEGIN");
  sqlite3_stmt *st;
  sqlite3_prepare_v2(db, "INSERT INTO r2 VALUES (?,?,?,?,?,?,?)", -1, &st,
                     NULL);
  at = 0;
  for (int b = 0; b < d->nb; b++) {
    for (int j = 0; j < d->counts[b]; j++, at++) {
      if (row_sid[at] < 0) continue;
      const AhRow *r = &d->rows[b][j];
      int s = ref_find(ss, row_sid[at]);
      sqlite3_reset(st);
      if (r->k_null) sqlite3_bind_null(st, 1);
      else sqlite3_bind_int64(st, 1, r->k);
      if (!r->s) sqlite3_bind_null(st, 2);
      else sqlite3_bind_text(st, 2, r->s, -1, SQLITE_STATIC);
      if (r->v_null) sqlite3_bind_null(st, 3);
      else sqlite3_bind_int64(st, 3, r->v);
      if (r->d_null) sqlite3_bind_null(st, 4);
      else sqlite3_bind_double(st, 4, r->d);
      sqlite3_bind_int64(st, 5, s);
      sqlite3_bind_int64(st, 6, ss[s].start);
      sqlite3_bind_int64(st, 7, ss[s].end);
      sqlite3_step(st);
    }
  }
  sqlite3_finalize(st);
  sql_exec("COMMIT");
  for (int k = 0; k <= nkeys; k++) free(bykey[k]);
  free(bykey);
  free(nbykey);
  free(row_sid);
  free(ss);
  return late;
}

/* Sessions under the watermark: the changelog replayed and the APPEND rows
** against the reference. */
static void check_sessions_dropped(const Kind *k, const Data *d, int nkeys) {
  int64_t want_late = session_reference(d, k->gap, nkeys);
  const char *q = "SELECT k, '[' || min(ss) || ',' || max(se) || ')', "
                  AGGS_SQL " FROM r2 GROUP BY sid UNION ALL SELECT k, NULL, "
                  AGGS_SQL " FROM rows WHERE ts IS NULL GROUP BY k";
  EdEmitMode modes[] = {EMIT_CHANGES, EMIT_APPEND};
  const char *mnames[] = {"CHANGES", "APPEND"};
  for (int m = 0; m < 2; m++) {
    AhSpec s = spec_of(k, modes[m], true);
    AhRows out = {0}, got = {0}, want = {0};
    int64_t late = 0;
    char name[160];
    snprintf(name, sizeof name, "%s %s (watermark, vs reference)", k->name,
             mnames[m]);
    if (drive(&s, d, &out, &late) != 0) {
      TAP_OK(0, name);
      continue;
    }
    int bad = apply(&out, modes[m], s.nkeys, false);
    sql_rows("SELECT row FROM m", &got);
    sql_rows(q, &want);
    TAP_OK(ah_same_set(name, &got, &want), name);
    char n2[200];
    snprintf(n2, sizeof n2, "%s: consistent", name);
    TAP_EQ_INT(bad, 0, n2);
    snprintf(n2, sizeof n2, "%s: late rows counted", name);
    TAP_EQ_INT(late, want_late, n2);
    ah_rows_free(&out);
    ah_rows_free(&got);
    ah_rows_free(&want);
  }
}

/* A batch run: every row pushed, then finish(). */
static void check_batch_run(const Kind *k, const Data *d) {
  AhSpec s = spec_of(k, EMIT_COMPLETE, false);
  AhRun r;
  AhRows out = {0}, want = {0};
  char name[160];
  snprintf(name, sizeof name, "%s batch run (finish)", k->name);
  if (!ah_start(&r, ah_plan(&s), false)) {
    TAP_OK(0, name);
    return;
  }
  for (int b = 0; b < d->nb; b++) ah_push(&r, d->rows[b], d->counts[b]);
  ah_finish(&r, &out);
  char *q = query_of(k, true);
  sql_rows(q, &want);
  free(q);
  TAP_OK(ah_same_set(name, &out, &want), name);
  ah_rows_free(&out);
  ah_rows_free(&want);
  ah_stop(&r);
}

static const Kind kinds[] = {
    {"running", WIN_NONE, 0, 0, 0},
    {"tumbling 10s", WIN_TUMBLING, 10, 10, 0},
    {"sliding 10s/5s", WIN_SLIDING, 10, 5, 0},
    {"sliding 10s/4s", WIN_SLIDING, 10, 4, 0},
    {"sliding 12s/8s", WIN_SLIDING, 12, 8, 0},
    {"session 3s", WIN_SESSION, 0, 0, 3},
    {"event time", WIN_EVENT_TIME, 0, 0, 0},
};

static void run_all(const Data *d, int nkeys) {
  load_rows(d);
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    const Kind *k = &kinds[i];
    bool sess = k->kind == WIN_SESSION;
    check(k, EMIT_COMPLETE, true, d, "COMPLETE");
    /* Sessions: without the watermark every row counts and SQL's window
    ** functions give the sessions; with it, a plain reference does. */
    if (!sess) check(k, EMIT_UPDATE, true, d, "UPDATE");
    check(k, EMIT_CHANGES, !sess, d, "CHANGES");
    check(k, EMIT_APPEND, !sess, d, "APPEND");
    if (sess) check_sessions_dropped(k, d, nkeys);
    if (k->kind == WIN_SLIDING || sess) check_batch_run(k, d);
  }
}

int main(void) {
  ah_init();
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  /* Small batches, few keys, many late rows. */
  Data d = make_data(60, 40, 6, 15);
  run_all(&d, 6);
  free_data(&d);
  /* Large batches and thousands of keys: output batches of 2048 rows. */
  d = make_data(10, 4000, 2500, 8);
  run_all(&d, 2500);
  free_data(&d);
  sqlite3_close(db);
  ah_done();
  return tap_done();
}
