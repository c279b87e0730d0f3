/* Gmsh-made test meshes (see fem_test_mesh.h). */
#include "fem_test_mesh.h"

#include "bar_solver.h"

#include <gmshc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

typedef struct { double x0[3], dx[3]; char name[32]; } named_box;

const char *fem_test_path(const char *name) {
  static char buf[8][1024];
  static int k = 0;
  const char *dir = getenv("MNN_BINARY_DIR");
  char *p = buf[k++ % 8];
  snprintf(p, 1024, "%s/%s", dir ? dir : "/tmp", name);
  return p;
}

/* Boxes -> fragment -> groups by name -> mesh -> Gmsh 4.1 file. */
static int mesh_boxes(const char *path, const named_box *boxes, int n, double h, int structured) {
  int ierr = 0;
  gmshInitialize(0, NULL, 0, &ierr);
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshModelAdd("fem_test", &ierr);
  int *dimtags = malloc(sizeof(int) * 2 * (size_t)n);
  for (int i = 0; i < n; ++i) {
    dimtags[2 * i] = 3;
    dimtags[2 * i + 1] = gmshModelOccAddBox(boxes[i].x0[0], boxes[i].x0[1], boxes[i].x0[2], boxes[i].dx[0],
                                            boxes[i].dx[1], boxes[i].dx[2], -1, &ierr);
  }
  int *out = NULL, **map = NULL;
  size_t out_n = 0, *map_n = NULL, map_nn = 0;
  gmshModelOccFragment(dimtags, 2 * (size_t)n, NULL, 0, &out, &out_n, &map, &map_n, &map_nn, -1, 1, 1, &ierr);
  gmshModelOccSynchronize(&ierr);
  /* group the fragments of each name */
  int *tags = malloc(sizeof(int) * 4 * (size_t)n * 4);
  char *done = calloc((size_t)n, 1);
  for (int i = 0; i < n && !ierr; ++i) {
    if (done[i]) continue;
    int nt = 0;
    for (int j = i; j < n; ++j) {
      if (strcmp(boxes[i].name, boxes[j].name)) continue;
      done[j] = 1;
      for (size_t k = 0; k < map_n[j]; k += 2)
        if (map[j][k] == 3) tags[nt++] = map[j][k + 1];
    }
    int g = gmshModelAddPhysicalGroup(3, tags, (size_t)nt, -1, &ierr);
    gmshModelSetPhysicalName(3, g, boxes[i].name, &ierr);
  }
  if (structured) {
    /* every (straight) curve gets ceil(length / h) segments; faces and volumes follow */
    int *curves = NULL;
    size_t nc = 0;
    gmshModelGetEntities(&curves, &nc, 1, &ierr);
    for (size_t k = 0; k + 1 < nc; k += 2) {
      double x0, y0, z0, x1, y1, z1;
      gmshModelGetBoundingBox(1, curves[k + 1], &x0, &y0, &z0, &x1, &y1, &z1, &ierr);
      double len = sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0) + (z1 - z0) * (z1 - z0));
      gmshModelMeshSetTransfiniteCurve(curves[k + 1], (int)ceil(len / h - 1e-9) + 1, "Progression", 1.0, &ierr);
    }
    gmshFree(curves);
    gmshModelMeshSetTransfiniteAutomatic(NULL, 0, 2.35, 0, &ierr);
  }
  gmshOptionSetNumber("Mesh.MeshSizeMax", h, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeMin", 0.25 * h, &ierr);
  gmshOptionSetNumber("Mesh.MshFileVersion", 4.1, &ierr);
  gmshModelMeshGenerate(3, &ierr);
  if (!ierr) gmshWrite(path, &ierr);
  gmshFinalize(&ierr);
  for (size_t j = 0; j < map_nn; ++j) gmshFree(map[j]);
  gmshFree(map);
  gmshFree(map_n);
  gmshFree(out);
  free(tags);
  free(done);
  free(dimtags);
  return ierr;
}

int fem_test_bar_mesh(const char *path, double L, double s, double w, double t, double h) {
  named_box b[3] = {
      {{-s / 2, -w / 2, 0}, {s, w, t}, "node_1"},
      {{s / 2, -w / 2, 0}, {L - s, w, t}, "bond_1"},
      {{L - s / 2, -w / 2, 0}, {s, w, t}, "node_2"},
  };
  return mesh_boxes(path, b, 3, h, 0);
}

int fem_test_bar_mesh_structured(const char *path, double L, double s, double w, double t, double h) {
  named_box b[3] = {
      {{-s / 2, -w / 2, 0}, {s, w, t}, "node_1"},
      {{s / 2, -w / 2, 0}, {L - s, w, t}, "bond_1"},
      {{L - s / 2, -w / 2, 0}, {s, w, t}, "node_2"},
  };
  return mesh_boxes(path, b, 3, h, 1);
}

