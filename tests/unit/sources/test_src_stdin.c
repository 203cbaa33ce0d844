/*
** tests/unit/sources/test_src_stdin.c — the stdin stream: ed_stdin_prepare
** on a pipe (the descriptor passed in, and once dup2'ed onto descriptor 0
** in a child) detecting CSV with a header, tab-separated CSV, JSON lines
** and text, inferring the columns, or taking --input-format / --schema
** without reading; the bytes read ahead delivered by the source, lines
** completed later, the end of the input ending the source; a decoder mode
** on a stdin stream; usage errors; one reader per descriptor.
*/
#include <signal.h>
#include <sys/wait.h>

#include "sources/stream_source.h"
#include "tests/unit/sources/src_helpers.h"

static void write_all(int fd, const char *s) {
  size_t n = strlen(s);
  if (write(fd, s, n) != (ssize_t)n) abort();
}

/* "name TYPE, ..." of a schema. */
static char *schema_text(const EdSchema *s) {
  Text t = {0};
  for (int i = 0; i < s->ncols; i++)
    text_addf(&t, "%s%s %s", i ? ", " : "", s->cols[i].name,
              ed_type_name(s->cols[i].type));
  return t.buf ? t.buf : strdup("");
}

static const char *option(const EdTable *t, const char *key) {
  const char *v = ed_table_option(t, key);
  return v ? v : "(none)";
}

/* Runs batches, waiting in between, until the source ends. */
static void drain_to_end(EdStreamSource *s, Text *got) {
  for (int i = 0; i < 100 && !s->ended; i++) {
    run_batch(s, 0, 0, got);
    if (!s->ended && s->vt->wait(s, 100) < 0) break;
  }
}

static void test_csv_pipe(void) {
  int p[2];
  if (pipe(p) != 0) abort();
  write_all(p[1], "a,b\n1,x\n2,y\n");
  EdTable *t = NULL;
  EdError err;
  ed_error_clear(&err);
  int rc = ed_stdin_prepare_fd(p[0], NULL, NULL, &t, &err);
  if (!TAP_OK(rc == 0, "stdin csv: prepare")) printf("#   %s\n", err.msg);
  if (!t) return;
  char *sch = schema_text(&t->schema);
  TAP_EQ_STR(sch, "a BIGINT, b VARCHAR", "stdin csv: inferred columns");
  free(sch);
  TAP_EQ_STR(t->name, "stdin", "stdin csv: named stdin");
  TAP_EQ_STR(t->connector, "stdin", "stdin csv: connector stdin");
  TAP_EQ_INT(t->kind, OBJ_STREAM, "stdin csv: a stream");
  TAP_EQ_STR(option(t, "format"), "csv", "stdin csv: format detected");
  char fdtxt[16];
  snprintf(fdtxt, sizeof fdtxt, "%d", p[0]);
  TAP_EQ_STR(option(t, "fd"), fdtxt, "stdin csv: fd option");

  EdStreamSource *s = open_src(t, "stdin csv: source opens");
  if (s) {
    TAP_OK(!s->replayable, "stdin: not replayable");
    EdError e2;
    EdStreamSource *s2 = ed_stream_source_open(t, &e2);
    TAP_OK(s2 == NULL, "stdin: a second reader is refused");
    TAP_EQ_STR(e2.msg, "stdin is already read by another query",
               "stdin: second reader message");
    if (s2) s2->vt->destroy(s2);
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "1|x\n2|y\n",
               "stdin csv: rows read ahead come first");
    TAP_EQ_STR(r.end, "{\"offset\": 12}", "stdin csv: end offset");
    write_all(p[1], "3,z");
    TAP_EQ_INT(s->vt->wait(s, 2000), 1, "stdin csv: wait sees bytes");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_OK(!r.has_data, "stdin csv: partial line waits");
    write_all(p[1], "z\n4,w\n");
    close(p[1]);
    text_clear(&got);
    drain_to_end(s, &got);
    TAP_EQ_STR(text_str(&got), "3|zz\n4|w\n",
               "stdin csv: completed line, then the rest");
    TAP_OK(s->ended, "stdin csv: the end of input ends the source");
    TAP_EQ_INT(s->stats.records, 4, "stdin csv: 4 records");
    text_free(&got);
    s->vt->destroy(s);
    /* Once the source is gone the descriptor may be read again. */
    EdStreamSource *s3 = ed_stream_source_open(t, &e2);
    TAP_OK(s3 != NULL, "stdin: reopened after the first reader is gone");
    if (s3) s3->vt->destroy(s3);
  }
  ed_table_free(t);
  close(p[0]);
}

