-- 10-second tumbling windows per page, watermark 5 seconds behind the
-- largest event time, no EMIT clause: APPEND, the default for a window on
-- the watermark column.  A window is written once, when the watermark
-- reaches its end, by the no-data batch that follows the batch that moved
-- the watermark (so in the step of the INSERT that moved it); a row whose
-- window has ended before the batch's watermark is dropped; the end of the
-- script writes the windows still open.
.mode csv
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
SELECT window(ts, '10 seconds') AS w, page, count(*) AS n
FROM clicks
GROUP BY window(ts, '10 seconds'), page;
.print -- step 1
INSERT INTO clicks VALUES ('2024-01-01 00:00:01', 'a'), ('2024-01-01 00:00:04', 'b'),
                          ('2024-01-01 00:00:09', 'a');
.print -- step 2
INSERT INTO clicks VALUES ('2024-01-01 00:00:12', 'a'), ('2024-01-01 00:00:03', 'b');
.print -- step 3
INSERT INTO clicks VALUES ('2024-01-01 00:00:16', 'b');
.print -- step 4
INSERT INTO clicks VALUES ('2024-01-01 00:00:08', 'a'), ('2024-01-01 00:00:19', 'a');
.print -- end
