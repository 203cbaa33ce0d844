#!/usr/bin/env bash
# tests/e2e/errors.sh — error messages: "line L, column C", the source line
# and a caret under the offending token (DESIGN §6), the file name for -f,
# and the messages of the session's own checks (CREATE, DROP, INSERT, SET,
# watermarks, connectors).  Positions are counted by hand in the SQL below.
. "$(dirname "$0")/lib.sh"

# check_error NAME SQL LINE COL TEXT: running SQL with -e fails with exit
# status 1; stderr is
#   Error: line LINE, column COL: ...TEXT...
#     <line LINE of SQL>
#     <COL-1 blanks>^
check_error() {
  local name=$1 sql=$2 line=$3 col=$4 text=$5
  run_eddy -e "$sql"
  rc_is 1 "$name: exit status 1"
  local first second third src caret
  first=$(sed -n 1p <<<"$ERR")
  second=$(sed -n 2p <<<"$ERR")
  third=$(sed -n 3p <<<"$ERR")
  src=$(sed -n "${line}p" <<<"$sql")
  caret="  $(printf '%*s' $((col - 1)) '')^"
  like "$first" "Error: line $line, column $col: " "$name: line and column"
  like "$first" "$text" "$name: message"
  is "$second" "  $src" "$name: the source line"
  is "$third" "$caret" "$name: the caret"
}

# --- syntax and binding errors (parser, binder)
check_error "syntax error" "SELECT * FORM t;" 1 10 "FORM"
check_error "error on a later line" "SELECT 1 AS a;
SELECT x
  FROM nosuch;" 3 8 "nosuch"
check_error "unknown column" "CREATE TABLE t (alpha BIGINT, beta BIGINT);
SELECT alpah FROM t;" 2 8 "alpah"

run_eddy -e "SELECT 1 AS a;
SELECT x
  FROM nosuch;"
is "$OUT" $'a\n1' "the statement before the error ran"

# --- -f: the message names the file
printf 'SELECT 1 AS a;\n\nSELECT b\n  FROM nowhere;\n' > bad.sql
run_eddy -f bad.sql
rc_is 1 "-f with an error exits 1"
like "$(sed -n 1p <<<"$ERR")" "Error: bad.sql:4:8: " "-f errors give file:line:column"
is "$(sed -n 2p <<<"$ERR")" "    FROM nowhere;" "-f errors show the source line"
is "$(sed -n 3p <<<"$ERR")" "         ^" "-f errors show the caret"

# An execution error has no column: the message names the statement's line.
printf 'SELECT 1 AS a;\n\n-- overflow (BIGINT arithmetic is checked)\nSELECT 9223372036854775807 + 1 AS x;\n' > ovf.sql
run_eddy -f ovf.sql
rc_is 1 "an execution error in -f exits 1"
like "$ERR" "Error: ovf.sql:4: " "an execution error names the file and the statement's line"

printf 'SELECT 1 AS a;\nSELECT * FROM gone;\n' | "$EDDY" >/dev/null 2>stdin.err
like "$(cat stdin.err)" "Error: line 2, column 15: " "stdin errors give line and column"

# --- CREATE
check_error "duplicate table" "CREATE TABLE t (a BIGINT);
CREATE TABLE t (b BIGINT);" 2 14 'a table named "t" already exists'
check_error "duplicate across kinds" "CREATE STREAM s (a BIGINT);
CREATE TABLE s (b BIGINT);" 2 14 'a stream named "s" already exists'
check_error "duplicate column" "CREATE TABLE t (a BIGINT, b VARCHAR, a DOUBLE);" 1 38 'column "a" is declared twice'
check_error "unknown connector" "CREATE TABLE t (a BIGINT) WITH (connector = 'ftp');" 1 45 'unknown connector "ftp": valid connectors are memory, file'
check_error "unknown option" "CREATE TABLE t (a BIGINT)
  WITH (connector = 'memory', colour = 'red');" 2 31 'unknown option "colour" for connector "memory": valid options are connector'
check_error "file option list" "CREATE TABLE t (a BIGINT) WITH (connector = 'file', path = 'x.csv', format = 'csv', colour = 1);" 1 85 'valid options are connector, path, format, header, delimiter, mode, bad_records_path'
check_error "file without path" "CREATE TABLE t (a BIGINT) WITH (connector = 'file', format = 'csv');" 1 1 'needs the options path and format'
check_error "missing file" "CREATE TABLE t (a BIGINT) WITH (connector = 'file', path = 'nope.csv', format = 'csv');" 1 60 'cannot read "nope.csv"'
check_error "memory table without columns" "CREATE TABLE t WITH (connector = 'memory');" 1 1 'needs a column list'
check_error "CREATE SINK format" "CREATE SINK out WITH (connector = 'file', path = 'o/', format = 'parquet');" 1 65 "invalid format 'parquet' for a file sink: use csv or jsonl"
check_error "CREATE SINK connector" "CREATE SINK out WITH (connector = 'kafkaa');" 1 35 'unknown sink connector "kafkaa": valid connectors are console, file, memory, stdout'
check_error "CREATE SINK option" "CREATE SINK out WITH (connector = 'console', rows = 5);" 1 46 'unknown option "rows" for a console sink: valid options are connector, num_rows, truncate'
check_error "CREATE SINK num_rows" "CREATE SINK out WITH (connector = 'console', num_rows = 0);" 1 57 "invalid num_rows '0': use a number of rows (at least 1)"
check_error "CREATE SINK file path" "CREATE SINK out WITH (connector = 'file', format = 'csv');" 1 1 "a file sink needs a directory"

