/*
** common/arena.c — bump allocator (see arena.h) and the aborting malloc
** wrappers every module uses.
*/
#include "common/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct EdArenaBlock {
  EdArenaBlock *next;
  size_t size;      /* usable bytes in data; the arena's bump pointer
                       says how many the newest block has handed out */
  max_align_t data[];
};

static void oom(size_t n) {
  fprintf(stderr, "eddy: out of memory (allocating %zu bytes)\n", n);
  abort();
}

void *ed_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *ed_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom(n * size);
  return p;
}

void *ed_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

char *ed_strdup(const char *s) {
  size_t n = strlen(s);
  char *p = ed_malloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

void ed_arena_init(EdArena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 4096;
  a->used_bytes = 0;
  a->reserved_bytes = 0;
  a->bump = a->bump_end = NULL;
}

/* Adds a block able to hold at least n bytes in front of the list. */
static EdArenaBlock *arena_grow(EdArena *a, size_t n) {
  size_t size = a->block_size;
  if (size < n) size = n;
  EdArenaBlock *b = ed_malloc(sizeof(EdArenaBlock) + size);
  b->size = size;
  b->next = a->head;
  a->head = b;
  a->bump = (char *)b->data;
  a->bump_end = a->bump + size;
  a->reserved_bytes += size;
  /* Geometric growth keeps the number of blocks logarithmic. */
  if (a->block_size < (size_t)1 << 20) a->block_size *= 2;
  return b;
}

void *ed_arena_alloc(EdArena *a, size_t n) {
  n = (n + 7) & ~(size_t)7;
  /* String bytes may have left the bump pointer unaligned. */
  char *p = a->bump ? (char *)(((uintptr_t)a->bump + 7) & ~(uintptr_t)7)
                    : NULL;
  if (!p || p > a->bump_end || (size_t)(a->bump_end - p) < n) {
    arena_grow(a, n);
    p = a->bump;
  }
  a->bump = p + n;
  a->used_bytes += n;
  return p;
}

void *ed_arena_alloc_slow(EdArena *a, size_t n) {
  arena_grow(a, n);
  char *p = a->bump;
  a->bump += n;
  a->used_bytes += n;
  return p;
}

char *ed_arena_strndup(EdArena *a, const char *s, size_t n) {
  char *p = ed_arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *ed_arena_strdup(EdArena *a, const char *s) {
  return ed_arena_strndup(a, s, strlen(s));
}

char *ed_arena_printf(EdArena *a, const char *fmt, ...) {
  /* Most texts fit the stack buffer: format once, copy; else format again
  ** into an arena block of the exact size. */
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n < sizeof small) return ed_arena_strndup(a, small, (size_t)n);
  char *p = ed_arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void ed_arena_reset(EdArena *a) {
  EdArenaBlock *b = a->head;
  if (!b) return;
  /* Keep the oldest block (the end of the list): it is the smallest, and
  ** keeping one block makes a reset+refill cycle allocation-free. */
  while (b->next) {
    EdArenaBlock *next = b->next;
    a->reserved_bytes -= b->size;
    free(b);
    b = next;
  }
  a->head = b;
  a->used_bytes = 0;
  a->bump = (char *)b->data;
  a->bump_end = a->bump + b->size;
}

void ed_arena_free(EdArena *a) {
  EdArenaBlock *b = a->head;
  while (b) {
    EdArenaBlock *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->used_bytes = 0;
  a->reserved_bytes = 0;
  a->bump = a->bump_end = NULL;
}
