/* The planar outline (planar_layout.c) in Gmsh's built-in kernel: points,
 * lines, circle arcs and plane surfaces with shared curves, so that the 2D mesh
 * is conformal without any boolean operation; and the FEM solid made from that
 * 2D mesh by our own extrusion in layers (Gmsh's geometric extrusion of a
 * thousand faces is quadratic in their number), handed back to Gmsh as
 * discrete volumes so that Gmsh writes the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmshc.h>

#include "meshing_internal.h"

int mnn_mesh_add_planar_layout(const mnn_planar_layout *l, mnn_error *err) {
  int ierr = 0;
  for (int p = 0; p < l->n_points && !ierr; ++p) gmshModelGeoAddPoint(l->xy[2 * p], l->xy[2 * p + 1], 0, 0, p + 1, &ierr);
  if (mnn_gmsh_check(ierr, "add the outline's points", err)) return -1;
  for (int c = 0; c < l->n_curves && !ierr; ++c) {
    const int *cv = l->curve + 3 * c;
    if (cv[2] < 0) gmshModelGeoAddLine(cv[0] + 1, cv[1] + 1, c + 1, &ierr);
    else gmshModelGeoAddCircleArc(cv[0] + 1, cv[2] + 1, cv[1] + 1, c + 1, 0, 0, 0, &ierr);
  }
  if (mnn_gmsh_check(ierr, "add the outline's curves", err)) return -1;
  for (int f = 0; f < l->n_faces && !ierr; ++f) {
    int loop = gmshModelGeoAddCurveLoop(l->face_curve + l->face_start[f], (size_t)(l->face_start[f + 1] - l->face_start[f]),
                                        f + 1, 0, &ierr);
    if (!ierr) gmshModelGeoAddPlaneSurface(&loop, 1, f + 1, &ierr);
  }
  if (mnn_gmsh_check(ierr, "add the outline's faces", err)) return -1;
  gmshModelGeoSynchronize(&ierr);
  return mnn_gmsh_check(ierr, "synchronize the outline", err);
}

int mnn_mesh_extrusion_layers(const mnn_mesh_options *opt) {
  double n = opt->layers_through_thickness * fmax(opt->refinement, 1.0);
  return (int)ceil(n - 1e-9);
}

/* Orders the four nodes so that the tetrahedron has a positive volume. */
static void orient_tet(size_t *t, const double *xyz, size_t base) {
  const double *p[4];
  for (int k = 0; k < 4; ++k) p[k] = xyz + 3 * (t[k] - base);
  if (mnn_mesh_tet_volume(p[0], p[1], p[2], p[3]) < 0) {
    size_t tmp = t[2];
    t[2] = t[3], t[3] = tmp;
  }
}

