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
