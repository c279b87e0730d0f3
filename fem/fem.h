/* FEM stage: 3D isotropic linear elasticity of a meshed network with PETSc.
 * The mesh (Gmsh 4.1, linear tetrahedra, one volume physical group per bond
 * "bond_<id>" and per node "node_<id>") is read into a DMPlex and distributed;
 * P1 or P2 (default) displacements are numbered with a PetscSection over vertices
 * and edges; element kernels are our own (fem_element.h) and assembly is blocked
 * (bs 3), preallocated from our own count of each block row's neighbours over the
 * cells around it (fem_assemble.c). Supported nodes clamp their node disc, loads
 * are uniform body forces over node discs, outputs are disc averages. One
 * operator and one preconditioner serve the forward and the adjoint solve.
 *
 * Every function here needs PETSc to be initialised (PetscInitialize) by the
 * caller and is collective on the communicator given to mnn_fem_create. Errors
 * come back as one line in err (PETSc's message included; its traceback only with
 * -v); on several ranks an error PETSc raises on one rank alone ends every rank
 * (MPI_Abort) after printing that line (fem_mesh.c). */
#ifndef MNN_FEM_H
#define MNN_FEM_H

#include <petscksp.h>
#include "error.h"
#include "fem_results.h"
#include "network.h"

typedef struct mnn_fem mnn_fem;

/* A force (N, total over the node disc) on one node. */
typedef struct { int node_id; double f[3]; } mnn_fem_load;
/* One output: a component (0 = x, 1 = y, 2 = z) of node node_id's disc-averaged
 * displacement. */
typedef struct { int node_id; int component; } mnn_fem_output;

typedef struct mnn_fem_stats {
  long n_dofs, n_cells;       /* global */
  int n_ranks, order;
  double assembly_seconds;    /* element matrices, MatSetValues, assembly, clamps */
  double setup_seconds;       /* KSPSetUp: GAMG hierarchy or factorisation */
  char ksp_type[32], pc_type[32];
} mnn_fem_stats;

typedef struct mnn_fem_solve_info {
  int iterations;
  int converged_reason;       /* KSPConvergedReason, > 0 when converged */
  double seconds;
} mnn_fem_solve_info;

/* Reads msh_path (metres) for the network: every bond and node of net must have
 * its group, and every cell must belong to one of them; each node disc must sit
 * at its node. order is 1 or 2. Modulus and Poisson's ratio come from net.
 * First refuses a network with a part (nodes joined by bonds) that has no
 * supported node, whose operator would be singular; then checks the file's
 * format version, completeness and $PhysicalNames on every rank before PETSc
 * reads it. Returns NULL with err filled. */
mnn_fem *mnn_fem_create(MPI_Comm comm, const mnn_network *net, const char *msh_path, int order, mnn_error *err);
void mnn_fem_destroy(mnn_fem *fem);

/* Regions: bonds first (index b < n_bonds, as in net), then nodes (n_bonds + i). */
int mnn_fem_n_regions(const mnn_fem *fem);
/* Young's modulus per region (default net->youngs_modulus everywhere). Call before
 * mnn_fem_assemble (or assemble again after). */
int mnn_fem_set_region_modulus(mnn_fem *fem, const double *youngs, mnn_error *err);
/* Global volume of each region, m^3 (n_regions values). */
const double *mnn_fem_region_volumes(const mnn_fem *fem);

/* Selects a direct Cholesky for the "fem_" solver (preonly + cholesky) through the
 * options database, with package "mumps" (parallel) or "cholmod" (one rank). Call
 * after PetscInitialize and before mnn_fem_assemble. */
int mnn_fem_use_direct_solver(const char *package, mnn_error *err);

/* Assembles the operator with the clamps of the supported nodes and sets up the
 * solver (options prefix "fem_"; default for P2: CG, rtol 1e-8, with a P2 -> P1
 * p-multigrid whose coarse level is a Cholesky of the P1 operator; for P1: CG +
 * GAMG with the rigid-body near-null space, rtol 1e-10; see fem_solver.c). */
int mnn_fem_assemble(mnn_fem *fem, mnn_error *err);
void mnn_fem_get_stats(const mnn_fem *fem, mnn_fem_stats *stats);

/* A new global vector of the displacement layout (destroy with VecDestroy or
 * mnn_fem_destroy_vector). */
int mnn_fem_create_vector(mnn_fem *fem, Vec *v, mnn_error *err);
/* Destroys *v (NULL allowed) at the end of a step whose result so far is rc: rc
 * when it is non-zero (err keeps the first fault), else -1 with err set when
 * PETSc fails to free it, else 0. */
int mnn_fem_destroy_vector(Vec *v, int rc, mnn_error *err);

/* rhs = the body-force load of these forces (each spread uniformly over its disc). */
int mnn_fem_load_vector(mnn_fem *fem, int n_loads, const mnn_fem_load *loads, Vec rhs, mnn_error *err);
/* Names the next solves in the progress lines that a long solve prints every
 * few seconds (iteration, residual, share of the way to the tolerance; rank 0,
 * stderr, silent with -q): "forward", "adjoint", ... (default "solve"). */
