/* Calibration of the bar model's stiffness factors against a reference response
 * matrix (calibration.h): one factor in closed form, or one per bond-length class
 * by Levenberg-Marquardt with exact derivatives from the unit-load solves. */
#include "calibration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"

/* Unit loads on the given DOFs, solved with the current factorisation: U is
 * 2n x count, E (elongations) n_bonds x count. */
static int solve_unit_loads(const mnn_network *net, mnn_bar_solver *s, int count, const int *dofs, double *U, double *E,
                            mnn_error *err) {
  size_t nd = 2 * (size_t)net->n_nodes;
  memset(U, 0, sizeof(double) * nd * (size_t)count);
  for (int j = 0; j < count; ++j) U[(size_t)j * nd + (size_t)dofs[j]] = 1;
  if (mnn_bar_solver_solve(s, count, U, U, err)) return -1;
  if (E) mnn_bar_elongations(net, count, U, E);
  return 0;
}

static int same_dofs(int n_in, const int *in_dof, int n_out, const int *out_dof) {
  if (n_in != n_out) return 0;
  for (int j = 0; j < n_in; ++j)
    if (in_dof[j] != out_dof[j]) return 0;
  return 1;
}

/* Workspace for repeated response evaluations of one network. */
typedef struct {
  const mnn_network *net;
  mnn_bar_solver *solver;
  int n_in, n_out, same;
  const int *in_dof, *out_dof;
  double *k, *U_in, *U_out, *E_in, *E_out;
} response_ws;

static void ws_free(response_ws *w) {
  mnn_bar_solver_free(w->solver);
  free(w->k);
  free(w->U_in);
  free(w->U_out);
  free(w->E_in);
  free(w->E_out);
}

static int ws_init(response_ws *w, const mnn_network *net, int n_in, const int *in_dof, int n_out, const int *out_dof,
                   int want_elongations, mnn_error *err) {
  memset(w, 0, sizeof *w);
  w->net = net, w->n_in = n_in, w->n_out = n_out, w->in_dof = in_dof, w->out_dof = out_dof;
  w->same = same_dofs(n_in, in_dof, n_out, out_dof);
  size_t nd = 2 * (size_t)net->n_nodes, nb = net->n_bonds > 0 ? (size_t)net->n_bonds : 1;
  w->k = malloc(sizeof(double) * nb);
  w->U_in = malloc(sizeof(double) * nd * (size_t)(n_in > 0 ? n_in : 1));
  w->U_out = w->same ? NULL : malloc(sizeof(double) * nd * (size_t)(n_out > 0 ? n_out : 1));
  if (want_elongations) {
    w->E_in = malloc(sizeof(double) * nb * (size_t)(n_in > 0 ? n_in : 1));
    w->E_out = w->same ? NULL : malloc(sizeof(double) * nb * (size_t)(n_out > 0 ? n_out : 1));
  }
  if (!w->k || !w->U_in || (!w->same && !w->U_out) || (want_elongations && (!w->E_in || (!w->same && !w->E_out)))) {
    ws_free(w);
    return mnn_fail(err, "out of memory for the response matrix (%d inputs, %d outputs)", n_in, n_out);
  }
  if (!(w->solver = mnn_bar_solver_create(net, err))) {
    ws_free(w);
    return -1;
  }
  return 0;
}

/* R with the stiffnesses of w->net as they are now; elongations kept if allocated. */
static int ws_response(response_ws *w, double *R, mnn_error *err) {
  const mnn_network *net = w->net;
  size_t nd = 2 * (size_t)net->n_nodes;
  mnn_network_stiffnesses(net, w->k);
  if (mnn_bar_solver_factor(w->solver, w->k, err) ||
      solve_unit_loads(net, w->solver, w->n_in, w->in_dof, w->U_in, w->E_in, err) ||
      (!w->same && solve_unit_loads(net, w->solver, w->n_out, w->out_dof, w->U_out, w->E_out, err)))
    return -1;
  for (int o = 0; o < w->n_out; ++o)
    for (int j = 0; j < w->n_in; ++j)
      R[(size_t)o * w->n_in + j] = w->U_in[(size_t)j * nd + (size_t)w->out_dof[o]];
  return 0;
}

