/*
** sources/decoder.c — the format-independent part of the decoders
** (sources/decoder.h): feeding bytes and keeping an unfinished record
** between buffers, writing typed values into the batch row, the handling
** of malformed records of DESIGN §6, and the text format.
**
** Records are decoded straight from the caller's buffer.  Only the bytes
** of a record cut by the end of a buffer are copied (into the carry
** buffer); the next feed scans for the end of that record, completes it
** and decodes it from the carry, then goes on in place.  So each byte is
** copied at most once, and a record that spans many buffers costs time
** linear in its length.
*/
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sources/decoder.h"
#include "common/shortstr.h"

/* ------------------------------------------------------------- lifecycle */

static char *dup_or_null(const char *s) { return s ? ed_strdup(s) : NULL; }

/* Whether s holds a control byte (below 0x20). */
static bool has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20) return true;
  return false;
}

/* Checks the schema and finds the input, corrupt-record and text columns. */
static int setup_columns(EdDecoder *d, const EdSchema *schema,
                         const bool *external, EdError *err) {
  static const char *const fmt_names[] = {"csv", "jsonl", "text"};
  const char *fmt = fmt_names[d->opts.format];
  d->corrupt_col = -1;
  d->text_col = -1;
  for (int c = 0; c < d->ncols; c++) {
    const EdColumn *col = &schema->cols[c];
    d->types[c] = col->type;
    d->names[c] = ed_strdup(col->name ? col->name : "");
    d->name_len[c] = strlen(d->names[c]);
    /* The pattern of the name as a compact JSON key, for names that need
    ** no escaping in JSON. */
    if (d->name_len[c] <= 13 && !strpbrk(d->names[c], "\"\\") &&
        !has_control(d->names[c])) {
      size_t n = d->name_len[c];
      d->key_pat[c][0] = '"';
      memcpy(d->key_pat[c] + 1, d->names[c], n);
      d->key_pat[c][n + 1] = '"';
      d->key_pat[c][n + 2] = ':';
      d->key_pat_len[c] = (uint8_t)(n + 3);
    }
    if (d->name_len[c] >= 8 && d->name_len[c] <= 16)
      memcpy(&d->name_tail[c], d->names[c] + d->name_len[c] - 8, 8);
    memcpy(&d->name_word[c], d->names[c],
           d->name_len[c] < 8 ? d->name_len[c] : 8);
    d->external[c] = external && external[c];
    if (d->external[c]) continue;
    if (strcasecmp(d->names[c], "_corrupt_record") == 0) {
      if (col->type != ED_T_VARCHAR)
        return ed_error_set(err, ED_ERR_EXEC, NULL,
                            "column _corrupt_record must be VARCHAR, not %s",
                            ed_type_name(col->type));
      d->corrupt_col = c;
      continue;
    }
    if (col->type == ED_T_WINDOW || col->type == ED_T_NULL)
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "column %s: a %s column cannot be read from %s "
                          "input",
                          d->names[c], ed_type_name(col->type), fmt);
    d->in_cols[d->nin++] = c;
  }
  if (d->opts.format == ED_IN_TEXT) {
    for (int i = 0; i < d->nin && d->text_col < 0; i++)
      if (strcasecmp(d->names[d->in_cols[i]], "value") == 0)
        d->text_col = d->in_cols[i];
    for (int i = 0; i < d->nin && d->text_col < 0; i++)
      if (d->types[d->in_cols[i]] == ED_T_VARCHAR) d->text_col = d->in_cols[i];
    if (d->text_col < 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "text input needs a VARCHAR column (value)");
  }
  return 0;
}

