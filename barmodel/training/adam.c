/* Adam with bounded widths (sigmoid reparametrisation or projection); adam.h. */
#include "adam.h"

#include <math.h>
#include <stdlib.h>

void mnn_adam_defaults(mnn_adam_settings *s) {
  s->lr = 0.005;
  s->beta1 = 0.9;
  s->beta2 = 0.999;
  s->eps = 1e-8;
  s->bound = MNN_BOUND_SIGMOID;
  s->steepness = 10;
  s->start_margin = 1e-3;
}

static double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

void mnn_adam_free(mnn_adam *a) {
  if (!a) return;
  free(a->theta);
  free(a->m);
  free(a->v);
  free(a);
}

int mnn_adam_check(const mnn_adam_settings *s, mnn_error *err) {
  if (!(s->lr > 0 && s->lr <= 1e6))
    return mnn_fail(err, "lr %g: must be > 0 (and at most 1e6): use e.g. lr 0.005", s->lr);
  if (!(s->beta1 >= 0 && s->beta1 < 1))
    return mnn_fail(err, "beta1 %g: must be in [0, 1): use e.g. beta1 0.9", s->beta1);
  if (!(s->beta2 >= 0 && s->beta2 < 1))
    return mnn_fail(err, "beta2 %g: must be in [0, 1): use e.g. beta2 0.999", s->beta2);
  if (!(s->eps > 0 && s->eps <= 1))
    return mnn_fail(err, "eps %g: must be > 0 (and at most 1): use e.g. eps 1e-8", s->eps);
  if (s->bound == MNN_BOUND_SIGMOID && !(s->steepness > 0 && s->steepness <= 1e6))
    return mnn_fail(err, "sigmoid steepness %g: must be > 0 (and at most 1e6): use e.g. steepness 10", s->steepness);
  if (!(s->start_margin >= 0 && s->start_margin < 0.5))
    return mnn_fail(err, "start-margin %g: use a share of the width range in [0, 0.5)", s->start_margin);
  return 0;
}

mnn_adam *mnn_adam_create(const mnn_adam_settings *s, int n, const double *w, double w_min, double w_max,
                          mnn_error *err) {
  if (mnn_adam_check(s, err)) return NULL;
  if (!(w_max > w_min) || !(w_min > 0)) {
    mnn_fail(err, "width bounds [%g, %g] m are empty or not positive: set width_min < width_max in the network", w_min,
             w_max);
    return NULL;
  }
  mnn_adam *a = calloc(1, sizeof *a);
  if (a) {
    a->theta = calloc((size_t)n + 1, sizeof(double));
    a->m = calloc((size_t)n + 1, sizeof(double));
    a->v = calloc((size_t)n + 1, sizeof(double));
  }
  if (!a || !a->theta || !a->m || !a->v) {
    mnn_adam_free(a);
    mnn_fail(err, "out of memory");
    return NULL;
  }
  a->set = *s;
  a->n = n;
  a->w_min = w_min;
  a->w_max = w_max;
  a->beta1_t = 1.0;
  a->beta2_t = 1.0;
  for (int i = 0; i < n; ++i) {
    double z = (w[i] - w_min) / (w_max - w_min);
    z = fmin(1.0, fmax(0.0, z));
    if (s->bound == MNN_BOUND_SIGMOID) {
      double margin = fmin(0.5, fmax(1e-12, s->start_margin));
      z = fmin(1.0 - margin, fmax(margin, z));
      a->theta[i] = log(z / (1.0 - z)) / s->steepness;
    } else {
      a->theta[i] = z;
    }
  }
  return a;
}

void mnn_adam_widths(const mnn_adam *a, double *w) {
  double range = a->w_max - a->w_min;
  for (int i = 0; i < a->n; ++i) {
    double z = a->set.bound == MNN_BOUND_SIGMOID ? sigmoid(a->set.steepness * a->theta[i]) : a->theta[i];
    w[i] = fmin(a->w_max, fmax(a->w_min, a->w_min + range * z));
  }
}

void mnn_adam_grad_theta(const mnn_adam *a, const double *grad_w, double *grad_theta) {
  double range = a->w_max - a->w_min;
  for (int i = 0; i < a->n; ++i) {
    if (a->set.bound == MNN_BOUND_SIGMOID) {
      double s = sigmoid(a->set.steepness * a->theta[i]);
      grad_theta[i] = grad_w[i] * range * a->set.steepness * s * (1.0 - s);
    } else {
      grad_theta[i] = grad_w[i] * range;
    }
  }
}

void mnn_adam_step(mnn_adam *a, const double *grad_w, double *g) {
  const mnn_adam_settings *s = &a->set;
  mnn_adam_grad_theta(a, grad_w, g);
  a->t += 1;
  a->beta1_t *= s->beta1;
  a->beta2_t *= s->beta2;
  double c1 = 1.0 - a->beta1_t, c2 = 1.0 - a->beta2_t;
  for (int i = 0; i < a->n; ++i) {
    a->m[i] = s->beta1 * a->m[i] + (1.0 - s->beta1) * g[i];
    a->v[i] = s->beta2 * a->v[i] + (1.0 - s->beta2) * g[i] * g[i];
    double mhat = a->m[i] / c1, vhat = a->v[i] / c2;
    a->theta[i] -= s->lr * mhat / (sqrt(vhat) + s->eps);
    if (s->bound == MNN_BOUND_PROJECT) a->theta[i] = fmin(1.0, fmax(0.0, a->theta[i]));
  }
}
