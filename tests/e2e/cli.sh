#!/usr/bin/env bash
# tests/e2e/cli.sh — the command line: -e, -f, SQL on stdin, --help,
# --version, exit statuses 0/1/2 (DESIGN §7).
. "$(dirname "$0")/lib.sh"

# --- --version and --help
run_eddy --version
rc_is 0 "--version exits 0"
is "$OUT" "eddy 0.1.0" "--version prints the version"

run_eddy --help
rc_is 0 "--help exits 0"
for opt in -e -f --format --truncate -n --version --help --input-format \
           --schema --checkpoint --trigger --output-mode --progress; do
  if grep -Eq -- "^ +(-[a-z], )?$opt( |$)" <<<"$OUT"; then
    tap_result 1 "--help documents $opt"
  else
    tap_result 0 "--help documents $opt"
  fi
done

# --- -e
run_eddy -e "SELECT 1 + 2 AS three;"
rc_is 0 "-e exits 0"
is "$OUT" $'three\n3' "-e result in csv when stdout is not a terminal"
is "$ERR" "" "-e writes nothing to stderr"

run_eddy -e "SELECT 1 AS a;" -e "SELECT 'x' AS b; SELECT 2 AS c;"
is "$OUT" $'a\n1\nb\nx\nc\n2' "-e is repeatable; statements run in order"

run_eddy -e "SELECT 7 AS n"
rc_is 0 "the last statement of -e may omit its semicolon"
is "$OUT" $'n\n7' "a statement without ';' at the end runs"

# --- -f
cat > one.sql <<'SQL'
-- a comment line
CREATE TABLE t (a BIGINT, b VARCHAR);
INSERT INTO t VALUES (1, 'one'), (2, 'two');
SELECT a, b
FROM t
ORDER BY a DESC;
SQL
cat > two.sql <<'SQL'
INSERT INTO t VALUES (3, 'three');
SELECT count(*) AS n FROM t;
SQL
run_eddy -f one.sql
rc_is 0 "-f exits 0"
is "$OUT" $'a,b\n2,two\n1,one' "-f runs the file's statements"

run_eddy -f one.sql -e "SELECT sum(a) AS s FROM t;" -f two.sql
is "$OUT" $'a,b\n2,two\n1,one\ns\n3\nn\n3' "-f and -e run in the order given"

run_eddy -f does-not-exist.sql
rc_is 1 "a missing -f file exits 1"
like "$ERR" "does-not-exist.sql" "the message names the missing file"

# --- SQL on stdin
run_eddy_in $'SELECT 40 + 2 AS answer;\nSELECT \'a\' || \'b\' AS ab;\n'
rc_is 0 "SQL from a pipe exits 0"
is "$OUT" $'answer\n42\nab\nab' "SQL is read from a non-terminal stdin"

run_eddy_in $'CREATE TABLE t (x BIGINT);\nINSERT INTO t VALUES (5);\nSELECT x * 2 AS y FROM t;'
is "$OUT" $'y\n10' "a piped script keeps its tables across statements"

run_eddy_in "SELECT 1 AS from_stdin;" -e "SELECT 2 AS from_e;"
is "$OUT" $'from_e\n2' "with -e, stdin is not read as SQL"

# --- exit status 1: the first failing statement stops the run
run_eddy -e "SELECT 1 AS before; SELECT nosuch FROM nowhere; SELECT 3 AS after;"
rc_is 1 "a failing statement exits 1"
is "$OUT" $'before\n1' "statements before the failure ran, those after did not"
like "$ERR" "Error:" "the error goes to stderr"

run_eddy -e "SELECT 1 AS a;" -e "SELEC 2;" -e "SELECT 3 AS c;"
rc_is 1 "a failing -e stops the following ones"
is "$OUT" $'a\n1' "no -e runs after the failing one"

run_eddy_in $'SELECT 1 AS a;\nSELECT * FROM missing;\nSELECT 2 AS b;\n'
rc_is 1 "a failing statement on stdin exits 1"
is "$OUT" $'a\n1' "stdin stops at the failing statement"

# --- exit status 2: usage errors
run_eddy --no-such-option
rc_is 2 "an unknown option exits 2"
like "$ERR" "--no-such-option" "the usage error names the option"
like "$ERR" "eddy --help" "the usage error hints at --help"
is "$OUT" "" "a usage error writes nothing to stdout"

run_eddy -e
rc_is 2 "-e without a value exits 2"

run_eddy --format xml -e "SELECT 1;"
rc_is 2 "an invalid --format exits 2"
like "$ERR" "table, csv, jsonl" "the message lists the formats"

run_eddy --truncate -3 -e "SELECT 1;"
rc_is 2 "a negative --truncate exits 2"

run_eddy queries.sql
rc_is 2 "a stray argument exits 2"
like "$ERR" "-f queries.sql" "a stray argument suggests -f"

run_eddy --trigger 'soon' -e "SELECT 1;"
rc_is 2 "an invalid --trigger exits 2"
run_eddy --output-mode sideways -e "SELECT 1;"
rc_is 2 "an invalid --output-mode exits 2"
run_eddy --input-format xml -e "SELECT 1;"
rc_is 2 "an invalid --input-format exits 2"
run_eddy --schema "a BIGNUM" -e "SELECT 1;"
rc_is 2 "an invalid --schema exits 2"
like "$ERR" "BIGNUM" "the --schema message names the bad type"

# Valid options of continuous queries are accepted and kept as settings.
run_eddy --trigger '1 second' --output-mode update --checkpoint ck \
  --input-format jsonl --schema "a BIGINT, b VARCHAR" --progress \
  -e "SELECT 1 AS ok;"
rc_is 0 "valid streaming options are accepted"
is "$OUT" $'ok\n1' "the query runs with the streaming options given"

run_eddy --format=csv -e "SELECT 1 AS a;"
is "$OUT" $'a\n1' "--opt=value is accepted"

done_testing
