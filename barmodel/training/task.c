/* Task defaults, the paper's task presets, checks, and building the data set. */
#include "task.h"

#include <stdio.h>
#include <string.h>

void mnn_task_defaults(mnn_task *t) {
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "task");
  for (int i = 0; i < MNN_TASK_MAX_IO; ++i) {
    t->inputs[i].component = 1;
    t->inputs[i].scale = 1.0;
    t->outputs[i].component = 1;
    t->fixed_x[i] = 1.0;
  }
  t->loss = MNN_LOSS_MSE;
  t->softmax_length = MNN_DEFAULT_SOFTMAX_LENGTH;
  t->data = MNN_DATA_FIXED;
  t->regression_samples = 100;
  t->regression_force_min = -0.196;
  t->regression_force_max = 0.196;
  t->csv_scale_columns = 1;
  t->train_fraction = 0.7;
  mnn_adam_defaults(&t->adam);
  t->epochs = 100;
  t->batch_size = 16;
  t->seed = 1;
}

static void add_input(mnn_task *t, int node, int comp, double scale) {
  t->inputs[t->n_inputs++] = (mnn_task_input){node, comp, scale};
}
static void add_output(mnn_task *t, int node, int comp) { t->outputs[t->n_outputs++] = (mnn_task_output){node, comp}; }

int mnn_task_preset(mnn_task *t, const char *name, const char *variant, mnn_error *err) {
  const double g = 9.8;
  if (!variant) variant = "";
  mnn_task_defaults(t);
  snprintf(t->name, sizeof t->name, "%s", name);
  if (!strcmp(name, "fig1")) {
    if (*variant) return mnn_fail(err, "task fig1 has no variant '%s'", variant);
    add_input(t, 13, 1, -0.01 * g);
    add_output(t, 14, 1);
    t->loss = MNN_LOSS_SQUARED;
    t->fixed_target[0] = -0.025;
    t->train_fraction = 1;
    t->batch_size = 1;
    t->epochs = 0;
  } else if (!strcmp(name, "behaviour") || !strcmp(name, "behavior")) {
    if (*variant && strcmp(variant, "left") && strcmp(variant, "right"))
      return mnn_fail(err, "task behaviour: variant '%s' unknown: use left or right", variant);
    int right = !strcmp(variant, "right");
    snprintf(t->name, sizeof t->name, "behaviour-%s", right ? "right" : "left");
    add_input(t, 11, 1, -0.005 * g);
    add_output(t, 14, 1); /* L: class 0 */
    add_output(t, 13, 1); /* R: class 1 */
    t->loss = MNN_LOSS_CE_RATIO;
    t->fixed_label = right;
    t->fixed_target[0] = right ? -0.5e-3 : -0.8e-3;
    t->fixed_target[1] = right ? -0.8e-3 : -0.5e-3;
    t->train_fraction = 1;
    t->batch_size = 1;
    t->epochs = 1000;
    t->adam.lr = 0.005;
    t->adam.steepness = 10;
  } else if (!strcmp(name, "regression")) {
    if (*variant && strcmp(variant, "noisy") && strcmp(variant, "clean"))
      return mnn_fail(err, "task regression: variant '%s' unknown: use clean or noisy", variant);
    if (!strcmp(variant, "noisy")) snprintf(t->name, sizeof t->name, "regression-noisy");
    add_input(t, 11, 1, 1.0);
    add_output(t, 13, 0);
    add_output(t, 13, 1);
    add_output(t, 14, 0);
    add_output(t, 14, 1);
    t->data = MNN_DATA_REGRESSION;
    const double slopes[4] = {0, 0.016, 0.004, 0.016};
    memcpy(t->regression_slopes, slopes, sizeof slopes);
    t->regression_noise = !strcmp(variant, "noisy") ? 1e-4 : 0;
    t->loss = MNN_LOSS_MSE;
    t->adam.lr = 0.1;
    t->adam.steepness = 10;
    t->batch_size = 16;
    t->epochs = 5000;
  } else if (!strcmp(name, "iris")) {
    if (*variant) return mnn_fail(err, "task iris has no variant '%s'", variant);
    const int in_nodes[4] = {14, 12, 13, 10}, out_nodes[3] = {8, 2, 3};
    for (int i = 0; i < 4; ++i) add_input(t, in_nodes[i], 1, -0.005 * g);
    for (int o = 0; o < 3; ++o) add_output(t, out_nodes[o], 0);
    t->data = MNN_DATA_CSV;
    snprintf(t->csv_path, sizeof t->csv_path, "cases/data/iris.csv");
    t->loss = MNN_LOSS_CE_RATIO;
    t->adam.lr = 0.006;
    t->adam.steepness = 5;
    t->batch_size = 16;
    t->epochs = 100;
  } else {
    return mnn_fail(err, "unknown task '%s': use fig1, behaviour, regression or iris", name);
  }
  return 0;
}

static const char *comp_name(int c) { return c == 0 ? "x" : "y"; }

static int check_dof(const mnn_network *net, int node_id, int comp, const char *what, int i, mnn_error *err) {
  int k = mnn_network_node_index(net, node_id);
  if (k < 0)
    return mnn_fail(err, "task %s %d: there is no node %d in the network: pick node ids the network has", what, i + 1,
                    node_id);
  if (comp != 0 && comp != 1) return mnn_fail(err, "task %s %d: component %d: use 0 (x) or 1 (y)", what, i + 1, comp);
  if (net->fixed[k] & (comp == 0 ? MNN_FIX_X : MNN_FIX_Y))
    return mnn_fail(err, "task %s %d: node %d is fixed in %s: choose a free node or component", what, i + 1, node_id,
                    comp_name(comp));
  return 0;
}

