/*
** sinks/value_text.c — the text form of one value, shared by every output
** format (DESIGN §2): booleans as true/false, doubles through
** ed_format_double, timestamps and intervals through their formatters and
** a WINDOW as "{start, end}".  Each writer adds its own NULL spelling and
** quoting; this file only turns a present value into characters.
*/
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "sinks/sink.h"

/* Copies n bytes of s into buf (capacity cap), cutting at a character
** boundary so that a cut never splits a UTF-8 sequence.  Returns the
** length written; buf is NUL-terminated. */
static int put_text(char *buf, int cap, const char *s, size_t n) {
  assert(cap > 0);
  if (n > (size_t)cap - 1) {
    n = (size_t)cap - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  return (int)n;
}

/* Writes the text of v (NULL as "NULL") into buf of cap bytes. */
int ed_value_to_text(const EdValue *v, char *buf, int cap) {
  char tmp[2 * ED_TS_BUFSZ + 8];
  int n;
  if (cap <= 0) return 0;
  if (v->is_null || v->type == ED_T_NULL) return put_text(buf, cap, "NULL", 4);
  switch (v->type) {
    case ED_T_BOOL:
      return v->u.b ? put_text(buf, cap, "true", 4)
                    : put_text(buf, cap, "false", 5);
    case ED_T_BIGINT:
      n = snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
      break;
    case ED_T_DOUBLE:
      n = ed_format_double(v->u.d, tmp);
      break;
    case ED_T_VARCHAR:
      return put_text(buf, cap, v->u.s.ptr, v->u.s.len);
    case ED_T_TIMESTAMP:
      n = ed_format_timestamp(v->u.i, tmp);
      break;
    case ED_T_INTERVAL:
      n = ed_format_interval(v->u.i, tmp);
      break;
    case ED_T_WINDOW:
      tmp[0] = '{';
      n = 1 + ed_format_timestamp(v->u.w.start, tmp + 1);
      tmp[n++] = ',';
      tmp[n++] = ' ';
      n += ed_format_timestamp(v->u.w.end, tmp + n);
      tmp[n++] = '}';
      break;
    default:
      n = snprintf(tmp, sizeof tmp, "?");
      break;
  }
  return put_text(buf, cap, tmp, (size_t)n);
}
