/* The numbers that hold a model against measurements: the Young's modulus that
 * fits measured displacements best (the FEM's response is exactly proportional
 * to 1/E, so one solve at any reference modulus gives it in closed form), the
 * residuals in standard deviations, and the cosine between two gradient vectors.
 * Pure C, no PETSc. */
#ifndef MNN_MEASUREMENT_FIT_H
#define MNN_MEASUREMENT_FIT_H

#include "error.h"

typedef struct mnn_modulus_fit {
  double youngs_modulus;   /* Pa */
  int n_points;
  int weighted;            /* 1: weights 1/sd^2; 0: no point had an sd, equal weights */
  double rms_sd, max_sd;   /* after the fit: sqrt(mean r^2) and max |r|, r = (model - measured)/sd
                              (NAN when unweighted) */
  double max_relative;     /* max |model - measured| / |measured| */
} mnn_modulus_fit;

/* Fits E to n measured values m_i (sd_i > 0 each, or 0 for all: equal weights)
 * given the model's values ref_i computed with modulus E_ref: the model at E is
 * ref_i E_ref / E, and E minimises sum_i (m_i - ref_i E_ref / E)^2 / sd_i^2, in
 * closed form: E = E_ref sum w ref^2 / sum w ref m. Fails when n = 0, when some
 * but not all points have an sd, or when the measurements point against the
 * model (sum w ref m <= 0). */
int mnn_fit_modulus(int n, const double *measured, const double *sd, const double *ref, double E_ref,
                    mnn_modulus_fit *fit, mnn_error *err);

/* a.b / (|a| |b|), NAN when either vector is zero. */
double mnn_vector_cosine(int n, const double *a, const double *b);

/* (model - measured) / sd, NAN when sd is 0 (not given). */
double mnn_difference_in_sd(double model, double measured, double sd);

#endif
