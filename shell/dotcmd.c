/*
** shell/dotcmd.c — the dot-commands of the `eddy` command.
**
** As in the sqlite3 shell, a line that starts with '.' where a statement
** could start is a command to the shell rather than SQL; it works in the
** interactive shell, in -f scripts and in -e texts alike:
**
**   .help  .mode  .tables  .schema [NAME]  .read FILE  .output [FILE]
**   .timer on|off  .print TEXT  .queries  .stop NAME  .progress [NAME]
**   .quit
**
** .schema renders each catalog object back as the CREATE statement that
** makes it (columns, watermark, WITH options).
*/
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <sys/resource.h>

#include "common/arena.h"
#include "common/types.h"
#include "engine/session.h"
#include "planner/catalog.h"
#include "shell/shell.h"

static const char help_text[] =
    "Dot-commands (at the start of a line):\n"
    "  .help                  this text\n"
    "  .mode [FORMAT]         output format: table, csv, jsonl or changelog\n"
    "                           e.g. .mode csv\n"
    "  .tables                names of the tables, streams and sinks\n"
    "  .schema [NAME]         CREATE statement of every object, or of NAME\n"
    "                           (a query's NAME: its statement)\n"
    "                           e.g. .schema events\n"
    "  .read FILE             run the statements of FILE\n"
    "                           e.g. .read examples/demo.sql\n"
    "  .output [FILE]         write results to FILE; alone: back to stdout\n"
    "                           e.g. .output results.txt\n"
    "  .timer on|off          print the time each statement takes\n"
    "                           e.g. .timer on\n"
    "  .print TEXT            write TEXT to the output\n"
    "                           e.g. .print -- top pages --\n"
    "  .queries               the streaming queries running (SHOW QUERIES)\n"
    "  .stop NAME             stop a query gracefully (STOP QUERY NAME)\n"
    "                           e.g. .stop q1\n"
    "  .progress [NAME]       the last progress report of each query, or\n"
    "                           NAME's, pretty-printed   e.g. .progress q1\n"
    "  .quit, .exit           stop every query gracefully and leave\n"
    "                           (Ctrl-D does too)\n"
    "\n"
    "Statements (each ends with ';'):\n"
    "  CREATE TABLE    CREATE TABLE users (id BIGINT, name VARCHAR);\n"
    "                  CREATE TABLE events WITH (connector = 'file',\n"
    "                    path = 'examples/events.csv', format = 'csv',\n"
    "                    header = true);\n"
    "  CREATE STREAM   CREATE STREAM clicks (ts TIMESTAMP, page VARCHAR,\n"
    "                    WATERMARK FOR ts AS ts - INTERVAL '10 seconds');\n"
    "                  CREATE STREAM ticks WITH (connector = 'rate',\n"
    "                    rows_per_second = 10);\n"
    "                    (connectors: memory, file, directory, socket,\n"
    "                    rate, stdin)\n"
    "  CREATE SINK     CREATE SINK top WITH (connector = 'memory');\n"
    "                  CREATE SINK out WITH (connector = 'file',\n"
    "                    path = 'out/', format = 'jsonl');\n"
    "                    (connectors: console [num_rows, truncate],\n"
    "                    file [path, format csv|jsonl, header; APPEND\n"
    "                    only], memory, stdout [format\n"
    "                    csv|jsonl|changelog, header])\n"
    "  CREATE INDEX    CREATE INDEX users_name ON users (name);\n"
    "                    (accepted for compatibility; no index is kept)\n"
    "  DROP            DROP TABLE IF EXISTS users;  (also STREAM, SINK)\n"
    "  INSERT          INSERT INTO users VALUES (1, 'ann'), (2, 'bob');\n"
    "                  INSERT INTO users SELECT id + 100, name FROM users;\n"
    "                  into a sink it starts a query named as the sink:\n"
    "                  INSERT INTO top SELECT page, count(*) AS n\n"
    "                    FROM clicks GROUP BY page EMIT COMPLETE;\n"
    "                  (then SELECT * FROM top; reads its result)\n"
    "  SELECT          SELECT page, count(*) AS n FROM events\n"
    "                    GROUP BY page ORDER BY n DESC LIMIT 5;\n"
    "                  over a stream it runs in the background as q1,\n"
    "                  q2, ...; each INSERT INTO a memory stream runs it:\n"
    "                  SELECT window(ts, '1 minute') AS w, count(*) AS n\n"
    "                    FROM clicks GROUP BY window(ts, '1 minute')\n"
    "                    EMIT UPDATE;\n"
    "                  (EMIT COMPLETE|UPDATE|APPEND|CHANGES, TRIGGER\n"
    "                    PROCESSING TIME '5 seconds'|ONCE|AVAILABLE NOW)\n"
    "  EXPLAIN         EXPLAIN SELECT * FROM users WHERE id = 1;\n"
    "                  EXPLAIN ANALYZE SELECT count(*) FROM events;\n"
    "  SET             SET format = 'csv';  (also truncate, output_mode,\n"
    "                    trigger, state_ttl, checkpoint_location,\n"
    "                    timezone)\n"
    "  SHOW            SHOW TABLES;  SHOW STREAMS;  SHOW SINKS;\n"
    "                  SHOW QUERIES;\n"
    "  STOP QUERY      STOP QUERY q1;\n"
    "\n"
    "Keys: Tab completes keywords and names; Ctrl-C drops the line being\n"
    "typed (queries go on); Ctrl-D leaves.\n";

