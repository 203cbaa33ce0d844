/*
** shell/options.c — the command line of `eddy`.
**
** Options are checked completely before anything runs, so that a typo is a
** usage error (exit status 2) and never half a run.  Both "--opt value" and
** "--opt=value" are accepted.  The options of streaming queries
** (--input-format, --schema, --checkpoint, --trigger, --output-mode,
** --progress) are validated here and handed to the session, whose
** settings and stdin stream the queries then use.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/types.h"
#include "shell/shell.h"

static const char help_text[] =
    "Usage: eddy [OPTIONS]\n"
    "\n"
    "eddy runs SQL over tables and streams.  Without -e or -f it reads SQL\n"
    "from stdin when stdin is not a terminal, and otherwise starts the\n"
    "interactive shell (.help there lists the dot-commands and statements;\n"
    "streaming queries run in the background there, ~/.eddyrc runs first\n"
    "and ~/.eddy_history keeps the statements typed).  With -e, -f or a\n"
    "pipe, a streaming query runs until its input ends.\n"
    "\n"
    "  -e SQL                 run the statements of SQL (repeatable)\n"
    "  -f FILE                run the statements of FILE (repeatable; -e and\n"
    "                         -f run in the order given)\n"
    "  --format FORMAT        result format on stdout: table, csv, jsonl or\n"
    "                         changelog (default: table on a terminal, csv\n"
    "                         otherwise)\n"
    "  --truncate N           in table output, cut strings longer than N\n"
    "                         characters (default 20; 0: never)\n"
    "  -n                     do not run ~/.eddyrc before the shell starts\n"
    "  --version              print the version and exit\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Streaming queries (a SELECT over a stream runs batch after batch; with\n"
    "-e or -f, stdin can be read as the stream `stdin`):\n"
    "  --input-format FORMAT  format of stdin as a stream: csv, jsonl, text\n"
    "                         (default: detected)\n"
    "  --schema COLUMNS       columns of stdin, e.g. \"a BIGINT, b VARCHAR\"\n"
    "                         (default: inferred from the first rows)\n"
    "  --trigger INTERVAL     default trigger of queries, e.g. '1 second',\n"
    "                         once, 'available now'\n"
    "  --output-mode MODE     default output mode: complete, update, append\n"
    "                         or changes (--format changelog alone means\n"
    "                         changes)\n"
    "  --progress             one JSON progress line per batch on stderr\n"
    "  --checkpoint DIR       checkpoint_location of queries (checkpoints\n"
    "                         are not supported yet: a query refuses to\n"
    "                         start with it)\n"
    "\n"
    "Exit status: 0 on success, 1 when a statement fails (the first failure\n"
    "stops the run), 2 on a usage error, 130 when Ctrl-C (SIGINT) and 143\n"
    "when SIGTERM stopped the run (a running query stops after its batch).\n"
    "\n"
    "Examples:\n"
    "  eddy -e \"SELECT 1 + 1 AS two;\"\n"
    "  eddy -f examples/demo.sql\n"
    "  printf 'SELECT 42 AS answer;\\n' | eddy\n"
    "  printf 'a b\\nb\\n' | eddy --input-format text -e \"SELECT word,\n"
    "    count(*) AS n FROM (SELECT explode(split(value, ' ')) AS word\n"
    "    FROM stdin) GROUP BY word EMIT COMPLETE;\"\n";

int ed_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("eddy: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'eddy --help' for more information.\n", stderr);
  va_end(ap);
  return 2;
}

/* Index of v in a NULL-terminated list, or -1. */
static int one_of(const char *v, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (strcasecmp(v, list[i]) == 0) return i;
  return -1;
}

/* Checks "name TYPE, name TYPE, ...". */
static bool valid_schema(const char *s, char *why, size_t cap) {
  char *copy = ed_strdup(s);
  bool ok = true;
  int ncols = 0;
  for (char *save = NULL, *part = strtok_r(copy, ",", &save); part && ok;
       part = strtok_r(NULL, ",", &save)) {
    while (isspace((unsigned char)*part)) part++;
    char *end = part + strlen(part);
    while (end > part && isspace((unsigned char)end[-1])) *--end = 0;
    char *name = part;
    char *type = part;
    while (*type && !isspace((unsigned char)*type)) type++;
    if (*type) *type++ = 0;
    while (isspace((unsigned char)*type)) type++;
    if (!*name || !*type) {
      snprintf(why, cap, "\"%s\" is not a column (write name TYPE)", name);
      ok = false;
    } else if (ed_type_from_name(type, strlen(type)) == ED_T_NULL) {
      snprintf(why, cap, "unknown type \"%s\" of column \"%s\"", type, name);
      ok = false;
    }
    ncols++;
  }
  if (ok && ncols == 0) {
    snprintf(why, cap, "no columns given");
    ok = false;
  }
  free(copy);
  return ok;
}

