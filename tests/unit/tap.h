/*
** tests/unit/tap.h — a tiny TAP producer for unit tests.
**
** Each check prints "ok N - name" or "not ok N - name" with the location
** and the values compared; tap_done() prints the plan and returns the exit
** status (non-zero if anything failed).  meson runs the executables with
** protocol 'tap'.
*/
#ifndef ED_TAP_H
#define ED_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok_at(int cond, const char *name, const char *file,
                            int line) {
  tap_n++;
  if (cond) {
    printf("ok %d - %s\n", tap_n, name);
  } else {
    tap_failed++;
    printf("not ok %d - %s\n#   at %s:%d\n", tap_n, name, file, line);
  }
  fflush(stdout);
  return cond;
}

#define TAP_OK(cond, name) tap_ok_at(!!(cond), (name), __FILE__, __LINE__)

#define TAP_EQ_INT(got, want, name)                                        \
  do {                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);               \
    if (!tap_ok_at(g_ == w_, (name), __FILE__, __LINE__))                  \
      printf("#   got %lld, want %lld\n", g_, w_);                         \
  } while (0)

#define TAP_EQ_STR(got, want, name)                                        \
  do {                                                                     \
    const char *g_ = (got), *w_ = (want);                                  \
    int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;               \
    if (!tap_ok_at(same_, (name), __FILE__, __LINE__))                     \
      printf("#   got  \"%s\"\n#   want \"%s\"\n", g_ ? g_ : "(null)",      \
             w_ ? w_ : "(null)");                                          \
  } while (0)

static inline int tap_done(void) {
  printf("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