/* True when name can be written without double quotes. */
static bool plain_ident(const char *name) {
  if (!isalpha((unsigned char)name[0]) && name[0] != '_') return false;
  for (const char *p = name; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_') return false;
  return true;
}

/* Writes a name, double-quoted when needed. */
static void put_ident(FILE *f, const char *name) {
  if (plain_ident(name)) {
    fputs(name, f);
    return;
  }
  fputc('"', f);
  for (const char *p = name; *p; p++) {
    if (*p == '"') fputc('"', f);
    fputc(*p, f);
  }
  fputc('"', f);
}

/* True when an option value reads as a number or a boolean literal. */
static bool bare_value(const char *v) {
  if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0) return true;
  char *end = NULL;
  if (!*v) return false;
  strtod(v, &end);
  return *end == 0 && !isspace((unsigned char)v[0]);
}

/* Writes an option value as an SQL literal. */
static void put_value(FILE *f, const char *v) {
  if (bare_value(v)) {
    fputs(v, f);
    return;
  }
  fputc('\'', f);
  for (const char *p = v; *p; p++) {
    if (*p == '\'') fputc('\'', f);
    fputc(*p, f);
  }
  fputc('\'', f);
}

/* Prints the CREATE statement that makes t. */
static void print_create(FILE *f, const EdTable *t) {
  const char *kind = t->kind == OBJ_STREAM ? "STREAM"
                     : t->kind == OBJ_SINK ? "SINK"
                                           : "TABLE";
  fprintf(f, "CREATE %s ", kind);
  put_ident(f, t->name);
  if (t->schema.ncols > 0) {
    fputs(" (", f);
    for (int i = 0; i < t->schema.ncols; i++) {
      if (i) fputs(", ", f);
      put_ident(f, t->schema.cols[i].name);
      fprintf(f, " %s", ed_type_name(t->schema.cols[i].type));
    }
    if (t->wm_col >= 0 && t->wm_col < t->schema.ncols) {
      const char *c = t->schema.cols[t->wm_col].name;
      fputs(", WATERMARK FOR ", f);
      put_ident(f, c);
      fputs(" AS ", f);
      put_ident(f, c);
      if (t->wm_delay_us > 0) {
        char buf[ED_TS_BUFSZ];
        ed_format_interval(t->wm_delay_us, buf);
        fprintf(f, " - INTERVAL '%s'", buf);
      }
    }
    fputc(')', f);
  }
  if (t->noptions > 0) {
    fputs(" WITH (", f);
    for (int i = 0; i < t->noptions; i++) {
      fprintf(f, "%s%s = ", i ? ", " : "", t->options[i].key);
      put_value(f, t->options[i].value);
    }
    fputc(')', f);
  }
  fputs(";\n", f);
}

