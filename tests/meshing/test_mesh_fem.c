/* The FEM mesh: volume against the analytic union, one volume group per bond
 * and node with the agreed names and tags, pieces inside a disc owned by the
 * node, conformal interfaces, growth under refinement, and repeated meshing in
 * one process. The .msh is read back with an independent 4.1 reader. */
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "mesh_test_util.h"
#include "meshing.h"
#include "msh41_reader.h"
#include "test_util.h"

static char path_buf[512];
static const char *out_path(const char *name) {
  const char *dir = getenv("MNN_BINARY_DIR");
  snprintf(path_buf, sizeof path_buf, "%s/%s", dir ? dir : ".", name);
  return path_buf;
}

static double tet_volume(const double *a, const double *b, const double *c, const double *d) {
  double u[3], v[3], w[3];
  for (int i = 0; i < 3; ++i) u[i] = b[i] - a[i], v[i] = c[i] - a[i], w[i] = d[i] - a[i];
  return (u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0])) / 6;
}

typedef struct { int v[3]; int group; } face;
static int cmp_face(const void *a, const void *b) {
  const face *x = a, *y = b;
  for (int k = 0; k < 3; ++k)
    if (x->v[k] != y->v[k]) return x->v[k] < y->v[k] ? -1 : 1;
  return 0;
}
static int cmp_xyz(const void *a, const void *b) {
  const double *x = a, *y = b;
  for (int k = 0; k < 3; ++k)
    if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}

