/* Adam on bond widths kept inside [w_min, w_max]. The optimiser works on a free
 * variable theta per bond and maps it to a width:
 *   sigmoid (default): w = w_min + (w_max - w_min) * sigma(steepness * theta),
 *                      theta = 0 is the middle of the range (2 mm for the paper);
 *                      the gradient is carried to theta by the exact chain rule;
 *   project:           w = w_min + (w_max - w_min) * theta, theta clipped to [0, 1]
 *                      after every step.
 * The authors' code uses the sigmoid with steepness 10 (behaviour, regression) and
 * 5 (Iris) on spring constants; k is linear in w, so this is the same map. */
#ifndef MNN_ADAM_H
#define MNN_ADAM_H

#include "error.h"

typedef enum { MNN_BOUND_SIGMOID = 0, MNN_BOUND_PROJECT } mnn_bound_kind;

typedef struct mnn_adam_settings {
  double lr;        /* learning rate on theta (default 0.005) */
  double beta1;     /* first-moment decay (default 0.9) */
  double beta2;     /* second-moment decay (default 0.999) */
  double eps;       /* added to sqrt(v_hat) (default 1e-8) */
  mnn_bound_kind bound; /* default MNN_BOUND_SIGMOID */
  double steepness; /* sigmoid steepness (default 10) */
  double start_margin; /* sigmoid: the starting z = (w - w_min)/(w_max - w_min) is kept inside
                          [margin, 1 - margin] (default 1e-3, i.e. 1 um for the paper's bounds),
                          so that a restart from widths on a bound does not begin where the
                          sigmoid's slope (and with it the gradient) has vanished */
} mnn_adam_settings;

/* Fills the defaults listed above. */
void mnn_adam_defaults(mnn_adam_settings *s);
/* Fails unless 0 < lr <= 1e6, 0 <= beta1, beta2 < 1, 0 < eps <= 1, 0 < steepness
 * <= 1e6 (sigmoid) and 0 <= start_margin < 0.5; the message names the setting as
 * the task key does (lr, beta1, ...) and says what to use. */
int mnn_adam_check(const mnn_adam_settings *s, mnn_error *err);

typedef struct mnn_adam {
  mnn_adam_settings set;
  int n;
  double w_min, w_max;
  double *theta, *m, *v;
  long t; /* steps taken */
  double beta1_t, beta2_t; /* beta1^t, beta2^t as running products (no pow) */
} mnn_adam;

/* Starts from widths w[n] (each clamped into the bounds; with the sigmoid, moved
 * at most start_margin of the range inside them). Fails on bad settings. */
mnn_adam *mnn_adam_create(const mnn_adam_settings *s, int n, const double *w, double w_min, double w_max,
                          mnn_error *err);
void mnn_adam_free(mnn_adam *a);

/* Current widths (always inside [w_min, w_max]). */
void mnn_adam_widths(const mnn_adam *a, double *w);
/* dL/dtheta from dL/dw (exact chain rule of the map above). */
void mnn_adam_grad_theta(const mnn_adam *a, const double *grad_w, double *grad_theta);
/* One Adam step from dL/dw; grad_theta (n) is scratch space. */
void mnn_adam_step(mnn_adam *a, const double *grad_w, double *grad_theta);

#endif
