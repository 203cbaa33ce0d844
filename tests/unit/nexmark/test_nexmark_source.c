/*
** tests/unit/nexmark/test_nexmark_source.c — the nexmark connector through
** the streaming source interface (sources/stream_source.h): options and
** their errors, default and declared columns, the rows of each kind (the
** stream of a kind sees only its events), micro-batch limits and offsets,
** the end after `events`, replay, and pacing by events_per_second on the
** wall clock.  Expected counts are the arithmetic of the id rule (kind by
** id % 50); row values are compared with the generator called directly.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/batch.h"
#include "planner/catalog.h"
#include "sources/nexmark_gen.h"
#include "sources/stream_source.h"
#include "tests/unit/tap.h"

/* A nexmark stream: the columns of cols ("" = the default ones), then
** option pairs, NULL-terminated.  Runs ed_stream_prepare as CREATE STREAM
** does; returns NULL with the message in msg on failure. */
static EdTable *mk_nx(const char *cols, char *msg, size_t cap, ...) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup("s");
  t->kind = OBJ_STREAM;
  t->connector = strdup("nexmark");
  t->wm_col = -1;
  t->options = calloc(16, sizeof *t->options);
  t->options[0].key = strdup("connector");
  t->options[0].value = strdup("nexmark");
  t->noptions = 1;
  va_list ap;
  va_start(ap, cap);
  const char *k;
  while ((k = va_arg(ap, const char *)) != NULL) {
    t->options[t->noptions].key = strdup(k);
    t->options[t->noptions].value = strdup(va_arg(ap, const char *));
    t->noptions++;
  }
  va_end(ap);
  EdError err;
  ed_error_clear(&err);
  if (*cols && ed_schema_parse_text(cols, &t->schema, &err) != 0) abort();
  int bad = -2;
  msg[0] = '\0';
  if (ed_stream_prepare("nexmark", t->options, t->noptions, &t->schema, &bad,
                        &err) != 0) {
    snprintf(msg, cap, "%d: %s", bad, err.msg);
    ed_table_free(t);
    return NULL;
  }
  return t;
}

/* Names and types of a schema, "a BIGINT, b VARCHAR". */
static void schema_text(const EdSchema *s, char *buf, size_t cap) {
  buf[0] = '\0';
  for (int i = 0; i < s->ncols; i++) {
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s%s %s", i ? ", " : "", s->cols[i].name,
             ed_type_name(s->cols[i].type));
  }
}

static EdBatch *batch_for(const EdSchema *s) {
  EdType types[16];
  for (int i = 0; i < s->ncols; i++) types[i] = s->cols[i].type;
  return ed_batch_new(s->ncols, types);
}

/* Runs one micro-batch; returns its row count; calls fn on each batch. */
typedef void (*RowsFn)(const EdBatch *b, void *ctx);
static int64_t run_batch(EdStreamSource *s, int64_t max_rows, RowsFn fn,
                         void *ctx, char *start, char *end) {
  EdError err;
  EdBatch *b = batch_for(&s->table->schema);
  if (s->vt->begin_batch(s, max_rows, 0, &err) != 0) abort();
  int64_t rows = 0;
  for (;;) {
    ed_batch_reset(b);
    int k = s->vt->next(s, b, &err);
    if (k < 0) abort();
    if (k == 0) break;
    rows += k;
    if (fn) fn(b, ctx);
  }
  if (start) s->vt->offsets(s, start, end, 128);
  ed_batch_free(b);
  return rows;
}

static bool starts(const char *s, const char *prefix) {
  if (strncmp(s, prefix, strlen(prefix)) == 0) return true;
  printf("#   got \"%s\"\n", s);
  return false;
}

