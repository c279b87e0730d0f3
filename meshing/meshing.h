/* Meshing: a network with widths as a 3D solid (Gmsh SDK, OpenCASCADE kernel).
 * Bonds of their width with half-width necks next to each node, node discs,
 * extruded by the thickness. Two products of one geometry: a conformal tetrahedral
 * mesh with one volume physical group per bond ("bond_<id>") and per node
 * ("node_<id>"), and the boundary of the fused print solid. */
#ifndef MNN_MESHING_H
#define MNN_MESHING_H

#include "error.h"
#include "network.h"
#include "surface.h"

/* How the solid is meshed. EXTRUDED (default): the planar outline is meshed in
 * 2D and the mesh extruded through the thickness in layers (prisms split into
 * tetrahedra); DELAUNAY3D: the former path, the outline fragmented with
 * OpenCASCADE, extruded as geometry and meshed by 3D Delaunay (kept as an
 * independent mesh of the same geometry for cross-checks and benchmarks). */
typedef enum { MNN_MESH_EXTRUDED = 0, MNN_MESH_DELAUNAY3D = 1 } mnn_mesh_method;

typedef struct mnn_mesh_options {
  double refinement;             /* global factor: element sizes divided by it (default 1) */
  int elements_across_neck;      /* elements across the thinnest neck, >= 2 (default 3) */
  int layers_through_thickness;  /* element layers through the thickness, >= 2 (default 2) */
  int verbose;                   /* show Gmsh's own messages (default 0) */
  mnn_mesh_method method;        /* default MNN_MESH_EXTRUDED */
} mnn_mesh_options;

typedef struct mnn_mesh_stats {
  long n_nodes, n_tetrahedra;
  double min_quality, mean_quality; /* Gmsh's SICN of the tetrahedra */
  double volume;                    /* m^3, sum of tetrahedron volumes */
  double seconds;                   /* wall time of geometry + meshing */
  long n_poor;                      /* tetrahedra with SICN below MNN_MESH_POOR_SICN */
} mnn_mesh_stats;

#define MNN_MESH_POOR_SICN 0.1

void mnn_mesh_options_default(mnn_mesh_options *opt);
/* Range checks of the options (one clear error naming the option), without
 * running Gmsh: refinement in (0, 20], 2..50 elements across the neck and
 * layers, a known method. */
int mnn_mesh_options_check(const mnn_mesh_options *opt, mnn_error *err);

/* Checks before Gmsh runs: necks longer than the free bond length, overlapping
 * discs, crossing bonds, widths outside bounds, bodies that touch where no bond
 * joins them. One clear error naming the bonds or nodes. */
int mnn_mesh_check_geometry(const mnn_network *net, mnn_error *err);

/* Meshes the solid with linear tetrahedra (opt->method) and writes Gmsh
 * format 4.1 to msh_path (atomically). stats may be NULL. Progress of a large
 * part goes to stderr (mnn_info). */
int mnn_mesh_write(const mnn_network *net, const mnn_mesh_options *opt, const char *msh_path,
                   mnn_mesh_stats *stats, mnn_error *err);

/* The print solid's outer boundary, triangulated, in metres, with shared
 * vertices (bit-equal coordinates) and outward normals: the planar outline
 * meshed in 2D (fine along the disc rims) gives the bottom and top faces, its
 * boundary edges the side walls. NULL on error. */
mnn_surface *mnn_mesh_print_surface(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err);

/* Physical group tags in the .msh file (PETSc's "Cell Sets" label carries them):
 * node_<id> has tag id, bond_<id> has tag MNN_MESH_BOND_TAG_OFFSET + id. Networks
 * with ids >= MNN_MESH_BOND_TAG_OFFSET are refused by mnn_mesh_check_geometry. */
#define MNN_MESH_BOND_TAG_OFFSET 1000000
int mnn_mesh_node_group_tag(const mnn_network *net, int node_index);
int mnn_mesh_bond_group_tag(const mnn_network *net, int bond_index);

/* Where the neck sits along bond b (distances from node a's centre, m): the
 * body has width w/2 for s < neck_end_a and s > neck_start_b, full width w in
 * between; neck_end_a = r + neck_length, neck_start_b = L - r - neck_length. */
void mnn_mesh_bond_necks(const mnn_network *net, int b, double *neck_end_a, double *neck_start_b);

/* Releases Gmsh (called at exit automatically; meshing may start it again). */
void mnn_meshing_finalize(void);

#endif
