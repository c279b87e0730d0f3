/* The bar solver against docs/model.md's two checks (6 significant digits), closed
 * forms (one bar, two-bar trusses), several right-hand sides at once, refactoring
 * with a new k, and the dense and CHOLMOD paths against each other. */
#include <stdlib.h>
#include "bar_solver.h"
#include "network.h"
#include "test_util.h"

/* u (full length) for one load on one node of the paper's network, all widths 2 mm. */
static void paper_response(int node_id, double fy, double *u) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  CHECK(net != NULL);
  double k[28], F[28] = {0};
  mnn_network_stiffnesses(net, k);
  CHECK_CLOSE(k[0], 137.5, 1e-12, 0);
  mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
  CHECK(s != NULL);
  CHECK(mnn_bar_solver_method(s) == MNN_BAR_DENSE);
  CHECK(mnn_bar_solver_n_free(s) == 24);
  CHECK(mnn_bar_solver_factor(s, k, &err) == 0);
  F[2 * mnn_network_node_index(net, node_id) + 1] = fy;
  CHECK(mnn_bar_solver_solve(s, 1, F, u, &err) == 0);
  mnn_bar_solver_free(s);
  mnn_network_free(net);
}

static void model_checks(void) {
  double u[28];
  paper_response(11, -0.005 * 9.8, u);
  /* nodes 13 and 14 are indices 12 and 13 */
  CHECK_CLOSE(u[2 * 12 + 1] * 1e3, -0.524293, 5e-7, 0);
  CHECK_CLOSE(u[2 * 13 + 1] * 1e3, -0.524293, 5e-7, 0);
  double u14_first = u[2 * 13 + 1];
  CHECK(u[0] == 0 && u[1] == 0 && u[8] == 0 && u[9] == 0); /* supports 1 and 5 */
  paper_response(13, -0.01 * 9.8, u);
  CHECK_CLOSE(u[2 * 13 + 1] * 1e3, -0.80521, 5e-6, 0);
  printf("u14y (F on 11) = %.6f mm, u14y (F on 13) = %.6f mm\n", u14_first * 1e3, u[2 * 13 + 1] * 1e3);
}

static mnn_network *two_bar_truss(double a, double h, double w1, double w2) {
  mnn_network *net = mnn_network_create(3, 2);
  double x[3] = {-a, a, 0}, y[3] = {0, 0, -h};
  for (int i = 0; i < 3; ++i) net->node_id[i] = i + 1, net->x[i] = x[i], net->y[i] = y[i];
  net->fixed[0] = net->fixed[1] = MNN_FIX_XY;
  net->bond_id[0] = 1, net->bond_a[0] = 0, net->bond_b[0] = 2, net->width[0] = w1;
  net->bond_id[1] = 2, net->bond_a[1] = 1, net->bond_b[1] = 2, net->width[1] = w2;
  return net;
}

