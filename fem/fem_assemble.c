/* The operator: element stiffness matrices added blocked into a matrix
 * preallocated from the cells (bs 3; BAIJ, SBAIJ or AIJ storage as the solver
 * needs), clamps of the supported node discs applied symmetrically; then the
 * solver (fem_solver.c) is set up once for every later solve. */
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

/* A local (ghosted) copy of the global vector g; give it back with DMRestoreLocalVector. */
static PetscErrorCode gather_local(mnn_fem *fem, Vec g, Vec *l) {
  PetscFunctionBeginUser;
  PetscCall(DMGetLocalVector(fem->dm, l));
  PetscCall(DMGlobalToLocalBegin(fem->dm, g, INSERT_VALUES, *l));
  PetscCall(DMGlobalToLocalEnd(fem->dm, g, INSERT_VALUES, *l));
  PetscFunctionReturn(0);
}

/* Blocked preallocation counted from the cells: for every point of the local
 * cells, the distinct DOF blocks of the cells around it (the first nloc points
 * of each cell, their blocks in cell_blk with stride entries per cell), split into the row owner's diagonal
 * and off-diagonal parts; for a symmetric (SBAIJ) matrix only the upper triangle.
 * Rows on a partition boundary get the sum of every rank's count (sent with
 * VecSetValues/ADD_VALUES): an upper bound, exact in serial. A has its sizes and
 * type set. */
