/* Closed-form weighted fit of a modulus, residuals in sd, cosine. */
#include "measurement_fit.h"

#include <math.h>

int mnn_fit_modulus(int n, const double *measured, const double *sd, const double *ref, double E_ref,
                    mnn_modulus_fit *fit, mnn_error *err) {
  if (n <= 0) return mnn_fail(err, "no measured displacement to fit the modulus to: give at least one");
  if (!(E_ref > 0)) return mnn_fail(err, "reference modulus %g: must be positive", E_ref);
  int with_sd = 0;
  for (int i = 0; i < n; ++i) with_sd += sd[i] > 0;
  if (with_sd && with_sd < n)
    return mnn_fail(err, "%d of %d measured displacements have a standard deviation: give one for all or none, "
                         "so that the weights mean the same", with_sd, n);
  double saa = 0, sam = 0;
  for (int i = 0; i < n; ++i) {
    double w = with_sd ? 1 / (sd[i] * sd[i]) : 1;
    saa += w * ref[i] * ref[i];
    sam += w * ref[i] * measured[i];
  }
  if (!(sam > 0))
    return mnn_fail(err, "the measured displacements point against the model's (weighted product %g): check the "
                         "signs of the loads and of the measurements", sam);
  fit->youngs_modulus = E_ref * saa / sam;
  fit->n_points = n;
  fit->weighted = with_sd > 0;
  double s2 = 0, smax = 0, rmax = 0, scale = E_ref / fit->youngs_modulus;
  for (int i = 0; i < n; ++i) {
    double model = ref[i] * scale;
    if (with_sd) {
      double r = (model - measured[i]) / sd[i];
      s2 += r * r;
      smax = fmax(smax, fabs(r));
    }
    if (measured[i] != 0) rmax = fmax(rmax, fabs(model - measured[i]) / fabs(measured[i]));
  }
  fit->rms_sd = with_sd ? sqrt(s2 / n) : NAN;
  fit->max_sd = with_sd ? smax : NAN;
  fit->max_relative = rmax;
  return 0;
}

double mnn_vector_cosine(int n, const double *a, const double *b) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < n; ++i) ab += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
  return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : NAN;
}

double mnn_difference_in_sd(double model, double measured, double sd) {
  return sd > 0 ? (model - measured) / sd : NAN;
}
