/* Reading a network's mesh into a distributed DMPlex: the Gmsh file's physical
 * names mapped to bonds and nodes through the "Cell Sets" label, the P1/P2 DOF
 * numbering (a PetscSection on vertices and edges), and per-cell caches of
 * points, DOF indices, vertex coordinates and regions. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic_file.h"
#include "fem_internal.h"
#include "log.h"

/* ---- PETSc's errors as one line ----
 * PETSc prints 10 to 17 lines per error (message, version, configure options,
 * traceback). While an mnn_fem exists its handler keeps the first line of the
 * error (the message and the function that raised it) for mnn_fem_petsc_fail, and
 * prints nothing; with -v PETSc's traceback follows as well. On more than one
 * rank an error PETSc raised on one rank alone (its Gmsh reader runs on rank 0)
 * would leave the others waiting in a collective call forever: the rank prints
 * the one line and ends every rank with MPI_Abort (rank 0 first; another rank
 * waits half a second, so that an error on all ranks is printed once). */
static char petsc_error_line[600];
static char petsc_context[600]; /* what is being done, for the line printed before MPI_Abort */

static PetscErrorCode one_line_handler(MPI_Comm comm, int line, const char *func, const char *file, PetscErrorCode n,
                                       PetscErrorType p, const char *mess, void *ctx) {
  if (mnn_get_verbosity() >= MNN_VERBOSE) PetscTraceBackErrorHandler(comm, line, func, file, n, p, mess, ctx);
  if (p != PETSC_ERROR_INITIAL) return n;
  const char *text = NULL;
  if (PetscErrorMessage(n, &text, NULL)) text = NULL; /* then the line says "error" */
  snprintf(petsc_error_line, sizeof petsc_error_line, "%s%s%.400s (in %s)", text ? text : "error",
           mess && *mess ? ": " : "", mess ? mess : "", func ? func : "PETSc");
  for (char *c = petsc_error_line; *c; ++c)
    if (*c == '\n' || *c == '\r') *c = ' ';
  int size = 1, rank = 0; /* if MPI cannot say, act as one rank: keep the line, return the error */
  if (MPI_Comm_size(PETSC_COMM_WORLD, &size) != MPI_SUCCESS || MPI_Comm_rank(PETSC_COMM_WORLD, &rank) != MPI_SUCCESS)
    size = 1, rank = 0;
  if (size > 1) {
    if (rank > 0) usleep(500000);
    fprintf(stderr, "mnn: error: %sPETSc on rank %d: %s: the other ranks cannot go on, ending all\n",
            petsc_context, rank, petsc_error_line);
    fflush(stderr);
    MPI_Abort(PETSC_COMM_WORLD, 1);
  }
  return n;
}

int mnn_fem_petsc_fail(PetscErrorCode rc, const char *what, mnn_error *err) {
  if (err && err->message[0]) return -1;
  int r = petsc_error_line[0] ? mnn_fail(err, "%s failed: PETSc: %s", what, petsc_error_line)
                              : mnn_fail(err, "%s failed with PETSc error %d (rerun with -v for PETSc's message)",
                                         what, (int)rc);
  petsc_error_line[0] = '\0';
  return r;
}

PetscInt mnn_fem_point_block(mnn_fem *fem, PetscInt p) {
  PetscSection gsec;
  PetscInt off;
  if (DMGetGlobalSection(fem->dm, &gsec) || PetscSectionGetOffset(gsec, p, &off)) return -1;
  if (off < 0) off = -(off + 1);
  return off / 3;
}

/* A physical name of dimension 3 and its tag, from the $PhysicalNames section. */
typedef struct { int tag; char name[64]; } physical_name;

