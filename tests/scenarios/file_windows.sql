-- A file stream (finite input) read two records per micro-batch
-- (max_rows_per_trigger = 2): 10-second tumbling windows, watermark 5
-- seconds behind, APPEND (the default).  Batches: {00:01, 00:03},
-- {00:12, 00:02}, {00:25, 00:14}, {00:04}.  After the third the watermark
-- is 00:20, so the last row's window [00:00, 00:10) has ended: it is
-- dropped (read in one batch, it would have counted).  When the file ends
-- the watermark goes to +infinity and the open window is written; the
-- statement returns once the query has stopped.  The second query reads
-- the file again in COMPLETE mode: the whole table after each of the four
-- batches (the last one's row is filtered out), nothing at the end.
.mode csv
CREATE STREAM ev (ts TIMESTAMP, page VARCHAR,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds')
  WITH (connector = 'file', path = 'data/events.csv', format = 'csv',
        header = true, max_rows_per_trigger = 2);
.print -- start
SELECT window(ts, '10 seconds') AS w, count(*) AS n
FROM ev GROUP BY window(ts, '10 seconds');
.print -- after
SELECT page, count(*) AS n FROM ev WHERE page <> 'c' GROUP BY page EMIT COMPLETE;
.print -- end
