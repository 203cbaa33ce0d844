/*
** sources/csv_decode.c — CSV records (RFC 4180) into batch rows.
**
** Fields are separated by the delimiter (',' by default) and records end
** with LF or CRLF.  A field that starts with a double quote is quoted: it
** runs to the next lone quote, may hold delimiters and line breaks, and
** writes a quote as "".  A quote inside an unquoted field is an ordinary
** character.  Text after a closing quote (`"ab"c`) makes the record
** malformed, as does an unterminated quote at the end of the input or a
** field count different from the schema's.  An empty unquoted field is
** NULL; a quoted empty field ("") is the empty string for VARCHAR and NULL
** for other types.  Blank lines are skipped.
**
** The splitter (ed_csv_split) finds the fields of one record in place and
** the record is decoded from there; ed_csv_scan runs the same quoting
** rules as a resumable state machine, used only to find where a record
** that straddles two buffers ends.
*/
#include <assert.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sources/decoder.h"

/* End of the unquoted field text at s: the first delimiter or '\n' in
** [s, end), or end.  Sixteen bytes at a time where SSE2 exists (every
** x86-64): fields are short, so one compare usually finds the end. */
static inline const char *plain_end(const char *s, const char *end,
                                    char delim) {
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
  while (end - s >= 16) {
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)s);
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(b, vd), _mm_cmpeq_epi8(b, vn)));
    if (m) return s + __builtin_ctz(m);
    s += 16;
  }
#endif
  while (s < end && *s != delim && *s != '\n') s++;
  return s;
}

/* States of ed_csv_scan.  The S_BOM states start a record at the very
** beginning of an input, where the three bytes of a UTF-8 byte order mark
** are skipped (as ed_csv_record skips them) instead of being field text. */
enum { S_START = 0, S_UNQUOTED, S_QUOTED, S_QUOTE_SEEN, S_AFTER_QUOTE,
       S_BOM0, S_BOM1, S_BOM2 };

/* Finds the end of a kept record (see decoder.h). */
long ed_csv_scan(int *state, const char *p, size_t n, char delim) {
  int st = *state;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    unsigned char u = (unsigned char)c;
    switch (st) {
      case S_QUOTED: {
        const char *q = memchr(p + i, '"', n - i);
        if (!q) {
          *state = S_QUOTED;
          return -1;
        }
        i = (size_t)(q - p);
        st = S_QUOTE_SEEN;
        continue;
      }
      case S_QUOTE_SEEN:
        if (c == '"') {
          st = S_QUOTED;
          continue;
        }
        st = S_AFTER_QUOTE;
        break;
      case S_BOM0:
        if (u == 0xEF) {
          st = S_BOM1;
          continue;
        }
        /* no byte order mark: a field starts here */
        __attribute__((fallthrough));
      case S_START:
        if (c == '"') {
          st = S_QUOTED;
          continue;
        }
        st = S_UNQUOTED;
        break;
      case S_BOM1:
        if (u == 0xBB) {
          st = S_BOM2;
          continue;
        }
        st = S_UNQUOTED;
        break;
      case S_BOM2:
        if (u == 0xBF) {
          st = S_START;
          continue;
        }
        st = S_UNQUOTED;
        break;
      default:
        break;
    }
    if (c == '\n') {
      *state = S_START;
      return (long)i + 1;
    }
    if (c == delim) st = S_START;
  }
  *state = st;
  return -1;
}

/* Initial scan state for a record kept at the start of an input. */
int ed_csv_scan_start(bool at_input_start) {
  return at_input_start ? S_BOM0 : S_START;
}

/* Number of '\n' in [s, e). */
static int count_newlines(const char *s, const char *e) {
  int k = 0;
  while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
    k++;
    s++;
  }
  return k;
}

