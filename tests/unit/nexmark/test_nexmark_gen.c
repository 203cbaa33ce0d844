/*
** tests/unit/nexmark/test_nexmark_gen.c — the Nexmark generator
** (sources/nexmark_gen.h) against the rules of the reference generator as
** shared/corpora/nexmark/README.md states them: kinds by id % 50, person
** and auction ids, event time spacing, hot sellers / bidders / auctions
** (ratios within statistical tolerance over 200,000 events), the ranges of
** the random ids, log-uniform prices, channels and their urls (channel ids
** checked against RisingWave's Nexmark data), string field sizes, and
** determinism.  Expected values are hand arithmetic on those rules.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources/nexmark_gen.h"
#include "tests/unit/tap.h"

#define N_EVENTS 200000

static int64_t base_us(void) {
  int64_t t = 0;
  const char *s = "2015-07-15 00:00:00";
  if (ed_parse_timestamp(s, strlen(s), &t) != 0) return -1;
  return t;
}

static bool str_eq(EdStr s, const char *c) {
  return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

/* Every byte of s is a lower-case letter (or one of extra). */
static bool all_letters(EdStr s, const char *extra) {
  for (uint32_t i = 0; i < s.len; i++) {
    char ch = s.ptr[i];
    if (!(ch >= 'a' && ch <= 'z') && !(extra && strchr(extra, ch)))
      return false;
  }
  return true;
}

static void test_kinds_and_ids(void) {
  int bad = 0;
  for (int64_t id = 0; id < 1000; id++) {
    int64_t off = id % 50;
    EdNxKind want = off == 0 ? ED_NX_PERSON
                    : off <= 3 ? ED_NX_AUCTION : ED_NX_BID;
    if (ed_nx_kind(id) != want) bad++;
  }
  TAP_EQ_INT(bad, 0, "kind by id % 50: 0 person, 1-3 auction, 4-49 bid");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_PERSON, 1000), 20,
             "1000 events: 20 people");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_AUCTION, 1000), 60,
             "1000 events: 60 auctions");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_BID, 1000), 920,
             "1000 events: 920 bids");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_BID, 1003), 920, "bids before 1003");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_BID, 1005), 921, "bids before 1005");
  TAP_EQ_INT(ed_nx_count_before(ED_NX_AUCTION, 1002), 61,
             "auctions before 1002");
  TAP_EQ_INT(ed_nx_id_of(ED_NX_BID, 0), 4, "first bid is event 4");
  TAP_EQ_INT(ed_nx_id_of(ED_NX_BID, 46), 54, "47th bid is event 54");
  TAP_EQ_INT(ed_nx_id_of(ED_NX_AUCTION, 4), 52, "5th auction is event 52");
  TAP_EQ_INT(ed_nx_id_of(ED_NX_PERSON, 3), 150, "4th person is event 150");
  /* id_of and count_before are inverse. */
  int inv = 0;
  for (int k = 0; k < 3; k++)
    for (int64_t r = 0; r < 500; r++) {
      int64_t id = ed_nx_id_of((EdNxKind)k, r);
      if (ed_nx_kind(id) != (EdNxKind)k ||
          ed_nx_count_before((EdNxKind)k, id) != r)
        inv++;
    }
  TAP_EQ_INT(inv, 0, "id_of(count_before) round trip for each kind");

  EdNxGen g;
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  EdArena a;
  ed_arena_init(&a, 4096);
  EdNxPerson p;
  ed_nx_person(&g, 0, &p, &a);
  TAP_EQ_INT(p.id, 1000, "person of event 0 has id 1000");
  ed_nx_person(&g, 50, &p, &a);
  TAP_EQ_INT(p.id, 1001, "person of event 50 has id 1001");
  ed_nx_person(&g, 5000, &p, &a);
  TAP_EQ_INT(p.id, 1100, "person of event 5000 has id 1100");
  EdNxAuction x;
  int64_t want_ids[][2] = {{1, 1000}, {2, 1001}, {3, 1002}, {51, 1003},
                           {53, 1005}, {5001, 1300}};
  for (size_t i = 0; i < sizeof want_ids / sizeof *want_ids; i++) {
    ed_nx_auction(&g, want_ids[i][0], &x, &a);
    char name[64];
    snprintf(name, sizeof name, "auction of event %lld has id %lld",
             (long long)want_ids[i][0], (long long)want_ids[i][1]);
    TAP_EQ_INT(x.id, want_ids[i][1], name);
  }
  ed_arena_free(&a);
  ed_nx_gen_free(&g);
}

