#!/usr/bin/env bash
# bench/run.sh — eddy's benchmarks side by side with DuckDB, SQLite and awk
# (`make bench`; docs/BENCHMARKS.md explains every number).
#
#   bench/run.sh [--quick] [-n ROWS] [--runs R] [--events E]
#                [--only SECTIONS] [--eddy PATH]
#
#   --quick       smoke test: 200,000 rows, 1 run, 2 million Nexmark events,
#                 state with 100k and 1M keys, 1.5 s of latency
#   -n ROWS       rows of the events dataset (default 5,000,000; env N)
#   --runs R      runs per measurement, the median is shown (default 3;
#                 env RUNS)
#   --events E    Nexmark generator events per query (default 100,000,000;
#                 env NEXMARK_EVENTS)
#   --only LIST   comma-separated sections: events, nexmark, latency,
#                 state, startup (default: all)
#   --eddy PATH   measure this eddy binary instead of building build-release
#
# It builds the release build (build-release, -Dbuildtype=release), installs
# what the peers need (the npm package @duckdb/node-api into bench/.peers/;
# sqlite3, mawk, gawk and hyperfine with apt-get when running as root),
# generates the data into bench/data/ if absent, runs each engine on each
# query RUNS times, checks that every engine returned the same answer
# (rows sorted, numbers with a fraction rounded to 6 significant digits),
# and prints the tables.  The report is also written to
# bench/data/last_run.txt.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
DATA=$BENCH/data
Q=$BENCH/queries
N=${N:-5000000}
RUNS=${RUNS:-3}
NEXMARK_EVENTS=${NEXMARK_EVENTS:-100000000}
STATE_KEYS="1000000 10000000"
LAT_SECONDS=3
ONLY=all
EDDY=${EDDY:-}
DUCKDB_VERSION=1.5.6-r.1

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) N=200000; RUNS=1; NEXMARK_EVENTS=2000000
             STATE_KEYS="100000 1000000"; LAT_SECONDS=1.5 ;;
    -n) N=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --events) NEXMARK_EVENTS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --eddy) EDDY=$2; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$DATA/out"
REPORT=$DATA/last_run.txt
: > "$REPORT"

