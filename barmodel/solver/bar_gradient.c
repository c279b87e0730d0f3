/* Elongations e = C u and the exact gradients dL/dk_i = sum_s e_adj,i,s e_i,s
 * and dL/dw_i = (dk_i/dw_i) dL/dk_i of the bar model (docs/model.md). */
#include <string.h>
#include "bar_solver.h"

void mnn_bar_elongations(const mnn_network *net, int nrhs, const double *U, double *E) {
  size_t ndofs = 2 * (size_t)net->n_nodes, nb = (size_t)net->n_bonds;
  for (size_t b = 0; b < nb; ++b) {
    double cx, cy;
    mnn_bond_direction(net, (int)b, &cx, &cy);
    size_t a = 2 * (size_t)net->bond_a[b], c = 2 * (size_t)net->bond_b[b];
    for (int s = 0; s < nrhs; ++s) {
      const double *u = U + (size_t)s * ndofs;
      E[(size_t)s * nb + b] = cx * (u[c] - u[a]) + cy * (u[c + 1] - u[a + 1]);
    }
  }
}

void mnn_bar_gradient_k(int n_bonds, int nrhs, const double *E, const double *E_adj, double *g, int accumulate) {
  if (!accumulate) memset(g, 0, (size_t)n_bonds * sizeof(double));
  for (int s = 0; s < nrhs; ++s) {
    const double *e = E + (size_t)s * n_bonds, *ea = E_adj + (size_t)s * n_bonds;
    for (int b = 0; b < n_bonds; ++b) g[b] += ea[b] * e[b];
  }
}

void mnn_bar_gradient_w(const mnn_network *net, const double *g_k, double *g_w) {
  for (int b = 0; b < net->n_bonds; ++b) g_w[b] = mnn_bond_dstiffness_dwidth(net, b) * g_k[b];
}
