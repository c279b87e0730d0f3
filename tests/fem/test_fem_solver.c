/* The iterative solver (fem_solver.c) on a small network meshed by the meshing
 * stage (a 3 + 2 node triangle of the paper's lattice, P2, nu = 0.45): the
 * default p-multigrid must converge in few CG iterations (a bound that fails
 * when the preconditioner regresses badly: it was measured at 16-18 here, and
 * GAMG on the P2 operator itself needs about 4x more), and its outputs, g and
 * node averages must match a direct MUMPS solve of the same operator to what
 * its tolerance (rtol 1e-8) gives. The coarse level itself: the P1 operator
 * assembled from P1 elements equals the Galerkin product P^T K P of the unclamped
 * P2 operator, and P reproduces a linear field exactly at every P2 node. No
 * wall-clock limits: iterations only. */
#include <math.h>
#include <petscksp.h>
#include <stdlib.h>
#include <string.h>
#include "fem.h"
#include "fem_internal.h"
#include "fem_test_meshing.h"
#include "network.h"
#include "test_util.h"

/* Bound on the default solver's CG iterations (forward and adjoint) here. */
#define PMG_MAX_ITERATIONS 30

static void set_solver(const char *which) {
  const char *names[] = {"-fem_ksp_type", "-fem_pc_type", "-fem_pc_factor_mat_solver_type"};
  for (int i = 0; i < 3; ++i) PetscOptionsClearValue(NULL, names[i]);
  if (!strcmp(which, "mumps")) {
    mnn_error err;
    CHECK(mnn_fem_use_direct_solver("mumps", &err) == 0);
  } else if (!strcmp(which, "gamg")) {
    PetscOptionsSetValue(NULL, "-fem_pc_type", "gamg");
  }
}

static mnn_fem_results *solve_with(mnn_fem *fem, const char *which, const mnn_fem_problem *p) {
  mnn_error err;
  Vec u = NULL, adj = NULL;
  mnn_fem_results *r = NULL;
  set_solver(which);
  int rc = mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &u, &err) ||
           mnn_fem_create_vector(fem, &adj, &err) || !(r = mnn_fem_run(fem, p, mnn_fem_targets_loss, u, adj, &err));
  CHECK_MSG(rc == 0, "%s: %s", which, err.message);
  VecDestroy(&u);
  VecDestroy(&adj);
  if (r)
    printf("%-6s %s/%s: %ld DOFs, forward %d its, adjoint %d its, output %.12g m\n", which, r->ksp_type, r->pc_type,
           r->n_dofs, r->forward_iterations, r->adjoint_iterations, r->output_value[0]);
  return r;
}

static double max_abs(const double *a, int n) {
  double m = 0;
  for (int i = 0; i < n; ++i) m = fmax(m, fabs(a[i]));
  return m;
}