# Prints to stdout and to the report.
say() { printf '%s\n' "$*" | tee -a "$REPORT"; }
want() { [ "$ONLY" = all ] || [[ ",$ONLY," == *",$1,"* ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- set-up

install_packages() {
  local missing=""
  have sqlite3 || missing="$missing sqlite3"
  have mawk || missing="$missing mawk"
  have gawk || missing="$missing gawk"
  have hyperfine || missing="$missing hyperfine"
  [ -x /usr/bin/time ] || missing="$missing time"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "installing:$missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends $missing >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
          --no-install-recommends $missing >/dev/null 2>&1; } ||
      echo "warning: could not install$missing" >&2
  else
    echo "warning: missing$missing (the columns that need them are skipped)" >&2
  fi
}

install_duckdb() {
  local mod=$BENCH/.peers/node_modules/@duckdb/node-api
  [ -d "$mod" ] && return 0
  if ! have npm; then
    echo "warning: npm not found: DuckDB is skipped" >&2
    return 1
  fi
  mkdir -p "$BENCH/.peers"
  echo "installing @duckdb/node-api@$DUCKDB_VERSION into bench/.peers" >&2
  (cd "$BENCH/.peers" && npm install --no-audit --no-fund --silent \
     "@duckdb/node-api@$DUCKDB_VERSION" >/dev/null 2>&1) ||
    { echo "warning: npm install failed: DuckDB is skipped" >&2; return 1; }
}

build_release() {
  if [ -n "$EDDY" ]; then
    GEN=${GEN:-$ROOT/build-release/bench/gen_events}
    LATD=${LATD:-$ROOT/build-release/bench/latency_driver}
  fi
  local b=$ROOT/build-release
  if [ ! -f "$b/build.ninja" ]; then
    meson setup "$b" -Dbuildtype=release -Dwerror=false >/dev/null ||
      { echo "run.sh: meson setup failed" >&2; exit 1; }
  fi
  local targets="bench/gen_events bench/latency_driver"
  [ -z "$EDDY" ] && targets="shell/eddy $targets"
  ninja -C "$b" $targets >/dev/null ||
    { echo "run.sh: the release build failed (ninja -C build-release)" >&2
      exit 1; }
  EDDY=${EDDY:-$b/shell/eddy}
  GEN=$b/bench/gen_events
  LATD=$b/bench/latency_driver
}

gen_data() {
  if [ "$(cat "$DATA/events.rows" 2>/dev/null)" != "$N" ] ||
     [ ! -f "$DATA/events.csv" ] || [ ! -f "$DATA/events.jsonl" ]; then
    echo "generating $N rows into bench/data" >&2
    "$GEN" -n "$N" "$DATA/events.csv" "$DATA/events.jsonl" || exit 1
    echo "$N" > "$DATA/events.rows"
    rm -f "$DATA"/sqlite_*.db
  fi
}

# ---------------------------------------------------------------- timing

# Runs a command RUNS times (stdout to $OUT, stderr to $ERR); sets
# T_WALL (median wall seconds), T_CPU (median user+sys seconds), T_RSS
# (median max RSS in KiB), T_RC (exit status of the last run).
OUT=/dev/null
ERR=/dev/null
measure() {
  local walls="" cpus="" rss="" i t0 t1 tf=$DATA/out/time.txt
  for ((i = 0; i < RUNS; i++)); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%U %S %M" -o "$tf" "$@" > "$OUT" 2> "$ERR"
    T_RC=$?
    t1=$EPOCHREALTIME
    walls="$walls $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    cpus="$cpus $(tail -1 "$tf" | awk '{ printf "%.2f", $1 + $2 }')"
    rss="$rss $(tail -1 "$tf" | awk '{ print $3 }')"
  done
  T_WALL=$(median $walls)
  T_CPU=$(median $cpus)
  T_RSS=$(median $rss)
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Normalized answer of a result file (see queries/normalize.awk).
norm() { awk -f "$Q/normalize.awk" "$1" | LC_ALL=C sort; }

fmt_s() { [ "$1" = "-" ] && { echo "-"; return; }; awk -v v="$1" 'BEGIN { printf "%.3f", v }'; }
ratio() {
  if [ "$1" = "-" ] || [ "$2" = "-" ]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

# ----------------------------------------------------------- events a-d

duckdb_src() {
  local cols="columns={'ts':'TIMESTAMP','user_id':'BIGINT','page':'VARCHAR','latency_ms':'DOUBLE'}"
  if [ "$1" = csv ]; then
    echo "read_csv('events.csv', header=true, $cols)"
  else
    echo "read_json('events.jsonl', format='newline_delimited', $cols)"
  fi
}

# Runs DuckDB on query q over format f RUNS times; sets D_S (median of the
# in-process seconds) and writes the answer to $DATA/out/duckdb_q_f.csv.
run_duckdb() {
  local q=$1 f=$2 sqlf=$DATA/out/duckdb_$1_$2.sql times="" i
  local src
  src=$(duckdb_src "$f")
  sed "s|{SRC}|$src|" "$Q/duckdb/$q.sql" > "$sqlf"
  D_S=-
  for ((i = 0; i < RUNS; i++)); do
    (cd "$DATA" && node "$BENCH/peers/duckdb_query.cjs" "$sqlf") \
      > "$DATA/out/duckdb_${q}_$f.csv" 2> "$DATA/out/duckdb.err" || return 1
    times="$times $(sed -n 's/^duckdb_seconds=//p' "$DATA/out/duckdb.err")"
  done
  D_S=$(median $times)
}

# Imports the dataset into SQLite (RUNS times, timed); sets S_IMPORT.
sqlite_import() {
  local f=$1 db=$DATA/sqlite_$1.db times="" i
  for ((i = 0; i < RUNS; i++)); do
    rm -f "$db"
    local t0=$EPOCHREALTIME
    (cd "$DATA" && sqlite3 "$db" < "$Q/sqlite/import_$f.sql") > /dev/null || return 1
    local t1=$EPOCHREALTIME
    times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
  done
  S_IMPORT=$(median $times)
  # The import leaves hundreds of megabytes of dirty pages; their writeback
  # would run during the next measurements.
  sync
}

events_section() {
  local have_duck=0 have_sqlite=0
  install_duckdb && have node && have_duck=1
  have sqlite3 && have_sqlite=1
  say ""
  say "== Events dataset: $N rows ($(du -h "$DATA/events.csv" | cut -f1) CSV, $(du -h "$DATA/events.jsonl" | cut -f1) JSONL), median of $RUNS runs, wall seconds =="
  say "   sqlite: query seconds (+ import seconds, once per format); duckdb: in-process seconds"
  local hdr
  hdr=$(printf '%-5s %-6s %9s %9s %20s %8s %8s %8s %8s %8s %8s  %s' query format \
        "eddy s" "duckdb s" "sqlite s (+import)" "mawk s" "gawk s" \
        "e/duck" "e/sqlite" "e/mawk" "e/gawk" answers)
  say "$hdr"
  local f q
  for f in csv jsonl; do
    local s_imp=-
    if [ $have_sqlite = 1 ]; then
      sqlite_import "$f" && s_imp=$S_IMPORT || s_imp=-
    fi
    for q in a b c d; do
      # eddy
      OUT=$DATA/out/eddy_${q}_$f.csv ERR=$DATA/out/eddy.err
      local e_s=-
      measure_in_data "$EDDY" --format csv -f "$Q/events_$f.sql" -f "$Q/$q.sql"
      [ "$T_RC" = 0 ] && e_s=$T_WALL
      local e_ans=$DATA/out/eddy_${q}_$f.csv
      # duckdb
      local d_s=-
      if [ $have_duck = 1 ]; then
        run_duckdb "$q" "$f" && d_s=$D_S
      fi
      # sqlite
      local s_s=-
      if [ $have_sqlite = 1 ] && [ "$s_imp" != - ]; then
        OUT=$DATA/out/sqlite_${q}_$f.csv ERR=$DATA/out/sqlite.err
        measure_in_data sqlite3 -csv -header "$DATA/sqlite_$f.db" ".read $Q/sqlite/$q.sql"
        [ "$T_RC" = 0 ] && s_s=$T_WALL
      fi
      # awk (a and b)
      local m_s=- g_s=-
      if [ "$q" = a ] || [ "$q" = b ]; then
        local fs=","
        [ "$f" = jsonl ] && fs='"'
        for awkbin in mawk gawk; do
          have $awkbin || continue
          OUT=$DATA/out/${awkbin}_${q}_$f.csv ERR=$DATA/out/awk.err
          measure $awkbin -F"$fs" -f "$Q/awk/${q}_$f.awk" "$DATA/events.$f"
          [ "$T_RC" = 0 ] || continue
          if [ $awkbin = mawk ]; then m_s=$T_WALL; else g_s=$T_WALL; fi
        done
      fi
      # answers
      local verdict="same" ref peers=0 diffs=""
      if [ "$e_s" = - ]; then
        verdict="eddy failed: $(head -c 200 "$DATA/out/eddy.err" | tr '\n' ' ')"
      else
        ref=$(norm "$e_ans")
        for eng in duckdb sqlite mawk gawk; do
          local file=$DATA/out/${eng}_${q}_$f.csv
          case $eng in
            duckdb) [ "$d_s" = - ] && continue ;;
            sqlite) [ "$s_s" = - ] && continue ;;
            mawk) [ "$m_s" = - ] && continue ;;
            gawk) [ "$g_s" = - ] && continue ;;
          esac
          peers=$((peers + 1))
          [ "$(norm "$file")" = "$ref" ] || diffs="$diffs $eng"
        done
        [ -n "$diffs" ] && verdict="DIFFERENT:$diffs"
        [ $peers = 0 ] && verdict="no peer"
        [ -z "$ref" ] && verdict="eddy printed no rows"
      fi
      local sq=-
      [ "$s_s" != - ] && sq="$(fmt_s "$s_s") (+$(fmt_s "$s_imp"))"
      say "$(printf '%-5s %-6s %9s %9s %20s %8s %8s %8s %8s %8s %8s  %s' "$q" "$f" \
        "$(fmt_s "$e_s")" "$(fmt_s "$d_s")" "$sq" "$(fmt_s "$m_s")" "$(fmt_s "$g_s")" \
        "$(ratio "$e_s" "$d_s")" "$(ratio "$e_s" "$s_s")" "$(ratio "$e_s" "$m_s")" \
        "$(ratio "$e_s" "$g_s")" "$verdict")"
    done
  done
  say "   target: eddy/duckdb <= 0.50 for every query and format"
}

