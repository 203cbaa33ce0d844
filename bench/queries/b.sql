-- b. requests and mean latency per page (50 groups).
SELECT page, count(*) AS n, avg(latency_ms) AS a FROM events
GROUP BY page
TRIGGER AVAILABLE NOW;
