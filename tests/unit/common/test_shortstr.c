/*
** tests/unit/common/test_shortstr.c — short-string compare and keys
** (common/shortstr.h), checked against memcmp on random strings.
**
** Strings sit at the end of a buffer whose next page is unmapped, so a
** load past a string's end (when it may not read on) crashes the test.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/shortstr.h"
#include "tests/unit/tap.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* A page of bytes followed by an unmapped page: the last bytes of the
** first page are the last readable ones. */
static char *guarded_page(void) {
  long pg = sysconf(_SC_PAGESIZE);
  char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return NULL;
  mprotect(m + pg, (size_t)pg, PROT_NONE);
  return m + pg;            /* the end of the readable page */
}

/* Fills s[0..n) with bytes from a small alphabet (so equal strings and
** near misses are frequent), zero bytes included. */
static void fill(char *s, uint32_t n) {
  static const char alpha[] = {'a', 'b', 0, '/', (char)0xff};
  for (uint32_t i = 0; i < n; i++) s[i] = alpha[rnd() % sizeof alpha];
}

static void test_equal_and_key(char *end) {
  int bad_equal = 0, bad_key = 0, bad_readable = 0, pairs = 0;
  for (int round = 0; round < 200000; round++) {
    uint32_t n = (uint32_t)(rnd() % (ED_SHORTSTR_MAX + 1));
    char a[ED_SHORTSTR_MAX + 16], *b = end - n;   /* b ends at the guard */
    fill(a, n);
    memcpy(b, a, n);
    if (n && rnd() % 2) b[rnd() % n] ^= (char)(1 + rnd() % 3);
    bool same = memcmp(a, b, n) == 0;
    pairs += same;
    if (ed_short_equal(a, b, n) != same) bad_equal++;
    /* a has 16 more readable bytes of noise after it; b none. */
    fill(a + n, 16);
    uint64_t alo, ahi, blo, bhi, clo, chi;
    ed_short_key(a, n, n + 16, &alo, &ahi);
    ed_short_key(b, n, n, &blo, &bhi);
    if ((alo == blo && ahi == bhi) != same) bad_key++;
    ed_short_key(a, n, n, &clo, &chi);       /* the copying path */
    if (clo != alo || chi != ahi) bad_readable++;
  }
  TAP_OK(pairs > 1000 && pairs < 199000, "the random pairs hold equal and "
                                         "unequal strings");
  TAP_EQ_INT(bad_equal, 0, "ed_short_equal agrees with memcmp");
  TAP_EQ_INT(bad_key, 0, "equal keys exactly for equal strings (0..16 bytes)");
  TAP_EQ_INT(bad_readable, 0, "the key does not depend on the bytes after "
                              "the string");
}

static void test_long_equal(char *end) {
  int bad = 0;
  for (int round = 0; round < 20000; round++) {
    uint32_t n = 17 + (uint32_t)(rnd() % 100);
    char a[128], *b = end - n;
    fill(a, n);
    memcpy(b, a, n);
    if (rnd() % 2) b[rnd() % n] ^= 1;
    if (ed_short_equal(a, b, n) != (memcmp(a, b, n) == 0)) bad++;
  }
  TAP_EQ_INT(bad, 0, "ed_short_equal agrees with memcmp past 16 bytes");
}

int main(void) {
  char *end = guarded_page();
  TAP_OK(end != NULL, "a page with an unmapped one after it");
  if (!end) return tap_done();
  test_equal_and_key(end);
  test_long_equal(end);
  return tap_done();
}
