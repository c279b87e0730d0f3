/* The print solid's surface from the planar outline (planar_layout.c), with
 * no 3D geometry: the outline meshed in 2D (fine along the disc arcs) is the
 * bottom and the top face, its boundary edges extruded are the side walls.
 * Shared vertices and outward normals; only boundary edges make walls, so no
 * internal face can reach the STL. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gmshc.h>

#include "meshing_internal.h"
#include "mesh_surface_orient.h"

#define ARC_SEGMENTS 48 /* triangles' edges per full disc circle at refinement 1 */
#define GROWTH 0.5

/* The closed surface from the 2D mesh of the outline (all of it): every
 * triangle at z = 0 facing down and at z = t facing up, and for every mesh edge
 * on the outline's boundary (in one triangle only) a wall of two triangles
 * facing out. Vertex v of the 2D mesh is vertex v at the bottom and
 * n_nodes + v at the top. */
typedef struct { size_t lo, hi; int tri, k; } edge_ref;

static int compare_edge_refs(const void *a, const void *b) {
  const edge_ref *x = a, *y = b;
  if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static mnn_surface *extrude_outline_mesh(double thickness, mnn_error *err) {
  int ierr = 0;
  size_t *node_tags = NULL, n_nodes = 0, n_coord = 0, n_par = 0, *et = NULL, n_et = 0, *tn = NULL, n_tn = 0;
  double *coord = NULL, *par = NULL;
  long *index = NULL;
  edge_ref *edges = NULL;
  mnn_surface *s = NULL;
  gmshModelMeshGetNodes(&node_tags, &n_nodes, &coord, &n_coord, &par, &n_par, -1, -1, 0, 0, &ierr);
  if (mnn_gmsh_check(ierr, "list the outline's mesh nodes", err)) goto fail;
  gmshModelMeshGetElementsByType(2, &et, &n_et, &tn, &n_tn, -1, 0, 1, &ierr);
  if (mnn_gmsh_check(ierr, "list the outline's triangles", err)) goto fail;
  size_t nt = n_et, max_tag = 0;
  for (size_t i = 0; i < n_nodes; ++i) max_tag = node_tags[i] > max_tag ? node_tags[i] : max_tag;
  index = malloc(sizeof(long) * (max_tag + 1));
  edges = malloc(sizeof *edges * 3 * (nt ? nt : 1));
  s = calloc(1, sizeof *s);
  if (!index || !edges || !s || n_nodes > 0x3fffffff || nt > 0x0fffffff) {
    mnn_fail(err, "meshing: out of memory for the print surface");
    goto fail;
  }
  for (size_t i = 0; i <= max_tag; ++i) index[i] = -1;
  for (size_t i = 0; i < n_nodes; ++i) index[node_tags[i]] = (long)i;
  int nv = (int)n_nodes;
  s->n_vertices = 2 * nv;
  s->xyz = malloc(sizeof(double) * 6 * (size_t)(nv ? nv : 1));
  /* 2 per triangle, at most 2 per boundary edge (3 per triangle) */
  s->tri = malloc(sizeof(int) * 3 * 8 * (nt ? nt : 1));
  if (!s->xyz || !s->tri) {
    mnn_fail(err, "meshing: out of memory for the print surface");
    goto fail;
  }
  for (int v = 0; v < nv; ++v) {
    double *lo = s->xyz + 3 * v, *hi = s->xyz + 3 * (nv + v);
    lo[0] = hi[0] = coord[3 * v], lo[1] = hi[1] = coord[3 * v + 1];
    lo[2] = 0, hi[2] = thickness;
  }
  int *tri = s->tri;
  for (size_t e = 0; e < nt; ++e) {
    int v[3];
    for (int k = 0; k < 3; ++k) {
      size_t t = tn[3 * e + (size_t)k];
      if (t > max_tag || index[t] < 0) {
        mnn_fail(err, "meshing: a triangle of the outline uses an unknown node: report this network");
        goto fail;
      }
      v[k] = (int)index[t];
    }
    const double *a = coord + 3 * v[0], *b = coord + 3 * v[1], *c = coord + 3 * v[2];
    if ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) < 0) { /* counter-clockwise seen from +z */
      int t = v[1];
      v[1] = v[2], v[2] = t;
    }
    int *bottom = tri + 6 * e, *top = tri + 6 * e + 3;
    bottom[0] = v[0], bottom[1] = v[2], bottom[2] = v[1];
    top[0] = nv + v[0], top[1] = nv + v[1], top[2] = nv + v[2];
    for (int k = 0; k < 3; ++k) {
      edge_ref *r = &edges[3 * e + (size_t)k];
      size_t p = (size_t)v[k], q = (size_t)v[(k + 1) % 3];
      r->lo = p < q ? p : q, r->hi = p < q ? q : p, r->tri = (int)e, r->k = k;
    }
  }
  s->n_triangles = 2 * (int)nt;
  qsort(edges, 3 * nt, sizeof *edges, compare_edge_refs);
  for (size_t i = 0; i < 3 * nt;) {
    size_t j = i + 1;
    while (j < 3 * nt && !compare_edge_refs(&edges[i], &edges[j])) ++j;
    if (j - i == 1) { /* on the outline: the part is to the left of p -> q */
      const int *top = tri + 6 * edges[i].tri + 3;
      int p = top[edges[i].k] - nv, q = top[(edges[i].k + 1) % 3] - nv;
      int *w = tri + 3 * s->n_triangles;
      w[0] = p, w[1] = q, w[2] = nv + q;
      w[3] = p, w[4] = nv + q, w[5] = nv + p;
      s->n_triangles += 2;
    } else if (j - i > 2) {
      mnn_fail(err, "meshing: the outline's 2D mesh has an edge in %zu triangles: report this network", j - i);
      goto fail;
    }
    i = j;
  }
  free(index), free(edges);
  gmshFree(node_tags), gmshFree(coord), gmshFree(par), gmshFree(et), gmshFree(tn);
  return s;
