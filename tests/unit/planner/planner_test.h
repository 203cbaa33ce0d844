/*
** tests/unit/planner/planner_test.h — shared fixtures of the planner
** tests: a catalog of known tables, planning a SELECT from SQL text, and a
** compact rendering of a plan's shape ("Project(HashJoin(TableScan,
** TableScan))") to assert on.
**
** Test catalog:
**   events (ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE)
**                                      memory table
**   users  (id BIGINT, name VARCHAR)  memory table
**   orders (id BIGINT, user_id BIGINT, amount DOUBLE)  memory table
**   clicks (ts TIMESTAMP, page VARCHAR)  file table, csv, examples/events.csv
**   s      (ts TIMESTAMP, v BIGINT)    memory stream
**   out                                 sink
**   k      (v VARCHAR)                 kafka stream (not readable yet)
** (test_stream.c adds streams with watermarks and source options.)
*/
#ifndef ED_PLANNER_TEST_H
#define ED_PLANNER_TEST_H

#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "planner/catalog.h"
#include "planner/plan.h"
#include "tests/unit/tap.h"

static inline EdTable *pt_table(const char *name, EdObjKind kind, const char *conn,
                         const char *cols) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup(name);
  t->kind = kind;
  t->connector = strdup(conn);
  t->wm_col = -1;
  /* cols: "name TYPE, name TYPE" */
  int n = 0;
  for (const char *p = cols; *p; p++) n += *p == ',';
  n = *cols ? n + 1 : 0;
  ed_schema_init(&t->schema, n);
  char *copy = strdup(cols), *save = NULL;
  int i = 0;
  for (char *tok = strtok_r(copy, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    char *sp = strchr(tok, ' ');
    t->schema.cols[i].name = strndup(tok, (size_t)(sp - tok));
    t->schema.cols[i].type = ed_type_from_name(sp + 1, strlen(sp + 1));
    i++;
  }
  free(copy);
  return t;
}

static inline void pt_catalog(EdCatalog *c) {
  ed_catalog_init(c);
  ed_catalog_add(c, pt_table("events", OBJ_TABLE, "memory",
                             "ts TIMESTAMP, user_id BIGINT, page VARCHAR, "
                             "latency_ms DOUBLE"));
  ed_catalog_add(c, pt_table("users", OBJ_TABLE, "memory",
                             "id BIGINT, name VARCHAR"));
  ed_catalog_add(c, pt_table("orders", OBJ_TABLE, "memory",
                             "id BIGINT, user_id BIGINT, amount DOUBLE"));
  EdTable *f = pt_table("clicks", OBJ_TABLE, "file",
                        "ts TIMESTAMP, page VARCHAR");
  f->noptions = 2;
  f->options = calloc(2, sizeof *f->options);
  f->options[0].key = strdup("format");
  f->options[0].value = strdup("csv");
  f->options[1].key = strdup("path");
  f->options[1].value = strdup("examples/events.csv");
  ed_catalog_add(c, f);
  ed_catalog_add(c, pt_table("s", OBJ_STREAM, "memory", "ts TIMESTAMP, v BIGINT"));
  ed_catalog_add(c, pt_table("out", OBJ_SINK, "file", ""));
  ed_catalog_add(c, pt_table("k", OBJ_STREAM, "kafka", "v VARCHAR"));
}

/* The result of planning one statement. */
typedef struct PtPlan {
  int rc;
  EdPlan *logical, *physical;
  EdStreamInfo info;
  EdError err;
  const char *sql;
} PtPlan;

static EdCatalog pt_cat;
static EdArena pt_arena;

