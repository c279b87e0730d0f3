/* Adam with bounded widths: the chain rule dL/dtheta against central
 * differences of the width map, a first step checked by hand, widths never
 * leaving [w_min, w_max] under large and adversarial gradients (both bound
 * kinds), and a start from widths on the bounds. */
#include <math.h>
#include "training.h"
#include "test_util.h"

#define N 12

static void check_chain_rule(mnn_bound_kind kind) {
  mnn_error err;
  mnn_adam_settings s;
  mnn_adam_defaults(&s);
  s.bound = kind;
  s.steepness = 7;
  double w[N], gw[N], gt[N], wp[N], wm[N];
  mnn_rng rng;
  mnn_rng_seed(&rng, 3);
  for (int i = 0; i < N; ++i) {
    w[i] = 0.0016 + 0.0008 * mnn_rng_uniform(&rng);
    gw[i] = mnn_rng_uniform(&rng) - 0.5;
  }
  mnn_adam *a = mnn_adam_create(&s, N, w, 0.0015, 0.0025, &err);
  CHECK(a != NULL);
  mnn_adam_grad_theta(a, gw, gt);
  for (int i = 0; i < N; ++i) {
    double t0 = a->theta[i], h = 1e-6;
    a->theta[i] = t0 + h;
    mnn_adam_widths(a, wp);
    a->theta[i] = t0 - h;
    mnn_adam_widths(a, wm);
    a->theta[i] = t0;
    double dwdt = (wp[i] - wm[i]) / (2 * h);
    CHECK_CLOSE(gt[i], gw[i] * dwdt, 1e-7, 1e-18);
  }
  /* the map reproduces the starting widths */
  mnn_adam_widths(a, wp);
  for (int i = 0; i < N; ++i) CHECK_CLOSE(wp[i], w[i], 1e-12, 0);
  mnn_adam_free(a);
}

static void check_first_step(void) {
  mnn_error err;
  mnn_adam_settings s;
  mnn_adam_defaults(&s);
  s.bound = MNN_BOUND_PROJECT;
  s.lr = 0.01;
  double w[2] = {0.002, 0.002}, g[2] = {3.0, -1e-3}, scratch[2];
  mnn_adam *a = mnn_adam_create(&s, 2, w, 0.0015, 0.0025, &err);
  mnn_adam_step(a, g, scratch);
  /* first bias-corrected step: theta -= lr * g / (|g| + eps) = -+lr (theta = 0.5 at 2 mm) */
  CHECK_CLOSE(a->theta[0], 0.5 - 0.01 * 3e-3 / (3e-3 + 1e-8), 1e-12, 0);
  CHECK_CLOSE(a->theta[1], 0.5 + 0.01 * 1e-6 / (1e-6 + 1e-8), 1e-12, 0);
  mnn_adam_free(a);
}

static void check_bounds(mnn_bound_kind kind) {
  mnn_error err;
  mnn_adam_settings s;
  mnn_adam_defaults(&s);
  s.bound = kind;
  s.lr = 0.5;
  double w[N], g[N], scratch[N];
  mnn_rng rng;
  mnn_rng_seed(&rng, 11);
  for (int i = 0; i < N; ++i) w[i] = i % 3 == 0 ? 0.0015 : i % 3 == 1 ? 0.0025 : 0.002; /* on the bounds too */
  mnn_adam *a = mnn_adam_create(&s, N, w, 0.0015, 0.0025, &err);
  CHECK(a != NULL);
  int outside = 0;
  for (int step = 0; step < 3000; ++step) {
    for (int i = 0; i < N; ++i) g[i] = (mnn_rng_uniform(&rng) - (i % 2 ? 0.1 : 0.9)) * pow(10.0, (step % 13) - 6);
    mnn_adam_step(a, g, scratch);
    mnn_adam_widths(a, w);
    for (int i = 0; i < N; ++i) outside += !(w[i] >= 0.0015 && w[i] <= 0.0025);
  }
  CHECK_MSG(outside == 0, "%d widths left [1.5, 2.5] mm", outside);
  mnn_adam_free(a);
}

int main(void) {
  check_chain_rule(MNN_BOUND_SIGMOID);
  check_chain_rule(MNN_BOUND_PROJECT);
  check_first_step();
  check_bounds(MNN_BOUND_SIGMOID);
  check_bounds(MNN_BOUND_PROJECT);
  mnn_error err;
  mnn_adam_settings s;
  mnn_adam_defaults(&s);
  s.lr = -1;
  double w = 0.002;
  CHECK(mnn_adam_create(&s, 1, &w, 0.0015, 0.0025, &err) == NULL);
  CHECK_CONTAINS(err.message, "lr");
  mnn_adam_defaults(&s);
  CHECK(mnn_adam_create(&s, 1, &w, 0.0025, 0.0015, &err) == NULL);
  CHECK_CONTAINS(err.message, "width bounds");
  return mnn_test_finish();
}
