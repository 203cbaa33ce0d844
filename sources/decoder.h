/*
** sources/decoder.h — incremental decoders from bytes to column batches.
**
** A decoder turns a byte stream in one input format (CSV, JSON lines,
** text) into rows of a schema, appended straight into a caller's EdBatch:
** numbers are parsed in place from the bytes handed in, strings are copied
** once, into the batch's arena.  It is fed buffers in order, cut anywhere
** (a record may straddle any number of buffers: the decoder keeps the
** unfinished tail itself), so every source uses it the same way:
**
**     while (bytes arrive) {
**       size_t off = 0;
**       while (off < n) {
**         long k = ed_decoder_feed(d, buf + off, n - off, batch, &err);
**         if (k < 0) fail;                       (FAILFAST, I/O)
**         off += k;
**         if (batch->nrows == ED_BATCH_CAP) push and reset the batch;
**       }
**     }
**     make room if the batch is full; ed_decoder_flush(d, batch, &err);
**     push what is left;
**
** A file or stdin calls flush once at end of input; a message-based source
** (one record per Kafka message, opts->header false) calls it after each
** message.
**
** Records and columns.  CSV fields map to the schema's input columns by
** position (a header line, when declared, is skipped); JSON keys map to
** them by name, case-insensitively; text puts each line into the column
** named `value` (or the first VARCHAR column).  The input columns are all
** schema columns except `_corrupt_record` (which receives the raw text of
** a malformed record, DESIGN §6) and those the caller marks as external
** (filled by the source itself, e.g. Kafka's _key or _arrival: the decoder
** leaves them NULL).  Blank lines are skipped in CSV and JSON lines.
**
** Malformed records (wrong CSV field count, a value that does not convert,
** invalid JSON, a line that is not a JSON object) follow opts->mode:
** PERMISSIVE keeps the row with the failed fields NULL and the raw record
** in _corrupt_record when declared; DROPMALFORMED drops it; FAILFAST fails
** with "FAILFAST: malformed record at <source> line <n>: <reason>".  Every
** malformed record is counted in the stats and, with bad_records_path,
** appended as one JSON line {"source", "line", "reason", "record"} to
** <bad_records_path>/bad_records.jsonl (the directory is created).
*/
#ifndef ED_DECODER_H
#define ED_DECODER_H

#include <assert.h>
#include <stdio.h>

#include "sources/file_source.h"

typedef struct EdDecoder EdDecoder;
typedef struct EdInternTab EdInternTab;

/* Creates a decoder for rows of schema.  external, when not NULL, has
** schema->ncols flags; a true flag marks a column the decoder must not read
** from the input.  Options and schema are copied.  Returns NULL with err
** set when the schema cannot be decoded (a WINDOW column, _corrupt_record
** not VARCHAR, text format without a VARCHAR column). */
EdDecoder *ed_decoder_new(const EdDecodeOpts *opts, const EdSchema *schema,
                          const bool *external, EdError *err);
void ed_decoder_free(EdDecoder *d);

/* A new decoder with d's options, schema, external and skipped columns,
** at the start of an input (for decoding parts of one input on several
** threads).  Never fails: d's settings were checked when it was made. */
EdDecoder *ed_decoder_clone(const EdDecoder *d);

/* Tells the decoder which columns the reader looks at (read[c] for each
** schema column; NULL: all).  The other input columns are still found in
** each record (CSV field counts and JSON syntax are checked as before)
** but not converted: they stay NULL.  This only happens in PERMISSIVE
** mode without a _corrupt_record column or bad_records_path, where a
** malformed value in a column nobody reads changes nothing but the count
** of malformed records (as Spark's CSV column pruning); in the other
** modes, where a malformed value drops the row, stops the query or is
** written out, every column is converted. */
void ed_decoder_prune(EdDecoder *d, const bool *read);

/* Whether decoders of these options and schema skip the columns nobody
** reads (the rule ed_decoder_prune applies). */
bool ed_decode_prunable(const EdDecodeOpts *o, const EdSchema *schema);

/* Decodes the complete records of buf[0..n) into out, from row
** out->nrows on.  Returns the number of bytes taken: n, unless out became
** full first (the caller pushes out, resets it, and feeds the rest).  The
** bytes of an unfinished last record are taken and kept.  Returns -1 with
** err set on FAILFAST or when bad_records_path cannot be written. */
long ed_decoder_feed(EdDecoder *d, const char *buf, size_t n, EdBatch *out,
                     EdError *err);