int mnn_bar_response(const mnn_network *net, int n_in, const int *in_dof, int n_out, const int *out_dof, double *R,
                     mnn_error *err) {
  response_ws w;
  if (ws_init(&w, net, n_in, in_dof, n_out, out_dof, 0, err)) return -1;
  int rc = ws_response(&w, R, err);
  ws_free(&w);
  return rc;
}

double mnn_response_rel_difference(int n, const double *R, const double *R_ref) {
  double num = 0, den = 0;
  for (int i = 0; i < n; ++i) {
    double d = R[i] - R_ref[i];
    num += d * d;
    den += R_ref[i] * R_ref[i];
  }
  return den > 0 ? sqrt(num / den) : (num > 0 ? INFINITY : 0);
}

double mnn_response_worst_node(int n_in, int n_out, const double *R, const double *R_ref) {
  double worst = 0, scale = 0;
  for (int i = 0; i < n_in * n_out; ++i) scale = fmax(scale, fabs(R_ref[i]));
  for (int o = 0; o + 1 < n_out; o += 2)
    for (int j = 0; j < n_in; ++j) {
      size_t ix = (size_t)o * n_in + j, iy = (size_t)(o + 1) * n_in + j;
      double nf = hypot(R_ref[ix], R_ref[iy]);
      if (nf > 0.05 * scale) worst = fmax(worst, hypot(R[ix] - R_ref[ix], R[iy] - R_ref[iy]) / nf);
    }
  return worst;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int mnn_network_distinct_lengths(const mnn_network *net, double *lengths, mnn_error *err) {
  int n = 0;
  for (int b = 0; b < net->n_bonds; ++b) {
    double L = mnn_bond_length(net, b);
    int found = 0;
    for (int c = 0; c < n && !found; ++c) found = fabs(L - lengths[c]) <= MNN_LENGTH_CLASS_TOL * lengths[c];
    if (found) continue;
    if (n == MNN_MAX_LENGTH_CLASSES)
      return mnn_fail(err, "the network has more than %d distinct bond lengths: calibrate one factor instead of one "
                           "per length class", MNN_MAX_LENGTH_CLASSES);
    lengths[n++] = L;
  }
  qsort(lengths, (size_t)n, sizeof *lengths, cmp_double);
  return n;
}

/* Solves the small dense SPD system A x = b (n <= MNN_MAX_LENGTH_CLASSES) by
 * Cholesky; returns -1 when A is not positive definite. */
static int solve_spd(int n, double *A, double *b) {
  for (int j = 0; j < n; ++j) {
    double d = A[j * n + j];
    for (int k = 0; k < j; ++k) d -= A[j * n + k] * A[j * n + k];
    if (!(d > 0)) return -1;
    A[j * n + j] = sqrt(d);
    for (int i = j + 1; i < n; ++i) {
      double s = A[i * n + j];
      for (int k = 0; k < j; ++k) s -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = s / A[j * n + j];
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < i; ++k) b[i] -= A[i * n + k] * b[k];
    b[i] /= A[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {
    for (int k = i + 1; k < n; ++k) b[i] -= A[k * n + i] * b[k];
    b[i] /= A[i * n + i];
  }
  return 0;
}

static double sum_squares_diff(int n, const double *R, const double *R_ref) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += (R[i] - R_ref[i]) * (R[i] - R_ref[i]);
  return s;
}

/* Levenberg-Marquardt on theta_c = ln f_c; net has its classes set and is updated
 * in place; R holds the response at the accepted point on return. */
static int fit_classes(mnn_network *net, response_ws *w, const double *R_ref, double *R, int *iterations,
                       int *determined, mnn_error *err) {
  int nc = net->calibration.n_classes, n = w->n_in * w->n_out, nb = net->n_bonds;
  int *cls = malloc(sizeof(int) * (size_t)(nb > 0 ? nb : 1));
  double *J = malloc(sizeof(double) * (size_t)n * nc), *R_try = malloc(sizeof(double) * (size_t)n);
  double theta[MNN_MAX_LENGTH_CLASSES], JTJ[MNN_MAX_LENGTH_CLASSES * MNN_MAX_LENGTH_CLASSES], g[MNN_MAX_LENGTH_CLASSES];
  if (!cls || !J || !R_try) {
    free(cls), free(J), free(R_try);
    return mnn_fail(err, "out of memory fitting the length-class factors");
  }
  for (int b = 0; b < nb; ++b) cls[b] = mnn_network_length_class(net, mnn_bond_length(net, b));
  for (int c = 0; c < nc; ++c) theta[c] = log(net->calibration.class_factor[c]);
  int rc = ws_response(w, R, err);
  double cost = rc ? 0 : sum_squares_diff(n, R, R_ref), lambda = 1e-3;
  const double *E_out = w->same ? w->E_in : w->E_out;
  int it = 0;
  for (; !rc && it < 100; ++it) {
    /* Jacobian at the accepted point (w holds its elongations and k) */
    memset(J, 0, sizeof(double) * (size_t)n * nc);
    for (int b = 0; b < nb; ++b) {
      int c = cls[b];
      for (int o = 0; o < w->n_out; ++o) {
        double ko = w->k[b] * E_out[(size_t)o * nb + b];
        if (ko == 0) continue;
        for (int j = 0; j < w->n_in; ++j) J[((size_t)o * w->n_in + j) * nc + c] -= ko * w->E_in[(size_t)j * nb + b];
      }
    }
    double dmax = 0;
    for (int a = 0; a < nc; ++a) {
      g[a] = 0;
      for (int c = 0; c < nc; ++c) JTJ[a * nc + c] = 0;
    }
    for (int i = 0; i < n; ++i) {
      double r = R[i] - R_ref[i];
      for (int a = 0; a < nc; ++a) {
        g[a] -= J[(size_t)i * nc + a] * r;
        for (int c = 0; c < nc; ++c) JTJ[a * nc + c] += J[(size_t)i * nc + a] * J[(size_t)i * nc + c];
      }
    }
    for (int a = 0; a < nc; ++a) dmax = fmax(dmax, JTJ[a * nc + a]);
    if (!(dmax > 0)) break; /* no class changes the response: nothing to fit */
    /* a class the responses hardly depend on stays where it is (its row and
     * column are cut out of the step) */
    for (int a = 0; a < nc; ++a) {
      determined[a] = JTJ[a * nc + a] > 1e-16 * dmax;
      if (determined[a]) continue;
      g[a] = 0;
      for (int c = 0; c < nc; ++c) JTJ[a * nc + c] = JTJ[c * nc + a] = 0;
      JTJ[a * nc + a] = dmax;
    }
    int accepted = 0;
    double step = 0;
    while (!accepted && lambda < 1e12) {
      double A[MNN_MAX_LENGTH_CLASSES * MNN_MAX_LENGTH_CLASSES], d[MNN_MAX_LENGTH_CLASSES];
      memcpy(A, JTJ, sizeof(double) * (size_t)nc * nc);
      memcpy(d, g, sizeof(double) * (size_t)nc);
      for (int a = 0; a < nc; ++a) A[a * nc + a] += lambda * (JTJ[a * nc + a] + 1e-12 * dmax);
      if (solve_spd(nc, A, d)) {
        lambda *= 10;
        continue;
      }
      step = 0;
      for (int c = 0; c < nc; ++c) {
        net->calibration.class_factor[c] = exp(theta[c] + d[c]);
        step = fmax(step, fabs(d[c]));
      }
      if ((rc = ws_response(w, R_try, err))) break;
      double cost_try = sum_squares_diff(n, R_try, R_ref);
      if (cost_try <= cost) {
        accepted = 1;
        for (int c = 0; c < nc; ++c) theta[c] += d[c];
        memcpy(R, R_try, sizeof(double) * (size_t)n);
        double gain = cost - cost_try;
        cost = cost_try;
        lambda = fmax(lambda / 10, 1e-12);
        if (gain <= 1e-14 * cost || step < 1e-12) step = 0; /* converged */
      } else {
        lambda *= 10;
      }
    }
    if (rc) break;
    if (!accepted) { /* no descent left: restore the accepted point and its elongations */
      for (int c = 0; c < nc; ++c) net->calibration.class_factor[c] = exp(theta[c]);
      rc = ws_response(w, R, err);
      break;
    }
    if (step == 0) {
      ++it;
      break;
    }
  }
  *iterations = it;
  free(cls);
  free(J);
  free(R_try);
  return rc;
}

double mnn_response_scale(int n, const double *R, const double *R_ref) {
  double dot = 0, nn = 0;
  for (int i = 0; i < n; ++i) dot += R[i] * R_ref[i], nn += R[i] * R[i];
  return nn > 0 ? dot / nn : 0;
}

int mnn_calibrate_bar_model(const mnn_network *net0, int n_in, const int *in_dof, int n_out, const int *out_dof,
                            const double *R_ref, int per_length_class, mnn_calibration *cal, mnn_error *err) {
  memset(cal, 0, sizeof *cal);
  int n = n_in * n_out;
  if (n <= 0) return mnn_fail(err, "calibrate: no inputs or outputs to compare");
  mnn_network *net = mnn_network_copy(net0);
  double *R = malloc(sizeof(double) * (size_t)n);
  if (!net || !R) {
    mnn_network_free(net);
    free(R);
    return mnn_fail(err, "out of memory calibrating the bar model");
  }
  response_ws w;
  int rc = ws_init(&w, net, n_in, in_dof, n_out, out_dof, per_length_class, err);
  if (!rc) rc = ws_response(&w, R, err);
  if (!rc) {
    cal->diff_before = mnn_response_rel_difference(n, R, R_ref);
    cal->worst_before = mnn_response_worst_node(n_in, n_out, R, R_ref);
    /* one factor: R(f) = R(1) / f, so 1/f = <R(1), R_ref> / <R(1), R(1)> (which
     * holds without joint compliance: this model has none) */
    net->calibration.factor = 1, net->calibration.n_classes = 0, net->calibration.joint_compliance = 0;
    rc = ws_response(&w, R, err);
  }
  if (!rc) {
    cal->factor = 1 / mnn_response_scale(n, R, R_ref);
    if (!(cal->factor > 0) || !isfinite(cal->factor))
      rc = mnn_fail(err, "calibrate: the fitted stiffness factor %g is not positive: do the two models load the same "
                         "nodes in the same directions?", cal->factor);
    for (int i = 0; i < n && !rc; ++i) R[i] /= cal->factor;
    if (!rc) {
      cal->diff_one_factor = mnn_response_rel_difference(n, R, R_ref);
      cal->worst_one_factor = mnn_response_worst_node(n_in, n_out, R, R_ref);
    }
  }
  if (!rc && per_length_class) {
    int nc = mnn_network_distinct_lengths(net, net->calibration.class_length, err);
    if (nc < 0) rc = -1;
    else {
      net->calibration.n_classes = nc;
      for (int c = 0; c < nc; ++c) net->calibration.class_factor[c] = cal->factor;
      net->calibration.factor = cal->factor;
      rc = fit_classes(net, &w, R_ref, R, &cal->iterations, cal->class_determined, err);
    }
    if (!rc) {
      cal->n_classes = nc;
      memcpy(cal->class_length, net->calibration.class_length, sizeof(double) * (size_t)nc);
      memcpy(cal->class_factor, net->calibration.class_factor, sizeof(double) * (size_t)nc);
      cal->diff_classes = mnn_response_rel_difference(n, R, R_ref);
      cal->worst_classes = mnn_response_worst_node(n_in, n_out, R, R_ref);
    }
  }
  ws_free(&w);
  mnn_network_free(net);
  free(R);
  return rc;
}

void mnn_calibration_apply(const mnn_calibration *cal, mnn_network *net) {
  net->calibration.factor = cal->factor;
  net->calibration.joint_compliance = 0;
  net->calibration.n_classes = cal->n_classes;
  memcpy(net->calibration.class_length, cal->class_length, sizeof(double) * (size_t)cal->n_classes);
  memcpy(net->calibration.class_factor, cal->class_factor, sizeof(double) * (size_t)cal->n_classes);
}
