/*
** tests/unit/exec/test_batch.c — column batches (get/put, append across
** capacity, selections, compaction), memory tables, and the stateless
** operators chained by hand: memtable scan -> filter -> project -> sink,
** VALUES scans (including SELECT without FROM: one row, no columns), and
** the sink's begin/write/end protocol.
*/
#include <stdlib.h>

#include "../tap.h"
#include "exec/expr_eval.h"
#include "exec/ops.h"
#include "expr_build.h"

/* ------------------------------------------------------ a test sink */

/* Collects every row it is given as text "v1|v2|..." lines. */
typedef struct Collect {
  EdSink base;
  int begins, ends, writes;
  int ncols;
  int nrows;
  char **rows;
  bool fail_write;
} Collect;

static int col_begin(EdSink *s, const EdSchema *schema) {
  Collect *c = (Collect *)s;
  c->begins++;
  c->ncols = schema->ncols;
  return 0;
}

static int col_write(EdSink *s, const EdBatch *b) {
  Collect *c = (Collect *)s;
  if (c->fail_write) return -1;
  c->writes++;
  for (int k = 0; k < ed_batch_count(b); k++) {
    int i = ed_batch_row(b, k);
    char line[512] = "";
    size_t len = 0;
    for (int col = 0; col < b->ncols; col++) {
      EdValue v;
      ed_batch_get(b, col, i, &v);
      char cell[128];
      if (v.is_null) snprintf(cell, sizeof cell, "NULL");
      else if (v.type == ED_T_BIGINT) snprintf(cell, sizeof cell, "%lld", (long long)v.u.i);
      else if (v.type == ED_T_DOUBLE) snprintf(cell, sizeof cell, "%g", v.u.d);
      else if (v.type == ED_T_BOOL) snprintf(cell, sizeof cell, "%s", v.u.b ? "t" : "f");
      else if (v.type == ED_T_VARCHAR)
        snprintf(cell, sizeof cell, "%.*s", (int)v.u.s.len, v.u.s.ptr);
      else snprintf(cell, sizeof cell, "?");
      len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", col ? "|" : "", cell);
    }
    c->rows = realloc(c->rows, sizeof(char *) * (size_t)(c->nrows + 1));
    c->rows[c->nrows++] = strdup(line);
  }
  return 0;
}

static int col_end(EdSink *s) {
  ((Collect *)s)->ends++;
  return 0;
}

static void collect_init(Collect *c) {
  memset(c, 0, sizeof *c);
  c->base.begin = col_begin;
  c->base.write = col_write;
  c->base.end = col_end;
}

static void collect_free(Collect *c) {
  for (int i = 0; i < c->nrows; i++) free(c->rows[i]);
  free(c->rows);
}

/* -------------------------------------------------------------- batches */

static void widths(void) {
  TAP_EQ_INT(ed_type_width(ED_T_BOOL), 1, "BOOL is 1 byte");
  TAP_EQ_INT(ed_type_width(ED_T_BIGINT), 8, "BIGINT is 8 bytes");
  TAP_EQ_INT(ed_type_width(ED_T_VARCHAR), sizeof(EdStr), "VARCHAR is an EdStr");
  TAP_EQ_INT(ed_type_width(ED_T_WINDOW), 16, "WINDOW is two int64");
  TAP_EQ_INT(ed_type_width(ED_T_NULL), 0, "NULL has no width");
}

static const EdType T3[3] = {ED_T_BIGINT, ED_T_VARCHAR, ED_T_DOUBLE};

