/*
** engine/bgquery.c — streaming queries on threads of their own, for the
** interactive shell (eddy_set_background), and the capture of every
** query's progress reports.
**
** A background query's thread owns its EdStreamQuery while it runs; the
** session's thread touches the query only between the thread's commands
** or after joining it.  Two kinds:
**   - memory driven (reads only memory streams): the thread waits for
**     commands — run what an INSERT added, finish, stop — and reports each
**     result; the INSERT posts the command to every query on the stream,
**     lets go of the session lock and waits for them all, so the rows are
**     processed by every query before the next statement, as in a script;
**   - free running (file, directory, socket, rate, ...): the thread runs
**     the trigger loop until the input ends, the query fails, or stop is
**     set (STOP QUERY, the end of the session), which ends it after its
**     running batch.
** A query thread never writes to the terminal: its writer writes into a
** buffer (a FILE made with fopencookie) that is published, a batch at a
** time, to the session's console queue; the session's thread writes the
** queue out between statements and, in the shell, when the wake pipe
** says there is something (shell/repl.c clears the line being typed,
** prints, and redraws it).  Memory-driven queries publish in start order
** after each INSERT, so their output comes out in a fixed order.  Query
** threads block every signal: Ctrl-C reaches the shell's thread.
*/
#include "engine/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct EdQueryThread {
  pthread_t tid;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int cmd;                  /* ED_BG_*: posted, not taken yet */
  bool done;                /* the last command is done */
  bool exited;              /* the thread has left its loop */
  volatile int stop;        /* free running: stop after the running batch */
  int rc;                   /* result of the last command / the run */
  EdError err;
  eddy_session *s;
  EdAttached *a;
};

/* ------------------------------------------------------------ the lock */

void ed_session_lock(eddy_session *s) {
  pthread_mutex_lock(&s->lock);
  s->lock_depth++;
}

void ed_session_unlock(eddy_session *s) {
  s->lock_depth--;
  pthread_mutex_unlock(&s->lock);
}

/* Lets go of the session lock entirely; returns how often it was held. */
static int release_all(eddy_session *s) {
  int depth = s->lock_depth;
  for (int i = 0; i < depth; i++) ed_session_unlock(s);
  return depth;
}

static void retake(eddy_session *s, int depth) {
  for (int i = 0; i < depth; i++) ed_session_lock(s);
}

/* ------------------------------------------------------------ console */

/* Wakes the reader of the wake pipe (never blocks: the pipe is
** non-blocking, and a full pipe already wakes it). */
static void wake(eddy_session *s) {
  if (s->wake[1] < 0) return;
  ssize_t r = write(s->wake[1], "!", 1);
  (void)r;
}

void ed_console_put(eddy_session *s, FILE *to, const char *data, size_t n) {
  if (n == 0) return;
  char *copy = ed_malloc(n);
  memcpy(copy, data, n);
  pthread_mutex_lock(&s->con_mu);
  if (s->nchunks == s->ccap) {
    s->ccap = s->ccap ? s->ccap * 2 : 16;
    s->chunks = ed_realloc(s->chunks, sizeof *s->chunks * (size_t)s->ccap);
  }
  s->chunks[s->nchunks++] = (EdChunk){to, copy, n};
  pthread_mutex_unlock(&s->con_mu);
  wake(s);
}

void ed_console_flush(eddy_session *s) {
  pthread_mutex_lock(&s->con_mu);
  EdChunk *chunks = s->chunks;
  int n = s->nchunks;
  s->chunks = NULL;
  s->nchunks = s->ccap = 0;
  pthread_mutex_unlock(&s->con_mu);
  FILE *last = NULL;
  for (int i = 0; i < n; i++) {
    if (last && last != chunks[i].to) fflush(last);
    fwrite(chunks[i].data, 1, chunks[i].len, chunks[i].to);
    last = chunks[i].to;
    free(chunks[i].data);
  }
  if (last) fflush(last);
  free(chunks);
}

/* Makes the wake pipe (once). */
static void make_wake_pipe(eddy_session *s) {
  if (s->wake[0] >= 0) return;
  if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) s->wake[0] = s->wake[1] = -1;
}

