#!/usr/bin/env bash
# tests/e2e/dotcmds.sh — dot-commands in scripts and -e texts: .print,
# .mode, .tables, .schema, .read, .help, .quit, and where a line counts as
# a dot-command.
. "$(dirname "$0")/lib.sh"

# --- .print
run_eddy -e ".print hello world"
rc_is 0 ".print exits 0"
is "$OUT" "hello world" ".print writes its text to stdout"

run_eddy -e ".print '  padded  '"
is "$OUT" "  padded  " ".print removes one pair of quotes and keeps blanks"

cat > steps.sql <<'SQL'
.print -- step 1
SELECT 1 AS a;
.print -- step 2
SELECT 2 AS b;
SQL
run_eddy -f steps.sql
is "$OUT" $'-- step 1\na\n1\n-- step 2\nb\n2' ".print marks the steps of a script, in order"

# --- dot-commands only where a statement starts
cat > multi.sql <<'SQL'
SELECT 1 AS a,
  2 AS b;
  .print indented
-- a comment before a command
.print after comment
SQL
run_eddy -f multi.sql
is "$OUT" $'a,b\n1,2\nindented\nafter comment' "dot-commands after a statement, indented or after a comment"

# --- .mode
run_eddy -e ".mode"
is "$OUT" "csv" ".mode without argument prints the current format"
run_eddy -e ".mode jsonl" -e ".mode"
is "$OUT" "jsonl" ".mode sets the format"
run_eddy -e ".mode table" -e "SELECT 'my' AS value, 1 AS count;"
is "$OUT" "+-----+-----+
|value|count|
+-----+-----+
|   my|    1|
+-----+-----+" ".mode table switches to the boxed table"
run_eddy -e ".mode xml"
rc_is 1 ".mode with an unknown format fails"
like "$ERR" "xml" "the message names the format"

# --- .tables and .schema
setup="CREATE TABLE users (id BIGINT, name VARCHAR);
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '10 seconds');
CREATE TABLE Accounts (n BIGINT) WITH (connector = 'memory');"
run_eddy -e "$setup" -e ".tables"
rc_is 0 ".tables exits 0"
is "$OUT" $'Accounts\nclicks\nusers' ".tables lists every object by name"

run_eddy -e "$setup" -e ".schema users"
is "$OUT" "CREATE TABLE users (id BIGINT, name VARCHAR);" ".schema NAME prints the CREATE statement"

run_eddy -e "$setup" -e ".schema"
is "$OUT" "CREATE TABLE users (id BIGINT, name VARCHAR);
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '10 seconds');
CREATE TABLE Accounts (n BIGINT) WITH (connector = 'memory');" ".schema prints every object, watermark and options included"

# The text of .schema is valid SQL that makes the same objects.
run_eddy -e "$setup" -e ".schema"
printf '%s\n' "$OUT" > schema.sql
run_eddy -f schema.sql -e ".schema"
is "$OUT" "CREATE TABLE users (id BIGINT, name VARCHAR);
CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '10 seconds');
CREATE TABLE Accounts (n BIGINT) WITH (connector = 'memory');" ".schema output runs as a script"

printf 'id,name\n1,ann\n' > people.csv
run_eddy -e "CREATE TABLE people WITH (connector = 'file', path = 'people.csv', format = 'csv', header = true);" -e ".schema people"
is "$OUT" "CREATE TABLE people (id BIGINT, name VARCHAR) WITH (connector = 'file', path = 'people.csv', format = 'csv', header = true);" ".schema shows an inferred schema and the file options"

run_eddy -e ".schema nosuch"
rc_is 1 ".schema of an unknown name fails"
like "$ERR" "nosuch" "the message names the object"

# --- .read
cat > inc.sql <<'SQL'
CREATE TABLE r (x BIGINT);
INSERT INTO r VALUES (10), (20);
SQL
run_eddy -e ".read inc.sql" -e "SELECT sum(x) AS s FROM r;"
rc_is 0 ".read exits 0"
is "$OUT" $'s\n30' ".read runs the file's statements in the session"

cat > bad.sql <<'SQL'
SELECT 1 AS ok;
SELECT * FROM nosuch;
SQL
run_eddy -e ".read bad.sql" -e "SELECT 2 AS never;"
rc_is 1 "a failure inside .read fails the script"
is "$OUT" $'ok\n1' "the script stops at the failure inside .read"
like "$ERR" "bad.sql:2:" "the error names the file read and its line"

run_eddy -e ".read missing.sql"
rc_is 1 ".read of a missing file fails"

# --- .quit, .help, unknown commands
run_eddy -e "SELECT 1 AS a;" -e ".quit" -e "SELECT 2 AS b;"
rc_is 0 ".quit exits 0"
is "$OUT" $'a\n1' ".quit stops the run"

run_eddy -e ".help"
rc_is 0 ".help exits 0"
for word in .help .mode .tables .schema .read .print .quit "CREATE TABLE" \
            "CREATE STREAM" "INSERT" "SELECT" "EXPLAIN" "SET" "SHOW" "DROP"; do
  like "$OUT" "$word" ".help mentions $word"
done

run_eddy -e ".frobnicate"
rc_is 1 "an unknown dot-command fails"
like "$ERR" ".frobnicate" "the message names the command"
like "$ERR" ".help" "the message points to .help"

# --- .output, .timer, .queries, .stop, .progress NAME, .schema of a query
run_eddy --format csv -e ".output res.txt" -e "SELECT 1 AS a;" -e ".print marked" \
  -e ".output" -e "SELECT 2 AS b;"
is "$OUT" $'b\n2' ".output FILE takes results and .print; .output alone restores stdout"
is "$(cat res.txt)" $'a\n1\nmarked' ".output FILE: the file holds them"
run_eddy -e ".output /nonexistent-dir/x.txt"
rc_is 1 ".output to a file that cannot be made fails"
like "$ERR" 'cannot open "/nonexistent-dir/x.txt"' "with the reason"

run_eddy --format csv -e ".timer on" -e "SELECT 1 AS a;" -e ".timer off" -e "SELECT 2 AS b;"
like "$OUT" "Run Time: real " ".timer on prints the time of a statement"
is "$(grep -c 'Run Time' <<<"$OUT")" "1" ".timer off stops it"
run_eddy -e ".timer maybe"
rc_is 1 ".timer takes on or off"

run_eddy --format csv -e "CREATE STREAM s (k VARCHAR);" -e "SELECT k FROM s;" \
  -e "INSERT INTO s VALUES ('x');" -e ".queries" -e ".schema q1" -e ".progress q1" \
  -e ".stop q1" -e ".queries" -e "INSERT INTO s VALUES ('zzz');"
like "$OUT" "q1,running,1," ".queries is SHOW QUERIES"
like "$OUT" "-- query q1:
SELECT k FROM s;" ".schema NAME of a query shows its statement"
like "$OUT" '"numInputRows":	1,' ".progress NAME pretty-prints the report"
unlike "$OUT" "zzz" ".stop NAME stops the query: later rows are not read"
is "$(grep -c '^q1,' <<<"$OUT")" "1" ".stop NAME: .queries no longer lists it"
run_eddy -e ".stop"
rc_is 1 ".stop needs a name"
run_eddy -e ".progress nosuch"
rc_is 1 ".progress of an unknown query fails"
like "$ERR" 'no running query named "nosuch"' "with a message"

done_testing
