-- PERMISSIVE (the default mode): a malformed record keeps its row, the
-- fields that failed are NULL and the raw record goes to _corrupt_record
-- when the stream declares it; stderr counts the malformed records.
-- Line 3 has an age that is not a number; line 5 has one field of three.
.mode csv
CREATE STREAM p (id BIGINT, name VARCHAR, age BIGINT, _corrupt_record VARCHAR)
  WITH (connector = 'file', path = 'data/people_bad.csv', format = 'csv',
        header = true);
SELECT * FROM p;
.print -- without _corrupt_record
CREATE STREAM q (id BIGINT, name VARCHAR, age BIGINT)
  WITH (connector = 'file', path = 'data/people_bad.csv', format = 'csv',
        header = true, mode = 'PERMISSIVE');
SELECT id, age FROM q;
.print -- end
