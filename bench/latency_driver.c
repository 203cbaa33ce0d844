/*
** bench/latency_driver.c — end-to-end latency of eddy on a socket stream.
**
**   latency_driver --eddy PATH [--rate N] [--seconds S] [--warmup S]
**                  [--trigger T]
**
** Listens on 127.0.0.1 (an ephemeral port), starts eddy with its stdout on
** a pipe, running
**
**   CREATE STREAM s WITH (connector = 'socket', host = '127.0.0.1',
**                         port = <port>);
**   SELECT value FROM s;
**
** and, once eddy has connected, sends RATE lines per second (default
** 100,000) for SECONDS (default 3), each line the CLOCK_MONOTONIC time in
** nanoseconds at which it was written.  A reader thread takes eddy's
** output lines and records now - stamp for every line stamped after the
** warm-up (default 0.5 s).  Then the driver closes the socket (the stream
** ends, eddy finishes and exits) and prints
**
**   sent=N received=N measured=N p50_us=.. p99_us=.. p999_us=.. max_us=..
**
** Everything is bounded in time: connect 10 s, the tail of the output 5 s
** after the last line, eddy's exit 10 s (then SIGTERM, SIGKILL).  Only the
** loopback address is used.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "latency_driver: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* What the reader thread shares with the sender. */
typedef struct Reader {
  int fd;                     /* eddy's stdout */
  int64_t measure_from;       /* stamps before this are warm-up */
  int64_t *lat;               /* latencies (ns) of measured lines */
  size_t cap;
  size_t nlat;
  volatile size_t received;   /* stamped lines seen */
  volatile int done;
} Reader;

