/*
** tests/unit/stream/test_stream_ops.c — the operators in a streaming run:
** end_batch through Sort, Limit, Distinct (per micro-batch), UNION ALL
** (forwarded once both inputs ended the batch), the sink operator's
** begin_batch / end_batch; change kinds (EdBatch.ops) carried by Project,
** Filter, joins, UNION ALL and Explode; and explode(split()) itself, in
** batch queries and over a stream.
**
** The operator trees are built by the executor's builder from plans of
** SQL over memory tables and driven by hand as the trigger loop drives
** them: stream_inputs set, batches pushed into a leaf's adapter, then
** ed_op_end_batch.  Expected rows are worked out by hand.
*/
#include "exec/executor.h"
#include "tests/unit/stream/stream_test.h"

/* ------------------------------------------------------------ driving */

typedef struct Tree {
  EdExecCtx ctx;
  EdArena arena;
  EdExecTree t;
  EdPlan *physical;
} Tree;

/* Plans sql (over tables) and builds its operators under the sink, marked
** as a streaming run: every operator above a leaf named in streams gets
** stream_inputs (other leaves are driven to completion now). */
static int tree_build(Tree *x, const char *sql, EdSink *sink,
                      const char *const *streams, int nstreams) {
  memset(x, 0, sizeof *x);
  ed_arena_init(&x->arena, 4096);
  x->ctx.query_arena = &x->arena;
  x->ctx.streaming = true;
  EdAstList stmts = {0};
  EdError err;
  EdPlan *logical;
  if (ed_parse(&st_arena, sql, &stmts, &err) != 0 ||
      ed_plan_query(&st_cat, ((EdAstStmt *)stmts.items[0])->query, sql, &st_arena, &logical,
                    &x->physical, &err) != 0) {
    printf("# %s: %s\n", sql, err.msg);
    return -1;
  }
  if (ed_exec_build(&x->t, &x->ctx, x->physical, sink) != 0) {
    printf("# build: %s\n", x->ctx.err.msg);
    return -1;
  }
  /* A node is streaming when a stream leaf lies under it: walk the
  ** pre-order list backwards so that children come before parents. */
  int n = x->t.n;
  bool *live = calloc((size_t)n, sizeof *live);
  for (int i = n - 1; i >= 0; i--) {
    EdExecNode *nd = &x->t.nodes[i];
    if (ed_exec_is_leaf(nd->plan)) {
      for (int k = 0; k < nstreams; k++)
        if (nd->plan->table &&
            strcmp(nd->plan->table->name, streams[k]) == 0)
          live[i] = true;
      nd->op->stream_inputs = live[i] ? 1 : 0;
      continue;
    }
    int c = 0;
    if (nd->left >= 0 && live[nd->left]) c++;
    if (nd->right >= 0 && live[nd->right]) c++;
    nd->op->stream_inputs = c;
    live[i] = c > 0;
  }
  x->t.sink->stream_inputs = 1;
  int rc = ed_op_sink_start(x->t.sink);
  for (int i = 0; i < n && rc == 0; i++) {
    EdExecNode *nd = &x->t.nodes[i];
    if (!live[i]) continue;
    if (nd->right >= 0 && !live[nd->right])
      rc = ed_exec_drive(&x->t, nd->right);
  }
  free(live);
  return rc;
}

/* The adapter of the k-th leaf (in plan pre-order) that scans table. */
static EdOp *leaf_of(Tree *x, const char *table, int k) {
  for (int i = 0; i < x->t.n; i++) {
    EdExecNode *nd = &x->t.nodes[i];
    if (ed_exec_is_leaf(nd->plan) && nd->plan->table &&
        strcmp(nd->plan->table->name, table) == 0 && k-- == 0)
      return nd->op;
  }
  return NULL;
}

static void tree_free(Tree *x) {
  ed_exec_tree_free(&x->t);
  ed_arena_free(&x->arena);
}

