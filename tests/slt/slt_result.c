/*
** tests/slt/slt_result.c — rendering, sorting, hashing and checking of
** query results in the sqllogictest format (see slt_result.h).
*/
#include "slt_result.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md5.h"

void slt_result_init(SltResult *r) {
  memset(r, 0, sizeof *r);
  ed_arena_init(&r->arena, 1 << 14);
}

void slt_result_reset(SltResult *r) {
  r->ncols = 0;
  r->nvals = 0;
  ed_arena_reset(&r->arena);
}

void slt_result_free(SltResult *r) {
  free(r->vals);
  ed_arena_free(&r->arena);
  memset(r, 0, sizeof *r);
}

void slt_result_push(SltResult *r, const char *text) {
  if (r->nvals == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 256;
    r->vals = ed_realloc(r->vals, (size_t)r->cap * sizeof *r->vals);
  }
  r->vals[r->nvals++] = text;
}

void slt_result_add(SltResult *r, const char *text) {
  slt_result_push(r, ed_arena_strdup(&r->arena, text));
}

/* ------------------------------------------------ SQLite's conversions */

int64_t slt_double_to_int64(double d) {
  /* sqlite3VdbeIntValue on a REAL: clamp at the ends, truncate inside. */
  if (isnan(d)) return 0;
  if (d <= (double)INT64_MIN) return INT64_MIN;
  if (d >= (double)INT64_MAX) return INT64_MAX;
  return (int64_t)d;
}

