/*
** tests/slt/slt_xfail.h — the list of sqllogictest records that may fail.
**
** expected_failures.txt has one entry per line, "<file>:<line> <reason>",
** where file is relative to the corpus directory and line is the line of
** the record's "query" / "statement" keyword; '#' starts a comment line.
** The only accepted reason is "subquery": the record needs a subquery in an
** expression, which the binder rejects for now.  Entries are looked up by
** binary search, so a run over the whole corpus stays cheap.
*/
#ifndef SLT_XFAIL_H
#define SLT_XFAIL_H

#include <stdbool.h>
#include <stdio.h>

#define SLT_XFAIL_REASON "subquery"
/* The binder's message for the one allowed cause of failure. */
#define SLT_SUBQUERY_ERROR "subqueries in expressions are not supported yet"

typedef struct SltXfail {
  char *file;
  int line;
  bool seen;              /* the record ran in this run */
} SltXfail;

typedef struct SltXfailList {
  int n, cap;
  SltXfail *items;
  bool sorted;
} SltXfailList;

/* Reads a list file.  Returns 0, or -1 after printing what is wrong (an
** unreadable file, a malformed line, a reason other than "subquery"). */
int slt_xfail_load(SltXfailList *l, const char *path);

/* Adds an entry (for --write-expected-failures). */
void slt_xfail_add(SltXfailList *l, const char *file, int line);

/* Finds the entry for file:line, or NULL. */
SltXfail *slt_xfail_find(SltXfailList *l, const char *file, int line);

/* Writes the list in the file format, with a header comment, sorted. */
void slt_xfail_write(SltXfailList *l, FILE *out);

void slt_xfail_free(SltXfailList *l);

#endif
