/* FEM benchmark: DOFs, read, assembly, solver set-up, forward and adjoint times
 * and iterations, and the memory a run adds (resident set), on the paper's
 * network at three mesh refinements and on a 10 x 10 lattice patch, with the
 * default iterative solver (CG + P2 -> P1 p-multigrid, "pmg") and MUMPS Cholesky
 * (and, with --gamg, CG + GAMG on the P2 operator itself, the former default: slow
 * on the large cases), on 1 rank and (re-running itself under mpiexec) on 2
 * ranks. Ratios are against the same run's forward solve (targets: assembly <=
 * forward, adjoint <= 0.4 forward) and, for the iterative solver, its total
 * against MUMPS's total on the same case in the same process. Then the paper's
 * comparison: bar model vs FEM (force 0.098 N down on node 13, output node 14):
 * displacements, per-bond g and their cosine.
 *   usage: bench_fem [--quick] [--gamg] [--child DIR [--gamg]]
 *   (meshes go to MNN_BENCH_DIR or /tmp) */
#include <malloc.h>
#include <math.h>
#include <petscksp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "bar_solver.h"
#include "fem.h"
#include "network.h"
#include "meshing.h"

typedef struct { const char *name; double refine; int patch; } bench_case;

static const bench_case CASES[] = {
    {"paper_r0.5", 0.5, 0}, {"paper_r0.8", 0.8, 0}, {"paper_r1.2", 1.2, 0}, {"patch10x10", 0.5, 1}};
#define N_CASES (int)(sizeof CASES / sizeof *CASES)

static mnn_network *case_network(const bench_case *c, mnn_error *err) {
  return c->patch ? mnn_lattice_patch(10, 10, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_ROW, err) : mnn_lattice_paper(err);
}

/* One FEM run: load on node 13 (paper) or the patch's last node; output its y. */
static int run_case(const bench_case *c, const char *dir, const char *solver, int rank, double *total_out) {
  mnn_error err;
  char msh[1024];
  snprintf(msh, sizeof msh, "%s/bench_fem_%s.msh", dir, c->name);
  mnn_network *net = case_network(c, &err);
  int load_node = c->patch ? net->node_id[net->n_nodes - 1] : 13, out_node = c->patch ? net->node_id[net->n_nodes - 5] : 14;
  PetscOptionsClearValue(NULL, "-fem_ksp_type");
  PetscOptionsClearValue(NULL, "-fem_pc_type");
  PetscOptionsClearValue(NULL, "-fem_pc_factor_mat_solver_type");
  if (!strcmp(solver, "mumps")) {
    PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly");
    PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky");
    PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps");
  } else if (!strcmp(solver, "gamg")) {
    PetscOptionsSetValue(NULL, "-fem_pc_type", "gamg");
  }
  PetscLogDouble mem0 = 0;
  malloc_trim(0); /* give back what earlier runs freed, so that the difference below is this run's */
  PetscMemoryGetCurrentUsage(&mem0);
  double t0 = MPI_Wtime();
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  if (!fem) {
    if (!rank) fprintf(stderr, "bench_fem: %s\n", err.message);
    mnn_network_free(net);
    return 1;
  }
  double t_read = MPI_Wtime() - t0;
  mnn_fem_load load = {load_node, {0, -0.098, 0}};
  mnn_fem_output out = {out_node, 1};
  mnn_fem_problem p = {1, &load, 1, &out, NULL, 0};
  Vec u, adj;
  mnn_fem_results *r = NULL;
  int rc = mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &u, &err) || mnn_fem_create_vector(fem, &adj, &err);
  if (!rc) rc = !(r = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, &err));
  PetscLogDouble mem = 0, mem_all = 0;
  PetscMemoryGetCurrentUsage(&mem); /* resident set with the operator, factors or hierarchy alive */
  mem -= mem0;                      /* what this run added (the allocator may reuse freed memory) */
  MPI_Reduce(&mem, &mem_all, 1, MPI_DOUBLE, MPI_SUM, 0, PETSC_COMM_WORLD);
  if (rc && !rank) fprintf(stderr, "bench_fem: %s: %s\n", c->name, err.message);
  if (!rc && !rank) {
    double total = t_read + r->assembly_seconds + r->setup_seconds + r->forward_seconds + r->adjoint_seconds;
    char vs[32] = "    -";
    if (total_out && *total_out > 0) snprintf(vs, sizeof vs, "%5.2f", total / *total_out);
    printf("%-11s %-5s %d %8ld %6.2f %7.2f %7.2f %8.2f %4d %8.2f %4d %7.2f | %5.2f %5.2f %s | %6.0f | u_y %.6g mm\n",
           c->name, solver, r->n_ranks, r->n_dofs, t_read, r->assembly_seconds, r->setup_seconds, r->forward_seconds,
           r->forward_iterations, r->adjoint_seconds, r->adjoint_iterations, total,
           r->assembly_seconds / r->forward_seconds, r->adjoint_seconds / r->forward_seconds, vs,
           mem_all / 1048576.0 / (r->n_dofs / 1e6), 1e3 * r->output_value[0]);
    if (total_out && *total_out <= 0) *total_out = total;
    fflush(stdout);
  }
  mnn_fem_results_free(r);
  VecDestroy(&u);
  VecDestroy(&adj);
  mnn_fem_destroy(fem);
  mnn_network_free(net);
  return rc;
}

