/*
** engine/sinks.c — named sinks: CREATE SINK name WITH (connector = ...),
** the sink a query started by INSERT INTO name SELECT ... writes into,
** and the result tables of memory sinks (DESIGN §3, §7).
**
** Connectors and their options (checked at CREATE SINK, so that a typo
** fails there and not when a query starts):
**   console  num_rows (default 20), truncate (true = 20 characters, false,
**            or a number; default the session's truncate)
**   file     path (a directory, made when missing), format (csv | jsonl,
**            default csv), header (csv, default true); APPEND only
**   memory   -: the result table is read with SELECT ... FROM name
**   stdout   format (csv | jsonl | changelog, default csv), header (csv
**            and changelog, default true)
**
** A memory sink's result table is an OBJ_TABLE named as the sink, kept by
** the session (not in the catalog, where the name is the sink's): queries
** are planned against a view of the catalog in which it takes the sink's
** place.  It is made anew, with the columns of the query, when a query
** starts writing into the sink, and changed by that query's sink under
** the session lock (sinks/memory_sink.c).  UPDATE upserts by the group
** keys of the query's aggregation, found in its plan.
*/
#include "engine/engine.h"
#include "engine/session.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "exec/memtable.h"
#include "sinks/named_sink.h"

/* ------------------------------------------------------------- options */

typedef struct SinkKind {
  const char *connector;
  const char *const *options;
} SinkKind;

static const char *const console_opts[] = {"connector", "num_rows",
                                           "truncate", NULL};
static const char *const file_opts[] = {"connector", "path", "format",
                                        "header", NULL};
static const char *const memory_opts[] = {"connector", NULL};
static const char *const stdout_opts[] = {"connector", "format", "header",
                                          NULL};

static const SinkKind kinds[] = {{"console", console_opts},
                                 {"file", file_opts},
                                 {"memory", memory_opts},
                                 {"stdout", stdout_opts}};

/* The kind of a connector name, or NULL. */
static const SinkKind *find_kind(const char *connector) {
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (strcmp(kinds[i].connector, connector) == 0) return &kinds[i];
  return NULL;
}

/* The WITH option key of st, or NULL. */
static const EdAstOption *ast_option(const EdAstStmt *st, const char *key) {
  for (int i = 0; i < st->options.n; i++) {
    const EdAstOption *o = st->options.items[i];
    if (strcmp(o->key, key) == 0) return o;
  }
  return NULL;
}

/* Parses a boolean option value (true/false, 1/0). */
static int parse_bool(const char *v, bool *out) {
  if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0) *out = true;
  else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0) *out = false;
  else return -1;
  return 0;
}

/* Parses a whole number in [lo, hi]. */
static int parse_int(const char *v, long lo, long hi, long *out) {
  char *end = NULL;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (!*v || *end || errno || n < lo || n > hi) return -1;
  *out = n;
  return 0;
}

/* The value of option key of t (lower-cased copy in buf), or def. */
static const char *opt_lower(const EdTable *t, const char *key,
                             const char *def, char *buf, size_t cap) {
  const char *v = ed_table_option(t, key);
  if (!v) return def;
  size_t n = strlen(v);
  if (n >= cap) n = cap - 1;
  for (size_t i = 0; i < n; i++) buf[i] = (char)tolower((unsigned char)v[i]);
  buf[n] = 0;
  return buf;
}