/* Creates a decoder (see decoder.h). */
EdDecoder *ed_decoder_new(const EdDecodeOpts *opts, const EdSchema *schema,
                          const bool *external, EdError *err) {
  if (opts->format == ED_IN_CSV &&
      (opts->delimiter == '"' || opts->delimiter == '\n' ||
       opts->delimiter == '\r' || opts->delimiter == '\0')) {
    ed_error_set(err, ED_ERR_EXEC, NULL,
                 "invalid CSV delimiter (a quote, a line break or NUL)");
    return NULL;
  }
  EdDecoder *d = ed_calloc(1, sizeof *d);
  d->opts = *opts;
  d->opts.bad_records_path = dup_or_null(opts->bad_records_path);
  d->opts.source_name = ed_strdup(opts->source_name ? opts->source_name
                                                    : "input");
  d->ncols = schema->ncols;
  d->types = ed_calloc((size_t)d->ncols + 1, sizeof(EdType));
  d->names = ed_calloc((size_t)d->ncols + 1, sizeof(char *));
  d->name_len = ed_calloc((size_t)d->ncols + 1, sizeof(size_t));
  d->name_word = ed_calloc((size_t)d->ncols + 1, sizeof(uint64_t));
  d->name_tail = ed_calloc((size_t)d->ncols + 1, sizeof(uint64_t));
  d->key_pat = ed_calloc((size_t)d->ncols + 1, sizeof *d->key_pat);
  d->key_pat_len = ed_calloc((size_t)d->ncols + 1, 1);
  d->in_cols = ed_calloc((size_t)d->ncols + 1, sizeof(int));
  d->external = ed_calloc((size_t)d->ncols + 1, sizeof(bool));
  d->skip = ed_calloc((size_t)d->ncols + 1, sizeof(bool));
  if (setup_columns(d, schema, external, err)) {
    ed_decoder_free(d);
    return NULL;
  }
  d->fields_cap = d->nin + 8;
  d->fields = ed_calloc((size_t)d->fields_cap, sizeof(EdCsvField));
  ed_decoder_reset(d, NULL);
  return d;
}

/* A decoder like d, at the start of an input (see decoder.h). */
EdDecoder *ed_decoder_clone(const EdDecoder *d) {
  EdColumn cols[d->ncols > 0 ? d->ncols : 1];
  for (int c = 0; c < d->ncols; c++)
    cols[c] = (EdColumn){d->names[c], d->types[c], NULL};
  EdSchema schema = {d->ncols, cols};
  EdError err;
  ed_error_clear(&err);
  EdDecoder *n = ed_decoder_new(&d->opts, &schema, d->external, &err);
  assert(n != NULL);
  memcpy(n->skip, d->skip, (size_t)d->ncols * sizeof(bool));
  return n;
}

/* Frees the decoder and closes its bad records file. */
void ed_decoder_free(EdDecoder *d) {
  if (!d) return;
  for (int c = 0; c < d->ncols; c++) free(d->names[c]);
  free(d->names);
  free(d->name_len);
  free(d->name_word);
  free(d->name_tail);
  free(d->key_pat);
  free(d->key_pat_len);
  free(d->types);
  free(d->in_cols);
  free(d->external);
  free(d->skip);
  free(d->fields);
  free(d->key_hint);
  if (d->intern)
    for (int c = 0; c < d->ncols; c++) free(d->intern[c]);
  free(d->intern);
  free(d->scratch);
  free(d->carry);
  if (d->bad_file) fclose(d->bad_file);
  free(d->bad_file_path);
  free((char *)d->opts.bad_records_path);
  free((char *)d->opts.source_name);
  free(d);
}

/* The options part of the pruning rule: PERMISSIVE, no bad_records_path,
** a format with more than one column. */
static bool opts_prunable(const EdDecodeOpts *o) {
  return o->mode == ED_BAD_PERMISSIVE && o->format != ED_IN_TEXT &&
         !(o->bad_records_path && o->bad_records_path[0]);
}

/* Skips converting the columns nobody reads, where that is invisible
** (see decoder.h). */
void ed_decoder_prune(EdDecoder *d, const bool *read) {
  bool may = opts_prunable(&d->opts) && d->corrupt_col < 0;
  for (int c = 0; c < d->ncols; c++)
    d->skip[c] = may && read && !read[c] && !d->external[c];
}

bool ed_decode_prunable(const EdDecodeOpts *o, const EdSchema *schema) {
  return opts_prunable(o) && ed_schema_find(schema, "_corrupt_record") < 0;
}

