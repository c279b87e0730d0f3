/* Multinomial logistic regression, the linear baseline of classification tasks;
 * see logreg.h for the model, the objective and the method. */
#include "logreg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mnn_logreg_defaults(mnn_logreg_settings *s) {
  s->c = 1.0;
  s->max_iter = 5000;
  s->tol = 1e-6;
}

void mnn_logreg_free(mnn_logreg *m) {
  if (!m) return;
  free(m->w);
  m->w = NULL;
}

/* Scores z_c = W_c . x + b_c of one sample (row stride nf + 1). */
static void scores(const double *w, int n_classes, int nf, const double *x, double *z) {
  for (int c = 0; c < n_classes; ++c) {
    const double *wc = w + (size_t)c * (nf + 1);
    double t = wc[nf];
    for (int j = 0; j < nf; ++j) t += wc[j] * x[j];
    z[c] = t;
  }
}

double mnn_logreg_objective(const mnn_dataset *d, int n, const int *samples, int n_classes, double lambda,
                            const double *w, double *grad) {
  int nf = d->n_features, stride = nf + 1;
  double *z = malloc(((size_t)n_classes + 1) * sizeof(double));
  if (!z) return NAN;
  if (grad) memset(grad, 0, (size_t)n_classes * stride * sizeof(double));
  double total = 0;
  for (int k = 0; k < n; ++k) {
    int s = samples[k];
    const double *x = d->x + (size_t)s * nf;
    scores(w, n_classes, nf, x, z);
    double zmax = z[0];
    for (int c = 1; c < n_classes; ++c) zmax = fmax(zmax, z[c]);
    double sum = 0;
    for (int c = 0; c < n_classes; ++c) sum += exp(z[c] - zmax);
    total += zmax + log(sum) - z[d->label[s]]; /* -ln p(label) */
    if (!grad) continue;
    for (int c = 0; c < n_classes; ++c) {
      double r = exp(z[c] - zmax) / sum - (c == d->label[s]); /* dl/dz_c = p_c - [c = label] */
      double *gc = grad + (size_t)c * stride;
      for (int j = 0; j < nf; ++j) gc[j] += r * x[j];
      gc[nf] += r;
    }
  }
  free(z);
  double inv_n = 1.0 / n, reg = 0;
  for (int c = 0; c < n_classes; ++c)
    for (int j = 0; j < nf; ++j) {
      double wj = w[(size_t)c * stride + j];
      reg += wj * wj;
      if (grad) grad[(size_t)c * stride + j] = grad[(size_t)c * stride + j] * inv_n + lambda * wj;
    }
  if (grad)
    for (int c = 0; c < n_classes; ++c) grad[(size_t)c * stride + nf] *= inv_n;
  return total * inv_n + 0.5 * lambda * reg;
}

/* Largest eigenvalue of (1/n) sum_s x~ x~^T with x~ = (x, 1), by 200 power
 * iterations from the all-ones vector (the data here are non-negative, so that
 * start is close to the top eigenvector); v and t have nf + 1 entries. */
static double gram_top_eigenvalue(const mnn_dataset *d, int n, const int *samples, double *v, double *t) {
  int nf = d->n_features, m = nf + 1;
  for (int j = 0; j < m; ++j) v[j] = 1.0 / sqrt((double)m);
  double lam = 0;
  for (int it = 0; it < 200; ++it) {
    memset(t, 0, (size_t)m * sizeof(double));
    for (int k = 0; k < n; ++k) {
      const double *x = d->x + (size_t)samples[k] * nf;
      double dot = v[nf];
      for (int j = 0; j < nf; ++j) dot += x[j] * v[j];
      for (int j = 0; j < nf; ++j) t[j] += dot * x[j];
      t[nf] += dot;
    }
    double norm = 0, rq = 0;
    for (int j = 0; j < m; ++j) rq += v[j] * t[j] / n, norm += t[j] * t[j];
    lam = rq;
    norm = sqrt(norm);
    if (norm == 0) break;
    for (int j = 0; j < m; ++j) v[j] = t[j] / norm;
  }
  return lam;
}

/* Two-loop recursion of L-BFGS: d = -H g with the stored pairs (s_k, y_k), oldest
 * first in ring order from `first`; H0 = gamma I. alpha has room for m values. */
