/*
** engine/settings.c — session settings: SET name = value, eddy_set() and
** eddy_get().
**
** Every setting is validated when it is set, so that a typo fails at the
** SET and not when a later query first reads the value.  format and
** truncate change the output writer at once; output_mode, trigger,
** state_ttl, checkpoint_location and timezone are the defaults that
** continuous queries take when their own SQL does not say otherwise.  Values are kept
** as normalized text.
*/
#include "engine/engine.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const setting_names[ED_SET__COUNT] = {
    "output_mode", "trigger", "checkpoint_location",
    "timezone",    "truncate", "format", "state_ttl"};

static const char *const format_names[] = {"table", "csv", "jsonl",
                                           "changelog"};

/* Index of a setting by name, or -1. */
static int setting_index(const char *name) {
  for (int i = 0; i < ED_SET__COUNT; i++)
    if (strcasecmp(setting_names[i], name) == 0) return i;
  return -1;
}

/* Replaces the stored text of setting i. */
static void store(eddy_session *s, int i, const char *text) {
  free(s->settings[i]);
  s->settings[i] = text ? ed_strdup(text) : NULL;
}

/* Copies v lower-cased with surrounding blanks removed into buf. */
static void normalize(const char *v, char *buf, size_t cap) {
  while (isspace((unsigned char)*v)) v++;
  size_t n = strlen(v);
  while (n > 0 && isspace((unsigned char)v[n - 1])) n--;
  if (n >= cap) n = cap - 1;
  for (size_t i = 0; i < n; i++) buf[i] = (char)tolower((unsigned char)v[i]);
  buf[n] = 0;
}

/* +HH, +HH:MM, -HH:MM within +-18:00. */
static bool is_utc_offset(const char *v) {
  if (*v != '+' && *v != '-') return false;
  if (!isdigit((unsigned char)v[1]) || !isdigit((unsigned char)v[2]))
    return false;
  int h = (v[1] - '0') * 10 + (v[2] - '0'), m = 0;
  if (v[3] == ':' && isdigit((unsigned char)v[4]) &&
      isdigit((unsigned char)v[5]) && v[6] == 0)
    m = (v[4] - '0') * 10 + (v[5] - '0');
  else if (v[3] != 0)
    return false;
  return h * 60 + m <= 18 * 60 && m < 60;
}

/* UTC, an offset, or a name in the system's zoneinfo database. */
static bool is_timezone(const char *v) {
  if (strcasecmp(v, "UTC") == 0 || strcasecmp(v, "GMT") == 0 ||
      strcmp(v, "Z") == 0 || is_utc_offset(v))
    return true;
  if (!*v || strstr(v, "..") || v[0] == '/') return false;
  for (const char *p = v; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p)) return false;
  char path[512];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Validates value for setting i; on success writes the normalized text to
