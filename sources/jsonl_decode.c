/*
** sources/jsonl_decode.c — JSON lines (one JSON object per line) into
** batch rows.
**
** The line is parsed in place by a small validating scanner (RFC 8259),
** so a record costs no allocation and integers keep all 64 bits: a general
** JSON library would build a node per value and read every number as a
** double.  Keys are matched to the input columns case-insensitively (the
** column that the k-th key matched on the previous line is tried first,
** since lines of one stream usually share their key order); unknown keys
** are validated and skipped; a missing key or null leaves the column NULL;
** the last of duplicate keys wins.
**
** Conversions: a string is parsed per the column type like CSV text; a
** number goes to BIGINT only when it is an integer in range, to DOUBLE,
** to TIMESTAMP as seconds since the epoch (fraction kept to the
** microsecond), to VARCHAR as written; true/false go to BOOLEAN or
** VARCHAR ("true"); an object or array goes to VARCHAR as its compact JSON
** text (blanks outside strings removed).  Anything else is a conversion
** failure of that field.  A line that is not a JSON object, or not valid
** JSON, is malformed as a whole: all its fields are NULL.
*/
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sources/decoder.h"

#define MAX_DEPTH 512

typedef struct Lex {
  const char *start;    /* line start, for column numbers */
  const char *p, *end;
  const char *err;      /* first syntax error, or NULL */
  const char *err_at;
} Lex;

static bool fail(Lex *x, const char *at, const char *msg) {
  if (!x->err) {
    x->err = msg;
    x->err_at = at;
  }
  return false;
}

/* Skips blanks.  Compact JSON has none between tokens, so one compare
** settles the common case. */
static inline void skip_ws(Lex *x) {
  while (x->p < x->end && (unsigned char)*x->p <= ' ' &&
         (*x->p == ' ' || *x->p == '\t' || *x->p == '\r' || *x->p == '\n'))
    x->p++;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Bytes that end the plain run of a string: quote, backslash, controls. */
static const bool str_stop[256] = {
    [0 ... 0x1F] = true, ['"'] = true, ['\\'] = true};

/* End of the run of plain string bytes at s: the first quote, backslash
** or control byte in [s, end), or end.  Sixteen bytes at a time where
** SSE2 exists (every x86-64). */
static inline const char *plain_run(const char *s, const char *end) {
#if defined(__SSE2__)
  const __m128i vq = _mm_set1_epi8('"'), vb = _mm_set1_epi8('\\'),
                vc = _mm_set1_epi8(0x1F);
  while (end - s >= 16) {
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(b, vq), _mm_cmpeq_epi8(b, vb)),
        _mm_cmpeq_epi8(_mm_max_epu8(b, vc), vc));
    unsigned m = (unsigned)_mm_movemask_epi8(stop);
    if (m) return s + __builtin_ctz(m);
    s += 16;
  }
#endif
  while (s < end && !str_stop[(unsigned char)*s]) s++;
  return s;
}

/* lex_string's general case: strings with escapes or control bytes, or
** ending within sixteen bytes of the end of the line. */
static bool __attribute__((noinline))
lex_string_slow(Lex *x, const char **b, size_t *n, bool *esc) {
  const char *s = x->p + 1;
  *esc = false;
  for (;;) {
    s = plain_run(s, x->end);
    if (s >= x->end) return fail(x, s, "unterminated string");
    if (*s == '"') break;
    if (*s != '\\') return fail(x, s, "control character in string");
    *esc = true;
    if (s + 1 >= x->end) return fail(x, s, "unterminated string");
    char c = s[1];
    if (c == 'u') {
      if (x->end - s < 6 || hexval(s[2]) < 0 || hexval(s[3]) < 0 ||
          hexval(s[4]) < 0 || hexval(s[5]) < 0)
        return fail(x, s, "invalid \\u escape");
      s += 6;
    } else if (strchr("\"\\/bfnrt", c) && c) {
      s += 2;
    } else {
      return fail(x, s, "invalid escape in string");
    }
  }
  *b = x->p + 1;
  *n = (size_t)(s - *b);
  x->p = s + 1;
  return true;
}