# measure, from bench/data (the DDL paths are relative to it).
measure_in_data() {
  local here=$PWD
  cd "$DATA" || return 1
  measure "$@"
  cd "$here" || return 1
}

# --------------------------------------------------------------- nexmark

nexmark_section() {
  say ""
  say "== Nexmark: $NEXMARK_EVENTS generator events per query (bids: 46/50), output csv > /dev/null, median of $RUNS runs =="
  local ddl=$DATA/out/nexmark_bid.sql
  sed "s/events = [0-9]*/events = $NEXMARK_EVENTS/" "$BENCH/nexmark/bid.sql" > "$ddl"
  # A short run that counts rows checks that the query runs and the stream
  # has the right number of bids (46 of every 50 events).
  local small=$DATA/out/nexmark_bid_small.sql
  sed "s/events = [0-9]*/events = 1000000/" "$BENCH/nexmark/bid.sql" > "$small"
  say "$(printf '%-4s %10s %10s %14s %16s %10s  %s' query "wall s" "cpu s" "events/s wall" "events/s/core" target check)"
  local q
  for q in q0 q1 q2 q5 q7; do
    local target=10000000
    case $q in q5|q7) target=3000000 ;; esac
    local lines check
    lines=$("$EDDY" --format csv -f "$small" -f "$BENCH/nexmark/$q.sql" \
            2> "$DATA/out/nexmark.err" | wc -l)
    case $q in
      q0|q1) [ "$lines" = 920001 ] && check="rows ok" || check="rows $((lines - 1)), want 920000" ;;
      *) check="$((lines - 1)) rows/1M events" ;;
    esac
    if [ -s "$DATA/out/nexmark.err" ]; then
      say "$(printf '%-4s %s' "$q" "failed: $(head -c 300 "$DATA/out/nexmark.err" | tr '\n' ' ')")"
      continue
    fi
    OUT=/dev/null ERR=$DATA/out/nexmark.err
    measure "$EDDY" --format csv -f "$ddl" -f "$BENCH/nexmark/$q.sql"
    if [ "$T_RC" != 0 ]; then
      say "$(printf '%-4s %s' "$q" "failed: $(head -c 300 "$DATA/out/nexmark.err" | tr '\n' ' ')")"
      continue
    fi
    local ew ec met
    ew=$(awk -v n="$NEXMARK_EVENTS" -v t="$T_WALL" 'BEGIN { printf "%.0f", n / t }')
    ec=$(awk -v n="$NEXMARK_EVENTS" -v t="$T_CPU" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }')
    met=$(awk -v v="$ec" -v t="$target" 'BEGIN { print (v + 0 >= t) ? "met" : "missed" }')
    say "$(printf '%-4s %10s %10s %14s %16s %10s  %s' "$q" "$(fmt_s "$T_WALL")" "$T_CPU" "$ew" "$ec" ">=$target $met" "$check")"
  done
}