static void test_options(void) {
  char msg[1200], buf[512];
  EdTable *t = mk_nx("", msg, sizeof msg, "table", "bid", NULL);
  TAP_OK(t != NULL, "bid stream without columns");
  if (t) {
    schema_text(&t->schema, buf, sizeof buf);
    TAP_EQ_STR(buf,
               "auction BIGINT, bidder BIGINT, price BIGINT, channel "
               "VARCHAR, url VARCHAR, date_time TIMESTAMP, extra VARCHAR",
               "bid default columns (RisingWave's names)");
    ed_table_free(t);
  }
  t = mk_nx("", msg, sizeof msg, "table", "person", NULL);
  if (t) {
    schema_text(&t->schema, buf, sizeof buf);
    TAP_EQ_STR(buf,
               "id BIGINT, name VARCHAR, email_address VARCHAR, credit_card "
               "VARCHAR, city VARCHAR, state VARCHAR, date_time TIMESTAMP, "
               "extra VARCHAR",
               "person default columns");
    ed_table_free(t);
  }
  EdSchema s;
  EdError err;
  EdOption o[2] = {{"connector", "nexmark"}, {"table", "AUCTION"}};
  TAP_EQ_INT(ed_stream_default_schema("nexmark", o, 2, &s, &err), 0,
             "ed_stream_default_schema for auction");
  schema_text(&s, buf, sizeof buf);
  TAP_EQ_STR(buf,
             "id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid "
             "BIGINT, reserve BIGINT, date_time TIMESTAMP, expires "
             "TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR",
             "auction default columns");
  ed_schema_free(&s);

  t = mk_nx("", msg, sizeof msg, "table", "bid", "speed", "3", NULL);
  TAP_EQ_STR(msg,
             "2: unknown option \"speed\" for connector \"nexmark\": valid "
             "options are connector, table, events, events_per_second, "
             "max_rows_per_trigger",
             "unknown option named, with the valid ones");
  t = mk_nx("", msg, sizeof msg, "table", "bids", NULL);
  TAP_EQ_STR(msg,
             "1: invalid value 'bids' for option table: expected 'person', "
             "'auction' or 'bid'",
             "invalid table");
  t = mk_nx("", msg, sizeof msg, "events", "100", NULL);
  TAP_EQ_STR(msg,
             "-1: connector \"nexmark\" needs the option table ('person', "
             "'auction' or 'bid'), e.g. WITH (connector = 'nexmark', "
             "\"table\" = 'bid', events = 1000000)",
             "table is required");
  t = mk_nx("", msg, sizeof msg, "table", "bid", "events", "-5", NULL);
  TAP_OK(starts(msg, "2: invalid value '-5' for option events"),
         "negative events refused");
  t = mk_nx("", msg, sizeof msg, "table", "bid", "events_per_second", "x",
            NULL);
  TAP_OK(starts(msg, "2: invalid value 'x' for option events_per_second"),
         "non-numeric events_per_second refused");
  t = mk_nx("price DOUBLE", msg, sizeof msg, "table", "bid", NULL);
  TAP_OK(starts(msg,
                "-1: column \"price\" DOUBLE: a nexmark bid stream has the "
                "columns auction BIGINT, bidder BIGINT, price BIGINT"),
         "a declared column of the wrong type is refused");
  t = mk_nx("price BIGINT, date_time TIMESTAMP", msg, sizeof msg, "table",
            "bid", NULL);
  TAP_OK(t != NULL, "a subset of the columns, in another order");
  if (t) ed_table_free(t);
}

/* Checks rows against the generator: ctx holds the next expected row. */
typedef struct Check {
  EdNxGen gen;
  EdNxKind kind;
  int64_t row;       /* next row of the kind */
  int64_t mismatches;
} Check;

static void check_bids(const EdBatch *b, void *ctx) {
  Check *c = ctx;
  EdArena a;
  ed_arena_init(&a, 4096);
  for (int i = 0; i < b->nrows; i++, c->row++) {
    int64_t id = ed_nx_id_of(c->kind, c->row);
    if (c->kind == ED_NX_BID) {
      EdNxBid x;
      ed_nx_bid(&c->gen, id, &x);
      /* columns as declared: price, date_time, auction, channel */
      const EdStr *ch = &ED_VEC_STR(&b->cols[3])[i];
      if (ED_VEC_I64(&b->cols[0])[i] != x.price ||
          ED_VEC_I64(&b->cols[1])[i] != x.date_time ||
          ED_VEC_I64(&b->cols[2])[i] != x.auction || ch->len != x.channel.len ||
          memcmp(ch->ptr, x.channel.ptr, ch->len) != 0)
        c->mismatches++;
    } else if (c->kind == ED_NX_PERSON) {
      EdNxPerson p;
      ed_nx_person(&c->gen, id, &p, &a);
      const EdStr *em = &ED_VEC_STR(&b->cols[2])[i];
      if (ED_VEC_I64(&b->cols[0])[i] != p.id ||
          em->len != p.email_address.len ||
          memcmp(em->ptr, p.email_address.ptr, em->len) != 0 ||
          ED_VEC_I64(&b->cols[6])[i] != p.date_time)
        c->mismatches++;
    } else {
      EdNxAuction x;
      ed_nx_auction(&c->gen, id, &x, &a);
      const EdStr *d = &ED_VEC_STR(&b->cols[2])[i];
      if (ED_VEC_I64(&b->cols[0])[i] != x.id ||
          ED_VEC_I64(&b->cols[7])[i] != x.seller ||
          d->len != x.description.len ||
          memcmp(d->ptr, x.description.ptr, d->len) != 0)
        c->mismatches++;
    }
    for (int col = 0; col < b->ncols; col++)
      if (!ed_vec_valid(&b->cols[col], i)) c->mismatches++;
  }
  ed_arena_free(&a);
}

