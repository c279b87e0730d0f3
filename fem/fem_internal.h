/* The FEM problem's private state, shared by the fem_*.c files (not installed). */
#ifndef MNN_FEM_INTERNAL_H
#define MNN_FEM_INTERNAL_H

#include <petscdmplex.h>
#include "fem.h"
#include "fem_element.h"

struct mnn_fem {
  MPI_Comm comm;
  PetscMPIInt rank, size;
  mnn_network *net;          /* own copy */
  int order, nloc;           /* element order, nodes per tetrahedron (4 or 10) */
  DM dm;                     /* distributed, interpolated DMPlex */
  PetscSection lsec;         /* 3 DOFs per vertex (and per edge for P2) */
  PetscInt cStart, cEnd, vStart, vEnd, eStart, eEnd;
  PetscInt *cell_gblk;       /* per local cell, nloc global DOF-block indices (VTK node order) */
  PetscInt *cell_loff;       /* per local cell, nloc local-vector offsets */
  PetscInt *cell_pts;        /* per local cell, nloc DMPlex points */
  double *cell_x;            /* per local cell, the 4 vertex coordinates (12 doubles) */
  int *cell_region;          /* per local cell, region index (bonds, then nodes) */
  int n_regions;
  double *region_E;          /* Young's modulus per region */
  double *region_volume;     /* global volume per region */
  int clamps_enabled;
  Mat K;
  KSP ksp;
  Vec free_mask;             /* 1 on free DOFs, 0 on clamped ones */
  Vec coords;                /* DOF-block coordinates in the global layout (bs 3) */
  mnn_fem_stats stats;
};

/* Turns a failing PETSc return code into a one-line mnn error (when the callee
 * has not already said something more precise). */
int mnn_fem_petsc_fail(PetscErrorCode rc, const char *what, mnn_error *err);

/* Global block index of a point (owned or not). */
PetscInt mnn_fem_point_block(mnn_fem *fem, PetscInt p);

#endif
