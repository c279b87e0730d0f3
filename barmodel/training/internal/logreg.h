/* The linear classifier a mechanical network is measured against: multinomial
 * logistic regression on the same samples, split and scaling as the network's
 * task. A trained network maps the features linearly to its outputs and predicts
 * the output with the largest |y_c|, so a linear classifier is (up to that |.|)
 * what it can at best do; the docs report the network's accuracy as a fraction of
 * this one's.
 *
 * Model: p(c | x) = softmax_c(W_c . x + b_c). Objective, as scikit-learn's
 * LogisticRegression(C) writes it divided by C * n:
 *   J(W, b) = (1/n) sum_s -ln p(label_s | x_s) + (1 / (2 C n)) ||W||^2
 * (the biases are not penalised). J is strongly convex in W; it is minimised by
 * L-BFGS (10 pairs) with backtracking to Armijo's condition, from W = 0, b = 0. */
#ifndef MNN_LOGREG_H
#define MNN_LOGREG_H

#include "dataset.h"
#include "error.h"

typedef struct mnn_logreg_settings {
  double c;          /* inverse regularisation strength (scikit-learn's C); default 1 */
  int max_iter;      /* L-BFGS steps at most; default 5000 */
  double tol;        /* stop when the gradient's max norm is below tol; default 1e-6 */
} mnn_logreg_settings;

typedef struct mnn_logreg {
  int n_features, n_classes;
  double *w;         /* n_classes x (n_features + 1), row c = (W_c, b_c) */
  int iterations;    /* steps taken */
  double objective;  /* J at the end */
  double grad_norm;  /* max |dJ/dw| at the end */
  int converged;     /* 1 if grad_norm <= tol */
} mnn_logreg;

/* Sets the fit's defaults (regularisation, tolerance, iteration limit). */
void mnn_logreg_defaults(mnn_logreg_settings *s);

/* Fits the model on the listed samples (n of them) of a labelled data set: fills
 * m (free with mnn_logreg_free). Fails on a data set without labels, fewer than 2
 * classes, no samples or C <= 0. Not converging within max_iter is not an error:
 * m->converged says it. */
int mnn_logreg_fit(const mnn_dataset *d, int n, const int *samples, const mnn_logreg_settings *s, mnn_logreg *m,
                   mnn_error *err);
void mnn_logreg_free(mnn_logreg *m);

/* The objective J at the weights w (n_classes x (n_features + 1)) over the listed
 * samples with regularisation lambda = 1 / (C n); its gradient into grad (same
 * shape) when grad is not NULL. Returns NAN when out of memory. */
double mnn_logreg_objective(const mnn_dataset *d, int n, const int *samples, int n_classes, double lambda,
                            const double *w, double *grad);

/* The predicted class of features x (n_features): the largest W_c . x + b_c
 * (ties: the first). */
int mnn_logreg_predict(const mnn_logreg *m, const double *x);

/* Share of the listed samples predicted right (NAN when n = 0). */
double mnn_logreg_accuracy(const mnn_logreg *m, const mnn_dataset *d, int n, const int *samples);

/* k-fold cross-validation on the listed samples: fold f holds the samples at
 * positions p with p % folds == f (the listed order; a seeded split is already
 * shuffled). For each of the n_c values cs[] of C, the mean over folds of the
 * held-out accuracy into cv_accuracy[]; *best gets the index of the highest (ties:
 * the smaller C, the simpler model). Needs 2 <= folds <= n. */
int mnn_logreg_cross_validate(const mnn_dataset *d, int n, const int *samples, const mnn_logreg_settings *s, int n_c,
                              const double *cs, int folds, double *cv_accuracy, int *best, mnn_error *err);

/* The grid of C that the baseline chooses from, and its folds. */
#define MNN_LOGREG_GRID_N 6
extern const double mnn_logreg_grid[MNN_LOGREG_GRID_N]; /* 0.01, 0.1, 1, 10, 100, 1000 */
#define MNN_LOGREG_FOLDS 5

/* The baseline of a classification task: C chosen by 5-fold cross-validation on
 * the split's training samples of d (the task's data, scaled as the task scales
 * them) from mnn_logreg_grid, then fitted on all training samples; its accuracy on
 * the training and test sets (test NAN when empty). The test set plays no part in
 * the choice. Fewer than 5 training samples: C = 1 without cross-validation.
 * c > 0 fixes C instead (no cross-validation). model, if not NULL, receives the
 * fitted model (free with mnn_logreg_free). */
typedef struct mnn_logreg_baseline {
  double c;                   /* the chosen C */
  double cv_accuracy;         /* its mean held-out accuracy over the folds (NAN without cross-validation) */
  double train_accuracy, test_accuracy;
  int iterations, converged;  /* of the final fit */
} mnn_logreg_baseline;
int mnn_logreg_baseline_fit(const mnn_dataset *d, const mnn_split *split, double c, mnn_logreg_baseline *b,
                            mnn_logreg *model, mnn_error *err);

#endif