PetscErrorCode mnn_fem_preallocate(mnn_fem *fem, const PetscInt *cell_blk, int stride, int nloc, Mat A) {
  PetscInt nc = fem->cEnd - fem->cStart, n, N, pStart, pEnd;
  PetscBool upper;
  PetscFunctionBeginUser;
  PetscCall(PetscObjectTypeCompareAny((PetscObject)A, &upper, MATSBAIJ, MATSEQSBAIJ, MATMPISBAIJ, ""));
  PetscCall(DMPlexGetChart(fem->dm, &pStart, &pEnd));
  PetscInt np = pEnd - pStart, *start, *cells, *fill, *mark, *blk;
  const PetscInt *ranges;
  PetscCall(PetscCalloc3(np + 1, &start, np, &fill, np, &mark));
  PetscCall(PetscMalloc2(nc * nloc, &cells, np, &blk));
  for (PetscInt c = 0; c < nc; ++c)
    for (int a = 0; a < nloc; ++a) start[fem->cell_pts[c * fem->nloc + a] - pStart + 1]++;
  for (PetscInt p = 0; p < np; ++p) start[p + 1] += start[p];
  for (PetscInt c = 0; c < nc; ++c)
    for (int a = 0; a < nloc; ++a) {
      PetscInt p = fem->cell_pts[c * fem->nloc + a] - pStart;
      cells[start[p] + fill[p]++] = c;
      blk[p] = cell_blk[c * stride + a];
    }
  PetscLayout rmap;
  PetscCall(MatGetLayouts(A, &rmap, NULL));
  PetscCall(PetscLayoutSetUp(rmap));
  PetscCall(PetscLayoutGetRanges(rmap, &ranges));
  PetscCall(PetscLayoutGetLocalSize(rmap, &n));
  PetscCall(PetscLayoutGetSize(rmap, &N));
  Vec dv, ov;
  PetscCall(VecCreateMPI(fem->comm, n / 3, N / 3, &dv));
  PetscCall(VecDuplicate(dv, &ov));
  PetscCall(VecSet(dv, 0.0));
  PetscCall(VecSet(ov, 0.0));
  for (PetscInt p = 0; p < np; ++p) mark[p] = -1;
  for (PetscInt p = 0; p < np; ++p) {
    if (start[p] == start[p + 1]) continue;
    PetscInt row = blk[p], owner = 0;
    while (3 * row >= ranges[owner + 1]) ++owner;
    PetscInt lo = ranges[owner] / 3, hi = ranges[owner + 1] / 3;
    PetscScalar d = 0, o = 0;
    for (PetscInt k = start[p]; k < start[p + 1]; ++k) {
      PetscInt c = cells[k];
      for (int a = 0; a < nloc; ++a) {
        PetscInt q = fem->cell_pts[c * fem->nloc + a] - pStart;
        if (mark[q] == p) continue;
        mark[q] = p;
        PetscInt col = cell_blk[c * stride + a];
        if (upper && col < row) continue;
        if (col >= lo && col < hi) d += 1;
        else o += 1;
      }
    }
    PetscCall(VecSetValue(dv, row, d, ADD_VALUES));
    PetscCall(VecSetValue(ov, row, o, ADD_VALUES));
  }
  PetscCall(PetscFree3(start, fill, mark));
  PetscCall(PetscFree2(cells, blk));
  PetscCall(VecAssemblyBegin(dv));
  PetscCall(VecAssemblyEnd(dv));
  PetscCall(VecAssemblyBegin(ov));
  PetscCall(VecAssemblyEnd(ov));
  PetscInt *dnnz, *onnz;
  const PetscScalar *da, *oa;
  PetscCall(PetscMalloc2(n / 3, &dnnz, n / 3, &onnz));
  PetscCall(VecGetArrayRead(dv, &da));
  PetscCall(VecGetArrayRead(ov, &oa));
  for (PetscInt i = 0; i < n / 3; ++i) {
    dnnz[i] = PetscMin((PetscInt)PetscRealPart(da[i]), n / 3);
    onnz[i] = PetscMin((PetscInt)PetscRealPart(oa[i]), (N - n) / 3);
  }
  PetscCall(VecRestoreArrayRead(dv, &da));
  PetscCall(VecRestoreArrayRead(ov, &oa));
  PetscCall(VecDestroy(&dv));
  PetscCall(VecDestroy(&ov));
  PetscCall(MatXAIJSetPreallocation(A, 3, dnnz, onnz, dnnz, onnz));
  PetscCall(PetscFree2(dnnz, onnz));
  PetscCall(MatSetOption(A, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  if (upper) PetscCall(MatSetOption(A, MAT_IGNORE_LOWER_TRIANGULAR, PETSC_TRUE));
  PetscFunctionReturn(0);
}

/* Adds an element matrix (3 nloc square, row-major, node-major) at the DOF
 * blocks blk; a negative block (a clamped point) drops its rows and columns.
 * Blocks are sorted first: the matrix's insertion then searches forward only. */
PetscErrorCode mnn_fem_add_element(Mat A, int nloc, const PetscInt *blk, const double *Ke) {
  int perm[MNN_TET_MAX_NODES], ndof = 3 * nloc;
  PetscInt sblk[MNN_TET_MAX_NODES];
  double Ks[MNN_TET_MAX_DOFS * MNN_TET_MAX_DOFS];
  PetscFunctionBeginUser;
  for (int a = 0; a < nloc; ++a) {
    int k = a;
    while (k > 0 && blk[perm[k - 1]] > blk[a]) {
      perm[k] = perm[k - 1];
      --k;
    }
    perm[k] = a;
  }
  for (int a = 0; a < nloc; ++a) sblk[a] = blk[perm[a]];
  for (int r = 0; r < ndof; ++r) {
    const double *src = Ke + (size_t)(3 * perm[r / 3] + r % 3) * ndof;
    for (int b = 0; b < nloc; ++b)
      for (int j = 0; j < 3; ++j) Ks[r * ndof + 3 * b + j] = src[3 * perm[b] + j];
  }
  PetscCall(MatSetValuesBlocked(A, nloc, sblk, nloc, sblk, Ks, ADD_VALUES));
  PetscFunctionReturn(0);
}

/* Per local point, 1 if its DOFs are clamped (from the global free mask, so that
 * a clamp on another rank's cell counts too), indexed by point - pStart. */
PetscErrorCode mnn_fem_clamped_points(mnn_fem *fem, char **clamped) {
  PetscInt pStart, pEnd, off, dof;
  Vec ml;
  const PetscScalar *m;
  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(fem->dm, &pStart, &pEnd));
  PetscCall(PetscCalloc1(pEnd - pStart, clamped));
  PetscCall(gather_local(fem, fem->free_mask, &ml));
  PetscCall(VecGetArrayRead(ml, &m));
  for (PetscInt p = pStart; p < pEnd; ++p) {
    PetscCall(PetscSectionGetDof(fem->lsec, p, &dof));
    if (!dof) continue;
    PetscCall(PetscSectionGetOffset(fem->lsec, p, &off));
    (*clamped)[p - pStart] = PetscRealPart(m[off]) < 0.5;
  }
  PetscCall(VecRestoreArrayRead(ml, &m));
  PetscCall(DMRestoreLocalVector(fem->dm, &ml));
  PetscFunctionReturn(0);
}

/* Adds diag on the owned rows of A that hold no element (the clamped blocks). */
PetscErrorCode mnn_fem_add_clamp_diagonal(Mat A, Vec free_mask, PetscReal diag) {
  PetscInt lo, hi;
  const PetscScalar *m;
  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(free_mask, &lo, &hi));
  PetscCall(VecGetArrayRead(free_mask, &m));
  for (PetscInt i = lo; i < hi; ++i)
    if (PetscRealPart(m[i - lo]) < 0.5) PetscCall(MatSetValue(A, i, i, diag, ADD_VALUES));
  PetscCall(VecRestoreArrayRead(free_mask, &m));
  PetscFunctionReturn(0);
}

/* Elements are added with the clamped blocks dropped, so the clamps are applied
 * symmetrically without MatZeroRowsColumns (which BAIJ and SBAIJ lack); a clamped row gets the mean diagonal of K, which keeps the smoothers
 * balanced. */