/* Checks the $MeshFormat header: a version PETSc 3.18 reads (2.2, 4.0, 4.1). */
static int check_format(const char *path, FILE *fp, mnn_error *err) {
  char line[512];
  double version = 0;
  int file_type = -1, data_size = 0;
  if (!fgets(line, sizeof line, fp) || strncmp(line, "$MeshFormat", 11))
    return mnn_fail(err, "%s:1: not a Gmsh mesh (no $MeshFormat): write the mesh with `mnn mesh`", path);
  if (!fgets(line, sizeof line, fp) || sscanf(line, "%lf %d %d", &version, &file_type, &data_size) != 3 ||
      (file_type != 0 && file_type != 1))
    return mnn_fail(err, "%s:2: malformed $MeshFormat line: expected VERSION FILE-TYPE DATA-SIZE", path);
  if (version != 2.2 && version != 4.0 && version != 4.1)
    return mnn_fail(err, "%s:2: Gmsh mesh format %g is not supported (2.2, 4.0 and 4.1 are): write the mesh with "
                    "`mnn mesh`", path, version);
  return 0;
}

static int compare_tags(const void *a, const void *b) {
  int x = ((const physical_name *)a)->tag, y = ((const physical_name *)b)->tag;
  return (x > y) - (x < y);
}

/* Reads the $PhysicalNames section (ASCII in text and binary .msh alike), after
 * checking the format version and that the file is complete. Every count and tag
 * is bounded: the count by the file's size (a name takes at least 8 bytes), tags
 * positive and unique. The names come back sorted by tag (for name_of_tag). */
static int read_physical_names(const char *path, physical_name **names, int *count, mnn_error *err) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return mnn_fail(err, "%s: cannot open the mesh (%s): check the path", path, strerror(errno));
  *names = NULL;
  *count = 0;
  long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
  if (size < 0 || fseek(fp, 0, SEEK_SET) != 0) {
    fclose(fp);
    return mnn_fail(err, "%s: cannot read the mesh: give a regular file", path);
  }
  if (check_format(path, fp, err)) return fclose(fp), -1;
  /* a mesh cut short (a full disk, an interrupted copy) fails here, on every rank,
   * before PETSc reads it on rank 0 alone and the other ranks would wait forever */
  if (!mnn_file_last_line_starts_with(path, "$End") || fseek(fp, 0, SEEK_SET) != 0) {
    fclose(fp);
    return mnn_fail(err, "%s: the mesh file is incomplete (it does not end with a $End... line): write it again "
                    "with `mnn mesh`", path);
  }
  char line[512];
  long n = -1;
  int k = 0, found = 0;
  long lineno = 0;
  while (fgets(line, sizeof line, fp)) {
    ++lineno;
    if (!strncmp(line, "$PhysicalNames", 14)) { found = 1; break; }
    if (!strncmp(line, "$Nodes", 6) || !strncmp(line, "$Elements", 9)) break;
  }
  if (!found) {
    fclose(fp);
    return mnn_fail(err, "%s: no $PhysicalNames section: the mesh must name its volume groups bond_<id> and node_<id> "
                    "(write it with `mnn mesh`)", path);
  }
  char tail;
  if (!fgets(line, sizeof line, fp) || sscanf(line, "%ld %c", &n, &tail) != 1 || n < 0 || n > size / 8) {
    fclose(fp);
    return mnn_fail(err, "%s:%ld: malformed $PhysicalNames count (a number from 0 to %ld for this file's size)", path,
                    lineno + 1, size / 8);
  }
  ++lineno;
  *names = calloc((size_t)n + 1, sizeof **names);
  if (!*names) {
    fclose(fp);
    return mnn_fail(err, "%s: out of memory for %ld physical names", path, n);
  }
  for (long i = 0; i < n; ++i) {
    int dim, tag;
    char name[64];
    ++lineno;
    if (!fgets(line, sizeof line, fp) || sscanf(line, "%d %d \"%63[^\"]\"", &dim, &tag, name) != 3 || tag < 1) {
      free(*names);
      *names = NULL;
      fclose(fp);
      return mnn_fail(err, "%s:%ld: malformed physical name: expected: DIM TAG \"NAME\" with a positive TAG", path,
                      lineno);
    }
    if (dim != 3) continue;
    (*names)[k].tag = tag;
    snprintf((*names)[k].name, sizeof (*names)[k].name, "%s", name);
    ++k;
  }
  fclose(fp);
  qsort(*names, (size_t)k, sizeof **names, compare_tags);
  for (int i = 1; i < k; ++i)
    if ((*names)[i].tag == (*names)[i - 1].tag) {
      int tag = (*names)[i].tag;
      free(*names);
      *names = NULL;
      return mnn_fail(err, "%s: volume tag %d is named twice in $PhysicalNames: write the mesh with `mnn mesh`", path,
                      tag);
    }
  *count = k;
  return 0;
}

