/*
** engine/insert.c — INSERT INTO t [(cols)] VALUES ... | SELECT ...
**
** Rows go into the target's memory table (the memory connector of a table
** or a stream).  An INSERT is all or nothing: VALUES rows are all bound
** before the first is appended, and the rows of a query are collected in
** a scratch memory table that is appended to the target only when the
** query has finished without error (this also makes INSERT INTO t SELECT
** ... FROM t read the table as it was before the statement).
**
** Rows inserted into a memory stream are the next input batch of every
** streaming query running on it, which processes them before the INSERT
** returns.  INSERT INTO a sink starts a query writing into it
** (engine/stream.c).
**
** Values are converted to the column types with the implicit casts of an
** assignment: numbers to numbers (a DOUBLE into a BIGINT column only when it
** is a whole number), text to TIMESTAMP, anything to VARCHAR.
*/
#include "engine/engine.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "exec/executor.h"
#include "exec/memtable.h"
#include "planner/plan.h"

/* Room for the text form of any non-string value (a WINDOW is longest). */
#define TEXT_CAP 96

/* Target of an INSERT: the table and, for each inserted value position,
** the column it goes to. */
typedef struct Target {
  EdTable *t;
  int ngiven;               /* values per row */
  int *col;                 /* ngiven entries: target column index */
} Target;

/* Position of the target's name (after INTO). */
static EdPos target_pos(EdStmtEnv *env, const EdAstStmt *st) {
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "INTO");
  return ed_stmt_ident_pos(env->sql, st, from, st->target);
}

/* Resolves the target table and the optional column list. */
static int resolve_target(EdStmtEnv *env, const EdAstStmt *st, Target *tg,
                          EdError *err) {
  EdTable *t = ed_catalog_find(&env->s->catalog, st->target);
  if (!t) {
    EdPos p = target_pos(env, st);
    return ed_error_set(err, ED_ERR_BIND, &p, "no table named \"%s\"",
                        st->target);
  }
  if (!t->mem) {
    EdPos p = target_pos(env, st);
    const char *path = ed_table_option(t, "path");
    return ed_error_set(err, ED_ERR_BIND, &p,
                        "cannot insert into %s \"%s\": it reads %s%s%s "
                        "(connector '%s'); INSERT needs the memory connector",
                        ed_obj_kind_name(t->kind), t->name,
                        path ? "the file '" : "its source",
                        path ? path : "", path ? "'" : "", t->connector);
  }
  tg->t = t;
  int n = st->insert_cols.n ? st->insert_cols.n : t->schema.ncols;
  tg->ngiven = n;
  tg->col = ed_arena_alloc(env->arena, sizeof(int) * (size_t)(n ? n : 1));
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "INTO");
  for (int k = 0; k < n; k++) {
    if (!st->insert_cols.n) {
      tg->col[k] = k;
      continue;
    }
    const char *name = st->insert_cols.items[k];
    int c = ed_schema_find(&t->schema, name);
    EdPos p = ed_stmt_ident_pos(env->sql, st, from, name);
    if (c < 0)
      return ed_error_set(err, ED_ERR_BIND, &p,
                          "%s \"%s\" has no column \"%s\"",
                          ed_obj_kind_name(t->kind), t->name, name);
    for (int j = 0; j < k; j++)
      if (tg->col[j] == c)
        return ed_error_set(err, ED_ERR_BIND, &p,
                            "column \"%s\" is listed twice", name);
    tg->col[k] = c;
  }
  return 0;
}

/* Sets every value of a row to a typed NULL. */
static void null_row(const EdSchema *sch, EdValue *row) {
  for (int c = 0; c < sch->ncols; c++) {
    memset(&row[c], 0, sizeof row[c]);
    row[c].type = sch->cols[c].type;
    row[c].is_null = true;
  }
}

