/*
** planner/plan.h — bound expressions, logical plans and physical plans.
**
** The binder turns AST expressions into EdExpr trees whose names are
** resolved to column positions of the input row and whose types are known;
** implicit casts are explicit EXPR_CAST nodes.  A logical plan is a tree of
** EdPlan nodes (relational algebra); the rewriter folds constants and pushes
** filters down; the physical planner picks algorithms (hash join or nested
** loops, hash aggregate, ...) and produces a tree of the same struct with
** phys set.  The executor (exec/executor.h) instantiates operators from a
** physical plan.  All nodes live in the query arena.
*/
#ifndef ED_PLAN_H
#define ED_PLAN_H

#include "common/error.h"
#include "common/types.h"
#include "parser/ast.h"
#include "planner/catalog.h"

/* ---------------------------------------------------- bound expressions */

typedef enum EdExprKind {
  EXPR_CONST,     /* value */
  EXPR_COLREF,    /* col: position in the input row */
  EXPR_OP,        /* op (EdAstOp) over args[0] (unary) or args[0..1] */
  EXPR_FUNC,      /* fn over args */
  EXPR_CASE,      /* args: when0, then0, when1, then1, ... [, else] ;
                     has_else says whether the last arg is ELSE.  A CASE
                     with an operand is bound as operand = when_i. */
  EXPR_CAST,      /* args[0] cast to type */
  EXPR_IS_NULL,   /* args[0] IS [NOT] NULL (negated) */
  EXPR_IN_LIST,   /* args[0] [NOT] IN (args[1..]) — SQL NULL semantics */
  EXPR_LIKE,      /* args[0] [NOT] LIKE args[1] [ESCAPE args[2]] */
  EXPR_FIELD,     /* args[0] is a WINDOW; field 0 = start, 1 = end */
  EXPR_SUBQUERY,  /* a subquery in an expression (subq, see EdSubquery):
                     scalar, [NOT] EXISTS or x [NOT] IN; negated for NOT
                     EXISTS / NOT IN; op is subq->id, so that
                     ed_expr_equal tells different subqueries apart.
                     args: the IN operand (SUBQ_IN only), then the
                     subq->nparams outer values the subquery reads,
                     expressions over the input row like any other */
  EXPR_OUTER_REF  /* inside the plan of subquery subq: its outer value
                     number col (op == col too), constant during one run
                     of the subquery */
} EdExprKind;

typedef enum EdFunc {
  FN_ABS, FN_ROUND, FN_FLOOR, FN_CEIL, FN_LOWER, FN_UPPER, FN_LENGTH,
  FN_SUBSTR, FN_TRIM, FN_LTRIM, FN_RTRIM, FN_COALESCE, FN_NULLIF,
  FN_SPLIT, FN_NOW, FN_TO_TIMESTAMP, FN_DATE_TRUNC,
  FN_WINDOW,          /* window(ts, size [, slide]) — streaming issue */
  FN_SESSION_WINDOW,  /* session_window(ts, gap) — streaming issue */
  FN__COUNT
} EdFunc;

struct EdSubquery;

typedef struct EdExpr {
  EdExprKind kind;
  EdType type;        /* result type; ED_T_NULL only for a NULL constant */
  int op;             /* EXPR_OP: EdAstOp; EXPR_FUNC: EdFunc;
                         EXPR_FIELD: 0 start, 1 end */
  int col;            /* EXPR_COLREF */
  EdValue value;      /* EXPR_CONST (strings in the query arena) */
  bool negated;
  bool has_else;      /* EXPR_CASE */
  int nargs;
  struct EdExpr **args;
  struct EdSubquery *subq;  /* EXPR_SUBQUERY, EXPR_OUTER_REF */
} EdExpr;

/* ---------------------------------------------------------- aggregates */

typedef enum EdAggFunc { AGG_COUNT_STAR, AGG_COUNT, AGG_SUM, AGG_AVG,
                         AGG_MIN, AGG_MAX } EdAggFunc;

/* sum(BIGINT) is BIGINT, sum(DOUBLE) DOUBLE, avg always DOUBLE, count
** BIGINT, min/max the argument's type (as SQLite computes for typed
** columns).  An empty input gives count 0 and NULL for the others. */
typedef struct EdAggCall {
  EdAggFunc fn;
  bool distinct;
  EdExpr *arg;        /* NULL for count(*) */
  EdType type;        /* result type */
} EdAggCall;

typedef struct EdSortKey {
  EdExpr *expr;
  bool desc;
  bool nulls_first;   /* resolved: SQLite's default is NULLs first for ASC */
} EdSortKey;

/* ------------------------------------------------------------ subqueries */

typedef enum EdSubqKind {
  SUBQ_SCALAR,        /* (SELECT x ...): one column; NULL for no row, an
                         execution error for more than one */
  SUBQ_EXISTS,        /* EXISTS (SELECT ...): whether it has a row */
  SUBQ_IN             /* x IN (SELECT y ...): SQL's NULL semantics */
} EdSubqKind;

