/* Incremental stages keyed on content: a stage is up to date only when its record
 * holds the key of its inputs' contents and its outputs hash as it left them;
 * times play no part; an output folder's lock excludes a second run. Stage
 * records round-trip. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "stage.h"
#include "stage_record.h"
#include "test_util.h"

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f) fputs(text, f), fclose(f);
}

static void set_time(const char *path, time_t t) {
  struct utimbuf u = {t, t};
  utime(path, &u);
}

int main(void) {
  char dir[] = "/tmp/mnn_test_stage_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char in[256], in2[256], out1[256], out2[256], srec[256], deep[256];
  snprintf(in, sizeof in, "%s/case.xml", dir);
  snprintf(in2, sizeof in2, "%s/other.xml", dir);
  snprintf(out1, sizeof out1, "%s/a.msh", dir);
  snprintf(out2, sizeof out2, "%s/b.stl", dir);
  snprintf(srec, sizeof srec, "%s/s.record.xml", dir);
  snprintf(deep, sizeof deep, "%s/x/y/z", dir);
  const char *ins[] = {in, NULL};
  const char *outs[] = {out1, out2};
  mnn_error err;
  char key[MNN_STAGE_KEY_LEN], key2[MNN_STAGE_KEY_LEN];

  /* keys: content decides, not names or times; labels and absent files count */
  write_file(in, "<case a='1'/>");
  write_file(in2, "<case a='1'/>");
  mnn_stage_key("mesh", ins, 2, key);
  CHECK(strlen(key) == 32);
  const char *ins2[] = {in2};
  mnn_stage_key("mesh", ins2, 1, key2);
  CHECK(strcmp(key, key2) == 0); /* same content under another name */
  set_time(in2, 1000);
  mnn_stage_key("mesh", ins2, 1, key2);
  CHECK(strcmp(key, key2) == 0); /* and another time */
  mnn_stage_key("fem", ins2, 1, key2);
  CHECK(strcmp(key, key2) != 0);
  write_file(in2, "<case a='2'/>");
  mnn_stage_key("mesh", ins2, 1, key2);
  CHECK(strcmp(key, key2) != 0); /* one byte */
  const char *missing_in[] = {"/nonexistent/in.xml"};
  mnn_stage_key("mesh", missing_in, 1, key2);
  CHECK(strcmp(key, key2) != 0);
  const char *empty_in[] = {in2};
  write_file(in2, "");
  char key3[MNN_STAGE_KEY_LEN];
  mnn_stage_key("mesh", empty_in, 1, key3);
  CHECK(strcmp(key3, key2) != 0); /* an empty file is not an absent one */

  /* up to date only after a seal, with the same input key and unchanged outputs */
  mnn_stage_key("mesh", ins, 2, key);
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* nothing yet */
  write_file(out1, "mesh");
  write_file(out2, "stl");
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* outputs but no record: e.g. killed before it */
  CHECK(mnn_stage_seal("mesh", key, outs, 2, srec, &err) == 0);
  CHECK(mnn_stage_up_to_date(key, outs, 2, srec));
  set_time(in, 5000), set_time(out1, 10); /* times do not matter */
  CHECK(mnn_stage_up_to_date(key, outs, 2, srec));
  CHECK(!mnn_stage_up_to_date(key2, outs, 2, srec)); /* other inputs */
  write_file(out2, "stl, truncated");
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* damaged output */
  write_file(out2, "stl");
  CHECK(mnn_stage_up_to_date(key, outs, 2, srec));
  unlink(out1);
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* missing output */
  write_file(out1, "mesh");
  /* sealing keeps the stage's own values in its record */
  mnn_record *r = mnn_record_create("mesh");
  CHECK(mnn_record_set(r, "tetrahedra", 42) == 0 && mnn_record_write(r, srec, &err) == 0);
  mnn_record_free(r);
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* a record without keys: the stage was not sealed */
  CHECK(mnn_stage_seal("mesh", key, outs, 2, srec, &err) == 0);
  CHECK(mnn_stage_up_to_date(key, outs, 2, srec));
  r = mnn_record_read(srec, &err);
  double v = 0;
  CHECK(r && mnn_record_get(r, "tetrahedra", &v) == 1 && v == 42);
  mnn_record_free(r);
  write_file(srec, "<record");
  CHECK(!mnn_stage_up_to_date(key, outs, 2, srec)); /* a damaged record */

  /* the folder lock: one holder at a time, released on close */
  int l1 = mnn_stage_lock_folder(dir, &err);
  CHECK(l1 >= 0);
  CHECK(mnn_stage_lock_folder(dir, &err) < 0);
  CHECK_CONTAINS(err.message, "another mnn run is writing into this folder");
  close(l1);
  int l2 = mnn_stage_lock_folder(dir, &err);
  CHECK(l2 >= 0);
  close(l2);
  CHECK(mnn_stage_lock_folder("/nonexistent/folder", &err) < 0);

  CHECK(mnn_make_dirs(deep) == 0);
  struct stat st;
  CHECK(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
  CHECK(mnn_make_dirs(deep) == 0); /* exists already: fine */

  /* stage records round-trip bit for bit; absent and non-numeric keys say so */
  char rec_path[300];
  snprintf(rec_path, sizeof rec_path, "%s/fem.rec.xml", dir);
  mnn_record *rec = mnn_record_create("fem");
  CHECK(mnn_record_set(rec, "dofs", 12345) == 0);
  CHECK(mnn_record_set_indexed(rec, "g.bond", 7, -1.0 / 3.0) == 0);
  CHECK(mnn_record_set_text(rec, "solver", "cg+gamg <&\"> ok") == 0);
  CHECK(mnn_record_set(rec, "dofs", 54321) == 0); /* replaces */
  CHECK(mnn_record_write(rec, rec_path, &err) == 0);
  mnn_record_free(rec);
  rec = mnn_record_read(rec_path, &err);
  CHECK(rec != NULL);
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
