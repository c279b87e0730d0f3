/* The bar model's solver (bar_solver.h): D(k) assembled by a scatter through the
 * bond -> entry map, factored by a dense row-oriented Cholesky for small systems
 * or by CHOLMOD (supernodal, symbolic analysis once in create, numeric
 * factorisation per k) for large ones; many right-hand sides per solve. */
#include "bar_solver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cholmod.h>
#include "bar_assembly.h"

#define MNN_BAR_METIS_MIN_NODES 5000 /* nested dissection pays off above this */

struct mnn_bar_solver {
  const mnn_network *net;
  mnn_bar_pattern pat;
  mnn_bar_method method;
  int factored;
  long n_factorisations, n_solves;
  /* dense path */
  double *dense_L; /* n_free^2, row-major; lower triangle holds the factor */
  int *dense_first; /* n_free: first non-zero column of each row of the factor */
  /* sparse path */
  int cholmod_started;
  cholmod_common cc;
  cholmod_sparse *A; /* upper triangle, pattern fixed, values per k */
  cholmod_factor *L; /* symbolic from create, numeric per factor */
  cholmod_dense *X, *Y, *E; /* cholmod_solve2 workspace, reused */
  double *work;             /* n_free * work_cols, gather / scatter buffer */
  int work_cols;
};

/* Fill-reducing ordering computed on the node graph (half the size of the DOF
 * graph) and expanded to the free DOFs, so that a node's x and y stay together:
 * METIS nested dissection for large networks, AMD for the others. NULL if CHOLMOD
 * cannot do it (then cholmod_analyze chooses). */
static int *node_ordering(mnn_bar_solver *s) {
  const mnn_network *net = s->net;
  const mnn_bar_pattern *p = &s->pat;
  int n = net->n_nodes, nb = net->n_bonds, ok = 0;
  cholmod_triplet *T = cholmod_allocate_triplet((size_t)n, (size_t)n, (size_t)(n + nb), 1, CHOLMOD_PATTERN, &s->cc);
  cholmod_sparse *G = NULL;
  int *node_perm = malloc((size_t)n * sizeof(int)), *perm = malloc((size_t)(p->n_free + 1) * sizeof(int));
  if (!T || !node_perm || !perm) goto done;
  int *ti = T->i, *tj = T->j;
  for (int i = 0; i < n; ++i) ti[i] = tj[i] = i;
  for (int b = 0; b < nb; ++b) {
    int a = net->bond_a[b], c = net->bond_b[b];
    ti[n + b] = a < c ? a : c;
    tj[n + b] = a < c ? c : a;
  }
  T->nnz = (size_t)(n + nb);
  G = cholmod_triplet_to_sparse(T, (size_t)(n + nb), &s->cc);
  if (!G) goto done;
  ok = n > MNN_BAR_METIS_MIN_NODES ? cholmod_metis(G, NULL, 0, 1, node_perm, &s->cc)
                                   : cholmod_amd(G, NULL, 0, node_perm, &s->cc);
  if (ok) {
    int m = 0;
    for (int q = 0; q < n; ++q)
      for (int c = 0; c < 2; ++c) {
        int f = p->free_of_dof[2 * node_perm[q] + c];
        if (f >= 0) perm[m++] = f;
      }
    ok = m == p->n_free;
  }
done:
  cholmod_free_sparse(&G, &s->cc);
  cholmod_free_triplet(&T, &s->cc);
  free(node_perm);
  s->cc.status = CHOLMOD_OK; /* a failed ordering is not an error: we fall back */
  if (!ok) {
    free(perm);
    return NULL;
  }
  return perm;
}

