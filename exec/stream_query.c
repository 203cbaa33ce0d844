/*
** exec/stream_query.c — the trigger loop: runs a streaming plan as a
** sequence of micro-batches (docs/STREAMING.md, DESIGN §4).
**
** The operator tree is built once with the executor's builder
** (exec/executor.h); its stateful operators keep their state from batch to
** batch.  Every stream scan gets a source (sources/stream_source.h) and is
** driven from here; every subtree that reads no stream (the table side of
** a stream-table join) runs to completion when the query starts.  Each
** operator's stream_inputs says how many of its inputs send end_batch
** (2 only for a UNION ALL of two streams).
**
** Batch N: the context gets the batch id, the watermark computed after
** batch N-1 (the epoch for batch 0) and the processing time; every source
** hands over what begin_batch fixed, pushed through the scan's adapter;
** every scan then ends the batch, which travels to the sink operator (the
** sink closes batch N).  The watermark then becomes max(wm, min over the
** watermarked inputs of (max event time seen - delay)); an input that has
** seen no row yet holds it at the epoch.  When it moved and the plan has a
** stateful operator whose state waits on it (a watermark-bounded
** aggregation not in COMPLETE mode), batch N+1 runs without data before
** anything else happens: before the next data batch, before the loop
** waits for data, before ed_stream_query_run_available returns.
**
** Sources are asked for their batches with no limit of the loop's own:
** each applies its stream's max_rows_per_trigger / max_files_per_trigger
** (EdStreamInfo's limits are the tightest of those over all streams, too
** tight for the others).
**
** A batch runs when a source has data, for that no-data rule, or as the
** final batch of a finite run: every source has ended, the trigger is
** ONCE or AVAILABLE NOW, or the input was ended by ed_stream_query_finish.
** The final batch runs with the watermark at +infinity and final_batch
** set, and only when the plan has an aggregation in APPEND mode (the one
** output that waits on the watermark); a no-data batch due right before
** it is left out, since the final batch emits and evicts everything.  An
** interrupt stops the query after the running batch, without a final
** batch.
**
** Triggers: default (a batch as soon as the previous one is done and a
** source has data; otherwise wait on the sources), PROCESSING TIME (a
** trigger every interval from the start; a batch that overruns makes the
** next trigger start at once, then the schedule goes on from the grid),
** ONCE (one batch with everything available, the streams' per-trigger
** limits ignored), AVAILABLE NOW (what was available when the query
** started, in as many batches as the limits give; memory and rate
** streams are capped at the row count available at the start, the other
** sources are read until a trigger finds nothing new).
*/
#include "exec/stream_query.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/executor.h"
#include "exec/progress.h"
#include "sources/stream_source.h"

/* One stream scan of the plan. */
typedef struct StreamIn {
  const EdPlan *plan;
  EdStreamSource *src;
  EdOp *adapter;          /* the scan's node: rows are pushed into it */
  EdBatch *batch;         /* rows read from the source */
  bool done;              /* the source ended: never asked again */
  bool has_data;          /* the current batch has rows */
  bool begun;             /* begin_batch fixed a batch not read yet */
  int wm_col;             /* watermark column or -1 */
  int64_t wm_delay;
  bool seen_ts;           /* max_ts holds an event time */
  int64_t max_ts;         /* max event time seen so far */
  int64_t wm;             /* this input's watermark */
  int64_t cap;            /* AVAILABLE NOW: rows still to take; -1 none */
  EdProgSource prog;      /* this batch, for the progress report */
  char last_end[ED_OFFSET_CAP];
} StreamIn;

