-- Loads bench/data/events.jsonl: each line as text, then its fields into
-- the same typed table as the CSV import (run from bench/data).
CREATE TABLE raw(j TEXT);
.mode ascii
.separator "\037" "\n"
.import events.jsonl raw
CREATE TABLE events AS
  SELECT CAST(json_extract(j, '$.ts') AS TEXT) AS ts,
         CAST(json_extract(j, '$.user_id') AS INTEGER) AS user_id,
         CAST(json_extract(j, '$.page') AS TEXT) AS page,
         CAST(json_extract(j, '$.latency_ms') AS REAL) AS latency_ms
  FROM raw;
DROP TABLE raw;