** out.  Returns 0, or -1 with err set (at value_pos). */
static int validate(int i, const char *value, char *out, size_t cap,
                    const EdPos *vpos, EdError *err) {
  char v[256];
  normalize(value, v, sizeof v);
  switch ((EdSetting)i) {
    case ED_SET_OUTPUT_MODE:
      if (strcmp(v, "complete") && strcmp(v, "update") &&
          strcmp(v, "append") && strcmp(v, "changes"))
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "invalid output_mode '%s': use complete, update, "
                            "append or changes",
                            value);
      break;
    case ED_SET_TRIGGER: {
      int64_t us = 0;
      for (char *p = v; *p; p++)
        if (*p == '_') *p = ' ';
      if (strcmp(v, "once") == 0 || strcmp(v, "available now") == 0) break;
      if (ed_parse_interval(v, strlen(v), NULL, &us) != 0 || us <= 0)
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "invalid trigger '%s': use an interval such as "
                            "'5 seconds', 'once' or 'available now'",
                            value);
      break;
    }
    case ED_SET_CHECKPOINT:
      if (!v[0])
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "checkpoint_location needs a directory");
      snprintf(out, cap, "%s", value);   /* a path keeps its case */
      return 0;
    case ED_SET_TIMEZONE: {
      char tz[256];
      snprintf(tz, sizeof tz, "%s", value);
      if (!is_timezone(tz))
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "unknown timezone '%s': use UTC, an offset such "
                            "as '+02:00', or a zone name such as "
                            "'Europe/Paris'",
                            value);
      snprintf(out, cap, "%s", tz);
      return 0;
    }
    case ED_SET_TRUNCATE: {
      char *end = NULL;
      errno = 0;
      long n = strtol(v, &end, 10);
      if (!v[0] || *end || errno || n < 0 || n > 1000000)
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "invalid truncate '%s': use a number of "
                            "characters (0: never truncate)",
                            value);
      snprintf(out, cap, "%ld", n);
      return 0;
    }
    case ED_SET_FORMAT: {
      bool ok = false;
      for (size_t k = 0; k < sizeof format_names / sizeof *format_names; k++)
        ok = ok || strcmp(v, format_names[k]) == 0;
      if (!ok)
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "invalid format '%s': use table, csv, jsonl or "
                            "changelog",
                            value);
      break;
    }
    case ED_SET_STATE_TTL: {
      int64_t us = 0;
      if (strcmp(v, "0") != 0 &&
          (ed_parse_interval(v, strlen(v), NULL, &us) != 0 || us < 0))
        return ed_error_set(err, ED_ERR_BIND, vpos,
                            "invalid state_ttl '%s': use an interval such as "
                            "'1 hour' (0: keep state forever)",
                            value);
      break;
    }
    case ED_SET__COUNT:
      break;
  }
  snprintf(out, cap, "%s", v);
  return 0;
}

/* Makes format and truncate take effect. */
static void take_effect(eddy_session *s, int i, const char *v) {
  if (i == ED_SET_TRUNCATE) s->truncate = atoi(v);
  if (i == ED_SET_FORMAT) {
    for (size_t k = 0; k < sizeof format_names / sizeof *format_names; k++)
      if (strcmp(v, format_names[k]) == 0) s->format = (EdOutFormat)k;
  }
}

int ed_setting_apply(eddy_session *s, const char *name, const char *value,
                     const EdPos *name_pos, const EdPos *value_pos,
                     EdError *err) {
  int i = setting_index(name);
  if (i < 0)
    return ed_error_set(err, ED_ERR_BIND, name_pos,
                        "unknown setting \"%s\": settings are output_mode, "
                        "trigger, checkpoint_location, timezone, truncate, "
                        "format, state_ttl",
                        name);
  char norm[512];
  if (validate(i, value, norm, sizeof norm, value_pos, err) != 0) return -1;
  store(s, i, norm);
  take_effect(s, i, norm);
  return 0;
}

int ed_run_set(EdStmtEnv *env, const EdAstStmt *st, EdError *err) {
  EdPos npos = ed_stmt_ident_pos(env->sql, st, st->start_offset, st->name);
  const EdPos *vpos = st->value ? &st->value->pos : &st->pos;
  if (!st->value)
    return ed_error_set(err, ED_ERR_BIND, &st->pos,
                        "SET needs a value: SET %s = ...", st->name);
  char *v = ed_option_text(st->value, env->arena, err);
  if (!v) return -1;
  return ed_setting_apply(env->s, st->name, v, &npos, vpos, err);
}

int eddy_set(eddy_session *s, const char *name, const char *value) {
  ed_error_clear(&s->last_err);
  if (ed_setting_apply(s, name, value ? value : "", NULL, NULL,
                       &s->last_err) != 0)
    return EDDY_ERROR;
  return EDDY_OK;
}

const char *eddy_get(eddy_session *s, const char *name) {
  int i = setting_index(name);
  return i < 0 ? NULL : s->settings[i];
}
