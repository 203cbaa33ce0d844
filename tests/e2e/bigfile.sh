#!/usr/bin/env bash
# tests/e2e/bigfile.sh — a file stream large enough (over 8 MB) to be
# decoded on several threads (EDDY_THREADS=3, whatever the machine), and
# the columns a query does not read.
#
# Rows must come out whole and in file order: the ids are compared with
# seq, and a grouped aggregate with sqlite3 over the same CSV.  A quoted
# field holding a line break, placed where a chunk cut falls, makes the
# parallel decode hand the rest of the file back to the ordinary decoder;
# the answer must not change.  Then DESIGN §6 with column pruning: in
# PERMISSIVE mode a malformed value in a column the query does not read is
# neither converted nor counted (as Spark's CSV column pruning); in
# DROPMALFORMED and FAILFAST every column is still checked.
. "$(dirname "$0")/lib.sh"

export EDDY_THREADS=3
ROWS=400000

# big.csv: id,grp,name,val with a header; about 11 MB.
awk -v n=$ROWS 'BEGIN {
  print "id,grp,name,val"
  for (i = 1; i <= n; i++)
    printf "%d,%d,name_%d,%d.%02d\n", i, i % 7, i % 1000, i % 977, i % 100
}' >big.csv
[ "$(wc -c <big.csv)" -gt 9000000 ]
tap_result $((1 - $?)) "the test file is larger than one parallel range (8 MB)"

"$SQLITE" :memory: -csv ".import big.csv t" \
  "SELECT grp, count(*), printf('%.2f', sum(CAST(val AS REAL))) FROM t GROUP BY grp ORDER BY grp;" \
  >want_groups.txt

stream_sql() {   # stream_sql FILE [MODE]
  printf "CREATE STREAM s (id BIGINT, grp BIGINT, name VARCHAR, val DOUBLE)
    WITH (connector = 'file', path = '%s', format = 'csv', header = true%s);" \
    "$1" "${2:+, mode = '$2'}"
}

check_file() {   # check_file FILE LABEL
  run_eddy --format csv -e "$(stream_sql "$1")" \
    -e "SELECT id FROM s TRIGGER AVAILABLE NOW;"
  rc_is 0 "$2: the query ends with the file"
  is "$(printf '%s\n' "$OUT" | tail -n +2 | md5sum)" "$(seq 1 $ROWS | md5sum)" \
    "$2: every id once, in file order"
  run_eddy --format csv -e "$(stream_sql "$1")" \
    -e "SELECT grp, count(*) AS n, sum(val) AS total FROM s GROUP BY grp EMIT COMPLETE TRIGGER AVAILABLE NOW;"
  is "$(printf '%s\n' "$OUT" | tail -n +2 | sort -t, -k1,1n |
        awk -F, '{ printf "%s,%s,%.2f\n", $1, $2, $3 }')" \
     "$(cat want_groups.txt)" "$2: groups, counts and sums equal sqlite3's"
}
check_file big.csv "large CSV"

# The same rows with some names quoted and holding a line break: one
# where the first chunk ends (its line break is the first newline at or
# after byte 2 MiB - 1, where the cut is looked for), others elsewhere.
awk -v n=$ROWS -v cut=2097151 'BEGIN {
  pos = 0
  line = "id,grp,name,val\n"; printf "%s", line; pos += length(line)
  for (i = 1; i <= n; i++) {
    head = sprintf("%d,%d,\"name", i, i % 7)
    plain = sprintf("%d,%d,name_%d,%d.%02d\n", i, i % 7, i % 1000, i % 977, i % 100)
    at_cut = !done && pos <= cut && pos + length(plain) > cut
    if (at_cut) {         # pad the name so that its line break is at the cut
      while (pos + length(head) < cut) head = head "x"
    }
    if (at_cut || i % 20000 == 0) {
      line = sprintf("%s\n_%d\",%d.%02d\n", head, i % 1000, i % 977, i % 100)
      if (at_cut) done = 1
    } else {
      line = plain
    }
    printf "%s", line; pos += length(line)
  }
}' >quoted.csv
check_file quoted.csv "large CSV with quoted line breaks"
run_eddy --format csv -e "$(stream_sql quoted.csv)" \
  -e "SELECT name FROM s WHERE id = 40000 TRIGGER AVAILABLE NOW;"
is "$OUT" 'name
"name
_0"' "a quoted line break stays inside its field"