/* Ends the current input: decodes the kept unfinished record, if any, as
** if a newline followed it.  out must have room for one row.  The decoder
** stays usable; the next bytes start a new record.  Returns 0 or -1. */
int ed_decoder_flush(EdDecoder *d, EdBatch *out, EdError *err);

/* Starts a new input (the next file of a directory): forgets any kept
** bytes, expects a header again if the format has one, restarts line
** numbers at 1 and names the input source_name in messages. */
void ed_decoder_reset(EdDecoder *d, const char *source_name);

/* Positions the decoder in the middle of an input, e.g. when a streaming
** source resumes at a checkpointed offset: the next byte fed is at byte
** offset of the input and on line `line`; a header is not expected when
** offset > 0. */
void ed_decoder_seek(EdDecoder *d, int64_t offset, int64_t line);

/* Byte offset in the current input just past the last complete record
** decoded (a safe resume point for ed_decoder_seek). */
int64_t ed_decoder_offset(const EdDecoder *d);

/* Counts so far (records, bad records, current line). */
const EdDecodeStats *ed_decoder_stats(const EdDecoder *d);

/* Path of the bad records file when one was written, else NULL. */
const char *ed_decoder_bad_file(const EdDecoder *d);

/* Guesses the format of input that starts with buf[0..n): JSON lines when
** the first non-blank character is '{', else CSV when the first line holds
** a comma (or a tab, then delim is set to '\t'), else text. */
EdInFormat ed_detect_format(const char *buf, size_t n, char *delim);

/* Infers a schema from buf[0..n), the start of an input (see
** ed_infer_schema).  complete says that buf holds the whole input; when
** it does not, a last record without its line end is left out. */
int ed_infer_schema_buf(const char *buf, size_t n, bool complete,
                        const EdDecodeOpts *opts, EdSchema *out,
                        EdError *err);

/* ---------------------------------------------------------------------
** Internal to sources/: the decoder's state and the per-format hooks.
*/

/* One CSV field as found in the input: [ptr, ptr+len) between the quotes
** when quoted. */
typedef struct EdCsvField {
  const char *ptr;
  uint32_t len;
  uint8_t quoted;     /* was quoted (so "" is an empty string, not NULL) */
  uint8_t escapes;    /* holds "" pairs to collapse */
  uint8_t garbage;    /* text after the closing quote: malformed */
} EdCsvField;

/* Result of decoding one record. */
typedef enum EdRecResult {
  ED_REC_DONE,        /* a record (or blank line or header) was consumed */
  ED_REC_INCOMPLETE,  /* the bytes end before the record does */
  ED_REC_FAIL         /* FAILFAST or I/O error: err is set */
} EdRecResult;

struct EdDecoder {
  EdDecodeOpts opts;        /* strings owned (copied) */
  int ncols;
  EdType *types;            /* ncols */
  char **names;             /* ncols */
  size_t *name_len;         /* ncols */
  char (*key_pat)[16];      /* ncols: `"name":` as it appears in compact
                               JSON (names up to 13 bytes) */
  uint8_t *key_pat_len;     /* ncols: its length, 0 for longer names */
  uint64_t *name_tail;      /* ncols: the last 8 bytes of a name of 8 to
                               16 bytes (keys compared as two words) */
  uint64_t *name_word;      /* ncols: the first 8 bytes of the name,
                               zero-padded (fast key matching) */
  int nin;                  /* input columns, in schema order */
  int *in_cols;
  bool *external;           /* ncols: not read from input */
  bool *skip;               /* ncols: found in the input but not
                               converted (ed_decoder_prune) */
  int corrupt_col;          /* _corrupt_record, or -1 */
  int text_col;             /* text format target column */
  EdDecodeStats stats;
  bool header_pending;      /* CSV header not yet skipped */
  bool at_input_start;      /* a UTF-8 BOM may follow */
  int64_t offset;           /* input offset of the next unconsumed byte */
  /* Unfinished record kept between feeds. */
  char *carry;
  size_t carry_len, carry_cap;
  bool carrying;
  int scan_state;           /* CSV quote state at the end of carry */
  /* CSV */
  EdCsvField *fields;
  int fields_cap;
  /* JSON */
  int *key_hint;            /* column matched by the k-th key last time */
  int key_hint_cap;
  char *scratch;            /* unescaped keys, number text, reasons */
  size_t scratch_cap;
  /* The last timestamp of the form YYYY-MM-DDTHH:MM:SS.ffffffZ parsed:
  ** its text up to the seconds and its value without the fraction, so
  ** that the next one within the same second costs a compare. */
  char ts_prefix[19];
  int64_t ts_base;
  bool ts_cached;
  /* Short VARCHAR values already in the batch being filled, one table
  ** per column, made on first use (see ed_dec_put_str). */
  EdInternTab **intern;
  /* The record being decoded. */
  int64_t rec_line;         /* line where it starts */
  const char *rec_start;    /* its bytes: a value that lies in them may be */
  const char *rec_end;      /* read up to rec_end (ed_dec_put_str) */
  bool rec_bad;
  char reason[512];
  /* bad_records_path output */
  FILE *bad_file;
  char *bad_file_path;
};