/* Scans the string at x->p (on its opening quote); sets [*b, *b+*n) to the
** body and *esc when it holds escapes.  A plain string (no backslash or
** control byte before its closing quote: keys and most values) is scanned
** sixteen bytes per SSE2 compare. */
static inline bool lex_string(Lex *x, const char **b, size_t *n,
                              bool *esc) {
#if defined(__SSE2__)
  const char *s = x->p + 1, *t = s;
  while (x->end - t >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)t);
    const __m128i vc = _mm_set1_epi8(0x1F);
    unsigned q = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    unsigned o = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                     _mm_cmpeq_epi8(_mm_max_epu8(v, vc), vc)));
    if (q) {
      unsigned i = (unsigned)__builtin_ctz(q);
      if ((o & ((1u << i) - 1)) == 0) {
        *esc = false;
        *b = s;
        *n = (size_t)(t - s) + i;
        x->p = t + i + 1;
        return true;
      }
      break;
    }
    if (o) break;
    t += 16;
  }
#endif
  return lex_string_slow(x, b, n, esc);
}

/* Past the ASCII digits at s (s < e).  Eight bytes are classified at once
** where eight are there: a byte is a digit when its high nibble is 3 and
** adding 6 keeps it so; the first byte that is not gives the run's end (a
** carry out of a byte >= 0xFA can only disturb the bytes after it). */
static inline const char *skip_digits(const char *s, const char *e) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, three = 0x3030303030303030ull,
                 low7 = 0x7F7F7F7F7F7F7F7Full;
  while (e - s >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t bad = ((w & hi) ^ three) |
                   (((w + 0x0606060606060606ull) & hi) ^ three);
    uint64_t nz = (((bad & low7) + low7) | bad) & ~low7;
    if (nz) return s + (__builtin_ctzll(nz) >> 3);
    s += 8;
  }
#endif
  while (s < e && (unsigned)(*s - '0') < 10) s++;
  return s;
}

/* Scans a number (JSON grammar); *is_int when it has no fraction or
** exponent. */
static bool lex_number(Lex *x, bool *is_int) {
  const char *s = x->p, *e = x->end;
  *is_int = true;
  if (s < e && *s == '-') s++;
  if (s >= e || *s < '0' || *s > '9') return fail(x, s, "invalid number");
  if (*s == '0') {
    s++;
  } else {
    s = skip_digits(s, e);
  }
  if (s < e && *s == '.') {
    *is_int = false;
    s++;
    if (s >= e || *s < '0' || *s > '9') return fail(x, s, "invalid number");
    s = skip_digits(s, e);
  }
  if (s < e && (*s == 'e' || *s == 'E')) {
    *is_int = false;
    s++;
    if (s < e && (*s == '+' || *s == '-')) s++;
    if (s >= e || *s < '0' || *s > '9') return fail(x, s, "invalid number");
    s = skip_digits(s, e);
  }
  x->p = s;
  return true;
}

static bool lex_literal(Lex *x, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(x->end - x->p) < n || memcmp(x->p, word, n) != 0)
    return fail(x, x->p, "invalid literal");
  x->p += n;
  return true;
}

/* Validates and skips any value. */
static bool lex_value(Lex *x, int depth) {
  if (x->p >= x->end) return fail(x, x->p, "value expected");
  const char *b;
  size_t n;
  bool flag;
  switch (*x->p) {
    case '"': return lex_string(x, &b, &n, &flag);
    case 't': return lex_literal(x, "true");
    case 'f': return lex_literal(x, "false");
    case 'n': return lex_literal(x, "null");
    case '{':
    case '[': {
      char close = *x->p == '{' ? '}' : ']';
      bool obj = close == '}';
      if (depth >= MAX_DEPTH) return fail(x, x->p, "nested too deeply");
      x->p++;
      skip_ws(x);
      if (x->p < x->end && *x->p == close) {
        x->p++;
        return true;
      }
      for (;;) {
        skip_ws(x);
        if (obj) {
          if (x->p >= x->end || *x->p != '"')
            return fail(x, x->p, "object key expected");
          if (!lex_string(x, &b, &n, &flag)) return false;
          skip_ws(x);
          if (x->p >= x->end || *x->p != ':')
            return fail(x, x->p, "':' expected");
          x->p++;
          skip_ws(x);
        }
        if (!lex_value(x, depth + 1)) return false;
        skip_ws(x);
        if (x->p < x->end && *x->p == ',') {
          x->p++;
          continue;
        }
        if (x->p < x->end && *x->p == close) {
          x->p++;
          return true;
        }
        return fail(x, x->p, obj ? "',' or '}' expected"
                                 : "',' or ']' expected");
      }
    }
    default:
      if (*x->p == '-' || (*x->p >= '0' && *x->p <= '9'))
        return lex_number(x, &flag);
      return fail(x, x->p, "unexpected character");
  }
}

