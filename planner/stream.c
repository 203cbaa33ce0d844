/*
** planner/stream.c — planning of queries over streams (DESIGN §4,
** docs/STREAMING.md) and the planner's entry points.
**
** A query streams when one of its FROM leaves is a stream.  Before any
** rewrite, while the nodes of the bound plan still carry the positions of
** the SQL they come from, this file
**   - rejects what a stream cannot do (two streams joined, a stream on the
**     NULL side of a LEFT JOIN, UNION / EXCEPT / INTERSECT, DISTINCT, an
**     aggregation of an aggregation),
**   - finds the streaming aggregation and its window (ed_window_spec),
**   - resolves the output mode (EMIT clause, else the session default,
**     else APPEND where it is valid, else UPDATE) and checks it against
**     the query (COMPLETE needs an aggregation, APPEND a watermark-bounded
**     one, session windows cannot upsert, ORDER BY and LIMIT only make
**     sense over a complete result),
**   - reads the query options (state_ttl), the trigger and the per-trigger
**     limits of the streams' sources into EdStreamInfo.
** Every rejection is an ED_ERR_PLAN error that names the mode, the reason
** and the fix, at the EMIT clause when the mode was written, else at the
** offending node.
*/
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "planner/binder_int.h"

/* ------------------------------------------------------- plan questions */

bool ed_plan_reads_stream(const EdPlan *p) {
  if (!p) return false;
  if (p->kind == PLAN_SCAN) return p->table->kind == OBJ_STREAM;
  return ed_plan_reads_stream(p->left) || ed_plan_reads_stream(p->right);
}

bool ed_plan_is_watermark_col(const EdPlan *p, int col) {
  while (p && col >= 0 && col < p->schema.ncols) {
    switch (p->kind) {
      case PLAN_SCAN:
        return p->table->kind == OBJ_STREAM && p->wm_col >= 0 &&
               p->wm_col == col;
      case PLAN_FILTER:
      case PLAN_SORT:
      case PLAN_LIMIT:
      case PLAN_DISTINCT: p = p->left; break;
      case PLAN_PROJECT:
        if (p->exprs[col]->kind != EXPR_COLREF) return false;
        col = p->exprs[col]->col;
        p = p->left;
        break;
      case PLAN_EXPLODE:
        if (col >= p->left->schema.ncols) return false;
        p = p->left;
        break;
      case PLAN_JOIN: {
        int nl = p->left->schema.ncols;
        if (col < nl) {
          p = p->left;
        } else {
          col -= nl;
          p = p->right;
        }
        break;
      }
      case PLAN_SETOP:
        /* UNION ALL of streams: a watermark column on every side. */
        return p->setop == SETOP_UNION_ALL &&
               ed_plan_is_watermark_col(p->left, col) &&
               ed_plan_is_watermark_col(p->right, col);
      default: return false;
    }
  }
  return false;
}

/* Whether e, over p's output row, is exactly a watermark column. */
static bool is_watermark_col(const EdPlan *p, const EdExpr *e) {
  return e && e->kind == EXPR_COLREF && ed_plan_is_watermark_col(p, e->col);
}

bool ed_is_multi_window(const EdExpr *e) {
  if (e->kind != EXPR_FUNC) return false;
  if (e->op == FN_SESSION_WINDOW) return true;
  if (e->op != FN_WINDOW || e->nargs < 3) return false;
  const EdExpr *size = e->args[1], *slide = e->args[2];
  /* The binder makes both constants; anything else counts as sliding. */
  if (size->kind != EXPR_CONST || slide->kind != EXPR_CONST) return true;
  return slide->value.u.i != size->value.u.i;
}

