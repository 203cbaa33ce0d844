/*
** sources/src_socket.c — the socket connector: connects to host:port as a
** TCP client and reads UTF-8 lines as `value VARCHAR` (Spark's socket
** source, for `nc -lk 9999` demos), or records of another format when
** the stream says so.  include_timestamp = true stamps each row with the
** time its line arrived (_arrival).  The stream ends when the peer closes
** the connection.  Not replayable: what was read is gone.
**
** The connection is made when the source opens, without blocking for
** more than CONNECT_TIMEOUT_MS; reading is src_fdstream.c's.
*/
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sources/stream_internal.h"

#define CONNECT_TIMEOUT_MS 10000

/* Connects to one address; returns the socket or -1 with errno set. */
static int connect_one(const struct addrinfo *ai) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
                                     SOCK_NONBLOCK, ai->ai_protocol);
  if (fd < 0) return -1;
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) goto fail;
  struct pollfd p = {fd, POLLOUT, 0};
  int r;
  do r = poll(&p, 1, CONNECT_TIMEOUT_MS);
  while (r < 0 && errno == EINTR);
  if (r == 0) errno = ETIMEDOUT;
  if (r <= 0) goto fail;
  int soerr = 0;
  socklen_t len = sizeof soerr;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) goto fail;
  if (soerr == 0) return fd;
  errno = soerr;
fail:;
  int e = errno;
  close(fd);
  errno = e;
  return -1;
}

/* Connects to host:port, trying each address it resolves to. */
static int connect_to(const char *host, int port, EdError *err) {
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int g = getaddrinfo(host, service, &hints, &res);
  if (g != 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "cannot connect to %s:%d: %s", host, port,
                        g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
  int fd = -1, e = ECONNREFUSED;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = connect_one(ai);
    if (fd < 0) e = errno;
  }
  freeaddrinfo(res);
  if (fd < 0)
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "cannot connect to %s:%d: %s", host, port,
                        strerror(e));
  return fd;
}

/* Connects, then reads the connection as an fd stream. */
EdStreamSource *ed_src_socket_open(const EdTable *t, const EdSrcConf *c,
                                   EdError *err) {
  int fd = connect_to(c->host, c->port, err);
  if (fd < 0) return NULL;
  char name[300], desc[320];
  snprintf(name, sizeof name, "%s:%d", c->host, c->port);
  snprintf(desc, sizeof desc, "SocketStream[%s]", name);
  EdStreamSource *s = ed_src_fdstream_new(t, c, &c->dec, fd, true, NULL, 0,
                                          0, false, name, desc, err);
  if (!s) close(fd);
  return s;
}