/* "the table has 2 columns" or "2 columns are listed", for messages about
** the number of values of a row. */
static const char *width_text(EdArena *a, const EdAstStmt *st, int n) {
  if (st->insert_cols.n)
    return ed_arena_printf(a, "%d column%s %s listed", n, n == 1 ? "" : "s",
                           n == 1 ? "is" : "are");
  return ed_arena_printf(a, "the table has %d column%s", n,
                         n == 1 ? "" : "s");
}

/* -------------------------------------------------------------- VALUES */

/* INSERT ... VALUES: binds every row, then appends them all. */
static int insert_values(EdStmtEnv *env, const EdAstStmt *st,
                         const Target *tg, EdError *err) {
  const EdSchema *sch = &tg->t->schema;
  int nrows = st->rows.n, ncols = sch->ncols;
  EdValue *rows = ed_arena_alloc(env->arena, sizeof(EdValue) *
                                                 (size_t)(nrows * ncols + 1));
  for (int r = 0; r < nrows; r++) {
    const EdAstList *row = st->rows.items[r];
    EdValue *out = rows + (size_t)r * (size_t)ncols;
    if (row->n != tg->ngiven) {
      const EdAstExpr *at = row->items[row->n > tg->ngiven ? tg->ngiven : 0];
      return ed_error_set(err, ED_ERR_BIND, at ? &at->pos : &st->pos,
                          "row %d has %d value%s but %s", r + 1, row->n,
                          row->n == 1 ? "" : "s",
                          width_text(env->arena, st, tg->ngiven));
    }
    null_row(sch, out);
    for (int k = 0; k < row->n; k++) {
      int c = tg->col[k];
      EdType want = sch->cols[c].type;
      const EdAstExpr *e = row->items[k];
      if (ed_bind_constant(e, want, env->arena, &out[c], err) != 0) return -1;
      if (out[c].is_null) out[c].type = want;
      if (out[c].type != want)
        return ed_error_set(err, ED_ERR_BIND, &e->pos,
                            "a %s value cannot go into column \"%s\" (%s)",
                            ed_type_name(out[c].type), sch->cols[c].name,
                            ed_type_name(want));
    }
  }
  for (int r = 0; r < nrows; r++)
    ed_memtable_append_row(tg->t->mem, rows + (size_t)r * (size_t)ncols);
  return 0;
}

/* -------------------------------------------------------------- SELECT */

/* Whether a query column of type from may be stored in a column of type
** to (an assignment's implicit casts). */
static bool assignable(EdType from, EdType to) {
  if (from == to || from == ED_T_NULL || to == ED_T_VARCHAR) return true;
  bool num_from = from == ED_T_BIGINT || from == ED_T_DOUBLE;
  bool num_to = to == ED_T_BIGINT || to == ED_T_DOUBLE;
  if (num_from && num_to) return true;
  return from == ED_T_VARCHAR && to == ED_T_TIMESTAMP;
}

/* The sink that collects a query's rows, converted to the target's
** column types, into a scratch memory table. */
typedef struct InsertSink {
  EdSink base;
  const Target *tg;
  EdMemTable *scratch;
  bool direct;              /* same columns and types: append batches */
  EdValue *row;             /* one row of the target */
  char (*text)[TEXT_CAP];   /* per target column, for text conversions */
} InsertSink;

/* The query's schema was checked before the run: nothing to do. */
static int isink_begin(EdSink *s, const EdSchema *schema) {
  (void)s;
  (void)schema;
  return 0;
}

