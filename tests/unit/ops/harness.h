/*
** tests/unit/ops/harness.h — shared scaffolding of the operator tests.
**
** Every table a test makes exists twice: as an eddy memory table and as a
** SQLite table with the same rows.  A test builds a physical plan by hand
** (EdPlan and EdExpr nodes in the harness arena), runs it with
** ed_exec_run() into a sink that formats each row as text, runs the
** equivalent SQL in SQLite, and compares the two lists of rows, in order or
** as multisets.  Values print the same way on both sides: NULL as "NULL",
** integers (also TIMESTAMP microseconds and BOOLEAN 0/1) in decimal,
** doubles with %.12g, strings as they are; columns are joined with '|'.
*/
#ifndef ED_OPS_HARNESS_H
#define ED_OPS_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/executor.h"
#include "exec/memtable.h"
#include "exec/ops.h"
#include "planner/plan.h"

typedef struct HRows {
  int n, cap;
  char **rows;
} HRows;

/* Opens the SQLite database and the arena; h_done() frees everything. */
void h_init(void);
void h_done(void);

/* The arena plans and expressions are allocated in. */
EdArena *h_arena(void);

/* Creates table name with the given columns in both engines. */
EdTable *h_table(const char *name, int ncols, const char *const *names,
                 const EdType *types);
/* Appends one row (values of the column types, or NULLs) to both. */
void h_row(EdTable *t, const EdValue *vals);

/* Value constructors. */
EdValue h_null(EdType t);
EdValue h_i(int64_t v);
EdValue h_d(double v);
EdValue h_s(const char *s);
EdValue h_b(bool v);
EdValue h_ts(int64_t us);

/* Expression constructors. */
EdExpr *h_col(int i, EdType t);
EdExpr *h_const(EdValue v);
EdExpr *h_op(EdAstOp op, EdType t, EdExpr *a, EdExpr *b);

/* Plan constructors.  h_node gives a zeroed node with limit -1; its schema
** is set with h_schema (types, names c0..) or h_schema_join (left then
** right). */
EdPlan *h_scan(EdTable *t);
EdPlan *h_node(EdPlanKind kind, EdPhysKind phys, EdPlan *left,
               EdPlan *right);
void h_schema(EdPlan *p, int n, const EdType *types);
void h_schema_join(EdPlan *p);
void h_schema_like(EdPlan *p, const EdPlan *from);

/* Runs plan into a collecting sink.  Returns ed_exec_run's result; on
** failure err receives the error.  stats/nstats as in ed_exec_run (may be
** NULL). */
int h_run(EdPlan *plan, HRows *out, EdError *err, EdOpStats **stats,
          int *nstats);
/* Runs SQL in SQLite.  Returns 0, or -1 with the message in errbuf. */
int h_sql(const char *sql, HRows *out, char *errbuf, int errcap);

/* Does got equal want (both sorted first unless ordered)?  Prints the
** first difference as a TAP comment when not. */
bool h_check(const char *name, HRows *got, HRows *want, bool ordered);
/* Runs plan and sql; true when both give the same rows. */
bool h_compare(const char *name, EdPlan *plan, const char *sql,
               bool ordered);

void h_rows_free(HRows *r);

/* Deterministic pseudo-random numbers (xorshift). */
uint64_t h_rand(void);

/* The standard data set, made by h_std_data():
**   t1(id, k, s, d, ts, b)  10000 rows: id 0..9999 (insertion order); k
**       BIGINT in 0..2999 with 5% NULLs, key 7 repeated 60 times within the
**       first batch; s VARCHAR ~500 values incl. '' and prefixes of each
**       other, 5% NULLs; d DOUBLE multiples of 0.25, NULL for every row of
**       a k divisible by 97 and 5% more; ts TIMESTAMP 3% NULLs; b BOOLEAN
**       10% NULLs.
**   t2(k, name, v)  3000 rows: k in 0..3999 (so some keys match nothing),
**       3% NULLs, key 7 repeated 150 times; name VARCHAR; v DOUBLE.
**   e1, e2  empty tables with t1's and t2's columns.
**   u1(a, s) 400 rows, u2(a, s) 300 rows: small overlapping domains with
**       NULLs and duplicates, for set operations. */
typedef struct HData {
  EdTable *t1, *t2, *e1, *e2, *u1, *u2;
} HData;

void h_std_data(HData *d);
extern const EdType h_t1_types[6], h_t2_types[3], h_u_types[2];

#endif