# A directory stream of both files: each decoded in parallel, in name
# order.
mkdir -p bigdir
cp big.csv bigdir/1.csv
cp quoted.csv bigdir/2.csv
run_eddy --format csv -e "CREATE STREAM s (id BIGINT, grp BIGINT, name VARCHAR, val DOUBLE)
    WITH (connector = 'directory', path = 'bigdir', format = 'csv', header = true);" \
  -e "SELECT id FROM s TRIGGER AVAILABLE NOW;"
rc_is 0 "directory of large files: the query ends"
is "$(printf '%s\n' "$OUT" | tail -n +2 | md5sum)" "$( (seq 1 $ROWS; seq 1 $ROWS) | md5sum)" \
  "directory of large files: every id once, file after file, in order"

# Through a pipe: stdin's window is decoded in parallel from memory.
for f in big.csv quoted.csv; do
  OUT=$(cat "$f" | "$EDDY" --format csv -e "SELECT id FROM stdin;")
  is "$(printf '%s\n' "$OUT" | tail -n +2 | md5sum)" "$(seq 1 $ROWS | md5sum)" \
    "$f piped into stdin: every id once, in order"
done

# JSON lines, the same rows.
awk -v n=$ROWS 'BEGIN {
  for (i = 1; i <= n; i++)
    printf "{\"id\": %d, \"grp\": %d, \"name\": \"name_%d\", \"val\": %d.%02d}\n", i, i % 7, i % 1000, i % 977, i % 100
}' >big.jsonl
run_eddy --format csv -e "CREATE STREAM s (id BIGINT, grp BIGINT, name VARCHAR, val DOUBLE)
    WITH (connector = 'file', path = 'big.jsonl', format = 'jsonl');" \
  -e "SELECT grp, count(*) AS n, sum(val) AS total FROM s GROUP BY grp EMIT COMPLETE TRIGGER AVAILABLE NOW;"
is "$(printf '%s\n' "$OUT" | tail -n +2 | sort -t, -k1,1n |
      awk -F, '{ printf "%s,%s,%.2f\n", $1, $2, $3 }')" \
   "$(cat want_groups.txt)" "large JSON lines: groups equal sqlite3's"
OUT=$(cat big.jsonl | "$EDDY" --format csv --input-format jsonl \
  --schema "id BIGINT, grp BIGINT, name VARCHAR, val DOUBLE" \
  -e "SELECT grp, count(*) AS n, sum(val) AS total FROM stdin GROUP BY grp EMIT UPDATE;")
# UPDATE rows arrive batch after batch: the last one per group is final.
is "$(printf '%s\n' "$OUT" | tail -n +2 |
      awk -F, '{ last[$1] = $0 } END { for (g in last) print last[g] }' |
      sort -t, -k1,1n | awk -F, '{ printf "%s,%s,%.2f\n", $1, $2, $3 }')" \
   "$(cat want_groups.txt)" "large JSON lines piped into stdin: groups equal sqlite3's"

# --- columns a query does not read
printf 'a,b\n1,10\n2,oops\n3,30\n' >bad.csv
bad_sql() {   # bad_sql MODE
  printf "CREATE STREAM s (a BIGINT, b BIGINT) WITH (connector = 'file',
    path = 'bad.csv', format = 'csv', header = true, mode = '%s');" "$1"
}
run_eddy --format csv -e "$(bad_sql PERMISSIVE)" -e "SELECT a FROM s TRIGGER AVAILABLE NOW;"
is "$OUT" "a
1
2
3" "PERMISSIVE: a value that does not convert in a column not read changes no row"
unlike "$ERR" "malformed" "PERMISSIVE: ... and is not counted (the column is not converted)"
run_eddy --format csv -e "$(bad_sql PERMISSIVE)" -e "SELECT a, b FROM s TRIGGER AVAILABLE NOW;"
is "$OUT" "a,b
1,10
2,
3,30" "PERMISSIVE: in a column read it is NULL"
like "$ERR" "1 malformed record kept as NULLs" "PERMISSIVE: ... and counted"
run_eddy --format csv -e "$(bad_sql DROPMALFORMED)" -e "SELECT a FROM s TRIGGER AVAILABLE NOW;"
is "$OUT" "a
1
3" "DROPMALFORMED: the record is dropped even when the query does not read the column"
like "$ERR" "1 malformed record dropped" "DROPMALFORMED: ... and counted"
run_eddy --format csv -e "$(bad_sql FAILFAST)" -e "SELECT a FROM s TRIGGER AVAILABLE NOW;"
rc_is 1 "FAILFAST: the query stops even when it does not read the column"
like "$ERR" "line 3" "FAILFAST: ... naming the line"

done_testing