static void closed_forms(void) {
  mnn_error err;
  /* one bar along x, far end held in y: u = F / k, e = u */
  mnn_network *bar = mnn_network_create(2, 1);
  bar->node_id[0] = 1, bar->node_id[1] = 2, bar->x[1] = 0.03;
  bar->fixed[0] = MNN_FIX_XY, bar->fixed[1] = MNN_FIX_Y;
  bar->bond_id[0] = 1, bar->bond_a[0] = 0, bar->bond_b[0] = 1, bar->width[0] = 0.002;
  double k1, F[4] = {0, 0, 0.07, 5.0}, U[4], e;
  mnn_network_stiffnesses(bar, &k1);
  CHECK_CLOSE(k1, 5.5e5 * 0.002 * 0.002 / 0.03, 1e-14, 0);
  for (int m = MNN_BAR_DENSE; m <= MNN_BAR_SPARSE; ++m) {
    mnn_bar_solver *s = mnn_bar_solver_create_with(bar, (mnn_bar_method)m, &err);
    CHECK(s && mnn_bar_solver_factor(s, &k1, &err) == 0 && mnn_bar_solver_solve(s, 1, F, U, &err) == 0);
    CHECK_CLOSE(U[2], 0.07 / k1, 1e-13, 0);
    CHECK(U[0] == 0 && U[1] == 0 && U[3] == 0); /* the fixed y of node 2 ignores its 5 N */
    mnn_bar_elongations(bar, 1, U, &e);
    CHECK_CLOSE(e, 0.07 / k1, 1e-13, 0);
    mnn_bar_solver_free(s);
  }
  mnn_network_free(bar);

  /* symmetric two-bar truss, load P down at the apex: u_y = -P / (2 k sin^2), u_x = 0 */
  double a = 0.02, h = 0.015, L = hypot(a, h), sn = h / L, P = 0.3;
  mnn_network *net = two_bar_truss(a, h, 0.002, 0.002);
  double k[2], G[6] = {0, 0, 0, 0, 0, -P}, V[6], E[2];
  mnn_network_stiffnesses(net, k);
  mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
  CHECK(s && mnn_bar_solver_factor(s, k, &err) == 0 && mnn_bar_solver_solve(s, 1, G, V, &err) == 0);
  CHECK_CLOSE(V[5], -P / (2 * k[0] * sn * sn), 1e-13, 0);
  CHECK_CLOSE(V[4], 0, 0, 1e-18);
  mnn_bar_elongations(net, 1, V, E);
  CHECK_CLOSE(E[0], P / (2 * k[0] * sn), 1e-13, 0);
  CHECK_CLOSE(E[1], P / (2 * k[0] * sn), 1e-13, 0);
  /* unequal widths, oblique load: force balance sum_i k_i e_i c_i = F at the apex */
  net->width[1] = 0.0013;
  mnn_network_stiffnesses(net, k);
  G[4] = 0.11;
  CHECK(mnn_bar_solver_factor(s, k, &err) == 0 && mnn_bar_solver_solve(s, 1, G, V, &err) == 0);
  mnn_bar_elongations(net, 1, V, E);
  double fx = 0, fy = 0;
  for (int b = 0; b < 2; ++b) {
    double cx, cy;
    mnn_bond_direction(net, b, &cx, &cy); /* from support to apex: tension pulls the apex back */
    fx -= k[b] * E[b] * cx;
    fy -= k[b] * E[b] * cy;
  }
  CHECK_CLOSE(fx + G[4], 0, 0, 1e-14);
  CHECK_CLOSE(fy + G[5], 0, 0, 1e-14);
  /* Cramer's rule on the 2x2 apex system */
  double c1x = a / L, c1y = -h / L, c2x = -a / L, c2y = -h / L;
  double K11 = k[0] * c1x * c1x + k[1] * c2x * c2x, K12 = k[0] * c1x * c1y + k[1] * c2x * c2y,
         K22 = k[0] * c1y * c1y + k[1] * c2y * c2y, det = K11 * K22 - K12 * K12;
  CHECK_CLOSE(V[4], (K22 * G[4] - K12 * G[5]) / det, 1e-12, 0);
  CHECK_CLOSE(V[5], (K11 * G[5] - K12 * G[4]) / det, 1e-12, 0);
  CHECK(mnn_bar_solver_n_factorisations(s) == 2 && mnn_bar_solver_n_solves(s) == 2);
  mnn_bar_solver_free(s);
  mnn_network_free(net);
}

static double rnd(unsigned *state) {
  *state = *state * 1103515245u + 12345u;
  return ((*state >> 8) & 0xffffff) / 16777216.0;
}

/* Several right-hand sides at once equal one at a time; F and U may alias; a
 * refactored solver equals a fresh one; dense equals CHOLMOD. */
