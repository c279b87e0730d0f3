/* Free-DOF numbering, the sparsity pattern of D with the bond -> entry map,
 * assembly by scatter (sparse and dense), and the small dense Cholesky that the
 * solver uses for small networks. */
#include "bar_assembly.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

void mnn_bar_pattern_free(mnn_bar_pattern *p) {
  if (!p) return;
  free(p->free_of_dof);
  free(p->dof_of_free);
  free(p->colp);
  free(p->rowi);
  free(p->entry_row);
  free(p->entry_col);
  free(p->entry_pos);
  free(p->entry_coef);
  memset(p, 0, sizeof *p);
}

/* Node adjacency (each node's neighbours and itself, sorted) as CSR. */
static int node_adjacency(const mnn_network *net, int **start_out, int **list_out) {
  int n = net->n_nodes, nb = net->n_bonds;
  int *start = calloc((size_t)n + 1, sizeof(int));
  int *list = malloc(((size_t)n + 2 * (size_t)nb) * sizeof(int));
  int *fill = malloc((size_t)n * sizeof(int));
  if (!start || !list || !fill) {
    free(start), free(list), free(fill);
    return -1;
  }
  for (int i = 0; i < n; ++i) start[i + 1] = 1;
  for (int b = 0; b < nb; ++b) ++start[net->bond_a[b] + 1], ++start[net->bond_b[b] + 1];
  for (int i = 0; i < n; ++i) start[i + 1] += start[i];
  for (int i = 0; i < n; ++i) list[start[i]] = i, fill[i] = start[i] + 1;
  for (int b = 0; b < nb; ++b) {
    int a = net->bond_a[b], c = net->bond_b[b];
    list[fill[a]++] = c;
    list[fill[c]++] = a;
  }
  for (int i = 0; i < n; ++i) qsort(list + start[i], (size_t)(start[i + 1] - start[i]), sizeof(int), cmp_int);
  free(fill);
  *start_out = start;
  *list_out = list;
  return 0;
}

static int find_row(const mnn_bar_pattern *p, int row, int col) {
  int lo = p->colp[col], hi = p->colp[col + 1] - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (p->rowi[mid] == row) return mid;
    if (p->rowi[mid] < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

int mnn_bar_pattern_build(const mnn_network *net, mnn_bar_pattern *p, mnn_error *err) {
  memset(p, 0, sizeof *p);
  int n = net->n_nodes, nb = net->n_bonds;
  p->n_dofs = 2 * n;
  p->n_bonds = nb;
  p->free_of_dof = malloc((size_t)p->n_dofs * sizeof(int));
  p->dof_of_free = malloc((size_t)p->n_dofs * sizeof(int));
  size_t ne = (size_t)(nb > 0 ? nb : 1) * MNN_BAR_BOND_ENTRIES;
  p->entry_row = malloc(ne * sizeof(int));
  p->entry_col = malloc(ne * sizeof(int));
  p->entry_pos = malloc(ne * sizeof(int));
  p->entry_coef = malloc(ne * sizeof(double));
  int *start = NULL, *list = NULL;
  if (!p->free_of_dof || !p->dof_of_free || !p->entry_row || !p->entry_col || !p->entry_pos || !p->entry_coef ||
      node_adjacency(net, &start, &list))
    goto oom;
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < 2; ++c) {
      int fixed = net->fixed[i] & (c == 0 ? MNN_FIX_X : MNN_FIX_Y);
      p->free_of_dof[2 * i + c] = fixed ? -1 : p->n_free;
      if (!fixed) p->dof_of_free[p->n_free++] = 2 * i + c;
    }
  /* upper-triangle CSC: column j (DOF of node v) has the free DOFs of v and its
   * neighbours whose free index is <= j; free indices grow with DOF numbers, so
   * walking the sorted neighbours gives sorted rows with the diagonal last */
  p->colp = malloc(((size_t)p->n_free + 1) * sizeof(int));
  if (!p->colp) goto oom;
  p->colp[0] = 0;
  for (int pass = 0; pass < 2; ++pass) {
    int nnz = 0;
    for (int j = 0; j < p->n_free; ++j) {
      int v = p->dof_of_free[j] / 2;
      for (int q = start[v]; q < start[v + 1]; ++q)
        for (int c = 0; c < 2; ++c) {
          int r = p->free_of_dof[2 * list[q] + c];
          if (r < 0 || r > j) continue;
          if (pass == 1) p->rowi[nnz] = r;
          ++nnz;
        }
      if (pass == 0) p->colp[j + 1] = nnz;
    }
    if (pass == 0) {
      p->nnz = nnz;
      p->rowi = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int));
      if (!p->rowi) goto oom;
    }
  }
  for (int b = 0; b < nb; ++b) {
    double cx, cy;
    mnn_bond_direction(net, b, &cx, &cy);
    double s[4] = {-cx, -cy, cx, cy};
    int dof[4] = {2 * net->bond_a[b], 2 * net->bond_a[b] + 1, 2 * net->bond_b[b], 2 * net->bond_b[b] + 1};
    int e = b * MNN_BAR_BOND_ENTRIES;
    for (int q = 0; q < 4; ++q)
      for (int r = 0; r <= q; ++r, ++e) {
        int fr = p->free_of_dof[dof[r]], fc = p->free_of_dof[dof[q]];
        p->entry_coef[e] = s[r] * s[q];
        if (fr < 0 || fc < 0) {
          p->entry_row[e] = p->entry_col[e] = p->entry_pos[e] = -1;
          continue;
        }
        int row = fr < fc ? fr : fc, col = fr < fc ? fc : fr;
        p->entry_row[e] = row;
        p->entry_col[e] = col;
        p->entry_pos[e] = find_row(p, row, col);
      }
  }
  free(start);
  free(list);
  return 0;
