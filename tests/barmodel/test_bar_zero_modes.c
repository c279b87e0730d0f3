/* Zero modes: a node without bonds, a missing support (one pinned node left: a
 * rigid rotation), a dangling node held by one bond, a free-floating patch; on
 * the small (Jacobi) and the large (shift-invert) analysis, and the one-line
 * report that factorisation gives on both solver paths, never NaNs. */
#include <stdlib.h>
#include "bar_solver.h"
#include "network.h"
#include "test_util.h"

static void remove_bonds_of_node(mnn_network *net, int node_id) {
  int v = mnn_network_node_index(net, node_id);
  unsigned char *rm = calloc((size_t)net->n_bonds, 1);
  for (int b = 0; b < net->n_bonds; ++b) rm[b] = net->bond_a[b] == v || net->bond_b[b] == v;
  mnn_error err;
  CHECK(mnn_network_remove_bonds(net, rm, &err) == 0);
  free(rm);
}

/* Zero-mode count and moving node ids (sorted, as user ids) must match. */
static void expect_modes(const mnn_network *net, int modes, int n_moving, int n_ids, const int *moving_ids) {
  mnn_error err;
  double *k = malloc((size_t)net->n_bonds * sizeof(double));
  mnn_network_stiffnesses(net, k);
  for (int m = MNN_BAR_AUTO; m <= MNN_BAR_SPARSE; ++m) { /* both analyses agree */
    mnn_zero_modes zm;
    CHECK(mnn_bar_zero_modes_with(net, k, (mnn_bar_method)m, &zm, &err) == 0);
    CHECK_MSG(zm.n_modes == modes, "analysis %d: %d zero modes, expected %d", m, zm.n_modes, modes);
    CHECK_MSG(zm.n_moving == n_moving, "analysis %d: %d moving nodes, expected %d", m, zm.n_moving, n_moving);
    for (int i = 0; i < zm.n_moving && i < n_ids; ++i) CHECK(net->node_id[zm.moving_nodes[i]] == moving_ids[i]);
    free(zm.moving_nodes);
  }
  /* both solver paths refuse to factor, with the same report */
  for (int m = MNN_BAR_DENSE; m <= MNN_BAR_SPARSE && modes > 0; ++m) {
    mnn_bar_solver *s = mnn_bar_solver_create_with(net, (mnn_bar_method)m, &err);
    CHECK(s != NULL);
    CHECK(mnn_bar_solver_factor(s, k, &err) != 0);
    char expect[64];
    snprintf(expect, sizeof expect, "has %d zero mode", modes);
    CHECK_CONTAINS(err.message, expect);
    CHECK_CONTAINS(err.message, "add bonds or supports");
    CHECK(strchr(err.message, '\n') == NULL);
    if (n_ids > 0) {
      snprintf(expect, sizeof expect, "%d", moving_ids[0]);
      CHECK_CONTAINS(err.message, expect);
    }
    printf("%s: %s\n", m == MNN_BAR_DENSE ? "dense" : "CHOLMOD", err.message);
    double F[2 * 400] = {0}, U[2 * 400];
    CHECK(mnn_bar_solver_solve(s, 1, F, U, &err) != 0);
    mnn_bar_solver_free(s);
  }
  free(k);
}

/* k = 0 on the bonds of node 14 (a pruned node) fails; the same solver then
 * factors the full k again and agrees with a fresh one (both paths). */
