/*
** tests/unit/file_helpers.h — small file utilities shared by the unit
** tests that read and write real files (io, sources).
*/
#ifndef ED_TEST_FILE_HELPERS_H
#define ED_TEST_FILE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Writes text to path with fopen mode ("w" to replace, "a" to append). */
static inline void put_file(const char *path, const char *mode,
                            const char *text) {
  FILE *f = fopen(path, mode);
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

/* Whole content of a file, malloc'ed ("" when missing). */
static inline char *read_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return strdup("");
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n = getdelim(&buf, &cap, '\0', f);
  fclose(f);
  if (n < 0) {
    free(buf);
    return strdup("");
  }
  return buf;
}

static inline void rm_rf(const char *path) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) fprintf(stderr, "# cannot remove %s\n", path);
}

#endif
