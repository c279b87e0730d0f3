/* The frame model's global system: assembly of the bonds' 6x6 stiffnesses
 * (frame_element.c), supports, a dense LDL^T factorisation of the Jacobi-scaled
 * stiffness that detects zero modes and names the nodes that move in them (or
 * CHOLMOD for large networks, frame_sparse.c), solves for many right-hand sides,
 * internal forces (for reactions) and the adjoint gradient with respect to the
 * widths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frame_model.h"
#include "frame_sparse.h"

/* A scaled pivot below this (the scaled diagonal is 1) is a zero mode. */
#define FRAME_ZERO_PIVOT 1e-11

struct mnn_frame_solver {
  int n_nodes, n_free;
  mnn_frame_method method; /* DENSE or SPARSE */
  int *dof_map;  /* 3 * n_nodes: free index or -1 */
  double *scale; /* n_free: 1/sqrt(K_ii) */
  double *L;     /* dense: n_free^2 row-major, unit lower triangle of LDL^T (scaled) */
  double *d;     /* dense: n_free pivots */
  mnn_frame_sparse *sparse; /* sparse: the CHOLMOD factor (scaled) */
};

/* Which of a node's DOFs are free: u_x and u_y unless the support mask fixes them;
 * theta with rigid joints, unless supported nodes are clamped. */
static int build_dof_map(const mnn_network *net, const mnn_frame_options *o, int *dof_map) {
  int n = 0;
  for (int i = 0; i < net->n_nodes; ++i) {
    unsigned char f = net->fixed[i];
    dof_map[3 * i] = (f & MNN_FIX_X) ? -1 : n++;
    dof_map[3 * i + 1] = (f & MNN_FIX_Y) ? -1 : n++;
    dof_map[3 * i + 2] = (!o->rigid_joints || (o->clamp_supports && f)) ? -1 : n++;
  }
  return n;
}

void mnn_frame_solver_free(mnn_frame_solver *s) {
  if (!s) return;
  free(s->dof_map);
  free(s->scale);
  free(s->L);
  free(s->d);
  mnn_frame_sparse_free(s->sparse);
  free(s);
}

int mnn_frame_solver_n_free(const mnn_frame_solver *s) { return s->n_free; }
mnn_frame_method mnn_frame_solver_method(const mnn_frame_solver *s) { return s->method; }

/* Left-looking LDL^T of the symmetric matrix in L (lower triangle used, row-major,
 * overwritten). Zero pivots are set to 0 with their column, and flagged. */
static int ldlt_semidefinite(double *L, double *d, int n, unsigned char *zero) {
  int n_zero = 0;
  double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  if (!v) return -1;
  for (int j = 0; j < n; ++j) {
    double *Lj = L + (size_t)j * n, dj = Lj[j];
    for (int k = 0; k < j; ++k) v[k] = Lj[k] * d[k], dj -= Lj[k] * v[k];
    zero[j] = !(dj > FRAME_ZERO_PIVOT);
    if (zero[j]) ++n_zero, dj = 0;
    d[j] = dj;
    Lj[j] = 1;
    for (int i = j + 1; i < n; ++i) {
      double *Li = L + (size_t)i * n;
      if (zero[j]) {
        Li[j] = 0;
        continue;
      }
      double a = Li[j];
      for (int k = 0; k < j; ++k) a -= Li[k] * v[k];
      Li[j] = a / dj;
    }
  }
  free(v);
  return n_zero;
}

/* The one-line zero-mode report: null vectors x = L^-T e_j for the zero pivots j,
 * and the nodes with a visible part in any of them. */
