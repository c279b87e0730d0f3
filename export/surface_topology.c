/* Edge analysis of a triangle set as ADMesh's exact check sees it: vertices are
 * the same when their float coordinates are bit-equal; every edge of a closed,
 * consistently oriented surface is used exactly twice, once in each direction. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stl_export.h"

typedef struct {
  uint32_t bits[3];
  int index;  /* corner number: 3 * triangle + k */
} corner_key;

typedef struct {
  int lo, hi;     /* welded vertex ids, lo < hi */
  int forward;    /* 1 if the triangle runs lo -> hi */
  int triangle;
} edge_use;

static int compare_corner(const void *pa, const void *pb) {
  const corner_key *a = pa, *b = pb;
  for (int k = 0; k < 3; ++k)
    if (a->bits[k] != b->bits[k]) return a->bits[k] < b->bits[k] ? -1 : 1;
  return 0;
}

static int compare_edge(const void *pa, const void *pb) {
  const edge_use *a = pa, *b = pb;
  if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
  if (a->hi != b->hi) return a->hi < b->hi ? -1 : 1;
  return 0;
}

static int find_root(int *parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

static void join(int *parent, int a, int b) {
  a = find_root(parent, a);
  b = find_root(parent, b);
  if (a != b) parent[a < b ? b : a] = a < b ? a : b;
}

int mnn_surface_topology_of_facets(const float *xyz9, int n_triangles, mnn_surface_topology *topo, mnn_error *err) {
  memset(topo, 0, sizeof *topo);
  topo->triangles = n_triangles;
  if (n_triangles <= 0) return 0;
  size_t nc = 3 * (size_t)n_triangles;
  corner_key *corners = malloc(nc * sizeof *corners);
  int *vertex_of = malloc(nc * sizeof *vertex_of);
  edge_use *edges = malloc(nc * sizeof *edges);
  int *parent = malloc((size_t)n_triangles * sizeof *parent);
  if (!corners || !vertex_of || !edges || !parent) {
    free(corners), free(vertex_of), free(edges), free(parent);
    return mnn_fail(err, "surface check: out of memory for %d triangles", n_triangles);
  }
  for (size_t c = 0; c < nc; ++c) {
    memcpy(corners[c].bits, xyz9 + 3 * c, 3 * sizeof(float));
    corners[c].index = (int)c;
  }
  qsort(corners, nc, sizeof *corners, compare_corner);
  int nv = 0;
  for (size_t c = 0; c < nc; ++c) {
    if (c > 0 && compare_corner(&corners[c - 1], &corners[c]) != 0) ++nv;
    vertex_of[corners[c].index] = nv;
  }
  topo->vertices = nv + 1;

  size_t ne = 0;
  for (int t = 0; t < n_triangles; ++t) {
    parent[t] = t;
    const int *v = vertex_of + 3 * t;
    if (v[0] == v[1] || v[1] == v[2] || v[0] == v[2]) {
      ++topo->degenerate;  /* ADMesh removes these; they take no part in the edges */
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      int a = v[k], b = v[(k + 1) % 3];
      edges[ne].lo = a < b ? a : b;
      edges[ne].hi = a < b ? b : a;
      edges[ne].forward = a < b;
      edges[ne].triangle = t;
      ++ne;
    }
  }
  qsort(edges, ne, sizeof *edges, compare_edge);
  for (size_t i = 0; i < ne;) {
    size_t j = i, forward = 0;
    while (j < ne && compare_edge(&edges[i], &edges[j]) == 0) {
      forward += (size_t)edges[j].forward;
      join(parent, edges[i].triangle, edges[j].triangle);
      ++j;
    }
    size_t uses = j - i;
    ++topo->edges;
    if (uses == 1) ++topo->open_edges;
    else if (uses > 2) ++topo->non_manifold_edges;
    else if (forward != 1) ++topo->misoriented_edges;
    i = j;
  }
  for (int t = 0; t < n_triangles; ++t) {
    const int *v = vertex_of + 3 * t;
    int degenerate = v[0] == v[1] || v[1] == v[2] || v[0] == v[2];
    if (!degenerate && find_root(parent, t) == t) ++topo->parts;
  }
  topo->closed = topo->open_edges == 0 && topo->non_manifold_edges == 0 && topo->misoriented_edges == 0;
  free(corners), free(vertex_of), free(edges), free(parent);
  return 0;
}
