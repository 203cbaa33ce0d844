/*
** shell/main.c — entry point of the `eddy` command (DESIGN §7).
**
**   eddy                   interactive shell when stdin is a terminal
**   eddy -e SQL / -f FILE  run statements (repeatable, in order); stdin is
**                          then free to be read as the stream `stdin`
**   ... | eddy             run the SQL read from stdin
**
** Data goes to stdout, diagnostics to stderr.  Exit status: 0 on success,
** 1 at the first failing statement, 2 on a usage error, 130 when Ctrl-C
** (SIGINT) stopped the run, 143 when SIGTERM did.  In the interactive
** shell streaming queries run in the background (eddy_set_background).  When the input ends, so do the streaming
** queries still running over memory streams (eddy_finish): they emit what
** the end of their input makes final before the command exits.
**
** Outside the interactive shell the first SIGINT or SIGTERM stops the
** running statement gracefully (a streaming query ends after its current batch,
** with its output complete up to there) and no further statement runs;
** a second SIGINT ends the process at once.
*/
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell/shell.h"

volatile sig_atomic_t ed_shell_sigint;
static volatile sig_atomic_t g_signal;   /* the signal that stopped the run */
static eddy_session *volatile g_session;

/* SIGINT or SIGTERM outside the shell: stop gracefully; the next one is
** fatal. */
static void on_sigint(int sig) {
  ed_shell_sigint = 1;
  if (!g_signal) g_signal = sig;
  if (g_session) eddy_interrupt(g_session);
  signal(sig, SIG_DFL);
}

/* Installs on_sigint for SIGINT and SIGTERM without SA_RESTART, so that a
** blocking read of the SQL or of stdin data returns at once. */
static void catch_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* Applies the options that are session settings; a bad value is a usage
** error.  Returns 0 or 2. */
static int apply_settings(eddy_session *s, const EdShellOpts *o) {
  static const eddy_format fmts[] = {EDDY_FORMAT_TABLE, EDDY_FORMAT_CSV,
                                     EDDY_FORMAT_JSONL, EDDY_FORMAT_CHANGELOG};
  int f = o->format;
  if (f < 0) f = isatty(STDOUT_FILENO) ? 0 : 1;
  eddy_set_output(s, stdout, fmts[f]);
  if (o->truncate >= 0) eddy_set_truncate(s, o->truncate);
  struct {
    const char *opt, *setting, *value;
  } map[] = {{"--trigger", "trigger", o->trigger},
             {"--output-mode", "output_mode", o->output_mode},
             {"--checkpoint", "checkpoint_location", o->checkpoint}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
    if (!map[i].value) continue;
    if (eddy_set(s, map[i].setting, map[i].value) != EDDY_OK)
      return ed_usage_error("%s: %s", map[i].opt, eddy_errmsg(s));
  }
  if (o->progress) eddy_set_progress(s, stderr);
  /* stdin is data unless the SQL comes from it (shell or pipe). */
  eddy_set_stdin(s, o->nactions > 0, o->input_format, o->schema);
  return 0;
}

/* Runs the -e and -f actions in order until one fails. */
static int run_actions(EdShell *sh, const EdShellOpts *o) {
  for (int i = 0; i < o->nactions && !sh->quit; i++) {
    const EdAction *a = &o->actions[i];
    int rc = a->kind == ED_ACT_SQL ? ed_run_text(sh, a->arg, NULL)
                                   : ed_run_file(sh, a->arg);
    if (rc) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  EdShellOpts opts;
  int rc = ed_opts_parse(argc, argv, &opts);
  if (rc != 0) {
    ed_opts_free(&opts);
    return rc == 1 ? 0 : 2;
  }
  eddy_session *s = eddy_open();
  EdShell sh;
  memset(&sh, 0, sizeof sh);
  sh.s = s;
  sh.opts = &opts;
  rc = apply_settings(s, &opts);
  if (rc == 0) {
    bool repl = opts.nactions == 0 && isatty(STDIN_FILENO);
    g_session = s;
    if (!repl) catch_sigint();
    if (repl) eddy_set_background(s, 1);
    if (opts.nactions > 0)
      rc = run_actions(&sh, &opts);
    else if (repl)
      rc = ed_repl(&sh);
    else
      rc = ed_run_stream(&sh, stdin, NULL);
    /* The input has ended: so have the memory streams; queries still
    ** running in the background stop after their running batch. */
    if (eddy_finish(s) != EDDY_OK && rc == 0) rc = 1;
    if (!repl && ed_shell_sigint) rc = 128 + (g_signal ? g_signal : SIGINT);
    g_session = NULL;
  }
  fflush(stdout);
  eddy_close(s);
  ed_shell_close_files(&sh);
  ed_opts_free(&opts);
  return rc;
}