static void test_rows(void) {
  char msg[1200], start[128], end[128];
  EdError err;
  EdTable *t = mk_nx("price BIGINT, date_time TIMESTAMP, auction BIGINT, "
                     "channel VARCHAR",
                     msg, sizeof msg, "table", "bid", "events", "100000",
                     NULL);
  EdStreamSource *s = t ? ed_stream_source_open(t, &err) : NULL;
  TAP_OK(s != NULL, "bid source opens");
  if (!s) return;
  TAP_OK(s->replayable, "replayable");
  TAP_EQ_STR(s->description,
             "NexmarkStream[table=bid, events=100000, eventsPerSecond=unpaced]",
             "description");
  Check c;
  memset(&c, 0, sizeof c);
  ed_nx_gen_init(&c.gen, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  c.kind = ED_NX_BID;
  int64_t rows = run_batch(s, 5000, check_bids, &c, start, end);
  TAP_EQ_INT(rows, 5000, "max_rows 5000: 5000 bids");
  TAP_EQ_STR(start, "{\"events\": 4}", "first batch starts at the first bid");
  /* bid 5000 is event (5000/46)*50 + 4 + 5000%46 = 5400 + 4 + 32 */
  TAP_EQ_STR(end, "{\"events\": 5436}", "ends before the 5001st bid");
  TAP_OK(!s->ended, "not ended yet");
  rows = run_batch(s, 0, check_bids, &c, start, end);
  TAP_EQ_INT(rows, 92000 - 5000, "the rest: 46 of every 50 of 100000 events");
  TAP_EQ_STR(end, "{\"events\": 100000}", "ends at events");
  TAP_OK(s->ended, "ended after the last event");
  TAP_EQ_INT(c.mismatches, 0, "every row is the generator's bid, all valid");
  TAP_EQ_INT(s->stats.records, 92000, "records counted");
  rows = run_batch(s, 0, NULL, NULL, NULL, NULL);
  TAP_EQ_INT(rows, 0, "nothing after the end");
  s->vt->destroy(s);

  /* Replay: a second source gives the same rows from the start. */
  s = ed_stream_source_open(t, &err);
  c.row = 0;
  c.mismatches = 0;
  rows = run_batch(s, 0, check_bids, &c, NULL, NULL);
  TAP_EQ_INT(rows, 92000, "a new source replays every bid");
  TAP_EQ_INT(c.mismatches, 0, "identical rows on replay");
  s->vt->destroy(s);
  ed_table_free(t);

  /* Person and auction streams: 1 and 3 of every 50 events. */
  t = mk_nx("", msg, sizeof msg, "table", "person", "events", "10001", NULL);
  s = ed_stream_source_open(t, &err);
  c.kind = ED_NX_PERSON;
  c.row = 0;
  rows = run_batch(s, 0, check_bids, &c, start, end);
  TAP_EQ_INT(rows, 201, "person stream over 10001 events: 201 people");
  TAP_EQ_INT(c.mismatches, 0, "person rows are the generator's");
  TAP_OK(s->ended, "person stream ended");
  s->vt->destroy(s);
  ed_table_free(t);

  t = mk_nx("", msg, sizeof msg, "table", "auction", "events", "10002",
            "max_rows_per_trigger", "100", NULL);
  s = ed_stream_source_open(t, &err);
  c.kind = ED_NX_AUCTION;
  c.row = 0;
  int64_t total = 0, batches = 0;
  while (!s->ended && batches < 100) {
    rows = run_batch(s, 0, check_bids, &c, NULL, NULL);
    total += rows;
    batches++;
    if (rows > 100) break;
  }
  TAP_EQ_INT(total, 601, "auction stream over 10002 events: 601 auctions");
  TAP_EQ_INT(batches, 7, "max_rows_per_trigger 100: 7 batches");
  TAP_EQ_INT(c.mismatches, 0, "auction rows are the generator's");
  s->vt->destroy(s);
  ed_table_free(t);
  ed_nx_gen_free(&c.gen);

  /* Unbounded and unpaced: batches of ED_NEXMARK_BATCH_ROWS, no end. */
  t = mk_nx("price BIGINT", msg, sizeof msg, "table", "bid", NULL);
  s = ed_stream_source_open(t, &err);
  rows = run_batch(s, 0, NULL, NULL, NULL, NULL);
  TAP_EQ_INT(rows, 1000000, "unbounded: a million rows per batch");
  TAP_OK(!s->ended, "unbounded never ends");
  TAP_EQ_INT(s->vt->wait(s, 0), 1, "unpaced: more is always there");
  s->vt->destroy(s);
  ed_table_free(t);
}

static int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void test_pacing(void) {
  char msg[1200];
  EdError err;
  /* 20,000 events/s: bids come at 18,400/s; event time 50 us per event. */
  EdTable *t = mk_nx("date_time TIMESTAMP", msg, sizeof msg, "table", "bid",
                     "events_per_second", "20000", NULL);
  int64_t t0 = mono_us();
  EdStreamSource *s = ed_stream_source_open(t, &err);
  int64_t first = run_batch(s, 0, NULL, NULL, NULL, NULL);
  /* no more than the bids due since before the open (+ one epoch) */
  double bound = (double)(mono_us() - t0) / 1e6 * 18400 + 46;
  TAP_OK(first <= bound, "paced: only the bids due at the start");
  if (first > bound)
    printf("#   %lld rows, bound %.0f\n", (long long)first, bound);
  int64_t w0 = mono_us();
  int w = s->vt->wait(s, 1000);
  int64_t waited = mono_us() - w0;
  TAP_EQ_INT(w, 1, "wait returns when the next bid is due");
  TAP_OK(waited < 50000, "and soon (a bid is due every 54 us)");
  struct timespec ts = {0, 300 * 1000000L};
  nanosleep(&ts, NULL);
  int64_t rows = first + run_batch(s, 0, NULL, NULL, NULL, NULL);
  double secs = (double)(mono_us() - t0) / 1e6;
  double want = secs * 20000 * 46 / 50;
  printf("#   %lld bids in %.3f s, %.0f expected\n", (long long)rows, secs,
         want);
  TAP_OK(rows > want * 0.8 && rows < want * 1.1,
         "paced: bids due at 46/50 of events_per_second");
  s->vt->destroy(s);
  ed_table_free(t);

  /* Paced event time: 10^6 / 20000 = 50 us per event, in whole ms. */
  t = mk_nx("date_time TIMESTAMP", msg, sizeof msg, "table", "person",
            "events_per_second", "20000", "events", "1000", NULL);
  s = ed_stream_source_open(t, &err);
  EdBatch *b = batch_for(&t->schema);
  while (!s->ended) {
    s->vt->wait(s, 100);
    s->vt->begin_batch(s, 0, 0, &err);
    while (s->vt->next(s, b, &err) > 0) {
    }
  }
  TAP_EQ_INT(b->nrows, 20, "1000 paced events: 20 people, then the end");
  /* person 2 is event 100: 100 * 50 us = 5 ms after person 0; person 1
  ** (event 50, 2.5 ms) is kept in whole ms: 2 ms. */
  if (b->nrows == 20) {
    TAP_EQ_INT(ED_VEC_I64(&b->cols[0])[2] - ED_VEC_I64(&b->cols[0])[0],
               5000, "paced event time: 50 us per event");
    TAP_EQ_INT(ED_VEC_I64(&b->cols[0])[1] - ED_VEC_I64(&b->cols[0])[0],
               2000, "event time in whole milliseconds");
  }
  ed_batch_free(b);
  s->vt->destroy(s);
  ed_table_free(t);
}

int main(void) {
  test_options();
  test_rows();
  test_pacing();
  return tap_done();
}