static int zero_mode_report(const mnn_network *net, const mnn_frame_solver *s, const unsigned char *zero,
                            int n_zero, mnn_error *err) {
  int n = s->n_free;
  double *x = malloc(sizeof(double) * (size_t)n);
  unsigned char *moves = calloc((size_t)net->n_nodes, 1);
  if (!x || !moves) {
    free(x), free(moves);
    return mnn_fail(err, "out of memory");
  }
  for (int j = 0; j < n; ++j) {
    if (!zero[j]) continue;
    memset(x, 0, sizeof(double) * (size_t)n);
    x[j] = 1;
    for (int i = j - 1; i >= 0; --i) {
      double a = 0;
      for (int k = i + 1; k <= j; ++k) a -= s->L[(size_t)k * n + i] * x[k];
      x[i] = a;
    }
    double xmax = 0;
    for (int i = 0; i < n; ++i) xmax = fmax(xmax, fabs(x[i]));
    for (int node = 0; node < net->n_nodes; ++node)
      for (int c = 0; c < 3; ++c) {
        int f = s->dof_map[3 * node + c];
        if (f >= 0 && fabs(x[f]) > 1e-6 * xmax) moves[node] = 1;
      }
  }
  char list[400] = "";
  int len = 0, shown = 0, total = 0;
  for (int node = 0; node < net->n_nodes; ++node) {
    if (!moves[node]) continue;
    ++total;
    if (shown < 20 && len < (int)sizeof list - 16) {
      len += snprintf(list + len, sizeof list - (size_t)len, "%s%d", shown ? ", " : "", net->node_id[node]);
      ++shown;
    }
  }
  if (total > shown) snprintf(list + len, sizeof list - (size_t)len, " and %d more", total - shown);
  free(x);
  free(moves);
  return mnn_fail(err,
                  "the frame model has %d zero mode%s (mechanisms): node%s %s can move without deforming any "
                  "bond: add bonds or supports",
                  n_zero, n_zero == 1 ? "" : "s", total == 1 ? "" : "s", list);
}

/* The bonds' stiffnesses (36 per bond) and the scaling 1/sqrt(K_ii) of the free
 * DOFs. */
static double *bond_matrices(const mnn_network *net, const mnn_frame_options *o, mnn_frame_solver *s,
                             mnn_error *err) {
  double *Kall = malloc(sizeof(double) * 36 * (size_t)(net->n_bonds > 0 ? net->n_bonds : 1));
  if (!Kall) return mnn_fail(err, "out of memory"), NULL;
  for (int i = 0; i < s->n_free; ++i) s->scale[i] = 0;
  for (int b = 0; b < net->n_bonds; ++b) {
    double *K = Kall + 36 * (size_t)b;
    if (mnn_frame_bond_stiffness(net, o, b, K, NULL, err)) return free(Kall), NULL;
    for (int i = 0; i < 6; ++i) {
      int f = s->dof_map[3 * (i < 3 ? net->bond_a[b] : net->bond_b[b]) + i % 3];
      if (f >= 0) s->scale[f] += K[7 * i];
    }
  }
  for (int i = 0; i < s->n_free; ++i) s->scale[i] = s->scale[i] > 0 ? 1 / sqrt(s->scale[i]) : 1;
  return Kall;
}

static void bond_free_dofs(const mnn_network *net, const mnn_frame_solver *s, int b, int dofs[6]) {
  for (int c = 0; c < 3; ++c) dofs[c] = s->dof_map[3 * net->bond_a[b] + c], dofs[3 + c] = s->dof_map[3 * net->bond_b[b] + c];
}

static int factor_dense(const mnn_network *net, mnn_frame_solver *s, const double *Kall, mnn_error *err) {
  int n = s->n_free;
  size_t nn = (size_t)(n > 0 ? n : 1);
  s->d = malloc(sizeof(double) * nn);
  s->L = calloc(nn * nn, sizeof(double));
  unsigned char *zero = malloc(nn);
  if (!s->d || !s->L || !zero) return free(zero), mnn_fail(err, "out of memory");
  for (int b = 0; b < net->n_bonds; ++b) {
    const double *K = Kall + 36 * (size_t)b;
    int dofs[6];
    bond_free_dofs(net, s, b, dofs);
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        if (dofs[i] >= 0 && dofs[j] >= 0 && dofs[j] <= dofs[i])
          s->L[(size_t)dofs[i] * n + dofs[j]] += K[6 * i + j] * s->scale[dofs[i]] * s->scale[dofs[j]];
  }
  int n_zero = ldlt_semidefinite(s->L, s->d, n, zero);
  if (n_zero < 0) return free(zero), mnn_fail(err, "out of memory");
  if (n_zero > 0) zero_mode_report(net, s, zero, n_zero, err);
  free(zero);
  return n_zero > 0 ? -1 : 0;
}

/* Sparse path; a zero pivot at column bad is reported with the dense analysis
 * when the network is small enough, else by the node where it appeared. */
