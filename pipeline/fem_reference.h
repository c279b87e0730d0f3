/* The FEM's response matrix for a training task, taken from a results file of
 * `mnn fem --response`, for multi-fidelity training (mnn_trainer_set_reference):
 * the bar model is corrected to reproduce the printed part's response. */
#ifndef MNN_FEM_REFERENCE_H
#define MNN_FEM_REFERENCE_H

#include "error.h"
#include "fem_results.h"
#include "training.h"

/* R (n_out x n_in, m/N, row-major) for the trainer's outputs and inputs from the
 * results' response entries. Fails with one line naming the missing entry and the
 * `mnn fem` options that give it, or when the results are of another network
 * (bond ids differ). */
int mnn_fem_reference_response(const mnn_fem_results *res, const mnn_trainer *tr, double *R, mnn_error *err);

#endif