static int start_cholmod(mnn_bar_solver *s, mnn_error *err) {
  cholmod_start(&s->cc);
  s->cholmod_started = 1;
  s->cc.supernodal = CHOLMOD_SUPERNODAL;
  s->cc.print = 0;            /* errors come back to us through status */
  s->cc.error_handler = NULL;
  s->cc.quick_return_if_not_posdef = 1;
  const mnn_bar_pattern *p = &s->pat;
  s->A = cholmod_allocate_sparse((size_t)p->n_free, (size_t)p->n_free, (size_t)p->nnz, 1, 1, 1, CHOLMOD_REAL, &s->cc);
  if (!s->A) return mnn_fail(err, "CHOLMOD could not allocate the stiffness matrix (%d free DOFs, %d entries)", p->n_free, p->nnz);
  memcpy(s->A->p, p->colp, ((size_t)p->n_free + 1) * sizeof(int));
  memcpy(s->A->i, p->rowi, (size_t)p->nnz * sizeof(int));
  memset(s->A->x, 0, (size_t)p->nnz * sizeof(double));
  int *perm = node_ordering(s);
  if (perm) {
    s->cc.nmethods = 1;
    s->cc.method[0].ordering = CHOLMOD_GIVEN;
    s->L = cholmod_analyze_p(s->A, perm, NULL, 0, &s->cc);
    free(perm);
  } else {
    s->L = cholmod_analyze(s->A, &s->cc); /* CHOLMOD's own choice (AMD, maybe METIS) */
  }
  if (!s->L || s->cc.status < CHOLMOD_OK)
    return mnn_fail(err, "CHOLMOD symbolic analysis failed (status %d) for %d free DOFs", s->cc.status, p->n_free);
  return 0;
}

mnn_bar_solver *mnn_bar_solver_create_with(const mnn_network *net, mnn_bar_method method, mnn_error *err) {
  mnn_bar_solver *s = calloc(1, sizeof *s);
  if (!s) return mnn_fail(err, "out of memory creating the bar solver"), NULL;
  s->net = net;
  if (mnn_bar_pattern_build(net, &s->pat, err)) {
    free(s);
    return NULL;
  }
  int n = s->pat.n_free;
  if (method == MNN_BAR_AUTO) method = n <= MNN_BAR_DENSE_MAX_FREE ? MNN_BAR_DENSE : MNN_BAR_SPARSE;
  if (n == 0) method = MNN_BAR_DENSE; /* nothing to factor */
  s->method = method;
  if (method == MNN_BAR_DENSE) {
    s->dense_L = malloc((size_t)(n > 0 ? n : 1) * (size_t)(n > 0 ? n : 1) * sizeof(double));
    s->dense_first = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    if (!s->dense_L || !s->dense_first) {
      mnn_fail(err, "out of memory for a dense %d x %d stiffness matrix", n, n);
      mnn_bar_solver_free(s);
      return NULL;
    }
  } else if (start_cholmod(s, err)) {
    mnn_bar_solver_free(s);
    return NULL;
  }
  return s;
}

mnn_bar_solver *mnn_bar_solver_create(const mnn_network *net, mnn_error *err) {
  return mnn_bar_solver_create_with(net, MNN_BAR_AUTO, err);
}

void mnn_bar_solver_free(mnn_bar_solver *s) {
  if (!s) return;
  if (s->cholmod_started) {
    cholmod_free_sparse(&s->A, &s->cc);
    cholmod_free_factor(&s->L, &s->cc);
    cholmod_free_dense(&s->X, &s->cc);
    cholmod_free_dense(&s->Y, &s->cc);
    cholmod_free_dense(&s->E, &s->cc);
    cholmod_finish(&s->cc);
  }
  free(s->dense_L);
  free(s->dense_first);
  free(s->work);
  mnn_bar_pattern_free(&s->pat);
  free(s);
}

mnn_bar_method mnn_bar_solver_method(const mnn_bar_solver *s) { return s->method; }
int mnn_bar_solver_n_free(const mnn_bar_solver *s) { return s->pat.n_free; }
long mnn_bar_solver_n_factorisations(const mnn_bar_solver *s) { return s->n_factorisations; }
long mnn_bar_solver_n_solves(const mnn_bar_solver *s) { return s->n_solves; }

