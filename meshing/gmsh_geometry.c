/* The Delaunay path's solid (MNN_MESH_DELAUNAY3D, the former default, kept as
 * an independent mesh of the same geometry): the bodies in Gmsh's
 * OpenCASCADE kernel, bond outlines (points, lines, a curve loop: Gmsh 4.8 has
 * no addPolygon) and node discs in the plane z = 0, fragmented (conformal, one
 * volume per body, pieces inside a disc owned by the node) and extruded by the
 * thickness in one call so that neighbouring volumes share their faces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmshc.h>

#include "meshing_internal.h"

#define TRY(call, what)                                 \
  do {                                                  \
    int ierr = 0;                                       \
    call;                                               \
    if (mnn_gmsh_check(ierr, what, err)) goto fail;     \
  } while (0)

static int add_bond_face(const mnn_network *net, int b, int *face, mnn_error *err) {
  double xy[2 * MNN_MESH_BOND_OUTLINE_CORNERS];
  int pt[MNN_MESH_BOND_OUTLINE_CORNERS], ln[MNN_MESH_BOND_OUTLINE_CORNERS], loop = 0;
  mnn_mesh_bond_outline(net, b, xy);
  for (int k = 0; k < MNN_MESH_BOND_OUTLINE_CORNERS; ++k)
    TRY(pt[k] = gmshModelOccAddPoint(xy[2 * k], xy[2 * k + 1], 0, 0, -1, &ierr), "add a point of a bond outline");
  for (int k = 0; k < MNN_MESH_BOND_OUTLINE_CORNERS; ++k)
    TRY(ln[k] = gmshModelOccAddLine(pt[k], pt[(k + 1) % MNN_MESH_BOND_OUTLINE_CORNERS], -1, &ierr),
        "add a line of a bond outline");
  TRY(loop = gmshModelOccAddCurveLoop(ln, MNN_MESH_BOND_OUTLINE_CORNERS, -1, &ierr), "close a bond outline");
  TRY(*face = gmshModelOccAddPlaneSurface(&loop, 1, -1, &ierr), "fill a bond outline");
  return 0;
fail:
  mnn_error_prefix(err, "bond %d", net->bond_id[b]);
  return -1;
}

/* dimTags of all bond faces, then all discs: 2 * (n_bonds + n_nodes) ints. */
static int add_planar_bodies(const mnn_network *net, int *dimtags, mnn_error *err) {
  for (int b = 0; b < net->n_bonds; ++b) {
    dimtags[2 * b] = 2;
    if (add_bond_face(net, b, &dimtags[2 * b + 1], err)) return -1;
  }
  for (int n = 0; n < net->n_nodes; ++n) {
    int *dt = dimtags + 2 * (net->n_bonds + n);
    dt[0] = 2;
    TRY(dt[1] = gmshModelOccAddDisk(net->x[n], net->y[n], 0, net->joint.node_radius, net->joint.node_radius, -1, &ierr),
        "add a node disc");
  }
  return 0;
fail:
  return -1;
}

static void free_map(int **map, size_t *map_n, size_t nn) {
  for (size_t i = 0; i < nn; ++i) gmshFree(map[i]);
  gmshFree(map);
  gmshFree(map_n);
}

/* Extrudes the faces (dimtags, n faces) in one call; vol[i] gets the volume made
 * from face i. Gmsh returns, per input face: its top face, its volume, then
 * its side faces. */
static int extrude_faces(const int *dimtags, int n, double t, int *vol, mnn_error *err) {
  int *out = NULL;
  size_t out_n = 0;
  TRY(gmshModelOccExtrude((int *)dimtags, 2 * (size_t)n, 0, 0, t, &out, &out_n, NULL, 0, NULL, 0, 0, &ierr),
      "extrude the bodies by the thickness");
  int k = 0;
  for (size_t i = 0; i + 1 < out_n; i += 2)
    if (out[i] == 3) {
      if (k < n) vol[k] = out[i + 1];
      ++k;
    }
  gmshFree(out);
  if (k != n) return mnn_fail(err, "meshing: extruding %d faces gave %d volumes: report this network", n, k);
  return 0;
fail:
  return -1;
}