/* Starts a new input (see decoder.h). */
void ed_decoder_reset(EdDecoder *d, const char *source_name) {
  if (source_name) {
    free((char *)d->opts.source_name);
    d->opts.source_name = ed_strdup(source_name);
  }
  d->header_pending = d->opts.format == ED_IN_CSV && d->opts.header;
  d->at_input_start = true;
  d->offset = 0;
  d->stats.line = 1;
  d->carry_len = 0;
  d->carrying = false;
  d->scan_state = 0;
}

/* Resumes in the middle of an input (see decoder.h). */
void ed_decoder_seek(EdDecoder *d, int64_t offset, int64_t line) {
  d->carry_len = 0;
  d->carrying = false;
  d->scan_state = 0;
  d->offset = offset;
  d->stats.line = line;
  if (offset > 0) {
    d->header_pending = false;
    d->at_input_start = false;
  }
}

int64_t ed_decoder_offset(const EdDecoder *d) { return d->offset; }

const EdDecodeStats *ed_decoder_stats(const EdDecoder *d) {
  return &d->stats;
}

const char *ed_decoder_bad_file(const EdDecoder *d) {
  return d->bad_file_path;
}

char *ed_dec_scratch(EdDecoder *d, size_t n) {
  if (d->scratch_cap < n) {
    d->scratch_cap = n < 256 ? 256 : n * 2;
    d->scratch = ed_realloc(d->scratch, d->scratch_cap);
  }
  return d->scratch;
}

/* ---------------------------------------------------------------- feeding */

static EdRecResult decode_one(EdDecoder *d, const char *p, size_t n,
                              bool final, EdBatch *out, size_t *used,
                              EdError *err) {
  switch (d->opts.format) {
    case ED_IN_CSV: return ed_csv_record(d, p, n, final, out, used, err);
    case ED_IN_JSONL: return ed_jsonl_record(d, p, n, final, out, used, err);
    case ED_IN_TEXT: break;
  }
  return ed_text_record(d, p, n, final, out, used, err);
}

/* Appends p[0..n) to the kept record. */
static void carry_append(EdDecoder *d, const char *p, size_t n) {
  if (d->carry_len + n > d->carry_cap) {
    d->carry_cap = (d->carry_len + n) * 2 + 4096;
    d->carry = ed_realloc(d->carry, d->carry_cap);
  }
  memcpy(d->carry + d->carry_len, p, n);
  d->carry_len += n;
}

/* Index just past the newline ending the kept record within p[0..n), or
** -1 when p holds no end (the scan state then covers all of p). */
static long scan_end(EdDecoder *d, const char *p, size_t n) {
  if (d->opts.format == ED_IN_CSV)
    return ed_csv_scan(&d->scan_state, p, n, d->opts.delimiter);
  const char *nl = memchr(p, '\n', n);
  return nl ? (long)(nl - p) + 1 : -1;
}

/* Decodes the record kept in the carry buffer, which is now complete (or
** final).  It may also be a blank line or the header. */
static int decode_carry(EdDecoder *d, bool final, EdBatch *out,
                        EdError *err) {
  size_t off = 0;
  while (off < d->carry_len) {
    size_t used = 0;
    EdRecResult r = decode_one(d, d->carry + off, d->carry_len - off, final,
                               out, &used, err);
    if (r == ED_REC_FAIL) return -1;
    /* The scanner and the record parser agree on where records end, so a
    ** completed carry never ends in the middle of a record. */
    assert(r == ED_REC_DONE);
    if (r != ED_REC_DONE) break;
    off += used;
    d->offset += (int64_t)used;
  }
  d->carry_len = 0;
  d->carrying = false;
  d->scan_state = 0;
  return 0;
}

/* Keeps p[0..n), the start of a record, for the next feed. */
static void keep_tail(EdDecoder *d, const char *p, size_t n) {
  d->scan_state = ed_csv_scan_start(d->at_input_start);
  long k = scan_end(d, p, n);
  assert(k < 0);
  (void)k;
  d->carry_len = 0;
  carry_append(d, p, n);
  d->carrying = true;
}

/* Makes every column NULL in rows [out->nrows, ED_BATCH_CAP), a word at a
** time, so that a record only marks the fields it sets. */
static void clear_rows(EdDecoder *d, EdBatch *out) {
  int from = out->nrows, w = from >> 6;
  uint64_t keep = (from & 63) ? ((uint64_t)1 << (from & 63)) - 1 : 0;
  for (int c = 0; c < d->ncols; c++) {
    uint64_t *v = out->cols[c].validity;
    v[w] &= keep;
    for (int k = w + 1; k < ED_VALIDITY_WORDS; k++) v[k] = 0;
  }
}

