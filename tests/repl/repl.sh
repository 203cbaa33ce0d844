#!/usr/bin/env bash
# tests/repl/repl.sh — the interactive shell through a real terminal.
#
# tmux runs eddy in a detached session (a private server, so that nothing
# else is touched), `send-keys` types, `capture-pane` reads the screen.
# Every wait polls the screen until what it waits for appears, with a time
# limit, so the tests neither sleep blindly nor hang.  Covered: two
# background queries on a memory stream that INSERTs at the prompt feed,
# a free-running query printing above a line being typed without
# mangling it, .queries, .stop, a memory sink queried while its query
# runs, Ctrl-C (drops the line, queries go on), Ctrl-D (stops every query
# gracefully, then the shell exits 0), tab completion, .timer, .output.
. "$(dirname "$0")/../e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

SOCK=eddy-repl-$$-0
nstart=0
printf 'set -g history-limit 50000\nset -g status off\n' > tmux.conf
T() { tmux -L "$SOCK" -f "$SCRATCH/tmux.conf" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$SCRATCH"; }
trap cleanup EXIT

# start ARGS: eddy ARGS in a fresh 150x50 terminal; when it exits the pane
# shows "EXIT=<status>".
start() {
  # A fresh server on a socket of its own: a new session on the socket of
  # a server that is still shutting down fails with "server exited
  # unexpectedly".
  T kill-server 2>/dev/null
  nstart=$((nstart + 1))
  SOCK=eddy-repl-$$-$nstart
  T new-session -d -s main -x 150 -y 50 \
    "cd '$SCRATCH' && HOME='$SCRATCH' '$EDDY' $*; echo EXIT=\$?; sleep 60"
  wait_for "eddy> " 1 10
}

# screen: everything the terminal showed (history too), wrapped lines
# joined.
screen() { T capture-pane -p -J -t main -S - -E - 2>/dev/null; }

# count TEXT: how many lines of the screen contain TEXT.
count() { screen | grep -cF -- "$1"; }

# wait_for TEXT [N [SECONDS]]: waits until N lines (default 1) contain
# TEXT; returns 1 after SECONDS (default 15).
wait_for() {
  local text=$1 n=${2:-1} limit=${3:-15}
  local end=$((SECONDS + limit))
  while [ $SECONDS -lt $end ]; do
    [ "$(count "$text")" -ge "$n" ] && return 0
    sleep 0.1
  done
  echo "# timed out waiting for: $text (x$n)"
  screen | tail -15 | sed 's/^/#   | /'
  return 1
}

# type TEXT: types TEXT and Enter (a ';' at the end is sent as a key of
# its own: tmux would read it as a command separator).
type_line() {
  local t=$1 semi=0
  [[ $t == *";" ]] && t=${t%;} && semi=1
  [ -n "$t" ] && T send-keys -t main -l "$t"
  [ $semi = 1 ] && T send-keys -t main -H 3b
  T send-keys -t main Enter
}

check() {   # check NAME COMMAND...: ok when COMMAND succeeds
  local name=$1
  shift
  if "$@"; then tap_result 1 "$name"; else tap_result 0 "$name"; fi
}

# The number in the last "Batch: N" line that follows the header of
# column c (the rate query's output), or -1.
last_rate_batch() {
  screen | awk '/^Batch: / { b = $2 } /^\|  *c\|$/ { last = b } END { print (last == "" ? -1 : last) }'
}

# ------------------------------------------------- two queries, INSERTs
start -n
type_line "CREATE STREAM s (ts TIMESTAMP, k VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');"
type_line "SELECT k, count(*) AS n FROM s GROUP BY k EMIT UPDATE;"
type_line "SELECT upper(k) AS big FROM s;"
type_line "INSERT INTO s VALUES ('2024-01-01 00:00:01', 'x'), ('2024-01-01 00:00:02', 'y');"
check "two background queries both print the first INSERT's batch" \
  wait_for "|  y|  1|"
check "... the second one too" wait_for "|  Y|"
type_line "INSERT INTO s VALUES ('2024-01-01 00:00:03', 'x');"
check "the next INSERT is a new batch of each" wait_for "|  x|  2|"
check "... of the second query too" wait_for "|  X|" 2
order=$(screen | grep -n -F -e "|  x|  2|" -e "|  X|" | tail -2 | cut -d: -f2 | tr '\n' ' ')
is "$order" "|  x|  2| |  X| " "the queries' outputs come in start order"
type_line ".queries"
check ".queries lists q1" wait_for "|  q1|running|"
check ".queries lists q2 with its batches" wait_for "|  q2|running|      2|"

# ----------------------- a free-running query prints above the prompt
type_line "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 20);"
type_line "SELECT value AS c FROM r;"
check "a rate query prints batches in the background" wait_for "|  c|" 3
# Type half a statement, let batches print over it, finish it.
T send-keys -t main -l "SELECT 4"
b0=$(last_rate_batch)
end=$((SECONDS + 15))
while [ "$(last_rate_batch)" -le $((b0 + 2)) ] && [ $SECONDS -lt $end ]; do sleep 0.1; done
check "batches printed while a line was being typed" [ "$(last_rate_batch)" -gt $((b0 + 2)) ]
check "the line being typed is redrawn below the output" \
  bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep -v '^\$' | tail -1 | grep -qx 'eddy> SELECT 4'"
type_line "2 AS answer;"
check "the statement typed across the output runs whole" wait_for "|    42|"
type_line ".stop q3"
type_line ".queries"
wait_for "|  q2|running|" 2 >/dev/null
s1=$(last_rate_batch)
sleep 1
check ".stop: the stopped query prints no more batches" [ "$(last_rate_batch)" = "$s1" ]
n_q3=$(screen | tail -12 | grep -c "|  q3|")
is "$n_q3" "0" ".queries after .stop lists no q3"

# ------------------------------------ a memory sink read while it runs
type_line "CREATE SINK m WITH (connector = 'memory');"
type_line "INSERT INTO m SELECT k, count(*) AS n FROM s GROUP BY k EMIT COMPLETE;"
type_line "INSERT INTO s VALUES ('2024-01-01 00:00:04', 'y'), ('2024-01-01 00:00:05', 'z');"
type_line "SELECT k, n FROM m ORDER BY k;"
check "SELECT reads the memory sink: x" wait_for "|  x|  2|" 2
check "... y" wait_for "|  y|  2|"
check "... z" wait_for "|  z|  1|"
type_line "CREATE STREAM r2 WITH (connector = 'rate', rows_per_second = 50);"
type_line "CREATE SINK live WITH (connector = 'memory');"
type_line "INSERT INTO live SELECT value % 2 AS odd, count(*) AS n FROM r2 GROUP BY value % 2 EMIT COMPLETE;"
sleep 0.5
type_line "SELECT sum(n) AS first_total FROM live;"
wait_for "|first_total|"
sleep 1
type_line "SELECT sum(n) AS second_total FROM live;"
wait_for "|second_total|"
t1=$(screen | grep -A2 -F "|first_total|" | tail -1 | tr -dc '0-9')
t2=$(screen | grep -A2 -F "|second_total|" | tail -1 | tr -dc '0-9')
check "a memory sink keeps changing while its query runs ($t1 then $t2)" \
  [ -n "$t1" ] && [ -n "$t2" ] && [ "$t2" -gt "$t1" ]

# ------------------------------------------------------------- Ctrl-C
T send-keys -t main -l "SELECT 'dropped' AS never"
T send-keys -t main C-c
check "Ctrl-C drops the line being typed" wait_for "^C"
type_line "SELECT 7 AS seven;"
check "the next statement runs after Ctrl-C" wait_for "|    7|"
check "Ctrl-C did not run the dropped line" [ "$(count "|dropped|")" = 0 ]
type_line "SHOW QUERIES;"
check "Ctrl-C leaves the background queries running" wait_for "|live|running|"

# ---------------------------------------------------- tab completion
T send-keys -t main -l "SELECT n FROM liv"
T send-keys -t main Tab
T send-keys -t main -H 3b
T send-keys -t main Enter
check "Tab completes an object name (liv -> live)" wait_for "SELECT n FROM live ;"
T send-keys -t main -l ".tim"
T send-keys -t main Tab
T send-keys -t main -l "on"
T send-keys -t main Enter
check "Tab completes a dot-command (.tim -> .timer)" wait_for "eddy> .timeron"
type_line ".timer on"
type_line "SELECT 1 AS one;"
check ".timer on prints each statement's time" wait_for "Run Time: real "

# ------------------------------------------------------------- Ctrl-D
type_line ".output out.txt"
type_line "SELECT 'to the file' AS f;"
type_line ".output"
type_line "SELECT 8 AS eight;"
wait_for "|    8|"
like "$(cat out.txt 2>/dev/null)" "|to the file|" ".output FILE sends results to FILE"
check ".output alone: back to the terminal" [ "$(count "|to the file|")" = 0 ]
errors=$(count "Error")     # .timeron above was one
T send-keys -t main C-d
check "Ctrl-D leaves the shell with exit status 0" wait_for "EXIT=0" 1 20
# The end of the session finishes the memory streams (DESIGN §8) and
# stops the rate queries after their running batch.
check "Ctrl-D stops every query gracefully (no error)" [ "$(count "Error")" = "$errors" ]
like "$(cat "$SCRATCH/.eddy_history" 2>/dev/null)" "seven;" "statements go to ~/.eddy_history"

# --------------------------------- APPEND windows flushed by Ctrl-D
start -n
type_line "CREATE STREAM w (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');"
type_line "SELECT window(ts, '10 seconds') AS win, count(*) AS n FROM w GROUP BY window(ts, '10 seconds');"
type_line "INSERT INTO w VALUES ('2024-01-01 00:00:01'), ('2024-01-01 00:00:02');"
wait_for "Batch: 1"
check "an APPEND window waits for the watermark" [ "$(count "|  2|")" = 0 ]
T send-keys -t main C-d
check "Ctrl-D ends the stream: the open window is written" \
  wait_for "|{2024-01-01 00:00:00, 2024-01-01 00:00:10}|  2|" 1 20
check "then the shell exits 0" wait_for "EXIT=0" 1 20

done_testing
