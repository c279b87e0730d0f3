/* The typed records' schemas: each checked-in schemas/record-<stage>.xsd (and the
 * copy compiled into mnn) equals the one generated from the stage's field table;
 * a record written by each stage's writer and sealed by the stage machinery
 * validates against its schema and against the generic schemas/record.xsd; a
 * misspelt key, a key given twice, a value of no kind the record uses and another
 * stage's record fail; every table keeps the rules the mechanism relies on.
 * `test_record_schemas --write DIR` writes the generated schemas into DIR
 * (regenerate with --write schemas after changing a table). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"
#include "stage_fem_record.h"
#include "stage_measure_record.h"
#include "stage_records.h"
#include "stage_train_record.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_record_schemas_XXXXXX";

static int write_schemas(const char *to) {
  for (int k = 0; k < mnn_n_record_tables; ++k) {
    char path[1024], *x = mnn_record_schema(mnn_record_tables[k]);
    snprintf(path, sizeof path, "%s/record-%s.xsd", to, mnn_record_tables[k]->stage);
    FILE *f = fopen(path, "w");
    int ok = x && f && fputs(x, f) >= 0;
    ok &= f && fclose(f) == 0;
    free(x);
    if (!ok) return fprintf(stderr, "%s: cannot write\n", path), 1;
    printf("wrote %s\n", path);
  }
  return 0;
}

/* (a) the checked-in and compiled-in schemas are the generated ones */
static void check_checked_in(void) {
  const char *src = getenv("MNN_SOURCE_DIR");
  CHECK_MSG(src != NULL, "MNN_SOURCE_DIR is not set (run through ctest)");
  if (!src) return;
  for (int k = 0; k < mnn_n_record_tables; ++k) {
    const mnn_record_table *t = mnn_record_tables[k];
    char path[1024], *x = mnn_record_schema(t);
    snprintf(path, sizeof path, "%s/schemas/record-%s.xsd", src, t->stage);
    char *file = mnn_test_slurp(path);
    CHECK_MSG(x && file && !strcmp(x, file),
              "%s differs from the %s record's table: regenerate with build/tests/pipeline/test_record_schemas "
              "--write schemas",
              path, t->stage);
    CHECK_MSG(x && t->xsd && !strcmp(x, t->xsd), "the %s schema compiled into mnn is not the generated one: rebuild",
              t->stage);
    free(file);
    free(x);
  }
}

/* The rules of a field table (stage_record.h) that the mechanism relies on, for
 * every table and group: at most one %d a key, a group's key ends in '.', a
 * length or id only on an array, a length field that is in the table is an int
 * before the array, a text field has a size, an array in the struct a capacity,
 * one on the heap a length. */
static void check_table(const char *where, const mnn_record_field *fields, int n_fields) {
  for (int k = 0; k < n_fields; ++k) {
    const mnn_record_field *f = &fields[k];
    const char *mark = strstr(f->key, "%d");
    int array = mark != NULL;
    CHECK_MSG(!mark || !strstr(mark + 2, "%d"), "%s: %s has two %%d", where, f->key);
    CHECK_MSG(array || (!f->length && !f->length2 && !f->ids && !f->heap), "%s: %s is a scalar with a length, ids "
              "or heap", where, f->key);
    CHECK_MSG(!f->length2 || f->length, "%s: %s has length2 without length", where, f->key);
    CHECK_MSG(!array || f->heap || f->count > 0, "%s: %s has no capacity", where, f->key);
    CHECK_MSG(!f->heap || f->length, "%s: %s is on the heap without a length", where, f->key);
    CHECK_MSG(f->kind != MNN_FIELD_TEXT || f->size > 0, "%s: %s is text without a size", where, f->key);
    size_t refs[2] = {f->length, f->length2};
    for (int r = 0; r < 2; ++r)
      for (int j = 0; j < n_fields && refs[r]; ++j)
        if (fields[j].offset + 1 == refs[r] && fields[j].kind != MNN_FIELD_GROUP)
          CHECK_MSG(j < k && fields[j].kind == MNN_FIELD_INT, "%s: %s's length %s is not an int before it", where,
                    f->key, fields[j].key);
    if (f->kind == MNN_FIELD_GROUP) {
      CHECK_MSG(f->sub && f->n_sub > 0 && f->size > 0 && f->key[strlen(f->key) - 1] == '.',
                "%s: group %s needs a table, a size and a key ending in '.'", where, f->key);
      if (f->sub) check_table(f->key, f->sub, f->n_sub);
    }
  }
}