static void recover_after_failure(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_patch(16, 14, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  int nb = net->n_bonds, nd = 2 * net->n_nodes, v = mnn_network_node_index(net, 150);
  double *k = malloc(nb * sizeof(double)), *k0 = malloc(nb * sizeof(double));
  double *F = calloc(nd, sizeof(double)), *U = malloc(nd * sizeof(double)), *V = malloc(nd * sizeof(double));
  mnn_network_stiffnesses(net, k);
  memcpy(k0, k, nb * sizeof(double));
  for (int b = 0; b < nb; ++b)
    if (net->bond_a[b] == v || net->bond_b[b] == v) k0[b] = 0;
  F[nd - 1] = -0.1;
  for (int m = MNN_BAR_DENSE; m <= MNN_BAR_SPARSE; ++m) {
    mnn_bar_solver *s = mnn_bar_solver_create_with(net, (mnn_bar_method)m, &err), *fresh = mnn_bar_solver_create_with(net, (mnn_bar_method)m, &err);
    CHECK(mnn_bar_solver_factor(s, k0, &err) != 0);
    CHECK_CONTAINS(err.message, "2 zero modes (mechanisms): node 150 can move");
    CHECK(mnn_bar_solver_factor(s, k, &err) == 0 && mnn_bar_solver_solve(s, 1, F, U, &err) == 0);
    CHECK(mnn_bar_solver_factor(fresh, k, &err) == 0 && mnn_bar_solver_solve(fresh, 1, F, V, &err) == 0);
    double diff = 0, maxu = 0;
    for (int i = 0; i < nd; ++i) diff = fmax(diff, fabs(U[i] - V[i])), maxu = fmax(maxu, fabs(V[i]));
    CHECK(maxu > 0 && diff <= 1e-14 * maxu);
    mnn_bar_solver_free(s);
    mnn_bar_solver_free(fresh);
  }
  free(k), free(k0), free(F), free(U), free(V);
  mnn_network_free(net);
}

int main(void) {
  mnn_error err;
  recover_after_failure();
  mnn_network *net = mnn_lattice_paper(&err);
  expect_modes(net, 0, 0, 0, NULL);

  /* node 14 loses all its bonds: its two DOFs are free */
  mnn_network *a = mnn_network_copy(net);
  remove_bonds_of_node(a, 14);
  expect_modes(a, 2, 1, 1, (int[]){14});
  mnn_network_free(a);
  /* node 7 loses its 6 bonds: 24 free DOFs, 22 bonds and a state of self-stress
   * leave 3 mechanisms: node 7 itself and the corner 2-6 next to support 1 */
  a = mnn_network_copy(net);
  remove_bonds_of_node(a, 7);
  expect_modes(a, 3, 3, 3, (int[]){2, 6, 7});
  mnn_network_free(a);

  /* support 5 removed: the network turns about node 1 */
  a = mnn_network_copy(net);
  a->fixed[mnn_network_node_index(a, 5)] = 0;
  int all_but_1[13];
  for (int i = 0; i < 13; ++i) all_but_1[i] = i + 2;
  expect_modes(a, 1, 13, 13, all_but_1);
  /* node 5 on a roller that keeps its y: the rotation about node 1 is blocked */
  a->fixed[mnn_network_node_index(a, 5)] = MNN_FIX_Y;
  expect_modes(a, 0, 0, 0, NULL);
  mnn_network_free(a);

  /* a dangling node 15 hung from node 13 by one bond swings sideways */
  a = mnn_network_create(15, 29);
  mnn_network *src = net;
  for (int i = 0; i < 14; ++i)
    a->node_id[i] = src->node_id[i], a->x[i] = src->x[i], a->y[i] = src->y[i], a->fixed[i] = src->fixed[i];
  for (int b = 0; b < 28; ++b)
    a->bond_id[b] = src->bond_id[b], a->bond_a[b] = src->bond_a[b], a->bond_b[b] = src->bond_b[b],
    a->width[b] = src->width[b];
  a->node_id[14] = 15, a->x[14] = src->x[12] + 0.003, a->y[14] = src->y[12] - 0.016;
  a->bond_id[28] = 29, a->bond_a[28] = 12, a->bond_b[28] = 14, a->width[28] = 0.002;
  CHECK(mnn_network_check(a, &err) == 0);
  expect_modes(a, 1, 1, 1, (int[]){15});
  mnn_network_free(a);
  mnn_network_free(net);

  /* large networks (AUTO takes the scalable analysis): an 11 x 10 patch, 200 DOFs */
  net = mnn_lattice_patch(11, 10, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  CHECK(net != NULL);
  expect_modes(net, 0, 0, 0, NULL);
  a = mnn_network_copy(net);
  remove_bonds_of_node(a, 100);
  expect_modes(a, 2, 1, 1, (int[]){100});
  mnn_network_free(a);
  a = mnn_network_copy(net); /* pinned at node 1 only: one rotation, every other node moves */
  for (int i = 1; i < a->n_nodes; ++i) a->fixed[i] = 0;
  expect_modes(a, 1, a->n_nodes - 1, 2, (int[]){2, 3});
  for (int i = 0; i < a->n_nodes; ++i) a->fixed[i] = 0; /* floating: 2 translations + 1 rotation */
  expect_modes(a, 3, a->n_nodes, 2, (int[]){1, 2});
  mnn_network_free(a);
  mnn_network_free(net);
  return mnn_test_finish();
}