/* Row i of the test batches: a = i (NULL when i % 7 == 3), s = "r<i>"
** (NULL when i % 5 == 4), x = i / 2. */
static void fill_row(EdBatch *b, int i, char *scratch) {
  EdValue a = {.type = ED_T_BIGINT, .is_null = i % 7 == 3, .u.i = i};
  int n = snprintf(scratch, 32, "r%d", i);
  EdValue s = {.type = ED_T_VARCHAR, .is_null = i % 5 == 4, .u.s = {scratch, (uint32_t)n}};
  EdValue x = {.type = ED_T_DOUBLE, .u.d = i / 2.0};
  ed_vector_put(b, 0, b->nrows, &a);
  ed_vector_put(b, 1, b->nrows, &s);
  ed_vector_put(b, 2, b->nrows, &x);
  b->nrows++;
}

/* Whether row `at` of b holds test row i. */
static bool row_is(const EdBatch *b, int at, int i) {
  EdValue a, s, x;
  ed_batch_get(b, 0, at, &a);
  ed_batch_get(b, 1, at, &s);
  ed_batch_get(b, 2, at, &x);
  char want[32];
  int n = snprintf(want, sizeof want, "r%d", i);
  bool ok = a.is_null == (i % 7 == 3) && (a.is_null || a.u.i == i);
  ok &= s.is_null == (i % 5 == 4) &&
        (s.is_null || (s.u.s.len == (uint32_t)n && memcmp(s.u.s.ptr, want, (size_t)n) == 0));
  ok &= !x.is_null && x.u.d == i / 2.0;
  return ok;
}

static void get_put(void) {
  EdBatch *b = ed_batch_new(3, T3);
  TAP_OK(b->nrows == 0 && b->sel == NULL && ed_vec_valid(&b->cols[1], 2047),
         "new batch: empty, no selection, all valid");
  char buf[32];
  for (int i = 0; i < 10; i++) fill_row(b, i, buf);
  strcpy(buf, "XXXX");   /* the batch copied the bytes */
  bool ok = true;
  for (int i = 0; i < 10; i++) ok &= row_is(b, i, i);
  TAP_OK(ok, "put/get round trip, strings copied into the batch arena");
  EdValue w = {.type = ED_T_WINDOW, .u.w = {5, 10}};
  EdType wt = ED_T_WINDOW;
  EdBatch *bw = ed_batch_new(1, &wt);
  ed_vector_put(bw, 0, 0, &w);
  EdValue g;
  ed_batch_get(bw, 0, 0, &g);
  TAP_OK(!g.is_null && g.u.w.start == 5 && g.u.w.end == 10, "WINDOW put/get");
  ed_batch_free(bw);
  ed_batch_reset(b);
  TAP_OK(b->nrows == 0 && ed_vec_valid(&b->cols[0], 3), "reset empties, all valid again");
  ed_batch_free(b);
}

