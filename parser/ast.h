/*
** parser/ast.h — the abstract syntax tree produced by the parser.
**
** Every node lives in the arena handed to ed_parse() and is freed with it.
** Names are NUL-terminated copies, with quoted identifiers unquoted and
** unquoted identifiers kept as written (name matching is case-insensitive
** and is the binder's business).  Every node records the position of the
** token that starts it (or, for operators, of the operator token) so that
** the binder can point at it in an error message.
*/
#ifndef ED_AST_H
#define ED_AST_H

#include "common/arena.h"
#include "common/error.h"
#include "common/types.h"

/* A growable array of pointers, allocated in the parse arena. */
typedef struct EdAstList {
  int n;
  int cap;
  void **items;
} EdAstList;

void ed_ast_list_push(EdArena *a, EdAstList *l, void *item);

/* ----------------------------------------------------------- expressions */

typedef enum EdAstKind {
  AST_LITERAL,    /* lit */
  AST_COLUMN,     /* [qualifier .] name; also w.start / w.end (binder) */
  AST_STAR,       /* [qualifier .] *  — select list and count(*) only */
  AST_UNARY,      /* op (OP_NEG, OP_PLUS, OP_NOT) left */
  AST_BINARY,     /* left op right */
  AST_IS_NULL,    /* left IS [NOT] NULL; negated */
  AST_BETWEEN,    /* left [NOT] BETWEEN right AND third */
  AST_IN_LIST,    /* left [NOT] IN (list) */
  AST_IN_QUERY,   /* left [NOT] IN (subquery) */
  AST_EXISTS,     /* [NOT] EXISTS (subquery) */
  AST_SUBQUERY,   /* (subquery) used as a scalar */
  AST_LIKE,       /* left [NOT] LIKE right [ESCAPE third] */
  AST_CASE,       /* CASE [left] WHEN list[0] THEN list[1] ... [ELSE third] END */
  AST_CAST,       /* CAST(left AS cast_type) */
  AST_FUNC        /* name(list), distinct, star for count(*) */
} EdAstKind;

typedef enum EdAstOp {
  OP_NONE = 0,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_CONCAT,
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
  OP_IS, OP_IS_NOT,            /* null-safe equality: a IS b, a IS NOT b */
  OP_AND, OP_OR,
  OP_NOT, OP_NEG, OP_PLUS
} EdAstOp;

/* Literal value.  type is ED_T_NULL for NULL, ED_T_BOOL for TRUE/FALSE,
** ED_T_BIGINT / ED_T_DOUBLE for numbers (an integer literal too large for
** BIGINT becomes DOUBLE), ED_T_VARCHAR for strings ('' unescaped), and
** ED_T_INTERVAL for INTERVAL '10 seconds' / INTERVAL '5' MINUTE (value in
** microseconds, parsed by the parser so errors point at the literal). */
typedef struct EdAstLit {
  EdType type;
  bool b;
  int64_t i;
  double d;
  char *s;          /* VARCHAR: text, NUL-terminated */
  int slen;
} EdAstLit;

typedef struct EdAstQuery EdAstQuery;

typedef struct EdAstExpr {
  EdAstKind kind;
  EdPos pos;
  EdAstOp op;
  bool negated;       /* NOT BETWEEN, NOT IN, NOT LIKE, IS NOT NULL, NOT EXISTS */
  bool distinct;      /* AST_FUNC: count(DISTINCT x) */
  bool star;          /* AST_FUNC: count(*) */
  struct EdAstExpr *left, *right, *third;
  EdAstList list;     /* EdAstExpr*: function args, IN list, CASE when/then pairs */
  char *name;         /* AST_COLUMN, AST_FUNC (as written) */
  char *qualifier;    /* AST_COLUMN / AST_STAR: table name or alias, or NULL */
  EdType cast_type;   /* AST_CAST */
  EdAstLit lit;       /* AST_LITERAL */
  EdAstQuery *query;  /* AST_IN_QUERY, AST_EXISTS, AST_SUBQUERY */
  int end_offset;     /* byte offset just past the expression's last token */
  int start_offset;   /* byte offset of its first token, including an
                         opening parenthesis that encloses it: the text as
                         written is sql[start_offset..end_offset) */
  int height;         /* height of the tree (1 for a leaf); the parser
                         refuses trees deeper than 1000 */
} EdAstExpr;

