/* The operator: element stiffness matrices added blocked into a DMPlex-
 * preallocated AIJ matrix (bs 3), clamps of the supported node discs applied
 * symmetrically, and one KSP (prefix fem_) set up once for every later solve. */
#include <math.h>
#include <string.h>
#include "fem_internal.h"
#include "log.h"

/* Global DOF rows of every point of the cells of clamped (supported) node discs,
 * flagged in free_mask (0 = clamped) through off-process VecSetValues. */
static PetscErrorCode build_free_mask(mnn_fem *fem) {
  PetscInt nc = fem->cEnd - fem->cStart;
  const mnn_network *net = fem->net;
  PetscFunctionBeginUser;
  PetscCall(DMCreateGlobalVector(fem->dm, &fem->free_mask));
  PetscCall(VecSet(fem->free_mask, 0.0));
  for (PetscInt c = 0; c < nc && fem->clamps_enabled; ++c) {
    int r = fem->cell_region[c];
    if (r < net->n_bonds || !net->fixed[r - net->n_bonds]) continue;
    PetscInt rows[3 * MNN_TET_MAX_NODES];
    PetscScalar ones[3 * MNN_TET_MAX_NODES];
    for (int a = 0; a < fem->nloc; ++a)
      for (int i = 0; i < 3; ++i) {
        rows[3 * a + i] = 3 * fem->cell_gblk[c * fem->nloc + a] + i;
        ones[3 * a + i] = 1.0;
      }
    PetscCall(VecSetValues(fem->free_mask, 3 * fem->nloc, rows, ones, INSERT_VALUES));
  }
  PetscCall(VecAssemblyBegin(fem->free_mask));
  PetscCall(VecAssemblyEnd(fem->free_mask));
  /* now 1 on clamped rows: turn into 1 on free rows */
  PetscCall(VecScale(fem->free_mask, -1.0));
  PetscCall(VecShift(fem->free_mask, 1.0));
  PetscFunctionReturn(0);
}

static PetscErrorCode apply_clamps(mnn_fem *fem) {
  PetscInt lo, hi, n = 0, *rows;
  const PetscScalar *m;
  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(fem->free_mask, &lo, &hi));
  PetscCall(PetscMalloc1(hi - lo, &rows));
  PetscCall(VecGetArrayRead(fem->free_mask, &m));
  for (PetscInt i = 0; i < hi - lo; ++i)
    if (PetscRealPart(m[i]) < 0.5) rows[n++] = lo + i;
  PetscCall(VecRestoreArrayRead(fem->free_mask, &m));
  /* a diagonal of the operator's own scale keeps GAMG's smoothers balanced */
  Vec d;
  PetscReal dsum;
  PetscInt N;
  PetscCall(MatCreateVecs(fem->K, &d, NULL));
  PetscCall(MatGetDiagonal(fem->K, d));
  PetscCall(VecNorm(d, NORM_1, &dsum));
  PetscCall(VecGetSize(d, &N));
  PetscCall(VecDestroy(&d));
  PetscCall(MatZeroRowsColumns(fem->K, n, rows, dsum / (PetscReal)N, NULL, NULL));
  PetscCall(PetscFree(rows));
  PetscFunctionReturn(0);
}

/* Blocked preallocation from the cells' block couplings (MATPREALLOCATOR counts
 * them, off-process rows included); much cheaper than DMPlex's generic
 * adjacency for P2, whose edges couple through the closure of their star. */
