/* Atomic output files: temporary file beside the target, checked writes, then
 * rename(2); write-through for devices and FIFOs; removal of stale temporaries. */
#include "atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned mnn_file_mode(void) {
  mode_t mask = umask(0); /* the only way to read it; set back at once */
  umask(mask);
  return 0666u & ~(unsigned)mask;
}

/* What is at path: 0 nothing (or a regular file), 1 a device, FIFO or socket
 * (write through), -1 a folder (refuse). */
static int target_kind(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || S_ISREG(st.st_mode)) return 0;
  return S_ISDIR(st.st_mode) ? -1 : 1;
}

/* The one line for an output path that names a folder. */
static int refuse_folder(const char *path, mnn_error *err) {
  return mnn_fail(err, "%s: is a folder: give a file name for the output", path);
}

int mnn_atomic_open(mnn_atomic_file *f, const char *path, mnn_error *err) {
  memset(f, 0, sizeof *f);
  int kind = target_kind(path);
  if (kind < 0) return refuse_folder(path, err);
  f->final_path = strdup(path);
  if (!f->final_path) return mnn_fail(err, "%s: out of memory", path);
  if (kind > 0) {
    f->fp = fopen(path, "wb");
    if (!f->fp) {
      int e = errno;
      mnn_atomic_abort(f);
      return mnn_fail(err, "%s: cannot open for writing (%s): check the path", path, strerror(e));
    }
    return 0;
  }
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  int dirlen = slash ? (int)(slash - path + 1) : 0;
  size_t n = strlen(path) + 48;
  f->temp_path = malloc(n);
  if (!f->temp_path) {
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: out of memory", path);
  }
  snprintf(f->temp_path, n, "%.*s.%s.tmp.%ld.XXXXXX", dirlen, path, base, (long)getpid());
  int fd = mkstemp(f->temp_path);
  if (fd < 0) {
    int e = errno;
    free(f->temp_path);
    f->temp_path = NULL;
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: cannot create output file (%s): check that the folder exists and is writable", path,
                    strerror(e));
  }
  /* mkstemp makes 0600; outputs follow the umask like every other file */
  if (fchmod(fd, (mode_t)mnn_file_mode()) != 0 || !(f->fp = fdopen(fd, "wb"))) {
    int e = errno;
    close(fd);
    mnn_atomic_abort(f);
    return mnn_fail(err, "%s: cannot open output file (%s)", path, strerror(e));
  }
  return 0;
}

int mnn_atomic_commit(mnn_atomic_file *f, mnn_error *err) {
  int e = 0;
  if (fflush(f->fp) != 0 || ferror(f->fp)) e = errno ? errno : EIO;
  if (fclose(f->fp) != 0 && !e) e = errno ? errno : EIO;
  f->fp = NULL;
  if (e) {
    int r = mnn_fail(err, "%s: write failed (%s): free space or choose another place; the old file is untouched",
                     f->final_path, strerror(e));
    mnn_atomic_abort(f);
    return r;
  }
  int r = f->temp_path ? mnn_commit_temp_path(f->temp_path, f->final_path, err) : 0;
  free(f->temp_path);
  free(f->final_path);
  f->temp_path = f->final_path = NULL;
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
  const char *dot = strrchr(base, '.');
  const char *ext = dot ? dot : "";
  /* beside the target; for a device or FIFO (written through on commit) in the
   * temporary folder instead: never a new file in /dev */
  const char *dir = path;
  size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
  if (target_kind(path) > 0) {
    dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    dirlen = strlen(dir);
  }
  size_t n = strlen(path) + dirlen + 64;
  char *t = malloc(n);
  if (!t) return NULL;
  snprintf(t, n, "%.*s%s.%.*s.tmp.%ld.%u%s", (int)dirlen, dir, dir != path ? "/" : "",
           (int)(strlen(base) - strlen(ext)), base, (long)getpid(), counter++, ext);
  return t;
}

/* Copies the file src into the existing non-regular file dst (a device, FIFO). */
static int copy_into(const char *src, const char *dst, mnn_error *err) {
  FILE *in = fopen(src, "rb");
  FILE *out = in ? fopen(dst, "wb") : NULL;
  int e = in && out ? 0 : errno;
  char buf[65536];
  size_t n;
  while (!e && (n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, out) != n) e = errno ? errno : EIO;
  if (!e && in && ferror(in)) e = EIO;
  if (out && fclose(out) != 0 && !e) e = errno ? errno : EIO;
  if (in) fclose(in);
  if (e) return mnn_fail(err, "%s: write failed (%s): check the target", dst, strerror(e));
  return 0;
}

int mnn_commit_temp_path(const char *temp_path, const char *final_path, mnn_error *err) {
  int kind = target_kind(final_path), rc = 0;
  if (kind < 0) rc = refuse_folder(final_path, err);
  else if (kind > 0) rc = copy_into(temp_path, final_path, err);
  else if (rename(temp_path, final_path) != 0) {
    int e = errno;
    rc = mnn_fail(err, "%s: cannot move output into place (%s)", final_path, strerror(e));
  } else
    return 0;
  unlink(temp_path);
  return rc;
}

int mnn_file_last_line_starts_with(const char *path, const char *prefix) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return 0;
  char tail[256];
  size_t n = 0;
  if (fseek(fp, 0, SEEK_END) == 0) {
    long size = ftell(fp);
    long from = size > (long)sizeof tail - 1 ? size - (long)sizeof tail + 1 : 0;
    if (size >= 0 && fseek(fp, from, SEEK_SET) == 0) n = fread(tail, 1, sizeof tail - 1, fp);
  }
  fclose(fp);
  while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' || tail[n - 1] == ' ' || tail[n - 1] == '\t')) --n;
  if (n == 0) return 0;
  size_t start = n; /* the last line; bytes before it may be binary (a binary .msh) */
  while (start > 0 && tail[start - 1] != '\n') --start;
  while (start < n && (tail[start] == ' ' || tail[start] == '\t')) ++start;
  size_t len = strlen(prefix);
  return n - start >= len && memcmp(tail + start, prefix, len) == 0;
}

/* The process id in a temporary name of ours, or 0 when the name is not one. */
static long temp_owner_pid(const char *name) {
  const char *p = NULL;
  char stop = 0;
  if (!strncmp(name, "mnn_plot_", 9)) p = name + 9, stop = '_';
  else if (name[0] == '.' && (p = strstr(name, ".tmp."))) p += 5, stop = '.';
  if (!p || *p < '1' || *p > '9') return 0;
  char *end = NULL;
  long pid = strtol(p, &end, 10);
  return end && *end == stop && pid > 0 ? pid : 0;
}

int mnn_temp_remove_stale(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  int removed = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    long pid = temp_owner_pid(e->d_name);
    if (pid <= 0 || pid == (long)getpid()) continue;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid())
      continue;
    if (unlinkat(dirfd(d), e->d_name, 0) == 0) ++removed;
  }
  closedir(d);
  return removed;
}
