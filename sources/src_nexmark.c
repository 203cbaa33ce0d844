/*
** sources/src_nexmark.c — the nexmark connector (nexmark_source.h): the
** options and columns of a nexmark stream, and its source, which fills
** column batches straight from the generator (nexmark_gen.h).
**
** Position: the source counts rows of its kind (row r is event
** ed_nx_id_of(kind, r)); offsets are reported in generator events, the
** number of events before the batch's first row and after its last.
** Unpaced, every event is available at once and a micro-batch is cut by
** max_rows_per_trigger (default ED_NEXMARK_BATCH_ROWS); paced, event n is
** due at start + n / events_per_second on the wall clock.  The stream is
** replayable: an event number fixes every row after it.
**
** Hot path: one call to the generator per row and a store per column into
** the batch's vectors; strings point into the generator's tables (or, for
** person and auction fields drawn per event, into the batch's arena).
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sources/nexmark_gen.h"
#include "sources/nexmark_source.h"
#include "sources/stream_internal.h"

/* ------------------------------------------------------------ columns */

typedef struct NxCol {
  const char *name;
  EdType type;
} NxCol;

/* Field order of each kind: the index is the field number (F_*). */
static const NxCol person_cols[] = {
    {"id", ED_T_BIGINT},       {"name", ED_T_VARCHAR},
    {"email_address", ED_T_VARCHAR}, {"credit_card", ED_T_VARCHAR},
    {"city", ED_T_VARCHAR},    {"state", ED_T_VARCHAR},
    {"date_time", ED_T_TIMESTAMP}, {"extra", ED_T_VARCHAR}};
static const NxCol auction_cols[] = {
    {"id", ED_T_BIGINT},           {"item_name", ED_T_VARCHAR},
    {"description", ED_T_VARCHAR}, {"initial_bid", ED_T_BIGINT},
    {"reserve", ED_T_BIGINT},      {"date_time", ED_T_TIMESTAMP},
    {"expires", ED_T_TIMESTAMP},   {"seller", ED_T_BIGINT},
    {"category", ED_T_BIGINT},     {"extra", ED_T_VARCHAR}};
static const NxCol bid_cols[] = {
    {"auction", ED_T_BIGINT}, {"bidder", ED_T_BIGINT},
    {"price", ED_T_BIGINT},   {"channel", ED_T_VARCHAR},
    {"url", ED_T_VARCHAR},    {"date_time", ED_T_TIMESTAMP},
    {"extra", ED_T_VARCHAR}};

#define NX_MAX_FIELDS 10

static const char *const kind_names[] = {"person", "auction", "bid"};

/* The columns of a kind. */
static const NxCol *kind_cols(EdNxKind k, int *n) {
  switch (k) {
    case ED_NX_PERSON:
      *n = (int)(sizeof person_cols / sizeof *person_cols);
      return person_cols;
    case ED_NX_AUCTION:
      *n = (int)(sizeof auction_cols / sizeof *auction_cols);
      return auction_cols;
    default:
      *n = (int)(sizeof bid_cols / sizeof *bid_cols);
      return bid_cols;
  }
}

/* ------------------------------------------------------------ options */

typedef struct NxConf {
  EdNxKind kind;
  int64_t events;       /* 0: never ends */
  int64_t eps;          /* events_per_second, 0: unpaced */
  int64_t max_rows;     /* max_rows_per_trigger, 0: none */
} NxConf;

static const char *const nx_options[] = {
    "connector", "table", "events", "events_per_second",
    "max_rows_per_trigger"};
#define NX_NOPTS (int)(sizeof nx_options / sizeof *nx_options)

/* Whether connector is 'nexmark' (nexmark_source.h). */
bool ed_nexmark_is(const char *connector) {
  return connector && strcasecmp(connector, "nexmark") == 0;
}

/* A whole number in [lo, hi] for option key. */
static int nx_int(const char *key, const char *v, int64_t lo, int64_t hi,
                  int64_t *out, EdError *err) {
  int64_t x;
  if (ed_dec_parse_bigint(v, strlen(v), &x) != 0 || x < lo || x > hi)
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "invalid value '%s' for option %s: expected a whole "
                        "number from %lld to %lld",
                        v, key, (long long)lo, (long long)hi);
  *out = x;
  return 0;
}

