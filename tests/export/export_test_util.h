/* Helpers shared by the export tests: files that exist or were left behind,
 * whole files read into memory, commands run with their output captured. */
#ifndef MNN_EXPORT_TEST_UTIL_H
#define MNN_EXPORT_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline int file_exists(const char *p) { return access(p, F_OK) == 0; }

static inline long file_size(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Entries of dir whose name contains ".tmp." (temporaries of atomic writes). */
static inline int temp_files_in(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strstr(e->d_name, ".tmp.")) ++n;
  closedir(d);
  return n;
}

/* The first MiB of a file as a string (malloc'd), or NULL. */
static inline char *slurp(const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp) return NULL;
  char *buf = calloc(1 << 20, 1);
  size_t n = buf ? fread(buf, 1, (1 << 20) - 1, fp) : 0;
  if (buf) buf[n] = 0;
  fclose(fp);
  return buf;
}

/* Runs a shell command; returns its output (malloc'd) and its exit status. */
static inline char *run_command(const char *cmd, int *status) {
  FILE *p = popen(cmd, "r");
  if (!p) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *out = calloc(cap, 1);
  while (out && (got = fread(out + n, 1, cap - 1 - n, p)) > 0) n += got;
  int st = pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

#endif
