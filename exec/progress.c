/*
** exec/progress.c — the JSON form of a micro-batch's progress report
** (DESIGN §7, docs/STREAMING.md): the fields of Spark's
** StreamingQueryProgress that eddy has, with the same names, so that
** tools written for one read the other.
**
** Built as a cJSON tree and printed unformatted: one line per batch.
** Timestamps inside eventTime use eddy's text form ("2024-01-01
** 00:00:10"), the batch's own timestamp Spark's ISO-8601 form.  The
** watermark of the final batch of a finite run is "+infinity".
*/
#include "exec/progress.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/types.h"

/* Adds an integer member (cJSON keeps numbers as doubles: exact up to
** 2^53, far beyond any count here). */
static void add_int(cJSON *o, const char *key, int64_t v) {
  cJSON_AddItemToObject(o, key, cJSON_CreateNumber((double)v));
}

/* Adds a timestamp in eddy's text form ("+infinity" for ED_TS_MAX). */
static void add_ts(cJSON *o, const char *key, int64_t us) {
  char buf[ED_TS_BUFSZ];
  if (us == ED_TS_MAX) {
    cJSON_AddStringToObject(o, key, "+infinity");
    return;
  }
  ed_format_timestamp(us, buf);
  cJSON_AddStringToObject(o, key, buf);
}

/* The ISO-8601 UTC form of a wall-clock time, to the millisecond. */
static void iso_time(int64_t us, char *buf, size_t cap) {
  time_t sec = (time_t)(us / ED_USEC_PER_SEC);
  int ms = (int)(us % ED_USEC_PER_SEC / 1000);
  struct tm tm;
  gmtime_r(&sec, &tm);
  snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec, ms);
}

/* An offset as a JSON value: parsed when it is JSON, else a string. */
static cJSON *offset_value(const char *text) {
  if (!text || !text[0]) return cJSON_CreateNull();
  cJSON *v = cJSON_Parse(text);
  return v ? v : cJSON_CreateString(text);
}

/* rows per second over us microseconds (us > 0). */
static double per_second(int64_t rows, int64_t us) {
  return (double)rows * 1e6 / (double)(us > 0 ? us : 1);
}

/* The stateOperators array: one object per stateful operator. */
static cJSON *state_operators(const EdProgress *p) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < p->nops; i++) {
    const EdOp *op = p->ops[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "operatorName", op->vt->name);
    add_int(o, "numRowsTotal", op->state_rows);
    add_int(o, "numRowsUpdated", op->rows_updated_batch);
    add_int(o, "numRowsRemoved", op->rows_removed_batch);
    add_int(o, "memoryUsedBytes", (int64_t)op->state_bytes);
    add_int(o, "numRowsDroppedByWatermark", op->rows_late_batch);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

/* The sources array: one object per stream scan. */
static cJSON *sources(const EdProgress *p) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < p->nsources; i++) {
    const EdProgSource *s = &p->sources[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "description",
                            s->description ? s->description : "");
    cJSON_AddItemToObject(o, "startOffset", offset_value(s->start));
    cJSON_AddItemToObject(o, "endOffset", offset_value(s->end));
    add_int(o, "numInputRows", s->rows);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

char *ed_progress_json(const EdProgress *p) {
  cJSON *root = cJSON_CreateObject();
  char buf[64];
  cJSON_AddStringToObject(root, "id", p->id ? p->id : "");
  add_int(root, "batchId", p->batch_id);
  iso_time(p->start_us, buf, sizeof buf);
  cJSON_AddStringToObject(root, "timestamp", buf);
  add_int(root, "numInputRows", p->rows);
  cJSON_AddNumberToObject(root, "inputRowsPerSecond",
                          per_second(p->rows, p->input_us));
  cJSON_AddNumberToObject(root, "processedRowsPerSecond",
                          per_second(p->rows, p->duration_us));
  cJSON *dur = cJSON_CreateObject();
  add_int(dur, "triggerExecution", (p->duration_us + 500) / 1000);
  cJSON_AddItemToObject(root, "durationMs", dur);
  cJSON *ev = cJSON_CreateObject();
  if (p->has_event_time) {
    add_ts(ev, "min", p->ev_min);
    add_ts(ev, "max", p->ev_max);
  }
  if (p->has_watermark) add_ts(ev, "watermark", p->watermark);
  cJSON_AddItemToObject(root, "eventTime", ev);
  cJSON_AddItemToObject(root, "stateOperators", state_operators(p));
  cJSON_AddItemToObject(root, "sources", sources(p));
  cJSON *sink = cJSON_CreateObject();
  cJSON_AddStringToObject(sink, "description", p->sink ? p->sink : "");
  add_int(sink, "numOutputRows", p->sink_rows);
  cJSON_AddItemToObject(root, "sink", sink);
  add_int(root, "numBadRows", p->bad_rows);
  char *text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!text) abort();   /* out of memory, as ed_malloc treats it */
  return text;
}