long ed_decoder_feed(EdDecoder *d, const char *buf, size_t n, EdBatch *out,
                     EdError *err) {
  size_t off = 0;
  if (out->nrows >= ED_BATCH_CAP) return 0;
  clear_rows(d, out);
  if (d->carrying) {
    long k = scan_end(d, buf, n);
    if (k < 0) {
      carry_append(d, buf, n);
      return (long)n;
    }
    carry_append(d, buf, (size_t)k);
    if (decode_carry(d, false, out, err)) return -1;
    off = (size_t)k;
  }
  while (off < n && out->nrows < ED_BATCH_CAP) {
    size_t used = 0;
    EdRecResult r = decode_one(d, buf + off, n - off, false, out, &used, err);
    if (r == ED_REC_FAIL) return -1;
    if (r == ED_REC_INCOMPLETE) {
      keep_tail(d, buf + off, n - off);
      off = n;
      break;
    }
    off += used;
    d->offset += (int64_t)used;
  }
  return (long)off;
}

/* Decodes the kept record as the last one of its input. */
int ed_decoder_flush(EdDecoder *d, EdBatch *out, EdError *err) {
  assert(out->nrows < ED_BATCH_CAP);
  if (!d->carrying) return 0;
  clear_rows(d, out);
  return decode_carry(d, true, out, err);
}

/* ------------------------------------------------------------ typed text */

static void trim(const char **p, size_t *n) {
  const char *s = *p, *e = s + *n;
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
  *p = s;
  *n = (size_t)(e - s);
}

/* [+-]digits, in range, blanks around allowed; nothing else.  Up to 18
** digits cannot overflow, so they skip the range check. */
int ed_dec_parse_bigint(const char *p, size_t n, int64_t *out) {
  trim(&p, &n);
  const char *e = p + n;
  bool neg = false;
  if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
  if (p == e) return -1;
  uint64_t v = 0;
  if (e - p <= 18) {
    for (; p < e; p++) {
      unsigned dig = (unsigned)(*p - '0');
      if (dig > 9) return -1;
      v = v * 10 + dig;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
  }
  uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; p < e; p++) {
    unsigned dig = (unsigned)(*p - '0');
    if (dig > 9) return -1;
    if (v > (limit - dig) / 10) return -1;
    v = v * 10 + dig;
  }
  *out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
  return 0;
}