# --------------------------------------------------------------- latency

latency_section() {
  say ""
  say "== Latency: socket source -> SELECT value -> stdout, 100,000 lines/s for ${LAT_SECONDS} s, default trigger =="
  local out
  out=$("$LATD" --eddy "$EDDY" --rate 100000 --seconds "$LAT_SECONDS" --warmup 0.5 2>&1)
  say "   $out"
  local p99
  p99=$(printf '%s\n' "$out" | sed -n 's/.*p99_us=\([0-9.]*\).*/\1/p')
  [ -n "$p99" ] && say "   target: p99 < 1000 us: $(awk -v v="$p99" 'BEGIN { print (v < 1000) ? "met" : "missed" }')"
}

# ----------------------------------------------------------------- state

state_section() {
  say ""
  say "== State footprint: GROUP BY k (BIGINT) with count, sum, avg; one row per key =="
  say "$(printf '%10s %14s %12s %14s %12s %14s  %s' keys "memUsedBytes" "bytes/group" "max RSS KiB" "RSS/group" "(RSS-base)/grp" target)"
  local base_rss=""
  for k in 1000 $STATE_KEYS; do
    local file=$DATA/keys_$k.csv
    if [ ! -f "$file" ]; then
      { echo k; seq 0 $((k - 1)); } > "$file"
    fi
    local sql="CREATE STREAM keys (k BIGINT) WITH (connector = 'file', path = '$file', format = 'csv', header = true); SELECT k, count(*) AS c, sum(k) AS s, avg(k) AS a FROM keys GROUP BY k TRIGGER AVAILABLE NOW;"
    local saved=$RUNS
    RUNS=1
    OUT=/dev/null ERR=$DATA/out/state_progress.txt
    measure "$EDDY" --progress --format csv -e "$sql"
    RUNS=$saved
    if [ "$T_RC" != 0 ]; then
      say "   $k keys: failed: $(grep -v '^{' "$ERR" | head -c 300)"
      continue
    fi
    local mem
    mem=$(grep -o '"memoryUsedBytes":[0-9]*' "$ERR" | sed 's/.*://' | sort -n | tail -1)
    [ -z "$mem" ] && mem=0
    if [ "$k" = 1000 ]; then
      base_rss=$T_RSS
      continue
    fi
    local bpg rpg dpg
    bpg=$(awk -v m="$mem" -v k="$k" 'BEGIN { printf "%.1f", m / k }')
    rpg=$(awk -v r="$T_RSS" -v k="$k" 'BEGIN { printf "%.1f", r * 1024 / k }')
    dpg=$(awk -v r="$T_RSS" -v b="$base_rss" -v k="$k" 'BEGIN { printf "%.1f", (r - b) * 1024 / k }')
    say "$(printf '%10s %14s %12s %14s %12s %14s  %s' "$k" "$mem" "$bpg" "$T_RSS" "$rpg" "$dpg" \
      "<= 72 (64 + 8 key bytes): $(awk -v v="$bpg" 'BEGIN { print (v <= 72) ? "met" : "missed" }')")"
  done
  say "   base: max RSS of the same query over 1,000 keys: ${base_rss:-?} KiB"
}

