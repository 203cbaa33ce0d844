/*
** tests/slt/slt_runner.c — runs sqllogictest scripts (SQLite's format,
** ../shared/corpora/sqllogictest/about.wiki) against eddy, as engine
** "sqlite": skipif/onlyif name that engine, a missing hash-threshold means
** 8, results are rendered, sorted and hashed as in slt_result.h, and
** queries sharing a label must give the same result.
**
**   slt_runner [options] CORPUS_DIR FILE...
**     FILE                      a script, relative to CORPUS_DIR
**     --expected-failures PATH  records that may fail (slt_xfail.h); a
**                               listed record that passes is a failure too
**     --write-expected-failures print a list of the records that fail with
**                               the "subqueries in expressions" error
**     --verbose                 print every record as it runs
**     --stop-on-fail            stop at the first unexpected failure
**     --filter N                run only the query at line N (statements
**                               still run, to build the tables)
**     --max-report N            details of at most N failures per file (30)
**     --record-timeout S        abort when one record runs S seconds
**
** Per file it prints a summary line such as
**   select1.test: 1031 records, 1020 passed, 11 expected failures, 0 failed, 0 skipped
** and exits 1 when any record failed unexpectedly, 0 otherwise.
*/
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slt_engine.h"
#include "slt_result.h"
#include "slt_script.h"
#include "slt_xfail.h"

typedef struct SltOpts {
  const char *corpus;
  const char *xfail_path;
  bool write_xfail;
  bool verbose;
  bool stop_on_fail;
  int filter;             /* 0: run everything */
  int max_report;
  int timeout;            /* seconds per record, 0: none */
} SltOpts;

/* Where failure details and summaries go: stdout, or stderr when stdout
** carries the list written by --write-expected-failures. */
static FILE *report;

typedef struct SltCounts {
  int records, passed, xfail, failed, skipped;
} SltCounts;

/* Labels seen in one file: label -> hash of the first passing result. */
typedef struct SltLabel {
  char *name;
  char hash[33];
  int line;
} SltLabel;

typedef struct SltLabels {
  int n, cap;             /* open addressing, cap a power of two */
  SltLabel *slots;
} SltLabels;

/* ------------------------------------------------------------- labels */

static unsigned label_hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Returns the slot of name, inserting an empty entry if absent. */
static SltLabel *label_slot(SltLabels *l, const char *name) {
  if (2 * (l->n + 1) > l->cap) {
    SltLabels grown = {0, l->cap ? 2 * l->cap : 64, NULL};
    grown.slots = ed_calloc((size_t)grown.cap, sizeof *grown.slots);
    for (int i = 0; i < l->cap; i++)
      if (l->slots[i].name) *label_slot(&grown, l->slots[i].name) = l->slots[i];
    grown.n = l->n;
    free(l->slots);
    *l = grown;
  }
  unsigned i = label_hash(name) & (unsigned)(l->cap - 1);
  while (l->slots[i].name && strcmp(l->slots[i].name, name) != 0)
    i = (i + 1) & (unsigned)(l->cap - 1);
  if (!l->slots[i].name) {
    l->slots[i].name = (char *)name;   /* caller replaces with a copy */
    l->slots[i].hash[0] = 0;
    l->n++;
  }
  return &l->slots[i];
}

static void labels_free(SltLabels *l) {
  for (int i = 0; i < l->cap; i++) free(l->slots[i].name);
  free(l->slots);
  memset(l, 0, sizeof *l);
}

/* Checks a passing labeled result against earlier ones.  Returns false
** and explains in why when an earlier query with the label differed. */
static bool check_label(SltLabels *l, const SltRecord *rec, const SltResult *res,
                        char *why, size_t cap) {
  char hash[33];
  slt_result_hash(res, hash);
  SltLabel *slot = label_slot(l, rec->label);
  if (slot->hash[0] == 0) {
    slot->name = ed_strdup(rec->label);
    memcpy(slot->hash, hash, 33);
    slot->line = rec->line;
    return true;
  }
  if (strcmp(slot->hash, hash) == 0) return true;
  snprintf(why, cap, "result hash %s differs from %s of the query with label %s at line %d",
           hash, slot->hash, rec->label, slot->line);
  return false;
}

/* ------------------------------------------------- timeouts, crashes */

/* Which record is running, kept ready for a signal handler to print:
** a hang or a crash inside the engine then names the record. */
static char current_msg[512];
static int current_len;
static int timeout_secs;

static void say_current(const char *what) {
  if (write(2, what, strlen(what)) < 0 || write(2, current_msg, (size_t)current_len) < 0)
    _exit(3);
}

static void on_alarm(int sig) {
  (void)sig;
  say_current("\nTIMEOUT: a record ran too long: ");
  _exit(1);
}

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
static void on_sanitizer_death(void) {
  say_current("\nslt_runner died while running ");
}
#else
static void on_crash(int sig) {
  say_current("\nslt_runner crashed while running ");
  signal(sig, SIG_DFL);
  raise(sig);
}
#endif

