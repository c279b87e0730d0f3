/* Element kernels of 3D isotropic linear elasticity on straight-sided tetrahedra,
 * order 1 (4 nodes) or 2 (10 nodes), written out by hand: no PETSc inside.
 * Node order is VTK's: vertices 0..3, then the edge midpoints of (0,1), (1,2),
 * (0,2), (0,3), (1,3), (2,3). Element vectors are interleaved (x, y, z per node). */
#ifndef MNN_FEM_ELEMENT_H
#define MNN_FEM_ELEMENT_H

#define MNN_TET_MAX_NODES 10
#define MNN_TET_MAX_DOFS 30

/* The vertex pairs of the six edges, in the node order above. */
extern const int mnn_tet_edge_vertices[6][2];

/* Number of nodes of a tetrahedron of this order (4 or 10). */
int mnn_tet_nodes(int order);

/* Signed volume of the tetrahedron with these vertices (x[4][3]). */
double mnn_tet_volume(const double x[4][3]);

/* Lamé parameters from Young's modulus and Poisson's ratio. */
void mnn_lame(double youngs, double poisson, double *lambda, double *mu);

/* Stiffness matrix K (ndof x ndof, row-major, ndof = 3 * nodes): the integral of
 * B^T C B over the element with a fixed quadrature (1 point for order 1, the
 * 4-point degree-2 rule for order 2; both exact on straight tetrahedra).
 * Returns the absolute volume. */
double mnn_tet_stiffness(int order, const double x[4][3], double lambda, double mu, double *K);

/* Consistent load weights w[a] = integral of N_a over the element (order 1: V/4;
 * order 2: -V/20 at vertices, V/5 at edge midpoints). A uniform body force b per
 * unit volume contributes w[a] * b to node a. */
void mnn_tet_load_weights(int order, double volume, double *w);

#endif
