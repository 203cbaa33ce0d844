SELECT count(*) AS n FROM events WHERE latency_ms > 100;