static int factor_sparse(const mnn_network *net, const mnn_frame_options *o, mnn_frame_solver *s,
                         const double *Kall, mnn_error *err) {
  long cap = 21 * (long)net->n_bonds, nt = 0;
  int *ti = malloc(sizeof(int) * (size_t)(cap > 0 ? cap : 1)), *tj = malloc(sizeof(int) * (size_t)(cap > 0 ? cap : 1));
  double *tx = malloc(sizeof(double) * (size_t)(cap > 0 ? cap : 1));
  if (!ti || !tj || !tx) return free(ti), free(tj), free(tx), mnn_fail(err, "out of memory");
  for (int b = 0; b < net->n_bonds; ++b) {
    const double *K = Kall + 36 * (size_t)b;
    int dofs[6];
    bond_free_dofs(net, s, b, dofs);
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        if (dofs[i] >= 0 && dofs[j] >= 0 && dofs[i] <= dofs[j]) { /* upper triangle (distinct DOFs) */
          ti[nt] = dofs[i], tj[nt] = dofs[j];
          tx[nt++] = K[6 * i + j] * s->scale[dofs[i]] * s->scale[dofs[j]];
        }
  }
  int bad = -1;
  s->sparse = mnn_frame_sparse_factor(s->n_free, nt, ti, tj, tx, FRAME_ZERO_PIVOT, &bad, err);
  free(ti), free(tj), free(tx);
  if (s->sparse) return 0;
  if (bad < 0) return -1;
  if (s->n_free <= MNN_FRAME_REPORT_MAX_FREE) {
    mnn_frame_solver *dense = mnn_frame_solver_create_with(net, o, MNN_FRAME_DENSE, err);
    if (!dense) return -1; /* err has the full report */
    mnn_frame_solver_free(dense);
  }
  int node = 0, comp = 0;
  for (int i = 0; i < 3 * net->n_nodes; ++i)
    if (s->dof_map[i] == bad) node = i / 3, comp = i % 3;
  return mnn_fail(err,
                  "the frame model has a zero mode (mechanism) at node %d (%s): it can move without deforming "
                  "any bond: add bonds or supports",
                  net->node_id[node], comp == 0 ? "u_x" : comp == 1 ? "u_y" : "rotation");
}

mnn_frame_solver *mnn_frame_solver_create_with(const mnn_network *net, const mnn_frame_options *o,
                                               mnn_frame_method method, mnn_error *err) {
  mnn_frame_solver *s = calloc(1, sizeof *s);
  if (!s) return mnn_fail(err, "out of memory"), NULL;
  s->n_nodes = net->n_nodes;
  s->dof_map = malloc(sizeof(int) * 3 * (size_t)(net->n_nodes > 0 ? net->n_nodes : 1));
  if (!s->dof_map) return mnn_frame_solver_free(s), mnn_fail(err, "out of memory"), NULL;
  int n = s->n_free = build_dof_map(net, o, s->dof_map);
  if (method == MNN_FRAME_AUTO) method = n <= MNN_FRAME_DENSE_MAX_FREE ? MNN_FRAME_DENSE : MNN_FRAME_SPARSE;
  s->method = method;
  s->scale = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  if (!s->scale) return mnn_frame_solver_free(s), mnn_fail(err, "out of memory"), NULL;
  double *Kall = bond_matrices(net, o, s, err);
  int rc = !Kall ? -1 : method == MNN_FRAME_DENSE ? factor_dense(net, s, Kall, err) : factor_sparse(net, o, s, Kall, err);
  free(Kall);
  if (rc) return mnn_frame_solver_free(s), NULL;
  return s;
}

mnn_frame_solver *mnn_frame_solver_create(const mnn_network *net, const mnn_frame_options *o, mnn_error *err) {
  return mnn_frame_solver_create_with(net, o, MNN_FRAME_AUTO, err);
}