oom:
  free(start);
  free(list);
  mnn_bar_pattern_free(p);
  return mnn_fail(err, "out of memory while analysing a network of %d nodes and %d bonds", n, nb);
}

void mnn_bar_assemble_csc(const mnn_bar_pattern *p, const double *k, double *values) {
  memset(values, 0, (size_t)p->nnz * sizeof(double));
  for (int b = 0; b < p->n_bonds; ++b) {
    const int *pos = p->entry_pos + b * MNN_BAR_BOND_ENTRIES;
    const double *coef = p->entry_coef + b * MNN_BAR_BOND_ENTRIES;
    for (int e = 0; e < MNN_BAR_BOND_ENTRIES; ++e)
      if (pos[e] >= 0) values[pos[e]] += k[b] * coef[e];
  }
}

void mnn_bar_assemble_dense(const mnn_bar_pattern *p, const double *k, double *A) {
  size_t n = (size_t)p->n_free;
  memset(A, 0, n * n * sizeof(double));
  for (int b = 0; b < p->n_bonds; ++b) {
    int e0 = b * MNN_BAR_BOND_ENTRIES;
    for (int e = e0; e < e0 + MNN_BAR_BOND_ENTRIES; ++e) {
      int r = p->entry_row[e], c = p->entry_col[e];
      if (r < 0) continue;
      double v = k[b] * p->entry_coef[e];
      A[(size_t)c * n + r] += v;
      if (r != c) A[(size_t)r * n + c] += v;
    }
  }
}

void mnn_bar_gather(const mnn_bar_pattern *p, int nrhs, const double *full, double *x) {
  for (int s = 0; s < nrhs; ++s) {
    const double *f = full + (size_t)s * p->n_dofs;
    double *xs = x + (size_t)s * p->n_free;
    for (int i = 0; i < p->n_free; ++i) xs[i] = f[p->dof_of_free[i]];
  }
}

void mnn_bar_scatter(const mnn_bar_pattern *p, int nrhs, const double *x, double *full) {
  for (int s = 0; s < nrhs; ++s) {
    double *f = full + (size_t)s * p->n_dofs;
    const double *xs = x + (size_t)s * p->n_free;
    for (int d = 0; d < p->n_dofs; ++d) {
      int i = p->free_of_dof[d];
      f[d] = i >= 0 ? xs[i] : 0.0;
    }
  }
}

/* Row-oriented (Cholesky-Crout) factorisation: every inner product runs along
 * two contiguous rows of the lower triangle, and only inside the envelope (row i
 * of L is zero left of row i's first non-zero in A; nodes numbered row by row
 * keep it narrow). first[i] keeps that column for the solves. */
static int first_nonzero(const double *row, int i) {
  int j = 0;
  while (j < i && row[j] == 0.0) ++j;
  return j;
}

int mnn_dense_cholesky(int n, double *A, double tol, int *first) {
  double maxdiag = 0;
  for (int i = 0; i < n; ++i) maxdiag = fmax(maxdiag, A[(size_t)i * n + i]);
  double threshold = tol * maxdiag;
  for (int i = 0; i < n; ++i) {
    double *Li = A + (size_t)i * n;
    int fi = first[i] = first_nonzero(Li, i);
    for (int j = fi; j < i; ++j) {
      const double *Lj = A + (size_t)j * n;
      double s = Li[j];
      for (int q = fi > first[j] ? fi : first[j]; q < j; ++q) s -= Li[q] * Lj[q];
      Li[j] = s / Lj[j];
    }
    double d = Li[i];
    for (int q = fi; q < i; ++q) d -= Li[q] * Li[q];
    if (!(d > threshold)) return i;
    Li[i] = sqrt(d);
  }
  return -1;
}

void mnn_dense_cholesky_solve(int n, const double *L, const int *first, int nrhs, double *B) {
  for (int s = 0; s < nrhs; ++s) {
    double *x = B + (size_t)s * n;
    for (int i = 0; i < n; ++i) { /* L y = b, by rows */
      const double *Li = L + (size_t)i * n;
      double v = x[i];
      for (int q = first[i]; q < i; ++q) v -= Li[q] * x[q];
      x[i] = v / Li[i];
    }
    for (int i = n - 1; i >= 0; --i) { /* L^T x = y, as updates along row i */
      const double *Li = L + (size_t)i * n;
      double v = x[i] / Li[i];
      x[i] = v;
      for (int q = first[i]; q < i; ++q) x[q] -= Li[q] * v;
    }
  }
}