/* A batch of BIGINT values (and ops when not NULL). */
static EdBatch *ints(const int64_t *v, int n, const uint8_t *ops) {
  EdType t = ED_T_BIGINT;
  EdBatch *b = ed_batch_new(1, &t);
  for (int i = 0; i < n; i++) ED_VEC_I64(&b->cols[0])[i] = v[i];
  b->nrows = n;
  if (ops) {
    b->ops = b->ops_buf;
    memcpy(b->ops, ops, (size_t)n);
  }
  return b;
}

/* Pushes b into the leaf adapter and frees it. */
static int push(EdOp *leaf, EdBatch *b) {
  int rc = leaf->vt->push(leaf, 0, b);
  ed_batch_free(b);
  return rc;
}

/* Ends batch id on the leaf; the next rows belong to batch id + 1. */
static int end_batch(Tree *x, EdOp *leaf, int64_t id) {
  x->ctx.batch_id = id;
  int rc = ed_op_end_batch(leaf, 0);
  x->ctx.batch_id = id + 1;
  return rc;
}

/* ------------------------------------------------------------ tests */

static void test_sort_limit_per_batch(void) {
  st_object("nums", OBJ_TABLE, "memory", "v BIGINT");
  Rec r;
  rec_init(&r);
  Tree x;
  const char *streams[] = {"nums"};
  if (tree_build(&x, "SELECT v FROM nums ORDER BY v DESC LIMIT 2", &r.base,
                 streams, 1) != 0) {
    TAP_OK(0, "ORDER BY LIMIT tree");
    return;
  }
  EdOp *leaf = leaf_of(&x, "nums", 0);
  REC_IS(&r, "begin v\n", "the sink begins at the start");
  int64_t a[] = {3, 9, 1}, b[] = {4, 8};
  int rc = push(leaf, ints(a, 3, NULL));
  rc |= push(leaf, ints(b, 2, NULL));
  REC_IS(&r, "", "nothing before the end of the batch");
  rc |= end_batch(&x, leaf, 0);
  REC_IS(&r, "[0\n9\n8\n]0\n", "batch 0: its top two at its end");
  int64_t c[] = {5, 2};
  rc |= push(leaf, ints(c, 2, NULL));
  rc |= end_batch(&x, leaf, 1);
  REC_IS(&r, "[1\n5\n2\n]1\n",
         "batch 1 is sorted and limited on its own (the limit starts "
         "again)");
  rc |= end_batch(&x, leaf, 2);
  REC_IS(&r, "[2\n]2\n", "an empty batch: begin and end at the sink");
  TAP_EQ_INT(rc, 0, "no error");
  tree_free(&x);

  /* LIMIT with OFFSET and a full sort (no top-N), and LIMIT alone. */
  if (tree_build(&x, "SELECT v FROM nums ORDER BY v LIMIT 2 OFFSET 1",
                 &r.base, streams, 1) != 0)
    return;
  rec_clear(&r);
  leaf = leaf_of(&x, "nums", 0);
  int64_t d[] = {7, 5, 6, 4};
  push(leaf, ints(d, 4, NULL));
  end_batch(&x, leaf, 0);
  push(leaf, ints(d, 3, NULL));
  end_batch(&x, leaf, 1);
  REC_IS(&r, "[0\n5\n6\n]0\n[1\n6\n7\n]1\n",
         "OFFSET 1 LIMIT 2 per batch: {4,5,6,7} -> 5,6; {5,6,7} -> 6,7");
  tree_free(&x);
  if (tree_build(&x, "SELECT v FROM nums LIMIT 1", &r.base, streams, 1) != 0)
    return;
  rec_clear(&r);
  leaf = leaf_of(&x, "nums", 0);
  push(leaf, ints(d, 4, NULL));
  push(leaf, ints(c, 2, NULL));
  end_batch(&x, leaf, 0);
  push(leaf, ints(c, 2, NULL));
  end_batch(&x, leaf, 1);
  REC_IS(&r, "[0\n7\n]0\n[1\n5\n]1\n",
         "LIMIT 1 without ORDER BY: the first row of each batch");
  tree_free(&x);
  r.base.destroy(&r.base);
}

