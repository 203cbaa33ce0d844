-- FAILFAST stops the query at the first malformed record with its line
-- and reason; the script stops there (exit status 1).  Two records per
-- batch: the first batch is written before the second one fails on line
-- 4; nothing of the failing batch is written.
.mode csv
CREATE STREAM p (id BIGINT, name VARCHAR)
  WITH (connector = 'file', path = 'data/failfast.csv', format = 'csv',
        header = true, mode = 'FAILFAST', max_rows_per_trigger = 2);
SELECT id, name FROM p;
.print -- not reached
