/* Hand-written P1/P2 tetrahedron kernels: stiffness from gradients of barycentric
 * coordinates, K_{ai,bj} = integral of lambda dN_a/dx_i dN_b/dx_j
 *                          + mu (delta_ij grad N_a . grad N_b + dN_a/dx_j dN_b/dx_i). */
#include "fem_element.h"

#include <math.h>
#include <string.h>

const int mnn_tet_edge_vertices[6][2] = {{0, 1}, {1, 2}, {0, 2}, {0, 3}, {1, 3}, {2, 3}};

int mnn_tet_nodes(int order) { return order == 1 ? 4 : 10; }

double mnn_tet_volume(const double x[4][3]) {
  double a[3], b[3], c[3];
  for (int i = 0; i < 3; ++i) {
    a[i] = x[1][i] - x[0][i];
    b[i] = x[2][i] - x[0][i];
    c[i] = x[3][i] - x[0][i];
  }
  return (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
          a[2] * (b[0] * c[1] - b[1] * c[0])) / 6.0;
}

void mnn_lame(double youngs, double poisson, double *lambda, double *mu) {
  *lambda = youngs * poisson / ((1 + poisson) * (1 - 2 * poisson));
  *mu = youngs / (2 * (1 + poisson));
}

/* Gradients of the barycentric coordinates: g[i][d] = d lambda_i / d x_d. */
static void barycentric_gradients(const double x[4][3], double vol6, double g[4][3]) {
  double a[3], b[3], c[3];
  for (int i = 0; i < 3; ++i) {
    a[i] = x[1][i] - x[0][i];
    b[i] = x[2][i] - x[0][i];
    c[i] = x[3][i] - x[0][i];
  }
  /* rows of the inverse Jacobian: (b x c, c x a, a x b) / det */
  double bc[3] = {b[1] * c[2] - b[2] * c[1], b[2] * c[0] - b[0] * c[2], b[0] * c[1] - b[1] * c[0]};
  double ca[3] = {c[1] * a[2] - c[2] * a[1], c[2] * a[0] - c[0] * a[2], c[0] * a[1] - c[1] * a[0]};
  double ab[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  for (int d = 0; d < 3; ++d) {
    g[1][d] = bc[d] / vol6;
    g[2][d] = ca[d] / vol6;
    g[3][d] = ab[d] / vol6;
    g[0][d] = -(g[1][d] + g[2][d] + g[3][d]);
  }
}

/* Shape function gradients at barycentric point l for order 2. */
static void p2_gradients(const double g[4][3], const double l[4], double dN[10][3]) {
  for (int i = 0; i < 4; ++i)
    for (int d = 0; d < 3; ++d) dN[i][d] = (4 * l[i] - 1) * g[i][d];
  for (int e = 0; e < 6; ++e) {
    int i = mnn_tet_edge_vertices[e][0], j = mnn_tet_edge_vertices[e][1];
    for (int d = 0; d < 3; ++d) dN[4 + e][d] = 4 * (l[i] * g[j][d] + l[j] * g[i][d]);
  }
}

/* K from the gradients dN[q][a][d] at nq points with weights w[q]: for each pair
 * of nodes, G = sum_q w_q grad N_a (x) grad N_b, then
 * K_ab,ij = lambda G_ij + mu (delta_ij tr G + G_ji); the lower triangle mirrors. */
static void stiffness_from_gradients(int n, int nq, const double (*dN)[10][3], const double *w, double lambda,
                                     double mu, double *K) {
  int ndof = 3 * n;
  for (int a = 0; a < n; ++a) {
    for (int b = a; b < n; ++b) {
      double G[3][3] = {{0}};
      for (int q = 0; q < nq; ++q)
        for (int i = 0; i < 3; ++i) {
          double wa = w[q] * dN[q][a][i];
          for (int j = 0; j < 3; ++j) G[i][j] += wa * dN[q][b][j];
        }
      double tr = G[0][0] + G[1][1] + G[2][2];
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          double v = lambda * G[i][j] + mu * ((i == j ? tr : 0.0) + G[j][i]);
          K[(size_t)(3 * a + i) * ndof + 3 * b + j] = v;
          K[(size_t)(3 * b + j) * ndof + 3 * a + i] = v;
        }
    }
  }
}

double mnn_tet_stiffness(int order, const double x[4][3], double lambda, double mu, double *K) {
  double vol = mnn_tet_volume(x), g[4][3];
  barycentric_gradients(x, 6 * vol, g);
  vol = fabs(vol);
  double dN[4][10][3], w[4];
  if (order == 1) {
    memcpy(dN[0], g, sizeof g);
    w[0] = vol;
    stiffness_from_gradients(4, 1, (const double (*)[10][3])dN, w, lambda, mu, K);
    return vol;
  }
  /* 4-point rule of degree 2 (exact: the integrand is quadratic on a straight tetrahedron) */
  const double qa = 0.5854101966249685, qb = 0.1381966011250105;
  for (int q = 0; q < 4; ++q) {
    double l[4] = {qb, qb, qb, qb};
    l[q] = qa;
    p2_gradients(g, l, dN[q]);
    w[q] = 0.25 * vol;
  }
  stiffness_from_gradients(10, 4, (const double (*)[10][3])dN, w, lambda, mu, K);
  return vol;
}

void mnn_tet_load_weights(int order, double volume, double *w) {
  if (order == 1) {
    for (int a = 0; a < 4; ++a) w[a] = 0.25 * volume;
    return;
  }
  for (int a = 0; a < 4; ++a) w[a] = -volume / 20.0;
  for (int a = 4; a < 10; ++a) w[a] = volume / 5.0;
}
