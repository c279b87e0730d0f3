/* Gradients (superposition and per-sample reference), evaluation and the Adam
 * training loop; see train.h for the superposition algebra. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "adam.h"
#include "log.h"
#include "rng.h"

void mnn_trainer_free(mnn_trainer *tr) {
  if (!tr) return;
  mnn_bar_solver_free(tr->solver);
  free(tr->k);
  free(tr->U);
  free(tr->E);
  free(tr->work_u);
  free(tr->work_e);
  free(tr->work_a);
  free(tr);
}

mnn_trainer *mnn_trainer_create(mnn_network *net, const mnn_task *task, const mnn_dataset *data, mnn_error *err) {
  if (mnn_task_check(task, net, err)) return NULL;
  int classify = mnn_loss_is_classification(task->loss);
  if (data->n_features != task->n_inputs) {
    mnn_fail(err, "task %s: %d inputs but the data have %d features per sample", task->name, task->n_inputs,
             data->n_features);
    return NULL;
  }
  if (classify && !data->label) {
    mnn_fail(err, "task %s: a cross-entropy loss needs class labels in the data", task->name);
    return NULL;
  }
  if (!classify && data->n_targets != task->n_outputs) {
    mnn_fail(err, "task %s: %d outputs but the data have %d targets per sample", task->name, task->n_outputs,
             data->n_targets);
    return NULL;
  }
  if (classify)
    for (int s = 0; s < data->n_samples; ++s)
      if (data->label[s] < 0 || data->label[s] >= task->n_outputs) {
        mnn_fail(err, "task %s: sample %d has class %d but there are only %d outputs", task->name, s + 1,
                 data->label[s] + 1, task->n_outputs);
        return NULL;
      }
  mnn_trainer *tr = calloc(1, sizeof *tr);
  if (!tr) {
    mnn_fail(err, "out of memory");
    return NULL;
  }
  tr->net = net;
  tr->task = task;
  tr->data = data;
  tr->loss = (mnn_loss){task->loss, task->n_outputs, task->softmax_length};
  tr->n_in = task->n_inputs;
  tr->n_out = task->n_outputs;
  for (int i = 0; i < tr->n_in; ++i) {
    tr->in_dof[i] = 2 * mnn_network_node_index(net, task->inputs[i].node_id) + task->inputs[i].component;
    tr->in_scale[i] = task->inputs[i].scale;
  }
  for (int o = 0; o < tr->n_out; ++o)
    tr->out_dof[o] = 2 * mnn_network_node_index(net, task->outputs[o].node_id) + task->outputs[o].component;
  size_t ndof = 2 * (size_t)net->n_nodes, nb = (size_t)net->n_bonds, m = (size_t)(tr->n_in + tr->n_out);
  tr->k = malloc((nb + 1) * sizeof(double));
  tr->U = malloc((ndof * m + 1) * sizeof(double));
  tr->E = malloc((nb * m + 1) * sizeof(double));
  tr->work_u = malloc((ndof + 1) * sizeof(double));
  tr->work_e = malloc((ndof + 1) * sizeof(double));
  tr->work_a = malloc((3 * nb + 1) * sizeof(double));
  if (!tr->k || !tr->U || !tr->E || !tr->work_u || !tr->work_e || !tr->work_a) {
    mnn_trainer_free(tr);
    mnn_fail(err, "out of memory");
    return NULL;
  }
  tr->solver = mnn_bar_solver_create(net, err);
  if (!tr->solver) {
    mnn_trainer_free(tr);
    return NULL;
  }
  return tr;
}

void mnn_trainer_widths_changed(mnn_trainer *tr) { tr->fresh = 0; }

void mnn_trainer_forces(const mnn_trainer *tr, int s, double *f) {
  const double *x = tr->data->x + (size_t)s * tr->data->n_features;
  for (int i = 0; i < tr->n_in; ++i) f[i] = tr->in_scale[i] * x[i];
}

static const double *sample_target(const mnn_trainer *tr, int s) {
  return tr->data->target ? tr->data->target + (size_t)s * tr->data->n_targets : NULL;
}
static int sample_label(const mnn_trainer *tr, int s) { return tr->data->label ? tr->data->label[s] : 0; }

/* fresh == 1: factored; fresh == 2: factored and unit responses solved. */
static int ensure_factor(mnn_trainer *tr, mnn_error *err) {
  if (tr->fresh >= 1) return 0;
  mnn_network_stiffnesses(tr->net, tr->k);
  if (mnn_bar_solver_factor(tr->solver, tr->k, err)) return -1;
  tr->fresh = 1;
  return 0;
}

