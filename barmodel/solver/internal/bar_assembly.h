/* Internal to barmodel: the free-DOF numbering of a network and the pattern of
 * D = C^T diag(k) C restricted to the free DOFs, with a map from every bond to
 * the entries it touches, so that assembling D for a new k is one scatter.
 * Entries are the upper triangle (row <= column) of D; each bond touches at most
 * 10 of them (the upper half of its 4x4 block on DOFs ax, ay, bx, by). */
#ifndef MNN_BAR_ASSEMBLY_H
#define MNN_BAR_ASSEMBLY_H

#include "error.h"
#include "network.h"

#define MNN_BAR_BOND_ENTRIES 10

typedef struct mnn_bar_pattern {
  int n_dofs;        /* 2 * n_nodes */
  int n_free;        /* DOFs not fixed by supports */
  int n_bonds;
  int *free_of_dof;  /* n_dofs: index among the free DOFs, or -1 if fixed */
  int *dof_of_free;  /* n_free */
  /* compressed sparse columns of the upper triangle, rows sorted, diagonal last */
  int *colp;         /* n_free + 1 */
  int *rowi;         /* nnz */
  int nnz;
  /* per bond: up to 10 (free row, free col) entries with row <= col and their
   * coefficient s_p s_q (s = (-cx, -cy, cx, cy)); unused slots have row -1 */
  int *entry_row, *entry_col; /* n_bonds * 10 */
  int *entry_pos;             /* n_bonds * 10: index into the CSC values, or -1 */
  double *entry_coef;         /* n_bonds * 10 */
} mnn_bar_pattern;

int mnn_bar_pattern_build(const mnn_network *net, mnn_bar_pattern *p, mnn_error *err);
void mnn_bar_pattern_free(mnn_bar_pattern *p);

/* values[nnz] = upper triangle of D(k) in the CSC pattern. */
void mnn_bar_assemble_csc(const mnn_bar_pattern *p, const double *k, double *values);

/* Full dense D(k) (n_free x n_free, row-major, both triangles filled). */
void mnn_bar_assemble_dense(const mnn_bar_pattern *p, const double *k, double *A);

/* Gathers the free DOFs of nrhs full-length vectors into x (n_free * nrhs) and
 * scatters back (fixed DOFs of the output set to 0). */
void mnn_bar_gather(const mnn_bar_pattern *p, int nrhs, const double *full, double *x);
void mnn_bar_scatter(const mnn_bar_pattern *p, int nrhs, const double *x, double *full);

/* Dense Cholesky D = L L^T in place (row-major n x n, lower triangle used,
 * work confined to the envelope; first[n] receives each row's first non-zero
 * column). Fails (returns the 0-based index of the first bad pivot, else -1)
 * when a pivot is <= tol * max diagonal, i.e. D is singular to that tolerance. */
int mnn_dense_cholesky(int n, double *A, double tol, int *first);
/* Solves L L^T X = B for nrhs columns of length n stored one after another. */
void mnn_dense_cholesky_solve(int n, const double *L, const int *first, int nrhs, double *B);

/* Fills err with the zero-mode report for a D(k) whose factorisation failed
 * (zero_modes.c): how many zero modes and which nodes move. bad_dof is the free
 * DOF whose pivot failed (-1 if unknown), named if the analysis finds nothing. */
int mnn_bar_fail_singular(const mnn_network *net, const mnn_bar_pattern *p, const double *k, int bad_dof,
                          mnn_error *err);

/* Relative pivot tolerance that marks D singular (zero modes). */
#define MNN_BAR_PIVOT_TOL 1e-10

#endif
