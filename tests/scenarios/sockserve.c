/*
** tests/scenarios/sockserve.c — a tiny TCP server for the socket source's
** scenario tests (tests/scenarios/sources.sh).
**
**   sockserve [-d MS] [-w MS] LINE...
**
** Listens on 127.0.0.1 on a port the system picks, prints the port on
** stdout (one line, flushed) so that the test can hand it to eddy, accepts
** one client, sends each LINE followed by "\n" (waiting MS milliseconds
** before each line with -d, so that the lines arrive in separate pieces),
** waits MS milliseconds with -w, then closes the connection and exits 0.
** It gives up (exit 1) if no client connects within 30 seconds.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Sleeps ms milliseconds. */
static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Writes all n bytes of p to fd; returns 0 or -1. */
static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

/* A listening socket on 127.0.0.1 with a system-chosen port (*port). */
static int listen_any(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

int main(int argc, char **argv) {
  long delay = 0, linger = 0;
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    if (strcmp(argv[i], "-d") == 0) delay = atol(argv[i + 1]);
    else if (strcmp(argv[i], "-w") == 0) linger = atol(argv[i + 1]);
    else break;
  }
  signal(SIGPIPE, SIG_IGN);
  int port = 0;
  int lfd = listen_any(&port);
  if (lfd < 0) {
    perror("sockserve: listen");
    return 1;
  }
  printf("%d\n", port);
  fflush(stdout);
  struct pollfd p = {lfd, POLLIN, 0};
  if (poll(&p, 1, 30000) != 1) {
    fprintf(stderr, "sockserve: no client within 30 seconds\n");
    return 1;
  }
  int cfd = accept(lfd, NULL, NULL);
  if (cfd < 0) {
    perror("sockserve: accept");
    return 1;
  }
  int rc = 0;
  for (; i < argc && rc == 0; i++) {
    if (delay > 0) sleep_ms(delay);
    if (write_all(cfd, argv[i], strlen(argv[i])) != 0 ||
        write_all(cfd, "\n", 1) != 0)
      rc = 1;
  }
  if (linger > 0) sleep_ms(linger);
  close(cfd);
  close(lfd);
  return rc;
}
