/* One-line errors: formatting and prefixing of mnn_error messages. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mnn_fail(mnn_error *err, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* keep it one line */
    for (char *p = err->message; *p; ++p)
      if (*p == '\n' || *p == '\r') *p = ' ';
  }
  return -1;
}

void mnn_error_prefix(mnn_error *err, const char *fmt, ...) {
  if (!err) return;
  char prefix[MNN_ERROR_LEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  char joined[2 * MNN_ERROR_LEN + 2];
  snprintf(joined, sizeof joined, "%s: %s", prefix, err->message);
  memcpy(err->message, joined, sizeof err->message - 1);
  err->message[sizeof err->message - 1] = '\0';
}

void mnn_error_clear(mnn_error *err) {
  if (err) err->message[0] = '\0';
}
