/* The mesh and STL stages' records as field tables over their structs, and the
 * list of every typed record (mnn_record_tables). */
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

extern const char mnn_record_mesh_xsd[], mnn_record_stl_xsd[];
const mnn_record_table mnn_mesh_record_table = {"mesh", mesh_fields, N_FIELDS(mesh_fields), mnn_record_mesh_xsd};
const mnn_record_table mnn_stl_record_table = {"stl", stl_fields, N_FIELDS(stl_fields), mnn_record_stl_xsd};

/* Every typed record, for their schemas (test_record_schemas). A new one: add its
 * table here (its xsd member mnn_record_<stage>_xsd), the stage to the foreach of
 * pipeline/CMakeLists.txt that compiles the schemas in, write
 * schemas/record-<stage>.xsd with `build/tests/pipeline/test_record_schemas --write
 * schemas` (a placeholder file first, so that the build finds one), and read the
 * record with mnn_record_read_typed. */
const mnn_record_table *const mnn_record_tables[] = {&mnn_mesh_record_table, &mnn_stl_record_table,
                                                     &mnn_fem_record_table, &mnn_measure_record_table,
                                                     &mnn_train_record_table};
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
