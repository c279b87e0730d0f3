/* Response matrices of the frame model and their calibration against FEM response
 * matrices: one stiffness factor in closed form, optionally with the joint
 * compliance by a one-dimensional search (docs/barmodel.md, "Frame-model variant"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "frame_model.h"

int mnn_frame_response(const mnn_network *net, const mnn_frame_options *o, int n_in, const int *in, int n_out,
                       const int *out, double *R, mnn_error *err) {
  int nd = 2 * net->n_nodes;
  for (int j = 0; j < n_in; ++j)
    if (in[j] < 0 || in[j] >= nd) return mnn_fail(err, "frame model: input DOF %d is not in 0..%d", in[j], nd - 1);
  for (int i = 0; i < n_out; ++i)
    if (out[i] < 0 || out[i] >= nd) return mnn_fail(err, "frame model: output DOF %d is not in 0..%d", out[i], nd - 1);
  double *F = calloc((size_t)nd * (size_t)(n_in > 0 ? n_in : 1), sizeof(double));
  double *U = malloc(sizeof(double) * (size_t)nd * (size_t)(n_in > 0 ? n_in : 1));
  if (!F || !U) {
    free(F), free(U);
    return mnn_fail(err, "out of memory");
  }
  for (int j = 0; j < n_in; ++j) F[(size_t)j * nd + in[j]] = 1;
  int rc = mnn_frame_solve(net, o, n_in, F, U, NULL, err);
  for (int i = 0; i < n_out && !rc; ++i)
    for (int j = 0; j < n_in; ++j) R[(size_t)i * n_in + j] = U[(size_t)j * nd + out[i]];
  free(F), free(U);
  return rc;
}

/* Working copies: the networks with factor 1 and no length classes, and room for
 * their model responses. */
typedef struct {
  const mnn_frame_cal_set *sets;
  int n_sets;
  mnn_network **nets;
  double **R;
} fit_work;

/* Best factor for the current o and the resulting rms relative error. */
static int fit_factor(fit_work *w, const mnn_frame_options *o, double *factor, double *rms, mnn_error *err) {
  double a = 0, b = 0;
  for (int k = 0; k < w->n_sets; ++k) {
    const mnn_frame_cal_set *c = &w->sets[k];
    if (mnn_frame_response(w->nets[k], o, c->n_in, c->in, c->n_out, c->out, w->R[k], err)) return -1;
    double nf = 0, aa = 0, bb = 0;
    for (int i = 0; i < c->n_in * c->n_out; ++i) {
      double r = w->R[k][i], rf = c->R_fem[i];
      nf += rf * rf, aa += r * r, bb += r * rf;
    }
    if (!(nf > 0)) return mnn_fail(err, "calibration: FEM response matrix %d is zero", k + 1);
    a += aa / nf, b += bb / nf;
  }
  /* R(f) = R(1) / f: minimise sum_k ||s R_k - R_fem,k||^2 / n_k over s = 1 / f */
  if (!(b > 0)) return mnn_fail(err, "calibration: the model's and the FEM's responses have opposite signs");
  *factor = a / b;
  double e = 0;
  for (int k = 0; k < w->n_sets; ++k) {
    const mnn_frame_cal_set *c = &w->sets[k];
    double num = 0, den = 0;
    for (int i = 0; i < c->n_in * c->n_out; ++i) {
      double d = w->R[k][i] / *factor - c->R_fem[i];
      num += d * d, den += c->R_fem[i] * c->R_fem[i];
    }
    e += num / den;
  }
  *rms = sqrt(e / w->n_sets);
  return 0;
}

static void free_work(fit_work *w) {
  for (int k = 0; k < w->n_sets; ++k) {
    if (w->nets) mnn_network_free(w->nets[k]);
    if (w->R) free(w->R[k]);
  }
  free(w->nets), free(w->R);
}

int mnn_frame_calibrate(const mnn_frame_cal_set *sets, int n_sets, mnn_frame_options *o, int fit_joint,
                        double *factor, double *rms_err, mnn_error *err) {
  if (n_sets < 1) return mnn_fail(err, "calibration: no response matrices given");
  fit_work w = {sets, n_sets, calloc((size_t)n_sets, sizeof(mnn_network *)), calloc((size_t)n_sets, sizeof(double *))};
  int rc = (!w.nets || !w.R) ? mnn_fail(err, "out of memory") : 0;
  double c_ref = 0;
  int n_bonds = 0;
  for (int k = 0; k < n_sets && !rc; ++k) {
    w.nets[k] = mnn_network_copy(sets[k].net);
    w.R[k] = malloc(sizeof(double) * (size_t)(sets[k].n_in * sets[k].n_out > 0 ? sets[k].n_in * sets[k].n_out : 1));
    if (!w.nets[k] || !w.R[k]) {
      rc = mnn_fail(err, "out of memory");
      break;
    }
    mnn_network *net = w.nets[k];
    net->calibration.factor = 1, net->calibration.n_classes = 0;
    for (int b = 0; b < net->n_bonds; ++b, ++n_bonds)
      c_ref += mnn_bond_length(net, b) / (net->youngs_modulus * net->width[b] * net->thickness);
  }
  double f = 1, e = 0;
  if (!rc && !fit_joint) rc = fit_factor(&w, o, &f, &e, err);
  if (!rc && fit_joint) {
    c_ref = n_bonds ? 2 * c_ref / n_bonds : 0;
    double best = INFINITY, c_best = 0;
    const int n_grid = 100;
    for (int i = 0; i <= n_grid && !rc; ++i) {
      o->joint_compliance = c_ref * i / n_grid;
      rc = fit_factor(&w, o, &f, &e, err);
      if (!rc && e < best) best = e, c_best = o->joint_compliance;
    }
    double lo = fmax(0, c_best - c_ref / n_grid), hi = c_best + c_ref / n_grid, g = (sqrt(5) - 1) / 2;
    for (int it = 0; it < 60 && !rc; ++it) {
      double c1 = hi - g * (hi - lo), c2 = lo + g * (hi - lo), e1, e2;
      o->joint_compliance = c1;
      rc = fit_factor(&w, o, &f, &e1, err);
      o->joint_compliance = c2;
      if (!rc) rc = fit_factor(&w, o, &f, &e2, err);
      if (!rc && e1 < e2) hi = c2;
      else lo = c1;
    }
    o->joint_compliance = 0.5 * (lo + hi);
    if (!rc) rc = fit_factor(&w, o, &f, &e, err);
  }
  free_work(&w);
  if (rc) return rc;
  *factor = f;
  if (rms_err) *rms_err = e;
  return 0;
}
