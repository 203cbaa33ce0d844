-- A planning error: the query is rejected before anything runs, with a
-- message that names the mode, the reason and the fix; exit status 1.
.print -- start
CREATE STREAM s (ts TIMESTAMP, k VARCHAR, v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');
CREATE STREAM plain (k VARCHAR, v BIGINT);
CREATE TABLE t (k VARCHAR, name VARCHAR);
SELECT k, count(*) AS n FROM plain GROUP BY k WITH (state_tll = '1 hour');
.print -- not reached
