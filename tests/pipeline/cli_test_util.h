/* Helpers for the tests that run the mnn program (MNN_EXE, set by ctest): run a
 * command line and keep what it printed, and check that it printed one line. */
#ifndef MNN_CLI_TEST_UTIL_H
#define MNN_CLI_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char output[65536];

/* Runs `mnn ARGS` with stderr joined to stdout; output holds what it printed.
 * Returns the exit status (-1 if it did not exit). */
static inline int run_mnn(const char *args) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "\"%s\" %s 2>&1", getenv("MNN_EXE"), args);
  FILE *p = popen(cmd, "r");
  size_t n = p ? fread(output, 1, sizeof output - 1, p) : 0;
  output[n] = '\0';
  int status = p ? pclose(p) : -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Did the last command print exactly one line? */
static inline int one_line(void) { return strchr(output, '\n') == strrchr(output, '\n'); }

#endif
