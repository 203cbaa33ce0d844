/*
** bench/gen_events.c — writes the events dataset of the benchmarks, the
** same rows as CSV (with a header) and as JSON lines.
**
**   gen_events [-n ROWS] [-s SEED] CSV_PATH JSONL_PATH
**
** Columns: ts (ISO-8601 UTC with microseconds, from 2024-01-01T00:00:00Z,
** each row 0.9 to 1.1 ms after the previous one), user_id (0..99999,
** uniform), page (one of 50 short paths, uniform), latency_ms (log-normal
** around 33 ms, about 8% above 100 ms, three decimals).  ROWS defaults to
** 5,000,000.  The rows are a function of (ROWS, SEED) alone: SplitMix64
** draws, no clock, no locale, so every machine writes the same bytes.
**
** Speed: rows are formatted by hand into 4 MiB buffers (no printf per
** row); the date part of ts is recomputed only when the second changes.
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUF_BYTES (4u << 20)
#define BASE_EPOCH_S INT64_C(1704067200)   /* 2024-01-01T00:00:00Z */

static const char *const pages[50] = {
    "/",            "/home",        "/search",      "/cart",
    "/checkout",    "/login",       "/logout",      "/signup",
    "/account",     "/orders",      "/help",        "/about",
    "/contact",     "/blog",        "/news",        "/pricing",
    "/docs",        "/api",         "/status",      "/careers",
    "/products",    "/product/1",   "/product/2",   "/product/3",
    "/product/4",   "/product/5",   "/product/6",   "/product/7",
    "/product/8",   "/product/9",   "/category/a",  "/category/b",
    "/category/c",  "/category/d",  "/category/e",  "/deals",
    "/gift-cards",  "/wishlist",    "/reviews",     "/compare",
    "/settings",    "/profile",     "/messages",    "/notifications",
    "/support",     "/returns",     "/shipping",    "/terms",
    "/privacy",     "/sitemap"};

/* An output file with a large buffer. */
typedef struct Out {
  FILE *f;
  const char *path;
  char *buf;
  size_t n;
} Out;

static void out_flush(Out *o) {
  if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) {
    fprintf(stderr, "gen_events: %s: %s\n", o->path, strerror(errno));
    exit(1);
  }
  o->n = 0;
}

static inline void out_put(Out *o, const char *s, size_t n) {
  memcpy(o->buf + o->n, s, n);
  o->n += n;
}

static void out_open(Out *o, const char *path) {
  o->path = path;
  o->f = fopen(path, "wb");
  if (!o->f) {
    fprintf(stderr, "gen_events: cannot write %s: %s\n", path,
            strerror(errno));
    exit(1);
  }
  o->buf = malloc(BUF_BYTES);
  if (!o->buf) exit(1);
  o->n = 0;
}

static void out_close(Out *o) {
  out_flush(o);
  if (fclose(o->f) != 0) {
    fprintf(stderr, "gen_events: %s: %s\n", o->path, strerror(errno));
    exit(1);
  }
  free(o->buf);
}

/* SplitMix64. */
static uint64_t rng_state;
static inline uint64_t rng_next(void) {
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}
static inline uint64_t rng_below(uint64_t n) {
  return (uint64_t)(((unsigned __int128)rng_next() * n) >> 64);
}
static inline double rng_unit(void) {       /* (0, 1) */
  return ((double)(rng_next() >> 11) + 0.5) * 0x1.0p-53;
}

/* Writes v in decimal at p; returns the length. */
static inline int put_uint(char *p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < n; i++) p[i] = tmp[n - 1 - i];
  return n;
}

/* Writes "YYYY-MM-DDTHH:MM:SS" for epoch second s (19 bytes). */
static void put_datetime(char *p, int64_t s) {
  time_t t = (time_t)s;
  struct tm tm;
  gmtime_r(&t, &tm);
  char tmp[80];
  snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d",
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec);
  memcpy(p, tmp, 19);
}

static void usage(void) {
  fprintf(stderr, "usage: gen_events [-n ROWS] [-s SEED] CSV_PATH "
                  "JSONL_PATH\n");
  exit(2);
}

int main(int argc, char **argv) {
  long long rows = 5000000, seed = 42;
  const char *paths[2];
  int np = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) rows = atoll(argv[++i]);
    else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
      seed = atoll(argv[++i]);
    else if (argv[i][0] == '-' || np == 2) usage();
    else paths[np++] = argv[i];
  }
  if (np != 2 || rows < 0) usage();
  rng_state = (uint64_t)seed;
  Out csv, js;
  out_open(&csv, paths[0]);
  out_open(&js, paths[1]);
  out_put(&csv, "ts,user_id,page,latency_ms\n", 27);
  size_t page_len[50];
  for (int i = 0; i < 50; i++) page_len[i] = strlen(pages[i]);

  int64_t us = 0;                 /* since the base */
  int64_t cur_sec = -1;
  char ts[32];                    /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" */
  for (long long r = 0; r < rows; r++) {
    us += 900 + (int64_t)rng_below(201);
    int64_t sec = us / 1000000;
    if (sec != cur_sec) {
      put_datetime(ts, BASE_EPOCH_S + sec);
      ts[19] = '.';
      ts[26] = 'Z';
      cur_sec = sec;
    }
    int64_t frac = us % 1000000;
    for (int i = 25; i >= 20; i--, frac /= 10) ts[i] = (char)('0' + frac % 10);
    uint64_t user = rng_below(100000);
    int page = (int)rng_below(50);
    /* log-normal: exp(3.5 + 0.8 z), z standard normal (Box-Muller) */
    double z = sqrt(-2.0 * log(rng_unit())) * cos(2 * M_PI * rng_unit());
    double lat = exp(3.5 + 0.8 * z);
    uint64_t milli = (uint64_t)(lat * 1000.0 + 0.5);   /* 3 decimals */
    char num[48];
    int nn = put_uint(num, milli / 1000);
    num[nn++] = '.';
    num[nn++] = (char)('0' + milli / 100 % 10);
    num[nn++] = (char)('0' + milli / 10 % 10);
    num[nn++] = (char)('0' + milli % 10);
    char uid[24];
    int un = put_uint(uid, user);

    if (csv.n > BUF_BYTES - 256) out_flush(&csv);
    if (js.n > BUF_BYTES - 256) out_flush(&js);
    out_put(&csv, ts, 27);
    out_put(&csv, ",", 1);
    out_put(&csv, uid, (size_t)un);
    out_put(&csv, ",", 1);
    out_put(&csv, pages[page], page_len[page]);
    out_put(&csv, ",", 1);
    out_put(&csv, num, (size_t)nn);
    out_put(&csv, "\n", 1);

    out_put(&js, "{\"ts\":\"", 7);
    out_put(&js, ts, 27);
    out_put(&js, "\",\"user_id\":", 12);
    out_put(&js, uid, (size_t)un);
    out_put(&js, ",\"page\":\"", 9);
    out_put(&js, pages[page], page_len[page]);
    out_put(&js, "\",\"latency_ms\":", 15);
    out_put(&js, num, (size_t)nn);
    out_put(&js, "}\n", 2);
  }
  out_close(&csv);
  out_close(&js);
  return 0;
}