/* Returns the nf-th field slot, cleared, growing the array as needed. */
static EdCsvField *next_field(EdDecoder *d, int nf) {
  if (nf >= d->fields_cap) {
    d->fields_cap *= 2;
    d->fields = ed_realloc(d->fields, (size_t)d->fields_cap *
                                          sizeof(EdCsvField));
  }
  EdCsvField *f = &d->fields[nf];
  f->quoted = f->escapes = f->garbage = 0;
  return f;
}

/* Reads the quoted field at *ps (just past its opening quote).  Returns
** 0, 1 when the bytes end before it does, or 2 for an unterminated quote
** at the end of final input. */
static int quoted_field(EdCsvField *f, const char **ps, const char *end,
                        bool final, int *nl) {
  const char *s = *ps, *b = s;
  f->quoted = 1;
  for (;;) {
    const char *q = memchr(s, '"', (size_t)(end - s));
    if (!q) {
      if (!final) return 1;
      *nl += count_newlines(s, end);
      f->ptr = b;
      f->len = (uint32_t)(end - b);
      *ps = end;
      return 2;
    }
    *nl += count_newlines(s, q);
    if (q + 1 == end && !final) return 1;   /* "" or a closing quote? */
    if (q + 1 < end && q[1] == '"') {
      f->escapes = 1;
      s = q + 2;
      continue;
    }
    f->ptr = b;
    f->len = (uint32_t)(q - b);
    *ps = q + 1;
    return 0;
  }
}

#if defined(__SSE2__)
/* Bit i set where p[i] == c, for the 64 bytes at p. */
static inline uint64_t eq_mask64(const char *p, __m128i c) {
  uint64_t m = 0;
  for (int k = 0; k < 4; k++) {
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
    m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, c))
         << (16 * k);
  }
  return m;
}

/* The common record: no quote, its newline within the 64 bytes at p
** (which must be readable).  Splits it with one pass of bit masks and
** returns true, or returns false (nothing done) for any other record. */
static bool split_short(EdDecoder *d, const char *p, int *nfields,
                        size_t *used, size_t *rec_len, int *newlines) {
  uint64_t nl = eq_mask64(p, _mm_set1_epi8('\n'));
  if (!nl) return false;
  int rend = __builtin_ctzll(nl);
  uint64_t below = nl - 1;          /* the bits before the newline */
  if (eq_mask64(p, _mm_set1_epi8('"')) & below) return false;
  uint64_t seps = eq_mask64(p, _mm_set1_epi8(d->opts.delimiter)) & below;
  int nf = 0, start = 0;
  for (;;) {
    EdCsvField *f = next_field(d, nf++);
    int stop = seps ? __builtin_ctzll(seps) : rend;
    f->ptr = p + start;
    f->len = (uint32_t)(stop - start);
    if (!seps) break;
    seps &= seps - 1;
    start = stop + 1;
  }
  size_t term = (size_t)rend;
  if (term > 0 && p[term - 1] == '\r') {
    term--;
    EdCsvField *f = &d->fields[nf - 1];
    if (f->len) f->len--;
  }
  *rec_len = term;
  *used = (size_t)rend + 1;
  *newlines = 1;
  *nfields = nf;
  return true;
}
#endif

EdRecResult ed_csv_split(EdDecoder *d, const char *p, size_t n, bool final,
                         int *nfields, size_t *used, size_t *rec_len,
                         int *newlines, bool *unterminated) {
  const char *s = p, *end = p + n;
  const char delim = d->opts.delimiter;
  int nf = 0, nl = 0;
  *unterminated = false;
#if defined(__SSE2__)
  if (n >= 64 && split_short(d, p, nfields, used, rec_len, newlines))
    return ED_REC_DONE;
#endif
  for (;;) {
    EdCsvField *f = next_field(d, nf++);
    if (s < end && *s == '"') {
      s++;
      int r = quoted_field(f, &s, end, final, &nl);
      if (r == 1) return ED_REC_INCOMPLETE;
      if (r == 2) *unterminated = true;
      if (s < end && *s != delim && *s != '\n' &&
          !(*s == '\r' && (s + 1 == end || s[1] == '\n'))) {
        f->garbage = 1;
        while (s < end && *s != delim && *s != '\n') s++;
      } else if (s < end && *s == '\r') {
        if (s + 1 == end && !final) return ED_REC_INCOMPLETE;
        s++;
      }
    } else {
      const char *b = s;
      s = plain_end(s, end, delim);
      f->ptr = b;
      f->len = (uint32_t)(s - b);
    }
    if (s < end && *s == delim) {
      s++;
      continue;
    }
    if (s == end && !final) return ED_REC_INCOMPLETE;
    /* s is at the record's '\n' or at the end of final input. */
    const char *term = s;
    if (term > p && term[-1] == '\r') {
      term--;
      if (!f->quoted && f->len) f->len--;
    }
    *rec_len = (size_t)(term - p);
    *used = (size_t)(s - p) + (s < end ? 1 : 0);
    *newlines = nl + (s < end ? 1 : 0);
    *nfields = nf;
    return ED_REC_DONE;
  }
}