static void test_event_time(void) {
  int64_t b = base_us();
  EdNxGen g;
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  TAP_EQ_INT(ed_nx_event_time(&g, 0), b, "event 0 at 2015-07-15 00:00:00");
  TAP_EQ_INT(ed_nx_event_time(&g, 9), b, "events 0-9 in the same ms");
  TAP_EQ_INT(ed_nx_event_time(&g, 10), b + 1000, "event 10 one ms later");
  TAP_EQ_INT(ed_nx_event_time(&g, 10000), b + 1000000,
             "event 10000 one second later (0.1 ms per event)");
  TAP_EQ_INT(ed_nx_event_time(&g, 123456789), b + 12345678000LL,
             "event 123456789: floor(n * 100 us) in whole ms");
  int back = 0;
  for (int64_t n = 1; n < 5000; n++)
    if (ed_nx_event_time(&g, n) < ed_nx_event_time(&g, n - 1)) back++;
  TAP_EQ_INT(back, 0, "event time never decreases");
  EdNxBid bid;
  ed_nx_bid(&g, 10004, &bid);
  TAP_EQ_INT(bid.date_time, b + 1000000, "a bid carries its event time");
  ed_nx_gen_free(&g);

  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, 1000);
  TAP_EQ_INT(ed_nx_event_time(&g, 7) - b, 7000, "rate 1000/s: 1 ms per event");
  ed_nx_gen_free(&g);
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, 3);
  /* 10^6/3 us per event: event 10 at floor(3333333.33 us)/1000 = 3333 ms */
  TAP_EQ_INT(ed_nx_event_time(&g, 10) - b, 3333000,
             "rate 3/s: fractional gap floored to ms");
  ed_nx_gen_free(&g);
}

static void test_bids(void) {
  EdNxGen g;
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  int64_t n = 0, hot_auction = 0, hot_bidder = 0, out_of_range = 0;
  int64_t reach_top = 0, cheap = 0, price_lo = INT64_MAX, price_hi = 0;
  int64_t hot_channel = 0, per_hot[4] = {0}, bad_extra = 0, extra_sum = 0;
  int64_t bad_url = 0, bidder_range = 0;
  for (int64_t id = 0; id < N_EVENTS; id++) {
    if (ed_nx_kind(id) != ED_NX_BID) continue;
    EdNxBid b;
    ed_nx_bid(&g, id, &b);
    n++;
    int64_t epoch = id / 50, last_auction = epoch * 3 + 2;
    int64_t hot_a = (last_auction / 100) * 100 + 1000;
    if (b.auction == hot_a) hot_auction++;
    else {
      int64_t lo = last_auction - 100 < 0 ? 0 : last_auction - 100;
      if (b.auction < lo + 1000 || b.auction > last_auction + 10 + 1000)
        out_of_range++;
      if (b.auction == last_auction + 10 + 1000) reach_top++;
    }
    int64_t hot_b = (epoch / 100) * 100 + 1 + 1000;
    if (b.bidder == hot_b) hot_bidder++;
    else {
      int64_t people = epoch + 1, active = people < 1000 ? people : 1000;
      if (b.bidder < people - active + 1000 || b.bidder > people + 9 + 1000)
        bidder_range++;
    }
    if (b.price < price_lo) price_lo = b.price;
    if (b.price > price_hi) price_hi = b.price;
    if (b.price < 10000) cheap++;
    static const char *hot[4] = {"Google", "Facebook", "Baidu", "Apple"};
    bool is_hot = false;
    for (int h = 0; h < 4; h++)
      if (str_eq(b.channel, hot[h])) {
        per_hot[h]++;
        is_hot = true;
      }
    hot_channel += is_hot;
    if (!is_hot && (b.channel.len < 9 ||
                    memcmp(b.channel.ptr, "channel-", 8) != 0))
      bad_url++;
    if (b.url.len < 40 ||
        memcmp(b.url.ptr, "https://www.nexmark.com/", 24) != 0 ||
        !memmem(b.url.ptr, b.url.len, "/item.htm?query=1", 17))
      bad_url++;
    if (b.extra.len < 54 || b.extra.len > 81 || !all_letters(b.extra, NULL))
      bad_extra++;
    extra_sum += b.extra.len;
  }
  TAP_EQ_INT(n, N_EVENTS / 50 * 46, "46 of 50 events are bids");
  /* P(hot) = 1/2 + 1/2 * 1/111 (a random pick may land on it). */
  double f = (double)hot_auction / (double)n;
  TAP_OK(fabs(f - 0.5045) < 0.006, "half of the bids go to the hot auction");
  printf("#   hot auction fraction %.4f\n", f);
  TAP_EQ_INT(out_of_range, 0, "other auctions in [last - 100, last + 10]");
  TAP_OK(reach_top > 0, "auction ids a few ahead of the last one occur");
  f = (double)hot_bidder / (double)n;
  TAP_OK(fabs(f - 0.7505) < 0.006, "three quarters of bids by hot bidders");
  printf("#   hot bidder fraction %.4f\n", f);
  TAP_EQ_INT(bidder_range, 0, "other bidders among the active people + 10");
  TAP_OK(price_lo >= 100 && price_hi <= 100000000, "prices in [100, 10^8]");
  TAP_OK(price_lo < 200 && price_hi > 50000000, "prices span the range");
  f = (double)cheap / (double)n;
  TAP_OK(fabs(f - 1.0 / 3.0) < 0.006,
         "log-uniform: a third of prices below 10^4");
  f = (double)hot_channel / (double)n;
  TAP_OK(fabs(f - 0.5) < 0.006, "half of the bids on a hot channel");
  int hot_ok = 1;
  for (int h = 0; h < 4; h++)
    if (fabs((double)per_hot[h] / (double)n - 0.125) > 0.005) hot_ok = 0;
  TAP_OK(hot_ok, "each hot channel an eighth of the bids");
  TAP_EQ_INT(bad_url, 0, "channel names and urls well formed");
  TAP_EQ_INT(bad_extra, 0, "bid extra: 54..81 letters");
  TAP_OK(fabs((double)extra_sum / (double)n - 67.5) < 0.5,
         "bid extra averages 100 - 32 bytes");
  ed_nx_gen_free(&g);
}

