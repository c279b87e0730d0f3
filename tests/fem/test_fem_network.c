/* The FEM on the meshing stage's own output (mnn_mesh_write: bonds with necks,
 * node discs, groups bond_<id> / node_<id>): a small triangle of the paper's
 * lattice (3 + 2 nodes, corners supported). The reader finds every group, the
 * volumes add up, and the FEM agrees with the bar model the way docs/model.md says it
 * does on the paper's network: softer by 5-30% (necks, discs, bending), same
 * direction of the per-bond gradient (cosine > 0.99). MUMPS keeps it quick.
 * Then `mnn calibrate` on the same mesh, on 2 ranks. */
#include <petscksp.h>
#include <stdlib.h>
#include "network_file.h"
#include "fem.h"
#include "fem_test_meshing.h"
#include "network.h"
#include "test_util.h"

int main(int argc, char **argv) {
  mnn_error err;
  mnn_network *net = mnn_lattice_triangle(3, 2, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  CHECK_MSG(net != NULL, "%s", err.message);
  if (!net) return mnn_test_finish();
  mnn_mesh_stats ms;
  const char *msh = fem_test_meshed(net, "fem_network_triangle.msh", 0.5, &ms, &err);
  CHECK_MSG(msh != NULL, "%s", err.message);
  if (!msh) return mnn_test_finish();
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps"));
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  if (fem) {
    double vol = 0;
    for (int r = 0; r < mnn_fem_n_regions(fem); ++r) vol += mnn_fem_region_volumes(fem)[r];
    CHECK_CLOSE(vol, ms.volume, 1e-9, 0);
    /* load the bottom node (the last), output its own displacement */
    int bottom = net->node_id[net->n_nodes - 1], ib = net->n_nodes - 1;
    mnn_fem_load load = {bottom, {0.01, -0.05, 0}};
    mnn_fem_output out = {bottom, 1};
    mnn_fem_problem p = {1, &load, 1, &out, NULL, 0};
    Vec u, adj;
    mnn_fem_results *r = NULL;
    int rc = mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &u, &err) ||
             mnn_fem_create_vector(fem, &adj, &err) || !(r = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, &err));
    CHECK_MSG(rc == 0, "%s", err.message);
    if (!rc) {
      int nb = net->n_bonds;
      double *U = malloc(sizeof(double) * 2 * (size_t)net->n_nodes), *gbar = malloc(sizeof(double) * (size_t)nb);
      CHECK(U && gbar && fem_test_bar_model_g(net, ib, 0.01, -0.05, ib, U, gbar) == 0);
      double ratio = r->output_value[0] / U[2 * ib + 1], cosine = fem_test_cosine(gbar, r->bond_g, nb);
      printf("triangle 3+2: %ld DOFs; u_y(node %d) FEM %.5g mm, bar %.5g mm (FEM/bar %.3f); cosine(g) %.5f\n",
             r->n_dofs, bottom, 1e3 * r->output_value[0], 1e3 * U[2 * ib + 1], ratio, cosine);
      CHECK(ratio > 1.05 && ratio < 1.3);
      CHECK(cosine > 0.99);
      free(U);
      free(gbar);
    }
    mnn_fem_results_free(r);
    VecDestroy(&u);
    VecDestroy(&adj);
    mnn_fem_destroy(fem);
  }
  PetscCall(PetscFinalize());

  /* mnn calibrate on 2 ranks: a factor below 1 in the written file (the FEM is
   * softer); --dry-run writes nothing */
  const char *exe = getenv("MNN_EXE");
  CHECK(exe != NULL);
  if (exe) {
    char netp[1024], cal[1024], cmd[4096];
    snprintf(netp, sizeof netp, "%s", fem_test_path("fem_network_triangle.xml"));
    snprintf(cal, sizeof cal, "%s", fem_test_path("fem_network_triangle_calibrated.xml"));
    CHECK_MSG(mnn_network_write(net, netp, &err) == 0, "%s", err.message);
    remove(cal);
    snprintf(cmd, sizeof cmd, "'%s' calibrate '%s' '%s' --dry-run -o '%s'", exe, netp, msh, cal);
    printf("$ %s\n", cmd);
    fflush(stdout);
    CHECK(system(cmd) == 0);
    FILE *fp = fopen(cal, "r");
    CHECK(fp == NULL);
    if (fp) fclose(fp);
    snprintf(cmd, sizeof cmd, "%s -n 2 '%s' calibrate '%s' '%s' -o '%s'", MNN_MPIEXEC, exe, netp, msh, cal);
    printf("$ %s\n", cmd);
    fflush(stdout);
    CHECK(system(cmd) == 0);
    mnn_network *calibrated = mnn_network_read(cal, &err);
    CHECK_MSG(calibrated != NULL, "%s", err.message);
    if (calibrated) {
      printf("calibrated stiffness factor %.4f\n", calibrated->calibration.factor);
      CHECK(calibrated->calibration.factor > 0.7 && calibrated->calibration.factor < 0.97);
      CHECK(calibrated->n_bonds == net->n_bonds && calibrated->width[0] == net->width[0]);
    }
    mnn_network_free(calibrated);
  }
  mnn_network_free(net);
  return mnn_test_finish();
}