/* Parses one option (known name). */
static int nx_option(NxConf *c, bool *has_table, const char *k,
                     const char *v, EdError *err) {
  if (strcmp(k, "connector") == 0) return 0;
  if (strcmp(k, "table") == 0) {
    for (int i = 0; i < 3; i++)
      if (strcasecmp(v, kind_names[i]) == 0) {
        c->kind = (EdNxKind)i;
        *has_table = true;
        return 0;
      }
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "invalid value '%s' for option table: expected "
                        "'person', 'auction' or 'bid'",
                        v);
  }
  if (strcmp(k, "events") == 0)
    return nx_int(k, v, 1, INT64_MAX / 2, &c->events, err);
  if (strcmp(k, "events_per_second") == 0)
    return nx_int(k, v, 1, 1000000000, &c->eps, err);
  return nx_int(k, v, 1, INT64_MAX, &c->max_rows, err);
}

/* Validates the options into c; *bad gets the index of the faulty one. */
static int nx_conf(const EdOption *opts, int nopts, NxConf *c, int *bad,
                   EdError *err) {
  memset(c, 0, sizeof *c);
  bool has_table = false;
  *bad = -1;
  for (int i = 0; i < nopts; i++) {
    const char *name = NULL;
    for (int k = 0; k < NX_NOPTS && !name; k++)
      if (strcasecmp(nx_options[k], opts[i].key) == 0) name = nx_options[k];
    *bad = i;
    if (!name)
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "unknown option \"%s\" for connector \"nexmark\": "
                          "valid options are connector, table, events, "
                          "events_per_second, max_rows_per_trigger",
                          opts[i].key);
    if (nx_option(c, &has_table, name, opts[i].value, err)) return -1;
  }
  *bad = -1;
  if (!has_table)
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "connector \"nexmark\" needs the option table "
                        "('person', 'auction' or 'bid'), e.g. WITH "
                        "(connector = 'nexmark', \"table\" = 'bid', "
                        "events = 1000000)");
  return 0;
}

/* Maps each declared column to its field; an error names the columns a
** stream of the kind has.  field[i] (NX_MAX_FIELDS entries) receives the
** field of column i. */
static int nx_map_columns(EdNxKind k, const EdSchema *s, int *field,
                          EdError *err) {
  int n;
  const NxCol *cols = kind_cols(k, &n);
  if (s->ncols > n)
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "a nexmark %s stream has %d columns, not %d",
                        kind_names[k], n, s->ncols);
  for (int i = 0; i < s->ncols; i++) {
    int f = -1;
    for (int j = 0; j < n && f < 0; j++)
      if (strcasecmp(s->cols[i].name, cols[j].name) == 0 &&
          s->cols[i].type == cols[j].type)
        f = j;
    if (f < 0) {
      char list[512] = "";
      for (int j = 0; j < n; j++)
        ed_src_appendf(list, sizeof list, "%s%s %s", j ? ", " : "",
                       cols[j].name, ed_type_name(cols[j].type));
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "column \"%s\" %s: a nexmark %s stream has the "
                          "columns %s",
                          s->cols[i].name, ed_type_name(s->cols[i].type),
                          kind_names[k], list);
    }
    field[i] = f;
  }
  return 0;
}

/* The kind's columns, in field order. */
static void nx_schema(EdNxKind k, EdSchema *out) {
  int n;
  const NxCol *cols = kind_cols(k, &n);
  ed_schema_init(out, n);
  for (int i = 0; i < n; i++) {
    out->cols[i].name = ed_strdup(cols[i].name);
    out->cols[i].type = cols[i].type;
    out->cols[i].table = NULL;
  }
}

