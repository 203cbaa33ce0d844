/*
** tests/slt/slt_engine.h — the database a sqllogictest run drives.
**
** The runner is linked with one backend: eddy (slt_engine_eddy.c: one
** eddy_session per script, results through an EdSink) or, to check the
** runner itself against the corpus, SQLite (slt_engine_sqlite.c: the
** reference engine the corpus was made with, so every record must pass).
*/
#ifndef SLT_ENGINE_H
#define SLT_ENGINE_H

#include <stddef.h>

#include "slt_result.h"

typedef struct SltEngine SltEngine;

/* Name of the backend, for reports ("eddy", "sqlite"). */
extern const char *const slt_engine_name;

/* A fresh, empty database. */
SltEngine *slt_engine_open(void);
void slt_engine_close(SltEngine *e);

/* Runs one SQL statement (without a terminating ';').  For a query, types
** is the record's type string: res is reset, res->ncols set to the number
** of columns the engine returned and every value appended rendered for its
** column's type character (a column beyond the type string renders as T).
** types is NULL for a statement.  Returns 0, or -1 with the engine's
** error message in err. */
int slt_engine_run(SltEngine *e, const char *sql, const char *types,
                   SltResult *res, char *err, size_t cap);

#endif