int64_t slt_text_to_int64(const char *s, size_t n) {
  /* sqlite3Atoi64: leading spaces, a sign, then digits up to the first
  ** non-digit; saturates on overflow. */
  size_t i = 0;
  while (i < n && isspace((unsigned char)s[i])) i++;
  bool neg = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  uint64_t v = 0;
  bool overflow = false;
  for (; i < n && isdigit((unsigned char)s[i]); i++) {
    if (v > (UINT64_MAX - 9) / 10) overflow = true;
    else v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (neg) return (overflow || v > (uint64_t)INT64_MAX + 1) ? INT64_MIN : (int64_t)(0 - v);
  return (overflow || v > (uint64_t)INT64_MAX) ? INT64_MAX : (int64_t)v;
}

double slt_text_to_double(const char *s, size_t n) {
  /* sqlite3AtoF reads the longest decimal prefix; it knows no "inf", "nan"
  ** or hex, so only text that starts like a decimal number is parsed. */
  char buf[128];
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = 0;
  const char *p = buf;
  while (isspace((unsigned char)*p)) p++;
  const char *q = p;
  if (*q == '-' || *q == '+') q++;
  if (!isdigit((unsigned char)*q) && !(*q == '.' && isdigit((unsigned char)q[1])))
    return 0.0;
  for (const char *x = q; *x; x++)
    if (*x == 'x' || *x == 'X') {   /* keep strtod off hex floats */
      buf[x - buf] = 0;
      break;
    }
  return strtod(p, NULL);
}

void slt_format_real_text(double d, char *buf, size_t cap) {
  if (isnan(d)) {
    snprintf(buf, cap, "NaN");
    return;
  }
  if (isinf(d)) {
    snprintf(buf, cap, d < 0 ? "-Inf" : "Inf");
    return;
  }
  char tmp[64];
  if (d == 0) d = 0.0;      /* SQLite prints -0.0 as 0.0 */
  snprintf(tmp, sizeof tmp, "%.15g", d);
  /* The '!' flag of SQLite's printf: always show a decimal point. */
  char *e = strchr(tmp, 'e');
  if (strchr(tmp, '.') == NULL) {
    if (e) {
      snprintf(buf, cap, "%.*s.0%s", (int)(e - tmp), tmp, e);
    } else {
      snprintf(buf, cap, "%s.0", tmp);
    }
    return;
  }
  snprintf(buf, cap, "%s", tmp);
}

void slt_format_real3(double d, char *buf, size_t cap) {
  if (isnan(d) || isinf(d)) {
    slt_format_real_text(d, buf, cap);
    return;
  }
  /* SQLite adds half a unit of the last printed digit to the magnitude
  ** (in long double), plus a relative nudge of 3e-16 when the value has
  ** few integer digits, then truncates: ties round away from zero. */
  bool neg = d < 0;
  long double v = neg ? -(long double)d : (long double)d;
  double rounder = 5.0e-04;
  int ex = -1023;           /* IEEE exponent: |d| = 1.f * 2^ex */
  if (d != 0) {
    frexp(d, &ex);
    ex -= 1;
  }
  if (3 + ex / 3 < 15) rounder += (double)(v * 3e-16L);
  v += rounder;
  if (v >= 1e15L) {
    snprintf(buf, cap, "%s%.3Lf", neg ? "-" : "", v - rounder);
    return;
  }
  uint64_t q = (uint64_t)floorl(v * 1000.0L);
  snprintf(buf, cap, "%s%" PRIu64 ".%03u", neg ? "-" : "", q / 1000,
           (unsigned)(q % 1000));
}

/* ---------------------------------------------------------- rendering */

void slt_render_int(int64_t v, char ch, char *buf, size_t cap) {
  if (ch == 'R') slt_format_real3((double)v, buf, cap);
  else snprintf(buf, cap, "%" PRId64, v);
}

void slt_render_double(double v, char ch, char *buf, size_t cap) {
  if (ch == 'I') snprintf(buf, cap, "%" PRId64, slt_double_to_int64(v));
  else if (ch == 'R') slt_format_real3(v, buf, cap);
  else slt_format_real_text(v, buf, cap);
}

const char *slt_render_text(SltResult *r, const char *s, size_t n, char ch) {
  char num[64];
  if (ch == 'I') {
    snprintf(num, sizeof num, "%" PRId64, slt_text_to_int64(s, n));
    return ed_arena_strdup(&r->arena, num);
  }
  if (ch == 'R') {
    slt_format_real3(slt_text_to_double(s, n), num, sizeof num);
    return ed_arena_strdup(&r->arena, num);
  }
  if (n == 0) return "(empty)";
  char *out = ed_arena_strndup(&r->arena, s, n);
  for (size_t i = 0; i < n; i++)
    if (out[i] < ' ' || out[i] > '~') out[i] = '@';
  return out;
}

/* ------------------------------------------------------------ sorting */

static int cmp_value(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compares two rows (pointers to their first value) column by column. */
static int cmp_row(const void *a, const void *b, void *arg) {
  int ncols = *(const int *)arg;
  const char *const *ra = *(const char **const *)a;
  const char *const *rb = *(const char **const *)b;
  for (int i = 0; i < ncols; i++) {
    int c = strcmp(ra[i], rb[i]);
    if (c) return c;
  }
  return 0;
}

void slt_result_sort(SltResult *r, SltSort sort) {
  if (sort == SLT_VALUESORT || (sort == SLT_ROWSORT && r->ncols <= 1)) {
    qsort(r->vals, (size_t)r->nvals, sizeof *r->vals, cmp_value);
    return;
  }
  if (sort != SLT_ROWSORT || r->nvals == 0) return;
  assert(r->nvals % r->ncols == 0);
  int nrows = r->nvals / r->ncols;
  const char ***rows = ed_malloc((size_t)nrows * sizeof *rows);
  for (int i = 0; i < nrows; i++) rows[i] = r->vals + (size_t)i * r->ncols;
  qsort_r(rows, (size_t)nrows, sizeof *rows, cmp_row, &r->ncols);
  const char **sorted = ed_malloc((size_t)r->nvals * sizeof *sorted);
  for (int i = 0; i < nrows; i++)
    memcpy(sorted + (size_t)i * r->ncols, rows[i], (size_t)r->ncols * sizeof *sorted);
  memcpy(r->vals, sorted, (size_t)r->nvals * sizeof *sorted);
  free(sorted);
  free(rows);
}

void slt_result_hash(const SltResult *r, char hex[33]) {
  SltMd5 m;
  slt_md5_init(&m);
  for (int i = 0; i < r->nvals; i++) {
    slt_md5_update(&m, r->vals[i], strlen(r->vals[i]));
    slt_md5_update(&m, "\n", 1);
  }
  slt_md5_final_hex(&m, hex);
}

/* ----------------------------------------------------------- checking */

/* Appends up to max values of vals to out as "a, b, c, ..." */
static void list_values(char *out, size_t cap, const char *const *vals, int n,
                        int max) {
  size_t len = strlen(out);
  for (int i = 0; i < n && i < max && len + 1 < cap; i++) {
    len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", vals[i]);
    if (len >= cap) return;
  }
  if (n > max && len + 1 < cap) snprintf(out + len, cap - len, ", ...");
}

/* Parses "N values hashing to H"; returns true and fills *n, hash. */
static bool parse_hash_line(const char *line, int *n, char hash[33]) {
  char h[64];
  if (sscanf(line, "%d values hashing to %63s", n, h) != 2) return false;
  if (strlen(h) != 32) return false;
  memcpy(hash, h, 33);
  return true;
}

bool slt_result_check(const SltResult *r, const SltRecord *rec, char *why,
                      size_t cap) {
  int want_n;
  char want_hash[33];
  why[0] = 0;
  if (rec->nexpected == 1 && parse_hash_line(rec->expected[0], &want_n, want_hash)) {
    char got_hash[33];
    slt_result_hash(r, got_hash);
    if (want_n == r->nvals && strcmp(want_hash, got_hash) == 0) return true;
    snprintf(why, cap, "expected %d values hashing to %s\n  got      %d values hashing to %s\n  got values: ",
             want_n, want_hash, r->nvals, got_hash);
    list_values(why, cap, r->vals, r->nvals, 12);
    return false;
  }
  int first_diff = -1;
  for (int i = 0; i < r->nvals && i < rec->nexpected && first_diff < 0; i++)
    if (strcmp(r->vals[i], rec->expected[i]) != 0) first_diff = i;
  if (first_diff < 0 && r->nvals == rec->nexpected) return true;
  snprintf(why, cap, "expected %d values: ", rec->nexpected);
  list_values(why, cap, rec->expected, rec->nexpected, 12);
  size_t len = strlen(why);
  if (len + 1 < cap) snprintf(why + len, cap - len, "\n  got      %d values: ", r->nvals);
  list_values(why, cap, r->vals, r->nvals, 12);
  len = strlen(why);
  if (first_diff >= 0 && len + 1 < cap)
    snprintf(why + len, cap - len, "\n  first difference at value %d: expected %s, got %s",
             first_diff + 1, rec->expected[first_diff], r->vals[first_diff]);
  return false;
}
