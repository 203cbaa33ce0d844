#!/usr/bin/env bash
# tests/e2e/filetable.sh — file tables read through CREATE TABLE ... WITH
# (connector = 'file') and queried; every result is compared with sqlite3
# running the same SQL over the same data (examples/events.csv and
# examples/users.csv imported into typed tables).
. "$(dirname "$0")/lib.sh"

command -v "$SQLITE" >/dev/null 2>&1 || skip_all "sqlite3 is not installed"
EV=$SRC/examples/events.csv
US=$SRC/examples/users.csv
[ -r "$EV" ] && [ -r "$US" ] || skip_all "examples/*.csv not found"

db=$SCRATCH/ref.db
"$SQLITE" "$db" <<SQL
CREATE TABLE events (ts TEXT, user_id INTEGER, page TEXT, latency_ms REAL);
CREATE TABLE users (id INTEGER, name TEXT, country TEXT);
.mode csv
.import --skip 1 '$EV' events
.import --skip 1 '$US' users
SQL

setup="CREATE TABLE events (ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE)
  WITH (connector = 'file', path = '$EV', format = 'csv', header = true);
CREATE TABLE users WITH (connector = 'file', path = '$US', format = 'csv', header = true);"

# compare NAME SQL [SQLITE_SQL]: eddy's csv output equals sqlite3's.
compare() {
  local name=$1 sql=$2 ref=${3:-$2}
  local want
  want=$("$SQLITE" -header -csv "$db" "$ref" | csv_min)
  run_eddy --format csv -e "$setup" -e "$sql"
  if [ "$RC" != 0 ]; then
    rc_is 0 "$name"
    return
  fi
  is "$OUT" "$want" "$name"
}

run_eddy -e "$setup" -e "SELECT count(*) AS n FROM events;"
rc_is 0 "a file table is created and queried"
is "$OUT" $'n\n50000' "every row of the file is read"

compare "totals" "SELECT count(*) AS n, count(DISTINCT user_id) AS users,
  min(ts) AS first_ts, max(ts) AS last_ts, sum(user_id) AS s FROM events;"
compare "group by page, order by count" "SELECT page, count(*) AS views
  FROM events GROUP BY page ORDER BY views DESC, page;"
compare "avg, min, max per page" "SELECT page, round(avg(latency_ms), 2) AS avg_ms,
  min(latency_ms) AS lo, max(latency_ms) AS hi FROM events GROUP BY page ORDER BY page;"
compare "sum of doubles" "SELECT page, round(sum(latency_ms), 1) AS total
  FROM events GROUP BY page ORDER BY page;"
compare "join with users" "SELECT u.country, count(*) AS views,
  count(DISTINCT e.user_id) AS users
  FROM events e JOIN users u ON e.user_id = u.id
  GROUP BY u.country ORDER BY u.country;"
compare "left join, unmatched rows" "SELECT count(*) AS views,
  count(DISTINCT e.user_id) AS unknown_users
  FROM events e LEFT JOIN users u ON e.user_id = u.id WHERE u.id IS NULL;"
compare "LIKE, BETWEEN, IN" "SELECT count(*) AS n FROM events
  WHERE page LIKE '/product/%' AND latency_ms BETWEEN 50 AND 100
    AND user_id IN (1, 2, 3, 5, 8, 13, 21, 34, 55, 89);"
compare "ORDER BY, LIMIT, OFFSET" "SELECT ts, user_id, page, latency_ms FROM events
  WHERE latency_ms > 1000 ORDER BY latency_ms DESC, ts, user_id, page LIMIT 10 OFFSET 5;"
compare "HAVING" "SELECT user_id, count(*) AS n FROM events GROUP BY user_id
  HAVING count(*) > 440 ORDER BY user_id;"
compare "subquery in FROM" "SELECT max(n) AS most, min(n) AS least
  FROM (SELECT user_id, count(*) AS n FROM events GROUP BY user_id) t;"
compare "DISTINCT" "SELECT DISTINCT page FROM events ORDER BY page;"
compare "UNION ALL" "SELECT 'slow' AS kind, count(*) AS n FROM events WHERE latency_ms > 1000
  UNION ALL SELECT 'fast', count(*) FROM events WHERE latency_ms < 10 ORDER BY kind;"
compare "scalar functions, CASE, CAST, ||" "SELECT upper(page) AS up, length(page) AS len,
  substr(page, 2, 4) AS sub, page || '#' || CAST(user_id AS VARCHAR) AS tag,
  CASE WHEN latency_ms > 100 THEN 'slow' ELSE 'ok' END AS speed,
  CAST(latency_ms AS BIGINT) AS ms
  FROM events WHERE user_id = 7 ORDER BY ts, page, latency_ms LIMIT 20;"
