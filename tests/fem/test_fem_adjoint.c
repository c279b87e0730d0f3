/* The FEM adjoint on a small network (5 nodes, 5 bonds, Gmsh-made mesh, P2,
 * MUMPS Cholesky, so that finite differences are clean): per-bond and per-node
 * g = dL/d ln E against central differences with the region's modulus perturbed
 * by 1e-4 relative, the identity sum g = -dL/du . u, and superposition (the
 * response matrix reproduces the forward solve, by inputs and by outputs). */
#include <petscksp.h>
#include "fem.h"
#include "fem_test_mesh.h"
#include "test_util.h"

static const mnn_fem_load LOADS[1] = {{4, {0.01, -0.02, 0}}};
static const mnn_fem_output OUTS[2] = {{2, 1}, {4, 0}};
static const double TARGETS[2] = {-1e-4, 2e-4};

static double loss_at(mnn_fem *fem, const double *E, Vec u, mnn_error *err) {
  mnn_fem_problem p = {1, LOADS, 2, OUTS, TARGETS, 0};
  Vec adj;
  if (mnn_fem_set_region_modulus(fem, E, err) || mnn_fem_assemble(fem, err) || mnn_fem_create_vector(fem, &adj, err))
    return NAN;
  mnn_fem_results *r = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, err);
  VecDestroy(&adj);
  double L = r ? r->loss : NAN;
  mnn_fem_results_free(r);
  return L;
}