/* --------------------------------------------------------- FILE cookies */

/* Progress: complete lines become the query's last report and go on to
** the session's progress stream. */
static ssize_t prog_write(void *cookie, const char *buf, size_t n) {
  EdAttached *a = cookie;
  eddy_session *s = a->session;
  for (size_t i = 0; i < n; i++) {
    if (buf[i] != '\n') {
      if (a->prog_len + 2 > a->prog_cap) {
        a->prog_cap = a->prog_cap ? a->prog_cap * 2 : 1024;
        a->prog_line = ed_realloc(a->prog_line, a->prog_cap);
      }
      a->prog_line[a->prog_len++] = buf[i];
      continue;
    }
    char *line = ed_malloc(a->prog_len + 2);
    memcpy(line, a->prog_line, a->prog_len);
    line[a->prog_len] = '\n';
    line[a->prog_len + 1] = 0;
    if (s->progress) {
      if (a->th) {
        ed_console_put(s, s->progress, line, a->prog_len + 1);
      } else {
        fwrite(line, 1, a->prog_len + 1, s->progress);
        fflush(s->progress);
      }
    }
    line[a->prog_len] = 0;
    pthread_mutex_lock(&a->mu);
    free(a->last_progress);
    a->last_progress = line;
    pthread_mutex_unlock(&a->mu);
    a->prog_len = 0;
  }
  return (ssize_t)n;
}

/* Output of a background query: collects in its buffer. */
static ssize_t out_write(void *cookie, const char *buf, size_t n) {
  EdAttached *a = cookie;
  if (a->outlen + n > a->outcap) {
    a->outcap = (a->outlen + n) * 2;
    a->outbuf = ed_realloc(a->outbuf, a->outcap);
  }
  memcpy(a->outbuf + a->outlen, buf, n);
  a->outlen += n;
  return (ssize_t)n;
}

FILE *ed_bg_prepare(eddy_session *s, EdAttached *a, FILE *target, bool bg) {
  a->session = s;
  pthread_mutex_init(&a->mu, NULL);
  cookie_io_functions_t pio = {.write = prog_write};
  a->prog_f = fopencookie(a, "w", pio);
  if (a->prog_f) setvbuf(a->prog_f, NULL, _IOFBF, 8192);
  a->target = target;
  if (!bg) return target;
  make_wake_pipe(s);
  cookie_io_functions_t oio = {.write = out_write};
  a->out_f = fopencookie(a, "w", oio);
  if (!a->out_f) return target;
  setvbuf(a->out_f, NULL, _IOFBF, 64 * 1024);
  return a->out_f;
}

void ed_bg_publish(eddy_session *s, EdAttached *a) {
  if (!a->out_f) return;
  fflush(a->out_f);
  if (a->outlen == 0) return;
  ed_console_put(s, a->target, a->outbuf, a->outlen);
  a->outlen = 0;
}

char *ed_query_progress_copy(EdAttached *a) {
  if (!a->session) return NULL;
  pthread_mutex_lock(&a->mu);
  char *p = a->last_progress ? ed_strdup(a->last_progress) : NULL;
  pthread_mutex_unlock(&a->mu);
  return p;
}

void ed_bg_free(EdAttached *a) {
  if (a->th) {
    pthread_mutex_destroy(&a->th->mu);
    pthread_cond_destroy(&a->th->cv);
    free(a->th);
    a->th = NULL;
  }
  if (a->out_f) fclose(a->out_f);
  if (a->prog_f) fclose(a->prog_f);
  a->out_f = a->prog_f = NULL;
  free(a->outbuf);
  free(a->prog_line);
  free(a->last_progress);
  a->outbuf = a->prog_line = a->last_progress = NULL;
  if (a->session) pthread_mutex_destroy(&a->mu);
  a->session = NULL;
}

/* ------------------------------------------------------ publishing sink */

typedef struct PubSink {
  EdSink base;
  EdSink *inner;
  EdAttached *a;
} PubSink;

