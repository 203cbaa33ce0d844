/*
** sources/stream_source.c — opening the source of a stream: the WITH
** options of each connector (validated once, here, for CREATE STREAM and
** for opening), the schema a stream gets when it declares no columns,
** the `--schema` column list, and the dispatch to the connectors in
** src_*.c.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sources/nexmark_source.h"
#include "sources/stream_internal.h"

/* ------------------------------------------------------------ options */

enum { C_MEMORY = 1, C_STDIN = 2, C_FILE = 4, C_DIR = 8, C_SOCKET = 16,
       C_RATE = 32 };
#define C_ALL (C_MEMORY | C_STDIN | C_FILE | C_DIR | C_SOCKET | C_RATE)
#define C_DECODE (C_STDIN | C_FILE | C_DIR | C_SOCKET)

typedef struct OptSpec {
  const char *name;
  unsigned conns;       /* connectors that take it */
} OptSpec;

static const OptSpec opt_specs[] = {
    {"connector", C_ALL},
    {"path", C_FILE | C_DIR},
    {"host", C_SOCKET},
    {"port", C_SOCKET},
    {"rows_per_second", C_RATE},
    {"format", C_DECODE},
    {"header", C_DECODE},
    {"delimiter", C_DECODE},
    {"mode", C_DECODE},
    {"bad_records_path", C_DECODE},
    {"include_timestamp", C_DECODE},
    {"follow", C_FILE},
    {"max_files_per_trigger", C_DIR},
    {"new_files_only", C_DIR},
    {"max_rows_per_trigger", C_ALL},
    {"fd", C_STDIN},
};
#define N_SPECS (int)(sizeof opt_specs / sizeof opt_specs[0])

static const char *const connector_list =
    "memory, file, directory, socket, rate, stdin, nexmark";

/* The connector bit of a kind, for the option table. */
static unsigned kind_bit(EdSrcKind k) {
  switch (k) {
    case SRC_MEMORY: return C_MEMORY;
    case SRC_STDIN: return C_STDIN;
    case SRC_FILE: return C_FILE;
    case SRC_DIRECTORY: return C_DIR;
    case SRC_SOCKET: return C_SOCKET;
    case SRC_RATE: return C_RATE;
  }
  return 0;
}

/* Index of option key (case-insensitive), or -1. */
static int find_opt(const EdOption *opts, int nopts, const char *key) {
  for (int i = 0; i < nopts; i++)
    if (strcasecmp(opts[i].key, key) == 0) return i;
  return -1;
}

/* Sets the error for an invalid option value and returns -1. */
static int bad_value(EdError *err, const char *key, const char *value,
                     const char *accepted) {
  return ed_error_set(err, ED_ERR_BIND, NULL,
                      "invalid value '%s' for option %s: expected %s", value,
                      key, accepted);
}

/* true / false, in any case. */
static int parse_bool(const char *key, const char *v, bool *out,
                      EdError *err) {
  if (strcasecmp(v, "true") == 0) *out = true;
  else if (strcasecmp(v, "false") == 0) *out = false;
  else return bad_value(err, key, v, "true or false");
  return 0;
}

/* A whole number in [lo, hi]. */
static int parse_int(const char *key, const char *v, int64_t lo, int64_t hi,
                     int64_t *out, EdError *err) {
  int64_t x;
  if (ed_dec_parse_bigint(v, strlen(v), &x) != 0 || x < lo || x > hi) {
    char what[96];
    snprintf(what, sizeof what, "a whole number from %lld to %lld",
             (long long)lo, (long long)hi);
    return bad_value(err, key, v, what);
  }
  *out = x;
  return 0;
}

/* Resolves the connector name; a file connector whose path is a
** directory reads it as a directory stream. */
static int resolve_kind(const char *connector, const EdOption *opts,
                        int nopts, EdSrcConf *c, EdError *err) {
  static const struct { const char *name; EdSrcKind kind; } names[] = {
      {"memory", SRC_MEMORY}, {"stdin", SRC_STDIN},
      {"file", SRC_FILE},     {"directory", SRC_DIRECTORY},
      {"socket", SRC_SOCKET}, {"rate", SRC_RATE}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcasecmp(connector, names[i].name) != 0) continue;
    c->kind = names[i].kind;
    c->connector = names[i].name;
    if (c->kind == SRC_FILE) {
      int p = find_opt(opts, nopts, "path");
      struct stat st;
      if (p >= 0 && stat(opts[p].value, &st) == 0 && S_ISDIR(st.st_mode))
        c->kind = SRC_DIRECTORY;
    }
    return 0;
  }
  return ed_error_set(err, ED_ERR_BIND, NULL,
                      "unknown connector \"%s\" for a stream: valid "
                      "connectors are %s",
                      connector, connector_list);
}

