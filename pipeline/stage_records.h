/* The typed records of the mesh and STL stages and the train stage's summary:
 * each struct (meshing's mnn_mesh_stats, export's mnn_stl_stats,
 * mnn_train_summary) written by the stage and read by the report stage through one
 * field table (stage_record.h), so that the writer
 * and the reader cannot disagree on a key. */
#ifndef MNN_STAGE_RECORDS_H
#define MNN_STAGE_RECORDS_H

#include "meshing.h"
#include "stage_record.h"
#include "stl_export.h"

extern const mnn_record_table mnn_mesh_record_table, mnn_stl_record_table;
/* Every typed record's table (mesh, stl, fem, measure), for their schemas. */
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

/* The training summary of the train stage's record (its last training step): the
 * task's name, the loss's name, epochs, the loss before and after, seconds, Adam
 * updates and bar solves. mnn_train_summary_put adds it to a record the stage
 * writes with its other values; mnn_train_summary_take reads it back and fails
 * naming a missing key. */
typedef struct mnn_train_summary {
  char task[64], loss_name[64];
  int epochs;
  double initial_loss, final_loss, seconds;
  long updates, solves;
} mnn_train_summary;
int mnn_train_summary_put(mnn_record *rec, const mnn_train_summary *s, mnn_error *err);
int mnn_train_summary_take(const mnn_record *rec, mnn_train_summary *s, mnn_error *err);

/* The FEM rounds in the train record (one place for their keys). Round r (from 1):
 * the model's response difference from the FEM before its correction and the loss
 * after the retraining; mnn_fem_round_take fails naming a missing key. */
int mnn_fem_round_put(mnn_record *rec, int round, double model_difference, double final_loss, mnn_error *err);
int mnn_fem_round_take(const mnn_record *rec, int round, double *model_difference, double *final_loss,
                       mnn_error *err);
/* The number of rounds and the last correction C (n values, outputs x inputs).
 * mnn_fem_correction_take sets *rounds to 0 and leaves C alone when the record has
 * no rounds, and fails when it has rounds but not n correction values. */
int mnn_fem_correction_put(mnn_record *rec, int rounds, int n, const double *C, mnn_error *err);
int mnn_fem_correction_take(const mnn_record *rec, int n, int *rounds, double *C, mnn_error *err);

#endif
