/* Exact gradients on random networks: random widths within the bounds, random
 * loads (several samples), a quadratic loss on random output DOFs. The adjoint
 * gradient in k must match central differences to 1e-6 relative, and the chain
 * rule to widths must match central differences in w. Both solver paths. */
#include <stdlib.h>
#include "bar_solver.h"
#include "network.h"
#include "test_util.h"

static unsigned g_state = 12345;
static double rnd(void) {
  g_state = g_state * 1664525u + 1013904223u;
  return (g_state >> 8) / 16777216.0;
}

typedef struct {
  mnn_network *net;
  mnn_bar_solver *solver;
  int nrhs, n_out;
  int *out_dof;   /* n_out */
  double *F, *T;  /* loads (2n x nrhs), targets (n_out x nrhs) */
  double *U;
} problem;

/* L = sum_s sum_o (u_{out_o, s} - T_{o,s})^2 for the spring constants k. */
static double loss(problem *p, const double *k) {
  mnn_error err;
  CHECK(mnn_bar_solver_factor(p->solver, k, &err) == 0);
  CHECK(mnn_bar_solver_solve(p->solver, p->nrhs, p->F, p->U, &err) == 0);
  size_t nd = 2 * (size_t)p->net->n_nodes;
  double L = 0;
  for (int s = 0; s < p->nrhs; ++s)
    for (int o = 0; o < p->n_out; ++o) {
      double r = p->U[s * nd + p->out_dof[o]] - p->T[s * p->n_out + o];
      L += r * r;
    }
  return L;
}

/* Adjoint gradient: one factorisation, nrhs forward and nrhs adjoint solves. */
static void adjoint_gradient(problem *p, const double *k, double *g) {
  mnn_error err;
  size_t nd = 2 * (size_t)p->net->n_nodes, nb = (size_t)p->net->n_bonds;
  loss(p, k);
  double *rhs = calloc(nd * p->nrhs, sizeof(double)), *Ua = malloc(nd * p->nrhs * sizeof(double));
  double *E = malloc(nb * p->nrhs * sizeof(double)), *Ea = malloc(nb * p->nrhs * sizeof(double));
  for (int s = 0; s < p->nrhs; ++s)
    for (int o = 0; o < p->n_out; ++o) /* -dL/du */
      rhs[s * nd + p->out_dof[o]] -= 2 * (p->U[s * nd + p->out_dof[o]] - p->T[s * p->n_out + o]);
  long solves = mnn_bar_solver_n_solves(p->solver);
  CHECK(mnn_bar_solver_solve(p->solver, p->nrhs, rhs, Ua, &err) == 0);
  CHECK(mnn_bar_solver_n_solves(p->solver) == solves + p->nrhs);
  mnn_bar_elongations(p->net, p->nrhs, p->U, E);
  mnn_bar_elongations(p->net, p->nrhs, Ua, Ea);
  g[0] = 12345; /* overwritten, not accumulated */
  mnn_bar_gradient_k(p->net->n_bonds, p->nrhs, E, Ea, g, 0);
  free(rhs), free(Ua), free(E), free(Ea);
}

