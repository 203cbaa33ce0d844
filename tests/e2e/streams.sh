#!/usr/bin/env bash
# tests/e2e/streams.sh — streaming queries as the command and the session
# run them (DESIGN §3, §4, §7, §8): memory streams driven by INSERT, the end
# of the input ending them, DROP STREAM, SHOW QUERIES / STOP QUERY /
# .progress, the output-mode and trigger defaults (--output-mode,
# --format changelog, --trigger), --progress, --checkpoint's refusal,
# CREATE STREAM of each connector, and the statements a stream refuses.
. "$(dirname "$0")/lib.sh"

STREAM="CREATE STREAM s (k VARCHAR);"

# --- memory streams: each INSERT runs the query before the next statement
run_eddy -e "$STREAM
SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;
.print one
INSERT INTO s VALUES ('a'), ('b');
.print two
INSERT INTO s VALUES ('a');
.print three"
rc_is 0 "a query over a memory stream runs with the script"
is "$OUT" "k,n
one
a,1
b,1
two
a,2
three" "each INSERT is one batch, written before the next statement runs"

run_eddy -e "$STREAM
INSERT INTO s VALUES ('a'), ('a');
SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;
.print started
INSERT INTO s VALUES ('a');"
is "$OUT" "k,n
a,2
started
a,3" "rows inserted before the query starts are its first batch"

# Two queries on one stream both run, in the order they started.
run_eddy -e "$STREAM
SELECT k FROM s;
SELECT count(*) AS n FROM s EMIT COMPLETE;
INSERT INTO s VALUES ('x');"
is "$OUT" "k
n
x
1" "every query reading the stream runs the INSERT, in start order"

# --- the end of the input ends the queries: APPEND writes open windows
WIN="CREATE STREAM e (ts TIMESTAMP, WATERMARK FOR ts AS ts);
SELECT window(ts, '10 seconds') AS w, count(*) AS n FROM e
GROUP BY window(ts, '10 seconds');
INSERT INTO e VALUES ('2024-01-01 00:00:01'), ('2024-01-01 00:00:02');"
run_eddy -e "$WIN
.print end of script"
rc_is 0 "the script ends normally"
is "$OUT" "w_start,w_end,n
end of script
2024-01-01 00:00:00,2024-01-01 00:00:10,2" "the end of the script ends the stream: the open window is written"

printf '%s\n.print end of file\n' "$WIN" >win.sql
run_eddy -f win.sql
is "$OUT" "w_start,w_end,n
end of file
2024-01-01 00:00:00,2024-01-01 00:00:10,2" "-f: the same at the end of the file"

run_eddy_in "$WIN
.print end of input
"
is "$OUT" "w_start,w_end,n
end of input
2024-01-01 00:00:00,2024-01-01 00:00:10,2" "SQL on stdin: the same at the end of the input"

run_eddy -e "$WIN" -e ".print second -e" -e "INSERT INTO e VALUES ('2024-01-01 00:00:15');"
is "$OUT" "w_start,w_end,n
second -e
2024-01-01 00:00:00,2024-01-01 00:00:10,2
2024-01-01 00:00:10,2024-01-01 00:00:20,1" "several -e texts are one input: the queries end after the last"

run_eddy -e "$WIN
SELECT * FROM nowhere;"
rc_is 1 "a failing statement still exits 1"
is "$OUT" "w_start,w_end,n
2024-01-01 00:00:00,2024-01-01 00:00:10,2" "and the queries still end with the input"

# --- DROP STREAM ends the queries reading it first
run_eddy -e "$WIN
.print before drop
DROP STREAM e;
.print after drop"
is "$OUT" "w_start,w_end,n
before drop
2024-01-01 00:00:00,2024-01-01 00:00:10,2
after drop" "DROP STREAM finishes its queries before the stream goes"

# --- SHOW QUERIES, STOP QUERY, .progress
run_eddy -e "$STREAM
SELECT k FROM s;
SELECT k, count(*) AS n FROM s GROUP BY k;
INSERT INTO s VALUES ('x');
SHOW QUERIES;"
# input_rows_per_sec (column 4) depends on the clock: left out.
is "$(printf '%s\n' "$OUT" | cut -d, -f1-3,5-)" "k
k,n
x
x,1
name,state,batches,watermark,sink
q1,running,1,,stdout
q2,running,1,,stdout" "SHOW QUERIES lists the running queries and their batches"

run_eddy -e "$STREAM
SELECT k FROM s;
INSERT INTO s VALUES ('x');
STOP QUERY q1;
INSERT INTO s VALUES ('y');
SHOW QUERIES;"
rc_is 0 "STOP QUERY stops a running query"
is "$OUT" "k
x
name,state,batches,input_rows_per_sec,watermark,sink" "a stopped query runs no more batches and is gone"