/* -------------------------------------------------------------- queries */

typedef struct EdAstSelItem {
  EdAstExpr *expr;    /* may be AST_STAR */
  char *alias;        /* AS alias, or NULL */
  EdPos pos;
} EdAstSelItem;

typedef enum EdJoinType { JOIN_INNER, JOIN_LEFT, JOIN_CROSS } EdJoinType;

typedef enum EdFromKind { FROM_TABLE, FROM_SUBQUERY, FROM_JOIN } EdFromKind;

typedef struct EdAstFrom {
  EdFromKind kind;
  EdPos pos;
  char *name;               /* FROM_TABLE */
  char *alias;              /* FROM_TABLE, FROM_SUBQUERY */
  EdAstQuery *query;        /* FROM_SUBQUERY */
  EdJoinType join;          /* FROM_JOIN; a comma join is JOIN_CROSS, so
                               is [INNER] JOIN without ON/USING; CROSS JOIN
                               ... ON is JOIN_INNER; LEFT JOIN may lack ON */
  struct EdAstFrom *left, *right;
  EdAstExpr *on;            /* FROM_JOIN: ON condition or NULL */
  EdAstList using_cols;     /* FROM_JOIN: USING (a, b): char* names */
  /* Query-level watermark: FROM t WATERMARK col DELAY OF INTERVAL '...' */
  char *wm_column;
  EdAstExpr *wm_delay;
} EdAstFrom;

typedef struct EdAstSelect {
  EdPos pos;
  bool distinct;
  EdAstList items;          /* EdAstSelItem* */
  EdAstFrom *from;          /* NULL: SELECT without FROM (one row) */
  EdAstExpr *where;
  EdAstList group_by;       /* EdAstExpr* */
  EdAstExpr *having;
} EdAstSelect;

typedef enum EdSetOp { SETOP_NONE, SETOP_UNION_ALL, SETOP_UNION,
                       SETOP_EXCEPT, SETOP_INTERSECT } EdSetOp;

typedef struct EdAstOrderItem {
  EdAstExpr *expr;          /* may be an integer literal: output column # */
  bool desc;
  int nulls_first;          /* -1 default (NULLs first for ASC, last for
                               DESC, as SQLite), 0 NULLS LAST, 1 NULLS FIRST */
} EdAstOrderItem;

typedef enum EdEmitMode { EMIT_DEFAULT, EMIT_COMPLETE, EMIT_UPDATE,
                          EMIT_APPEND, EMIT_CHANGES } EdEmitMode;

typedef enum EdTriggerKind { TRIGGER_DEFAULT, TRIGGER_PROCESSING_TIME,
                             TRIGGER_ONCE, TRIGGER_AVAILABLE_NOW } EdTriggerKind;

typedef struct EdAstOption {
  char *key;                /* lower-cased */
  EdAstExpr *value;         /* a literal (string, number, boolean) */
  EdPos pos;
} EdAstOption;

/* A query: selects combined left to right by set operations
** (setops[i] joins selects[i-1] and selects[i]; setops[0] is SETOP_NONE),
** then ORDER BY / LIMIT / OFFSET over the combined result, then the
** streaming clauses. */
struct EdAstQuery {
  EdPos pos;
  EdAstList selects;        /* EdAstSelect* */
  EdSetOp *setops;          /* selects.n entries */
  EdAstList order_by;       /* EdAstOrderItem* */
  EdAstExpr *limit;
  EdAstExpr *offset;
  EdEmitMode emit;
  EdTriggerKind trigger;
  int64_t trigger_interval_us;   /* TRIGGER PROCESSING TIME '...' */
  EdAstList options;        /* query WITH (state_ttl = '1 hour', ...) */
};

