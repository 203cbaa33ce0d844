/*
** planner/catalog.h — the named objects of a session: tables, streams and
** sinks, with their schemas, connector options and watermark definitions.
**
** A catalog entry describes an object; the rows of a memory table live in
** the EdMemTable it points to (exec/memtable.h).  Name lookup is
** case-insensitive.
*/
#ifndef ED_CATALOG_H
#define ED_CATALOG_H

#include "common/types.h"
#include "parser/ast.h"

typedef struct EdMemTable EdMemTable;

/* One output or input column.  table is the qualifier the binder matches
** against "t.col" (the table's name or alias), or NULL. */
typedef struct EdColumn {
  char *name;
  EdType type;
  char *table;
} EdColumn;

typedef struct EdSchema {
  int ncols;
  EdColumn *cols;
} EdSchema;

/* Connector options, as written in WITH (...): keys lower-cased, values as
** text (numbers and booleans in their SQL spelling). */
typedef struct EdOption {
  char *key;
  char *value;
} EdOption;

typedef struct EdTable {
  char *name;
  EdObjKind kind;           /* OBJ_TABLE, OBJ_STREAM, OBJ_SINK */
  EdSchema schema;
  int noptions;
  EdOption *options;
  char *connector;          /* "memory", "file", ... (lower-cased) */
  int wm_col;               /* watermark column index or -1 */
  int64_t wm_delay_us;      /* WATERMARK FOR c AS c - INTERVAL 'delay' */
  EdMemTable *mem;          /* rows of a memory connector, else NULL */
} EdTable;

typedef struct EdCatalog {
  int n, cap;
  EdTable **tables;
} EdCatalog;

void ed_catalog_init(EdCatalog *c);
void ed_catalog_free(EdCatalog *c);

/* Finds an object by name (any kind), or NULL. */
EdTable *ed_catalog_find(EdCatalog *c, const char *name);

/* Takes ownership of t; fails if the name exists. */
int ed_catalog_add(EdCatalog *c, EdTable *t);

/* Removes and frees the object; returns -1 if it does not exist. */
int ed_catalog_drop(EdCatalog *c, const char *name);

/* Returns the value of option key, or NULL. */
const char *ed_table_option(const EdTable *t, const char *key);

/* Frees a table and everything it owns (malloc'ed, not arena). */
void ed_table_free(EdTable *t);

/* Schema helpers; schemas made with these are malloc'ed. */
void ed_schema_init(EdSchema *s, int ncols);
void ed_schema_copy(EdSchema *dst, const EdSchema *src);
void ed_schema_free(EdSchema *s);
/* Index of a column by name (case-insensitive), -1 if absent. */
int ed_schema_find(const EdSchema *s, const char *name);

#endif
