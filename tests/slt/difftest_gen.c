/*
** tests/slt/difftest_gen.c — the generator of tables and queries for the
** differential test (see difftest_gen.h for the rules it keeps).
**
** Expressions are built bottom-up as malloc'ed strings; every compound is
** fully parenthesized so that both engines parse the same tree.  Integer
** expressions carry a bound on their magnitude; a product whose bound would
** pass 1e12 is generated as a sum instead, which keeps every sum over the
** largest join far from BIGINT overflow.
*/
#include "difftest_gen.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

/* ------------------------------------------------------------ buffers */

void dt_buf_printf(DtBuf *b, const char *fmt, ...) {
  va_list ap;
  if (!b->s) {   /* always format into real memory */
    b->cap = 256;
    b->s = ed_malloc(b->cap);
    b->n = 0;
  }
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int len = vsnprintf(b->s + b->n, room, fmt, ap);
    va_end(ap);
    assert(len >= 0);
    if ((size_t)len < room) {
      b->n += (size_t)len;
      return;
    }
    b->cap = 2 * (b->cap + (size_t)len + 64);
    b->s = ed_realloc(b->s, b->cap);
  }
}

void dt_buf_reset(DtBuf *b) {
  b->n = 0;
  if (b->s) b->s[0] = 0;
}