/* The index of the name with this tag in names (sorted by tag), or -1. */
static int name_of_tag(const physical_name *names, int n, PetscInt tag) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (names[mid].tag == tag) return mid;
    if (names[mid].tag < tag) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/* Region of a physical name for this network: bond b -> b, node i -> n_bonds + i,
 * -1 if the name is not a bond or node of the network. */
static int region_of_name(const mnn_network *net, const char *name) {
  int id;
  char tail;
  if (sscanf(name, "bond_%d%c", &id, &tail) == 1) return mnn_network_bond_index(net, id);
  if (sscanf(name, "node_%d%c", &id, &tail) == 1) {
    int i = mnn_network_node_index(net, id);
    return i < 0 ? -1 : net->n_bonds + i;
  }
  return -1;
}

static const char *region_kind(const mnn_fem *fem, int r, int *id) {
  if (r < fem->net->n_bonds) {
    *id = fem->net->bond_id[r];
    return "bond";
  }
  *id = fem->net->node_id[r - fem->net->n_bonds];
  return "node";
}

/* The DOF layout: 3 per vertex, and per edge for P2. */
static PetscErrorCode build_section(mnn_fem *fem) {
  PetscInt pStart, pEnd;
  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(fem->dm, &pStart, &pEnd));
  PetscCall(PetscSectionCreate(fem->comm, &fem->lsec));
  PetscCall(PetscSectionSetChart(fem->lsec, pStart, pEnd));
  for (PetscInt v = fem->vStart; v < fem->vEnd; ++v) PetscCall(PetscSectionSetDof(fem->lsec, v, 3));
  if (fem->order == 2)
    for (PetscInt e = fem->eStart; e < fem->eEnd; ++e) PetscCall(PetscSectionSetDof(fem->lsec, e, 3));
  PetscCall(PetscSectionSetUp(fem->lsec));
  PetscCall(DMSetLocalSection(fem->dm, fem->lsec));
  PetscFunctionReturn(0);
}