compare "timestamp range" "SELECT count(*) AS n FROM events
  WHERE ts >= '2024-03-01 06:00:00' AND ts < '2024-03-01 07:00:00';"
compare "integer arithmetic" "SELECT user_id / 7 AS bucket, count(*) AS n,
  sum(user_id % 5) AS m FROM events GROUP BY user_id / 7 ORDER BY bucket;"

# A file table without a column list: the schema is inferred.
run_eddy -e "CREATE TABLE ev WITH (connector = 'file', path = '$EV', format = 'csv', header = true);" -e "SHOW TABLES;"
like "$OUT" '"ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE"' "the schema of a CSV file is inferred"
want=$("$SQLITE" -header -csv "$db" "SELECT page, count(*) AS n, max(latency_ms) AS hi FROM events GROUP BY page ORDER BY page;" | csv_min)
run_eddy -e "CREATE TABLE ev WITH (connector = 'file', path = '$EV', format = 'csv', header = true);" \
  -e "SELECT page, count(*) AS n, max(latency_ms) AS hi FROM ev GROUP BY page ORDER BY page;"
is "$OUT" "$want" "a table with an inferred schema is queried"

# JSON lines: the first 2000 events written by sqlite3's json_object.
"$SQLITE" "$db" "SELECT json_object('ts', ts, 'user_id', user_id, 'page', page,
  'latency_ms', latency_ms) FROM events WHERE rowid <= 2000 ORDER BY rowid;" > ev.jsonl
want=$("$SQLITE" -header -csv "$db" "SELECT page, count(*) AS n, sum(user_id) AS s,
  max(latency_ms) AS hi FROM events WHERE rowid <= 2000 GROUP BY page ORDER BY page;" | csv_min)
run_eddy -e "CREATE TABLE j (ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE)
  WITH (connector = 'file', path = 'ev.jsonl', format = 'jsonl');" \
  -e "SELECT page, count(*) AS n, sum(user_id) AS s, max(latency_ms) AS hi FROM j GROUP BY page ORDER BY page;"
rc_is 0 "a jsonl file table is queried"
is "$OUT" "$want" "jsonl file table results equal sqlite3's"

# A memory table filled from a file table.
sql="CREATE TABLE heavy (user_id BIGINT, views BIGINT);
INSERT INTO heavy SELECT user_id, count(*) FROM events GROUP BY user_id HAVING count(*) > 430;
INSERT INTO heavy VALUES (0, 0);
SELECT h.user_id, h.views, u.name FROM heavy h LEFT JOIN users u ON h.user_id = u.id ORDER BY h.user_id;"
want=$("$SQLITE" -header -csv "$db" "CREATE TEMP TABLE heavy (user_id INTEGER, views INTEGER);
INSERT INTO heavy SELECT user_id, count(*) FROM events GROUP BY user_id HAVING count(*) > 430;
INSERT INTO heavy VALUES (0, 0);
SELECT h.user_id, h.views, u.name FROM heavy h LEFT JOIN users u ON h.user_id = u.id ORDER BY h.user_id;" | csv_min)
run_eddy -e "$setup" -e "$sql"
is "$OUT" "$want" "INSERT ... SELECT from a file table into a memory table"

# The demo script runs from the repository root without an error.
(cd "$SRC" && "$EDDY" -f examples/demo.sql >"$SCRATCH/demo.out" 2>"$SCRATCH/demo.err")
RC=$?
ERR=$(cat "$SCRATCH/demo.err")
rc_is 0 "examples/demo.sql runs without an error"
is "$ERR" "" "examples/demo.sql writes nothing to stderr"
want=$("$SQLITE" -header -csv "$db" "SELECT page, count(*) AS views FROM events
  GROUP BY page ORDER BY views DESC, page LIMIT 5;" | csv_min)
like "$(cat "$SCRATCH/demo.out")" "$want" "the demo's top pages are sqlite3's"
# Its streaming part writes each 2-hour window once, as sqlite3 groups them.
want=$("$SQLITE" -csv "$db" "SELECT datetime(b * 7200, 'unixepoch'),
    datetime(b * 7200 + 7200, 'unixepoch'), count(*), round(avg(latency_ms), 1)
  FROM (SELECT strftime('%s', ts) / 7200 AS b, latency_ms FROM events)
  GROUP BY b ORDER BY b;" | csv_min)
like "$(cat "$SCRATCH/demo.out")" "w_start,w_end,views,avg_ms
$want" "the demo's stream windows are sqlite3's 2-hour groups"

done_testing
