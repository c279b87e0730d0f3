/* Losses: exact derivatives dl/dy against central differences, and the full
 * gradient dL/dw (adjoint, superposition) of every loss kind against central
 * differences of the loss on random networks with random inputs and outputs. */
#include <math.h>
#include <stdlib.h>
#include "test_util.h"
#include "training.h"
#include "training_test_util.h"

static void check_dldy(mnn_loss_kind kind, mnn_rng *rng) {
  mnn_loss loss = {kind, 3, 2e-4};
  double y[3], t[3], g[3];
  for (int trial = 0; trial < 20; ++trial) {
    for (int o = 0; o < 3; ++o) {
      y[o] = (mnn_rng_uniform(rng) - 0.5) * 2e-3;
      t[o] = (mnn_rng_uniform(rng) - 0.5) * 2e-3;
    }
    int label = (int)mnn_rng_below(rng, 3);
    mnn_loss_sample(&loss, y, t, label, g);
    for (int o = 0; o < 3; ++o) {
      double h = 1e-9, y0 = y[o];
      y[o] = y0 + h;
      double lp = mnn_loss_sample(&loss, y, t, label, NULL);
      y[o] = y0 - h;
      double lm = mnn_loss_sample(&loss, y, t, label, NULL);
      y[o] = y0;
      double fd = (lp - lm) / (2 * h), scale = fabs(g[0]) + fabs(g[1]) + fabs(g[2]);
      CHECK_CLOSE(g[o], fd, 1e-6, 1e-6 * scale);
    }
  }
}

/* dL/dw of a task on a random network against central differences in w. */
static void check_gradient(mnn_loss_kind kind, int which_net, mnn_rng *rng) {
  mnn_error err;
  mnn_network *net = random_network(which_net, rng);
  mnn_task task;
  mnn_task_defaults(&task);
  task.loss = kind;
  task.softmax_length = 2e-4;
  task.n_inputs = 3;
  task.n_outputs = 3;
  int nodes[6], comps[6];
  random_free_dofs(net, rng, 6, nodes, comps);
  for (int i = 0; i < 3; ++i) task.inputs[i] = (mnn_task_input){nodes[i], comps[i], -0.05};
  for (int o = 0; o < 3; ++o) task.outputs[o] = (mnn_task_output){nodes[3 + o], comps[3 + o]};
  int classify = mnn_loss_is_classification(kind), n = 7;
  mnn_dataset *d = mnn_dataset_create(n, 3, classify ? 0 : 3, classify);
  for (int s = 0; s < n; ++s) {
    for (int i = 0; i < 3; ++i) d->x[s * 3 + i] = mnn_rng_uniform(rng);
    if (classify) d->label[s] = (int)mnn_rng_below(rng, 3);
    else
      for (int o = 0; o < 3; ++o) d->target[s * 3 + o] = (mnn_rng_uniform(rng) - 0.5) * 1e-3;
  }
  if (classify) d->n_classes = 3;
  mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
  CHECK_MSG(tr != NULL, "%s", err.message);
  if (!tr) exit(1);
  int idx[7] = {0, 1, 2, 3, 4, 5, 6};
  double *g = malloc(net->n_bonds * sizeof(double)), loss, gmax = 0;
  CHECK(mnn_trainer_gradient(tr, n, idx, &loss, g, &err) == 0);
  for (int b = 0; b < net->n_bonds; ++b) gmax = fmax(gmax, fabs(g[b]));
  CHECK(gmax > 0);
  double worst = 0;
  for (int b = 0; b < net->n_bonds; ++b) {
    double w0 = net->width[b], h = 1e-5 * w0, lp, lm;
    net->width[b] = w0 + h;
    mnn_trainer_widths_changed(tr);
    mnn_trainer_gradient(tr, n, idx, &lp, NULL, &err);
    net->width[b] = w0 - h;
    mnn_trainer_widths_changed(tr);
    mnn_trainer_gradient(tr, n, idx, &lm, NULL, &err);
    net->width[b] = w0;
    mnn_trainer_widths_changed(tr);
    double fd = (lp - lm) / (2 * h);
    worst = fmax(worst, fabs(fd - g[b]) / gmax);
  }
  CHECK_MSG(worst <= 1e-6, "loss %s, network %d: max |fd - adjoint| / max|g| = %.3g", mnn_loss_name(kind), which_net,
            worst);
  printf("loss %-8s network %d: %d bonds, max relative deviation from central differences %.2e\n",
         mnn_loss_name(kind), which_net, net->n_bonds, worst);
  free(g);
  mnn_trainer_free(tr);
  mnn_dataset_free(d);
  mnn_network_free(net);
}

/* The Fig. 1 loss on the paper's network: its value matches docs/model.md's check. */
static void check_fig1(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  mnn_task task;
  CHECK(mnn_task_preset(&task, "fig1", NULL, &err) == 0);
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
  CHECK_MSG(tr != NULL, "%s", err.message);
  int idx = 0;
  double y, loss;
  CHECK(mnn_trainer_outputs(tr, 1, &idx, &y, &err) == 0);
  CHECK_CLOSE(y, -0.80521e-3, 1e-5, 0);
  CHECK(mnn_trainer_gradient(tr, 1, &idx, &loss, NULL, &err) == 0);
  CHECK_CLOSE(loss, (y + 0.025) * (y + 0.025), 1e-14, 0);
  mnn_trainer_free(tr);
  mnn_dataset_free(d);
  mnn_network_free(net);
}

int main(void) {
  mnn_rng rng;
  mnn_rng_seed(&rng, 42);
  for (int k = MNN_LOSS_MSE; k <= MNN_LOSS_CE_SOFTMAX; ++k) check_dldy((mnn_loss_kind)k, &rng);
  for (int k = MNN_LOSS_MSE; k <= MNN_LOSS_CE_SOFTMAX; ++k)
    for (int which = 0; which < 2; ++which)
      for (int rep = 0; rep < 3; ++rep) check_gradient((mnn_loss_kind)k, which, &rng);
  check_fig1();
  /* names round-trip */
  for (int k = MNN_LOSS_MSE; k <= MNN_LOSS_CE_SOFTMAX; ++k) CHECK(mnn_loss_from_name(mnn_loss_name(k)) == k);
  CHECK(mnn_loss_from_name("nope") == -1);
  return mnn_test_finish();
}
