/* Terminal messages and a monotonic clock. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static mnn_verbosity g_verbosity = MNN_NORMAL;

void mnn_set_verbosity(mnn_verbosity v) { g_verbosity = v; }
mnn_verbosity mnn_get_verbosity(void) { return g_verbosity; }

static void vprint(const char *prefix, const char *fmt, va_list ap) {
  fputs(prefix, stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void mnn_info(const char *fmt, ...) {
  if (g_verbosity < MNN_NORMAL) return;
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
}

void mnn_debug(const char *fmt, ...) {
  if (g_verbosity < MNN_VERBOSE) return;
  va_list ap;
  va_start(ap, fmt);
  vprint("  ", fmt, ap);
  va_end(ap);
}

void mnn_warn(const char *fmt, ...) {
  if (g_verbosity < MNN_NORMAL) return; /* -q: nothing but errors */
  va_list ap;
  va_start(ap, fmt);
  vprint("mnn: warning: ", fmt, ap);
  va_end(ap);
}

void mnn_print_error(const char *message) { fprintf(stderr, "mnn: error: %s\n", message); }

double mnn_progress_interval(void) {
  const char *s = getenv("MNN_PROGRESS_EVERY");
  char *end = NULL;
  double v = s && *s ? strtod(s, &end) : 3.0;
  return end && *end == '\0' && v >= 0 ? v : 3.0;
}

double mnn_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