/* Checks the values of the options of sink t (made from st). */
static int check_values(const EdAstStmt *st, const EdTable *t, EdError *err) {
  char buf[64];
  for (int i = 0; i < t->noptions; i++) {
    const char *k = t->options[i].key, *v = t->options[i].value;
    const EdAstOption *o = ast_option(st, k);
    const EdPos *at = o ? &o->value->pos : &st->pos;
    bool b;
    long n;
    if (strcmp(k, "num_rows") == 0 && parse_int(v, 1, 1000000000, &n) != 0)
      return ed_error_set(err, ED_ERR_BIND, at,
                          "invalid num_rows '%s': use a number of rows "
                          "(at least 1)", v);
    if (strcmp(k, "truncate") == 0 && parse_bool(v, &b) != 0 &&
        parse_int(v, 0, 1000000, &n) != 0)
      return ed_error_set(err, ED_ERR_BIND, at,
                          "invalid truncate '%s': use true (20 characters), "
                          "false, or a number of characters", v);
    if (strcmp(k, "header") == 0 && parse_bool(v, &b) != 0)
      return ed_error_set(err, ED_ERR_BIND, at,
                          "invalid header '%s': use true or false", v);
    if (strcmp(k, "format") == 0) {
      const char *f = opt_lower(t, "format", "", buf, sizeof buf);
      bool file = strcmp(t->connector, "file") == 0;
      bool ok = strcmp(f, "csv") == 0 || strcmp(f, "jsonl") == 0 ||
                (!file && strcmp(f, "changelog") == 0);
      if (!ok)
        return ed_error_set(err, ED_ERR_BIND, at,
                            "invalid format '%s' for a %s sink: use %s", v,
                            t->connector,
                            file ? "csv or jsonl" : "csv, jsonl or changelog");
    }
    if (strcmp(k, "path") == 0) {
      struct stat sb;
      if (!*v)
        return ed_error_set(err, ED_ERR_BIND, at,
                            "the path of a file sink is a directory name");
      if (stat(v, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return ed_error_set(err, ED_ERR_BIND, at,
                            "\"%s\" is not a directory: a file sink writes "
                            "part files into a directory",
                            v);
    }
  }
  if (strcmp(t->connector, "file") == 0 && !ed_table_option(t, "path"))
    return ed_error_set(err, ED_ERR_BIND, &st->pos,
                        "a file sink needs a directory: WITH (connector = "
                        "'file', path = 'out/', format = 'csv')");
  return 0;
}

int ed_run_create_sink(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  EdCatalog *cat = &env->s->catalog;
  EdTable *old = ed_catalog_find(cat, st->name);
  if (old) {
    if (st->if_not_exists) return 0;
    EdPos p = ed_stmt_ident_pos(env->sql, st, st->start_offset, st->name);
    return ed_error_set(err, ED_ERR_BIND, &p,
                        "a %s named \"%s\" already exists",
                        ed_obj_kind_name(old->kind), old->name);
  }
  const EdAstOption *co = ast_option(st, "connector");
  if (!co)
    return ed_error_set(err, ED_ERR_BIND, &st->pos,
                        "a sink needs a connector: WITH (connector = "
                        "'console' | 'file' | 'memory' | 'stdout', ...)");
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup(st->name);
  t->kind = OBJ_SINK;
  t->wm_col = -1;
  int n = st->options.n;
  t->options = ed_calloc(n ? (size_t)n : 1, sizeof *t->options);
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    const EdAstOption *o = st->options.items[i];
    for (int j = 0; j < i && rc == 0; j++)
      if (strcmp(((const EdAstOption *)st->options.items[j])->key, o->key) ==
          0)
        rc = ed_error_set(err, ED_ERR_BIND, &o->pos,
                          "option \"%s\" is given twice", o->key);
    char *v = rc == 0 ? ed_option_text(o->value, env->arena, err) : NULL;
    if (!v) {
      rc = -1;
      break;
    }
    t->options[i].key = ed_strdup(o->key);
    t->options[i].value = ed_strdup(v);
    t->noptions = i + 1;
  }
  if (rc == 0) {
    char *lc = ed_strdup(ed_table_option(t, "connector"));
    for (char *p = lc; *p; p++) *p = (char)tolower((unsigned char)*p);
    t->connector = lc;
    const SinkKind *k = find_kind(lc);
    if (!k)
      rc = ed_error_set(err, ED_ERR_BIND, &co->value->pos,
                        "unknown sink connector \"%s\": valid connectors are "
                        "console, file, memory, stdout",
                        lc);
    for (int i = 0; rc == 0 && i < n; i++) {
      const EdAstOption *o = st->options.items[i];
      bool ok = false;
      for (int j = 0; k->options[j] && !ok; j++)
        ok = strcmp(k->options[j], o->key) == 0;
      if (!ok) {
        char list[256] = "";
        for (int j = 0; k->options[j]; j++)
          snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                   j ? ", " : "", k->options[j]);
        rc = ed_error_set(err, ED_ERR_BIND, &o->pos,
                          "unknown option \"%s\" for a %s sink: valid "
                          "options are %s",
                          o->key, lc, list);
      }
    }
  }
  if (rc == 0) rc = check_values(st, t, err);
  if (rc == 0 && ed_catalog_add(cat, t) != 0)
    rc = ed_error_set(err, ED_ERR_BIND, &st->pos,
                      "cannot add \"%s\" to the catalog", st->name);
  if (rc != 0) ed_table_free(t);
  return rc;
}

