/* The linear baseline (multinomial logistic regression): its gradient against
 * central differences of its objective; the maximum-likelihood answer of a set
 * whose answer is known in closed form (a single binary feature: p = 3/4); a
 * separable three-class set learnt without error; the fit's stationarity; the
 * Iris data set (where a linear classifier is known to reach about 0.97); and the
 * refusals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "training.h"
#include "test_util.h"

static int *all_samples(int n) {
  int *s = malloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; ++i) s[i] = i;
  return s;
}

/* dJ/dw against central differences, with regularisation, on random data and
 * random weights (4 classes, 5 features, 30 samples). */
static void check_gradient(void) {
  mnn_rng rng;
  mnn_rng_seed(&rng, 7);
  int n = 30, nf = 5, nc = 4, size = nc * (nf + 1);
  mnn_dataset *d = mnn_dataset_create(n, nf, 0, 1);
  d->n_classes = nc;
  for (int s = 0; s < n; ++s) {
    for (int j = 0; j < nf; ++j) d->x[s * nf + j] = 2 * mnn_rng_uniform(&rng) - 1;
    d->label[s] = (int)mnn_rng_below(&rng, (uint64_t)nc);
  }
  int *idx = all_samples(n);
  double w[24], g[24], worst = 0, gmax = 0;
  for (int e = 0; e < size; ++e) w[e] = 2 * mnn_rng_uniform(&rng) - 1;
  double lambda = 0.3;
  mnn_logreg_objective(d, n, idx, nc, lambda, w, g);
  for (int e = 0; e < size; ++e) {
    double h = 1e-5, keep = w[e];
    w[e] = keep + h;
    double jp = mnn_logreg_objective(d, n, idx, nc, lambda, w, NULL);
    w[e] = keep - h;
    double jm = mnn_logreg_objective(d, n, idx, nc, lambda, w, NULL);
    w[e] = keep;
    worst = fmax(worst, fabs((jp - jm) / (2 * h) - g[e]));
    gmax = fmax(gmax, fabs(g[e]));
  }
  CHECK_MSG(gmax > 1e-2 && worst < 1e-8 * fmax(1, gmax), "worst deviation %g of max |g| %g", worst, gmax);
  free(idx);
  mnn_dataset_free(d);
}

/* x = 0 (three of class 0, one of class 1) and x = 1 (three of class 1, one of
 * class 0): the maximum-likelihood model gives p(1 | x = 1) = p(0 | x = 0) = 3/4
 * exactly. A very weak penalty (C = 1e6) leaves it within 1e-4. */
static void check_known_answer(void) {
  mnn_dataset *d = mnn_dataset_create(8, 1, 0, 1);
  d->n_classes = 2;
  const int x[8] = {0, 0, 0, 0, 1, 1, 1, 1}, label[8] = {0, 0, 0, 1, 1, 1, 1, 0};
  for (int s = 0; s < 8; ++s) d->x[s] = x[s], d->label[s] = label[s];
  int *idx = all_samples(8);
  mnn_logreg_settings set;
  mnn_logreg_defaults(&set);
  set.c = 1e6;
  set.tol = 1e-10;
  set.max_iter = 200000;
  mnn_logreg m;
  mnn_error err;
  CHECK(mnn_logreg_fit(d, 8, idx, &set, &m, &err) == 0);
  CHECK(m.converged);
  /* p(1 | x) = 1 / (1 + exp(z0 - z1)) */
  double dz1 = (m.w[2] + m.w[3]) - (m.w[0] + m.w[1]), dz0 = m.w[3] - m.w[1];
  CHECK_CLOSE(1 / (1 + exp(-dz1)), 0.75, 0, 1e-4);
  CHECK_CLOSE(1 / (1 + exp(dz0)), 0.75, 0, 1e-4);
  CHECK_CLOSE(m.objective, -log(0.75) * 0.75 - log(0.25) * 0.25, 0, 1e-6);
  CHECK_CLOSE(mnn_logreg_accuracy(&m, d, 8, idx), 0.75, 0, 0);
  mnn_logreg_free(&m);
  free(idx);
  mnn_dataset_free(d);
}

/* Three well separated clouds in 2D (centres on a circle of radius 1, spread
 * 0.1): every training and held-out sample classified right; the fit is
 * stationary (gradient below the tolerance) and deterministic. */