fail:
  mnn_surface_free(s);
  free(index), free(edges);
  gmshFree(node_tags), gmshFree(coord), gmshFree(par), gmshFree(et), gmshFree(tn);
  return NULL;
}

mnn_surface *mnn_mesh_print_surface(const mnn_network *net, const mnn_mesh_options *opt, mnn_error *err) {
  mnn_mesh_options defaults;
  if (!opt) {
    mnn_mesh_options_default(&defaults);
    opt = &defaults;
  }
  if (mnn_mesh_options_check(opt, err) || mnn_mesh_check_geometry(net, err)) return NULL;
  double arc_size = 2 * M_PI * net->joint.node_radius / (ARC_SEGMENTS * opt->refinement);
  double coarse_size = net->thickness / opt->refinement;
  mnn_mesh_size_field *field = mnn_mesh_size_field_create_rims(net, arc_size, GROWTH, coarse_size, err);
  if (!field) return NULL;
  int ierr = 0, nbody = net->n_bonds + net->n_nodes;
  mnn_surface *s = NULL;
  mnn_planar_layout layout = {0};
  mnn_mesh_progress pr;
  mnn_mesh_progress_start(&pr, "stl", nbody, nbody, mnn_mesh_size_field_callback, field);
  if (mnn_gmsh_begin("mnn_print", opt->verbose, err)) goto done;
  if (mnn_planar_layout_build(net, &layout, err) || mnn_mesh_add_planar_layout(&layout, err)) goto done;
  gmshOptionSetNumber("Mesh.MeshSizeFromPoints", 0, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeFromCurvature", 0, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeExtendFromBoundary", 1, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeMax", coarse_size, &ierr);
  gmshOptionSetNumber("Mesh.MeshSizeMin", 0.5 * arc_size, &ierr);
  gmshOptionSetNumber("Mesh.Algorithm", 6, &ierr);
  gmshOptionSetNumber("Mesh.LcIntegrationPrecision", MNN_MESH_LC_PRECISION, &ierr);
  gmshOptionSetNumber("General.NumThreads", 1, &ierr);
  gmshModelMeshSetSizeCallback(mnn_mesh_progress_callback, &pr, &ierr);
  if (mnn_gmsh_check(ierr, "set the surface element sizes", err)) goto done;
  gmshModelMeshGenerate(2, &ierr);
  mnn_gmsh_flush_log(opt->verbose);
  if (mnn_gmsh_check(ierr, "triangulate the outline", err)) goto done;
  s = extrude_outline_mesh(net->thickness, err);
  if (s && mnn_mesh_orient_surface(s, NULL, err)) {
    mnn_surface_free(s);
    s = NULL;
  }
  if (s) mnn_mesh_progress_note(&pr, "%d triangles on the print surface", s->n_triangles);
done:
  mnn_gmsh_end(opt->verbose);
  mnn_planar_layout_free(&layout);
  mnn_mesh_size_field_free(field);
  return s;
}