static void test_distinct_per_batch(void) {
  Rec r;
  rec_init(&r);
  Tree x;
  const char *streams[] = {"nums"};
  if (tree_build(&x, "SELECT DISTINCT v FROM nums", &r.base, streams, 1)) {
    TAP_OK(0, "DISTINCT tree");
    return;
  }
  rec_clear(&r);
  EdOp *leaf = leaf_of(&x, "nums", 0);
  int64_t a[] = {1, 2, 1}, b[] = {2, 3, 3};
  push(leaf, ints(a, 3, NULL));
  end_batch(&x, leaf, 0);
  push(leaf, ints(b, 3, NULL));
  end_batch(&x, leaf, 1);
  REC_IS(&r, "[0\n1\n2\n]0\n[1\n2\n3\n]1\n",
         "DISTINCT within each batch (2 is new again in batch 1)");
  tree_free(&x);
  r.base.destroy(&r.base);
}

static void test_union_end_batch(void) {
  st_object("nums2", OBJ_TABLE, "memory", "v DOUBLE");
  Rec r;
  rec_init(&r);
  Tree x;
  const char *streams[] = {"nums", "nums2"};
  if (tree_build(&x, "SELECT v FROM nums UNION ALL SELECT v FROM nums2",
                 &r.base, streams, 2)) {
    TAP_OK(0, "UNION ALL tree");
    return;
  }
  rec_clear(&r);
  EdOp *l = leaf_of(&x, "nums", 0), *rr = leaf_of(&x, "nums2", 0);
  int64_t a[] = {1, 2};
  uint8_t ops[] = {ED_ROW_UPDATE_BEFORE, ED_ROW_UPDATE_AFTER};
  push(l, ints(a, 2, ops));
  end_batch(&x, l, 0);
  REC_IS(&r, "[0\n-U 1.0\n+U 2.0\n",
         "one input ended the batch: the union waits for the other (rows "
         "converted to DOUBLE keep their ops)");
  end_batch(&x, rr, 0);
  REC_IS(&r, "]0\n", "both ended: the batch ends once");
  end_batch(&x, rr, 1);
  end_batch(&x, l, 1);
  REC_IS(&r, "[1\n]1\n", "in either order");
  tree_free(&x);
  r.base.destroy(&r.base);
}

static void test_ops_carried(void) {
  EdTable *u = st_object("ops_u", OBJ_TABLE, "memory", "id BIGINT, name VARCHAR");
  st_row(u, "1|one");
  st_row(u, "2|two");
  st_row(u, "2|deux");
  Rec r;
  rec_init(&r);
  Tree x;
  const char *streams[] = {"nums"};
  uint8_t ops[] = {ED_ROW_INSERT, ED_ROW_UPDATE_BEFORE, ED_ROW_UPDATE_AFTER,
                   ED_ROW_DELETE};
  int64_t v[] = {1, 2, 3, -1};
  if (tree_build(&x, "SELECT v * 10 AS w FROM nums WHERE v > 1 OR v < 0",
                 &r.base, streams, 1) == 0) {
    rec_clear(&r);
    EdOp *leaf = leaf_of(&x, "nums", 0);
    push(leaf, ints(v, 4, ops));
    end_batch(&x, leaf, 0);
    REC_IS(&r, "[0\n-U 20\n+U 30\n-D -10\n]0\n",
           "Filter and Project keep each row's change kind");
    tree_free(&x);
  }
  if (tree_build(&x, "SELECT n.v, u.name FROM nums n JOIN ops_u u "
                     "ON n.v = u.id",
                 &r.base, streams, 1) == 0) {
    rec_clear(&r);
    EdOp *leaf = leaf_of(&x, "nums", 0);
    push(leaf, ints(v, 4, ops));
    end_batch(&x, leaf, 0);
    REC_IS(&r, "[0\n+I 1|one\n-U 2|two\n-U 2|deux\n]0\n",
           "HashJoin: each output row has its probe row's change kind");
    tree_free(&x);
  }
  if (tree_build(&x, "SELECT n.v, u.name FROM nums n LEFT JOIN ops_u u "
                     "ON n.v < u.id",
                 &r.base, streams, 1) == 0) {
    rec_clear(&r);
    EdOp *leaf = leaf_of(&x, "nums", 0);
    push(leaf, ints(v, 4, ops));
    end_batch(&x, leaf, 0);
    REC_IS(&r,
           "[0\n+I 1|two\n+I 1|deux\n-U 2|NULL\n+U 3|NULL\n-D -1|one\n"
           "-D -1|two\n-D -1|deux\n]0\n",
           "NestedLoopJoin (LEFT): matches and NULL rows keep the change "
           "kind");
    tree_free(&x);
  }
  r.base.destroy(&r.base);
}

