# tests/e2e/lib.sh — helpers shared by the end-to-end tests (bash, TAP).
#
# Each test script is run as:  bash <test>.sh EDDY SRCDIR [SQLITE3]
# It sources this file, which sets EDDY, SRC and SQLITE, makes a scratch
# directory (the working directory of the test, removed at exit), and
# provides:
#   run_eddy ARGS...       runs eddy with stdin from /dev/null; sets OUT, ERR
#                          (stdout and stderr, trailing newlines removed), RC
#   run_eddy_in TEXT ARGS  the same with TEXT on stdin
#   is GOT WANT NAME       ok when GOT equals WANT (diff shown otherwise)
#   like GOT PATTERN NAME  ok when GOT contains the fixed string PATTERN
#   unlike GOT PATTERN NAME
#   rc_is WANT NAME        ok when RC equals WANT
#   json_min               filter: lines holding a JSON object are rewritten
#                          by sqlite3's json() (no insignificant blanks)
#   csv_min                filter: removes the quotes sqlite3 -csv puts around
#                          fields that need none (no comma, quote or newline)
#   skip_all REASON        the whole script is skipped
#   done_testing           prints the plan; exit status 1 if a check failed
# Expectations are written by hand from the specification or computed by
# sqlite3 over the same data; never taken from eddy's own output.

EDDY=${1:?usage: test.sh EDDY SRCDIR [SQLITE3]}
SRC=${2:?usage: test.sh EDDY SRCDIR [SQLITE3]}
SQLITE=${3:-sqlite3}
case $EDDY in /*) ;; *) EDDY=$PWD/$EDDY ;; esac
case $SRC in /*) ;; *) SRC=$PWD/$SRC ;; esac

TAP_N=0
TAP_FAILED=0
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1
export HOME=$SCRATCH          # no ~/.eddyrc or history of the user

run_eddy() {
  "$EDDY" "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err" </dev/null
  RC=$?
  OUT=$(cat "$SCRATCH/.out")
  ERR=$(cat "$SCRATCH/.err")
}

run_eddy_in() {
  local input=$1
  shift
  printf '%s' "$input" | "$EDDY" "$@" >"$SCRATCH/.out" 2>"$SCRATCH/.err"
  RC=$?
  OUT=$(cat "$SCRATCH/.out")
  ERR=$(cat "$SCRATCH/.err")
}

tap_result() {   # tap_result OK NAME
  TAP_N=$((TAP_N + 1))
  if [ "$1" = 1 ]; then
    echo "ok $TAP_N - $2"
  else
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $2"
  fi
}

is() {
  if [ "$1" == "$2" ]; then
    tap_result 1 "$3"
  else
    tap_result 0 "$3"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") | sed 's/^/#   /' |
      head -40
    [ -n "$ERR" ] && printf '%s\n' "$ERR" | sed 's/^/#   stderr: /' | head -10
  fi
  return 0
}

like() {
  if [[ "$1" == *"$2"* ]]; then
    tap_result 1 "$3"
  else
    tap_result 0 "$3"
    printf '#   want text containing: %s\n' "$2"
    printf '%s\n' "$1" | sed 's/^/#   got: /' | head -20
  fi
  return 0
}

unlike() {
  if [[ "$1" != *"$2"* ]]; then
    tap_result 1 "$3"
  else
    tap_result 0 "$3"
    printf '#   text must not contain: %s\n' "$2"
  fi
  return 0
}

rc_is() {
  if [ "$RC" = "$1" ]; then
    tap_result 1 "$2"
  else
    tap_result 0 "$2"
    echo "#   exit status $RC, want $1"
    [ -n "$ERR" ] && printf '%s\n' "$ERR" | sed 's/^/#   stderr: /' | head -10
  fi
  return 0
}

json_min() {
  local line
  while IFS= read -r line; do
    if [[ $line == "{"* ]]; then
      "$SQLITE" :memory: "SELECT json('${line//\'/\'\'}');"
    else
      printf '%s\n' "$line"
    fi
  done
}

csv_min() {
  sed -E 's/"([^",]*)"/\1/g'
}

skip_all() {
  echo "1..0 # SKIP $1"
  exit 0
}

done_testing() {
  echo "1..$TAP_N"
  [ "$TAP_FAILED" = 0 ]
  exit
}
