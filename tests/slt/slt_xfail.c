/*
** tests/slt/slt_xfail.c — loading, searching and writing the list of
** expected failures (see slt_xfail.h).
*/
#include "slt_xfail.h"

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

void slt_xfail_add(SltXfailList *l, const char *file, int line) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 256;
    l->items = ed_realloc(l->items, (size_t)l->cap * sizeof *l->items);
  }
  l->items[l->n].file = ed_strdup(file);
  l->items[l->n].line = line;
  l->items[l->n].seen = false;
  l->n++;
  l->sorted = false;
}

static int cmp_entry(const void *a, const void *b) {
  const SltXfail *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  if (c) return c;
  return (x->line > y->line) - (x->line < y->line);
}

static void sort_list(SltXfailList *l) {
  if (!l->sorted && l->n > 0) qsort(l->items, (size_t)l->n, sizeof *l->items, cmp_entry);
  l->sorted = true;
}

int slt_xfail_load(SltXfailList *l, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  char buf[4096];
  int lineno = 0, rc = 0;
  while (fgets(buf, sizeof buf, f)) {
    lineno++;
    char *p = buf;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == 0) continue;
    char file[1024], reason[256];
    int line;
    if (sscanf(p, "%1023[^:]:%d %255s", file, &line, reason) != 3) {
      fprintf(stderr, "%s:%d: expected \"<file>:<line> <reason>\"\n", path, lineno);
      rc = -1;
      continue;
    }
    if (strcmp(reason, SLT_XFAIL_REASON) != 0) {
      fprintf(stderr, "%s:%d: reason \"%s\" is not allowed; the only accepted "
              "reason is \"%s\" (the record needs a subquery in an expression)\n",
              path, lineno, reason, SLT_XFAIL_REASON);
      rc = -1;
      continue;
    }
    slt_xfail_add(l, file, line);
  }
  fclose(f);
  sort_list(l);
  for (int i = 1; i < l->n; i++)
    if (cmp_entry(&l->items[i - 1], &l->items[i]) == 0) {
      fprintf(stderr, "%s: %s:%d is listed twice\n", path, l->items[i].file,
              l->items[i].line);
      rc = -1;
    }
  return rc;
}

SltXfail *slt_xfail_find(SltXfailList *l, const char *file, int line) {
  sort_list(l);
  SltXfail key = {(char *)file, line, false};
  return bsearch(&key, l->items, (size_t)l->n, sizeof *l->items, cmp_entry);
}

void slt_xfail_write(SltXfailList *l, FILE *out) {
  sort_list(l);
  fprintf(out,
          "# Records of the sqllogictest corpus that may fail: <file>:<line> "
          "<reason>,\n"
          "# file relative to the corpus directory, line of the record's "
          "query/statement\n"
          "# keyword.  The only allowed reason is \"%s\": the record needs a "
          "subquery\n"
          "# in an expression, which eddy does not support yet.  Generated "
          "by\n"
          "#   slt_runner --write-expected-failures CORPUS_DIR FILE...\n"
          "# which lists only records that fail with that error.\n",
          SLT_XFAIL_REASON);
  for (int i = 0; i < l->n; i++)
    fprintf(out, "%s:%d %s\n", l->items[i].file, l->items[i].line, SLT_XFAIL_REASON);
}

void slt_xfail_free(SltXfailList *l) {
  for (int i = 0; i < l->n; i++) free(l->items[i].file);
  free(l->items);
  memset(l, 0, sizeof *l);
}