static void test_explode_batch(void) {
  EdTable *t = st_object("lines", OBJ_TABLE, "memory",
                         "id BIGINT, line VARCHAR, sep VARCHAR");
  st_row(t, "1|the cat|  ");
  st_row(t, "2|a  b | ");
  st_row(t, "3|NULL| ");
  st_row(t, "4|| ");
  st_row(t, "5|h\xc3\xa9!|");
  st_row(t, "6|x--y--|--");
  st_row(t, "7|no sep|NULL");
  st_row(t, "8|ab|abc");
  Rec r;
  rec_init(&r);
  EdExecCtx ctx;
  memset(&ctx, 0, sizeof ctx);
  EdArena a;
  ed_arena_init(&a, 4096);
  ctx.query_arena = &a;
  const char *sql = "SELECT id, explode(split(line, sep)) AS piece FROM lines";
  EdAstList stmts = {0};
  EdError err;
  EdPlan *logical, *physical;
  if (ed_parse(&st_arena, sql, &stmts, &err) != 0 ||
      ed_plan_query(&st_cat, ((EdAstStmt *)stmts.items[0])->query, sql, &st_arena, &logical,
                    &physical, &err) != 0) {
    printf("# %s\n", err.msg);
    TAP_OK(0, "explode plans");
    return;
  }
  int rc = ed_exec_run(&ctx, physical, &r.base, NULL, NULL);
  TAP_EQ_INT(rc, 0, "explode runs in a batch query");
  REC_IS(&r,
         "begin id,piece\n"
         "1|the cat\n"           /* separator "  " (two spaces) not found */
         "2|a\n2|\n2|b\n2|\n"    /* empty pieces kept, also at the end */
         "4|\n"                  /* '' gives one empty piece */
         "5|h\n5|\xc3\xa9\n5|!\n" /* '' separator: characters */
         "6|x\n6|y\n6|\n"        /* a multi-byte separator */
         "8|ab\n"                /* separator longer than the string */
         "end\n",
         "split pieces: Spark's split with a literal separator; NULL "
         "string or separator gives no row");
  ed_arena_free(&a);

  /* One row of 5000 words becomes 5000 rows in batches of at most
  ** ED_BATCH_CAP. */
  EdTable *big = st_object("bigline", OBJ_TABLE, "memory", "line VARCHAR");
  char *line = malloc(5000 * 2);
  for (int i = 0; i < 5000; i++) {
    line[2 * i] = (char)('a' + i % 26);
    line[2 * i + 1] = ' ';
  }
  line[2 * 5000 - 1] = 0;
  st_row(big, line);
  st_row(big, "z");
  free(line);
  memset(&ctx, 0, sizeof ctx);
  ed_arena_init(&a, 4096);
  ctx.query_arena = &a;
  const char *sql2 = "SELECT explode(split(line, ' ')) AS w FROM bigline";
  stmts = (EdAstList){0};
  if (ed_parse(&st_arena, sql2, &stmts, &err) != 0 ||
      ed_plan_query(&st_cat, ((EdAstStmt *)stmts.items[0])->query, sql2, &st_arena,
                    &logical, &physical, &err) != 0) {
    TAP_OK(0, "explode of a long line plans");
    return;
  }
  r.writes = r.max_write = 0;
  rc = ed_exec_run(&ctx, physical, &r.base, NULL, NULL);
  char *text = rec_take(&r);
  int rows = 0;
  for (char *p = text; *p; p++) rows += *p == '\n';
  TAP_EQ_INT(rc, 0, "a long line explodes");
  TAP_EQ_INT(rows - 2, 5001, "5000 words and one more row");
  TAP_OK(r.max_write <= ED_BATCH_CAP && r.writes >= 3,
         "output batches are capped at ED_BATCH_CAP rows");
  TAP_OK(strncmp(text, "begin w\na\nb\nc\n", 14) == 0,
         "words in order");
  free(text);
  ed_arena_free(&a);
  r.base.destroy(&r.base);
}

