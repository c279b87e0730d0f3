/* Multi-fidelity training (mnn_trainer_set_reference): with a reference response
 * R_ref the trainer's outputs at the widths it was set at are R_ref f exactly;
 * after a width change they move by the bar model's change of G; the gradient
 * stays exact (central differences of the corrected loss) and equal on the
 * superposition and per-sample paths; training then drives the corrected model,
 * not the plain one, to the targets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "training.h"
#include "training_test_util.h"

/* A reachable two-output target task on the paper's network: F_y on node 11,
 * u_y of 14 and 13 to -0.7 mm and -0.6 mm (MSE). */
static void make_task(mnn_task *t) {
  mnn_error err;
  mnn_task_preset(t, "behaviour", "left", &err);
  t->loss = MNN_LOSS_MSE;
  t->fixed_target[0] = -0.7e-3;
  t->fixed_target[1] = -0.6e-3;
  t->epochs = 400;
}

int main(void) {
  mnn_error err;
  mnn_rng rng;
  mnn_rng_seed(&rng, 7);
  mnn_network *net = random_network(0, &rng);
  mnn_task task;
  make_task(&task);
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
  CHECK_MSG(tr != NULL, "%s", err.message);
  if (!tr) return mnn_test_finish();
  int s = 0, n_in = tr->n_in, n_out = tr->n_out, nb = net->n_bonds;
  double y0[4], y[4], f[4], G0[4], R_ref[4];

  /* a reference 15% softer plus a cross term the bar model lacks */
  CHECK(mnn_trainer_outputs(tr, 1, &s, y0, &err) == 0);
  memcpy(G0, tr->G, sizeof(double) * n_in * n_out);
  for (int e = 0; e < n_in * n_out; ++e) R_ref[e] = 1.15 * G0[e] + 1e-4 * (e + 1);
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) == 0);
  mnn_trainer_forces(tr, s, f);
  CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0);
  for (int o = 0; o < n_out; ++o) {
    double want = 0;
    for (int i = 0; i < n_in; ++i) want += R_ref[o * n_in + i] * f[i];
    CHECK_CLOSE(y[o], want, 1e-12, 0);
  }
  /* per-sample path: the same corrected outputs */
  tr->per_sample = 1;
  double yp[4];
  CHECK(mnn_trainer_outputs(tr, 1, &s, yp, &err) == 0);
  for (int o = 0; o < n_out; ++o) CHECK_CLOSE(yp[o], y[o], 1e-12, 0);
  tr->per_sample = 0;

  /* setting it again replaces the correction (does not stack) */
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) == 0);
  CHECK(mnn_trainer_outputs(tr, 1, &s, yp, &err) == 0);
  for (int o = 0; o < n_out; ++o) CHECK_CLOSE(yp[o], y[o], 1e-12, 0);

  /* after a width change: G(w) + C, i.e. the plain change added to R_ref */
  net->width[3] *= 1.1;
  mnn_trainer_widths_changed(tr);
  CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0);
  for (int e = 0; e < n_in * n_out; ++e) CHECK_CLOSE(tr->G[e] - tr->C[e], tr->G[e] - (R_ref[e] - G0[e]), 1e-12, 1e-20);
  double C_expected = R_ref[0] - G0[0];
  CHECK_CLOSE(tr->C[0], C_expected, 1e-12, 0);

  /* gradient: both paths, and central differences of the corrected loss */
  double *g1 = malloc(sizeof(double) * nb), *g2 = malloc(sizeof(double) * nb), l1, l2, lp, lm;
  CHECK(mnn_trainer_gradient_superposition(tr, 1, &s, &l1, g1, NULL, &err) == 0);
  CHECK(mnn_trainer_gradient_per_sample(tr, 1, &s, &l2, g2, NULL, &err) == 0);
  CHECK_CLOSE(l1, l2, 1e-12, 0);
  double gmax = 0, worst = 0, fd_worst = 0;
  for (int b = 0; b < nb; ++b) gmax = fmax(gmax, fabs(g1[b]));
  for (int b = 0; b < nb; ++b) worst = fmax(worst, fabs(g1[b] - g2[b]) / gmax);
  CHECK(gmax > 0 && worst < 1e-10);
  for (int b = 0; b < nb; b += 5) {
    double w = net->width[b], h = 1e-6 * w;
    net->width[b] = w + h;
    mnn_trainer_widths_changed(tr);
    mnn_trainer_gradient_superposition(tr, 1, &s, &lp, NULL, NULL, &err);
    net->width[b] = w - h;
    mnn_trainer_widths_changed(tr);
    mnn_trainer_gradient_superposition(tr, 1, &s, &lm, NULL, NULL, &err);
    net->width[b] = w;
    mnn_trainer_widths_changed(tr);
    fd_worst = fmax(fd_worst, fabs((lp - lm) / (2 * h) - g1[b]) / gmax);
  }
  printf("corrected gradient: paths agree to %.2e, central differences to %.2e (of the largest)\n", worst, fd_worst);
  CHECK(fd_worst < 1e-6);

  /* training drives the corrected outputs to targets that the corrected model
   * reaches at other widths w* (so they are reachable), not the plain ones */
  double *w0 = malloc(sizeof(double) * nb);
  memcpy(w0, net->width, sizeof(double) * nb);
  for (int b = 0; b < nb; ++b) net->width[b] = net->width_min + (net->width_max - net->width_min) * mnn_rng_uniform(&rng);
  mnn_trainer_widths_changed(tr);
  double t[4];
  CHECK(mnn_trainer_outputs(tr, 1, &s, t, &err) == 0);
  memcpy(net->width, w0, sizeof(double) * nb);
  mnn_trainer_widths_changed(tr);
  free(w0);
  task.fixed_target[0] = t[0], task.fixed_target[1] = t[1];
  mnn_dataset_free(d);
  d = mnn_task_dataset(&task, &err);
  tr->data = d;
  task.epochs = 1500;
  mnn_split split;
  CHECK(mnn_split_make(1, 1.0, 1, &split, &err) == 0);
  mnn_train_result res;
  CHECK(mnn_train_run(tr, &split, NULL, &res, &err) == 0);
  CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0);
  printf("corrected model after training: u14 %.4f mm, u13 %.4f mm (targets %.4f, %.4f); loss %.3g -> %.3g\n",
         y[0] * 1e3, y[1] * 1e3, t[0] * 1e3, t[1] * 1e3, res.train0.loss, res.train.loss);
  CHECK(fabs(y[0] - t[0]) < 0.01 * fabs(t[0]) && fabs(y[1] - t[1]) < 0.01 * fabs(t[1]));
  CHECK(res.train.loss < 1e-3 * res.train0.loss);

  /* a non-finite reference is refused */
  R_ref[1] = NAN;
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) != 0);
  CHECK_CONTAINS(err.message, "not a finite number");
  /* so is a finite one out of range (1e308 m/N trained to u = -inf and wrote a
   * network), and one a thousand times the bar model's */
  R_ref[1] = 1e308;
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) != 0);
  CHECK_CONTAINS(err.message, "over 1000 times the bar model's largest");
  double g_max = 0;
  for (int e = 0; e < n_in * n_out; ++e) g_max = fmax(g_max, fabs(G0[e]));
  R_ref[1] = -1001 * g_max;
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) != 0);
  R_ref[1] = -10 * g_max; /* far off, but a response of this magnitude is not refused */
  CHECK(mnn_trainer_set_reference(tr, R_ref, &err) == 0);

  mnn_split_free(&split);
  free(g1);
  free(g2);
  mnn_trainer_free(tr);
  mnn_dataset_free(d);
  mnn_network_free(net);
  return mnn_test_finish();
}
