/*
** tests/unit/parser/test_parse_corpus.c — every SQL text of SQLite's
** sqllogictest corpus that SQLite itself runs must parse.
**
** The corpus directory is the first argument (meson passes
** corpora_dir/sqllogictest).  Records are read as the sqllogictest format
** describes them (about.wiki): records are separated by blank lines, lines
** starting with '#' are dropped, a record may start with skipif/onlyif
** conditions, then "statement ok|error" or "query ...", then the SQL up to
** a "----" line.  A record is taken unless it has "skipif sqlite" or
** "onlyif <another engine>".  Each taken "statement ok" and "query" text
** must parse into exactly one statement of the expected kind; "statement
** error" texts are only counted (none in the files used here).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "tests/unit/tap.h"

static const char *const files[] = {
  "select1.test", "select2.test", "select3.test", "select4.test",
  "select5.test",
  "random/aggregates/slt_good_0.test", "random/aggregates/slt_good_1.test",
  "random/aggregates/slt_good_2.test", "random/aggregates/slt_good_3.test",
  "random/aggregates/slt_good_4.test", "random/aggregates/slt_good_5.test",
  "random/aggregates/slt_good_6.test", "random/aggregates/slt_good_7.test",
  "random/aggregates/slt_good_8.test", "random/aggregates/slt_good_9.test",
  "random/groupby/slt_good_0.test", "random/groupby/slt_good_1.test",
  "random/groupby/slt_good_2.test", "random/groupby/slt_good_3.test",
};

/* Number of SQL texts in the files above that SQLite runs, counted by an
** independent script over the same files with the same rules. */
#define EXPECTED_TOTAL 150874

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = 0;
  fclose(f);
  return buf;
}

static bool blank(const char *line) {
  for (; *line; line++)
    if (*line != ' ' && *line != '\t' && *line != '\r') return false;
  return true;
}

typedef struct Stats {
  int parsed, failed, errors_expected;
  int shown;
} Stats;

/* Parses one SQL text; is_query tells which statement kinds are right. */
static void check_sql(EdArena *a, const char *sql, bool is_query,
                      Stats *st) {
  EdAstList out = {0};
  EdError err = {0};
  ed_arena_reset(a);
  int rc = ed_parse(a, sql, &out, &err);
  bool good = rc == 0 && out.n == 1;
  if (good) {
    const EdAstStmt *s = out.items[0];
    good = is_query ? s->kind == STMT_SELECT
                    : (s->kind == STMT_CREATE_TABLE ||
                       s->kind == STMT_INSERT ||
                       s->kind == STMT_CREATE_INDEX);
  }
  if (good) {
    st->parsed++;
    return;
  }
  st->failed++;
  if (st->shown++ < 10)
    printf("#   failed: %s\n#   error: line %d col %d: %s\n", sql,
           err.pos.line, err.pos.col, rc ? err.msg : "(wrong statement)");
}

/* Walks the records of one file. */
static void check_file(EdArena *a, char *text, Stats *st) {
  char *lines[4096];
  int n = 0;
  bool eof = false;
  char *p = text;
  while (!eof) {
    /* Gather one record: non-blank lines, comments dropped. */
    n = 0;
    for (;;) {
      if (!*p) {
        eof = true;
        break;
      }
      char *nl = strchr(p, '\n');
      if (nl) *nl = 0;
      char *line = p;
      p = nl ? nl + 1 : p + strlen(p);
      size_t l = strlen(line);
      if (l && line[l - 1] == '\r') line[l - 1] = 0;   /* CRLF files */
      if (blank(line)) {
        if (n) break;
        continue;
      }
      if (line[0] == '#') continue;
      if (n < 4096) lines[n++] = line;
    }
    if (!n) continue;
    int i = 0;
    bool skip = false;
    for (; i < n; i++) {
      char engine[64];
      if (sscanf(lines[i], "skipif %63s", engine) == 1) {
        if (strcmp(engine, "sqlite") == 0) skip = true;
      } else if (sscanf(lines[i], "onlyif %63s", engine) == 1) {
        if (strcmp(engine, "sqlite") != 0) skip = true;
      } else {
        break;
      }
    }
    if (i == n) continue;
    if (strncmp(lines[i], "halt", 4) == 0 && !skip) return;
    bool is_query = strncmp(lines[i], "query", 5) == 0;
    bool is_ok = strncmp(lines[i], "statement ok", 12) == 0;
    bool is_err = strncmp(lines[i], "statement error", 15) == 0;
    if (skip || !(is_query || is_ok || is_err)) continue;
    char sql[65536];
    size_t len = 0;
    for (int k = i + 1; k < n && strcmp(lines[k], "----") != 0; k++) {
      size_t l = strlen(lines[k]);
      if (len + l + 2 >= sizeof sql) break;
      if (len) sql[len++] = '\n';
      memcpy(sql + len, lines[k], l);
      len += l;
    }
    sql[len] = 0;
    if (is_err) st->errors_expected++;
    else check_sql(a, sql, is_query, st);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("Bail out! usage: %s CORPUS_DIR\n", argv[0]);
    return 1;
  }
  EdArena a;
  ed_arena_init(&a, 1 << 16);
  int total = 0;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], files[f]);
    char *text = read_file(path);
    if (!text) {
      TAP_OK(0, path);
      printf("#   cannot read %s\n", path);
      continue;
    }
    Stats st = {0};
    check_file(&a, text, &st);
    free(text);
    char name[4200];
    snprintf(name, sizeof name, "%s: all %d SQL texts parse", files[f],
             st.parsed + st.failed);
    TAP_EQ_INT(st.failed, 0, name);
    TAP_EQ_INT(st.errors_expected, 0, "no 'statement error' records");
    total += st.parsed + st.failed;
  }
  printf("# %d SQL texts from the corpus\n", total);
  TAP_EQ_INT(total, EXPECTED_TOTAL, "number of SQL texts SQLite runs");
  ed_arena_free(&a);
  return tap_done();
}
