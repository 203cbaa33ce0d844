/*
** tests/slt/slt_script.c — splits a sqllogictest script into records (see
** slt_script.h).  The file is read once into memory and cut into lines in
** place; comment lines are dropped up front, as the format's preprocessor
** does, so records are simply runs of non-blank lines.
*/
#include "slt_script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

typedef struct SltLine {
  int lineno;             /* 1-based line number in the file */
  char *text;             /* NUL-terminated, without '\r' / '\n' */
} SltLine;

struct SltScript {
  char *data;             /* file contents, cut into lines */
  SltLine *lines;         /* non-comment lines in order */
  int nlines;
  int pos;                /* next line to look at */
  char *engine;
  EdArena arena;          /* SQL texts, token copies, expected arrays */
};

/* Reads the whole file into a NUL-terminated malloc'ed buffer. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = ed_malloc(cap);
  for (;;) {
    if (cap - n < 4096) buf = ed_realloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    if (got == 0) break;
    n += got;
  }
  fclose(f);
  buf[n] = 0;
  return buf;
}

SltScript *slt_script_open(const char *path, const char *engine) {
  char *data = slurp(path);
  if (!data) {
    perror(path);
    return NULL;
  }
  SltScript *s = ed_calloc(1, sizeof *s);
  s->data = data;
  s->engine = ed_strdup(engine);
  ed_arena_init(&s->arena, 1 << 16);
  int cap = 1024, lineno = 0;
  s->lines = ed_malloc(cap * sizeof *s->lines);
  for (char *p = data; *p;) {
    char *eol = strchr(p, '\n');
    char *next = eol ? eol + 1 : p + strlen(p);
    if (eol) *eol = 0;
    size_t len = strlen(p);
    while (len > 0 && p[len - 1] == '\r') p[--len] = 0;
    lineno++;
    if (p[0] != '#') {
      if (s->nlines == cap) s->lines = ed_realloc(s->lines, (cap *= 2) * sizeof *s->lines);
      s->lines[s->nlines].lineno = lineno;
      s->lines[s->nlines].text = p;
      s->nlines++;
    }
    p = next;
  }
  return s;
}

void slt_script_close(SltScript *s) {
  if (!s) return;
  ed_arena_free(&s->arena);
  free(s->lines);
  free(s->engine);
  free(s->data);
  free(s);
}

static bool is_blank(const char *t) {
  while (*t && isspace((unsigned char)*t)) t++;
  return *t == 0;
}

/* Splits line into at most max whitespace-separated tokens copied into the
** arena; returns the count.  A '#' token starts a trailing comment (as in
** "skipif mysql # not compatible") and ends the list. */
static int tokenize(EdArena *a, const char *line, char **tok, int max) {
  int n = 0;
  const char *p = line;
  while (n < max) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (!*p || *p == '#') break;
    const char *start = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    tok[n++] = ed_arena_strndup(a, start, (size_t)(p - start));
  }
  return n;
}

/* Joins lines [from, to) with '\n' into one arena string. */
static const char *join_lines(EdArena *a, const SltLine *l, int from, int to) {
  size_t n = 0;
  for (int i = from; i < to; i++) n += strlen(l[i].text) + 1;
  char *out = ed_arena_alloc(a, n + 1), *p = out;
  for (int i = from; i < to; i++) {
    size_t len = strlen(l[i].text);
    memcpy(p, l[i].text, len);
    p += len;
    if (i + 1 < to) *p++ = '\n';
  }
  *p = 0;
  return out;
}

