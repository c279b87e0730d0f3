/* Minimal test harness: CHECK macros that count, and a closing line
 * "N passed, N failed" that CI reads. A test executable exits non-zero on failure. */
#ifndef MNN_TEST_UTIL_H
#define MNN_TEST_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mnn_test_passed = 0, mnn_test_failed = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) ++mnn_test_passed;                                                 \
    else { ++mnn_test_failed; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CHECK_MSG(cond, ...)                                                     \
  do {                                                                           \
    if (cond) ++mnn_test_passed;                                                 \
    else { ++mnn_test_failed; fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
  } while (0)

/* |a - b| <= rtol * max(|a|, |b|) + atol */
#define CHECK_CLOSE(a, b, rtol, atol)                                            \
  do {                                                                           \
    double _a = (a), _b = (b);                                                   \
    double _tol = (rtol) * fmax(fabs(_a), fabs(_b)) + (atol);                    \
    if (fabs(_a - _b) <= _tol && !isnan(_a) && !isnan(_b)) ++mnn_test_passed;    \
    else { ++mnn_test_failed; fprintf(stderr, "%s:%d: CHECK_CLOSE failed: %s = %.12g vs %s = %.12g (tol %.3g)\n", \
                                      __FILE__, __LINE__, #a, _a, #b, _b, _tol); } \
  } while (0)

/* Checks that an error message contains a substring. */
#define CHECK_CONTAINS(haystack, needle)                                         \
  CHECK_MSG(strstr((haystack), (needle)) != NULL, "\"%s\" does not contain \"%s\"", (haystack), (needle))

/* Writes text into the file at path (replacing it), checked. */
static inline void mnn_test_write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK_MSG(f != NULL, "cannot write %s", path);
  if (f) {
    CHECK(fputs(text, f) >= 0);
    CHECK(fclose(f) == 0);
  }
}

/* The whole file at path as a string (malloc'd; free it), or NULL when it cannot
 * be read. */
static inline char *mnn_test_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *text = NULL;
  long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
    if (fread(text, 1, (size_t)n, f) != (size_t)n) {
      free(text);
      text = NULL;
    } else {
      text[n] = '\0';
    }
  }
  fclose(f);
  return text;
}

static inline int mnn_test_finish(void) {
  printf("%d passed, %d failed\n", mnn_test_passed, mnn_test_failed);
  return (mnn_test_failed == 0 && mnn_test_passed > 0) ? 0 : 1;
}

#endif
