/*
** sources/nexmark_gen.c — the Nexmark event generator (nexmark_gen.h):
** ids, kinds and event times by arithmetic on the event number, and the
** random fields of each kind from a SplitMix64 stream per event.
**
** Every function here is pure in (generator, event number), which is what
** lets the nexmark source fill column batches directly, skip the events of
** other kinds, and replay a micro-batch from an offset.
*/
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/nexmark_gen.h"

/* The reference configuration's ratios: 1 in hot_ratio draws is NOT hot. */
#define HOT_AUCTION_RATIO 2        /* P(hot auction) = 1/2 */
#define HOT_BIDDERS_RATIO 4        /* P(hot bidder) = 3/4 */
#define HOT_SELLERS_RATIO 4        /* P(hot seller) = 3/4 */
#define HOT_BATCH 100              /* hot ids are the first of 100 */
#define NUM_ACTIVE_PEOPLE 1000
#define NUM_IN_FLIGHT_AUCTIONS 100
#define ID_LEAD 10                 /* ids ahead of the last one allowed */
#define NUM_CATEGORIES 5
#define AVG_PERSON_BYTES 200
#define AVG_AUCTION_BYTES 500
#define AVG_BID_BYTES 100
#define GOLDEN_GAMMA UINT64_C(0x9e3779b97f4a7c15)

static const char *const first_names[11] = {
    "Peter", "Paul", "Luke", "John", "Saul", "Vicky",
    "Kate", "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[9] = {
    "Shultz", "Abrams", "Spencer", "White", "Bartels",
    "Walton", "Smith", "Jones", "Noris"};
