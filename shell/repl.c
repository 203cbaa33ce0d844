/*
** shell/repl.c — the interactive shell (libedit).
**
** Prompt "eddy> ", continuation "  ...> " while a statement is open; a
** statement runs once a line ends it.  Each statement or dot-command is one
** history entry, kept in ~/.eddy_history.  ~/.eddyrc runs before the first
** prompt unless -n was given.
**
** Ctrl-C: at the prompt it abandons the line being typed (and the open
** statement); while a statement runs it asks the session to stop at the
** next batch.  The SIGINT handler only sets a flag and calls
** eddy_interrupt(), which is async-signal-safe.  Reading goes through our
** own character reader so that a read interrupted by SIGINT ends el_gets()
** instead of being retried.  Ctrl-D on an empty line leaves the shell.
*/
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "common/arena.h"
#include "shell/shell.h"

static volatile sig_atomic_t g_sigint;
static eddy_session *volatile g_session;
static EdFeeder *g_feeder;      /* for the prompt function */

/* SIGINT: remember it (ends el_gets) and stop a running statement. */
static void on_sigint(int sig) {
  (void)sig;
  g_sigint = 1;
  if (g_session) eddy_interrupt(g_session);
}

/* "eddy> ", or "  ...> " while a statement is open. */
static char *prompt_fn(EditLine *el) {
  (void)el;
  return (char *)(g_feeder && ed_feed_pending(g_feeder) ? "  ...> "
                                                        : "eddy> ");
}

/* Reads one character for libedit.  Returns 1 with *wc set, 0 at end of
** input, -1 on error or when Ctrl-C interrupted the read. */
static int read_char(EditLine *el, wchar_t *wc) {
  (void)el;
  char buf[MB_LEN_MAX];
  size_t n = 0;
  for (;;) {
    char c;
    ssize_t r = read(STDIN_FILENO, &c, 1);
    if (r == 0) return 0;
    if (r < 0) {
      if (errno == EINTR && !g_sigint) continue;
      return -1;
    }
    buf[n++] = c;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = mbrtowc(wc, buf, n, &st);
    if (k == (size_t)-2 && n < sizeof buf) continue;
    if (k == (size_t)-1 || k == (size_t)-2) *wc = (unsigned char)buf[0];
    else if (k == 0) *wc = 0;
    return 1;
  }
}

/* "$HOME/<file>" in a malloc'ed string, or NULL without HOME. */
static char *home_path(const char *file) {
  const char *home = getenv("HOME");
  if (!home || !*home) return NULL;
  size_t n = strlen(home) + strlen(file) + 2;
  char *p = ed_malloc(n);
  snprintf(p, n, "%s/%s", home, file);
  return p;
}

/* Runs ~/.eddyrc if it exists; its errors are printed, not fatal. */
static void run_rc(EdShell *sh) {
  char *rc = home_path(".eddyrc");
  if (rc && access(rc, R_OK) == 0) ed_run_file(sh, rc);
  free(rc);
  sh->quit = false;
}

/* Adds text (without its final newline) as one history entry. */
static void remember(History *h, const char *hist_file, const char *text,
                     size_t n) {
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' ')) n--;
  if (n == 0) return;
  char *entry = ed_malloc(n + 1);
  memcpy(entry, text, n);
  entry[n] = 0;
  HistEvent ev;
  history(h, &ev, H_ENTER, entry);
  if (hist_file) history(h, &ev, H_SAVE, hist_file);
  free(entry);
}

int ed_repl(EdShell *sh) {
  setlocale(LC_CTYPE, "");
  sh->interactive = true;
  g_session = sh->s;
  struct sigaction sa, old_sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;              /* no SA_RESTART: a read must see EINTR */
  sigaction(SIGINT, &sa, &old_sa);

  printf("eddy %s: SQL on streams. Enter .help for usage hints.\n",
         EDDY_VERSION);
  fflush(stdout);
  if (!sh->opts || !sh->opts->no_rc) run_rc(sh);

  EdFeeder feeder;
  ed_feed_init(&feeder, NULL);
  g_feeder = &feeder;
  char *hist_file = home_path(".eddy_history");
  HistEvent ev;
  History *hist = history_init();
  history(hist, &ev, H_SETSIZE, 1000);
  history(hist, &ev, H_SETUNIQUE, 1);
  if (hist_file) history(hist, &ev, H_LOAD, hist_file);

  EditLine *el = el_init("eddy", stdin, stdout, stderr);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_SIGNAL, 1);
  el_set(el, EL_PROMPT, prompt_fn);
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_GETCFN, read_char);
  el_source(el, NULL);

  /* The text of the entry being typed (a statement over several lines). */
  char *entry = NULL;
  size_t elen = 0, ecap = 0;
  while (!sh->quit) {
    g_sigint = 0;
    int count = 0;
    const char *line = el_gets(el, &count);
    if (!line || count <= 0) {
      if (g_sigint) {           /* Ctrl-C: drop what was typed */
        fputs("^C\n", stdout);
        fflush(stdout);
        ed_feed_discard(&feeder);
        elen = 0;
        continue;
      }
      fputc('\n', stdout);      /* Ctrl-D: run what was typed, leave */
      ed_feed_end(sh, &feeder);
      break;
    }
    size_t n = strlen(line);
    if (elen + n + 1 > ecap) {
      ecap = (elen + n + 1) * 2;
      entry = ed_realloc(entry, ecap);
    }
    memcpy(entry + elen, line, n);
    elen += n;
    g_sigint = 0;
    ed_feed_line(sh, &feeder, line, n);
    if (!ed_feed_pending(&feeder)) {
      remember(hist, hist_file, entry, elen);
      elen = 0;
    }
  }
  free(entry);
  el_end(el);
  history_end(hist);
  free(hist_file);
  ed_feed_free(&feeder);
  g_feeder = NULL;
  g_session = NULL;
  sigaction(SIGINT, &old_sa, NULL);
  return 0;
}
