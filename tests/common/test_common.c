/* Unit tests of common/: error formatting; atomic output files (a failed write
 * such as a full disk, /dev/full, is an error and leaves the old file; outputs
 * follow the umask; devices and FIFOs are written through, folders refused;
 * stale temporary files of dead processes are removed, others kept); XML input
 * (entity declarations refused before any expansion, numbers out of range
 * refused); XML output (libxml2 prints nothing of its own: the error is our one
 * line). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "atomic_file.h"
#include "error.h"
#include "log.h"
#include "test_util.h"
#include "xml_input.h"
#include "xml_output.h"

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f) fputs(text, f), fclose(f);
}

static int mode_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

/* Runs fn with stderr going to a file; returns what it printed there (static). */
static const char *stderr_of(void (*fn)(const char *), const char *arg) {
  static char text[4096];
  char path[] = "/tmp/mnn_test_stderr_XXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  fflush(stderr);
  dup2(fd, 2);
  fn(arg);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  lseek(fd, 0, SEEK_SET);
  ssize_t n = read(fd, text, sizeof text - 1);
  text[n > 0 ? n : 0] = '\0';
  close(fd);
  unlink(path);
  return text;
}

static mnn_error g_err;
static int g_rc;
static void open_xml_output(const char *path) {
  mnn_xml_output o;
  g_rc = mnn_xml_output_open(&o, path, &g_err);
  if (g_rc == 0) g_rc = mnn_xml_output_finish(&o, 0, &g_err);
}
static void read_xml(const char *path) {
  xmlDocPtr d = mnn_xml_read(path, NULL, &g_err);
  g_rc = d ? 0 : -1;
  if (d) xmlFreeDoc(d);
}