const double ed_pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parses a decimal number (digits, optional fraction and exponent; no hex,
** no blanks inside) or Infinity / NaN spellings.  Values whose digits fit
** in 2^53 with a decimal exponent of at most 22 are computed exactly in
** place (one multiplication or division, correctly rounded); the others
** go through strtod in the C locale. */
int ed_dec_parse_double(const char *p, size_t n, double *out) {
  trim(&p, &n);
  const char *s = p, *e = p + n;
  bool neg = false;
  if (s < e && (*s == '-' || *s == '+')) neg = *s++ == '-';
  if (e - s <= 20) {
    /* The plain form, digits with an optional fraction and at most 19 of
    ** them in all: the same exact computation as below, without the
    ** bookkeeping for exponents and long mantissas. */
    const char *q = s;
    uint64_t m = 0;
    while (q < e && (unsigned)(*q - '0') < 10) m = m * 10 + (uint64_t)(*q++ - '0');
    long ni = q - s, nf = 0;
    if (q < e && *q == '.') {
      const char *f = ++q;
      while (q < e && (unsigned)(*q - '0') < 10)
        m = m * 10 + (uint64_t)(*q++ - '0');
      nf = q - f;
    }
    if (q == e && ni + nf > 0 && ni + nf <= 19 &&
        m <= ((uint64_t)1 << 53)) {
      double v = nf ? (double)m / ed_pow10_exact[nf] : (double)m;
      *out = neg ? -v : v;
      return 0;
    }
  }
  size_t rest = (size_t)(e - s);
  if ((rest == 3 && strncasecmp(s, "inf", 3) == 0) ||
      (rest == 8 && strncasecmp(s, "infinity", 8) == 0)) {
    *out = neg ? -HUGE_VAL : HUGE_VAL;
    return 0;
  }
  if (rest == 3 && strncasecmp(s, "nan", 3) == 0) {
    *out = NAN;
    return 0;
  }
  uint64_t m = 0;
  int sig = 0, nd = 0, frac = 0, exp10 = 0;
  bool exact = true;
  for (; s < e && *s >= '0' && *s <= '9'; s++, nd++) {
    if (m || *s != '0') sig++;
    if (sig > 19) exact = false;
    else m = m * 10 + (uint64_t)(*s - '0');
    if (sig > 19) exp10++;
  }
  if (s < e && *s == '.') {
    for (s++; s < e && *s >= '0' && *s <= '9'; s++, nd++) {
      if (m || *s != '0') sig++;
      if (sig > 19) exact = false;
      else {
        m = m * 10 + (uint64_t)(*s - '0');
        frac++;
      }
    }
  }
  if (nd == 0) return -1;
  if (s < e && (*s == 'e' || *s == 'E')) {
    s++;
    bool eneg = false;
    if (s < e && (*s == '-' || *s == '+')) eneg = *s++ == '-';
    if (s == e) return -1;
    int x = 0;
    for (; s < e && *s >= '0' && *s <= '9'; s++)
      if (x < 100000) x = x * 10 + (*s - '0');
    exp10 += eneg ? -x : x;
  }
  if (s != e) return -1;
  exp10 -= frac;
  if (exact && m <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
    double v = (double)m;
    v = exp10 < 0 ? v / ed_pow10_exact[-exp10] : v * ed_pow10_exact[exp10];
    *out = neg ? -v : v;
    return 0;
  }
  char stack[128], *buf = n < sizeof stack ? stack : ed_malloc(n + 1);
  memcpy(buf, p, n);
  buf[n] = '\0';
  *out = strtod_l(buf, NULL, ed_c_locale());
  if (buf != stack) free(buf);
  return 0;
}

/* true/false/t/f/1/0 in any case. */
int ed_dec_parse_bool(const char *p, size_t n, bool *out) {
  trim(&p, &n);
  if ((n == 4 && strncasecmp(p, "true", 4) == 0) ||
      (n == 1 && (*p == 't' || *p == 'T' || *p == '1'))) {
    *out = true;
    return 0;
  }
  if ((n == 5 && strncasecmp(p, "false", 5) == 0) ||
      (n == 1 && (*p == 'f' || *p == 'F' || *p == '0'))) {
    *out = false;
    return 0;
  }
  return -1;
}

/* ------------------------------------------------------------------ rows */

void ed_dec_row_clear(EdDecoder *d, EdBatch *out) {
  for (int c = 0; c < d->ncols; c++)
    ed_vec_set_null(&out->cols[c], out->nrows);
}

void ed_dec_bad(EdDecoder *d, const char *fmt, ...) {
  if (d->rec_bad) return;
  d->rec_bad = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->reason, sizeof d->reason, fmt, ap);
  va_end(ap);
}

/* The values of a column already copied into one batch: each short value
** is kept once per batch, so that equal values share their bytes.  Then
** the rows of a low-cardinality key (a page, a country) repeat a few
** pointers, which grouping recognizes without hashing the bytes again
** (state/hashtable.c), and the arena holds each value once.  A slot table
** keyed by ed_short_key, probed linearly a few steps; a value that finds
** no slot is copied as usual.  After INTERN_MISS_LIMIT values not found in
** one batch the column is taken to have many distinct values and the
** table is left alone until the next batch. */
#define INTERN_SLOTS 256
#define INTERN_PROBES 4
#define INTERN_MISS_LIMIT 512

typedef struct InternSlot {
  uint64_t lo, hi;          /* ed_short_key of the value */
  const char *ptr;          /* its copy in the batch; NULL: free slot */
  uint32_t len;
} InternSlot;

struct EdInternTab {
  uint64_t serial;          /* batch the slots point into; 0: none */
  int misses;
  InternSlot slot[INTERN_SLOTS];
};

