/* One-line errors for the user: what went wrong, where, and what to do.
 * Every fallible function in mnn takes an mnn_error* and returns 0 on success,
 * non-zero on failure after filling the message. The message never ends in '\n'. */
#ifndef MNN_ERROR_H
#define MNN_ERROR_H

#include <stddef.h>

#define MNN_ERROR_LEN 1024

typedef struct mnn_error {
  char message[MNN_ERROR_LEN];
} mnn_error;

/* Fills err (if not NULL) with a printf-style message; returns -1 so that callers
 * can write `return mnn_fail(err, ...);`. */
int mnn_fail(mnn_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes an existing message with "context: " (e.g. a file name). */
void mnn_error_prefix(mnn_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void mnn_error_clear(mnn_error *err);

#endif