static void test_explode_ops(void) {
  EdTable *t = st_object("kv", OBJ_TABLE, "memory", "k BIGINT, s VARCHAR");
  (void)t;
  Rec r;
  rec_init(&r);
  Tree x;
  const char *streams[] = {"kv"};
  if (tree_build(&x, "SELECT k, explode(split(s, ',')) AS p FROM kv",
                 &r.base, streams, 1) != 0) {
    TAP_OK(0, "explode tree");
    return;
  }
  rec_clear(&r);
  EdOp *leaf = leaf_of(&x, "kv", 0);
  EdType types[] = {ED_T_BIGINT, ED_T_VARCHAR};
  EdBatch *b = ed_batch_new(2, types);
  EdValue v = {.type = ED_T_BIGINT};
  const char *strs[] = {"a,b", "c", "d,e,f"};
  for (int i = 0; i < 3; i++) {
    v.type = ED_T_BIGINT;
    v.u.i = i;
    ed_vector_put(b, 0, i, &v);
    EdValue sv = {.type = ED_T_VARCHAR,
                  .u.s = {strs[i], (uint32_t)strlen(strs[i])}};
    ed_vector_put(b, 1, i, &sv);
  }
  b->nrows = 3;
  b->ops = b->ops_buf;
  b->ops[0] = ED_ROW_UPDATE_BEFORE;
  b->ops[1] = ED_ROW_INSERT;
  b->ops[2] = ED_ROW_DELETE;
  b->sel = b->sel_buf;
  b->sel[0] = 0;
  b->sel[1] = 2;
  b->nsel = 2;
  push(leaf, b);
  end_batch(&x, leaf, 0);
  REC_IS(&r, "[0\n-U 0|a\n-U 0|b\n-D 2|d\n-D 2|e\n-D 2|f\n]0\n",
         "Explode: active rows only, each piece with its row's change kind");
  tree_free(&x);
  r.base.destroy(&r.base);
}

static void test_explode_stream(void) {
  EdTable *s = st_stream("words_in", "value VARCHAR", NULL, 0);
  Rec r;
  rec_init(&r);
  StQuery q = st_start("SELECT explode(split(value, ' ')) AS word FROM "
                       "words_in",
                       &r.base, NULL);
  if (!TAP_OK(q.q != NULL, "explode over a stream starts")) return;
  REC_IS(&r, "begin word\n", "its column is the alias");
  st_row(s, "to be");
  st_row(s, "or");
  st_run(&q);
  REC_IS(&r, "[0\nto\nbe\nor\n]0\n", "each line's words, per batch");
  ed_stream_query_finish(q.q, &q.err);
  ed_stream_query_free(q.q);
  r.base.destroy(&r.base);
}

int main(void) {
  ed_catalog_init(&st_cat);
  ed_arena_init(&st_arena, 1 << 16);
  test_sort_limit_per_batch();
  test_distinct_per_batch();
  test_union_end_batch();
  test_ops_carried();
  test_explode_batch();
  test_explode_ops();
  test_explode_stream();
  ed_arena_free(&st_arena);
  ed_catalog_free(&st_cat);
  return tap_done();
}