static void test_channels(void) {
  /* abs(Integer.reverse(i)), checked against the channel ids of
  ** RisingWave's Nexmark data (insert_bid.slt.part). */
  int64_t v[][2] = {{7568, 163053568}, {9319, 433848320},
                    {5775, 244842496}, {9550, 1923350528},
                    {5698, 1114112000}, {1, -2147483648LL}, {0, 0}};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    char name[64];
    snprintf(name, sizeof name, "channel_id of channel-%lld",
             (long long)v[i][0]);
    TAP_EQ_INT(ed_nx_channel_id((uint32_t)v[i][0]), v[i][1], name);
  }
  EdNxGen g;
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  int with_id = 0, bad = 0;
  for (int i = 0; i < ED_NX_CHANNELS; i++) {
    const EdNxChannel *c = &g.channels[i];
    char name[32], tail[48];
    snprintf(name, sizeof name, "channel-%d", i);
    snprintf(tail, sizeof tail, "&channel_id=%lld",
             (long long)ed_nx_channel_id((uint32_t)i));
    if (!str_eq(c->name, name)) bad++;
    size_t tl = strlen(tail);
    if (c->url.len > tl &&
        memcmp(c->url.ptr + c->url.len - tl, tail, tl) == 0)
      with_id++;
    else if (c->url.len < 16 ||
             memcmp(c->url.ptr + c->url.len - 16, "item.htm?query=1", 16))
      bad++;
  }
  TAP_EQ_INT(bad, 0, "channel-<i> names, urls end in query=1 or the id");
  TAP_OK(fabs(with_id / 10000.0 - 0.9) < 0.02,
         "90% of urls carry a channel_id");
  ed_nx_gen_free(&g);
}

