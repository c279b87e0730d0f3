/* Cantilever plate-beam (the bond's own shape: width w in the plane, thickness t)
 * clamped through node 1's block and loaded in y over node 2's block: the
 * disc-averaged tip deflection against Timoshenko beam theory (within 2% on the
 * finest mesh, P2), and the observed convergence of P1 and P2 under refinement.
 * Structured (transfinite) meshes; MUMPS Cholesky keeps the slender-beam solves quick. */
#include <petscksp.h>
#include "fem.h"
#include "fem_test_mesh.h"
#include "test_util.h"

static const double L = 0.032, S = 0.002, W = 0.002, T = 0.002, E = 5.5e5, NU = 0.3, P = 1e-3;

/* Timoshenko: clamped at x = 0, load P spread over [L - S, L], deflection averaged
 * over the same interval (bending + shear, Cowper's shear coefficient). */
static double timoshenko(void) {
  double inertia = T * W * W * W / 12, A = W * T, G = E / (2 * (1 + NU)), kappa = 10 * (1 + NU) / (12 + 11 * NU);
  const int n = 200;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    double x = L - S + S * (i + 0.5) / n;
    for (int j = 0; j < n; ++j) {
      double a = L - S + S * (j + 0.5) / n, lo = fmin(x, a), hi = fmax(x, a);
      sum += lo * lo * (3 * hi - lo) / (6 * E * inertia) + lo / (kappa * G * A);
    }
  }
  return P * sum / ((double)n * n);
}

/* Order p of d(h) = d* + C h^p through three points (bisection on the ratio of
 * successive differences; works for any ratio between the mesh sizes). */
static double observed_order(const double *h, const double *d) {
  double target = (d[1] - d[0]) / (d[2] - d[1]), lo = 0.05, hi = 10;
  for (int it = 0; it < 200; ++it) {
    double p = 0.5 * (lo + hi), r = (pow(h[1], p) - pow(h[0], p)) / (pow(h[2], p) - pow(h[1], p));
    if (r > target) hi = p; /* r grows with p */
    else lo = p;
  }
  return 0.5 * (lo + hi);
}

static double tip(const char *msh, int order) {
  mnn_error err;
  mnn_network *net = fem_test_bar_network(L, S, W, T, E, NU);
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, order, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  double uy = NAN;
  if (fem) {
    Vec f, u;
    mnn_fem_load load = {2, {0, P, 0}};
    double avg[6];
    int rc = mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &f, &err) ||
             mnn_fem_create_vector(fem, &u, &err) || mnn_fem_load_vector(fem, 1, &load, f, &err) ||
             mnn_fem_solve(fem, f, u, NULL, &err) || mnn_fem_node_averages(fem, u, avg, &err);
    CHECK_MSG(rc == 0, "%s", err.message);
    if (!rc) uy = avg[4];
    mnn_fem_stats st;
    mnn_fem_get_stats(fem, &st);
    printf("  %s P%d: %ld DOFs, tip u_y = %.9g m\n", msh, order, st.n_dofs, uy);
    VecDestroy(&f);
    VecDestroy(&u);
    mnn_fem_destroy(fem);
  }
  mnn_network_free(net);
  return uy;
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps"));
  /* structured meshes h = 1, 0.5, 0.25 mm (P1) and 2, 1, 0.5 mm (P2) */
  const double h[2][3] = {{0.001, 0.0005, 0.00025}, {0.002, 0.001, 0.0005}};
  double ref = timoshenko(), d[2][3], heff[2][3];
  printf("Timoshenko tip deflection: %.9g m\n", ref);
  for (int p = 1; p <= 2; ++p) {
    for (int k = 0; k < 3; ++k) {
      char name[64];
      snprintf(name, sizeof name, "fem_cantilever_%g.msh", 1e3 * h[p - 1][k]);
      const char *msh = fem_test_path(name);
      CHECK(fem_test_bar_mesh_structured(msh, L, S, W, T, h[p - 1][k]) == 0);
      d[p - 1][k] = tip(msh, p);
      heff[p - 1][k] = h[p - 1][k];
    }
    double rate = observed_order(heff[p - 1], d[p - 1]);
    printf("P%d: h = %g, %g, %g mm: %+.3f%%, %+.3f%%, %+.3f%% vs Timoshenko; observed order in h %.2f\n",
           p, 1e3 * h[p - 1][0], 1e3 * h[p - 1][1], 1e3 * h[p - 1][2], 100 * (d[p - 1][0] / ref - 1),
           100 * (d[p - 1][1] / ref - 1), 100 * (d[p - 1][2] / ref - 1), rate);
    /* The tip deflection is the compliance of a unit load, an energy functional;
     * the clamped root's edge singularity (stresses ~ r^(lambda - 1), lambda ~ 0.5-0.7)
     * caps its rate near 2 lambda ~ 1-1.4 for either order on uniform meshes. P2
     * reaches that regime with errors below 1%; P1 is still locking (errors
     * 6-36%), so its observed order is pre-asymptotic. */
    CHECK(fabs(d[p - 1][2] - d[p - 1][1]) < fabs(d[p - 1][1] - d[p - 1][0]));
    CHECK(rate > 0.7 && rate < 3);
  }
  double fine = d[1][2];
  printf("P2 on h = 0.5 mm: %+.3f%% vs Timoshenko\n", 100 * (fine / ref - 1));
  CHECK_CLOSE(fine, ref, 0.02, 0);
  /* P2 on its coarsest mesh beats P1 on its finest */
  CHECK(fabs(d[1][0] - ref) < fabs(d[0][2] - ref));
  PetscCall(PetscFinalize());
  return mnn_test_finish();
}
