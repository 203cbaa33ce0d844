-- How the watermark moves (DESIGN §4), with 5-second tumbling windows in
-- APPEND mode and a 2-second delay:
--   step 1: both rows count, for a batch uses the watermark computed after
--           the previous one (the epoch here), not the one its own rows
--           give; afterwards it is 10:00:35 and [10:00:10, 10:00:15) is
--           final;
--   steps 2 and 3: rows with smaller event times do not move it back, so
--           window [10:00:30, 10:00:35) stays closed and both rows are
--           dropped;
--   step 4: it moves to 10:00:41 and [10:00:35, 10:00:40) is final.
.mode csv
CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '2 seconds');
SELECT window(ts, '5 seconds') AS w, count(*) AS n
FROM s GROUP BY window(ts, '5 seconds') EMIT APPEND;
.print -- step 1
INSERT INTO s VALUES ('2024-01-01 10:00:37'), ('2024-01-01 10:00:12');
.print -- step 2
INSERT INTO s VALUES ('2024-01-01 10:00:33');
.print -- step 3
INSERT INTO s VALUES ('2024-01-01 10:00:34');
.print -- step 4
INSERT INTO s VALUES ('2024-01-01 10:00:43');
.print -- end