/* Per-cell caches: points in VTK node order, DOF offsets, vertex coordinates. */
static PetscErrorCode build_cell_cache(mnn_fem *fem, mnn_error *err) {
  PetscInt nc = fem->cEnd - fem->cStart, nloc = fem->nloc;
  PetscSection gsec, csec;
  Vec coordl;
  const PetscScalar *xa;
  PetscFunctionBeginUser;
  PetscCall(DMGetGlobalSection(fem->dm, &gsec));
  PetscCall(DMGetCoordinateSection(fem->dm, &csec));
  PetscCall(DMGetCoordinatesLocal(fem->dm, &coordl));
  PetscCall(VecGetArrayRead(coordl, &xa));
  PetscCall(PetscMalloc1(nc * nloc, &fem->cell_pts));
  PetscCall(PetscMalloc1(nc * nloc, &fem->cell_gblk));
  PetscCall(PetscMalloc1(nc * nloc, &fem->cell_loff));
  PetscCall(PetscMalloc1(nc * 12, &fem->cell_x));
  for (PetscInt c = 0; c < nc; ++c) {
    PetscInt *closure = NULL, ncl, nv = 0, *pts = fem->cell_pts + c * nloc;
    PetscInt edges[6], ne = 0;
    PetscCall(DMPlexGetTransitiveClosure(fem->dm, fem->cStart + c, PETSC_TRUE, &ncl, &closure));
    for (PetscInt k = 0; k < ncl; ++k) {
      PetscInt p = closure[2 * k];
      if (p >= fem->vStart && p < fem->vEnd && nv < 4) pts[nv++] = p;
      else if (p >= fem->eStart && p < fem->eEnd && ne < 6) edges[ne++] = p;
    }
    PetscCall(DMPlexRestoreTransitiveClosure(fem->dm, fem->cStart + c, PETSC_TRUE, &ncl, &closure));
    if (nv != 4 || ne != 6) {
      mnn_fail(err, "mesh cell %d is not a tetrahedron (%d vertices, %d edges): mesh with linear tetrahedra only",
               (int)c, (int)nv, (int)ne);
      PetscFunctionReturn(PETSC_ERR_USER);
    }
    if (fem->order == 2) {
      for (PetscInt k = 0; k < 6; ++k) {
        const PetscInt *cone;
        int a = -1, b = -1;
        PetscCall(DMPlexGetCone(fem->dm, edges[k], &cone));
        for (int i = 0; i < 4; ++i) {
          if (pts[i] == cone[0]) a = i;
          if (pts[i] == cone[1]) b = i;
        }
        for (int s = 0; s < 6; ++s) {
          int i = mnn_tet_edge_vertices[s][0], j = mnn_tet_edge_vertices[s][1];
          if ((i == a && j == b) || (i == b && j == a)) pts[4 + s] = edges[k];
        }
      }
    }
    for (int a = 0; a < nloc; ++a) {
      PetscInt off;
      PetscCall(PetscSectionGetOffset(gsec, pts[a], &off));
      if (off < 0) off = -(off + 1);
      fem->cell_gblk[c * nloc + a] = off / 3;
      PetscCall(PetscSectionGetOffset(fem->lsec, pts[a], &fem->cell_loff[c * nloc + a]));
    }
    for (int a = 0; a < 4; ++a) {
      PetscInt off;
      PetscCall(PetscSectionGetOffset(csec, pts[a], &off));
      for (int d = 0; d < 3; ++d) fem->cell_x[c * 12 + 3 * a + d] = PetscRealPart(xa[off + d]);
    }
  }
  PetscCall(VecRestoreArrayRead(coordl, &xa));
  PetscFunctionReturn(0);
}

/* The coordinates of every DOF block in the global layout (for the rigid-body
 * near-null space and the VTU output). */
static PetscErrorCode build_coordinates(mnn_fem *fem) {
  PetscFunctionBeginUser;
  PetscCall(DMCreateGlobalVector(fem->dm, &fem->coords));
  PetscCall(VecSetBlockSize(fem->coords, 3));
  PetscCall(VecSet(fem->coords, 0.0));
  PetscInt lo, hi;
  PetscScalar *a;
  PetscCall(VecGetOwnershipRange(fem->coords, &lo, &hi));
  PetscCall(VecGetArray(fem->coords, &a));
  PetscInt nc = fem->cEnd - fem->cStart;
  for (PetscInt c = 0; c < nc; ++c) {
    const double *x = fem->cell_x + 12 * c;
    for (int k = 0; k < fem->nloc; ++k) {
      PetscInt row = 3 * fem->cell_gblk[c * fem->nloc + k];
      if (row < lo || row >= hi) continue;
      for (int d = 0; d < 3; ++d) {
        double v = k < 4 ? x[3 * k + d]
                         : 0.5 * (x[3 * mnn_tet_edge_vertices[k - 4][0] + d] + x[3 * mnn_tet_edge_vertices[k - 4][1] + d]);
        a[row - lo + d] = v;
      }
    }
  }
  PetscCall(VecRestoreArray(fem->coords, &a));
  PetscFunctionReturn(0);
}