/* Decodes one record of a format starting at p (n bytes available).  With
** final set, the end of the bytes ends the record.  On ED_REC_DONE *used
** is the number of bytes consumed, terminator included. */
EdRecResult ed_csv_record(EdDecoder *d, const char *p, size_t n, bool final,
                          EdBatch *out, size_t *used, EdError *err);
EdRecResult ed_jsonl_record(EdDecoder *d, const char *p, size_t n,
                            bool final, EdBatch *out, size_t *used,
                            EdError *err);

/* Continues the CSV quote state machine over p[0..n) from *state; returns
** the index just past the newline that ends the record, or -1 (with *state
** updated) when the bytes end first.  Initial state is 0. */
long ed_csv_scan(int *state, const char *p, size_t n, char delim);

/* The state to scan a kept record from (0, or the state that skips a byte
** order mark at the start of an input). */
int ed_csv_scan_start(bool at_input_start);

/* Unescapes a JSON string body (validated) into dst (room for n bytes);
** returns the length. */
size_t ed_json_unescape(char *dst, const char *p, size_t n);

/* Kinds of JSON values reported by ed_json_walk. */
typedef enum EdJsonKind { ED_JSON_STRING, ED_JSON_INT, ED_JSON_FLOAT,
                          ED_JSON_BOOL, ED_JSON_NULL, ED_JSON_NESTED
} EdJsonKind;

/* Calls cb for every key of the JSON object that is the whole of
** p[0..n), in order: key (unescaped, in d's scratch), the value's kind and
** its text (a string's body, still escaped).  Returns 0, or -1 when the
** text is not a valid JSON object. */
typedef void (*EdJsonKeyFn)(void *ctx, const char *key, size_t klen,
                            EdJsonKind kind, const char *v, size_t vlen);
int ed_json_walk(EdDecoder *d, const char *p, size_t n, EdJsonKeyFn cb,
                 void *ctx);

/* Decodes one line of the text format. */
EdRecResult ed_text_record(EdDecoder *d, const char *p, size_t n, bool final,
                           EdBatch *out, size_t *used, EdError *err);

/* Splits one CSV record at p into d->fields.  Returns ED_REC_INCOMPLETE
** or ED_REC_DONE with *nfields, *used (terminator included), *rec_len
** (record text without its terminator) and *newlines (line breaks
** consumed).  An unterminated quote at the end of final input ends the
** record with *unterminated set. */
EdRecResult ed_csv_split(EdDecoder *d, const char *p, size_t n, bool final,
                         int *nfields, size_t *used, size_t *rec_len,
                         int *newlines, bool *unterminated);

/* Row helpers shared by the formats (decoder.c). */

/* Starts a row at out->nrows, from the record in [rec, rec_end) of the
** input.  Its columns are already NULL: each feed clears the rows it may
** write, and a dropped row is cleared again. */
static inline void ed_dec_row_begin(EdDecoder *d, EdBatch *out,
                                    const char *rec, const char *rec_end) {
  assert(out->nrows < ED_BATCH_CAP);
  (void)out;
  d->rec_start = rec;
  d->rec_end = rec_end;
  d->rec_bad = false;
  d->reason[0] = '\0';
}