static void multi_rhs_refactor_paths(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_patch(12, 10, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  CHECK(net != NULL);
  int nb = net->n_bonds, nd = 2 * net->n_nodes, nrhs = 5;
  unsigned st = 7;
  double *k = malloc(nb * sizeof(double)), *k2 = malloc(nb * sizeof(double));
  double *F = malloc((size_t)nd * nrhs * sizeof(double)), *U = malloc((size_t)nd * nrhs * sizeof(double)),
         *U1 = malloc(nd * sizeof(double)), *U2 = malloc((size_t)nd * nrhs * sizeof(double)),
         *W = malloc((size_t)nd * nrhs * sizeof(double));
  for (int b = 0; b < nb; ++b) {
    net->width[b] = 0.0015 + 0.001 * rnd(&st);
    k2[b] = mnn_bond_stiffness(net, b) * (0.5 + rnd(&st));
  }
  mnn_network_stiffnesses(net, k);
  for (int i = 0; i < nd * nrhs; ++i) F[i] = rnd(&st) - 0.5;
  mnn_bar_solver *dense = mnn_bar_solver_create_with(net, MNN_BAR_DENSE, &err);
  mnn_bar_solver *sparse = mnn_bar_solver_create_with(net, MNN_BAR_SPARSE, &err);
  mnn_bar_solver *autos = mnn_bar_solver_create(net, &err);
  CHECK(dense && sparse && autos);
  CHECK(mnn_bar_solver_n_free(dense) == nd - 2 * 10);
  CHECK(mnn_bar_solver_method(autos) == MNN_BAR_DENSE); /* 220 free DOFs */
  CHECK(mnn_bar_solver_factor(dense, k, &err) == 0);
  CHECK(mnn_bar_solver_factor(sparse, k, &err) == 0);
  CHECK(mnn_bar_solver_solve(dense, nrhs, F, U, &err) == 0);
  CHECK(mnn_bar_solver_solve(sparse, nrhs, F, U2, &err) == 0);
  double maxu = 0, diff = 0, diff1 = 0;
  for (int i = 0; i < nd * nrhs; ++i) maxu = fmax(maxu, fabs(U[i])), diff = fmax(diff, fabs(U[i] - U2[i]));
  CHECK_MSG(diff <= 1e-10 * maxu, "dense vs CHOLMOD: %g of %g", diff, maxu);
  for (int r = 0; r < nrhs; ++r) {
    CHECK(mnn_bar_solver_solve(sparse, 1, F + (size_t)r * nd, U1, &err) == 0);
    for (int i = 0; i < nd; ++i) diff1 = fmax(diff1, fabs(U1[i] - U2[(size_t)r * nd + i]));
  }
  CHECK_MSG(diff1 <= 1e-13 * maxu, "several vs one at a time: %g", diff1);
  CHECK(mnn_bar_solver_n_solves(sparse) == 2 * nrhs);
  /* residual: D u = f on the free DOFs, through the elongations: f = C^T K e */
  double *E = malloc((size_t)nb * nrhs * sizeof(double));
  mnn_bar_elongations(net, nrhs, U2, E);
  memset(W, 0, (size_t)nd * nrhs * sizeof(double));
  for (int r = 0; r < nrhs; ++r)
    for (int b = 0; b < nb; ++b) {
      double cx, cy, t = k[b] * E[(size_t)r * nb + b];
      mnn_bond_direction(net, b, &cx, &cy);
      double *w = W + (size_t)r * nd;
      w[2 * net->bond_a[b]] -= t * cx, w[2 * net->bond_a[b] + 1] -= t * cy;
      w[2 * net->bond_b[b]] += t * cx, w[2 * net->bond_b[b] + 1] += t * cy;
    }
  double res = 0, fmaxv = 0;
  for (int r = 0; r < nrhs; ++r)
    for (int i = 0; i < net->n_nodes; ++i)
      for (int c = 0; c < 2; ++c) {
        if (net->fixed[i]) continue;
        size_t q = (size_t)r * nd + 2 * i + c;
        res = fmax(res, fabs(W[q] - F[q]));
        fmaxv = fmax(fmaxv, fabs(F[q]));
      }
  CHECK_MSG(res <= 1e-11 * fmaxv, "residual %g", res);
  /* refactor with k2 (F and U aliased) vs a fresh solver */
  CHECK(mnn_bar_solver_factor(sparse, k2, &err) == 0);
  memcpy(W, F, (size_t)nd * nrhs * sizeof(double));
  CHECK(mnn_bar_solver_solve(sparse, nrhs, W, W, &err) == 0);
  mnn_bar_solver *fresh = mnn_bar_solver_create_with(net, MNN_BAR_SPARSE, &err);
  CHECK(fresh && mnn_bar_solver_factor(fresh, k2, &err) == 0 && mnn_bar_solver_solve(fresh, nrhs, F, U, &err) == 0);
  diff = 0, maxu = 0;
  for (int i = 0; i < nd * nrhs; ++i) maxu = fmax(maxu, fabs(U[i])), diff = fmax(diff, fabs(U[i] - W[i]));
  CHECK_MSG(diff <= 1e-14 * maxu, "refactor vs fresh: %g", diff);
  CHECK(mnn_bar_solver_factor(dense, k2, &err) == 0 && mnn_bar_solver_solve(dense, nrhs, F, U2, &err) == 0);
  diff = 0;
  for (int i = 0; i < nd * nrhs; ++i) diff = fmax(diff, fabs(U[i] - U2[i]));
  CHECK_MSG(diff <= 1e-10 * maxu, "dense vs CHOLMOD after refactor: %g", diff);
  mnn_bar_solver_free(fresh);
  mnn_bar_solver_free(dense);
  mnn_bar_solver_free(sparse);
  mnn_bar_solver_free(autos);
  mnn_network_free(net);
  free(k), free(k2), free(F), free(U), free(U1), free(U2), free(W), free(E);
}

static void errors(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
  double k[28], F[28] = {0}, U[28];
  mnn_network_stiffnesses(net, k);
  CHECK(mnn_bar_solver_solve(s, 1, F, U, &err) != 0); /* not factored yet */
  k[4] = NAN;
  CHECK(mnn_bar_solver_factor(s, k, &err) != 0);
  CHECK_CONTAINS(err.message, "bond 5");
  CHECK(mnn_bar_solver_solve(s, 1, F, U, &err) != 0);
  mnn_bar_solver_free(s);
  mnn_network_free(net);
}

int main(void) {
  model_checks();
  closed_forms();
  multi_rhs_refactor_paths();
  errors();
  return mnn_test_finish();
}