/* Appends the UTF-8 encoding of code point cp at o. */
static char *put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    *o++ = (char)cp;
  } else if (cp < 0x800) {
    *o++ = (char)(0xC0 | (cp >> 6));
    *o++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = (char)(0xE0 | (cp >> 12));
    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *o++ = (char)(0xF0 | (cp >> 18));
    *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  }
  return o;
}

static unsigned hex4(const char *s) {
  return (unsigned)(hexval(s[0]) << 12 | hexval(s[1]) << 8 |
                    hexval(s[2]) << 4 | hexval(s[3]));
}

/* Unescapes a validated string body.  A \u escape takes at most 6 input
** bytes and gives at most 4 output bytes (a surrogate pair: 12 -> 4), so
** the output never outgrows the input.  Unpaired surrogates become
** U+FFFD. */
size_t ed_json_unescape(char *dst, const char *p, size_t n) {
  char *o = dst;
  const char *e = p + n;
  while (p < e) {
    if (*p != '\\') {
      *o++ = *p++;
      continue;
    }
    char c = p[1];
    p += 2;
    switch (c) {
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case 'u': {
        unsigned cp = hex4(p);
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00) {
          if (e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
            unsigned lo = hex4(p + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              p += 6;
            } else {
              cp = 0xFFFD;
            }
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        o = put_utf8(o, cp);
        break;
      }
      default: *o++ = c; break;   /* " \ / */
    }
  }
  return (size_t)(o - dst);
}

/* Copies the validated JSON value [p, e) without blanks outside strings. */
static size_t minify(char *dst, const char *p, const char *e) {
  char *o = dst;
  bool in_str = false;
  for (; p < e; p++) {
    char c = *p;
    if (in_str) {
      *o++ = c;
      if (c == '\\') *o++ = *++p;
      else if (c == '"') in_str = false;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      *o++ = c;
      if (c == '"') in_str = true;
    }
  }
  return (size_t)(o - dst);
}

/* Whether a[0..n) and b[0..n) are the same bytes: key names are short,
** so an inline loop beats a call to memcmp. */
static inline bool same_bytes(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return false;
  return true;
}

/* Finds the input column named [k, k+n) for the kpos-th key of the line. */
static int match_key(EdDecoder *d, int kpos, const char *k, size_t n,
                     const char *end) {
  if (kpos >= d->key_hint_cap) {
    int cap = kpos * 2 + 16;
    d->key_hint = ed_realloc(d->key_hint, (size_t)cap * sizeof(int));
    for (int i = d->key_hint_cap; i < cap; i++) d->key_hint[i] = -1;
    d->key_hint_cap = cap;
  }
  int h = d->key_hint[kpos];
  if (h >= 0 && d->name_len[h] == n) {
    if (n <= 8 && end - k >= 8) {
      /* One word compare: the key's bytes past n (still in the line)
      ** are masked off. */
      uint64_t w;
      memcpy(&w, k, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      if (n < 8) w &= ((uint64_t)1 << (8 * n)) - 1;
#else
      if (n < 8) w &= n ? ~(uint64_t)0 << (8 * (8 - n)) : 0;
#endif
      if (w == d->name_word[h]) return h;
    } else if (n >= 8 && n <= 16) {
      /* Two words: the first eight bytes and the last eight. */
      uint64_t w1, w2;
      memcpy(&w1, k, 8);
      memcpy(&w2, k + n - 8, 8);
      if (w1 == d->name_word[h] && w2 == d->name_tail[h]) return h;
    } else if (same_bytes(d->names[h], k, n)) {
      return h;
    }
    if (strncasecmp(d->names[h], k, n) == 0) return h;
  }
  for (int i = 0; i < d->nin; i++) {
    int c = d->in_cols[i];
    if (d->name_len[c] == n && strncasecmp(d->names[c], k, n) == 0) {
      d->key_hint[kpos] = c;
      return c;
    }
  }
  return -1;
}

/* Lines of one producer repeat their keys in the same order and
** spelling.  When the bytes at x->p are exactly `"name":` for the column
** the kpos-th key named last time (one 16-byte compare), the key and its
** colon are taken at once: returns that column, x->p past the colon.
** Otherwise returns -2 and consumes nothing (escapes, blanks, another
** key, a line near its end: the general path decides). */
static inline int same_key_as_before(EdDecoder *d, Lex *x, int kpos) {
#if defined(__SSE2__)
  if (kpos >= d->key_hint_cap || x->end - x->p < 16) return -2;
  int h = d->key_hint[kpos];
  if (h < 0 || d->key_pat_len[h] == 0) return -2;
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)x->p);
  __m128i pat = _mm_loadu_si128((const __m128i *)(const void *)d->key_pat[h]);
  unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, pat));
  unsigned want = (1u << d->key_pat_len[h]) - 1;
  if ((eq & want) != want) return -2;
  x->p += d->key_pat_len[h];
  return h;