struct EdStreamQuery {
  EdExecCtx ctx;
  EdArena arena;          /* the context's query arena */
  EdExecTree tree;
  EdSink *sink;
  EdStreamInfo info;
  FILE *progress;
  char name[64];
  StreamIn *ins;
  int nins;
  EdOp **stateful;        /* operators reported in stateOperators */
  int nstateful;
  int64_t next_batch;
  int64_t wm;             /* the query's watermark */
  bool has_wm;            /* some input is watermarked */
  bool wm_state;          /* state waits on the watermark: no-data batches */
  bool needs_final;       /* an APPEND aggregation: final +inf batch */
  bool pending_nodata;    /* the last batch moved the watermark */
  bool trigger_done;      /* ONCE / AVAILABLE NOW took its data */
  bool ended;             /* the sink has ended */
  bool failed;
  int64_t started_us;     /* wall clock at the start */
  int64_t last_start_us;  /* start of the previous batch */
  char *last_progress;    /* malloc'ed JSON, or NULL */
  int64_t bad_before_total;  /* malformed records before this batch */
  /* event times of the running batch */
  int64_t ev_min, ev_max;
  bool ev_seen;
};

/* ------------------------------------------------------------ clocks */

/* Wall clock, microseconds since the epoch. */
static int64_t wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * ED_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Monotonic clock in microseconds, for durations and schedules. */
static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * ED_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Sleeps us microseconds; returns early when a signal arrives. */
static void sleep_us(int64_t us) {
  if (us <= 0) return;
  struct timespec ts = {(time_t)(us / ED_USEC_PER_SEC),
                        (long)(us % ED_USEC_PER_SEC) * 1000};
  nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ errors */

/* Copies the context's error into err and marks the query failed. */
static int fail_ctx(EdStreamQuery *q, EdError *err) {
  q->failed = true;
  if (q->ctx.err.kind == ED_ERR_NONE)
    ed_error_set(&q->ctx.err, ED_ERR_EXEC, NULL, "the query failed");
  if (err) *err = q->ctx.err;
  return -1;
}

/* Records a source error as the query's error. */
static int fail_err(EdStreamQuery *q, const EdError *e, EdError *err) {
  q->ctx.err = *e;
  if (q->ctx.err.kind == ED_ERR_NONE) q->ctx.err.kind = ED_ERR_EXEC;
  return fail_ctx(q, err);
}

/* ------------------------------------------------------------ building */

/* Whether the plan under p reads a stream. */
static bool reads_stream(const EdPlan *p) {
  if (!p) return false;
  if (p->phys == PHYS_STREAM_SCAN) return true;
  return reads_stream(p->left) || reads_stream(p->right);
}

/* Looks at the plan's stream aggregations: state bounded by the
** watermark, APPEND output. */
static void scan_aggregates(EdStreamQuery *q, const EdPlan *p) {
  if (!p) return;
  if (p->phys == PHYS_STREAM_AGGREGATE) {
    if (p->window.wm_bounded && p->mode != EMIT_COMPLETE) q->wm_state = true;
    if (p->mode == EMIT_APPEND) q->needs_final = true;
  }
  scan_aggregates(q, p->left);
  scan_aggregates(q, p->right);
}

/* Sets stream_inputs on every operator, and collects the stream scans
** and the stateful operators. */
static void wire_streams(EdStreamQuery *q) {
  EdExecTree *t = &q->tree;
  q->ins = ed_calloc((size_t)(t->n ? t->n : 1), sizeof *q->ins);
  q->stateful = ed_calloc((size_t)(t->n ? t->n : 1), sizeof *q->stateful);
  for (int i = 0; i < t->n; i++) {
    EdExecNode *nd = &t->nodes[i];
    EdOp *op = nd->op;
    if (nd->plan->phys == PHYS_STREAM_SCAN) {
      op->stream_inputs = 1;
      StreamIn *in = &q->ins[q->nins++];
      in->plan = nd->plan;
      in->adapter = op;
      in->cap = -1;
      continue;
    }
    int n = 0;
    if (nd->left >= 0 && reads_stream(t->nodes[nd->left].plan)) n++;
    if (nd->right >= 0 && reads_stream(t->nodes[nd->right].plan)) n++;
    op->stream_inputs = n;
    if (n > 0 && op->stateful) q->stateful[q->nstateful++] = op;
  }
  t->sink->stream_inputs = 1;
}

/* Opens the source of every stream scan, telling it which columns the
** plan (rooted at root) reads.  The watermark column counts as read when
** some state waits on the watermark; otherwise event time only feeds the
** progress report, which goes without it when the source skips the
** column. */
static int open_sources(EdStreamQuery *q, const EdPlan *root, EdError *err) {
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    const EdTable *t = in->plan->table;
    int nscan = in->plan->schema.ncols;
    bool *read = ed_arena_alloc(&q->arena, sizeof(bool) * (size_t)(nscan + 1));
    ed_plan_scan_columns(root, in->plan, read);
    int wm = in->plan->wm_col;
    if (wm >= 0 && wm < nscan && q->wm_state) read[wm] = true;
    in->src = ed_stream_source_open_cols(t, read, err);
    if (!in->src) return -1;
    int ncols = t->schema.ncols;
    if (ncols != in->plan->schema.ncols)
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "stream \"%s\": its scan has %d columns, the "
                          "stream %d",
                          t->name, in->plan->schema.ncols, ncols);
    EdType *types = ed_malloc(sizeof(EdType) * (size_t)(ncols + 1));
    for (int c = 0; c < ncols; c++) types[c] = t->schema.cols[c].type;
    in->batch = ed_batch_new(ncols, types);
    free(types);
    in->wm_col = wm >= 0 && wm < nscan && !read[wm] && in->src->pruned
                     ? -1
                     : wm;
    in->wm_delay = in->plan->wm_delay_us;
    if (in->wm_col >= ncols ||
        (in->wm_col >= 0 && t->schema.cols[in->wm_col].type !=
                                ED_T_TIMESTAMP))
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "stream \"%s\": its watermark column is not a "
                          "TIMESTAMP column",
                          t->name);
    if (in->wm_col >= 0) q->has_wm = true;
    in->prog.description = in->src->description;
  }
  return 0;
}

