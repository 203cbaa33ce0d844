/*
** engine/ddl.c — statements that change the catalog: CREATE TABLE,
** CREATE STREAM, CREATE SINK, CREATE INDEX and DROP.
**
** CREATE builds a malloc-owned EdTable from the AST: the columns, the
** connector and its WITH options (validated here so that a typo fails at
** CREATE time with the list of valid names, not at the first query), the
** schema of a file table or stream without a column list (inferred from
** the file, or the connector's own columns), and the watermark
** definition.  A memory table or stream gets its EdMemTable.  DROP ends
** the streaming queries that read the object before it goes (DROP SINK:
** the query that writes it).  CREATE SINK is engine/sinks.c's.
*/
#include "engine/engine.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exec/memtable.h"
#include "planner/plan.h"
#include "sources/file_source.h"
#include "sources/stream_source.h"

const char *ed_obj_kind_name(EdObjKind k) {
  switch (k) {
    case OBJ_TABLE: return "table";
    case OBJ_STREAM: return "stream";
    case OBJ_SINK: return "sink";
  }
  return "object";
}

char *ed_option_text(const EdAstExpr *v, EdArena *arena, EdError *err) {
  char buf[64];
  if (v->kind == AST_COLUMN && !v->qualifier)   /* format = csv */
    return ed_arena_strdup(arena, v->name);
  EdValue val;
  if (v->kind == AST_LITERAL) {
    val.type = v->lit.type;
    val.is_null = v->lit.type == ED_T_NULL;
    switch (v->lit.type) {
      case ED_T_VARCHAR:
        return ed_arena_strndup(arena, v->lit.s, (size_t)v->lit.slen);
      case ED_T_BOOL: val.u.b = v->lit.b; break;
      case ED_T_DOUBLE: val.u.d = v->lit.d; break;
      default: val.u.i = v->lit.i; break;
    }
  } else if (ed_bind_constant(v, ED_T_NULL, arena, &val, err) != 0) {
    return NULL;
  }
  if (val.is_null)
    return ed_error_set(err, ED_ERR_BIND, &v->pos, "a value cannot be NULL"),
           NULL;
  if (val.type == ED_T_BOOL)
    return ed_arena_strdup(arena, val.u.b ? "true" : "false");
  if (val.type == ED_T_VARCHAR)
    return ed_arena_strndup(arena, val.u.s.ptr, val.u.s.len);
  ed_value_to_text(&val, buf, (int)sizeof buf);
  return ed_arena_strdup(arena, buf);
}

/* ------------------------------------------------------------- options */

/* Options each connector accepts; "connector" itself is always valid. */
static const char *const memory_options[] = {"connector", NULL};
static const char *const file_options[] = {
    "connector", "path", "format", "header", "delimiter", "mode",
    "bad_records_path", NULL};

/* The options of a connector, or NULL for an unknown connector. */
static const char *const *connector_options(const char *connector) {
  if (strcmp(connector, "memory") == 0) return memory_options;
  if (strcmp(connector, "file") == 0) return file_options;
  return NULL;
}

/* Writes "a, b, c" of a NULL-terminated list into the arena. */
static char *join_names(EdArena *a, const char *const *names) {
  size_t n = 1;
  for (int i = 0; names[i]; i++) n += strlen(names[i]) + 2;
  char *out = ed_arena_alloc(a, n);
  out[0] = 0;
  for (int i = 0; names[i]; i++) {
    if (i) strcat(out, ", ");
    strcat(out, names[i]);
  }
  return out;
}

/* The WITH option of st named key, or NULL. */
static const EdAstOption *find_ast_option(const EdAstStmt *st,
                                          const char *key) {
  for (int i = 0; i < st->options.n; i++) {
    const EdAstOption *o = st->options.items[i];
    if (strcmp(o->key, key) == 0) return o;
  }
  return NULL;
}

/* Copies the WITH options into t (keys lower-cased by the parser), checks
** for duplicates and sets t->connector (default "memory"). */
static int build_options(EdStmtEnv *env, const EdAstStmt *st, EdTable *t,
                         EdError *err) {
  int n = st->options.n;
  t->options = ed_calloc(n ? (size_t)n : 1, sizeof *t->options);
  for (int i = 0; i < n; i++) {
    const EdAstOption *o = st->options.items[i];
    for (int j = 0; j < i; j++) {
      const EdAstOption *p = st->options.items[j];
      if (strcmp(p->key, o->key) == 0)
        return ed_error_set(err, ED_ERR_BIND, &o->pos,
                            "option \"%s\" is given twice", o->key);
    }
    char *v = ed_option_text(o->value, env->arena, err);
    if (!v) return -1;
    t->options[i].key = ed_strdup(o->key);
    t->options[i].value = ed_strdup(v);
    t->noptions = i + 1;
  }
  const char *conn = ed_table_option(t, "connector");
  char *lc = ed_strdup(conn ? conn : "memory");
  for (char *p = lc; *p; p++) *p = (char)tolower((unsigned char)*p);
  t->connector = lc;
  return 0;
}