static void check_outputs(const char *dir) {
  mnn_error err;
  mnn_atomic_file f;
  char path[300], fifo[300];
  snprintf(path, sizeof path, "%s/mode.txt", dir);
  /* the umask decides the mode, for mkstemp's files and libxml2's alike */
  mode_t old = umask(027);
  CHECK(mnn_atomic_open(&f, path, &err) == 0 && fputs("x", f.fp) >= 0 && mnn_atomic_commit(&f, &err) == 0);
  CHECK_MSG(mode_of(path) == 0640, "mode %o", (unsigned)mode_of(path));
  snprintf(path, sizeof path, "%s/mode.xml", dir);
  open_xml_output(path);
  CHECK(g_rc == 0 && mode_of(path) == 0640);
  umask(022);
  CHECK(mnn_atomic_open(&f, path, &err) == 0 && mnn_atomic_commit(&f, &err) == 0 && mode_of(path) == 0644);
  umask(old);

  /* a full disk: every write is checked, the error names the cause */
  CHECK(mnn_atomic_open(&f, "/dev/full", &err) == 0);
  for (int i = 0; i < 1000; ++i) fputs("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", f.fp);
  CHECK(mnn_atomic_commit(&f, &err) != 0);
  CHECK_CONTAINS(err.message, "/dev/full: write failed (No space left on device)");

  /* a device is written through, and stays a device */
  CHECK(mnn_atomic_open(&f, "/dev/null", &err) == 0 && f.temp_path == NULL);
  CHECK(fputs("gone", f.fp) >= 0 && mnn_atomic_commit(&f, &err) == 0);
  struct stat st;
  CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
  /* so is a FIFO (with a reader: this process holds its other end) */
  snprintf(fifo, sizeof fifo, "%s/pipe", dir);
  CHECK(mkfifo(fifo, 0600) == 0);
  int rd = open(fifo, O_RDONLY | O_NONBLOCK);
  CHECK(rd >= 0);
  CHECK(mnn_atomic_open(&f, fifo, &err) == 0 && fputs("through", f.fp) >= 0 && mnn_atomic_commit(&f, &err) == 0);
  char got[32] = "";
  CHECK(read(rd, got, sizeof got - 1) == 7 && !strncmp(got, "through", 7));
  /* and a library's file written by name (the temporary, in TMPDIR, is copied into it) */
  setenv("TMPDIR", dir, 1);
  char *t = mnn_temp_path_for(fifo);
  unsetenv("TMPDIR");
  char expect[300];
  snprintf(expect, sizeof expect, "%s/.pipe.tmp.", dir);
  CHECK_MSG(!strncmp(t, expect, strlen(expect)), "%s", t);
  char *devnull_temp = mnn_temp_path_for("/dev/null");
  CHECK_MSG(strncmp(devnull_temp, "/dev/", 5) != 0, "a temporary file in /dev: %s", devnull_temp);
  free(devnull_temp);
  write_text(t, "copied");
  CHECK(mnn_commit_temp_path(t, fifo, &err) == 0);
  memset(got, 0, sizeof got);
  CHECK(read(rd, got, sizeof got - 1) == 6 && !strncmp(got, "copied", 6));
  CHECK(access(t, F_OK) != 0 && stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
  free(t);
  close(rd);
  unlink(fifo);
  /* a folder is refused, and stays a folder */
  CHECK(mnn_atomic_open(&f, dir, &err) != 0);
  CHECK_CONTAINS(err.message, "is a folder");
  t = mnn_temp_path_for(path);
  write_text(t, "x");
  CHECK(mnn_commit_temp_path(t, dir, &err) != 0 && access(t, F_OK) != 0);
  free(t);

  /* libxml2's own "I/O error" lines are gone: one line in err, nothing printed */
  snprintf(path, sizeof path, "%s/missing/out.xml", dir);
  const char *printed = stderr_of(open_xml_output, path);
  CHECK(g_rc != 0);
  CHECK_CONTAINS(g_err.message, "cannot create output file");
  CHECK_MSG(printed[0] == '\0', "printed: %s", printed);

  /* files that a library wrote must be complete */
  snprintf(path, sizeof path, "%s/tail.msh", dir);
  write_text(path, "$MeshFormat\n...\n$EndElements\n\n");
  CHECK(mnn_file_last_line_starts_with(path, "$EndElements"));
  write_text(path, "solid x\n...\nendsolid  mnn print solid\n");
  CHECK(mnn_file_last_line_starts_with(path, "endsolid"));
  write_text(path, "$MeshFormat\n...\n$Elem");
  CHECK(!mnn_file_last_line_starts_with(path, "$EndElements"));
  write_text(path, "");
  CHECK(!mnn_file_last_line_starts_with(path, ""));
  FILE *bin = fopen(path, "wb"); /* a binary mesh: NUL bytes before the last line */
  CHECK(bin && fwrite("\0\1\0\n\0\0\n$EndElements\n", 1, 20, bin) == 20 && fclose(bin) == 0);
  CHECK(mnn_file_last_line_starts_with(path, "$EndElements"));
  CHECK(!mnn_file_last_line_starts_with("/nonexistent", "x"));
  unlink(path);

  /* stale temporary files: a dead process's go, a live one's and others stay */
  char dead1[300], dead2[300], live[300], other[300];
  snprintf(dead1, sizeof dead1, "%s/.report_training.tmp.999999999.0.svg", dir);
  snprintf(dead2, sizeof dead2, "%s/mnn_plot_999999999_aB3dEf.gp", dir);
  snprintf(live, sizeof live, "%s/.model.tmp.%ld.Xy12Zw", dir, (long)getppid());
  snprintf(other, sizeof other, "%s/.notes.tmp.txt", dir);
  write_text(dead1, ""), write_text(dead2, ""), write_text(live, ""), write_text(other, "");
  CHECK(mnn_temp_remove_stale(dir) == 2);
  CHECK(access(dead1, F_OK) != 0 && access(dead2, F_OK) != 0 && access(live, F_OK) == 0 && access(other, F_OK) == 0);
  unlink(live), unlink(other);
  snprintf(path, sizeof path, "%s/mode.txt", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/mode.xml", dir);
  unlink(path);
}

static void check_xml_input(const char *dir) {
  char path[300];
  snprintf(path, sizeof path, "%s/in.xml", dir);
  /* entities: refused at their declaration, before anything is expanded */
  write_text(path, "<?xml version=\"1.0\"?>\n<!DOCTYPE n [\n<!ENTITY a \"0.002\">\n]>\n<n x=\"&a;\"/>\n");
  const char *printed = stderr_of(read_xml, path);
  CHECK(g_rc != 0 && printed[0] == '\0');
  CHECK_CONTAINS(g_err.message, "in.xml:3: the DOCTYPE declares the entity 'a': entities are not accepted");
  write_text(path, "<?xml version=\"1.0\"?>\n<!DOCTYPE n [<!ENTITY % p \"x\">]>\n<n/>\n");
  read_xml(path);
  CHECK(g_rc != 0);
  CHECK_CONTAINS(g_err.message, "entities are not accepted");
  /* a billion laughs in a few hundred bytes: refused at once */
  FILE *f = fopen(path, "w");
  fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE n [\n<!ENTITY l0 \"ha\">\n", f);
  for (int i = 1; i < 30; ++i) fprintf(f, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;\">\n", i, i - 1, i - 1, i - 1, i - 1);
  fputs("]>\n<n x=\"&l29;\"/>\n", f);
  fclose(f);
  double t0 = mnn_now();
  read_xml(path);
  CHECK(g_rc != 0);
  CHECK_CONTAINS(g_err.message, "entity 'l0'");
  printf("billion laughs refused in %.4f s\n", mnn_now() - t0);
  /* a DOCTYPE without entities is fine */
  write_text(path, "<?xml version=\"1.0\"?>\n<!DOCTYPE n>\n<n x=\"1e30\" y=\"-1.5e31\" z=\"1e400\"/>\n");
  mnn_error err;
  xmlDocPtr doc = mnn_xml_read(path, NULL, &err);
  CHECK_MSG(doc != NULL, "%s", err.message);
  if (doc) {
    /* numbers: finite, at most 1e30 in magnitude */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    double v = 0;
    CHECK(mnn_xml_attr_double(root, "x", path, &v, &err) == 1 && v == 1e30);
    CHECK(mnn_xml_attr_double(root, "y", path, &v, &err) == -1);
    CHECK_CONTAINS(err.message, "out of range");
    CHECK(mnn_xml_attr_double(root, "z", path, &v, &err) == -1);
    CHECK_CONTAINS(err.message, "not a finite number");
    xmlFreeDoc(doc);
  }
  unlink(path);
}

static int file_exists(const char *p) { return access(p, F_OK) == 0; }

int main(void) {
  mnn_error err;
  CHECK(mnn_fail(&err, "bad %d\nthing", 3) == -1);
  CHECK(strcmp(err.message, "bad 3 thing") == 0);
  mnn_error_prefix(&err, "file.xml:%d", 7);
  CHECK(strcmp(err.message, "file.xml:7: bad 3 thing") == 0);

  char dir[] = "/tmp/mnn_test_common_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/out.txt", dir);

  /* abort leaves nothing, not even a temporary */
  mnn_atomic_file f;
  CHECK(mnn_atomic_open(&f, path, &err) == 0);
  fputs("half", f.fp);
  char *tmp = strdup(f.temp_path);
  mnn_atomic_abort(&f);
  CHECK(!file_exists(path));
  CHECK(!file_exists(tmp));
  free(tmp);

  /* commit moves the content into place */
  CHECK(mnn_atomic_open(&f, path, &err) == 0);
  fputs("whole", f.fp);
  CHECK(mnn_atomic_commit(&f, &err) == 0);
  FILE *fp = fopen(path, "r");
  char buf[16] = {0};
  CHECK(fp && fgets(buf, sizeof buf, fp));
  if (fp) fclose(fp);
  CHECK(strcmp(buf, "whole") == 0);

  /* a missing folder is one clear error */
  char bad[300];
  snprintf(bad, sizeof bad, "%s/missing/out.txt", dir);
  CHECK(mnn_atomic_open(&f, bad, &err) != 0);
  CHECK_CONTAINS(err.message, "cannot create output file");

  char *t = mnn_temp_path_for("/a/b/model.stl");
  CHECK_MSG(strncmp(t, "/a/b/.model.tmp.", 16) == 0 && strcmp(t + strlen(t) - 4, ".stl") == 0, "%s", t);
  free(t);
  unlink(path);
  check_outputs(dir);
  check_xml_input(dir);
  CHECK_MSG(rmdir(dir) == 0, "%s left files behind", dir);
  return mnn_test_finish();
}