/* Parses the "query <types> [sort] [label]" line's tokens into rec. */
static void parse_query_header(SltRecord *rec, char **tok, int ntok) {
  rec->kind = SLT_QUERY;
  rec->types = ntok > 1 ? tok[1] : "";
  rec->sort = SLT_NOSORT;
  int next = 2;
  if (ntok > 2) {
    if (strcmp(tok[2], "rowsort") == 0) rec->sort = SLT_ROWSORT, next = 3;
    else if (strcmp(tok[2], "valuesort") == 0) rec->sort = SLT_VALUESORT, next = 3;
    else if (strcmp(tok[2], "nosort") == 0) next = 3;
  }
  rec->label = ntok > next ? tok[next] : NULL;
  for (const char *t = rec->types; *t; t++)
    if (*t != 'I' && *t != 'R' && *t != 'T') {
      rec->kind = SLT_BAD;
      rec->bad = "query type string has a character other than I, R, T";
    }
  if (!*rec->types) {
    rec->kind = SLT_BAD;
    rec->bad = "query without a type string";
  }
}

/* Fills the body of a statement or query: the SQL lines, then for a query
** the result lines after "----". [from, to) are the record's lines after
** the header line. */
static void parse_body(SltScript *s, SltRecord *rec, int from, int to) {
  int sep = to;
  if (rec->kind == SLT_QUERY)
    for (int i = from; i < to; i++)
      if (strcmp(s->lines[i].text, "----") == 0) {
        sep = i;
        break;
      }
  rec->sql = join_lines(&s->arena, s->lines, from, sep);
  if (sep < to) {
    rec->has_results = true;
    rec->nexpected = to - sep - 1;
    rec->expected = ed_arena_alloc(&s->arena, sizeof(char *) * (size_t)(rec->nexpected + 1));
    for (int i = 0; i < rec->nexpected; i++)
      rec->expected[i] = s->lines[sep + 1 + i].text;
  }
  if (from == sep) {
    rec->kind = SLT_BAD;
    rec->bad = "record without SQL";
  }
}

bool slt_script_next(SltScript *s, SltRecord *rec) {
  while (s->pos < s->nlines && is_blank(s->lines[s->pos].text)) s->pos++;
  if (s->pos >= s->nlines) return false;
  int start = s->pos, end = start;
  while (end < s->nlines && !is_blank(s->lines[end].text)) end++;
  s->pos = end;

  memset(rec, 0, sizeof *rec);
  rec->first_line = s->lines[start].lineno;
  char *tok[8];
  int i = start;
  for (; i < end; i++) {
    int ntok = tokenize(&s->arena, s->lines[i].text, tok, 8);
    rec->line = s->lines[i].lineno;
    if (ntok >= 2 && strcmp(tok[0], "skipif") == 0) {
      if (strcmp(tok[1], s->engine) == 0) rec->skip = true;
      continue;
    }
    if (ntok >= 2 && strcmp(tok[0], "onlyif") == 0) {
      if (strcmp(tok[1], s->engine) != 0) rec->skip = true;
      continue;
    }
    if (ntok >= 1 && strcmp(tok[0], "statement") == 0) {
      rec->kind = SLT_STATEMENT;
      if (ntok >= 2 && strcmp(tok[1], "error") == 0) rec->expect_error = true;
      else if (ntok < 2 || strcmp(tok[1], "ok") != 0) {
        rec->kind = SLT_BAD;
        rec->bad = "statement must be followed by ok or error";
        return true;
      }
      parse_body(s, rec, i + 1, end);
    } else if (ntok >= 1 && strcmp(tok[0], "query") == 0) {
      parse_query_header(rec, tok, ntok);
      if (rec->kind == SLT_QUERY) parse_body(s, rec, i + 1, end);
    } else if (ntok == 1 && strcmp(tok[0], "halt") == 0) {
      rec->kind = SLT_HALT;
    } else if (ntok == 2 && strcmp(tok[0], "hash-threshold") == 0) {
      rec->kind = SLT_HASH_THRESHOLD;
      rec->threshold = atoi(tok[1]);
    } else {
      rec->kind = SLT_BAD;
      rec->bad = ed_arena_printf(&s->arena, "unrecognized record line \"%s\"",
                                 s->lines[i].text);
    }
    return true;
  }
  rec->kind = SLT_BAD;
  rec->bad = "conditions without a statement or query";
  return true;
}