/* Column c's table, emptied when out is not the batch it points into;
** NULL when out cannot be told apart (serial 0). */
static EdInternTab *intern_tab(EdDecoder *d, const EdBatch *out, int c) {
  if (out->serial == 0) return NULL;
  if (!d->intern) d->intern = ed_calloc((size_t)d->ncols, sizeof *d->intern);
  EdInternTab *t = d->intern[c];
  if (!t) t = d->intern[c] = ed_calloc(1, sizeof *t);
  if (t->serial != out->serial) {
    memset(t->slot, 0, sizeof t->slot);
    t->serial = out->serial;
    t->misses = 0;
  }
  return t;
}

/* A copy of p[0..n) (0 < n <= ED_SHORTSTR_MAX) in out's arena: the one
** made earlier in this batch when the table has it, else a new one,
** remembered when its probe window has a free slot. */
static const char *intern_copy(EdDecoder *d, EdBatch *out, int c,
                               const char *p, uint32_t n) {
  EdInternTab *t = intern_tab(d, out, c);
  if (!t || t->misses >= INTERN_MISS_LIMIT)
    return ed_arena_copy_bytes(&out->arena, p, n);
  size_t readable = p >= d->rec_start && p < d->rec_end
                        ? (size_t)(d->rec_end - p) : 0;
  uint64_t lo, hi;
  ed_short_key(p, n, readable, &lo, &hi);
  uint64_t h = (lo ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull ^
               (hi + n) * 0x94D049BB133111EBull;
  uint32_t i = (uint32_t)((h ^ (h >> 29)) >> 56);
  InternSlot *free_slot = NULL;
  for (int k = 0; k < INTERN_PROBES; k++, i = (i + 1) % INTERN_SLOTS) {
    InternSlot *e = &t->slot[i];
    if (!e->ptr) {
      free_slot = e;
      break;
    }
    if (e->lo == lo && e->hi == hi && e->len == n) return e->ptr;
  }
  t->misses++;
  const char *dst = ed_arena_copy_bytes(&out->arena, p, n);
  if (free_slot) *free_slot = (InternSlot){lo, hi, dst, n};
  return dst;
}

void ed_dec_put_str(EdDecoder *d, EdBatch *out, int c, const char *p,
                    size_t n) {
  EdVector *v = &out->cols[c];
  const char *dst = "";
  if (n > ED_SHORTSTR_MAX) dst = ed_arena_copy_bytes(&out->arena, p, n);
  else if (n > 0) dst = intern_copy(d, out, c, p, (uint32_t)n);
  ED_VEC_STR(v)[out->nrows] = (EdStr){dst, (uint32_t)n};
  ed_vec_set_valid(v, out->nrows);
}

/* Collapses the "" pairs of a quoted CSV field into dst. */
static size_t csv_unescape(char *dst, const char *p, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    dst[k++] = p[i];
    if (p[i] == '"' && i + 1 < n && p[i + 1] == '"') i++;
  }
  return k;
}

/* Records why field c failed, showing (the start of) its text. */
static void bad_value(EdDecoder *d, int c, const char *p, size_t n,
                      bool quote) {
  int show = n > 60 ? 57 : (int)n;
  while (show > 0 && show < (int)n && ((unsigned char)p[show] & 0xC0) == 0x80)
    show--;
  ed_dec_bad(d, "field \"%s\": %s%.*s%s%s is not a%s %s", d->names[c],
             quote ? "\"" : "", show, p, show < (int)n ? "..." : "",
             quote ? "\"" : "",
             d->types[c] == ED_T_INTERVAL ? "n" : "",
             ed_type_name(d->types[c]));
}

/* The six digits of p[0..6) as an integer, or -1. */
static int64_t six_digits(const char *p) {
  int64_t v = 0;
  for (int i = 0; i < 6; i++) {
    unsigned dig = (unsigned)(p[i] - '0');
    if (dig > 9) return -1;
    v = v * 10 + dig;
  }
  return v;
}