#else
  (void)d;
  (void)x;
  (void)kpos;
  return -2;
#endif
}

/* Seconds since the epoch, as a JSON number [p, p+n), to microseconds:
** exact for plain decimals (fraction digits past the sixth dropped),
** through a double when there is an exponent. */
static int epoch_number(const char *p, size_t n, bool is_int, int64_t *out) {
  const char *e = p + n;
  if (memchr(p, 'e', n) || memchr(p, 'E', n)) {
    double v;
    if (ed_dec_parse_double(p, n, &v) || !(v > -9.2e12 && v < 9.2e12))
      return -1;
    *out = (int64_t)(v * 1e6 + (v < 0 ? -0.5 : 0.5));
    return 0;
  }
  bool neg = *p == '-';
  if (neg) p++;
  int64_t secs = 0, frac = 0;
  for (; p < e && *p != '.'; p++)
    if (__builtin_mul_overflow(secs, 10, &secs) ||
        __builtin_add_overflow(secs, *p - '0', &secs))
      return -1;
  int nd = 0;
  if (!is_int)
    for (p++; p < e; p++, nd++)
      if (nd < 6) frac = frac * 10 + (*p - '0');
  for (; nd < 6; nd++) frac *= 10;
  int64_t us;
  if (__builtin_mul_overflow(secs, ED_USEC_PER_SEC, &us) ||
      __builtin_add_overflow(us, frac, &us))
    return -1;
  *out = neg ? -us : us;
  return 0;
}

