/* Lattice generators: bonds found from lattice indices (O(n)), not distances. */
#include "network.h"

#include <math.h>
#include <stdlib.h>

typedef struct { int a, b; } bond_pair;

static int cmp_bond_pair(const void *p, const void *q) {
  const bond_pair *u = p, *v = q;
  if (u->a != v->a) return (u->a > v->a) - (u->a < v->a);
  return (u->b > v->b) - (u->b < v->b);
}

/* Builds the network from node positions and an (unsorted) list of node pairs. */
static mnn_network *finish(int n_nodes, const double *x, const double *y, bond_pair *pairs, int n_bonds,
                           const int *top_row, int n_top_row, mnn_support_choice supports, mnn_error *err) {
  for (int i = 0; i < n_bonds; ++i)
    if (pairs[i].a > pairs[i].b) {
      int t = pairs[i].a;
      pairs[i].a = pairs[i].b;
      pairs[i].b = t;
    }
  qsort(pairs, (size_t)n_bonds, sizeof *pairs, cmp_bond_pair);
  mnn_network *net = mnn_network_create(n_nodes, n_bonds);
  if (!net) return (void)mnn_fail(err, "out of memory generating a lattice of %d nodes", n_nodes), NULL;
  for (int i = 0; i < n_nodes; ++i) {
    net->node_id[i] = i + 1;
    net->x[i] = x[i];
    net->y[i] = y[i];
  }
  for (int b = 0; b < n_bonds; ++b) {
    net->bond_id[b] = b + 1;
    net->bond_a[b] = pairs[b].a;
    net->bond_b[b] = pairs[b].b;
    net->width[b] = MNN_DEFAULT_WIDTH;
  }
  if (supports == MNN_SUPPORT_TOP_CORNERS && n_top_row > 0) {
    net->fixed[top_row[0]] = MNN_FIX_XY;
    net->fixed[top_row[n_top_row - 1]] = MNN_FIX_XY;
  } else if (supports == MNN_SUPPORT_TOP_ROW) {
    for (int i = 0; i < n_top_row; ++i) net->fixed[top_row[i]] = MNN_FIX_XY;
  }
  return net;
}

mnn_network *mnn_lattice_triangle(int n_top, int n_rows, double a, mnn_support_choice supports, mnn_error *err) {
  if (n_top < 2 || n_rows < 1 || n_rows > n_top)
    return (void)mnn_fail(err, "triangle lattice %d x %d: need a top row of at least 2 nodes and 1..top rows", n_top, n_rows), NULL;
  if (!(a > 0)) return (void)mnn_fail(err, "lattice spacing %g m: must be positive", a), NULL;
  /* index of node (i, j): rows before i hold sum_{r<i} (n_top - r) nodes */
  int n = 0;
  for (int i = 0; i < n_rows; ++i) n += n_top - i;
  double *x = malloc((size_t)n * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
  int *start = malloc((size_t)(n_rows + 1) * sizeof(int)), *top = malloc((size_t)n_top * sizeof(int));
  bond_pair *pairs = malloc((size_t)(3 * n + 1) * sizeof *pairs);
  mnn_network *net = NULL;
  if (!x || !y || !start || !top || !pairs) {
    mnn_fail(err, "out of memory generating a lattice");
    goto done;
  }
  start[0] = 0;
  for (int i = 0; i < n_rows; ++i) start[i + 1] = start[i] + n_top - i;
  int nb = 0;
  for (int i = 0; i < n_rows; ++i)
    for (int j = 0; j < n_top - i; ++j) {
      int p = start[i] + j;
      x[p] = -j * a - i * 0.5 * a;
      y[p] = -i * a * sqrt(3.0) / 2.0;
      if (j + 1 < n_top - i) pairs[nb++] = (bond_pair){p, p + 1};
      if (i + 1 < n_rows) {
        if (j < n_top - i - 1) pairs[nb++] = (bond_pair){p, start[i + 1] + j};  /* p - a2 */
        if (j >= 1) pairs[nb++] = (bond_pair){p, start[i + 1] + j - 1};         /* p - a2 + a1 */
      }
    }
  for (int j = 0; j < n_top; ++j) top[j] = j;
  net = finish(n, x, y, pairs, nb, top, n_top, supports, err);
done:
  free(x); free(y); free(start); free(top); free(pairs);
  return net;
}

mnn_network *mnn_lattice_paper(mnn_error *err) {
  return mnn_lattice_triangle(5, 4, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, err);
}

mnn_network *mnn_lattice_patch(int rows, int cols, double a, mnn_support_choice supports, mnn_error *err) {
  if (rows < 2 || cols < 2)
    return (void)mnn_fail(err, "lattice patch %d x %d: need at least 2 rows and 2 columns", rows, cols), NULL;
  if (!(a > 0)) return (void)mnn_fail(err, "lattice spacing %g m: must be positive", a), NULL;
  if ((long)rows * cols > 50000000L) return (void)mnn_fail(err, "lattice patch %d x %d: too large", rows, cols), NULL;
  int n = rows * cols;
  double *x = malloc((size_t)n * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
  int *top = malloc((size_t)cols * sizeof(int));
  bond_pair *pairs = malloc((size_t)(3 * n + 1) * sizeof *pairs);
  mnn_network *net = NULL;
  if (!x || !y || !top || !pairs) {
    mnn_fail(err, "out of memory generating a lattice");
    goto done;
  }
  int nb = 0;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      int p = r * cols + c;
      x[p] = c * a + ((r & 1) ? 0.5 * a : 0.0);
      y[p] = -r * a * sqrt(3.0) / 2.0;
      if (c + 1 < cols) pairs[nb++] = (bond_pair){p, p + 1};
      if (r + 1 < rows) {
        int below = (r + 1) * cols;
        if (r & 1) { /* shifted row: neighbours below at c and c+1 */
          pairs[nb++] = (bond_pair){p, below + c};
          if (c + 1 < cols) pairs[nb++] = (bond_pair){p, below + c + 1};
        } else {     /* unshifted row: neighbours below at c-1 and c */
          if (c >= 1) pairs[nb++] = (bond_pair){p, below + c - 1};
          pairs[nb++] = (bond_pair){p, below + c};
        }
      }
    }
  for (int c = 0; c < cols; ++c) top[c] = c;
  net = finish(n, x, y, pairs, nb, top, cols, supports, err);
done:
  free(x); free(y); free(top); free(pairs);
  return net;
}