/* Maps each cell to its region and checks the groups against the network. */
static PetscErrorCode build_regions(mnn_fem *fem, const char *path, const physical_name *names, int n_names,
                                    mnn_error *err) {
  DMLabel label;
  const mnn_network *net = fem->net;
  PetscInt nc = fem->cEnd - fem->cStart;
  PetscFunctionBeginUser;
  int *name_region = NULL; /* region of names[i] */
  PetscCall(PetscMalloc1(n_names + 1, &name_region));
  int *have = calloc((size_t)fem->n_regions, sizeof *have);
  if (!have) {
    PetscCall(PetscFree(name_region));
    mnn_fail(err, "%s: out of memory", path);
    PetscFunctionReturn(PETSC_ERR_MEM);
  }
  for (int i = 0; i < n_names; ++i) {
    int r = region_of_name(net, names[i].name);
    if (r < 0) {
      mnn_fail(err, "%s: volume group '%s' is not a bond or node of the network: mesh this network with `mnn mesh`",
               path, names[i].name);
      free(have);
      PetscCall(PetscFree(name_region));
      PetscFunctionReturn(PETSC_ERR_USER);
    }
    name_region[i] = r;
    have[r] = 1;
  }
  for (int r = 0; r < fem->n_regions; ++r) {
    if (have[r]) continue;
    int id;
    const char *kind = region_kind(fem, r, &id);
    mnn_fail(err, "%s: the mesh has no volume group %s_%d (%s %d of the network): mesh this network with `mnn mesh`",
             path, kind, id, kind, id);
    free(have);
    PetscCall(PetscFree(name_region));
    PetscFunctionReturn(PETSC_ERR_USER);
  }
  free(have);

  /* PETSc 3.18 puts the physical tags in "Cell Sets"; with -dm_plex_gmsh_use_regions
   * it makes one label per physical name instead (and no "Cell Sets") */
  PetscCall(DMGetLabel(fem->dm, "Cell Sets", &label));
  PetscCall(PetscMalloc1(nc, &fem->cell_region));
  for (PetscInt c = 0; c < nc; ++c) fem->cell_region[c] = -1;
  long bad = 0, bad_value = 0;
  if (label) {
    for (PetscInt c = 0; c < nc; ++c) {
      PetscInt v = -1;
      PetscCall(DMLabelGetValue(label, fem->cStart + c, &v));
      int i = name_of_tag(names, n_names, v);
      fem->cell_region[c] = i >= 0 ? name_region[i] : -1;
    }
  } else {
    for (int i = 0; i < n_names; ++i) {
      DMLabel named;
      PetscCall(DMGetLabel(fem->dm, names[i].name, &named));
      if (!named) {
        mnn_fail(err, "%s: PETSc made no label '%s' (neither \"Cell Sets\" nor per-region labels): "
                 "check the mesh with gmsh", path, names[i].name);
        PetscCall(PetscFree(name_region));
        PetscFunctionReturn(PETSC_ERR_USER);
      }
      for (PetscInt c = 0; c < nc; ++c) {
        PetscInt v = -1;
        PetscCall(DMLabelGetValue(named, fem->cStart + c, &v));
        if (v == names[i].tag) fem->cell_region[c] = name_region[i];
      }
    }
  }
  for (PetscInt c = 0; c < nc; ++c)
    if (fem->cell_region[c] < 0 && !bad++) bad_value = c;
  PetscCall(PetscFree(name_region));
  long bad_all = 0;
  PetscCallMPI(MPI_Allreduce(&bad, &bad_all, 1, MPI_LONG, MPI_SUM, fem->comm));
  if (bad_all) {
    mnn_fail(err, "%s: %ld tetrahedra are in no bond_<id> or node_<id> volume group (first: local cell %ld): "
             "put every volume in one group", path, bad_all, bad_value);
    PetscFunctionReturn(PETSC_ERR_USER);
  }

  /* volumes and node centroids, to catch meshes of another network or in mm */
  int nr = fem->n_regions;
  double *acc = calloc((size_t)4 * nr, sizeof *acc), *all = calloc((size_t)4 * nr, sizeof *all);
  if (!acc || !all) {
    free(acc), free(all);
    mnn_fail(err, "%s: out of memory", path);
    PetscFunctionReturn(PETSC_ERR_MEM);
  }
  for (PetscInt c = 0; c < nc; ++c) {
    double x[4][3];
    memcpy(x, fem->cell_x + 12 * c, sizeof x);
    double vol = fabs(mnn_tet_volume(x));
    int r = fem->cell_region[c];
    acc[4 * r] += vol;
    for (int d = 0; d < 3; ++d) acc[4 * r + 1 + d] += vol * 0.25 * (x[0][d] + x[1][d] + x[2][d] + x[3][d]);
  }
  PetscCallMPI(MPI_Allreduce(acc, all, 4 * nr, MPI_DOUBLE, MPI_SUM, fem->comm));
  PetscCall(PetscMalloc1(nr, &fem->region_volume));
  int fail = 0;
  for (int r = 0; r < nr && !fail; ++r) {
    fem->region_volume[r] = all[4 * r];
    int id;
    const char *kind = region_kind(fem, r, &id);
    if (all[4 * r] <= 0) {
      mnn_fail(err, "%s: volume group %s_%d has no tetrahedra: mesh this network with `mnn mesh`", path, kind, id);
      fail = 1;
    } else if (r >= net->n_bonds) {
      int i = r - net->n_bonds;
      double cx = all[4 * r + 1] / all[4 * r], cy = all[4 * r + 2] / all[4 * r];
      double tol = net->joint.node_radius > 0 ? net->joint.node_radius : 1e-3;
      if (hypot(cx - net->x[i], cy - net->y[i]) > tol) {
        mnn_fail(err, "%s: node_%d's volume is centred at (%g, %g) mm but node %d is at (%g, %g) mm: "
                 "the mesh must be in metres and made for this network", path, id, 1e3 * cx, 1e3 * cy, id,
                 1e3 * net->x[i], 1e3 * net->y[i]);
        fail = 1;
      }
    }
  }
  free(acc);
  free(all);
  if (fail) PetscFunctionReturn(PETSC_ERR_USER);
  PetscFunctionReturn(0);
}

