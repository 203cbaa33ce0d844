SELECT page, count(*) AS n, avg(latency_ms) AS a FROM events GROUP BY page;
