#!/usr/bin/env bash
# tests/scenarios/sources.sh — scenarios of the stream sources that need
# more than a script (DESIGN §3): a directory that files are moved into
# while eddy runs, a file that grows (follow), a socket served by a local
# listener (sockserve), the rate source, stdin piped into `eddy -e`, and
# the state TTL of running aggregates (processing time).  Runs that never
# end on their own are stopped with SIGINT, as a user's Ctrl-C: eddy stops
# after the running batch, with its output complete, and exits 130.
#
#   bash sources.sh EDDY SRCDIR SOCKSERVE
#
# Expected outputs are written by hand from DESIGN §3-§4.
SOCKSERVE=${3:?usage: sources.sh EDDY SRCDIR SOCKSERVE}
case $SOCKSERVE in /*) ;; *) SOCKSERVE=$PWD/$SOCKSERVE ;; esac
set -- "$1" "$2"
. "$(dirname "$0")/../e2e/lib.sh"

# wait_for FILE TEXT: waits up to 20 seconds for FILE to contain TEXT.
wait_for() {
  local i
  for i in $(seq 1 200); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# start_eddy OUT ARGS...: runs eddy ARGS in the background (stdin from
# /dev/null), stdout to OUT, stderr to OUT.err; sets PID.
start_eddy() {
  local out=$1
  shift
  "$EDDY" "$@" >"$out" 2>"$out.err" </dev/null &
  PID=$!
}

# stop_eddy: SIGINT to PID, then waits for it; sets RC.
stop_eddy() {
  kill -INT "$PID" 2>/dev/null
  wait "$PID"
  RC=$?
}

# --- directory: files already there, then files moved in during the run
mkdir -p in stage
printf 'id,name\n1,ann\n2,bob\n' >in/a.csv
start_eddy dir.out -e "CREATE STREAM d (id BIGINT, name VARCHAR)
  WITH (connector = 'directory', path = 'in', format = 'csv', header = true);
SELECT id, name FROM d;"
wait_for dir.out "2,bob"
tap_result $((1 - $?)) "directory: the rows of a file already there are read"
printf 'id,name\n3,cy\n' >stage/b.csv
mv stage/b.csv in/b.csv
printf 'id,name\n9,dot\n' >in/.hidden.csv
printf 'id,name\n8,underscore\n' >in/_partial.csv
wait_for dir.out "3,cy"
tap_result $((1 - $?)) "directory: a file moved in during the run is read"
printf 'id,name\n4,dee\n5,eve\n' >stage/c.csv
mv stage/c.csv in/c.csv
wait_for dir.out "5,eve"
tap_result $((1 - $?)) "directory: and the next one"
sleep 0.3
stop_eddy
is "$RC" 130 "directory: SIGINT stops the query; exit status 130"
is "$(cat dir.out)" "id,name
1,ann
2,bob
3,cy
4,dee
5,eve" "directory: each file's rows once, in arrival order; names starting with . or _ ignored"

# new_files_only: the files already there are skipped (DStream behaviour).
start_eddy new.out -e "CREATE STREAM d (id BIGINT, name VARCHAR)
  WITH (connector = 'directory', path = 'in', format = 'csv', header = true,
        new_files_only = true);
SELECT id, name FROM d;"
sleep 1
printf 'id,name\n6,fay\n' >stage/e.csv
mv stage/e.csv in/e.csv
wait_for new.out "6,fay"
tap_result $((1 - $?)) "new_files_only: a new file is read"
sleep 0.3
stop_eddy
is "$(cat new.out)" "id,name
6,fay" "new_files_only: only the files that arrive after the start"

# max_files_per_trigger with TRIGGER AVAILABLE NOW: one file per batch,
# then the query stops by itself.
mkdir -p three
printf 'id,name\n1,a\n' >three/1.csv
printf 'id,name\n2,b\n3,c\n' >three/2.csv
printf 'id,name\n4,d\n' >three/3.csv
run_eddy --progress -e "CREATE STREAM d (id BIGINT, name VARCHAR)
  WITH (connector = 'directory', path = 'three', format = 'csv',
        header = true, max_files_per_trigger = 1);
SELECT id FROM d TRIGGER AVAILABLE NOW;"
rc_is 0 "AVAILABLE NOW: the query stops by itself after the data there"
is "$OUT" "id
1
2
3
4" "AVAILABLE NOW: every row of every file"
inputs=$(printf '%s\n' "$ERR" | grep '^{' | while IFS= read -r l; do
  "$SQLITE" :memory: "SELECT json_extract('${l//\'/\'\'}', '\$.numInputRows');"
done | grep -v '^0$' | tr '\n' ' ')
is "$inputs" "1 2 1 " "max_files_per_trigger = 1: one file per batch (progress numInputRows)"

# --- file with follow = true: lines appended during the run are read
printf 'v\n1\n2\n' >grow.csv
start_eddy follow.out -e "CREATE STREAM g (v BIGINT)
  WITH (connector = 'file', path = 'grow.csv', format = 'csv', header = true,
        follow = true);
SELECT v * 10 AS v10 FROM g;"
wait_for follow.out "20"
tap_result $((1 - $?)) "follow: the lines there at the start are read"
printf '3\n4\n' >>grow.csv
wait_for follow.out "40"
tap_result $((1 - $?)) "follow: lines appended later are read"
sleep 0.3
stop_eddy
is "$RC" 130 "follow: SIGINT stops the query; exit status 130"
is "$(cat follow.out)" "v10
10
20
30
40" "follow: every line once"

# A file without follow is finite: the query ends with the file.
run_eddy -e "CREATE STREAM g (v BIGINT)
  WITH (connector = 'file', path = 'grow.csv', format = 'csv', header = true);
SELECT sum(v) AS total FROM g EMIT COMPLETE;
.print done"
rc_is 0 "file: a finite file ends the query; the script goes on"
like "$OUT" "total
10
done" "file: the complete sum of the file's rows"

# --- socket: eddy connects to a local listener that sends lines, closes
serve() {   # serve ARGS...: starts sockserve; sets PORT
  rm -f port.txt
  "$SOCKSERVE" "$@" >port.txt &
  SERVER=$!
  local i
  for i in $(seq 1 100); do
    [ -s port.txt ] && break
    sleep 0.05
  done
  PORT=$(head -1 port.txt)
}
serve -d 100 "hello world" "hello again" "bye"
run_eddy -e "CREATE STREAM lines WITH (connector = 'socket', host = '127.0.0.1', port = $PORT);
SELECT value, length(value) AS len FROM lines;"
wait "$SERVER"
rc_is 0 "socket: the query ends when the server closes the connection"
is "$OUT" "value,len
hello world,11
hello again,11
bye,3" "socket: one row per line, column value"

serve -d 50 "to be or" "not to be"
run_eddy -e "CREATE STREAM lines WITH (connector = 'socket', host = '127.0.0.1', port = $PORT);
SELECT word, count(*) AS n FROM (SELECT explode(split(value, ' ')) AS word FROM lines)
GROUP BY word EMIT UPDATE;"
wait "$SERVER"
# Applied as upserts, the UPDATE rows leave each word's final count.
final=$(printf '%s\n' "$OUT" | tail -n +2 |
  awk -F, '{ n[$1] = $2 } END { for (w in n) print w "," n[w] }' | sort)
is "$final" "be,2
not,1
or,1
to,2" "socket: word count over the lines (UPDATE rows applied as upserts)"

serve "x"
run_eddy -e "CREATE STREAM lines WITH (connector = 'socket', host = '127.0.0.1',
  port = $PORT, include_timestamp = true);
SELECT value, _arrival IS NOT NULL AS stamped FROM lines;"
wait "$SERVER"
is "$OUT" "value,stamped
x,true" "socket: include_timestamp adds _arrival"

# --- rate: rows_per_second rows with consecutive values from 0
start_eddy rate.out -e "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 20);
SELECT value, timestamp FROM r;"
sleep 1.5
stop_eddy
is "$RC" 130 "rate: SIGINT stops the query; exit status 130"
n=$(($(wc -l <rate.out) - 1))
[ "$n" -ge 10 ] && [ "$n" -le 60 ]
tap_result $((1 - $?)) "rate: about 20 rows a second ($n rows in 1.5 s)"
is "$(tail -n +2 rate.out | cut -d, -f1 | tr '\n' ' ')" \
   "$(seq 0 $((n - 1)) | tr '\n' ' ')" "rate: values 0, 1, 2, ... without gap or repeat"
is "$(tail -n +2 rate.out | cut -d, -f2 | sort -c 2>&1 && echo sorted)" "sorted" \
   "rate: timestamps never decrease"

# A processing-time trigger (here the session default) runs a batch every
# interval, with what arrived in between.
start_eddy tick.out --progress -e "SET trigger = '500 milliseconds';
CREATE STREAM r WITH (connector = 'rate', rows_per_second = 100);
SELECT value FROM r;"
sleep 1.8
stop_eddy
batches=$(grep -c '"batchId"' tick.out.err)
[ "$batches" -ge 2 ] && [ "$batches" -le 5 ]
tap_result $((1 - $?)) "TRIGGER PROCESSING TIME '500 milliseconds': a batch every half second ($batches in 1.8 s)"
n=$(($(wc -l <tick.out) - 1))
is "$(tail -n +2 tick.out | tr '\n' ' ')" "$(seq 0 $((n - 1)) | tr '\n' ' ')" \
  "the batches hold every row once, in order"

# --- stdin: `... | eddy -e "SELECT ... FROM stdin"`
run_eddy_in $'a,b\n1,x\n2,y\n' -e "SELECT b, a * 10 AS a10 FROM stdin;"
rc_is 0 "stdin: the query ends with the input"
is "$OUT" "b,a10
x,10
y,20" "stdin: csv with a header is detected, a BIGINT column inferred"

run_eddy_in $'{"k":"a","v":1}\n{"k":"b","v":2}\n' -e "SELECT k, v FROM stdin WHERE v > 1;"
is "$OUT" "k,v
b,2" "stdin: JSON lines are detected"

run_eddy_in $'the cat\nthe dog\n' --input-format text -e \
  "SELECT word, count(*) AS n FROM (SELECT explode(split(value, ' ')) AS word FROM stdin) GROUP BY word EMIT UPDATE;"
final=$(printf '%s\n' "$OUT" | tail -n +2 |
  awk -F, '{ n[$1] = $2 } END { for (w in n) print w "," n[w] }' | sort)
is "$final" "cat,1
dog,1
the,2" "stdin: --input-format text gives the column value (word count)"

run_eddy_in $'{"a":1,"b":"x"}\n{"a":2}\n' --schema "a BIGINT, b VARCHAR" -e "SELECT b, a FROM stdin;"
is "$OUT" "b,a
x,1
,2" "stdin: --schema gives the columns"

run_eddy_in $'ts,v\n2024-01-01 00:00:01,1\n2024-01-01 00:00:07,2\n2024-01-01 00:00:12,3\n' -e \
  "SELECT window(ts, '10 seconds') AS w, sum(v) AS total FROM stdin
   WATERMARK ts DELAY OF INTERVAL '1 second' GROUP BY window(ts, '10 seconds');"
rc_is 0 "stdin: windows with a query-level watermark"
is "$OUT" "w_start,w_end,total
2024-01-01 00:00:00,2024-01-01 00:00:10,3
2024-01-01 00:00:10,2024-01-01 00:00:20,3" "stdin: the end of the input closes every window (APPEND)"

run_eddy_in $'SELECT * FROM stdin;\n'
rc_is 1 "stdin: a query over stdin when the SQL comes from stdin fails"
like "$ERR" "standard input holds the SQL" "stdin: the message says why"

# --- state TTL (processing time): statements arrive through a pipe, with
# a pause longer than the TTL between them.
ttl_run() {   # ttl_run SETUP QUERY: a,(pause),b,a,b through a pipe
  {
    printf '.mode csv\nCREATE STREAM s (k VARCHAR);\n%s\n%s\n' "$1" "$2"
    printf "INSERT INTO s VALUES ('a');\n"
    sleep 1.6
    printf "INSERT INTO s VALUES ('b');\nINSERT INTO s VALUES ('a');\n"
    printf "INSERT INTO s VALUES ('b');\n"
  } | "$EDDY" >ttl.out 2>ttl.err
  RC=$?
  OUT=$(cat ttl.out)
  ERR=$(cat ttl.err)
}
ttl_run "SET state_ttl = '1 second';" \
  "SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;"
rc_is 0 "state_ttl: runs"
is "$OUT" "k,n
a,1
b,1
a,1
b,2" "SET state_ttl: a key idle longer than the TTL starts again; a recent one does not"
ttl_run "" "SELECT k, count(*) AS n FROM s GROUP BY k WITH (state_ttl = '1 second') EMIT UPDATE;"
is "$OUT" "k,n
a,1
b,1
a,1
b,2" "WITH (state_ttl = ...) on the query does the same"
ttl_run "" "SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;"
is "$OUT" "k,n
a,1
b,1
a,2
b,2" "without a TTL the state is kept"

done_testing
