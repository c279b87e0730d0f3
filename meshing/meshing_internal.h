/* Internal to meshing/: the planar body shapes shared by the checks, the Gmsh
 * geometry and the size field; the Gmsh session; the geometry builders. */
#ifndef MNN_MESHING_INTERNAL_H
#define MNN_MESHING_INTERNAL_H

#include "meshing.h"

/* ---- planar shapes (bond_shape.c) ---- */

/* A bond's outline in the plane: 12 corners (x, y), counter-clockwise. It starts
 * and ends inside the node discs (at s0 = sqrt(r^2 - (w/4)^2) / 2 from each
 * centre), so that cutting by the discs leaves an exact arc at each end. */
#define MNN_MESH_BOND_OUTLINE_CORNERS 12
void mnn_mesh_bond_outline(const mnn_network *net, int b, double xy[2 * MNN_MESH_BOND_OUTLINE_CORNERS]);

/* The bond as three rectangles (4 corners each, counter-clockwise), measured
 * from the node centres: neck at a (s in [0, r + l], width w/2), middle (full
 * width w), neck at b. Used by the checks. */
void mnn_mesh_bond_rectangles(const mnn_network *net, int b, double quad[3][8]);

/* ---- convex polygon helpers (polygon2d.c) ---- */

/* Distance between two convex polygons (0 if they overlap). */
double mnn_mesh_polygon_distance(const double *p, int np, const double *q, int nq);
/* Distance from a point to a convex polygon (0 inside). */
double mnn_mesh_point_polygon_distance(double x, double y, const double *p, int np);
/* Intersection of convex polygons p and q (both counter-clockwise) into out
 * (room for np + nq corners); returns the corner count (0 if empty). */
int mnn_mesh_polygon_clip(const double *p, int np, const double *q, int nq, double *out);
/* Do the open segments a0-a1 and b0-b1 intersect (touching counts)? */
int mnn_mesh_segments_intersect(const double *a0, const double *a1, const double *b0, const double *b1);

/* ---- Gmsh session (gmsh_session.c) ---- */

/* Starts Gmsh once per process, clears the models, adds a fresh one, starts
 * the logger; Gmsh's terminal output stays off (its messages are forwarded
 * by mnn_gmsh_flush_log when verbose). */
int mnn_gmsh_begin(const char *model_name, int verbose, mnn_error *err);
/* Forwards the logged Gmsh messages (when verbose) and forgets them. */
void mnn_gmsh_flush_log(int verbose);
/* Removes the size callback and the model, stops the logger. */
void mnn_gmsh_end(int verbose);
/* When ierr != 0: fills err with "meshing: Gmsh failed to <what>: <Gmsh's last
 * error>" and returns -1; else returns 0. */
int mnn_gmsh_check(int ierr, const char *what, mnn_error *err);

/* ---- geometry builders (gmsh_geometry.c) ---- */

/* The FEM geometry: the bodies fragmented, extruded in one call. owner[v] of
 * volume_tag[v]: node index (>= 0) or -(bond index + 1). Physical groups are
 * set (node_<id>, bond_<id>). Free the arrays with free(). */
typedef struct {
  int n_volumes;
  int *volume_tag;
  int *owner;
} mnn_mesh_fragment_geometry;
int mnn_mesh_build_fragmented_solid(const mnn_network *net, mnn_mesh_fragment_geometry *g, mnn_error *err);
void mnn_mesh_fragment_geometry_free(mnn_mesh_fragment_geometry *g);

/* The print geometry: the same bodies fused in the plane and extruded.
 * Returns the volume tags (malloc'd) and their count. */
int mnn_mesh_build_fused_solid(const mnn_network *net, int **volume_tags, int *n_volumes, mnn_error *err);

/* ---- element sizes (mesh_size.c) ---- */

typedef struct mnn_mesh_size_field mnn_mesh_size_field;
/* Sizes: w/2 / elements_across_neck / refinement in each neck, growing away
 * from it, never above thickness / layers / refinement. */
mnn_mesh_size_field *mnn_mesh_size_field_create(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err);
double mnn_mesh_size_field_at(const mnn_mesh_size_field *f, double x, double y);
double mnn_mesh_size_field_min(const mnn_mesh_size_field *f);
double mnn_mesh_size_field_max(const mnn_mesh_size_field *f);
void mnn_mesh_size_field_free(mnn_mesh_size_field *f);
/* Gmsh callback with data = the field. */
double mnn_mesh_size_field_callback(int dim, int tag, double x, double y, double z, void *data);

/* ---- quality (mesh_quality.c) ---- */

/* Gmsh's SICN of a linear tetrahedron: 3 det(M)^(2/3) / |M|_F^2 with M the
 * Jacobian relative to the equilateral tetrahedron, which equals
 * 12 (3|V|)^(2/3) / (sum of squared edge lengths), signed like the volume. */
double mnn_mesh_tet_sicn(const double *p0, const double *p1, const double *p2, const double *p3);
double mnn_mesh_tet_volume(const double *p0, const double *p1, const double *p2, const double *p3);

#endif
