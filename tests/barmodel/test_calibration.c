/* Calibration of the bar model (calibration.h): the response matrix against
 * single solves, the closed-form single factor, and the per-length-class fit
 * recovering known class factors of a two-length truss from its own response. */
#include <math.h>
#include <stdlib.h>
#include "bar_solver.h"
#include "calibration.h"
#include "network.h"
#include "test_util.h"

/* A 3 x 2 grid of nodes a apart with one diagonal per square: bonds of length a
 * and a*sqrt(2); the left column is supported. */
static mnn_network *two_length_truss(void) {
  const double a = 0.01;
  mnn_network *net = mnn_network_create(6, 9);
  for (int i = 0; i < 6; ++i) {
    net->node_id[i] = i + 1;
    net->x[i] = (i % 3) * a;
    net->y[i] = (i / 3) * a;
  }
  int ends[9][2] = {{0, 1}, {1, 2}, {3, 4}, {4, 5}, {0, 3}, {1, 4}, {2, 5}, {0, 4}, {1, 5}};
  for (int b = 0; b < 9; ++b) {
    net->bond_id[b] = b + 1;
    net->bond_a[b] = ends[b][0];
    net->bond_b[b] = ends[b][1];
    net->width[b] = 0.0015 + 0.0001 * b;
  }
  net->fixed[0] = net->fixed[3] = MNN_FIX_XY;
  return net;
}

/* Every free DOF, as inputs and outputs. */
static int free_dofs(const mnn_network *net, int *dofs) {
  int n = 0;
  for (int i = 0; i < net->n_nodes; ++i)
    if (!net->fixed[i]) dofs[n++] = 2 * i, dofs[n++] = 2 * i + 1;
  return n;
}

static void response_matches_solves(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  int in[2] = {2 * 12 + 1, 2 * 10 + 1}, out[3] = {2 * 13, 2 * 13 + 1, 2 * 7};
  double R[6], k[28], U[28] = {0};
  CHECK(mnn_bar_response(net, 2, in, 3, out, R, &err) == 0);
  /* docs/model.md: force -0.098 N on node 13 moves node 14 by -0.805212 mm */
  CHECK_CLOSE(-0.098 * R[1 * 2 + 0] * 1e3, -0.805212, 5e-6, 0);
  mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
  mnn_network_stiffnesses(net, k);
  U[2 * 10 + 1] = 1;
  CHECK(mnn_bar_solver_factor(s, k, &err) == 0 && mnn_bar_solver_solve(s, 1, U, U, &err) == 0);
  for (int o = 0; o < 3; ++o) CHECK_CLOSE(R[o * 2 + 1], U[out[o]], 1e-12, 1e-18);
  mnn_bar_solver_free(s);
  mnn_network_free(net);
}

static void single_factor_is_recovered(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err), *ref = mnn_network_copy(net);
  ref->calibration.factor = 0.853;
  int dofs[28], n = free_dofs(net, dofs);
  double *R_ref = malloc(sizeof(double) * n * n);
  CHECK(mnn_bar_response(ref, n, dofs, n, dofs, R_ref, &err) == 0);
  mnn_calibration cal;
  CHECK(mnn_calibrate_bar_model(net, n, dofs, n, dofs, R_ref, 0, &cal, &err) == 0);
  CHECK_CLOSE(cal.factor, 0.853, 1e-12, 0);
  CHECK_CLOSE(cal.diff_before, 1 - 0.853, 1e-10, 0); /* R(1) = R_ref * 0.853 */
  CHECK(cal.diff_one_factor < 1e-12);
  CHECK(cal.n_classes == 0);
  /* the paper's lattice has one bond length: one class, the same factor */
  CHECK(mnn_calibrate_bar_model(net, n, dofs, n, dofs, R_ref, 1, &cal, &err) == 0);
  CHECK(cal.n_classes == 1);
  CHECK_CLOSE(cal.class_length[0], 0.016, 1e-12, 0);
  CHECK_CLOSE(cal.class_factor[0], 0.853, 1e-10, 0);
  free(R_ref);
  mnn_network_free(ref);
  mnn_network_free(net);
}

