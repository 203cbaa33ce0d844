/*
** tests/slt/test_slt_render.c — checks the sqllogictest runner's value
** rendering against SQLite's own conversions (the corpus was produced by
** SQLite, so its results print values the way SQLite converts them), plus
** MD5 against RFC 1321's test suite and the sort modes against
** hand-checked orders.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/tap.h"
#include "md5.h"
#include "slt_result.h"

static sqlite3 *db;
static sqlite3_stmt *sel;     /* SELECT ?1 */

/* Binds a double / text to SELECT ?1 and steps to its row. */
static void select_double(double d) {
  sqlite3_reset(sel);
  sqlite3_bind_double(sel, 1, d);
  sqlite3_step(sel);
}
static void select_text(const char *s) {
  sqlite3_reset(sel);
  sqlite3_bind_text(sel, 1, s, -1, SQLITE_STATIC);
  sqlite3_step(sel);
}

static void test_md5(void) {
  static const char *in[] = {
    "", "a", "abc", "message digest", "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "1234567890123456789012345678901234567890123456789012345678901234567890"
    "1234567890"};
  static const char *want[] = {
    "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
    "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
    "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
    "57edf4a22be3c955ac49da2e2107b67a"};
  for (int i = 0; i < 7; i++) {
    SltMd5 m;
    char hex[33];
    slt_md5_init(&m);
    /* Feed in uneven pieces to exercise the block buffering. */
    size_t n = strlen(in[i]), off = 0, step = 1;
    while (off < n) {
      size_t take = step < n - off ? step : n - off;
      slt_md5_update(&m, in[i] + off, take);
      off += take;
      step = step * 3 + 1;
    }
    slt_md5_final_hex(&m, hex);
    TAP_EQ_STR(hex, want[i], "md5 RFC 1321 test suite");
  }
}

/* Doubles worth checking: ties at the 4th decimal, negatives, integers,
** tiny and large magnitudes, and pseudo-random values. */
static int sample_doubles(double *out, int cap) {
  int n = 0;
  for (int k = -40; k <= 40 && n < cap; k++) out[n++] = k / 16.0;
  for (int k = -20; k <= 20 && n < cap; k++) out[n++] = k * 0.0005;
  double fixed[] = {0.0, -0.0, 1e-9, -1e-9, 123456789.125, -98765.4321,
                    1e12 + 0.0625, 2.675, 1.0005, -1.0005, 0.1, 1.0 / 3};
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed && n < cap; i++) out[n++] = fixed[i];
  uint64_t x = 88172645463325252ULL;
  while (n < cap) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double v = (double)(int64_t)(x % 2000000001ULL - 1000000000LL) / (double)(1 + x % 9973);
    out[n++] = v;
  }
  return n;
}

static void test_real3(void) {
  double v[600];
  int n = sample_doubles(v, 600), bad = 0;
  for (int i = 0; i < n; i++) {
    char mine[64], ref[64];
    slt_format_real3(v[i], mine, sizeof mine);
    sqlite3_snprintf(sizeof ref, ref, "%.3f", v[i]);
    if (strcmp(mine, ref) != 0 && bad++ < 5)
      printf("# %.17g: got %s, SQLite %s\n", v[i], mine, ref);
  }
  TAP_EQ_INT(bad, 0, "R values print as SQLite's %.3f");
}

static void test_real_text(void) {
  double v[600];
  int n = sample_doubles(v, 600), bad = 0;
  double extra[] = {1e20, -1e20, 1.5e-7, 1e15, 1e16, 123456789012345678.0};
  for (int i = 0; i < n + 6; i++) {
    double d = i < n ? v[i] : extra[i - n];
    char mine[64];
    slt_format_real_text(d, mine, sizeof mine);
    select_double(d);
    const char *ref = (const char *)sqlite3_column_text(sel, 0);
    if (strcmp(mine, ref) != 0 && bad++ < 5) printf("# %.17g: got %s, SQLite %s\n", d, mine, ref);
  }
  TAP_EQ_INT(bad, 0, "REAL in a T column prints as SQLite's text of a REAL");
}

