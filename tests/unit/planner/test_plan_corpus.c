/*
** tests/unit/planner/test_plan_corpus.c — plans every query of SQLite's
** sqllogictest corpus (the directory is the first argument) that applies to
** SQLite, against tables made from the files' CREATE TABLE statements.
**
** Per file it asserts that every query plans, with as many output columns
** as the record's type string has letters.  Every plan is also rendered
** with EXPLAIN.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "planner/plan.h"
#include "tests/unit/tap.h"

typedef struct Counts {
  int planned, other, parse;
} Counts;

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = 0;
  fclose(f);
  /* Some corpus files have CRLF line ends. */
  size_t w = 0;
  for (size_t r = 0; r < got; r++)
    if (s[r] != '\r') s[w++] = s[r];
  s[w] = 0;
  return s;
}

static void add_table(EdCatalog *cat, const EdAstStmt *s) {
  EdTable *t = calloc(1, sizeof *t);
  t->name = strdup(s->name);
  t->kind = OBJ_TABLE;
  t->connector = strdup("memory");
  t->wm_col = -1;
  ed_schema_init(&t->schema, s->columns.n);
  for (int i = 0; i < s->columns.n; i++) {
    const EdAstColumnDef *c = s->columns.items[i];
    t->schema.cols[i].name = strdup(c->name);
    t->schema.cols[i].type = c->type;
  }
  if (ed_catalog_add(cat, t) != 0) ed_table_free(t);
}

/* Runs one statement or query record's SQL. ncols < 0 for statements. */
static void run_sql(EdCatalog *cat, const char *sql, int ncols, Counts *n,
                    const char *file) {
  EdArena a;
  ed_arena_init(&a, 1 << 14);
  EdAstList stmts = {0};
  EdError err = {0};
  if (ed_parse(&a, sql, &stmts, &err) != 0 || stmts.n != 1) {
    if (ncols >= 0) n->parse++;
    ed_arena_free(&a);
    return;
  }
  EdAstStmt *s = stmts.items[0];
  if (s->kind == STMT_CREATE_TABLE) add_table(cat, s);
  if (ncols < 0 || s->kind != STMT_SELECT) {
    ed_arena_free(&a);
    return;
  }
  EdPlan *lp = NULL, *pp = NULL;
  if (ed_plan_query(cat, s->query, sql, &a, &lp, &pp, &err) == 0) {
    if (pp->schema.ncols != ncols) {
      n->other++;
      printf("# %s: %d columns, the record says %d: %s\n", file,
             pp->schema.ncols, ncols, sql);
    } else {
      n->planned++;
    }
    ed_plan_explain(lp, &a);
    ed_plan_explain(pp, &a);
  } else {
    n->other++;
    if (n->other <= 5) printf("# %s: %s: %s\n", file, err.msg, sql);
  }
  ed_arena_free(&a);
}

/* Walks the records of one .test file. */
static void run_file(const char *path, const char *name, Counts *n) {
  char *text = read_file(path);
  if (!text) return;
  EdCatalog cat;
  ed_catalog_init(&cat);
  char *p = text;
  while (*p) {
    /* A record: lines up to a blank line. */
    char *end = strstr(p, "\n\n");
    if (end) *end = 0;
    char *rec = p;
    p = end ? end + 2 : p + strlen(p);
    bool skip = false;
    char *line = rec;
    /* Conditions, comments. */
    for (;;) {
      while (*line == '\n') line++;
      if (*line == '#') {
        line = strchr(line, '\n');
        if (!line) break;
        continue;
      }
      if (strncmp(line, "skipif ", 7) == 0 || strncmp(line, "onlyif ", 7) == 0) {
        bool only = line[0] == 'o';
        bool sqlite = strncmp(line + 7, "sqlite", 6) == 0;
        if (only != sqlite) skip = true;
        line = strchr(line, '\n');
        if (!line) break;
        continue;
      }
      break;
    }
    if (!line || skip) continue;
    int ncols = -1;
    if (strncmp(line, "query ", 6) == 0) {
      ncols = 0;
      for (char *t = line + 6; *t && *t != ' ' && *t != '\n'; t++) ncols++;
    } else if (strncmp(line, "statement ", 10) != 0) {
      continue;
    }
    char *sql = strchr(line, '\n');
    if (!sql) continue;
    sql++;
    char *dash = strstr(sql, "\n----");
    if (dash) *dash = 0;
    if (strncmp(sql, "----", 4) == 0) continue;
    run_sql(&cat, sql, ncols, n, name);
  }
  ed_catalog_free(&cat);
  free(text);
}

static void run_dir(const char *dir, const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *ent;
  char **names = NULL;
  int nn = 0;
  while ((ent = readdir(d))) {
    if (ent->d_name[0] == '.') continue;
    names = realloc(names, (size_t)(nn + 1) * sizeof *names);
    names[nn++] = strdup(ent->d_name);
  }
  closedir(d);
  for (int i = 0; i < nn; i++)
    for (int j = i + 1; j < nn; j++)
      if (strcmp(names[i], names[j]) > 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  for (int i = 0; i < nn; i++) {
    char sub[1024], full[2048];
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    snprintf(full, sizeof full, "%s/%s", dir, sub);
    size_t len = strlen(names[i]);
    if (len > 5 && strcmp(names[i] + len - 5, ".test") == 0) {
      Counts n = {0};
      run_file(full, sub, &n);
      printf("# %s: %d planned, %d unparsed\n", sub, n.planned, n.parse);
      TAP_OK(n.planned > 0, sub);
      TAP_EQ_INT(n.other, 0, "no other planning failures");
    } else {
      run_dir(dir, sub);
    }
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("1..0 # SKIP no corpus directory given\n");
    return 0;
  }
  run_dir(argv[1], "");
  return tap_done();
}
