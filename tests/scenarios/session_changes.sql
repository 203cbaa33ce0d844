-- Session windows (5-second gap, no other key, no watermark) with EMIT
-- CHANGES.  A session that grows keeps its identity: -U with its old
-- bounds and count, +U with the new ones.  When a row joins two sessions,
-- the merged session continues the earlier one (it keeps that start):
-- that one is updated, and the later one, which disappears into it, is
-- deleted with -D.
.mode csv
CREATE STREAM s (ts TIMESTAMP);
SELECT session_window(ts, '5 seconds') AS s, count(*) AS n
FROM s
GROUP BY session_window(ts, '5 seconds')
EMIT CHANGES;
.print -- step 1
INSERT INTO s VALUES ('2024-01-01 10:00:10');
.print -- step 2
INSERT INTO s VALUES ('2024-01-01 10:00:20');
.print -- step 3
INSERT INTO s VALUES ('2024-01-01 10:00:12');
.print -- step 4
INSERT INTO s VALUES ('2024-01-01 10:00:17');
.print -- end