/* The error for an option the connector does not take. */
static int unknown_option(const EdSrcConf *c, const char *key,
                          EdError *err) {
  char list[512] = "";
  unsigned bit = kind_bit(c->kind);
  for (int i = 0; i < N_SPECS; i++)
    if (opt_specs[i].conns & bit)
      ed_src_appendf(list, sizeof list, "%s%s", list[0] ? ", " : "",
                     opt_specs[i].name);
  bool dir_by_path = c->kind == SRC_DIRECTORY &&
                     strcmp(c->connector, "file") == 0;
  return ed_error_set(err, ED_ERR_BIND, NULL,
                      "unknown option \"%s\" for connector \"%s\"%s: valid "
                      "options are %s",
                      key, c->connector,
                      dir_by_path ? " with a directory path" : "", list);
}

/* Checks one decoding option alone (format, header, ...). */
static int check_decode_opt(const EdOption *o, EdError *err) {
  EdOption one = *o;
  EdTable probe;
  memset(&probe, 0, sizeof probe);
  probe.name = (char *)"stream";
  probe.noptions = 1;
  probe.options = &one;
  EdDecodeOpts d;
  return ed_decode_opts_from_table(&probe, &d, err);
}

/* Parses the value of option i (known to belong to the connector). */
static int parse_value(EdSrcConf *c, const EdOption *o, EdError *err) {
  const char *k = o->key, *v = o->value;
  int64_t x = 0;
  if (strcmp(k, "connector") == 0) return 0;
  if (strcmp(k, "path") == 0) {
    struct stat st;
    if (!*v) return bad_value(err, k, v, "a file or directory path");
    if (stat(v, &st) != 0)
      return ed_error_set(err, ED_ERR_BIND, NULL, "cannot read \"%s\": %s",
                          v, strerror(errno));
    if (c->kind == SRC_DIRECTORY && !S_ISDIR(st.st_mode))
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "path \"%s\" is not a directory", v);
    c->path = v;
    return 0;
  }
  if (strcmp(k, "host") == 0) {
    if (!*v) return bad_value(err, k, v, "a host name or address");
    c->host = v;
    return 0;
  }
  if (strcmp(k, "port") == 0) {
    if (parse_int(k, v, 1, 65535, &x, err)) return -1;
    c->port = (int)x;
    return 0;
  }
  if (strcmp(k, "rows_per_second") == 0)
    return parse_int(k, v, 1, 1000000000, &c->rows_per_second, err);
  if (strcmp(k, "max_rows_per_trigger") == 0)
    return parse_int(k, v, 1, INT64_MAX, &c->max_rows, err);
  if (strcmp(k, "max_files_per_trigger") == 0)
    return parse_int(k, v, 1, INT32_MAX, &c->max_files, err);
  if (strcmp(k, "fd") == 0) {
    if (parse_int(k, v, 0, INT32_MAX, &x, err)) return -1;
    c->fd = (int)x;
    return 0;
  }
  if (strcmp(k, "follow") == 0) return parse_bool(k, v, &c->follow, err);
  if (strcmp(k, "new_files_only") == 0)
    return parse_bool(k, v, &c->new_files_only, err);
  if (strcmp(k, "include_timestamp") == 0)
    return parse_bool(k, v, &c->include_timestamp, err);
  return check_decode_opt(o, err);
}

/* Checks that the options a connector cannot do without are there. */
static int check_required(const EdSrcConf *c, EdError *err) {
  if ((c->kind == SRC_FILE || c->kind == SRC_DIRECTORY) && !c->path)
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "connector \"%s\" needs the option path, e.g. WITH "
                        "(connector = '%s', path = '%s', format = 'csv')",
                        c->connector, c->connector,
                        c->kind == SRC_FILE ? "data.csv" : "data/");
  if (c->kind == SRC_SOCKET && (!c->host || !c->port))
    return ed_error_set(err, ED_ERR_BIND, NULL,
                        "connector \"socket\" needs the options host and "
                        "port, e.g. WITH (connector = 'socket', host = "
                        "'127.0.0.1', port = 9999)");
  return 0;
}

