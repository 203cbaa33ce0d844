/*
** common/types.h — the data model shared by every layer of eddy.
**
** eddy has seven SQL types (DESIGN §2).  A single value outside a column
** batch (a literal, a folded constant, a group key being printed) is an
** EdValue.  TIMESTAMP values are microseconds since the Unix epoch (UTC);
** INTERVAL values are durations in microseconds; a WINDOW is a pair of
** TIMESTAMPs [start, end).  Strings are (pointer, length) pairs that point
** into an arena owned by whoever produced them; they are not NUL-terminated.
**
** This header also declares the text forms of values: parsing timestamps and
** intervals, and formatting any value the way every output format prints it.
*/
#ifndef ED_TYPES_H
#define ED_TYPES_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum EdType {
  ED_T_NULL = 0,      /* type of an untyped NULL literal; never a column type */
  ED_T_BOOL,
  ED_T_BIGINT,
  ED_T_DOUBLE,
  ED_T_VARCHAR,
  ED_T_TIMESTAMP,
  ED_T_INTERVAL,
  ED_T_WINDOW,
  ED_T__COUNT
} EdType;

typedef struct EdStr {
  const char *ptr;
  uint32_t len;
} EdStr;

typedef struct EdWindow {
  int64_t start;      /* microseconds since the epoch, inclusive */
  int64_t end;        /* exclusive */
} EdWindow;

typedef struct EdValue {
  EdType type;
  bool is_null;
  union {
    bool b;
    int64_t i;        /* BIGINT, TIMESTAMP, INTERVAL */
    double d;
    EdStr s;
    EdWindow w;
  } u;
} EdValue;

#define ED_USEC_PER_SEC INT64_C(1000000)
#define ED_TS_MAX INT64_MAX   /* "+infinity" for watermarks */
#define ED_TS_MIN INT64_MIN

/* Name of a type as SQL prints it ("BIGINT", ...). */
const char *ed_type_name(EdType t);

/* Maps a type name of DESIGN §2, including aliases (INT, INTEGER, REAL,
** FLOAT, TEXT, STRING, ...) case-insensitively to a type.  Returns
** ED_T_NULL for an unknown name.  n is the name's length. */
EdType ed_type_from_name(const char *name, size_t n);

/* Parses a timestamp in any accepted text form: 'YYYY-MM-DD', 'YYYY-MM-DD
** HH:MM:SS[.ffffff]', ISO-8601 with 'T', 'Z' or '+HH:MM'.  Returns 0 and sets
** *out on success, -1 if the text is not a timestamp. */
int ed_parse_timestamp(const char *s, size_t n, int64_t *out);

/* Parses an interval: '10 seconds', '1 minute', '500 milliseconds',
** '2 hours', '1 day', also a bare number with a unit passed separately
** ("5", "MINUTE").  unit may be NULL.  Returns 0 on success, -1 otherwise. */
int ed_parse_interval(const char *s, size_t n, const char *unit, int64_t *out);

/* Writes the text form of a timestamp ("YYYY-MM-DD HH:MM:SS[.ffffff]",
** trailing fraction zeros trimmed) into buf; returns the length. buf must
** hold ED_TS_BUFSZ bytes. */
#define ED_TS_BUFSZ 40
int ed_format_timestamp(int64_t us, char *buf);

/* Writes the text form of an interval ("10 seconds", "1 minute 30 seconds",
** ...) into buf of ED_TS_BUFSZ bytes; returns the length. */
int ed_format_interval(int64_t us, char *buf);

/* Writes a double the way eddy prints it everywhere (shortest form that
** round-trips, "%.17g" trimmed; integral values keep a ".0").  buf must hold
** 32 bytes.  Returns the length. */
int ed_format_double(double d, char *buf);

/* The "C" locale, so that '.' is the decimal point whatever setlocale()
** the program made (for strtod_l and uselocale). */
locale_t ed_c_locale(void);

#endif