static void test_int_conversions(void) {
  double v[600];
  int n = sample_doubles(v, 600), bad = 0;
  double extra[] = {1e19, -1e19, 9.2233720368547758e18, -9.2233720368547758e18, 0.999, -0.999};
  for (int i = 0; i < n + 6; i++) {
    double d = i < n ? v[i] : extra[i - n];
    select_double(d);
    if (slt_double_to_int64(d) != sqlite3_column_int64(sel, 0) && bad++ < 5)
      printf("# %.17g: got %lld, SQLite %lld\n", d, (long long)slt_double_to_int64(d),
             (long long)sqlite3_column_int64(sel, 0));
  }
  TAP_EQ_INT(bad, 0, "DOUBLE in an I column truncates as sqlite3_column_int64");

  const char *texts[] = {"12", " 42", "-7", "+8", "12abc", "abc", "", "3.9",
                         "-3.9", "1e3", "99999999999999999999", "-99999999999999999999",
                         "0x10", ".5", "  -0012"};
  bad = 0;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    select_text(texts[i]);
    int64_t ri = sqlite3_column_int64(sel, 0);
    double rd = sqlite3_column_double(sel, 0);
    int64_t mi = slt_text_to_int64(texts[i], strlen(texts[i]));
    double md = slt_text_to_double(texts[i], strlen(texts[i]));
    if (mi != ri && bad++ < 5)
      printf("# \"%s\": I got %lld, SQLite %lld\n", texts[i], (long long)mi, (long long)ri);
    if (md != rd && bad++ < 5) printf("# \"%s\": R got %g, SQLite %g\n", texts[i], md, rd);
  }
  TAP_EQ_INT(bad, 0, "text in I and R columns converts as SQLite does");
}

static void test_text_and_sort(void) {
  SltResult r;
  slt_result_init(&r);
  TAP_EQ_STR(slt_render_text(&r, "", 0, 'T'), "(empty)", "empty string is (empty)");
  TAP_EQ_STR(slt_render_text(&r, "a\tb\x7f" "c\xc3", 6, 'T'), "a@b@c@",
             "bytes outside space..~ print as @");

  /* rowsort compares rendered text column by column: "10" < "9". */
  const char *vals[] = {"9", "b", "10", "z", "9", "a", "NULL", "c"};
  r.ncols = 2;
  for (int i = 0; i < 8; i++) slt_result_add(&r, vals[i]);
  slt_result_sort(&r, SLT_ROWSORT);
  char got[128] = "";
  for (int i = 0; i < r.nvals; i++) strcat(strcat(got, r.vals[i]), " ");
  TAP_EQ_STR(got, "10 z 9 a 9 b NULL c ", "rowsort sorts rows by strcmp");
  slt_result_sort(&r, SLT_VALUESORT);
  got[0] = 0;
  for (int i = 0; i < r.nvals; i++) strcat(strcat(got, r.vals[i]), " ");
  TAP_EQ_STR(got, "10 9 9 NULL a b c z ", "valuesort sorts every value");

  /* md5 of "1\n2\n3\n", computed with md5sum. */
  slt_result_reset(&r);
  r.ncols = 1;
  slt_result_add(&r, "1");
  slt_result_add(&r, "2");
  slt_result_add(&r, "3");
  char hex[33];
  slt_result_hash(&r, hex);
  TAP_EQ_STR(hex, "c0710d6b4f15dfa88f600b0e6b624077", "hash is md5 of values + newlines");
  slt_result_free(&r);
}

int main(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT ?1", -1, &sel, NULL) != SQLITE_OK) {
    printf("Bail out! cannot open SQLite\n");
    return 1;
  }
  test_md5();
  test_real3();
  test_real_text();
  test_int_conversions();
  test_text_and_sort();
  sqlite3_finalize(sel);
  sqlite3_close(db);
  return tap_done();
}
