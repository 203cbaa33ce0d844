#!/usr/bin/env bash
# tests/e2e/sinks.sh — named sinks (CREATE SINK, INSERT INTO sink SELECT):
# console (num_rows, its footer, truncate), stdout (csv, jsonl, changelog),
# memory (a table that SELECT reads while the query runs: COMPLETE,
# APPEND, UPDATE upserts by key, CHANGES applies the changelog), file
# (part files, the _batches log, atomic appearance under a concurrent
# reader, APPEND only), DROP SINK, SHOW SINKS, .schema.  Expected results
# are written by hand from DESIGN §4 and §7 or computed by sqlite3.
. "$(dirname "$0")/lib.sh"

STREAM="CREATE STREAM s (ts TIMESTAMP, k VARCHAR, v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds');"

# --- console: Spark's console sink with num_rows and truncate
run_eddy -e "$STREAM
CREATE SINK c WITH (connector = 'console', num_rows = 2, truncate = 4);
INSERT INTO c SELECT k, v FROM s;
INSERT INTO s VALUES ('2024-01-01 00:00:01', 'alpha', 1),
  ('2024-01-01 00:00:02', 'b', 2), ('2024-01-01 00:00:03', 'c', 3);
INSERT INTO s VALUES ('2024-01-01 00:00:04', 'd', 4);"
rc_is 0 "console sink: runs"
is "$OUT" "-------------------------------------------
Batch: 0
-------------------------------------------
+----+---+
|   k|  v|
+----+---+
|a...|  1|
|   b|  2|
+----+---+
only showing top 2 rows

-------------------------------------------
Batch: 1
-------------------------------------------
+---+---+
|  k|  v|
+---+---+
|  d|  4|
+---+---+" "console sink: banner, num_rows with Spark's footer, truncate"

run_eddy -e "CREATE SINK c WITH (connector = 'console', num_rows = 1);
CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1);
INSERT INTO c SELECT a FROM t;"
is "$OUT" "-------------------------------------------
Batch: 0
-------------------------------------------
+---+
|  a|
+---+
|  1|
+---+" "console sink: a batch query is one batch"

# --- stdout sinks
run_eddy -e "$STREAM
CREATE SINK j WITH (connector = 'stdout', format = 'jsonl');
INSERT INTO j SELECT k, v FROM s;
INSERT INTO s VALUES ('2024-01-01 00:00:01', 'a', 1);"
is "$OUT" '{"k": "a", "v": 1}' "stdout sink: jsonl"
run_eddy -e "$STREAM
CREATE SINK l WITH (connector = 'stdout', format = 'changelog');
INSERT INTO l SELECT k, count(*) AS n FROM s GROUP BY k;
INSERT INTO s VALUES ('2024-01-01 00:00:01', 'a', 1);
INSERT INTO s VALUES ('2024-01-01 00:00:02', 'a', 1);"
is "$OUT" "op,k,n
+I,a,1
-U,a,1
+U,a,2" "stdout sink: changelog (the query runs in CHANGES mode)"
run_eddy -e "$STREAM
CREATE SINK h WITH (connector = 'stdout', format = 'csv', header = false);
INSERT INTO h SELECT k FROM s;
INSERT INTO s VALUES ('2024-01-01 00:00:01', 'a', 1);"
is "$OUT" "a" "stdout sink: csv without a header"

# --- memory: read with SELECT while the query runs
ROWS1="('2024-01-01 00:00:01', 'a', 1), ('2024-01-01 00:00:02', 'b', 5), ('2024-01-01 00:00:03', 'a', 2)"
ROWS2="('2024-01-01 00:00:12', 'b', 7), ('2024-01-01 00:00:04', 'c', 1)"
ROWS3="('2024-01-01 00:00:30', 'a', 10)"
ref() {   # ref SQL: sqlite3's csv result over all the rows of s
  "$SQLITE" -csv :memory: "CREATE TABLE s (ts TEXT, k TEXT, v INTEGER);
    INSERT INTO s VALUES $ROWS1; INSERT INTO s VALUES $ROWS2;
    INSERT INTO s VALUES $ROWS3; $1" | csv_min
}
for mode in COMPLETE UPDATE CHANGES; do
  run_eddy --format csv -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT k, count(*) AS n, sum(v) AS total FROM s GROUP BY k EMIT $mode;
INSERT INTO s VALUES $ROWS1;
INSERT INTO s VALUES $ROWS2;
INSERT INTO s VALUES $ROWS3;
SELECT * FROM m ORDER BY k;"
  rc_is 0 "memory sink $mode: runs"
  is "$OUT" "k,n,total
$(ref "SELECT k, count(*), sum(v) FROM s GROUP BY k ORDER BY k;")" \
    "memory sink $mode: the table equals SQLite's GROUP BY over every row"
done

run_eddy --format csv -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;
INSERT INTO s VALUES $ROWS1;
SELECT * FROM m ORDER BY k;
INSERT INTO s VALUES $ROWS2;
SELECT count(*) AS groups, sum(n) AS rows_seen FROM m;"
is "$OUT" "k,n
a,2
b,1
groups,rows_seen
3,5" "memory sink UPDATE: each batch upserts by the group key (no duplicate keys)"