/* Takes the value of an option: the text after '=' or the next argument. */
static const char *take_value(int argc, char **argv, int *i, const char *opt,
                              const char *inline_val, bool *missing) {
  if (inline_val) return inline_val;
  if (*i + 1 >= argc) {
    *missing = true;
    ed_usage_error("option '%s' needs a value", opt);
    return NULL;
  }
  return argv[++*i];
}

/* Checks one option's value; returns 0 or 2 (usage error printed). */
static int check_value(const char *opt, const char *v, EdShellOpts *o) {
  static const char *const formats[] = {"table", "csv", "jsonl", "changelog",
                                        NULL};
  static const char *const inputs[] = {"csv", "jsonl", "text", NULL};
  static const char *const modes[] = {"complete", "update", "append",
                                      "changes", NULL};
  char why[256];
  if (strcmp(opt, "--format") == 0) {
    o->format = one_of(v, formats);
    if (o->format < 0)
      return ed_usage_error("invalid --format '%s': use table, csv, jsonl or "
                            "changelog", v);
  } else if (strcmp(opt, "--truncate") == 0) {
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < 0 || n > 1000000)
      return ed_usage_error("invalid --truncate '%s': use a number of "
                            "characters (0: never truncate)", v);
    o->truncate = (int)n;
  } else if (strcmp(opt, "--input-format") == 0) {
    if (one_of(v, inputs) < 0)
      return ed_usage_error("invalid --input-format '%s': use csv, jsonl or "
                            "text", v);
    o->input_format = v;
  } else if (strcmp(opt, "--schema") == 0) {
    if (!valid_schema(v, why, sizeof why))
      return ed_usage_error("invalid --schema: %s", why);
    o->schema = v;
  } else if (strcmp(opt, "--output-mode") == 0) {
    if (one_of(v, modes) < 0)
      return ed_usage_error("invalid --output-mode '%s': use complete, "
                            "update, append or changes", v);
    o->output_mode = v;
  } else if (strcmp(opt, "--checkpoint") == 0) {
    if (!*v) return ed_usage_error("--checkpoint needs a directory");
    o->checkpoint = v;
  } else if (strcmp(opt, "--trigger") == 0) {
    o->trigger = v;        /* checked by the session (eddy_set) */
  }
  return 0;
}

/* Appends a -e or -f to the list of things to run. */
static void add_action(EdShellOpts *o, EdActKind kind, const char *arg) {
  o->actions = ed_realloc(o->actions,
                          sizeof *o->actions * (size_t)(o->nactions + 1));
  o->actions[o->nactions].kind = kind;
  o->actions[o->nactions].arg = arg;
  o->nactions++;
}

int ed_opts_parse(int argc, char **argv, EdShellOpts *o) {
  static const char *const valued[] = {
      "--format", "--truncate", "--input-format", "--schema",
      "--checkpoint", "--trigger", "--output-mode", NULL};
  memset(o, 0, sizeof *o);
  o->format = -1;
  o->truncate = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool missing = false;
    if (strcmp(a, "-e") == 0 || strcmp(a, "-f") == 0) {
      const char *v = take_value(argc, argv, &i, a, NULL, &missing);
      if (missing) return 2;
      add_action(o, a[1] == 'e' ? ED_ACT_SQL : ED_ACT_FILE, v);
    } else if (strcmp(a, "-n") == 0) {
      o->no_rc = true;
    } else if (strcmp(a, "--progress") == 0) {
      o->progress = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(help_text, stdout);
      return 1;
    } else if (strcmp(a, "--version") == 0) {
      printf("eddy %s\n", EDDY_VERSION);
      return 1;
    } else if (a[0] == '-' && a[1] == '-') {
      char opt[64];
      const char *eq = strchr(a, '=');
      size_t len = eq ? (size_t)(eq - a) : strlen(a);
      snprintf(opt, sizeof opt, "%.*s", (int)len, a);
      if (one_of(opt, valued) < 0)
        return ed_usage_error("unknown option '%s'", opt);
      const char *v = take_value(argc, argv, &i, opt, eq ? eq + 1 : NULL,
                                 &missing);
      if (missing) return 2;
      if (check_value(opt, v, o) != 0) return 2;
    } else if (a[0] == '-') {
      return ed_usage_error("unknown option '%s'", a);
    } else {
      return ed_usage_error("unexpected argument '%s' (to run a file: eddy "
                            "-f %s)", a, a);
    }
  }
  return 0;
}

void ed_opts_free(EdShellOpts *o) {
  free(o->actions);
  o->actions = NULL;
  o->nactions = 0;
}
