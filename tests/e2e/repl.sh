#!/usr/bin/env bash
# tests/e2e/repl.sh — the interactive shell, driven through a pseudo-terminal
# (util-linux script): prompts, multi-line statements, table output on a
# terminal, ~/.eddyrc and -n, the history file, Ctrl-C and Ctrl-D, and
# streaming queries (a memory stream fed at the prompt, a rate stream in
# the background stopped by .quit).  tests/repl/ drives the shell through
# tmux for what needs the screen itself.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null 2>&1 || skip_all "script (util-linux) is not installed"
script -qec true /dev/null >/dev/null 2>&1 </dev/null || skip_all "no pseudo-terminal available"

# shell_session ARGS: runs eddy ARGS on a terminal; its input is the output
# of the function `typing`; the transcript (CRs removed) goes to $OUT.
# Each session writes a transcript of its own, so that `await` in `typing`
# never reads the previous session's.  script(1) runs the command through
# $SHELL -c; `exec` makes eddy replace that shell, for a shell left waiting
# (dash, when SHELL is unset) would itself take the Ctrl-C typed at eddy and
# exit 130 once eddy has gone.
NSESSION=0
shell_session() {
  local cmd
  printf -v cmd '%q ' "$EDDY" "$@"
  NSESSION=$((NSESSION + 1))
  TRANSCRIPT=$SCRATCH/.out.$NSESSION
  : >"$TRANSCRIPT"
  typing | timeout 60 script -qec "exec $cmd" /dev/null >"$TRANSCRIPT" 2>&1
  RC=$?
  OUT=$(tr -d '\r' <"$TRANSCRIPT")
}

# await TEXT [N]: in `typing`, waits until N lines (default 1) of the
# transcript so far contain TEXT, for at most 20 seconds, so that keys are
# typed only once the shell is where the test expects it (a busy machine
# makes fixed sleeps race).  On time-out it goes on: the checks then fail
# and show the transcript.
await() {
  local text=$1 n=${2:-1} end=$((SECONDS + 20))
  while [ $SECONDS -lt $end ]; do
    [ "$(tr -d '\r' <"$TRANSCRIPT" | grep -cF -- "$text")" -ge "$n" ] && return 0
    sleep 0.05
  done
  echo "# timed out waiting for: $text (x$n)" >&2
}

# await_prompt_after TEXT: in `typing`, waits until a prompt follows the
# last line holding TEXT.  Ctrl-D must reach the shell while libedit reads
# (a terminal in canonical mode would take it as an end of line and drop
# it), and libedit shows the prompt once it reads.
await_prompt_after() {
  local text=$1 end=$((SECONDS + 20))
  while [ $SECONDS -lt $end ]; do
    tr -d '\r' <"$TRANSCRIPT" | awk -v t="$text" '
      index($0, t) { seen = 1; found = 0; next }
      seen && index($0, "eddy> ") { found = 1 }
      END { exit !found }' && return 0
    sleep 0.05
  done
  echo "# timed out waiting for a prompt after: $text" >&2
}

cat > "$HOME/.eddyrc" <<'SQL'
.print eddyrc was run
CREATE TABLE from_rc (a BIGINT);
SQL

typing() {
  await 'eddy> ' 1
  printf 'SELECT 1 +\n'
  await '  ...> ' 1
  printf '  1 AS two;\n'
  await 'eddy> ' 2
  printf '.tables\n'
  await 'eddy> ' 3
  printf '.quit\n'
}
shell_session
rc_is 0 "the shell exits 0 after .quit"
like "$OUT" "eddyrc was run" "~/.eddyrc runs before the prompt"
like "$OUT" "eddy> SELECT 1 +" "the prompt is 'eddy> '"
like "$OUT" "  ...>   1 AS two;" "a statement continues with '  ...> '"
like "$OUT" "+---+
|two|
+---+
|  2|
+---+" "a multi-line statement runs; results are a table on a terminal"
like "$OUT" "from_rc" "objects made by ~/.eddyrc exist in the shell"
like "$(cat "$HOME/.eddy_history" 2>/dev/null)" "two;" "statements are kept in ~/.eddy_history"

shell_session -n
unlike "$OUT" "eddyrc was run" "-n skips ~/.eddyrc"

