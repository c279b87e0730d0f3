/* The 3D FEM's response matrix of a network on its mesh: R[o * n_in + i] is
 * output o's displacement (m, averaged over its node disc) per unit force (N) on
 * input i. One function for every caller that needs only R: `mnn calibrate`
 * (every free node's x and y) and the multi-fidelity rounds of the train stage
 * (the task's inputs and outputs). The FEM stage of `mnn run` takes R from the
 * factorisation it already has, for the same task points (mnn_fem_task_points). */
#ifndef MNN_FEM_RESPONSE_H
#define MNN_FEM_RESPONSE_H

#include "case_file.h"
#include "fem.h"
#include "material_file.h"

/* The FEM of net with the material (NULL: the network file's own E and nu) on
 * mesh (from `mnn mesh`) at element order 1 or 2, assembled, and its response R
 * (n_out x n_in, row-major) from unit forces on in[] to the outputs out[] (node
 * id, component 0 x / 1 y), min(n_in, n_out) solves. PETSc must be running: the
 * FEM is collective on PETSC_COMM_WORLD with its options (solver, prefix -fem_).
 * stats (the FEM's size, solver and times) and solves may be NULL. */
int mnn_fem_network_response(const mnn_network *net, const mnn_material *material, const char *mesh, int order,
                             int n_in, const mnn_fem_output *in, int n_out, const mnn_fem_output *out, double *R,
                             mnn_fem_stats *stats, int *solves, mnn_error *err);

/* A task's inputs and outputs as the FEM's (node id, component) lists: in[i] for
 * task->inputs[i], out[o] for task->outputs[o] (each MNN_TASK_MAX_IO long). */
void mnn_fem_task_points(const mnn_task *task, mnn_fem_output *in, mnn_fem_output *out);

/* The same for a task's inputs and outputs (R n_outputs x n_inputs) with the
 * case's FEM settings (material, order), in this process: starts PETSc if needed
 * with the case's solver and options (mnn_run_petsc_ready). */
int mnn_fem_task_response(const mnn_case *c, const mnn_network *net, const char *mesh, const mnn_task *task,
                          double *R, mnn_error *err);

#endif
