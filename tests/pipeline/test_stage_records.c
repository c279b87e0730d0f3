/* Typed stage records (stage_record.h field tables, stage_records.h): the mesh and
 * STL stages' statistics, the train summary and the FEM rounds round-trip through
 * the record file bit for bit, the STL record's repaired flag and "none" summary, a
 * missing key or a non-integer count fails naming the key, and the generic put/take
 * handle every kind and arrays. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "stage_records.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_stage_records_XXXXXX";

/* Writes a record file by hand. */
static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    CHECK(fclose(f) == 0);
  }
}

static void check_mesh(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/mesh.record.xml", dir);
  mnn_mesh_stats st = {1234567890123L, 987654321L, 1.0 / 3, 0.7 + 1e-15, 1.5e-6 / 7, 12.345678901234567, 42};
  mnn_error err;
  CHECK_MSG(mnn_mesh_record_write(&st, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  mnn_mesh_stats back;
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) == 0);
  CHECK(back.n_nodes == st.n_nodes && back.n_tetrahedra == st.n_tetrahedra && back.min_quality == st.min_quality &&
        back.mean_quality == st.mean_quality && back.volume == st.volume && back.seconds == st.seconds &&
        back.n_poor == st.n_poor);
  CHECK(rec && !strcmp(mnn_record_stage(rec), "mesh"));
  mnn_record_free(rec);

  /* a key missing, a count that is not an integer */
  write_text(path, "<record stage=\"mesh\"><value name=\"nodes\" value=\"10\"/>"
                   "<value name=\"min-quality\" value=\"0.5\"/></record>");
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) != 0);
  CHECK_CONTAINS(err.message, "tetrahedra missing");
  mnn_record_free(rec);
  write_text(path, "<record stage=\"mesh\"><value name=\"nodes\" value=\"10.5\"/></record>");
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_mesh_record_take(rec, &back, &err) != 0);
  CHECK_CONTAINS(err.message, "nodes not an integer");
  mnn_record_free(rec);
}

/* The train summary inside a record with other keys: bit for bit through the
 * file; without "updates" the reader names it. */
static void check_train_summary(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/train.record.xml", dir);
  mnn_train_summary sum = {"iris", "ce", 1000, 1.0986122886681098, 0.1 / 3, 4.25e-3, 7000000000L, 12345};
  mnn_record *rec = mnn_record_create("train");
  mnn_error err;
  CHECK(rec && mnn_record_set(rec, "phases", 2) == 0);
  CHECK(rec && mnn_train_summary_put(rec, &sum, &err) == 0 && mnn_record_write(rec, path, &err) == 0);
  mnn_record_free(rec);
  rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  mnn_train_summary back;
  CHECK(rec && mnn_train_summary_take(rec, &back, &err) == 0);
  CHECK(!strcmp(back.task, "iris") && !strcmp(back.loss_name, "ce") && back.epochs == 1000 &&
        back.initial_loss == sum.initial_loss && back.final_loss == sum.final_loss && back.seconds == sum.seconds &&
        back.updates == sum.updates && back.solves == sum.solves);
  mnn_record_free(rec);
  write_text(path, "<record stage=\"train\"><value name=\"task\" value=\"iris\"/>"
                   "<value name=\"loss-name\" value=\"ce\"/><value name=\"epochs\" value=\"3\"/>"
                   "<value name=\"initial-loss\" value=\"1\"/><value name=\"final-loss\" value=\"0.5\"/>"
                   "<value name=\"seconds\" value=\"0.1\"/><value name=\"solves\" value=\"4\"/></record>");
  rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  CHECK(rec && mnn_train_summary_take(rec, &back, &err) != 0);
  CHECK_CONTAINS(err.message, "updates missing");
  mnn_record_free(rec);
}

/* The FEM rounds of the train record: per-round values and the correction round-
 * trip through the file; no rounds leaves C alone; rounds without the correction,
 * or a round without its values, fail naming the key. */