void dt_buf_free(DtBuf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

/* printf into a new malloc'ed string. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0) abort();
  va_end(ap);
  return s;
}

/* ---------------------------------------------------------------- rng */

void dt_rng_seed(DtRng *r, uint64_t seed) {
  r->s = seed;
}

uint64_t dt_rng_next(DtRng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t dt_rng_range(DtRng *r, int64_t lo, int64_t hi) {
  assert(lo <= hi);
  return lo + (int64_t)(dt_rng_next(r) % (uint64_t)(hi - lo + 1));
}

bool dt_rng_pct(DtRng *r, int pct) {
  return dt_rng_range(r, 0, 99) < pct;
}

/* ------------------------------------------------------------- tables */

typedef enum DtType { DT_INT, DT_DBL, DT_STR, DT_BOOL } DtType;

typedef struct DtColDef {
  const char *name;
  DtType type;
  int lo, hi;             /* INT range; DBL: numerator range */
  int null_pct;
  int denom;              /* DBL: value = k / denom */
} DtColDef;

typedef struct DtTableDef {
  const char *name;
  int nrows;
  int ncols;
  DtColDef cols[5];
} DtTableDef;

/* t3 has t1's columns and crosses batch boundaries (2048 rows); t4 is
** small enough for cross and non-equi joins; t5 is empty.  Doubles are
** multiples of 1/4 or 1/8, so that sums are exact whatever order the rows
** are added in (SQLite and eddy group in different orders): a DISTINCT or
** set operation over sums of inexact values could otherwise disagree on
** which near-equal values are the same. */
static const DtTableDef dt_tables[] = {
  {"t1", 300, 5, {{"a", DT_INT, -30, 30, 10, 0}, {"b", DT_INT, -1000, 1000, 10, 0},
                  {"c", DT_DBL, -400, 400, 10, 4}, {"d", DT_STR, 0, 0, 10, 0},
                  {"e", DT_INT, 0, 5, 5, 0}}},
  {"t2", 200, 4, {{"a", DT_INT, -30, 30, 10, 0}, {"b", DT_DBL, -300, 300, 10, 8},
                  {"c", DT_STR, 0, 0, 15, 0}, {"d", DT_INT, -100, 100, 15, 0}}},
  {"t3", 4500, 5, {{"a", DT_INT, -30, 30, 8, 0}, {"b", DT_INT, -1000, 1000, 8, 0},
                   {"c", DT_DBL, -400, 400, 8, 4}, {"d", DT_STR, 0, 0, 8, 0},
                   {"e", DT_INT, 0, 5, 5, 0}}},
  {"t4", 12, 3, {{"x", DT_INT, -5, 5, 10, 0}, {"y", DT_STR, 0, 0, 10, 0},
                 {"z", DT_DBL, -40, 40, 10, 4}}},
  {"t5", 0, 3, {{"a", DT_INT, -5, 5, 0, 0}, {"b", DT_DBL, -5, 5, 0, 4},
                {"c", DT_STR, 0, 0, 0, 0}}},
};
#define DT_NTABLES ((int)(sizeof dt_tables / sizeof *dt_tables))
enum { T1, T2, T3, T4, T5 };

/* Lower-case words (SQLite's LIKE ignores ASCII case; eddy's does not). */
static const char *const dt_words[] = {
  "", "a", "ab", "abc", "b", "ba", "bab", "cab", "hello", "world", "x_y",
  "a%b", "zz", "mid", "m"};
#define DT_NWORDS ((int)(sizeof dt_words / sizeof *dt_words))

static const char *type_sql(DtType t) {
  switch (t) {
    case DT_INT: return "BIGINT";
    case DT_DBL: return "DOUBLE";
    case DT_STR: return "VARCHAR";
    default: return "BOOLEAN";
  }
}

int dt_table_count(void) {
  return DT_NTABLES;
}

int dt_table_rows(int i) {
  return dt_tables[i].nrows;
}

void dt_table_ddl(int i, DtBuf *out) {
  const DtTableDef *t = &dt_tables[i];
  dt_buf_printf(out, "CREATE TABLE %s (", t->name);
  for (int c = 0; c < t->ncols; c++)
    dt_buf_printf(out, "%s%s %s", c ? ", " : "", t->cols[c].name, type_sql(t->cols[c].type));
  dt_buf_printf(out, ")");
}

/* Writes a double literal that reads back as exactly d, always with a
** decimal point so that it is a DOUBLE literal. */
static void double_literal(DtBuf *out, double d) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", d);
  if (!strpbrk(buf, ".e")) strcat(buf, ".0");
  dt_buf_printf(out, "%s", buf);
}

/* A random lower-case string: a vocabulary word or 1..5 letters of a-e. */
static void random_string(DtRng *r, char *buf) {
  if (dt_rng_pct(r, 70)) {
    strcpy(buf, dt_words[dt_rng_range(r, 0, DT_NWORDS - 1)]);
    return;
  }
  int n = (int)dt_rng_range(r, 1, 5);
  for (int i = 0; i < n; i++) buf[i] = (char)('a' + dt_rng_range(r, 0, 4));
  buf[n] = 0;
}

void dt_table_insert(int i, DtRng *rng, int from, int to, DtBuf *out) {
  const DtTableDef *t = &dt_tables[i];
  dt_buf_printf(out, "INSERT INTO %s VALUES ", t->name);
  for (int row = from; row < to; row++) {
    dt_buf_printf(out, "%s(", row > from ? ", " : "");
    for (int c = 0; c < t->ncols; c++) {
      const DtColDef *cd = &t->cols[c];
      if (c) dt_buf_printf(out, ", ");
      if (dt_rng_pct(rng, cd->null_pct)) {
        dt_buf_printf(out, "NULL");
        continue;
      }
      if (cd->type == DT_INT) {
        dt_buf_printf(out, "%" PRId64, dt_rng_range(rng, cd->lo, cd->hi));
      } else if (cd->type == DT_DBL) {
        double_literal(out, (double)dt_rng_range(rng, cd->lo, cd->hi) / cd->denom);
      } else {
        char s[16];
        random_string(rng, s);
        dt_buf_printf(out, "'%s'", s);
      }
    }
    dt_buf_printf(out, ")");
  }
}

/* -------------------------------------------------------------- scope */

typedef struct DtCol {
  char ref[40];           /* how the query names it: "a", "l.a", "s.c0" */
  DtType type;
  int64_t bound;          /* INT: maximum magnitude */
} DtCol;

typedef struct DtScope {
  int n;
  DtCol c[24];
} DtScope;

/* Group keys of an aggregate query, usable as-is in select and HAVING. */
typedef struct DtKeys {
  int n;
  char *text[3];
  DtType type[3];
  int64_t bound[3];
} DtKeys;

typedef struct DtGen {
  DtRng *r;
  const DtScope *sc;
  const DtKeys *keys;     /* non-NULL: aggregate context */
  bool exact;             /* no DOUBLE division: an aggregate's argument */
} DtGen;

#define DT_PRODUCT_MAX INT64_C(1000000000000)   /* 1e12 */
#define DT_ROWS_MAX INT64_C(100000)             /* more than any join makes */

static void scope_add(DtScope *sc, const char *qual, const char *name, DtType t,
                      int64_t bound) {
  assert(sc->n < (int)(sizeof sc->c / sizeof *sc->c));
  DtCol *c = &sc->c[sc->n++];
  if (qual) snprintf(c->ref, sizeof c->ref, "%s.%s", qual, name);
  else snprintf(c->ref, sizeof c->ref, "%s", name);
  c->type = t;
  c->bound = bound;
}

static void scope_add_table(DtScope *sc, int t, const char *qual) {
  const DtTableDef *td = &dt_tables[t];
  for (int i = 0; i < td->ncols; i++) {
    const DtColDef *cd = &td->cols[i];
    int64_t b = cd->type == DT_INT ? (cd->hi > -cd->lo ? cd->hi : -cd->lo) : 0;
    scope_add(sc, qual, cd->name, cd->type, b);
  }
}

/* Picks a random column of type t; NULL if the scope has none. */
static const DtCol *pick_col(DtGen *g, DtType t) {
  int idx[24], n = 0;
  for (int i = 0; i < g->sc->n; i++)
    if (g->sc->c[i].type == t) idx[n++] = i;
  return n ? &g->sc->c[idx[dt_rng_range(g->r, 0, n - 1)]] : NULL;
}

/* -------------------------------------------------------- expressions */

static char *gen_int(DtGen *g, int depth, int64_t *bound);
static char *gen_dbl(DtGen *g, int depth);
static char *gen_str(DtGen *g, int depth, bool lower_only);
static char *gen_bool(DtGen *g, int depth);
static char *gen_agg(DtGen *g, DtType t, int64_t *bound);

static char *gen_of(DtGen *g, DtType t, int depth, int64_t *bound) {
  int64_t dummy;
  if (!bound) bound = &dummy;
  *bound = 0;
  switch (t) {
    case DT_INT: return gen_int(g, depth, bound);
    case DT_DBL: return gen_dbl(g, depth);
    case DT_STR: return gen_str(g, depth, false);
    default: return gen_bool(g, depth);
  }
}

/* A leaf of type t: in aggregate context a group key or an aggregate,
** otherwise a column; a literal when nothing fits or by chance. */
static char *gen_leaf(DtGen *g, DtType t, int64_t *bound) {
  if (g->keys) {
    int idx[3], n = 0;
    for (int i = 0; i < g->keys->n; i++)
      if (g->keys->type[i] == t) idx[n++] = i;
    if (n && dt_rng_pct(g->r, 40)) {
      int k = idx[dt_rng_range(g->r, 0, n - 1)];
      *bound = g->keys->bound[k];
      return ed_strdup(g->keys->text[k]);
    }
    if (!dt_rng_pct(g->r, 15)) return gen_agg(g, t, bound);
  } else if (!dt_rng_pct(g->r, 20)) {
    const DtCol *c = pick_col(g, t);
    if (c) {
      *bound = c->bound;
      return ed_strdup(c->ref);
    }
  }
  switch (t) {
    case DT_INT: {
      int64_t v = dt_rng_range(g->r, -20, 20);
      *bound = v < 0 ? -v : v;
      return v < 0 ? fmt("(%" PRId64 ")", v) : fmt("%" PRId64, v);
    }
    case DT_DBL: {
      DtBuf b = {0};
      double_literal(&b, (double)dt_rng_range(g->r, -80, 80) / 4);
      char *s = fmt(b.s[0] == '-' ? "(%s)" : "%s", b.s);
      dt_buf_free(&b);
      return s;
    }
    case DT_STR: {
      char s[16];
      random_string(g->r, s);
      return fmt("'%s'", s);
    }
    default:
      return ed_strdup(dt_rng_pct(g->r, 50) ? "TRUE" : "FALSE");
  }
}

static char *gen_int(DtGen *g, int depth, int64_t *bound) {
  int choice = depth <= 0 ? 0 : (int)dt_rng_range(g->r, 0, 11);
  int64_t b1 = 0, b2 = 0;
  char *x, *y, *z, *s;
  switch (choice) {
    case 1: case 2: {
      x = gen_int(g, depth - 1, &b1);
      y = gen_int(g, depth - 1, &b2);
      *bound = b1 + b2;
      s = fmt("(%s %s %s)", x, dt_rng_pct(g->r, 50) ? "+" : "-", y);
      break;
    }
    case 3: {
      x = gen_int(g, depth - 1, &b1);
      y = gen_int(g, depth - 1, &b2);
      bool mul = (b1 == 0 || b2 <= DT_PRODUCT_MAX / b1);
      *bound = mul ? b1 * b2 : b1 + b2;
      s = fmt("(%s %s %s)", x, mul ? "*" : "+", y);
      break;
    }
    case 4: {
      x = gen_int(g, depth - 1, &b1);
      y = gen_int(g, depth - 1, &b2);
      *bound = b1;
      s = fmt("(%s %s %s)", x, dt_rng_pct(g->r, 60) ? "/" : "%", y);
      break;
    }
    case 5:
      x = gen_int(g, depth - 1, bound);
      s = fmt(dt_rng_pct(g->r, 50) ? "abs(%s)" : "(- %s)", x);
      y = NULL;
      break;
    case 6: {
      z = gen_bool(g, depth - 1);
      x = gen_int(g, depth - 1, &b1);
      y = gen_int(g, depth - 1, &b2);
      *bound = b1 > b2 ? b1 : b2;
      s = dt_rng_pct(g->r, 75) ? fmt("CASE WHEN %s THEN %s ELSE %s END", z, x, y)
                               : fmt("CASE WHEN %s THEN %s END", z, x);
      free(z);
      break;
    }
    case 7: {
      x = gen_int(g, depth - 1, &b1);
      y = gen_int(g, depth - 1, &b2);
      *bound = b1 > b2 ? b1 : b2;
      s = fmt(dt_rng_pct(g->r, 70) ? "coalesce(%s, %s)" : "nullif(%s, %s)", x, y);
      break;
    }
    case 8:
      x = gen_str(g, depth - 1, false);
      y = NULL;
      *bound = 64;
      s = fmt("length(%s)", x);
      break;
    default:
      return gen_leaf(g, DT_INT, bound);
  }
  free(x);
  free(y);
  return s;
}

static char *gen_dbl(DtGen *g, int depth) {
  int choice = depth <= 0 ? 0 : (int)dt_rng_range(g->r, 0, 11);
  int64_t b;
  char *x = NULL, *y = NULL, *s;
  static const char *const ops[] = {"+", "-", "*", "/"};
  switch (choice) {
    case 1: case 2: case 3: {
      x = gen_dbl(g, depth - 1);
      y = dt_rng_pct(g->r, 70) ? gen_dbl(g, depth - 1) : gen_int(g, depth - 1, &b);
      /* Inside an aggregate, values stay exact (multiples of 2^-k), so a
      ** sum does not depend on the order rows are added in. */
      const char *op = ops[dt_rng_range(g->r, 0, g->exact ? 2 : 3)];
      s = dt_rng_pct(g->r, 50) ? fmt("(%s %s %s)", x, op, y) : fmt("(%s %s %s)", y, op, x);
      break;
    }
    case 4: {
      static const char *const fns[] = {"abs", "round", "floor", "ceil", "-"};
      const char *f = fns[dt_rng_range(g->r, 0, 4)];
      x = gen_dbl(g, depth - 1);
      s = f[0] == '-' ? fmt("(- %s)", x) : fmt("%s(%s)", f, x);
      break;
    }
    case 5:
      x = gen_int(g, depth - 1, &b);
      s = fmt("CAST(%s AS DOUBLE)", x);
      break;
    case 6: {
      char *c = gen_bool(g, depth - 1);
      x = gen_dbl(g, depth - 1);
      y = gen_dbl(g, depth - 1);
      s = fmt("CASE WHEN %s THEN %s ELSE %s END", c, x, y);
      free(c);
      break;
    }
    case 7:
      x = gen_dbl(g, depth - 1);
      y = gen_dbl(g, depth - 1);
      s = fmt("coalesce(%s, %s)", x, y);
      break;
    default:
      return gen_leaf(g, DT_DBL, &b);
  }
  free(x);
  free(y);
  return s;
}

static char *gen_str(DtGen *g, int depth, bool lower_only) {
  int choice = depth <= 0 ? 0 : (int)dt_rng_range(g->r, 0, 11);
  int64_t b;
  char *x = NULL, *y = NULL, *s;
  switch (choice) {
    case 1:
      x = gen_str(g, depth - 1, lower_only);
      s = fmt(lower_only || dt_rng_pct(g->r, 50) ? "lower(%s)" : "upper(%s)", x);
      break;
    case 2: case 3:
      x = gen_str(g, depth - 1, lower_only);
      y = gen_str(g, depth - 1, lower_only);
      s = fmt("(%s || %s)", x, y);
      break;
    case 4:
      x = gen_str(g, depth - 1, lower_only);
      s = fmt("substr(%s, %d, %d)", x, (int)dt_rng_range(g->r, 1, 4),
              (int)dt_rng_range(g->r, 0, 4));
      break;
    case 5:
      x = gen_str(g, depth - 1, lower_only);
      s = fmt("trim((' ' || %s || ' '))", x);
      break;
    case 6:
      x = gen_str(g, depth - 1, lower_only);
      y = gen_str(g, depth - 1, lower_only);
      s = fmt("coalesce(%s, %s)", x, y);
      break;
    case 7: {
      char *c = gen_bool(g, depth - 1);
      x = gen_str(g, depth - 1, lower_only);
      y = gen_str(g, depth - 1, lower_only);
      s = fmt("CASE WHEN %s THEN %s ELSE %s END", c, x, y);
      free(c);
      break;
    }
    case 8:
      x = gen_int(g, depth - 1, &b);
      s = fmt("CAST(%s AS VARCHAR)", x);
      break;
    default:
      x = gen_leaf(g, DT_STR, &b);
      if (!lower_only || !g->keys) return x;
      /* Keys and aggregates may hold upper(): keep LIKE operands lower. */
      s = fmt("lower(%s)", x);
      break;
  }
  free(x);
  free(y);
  return s;
}

/* A comparison operand pair of one family: numbers or strings. */
static void gen_pair(DtGen *g, int depth, char **x, char **y, bool *is_str) {
  int64_t b;
  *is_str = dt_rng_pct(g->r, 30);
  if (*is_str) {
    *x = gen_str(g, depth, false);
    *y = gen_str(g, depth, false);
  } else {
    *x = dt_rng_pct(g->r, 50) ? gen_int(g, depth, &b) : gen_dbl(g, depth);
    *y = dt_rng_pct(g->r, 50) ? gen_int(g, depth, &b) : gen_dbl(g, depth);
  }
}

static char *gen_bool(DtGen *g, int depth) {
  static const char *const cmp[] = {"=", "<>", "<", "<=", ">", ">="};
  int choice = (int)dt_rng_range(g->r, 0, depth <= 0 ? 5 : 11);
  int64_t b;
  char *x = NULL, *y = NULL, *z = NULL, *s;
  bool is_str;
  int d = depth > 0 ? depth - 1 : 0;
  switch (choice) {
    case 0: case 1: case 2:
      gen_pair(g, d, &x, &y, &is_str);
      s = fmt("(%s %s %s)", x, cmp[dt_rng_range(g->r, 0, 5)], y);
      break;
    case 3:
      x = gen_of(g, (DtType)dt_rng_range(g->r, 0, 2), d, &b);
      s = fmt("(%s IS %sNULL)", x, dt_rng_pct(g->r, 50) ? "NOT " : "");
      break;
    case 4:
      gen_pair(g, d, &x, &y, &is_str);
      z = is_str ? gen_str(g, d, false) : gen_int(g, d, &b);
      s = fmt("(%s %sBETWEEN %s AND %s)", x, dt_rng_pct(g->r, 30) ? "NOT " : "", y, z);
      break;
    case 5: {
      DtType t = (DtType)dt_rng_range(g->r, 0, 2);
      DtBuf list = {0};
      int n = (int)dt_rng_range(g->r, 1, 4);
      for (int i = 0; i < n; i++) {
        char *v = dt_rng_pct(g->r, 10) ? ed_strdup("NULL") : gen_leaf(g, t, &b);
        dt_buf_printf(&list, "%s%s", i ? ", " : "", v);
        free(v);
      }
      x = gen_of(g, t, d, &b);
      s = fmt("(%s %sIN (%s))", x, dt_rng_pct(g->r, 30) ? "NOT " : "", list.s);
      dt_buf_free(&list);
      break;
    }
    case 6: case 7:
      x = gen_bool(g, d);
      y = gen_bool(g, d);
      s = fmt("(%s %s %s)", x, dt_rng_pct(g->r, 50) ? "AND" : "OR", y);
      break;
    case 8:
      x = gen_bool(g, d);
      s = fmt("(NOT %s)", x);
      break;
    case 9: {
      static const char *const pats[] = {"a%", "%b", "%a%", "_", "__", "a_%", "%",
                                         "hello", "%l_o%", "x_y", ""};
      x = gen_str(g, d, true);
      s = fmt("(%s %sLIKE '%s')", x, dt_rng_pct(g->r, 30) ? "NOT " : "",
              pats[dt_rng_range(g->r, 0, 10)]);
      break;
    }
    default:
      gen_pair(g, d, &x, &y, &is_str);
      s = fmt("(%s %s %s)", x, cmp[dt_rng_range(g->r, 0, 5)], y);
      break;
  }
  free(x);
  free(y);
  free(z);
  return s;
}

/* An aggregate (or an expression over aggregates) of type t.  Arguments
** are plain expressions over the scope. */
static char *gen_agg(DtGen *g, DtType t, int64_t *bound) {
  DtGen plain = {g->r, g->sc, NULL, true};
  int64_t b = 0;
  char *x, *s;
  switch (t) {
    case DT_INT: {
      int c = (int)dt_rng_range(g->r, 0, 6);
      if (c <= 2) {
        *bound = DT_ROWS_MAX;
        if (c == 0) return ed_strdup("count(*)");
        DtType at = (DtType)dt_rng_range(g->r, 0, 2);
        x = gen_of(&plain, at, 1, &b);
        s = fmt(c == 1 ? "count(%s)" : "count(DISTINCT %s)", x);
      } else if (c <= 4) {
        x = gen_int(&plain, 1, &b);
        *bound = b * DT_ROWS_MAX;
        s = fmt("sum(%s)", x);
      } else {
        x = gen_int(&plain, 1, &b);
        *bound = b;
        s = fmt(c == 5 ? "min(%s)" : "max(%s)", x);
      }
      break;
    }
    case DT_DBL: {
      /* avg is DOUBLE whatever its argument; sum, min and max of an integer
      ** argument are integers, so they are cast to stay DOUBLE. */
      static const char *const f[] = {"avg(%s)", "sum(%s)", "min(%s)", "max(%s)"};
      int c = (int)dt_rng_range(g->r, 0, 3);
      bool arg_dbl = dt_rng_pct(g->r, 60);
      x = arg_dbl ? gen_dbl(&plain, 1) : gen_int(&plain, 1, &b);
      s = fmt(f[c], x);
      if (!arg_dbl && c != 0) {
        free(x);
        x = s;
        s = fmt("CAST(%s AS DOUBLE)", x);
      }
      break;
    }
    case DT_STR:
      x = gen_str(&plain, 1, false);
      s = fmt(dt_rng_pct(g->r, 50) ? "min(%s)" : "max(%s)", x);
      break;
    default: {
      int64_t bb;
      DtType at = dt_rng_pct(g->r, 70) ? DT_INT : DT_DBL;
      x = gen_agg(g, at, &bb);
      char *lit = gen_leaf(&plain, at, &bb);
      static const char *const cmp[] = {"=", "<>", "<", "<=", ">", ">="};
      s = fmt("(%s %s %s)", x, cmp[dt_rng_range(g->r, 0, 5)], lit);
      free(lit);
      break;
    }
  }
  free(x);
  return s;
}

/* ------------------------------------------------------------ queries */

/* Output of a generated SELECT: its column types and integer bounds. */
typedef struct DtSel {
  int n;
  DtType type[6];
  int64_t bound[6];
} DtSel;

static void shape_add(DtQueryInfo *info, const char *what) {
  if (strstr(info->shape, what)) return;
  size_t len = strlen(info->shape);
  snprintf(info->shape + len, sizeof info->shape - len, "%s%s", len ? "+" : "", what);
}

static char *gen_select(DtRng *r, int depth, const DtSel *want, DtSel *out,
                        DtQueryInfo *info);

/* Two tables that join on an integer key, with their row counts' product
** small enough for nested loops when the condition is not an equality. */
typedef struct DtPair {
  int l, r;
  const char *lk, *rk;
} DtPair;

static const DtPair dt_pairs[] = {
  {T1, T2, "a", "a"}, {T2, T1, "a", "a"}, {T3, T2, "a", "a"}, {T1, T3, "a", "a"},
  {T1, T4, "e", "x"}, {T3, T4, "e", "x"}, {T2, T4, "a", "x"}, {T4, T2, "x", "a"},
  {T1, T5, "a", "a"}, {T5, T1, "a", "a"}, {T4, T4, "x", "x"}, {T2, T2, "a", "d"}};
#define DT_NPAIRS ((int)(sizeof dt_pairs / sizeof *dt_pairs))

/* Builds a join of a random pair into sc; *where receives a predicate the
** caller must AND into WHERE (comma joins), or stays NULL. */
static char *gen_join(DtRng *r, DtScope *sc, char **where, DtQueryInfo *info) {
  const DtPair *p = &dt_pairs[dt_rng_range(r, 0, DT_NPAIRS - 1)];
  scope_add_table(sc, p->l, "l");
  scope_add_table(sc, p->r, "rr");
  DtGen g = {r, sc, NULL, false};
  long product = (long)dt_tables[p->l].nrows * dt_tables[p->r].nrows;
  bool small = product <= 40000;
  const char *ln = dt_tables[p->l].name, *rn = dt_tables[p->r].name;
  char *s, *extra = NULL;
  int kind = (int)dt_rng_range(r, 0, 9);
  shape_add(info, "join");
  if (kind <= 5 || !small) {
    /* Equality on the key, maybe with more conditions over both sides. */
    bool left = kind >= 3 && kind <= 5;
    if (dt_rng_pct(r, 35)) extra = gen_bool(&g, 1);
    s = fmt("%s AS l %s JOIN %s AS rr ON (l.%s = rr.%s)%s%s", ln, left ? "LEFT" : "INNER",
            rn, p->lk, p->rk, extra ? " AND " : "", extra ? extra : "");
    if (left) shape_add(info, "left");
  } else if (kind == 6) {
    s = fmt("%s AS l CROSS JOIN %s AS rr", ln, rn);
    shape_add(info, "cross");
  } else if (kind == 7) {
    s = fmt("%s AS l, %s AS rr", ln, rn);
    *where = fmt("(l.%s = rr.%s)", p->lk, p->rk);
  } else {
    /* A condition that is not an equality: nested loops. */
    static const char *const ops[] = {"<", "<=", ">", "<>"};
    extra = gen_bool(&g, 1);
    s = fmt("%s AS l %s JOIN %s AS rr ON ((l.%s %s rr.%s) %s %s)", ln,
            kind == 8 ? "INNER" : "LEFT", rn, p->lk, ops[dt_rng_range(r, 0, 3)], p->rk,
            dt_rng_pct(r, 50) ? "AND" : "OR", extra);
    shape_add(info, "nonequi");
  }
  free(extra);
  /* Sometimes a third table, on an equality with the small one. */
  if (p->l != T3 && p->r != T3 && p->l != T4 && p->r != T4 && dt_rng_pct(r, 20)) {
    char *t = s;
    const char *key = dt_tables[p->l].cols[0].name;   /* "a" */
    s = fmt("%s %s JOIN t4 AS r3 ON (r3.x = (l.%s %% 6))", t,
            dt_rng_pct(r, 50) ? "INNER" : "LEFT", key);
    free(t);
    scope_add_table(sc, T4, "r3");
    shape_add(info, "join3");
  }
  return s;
}

/* Builds a FROM clause into sc: a table, a join, or a subquery. */
static char *gen_from(DtRng *r, int depth, DtScope *sc, char **where,
                      DtQueryInfo *info) {
  int c = (int)dt_rng_range(r, 0, 99);
  if (c < 30 && depth > 0) {
    DtSel sub;
    char *q = gen_select(r, depth - 1, NULL, &sub, info);
    for (int i = 0; i < sub.n; i++) {
      char name[16];
      snprintf(name, sizeof name, "c%d", i);
      scope_add(sc, "s", name, sub.type[i], sub.bound[i]);
    }
    shape_add(info, "subquery");
    char *s = fmt("(%s) AS s", q);
    free(q);
    return s;
  }
  if (c < 65) return gen_join(r, sc, where, info);
  int t = dt_rng_pct(r, 5) ? T5 : (int)dt_rng_range(r, T1, T4);
  if (dt_rng_pct(r, 50)) {
    scope_add_table(sc, t, NULL);
    return ed_strdup(dt_tables[t].name);
  }
  scope_add_table(sc, t, "q");
  return fmt("%s AS q", dt_tables[t].name);
}

/* A random column type for a select item. */
static DtType random_type(DtRng *r, bool allow_bool) {
  int c = (int)dt_rng_range(r, 0, 99);
  if (c < 35) return DT_INT;
  if (c < 60) return DT_DBL;
  if (c < 90 || !allow_bool) return DT_STR;
  return DT_BOOL;
}

/* A group key: a column, or a simple expression over one.  Never a
** constant: SQLite reads an integer constant in GROUP BY as a column
** position. */
static char *gen_key(DtRng *r, const DtScope *sc, DtType *type, int64_t *bound) {
  const DtCol *c = &sc->c[dt_rng_range(r, 0, sc->n - 1)];
  *type = c->type;
  *bound = c->bound;
  if (c->type == DT_BOOL || dt_rng_pct(r, 65)) return ed_strdup(c->ref);
  int k = (int)dt_rng_range(r, 0, 2);
  if (c->type == DT_INT) {
    if (k == 0) return fmt("(%s %% %d)", c->ref, (int)dt_rng_range(r, 2, 7));
    if (k == 1) return fmt("abs(%s)", c->ref);
    *bound += 10;
    return fmt("(%s + %d)", c->ref, (int)dt_rng_range(r, -10, 10));
  }
  if (c->type == DT_DBL) {
    if (k == 0) return fmt("floor(%s)", c->ref);
    if (k == 1) return fmt("(%s * 2.5)", c->ref);
    return fmt("round(%s)", c->ref);
  }
  if (k == 0) return fmt("lower(%s)", c->ref);
  if (k == 1) return fmt("substr(%s, 1, %d)", c->ref, (int)dt_rng_range(r, 1, 2));
  return fmt("(%s || 'x')", c->ref);
}

/* Appends "expr AS cN" (or just expr) to the select list. */
static void add_item(DtBuf *b, int i, const char *expr, bool alias) {
  dt_buf_printf(b, "%s%s", i ? ", " : "", expr);
  if (alias) dt_buf_printf(b, " AS c%d", i);
}

/* A SELECT (no ORDER BY) whose columns have the types of want, or random
** ones; output columns are always named c0, c1, ... */
static char *gen_select(DtRng *r, int depth, const DtSel *want, DtSel *out,
                        DtQueryInfo *info) {
  DtScope sc = {0};
  char *where_join = NULL;
  char *from = gen_from(r, depth, &sc, &where_join, info);
  DtGen plain = {r, &sc, NULL, false};
  DtBuf q = {0};
  int kind = (int)dt_rng_range(r, 0, 99);   /* <50 plain, <65 aggregate, else group */
  out->n = want ? want->n : (int)dt_rng_range(r, 1, 4);
  for (int i = 0; i < out->n; i++) out->type[i] = want ? want->type[i] : random_type(r, kind < 50);

  DtKeys keys = {0};
  if (kind >= 65) {
    keys.n = (int)dt_rng_range(r, 1, 2);
    for (int k = 0; k < keys.n; k++) keys.text[k] = gen_key(r, &sc, &keys.type[k], &keys.bound[k]);
  }
  DtGen agg = {r, &sc, &keys, false};
  bool distinct = kind < 50 ? dt_rng_pct(r, 20) : dt_rng_pct(r, 5);
  dt_buf_printf(&q, "SELECT %s", distinct ? "DISTINCT " : "");
  for (int i = 0; i < out->n; i++) {
    char *e;
    out->bound[i] = 0;
    if (kind < 50) e = gen_of(&plain, out->type[i], (int)dt_rng_range(r, 0, 2), &out->bound[i]);
    else e = gen_of(&agg, out->type[i], (int)dt_rng_range(r, 0, 1), &out->bound[i]);
    add_item(&q, i, e, true);
    free(e);
  }
  dt_buf_printf(&q, " FROM %s", from);
  char *where = dt_rng_pct(r, 65) ? gen_bool(&plain, (int)dt_rng_range(r, 0, 2)) : NULL;
  if (where || where_join)
    dt_buf_printf(&q, " WHERE %s%s%s", where_join ? where_join : "",
                  where && where_join ? " AND " : "", where ? where : "");
  if (kind >= 50 && kind < 65) shape_add(info, "aggregate");
  if (kind >= 65) {
    shape_add(info, "group");
    dt_buf_printf(&q, " GROUP BY ");
    for (int k = 0; k < keys.n; k++) dt_buf_printf(&q, "%s%s", k ? ", " : "", keys.text[k]);
    if (dt_rng_pct(r, 35)) {
      char *h = gen_bool(&agg, 1);
      dt_buf_printf(&q, " HAVING %s", h);
      shape_add(info, "having");
      free(h);
    }
  }
  if (distinct) shape_add(info, "distinct");
  for (int k = 0; k < keys.n; k++) free(keys.text[k]);
  free(where);
  free(where_join);
  free(from);
  return q.s;
}

/* ORDER BY over every output column (a random permutation, random
** directions, by position or, when names is set, by the c0.. aliases),
** maybe with LIMIT/OFFSET; or nothing. */
static void gen_order(DtRng *r, int ncols, bool names, DtBuf *q, DtQueryInfo *info) {
  static const char *const nulls[] = {"", " NULLS FIRST", " NULLS LAST"};
  if (!dt_rng_pct(r, 45)) return;
  int perm[24];
  for (int i = 0; i < ncols; i++) perm[i] = i + 1;
  for (int i = ncols - 1; i > 0; i--) {
    int j = (int)dt_rng_range(r, 0, i), t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  dt_buf_printf(q, " ORDER BY ");
  for (int i = 0; i < ncols; i++) {
    const char *dir = dt_rng_pct(r, 40) ? " DESC" : "";
    const char *nl = nulls[dt_rng_pct(r, 15) ? dt_rng_range(r, 1, 2) : 0];
    if (names && dt_rng_pct(r, 40)) dt_buf_printf(q, "%sc%d%s%s", i ? ", " : "", perm[i] - 1, dir, nl);
    else dt_buf_printf(q, "%s%d%s%s", i ? ", " : "", perm[i], dir, nl);
  }
  info->ordered = true;
  shape_add(info, "order");
  if (dt_rng_pct(r, 45)) {
    dt_buf_printf(q, " LIMIT %d", (int)dt_rng_range(r, 0, 30));
    if (dt_rng_pct(r, 40)) dt_buf_printf(q, " OFFSET %d", (int)dt_rng_range(r, 0, 20));
    shape_add(info, "limit");
  }
}

/* SELECT [DISTINCT] * over a table or a join, with a filter. */
static char *gen_star(DtRng *r, DtQueryInfo *info) {
  DtScope sc = {0};
  char *where_join = NULL;
  char *from = gen_from(r, 1, &sc, &where_join, info);
  DtGen g = {r, &sc, NULL, false};
  char *where = dt_rng_pct(r, 70) ? gen_bool(&g, 1) : NULL;
  DtBuf q = {0};
  dt_buf_printf(&q, "SELECT %s* FROM %s", dt_rng_pct(r, 20) ? "DISTINCT " : "", from);
  if (where || where_join)
    dt_buf_printf(&q, " WHERE %s%s%s", where_join ? where_join : "",
                  where && where_join ? " AND " : "", where ? where : "");
  shape_add(info, "star");
  gen_order(r, sc.n, false, &q, info);
  free(where);
  free(where_join);
  free(from);
  return q.s;
}

/* A compound query: 2 or 3 SELECTs with the same column types.  Set
** operations are applied left to right; INTERSECT binds tighter in
** standard SQL than in SQLite, so it only appears where both agree. */
static char *gen_setop(DtRng *r, DtQueryInfo *info) {
  static const char *const ops[] = {"UNION ALL", "UNION", "EXCEPT", "INTERSECT"};
  DtSel want = {0}, got;
  want.n = (int)dt_rng_range(r, 1, 3);
  for (int i = 0; i < want.n; i++) want.type[i] = random_type(r, false);
  int arms = dt_rng_pct(r, 25) ? 3 : 2;
  DtBuf q = {0};
  int first_op = -1;
  for (int a = 0; a < arms; a++) {
    if (a) {
      int op = (int)dt_rng_range(r, 0, 3);
      if (a == 2 && op == 3 && first_op != 3) op = 1;
      if (a == 1) first_op = op;
      dt_buf_printf(&q, " %s ", ops[op]);
    }
    char *s = gen_select(r, 0, &want, &got, info);
    dt_buf_printf(&q, "%s", s);
    free(s);
  }
  shape_add(info, "setop");
  gen_order(r, want.n, false, &q, info);
  return q.s;
}

void dt_gen_query(DtRng *rng, DtBuf *out, DtQueryInfo *info) {
  memset(info, 0, sizeof *info);
  int c = (int)dt_rng_range(rng, 0, 99);
  char *s;
  if (c < 5) {
    /* Constants only: SELECT without FROM. */
    DtScope empty = {0};
    DtGen g = {rng, &empty, NULL, false};
    DtBuf q = {0};
    int n = (int)dt_rng_range(rng, 1, 3);
    dt_buf_printf(&q, "SELECT ");
    for (int i = 0; i < n; i++) {
      char *e = gen_of(&g, random_type(rng, true), 2, NULL);
      add_item(&q, i, e, false);
      free(e);
    }
    shape_add(info, "constant");
    s = q.s;
  } else if (c < 20) {
    s = gen_setop(rng, info);
  } else if (c < 26) {
    s = gen_star(rng, info);
  } else {
    DtSel sel;
    DtBuf q = {0};
    char *body = gen_select(rng, 1, NULL, &sel, info);
    dt_buf_printf(&q, "%s", body);
    free(body);
    gen_order(rng, sel.n, true, &q, info);
    s = q.s;
  }
  dt_buf_printf(out, "%s", s);
  free(s);
}
