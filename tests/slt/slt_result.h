/*
** tests/slt/slt_result.h — query results as the sqllogictest format sees
** them: every value rendered to text according to the query's type string,
** sorted as the record's sort mode says, then compared with the expected
** lines of the script, or with "N values hashing to <md5>".
**
** Rendering follows the reference runner driving SQLite: an I column prints
** the value as sqlite3_column_int64 would return it (%lld), an R column as
** sqlite3_column_double printed with SQLite's "%.3f", a T column as text
** (an empty string as "(empty)", bytes outside ' '..'~' as '@'), and NULL
** as "NULL" whatever the column type.
*/
#ifndef SLT_RESULT_H
#define SLT_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "slt_script.h"

typedef struct SltResult {
  int ncols;              /* columns the engine returned */
  int nvals, cap;
  const char **vals;      /* rendered values, row-major */
  EdArena arena;          /* their text */
} SltResult;

void slt_result_init(SltResult *r);
void slt_result_reset(SltResult *r);
void slt_result_free(SltResult *r);

/* Appends one rendered value (copied into r's arena). */
void slt_result_add(SltResult *r, const char *text);

/* Appends a value without copying: text must live in r's arena (as the
** strings slt_render_text returns do) or in static storage. */
void slt_result_push(SltResult *r, const char *text);

/* Render helpers, one per source value kind, for column type ch ('I', 'R'
** or 'T').  Each writes a NUL-terminated string into buf (cap >= 64). */
void slt_render_int(int64_t v, char ch, char *buf, size_t cap);
void slt_render_double(double v, char ch, char *buf, size_t cap);
/* Text of n bytes (not NUL-terminated); a T column may need more room than
** cap, so this one returns an arena copy owned by r. */
const char *slt_render_text(SltResult *r, const char *s, size_t n, char ch);

/* SQLite's conversions, as the reference runner sees values. */
int64_t slt_double_to_int64(double d);     /* sqlite3_column_int64 of REAL */
int64_t slt_text_to_int64(const char *s, size_t n);
double slt_text_to_double(const char *s, size_t n);
/* SQLite's "%!.15g" text of a REAL ("1.0", "0.1", "1.0e+20"). */
void slt_format_real_text(double d, char *buf, size_t cap);
/* SQLite's "%.3f" (rounds half away from zero after adding 0.0005). */
void slt_format_real3(double d, char *buf, size_t cap);

/* Sorts the values as sort says; rowsort compares rows of r->ncols values
** column by column with strcmp. */
void slt_result_sort(SltResult *r, SltSort sort);

/* Lowercase hex MD5 of the values, each followed by '\n'. */
void slt_result_hash(const SltResult *r, char hex[33]);

/* Compares the (sorted) result with the record's expected lines.  Returns
** true on a match; otherwise writes a short explanation (expected vs got,
** first few values) into why. */
bool slt_result_check(const SltResult *r, const SltRecord *rec, char *why,
                      size_t cap);

#endif
