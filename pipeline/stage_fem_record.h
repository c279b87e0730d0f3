/* The FEM stage's record (fem.record.xml) as a struct: what the FEM stage of
 * `mnn run` found (stage_fem.c, the task part in stage_fem_task.c) and the report
 * stage reads (stage_report.c), written and read through one field table
 * (mnn_fem_record_table, stage_record.h), so that the writer and the reader
 * cannot disagree on a key. */
#ifndef MNN_STAGE_FEM_RECORD_H
#define MNN_STAGE_FEM_RECORD_H

#include "stage_record.h"
#include "training.h"

#define MNN_FEM_RECORD_IO MNN_TASK_MAX_IO

typedef struct mnn_fem_record {
  /* the FEM run on the validated sample */
  int sample; /* data row, from 1 */
  long dofs, cells;
  int ranks, order;
  char solver[96]; /* "KSP+PC", e.g. "preonly+cholesky" */
  double assembly_seconds, setup_seconds, forward_seconds, adjoint_seconds;
  int forward_iterations, adjoint_iterations, response_solves;
  double youngs_modulus, poisson_ratio; /* the FEM's material */
  double bar_loss, fem_loss;            /* the task's loss on the sample in both models */
  int corrected_model, has_corrected_model; /* the model checked carries a train fem-rounds correction */
  /* the task's outputs and inputs, and the FEM's response matrix (outputs x
   * inputs, row-major, m/N) */
  int n_outputs;
  int output_node[MNN_FEM_RECORD_IO], output_component[MNN_FEM_RECORD_IO]; /* component 0 x, 1 y */
  double output_bar[MNN_FEM_RECORD_IO], output_fem[MNN_FEM_RECORD_IO];    /* m */
  int n_inputs;
  int input_node[MNN_FEM_RECORD_IO], input_component[MNN_FEM_RECORD_IO];
  double input_force[MNN_FEM_RECORD_IO]; /* N, the sample's loads */
  double response[MNN_FEM_RECORD_IO * MNN_FEM_RECORD_IO];
  /* the bar model fitted to the FEM's response (R ~ s G); absent when s <= 0 */
  double calibration_stiffness_factor;  /* without length classes: the network's factor / s */
  double calibration_factor_multiplier; /* with length classes: 1 / s for every class's factor */
  int has_stiffness_factor, has_factor_multiplier, has_calibrated;
  double output_bar_calibrated[MNN_FEM_RECORD_IO]; /* y_bar s */
  /* per bond and per node, keyed by the network's ids (mnn_fem_record_init) */
  int n_bonds, n_nodes;
  const int *bond_id, *node_id;
  double *gradient_bar, *gradient_fem; /* dL/d ln k of each bond in both models */
  double *gradient_fem_node;           /* the FEM's sensitivity in each node disc */
  double node_sensitivity_share;       /* the node discs' share of the FEM's total */
  double *node_bar_ux, *node_bar_uy, *node_fem_ux, *node_fem_uy; /* m, under the sample's loads */
  /* the task in both models (stage_fem_task.c) */
  char task_kind[16];  /* "behaviour", "classification" or "regression" */
  char sample_set[8];  /* "test", "train" or "fixed" */
  double output_scale; /* m: largest |y_bar| */
  /* accuracy (classification) or MSE (m^2); NaN where the task has none */
  double bar_train_metric, fem_train_metric, bar_test_metric, fem_test_metric;
  /* the same test metric under its older names, written when there is a test set */
  double bar_test_accuracy, fem_test_accuracy, bar_test_mse, fem_test_mse;
  int has_bar_test_accuracy, has_fem_test_accuracy, has_bar_test_mse, has_fem_test_mse;
  double bar_margin, fem_margin; /* m; NaN when none */
  int test_samples, disagreements, classes; /* classification; else 0 */
  char class_names[MNN_FEM_RECORD_IO][64];
  int confusion_bar[MNN_FEM_RECORD_IO * MNN_FEM_RECORD_IO]; /* test set, [true * classes + predicted] */
  int confusion_fem[MNN_FEM_RECORD_IO * MNN_FEM_RECORD_IO];
} mnn_fem_record;

extern const mnn_record_table mnn_fem_record_table;

/* For the writer: sets fr's bonds and nodes (the ids are kept, not copied) and
 * allocates its per-bond and per-node arrays; fr must be zeroed before. */
int mnn_fem_record_init(mnn_fem_record *fr, int n_bonds, const int *bond_id, int n_nodes, const int *node_id,
                        mnn_error *err);
/* Writes fr as the record of stage "fem" at path, atomically. */
int mnn_fem_record_write(const mnn_fem_record *fr, const char *path, mnn_error *err);
/* Fills fr from a FEM record: its bonds and nodes are those of the ids given (the
 * network's), and every key that the writer always writes must be there; fails
 * naming the key. Clear fr afterwards, also on failure. */
int mnn_fem_record_take(const mnn_record *rec, int n_bonds, const int *bond_id, int n_nodes, const int *node_id,
                        mnn_fem_record *fr, mnn_error *err);
/* Frees fr's arrays (not fr). */
void mnn_fem_record_clear(mnn_fem_record *fr);

#endif