static void test_people_auctions(void) {
  EdNxGen g;
  ed_nx_gen_init(&g, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  EdArena a;
  ed_arena_init(&a, 1 << 16);
  static const char *cities = "|Phoenix|Los Angeles|San Francisco|Boise|"
                              "Portland|Bend|Redmond|Seattle|Kent|Cheyenne|";
  static const char *states = "|AZ|CA|ID|OR|WA|WY|";
  int64_t np = 0, bad_person = 0, size_sum = 0;
  for (int64_t id = 0; id < N_EVENTS; id += 50) {
    EdNxPerson p;
    ed_nx_person(&g, id, &p, &a);
    np++;
    char key[64];
    snprintf(key, sizeof key, "|%.*s|", (int)p.city.len, p.city.ptr);
    if (!strstr(cities, key)) bad_person++;
    snprintf(key, sizeof key, "|%.*s|", (int)p.state.len, p.state.ptr);
    if (!strstr(states, key)) bad_person++;
    const char *at = memchr(p.email_address.ptr, '@', p.email_address.len);
    if (!at || p.email_address.len < 4 ||
        memcmp(p.email_address.ptr + p.email_address.len - 4, ".com", 4))
      bad_person++;
    if (p.credit_card.len != 19) bad_person++;
    for (int i = 0; i < 19; i++) {
      char ch = p.credit_card.ptr[i];
      if (i % 5 == 4 ? ch != ' ' : !(ch >= '0' && ch <= '9')) bad_person++;
    }
    if (!memchr(p.name.ptr, ' ', p.name.len)) bad_person++;
    size_sum += 8 + p.name.len + p.email_address.len + 19 + p.city.len + 2 +
                p.extra.len;
    ed_arena_reset(&a);
  }
  TAP_EQ_INT(bad_person, 0, "people: city, state, email, card, name");
  TAP_OK(fabs((double)size_sum / (double)np - 200) < 3,
         "people average about 200 bytes");

  int64_t nx = 0, hot_seller = 0, bad_auction = 0, cat[5] = {0};
  int64_t desc_long = 0, size_a = 0;
  for (int64_t id = 0; id < N_EVENTS; id++) {
    if (ed_nx_kind(id) != ED_NX_AUCTION) continue;
    EdNxAuction x;
    ed_nx_auction(&g, id, &x, &a);
    nx++;
    int64_t epoch = id / 50;
    if (x.seller == (epoch / 100) * 100 + 1000) hot_seller++;
    if (x.category < 10 || x.category > 14) bad_auction++;
    else cat[x.category - 10]++;
    if (x.reserve < x.initial_bid + 100 || x.initial_bid < 100) bad_auction++;
    /* expires: 1 + rand(2 * horizon) ms later, horizon = the time of
    ** 1666 events = 166 or 167 ms at 0.1 ms per event. */
    int64_t d = x.expires - x.date_time;
    if (d < 1000 || d > 335000 || d % 1000) bad_auction++;
    if (x.item_name.len > 19 || x.description.len > 99) bad_auction++;
    if (x.description.len > 60) desc_long++;
    if (!all_letters(x.item_name, " ") || !all_letters(x.extra, NULL))
      bad_auction++;
    size_a += 8 + x.item_name.len + x.description.len + 40 + x.extra.len;
    ed_arena_reset(&a);
  }
  TAP_EQ_INT(nx, N_EVENTS / 50 * 3, "3 of 50 events are auctions");
  TAP_EQ_INT(bad_auction, 0, "auctions: category, prices, expiry, strings");
  double f = (double)hot_seller / (double)nx;
  TAP_OK(fabs(f - 0.75) < 0.015, "three quarters of auctions by hot sellers");
  printf("#   hot seller fraction %.4f\n", f);
  int cat_ok = 1;
  for (int i = 0; i < 5; i++)
    if (fabs((double)cat[i] / (double)nx - 0.2) > 0.015) cat_ok = 0;
  TAP_OK(cat_ok, "categories 10..14 uniform");
  TAP_OK(desc_long > 0, "descriptions up to 99 characters occur");
  TAP_OK(fabs((double)size_a / (double)nx - 500) < 5,
         "auctions average about 500 bytes");
  ed_arena_free(&a);
  ed_nx_gen_free(&g);
}

static void test_determinism(void) {
  EdNxGen g1, g2, g3;
  ed_nx_gen_init(&g1, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  ed_nx_gen_init(&g2, 0, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  ed_nx_gen_init(&g3, 7, ED_NX_DEFAULT_BASE_MS, ED_NX_DEFAULT_RATE);
  int diff = 0, differs_seed = 0, same_price_run = 0;
  int64_t prev = -1;
  /* g2 generates in reverse order: an event depends on its id alone. */
  for (int64_t id = 9999; id >= 4; id--) {
    if (ed_nx_kind(id) != ED_NX_BID) continue;
    EdNxBid a, b, c;
    ed_nx_bid(&g1, id, &a);
    ed_nx_bid(&g2, id, &b);
    ed_nx_bid(&g3, id, &c);
    if (a.auction != b.auction || a.bidder != b.bidder ||
        a.price != b.price || a.date_time != b.date_time ||
        !str_eq(a.channel, "") != !str_eq(b.channel, "") ||
        a.channel.len != b.channel.len ||
        memcmp(a.channel.ptr, b.channel.ptr, a.channel.len) ||
        a.url.len != b.url.len || memcmp(a.url.ptr, b.url.ptr, a.url.len) ||
        a.extra.len != b.extra.len ||
        memcmp(a.extra.ptr, b.extra.ptr, a.extra.len))
      diff++;
    if (a.price != c.price) differs_seed++;
    if (a.price == prev) same_price_run++;
    prev = a.price;
  }
  TAP_EQ_INT(diff, 0, "same seed, same events in any order");
  TAP_OK(differs_seed > 9000, "another seed gives other prices");
  TAP_OK(same_price_run < 10, "consecutive bids have independent prices");
  ed_nx_gen_free(&g1);
  ed_nx_gen_free(&g2);
  ed_nx_gen_free(&g3);
}

int main(void) {
  test_kinds_and_ids();
  test_event_time();
  test_bids();
  test_channels();
  test_people_auctions();
  test_determinism();
  return tap_done();
}
