/* Unit tests of common/: error formatting and atomic output files. */
#include <stdlib.h>
#include <unistd.h>
#include "atomic_file.h"
#include "error.h"
#include "test_util.h"

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
  rmdir(dir);
  return mnn_test_finish();
}