/* Every check on one written mesh. */
static void check_mesh(const mnn_network *net, const char *path, const mnn_mesh_stats *st, const char *label,
                       mnn_mesh_method method, int layers) {
  msh41 m;
  CHECK_MSG(msh41_read(path, &m) == 0, "%s: read back", label);
  if (m.n_tets == 0) return;
  double t = net->thickness, r = net->joint.node_radius;
  CHECK_MSG(m.other_elements == 0, "%s: only tetrahedra saved, found %d others", label, m.other_elements);
  CHECK_MSG(m.n_tets == st->n_tetrahedra, "%s: %d tetrahedra in the file, %ld reported", label, m.n_tets, st->n_tetrahedra);

  /* groups: names and tags exactly one per bond and node */
  int n3 = 0;
  for (int i = 0; i < m.n_names; ++i) n3 += m.name_dim[i] == 3;
  CHECK_MSG(n3 == net->n_bonds + net->n_nodes, "%s: %d volume groups for %d bonds + %d nodes", label, n3, net->n_bonds,
            net->n_nodes);
  int *tets_in = calloc((size_t)(net->n_bonds + net->n_nodes), sizeof(int));
  for (int b = 0; b < net->n_bonds; ++b) {
    char want[32];
    snprintf(want, sizeof want, "bond_%d", net->bond_id[b]);
    int found = 0;
    for (int i = 0; i < m.n_names; ++i)
      found += m.name_dim[i] == 3 && !strcmp(m.name[i], want) && m.name_tag[i] == mnn_mesh_bond_group_tag(net, b);
    CHECK_MSG(found == 1, "%s: group %s with tag %d", label, want, mnn_mesh_bond_group_tag(net, b));
  }
  for (int n = 0; n < net->n_nodes; ++n) {
    char want[32];
    snprintf(want, sizeof want, "node_%d", net->node_id[n]);
    int found = 0;
    for (int i = 0; i < m.n_names; ++i)
      found += m.name_dim[i] == 3 && !strcmp(m.name[i], want) && m.name_tag[i] == net->node_id[n];
    CHECK_MSG(found == 1, "%s: group %s", label, want);
  }

  /* volume and ownership: node tets inside their disc, bond tets outside all */
  double vol = 0;
  int bad_owner = 0, unknown = 0;
  for (int e = 0; e < m.n_tets; ++e) {
    const double *p[4];
    double c[3] = {0, 0, 0};
    for (int k = 0; k < 4; ++k) {
      p[k] = m.xyz + 3 * m.tet[4 * e + k];
      for (int i = 0; i < 3; ++i) c[i] += p[k][i] / 4;
    }
    vol += fabs(tet_volume(p[0], p[1], p[2], p[3]));
    int g = m.tet_group[e];
    if (g >= MNN_MESH_BOND_TAG_OFFSET) {
      int b = mnn_network_bond_index(net, g - MNN_MESH_BOND_TAG_OFFSET);
      if (b < 0) { ++unknown; continue; }
      tets_in[b]++;
      for (int n = 0; n < net->n_nodes; ++n)
        if (hypot(c[0] - net->x[n], c[1] - net->y[n]) < r - 0.05e-3) ++bad_owner;
    } else {
      int n = mnn_network_node_index(net, g);
      if (n < 0) { ++unknown; continue; }
      tets_in[net->n_bonds + n]++;
      if (hypot(c[0] - net->x[n], c[1] - net->y[n]) > r) ++bad_owner;
    }
  }
  CHECK_MSG(unknown == 0, "%s: %d tetrahedra outside every group", label, unknown);
  CHECK_MSG(bad_owner == 0, "%s: %d tetrahedra owned by the wrong body", label, bad_owner);
  int empty = 0;
  for (int i = 0; i < net->n_bonds + net->n_nodes; ++i) empty += tets_in[i] == 0;
  CHECK_MSG(empty == 0, "%s: %d groups without tetrahedra", label, empty);
  double exact = union_area(net) * t;
  CHECK_CLOSE(vol, exact, 0.005, 0);
  CHECK_CLOSE(st->volume, vol, 1e-9, 0);

  /* conformal: no two nodes at one place, every face shared by at most two
   * tetrahedra, every bond shares faces with both its nodes, and a face seen
   * once lies on the outer boundary (one side of it is outside the union) */
  double *sorted = malloc(sizeof(double) * 3 * (size_t)m.n_nodes);
  memcpy(sorted, m.xyz, sizeof(double) * 3 * (size_t)m.n_nodes);
  qsort(sorted, (size_t)m.n_nodes, 3 * sizeof(double), cmp_xyz);
  int dup = 0;
  for (int i = 1; i < m.n_nodes; ++i) dup += !cmp_xyz(sorted + 3 * (i - 1), sorted + 3 * i);
  CHECK_MSG(dup == 0, "%s: %d duplicate nodes", label, dup);
  free(sorted);

  face *f = malloc(sizeof *f * 4 * (size_t)m.n_tets);
  static const int fv[4][3] = {{0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}};
  for (int e = 0; e < m.n_tets; ++e)
    for (int k = 0; k < 4; ++k) {
      face *x = &f[4 * e + k];
      int a = m.tet[4 * e + fv[k][0]], b = m.tet[4 * e + fv[k][1]], c = m.tet[4 * e + fv[k][2]], s;
      if (a > b) s = a, a = b, b = s;
      if (b > c) s = b, b = c, c = s;
      if (a > b) s = a, a = b, b = s;
      x->v[0] = a, x->v[1] = b, x->v[2] = c, x->group = m.tet_group[e];
    }
  qsort(f, 4 * (size_t)m.n_tets, sizeof *f, cmp_face);
  int over = 0, inner_boundary = 0, interfaces = 0;
  unsigned char *joined = calloc((size_t)net->n_bonds, 2);
  for (size_t i = 0; i < 4 * (size_t)m.n_tets;) {
    size_t j = i;
    while (j < 4 * (size_t)m.n_tets && !cmp_face(&f[i], &f[j])) ++j;
    if (j - i > 2) ++over;
    if (j - i == 2 && f[i].group != f[i + 1].group) {
      ++interfaces;
      int gb = f[i].group > f[i + 1].group ? f[i].group : f[i + 1].group;
      int gn = f[i].group > f[i + 1].group ? f[i + 1].group : f[i].group;
      int b = mnn_network_bond_index(net, gb - MNN_MESH_BOND_TAG_OFFSET), n = mnn_network_node_index(net, gn);
      if (b >= 0 && n >= 0) {
        if (net->bond_a[b] == n) joined[2 * b] = 1;
        if (net->bond_b[b] == n) joined[2 * b + 1] = 1;
      }
    }
    if (j - i == 1) {
      const double *a = m.xyz + 3 * f[i].v[0], *b = m.xyz + 3 * f[i].v[1], *c = m.xyz + 3 * f[i].v[2];
      double z = (a[2] + b[2] + c[2]) / 3, tol = 1e-9 * t;
      int flat = fabs(a[2] - b[2]) < tol && fabs(a[2] - c[2]) < tol;
      if (!(flat && (fabs(z) < tol || fabs(z - t) < tol))) {
        /* side face: its in-plane normal, and points 0.05 mm either side */
        double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2], vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, len = hypot(nx, ny);
        double cx = (a[0] + b[0] + c[0]) / 3, cy = (a[1] + b[1] + c[1]) / 3, d = 0.05e-3;
        if (len > 0 && inside_union(net, cx + d * nx / len, cy + d * ny / len) &&
            inside_union(net, cx - d * nx / len, cy - d * ny / len))
          ++inner_boundary;
      }
    }
    i = j;
  }
  int unjoined = 0;
  for (int b = 0; b < 2 * net->n_bonds; ++b) unjoined += !joined[b];
  CHECK_MSG(over == 0, "%s: %d faces shared by more than two tetrahedra", label, over);
  CHECK_MSG(interfaces > 0, "%s: no faces shared between groups", label);
  CHECK_MSG(unjoined == 0, "%s: %d bond ends share no face with their node", label, unjoined);
  CHECK_MSG(inner_boundary == 0, "%s: %d unshared faces inside the solid (non-conformal)", label, inner_boundary);
  free(joined);
  free(f);
  free(tets_in);
  if (method == MNN_MESH_DELAUNAY3D) {
    /* no inverted or flat tetrahedron, a good mean, and poor ones (SICN < 0.1)
     * rare: Gmsh's Delaunay can leave a boundary sliver on a curved disc rim */
    CHECK_MSG(st->min_quality > 0.02 && st->mean_quality > 0.6 && st->mean_quality <= 1, "%s: quality min %g mean %g",
              label, st->min_quality, st->mean_quality);
    CHECK_MSG(st->n_poor <= 5 + st->n_tetrahedra / 1000, "%s: %ld tetrahedra with SICN < 0.1", label, st->n_poor);
  } else {
    /* prisms split in three: no slivers at all, but layers of t / layers over
     * triangles of a third of that in the necks make tall tetrahedra (SICN
     * about 0.2 there, 0.5-0.7 in bond middles and discs) */
    CHECK_MSG(st->min_quality > 0.1 && st->mean_quality > 0.4 && st->mean_quality <= 1, "%s: quality min %g mean %g",
              label, st->min_quality, st->mean_quality);
    CHECK_MSG(st->n_poor == 0, "%s: %ld tetrahedra with SICN < 0.1", label, st->n_poor);
    /* the structure: every node on one of the layers + 1 levels, and three
     * tetrahedra per triangle and layer (the count of nodes per level times
     * the levels is the node count) */
    int levels = layers + 1, off_level = 0;
    for (int i = 0; i < m.n_nodes; ++i) {
      double k = m.xyz[3 * i + 2] / t * layers;
      off_level += fabs(k - round(k)) > 1e-9;
    }
    CHECK_MSG(off_level == 0, "%s: %d nodes between the %d extrusion levels", label, off_level, levels);
    CHECK_MSG(m.n_nodes % levels == 0 && m.n_tets % (3 * layers) == 0, "%s: %d nodes, %d tetrahedra for %d layers",
              label, m.n_nodes, m.n_tets, layers);
  }
  printf("%s: %ld nodes, %ld tetrahedra, SICN min %.3f mean %.3f (%ld below 0.1), volume %.4f mm^3 (exact %.4f, %+.3f%%), %.2f s\n", label,
         st->n_nodes, st->n_tetrahedra, st->min_quality, st->mean_quality, st->n_poor, vol * 1e9, exact * 1e9,
         100 * (vol - exact) / exact, st->seconds);
  msh41_free(&m);
}