mnn_network *fem_test_bar_network(double L, double s, double w, double t, double youngs, double poisson) {
  mnn_network *net = mnn_network_create(2, 1);
  net->node_id[0] = 1;
  net->node_id[1] = 2;
  net->x[1] = L;
  net->fixed[0] = MNN_FIX_XY;
  net->bond_id[0] = 1;
  net->bond_a[0] = 0;
  net->bond_b[0] = 1;
  net->width[0] = w;
  net->thickness = t;
  net->youngs_modulus = youngs;
  net->poisson_ratio = poisson;
  net->joint.node_radius = s / 2;
  net->width_min = w / 2;
  net->width_max = 2 * w;
  return net;
}

static const double net_xy[5][2] = {{0, 0}, {1, 0}, {2, 0}, {1, -1}, {0, -1}};
static const int net_bonds[5][2] = {{0, 1}, {1, 2}, {1, 3}, {0, 4}, {4, 3}};

int fem_test_network_mesh(const char *path, double a, double s, const double *w, double t, double h) {
  named_box b[10];
  for (int i = 0; i < 5; ++i) {
    named_box nb = {{a * net_xy[i][0] - s / 2, a * net_xy[i][1] - s / 2, 0}, {s, s, t}, ""};
    snprintf(nb.name, sizeof nb.name, "node_%d", i + 1);
    b[i] = nb;
  }
  for (int k = 0; k < 5; ++k) {
    const double *p = net_xy[net_bonds[k][0]], *q = net_xy[net_bonds[k][1]];
    double x0 = a * fmin(p[0], q[0]), x1 = a * fmax(p[0], q[0]), y0 = a * fmin(p[1], q[1]), y1 = a * fmax(p[1], q[1]);
    named_box bb;
    if (y0 == y1) bb = (named_box){{x0 + s / 2, y0 - w[k] / 2, 0}, {x1 - x0 - s, w[k], t}, ""};
    else bb = (named_box){{x0 - w[k] / 2, y0 + s / 2, 0}, {w[k], y1 - y0 - s, t}, ""};
    snprintf(bb.name, sizeof bb.name, "bond_%d", k + 1);
    b[5 + k] = bb;
  }
  return mesh_boxes(path, b, 10, h, 0);
}

mnn_network *fem_test_network(double a, double s, const double *w, double t, double youngs, double poisson) {
  mnn_network *net = mnn_network_create(5, 5);
  for (int i = 0; i < 5; ++i) {
    net->node_id[i] = i + 1;
    net->x[i] = a * net_xy[i][0];
    net->y[i] = a * net_xy[i][1];
  }
  net->fixed[0] = net->fixed[2] = MNN_FIX_XY;
  for (int k = 0; k < 5; ++k) {
    net->bond_id[k] = k + 1;
    net->bond_a[k] = net_bonds[k][0];
    net->bond_b[k] = net_bonds[k][1];
    net->width[k] = w[k];
  }
  net->thickness = t;
  net->youngs_modulus = youngs;
  net->poisson_ratio = poisson;
  net->joint.node_radius = s / 2;
  net->width_min = 0.5 * w[0];
  net->width_max = 2 * w[0];
  return net;
}

int fem_test_bar_model_g(const mnn_network *net, int load, double fx, double fy, int out, double *u, double *g) {
  int nd = 2 * net->n_nodes, nb = net->n_bonds, rc = -1;
  double *k = malloc(sizeof(double) * (size_t)nb), *U = calloc(2 * (size_t)nd, sizeof(double));
  double *E = malloc(sizeof(double) * 2 * (size_t)nb);
  mnn_error err;
  mnn_bar_solver *s = k && U && E ? mnn_bar_solver_create(net, &err) : NULL;
  if (s) {
    mnn_network_stiffnesses(net, k);
    U[2 * load] = fx, U[2 * load + 1] = fy;
    U[nd + 2 * out + 1] = -1.0;
    if (!mnn_bar_solver_factor(s, k, &err) && !mnn_bar_solver_solve(s, 2, U, U, &err)) {
      mnn_bar_elongations(net, 2, U, E);
      for (int b = 0; b < nb; ++b) g[b] = k[b] * E[nb + b] * E[b];
      if (u) memcpy(u, U, sizeof(double) * (size_t)nd);
      rc = 0;
    }
  }
  mnn_bar_solver_free(s);
  free(k), free(U), free(E);
  return rc;
}

double fem_test_cosine(const double *a, const double *b, int n) {
  double dot = 0, na = 0, nb = 0;
  for (int i = 0; i < n; ++i) dot += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
  return dot / sqrt(na * nb);
}
