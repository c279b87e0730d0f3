/* Zero modes (mechanisms) of D(k): how many independent displacement fields
 * stretch no bond, and which nodes move in them. Works on the diagonally scaled
 * S = diag(D)^-1/2 D diag(D)^-1/2 (unit diagonal, eigenvalues in [0, ~8]):
 *  1. free DOFs that no bond touches (zero diagonal) are zero modes by themselves;
 *  2. small systems (<= ZM_DENSE_MAX DOFs left): all eigenpairs of S by cyclic
 *     Jacobi; eigenvalues <= ZM_TOL are zero modes;
 *  3. large systems: shift-invert block subspace iteration with CHOLMOD on
 *     S + sigma I: zero modes converge at the rate sigma / lambda_1 (lambda_1 the
 *     smallest non-zero eigenvalue), so a few iterations suffice; the block grows
 *     until it holds a non-zero eigenvalue, which bounds the count from above.
 * A node moves if the zero-mode projector has weight on its DOFs above
 * ZM_MOVE_TOL times the largest such weight (basis-independent). The report
 * names the first 20 moving nodes and counts the rest. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cholmod.h>
#include "bar_assembly.h"
#include "bar_solver.h"

#define ZM_TOL 1e-9          /* eigenvalue of S below which a mode is a zero mode */
#define ZM_ISOLATED_TOL 1e-14 /* diagonal below this times the largest: DOF touched by no bond */
#define ZM_MOVE_TOL 1e-12
#define ZM_DENSE_MAX 150
#define ZM_SHIFT 1e-12
#define ZM_ITERATIONS 4
#define ZM_MAX_BLOCK 512

/* Eigen-decomposition of a symmetric n x n row-major A (destroyed: its diagonal
 * ends up holding the eigenvalues) by cyclic Jacobi; V gets the eigenvectors as
 * columns. */
