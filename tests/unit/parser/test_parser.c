/*
** tests/unit/parser/test_parser.c — the AST each statement produces.
**
** Expected trees are written by hand from the SQL's meaning and SQLite's
** documented operator precedence (lowest first: OR; AND; NOT; IS, IN,
** LIKE, BETWEEN, =, <>; < <= > >=; + -; * / %; ||; unary - +), in the
** S-expression form of ast_dump.h.  Statement fields are checked one by
** one; positions and text spans are counted by hand from the inputs.
*/
#include <string.h>

#include "parser/ast.h"
#include "tests/unit/parser/ast_dump.h"
#include "tests/unit/tap.h"

static EdArena arena;

/* Parses sql, which must hold exactly one statement. */
static EdAstStmt *parse1(const char *sql) {
  EdAstList out = {0};
  EdError err;
  memset(&err, 0, sizeof err);
  if (ed_parse(&arena, sql, &out, &err) != 0 || out.n != 1) {
    printf("#   parse of \"%s\" failed: %s (%d statements)\n", sql, err.msg,
           out.n);
    return NULL;
  }
  return out.items[0];
}

static const char *dump_e(const EdAstExpr *e) {
  static DumpBuf b;
  b.n = 0;
  b.s[0] = 0;
  dump_expr(&b, e);
  return b.s;
}

static const char *dump_q(const EdAstQuery *q) {
  static DumpBuf b;
  b.n = 0;
  b.s[0] = 0;
  dump_query(&b, q);
  return b.s;
}

/* The tree of the first select item of SELECT <expr>. */
static void check_expr(const char *expr, const char *want) {
  char sql[1024];
  snprintf(sql, sizeof sql, "SELECT %s", expr);
  EdAstStmt *s = parse1(sql);
  const char *got = "<parse error>";
  if (s) {
    const EdAstSelect *sel = s->query->selects.items[0];
    const EdAstSelItem *it = sel->items.items[0];
    got = dump_e(it->expr);
  }
  TAP_EQ_STR(got, want, expr);
}

static void check_query(const char *sql, const char *want) {
  EdAstStmt *s = parse1(sql);
  TAP_EQ_STR(s && s->query ? dump_q(s->query) : "<parse error>", want, sql);
}

static void test_precedence(void) {
  check_expr("1 + 2 * 3", "(+ 1 (* 2 3))");
  check_expr("1 * 2 + 3", "(+ (* 1 2) 3)");
  check_expr("- a * b", "(* (- a) b)");
  check_expr("NOT a = b", "(NOT (= a b))");
  check_expr("a OR b AND c", "(OR a (AND b c))");
  check_expr("a AND b OR c", "(OR (AND a b) c)");
  check_expr("NOT a IN (1, 2)", "(NOT (IN a (1 2)))");
  check_expr("a NOT IN (1, 2)", "(NOTIN a (1 2))");
  check_expr("1 - 2 - 3", "(- (- 1 2) 3)");
  check_expr("a % b * c / d", "(/ (* (% a b) c) d)");
  check_expr("a || b || c", "(|| (|| a b) c)");
  check_expr("a + b || c", "(+ a (|| b c))");
  check_expr("- a || b", "(|| (- a) b)");
  check_expr("a < b = c", "(= (< a b) c)");
  check_expr("a = b < c", "(= a (< b c))");
  check_expr("a = b = c", "(= (= a b) c)");
  check_expr("a <> b != c == d", "(= (<> (<> a b) c) d)");
  check_expr("a >= b AND c <= d", "(AND (>= a b) (<= c d))");
  check_expr("a BETWEEN 1 AND 2 AND b", "(AND (BETWEEN a 1 2) b)");
  check_expr("a BETWEEN b + 1 AND c * 2", "(BETWEEN a (+ b 1) (* c 2))");
  check_expr("a NOT BETWEEN 1 AND 2", "(NOTBETWEEN a 1 2)");
  check_expr("NOT a BETWEEN 1 AND 2", "(NOT (BETWEEN a 1 2))");
  check_expr("a IS NULL", "(ISNULL a)");
  check_expr("a IS NOT NULL", "(NOTNULL a)");
  check_expr("a ISNULL", "(ISNULL a)");
  check_expr("a NOTNULL", "(NOTNULL a)");
  check_expr("a NOT NULL", "(NOTNULL a)");
  check_expr("a IS b", "(IS a b)");
  check_expr("a IS NOT b", "(ISNOT a b)");
  check_expr("a IS NOT NULL AND b", "(AND (NOTNULL a) b)");
  check_expr("a = 1 IS NULL", "(ISNULL (= a 1))");
  check_expr("a + b IS NULL", "(ISNULL (+ a b))");
  check_expr("a < b IS NULL", "(ISNULL (< a b))");
  check_expr("NOT a IS NULL", "(NOT (ISNULL a))");
  check_expr("- a IS NULL", "(ISNULL (- a))");
  check_expr("a LIKE 'x%' ESCAPE '!'", "(LIKE a 'x%' '!')");
  check_expr("a NOT LIKE b", "(NOTLIKE a b)");
  check_expr("a LIKE b AND c", "(AND (LIKE a b) c)");
  check_expr("NOT NOT a", "(NOT (NOT a))");
  check_expr("- - + col0", "(- (- (+ col0)))");
  check_expr("+ - 5 * - + col1", "(* (+ (- 5)) (- (+ col1)))");
  check_expr("(1 + 2) * 3", "(* (+ 1 2) 3)");
  check_expr("NOT (a OR b) AND c", "(AND (NOT (OR a b)) c)");
}

