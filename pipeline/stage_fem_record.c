/* The FEM stage's record as one field table over mnn_fem_record. The keys are
 * those the report has always read (fem.record.xml keeps its names). */
#include "stage_fem_record.h"

#include <stdlib.h>
#include <string.h>

#define T mnn_fem_record
#define IO MNN_FEM_RECORD_IO
#define REF(m) MNN_FIELD_REF(T, m)
#define D(key, m) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m)}
#define I(key, m) {MNN_FIELD(T, key, MNN_FIELD_INT, m)}
/* written when the flag is set; absent: NaN (or 0) and the flag 0 */
#define D_IF(key, m, flag) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m), .optional = 1, .present = REF(flag)}
/* always written; a record from before it reads NaN (or 0) */
#define D_OPT(key, m) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m), .optional = 1}
#define I_OPT(key, m) {MNN_FIELD(T, key, MNN_FIELD_INT, m), .optional = 1}
#define PER_OUTPUT(key, kind, m) {MNN_FIELD(T, key, kind, m), .count = IO, .length = REF(n_outputs)}
#define PER_INPUT(key, kind, m) {MNN_FIELD(T, key, kind, m), .count = IO, .length = REF(n_inputs)}
#define PER_BOND(key, m) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m), .length = REF(n_bonds), .ids = REF(bond_id), .heap = 1}
#define PER_NODE(key, m) {MNN_FIELD(T, key, MNN_FIELD_DOUBLE, m), .length = REF(n_nodes), .ids = REF(node_id), .heap = 1}
#define PER_CLASS_PAIR(key, m) \
  {MNN_FIELD(T, key, MNN_FIELD_INT, m), .count = IO * IO, .length = REF(classes), .length2 = REF(classes)}

static const mnn_record_field fem_fields[] = {
    I("sample", sample),
    {MNN_FIELD(T, "dofs", MNN_FIELD_LONG, dofs)},
    {MNN_FIELD(T, "cells", MNN_FIELD_LONG, cells)},
    I("ranks", ranks),
    I("order", order),
    {MNN_TEXT(T, "solver", solver)},
    D("assembly-seconds", assembly_seconds),
    D("setup-seconds", setup_seconds),
    D("forward-seconds", forward_seconds),
    D("adjoint-seconds", adjoint_seconds),
    I("forward-iterations", forward_iterations),
    I("adjoint-iterations", adjoint_iterations),
    I("response-solves", response_solves),
    D("fem-youngs-modulus", youngs_modulus),
    D("fem-poisson-ratio", poisson_ratio),
    D("bar-loss", bar_loss),
    D("fem-loss", fem_loss),
    {MNN_FIELD(T, "fem-corrected-model", MNN_FIELD_INT, corrected_model), .optional = 1,
     .present = REF(has_corrected_model)},
    I("outputs", n_outputs),
    PER_OUTPUT("output.%d.node", MNN_FIELD_INT, output_node),
    PER_OUTPUT("output.%d.component", MNN_FIELD_INT, output_component),
    PER_OUTPUT("output-bar.%d", MNN_FIELD_DOUBLE, output_bar),
    PER_OUTPUT("output-fem.%d", MNN_FIELD_DOUBLE, output_fem),
    I("inputs", n_inputs),
    PER_INPUT("input.%d.node", MNN_FIELD_INT, input_node),
    PER_INPUT("input.%d.component", MNN_FIELD_INT, input_component),
    PER_INPUT("input-force.%d", MNN_FIELD_DOUBLE, input_force),
    {MNN_FIELD(T, "fem-response.%d", MNN_FIELD_DOUBLE, response), .count = IO * IO, .length = REF(n_outputs),
     .length2 = REF(n_inputs)},
    D_IF("calibration-stiffness-factor", calibration_stiffness_factor, has_stiffness_factor),
    D_IF("calibration-factor-multiplier", calibration_factor_multiplier, has_factor_multiplier),
    {MNN_FIELD(T, "output-bar-calibrated.%d", MNN_FIELD_DOUBLE, output_bar_calibrated), .count = IO,
     .length = REF(n_outputs), .optional = 1, .present = REF(has_calibrated)},
    PER_BOND("gradient-bar.%d", gradient_bar),
    PER_BOND("gradient-fem.%d", gradient_fem),
    PER_NODE("gradient-fem-node.%d", gradient_fem_node),
    D("node-sensitivity-share", node_sensitivity_share),
    {MNN_TEXT(T, "task-kind", task_kind)},
    {MNN_TEXT(T, "sample-set", sample_set)},
    PER_NODE("node-bar-ux.%d", node_bar_ux),
    PER_NODE("node-bar-uy.%d", node_bar_uy),
    PER_NODE("node-fem-ux.%d", node_fem_ux),
    PER_NODE("node-fem-uy.%d", node_fem_uy),
    D("output-scale", output_scale),
    D_OPT("bar-train-metric", bar_train_metric),
    D_OPT("fem-train-metric", fem_train_metric),
    D_OPT("bar-test-metric", bar_test_metric),
    D_OPT("fem-test-metric", fem_test_metric),
    D_IF("bar-test-accuracy", bar_test_accuracy, has_bar_test_accuracy),
    D_IF("fem-test-accuracy", fem_test_accuracy, has_fem_test_accuracy),
    D_IF("bar-test-mse", bar_test_mse, has_bar_test_mse),
    D_IF("fem-test-mse", fem_test_mse, has_fem_test_mse),
    D_OPT("bar-margin", bar_margin),
    D_OPT("fem-margin", fem_margin),
    I_OPT("test-samples", test_samples),
    I_OPT("disagreements", disagreements),
    I_OPT("classes", classes),
    {MNN_FIELD(T, "class-name.%d", MNN_FIELD_TEXT, class_names), .count = IO, .size = sizeof(((T *)0)->class_names[0]),
     .length = REF(classes)},
    PER_CLASS_PAIR("confusion-bar.%d", confusion_bar),
    PER_CLASS_PAIR("confusion-fem.%d", confusion_fem),
};