static PetscErrorCode create_impl(mnn_fem *fem, const char *path, mnn_error *err) {
  DM dm0, dmd = NULL;
  physical_name *names = NULL;
  int n_names = 0, rc_names;
  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(fem->comm, &fem->rank));
  PetscCallMPI(MPI_Comm_size(fem->comm, &fem->size));
  /* every rank reads the short header itself; all agree since the file is the same */
  rc_names = read_physical_names(path, &names, &n_names, err);
  if (rc_names) PetscFunctionReturn(PETSC_ERR_USER);

  double t0 = MPI_Wtime();
  PetscCall(DMPlexCreateGmshFromFile(fem->comm, path, PETSC_TRUE, &dm0));
  PetscCall(PetscObjectSetName((PetscObject)dm0, "mesh"));
  PetscCall(DMSetOptionsPrefix(dm0, "fem_"));
  if (fem->size > 1) {
    PetscCall(DMPlexDistribute(dm0, 0, NULL, &dmd));
    if (dmd) {
      PetscCall(DMDestroy(&dm0));
      dm0 = dmd;
    }
  }
  fem->dm = dm0;
  PetscCall(DMViewFromOptions(fem->dm, NULL, "-dm_view"));
  PetscInt dim;
  PetscCall(DMGetDimension(fem->dm, &dim));
  if (dim != 3) {
    free(names);
    mnn_fail(err, "%s: the mesh is %dD: the FEM needs a 3D tetrahedral mesh", path, (int)dim);
    PetscFunctionReturn(PETSC_ERR_USER);
  }
  PetscCall(DMPlexGetHeightStratum(fem->dm, 0, &fem->cStart, &fem->cEnd));
  PetscCall(DMPlexGetDepthStratum(fem->dm, 0, &fem->vStart, &fem->vEnd));
  PetscCall(DMPlexGetDepthStratum(fem->dm, 1, &fem->eStart, &fem->eEnd));
  PetscCall(build_section(fem));
  PetscErrorCode rc = build_cell_cache(fem, err);
  if (!rc) rc = build_regions(fem, path, names, n_names, err);
  free(names);
  if (rc) PetscFunctionReturn(rc);
  PetscCall(build_coordinates(fem));
  mnn_debug("fem: read %s in %.2f s", path, MPI_Wtime() - t0);

  PetscInt n_dofs, nc = fem->cEnd - fem->cStart;
  long ncl = (long)nc, ncg = 0;
  PetscCall(VecGetSize(fem->coords, &n_dofs));
  PetscCallMPI(MPI_Allreduce(&ncl, &ncg, 1, MPI_LONG, MPI_SUM, fem->comm));
  fem->stats.n_dofs = (long)n_dofs;
  fem->stats.n_cells = ncg;
  fem->stats.n_ranks = fem->size;
  fem->stats.order = fem->order;
  PetscFunctionReturn(0);
}