void ed_window_spec(const EdPlan *p, bool streaming, EdWindowSpec *out) {
  assert(p->kind == PLAN_AGGREGATE);
  memset(out, 0, sizeof *out);
  out->kind = WIN_NONE;
  out->key = -1;
  for (int i = 0; i < p->nexprs && out->key < 0; i++) {
    const EdExpr *e = p->exprs[i];
    if (e->kind != EXPR_FUNC ||
        (e->op != FN_WINDOW && e->op != FN_SESSION_WINDOW))
      continue;
    out->key = i;
    out->ts = e->args[0];
    if (e->op == FN_SESSION_WINDOW) {
      out->kind = WIN_SESSION;
      out->gap_us = e->args[1]->value.u.i;
    } else {
      out->size_us = e->args[1]->value.u.i;
      out->slide_us = e->nargs > 2 ? e->args[2]->value.u.i : out->size_us;
      out->kind = out->slide_us < out->size_us ? WIN_SLIDING : WIN_TUMBLING;
      if (out->kind == WIN_TUMBLING) out->slide_us = out->size_us;
    }
    out->wm_bounded = streaming && is_watermark_col(p->left, out->ts);
  }
  if (out->key >= 0 || !streaming) return;
  for (int i = 0; i < p->nexprs; i++) {
    if (is_watermark_col(p->left, p->exprs[i])) {
      out->kind = WIN_EVENT_TIME;
      out->key = i;
      out->ts = p->exprs[i];
      out->wm_bounded = true;
      return;
    }
  }
}

/* --------------------------------------------------------------- checks */

/* What the checks of one streaming query share. */
typedef struct Check {
  const EdAstQuery *q;
  const char *sql;
  EdError *err;
  const EdPlan *agg;        /* the streaming aggregation, or NULL */
  EdWindowSpec spec;        /* its window */
  EdEmitMode mode;          /* resolved output mode */
  int source;               /* where the mode comes from: MODE_* */
} Check;

enum { MODE_EMIT, MODE_SESSION, MODE_AUTO };

