#!/usr/bin/env bash
# tests/scenarios/run.sh — stream scenario tests (DESIGN §8), TAP.
#
#   bash run.sh EDDY DIR...
#
# Every DIR/NAME.sql is an eddy script; `eddy -f NAME.sql` runs in a
# scratch directory that holds a copy of DIR/data (so scripts name their
# input files data/...) and its stdout must match NAME.expected by the
# rules of ../shared/scenarios/README.md:
#   - the lines that the script's `.print TEXT` commands write are markers;
#     the lines from one marker to the next are the output of that step;
#   - within a step, rows are compared as a multiset (any order), unless
#     the script has ORDER BY: then in order;
#   - the csv header comes once, when the query starts (it is a line of
#     the step the query starts in, usually the lines before any marker).
# Optional files beside NAME.sql:
#   NAME.status  the exit status eddy must end with (default 0)
#   NAME.err     text that stderr must contain, one fragment per line
#   NAME.args    extra arguments of eddy, one per line
# Every expected output is written by hand from the semantics of DESIGN
# §4, never copied from eddy's output.

EDDY=${1:?usage: run.sh EDDY DIR...}
shift
case $EDDY in /*) ;; *) EDDY=$PWD/$EDDY ;; esac

TAP_N=0
FAILED=0
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export HOME=$SCRATCH          # no ~/.eddyrc of the user

ok() {   # ok PASSED NAME
  TAP_N=$((TAP_N + 1))
  if [ "$1" = 1 ]; then
    echo "ok $TAP_N - $2"
  else
    FAILED=$((FAILED + 1))
    echo "not ok $TAP_N - $2"
  fi
}

# The texts that the .print commands of a script write, one per line, as
# shell/dotcmd.c writes them (one pair of surrounding quotes removed).
markers() {
  sed -n -E 's/^[[:space:]]*\.print ?//p' "$1" | while IFS= read -r m; do
    case $m in
      \'*\') m=${m:1:${#m}-2} ;;
      \"*\") m=${m:1:${#m}-2} ;;
    esac
    printf '%s\n' "$m"
  done
}

# normalize MARKERS ORDERED < output: one "== marker" line per step, then
# the step's lines, sorted unless ORDERED is 1.
normalize() {
  awk -v markers="$1" -v ordered="$2" '
    BEGIN {
      while ((getline m < markers) > 0) is_marker[m] = 1
      n = 0; step = "== (start)"
    }
    function flush(   i, j, t) {
      print step
      if (ordered != 1)
        for (i = 2; i <= n; i++)
          for (j = i; j > 1 && (rows[j - 1] "") > (rows[j] ""); j--) {
            t = rows[j]; rows[j] = rows[j - 1]; rows[j - 1] = t
          }
      for (i = 1; i <= n; i++) print "   " rows[i]
      n = 0
    }
    {
      if ($0 in is_marker) { flush(); step = "== " $0 }
      else rows[++n] = $0
    }
    END { flush() }'
}

run_scenario() {   # run_scenario DIR NAME
  local dir=$1 name=$2 sql=$1/$2.sql
  local work=$SCRATCH/$name
  rm -rf "$work"
  mkdir -p "$work"
  [ -d "$dir/data" ] && cp -r "$dir/data" "$work/data"
  local args=()
  if [ -f "$dir/$name.args" ]; then
    while IFS= read -r a; do [ -n "$a" ] && args+=("$a"); done <"$dir/$name.args"
  fi
  (cd "$work" && timeout 60 "$EDDY" "${args[@]}" -f "$sql" \
     >"$work/.out" 2>"$work/.err" </dev/null)
  local rc=$?
  local want_rc=0
  [ -f "$dir/$name.status" ] && want_rc=$(tr -d '[:space:]' <"$dir/$name.status")
  if [ "$rc" = "$want_rc" ]; then
    ok 1 "$name: exit status $want_rc"
  else
    ok 0 "$name: exit status $want_rc"
    echo "#   exit status $rc"
    sed 's/^/#   stderr: /' "$work/.err" | head -10
  fi
  local ordered=0
  grep -qiE 'ORDER[[:space:]]+BY' "$sql" && ordered=1
  markers "$sql" >"$work/.markers"
  normalize "$work/.markers" "$ordered" <"$dir/$name.expected" >"$work/.want"
  normalize "$work/.markers" "$ordered" <"$work/.out" >"$work/.got"
  if cmp -s "$work/.want" "$work/.got"; then
    ok 1 "$name: output"
  else
    ok 0 "$name: output"
    diff "$work/.want" "$work/.got" | sed 's/^/#   /' | head -40
    sed 's/^/#   stderr: /' "$work/.err" | head -10
  fi
  if [ -f "$dir/$name.err" ]; then
    local frag err
    err=$(cat "$work/.err")
    while IFS= read -r frag; do
      [ -z "$frag" ] && continue
      if [[ "$err" == *"$frag"* ]]; then
        ok 1 "$name: stderr says: $frag"
      else
        ok 0 "$name: stderr says: $frag"
        printf '%s\n' "$err" | sed 's/^/#   stderr: /' | head -10
      fi
    done <"$dir/$name.err"
  fi
}

for dir in "$@"; do
  case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
  if [ ! -d "$dir" ]; then
    ok 0 "scenario directory $dir exists"
    continue
  fi
  for sql in "$dir"/*.sql; do
    [ -e "$sql" ] || continue
    name=$(basename "$sql" .sql)
    if [ ! -f "$dir/$name.expected" ]; then
      ok 0 "$name: has $name.expected"
      continue
    fi
    run_scenario "$dir" "$name"
  done
done

echo "1..$TAP_N"
[ "$FAILED" = 0 ]