static void class_factors_are_recovered(void) {
  mnn_error err;
  mnn_network *net = two_length_truss(), *ref = mnn_network_copy(net);
  double lengths[MNN_MAX_LENGTH_CLASSES];
  CHECK(mnn_network_distinct_lengths(net, lengths, &err) == 2);
  CHECK_CLOSE(lengths[0], 0.01, 1e-12, 0);
  CHECK_CLOSE(lengths[1], 0.01 * sqrt(2), 1e-12, 0);
  ref->calibration.n_classes = 2;
  ref->calibration.class_length[0] = 0.01 * sqrt(2), ref->calibration.class_factor[0] = 1.2; /* order differs from the fit's */
  ref->calibration.class_length[1] = 0.01, ref->calibration.class_factor[1] = 0.7;
  CHECK_CLOSE(mnn_bond_stiffness_factor(ref, 7), 1.2, 0, 0);
  CHECK_CLOSE(mnn_bond_stiffness_factor(ref, 0), 0.7, 0, 0);
  int dofs[12], n = free_dofs(net, dofs);
  double *R_ref = malloc(sizeof(double) * n * n);
  CHECK(mnn_bar_response(ref, n, dofs, n, dofs, R_ref, &err) == 0);
  mnn_calibration cal;
  CHECK_MSG(mnn_calibrate_bar_model(net, n, dofs, n, dofs, R_ref, 1, &cal, &err) == 0, "%s", err.message);
  printf("two-length truss: one factor %.4f leaves %.3g; classes %.6f %.6f leave %.3g after %d iterations\n",
         cal.factor, cal.diff_one_factor, cal.class_factor[0], cal.class_factor[1], cal.diff_classes, cal.iterations);
  CHECK(cal.n_classes == 2);
  CHECK_CLOSE(cal.class_factor[0], 0.7, 1e-8, 0);
  CHECK_CLOSE(cal.class_factor[1], 1.2, 1e-8, 0);
  CHECK(cal.diff_one_factor > 0.01); /* one factor cannot fit two */
  CHECK(cal.diff_classes < 1e-9);
  CHECK(cal.worst_classes < 1e-8 && cal.worst_one_factor > 0.01 && cal.worst_before > cal.worst_one_factor);
  /* apply, and the bar model reproduces the reference */
  mnn_calibration_apply(&cal, net);
  double *R = malloc(sizeof(double) * n * n);
  CHECK(mnn_bar_response(net, n, dofs, n, dofs, R, &err) == 0);
  CHECK(mnn_response_rel_difference(n * n, R, R_ref) < 1e-9);
  CHECK(mnn_response_worst_node(n, n, R, R_ref) < 1e-8);
  /* different inputs and outputs: only y forces on the tip nodes, all outputs */
  int in[2] = {2 * 2 + 1, 2 * 5 + 1};
  double R2[24];
  CHECK(mnn_bar_response(ref, 2, in, n, dofs, R2, &err) == 0);
  net->calibration.n_classes = 0;
  CHECK(mnn_calibrate_bar_model(net, 2, in, n, dofs, R2, 1, &cal, &err) == 0);
  CHECK_CLOSE(cal.class_factor[0], 0.7, 1e-6, 0);
  CHECK_CLOSE(cal.class_factor[1], 1.2, 1e-6, 0);
  CHECK(cal.class_determined[0] && cal.class_determined[1]);
  /* x forces on the tips load only the horizontal bonds: the diagonals' class is
   * not determined by these responses, and says so; it keeps the single factor */
  in[0] = 2 * 2, in[1] = 2 * 5;
  CHECK(mnn_bar_response(ref, 2, in, n, dofs, R2, &err) == 0);
  CHECK(mnn_calibrate_bar_model(net, 2, in, n, dofs, R2, 1, &cal, &err) == 0);
  CHECK_CLOSE(cal.class_factor[0], 0.7, 1e-8, 0);
  CHECK(cal.class_determined[0] && !cal.class_determined[1]);
  CHECK_CLOSE(cal.class_factor[1], cal.factor, 1e-12, 0);
  free(R);
  free(R_ref);
  mnn_network_free(ref);
  mnn_network_free(net);
}