/* Converts in (of any type) to want.  Returns 0, or -1 with a message. */
static int convert(InsertSink *is, const EdValue *in, int c, EdValue *out) {
  const EdColumn *col = &is->tg->t->schema.cols[c];
  EdType want = col->type;
  if (in->is_null || in->type == ED_T_NULL || in->type == want) {
    *out = *in;
    out->type = want;
    out->is_null = in->is_null || in->type == ED_T_NULL;
    return 0;
  }
  memset(out, 0, sizeof *out);
  out->type = want;
  if (want == ED_T_DOUBLE && in->type == ED_T_BIGINT) {
    out->u.d = (double)in->u.i;
  } else if (want == ED_T_BIGINT && in->type == ED_T_DOUBLE) {
    /* As for VALUES: only a whole number in range fits. */
    double d = in->u.d;
    if (!(d == trunc(d) && d >= -9223372036854775808.0 &&
          d < 9223372036854775808.0)) {
      char num[32];
      ed_format_double(d, num);
      snprintf(is->base.errmsg, sizeof is->base.errmsg,
               "value %s does not fit in BIGINT column \"%s\"", num,
               col->name);
      return -1;
    }
    out->u.i = (int64_t)d;
  } else if (want == ED_T_TIMESTAMP && in->type == ED_T_VARCHAR) {
    if (ed_parse_timestamp(in->u.s.ptr, in->u.s.len, &out->u.i) != 0) {
      snprintf(is->base.errmsg, sizeof is->base.errmsg,
               "'%.*s' is not a timestamp (column \"%s\")",
               (int)(in->u.s.len > 200 ? 200 : in->u.s.len), in->u.s.ptr,
               col->name);
      return -1;
    }
  } else if (want == ED_T_VARCHAR) {
    int n = ed_value_to_text(in, is->text[c], TEXT_CAP);
    out->u.s.ptr = is->text[c];
    out->u.s.len = (uint32_t)n;
  } else {
    snprintf(is->base.errmsg, sizeof is->base.errmsg,
             "cannot store %s in %s column \"%s\"", ed_type_name(in->type),
             ed_type_name(want), col->name);
    return -1;
  }
  return 0;
}

/* Collects the active rows of b, converted, into the scratch table.
** Returns -1 with base.errmsg set when a value does not convert. */
static int isink_write(EdSink *s, const EdBatch *b) {
  InsertSink *is = (InsertSink *)s;
  int n = ed_batch_count(b);
  s->rows_written += n;
  if (is->direct) {
    ed_memtable_append(is->scratch, b);
    return 0;
  }
  const EdSchema *sch = &is->tg->t->schema;
  for (int k = 0; k < n; k++) {
    int i = ed_batch_row(b, k);
    null_row(sch, is->row);
    for (int q = 0; q < is->tg->ngiven; q++) {
      int c = is->tg->col[q];
      EdValue v;
      ed_batch_get(b, q, i, &v);
      if (convert(is, &v, c, &is->row[c]) != 0) return -1;
    }
    ed_memtable_append_row(is->scratch, is->row);
  }
  return 0;
}

/* The scratch table is appended by insert_select after the run. */
static int isink_end(EdSink *s) {
  (void)s;
  return 0;
}

static void isink_destroy(EdSink *s) { (void)s; }

/* Position of the k-th select item of the query's first SELECT, when the
** select list has no star (else the query's position). */
static EdPos item_pos(const EdAstQuery *q, int k) {
  if (q->selects.n > 0) {
    const EdAstSelect *sel = q->selects.items[0];
    bool star = false;
    for (int i = 0; i < sel->items.n; i++) {
      const EdAstSelItem *it = sel->items.items[i];
      if (it->expr && it->expr->kind == AST_STAR) star = true;
    }
    if (!star && k < sel->items.n) {
      const EdAstSelItem *it = sel->items.items[k];
      return it->expr ? it->expr->pos : it->pos;
    }
  }
  return q->pos;
}

/* True when output column k of the query is a bare NULL in every SELECT
** of it: NULL fits any column, whatever type the binder gave it. */
static bool null_column(const EdAstQuery *q, int k) {
  for (int i = 0; i < q->selects.n; i++) {
    const EdAstSelect *sel = q->selects.items[i];
    for (int j = 0; j < sel->items.n; j++) {
      const EdAstSelItem *it = sel->items.items[j];
      if (it->expr && it->expr->kind == AST_STAR) return false;
    }
    if (k >= sel->items.n) return false;
    const EdAstSelItem *it = sel->items.items[k];
    if (!it->expr || it->expr->kind != AST_LITERAL ||
        it->expr->lit.type != ED_T_NULL)
      return false;
  }
  return q->selects.n > 0;
}