int mnn_mesh_build_fragmented_solid(const mnn_network *net, mnn_mesh_fragment_geometry *g, mnn_error *err) {
  int nb = net->n_bonds, nn = net->n_nodes, nbody = nb + nn;
  int *bodies = malloc(sizeof(int) * 2 * (size_t)nbody);
  int *cut = NULL, *cut_owner = NULL, *pieces = NULL, *piece_owner = NULL;
  int **map = NULL;
  size_t *map_n = NULL, map_nn = 0;
  int *out = NULL;
  size_t out_n = 0;
  memset(g, 0, sizeof *g);
  if (!bodies) return mnn_fail(err, "meshing: out of memory");
  if (add_planar_bodies(net, bodies, err)) goto fail;

  /* 1. bonds minus discs: each bond ends in an exact arc of its node discs */
  if (nb > 0 && nn > 0)
    TRY(gmshModelOccCut(bodies, 2 * (size_t)nb, bodies + 2 * nb, 2 * (size_t)nn, &out, &out_n, &map, &map_n, &map_nn,
                        -1, 1, 0, &ierr),
        "cut the bonds by the node discs");
  size_t n_cut = 0;
  for (size_t i = 0; i < map_nn && i < (size_t)nb; ++i) n_cut += map_n[i] / 2;
  cut = malloc(sizeof(int) * 2 * (n_cut + (size_t)nn));
  cut_owner = malloc(sizeof(int) * (n_cut + (size_t)nn));
  if (!cut || !cut_owner) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  size_t k = 0;
  for (size_t i = 0; i < map_nn && i < (size_t)nb; ++i)
    for (size_t j = 0; j + 1 < map_n[i]; j += 2) {
      cut[2 * k] = map[i][j];
      cut[2 * k + 1] = map[i][j + 1];
      cut_owner[k++] = -(int)i - 1;
    }
  for (int n = 0; n < nn; ++n) {
    cut[2 * k] = 2;
    cut[2 * k + 1] = bodies[2 * (nb + n) + 1];
    cut_owner[k++] = n;
  }
  free_map(map, map_n, map_nn);
  gmshFree(out);
  map = NULL, map_n = NULL, out = NULL;

  /* 2. fragment everything: shared edges become conformal. A piece listed
   * under several parents belongs to a node if any parent is a disc. */
  size_t n_in = k;
  TRY(gmshModelOccFragment(cut, 2 * n_in, NULL, 0, &out, &out_n, &map, &map_n, &map_nn, -1, 1, 1, &ierr),
      "fragment the bodies");
  int n_pieces = (int)(out_n / 2);
  pieces = malloc(sizeof(int) * 2 * (size_t)(n_pieces ? n_pieces : 1));
  piece_owner = malloc(sizeof(int) * (size_t)(n_pieces ? n_pieces : 1));
  if (!pieces || !piece_owner) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  memcpy(pieces, out, sizeof(int) * 2 * (size_t)n_pieces);
  for (int p = 0; p < n_pieces; ++p) piece_owner[p] = MNN_MESH_BOND_TAG_OFFSET; /* unowned */
  for (size_t i = 0; i < map_nn && i < n_in; ++i)
    for (size_t j = 0; j + 1 < map_n[i]; j += 2)
      for (int p = 0; p < n_pieces; ++p)
        if (pieces[2 * p] == map[i][j] && pieces[2 * p + 1] == map[i][j + 1]) {
          int parent = cut_owner[i];
          if (piece_owner[p] == MNN_MESH_BOND_TAG_OFFSET || (parent >= 0 && piece_owner[p] < 0))
            piece_owner[p] = parent;
        }
  for (int p = 0; p < n_pieces; ++p)
    if (pieces[2 * p] != 2 || piece_owner[p] == MNN_MESH_BOND_TAG_OFFSET) {
      mnn_fail(err, "meshing: the fragment of the bodies left a piece (%d, %d) without a bond or node: report this network",
               pieces[2 * p], pieces[2 * p + 1]);
      goto fail;
    }

  /* 3. extrude every piece in one call, so that neighbours share side faces */
  g->n_volumes = n_pieces;
  g->volume_tag = malloc(sizeof(int) * (size_t)(n_pieces ? n_pieces : 1));
  g->owner = piece_owner;
  piece_owner = NULL;
  if (!g->volume_tag) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  if (extrude_faces(pieces, n_pieces, net->thickness, g->volume_tag, err)) goto fail;
  TRY(gmshModelOccSynchronize(&ierr), "synchronize the model");

  /* 4. one volume physical group per node and per bond */
  int *tags = malloc(sizeof(int) * (size_t)(n_pieces ? n_pieces : 1));
  if (!tags) {
    mnn_fail(err, "meshing: out of memory");
    goto fail;
  }
  for (int body = 0; body < nbody; ++body) {
    int owner = body < nn ? body : -(body - nn) - 1, count = 0;
    for (int v = 0; v < g->n_volumes; ++v)
      if (g->owner[v] == owner) tags[count++] = g->volume_tag[v];
    char name[64];
    int tag = owner >= 0 ? mnn_mesh_node_group_tag(net, owner) : mnn_mesh_bond_group_tag(net, -owner - 1);
    if (owner >= 0) snprintf(name, sizeof name, "node_%d", net->node_id[owner]);
    else snprintf(name, sizeof name, "bond_%d", net->bond_id[-owner - 1]);
    if (count == 0) {
      free(tags);
      mnn_fail(err, "meshing: %s has no volume after the fragment: report this network", name);
      goto fail;
    }
    int ierr = 0;
    gmshModelAddPhysicalGroup(3, tags, (size_t)count, tag, &ierr);
    if (!ierr) gmshModelSetPhysicalName(3, tag, name, &ierr);
    if (mnn_gmsh_check(ierr, "add a physical group", err)) {
      free(tags);
      goto fail;
    }
  }
  free(tags);
  free_map(map, map_n, map_nn);
  gmshFree(out);
  free(bodies);
  free(cut);
  free(cut_owner);
  free(pieces);
  return 0;
fail:
  if (map) free_map(map, map_n, map_nn);
  gmshFree(out);
  free(bodies);
  free(cut);
  free(cut_owner);
  free(pieces);
  free(piece_owner);
  mnn_mesh_fragment_geometry_free(g);
  return -1;
}

void mnn_mesh_fragment_geometry_free(mnn_mesh_fragment_geometry *g) {
  free(g->volume_tag);
  free(g->owner);
  memset(g, 0, sizeof *g);
}
