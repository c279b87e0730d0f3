/* Consistent outward orientation of a closed triangle surface: edges matched
 * by sorting, a breadth-first walk that flips neighbours traversing a shared
 * edge the same way, then each connected piece flipped if it encloses a
 * negative volume (divergence theorem). */
#include <stdlib.h>

#include "mesh_surface_orient.h"

typedef struct {
  int lo, hi;  /* vertex indices, lo < hi */
  int tri;     /* triangle */
  int forward; /* the triangle goes lo -> hi */
} edge_use;

static int compare_edges(const void *a, const void *b) {
  const edge_use *x = a, *y = b;
  if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
  if (x->hi != y->hi) return x->hi < y->hi ? -1 : 1;
  return 0;
}

static double signed_volume6(const mnn_surface *s, int t) {
  const double *a = s->xyz + 3 * s->tri[3 * t], *b = s->xyz + 3 * s->tri[3 * t + 1], *c = s->xyz + 3 * s->tri[3 * t + 2];
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

int mnn_mesh_orient_surface(mnn_surface *s, int *n_components, mnn_error *err) {
  int nt = s->n_triangles, rc = 0;
  if (nt == 0) return mnn_fail(err, "meshing: the print surface has no triangles");
  edge_use *e = malloc(sizeof *e * 3 * (size_t)nt);
  int *other = malloc(sizeof(int) * 3 * (size_t)nt);   /* neighbour across edge k of triangle t */
  int *fwd = malloc(sizeof(int) * 3 * (size_t)nt);     /* direction flag of that edge use */
  int *flip = malloc(sizeof(int) * (size_t)nt), *comp = malloc(sizeof(int) * (size_t)nt);
  int *queue = malloc(sizeof(int) * (size_t)nt);
  double *vol = NULL;
  if (!e || !other || !fwd || !flip || !comp || !queue) {
    rc = mnn_fail(err, "meshing: out of memory orienting the print surface");
    goto done;
  }
  for (int t = 0; t < nt; ++t)
    for (int k = 0; k < 3; ++k) {
      int u = s->tri[3 * t + k], v = s->tri[3 * t + (k + 1) % 3];
      edge_use *x = &e[3 * t + k];
      x->lo = u < v ? u : v, x->hi = u < v ? v : u, x->tri = 3 * t + k, x->forward = u < v;
    }
  qsort(e, 3 * (size_t)nt, sizeof *e, compare_edges);
  for (size_t i = 0; i < 3 * (size_t)nt;) {
    size_t j = i;
    while (j < 3 * (size_t)nt && !compare_edges(&e[i], &e[j])) ++j;
    if (j - i != 2) {
      rc = mnn_fail(err, "meshing: the print surface is not closed: an edge is shared by %zu triangles "
                    "(Gmsh's surface mesh is broken; try another --refine)", j - i);
      goto done;
    }
    other[e[i].tri] = e[i + 1].tri / 3, fwd[e[i].tri] = e[i].forward;
    other[e[i + 1].tri] = e[i].tri / 3, fwd[e[i + 1].tri] = e[i + 1].forward;
    i = j;
  }
  for (int t = 0; t < nt; ++t) comp[t] = -1;
  int nc = 0;
  for (int seed = 0; seed < nt; ++seed) {
    if (comp[seed] >= 0) continue;
    int head = 0, tail = 0;
    comp[seed] = nc, flip[seed] = 0, queue[tail++] = seed;
    while (head < tail) {
      int t = queue[head++];
      for (int k = 0; k < 3; ++k) {
        int n = other[3 * t + k];
        /* the edge use of n that matches edge k of t */
        int kn = -1;
        for (int m = 0; m < 3; ++m)
          if (other[3 * n + m] == t) {
            int a = s->tri[3 * t + k], b = s->tri[3 * t + (k + 1) % 3];
            int c = s->tri[3 * n + m], d = s->tri[3 * n + (m + 1) % 3];
            if ((a == c && b == d) || (a == d && b == c)) kn = m;
          }
        int want = 1 ^ fwd[3 * t + k] ^ flip[t] ^ fwd[3 * n + kn];
        if (comp[n] < 0) {
          comp[n] = nc, flip[n] = want, queue[tail++] = n;
        } else if (flip[n] != want) {
          rc = mnn_fail(err, "meshing: the print surface is one-sided (not orientable): report this network");
          goto done;
        }
      }
    }
    ++nc;
  }
  vol = calloc((size_t)nc, sizeof *vol);
  if (!vol) {
    rc = mnn_fail(err, "meshing: out of memory orienting the print surface");
    goto done;
  }
  for (int t = 0; t < nt; ++t) vol[comp[t]] += (flip[t] ? -1 : 1) * signed_volume6(s, t);
  for (int t = 0; t < nt; ++t)
    if (flip[t] ^ (vol[comp[t]] < 0)) {
      int tmp = s->tri[3 * t + 1];
      s->tri[3 * t + 1] = s->tri[3 * t + 2], s->tri[3 * t + 2] = tmp;
    }
  if (n_components) *n_components = nc;
done:
  free(e), free(other), free(fwd), free(flip), free(comp), free(queue), free(vol);
  return rc;
}