static void test_expressions(void) {
  check_expr("NULL", "NULL");
  check_expr("TRUE", "TRUE");
  check_expr("false", "FALSE");
  check_expr("42", "42");
  check_expr("1.5", "1.5d");
  check_expr("1e3", "1000d");
  check_expr(".25", "0.25d");
  check_expr("0x1F", "31");
  check_expr("0xFFFFFFFFFFFFFFFF", "-1");
  check_expr("9223372036854775807", "9223372036854775807");
  check_expr("9223372036854775808", "9.22337e+18d");
  check_expr("-9223372036854775808", "-9223372036854775808");
  check_expr("'it''s'", "'it's'");
  check_expr("''", "''");
  check_expr("INTERVAL '10 seconds'", "INTERVAL(10000000)");
  check_expr("INTERVAL '5' MINUTE", "INTERVAL(300000000)");
  check_expr("interval '2' hours", "INTERVAL(7200000000)");
  check_expr("INTERVAL '1 minute' m", "INTERVAL(60000000)");
  check_expr("t.c", "t.c");
  check_expr("\"My Col\"", "My Col");
  check_expr("`a``b`", "a`b");
  check_expr("w.end", "w.end");
  check_expr("w.start", "w.start");
  check_expr("x IN ()", "(IN x ())");
  check_expr("x NOT IN (1)", "(NOTIN x (1))");
  check_expr("x IN (SELECT a FROM t)", "(IN x {SELECT a FROM t})");
  check_expr("x NOT IN (SELECT 1)", "(NOTIN x {SELECT 1})");
  check_expr("EXISTS (SELECT 1)", "(EXISTS {SELECT 1})");
  check_expr("NOT EXISTS (SELECT 1)", "(NOTEXISTS {SELECT 1})");
  check_expr("(SELECT max(a) FROM t) + 1",
             "(+ (SUBQUERY {SELECT (max a) FROM t}) 1)");
  check_expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END",
             "(CASE a (WHEN 1 'x') (ELSE 'y'))");
  check_expr("CASE WHEN a > 1 THEN 1 WHEN a < 0 THEN -1 END",
             "(CASE (WHEN (> a 1) 1) (WHEN (< a 0) (- 1)))");
  check_expr("CAST(a AS VARCHAR(30))", "(CAST a VARCHAR)");
  check_expr("CAST ( NULL AS INTEGER )", "(CAST NULL BIGINT)");
  check_expr("CAST(x AS DOUBLE PRECISION)", "(CAST x DOUBLE)");
  check_expr("CAST(x AS timestamp)", "(CAST x TIMESTAMP)");
  check_expr("CAST(x AS interval)", "(CAST x INTERVAL)");
  check_expr("count(*)", "(count *)");
  check_expr("COUNT ( * )", "(COUNT *)");
  check_expr("COUNT ( DISTINCT col1 )", "(COUNT DISTINCT col1)");
  check_expr("sum(ALL x)", "(sum x)");
  check_expr("coalesce(a, b, 3)", "(coalesce a b 3)");
  check_expr("now()", "(now)");
  check_expr("left(s, 2)", "(left s 2)");
  check_expr("window(ts, '5 seconds')", "(window ts '5 seconds')");
  check_expr("session_window(ts, '1 minute')",
             "(session_window ts '1 minute')");
  check_expr("window(ts, '10 minutes', '5 minutes')",
             "(window ts '10 minutes' '5 minutes')");

  /* Flags that the dump does not show. */
  EdAstStmt *s = parse1("SELECT count(*), f(DISTINCT a, b), -1, 1.5");
  if (s) {
    EdAstSelect *sel = s->query->selects.items[0];
    EdAstExpr *e0 = ((EdAstSelItem *)sel->items.items[0])->expr;
    EdAstExpr *e1 = ((EdAstSelItem *)sel->items.items[1])->expr;
    EdAstExpr *e2 = ((EdAstSelItem *)sel->items.items[2])->expr;
    EdAstExpr *e3 = ((EdAstSelItem *)sel->items.items[3])->expr;
    TAP_OK(e0->kind == AST_FUNC && e0->star && !e0->distinct &&
               e0->list.n == 0,
           "count(*): star, no args");
    TAP_OK(e1->kind == AST_FUNC && e1->distinct && e1->list.n == 2,
           "f(DISTINCT a, b): distinct, two args");
    TAP_OK(e2->kind == AST_UNARY && e2->op == OP_NEG &&
               e2->left->lit.type == ED_T_BIGINT && e2->left->lit.i == 1,
           "-1 is unary minus over 1");
    TAP_OK(e3->kind == AST_LITERAL && e3->lit.type == ED_T_DOUBLE &&
               e3->lit.d == 1.5,
           "1.5 is a DOUBLE literal");
  }
  s = parse1("SELECT 'a''b', '', TRUE, NULL");
  if (s) {
    EdAstSelect *sel = s->query->selects.items[0];
    EdAstExpr *e0 = ((EdAstSelItem *)sel->items.items[0])->expr;
    EdAstExpr *e1 = ((EdAstSelItem *)sel->items.items[1])->expr;
    EdAstExpr *e2 = ((EdAstSelItem *)sel->items.items[2])->expr;
    EdAstExpr *e3 = ((EdAstSelItem *)sel->items.items[3])->expr;
    TAP_OK(e0->lit.type == ED_T_VARCHAR && e0->lit.slen == 3 &&
               strcmp(e0->lit.s, "a'b") == 0,
           "string with '' escape: text and length");
    TAP_OK(e1->lit.type == ED_T_VARCHAR && e1->lit.slen == 0,
           "empty string");
    TAP_OK(e2->lit.type == ED_T_BOOL && e2->lit.b, "TRUE is BOOLEAN true");
    TAP_OK(e3->lit.type == ED_T_NULL, "NULL literal type");
  }
}

