/* Checks before Gmsh runs: every way the planar bodies could be unmeshable or
 * unprintable is named here, with the bonds or nodes at fault, in mm. */
#include <math.h>
#include <stdlib.h>

#include "meshing_internal.h"

#define MM(x) ((x) * 1e3)

/* Bounding boxes of bonds (their three rectangles), for a cheap pre-filter. */
typedef struct { double x0, y0, x1, y1; } box;

static box bond_box(const double quad[3][8]) {
  box bx = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 4; ++i) {
      bx.x0 = fmin(bx.x0, quad[k][2 * i]);
      bx.x1 = fmax(bx.x1, quad[k][2 * i]);
      bx.y0 = fmin(bx.y0, quad[k][2 * i + 1]);
      bx.y1 = fmax(bx.y1, quad[k][2 * i + 1]);
    }
  return bx;
}

static int boxes_near(box a, box b, double gap) {
  return a.x0 <= b.x1 + gap && b.x0 <= a.x1 + gap && a.y0 <= b.y1 + gap && b.y0 <= a.y1 + gap;
}

static int shared_node(const mnn_network *net, int b, int c) {
  if (net->bond_a[b] == net->bond_a[c] || net->bond_a[b] == net->bond_b[c]) return net->bond_a[b];
  if (net->bond_b[b] == net->bond_a[c] || net->bond_b[b] == net->bond_b[c]) return net->bond_b[b];
  return -1;
}

static int check_parameters(const mnn_network *net, mnn_error *err) {
  const mnn_joint_geometry *joint = &net->joint;
  if (!(joint->node_radius > 0))
    return mnn_fail(err, "meshing: node radius is %g mm: set node-radius > 0 in the network file", MM(joint->node_radius));
  if (!(joint->neck_length >= 0))
    return mnn_fail(err, "meshing: neck length is %g mm: set neck-length >= 0 in the network file", MM(joint->neck_length));
  if (!(net->thickness > 0))
    return mnn_fail(err, "meshing: thickness is %g mm: set a positive thickness", MM(net->thickness));
  for (int i = 0; i < net->n_nodes; ++i)
    if (net->node_id[i] >= MNN_MESH_BOND_TAG_OFFSET)
      return mnn_fail(err, "meshing: node id %d is too large for the mesh's group tags: renumber nodes below %d",
                      net->node_id[i], MNN_MESH_BOND_TAG_OFFSET);
  for (int b = 0; b < net->n_bonds; ++b)
    if (net->bond_id[b] >= MNN_MESH_BOND_TAG_OFFSET)
      return mnn_fail(err, "meshing: bond id %d is too large for the mesh's group tags: renumber bonds below %d",
                      net->bond_id[b], MNN_MESH_BOND_TAG_OFFSET);
  return 0;
}

static int check_bond_alone(const mnn_network *net, int b, mnn_error *err) {
  double w = net->width[b], r = net->joint.node_radius, l = net->joint.neck_length, L = mnn_bond_length(net, b);
  double tol = 1e-9 * fmax(net->width_max, w);
  int id = net->bond_id[b], ia = net->node_id[net->bond_a[b]], ib = net->node_id[net->bond_b[b]];
  if (w < net->width_min - tol || w > net->width_max + tol)
    return mnn_fail(err, "meshing: bond %d (nodes %d-%d) has width %g mm, outside the bounds [%g, %g] mm: "
                    "fix the width or the width-min/width-max of the network",
                    id, ia, ib, MM(w), MM(net->width_min), MM(net->width_max));
  if (0.25 * w >= 0.9 * r)
    return mnn_fail(err, "meshing: bond %d (nodes %d-%d): its neck (%g mm wide) is too wide for node discs of radius %g mm: "
                    "use a larger node-radius or a smaller width", id, ia, ib, MM(0.5 * w), MM(r));
  double middle = L - 2 * r - 2 * l;
  if (middle <= 1e-3 * L)
    return mnn_fail(err, "meshing: bond %d (nodes %d-%d): its two necks (2 x %g mm) do not fit in its free length "
                    "%g mm (length %g mm minus two node radii of %g mm): shorten neck-length or node-radius",
                    id, ia, ib, MM(l), MM(L - 2 * r), MM(L), MM(r));
  return 0;
}