extern const char mnn_record_fem_xsd[];
const mnn_record_table mnn_fem_record_table = {"fem", fem_fields, (int)(sizeof fem_fields / sizeof *fem_fields),
                                               mnn_record_fem_xsd};

int mnn_fem_record_init(mnn_fem_record *fr, int n_bonds, const int *bond_id, int n_nodes, const int *node_id,
                        mnn_error *err) {
  fr->n_bonds = n_bonds, fr->bond_id = bond_id, fr->n_nodes = n_nodes, fr->node_id = node_id;
  double **per_bond[] = {&fr->gradient_bar, &fr->gradient_fem};
  double **per_node[] = {&fr->gradient_fem_node, &fr->node_bar_ux, &fr->node_bar_uy, &fr->node_fem_ux,
                         &fr->node_fem_uy};
  int bad = 0;
  for (int k = 0; k < 2; ++k) bad |= !(*per_bond[k] = calloc((size_t)n_bonds + 1, sizeof(double)));
  for (int k = 0; k < 5; ++k) bad |= !(*per_node[k] = calloc((size_t)n_nodes + 1, sizeof(double)));
  return bad ? mnn_fail(err, "fem record: out of memory") : 0;
}

int mnn_fem_record_write(const mnn_fem_record *fr, const char *path, mnn_error *err) {
  return mnn_record_write_struct(&mnn_fem_record_table, fr, path, err);
}

int mnn_fem_record_take(const mnn_record *rec, int n_bonds, const int *bond_id, int n_nodes, const int *node_id,
                        mnn_fem_record *fr, mnn_error *err) {
  memset(fr, 0, sizeof *fr);
  fr->n_bonds = n_bonds, fr->bond_id = bond_id, fr->n_nodes = n_nodes, fr->node_id = node_id;
  return mnn_record_take(rec, fr, mnn_fem_record_table.fields, mnn_fem_record_table.n_fields, err);
}

void mnn_fem_record_clear(mnn_fem_record *fr) {
  mnn_record_release(fr, mnn_fem_record_table.fields, mnn_fem_record_table.n_fields);
}