/* Non-reserved keywords and common column names used as names. */
static void test_names(void) {
  check_query("SELECT value, timestamp, window, start, end, count, key, "
              "first, last, time, date, type, data, format, path FROM t",
              "{SELECT value, timestamp, window, start, end, count, key, "
              "first, last, time, date, type, data, format, path FROM t}");
  check_query("SELECT trigger, emit, watermark, left, right, set, show, "
              "stop, query, interval_x FROM stream",
              "{SELECT trigger, emit, watermark, left, right, set, show, "
              "stop, query, interval_x FROM stream}");
  check_query("SELECT w.start, w.end, end + 1 AS end FROM data d "
              "WHERE key = 1 AND end > start",
              "{SELECT w.start, w.end, (+ end 1) AS end FROM data AS d "
              "WHERE (AND (= key 1) (> end start))}");
  check_query("SELECT a emit, b trigger, c first FROM t left, u right",
              "{SELECT a AS emit, b AS trigger, c AS first FROM "
              "(CROSS t AS left u AS right)}");
  check_query("SELECT a FROM t watermark", "{SELECT a FROM t AS watermark}");
  check_query("SELECT count(*) AS count FROM sinks GROUP BY type",
              "{SELECT (count *) AS count FROM sinks GROUP BY type}");
}