int mnn_mesh_check_geometry(const mnn_network *net, mnn_error *err) {
  if (mnn_network_check(net, err)) return -1;
  if (check_parameters(net, err)) return -1;
  double r = net->joint.node_radius, min_neck = INFINITY;
  for (int b = 0; b < net->n_bonds; ++b) {
    if (check_bond_alone(net, b, err)) return -1;
    min_neck = fmin(min_neck, 0.5 * net->width[b]);
  }
  /* Bodies closer than this count as touching: a thinner gap could be neither
   * meshed sensibly nor printed. */
  double gap = net->n_bonds ? 0.1 * min_neck : 0.05 * r;

  for (int i = 0; i < net->n_nodes; ++i)
    for (int j = i + 1; j < net->n_nodes; ++j) {
      double d = hypot(net->x[i] - net->x[j], net->y[i] - net->y[j]);
      if (d < 2 * r + gap)
        return mnn_fail(err, "meshing: the discs of nodes %d and %d %s (centres %g mm apart, radius %g mm): "
                        "use a smaller node-radius or move the nodes apart",
                        net->node_id[i], net->node_id[j], d < 2 * r ? "overlap" : "touch", MM(d), MM(r));
    }

  int nb = net->n_bonds;
  double(*quads)[3][8] = malloc(sizeof *quads * (size_t)(nb ? nb : 1));
  box *boxes = malloc(sizeof *boxes * (size_t)(nb ? nb : 1));
  if (!quads || !boxes) {
    free(quads);
    free(boxes);
    return mnn_fail(err, "meshing: out of memory in the geometry checks");
  }
  for (int b = 0; b < nb; ++b) {
    mnn_mesh_bond_rectangles(net, b, quads[b]);
    boxes[b] = bond_box(quads[b]);
  }
  int rc = 0;

  /* a bond passing over (or grazing) the disc of a node it does not join */
  for (int b = 0; b < nb && !rc; ++b)
    for (int n = 0; n < net->n_nodes && !rc; ++n) {
      if (n == net->bond_a[b] || n == net->bond_b[b]) continue;
      box disc = {net->x[n] - r, net->y[n] - r, net->x[n] + r, net->y[n] + r};
      if (!boxes_near(boxes[b], disc, gap)) continue;
      double d = INFINITY;
      for (int k = 0; k < 3; ++k) d = fmin(d, mnn_mesh_point_polygon_distance(net->x[n], net->y[n], quads[b][k], 4));
      if (d < r + gap)
        rc = mnn_fail(err, "meshing: bond %d (nodes %d-%d) %s the disc of node %d, which it does not join: "
                      "move the node or remove the bond",
                      net->bond_id[b], net->node_id[net->bond_a[b]], net->node_id[net->bond_b[b]],
                      d < r ? "runs over" : "touches", net->node_id[n]);
    }

  /* pairs of bonds */
  for (int b = 0; b < nb && !rc; ++b)
    for (int c = b + 1; c < nb && !rc; ++c) {
      if (!boxes_near(boxes[b], boxes[c], gap)) continue;
      int n = shared_node(net, b, c);
      int idb = net->bond_id[b], idc = net->bond_id[c];
      if (n < 0) {
        const double pb0[2] = {net->x[net->bond_a[b]], net->y[net->bond_a[b]]};
        const double pb1[2] = {net->x[net->bond_b[b]], net->y[net->bond_b[b]]};
        const double pc0[2] = {net->x[net->bond_a[c]], net->y[net->bond_a[c]]};
        const double pc1[2] = {net->x[net->bond_b[c]], net->y[net->bond_b[c]]};
        if (mnn_mesh_segments_intersect(pb0, pb1, pc0, pc1)) {
          rc = mnn_fail(err, "meshing: bonds %d and %d cross: a printed part cannot have crossing bars; remove one of them",
                        idb, idc);
          break;
        }
        double d = INFINITY;
        for (int k = 0; k < 3; ++k)
          for (int m = 0; m < 3; ++m) d = fmin(d, mnn_mesh_polygon_distance(quads[b][k], 4, quads[c][m], 4));
        if (d < gap)
          rc = mnn_fail(err, "meshing: bonds %d and %d %s although no node joins them (gap %g mm, need %g mm): "
                        "move the nodes apart or make the bonds narrower",
                        idb, idc, d > 0 ? "almost touch" : "touch", MM(d), MM(gap));
      } else {
        /* bonds of one node may overlap inside its disc only */
        double piece[2 * 16];
        for (int k = 0; k < 3 && !rc; ++k)
          for (int m = 0; m < 3 && !rc; ++m) {
            int np = mnn_mesh_polygon_clip(quads[b][k], 4, quads[c][m], 4, piece);
            for (int i = 0; i < np; ++i) {
              double d = hypot(piece[2 * i] - net->x[n], piece[2 * i + 1] - net->y[n]);
              if (d > r * (1 + 1e-9)) {
                rc = mnn_fail(err, "meshing: bonds %d and %d overlap outside the disc of node %d (up to %g mm from its "
                              "centre, radius %g mm): use a larger node-radius or narrower bonds",
                              idb, idc, net->node_id[n], MM(d), MM(r));
                break;
              }
            }
          }
      }
    }
  free(quads);
  free(boxes);
  return rc;
}
