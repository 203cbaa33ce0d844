-- The input of tumbling_append.sql in UPDATE mode: each batch writes the
-- windows it changed.  The no-data batch after a watermark move evicts the
-- windows it has passed but changes no row, so it writes nothing; the
-- late row of step 4 is dropped, so window [00:00, 00:10) for page a is
-- not written again.
.mode csv
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
SELECT window(ts, '10 seconds') AS w, page, count(*) AS n
FROM clicks
GROUP BY window(ts, '10 seconds'), page
EMIT UPDATE;
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