/* The FEM's operator is singular exactly when a part of the solid can move as a
 * rigid body: a connected part of the network (nodes joined by bonds) without a
 * supported node, whose clamped disc fixes all six rigid motions. (The bar
 * model's zero-mode check is stricter: a pin-jointed mechanism, such as a
 * square of bars, is a stable frame in the solid.) Fails naming the first such
 * part's nodes. */
static int root_of(int *part, int x) {
  while (part[x] != x) x = part[x] = part[part[x]];
  return x;
}

static int check_supported(const mnn_network *net, mnn_error *err) {
  int n = net->n_nodes, *part = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
  if (!part) return mnn_fail(err, "out of memory");
  for (int i = 0; i < n; ++i) part[i] = i;
  /* union-find over the bonds (path halving); then part[i] is i's root */
  for (int b = 0; b < net->n_bonds; ++b) {
    int x = root_of(part, net->bond_a[b]), y = root_of(part, net->bond_b[b]);
    if (x != y) part[x > y ? x : y] = x < y ? x : y;
  }
  for (int i = 0; i < n; ++i) part[i] = root_of(part, i);
  unsigned char *held = calloc((size_t)(n > 0 ? n : 1), 1);
  if (!held) return free(part), mnn_fail(err, "out of memory");
  for (int i = 0; i < n; ++i)
    if (net->fixed[i]) held[part[i]] = 1;
  int rc = 0;
  for (int i = 0; i < n && !rc; ++i) {
    if (held[part[i]]) continue;
    char list[256] = "";
    size_t len = 0;
    int count = 0, root = part[i];
    for (int j = 0; j < n; ++j) {
      if (part[j] != root) continue;
      if (++count <= 20) len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", count > 1 ? ", " : "", net->node_id[j]);
    }
    if (count > 20) snprintf(list + len, sizeof list - len, " and %d more", count - 20);
    rc = mnn_fail(err, "FEM: node%s %s %s no support and no bond to a supported node: that part can move freely "
                  "(a singular system): add a support or a bond", count == 1 ? "" : "s", list,
                  count == 1 ? "has" : "have");
  }
  free(held);
  free(part);
  return rc;
}

mnn_fem *mnn_fem_create(MPI_Comm comm, const mnn_network *net, const char *msh_path, int order, mnn_error *err) {
  if (order != 1 && order != 2) {
    mnn_fail(err, "FEM order %d is not supported: use 1 or 2", order);
    return NULL;
  }
  /* a part that can move freely makes a singular operator, on which a direct
   * solver returns garbage and an iterative one does not converge: refuse it
   * first (every rank decides alike, on the same network) */
  if (check_supported(net, err)) return NULL;
  mnn_fem *fem = calloc(1, sizeof *fem);
  if (fem) fem->n_regions = net->n_bonds + net->n_nodes;
  if (!fem || !(fem->net = mnn_network_copy(net)) ||
      !(fem->region_E = malloc(sizeof(double) * ((size_t)fem->n_regions + 1)))) {
    mnn_fem_destroy(fem);
    mnn_fail(err, "out of memory");
    return NULL;
  }
  if (err) err->message[0] = 0;
  fem->comm = comm;
  fem->order = order;
  fem->nloc = mnn_tet_nodes(order);
  fem->clamps_enabled = 1;
  for (int r = 0; r < fem->n_regions; ++r) fem->region_E[r] = net->youngs_modulus;
  if (PetscPushErrorHandler(one_line_handler, NULL)) {
    mnn_fem_destroy(fem);
    mnn_fail(err, "%s: PETSc did not take mnn's error handler: is PETSc initialised (PetscInitialize)?", msh_path);
    return NULL;
  }
  fem->handler_pushed = 1;
  petsc_error_line[0] = '\0';
  snprintf(petsc_context, sizeof petsc_context, "%.400s: cannot read the mesh: ", msh_path);
  PetscErrorCode rc = create_impl(fem, msh_path, err);
  petsc_context[0] = '\0';
  if (rc) {
    if (!(err && err->message[0]) && petsc_error_line[0])
      mnn_fail(err, "%s: cannot read the mesh: PETSc: %s: write it again with `mnn mesh`", msh_path, petsc_error_line);
    mnn_fem_petsc_fail(rc, "reading the mesh", err);
    mnn_fem_destroy(fem);
    return NULL;
  }
  return fem;
}