/* Bar model vs FEM on the paper's network with uniform widths. */
static void compare_paper(const char *dir, const char *name) {
  mnn_error err;
  char msh[1024];
  snprintf(msh, sizeof msh, "%s/bench_fem_%s.msh", dir, name);
  mnn_network *net = mnn_lattice_paper(&err);
  PetscOptionsSetValue(NULL, "-fem_ksp_type", "preonly");
  PetscOptionsSetValue(NULL, "-fem_pc_type", "cholesky");
  PetscOptionsSetValue(NULL, "-fem_pc_factor_mat_solver_type", "mumps");
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, msh, 2, &err);
  if (!fem) {
    fprintf(stderr, "bench_fem: %s\n", err.message);
    return;
  }
  mnn_fem_load load = {13, {0, -0.098, 0}};
  mnn_fem_output out = {14, 1};
  mnn_fem_problem p = {1, &load, 1, &out, NULL, 0};
  Vec u, adj;
  mnn_fem_results *r = NULL;
  if (mnn_fem_assemble(fem, &err) || mnn_fem_create_vector(fem, &u, &err) || mnn_fem_create_vector(fem, &adj, &err) ||
      !(r = mnn_fem_run(fem, &p, mnn_fem_targets_loss, u, adj, &err))) {
    fprintf(stderr, "bench_fem: %s\n", err.message);
    return;
  }
  /* bar model: forward, adjoint of L = u_14y, g_i = k_i e_adj,i e_i (= dL/d ln k_i) */
  int nd = 2 * net->n_nodes, nb = net->n_bonds, i13 = mnn_network_node_index(net, 13), i14 = mnn_network_node_index(net, 14);
  double *k = malloc(sizeof(double) * nb), *U = calloc(2 * (size_t)nd, sizeof(double)), *E = malloc(sizeof(double) * 2 * nb);
  mnn_network_stiffnesses(net, k);
  U[2 * i13 + 1] = -0.098;
  U[nd + 2 * i14 + 1] = -1.0;
  mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
  if (!s || mnn_bar_solver_factor(s, k, &err) || mnn_bar_solver_solve(s, 2, U, U, &err)) {
    fprintf(stderr, "bench_fem: bar model: %s\n", err.message);
    return;
  }
  mnn_bar_elongations(net, 2, U, E);
  double dot = 0, nbar = 0, nfem = 0, gnodes = 0, gall = 0;
  printf("\nbar model vs FEM (P2, %ld DOFs), paper network, uniform 2 mm, F_y = -0.098 N on node 13:\n", r->n_dofs);
  printf("node 14: bar (%.4f, %.4f) mm, FEM (%.4f, %.4f) mm; u_y ratio FEM/bar %.4f\n", 1e3 * U[2 * i14],
         1e3 * U[2 * i14 + 1], 1e3 * r->node_u[3 * i14], 1e3 * r->node_u[3 * i14 + 1],
         r->node_u[3 * i14 + 1] / U[2 * i14 + 1]);
  printf("node 13: bar (%.4f, %.4f) mm, FEM (%.4f, %.4f) mm\n", 1e3 * U[2 * i13], 1e3 * U[2 * i13 + 1],
         1e3 * r->node_u[3 * i13], 1e3 * r->node_u[3 * i13 + 1]);
  printf("bond   g_bar (k e_adj e)   g_FEM        ratio\n");
  for (int b = 0; b < nb; ++b) {
    double gb = k[b] * E[nb + b] * E[b], gf = r->bond_g[b];
    dot += gb * gf;
    nbar += gb * gb;
    nfem += gf * gf;
    printf("%4d  %+.5e  %+.5e  %6.3f\n", net->bond_id[b], gb, gf, gb != 0 ? gf / gb : 0);
  }
  for (int b = 0; b < nb; ++b) gall += fabs(r->bond_g[b]);
  for (int i = 0; i < net->n_nodes; ++i) gnodes += fabs(r->node_g[i]);
  printf("cosine(g_bar, g_FEM) over %d bonds: %.5f; node discs carry %.1f%% of sum |g|;\n",
         nb, dot / sqrt(nbar * nfem), 100 * gnodes / (gnodes + gall));
  mnn_bar_solver_free(s);
  free(k);
  free(U);
  free(E);
  mnn_fem_results_free(r);
  VecDestroy(&u);
  VecDestroy(&adj);
  mnn_fem_destroy(fem);
  mnn_network_free(net);
}