/* Validates a CREATE STREAM of the connector (nexmark_source.h). */
int ed_nexmark_prepare(const EdOption *opts, int nopts, EdSchema *schema,
                       int *bad_option, EdError *err) {
  NxConf c;
  int bad;
  int rc = nx_conf(opts, nopts, &c, &bad, err);
  if (bad_option) *bad_option = bad;
  if (rc) return -1;
  if (schema->ncols > 0) {
    int field[NX_MAX_FIELDS];
    return nx_map_columns(c.kind, schema, field, err);
  }
  ed_schema_free(schema);
  nx_schema(c.kind, schema);
  return 0;
}

/* The columns of the kind named by the options (nexmark_source.h). */
int ed_nexmark_default_schema(const EdOption *opts, int nopts,
                              EdSchema *out, EdError *err) {
  NxConf c;
  int bad;
  ed_schema_init(out, 0);
  if (nx_conf(opts, nopts, &c, &bad, err)) return -1;
  ed_schema_free(out);
  nx_schema(c.kind, out);
  return 0;
}

/* ------------------------------------------------------------- source */

typedef struct NxSrc {
  EdStreamSource base;
  EdNxGen gen;
  EdNxKind kind;
  int64_t total;           /* events to make (INT64_MAX / 2: no end) */
  int64_t total_rows;      /* rows of the kind among them */
  int64_t eps;             /* pacing, 0: none */
  int64_t t0;              /* wall clock of event 0 (paced), us */
  int64_t pos;             /* next row to deliver */
  int64_t start_ev, end_ev;  /* offsets of the current micro-batch */
  int64_t end_row;         /* rows [.., end_row) belong to it */
  int field_col[NX_MAX_FIELDS];  /* column of each field, or -1 */
  int64_t scratch_i64[ED_BATCH_CAP];  /* stores of undeclared fields
                                         (shared; never read) */
  EdStr scratch_str[ED_BATCH_CAP];
} NxSrc;

/* Events due by wall-clock time now (all of them when unpaced). */
static int64_t nx_due(const NxSrc *s, int64_t now) {
  if (!s->eps) return s->total;
  int64_t d = now - s->t0;
  if (d < 0) return 0;
  /* event n is due at t0 + n * 10^6 / eps */
  __int128 n = (__int128)d * s->eps / ED_USEC_PER_SEC + 1;
  return n > s->total ? s->total : (int64_t)n;
}

/* Events before row r (the offset of a position). */
static int64_t nx_event_of_row(const NxSrc *s, int64_t r) {
  return r >= s->total_rows ? s->total : ed_nx_id_of(s->kind, r);
}

/* Fixes the micro-batch: the due rows from the current position, cut by
** the limits. */
static int nx_begin(EdStreamSource *b, int64_t max_rows, int64_t max_files,
                    EdError *err) {
  (void)max_files;
  (void)err;
  NxSrc *s = (NxSrc *)b;
  int64_t due = nx_due(s, ed_src_now_us());
  int64_t avail = ed_nx_count_before(s->kind, due);
  int64_t limit = ed_src_limit(max_rows, b->max_rows_per_trigger);
  if (limit == 0 && !s->eps) limit = ED_NEXMARK_BATCH_ROWS;
  int64_t end = avail;
  if (limit > 0 && end - s->pos > limit) end = s->pos + limit;
  if (end < s->pos) end = s->pos;
  s->start_ev = nx_event_of_row(s, s->pos);
  s->end_ev = end == avail ? due : ed_nx_id_of(s->kind, end);
  if (s->end_ev < s->start_ev) s->end_ev = s->start_ev;
  s->end_row = end;
  b->has_data = end > s->pos;
  b->ended = end >= s->total_rows;
  return 0;
}

/* Sets the validity bits of rows [from, to) of v. */
static void nx_valid_range(EdVector *v, int from, int to) {
  for (int i = from; i < to;) {
    if ((i & 63) == 0 && to - i >= 64) {
      v->validity[i >> 6] = ~UINT64_C(0);
      i += 64;
    } else {
      ed_vec_set_valid(v, i++);
    }
  }
}