int main(int argc, char **argv) {
  mnn_error err;
  mnn_network *net = mnn_lattice_triangle(3, 2, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  CHECK_MSG(net != NULL, "%s", err.message);
  if (!net) return mnn_test_finish();
  const char *msh = fem_test_meshed(net, "fem_solver_triangle.msh", 0.5, NULL, &err);
  CHECK_MSG(msh != NULL, "%s", err.message);
  if (!msh) return mnn_test_finish();
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  if (fem) {
    int bottom = net->node_id[net->n_nodes - 1], middle = net->node_id[net->n_nodes - 2];
    mnn_fem_load load = {bottom, {0.01, -0.05, 0}};
    mnn_fem_output out[2] = {{bottom, 1}, {middle, 0}};
    double targets[2] = {-1e-4, 1e-5};
    mnn_fem_problem p = {1, &load, 2, out, targets, 0};
    mnn_fem_results *ref = solve_with(fem, "mumps", &p);
    mnn_fem_results *pmg = solve_with(fem, "pmg", &p);
    mnn_fem_results *amg = solve_with(fem, "gamg", &p);
    if (ref && pmg && amg) {
      CHECK(!strcmp(pmg->ksp_type, "cg") && !strcmp(pmg->pc_type, "mg"));
      CHECK(!strcmp(amg->pc_type, "gamg"));
      CHECK_MSG(pmg->forward_iterations <= PMG_MAX_ITERATIONS && pmg->adjoint_iterations <= PMG_MAX_ITERATIONS,
                "p-multigrid took %d + %d CG iterations, more than %d", pmg->forward_iterations,
                pmg->adjoint_iterations, PMG_MAX_ITERATIONS);
      CHECK_MSG(2 * pmg->forward_iterations <= amg->forward_iterations,
                "p-multigrid (%d its) is not 2x better than GAMG on P2 (%d its)", pmg->forward_iterations,
                amg->forward_iterations);
      for (int k = 0; k < 2; ++k) CHECK_CLOSE(pmg->output_value[k], ref->output_value[k], 1e-6, 0);
      double gmax = max_abs(ref->bond_g, ref->n_bonds), umax = max_abs(ref->node_u, 3 * ref->n_nodes);
      for (int b = 0; b < ref->n_bonds; ++b) CHECK_CLOSE(pmg->bond_g[b], ref->bond_g[b], 0, 1e-6 * gmax);
      for (int i = 0; i < 3 * ref->n_nodes; ++i) CHECK_CLOSE(pmg->node_u[i], ref->node_u[i], 0, 1e-6 * umax);
      CHECK_CLOSE(amg->output_value[0], ref->output_value[0], 1e-6, 0);
    }
    mnn_fem_results_free(ref);
    mnn_fem_results_free(pmg);
    mnn_fem_results_free(amg);
    /* the coarse level: P^T K P == the directly assembled P1 operator (no clamps) */
    set_solver("pmg");
    mnn_fem_set_clamps(fem, 0);
    CHECK_MSG(mnn_fem_assemble(fem, &err) == 0, "%s", err.message);
    Mat P = NULL, Kc = NULL, Kaij = NULL, PtKP = NULL;
    Vec cc = NULL, fine = NULL, coords = NULL;
    CHECK(mnn_fem_p1_level(fem, &P, &Kc, &cc) == 0);
    CHECK(MatConvert(mnn_fem_operator(fem), MATAIJ, MAT_INITIAL_MATRIX, &Kaij) == 0);
    CHECK(MatPtAP(Kaij, P, MAT_INITIAL_MATRIX, 2.0, &PtKP) == 0);
    PetscReal nk = 0, nd = 0;
    MatNorm(Kc, NORM_FROBENIUS, &nk);
    CHECK(MatAXPY(PtKP, -1.0, Kc, DIFFERENT_NONZERO_PATTERN) == 0);
    MatNorm(PtKP, NORM_FROBENIUS, &nd);
    printf("P1 operator vs P^T K P: |difference| / |P1 operator| = %.2e\n", (double)(nd / nk));
    CHECK(nk > 0 && nd <= 1e-12 * nk);
    /* P on the vertex coordinates gives the coordinates of every P2 node */
    CHECK(mnn_fem_coordinates(fem, &coords, &err) == 0);
    CHECK(VecDuplicate(coords, &fine) == 0 && MatMult(P, cc, fine) == 0);
    PetscReal nc = 0, ndiff = 0;
    VecNorm(coords, NORM_INFINITY, &nc);
    VecAXPY(fine, -1.0, coords);
    VecNorm(fine, NORM_INFINITY, &ndiff);
    CHECK(ndiff <= 1e-14 * nc);
    MatDestroy(&P);
    MatDestroy(&Kc);
    MatDestroy(&Kaij);
    MatDestroy(&PtKP);
    VecDestroy(&cc);
    VecDestroy(&fine);
    VecDestroy(&coords);
    mnn_fem_set_clamps(fem, 1);
    /* P1 keeps CG + GAMG on its own operator */
    mnn_fem_destroy(fem);
    set_solver("pmg");
    fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 1, &err);
    CHECK_MSG(fem != NULL, "%s", err.message);
    if (fem) {
      mnn_fem_results *p1 = solve_with(fem, "pmg", &p);
      CHECK(p1 && !strcmp(p1->pc_type, "gamg") && p1->forward_iterations > 0);
      mnn_fem_results_free(p1);
    }
  }
  mnn_fem_destroy(fem);
  mnn_network_free(net);
  PetscFinalize();
  return mnn_test_finish();
}
