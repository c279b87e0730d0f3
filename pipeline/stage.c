/* Incremental stages: timestamp comparison of inputs and outputs, mkdir -p. */
#include "stage.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int mtime_of(const char *path, struct timespec *t) {
  struct stat st;
  if (stat(path, &st) != 0) return -1;
  *t = st.st_mtim;
  return 0;
}

static int older(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

int mnn_stage_up_to_date(const char *const *inputs, int n_inputs, const char *const *outputs, int n_outputs) {
  struct timespec oldest_output = {0, 0};
  int have_output = 0;
  for (int i = 0; i < n_outputs; ++i) {
    if (!outputs[i]) continue;
    struct timespec t;
    if (mtime_of(outputs[i], &t)) return 0;
    if (!have_output || older(t, oldest_output)) oldest_output = t;
    have_output = 1;
  }
  if (!have_output) return 0;
  for (int i = 0; i < n_inputs; ++i) {
    if (!inputs[i]) continue;
    struct timespec t;
    if (mtime_of(inputs[i], &t)) return 0;
    if (older(oldest_output, t)) return 0;
  }
  return 1;
}

int mnn_make_dirs(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, n + 1);
  for (char *p = buf + 1; *p; ++p) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
  return 0;
}
