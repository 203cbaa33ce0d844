#!/usr/bin/env bash
# tests/e2e/formats.sh — the output formats: table (DESIGN §7's boxed
# style, Spark's truncation), csv (RFC 4180, as sqlite3 -csv writes it),
# jsonl (one object per row, as sqlite3's json_object writes it), and how
# --format, .mode, SET format and SET truncate choose among them.
. "$(dirname "$0")/lib.sh"

# --- table: the example of DESIGN §7
run_eddy --format table -e "SELECT 'my' AS value, 1 AS count;"
rc_is 0 "--format table exits 0"
is "$OUT" "+-----+-----+
|value|count|
+-----+-----+
|   my|    1|
+-----+-----+" "table format draws DESIGN §7's box, cells right-aligned"

# Strings longer than 20 characters are cut to 17 and '...' (Spark).
run_eddy --format table -e "SELECT 'abcdefghijklmnopqrstuvwxyz' AS alphabet;"
is "$OUT" "+--------------------+
|            alphabet|
+--------------------+
|abcdefghijklmnopq...|
+--------------------+" "table format truncates long strings at 20 characters"

run_eddy --format table --truncate 0 -e "SELECT 'abcdefghijklmnopqrstuvwxyz' AS alphabet;"
# Without truncation Spark's show() pads on the right (left-aligned).
is "$OUT" "+--------------------------+
|alphabet                  |
+--------------------------+
|abcdefghijklmnopqrstuvwxyz|
+--------------------------+" "--truncate 0 disables truncation (cells left-aligned, as Spark)"

run_eddy --format table --truncate 8 -e "SELECT 'abcdefghij' AS letters;"
is "$OUT" "+--------+
| letters|
+--------+
|abcde...|
+--------+" "--truncate N cuts at N characters"

run_eddy --format table -e "SET truncate = 8; SELECT 'abcdefghij' AS letters;"
is "$OUT" "+--------+
| letters|
+--------+
|abcde...|
+--------+" "SET truncate takes effect at once"

run_eddy --format table -e "SELECT NULL AS nothing, 2.5 AS half;"
is "$OUT" "+-------+----+
|nothing|half|
+-------+----+
|   null| 2.5|
+-------+----+" "table format prints NULL as null (as Spark's show())"

# --- csv: compared with sqlite3 -header -csv
q="SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, 1.5 AS w, -7 AS v, 'plain' AS u"
want=$("$SQLITE" -header -csv :memory: "$q;")
run_eddy --format csv -e "$q;"
is "$OUT" "$want" "csv quotes fields as RFC 4180 (same as sqlite3)"

run_eddy -e "SELECT 1 AS a, 'x' AS b;"
is "$OUT" $'a,b\n1,x' "csv is the default when stdout is not a terminal"

q="SELECT 'line1
line2' AS multi"
want=$("$SQLITE" -header -csv :memory: "$q;")
run_eddy --format csv -e "$q;"
is "$OUT" "$want" "csv quotes a field with a newline"

# --- jsonl: compared with sqlite3's json_object after both pass through
# sqlite3's json() (which removes insignificant blanks)
run_eddy --format jsonl -e "SELECT 1 AS i, 'x\"y' AS s, 2.5 AS d, NULL AS n;"
OUT=$(json_min <<<"$OUT")
want=$("$SQLITE" :memory: "SELECT json_object('i', 1, 's', 'x\"y', 'd', 2.5, 'n', NULL);")
is "$OUT" "$want" "jsonl writes one JSON object per row (as sqlite3)"

run_eddy --format jsonl -e "CREATE TABLE t (k BIGINT, v VARCHAR);
INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');
SELECT k, v FROM t ORDER BY k;"
OUT=$(json_min <<<"$OUT")
want=$("$SQLITE" :memory: "CREATE TABLE t (k INTEGER, v TEXT);
INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');
SELECT json_object('k', k, 'v', v) FROM t ORDER BY k;")
is "$OUT" "$want" "jsonl writes every row"

run_eddy --format jsonl -e "CREATE TABLE e (ts TIMESTAMP);
INSERT INTO e VALUES ('2024-03-01 12:30:00');
SELECT ts FROM e;"
OUT=$(json_min <<<"$OUT")
is "$OUT" '{"ts":"2024-03-01 12:30:00"}' "jsonl writes a TIMESTAMP as its text form"

# --- changelog: the result of a bounded query is a list of insertions
run_eddy --format changelog -e "CREATE TABLE t (k BIGINT, v VARCHAR);
INSERT INTO t VALUES (2, 'b'), (1, 'a');
SELECT k, v FROM t ORDER BY k;"
rc_is 0 "--format changelog exits 0"
is "$OUT" $'op,k,v\n+I,1,a\n+I,2,b' "changelog rows start with the op column (+I)"

# --- choosing the format inside a script
run_eddy -e "SELECT 1 AS a;" -e "SET format = 'jsonl';" -e "SELECT 2 AS a;"
OUT=$(json_min <<<"$OUT")
is "$OUT" $'a\n1\n{"a":2}' "SET format changes the format at once"

run_eddy -e ".mode jsonl" -e "SELECT 3 AS a;" -e ".mode csv" -e "SELECT 4 AS a;"
OUT=$(json_min <<<"$OUT")
is "$OUT" $'{"a":3}\na\n4' ".mode switches between formats"

run_eddy -e "SET format = 'xml';"
rc_is 1 "SET format with an unknown format fails"
like "$ERR" "table, csv, jsonl" "the message lists the formats"

# --- numbers and timestamps print as sqlite3 prints them
q="SELECT 10 / 4 AS idiv, 10.0 / 4 AS ddiv, 7 % 3 AS imod, 2.0 * 3 AS dbl"
want=$("$SQLITE" -header -csv :memory: "$q;")
run_eddy -e "$q;"
is "$OUT" "$want" "integer division truncates, doubles keep .0 (as sqlite3)"

done_testing
