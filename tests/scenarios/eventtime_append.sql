-- Grouping by the raw event-time column (the watermark column itself),
-- watermark 2 seconds behind.  No EMIT clause: APPEND.  A group is final,
-- written and evicted, once its time is <= the watermark; a row whose time
-- is <= the batch's watermark is late and dropped.
.mode csv
CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2 seconds');
SELECT ts, count(*) AS n FROM s GROUP BY ts;
.print -- step 1
INSERT INTO s VALUES ('2024-01-01 10:00:10'), ('2024-01-01 10:00:10'), ('2024-01-01 10:00:11');
.print -- step 2
INSERT INTO s VALUES ('2024-01-01 10:00:13'), ('2024-01-01 10:00:10');
.print -- step 3
INSERT INTO s VALUES ('2024-01-01 10:00:11'), ('2024-01-01 10:00:14');
.print -- end