/* ------------------------------------------------------------ statements */

typedef enum EdStmtKind {
  STMT_SELECT,          /* query */
  STMT_CREATE_TABLE,    /* name, columns, wm_*, options */
  STMT_CREATE_STREAM,   /* same, as a stream */
  STMT_CREATE_SINK,     /* name, options */
  STMT_DROP,            /* obj, name, if_exists */
  STMT_INSERT,          /* target, insert_cols, rows | query */
  STMT_SET,             /* name, value */
  STMT_SHOW,            /* show */
  STMT_EXPLAIN,         /* inner, analyze */
  STMT_STOP_QUERY,      /* name */
  STMT_CREATE_INDEX     /* name (index), target (table), insert_cols (the
                           indexed columns, char*), if_not_exists; accepted
                           for SQL compatibility: eddy keeps no indexes */
} EdStmtKind;

typedef enum EdObjKind { OBJ_TABLE, OBJ_STREAM, OBJ_SINK } EdObjKind;

typedef enum EdShowKind { SHOW_TABLES, SHOW_STREAMS, SHOW_SINKS,
                          SHOW_QUERIES } EdShowKind;

typedef struct EdAstColumnDef {
  char *name;
  EdType type;
  EdPos pos;
  bool primary_key;         /* PRIMARY KEY (accepted, not enforced) */
  bool not_null;            /* NOT NULL (accepted, not enforced) */
} EdAstColumnDef;

typedef struct EdAstStmt {
  EdStmtKind kind;
  EdPos pos;
  int start_offset;         /* the statement's text is sql[start..end) */
  int end_offset;           /* (without the terminating ';') */
  char *name;               /* CREATE/DROP/SET/STOP: object or setting name */
  bool if_not_exists;
  bool if_exists;
  EdObjKind obj;            /* DROP */
  EdAstList columns;        /* CREATE: EdAstColumnDef* */
  char *wm_column;          /* CREATE: WATERMARK FOR col AS col - INTERVAL .. */
  EdAstExpr *wm_expr;       /*         the AS expression */
  EdAstList options;        /* CREATE: WITH (...): EdAstOption* */
  char *target;             /* INSERT INTO target */
  EdAstList insert_cols;    /* INSERT: optional column list, char* */
  EdAstList rows;           /* INSERT VALUES: EdAstList* of EdAstExpr* */
  EdAstQuery *query;        /* SELECT, INSERT ... SELECT */
  EdAstExpr *value;         /* SET name = value (literal or identifier as
                               a VARCHAR literal) */
  EdShowKind show;
  struct EdAstStmt *inner;  /* EXPLAIN */
  bool analyze;             /* EXPLAIN ANALYZE */
} EdAstStmt;

/* ---------------------------------------------------------------- parsing */

/* Parses every statement of sql (a whole script, NUL-terminated) into out
** (EdAstStmt*).  Empty statements (";;") and comments are skipped.  On a
** syntax error sets err (with the position of the offending token, message
** such as `syntax error near "FORM"`) and returns -1; statements parsed
** before the error are still in out.  All memory comes from arena. */
int ed_parse(EdArena *arena, const char *sql, EdAstList *out, EdError *err);

/* Returns true when text ends with a complete statement (a ';' outside
** strings, quoted identifiers and comments, followed only by whitespace or
** comments), used by the shell to decide when to stop reading lines. */
bool ed_sql_complete(const char *text);

/* The SQL spelling of an operator ("+", "<>", "IS NOT", "AND", ...); "?"
** for OP_NONE. */
const char *ed_ast_op_text(EdAstOp op);

/* Returns the SQL text of an expression, as written, for column names of
** unaliased select items ("count(*)", "a + 1").  sql is the parsed text. */
char *ed_ast_expr_text(EdArena *a, const char *sql, const EdAstExpr *e);

#endif
