/*
** sinks/out_buf.c — the growable byte buffer of the text writers (see
** out_buf.h), and the integer formatting they share.
*/
#include "sinks/out_buf.h"

#include <assert.h>
#include <stdlib.h>

#include "common/arena.h"

/* Doubles the capacity until n more bytes fit (ed_realloc aborts when
** memory runs out). */
void ed_ob_grow(EdOutBuf *ob, size_t n) {
  size_t cap = ob->cap ? ob->cap : 4096;
  while (cap - ob->len < n) cap *= 2;
  ob->data = ed_realloc(ob->data, cap);
  ob->cap = cap;
}

/* Two digits per step, from the right. */
char *ed_ob_fmt_i64(char *p, int64_t v) {
  static const char pairs[201] =
      "0001020304050607080910111213141516171819"
      "2021222324252627282930313233343536373839"
      "4041424344454647484950515253545556575859"
      "6061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char tmp[24], *t = tmp + sizeof tmp;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  while (u >= 100) {
    t -= 2;
    memcpy(t, pairs + 2 * (u % 100), 2);
    u /= 100;
  }
  if (u >= 10) {
    t -= 2;
    memcpy(t, pairs + 2 * u, 2);
  } else {
    *--t = (char)('0' + u);
  }
  if (v < 0) *--t = '-';
  size_t n = (size_t)(tmp + sizeof tmp - t);
  assert(n <= 20);
  memcpy(p, t, n);
  return p + n;
}

void ed_ob_drain(EdOutBuf *ob, FILE *f) {
  if (ob->len) fwrite(ob->data, 1, ob->len, f);
  ob->len = 0;
}

void ed_ob_free(EdOutBuf *ob) {
  free(ob->data);
  ob->data = NULL;
  ob->len = ob->cap = 0;
}