int mnn_mesh_extrude_planar_mesh(const mnn_network *net, const mnn_planar_layout *l, int layers, mnn_error *err) {
  int ierr = 0, nf = l->n_faces;
  size_t *node_tags = NULL, n_nodes = 0, n_coord = 0, n_par = 0;
  double *coord = NULL, *par = NULL, *xyz = NULL;
  size_t **tri = calloc((size_t)(nf ? nf : 1), sizeof *tri), *n_tri = calloc((size_t)(nf ? nf : 1), sizeof *n_tri);
  size_t *tags3 = NULL, *tets = NULL, *etags = NULL;
  long *index = NULL;
  int rc = -1;
  if (!tri || !n_tri) {
    mnn_fail(err, "meshing: out of memory");
    goto done;
  }
  /* the 2D mesh: nodes (numbered 0 .. nv-1 by their place here) and each face's triangles */
  gmshModelMeshGetNodes(&node_tags, &n_nodes, &coord, &n_coord, &par, &n_par, -1, -1, 0, 0, &ierr);
  if (mnn_gmsh_check(ierr, "list the outline's mesh nodes", err)) goto done;
  size_t max_tag = 0, nv = n_nodes;
  for (size_t i = 0; i < nv; ++i) max_tag = node_tags[i] > max_tag ? node_tags[i] : max_tag;
  index = malloc(sizeof(long) * (max_tag + 1));
  if (!index) {
    mnn_fail(err, "meshing: out of memory");
    goto done;
  }
  for (size_t i = 0; i <= max_tag; ++i) index[i] = -1;
  for (size_t i = 0; i < nv; ++i) index[node_tags[i]] = (long)i;
  size_t n_tets = 0;
  for (int f = 0; f < nf; ++f) {
    size_t *et = NULL, n_et = 0, n_tn = 0;
    gmshModelMeshGetElementsByType(2, &et, &n_et, &tri[f], &n_tn, f + 1, 0, 1, &ierr);
    gmshFree(et);
    if (mnn_gmsh_check(ierr, "list the outline's triangles", err)) goto done;
    n_tri[f] = n_tn / 3;
    if (n_tri[f] == 0) {
      mnn_fail(err, "meshing: face %d of the outline got no triangles: report this network", f + 1);
      goto done;
    }
    n_tets += 3 * (size_t)layers * n_tri[f];
    for (size_t k = 0; k < n_tn; ++k)
      if (tri[f][k] > max_tag || index[tri[f][k]] < 0) {
        mnn_fail(err, "meshing: a triangle of the outline uses an unknown node: report this network");
        goto done;
      }
  }
  /* the solid's nodes: level j (0 .. layers) of 2D node i has tag j nv + i + 1 */
  size_t n3 = nv * (size_t)(layers + 1);
  xyz = malloc(sizeof(double) * 3 * (n3 ? n3 : 1));
  tags3 = malloc(sizeof(size_t) * (n3 ? n3 : 1));
  tets = malloc(sizeof(size_t) * 4 * (n_tets ? n_tets : 1));
  etags = malloc(sizeof(size_t) * (n_tets ? n_tets : 1));
  if (!xyz || !tags3 || !tets || !etags) {
    mnn_fail(err, "meshing: out of memory for %zu tetrahedra", n_tets);
    goto done;
  }
  for (int j = 0; j <= layers; ++j)
    for (size_t i = 0; i < nv; ++i) {
      size_t t = (size_t)j * nv + i;
      tags3[t] = t + 1;
      xyz[3 * t] = coord[3 * i], xyz[3 * t + 1] = coord[3 * i + 1];
      xyz[3 * t + 2] = net->thickness * j / layers;
    }
  /* a fresh model holds the solid: one discrete volume per face, all nodes on
   * the first (every volume is in a physical group, so all are written) */
  gmshModelRemove(&ierr);
  if (!ierr) gmshModelAdd("mnn_fem_solid", &ierr);
  for (int f = 0; f < nf && !ierr; ++f) gmshModelAddDiscreteEntity(3, f + 1, NULL, 0, &ierr);
  if (!ierr) gmshModelMeshAddNodes(3, 1, tags3, n3, xyz, 3 * n3, NULL, 0, &ierr);
  if (mnn_gmsh_check(ierr, "add the solid's nodes", err)) goto done;
  /* Each prism (triangle x layer) in three tetrahedra. With its corners sorted
   * by node number (v0 < v1 < v2), every side face is cut along the diagonal
   * from the lower-numbered bottom corner to the other's top corner: the
   * neighbouring prism makes the same cut, so the mesh is conformal. */
  size_t e = 0;
  for (int f = 0; f < nf; ++f) {
    size_t e0 = e;
    for (size_t t = 0; t < n_tri[f]; ++t) {
      size_t v[3];
      for (int k = 0; k < 3; ++k) v[k] = (size_t)index[tri[f][3 * t + (size_t)k]];
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2 - a; ++b)
          if (v[b] > v[b + 1]) {
            size_t tmp = v[b];
            v[b] = v[b + 1], v[b + 1] = tmp;
          }
      for (int j = 0; j < layers; ++j) {
        size_t lo = (size_t)j * nv + 1, hi = lo + nv;
        size_t b0 = lo + v[0], b1 = lo + v[1], b2 = lo + v[2], t0 = hi + v[0], t1 = hi + v[1], t2 = hi + v[2];
        const size_t split[3][4] = {{b0, b1, b2, t2}, {b0, b1, t1, t2}, {b0, t0, t1, t2}};
        for (int k = 0; k < 3; ++k, ++e) {
          for (int m = 0; m < 4; ++m) tets[4 * e + (size_t)m] = split[k][m];
          orient_tet(tets + 4 * e, xyz, 1);
          etags[e] = e + 1;
        }
      }
    }
    gmshModelMeshAddElementsByType(f + 1, 4, etags + e0, e - e0, tets + 4 * e0, 4 * (e - e0), &ierr);
    if (mnn_gmsh_check(ierr, "add the solid's tetrahedra", err)) goto done;
  }
  for (int f = 0; f < nf; ++f) {
    int owner = l->face_owner[f], tag, vol = f + 1;
    char name[64];
    if (owner >= 0) {
      tag = mnn_mesh_node_group_tag(net, owner);
      snprintf(name, sizeof name, "node_%d", net->node_id[owner]);
    } else {
      tag = mnn_mesh_bond_group_tag(net, -owner - 1);
      snprintf(name, sizeof name, "bond_%d", net->bond_id[-owner - 1]);
    }
    gmshModelAddPhysicalGroup(3, &vol, 1, tag, &ierr);
    if (!ierr) gmshModelSetPhysicalName(3, tag, name, &ierr);
    if (mnn_gmsh_check(ierr, "add a physical group", err)) goto done;
  }
  rc = 0;
done:
  for (int f = 0; tri && f < nf; ++f) gmshFree(tri[f]);
  free(tri), free(n_tri), free(index), free(xyz), free(tags3), free(tets), free(etags);
  gmshFree(node_tags), gmshFree(coord), gmshFree(par);
  return rc;
}