/* A BIGINT or DOUBLE field in the common form, converted in one pass;
** false (nothing set) for any other text, which the general path then
** converts or reports. */
static inline bool fast_field(EdDecoder *d, EdBatch *out, int c,
                              const EdCsvField *f) {
  const char *e = f->ptr + f->len;
  int64_t iv = 0;
  double dv = 0;
  if (ed_dec_fast_number(f->ptr, e, d->types[c], &iv, &dv) != e) return false;
  EdVector *v = &out->cols[c];
  if (d->types[c] == ED_T_DOUBLE) ED_VEC_F64(v)[out->nrows] = dv;
  else ED_VEC_I64(v)[out->nrows] = iv;
  ed_vec_set_valid(v, out->nrows);
  return true;
}

/* Decodes one CSV record into a row (see the comment at the top). */
EdRecResult ed_csv_record(EdDecoder *d, const char *p, size_t n, bool final,
                          EdBatch *out, size_t *used, EdError *err) {
  size_t bom = 0;
  if (d->at_input_start && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    bom = 3;
  const char *rec = p + bom;
  int nf, nl;
  size_t u, len;
  bool unterminated;
  if (ed_csv_split(d, rec, n - bom, final, &nf, &u, &len, &nl,
                   &unterminated) == ED_REC_INCOMPLETE)
    return ED_REC_INCOMPLETE;
  *used = bom + u;
  d->at_input_start = false;
  d->rec_line = d->stats.line;
  d->stats.line += nl;
  if (len == 0) return ED_REC_DONE;             /* blank line */
  if (d->header_pending) {
    d->header_pending = false;
    return ED_REC_DONE;
  }
  ed_dec_row_begin(d, out, rec, p + *used);
  if (unterminated) ed_dec_bad(d, "unterminated quoted field");
  if (nf != d->nin)
    ed_dec_bad(d, "expected %d field%s, found %d", d->nin,
               d->nin == 1 ? "" : "s", nf);
  int k = nf < d->nin ? nf : d->nin;
  for (int i = 0; i < k; i++) {
    const EdCsvField *f = &d->fields[i];
    int c = d->in_cols[i];
    if (f->garbage) {
      ed_dec_bad(d, "field \"%s\": text after the closing quote",
                 d->names[c]);
    } else if (d->skip[c]) {
      continue;
    } else if (f->len > 0 && !f->escapes &&
               (d->types[c] == ED_T_DOUBLE || d->types[c] == ED_T_BIGINT) &&
               fast_field(d, out, c, f)) {
      continue;
    } else if (f->len > 0) {
      ed_dec_put_text(d, out, c, f->ptr, f->len,
                      f->escapes ? ED_TXT_CSV_ESC : ED_TXT_PLAIN);
    } else if (f->quoted && d->types[c] == ED_T_VARCHAR) {
      ed_dec_put_str(d, out, c, "", 0);
    }
  }
  return ed_dec_row_end(d, out, rec, len, err) ? ED_REC_FAIL : ED_REC_DONE;
}
