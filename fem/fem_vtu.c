/* VTU output for ParaView: the displacement (and adjoint) field on linear or
 * quadratic tetrahedra with each cell's bond and node id, gathered to rank 0 and
 * written there atomically (ASCII, so that any VTK reader takes it). */
#include <stdio.h>
#include <stdlib.h>
#include "atomic_file.h"
#include "fem_internal.h"

static PetscErrorCode gather_to_zero(Vec v, Vec *seq) {
  VecScatter sc;
  PetscFunctionBeginUser;
  PetscCall(VecScatterCreateToZero(v, &sc, seq));
  PetscCall(VecScatterBegin(sc, v, *seq, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, v, *seq, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterDestroy(&sc));
  PetscFunctionReturn(0);
}

static void write_vector(FILE *fp, const char *name, const PetscScalar *a, PetscInt n) {
  fprintf(fp, "        <DataArray type=\"Float64\" Name=\"%s\" NumberOfComponents=\"3\" format=\"ascii\">\n", name);
  for (PetscInt i = 0; i < n; ++i)
    fprintf(fp, "%.9g %.9g %.9g\n", PetscRealPart(a[3 * i]), PetscRealPart(a[3 * i + 1]), PetscRealPart(a[3 * i + 2]));
  fprintf(fp, "        </DataArray>\n");
}

/* Rank 0's half: the gathered arrays into one file. */
static int write_file(mnn_fem *fem, const char *path, PetscInt n_points, const PetscScalar *xyz, const PetscScalar *u,
                      const PetscScalar *adj, PetscInt n_cells, const PetscInt *conn, const int *region,
                      mnn_error *err) {
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, path, err)) return -1;
  FILE *fp = f.fp;
  int nloc = fem->nloc, nb = fem->net->n_bonds;
  fprintf(fp, "<?xml version=\"1.0\"?>\n<!-- mnn fem: displacement%s in m, order %d -->\n"
              "<VTKFile type=\"UnstructuredGrid\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
              "  <UnstructuredGrid>\n    <Piece NumberOfPoints=\"%ld\" NumberOfCells=\"%ld\">\n"
              "      <Points>\n",
          adj ? " and adjoint" : "", fem->order, (long)n_points, (long)n_cells);
  write_vector(fp, "coordinates", xyz, n_points);
  fprintf(fp, "      </Points>\n      <Cells>\n        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n");
  for (PetscInt c = 0; c < n_cells; ++c) {
    for (int a = 0; a < nloc; ++a) fprintf(fp, "%ld ", (long)conn[c * nloc + a]);
    fputc('\n', fp);
  }
  fprintf(fp, "        </DataArray>\n        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n");
  for (PetscInt c = 0; c < n_cells; ++c) fprintf(fp, "%ld\n", (long)(c + 1) * nloc);
  fprintf(fp, "        </DataArray>\n        <DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">\n");
  for (PetscInt c = 0; c < n_cells; ++c) fprintf(fp, "%d\n", nloc == 4 ? 10 : 24);
  fprintf(fp, "        </DataArray>\n      </Cells>\n      <PointData Vectors=\"displacement\">\n");
  write_vector(fp, "displacement", u, n_points);
  if (adj) write_vector(fp, "adjoint", adj, n_points);
  fprintf(fp, "      </PointData>\n      <CellData Scalars=\"bond_id\">\n");
  const char *names[2] = {"bond_id", "node_id"};
  for (int k = 0; k < 2; ++k) {
    fprintf(fp, "        <DataArray type=\"Int32\" Name=\"%s\" format=\"ascii\">\n", names[k]);
    for (PetscInt c = 0; c < n_cells; ++c) {
      int r = region[c], id = 0;
      if (k == 0 && r < nb) id = fem->net->bond_id[r];
      if (k == 1 && r >= nb) id = fem->net->node_id[r - nb];
      fprintf(fp, "%d\n", id);
    }
    fprintf(fp, "        </DataArray>\n");
  }
  fprintf(fp, "      </CellData>\n    </Piece>\n  </UnstructuredGrid>\n</VTKFile>\n");
  if (ferror(fp)) {
    mnn_atomic_abort(&f);
    return mnn_fail(err, "%s: write failed (disk full?)", path);
  }
  return mnn_atomic_commit(&f, err);
}

static PetscErrorCode vtu_impl(mnn_fem *fem, const char *path, Vec u, Vec adj, int *rc_write, mnn_error *err) {
  Vec xs, us, as = NULL;
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc;
  PetscMPIInt ncl = (PetscMPIInt)(nc * nloc), *counts = NULL, *displs = NULL, total = 0;
  PetscInt *conn = NULL;
  int *region = NULL;
  PetscFunctionBeginUser;
  PetscCall(gather_to_zero(fem->coords, &xs));
  PetscCall(gather_to_zero(u, &us));
  if (adj) PetscCall(gather_to_zero(adj, &as));
  if (fem->rank == 0) PetscCall(PetscMalloc2(fem->size, &counts, fem->size, &displs));
  PetscCallMPI(MPI_Gather(&ncl, 1, MPI_INT, counts, 1, MPI_INT, 0, fem->comm));
  if (fem->rank == 0) {
    for (int r = 0; r < fem->size; ++r) {
      displs[r] = total;
      total += counts[r];
    }
    PetscCall(PetscMalloc1(total, &conn));
  }
  PetscCallMPI(MPI_Gatherv(fem->cell_gblk, ncl, MPIU_INT, conn, counts, displs, MPIU_INT, 0, fem->comm));
  PetscMPIInt ncm = (PetscMPIInt)nc;
  if (fem->rank == 0) {
    total = 0;
    for (int r = 0; r < fem->size; ++r) {
      counts[r] /= nloc;
      displs[r] = total;
      total += counts[r];
    }
    PetscCall(PetscMalloc1(total, &region));
  }
  PetscCallMPI(MPI_Gatherv(fem->cell_region, ncm, MPI_INT, region, counts, displs, MPI_INT, 0, fem->comm));
  int rc = 0;
  if (fem->rank == 0) {
    const PetscScalar *xa, *ua, *aa = NULL;
    PetscInt n;
    PetscCall(VecGetSize(xs, &n));
    PetscCall(VecGetArrayRead(xs, &xa));
    PetscCall(VecGetArrayRead(us, &ua));
    if (as) PetscCall(VecGetArrayRead(as, &aa));
    rc = write_file(fem, path, n / 3, xa, ua, aa, total, conn, region, err);
    PetscCall(VecRestoreArrayRead(xs, &xa));
    PetscCall(VecRestoreArrayRead(us, &ua));
    if (as) PetscCall(VecRestoreArrayRead(as, &aa));
    PetscCall(PetscFree2(counts, displs));
    PetscCall(PetscFree(conn));
    PetscCall(PetscFree(region));
  }
  PetscCallMPI(MPI_Bcast(&rc, 1, MPI_INT, 0, fem->comm));
  if (rc && fem->rank != 0) mnn_fail(err, "%s: rank 0 could not write the VTU file", path);
  *rc_write = rc;
  PetscCall(VecDestroy(&xs));
  PetscCall(VecDestroy(&us));
  PetscCall(VecDestroy(&as));
  PetscFunctionReturn(0);
}

int mnn_fem_write_vtu(mnn_fem *fem, const char *path, Vec u, Vec adj, mnn_error *err) {
  int rc_write = 0;
  if (err) err->message[0] = 0;
  PetscErrorCode rc = vtu_impl(fem, path, u, adj, &rc_write, err);
  if (rc) return mnn_fem_petsc_fail(rc, "writing the VTU file", err);
  return rc_write ? -1 : 0;
}