static int ensure_responses(mnn_trainer *tr, mnn_error *err) {
  if (tr->fresh >= 2) return 0;
  if (ensure_factor(tr, err)) return -1;
  int ndof = 2 * tr->net->n_nodes, m = tr->n_in + tr->n_out;
  memset(tr->U, 0, (size_t)ndof * m * sizeof(double));
  for (int i = 0; i < tr->n_in; ++i) tr->U[(size_t)i * ndof + tr->in_dof[i]] = 1.0;
  for (int o = 0; o < tr->n_out; ++o) tr->U[(size_t)(tr->n_in + o) * ndof + tr->out_dof[o]] = 1.0;
  if (mnn_bar_solver_solve(tr->solver, m, tr->U, tr->U, err)) return -1;
  mnn_bar_elongations(tr->net, m, tr->U, tr->E);
  for (int o = 0; o < tr->n_out; ++o)
    for (int i = 0; i < tr->n_in; ++i)
      tr->G[o * tr->n_in + i] = tr->U[(size_t)i * ndof + tr->out_dof[o]] + (tr->corrected ? tr->C[o * tr->n_in + i] : 0);
  tr->fresh = 2;
  return 0;
}

void mnn_trainer_set_correction(mnn_trainer *tr, const double *C) {
  tr->corrected = C != NULL;
  if (C) memcpy(tr->C, C, sizeof(double) * (size_t)tr->n_in * tr->n_out);
  tr->fresh = 0;
}

int mnn_trainer_set_reference(mnn_trainer *tr, const double *R_ref, mnn_error *err) {
  int n = tr->n_in * tr->n_out;
  for (int e = 0; e < n; ++e)
    if (!isfinite(R_ref[e]))
      return mnn_fail(err, "reference response of output %d to input %d is not a finite number", e / tr->n_in + 1,
                      e % tr->n_in + 1);
  tr->corrected = 0;
  tr->fresh = 0; /* G without any earlier correction */
  if (ensure_responses(tr, err)) return -1;
  /* a plausibility bound, not a fit: the FEM of the same network differs from
   * the bar model by tens of percent, never by a factor of a thousand */
  double g_max = 0;
  for (int e = 0; e < n; ++e) g_max = fmax(g_max, fabs(tr->G[e]));
  for (int e = 0; e < n; ++e)
    if (fabs(R_ref[e]) > 1e3 * g_max)
      return mnn_fail(err, "reference response of output %d to input %d is %g m/N, over 1000 times the bar model's "
                      "largest (%g m/N): it is not a response of this network: check the file",
                      e / tr->n_in + 1, e % tr->n_in + 1, R_ref[e], g_max);
  for (int e = 0; e < n; ++e) tr->C[e] = R_ref[e] - tr->G[e];
  tr->corrected = 1;
  tr->fresh = 0;
  return 0;
}

int mnn_trainer_response(mnn_trainer *tr, double *G, mnn_error *err) {
  if (ensure_responses(tr, err)) return -1;
  memcpy(G, tr->G, sizeof(double) * (size_t)tr->n_in * tr->n_out);
  return 0;
}

