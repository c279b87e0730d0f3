/* The losses of loss.h and their exact derivatives. */
#include "loss.h"

#include <math.h>
#include <string.h>

int mnn_loss_is_classification(mnn_loss_kind kind) {
  return kind == MNN_LOSS_CE_RATIO || kind == MNN_LOSS_CE_SOFTMAX;
}

static const char *const names[] = {"mse", "squared", "ce", "softmax"};

const char *mnn_loss_name(mnn_loss_kind kind) {
  return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "?";
}

int mnn_loss_from_name(const char *name) {
  for (int i = 0; i < (int)(sizeof names / sizeof *names); ++i)
    if (!strcmp(name, names[i])) return i;
  return -1;
}

static double sign_of(double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; }

double mnn_loss_sample(const mnn_loss *loss, const double *y, const double *target, int label, double *dldy) {
  int n = loss->n_outputs;
  switch (loss->kind) {
    case MNN_LOSS_MSE:
    case MNN_LOSS_SQUARED: {
      double scale = loss->kind == MNN_LOSS_MSE ? 1.0 / n : 1.0, l = 0;
      for (int o = 0; o < n; ++o) {
        double r = y[o] - target[o];
        l += r * r;
        if (dldy) dldy[o] = 2.0 * scale * r;
      }
      return scale * l;
    }
    case MNN_LOSS_CE_RATIO: {
      /* l = -ln|y_l| + ln S, S = sum |y_j|; dl/dy_c = sign(y_c) (1/S - [c = l]/|y_l|) */
      double S = 0;
      for (int o = 0; o < n; ++o) S += fabs(y[o]);
      double yl = fabs(y[label]);
      if (dldy)
        for (int o = 0; o < n; ++o) dldy[o] = sign_of(y[o]) * (1.0 / S - (o == label ? 1.0 / yl : 0.0));
      return yl > 0 ? log(S) - log(yl) : INFINITY;
    }
    case MNN_LOSS_CE_SOFTMAX: {
      /* z_c = |y_c|/length; l = logsumexp(z) - z_l; dl/dy_c = sign(y_c) (p_c - [c = l]) / length */
      double len = loss->length, zmax = -INFINITY;
      for (int o = 0; o < n; ++o) zmax = fmax(zmax, fabs(y[o]) / len);
      double sum = 0;
      for (int o = 0; o < n; ++o) sum += exp(fabs(y[o]) / len - zmax);
      double lse = zmax + log(sum);
      if (dldy)
        for (int o = 0; o < n; ++o) {
          double p = exp(fabs(y[o]) / len - lse);
          dldy[o] = sign_of(y[o]) * (p - (o == label ? 1.0 : 0.0)) / len;
        }
      return lse - fabs(y[label]) / len;
    }
  }
  return NAN;
}

int mnn_loss_predict(int n_outputs, const double *y) {
  int best = 0;
  for (int o = 1; o < n_outputs; ++o)
    if (fabs(y[o]) > fabs(y[best])) best = o;
  return best;
}