static int factor_sparse(mnn_bar_solver *s, const double *k, mnn_error *err) {
  const mnn_bar_pattern *p = &s->pat;
  double *values = s->A->x;
  mnn_bar_assemble_csc(p, k, values);
  double maxdiag = 0;
  for (int j = 0; j < p->n_free; ++j) maxdiag = fmax(maxdiag, values[p->colp[j + 1] - 1]);
  int ok = cholmod_factorize(s->A, s->L, &s->cc);
  int n = p->n_free;
  if (!ok || (s->cc.status != CHOLMOD_OK && s->cc.status != CHOLMOD_NOT_POSDEF))
    return mnn_fail(err, "CHOLMOD numeric factorisation failed (status %d): out of memory?", s->cc.status);
  int bad = -1;
  if (s->cc.status == CHOLMOD_NOT_POSDEF || s->L->minor < (size_t)n) {
    bad = ((const int *)s->L->Perm)[s->L->minor < (size_t)n ? s->L->minor : 0];
  } else {
    /* rounding can leave a tiny positive pivot where D is singular */
    double *d = malloc((size_t)n * sizeof(double));
    if (!d) return mnn_fail(err, "out of memory checking the factorisation");
    mnn_cholmod_factor_diagonal(s->L, d);
    for (int j = 0; j < n && bad < 0; ++j)
      if (!(d[j] * d[j] > MNN_BAR_PIVOT_TOL * maxdiag)) bad = ((const int *)s->L->Perm)[j];
    free(d);
  }
  if (bad >= 0) return mnn_bar_fail_singular(s->net, p, k, bad, err);
  return 0;
}

static int factor_dense(mnn_bar_solver *s, const double *k, mnn_error *err) {
  const mnn_bar_pattern *p = &s->pat;
  mnn_bar_assemble_dense(p, k, s->dense_L);
  int bad = mnn_dense_cholesky(p->n_free, s->dense_L, MNN_BAR_PIVOT_TOL, s->dense_first);
  if (bad >= 0) return mnn_bar_fail_singular(s->net, p, k, bad, err);
  return 0;
}

int mnn_bar_solver_factor(mnn_bar_solver *s, const double *k, mnn_error *err) {
  s->factored = 0;
  for (int b = 0; b < s->pat.n_bonds; ++b)
    if (!isfinite(k[b]) || k[b] < 0)
      return mnn_fail(err, "bond %d: spring constant %g N/m is not a finite non-negative number: check its width",
                      s->net->bond_id[b], k[b]);
  int rc = s->method == MNN_BAR_DENSE ? factor_dense(s, k, err) : factor_sparse(s, k, err);
  ++s->n_factorisations;
  if (rc) return rc;
  s->factored = 1;
  return 0;
}

static int ensure_work(mnn_bar_solver *s, int nrhs, mnn_error *err) {
  if (s->work_cols >= nrhs) return 0;
  free(s->work);
  size_t n = (size_t)(s->pat.n_free > 0 ? s->pat.n_free : 1);
  s->work = malloc(n * (size_t)nrhs * sizeof(double));
  s->work_cols = s->work ? nrhs : 0;
  return s->work ? 0 : mnn_fail(err, "out of memory for %d right-hand sides", nrhs);
}

int mnn_bar_solver_solve(mnn_bar_solver *s, int nrhs, const double *F, double *U, mnn_error *err) {
  if (!s->factored) return mnn_fail(err, "bar solver: solve called without a successful factorisation");
  if (nrhs <= 0) return 0;
  const mnn_bar_pattern *p = &s->pat;
  int n = p->n_free;
  if (ensure_work(s, nrhs, err)) return -1;
  mnn_bar_gather(p, nrhs, F, s->work);
  if (n > 0 && s->method == MNN_BAR_DENSE) {
    mnn_dense_cholesky_solve(n, s->dense_L, s->dense_first, nrhs, s->work);
  } else if (n > 0) {
    cholmod_dense B = {0};
    B.nrow = (size_t)n;
    B.ncol = (size_t)nrhs;
    B.nzmax = (size_t)n * (size_t)nrhs;
    B.d = (size_t)n;
    B.x = s->work;
    B.xtype = CHOLMOD_REAL;
    B.dtype = CHOLMOD_DOUBLE;
    if (!cholmod_solve2(CHOLMOD_A, s->L, &B, NULL, &s->X, NULL, &s->Y, &s->E, &s->cc))
      return mnn_fail(err, "CHOLMOD solve failed (status %d): out of memory?", s->cc.status);
    memcpy(s->work, s->X->x, (size_t)n * (size_t)nrhs * sizeof(double));
  }
  mnn_bar_scatter(p, nrhs, s->work, U);
  s->n_solves += nrhs;
  return 0;
}
