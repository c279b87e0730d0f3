/* The FEM problem's private state, shared by the fem_*.c files (not installed). */
#ifndef MNN_FEM_INTERNAL_H
#define MNN_FEM_INTERNAL_H

#include <petscdmplex.h>
#include "fem.h"
#include "fem_element.h"

/* Progress of the current solve (fem_progress.c). */
typedef struct {
  char label[48];            /* "forward", "adjoint", "response 2 of 4", ... */
  double r0, t0, t_last;
  PetscReal rtol;
} mnn_fem_progress;

/* Problems of this many DOFs or more print their phases (read, assembly,
 * solver set-up) at the normal level; smaller ones with -v only. */
#define MNN_FEM_LARGE 500000

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
  int handler_pushed;        /* one_line_handler is PETSc's: mnn_fem_destroy pops it */
  Mat K;
  KSP ksp;
  Vec free_mask;             /* 1 on free DOFs, 0 on clamped ones */
  Vec coords;                /* DOF-block coordinates in the global layout (bs 3) */
  mnn_fem_stats stats;
  mnn_fem_progress progress;
};

/* Progress (fem_progress.c): the KSP monitor set on every solver (ctx = fem);
 * a phase line (rank 0), at the normal level for large problems. */
PetscErrorCode mnn_fem_progress_monitor(KSP ksp, PetscInt it, PetscReal rnorm, void *ctx);
int mnn_fem_is_large(const mnn_fem *fem);
void mnn_fem_phase(const mnn_fem *fem, const char *what, double seconds);

/* Turns a failing PETSc return code into a one-line mnn error (when the callee
 * has not already said something more precise). */
int mnn_fem_petsc_fail(PetscErrorCode rc, const char *what, mnn_error *err);
/* After KSPSetUp: an error when the solver is MUMPS and it found null pivots
 * (fem_null_pivots.c); nothing for other solvers. */
PetscErrorCode mnn_fem_check_null_pivots(KSP ksp);

/* Global block index of a point (owned or not). */
PetscInt mnn_fem_point_block(mnn_fem *fem, PetscInt p);

/* Assembly helpers shared by the P2 operator and the P1 coarse operator
 * (fem_assemble.c); see there. */
PetscErrorCode mnn_fem_preallocate(mnn_fem *fem, const PetscInt *cell_blk, int stride, int nloc, Mat A);
PetscErrorCode mnn_fem_add_element(Mat A, int nloc, const PetscInt *blk, const double *Ke);
PetscErrorCode mnn_fem_clamped_points(mnn_fem *fem, char **clamped);
PetscErrorCode mnn_fem_add_clamp_diagonal(Mat A, Vec free_mask, PetscReal diag);
/* The operator's storage for the chosen solver (fem_solver.c): MATBAIJ for the
 * p-multigrid (its block SOR needs it; 30% less memory than AIJ and faster to
 * fill), MATSBAIJ (upper triangle) for a MUMPS Cholesky, MATAIJ for CHOLMOD and GAMG on the
 * operator itself. -fem_mat_type overrides. */
MatType mnn_fem_operator_type(const mnn_fem *fem);

/* The p-multigrid's coarse level (fem_solver.c): P (P2 rows x P1 columns), the P1
 * operator with the clamps of the assembled one (equal to P^T K P when nothing is
 * clamped), and the vertex coordinates in the P1 layout. */
PetscErrorCode mnn_fem_p1_level(mnn_fem *fem, Mat *P, Mat *Kc, Vec *ccoords);

/* Creates and sets up fem->ksp on the assembled operator (fem_solver.c). */
PetscErrorCode mnn_fem_setup_solver(mnn_fem *fem);

#endif
