/*
** sources/nexmark_gen.h — the Nexmark event generator: the auction-site
** events of the standard streaming benchmark (people, auctions, bids),
** computed deterministically from the event number.
**
** The rules are those of the reference generator's default configuration
** (the nexmark/nexmark repository, documented for this project in
** shared/corpora/nexmark/README.md):
**
**   - event n has id n; its kind is id % 50: 0 person, 1-3 auction, 4-49
**     bid (1 : 3 : 46);
**   - its event time is base + floor(n * delay_us) / 1000 milliseconds,
**     delay_us = 10^6 / rate (rate 10,000 events/s by default: 0.1 ms per
**     event, in whole milliseconds as the reference keeps them);
**   - person id 1000 + id/50; auction id 1000 + (id/50)*3 + (id%50 - 1);
**     hot sellers, bidders and auctions, log-uniform prices, channels and
**     the sizes of the string fields as the README lists them.
**
** Randomness: SplitMix64 (Steele, Lea and Flood, "Fast splittable
** pseudorandom number generators", OOPSLA 2014 — the generator behind
** Java's SplittableRandom).  Every event has its own stream, started at
** mix64(seed + n * 0x9e3779b97f4a7c15) and advanced by the golden gamma
** (draw k is mix64(start + k * gamma)), so an event depends on nothing but
** (seed, n): any event can be generated alone, in any order, a stream of
** one kind skips the others at no cost, and a run is replayable from an
** event number.  People and auctions take their draws in sequence; a bid
** packs its choices into four draws (the coins and the channel; the other
** auction and bidder; the price; the extra's size and offset, see
** bid_core in nexmark_gen.c) so that its fields are computed without
** branches.  A draw bounded by n is the multiply-shift (r * n) >> 64 (or
** >> 32 from 32 random bits); a price takes the top 53 bits as U.  The
** draws are not those of the reference (its generator is seeded from the
** clock), so the values are equal in distribution, not one by one.
**
** Strings: channel names and urls come from tables built once per
** generator (4 hot channels, 10,000 others), names from the 99 first/last
** name pairs, and the `extra` padding of every kind is a slice of one
** 1 MiB string of random letters (as the reference does), so a bid costs no
** string formatting and no copy: its EdStr fields point into the
** generator, which must outlive the batches that carry them.  Person and
** auction strings that are random per event (email, credit card, item
** name, description) are written into an arena the caller gives.
*/
#ifndef ED_NEXMARK_GEN_H
#define ED_NEXMARK_GEN_H

#include <stdint.h>

#include "common/arena.h"
#include "common/types.h"

#define ED_NX_TOTAL_PROP 50        /* events per "epoch" of the id cycle */
#define ED_NX_PERSON_PROP 1
#define ED_NX_AUCTION_PROP 3
#define ED_NX_BID_PROP 46
#define ED_NX_FIRST_PERSON_ID 1000
#define ED_NX_FIRST_AUCTION_ID 1000
#define ED_NX_FIRST_CATEGORY_ID 10
#define ED_NX_DEFAULT_RATE 10000   /* events per second of event time */
/* 2015-07-15 00:00:00 UTC in milliseconds, the base time RisingWave's
** generator uses: a fixed base keeps runs identical. */
#define ED_NX_DEFAULT_BASE_MS INT64_C(1436918400000)
#define ED_NX_CHANNELS 10000
#define ED_NX_EXTRA_POOL (1u << 20)

typedef enum EdNxKind { ED_NX_PERSON = 0, ED_NX_AUCTION, ED_NX_BID } EdNxKind;

typedef struct EdNxPerson {
  int64_t id;
  EdStr name, email_address, credit_card, city, state;
  int64_t date_time;         /* microseconds since the epoch */
  EdStr extra;
} EdNxPerson;

typedef struct EdNxAuction {
  int64_t id;
  EdStr item_name, description;
  int64_t initial_bid, reserve;
  int64_t date_time, expires; /* microseconds */
  int64_t seller, category;
  EdStr extra;
} EdNxAuction;

typedef struct EdNxBid {
  int64_t auction, bidder, price;
  EdStr channel, url;
  int64_t date_time;          /* microseconds */
  EdStr extra;
} EdNxBid;

typedef struct EdNxChannel {
  EdStr name, url;
} EdNxChannel;

/* A generator: the configuration and the string tables. */
typedef struct EdNxGen {
  uint64_t seed;
  int64_t base_ms;            /* event time of event 0, in ms */
  double delay_us;            /* event-time gap between events */
  int64_t delay_int_us;       /* the same when whole (fast path), else -1 */
  char *extra_pool;           /* ED_NX_EXTRA_POOL random letters */
  EdNxChannel *all_channels;  /* the 4 hot ones, then the others */
  EdNxChannel *hot;           /* all_channels[0..4) */
  EdNxChannel *channels;      /* all_channels[4..), ED_NX_CHANNELS */
  EdStr names[11 * 9];        /* "First Last" */
  EdArena strings;            /* bytes of the tables above */
} EdNxGen;

/* Builds a generator: event time starts at base_ms and advances 10^6 /
** rate microseconds per event (rate > 0 events/s).  The tables are made
** from seed, deterministically.  Free with ed_nx_gen_free. */
void ed_nx_gen_init(EdNxGen *g, uint64_t seed, int64_t base_ms,
                    int64_t rate);
void ed_nx_gen_free(EdNxGen *g);

/* Kind of event id. */
static inline EdNxKind ed_nx_kind(int64_t id) {
  int64_t off = id % ED_NX_TOTAL_PROP;
  return off < ED_NX_PERSON_PROP ? ED_NX_PERSON
         : off < ED_NX_PERSON_PROP + ED_NX_AUCTION_PROP ? ED_NX_AUCTION
                                                         : ED_NX_BID;
}

/* Number of events of kind k among ids [0, n). */
int64_t ed_nx_count_before(EdNxKind k, int64_t n);

/* Id of the r-th (0-based) event of kind k. */
int64_t ed_nx_id_of(EdNxKind k, int64_t r);

/* Event time of event n, in microseconds (whole milliseconds). */
int64_t ed_nx_event_time(const EdNxGen *g, int64_t n);

/* The base-0 id of the last person / auction generated at or before event
** id (the reference's lastBase0PersonId / lastBase0AuctionId). */
int64_t ed_nx_last_person(int64_t id);
int64_t ed_nx_last_auction(int64_t id);

/* The channel_id of channel i's url: abs(Integer.reverse(i)) with Java's
** 32-bit arithmetic (so channel 1 gives -2147483648, as the reference). */
int64_t ed_nx_channel_id(uint32_t i);

/* Column arrays for ed_nx_bids. */
typedef struct EdNxBidCols {
  int64_t *auction, *bidder, *price, *date_time;
  EdStr *channel, *url, *extra;
} EdNxBidCols;

/* Generates the bids of rows [first_row, first_row + count) of the bid
** kind (row r is event ed_nx_id_of(ED_NX_BID, r)) into out's arrays at
** [0, count): the same values as ed_nx_bid, without a call per row. */
void ed_nx_bids(const EdNxGen *g, int64_t first_row, int count,
                const EdNxBidCols *out);

/* Generates the event with id n, which must be of the function's kind.
** Person and auction strings drawn per event go into arena a. */
void ed_nx_bid(const EdNxGen *g, int64_t n, EdNxBid *out);
void ed_nx_auction(const EdNxGen *g, int64_t n, EdNxAuction *out,
                   EdArena *a);
void ed_nx_person(const EdNxGen *g, int64_t n, EdNxPerson *out, EdArena *a);

#endif