static void test_selects(void) {
  check_query("SELECT ALL a, b AS x, c y, t.*, * FROM t",
              "{SELECT a, b AS x, c AS y, t.*, * FROM t}");
  check_query("SELECT DISTINCT a FROM t WHERE a > 1 GROUP BY a, b "
              "HAVING count(*) > 2",
              "{SELECT DISTINCT a FROM t WHERE (> a 1) GROUP BY a, b "
              "HAVING (> (count *) 2)}");
  check_query("SELECT 1", "{SELECT 1}");
  check_query("SELECT a FROM t AS x", "{SELECT a FROM t AS x}");
  check_query("SELECT a AS \"A b\" FROM t", "{SELECT a AS A b FROM t}");
  check_query("SELECT a AS 'lbl' FROM t", "{SELECT a AS lbl FROM t}");
  check_query("SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c "
              "USING (y, z), d CROSS JOIN e",
              "{SELECT * FROM (CROSS (CROSS (LEFT (INNER a b ON (= a.x b.x)) "
              "c USING y z) d) e)}");
  check_query("SELECT * FROM t1 INNER JOIN t2 ON 1 LEFT JOIN t3 ON 2",
              "{SELECT * FROM (LEFT (INNER t1 t2 ON 1) t3 ON 2)}");
  check_query("SELECT * FROM t1 JOIN t2", "{SELECT * FROM (CROSS t1 t2)}");
  check_query("SELECT * FROM t1 CROSS JOIN t2 ON t1.a = t2.a",
              "{SELECT * FROM (INNER t1 t2 ON (= t1.a t2.a))}");
  check_query("SELECT * FROM t1 JOIN t2 USING (k)",
              "{SELECT * FROM (INNER t1 t2 USING k)}");
  check_query("SELECT * FROM ( tab0 AS cor0 CROSS JOIN tab0 cor1 )",
              "{SELECT * FROM (CROSS tab0 AS cor0 tab0 AS cor1)}");
  check_query("SELECT * FROM tab0, tab1 AS cor0 CROSS JOIN tab2 AS cor1",
              "{SELECT * FROM (CROSS (CROSS tab0 tab1 AS cor0) tab2 AS "
              "cor1)}");
  check_query("SELECT * FROM t1, (t2 JOIN t3 ON 1)",
              "{SELECT * FROM (CROSS t1 (INNER t2 t3 ON 1))}");
  check_query("SELECT s.a FROM (SELECT a FROM t) AS s, (SELECT 1) x, "
              "(SELECT 2)",
              "{SELECT s.a FROM (CROSS (CROSS {SELECT a FROM t} AS s "
              "{SELECT 1} AS x) {SELECT 2})}");
  check_query("SELECT * FROM clicks WATERMARK ts DELAY OF INTERVAL "
              "'10 seconds'",
              "{SELECT * FROM clicks WATERMARK ts INTERVAL(10000000)}");
  check_query("SELECT * FROM clicks c WATERMARK ts DELAY OF '2 minutes' "
              "JOIN u ON c.id = u.id",
              "{SELECT * FROM (INNER clicks AS c WATERMARK ts "
              "INTERVAL(120000000) u ON (= c.id u.id))}");
  check_query("SELECT a FROM t UNION ALL SELECT b FROM u EXCEPT SELECT c "
              "FROM v INTERSECT SELECT d FROM w UNION SELECT e",
              "{SELECT a FROM t UNION ALL SELECT b FROM u EXCEPT SELECT c "
              "FROM v INTERSECT SELECT d FROM w UNION SELECT e}");
  check_query("(SELECT 1) UNION (SELECT 2) UNION ALL SELECT 3",
              "{SELECT 1 UNION SELECT 2 UNION ALL SELECT 3}");
  check_query("SELECT a FROM t ORDER BY a DESC, b ASC NULLS FIRST, c "
              "NULLS LAST LIMIT 10 OFFSET 5",
              "{SELECT a FROM t ORDER BY a DESC, b NULLS FIRST, c NULLS "
              "LAST LIMIT 10 OFFSET 5}");
  check_query("SELECT a FROM t LIMIT 5, 10",
              "{SELECT a FROM t LIMIT 10 OFFSET 5}");
  check_query("SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE b IN "
              "(SELECT c FROM v WHERE EXISTS (SELECT 1)))",
              "{SELECT a FROM t WHERE (IN a {SELECT b FROM u WHERE (IN b "
              "{SELECT c FROM v WHERE (EXISTS {SELECT 1})})})}");
  check_query("SELECT a FROM t WHERE x IN (SELECT 1 UNION SELECT 2 ORDER BY "
              "1 LIMIT 1)",
              "{SELECT a FROM t WHERE (IN x {SELECT 1 UNION SELECT 2 ORDER "
              "BY 1 LIMIT 1})}");

  EdAstStmt *s = parse1("SELECT a FROM t UNION SELECT b FROM u "
                        "ORDER BY 1 DESC");
  if (s) {
    const EdAstQuery *q = s->query;
    const EdAstOrderItem *o = q->order_by.items[0];
    TAP_OK(q->selects.n == 2 && q->setops[0] == SETOP_NONE &&
               q->setops[1] == SETOP_UNION,
           "setops[0] is NONE, setops[1] UNION");
    TAP_OK(o->desc && o->nulls_first == -1 && o->expr->lit.i == 1,
           "ORDER BY 1 DESC: default nulls");
    TAP_OK(q->emit == EMIT_DEFAULT && q->trigger == TRIGGER_DEFAULT &&
               q->options.n == 0 && !q->limit && !q->offset,
           "no streaming clauses, no limit");
  }
  /* Many set operations: setops keeps up with selects as it grows. */
  char big[4096] = "SELECT 0";
  for (int i = 1; i < 40; i++) {
    char part[64];
    snprintf(part, sizeof part, " %s SELECT %d",
             i % 3 == 0 ? "UNION ALL" : i % 3 == 1 ? "EXCEPT" : "INTERSECT",
             i);
    strcat(big, part);
  }
  s = parse1(big);
  int bad = !s || s->query->selects.n != 40;
  for (int i = 1; !bad && i < 40; i++) {
    EdSetOp want = i % 3 == 0 ? SETOP_UNION_ALL
                   : i % 3 == 1 ? SETOP_EXCEPT : SETOP_INTERSECT;
    EdAstSelect *sel = s->query->selects.items[i];
    EdAstSelItem *it = sel->items.items[0];
    bad |= s->query->setops[i] != want || it->expr->lit.i != i;
  }
  TAP_OK(!bad, "40 selects joined by set operations keep their order");
}

