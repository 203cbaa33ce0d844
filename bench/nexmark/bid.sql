-- The Nexmark bid stream: 100 million generator events (92 million bids),
-- made as fast as the query takes them; event time 0.1 ms per event.
CREATE STREAM bid (
  auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
) WITH (connector = 'nexmark', table = 'bid', events = 100000000);