int main(int argc, char **argv) {
  int child = argc > 2 && !strcmp(argv[1], "--child"), quick = 0, gamg = 0;
  for (int i = 1; i < argc; ++i) {
    quick |= !strcmp(argv[i], "--quick");
    gamg |= !strcmp(argv[i], "--gamg");
  }
  const char *dir = child ? argv[2] : getenv("MNN_BENCH_DIR") ? getenv("MNN_BENCH_DIR") : "/tmp";
  int n_cases = quick ? 1 : N_CASES;
  if (!child) {
    /* meshes first, without PETSc */
    for (int c = 0; c < n_cases; ++c) {
      mnn_error err;
      char msh[1024];
      snprintf(msh, sizeof msh, "%s/bench_fem_%s.msh", dir, CASES[c].name);
      mnn_network *net = case_network(&CASES[c], &err);
      mnn_mesh_options opt;
      mnn_mesh_options_default(&opt);
      opt.refinement = CASES[c].refine;
      if (!net || mnn_mesh_write(net, &opt, msh, NULL, &err)) {
        fprintf(stderr, "bench_fem: %s: %s\n", CASES[c].name, err.message);
        return 1;
      }
      mnn_network_free(net);
    }
  }
  /* large blocks always from mmap (no dynamic threshold), so that freeing them
   * returns them to the system and each run's resident memory can be told apart */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  int pargc = 1;
  char **pargv = argv;
  PetscCall(PetscInitialize(&pargc, &pargv, NULL, NULL));
  int rank;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (!child)
    printf("case        solver r     DOFs   read  assemb   setup  forward  its  adjoint  its   total | "
           "as/fw ad/fw /mumps | MB/MDOF | output\n");
  for (int c = 0; c < n_cases; ++c) {
    double mumps_total = 0; /* the baseline: MUMPS on the same case, same process */
    run_case(&CASES[c], dir, "mumps", rank, &mumps_total);
    run_case(&CASES[c], dir, "pmg", rank, &mumps_total);
    if (gamg) run_case(&CASES[c], dir, "gamg", rank, &mumps_total);
  }
  if (!child) compare_paper(dir, quick ? CASES[0].name : "paper_r1.2");
  PetscCall(PetscFinalize());
  if (!child && !quick) {
    char cmd[4096];
    printf("\n2 ranks:\n");
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "mpiexec -n 2 %s --child %s%s", argv[0], dir, gamg ? " --gamg" : "");
    if (system(cmd)) return 1;
  }
  return 0;
}
