/* Atomic output files: temporary file beside the target, then rename(2). */
#include "atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mnn_atomic_open(mnn_atomic_file *f, const char *path, mnn_error *err) {
  memset(f, 0, sizeof *f);
  size_t n = strlen(path);
  f->final_path = strdup(path);
  f->temp_path = malloc(n + 16);
  if (!f->final_path || !f->temp_path) {
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: out of memory", path);
  }
  snprintf(f->temp_path, n + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(f->temp_path);
  if (fd < 0) {
    int e = errno;
    free(f->temp_path);
    f->temp_path = NULL;
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: cannot create output file (%s): check that the folder exists and is writable", path, strerror(e));
  }
  f->fp = fdopen(fd, "wb");
  if (!f->fp) {
    close(fd);
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: cannot open output file", path);
  }
  return 0;
}

int mnn_atomic_commit(mnn_atomic_file *f, mnn_error *err) {
  int bad = ferror(f->fp);
  if (fclose(f->fp) != 0) bad = 1;
  f->fp = NULL;
  if (bad) {
    int r = mnn_fail(err, "%s: write failed (disk full?)", f->final_path);
    mnn_atomic_abort(f);
    return r;
  }
  int r = mnn_commit_temp_path(f->temp_path, f->final_path, err);
  if (r) mnn_atomic_abort(f);
  else {
    free(f->temp_path);
    free(f->final_path);
    f->temp_path = f->final_path = NULL;
  }
  return r;
}

void mnn_atomic_abort(mnn_atomic_file *f) {
  if (f->fp) fclose(f->fp);
  if (f->temp_path) unlink(f->temp_path);
  free(f->temp_path);
  free(f->final_path);
  memset(f, 0, sizeof *f);
}

char *mnn_temp_path_for(const char *path) {
  static unsigned counter = 0;
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
  const char *dot = strrchr(base, '.');
  const char *ext = dot ? dot : "";
  size_t n = strlen(path) + 64;
  char *t = malloc(n);
  if (!t) return NULL;
  snprintf(t, n, "%.*s.%.*s.tmp.%ld.%u%s", (int)dirlen, path, (int)(strlen(base) - strlen(ext)), base,
           (long)getpid(), counter++, ext);
  return t;
}

int mnn_commit_temp_path(const char *temp_path, const char *final_path, mnn_error *err) {
  if (rename(temp_path, final_path) != 0) {
    int e = errno;
    unlink(temp_path);
    return mnn_fail(err, "%s: cannot move output into place (%s)", final_path, strerror(e));
  }
  return 0;
}