/* Parses sql (one SELECT, or EXPLAIN SELECT) and plans it with
** ed_plan_query_stream and the session defaults d (may be NULL). */
static inline PtPlan pt_plan_stream(const char *sql, const EdPlanDefaults *d) {
  PtPlan r;
  memset(&r, 0, sizeof r);
  r.sql = sql;
  EdAstList stmts = {0};
  if (ed_parse(&pt_arena, sql, &stmts, &r.err) != 0 || stmts.n != 1) {
    printf("# parse failed: %s: %s\n", sql, r.err.msg);
    r.rc = -2;
    return r;
  }
  EdAstStmt *s = stmts.items[0];
  if (s->kind == STMT_EXPLAIN) s = s->inner;
  r.rc = ed_plan_query_stream(&pt_cat, s->query, sql, &pt_arena, d,
                              &r.logical, &r.physical, &r.info, &r.err);
  if (r.rc != 0 && r.err.kind == ED_ERR_NONE)
    printf("# planner failed without an error\n");
  return r;
}

/* Parses sql (one SELECT, or EXPLAIN SELECT) and plans it. */
static inline PtPlan pt_plan(const char *sql) {
  PtPlan r;
  memset(&r, 0, sizeof r);
  r.sql = sql;
  EdAstList stmts = {0};
  if (ed_parse(&pt_arena, sql, &stmts, &r.err) != 0 || stmts.n != 1) {
    printf("# parse failed: %s: %s\n", sql, r.err.msg);
    r.rc = -2;
    return r;
  }
  EdAstStmt *s = stmts.items[0];
  if (s->kind == STMT_EXPLAIN) s = s->inner;
  r.rc = ed_plan_query(&pt_cat, s->query, sql, &pt_arena, &r.logical,
                       &r.physical, &r.err);
  if (r.rc != 0 && r.err.kind == ED_ERR_NONE)
    printf("# planner failed without an error\n");
  return r;
}

static inline const char *pt_phys_name(EdPhysKind k) {
  switch (k) {
    case PHYS_TABLE_SCAN: return "TableScan";
    case PHYS_FILE_SCAN: return "FileScan";
    case PHYS_VALUES: return "Values";
    case PHYS_FILTER: return "Filter";
    case PHYS_PROJECT: return "Project";
    case PHYS_HASH_AGGREGATE: return "HashAggregate";
    case PHYS_HASH_JOIN: return "HashJoin";
    case PHYS_NESTED_LOOP_JOIN: return "NestedLoopJoin";
    case PHYS_SORT: return "Sort";
    case PHYS_LIMIT: return "Limit";
    case PHYS_HASH_DISTINCT: return "HashDistinct";
    case PHYS_UNION_ALL: return "UnionAll";
    case PHYS_HASH_SETOP: return "HashSetOp";
    case PHYS_STREAM_SCAN: return "StreamScan";
    case PHYS_STREAM_AGGREGATE: return "StreamAggregate";
    case PHYS_EXPLODE: return "Explode";
    default: return "?";
  }
}

static inline const char *pt_plan_name(EdPlanKind k) {
  static const char *n[] = {"Scan", "Values", "Filter", "Project", "Aggregate",
                            "Join", "Sort", "Limit", "Distinct", "SetOp",
                            "Explode"};
  return n[k];
}

static inline void pt_shape_rec(const EdPlan *p, char *buf, size_t cap) {
  size_t len = strlen(buf);
  snprintf(buf + len, cap - len, "%s",
           p->phys ? pt_phys_name(p->phys) : pt_plan_name(p->kind));
  if (!p->left) return;
  strncat(buf, "(", cap - strlen(buf) - 1);
  pt_shape_rec(p->left, buf, cap);
  if (p->right) {
    strncat(buf, ",", cap - strlen(buf) - 1);
    pt_shape_rec(p->right, buf, cap);
  }
  strncat(buf, ")", cap - strlen(buf) - 1);
}

/* "Project(Filter(TableScan))" */
static inline const char *pt_shape(const EdPlan *p) {
  static char buf[4096];
  buf[0] = 0;
  if (p) pt_shape_rec(p, buf, sizeof buf);
  return buf;
}

/* "name TYPE, name TYPE" of a plan's output. */
static inline const char *pt_schema(const EdPlan *p) {
  static char buf[2048];
  buf[0] = 0;
  if (!p) return buf;
  for (int i = 0; i < p->schema.ncols; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s%s %s", i ? ", " : "",
             p->schema.cols[i].name, ed_type_name(p->schema.cols[i].type));
  }
  return buf;
}