/* Copies the inner sink's state out and publishes (or flushes) a's
** output; returns rc. */
static int pub_after(PubSink *p, int rc) {
  p->base.rows_written = p->inner->rows_written;
  if (rc) snprintf(p->base.errmsg, sizeof p->base.errmsg, "%s",
                   p->inner->errmsg);
  EdAttached *a = p->a;
  if (a->defer_publish || !a->session) {
    if (a->out_f) fflush(a->out_f);
  } else {
    ed_bg_publish(a->session, a);
  }
  return rc;
}

static int pub_begin(EdSink *s, const EdSchema *schema) {
  PubSink *p = (PubSink *)s;
  p->inner->streaming = s->streaming;
  return pub_after(p, p->inner->begin(p->inner, schema));
}

static int pub_write(EdSink *s, const EdBatch *b) {
  PubSink *p = (PubSink *)s;
  int rc = p->inner->write(p->inner, b);
  s->rows_written = p->inner->rows_written;
  if (rc) snprintf(s->errmsg, sizeof s->errmsg, "%s", p->inner->errmsg);
  return rc;
}

static int pub_end(EdSink *s) {
  PubSink *p = (PubSink *)s;
  return pub_after(p, p->inner->end(p->inner));
}

static int pub_begin_batch(EdSink *s, int64_t id) {
  PubSink *p = (PubSink *)s;
  if (!p->inner->begin_batch) return 0;
  int rc = p->inner->begin_batch(p->inner, id);
  if (rc) snprintf(s->errmsg, sizeof s->errmsg, "%s", p->inner->errmsg);
  return rc;
}

static int pub_end_batch(EdSink *s, int64_t id) {
  PubSink *p = (PubSink *)s;
  int rc = p->inner->end_batch ? p->inner->end_batch(p->inner, id) : 0;
  return pub_after(p, rc);
}

static void pub_destroy(EdSink *s) {
  PubSink *p = (PubSink *)s;
  p->inner->destroy(p->inner);
  free(p);
}

EdSink *ed_bg_wrap_sink(EdAttached *a, EdSink *inner) {
  PubSink *p = ed_calloc(1, sizeof *p);
  p->base.begin = pub_begin;
  p->base.write = pub_write;
  p->base.end = pub_end;
  p->base.begin_batch = pub_begin_batch;
  p->base.end_batch = pub_end_batch;
  p->base.destroy = pub_destroy;
  p->base.description = inner->description;
  p->inner = inner;
  p->a = a;
  return &p->base;
}

/* ------------------------------------------------------------- threads */

/* A memory-driven query: runs the commands it is sent until one ends it
** (finish, stop, or a failure). */
static void command_loop(EdQueryThread *th) {
  EdStreamQuery *q = th->a->q;
  pthread_mutex_lock(&th->mu);
  for (;;) {
    while (th->cmd == ED_BG_NONE) pthread_cond_wait(&th->cv, &th->mu);
    int cmd = th->cmd;
    th->cmd = ED_BG_NONE;
    pthread_mutex_unlock(&th->mu);
    EdError e;
    ed_error_clear(&e);
    int rc;
    if (cmd == ED_BG_RUN) {
      rc = ed_stream_query_run_available(q, &e);
    } else if (cmd == ED_BG_FINISH) {
      rc = ed_stream_query_finish(q, &e);
    } else {
      volatile int now = 1;
      rc = ed_stream_query_run(q, &now, &e);
    }
    pthread_mutex_lock(&th->mu);
    th->rc = rc;
    th->err = e;
    th->done = true;
    pthread_cond_broadcast(&th->cv);
    if (cmd != ED_BG_RUN || rc != 0) break;
  }
  th->exited = true;
  pthread_mutex_unlock(&th->mu);
}