static void check_fem_rounds(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/rounds.record.xml", dir);
  const double C[3] = {1.0 / 3, -2e-7, 0};
  mnn_record *rec = mnn_record_create("train");
  mnn_error err;
  CHECK(rec && mnn_fem_round_put(rec, 1, 0.25, 1e-8 / 3, &err) == 0 && mnn_fem_round_put(rec, 2, 0.01, 7.5, &err) == 0);
  CHECK(rec && mnn_fem_correction_put(rec, 2, 3, C, &err) == 0 && mnn_record_write(rec, path, &err) == 0);
  mnn_record_free(rec);
  rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  double d = 0, l = 0, back[3] = {0};
  int rounds = -1;
  CHECK(rec && mnn_fem_round_take(rec, 2, &d, &l, &err) == 0 && d == 0.01 && l == 7.5);
  CHECK(rec && mnn_fem_round_take(rec, 1, &d, &l, &err) == 0 && d == 0.25 && l == 1e-8 / 3);
  CHECK(rec && mnn_fem_round_take(rec, 3, &d, &l, &err) != 0);
  CHECK_CONTAINS(err.message, "fem-round.3.model-difference missing");
  CHECK(rec && mnn_fem_correction_take(rec, 3, &rounds, back, &err) == 0 && rounds == 2);
  CHECK(back[0] == C[0] && back[1] == C[1] && back[2] == C[2]);
  CHECK(rec && mnn_fem_correction_take(rec, 4, &rounds, back, &err) != 0);
  CHECK_CONTAINS(err.message, "fem-correction.3");
  mnn_record_free(rec);
  rec = mnn_record_create("train");
  back[0] = 42;
  CHECK(rec && mnn_fem_correction_take(rec, 3, &rounds, back, &err) == 0 && rounds == 0 && back[0] == 42);
  mnn_record_free(rec);
}

static void check_stl(void) {
  char path[256];
  snprintf(path, sizeof path, "%s/stl.record.xml", dir);
  mnn_stl_stats st;
  memset(&st, 0, sizeof st);
  st.facets = 19374, st.volume_mm3 = 1529.3123456789, st.parts = 1, st.bad_edges = 0;
  st.reversed_all = 1; /* turned round counts as repaired */
  st.facets_added = 5;  /* not recorded */
  for (int k = 0; k < 3; ++k) st.min_mm[k] = -k - 0.1, st.max_mm[k] = 64 + k / 3.0;
  mnn_error err;
  CHECK_MSG(mnn_stl_record_write(&st, path, &err) == 0, "%s", err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  mnn_stl_stats back;
  CHECK(rec && mnn_stl_record_take(rec, &back, &err) == 0);
  CHECK(back.facets == st.facets && back.volume_mm3 == st.volume_mm3 && back.parts == 1 && back.bad_edges == 0);
  CHECK(back.repaired == 1 && !strcmp(back.repairs, "none") && back.facets_added == 0 && back.reversed_all == 0);
  for (int k = 0; k < 3; ++k) CHECK(back.min_mm[k] == st.min_mm[k] && back.max_mm[k] == st.max_mm[k]);
  mnn_record_free(rec);
  snprintf(st.repairs, sizeof st.repairs, "2 facets removed, normals fixed");
  st.reversed_all = 0;
  CHECK(mnn_stl_record_write(&st, path, &err) == 0);
  rec = mnn_record_read(path, &err);
  CHECK(rec && mnn_stl_record_take(rec, &back, &err) == 0 && !strcmp(back.repairs, st.repairs) && back.repaired == 0);
  mnn_record_free(rec);
}

/* Every kind through the generic table, arrays as key.i, text that does not fit. */
typedef struct {
  double d[2];
  long l;
  int i;
  char text[8];
} sample;

static void check_generic(void) {
  const mnn_record_field f[] = {{"d", MNN_FIELD_DOUBLE, offsetof(sample, d), 2, 0},
                                {"l", MNN_FIELD_LONG, offsetof(sample, l), 1, 0},
                                {"i", MNN_FIELD_INT, offsetof(sample, i), 1, 0},
                                {"text", MNN_FIELD_TEXT, offsetof(sample, text), 1, sizeof(((sample *)0)->text)}};
  sample s = {{NAN, -0.0}, -9007199254740991L, -7, "abc"}, t;
  mnn_error err;
  mnn_record *rec = mnn_record_create("x");
  CHECK(rec && mnn_record_put(rec, &s, f, 4, &err) == 0);
  CHECK(rec && mnn_record_get_text(rec, "d.1") != NULL && mnn_record_get_text(rec, "d") == NULL);
  memset(&t, 1, sizeof t);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) == 0);
  CHECK(isnan(t.d[0]) && t.d[1] == 0 && signbit(t.d[1]) && t.l == s.l && t.i == -7 && !strcmp(t.text, "abc"));
  CHECK(rec && mnn_record_set_text(rec, "text", "12345678") == 0);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) != 0);
  CHECK_CONTAINS(err.message, "text");
  CHECK(rec && mnn_record_set_text(rec, "text", "ok") == 0 && mnn_record_set(rec, "i", 3e9) == 0);
  CHECK(rec && mnn_record_take(rec, &t, f, 4, &err) != 0);
  CHECK_CONTAINS(err.message, "i not an integer");
  mnn_record_free(rec);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  check_mesh();
  check_stl();
  check_train_summary();
  check_fem_rounds();
  check_generic();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
