/*
** planner/catalog.c — the session's named objects (see catalog.h).
**
** A catalog is a small array of heap-allocated tables; sessions hold tens
** of objects, so lookups are linear scans with case-insensitive names.
** Everything a table points to is malloc'ed and owned by it, including the
** rows of a memory table.
*/
#include "planner/catalog.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "exec/memtable.h"

void ed_catalog_init(EdCatalog *c) {
  c->n = 0;
  c->cap = 0;
  c->tables = NULL;
}

void ed_catalog_free(EdCatalog *c) {
  for (int i = 0; i < c->n; i++) ed_table_free(c->tables[i]);
  free(c->tables);
  ed_catalog_init(c);
}

/* Index of the object called name, or -1. */
static int catalog_index(const EdCatalog *c, const char *name) {
  for (int i = 0; i < c->n; i++)
    if (strcasecmp(c->tables[i]->name, name) == 0) return i;
  return -1;
}

EdTable *ed_catalog_find(EdCatalog *c, const char *name) {
  int i = catalog_index(c, name);
  return i < 0 ? NULL : c->tables[i];
}

int ed_catalog_add(EdCatalog *c, EdTable *t) {
  assert(t && t->name);
  if (catalog_index(c, t->name) >= 0) return -1;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 8;
    c->tables = ed_realloc(c->tables, (size_t)c->cap * sizeof *c->tables);
  }
  c->tables[c->n++] = t;
  return 0;
}

int ed_catalog_drop(EdCatalog *c, const char *name) {
  int i = catalog_index(c, name);
  if (i < 0) return -1;
  ed_table_free(c->tables[i]);
  /* Keep creation order: SHOW lists objects in the order they were made. */
  memmove(c->tables + i, c->tables + i + 1,
          (size_t)(c->n - i - 1) * sizeof *c->tables);
  c->n--;
  return 0;
}

const char *ed_table_option(const EdTable *t, const char *key) {
  for (int i = 0; i < t->noptions; i++)
    if (strcasecmp(t->options[i].key, key) == 0) return t->options[i].value;
  return NULL;
}

void ed_table_free(EdTable *t) {
  if (!t) return;
  free(t->name);
  ed_schema_free(&t->schema);
  for (int i = 0; i < t->noptions; i++) {
    free(t->options[i].key);
    free(t->options[i].value);
  }
  free(t->options);
  free(t->connector);
  if (t->mem) ed_memtable_free(t->mem);
  free(t);
}

void ed_schema_init(EdSchema *s, int ncols) {
  s->ncols = ncols;
  s->cols = ncols ? ed_calloc((size_t)ncols, sizeof *s->cols) : NULL;
}

void ed_schema_copy(EdSchema *dst, const EdSchema *src) {
  ed_schema_init(dst, src->ncols);
  for (int i = 0; i < src->ncols; i++) {
    const EdColumn *c = &src->cols[i];
    dst->cols[i].name = c->name ? ed_strdup(c->name) : NULL;
    dst->cols[i].type = c->type;
    dst->cols[i].table = c->table ? ed_strdup(c->table) : NULL;
  }
}

void ed_schema_free(EdSchema *s) {
  for (int i = 0; i < s->ncols; i++) {
    free(s->cols[i].name);
    free(s->cols[i].table);
  }
  free(s->cols);
  s->cols = NULL;
  s->ncols = 0;
}

int ed_schema_find(const EdSchema *s, const char *name) {
  for (int i = 0; i < s->ncols; i++)
    if (s->cols[i].name && strcasecmp(s->cols[i].name, name) == 0) return i;
  return -1;
}
