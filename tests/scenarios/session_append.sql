-- Session windows per user with a 5-second gap: a row opens [ts, ts + 5s)
-- and joins every session of its user that it touches.  The watermark is
-- the largest event time (no delay).  No EMIT clause: APPEND, so a session
-- is written once the watermark reaches its end, and a row whose own
-- window [ts, ts + 5s) has ended before the batch's watermark is dropped.
.mode csv
CREATE STREAM s (uid VARCHAR, ts TIMESTAMP, WATERMARK FOR ts AS ts);
SELECT uid, session_window(ts, '5 seconds') AS s, count(*) AS n
FROM s
GROUP BY uid, session_window(ts, '5 seconds');
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
