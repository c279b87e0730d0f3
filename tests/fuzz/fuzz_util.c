/* Scratch files and the one-line check for the fuzzing harnesses (fuzz_util.h). */
#include "fuzz_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[64];

static void remove_scratch(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", scratch);
}

const char *mnn_fuzz_file(const char *name, const uint8_t *data, size_t size) {
  static char path[256];
  if (!scratch[0]) {
    snprintf(scratch, sizeof scratch, "/tmp/mnn_fuzz_%ld", (long)getpid());
    if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
      perror(scratch);
      abort();
    }
    atexit(remove_scratch);
  }
  snprintf(path, sizeof path, "%s/%s", scratch, name);
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    fprintf(stderr, "fuzz: cannot write %s\n", path);
    abort();
  }
  return path;
}

void mnn_fuzz_check_error(const mnn_error *err) {
  if (!err->message[0] || strchr(err->message, '\n')) {
    fprintf(stderr, "fuzz: the error is not one line: [%s]\n", err->message);
    abort();
  }
}
