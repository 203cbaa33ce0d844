/*
** tests/slt/difftest_gen.h — random tables and random queries for the
** differential test of eddy against SQLite (difftest.c).
**
** The generator is type-directed: every expression is built for a wanted
** type (BIGINT, DOUBLE, VARCHAR, BOOLEAN) from the columns in scope, so the
** SQL is valid for both engines and stays inside the part of SQL where
** standard semantics and SQLite's agree: no text/number mixing, no casts
** from text, integer magnitudes bounded so that nothing overflows BIGINT,
** LIKE only over lower-case text (SQLite's LIKE ignores ASCII case), no %
** on doubles, LIMIT only under an ORDER BY that covers every column.
** Everything depends only on the seed.
*/
#ifndef DT_GEN_H
#define DT_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable string. */
typedef struct DtBuf {
  char *s;
  size_t n, cap;
} DtBuf;

void dt_buf_printf(DtBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dt_buf_reset(DtBuf *b);
void dt_buf_free(DtBuf *b);

/* splitmix64: small, fast, and the same on every platform. */
typedef struct DtRng {
  uint64_t s;
} DtRng;

void dt_rng_seed(DtRng *r, uint64_t seed);
uint64_t dt_rng_next(DtRng *r);
/* Uniform integer in [lo, hi]. */
int64_t dt_rng_range(DtRng *r, int64_t lo, int64_t hi);
/* True with probability pct/100. */
bool dt_rng_pct(DtRng *r, int pct);

/* Number of generated tables. */
int dt_table_count(void);

/* Appends the CREATE TABLE statement of table i (no ';'). */
void dt_table_ddl(int i, DtBuf *out);

/* Number of rows of table i, and the INSERT statement (no ';') for rows
** [from, to) of it: values come from rng, which must be used for the rows
** of every table in order. */
int dt_table_rows(int i);
void dt_table_insert(int i, DtRng *rng, int from, int to, DtBuf *out);

/* What the comparison needs to know about a generated query. */
typedef struct DtQueryInfo {
  bool ordered;           /* ORDER BY covers every output column */
  char shape[64];         /* "select+join", "group+subquery", ... */
} DtQueryInfo;

/* Writes a random query (no ';') into out. */
void dt_gen_query(DtRng *rng, DtBuf *out, DtQueryInfo *info);

#endif
