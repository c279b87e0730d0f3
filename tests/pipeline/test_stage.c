/* Incremental stages: outputs newer than inputs skip; a touched input, a missing
 * output or a missing input reruns. */
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>
#include "stage.h"
#include "stage_record.h"
#include "test_util.h"

static void touch_at(const char *path, time_t t) {
  FILE *f = fopen(path, "a");
  if (f) fclose(f);
  struct utimbuf u = {t, t};
  utime(path, &u);
}

int main(void) {
  char dir[] = "/tmp/mnn_test_stage_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char in[256], out1[256], out2[256], deep[256];
  snprintf(in, sizeof in, "%s/case.xml", dir);
  snprintf(out1, sizeof out1, "%s/a.msh", dir);
  snprintf(out2, sizeof out2, "%s/b.stl", dir);
  snprintf(deep, sizeof deep, "%s/x/y/z", dir);
  const char *ins[] = {in, NULL};
  const char *outs[] = {out1, out2};

  touch_at(in, 1000);
  CHECK(!mnn_stage_up_to_date(ins, 2, outs, 2)); /* no outputs yet */
  touch_at(out1, 2000);
  CHECK(!mnn_stage_up_to_date(ins, 2, outs, 2)); /* one output missing */
  touch_at(out2, 2000);
  CHECK(mnn_stage_up_to_date(ins, 2, outs, 2));
  touch_at(in, 3000);                              /* touched input */
  CHECK(!mnn_stage_up_to_date(ins, 2, outs, 2));
  touch_at(out1, 4000);
  touch_at(out2, 2500);                            /* one output older than the input */
  CHECK(!mnn_stage_up_to_date(ins, 2, outs, 2));
  touch_at(out2, 3000);                            /* equal times count as up to date */
  CHECK(mnn_stage_up_to_date(ins, 2, outs, 2));
  const char *missing_in[] = {"/nonexistent/in.xml"};
  CHECK(!mnn_stage_up_to_date(missing_in, 1, outs, 2));

  CHECK(mnn_make_dirs(deep) == 0);
  struct stat st;
  CHECK(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
  CHECK(mnn_make_dirs(deep) == 0); /* exists already: fine */

  /* stage records round-trip bit for bit; absent and non-numeric keys say so */
  char rec_path[300];
  snprintf(rec_path, sizeof rec_path, "%s/fem.rec.xml", dir);
  mnn_error err;
  mnn_record *rec = mnn_record_create("fem");
  CHECK(mnn_record_set(rec, "dofs", 12345) == 0);
  CHECK(mnn_record_set_indexed(rec, "g.bond", 7, -1.0 / 3.0) == 0);
  CHECK(mnn_record_set_text(rec, "solver", "cg+gamg <&\"> ok") == 0);
  CHECK(mnn_record_set(rec, "dofs", 54321) == 0); /* replaces */
  CHECK(mnn_record_write(rec, rec_path, &err) == 0);
  mnn_record_free(rec);
  rec = mnn_record_read(rec_path, &err);
  CHECK(rec != NULL);
  double v = 0;
  CHECK(mnn_record_get(rec, "dofs", &v) == 1 && v == 54321);
  CHECK(mnn_record_get_indexed(rec, "g.bond", 7, &v) == 1 && v == -1.0 / 3.0);
  CHECK(mnn_record_get(rec, "missing", &v) == 0);
  CHECK(mnn_record_get(rec, "solver", &v) == -1);
  CHECK(strcmp(mnn_record_get_text(rec, "solver"), "cg+gamg <&\"> ok") == 0);
  CHECK(strcmp(mnn_record_stage(rec), "fem") == 0);
  mnn_record_free(rec);
  snprintf(rec_path, sizeof rec_path, "%s/missing/x.xml", dir);
  rec = mnn_record_create("x");
  CHECK(mnn_record_write(rec, rec_path, &err) != 0);
  mnn_record_free(rec);

  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
