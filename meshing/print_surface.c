/* The print solid's surface: bodies fused in the plane, extruded, the outer
 * boundary meshed with triangles (fine along the disc arcs) and returned with
 * shared vertices and outward normals. Only the combined boundary of the
 * volumes is taken, so no internal face can reach the STL. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gmshc.h>

#include "meshing_internal.h"
#include "mesh_surface_orient.h"

#define ARC_SEGMENTS 48 /* triangles' edges per full disc circle at refinement 1 */
#define GROWTH 0.5

typedef struct {
  const mnn_network *net;
  double arc_size, coarse_size;
} print_sizes;

static double print_size_callback(int dim, int tag, double x, double y, double z, void *data) {
  const print_sizes *ps = data;
  const mnn_network *net = ps->net;
  double d = INFINITY;
  for (int n = 0; n < net->n_nodes; ++n) d = fmin(d, fabs(hypot(x - net->x[n], y - net->y[n]) - net->node_radius));
  return fmin(ps->coarse_size, ps->arc_size + GROWTH * d);
}

/* Triangles of the boundary surfaces, as node tags; coordinates of all nodes. */
static mnn_surface *collect_boundary(const int *vols, int n_vols, mnn_error *err) {
  int ierr = 0, *dimtags = malloc(sizeof(int) * 2 * (size_t)n_vols), *bnd = NULL;
  size_t n_bnd = 0;
  mnn_surface *s = NULL;
  size_t *node_tags = NULL, n_nodes = 0, n_coord = 0, n_par = 0;
  double *coord = NULL, *par = NULL;
  size_t *tri_nodes = NULL, n_tri_nodes = 0, cap = 0;
  long *index = NULL;
  if (!dimtags) return mnn_fail(err, "meshing: out of memory"), NULL;
  for (int v = 0; v < n_vols; ++v) dimtags[2 * v] = 3, dimtags[2 * v + 1] = vols[v];
  gmshModelGetBoundary(dimtags, 2 * (size_t)n_vols, &bnd, &n_bnd, 1, 0, 0, &ierr);
  free(dimtags);
  if (mnn_gmsh_check(ierr, "find the boundary of the print solid", err)) return NULL;
  for (size_t i = 0; i + 1 < n_bnd; i += 2) {
    size_t *et = NULL, n_et = 0, *nt = NULL, n_nt = 0;
    gmshModelMeshGetElementsByType(2, &et, &n_et, &nt, &n_nt, abs(bnd[i + 1]), 0, 1, &ierr);
    if (mnn_gmsh_check(ierr, "list the surface triangles", err)) goto fail;
    if (n_tri_nodes + n_nt > cap) {
      cap = 2 * (n_tri_nodes + n_nt);
      size_t *grown = realloc(tri_nodes, sizeof(size_t) * cap);
      if (!grown) {
        gmshFree(et), gmshFree(nt);
        mnn_fail(err, "meshing: out of memory");
        goto fail;
      }
      tri_nodes = grown;
    }
    memcpy(tri_nodes + n_tri_nodes, nt, sizeof(size_t) * n_nt);
    n_tri_nodes += n_nt;
    gmshFree(et), gmshFree(nt);
  }
  gmshModelMeshGetNodes(&node_tags, &n_nodes, &coord, &n_coord, &par, &n_par, -1, -1, 0, 0, &ierr);
  if (mnn_gmsh_check(ierr, "list the surface nodes", err)) goto fail;
  size_t max_tag = 0;
  for (size_t i = 0; i < n_nodes; ++i) max_tag = node_tags[i] > max_tag ? node_tags[i] : max_tag;
  index = malloc(sizeof(long) * (max_tag + 1));
  s = calloc(1, sizeof *s);
  if (!index || !s) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  for (size_t i = 0; i <= max_tag; ++i) index[i] = -1;
  /* vertices in first-use order */
  s->n_triangles = (int)(n_tri_nodes / 3);
  s->tri = malloc(sizeof(int) * (n_tri_nodes ? n_tri_nodes : 1));
  s->xyz = malloc(sizeof(double) * 3 * (n_tri_nodes ? n_tri_nodes : 1));
  if (!s->tri || !s->xyz) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  long *where = malloc(sizeof(long) * (max_tag + 1));
  if (!where) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  for (size_t i = 0; i < n_nodes; ++i) where[node_tags[i]] = (long)i;
  for (size_t k = 0; k < n_tri_nodes; ++k) {
    size_t t = tri_nodes[k];
    if (t > max_tag) {
      free(where);
      mnn_fail(err, "meshing: a surface triangle uses an unknown node: report this network");
      goto fail;
    }
    if (index[t] < 0) {
      index[t] = s->n_vertices;
      memcpy(s->xyz + 3 * s->n_vertices, coord + 3 * where[t], 3 * sizeof(double));
      s->n_vertices++;
    }
    s->tri[k] = (int)index[t];
  }
  free(where);
  free(index), free(tri_nodes);
  gmshFree(bnd), gmshFree(node_tags), gmshFree(coord), gmshFree(par);
  return s;
fail:
  mnn_surface_free(s);
  free(index), free(tri_nodes);
  gmshFree(bnd), gmshFree(node_tags), gmshFree(coord), gmshFree(par);
  return NULL;
}

mnn_surface *mnn_mesh_print_surface(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err) {
  mnn_mesh_options defaults;
  if (!opt) {
    mnn_mesh_options_default(&defaults);
    opt = &defaults;
  }
  if (mnn_mesh_options_check(opt, err) || mnn_mesh_check_geometry(net, err)) return NULL;
  print_sizes ps = {net, 2 * M_PI * net->node_radius / (ARC_SEGMENTS * opt->refinement),
                    net->thickness / opt->refinement};
  int *vols = NULL, n_vols = 0, ierr = 0;
  mnn_surface *s = NULL;
  if (mnn_gmsh_begin("mnn_print", opt->verbose, err)) goto done;
  if (mnn_mesh_build_fused_solid(net, &vols, &n_vols, err)) goto done;
  gmshOptionSetNumber("Mesh.MeshSizeFromPoints", 0, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeFromCurvature", 0, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeExtendFromBoundary", 1, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeMax", ps.coarse_size, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeMin", 0.5 * ps.arc_size, &ierr);
  gmshModelMeshSetSizeCallback(print_size_callback, &ps, &ierr);
  if (mnn_gmsh_check(ierr, "set the surface element sizes", err)) goto done;
  gmshModelMeshGenerate(2, &ierr);
  mnn_gmsh_flush_log(opt->verbose);
  if (mnn_gmsh_check(ierr, "triangulate the print solid's surface", err)) goto done;
  s = collect_boundary(vols, n_vols, err);
  if (s && mnn_mesh_orient_surface(s, NULL, err)) {
    mnn_surface_free(s);
    s = NULL;
  }
done:
  mnn_gmsh_end(opt->verbose);
  free(vols);
  return s;
}