static void *thread_main(void *arg) {
  EdQueryThread *th = arg;
  EdAttached *a = th->a;
  if (a->memory_driven) {
    command_loop(th);
    return NULL;
  }
  EdError e;
  ed_error_clear(&e);
  int rc = ed_stream_query_run(a->q, &th->stop, &e);
  pthread_mutex_lock(&th->mu);
  th->rc = rc;
  th->err = e;
  th->done = true;
  th->exited = true;
  pthread_cond_broadcast(&th->cv);
  pthread_mutex_unlock(&th->mu);
  pthread_mutex_lock(&th->s->con_mu);
  th->s->ended++;
  pthread_mutex_unlock(&th->s->con_mu);
  wake(th->s);
  return NULL;
}

int ed_bg_start(eddy_session *s, EdAttached *a, EdError *err) {
  EdQueryThread *th = ed_calloc(1, sizeof *th);
  pthread_mutex_init(&th->mu, NULL);
  pthread_cond_init(&th->cv, NULL);
  th->s = s;
  th->a = a;
  th->done = true;
  a->th = th;
  a->defer_publish = a->memory_driven;
  /* The thread inherits a mask that blocks every signal. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&th->tid, NULL, thread_main, th);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    pthread_mutex_destroy(&th->mu);
    pthread_cond_destroy(&th->cv);
    free(th);
    a->th = NULL;
    return ed_error_set(err, ED_ERR_EXEC, NULL,
                        "cannot start a thread for query %s: %s", a->name,
                        strerror(rc));
  }
  return 0;
}

void ed_bg_post(EdAttached *a, int cmd) {
  EdQueryThread *th = a->th;
  pthread_mutex_lock(&th->mu);
  th->cmd = cmd;
  th->done = false;
  pthread_cond_broadcast(&th->cv);
  pthread_mutex_unlock(&th->mu);
}

int ed_bg_wait(eddy_session *s, EdAttached *a, EdError *err) {
  EdQueryThread *th = a->th;
  int depth = release_all(s);
  pthread_mutex_lock(&th->mu);
  while (!th->done) pthread_cond_wait(&th->cv, &th->mu);
  int rc = th->rc;
  if (rc != 0 && err) *err = th->err;
  pthread_mutex_unlock(&th->mu);
  retake(s, depth);
  return rc;
}

bool ed_bg_exited(EdAttached *a) {
  EdQueryThread *th = a->th;
  if (!th) return false;
  pthread_mutex_lock(&th->mu);
  bool x = th->exited;
  pthread_mutex_unlock(&th->mu);
  return x;
}

int ed_bg_end(eddy_session *s, EdAttached *a, int cmd, EdError *err) {
  EdQueryThread *th = a->th;
  int rc = 0;
  if (a->memory_driven) {
    if (!ed_bg_exited(a)) {
      ed_bg_post(a, cmd);
      rc = ed_bg_wait(s, a, err);
    } else {
      pthread_mutex_lock(&th->mu);
      rc = th->rc;
      if (rc != 0 && err) *err = th->err;
      pthread_mutex_unlock(&th->mu);
    }
  } else {
    th->stop = 1;
  }
  int depth = release_all(s);
  pthread_join(th->tid, NULL);
  retake(s, depth);
  if (!a->memory_driven) {
    rc = th->rc;
    if (rc != 0 && err) *err = th->err;
    if (th->exited) {
      pthread_mutex_lock(&s->con_mu);
      s->ended--;
      pthread_mutex_unlock(&s->con_mu);
    }
  }
  ed_bg_publish(s, a);
  return rc;
}

/* ---------------------------------------------------------- public API */

void eddy_set_background(eddy_session *s, int on) {
  s->background = on != 0;
  if (s->background) make_wake_pipe(s);
}

int eddy_wake_fd(eddy_session *s) { return s->background ? s->wake[0] : -1; }

int eddy_pending(eddy_session *s) {
  if (s->wake[0] >= 0) {
    char buf[256];
    while (read(s->wake[0], buf, sizeof buf) > 0) {
    }
  }
  pthread_mutex_lock(&s->con_mu);
  int n = s->nchunks + s->ended;
  pthread_mutex_unlock(&s->con_mu);
  return n > 0;
}

void eddy_show_pending(eddy_session *s) {
  ed_session_lock(s);
  ed_stream_reap(s);
  ed_console_flush(s);
  ed_session_unlock(s);
}