static void lbfgs_direction(size_t size, int m, int count, int first, const double *S, const double *Y,
                            const double *rho, double gamma, const double *g, double *d, double *alpha) {
  for (size_t e = 0; e < size; ++e) d[e] = -g[e];
  for (int k = count - 1; k >= 0; --k) {
    int slot = (first + k) % m;
    const double *sk = S + (size_t)slot * size, *yk = Y + (size_t)slot * size;
    double a = 0;
    for (size_t e = 0; e < size; ++e) a += sk[e] * d[e];
    alpha[k] = a *= rho[slot];
    for (size_t e = 0; e < size; ++e) d[e] -= a * yk[e];
  }
  for (size_t e = 0; e < size; ++e) d[e] *= gamma;
  for (int k = 0; k < count; ++k) {
    int slot = (first + k) % m;
    const double *sk = S + (size_t)slot * size, *yk = Y + (size_t)slot * size;
    double b = 0;
    for (size_t e = 0; e < size; ++e) b += yk[e] * d[e];
    b *= rho[slot];
    for (size_t e = 0; e < size; ++e) d[e] += (alpha[k] - b) * sk[e];
  }
}

#define LBFGS_PAIRS 10

int mnn_logreg_fit(const mnn_dataset *d, int n, const int *samples, const mnn_logreg_settings *s, mnn_logreg *m,
                   mnn_error *err) {
  memset(m, 0, sizeof *m);
  if (!d->label || d->n_classes < 2)
    return mnn_fail(err, "logistic regression: the data need class labels of at least 2 classes");
  if (n < 1) return mnn_fail(err, "logistic regression: no training samples");
  if (!(s->c > 0) || s->max_iter < 0 || !(s->tol >= 0))
    return mnn_fail(err, "logistic regression: need C > 0, iterations >= 0 and tolerance >= 0 (got %g, %d, %g)", s->c,
                    s->max_iter, s->tol);
  int nc = d->n_classes, nf = d->n_features, pairs = LBFGS_PAIRS;
  size_t size = (size_t)nc * (nf + 1);
  m->n_features = nf;
  m->n_classes = nc;
  m->w = calloc(size + 1, sizeof(double));
  double *g = malloc((size + 1) * sizeof(double)), *trial = malloc((size + 1) * sizeof(double));
  double *g_trial = malloc((size + 1) * sizeof(double)), *dir = malloc((size + 1) * sizeof(double));
  double *S = malloc((size * pairs + 1) * sizeof(double)), *Y = malloc((size * pairs + 1) * sizeof(double));
  double *v = malloc(((size_t)nf + 2) * sizeof(double)), *t = malloc(((size_t)nf + 2) * sizeof(double));
  double rho[LBFGS_PAIRS], alpha[LBFGS_PAIRS];
  int rc = 0;
  if (!m->w || !g || !trial || !g_trial || !dir || !S || !Y || !v || !t) {
    rc = mnn_fail(err, "out of memory");
    goto done;
  }
  double lambda = 1.0 / (s->c * n);
  /* H0 before the first pair: the inverse of a bound of the Hessian's largest
   * eigenvalue, (1/2) lambda_max((1/n) sum_s x~ x~^T) + lambda, since diag p - p p^T <= I/2 */
  double gamma = 1.0 / (0.5 * gram_top_eigenvalue(d, n, samples, v, t) + lambda);
  double J = mnn_logreg_objective(d, n, samples, nc, lambda, m->w, g);
  int count = 0, first = 0, it = 0;
  for (;; ++it) {
    double gmax = 0;
    for (size_t e = 0; e < size; ++e) gmax = fmax(gmax, fabs(g[e]));
    m->objective = J;
    m->grad_norm = gmax;
    if (isnan(J)) {
      rc = mnn_fail(err, "out of memory");
      goto done;
    }
    if (gmax <= s->tol) m->converged = 1;
    if (gmax <= s->tol || it >= s->max_iter) break;
    lbfgs_direction(size, pairs, count, first, S, Y, rho, gamma, g, dir, alpha);
    double slope = 0;
    for (size_t e = 0; e < size; ++e) slope += g[e] * dir[e];
    if (!(slope < 0)) { /* not a descent direction (round-off): restart from steepest descent */
      count = 0;
      for (size_t e = 0; e < size; ++e) dir[e] = -gamma * g[e];
      slope = 0;
      for (size_t e = 0; e < size; ++e) slope += g[e] * dir[e];
    }
    /* backtracking to Armijo's condition */
    double step = 1, J_trial = J;
    int tries = 0;
    for (; tries < 60; ++tries, step *= 0.5) {
      for (size_t e = 0; e < size; ++e) trial[e] = m->w[e] + step * dir[e];
      J_trial = mnn_logreg_objective(d, n, samples, nc, lambda, trial, g_trial);
      if (J_trial <= J + 1e-4 * step * slope) break;
    }
    if (tries == 60) break; /* no decrease left at machine precision: stationary as far as it can tell */
    /* the new pair, kept if the curvature is positive (always, for this strongly convex J) */
    int slot = (first + count) % pairs;
    double *sk = S + (size_t)slot * size, *yk = Y + (size_t)slot * size, sy = 0, yy = 0;
    for (size_t e = 0; e < size; ++e) {
      sk[e] = trial[e] - m->w[e];
      yk[e] = g_trial[e] - g[e];
      sy += sk[e] * yk[e], yy += yk[e] * yk[e];
    }
    if (sy > 1e-300 && yy > 0) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      if (count < pairs) ++count;
      else first = (first + 1) % pairs;
    }
    memcpy(m->w, trial, size * sizeof(double));
    memcpy(g, g_trial, size * sizeof(double));
    J = J_trial;
  }
  m->iterations = it;
