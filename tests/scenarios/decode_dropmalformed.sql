-- DROPMALFORMED drops malformed records and counts them; with
-- bad_records_path each dropped line is kept, with its line number and
-- reason, in <dir>/bad_records.jsonl, read back here as a table.
.mode csv
CREATE STREAM p (id BIGINT, name VARCHAR, age BIGINT)
  WITH (connector = 'file', path = 'data/people_bad.csv', format = 'csv',
        header = true, mode = 'DROPMALFORMED', bad_records_path = 'bad');
SELECT id, name, age FROM p;
.print -- bad records
CREATE TABLE bad WITH (connector = 'file', path = 'bad/bad_records.jsonl',
                       format = 'jsonl');
SELECT line, record, reason IS NOT NULL AND reason <> '' AS has_reason
FROM bad ORDER BY line;
.print -- end