run_eddy --format csv -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT window(ts, '10 seconds') AS w, count(*) AS n FROM s
  GROUP BY window(ts, '10 seconds') EMIT APPEND;
INSERT INTO s VALUES $ROWS1;
SELECT count(*) AS windows FROM m;
INSERT INTO s VALUES $ROWS2;
SELECT * FROM m;
INSERT INTO s VALUES $ROWS3;
SELECT * FROM m ORDER BY w;"
# The watermark is 00:00:07 after ROWS2 and 00:00:25 after ROWS3.
is "$OUT" "windows
0
w_start,w_end,n
w_start,w_end,n
2024-01-01 00:00:00,2024-01-01 00:00:10,4
2024-01-01 00:00:10,2024-01-01 00:00:20,1" \
  "memory sink APPEND: a window is appended once the watermark passes its end"

# The changelog of session windows (a merge deletes a session, -D).
run_eddy --format csv -e "CREATE STREAM e (ts TIMESTAMP);
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT session_window(ts, '5 seconds') AS s, count(*) AS n
  FROM e GROUP BY session_window(ts, '5 seconds') EMIT CHANGES;
INSERT INTO e VALUES ('2024-01-01 10:00:10');
INSERT INTO e VALUES ('2024-01-01 10:00:20');
INSERT INTO e VALUES ('2024-01-01 10:00:12');
SELECT * FROM m ORDER BY s;
INSERT INTO e VALUES ('2024-01-01 10:00:17');
SELECT * FROM m ORDER BY s;"
is "$OUT" "s_start,s_end,n
2024-01-01 10:00:10,2024-01-01 10:00:17,2
2024-01-01 10:00:20,2024-01-01 10:00:25,1
s_start,s_end,n
2024-01-01 10:00:10,2024-01-01 10:00:25,4" \
  "memory sink CHANGES: -U/+U replace a session, -D removes the merged one"

run_eddy -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT count(*) AS n FROM s GROUP BY k EMIT UPDATE;"
rc_is 1 "memory sink UPDATE without the key in the select list fails"
like "$ERR" "group key 1 of the query is not in its select list" "with a message"

run_eddy -e "CREATE SINK m WITH (connector = 'memory'); SELECT * FROM m;"
rc_is 1 "a memory sink no query wrote cannot be read"
like "$ERR" '"m" is a sink' "with a message"

run_eddy -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
INSERT INTO m SELECT k FROM s;
INSERT INTO m SELECT k FROM s;"
rc_is 1 "a second query into a busy sink fails"
like "$ERR" 'query m is already writing to the sink "m": STOP QUERY m first' "with a message"

# --- SHOW SINKS, .schema, DROP SINK
run_eddy --format csv -e "$STREAM
CREATE SINK m WITH (connector = 'memory');
CREATE SINK f WITH (connector = 'file', path = 'outdir', format = 'jsonl');
INSERT INTO m SELECT k, v FROM s;
SHOW SINKS;" -e ".schema m" -e ".schema f" -e "DROP SINK m; SHOW SINKS; SHOW QUERIES;"
is "$OUT" 'name,connector,columns
m,memory,"k VARCHAR, v BIGINT"
f,file,""
CREATE SINK m WITH (connector = '"'memory'"');
-- result table: k VARCHAR, v BIGINT
-- query m:
INSERT INTO m SELECT k, v FROM s;
CREATE SINK f WITH (connector = '"'file'"', path = '"'outdir'"', format = '"'jsonl'"');
name,connector,columns
f,file,""
name,state,batches,input_rows_per_sec,watermark,sink' \
  "SHOW SINKS, .schema of sinks and of their query; DROP SINK stops its query"

# --- file sink
run_eddy -e "$STREAM
CREATE SINK f WITH (connector = 'file', path = 'out/csv', format = 'csv');
INSERT INTO f SELECT window(ts, '10 seconds') AS w, k, count(*) AS n FROM s
  GROUP BY window(ts, '10 seconds'), k;