static void test_streaming_clauses(void) {
  EdAstStmt *s = parse1("SELECT page, count(*) FROM clicks GROUP BY page "
                        "EMIT UPDATE TRIGGER PROCESSING TIME '5 seconds' "
                        "WITH (state_ttl = '1 hour', Max_Rows = 10)");
  if (s) {
    const EdAstQuery *q = s->query;
    TAP_EQ_INT(q->emit, EMIT_UPDATE, "EMIT UPDATE");
    TAP_EQ_INT(q->trigger, TRIGGER_PROCESSING_TIME, "TRIGGER PROCESSING TIME");
    TAP_EQ_INT(q->trigger_interval_us, 5000000, "trigger interval 5 s");
    TAP_EQ_INT(q->options.n, 2, "two query options");
    const EdAstOption *o0 = q->options.items[0], *o1 = q->options.items[1];
    TAP_EQ_STR(o0->key, "state_ttl", "option key");
    TAP_EQ_STR(o0->value->lit.s, "1 hour", "option string value");
    TAP_EQ_STR(o1->key, "max_rows", "option key lower-cased");
    TAP_OK(o1->value->lit.type == ED_T_BIGINT && o1->value->lit.i == 10,
           "option number value");
  }
  s = parse1("SELECT a FROM t WITH (x = 1) TRIGGER ONCE EMIT COMPLETE");
  TAP_OK(s && s->query->emit == EMIT_COMPLETE &&
             s->query->trigger == TRIGGER_ONCE && s->query->options.n == 1,
         "clauses in another order");
  s = parse1("SELECT a FROM t TRIGGER AVAILABLE NOW EMIT APPEND");
  TAP_OK(s && s->query->emit == EMIT_APPEND &&
             s->query->trigger == TRIGGER_AVAILABLE_NOW,
         "TRIGGER AVAILABLE NOW, EMIT APPEND");
  s = parse1("SELECT a FROM t EMIT CHANGES");
  TAP_OK(s && s->query->emit == EMIT_CHANGES, "EMIT CHANGES");
  s = parse1("SELECT a FROM t TRIGGER PROCESSING TIME INTERVAL '2' SECOND");
  TAP_OK(s && s->query->trigger_interval_us == 2000000,
         "TRIGGER PROCESSING TIME INTERVAL '2' SECOND");
  s = parse1("SELECT a FROM t ORDER BY a LIMIT 3 EMIT COMPLETE");
  TAP_OK(s && s->query->emit == EMIT_COMPLETE && s->query->limit &&
             s->query->limit->lit.i == 3,
         "LIMIT then EMIT");
}