static void install_handlers(int timeout) {
  timeout_secs = timeout;
  if (timeout) signal(SIGALRM, on_alarm);
#ifdef __SANITIZE_ADDRESS__
  __sanitizer_set_death_callback(on_sanitizer_death);
#else
  signal(SIGSEGV, on_crash);
  signal(SIGBUS, on_crash);
  signal(SIGFPE, on_crash);
  signal(SIGABRT, on_crash);
#endif
}

/* Records which record runs next and arms the per-record alarm. */
static void note_record(const char *file, int line) {
  current_len = snprintf(current_msg, sizeof current_msg, "%s:%d\n", file, line);
  if (current_len >= (int)sizeof current_msg) current_len = (int)sizeof current_msg - 1;
  if (timeout_secs) alarm((unsigned)timeout_secs);
}

/* ------------------------------------------------------------ records */

typedef enum SltOutcome { SLT_PASS, SLT_FAIL } SltOutcome;

/* Runs a statement or query record.  On failure writes the reason into
** why and sets *subquery when the engine's error is the unsupported
** subquery one. */
static SltOutcome run_record(SltEngine *e, const SltRecord *rec, SltResult *res,
                             SltLabels *labels, char *why, size_t cap,
                             bool *subquery) {
  char err[2048];
  *subquery = false;
  if (rec->kind == SLT_STATEMENT) {
    int rc = slt_engine_run(e, rec->sql, NULL, res, err, sizeof err);
    if (rc == 0 && rec->expect_error) {
      snprintf(why, cap, "statement succeeded, but an error was expected");
      return SLT_FAIL;
    }
    if (rc != 0 && !rec->expect_error) {
      *subquery = strstr(err, SLT_SUBQUERY_ERROR) != NULL;
      snprintf(why, cap, "error: %s", err);
      return SLT_FAIL;
    }
    return SLT_PASS;
  }
  if (slt_engine_run(e, rec->sql, rec->types, res, err, sizeof err) != 0) {
    *subquery = strstr(err, SLT_SUBQUERY_ERROR) != NULL;
    snprintf(why, cap, "error: %s", err);
    return SLT_FAIL;
  }
  int want_cols = (int)strlen(rec->types);
  if (res->ncols != want_cols) {
    snprintf(why, cap, "expected %d columns (%s), got %d", want_cols, rec->types,
             res->ncols);
    return SLT_FAIL;
  }
  slt_result_sort(res, rec->sort);
  if (!slt_result_check(res, rec, why, cap)) return SLT_FAIL;
  if (rec->label && !check_label(labels, rec, res, why, cap)) return SLT_FAIL;
  return SLT_PASS;
}

/* Prints the details of a failing record. */
static void report_failure(const char *file, const SltRecord *rec, const char *why,
                           const char *note) {
  fprintf(report, "FAIL %s:%d%s\n", file, rec->line, note);
  if (rec->sql) {
    fprintf(report, "  SQL: ");
    for (const char *p = rec->sql; *p; p++) {
      fputc(*p, report);
      if (*p == '\n') fprintf(report, "       ");
    }
    fputc('\n', report);
  }
  fprintf(report, "  %s\n", why);
}

/* State of the run over one script. */
typedef struct SltFileRun {
  const SltOpts *o;
  const char *file;
  SltXfailList *xl;       /* expected failures, or NULL */
  SltXfailList *out;      /* --write-expected-failures: collected list */
  SltCounts *c;
  int reported;           /* failures reported in detail */
} SltFileRun;

/* Counts a record's outcome against the expected failures and reports an
** unexpected one.  Returns true when the record failed unexpectedly. */
static bool account(SltFileRun *fr, const SltRecord *rec, SltOutcome oc,
                    bool subquery, char *why, size_t cap) {
  SltXfail *x = fr->xl ? slt_xfail_find(fr->xl, fr->file, rec->line) : NULL;
  if (x) x->seen = true;
  if (oc == SLT_PASS && !x) {
    fr->c->passed++;
    return false;
  }
  if (oc == SLT_FAIL && subquery && (x || fr->out)) {
    if (fr->out) slt_xfail_add(fr->out, fr->file, rec->line);
    fr->c->xfail++;
    if (fr->o->verbose) report_failure(fr->file, rec, why, " (expected failure)");
    return false;
  }
  const char *note = "";
  if (oc == SLT_PASS) {
    note = " (listed in the expected failures, but passed: remove it)";
    snprintf(why, cap, "record passed");
  } else if (x) {
    note = " (listed in the expected failures, but failed for another reason)";
  }
  fr->c->failed++;
  if (fr->reported++ < fr->o->max_report || fr->o->verbose)
    report_failure(fr->file, rec, why, note);
  return true;
}

