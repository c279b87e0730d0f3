/* Losses on the output displacements of one sample, with exact derivatives.
 * The outputs y_1..y_n are chosen displacement components (m). A batch loss is
 * the mean of the per-sample losses; the per-sample values here are what gets
 * averaged. No numerical differentiation anywhere. */
#ifndef MNN_LOSS_H
#define MNN_LOSS_H

typedef enum {
  /* mean squared error to targets: l = (1/n) sum_o (y_o - t_o)^2   [m^2].
   * Averaged over samples too, this is the paper's MSE over all components. */
  MNN_LOSS_MSE = 0,
  /* sum of squares: l = sum_o (y_o - t_o)^2; the Fig. 1 loss (u_Ly + 0.025 m)^2
   * with one output and target -0.025 m. */
  MNN_LOSS_SQUARED,
  /* cross-entropy with the authors' code's normalisation p_c = |y_c| / sum_j |y_j|:
   * l = -ln p_label. */
  MNN_LOSS_CE_RATIO,
  /* cross-entropy with a softmax of |y_c| / length (the paper's text):
   * p_c = exp(|y_c|/length) / sum_j exp(|y_j|/length), l = -ln p_label. */
  MNN_LOSS_CE_SOFTMAX
} mnn_loss_kind;

typedef struct mnn_loss {
  mnn_loss_kind kind;
  int n_outputs;
  double length; /* m, softmax length scale (MNN_LOSS_CE_SOFTMAX only); default 1e-4 */
} mnn_loss;

#define MNN_DEFAULT_SOFTMAX_LENGTH 1e-4 /* m */

/* 1 for the cross-entropy kinds (samples carry a class label), 0 otherwise. */
int mnn_loss_is_classification(mnn_loss_kind kind);
/* Short name ("mse", "squared", "ce", "softmax") and its inverse (-1 if unknown). */
const char *mnn_loss_name(mnn_loss_kind kind);
int mnn_loss_from_name(const char *name);

/* Loss of one sample with outputs y[n_outputs]: target[] is used by the squared
 * kinds, label (0-based output index) by the cross-entropy kinds. If dldy is not
 * NULL it receives dl/dy_o. A cross-entropy with sum |y| = 0 gives +inf. */
double mnn_loss_sample(const mnn_loss *loss, const double *y, const double *target, int label, double *dldy);

/* Predicted class of a sample: the output with the largest |y_c| (ties: the first). */
int mnn_loss_predict(int n_outputs, const double *y);

#endif