/* The first number in a JSON offset ({"rows": 12} -> 12), or -1. */
static int64_t offset_number(const char *text) {
  cJSON *v = cJSON_Parse(text);
  int64_t n = -1;
  const cJSON *it = v && cJSON_IsObject(v) ? v->child : NULL;
  for (; it; it = it->next)
    if (cJSON_IsNumber(it)) {
      n = (int64_t)it->valuedouble;
      break;
    }
  cJSON_Delete(v);
  return n;
}

/* AVAILABLE NOW over a memory or rate stream (whose begin_batch plans
** afresh each time, from its read position): the rows available now,
** found by a batch begun without limits and left unread. */
static void cap_at_start(StreamIn *in) {
  const char *conn = in->plan->table->connector;
  if (!conn || (strcmp(conn, "memory") != 0 && strcmp(conn, "rate") != 0))
    return;
  EdStreamSource *s = in->src;
  int64_t rows = s->max_rows_per_trigger, files = s->max_files_per_trigger;
  s->max_rows_per_trigger = s->max_files_per_trigger = 0;
  EdError e;
  ed_error_clear(&e);
  if (s->vt->begin_batch(s, 0, 0, &e) == 0) {
    char start[ED_OFFSET_CAP], end[ED_OFFSET_CAP];
    s->vt->offsets(s, start, end, sizeof start);
    int64_t a = offset_number(start), b = offset_number(end);
    if (a >= 0 && b >= a) in->cap = b - a;
  }
  s->max_rows_per_trigger = rows;
  s->max_files_per_trigger = files;
}

/* What the trigger asks of the sources: ONCE takes everything in one
** batch (the streams' own per-trigger limits do not apply); AVAILABLE NOW
** caps the streams that keep growing at what they hold now. */
static void setup_trigger(EdStreamQuery *q) {
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    if (q->info.trigger == TRIGGER_ONCE) {
      in->src->max_rows_per_trigger = 0;
      in->src->max_files_per_trigger = 0;
    } else if (q->info.trigger == TRIGGER_AVAILABLE_NOW) {
      cap_at_start(in);
    }
  }
}

/* Runs every subtree that reads no stream below a node that does (the
** table side of a stream-table join) to completion. */
static int run_static(EdStreamQuery *q) {
  EdExecTree *t = &q->tree;
  for (int i = 0; i < t->n; i++) {
    EdExecNode *nd = &t->nodes[i];
    if (nd->op->stream_inputs == 0 || ed_exec_is_leaf(nd->plan)) continue;
    int kids[2] = {nd->left, nd->right};
    for (int k = 0; k < 2; k++)
      if (kids[k] >= 0 && !reads_stream(t->nodes[kids[k]].plan) &&
          ed_exec_drive(t, kids[k]) < 0)
        return -1;
  }
  return 0;
}

