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

/* Adds w * (element stiffness of gradients dN) to K. */
static void add_stiffness(int n, const double (*dN)[3], double lambda, double mu, double w, double *K) {
  int ndof = 3 * n;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      double dot = dN[a][0] * dN[b][0] + dN[a][1] * dN[b][1] + dN[a][2] * dN[b][2];
      for (int i = 0; i < 3; ++i) {
        double *row = K + (size_t)(3 * a + i) * ndof + 3 * b;
        for (int j = 0; j < 3; ++j)
          row[j] += w * (lambda * dN[a][i] * dN[b][j] + mu * ((i == j ? dot : 0.0) + dN[a][j] * dN[b][i]));
      }
    }
  }
}

double mnn_tet_stiffness(int order, const double x[4][3], double lambda, double mu, double *K) {
  double vol = mnn_tet_volume(x), g[4][3];
  barycentric_gradients(x, 6 * vol, g);
  vol = fabs(vol);
  int n = mnn_tet_nodes(order), ndof = 3 * n;
  memset(K, 0, sizeof(double) * (size_t)ndof * ndof);
  if (order == 1) {
    add_stiffness(4, (const double (*)[3])g, lambda, mu, vol, K);
    return vol;
  }
  /* 4-point rule of degree 2 (exact: the integrand is quadratic on a straight tetrahedron) */
  const double qa = 0.5854101966249685, qb = 0.1381966011250105;
  for (int q = 0; q < 4; ++q) {
    double l[4] = {qb, qb, qb, qb}, dN[10][3];
    l[q] = qa;
    p2_gradients(g, l, dN);
    add_stiffness(10, (const double (*)[3])dN, lambda, mu, 0.25 * vol, K);
  }
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