/* Checks the connector name and that every option belongs to it. */
static int check_connector(EdStmtEnv *env, const EdAstStmt *st,
                           const EdTable *t, EdError *err) {
  const char *const *valid = connector_options(t->connector);
  if (!valid) {
    const EdAstOption *o = find_ast_option(st, "connector");
    return ed_error_set(err, ED_ERR_BIND, o ? &o->value->pos : &st->pos,
                        "unknown connector \"%s\": valid connectors are "
                        "memory, file",
                        t->connector);
  }
  for (int i = 0; i < st->options.n; i++) {
    const EdAstOption *o = st->options.items[i];
    bool ok = false;
    for (int k = 0; valid[k] && !ok; k++) ok = strcmp(valid[k], o->key) == 0;
    if (!ok)
      return ed_error_set(err, ED_ERR_BIND, &o->pos,
                          "unknown option \"%s\" for connector \"%s\": valid "
                          "options are %s",
                          o->key, t->connector,
                          join_names(env->arena, valid));
  }
  return 0;
}

/* Runs ed_decode_opts_from_table on t with only some of its options, to
** find which option an error without a position is about. */
static int probe_decode(const EdTable *t, const EdOption *a,
                        const EdOption *b, EdError *err) {
  EdOption opts[2];
  int n = 0;
  if (a) opts[n++] = *a;
  if (b) opts[n++] = *b;
  EdTable probe = *t;
  probe.noptions = n;
  probe.options = opts;
  EdDecodeOpts d;
  return ed_decode_opts_from_table(&probe, &d, err);
}

/* Validates the decoder options of a file table; an error without a
** position is attributed to the option that causes it. */
static int check_decode_opts(const EdAstStmt *st, const EdTable *t,
                             EdDecodeOpts *opts, EdError *err) {
  if (ed_decode_opts_from_table(t, opts, err) == 0) return 0;
  if (err->pos.line > 0) return -1;
  EdError first = *err;
  const EdOption *fmt = NULL;
  for (int i = 0; i < t->noptions; i++)
    if (strcmp(t->options[i].key, "format") == 0) fmt = &t->options[i];
  for (int i = 0; i < t->noptions; i++) {
    const EdOption *o = &t->options[i];
    if (strcmp(o->key, "connector") == 0 || strcmp(o->key, "path") == 0)
      continue;
    EdError e;
    ed_error_clear(&e);
    if (probe_decode(t, o == fmt ? NULL : fmt, o, &e) != 0) {
      const EdAstOption *ao = find_ast_option(st, o->key);
      *err = e;
      if (ao) err->pos = ao->value->pos;
      return -1;
    }
  }
  *err = first;
  err->pos = st->pos;
  return -1;
}

/* A file table needs path and format, a readable file, valid decoder
** options, and a schema: the declared columns or the inferred ones. */
static int setup_file_table(EdStmtEnv *env, const EdAstStmt *st, EdTable *t,
                            EdError *err) {
  (void)env;
  const char *path = ed_table_option(t, "path");
  const char *format = ed_table_option(t, "format");
  if (!path || !format)
    return ed_error_set(err, ED_ERR_BIND, &st->pos,
                        "connector \"file\" needs the options path and "
                        "format, e.g. WITH (connector = 'file', path = "
                        "'data.csv', format = 'csv', header = true)");
  const EdAstOption *po = find_ast_option(st, "path");
  if (access(path, R_OK) != 0)
    return ed_error_set(err, ED_ERR_BIND, &po->value->pos,
                        "cannot read \"%s\": %s", path, strerror(errno));
  EdDecodeOpts opts;
  if (check_decode_opts(st, t, &opts, err) != 0) return -1;
  if (t->schema.ncols > 0) return 0;
  opts.source_name = path;
  EdSchema inferred;
  memset(&inferred, 0, sizeof inferred);
  if (ed_infer_schema(path, &opts, &inferred, err) != 0) {
    if (err->pos.line == 0) err->pos = po->value->pos;
    return -1;
  }
  ed_schema_free(&t->schema);
  t->schema = inferred;
  return 0;
}

