/*
** tests/slt/md5.c — MD5 (RFC 1321), written from the RFC's description:
** the message is padded to 448 mod 512 bits, its bit length appended
** little-endian, and each 512-bit block goes through four rounds of sixteen
** operations on the state words A, B, C, D.
*/
#include "md5.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Per-operation left-rotation amounts, four per round (RFC 1321 §3.4). */
static const int md5_shift[4][4] = {
  {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

/* T[i] = floor(abs(sin(i + 1)) * 2^32), the RFC's table. */
static const uint32_t md5_t[64] = {
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
  0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
  0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
  0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
  0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
  0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
  0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
  0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
  0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t rotl(uint32_t x, int n) {
  return (x << n) | (x >> (32 - n));
}

/* Processes one 64-byte block into the state. */
static void md5_block(uint32_t st[4], const unsigned char *p) {
  uint32_t x[16];
  for (int i = 0; i < 16; i++)
    x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
           (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
  for (int i = 0; i < 64; i++) {
    int round = i / 16, k;
    uint32_t f;
    switch (round) {
      case 0: f = (b & c) | (~b & d); k = i; break;
      case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) & 15; break;
      case 2: f = b ^ c ^ d; k = (3 * i + 5) & 15; break;
      default: f = c ^ (b | ~d); k = (7 * i) & 15; break;
    }
    uint32_t tmp = d;
    d = c;
    c = b;
    b = b + rotl(a + f + x[k] + md5_t[i], md5_shift[round][i & 3]);
    a = tmp;
  }
  st[0] += a;
  st[1] += b;
  st[2] += c;
  st[3] += d;
}

void slt_md5_init(SltMd5 *m) {
  m->state[0] = 0x67452301;
  m->state[1] = 0xefcdab89;
  m->state[2] = 0x98badcfe;
  m->state[3] = 0x10325476;
  m->nbytes = 0;
  m->buflen = 0;
}

void slt_md5_update(SltMd5 *m, const void *data, size_t n) {
  const unsigned char *p = data;
  m->nbytes += n;
  while (n > 0) {
    size_t take = 64 - m->buflen;
    if (take > n) take = n;
    memcpy(m->buf + m->buflen, p, take);
    m->buflen += take;
    p += take;
    n -= take;
    if (m->buflen == 64) {
      md5_block(m->state, m->buf);
      m->buflen = 0;
    }
  }
}

void slt_md5_final_hex(SltMd5 *m, char hex[33]) {
  uint64_t bits = m->nbytes * 8;
  unsigned char pad[72] = {0x80};
  size_t padlen = (m->buflen < 56) ? 56 - m->buflen : 120 - m->buflen;
  unsigned char len[8];
  for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (8 * i));
  slt_md5_update(m, pad, padlen);
  slt_md5_update(m, len, 8);
  assert(m->buflen == 0);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      snprintf(hex + 8 * i + 2 * j, 3, "%02x",
               (unsigned)(m->state[i] >> (8 * j)) & 0xff);
}