static void test_ddl(void) {
  EdAstStmt *s = parse1(
      "CREATE STREAM clicks (\n"
      "  ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE,\n"
      "  WATERMARK FOR ts AS ts - INTERVAL '10 seconds'\n"
      ") WITH (connector = 'file', path = 'data/clicks/', format = 'jsonl')");
  if (s) {
    TAP_EQ_INT(s->kind, STMT_CREATE_STREAM, "CREATE STREAM kind");
    TAP_EQ_STR(s->name, "clicks", "stream name");
    TAP_EQ_INT(s->columns.n, 4, "four columns");
    static const char *names[] = {"ts", "user_id", "page", "latency_ms"};
    static const EdType types[] = {ED_T_TIMESTAMP, ED_T_BIGINT, ED_T_VARCHAR,
                                   ED_T_DOUBLE};
    int bad = 0;
    for (int i = 0; i < 4 && i < s->columns.n; i++) {
      EdAstColumnDef *d = s->columns.items[i];
      bad |= strcmp(d->name, names[i]) != 0 || d->type != types[i];
    }
    TAP_OK(!bad, "column names and types");
    EdAstColumnDef *d1 = s->columns.items[1];
    TAP_OK(d1->pos.line == 2 && d1->pos.col == 17, "column position 2:17");
    TAP_EQ_STR(s->wm_column, "ts", "watermark column");
    TAP_EQ_STR(dump_e(s->wm_expr), "(- ts INTERVAL(10000000))",
               "watermark expression");
    TAP_EQ_INT(s->options.n, 3, "three options");
    EdAstOption *o = s->options.items[1];
    TAP_OK(strcmp(o->key, "path") == 0 &&
               strcmp(o->value->lit.s, "data/clicks/") == 0,
           "option path");
    TAP_OK(!s->if_not_exists, "no IF NOT EXISTS");
  }

  s = parse1("CREATE TABLE IF NOT EXISTS users (id BIGINT, name "
             "VARCHAR(30), price DECIMAL(10,2), x DOUBLE PRECISION, flag "
             "BOOLEAN, n INTEGER PRIMARY KEY, m TEXT NOT NULL, r REAL, "
             "s STRING, d INTERVAL, f FLOAT, i INT) WITH (connector = "
             "'file', Header = true, port = 9999, ratio = -1.5, "
             "kafka.bootstrap.servers = 'h:1', off = false, neg = -7)");
  if (s) {
    TAP_EQ_INT(s->kind, STMT_CREATE_TABLE, "CREATE TABLE kind");
    TAP_OK(s->if_not_exists, "IF NOT EXISTS");
    static const EdType types[] = {
        ED_T_BIGINT, ED_T_VARCHAR, ED_T_DOUBLE, ED_T_DOUBLE,
        ED_T_BOOL,   ED_T_BIGINT,  ED_T_VARCHAR, ED_T_DOUBLE,
        ED_T_VARCHAR, ED_T_INTERVAL, ED_T_DOUBLE, ED_T_BIGINT};
    int bad = s->columns.n != 12;
    for (int i = 0; !bad && i < 12; i++)
      bad |= ((EdAstColumnDef *)s->columns.items[i])->type != types[i];
    TAP_OK(!bad, "type names and aliases, suffixes ignored");
    EdAstColumnDef *n = s->columns.items[5], *m = s->columns.items[6];
    TAP_OK(n->primary_key && !n->not_null && m->not_null && !m->primary_key,
           "PRIMARY KEY and NOT NULL recorded");
    TAP_OK(s->wm_column == NULL && s->wm_expr == NULL, "no watermark");
    TAP_EQ_INT(s->options.n, 7, "seven options");
    if (s->options.n == 7) {
      EdAstOption **o = (EdAstOption **)s->options.items;
      TAP_OK(strcmp(o[1]->key, "header") == 0 &&
                 o[1]->value->lit.type == ED_T_BOOL && o[1]->value->lit.b,
             "header = true (key lower-cased)");
      TAP_OK(o[2]->value->lit.type == ED_T_BIGINT &&
                 o[2]->value->lit.i == 9999,
             "port = 9999");
      TAP_OK(o[3]->value->lit.type == ED_T_DOUBLE &&
                 o[3]->value->lit.d == -1.5,
             "ratio = -1.5");
      TAP_EQ_STR(o[4]->key, "kafka.bootstrap.servers", "dotted key");
      TAP_OK(o[5]->value->lit.type == ED_T_BOOL && !o[5]->value->lit.b,
             "off = false");
      TAP_OK(o[6]->value->lit.type == ED_T_BIGINT &&
                 o[6]->value->lit.i == -7,
             "neg = -7");
    }
  }

  s = parse1("create stream ticks with (connector = 'rate', "
             "rows_per_second = 1000)");
  TAP_OK(s && s->kind == STMT_CREATE_STREAM && s->columns.n == 0 &&
             s->options.n == 2 && strcmp(s->name, "ticks") == 0,
         "CREATE STREAM without columns");
  s = parse1("CREATE TABLE t (a INT)");
  TAP_OK(s && s->kind == STMT_CREATE_TABLE && s->options.n == 0 &&
             s->columns.n == 1,
         "CREATE TABLE without WITH");
  s = parse1("CREATE TABLE \"Odd Name\" (`c 1` int)");
  TAP_OK(s && strcmp(s->name, "Odd Name") == 0 &&
             strcmp(((EdAstColumnDef *)s->columns.items[0])->name, "c 1") ==
                 0,
         "quoted table and column names");
  s = parse1("CREATE SINK hot_pages WITH (connector = 'file', path = 'out/')");
  TAP_OK(s && s->kind == STMT_CREATE_SINK &&
             strcmp(s->name, "hot_pages") == 0 && s->options.n == 2,
         "CREATE SINK");
  s = parse1("CREATE INDEX t1i0 ON t1(a1,b1 DESC)");
  TAP_OK(s && s->kind == STMT_CREATE_INDEX && strcmp(s->name, "t1i0") == 0 &&
             strcmp(s->target, "t1") == 0 && s->insert_cols.n == 2,
         "CREATE INDEX");
  s = parse1("CREATE UNIQUE INDEX IF NOT EXISTS i ON t(a)");
  TAP_OK(s && s->kind == STMT_CREATE_INDEX && s->if_not_exists,
         "CREATE UNIQUE INDEX IF NOT EXISTS");

  static const struct {
    const char *sql;
    EdObjKind obj;
    bool if_exists;
  } drops[] = {
    {"DROP TABLE t", OBJ_TABLE, false},
    {"DROP STREAM IF EXISTS t", OBJ_STREAM, true},
    {"drop sink t", OBJ_SINK, false},
  };
  for (int i = 0; i < 3; i++) {
    s = parse1(drops[i].sql);
    TAP_OK(s && s->kind == STMT_DROP && s->obj == drops[i].obj &&
               s->if_exists == drops[i].if_exists && strcmp(s->name, "t") == 0,
           drops[i].sql);
  }
}

