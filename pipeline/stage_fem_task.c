/* The task in both models, for the FEM stage's record: what the verdict needs to
 * say whether the printed part does what was trained. The FEM's prediction of
 * every sample comes from its response matrix (y = R f, no solve per sample), the
 * trained model's from the trainer; classification gives accuracies, confusion
 * matrices and class margins, regression the MSE, a one-sample behaviour the
 * trained difference (or its MSE to the targets). Also the validated sample's
 * loads and the deformation of every node in both models, for the pictures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run_internal.h"
#include "stage_fem_task.h"

/* |y| of the largest and the second largest output. */
static void top_two(int n, const double *y, double *first, double *second) {
  *first = *second = 0;
  for (int o = 0; o < n; ++o) {
    double a = fabs(y[o]);
    if (a > *first) *second = *first, *first = a;
    else if (a > *second) *second = a;
  }
}

/* Adds one sample's squared error over its n outputs, (y_o - t_o)^2 / n, to *sum
 * term by term: the MSE of a set is the sum over its samples, divided by their
 * number. Adding to the running sum (not returning the sample's subtotal) keeps the
 * order of the additions, and so the metrics, to the last digit. */
static void add_squared_error(int n, const double *y, const double *t, double *sum) {
  for (int o = 0; o < n; ++o) *sum += (y[o] - t[o]) * (y[o] - t[o]) / n;
}

/* Predictions of one set in both models: accuracy or MSE, the confusion matrices
 * (test set), the smallest margin of the correctly classified samples and the
 * number of samples the two models class differently. */
typedef struct {
  double bar, fem;               /* accuracy or MSE */
  double bar_margin, fem_margin; /* m; INFINITY when no sample is classed right */
  int disagree;
} set_metrics;

static int evaluate_set(mnn_trainer *tr, int n, const int *samples, const double *R, int *cm_bar, int *cm_fem,
                        set_metrics *m, mnn_error *err) {
  int n_in = tr->n_in, n_out = tr->n_out, classify = mnn_loss_is_classification(tr->loss.kind);
  memset(m, 0, sizeof *m);
  m->bar_margin = m->fem_margin = INFINITY;
  if (n == 0) {
    m->bar = m->fem = NAN;
    return 0;
  }
  for (int j = 0; j < n; ++j) {
    int s = samples[j];
    double f[MNN_TASK_MAX_IO], yb[MNN_TASK_MAX_IO], yf[MNN_TASK_MAX_IO];
    mnn_trainer_forces(tr, s, f);
    if (mnn_trainer_outputs(tr, 1, &s, yb, err)) return -1;
    for (int o = 0; o < n_out; ++o) {
      yf[o] = 0;
      for (int i = 0; i < n_in; ++i) yf[o] += R[o * n_in + i] * f[i];
    }
    if (classify) {
      int label = tr->data->label[s], pb = mnn_loss_predict(n_out, yb), pf = mnn_loss_predict(n_out, yf);
      double a, b;
      m->bar += pb == label;
      m->fem += pf == label;
      m->disagree += pb != pf;
      if (cm_bar) cm_bar[label * n_out + pb] += 1;
      if (cm_fem) cm_fem[label * n_out + pf] += 1;
      top_two(n_out, yb, &a, &b);
      if (pb == label) m->bar_margin = fmin(m->bar_margin, a - b);
      top_two(n_out, yf, &a, &b);
      if (pf == label) m->fem_margin = fmin(m->fem_margin, a - b);
    } else {
      const double *t = tr->data->target + (size_t)s * tr->data->n_targets;
      add_squared_error(n_out, yb, t, &m->bar);
      add_squared_error(n_out, yf, t, &m->fem);
    }
  }
  m->bar /= n;
  m->fem /= n;
  return 0;
}

