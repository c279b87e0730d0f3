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

/* ---- the planar outline as a conformal partition (planar_layout.c) ---- */

/* Points (x, y), curves (a line from point a to b when centre < 0, else the
 * arc of the disc around point centre, counter-clockwise from a to b, less
 * than a half turn) and faces (closed counter-clockwise loops of signed
 * 1-based curve numbers: -k is curve k reversed) owned by a node (>= 0) or a
 * bond (-(index + 1)). Bond faces first (in bond order), then node discs. A
 * bond and a disc share the arc where they meet, so the partition is
 * conformal without booleans. Points 0 .. n_nodes - 1 are the disc centres. */
typedef struct {
  int n_points, n_curves, n_faces;
  double *xy;      /* 2 per point */
  int *curve;      /* 3 per curve: a, b, centre (-1: a line) */
  int *face_start; /* n_faces + 1: face f's curves are face_curve[face_start[f] .. face_start[f + 1]) */
  int *face_curve;
  int *face_owner;
} mnn_planar_layout;
/* Builds the layout of a network that passed mnn_mesh_check_geometry. */
int mnn_planar_layout_build(const mnn_network *net, mnn_planar_layout *l, mnn_error *err);
void mnn_planar_layout_free(mnn_planar_layout *l);

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

/* ---- the planar outline in Gmsh's built-in kernel (gmsh_planar.c) ---- */

/* Adds the layout's points, curves and plane surfaces (surface tag = face
 * index + 1) to the current model and synchronizes. */
int mnn_mesh_add_planar_layout(const mnn_planar_layout *l, mnn_error *err);
/* The FEM solid of the default method from the 2D mesh of the layout (in the
 * current model): every triangle extruded through the thickness in `layers`
 * prisms, each split into three tetrahedra (conformal: see the source). The
 * solid replaces the current model: one discrete volume per face (tag = face
 * index + 1) with its physical group node_<id> / bond_<id>. */
int mnn_mesh_extrude_planar_mesh(const mnn_network *net, const mnn_planar_layout *l, int layers, mnn_error *err);
/* Element layers through the thickness: layers_through_thickness times the
 * refinement (when above 1), rounded up. */
int mnn_mesh_extrusion_layers(const mnn_mesh_options *opt);

/* ---- progress of long meshing (mesh_progress.c) ---- */

/* Wraps a size callback to report, every few seconds on stderr (mnn_info),
 * which face of how many Gmsh is meshing; a start line is printed at once
 * when the part is large (MNN_MESH_LARGE_PART bodies or more). */
#define MNN_MESH_LARGE_PART 200
typedef struct {
  double (*size)(int dim, int tag, double x, double y, double z, void *data);
  void *size_data;
  const char *what; /* "mesh", "stl" */
  int n_faces, faces_seen, last_tag, large;
  double t0, t_last;
} mnn_mesh_progress;
void mnn_mesh_progress_start(mnn_mesh_progress *p, const char *what, int n_bodies, int n_faces,
                             double (*size)(int, int, double, double, double, void *), void *size_data);
/* A line for a phase: always for a large part, else once the work has taken
 * a few seconds. */
void mnn_mesh_progress_note(mnn_mesh_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double mnn_mesh_progress_callback(int dim, int tag, double x, double y, double z, void *data);

/* ---- element sizes (mesh_size.c) ---- */

/* Gmsh's precision for integrating the size along curves (default 1e-9): 1e-3
 * places the curve nodes the same to a fraction of an element and cuts the 1D
 * meshing of a 10 x 10 patch from 2.5 to 0.3 s of CPU. */
#define MNN_MESH_LC_PRECISION 1e-3

typedef struct mnn_mesh_size_field mnn_mesh_size_field;
/* Sizes: w/2 / elements_across_neck / refinement in each neck, growing away
 * from it, never above thickness / layers / refinement. */
mnn_mesh_size_field *mnn_mesh_size_field_create(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err);
/* The print surface's field: rim_size along every disc rim, growing by growth
 * per unit distance, at most size_max (no neck features). */
mnn_mesh_size_field *mnn_mesh_size_field_create_rims(const mnn_network *net, double rim_size, double growth,
                                                     double size_max, mnn_error *err);
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