done:
  free(g), free(trial), free(g_trial), free(dir), free(S), free(Y), free(v), free(t);
  if (rc) mnn_logreg_free(m);
  return rc;
}

int mnn_logreg_predict(const mnn_logreg *m, const double *x) {
  int best = 0;
  double best_z = -INFINITY;
  for (int c = 0; c < m->n_classes; ++c) {
    double z;
    scores(m->w + (size_t)c * (m->n_features + 1), 1, m->n_features, x, &z);
    if (z > best_z) best = c, best_z = z;
  }
  return best;
}

double mnn_logreg_accuracy(const mnn_logreg *m, const mnn_dataset *d, int n, const int *samples) {
  if (n == 0) return NAN;
  int right = 0;
  for (int k = 0; k < n; ++k) {
    int s = samples[k];
    right += mnn_logreg_predict(m, d->x + (size_t)s * d->n_features) == d->label[s];
  }
  return (double)right / n;
}

const double mnn_logreg_grid[MNN_LOGREG_GRID_N] = {0.01, 0.1, 1, 10, 100, 1000};

int mnn_logreg_cross_validate(const mnn_dataset *d, int n, const int *samples, const mnn_logreg_settings *s, int n_c,
                              const double *cs, int folds, double *cv_accuracy, int *best, mnn_error *err) {
  if (folds < 2 || folds > n || n_c < 1)
    return mnn_fail(err, "cross-validation: need 2..%d folds and at least one C (got %d folds, %d values)", n, folds,
                    n_c);
  int *fit = malloc((size_t)n * sizeof(int)), *held = malloc((size_t)n * sizeof(int)), rc = 0;
  if (!fit || !held) {
    free(fit), free(held);
    return mnn_fail(err, "out of memory");
  }
  *best = 0;
  for (int k = 0; k < n_c && !rc; ++k) {
    mnn_logreg_settings set = *s;
    set.c = cs[k];
    double sum = 0;
    for (int f = 0; f < folds && !rc; ++f) {
      int n_fit = 0, n_held = 0;
      for (int p = 0; p < n; ++p) {
        if (p % folds == f) held[n_held++] = samples[p];
        else fit[n_fit++] = samples[p];
      }
      mnn_logreg m;
      rc = mnn_logreg_fit(d, n_fit, fit, &set, &m, err);
      if (!rc) sum += mnn_logreg_accuracy(&m, d, n_held, held);
      mnn_logreg_free(&m);
    }
    cv_accuracy[k] = sum / folds;
    if (cv_accuracy[k] > cv_accuracy[*best]) *best = k;
  }
  free(fit), free(held);
  return rc;
}

int mnn_logreg_baseline_fit(const mnn_dataset *d, const mnn_split *split, double c, mnn_logreg_baseline *b,
                            mnn_logreg *model, mnn_error *err) {
  mnn_logreg_settings set;
  mnn_logreg_defaults(&set);
  b->cv_accuracy = NAN;
  if (c > 0) {
    set.c = c;
  } else if (split->n_train >= MNN_LOGREG_FOLDS) {
    double cv[MNN_LOGREG_GRID_N];
    int best;
    mnn_logreg_settings cv_set = set;
    cv_set.tol = 1e-4; /* the held-out accuracies do not need the final fit's precision */
    if (mnn_logreg_cross_validate(d, split->n_train, split->train, &cv_set, MNN_LOGREG_GRID_N, mnn_logreg_grid,
                                  MNN_LOGREG_FOLDS, cv, &best, err))
      return -1;
    set.c = mnn_logreg_grid[best];
    b->cv_accuracy = cv[best];
  }
  b->c = set.c;
  mnn_logreg m;
  if (mnn_logreg_fit(d, split->n_train, split->train, &set, &m, err)) return -1;
  b->train_accuracy = mnn_logreg_accuracy(&m, d, split->n_train, split->train);
  b->test_accuracy = mnn_logreg_accuracy(&m, d, split->n_test, split->test);
  b->iterations = m.iterations;
  b->converged = m.converged;
  if (model) *model = m;
  else mnn_logreg_free(&m);
  return 0;
}
