/* The frame model's sparse path: CHOLMOD (supernodal LL^T with its own ordering) of
 * the Jacobi-scaled stiffness, with the same zero-pivot test as the dense LDL^T. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cholmod.h>
#include "bar_solver.h"
#include "frame_sparse.h"

struct mnn_frame_sparse {
  int n;
  cholmod_common cc;
  cholmod_factor *L;
};

void mnn_frame_sparse_free(mnn_frame_sparse *s) {
  if (!s) return;
  cholmod_free_factor(&s->L, &s->cc);
  cholmod_finish(&s->cc);
  free(s);
}

mnn_frame_sparse *mnn_frame_sparse_factor(int n, long nt, const int *ti, const int *tj, const double *tx,
                                          double pivot_tol, int *bad_col, mnn_error *err) {
  *bad_col = -1;
  mnn_frame_sparse *s = calloc(1, sizeof *s);
  if (!s) return mnn_fail(err, "out of memory"), NULL;
  s->n = n;
  cholmod_start(&s->cc);
  s->cc.print = 0;
  cholmod_triplet *T = cholmod_allocate_triplet((size_t)n, (size_t)n, (size_t)nt, 1, CHOLMOD_REAL, &s->cc);
  if (!T) return mnn_frame_sparse_free(s), mnn_fail(err, "out of memory for the sparse stiffness"), NULL;
  memcpy(T->i, ti, sizeof(int) * (size_t)nt);
  memcpy(T->j, tj, sizeof(int) * (size_t)nt);
  memcpy(T->x, tx, sizeof(double) * (size_t)nt);
  T->nnz = (size_t)nt;
  cholmod_sparse *A = cholmod_triplet_to_sparse(T, (size_t)nt, &s->cc);
  cholmod_free_triplet(&T, &s->cc);
  if (!A) return mnn_frame_sparse_free(s), mnn_fail(err, "out of memory for the sparse stiffness"), NULL;
  s->L = cholmod_analyze(A, &s->cc);
  int ok = s->L && cholmod_factorize(A, s->L, &s->cc);
  cholmod_free_sparse(&A, &s->cc);
  if (!ok || (s->cc.status != CHOLMOD_OK && s->cc.status != CHOLMOD_NOT_POSDEF)) {
    mnn_fail(err, "CHOLMOD factorisation of the frame stiffness failed (status %d): out of memory?", s->cc.status);
    return mnn_frame_sparse_free(s), NULL;
  }
  const int *perm = s->L->Perm;
  if (s->cc.status == CHOLMOD_NOT_POSDEF || s->L->minor < (size_t)n) {
    *bad_col = perm[s->L->minor < (size_t)n ? s->L->minor : 0];
    return mnn_frame_sparse_free(s), NULL;
  }
  double *d = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  if (!d) return mnn_frame_sparse_free(s), mnn_fail(err, "out of memory"), NULL;
  mnn_cholmod_factor_diagonal(s->L, d);
  for (int j = 0; j < n && *bad_col < 0; ++j) { /* LL': the LDL' pivot is d^2 */
    double pivot = s->L->is_ll ? d[j] * d[j] : d[j];
    if (!(pivot > pivot_tol)) *bad_col = perm[j];
  }
  free(d);
  if (*bad_col >= 0) return mnn_frame_sparse_free(s), NULL;
  return s;
}

int mnn_frame_sparse_solve(mnn_frame_sparse *s, int nrhs, double *B, mnn_error *err) {
  if (nrhs <= 0 || s->n == 0) return 0;
  cholmod_dense b = {0};
  b.nrow = (size_t)s->n, b.ncol = (size_t)nrhs, b.nzmax = (size_t)s->n * (size_t)nrhs, b.d = (size_t)s->n;
  b.x = B, b.xtype = CHOLMOD_REAL, b.dtype = CHOLMOD_DOUBLE;
  cholmod_dense *X = cholmod_solve(CHOLMOD_A, s->L, &b, &s->cc);
  if (!X) return mnn_fail(err, "CHOLMOD solve failed (status %d): out of memory?", s->cc.status);
  memcpy(B, X->x, sizeof(double) * (size_t)s->n * (size_t)nrhs);
  cholmod_free_dense(&X, &s->cc);
  return 0;
}