static void too_many_lengths_fail_clearly(void) {
  mnn_error err;
  int n = MNN_MAX_LENGTH_CLASSES + 2;
  mnn_network *net = mnn_network_create(n + 1, n);
  for (int i = 0; i <= n; ++i) net->node_id[i] = i + 1, net->x[i] = 0.01 * i * (1 + 0.05 * i);
  for (int b = 0; b < n; ++b) net->bond_id[b] = b + 1, net->bond_a[b] = b, net->bond_b[b] = b + 1, net->width[b] = 0.002;
  double lengths[MNN_MAX_LENGTH_CLASSES];
  CHECK(mnn_network_distinct_lengths(net, lengths, &err) < 0);
  CHECK_CONTAINS(err.message, "distinct bond lengths");
  mnn_network_free(net);
}

/* The bar model with a joint compliance is the frame model's pinned variant with
 * the same compliance (two implementations of k = f / (L/(E w t) + 2 c_j)). */
static void joint_compliance_matches_frame_model(void) {
  mnn_error err;
  mnn_network *net = two_length_truss();
  net->calibration.factor = 0.98, net->calibration.joint_compliance = 5e-4;
  int dofs[12], n = free_dofs(net, dofs);
  double R_bar[144], R_frame[144];
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  o.joint_compliance = 5e-4;
  CHECK(mnn_bar_response(net, n, dofs, n, dofs, R_bar, &err) == 0);
  net->calibration.joint_compliance = 0; /* the frame model takes it from its options */
  CHECK(mnn_frame_response(net, &o, n, dofs, n, dofs, R_frame, &err) == 0);
  CHECK(mnn_response_rel_difference(n * n, R_bar, R_frame) < 1e-12);
  /* and the single-factor fit has no joint compliance: it fits f alone and applies 0 */
  net->calibration.joint_compliance = 5e-4;
  mnn_calibration cal;
  CHECK(mnn_calibrate_bar_model(net, n, dofs, n, dofs, R_frame, 0, &cal, &err) == 0);
  CHECK(cal.diff_before < 1e-12 && cal.diff_one_factor > 1e-3);
  mnn_calibration_apply(&cal, net);
  CHECK(net->calibration.joint_compliance == 0 && net->calibration.factor == cal.factor);
  mnn_network_free(net);
}

/* The least-squares scale: exact for a multiple, the projection otherwise, 0 for
 * a zero response (so that no factor is derived from it). */
static void response_scale_is_the_projection(void) {
  const double R[3] = {1, -2, 0.5}, twice[3] = {2, -4, 1}, other[3] = {1, 0, 0}, zero[3] = {0, 0, 0};
  CHECK(mnn_response_scale(3, R, twice) == 2);
  CHECK_CLOSE(mnn_response_scale(3, R, other), 1 / 5.25, 1e-15, 0);
  CHECK_CLOSE(mnn_response_scale(3, twice, R), 0.5, 1e-15, 0);
  CHECK(mnn_response_scale(3, zero, R) == 0);
  CHECK(mnn_response_scale(3, R, zero) == 0);
}

int main(void) {
  response_scale_is_the_projection();
  response_matches_solves();
  joint_compliance_matches_frame_model();
  single_factor_is_recovered();
  class_factors_are_recovered();
  too_many_lengths_fail_clearly();
  return mnn_test_finish();
}