/* Outputs of one sample by a solve (the per-sample path); leaves u in work_u. */
static int solve_sample(mnn_trainer *tr, int s, double *y, mnn_error *err) {
  int ndof = 2 * tr->net->n_nodes;
  double f[MNN_TASK_MAX_IO];
  mnn_trainer_forces(tr, s, f);
  double *u = tr->work_u;
  memset(u, 0, (size_t)ndof * sizeof(double));
  for (int i = 0; i < tr->n_in; ++i) u[tr->in_dof[i]] += f[i];
  if (mnn_bar_solver_solve(tr->solver, 1, u, u, err)) return -1;
  for (int o = 0; o < tr->n_out; ++o) {
    y[o] = u[tr->out_dof[o]];
    for (int i = 0; i < tr->n_in && tr->corrected; ++i) y[o] += tr->C[o * tr->n_in + i] * f[i];
  }
  return 0;
}

static void superposed_outputs(const mnn_trainer *tr, const double *f, double *y) {
  for (int o = 0; o < tr->n_out; ++o) {
    double v = 0;
    for (int i = 0; i < tr->n_in; ++i) v += tr->G[o * tr->n_in + i] * f[i];
    y[o] = v;
  }
}

int mnn_trainer_outputs(mnn_trainer *tr, int n, const int *samples, double *y, mnn_error *err) {
  if (tr->per_sample) {
    if (ensure_factor(tr, err)) return -1;
    for (int j = 0; j < n; ++j)
      if (solve_sample(tr, samples[j], y + (size_t)j * tr->n_out, err)) return -1;
    return 0;
  }
  if (ensure_responses(tr, err)) return -1;
  double f[MNN_TASK_MAX_IO];
  for (int j = 0; j < n; ++j) {
    mnn_trainer_forces(tr, samples[j], f);
    superposed_outputs(tr, f, y + (size_t)j * tr->n_out);
  }
  return 0;
}

int mnn_trainer_gradient_superposition(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w,
                                       double *grad_k, mnn_error *err) {
  if (ensure_responses(tr, err)) return -1;
  int n_in = tr->n_in, n_out = tr->n_out, nb = tr->net->n_bonds;
  double M[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO] = {0}, f[MNN_TASK_MAX_IO], y[MNN_TASK_MAX_IO], g[MNN_TASK_MAX_IO];
  double total = 0, inv_n = 1.0 / n;
  for (int j = 0; j < n; ++j) {
    int s = samples[j];
    mnn_trainer_forces(tr, s, f);
    superposed_outputs(tr, f, y);
    total += mnn_loss_sample(&tr->loss, y, sample_target(tr, s), sample_label(tr, s), g);
    for (int o = 0; o < n_out; ++o)
      for (int i = 0; i < n_in; ++i) M[o * n_in + i] += g[o] * inv_n * f[i];
  }
  *loss = total * inv_n;
  if (!grad_w && !grad_k) return 0;
  double *gk = grad_k ? grad_k : tr->work_a;
  memset(gk, 0, (size_t)nb * sizeof(double));
  for (int o = 0; o < n_out; ++o) {
    const double *ev = tr->E + (size_t)(n_in + o) * nb;
    for (int i = 0; i < n_in; ++i) {
      double c = -M[o * n_in + i];
      if (c == 0) continue;
      const double *eu = tr->E + (size_t)i * nb;
      for (int b = 0; b < nb; ++b) gk[b] += c * ev[b] * eu[b];
    }
  }
  if (grad_w) mnn_bar_gradient_w(tr->net, gk, grad_w);
  return 0;
}