/* Validates every option, in order, then the combination (see
** stream_internal.h). */
int ed_src_conf(const char *connector, const EdOption *opts, int nopts,
                EdSrcConf *c, int *bad, EdError *err) {
  memset(c, 0, sizeof *c);
  *bad = -1;
  c->rows_per_second = 1;
  if (resolve_kind(connector ? connector : "memory", opts, nopts, c, err))
    return -1;
  unsigned bit = kind_bit(c->kind);
  for (int i = 0; i < nopts; i++) {
    const OptSpec *spec = NULL;
    for (int k = 0; k < N_SPECS && !spec; k++)
      if (strcasecmp(opt_specs[k].name, opts[i].key) == 0)
        spec = &opt_specs[k];
    *bad = i;
    if (!spec || !(spec->conns & bit))
      return unknown_option(c, opts[i].key, err);
    EdOption o = {(char *)spec->name, opts[i].value};
    if (parse_value(c, &o, err)) return -1;
  }
  *bad = -1;
  if (check_required(c, err)) return -1;
  /* The decoding options as a whole (format from the path's extension). */
  EdTable probe;
  memset(&probe, 0, sizeof probe);
  probe.name = (char *)"stream";
  probe.noptions = nopts;
  probe.options = (EdOption *)opts;
  if (ed_decode_opts_from_table(&probe, &c->dec, err)) return -1;
  c->has_format = find_opt(opts, nopts, "format") >= 0;
  if (c->kind == SRC_SOCKET && !c->has_format) c->dec.format = ED_IN_TEXT;
  if (c->kind == SRC_STDIN) c->dec.source_name = "stdin";
  return 0;
}

/* The format a path's extension gives, by the file tables' rules. */
EdInFormat ed_src_format_of(const char *path) {
  EdOption o = {(char *)"path", (char *)path};
  EdTable probe;
  memset(&probe, 0, sizeof probe);
  probe.noptions = 1;
  probe.options = &o;
  EdDecodeOpts d;
  EdError e;
  if (ed_decode_opts_from_table(&probe, &d, &e) != 0) return ED_IN_CSV;
  return d.format;
}

/* ------------------------------------------------------------ schemas */

static void schema_add(EdSchema *s, const char *name, EdType type) {
  s->cols = ed_realloc(s->cols, (size_t)(s->ncols + 1) * sizeof *s->cols);
  s->cols[s->ncols].name = ed_strdup(name);
  s->cols[s->ncols].type = type;
  s->cols[s->ncols].table = NULL;
  s->ncols++;
}

/* Infers from the file, or from the first file of the directory. */
int ed_src_infer_path(const EdSrcConf *c, EdSchema *out, EdError *err) {
  EdDecodeOpts o = c->dec;
  const char *file = c->path;
  char **files = NULL;
  int n = 0;
  if (c->kind == SRC_DIRECTORY) {
    n = ed_src_list_dir(c->path, &files, err);
    if (n < 0) return -1;
    if (n == 0) {
      free(files);
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "cannot infer the columns of directory \"%s\": "
                          "it holds no file yet; declare the columns, e.g. "
                          "CREATE STREAM s (a BIGINT, b VARCHAR) WITH (...)",
                          c->path);
    }
    file = files[0];
    if (!c->has_format) o.format = ed_src_format_of(file);
  }
  o.source_name = file;
  int rc = ed_infer_schema(file, &o, out, err);
  for (int i = 0; i < n; i++) free(files[i]);
  free(files);
  return rc;
}

/* The default schema for conf c (options already validated). */
static int default_schema(const EdSrcConf *c, EdSchema *out, EdError *err) {
  ed_schema_init(out, 0);
  switch (c->kind) {
    case SRC_MEMORY:
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "a memory stream needs a column list, e.g. CREATE "
                          "STREAM s (id BIGINT, name VARCHAR)");
    case SRC_RATE:
      schema_add(out, "timestamp", ED_T_TIMESTAMP);
      schema_add(out, "value", ED_T_BIGINT);
      return 0;
    case SRC_SOCKET:
      if (c->dec.format != ED_IN_TEXT)
        return ed_error_set(err, ED_ERR_BIND, NULL,
                            "a socket stream in format %s needs a column "
                            "list",
                            c->dec.format == ED_IN_CSV ? "csv" : "jsonl");
      schema_add(out, "value", ED_T_VARCHAR);
      break;
    case SRC_STDIN: {
      EdDecodeOpts o = c->dec;
      if (ed_src_stdin_resolve(c->fd, &o, c->has_format, true, out, err))
        return -1;
      break;
    }
    case SRC_FILE:
    case SRC_DIRECTORY:
      if (c->has_format && c->dec.format == ED_IN_TEXT) {
        schema_add(out, "value", ED_T_VARCHAR);
      } else if (ed_src_infer_path(c, out, err)) {
        return -1;
      }
      break;
  }
  if (c->include_timestamp && ed_schema_find(out, "_arrival") < 0)
    schema_add(out, "_arrival", ED_T_TIMESTAMP);
  return 0;
}

