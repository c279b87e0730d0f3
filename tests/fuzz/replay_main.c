/* The kept corpus as a test: runs every file of the folders (or files) given
 * through a fuzzing harness's LLVMFuzzerTestOneInput, as libFuzzer would, so an
 * input that once crashed a reader (or printed a multi-line error) stays a test
 * in every build, the ASan/UBSan one included. Fails on an empty corpus. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz_util.h"

/* Runs one file; returns 1 if it was a regular file. */
static int replay(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  FILE *f = fopen(path, "rb");
  uint8_t *data = malloc((size_t)st.st_size + 1);
  size_t n = f && data ? fread(data, 1, (size_t)st.st_size, f) : 0;
  if (f) fclose(f);
  if (!data || n != (size_t)st.st_size) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    exit(1);
  }
  LLVMFuzzerTestOneInput(data, n);
  free(data);
  return 1;
}

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    DIR *d = opendir(argv[i]);
    if (!d) {
      count += replay(argv[i]);
      continue;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
      if (e->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
      count += replay(path);
    }
    closedir(d);
  }
  printf("replay: %d input(s) read without a crash or a multi-line error\n", count);
  return count > 0 ? 0 : 1;
}
