/* Data sets for training: samples of features (which become input forces) with
 * either numeric targets (regression, displacements in m) or class labels; the
 * synthetic regression set of the paper, tabular data from CSV with per-column
 * scaling, and a seeded train/test split. All randomness goes through rng.h, so a
 * seed gives the same data and split on every machine. */
#ifndef MNN_DATASET_H
#define MNN_DATASET_H

#include <stdint.h>
#include "error.h"

typedef struct mnn_dataset {
  int n_samples;
  int n_features;      /* features per sample */
  int n_targets;       /* numeric targets per sample (0 for classification) */
  double *x;           /* n_samples * n_features, sample s at x[s * n_features] */
  double *target;      /* n_samples * n_targets, or NULL */
  int *label;          /* n_samples class indices 0..n_classes-1, or NULL */
  int n_classes;
  char **class_names;  /* n_classes names (order of first appearance), or NULL */
  double *column_scale; /* n_features: what each raw column was divided by (1 if unscaled) */
} mnn_dataset;

/* An empty data set with room for n_samples (x zeroed; target if n_targets > 0;
 * label if with_labels). NULL when out of memory. */
mnn_dataset *mnn_dataset_create(int n_samples, int n_features, int n_targets, int with_labels);
void mnn_dataset_free(mnn_dataset *d);

/* The synthetic regression set: feature F_s uniform in [f_min, f_max] (N), drawn
 * for all samples first; then targets t_sj = slope_j * F_s (m) plus, if noise > 0,
 * a Gaussian deviate of standard deviation noise (m). So the noisy set with the
 * same seed has the same forces as the noise-free one. */
mnn_dataset *mnn_dataset_regression(int n_samples, double f_min, double f_max, int n_targets, const double *slopes,
                                    double noise, uint64_t seed, mnn_error *err);

/* Reads a CSV file with a header row. With n_targets = 0 the last column is a
 * class name (any text) and every other column a numeric feature; with
 * n_targets > 0 the last n_targets columns are numeric targets. Errors say
 * file:line and the column. */
mnn_dataset *mnn_dataset_read_csv(const char *path, int n_targets, mnn_error *err);

/* Divides each feature column by its largest absolute value (the paper's Iris
 * scaling: "each divided by its column maximum"); records it in column_scale.
 * Fails on a column of zeros. */
int mnn_dataset_scale_columns(mnn_dataset *d, mnn_error *err);

/* A train/test split: a seeded shuffle of 0..n-1, the first round(fraction * n)
 * indices (at least 1) are the training set, the rest the test set (may be empty). */
typedef struct mnn_split {
  int n_train, n_test;
  int *train, *test;
} mnn_split;
int mnn_split_make(int n_samples, double train_fraction, uint64_t seed, mnn_split *split, mnn_error *err);
void mnn_split_free(mnn_split *split);

#endif