/* A stream's connector, options and columns are checked by the sources
** (every connector of DESIGN §3); a stream without a column list gets
** the connector's columns (socket: value; rate: timestamp, value; file
** and directory: inferred).  A message without a position points at the
** option it is about. */
static int setup_stream(const EdAstStmt *st, EdTable *t, EdError *err) {
  int bad = -1;
  if (ed_stream_prepare(t->connector, t->options, t->noptions, &t->schema,
                        &bad, err) == 0)
    return 0;
  if (err->pos.line > 0) return -1;
  const EdAstOption *o = NULL;
  if (bad >= 0 && bad < st->options.n) o = st->options.items[bad];
  else if (strncmp(err->msg, "unknown connector", 17) == 0)
    o = find_ast_option(st, "connector");
  if (!o) err->pos = st->pos;
  else if (strncmp(err->msg, "unknown option", 14) == 0) err->pos = o->pos;
  else err->pos = o->value->pos;
  return -1;
}

/* ------------------------------------------------------ columns, watermark */

/* The declared columns (names unique, each with a type) into t->schema. */
static int build_columns(const EdAstStmt *st, EdTable *t, EdError *err) {
  int n = st->columns.n;
  for (int i = 0; i < n; i++) {
    const EdAstColumnDef *c = st->columns.items[i];
    for (int j = 0; j < i; j++) {
      const EdAstColumnDef *d = st->columns.items[j];
      if (strcasecmp(c->name, d->name) == 0)
        return ed_error_set(err, ED_ERR_BIND, &c->pos,
                            "column \"%s\" is declared twice", c->name);
    }
    if (c->type == ED_T_NULL)
      return ed_error_set(err, ED_ERR_BIND, &c->pos,
                          "column \"%s\" has no type", c->name);
  }
  ed_schema_init(&t->schema, n);
  for (int i = 0; i < n; i++) {
    const EdAstColumnDef *c = st->columns.items[i];
    t->schema.cols[i].name = ed_strdup(c->name);
    t->schema.cols[i].type = c->type;
    t->schema.cols[i].table = NULL;
  }
  return 0;
}

/* True when e is a reference to column name without a qualifier. */
static bool is_column(const EdAstExpr *e, const char *name) {
  return e && e->kind == AST_COLUMN && !e->qualifier &&
         strcasecmp(e->name, name) == 0;
}

/* Position of the first token of e (a binary node records its operator). */
static EdPos expr_start(const EdAstExpr *e) {
  while ((e->kind == AST_BINARY || e->kind == AST_BETWEEN ||
          e->kind == AST_LIKE || e->kind == AST_IS_NULL ||
          e->kind == AST_IN_LIST) && e->left)
    e = e->left;
  return e->pos;
}

/* WATERMARK FOR c AS c [- INTERVAL '...']: c must be a TIMESTAMP column
** of the table; the delay a non-negative interval literal. */
static int build_watermark(EdStmtEnv *env, const EdAstStmt *st, EdTable *t,
                           EdError *err) {
  t->wm_col = -1;
  t->wm_delay_us = 0;
  if (!st->wm_column) return 0;
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "WATERMARK");
  EdPos cpos = ed_stmt_ident_pos(env->sql, st, from, st->wm_column);
  int c = ed_schema_find(&t->schema, st->wm_column);
  if (c < 0)
    return ed_error_set(err, ED_ERR_BIND, &cpos,
                        "watermark column \"%s\" is not a column of \"%s\"",
                        st->wm_column, t->name);
  if (t->schema.cols[c].type != ED_T_TIMESTAMP)
    return ed_error_set(err, ED_ERR_BIND, &cpos,
                        "watermark column \"%s\" must be TIMESTAMP, not %s",
                        st->wm_column, ed_type_name(t->schema.cols[c].type));
  const EdAstExpr *e = st->wm_expr;
  int64_t delay = 0;
  if (e && !is_column(e, st->wm_column)) {
    bool ok = e->kind == AST_BINARY && e->op == OP_SUB &&
              is_column(e->left, st->wm_column) && e->right &&
              e->right->kind == AST_LITERAL &&
              e->right->lit.type == ED_T_INTERVAL && e->right->lit.i >= 0;
    EdPos epos = expr_start(e);
    if (!ok)
      return ed_error_set(err, ED_ERR_BIND, &epos,
                          "a watermark is written %s - INTERVAL '<delay>' "
                          "(the column minus a non-negative delay)",
                          st->wm_column);
    delay = e->right->lit.i;
  }
  t->wm_col = c;
  t->wm_delay_us = delay;
  return 0;
}

/* ---------------------------------------------------------------- CREATE */

