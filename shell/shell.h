/*
** shell/shell.h — private declarations of the `eddy` command.
**
** The command parses its arguments (options.c), opens a session, and feeds
** SQL to it line by line (script.c): from -e texts, -f files, a piped
** stdin or the interactive shell (repl.c).  A line that starts with '.'
** where a statement could start is a dot-command (dotcmd.c); other lines
** accumulate until they end a statement, which then runs.
*/
#ifndef ED_SHELL_H
#define ED_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "eddy.h"

/* ------------------------------------------------------------ options */

typedef enum EdActKind { ED_ACT_SQL, ED_ACT_FILE } EdActKind;

/* One -e or -f, in command-line order. */
typedef struct EdAction {
  EdActKind kind;
  const char *arg;
} EdAction;

typedef struct EdShellOpts {
  EdAction *actions;
  int nactions;
  int format;               /* eddy_format, or -1: table on a terminal */
  int truncate;             /* -1: the session default */
  bool no_rc;               /* -n: do not run ~/.eddyrc */
  const char *input_format; /* --input-format: csv | jsonl | text */
  const char *schema;       /* --schema "a BIGINT, b VARCHAR" */
  const char *checkpoint;   /* --checkpoint DIR */
  const char *trigger;      /* --trigger '1 second' */
  const char *output_mode;  /* --output-mode update */
  bool progress;            /* --progress */
} EdShellOpts;

/* Parses argv.  Returns 0 to go on, 1 when the command is done (--help or
** --version printed: exit 0), 2 after printing a usage error. */
int ed_opts_parse(int argc, char **argv, EdShellOpts *o);
void ed_opts_free(EdShellOpts *o);

/* Set by the SIGINT handler of a non-interactive run (main.c): no more
** input is read. */
extern volatile sig_atomic_t ed_shell_sigint;

/* Prints "eddy: <message>" and the --help hint to stderr; returns 2. */
int ed_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------- shell */

typedef struct EdShell {
  eddy_session *s;
  const EdShellOpts *opts;
  bool interactive;         /* the REPL: errors do not stop the input */
  bool quit;                /* .quit or .exit was given */
  int depth;                /* nesting of .read */
  bool timer;               /* .timer on: time each statement */
  FILE *out;                /* .output FILE, or NULL: stdout */
  FILE **files;             /* every file .output opened (closed at exit:
                               a query started meanwhile may still write) */
  int nfiles;
} EdShell;

/* Where results and dot-command output go (.output). */
FILE *ed_shell_out(const EdShell *sh);

/* Closes the files .output opened (after the queries ended). */
void ed_shell_close_files(EdShell *sh);

/* Accumulates the lines of one input (a file, -e text, stdin, the REPL)
** until they make a statement, and remembers where it started so that an
** error's line number refers to the whole input. */
typedef struct EdFeeder {
  const char *name;         /* file name for messages, or NULL */
  int lineno;               /* lines fed so far */
  int first_line;           /* line number of buf's first line */
  char *buf;                /* pending statement text, NUL-terminated */
  size_t len, cap;
} EdFeeder;

void ed_feed_init(EdFeeder *f, const char *name);
void ed_feed_free(EdFeeder *f);

/* Feeds one line (n bytes, with or without its '\n').  Runs a dot-command,
** or the pending text once it ends a statement.  Returns 0, or 1 when that
** failed (the error is already printed). */
int ed_feed_line(EdShell *sh, EdFeeder *f, const char *line, size_t n);

/* Runs what is left at the end of the input (a last statement without
** ';').  Returns 0 or 1. */
int ed_feed_end(EdShell *sh, EdFeeder *f);

/* True while a statement has begun but not ended (continuation prompt). */
bool ed_feed_pending(const EdFeeder *f);

/* Forgets the pending text (Ctrl-C in the shell). */
void ed_feed_discard(EdFeeder *f);

/* Runs a whole text (-e) or stream (-f, stdin, .read, ~/.eddyrc) line by
** line; stops at the first failure unless the shell is interactive.
** Returns 0 or 1. */
int ed_run_text(EdShell *sh, const char *text, const char *name);
int ed_run_stream(EdShell *sh, FILE *in, const char *name);

/* Runs the file at path; a missing file is an error. Returns 0 or 1. */
int ed_run_file(EdShell *sh, const char *path);

/* Prints "Error: [name:line: ]message" to stderr. */
void ed_shell_error(const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------- dotcmd.c */

/* Runs a dot-command line (starting with '.').  name and line say where it
** comes from, for messages.  Returns 0, or 1 after printing an error. */
int ed_dot_command(EdShell *sh, const char *line, const char *name,
                   int lineno);

/* ------------------------------------------------------------ repl.c */

/* The interactive shell on the terminal, until .quit or Ctrl-D.  Streaming
** queries run in the background; their output is printed above the line
** being typed.  Returns the exit status (0). */
int ed_repl(EdShell *sh);

/* Tab completion for the shell: the candidates that complete word (the
** text before the cursor back to a blank or punctuation): keywords,
** object names, column names, query names, dot-commands (when line is
** one) — each malloc'ed in *out (n of them, sorted, unique). */
void ed_complete(EdShell *sh, const char *line, const char *word, char ***out,
                 int *n);

#endif
