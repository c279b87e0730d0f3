/* `mnn fem` end to end (the program at MNN_EXE): one rank against
 * `mpiexec -n 2`: same DOFs, outputs, g per bond and node, node averages and
 * response matrix to the solver tolerance; the results file round-trips through
 * its reader; a mesh without the network's groups fails with a clear message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fem_results.h"
#include "fem_test_mesh.h"
#include "network_file.h"
#include "test_util.h"

#ifndef MNN_MPIEXEC
#define MNN_MPIEXEC "mpiexec"
#endif

static int run(const char *cmd) {
  printf("$ %s\n", cmd);
  fflush(stdout);
  return system(cmd);
}

/* To the solver tolerance: the default CG rtol 1e-8 (preconditioned norm) gives
 * outputs to ~1e-9 and node averages to ~1e-7 of the largest against a direct
 * solve, and 1 and 2 ranks iterate differently (the SOR sweeps are per rank). */
static void compare(const double *a, const double *b, int n, double scale, const char *what) {
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    CHECK_MSG(fabs(a[i] - b[i]) <= 1e-6 * fabs(a[i]) + 1e-6 * scale, "%s[%d]: 1 rank %.12g, 2 ranks %.12g", what, i,
              a[i], b[i]);
    worst = fmax(worst, fabs(a[i] - b[i]) / scale);
  }
  printf("%s: largest 1 vs 2 rank difference %.2e of the largest value\n", what, worst);
}

static double max_abs(const double *a, int n) {
  double m = 0;
  for (int i = 0; i < n; ++i) m = fmax(m, fabs(a[i]));
  return m;
}

