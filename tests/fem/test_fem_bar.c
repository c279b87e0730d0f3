/* FEM verification on a straight bar (Gmsh-made mesh, groups node_1 | bond_1 |
 * node_2): axial elongation against F L / (E A), a uniform-strain patch test on
 * the free operator, and a nearly incompressible material (nu = 0.49). */
#include <petscksp.h>
#include "fem.h"
#include "fem_element.h"
#include "fem_test_mesh.h"
#include "test_util.h"

static const double L = 0.032, S = 0.002, W = 0.002, T = 0.002, E = 5.5e5, F = 0.01;

/* Disc-averaged displacement of node 2 under an axial force F (order, nu, mesh). */
static double axial(const char *msh, int order, double nu, int *iterations) {
  mnn_error err;
  mnn_network *net = fem_test_bar_network(L, S, W, T, E, nu);
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, order, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  double ux = NAN;
  if (fem) {
    Vec f, u;
    mnn_fem_solve_info info = {0};
    mnn_fem_load load = {2, {F, 0, 0}};
    double avg[6];
    int rc = mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &f, &err) ||
             mnn_fem_create_vector(fem, &u, &err) || mnn_fem_load_vector(fem, 1, &load, f, &err) ||
             mnn_fem_solve(fem, f, u, &info, &err) || mnn_fem_node_averages(fem, u, avg, &err);
    CHECK_MSG(rc == 0, "%s", err.message);
    if (!rc) {
      ux = avg[3];
      CHECK_CLOSE(avg[0], 0.0, 0, 1e-15);  /* clamped disc */
      CHECK_MSG(fabs(avg[4]) < 2e-2 * ux && fabs(avg[5]) < 2e-2 * ux, "lateral %g %g vs %g", avg[4], avg[5], ux);
    }
    if (iterations) *iterations = info.iterations;
    VecDestroy(&f);
    VecDestroy(&u);
    mnn_fem_destroy(fem);
  }
  mnn_network_free(net);
  return ux;
}

/* Uniform strain: K u for u = G x (any G) vanishes at interior DOFs, and the
 * energy u^T K u equals (eps : C : eps) V. */
static void patch_test(const char *msh, int order) {
  mnn_error err;
  mnn_network *net = fem_test_bar_network(L, S, W, T, E, 0.3);
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, order, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  if (!fem) return;
  mnn_fem_set_clamps(fem, 0);
  CHECK(mnn_fem_assemble(fem, &err) == 0);
  Vec x, u, r, mask;
  mnn_fem_coordinates(fem, &x, &err);
  VecDuplicate(x, &u);
  VecDuplicate(x, &r);
  mnn_fem_boundary_mask(fem, &mask, &err);
  const double G[3][3] = {{1e-3, 2e-4, -3e-4}, {5e-4, -2e-3, 1e-4}, {-1e-4, 3e-4, 7e-4}};
  PetscInt n;
  const PetscScalar *xa;
  PetscScalar *ua;
  VecGetLocalSize(x, &n);
  VecGetArrayRead(x, &xa);
  VecGetArray(u, &ua);
  for (PetscInt b = 0; b < n / 3; ++b)
    for (int i = 0; i < 3; ++i) ua[3 * b + i] = G[i][0] * xa[3 * b] + G[i][1] * xa[3 * b + 1] + G[i][2] * xa[3 * b + 2];
  VecRestoreArrayRead(x, &xa);
  VecRestoreArray(u, &ua);
  MatMult(mnn_fem_operator(fem), u, r);
  PetscReal rmax, rint;
  VecNorm(r, NORM_INFINITY, &rmax);
  Vec ri;
  VecDuplicate(r, &ri);
  VecCopy(mask, ri);
  VecScale(ri, -1.0);
  VecShift(ri, 1.0);
  VecPointwiseMult(ri, ri, r);
  VecNorm(ri, NORM_INFINITY, &rint);
  CHECK_MSG(rint <= 1e-12 * rmax, "order %d: interior residual %g vs boundary %g", order, (double)rint, (double)rmax);
  /* energy */
  PetscScalar uKu;
  VecDot(u, r, &uKu);
  double lambda, mu, eps[3][3], tr = 0, ece = 0, vol = 0;
  mnn_lame(E, 0.3, &lambda, &mu);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) eps[i][j] = 0.5 * (G[i][j] + G[j][i]);
  for (int i = 0; i < 3; ++i) tr += eps[i][i];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) ece += 2 * mu * eps[i][j] * eps[i][j];
  ece += lambda * tr * tr;
  for (int r2 = 0; r2 < mnn_fem_n_regions(fem); ++r2) vol += mnn_fem_region_volumes(fem)[r2];
  CHECK_CLOSE(vol, (L + S) * W * T, 1e-12, 0);
  CHECK_CLOSE(uKu, ece * vol, 1e-11, 0);
  printf("patch test order %d: interior residual %.3g (boundary %.3g), energy %.15g vs %.15g\n", order,
         (double)rint, (double)rmax, (double)uKu, ece * vol);
  VecDestroy(&x);
  VecDestroy(&u);
  VecDestroy(&r);
  VecDestroy(&ri);
  VecDestroy(&mask);
  mnn_fem_destroy(fem);
  mnn_network_free(net);
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  const char *coarse = fem_test_path("fem_bar_coarse.msh"), *fine = fem_test_path("fem_bar_fine.msh");
  CHECK(fem_test_bar_mesh(coarse, L, S, W, T, 0.001) == 0);
  CHECK(fem_test_bar_mesh(fine, L, S, W, T, 0.0005) == 0);
  double A = W * T, exact0 = F / (E * A) * (L - S + S / 3.0);

  /* nu = 0: one-dimensional and quadratic in x, so P2 is exact */
  int its = 0;
  double u0 = axial(coarse, 2, 0.0, &its);
  printf("bar nu=0 P2: %.12g m vs exact %.12g m (%d iterations)\n", u0, exact0, its);
  CHECK_CLOSE(u0, exact0, 1e-7, 0);

  /* nu = 0.45: the clamp restrains the contraction near node 1; within 1% of F L/(E A) */
  double u45 = axial(fine, 2, 0.45, &its);
  printf("bar nu=0.45 P2: %.9g m vs F(L-s+s/3)/(EA) %.9g m: %+.3f%%\n", u45, exact0, 100 * (u45 / exact0 - 1));
  CHECK_CLOSE(u45, exact0, 0.01, 0);
  double u1 = axial(fine, 1, 0.45, &its);
  printf("bar nu=0.45 P1: %.9g m (%+.3f%%)\n", u1, 100 * (u1 / exact0 - 1));
  CHECK_CLOSE(u1, exact0, 0.03, 0);

  patch_test(coarse, 1);
  patch_test(coarse, 2);

  /* nu = 0.49: still solves, and refining changes little */
  int its_c = 0, its_f = 0;
  double c49 = axial(coarse, 2, 0.49, &its_c), f49 = axial(fine, 2, 0.49, &its_f);
  printf("bar nu=0.49 P2: coarse %.9g (%d its), fine %.9g (%d its), change %.3g%%, vs 1D %+.3f%%\n", c49, its_c, f49,
         its_f, 100 * fabs(f49 / c49 - 1), 100 * (f49 / exact0 - 1));
  CHECK(isfinite(c49) && isfinite(f49));
  CHECK_CLOSE(f49, c49, 0.01, 0);
  CHECK_CLOSE(f49, exact0, 0.02, 0);

  PetscCall(PetscFinalize());
  return mnn_test_finish();
}
