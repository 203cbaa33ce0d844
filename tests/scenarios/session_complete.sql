-- The input of session_append.sql in COMPLETE mode: every session after
-- each batch; late rows still join sessions (COMPLETE drops nothing), so
-- u1's row at 10:00:13 extends [10:00:10, 10:00:17) to 10:00:18.
.mode csv
CREATE STREAM s (uid VARCHAR, ts TIMESTAMP, WATERMARK FOR ts AS ts);
SELECT uid, session_window(ts, '5 seconds') AS s, count(*) AS n
FROM s
GROUP BY uid, session_window(ts, '5 seconds')
EMIT COMPLETE;
.print -- step 1
INSERT INTO s VALUES ('u1', '2024-01-01 10:00:10'), ('u1', '2024-01-01 10:00:12'),
                     ('u2', '2024-01-01 10:00:11');
.print -- step 2
INSERT INTO s VALUES ('u1', '2024-01-01 10:00:20'), ('u2', '2024-01-01 10:00:14');
.print -- step 3
INSERT INTO s VALUES ('u1', '2024-01-01 10:00:13'), ('u2', '2024-01-01 10:00:22');
.print -- step 4
INSERT INTO s VALUES ('u1', '2024-01-01 10:00:24');
.print -- end