/* Converts text [p, p+n) into column c of the current row per the
** column's type (VARCHAR: copied into the batch arena).  When it does not
** convert, the column stays NULL and the record is marked bad with a
** reason naming the field and the value. */
void ed_dec_put_text(EdDecoder *d, EdBatch *out, int c, const char *p,
                     size_t n, int kind);

/* Kinds of text handed to ed_dec_put_text. */
#define ED_TXT_PLAIN 0      /* as is; quoted in a reason */
#define ED_TXT_CSV_ESC 1    /* CSV quoted field with "" to collapse */
#define ED_TXT_JSON_ESC 2   /* JSON string body with escapes */
#define ED_TXT_RAW 3        /* JSON number or literal; unquoted in a reason */

/* Sets column c of the current row to the string [p, p+n), copied. */
void ed_dec_put_str(EdDecoder *d, EdBatch *out, int c, const char *p,
                    size_t n);

/* Sets every column of the current row back to NULL (a record whose
** syntax is broken keeps no field). */
void ed_dec_row_clear(EdDecoder *d, EdBatch *out);

/* Marks the current record malformed with a printf reason (the first
** reason given is kept). */
void ed_dec_bad(EdDecoder *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ends the row: commits it (good record, or bad under PERMISSIVE, raw text
** into _corrupt_record), drops it (DROPMALFORMED) or fails (FAILFAST).
** raw is the record's text without terminator.  Returns 0 or -1.  A good
** record is committed inline; ed_dec_row_end_bad does the rest. */
int ed_dec_row_end_bad(EdDecoder *d, EdBatch *out, const char *raw,
                       size_t rawlen, EdError *err);
static inline int ed_dec_row_end(EdDecoder *d, EdBatch *out, const char *raw,
                                 size_t rawlen, EdError *err) {
  if (!d->rec_bad) {
    out->nrows++;
    d->stats.records++;
    return 0;
  }
  return ed_dec_row_end_bad(d, out, raw, rawlen, err);
}

/* Parsers of typed text, strict: the whole text must be the value
** (surrounding blanks allowed).  Return 0 on success, -1 otherwise. */
int ed_dec_parse_bigint(const char *p, size_t n, int64_t *out);
int ed_dec_parse_double(const char *p, size_t n, double *out);

/* 10^0 .. 10^22, each exactly a double: a decimal m / 10^k with m <= 2^53
** is then correctly rounded. */
extern const double ed_pow10_exact[23];

/* The common number for a BIGINT or DOUBLE column (t), read in one pass
** from s (before e): an optional '-', then an integer of at most 18
** digits without a leading zero, or (DOUBLE) digits with a fraction, at
** most 18 in all, no exponent.  Returns the end of the number with *i
** (BIGINT) or *d (DOUBLE) set to what ed_dec_parse_bigint /
** ed_dec_parse_double give for the same text, or NULL for any other form
** (the caller then takes the general path). */
static inline const char *ed_dec_fast_number(const char *s, const char *e,
                                             EdType t, int64_t *i,
                                             double *d) {
  bool neg = s < e && *s == '-';
  s += neg;
  const char *d0 = s;
  uint64_t m = 0;
  while (s < e && (unsigned)(*s - '0') < 10)
    m = m * 10 + (uint64_t)(*s++ - '0');
  long ni = s - d0, nf = 0;
  if (ni < 1 || ni > 18 || (ni > 1 && *d0 == '0')) return NULL;
  if (s < e && *s == '.') {
    if (t != ED_T_DOUBLE) return NULL;
    const char *f = ++s;
    while (s < e && (unsigned)(*s - '0') < 10)
      m = m * 10 + (uint64_t)(*s++ - '0');
    nf = s - f;
    if (nf < 1 || ni + nf > 18) return NULL;
  }
  if (s < e && (*s == 'e' || *s == 'E')) return NULL;
  if (t == ED_T_DOUBLE) {
    if (m > ((uint64_t)1 << 53)) return NULL;
    double v = nf ? (double)m / ed_pow10_exact[nf] : (double)m;
    *d = neg ? -v : v;
  } else {
    *i = neg ? -(int64_t)m : (int64_t)m;
  }
  return s;
}
int ed_dec_parse_bool(const char *p, size_t n, bool *out);

/* Grows d->scratch to at least n bytes and returns it. */
char *ed_dec_scratch(EdDecoder *d, size_t n);

#endif