static void jacobi_eigen(int n, double *A, double *V) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) V[(size_t)i * n + j] = i == j;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, total = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double a = A[(size_t)i * n + j];
        total += a * a;
        if (i != j) off += a * a;
      }
    if (off <= 1e-30 * total || off == 0) break;
    for (int p = 0; p < n; ++p)
      for (int q = p + 1; q < n; ++q) {
        double apq = A[(size_t)p * n + q];
        if (apq == 0) continue;
        double theta = (A[(size_t)q * n + q] - A[(size_t)p * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
        double c = 1 / sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {
          double akp = A[(size_t)k * n + p], akq = A[(size_t)k * n + q];
          A[(size_t)k * n + p] = c * akp - s * akq;
          A[(size_t)k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {
          double apk = A[(size_t)p * n + k], aqk = A[(size_t)q * n + k];
          A[(size_t)p * n + k] = c * apk - s * aqk;
          A[(size_t)q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          double vkp = V[(size_t)k * n + p], vkq = V[(size_t)k * n + q];
          V[(size_t)k * n + p] = c * vkp - s * vkq;
          V[(size_t)k * n + q] = s * vkp + c * vkq;
        }
      }
  }
}

/* The scaled matrix restricted to the DOFs in R (m of them), upper CSC. */
typedef struct {
  int m;
  int *colp, *rowi;
  double *val;
} scaled_matrix;

static void scaled_free(scaled_matrix *S) {
  free(S->colp), free(S->rowi), free(S->val);
}

static int scaled_build(const mnn_bar_pattern *p, const double *values, const double *scale, const int *r_of_free,
                        int m, scaled_matrix *S) {
  S->m = m;
  S->colp = calloc((size_t)m + 1, sizeof(int));
  S->rowi = malloc((size_t)(p->nnz > 0 ? p->nnz : 1) * sizeof(int));
  S->val = malloc((size_t)(p->nnz > 0 ? p->nnz : 1) * sizeof(double));
  if (!S->colp || !S->rowi || !S->val) return -1;
  int nnz = 0;
  for (int j = 0; j < p->n_free; ++j) {
    int rj = r_of_free[j];
    if (rj < 0) continue;
    for (int q = p->colp[j]; q < p->colp[j + 1]; ++q) {
      int ri = r_of_free[p->rowi[q]];
      if (ri < 0) continue;
      S->rowi[nnz] = ri;
      S->val[nnz++] = values[q] * scale[p->rowi[q]] * scale[j];
    }
    S->colp[rj + 1] = nnz;
  }
  return 0;
}

/* Y = S X for nc columns (upper storage: both triangles applied). */
static void scaled_apply(const scaled_matrix *S, int nc, const double *X, double *Y) {
  size_t m = (size_t)S->m;
  memset(Y, 0, m * (size_t)nc * sizeof(double));
  for (int c = 0; c < nc; ++c) {
    const double *x = X + c * m;
    double *y = Y + c * m;
    for (size_t j = 0; j < m; ++j)
      for (int q = S->colp[j]; q < S->colp[j + 1]; ++q) {
        size_t i = (size_t)S->rowi[q];
        y[i] += S->val[q] * x[j];
        if (i != j) y[j] += S->val[q] * x[i];
      }
  }
}

/* Orthonormalises the nc columns of X (twice-applied modified Gram-Schmidt). */
static void orthonormalise(size_t m, int nc, double *X) {
  for (int c = 0; c < nc; ++c) {
    double *x = X + c * m;
    for (int pass = 0; pass < 2; ++pass)
      for (int d = 0; d < c; ++d) {
        const double *y = X + d * m;
        double dot = 0;
        for (size_t i = 0; i < m; ++i) dot += x[i] * y[i];
        for (size_t i = 0; i < m; ++i) x[i] -= dot * y[i];
      }
    double nrm = 0;
    for (size_t i = 0; i < m; ++i) nrm += x[i] * x[i];
    nrm = sqrt(nrm);
    for (size_t i = 0; i < m; ++i) x[i] = nrm > 0 ? x[i] / nrm : 0;
  }
}

/* Rayleigh-Ritz on the orthonormal block X: rotates X onto the Ritz vectors and
 * returns the Ritz values in lambda. */
static int rayleigh_ritz(const scaled_matrix *S, int nc, double *X, double *lambda) {
  size_t m = (size_t)S->m;
  double *SX = malloc(m * (size_t)nc * sizeof(double)), *H = malloc((size_t)nc * nc * sizeof(double)),
         *V = malloc((size_t)nc * nc * sizeof(double)), *Z = malloc(m * (size_t)nc * sizeof(double));
  if (!SX || !H || !V || !Z) {
    free(SX), free(H), free(V), free(Z);
    return -1;
  }
  scaled_apply(S, nc, X, SX);
  for (int a = 0; a < nc; ++a)
    for (int b = 0; b < nc; ++b) {
      double dot = 0;
      for (size_t i = 0; i < m; ++i) dot += X[a * m + i] * SX[b * m + i];
      H[(size_t)a * nc + b] = dot;
    }
  for (int a = 0; a < nc; ++a) /* symmetrise */
    for (int b = a + 1; b < nc; ++b) H[(size_t)a * nc + b] = H[(size_t)b * nc + a] =
        0.5 * (H[(size_t)a * nc + b] + H[(size_t)b * nc + a]);
  jacobi_eigen(nc, H, V);
  memset(Z, 0, m * (size_t)nc * sizeof(double));
  for (int c = 0; c < nc; ++c) {
    lambda[c] = H[(size_t)c * nc + c];
    for (int a = 0; a < nc; ++a) {
      double v = V[(size_t)a * nc + c];
      for (size_t i = 0; i < m; ++i) Z[c * m + i] += v * X[a * m + i];
    }
  }
  memcpy(X, Z, m * (size_t)nc * sizeof(double));
  free(SX), free(H), free(V), free(Z);
  return 0;
}

/* Zero modes of the scaled S by shift-invert subspace iteration; adds each zero
 * mode's squared components into weight[r] (r: index in S). */
static int sparse_zero_modes(const scaled_matrix *S, double *weight, int *n_modes, mnn_error *err) {
  size_t m = (size_t)S->m;
  cholmod_common cc;
  cholmod_start(&cc);
  cc.print = 0;
  cc.error_handler = NULL;
  cc.supernodal = CHOLMOD_SUPERNODAL;
  int rc = -1;
  cholmod_sparse *A = cholmod_allocate_sparse(m, m, (size_t)S->colp[m], 1, 1, 1, CHOLMOD_REAL, &cc);
  cholmod_factor *L = NULL;
  double *X = NULL, *lambda = NULL;
  if (!A) goto oom;
  memcpy(A->p, S->colp, (m + 1) * sizeof(int));
  memcpy(A->i, S->rowi, (size_t)S->colp[m] * sizeof(int));
  L = cholmod_analyze(A, &cc);
  if (!L) goto oom;
  double shift = ZM_SHIFT;
  for (int attempt = 0;; ++attempt, shift *= 100) {
    double *ax = A->x;
    memcpy(ax, S->val, (size_t)S->colp[m] * sizeof(double));
    for (size_t j = 0; j < m; ++j) ax[S->colp[j + 1] - 1] += shift; /* diagonal is last */
    if (!cholmod_factorize(A, L, &cc)) goto oom;
    if (cc.status == CHOLMOD_OK && L->minor == m) break;
    if (attempt == 4) {
      mnn_fail(err, "zero-mode analysis: the shifted stiffness matrix could not be factored");
      goto done;
    }
  }
  for (int block = 8;; block *= 2) {
    if ((size_t)block > m) block = (int)m;
    free(X), free(lambda);
    X = malloc(m * (size_t)block * sizeof(double));
    lambda = malloc((size_t)block * sizeof(double));
    if (!X || !lambda) goto oom;
    unsigned long long state = 88172645463325252ULL; /* xorshift: reproducible start */
    for (size_t i = 0; i < m * (size_t)block; ++i) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      X[i] = (double)(state >> 11) / 9007199254740992.0 - 0.5;
    }
    orthonormalise(m, block, X);
    for (int it = 0; it < ZM_ITERATIONS; ++it) {
      cholmod_dense B = {0};
      B.nrow = m, B.ncol = (size_t)block, B.nzmax = m * (size_t)block, B.d = m;
      B.x = X, B.xtype = CHOLMOD_REAL, B.dtype = CHOLMOD_DOUBLE;
      cholmod_dense *Y = cholmod_solve(CHOLMOD_A, L, &B, &cc);
      if (!Y) goto oom;
      memcpy(X, Y->x, m * (size_t)block * sizeof(double));
      cholmod_free_dense(&Y, &cc);
      orthonormalise(m, block, X);
    }
    if (rayleigh_ritz(S, block, X, lambda)) goto oom;
    int zero = 0;
    for (int c = 0; c < block; ++c) zero += lambda[c] <= ZM_TOL;
    if (zero < block || (size_t)block == m || block >= ZM_MAX_BLOCK) {
      if (zero == block && (size_t)block < m) {
        mnn_fail(err, "zero-mode analysis: more than %d zero modes; the network is far from carrying a load", block);
        goto done;
      }
      for (int c = 0; c < block; ++c)
        if (lambda[c] <= ZM_TOL)
          for (size_t i = 0; i < m; ++i) weight[i] += X[c * m + i] * X[c * m + i];
      *n_modes = zero;
      break;
    }
  }
  rc = 0;
  goto done;
oom:
  mnn_fail(err, "zero-mode analysis: CHOLMOD failed (status %d): out of memory?", cc.status);
done:
  free(X), free(lambda);
  cholmod_free_factor(&L, &cc);
  cholmod_free_sparse(&A, &cc);
  cholmod_finish(&cc);
  return rc;
}

static int zero_modes_with_pattern(const mnn_network *net, const mnn_bar_pattern *p, const double *k,
                                   mnn_bar_method method, mnn_zero_modes *zm, mnn_error *err) {
  memset(zm, 0, sizeof *zm);
  int n = p->n_free, rc = -1, m = 0, modes = 0;
  double *values = malloc((size_t)(p->nnz > 0 ? p->nnz : 1) * sizeof(double));
  double *scale = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
  double *dof_weight = calloc((size_t)(n > 0 ? n : 1), sizeof(double));
  double *node_weight = calloc((size_t)net->n_nodes, sizeof(double));
  int *r_of_free = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
  int *free_of_r = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
  double *rweight = NULL;
  scaled_matrix S = {0};
  if (!values || !scale || !dof_weight || !node_weight || !r_of_free || !free_of_r) goto oom;
  mnn_bar_assemble_csc(p, k, values);
  double maxd = 0;
  for (int j = 0; j < n; ++j) maxd = fmax(maxd, values[p->colp[j + 1] - 1]);
  for (int j = 0; j < n; ++j) {
    double d = values[p->colp[j + 1] - 1];
    if (!(d > ZM_ISOLATED_TOL * maxd) || d <= 0) { /* no bond pulls along this DOF */
      r_of_free[j] = -1;
      dof_weight[j] = 1;
      ++modes;
    } else {
      scale[j] = 1 / sqrt(d);
      free_of_r[m] = j;
      r_of_free[j] = m++;
    }
  }
  rweight = calloc((size_t)(m > 0 ? m : 1), sizeof(double));
  if (!rweight) goto oom;
  if (m > 0 && (method == MNN_BAR_DENSE || (method == MNN_BAR_AUTO && m <= ZM_DENSE_MAX))) {
    double *A = calloc((size_t)m * m, sizeof(double)), *V = malloc((size_t)m * m * sizeof(double));
    if (!A || !V) {
      free(A), free(V);
      goto oom;
    }
    for (int j = 0; j < n; ++j) {
      if (r_of_free[j] < 0) continue;
      for (int q = p->colp[j]; q < p->colp[j + 1]; ++q) {
        int i = p->rowi[q];
        if (r_of_free[i] < 0) continue;
        double v = values[q] * scale[i] * scale[j];
        A[(size_t)r_of_free[i] * m + r_of_free[j]] = A[(size_t)r_of_free[j] * m + r_of_free[i]] = v;
      }
    }
    jacobi_eigen(m, A, V);
    for (int c = 0; c < m; ++c)
      if (A[(size_t)c * m + c] <= ZM_TOL) {
        ++modes;
        for (int i = 0; i < m; ++i) rweight[i] += V[(size_t)i * m + c] * V[(size_t)i * m + c];
      }
    free(A), free(V);
  } else if (m > 0) {
    int sparse_modes = 0;
    if (scaled_build(p, values, scale, r_of_free, m, &S)) goto oom;
    if (sparse_zero_modes(&S, rweight, &sparse_modes, err)) goto done;
    modes += sparse_modes;
  }
  for (int r = 0; r < m; ++r) dof_weight[free_of_r[r]] = rweight[r];
  double maxw = 0;
  for (int j = 0; j < n; ++j) node_weight[p->dof_of_free[j] / 2] += dof_weight[j];
  for (int i = 0; i < net->n_nodes; ++i) maxw = fmax(maxw, node_weight[i]);
  zm->n_modes = modes;
  zm->moving_nodes = malloc((size_t)net->n_nodes * sizeof(int));
  if (!zm->moving_nodes) goto oom;
  for (int i = 0; i < net->n_nodes && modes > 0; ++i)
    if (node_weight[i] > ZM_MOVE_TOL * maxw) zm->moving_nodes[zm->n_moving++] = i;
  rc = 0;
  goto done;
oom:
  mnn_fail(err, "out of memory in the zero-mode analysis");
done:
  if (rc) {
    free(zm->moving_nodes);
    memset(zm, 0, sizeof *zm);
  }
  scaled_free(&S);
  free(values), free(scale), free(dof_weight), free(node_weight), free(r_of_free), free(free_of_r), free(rweight);
  return rc;
}

int mnn_bar_zero_modes_with(const mnn_network *net, const double *k, mnn_bar_method method, mnn_zero_modes *zm,
                            mnn_error *err) {
  mnn_bar_pattern p;
  if (mnn_bar_pattern_build(net, &p, err)) return -1;
  int rc = zero_modes_with_pattern(net, &p, k, method, zm, err);
  mnn_bar_pattern_free(&p);
  return rc;
}

int mnn_bar_zero_modes(const mnn_network *net, const double *k, mnn_zero_modes *zm, mnn_error *err) {
  return mnn_bar_zero_modes_with(net, k, MNN_BAR_AUTO, zm, err);
}

int mnn_bar_fail_singular(const mnn_network *net, const mnn_bar_pattern *p, const double *k, int bad_dof,
                          mnn_error *err) {
  mnn_zero_modes zm;
  mnn_error inner;
  int bad_node = bad_dof >= 0 ? net->node_id[p->dof_of_free[bad_dof] / 2] : -1;
  if (zero_modes_with_pattern(net, p, k, MNN_BAR_AUTO, &zm, &inner))
    return mnn_fail(err, "the stiffness matrix is singular (first at node %d) and the zero-mode analysis failed: %s",
                    bad_node, inner.message);
  if (zm.n_modes == 0) {
    free(zm.moving_nodes);
    return mnn_fail(err,
                    "the stiffness matrix is singular to working precision at node %d (a pivot below %g of the "
                    "largest diagonal): check for nearly collinear bonds or spring constants far apart",
                    bad_node, MNN_BAR_PIVOT_TOL);
  }
  char list[256];
  size_t len = 0;
  int shown = 0;
  for (int i = 0; i < zm.n_moving && i < 20; ++i, ++shown)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", net->node_id[zm.moving_nodes[i]]);
  if (shown < zm.n_moving) snprintf(list + len, sizeof list - len, " and %d more", zm.n_moving - shown);
  int rc = mnn_fail(err, "the network has %d zero mode%s (mechanism%s): node%s %s can move without stretching any "
                    "bond: add bonds or supports",
                    zm.n_modes, zm.n_modes == 1 ? "" : "s", zm.n_modes == 1 ? "" : "s", zm.n_moving == 1 ? "" : "s",
                    list);
  free(zm.moving_nodes);
  return rc;
}