static void test_detection(void) {
  static const struct {
    const char *input, *schema, *format, *delimiter, *rows;
  } cases[] = {
      {"{\"ts\": \"2024-01-01 10:00:00\", \"n\": 1.5, \"ok\": true}\n"
       "{\"ts\": \"2024-01-01 10:00:01\", \"n\": 2, \"ok\": false}\n",
       "ts TIMESTAMP, n DOUBLE, ok BOOLEAN", "jsonl", "(none)",
       "1704103200000000|1.5|true\n1704103201000000|2|false\n"},
      {"k\tname\n7\tseven\n", "k BIGINT, name VARCHAR", "csv", "tab",
       "7|seven\n"},
      {"just some words\nand more\n", "value VARCHAR", "text", "(none)",
       "just some words\nand more\n"},
      {"", "value VARCHAR", "text", "(none)", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int p[2];
    if (pipe(p) != 0) abort();
    write_all(p[1], cases[i].input);
    close(p[1]);
    EdTable *t = NULL;
    EdError err;
    char name[96];
    snprintf(name, sizeof name, "stdin detect %s #%zu: prepare",
             cases[i].format, i);
    if (!TAP_OK(ed_stdin_prepare_fd(p[0], NULL, NULL, &t, &err) == 0, name))
      printf("#   %s\n", err.msg);
    if (!t) continue;
    char *sch = schema_text(&t->schema);
    snprintf(name, sizeof name, "stdin detect %s #%zu: columns",
             cases[i].format, i);
    TAP_EQ_STR(sch, cases[i].schema, name);
    free(sch);
    snprintf(name, sizeof name, "stdin detect %s #%zu: format",
             cases[i].format, i);
    TAP_EQ_STR(option(t, "format"), cases[i].format, name);
    snprintf(name, sizeof name, "stdin detect %s #%zu: delimiter",
             cases[i].format, i);
    TAP_EQ_STR(option(t, "delimiter"), cases[i].delimiter, name);
    EdStreamSource *s = ed_stream_source_open(t, &err);
    if (s) {
      Text got = {0};
      drain_to_end(s, &got);
      snprintf(name, sizeof name, "stdin detect %s #%zu: rows",
               cases[i].format, i);
      TAP_EQ_STR(text_str(&got), cases[i].rows, name);
      text_free(&got);
      s->vt->destroy(s);
    }
    ed_table_free(t);
    close(p[0]);
  }
}

/* With --input-format and --schema nothing is read ahead: prepare must
** return although the pipe is empty and open. */
static void test_declared(void) {
  int p[2];
  if (pipe(p) != 0) abort();
  alarm(20);
  EdTable *t = NULL;
  EdError err;
  int rc = ed_stdin_prepare_fd(p[0], "jsonl", "id BIGINT, \"the name\" TEXT",
                               &t, &err);
  alarm(0);
  TAP_EQ_INT(rc, 0, "stdin declared: prepare does not read");
  if (t) {
    char *sch = schema_text(&t->schema);
    TAP_EQ_STR(sch, "id BIGINT, the name VARCHAR",
               "stdin declared: the --schema columns");
    free(sch);
    TAP_EQ_STR(option(t, "format"), "jsonl", "stdin declared: format");
    EdStreamSource *s = open_src(t, "stdin declared: opens");
    if (s) {
      Text got = {0};
      Run r = run_batch(s, 0, 0, &got);
      TAP_OK(!r.has_data && !r.ended, "stdin declared: nothing yet");
      write_all(p[1], "{\"id\": 5, \"the name\": \"five\"}\n");
      close(p[1]);
      drain_to_end(s, &got);
      TAP_EQ_STR(text_str(&got), "5|five\n", "stdin declared: decoded");
      text_free(&got);
      s->vt->destroy(s);
    }
    ed_table_free(t);
  }
  close(p[0]);

  rc = ed_stdin_prepare_fd(p[0], "xml", NULL, &t, &err);
  TAP_EQ_INT(rc, -1, "stdin: bad --input-format fails");
  TAP_EQ_INT(err.kind, ED_ERR_USAGE, "stdin: ... as a usage error");
  TAP_EQ_STR(err.msg,
             "--input-format: unknown format 'xml': expected csv, jsonl or "
             "text",
             "stdin: --input-format message");
  rc = ed_stdin_prepare_fd(p[0], "csv", "a BIGINT, b FANCY", &t, &err);
  TAP_EQ_INT(err.kind, ED_ERR_USAGE, "stdin: bad --schema is a usage error");
  TAP_OK(rc == -1 && strstr(err.msg, "--schema: column 2 (\"b\"): unknown "
                                     "type \"FANCY\""),
         "stdin: --schema message names the column and type");
  rc = ed_stdin_prepare_fd(p[0], "text", "n BIGINT", &t, &err);
  TAP_OK(rc == -1 && strstr(err.msg, "VARCHAR"),
         "stdin: text input without a VARCHAR column is refused");
}

/* A stdin stream declared with CREATE STREAM options: DROPMALFORMED. */
static void test_mode(void) {
  int p[2];
  if (pipe(p) != 0) abort();
  write_all(p[1], "1\nx\n3\n");
  close(p[1]);
  char fd[16];
  snprintf(fd, sizeof fd, "%d", p[0]);
  EdTable *t = mk_stream("s", "stdin", "n BIGINT", "fd", fd, "format", "csv",
                         "header", "false", "mode", "DROPMALFORMED", NULL);
  EdStreamSource *s = open_src(t, "stdin DROPMALFORMED: opens");
  if (s) {
    Text got = {0};
    drain_to_end(s, &got);
    TAP_EQ_STR(text_str(&got), "1\n3\n", "stdin DROPMALFORMED: dropped");
    TAP_EQ_INT(s->stats.bad, 1, "stdin DROPMALFORMED: counted");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  close(p[0]);
}

/* The real descriptor 0, in a child: its rendering comes back through a
** pipe. */
static void test_fd0_child(void) {
  int in[2], res[2];
  if (pipe(in) != 0 || pipe(res) != 0) abort();
  write_all(in[1], "x,y\n1,2\n3,4\n");
  close(in[1]);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    close(in[0]);
    close(res[0]);
    EdTable *t = NULL;
    EdError err;
    Text got = {0};
    if (ed_stdin_prepare(NULL, NULL, &t, &err) != 0) {
      text_addf(&got, "error: %s", err.msg);
    } else {
      text_addf(&got, "%s|%s\n", t->schema.cols[0].name,
                ed_type_name(t->schema.cols[1].type));
      EdStreamSource *s = ed_stream_source_open(t, &err);
      if (s) {
        drain_to_end(s, &got);
        text_addf(&got, "ended=%d %s", s->ended, s->description);
        s->vt->destroy(s);
      }
    }
    write_all(res[1], text_str(&got));
    _exit(0);
  }
  close(in[0]);
  close(res[1]);
  char buf[512];
  size_t n = 0;
  ssize_t k;
  while ((k = read(res[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)k;
  buf[n] = '\0';
  close(res[0]);
  int status;
  waitpid(pid, &status, 0);
  TAP_EQ_STR(buf, "x|BIGINT\n1|2\n3|4\nended=1 StdinStream[csv]",
             "stdin on descriptor 0 in a child");
}

int main(void) {
  test_csv_pipe();
  test_detection();
  test_declared();
  test_mode();
  test_fd0_child();
  return tap_done();
}