/* Parses the value at x->p into column c (-1: skip it). */
static bool put_value(EdDecoder *d, EdBatch *out, Lex *x, int c) {
  const char *vs = x->p;
  if (c < 0) {
    /* A value no column reads is only checked: strings and numbers, the
    ** usual ones, without the general dispatch. */
    const char *b;
    size_t n;
    bool flag;
    if (*vs == '"') return lex_string(x, &b, &n, &flag);
    if (*vs == '-' || (unsigned)(*vs - '0') < 10) return lex_number(x, &flag);
    return lex_value(x, 1);
  }
  EdVector *v = &out->cols[c];
  int row = out->nrows;
  EdType t = d->types[c];
  if ((t == ED_T_DOUBLE || t == ED_T_BIGINT) &&
      (*vs == '-' || (unsigned)(*vs - '0') < 10)) {
    int64_t iv = 0;
    double dv = 0;
    const char *q = ed_dec_fast_number(vs, x->end, t, &iv, &dv);
    if (q) {
      if (t == ED_T_DOUBLE) ED_VEC_F64(v)[row] = dv;
      else ED_VEC_I64(v)[row] = iv;
      ed_vec_set_valid(v, row);
      x->p = q;
      return true;
    }
  }
  const char *b;
  size_t n;
  bool flag;
  switch (*vs) {
    case '"':
      if (!lex_string(x, &b, &n, &flag)) return false;
      ed_dec_put_text(d, out, c, b, n, flag ? ED_TXT_JSON_ESC : ED_TXT_PLAIN);
      return true;
    case 'n':
      if (!lex_literal(x, "null")) return false;
      ed_vec_set_null(v, row);
      return true;
    case 't':
    case 'f':
      if (!lex_literal(x, *vs == 't' ? "true" : "false")) return false;
      if (t == ED_T_BOOL) {
        ED_VEC_BOOL(v)[row] = *vs == 't';
        ed_vec_set_valid(v, row);
      } else {
        ed_dec_put_text(d, out, c, vs, (size_t)(x->p - vs), ED_TXT_RAW);
      }
      return true;
    case '{':
    case '[':
      if (!lex_value(x, 1)) return false;
      n = (size_t)(x->p - vs);
      if (t == ED_T_VARCHAR) {
        char *dst = ed_arena_alloc(&out->arena, n);
        ED_VEC_STR(v)[row] = (EdStr){dst, (uint32_t)minify(dst, vs, x->p)};
        ed_vec_set_valid(v, row);
      } else {
        ed_vec_set_null(v, row);
        char *s = ed_dec_scratch(d, n);
        ed_dec_put_text(d, out, c, s, minify(s, vs, x->p), ED_TXT_RAW);
      }
      return true;
    default:
      break;
  }
  if (*vs != '-' && (*vs < '0' || *vs > '9'))
    return fail(x, vs, "unexpected character");
  if (!lex_number(x, &flag)) return false;
  n = (size_t)(x->p - vs);
  if (t == ED_T_TIMESTAMP) {
    int64_t us;
    if (epoch_number(vs, n, flag, &us) == 0) {
      ED_VEC_I64(v)[row] = us;
      ed_vec_set_valid(v, row);
    } else {
      ed_vec_set_null(v, row);
      ed_dec_bad(d, "field \"%s\": %.*s is out of range for a TIMESTAMP",
                 d->names[c], (int)(n > 60 ? 60 : n), vs);
    }
    return true;
  }
  ed_dec_put_text(d, out, c, vs, n, ED_TXT_RAW);
  return true;
}

/* Parses the object of one line into the current row. */
static bool parse_object(EdDecoder *d, EdBatch *out, Lex *x) {
  skip_ws(x);
  if (x->p >= x->end || *x->p != '{') {
    if (x->p < x->end && (*x->p == '[' || *x->p == '"' || *x->p == '-' ||
                          (*x->p >= '0' && *x->p <= '9') || *x->p == 't' ||
                          *x->p == 'f' || *x->p == 'n') &&
        lex_value(x, 0)) {
      skip_ws(x);
      if (x->p == x->end) return fail(x, NULL, "not a JSON object");
    }
    return fail(x, x->p, "'{' expected");
  }
  x->p++;
  skip_ws(x);
  if (x->p < x->end && *x->p == '}') {
    x->p++;
  } else {
    /* Each token is first looked for right where the previous ended
    ** (compact JSON), and blanks are skipped only when it is not there. */
    for (int kpos = 0;; kpos++) {
      if (x->p < x->end && *x->p != '"') skip_ws(x);
      int c = same_key_as_before(d, x, kpos);
      if (c == -2) {
        const char *kb;
        size_t kn;
        bool kesc;
        if (x->p >= x->end || *x->p != '"')
          return fail(x, x->p, "object key expected");
        if (!lex_string(x, &kb, &kn, &kesc)) return false;
        if (kesc) {
          char *s = ed_dec_scratch(d, kn);
          kn = ed_json_unescape(s, kb, kn);
          kb = s;
        }
        c = match_key(d, kpos, kb, kn, kesc ? kb : x->end);
        if (x->p < x->end && *x->p != ':') skip_ws(x);
        if (x->p >= x->end || *x->p != ':')
          return fail(x, x->p, "':' expected");
        x->p++;
      }
      if (c >= 0 && d->skip[c]) c = -1;
      if (x->p < x->end && (unsigned char)*x->p <= ' ') skip_ws(x);
      if (x->p >= x->end) return fail(x, x->p, "value expected");
      if (!put_value(d, out, x, c)) return false;
      if (x->p < x->end && *x->p != ',' && *x->p != '}') skip_ws(x);
      if (x->p < x->end && *x->p == ',') {
        x->p++;
        continue;
      }
      if (x->p < x->end && *x->p == '}') {
        x->p++;
        break;
      }
      return fail(x, x->p, "',' or '}' expected");
    }
  }
  skip_ws(x);
  if (x->p != x->end) return fail(x, x->p, "text after the object");
  return true;
}