EdStreamQuery *ed_stream_query_new(const EdPlan *physical,
                                   const EdStreamInfo *info, EdSink *sink,
                                   const EdStreamOpts *opts, EdError *err) {
  if (!physical || !reads_stream(physical)) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "the query reads no stream: run it as a batch query");
    return NULL;
  }
  EdStreamQuery *q = ed_calloc(1, sizeof *q);
  ed_arena_init(&q->arena, 16 * 1024);
  q->ctx.query_arena = &q->arena;
  q->ctx.streaming = true;
  q->sink = sink;
  if (info) q->info = *info;
  if (opts) {
    q->progress = opts->progress;
    if (opts->name) snprintf(q->name, sizeof q->name, "%s", opts->name);
  }
  q->started_us = wall_us();
  q->last_start_us = q->started_us;
  if (ed_exec_build(&q->tree, &q->ctx, physical, sink) < 0) {
    fail_ctx(q, err);
    ed_stream_query_free(q);
    return NULL;
  }
  wire_streams(q);
  scan_aggregates(q, physical);
  if (open_sources(q, physical, err) < 0) {
    ed_stream_query_free(q);
    return NULL;
  }
  setup_trigger(q);
  sink->streaming = true;
  if (ed_op_sink_start(q->tree.sink) < 0 || run_static(q) < 0) {
    fail_ctx(q, err);
    ed_stream_query_free(q);
    return NULL;
  }
  return q;
}

/* ------------------------------------------------------------ one batch */

/* Asks every live source for a new micro-batch (the trigger's limits);
** returns 1 when some source has data, 0 when none, -1 on error. */
static int poll_sources(EdStreamQuery *q, EdError *err) {
  int any = 0;
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    in->has_data = false;
    if (in->done || in->cap == 0) continue;
    EdError e;
    ed_error_clear(&e);
    int64_t max_rows = in->cap > 0 ? in->cap : 0;
    if (in->src->vt->begin_batch(in->src, max_rows, 0, &e) < 0)
      return fail_err(q, &e, err);
    in->begun = true;
    in->has_data = in->src->has_data;
    if (in->has_data) {
      any = 1;
    } else if (in->src->ended) {
      in->done = true;          /* ended with nothing more to read */
      in->begun = false;
    }
  }
  return any;
}

/* Whether any source can still produce rows. */
static bool any_live(const EdStreamQuery *q) {
  for (int i = 0; i < q->nins; i++)
    if (!q->ins[i].done) return true;
  return false;
}

/* Folds the event times of b's rows into the input's maximum and the
** batch's range. */
static void track_event_time(EdStreamQuery *q, StreamIn *in,
                             const EdBatch *b) {
  if (in->wm_col < 0) return;
  const EdVector *v = &b->cols[in->wm_col];
  const int64_t *ts = ED_VEC_I64(v);
  for (int r = 0; r < b->nrows; r++) {
    if (!ed_vec_valid(v, r)) continue;
    int64_t x = ts[r];
    if (!in->seen_ts || x > in->max_ts) in->max_ts = x;
    in->seen_ts = true;
    if (!q->ev_seen || x < q->ev_min) q->ev_min = x;
    if (!q->ev_seen || x > q->ev_max) q->ev_max = x;
    q->ev_seen = true;
  }
}

/* Reads the current micro-batch of one input and pushes it into the
** plan.  Returns 0 or -1 with the context error set. */
static int read_input(EdStreamQuery *q, StreamIn *in, EdError *err) {
  EdError e;
  ed_error_clear(&e);
  for (;;) {
    ed_batch_reset(in->batch);
    int got = in->src->vt->next(in->src, in->batch, &e);
    if (got < 0) return fail_err(q, &e, err);
    if (got == 0 || in->batch->nrows == 0) break;
    track_event_time(q, in, in->batch);
    in->prog.rows += in->batch->nrows;
    if (in->cap > 0) in->cap -= in->batch->nrows < in->cap
                                    ? in->batch->nrows
                                    : in->cap;
    if (in->adapter->vt->push(in->adapter, 0, in->batch) < 0)
      return fail_ctx(q, err);
  }
  return 0;
}