int mnn_frame_solver_solve(mnn_frame_solver *s, int nrhs, const double *F, double *U, mnn_error *err) {
  int n = s->n_free, nd = 3 * s->n_nodes;
  if (nrhs <= 0) return 0;
  double *X = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1) * (size_t)nrhs);
  if (!X) return mnn_fail(err, "out of memory");
  for (int r = 0; r < nrhs; ++r)
    for (int i = 0; i < nd; ++i)
      if (s->dof_map[i] >= 0) X[(size_t)r * n + s->dof_map[i]] = F[(size_t)r * nd + i] * s->scale[s->dof_map[i]];
  if (s->method == MNN_FRAME_SPARSE) {
    if (mnn_frame_sparse_solve(s->sparse, nrhs, X, err)) return free(X), -1;
  } else {
    for (int r = 0; r < nrhs; ++r) {
      double *x = X + (size_t)r * n;
      for (int i = 0; i < n; ++i) { /* L y = b */
        const double *Li = s->L + (size_t)i * n;
        double a = x[i];
        for (int k = 0; k < i; ++k) a -= Li[k] * x[k];
        x[i] = a;
      }
      for (int i = 0; i < n; ++i) x[i] /= s->d[i];
      for (int i = n - 1; i >= 0; --i) { /* L^T x = y */
        double a = x[i];
        for (int k = i + 1; k < n; ++k) a -= s->L[(size_t)k * n + i] * x[k];
        x[i] = a;
      }
    }
  }
  for (int r = 0; r < nrhs; ++r)
    for (int i = 0; i < nd; ++i)
      U[(size_t)r * nd + i] = s->dof_map[i] >= 0 ? X[(size_t)r * n + s->dof_map[i]] * s->scale[s->dof_map[i]] : 0;
  free(X);
  return 0;
}

int mnn_frame_solve(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *F, double *u,
                    double *theta, mnn_error *err) {
  int nn = net->n_nodes;
  double *W = calloc(3 * (size_t)nn * (size_t)(nrhs > 0 ? nrhs : 1), sizeof(double));
  if (!W) return mnn_fail(err, "out of memory");
  for (int r = 0; r < nrhs; ++r)
    for (int i = 0; i < nn; ++i) {
      double *w = W + (size_t)r * 3 * nn + 3 * i;
      w[0] = F[(size_t)r * 2 * nn + 2 * i], w[1] = F[(size_t)r * 2 * nn + 2 * i + 1], w[2] = 0;
    }
  mnn_frame_solver *s = mnn_frame_solver_create(net, o, err);
  int rc = s ? mnn_frame_solver_solve(s, nrhs, W, W, err) : -1;
  mnn_frame_solver_free(s);
  for (int r = 0; r < nrhs && !rc; ++r)
    for (int i = 0; i < nn; ++i) {
      const double *w = W + (size_t)r * 3 * nn + 3 * i;
      u[(size_t)r * 2 * nn + 2 * i] = w[0], u[(size_t)r * 2 * nn + 2 * i + 1] = w[1];
      if (theta) theta[(size_t)r * nn + i] = w[2];
    }
  free(W);
  return rc;
}

int mnn_frame_internal_forces(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *U,
                              double *R, mnn_error *err) {
  size_t nd = 3 * (size_t)net->n_nodes;
  memset(R, 0, sizeof(double) * nd * (size_t)nrhs);
  for (int b = 0; b < net->n_bonds; ++b) {
    double K[36];
    if (mnn_frame_bond_stiffness(net, o, b, K, NULL, err)) return -1;
    int idx[6];
    for (int c = 0; c < 3; ++c) idx[c] = 3 * net->bond_a[b] + c, idx[3 + c] = 3 * net->bond_b[b] + c;
    for (int r = 0; r < nrhs; ++r)
      for (int i = 0; i < 6; ++i) {
        double a = 0;
        for (int j = 0; j < 6; ++j) a += K[6 * i + j] * U[(size_t)r * nd + idx[j]];
        R[(size_t)r * nd + idx[i]] += a;
      }
  }
  return 0;
}

int mnn_frame_gradient_w(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *U,
                         const double *U_adj, double *g_w, int accumulate, mnn_error *err) {
  size_t nd = 3 * (size_t)net->n_nodes;
  for (int b = 0; b < net->n_bonds; ++b) {
    double K[36], dK[36], g = 0;
    if (mnn_frame_bond_stiffness(net, o, b, K, dK, err)) return -1;
    int idx[6];
    for (int c = 0; c < 3; ++c) idx[c] = 3 * net->bond_a[b] + c, idx[3 + c] = 3 * net->bond_b[b] + c;
    for (int r = 0; r < nrhs; ++r)
      for (int i = 0; i < 6; ++i) {
        double a = 0;
        for (int j = 0; j < 6; ++j) a += dK[6 * i + j] * U[(size_t)r * nd + idx[j]];
        g += U_adj[(size_t)r * nd + idx[i]] * a;
      }
    g_w[b] = accumulate ? g_w[b] + g : g;
  }
  return 0;
}
