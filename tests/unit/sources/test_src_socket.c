/*
** tests/unit/sources/test_src_socket.c — the socket source against a
** listener this test runs on 127.0.0.1 (an ephemeral port) in a thread:
** lines split across writes are delivered once complete, CRLF endings,
** include_timestamp stamps a line with the time its end arrived, a batch
** limit leaves lines for later, the peer closing ends the source (the
** unterminated last line included), and a refused connection is an error
** naming host:port and the reason.
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include "tests/unit/sources/src_helpers.h"

/* A listener that sends its chunks one by one, each when the test asks
** (one byte on the command pipe); a NULL chunk closes the connection. */
typedef struct Server {
  int lfd, port;
  int cmd[2];
  const char *const *chunks;
} Server;

static void *serve(void *arg) {
  Server *sv = arg;
  int c = accept(sv->lfd, NULL, NULL);
  if (c < 0) return NULL;
  for (int i = 0;; i++) {
    char x;
    if (read(sv->cmd[0], &x, 1) != 1) break;
    if (!sv->chunks[i]) break;
    size_t n = strlen(sv->chunks[i]);
    if (write(c, sv->chunks[i], n) != (ssize_t)n) break;
  }
  close(c);
  return NULL;
}

static int listen_any(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) abort();
  if (listen(fd, 4) != 0) abort();
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  *port = ntohs(a.sin_port);
  return fd;
}

static void start_server(Server *sv, pthread_t *th,
                         const char *const *chunks) {
  sv->lfd = listen_any(&sv->port);
  if (pipe(sv->cmd) != 0) abort();
  sv->chunks = chunks;
  pthread_create(th, NULL, serve, sv);
}

static void step(Server *sv) {
  if (write(sv->cmd[1], "n", 1) != 1) abort();
}

static void stop_server(Server *sv, pthread_t th) {
  close(sv->cmd[1]);
  pthread_join(th, NULL);
  close(sv->cmd[0]);
  close(sv->lfd);
}

static EdTable *socket_table(int port, const char *schema, bool ts) {
  char p[16];
  snprintf(p, sizeof p, "%d", port);
  if (ts)
    return mk_stream("lines", "socket", schema, "host", "127.0.0.1", "port",
                     p, "include_timestamp", "true", NULL);
  return mk_stream("lines", "socket", schema, "host", "127.0.0.1", "port", p,
                   NULL);
}

/* Runs batches (waiting in between) until the source ends, rendering the
** rows; gives up after a few seconds. */
static void drain_to_end(EdStreamSource *s, Text *got) {
  for (int i = 0; i < 100 && !s->ended; i++) {
    if (s->vt->wait(s, 100) < 0) break;
    run_batch(s, 0, 0, got);
  }
}