/* Resets the per-batch counters of every operator. */
static void reset_counters(EdStreamQuery *q) {
  for (int i = 0; i < q->tree.n; i++) {
    EdOp *op = q->tree.nodes[i].op;
    op->rows_updated_batch = 0;
    op->rows_removed_batch = 0;
    op->rows_late_batch = 0;
    op->ended_inputs = 0;
  }
  q->tree.sink->ended_inputs = 0;
}

/* The new watermark after a batch: the minimum of the inputs' own. */
static int64_t next_watermark(EdStreamQuery *q) {
  bool any = false;
  int64_t low = 0;
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    if (in->wm_col < 0) continue;
    if (in->seen_ts) {
      int64_t w = in->max_ts >= ED_TS_MIN + in->wm_delay
                      ? in->max_ts - in->wm_delay
                      : ED_TS_MIN;
      if (w > in->wm) in->wm = w;
    }
    if (!any || in->wm < low) low = in->wm;
    any = true;
  }
  return any && low > q->wm ? low : q->wm;
}

/* Writes and keeps the progress report of the batch just run. */
static void report(EdStreamQuery *q, int64_t start_wall, int64_t dur_us,
                   int64_t sink_rows) {
  EdProgSource *srcs = ed_calloc((size_t)(q->nins ? q->nins : 1),
                                 sizeof *srcs);
  EdProgress p;
  memset(&p, 0, sizeof p);
  p.id = q->name;
  p.batch_id = q->ctx.batch_id;
  p.start_us = start_wall;
  int64_t bad = 0;
  for (int i = 0; i < q->nins; i++) {
    srcs[i] = q->ins[i].prog;
    p.rows += srcs[i].rows;
  }
  for (int i = 0; i < q->nins; i++) bad += q->ins[i].src->stats.bad;
  p.input_us = start_wall - q->last_start_us;
  if (p.input_us <= 0) p.input_us = 1;
  p.duration_us = dur_us > 0 ? dur_us : 1;
  p.has_event_time = q->ev_seen;
  p.ev_min = q->ev_min;
  p.ev_max = q->ev_max;
  p.has_watermark = q->has_wm;
  p.watermark = q->ctx.watermark;
  p.nops = q->nstateful;
  p.ops = q->stateful;
  p.nsources = q->nins;
  p.sources = srcs;
  p.sink = q->sink->description ? q->sink->description : "sink";
  p.sink_rows = sink_rows;
  p.bad_rows = bad - q->bad_before_total;
  q->bad_before_total = bad;
  free(q->last_progress);
  q->last_progress = ed_progress_json(&p);
  free(srcs);
  if (q->progress) {
    fputs(q->last_progress, q->progress);
    putc('\n', q->progress);
    fflush(q->progress);
  }
}

typedef enum BatchKind { BATCH_DATA, BATCH_NODATA, BATCH_FINAL } BatchKind;

