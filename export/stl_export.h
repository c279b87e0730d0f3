/* STL export: the print solid's boundary (an mnn_surface in metres) as an STL
 * file in millimetres, loaded into ADMesh, checked with its exact edge check,
 * repaired only when the check finds a problem (and the repairs are counted),
 * measured (facets, volume, parts) and written atomically. */
#ifndef MNN_STL_EXPORT_H
#define MNN_STL_EXPORT_H

#include "error.h"
#include "surface.h"

typedef struct mnn_stl_options {
  int ascii;            /* 1: ASCII STL; 0: binary (default) */
  int repair;           /* 1: let ADMesh repair a surface that fails the check (default);
                           0: reject such a surface with an error */
  int allow_parts;      /* 1: accept more than one part; 0: one part required (default) */
  double scale;         /* file units per metre (default 1000: millimetres) */
  const char *label;    /* STL header / solid name (default "mnn print solid") */
} mnn_stl_options;

/* What the edge analysis of a triangle set found (vertices welded where their
 * float coordinates are bit-equal, as ADMesh's exact check sees them). */
typedef struct mnn_surface_topology {
  int triangles;
  int vertices;            /* distinct float vertices */
  int edges;               /* distinct undirected edges */
  int open_edges;          /* used by one triangle */
  int non_manifold_edges;  /* used by more than two triangles */
  int misoriented_edges;   /* used twice in the same direction (a flipped neighbour) */
  int degenerate;          /* triangles with two equal vertices */
  int parts;               /* edge-connected components */
  int closed;              /* 1 if open, non-manifold and misoriented are all 0 */
} mnn_surface_topology;

typedef struct mnn_stl_stats {
  /* the surface handed in, before ADMesh touched it */
  mnn_surface_topology input;
  double input_volume_mm3;   /* signed volume of the input (double precision) */
  /* ADMesh's exact check of the input */
  int admesh_bad_edges_in;   /* 3 * facets - connected edges */
  int admesh_backwards_edges_in;
  /* what was repaired (all 0 when nothing was needed) */
  int repaired;              /* 1 if ADMesh's repair ran */
  int degenerate_removed, facets_removed, facets_added, facets_reversed, edges_fixed, normals_fixed;
  int reversed_all;          /* 1 if the surface was inside out and was turned round */
  char repairs[256];         /* one line: "none" or what was done */
  /* the written solid */
  int facets;
  double volume_mm3;         /* ADMesh's volume */
  int parts;                 /* ADMesh's part count */
  int bad_edges;             /* ADMesh's exact check of the result: facets * 3 - connected */
  mnn_surface_topology output;  /* our edge analysis of the result */
  double min_mm[3], max_mm[3];  /* bounding box */
  long file_bytes;
} mnn_stl_stats;

void mnn_stl_options_default(mnn_stl_options *opt);

/* Analyses a triangle set given as 9 floats per triangle (3 vertices). */
int mnn_surface_topology_of_facets(const float *xyz9, int n_triangles, mnn_surface_topology *topo, mnn_error *err);

/* Writes the surface as STL at path (atomically). opt and stats may be NULL.
 * Fails, writing nothing, when the surface is empty or has bad indices or
 * coordinates, when it is not closed and repair is off, when ADMesh cannot make
 * it closed, or when it has more than one part (unless allow_parts). */
int mnn_stl_export(const mnn_surface *surface, const mnn_stl_options *opt, const char *path,
                   mnn_stl_stats *stats, mnn_error *err);

#endif