/* Whether the 19 bytes at a and b are equal (three word loads). */
static inline bool same19(const char *a, const char *b) {
  uint64_t a0, a1, b0, b1;
  uint32_t a2, b2;
  memcpy(&a0, a, 8);
  memcpy(&b0, b, 8);
  memcpy(&a1, a + 8, 8);
  memcpy(&b1, b + 8, 8);
  memcpy(&a2, a + 15, 4);
  memcpy(&b2, b + 15, 4);
  return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0;
}

/* ed_parse_timestamp with a shortcut for the form of most timestamps in
** data files, YYYY-MM-DDTHH:MM:SS.ffffffZ (27 bytes): when the text up
** to the seconds equals the last one parsed, only the fraction is new.
** The result is the same as ed_parse_timestamp's: the prefix parsed to
** the same instant before, and ".ffffffZ" adds ffffff microseconds. */
static int parse_ts(EdDecoder *d, const char *p, size_t n, int64_t *out) {
  bool shape = n == 27 && p[19] == '.' && p[26] == 'Z';
  int64_t frac = shape ? six_digits(p + 20) : -1;
  if (frac >= 0 && d->ts_cached && same19(p, d->ts_prefix)) {
    *out = d->ts_base + frac;
    return 0;
  }
  if (ed_parse_timestamp(p, n, out)) return -1;
  if (frac >= 0) {
    memcpy(d->ts_prefix, p, 19);
    d->ts_base = *out - frac;
    d->ts_cached = true;
  }
  return 0;
}

void ed_dec_put_text(EdDecoder *d, EdBatch *out, int c, const char *p,
                     size_t n, int kind) {
  EdVector *v = &out->cols[c];
  int row = out->nrows;
  EdType t = d->types[c];
  if (t == ED_T_VARCHAR) {
    if (kind == ED_TXT_CSV_ESC || kind == ED_TXT_JSON_ESC) {
      char *dst = ed_arena_alloc(&out->arena, n ? n : 1);
      size_t len = kind == ED_TXT_CSV_ESC ? csv_unescape(dst, p, n)
                                          : ed_json_unescape(dst, p, n);
      ED_VEC_STR(v)[row] = (EdStr){dst, (uint32_t)len};
      ed_vec_set_valid(v, row);
    } else {
      ed_dec_put_str(d, out, c, p, n);
    }
    return;
  }
  if (kind == ED_TXT_CSV_ESC || kind == ED_TXT_JSON_ESC) {
    char *s = ed_dec_scratch(d, n + 1);
    n = kind == ED_TXT_CSV_ESC ? csv_unescape(s, p, n)
                               : ed_json_unescape(s, p, n);
    p = s;
  }
  int rc = -1;
  switch (t) {
    case ED_T_BIGINT:
    case ED_T_TIMESTAMP:
    case ED_T_INTERVAL: {
      int64_t x;
      rc = t == ED_T_BIGINT      ? ed_dec_parse_bigint(p, n, &x)
           : t == ED_T_TIMESTAMP ? parse_ts(d, p, n, &x)
                                 : ed_parse_interval(p, n, NULL, &x);
      if (rc == 0) ED_VEC_I64(v)[row] = x;
      break;
    }
    case ED_T_DOUBLE: {
      double x;
      rc = ed_dec_parse_double(p, n, &x);
      if (rc == 0) ED_VEC_F64(v)[row] = x;
      break;
    }
    case ED_T_BOOL: {
      bool x;
      rc = ed_dec_parse_bool(p, n, &x);
      if (rc == 0) ED_VEC_BOOL(v)[row] = x;
      break;
    }
    default:
      break;
  }
  if (rc == 0) {
    ed_vec_set_valid(v, row);
  } else {
    ed_vec_set_null(v, row);
    bad_value(d, c, p, n, kind != ED_TXT_RAW);
  }
}

/* --------------------------------------------------------- bad records */

/* mkdir -p: creates path and its missing parents.  Returns -1 with errno
** set when a component cannot be made or exists as something else. */
static int make_dirs(const char *path) {
  char *tmp = ed_strdup(path);
  int rc = 0;
  for (char *s = tmp + 1;; s++) {
    if (*s == '/' || *s == '\0') {
      char save = *s;
      *s = '\0';
      struct stat st;
      if (mkdir(tmp, 0777) != 0 &&
          (errno != EEXIST || stat(tmp, &st) != 0 || !S_ISDIR(st.st_mode))) {
        if (errno == EEXIST) errno = ENOTDIR;
        rc = -1;
        break;
      }
      *s = save;
      if (!save) break;
    }
  }
  free(tmp);
  return rc;
}

