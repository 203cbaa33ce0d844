/*
** tests/slt/md5.h — MD5 message digest (RFC 1321) for the sqllogictest
** runner, whose result files give large results as "N values hashing to
** <md5>".  Not for security: MD5 here only fingerprints test output.
*/
#ifndef SLT_MD5_H
#define SLT_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct SltMd5 {
  uint32_t state[4];      /* A, B, C, D */
  uint64_t nbytes;        /* total message length so far */
  unsigned char buf[64];  /* partial block */
  size_t buflen;
} SltMd5;

/* Starts a new digest. */
void slt_md5_init(SltMd5 *m);

/* Appends n bytes of data to the message. */
void slt_md5_update(SltMd5 *m, const void *data, size_t n);

/* Finishes the digest and writes it as 32 lowercase hex digits plus a NUL
** into hex (33 bytes).  The context must be re-initialized before reuse. */
void slt_md5_final_hex(SltMd5 *m, char hex[33]);

#endif
