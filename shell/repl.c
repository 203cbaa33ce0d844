/*
** shell/repl.c — the interactive shell (libedit).
**
** Prompt "eddy> ", continuation "  ...> " while a statement is open; a
** statement runs once a line ends it.  Each statement or dot-command is one
** history entry, kept in ~/.eddy_history.  ~/.eddyrc runs before the first
** prompt unless -n was given.
**
** Streaming queries run in the background (eddy_set_background): the
** prompt comes back at once and their output is printed above the line
** being typed.  Reading goes through our own character reader, which
** waits with poll() on the terminal and on the session's wake
** descriptor; when output of a background query waits, it clears the
** line being typed (the prompt and the text up to the cursor, over as
** many terminal rows as they take), lets the session print, then has
** libedit draw the prompt and the line again (EL_REFRESH), so the text
** being typed is neither lost nor mixed with the output.
**
** Ctrl-C: at the prompt it abandons the line being typed (and the open
** statement) and leaves background queries running; while a statement
** runs it asks the session to stop it (a foreground query after its
** running batch).  The SIGINT handler only sets a flag and calls
** eddy_interrupt(), which is async-signal-safe; the query threads block
** every signal, so that it interrupts this thread's poll() and el_gets()
** ends instead of retrying.  Ctrl-D on an empty line (or .quit) leaves
** the shell; main() then stops every query gracefully.  Tab completes
** keywords and names (shell/complete.c).
*/
#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <poll.h>
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
static EdShell *g_shell;        /* for the completion function */

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

/* Prints what background queries wrote while a line is being edited:
** the prompt and the text up to the cursor are erased (the cursor goes
** back to the first of the rows they take), the output is printed, and
** libedit draws the prompt and the line again below it. */
static void show_pending(EditLine *el) {
  const LineInfo *li = el_line(el);
  int cols = 0;
  if (el_get(el, EL_GETTC, "co", &cols, (void *)NULL) != 0 || cols <= 0)
    cols = 80;
  size_t before = strlen(prompt_fn(el)) + (size_t)(li->cursor - li->buffer);
  int up = (int)(before / (size_t)cols);
  fputc('\r', stdout);
  if (up > 0) fprintf(stdout, "\033[%dA", up);
  fputs("\033[J", stdout);
  fflush(stdout);
  eddy_show_pending(g_session);
  fflush(stdout);
  fflush(stderr);
  el_set(el, EL_REFRESH);
}

/* Reads one character for libedit, showing the output of background
** queries while it waits.  Returns 1 with *wc set, 0 at end of input, -1
** on error or when Ctrl-C interrupted the read. */
static int read_char(EditLine *el, wchar_t *wc) {
  char buf[MB_LEN_MAX];
  size_t n = 0;
  int wake = g_session ? eddy_wake_fd(g_session) : -1;
  for (;;) {
    struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                            {.fd = wake, .events = POLLIN}};
    int r = poll(fds, wake >= 0 ? 2 : 1, -1);
    if (r < 0) {
      if (errno == EINTR && !g_sigint) continue;
      return -1;
    }
    if (wake >= 0 && (fds[1].revents & POLLIN) && eddy_pending(g_session))
      show_pending(el);
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char c;
    ssize_t got = read(STDIN_FILENO, &c, 1);
    if (got == 0) return 0;
    if (got < 0) {
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

/* Whether c can be part of a word that Tab completes. */
static bool word_char(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '.' ||
         (unsigned char)c >= 0x80;
}

/* Tab: completes the word before the cursor.  One candidate replaces the
** word (and a blank follows); several replace it with their common
** prefix, or, when that adds nothing, are listed below the line. */
static unsigned char complete_fn(EditLine *el, int ch) {
  (void)ch;
  const LineInfo *li = el_line(el);
  const char *start = li->cursor;
  while (start > li->buffer && word_char(start[-1])) start--;
  size_t wlen = (size_t)(li->cursor - start);
  size_t llen = (size_t)(li->cursor - li->buffer);
  char *line = ed_malloc(llen + 1);
  memcpy(line, li->buffer, llen);
  line[llen] = 0;
  char *word = line + (llen - wlen);
  /* A "t.col" word completes the part after the dot. */
  char *dot = word[0] == '.' ? NULL : strrchr(word, '.');
  char *part = dot ? dot + 1 : word;
  size_t plen = strlen(part);
  char **cands = NULL;
  int n = 0;
  ed_complete(g_shell, line, part, &cands, &n);
  unsigned char rc = CC_REFRESH_BEEP;
  if (n > 0) {
    size_t common = strlen(cands[0]);
    for (int i = 1; i < n; i++) {
      size_t k = 0;
      while (k < common && cands[i][k] &&
             tolower((unsigned char)cands[i][k]) ==
                 tolower((unsigned char)cands[0][k]))
        k++;
      common = k;
    }
    if (n == 1 || common > plen) {
      char *ins = ed_malloc(common + 2);
      memcpy(ins, cands[0], common);
      ins[common] = 0;
      if (n == 1 && ins[0] != '.') strcat(ins, " ");
      el_deletestr(el, (int)plen);
      el_insertstr(el, ins);
      free(ins);
      rc = CC_REFRESH;
    } else {
      fputc('\n', stdout);
      for (int i = 0; i < n; i++)
        fprintf(stdout, "%s%s", cands[i], i + 1 < n ? "  " : "\n");
      fflush(stdout);
      rc = CC_REDISPLAY;
    }
  }
  for (int i = 0; i < n; i++) free(cands[i]);
  free(cands);
  free(line);
  return rc;
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
  g_shell = sh;
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
  /* The wide call: the narrow one copies the two names and never frees
  ** them. */
  el_wset(el, EL_ADDFN, L"ed-complete", L"Complete a keyword or name",
          complete_fn);
  el_set(el, EL_BIND, "^I", "ed-complete", NULL);
  el_source(el, NULL);

  /* The text of the entry being typed (a statement over several lines). */
  char *entry = NULL;
  size_t elen = 0, ecap = 0;
  while (!sh->quit) {
    g_sigint = 0;
    if (eddy_pending(sh->s)) eddy_show_pending(sh->s);
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
  g_shell = NULL;
  g_session = NULL;
  sigaction(SIGINT, &old_sa, NULL);
  return 0;
}