/* A subquery used in an expression.  It is planned as a query of its own
** whose column references to enclosing queries are EXPR_OUTER_REF nodes:
** the enclosing query passes their values as the arguments of the
** EXPR_SUBQUERY node, so the subquery is uncorrelated when nparams is 0.
** A reference two levels out is passed down through the middle query,
** where it is itself an outer value: every outer reference is one level
** out.  All of it lives in the query arena. */
typedef struct EdSubquery {
  EdSubqKind kind;
  int id;                     /* 1, 2, ... per subquery of the statement */
  EdPos pos;                  /* where it is written */
  const char *text;           /* the expression as written (with the IN
                                 operand, NOT), or NULL */
  int nparams;                /* outer values it reads */
  EdType *param_types;        /* their types */
  const char **param_names;   /* each as written ("t1.b"), for EXPLAIN */
  struct EdPlan *logical;     /* rewritten logical plan */
  struct EdPlan *plan;        /* physical plan, what the evaluator runs:
                                 one column (SCALAR, IN) of the node's
                                 type (the IN operand's, for IN) */
} EdSubquery;

/* -------------------------------------------------------------- plans */

typedef enum EdPlanKind {
  PLAN_SCAN,          /* table (memory or file) — leaf */
  PLAN_VALUES,        /* nrows rows of constant exprs (SELECT without FROM
                         is one row with zero columns) — leaf */
  PLAN_FILTER,        /* pred over left */
  PLAN_PROJECT,       /* exprs over left */
  PLAN_AGGREGATE,     /* group keys exprs[0..nexprs), aggs; output = keys
                         then aggregates */
  PLAN_JOIN,          /* left, right; join_type; pred (full condition in the
                         logical plan; in the physical plan the residual after
                         the equi keys) */
  PLAN_SORT,          /* sort keys over left */
  PLAN_LIMIT,         /* limit (-1 none), offset */
  PLAN_DISTINCT,      /* distinct rows of left */
  PLAN_SETOP,         /* left setop right: UNION ALL, UNION, EXCEPT,
                         INTERSECT (the latter three are distinct sets) */
  PLAN_EXPLODE        /* explode(split(exprs[0], exprs[1])): each input row
                         becomes one row per piece; output = left's columns
                         then the piece (VARCHAR) */
} EdPlanKind;

typedef enum EdPhysKind {
  PHYS_NONE = 0,      /* a logical node */
  PHYS_TABLE_SCAN,    /* memory table */
  PHYS_FILE_SCAN,     /* file connector: csv / jsonl */
  PHYS_VALUES,
  PHYS_FILTER,
  PHYS_PROJECT,
  PHYS_HASH_AGGREGATE,
  PHYS_HASH_JOIN,     /* lkeys = rkeys, then residual pred */
  PHYS_NESTED_LOOP_JOIN,
  PHYS_SORT,          /* with limit >= 0: top-N */
  PHYS_LIMIT,
  PHYS_HASH_DISTINCT,
  PHYS_UNION_ALL,
  PHYS_HASH_SETOP,    /* UNION (distinct), EXCEPT, INTERSECT */
  PHYS_STREAM_SCAN,   /* a stream's source, read batch by batch */
  PHYS_STREAM_AGGREGATE, /* incremental aggregation kept across batches:
                         windows, watermark, output mode (see EdWindowSpec) */
  PHYS_EXPLODE
} EdPhysKind;

/* How a streaming (or windowed) aggregation groups time.  The window key
** is one of the aggregate's group keys (exprs[key]): its output column is
** a WINDOW.  The operator computes it from ts itself (per pane or session)
** instead of evaluating exprs[key]. */
typedef enum EdWindowKind {
  WIN_NONE,           /* running aggregate per key (no time bound) */
  WIN_TUMBLING,       /* window(ts, size) */
  WIN_SLIDING,        /* window(ts, size, slide), slide < size */
  WIN_SESSION,        /* session_window(ts, gap) */
  WIN_EVENT_TIME      /* grouped by the raw watermark column itself:
                         key is that column; final once key <= wm */
} EdWindowKind;

typedef struct EdWindowSpec {
  EdWindowKind kind;
  int key;            /* index of the window (or event-time) group key */
  EdExpr *ts;         /* the event-time expression, over the input row */
  int64_t size_us;    /* TUMBLING, SLIDING */
  int64_t slide_us;   /* SLIDING (== size for TUMBLING) */
  int64_t gap_us;     /* SESSION */
  bool wm_bounded;    /* ts is the watermark column: late rows are dropped
                         and state is evicted by the watermark (not in
                         COMPLETE mode) */
} EdWindowSpec;

/* What the planner decided for a query over streams. */
typedef struct EdStreamInfo {
  bool streaming;         /* at least one leaf is a stream */
  EdEmitMode mode;        /* resolved: never EMIT_DEFAULT (a batch query
                             computes its whole result once: COMPLETE) */
  EdTriggerKind trigger;  /* resolved: session default when not written */
  int64_t trigger_interval_us;
  int64_t state_ttl_us;   /* running aggregates: evict keys not updated for
                             this long (processing time); 0 = never */
  int64_t max_rows_per_trigger;   /* 0 = unbounded */
  int64_t max_files_per_trigger;  /* 0 = unbounded */
} EdStreamInfo;

