/* The mesh and STL stages' records and the train stage's summary as field tables
 * over their structs. */
#include "stage_records.h"
#include "stage_fem_record.h"
#include "stage_measure_record.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define N_FIELDS(t) ((int)(sizeof(t) / sizeof *(t)))

static const mnn_record_field mesh_fields[] = {
    {MNN_FIELD(mnn_mesh_stats, "nodes", MNN_FIELD_LONG, n_nodes)},
    {MNN_FIELD(mnn_mesh_stats, "tetrahedra", MNN_FIELD_LONG, n_tetrahedra)},
    {MNN_FIELD(mnn_mesh_stats, "min-quality", MNN_FIELD_DOUBLE, min_quality)},
    {MNN_FIELD(mnn_mesh_stats, "mean-quality", MNN_FIELD_DOUBLE, mean_quality)},
    {MNN_FIELD(mnn_mesh_stats, "volume", MNN_FIELD_DOUBLE, volume)},
    {MNN_FIELD(mnn_mesh_stats, "seconds", MNN_FIELD_DOUBLE, seconds)},
    {MNN_FIELD(mnn_mesh_stats, "poor-tetrahedra", MNN_FIELD_LONG, n_poor)},
};

static const mnn_record_field stl_fields[] = {
    {MNN_FIELD(mnn_stl_stats, "facets", MNN_FIELD_INT, facets)},
    {MNN_FIELD(mnn_stl_stats, "volume-mm3", MNN_FIELD_DOUBLE, volume_mm3)},
    {MNN_FIELD(mnn_stl_stats, "parts", MNN_FIELD_INT, parts)},
    {MNN_FIELD(mnn_stl_stats, "bad-edges", MNN_FIELD_INT, bad_edges)},
    {MNN_FIELD(mnn_stl_stats, "repaired", MNN_FIELD_INT, repaired)},
    {MNN_TEXT(mnn_stl_stats, "repairs", repairs)},
    {MNN_FIELD(mnn_stl_stats, "min-mm.%d", MNN_FIELD_DOUBLE, min_mm), .count = 3},
    {MNN_FIELD(mnn_stl_stats, "max-mm.%d", MNN_FIELD_DOUBLE, max_mm), .count = 3},
};

static const mnn_record_field train_fields[] = {
    {MNN_TEXT(mnn_train_summary, "task", task)},
    {MNN_TEXT(mnn_train_summary, "loss-name", loss_name)},
    {MNN_FIELD(mnn_train_summary, "epochs", MNN_FIELD_INT, epochs)},
    {MNN_FIELD(mnn_train_summary, "initial-loss", MNN_FIELD_DOUBLE, initial_loss)},
    {MNN_FIELD(mnn_train_summary, "final-loss", MNN_FIELD_DOUBLE, final_loss)},
    {MNN_FIELD(mnn_train_summary, "seconds", MNN_FIELD_DOUBLE, seconds)},
    {MNN_FIELD(mnn_train_summary, "updates", MNN_FIELD_LONG, updates)},
    {MNN_FIELD(mnn_train_summary, "solves", MNN_FIELD_LONG, solves)},
};

extern const char mnn_record_mesh_xsd[], mnn_record_stl_xsd[];
const mnn_record_table mnn_mesh_record_table = {"mesh", mesh_fields, N_FIELDS(mesh_fields), mnn_record_mesh_xsd};
const mnn_record_table mnn_stl_record_table = {"stl", stl_fields, N_FIELDS(stl_fields), mnn_record_stl_xsd};

/* Every typed record, for their schemas (test_record_schemas). The train record
 * joins when its table exists: add &mnn_train_record_table here (its xsd member
 * mnn_record_train_xsd), add "train" to the foreach of pipeline/CMakeLists.txt
 * that compiles the schemas in, write schemas/record-train.xsd with
 * `build/tests/pipeline/test_record_schemas --write schemas` (a placeholder file
 * first, so that the build finds one), and read the record with
 * mnn_record_read_typed. */
const mnn_record_table *const mnn_record_tables[] = {&mnn_mesh_record_table, &mnn_stl_record_table,
                                                     &mnn_fem_record_table, &mnn_measure_record_table};
