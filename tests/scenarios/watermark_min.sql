-- A query over two streams (UNION ALL) has the smaller of their watermarks
-- (DESIGN §4), so a stream that lags holds the windows back.  10-second
-- tumbling windows, APPEND, no delay.
--   step 1: a reaches 10:00:25 but b has no row: the watermark stays at
--           the epoch and nothing is final;
--   step 2: b reaches 10:00:15: the watermark is 10:00:15 and
--           [10:00:00, 10:00:10) is final;
--   step 3: a's row for that window is late and dropped;
--   step 4: b reaches 10:00:40, a is still at 10:00:25: the watermark is
--           10:00:25 and only [10:00:10, 10:00:20) is final.
.mode csv
CREATE STREAM a (ts TIMESTAMP, WATERMARK FOR ts AS ts);
CREATE STREAM b (ts TIMESTAMP, WATERMARK FOR ts AS ts);
SELECT window(ts, '10 seconds') AS w, count(*) AS n
FROM (SELECT ts FROM a UNION ALL SELECT ts FROM b)
GROUP BY window(ts, '10 seconds') EMIT APPEND;
.print -- step 1
INSERT INTO a VALUES ('2024-01-01 10:00:05'), ('2024-01-01 10:00:25');
.print -- step 2
INSERT INTO b VALUES ('2024-01-01 10:00:15');
.print -- step 3
INSERT INTO a VALUES ('2024-01-01 10:00:02');
.print -- step 4
INSERT INTO b VALUES ('2024-01-01 10:00:40');
.print -- end
