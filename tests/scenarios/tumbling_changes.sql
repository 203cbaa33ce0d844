-- The input of tumbling_append.sql with EMIT CHANGES in the csv format:
-- UPDATE's rows as a changelog, an op column first: +I the first time a
-- row appears, then -U with the old values and +U with the new ones.  A
-- window that the watermark passes is final, not deleted: no -D.
.mode csv
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
SELECT window(ts, '10 seconds') AS w, page, count(*) AS n
FROM clicks
GROUP BY window(ts, '10 seconds'), page
EMIT CHANGES;
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