static void append_and_compact(void) {
  char buf[32];
  EdBatch *src = ed_batch_new(3, T3);
  for (int i = 0; i < 1500; i++) fill_row(src, i, buf);
  EdBatch *dst = ed_batch_new(3, T3);
  int consumed = -1;
  int got = ed_batch_append(dst, src, 0, &consumed);
  TAP_OK(got == 1500 && consumed == 1500 && dst->nrows == 1500, "append 1500 rows");
  got = ed_batch_append(dst, src, 0, &consumed);
  TAP_OK(got == 548 && consumed == 548 && dst->nrows == ED_BATCH_CAP,
         "second append stops at capacity (548 of 1500)");
  EdBatch *rest = ed_batch_new(3, T3);
  got = ed_batch_append(rest, src, consumed, NULL);
  TAP_EQ_INT(got, 952, "the remaining 952 rows go to the next batch");
  ed_batch_reset(src);   /* dst's strings must not depend on src */
  for (int i = 0; i < 50; i++) fill_row(src, 9999, buf);
  bool ok = true;
  for (int i = 0; i < 1500; i++) ok &= row_is(dst, i, i);
  for (int i = 0; i < 548; i++) ok &= row_is(dst, 1500 + i, i);
  for (int i = 0; i < 952; i++) ok &= row_is(rest, i, 548 + i);
  TAP_OK(ok, "appended values, NULLs and strings are intact");

  /* Append from a selection: every third row of 0..299. */
  ed_batch_reset(src);
  for (int i = 0; i < 300; i++) fill_row(src, i, buf);
  int n = 0;
  for (int i = 0; i < 300; i += 3) src->sel_buf[n++] = (uint16_t)i;
  src->sel = src->sel_buf;
  src->nsel = n;
  ed_batch_reset(rest);
  got = ed_batch_append(rest, src, 10, &consumed);
  ok = got == 90 && consumed == 90;
  for (int k = 0; k < 90; k++) ok &= row_is(rest, k, (10 + k) * 3);
  TAP_OK(ok, "append honours the source selection and from_active");

  /* Compact: rows 1, 4, 5, 9 (row 4: s NULL, row 3 skipped). */
  ed_batch_reset(src);
  for (int i = 0; i < 10; i++) fill_row(src, i, buf);
  uint16_t keep[] = {1, 4, 5, 9};
  memcpy(src->sel_buf, keep, sizeof keep);
  src->sel = src->sel_buf;
  src->nsel = 4;
  ed_batch_compact(src);
  ok = src->sel == NULL && src->nrows == 4;
  for (int k = 0; k < 4; k++) ok &= row_is(src, k, keep[k]);
  TAP_OK(ok, "compaction moves the active rows to the front, NULLs included");
  ed_batch_free(src);
  ed_batch_free(dst);
  ed_batch_free(rest);
}

/* ------------------------------------------------------------ memtable */

static EdColumn cols2[2] = {{"a", ED_T_BIGINT, NULL}, {"s", ED_T_VARCHAR, NULL}};
static EdSchema schema2 = {2, cols2};

static EdMemTable *make_table(int nrows) {
  EdMemTable *m = ed_memtable_new(&schema2);
  for (int i = 0; i < nrows; i++) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "name%d", i);
    EdValue row[2] = {{.type = ED_T_BIGINT, .is_null = i % 10 == 9, .u.i = i},
                      {.type = ED_T_VARCHAR, .u.s = {buf, (uint32_t)n}}};
    ed_memtable_append_row(m, row);
  }
  return m;
}

static void memtable(void) {
  EdMemTable *m = make_table(3000);
  TAP_OK(m->nrows == 3000 && m->nbatches == 2 && m->batches[0]->nrows == ED_BATCH_CAP &&
             m->batches[1]->nrows == 952, "3000 rows: one full batch and 952");
  TAP_OK(ed_memtable_bytes(m) > 3000 * 24, "bytes counts rows and strings");
  /* Append a batch with a selection: its 5 active rows land at the end. */
  EdBatch *b = ed_batch_new(2, (EdType[]){ED_T_BIGINT, ED_T_VARCHAR});
  for (int i = 0; i < 10; i++) {
    EdValue row[2] = {{.type = ED_T_BIGINT, .u.i = 100000 + i},
                      {.type = ED_T_VARCHAR, .u.s = {"x", 1}}};
    ed_vector_put(b, 0, i, &row[0]);
    ed_vector_put(b, 1, i, &row[1]);
  }
  b->nrows = 10;
  for (int k = 0; k < 5; k++) b->sel_buf[k] = (uint16_t)(2 * k);
  b->sel = b->sel_buf;
  b->nsel = 5;
  ed_memtable_append(m, b);
  EdValue v;
  ed_batch_get(m->batches[1], 0, 952 + 4, &v);
  TAP_OK(m->nrows == 3005 && v.u.i == 100008, "append takes the active rows only");
  ed_batch_free(b);

  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  Collect c;
  collect_init(&c);
  EdOp *sink = ed_op_sink_new(&ctx, &c.base, &schema2);
  TAP_OK(ed_scan_memtable(&ctx, m, sink, 0) == 0, "scan a memory table");
  bool ok = c.nrows == 3005 && c.begins == 1 && c.ends == 1 && c.writes == 2;
  ok &= strcmp(c.rows[0], "0|name0") == 0 && strcmp(c.rows[9], "NULL|name9") == 0 &&
        strcmp(c.rows[2998], "2998|name2998") == 0 &&
        strcmp(c.rows[2999], "NULL|name2999") == 0 && strcmp(c.rows[3004], "100008|x") == 0;
  if (!TAP_OK(ok, "scan pushes every row in insertion order"))
    printf("#   %d rows, %d writes, rows[0] %s, rows[9] %s, rows[2999] %s\n", c.nrows,
           c.writes, c.nrows > 0 ? c.rows[0] : "", c.nrows > 9 ? c.rows[9] : "",
           c.nrows > 3004 ? c.rows[2999] : "");
  TAP_EQ_INT(sink->rows_in, 3005, "sink counted its input rows");
  sink->vt->destroy(sink);
  collect_free(&c);
  ed_memtable_free(m);
}

