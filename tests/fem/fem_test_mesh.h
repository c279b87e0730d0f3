/* Test meshes for the FEM, made with the Gmsh C API until (and beside) the
 * meshing stage: axis-aligned boxes fragmented into one conformal tetrahedral
 * mesh, grouped into volume physical groups named exactly as meshing names them
 * (bond_<id>, node_<id>), written as Gmsh 4.1. Also the matching networks. */
#ifndef MNN_FEM_TEST_MESH_H
#define MNN_FEM_TEST_MESH_H

#include "network.h"

/* A straight bar along x: node 1 is a block [-s/2, s/2] x [-w/2, w/2] x [0, t],
 * bond 1 runs from x = s/2 to L - s/2, node 2 is the block around x = L.
 * Node 1 is supported. Element size h. Returns 0 on success. */
int fem_test_bar_mesh(const char *path, double L, double s, double w, double t, double h);
/* The same bar meshed structurically (transfinite: ceil(length / h) segments on
 * every edge, each hexahedron split into tetrahedra), for clean convergence rates. */
int fem_test_bar_mesh_structured(const char *path, double L, double s, double w, double t, double h);
mnn_network *fem_test_bar_network(double L, double s, double w, double t, double youngs, double poisson);

/* A small network of axis-aligned bars: nodes 1 (0,0), 2 (a,0), 3 (2a,0), 4 (a,-a),
 * 5 (0,-a); bonds 1-2, 2-3, 2-4, 1-5, 5-4 (ids 1..5); supports 1 and 3. Node
 * blocks s x s x t, bond widths w[5]. */
int fem_test_network_mesh(const char *path, double a, double s, const double *w, double t, double h);
mnn_network *fem_test_network(double a, double s, const double *w, double t, double youngs, double poisson);

/* The bar model's side of a FEM check: a force (fx, fy) on node index `load`
 * gives the displacements u (2 per node, may be NULL); a unit -y force on node
 * index `out` is the adjoint of the loss u_y(out), and g[b] = k_b e_adj,b e_b
 * (n_bonds values) its sensitivity to ln k. Returns 0 on success. */
int fem_test_bar_model_g(const mnn_network *net, int load, double fx, double fy, int out, double *u, double *g);
/* Cosine of two vectors of length n. */
double fem_test_cosine(const double *a, const double *b, int n);

/* A scratch path under the build folder (MNN_BINARY_DIR or /tmp). */
const char *fem_test_path(const char *name);

#endif