typing() {
  await 'eddy> ' 1
  printf 'SELECT * FROM nowhere;\n'
  await 'eddy> ' 2
  printf 'SELECT 3 AS three;\n'
  await 'eddy> ' 3
  printf '\004'
}
shell_session -n
rc_is 0 "Ctrl-D leaves the shell with exit status 0"
like "$OUT" "Error: line 1, column 15: " "errors are shown in the shell"
like "$OUT" "|    3|" "the shell goes on after an error"

typing() {
  await 'eddy> ' 1
  printf 'SELECT 99 AS x,\n'
  await '  ...> ' 1
  printf '\003'
  await 'eddy> ' 2
  printf 'SELECT 5 AS five;\n'
  await 'eddy> ' 3
  printf '.quit\n'
}
shell_session -n
like "$OUT" "|   5|" "after Ctrl-C the next statement runs on its own"
unlike "$OUT" "Error" "Ctrl-C drops the unfinished statement"

# Ctrl-C while a statement runs stops it (a join of 50,000 x 50,000 rows
# would take minutes).
typing() {
  await 'eddy> ' 1
  printf "CREATE TABLE ev WITH (connector = 'file', path = '%s', format = 'csv', header = true);\n" "$SRC/examples/events.csv"
  await 'eddy> ' 2
  printf 'SELECT count(*) AS n FROM ev a, ev b WHERE a.latency_ms < b.latency_ms;\n'
  await 'b.latency_ms;'
  sleep 1
  printf '\003'
  await 'eddy> ' 3
  printf 'SELECT 6 AS six;\n'
  await 'eddy> ' 4
  printf '.quit\n'
}
SECONDS=0
shell_session -n
like "$OUT" "Error: interrupted" "Ctrl-C interrupts a running statement"
like "$OUT" "|  6|" "the shell goes on after the interrupt"
[ "$SECONDS" -lt 30 ] && tap_result 1 "the interrupt is prompt" || tap_result 0 "the interrupt is prompt"

# A query over a memory stream keeps running while the prompt returns:
# each INSERT prints its batch; Ctrl-D ends the stream, which writes the
# window still open (APPEND) before the shell leaves.
typing() {
  await 'eddy> ' 1
  printf "CREATE STREAM s (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5 seconds');\n"
  await 'eddy> ' 2
  printf "SELECT ts, count(*) AS n FROM s GROUP BY ts;\n"
  await 'eddy> ' 3
  printf "INSERT INTO s VALUES ('2024-01-01 10:00:01');\n"
  await 'Batch: 0'
  printf "INSERT INTO s VALUES ('2024-01-01 10:00:07');\n"
  await '|2024-01-01 10:00:01|  1|'
  printf 'SHOW QUERIES;\n'
  await_prompt_after '|running|'
  printf '\004'
}
shell_session -n
rc_is 0 "streaming in the shell: Ctrl-D leaves with exit status 0"
like "$OUT" "Batch: 0" "the console prints each batch"
like "$OUT" "|2024-01-01 10:00:01|  1|" "a group that an INSERT makes final is printed then"
like "$OUT" "|  q1|running|" "SHOW QUERIES lists the query while the prompt is back"
last=$(printf '%s\n' "$OUT" | grep -n '10:00:07|  1|' | tail -1 | cut -d: -f1)
show=$(printf '%s\n' "$OUT" | grep -n 'q1|running' | tail -1 | cut -d: -f1)
[ -n "$last" ] && [ -n "$show" ] && [ "$last" -gt "$show" ]
tap_result $((1 - $?)) "Ctrl-D ends the stream: the last group is written after SHOW QUERIES"

# A query over a source that never ends runs in the background: the
# prompt is back at once, Ctrl-C drops the line being typed only, and
# .quit stops the query gracefully.
typing() {
  await 'eddy> ' 1
  printf "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 10);\n"
  await 'eddy> ' 2
  printf "SELECT value FROM r;\n"
  await '|    0|'
  printf "SELECT upper('back') AS msg;\n"
  await '|BACK|'
  printf 'SELECT 8 +'
  sleep 0.3
  printf '\003'
  sleep 0.3
  printf '.quit\n'
}
SECONDS=0
shell_session -n
rc_is 0 "a background rate query: .quit exits 0"
like "$OUT" "|    0|" "a rate query prints its rows in the shell"
like "$OUT" "|BACK|" "the prompt is back while it runs: the next statement runs"
[ "$SECONDS" -lt 30 ] && tap_result 1 ".quit stops it promptly" || tap_result 0 ".quit stops it promptly"

done_testing