static void check_tables(void) {
  for (int k = 0; k < mnn_n_record_tables; ++k)
    check_table(mnn_record_tables[k]->stage, mnn_record_tables[k]->fields, mnn_record_tables[k]->n_fields);
}

/* Reads path as a record of table t (1 when it validates), and as a generic record. */
static int valid(const char *path, const mnn_record_table *t, mnn_error *err) {
  mnn_record *rec = mnn_record_read_typed(path, t, err);
  mnn_record_free(rec);
  return rec != NULL;
}

/* Adds (or sets) key to the record file at path. */
static void set_key(const char *path, const char *key, const char *value) {
  mnn_error err;
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s", err.message);
  CHECK(rec && mnn_record_set_text(rec, key, value) == 0 && mnn_record_write(rec, path, &err) == 0);
  mnn_record_free(rec);
}

/* (b) and (c) for one stage's record written at path by its writer: valid, also
 * sealed and against the generic schema; each bad key, and the record read as
 * other's, fail. */
static void check_record(const char *path, const mnn_record_table *t, const mnn_record_table *other,
                         const char *const *bad_keys, int n_bad) {
  mnn_error err;
  CHECK_MSG(valid(path, t, &err), "%s record: %s", t->stage, err.message);
  const char *outputs[1] = {path};
  CHECK(mnn_stage_seal(t->stage, "0123456789abcdef0123456789abcdef", outputs, 0, path, &err) == 0);
  CHECK_MSG(valid(path, t, &err), "sealed %s record: %s", t->stage, err.message);
  mnn_record *rec = mnn_record_read(path, &err);
  CHECK_MSG(rec != NULL, "%s record against record.xsd: %s", t->stage, err.message);
  mnn_record_free(rec);
  CHECK_MSG(!valid(path, other, &err), "a %s record read as %s", t->stage, other->stage);
  CHECK_CONTAINS(err.message, "stage");
  char saved[300], cmd[700];
  snprintf(saved, sizeof saved, "%s.saved", path);
  snprintf(cmd, sizeof cmd, "cp %s %s", path, saved);
  CHECK(system(cmd) == 0);
  snprintf(cmd, sizeof cmd, "cp %s %s", saved, path);
  for (int k = 0; k < n_bad; ++k) {
    CHECK(system(cmd) == 0);
    set_key(path, bad_keys[k], "1");
    CHECK_MSG(!valid(path, t, &err), "%s record with key %s validates", t->stage, bad_keys[k]);
    CHECK_CONTAINS(err.message, bad_keys[k]);
  }
  CHECK(system(cmd) == 0);
}

