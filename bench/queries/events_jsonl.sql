-- The events dataset as a stream over bench/data/events.jsonl (run from
-- bench/data).  The watermark lets query c emit each window once (APPEND).
CREATE STREAM events (
  ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE,
  WATERMARK FOR ts AS ts - INTERVAL '1 second'
) WITH (connector = 'file', path = 'events.jsonl', format = 'jsonl');
