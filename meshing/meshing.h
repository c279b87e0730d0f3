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

typedef struct mnn_mesh_options {
  double refinement;             /* global factor: element sizes divided by it (default 1) */
  int elements_across_neck;      /* elements across the thinnest neck, >= 2 (default 3) */
  int layers_through_thickness;  /* element layers through the thickness, >= 2 (default 2) */
  int verbose;                   /* show Gmsh's own messages (default 0) */
} mnn_mesh_options;

typedef struct mnn_mesh_stats {
  long n_nodes, n_tetrahedra;
  double min_quality, mean_quality; /* Gmsh's SICN of the tetrahedra */
  double volume;                    /* m^3, sum of tetrahedron volumes */
  double seconds;                   /* wall time of geometry + meshing */
} mnn_mesh_stats;

void mnn_mesh_options_default(mnn_mesh_options *opt);

/* Checks before Gmsh runs: necks longer than the free bond length, overlapping
 * discs, crossing bonds, widths outside bounds, bodies that touch where no bond
 * joins them. One clear error naming the bonds or nodes. */
int mnn_mesh_check_geometry(const mnn_network *net, mnn_error *err);

/* Builds the fragmented geometry, meshes it with linear tetrahedra and writes
 * Gmsh format 4.1 to msh_path (atomically). stats may be NULL. */
int mnn_mesh_write(const mnn_network *net, const mnn_mesh_options *opt, const char *msh_path,
                   mnn_mesh_stats *stats, mnn_error *err);

/* The fused print solid's outer boundary, triangulated, in metres, with shared
 * vertices (bit-equal coordinates) and outward normals. NULL on error. */
mnn_surface *mnn_mesh_print_surface(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err);

#endif