/* Destination of an integer (BIGINT, TIMESTAMP) field. */
static int64_t *nx_i64(NxSrc *s, EdBatch *out, int f) {
  int c = s->field_col[f];
  return c >= 0 ? ED_VEC_I64(&out->cols[c]) : s->scratch_i64;
}

/* Destination of a VARCHAR field. */
static EdStr *nx_str(NxSrc *s, EdBatch *out, int f) {
  int c = s->field_col[f];
  return c >= 0 ? ED_VEC_STR(&out->cols[c]) : s->scratch_str;
}

/* Fills rows [from, from + n) of out with the next n bids. */
static void nx_fill_bids(NxSrc *s, EdBatch *out, int from, int n) {
  EdNxBidCols cols = {nx_i64(s, out, 0) + from, nx_i64(s, out, 1) + from,
                      nx_i64(s, out, 2) + from, nx_i64(s, out, 5) + from,
                      nx_str(s, out, 3) + from, nx_str(s, out, 4) + from,
                      nx_str(s, out, 6) + from};
  ed_nx_bids(&s->gen, s->pos, n, &cols);
}

/* Fills rows [from, from + n) of out with the next n auctions. */
static void nx_fill_auctions(NxSrc *s, EdBatch *out, int from, int n) {
  int64_t *id = nx_i64(s, out, 0), *initial = nx_i64(s, out, 3);
  int64_t *reserve = nx_i64(s, out, 4), *dt = nx_i64(s, out, 5);
  int64_t *expires = nx_i64(s, out, 6), *seller = nx_i64(s, out, 7);
  int64_t *category = nx_i64(s, out, 8);
  EdStr *item = nx_str(s, out, 1), *desc = nx_str(s, out, 2);
  EdStr *extra = nx_str(s, out, 9);
  int64_t r = s->pos;
  for (int i = from; i < from + n; i++, r++) {
    EdNxAuction a;
    ed_nx_auction(&s->gen, ed_nx_id_of(ED_NX_AUCTION, r), &a, &out->arena);
    id[i] = a.id;
    item[i] = a.item_name;
    desc[i] = a.description;
    initial[i] = a.initial_bid;
    reserve[i] = a.reserve;
    dt[i] = a.date_time;
    expires[i] = a.expires;
    seller[i] = a.seller;
    category[i] = a.category;
    extra[i] = a.extra;
  }
}

/* Fills rows [from, from + n) of out with the next n people. */
static void nx_fill_people(NxSrc *s, EdBatch *out, int from, int n) {
  int64_t *id = nx_i64(s, out, 0), *dt = nx_i64(s, out, 6);
  EdStr *name = nx_str(s, out, 1), *email = nx_str(s, out, 2);
  EdStr *cc = nx_str(s, out, 3), *city = nx_str(s, out, 4);
  EdStr *state = nx_str(s, out, 5), *extra = nx_str(s, out, 7);
  int64_t r = s->pos;
  for (int i = from; i < from + n; i++, r++) {
    EdNxPerson p;
    ed_nx_person(&s->gen, ed_nx_id_of(ED_NX_PERSON, r), &p, &out->arena);
    id[i] = p.id;
    name[i] = p.name;
    email[i] = p.email_address;
    cc[i] = p.credit_card;
    city[i] = p.city;
    state[i] = p.state;
    dt[i] = p.date_time;
    extra[i] = p.extra;
  }
}

/* Appends the batch's next rows to out, up to its capacity. */
static int nx_next(EdStreamSource *b, EdBatch *out, EdError *err) {
  (void)err;
  NxSrc *s = (NxSrc *)b;
  int from = out->nrows;
  int64_t left = s->end_row - s->pos;
  int n = ED_BATCH_CAP - from;
  if (left < n) n = (int)left;
  if (n <= 0) return 0;
  switch (s->kind) {
    case ED_NX_BID: nx_fill_bids(s, out, from, n); break;
    case ED_NX_AUCTION: nx_fill_auctions(s, out, from, n); break;
    case ED_NX_PERSON: nx_fill_people(s, out, from, n); break;
  }
  for (int c = 0; c < out->ncols; c++)
    nx_valid_range(&out->cols[c], from, from + n);
  out->nrows = from + n;
  s->pos += n;
  b->stats.records += n;
  return n;
}

