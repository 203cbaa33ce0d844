#!/usr/bin/env bash
# tests/e2e/pipes.sh — eddy in a shell pipeline: `printf ... | eddy -e
# "..." --format csv | sort` gives what sqlite3 (the CLI, over the same
# data) computes for the same SQL; a stdout sink in a pipe; SIGTERM and
# SIGINT stop a query over an unbounded source gracefully, with the exit
# status saying so (143, 130).
. "$(dirname "$0")/lib.sh"

command -v "$SQLITE" >/dev/null 2>&1 || skip_all "sqlite3 is not installed"

# Rows in event-time order (none is late), in several shapes.
DATA=ts,user,page,ms
for i in $(seq 0 199); do
  DATA+=$'\n'"$(printf '2024-03-01 10:%02d:%02d,u%d,/p%d,%d' $((i / 60)) $((i % 60)) $((i % 7)) $((i % 5)) $(((i * 37) % 101)))"
done
printf '%s\n' "$DATA" > data.csv
ref() {   # ref SQL: sqlite3's rows for SQL over table t = data.csv, sorted
  "$SQLITE" -csv :memory: ".import data.csv t" "$1" | csv_min | sort
}
pipe() {  # pipe SQL [ARGS]: data.csv through eddy, rows sorted (no header)
  local sql=$1
  shift
  cat data.csv | "$EDDY" -e "$sql" --format csv "$@" 2>pipe.err | tail -n +2 | sort
}

is "$(pipe "SELECT user, page, ms * 2 AS ms2 FROM stdin WHERE ms > 50;")" \
   "$(ref "SELECT user, page, ms * 2 FROM t WHERE CAST(ms AS INTEGER) > 50;")" \
   "filter and projection over a piped stream equal sqlite3's"

is "$(pipe "SELECT window(ts, '1 minute') AS w, page, count(*) AS n, sum(ms) AS total
            FROM stdin WATERMARK ts DELAY OF INTERVAL '5 seconds'
            GROUP BY window(ts, '1 minute'), page EMIT APPEND;")" \
   "$(ref "SELECT substr(ts, 1, 16) || ':00', datetime(substr(ts, 1, 16) || ':00', '+1 minute'), page, count(*), sum(CAST(ms AS INTEGER))
           FROM t GROUP BY substr(ts, 1, 16), page;")" \
   "a windowed aggregation (APPEND) over a piped stream equals sqlite3's GROUP BY"

is "$(pipe "SELECT user, count(*) AS n, min(ms) AS lo, max(ms) AS hi FROM stdin GROUP BY user EMIT COMPLETE;" --trigger once)" \
   "$(ref "SELECT user, count(*), min(CAST(ms AS INTEGER)), max(CAST(ms AS INTEGER)) FROM t GROUP BY user;")" \
   "a running aggregate (COMPLETE, TRIGGER ONCE) over a piped stream equals sqlite3's"

# Words: the classic word count over text lines, as a changelog applied
# by the last value per word (UPDATE rows in order: the last one wins).
printf 'the cat\nthe dog\na cat and the bird\n' > words.txt
got=$(cat words.txt | "$EDDY" --input-format text --format csv -e "
  SELECT word, count(*) AS n FROM (SELECT explode(split(value, ' ')) AS word FROM stdin)
  GROUP BY word EMIT UPDATE;" | tail -n +2 | awk -F, '{ last[$1] = $2 } END { for (w in last) print w "," last[w] }' | sort)
want=$("$SQLITE" -csv :memory: "WITH RECURSIVE lines(l) AS (VALUES ('the cat'), ('the dog'), ('a cat and the bird')),
  split(word, rest) AS (SELECT '', l || ' ' FROM lines UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> '')
  SELECT word, count(*) FROM split WHERE word <> '' GROUP BY word;" | sort)
is "$got" "$want" "word count over piped text: the last UPDATE per word equals sqlite3's count"

# A named stdout sink writes the same rows.
is "$(cat data.csv | "$EDDY" -e "CREATE SINK o WITH (connector = 'stdout', format = 'csv', header = false);
  INSERT INTO o SELECT user, ms FROM stdin WHERE page = '/p3';" | sort)" \
   "$(ref "SELECT user, ms FROM t WHERE page = '/p3';")" \
   "a stdout sink in a pipe writes what sqlite3 selects"

# --- signals stop an unbounded query gracefully
run_signal() {   # run_signal SIG: a rate query stopped by SIG after 1.5 s
  "$EDDY" -e "CREATE STREAM r WITH (connector = 'rate', rows_per_second = 50);
    SELECT value FROM r;" --format csv >sig.out 2>sig.err &
  local pid=$!
  sleep 1.5
  kill -"$1" "$pid"
  wait "$pid"
  RC=$?
}
run_signal TERM
rc_is 143 "SIGTERM stops a query over a rate stream: exit status 143"
is "$(head -1 sig.out)" "value" "SIGTERM: the output starts with its header"
n=$(tail -n +2 sig.out | wc -l)
is "$(tail -n +2 sig.out)" "$(seq 0 $((n - 1)))" "SIGTERM: every batch before the stop is written whole ($n rows)"
[ "$n" -ge 10 ]
tap_result $((1 - $?)) "SIGTERM: the query ran until the signal"
run_signal INT
rc_is 130 "SIGINT stops it too: exit status 130"
n=$(tail -n +2 sig.out | wc -l)
is "$(tail -n +2 sig.out)" "$(seq 0 $((n - 1)))" "SIGINT: the rows written are whole ($n rows)"

# The exit status reports the first failure, and nothing after it runs.
run_eddy -e "SELECT 1 AS a; SELECT * FROM nosuch; SELECT 2 AS b;"
rc_is 1 "a failing statement: exit status 1"
is "$OUT" $'a\n1' "the statements after the failure do not run"

done_testing