static PetscErrorCode preallocate(mnn_fem *fem) {
  PetscInt nloc = fem->nloc, n, nc = fem->cEnd - fem->cStart;
  Mat pre;
  PetscScalar zeros[MNN_TET_MAX_DOFS * MNN_TET_MAX_DOFS] = {0};
  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(fem->coords, &n));
  PetscCall(MatCreate(fem->comm, &pre));
  PetscCall(MatSetType(pre, MATPREALLOCATOR));
  PetscCall(MatSetSizes(pre, n, n, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetBlockSize(pre, 3));
  PetscCall(MatSetUp(pre));
  for (PetscInt c = 0; c < nc; ++c) {
    const PetscInt *blk = fem->cell_gblk + c * nloc;
    PetscCall(MatSetValuesBlocked(pre, nloc, blk, nloc, blk, zeros, INSERT_VALUES));
  }
  PetscCall(MatAssemblyBegin(pre, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(pre, MAT_FINAL_ASSEMBLY));
  PetscCall(MatCreate(fem->comm, &fem->K));
  PetscCall(MatSetType(fem->K, MATAIJ));
  PetscCall(MatSetSizes(fem->K, n, n, PETSC_DETERMINE, PETSC_DETERMINE));
  PetscCall(MatSetBlockSize(fem->K, 3));
  PetscCall(MatSetOptionsPrefix(fem->K, "fem_"));
  PetscCall(MatSetFromOptions(fem->K));
  PetscCall(MatPreallocatorPreallocate(pre, PETSC_TRUE, fem->K));
  PetscCall(MatDestroy(&pre));
  PetscCall(MatSetOption(fem->K, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscFunctionReturn(0);
}

static PetscErrorCode assemble_impl(mnn_fem *fem) {
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc, ndof = 3 * nloc;
  double Ke[MNN_TET_MAX_DOFS * MNN_TET_MAX_DOFS];
  PetscInt idx[MNN_TET_MAX_DOFS];
  PetscFunctionBeginUser;
  double t0 = MPI_Wtime();
  PetscCall(MatDestroy(&fem->K));
  PetscCall(VecDestroy(&fem->free_mask));
  PetscCall(preallocate(fem));
  for (PetscInt c = 0; c < nc; ++c) {
    double x[4][3], lambda, mu;
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_lame(fem->region_E[fem->cell_region[c]], fem->net->poisson_ratio, &lambda, &mu);
    mnn_tet_stiffness(fem->order, x, lambda, mu, Ke);
    for (int a = 0; a < nloc; ++a)
      for (int i = 0; i < 3; ++i) idx[3 * a + i] = 3 * fem->cell_gblk[c * nloc + a] + i;
    PetscCall(MatSetValues(fem->K, ndof, idx, ndof, idx, Ke, ADD_VALUES));
  }
  PetscCall(MatAssemblyBegin(fem->K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(fem->K, MAT_FINAL_ASSEMBLY));
  PetscCall(build_free_mask(fem));
  if (fem->clamps_enabled) PetscCall(apply_clamps(fem));
  PetscCall(MatSetOption(fem->K, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(MatSetOption(fem->K, MAT_SPD, PETSC_TRUE));
  MatNullSpace nsp;
  PetscCall(MatNullSpaceCreateRigidBody(fem->coords, &nsp));
  PetscCall(MatSetNearNullSpace(fem->K, nsp));
  PetscCall(MatNullSpaceDestroy(&nsp));
  fem->stats.assembly_seconds = MPI_Wtime() - t0;

  if (!fem->clamps_enabled) PetscFunctionReturn(0);
  t0 = MPI_Wtime();
  if (!fem->ksp) {
    PC pc;
    PetscCall(KSPCreate(fem->comm, &fem->ksp));
    PetscCall(KSPSetOptionsPrefix(fem->ksp, "fem_"));
    PetscCall(KSPSetType(fem->ksp, KSPCG));
    PetscCall(KSPGetPC(fem->ksp, &pc));
    PetscCall(PCSetType(pc, PCGAMG));
    PetscCall(KSPSetTolerances(fem->ksp, 1e-10, 1e-50, PETSC_DEFAULT, 5000));
    PetscReal threshold = 0.01; /* measured: 15% fewer iterations than -1 on network meshes */
    PetscCall(PCGAMGSetThreshold(pc, &threshold, 1));
  }
  PetscCall(KSPSetOperators(fem->ksp, fem->K, fem->K));
  PetscCall(KSPSetFromOptions(fem->ksp));
  PetscCall(KSPSetUp(fem->ksp));
  fem->stats.setup_seconds = MPI_Wtime() - t0;
  KSPType kt;
  PCType pt;
  PC pc;
  PetscCall(KSPGetType(fem->ksp, &kt));
  PetscCall(KSPGetPC(fem->ksp, &pc));
  PetscCall(PCGetType(pc, &pt));
  snprintf(fem->stats.ksp_type, sizeof fem->stats.ksp_type, "%s", kt);
  snprintf(fem->stats.pc_type, sizeof fem->stats.pc_type, "%s", pt);
  PetscFunctionReturn(0);
}

int mnn_fem_assemble(mnn_fem *fem, mnn_error *err) {
  PetscErrorCode rc = assemble_impl(fem);
  return rc ? mnn_fem_petsc_fail(rc, "assembling and setting up the FEM solver", err) : 0;
}

static PetscErrorCode solve_impl(mnn_fem *fem, Vec rhs, Vec x, mnn_fem_solve_info *info) {
  KSPConvergedReason reason;
  PetscInt its;
  PetscFunctionBeginUser;
  double t0 = MPI_Wtime();
  PetscCall(VecPointwiseMult(rhs, rhs, fem->free_mask));
  PetscCall(KSPSolve(fem->ksp, rhs, x));
  PetscCall(KSPGetConvergedReason(fem->ksp, &reason));
  PetscCall(KSPGetIterationNumber(fem->ksp, &its));
  info->seconds = MPI_Wtime() - t0;
  info->iterations = (int)its;
  info->converged_reason = (int)reason;
  PetscFunctionReturn(0);
}

int mnn_fem_solve(mnn_fem *fem, Vec rhs, Vec x, mnn_fem_solve_info *info, mnn_error *err) {
  mnn_fem_solve_info local;
  if (!info) info = &local;
  if (!fem->ksp) return mnn_fail(err, "FEM solve before assembly: call mnn_fem_assemble first");
  PetscErrorCode rc = solve_impl(fem, rhs, x, info);
  if (rc) return mnn_fem_petsc_fail(rc, "the FEM solve", err);
  if (info->converged_reason < 0)
    return mnn_fail(err, "the FEM solver did not converge (KSP reason %d after %d iterations): "
                    "try -fem_ksp_max_it 10000 or --solver mumps", info->converged_reason, info->iterations);
  return 0;
}

static PetscErrorCode load_impl(mnn_fem *fem, int n_loads, const mnn_fem_load *loads, Vec rhs, mnn_error *err) {
  const mnn_network *net = fem->net;
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc;
  double *density = calloc((size_t)3 * net->n_nodes, sizeof *density);
  PetscFunctionBeginUser;
  for (int l = 0; l < n_loads; ++l) {
    int i = mnn_network_node_index(net, loads[l].node_id);
    if (i < 0) {
      free(density);
      mnn_fail(err, "load on node %d: the network has no such node", loads[l].node_id);
      PetscFunctionReturn(PETSC_ERR_USER);
    }
    for (int d = 0; d < 3; ++d) density[3 * i + d] += loads[l].f[d] / fem->region_volume[net->n_bonds + i];
  }
  PetscCall(VecSet(rhs, 0.0));
  for (PetscInt c = 0; c < nc; ++c) {
    int r = fem->cell_region[c];
    if (r < net->n_bonds) continue;
    const double *b = density + 3 * (r - net->n_bonds);
    if (b[0] == 0 && b[1] == 0 && b[2] == 0) continue;
    double x[4][3], w[MNN_TET_MAX_NODES];
    PetscScalar v[MNN_TET_MAX_DOFS];
    PetscInt idx[MNN_TET_MAX_DOFS];
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_tet_load_weights(fem->order, fabs(mnn_tet_volume(x)), w);
    for (int a = 0; a < nloc; ++a)
      for (int d = 0; d < 3; ++d) {
        idx[3 * a + d] = 3 * fem->cell_gblk[c * nloc + a] + d;
        v[3 * a + d] = w[a] * b[d];
      }
    PetscCall(VecSetValues(rhs, 3 * nloc, idx, v, ADD_VALUES));
  }
  free(density);
  PetscCall(VecAssemblyBegin(rhs));
  PetscCall(VecAssemblyEnd(rhs));
  PetscFunctionReturn(0);
}

int mnn_fem_load_vector(mnn_fem *fem, int n_loads, const mnn_fem_load *loads, Vec rhs, mnn_error *err) {
  if (err) err->message[0] = 0;
  PetscErrorCode rc = load_impl(fem, n_loads, loads, rhs, err);
  return rc ? mnn_fem_petsc_fail(rc, "building the load vector", err) : 0;
}

int mnn_fem_adjoint_load(mnn_fem *fem, int n_out, const mnn_fem_output *out, const double *dloss, Vec rhs,
                         mnn_error *err) {
  mnn_fem_load *loads = calloc((size_t)n_out + 1, sizeof *loads);
  if (!loads) return mnn_fail(err, "out of memory");
  for (int k = 0; k < n_out; ++k) {
    if (out[k].component < 0 || out[k].component > 2) {
      free(loads);
      return mnn_fail(err, "output on node %d: component %d is not 0 (x), 1 (y) or 2 (z)", out[k].node_id,
                      out[k].component);
    }
    loads[k].node_id = out[k].node_id;
    loads[k].f[out[k].component] = -dloss[k];
  }
  int rc = mnn_fem_load_vector(fem, n_out, loads, rhs, err);
  free(loads);
  return rc;
}

/* Runs f(cell, element vector of every local vector) over local cells. */
static PetscErrorCode gather_local(mnn_fem *fem, Vec g, Vec *l) {
  PetscFunctionBeginUser;
  PetscCall(DMGetLocalVector(fem->dm, l));
  PetscCall(DMGlobalToLocalBegin(fem->dm, g, INSERT_VALUES, *l));
  PetscCall(DMGlobalToLocalEnd(fem->dm, g, INSERT_VALUES, *l));
  PetscFunctionReturn(0);
}

static PetscErrorCode averages_impl(mnn_fem *fem, Vec u, double *avg) {
  const mnn_network *net = fem->net;
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc;
  Vec ul;
  const PetscScalar *ua;
  PetscFunctionBeginUser;
  double *acc = calloc((size_t)3 * net->n_nodes, sizeof *acc);
  PetscCall(gather_local(fem, u, &ul));
  PetscCall(VecGetArrayRead(ul, &ua));
  for (PetscInt c = 0; c < nc; ++c) {
    int r = fem->cell_region[c];
    if (r < net->n_bonds) continue;
    double x[4][3], w[MNN_TET_MAX_NODES];
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_tet_load_weights(fem->order, fabs(mnn_tet_volume(x)), w);
    for (int a = 0; a < nloc; ++a) {
      PetscInt off = fem->cell_loff[c * nloc + a];
      for (int d = 0; d < 3; ++d) acc[3 * (r - net->n_bonds) + d] += w[a] * PetscRealPart(ua[off + d]);
    }
  }
  PetscCall(VecRestoreArrayRead(ul, &ua));
  PetscCall(DMRestoreLocalVector(fem->dm, &ul));
  PetscCallMPI(MPI_Allreduce(acc, avg, 3 * net->n_nodes, MPI_DOUBLE, MPI_SUM, fem->comm));
  free(acc);
  for (int i = 0; i < net->n_nodes; ++i)
    for (int d = 0; d < 3; ++d) avg[3 * i + d] /= fem->region_volume[net->n_bonds + i];
  PetscFunctionReturn(0);
}

int mnn_fem_node_averages(mnn_fem *fem, Vec u, double *avg, mnn_error *err) {
  PetscErrorCode rc = averages_impl(fem, u, avg);
  return rc ? mnn_fem_petsc_fail(rc, "averaging over node discs", err) : 0;
}

static PetscErrorCode sensitivity_impl(mnn_fem *fem, Vec u, Vec adj, double *g) {
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc, ndof = 3 * nloc;
  Vec ul, al;
  const PetscScalar *ua, *aa;
  double Ke[MNN_TET_MAX_DOFS * MNN_TET_MAX_DOFS];
  PetscFunctionBeginUser;
  double *acc = calloc((size_t)fem->n_regions, sizeof *acc);
  PetscCall(gather_local(fem, u, &ul));
  PetscCall(gather_local(fem, adj, &al));
  PetscCall(VecGetArrayRead(ul, &ua));
  PetscCall(VecGetArrayRead(al, &aa));
  for (PetscInt c = 0; c < nc; ++c) {
    double x[4][3], lambda, mu, ue[MNN_TET_MAX_DOFS], ae[MNN_TET_MAX_DOFS];
    int r = fem->cell_region[c];
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_lame(fem->region_E[r], fem->net->poisson_ratio, &lambda, &mu);
    mnn_tet_stiffness(fem->order, x, lambda, mu, Ke);
    for (int a = 0; a < nloc; ++a) {
      PetscInt off = fem->cell_loff[c * nloc + a];
      for (int d = 0; d < 3; ++d) {
        ue[3 * a + d] = PetscRealPart(ua[off + d]);
        ae[3 * a + d] = PetscRealPart(aa[off + d]);
      }
    }
    double s = 0;
    for (int i = 0; i < ndof; ++i) {
      double row = 0;
      for (int j = 0; j < ndof; ++j) row += Ke[i * ndof + j] * ue[j];
      s += ae[i] * row;
    }
    acc[r] += s;
  }
  PetscCall(VecRestoreArrayRead(ul, &ua));
  PetscCall(VecRestoreArrayRead(al, &aa));
  PetscCall(DMRestoreLocalVector(fem->dm, &ul));
  PetscCall(DMRestoreLocalVector(fem->dm, &al));
  PetscCallMPI(MPI_Allreduce(acc, g, fem->n_regions, MPI_DOUBLE, MPI_SUM, fem->comm));
  free(acc);
  PetscFunctionReturn(0);
}

int mnn_fem_region_sensitivity(mnn_fem *fem, Vec u, Vec adj, double *g, mnn_error *err) {
  PetscErrorCode rc = sensitivity_impl(fem, u, adj, g);
  return rc ? mnn_fem_petsc_fail(rc, "computing sensitivities", err) : 0;
}

static PetscErrorCode boundary_impl(mnn_fem *fem, Vec *mask) {
  PetscInt fStart, fEnd;
  PetscFunctionBeginUser;
  PetscCall(mnn_fem_create_vector(fem, mask, NULL) ? PETSC_ERR_LIB : 0);
  PetscCall(VecSet(*mask, 0.0));
  PetscCall(DMPlexGetHeightStratum(fem->dm, 1, &fStart, &fEnd));
  for (PetscInt f = fStart; f < fEnd; ++f) {
    PetscInt ns, *closure = NULL, ncl;
    PetscCall(DMPlexGetSupportSize(fem->dm, f, &ns));
    if (ns != 1) continue;
    PetscCall(DMPlexGetTransitiveClosure(fem->dm, f, PETSC_TRUE, &ncl, &closure));
    for (PetscInt k = 0; k < ncl; ++k) {
      PetscInt p = closure[2 * k], dof;
      PetscCall(PetscSectionGetDof(fem->lsec, p, &dof));
      if (!dof) continue;
      PetscInt b = mnn_fem_point_block(fem, p);
      PetscInt rows[3] = {3 * b, 3 * b + 1, 3 * b + 2};
      PetscScalar ones[3] = {1, 1, 1};
      PetscCall(VecSetValues(*mask, 3, rows, ones, INSERT_VALUES));
    }
    PetscCall(DMPlexRestoreTransitiveClosure(fem->dm, f, PETSC_TRUE, &ncl, &closure));
  }
  PetscCall(VecAssemblyBegin(*mask));
  PetscCall(VecAssemblyEnd(*mask));
  PetscFunctionReturn(0);
}

int mnn_fem_boundary_mask(mnn_fem *fem, Vec *mask, mnn_error *err) {
  PetscErrorCode rc = boundary_impl(fem, mask);
  return rc ? mnn_fem_petsc_fail(rc, "finding the boundary", err) : 0;
}