/* Runs one micro-batch: the sources' current batches (BATCH_DATA, after
** poll_sources), none (BATCH_NODATA), or none with the watermark at
** +infinity (BATCH_FINAL).  Returns 0 or -1 with err set. */
static int run_batch(EdStreamQuery *q, BatchKind kind, EdError *err) {
  int64_t start_wall = wall_us(), start_mono = mono_us();
  EdExecCtx *ctx = &q->ctx;
  ctx->batch_id = q->next_batch;
  ctx->watermark = kind == BATCH_FINAL ? ED_TS_MAX : q->wm;
  ctx->final_batch = kind == BATCH_FINAL;
  ctx->proc_time_us = start_wall;
  ctx->now_us = start_wall;
  q->ev_seen = false;
  reset_counters(q);
  int64_t sink_before = q->tree.sink->rows_out;
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    in->prog.rows = 0;
    if (kind == BATCH_DATA && in->begun) {
      in->src->vt->offsets(in->src, in->prog.start, in->prog.end,
                           sizeof in->prog.start);
      snprintf(in->last_end, sizeof in->last_end, "%s", in->prog.end);
    } else {
      /* Nothing read: the batch starts and ends where the last ended. */
      snprintf(in->prog.start, sizeof in->prog.start, "%s", in->last_end);
      snprintf(in->prog.end, sizeof in->prog.end, "%s", in->last_end);
    }
    if (kind == BATCH_DATA && in->begun && in->has_data &&
        read_input(q, in, err) < 0)
      return -1;
    if (kind == BATCH_DATA && in->begun) {
      in->begun = false;
      if (in->src->ended) in->done = true;
    }
  }
  for (int i = 0; i < q->nins; i++)
    if (ed_op_end_batch(q->ins[i].adapter, 0) < 0) return fail_ctx(q, err);
  q->pending_nodata = false;
  if (kind == BATCH_DATA) {
    int64_t wm = next_watermark(q);
    q->pending_nodata = wm > q->wm && q->wm_state;
    q->wm = wm;
  }
  report(q, start_wall, mono_us() - start_mono,
         q->tree.sink->rows_out - sink_before);
  q->last_start_us = start_wall;
  q->next_batch++;
  return 0;
}

/* ------------------------------------------------------------ triggers */

/* Polls the sources and, when one has data, runs the no-data batch still
** due and then a data batch.  Returns 1 when a data batch ran, 0 when no
** source had data, -1 on error. */
static int trigger(EdStreamQuery *q, EdError *err) {
  int any = poll_sources(q, err);
  if (any <= 0) return any;
  if (q->pending_nodata && run_batch(q, BATCH_NODATA, err) < 0) return -1;
  return run_batch(q, BATCH_DATA, err) < 0 ? -1 : 1;
}

/* Runs the no-data batch due after a watermark move, if any. */
static int run_pending(EdStreamQuery *q, EdError *err) {
  if (!q->pending_nodata) return 0;
  return run_batch(q, BATCH_NODATA, err);
}

/* Ends the sink (once). */
static int end_sink(EdStreamQuery *q, EdError *err) {
  if (q->ended) return 0;
  q->ended = true;
  q->pending_nodata = false;
  EdOp *sink = q->tree.sink;
  if (sink->vt->finish(sink, 0) < 0) return fail_ctx(q, err);
  return 0;
}

/* The end of a finite run: the final batch at +infinity when an APPEND
** aggregation waits for it (a pending no-data batch is subsumed), then
** the sink's end. */
static int finish_query(EdStreamQuery *q, EdError *err) {
  if (q->ended) return 0;
  q->pending_nodata = false;
  if (q->needs_final && run_batch(q, BATCH_FINAL, err) < 0) return -1;
  return end_sink(q, err);
}

/* Runs data batches while sources have data, then the no-data batch due.
** ONCE and AVAILABLE NOW take their data the first time only. */
static int drain(EdStreamQuery *q, EdError *err) {
  if (q->trigger_done) return 0;
  for (;;) {
    int r = trigger(q, err);
    if (r < 0) return -1;
    if (r == 0 || q->info.trigger == TRIGGER_ONCE) break;
  }
  if (q->info.trigger == TRIGGER_ONCE ||
      q->info.trigger == TRIGGER_AVAILABLE_NOW)
    q->trigger_done = true;
  return 0;
}

/* Waits until a live source may have data, up to about 200 ms (less when
** a signal arrives or *interrupted is set). */
static void wait_sources(EdStreamQuery *q, volatile int *interrupted) {
  int live = 0;
  for (int i = 0; i < q->nins; i++) live += !q->ins[i].done;
  if (live == 0) return;
  int slice = 200 / live < 10 ? 10 : 200 / live;
  for (int i = 0; i < q->nins && !*interrupted; i++) {
    StreamIn *in = &q->ins[i];
    if (in->done) continue;
    if (in->src->vt->wait(in->src, slice) != 0) return;
  }
}