/* ----------------------------------------------------------- operators */

/* scan -> filter (a % 3 = 0) -> project (a * 10, upper(s), a) -> sink */
static void pipeline(void) {
  ed_arena_init(&xb_arena, 65536);
  EdMemTable *m = make_table(3000);
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = &xb_arena;
  X a = col(0, ED_T_BIGINT, "a"), s = col(1, ED_T_VARCHAR, "s");
  X pred = cmp(OP_EQ, bin(OP_MOD, ED_T_BIGINT, a, lit_i(3)), lit_i(0));
  X e0 = bin(OP_MUL, ED_T_BIGINT, a, lit_i(10));
  X e1 = fn(FN_UPPER, ED_T_VARCHAR, "upper", 1, s);
  EdExpr *exprs[3] = {e0.e, e1.e, a.e};
  EdColumn pc[3] = {{"a10", ED_T_BIGINT, NULL}, {"u", ED_T_VARCHAR, NULL},
                    {"a", ED_T_BIGINT, NULL}};
  EdPlan proj;
  memset(&proj, 0, sizeof proj);
  proj.kind = PLAN_PROJECT;
  proj.phys = PHYS_PROJECT;
  proj.schema = (EdSchema){3, pc};
  proj.nexprs = 3;
  proj.exprs = exprs;
  Collect c;
  collect_init(&c);
  EdOp *filter = ed_op_filter_new(&ctx, pred.e);
  EdOp *project = ed_op_project_new(&ctx, &proj);
  EdOp *sink = ed_op_sink_new(&ctx, &c.base, &proj.schema);
  ed_op_connect(filter, project, 0);
  ed_op_connect(project, sink, 0);
  TAP_OK(ed_scan_memtable(&ctx, m, filter, 0) == 0, "scan -> filter -> project -> sink");
  /* Rows 0..2999 with a % 3 = 0 and a not NULL (a NULL when i % 10 == 9):
  ** 1000 multiples of 3, of which those = 9 mod 10 (i = 9, 39, 69, ...:
  ** 100 of them) are NULL. */
  TAP_EQ_INT(c.nrows, 900, "900 rows pass the filter");
  TAP_EQ_STR(c.nrows > 1 ? c.rows[1] : "", "30|NAME3|3", "projected row");
  TAP_EQ_STR(c.nrows ? c.rows[c.nrows - 1] : "", "29970|NAME2997|2997", "last row");
  TAP_OK(c.begins == 1 && c.ends == 1, "sink begun once and ended once");
  TAP_EQ_INT(filter->rows_in, 3000, "filter saw 3000 rows");
  TAP_EQ_INT(filter->rows_out, 900, "filter passed 900");
  TAP_EQ_INT(project->rows_out, 900, "project emitted 900");
  TAP_OK(m->batches[0]->sel == NULL && m->batches[0]->nrows == ED_BATCH_CAP,
         "the table's batches are untouched by the filter");
  filter->vt->destroy(filter);
  project->vt->destroy(project);
  sink->vt->destroy(sink);
  collect_free(&c);

  /* A filter that drops everything: begin is still called, exactly once. */
  collect_init(&c);
  filter = ed_op_filter_new(&ctx, cmp(OP_LT, a, lit_i(0)).e);
  sink = ed_op_sink_new(&ctx, &c.base, &schema2);
  ed_op_connect(filter, sink, 0);
  TAP_OK(ed_scan_memtable(&ctx, m, filter, 0) == 0, "empty result runs");
  TAP_OK(c.begins == 1 && c.writes == 0 && c.ends == 1, "no rows: begin once, end once");
  filter->vt->destroy(filter);
  sink->vt->destroy(sink);
  collect_free(&c);

  /* A failing write stops the scan with an execution error. */
  collect_init(&c);
  c.fail_write = true;
  sink = ed_op_sink_new(&ctx, &c.base, &schema2);
  TAP_OK(ed_scan_memtable(&ctx, m, sink, 0) == -1 && ctx.err.kind == ED_ERR_EXEC,
         "a sink failure is an execution error");
  sink->vt->destroy(sink);
  collect_free(&c);

  /* An evaluation error in the project stops the run. */
  ed_error_clear(&ctx.err);
  X boom = bin(OP_MUL, ED_T_BIGINT, a, lit_i(INT64_MAX));
  EdExpr *bx[1] = {boom.e};
  EdPlan p2 = proj;
  p2.nexprs = 1;
  p2.exprs = bx;
  p2.schema = (EdSchema){1, pc};
  collect_init(&c);
  project = ed_op_project_new(&ctx, &p2);
  sink = ed_op_sink_new(&ctx, &c.base, &p2.schema);
  ed_op_connect(project, sink, 0);
  TAP_OK(ed_scan_memtable(&ctx, m, project, 0) == -1 &&
             strstr(ctx.err.msg, "BIGINT overflow"), "overflow in a projection fails the run");
  project->vt->destroy(project);
  sink->vt->destroy(sink);
  collect_free(&c);

  /* An interrupted run stops between batches. */
  ed_error_clear(&ctx.err);
  ctx.interrupted = 1;
  collect_init(&c);
  sink = ed_op_sink_new(&ctx, &c.base, &schema2);
  TAP_OK(ed_scan_memtable(&ctx, m, sink, 0) == -1 && strstr(ctx.err.msg, "interrupted"),
         "interrupt stops a scan");
  sink->vt->destroy(sink);
  collect_free(&c);
  ed_memtable_free(m);
}

