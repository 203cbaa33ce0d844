/*
** tests/unit/planner/test_catalog.c — the catalog (catalog.h): adding,
** finding (case-insensitively), dropping, options and schema helpers.
*/
#include <stdlib.h>
#include <string.h>

#include "planner/catalog.h"
#include "tests/unit/tap.h"

static EdTable *table(const char *name) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup(name);
  t->kind = OBJ_TABLE;
  t->connector = strdup("memory");
  t->wm_col = -1;
  ed_schema_init(&t->schema, 2);
  t->schema.cols[0].name = strdup("Id");
  t->schema.cols[0].type = ED_T_BIGINT;
  t->schema.cols[1].name = strdup("name");
  t->schema.cols[1].type = ED_T_VARCHAR;
  t->noptions = 1;
  t->options = calloc(1, sizeof *t->options);
  t->options[0].key = strdup("path");
  t->options[0].value = strdup("a.csv");
  return t;
}

int main(void) {
  EdCatalog c;
  ed_catalog_init(&c);
  TAP_EQ_INT(c.n, 0, "empty catalog");
  TAP_OK(ed_catalog_find(&c, "users") == NULL, "find in an empty catalog");
  EdTable *u = table("Users");
  TAP_EQ_INT(ed_catalog_add(&c, u), 0, "add Users");
  TAP_EQ_INT(ed_catalog_add(&c, table("orders")), 0, "add orders");
  EdTable *dup = table("USERS");
  TAP_EQ_INT(ed_catalog_add(&c, dup), -1, "a second USERS is refused");
  ed_table_free(dup);
  TAP_EQ_INT(c.n, 2, "two objects");
  TAP_OK(ed_catalog_find(&c, "users") == u, "lookup is case-insensitive");
  TAP_OK(ed_catalog_find(&c, "uSeRs") == u, "any case");
  TAP_EQ_STR(ed_table_option(u, "PATH"), "a.csv", "option lookup");
  TAP_OK(ed_table_option(u, "format") == NULL, "missing option");
  TAP_EQ_INT(ed_schema_find(&u->schema, "ID"), 0, "schema_find ignores case");
  TAP_EQ_INT(ed_schema_find(&u->schema, "name"), 1, "second column");
  TAP_EQ_INT(ed_schema_find(&u->schema, "x"), -1, "absent column");

  EdSchema copy;
  ed_schema_copy(&copy, &u->schema);
  TAP_EQ_INT(copy.ncols, 2, "copied column count");
  TAP_OK(copy.cols[0].name != u->schema.cols[0].name &&
             strcmp(copy.cols[0].name, "Id") == 0 &&
             copy.cols[1].type == ED_T_VARCHAR,
         "deep copy of names and types");
  ed_schema_free(&copy);
  TAP_EQ_INT(copy.ncols, 0, "freed schema is empty");

  TAP_EQ_INT(ed_catalog_drop(&c, "USERS"), 0, "drop users");
  TAP_EQ_INT(ed_catalog_drop(&c, "users"), -1, "dropping twice fails");
  TAP_EQ_INT(c.n, 1, "one object left");
  TAP_OK(ed_catalog_find(&c, "orders") != NULL, "orders is still there");
  for (int i = 0; i < 20; i++) {
    char name[16];
    snprintf(name, sizeof name, "t%d", i);
    ed_catalog_add(&c, table(name));
  }
  TAP_EQ_INT(c.n, 21, "the catalog grows");
  TAP_EQ_STR(c.tables[20]->name, "t19", "creation order is kept");
  ed_catalog_free(&c);
  TAP_EQ_INT(c.n, 0, "freed catalog");
  return tap_done();
}