/* Session defaults the planner applies where the query says nothing. */
typedef struct EdPlanDefaults {
  EdEmitMode mode;        /* EMIT_DEFAULT: APPEND where valid, else UPDATE */
  EdTriggerKind trigger;
  int64_t trigger_interval_us;
  int64_t state_ttl_us;
} EdPlanDefaults;

typedef struct EdPlan {
  EdPlanKind kind;
  EdPhysKind phys;
  EdSchema schema;            /* output columns */
  struct EdPlan *left, *right;
  EdTable *table;             /* SCAN */
  EdExpr *pred;               /* FILTER, JOIN */
  int nexprs;                 /* PROJECT outputs, AGGREGATE keys */
  EdExpr **exprs;
  int nrows;                  /* VALUES: rows of nexprs/nrows exprs each */
  int naggs;
  EdAggCall *aggs;
  EdJoinType join_type;
  int nkeys;                  /* join equi-keys: lkeys over left's row, */
  EdExpr **lkeys, **rkeys;    /* rkeys over right's row */
  int nsort;
  EdSortKey *sort;
  int64_t limit;              /* -1: none */
  int64_t offset;
  EdSetOp setop;
  double est_rows;            /* planner estimate, for EXPLAIN */
  /* Streams. */
  int wm_col;                 /* SCAN of a stream: watermark column of the
                                 scan's output, or -1 */
  int64_t wm_delay_us;        /* SCAN: watermark delay */
  EdWindowSpec window;        /* STREAM_AGGREGATE (and windowed batch
                                 aggregates) */
  EdEmitMode mode;            /* STREAM_AGGREGATE: what it emits per batch */
  int64_t state_ttl_us;       /* STREAM_AGGREGATE, WIN_NONE */
  EdPos pos;                  /* where in the SQL the node comes from (the
                                 JOIN keyword, a SELECT, a GROUP BY key,
                                 the first ORDER BY term, the LIMIT
                                 count), for planning errors; line 0 when
                                 none */
} EdPlan;

/* ------------------------------------------------------------ planning */

/* Binds and plans a query against the catalog.  On success sets *logical
** (after rewrites) and *physical and returns 0; on failure fills err with
** the position of the offending AST node and returns -1.  sql is the text
** the AST was parsed from (for column names of unaliased expressions).
** All nodes are allocated in arena. */
int ed_plan_query(EdCatalog *cat, const EdAstQuery *q, const char *sql,
                  EdArena *arena, EdPlan **logical, EdPlan **physical,
                  EdError *err);

/* As ed_plan_query, for any query: when it reads a stream, the plan is an
** incremental one (PHYS_STREAM_SCAN leaves, PHYS_STREAM_AGGREGATE) and
** *info says how to run it; the output mode and every clause are checked
** against DESIGN §4 and an invalid combination is an ED_ERR_PLAN error
** naming the mode, the reason and the fix.  defaults may be NULL. */
int ed_plan_query_stream(EdCatalog *cat, const EdAstQuery *q,
                         const char *sql, EdArena *arena,
                         const EdPlanDefaults *defaults, EdPlan **logical,
                         EdPlan **physical, EdStreamInfo *info,
                         EdError *err);

/* Binds a constant expression (no column references allowed) and folds it
** to a value of type want (with the implicit casts of an assignment; want
** ED_T_NULL keeps the expression's own type).  Used for INSERT ... VALUES
** and option values.  Strings are allocated in arena. */
int ed_bind_constant(const EdAstExpr *e, EdType want, EdArena *arena,
                     EdValue *out, EdError *err);

/* Sets used[i] (for i < scan->schema.ncols) when the plan rooted at root
** reads output column i of its node scan: every column the root outputs
** is taken as read, and each node adds what its expressions reference.
** Nodes that compare whole rows (DISTINCT, set operations) read all their
** input.  Sources use it to skip converting the columns nobody reads. */
void ed_plan_scan_columns(const EdPlan *root, const EdPlan *scan,
                          bool *used);

/* Renders a plan tree as indented text, one node per line, e.g.
**     HashAggregate keys=[page] aggs=[count(*), avg(latency_ms)]
**       Filter (latency_ms > 100)
**         FileScan events (csv, events.csv)
** Returns a string allocated in arena. */
char *ed_plan_explain(const EdPlan *p, EdArena *arena);

/* As ed_plan_explain, followed for a streaming query (info->streaming) by
** the lines "Output mode: UPDATE" and "Trigger: ..." (and "State TTL: ..."
** when set).  info may be NULL (then the same as ed_plan_explain). */
char *ed_plan_explain_stream(const EdPlan *p, const EdStreamInfo *info,
                             EdArena *arena);

/* Renders a bound expression as SQL-like text into arena. */
char *ed_expr_text(const EdExpr *e, const EdSchema *input, EdArena *arena);

#endif
