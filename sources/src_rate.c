/*
** sources/src_rate.c — the rate connector: rows_per_second rows every
** second with the columns timestamp TIMESTAMP and value BIGINT, for
** trying queries and load tests (Spark's rate source).
**
** value counts 0, 1, 2, ...; row k is stamped start + floor(k * 10^6 /
** rows_per_second) microseconds, start being the wall clock when the
** source opened, and is due once the clock reaches its stamp.  A
** micro-batch takes the rows due by now; the source never ends.  It is
** replayable: a value fixes the row.
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sources/stream_internal.h"

typedef struct RateSrc {
  EdStreamSource base;
  int64_t rps;
  int64_t t0;            /* start time (us) */
  int64_t pos;           /* value of the next row to deliver */
  int64_t start, end;    /* current micro-batch: values [start, end) */
  int ts_col, value_col; /* columns of the stream, or -1 */
} RateSrc;

/* Stamp of row k. */
static int64_t rate_stamp(const RateSrc *r, int64_t k) {
  int64_t sec = k / r->rps, rem = k % r->rps;
  return r->t0 + sec * ED_USEC_PER_SEC + rem * ED_USEC_PER_SEC / r->rps;
}

/* Number of rows whose stamp is <= now: the k with floor(k * 10^6 / rps)
** <= d, i.e. k < (d + 1) * rps / 10^6, rounded up. */
static int64_t rate_due(const RateSrc *r, int64_t now) {
  int64_t d = now - r->t0;
  if (d < 0) return 0;
  int64_t q = (d + 1) / ED_USEC_PER_SEC, rem = (d + 1) % ED_USEC_PER_SEC;
  return q * r->rps + (rem * r->rps + ED_USEC_PER_SEC - 1) / ED_USEC_PER_SEC;
}

/* Takes the rows due by now, within the limit. */
static int rate_begin(EdStreamSource *s, int64_t max_rows, int64_t max_files,
                      EdError *err) {
  (void)max_files;
  (void)err;
  RateSrc *r = (RateSrc *)s;
  int64_t limit = ed_src_limit(max_rows, s->max_rows_per_trigger);
  r->start = r->pos;
  r->end = rate_due(r, ed_src_now_us());
  if (r->end < r->start) r->end = r->start;
  if (limit > 0 && r->end - r->start > limit) r->end = r->start + limit;
  s->has_data = r->end > r->start;
  return 0;
}

/* Writes the batch's rows into out until it is full. */
static int rate_next(EdStreamSource *s, EdBatch *out, EdError *err) {
  (void)err;
  RateSrc *r = (RateSrc *)s;
  int appended = 0;
  for (; r->pos < r->end && out->nrows < ED_BATCH_CAP; r->pos++) {
    int i = out->nrows++;
    for (int c = 0; c < out->ncols; c++) ed_vec_set_null(&out->cols[c], i);
    if (r->ts_col >= 0) {
      ED_VEC_I64(&out->cols[r->ts_col])[i] = rate_stamp(r, r->pos);
      ed_vec_set_valid(&out->cols[r->ts_col], i);
    }
    if (r->value_col >= 0) {
      ED_VEC_I64(&out->cols[r->value_col])[i] = r->pos;
      ed_vec_set_valid(&out->cols[r->value_col], i);
    }
    appended++;
  }
  s->stats.records += appended;
  return appended;
}

/* Sleeps until the next row is due or the timeout passes. */
static int rate_wait(EdStreamSource *s, int timeout_ms) {
  RateSrc *r = (RateSrc *)s;
  int64_t now = ed_src_now_us();
  if (rate_due(r, now) > r->pos) return 1;
  int64_t until = rate_stamp(r, r->pos) - now;
  int64_t ms = (until + 999) / 1000;
  if (timeout_ms >= 0 && ms > timeout_ms) ms = timeout_ms;
  if (ms > INT32_MAX) ms = INT32_MAX;
  if (!ed_src_sleep_ms((int)ms)) return 0;
  return rate_due(r, ed_src_now_us()) > r->pos;
}

/* Values of the batch: first, and one past the last. */
static void rate_offsets(EdStreamSource *s, char *start, char *end,
                         size_t cap) {
  RateSrc *r = (RateSrc *)s;
  snprintf(start, cap, "{\"value\": %lld}", (long long)r->start);
  snprintf(end, cap, "{\"value\": %lld}", (long long)r->end);
}

static void rate_destroy(EdStreamSource *s) { free(s); }

static const EdSourceVtab rate_vtab = {rate_begin, rate_next, rate_wait,
                                       rate_offsets, rate_destroy};

/* Opens the source, its clock starting now; the stream may declare
** timestamp, value or both. */
EdStreamSource *ed_src_rate_open(const EdTable *t, const EdSrcConf *c,
                                 EdError *err) {
  int ts = -1, val = -1;
  for (int i = 0; i < t->schema.ncols; i++) {
    const EdColumn *col = &t->schema.cols[i];
    if (strcasecmp(col->name, "timestamp") == 0 &&
        col->type == ED_T_TIMESTAMP)
      ts = i;
    else if (strcasecmp(col->name, "value") == 0 && col->type == ED_T_BIGINT)
      val = i;
    else {
      ed_error_set(err, ED_ERR_EXEC, NULL,
                   "column \"%s\" %s: a rate stream has the columns "
                   "timestamp TIMESTAMP and value BIGINT",
                   col->name, ed_type_name(col->type));
      return NULL;
    }
  }
  RateSrc *r = ed_calloc(1, sizeof *r);
  ed_src_base_init(&r->base, &rate_vtab, t, c);
  r->base.replayable = true;
  r->rps = c->rows_per_second;
  r->t0 = ed_src_now_us();
  r->ts_col = ts;
  r->value_col = val;
  snprintf(r->base.description, sizeof r->base.description,
           "RateStream[rowsPerSecond=%lld]", (long long)r->rps);
  return &r->base;
}