/* ------------------------------------------------- memory sink results */

/* Index of the result table of memory sink name, or -1. */
static int result_index(eddy_session *s, const char *name) {
  for (int i = 0; i < s->nresults; i++)
    if (strcasecmp(s->results[i]->name, name) == 0) return i;
  return -1;
}

void ed_sink_result_drop(eddy_session *s, const char *name) {
  int i = result_index(s, name);
  if (i < 0) return;
  ed_table_free(s->results[i]);
  memmove(&s->results[i], &s->results[i + 1],
          sizeof *s->results * (size_t)(s->nresults - i - 1));
  s->nresults--;
}

/* A new, empty result table for memory sink name with the columns of
** schema, replacing the one it had. */
static EdTable *new_result(eddy_session *s, const char *name,
                           const EdSchema *schema) {
  ed_sink_result_drop(s, name);
  EdTable *t = ed_calloc(1, sizeof *t);
  t->name = ed_strdup(name);
  t->kind = OBJ_TABLE;
  t->connector = ed_strdup("memory");
  t->wm_col = -1;
  ed_schema_init(&t->schema, schema->ncols);
  for (int i = 0; i < schema->ncols; i++) {
    t->schema.cols[i].name = ed_strdup(schema->cols[i].name);
    t->schema.cols[i].type = schema->cols[i].type;
    t->schema.cols[i].table = NULL;
  }
  t->mem = ed_memtable_new(&t->schema);
  if (s->nresults == s->rcap) {
    s->rcap = s->rcap ? s->rcap * 2 : 4;
    s->results = ed_realloc(s->results, sizeof *s->results * (size_t)s->rcap);
  }
  s->results[s->nresults++] = t;
  return t;
}

EdCatalog *ed_env_catalog(EdStmtEnv *env) {
  eddy_session *s = env->s;
  if (s->nresults == 0) return &s->catalog;
  EdCatalog *view = ed_arena_alloc(env->arena, sizeof *view);
  *view = s->catalog;
  view->tables = ed_arena_alloc(env->arena, sizeof(EdTable *) *
                                                (size_t)(view->n + 1));
  for (int i = 0; i < view->n; i++) {
    EdTable *t = s->catalog.tables[i];
    int r = t->kind == OBJ_SINK ? result_index(s, t->name) : -1;
    view->tables[i] = r >= 0 ? s->results[r] : t;
  }
  view->cap = view->n;
  return view;
}

/* ---------------------------------------------------------- upsert keys */

/* For each output column of p, which group key of the plan's aggregation
** it carries (-1: none); *nkeys receives the aggregation's number of keys
** (-1 when p has no aggregation this can see through).  ids has room for
** p's columns. */
static void key_ids(const EdPlan *p, int *ids, int *nkeys) {
  int n = p->schema.ncols;
  for (int i = 0; i < n; i++) ids[i] = -1;
  *nkeys = -1;
  switch (p->phys) {
    case PHYS_STREAM_AGGREGATE:
    case PHYS_HASH_AGGREGATE:
      *nkeys = p->nexprs;
      for (int i = 0; i < p->nexprs && i < n; i++) ids[i] = i;
      return;
    case PHYS_FILTER:
    case PHYS_SORT:
    case PHYS_LIMIT:
      if (p->left) key_ids(p->left, ids, nkeys);
      return;
    case PHYS_PROJECT: {
      if (!p->left) return;
      int m = p->left->schema.ncols;
      int *sub = ed_malloc(sizeof(int) * (size_t)(m ? m : 1));
      key_ids(p->left, sub, nkeys);
      for (int i = 0; i < p->nexprs && i < n; i++) {
        const EdExpr *e = p->exprs[i];
        if (e->kind == EXPR_COLREF && e->col >= 0 && e->col < m)
          ids[i] = sub[e->col];
      }
      free(sub);
      return;
    }
    default:
      return;
  }
}

/* The output columns of the plan that hold its aggregation's group keys.
** Returns their number (0 when the query has no aggregation: UPDATE then
** appends), or -1 with err set when a key is not in the output. */
static int upsert_keys(const EdPlan *p, int *keys, const EdPos *pos,
                       EdError *err) {
  int n = p->schema.ncols;
  int *ids = ed_malloc(sizeof(int) * (size_t)(n ? n : 1));
  int nkeys = -1;
  key_ids(p, ids, &nkeys);
  int found = 0;
  for (int k = 0; k < nkeys; k++) {
    int col = -1;
    for (int i = 0; i < n && col < 0; i++)
      if (ids[i] == k) col = i;
    if (col < 0) {
      free(ids);
      return ed_error_set(err, ED_ERR_PLAN, pos,
                          "a memory sink in UPDATE output mode replaces "
                          "rows by their group keys, but group key %d of "
                          "the query is not in its select list: select "
                          "every GROUP BY key (or use EMIT COMPLETE)",
                          k + 1);
    }
    keys[found++] = col;
  }
  free(ids);
  return nkeys < 0 ? 0 : found;
}