/* The default trigger: a batch whenever a source has data, waiting on
** the sources in between. */
static int loop_default(EdStreamQuery *q, volatile int *interrupted,
                        EdError *err) {
  for (;;) {
    if (*interrupted) return end_sink(q, err);
    if (!any_live(q)) return finish_query(q, err);
    int r = trigger(q, err);
    if (r < 0) return -1;
    if (r > 0 || !any_live(q)) continue;
    if (run_pending(q, err) < 0) return -1;
    wait_sources(q, interrupted);
  }
}

/* PROCESSING TIME: a trigger at start + k * interval; one that overruns
** makes the next start at once, and the schedule goes on from the first
** tick after it. */
static int loop_interval(EdStreamQuery *q, volatile int *interrupted,
                         EdError *err) {
  int64_t interval = q->info.trigger_interval_us;
  int64_t start = mono_us(), due = start;
  for (;;) {
    for (int64_t now; !*interrupted && (now = mono_us()) < due;)
      sleep_us(due - now < 100000 ? due - now : 100000);
    if (*interrupted) return end_sink(q, err);
    int64_t fired = mono_us();
    if (trigger(q, err) < 0) return -1;
    if (!any_live(q)) return finish_query(q, err);
    if (run_pending(q, err) < 0) return -1;
    due = start + ((fired - start) / interval + 1) * interval;
  }
}

int ed_stream_query_run(EdStreamQuery *q, volatile int *interrupted,
                        EdError *err) {
  volatile int never = 0;
  if (!interrupted) interrupted = &never;
  if (q->failed) return fail_ctx(q, err);
  if (q->ended) return 0;
  switch (q->info.trigger) {
    case TRIGGER_ONCE:
      if (drain(q, err) < 0) return -1;
      return finish_query(q, err);
    case TRIGGER_AVAILABLE_NOW:
      while (!q->trigger_done && !*interrupted) {
        int r = trigger(q, err);
        if (r < 0) return -1;
        if (r == 0) q->trigger_done = true;
      }
      if (*interrupted && !q->trigger_done) return end_sink(q, err);
      return finish_query(q, err);
    case TRIGGER_PROCESSING_TIME:
      if (q->info.trigger_interval_us > 0)
        return loop_interval(q, interrupted, err);
      return loop_default(q, interrupted, err);
    default:
      return loop_default(q, interrupted, err);
  }
}

int ed_stream_query_run_available(EdStreamQuery *q, EdError *err) {
  if (q->failed) return fail_ctx(q, err);
  if (q->ended) return 0;
  if (drain(q, err) < 0) return -1;
  return run_pending(q, err);
}

int ed_stream_query_finish(EdStreamQuery *q, EdError *err) {
  if (q->failed) return fail_ctx(q, err);
  if (q->ended) return 0;
  if (drain(q, err) < 0) return -1;
  return finish_query(q, err);
}

/* ------------------------------------------------------------ questions */

bool ed_stream_query_is_memory_driven(const EdStreamQuery *q) {
  for (int i = 0; i < q->nins; i++) {
    const char *conn = q->ins[i].plan->table->connector;
    if (conn && strcmp(conn, "memory") != 0) return false;
  }
  return q->nins > 0;
}

bool ed_stream_query_reads(const EdStreamQuery *q, const EdTable *t) {
  for (int i = 0; i < q->nins; i++)
    if (q->ins[i].plan->table == t) return true;
  return false;
}

const char *ed_stream_query_last_progress(const EdStreamQuery *q) {
  return q->last_progress ? q->last_progress : "";
}

void ed_stream_query_free(EdStreamQuery *q) {
  if (!q) return;
  for (int i = 0; i < q->nins; i++) {
    StreamIn *in = &q->ins[i];
    if (in->src) {
      ed_stream_source_warn(in->src, stderr);
      in->src->vt->destroy(in->src);
    }
    if (in->batch) ed_batch_free(in->batch);
  }
  ed_exec_tree_free(&q->tree);
  free(q->ins);
  free(q->stateful);
  free(q->last_progress);
  ed_arena_free(&q->arena);
  free(q);
}