int mnn_fem_task_record(mnn_trainer *tr, const mnn_split *split, int sample, const double *R, const double *y_bar,
                        const double *y_fem, const double *fem_node_u, mnn_fem_record *fr, mnn_error *err) {
  const mnn_task *task = tr->task;
  const mnn_network *net = tr->net;
  int n_in = tr->n_in, n_out = tr->n_out, classify = mnn_loss_is_classification(tr->loss.kind);
  int fixed = task->data == MNN_DATA_FIXED;
  snprintf(fr->task_kind, sizeof fr->task_kind, "%s", fixed ? "behaviour" : classify ? "classification" : "regression");
  int in_test = 0;
  for (int j = 0; j < split->n_test; ++j) in_test |= split->test[j] == sample;
  snprintf(fr->sample_set, sizeof fr->sample_set, "%s", fixed ? "fixed" : in_test ? "test" : "train");
  /* the sample's loads and the deformation of every node in both models */
  double f[MNN_TASK_MAX_IO], scale = 0;
  mnn_trainer_forces(tr, sample, f);
  fr->n_inputs = n_in;
  for (int i = 0; i < n_in; ++i) {
    fr->input_node[i] = task->inputs[i].node_id, fr->input_component[i] = task->inputs[i].component;
    fr->input_force[i] = f[i];
  }
  size_t ndof = 2 * (size_t)net->n_nodes;
  for (int k = 0; k < net->n_nodes; ++k)
    for (int c = 0; c < 2; ++c) {
      double u = 0;
      for (int i = 0; i < n_in; ++i) u += f[i] * tr->U[(size_t)i * ndof + 2 * (size_t)k + (size_t)c];
      (c ? fr->node_bar_uy : fr->node_bar_ux)[k] = u;
      (c ? fr->node_fem_uy : fr->node_fem_ux)[k] = fem_node_u[3 * k + c];
    }
  for (int o = 0; o < n_out; ++o) scale = fmax(scale, fabs(y_bar[o]));
  fr->output_scale = scale;
  fr->bar_train_metric = fr->fem_train_metric = fr->bar_test_metric = fr->fem_test_metric = NAN;
  fr->bar_margin = fr->fem_margin = NAN;
  if (fixed) {
    if (classify) {
      int label = task->fixed_label;
      double other_b = 0, other_f = 0;
      for (int o = 0; o < n_out; ++o)
        if (o != label) other_b = fmax(other_b, fabs(y_bar[o])), other_f = fmax(other_f, fabs(y_fem[o]));
      fr->bar_margin = fabs(y_bar[label]) - other_b;
      fr->fem_margin = fabs(y_fem[label]) - other_f;
    } else {
      double mb = 0, mf = 0;
      add_squared_error(n_out, y_bar, task->fixed_target, &mb);
      add_squared_error(n_out, y_fem, task->fixed_target, &mf);
      fr->bar_train_metric = mb, fr->fem_train_metric = mf;
    }
    return 0;
  }
  int cm_bar[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO] = {0}, cm_fem[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO] = {0};
  set_metrics train, test;
  if (evaluate_set(tr, split->n_train, split->train, R, NULL, NULL, &train, err) ||
      evaluate_set(tr, split->n_test, split->test, R, cm_bar, cm_fem, &test, err))
    return -1;
  fr->bar_train_metric = train.bar, fr->fem_train_metric = train.fem;
  fr->bar_test_metric = test.bar, fr->fem_test_metric = test.fem;
  if (split->n_test > 0) {
    /* the test metric once more under its kind's own name: the report's summary
     * (test accuracy of both models) and its metrics table (test MSE) read these */
    if (classify) {
      fr->bar_test_accuracy = test.bar, fr->fem_test_accuracy = test.fem;
      fr->has_bar_test_accuracy = fr->has_fem_test_accuracy = 1;
    } else {
      fr->bar_test_mse = test.bar, fr->fem_test_mse = test.fem;
      fr->has_bar_test_mse = fr->has_fem_test_mse = 1;
    }
  }
  if (classify) {
    fr->test_samples = split->n_test, fr->disagreements = test.disagree;
    if (isfinite(test.bar_margin)) fr->bar_margin = test.bar_margin;
    if (isfinite(test.fem_margin)) fr->fem_margin = test.fem_margin;
    fr->classes = n_out;
    for (int c = 0; c < n_out; ++c) {
      const char *name = tr->data->class_names && c < tr->data->n_classes ? tr->data->class_names[c] : NULL;
      if (name) snprintf(fr->class_names[c], sizeof fr->class_names[c], "%s", name);
      else snprintf(fr->class_names[c], sizeof fr->class_names[c], "class %d", c + 1);
    }
    memcpy(fr->confusion_bar, cm_bar, sizeof(int) * (size_t)(n_out * n_out));
    memcpy(fr->confusion_fem, cm_fem, sizeof(int) * (size_t)(n_out * n_out));
  }
  return 0;
}
