-- Sliding windows of 10 seconds every 5 seconds (each row counts in the two
-- windows that cover it), watermark 5 seconds behind the largest event
-- time, EMIT UPDATE: the windows each batch changed; late (row, window) pairs
-- are dropped one window at a time.
.mode csv
CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
SELECT window(ts, '10 seconds', '5 seconds') AS w, count(*) AS n
FROM s
GROUP BY window(ts, '10 seconds', '5 seconds')
EMIT UPDATE;
.print -- step 1
INSERT INTO s VALUES ('2024-01-01 10:00:21'), ('2024-01-01 10:00:27');
.print -- step 2
INSERT INTO s VALUES ('2024-01-01 10:00:33'), ('2024-01-01 10:00:18');
.print -- step 3
INSERT INTO s VALUES ('2024-01-01 10:00:24');
.print -- step 4
INSERT INTO s VALUES ('2024-01-01 10:00:41');
.print -- end