/* Checks declared columns against what the connector can fill. */
static int check_declared(const EdSrcConf *c, EdSchema *schema,
                          EdError *err) {
  if (c->kind == SRC_RATE) {
    for (int i = 0; i < schema->ncols; i++) {
      const EdColumn *col = &schema->cols[i];
      bool ok = (strcasecmp(col->name, "timestamp") == 0 &&
                 col->type == ED_T_TIMESTAMP) ||
                (strcasecmp(col->name, "value") == 0 &&
                 col->type == ED_T_BIGINT);
      if (!ok)
        return ed_error_set(err, ED_ERR_BIND, NULL,
                            "column \"%s\" %s: a rate stream has the "
                            "columns timestamp TIMESTAMP and value BIGINT",
                            col->name, ed_type_name(col->type));
    }
    return 0;
  }
  if (c->kind == SRC_MEMORY) return 0;
  int a = ed_schema_find(schema, "_arrival");
  if (c->include_timestamp) {
    if (a >= 0 && schema->cols[a].type != ED_T_TIMESTAMP)
      return ed_error_set(err, ED_ERR_BIND, NULL,
                          "column _arrival must be TIMESTAMP, not %s "
                          "(include_timestamp = true fills it)",
                          ed_type_name(schema->cols[a].type));
    if (a < 0) schema_add(schema, "_arrival", ED_T_TIMESTAMP);
  }
  /* The decoder refuses what it cannot decode (a WINDOW column, a text
  ** stream without a VARCHAR column, _corrupt_record not VARCHAR). */
  EdDecodeOpts o = c->dec;
  if (c->kind == SRC_STDIN && !c->has_format) o.format = ED_IN_CSV;
  int arrival;
  EdDecoder *d = ed_src_decoder(c, &o, schema, &arrival, err);
  if (!d) {
    err->kind = ED_ERR_BIND;
    return -1;
  }
  ed_decoder_free(d);
  return 0;
}

/* Checks a CREATE STREAM and completes its schema (stream_source.h). */
int ed_stream_prepare(const char *connector, const EdOption *opts,
                      int nopts, EdSchema *schema, int *bad_option,
                      EdError *err) {
  if (ed_nexmark_is(connector))
    return ed_nexmark_prepare(opts, nopts, schema, bad_option, err);
  int bad = -1;
  EdSrcConf c;
  int rc = ed_src_conf(connector, opts, nopts, &c, &bad, err);
  if (bad_option) *bad_option = bad;
  if (rc) return -1;
  if (schema->ncols > 0) return check_declared(&c, schema, err);
  EdSchema def;
  if (default_schema(&c, &def, err)) {
    ed_schema_free(&def);
    return -1;
  }
  ed_schema_free(schema);
  *schema = def;
  return 0;
}

/* The schema of a stream without a column list (stream_source.h). */
int ed_stream_default_schema(const char *connector, const EdOption *opts,
                             int nopts, EdSchema *out, EdError *err) {
  if (ed_nexmark_is(connector))
    return ed_nexmark_default_schema(opts, nopts, out, err);
  int bad;
  EdSrcConf c;
  ed_schema_init(out, 0);
  if (ed_src_conf(connector, opts, nopts, &c, &bad, err)) return -1;
  if (default_schema(&c, out, err)) {
    ed_schema_free(out);
    ed_schema_init(out, 0);
    return -1;
  }
  return 0;
}

/* A name token: an identifier or a "quoted" name. */
static const char *parse_name(const char *p, char *name, size_t cap) {
  size_t n = 0;
  if (*p == '"') {
    for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
      if (*p == '"') p++;
      if (n + 1 < cap) name[n++] = *p;
    }
    if (*p != '"') return NULL;
    p++;
  } else {
    while (*p && *p != ' ' && *p != '\t' && *p != ',') {
      if (n + 1 < cap) name[n++] = *p;
      p++;
    }
  }
  name[n] = '\0';
  return n ? p : NULL;
}