/* First node of the given physical kind, in pre-order. */
static inline const EdPlan *pt_find(const EdPlan *p, EdPhysKind k) {
  if (!p) return NULL;
  if (p->phys == k) return p;
  const EdPlan *x = pt_find(p->left, k);
  return x ? x : pt_find(p->right, k);
}

/* A test name: prefix and the SQL on one line (TAP names must not span
** lines). */
static inline const char *pt_name(const char *prefix, const char *sql) {
  static char buf[4][512];
  static int k;
  char *b = buf[k++ & 3];
  snprintf(b, sizeof buf[0], "%s%s", prefix, sql);
  for (char *p = b; *p; p++)
    if (*p == '\n') *p = ' ';
  return b;
}

/* Asserts that sql fails to plan with message msg at line:col. */
#define PT_ERROR(sql, ln_, cl_, msg_)                                       \
  do {                                                                      \
    PtPlan r_ = pt_plan(sql);                                               \
    TAP_EQ_INT(r_.rc, -1, pt_name("fails: ", sql));                                   \
    TAP_EQ_INT(r_.err.kind, ED_ERR_BIND, pt_name("bind error kind: ", sql));          \
    TAP_EQ_STR(r_.err.msg, msg_, pt_name("message: ", sql));                           \
    TAP_EQ_INT(r_.err.pos.line, ln_, pt_name("line: ", sql));                        \
    TAP_EQ_INT(r_.err.pos.col, cl_, pt_name("column: ", sql));                        \
  } while (0)

/* Asserts that sql fails to plan (with the session defaults d) with an
** ED_ERR_PLAN error, message msg at line:col (0:0 for none). */
#define PT_PLAN_ERROR(sql, d, ln_, cl_, msg_)                               \
  do {                                                                      \
    PtPlan r_ = pt_plan_stream(sql, d);                                     \
    TAP_EQ_INT(r_.rc, -1, pt_name("fails: ", sql));                         \
    TAP_EQ_INT(r_.err.kind, ED_ERR_PLAN, pt_name("plan error kind: ", sql)); \
    TAP_EQ_STR(r_.err.msg, msg_, pt_name("message: ", sql));                \
    TAP_EQ_INT(r_.err.pos.line, ln_, pt_name("line: ", sql));               \
    TAP_EQ_INT(r_.err.pos.col, cl_, pt_name("column: ", sql));              \
  } while (0)

/* Asserts the physical shape and output schema of sql. */
#define PT_SHAPE(sql, shape, schema)                                        \
  do {                                                                      \
    PtPlan r_ = pt_plan(sql);                                               \
    if (!TAP_OK(r_.rc == 0, pt_name("plans: ", sql)))                                 \
      printf("#   error: %s\n", r_.err.msg);                                \
    TAP_EQ_STR(pt_shape(r_.physical), shape, pt_name("shape: ", sql));                \
    TAP_EQ_STR(pt_schema(r_.physical), schema, pt_name("schema: ", sql));             \
  } while (0)

/* Asserts the physical EXPLAIN text of sql. */
#define PT_EXPLAIN(sql, text)                                               \
  do {                                                                      \
    PtPlan r_ = pt_plan(sql);                                               \
    if (!TAP_OK(r_.rc == 0, pt_name("plans: ", sql)))                                 \
      printf("#   error: %s\n", r_.err.msg);                                \
    TAP_EQ_STR(r_.physical ? ed_plan_explain(r_.physical, &pt_arena) : "", \
               text, pt_name("explain: ", sql));                                      \
  } while (0)

static inline void pt_init(void) {
  pt_catalog(&pt_cat);
  ed_arena_init(&pt_arena, 1 << 16);
}

static inline void pt_fini(void) {
  ed_catalog_free(&pt_cat);
  ed_arena_free(&pt_arena);
}

#endif