void mnn_fem_destroy(mnn_fem *fem) {
  if (!fem) return;
  if (fem->handler_pushed && PetscPopErrorHandler()) mnn_warn("fem: PETSc did not restore its previous error handler");
  /* freeing cannot fail the caller's step any more: a fault is said, not lost */
  PetscErrorCode bad = KSPDestroy(&fem->ksp);
  bad |= MatDestroy(&fem->K);
  bad |= VecDestroy(&fem->free_mask);
  bad |= VecDestroy(&fem->coords);
  bad |= PetscSectionDestroy(&fem->lsec);
  bad |= DMDestroy(&fem->dm);
  bad |= PetscFree(fem->cell_pts);
  bad |= PetscFree(fem->cell_gblk);
  bad |= PetscFree(fem->cell_loff);
  bad |= PetscFree(fem->cell_x);
  bad |= PetscFree(fem->cell_region);
  bad |= PetscFree(fem->region_volume);
  if (bad) mnn_warn("fem: PETSc failed to free some of the FEM's objects (memory may leak until the run ends)");
  free(fem->region_E);
  mnn_network_free(fem->net);
  free(fem);
}

int mnn_fem_n_regions(const mnn_fem *fem) { return fem->n_regions; }
const double *mnn_fem_region_volumes(const mnn_fem *fem) { return fem->region_volume; }

int mnn_fem_set_region_modulus(mnn_fem *fem, const double *youngs, mnn_error *err) {
  for (int r = 0; r < fem->n_regions; ++r)
    if (!(youngs[r] > 0)) return mnn_fail(err, "region %d: Young's modulus must be positive, got %g", r, youngs[r]);
  memcpy(fem->region_E, youngs, sizeof(double) * (size_t)fem->n_regions);
  return 0;
}

void mnn_fem_set_clamps(mnn_fem *fem, int enabled) { fem->clamps_enabled = enabled; }
Mat mnn_fem_operator(mnn_fem *fem) { return fem->K; }
void mnn_fem_get_stats(const mnn_fem *fem, mnn_fem_stats *stats) { *stats = fem->stats; }

int mnn_fem_create_vector(mnn_fem *fem, Vec *v, mnn_error *err) {
  PetscErrorCode rc = DMCreateGlobalVector(fem->dm, v);
  if (!rc) rc = VecSetBlockSize(*v, 3);
  return rc ? mnn_fem_petsc_fail(rc, "creating a vector", err) : 0;
}

int mnn_fem_destroy_vector(Vec *v, int rc, mnn_error *err) {
  PetscErrorCode freed = VecDestroy(v);
  if (rc) return rc;
  return freed ? mnn_fem_petsc_fail(freed, "freeing a vector", err) : 0;
}

int mnn_fem_coordinates(mnn_fem *fem, Vec *coords, mnn_error *err) {
  PetscErrorCode rc = VecDuplicate(fem->coords, coords);
  if (!rc) rc = VecCopy(fem->coords, *coords);
  return rc ? mnn_fem_petsc_fail(rc, "copying coordinates", err) : 0;
}
