/* The task in the trained model and in the FEM of the part (stage_fem_task.c). */
#ifndef MNN_STAGE_FEM_TASK_H
#define MNN_STAGE_FEM_TASK_H

#include "training.h"
#include "stage_fem_record.h"

/* Fills the task part of fr, for the report's task section and verdict: the task kind, the
 * validated sample's set, loads and the deformation of every node (bar model from
 * the trainer's unit responses, FEM from fem_node_u: 3 per node in network order);
 * the output scale (largest |y_bar|); for a data set the train and test metric of
 * both models (FEM predictions y = R f, R n_out x n_in), and for classification the
 * test confusion matrices, class names, smallest class margins and disagreements;
 * for one fixed sample the trained difference (classification) or its MSE.
 * Metrics and margins a task does not have are NaN; fr's per-node arrays must be
 * allocated (mnn_fem_record_init). */
int mnn_fem_task_record(mnn_trainer *tr, const mnn_split *split, int sample, const double *R, const double *y_bar,
                        const double *y_fem, const double *fem_node_u, mnn_fem_record *fr, mnn_error *err);

#endif