int mnn_trainer_gradient_per_sample(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w,
                                    double *grad_k, mnn_error *err) {
  if (ensure_factor(tr, err)) return -1;
  int ndof = 2 * tr->net->n_nodes, nb = tr->net->n_bonds;
  double y[MNN_TASK_MAX_IO], g[MNN_TASK_MAX_IO], total = 0, inv_n = 1.0 / n;
  double *gk = grad_k ? grad_k : tr->work_a, *e = tr->work_a + nb;
  if (grad_w || grad_k) memset(gk, 0, (size_t)nb * sizeof(double));
  for (int j = 0; j < n; ++j) {
    int s = samples[j];
    if (solve_sample(tr, s, y, err)) return -1;
    total += mnn_loss_sample(&tr->loss, y, sample_target(tr, s), sample_label(tr, s), g);
    if (!grad_w && !grad_k) continue;
    /* adjoint: D u_adj = -dL/du, dL/du nonzero only at the outputs */
    double *ua = tr->work_e;
    memset(ua, 0, (size_t)ndof * sizeof(double));
    for (int o = 0; o < tr->n_out; ++o) ua[tr->out_dof[o]] -= g[o] * inv_n;
    if (mnn_bar_solver_solve(tr->solver, 1, ua, ua, err)) return -1;
    double *eadj = e + nb;
    mnn_bar_elongations(tr->net, 1, tr->work_u, e);
    mnn_bar_elongations(tr->net, 1, ua, eadj);
    mnn_bar_gradient_k(nb, 1, e, eadj, gk, 1);
  }
  *loss = total * inv_n;
  if (grad_w) mnn_bar_gradient_w(tr->net, gk, grad_w);
  return 0;
}

int mnn_trainer_gradient(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w, mnn_error *err) {
  return tr->per_sample ? mnn_trainer_gradient_per_sample(tr, n, samples, loss, grad_w, NULL, err)
                        : mnn_trainer_gradient_superposition(tr, n, samples, loss, grad_w, NULL, err);
}

int mnn_trainer_evaluate(mnn_trainer *tr, int n, const int *samples, mnn_eval *ev, int *confusion, mnn_error *err) {
  int n_out = tr->n_out, classify = mnn_loss_is_classification(tr->loss.kind);
  ev->n = n;
  ev->loss = ev->accuracy = ev->mse = NAN;
  if (confusion) memset(confusion, 0, (size_t)n_out * n_out * sizeof(int));
  if (n == 0) return 0;
  double y[MNN_TASK_MAX_IO], f[MNN_TASK_MAX_IO], total = 0, sq = 0;
  int correct = 0;
  if (tr->per_sample ? ensure_factor(tr, err) : ensure_responses(tr, err)) return -1;
  for (int j = 0; j < n; ++j) {
    int s = samples[j];
    if (tr->per_sample) {
      if (solve_sample(tr, s, y, err)) return -1;
    } else {
      mnn_trainer_forces(tr, s, f);
      superposed_outputs(tr, f, y);
    }
    const double *t = sample_target(tr, s);
    int label = sample_label(tr, s);
    total += mnn_loss_sample(&tr->loss, y, t, label, NULL);
    if (classify) {
      int p = mnn_loss_predict(n_out, y);
      correct += p == label;
      if (confusion) confusion[label * n_out + p] += 1;
    } else {
      for (int o = 0; o < n_out; ++o) sq += (y[o] - t[o]) * (y[o] - t[o]);
    }
  }
  ev->loss = total / n;
  if (classify) ev->accuracy = (double)correct / n;
  else ev->mse = sq / ((double)n * n_out);
  return 0;
}

void mnn_train_history_header(const mnn_trainer *tr, FILE *fp) {
  if (mnn_loss_is_classification(tr->loss.kind)) fprintf(fp, "epoch,loss,test_loss,train_accuracy,test_accuracy\n");
  else fprintf(fp, "epoch,loss,test_loss,train_mse,test_mse\n");
}

void mnn_train_history_row(const mnn_trainer *tr, FILE *fp, int epoch, const mnn_eval *train, const mnn_eval *test) {
  int classify = mnn_loss_is_classification(tr->loss.kind);
  fprintf(fp, "%d,%.10g,%.10g,%.10g,%.10g\n", epoch, train->loss, test->loss,
          classify ? train->accuracy : train->mse, classify ? test->accuracy : test->mse);
}

static void progress(const mnn_trainer *tr, int epoch, int epochs, const mnn_eval *train, const mnn_eval *test) {
  int classify = mnn_loss_is_classification(tr->loss.kind);
  if (classify)
    mnn_info("%s: epoch %d/%d  loss %.6g  train accuracy %.4f  test accuracy %.4f", tr->task->name, epoch, epochs,
             train->loss, train->accuracy, test->accuracy);
  else
    mnn_info("%s: epoch %d/%d  loss %.6g  train mse %.4g m^2  test mse %.4g m^2", tr->task->name, epoch, epochs,
             train->loss, train->mse, test->mse);
}

