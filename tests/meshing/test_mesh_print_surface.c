/* The print solid's surface: closed (every edge in exactly two triangles,
 * traversed in opposite directions), one connected piece, vertices shared
 * (no two at one place), outward (positive enclosed volume, top faces up),
 * nothing internal (its volume by the divergence theorem equals the union's
 * and the FEM mesh's volume), and nothing left inside the body (every
 * triangle lies on the outer boundary of the union). */
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "mesh_test_util.h"
#include "meshing.h"
#include "test_util.h"

typedef struct { int lo, hi, dir, tri; } edge;
static int cmp_edge(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}
static int cmp_xyz(const void *a, const void *b) {
  const double *x = a, *y = b;
  for (int k = 0; k < 3; ++k)
    if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}
static int find(int *parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

static void check_surface(const mnn_network *net, const mnn_surface *s, double fem_volume, const char *label) {
  int nt = s->n_triangles, nv = s->n_vertices;
  CHECK_MSG(nt > 0 && nv > 0, "%s: empty surface", label);
  if (nt == 0) return;
  /* closed, consistently oriented */
  edge *e = malloc(sizeof *e * 3 * (size_t)nt);
  for (int t = 0; t < nt; ++t)
    for (int k = 0; k < 3; ++k) {
      int a = s->tri[3 * t + k], b = s->tri[3 * t + (k + 1) % 3];
      e[3 * t + k] = (edge){a < b ? a : b, a < b ? b : a, a < b, t};
    }
  qsort(e, 3 * (size_t)nt, sizeof *e, cmp_edge);
  int open = 0, misoriented = 0;
  int *parent = malloc(sizeof(int) * (size_t)nt);
  for (int t = 0; t < nt; ++t) parent[t] = t;
  for (size_t i = 0; i < 3 * (size_t)nt;) {
    size_t j = i;
    while (j < 3 * (size_t)nt && !cmp_edge(&e[i], &e[j])) ++j;
    if (j - i != 2) ++open;
    else {
      if (e[i].dir == e[i + 1].dir) ++misoriented;
      parent[find(parent, e[i].tri)] = find(parent, e[i + 1].tri);
    }
    i = j;
  }
  int pieces = 0;
  for (int t = 0; t < nt; ++t) pieces += find(parent, t) == t;
  CHECK_MSG(open == 0, "%s: %d edges not shared by exactly two triangles", label, open);
  CHECK_MSG(misoriented == 0, "%s: %d edges traversed the same way twice", label, misoriented);
  CHECK_MSG(pieces == 1, "%s: %d connected pieces", label, pieces);
  free(parent);
  free(e);

  /* shared vertices: no two at the same place, all used */
  double *sorted = malloc(sizeof(double) * 3 * (size_t)nv);
  memcpy(sorted, s->xyz, sizeof(double) * 3 * (size_t)nv);
  qsort(sorted, (size_t)nv, 3 * sizeof(double), cmp_xyz);
  int dup = 0;
  for (int i = 1; i < nv; ++i) dup += !cmp_xyz(sorted + 3 * (i - 1), sorted + 3 * i);
  CHECK_MSG(dup == 0, "%s: %d duplicate vertices", label, dup);
  free(sorted);

  /* volume by the divergence theorem, normals of the top and bottom faces,
   * and every triangle on the outer boundary */
  double vol = 0, t = net->thickness, tol = 1e-9 * t;
  int top_down = 0, bottom_up = 0, inside = 0;
  for (int k = 0; k < nt; ++k) {
    const double *a = s->xyz + 3 * s->tri[3 * k], *b = s->xyz + 3 * s->tri[3 * k + 1], *c = s->xyz + 3 * s->tri[3 * k + 2];
    vol += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
    double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2], vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
    double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    int flat = fabs(a[2] - b[2]) < tol && fabs(a[2] - c[2]) < tol;
    if (flat && fabs(a[2] - t) < tol && nz <= 0) ++top_down;
    if (flat && fabs(a[2]) < tol && nz >= 0) ++bottom_up;
    if (!flat) {
      double len = hypot(nx, ny), d = 0.05e-3;
      double cx = (a[0] + b[0] + c[0]) / 3, cy = (a[1] + b[1] + c[1]) / 3;
      /* outward normal: just outside is outside the union, just inside is inside */
      if (len > 0 && inside_union(net, cx + d * nx / len, cy + d * ny / len)) ++inside;
    }
  }
  CHECK_MSG(top_down == 0 && bottom_up == 0, "%s: %d top / %d bottom triangles face inward", label, top_down, bottom_up);
  CHECK_MSG(inside == 0, "%s: %d side triangles inside the body or facing inward", label, inside);
  double exact = union_area(net) * t;
  CHECK_CLOSE(vol, exact, 0.005, 0);
  if (fem_volume > 0) CHECK_CLOSE(vol, fem_volume, 0.005, 0);
  printf("%s: %d vertices, %d triangles, one closed piece, volume %.4f mm^3 (exact %.4f, %+.3f%%)\n", label, nv, nt,
         vol * 1e9, exact * 1e9, 100 * (vol - exact) / exact);
}

int main(void) {
  mnn_error err;
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);

  /* one bond: also against its FEM mesh's volume */
  mnn_network *one = one_bond_network(0.016, 0.002);
  mnn_mesh_stats st;
  char path[512];
  snprintf(path, sizeof path, "%s/test_mesh_print_one_bond.msh", getenv("MNN_BINARY_DIR") ? getenv("MNN_BINARY_DIR") : ".");
  CHECK_MSG(mnn_mesh_write(one, &opt, path, &st, &err) == 0, "one bond mesh: %s", err.message);
  mnn_surface *s = mnn_mesh_print_surface(one, &opt, &err);
  CHECK_MSG(s != NULL, "one bond: %s", s ? "" : err.message);
  if (s) check_surface(one, s, st.volume, "one bond");
  mnn_surface_free(s);
  mnn_network_free(one);

  /* the paper's network, coarse */
  mnn_network *paper = mnn_lattice_paper(&err);
  mnn_mesh_options coarse = opt;
  coarse.refinement = 0.5;
  s = mnn_mesh_print_surface(paper, &coarse, &err);
  CHECK_MSG(s != NULL, "paper: %s", s ? "" : err.message);
  if (s) check_surface(paper, s, 0, "paper, refinement 0.5");
  mnn_surface_free(s);

  /* bad geometry: NULL and the error */
  paper->joint.neck_length = 0.007;
  s = mnn_mesh_print_surface(paper, &coarse, &err);
  CHECK(s == NULL);
  if (!s) CHECK_CONTAINS(err.message, "neck");
  mnn_surface_free(s);
  mnn_network_free(paper);
  return mnn_test_finish();
}
