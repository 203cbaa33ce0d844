-- a. slow requests: one count over the whole file.
SELECT count(*) AS n FROM events WHERE latency_ms > 100
TRIGGER AVAILABLE NOW;