static const char *const cities[10] = {
    "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
    "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};
static const char *const states[6] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const hot_channels[4] = {"Google", "Facebook", "Baidu",
                                            "Apple"};

/* ------------------------------------------------------------ SplitMix64 */

typedef struct Rng {
  uint64_t s;
} Rng;

/* The SplitMix64 output function (Stafford's variant 13). */
static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* The next draw of a stream. */
static inline uint64_t rng_next(Rng *r) {
  r->s += GOLDEN_GAMMA;
  return mix64(r->s);
}

/* A uniform integer in [0, n), n >= 1 (multiply-shift reduction). */
static inline int64_t rng_below(Rng *r, uint64_t n) {
  return (int64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* The stream of event n: a start that depends on nothing else. */
static inline Rng rng_for(const EdNxGen *g, int64_t n) {
  Rng r = {mix64(g->seed + (uint64_t)n * GOLDEN_GAMMA)};
  return r;
}

/* ----------------------------------------------------- ids and counting */

/* Events of kind k among ids [0, n): whole epochs, then the part of the
** last one. */
int64_t ed_nx_count_before(EdNxKind k, int64_t n) {
  assert(n >= 0);
  int64_t epochs = n / ED_NX_TOTAL_PROP, off = n % ED_NX_TOTAL_PROP;
  int64_t lo, width;
  switch (k) {
    case ED_NX_PERSON:
      lo = 0, width = ED_NX_PERSON_PROP;
      break;
    case ED_NX_AUCTION:
      lo = ED_NX_PERSON_PROP, width = ED_NX_AUCTION_PROP;
      break;
    default:
      lo = ED_NX_PERSON_PROP + ED_NX_AUCTION_PROP, width = ED_NX_BID_PROP;
      break;
  }
  int64_t part = off - lo;
  if (part < 0) part = 0;
  if (part > width) part = width;
  return epochs * width + part;
}

/* Id of the r-th event of kind k: its epoch, then its offset in it. */
int64_t ed_nx_id_of(EdNxKind k, int64_t r) {
  assert(r >= 0);
  switch (k) {
    case ED_NX_PERSON:
      return r * ED_NX_TOTAL_PROP;
    case ED_NX_AUCTION:
      return (r / ED_NX_AUCTION_PROP) * ED_NX_TOTAL_PROP +
             ED_NX_PERSON_PROP + r % ED_NX_AUCTION_PROP;
    default:
      return (r / ED_NX_BID_PROP) * ED_NX_TOTAL_PROP + ED_NX_PERSON_PROP +
             ED_NX_AUCTION_PROP + r % ED_NX_BID_PROP;
  }
}

/* lastBase0PersonId: the person of this epoch (made by its first event). */
int64_t ed_nx_last_person(int64_t id) {
  int64_t epoch = id / ED_NX_TOTAL_PROP, off = id % ED_NX_TOTAL_PROP;
  if (off >= ED_NX_PERSON_PROP) off = ED_NX_PERSON_PROP - 1;
  return epoch * ED_NX_PERSON_PROP + off;
}

/* lastBase0AuctionId: before this epoch's auctions, the last of the
** previous epoch (-1 for the very first person). */
int64_t ed_nx_last_auction(int64_t id) {
  int64_t epoch = id / ED_NX_TOTAL_PROP, off = id % ED_NX_TOTAL_PROP;
  if (off < ED_NX_PERSON_PROP) {
    epoch--;
    off = ED_NX_AUCTION_PROP - 1;
  } else if (off >= ED_NX_PERSON_PROP + ED_NX_AUCTION_PROP) {
    off = ED_NX_AUCTION_PROP - 1;
  } else {
    off -= ED_NX_PERSON_PROP;
  }
  return epoch * ED_NX_AUCTION_PROP + off;
}

/* Event time in ms: base + floor(n * delay_us) / 1000, as the reference's
** timestampForEvent computes it. */
static inline int64_t event_ms(const EdNxGen *g, int64_t n) {
  int64_t us = g->delay_int_us >= 0 ? n * g->delay_int_us
                                    : (int64_t)((double)n * g->delay_us);
  return g->base_ms + us / 1000;
}

/* Event time of event n in microseconds (nexmark_gen.h). */
int64_t ed_nx_event_time(const EdNxGen *g, int64_t n) {
  return event_ms(g, n) * 1000;
}

/* ------------------------------------------------------- random fields */

/* nextBase0PersonId: one of the active people, or a few ids ahead. */
static int64_t random_person(Rng *r, int64_t id) {
  int64_t num_people = ed_nx_last_person(id) + 1;
  int64_t active =
      num_people < NUM_ACTIVE_PEOPLE ? num_people : NUM_ACTIVE_PEOPLE;
  int64_t k = rng_below(r, (uint64_t)(active + ID_LEAD));
  return num_people - active + k;
}

/* 10^(6U) from the top 20 bits of U by two tables, 100 * 10^(6 i / 2^10)
** and 10^(6 j / 2^20), built once. */
#define PRICE_BITS 10
#define PRICE_STEPS (1 << PRICE_BITS)
static double price_hi[PRICE_STEPS], price_lo[PRICE_STEPS];
static pthread_once_t price_once = PTHREAD_ONCE_INIT;

/* Fills the price tables (once per process). */
static void price_table_init(void) {
  for (int i = 0; i < PRICE_STEPS; i++) {
    price_hi[i] = pow(10.0, 6.0 * i / PRICE_STEPS) * 100.0;
    price_lo[i] = pow(10.0, 6.0 * i / ((double)PRICE_STEPS * PRICE_STEPS));
  }
}

/* round(10^(6U) * 100) for U the top 53 bits of draw d: log-uniform from
** 100 to 10^8.  pow() would be half the cost of a bid, so 10^(6U) is the
** product of two table entries (the top 20 bits of U) and 1 + x for the
** rest, x < 1.4e-5 (relative error below 1e-10: pow()'s integer but for
** about one draw in 10^8 that lies that close to a half). */
static inline __attribute__((always_inline)) int64_t price_of(uint64_t d) {
  uint64_t u = d >> 11;                               /* 53 bits */
  uint32_t hi = (uint32_t)(u >> (53 - PRICE_BITS));
  uint32_t lo = (uint32_t)(u >> (53 - 2 * PRICE_BITS)) & (PRICE_STEPS - 1);
  double rest = (double)(u & ((UINT64_C(1) << (53 - 2 * PRICE_BITS)) - 1));
  double x = rest * (6.0 * M_LN10 * 0x1.0p-53);
  return (int64_t)(price_hi[hi] * price_lo[lo] * (1.0 + x) + 0.5);
}

static int64_t random_price(Rng *r) { return price_of(rng_next(r)); }

/* nextExtra: padding so that the record is avg bytes on average, as a
** slice of the letter pool. */
static EdStr random_extra(const EdNxGen *g, Rng *r, int current, int avg) {
  EdStr s = {g->extra_pool, 0};
  if (current > avg) return s;
  int desired = avg - current;
  int delta = (int)floor(desired * 0.2 + 0.5);
  int size = desired - delta +
             (delta == 0 ? 0 : (int)rng_below(r, (uint64_t)(2 * delta)));
  int64_t off = rng_below(r, ED_NX_EXTRA_POOL - (uint64_t)size);
  s.ptr = g->extra_pool + off;
  s.len = (uint32_t)size;
  return s;
}

/* nextString: 3 to max-1 characters, each a letter or (1 in 13) special,
** with spaces trimmed at both ends.  Writes into buf; returns the length. */
static int random_string(Rng *r, int max, char special, char *buf) {
  int len = 3 + (int)rng_below(r, (uint64_t)(max - 3));
  for (int i = 0; i < len; i++)
    buf[i] = rng_below(r, 13) == 0 ? special
                                   : (char)('a' + rng_below(r, 26));
  int lo = 0, hi = len;
  while (lo < hi && buf[lo] == ' ') lo++;
  while (hi > lo && buf[hi - 1] == ' ') hi--;
  if (lo) memmove(buf, buf + lo, (size_t)(hi - lo));
  return hi - lo;
}

/* A random string copied into arena a. */
static EdStr arena_string(EdArena *a, Rng *r, int max) {
  char buf[128];
  assert(max <= (int)sizeof buf);
  int n = random_string(r, max, ' ', buf);
  EdStr s = {ed_arena_strndup(a, buf, (size_t)n), (uint32_t)n};
  return s;
}

/* -------------------------------------------------------------- events */

/* Draw k (1-based) of the stream that starts at state s: the k-th output
** of SplitMix64 from s, computed directly. */
static inline uint64_t draw_at(uint64_t s, int k) {
  return mix64(s + (uint64_t)k * GOLDEN_GAMMA);
}

/* A uniform integer in [0, n) from 32 random bits (n < 2^32). */
static inline uint32_t below32(uint32_t bits, uint32_t n) {
  return (uint32_t)(((uint64_t)bits * n) >> 32);
}

/* What the bids of one epoch (50 events) share: the last auction and
** person, the hot ones and the ranges of the others. */
typedef struct BidEpoch {
  int64_t hot_a, min_a, hot_b, min_b;
  uint32_t span_a, span_b;
} BidEpoch;

static inline BidEpoch bid_epoch(int64_t epoch) {
  BidEpoch e;
  /* auction: hot (first of the last 100) with P = 1/2, else uniform in
  ** [last - 100, last + 10] */
  int64_t last_a = epoch * ED_NX_AUCTION_PROP + ED_NX_AUCTION_PROP - 1;
  e.min_a = last_a > NUM_IN_FLIGHT_AUCTIONS ? last_a - NUM_IN_FLIGHT_AUCTIONS
                                            : 0;
  e.hot_a = (last_a / HOT_BATCH) * HOT_BATCH + ED_NX_FIRST_AUCTION_ID;
  e.span_a = (uint32_t)(last_a - e.min_a + 1 + ID_LEAD);
  e.min_a += ED_NX_FIRST_AUCTION_ID;
  /* bidder: hot (second of the last 100 people) with P = 3/4, else one of
  ** the active people or a few ahead */
  int64_t people = epoch + 1;
  int64_t active = people < NUM_ACTIVE_PEOPLE ? people : NUM_ACTIVE_PEOPLE;
  e.hot_b = (epoch / HOT_BATCH) * HOT_BATCH + 1 + ED_NX_FIRST_PERSON_ID;
  e.min_b = people - active + ED_NX_FIRST_PERSON_ID;
  e.span_b = (uint32_t)(active + ID_LEAD);
  return e;
}

/* The bid of event n, of the epoch e.  Four draws hold every random
** choice: 1 the coins (bit 63 hot auction, bits 62-61 hot bidder unless
** both 0, bit 60 hot channel, bits 59-58 which hot channel) and, in its
** low 32 bits, the other channel; 2 the other auction (high half) and the
** other bidder (low half); 3 the price; 4 the size (high half) and offset
** (low half) of extra.  Both sides of every coin are computed, so the work
** has no branches and no dependencies between draws; the out-of-order
** core overlaps consecutive bids. */
static inline __attribute__((always_inline)) void bid_core(
    const EdNxGen *g, int64_t n, const BidEpoch *e, int64_t *auction,
    int64_t *bidder, int64_t *price, const EdNxChannel **ch,
    int64_t *date_time, EdStr *extra) {
  uint64_t s = mix64(g->seed + (uint64_t)n * GOLDEN_GAMMA);
  uint64_t d1 = draw_at(s, 1), d2 = draw_at(s, 2);
  uint64_t d3 = draw_at(s, 3), d4 = draw_at(s, 4);
  int64_t rnd_a = e->min_a + below32((uint32_t)(d2 >> 32), e->span_a);
  *auction = (d1 >> 63) ? e->hot_a : rnd_a;
  int64_t rnd_b = e->min_b + below32((uint32_t)d2, e->span_b);
  *bidder = ((d1 >> 61) & 3) ? e->hot_b : rnd_b;
  *price = price_of(d3);
  /* channel: a hot one with P = 1/2, else one of 10,000 */
  uint32_t hot_c = (uint32_t)(d1 >> 58) & 3;
  uint32_t other_c = 4 + below32((uint32_t)d1, ED_NX_CHANNELS);
  *ch = &g->all_channels[((d1 >> 60) & 1) ? hot_c : other_c];
  *date_time = event_ms(g, n) * 1000;
  /* extra: 100 - 32 bytes on average: 54 + rand(28) letters */
  uint32_t desired = AVG_BID_BYTES - 32;
  uint32_t delta = (desired + 2) / 5;       /* round(desired * 0.2) */
  uint32_t size = desired - delta + below32((uint32_t)(d4 >> 32), 2 * delta);
  uint32_t off = below32((uint32_t)d4, ED_NX_EXTRA_POOL - size);
  *extra = (EdStr){g->extra_pool + off, size};
}

/* One bid (nexmark_gen.h). */
void ed_nx_bid(const EdNxGen *g, int64_t n, EdNxBid *b) {
  assert(ed_nx_kind(n) == ED_NX_BID);
  const EdNxChannel *ch;
  BidEpoch e = bid_epoch(n / ED_NX_TOTAL_PROP);
  bid_core(g, n, &e, &b->auction, &b->bidder, &b->price, &ch, &b->date_time,
           &b->extra);
  b->channel = ch->name;
  b->url = ch->url;
}

/* Consecutive bids into column arrays, epoch by epoch: what the bids of an
** epoch share is computed once (nexmark_gen.h). */
void ed_nx_bids(const EdNxGen *g, int64_t first_row, int count,
                const EdNxBidCols *out) {
  int64_t epoch = first_row / ED_NX_BID_PROP;
  int off = (int)(first_row % ED_NX_BID_PROP);
  for (int i = 0; i < count;) {
    BidEpoch e = bid_epoch(epoch);
    int run = ED_NX_BID_PROP - off;
    if (run > count - i) run = count - i;
    int64_t n = epoch * ED_NX_TOTAL_PROP + ED_NX_PERSON_PROP +
                ED_NX_AUCTION_PROP + off;
    for (int k = 0; k < run; k++, i++, n++) {
      const EdNxChannel *ch;
      bid_core(g, n, &e, &out->auction[i], &out->bidder[i], &out->price[i],
               &ch, &out->date_time[i], &out->extra[i]);
      out->channel[i] = ch->name;
      out->url[i] = ch->url;
    }
    off = 0;
    epoch++;
  }
}

/* One auction, its draws in the reference's order (nexmark_gen.h). */
void ed_nx_auction(const EdNxGen *g, int64_t n, EdNxAuction *x,
                   EdArena *a) {
  assert(ed_nx_kind(n) == ED_NX_AUCTION);
  Rng r = rng_for(g, n);
  x->id = ed_nx_last_auction(n) + ED_NX_FIRST_AUCTION_ID;
  int64_t seller;
  if (rng_below(&r, HOT_SELLERS_RATIO) > 0)
    seller = (ed_nx_last_person(n) / HOT_BATCH) * HOT_BATCH;
  else
    seller = random_person(&r, n);
  x->seller = seller + ED_NX_FIRST_PERSON_ID;
  x->category = ED_NX_FIRST_CATEGORY_ID + rng_below(&r, NUM_CATEGORIES);
  x->initial_bid = random_price(&r);
  /* Auctions last on average the time that numInFlightAuctions more
  ** auctions take to appear. */
  int64_t ts = event_ms(g, n);
  int64_t ahead = (int64_t)NUM_IN_FLIGHT_AUCTIONS * ED_NX_TOTAL_PROP /
                  ED_NX_AUCTION_PROP;
  int64_t horizon = event_ms(g, n + ahead) - ts;
  int64_t span = horizon * 2 > 1 ? horizon * 2 : 1;
  x->expires = (ts + 1 + rng_below(&r, (uint64_t)span)) * 1000;
  x->date_time = ts * 1000;
  x->item_name = arena_string(a, &r, 20);
  x->description = arena_string(a, &r, 100);
  x->reserve = x->initial_bid + random_price(&r);
  int current = 8 + (int)x->item_name.len + (int)x->description.len + 40;
  x->extra = random_extra(g, &r, current, AVG_AUCTION_BYTES);
}

/* One person, its draws in the reference's order (nexmark_gen.h). */
void ed_nx_person(const EdNxGen *g, int64_t n, EdNxPerson *p, EdArena *a) {
  assert(ed_nx_kind(n) == ED_NX_PERSON);
  Rng r = rng_for(g, n);
  p->id = ed_nx_last_person(n) + ED_NX_FIRST_PERSON_ID;
  int first = (int)rng_below(&r, 11);
  p->name = g->names[first * 9 + rng_below(&r, 9)];
  char buf[32];
  int len = random_string(&r, 7, ' ', buf);
  buf[len++] = '@';
  len += random_string(&r, 5, ' ', buf + len);
  memcpy(buf + len, ".com", 4);
  len += 4;
  p->email_address =
      (EdStr){ed_arena_strndup(a, buf, (size_t)len), (uint32_t)len};
  char *cc = ed_arena_alloc(a, 20);
  for (int i = 0; i < 4; i++) {
    int v = (int)rng_below(&r, 10000);
    char *d = cc + i * 5;
    d[0] = (char)('0' + v / 1000);
    d[1] = (char)('0' + v / 100 % 10);
    d[2] = (char)('0' + v / 10 % 10);
    d[3] = (char)('0' + v % 10);
    d[4] = ' ';
  }
  p->credit_card = (EdStr){cc, 19};
  const char *city = cities[rng_below(&r, 10)];
  const char *state = states[rng_below(&r, 6)];
  p->city = (EdStr){city, (uint32_t)strlen(city)};
  p->state = (EdStr){state, 2};
  p->date_time = ed_nx_event_time(g, n);
  int current = 8 + (int)p->name.len + (int)p->email_address.len + 19 +
                (int)p->city.len + 2;
  p->extra = random_extra(g, &r, current, AVG_PERSON_BYTES);
}

/* ------------------------------------------------------------- tables */

/* abs(Integer.reverse(i)) as Java computes it (abs(INT_MIN) == INT_MIN). */
int64_t ed_nx_channel_id(uint32_t i) {
  uint32_t v = 0;
  for (int b = 0; b < 32; b++) v |= ((i >> b) & 1u) << (31 - b);
  int32_t s = (int32_t)v;
  if (s == INT32_MIN) return INT32_MIN;
  return s < 0 ? -(int64_t)s : s;
}

/* "https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1" with three random
** strings of letters and '_'; tail (may be "") appended. */
static EdStr make_url(EdNxGen *g, Rng *r, const char *tail) {
  char buf[160];
  int n = snprintf(buf, sizeof buf, "https://www.nexmark.com/");
  for (int i = 0; i < 3; i++) {
    n += random_string(r, 5, '_', buf + n);
    buf[n++] = '/';
  }
  n += snprintf(buf + n, sizeof buf - (size_t)n, "item.htm?query=1%s", tail);
  EdStr s = {ed_arena_strndup(&g->strings, buf, (size_t)n), (uint32_t)n};
  return s;
}

/* A copy of s in the generator's table memory. */
static EdStr table_str(EdNxGen *g, const char *s) {
  size_t n = strlen(s);
  EdStr e = {ed_arena_strndup(&g->strings, s, n), (uint32_t)n};
  return e;
}

/* Builds the generator's configuration and tables (nexmark_gen.h). */
void ed_nx_gen_init(EdNxGen *g, uint64_t seed, int64_t base_ms,
                    int64_t rate) {
  assert(rate > 0);
  pthread_once(&price_once, price_table_init);
  memset(g, 0, sizeof *g);
  g->seed = seed;
  g->base_ms = base_ms;
  g->delay_us = 1e6 / (double)rate;
  g->delay_int_us = ED_USEC_PER_SEC % rate == 0 ? ED_USEC_PER_SEC / rate : -1;
  ed_arena_init(&g->strings, 64 * 1024);
  /* The tables' stream is apart from every event's (a different seed
  ** transform), so they do not correlate with event 0. */
  Rng r = {mix64(~seed ^ UINT64_C(0x6e65786d61726b21))};
  g->extra_pool = malloc(ED_NX_EXTRA_POOL);
  if (!g->extra_pool) abort();
  for (uint32_t i = 0; i < ED_NX_EXTRA_POOL; i++)
    g->extra_pool[i] = (char)('a' + rng_below(&r, 26));
  g->all_channels = ed_calloc(4 + ED_NX_CHANNELS, sizeof *g->all_channels);
  g->hot = g->all_channels;
  g->channels = g->all_channels + 4;
  for (int i = 0; i < 4; i++) {
    g->hot[i].name = table_str(g, hot_channels[i]);
    g->hot[i].url = make_url(g, &r, "");
  }
  for (int i = 0; i < ED_NX_CHANNELS; i++) {
    char name[32], tail[48] = "";
    snprintf(name, sizeof name, "channel-%d", i);
    EdStr url = make_url(g, &r, "");
    if (rng_below(&r, 10) > 0) {
      snprintf(tail, sizeof tail, "&channel_id=%lld",
               (long long)ed_nx_channel_id((uint32_t)i));
      char buf[224];
      int n = snprintf(buf, sizeof buf, "%.*s%s", (int)url.len, url.ptr,
                       tail);
      url = (EdStr){ed_arena_strndup(&g->strings, buf, (size_t)n),
                    (uint32_t)n};
    }
    g->channels[i].name = table_str(g, name);
    g->channels[i].url = url;
  }
  for (int f = 0; f < 11; f++)
    for (int l = 0; l < 9; l++) {
      char buf[32];
      snprintf(buf, sizeof buf, "%s %s", first_names[f], last_names[l]);
      g->names[f * 9 + l] = table_str(g, buf);
    }
}

/* Releases the tables. */
void ed_nx_gen_free(EdNxGen *g) {
  free(g->extra_pool);
  free(g->all_channels);
  ed_arena_free(&g->strings);
  memset(g, 0, sizeof *g);
}