void mnn_fem_set_progress_label(mnn_fem *fem, const char *label);
/* Solves K x = rhs (clamped rows of rhs are set to zero first). */
int mnn_fem_solve(mnn_fem *fem, Vec rhs, Vec x, mnn_fem_solve_info *info, mnn_error *err);

/* Disc-averaged displacement of every node (n_nodes x 3, row-major), on all ranks. */
int mnn_fem_node_averages(mnn_fem *fem, Vec u, double *avg, mnn_error *err);

/* The adjoint load of dL/d(avg output) = dloss[k]: rhs = -sum_k dloss[k] w_k,
 * w_k the averaging weights of output k (a uniform body force on its disc). */
int mnn_fem_adjoint_load(mnn_fem *fem, int n_out, const mnn_fem_output *out, const double *dloss, Vec rhs,
                         mnn_error *err);

/* g[r] = integral over region r of eps(adj) : C : eps(u) dV, the derivative of the
 * loss with respect to ln E of region r (n_regions values, on all ranks). */
int mnn_fem_region_sensitivity(mnn_fem *fem, Vec u, Vec adj, double *g, mnn_error *err);

/* Response matrix R (n_out x n_in, row-major): R[k][j] = output k for a unit force
 * on input j (node, component). Uses min(n_in, n_out) solves (K is symmetric). */
int mnn_fem_response_matrix(mnn_fem *fem, int n_in, const mnn_fem_output *in, int n_out, const mnn_fem_output *out,
                            double *R, int *solves, mnn_error *err);

/* Writes u and adj (adj may be NULL) as a VTU file (quadratic tetrahedra for
 * order 2) with cell data bond_id / node_id, atomically, from rank 0. */
int mnn_fem_write_vtu(mnn_fem *fem, const char *path, Vec u, Vec adj, mnn_error *err);

/* For tests: the global coordinates of every DOF block (vertex or edge midpoint),
 * in the displacement layout, and the assembled operator (without clamps when
 * mnn_fem_set_clamps(fem, 0) was called before assembly). */
int mnn_fem_coordinates(mnn_fem *fem, Vec *coords, mnn_error *err);
Mat mnn_fem_operator(mnn_fem *fem);
/* Flags each DOF block on the outer boundary of the mesh (1.0) in a new vector. */
int mnn_fem_boundary_mask(mnn_fem *fem, Vec *mask, mnn_error *err);
/* Skip clamps (for patch tests that need the free operator). */
void mnn_fem_set_clamps(mnn_fem *fem, int enabled);

/* One FEM problem: loads, outputs (the disc-averaged displacement components the
 * loss is a function of), optional targets for them (NULL: none), and response
 * != 0 for the response matrix from the x and y forces of every loaded node to
 * every output as well. */
typedef struct mnn_fem_problem {
  int n_loads;
  const mnn_fem_load *loads;
  int n_outputs;
  const mnn_fem_output *outputs;
  const double *targets;
  int response;
} mnn_fem_problem;

/* A caller's loss: from the outputs of the forward solve in r->output_value, sets
 * r->loss (and whatever else of r it reports) and dldy[k] = dL/d(output k) for
 * p->n_outputs outputs. */
typedef void mnn_fem_loss(const mnn_fem_problem *p, mnn_fem_results *r, double *dldy);

/* `mnn fem`'s loss, of the problem's targets: L = sum_k (u_k - target_k)^2 when
 * p->targets is not NULL (the targets copied into r->output_target, and
 * r->squared_error set), else L = sum_k u_k (so g is the sensitivity of the
 * outputs' sum). */
void mnn_fem_targets_loss(const mnn_fem_problem *p, mnn_fem_results *r, double *dldy);

/* One forward + adjoint evaluation: the forward half, then dL/dy from the caller's
 * loss of its outputs, then the adjoint half; with p->response the response matrix
 * too. u and adj (global vectors from mnn_fem_create_vector) receive the two
 * fields. The operator must be assembled. Returns the results (free with
 * mnn_fem_results_free), or NULL with err set. */
mnn_fem_results *mnn_fem_run(mnn_fem *fem, const mnn_fem_problem *p, mnn_fem_loss *loss, Vec u, Vec adj,
                             mnn_error *err);

/* The two halves of mnn_fem_run, for a caller that runs other steps between them.
 * mnn_fem_run_forward: applies p's loads, solves into u and returns a results
 * record with the outputs, the disc averages of every node, the loads, volumes and
 * forward statistics (loss, targets, sensitivities and response still empty; p's
 * targets and response are not used). mnn_fem_run_adjoint: the adjoint solve for
 * the caller's dldy[k] = dL/d(output k) into adj, and the per-bond and per-node
 * sensitivities and adjoint statistics into r. */
mnn_fem_results *mnn_fem_run_forward(mnn_fem *fem, const mnn_fem_problem *p, Vec u, mnn_error *err);
int mnn_fem_run_adjoint(mnn_fem *fem, const mnn_fem_problem *p, const double *dldy, Vec u, Vec adj,
                        mnn_fem_results *r, mnn_error *err);

#endif
