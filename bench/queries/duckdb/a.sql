SELECT count(*) AS n FROM {SRC} WHERE latency_ms > 100