/* qsort order of tables by name, ignoring case. */
static int cmp_names(const void *a, const void *b) {
  const EdTable *x = *(const EdTable *const *)a;
  const EdTable *y = *(const EdTable *const *)b;
  return strcasecmp(x->name, y->name);
}

/* .tables: every object's name, one per line, sorted. */
static int dot_tables(EdShell *sh) {
  EdCatalog *cat = ed_session_catalog(sh->s);
  if (cat->n == 0) return 0;
  EdTable **v = ed_malloc(sizeof *v * (size_t)cat->n);
  memcpy(v, cat->tables, sizeof *v * (size_t)cat->n);
  qsort(v, (size_t)cat->n, sizeof *v, cmp_names);
  for (int i = 0; i < cat->n; i++)
    fprintf(ed_shell_out(sh), "%s\n", v[i]->name);
  free(v);
  return 0;
}

/* Prints the CREATE statement of t and, for a memory sink that a query
** wrote, the columns of its result table as a comment. */
static void print_object(EdShell *sh, const EdTable *t) {
  FILE *f = ed_shell_out(sh);
  print_create(f, t);
  const EdSchema *r = t->kind == OBJ_SINK
                          ? ed_session_sink_columns(sh->s, t->name)
                          : NULL;
  if (!r) return;
  fputs("-- result table:", f);
  for (int i = 0; i < r->ncols; i++) {
    fputs(i ? ", " : " ", f);
    put_ident(f, r->cols[i].name);
    fprintf(f, " %s", ed_type_name(r->cols[i].type));
  }
  fputc('\n', f);
}

/* .schema [NAME]: the CREATE statement of NAME (or the statement that
** started the query NAME), or of every object in creation order. */
static int dot_schema(EdShell *sh, const char *arg, const char *name,
                      int lineno) {
  EdCatalog *cat = ed_session_catalog(sh->s);
  if (*arg) {
    EdTable *t = ed_catalog_find(cat, arg);
    const char *sql = ed_session_query_sql(sh->s, arg);
    if (!t && !sql) {
      ed_shell_error(name, lineno,
                     "no table, stream, sink or query named \"%s\"", arg);
      return 1;
    }
    if (t) print_object(sh, t);
    if (sql && (!t || t->kind == OBJ_SINK))
      fprintf(ed_shell_out(sh), "-- query %s:\n%s;\n", arg, sql);
    return 0;
  }
  for (int i = 0; i < cat->n; i++) print_object(sh, cat->tables[i]);
  return 0;
}

/* .mode [FORMAT]: prints or sets the output format. */
static int dot_mode(EdShell *sh, const char *arg, const char *name,
                    int lineno) {
  if (!*arg) {
    const char *cur = eddy_get(sh->s, "format");
    fprintf(ed_shell_out(sh), "%s\n", cur ? cur : "table");
    return 0;
  }
  if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "jsonl") &&
      strcmp(arg, "changelog")) {
    ed_shell_error(name, lineno,
                   ".mode %s: unknown format (use table, csv, jsonl or "
                   "changelog)",
                   arg);
    return 1;
  }
  if (eddy_set(sh->s, "format", arg) != EDDY_OK) {
    ed_shell_error(name, lineno, "%s", eddy_errmsg(sh->s));
    return 1;
  }
  return 0;
}

