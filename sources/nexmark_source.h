/*
** sources/nexmark_source.h — the nexmark connector (sources/src_nexmark.c):
** a stream of one kind of Nexmark events (person, auction or bid) made by
** the generator of sources/nexmark_gen.h, for benchmarks.
**
**   CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT,
**     channel VARCHAR, url VARCHAR, date_time TIMESTAMP, extra VARCHAR,
**     WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
**   WITH (connector = 'nexmark', table = 'bid', events = 100000000);
**
** Options: table ('person', 'auction' or 'bid'; required), events (how
** many generator events — of all kinds — to make, then the stream ends;
** absent: it never ends), events_per_second (paces the generator on the
** wall clock and sets the event-time gap to 10^6 / rate us; absent: as
** fast as the query takes them, event time at the reference's default
** 10,000 events/s), max_rows_per_trigger (rows of the stream per
** micro-batch; absent and unpaced: ED_NEXMARK_BATCH_ROWS).  The stream's
** rows are the events of its kind only: a bid stream sees 46 of every 50
** events.  Columns are named as RisingWave names them; a stream may declare
** any subset of its kind's columns, in any order.
**
** These entry points are called by sources/stream_source.c before its own
** connectors (the nexmark options are not those of EdSrcConf).
*/
#ifndef ED_NEXMARK_SOURCE_H
#define ED_NEXMARK_SOURCE_H

#include <stdbool.h>

#include "sources/stream_source.h"

/* Rows per micro-batch of an unpaced stream without max_rows_per_trigger:
** large enough that per-batch costs vanish, small enough that the
** watermark moves (about 100 s of event time for bids). */
#define ED_NEXMARK_BATCH_ROWS 1000000

/* Whether connector names the nexmark connector (case-insensitive). */
bool ed_nexmark_is(const char *connector);

/* ed_stream_prepare for a nexmark stream: validates the options (unknown
** names and invalid values are errors naming the option and the accepted
** values; *bad_option receives the index of the option at fault or -1),
** checks the declared columns, or fills schema with the kind's columns
** when none are declared.  0 or -1 with err set (ED_ERR_BIND). */
int ed_nexmark_prepare(const EdOption *opts, int nopts, EdSchema *schema,
                       int *bad_option, EdError *err);

/* ed_stream_default_schema for a nexmark stream: the kind's columns. */
int ed_nexmark_default_schema(const EdOption *opts, int nopts,
                              EdSchema *out, EdError *err);

/* Opens the source of nexmark stream t.  NULL with err set. */
EdStreamSource *ed_nexmark_open(const EdTable *t, EdError *err);

#endif
