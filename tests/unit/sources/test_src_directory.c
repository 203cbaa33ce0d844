/*
** tests/unit/sources/test_src_directory.c — the directory source: the
** files already there in name order, then files renamed in during the
** run (between batches, and while the source waits), each read once;
** names starting with '.' or '_' and subdirectories ignored;
** max_files_per_trigger; max_rows_per_trigger cutting inside a file;
** new_files_only; the format of each file by its extension; offsets.
*/
#include <pthread.h>
#include <stdio.h>

#include "tests/unit/sources/src_helpers.h"

/* Writes a file under a hidden name, then renames it into place, as
** producers are expected to. */
static void move_in(const char *dir, const char *name, const char *text) {
  char *tmp = path_in(dir, ".incoming.tmp");
  char *dst = path_in(dir, name);
  put_file(tmp, "w", text);
  if (rename(tmp, dst) != 0) abort();
  free(tmp);
  free(dst);
}

static char *files_json(const char *dir, int done, const char *const *names,
                        int n) {
  Text t = {0};
  text_addf(&t, "{\"files_read\": %d, \"files\": [", done);
  for (int i = 0; i < n; i++)
    text_addf(&t, "%s\"%s/%s\"", i ? ", " : "", dir, names[i]);
  text_addf(&t, "]}");
  return t.buf;
}

typedef struct Later {
  const char *dir;
  int delay_ms;
} Later;

static void *rename_later(void *arg) {
  Later *l = arg;
  sleep_ms(l->delay_ms);
  move_in(l->dir, "d.csv", "k,v\n40,forty\n");
  return NULL;
}

static void test_basic(void) {
  char *dir = tmp_dir("dir");
  move_in(dir, "b.csv", "k,v\n20,twenty\n21,twenty-one\n");
  move_in(dir, "a.csv", "k,v\n10,ten\n");
  char *hidden = path_in(dir, ".hidden.csv"), *under = path_in(dir, "_tmp.csv"),
       *sub = path_in(dir, "sub");
  put_file(hidden, "w", "k,v\n99,hidden\n");
  put_file(under, "w", "k,v\n98,underscore\n");
  mkdir(sub, 0777);
  char *subf = path_in(sub, "c.csv");
  put_file(subf, "w", "k,v\n97,nested\n");

  EdTable *t = mk_stream("d", "directory", "k BIGINT, v VARCHAR", "path",
                         dir, NULL);
  EdStreamSource *s = open_src(t, "directory: opens");
  if (!s) return;
  TAP_OK(s->replayable, "directory: replayable");
  Text got = {0};
  Run r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "10|ten\n20|twenty\n21|twenty-one\n",
             "directory: existing files by name, ignored names skipped");
  TAP_EQ_STR(r.start, "{\"files_read\": 0}", "directory: start offset");
  const char *ab[] = {"a.csv", "b.csv"};
  char *want = files_json(dir, 2, ab, 2);
  TAP_EQ_STR(r.end, want, "directory: end offset lists the files");
  free(want);

  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_OK(!r.has_data, "directory: no new file, no data");
  TAP_EQ_INT(s->vt->wait(s, 50), 0, "directory: wait times out");

  move_in(dir, "c.csv", "k,v\n30,thirty\n");
  /* Appending to a file already read does not read it again. */
  char *a = path_in(dir, "a.csv");
  put_file(a, "a", "11,eleven\n");
  TAP_EQ_INT(s->vt->wait(s, 1000), 1, "directory: wait sees the new file");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "30|thirty\n",
             "directory: the renamed-in file, once");
  TAP_EQ_STR(r.start, "{\"files_read\": 2}", "directory: start after 2");

  /* A file moved in while the source waits. */
  Later l = {dir, 150};
  pthread_t th;
  pthread_create(&th, NULL, rename_later, &l);
  int64_t w0 = now_us();
  int w = s->vt->wait(s, 5000);
  int64_t waited = now_us() - w0;
  pthread_join(th, NULL);
  TAP_EQ_INT(w, 1, "directory: wait wakes for a file moved in meanwhile");
  TAP_OK(waited < 2000000, "directory: ... well before the timeout");
  text_clear(&got);
  r = run_batch(s, 0, 0, &got);
  TAP_EQ_STR(text_str(&got), "40|forty\n", "directory: that file");
  TAP_OK(!r.ended, "directory: never ends");
  TAP_EQ_INT(s->stats.records, 5, "directory: records counted");

  text_free(&got);
  s->vt->destroy(s);
  ed_table_free(t);
  free(a);
  free(hidden);
  free(under);
  free(subf);
  free(sub);
  rm_rf(dir);
  free(dir);
}