/* INSERT ... SELECT: plans the query, checks its column types against the
** target, runs it into an InsertSink, then appends the collected rows. */
static int insert_select(EdStmtEnv *env, const EdAstStmt *st,
                         const Target *tg, EdError *err) {
  EdPlan *logical = NULL, *physical = NULL;
  EdCatalog *cat = ed_env_catalog(env);
  EdStreamInfo info;
  if (ed_plan_query_stream(cat, st->query, env->sql, env->arena, NULL,
                           &logical, &physical, &info, err) != 0)
    return -1;
  if (info.streaming)
    return ed_error_set(err, ED_ERR_PLAN, &st->query->pos,
                        "a query over a stream cannot be inserted into the "
                        "%s \"%s\": a continuous query writes to a sink, "
                        "e.g. CREATE SINK %s_out WITH (connector = "
                        "'memory'); INSERT INTO %s_out SELECT ...",
                        ed_obj_kind_name(tg->t->kind), tg->t->name,
                        tg->t->name, tg->t->name);
  const EdSchema *qs = &physical->schema;
  const EdSchema *ts = &tg->t->schema;
  if (qs->ncols != tg->ngiven)
    return ed_error_set(err, ED_ERR_BIND, &st->query->pos,
                        "the query gives %d column%s but %s", qs->ncols,
                        qs->ncols == 1 ? "" : "s",
                        width_text(env->arena, st, tg->ngiven));
  bool direct = tg->ngiven == ts->ncols;
  for (int k = 0; k < qs->ncols; k++) {
    const EdColumn *dst = &ts->cols[tg->col[k]];
    if (!assignable(qs->cols[k].type, dst->type) &&
        !null_column(st->query, k)) {
      EdPos p = item_pos(st->query, k);
      return ed_error_set(err, ED_ERR_BIND, &p,
                          "column \"%s\" is %s but the query gives %s for it "
                          "(use CAST)",
                          dst->name, ed_type_name(dst->type),
                          ed_type_name(qs->cols[k].type));
    }
    if (tg->col[k] != k || qs->cols[k].type != dst->type) direct = false;
  }
  InsertSink is;
  memset(&is, 0, sizeof is);
  is.base.begin = isink_begin;
  is.base.write = isink_write;
  is.base.end = isink_end;
  is.base.destroy = isink_destroy;
  is.tg = tg;
  is.direct = direct;
  is.row = ed_arena_alloc(env->arena, sizeof(EdValue) * (size_t)ts->ncols);
  is.text = ed_arena_alloc(env->arena, TEXT_CAP * (size_t)ts->ncols);
  is.scratch = ed_memtable_new(ts);
  EdExecCtx *ctx = ed_env_ctx(env);
  int rc = ed_exec_run(ctx, physical, &is.base, NULL, NULL);
  if (rc != 0) {
    ed_memtable_free(is.scratch);
    if (is.base.errmsg[0] && !env->s->interrupt)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "%s", is.base.errmsg);
    return ed_env_exec_error(env, err);
  }
  for (int i = 0; i < is.scratch->nbatches; i++)
    ed_memtable_append(tg->t->mem, is.scratch->batches[i]);
  ed_memtable_free(is.scratch);
  return 0;
}

int ed_run_insert(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  EdTable *t = ed_catalog_find(&env->s->catalog, st->target);
  if (t && t->kind == OBJ_SINK) return ed_run_insert_sink(env, st, t, err);
  Target tg;
  if (resolve_target(env, st, &tg, err) != 0) return -1;
  int rc = st->query ? insert_select(env, st, &tg, err)
                     : insert_values(env, st, &tg, err);
  /* The rows are one input batch of every query running on the stream
  ** (DESIGN §8): they have run it when the statement returns. */
  if (rc == 0 && tg.t->kind == OBJ_STREAM)
    rc = ed_stream_inserted(env->s, tg.t, err);
  return rc;
}