/* Parses "name TYPE, ..." (stream_source.h). */
int ed_schema_parse_text(const char *text, EdSchema *out, EdError *err) {
  ed_schema_init(out, 0);
  const char *p = text;
  for (int i = 1;; i++) {
    char name[256], type[64];
    while (*p == ' ' || *p == '\t' || *p == '\n') p++;
    const char *q = parse_name(p, name, sizeof name);
    if (!q) goto fail_col;
    p = q;
    while (*p == ' ' || *p == '\t') p++;
    size_t tn = 0;
    while (*p && *p != ',') {
      if (tn + 1 < sizeof type) type[tn++] = *p;
      p++;
    }
    while (tn && (type[tn - 1] == ' ' || type[tn - 1] == '\t' ||
                  type[tn - 1] == '\n'))
      tn--;
    type[tn] = '\0';
    EdType t = ed_type_from_name(type, tn);
    if (t == ED_T_NULL || t == ED_T_WINDOW) {
      ed_schema_free(out);
      return ed_error_set(err, ED_ERR_USAGE, NULL,
                          "--schema: column %d (\"%s\"): %s \"%s\"; types "
                          "are BOOLEAN, BIGINT, DOUBLE, VARCHAR, TIMESTAMP, "
                          "INTERVAL",
                          i, name, tn ? "unknown type" : "no type", type);
    }
    if (ed_schema_find(out, name) >= 0) {
      ed_schema_free(out);
      return ed_error_set(err, ED_ERR_USAGE, NULL,
                          "--schema: column \"%s\" is declared twice", name);
    }
    schema_add(out, name, t);
    if (*p != ',') break;
    p++;
    continue;
  fail_col:
    ed_schema_free(out);
    return ed_error_set(err, ED_ERR_USAGE, NULL,
                        "--schema: column %d: a column is written \"name "
                        "TYPE\", e.g. --schema \"a BIGINT, b VARCHAR\"",
                        i);
  }
  return 0;
}

/* ------------------------------------------------------------ opening */

EdStreamSource *ed_stream_source_open(const EdTable *t, EdError *err) {
  return ed_stream_source_open_cols(t, NULL, err);
}

EdStreamSource *ed_stream_source_open_cols(const EdTable *t, const bool *read,
                                           EdError *err) {
  if (ed_nexmark_is(t->connector)) return ed_nexmark_open(t, err);
  EdSrcConf c;
  int bad;
  if (ed_src_conf(t->connector, t->options, t->noptions, &c, &bad, err)) {
    err->kind = ED_ERR_EXEC;
    return NULL;
  }
  c.read = read;
  if (!c.path && c.kind != SRC_FILE) c.dec.source_name = t->name;
  EdStreamSource *s;
  switch (c.kind) {
    case SRC_MEMORY: return ed_src_memory_open(t, &c, err);
    case SRC_RATE: return ed_src_rate_open(t, &c, err);
    case SRC_STDIN: s = ed_src_stdin_open(t, &c, err); break;
    case SRC_FILE: s = ed_src_file_open(t, &c, err); break;
    case SRC_DIRECTORY: s = ed_src_directory_open(t, &c, err); break;
    case SRC_SOCKET: s = ed_src_socket_open(t, &c, err); break;
    default:
      ed_error_set(err, ED_ERR_EXEC, NULL, "unknown connector \"%s\"",
                   t->connector);
      return NULL;
  }
  /* The decoding sources skip the columns nobody reads when their
  ** options allow it (ed_decode_prunable). */
  if (s) s->pruned = read && ed_decode_prunable(&c.dec, &t->schema);
  return s;
}

/* The malformed-records warning, worded as the file scan words it. */
void ed_stream_source_warn(const EdStreamSource *s, FILE *f) {
  int64_t bad = s->stats.bad;
  if (bad == 0 || s->bad_mode == ED_BAD_FAILFAST) return;
  bool perm = s->bad_mode == ED_BAD_PERMISSIVE;
  fprintf(f, "warning: %s: %lld malformed record%s %s (mode %s)%s%s\n",
          s->description, (long long)bad, bad == 1 ? "" : "s",
          perm ? "kept as NULLs" : "dropped",
          perm ? "PERMISSIVE" : "DROPMALFORMED",
          s->bad_file ? "; written to " : "", s->bad_file ? s->bad_file : "");
}