int mnn_task_check(const mnn_task *t, const mnn_network *net, mnn_error *err) {
  if (t->n_inputs < 1 || t->n_inputs > MNN_TASK_MAX_IO || t->n_outputs < 1 || t->n_outputs > MNN_TASK_MAX_IO)
    return mnn_fail(err, "task %s: needs 1..%d inputs and 1..%d outputs (has %d and %d)", t->name, MNN_TASK_MAX_IO,
                    MNN_TASK_MAX_IO, t->n_inputs, t->n_outputs);
  for (int i = 0; i < t->n_inputs; ++i)
    if (check_dof(net, t->inputs[i].node_id, t->inputs[i].component, "input", i, err)) return -1;
  for (int o = 0; o < t->n_outputs; ++o) {
    if (check_dof(net, t->outputs[o].node_id, t->outputs[o].component, "output", o, err)) return -1;
    for (int p = 0; p < o; ++p)
      if (t->outputs[p].node_id == t->outputs[o].node_id && t->outputs[p].component == t->outputs[o].component)
        return mnn_fail(err, "task %s: outputs %d and %d are both u_%s of node %d: list each output once", t->name,
                        p + 1, o + 1, comp_name(t->outputs[o].component), t->outputs[o].node_id);
  }
  if (mnn_loss_is_classification(t->loss) && t->n_outputs < 2)
    return mnn_fail(err, "task %s: a cross-entropy loss needs at least 2 outputs (one per class)", t->name);
  if (t->loss == MNN_LOSS_CE_SOFTMAX && !(t->softmax_length > 0))
    return mnn_fail(err, "task %s: softmax length scale must be positive (got %g m)", t->name, t->softmax_length);
  if (t->batch_size < 1 || t->epochs < 0 || t->epochs > MNN_TASK_MAX_EPOCHS)
    return mnn_fail(err, "task %s: need batch size >= 1 and epochs in 0..%d (got %d and %d)", t->name,
                    MNN_TASK_MAX_EPOCHS, t->batch_size, t->epochs);
  if (t->data == MNN_DATA_REGRESSION && (t->regression_samples < 1 || t->regression_samples > MNN_TASK_MAX_SAMPLES))
    return mnn_fail(err, "task %s: samples %d: use 1..%d", t->name, t->regression_samples, MNN_TASK_MAX_SAMPLES);
  if (mnn_adam_check(&t->adam, err)) return mnn_error_prefix(err, "task %s", t->name), -1;
  if (!(t->train_fraction > 0 && t->train_fraction <= 1))
    return mnn_fail(err, "task %s: training fraction must be in (0, 1] (got %g)", t->name, t->train_fraction);
  if (t->data == MNN_DATA_FIXED && mnn_loss_is_classification(t->loss) &&
      (t->fixed_label < 0 || t->fixed_label >= t->n_outputs))
    return mnn_fail(err, "task %s: class %d out of range 0..%d", t->name, t->fixed_label, t->n_outputs - 1);
  return 0;
}

uint64_t mnn_task_seed_data(const mnn_task *t) { return t->seed * 4 + 1; }
uint64_t mnn_task_seed_split(const mnn_task *t) { return t->seed * 4 + 2; }
uint64_t mnn_task_seed_batches(const mnn_task *t) { return t->seed * 4 + 3; }

mnn_dataset *mnn_task_dataset(const mnn_task *t, mnn_error *err) {
  mnn_dataset *d = NULL;
  int classify = mnn_loss_is_classification(t->loss);
  switch (t->data) {
    case MNN_DATA_FIXED:
      d = mnn_dataset_create(1, t->n_inputs, classify ? 0 : t->n_outputs, classify);
      if (!d) {
        mnn_fail(err, "out of memory");
        return NULL;
      }
      memcpy(d->x, t->fixed_x, (size_t)t->n_inputs * sizeof(double));
      if (classify) {
        d->label[0] = t->fixed_label;
        d->n_classes = t->n_outputs;
      } else {
        memcpy(d->target, t->fixed_target, (size_t)t->n_outputs * sizeof(double));
      }
      return d;
    case MNN_DATA_REGRESSION:
      if (classify) {
        mnn_fail(err, "task %s: the regression data set has no classes: use the mse or squared loss", t->name);
        return NULL;
      }
      d = mnn_dataset_regression(t->regression_samples, t->regression_force_min, t->regression_force_max,
                                 t->n_outputs, t->regression_slopes, t->regression_noise, mnn_task_seed_data(t), err);
      break;
    case MNN_DATA_CSV:
      d = mnn_dataset_read_csv(t->csv_path, classify ? 0 : t->n_outputs, err);
      if (d && t->csv_scale_columns && mnn_dataset_scale_columns(d, err)) {
        mnn_error_prefix(err, "%s", t->csv_path);
        mnn_dataset_free(d);
        return NULL;
      }
      if (d && classify && d->n_classes > t->n_outputs) {
        mnn_fail(err, "%s: %d classes but task %s has %d outputs: give one output per class", t->csv_path,
                 d->n_classes, t->name, t->n_outputs);
        mnn_dataset_free(d);
        return NULL;
      }
      break;
  }
  if (d && d->n_features != t->n_inputs) {
    mnn_fail(err, "task %s: the data have %d features per sample but the task has %d inputs: give one input per feature",
             t->name, d->n_features, t->n_inputs);
    mnn_dataset_free(d);
    return NULL;
  }
  return d;
}

int mnn_task_component(const char *s) {
  if (!strcmp(s, "x") || !strcmp(s, "X") || !strcmp(s, "0")) return 0;
  if (!strcmp(s, "y") || !strcmp(s, "Y") || !strcmp(s, "1")) return 1;
  return -1;
}