static void test_lines(void) {
  static const char *const chunks[] = {
      "hello wor", "ld\nsecond line\r\nthi", "rd\n", "fourth\nlast", NULL};
  Server sv;
  pthread_t th;
  start_server(&sv, &th, chunks);
  EdTable *t = socket_table(sv.port, "value VARCHAR, _arrival TIMESTAMP",
                            true);
  EdStreamSource *s = open_src(t, "socket: connects");
  if (!s) {
    stop_server(&sv, th);
    return;
  }
  char desc[64];
  snprintf(desc, sizeof desc, "SocketStream[127.0.0.1:%d]", sv.port);
  TAP_EQ_STR(s->description, desc, "socket: description");
  TAP_OK(!s->replayable, "socket: not replayable");

  step(&sv);                               /* "hello wor" */
  TAP_EQ_INT(s->vt->wait(s, 2000), 1, "socket: wait wakes for bytes");
  Text got = {0};
  Run r = run_batch(s, 0, 0, &got);
  TAP_OK(!r.has_data, "socket: a partial line is no data");
  TAP_EQ_INT(s->vt->wait(s, 50), 0,
             "socket: the partial line is no news for wait");

  int64_t t0 = now_us();
  step(&sv);                               /* "ld\nsecond line\r\nthi" */
  TAP_EQ_INT(s->vt->wait(s, 2000), 1, "socket: wait wakes again");
  EdBatch *b = mk_batch_for(&t->schema);
  EdError err;
  s->vt->begin_batch(s, 0, 0, &err);
  int n = s->vt->next(s, b, &err);
  int64_t t1 = now_us();
  text_clear(&got);
  Text vals = {0};
  for (int i = 0; i < b->nrows; i++)
    text_addf(&vals, "%.*s\n", (int)ED_VEC_STR(&b->cols[0])[i].len,
              ED_VEC_STR(&b->cols[0])[i].ptr);
  TAP_EQ_INT(n, 2, "socket: two complete lines");
  TAP_EQ_STR(text_str(&vals), "hello world\nsecond line\n",
             "socket: line split across writes joined, CR dropped");
  bool in_range = n == 2;
  for (int i = 0; i < n; i++) {
    int64_t a = ED_VEC_I64(&b->cols[1])[i];
    in_range &= ed_vec_valid(&b->cols[1], i) && a >= t0 && a <= t1;
  }
  TAP_OK(in_range, "socket: _arrival is when the line's end arrived");
  char st[64], en[64];
  s->vt->offsets(s, st, en, sizeof st);
  TAP_EQ_STR(st, "{\"offset\": 0}", "socket: start offset");
  TAP_EQ_STR(en, "{\"offset\": 25}", "socket: end offset after 2 lines");

  step(&sv);                               /* "rd\n" */
  step(&sv);                               /* "fourth\nlast" */
  step(&sv);                               /* close */
  text_clear(&got);
  drain_to_end(s, &got);
  /* Drop the _arrival column from the rendering. */
  Text lines = {0};
  for (const char *p = text_str(&got); *p;) {
    const char *bar = strchr(p, '|'), *nl = strchr(p, '\n');
    text_addf(&lines, "%.*s\n", (int)(bar - p), p);
    p = nl + 1;
  }
  TAP_EQ_STR(text_str(&lines), "third\nfourth\nlast\n",
             "socket: remaining lines, the unterminated last one at close");
  TAP_OK(s->ended, "socket: the peer closing ends the source");
  TAP_EQ_INT(s->stats.records, 5, "socket: 5 records");
  text_free(&lines);
  text_free(&vals);
  text_free(&got);
  ed_batch_free(b);
  s->vt->destroy(s);
  ed_table_free(t);
  stop_server(&sv, th);
}

static void test_limit_and_default_column(void) {
  static const char *const chunks[] = {"a\nb\nc\nd\ne\n", NULL};
  Server sv;
  pthread_t th;
  start_server(&sv, &th, chunks);
  EdTable *t = socket_table(sv.port, "value VARCHAR", false);
  EdStreamSource *s = open_src(t, "socket limit: connects");
  if (s) {
    step(&sv);
    s->vt->wait(s, 2000);
    sleep_ms(50);
    Text got = {0};
    run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "a\nb\n", "socket limit: first 2 lines");
    TAP_EQ_INT(s->vt->wait(s, 0), 1, "socket limit: the rest is news");
    text_clear(&got);
    run_batch(s, 2, 0, &got);
    TAP_EQ_STR(text_str(&got), "c\nd\n", "socket limit: next 2");
    step(&sv);                             /* close */
    text_clear(&got);
    drain_to_end(s, &got);
    TAP_EQ_STR(text_str(&got), "e\n", "socket limit: last one, then end");
    TAP_OK(s->ended, "socket limit: ended");
    text_free(&got);
    s->vt->destroy(s);
  }
  ed_table_free(t);
  stop_server(&sv, th);
}

static void test_refused(void) {
  int port;
  int fd = listen_any(&port);
  close(fd);                               /* nobody listens there now */
  EdTable *t = socket_table(port, "value VARCHAR", false);
  EdError err;
  ed_error_clear(&err);
  EdStreamSource *s = ed_stream_source_open(t, &err);
  TAP_OK(s == NULL, "socket refused: open fails");
  char want[128];
  snprintf(want, sizeof want,
           "cannot connect to 127.0.0.1:%d: Connection refused", port);
  TAP_EQ_STR(err.msg, want, "socket refused: message names host:port");
  if (s) s->vt->destroy(s);
  ed_table_free(t);
}

int main(void) {
  test_lines();
  test_limit_and_default_column();
  test_refused();
  return tap_done();
}