/* Reads eddy's output to its end; every line that is a number is a stamp. */
static void *reader_main(void *arg) {
  Reader *r = arg;
  static char buf[1 << 16];
  char line[64];
  size_t ln = 0;
  for (;;) {
    ssize_t n = read(r->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    int64_t t = now_ns();
    for (ssize_t i = 0; i < n; i++) {
      char c = buf[i];
      if (c != '\n') {
        if (ln < sizeof line - 1) line[ln++] = c;
        continue;
      }
      line[ln] = '\0';
      ln = 0;
      char *p = line;
      if (*p == '"') p++;
      if (*p < '0' || *p > '9') continue;       /* header */
      int64_t stamp = strtoll(p, NULL, 10);
      r->received++;
      if (stamp >= r->measure_from && r->nlat < r->cap)
        r->lat[r->nlat++] = t - stamp;
    }
  }
  r->done = 1;
  return NULL;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Writes all of buf, or exits. */
static void write_all(int fd, const char *buf, size_t n) {
  while (n) {
    ssize_t w = write(fd, buf, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write to eddy's socket");
    }
    buf += w;
    n -= (size_t)w;
  }
}

/* Waits for child up to ms; then TERM, then KILL.  Returns its status. */
static int reap(pid_t pid, int ms) {
  int st = 0;
  for (int waited = 0; waited < ms; waited += 10) {
    pid_t w = waitpid(pid, &st, WNOHANG);
    if (w == pid) return st;
    usleep(10000);
  }
  fprintf(stderr, "latency_driver: eddy did not exit; stopping it\n");
  kill(pid, SIGTERM);
  usleep(500000);
  if (waitpid(pid, &st, WNOHANG) == pid) return st;
  kill(pid, SIGKILL);
  waitpid(pid, &st, 0);
  return st;
}

int main(int argc, char **argv) {
  const char *eddy = NULL, *trigger = NULL;
  double rate = 100000, seconds = 3, warmup = 0.5;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) goto usage;
    if (strcmp(a, "--eddy") == 0) eddy = v;
    else if (strcmp(a, "--rate") == 0) rate = atof(v);
    else if (strcmp(a, "--seconds") == 0) seconds = atof(v);
    else if (strcmp(a, "--warmup") == 0) warmup = atof(v);
    else if (strcmp(a, "--trigger") == 0) trigger = v;
    else goto usage;
    i++;
  }
  if (!eddy || rate <= 0 || seconds <= 0 || seconds > 60 || warmup < 0 ||
      warmup >= seconds)
    goto usage;
  signal(SIGPIPE, SIG_IGN);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) die("socket");
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  if (listen(lfd, 1) < 0) die("listen");
  socklen_t alen = sizeof addr;
  if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
    die("getsockname");
  int port = ntohs(addr.sin_port);

  char sql[512];
  snprintf(sql, sizeof sql,
           "CREATE STREAM s WITH (connector = 'socket', host = '127.0.0.1', "
           "port = %d); SELECT value FROM s;",
           port);
  int pfd[2];
  if (pipe(pfd) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    dup2(pfd[1], 1);
    close(pfd[0]);
    close(pfd[1]);
    close(lfd);
    if (trigger)
      execl(eddy, eddy, "--format", "csv", "--trigger", trigger, "-e", sql,
            (char *)NULL);
    else
      execl(eddy, eddy, "--format", "csv", "-e", sql, (char *)NULL);
    fprintf(stderr, "latency_driver: cannot run %s: %s\n", eddy,
            strerror(errno));
    _exit(127);
  }
  close(pfd[1]);

  struct pollfd pl = {lfd, POLLIN, 0};
  if (poll(&pl, 1, 10000) != 1) {
    fprintf(stderr, "latency_driver: eddy did not connect within 10 s\n");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 1;
  }
  int cfd = accept(lfd, NULL, NULL);
  if (cfd < 0) die("accept");
  int one = 1;
  setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  size_t total = (size_t)(rate * seconds);
  Reader rd;
  memset(&rd, 0, sizeof rd);
  rd.fd = pfd[0];
  rd.cap = total;
  rd.lat = malloc(total * sizeof *rd.lat);
  if (!rd.lat) die("malloc");
  int64_t start = now_ns();
  rd.measure_from = start + (int64_t)(warmup * 1e9);
  pthread_t th;
  if (pthread_create(&th, NULL, reader_main, &rd) != 0) die("thread");

  /* Send at the rate: whatever is due, stamped when written. */
  size_t sent = 0;
  char chunk[256 * 24];
  while (sent < total) {
    int64_t t = now_ns();
    size_t due = (size_t)((double)(t - start) * rate / 1e9);
    if (due > total) due = total;
    if (due <= sent) {
      struct timespec ts = {0, 20000};
      nanosleep(&ts, NULL);
      continue;
    }
    size_t k = due - sent, len = 0;
    if (k > 256) k = 256;
    int64_t stamp = now_ns();
    for (size_t i = 0; i < k; i++)
      len += (size_t)snprintf(chunk + len, sizeof chunk - len, "%lld\n",
                              (long long)stamp);
    write_all(cfd, chunk, len);
    sent += k;
  }
  /* Let the tail come out, then end the stream. */
  int64_t tail_end = now_ns() + 5 * (int64_t)1000000000;
  while (rd.received < sent && now_ns() < tail_end && !rd.done)
    usleep(1000);
  close(cfd);
  close(lfd);
  int st = reap(pid, 10000);
  pthread_join(th, NULL);
  close(pfd[0]);

  if (rd.nlat == 0) {
    fprintf(stderr, "latency_driver: no line came back (sent %zu)\n", sent);
    return 1;
  }
  qsort(rd.lat, rd.nlat, sizeof *rd.lat, cmp_i64);
  double p50 = (double)rd.lat[rd.nlat / 2] / 1e3;
  double p99 = (double)rd.lat[(size_t)((double)rd.nlat * 0.99)] / 1e3;
  double p999 = (double)rd.lat[(size_t)((double)rd.nlat * 0.999)] / 1e3;
  double mx = (double)rd.lat[rd.nlat - 1] / 1e3;
  printf("sent=%zu received=%zu measured=%zu p50_us=%.1f p99_us=%.1f "
         "p999_us=%.1f max_us=%.1f eddy_status=%d\n",
         sent, (size_t)rd.received, rd.nlat, p50, p99, p999, mx,
         WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  free(rd.lat);
  return rd.received == sent ? 0 : 1;
usage:
  fprintf(stderr,
          "usage: latency_driver --eddy PATH [--rate N] [--seconds S] "
          "[--warmup S] [--trigger T]\n");
  return 2;
}