/* Fails every expected-failure entry of the file that no record matched. */
static void check_stale(SltFileRun *fr) {
  for (int i = 0; i < fr->xl->n; i++)
    if (strcmp(fr->xl->items[i].file, fr->file) == 0 && !fr->xl->items[i].seen) {
      fprintf(report, "FAIL %s:%d listed in the expected failures, but no record "
              "runs there\n", fr->file, fr->xl->items[i].line);
      fr->c->failed++;
    }
}

/* Runs one script: records are counted in *c, subquery failures collected
** in out (write mode), failures matched against xl.  Returns false when
** the run should stop (--stop-on-fail). */
static bool run_file(const SltOpts *o, const char *file, SltXfailList *xl,
                     SltXfailList *out, SltCounts *c) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", o->corpus, file);
  memset(c, 0, sizeof *c);
  SltScript *s = slt_script_open(path, "sqlite");
  if (!s) {
    c->failed++;
    return true;
  }
  SltFileRun fr = {o, file, xl, out, c, 0};
  SltEngine *e = slt_engine_open();
  SltResult res;
  slt_result_init(&res);
  SltLabels labels = {0, 0, NULL};
  SltRecord rec;
  char why[8192];
  bool go_on = true;
  while (go_on && slt_script_next(s, &rec)) {
    if (rec.kind == SLT_HALT && !rec.skip) break;
    if (rec.kind == SLT_HALT || rec.kind == SLT_HASH_THRESHOLD) continue;
    if (rec.skip) {
      c->skipped++;
      continue;
    }
    if (o->filter && rec.kind == SLT_QUERY && rec.line != o->filter &&
        rec.first_line != o->filter)
      continue;
    c->records++;
    bool subquery = false;
    SltOutcome oc = SLT_FAIL;
    if (rec.kind == SLT_BAD) {
      snprintf(why, sizeof why, "malformed record: %s", rec.bad);
    } else {
      if (o->verbose) fprintf(report, "RUN  %s:%d\n", file, rec.line);
      note_record(file, rec.line);
      oc = run_record(e, &rec, &res, &labels, why, sizeof why, &subquery);
      if (timeout_secs) alarm(0);
    }
    if (account(&fr, &rec, oc, subquery, why, sizeof why) && o->stop_on_fail) go_on = false;
  }
  if (fr.reported > o->max_report && !o->verbose)
    fprintf(report, "... %d more failures in %s not shown (--max-report)\n",
            fr.reported - o->max_report, file);
  if (xl && !o->filter && go_on) check_stale(&fr);
  labels_free(&labels);
  slt_result_free(&res);
  slt_engine_close(e);
  slt_script_close(s);
  return go_on;
}

static void usage(void) {
  fprintf(stderr,
          "usage: slt_runner [--expected-failures PATH] [--write-expected-failures]\n"
          "                  [--verbose] [--stop-on-fail] [--filter LINE]\n"
          "                  [--max-report N] [--record-timeout SECONDS]\n"
          "                  CORPUS_DIR FILE...\n");
  exit(2);
}

int main(int argc, char **argv) {
  SltOpts o = {0};
  o.max_report = 30;
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *a = argv[i];
    bool has_arg = i + 1 < argc;
    if (strcmp(a, "--expected-failures") == 0 && has_arg) o.xfail_path = argv[++i];
    else if (strcmp(a, "--write-expected-failures") == 0) o.write_xfail = true;
    else if (strcmp(a, "--verbose") == 0) o.verbose = true;
    else if (strcmp(a, "--stop-on-fail") == 0) o.stop_on_fail = true;
    else if (strcmp(a, "--filter") == 0 && has_arg) o.filter = atoi(argv[++i]);
    else if (strcmp(a, "--max-report") == 0 && has_arg) o.max_report = atoi(argv[++i]);
    else if (strcmp(a, "--record-timeout") == 0 && has_arg) o.timeout = atoi(argv[++i]);
    else usage();
  }
  if (argc - i < 2) usage();
  o.corpus = argv[i++];
  setvbuf(stdout, NULL, _IOLBF, 0);
  install_handlers(o.timeout);

  SltXfailList xl = {0}, out = {0};
  if (o.xfail_path && !o.write_xfail && slt_xfail_load(&xl, o.xfail_path) != 0)
    return 2;
  int failed = 0;
  report = o.write_xfail ? stderr : stdout;
  for (; i < argc; i++) {
    SltCounts c;
    bool go_on = run_file(&o, argv[i], o.xfail_path && !o.write_xfail ? &xl : NULL,
                          o.write_xfail ? &out : NULL, &c);
    fflush(stdout);
    fprintf(report, "%s: %d records, %d passed, %d expected failures, %d failed, "
            "%d skipped [%s]\n", argv[i], c.records, c.passed, c.xfail, c.failed,
            c.skipped, slt_engine_name);
    failed += c.failed;
    if (!go_on) break;
  }
  if (o.write_xfail) slt_xfail_write(&out, stdout);
  slt_xfail_free(&xl);
  slt_xfail_free(&out);
  return failed ? 1 : 0;
}