int mnn_train_run(mnn_trainer *tr, const mnn_split *split, FILE *history, mnn_train_result *res, mnn_error *err) {
  return mnn_train_run_epochs(tr, split, tr->task->epochs, history, res, err);
}

int mnn_train_run_epochs(mnn_trainer *tr, const mnn_split *split, int epochs, FILE *history, mnn_train_result *res,
                         mnn_error *err) {
  const mnn_task *task = tr->task;
  mnn_network *net = tr->net;
  int nb = net->n_bonds, rc = -1;
  double t0 = mnn_now();
  long f0 = mnn_bar_solver_n_factorisations(tr->solver), s0 = mnn_bar_solver_n_solves(tr->solver);
  memset(res, 0, sizeof *res);
  mnn_adam *adam = mnn_adam_create(&task->adam, nb, net->width, net->width_min, net->width_max, err);
  double *grad = malloc(((size_t)nb + 1) * sizeof(double)), *scratch = malloc(((size_t)nb + 1) * sizeof(double));
  int *order = malloc(((size_t)split->n_train + 1) * sizeof(int));
  if (!adam || !grad || !scratch || !order) {
    if (adam) mnn_fail(err, "out of memory");
    goto done;
  }
  mnn_adam_widths(adam, net->width);
  mnn_trainer_widths_changed(tr);
  mnn_rng rng;
  mnn_rng_seed(&rng, mnn_task_seed_batches(task));
  memcpy(order, split->train, (size_t)split->n_train * sizeof(int));
  int report = task->report_every > 0 ? task->report_every : (epochs >= 10 ? epochs / 10 : 1);
  mnn_eval train, test;
  if (mnn_trainer_evaluate(tr, split->n_train, split->train, &train, NULL, err) ||
      mnn_trainer_evaluate(tr, split->n_test, split->test, &test, NULL, err))
    goto done;
  res->train0 = train;
  res->test0 = test;
  if (history) {
    mnn_train_history_header(tr, history);
    mnn_train_history_row(tr, history, 0, &train, &test);
  }
  progress(tr, 0, epochs, &train, &test);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    mnn_rng_shuffle(&rng, order, split->n_train);
    for (int start = 0; start < split->n_train; start += task->batch_size) {
      int n = split->n_train - start < task->batch_size ? split->n_train - start : task->batch_size;
      double loss;
      if (mnn_trainer_gradient(tr, n, order + start, &loss, grad, err)) {
        mnn_error_prefix(err, "epoch %d", epoch);
        goto done;
      }
      mnn_adam_step(adam, grad, scratch);
      mnn_adam_widths(adam, net->width);
      mnn_trainer_widths_changed(tr);
      res->updates += 1;
    }
    if (mnn_trainer_evaluate(tr, split->n_train, split->train, &train, NULL, err) ||
        mnn_trainer_evaluate(tr, split->n_test, split->test, &test, NULL, err))
      goto done;
    if (!isfinite(train.loss)) { /* never hand on a network trained into overflow */
      mnn_fail(err, "epoch %d: the training loss is %g: the inputs are out of range or lr is too large", epoch,
               train.loss);
      goto done;
    }
    if (history) mnn_train_history_row(tr, history, epoch, &train, &test);
    if (epoch % report == 0 || epoch == epochs) progress(tr, epoch, epochs, &train, &test);
  }
  res->train = train;
  res->test = test;
  rc = 0;
done:
  res->factorisations = mnn_bar_solver_n_factorisations(tr->solver) - f0;
  res->solves = mnn_bar_solver_n_solves(tr->solver) - s0;
  res->seconds = mnn_now() - t0;
  mnn_adam_free(adam);
  free(grad);
  free(scratch);
  free(order);
  return rc;
}