int main(void) {
  mnn_error err;
  mnn_mesh_options opt;
  mnn_mesh_options_default(&opt);
  mnn_mesh_stats st;

  /* one bond between two nodes */
  mnn_network *one = one_bond_network(0.016, 0.002);
  const char *p1 = out_path("test_mesh_one_bond.msh");
  CHECK_MSG(mnn_mesh_write(one, &opt, p1, &st, &err) == 0, "one bond: %s", err.message);
  check_mesh(one, p1, &st, "one bond, default", MNN_MESH_EXTRUDED, 2);

  /* growth under refinement: about refinement^3 */
  mnn_mesh_options fine = opt, coarse = opt;
  coarse.refinement = 0.8, fine.refinement = 1.4;
  mnn_mesh_stats st_c, st_f, st_a0;
  CHECK(mnn_mesh_write(one, &coarse, p1, &st_c, &err) == 0);
  mnn_mesh_stats st_1 = st;
  CHECK(mnn_mesh_write(one, &fine, p1, &st_f, &err) == 0);
  check_mesh(one, p1, &st_f, "one bond, refinement 1.4", MNN_MESH_EXTRUDED, 3);
  double ratio = (double)st_f.n_tetrahedra / (double)st_1.n_tetrahedra, expect = pow(1.4, 3);
  printf("refinement 1 -> 1.4: %ld -> %ld tetrahedra, ratio %.2f (1.4^3 = %.2f)\n", st_1.n_tetrahedra,
         st_f.n_tetrahedra, ratio, expect);
  CHECK_MSG(ratio > expect * 0.6 && ratio < expect * 1.5, "refinement ratio %.2f not near %.2f", ratio, expect);

  /* the same input gives the same file, byte for byte */
  {
    const char *p_again = "test_mesh_one_bond_again.msh";
    char first[512];
    snprintf(first, sizeof first, "%s", out_path("test_mesh_one_bond_first.msh"));
    CHECK(mnn_mesh_write(one, &coarse, first, &st_a0, &err) == 0);
    CHECK(mnn_mesh_write(one, &coarse, out_path(p_again), &st_a0, &err) == 0);
    FILE *fa = fopen(first, "rb"), *fb = fopen(out_path(p_again), "rb");
    int same = fa && fb, ca, cb;
    while (same && (ca = fgetc(fa)) != EOF) same = (cb = fgetc(fb)) == ca;
    if (same) same = fgetc(fb) == EOF;
    CHECK_MSG(same, "meshing the same network twice gave different files");
    if (fa) fclose(fa);
    if (fb) fclose(fb);
  }

  /* the width bounds: narrowest and widest bonds */
  const double widths[2] = {MNN_DEFAULT_WIDTH_MIN, MNN_DEFAULT_WIDTH_MAX};
  for (int i = 0; i < 2; ++i) {
    mnn_network *w = one_bond_network(0.016, widths[i]);
    char label[64];
    snprintf(label, sizeof label, "one bond, width %.2f mm", widths[i] * 1e3);
    mnn_mesh_stats st_w;
    CHECK_MSG(mnn_mesh_write(w, &coarse, p1, &st_w, &err) == 0, "%s: %s", label, err.message);
    check_mesh(w, p1, &st_w, label, MNN_MESH_EXTRUDED, 2);
    mnn_network_free(w);
  }

  /* more elements across the neck, more layers: more elements */
  mnn_mesh_options across = coarse;
  across.elements_across_neck = 5;
  across.layers_through_thickness = 4;
  mnn_mesh_stats st_a;
  CHECK(mnn_mesh_write(one, &across, p1, &st_a, &err) == 0);
  CHECK_MSG(st_a.n_tetrahedra > st_c.n_tetrahedra, "5 across / 4 layers: %ld vs %ld", st_a.n_tetrahedra,
            st_c.n_tetrahedra);

  /* the former path (3D Delaunay of the OpenCASCADE solid) still gives a valid
   * mesh of the same solid: the same volume within 0.1% */
  mnn_mesh_options d3 = coarse;
  d3.method = MNN_MESH_DELAUNAY3D;
  mnn_mesh_stats st_d;
  CHECK_MSG(mnn_mesh_write(one, &d3, p1, &st_d, &err) == 0, "one bond, Delaunay: %s", err.message);
  check_mesh(one, p1, &st_d, "one bond, refinement 0.8, 3D Delaunay", MNN_MESH_DELAUNAY3D, 0);
  CHECK_CLOSE(st_d.volume, st_c.volume, 1e-3, 0);
  mnn_network_free(one);

  /* the paper's network, coarse */
  mnn_network *paper = mnn_lattice_paper(&err);
  CHECK(paper != NULL);
  mnn_mesh_options c2 = opt;
  c2.refinement = 0.5;
  const char *p2 = out_path("test_mesh_paper.msh");
  CHECK_MSG(mnn_mesh_write(paper, &c2, p2, &st, &err) == 0, "paper: %s", err.message);
  check_mesh(paper, p2, &st, "paper, refinement 0.5", MNN_MESH_EXTRUDED, 2);



  /* a failed run leaves the old file as it was and no temporary behind */
  paper->joint.neck_length = 0.007;
  FILE *fp = fopen(p2, "rb");
  fseek(fp, 0, SEEK_END);
  long size_before = ftell(fp);
  fclose(fp);
  CHECK(mnn_mesh_write(paper, &c2, p2, &st, &err) != 0);
  fp = fopen(p2, "rb");
  fseek(fp, 0, SEEK_END);
  CHECK(ftell(fp) == size_before);
  fclose(fp);
  /* a Gmsh failure is one line (writing into a missing folder) */
  paper->joint.neck_length = MNN_DEFAULT_NECK_LENGTH;
  CHECK(mnn_mesh_write(paper, &c2, "/nonexistent-folder/x.msh", &st, &err) != 0);
  CHECK(strchr(err.message, '\n') == NULL);
  printf("missing folder: %s\n", err.message);
  mnn_network_free(paper);
  return mnn_test_finish();
}
