/*
** shell/script.c — feeding SQL to the session line by line.
**
** Every input of the command (a -e text, a -f file, a piped stdin, a .read
** file, ~/.eddyrc, the interactive shell) goes through a feeder.  Lines
** accumulate until the parser says they end a statement (ed_sql_complete);
** the statements then run at once, so a pipe sees each result as soon as
** its statement has arrived.  A line that begins with '.' where a statement
** could begin is a dot-command.  The text of a statement starts at the
** beginning of a line, so an error's column is the column in the input;
** its line number is shifted to count from the start of the input.
*/
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "common/arena.h"
#include "common/error.h"
#include "engine/session.h"
#include "parser/ast.h"
#include "shell/shell.h"

void ed_shell_error(const char *name, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout);
  fputs("Error: ", stderr);
  if (name && line > 0) fprintf(stderr, "%s:%d: ", name, line);
  else if (name) fprintf(stderr, "%s: ", name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  fflush(stderr);
  va_end(ap);
}

void ed_feed_init(EdFeeder *f, const char *name) {
  memset(f, 0, sizeof *f);
  f->name = name;
}

void ed_feed_free(EdFeeder *f) {
  free(f->buf);
  f->buf = NULL;
  f->len = f->cap = 0;
}

void ed_feed_discard(EdFeeder *f) {
  f->len = 0;
  if (f->buf) f->buf[0] = 0;
}

/* Length of the prefix of s[0..n) made of blanks and complete comments. */
static size_t blank_prefix(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (isspace((unsigned char)s[i])) {
      i++;
    } else if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') i++;
    } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
      const char *e = NULL;
      for (size_t k = i + 2; k + 1 < n; k++)
        if (s[k] == '*' && s[k + 1] == '/') {
          e = s + k;
          break;
        }
      if (!e) return i;
      i = (size_t)(e - s) + 2;
    } else {
      return i;
    }
  }
  return i;
}

/* True when s[0..n) holds only blanks and complete comments. */
static bool is_blank(const char *s, size_t n) {
  return blank_prefix(s, n) == n;
}

/* Line number of the first token of the pending text. */
static int first_token_line(const EdFeeder *f) {
  size_t end = blank_prefix(f->buf, f->len);
  int line = f->first_line;
  for (size_t i = 0; i < end; i++) line += f->buf[i] == '\n';
  return line;
}

bool ed_feed_pending(const EdFeeder *f) { return !is_blank(f->buf, f->len); }

/* Appends n bytes to the pending text, keeping it NUL-terminated. */
static void append(EdFeeder *f, const char *s, size_t n) {
  if (f->len + n + 2 > f->cap) {
    f->cap = (f->len + n + 2) * 2;
    f->buf = ed_realloc(f->buf, f->cap);
  }
  memcpy(f->buf + f->len, s, n);
  f->len += n;
  f->buf[f->len] = 0;
}

/* Runs the pending text as statements; clears it.  Returns 0 or 1. */
static int run_pending(EdShell *sh, EdFeeder *f) {
  if (is_blank(f->buf, f->len)) {
    ed_feed_discard(f);
    return 0;
  }
  EdError err;
  struct timespec t0, t1;
  struct rusage r0, r1;
  if (sh->timer) {
    clock_gettime(CLOCK_MONOTONIC, &t0);
    getrusage(RUSAGE_SELF, &r0);
  }
  int rc = ed_session_exec(sh->s, f->buf, &err);
  if (sh->timer) {
    /* As sqlite3's .timer: wall time, then CPU time in user and system. */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &r1);
    double real = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double user = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                  (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6;
    double sys = (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                 (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    fprintf(ed_shell_out(sh), "Run Time: real %.3f user %.6f sys %.6f\n",
            real, user, sys);
    fflush(ed_shell_out(sh));
  }
  if (rc != 0 && err.pos.line == 0 && f->name) {
    /* An execution error has no position: name the statement's line. */
    ed_shell_error(f->name, first_token_line(f), "%s", err.msg);
  } else if (rc != 0) {
    if (err.pos.line > 0) err.pos.line += f->first_line - 1;
    fflush(stdout);
    ed_error_print(stderr, &err, f->buf, f->name);
    fflush(stderr);
  }
  ed_feed_discard(f);
  return rc == 0 ? 0 : 1;
}

int ed_feed_line(EdShell *sh, EdFeeder *f, const char *line, size_t n) {
  f->lineno++;
  if (!ed_feed_pending(f)) {
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i < n && line[i] == '.') {
      ed_feed_discard(f);
      char *cmd = ed_malloc(n - i + 1);
      memcpy(cmd, line + i, n - i);
      cmd[n - i] = 0;
      int rc = ed_dot_command(sh, cmd, f->name, f->lineno);
      free(cmd);
      return rc;
    }
    if (f->len == 0) f->first_line = f->lineno;
  }
  append(f, line, n);
  if (n == 0 || line[n - 1] != '\n') append(f, "\n", 1);
  if (!ed_sql_complete(f->buf)) return 0;
  return run_pending(sh, f);
}

int ed_feed_end(EdShell *sh, EdFeeder *f) {
  return run_pending(sh, f);
}

int ed_run_text(EdShell *sh, const char *text, const char *name) {
  EdFeeder f;
  ed_feed_init(&f, name);
  int rc = 0;
  const char *p = text;
  while (*p && !sh->quit && !ed_shell_sigint) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
    rc = ed_feed_line(sh, &f, p, n);
    p += n;
    if (rc && !sh->interactive) break;
  }
  if (!(rc && !sh->interactive) && !sh->quit && !ed_shell_sigint)
    rc = ed_feed_end(sh, &f) || rc;
  ed_feed_free(&f);
  return rc;
}

int ed_run_stream(EdShell *sh, FILE *in, const char *name) {
  EdFeeder f;
  ed_feed_init(&f, name);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = 0;
  while (!sh->quit && !ed_shell_sigint &&
         (n = getline(&line, &cap, in)) >= 0) {
    rc = ed_feed_line(sh, &f, line, (size_t)n);
    if (rc && !sh->interactive) break;
  }
  if (!(rc && !sh->interactive) && !sh->quit && !ed_shell_sigint)
    rc = ed_feed_end(sh, &f) || rc;
  free(line);
  ed_feed_free(&f);
  return rc;
}

int ed_run_file(EdShell *sh, const char *path) {
  FILE *in = fopen(path, "r");
  if (!in) {
    ed_shell_error(NULL, 0, "cannot open \"%s\": %s", path, strerror(errno));
    return 1;
  }
  int rc = ed_run_stream(sh, in, path);
  fclose(in);
  return rc;
}
