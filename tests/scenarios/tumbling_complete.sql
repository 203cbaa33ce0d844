-- The input of tumbling_append.sql in COMPLETE mode: every batch writes the
-- whole result table.  COMPLETE keeps every window and drops no late row
-- (its result must stay complete): the row of step 4 for the window that
-- the watermark has passed still counts.  No watermark-bounded state, so
-- no no-data batch and nothing more at the end.
.mode csv
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
SELECT window(ts, '10 seconds') AS w, page, count(*) AS n
FROM clicks
GROUP BY window(ts, '10 seconds'), page
EMIT COMPLETE;
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
