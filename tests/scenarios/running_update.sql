-- Running aggregates per key, without a window or a watermark: the
-- DStream updateStateByKey case.  No EMIT clause: UPDATE, the default for
-- an aggregation that no watermark bounds; each batch writes the keys it
-- changed, with every aggregate over all the key's rows so far.  NULLs:
-- count(*) counts the row, the other aggregates ignore it, count(DISTINCT)
-- of no value is 0 and sum/avg/min/max of none are NULL (empty in csv).
.mode csv
CREATE STREAM s (k VARCHAR, v BIGINT);
SELECT k, count(*) AS n, sum(v) AS total, avg(v) AS mean, min(v) AS lo,
       max(v) AS hi, count(DISTINCT v) AS kinds
FROM s GROUP BY k;
.print -- step 1
INSERT INTO s VALUES ('a', 1), ('a', 3), ('b', 2);
.print -- step 2
INSERT INTO s VALUES ('a', 3), ('c', NULL);
.print -- step 3
INSERT INTO s VALUES ('b', 5), ('b', NULL);
.print -- step 4
INSERT INTO s VALUES ('c', 4), ('a', -1);
.print -- end
