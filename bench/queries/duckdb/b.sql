SELECT page, count(*) AS n, avg(latency_ms) AS a FROM {SRC} GROUP BY page
