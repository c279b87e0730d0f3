/* Internal to the frame model: the sparse (CHOLMOD) factorisation of the assembled
 * stiffness for large networks. The matrix comes as triplets of its upper triangle,
 * already Jacobi-scaled (unit diagonal), so that a pivot below the tolerance means a
 * zero mode as in the dense path. */
#ifndef MNN_FRAME_SPARSE_H
#define MNN_FRAME_SPARSE_H

#include "error.h"

typedef struct mnn_frame_sparse mnn_frame_sparse;

/* Factors the n x n symmetric matrix given by nt triplets (row <= col; duplicates
 * are summed). Returns NULL on failure: *bad_col is then the column (0-based) of a
 * pivot below pivot_tol (a zero mode), or -1 with err filled for other failures. */
mnn_frame_sparse *mnn_frame_sparse_factor(int n, long nt, const int *ti, const int *tj, const double *tx,
                                          double pivot_tol, int *bad_col, mnn_error *err);

/* Solves in place: B is n x nrhs, column-major. */
int mnn_frame_sparse_solve(mnn_frame_sparse *s, int nrhs, double *B, mnn_error *err);

void mnn_frame_sparse_free(mnn_frame_sparse *s);

#endif