/* ---------------------------------------------------------- open a sink */

/* The file sink accepts APPEND only (as Spark's): a planning error that
** says what the query would do instead. */
static int file_mode_error(const EdPlan *physical, const EdStreamInfo *info,
                           const EdTable *t, const EdPos *pos, EdError *err) {
  static const char *const names[] = {"DEFAULT", "COMPLETE", "UPDATE",
                                      "APPEND", "CHANGES"};
  (void)physical;
  return ed_error_set(err, ED_ERR_PLAN, pos,
                      "the file sink \"%s\" supports only APPEND output "
                      "mode, not %s: a part file is never rewritten, so "
                      "only final rows can be written; use EMIT APPEND "
                      "(an aggregation needs a watermark and a window, "
                      "e.g. GROUP BY window(ts, '1 minute')) or a "
                      "console, stdout or memory sink",
                      t->name, names[info->mode]);
}

EdSink *ed_named_sink_open(EdStmtEnv *env, const EdTable *t,
                           const EdPlan *physical, const EdStreamInfo *info,
                           const char *query, FILE *out, const EdPos *pos,
                           EdError *err) {
  eddy_session *s = env->s;
  char buf[64];
  const char *conn = t->connector ? t->connector : "";
  EdEmitMode mode = info->streaming ? info->mode : EMIT_COMPLETE;
  bool header = true;
  const char *h = ed_table_option(t, "header");
  if (h) parse_bool(h, &header);
  if (strcmp(conn, "console") == 0) {
    long rows = 20, trunc = s->truncate;
    const char *v = ed_table_option(t, "num_rows");
    if (v) parse_int(v, 1, 1000000000, &rows);
    v = ed_table_option(t, "truncate");
    bool b;
    if (v && parse_bool(v, &b) == 0) trunc = b ? 20 : 0;
    else if (v) parse_int(v, 0, 1000000, &trunc);
    EdSink *c = ed_sink_console_new(out, (int)rows, (int)trunc);
    return mode == EMIT_CHANGES ? ed_changelog_sink_new(c) : c;
  }
  if (strcmp(conn, "stdout") == 0) {
    const char *f = opt_lower(t, "format", "csv", buf, sizeof buf);
    if (strcmp(f, "changelog") == 0) return ed_sink_changelog_new(out, header);
    EdSink *w = strcmp(f, "jsonl") == 0 ? ed_sink_jsonl_new(out)
                                        : ed_sink_csv_new(out, header);
    return mode == EMIT_CHANGES ? ed_changelog_sink_new(w) : w;
  }
  if (strcmp(conn, "file") == 0) {
    if (info->streaming && info->mode != EMIT_APPEND) {
      file_mode_error(physical, info, t, pos, err);
      return NULL;
    }
    const char *f = opt_lower(t, "format", "csv", buf, sizeof buf);
    return ed_sink_file_new(ed_table_option(t, "path"),
                            strcmp(f, "jsonl") == 0, header, query, err);
  }
  if (strcmp(conn, "memory") == 0) {
    int n = physical->schema.ncols;
    int *keys = ed_malloc(sizeof(int) * (size_t)(n ? n : 1));
    int nkeys = 0;
    if (mode == EMIT_UPDATE) {
      nkeys = upsert_keys(physical, keys, pos, err);
      if (nkeys < 0) {
        free(keys);
        return NULL;
      }
    }
    EdTable *res = new_result(s, t->name, &physical->schema);
    EdSink *m = ed_sink_memory_new(res, &s->lock, mode, keys, nkeys);
    free(keys);
    return m;
  }
  ed_error_set(err, ED_ERR_EXEC, pos, "unknown sink connector \"%s\"", conn);
  return NULL;
}

const EdSchema *ed_session_sink_columns(eddy_session *s, const char *name) {
  int i = result_index(s, name);
  return i < 0 ? NULL : &s->results[i]->schema;
}
