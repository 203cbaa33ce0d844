/*
** sinks/out_buf.h — the byte buffer a writer formats a batch into.
**
** The text writers (csv, jsonl) build the text of a whole batch here and
** hand it to their FILE with one fwrite (or one per ~64 KB), instead of a
** stdio call per field.  The buffer grows by doubling and is kept between
** batches, so a steady stream allocates nothing per row.  Private to
** sinks/.
*/
#ifndef ED_OUT_BUF_H
#define ED_OUT_BUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes after which a writer hands the buffer to its FILE mid-batch. */
#define ED_OB_SPILL (64 * 1024)

typedef struct EdOutBuf {
  char *data;
  size_t len, cap;
} EdOutBuf;

/* Grows ob so that n more bytes fit. */
void ed_ob_grow(EdOutBuf *ob, size_t n);

/* Returns where n more bytes may be written; the caller then advances
** ob->len by what it wrote (at most n). */
static inline char *ed_ob_reserve(EdOutBuf *ob, size_t n) {
  if (ob->cap - ob->len < n) ed_ob_grow(ob, n);
  return ob->data + ob->len;
}

/* Appends n bytes. */
static inline void ed_ob_put(EdOutBuf *ob, const char *s, size_t n) {
  memcpy(ed_ob_reserve(ob, n), s, n);
  ob->len += n;
}

/* Appends one byte. */
static inline void ed_ob_putc(EdOutBuf *ob, char c) {
  *ed_ob_reserve(ob, 1) = c;
  ob->len++;
}

/* Writes v in decimal at p (room for 20 bytes); returns the end. */
char *ed_ob_fmt_i64(char *p, int64_t v);

/* Hands the buffered bytes to f with one fwrite and empties the buffer.
** A failed write shows in ferror(f). */
void ed_ob_drain(EdOutBuf *ob, FILE *f);

/* Frees the buffer's memory. */
void ed_ob_free(EdOutBuf *ob);

#endif