int ed_run_create(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  EdCatalog *cat = &env->s->catalog;
  if (st->kind == STMT_CREATE_SINK) return ed_run_create_sink(env, st, err);
  EdObjKind kind = st->kind == STMT_CREATE_STREAM ? OBJ_STREAM : OBJ_TABLE;
  EdTable *old = ed_catalog_find(cat, st->name);
  if (old) {
    if (st->if_not_exists) return 0;
    EdPos p = ed_stmt_ident_pos(env->sql, st, st->start_offset, st->name);
    return ed_error_set(err, ED_ERR_BIND, &p,
                        "a %s named \"%s\" already exists",
                        ed_obj_kind_name(old->kind), old->name);
  }
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup(st->name);
  t->kind = kind;
  t->wm_col = -1;
  int rc = build_columns(st, t, err);
  if (rc == 0) rc = build_options(env, st, t, err);
  /* A memory stream without columns gets the tables' message. */
  bool stream = rc == 0 && kind == OBJ_STREAM &&
                (t->schema.ncols > 0 || strcmp(t->connector, "memory") != 0);
  if (rc == 0 && stream) rc = setup_stream(st, t, err);
  else if (rc == 0) rc = check_connector(env, st, t, err);
  if (rc == 0 && kind == OBJ_TABLE && strcmp(t->connector, "file") == 0)
    rc = setup_file_table(env, st, t, err);
  if (rc == 0 && strcmp(t->connector, "memory") == 0) {
    if (t->schema.ncols == 0)
      rc = ed_error_set(err, ED_ERR_BIND, &st->pos,
                        "%s \"%s\" needs a column list, e.g. CREATE %s %s "
                        "(id BIGINT, name VARCHAR)",
                        ed_obj_kind_name(kind), st->name,
                        kind == OBJ_STREAM ? "STREAM" : "TABLE", st->name);
    else
      t->mem = ed_memtable_new(&t->schema);
  }
  if (rc == 0) rc = build_watermark(env, st, t, err);
  if (rc == 0 && ed_catalog_add(cat, t) != 0)
    rc = ed_error_set(err, ED_ERR_BIND, &st->pos,
                      "cannot add \"%s\" to the catalog", st->name);
  if (rc != 0) ed_table_free(t);
  return rc;
}

/* CREATE INDEX is accepted so that scripts written for other engines run:
** the table and columns must exist; eddy keeps no index. */
int ed_run_create_index(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  const char *target = st->target ? st->target : "";
  EdTable *t = ed_catalog_find(&env->s->catalog, target);
  int from = ed_stmt_keyword_end(env->sql, st, st->start_offset, "ON");
  if (!t || t->kind != OBJ_TABLE) {
    EdPos p = ed_stmt_ident_pos(env->sql, st, from, target);
    return ed_error_set(err, ED_ERR_BIND, &p, "no table named \"%s\"",
                        target);
  }
  for (int i = 0; i < st->insert_cols.n; i++) {
    const char *col = st->insert_cols.items[i];
    if (ed_schema_find(&t->schema, col) < 0) {
      EdPos p = ed_stmt_ident_pos(env->sql, st, from + 1, col);
      return ed_error_set(err, ED_ERR_BIND, &p,
                          "table \"%s\" has no column \"%s\"", t->name, col);
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ DROP */

int ed_run_drop(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  EdCatalog *cat = &env->s->catalog;
  EdTable *t = ed_catalog_find(cat, st->name);
  const char *want = ed_obj_kind_name(st->obj);
  EdPos p = ed_stmt_ident_pos(env->sql, st, st->start_offset, st->name);
  if (!t) {
    if (st->if_exists) return 0;
    return ed_error_set(err, ED_ERR_BIND, &p, "no %s named \"%s\"", want,
                        st->name);
  }
  if (t->kind != st->obj) {
    const char *is = ed_obj_kind_name(t->kind);
    char upper[16];
    size_t k = 0;
    for (; is[k] && k < sizeof upper - 1; k++)
      upper[k] = (char)toupper((unsigned char)is[k]);
    upper[k] = 0;
    return ed_error_set(err, ED_ERR_BIND, &p,
                        "\"%s\" is a %s, not a %s (use DROP %s)", t->name, is,
                        want, upper);
  }
  /* The query writing a sink stops first (gracefully: its last batch
  ** commits); a memory sink's result table goes with the sink. */
  if (t->kind == OBJ_SINK) {
    int w = ed_stream_writer_of(env->s, t->name);
    int rc = w >= 0 ? ed_stream_stop(env->s, w, err) : 0;
    ed_sink_result_drop(env->s, t->name);
    ed_catalog_drop(cat, st->name);
    return rc;
  }
  /* Queries reading it end first (their input ends with it). */
  if (ed_stream_finish_reading(env->s, t, err) != 0) {
    ed_catalog_drop(cat, st->name);
    return -1;
  }
  ed_catalog_drop(cat, st->name);
  return 0;
}
