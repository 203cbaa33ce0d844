/*
** common/arena.h — bump allocator for memory with one lifetime.
**
** Used for the strings of a column batch (freed all at once when the batch is
** reset), for AST and plan nodes of one statement, and for keys copied into
** operator state.  Allocation is a pointer bump; there is no per-object free.
*/
#ifndef ED_ARENA_H
#define ED_ARENA_H

#include <stddef.h>
#include <string.h>

typedef struct EdArenaBlock EdArenaBlock;

typedef struct EdArena {
  EdArenaBlock *head;     /* current block, newest first */
  size_t block_size;      /* size of the next regular block */
  size_t used_bytes;      /* bytes handed out since the last reset */
  size_t reserved_bytes;  /* bytes held in blocks */
  char *bump, *bump_end;  /* the free part of the current block */
} EdArena;

/* Initializes an empty arena; no memory is taken until the first alloc. */
void ed_arena_init(EdArena *a, size_t block_size);

/* Returns n bytes aligned to 8, valid until the next reset or free.  Aborts
** the process on out-of-memory (as every allocation in eddy does). */
void *ed_arena_alloc(EdArena *a, size_t n);

/* n bytes with no alignment (string bytes), valid as ed_arena_alloc's:
** the common case, room in the current block, inline. */
void *ed_arena_alloc_slow(EdArena *a, size_t n);
static inline void *ed_arena_alloc_bytes(EdArena *a, size_t n) {
  if ((size_t)(a->bump_end - a->bump) >= n) {
    char *p = a->bump;
    a->bump += n;
    a->used_bytes += n;
    return p;
  }
  return ed_arena_alloc_slow(a, n);
}

/* A copy of p[0..n) (n > 0) in unaligned arena bytes, not NUL-terminated
** (the bytes of a string value). */
static inline const char *ed_arena_copy_bytes(EdArena *a, const void *p,
                                              size_t n) {
  char *dst = ed_arena_alloc_bytes(a, n);
  memcpy(dst, p, n);
  return dst;
}

/* Copies n bytes into the arena and returns the copy (NUL-terminated, so
** it can be used as a C string as well). */
char *ed_arena_strndup(EdArena *a, const char *s, size_t n);
char *ed_arena_strdup(EdArena *a, const char *s);

/* printf into the arena. */
char *ed_arena_printf(EdArena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Forgets every allocation but keeps the first block for reuse. */
void ed_arena_reset(EdArena *a);

/* Releases all memory. The arena may be reused after ed_arena_init. */
void ed_arena_free(EdArena *a);

/* malloc/calloc/realloc that abort with a message on out-of-memory. */
void *ed_malloc(size_t n);
void *ed_calloc(size_t n, size_t size);
void *ed_realloc(void *p, size_t n);
char *ed_strdup(const char *s);

#endif