static void check_separable(void) {
  mnn_rng rng;
  mnn_rng_seed(&rng, 11);
  int n = 90;
  mnn_dataset *d = mnn_dataset_create(n, 2, 0, 1);
  d->n_classes = 3;
  for (int s = 0; s < n; ++s) {
    int c = s % 3;
    double a = 2 * M_PI * c / 3;
    d->x[2 * s] = cos(a) + 0.1 * mnn_rng_normal(&rng);
    d->x[2 * s + 1] = sin(a) + 0.1 * mnn_rng_normal(&rng);
    d->label[s] = c;
  }
  int train[60], test[30];
  for (int s = 0; s < 60; ++s) train[s] = s;
  for (int s = 0; s < 30; ++s) test[s] = 60 + s;
  mnn_logreg_settings set;
  mnn_logreg_defaults(&set);
  mnn_logreg m, again;
  mnn_error err;
  CHECK(mnn_logreg_fit(d, 60, train, &set, &m, &err) == 0);
  CHECK(m.converged && m.grad_norm <= set.tol);
  CHECK_CLOSE(mnn_logreg_accuracy(&m, d, 60, train), 1.0, 0, 0);
  CHECK_CLOSE(mnn_logreg_accuracy(&m, d, 30, test), 1.0, 0, 0);
  /* an independent look at stationarity: the objective at the optimum is below
   * that at every small step along each coordinate */
  double lambda = 1.0 / (set.c * 60), j0 = mnn_logreg_objective(d, 60, train, 3, lambda, m.w, NULL);
  int lower = 0;
  for (int e = 0; e < 9; ++e) {
    double keep = m.w[e];
    for (int sgn = -1; sgn <= 1; sgn += 2) {
      m.w[e] = keep + sgn * 1e-3;
      lower += mnn_logreg_objective(d, 60, train, 3, lambda, m.w, NULL) < j0;
    }
    m.w[e] = keep;
  }
  CHECK(lower == 0);
  CHECK(mnn_logreg_fit(d, 60, train, &set, &again, &err) == 0);
  CHECK(memcmp(m.w, again.w, 9 * sizeof(double)) == 0);
  mnn_logreg_free(&m);
  mnn_logreg_free(&again);
  mnn_dataset_free(d);
}

/* Iris scaled by column maxima, 70/30 seeded split as the tasks make it: a linear
 * classifier separates Iris to about 0.97; less than 0.9 on either set means
 * the fit is broken. */
static void check_iris(void) {
  char path[1024];
  const char *src = getenv("MNN_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/cases/data/iris.csv", src ? src : ".");
  mnn_error err;
  mnn_dataset *d = mnn_dataset_read_csv(path, 0, &err);
  CHECK_MSG(d != NULL, "%s", err.message);
  if (!d) return;
  CHECK(mnn_dataset_scale_columns(d, &err) == 0);
  mnn_split split;
  CHECK(mnn_split_make(d->n_samples, 0.7, 6, &split, &err) == 0);
  mnn_logreg_settings set;
  mnn_logreg_defaults(&set);
  mnn_logreg m;
  CHECK(mnn_logreg_fit(d, split.n_train, split.train, &set, &m, &err) == 0);
  CHECK(m.converged);
  double tr = mnn_logreg_accuracy(&m, d, split.n_train, split.train);
  double te = mnn_logreg_accuracy(&m, d, split.n_test, split.test);
  CHECK_MSG(tr >= 0.9 && te >= 0.9, "train %.3f test %.3f", tr, te);
  mnn_logreg_free(&m);
  mnn_split_free(&split);
  mnn_dataset_free(d);
}

static void check_refusals(void) {
  mnn_dataset *reg = mnn_dataset_create(4, 1, 1, 0), *one = mnn_dataset_create(4, 1, 0, 1);
  one->n_classes = 1;
  int idx[4] = {0, 1, 2, 3};
  mnn_logreg_settings set;
  mnn_logreg_defaults(&set);
  mnn_logreg m;
  mnn_error err;
  CHECK(mnn_logreg_fit(reg, 4, idx, &set, &m, &err) == -1);
  CHECK_CONTAINS(err.message, "class labels");
  CHECK(mnn_logreg_fit(one, 4, idx, &set, &m, &err) == -1);
  one->n_classes = 2;
  CHECK(mnn_logreg_fit(one, 0, idx, &set, &m, &err) == -1);
  CHECK_CONTAINS(err.message, "no training samples");
  set.c = 0;
  CHECK(mnn_logreg_fit(one, 4, idx, &set, &m, &err) == -1);
  CHECK_CONTAINS(err.message, "C > 0");
  mnn_dataset_free(reg);
  mnn_dataset_free(one);
}

int main(void) {
  check_gradient();
  check_known_answer();
  check_separable();
  check_iris();
  check_refusals();
  return mnn_test_finish();
}