run_eddy -e "CREATE TABLE t (a BIGINT); CREATE TABLE IF NOT EXISTS t (b VARCHAR); INSERT INTO t VALUES (1); SELECT a FROM t;"
rc_is 0 "CREATE ... IF NOT EXISTS keeps the existing table"
is "$OUT" $'a\n1' "the existing table is unchanged"

# --- watermarks
check_error "watermark column type" "CREATE STREAM s (ts BIGINT, WATERMARK FOR ts AS ts - INTERVAL '1 second');" 1 43 'watermark column "ts" must be TIMESTAMP, not BIGINT'
check_error "watermark unknown column" "CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR tz AS tz - INTERVAL '1 second');" 1 46 'watermark column "tz" is not a column of "s"'
check_error "watermark expression" "CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts + INTERVAL '1 second');" 1 52 "ts - INTERVAL '<delay>'"
run_eddy -e "CREATE STREAM s (ts TIMESTAMP, v BIGINT, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND);" -e ".schema s"
is "$OUT" "CREATE STREAM s (ts TIMESTAMP, v BIGINT, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');" "a valid watermark is kept"

# --- DROP
check_error "DROP of the wrong kind" "CREATE TABLE t (a BIGINT);
DROP STREAM t;" 2 13 '"t" is a table, not a stream (use DROP TABLE)'
check_error "DROP of an unknown table" "DROP TABLE nosuch;" 1 12 'no table named "nosuch"'
run_eddy -e "DROP TABLE IF EXISTS nosuch; CREATE TABLE t (a BIGINT); DROP TABLE t; CREATE TABLE t (b VARCHAR);" -e ".schema"
is "$OUT" "CREATE TABLE t (b VARCHAR);" "DROP removes the table; IF EXISTS ignores a missing one"

# --- INSERT
check_error "INSERT row width" "CREATE TABLE t (a BIGINT, b BIGINT);
INSERT INTO t VALUES (1, 2), (3);" 2 31 'row 2 has 1 value but the table has 2 columns'
check_error "INSERT too many values" "CREATE TABLE t (a BIGINT);
INSERT INTO t VALUES (1, 2);" 2 26 'row 1 has 2 values but the table has 1 column'
check_error "INSERT unknown table" "INSERT INTO nosuch VALUES (1);" 1 13 'no table named "nosuch"'
check_error "INSERT unknown column" "CREATE TABLE t (a BIGINT);
INSERT INTO t (a, zz) VALUES (1, 2);" 2 19 'table "t" has no column "zz"'
printf 'a\n1\n' > one.csv
check_error "INSERT into a file table" "CREATE TABLE f (a BIGINT) WITH (connector = 'file', path = 'one.csv', format = 'csv', header = true);
INSERT INTO f VALUES (2);" 2 13 "INSERT needs the memory connector"
check_error "INSERT SELECT width" "CREATE TABLE t (a BIGINT, b VARCHAR);
INSERT INTO t SELECT 1;" 2 15 "the query gives 1 column but the table has 2"

run_eddy -e "CREATE TABLE t (a BIGINT, b VARCHAR, c DOUBLE);
INSERT INTO t (c, a) VALUES (1.5, 1), (2, 2);
INSERT INTO t SELECT a + 10, 'copy', c FROM t;
SELECT a, b, c FROM t ORDER BY a;"
rc_is 0 "INSERT with a column list and INSERT ... SELECT from the same table"
is "$OUT" $'a,b,c\n1,,1.5\n2,,2.0\n11,copy,1.5\n12,copy,2.0' "unlisted columns are NULL; the SELECT reads the rows before the INSERT"

# --- SET
check_error "unknown setting" "SET colour = 'red';" 1 5 'unknown setting "colour": settings are output_mode, trigger, checkpoint_location, timezone, truncate, format'
check_error "bad output_mode" "SET output_mode = 'sideways';" 1 19 "use complete, update, append or changes"
check_error "bad trigger" "SET trigger = 'whenever';" 1 15 "invalid trigger"
check_error "bad truncate" "SET truncate = -1;" 1 16 "invalid truncate"
run_eddy -e "SET output_mode = 'update'; SET trigger = '5 seconds'; SET checkpoint_location = '/tmp/ck'; SET timezone = 'UTC'; SET trigger = 'once';"
rc_is 0 "valid settings are accepted"

# --- SHOW and STOP QUERY
run_eddy -e "SHOW QUERIES;"
rc_is 0 "SHOW QUERIES exits 0"
is "$OUT" "name,state,batches,input_rows_per_sec,watermark,sink" "SHOW QUERIES lists no query yet"
check_error "STOP QUERY" "STOP QUERY q1;" 1 12 'no running query named "q1"'

run_eddy -e "CREATE TABLE users (id BIGINT, name VARCHAR);
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR);
SHOW TABLES; SHOW STREAMS; SHOW SINKS;"
is "$OUT" 'name,connector,columns
users,memory,"id BIGINT, name VARCHAR"
name,connector,columns
clicks,memory,"ts TIMESTAMP, page VARCHAR"
name,connector,columns' "SHOW TABLES / STREAMS / SINKS list name, connector and columns"

done_testing