static void test_max_files(void) {
  char *dir = tmp_dir("dirmax");
  const char *names[] = {"f1.csv", "f2.csv", "f3.csv", "f4.csv", "f5.csv"};
  for (int i = 0; i < 5; i++) {
    char text[64];
    snprintf(text, sizeof text, "k,v\n%d,n%d\n", i + 1, i + 1);
    move_in(dir, names[i], text);
  }
  EdTable *t = mk_stream("d", "file", "k BIGINT, v VARCHAR", "path", dir,
                         "max_files_per_trigger", "2", NULL);
  EdStreamSource *s = open_src(t, "max_files: a file connector on a dir");
  if (s) {
    TAP_EQ_INT(s->max_files_per_trigger, 2, "max_files: option read");
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "1|n1\n2|n2\n", "max_files: batch 1");
    char *want = files_json(dir, 2, names, 2);
    TAP_EQ_STR(r.end, want, "max_files: batch 1 offsets");
    free(want);
    TAP_EQ_INT(s->vt->wait(s, 0), 1, "max_files: wait sees queued files");
    text_clear(&got);
    run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "3|n3\n4|n4\n", "max_files: batch 2");
    text_clear(&got);
    r = run_batch(s, 0, 1, &got);
    TAP_EQ_STR(text_str(&got), "5|n5\n", "max_files: batch 3");
    want = files_json(dir, 5, names + 4, 1);
    TAP_EQ_STR(r.end, want, "max_files: batch 3 offsets");
    free(want);
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  rm_rf(dir);
  free(dir);
}

static void test_max_rows(void) {
  char *dir = tmp_dir("dirrows");
  move_in(dir, "x.csv", "k\n1\n2\n3\n");
  move_in(dir, "y.csv", "k\n4\n5\n6\n");
  EdTable *t = mk_stream("d", "directory", "k BIGINT", "path", dir, NULL);
  EdStreamSource *s = open_src(t, "dir max_rows: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "1\n2\n", "dir max_rows: batch 1");
    char want[512];
    snprintf(want, sizeof want,
             "{\"files_read\": 0, \"files\": [\"%s/x.csv\"], \"path\": "
             "\"%s/x.csv\", \"offset\": 6}",
             dir, dir);
    TAP_EQ_STR(r.end, want, "dir max_rows: cut inside x.csv");
    text_clear(&got);
    r = run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "3\n4\n", "dir max_rows: batch 2 spans files");
    snprintf(want, sizeof want,
             "{\"files_read\": 0, \"path\": \"%s/x.csv\", \"offset\": 6}",
             dir);
    TAP_EQ_STR(r.start, want, "dir max_rows: batch 2 starts inside x.csv");
    text_clear(&got);
    run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "5\n6\n", "dir max_rows: batch 3");
    text_clear(&got);
    r = run_batch(s, 2, 0, &got);
    TAP_OK(!r.has_data, "dir max_rows: then nothing");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  rm_rf(dir);
  free(dir);
}

static void test_new_files_only_and_formats(void) {
  char *dir = tmp_dir("dirnew");
  move_in(dir, "old.csv", "k,v\n1,old\n");
  EdTable *t = mk_stream("d", "directory", "k BIGINT, v VARCHAR", "path",
                         dir, "new_files_only", "true", NULL);
  EdStreamSource *s = open_src(t, "new_files_only: opens");
  if (s) {
    Text got = {0};
    Run r = run_batch(s, 0, 0, &got);
    TAP_OK(!r.has_data, "new_files_only: the file present is skipped");
    move_in(dir, "new.jsonl", "{\"k\": 2, \"v\": \"json\"}\n");
    move_in(dir, "new2.csv", "k,v\n3,csv\n");
    text_clear(&got);
    r = run_batch(s, 0, 0, &got);
    TAP_EQ_STR(text_str(&got), "2|json\n3|csv\n",
               "new_files_only: new files, each in its format");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  rm_rf(dir);
  free(dir);
}

int main(void) {
  test_basic();
  test_max_files();
  test_max_rows();
  test_new_files_only_and_formats();
  return tap_done();
}
