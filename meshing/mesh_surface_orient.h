/* Orienting a closed triangulated surface outward (internal to meshing/). */
#ifndef MNN_MESH_SURFACE_ORIENT_H
#define MNN_MESH_SURFACE_ORIENT_H

#include "error.h"
#include "surface.h"

/* Checks that every edge is shared by exactly two triangles, makes the
 * triangles of each connected piece agree with each other and point outward
 * (positive enclosed volume). n_components (may be NULL) gets the number of
 * connected pieces. Fails if the surface is open, non-manifold or one-sided. */
int mnn_mesh_orient_surface(mnn_surface *s, int *n_components, mnn_error *err);

#endif