/* Sets an ED_ERR_PLAN error at pos (none when pos.line is 0); returns -1. */
static int plan_error(EdError *err, EdPos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int plan_error(EdError *err, EdPos pos, const char *fmt, ...) {
  char msg[sizeof err->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ed_error_set(err, ED_ERR_PLAN, pos.line ? &pos : NULL, "%s", msg);
  return -1;
}

/* The SQL keyword of an output mode. */
static const char *mode_name(EdEmitMode m) {
  switch (m) {
    case EMIT_COMPLETE: return "COMPLETE";
    case EMIT_UPDATE: return "UPDATE";
    case EMIT_APPEND: return "APPEND";
    case EMIT_CHANGES: return "CHANGES";
    default: return "DEFAULT";
  }
}

/* True when a streaming aggregation lies under p. */
static bool has_stream_agg(const EdPlan *p) {
  if (!p) return false;
  if (p->kind == PLAN_AGGREGATE && ed_plan_reads_stream(p->left)) return true;
  return has_stream_agg(p->left) || has_stream_agg(p->right);
}

/* Whether node x is in the tree under p (p included). */
static bool plan_contains(const EdPlan *p, const EdPlan *x) {
  if (!p || !x) return false;
  return p == x || plan_contains(p->left, x) || plan_contains(p->right, x);
}

/* A set operation over streams: only UNION ALL, and only of streams. */
static int check_setop(Check *c, const EdPlan *p) {
  bool l = ed_plan_reads_stream(p->left), r = ed_plan_reads_stream(p->right);
  if (!l && !r) return 0;
  switch (p->setop) {
    case SETOP_UNION_ALL:
      if (l && r) return 0;
      return plan_error(c->err, p->pos,
                        "UNION ALL of a stream and a table is not supported: "
                        "both sides must be streams (or both tables)");
    case SETOP_UNION:
      return plan_error(c->err, p->pos,
                        "UNION over a stream is not supported: removing "
                        "duplicates would need every row the stream ever "
                        "had; use UNION ALL");
    default:
      return plan_error(c->err, p->pos,
                        "%s over a stream is not supported: its result is "
                        "only known once the whole input is; use UNION ALL "
                        "or a JOIN with a table",
                        p->setop == SETOP_EXCEPT ? "EXCEPT" : "INTERSECT");
  }
}

/* Rejects the shapes a stream cannot have (pre-order, so that an outer
** node is reported before what is under it) and finds the streaming
** aggregation. */
static int check_shape(Check *c, const EdPlan *p) {
  if (!p) return 0;
  switch (p->kind) {
    case PLAN_JOIN: {
      bool l = ed_plan_reads_stream(p->left);
      bool r = ed_plan_reads_stream(p->right);
      if (l && r)
        return plan_error(c->err, p->pos,
                          "joins between two streams are not supported yet; "
                          "join a stream with a table instead");
      if (r && p->join_type == JOIN_LEFT)
        return plan_error(c->err, p->pos,
                          "a stream cannot be on the right (NULL-supplying) "
                          "side of a LEFT JOIN: whether a left row has no "
                          "match is never final; put the stream on the left "
                          "side or use an inner JOIN");
      break;
    }
    case PLAN_SETOP:
      if (check_setop(c, p) != 0) return -1;
      break;
    case PLAN_DISTINCT:
      if (ed_plan_reads_stream(p->left))
        return plan_error(c->err, p->pos,
                          "SELECT DISTINCT over a stream is not supported "
                          "yet (deduplication of streams comes later); use "
                          "GROUP BY over the selected columns instead");
      break;
    case PLAN_AGGREGATE:
      if (!ed_plan_reads_stream(p->left)) break;
      if (has_stream_agg(p->left))
        return plan_error(c->err, p->pos,
                          "an aggregation of the result of another "
                          "aggregation is not supported on a stream (one "
                          "aggregation per streaming query); aggregate the "
                          "stream's rows once");
      if (c->agg)
        return plan_error(c->err, p->pos,
                          "more than one aggregation over streams in one "
                          "query is not supported (one aggregation per "
                          "streaming query)");
      c->agg = p;
      break;
    default: break;
  }
  if (check_shape(c, p->left) != 0) return -1;
  return check_shape(c, p->right);
}

/* Position of the EMIT keyword of the outermost query q in sql (the AST
** keeps none), else q's own.  EMIT is not reserved ("emit" may name a
** column), so it counts only when an output mode word follows it. */
static EdPos emit_pos(const char *sql, const EdAstQuery *q) {
  static const char *modes[] = {"complete", "update", "append", "changes"};
  EdSqlCursor cur;
  ed_sql_cursor_init(&cur, sql, q->pos);
  EdPos pos, next;
  const char *w, *w2;
  int n = ed_sql_next_word(&cur, &pos, &w);
  while (n > 0) {
    bool emit = cur.depth == 0 && ed_sql_word_is(w, n, "emit");
    int n2 = ed_sql_next_word(&cur, &next, &w2);
    for (size_t i = 0; emit && n2 > 0 && i < sizeof modes / sizeof *modes; i++)
      if (ed_sql_word_is(w2, n2, modes[i])) return pos;
    pos = next;
    w = w2;
    n = n2;
  }
  return q->pos;
}

/* Where a mode error points: the EMIT clause when the mode was written,
** else the aggregation (or the query). */
static EdPos mode_pos(const Check *c) {
  if (c->source == MODE_EMIT) return emit_pos(c->sql, c->q);
  return c->agg ? c->agg->pos : c->q->pos;
}

/* "UPDATE output mode", with where it came from unless the query says. */
static const char *mode_label(const Check *c, char *buf, size_t cap) {
  const char *from = "";
  if (c->source == MODE_SESSION) from = " (set by SET output_mode)";
  else if (c->source == MODE_AUTO && c->mode == EMIT_UPDATE)
    from = " (the default for an aggregation without a watermark)";
  snprintf(buf, cap, "%s output mode%s", mode_name(c->mode), from);
  return buf;
}

/* Resolves the output mode and checks it against the aggregation. */
static int resolve_mode(Check *c, const EdPlanDefaults *d) {
  if (c->agg) ed_window_spec(c->agg, true, &c->spec);
  bool append_ok = !c->agg || (c->spec.kind != WIN_NONE && c->spec.wm_bounded);
  if (c->q->emit != EMIT_DEFAULT) {
    c->mode = c->q->emit;
    c->source = MODE_EMIT;
  } else if (d && d->mode != EMIT_DEFAULT) {
    c->mode = d->mode;
    c->source = MODE_SESSION;
  } else {
    c->mode = append_ok ? EMIT_APPEND : EMIT_UPDATE;
    c->source = MODE_AUTO;
  }
  char label[128];
  mode_label(c, label, sizeof label);
  if (c->mode == EMIT_COMPLETE && !c->agg)
    return plan_error(c->err, mode_pos(c),
                      "%s needs an aggregation: this query has none; use "
                      "EMIT APPEND or EMIT UPDATE",
                      label);
  if (c->mode == EMIT_APPEND && !append_ok)
    return plan_error(c->err, mode_pos(c),
                      "%s is not supported for an aggregation without a "
                      "watermark: add WATERMARK ... (in CREATE STREAM or FROM "
                      "s WATERMARK ts DELAY OF INTERVAL '...') and group by "
                      "window(ts, ...) or ts, or use EMIT UPDATE/COMPLETE",
                      label);
  if (c->mode == EMIT_UPDATE && c->agg && c->spec.kind == WIN_SESSION)
    return plan_error(c->err, mode_pos(c),
                      "%s is not supported for session windows: merging "
                      "sessions would leave stale rows in an upserting sink; "
                      "use EMIT APPEND (with a watermark), EMIT COMPLETE or "
                      "EMIT CHANGES",
                      label);
  return 0;
}

/* ORDER BY and LIMIT over a stream need a complete result: COMPLETE
** mode, above the aggregation. */
static int check_order_limit(Check *c, const EdPlan *p) {
  if (!p) return 0;
  if ((p->kind == PLAN_SORT || p->kind == PLAN_LIMIT) &&
      ed_plan_reads_stream(p->left)) {
    const char *what = p->kind == PLAN_SORT ? "ORDER BY"
                       : p->limit >= 0      ? "LIMIT"
                                            : "OFFSET";
    if (c->mode != EMIT_COMPLETE) {
      char label[128];
      return plan_error(c->err, p->pos,
                        "%s on a stream is only supported in COMPLETE output "
                        "mode, after an aggregation: in %s the result is "
                        "never complete; use EMIT COMPLETE with an "
                        "aggregation, or remove %s",
                        what, mode_label(c, label, sizeof label), what);
    }
    if (!plan_contains(p->left, c->agg))
      return plan_error(c->err, p->pos,
                        "%s on a stream must come after the aggregation in "
                        "COMPLETE output mode: the rows before it are never "
                        "complete; move %s to the query that aggregates",
                        what, what);
  }
  if (check_order_limit(c, p->left) != 0) return -1;
  return check_order_limit(c, p->right);
}

/* ---------------------------------------------------------- run options */

/* The query's WITH options: state_ttl only. */
static int query_options(const EdAstQuery *q, EdArena *a, int64_t *ttl,
                         EdError *err) {
  for (int i = 0; i < q->options.n; i++) {
    const EdAstOption *o = q->options.items[i];
    if (strcmp(o->key, "state_ttl") != 0)
      return ed_error_set(err, ED_ERR_BIND, &o->pos,
                          "unknown query option \"%s\": the only query option "
                          "is state_ttl, e.g. WITH (state_ttl = '1 hour')",
                          o->key);
    EdValue v;
    if (ed_bind_constant(o->value, ED_T_INTERVAL, a, &v, err) != 0) return -1;
    if (v.is_null || v.u.i < 0)
      return ed_error_set(err, ED_ERR_BIND, &o->value->pos,
                          "state_ttl must be a non-negative interval such as "
                          "'1 hour' (0 keeps state forever)");
    *ttl = v.u.i;
  }
  return 0;
}

/* A per-trigger limit option of a stream ("max_rows_per_trigger"): 0 when
** absent. */
static int source_limit(const EdTable *t, const char *key, int64_t *out,
                        EdError *err) {
  const char *v = ed_table_option(t, key);
  *out = 0;
  if (!v) return 0;
  char *end = NULL;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno || end == v || *end || n <= 0)
    return ed_error_set(err, ED_ERR_PLAN, NULL,
                        "option %s of stream \"%s\" must be a positive "
                        "integer, not '%s'",
                        key, t->name, v);
  *out = n;
  return 0;
}

/* The smallest positive value of a and b (0 = unbounded). */
static int64_t min_limit(int64_t a, int64_t b) {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/* Per-trigger limits over every stream the query reads: a query reading
** several takes the tightest one. */
static int source_limits(const EdPlan *p, EdStreamInfo *info, EdError *err) {
  if (!p) return 0;
  if (p->kind == PLAN_SCAN && p->table->kind == OBJ_STREAM) {
    int64_t rows, files;
    if (source_limit(p->table, "max_rows_per_trigger", &rows, err) != 0 ||
        source_limit(p->table, "max_files_per_trigger", &files, err) != 0)
      return -1;
    info->max_rows_per_trigger = min_limit(info->max_rows_per_trigger, rows);
    info->max_files_per_trigger = min_limit(info->max_files_per_trigger, files);
  }
  if (source_limits(p->left, info, err) != 0) return -1;
  return source_limits(p->right, info, err);
}

/* -------------------------------------------------------- entry points */

int ed_plan_query_stream(EdCatalog *cat, const EdAstQuery *q,
                         const char *sql, EdArena *arena,
                         const EdPlanDefaults *defaults, EdPlan **logical,
                         EdPlan **physical, EdStreamInfo *info,
                         EdError *err) {
  EdStreamInfo local;
  if (!info) info = &local;
  memset(info, 0, sizeof *info);
  EdBinder b = {.cat = cat, .sql = sql, .arena = arena, .err = err};
  EdPlan *p = ed_bind_query(&b, q);
  if (!p) return -1;
  int64_t ttl = defaults ? defaults->state_ttl_us : 0;
  if (query_options(q, arena, &ttl, err) != 0) return -1;
  info->streaming = ed_plan_reads_stream(p);
  info->state_ttl_us = ttl;
  if (q->trigger != TRIGGER_DEFAULT) {
    info->trigger = q->trigger;
    info->trigger_interval_us = q->trigger_interval_us;
  } else if (defaults) {
    info->trigger = defaults->trigger;
    info->trigger_interval_us = defaults->trigger_interval_us;
  }
  /* A batch query computes its whole result once. */
  EdPhysOpts opts = {info->streaming, EMIT_COMPLETE, ttl};
  if (info->streaming) {
    Check c;
    memset(&c, 0, sizeof c);
    c.q = q;
    c.sql = sql;
    c.err = err;
    if (check_shape(&c, p) != 0 || resolve_mode(&c, defaults) != 0 ||
        check_order_limit(&c, p) != 0 || source_limits(p, info, err) != 0)
      return -1;
    opts.mode = c.mode;
  }
  info->mode = opts.mode;
  p = ed_rewrite_plan(arena, p);
  if (logical) *logical = p;
  EdPlan *phys = NULL;
  if (ed_physical_plan(arena, p, &opts, &phys, err) != 0) return -1;
  if (physical) *physical = phys;
  return 0;
}

int ed_plan_query(EdCatalog *cat, const EdAstQuery *q, const char *sql,
                  EdArena *arena, EdPlan **logical, EdPlan **physical,
                  EdError *err) {
  return ed_plan_query_stream(cat, q, sql, arena, NULL, logical, physical,
                              NULL, err);
}