static void check_network(mnn_network *net, mnn_bar_method method, int n_check) {
  mnn_error err;
  problem p = {net, mnn_bar_solver_create_with(net, method, &err), 3, 6, NULL, NULL, NULL, NULL};
  CHECK(p.solver != NULL);
  int nb = net->n_bonds;
  size_t nd = 2 * (size_t)net->n_nodes;
  for (int b = 0; b < nb; ++b) net->width[b] = net->width_min + (net->width_max - net->width_min) * rnd();
  p.out_dof = malloc(p.n_out * sizeof(int));
  for (int o = 0; o < p.n_out; ++o) {
    int d;
    do d = (int)(rnd() * nd); while (net->fixed[d / 2]);
    p.out_dof[o] = d;
  }
  p.F = calloc(nd * p.nrhs, sizeof(double));
  p.U = malloc(nd * p.nrhs * sizeof(double));
  p.T = malloc(p.n_out * p.nrhs * sizeof(double));
  for (int s = 0; s < p.nrhs; ++s) {
    for (int q = 0; q < 3; ++q) p.F[s * nd + (size_t)(rnd() * nd)] = 0.1 * (rnd() - 0.5);
    for (int o = 0; o < p.n_out; ++o) p.T[s * p.n_out + o] = 1e-3 * (rnd() - 0.5);
  }
  double *k = malloc(nb * sizeof(double)), *g = malloc(nb * sizeof(double)), *gw = malloc(nb * sizeof(double)),
         *kk = malloc(nb * sizeof(double));
  mnn_network_stiffnesses(net, k);
  adjoint_gradient(&p, k, g);
  mnn_bar_gradient_w(net, g, gw);
  double gmax = 0, gwmax = 0, errk = 0, errw = 0;
  for (int b = 0; b < nb; ++b) gmax = fmax(gmax, fabs(g[b])), gwmax = fmax(gwmax, fabs(gw[b]));
  CHECK(gmax > 0);
  for (int q = 0; q < n_check; ++q) {
    int b = q * nb / n_check;
    /* central difference in k */
    double h = 1e-4 * k[b];
    memcpy(kk, k, nb * sizeof(double));
    kk[b] = k[b] + h;
    double Lp = loss(&p, kk);
    kk[b] = k[b] - h;
    double Lm = loss(&p, kk);
    errk = fmax(errk, fabs((Lp - Lm) / (2 * h) - g[b]));
    /* central difference in w, through the network's own k(w) */
    double w = net->width[b], hw = 1e-4 * w;
    net->width[b] = w + hw;
    mnn_network_stiffnesses(net, kk);
    Lp = loss(&p, kk);
    net->width[b] = w - hw;
    mnn_network_stiffnesses(net, kk);
    Lm = loss(&p, kk);
    net->width[b] = w;
    errw = fmax(errw, fabs((Lp - Lm) / (2 * hw) - gw[b]));
  }
  CHECK_MSG(errk <= 1e-6 * gmax, "k: adjoint vs central differences %.3g of %.3g (%d bonds)", errk, gmax, nb);
  CHECK_MSG(errw <= 1e-6 * gwmax, "w: adjoint vs central differences %.3g of %.3g", errw, gwmax);
  printf("%s, %d bonds: relative error in k %.2e, in w %.2e\n", method == MNN_BAR_DENSE ? "dense" : "CHOLMOD", nb,
         errk / gmax, errw / gwmax);
  mnn_bar_solver_free(p.solver);
  free(p.out_dof), free(p.F), free(p.U), free(p.T), free(k), free(g), free(gw), free(kk);
}

/* Accumulation over calls equals one call over all samples. */
static void accumulate(void) {
  double E[6] = {1, 2, 3, 4, 5, 6}, Ea[6] = {-1, 0.5, 2, 1, 1, -2}, g[3], h[3];
  mnn_bar_gradient_k(3, 2, E, Ea, g, 0);
  mnn_bar_gradient_k(3, 1, E, Ea, h, 0);
  mnn_bar_gradient_k(3, 1, E + 3, Ea + 3, h, 1);
  for (int b = 0; b < 3; ++b) CHECK_CLOSE(g[b], h[b], 1e-15, 0);
  CHECK_CLOSE(g[0], -1 + 4, 1e-15, 0);
}

int main(void) {
  mnn_error err;
  accumulate();
  for (int trial = 0; trial < 3; ++trial) {
    mnn_network *net = mnn_lattice_paper(&err);
    check_network(net, MNN_BAR_DENSE, net->n_bonds);
    check_network(net, MNN_BAR_SPARSE, net->n_bonds);
    mnn_network_free(net);
  }
  mnn_network *net = mnn_lattice_patch(9, 8, 0.016, MNN_SUPPORT_TOP_CORNERS, &err);
  net->fixed[mnn_network_node_index(net, 68)] = MNN_FIX_Y; /* a roller too */
  check_network(net, MNN_BAR_DENSE, 40);
  mnn_network_free(net);
  net = mnn_lattice_patch(20, 16, 0.01, MNN_SUPPORT_TOP_ROW, &err);
  check_network(net, MNN_BAR_AUTO, 40); /* 608 free DOFs: CHOLMOD */
  mnn_network_free(net);
  return mnn_test_finish();
}