run_eddy -e ".progress" -e "$STREAM" -e "SELECT k FROM s;" -e ".progress" \
  -e "INSERT INTO s VALUES ('x'), ('y');" -e ".progress"
like "$OUT" "no streaming query is running" ".progress without a query says so"
like "$OUT" "q1 (no batch yet)" ".progress before the first batch"
line=$(printf '%s\n' "$OUT" | grep '^q1 {' | head -1)
json=${line#q1 }
is "$("$SQLITE" :memory: "SELECT json_extract('${json//\'/\'\'}', '\$.numInputRows');")" \
  "2" ".progress shows the last batch's report (numInputRows)"

# --- --progress: one JSON line per batch on stderr
run_eddy --progress -e "CREATE STREAM e (ts TIMESTAMP, WATERMARK FOR ts AS ts);
SELECT window(ts, '10 seconds') AS w, count(*) AS n FROM e
GROUP BY window(ts, '10 seconds') EMIT UPDATE;
INSERT INTO e VALUES ('2024-01-01 00:00:15'), ('2024-01-01 00:00:16');
INSERT INTO e VALUES ('2024-01-01 00:00:01');"
rc_is 0 "--progress runs"
printf '%s\n' "$ERR" | grep '^{' >progress.jsonl
n=$(wc -l <progress.jsonl)
[ "$n" -ge 2 ]
tap_result $((1 - $?)) "--progress writes one line per batch ($n lines)"
sum() {   # sum JSONPATH: the sum over the progress lines
  local l total=0 x
  while IFS= read -r l; do
    x=$("$SQLITE" :memory: "SELECT coalesce(json_extract('${l//\'/\'\'}', '$1'), 0);")
    total=$((total + x))
  done <progress.jsonl
  echo "$total"
}
is "$(sum '$.numInputRows')" 3 "progress: numInputRows add up to the rows inserted"
is "$(sum '$.stateOperators[0].numRowsDroppedByWatermark')" 1 \
  "progress: the late row is counted in numRowsDroppedByWatermark"
is "$(sum '$.sink.numOutputRows')" 1 "progress: sink numOutputRows"
ids=$(while IFS= read -r l; do
  "$SQLITE" :memory: "SELECT json_extract('${l//\'/\'\'}', '\$.batchId');"
done <progress.jsonl | tr '\n' ' ')
is "$ids" "$(seq 0 $((n - 1)) | tr '\n' ' ')" "progress: batchId counts from 0"
valid=$(while IFS= read -r l; do
  "$SQLITE" :memory: "SELECT json_valid('${l//\'/\'\'}') AND
    json_type('${l//\'/\'\'}', '\$.eventTime') = 'object' AND
    json_type('${l//\'/\'\'}', '\$.sources') = 'array' AND
    json_type('${l//\'/\'\'}', '\$.durationMs') IS NOT NULL AND
    json_type('${l//\'/\'\'}', '\$.numBadRows') IS NOT NULL;"
done <progress.jsonl | sort -u)
is "$valid" "1" "progress lines are JSON with eventTime, sources, durationMs, numBadRows"
unlike "$OUT" "batchId" "progress goes to stderr, not stdout"

# --- default output modes
UPD="$STREAM
SELECT k, count(*) AS n FROM s GROUP BY k;
INSERT INTO s VALUES ('a');
INSERT INTO s VALUES ('a'), ('b');"
run_eddy --format changelog -e "$UPD"
is "$OUT" "op,k,n
+I,a,1
-U,a,1
+U,a,2
+I,b,1" "--format changelog without an output mode: EMIT CHANGES"
run_eddy --format changelog --output-mode update -e "$UPD"
is "$OUT" "op,k,n
+I,a,1
+I,a,2
+I,b,1" "--format changelog with --output-mode update: UPDATE rows, each +I"
run_eddy --output-mode complete -e "$UPD"
is "$OUT" "k,n
a,1
a,2
b,1" "--output-mode complete: the whole table each batch"
run_eddy -e "SET output_mode = 'complete'; $UPD"
is "$OUT" "k,n
a,1
a,2
b,1" "SET output_mode sets the default"
run_eddy -e "SET output_mode = 'complete'; $STREAM
SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;
INSERT INTO s VALUES ('a');
INSERT INTO s VALUES ('b');"
is "$OUT" "k,n
a,1
b,1" "EMIT in the query wins over the default"
run_eddy --format jsonl -e "$STREAM
SELECT k, count(*) AS n FROM s GROUP BY k EMIT CHANGES;
INSERT INTO s VALUES ('a');
INSERT INTO s VALUES ('a');"
is "$(printf '%s\n' "$OUT" | json_min)" '{"op":"+I","k":"a","n":1}
{"op":"-U","k":"a","n":1}
{"op":"+U","k":"a","n":2}' "EMIT CHANGES in jsonl: the op comes first in every row"
run_eddy --format changelog -e "SELECT 1 AS a UNION ALL SELECT 2;"
is "$OUT" "op,a
+I,1
+I,2" "a batch query in the changelog format: every row +I"
run_eddy --output-mode append -e "$UPD"
rc_is 1 "--output-mode append over an aggregation without a watermark fails"
like "$ERR" "APPEND output mode" "the message names the mode"

# --- --trigger sets the default trigger
mkdir -p two
printf 'v\n1\n' >two/1.csv
printf 'v\n2\n' >two/2.csv
run_eddy --trigger once -e "CREATE STREAM d (v BIGINT)
  WITH (connector = 'directory', path = 'two', format = 'csv', header = true);
SELECT sum(v) AS total FROM d EMIT COMPLETE;"
rc_is 0 "--trigger once: the query stops after one batch"
is "$OUT" "total
3" "TRIGGER ONCE reads all that is there in one batch"

# --- checkpoints are not supported yet: a clear refusal
run_eddy --checkpoint ck -e "$STREAM SELECT k FROM s;"
rc_is 1 "a streaming query with a checkpoint location fails"
like "$ERR" "checkpoints are not supported yet" "and says why"
run_eddy --checkpoint ck -e "SELECT 1 AS one;"
is "$OUT" $'one\n1' "a batch query ignores the checkpoint location"

# --- what a stream refuses
run_eddy -e "$STREAM CREATE TABLE t (k VARCHAR); INSERT INTO t SELECT k FROM s;"
rc_is 1 "INSERT ... SELECT over a stream fails"
like "$ERR" 'a query over a stream cannot be inserted into the table "t": a continuous query writes to a sink' "with a message"
run_eddy -e "$STREAM EXPLAIN ANALYZE SELECT k FROM s;"
rc_is 1 "EXPLAIN ANALYZE of a streaming query fails"
like "$ERR" "EXPLAIN ANALYZE of a query over a stream is not supported" "with a message"
run_eddy -e "$STREAM EXPLAIN SELECT k, count(*) AS n FROM s GROUP BY k;"
rc_is 0 "EXPLAIN of a streaming query"
like "$OUT" "Output mode: UPDATE" "EXPLAIN shows the resolved output mode"

# --- CREATE STREAM of each connector
run_eddy -e "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 5);" -e ".schema r"
is "$OUT" "CREATE STREAM r (timestamp TIMESTAMP, value BIGINT) WITH (connector = 'rate', rows_per_second = 5);" \
  "a rate stream without columns gets timestamp and value"
run_eddy -e "CREATE STREAM l WITH (connector = 'socket', host = '127.0.0.1', port = 9);" -e ".schema l"
is "$OUT" "CREATE STREAM l (value VARCHAR) WITH (connector = 'socket', host = '127.0.0.1', port = 9);" \
  "a socket stream without columns gets value"
printf 'id,name\n1,ann\n' >people.csv
run_eddy -e "CREATE STREAM p WITH (connector = 'file', path = 'people.csv', format = 'csv', header = true);" -e ".schema p"
is "$OUT" "CREATE STREAM p (id BIGINT, name VARCHAR) WITH (connector = 'file', path = 'people.csv', format = 'csv', header = true);" \
  "a file stream without columns infers them"
check_stream_error() {   # NAME SQL LINE COL MESSAGE
  run_eddy -e "$2"
  rc_is 1 "CREATE STREAM: $1 fails"
  like "$ERR" "$5" "CREATE STREAM: $1: message"
  like "$ERR" "line $3, column $4" "CREATE STREAM: $1: position"
}
check_stream_error "unknown connector" "CREATE STREAM x WITH (connector = 'ftp');" 1 35 \
  'unknown connector "ftp" for a stream: valid connectors are memory, file, directory, socket, rate, stdin, nexmark'
check_stream_error "unknown option" "CREATE STREAM x WITH (connector = 'rate', speed = 3);" 1 43 \
  'unknown option "speed" for connector "rate"'
check_stream_error "bad value" "CREATE STREAM x WITH (connector = 'rate', rows_per_second = 'fast');" 1 61 \
  "invalid value 'fast' for option rows_per_second"
check_stream_error "missing file" "CREATE STREAM x (a BIGINT) WITH (connector = 'file', path = 'nope.csv');" 1 61 \
  'cannot read "nope.csv"'
run_eddy -e "CREATE STREAM x;"
rc_is 1 "a memory stream without columns fails"
like "$ERR" 'stream "x" needs a column list' "and asks for one"

# --- settings
run_eddy -e "SET state_ttl = '1 hour'; SET state_ttl = 0;"
rc_is 0 "state_ttl takes an interval, or 0"
run_eddy -e "SET state_ttl = 'soon';"
rc_is 1 "a bad state_ttl fails"
like "$ERR" "invalid state_ttl 'soon'" "with a message"

done_testing
