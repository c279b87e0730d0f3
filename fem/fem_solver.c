/* The iterative solver of the FEM operator (options prefix fem_), set up once
 * per assembly for every later solve. Default for P2: CG preconditioned by a
 * two-level p-multigrid (PCMG): SOR smoothing on the P2 operator, and on the
 * P1 operator of the same mesh (equal to the Galerkin product P^T K P with P the
 * P1 -> P2 interpolation: vertices kept, each edge DOF the mean of its two end
 * vertices) a direct Cholesky (MUMPS, CHOLMOD on one rank), or GAMG with the
 * rigid-body near-null space on request. GAMG on the P2 operator alone needs
 * 80-145 CG iterations on the network meshes. For P1 meshes, or when the options
 * database names a -fem_pc_type (a direct Cholesky, or plain GAMG), that is used
 * instead. */
#include <string.h>
#include "fem_internal.h"
#include "log.h"

/* The P1 DOF numbering: 3 per vertex, a global section over the DM's point SF. */
static PetscErrorCode coarse_section(mnn_fem *fem, PetscSection *gcsec) {
  PetscSection csec;
  PetscSF sf;
  PetscInt pStart, pEnd;
  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(fem->dm, &pStart, &pEnd));
  PetscCall(PetscSectionCreate(fem->comm, &csec));
  PetscCall(PetscSectionSetChart(csec, pStart, pEnd));
  for (PetscInt v = fem->vStart; v < fem->vEnd; ++v) PetscCall(PetscSectionSetDof(csec, v, 3));
  PetscCall(PetscSectionSetUp(csec));
  PetscCall(DMGetPointSF(fem->dm, &sf));
  PetscCall(PetscSectionCreateGlobalSection(csec, sf, PETSC_FALSE, PETSC_FALSE, gcsec));
  PetscCall(PetscSectionDestroy(&csec));
  PetscFunctionReturn(0);
}

/* The coarse global block index of vertex v in *blk (owned or not). */
static PetscErrorCode coarse_block(PetscSection gcsec, PetscInt v, PetscInt *blk) {
  PetscInt off = 0;
  PetscFunctionBeginUser;
  PetscCall(PetscSectionGetOffset(gcsec, v, &off));
  if (off < 0) off = -(off + 1);
  *blk = off / 3;
  PetscFunctionReturn(0);
}

/* P (fine P2 rows x coarse P1 columns, block size 3) and the coarse vertex
 * coordinates, both in the coarse global layout. Every owned fine row is set
 * from a local cell that holds it: a vertex row is the identity block, an edge
 * row half of each end vertex's block. */