/* Decodes one line into a row (see the comment at the top). */
EdRecResult ed_jsonl_record(EdDecoder *d, const char *p, size_t n,
                            bool final, EdBatch *out, size_t *used,
                            EdError *err) {
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
  size_t i = 0;
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
  if (i == len) return ED_REC_DONE;             /* blank line */
  ed_dec_row_begin(d, out, s, p + *used);
  Lex x = {s, s, s + len, NULL, NULL};
  if (!parse_object(d, out, &x)) {
    ed_dec_row_clear(d, out);
    d->rec_bad = false;
    if (!x.err_at)
      ed_dec_bad(d, "%s", x.err);
    else if (x.err_at >= x.end)
      ed_dec_bad(d, "invalid JSON: %s at the end of the line", x.err);
    else
      ed_dec_bad(d, "invalid JSON: %s at column %d", x.err,
                 (int)(x.err_at - s) + 1);
  }
  return ed_dec_row_end(d, out, s, len, err) ? ED_REC_FAIL : ED_REC_DONE;
}

/* Walks the keys of one object for schema inference (see decoder.h). */
int ed_json_walk(EdDecoder *d, const char *p, size_t n, EdJsonKeyFn cb,
                 void *ctx) {
  Lex x = {p, p, p + n, NULL, NULL};
  skip_ws(&x);
  if (x.p >= x.end || *x.p != '{') return -1;
  x.p++;
  skip_ws(&x);
  if (x.p < x.end && *x.p == '}') {
    x.p++;
  } else {
    for (;;) {
      const char *kb, *vb;
      size_t kn, vn;
      bool esc;
      skip_ws(&x);
      if (x.p >= x.end || *x.p != '"' || !lex_string(&x, &kb, &kn, &esc))
        return -1;
      skip_ws(&x);
      if (x.p >= x.end || *x.p != ':') return -1;
      x.p++;
      skip_ws(&x);
      if (x.p >= x.end) return -1;
      const char *vs = x.p;
      EdJsonKind kind;
      if (*vs == '"') {
        if (!lex_string(&x, &vb, &vn, &esc)) return -1;
        kind = ED_JSON_STRING;
      } else {
        if (!lex_value(&x, 1)) return -1;
        vb = vs;
        vn = (size_t)(x.p - vs);
        kind = *vs == 'n'                     ? ED_JSON_NULL
               : *vs == 't' || *vs == 'f'     ? ED_JSON_BOOL
               : *vs == '{' || *vs == '['     ? ED_JSON_NESTED
               : memchr(vs, '.', vn) || memchr(vs, 'e', vn) ||
                       memchr(vs, 'E', vn)
                   ? ED_JSON_FLOAT
                   : ED_JSON_INT;
      }
      char *key = ed_dec_scratch(d, kn + 1);
      cb(ctx, key, ed_json_unescape(key, kb, kn), kind, vb, vn);
      skip_ws(&x);
      if (x.p < x.end && *x.p == ',') {
        x.p++;
        continue;
      }
      if (x.p < x.end && *x.p == '}') {
        x.p++;
        break;
      }
      return -1;
    }
  }
  skip_ws(&x);
  return x.p == x.end ? 0 : -1;
}