/* .read FILE: runs FILE in this session (nesting is bounded). */
static int dot_read(EdShell *sh, const char *arg, const char *name,
                    int lineno) {
  if (!*arg) {
    ed_shell_error(name, lineno, ".read needs a file name: .read FILE");
    return 1;
  }
  if (sh->depth >= 16) {
    ed_shell_error(name, lineno, ".read %s: files read each other too deeply",
                   arg);
    return 1;
  }
  sh->depth++;
  int rc = ed_run_file(sh, arg);
  sh->depth--;
  return rc;
}

/* .print TEXT: the rest of the line; one pair of surrounding quotes is
** removed, so that leading or trailing blanks can be kept. */
static int dot_print(EdShell *sh, const char *arg) {
  size_t n = strlen(arg);
  if (n >= 2 && (arg[0] == '\'' || arg[0] == '"') && arg[n - 1] == arg[0]) {
    arg++;
    n -= 2;
  }
  FILE *f = ed_shell_out(sh);
  fwrite(arg, 1, n, f);
  fputc('\n', f);
  fflush(f);
  return 0;
}

/* .progress [NAME]: "<name> <json>" for each streaming query still
** running, or NAME's last report pretty-printed. */
static int dot_progress(EdShell *sh, const char *arg, const char *name,
                        int lineno) {
  FILE *f = ed_shell_out(sh);
  int n = ed_session_query_count(sh->s);
  if (*arg) {
    for (int i = 0; i < n; i++) {
      if (strcasecmp(ed_session_query_name(sh->s, i), arg) != 0) continue;
      const char *p = ed_session_query_progress(sh->s, i);
      cJSON *j = p && *p ? cJSON_Parse(p) : NULL;
      char *pretty = j ? cJSON_Print(j) : NULL;
      fprintf(f, "%s\n", pretty ? pretty : "(no batch yet)");
      free(pretty);
      cJSON_Delete(j);
      return 0;
    }
    ed_shell_error(name, lineno, "no running query named \"%s\"", arg);
    return 1;
  }
  if (n == 0) fprintf(f, "no streaming query is running\n");
  for (int i = 0; i < n; i++) {
    const char *p = ed_session_query_progress(sh->s, i);
    fprintf(f, "%s %s\n", ed_session_query_name(sh->s, i),
            p && *p ? p : "(no batch yet)");
  }
  return 0;
}

/* Runs one statement given as text, as if it had been typed. */
static int run_sql(EdShell *sh, const char *sql, const char *name,
                   int lineno) {
  EdError err;
  if (ed_session_exec(sh->s, sql, &err) == 0) return 0;
  ed_shell_error(name, lineno, "%s", err.msg);
  return 1;
}

/* .stop NAME: STOP QUERY NAME. */
static int dot_stop(EdShell *sh, const char *arg, const char *name,
                    int lineno) {
  if (!*arg) {
    ed_shell_error(name, lineno, ".stop needs a query name: .stop q1");
    return 1;
  }
  char *sql = ed_malloc(2 * strlen(arg) + 32);
  char *p = sql + sprintf(sql, "STOP QUERY \"");
  for (const char *c = arg; *c; c++) {
    if (*c == '"') *p++ = '"';
    *p++ = *c;
  }
  strcpy(p, "\";");
  int rc = run_sql(sh, sql, name, lineno);
  free(sql);
  return rc;
}

/* .output [FILE]: results (and dot-command output) go to FILE, created or
** emptied; alone, back to stdout.  A file stays open until the shell
** ends, since a query started while it was the output still writes to
** it. */
static int dot_output(EdShell *sh, const char *arg, const char *name,
                      int lineno) {
  FILE *f = stdout;
  if (*arg) {
    f = fopen(arg, "w");
    if (!f) {
      ed_shell_error(name, lineno, "cannot open \"%s\": %s", arg,
                     strerror(errno));
      return 1;
    }
    sh->files = ed_realloc(sh->files, sizeof *sh->files * (size_t)(sh->nfiles + 1));
    sh->files[sh->nfiles++] = f;
  }
  if (sh->out) fflush(sh->out);
  sh->out = f == stdout ? NULL : f;
  static const char *const names[] = {"table", "csv", "jsonl", "changelog"};
  const char *cur = eddy_get(sh->s, "format");
  eddy_format fmt = EDDY_FORMAT_TABLE;
  for (int i = 0; i < 4; i++)
    if (cur && strcmp(cur, names[i]) == 0) fmt = (eddy_format)i;
  eddy_set_output(sh->s, f, fmt);
  return 0;
}