int main(void) {
  const char *exe = getenv("MNN_EXE");
  if (!exe) {
    fprintf(stderr, "MNN_EXE is not set: run this test through ctest\n");
    return 1;
  }
  const double a = 0.016, s = 0.004, t = 0.002, w[5] = {0.002, 0.0016, 0.0022, 0.0018, 0.0024};
  char msh[1024], netp[1024], d1[1024], d2[1024], barmsh[1024], cmd[8192];
  snprintf(msh, sizeof msh, "%s", fem_test_path("fem_mpi.msh"));
  snprintf(netp, sizeof netp, "%s", fem_test_path("fem_mpi_network.xml"));
  snprintf(d1, sizeof d1, "%s", fem_test_path("fem_mpi_1"));
  /* the 2-rank run's folder does not exist: mnn fem creates it (on both ranks at once) */
  snprintf(d2, sizeof d2, "%s/new", fem_test_path("fem_mpi_2"));
  snprintf(barmsh, sizeof barmsh, "%s", fem_test_path("fem_mpi_bar.msh"));
  CHECK(fem_test_network_mesh(msh, a, s, w, t, 0.001) == 0);
  CHECK(fem_test_bar_mesh(barmsh, 0.016, 0.002, 0.002, 0.002, 0.001) == 0);
  mnn_network *net = fem_test_network(a, s, w, t, 5.5e5, 0.45);
  mnn_error err;
  CHECK_MSG(mnn_network_write(net, netp, &err) == 0, "%s", err.message);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s' && rm -rf '%s'", d1, fem_test_path("fem_mpi_2"));
  CHECK(run(cmd) == 0);
  const char *args = "--load 4:0.01:-0.02 --load 5:0:-0.01 --output-node 2:y --output-node 4:x --output-node 5:y "
                     "--target -1e-4 --target 2e-4 --target 0 --response -q";
  snprintf(cmd, sizeof cmd, "'%s' fem '%s' '%s' %s -o '%s'", exe, netp, msh, args, d1);
  CHECK(run(cmd) == 0);
  snprintf(cmd, sizeof cmd, "%s -n 2 '%s' fem '%s' '%s' %s -o '%s'", MNN_MPIEXEC, exe, netp, msh, args, d2);
  CHECK(run(cmd) == 0);

  char p1[1100], p2[1100];
  snprintf(p1, sizeof p1, "%s/fem-results.xml", d1);
  snprintf(p2, sizeof p2, "%s/fem-results.xml", d2);
  mnn_fem_results *r1 = mnn_fem_results_read(p1, &err);
  CHECK_MSG(r1 != NULL, "%s", err.message);
  mnn_fem_results *r2 = mnn_fem_results_read(p2, &err);
  CHECK_MSG(r2 != NULL, "%s", err.message);
  if (r1 && r2) {
    printf("1 rank: %ld DOFs, %d+%d its; 2 ranks: %ld DOFs, %d+%d its\n", r1->n_dofs, r1->forward_iterations,
           r1->adjoint_iterations, r2->n_dofs, r2->forward_iterations, r2->adjoint_iterations);
    CHECK(r1->n_ranks == 1 && r2->n_ranks == 2);
    CHECK(r1->n_dofs == r2->n_dofs && r1->n_cells == r2->n_cells);
    CHECK(r1->n_outputs == 3 && r2->n_outputs == 3 && r1->n_bonds == 5 && r1->n_nodes == 5);
    CHECK(r1->n_response == 12 && r2->n_response == 12);
    CHECK(r1->order == 2 && !strcmp(r1->ksp_type, "cg") && !strcmp(r1->pc_type, "mg") && !strcmp(r2->pc_type, "mg"));
    compare(r1->output_value, r2->output_value, 3, max_abs(r1->output_value, 3), "output");
    compare(r1->bond_g, r2->bond_g, 5, max_abs(r1->bond_g, 5), "bond g");
    compare(r1->node_g, r2->node_g, 5, max_abs(r1->bond_g, 5), "node g");
    compare(r1->node_u, r2->node_u, 15, max_abs(r1->node_u, 15), "node u");
    compare(r1->response_value, r2->response_value, 12, max_abs(r1->response_value, 12), "response");
    CHECK_CLOSE(r1->loss, r2->loss, 1e-6, 0);
    CHECK(!isnan(r1->output_target[0]) && r1->squared_error);
    /* the reader gives back what was written */
    CHECK(r1->load_node[1] == 5 && r1->load_f[3 * 1 + 1] == -0.01);
  }
  snprintf(cmd, sizeof cmd, "%s/fem-fields.vtu", d2);
  FILE *fp = fopen(cmd, "r");
  CHECK(fp != NULL);
  if (fp) fclose(fp);

  /* a mesh of another network: one clear line naming the missing group */
  char errfile[1100];
  snprintf(errfile, sizeof errfile, "%s/fem_mpi_err.txt", d1);
  snprintf(cmd, sizeof cmd, "'%s' fem '%s' '%s' --load 4:0:-0.01 --output-node 2:y -o '%s' 2> '%s'", exe, netp, barmsh, d1,
           errfile);
  CHECK(run(cmd) != 0);
  char msg[4096] = "";
  fp = fopen(errfile, "r");
  if (fp) {
    size_t n = fread(msg, 1, sizeof msg - 1, fp);
    msg[n] = 0;
    fclose(fp);
  }
  CHECK_CONTAINS(msg, "no volume group bond_2");
  printf("error message: %s", msg);

  /* PETSc's options: after `--` they reach PETSc; before it they are refused; the
   * one-rank CHOLMOD Cholesky is refused under mpiexec, by rank 0 only, in one line */
  struct { const char *launch, *extra, *expect; int ok; } cases[] = {
      {"", "--solver mumps -- -fem_ksp_view_pre", "", 1},
      {"", "-fem_ksp_rtol 1e-9", "looks like a PETSc option", 0},
      {MNN_MPIEXEC " -n 2", "--solver cholmod", "cholmod runs on one rank only", 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; ++k) {
    snprintf(cmd, sizeof cmd, "%s '%s' fem '%s' '%s' --load 4:0.01:-0.02 --output-node 2:y --no-vtu -q -o '%s' %s 2> '%s'",
             cases[k].launch, exe, netp, msh, d1, cases[k].extra, errfile);
    int status = run(cmd);
    CHECK_MSG((status == 0) == cases[k].ok, "exit status %d for %s", status, cases[k].extra);
    msg[0] = 0;
    fp = fopen(errfile, "r");
    if (fp) {
      size_t n = fread(msg, 1, sizeof msg - 1, fp);
      msg[n] = 0;
      fclose(fp);
    }
    if (!cases[k].ok) {
      CHECK_CONTAINS(msg, cases[k].expect);
      int lines = 0;
      for (const char *q = msg; (q = strstr(q, "mnn: error:")) != NULL; ++q) ++lines;
      CHECK_MSG(lines == 1, "%d error lines: %s", lines, msg);
    }
  }

  mnn_fem_results_free(r1);
  mnn_fem_results_free(r2);
  mnn_network_free(net);
  return mnn_test_finish();
}