static void values(void) {
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = &xb_arena;
  /* SELECT 1 + 1, 'x' || 'y': PROJECT over VALUES of one row, no columns. */
  EdPlan v0;
  memset(&v0, 0, sizeof v0);
  v0.kind = PLAN_VALUES;
  v0.phys = PHYS_VALUES;
  v0.nrows = 1;
  EdExpr *exprs[2] = {bin(OP_ADD, ED_T_BIGINT, lit_i(1), lit_i(1)).e,
                      bin(OP_CONCAT, ED_T_VARCHAR, lit_s("x"), lit_s("y")).e};
  EdColumn pc[2] = {{"n", ED_T_BIGINT, NULL}, {"s", ED_T_VARCHAR, NULL}};
  EdPlan proj;
  memset(&proj, 0, sizeof proj);
  proj.kind = PLAN_PROJECT;
  proj.schema = (EdSchema){2, pc};
  proj.nexprs = 2;
  proj.exprs = exprs;
  Collect c;
  collect_init(&c);
  EdOp *project = ed_op_project_new(&ctx, &proj);
  EdOp *sink = ed_op_sink_new(&ctx, &c.base, &proj.schema);
  ed_op_connect(project, sink, 0);
  TAP_OK(ed_scan_values(&ctx, &v0, project, 0) == 0, "SELECT without FROM runs");
  TAP_OK(c.nrows == 1 && strcmp(c.rows[0], "2|xy") == 0, "one row: 2|xy");
  project->vt->destroy(project);
  sink->vt->destroy(sink);
  collect_free(&c);

  /* VALUES (NULL, 0), (1, 2), (2, 4) ...: 2100 rows; the second column is
  ** DOUBLE and its cells BIGINT constants (converted); every 100th first
  ** cell is an untyped NULL. */
  enum { N = 2100 };
  EdExpr **cells = ed_arena_alloc(&xb_arena, sizeof(EdExpr *) * 2 * N);
  for (int r = 0; r < N; r++) {
    cells[2 * r] = r % 100 == 0 ? lit_null(ED_T_NULL).e : lit_i(r).e;
    cells[2 * r + 1] = lit_i(r * 2).e;
  }
  EdColumn vc[2] = {{"a", ED_T_BIGINT, NULL}, {"d", ED_T_DOUBLE, NULL}};
  EdPlan vn;
  memset(&vn, 0, sizeof vn);
  vn.kind = PLAN_VALUES;
  vn.schema = (EdSchema){2, vc};
  vn.nrows = N;
  vn.nexprs = 2 * N;
  vn.exprs = cells;
  collect_init(&c);
  sink = ed_op_sink_new(&ctx, &c.base, &vn.schema);
  TAP_OK(ed_scan_values(&ctx, &vn, sink, 0) == 0, "VALUES with 2100 rows");
  TAP_OK(c.nrows == N && c.writes == 2, "two batches of output");
  TAP_EQ_STR(c.nrows > 2099 ? c.rows[2099] : "", "2099|4198", "last VALUES row");
  TAP_EQ_STR(c.nrows > 100 ? c.rows[100] : "", "NULL|200", "NULL cell");
  sink->vt->destroy(sink);
  collect_free(&c);
}

