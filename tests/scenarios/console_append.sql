-- The console (table format): every micro-batch prints "Batch: N" and a
-- table of the rows it wrote, an empty batch just the header box, each
-- followed by a blank line.  APPEND over the raw event time with a
-- 1-second watermark delay: a group is final once its time is <= the
-- watermark, written by the no-data batch that follows the batch that
-- moved the watermark (batches 1 and 3); a late row (step 3) is dropped
-- and its batch prints an empty table; the end of the script runs the
-- final batch.
.mode table
CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1 second');
SELECT ts, count(*) AS n FROM s GROUP BY ts;
.print -- step 1
INSERT INTO s VALUES ('2024-01-01 10:00:01'), ('2024-01-01 10:00:01'),
                     ('2024-01-01 10:00:02');
.print -- step 2
INSERT INTO s VALUES ('2024-01-01 10:00:02'), ('2024-01-01 10:00:05');
.print -- step 3
INSERT INTO s VALUES ('2024-01-01 10:00:03');
.print -- end