const int mnn_n_record_tables = (int)(sizeof mnn_record_tables / sizeof *mnn_record_tables);

int mnn_mesh_record_write(const mnn_mesh_stats *st, const char *path, mnn_error *err) {
  return mnn_record_write_struct(&mnn_mesh_record_table, st, path, err);
}

int mnn_mesh_record_take(const mnn_record *rec, mnn_mesh_stats *st, mnn_error *err) {
  memset(st, 0, sizeof *st);
  return mnn_record_take(rec, st, mesh_fields, N_FIELDS(mesh_fields), err);
}

int mnn_stl_record_write(const mnn_stl_stats *st, const char *path, mnn_error *err) {
  mnn_stl_stats r = *st;
  r.repaired = st->repaired || st->reversed_all;
  if (!r.repairs[0]) snprintf(r.repairs, sizeof r.repairs, "none");
  return mnn_record_write_struct(&mnn_stl_record_table, &r, path, err);
}

int mnn_stl_record_take(const mnn_record *rec, mnn_stl_stats *st, mnn_error *err) {
  memset(st, 0, sizeof *st);
  return mnn_record_take(rec, st, stl_fields, N_FIELDS(stl_fields), err);
}

int mnn_train_summary_put(mnn_record *rec, const mnn_train_summary *s, mnn_error *err) {
  return mnn_record_put(rec, s, train_fields, N_FIELDS(train_fields), err);
}

int mnn_train_summary_take(const mnn_record *rec, mnn_train_summary *s, mnn_error *err) {
  memset(s, 0, sizeof *s);
  return mnn_record_take(rec, s, train_fields, N_FIELDS(train_fields), err);
}

/* The keys of round r: "fem-round.<r>.model-difference", "fem-round.<r>.final-loss". */
static void round_fields(int round, char keys[2][64], mnn_record_field f[2]) {
  snprintf(keys[0], 64, "fem-round.%d.model-difference", round);
  snprintf(keys[1], 64, "fem-round.%d.final-loss", round);
  for (int i = 0; i < 2; ++i) f[i] = (mnn_record_field){.key = keys[i], .kind = MNN_FIELD_DOUBLE, .offset = (size_t)i * sizeof(double)};
}

int mnn_fem_round_put(mnn_record *rec, int round, double model_difference, double final_loss, mnn_error *err) {
  char keys[2][64];
  mnn_record_field f[2];
  double v[2] = {model_difference, final_loss};
  round_fields(round, keys, f);
  return mnn_record_put(rec, v, f, 2, err);
}

int mnn_fem_round_take(const mnn_record *rec, int round, double *model_difference, double *final_loss,
                       mnn_error *err) {
  char keys[2][64];
  mnn_record_field f[2];
  double v[2];
  round_fields(round, keys, f);
  if (mnn_record_take(rec, v, f, 2, err)) return -1;
  *model_difference = v[0], *final_loss = v[1];
  return 0;
}

int mnn_fem_correction_put(mnn_record *rec, int rounds, int n, const double *C, mnn_error *err) {
  int bad = mnn_record_set(rec, "fem-rounds", rounds);
  for (int e = 0; e < n; ++e) bad |= mnn_record_set_indexed(rec, "fem-correction", e, C[e]);
  return bad ? mnn_fail(err, "train record: out of memory") : 0;
}

int mnn_fem_correction_take(const mnn_record *rec, int n, int *rounds, double *C, mnn_error *err) {
  double r = 0;
  *rounds = 0;
  int got = mnn_record_get(rec, "fem-rounds", &r);
  if (got == 0 || (got == 1 && r == 0)) return 0;
  if (got < 0 || !(r > 0) || r != (int)r) return mnn_fail(err, "fem-rounds is not a positive integer");
  for (int e = 0; e < n; ++e)
    if (mnn_record_get_indexed(rec, "fem-correction", e, &C[e]) != 1)
      return mnn_fail(err, "fem-rounds without its fem-correction values (fem-correction.%d): rerun with --force", e);
  *rounds = (int)r;
  return 0;
}