/* Writes s as a JSON string literal. */
static void json_string(FILE *f, const char *s, size_t n) {
  putc('"', f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      putc('\\', f);
      putc(c, f);
    } else if (c == '\n') {
      fputs("\\n", f);
    } else if (c == '\r') {
      fputs("\\r", f);
    } else if (c == '\t') {
      fputs("\\t", f);
    } else if (c < 0x20) {
      fprintf(f, "\\u%04x", c);
    } else {
      putc(c, f);
    }
  }
  putc('"', f);
}

/* Appends the current bad record to <bad_records_path>/bad_records.jsonl,
** opening (and creating the directory) on first use. */
static int write_bad(EdDecoder *d, const char *raw, size_t rawlen,
                     EdError *err) {
  const char *dir = d->opts.bad_records_path;
  if (!d->bad_file) {
    if (make_dirs(dir) != 0)
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "cannot create bad_records_path '%s': %s", dir,
                          strerror(errno));
    size_t len = strlen(dir) + 32;
    d->bad_file_path = ed_malloc(len);
    snprintf(d->bad_file_path, len, "%s/bad_records.jsonl", dir);
    d->bad_file = fopen(d->bad_file_path, "a");
    if (!d->bad_file)
      return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot open '%s': %s",
                          d->bad_file_path, strerror(errno));
  }
  FILE *f = d->bad_file;
  fputs("{\"source\": ", f);
  json_string(f, d->opts.source_name, strlen(d->opts.source_name));
  fprintf(f, ", \"line\": %lld, \"reason\": ", (long long)d->rec_line);
  json_string(f, d->reason, strlen(d->reason));
  fputs(", \"record\": ", f);
  json_string(f, raw, rawlen);
  fputs("}\n", f);
  if (fflush(f) != 0 || ferror(f))
    return ed_error_set(err, ED_ERR_EXEC, NULL, "cannot write '%s': %s",
                        d->bad_file_path, strerror(errno));
  return 0;
}

int ed_dec_row_end_bad(EdDecoder *d, EdBatch *out, const char *raw,
                       size_t rawlen, EdError *err) {
  assert(d->rec_bad);
  d->stats.bad++;
  if (d->opts.bad_records_path && write_bad(d, raw, rawlen, err)) return -1;
  switch (d->opts.mode) {
    case ED_BAD_FAILFAST:
      ed_dec_row_clear(d, out);
      return ed_error_set(err, ED_ERR_EXEC, NULL,
                          "FAILFAST: malformed record at %s line %lld: %s",
                          d->opts.source_name, (long long)d->rec_line,
                          d->reason);
    case ED_BAD_DROPMALFORMED:
      ed_dec_row_clear(d, out);   /* the next record reuses the row */
      return 0;
    case ED_BAD_PERMISSIVE:
      break;
  }
  if (d->corrupt_col >= 0) ed_dec_put_str(d, out, d->corrupt_col, raw, rawlen);
  out->nrows++;
  return 0;
}

/* ------------------------------------------------------------------ text */

/* One line, whole, into the text column; every line is a record, blank
** ones included. */
EdRecResult ed_text_record(EdDecoder *d, const char *p, size_t n, bool final,
                           EdBatch *out, size_t *used, EdError *err) {
  size_t bom = 0;
  if (d->at_input_start && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    bom = 3;
  const char *s = p + bom;
  const char *nl = memchr(s, '\n', n - bom);
  if (!nl && !final) return ED_REC_INCOMPLETE;
  size_t len = nl ? (size_t)(nl - s) : n - bom;
  *used = bom + len + (nl ? 1 : 0);
  d->at_input_start = false;
  d->rec_line = d->stats.line++;
  if (len && s[len - 1] == '\r') len--;
  ed_dec_row_begin(d, out, s, p + *used);
  ed_dec_put_str(d, out, d->text_col, s, len);
  return ed_dec_row_end(d, out, s, len, err) ? ED_REC_FAIL : ED_REC_DONE;
}