static void test_other_statements(void) {
  EdAstStmt *s = parse1("INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)");
  if (s) {
    TAP_EQ_INT(s->kind, STMT_INSERT, "INSERT kind");
    TAP_EQ_STR(s->target, "t", "INSERT target");
    TAP_OK(s->insert_cols.n == 2 &&
               strcmp(s->insert_cols.items[1], "b") == 0,
           "INSERT column list");
    TAP_EQ_INT(s->rows.n, 2, "two rows");
    EdAstList *r1 = s->rows.items[1];
    TAP_OK(r1->n == 2 && ((EdAstExpr *)r1->items[0])->lit.i == 2 &&
               ((EdAstExpr *)r1->items[1])->lit.type == ED_T_NULL,
           "second row values");
    TAP_OK(s->query == NULL, "no query");
  }
  s = parse1("INSERT INTO t1 VALUES(1,1,'table t1 row 1')");
  TAP_OK(s && s->insert_cols.n == 0 && s->rows.n == 1 &&
             ((EdAstList *)s->rows.items[0])->n == 3,
         "INSERT without column list");
  s = parse1("INSERT INTO hot SELECT page, count(*) FROM clicks GROUP BY "
             "page EMIT APPEND");
  TAP_OK(s && s->kind == STMT_INSERT && s->query && s->rows.n == 0 &&
             s->query->emit == EMIT_APPEND,
         "INSERT ... SELECT ... EMIT APPEND");
  s = parse1("INSERT INTO t (a) SELECT 1 UNION SELECT 2");
  TAP_OK(s && s->query && s->query->selects.n == 2 && s->insert_cols.n == 1,
         "INSERT (cols) SELECT ... UNION ...");

  static const struct {
    const char *sql;
    const char *name;
    EdType type;
    const char *text;
  } sets[] = {
    {"SET output_mode = update", "output_mode", ED_T_VARCHAR, "update"},
    {"SET output_mode = complete", "output_mode", ED_T_VARCHAR, "complete"},
    {"SET trigger = once", "trigger", ED_T_VARCHAR, "once"},
    {"SET checkpoint_location = '/tmp/x'", "checkpoint_location",
     ED_T_VARCHAR, "/tmp/x"},
    {"SET timezone = UTC", "timezone", ED_T_VARCHAR, "UTC"},
    {"SET n = 5", "n", ED_T_BIGINT, NULL},
    {"SET f = true", "f", ED_T_BOOL, NULL},
    {"SET d = -2.5", "d", ED_T_DOUBLE, NULL},
    {"SET i = INTERVAL '3' SECONDS", "i", ED_T_INTERVAL, NULL},
  };
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    s = parse1(sets[i].sql);
    bool good = s && s->kind == STMT_SET && strcmp(s->name, sets[i].name) == 0 &&
                s->value && s->value->kind == AST_LITERAL &&
                s->value->lit.type == sets[i].type;
    if (good && sets[i].text) good = strcmp(s->value->lit.s, sets[i].text) == 0;
    TAP_OK(good, sets[i].sql);
  }

  static const struct {
    const char *sql;
    EdShowKind show;
  } shows[] = {
    {"SHOW TABLES", SHOW_TABLES}, {"show streams", SHOW_STREAMS},
    {"SHOW SINKS", SHOW_SINKS}, {"SHOW QUERIES", SHOW_QUERIES},
  };
  for (int i = 0; i < 4; i++) {
    s = parse1(shows[i].sql);
    TAP_OK(s && s->kind == STMT_SHOW && s->show == shows[i].show,
           shows[i].sql);
  }

  const char *ex = "EXPLAIN ANALYZE SELECT a FROM t";
  s = parse1(ex);
  TAP_OK(s && s->kind == STMT_EXPLAIN && s->analyze && s->inner &&
             s->inner->kind == STMT_SELECT && s->inner->start_offset == 16 &&
             s->inner->end_offset == 31 && s->start_offset == 0 &&
             s->end_offset == 31,
         "EXPLAIN ANALYZE: inner statement and spans");
  s = parse1("EXPLAIN INSERT INTO s SELECT 1");
  TAP_OK(s && s->kind == STMT_EXPLAIN && !s->analyze &&
             s->inner->kind == STMT_INSERT,
         "EXPLAIN INSERT");
  s = parse1("STOP QUERY q1");
  TAP_OK(s && s->kind == STMT_STOP_QUERY && strcmp(s->name, "q1") == 0,
         "STOP QUERY name");
  s = parse1("STOP QUERY 3");
  TAP_OK(s && s->kind == STMT_STOP_QUERY && strcmp(s->name, "3") == 0,
         "STOP QUERY number");
}

