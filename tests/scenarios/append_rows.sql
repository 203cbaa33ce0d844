-- A query without aggregation appends its output rows: a filter and a
-- projection over a memory stream, each INSERT's matching rows written in
-- its step; nothing is held back, so the end writes nothing.
.mode csv
CREATE STREAM s (id BIGINT, name VARCHAR, score DOUBLE);
SELECT id, upper(name) AS name, score * 2 AS twice FROM s WHERE score >= 1.5;
.print -- step 1
INSERT INTO s VALUES (1, 'ann', 1.5), (2, 'bob', 0.5);
.print -- step 2
INSERT INTO s VALUES (3, 'cy', 0.25);
.print -- step 3
INSERT INTO s VALUES (4, 'dee', 4.0), (5, NULL, 2.5);
.print -- end
