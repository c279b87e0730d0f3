/* The typed records of the mesh and STL stages: each struct (meshing's
 * mnn_mesh_stats, export's mnn_stl_stats) written by the stage and read by the
 * report stage through one field table (stage_record.h), so that the writer and
 * the reader cannot disagree on a key. The train stage's record is
 * stage_train_record.h. */
#ifndef MNN_STAGE_RECORDS_H
#define MNN_STAGE_RECORDS_H

#include "meshing.h"
#include "stage_record.h"
#include "stl_export.h"
#include "stage_train_record.h" /* the train stage's record */

extern const mnn_record_table mnn_mesh_record_table, mnn_stl_record_table;
/* Every typed record's table (mesh, stl, fem, measure, train), for their schemas. */
extern const mnn_record_table *const mnn_record_tables[];
extern const int mnn_n_record_tables;

/* Writes the mesh stage's record (stage "mesh") at path, atomically. */
int mnn_mesh_record_write(const mnn_mesh_stats *st, const char *path, mnn_error *err);
/* Fills st from a mesh record read with mnn_record_read; fails naming a missing key. */
int mnn_mesh_record_take(const mnn_record *rec, mnn_mesh_stats *st, mnn_error *err);

/* The same for the STL stage (stage "stl"): the written solid's facets, volume,
 * parts, bad edges, bounding box, whether it was repaired (ADMesh's repair or a
 * turned-round surface) and the one-line repair summary ("none" when nothing was
 * done). The other fields of mnn_stl_stats are not recorded and read back as 0. */
int mnn_stl_record_write(const mnn_stl_stats *st, const char *path, mnn_error *err);
int mnn_stl_record_take(const mnn_record *rec, mnn_stl_stats *st, mnn_error *err);

#endif
