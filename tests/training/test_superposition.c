/* Superposition against the per-sample reference: the same loss and the same
 * gradient (1e-10 relative) for whole data sets and mini-batches, on the paper's
 * tasks and on random tasks of a larger lattice; and the solve counts: the
 * superposition path needs (inputs + outputs) solves per gradient, whatever the
 * batch size, the reference 2 per sample. */
#include <math.h>
#include <stdlib.h>
#include "test_util.h"
#include "training.h"
#include "training_test_util.h"

static void compare(mnn_network *net, const mnn_task *task, const mnn_dataset *d, int n, const int *idx,
                    const char *what) {
  mnn_error err;
  mnn_trainer *tr = mnn_trainer_create(net, task, d, &err);
  CHECK_MSG(tr != NULL, "%s: %s", what, tr ? "" : err.message);
  if (!tr) return;
  int nb = net->n_bonds;
  double *g1 = malloc(nb * sizeof(double)), *g2 = malloc(nb * sizeof(double));
  double *k1 = malloc(nb * sizeof(double)), *k2 = malloc(nb * sizeof(double)), l1, l2;
  long s0 = mnn_bar_solver_n_solves(tr->solver);
  CHECK(mnn_trainer_gradient_superposition(tr, n, idx, &l1, g1, k1, &err) == 0);
  long s1 = mnn_bar_solver_n_solves(tr->solver);
  CHECK(mnn_trainer_gradient_per_sample(tr, n, idx, &l2, g2, k2, &err) == 0);
  long s2 = mnn_bar_solver_n_solves(tr->solver);
  CHECK_MSG(s1 - s0 == task->n_inputs + task->n_outputs, "%s: %ld solves by superposition", what, s1 - s0);
  CHECK_MSG(s2 - s1 == 2L * n, "%s: %ld solves per sample path for %d samples", what, s2 - s1, n);
  CHECK_CLOSE(l1, l2, 1e-12, 0);
  double gmax = 0, worst = 0;
  for (int b = 0; b < nb; ++b) gmax = fmax(gmax, fabs(g2[b]));
  for (int b = 0; b < nb; ++b) worst = fmax(worst, fabs(g1[b] - g2[b]) / gmax);
  CHECK_MSG(gmax > 0 && worst <= 1e-10, "%s: max relative gradient difference %.3g", what, worst);
  for (int b = 0; b < nb; ++b) CHECK_CLOSE(g1[b], k1[b] * mnn_bond_dstiffness_dwidth(net, b), 1e-14, 0);
  printf("%-34s %4d samples: superposition %ld solves, per-sample %ld; max rel. gradient difference %.2e\n", what, n,
         s1 - s0, s2 - s1, worst);
  free(g1);
  free(g2);
  free(k1);
  free(k2);
  mnn_trainer_free(tr);
}

static void preset(const char *name, const char *variant, int batch, mnn_rng *rng) {
  mnn_error err;
  mnn_network *net = random_network(0, rng);
  mnn_task task;
  mnn_task_preset(&task, name, variant, &err);
  if (task.data == MNN_DATA_CSV) {
    const char *src = getenv("MNN_SOURCE_DIR");
    snprintf(task.csv_path, sizeof task.csv_path, "%s/cases/data/iris.csv", src ? src : ".");
  }
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  CHECK_MSG(d != NULL, "%s", d ? "" : err.message);
  if (!d) exit(1);
  int n = batch > 0 && batch < d->n_samples ? batch : d->n_samples;
  int *idx = malloc(n * sizeof(int));
  for (int j = 0; j < n; ++j) idx[j] = (int)mnn_rng_below(rng, (uint64_t)d->n_samples);
  char what[64];
  snprintf(what, sizeof what, "%s%s%s batch %d", name, variant ? " " : "", variant ? variant : "", n);
  compare(net, &task, d, n, idx, what);
  free(idx);
  mnn_dataset_free(d);
  mnn_network_free(net);
}

static void random_task(mnn_loss_kind kind, mnn_rng *rng) {
  mnn_network *net = random_network(1, rng);
  mnn_task task;
  mnn_task_defaults(&task);
  task.loss = kind;
  task.softmax_length = 3e-4;
  task.n_inputs = 5;
  task.n_outputs = 4;
  int nodes[9], comps[9];
  random_free_dofs(net, rng, 9, nodes, comps);
  for (int i = 0; i < 5; ++i) task.inputs[i] = (mnn_task_input){nodes[i], comps[i], -0.03 * (i + 1)};
  for (int o = 0; o < 4; ++o) task.outputs[o] = (mnn_task_output){nodes[5 + o], comps[5 + o]};
  int classify = mnn_loss_is_classification(kind), n = 50;
  mnn_dataset *d = mnn_dataset_create(n, 5, classify ? 0 : 4, classify);
  for (int s = 0; s < n; ++s) {
    for (int i = 0; i < 5; ++i) d->x[s * 5 + i] = mnn_rng_uniform(rng) - 0.3;
    if (classify) d->label[s] = (int)mnn_rng_below(rng, 4);
    else
      for (int o = 0; o < 4; ++o) d->target[s * 4 + o] = (mnn_rng_uniform(rng) - 0.5) * 1e-3;
  }
  d->n_classes = classify ? 4 : 0;
  int idx[50];
  for (int j = 0; j < n; ++j) idx[j] = j;
  char what[64];
  snprintf(what, sizeof what, "random 5-in 4-out %s", mnn_loss_name(kind));
  compare(net, &task, d, n, idx, what);
  mnn_dataset_free(d);
  mnn_network_free(net);
}

int main(void) {
  mnn_rng rng;
  mnn_rng_seed(&rng, 7);
  preset("iris", NULL, 0, &rng);
  preset("iris", NULL, 16, &rng);
  preset("regression", NULL, 0, &rng);
  preset("regression", "noisy", 16, &rng);
  preset("behaviour", "left", 0, &rng);
  preset("behaviour", "right", 0, &rng);
  preset("fig1", NULL, 0, &rng);
  for (int k = MNN_LOSS_MSE; k <= MNN_LOSS_CE_SOFTMAX; ++k) random_task((mnn_loss_kind)k, &rng);
  return mnn_test_finish();
}