static PetscErrorCode assemble_impl(mnn_fem *fem) {
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc, ndof = 3 * nloc, n, N, pStart;
  double Ke[MNN_TET_MAX_DOFS * MNN_TET_MAX_DOFS];
  PetscInt blk[MNN_TET_MAX_NODES];
  char *clamped;
  PetscFunctionBeginUser;
  double t0 = MPI_Wtime();
  PetscCall(MatDestroy(&fem->K));
  PetscCall(VecDestroy(&fem->free_mask));
  PetscCall(build_free_mask(fem));
  PetscCall(mnn_fem_clamped_points(fem, &clamped));
  PetscCall(DMPlexGetChart(fem->dm, &pStart, NULL));
  PetscCall(VecGetLocalSize(fem->coords, &n));
  PetscCall(VecGetSize(fem->coords, &N));
  PetscCall(MatCreate(fem->comm, &fem->K));
  PetscCall(MatSetSizes(fem->K, n, n, N, N));
  PetscCall(MatSetBlockSize(fem->K, 3));
  PetscCall(MatSetType(fem->K, mnn_fem_operator_type(fem)));
  PetscCall(MatSetOptionsPrefix(fem->K, "fem_"));
  PetscCall(MatSetFromOptions(fem->K));
  mnn_fem_phase(fem, "assembling the operator", 0);
  PetscCall(mnn_fem_preallocate(fem, fem->cell_gblk, nloc, nloc, fem->K));
  double t_pre = MPI_Wtime(), trace = 0;
  for (PetscInt c = 0; c < nc; ++c) {
    double x[4][3], lambda, mu;
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    mnn_lame(fem->region_E[fem->cell_region[c]], fem->net->poisson_ratio, &lambda, &mu);
    mnn_tet_stiffness(fem->order, x, lambda, mu, Ke);
    for (int i = 0; i < ndof; ++i) trace += Ke[i * ndof + i];
    for (int a = 0; a < nloc; ++a)
      blk[a] = clamped[fem->cell_pts[c * nloc + a] - pStart] ? -1 : fem->cell_gblk[c * nloc + a];
    PetscCall(mnn_fem_add_element(fem->K, nloc, blk, Ke));
  }
  PetscCall(PetscFree(clamped));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &trace, 1, MPI_DOUBLE, MPI_SUM, fem->comm));
  PetscCall(mnn_fem_add_clamp_diagonal(fem->K, fem->free_mask, trace / (double)N));
  PetscCall(MatAssemblyBegin(fem->K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(fem->K, MAT_FINAL_ASSEMBLY));
  double t_elem = MPI_Wtime();
  PetscBool mpibaij;
  PetscCall(MatSetOption(fem->K, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(PetscObjectTypeCompare((PetscObject)fem->K, MATMPIBAIJ, &mpibaij));
  if (!mpibaij) PetscCall(MatSetOption(fem->K, MAT_SPD, PETSC_TRUE)); /* MPIBAIJ refuses this option */
  MatNullSpace nsp;
  PetscCall(MatNullSpaceCreateRigidBody(fem->coords, &nsp));
  PetscCall(MatSetNearNullSpace(fem->K, nsp));
  PetscCall(MatNullSpaceDestroy(&nsp));
  fem->stats.assembly_seconds = MPI_Wtime() - t0;
  mnn_fem_phase(fem, "operator assembled", fem->stats.assembly_seconds);
  mnn_debug("fem: assembly (%s): preallocation %.3f s, elements and clamps %.3f s, near-null space %.3f s",
            mnn_fem_operator_type(fem), t_pre - t0, t_elem - t_pre, MPI_Wtime() - t_elem);

  if (!fem->clamps_enabled) PetscFunctionReturn(0);
  PetscCall(mnn_fem_setup_solver(fem));
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
  if (rc) {
    /* PETSc 3.18 segfaults in KSPDestroy (KSPReset of a level's smoother) after a
     * solve that failed inside a PCMG level, e.g. an SOR option BAIJ does not
     * support: leave the KSP, a leak on an error path, rather than crash in
     * mnn_fem_destroy; the next solve says to assemble again */
    fem->ksp = NULL;
    return mnn_fem_petsc_fail(rc, "the FEM solve", err);
  }
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
  PetscCheck(density, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory for the load densities");
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

static PetscErrorCode averages_impl(mnn_fem *fem, Vec u, double *avg) {
  const mnn_network *net = fem->net;
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc;
  Vec ul;
  const PetscScalar *ua;
  PetscFunctionBeginUser;
  double *acc = calloc((size_t)3 * net->n_nodes, sizeof *acc);
  PetscCheck(acc, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory for the node averages");
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
  PetscCheck(acc, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory for the sensitivities");
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
