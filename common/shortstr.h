/*
** common/shortstr.h — comparing and keying short byte strings fast.
**
** Group keys and the values of low-cardinality text columns (a page path,
** a country, a status) are mostly a few bytes long.  For those, word loads
** beat memcmp and byte loops: ed_short_equal compares with loads that
** overlap instead of looping and never pass the end of either string;
** ed_short_key turns a string of up to 16 bytes into a fixed-size key that
** small tables hash and compare in place of the bytes.
*/
#ifndef ED_SHORTSTR_H
#define ED_SHORTSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Strings up to this many bytes have a key (ed_short_key). */
#define ED_SHORTSTR_MAX 16

/* Whether a[0..n) and b[0..n) hold the same bytes.  Up to 16 bytes by two
** overlapping loads per string; longer ones with memcmp. */
static inline bool ed_short_equal(const void *a, const void *b, uint32_t n) {
  const char *x = a, *y = b;
  if (n >= 8 && n <= 16) {
    uint64_t x1, x2, y1, y2;
    memcpy(&x1, x, 8);
    memcpy(&y1, y, 8);
    memcpy(&x2, x + n - 8, 8);
    memcpy(&y2, y + n - 8, 8);
    return x1 == y1 && x2 == y2;
  }
  if (n >= 4 && n < 8) {
    uint32_t x1, x2, y1, y2;
    memcpy(&x1, x, 4);
    memcpy(&y1, y, 4);
    memcpy(&x2, x + n - 4, 4);
    memcpy(&y2, y + n - 4, 4);
    return x1 == y1 && x2 == y2;
  }
  if (n < 4) {
    for (uint32_t i = 0; i < n; i++)
      if (x[i] != y[i]) return false;
    return true;
  }
  return memcmp(x, y, n) == 0;
}

/* Masks keeping the low n bytes of a word (a little-endian load): of the
** first word of a 16-byte key, and of the second. */
#define ED_KEEP_(n) ((n) >= 8 ? ~0ull : (1ull << ((8 * (n)) & 63)) - 1)
#define ED_KEEP_ROW_(f, a)                                                  \
  {f(a + 0), f(a + 1), f(a + 2), f(a + 3), f(a + 4), f(a + 5), f(a + 6),  \
   f(a + 7), f(a + 8), f(a + 9), f(a + 10), f(a + 11), f(a + 12),          \
   f(a + 13), f(a + 14), f(a + 15), f(a + 16)}
#define ED_KEEP_HI_(n) ((n) <= 8 ? 0ull : ED_KEEP_((n) - 8))
static const uint64_t ed_keep_lo[17] = ED_KEEP_ROW_(ED_KEEP_, 0);
static const uint64_t ed_keep_hi[17] = ED_KEEP_ROW_(ED_KEEP_HI_, 0);

/* The 16-byte key of a string of n <= 16 bytes: its bytes in lo then hi
** (memory order on a little-endian machine), zero past n.  Together with
** n it names the string: equal keys and lengths, equal strings.  When 16
** bytes may be read from p (readable >= 16) two loads and two masks build
** it, with no branch on n; otherwise the bytes are copied. */
static inline void ed_short_key(const void *p, uint32_t n, size_t readable,
                                uint64_t *lo, uint64_t *hi) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (readable >= 16) {
    uint64_t a, b;
    memcpy(&a, p, 8);
    memcpy(&b, (const char *)p + 8, 8);
    *lo = a & ed_keep_lo[n];
    *hi = b & ed_keep_hi[n];
    return;
  }
#endif
  unsigned char buf[16] = {0};
  memcpy(buf, p, n);
  memcpy(lo, buf, 8);
  memcpy(hi, buf + 8, 8);
}

#endif