/* A VALUES cell that needs evaluating sees the run's now(). */
static void values_now(void) {
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.query_arena = &xb_arena;
  ctx.now_us = 1234567;
  EdExpr *cells[2] = {fn(FN_NOW, ED_T_TIMESTAMP, "now", 0).e,
                      bin(OP_SUB, ED_T_BIGINT, lit_i(10), lit_i(3)).e};
  EdColumn vc[2] = {{"t", ED_T_TIMESTAMP, NULL}, {"n", ED_T_BIGINT, NULL}};
  EdPlan vn;
  memset(&vn, 0, sizeof vn);
  vn.kind = PLAN_VALUES;
  vn.schema = (EdSchema){2, vc};
  vn.nrows = 1;
  vn.nexprs = 2;
  vn.exprs = cells;
  Collect c;
  collect_init(&c);
  EdOp *sink = ed_op_sink_new(&ctx, &c.base, &vn.schema);
  ed_scan_values(&ctx, &vn, sink, 0);
  TAP_EQ_STR(c.nrows ? c.rows[0] : "", "?|7", "VALUES evaluates its cells");
  sink->vt->destroy(sink);
  collect_free(&c);
  EdValue v;
  TAP_OK(ed_eval_value(&ctx, cells[0], &xb_arena, &v) == 0 && v.u.i == 1234567,
         "ed_eval_value uses the run's now()");
}

static void exec_errors(void) {
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  TAP_EQ_INT(ed_exec_error(&ctx, "bad %s %d", "thing", 7), -1, "ed_exec_error returns -1");
  TAP_OK(ctx.err.kind == ED_ERR_EXEC && strcmp(ctx.err.msg, "bad thing 7") == 0 &&
             ctx.err.pos.line == 0, "execution error: kind, message, no position");
}

int main(void) {
  widths();
  get_put();
  append_and_compact();
  memtable();
  pipeline();
  values();
  values_now();
  exec_errors();
  ed_arena_free(&xb_arena);
  return tap_done();
}