/* .timer on|off. */
static int dot_timer(EdShell *sh, const char *arg, const char *name,
                     int lineno) {
  if (strcasecmp(arg, "on") == 0 || strcmp(arg, "1") == 0) {
    sh->timer = true;
  } else if (strcasecmp(arg, "off") == 0 || strcmp(arg, "0") == 0) {
    sh->timer = false;
  } else {
    ed_shell_error(name, lineno, ".timer takes on or off: .timer on");
    return 1;
  }
  return 0;
}

FILE *ed_shell_out(const EdShell *sh) { return sh->out ? sh->out : stdout; }

void ed_shell_close_files(EdShell *sh) {
  for (int i = 0; i < sh->nfiles; i++) fclose(sh->files[i]);
  free(sh->files);
  sh->files = NULL;
  sh->nfiles = 0;
  sh->out = NULL;
}

/* Removes a quoted argument's quotes (file names with blanks). */
static char *unquote(char *a) {
  size_t n = strlen(a);
  if (n >= 2 && (a[0] == '\'' || a[0] == '"') && a[n - 1] == a[0]) {
    a[n - 1] = 0;
    return a + 1;
  }
  return a;
}

int ed_dot_command(EdShell *sh, const char *line, const char *name,
                   int lineno) {
  char *buf = ed_strdup(line);
  size_t n = strlen(buf);
  while (n > 0 && isspace((unsigned char)buf[n - 1])) buf[--n] = 0;
  char *cmd = buf + 1;          /* after the '.' */
  char *arg = cmd;
  while (*arg && !isspace((unsigned char)*arg)) arg++;
  if (*arg) *arg++ = 0;
  /* .print keeps its text as written, apart from the one blank after
  ** the command. */
  char *raw = arg;
  while (*arg && isspace((unsigned char)*arg)) arg++;
  int rc = 0;
  if (strcmp(cmd, "help") == 0) {
    fputs(help_text, ed_shell_out(sh));
  } else if (strcmp(cmd, "mode") == 0) {
    rc = dot_mode(sh, arg, name, lineno);
  } else if (strcmp(cmd, "tables") == 0) {
    rc = dot_tables(sh);
  } else if (strcmp(cmd, "schema") == 0) {
    rc = dot_schema(sh, unquote(arg), name, lineno);
  } else if (strcmp(cmd, "read") == 0) {
    rc = dot_read(sh, unquote(arg), name, lineno);
  } else if (strcmp(cmd, "print") == 0) {
    rc = dot_print(sh, raw);
  } else if (strcmp(cmd, "progress") == 0) {
    rc = dot_progress(sh, unquote(arg), name, lineno);
  } else if (strcmp(cmd, "queries") == 0) {
    rc = run_sql(sh, "SHOW QUERIES;", name, lineno);
  } else if (strcmp(cmd, "stop") == 0) {
    rc = dot_stop(sh, unquote(arg), name, lineno);
  } else if (strcmp(cmd, "output") == 0) {
    rc = dot_output(sh, unquote(arg), name, lineno);
  } else if (strcmp(cmd, "timer") == 0) {
    rc = dot_timer(sh, arg, name, lineno);
  } else if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0) {
    sh->quit = true;
  } else {
    ed_shell_error(name, lineno,
                   "unknown command \".%s\": enter .help for the list", cmd);
    rc = 1;
  }
  fflush(ed_shell_out(sh));
  free(buf);
  return rc;
}
