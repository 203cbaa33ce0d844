-- c. requests per page in 10-second tumbling windows (APPEND: each window
-- once, when the watermark passes its end or the file ends).
SELECT window(ts, '10 seconds') AS w, page, count(*) AS n FROM events
GROUP BY window(ts, '10 seconds'), page
TRIGGER AVAILABLE NOW;