static void check_records(void) {
  char path[256];
  mnn_error err;
  /* mesh */
  snprintf(path, sizeof path, "%s/mesh.record.xml", dir);
  mnn_mesh_stats ms = {1234, 5678, 0.25, 0.7, 1.5e-6, 0.5, 3};
  CHECK(mnn_mesh_record_write(&ms, path, &err) == 0);
  const char *mesh_bad[] = {"tetrahedron", "node", "min_quality"};
  check_record(path, &mnn_mesh_record_table, &mnn_stl_record_table, mesh_bad, 3);
  /* a value of no kind the mesh record uses (it has no text), a key twice */
  set_key(path, "nodes", "many");
  CHECK(!valid(path, &mnn_mesh_record_table, &err));
  CHECK_CONTAINS(err.message, "many");
  mnn_test_write_text(path, "<record stage=\"mesh\"><value name=\"nodes\" value=\"1\"/><value name=\"nodes\" value=\"2\"/></record>");
  CHECK(!valid(path, &mnn_mesh_record_table, &err));
  CHECK_CONTAINS(err.message, "nodes");

  /* stl */
  snprintf(path, sizeof path, "%s/stl.record.xml", dir);
  mnn_stl_stats ss;
  memset(&ss, 0, sizeof ss);
  ss.facets = 12, ss.parts = 1, ss.volume_mm3 = 1e3;
  CHECK(mnn_stl_record_write(&ss, path, &err) == 0);
  const char *stl_bad[] = {"min-mm.x", "max-mm", "repair"};
  check_record(path, &mnn_stl_record_table, &mnn_mesh_record_table, stl_bad, 3);

  /* train: two steps, the summary, a metric, a baseline, two FEM rounds and the correction */
  snprintf(path, sizeof path, "%s/train.record.xml", dir);
  static mnn_train_record tr;
  mnn_train_record_init(&tr);
  tr.phases = 2, tr.has_summary = 1, tr.epochs = 10, tr.updates = 10, tr.solves = 20;
  snprintf(tr.phase[0], sizeof tr.phase[0], "iris");
  snprintf(tr.phase[1], sizeof tr.phase[1], "iris & more");
  snprintf(tr.task, sizeof tr.task, "iris");
  snprintf(tr.loss_name, sizeof tr.loss_name, "cross-entropy");
  tr.accuracy[MNN_TRAIN_FINAL_TEST] = 0.9, tr.has_accuracy[MNN_TRAIN_FINAL_TEST] = 1;
  tr.has_baseline = tr.has_baseline_test = 1, tr.fem_rounds = 2, tr.has_fem_rounds = 1;
  tr.n_correction = 3, tr.has_correction = 1, tr.correction[1] = -NAN;
  CHECK(mnn_train_record_write(&tr, path, &err) == 0);
  const char *train_bad[] = {"phase.x", "phase", "fem-round.1.model-diff", "final-test-accuracies", "fem-correction"};
  check_record(path, &mnn_train_record_table, &mnn_mesh_record_table, train_bad, 5);

  /* fem: a classification with calibration, two outputs, three bonds, two nodes */
  snprintf(path, sizeof path, "%s/fem.record.xml", dir);
  static const int bond_id[3] = {4, 9, 2}, node_id[2] = {14, 1};
  mnn_fem_record *fr = calloc(1, sizeof *fr);
  CHECK(fr && mnn_fem_record_init(fr, 3, bond_id, 2, node_id, &err) == 0);
  if (fr) {
    snprintf(fr->solver, sizeof fr->solver, "cg+gamg");
    snprintf(fr->task_kind, sizeof fr->task_kind, "classification");
    snprintf(fr->sample_set, sizeof fr->sample_set, "test");
    fr->n_outputs = fr->n_inputs = fr->classes = 2, fr->has_stiffness_factor = fr->has_calibrated = 1;
    fr->has_corrected_model = fr->has_bar_test_accuracy = fr->has_fem_test_accuracy = 1;
    fr->bar_margin = -NAN, fr->fem_margin = INFINITY;
    snprintf(fr->class_names[0], sizeof fr->class_names[0], "a & b");
    CHECK(mnn_fem_record_write(fr, path, &err) == 0);
    mnn_fem_record_clear(fr);
  }
  free(fr);
  const char *fem_bad[] = {"dof", "gradient-bar.x", "output.0.nodes", "class-name", "fem-response.-1", "node-fem-uz.1"};
  check_record(path, &mnn_fem_record_table, &mnn_measure_record_table, fem_bad, 6);
  /* ids may be negative, positions not */
  set_key(path, "gradient-bar.-3", "1");
  CHECK_MSG(valid(path, &mnn_fem_record_table, &err), "%s", err.message);

  /* measure: a fitted part with a displacement, one with a gradient */
  snprintf(path, sizeof path, "%s/measure.record.xml", dir);
  mnn_measure_record_value u = {14, 1, -0.0049, 1e-4, 3, -0.0051, -0.00487}, g = {7, 0, 2e-7, 0, 1, 2e-7, 3e-7};
  mnn_measure_record_part parts[2] = {{"left", "Left <&>", 1, 9, 1, 1, 1, 1, 0, &u, NULL},
                                      {"right", "", 0, 9, 1, 1, 1, 0, 1, NULL, &g}};
  mnn_measure_record mr = {1, 1e6, 0.45, 5e5, 0.5, 1.5, 2, parts};
  CHECK(mnn_measure_record_write(&mr, path, &err) == 0);
  const char *measure_bad[] = {"part.0.u.0.ids", "part.0.v.0.id", "part.x.name", "parts.0.name", "fit-rms"};
  check_record(path, &mnn_measure_record_table, &mnn_fem_record_table, measure_bad, 5);
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--write")) return write_schemas(argv[2]);
  CHECK(mkdtemp(dir) != NULL);
  check_checked_in();
  check_tables();
  check_records();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