/* Waits for rows beyond the current batch: at once when unpaced, until
** the next row is due when paced. */
static int nx_wait(EdStreamSource *b, int timeout_ms) {
  NxSrc *s = (NxSrc *)b;
  if (s->end_row >= s->total_rows) {
    if (!b->ended) return 1;             /* the end itself is news */
    for (int waited = 0;;) {             /* nothing will ever come */
      int step = ed_src_wait_step(timeout_ms, waited, 100);
      if (step == 0 || !ed_src_sleep_ms(step)) return 0;
      waited += step;
    }
  }
  if (!s->eps) return 1;
  for (int waited = 0;;) {
    int64_t now = ed_src_now_us();
    if (ed_nx_count_before(s->kind, nx_due(s, now)) > s->end_row) return 1;
    int64_t ev = ed_nx_id_of(s->kind, s->end_row);
    int64_t at = s->t0 + (int64_t)((__int128)ev * ED_USEC_PER_SEC / s->eps);
    int64_t ms = (at - now + 999) / 1000;
    if (ms < 1) ms = 1;
    int step = ed_src_wait_step(timeout_ms, waited, ms > 100 ? 100 : (int)ms);
    if (step == 0 || !ed_src_sleep_ms(step)) return 0;
    waited += step;
  }
}

/* Offsets in generator events: before the batch's first row, after its
** last. */
static void nx_offsets(EdStreamSource *b, char *start, char *end,
                       size_t cap) {
  NxSrc *s = (NxSrc *)b;
  snprintf(start, cap, "{\"events\": %lld}", (long long)s->start_ev);
  snprintf(end, cap, "{\"events\": %lld}", (long long)s->end_ev);
}

/* Frees the source and its generator's tables. */
static void nx_destroy(EdStreamSource *b) {
  NxSrc *s = (NxSrc *)b;
  ed_nx_gen_free(&s->gen);
  free(s);
}

static const EdSourceVtab nx_vtab = {nx_begin, nx_next, nx_wait,
                                     nx_offsets, nx_destroy};

/* Opens the source of stream t at event 0 (nexmark_source.h). */
EdStreamSource *ed_nexmark_open(const EdTable *t, EdError *err) {
  NxConf c;
  int bad;
  int field[NX_MAX_FIELDS];
  if (nx_conf(t->options, t->noptions, &c, &bad, err) ||
      nx_map_columns(c.kind, &t->schema, field, err)) {
    err->kind = ED_ERR_EXEC;
    return NULL;
  }
  NxSrc *s = ed_calloc(1, sizeof *s);
  EdSrcConf base;
  memset(&base, 0, sizeof base);
  base.max_rows = c.max_rows;
  ed_src_base_init(&s->base, &nx_vtab, t, &base);
  s->base.replayable = true;
  s->kind = c.kind;
  s->eps = c.eps;
  s->total = c.events ? c.events : INT64_MAX / 2;
  s->total_rows = ed_nx_count_before(c.kind, s->total);
  for (int f = 0; f < NX_MAX_FIELDS; f++) s->field_col[f] = -1;
  for (int i = 0; i < t->schema.ncols; i++) s->field_col[field[i]] = i;
  ed_nx_gen_init(&s->gen, 0, ED_NX_DEFAULT_BASE_MS,
                 c.eps ? c.eps : ED_NX_DEFAULT_RATE);
  s->t0 = ed_src_now_us();     /* the clock starts once the tables exist */
  char ev[32] = "unbounded", rate[32] = "unpaced";
  if (c.events) snprintf(ev, sizeof ev, "%lld", (long long)c.events);
  if (c.eps) snprintf(rate, sizeof rate, "%lld", (long long)c.eps);
  snprintf(s->base.description, sizeof s->base.description,
           "NexmarkStream[table=%s, events=%s, eventsPerSecond=%s]",
           kind_names[c.kind], ev, rate);
  return &s->base;
}
