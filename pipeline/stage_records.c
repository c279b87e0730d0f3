/* The mesh and STL stages' records and the train stage's summary as field tables
 * over their structs. */
#include "stage_records.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define N_FIELDS(t) ((int)(sizeof(t) / sizeof *(t)))

static const mnn_record_field mesh_fields[] = {
    {"nodes", MNN_FIELD_LONG, offsetof(mnn_mesh_stats, n_nodes), 1, 0},
    {"tetrahedra", MNN_FIELD_LONG, offsetof(mnn_mesh_stats, n_tetrahedra), 1, 0},
    {"min-quality", MNN_FIELD_DOUBLE, offsetof(mnn_mesh_stats, min_quality), 1, 0},
    {"mean-quality", MNN_FIELD_DOUBLE, offsetof(mnn_mesh_stats, mean_quality), 1, 0},
    {"volume", MNN_FIELD_DOUBLE, offsetof(mnn_mesh_stats, volume), 1, 0},
    {"seconds", MNN_FIELD_DOUBLE, offsetof(mnn_mesh_stats, seconds), 1, 0},
    {"poor-tetrahedra", MNN_FIELD_LONG, offsetof(mnn_mesh_stats, n_poor), 1, 0},
};

static const mnn_record_field stl_fields[] = {
    {"facets", MNN_FIELD_INT, offsetof(mnn_stl_stats, facets), 1, 0},
    {"volume-mm3", MNN_FIELD_DOUBLE, offsetof(mnn_stl_stats, volume_mm3), 1, 0},
    {"parts", MNN_FIELD_INT, offsetof(mnn_stl_stats, parts), 1, 0},
    {"bad-edges", MNN_FIELD_INT, offsetof(mnn_stl_stats, bad_edges), 1, 0},
    {"repaired", MNN_FIELD_INT, offsetof(mnn_stl_stats, repaired), 1, 0},
    {"repairs", MNN_FIELD_TEXT, offsetof(mnn_stl_stats, repairs), 1, sizeof(((mnn_stl_stats *)0)->repairs)},
    {"min-mm", MNN_FIELD_DOUBLE, offsetof(mnn_stl_stats, min_mm), 3, 0},
    {"max-mm", MNN_FIELD_DOUBLE, offsetof(mnn_stl_stats, max_mm), 3, 0},
};

#define TEXT_FIELD(type, key, field) \
  {key, MNN_FIELD_TEXT, offsetof(type, field), 1, sizeof(((type *)0)->field)}
static const mnn_record_field train_fields[] = {
    TEXT_FIELD(mnn_train_summary, "task", task),
    TEXT_FIELD(mnn_train_summary, "loss-name", loss_name),
    {"epochs", MNN_FIELD_INT, offsetof(mnn_train_summary, epochs), 1, 0},
    {"initial-loss", MNN_FIELD_DOUBLE, offsetof(mnn_train_summary, initial_loss), 1, 0},
    {"final-loss", MNN_FIELD_DOUBLE, offsetof(mnn_train_summary, final_loss), 1, 0},
    {"seconds", MNN_FIELD_DOUBLE, offsetof(mnn_train_summary, seconds), 1, 0},
    {"updates", MNN_FIELD_LONG, offsetof(mnn_train_summary, updates), 1, 0},
    {"solves", MNN_FIELD_LONG, offsetof(mnn_train_summary, solves), 1, 0},
};

/* A record of stage with the fields of s, written at path. */
static int write_record(const char *stage, const void *s, const mnn_record_field *f, int n, const char *path,
                        mnn_error *err) {
  mnn_record *rec = mnn_record_create(stage);
  if (!rec) return mnn_fail(err, "%s record: out of memory", stage);
  int rc = mnn_record_put(rec, s, f, n, err) || mnn_record_write(rec, path, err);
  mnn_record_free(rec);
  return rc ? -1 : 0;
}

int mnn_mesh_record_write(const mnn_mesh_stats *st, const char *path, mnn_error *err) {
  return write_record("mesh", st, mesh_fields, N_FIELDS(mesh_fields), path, err);
}

int mnn_mesh_record_take(const mnn_record *rec, mnn_mesh_stats *st, mnn_error *err) {
  memset(st, 0, sizeof *st);
  return mnn_record_take(rec, st, mesh_fields, N_FIELDS(mesh_fields), err);
}

int mnn_stl_record_write(const mnn_stl_stats *st, const char *path, mnn_error *err) {
  mnn_stl_stats r = *st;
  r.repaired = st->repaired || st->reversed_all;
  if (!r.repairs[0]) snprintf(r.repairs, sizeof r.repairs, "none");
  return write_record("stl", &r, stl_fields, N_FIELDS(stl_fields), path, err);
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
  for (int i = 0; i < 2; ++i) f[i] = (mnn_record_field){keys[i], MNN_FIELD_DOUBLE, (size_t)i * sizeof(double), 1, 0};
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