static PetscErrorCode build_interpolation(mnn_fem *fem, PetscSection gcsec, Mat *P, Vec *ccoords) {
  PetscInt lo, hi, nc = fem->cEnd - fem->cStart, nloc = fem->nloc, n_coarse;
  const PetscScalar *xf;
  PetscScalar *xc;
  PetscFunctionBeginUser;
  PetscCall(PetscSectionGetConstrainedStorageSize(gcsec, &n_coarse));
  PetscCall(VecGetOwnershipRange(fem->coords, &lo, &hi));
  PetscCall(MatCreate(fem->comm, P));
  PetscCall(MatSetType(*P, MATAIJ));
  PetscCall(MatSetSizes(*P, hi - lo, n_coarse, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetBlockSize(*P, 3));
  PetscCall(MatSeqAIJSetPreallocation(*P, 2, NULL));
  PetscCall(MatMPIAIJSetPreallocation(*P, 2, NULL, 2, NULL));
  PetscCall(MatSetOption(*P, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscCall(VecCreateMPI(fem->comm, n_coarse, PETSC_DETERMINE, ccoords));
  PetscCall(VecSetBlockSize(*ccoords, 3));
  PetscInt clo;
  PetscCall(VecGetOwnershipRange(*ccoords, &clo, NULL));
  PetscCall(VecGetArrayRead(fem->coords, &xf));
  PetscCall(VecGetArray(*ccoords, &xc));
  for (PetscInt c = 0; c < nc; ++c) {
    const PetscInt *pts = fem->cell_pts + c * nloc, *blk = fem->cell_gblk + c * nloc;
    for (int a = 0; a < nloc; ++a) {
      PetscInt row = 3 * blk[a];
      if (row < lo || row >= hi) continue;
      if (a < 4) {
        PetscInt col;
        PetscCall(coarse_block(gcsec, pts[a], &col));
        col *= 3;
        for (int d = 0; d < 3; ++d) {
          PetscInt r = row + d, cc = col + d;
          PetscScalar one = 1.0;
          PetscCall(MatSetValues(*P, 1, &r, 1, &cc, &one, INSERT_VALUES));
          xc[col + d - clo] = xf[row + d - lo];
        }
      } else {
        PetscInt c0, c1;
        PetscCall(coarse_block(gcsec, pts[mnn_tet_edge_vertices[a - 4][0]], &c0));
        PetscCall(coarse_block(gcsec, pts[mnn_tet_edge_vertices[a - 4][1]], &c1));
        c0 *= 3, c1 *= 3;
        for (int d = 0; d < 3; ++d) {
          PetscInt r = row + d, cols[2] = {c0 + d, c1 + d};
          PetscScalar half[2] = {0.5, 0.5};
          PetscCall(MatSetValues(*P, 1, &r, 2, cols, half, INSERT_VALUES));
        }
      }
    }
  }
  PetscCall(VecRestoreArrayRead(fem->coords, &xf));
  PetscCall(VecRestoreArray(*ccoords, &xc));
  PetscCall(MatAssemblyBegin(*P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*P, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

/* The coarse operator: the P1 stiffness of the same mesh, assembled from its own
 * element matrices. It equals the Galerkin product P^T K P of the unclamped P2
 * operator (P1 functions are P2 functions, and both rules are exact), without
 * the product's work and temporary memory; a vertex is clamped when its P2 DOFs
 * are. AIJ storage, so that GAMG can take it too. */
static PetscErrorCode coarse_operator(mnn_fem *fem, PetscSection gcsec, Vec ccoords, Mat *Kc) {
  PetscInt nc = fem->cEnd - fem->cStart, n, N, clo, chi, pStart, *cblk, blk[4];
  double Ke[12 * 12], trace = 0;
  char *clamped;
  Vec cmask;
  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(fem->dm, &pStart, NULL));
  PetscCall(VecGetLocalSize(ccoords, &n));
  PetscCall(VecGetSize(ccoords, &N));
  PetscCall(VecGetOwnershipRange(ccoords, &clo, &chi));
  PetscCall(PetscMalloc1(4 * nc, &cblk));
  for (PetscInt c = 0; c < nc; ++c)
    for (int a = 0; a < 4; ++a) PetscCall(coarse_block(gcsec, fem->cell_pts[c * fem->nloc + a], &cblk[4 * c + a]));
  PetscCall(MatCreate(fem->comm, Kc));
  PetscCall(MatSetSizes(*Kc, n, n, N, N));
  PetscCall(MatSetBlockSize(*Kc, 3));
  PetscCall(MatSetType(*Kc, MATAIJ));
  PetscCall(mnn_fem_preallocate(fem, cblk, 4, 4, *Kc));
  PetscCall(mnn_fem_clamped_points(fem, &clamped));
  PetscCall(VecDuplicate(ccoords, &cmask));
  PetscCall(VecSet(cmask, 1.0));
  for (PetscInt c = 0; c < nc; ++c) {
    double x[4][3], lambda, mu;
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_lame(fem->region_E[fem->cell_region[c]], fem->net->poisson_ratio, &lambda, &mu);
    mnn_tet_stiffness(1, x, lambda, mu, Ke);
    for (int i = 0; i < 12; ++i) trace += Ke[13 * i];
    for (int a = 0; a < 4; ++a) {
      int cl = clamped[fem->cell_pts[c * fem->nloc + a] - pStart];
      blk[a] = cl ? -1 : cblk[4 * c + a];
      PetscInt row = 3 * cblk[4 * c + a];
      if (cl && row >= clo && row < chi)
        for (int d = 0; d < 3; ++d) PetscCall(VecSetValue(cmask, row + d, 0.0, INSERT_VALUES));
    }
    PetscCall(mnn_fem_add_element(*Kc, 4, blk, Ke));
  }
  PetscCall(PetscFree(clamped));
  PetscCall(PetscFree(cblk));
  PetscCall(VecAssemblyBegin(cmask));
  PetscCall(VecAssemblyEnd(cmask));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &trace, 1, MPI_DOUBLE, MPI_SUM, fem->comm));
  PetscCall(mnn_fem_add_clamp_diagonal(*Kc, cmask, trace / (double)N));
  PetscCall(VecDestroy(&cmask));
  PetscCall(MatAssemblyBegin(*Kc, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*Kc, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

PetscErrorCode mnn_fem_p1_level(mnn_fem *fem, Mat *P, Mat *Kc, Vec *ccoords) {
  PetscSection gcsec;
  PetscFunctionBeginUser;
  PetscCall(coarse_section(fem, &gcsec));
  PetscCall(build_interpolation(fem, gcsec, P, ccoords));
  PetscCall(coarse_operator(fem, gcsec, *ccoords, Kc));
  PetscCall(PetscSectionDestroy(&gcsec));
  PetscFunctionReturn(0);
}

/* PCMG with two levels on pc: the fine smoother, the P1 operator (with the
 * rigid-body near-null space of the vertex coordinates, for GAMG on request) and
 * its Cholesky. Options can override every part (-fem_mg_levels_1_ksp_max_it 2,
 * -fem_mg_coarse_pc_type gamg, ...). */
static PetscErrorCode setup_pmg(mnn_fem *fem, PC pc) {
  Mat P, Kc;
  Vec ccoords;
  KSP smoother, coarse;
  PC spc, cpc;
  MatNullSpace nsp;
  PetscFunctionBeginUser;
  double t0 = MPI_Wtime();
  PetscCall(mnn_fem_p1_level(fem, &P, &Kc, &ccoords));
  PetscCall(MatSetOption(Kc, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(MatSetOption(Kc, MAT_SPD, PETSC_TRUE));
  PetscCall(MatNullSpaceCreateRigidBody(ccoords, &nsp));
  PetscCall(MatSetNearNullSpace(Kc, nsp));
  PetscCall(MatNullSpaceDestroy(&nsp));
  PetscCall(VecDestroy(&ccoords));
  double t_ptap = MPI_Wtime();

  PetscCall(PCSetType(pc, PCMG));
  PetscCall(PCMGSetLevels(pc, 2, NULL));
  PetscCall(PCMGSetType(pc, PC_MG_MULTIPLICATIVE));
  PetscCall(PCMGSetCycleType(pc, PC_MG_CYCLE_V));
  PetscCall(PCMGSetGalerkin(pc, PC_MG_GALERKIN_NONE));
  PetscCall(PCMGSetInterpolation(pc, 1, P));
  PetscCall(MatDestroy(&P));

  /* one symmetric block SOR sweep before and after the coarse correction.
   * Measured on the paper's network (191k DOFs, rtol 1e-8): 26-30 CG iterations,
   * 0.13 s each on one rank; two Chebyshev/Jacobi steps needed 53 (rtol 1e-10)
   * and Chebyshev/point-block Jacobi 42; a forward sweep before and a backward
   * one after, 42 at 0.10 s. */
  PetscCall(PCMGGetSmoother(pc, 1, &smoother));
  PetscCall(KSPSetOperators(smoother, fem->K, fem->K));
  PetscCall(KSPSetType(smoother, KSPRICHARDSON));
  PetscCall(KSPSetTolerances(smoother, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT, 1));
  PetscCall(KSPGetPC(smoother, &spc));
  PetscCall(PCSetType(spc, PCSOR));

  /* the P1 operator has about a sixth of the DOFs and a sparse factor: a direct
   * Cholesky of it costs little (0.23 GiB per million P2 DOFs); GAMG there
   * (-fem_mg_coarse_pc_type gamg) took 61-118 CG iterations instead of 26-30,
   * hypre BoomerAMG more than 400 */
  PetscCall(PCMGGetCoarseSolve(pc, &coarse));
  PetscCall(KSPSetOperators(coarse, Kc, Kc));
  PetscCall(MatDestroy(&Kc));
  PetscCall(KSPSetType(coarse, KSPPREONLY));
  PetscCall(KSPGetPC(coarse, &cpc));
  PetscCall(PCSetType(cpc, PCCHOLESKY));
  PetscCall(PCFactorSetMatSolverType(cpc, fem->size > 1 ? MATSOLVERMUMPS : MATSOLVERCHOLMOD));
  mnn_debug("fem: p-multigrid: interpolation and P1 operator %.3f s", t_ptap - t0);
  PetscFunctionReturn(0);
}

MatType mnn_fem_operator_type(const mnn_fem *fem) {
  char pc_type[64] = "";
  PetscBool set = PETSC_FALSE;
  if (PetscOptionsGetString(NULL, "fem_", "-pc_type", pc_type, sizeof pc_type, &set)) return MATAIJ;
  if (!set || !strcmp(pc_type, PCMG)) return fem->order == 2 ? MATBAIJ : MATAIJ;
  if (strcmp(pc_type, PCCHOLESKY)) return MATAIJ;
  /* CHOLMOD takes SBAIJ with block size 1 only */
  char package[64] = "";
  if (PetscOptionsGetString(NULL, "fem_", "-pc_factor_mat_solver_type", package, sizeof package, NULL)) return MATAIJ;
  return strcmp(package, MATSOLVERCHOLMOD) ? MATSBAIJ : MATAIJ;
}

/* One KSP on the assembled (clamped) operator, set up: the p-multigrid above by
 * default for P2, CG + GAMG for P1, or what -fem_pc_type names. */
PetscErrorCode mnn_fem_setup_solver(mnn_fem *fem) {
  PC pc;
  char pc_type[64] = "";
  PetscBool pc_set = PETSC_FALSE;
  PetscFunctionBeginUser;
  double t0 = MPI_Wtime();
  /* a new KSP per assembly: PCMG's levels keep their own references to the operator */
  PetscCall(KSPDestroy(&fem->ksp));
  PetscCall(KSPCreate(fem->comm, &fem->ksp));
  PetscCall(KSPSetOptionsPrefix(fem->ksp, "fem_"));
  PetscCall(KSPSetType(fem->ksp, KSPCG));
  PetscCall(KSPSetOperators(fem->ksp, fem->K, fem->K));
  PetscCall(KSPGetPC(fem->ksp, &pc));
  PetscCall(PetscOptionsGetString(NULL, "fem_", "-pc_type", pc_type, sizeof pc_type, &pc_set));
  if (fem->order == 2 && (!pc_set || !strcmp(pc_type, PCMG))) {
    /* rtol 1e-8 (preconditioned norm), measured against MUMPS on the paper's
     * network at 191k DOFs: outputs to 1.3e-9 relative, every g to 2.6e-9 of the
     * largest |g|, node averages to 1.1e-7 of the largest; 1e-10 costs 40% more
     * iterations for digits far below the discretisation error (~0.7%) */
    PetscCall(KSPSetTolerances(fem->ksp, 1e-8, 1e-50, PETSC_DEFAULT, 5000));
    PetscCall(setup_pmg(fem, pc));
  } else {
    PetscCall(KSPSetTolerances(fem->ksp, 1e-10, 1e-50, PETSC_DEFAULT, 5000));
    PetscCall(PCSetType(pc, PCGAMG));
    PetscReal threshold = 0.01; /* measured: 15% fewer iterations than -1 on network meshes */
    PetscCall(PCGAMGSetThreshold(pc, &threshold, 1));
  }
  PetscCall(KSPSetFromOptions(fem->ksp));
  PetscCall(KSPMonitorSet(fem->ksp, mnn_fem_progress_monitor, fem, NULL));
  if (!fem->progress.label[0]) mnn_fem_set_progress_label(fem, "solve");
  mnn_fem_phase(fem, "setting up the solver", MPI_Wtime() - t0);
  PetscCall(KSPSetUp(fem->ksp));
  PetscCall(mnn_fem_check_null_pivots(fem->ksp));
  fem->stats.setup_seconds = MPI_Wtime() - t0;
  mnn_fem_phase(fem, "solver set up", fem->stats.setup_seconds);
  KSPType kt;
  PCType pt;
  PetscCall(KSPGetType(fem->ksp, &kt));
  PetscCall(PCGetType(pc, &pt));
  snprintf(fem->stats.ksp_type, sizeof fem->stats.ksp_type, "%s", kt);
  snprintf(fem->stats.pc_type, sizeof fem->stats.pc_type, "%s", pt);
  PetscFunctionReturn(0);
}