INSERT INTO s VALUES $ROWS1;
INSERT INTO s VALUES $ROWS2;
INSERT INTO s VALUES $ROWS3;"
rc_is 0 "file sink: runs"
is "$OUT" "" "file sink: nothing on stdout"
# Batches (DESIGN §4): 0 = ROWS1 (the watermark moves to 23:59:58), 1 its
# no-data batch, 2 = ROWS2 (wm 00:00:07), 3 no-data, 4 = ROWS3 (wm
# 00:00:25), 5 no-data: windows [0, 10) and [10, 20) are final; 6 the
# final batch at the end of the input: [30, 40).
is "$(cd out/csv && ls -A)" "_batches
part-5-0.csv
part-6-0.csv" "file sink: one part file per batch with rows; no temporary file is left"
is "$(cat out/csv/part-5-0.csv | { read -r h; echo "$h"; sort; })" "w_start,w_end,k,n
2024-01-01 00:00:00,2024-01-01 00:00:10,a,2
2024-01-01 00:00:00,2024-01-01 00:00:10,b,1
2024-01-01 00:00:00,2024-01-01 00:00:10,c,1
2024-01-01 00:00:10,2024-01-01 00:00:20,b,1" "file sink: a part file holds the batch's final rows"
is "$(cat out/csv/part-6-0.csv)" "w_start,w_end,k,n
2024-01-01 00:00:30,2024-01-01 00:00:40,a,1" "file sink: the end of the input writes the last window"
is "$(json_min < out/csv/_batches)" '{"batchId":0,"run":0,"query":"f","file":null,"rows":0}
{"batchId":1,"run":0,"query":"f","file":null,"rows":0}
{"batchId":2,"run":0,"query":"f","file":null,"rows":0}
{"batchId":3,"run":0,"query":"f","file":null,"rows":0}
{"batchId":4,"run":0,"query":"f","file":null,"rows":0}
{"batchId":5,"run":0,"query":"f","file":"part-5-0.csv","rows":4}
{"batchId":6,"run":0,"query":"f","file":"part-6-0.csv","rows":1}' \
  "file sink: _batches records every committed batch, its file and rows"

# A second run into the same directory gets run number 1; jsonl.
run_eddy -e "$STREAM
CREATE SINK f WITH (connector = 'file', path = 'out/csv', format = 'jsonl');
INSERT INTO f SELECT k, v FROM s;
INSERT INTO s VALUES ('2024-01-01 00:00:01', 'a', 1);"
is "$(cat out/csv/part-0-1.jsonl)" '{"k": "a", "v": 1}' "file sink: a second run's files are part-<batch>-1, jsonl"
is "$(tail -1 out/csv/_batches | json_min)" '{"batchId":0,"run":1,"query":"f","file":"part-0-1.jsonl","rows":1}' \
  "file sink: the log gets the second run's batches"

# APPEND only, as Spark's file sink: a planning error before anything runs.
for emit in "EMIT UPDATE" "EMIT COMPLETE" ""; do
  run_eddy -e "$STREAM
CREATE SINK f WITH (connector = 'file', path = 'out/rej', format = 'csv');
INSERT INTO f SELECT k, count(*) AS n FROM s GROUP BY k $emit;"
  rc_is 1 "file sink rejects ${emit:-the default UPDATE} mode"
  mode=${emit#EMIT }
  like "$ERR" "the file sink \"f\" supports only APPEND output mode, not ${mode:-UPDATE}" "with a message naming the mode"
  like "$ERR" "use EMIT APPEND" "with the fix"
done
[ ! -e out/rej/_batches ] || [ ! -s out/rej/_batches ]
tap_result $((1 - $?)) "file sink: a rejected query writes nothing"

# Atomic part files: a rate stream writes many small batches while a
# reader lists the directory and reads every part file it finds; every
# file it sees has its header and only whole lines "value,even".
cat > reader.sh <<'SH'
bad=0
end=$((SECONDS + 3))
while [ $SECONDS -lt $end ]; do
  for f in out/rate/part-*; do
    [ -e "$f" ] || continue
    content=$(cat "$f"; echo x)      # the x shows a missing final newline
    case $content in
      *$'\n'x) ;;
      *) echo "partial file $f"; bad=1 ;;
    esac
    printf '%s' "${content%x}" | awk -F, -v f="$f" '
      NR == 1 && $0 != "value,even" { print "bad header in " f; exit 1 }
      NR > 1 && !(NF == 2 && $1 ~ /^[0-9]+$/ && ($2 == "true" || $2 == "false")) {
        print "partial line in " f ": " $0; exit 1 }' || bad=1
  done
done
exit $bad
SH
bash reader.sh >reader.out 2>&1 &
reader=$!
timeout --preserve-status -s INT 3 "$EDDY" -e "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 2000);
CREATE SINK f WITH (connector = 'file', path = 'out/rate', format = 'csv');
INSERT INTO f SELECT value, value % 2 = 0 AS even FROM r;" >/dev/null 2>rate.err
RC=$?
wait $reader
rstatus=$?
rc_is 130 "file sink under a rate stream: SIGINT stops it gracefully (status 130)"
is "$rstatus $(cat reader.out)" "0 " "file sink: a concurrent reader never sees a partial part file"
nfiles=$(ls out/rate | grep -c '^part-')
[ "$nfiles" -ge 3 ]
tap_result $((1 - $?)) "file sink: the rate query wrote several part files ($nfiles)"
logged=$(grep -c '"file":"part-' out/rate/_batches)
is "$logged" "$nfiles" "file sink: every part file is in _batches"
is "$(ls -A out/rate | grep -c '^\.')" "0" "file sink: no temporary file remains after a graceful stop"
rows_files=$(cat out/rate/part-* | grep -vc '^value,even$')
# The log's "rows" fields summed (the log can be long: no argument lists).
rows_log=$(grep -o '"rows":[0-9]*' out/rate/_batches | cut -d: -f2 |
           awk '{ s += $1 } END { print s + 0 }')
is "$rows_files" "$rows_log" "file sink: the rows in the files are the rows the log records"

done_testing
