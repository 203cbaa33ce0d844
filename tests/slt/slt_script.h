/*
** tests/slt/slt_script.h — reader of sqllogictest scripts.
**
** A script is a sequence of records separated by blank lines; lines that
** start with '#' are comments and vanish before anything else looks at the
** text (so a comment never separates records).  A record is a statement
** ("statement ok|error" + SQL), a query ("query <types> [sort] [label]" +
** SQL + optional "----" and one result value per line) or a control record
** ("halt", "hash-threshold N"); statements and queries may be preceded by
** "skipif <engine>" / "onlyif <engine>" lines.  The format is described in
** ../shared/corpora/sqllogictest/about.wiki.  CRLF line ends are accepted.
*/
#ifndef SLT_SCRIPT_H
#define SLT_SCRIPT_H

#include <stdbool.h>

typedef enum SltRecKind {
  SLT_STATEMENT,
  SLT_QUERY,
  SLT_HALT,
  SLT_HASH_THRESHOLD,
  SLT_BAD                 /* unrecognized record: reported as a failure */
} SltRecKind;

typedef enum SltSort { SLT_NOSORT, SLT_ROWSORT, SLT_VALUESORT } SltSort;

typedef struct SltRecord {
  SltRecKind kind;
  int first_line;         /* first non-comment line (may be a condition) */
  int line;               /* line of "statement"/"query"/control keyword */
  bool skip;              /* a condition excludes the engine being tested */
  bool expect_error;      /* statement error */
  const char *sql;        /* SQL text, lines joined with '\n' */
  const char *types;      /* query: one of I, R, T per column */
  SltSort sort;
  const char *label;      /* query label or NULL */
  int nexpected;          /* query: result lines after "----" */
  const char **expected;
  bool has_results;       /* query: a "----" line was present */
  int threshold;          /* hash-threshold value */
  const char *bad;        /* SLT_BAD: description of the problem */
} SltRecord;

typedef struct SltScript SltScript;

/* Reads a script file whole.  Returns NULL (and prints why to stderr) if
** it cannot be read.  engine is the name matched by skipif/onlyif. */
SltScript *slt_script_open(const char *path, const char *engine);

/* Fills rec with the next record; returns false at the end of the script.
** Pointers in rec stay valid until the script is closed. */
bool slt_script_next(SltScript *s, SltRecord *rec);

void slt_script_close(SltScript *s);

#endif