static void test_script_and_positions(void) {
  const char *sql = "  SELECT 1 ;\n-- c\nSELECT 2;; /* x */ SELECT 3\n";
  EdAstList out = {0};
  EdError err;
  int rc = ed_parse(&arena, sql, &out, &err);
  TAP_OK(rc == 0 && out.n == 3, "three statements, empty ones skipped");
  if (out.n == 3) {
    static const int want[3][2] = {{2, 10}, {18, 26}, {37, 45}};
    int bad = 0;
    for (int i = 0; i < 3; i++) {
      EdAstStmt *s = out.items[i];
      bad |= s->start_offset != want[i][0] || s->end_offset != want[i][1];
    }
    TAP_OK(!bad, "statement spans exclude blanks, comments and ';'");
    EdAstStmt *s2 = out.items[2];
    TAP_OK(s2->pos.line == 3 && s2->pos.col == 20, "statement 3 at 3:20");
  }
  out.n = 0;
  TAP_OK(ed_parse(&arena, "", &out, &err) == 0 && out.n == 0,
         "empty script");
  TAP_OK(ed_parse(&arena, " ;; -- x\n /* y */ ", &out, &err) == 0 &&
             out.n == 0,
         "only separators and comments");

  EdAstStmt *s = parse1("SELECT a,\n  b + c AS s\nFROM t");
  if (s) {
    EdAstSelect *sel = s->query->selects.items[0];
    EdAstSelItem *it = sel->items.items[1];
    EdAstExpr *e = it->expr;
    TAP_OK(sel->pos.line == 1 && sel->pos.col == 1, "select at 1:1");
    TAP_OK(e->pos.line == 2 && e->pos.col == 5 && e->pos.offset == 14,
           "binary operator at 2:5");
    TAP_OK(e->right->pos.line == 2 && e->right->pos.col == 7,
           "column c at 2:7");
    TAP_OK(sel->from->pos.line == 3 && sel->from->pos.col == 6,
           "table t at 3:6");
  }
}

static void test_expr_text(void) {
  const char *sql = "SELECT count(*), COUNT ( * ), a+1, (a + b) * 2, - - x, "
                    "CAST(a AS INT), t.c, f(DISTINCT x), a BETWEEN 1 AND 2, "
                    "x IS NOT NULL, x NOT IN (1,2), CASE WHEN a THEN b END, "
                    "NOT EXISTS (SELECT 1), (a), INTERVAL '5' MINUTE, "
                    "-9223372036854775808, 'it''s' FROM t";
  static const char *want[] = {
    "count(*)", "COUNT ( * )", "a+1", "(a + b) * 2", "- - x",
    "CAST(a AS INT)", "t.c", "f(DISTINCT x)", "a BETWEEN 1 AND 2",
    "x IS NOT NULL", "x NOT IN (1,2)", "CASE WHEN a THEN b END",
    "NOT EXISTS (SELECT 1)", "(a)", "INTERVAL '5' MINUTE",
    "-9223372036854775808", "'it''s'",
  };
  EdAstStmt *s = parse1(sql);
  int n = (int)(sizeof want / sizeof want[0]);
  EdAstSelect *sel = s ? s->query->selects.items[0] : NULL;
  TAP_OK(sel && sel->items.n == n, "select list length");
  for (int i = 0; sel && i < n && i < sel->items.n; i++) {
    EdAstSelItem *it = sel->items.items[i];
    TAP_EQ_STR(ed_ast_expr_text(&arena, sql, it->expr), want[i], want[i]);
  }
}

static void test_list_push(void) {
  EdAstList l = {0};
  int vals[100];
  for (int i = 0; i < 100; i++) {
    vals[i] = i;
    ed_ast_list_push(&arena, &l, &vals[i]);
  }
  int bad = l.n != 100 || l.cap < 100;
  for (int i = 0; !bad && i < 100; i++) bad |= *(int *)l.items[i] != i;
  TAP_OK(!bad, "ed_ast_list_push keeps 100 items in order");
}

int main(void) {
  ed_arena_init(&arena, 1 << 16);
  test_precedence();
  test_expressions();
  test_names();
  test_selects();
  test_streaming_clauses();
  test_ddl();
  test_other_statements();
  test_script_and_positions();
  test_expr_text();
  test_list_push();
  ed_arena_free(&arena);
  return tap_done();
}