int main(int argc, char **argv) {
  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky"));
  PetscCall(PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps"));
  const double a = 0.016, s = 0.004, t = 0.002, w[5] = {0.002, 0.0016, 0.0022, 0.0018, 0.0024};
  const char *msh = fem_test_path("fem_small_network.msh");
  CHECK(fem_test_network_mesh(msh, a, s, w, t, 0.0012) == 0);
  mnn_network *net = fem_test_network(a, s, w, t, 5.5e5, 0.45);
  mnn_error err;
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  CHECK_MSG(fem != NULL, "%s", err.message);
  if (!fem) return mnn_test_finish();
  int nr = mnn_fem_n_regions(fem);
  double *E = malloc(sizeof(double) * (size_t)nr);
  for (int r = 0; r < nr; ++r) E[r] = 5.5e5 * (1 + 0.1 * r);  /* distinct moduli: g must follow each region */

  Vec u, adj;
  mnn_fem_create_vector(fem, &u, &err);
  mnn_fem_create_vector(fem, &adj, &err);
  mnn_fem_problem p = {1, LOADS, 2, OUTS, TARGETS, 1};
  CHECK(mnn_fem_set_region_modulus(fem, E, &err) == 0 && mnn_fem_assemble(fem, &err) == 0);
  mnn_fem_results *res = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, &err);
  CHECK_MSG(res != NULL, "%s", err.message);
  if (!res) return mnn_test_finish();
  printf("outputs: u2y = %.6g m, u4x = %.6g m, loss %.6g, %ld DOFs\n", res->output_value[0], res->output_value[1],
         res->loss, res->n_dofs);

  /* sum of g over every region = lambda^T K u = -dL/du . u */
  double gsum = 0, gmax = 0, dLu = 0;
  for (int b = 0; b < res->n_bonds; ++b) gsum += res->bond_g[b], gmax = fmax(gmax, fabs(res->bond_g[b]));
  for (int i = 0; i < res->n_nodes; ++i) gsum += res->node_g[i];
  for (int k = 0; k < 2; ++k) dLu += 2 * (res->output_value[k] - TARGETS[k]) * res->output_value[k];
  CHECK_CLOSE(gsum, -dLu, 1e-9, 0);

  /* central differences in ln E of each bond and of the free nodes' discs */
  /* h = 1e-4: truncation ~h^2 = 1e-8 relative, and round-off in the re-solves, which
   * grows as 1/h and depends on the BLAS, stays well below the 1e-5 tolerance */
  const double h = 1e-4;
  Vec tmp;
  mnn_fem_create_vector(fem, &tmp, &err);
  double err2 = 0, norm2 = 0;
  for (int r = 0; r < nr; ++r) {
    double g = r < net->n_bonds ? res->bond_g[r] : res->node_g[r - net->n_bonds];
    double keep = E[r];
    E[r] = keep * (1 + h);
    double Lp = loss_at(fem, E, tmp, &err);
    E[r] = keep * (1 - h);
    double Lm = loss_at(fem, E, tmp, &err);
    E[r] = keep;
    double fd = (Lp - Lm) / (2 * h);
    printf("region %d (%s %d): adjoint g = %+.9e, central difference %+.9e, rel. diff %.2e\n", r,
           r < net->n_bonds ? "bond" : "node", r < net->n_bonds ? net->bond_id[r] : net->node_id[r - net->n_bonds], g,
           fd, fabs(g - fd) / fmax(fabs(fd), 1e-300));
    /* round-off in the re-solves limits small entries: compare on the vector's scale */
    CHECK_CLOSE(g, fd, 0, 1e-5 * gmax);
    if (r < net->n_bonds) CHECK_CLOSE(g, fd, 1e-5, 0);
    err2 += (g - fd) * (g - fd);
    norm2 += fd * fd;
  }
  printf("|g - fd| / |fd| = %.3g over all regions\n", sqrt(err2 / norm2));
  CHECK(sqrt(err2 / norm2) < 1e-5);

  /* superposition: R f reproduces the outputs; the same matrix by outputs */
  CHECK(mnn_fem_set_region_modulus(fem, E, &err) == 0 && mnn_fem_assemble(fem, &err) == 0);
  CHECK(res->n_response == 4);
  for (int k = 0; k < 2; ++k) {
    double pred = res->response_value[2 * k] * LOADS[0].f[0] + res->response_value[2 * k + 1] * LOADS[0].f[1];
    CHECK_CLOSE(pred, res->output_value[k], 1e-10, 0);
  }
  mnn_fem_output in[2] = {{4, 0}, {4, 1}}, one_out[1] = {{2, 1}};
  double R1[2];
  int solves = 0;
  CHECK(mnn_fem_response_matrix(fem, 2, in, 1, one_out, R1, &solves, &err) == 0);
  CHECK(solves == 1);
  CHECK_CLOSE(R1[0], res->response_value[0], 1e-9, 0);
  CHECK_CLOSE(R1[1], res->response_value[1], 1e-9, 0);

  /* the two halves with the caller's dL/dy = 2 (u - target) give mnn_fem_run's
   * outputs and sensitivities bit for bit; with dL/dy = 1 the sensitivities of the
   * outputs' sum, which sum to -(sum of outputs) (the identity above) */
  {
    mnn_fem_problem half = {1, LOADS, 2, OUTS, NULL, 0};
    Vec u2, adj2;
    CHECK(mnn_fem_create_vector(fem, &u2, &err) == 0 && mnn_fem_create_vector(fem, &adj2, &err) == 0);
    mnn_fem_results *fw = mnn_fem_run_forward(fem, &half, u2, &err);
    CHECK_MSG(fw != NULL, "%s", err.message);
    if (fw) {
      double dldy[2], ones[2] = {1, 1};
      for (int k = 0; k < 2; ++k) {
        CHECK(fw->output_value[k] == res->output_value[k]);
        dldy[k] = 2 * (fw->output_value[k] - TARGETS[k]);
      }
      for (int b = 0; b < fw->n_bonds; ++b) CHECK(fw->bond_g[b] == 0); /* not yet */
      CHECK(mnn_fem_run_adjoint(fem, &half, dldy, u2, adj2, fw, &err) == 0);
      for (int b = 0; b < fw->n_bonds; ++b) CHECK(fw->bond_g[b] == res->bond_g[b]);
      for (int i = 0; i < fw->n_nodes; ++i) CHECK(fw->node_g[i] == res->node_g[i] && fw->node_u[3 * i] == res->node_u[3 * i]);
      CHECK(fw->adjoint_iterations >= 0 && fw->n_response == 0);
      CHECK(mnn_fem_run_adjoint(fem, &half, ones, u2, adj2, fw, &err) == 0);
      double gs = 0;
      for (int b = 0; b < fw->n_bonds; ++b) gs += fw->bond_g[b];
      for (int i = 0; i < fw->n_nodes; ++i) gs += fw->node_g[i];
      CHECK_CLOSE(gs, -(fw->output_value[0] + fw->output_value[1]), 1e-9, 0);
    }
    mnn_fem_results_free(fw);
    /* a cleanup keeps an earlier fault's code; frees and clears the vector either way */
    CHECK(mnn_fem_destroy_vector(&u2, 7, &err) == 7 && u2 == NULL);
    CHECK(mnn_fem_destroy_vector(&adj2, 0, &err) == 0 && adj2 == NULL);
    CHECK(mnn_fem_destroy_vector(&adj2, 0, &err) == 0); /* already NULL */
  }

  /* the VTU file is written */
  const char *vtu = fem_test_path("fem_small_network.vtu");
  CHECK(mnn_fem_write_vtu(fem, vtu, u, adj, &err) == 0);
  FILE *fp = fopen(vtu, "r");
  CHECK(fp != NULL);
  if (fp) fclose(fp);

  VecDestroy(&u);
  VecDestroy(&adj);
  VecDestroy(&tmp);
  mnn_fem_results_free(res);
  mnn_fem_destroy(fem);
  mnn_network_free(net);
  free(E);
  PetscCall(PetscFinalize());
  return mnn_test_finish();
}