# --------------------------------------------------------------- startup

startup_section() {
  say ""
  say "== Startup: eddy -e \"SELECT 1\" =="
  local mean
  if have hyperfine; then
    hyperfine -N --warmup 20 --runs 200 --export-csv "$DATA/out/startup.csv" \
      "$EDDY -e 'SELECT 1'" > /dev/null 2>&1
    mean=$(awk -F, 'NR == 2 { printf "%.2f", $2 * 1000 }' "$DATA/out/startup.csv")
    local med
    med=$(awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$DATA/out/startup.csv")
    say "   hyperfine (200 runs): mean $mean ms, median $med ms"
  else
    local t0=$EPOCHREALTIME
    for ((i = 0; i < 100; i++)); do "$EDDY" -e "SELECT 1" > /dev/null; done
    local t1=$EPOCHREALTIME
    mean=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 10 }')
    say "   loop of 100 runs: mean $mean ms"
  fi
  say "   target: < 5 ms: $(awk -v v="$mean" 'BEGIN { print (v < 5) ? "met" : "missed" }')"
}

# ------------------------------------------------------------------ main

install_packages
build_release
say "eddy benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
say "eddy: $EDDY"
want events && { gen_data; events_section; }
want nexmark && nexmark_section
want latency && latency_section
want state && state_section
want startup && startup_section
exit 0
