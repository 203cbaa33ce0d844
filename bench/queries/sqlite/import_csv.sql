-- Loads bench/data/events.csv into a typed table (run from bench/data).
CREATE TABLE events(ts TEXT, user_id INTEGER, page TEXT, latency_ms REAL);
.import --csv --skip 1 events.csv events
